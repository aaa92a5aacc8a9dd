//! A minimal XML reader, enough for the IATI codelist files: elements, attributes, text,
//! the predefined and numeric entities, comments, CDATA, processing instructions and a
//! doctype without an internal subset. No namespaces beyond keeping prefixed names as
//! written (`xml:lang`).

use anyhow::{Context, Result, bail};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    pub children: Vec<Node>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Child elements with the given name.
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter_map(move |n| match n {
            Node::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find_map(|n| match n {
            Node::Element(e) if e.name == name => Some(e),
            _ => None,
        })
    }

    /// All descendant text, concatenated.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.collect_text(out),
            }
        }
    }
}

/// Parses a whole document and returns its root element.
pub fn parse(src: &str) -> Result<Element> {
    let mut p = Parser { src, pos: 0 };
    p.skip_prolog()?;
    let root = p.element()?;
    p.skip_misc()?;
    if p.pos != p.src.len() {
        bail!("content after the root element at byte {}", p.pos);
    }
    Ok(root)
}

struct Parser<'a> {
    src: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn skip_ws(&mut self) {
        let trimmed = self.rest().trim_start_matches([' ', '\t', '\r', '\n']);
        self.pos = self.src.len() - trimmed.len();
    }

    fn skip_past(&mut self, end: &str) -> Result<()> {
        let i = self.rest().find(end).with_context(|| format!("unterminated construct, expected `{end}`"))?;
        self.pos += i + end.len();
        Ok(())
    }

    fn skip_prolog(&mut self) -> Result<()> {
        if self.rest().starts_with('\u{feff}') {
            self.pos += '\u{feff}'.len_utf8();
        }
        self.skip_misc()?;
        if self.rest().starts_with("<!DOCTYPE") {
            if self.rest()[..self.rest().find('>').unwrap_or(0)].contains('[') {
                bail!("doctype internal subsets are not supported");
            }
            self.skip_past(">")?;
            self.skip_misc()?;
        }
        Ok(())
    }

    /// Whitespace, comments and processing instructions.
    fn skip_misc(&mut self) -> Result<()> {
        loop {
            self.skip_ws();
            if self.rest().starts_with("<?") {
                self.skip_past("?>")?;
            } else if self.rest().starts_with("<!--") {
                self.skip_past("-->")?;
            } else {
                return Ok(());
            }
        }
    }

    fn name(&mut self) -> Result<String> {
        let end = self
            .rest()
            .find(|c: char| c.is_whitespace() || matches!(c, '>' | '/' | '=' | '<'))
            .unwrap_or(self.rest().len());
        if end == 0 {
            bail!("expected a name at byte {}", self.pos);
        }
        let name = self.rest()[..end].to_owned();
        self.pos += end;
        Ok(name)
    }

    fn expect(&mut self, s: &str) -> Result<()> {
        if !self.rest().starts_with(s) {
            bail!("expected `{s}` at byte {}", self.pos);
        }
        self.pos += s.len();
        Ok(())
    }

    fn element(&mut self) -> Result<Element> {
        self.expect("<")?;
        let name = self.name()?;
        let mut attrs = Vec::new();
        loop {
            self.skip_ws();
            if self.rest().starts_with("/>") {
                self.pos += 2;
                return Ok(Element { name, attrs, children: Vec::new() });
            }
            if self.rest().starts_with('>') {
                self.pos += 1;
                break;
            }
            let key = self.name()?;
            self.skip_ws();
            self.expect("=")?;
            self.skip_ws();
            let quote = self.rest().chars().next().filter(|c| *c == '"' || *c == '\'');
            let Some(quote) = quote else { bail!("expected a quoted value for `{key}` at byte {}", self.pos) };
            self.pos += 1;
            let end = self.rest().find(quote).context("unterminated attribute value")?;
            let value = unescape(&self.rest()[..end])?;
            self.pos += end + 1;
            attrs.push((key, value));
        }
        let mut children = Vec::new();
        let mut text = String::new();
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                bail!("unterminated element <{name}>");
            }
            if rest.starts_with("</") {
                self.pos += 2;
                let close = self.name()?;
                if close != name {
                    bail!("</{close}> closes <{name}>");
                }
                self.skip_ws();
                self.expect(">")?;
                break;
            } else if rest.starts_with("<!--") {
                self.skip_past("-->")?;
            } else if rest.starts_with("<![CDATA[") {
                self.pos += "<![CDATA[".len();
                let end = self.rest().find("]]>").context("unterminated CDATA")?;
                text.push_str(&self.rest()[..end]);
                self.pos += end + 3;
            } else if rest.starts_with("<?") {
                self.skip_past("?>")?;
            } else if rest.starts_with('<') {
                if !text.is_empty() {
                    children.push(Node::Text(std::mem::take(&mut text)));
                }
                children.push(Node::Element(self.element()?));
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                text.push_str(&unescape(&rest[..end])?);
                self.pos += end;
            }
        }
        if !text.is_empty() {
            children.push(Node::Text(text));
        }
        Ok(Element { name, attrs, children })
    }
}

fn unescape(s: &str) -> Result<String> {
    if !s.contains('&') {
        return Ok(s.to_owned());
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let end = rest.find(';').context("unterminated entity")?;
        let entity = &rest[..end];
        let c = match entity {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = entity.strip_prefix('#') {
                    dec.parse().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32).with_context(|| format!("unknown entity &{entity};"))?
            }
        };
        out.push(c);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_codelist_fragment() {
        let doc = r#"<?xml version="1.0"?>
<!-- c -->
<codelist name="X" xml:lang="en">
  <codelist-items>
    <codelist-item status="withdrawn"><code> A&amp;B </code>
      <name><narrative>One &#233;&#x41; &lt;x&gt;</narrative><narrative xml:lang='fr'>Un</narrative></name>
    </codelist-item>
    <empty/>
    <cdata><![CDATA[a < b]]></cdata>
  </codelist-items>
</codelist>
"#;
        let root = parse(doc).expect("parses");
        assert_eq!(root.attr("xml:lang"), Some("en"));
        let list = root.child("codelist-items").expect("items");
        let items: Vec<_> = list.children_named("codelist-item").collect();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].attr("status"), Some("withdrawn"));
        assert_eq!(items[0].child("code").map(Element::text).as_deref(), Some(" A&B "));
        let names: Vec<_> = items[0].child("name").into_iter().flat_map(|n| n.children_named("narrative")).collect();
        assert_eq!(names[0].text(), "One éA <x>");
        assert_eq!(names[1].attr("xml:lang"), Some("fr"));
        assert_eq!(list.child("cdata").map(Element::text).as_deref(), Some("a < b"));
        assert!(list.child("empty").is_some_and(|e| e.children.is_empty()));
    }

    #[test]
    fn rejects_mismatched_tags() {
        assert!(parse("<a><b></a></b>").is_err());
        assert!(parse("<a>&bogus;</a>").is_err());
    }
}
