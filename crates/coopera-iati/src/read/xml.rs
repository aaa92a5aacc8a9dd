//! A streaming reader that yields one `<iati-activity>` at a time as a small element tree, so
//! memory is bounded by the largest activity, not the file.
//!
//! Hostile input is refused: no DTD (a `<!DOCTYPE` stops the file), no entities but the five
//! predefined ones and character references, bounded nesting depth and text and attribute
//! sizes. Sizes are bounded as the bytes arrive, not after: one event (a text node, a tag with
//! its attributes, a comment) that grows past the limit stops the file before it is buffered
//! whole, so a file of gigabytes of whitespace or one endless comment cannot exhaust memory.
//! Every element keeps the line and column where it starts.
//!
//! Element and attribute names are shared (one allocation per distinct name and file, not per
//! element): a file repeats a few dozen names hundreds of thousands of times.

use std::collections::HashSet;
use std::io::{self, BufRead, Read};
use std::rc::Rc;

use coopera_domain::Lang;
use quick_xml::Reader;
use quick_xml::errors::SyntaxError;
use quick_xml::events::{BytesStart, Event};

use crate::input::InputError;
use crate::validate::{RefError, invalid_xml_char, resolve_reference};

/// Limits that keep a hostile or broken file from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Maximum element nesting depth, counting `<iati-activities>` as depth 1 (default 64).
    pub max_depth: usize,
    /// Maximum size in bytes of one text node or attribute value (default 4 MiB). A single
    /// tag or comment may take up to 64 KiB more than this.
    pub max_text: usize,
    /// Maximum number of elements in one activity (default 200,000).
    pub max_elements: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_depth: 64, max_text: 4 << 20, max_elements: 200_000 }
    }
}

/// An element or attribute name, shared by every element that has it.
pub type Name = Rc<str>;

/// One XML element with its attributes, text and children.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: Name,
    pub attrs: Vec<(Name, String)>,
    /// The element's own text (concatenated, unescaped), without the blank text that comes
    /// before its first non-blank piece: the indentation of an element that holds others.
    pub text: String,
    pub children: Vec<Element>,
    pub line: u32,
    pub column: u32,
}

impl Element {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| **k == *name).map(|(_, v)| v.as_str())
    }

    /// A non-blank attribute, trimmed.
    pub fn attr_trim(&self, name: &str) -> Option<&str> {
        self.attr(name).map(str::trim).filter(|v| !v.is_empty())
    }

    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| *c.name == *name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| *c.name == *name)
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
    #[error("a text, tag, comment or attribute value larger than {0} bytes")]
    TooLarge(usize),
    #[error("an activity with more than {0} elements")]
    TooManyElements(usize),
    #[error("the file ends before its elements are closed (truncated?)")]
    Truncated,
    #[error("the root element is <{0}>, not <iati-activities>")]
    NotActivities(String),
    /// The bytes could not be read (a disk error, a corrupt compressed stream).
    #[error("cannot read the file: {0}")]
    Io(String),
    /// The bytes do not make UTF-8 XML ([`crate::input`]): the validator refuses them alike.
    #[error("{0}")]
    Input(InputError),
}

impl XmlErrorKind {
    /// The problem in the user's language, without its position (callers place it).
    pub fn message(&self, lang: Lang) -> String {
        let en = self.to_string();
        if lang == Lang::En {
            return en;
        }
        match self {
            XmlErrorKind::Malformed(detail) => format!("XML mal formado: {detail}"),
            XmlErrorKind::Doctype => {
                "el archivo declara una DTD (<!DOCTYPE>); las DTD se rechazan por seguridad".to_owned()
            }
            XmlErrorKind::Entity(name) => format!(
                "entidad desconocida `&{name};`; solo se admiten &lt; &gt; &amp; &apos; &quot; y referencias de carácter"
            ),
            XmlErrorKind::TooDeep(n) => format!("elementos anidados a más de {n} niveles"),
            XmlErrorKind::TooLarge(n) => format!("un texto, etiqueta, comentario o atributo de más de {n} bytes"),
            XmlErrorKind::TooManyElements(n) => format!("una actividad con más de {n} elementos"),
            XmlErrorKind::Truncated => "el archivo termina antes de cerrar sus elementos (¿está truncado?)".to_owned(),
            XmlErrorKind::NotActivities(root) => format!("el elemento raíz es <{root}>, no <iati-activities>"),
            XmlErrorKind::Io(detail) => format!("no se puede leer el archivo: {detail}"),
            XmlErrorKind::Input(e) => e.message(lang),
        }
    }
}

/// Extra bytes one tag or comment may take beyond `Limits::max_text`.
const TAG_SLACK: usize = 64 << 10;

/// A reader that lets one XML event consume at most `max` bytes: the parser buffers a whole
/// event before handing it over, so the bound has to apply while the bytes come in.
struct EventBudget<R> {
    inner: R,
    left: usize,
    max: usize,
    exceeded: bool,
}

impl<R: BufRead> EventBudget<R> {
    fn reset(&mut self) {
        self.left = self.max;
    }
}

impl<R: BufRead> Read for EventBudget<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let n = available.len().min(out.len());
        out[..n].copy_from_slice(&available[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for EventBudget<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let available = self.inner.fill_buf()?;
        if available.is_empty() {
            return Ok(available);
        }
        if self.left == 0 {
            self.exceeded = true;
            return Err(io::Error::other(format!("one XML event is larger than {} bytes", self.max)));
        }
        let n = available.len().min(self.left);
        Ok(&available[..n])
    }

    fn consume(&mut self, n: usize) {
        self.left = self.left.saturating_sub(n);
        self.inner.consume(n);
    }
}

/// Line bookkeeping: the current line and the byte offset where it starts.
#[derive(Debug, Clone, Copy)]
struct Lines {
    line: u32,
    line_start: u64,
}

impl Lines {
    /// Counts the newlines of an event's raw bytes, which start at byte `base`.
    fn advance(&mut self, raw: &[u8], base: u64) {
        if let Some(last) = memchr::memrchr(b'\n', raw) {
            let newlines = memchr::memchr_iter(b'\n', raw).count();
            self.line = self.line.saturating_add(newlines as u32);
            self.line_start = base + last as u64 + 1;
        }
    }

    /// Line and column (1-based, in bytes) of the byte at `offset` on the current line.
    fn at(&self, offset: u64) -> Pos {
        Pos { line: self.line, column: (offset.saturating_sub(self.line_start) + 1).min(u64::from(u32::MAX)) as u32 }
    }
}

/// Where something starts in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pos {
    line: u32,
    column: u32,
}

impl Pos {
    fn error(self, kind: XmlErrorKind) -> XmlError {
        XmlError { line: self.line, column: self.column, kind }
    }
}

/// The tokenizer with its line count: separate from the tree building so that an event can
/// borrow the buffer while the rest of the stream is updated.
struct Parser<R> {
    reader: Reader<EventBudget<R>>,
    buf: Vec<u8>,
    lines: Lines,
    max_text: usize,
}

impl<R: BufRead> Parser<R> {
    /// Reads one event and where it starts; refuses DTDs. The event borrows the buffer.
    fn next(&mut self) -> Result<(Event<'_>, Pos), XmlError> {
        self.buf.clear();
        self.reader.get_mut().reset();
        let start = self.reader.buffer_position();
        let pos = self.lines.at(start);
        let event = match self.reader.read_event_into(&mut self.buf) {
            Ok(e) => e,
            Err(err) => {
                let kind = match err {
                    _ if self.reader.get_ref().exceeded => XmlErrorKind::TooLarge(self.max_text),
                    quick_xml::Error::Io(e) => match InputError::of(&e) {
                        Some(input) => XmlErrorKind::Input(input.clone()),
                        None => XmlErrorKind::Io(e.to_string()),
                    },
                    // The input ended inside a tag, comment, CDATA section or declaration.
                    quick_xml::Error::Syntax(
                        SyntaxError::UnclosedTag
                        | SyntaxError::UnclosedComment
                        | SyntaxError::UnclosedCData
                        | SyntaxError::UnclosedPI
                        | SyntaxError::UnclosedXmlDecl
                        | SyntaxError::UnclosedDoctype
                        | SyntaxError::UnclosedSingleQuotedAttributeValue
                        | SyntaxError::UnclosedDoubleQuotedAttributeValue,
                    ) => XmlErrorKind::Truncated,
                    other => XmlErrorKind::Malformed(other.to_string()),
                };
                return Err(pos.error(kind));
            }
        };
        // Offsets of the raw bytes relative to `start`, by the markup that precedes them.
        let (raw, skip): (&str, u64) = match &event {
            Event::Start(e) | Event::Empty(e) => (e.as_ref(), 1),
            Event::End(e) => (e.as_ref(), 2),
            Event::Text(e) => (e.as_ref(), 0),
            Event::CData(e) => (e.as_ref(), 9),
            Event::Comment(e) => (e.as_ref(), 4),
            Event::PI(e) => (e.as_ref(), 2),
            Event::Decl(e) => (e.as_ref(), 2),
            Event::DocType(_) => return Err(pos.error(XmlErrorKind::Doctype)),
            Event::GeneralRef(_) | Event::Eof => ("", 0),
        };
        // A character XML allows nowhere (a C0 control, U+FFFE, U+FFFF) makes the file not
        // well-formed, as the validator and xmllint say; read on, it would become a record
        // that cannot be written as XML again.
        if let Some((_, c)) = invalid_xml_char(raw) {
            let message = format!("character U+{:04X} is not allowed in XML", u32::from(c));
            return Err(pos.error(XmlErrorKind::Malformed(message)));
        }
        self.lines.advance(raw.as_bytes(), start + skip);
        Ok((event, pos))
    }
}

/// Reads `<iati-activities>` and yields its `<iati-activity>` children one at a time.
pub struct ActivityStream<R: BufRead> {
    parser: Parser<R>,
    limits: Limits,
    /// Attributes of the root `<iati-activities>` element (version, generated-datetime…).
    pub root: Element,
    names: Names,
    done: bool,
}

impl<R: BufRead> std::fmt::Debug for ActivityStream<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ActivityStream").field("line", &self.parser.lines.line).finish()
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

/// Appends the character `&name;` stands for: one of XML's five entities or a character
/// reference to a character XML allows (the validator's rule, so both refuse the same).
fn resolve_ref(name: &str, out: &mut String) -> Result<(), XmlErrorKind> {
    match resolve_reference(name) {
        Ok(c) => {
            out.push(c);
            Ok(())
        }
        Err(RefError::Unknown(name)) => Err(XmlErrorKind::Entity(name)),
        Err(RefError::Bad(message)) => Err(XmlErrorKind::Malformed(message)),
    }
}

/// The names met in one file, shared by the elements that use them. Only short names are
/// shared, and at most `MAX_NAMES` of them, so what the table holds is bounded whatever the
/// file (IATI's longest name has under 40 bytes); any other name is the element's own, freed
/// with it. The set hashes with std's keyed hasher, so a file cannot choose names that
/// collide. A small table keyed by a name's length and three of its bytes answers most
/// lookups without hashing the name.
struct Names {
    recent: [Option<Name>; RECENT],
    all: HashSet<Name>,
}

const MAX_NAMES: usize = 512;
const MAX_NAME_LEN: usize = 64;
const RECENT: usize = 128;

impl Default for Names {
    fn default() -> Names {
        Names { recent: std::array::from_fn(|_| None), all: HashSet::new() }
    }
}

impl Names {
    fn get(&mut self, raw: &str) -> Name {
        let bytes = raw.as_bytes();
        let slot = match bytes {
            [] => 0,
            _ if bytes.len() > MAX_NAME_LEN => return Rc::from(raw),
            [first, ..] => {
                let (mid, last) = (bytes[bytes.len() / 2], bytes[bytes.len() - 1]);
                (bytes.len() ^ usize::from(*first) << 1 ^ usize::from(mid) << 2 ^ usize::from(last) << 3) % RECENT
            }
        };
        if let Some(name) = &self.recent[slot]
            && name.as_bytes() == bytes
        {
            return name.clone();
        }
        let name = match self.all.get(raw) {
            Some(name) => name.clone(),
            None => {
                let name: Name = Rc::from(raw);
                if self.all.len() < MAX_NAMES {
                    self.all.insert(name.clone());
                }
                name
            }
        };
        self.recent[slot] = Some(name.clone());
        name
    }
}

/// An element with its attributes unescaped, without children yet. Errors point at the tag.
fn element_from(e: &BytesStart<'_>, names: &mut Names, limits: &Limits, pos: Pos) -> Result<Element, XmlError> {
    let name = names.get(e.name().as_ref());
    let mut attrs = Vec::new();
    for a in e.attributes() {
        let a = a.map_err(|err| pos.error(XmlErrorKind::Malformed(err.to_string())))?;
        if a.value.len() > limits.max_text {
            return Err(pos.error(XmlErrorKind::TooLarge(limits.max_text)));
        }
        let key = names.get(a.key.as_ref());
        let raw: &str = &a.value;
        if raw.contains('<') {
            return Err(pos.error(XmlErrorKind::Malformed(format!("`<` in the value of the attribute `{key}`"))));
        }
        let mut value = String::with_capacity(raw.len());
        unescape_into(raw, &mut value).map_err(|k| pos.error(k))?;
        attrs.push((key, value));
    }
    Ok(Element { name, attrs, text: String::new(), children: Vec::new(), line: pos.line, column: pos.column })
}

impl<R: BufRead> ActivityStream<R> {
    /// Reads up to the root element. Fails if the file does not start as IATI activities.
    pub fn new(input: R, limits: Limits) -> Result<ActivityStream<R>, XmlError> {
        let max = limits.max_text.saturating_add(TAG_SLACK);
        let mut reader = Reader::from_reader(EventBudget { inner: input, left: max, max, exceeded: false });
        let config = reader.config_mut();
        config.check_end_names = true;
        config.expand_empty_elements = false;
        let parser = Parser {
            reader,
            buf: Vec::with_capacity(4096),
            lines: Lines { line: 1, line_start: 0 },
            max_text: limits.max_text,
        };
        let mut stream =
            ActivityStream { parser, limits, root: Element::default(), names: Names::default(), done: false };
        stream.read_root()?;
        Ok(stream)
    }

    fn read_root(&mut self) -> Result<(), XmlError> {
        loop {
            let (event, pos) = self.parser.next()?;
            match event {
                Event::Start(e) | Event::Empty(e) => {
                    let root = element_from(&e, &mut self.names, &self.limits, pos)?;
                    if &*root.name != "iati-activities" {
                        return Err(pos.error(XmlErrorKind::NotActivities(root.name.to_string())));
                    }
                    self.root = root;
                    return Ok(());
                }
                Event::Eof => return Err(pos.error(XmlErrorKind::Malformed("no root element".into()))),
                Event::Text(t) if t.as_ref().trim().is_empty() => {}
                Event::Text(_) | Event::GeneralRef(_) | Event::CData(_) => {
                    return Err(pos.error(XmlErrorKind::Malformed("text before the root element".into())));
                }
                _ => {}
            }
        }
    }

    /// Reads the element that `start` opened, with its whole subtree. `root` is at depth 2.
    fn read_subtree(&mut self, mut root: Element) -> Result<Element, XmlError> {
        let limits = self.limits;
        let mut stack: Vec<Element> = Vec::new();
        let mut count = 1usize;
        loop {
            let (event, pos) = self.parser.next()?;
            // The depth an element opened now would have.
            let depth = stack.len() + 3;
            match event {
                Event::Start(_) | Event::Empty(_) if depth > limits.max_depth => {
                    return Err(pos.error(XmlErrorKind::TooDeep(limits.max_depth)));
                }
                Event::Start(e) => {
                    count += 1;
                    stack.push(element_from(&e, &mut self.names, &limits, pos)?);
                }
                Event::Empty(e) => {
                    count += 1;
                    let child = element_from(&e, &mut self.names, &limits, pos)?;
                    stack.last_mut().unwrap_or(&mut root).children.push(child);
                }
                Event::End(_) => match stack.pop() {
                    Some(done) => stack.last_mut().unwrap_or(&mut root).children.push(done),
                    None => return Ok(root),
                },
                Event::Text(t) => {
                    let current = stack.last_mut().unwrap_or(&mut root);
                    if current.text.is_empty() && t.as_ref().trim_ascii().is_empty() {
                        continue; // indentation, or blanks before the text begins
                    }
                    unescape_into(t.as_ref(), &mut current.text).map_err(|k| pos.error(k))?;
                    if current.text.len() > limits.max_text {
                        return Err(pos.error(XmlErrorKind::TooLarge(limits.max_text)));
                    }
                }
                Event::CData(t) => {
                    let current = stack.last_mut().unwrap_or(&mut root);
                    current.text.push_str(t.as_ref());
                    if current.text.len() > limits.max_text {
                        return Err(pos.error(XmlErrorKind::TooLarge(limits.max_text)));
                    }
                }
                Event::GeneralRef(r) => {
                    let current = stack.last_mut().unwrap_or(&mut root);
                    resolve_ref(r.as_ref(), &mut current.text).map_err(|k| pos.error(k))?;
                    if current.text.len() > limits.max_text {
                        return Err(pos.error(XmlErrorKind::TooLarge(limits.max_text)));
                    }
                }
                Event::Eof => return Err(pos.error(XmlErrorKind::Truncated)),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
            }
            if count > limits.max_elements {
                return Err(pos.error(XmlErrorKind::TooManyElements(limits.max_elements)));
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
            let (event, pos) = self.parser.next()?;
            match event {
                Event::Start(e) => {
                    let element = element_from(&e, &mut self.names, &self.limits, pos)?;
                    let subtree = self.read_subtree(element)?;
                    if &*subtree.name == "iati-activity" {
                        return Ok(Some(subtree));
                    }
                }
                Event::Empty(e) => {
                    let element = element_from(&e, &mut self.names, &self.limits, pos)?;
                    if &*element.name == "iati-activity" {
                        return Ok(Some(element));
                    }
                }
                Event::End(_) => {
                    // The root closed: only whitespace, comments or PIs may follow.
                    loop {
                        let (event, pos) = self.parser.next()?;
                        match event {
                            Event::Eof => return Ok(None),
                            Event::Text(t) if t.as_ref().trim().is_empty() => {}
                            Event::Comment(_) | Event::PI(_) => {}
                            _ => {
                                return Err(pos.error(XmlErrorKind::Malformed("content after the root element".into())));
                            }
                        }
                    }
                }
                Event::Eof => return Err(pos.error(XmlErrorKind::Truncated)),
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
    fn text_leaves_out_only_the_blanks_before_it_begins() {
        let cases = [
            ("<n>Agua</n>", "Agua"),
            ("<n>  Agua potable </n>", "  Agua potable "),
            ("<n>&lt; &gt;</n>", "< >"),
            ("<n> &lt;x</n>", "<x"),
            ("<n>a&#x20;&#10;b</n>", "a \nb"),
            ("<n><![CDATA[ ]]></n>", " "),
            ("<n>\n  <c/>\n  texto <c/> fin\n</n>", "\n  texto  fin\n"),
            ("<n>\n  <c/>\n</n>", ""),
        ];
        for (inner, text) in cases {
            let xml = format!("<iati-activities><iati-activity>{inner}</iati-activity></iati-activities>");
            let acts = read(&xml).unwrap();
            assert_eq!(acts[0].child("n").unwrap().text, text, "{inner}");
        }
    }

    #[test]
    fn names_are_shared_within_bounds() {
        let mut names = Names::default();
        assert!(Rc::ptr_eq(&names.get("transaction"), &names.get("transaction")));
        let long = "x".repeat(MAX_NAME_LEN + 1);
        assert!(!Rc::ptr_eq(&names.get(&long), &names.get(&long)), "long names are not kept");
        for i in 0..2 * MAX_NAMES {
            assert_eq!(&*names.get(&format!("e{i}")), format!("e{i}"));
        }
        assert_eq!(names.all.len(), MAX_NAMES);
        assert!(names.all.iter().all(|n| n.len() <= MAX_NAME_LEN));
    }

    #[test]
    fn refuses_dtd_and_entities() {
        let xxe = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n<iati-activities><iati-activity>&e;</iati-activity></iati-activities>";
        let err = ActivityStream::new(xxe.as_bytes(), Limits::default()).unwrap_err();
        assert_eq!((err.kind, err.line), (XmlErrorKind::Doctype, 2));
        let entity = "<iati-activities><iati-activity>&lol;</iati-activity></iati-activities>";
        assert_eq!(read(entity).unwrap_err().kind, XmlErrorKind::Entity("lol".into()));
        // Character references to what XML does not allow are refused, as the validator does.
        for bad in ["&#0;", "&#x1B;", "&#xD800;", "&#x;", "&#+65;"] {
            let xml = format!("<iati-activities><iati-activity><n>{bad}</n></iati-activity></iati-activities>");
            assert!(matches!(read(&xml).unwrap_err().kind, XmlErrorKind::Malformed(_)), "{bad}");
        }
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
