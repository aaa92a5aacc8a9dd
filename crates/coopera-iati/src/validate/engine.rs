//! The streaming validator. quick-xml yields events; each open element has a [`Frame`] with
//! its type and the state of its content model's automaton. A start tag moves the parent's
//! automaton (or finds the child's declaration through a wildcard), checks the attributes
//! and pushes a frame; text is checked or accumulated for simple types; an end tag checks that
//! the automaton accepts and validates accumulated text. Frames, the path and the
//! namespace bindings live in buffers that are reused, so a large file costs no allocation
//! per element once the deepest path has been seen.

use std::collections::HashSet;
use std::io::{BufRead, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesPI, BytesRef, BytesStart, Event};

use super::chars::{RefError, invalid_xml_char, is_name, resolve_reference};
use super::lexical::{self, is_blank, is_blank_str};
use super::position::{Position, Positioned};
use super::schema::{
    Content, Namespaces, Process, Schema, SimpleId, StateId, TypeId, Variety, XML_NS, XSI_NS, name_hash, same,
};
use super::schema_generated::{ACTIVITIES, ORGANISATIONS};
use super::{Detail, Expected, Limits, SchemaProblem, ValidateError, ValueType, XsiTypeProblem};
use crate::input::{InputError, Utf8Input};

/// Longest value quoted back in a problem.
const QUOTE_MAX: usize = 80;

pub fn run(bytes: impl Read, limits: Limits) -> Result<Vec<SchemaProblem>, ValidateError> {
    let input = Positioned::new(Utf8Input::new(bytes, limits.max_decompressed)?, limits.max_token);
    let mut reader = Reader::from_reader(input);
    let config = reader.config_mut();
    config.check_comments = true;
    config.check_end_names = true;
    config.expand_empty_elements = false;
    config.trim_text(false);
    let mut v = Validator::new(limits);
    let mut buf = Vec::new();
    let mut first = true;
    loop {
        buf.clear();
        let pos = reader.get_ref().position();
        let event = match reader.read_event_into(&mut buf) {
            Ok(event) => event,
            Err(e) => return Err(read_error(&e, reader.get_ref(), pos, limits)),
        };
        match event {
            Event::Start(e) => v.start(&e, pos, false)?,
            Event::Empty(e) => v.start(&e, pos, true)?,
            Event::End(_) => v.end()?,
            Event::Text(t) => v.text(&t, pos, TextKind::Text)?,
            Event::CData(t) => v.text(&t, pos, TextKind::CData)?,
            Event::GeneralRef(r) => v.reference(&r, pos)?,
            Event::Comment(c) => {
                if let Some((_, c)) = invalid_xml_char(&c) {
                    return Err(not_well_formed(
                        pos,
                        format!("character U+{:04X} is not allowed in XML", u32::from(c)),
                    ));
                }
            }
            Event::PI(pi) => check_pi(&pi, pos)?,
            Event::Decl(d) if first => check_declaration(&d, pos)?,
            Event::Decl(_) => {
                return Err(not_well_formed(
                    pos,
                    "the XML declaration is allowed only at the start of the file".into(),
                ));
            }
            Event::DocType(_) => return Err(ValidateError::Dtd { line: pos.line, column: pos.column }),
            Event::Eof => break,
        }
        first = false;
    }
    v.finish(reader.get_ref().position())
}

fn not_well_formed(pos: Position, message: String) -> ValidateError {
    ValidateError::NotWellFormed { line: pos.line, column: pos.column, message }
}

fn read_error<R: BufRead>(e: &quick_xml::Error, input: &Positioned<R>, pos: Position, limits: Limits) -> ValidateError {
    let at = input.position();
    if input.too_large() {
        return ValidateError::TooLarge { line: at.line, column: at.column, limit: limits.max_token };
    }
    match e {
        quick_xml::Error::Io(io) => match InputError::of(io) {
            Some(error) => ValidateError::Input { line: at.line, column: at.column, error: error.clone() },
            None => ValidateError::Io(std::io::Error::new(io.kind(), io.to_string())),
        },
        quick_xml::Error::Encoding(_) => not_well_formed(pos, "the bytes are not valid UTF-8".into()),
        other => not_well_formed(pos, other.to_string()),
    }
}

/// `<?xml version="1.x" encoding="…" standalone="yes|no"?>`, strictly as XML 1.0 writes it.
fn check_declaration(content: &str, pos: Position) -> Result<(), ValidateError> {
    let bad = |what: &str| not_well_formed(pos, format!("malformed XML declaration: {what}"));
    let mut rest = content.strip_prefix("xml").unwrap_or(content);
    let pseudo = |name: &str, rest: &mut &str, required: bool| -> Result<Option<String>, ValidateError> {
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        let spaced = trimmed.len() < rest.len();
        let Some(after) = trimmed.strip_prefix(name).filter(|_| spaced) else {
            return if required { Err(bad(&format!("`{name}` expected"))) } else { Ok(None) };
        };
        let after = after.trim_start_matches([' ', '\t', '\r', '\n']);
        let after = after.strip_prefix('=').ok_or_else(|| bad(&format!("`=` expected after `{name}`")))?;
        let after = after.trim_start_matches([' ', '\t', '\r', '\n']);
        let quote =
            after.chars().next().filter(|c| *c == '"' || *c == '\'').ok_or_else(|| bad("a quoted value expected"))?;
        let end = after[1..].find(quote).ok_or_else(|| bad("an unterminated value"))?;
        let value = after[1..=end].to_owned();
        *rest = &after[end + 2..];
        Ok(Some(value))
    };
    let version = pseudo("version", &mut rest, true)?.unwrap_or_default();
    let ok_version =
        version.strip_prefix("1.").is_some_and(|minor| !minor.is_empty() && minor.bytes().all(|b| b.is_ascii_digit()));
    if !ok_version {
        return Err(bad(&format!("unsupported version `{version}`")));
    }
    if let Some(encoding) = pseudo("encoding", &mut rest, false)? {
        let mut chars = encoding.chars();
        let ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
        if !ok {
            return Err(bad(&format!("`{encoding}` is not an encoding name")));
        }
    }
    if let Some(standalone) = pseudo("standalone", &mut rest, false)?
        && standalone != "yes"
        && standalone != "no"
    {
        return Err(bad("standalone must be `yes` or `no`"));
    }
    if !rest.trim_start_matches([' ', '\t', '\r', '\n']).is_empty() {
        return Err(bad("unexpected content"));
    }
    Ok(())
}

fn check_pi(pi: &BytesPI<'_>, pos: Position) -> Result<(), ValidateError> {
    let target = pi.target();
    if !is_name(target) || target.contains(':') {
        return Err(not_well_formed(pos, format!("`{target}` is not a valid processing instruction target")));
    }
    if target.eq_ignore_ascii_case("xml") {
        return Err(not_well_formed(pos, "the XML declaration is allowed only at the start of the file".into()));
    }
    if let Some((_, c)) = invalid_xml_char(pi.content()) {
        return Err(not_well_formed(pos, format!("character U+{:04X} is not allowed in XML", u32::from(c))));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextKind {
    Text,
    CData,
    /// Text produced by an entity or character reference.
    Reference,
}

/// How an element is validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Against a type; `declared` is false for an element a lax wildcard let in without a
    /// declaration (validated as `xs:anyType`).
    Validate { ty: TypeId, declared: bool },
    /// Not at all: an element already reported, or under `processContents="skip"`.
    Skip,
}

#[derive(Debug)]
struct Frame {
    mode: Mode,
    /// The content model's current state.
    state: StateId,
    /// The content model failed once; later children are not checked for order.
    broken: bool,
    /// A text or child problem was reported already (one per element is enough).
    reported: bool,
    /// The element's simple-typed text must be checked when it ends.
    needs_value: bool,
    /// Its qualified name in `Validator::path`.
    name: (usize, usize),
    /// Position among its siblings of the same name, from 1.
    index: u32,
    pos: Position,
    /// Namespace bindings and arena length before this element's declarations.
    ns_mark: (usize, usize),
    /// Children seen per qualified name (names in `child_names`).
    counts: Vec<(usize, usize, u32)>,
    child_names: String,
}

impl Frame {
    fn new() -> Frame {
        Frame {
            mode: Mode::Skip,
            state: 0,
            broken: false,
            reported: false,
            needs_value: false,
            name: (0, 0),
            index: 1,
            pos: Position::default(),
            ns_mark: (0, 0),
            counts: Vec::new(),
            child_names: String::new(),
        }
    }

    /// Counts a child named `qname` and returns its position among same-named siblings.
    fn count_child(&mut self, qname: &str) -> u32 {
        for (start, end, n) in &mut self.counts {
            if same(&self.child_names[*start..*end], qname) {
                *n += 1;
                return *n;
            }
        }
        let start = self.child_names.len();
        self.child_names.push_str(qname);
        self.counts.push((start, self.child_names.len(), 1));
        1
    }
}

/// A namespace a name resolved to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    Absent,
    Xml,
    /// Index into `Validator::bindings`.
    Bound(usize),
}

#[derive(Debug)]
struct Binding {
    prefix: (usize, usize),
    uri: (usize, usize),
}

/// An attribute of the current start tag: offsets into the tag's text.
#[derive(Debug, Clone, Copy)]
struct Attr {
    key: (usize, usize),
    /// Offset of the colon in the key, if it has a prefix.
    colon: Option<usize>,
    /// The value after normalisation: raw in the tag, or in `Validator::values`.
    value: (usize, usize),
    normalized: bool,
    ns: Ns,
    /// Where the local name starts (after the prefix, if it resolved).
    local: usize,
    is_xmlns: bool,
}

/// Where a content model admits a child.
#[derive(Debug, Clone, Copy)]
enum Found {
    Declared(TypeId),
    Wildcard(Process),
}

/// The verdict on one value.
enum Verdict {
    Valid,
    Invalid,
    DuplicateId,
}

struct Validator {
    limits: Limits,
    schema: &'static Schema,
    frames: Vec<Frame>,
    depth: usize,
    path: String,
    text: String,
    bindings: Vec<Binding>,
    ns_arena: String,
    attrs: Vec<Attr>,
    values: String,
    ns_scratch: String,
    ids: HashSet<String>,
    problems: Vec<SchemaProblem>,
    omitted: u64,
    seen_root: bool,
    root_done: bool,
}

impl Validator {
    fn new(limits: Limits) -> Validator {
        Validator {
            limits,
            schema: &ACTIVITIES,
            frames: Vec::new(),
            depth: 0,
            path: String::new(),
            text: String::new(),
            bindings: Vec::new(),
            ns_arena: String::new(),
            attrs: Vec::new(),
            values: String::new(),
            ns_scratch: String::new(),
            ids: HashSet::new(),
            problems: Vec::new(),
            omitted: 0,
            seen_root: false,
            root_done: false,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Problems

    fn full(&mut self) -> bool {
        if self.problems.len() >= self.limits.max_problems {
            self.omitted += 1;
            true
        } else {
            false
        }
    }

    /// The XPath of the open element at `depth` (0 = root), optionally of one of its
    /// attributes.
    fn xpath(&self, depth: usize, attribute: Option<&str>) -> String {
        let mut out = String::new();
        for (i, f) in self.frames[..=depth].iter().enumerate() {
            out.push('/');
            out.push_str(&self.path[f.name.0..f.name.1]);
            if i > 0 {
                out.push('[');
                out.push_str(&f.index.to_string());
                out.push(']');
            }
        }
        if let Some(a) = attribute {
            out.push_str("/@");
            out.push_str(a);
        }
        out
    }

    fn element_name(&self, depth: usize) -> String {
        let f = &self.frames[depth];
        self.path[f.name.0..f.name.1].to_owned()
    }

    fn report(&mut self, pos: Position, xpath: String, code: &'static str, detail: Detail) {
        self.problems.push(SchemaProblem { line: pos.line, column: pos.column, xpath, code, detail });
    }

    fn expected(&self, state: StateId) -> Expected {
        let s = self.schema.state(state);
        Expected {
            elements: s.elements.iter().map(|e| e.name.to_owned()).collect(),
            other_namespaces: s.wildcards.iter().any(|w| match w.wildcard.namespaces {
                Namespaces::Any | Namespaces::Not(_) => true,
                Namespaces::OneOf(list) => list.iter().any(|ns| !ns.is_empty()),
            }),
        }
    }

    // -----------------------------------------------------------------------------------------
    // Namespaces

    fn ns_str(&self, ns: Ns) -> &str {
        match ns {
            Ns::Absent => "",
            Ns::Xml => XML_NS,
            Ns::Bound(i) => {
                let (start, end) = self.bindings[i].uri;
                &self.ns_arena[start..end]
            }
        }
    }

    /// The namespace a prefix (`""` = the default namespace) is bound to.
    fn resolve_prefix(&self, prefix: &str) -> Option<Ns> {
        if prefix == "xml" {
            return Some(Ns::Xml);
        }
        for (i, b) in self.bindings.iter().enumerate().rev() {
            if same(&self.ns_arena[b.prefix.0..b.prefix.1], prefix) {
                return Some(if b.uri.0 == b.uri.1 { Ns::Absent } else { Ns::Bound(i) });
            }
        }
        prefix.is_empty().then_some(Ns::Absent)
    }

    // -----------------------------------------------------------------------------------------
    // Start tags

    fn start(&mut self, e: &BytesStart<'_>, pos: Position, empty: bool) -> Result<(), ValidateError> {
        let content: &str = e;
        let qname = e.name().0;
        if self.root_done {
            return Err(not_well_formed(pos, format!("<{qname}> after the end of the root element")));
        }
        if self.depth >= self.limits.max_depth {
            return Err(ValidateError::TooDeep { line: pos.line, column: pos.column, limit: self.limits.max_depth });
        }
        if !is_name(qname) {
            return Err(not_well_formed(pos, format!("`{qname}` is not a valid element name")));
        }
        self.seen_root = true;
        let ns_mark = (self.bindings.len(), self.ns_arena.len());
        self.read_attributes(e, content, pos)?;

        // Namespace declarations first, then the element's and the attributes' namespaces.
        for i in 0..self.attrs.len() {
            if self.attrs[i].is_xmlns {
                self.declare(i, content);
            }
        }
        let (ns, local) = self.resolve_name(qname);
        self.resolve_attribute_namespaces(content);

        let parent_depth = self.depth.checked_sub(1);
        let index = match parent_depth {
            Some(p) => self.frames[p].count_child(qname),
            None => 1,
        };
        let name_start = self.path.len();
        self.path.push_str(qname);
        if self.frames.len() <= self.depth {
            self.frames.push(Frame::new());
        }
        {
            let f = &mut self.frames[self.depth];
            f.mode = Mode::Skip;
            f.state = 0;
            f.broken = false;
            f.reported = false;
            f.needs_value = false;
            f.name = (name_start, self.path.len());
            f.index = index;
            f.pos = pos;
            f.ns_mark = ns_mark;
            f.counts.clear();
            f.child_names.clear();
        }
        let depth = self.depth;
        self.depth += 1;

        // The namespace name, copied into a reused buffer so the automaton can be moved.
        let mut ns_name = std::mem::take(&mut self.ns_scratch);
        ns_name.clear();
        ns_name.push_str(self.ns_str(ns));
        let mut mode = self.child_mode(depth, &ns_name, local, qname, pos);
        self.ns_scratch = ns_name;
        if let Mode::Validate { ty, declared } = mode {
            let ty = self.apply_xsi(depth, ty, declared, content, pos);
            mode = Mode::Validate { ty, declared };
            self.check_attributes(depth, ty, content, pos);
            let f = &mut self.frames[depth];
            match self.schema.ty(ty).content {
                Content::Elements { start, .. } => f.state = start,
                Content::Simple(st) => {
                    f.needs_value = needs_value(self.schema, st);
                    self.text.clear();
                }
                Content::Empty => {}
            }
        }
        self.frames[depth].mode = mode;
        if empty {
            self.end()?;
        }
        Ok(())
    }

    /// Collects the attributes of a start tag, checking their syntax and values for
    /// well-formedness and normalising values that need it.
    fn read_attributes(&mut self, e: &BytesStart<'_>, content: &str, pos: Position) -> Result<(), ValidateError> {
        self.attrs.clear();
        self.values.clear();
        let base = content.as_ptr() as usize;
        for attr in e.attributes() {
            let attr = attr.map_err(|err| attribute_syntax_error(&err, content, pos))?;
            let key = attr.key.0;
            let key_start = key.as_ptr() as usize - base;
            let key_range = (key_start, key_start + key.len());
            if !content[..key_start].ends_with(|c: char| c.is_ascii() && is_blank(c as u8)) {
                return Err(not_well_formed(pos, format!("no whitespace before the attribute `{key}`")));
            }
            if !is_name(key) {
                return Err(not_well_formed(pos, format!("`{key}` is not a valid attribute name")));
            }
            let raw: &str = &attr.value;
            let raw_start = match &attr.value {
                std::borrow::Cow::Borrowed(s) => s.as_ptr() as usize - base,
                std::borrow::Cow::Owned(_) => {
                    return Err(not_well_formed(pos, format!("the value of `{key}` could not be read")));
                }
            };
            if raw.contains('<') {
                return Err(not_well_formed(pos, format!("`<` in the value of the attribute `{key}`")));
            }
            let needs_normalizing = raw.bytes().any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'));
            let (value, normalized) = if needs_normalizing {
                let start = self.values.len();
                normalize_attribute(raw, &mut self.values).map_err(|err| match err {
                    RefError::Unknown(name) => ValidateError::Entity { line: pos.line, column: pos.column, name },
                    RefError::Bad(message) => not_well_formed(pos, message),
                })?;
                ((start, self.values.len()), true)
            } else {
                ((raw_start, raw_start + raw.len()), false)
            };
            let text = if normalized { &self.values[value.0..value.1] } else { &content[value.0..value.1] };
            if let Some((_, c)) = invalid_xml_char(text) {
                return Err(not_well_formed(
                    pos,
                    format!("character U+{:04X} in the value of `{key}` is not allowed in XML", u32::from(c)),
                ));
            }
            self.attrs.push(Attr {
                key: key_range,
                colon: key.find(':').map(|c| key_start + c),
                value,
                normalized,
                ns: Ns::Absent,
                local: key_start,
                is_xmlns: key == "xmlns" || key.starts_with("xmlns:"),
            });
        }
        Ok(())
    }

    fn attr_value<'c>(&'c self, a: &Attr, content: &'c str) -> &'c str {
        attr_value(&self.values, a, content)
    }

    /// Records the namespace declaration in attribute `i`. Declarations that Namespaces in
    /// XML forbids (an empty namespace for a prefix, rebinding `xml` or `xmlns`, binding their
    /// namespaces to another prefix) are ignored, as the reference validator ignores them.
    fn declare(&mut self, i: usize, content: &str) {
        let a = self.attrs[i];
        let key = &content[a.key.0..a.key.1];
        let prefix = key.strip_prefix("xmlns:").unwrap_or("");
        let uri = attr_value(&self.values, &a, content);
        let reserved = prefix == "xml" || prefix == "xmlns" || uri == XML_NS || uri == "http://www.w3.org/2000/xmlns/";
        if reserved || (!prefix.is_empty() && uri.is_empty()) {
            return;
        }
        let p0 = self.ns_arena.len();
        self.ns_arena.push_str(prefix);
        let p1 = self.ns_arena.len();
        self.ns_arena.push_str(uri);
        self.bindings.push(Binding { prefix: (p0, p1), uri: (p1, self.ns_arena.len()) });
    }

    /// The namespace and local name of a qualified name. Like the reference validator, a name
    /// whose prefix is not declared (or that is not a proper `prefix:local`) is kept whole as
    /// a name in no namespace — the schema then rejects it wherever it is not in a lax
    /// wildcard's reach.
    fn resolve_name<'n>(&self, qname: &'n str) -> (Ns, &'n str) {
        match qname.split_once(':') {
            Some((prefix, local)) if !prefix.is_empty() && !local.is_empty() => match self.resolve_prefix(prefix) {
                Some(ns) if ns != Ns::Absent => (ns, local),
                _ => (Ns::Absent, qname),
            },
            _ => match self.resolve_prefix("") {
                Some(ns) if !qname.contains(':') => (ns, qname),
                _ => (Ns::Absent, qname),
            },
        }
    }

    /// Resolves the namespaces of the attributes (unprefixed ones have none). An attribute
    /// repeated through two prefixes of one namespace is kept twice, as the reference
    /// validator effectively does (such attributes are only ever matched by wildcards).
    fn resolve_attribute_namespaces(&mut self, content: &str) {
        for i in 0..self.attrs.len() {
            let a = self.attrs[i];
            if a.is_xmlns {
                continue;
            }
            let key = &content[a.key.0..a.key.1];
            let (ns, local) = match a.colon {
                Some(_) => {
                    let (ns, local) = self.resolve_name(key);
                    (ns, local.len())
                }
                None => (Ns::Absent, key.len()),
            };
            self.attrs[i].ns = ns;
            self.attrs[i].local = a.key.1 - local;
        }
    }

    /// How the element at `depth` is validated, moving its parent's content model.
    fn child_mode(&mut self, depth: usize, ns: &str, local: &str, qname: &str, pos: Position) -> Mode {
        let Some(parent) = depth.checked_sub(1) else {
            self.schema = if ns.is_empty() && local == "iati-organisations" { &ORGANISATIONS } else { &ACTIVITIES };
            if let Some(ty) = self.schema.element(ns, local) {
                return Mode::Validate { ty, declared: true };
            }
            if !self.full() {
                let xpath = self.xpath(depth, None);
                self.report(pos, xpath, "unknown-root", Detail::UnknownRoot { element: qname.to_owned() });
            }
            return Mode::Skip;
        };
        let Mode::Validate { ty: parent_ty, .. } = self.frames[parent].mode else { return Mode::Skip };
        match self.schema.ty(parent_ty).content {
            Content::Simple(_) | Content::Empty => {
                let in_text = matches!(self.schema.ty(parent_ty).content, Content::Simple(_));
                if !self.frames[parent].reported {
                    self.frames[parent].reported = true;
                    if !self.full() {
                        let xpath = self.xpath(depth, None);
                        let element = qname.to_owned();
                        let parent_name = self.element_name(parent);
                        let (code, detail) = if in_text {
                            ("element-in-text", Detail::ElementInText { element, parent: parent_name })
                        } else {
                            ("element-in-empty", Detail::ElementInEmpty { element, parent: parent_name })
                        };
                        self.report(pos, xpath, code, detail);
                    }
                }
                Mode::Skip
            }
            Content::Elements { start, .. } => {
                let f = &mut self.frames[parent];
                if !f.broken {
                    let state = self.schema.state(f.state);
                    if let Some(edge) = state.element(ns, local, name_hash(local)) {
                        f.state = edge.next;
                        return Mode::Validate { ty: edge.ty, declared: true };
                    }
                    if let Some(edge) = state.wildcard(ns) {
                        f.state = edge.next;
                        return self.wildcard_child(edge.wildcard.process, depth, ns, local, qname, pos);
                    }
                    let current = f.state;
                    f.broken = true;
                    let found = self.find_in_model(start, ns, local);
                    if !self.full() {
                        let xpath = self.xpath(depth, None);
                        let detail = match qname.split_once(':') {
                            Some((prefix, _)) if ns.is_empty() => {
                                Detail::UndeclaredPrefix { name: qname.to_owned(), prefix: prefix.to_owned() }
                            }
                            _ => Detail::UnexpectedElement {
                                element: qname.to_owned(),
                                parent: self.element_name(parent),
                                expected: self.expected(current),
                                allowed_elsewhere: found.is_some(),
                            },
                        };
                        let code = if matches!(detail, Detail::UndeclaredPrefix { .. }) {
                            "undeclared-prefix"
                        } else {
                            "unexpected-element"
                        };
                        self.report(pos, xpath, code, detail);
                    }
                    return self.found_mode(found, depth, ns, local, qname, pos);
                }
                let found = self.find_in_model(start, ns, local);
                self.found_mode(found, depth, ns, local, qname, pos)
            }
        }
    }

    /// Where the content model starting at `start` allows a child, in any state: its
    /// declared type, or the wildcard that admits it. Used once the order is broken, to
    /// still check the child itself.
    fn find_in_model(&self, start: StateId, ns: &str, local: &str) -> Option<Found> {
        let states = self.schema.states;
        let mut seen = vec![false; states.len()];
        let mut stack = vec![start];
        let mut wildcard = None;
        let hash = name_hash(local);
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut seen[usize::from(s)], true) {
                continue;
            }
            let state = self.schema.state(s);
            if let Some(edge) = state.element(ns, local, hash) {
                return Some(Found::Declared(edge.ty));
            }
            if wildcard.is_none() {
                wildcard = state.wildcard(ns).map(|w| Found::Wildcard(w.wildcard.process));
            }
            stack.extend(state.elements.iter().map(|e| e.next));
            stack.extend(state.wildcards.iter().map(|w| w.next));
        }
        wildcard
    }

    fn found_mode(
        &mut self,
        found: Option<Found>,
        depth: usize,
        ns: &str,
        local: &str,
        qname: &str,
        pos: Position,
    ) -> Mode {
        match found {
            Some(Found::Declared(ty)) => Mode::Validate { ty, declared: true },
            Some(Found::Wildcard(process)) => self.wildcard_child(process, depth, ns, local, qname, pos),
            None => Mode::Skip,
        }
    }

    fn wildcard_child(
        &mut self,
        process: Process,
        depth: usize,
        ns: &str,
        local: &str,
        qname: &str,
        pos: Position,
    ) -> Mode {
        if process == Process::Skip {
            return Mode::Skip;
        }
        if let Some(ty) = self.schema.element(ns, local) {
            return Mode::Validate { ty, declared: true };
        }
        if process == Process::Lax {
            return Mode::Validate { ty: self.schema.any_type, declared: false };
        }
        if !self.full() {
            let xpath = self.xpath(depth, None);
            self.report(pos, xpath, "undeclared-element", Detail::UndeclaredElement { element: qname.to_owned() });
        }
        Mode::Skip
    }

    /// Applies `xsi:type` and checks `xsi:nil`; returns the type to validate against.
    fn apply_xsi(&mut self, depth: usize, declared_ty: TypeId, declared: bool, content: &str, pos: Position) -> TypeId {
        let mut ty = declared_ty;
        for i in 0..self.attrs.len() {
            let a = self.attrs[i];
            if a.is_xmlns || self.ns_str(a.ns) != XSI_NS {
                continue;
            }
            let local = &content[a.local..a.key.1];
            let value = lexical::collapse(self.attr_value(&a, content)).into_owned();
            let problem = match local {
                "type" => {
                    let (prefix, name) = value.split_once(':').unwrap_or(("", &value));
                    match self.resolve_prefix(prefix) {
                        _ if !is_qname(&value) => Some(XsiTypeProblem::Unknown),
                        None => Some(XsiTypeProblem::UnboundPrefix),
                        Some(ns) => match self.schema.named_type(self.ns_str(ns), name) {
                            None => Some(XsiTypeProblem::Unknown),
                            Some(t) if self.schema.derives_from(t, declared_ty) => {
                                ty = t;
                                None
                            }
                            Some(_) => Some(XsiTypeProblem::NotDerived),
                        },
                    }
                }
                "nil" if declared => {
                    if !self.full() {
                        let xpath = self.xpath(depth, None);
                        let element = self.element_name(depth);
                        self.report(pos, xpath, "not-nillable", Detail::NotNillable { element });
                    }
                    None
                }
                _ => None,
            };
            if let Some(reason) = problem
                && !self.full()
            {
                let key = content[a.key.0..a.key.1].to_owned();
                let xpath = self.xpath(depth, Some(&key));
                let element = self.element_name(depth);
                let at = attribute_position(pos, content, a.key.0);
                self.report(at, xpath, "bad-xsi-type", Detail::BadXsiType { element, value, reason });
            }
        }
        ty
    }

    /// Checks the attributes of the element at `depth` against its type.
    fn check_attributes(&mut self, depth: usize, ty: TypeId, content: &str, pos: Position) {
        let def = self.schema.ty(ty);
        let mut seen: u64 = 0;
        for i in 0..self.attrs.len() {
            let a = self.attrs[i];
            if a.is_xmlns {
                continue;
            }
            let ns = self.ns_str(a.ns);
            let local = &content[a.local..a.key.1];
            if ns == XSI_NS && matches!(local, "type" | "nil" | "schemaLocation" | "noNamespaceSchemaLocation") {
                continue;
            }
            let hash = name_hash(local);
            let declared = def.attributes.iter().position(|u| u.hash == hash && same(u.name, local) && same(u.ns, ns));
            let (simple, fixed) = if let Some(k) = declared {
                seen |= 1 << k;
                (Some(def.attributes[k].ty), def.attributes[k].fixed)
            } else if let Some(w) = def.any_attribute.filter(|w| w.namespaces.allows(ns)) {
                match (w.process, self.schema.attribute(ns, local)) {
                    (Process::Skip, _) => (None, None),
                    (_, Some(st)) => (Some(st), None),
                    (Process::Lax, None) => (None, None),
                    (Process::Strict, None) => {
                        self.attribute_problem(
                            depth,
                            &a,
                            content,
                            pos,
                            "undeclared-attribute",
                            |element, attribute| Detail::UndeclaredAttribute { element, attribute },
                        );
                        continue;
                    }
                }
            } else if a.colon.is_some() && a.ns == Ns::Absent {
                self.attribute_problem(depth, &a, content, pos, "undeclared-prefix", |_, name| {
                    let prefix = name.split(':').next().unwrap_or_default().to_owned();
                    Detail::UndeclaredPrefix { name, prefix }
                });
                continue;
            } else {
                self.attribute_problem(depth, &a, content, pos, "attribute-not-allowed", |element, attribute| {
                    Detail::AttributeNotAllowed { element, attribute }
                });
                continue;
            };
            let Some(st) = simple else { continue };
            let value = attr_value(&self.values, &a, content);
            match simple_verdict(self.schema, st, value, &mut self.ids) {
                Verdict::Valid => {
                    if let Some(fixed) = fixed
                        && !same_value(self.schema, st, value, fixed)
                    {
                        let value = quote(value);
                        self.attribute_problem(depth, &a, content, pos, "fixed-value", |element, attribute| {
                            Detail::FixedValue { element, attribute, value, fixed: fixed.to_owned() }
                        });
                    }
                }
                Verdict::Invalid => {
                    let value = quote(value);
                    let expected = value_type(self.schema, st);
                    self.attribute_problem(depth, &a, content, pos, "invalid-value", |element, attribute| {
                        Detail::InvalidValue { element, attribute: Some(attribute), value, expected }
                    });
                }
                Verdict::DuplicateId => {
                    let value = quote(value);
                    self.attribute_problem(depth, &a, content, pos, "duplicate-id", |element, _| Detail::DuplicateId {
                        element,
                        value,
                    });
                }
            }
        }
        for (k, u) in def.attributes.iter().enumerate() {
            if u.required && seen & (1 << k) == 0 && !self.full() {
                let attribute = if u.ns == XML_NS { format!("xml:{}", u.name) } else { u.name.to_owned() };
                let xpath = self.xpath(depth, Some(&attribute));
                let element = self.element_name(depth);
                self.report(pos, xpath, "missing-attribute", Detail::MissingAttribute { element, attribute });
            }
        }
    }

    fn attribute_problem(
        &mut self,
        depth: usize,
        a: &Attr,
        content: &str,
        pos: Position,
        code: &'static str,
        detail: impl FnOnce(String, String) -> Detail,
    ) {
        if self.full() {
            return;
        }
        let key = content[a.key.0..a.key.1].to_owned();
        let xpath = self.xpath(depth, Some(&key));
        let element = self.element_name(depth);
        let at = attribute_position(pos, content, a.key.0);
        self.report(at, xpath, code, detail(element, key));
    }

    // -----------------------------------------------------------------------------------------
    // Text

    fn text(&mut self, t: &str, pos: Position, kind: TextKind) -> Result<(), ValidateError> {
        if let Some((_, c)) = invalid_xml_char(t) {
            return Err(not_well_formed(pos, format!("character U+{:04X} is not allowed in XML", u32::from(c))));
        }
        if kind == TextKind::Text && t.contains("]]>") {
            return Err(not_well_formed(pos, "`]]>` is not allowed in text".into()));
        }
        let Some(top) = self.depth.checked_sub(1) else {
            if kind == TextKind::Text && is_blank_str(t) {
                return Ok(());
            }
            let place = if self.seen_root { "after" } else { "before" };
            return Err(not_well_formed(pos, format!("text {place} the root element")));
        };
        let Mode::Validate { ty, .. } = self.frames[top].mode else { return Ok(()) };
        match self.schema.ty(ty).content {
            Content::Simple(_) => {
                if self.frames[top].needs_value {
                    if self.text.len() + t.len() > self.limits.max_token as usize {
                        return Err(ValidateError::TooLarge {
                            line: pos.line,
                            column: pos.column,
                            limit: self.limits.max_token,
                        });
                    }
                    if kind == TextKind::Text && t.contains('\r') {
                        self.text.push_str(&t.replace("\r\n", "\n").replace('\r', "\n"));
                    } else {
                        self.text.push_str(t);
                    }
                }
            }
            Content::Elements { mixed: true, .. } => {}
            Content::Elements { mixed: false, .. } => {
                // CDATA counts as text even when blank, as for the reference validator.
                if (kind == TextKind::CData || !is_blank_str(t)) && !self.frames[top].reported {
                    self.frames[top].reported = true;
                    if !self.full() {
                        let xpath = self.xpath(top, None);
                        let element = self.element_name(top);
                        let at = self.frames[top].pos;
                        self.report(at, xpath, "text-not-allowed", Detail::TextNotAllowed { element });
                    }
                }
            }
            Content::Empty => {
                if !self.frames[top].reported {
                    self.frames[top].reported = true;
                    if !self.full() {
                        let xpath = self.xpath(top, None);
                        let element = self.element_name(top);
                        let at = self.frames[top].pos;
                        self.report(at, xpath, "text-in-empty", Detail::TextInEmpty { element });
                    }
                }
            }
        }
        Ok(())
    }

    fn reference(&mut self, r: &BytesRef<'_>, pos: Position) -> Result<(), ValidateError> {
        let name: &str = r;
        let mut buf = [0u8; 4];
        let text: &str = match resolve_reference(name) {
            Ok(c) => c.encode_utf8(&mut buf),
            Err(RefError::Unknown(name)) => {
                return Err(ValidateError::Entity { line: pos.line, column: pos.column, name });
            }
            Err(RefError::Bad(message)) => return Err(not_well_formed(pos, message)),
        };
        self.text(text, pos, TextKind::Reference)
    }

    // -----------------------------------------------------------------------------------------
    // End tags

    fn end(&mut self) -> Result<(), ValidateError> {
        let Some(top) = self.depth.checked_sub(1) else { return Ok(()) };
        if let Mode::Validate { ty, .. } = self.frames[top].mode {
            let f = &self.frames[top];
            match self.schema.ty(ty).content {
                Content::Elements { .. } => {
                    let state = f.state;
                    if !f.broken && !self.schema.state(state).accepting && !self.full() {
                        let xpath = self.xpath(top, None);
                        let detail =
                            Detail::MissingElement { parent: self.element_name(top), expected: self.expected(state) };
                        let at = self.frames[top].pos;
                        self.report(at, xpath, "missing-element", detail);
                    }
                }
                Content::Simple(st) => {
                    if f.needs_value && !f.reported {
                        let text = std::mem::take(&mut self.text);
                        match simple_verdict(self.schema, st, &text, &mut self.ids) {
                            Verdict::Valid => {}
                            Verdict::Invalid | Verdict::DuplicateId => {
                                if !self.full() {
                                    let xpath = self.xpath(top, None);
                                    let detail = Detail::InvalidValue {
                                        element: self.element_name(top),
                                        attribute: None,
                                        value: quote(&text),
                                        expected: value_type(self.schema, st),
                                    };
                                    let at = self.frames[top].pos;
                                    self.report(at, xpath, "invalid-value", detail);
                                }
                            }
                        }
                        self.text = text;
                        self.text.clear();
                    }
                }
                Content::Empty => {}
            }
        }
        let f = &self.frames[top];
        let (bindings, arena) = f.ns_mark;
        self.bindings.truncate(bindings);
        self.ns_arena.truncate(arena);
        self.path.truncate(f.name.0);
        self.depth = top;
        if top == 0 {
            self.root_done = true;
        }
        Ok(())
    }

    fn finish(mut self, pos: Position) -> Result<Vec<SchemaProblem>, ValidateError> {
        if self.depth > 0 {
            let name = self.element_name(self.depth - 1);
            return Err(not_well_formed(pos, format!("the file ends before </{name}>")));
        }
        if !self.seen_root {
            return Err(not_well_formed(pos, "the file has no root element".into()));
        }
        if self.omitted > 0 {
            let omitted = self.omitted;
            self.report(pos, String::new(), "too-many-problems", Detail::TooManyProblems { omitted });
        }
        Ok(self.problems)
    }
}

fn attr_value<'c>(values: &'c str, a: &Attr, content: &'c str) -> &'c str {
    if a.normalized { &values[a.value.0..a.value.1] } else { &content[a.value.0..a.value.1] }
}

/// Whether the text of a simple type must be kept to be checked (plain strings need not).
fn needs_value(schema: &Schema, st: SimpleId) -> bool {
    use super::schema::Builtin;
    match &schema.simple(st).variety {
        Variety::Atomic { builtin, facets } => {
            let unchecked = matches!(
                builtin,
                Builtin::String | Builtin::AnySimpleType | Builtin::NormalizedString | Builtin::Token
            );
            !unchecked
                || !facets.enumeration.is_empty()
                || facets.length.is_some()
                || facets.min_length.is_some()
                || facets.max_length.is_some()
        }
        Variety::Union(_) => true,
    }
}

fn simple_verdict(schema: &Schema, st: SimpleId, value: &str, ids: &mut HashSet<String>) -> Verdict {
    use super::schema::Builtin;
    match &schema.simple(st).variety {
        Variety::Atomic { builtin, facets } => {
            if !lexical::is_valid(*builtin, value) {
                return Verdict::Invalid;
            }
            if !facets.enumeration.is_empty()
                || facets.length.is_some()
                || facets.min_length.is_some()
                || facets.max_length.is_some()
            {
                let normal = lexical::normalize(*builtin, value);
                if !facets.enumeration.is_empty()
                    && !facets.enumeration.iter().any(|e| lexical::normalize(*builtin, e) == normal)
                {
                    return Verdict::Invalid;
                }
                let len = normal.chars().count() as u32;
                if facets.length.is_some_and(|n| len != n)
                    || facets.min_length.is_some_and(|n| len < n)
                    || facets.max_length.is_some_and(|n| len > n)
                {
                    return Verdict::Invalid;
                }
            }
            // Compared as written: libxml2 registers `xml:id` values unnormalised, so " a "
            // and "a" are two different identifiers for it.
            if *builtin == Builtin::Id && !ids.insert(value.to_owned()) {
                return Verdict::DuplicateId;
            }
            Verdict::Valid
        }
        Variety::Union(members) => {
            if members.iter().any(|m| matches!(simple_verdict(schema, *m, value, ids), Verdict::Valid)) {
                Verdict::Valid
            } else {
                Verdict::Invalid
            }
        }
    }
}

/// Whether two values of a simple type are the same (for `fixed`).
fn same_value(schema: &Schema, st: SimpleId, a: &str, b: &str) -> bool {
    match &schema.simple(st).variety {
        Variety::Atomic { builtin, .. } => lexical::normalize(*builtin, a) == lexical::normalize(*builtin, b),
        Variety::Union(_) => lexical::collapse(a) == lexical::collapse(b),
    }
}

fn value_type(schema: &Schema, st: SimpleId) -> ValueType {
    let simple = schema.simple(st);
    let mut name = simple.name;
    let options = match &simple.variety {
        Variety::Atomic { facets, .. } => facets.enumeration.iter().map(|s| (*s).to_owned()).collect(),
        Variety::Union(_) => Vec::new(),
    };
    if name.is_empty()
        && let Variety::Atomic { builtin, .. } = &simple.variety
    {
        name = builtin_name(*builtin);
    }
    ValueType { name, options }
}

fn builtin_name(b: super::schema::Builtin) -> &'static str {
    use super::schema::Builtin::*;
    match b {
        AnySimpleType => "xs:anySimpleType",
        String => "xs:string",
        NormalizedString => "xs:normalizedString",
        Token => "xs:token",
        Language => "xs:language",
        NmToken => "xs:NMTOKEN",
        Name => "xs:Name",
        NcName => "xs:NCName",
        Id => "xs:ID",
        Decimal => "xs:decimal",
        Integer => "xs:integer",
        Long => "xs:long",
        Int => "xs:int",
        NonNegativeInteger => "xs:nonNegativeInteger",
        PositiveInteger => "xs:positiveInteger",
        Boolean => "xs:boolean",
        Date => "xs:date",
        DateTime => "xs:dateTime",
        AnyUri => "xs:anyURI",
    }
}

/// A value as quoted in a message: shortened if long.
fn quote(value: &str) -> String {
    if value.chars().count() <= QUOTE_MAX {
        return value.to_owned();
    }
    let mut s: String = value.chars().take(QUOTE_MAX).collect();
    s.push('…');
    s
}

/// Where an attribute starts: the tag's `<` is at `pos`, the tag's text follows it.
fn attribute_position(pos: Position, content: &str, offset: usize) -> Position {
    let before = &content[..offset];
    match before.rfind('\n') {
        Some(i) => Position {
            line: pos.line + before.bytes().filter(|&b| b == b'\n').count() as u64,
            column: before[i + 1..].chars().count() as u64 + 1,
        },
        None => Position { line: pos.line, column: pos.column + 1 + before.chars().count() as u64 },
    }
}

/// A well-formedness error in the attributes of a tag, placed where quick-xml found it.
fn attribute_syntax_error(
    err: &quick_xml::events::attributes::AttrError,
    content: &str,
    pos: Position,
) -> ValidateError {
    use quick_xml::events::attributes::AttrError;
    let (offset, message) = match err {
        AttrError::ExpectedEq(at) => (*at, "an attribute name must be followed by `=`".to_owned()),
        AttrError::ExpectedValue(at) => (*at, "`=` must be followed by a quoted value".to_owned()),
        AttrError::UnquotedValue(at) => (*at, "attribute values must be in quotes".to_owned()),
        AttrError::ExpectedQuote(at, quote) => {
            (*at, format!("the attribute value lacks its closing {}", char::from(*quote)))
        }
        AttrError::Duplicated(at, _) => {
            let rest = content.get(*at..).unwrap_or("");
            let name = rest.split(|c: char| c == '=' || c.is_ascii_whitespace()).next().unwrap_or(rest);
            (*at, format!("the attribute `{name}` is repeated"))
        }
    };
    let mut offset = offset.min(content.len());
    while !content.is_char_boundary(offset) {
        offset -= 1;
    }
    not_well_formed(attribute_position(pos, content, offset), message)
}

/// A name with at most one colon, not at either end, made of XML name characters.
fn is_qname(name: &str) -> bool {
    if !is_name(name) {
        return false;
    }
    match name.split_once(':') {
        None => true,
        Some((prefix, local)) => !prefix.is_empty() && !local.is_empty() && !local.contains(':'),
    }
}

/// Attribute-value normalisation: references expanded, tabs and line ends made spaces.
fn normalize_attribute(raw: &str, out: &mut String) -> Result<(), RefError> {
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\t', '\n', '\r']) {
        out.push_str(&rest[..i]);
        let c = rest.as_bytes()[i];
        rest = &rest[i + 1..];
        match c {
            b'&' => {
                let Some(end) = rest.find(';') else {
                    return Err(RefError::Bad("a `&` that does not start a reference".into()));
                };
                out.push(resolve_reference(&rest[..end])?);
                rest = &rest[end + 1..];
            }
            b'\r' => {
                out.push(' ');
                rest = rest.strip_prefix('\n').unwrap_or(rest);
            }
            _ => out.push(' '),
        }
    }
    out.push_str(rest);
    Ok(())
}
