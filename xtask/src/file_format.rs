//! `cargo xtask file-format`: writes the reference of the files users write —
//! `docs/file-format.md` (English) and `docs/formato-de-archivos.md` (Spanish) — from the
//! document types in `crates/coopera-domain/src/doc.rs`.
//!
//! The inputs are read as text, so that the xtask does not depend on the crates it documents:
//! - `doc.rs`: the structs, their fields (Rust type, serde attributes) and doc comments;
//! - `kinds.rs`: Coopera's own classifications (each `labelled_enum!`: list name and codes);
//! - `codelists/generated.rs`: the codes of the IATI and INEGI lists;
//! - `crates/coopera-demo/data/*.toml`: one example of each kind of record.
//!
//! Every field of every struct in `doc.rs` has a doc comment of two or three paragraphs: the
//! description in English; the description in Spanish, beginning `es:`; optionally, tags, one
//! per line, that say what the types cannot:
//! - `codes: List[, List…]`: the value is a code of these lists (`coopera codelist` names);
//! - `values: a, b, c`: the value is one of these literal values;
//! - `format: date|key|identifier|org|activity`: what a text value must be;
//! - `default: VALUE`: the value when the field is left out;
//! - `required: yes`: the record needs the field although serde would accept it missing;
//! - `min: N`: a list needs at least N items (and so is required);
//! - `without: field[, field…]`: fields of the nested table that do not apply here;
//! - `FIELD.TAG: VALUE`: a tag for the field FIELD of the nested table, here only.
//!
//! Whether a field is required and its default otherwise come from serde's attributes. The
//! struct of each kind of record, and `DatasetDoc`, also have a doc comment in English and
//! Spanish, which introduces its section. The generator stops, naming the field, when a
//! description is missing, a tag is unknown or names a list that does not exist, or a type is
//! one it does not know.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};

use crate::generate::write_or_check;

const DOC_RS: &str = "crates/coopera-domain/src/doc.rs";
const KINDS_RS: &str = "crates/coopera-domain/src/kinds.rs";
const CODELISTS_RS: &str = "crates/coopera-domain/src/codelists/generated.rs";
const DEMO_DATA: &str = "crates/coopera-demo/data";

/// The pages written: (language, path from the workspace root).
const PAGES: [(Lang, &str); 2] = [(Lang::En, "docs/file-format.md"), (Lang::Es, "docs/formato-de-archivos.md")];

/// The struct of a dataset file, whose list fields are the kinds of record.
const DATASET: &str = "DatasetDoc";

/// The kinds of record, by their name in a dataset: (name, English title, Spanish title,
/// key of the demo record shown as an example).
const RECORDS: &[(&str, &str, &str, &str)] = &[
    ("organisation", "Organisation", "Organización", "chiapas-sriam"),
    ("activity", "Activity", "Actividad", "MX-AMEXCID-2012-0004"),
    ("capacity", "Capacity", "Capacidad", "cap-pago-servicios-ambientales"),
    ("demand", "Demand", "Solicitud", "sol-sv-evaluacion"),
    ("action", "International action", "Acción internacional", "chis-mision-quetzaltenango"),
    ("agreement", "Agreement", "Acuerdo interinstitucional", "acuerdo-bc-california"),
    ("membership", "Network membership", "Membresía en una red", "amaie-chiapas-sriam"),
    ("practice", "Good practice", "Buena práctica", "bp-chis-registro-trabajadores-fronterizos"),
];

/// Lists with at most this many codes have them written out in the tables.
const MAX_INLINE_CODES: usize = 16;

/// Writes both pages (or, with `check`, checks that the committed ones are up to date).
pub fn run(root: &Path, check: bool) -> Result<()> {
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).with_context(|| format!("reading {rel}"));
    let structs = parse_structs(&read(DOC_RS)?)?;
    let mut lists = parse_own_lists(&read(KINDS_RS)?)?;
    lists.extend(parse_generated_lists(&read(CODELISTS_RS)?)?);
    let model = Model::build(&structs, &lists)?;
    let examples = read_examples(&root.join(DEMO_DATA))?;
    for (lang, rel) in PAGES {
        let page = render(&model, &examples, lang)?;
        write_or_check(&root.join(rel), &page, check, "file-format", lang.pick("file format", "formato de archivos"))?;
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lang {
    En,
    Es,
}

impl Lang {
    fn pick<'a>(self, en: &'a str, es: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Es => es,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading doc.rs

/// A struct of `doc.rs`.
#[derive(Debug)]
struct Struct {
    name: String,
    line: usize,
    /// Its doc comment, as paragraphs.
    doc: Vec<String>,
    deny_unknown_fields: bool,
    fields: Vec<Field>,
}

/// A field of a struct, as written.
#[derive(Debug)]
struct Field {
    /// The name in files (after `rename`).
    name: String,
    line: usize,
    ty: Ty,
    serde: Serde,
    doc: FieldDoc,
}

/// A field's Rust type, as far as the file format is concerned.
#[derive(Debug, Clone, PartialEq)]
enum Ty {
    String,
    Text,
    Number,
    Bool,
    Integer,
    Struct(String),
    Option(Box<Ty>),
    Vec(Box<Ty>),
}

impl Ty {
    fn parse(s: &str, known: &dyn Fn(&str) -> bool) -> Option<Ty> {
        let s = s.trim();
        if let Some(inner) = s.strip_prefix("Option<").and_then(|r| r.strip_suffix('>')) {
            return Ty::parse(inner, known).map(|t| Ty::Option(Box::new(t)));
        }
        if let Some(inner) = s.strip_prefix("Vec<").and_then(|r| r.strip_suffix('>')) {
            return Ty::parse(inner, known).map(|t| Ty::Vec(Box::new(t)));
        }
        match s {
            "String" => Some(Ty::String),
            "TextDoc" => Some(Ty::Text),
            "NumberDoc" => Some(Ty::Number),
            "bool" => Some(Ty::Bool),
            "i32" | "i64" | "u8" | "u16" | "u32" => Some(Ty::Integer),
            name if known(name) => Some(Ty::Struct(name.to_owned())),
            _ => None,
        }
    }

    /// The type without `Option`.
    fn value(&self) -> &Ty {
        match self {
            Ty::Option(t) => t,
            t => t,
        }
    }

    /// The type of one item: without `Option` and `Vec`.
    fn item(&self) -> &Ty {
        match self.value() {
            Ty::Vec(t) => t.value(),
            t => t,
        }
    }

    fn is_list(&self) -> bool {
        matches!(self.value(), Ty::Vec(_))
    }
}

/// What a field's serde attributes say.
#[derive(Debug, Default)]
struct Serde {
    rename: Option<String>,
    /// `default` (`Some(None)`) or `default = "function"` (`Some(Some(function))`).
    default: Option<Option<String>>,
}

/// A field's doc comment: descriptions and tags.
#[derive(Debug, Default, Clone)]
struct FieldDoc {
    en: String,
    es: String,
    tags: Tags,
}

/// A field's tags (see the module's documentation).
#[derive(Debug, Default, Clone)]
struct Tags {
    codes: Vec<String>,
    values: Vec<String>,
    format: Option<Format>,
    default: Option<String>,
    required: bool,
    min: Option<usize>,
    without: Vec<String>,
    /// Tags for the fields of the nested table: (field, tag, value).
    nested: Vec<(String, String, String)>,
}

/// What a text value must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Date,
    Key,
    Identifier,
    Org,
    Activity,
}

impl Format {
    fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "date" => Format::Date,
            "key" => Format::Key,
            "identifier" => Format::Identifier,
            "org" => Format::Org,
            "activity" => Format::Activity,
            _ => return None,
        })
    }
}

impl Tags {
    /// Applies one tag; the error says what is wrong with it.
    fn apply(&mut self, name: &str, value: &str) -> Result<()> {
        let value = value.trim();
        let items = || value.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect::<Vec<_>>();
        match name {
            "codes" => self.codes = items(),
            "values" => self.values = items(),
            "format" => {
                self.format = Some(
                    Format::parse(value)
                        .with_context(|| format!("unknown format `{value}` (date, key, identifier, org, activity)"))?,
                )
            }
            "default" => self.default = Some(value.to_owned()),
            "required" => {
                ensure!(value == "yes", "`required` takes `yes`, not `{value}`");
                self.required = true;
            }
            "min" => self.min = Some(value.parse().with_context(|| format!("`min` takes a number, not `{value}`"))?),
            "without" => self.without = items(),
            other => match other.split_once('.') {
                Some((field, tag)) => self.nested.push((field.to_owned(), tag.to_owned(), value.to_owned())),
                None => bail!("unknown tag `{other}`"),
            },
        }
        Ok(())
    }
}

/// Reads every struct of `doc.rs` (up to its tests).
fn parse_structs(source: &str) -> Result<Vec<Struct>> {
    let lines: Vec<&str> = source.lines().collect();
    let mut structs: Vec<Struct> = Vec::new();
    let mut docs: Vec<(usize, String)> = Vec::new();
    let mut attrs: Vec<String> = Vec::new();
    let mut current: Option<Struct> = None;
    let mut raw: Vec<Vec<RawField>> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let number = i + 1;
        let line = lines[i].trim();
        i += 1;
        if line.starts_with("#[cfg(test)]") {
            break;
        }
        if let Some(doc) = line.strip_prefix("///") {
            docs.push((number, doc.strip_prefix(' ').unwrap_or(doc).to_owned()));
            continue;
        }
        if line.starts_with("#[") {
            // An attribute may span lines: read until its brackets close.
            let mut attr = line.to_owned();
            while depth(&attr) > 0 && i < lines.len() {
                attr.push(' ');
                attr.push_str(lines[i].trim());
                i += 1;
            }
            attrs.push(attr);
            continue;
        }
        if line.starts_with("pub struct ") && !attrs.iter().any(|a| a.contains("Deserialize")) {
            // Not a document type (nothing a file holds): skip to the end of its body.
            while i < lines.len() && lines[i].trim() != "}" {
                i += 1;
            }
            i += 1;
            docs.clear();
            attrs.clear();
            continue;
        }
        if let Some(rest) = line.strip_prefix("pub struct ") {
            ensure!(current.is_none(), "doc.rs:{number}: a struct inside a struct");
            let Some(name) = rest.strip_suffix(" {") else {
                bail!("doc.rs:{number}: `{line}`: the generator reads structs with named fields only")
            };
            let deny_unknown_fields = attrs.iter().any(|a| a.contains("deny_unknown_fields"));
            raw.push(Vec::new());
            current = Some(Struct {
                name: name.trim().to_owned(),
                line: number,
                doc: paragraphs(&docs),
                deny_unknown_fields,
                fields: Vec::new(),
            });
            docs.clear();
            attrs.clear();
            continue;
        }
        if current.is_some() {
            if line == "}" {
                structs.push(current.take().context("a struct is open")?);
            } else if let Some(rest) = line.strip_prefix("pub ") {
                let (name, ty) = rest
                    .strip_suffix(',')
                    .and_then(|r| r.split_once(": "))
                    .with_context(|| format!("doc.rs:{number}: cannot read the field `{line}`"))?;
                let docs = docs.iter().map(|(_, l)| l.as_str()).collect::<Vec<_>>().join("\n");
                let field =
                    RawField { line: number, name: name.to_owned(), ty: ty.to_owned(), docs, attrs: attrs.join("\n") };
                raw.last_mut().context("a struct is open")?.push(field);
            } else if !line.is_empty() && !line.starts_with("//") {
                bail!("doc.rs:{number}: cannot read `{line}` inside a struct");
            }
            docs.clear();
            attrs.clear();
            continue;
        }
        if !line.is_empty() {
            docs.clear();
            attrs.clear();
        }
    }
    ensure!(current.is_none(), "doc.rs: a struct is not closed");
    // Now that every struct is known, read the fields' types and documentation.
    let names: Vec<String> = structs.iter().map(|s| s.name.clone()).collect();
    let known = |n: &str| names.iter().any(|k| k == n);
    for (s, fields) in structs.iter_mut().zip(raw) {
        s.fields = fields.into_iter().map(|f| f.read(&s.name, &known)).collect::<Result<_>>()?;
    }
    Ok(structs)
}

/// How many brackets of `s` are open, outside string literals.
fn depth(s: &str) -> i32 {
    let (mut d, mut in_str, mut escaped) = (0, false, false);
    for c in s.chars() {
        match (in_str, c) {
            (true, _) if escaped => escaped = false,
            (true, '\\') => escaped = true,
            (true, '"') => in_str = false,
            (false, '"') => in_str = true,
            (false, '[') => d += 1,
            (false, ']') => d -= 1,
            _ => {}
        }
    }
    d
}

/// Doc-comment lines joined into paragraphs (a blank line separates them).
fn paragraphs(lines: &[(usize, String)]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for (_, l) in lines {
        let l = l.trim();
        if l.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(l);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// A field as written, read into a [`Field`] once every struct's name is known.
struct RawField {
    line: usize,
    name: String,
    ty: String,
    docs: String,
    attrs: String,
}

impl RawField {
    /// Reads the type, the serde attributes and the doc comment; the error names the field.
    fn read(self, owner: &str, known: &dyn Fn(&str) -> bool) -> Result<Field> {
        let at = format!("doc.rs:{}: field `{owner}.{}`", self.line, self.name);
        let ty = Ty::parse(&self.ty, known)
            .with_context(|| format!("{at}: the type `{}` is not one the file-format generator knows", self.ty))?;
        let serde = parse_serde(&self.attrs).with_context(|| at.clone())?;
        let doc = parse_field_doc(&self.docs).with_context(|| at.clone())?;
        let name = serde.rename.clone().unwrap_or(self.name);
        Ok(Field { name, line: self.line, ty, serde, doc })
    }
}

/// Reads the serde attributes of a field (`default`, `default = "f"`, `rename = "x"`,
/// `skip_serializing_if = "…"`); any other would change the format in ways the generator does
/// not describe, so it stops there.
fn parse_serde(attrs: &str) -> Result<Serde> {
    let mut serde = Serde::default();
    for attr in attrs.lines() {
        let Some(inner) = attr.strip_prefix("#[serde(").and_then(|a| a.strip_suffix(")]")) else { continue };
        for item in split_top(inner) {
            let (key, value) = match item.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim().trim_matches('"').to_owned())),
                None => (item.trim(), None),
            };
            match key {
                "default" => serde.default = Some(value),
                "rename" => serde.rename = value,
                "skip_serializing_if" => {}
                other => bail!("the serde attribute `{other}` is not one the file-format generator knows"),
            }
        }
    }
    Ok(serde)
}

/// Splits at commas outside string literals.
fn split_top(s: &str) -> Vec<String> {
    let (mut out, mut current, mut in_str) = (Vec::new(), String::new(), false);
    for c in s.chars() {
        match c {
            '"' => {
                in_str = !in_str;
                current.push(c);
            }
            ',' if !in_str => out.push(std::mem::take(&mut current)),
            c => current.push(c),
        }
    }
    out.push(current);
    out.into_iter().map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect()
}

/// Reads a field's doc comment: English, `es:` Spanish, then tags.
fn parse_field_doc(text: &str) -> Result<FieldDoc> {
    let lines: Vec<(usize, String)> = text.lines().map(|l| (0, l.to_owned())).collect();
    let mut paras = paragraphs(&lines).into_iter();
    let mut doc = FieldDoc::default();
    let en = paras.next().unwrap_or_default();
    ensure!(
        !en.is_empty() && !en.starts_with("es:"),
        "no description in English: give the field a doc comment for users, then `es:` and its Spanish version"
    );
    doc.en = en;
    let es = paras.next().unwrap_or_default();
    let Some(es) = es.strip_prefix("es:") else {
        bail!("no description in Spanish: add a paragraph beginning `es:` after the English one")
    };
    ensure!(!es.trim().is_empty(), "the Spanish description (`es:`) is empty");
    doc.es = es.trim().to_owned();
    // Tags keep their lines: read them from the text again.
    let tag_lines: Vec<&str> = text.lines().skip_while(|l| !l.trim_start().starts_with("es:")).collect();
    let mut after_es = false;
    for line in tag_lines.iter().skip(1) {
        let line = line.trim();
        if line.is_empty() {
            after_es = true;
            continue;
        }
        if !after_es {
            continue;
        }
        let (name, value) = line
            .split_once(':')
            .with_context(|| format!("`{line}`: after the descriptions, only tags `name: value`"))?;
        doc.tags.apply(name.trim(), value).with_context(|| format!("tag `{line}`"))?;
    }
    ensure!(paras.len() <= 1, "more paragraphs than English, Spanish (`es:`) and tags");
    Ok(doc)
}

// ---------------------------------------------------------------------------------------------
// Reading the codelists

/// A code with its names: (code, Spanish name, English name).
type Named = (String, String, String);

/// A codelist: its codes with Spanish and English names (withdrawn codes left out).
#[derive(Debug)]
struct List {
    /// One of Coopera's own classifications (codes are words), not an IATI or INEGI list.
    own: bool,
    codes: Vec<Named>,
}

/// Coopera's own classifications from `kinds.rs`: each `labelled_enum!` names its list
/// (`Level, "Level" {`) and its variants (`Federal = ("federal", "Federal", "Federal"),`).
fn parse_own_lists(source: &str) -> Result<BTreeMap<String, List>> {
    let mut lists = BTreeMap::new();
    let mut current: Option<(String, Vec<Named>)> = None;
    let mut in_macro = false;
    for (i, line) in source.lines().enumerate() {
        let line = line.trim();
        if line == "labelled_enum! {" {
            in_macro = true;
            continue;
        }
        if !in_macro {
            continue;
        }
        if let Some((name, codes)) = &mut current {
            if line == "}" {
                ensure!(!codes.is_empty(), "kinds.rs:{}: the list {name} has no codes", i + 1);
                lists.insert(name.clone(), List { own: true, codes: std::mem::take(codes) });
                current = None;
                in_macro = false;
            } else if let Some((_, rest)) = line.split_once(" = (") {
                let strings = string_literals(rest).with_context(|| format!("kinds.rs:{}", i + 1))?;
                let [code, es, en] = <[String; 3]>::try_from(strings)
                    .map_err(|_| anyhow::anyhow!("kinds.rs:{}: a variant is (code, Spanish, English)", i + 1))?;
                codes.push((code, es, en));
            }
        } else if let Some(header) = line.strip_suffix(" {")
            && let Some((_, list)) = header.split_once(", ")
        {
            let name = list.trim().trim_matches('"').to_owned();
            current = Some((name, Vec::new()));
        }
    }
    ensure!(!lists.is_empty(), "kinds.rs: no labelled_enum! lists found");
    Ok(lists)
}

/// The IATI and INEGI lists of `generated.rs`: `Codelist::new("Name", &IDENT_CODES)` names a
/// list, and `pub static IDENT_CODES: [Code; N] = [` starts its codes, one `c(…)` (active) or
/// `w(…)` (withdrawn) per line.
fn parse_generated_lists(source: &str) -> Result<BTreeMap<String, List>> {
    let mut idents = BTreeMap::new();
    let mut rest = source;
    while let Some(at) = rest.find("Codelist::new(\"") {
        rest = &rest[at + "Codelist::new(".len()..];
        let close = rest.find(')').context("generated.rs: Codelist::new( is not closed")?;
        let args = &rest[..close];
        let (name, ident) = args.split_once(", &").context("generated.rs: Codelist::new(name, &codes)")?;
        idents.insert(ident.trim().to_owned(), name.trim().trim_matches('"').to_owned());
    }
    let mut lists = BTreeMap::new();
    let mut current: Option<(String, Vec<Named>)> = None;
    for (i, line) in source.lines().enumerate() {
        let line = line.trim();
        if let Some((name, codes)) = &mut current {
            if line == "];" {
                lists.insert(std::mem::take(name), List { own: false, codes: std::mem::take(codes) });
                current = None;
            } else if let Some(args) = line.strip_prefix("c(") {
                let strings = string_literals(args).with_context(|| format!("generated.rs:{}", i + 1))?;
                ensure!(strings.len() == 4, "generated.rs:{}: a code is (code, Spanish, English, category)", i + 1);
                codes.push((strings[0].clone(), strings[1].clone(), strings[2].clone()));
            }
        } else if let Some(rest) = line.strip_prefix("pub static ")
            && let Some((ident, _)) = rest.split_once(": [Code;")
            && let Some(name) = idents.get(ident)
        {
            current = Some((name.clone(), Vec::new()));
        }
    }
    ensure!(lists.len() == idents.len(), "generated.rs: {} lists named, {} read", idents.len(), lists.len());
    Ok(lists)
}

/// The string literals of a line of Rust, unescaped.
fn string_literals(s: &str) -> Result<Vec<String>> {
    let mut out = Vec::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '"' {
            continue;
        }
        let mut lit = String::new();
        loop {
            match chars.next().context("a string literal is not closed")? {
                '"' => break,
                '\\' => match chars.next().context("a string literal is not closed")? {
                    'n' => lit.push('\n'),
                    't' => lit.push('\t'),
                    'r' => lit.push('\r'),
                    c => lit.push(c),
                },
                c => lit.push(c),
            }
        }
        out.push(lit);
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// The model: one table of rows per kind of record

/// A kind of record and the rows of its table.
#[derive(Debug)]
struct Record {
    name: String,
    title_en: String,
    title_es: String,
    example_key: String,
    intro: (String, String),
    rows: Vec<Row>,
}

/// One field as the reference shows it.
#[derive(Debug)]
struct Row {
    /// The path as problems name it, with `[]` for any item: `sectors[].percentage`.
    path: String,
    kind: Kind,
    list: bool,
    required: Required,
    allowed: Allowed,
    en: String,
    es: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Text,
    Multilingual,
    Number,
    Integer,
    Bool,
    Code,
    Date,
    Key,
    Identifier,
    Org,
    Activity,
    Table,
}

impl Kind {
    fn of(ty: &Ty, tags: &Tags) -> Kind {
        match ty.item() {
            Ty::String => match tags.format {
                Some(Format::Date) => Kind::Date,
                Some(Format::Key) => Kind::Key,
                Some(Format::Identifier) => Kind::Identifier,
                Some(Format::Org) => Kind::Org,
                Some(Format::Activity) => Kind::Activity,
                None if !tags.codes.is_empty() || !tags.values.is_empty() => Kind::Code,
                None => Kind::Text,
            },
            Ty::Text => Kind::Multilingual,
            Ty::Number => Kind::Number,
            Ty::Integer => Kind::Integer,
            Ty::Bool => Kind::Bool,
            Ty::Struct(_) => Kind::Table,
            Ty::Option(_) | Ty::Vec(_) => Kind::Text,
        }
    }

    /// (singular, plural) in `lang`.
    fn names(self, lang: Lang) -> (&'static str, &'static str) {
        match (self, lang) {
            (Kind::Text, Lang::En) => ("text", "texts"),
            (Kind::Text, Lang::Es) => ("texto", "textos"),
            (Kind::Multilingual, Lang::En) => ("multilingual text", "multilingual texts"),
            (Kind::Multilingual, Lang::Es) => ("texto multilingüe", "textos multilingües"),
            (Kind::Number, Lang::En) => ("number", "numbers"),
            (Kind::Number, Lang::Es) => ("número", "números"),
            (Kind::Integer, Lang::En) => ("whole number", "whole numbers"),
            (Kind::Integer, Lang::Es) => ("número entero", "números enteros"),
            (Kind::Bool, Lang::En) => ("yes/no", "yes/no values"),
            (Kind::Bool, Lang::Es) => ("sí/no", "valores sí/no"),
            (Kind::Code, Lang::En) => ("code", "codes"),
            (Kind::Code, Lang::Es) => ("código", "códigos"),
            (Kind::Date, Lang::En) => ("date", "dates"),
            (Kind::Date, Lang::Es) => ("fecha", "fechas"),
            (Kind::Key, Lang::En) => ("key", "keys"),
            (Kind::Key, Lang::Es) => ("clave", "claves"),
            (Kind::Identifier, Lang::En) => ("identifier", "identifiers"),
            (Kind::Identifier, Lang::Es) => ("identificador", "identificadores"),
            (Kind::Org, Lang::En) => ("organisation key", "organisation keys"),
            (Kind::Org, Lang::Es) => ("clave de organización", "claves de organización"),
            (Kind::Activity, Lang::En) => ("activity identifier", "activity identifiers"),
            (Kind::Activity, Lang::Es) => ("identificador de actividad", "identificadores de actividad"),
            (Kind::Table, Lang::En) => ("table", "tables"),
            (Kind::Table, Lang::Es) => ("tabla", "tablas"),
        }
    }

    fn label(self, list: bool, lang: Lang) -> String {
        let (one, many) = self.names(lang);
        if list { format!("{} {many}", lang.pick("list of", "lista de")) } else { one.to_owned() }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Required {
    Yes,
    AtLeast(usize),
    No,
    Default(String),
}

#[derive(Debug, Clone, PartialEq)]
enum Allowed {
    None,
    /// Codes of these lists.
    Lists(Vec<String>),
    /// These literal values.
    Values(Vec<String>),
    /// The records of a dataset section.
    Section(String),
}

struct Model<'a> {
    dataset: &'a Struct,
    dataset_rows: Vec<Row>,
    records: Vec<Record>,
    lists: &'a BTreeMap<String, List>,
}

impl<'a> Model<'a> {
    fn build(structs: &'a [Struct], lists: &'a BTreeMap<String, List>) -> Result<Model<'a>> {
        let by_name: BTreeMap<&str, &Struct> = structs.iter().map(|s| (s.name.as_str(), s)).collect();
        for s in structs {
            ensure!(
                s.deny_unknown_fields,
                "doc.rs:{}: `{}` accepts unknown fields, but the reference says every table refuses them",
                s.line,
                s.name
            );
        }
        // Every field of every struct is described, whether or not a record reaches it.
        for s in structs {
            for f in &s.fields {
                check_tags(f, lists, &by_name).with_context(|| field_at(s, f))?;
            }
        }
        let dataset = *by_name.get(DATASET).context("doc.rs: no DatasetDoc")?;
        let mut records = Vec::new();
        let mut dataset_rows = Vec::new();
        for field in &dataset.fields {
            let mut row = row_of(field, &field.name, &field.doc.tags)?;
            if let Ty::Struct(name) = field.ty.item() {
                let (_, en, es, key) = RECORDS.iter().find(|r| r.0 == field.name).with_context(|| {
                    format!("{}: a kind of record the generator has no title for", field_at(dataset, field))
                })?;
                let record = by_name.get(name.as_str()).context("a known struct")?;
                let intro = intro(record)?;
                let rows = rows(record, "", &Tags::default(), &by_name, lists)?;
                records.push(Record {
                    name: field.name.clone(),
                    title_en: (*en).to_owned(),
                    title_es: (*es).to_owned(),
                    example_key: (*key).to_owned(),
                    intro,
                    rows,
                });
                row.allowed = Allowed::Section(field.name.clone());
            }
            dataset_rows.push(row);
        }
        ensure!(records.len() == RECORDS.len(), "the generator names kinds of record that DatasetDoc does not hold");
        intro(dataset)?;
        Ok(Model { dataset, dataset_rows, records, lists })
    }
}

fn field_at(s: &Struct, f: &Field) -> String {
    format!("doc.rs:{}: field `{}.{}`", f.line, s.name, f.name)
}

/// The English and Spanish introduction of a record's section: its struct's doc comment.
fn intro(s: &Struct) -> Result<(String, String)> {
    let en = s.doc.first().filter(|p| !p.starts_with("es:"));
    let es = s.doc.get(1).and_then(|p| p.strip_prefix("es:"));
    match (en, es) {
        (Some(en), Some(es)) => Ok((en.clone(), es.trim().to_owned())),
        _ => bail!(
            "doc.rs:{}: `{}` needs a doc comment for users: a paragraph in English, then one beginning `es:`",
            s.line,
            s.name
        ),
    }
}

/// Checks that a field's tags fit its type and name lists that exist.
fn check_tags(f: &Field, lists: &BTreeMap<String, List>, structs: &BTreeMap<&str, &Struct>) -> Result<()> {
    let tags = &f.doc.tags;
    for list in &tags.codes {
        ensure!(lists.contains_key(list), "`codes: {list}`: no such list (see `coopera codelist list`)");
    }
    let item = f.ty.item();
    let scalar = matches!(item, Ty::String | Ty::Integer);
    ensure!(scalar || (tags.codes.is_empty() && tags.values.is_empty()), "codes or values on a field that is not text");
    ensure!(matches!(item, Ty::String) || tags.format.is_none(), "a format on a field that is not text");
    ensure!(tags.format.is_none() || tags.codes.is_empty(), "both a format and codes");
    ensure!(tags.min.is_none() || f.ty.is_list(), "`min` on a field that is not a list");
    let optional = matches!(f.ty, Ty::Option(_)) || f.serde.default.is_some();
    ensure!(!tags.required || optional, "`required: yes` on a field serde already requires");
    ensure!(tags.default.is_none() || optional, "`default` on a field serde requires");
    ensure!(
        !matches!(f.serde.default, Some(Some(_))) || tags.default.is_some(),
        "serde's default is a function: say its value with a `default:` tag"
    );
    let nested = match item {
        Ty::Struct(name) => structs.get(name.as_str()).copied(),
        _ => None,
    };
    for name in tags.without.iter().chain(tags.nested.iter().map(|n| &n.0)) {
        let Some(s) = nested else { bail!("`{name}`: the field has no nested table") };
        ensure!(s.fields.iter().any(|f| &f.name == name), "`{name}`: `{}` has no such field", s.name);
    }
    Ok(())
}

/// The row of one field at `path`.
fn row_of(f: &Field, path: &str, tags: &Tags) -> Result<Row> {
    let list = f.ty.is_list();
    let required = if let Some(min) = tags.min {
        Required::AtLeast(min)
    } else if tags.required || !(matches!(f.ty, Ty::Option(_)) || f.serde.default.is_some()) {
        Required::Yes
    } else if let Some(default) = &tags.default {
        Required::Default(default.clone())
    } else if f.ty == Ty::Bool {
        Required::Default("false".into())
    } else {
        Required::No
    };
    let allowed = if !tags.codes.is_empty() {
        Allowed::Lists(tags.codes.clone())
    } else if !tags.values.is_empty() {
        Allowed::Values(tags.values.clone())
    } else {
        Allowed::None
    };
    Ok(Row {
        path: path.to_owned(),
        kind: Kind::of(&f.ty, tags),
        list,
        required,
        allowed,
        en: f.doc.en.clone(),
        es: f.doc.es.clone(),
    })
}

/// The rows of a struct's fields under `prefix`, nested tables expanded in place. `outer`
/// holds the tags the enclosing field gives this struct's fields (`without`, `FIELD.TAG`).
fn rows(
    s: &Struct,
    prefix: &str,
    outer: &Tags,
    structs: &BTreeMap<&str, &Struct>,
    lists: &BTreeMap<String, List>,
) -> Result<Vec<Row>> {
    ensure!(prefix.matches('.').count() < 8, "`{prefix}`: tables nested too deep (a cycle?)");
    let mut out = Vec::new();
    for f in &s.fields {
        if outer.without.contains(&f.name) {
            continue;
        }
        let mut tags = f.doc.tags.clone();
        for (_, tag, value) in outer.nested.iter().filter(|(field, _, _)| field == &f.name) {
            tags.apply(tag, value).with_context(|| format!("{}: tag `{}.{tag}`", field_at(s, f), f.name))?;
        }
        for list in &tags.codes {
            ensure!(lists.contains_key(list), "{}: `codes: {list}`: no such list", field_at(s, f));
        }
        let path = format!("{prefix}{}", f.name);
        out.push(row_of(f, &path, &tags)?);
        if let Ty::Struct(name) = f.ty.item() {
            let nested = structs.get(name.as_str()).context("a known struct")?;
            let inner = if f.ty.is_list() { format!("{path}[].") } else { format!("{path}.") };
            out.extend(rows(nested, &inner, &tags, structs, lists)?);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Examples from the demo data

/// The text of every demo file, by file name, in name order.
fn read_examples(dir: &Path) -> Result<Vec<(String, String)>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            let name = path.file_name().context("a file name")?.to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
            files.push((name, text));
        }
    }
    files.sort();
    ensure!(!files.is_empty(), "no demo data in {}", dir.display());
    Ok(files)
}

/// The lines of the demo record `[[section]]` whose key (`key`, or `id` for an activity) is
/// `key`, up to the next record, without the comments and blank lines that end it; with the
/// file's name.
fn example<'a>(files: &'a [(String, String)], section: &str, key: &str) -> Result<(&'a str, String)> {
    let header = format!("[[{section}]]");
    let own = [format!("[[{section}."), format!("[{section}.")];
    let key_lines = [format!("key = \"{key}\""), format!("id = \"{key}\"")];
    for (file, text) in files {
        let lines: Vec<&str> = text.lines().collect();
        for start in lines.iter().enumerate().filter(|(_, l)| l.trim() == header).map(|(i, _)| i) {
            let end = lines[start + 1..]
                .iter()
                .position(|l| l.starts_with('[') && !own.iter().any(|o| l.starts_with(o.as_str())))
                .map_or(lines.len(), |n| start + 1 + n);
            let mut record = &lines[start..end];
            if !record.iter().any(|l| key_lines.iter().any(|k| l.trim() == k)) {
                continue;
            }
            while let Some(last) = record.last()
                && (last.trim().is_empty() || last.trim_start().starts_with('#'))
            {
                record = &record[..record.len() - 1];
            }
            return Ok((file, record.join("\n")));
        }
    }
    bail!("no `{header}` with the key `{key}` in {DEMO_DATA}: choose another example in RECORDS")
}

// ---------------------------------------------------------------------------------------------
// Writing the page

fn render(model: &Model<'_>, examples: &[(String, String)], lang: Lang) -> Result<String> {
    let mut out = String::new();
    let t = |en: &'static str, es: &'static str| lang.pick(en, es);
    writeln!(out, "# {}", t("Coopera's file format", "El formato de archivos de Coopera"))?;
    writeln!(out)?;
    writeln!(
        out,
        "<!-- {} -->",
        t(
            "Generated by `cargo xtask file-format` from crates/coopera-domain/src/doc.rs; do not edit.",
            "Generado por `cargo xtask file-format` a partir de crates/coopera-domain/src/doc.rs; no lo edite."
        )
    )?;
    writeln!(out)?;
    out.push_str(intro_text(lang));
    writeln!(out)?;
    render_contents(&mut out, model, lang)?;
    out.push_str(files_text(lang));
    writeln!(out)?;
    out.push_str(rules_text(lang));
    writeln!(out)?;
    out.push_str(kinds_text(lang));
    writeln!(out)?;
    render_dataset(&mut out, model, lang)?;
    for record in &model.records {
        writeln!(out)?;
        render_record(&mut out, model, record, examples, lang)?;
    }
    Ok(out)
}

fn title(record: &Record, lang: Lang) -> &str {
    lang.pick(&record.title_en, &record.title_es)
}

/// The anchor GitHub gives a heading: lowercase, letters, digits, `-` and `_`, spaces as `-`.
fn anchor(heading: &str) -> String {
    heading
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn render_contents(out: &mut String, model: &Model<'_>, lang: Lang) -> Result<()> {
    let fixed = [
        lang.pick("Files", "Archivos"),
        lang.pick("Rules for a whole file", "Reglas de todo el archivo"),
        lang.pick("Kinds of value", "Tipos de valor"),
        lang.pick("Dataset", "Conjunto de datos"),
    ];
    for heading in fixed {
        writeln!(out, "- [{heading}](#{})", anchor(heading))?;
    }
    for record in &model.records {
        writeln!(out, "  - [{}](#{})", title(record, lang), anchor(title(record, lang)))?;
    }
    writeln!(out)?;
    Ok(())
}

fn intro_text(lang: Lang) -> &'static str {
    lang.pick(
        "Coopera reads records from TOML and JSON files: `coopera activity add --file FILE` adds them to the
registry, or updates them, all at once or not at all; `coopera activity show ID --format toml` (or
`json`) prints an activity in the same form, ready to edit and add back. This page describes every
field of every kind of record: its name (as problems name it), the kind of value, whether it is
required, the values it allows and its rules. The demo data in `crates/coopera-demo/data/` is a
complete example; each section below shows one of its records.

En español: [El formato de archivos](formato-de-archivos.md).
",
        "Coopera lee registros de archivos TOML y JSON: `coopera activity add --file ARCHIVO` los agrega al
registro, o los actualiza, todos a la vez o ninguno; `coopera activity show ID --format toml` (o
`json`) imprime una actividad en la misma forma, lista para editarla y agregarla de nuevo. Esta página
describe cada campo de cada tipo de registro: su nombre (como lo nombran los problemas), el tipo de
valor, si es obligatorio, los valores que admite y sus reglas. Los nombres de los campos, y los
códigos de las clasificaciones propias de Coopera, se escriben en inglés, como los muestra esta
página. Los datos de demostración de `crates/coopera-demo/data/` son un ejemplo completo; cada
sección muestra uno de sus registros.

In English: [Coopera's file format](file-format.md).
",
    )
}

fn files_text(lang: Lang) -> &'static str {
    lang.pick(
        r#"## Files

A file whose name ends in `.json` is read as JSON; any other, as TOML. It holds either

- **one activity**, its fields at the top level (a file with a top-level `id` is read this way), or
- **a dataset**: records of every kind, each kind an array — `[[organisation]]`, `[[activity]]`,
  `[[capacity]]`, `[[demand]]`, `[[action]]`, `[[agreement]]`, `[[membership]]` — in any order.

```toml
note = "Cooperación de la Secretaría de Salud, 2013"

[[organisation]]
key = "salud"
# …

[[activity]]
id = "MX-AMEXCID-2013-0101"
# …
```

In JSON, a dataset is an object of arrays, `{"organisation": [{"key": "salud", …}], "activity":
[{"id": "MX-AMEXCID-2013-0101", …}]}`, and one activity is an object, `{"id": "…", "title": {"es":
"…", "en": "…"}, …}`. Fields may come in any order.

The tables below name each field by its path: `dates.planned_start` is the field `planned_start` of
the table `dates`, and `sectors[].percentage` the field `percentage` of each item of the list
`sectors`. In TOML these are written `dates = { planned_start = "2012-01-15" }` and
`sectors = [{ code = "41010", percentage = 60 }]`, or as tables of their own (`[[activity.sectors]]`
in a dataset, `[[sectors]]` in a file of one activity); in JSON, `"dates": {"planned_start":
"2012-01-15"}` and `"sectors": [{"code": "41010", "percentage": 60}]`. Problems name a field the same
way, with the item's position counted from 0: `sectors[1].percentage`. A field marked required inside
a nested table is required when that table is given.
"#,
        r#"## Archivos

Un archivo cuyo nombre termina en `.json` se lee como JSON; cualquier otro, como TOML. Contiene

- **una actividad**, con sus campos en el nivel superior (así se lee un archivo con `id` en su nivel
  superior), o
- **un conjunto de datos**: registros de todo tipo, cada tipo un arreglo — `[[organisation]]`,
  `[[activity]]`, `[[capacity]]`, `[[demand]]`, `[[action]]`, `[[agreement]]`, `[[membership]]` — en
  cualquier orden.

```toml
note = "Cooperación de la Secretaría de Salud, 2013"

[[organisation]]
key = "salud"
# …

[[activity]]
id = "MX-AMEXCID-2013-0101"
# …
```

En JSON, un conjunto de datos es un objeto de arreglos, `{"organisation": [{"key": "salud", …}],
"activity": [{"id": "MX-AMEXCID-2013-0101", …}]}`, y una actividad es un objeto, `{"id": "…",
"title": {"es": "…", "en": "…"}, …}`. Los campos pueden ir en cualquier orden.

Las tablas de abajo nombran cada campo por su ruta: `dates.planned_start` es el campo `planned_start`
de la tabla `dates`, y `sectors[].percentage` el campo `percentage` de cada elemento de la lista
`sectors`. En TOML se escriben `dates = { planned_start = "2012-01-15" }` y
`sectors = [{ code = "41010", percentage = 60 }]`, o como tablas propias (`[[activity.sectors]]` en un
conjunto de datos, `[[sectors]]` en un archivo de una actividad); en JSON, `"dates":
{"planned_start": "2012-01-15"}` y `"sectors": [{"code": "41010", "percentage": 60}]`. Los problemas
nombran un campo del mismo modo, con la posición del elemento contada desde 0:
`sectors[1].percentage`. Un campo obligatorio dentro de una tabla anidada lo es cuando esa tabla se da.
"#,
    )
}

fn rules_text(lang: Lang) -> &'static str {
    lang.pick(
        r#"## Rules for a whole file

- **All or nothing.** A file with any problem is refused whole: nothing of it is written.
- **Every problem is reported at once**, each with its place — file, line and column, the record
  (its kind and key) and the field — and the rule it breaks, in Spanish or in English (`--lang en`):

  ```
  error: actividades.toml:14:11: actividad MX-TEST-2012-0001: sectors: los porcentajes de sectores del vocabulario 1 (…) suman 90, deben sumar 100 (±0.01)
  1 problema(s); no se escribió nada en la base de datos
  ```
- **Unknown fields are refused**: a misspelt field name is a problem, never silently ignored.
- **References must exist.** Records name organisations by their key and activities by their
  identifier; each one named must be in the same file or already in the registry.
- **One record per key.** A key appears once in a file. A record whose key is already in the
  registry replaces the stored one, whose version before is kept in the change history; a record
  identical to the stored one changes nothing.
- **Numbers** — amounts, quantities, percentages, indicator values, and an in-kind quantity times its
  unit value — lie between −10^15 and 10^15.
- **Text** may not hold control characters (other than tab and line breaks) nor U+FFFE or U+FFFF,
  which IATI's XML cannot carry.
- **Codes** are checked against their list: `coopera codelist list` names the lists, and
  `coopera codelist show NAME` lists a list's codes with their Spanish and English names. An unknown
  code is reported with the closest ones.
- The web forms check the same rules, field by field, with the same paths.
"#,
        r#"## Reglas de todo el archivo

- **Todo o nada.** Un archivo con cualquier problema se rechaza entero: no se escribe nada de él.
- **Se informan todos los problemas a la vez**, cada uno con su lugar — archivo, línea y columna, el
  registro (su tipo y clave) y el campo — y la regla que incumple, en español o en inglés
  (`--lang en`):

  ```
  error: actividades.toml:14:11: actividad MX-TEST-2012-0001: sectors: los porcentajes de sectores del vocabulario 1 (…) suman 90, deben sumar 100 (±0.01)
  1 problema(s); no se escribió nada en la base de datos
  ```
- **Los campos desconocidos se rechazan**: un nombre de campo mal escrito es un problema, nunca se
  ignora en silencio.
- **Las referencias deben existir.** Los registros nombran organizaciones por su clave y actividades
  por su identificador; cada una que se nombra debe estar en el mismo archivo o ya guardada.
- **Un registro por clave.** Una clave aparece una vez en un archivo. Si ya hay un registro guardado
  con la misma clave, el del archivo lo reemplaza y la versión anterior queda en el historial de
  cambios; un registro idéntico al guardado no cambia nada.
- **Los números** — montos, cantidades, porcentajes, valores de indicadores, y una cantidad en
  especie por su valor unitario — están entre −10^15 y 10^15.
- **El texto** no puede contener caracteres de control (salvo tabulador y saltos de línea) ni
  U+FFFE o U+FFFF, que el XML de IATI no puede llevar.
- **Los códigos** se revisan contra su lista: `coopera codelist list` nombra las listas, y
  `coopera codelist show NOMBRE` muestra los códigos de una lista con sus nombres en español e
  inglés. Un código desconocido se informa con los más parecidos.
- Los formularios web revisan las mismas reglas, campo por campo, con las mismas rutas.
"#,
    )
}

fn kinds_text(lang: Lang) -> &'static str {
    lang.pick(
        r#"## Kinds of value

| Kind | How to write it |
|---|---|
| text | `"…"` |
| multilingual text | `"…"` (Spanish), or one text per language: `{ es = "…", en = "…" }` in TOML, `{"es": "…", "en": "…"}` in JSON. Other ISO 639-1 languages are kept too; blank text counts as none. |
| number | `1500`, `1500.75` or `"1500.75"` (a string keeps every decimal as written); between −10^15 and 10^15. |
| whole number | `2011` |
| yes/no | `true` or `false` |
| date | `"2012-03-15"` (YYYY-MM-DD; a time after the date is ignored) |
| code | a code of the list named under *allowed values*, as text: `"41010"`, `"project"` |
| key | a short name of lowercase letters a–z, digits, `-` and `_`, up to 64 characters: `"gob-chiapas"` |
| identifier | text without spaces, up to 400 characters: `"MX-AMEXCID-2012-0001"` |
| organisation key | the key of an organisation in the same file or in the registry |
| activity identifier | the identifier of an activity in the same file or in the registry |
| table | `{ name = value, … }` in TOML (or a table of its own), `{"name": value, …}` in JSON |
| list | `[value, …]`; a list of tables also as TOML tables of their own, `[[activity.transactions]]` |
"#,
        r#"## Tipos de valor

| Tipo | Cómo se escribe |
|---|---|
| texto | `"…"` |
| texto multilingüe | `"…"` (en español), o un texto por idioma: `{ es = "…", en = "…" }` en TOML, `{"es": "…", "en": "…"}` en JSON. También se guardan otros idiomas ISO 639-1; un texto en blanco cuenta como ninguno. |
| número | `1500`, `1500.75` o `"1500.75"` (una cadena conserva cada decimal como se escribe); entre −10^15 y 10^15. Con punto decimal. |
| número entero | `2011` |
| sí/no | `true` (sí) o `false` (no) |
| fecha | `"2012-03-15"` (AAAA-MM-DD; una hora después de la fecha se ignora) |
| código | un código de la lista indicada en *valores admitidos*, como texto: `"41010"`, `"project"` |
| clave | un nombre corto de letras minúsculas a–z, dígitos, `-` y `_`, de hasta 64 caracteres: `"gob-chiapas"` |
| identificador | texto sin espacios, de hasta 400 caracteres: `"MX-AMEXCID-2012-0001"` |
| clave de organización | la clave de una organización del mismo archivo o ya guardada |
| identificador de actividad | el identificador de una actividad del mismo archivo o ya guardada |
| tabla | `{ nombre = valor, … }` en TOML (o una tabla propia), `{"nombre": valor, …}` en JSON |
| lista | `[valor, …]`; una lista de tablas también como tablas propias de TOML, `[[activity.transactions]]` |
"#,
    )
}

fn render_dataset(out: &mut String, model: &Model<'_>, lang: Lang) -> Result<()> {
    writeln!(out, "## {}", lang.pick("Dataset", "Conjunto de datos"))?;
    writeln!(out)?;
    let (en, es) = intro(model.dataset)?;
    writeln!(out, "{}", wrap(lang.pick(&en, &es)))?;
    writeln!(out)?;
    render_table(out, model, &model.dataset_rows, lang)
}

fn render_record(
    out: &mut String,
    model: &Model<'_>,
    record: &Record,
    examples: &[(String, String)],
    lang: Lang,
) -> Result<()> {
    writeln!(out, "## {}", title(record, lang))?;
    writeln!(out)?;
    writeln!(out, "{}", wrap(lang.pick(&record.intro.0, &record.intro.1)))?;
    writeln!(out)?;
    writeln!(out, "{} `[[{}]]`.", lang.pick("In a dataset:", "En un conjunto de datos:"), record.name)?;
    writeln!(out)?;
    render_table(out, model, &record.rows, lang)?;
    writeln!(out)?;
    let (file, text) = example(examples, &record.name, &record.example_key)?;
    writeln!(
        out,
        "{} (`{DEMO_DATA}/{file}`):",
        lang.pick("An example from the demo data", "Un ejemplo de los datos de demostración")
    )?;
    writeln!(out)?;
    writeln!(out, "```toml\n{text}\n```")?;
    if record.name == "activity" {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            lang.pick(
                "In a file of one activity, the same fields go at the top level: without the line `[[activity]]`,\n\
                 and with `[[transactions]]` instead of `[[activity.transactions]]`.",
                "En un archivo de una actividad, los mismos campos van en el nivel superior: sin la línea\n\
                 `[[activity]]`, y con `[[transactions]]` en lugar de `[[activity.transactions]]`."
            )
        )?;
    }
    Ok(())
}

fn render_table(out: &mut String, model: &Model<'_>, rows: &[Row], lang: Lang) -> Result<()> {
    let head = lang.pick(
        "| Field | Kind of value | Required | Allowed values | Description |",
        "| Campo | Tipo de valor | Obligatorio | Valores admitidos | Descripción |",
    );
    writeln!(out, "{head}\n|---|---|---|---|---|")?;
    for row in rows {
        let required = match (&row.required, lang) {
            (Required::Yes, _) => lang.pick("yes", "sí").to_owned(),
            (Required::AtLeast(n), Lang::En) => format!("yes, at least {n}"),
            (Required::AtLeast(n), Lang::Es) => format!("sí, al menos {n}"),
            (Required::No, _) => "no".to_owned(),
            (Required::Default(d), Lang::En) => format!("no; default `{d}`"),
            (Required::Default(d), Lang::Es) => format!("no; por omisión `{d}`"),
        };
        let allowed = allowed(model, &row.allowed, lang)?;
        writeln!(
            out,
            "| `{}` | {} | {} | {} | {} |",
            row.path,
            row.kind.label(row.list, lang),
            required,
            cell(&allowed),
            cell(lang.pick(&row.en, &row.es))
        )?;
    }
    Ok(())
}

/// A paragraph wrapped at 100 characters, as the page's own text is.
fn wrap(text: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for word in text.split_whitespace() {
        let len = word.chars().count();
        if width > 0 && width + 1 + len > 100 {
            out.push('\n');
            width = 0;
        } else if width > 0 {
            out.push(' ');
            width += 1;
        }
        out.push_str(word);
        width += len;
    }
    out
}

/// Text fit for a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
}

/// What the column "allowed values" says.
fn allowed(model: &Model<'_>, allowed: &Allowed, lang: Lang) -> Result<String> {
    Ok(match allowed {
        Allowed::None => String::new(),
        Allowed::Values(values) => values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
        Allowed::Section(name) => {
            let record = model.records.iter().find(|r| &r.name == name).context("a record")?;
            let t = title(record, lang);
            format!("{} [{t}](#{})", lang.pick("see", "véase"), anchor(t))
        }
        Allowed::Lists(names) if names.len() == 1 => {
            let name = &names[0];
            let list = model.lists.get(name).context("a known list")?;
            let command = format!("`coopera codelist show {name}`");
            if list.codes.len() <= MAX_INLINE_CODES {
                let codes: Vec<String> = list.codes.iter().map(|c| code_with_name(c, list.own, lang)).collect();
                // Codes alone are separated by commas; codes with names, by semicolons.
                let separator = if codes.iter().all(|c| c.ends_with('`')) { ", " } else { "; " };
                format!("{} — {command}", codes.join(separator))
            } else {
                format!("{} `{name}` — {command}", lang.pick("a code of the list", "un código de la lista"))
            }
        }
        Allowed::Lists(names) => {
            let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
            let (last, first) = quoted.split_last().context("lists")?;
            format!(
                "{} {} {} {last} — `coopera codelist show {}`",
                lang.pick("a code of one of the lists", "un código de una de las listas"),
                first.join(", "),
                lang.pick("or", "o"),
                lang.pick("NAME", "NOMBRE")
            )
        }
    })
}

/// A code as a table cell shows it: with its name, unless the code already says it.
fn code_with_name((code, es, en): &Named, own: bool, lang: Lang) -> String {
    let name = lang.pick(en, es);
    let says_it = own && lang == Lang::En && name.to_lowercase().replace(' ', "-") == *code;
    if says_it { format!("`{code}`") } else { format!("`{code}` {name}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = r#"
/// A record.
///
/// es: Un registro.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ThingDoc {
    /// The key.
    ///
    /// es: La clave.
    ///
    /// format: key
    pub key: String,
    /// When.
    ///
    /// es: Cuándo.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<Vec<PartDoc>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PartDoc {
    /// A code.
    ///
    /// es: Un código.
    ///
    /// codes: Modality
    pub code: String,
}

/// Not read from files: a helper without descriptions.
#[derive(Debug, Clone)]
pub struct Helper {
    pub raw: String,
}
"#;

    #[test]
    fn fields_are_read_with_their_docs_types_and_serde_names() {
        let structs = parse_structs(DOC).expect("reads");
        assert_eq!(structs.len(), 2);
        let thing = &structs[0];
        assert_eq!(intro(thing).expect("intro"), ("A record.".to_owned(), "Un registro.".to_owned()));
        assert_eq!(thing.fields[0].doc.tags.format, Some(Format::Key));
        assert_eq!(thing.fields[1].name, "type");
        assert_eq!(thing.fields[1].ty, Ty::Option(Box::new(Ty::Vec(Box::new(Ty::Struct("PartDoc".into()))))));
        assert_eq!(structs[1].fields[0].doc.tags.codes, ["Modality"]);
    }

    #[test]
    fn a_field_without_a_description_is_named() {
        let missing_es = DOC.replace("    /// es: Cuándo.\n", "");
        let err = parse_structs(&missing_es).expect_err("no Spanish");
        assert!(format!("{err:#}").contains("field `ThingDoc.kind`"), "{err:#}");
        assert!(format!("{err:#}").contains("no description in Spanish"), "{err:#}");
        let missing_all =
            DOC.replace("    /// The key.\n    ///\n    /// es: La clave.\n    ///\n    /// format: key\n", "");
        let err = parse_structs(&missing_all).expect_err("no doc");
        assert!(format!("{err:#}").contains("field `ThingDoc.key`"), "{err:#}");
        let unknown_tag = DOC.replace("format: key", "fromat: key");
        assert!(format!("{:#}", parse_structs(&unknown_tag).expect_err("tag")).contains("unknown tag `fromat`"));
    }

    #[test]
    fn lists_are_read_from_the_macros_and_the_generated_tables() {
        let kinds = r#"
labelled_enum! {
    /// How.
    Modality, "Modality" {
        Bilateral = ("bilateral", "Bilateral", "Bilateral"),
        /// Three.
        Triangular = ("triangular", "Triangular", "Triangular"),
    }
}
"#;
        let own = parse_own_lists(kinds).expect("reads");
        assert_eq!(own["Modality"].codes.len(), 2);
        let generated = r#"
pub static STATUS: Codelist = Codelist::new("ActivityStatus", &STATUS_CODES);
pub static STATUS_CODES: [Code; 2] = [
    c("1", "En \"preparación\"", "Pipeline", ""),
    w("9", "Retirado", "Withdrawn", ""),
];
"#;
        let iati = parse_generated_lists(generated).expect("reads");
        assert_eq!(
            iati["ActivityStatus"].codes,
            [("1".to_owned(), "En \"preparación\"".to_owned(), "Pipeline".to_owned())]
        );
    }

    #[test]
    fn examples_end_before_the_next_record_and_its_comments() {
        let files = vec![(
            "a.toml".to_owned(),
            "[[activity]]\nid = \"A\"\n\n[[activity.transactions]]\ntype = \"2\"\n\n# Next\n\n[[activity]]\nid = \"B\"\n"
                .to_owned(),
        )];
        let (_, text) = example(&files, "activity", "A").expect("found");
        assert_eq!(text, "[[activity]]\nid = \"A\"\n\n[[activity.transactions]]\ntype = \"2\"");
        assert!(example(&files, "activity", "C").is_err());
    }

    /// The real document types: every field is described in English and Spanish, every tag
    /// names what exists, and every example is found — so a new field without a description
    /// fails `cargo test`, not only `cargo xtask file-format --check`.
    #[test]
    fn the_document_types_are_fully_described() {
        let root = crate::workspace_root();
        let read = |rel: &str| std::fs::read_to_string(root.join(rel)).expect("readable");
        let structs = parse_structs(&read(DOC_RS)).unwrap_or_else(|e| panic!("{e:#}"));
        let mut lists = parse_own_lists(&read(KINDS_RS)).expect("kinds.rs");
        lists.extend(parse_generated_lists(&read(CODELISTS_RS)).expect("generated.rs"));
        let model = Model::build(&structs, &lists).unwrap_or_else(|e| panic!("{e:#}"));
        let examples = read_examples(&root.join(DEMO_DATA)).expect("demo data");
        for lang in [Lang::En, Lang::Es] {
            render(&model, &examples, lang).unwrap_or_else(|e| panic!("{e:#}"));
        }
        let activity = model.records.iter().find(|r| r.name == "activity").expect("activities");
        let paths: Vec<&str> = activity.rows.iter().map(|r| r.path.as_str()).collect();
        assert!(paths.contains(&"sectors[].percentage") && paths.contains(&"transactions[].type"), "{paths:?}");
        assert!(!paths.contains(&"transactions[].sectors[].percentage"), "left out with `without`");
    }

    #[test]
    fn anchors_are_githubs() {
        assert_eq!(anchor("Acción internacional"), "acción-internacional");
        assert_eq!(anchor("Rules for a whole file"), "rules-for-a-whole-file");
    }
}
