//! Validation of IATI activity and organisation files against the official 2.03 XML schema,
//! without any system library.
//!
//! `cargo xtask iati-schema` compiles the XSDs into static tables (`schema_generated.rs`):
//! every complex type with its attribute uses and wildcards, every content model as a
//! deterministic automaton, every simple type with its built-in base and facets. The
//! validator streams the file with quick-xml and keeps, per open element, one automaton
//! state, so memory is bounded by the nesting depth and the longest single value, not by the
//! file.
//!
//! The verdict is meant to equal `xmllint --schema` (libxml2) on every file: the same
//! elements in the same order, the same required and unknown attributes, attributes and
//! elements of other namespaces where the schema has `xs:anyAttribute`/`xs:any`, the same
//! lexical rules for every built-in type — including libxml2's own, such as surrounding
//! whitespace being allowed in `xs:decimal` but not in `xs:int` or `xs:date`. A file whose
//! root is `<iati-organisations>` is checked against the organisations schema, any other
//! against the activities schema.
//!
//! Hostile input is refused rather than processed: a DTD (`<!DOCTYPE`) stops the file, no
//! entity but the five predefined ones and character references is expanded, nesting depth
//! and the size of any run of text or attribute are bounded.

mod chars;
mod engine;
mod lexical;
mod messages;
mod position;
mod schema;
mod schema_generated;
#[cfg(test)]
mod tests;
mod uri;

use std::io::Read;

pub(crate) use chars::{RefError, invalid_xml_char, resolve_reference};
pub(crate) use lexical::is_language;

/// Whether `value` is an `xs:anyURI` as the validator (and xmllint) accept it: what the
/// reader may keep as a URL that the writer writes back.
pub(crate) fn is_any_uri(value: &str) -> bool {
    lexical::is_valid(schema::Builtin::AnyUri, value)
}

use coopera_domain::Lang;

use crate::input::{DEFAULT_MAX_DECOMPRESSED, InputError};

/// One way the file breaks the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaProblem {
    /// Where the element (or attribute) starts, from 1.
    pub line: u64,
    /// Column in characters, from 1.
    pub column: u64,
    /// Where in the document: `/iati-activities/iati-activity[3]/sector[2]/@percentage`.
    pub xpath: String,
    /// A stable machine-readable code: `unexpected-element`, `missing-attribute`…
    pub code: &'static str,
    /// What was found and what was expected.
    pub detail: Detail,
}

/// The facts behind a [`SchemaProblem`]; element and attribute names as written in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Detail {
    /// The root element is not one the schema declares.
    UnknownRoot {
        element: String,
    },
    /// An element where the content model does not allow it; `allowed_elsewhere` if the parent
    /// does allow it at another place (wrong order, or one too many).
    UnexpectedElement {
        element: String,
        parent: String,
        expected: Expected,
        allowed_elsewhere: bool,
    },
    /// The element ended before a required child.
    MissingElement {
        parent: String,
        expected: Expected,
    },
    /// An element or attribute name whose prefix no `xmlns:` declaration binds, where the
    /// schema has no room for a name without a namespace.
    UndeclaredPrefix {
        name: String,
        prefix: String,
    },
    /// A child element in an element that holds text only.
    ElementInText {
        element: String,
        parent: String,
    },
    /// A child element in an element that must be empty.
    ElementInEmpty {
        element: String,
        parent: String,
    },
    /// Text (other than whitespace) in an element that holds child elements only.
    TextNotAllowed {
        element: String,
    },
    /// Any text, even whitespace, in an element that must be empty.
    TextInEmpty {
        element: String,
    },
    /// An element matched by a strict wildcard that the schema does not declare.
    UndeclaredElement {
        element: String,
    },
    /// A value (attribute or text) that its type does not allow.
    InvalidValue {
        element: String,
        attribute: Option<String>,
        value: String,
        expected: ValueType,
    },
    /// An attribute whose value the schema fixes.
    FixedValue {
        element: String,
        attribute: String,
        value: String,
        fixed: String,
    },
    MissingAttribute {
        element: String,
        attribute: String,
    },
    AttributeNotAllowed {
        element: String,
        attribute: String,
    },
    /// An attribute matched by a strict wildcard that the schema does not declare.
    UndeclaredAttribute {
        element: String,
        attribute: String,
    },
    /// An `xsi:type` that names no type, or one the declared type does not allow.
    BadXsiType {
        element: String,
        value: String,
        reason: XsiTypeProblem,
    },
    /// `xsi:nil` on an element the schema does not declare nillable.
    NotNillable {
        element: String,
    },
    /// An `xml:id` value used twice.
    DuplicateId {
        element: String,
        value: String,
    },
    /// The validator stopped collecting problems; the file has this many more.
    TooManyProblems {
        omitted: u64,
    },
}

/// The elements the content model allowed at that point.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Expected {
    /// Element names, in the schema's namespace.
    pub elements: Vec<String>,
    /// Whether elements of other namespaces (extensions) were allowed too.
    pub other_namespaces: bool,
}

/// The type a value should have had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueType {
    /// `xs:decimal`, `xs:date`, `xml:lang`… (empty for an unnamed type).
    pub name: &'static str,
    /// The allowed values, when the type lists them.
    pub options: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XsiTypeProblem {
    /// The prefix of the type name is not declared.
    UnboundPrefix,
    /// No type of that name exists.
    Unknown,
    /// The named type does not derive from the element's declared type.
    NotDerived,
}

impl SchemaProblem {
    /// What is wrong and how to fix it, in one or two sentences.
    pub fn message(&self, lang: Lang) -> String {
        messages::render(&self.detail, lang)
    }
}

/// Why a file could not be validated at all.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    #[error("line {line}, column {column}: not well-formed XML: {message}")]
    NotWellFormed { line: u64, column: u64, message: String },
    #[error("line {line}, column {column}: the file declares a DTD (<!DOCTYPE>); DTDs are refused for safety")]
    Dtd { line: u64, column: u64 },
    #[error(
        "line {line}, column {column}: unknown entity `&{name};`; only &lt; &gt; &amp; &apos; &quot; and character references are allowed"
    )]
    Entity { line: u64, column: u64, name: String },
    #[error("line {line}, column {column}: elements nested deeper than {limit} levels")]
    TooDeep { line: u64, column: u64, limit: usize },
    #[error("line {line}, column {column}: more than {limit} bytes of text or attribute value without markup")]
    TooLarge { line: u64, column: u64, limit: u64 },
    /// The bytes do not make UTF-8 XML ([`crate::input`]): the reader refuses them alike.
    #[error("line {line}, column {column}: {error}")]
    Input { line: u64, column: u64, error: InputError },
    #[error("reading the file: {0}")]
    Io(#[from] std::io::Error),
}

impl ValidateError {
    /// The error in Spanish or English.
    pub fn message(&self, lang: Lang) -> String {
        messages::render_error(self, lang)
    }
}

/// Limits that keep hostile or broken input from exhausting memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Deepest element nesting; like libxml2 by default, a 258th nested element is refused.
    pub max_depth: usize,
    /// Longest run of bytes without `<` or `>`: bounds a single text or attribute value.
    pub max_token: u64,
    /// Problems collected before the rest are only counted.
    pub max_problems: usize,
    /// Largest decompressed size of a gzip file, in bytes (the reader's default, 2 GiB).
    pub max_decompressed: u64,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { max_depth: 257, max_token: 10_000_000, max_problems: 1000, max_decompressed: DEFAULT_MAX_DECOMPRESSED }
    }
}

/// Validates an IATI file against the 2.03 schema. `Ok` with no problems means valid. The
/// bytes are read as the reader reads them ([`crate::input`]): plain or gzip, in any encoding
/// it reads.
pub fn validate_schema(reader: impl Read) -> Result<Vec<SchemaProblem>, ValidateError> {
    validate_schema_with(reader, Limits::default())
}

/// [`validate_schema`] with explicit limits.
pub fn validate_schema_with(reader: impl Read, limits: Limits) -> Result<Vec<SchemaProblem>, ValidateError> {
    engine::run(reader, limits)
}
