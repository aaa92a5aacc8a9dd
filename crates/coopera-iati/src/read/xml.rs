//! A streaming reader that yields one `<iati-activity>` at a time as a small element tree, so
//! memory is bounded by the largest activity, not the file.
//!
//! Hostile input is refused: no DTD (a `<!DOCTYPE` stops the file), no entities but the five
//! predefined ones and character references, bounded nesting depth and text and attribute
//! sizes. Every element keeps the line and column where it starts.

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// Limits that keep a hostile or broken file from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Maximum element nesting depth.
    pub max_depth: usize,
    /// Maximum size in bytes of one text node or attribute value.
    pub max_text: usize,
    /// Maximum number of elements in one activity.
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_depth: 64, max_text: 4 << 20, max_elements: 200_000 }
    }
}

/// One XML element with its attributes, text and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub attrs: Vec<(String, String)>,
    /// The element's own text (concatenated, unescaped, untrimmed).
    pub text: String,
    pub children: Vec<Element>,
    pub line: u32,
    pub column: u32,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// A non-blank attribute, trimmed.
    pub fn attr_trim(&self, name: &str) -> Option<&str> {
        self.attr(name).map(str::trim).filter(|v| !v.is_empty())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Where and why a file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {kind}")]
pub struct XmlError {
    pub line: u32,
    pub column: u32,
    pub kind: XmlErrorKind,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XmlErrorKind {
    #[error("not well-formed XML: {0}")]
    Malformed(String),
    #[error("the file declares a DTD (<!DOCTYPE>); DTDs are refused for safety")]
    Doctype,
    #[error("unknown entity `&{0};`; only &lt; &gt; &amp; &apos; &quot; and character references are allowed")]
    Entity(String),
    #[error("elements nested deeper than {0} levels")]
    TooDeep(usize),
    #[error("a text or attribute value larger than {0} bytes")]
    TooLarge(usize),
    #[error("an activity with more than {0} elements")]
    TooManyElements(usize),
    #[error("the file ends before its elements are closed (truncated?)")]
    Truncated,
    #[error("the root element is <{0}>, not <iati-activities>")]
    NotActivities(String),
}

/// Reads `<iati-activities>` and yields its `<iati-activity>` children one at a time.
pub struct ActivityStream<R: BufRead> {
    reader: Reader<R>,
    buf: Vec<u8>,
    limits: Limits,
    /// Attributes of the root `<iati-activities>` element (version, generated-datetime…).
    pub root: Element,
    line: u32,
    /// Byte offset where the current line starts.
    line_start: u64,
    done: bool,
    started: bool,
}

impl<R: BufRead> std::fmt::Debug for ActivityStream<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActivityStream").field("line", &self.line).finish()
    }
}

/// Unescapes the five predefined entities and character references in `raw`.
fn unescape_into(raw: &str, out: &mut String) -> Result<(), XmlErrorKind> {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let Some(semi) = after.find(';') else { return Err(XmlErrorKind::Malformed("`&` without `;`".into())) };
        resolve_ref(&after[..semi], out)?;
        rest = &after[semi + 1..];
    }
    out.push_str(rest);
    Ok(())
}

fn resolve_ref(name: &str, out: &mut String) -> Result<(), XmlErrorKind> {
    let c = match name {
        "lt" => '<',
        "gt" => '>',
        "amp" => '&',
        "apos" => '\'',
        "quot" => '"',
        _ => {
            let code = if let Some(hex) = name.strip_prefix("#x") {
                u32::from_str_radix(hex, 16).ok()
            } else if let Some(dec) = name.strip_prefix('#') {
                dec.parse().ok()
            } else {
                return Err(XmlErrorKind::Entity(name.to_owned()));
            };
            code.and_then(char::from_u32)
                .ok_or_else(|| XmlErrorKind::Malformed(format!("bad character reference &{name};")))?
        }
    };
    out.push(c);
    Ok(())
}

impl<R: BufRead> ActivityStream<R> {
    /// Reads up to the root element. Fails if the file does not start as IATI activities.
    pub fn new(input: R, limits: Limits) -> Result<ActivityStream<R>, XmlError> {
        let mut reader = Reader::from_reader(input);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        let mut stream = ActivityStream {
            reader,
            buf: Vec::new(),
            limits,
            root: Element::default(),
            line: 1,
            line_start: 0,
            done: false,
            started: false,
        };
        stream.read_root()?;
        Ok(stream)
    }

    fn error(&self, kind: XmlErrorKind) -> XmlError {
        let pos = self.reader.buffer_position();
        XmlError { line: self.line, column: (pos.saturating_sub(self.line_start) + 1) as u32, kind }
    }

    /// Counts the newlines of an event's raw bytes, which start at byte `base`.
    fn advance(&mut self, raw: &[u8], base: u64) {
        for (i, b) in raw.iter().enumerate() {
            if *b == b'\n' {
                self.line += 1;
                self.line_start = base + i as u64 + 1;
            }
        }
    }

    fn position_of(&self, start: u64) -> (u32, u32) {
        (self.line, (start.saturating_sub(self.line_start) + 1) as u32)
    }

    fn element_from(&self, e: &BytesStart<'_>, line: u32, column: u32) -> Result<Element, XmlError> {
        let name = e.name().as_ref().to_owned();
        let mut attrs = Vec::new();
        for a in e.attributes() {
            let a = a.map_err(|err| self.error(XmlErrorKind::Malformed(err.to_string())))?;
            if a.value.len() > self.limits.max_text {
                return Err(self.error(XmlErrorKind::TooLarge(self.limits.max_text)));
            }
            let key = a.key.as_ref().to_owned();
            let raw: &str = &a.value;
            let mut value = String::with_capacity(raw.len());
            unescape_into(raw, &mut value).map_err(|k| self.error(k))?;
            attrs.push((key, value));
        }
        Ok(Element { name, attrs, text: String::new(), children: Vec::new(), line, column })
    }

    /// Reads one event, keeping line numbers; refuses DTDs. Returns an owned event.
    fn next_event(&mut self) -> Result<(Event<'static>, u64), XmlError> {
        self.buf.clear();
        let start = self.reader.buffer_position();
        let event = match self.reader.read_event_into(&mut self.buf) {
            Ok(e) => e.into_owned(),
            Err(err) => {
                let kind = match &err {
                    quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_)
                        if self.reader.buffer_position() > 0 =>
                    {
                        XmlErrorKind::Malformed(err.to_string())
                    }
                    _ => XmlErrorKind::Malformed(err.to_string()),
                };
                return Err(self.error(kind));
            }
        };
        // Offsets of the raw bytes relative to `start`, by the markup that precedes them.
        let (raw, skip): (&[u8], u64) = match &event {
            Event::Start(e) | Event::Empty(e) => (e.as_ref().as_bytes(), 1),
            Event::End(e) => (e.as_ref().as_bytes(), 2),
            Event::Text(e) => (e.as_ref().as_bytes(), 0),
            Event::CData(e) => (e.as_ref().as_bytes(), 9),
            Event::Comment(e) => (e.as_ref().as_bytes(), 4),
            Event::PI(e) => (e.as_ref().as_bytes(), 2),
            Event::Decl(e) => (e.as_ref().as_bytes(), 2),
            Event::DocType(_) => return Err(self.error(XmlErrorKind::Doctype)),
            Event::GeneralRef(_) | Event::Eof => (&[], 0),
        };
        let raw = raw.to_vec();
        self.advance(&raw, start + skip);
        Ok((event, start))
    }

    fn read_root(&mut self) -> Result<(), XmlError> {
        loop {
            let (event, start) = self.next_event()?;
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let (line, column) = self.position_of(start);
                    let root = self.element_from(&e, line, column)?;
                    if root.name != "iati-activities" {
                        return Err(XmlError { line, column, kind: XmlErrorKind::NotActivities(root.name) });
                    }
                    self.root = root;
                    self.started = true;
                    return Ok(());
                }
                Event::Eof => return Err(self.error(XmlErrorKind::Malformed("no root element".into()))),
                Event::Text(t) if t.as_ref().trim().is_empty() => {}
                Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) => {
                    return Err(self.error(XmlErrorKind::Malformed("text before the root element".into())));
                }
                _ => {}
            }
        }
    }

    /// Reads the element that `start` opened, with its whole subtree.
    fn read_subtree(&mut self, mut root: Element) -> Result<Element, XmlError> {
        let mut stack: Vec<Element> = Vec::new();
        let mut count = 1usize;
        loop {
            let (event, start) = self.next_event()?;
            let depth = stack.len() + 2;
            match event {
                Event::Start(_) | Event::Empty(_) if depth > self.limits.max_depth => {
                    return Err(self.error(XmlErrorKind::TooDeep(self.limits.max_depth)));
                }
                Event::Start(e) => {
                    count += 1;
                    let (line, column) = self.position_of(start);
                    stack.push(self.element_from(&e, line, column)?);
                }
                Event::Empty(e) => {
                    count += 1;
                    let (line, column) = self.position_of(start);
                    let child = self.element_from(&e, line, column)?;
                    stack.last_mut().unwrap_or(&mut root).children.push(child);
                }
                Event::End(_) => match stack.pop() {
                    Some(done) => stack.last_mut().unwrap_or(&mut root).children.push(done),
                    None => return Ok(root),
                },
                Event::Text(t) => {
                    let current = stack.last_mut().unwrap_or(&mut root);
                    let result = unescape_into(t.as_ref(), &mut current.text);
                    let too_large = current.text.len() > self.limits.max_text;
                    result.map_err(|k| self.error(k))?;
                    if too_large {
                        return Err(self.error(XmlErrorKind::TooLarge(self.limits.max_text)));
                    }
                }
                Event::CData(t) => {
                    let current = stack.last_mut().unwrap_or(&mut root);
                    current.text.push_str(t.as_ref());
                    if current.text.len() > self.limits.max_text {
                        return Err(self.error(XmlErrorKind::TooLarge(self.limits.max_text)));
                    }
                }
                Event::GeneralRef(r) => {
                    let current = stack.last_mut().unwrap_or(&mut root);
                    let result = resolve_ref(r.as_ref(), &mut current.text);
                    result.map_err(|k| self.error(k))?;
                }
                Event::Eof => return Err(self.error(XmlErrorKind::Truncated)),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
            if count > self.limits.max_elements {
                return Err(self.error(XmlErrorKind::TooManyElements(self.limits.max_elements)));
            }
        }
    }

    /// The next activity, `None` at the end of the file.
    pub fn next_activity(&mut self) -> Option<Result<Element, XmlError>> {
        if self.done {
            return None;
        }
        let result = self.next_activity_inner();
        if !matches!(result, Ok(Some(_))) {
            self.done = true;
        }
        result.transpose()
    }

    fn next_activity_inner(&mut self) -> Result<Option<Element>, XmlError> {
        loop {
            let (event, start) = self.next_event()?;
            match event {
                Event::Start(e) => {
                    let (line, column) = self.position_of(start);
                    let element = self.element_from(&e, line, column)?;
                    let subtree = self.read_subtree(element)?;
                    if subtree.name == "iati-activity" {
                        return Ok(Some(subtree));
                    }
                }
                Event::Empty(e) => {
                    let (line, column) = self.position_of(start);
                    let element = self.element_from(&e, line, column)?;
                    if element.name == "iati-activity" {
                        return Ok(Some(element));
                    }
                }
                Event::End(_) => {
                    // The root closed: only whitespace, comments or PIs may follow.
                    loop {
                        match self.next_event()?.0 {
                            Event::Eof => return Ok(None),
                            Event::Text(t) if t.as_ref().trim().is_empty() => {}
                            Event::Comment(_) | Event::PI(_) => {}
                            _ => {
                                return Err(
                                    self.error(XmlErrorKind::Malformed("content after the root element".into()))
                                );
                            }
                        }
                    }
                }
                Event::Eof => return Err(self.error(XmlErrorKind::Truncated)),
                _ => {}
            }
        }
    }
}

impl<R: BufRead> Iterator for ActivityStream<R> {
    type Item = Result<Element, XmlError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.next_activity()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Result<Vec<Element>, XmlError> {
        let stream = ActivityStream::new(xml.as_bytes(), Limits::default())?;
        stream.collect()
    }

    #[test]
    fn yields_activities_with_lines() {
        let xml = "<?xml version=\"1.0\"?>\n<iati-activities version=\"2.03\">\n <iati-activity>\n  <iati-identifier>A&amp;B&#x41;</iati-identifier>\n  <title><narrative xml:lang=\"es\">Título</narrative></title>\n </iati-activity>\n <iati-activity/>\n</iati-activities>\n";
        let acts = read(xml).unwrap();
        assert_eq!(acts.len(), 2);
        assert_eq!((acts[0].line, acts[0].column), (3, 2));
        let id = acts[0].child("iati-identifier").unwrap();
        assert_eq!((id.text.as_str(), id.line, id.column), ("A&BA", 4, 3));
        let narrative = acts[0].child("title").unwrap().child("narrative").unwrap();
        assert_eq!(narrative.attr("xml:lang"), Some("es"));
        assert_eq!(narrative.line, 5);
        assert_eq!(acts[1].line, 7);
    }

    #[test]
    fn refuses_dtd_and_entities() {
        let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<iati-activities><iati-activity>&e;</iati-activity></iati-activities>";
        let err = ActivityStream::new(xxe.as_bytes(), Limits::default()).unwrap_err();
        assert_eq!((err.kind, err.line), (XmlErrorKind::Doctype, 2));
        let entity = "<iati-activities><iati-activity>&lol;</iati-activity></iati-activities>";
        assert_eq!(read(entity).unwrap_err().kind, XmlErrorKind::Entity("lol".into()));
    }

    #[test]
    fn refuses_truncated_deep_and_large() {
        let truncated = "<iati-activities>\n<iati-activity>\n<title>";
        let err = read(truncated).unwrap_err();
        assert_eq!(err.kind, XmlErrorKind::Truncated);
        assert_eq!(err.line, 3);
        let deep = format!("<iati-activities><iati-activity>{}</iati-activity></iati-activities>", "<a>".repeat(100));
        assert_eq!(read(&deep).unwrap_err().kind, XmlErrorKind::TooDeep(64));
        let big =
            format!("<iati-activities><iati-activity><t>{}</t></iati-activity></iati-activities>", "x".repeat(5 << 20));
        assert!(matches!(read(&big).unwrap_err().kind, XmlErrorKind::TooLarge(_)));
        let wrong = "<iati-organisations/>";
        assert!(matches!(read(wrong).unwrap_err().kind, XmlErrorKind::NotActivities(_)));
    }
}
