//! The shape of the schema tables that `cargo xtask iati-schema` generates from the official
//! XSDs into `schema_generated.rs`: types, content models compiled to deterministic automata,
//! attribute uses, simple types with their facets, and the global declarations that lax
//! wildcards look up. Everything is static data; the validator never builds a schema at run
//! time.
//!
//! Namespace names are plain strings; `""` is the absent namespace (IATI elements have none).

/// Index of a [`TypeDef`] in [`Schema::types`].
pub type TypeId = u16;
/// Index of a [`State`] in [`Schema::states`].
pub type StateId = u16;
/// Index of a [`SimpleType`] in [`Schema::simple_types`].
pub type SimpleId = u16;

/// The namespace of `xml:lang` and friends, always bound to the `xml` prefix.
pub const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";
/// The namespace of `xsi:type`, `xsi:nil` and the schema location hints.
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// One compiled schema (activities or organisations).
#[derive(Debug)]
pub struct Schema {
    pub types: &'static [TypeDef],
    pub states: &'static [State],
    pub simple_types: &'static [SimpleType],
    /// Global element declarations, sorted by (namespace, name): the possible roots, and what
    /// a lax wildcard validates an element against when it finds one.
    pub elements: &'static [GlobalDecl],
    /// Global attribute declarations (`ty` is a [`SimpleId`]), sorted by (namespace, name).
    pub attributes: &'static [GlobalDecl],
    /// Named type definitions that `xsi:type` may name (`ty` is a [`TypeId`]), sorted by
    /// (namespace, name); includes the built-in types the validator knows.
    pub named_types: &'static [GlobalDecl],
    /// `xs:anyType`: what an element matched by a lax wildcard is validated against when no
    /// global declaration exists for it.
    pub any_type: TypeId,
}

/// A global declaration or named type, looked up by expanded name.
#[derive(Debug, Clone, Copy)]
pub struct GlobalDecl {
    pub ns: &'static str,
    pub name: &'static str,
    /// A [`TypeId`] for elements and named types, a [`SimpleId`] for attributes.
    pub ty: u16,
}

/// A complex type, or a simple type used as the type of an element.
#[derive(Debug)]
pub struct TypeDef {
    /// The type this one derives from (for `xsi:type`); `None` only for `xs:anyType`.
    pub base: Option<TypeId>,
    pub attributes: &'static [AttributeUse],
    pub any_attribute: Option<Wildcard>,
    pub content: Content,
}

/// What may appear between an element's tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Content {
    /// Nothing at all, not even whitespace.
    #[allow(dead_code)] // the IATI schemas have no empty content
    Empty,
    /// Text only, checked against a simple type; no child elements.
    Simple(SimpleId),
    /// Child elements as the automaton starting at `start` allows; text only if `mixed`,
    /// otherwise whitespace only.
    Elements { start: StateId, mixed: bool },
}

/// A state of a content model's deterministic automaton.
#[derive(Debug)]
pub struct State {
    /// Whether the element may end here (every required child has been seen).
    pub accepting: bool,
    /// Named children allowed next, in the order the schema declares them.
    pub elements: &'static [ElementEdge],
    /// Wildcards allowed next, tried after `elements`.
    pub wildcards: &'static [WildcardEdge],
}

#[derive(Debug)]
pub struct ElementEdge {
    pub name: &'static str,
    pub ns: &'static str,
    /// [`name_hash`] of `name`, so that most candidates are ruled out by one comparison.
    pub hash: u32,
    /// The type the child is validated against.
    pub ty: TypeId,
    pub next: StateId,
}

impl ElementEdge {
    pub const fn new(name: &'static str, ns: &'static str, ty: TypeId, next: StateId) -> ElementEdge {
        ElementEdge { name, ns, hash: name_hash(name), ty, next }
    }
}

#[derive(Debug)]
pub struct WildcardEdge {
    pub wildcard: Wildcard,
    pub next: StateId,
}

/// `xs:any` or `xs:anyAttribute`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wildcard {
    pub namespaces: Namespaces,
    pub process: Process,
}

/// The namespace constraint of a wildcard (`##other` with no target namespace is
/// `Not(&[""])`: any namespace except the absent one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Namespaces {
    Any,
    Not(&'static [&'static str]),
    #[allow(dead_code)] // the IATI schemas only use ##other
    OneOf(&'static [&'static str]),
}

/// `processContents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Process {
    #[allow(dead_code)] // the IATI schemas only use lax
    Strict,
    Lax,
    Skip,
}

#[derive(Debug)]
pub struct AttributeUse {
    pub name: &'static str,
    pub ns: &'static str,
    /// [`name_hash`] of `name`.
    pub hash: u32,
    pub ty: SimpleId,
    pub required: bool,
    pub fixed: Option<&'static str>,
}

impl AttributeUse {
    pub const fn new(name: &'static str, ns: &'static str, ty: SimpleId, required: bool) -> AttributeUse {
        AttributeUse { name, ns, hash: name_hash(name), ty, required, fixed: None }
    }

    #[allow(dead_code)] // the IATI schemas fix no attribute value
    pub const fn fixed(self, value: &'static str) -> AttributeUse {
        AttributeUse { fixed: Some(value), ..self }
    }
}

/// String equality for the short names of the tables, without a call to `memcmp`, which
/// profiling showed dominating the per-element cost.
#[inline]
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// FNV-1a of a name: computed for the tables at compile time and once per name read.
pub const fn name_hash(name: &str) -> u32 {
    let bytes = name.as_bytes();
    let mut hash: u32 = 0x811c_9dc5;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        i += 1;
    }
    hash
}

#[derive(Debug)]
pub struct SimpleType {
    /// `xs:decimal`, `xml:lang`…; empty for an anonymous type.
    pub name: &'static str,
    pub variety: Variety,
}

#[derive(Debug)]
pub enum Variety {
    Atomic {
        builtin: Builtin,
        facets: Facets,
    },
    /// Valid if valid for any member, tried in order.
    Union(&'static [SimpleId]),
}

/// Constraining facets of an atomic type. Lengths count characters after whitespace
/// normalisation; enumeration values are compared after it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facets {
    pub enumeration: &'static [&'static str],
    pub length: Option<u32>,
    pub min_length: Option<u32>,
    pub max_length: Option<u32>,
}

/// The built-in XSD types the validator checks lexically.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    AnySimpleType,
    String,
    NormalizedString,
    Token,
    Language,
    NmToken,
    Name,
    NcName,
    Id,
    Decimal,
    Integer,
    Long,
    Int,
    NonNegativeInteger,
    PositiveInteger,
    Boolean,
    Date,
    DateTime,
    AnyUri,
}

impl Namespaces {
    /// Whether a namespace (`""` = absent) is allowed.
    pub fn allows(self, ns: &str) -> bool {
        match self {
            Namespaces::Any => true,
            Namespaces::Not(list) => !list.contains(&ns),
            Namespaces::OneOf(list) => list.contains(&ns),
        }
    }
}

impl Schema {
    pub fn ty(&self, id: TypeId) -> &'static TypeDef {
        &self.types[usize::from(id)]
    }

    pub fn state(&self, id: StateId) -> &'static State {
        &self.states[usize::from(id)]
    }

    pub fn simple(&self, id: SimpleId) -> &'static SimpleType {
        &self.simple_types[usize::from(id)]
    }

    /// The global element declared with this expanded name.
    pub fn element(&self, ns: &str, name: &str) -> Option<TypeId> {
        find(self.elements, ns, name)
    }

    /// The type of the global attribute declared with this expanded name.
    pub fn attribute(&self, ns: &str, name: &str) -> Option<SimpleId> {
        find(self.attributes, ns, name)
    }

    /// The named type `xsi:type` refers to.
    pub fn named_type(&self, ns: &str, name: &str) -> Option<TypeId> {
        find(self.named_types, ns, name)
    }

    /// Whether `ty` is `ancestor` or derives from it.
    pub fn derives_from(&self, mut ty: TypeId, ancestor: TypeId) -> bool {
        loop {
            if ty == ancestor {
                return true;
            }
            match self.ty(ty).base {
                Some(base) if base != ty => ty = base,
                _ => return false,
            }
        }
    }
}

impl State {
    /// The edge for a named child (`hash` is [`name_hash`] of `name`), if the content model
    /// allows it here.
    pub fn element(&self, ns: &str, name: &str, hash: u32) -> Option<&'static ElementEdge> {
        let elements: &'static [ElementEdge] = self.elements;
        elements.iter().find(|e| e.hash == hash && same(e.name, name) && same(e.ns, ns))
    }

    /// The wildcard edge that admits a child in namespace `ns`.
    pub fn wildcard(&self, ns: &str) -> Option<&'static WildcardEdge> {
        let wildcards: &'static [WildcardEdge] = self.wildcards;
        wildcards.iter().find(|w| w.wildcard.namespaces.allows(ns))
    }
}

/// The tables hold a few dozen declarations: a linear scan with cheap comparisons beats a
/// binary search through `memcmp`.
fn find(decls: &[GlobalDecl], ns: &str, name: &str) -> Option<u16> {
    decls.iter().find(|d| same(d.name, name) && same(d.ns, ns)).map(|d| d.ty)
}
