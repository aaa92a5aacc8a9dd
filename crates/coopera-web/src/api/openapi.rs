//! The OpenAPI 3.1 document of `/api/v1` (`assets/openapi.json`, served as it is committed).
//!
//! Its paths, parameters and responses are written by hand in the file; its
//! `components.schemas` are generated from the types of [`crate::api`] with `schemars`
//! ([`schemas`]). [`generate`] takes the committed file, puts the generated schemas in it and
//! prints it the way it is committed; a test fails when the result differs from the file, and
//! `cargo xtask openapi` writes it.
//!
//! What the generator adds to what the types derive, the same for every schema:
//! - `x-codelist: NAME` gets the codes of that list as its `enum` (on an array, its items'),
//!   read from `coopera_domain::codelists`, so the document cannot fall behind the lists;
//! - an object lists every field it can have (`additionalProperties: false`);
//! - a field that is left out when empty is never `null`;
//! - the `format` schemars gives Rust's integer widths (`uint`, `int32`…) is left out;
//! - a doc comment's lines are joined into paragraphs.

use coopera_domain::codelists;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value};

use super::{
    ActionDetail, ActionUpdate, ActivityDetail, ActivityList, ActivityUpdate, AgreementDetail, AgreementUpdate,
    CapacityDetail, CapacityList, CapacityUpdate, CatalogReport, Codelist, CodelistList, DemandDetail, DemandList,
    DemandTransitionRequest, DemandUpdate, ErrorBody, Health, Index, MatchList, MembershipDetail, MembershipUpdate,
    OrganisationDetail, OrganisationList, OrganisationUpdate, PracticeDetail, PracticeList, Report, ReportFilters,
    ReportList, SearchResults, SubnationalList, TransitionRequest,
};

/// The document as committed.
pub const DOCUMENT: &str = include_str!("../../assets/openapi.json");

/// The schemas of every body the API answers (and `/health`'s), by name.
pub fn schemas() -> Map<String, Value> {
    let mut generator = SchemaSettings::draft2020_12()
        .for_serialize()
        .with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        })
        .into_generator();
    // The bodies the paths name; the types inside them come along.
    generator.subschema_for::<Index>();
    generator.subschema_for::<ActivityList>();
    generator.subschema_for::<ActivityDetail>();
    generator.subschema_for::<OrganisationList>();
    generator.subschema_for::<OrganisationDetail>();
    generator.subschema_for::<CodelistList>();
    generator.subschema_for::<Codelist>();
    generator.subschema_for::<ReportList>();
    generator.subschema_for::<Report<ReportFilters>>();
    generator.subschema_for::<CapacityList>();
    generator.subschema_for::<CapacityDetail>();
    generator.subschema_for::<DemandList>();
    generator.subschema_for::<DemandDetail>();
    generator.subschema_for::<CatalogReport>();
    generator.subschema_for::<SubnationalList>();
    generator.subschema_for::<ActionDetail>();
    generator.subschema_for::<AgreementDetail>();
    generator.subschema_for::<MembershipDetail>();
    generator.subschema_for::<SearchResults>();
    generator.subschema_for::<MatchList>();
    generator.subschema_for::<PracticeList>();
    generator.subschema_for::<PracticeDetail>();
    generator.subschema_for::<ErrorBody>();
    generator.subschema_for::<Health>();
    // The bodies of writes.
    generator.subschema_for::<ActivityUpdate>();
    generator.subschema_for::<OrganisationUpdate>();
    generator.subschema_for::<TransitionRequest>();
    generator.subschema_for::<CapacityUpdate>();
    generator.subschema_for::<DemandUpdate>();
    generator.subschema_for::<DemandTransitionRequest>();
    generator.subschema_for::<ActionUpdate>();
    generator.subschema_for::<AgreementUpdate>();
    generator.subschema_for::<MembershipUpdate>();
    let mut schemas = generator.take_definitions(true);
    for schema in schemas.values_mut() {
        if let Value::Object(s) = schema {
            finish(s);
        }
    }
    schemas
}

/// `written` (the document as committed) with its `components.schemas` generated from the
/// types, printed as the committed file is.
pub fn generate(written: &str) -> Result<String, String> {
    let mut doc: Value = serde_json::from_str(written).map_err(|e| format!("the document is not JSON: {e}"))?;
    let components =
        doc.get_mut("components").and_then(Value::as_object_mut).ok_or("the document has no `components` object")?;
    components.insert("schemas".to_owned(), Value::Object(schemas()));
    Ok(print(&doc))
}

/// The generator's additions to a schema and everything inside it (see the module's doc).
fn finish(schema: &mut Map<String, Value>) {
    if let Some(Value::String(list)) = schema.remove("x-codelist") {
        match schema.get_mut("items") {
            Some(Value::Object(items)) => with_codes(items, list),
            _ => with_codes(schema, list),
        }
    }
    if schema.get("format").and_then(Value::as_str).is_some_and(|f| f.starts_with("int") || f.starts_with("uint")) {
        schema.remove("format");
    }
    if let Some(Value::String(d)) = schema.get_mut("description") {
        *d = paragraphs(d);
    }
    if schema.contains_key("properties") && !schema.contains_key("additionalProperties") {
        schema.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    let required: Vec<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default();
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        for (name, property) in properties.iter_mut() {
            if !required.contains(name) {
                never_null(property);
            }
        }
    }
    for key in ["properties", "$defs"] {
        if let Some(Value::Object(map)) = schema.get_mut(key) {
            map.values_mut().filter_map(Value::as_object_mut).for_each(finish);
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(Value::Object(s)) = schema.get_mut(key) {
            finish(s);
        }
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(list)) = schema.get_mut(key) {
            list.iter_mut().filter_map(Value::as_object_mut).for_each(finish);
        }
    }
}

/// Gives a schema the codes of `list` as its `enum` (with `null` when it allows it).
fn with_codes(schema: &mut Map<String, Value>, list: String) {
    let mut codes: Vec<Value> =
        codelists::find_list(&list).map(|l| l.codes.iter().map(|c| Value::from(c.code)).collect()).unwrap_or_default();
    if nullable(schema) {
        codes.push(Value::Null);
    }
    schema.insert("enum".to_owned(), Value::Array(codes));
    schema.insert("x-codelist".to_owned(), Value::String(list));
}

fn nullable(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::Array(types)) => types.iter().any(|t| t == "null"),
        Some(t) => t == "null",
        None => false,
    }
}

/// Takes `null` out of what a schema allows: from its types, or its `anyOf` alternatives.
fn never_null(schema: &mut Value) {
    let Value::Object(s) = schema else { return };
    if let Some(Value::Array(types)) = s.get_mut("type") {
        types.retain(|t| t != "null");
        if let [one] = types.as_slice() {
            let one = one.clone();
            s.insert("type".to_owned(), one);
        }
    }
    if let Some(Value::Array(options)) = s.get_mut("anyOf") {
        options.retain(|o| o.get("type").is_none_or(|t| t != "null"));
        if let [one] = options.as_slice() {
            let mut one = one.clone();
            s.remove("anyOf");
            if let Value::Object(inner) = &mut one {
                for (k, v) in std::mem::take(inner) {
                    s.entry(k).or_insert(v);
                }
            }
        }
    }
}

/// A doc comment as the document writes it: the lines of each paragraph joined.
fn paragraphs(doc: &str) -> String {
    doc.split("\n\n")
        .map(|p| p.split('\n').map(str::trim).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The values the code enumerates, as schemas for `#[schemars(schema_with = …)]`.
pub(crate) mod values {
    use coopera_domain::Lang;
    use coopera_domain::codelists;
    use coopera_report::{Dimension, Measure};
    use schemars::{Schema, SchemaGenerator, json_schema};
    use serde_json::Value;

    use crate::api::CURRENCIES;

    fn strings(values: impl IntoIterator<Item = &'static str>) -> Schema {
        let values: Vec<&str> = values.into_iter().collect();
        json_schema!({ "type": "string", "enum": values })
    }

    fn strings_or_null(values: impl IntoIterator<Item = &'static str>) -> Schema {
        let mut values: Vec<Value> = values.into_iter().map(Value::from).collect();
        values.push(Value::Null);
        json_schema!({ "type": ["string", "null"], "enum": values })
    }

    fn array(items: Schema) -> Schema {
        json_schema!({ "type": "array", "items": items })
    }

    pub fn measure(_: &mut SchemaGenerator) -> Schema {
        strings(Measure::ALL.iter().map(|m| m.code()))
    }

    pub fn measures(g: &mut SchemaGenerator) -> Schema {
        array(measure(g))
    }

    /// The measures of money, which a list's `value` can add up.
    pub fn money_measure(_: &mut SchemaGenerator) -> Schema {
        strings(Measure::ALL.iter().filter(|m| m.is_money()).map(|m| m.code()))
    }

    pub fn currency(_: &mut SchemaGenerator) -> Schema {
        strings(CURRENCIES.iter().map(|c| c.code()))
    }

    pub fn currency_or_null(_: &mut SchemaGenerator) -> Schema {
        strings_or_null(CURRENCIES.iter().map(|c| c.code()))
    }

    pub fn currencies(g: &mut SchemaGenerator) -> Schema {
        array(currency(g))
    }

    pub fn report_name(_: &mut SchemaGenerator) -> Schema {
        strings(Dimension::ALL.iter().map(|d| d.report_name()))
    }

    pub fn dimension(_: &mut SchemaGenerator) -> Schema {
        strings(Dimension::ALL.iter().map(|d| d.code()))
    }

    pub fn lang(_: &mut SchemaGenerator) -> Schema {
        strings([Lang::Es, Lang::En].map(Lang::code))
    }

    pub fn partner_region_or_null(_: &mut SchemaGenerator) -> Schema {
        strings_or_null(coopera_report::geo::GROUPINGS.iter().map(|g| g.key))
    }

    pub fn scheme_or_null(_: &mut SchemaGenerator) -> Schema {
        strings_or_null(coopera_report::SCHEMES.iter().map(|s| s.0))
    }

    pub fn codelist_name(_: &mut SchemaGenerator) -> Schema {
        strings(codelists::every_list().iter().map(|l| l.name))
    }

    /// Each source once, in the order the lists first give it.
    pub fn codelist_source(_: &mut SchemaGenerator) -> Schema {
        let mut sources: Vec<&'static str> = Vec::new();
        for l in codelists::every_list() {
            if !sources.contains(&l.source) {
                sources.push(l.source);
            }
        }
        strings(sources)
    }
}

// ---------------------------------------------------------------------------------------------
// Printing

/// The widest line the printer writes on one line (an object or array that fits).
const WIDTH: usize = 120;

/// The order of an object's keys when they are keywords (of OpenAPI or JSON Schema); keys that
/// are names (of paths, properties, schemas, parameters, statuses…) are in alphabetical order.
const KEYWORDS: &[&str] = &[
    "openapi",
    "info",
    "servers",
    "paths",
    "components",
    "$ref",
    "operationId",
    "name",
    "in",
    "title",
    "version",
    "summary",
    "description",
    "license",
    "identifier",
    "url",
    "required",
    "allowEmptyValue",
    "type",
    "const",
    "enum",
    "format",
    "pattern",
    "minimum",
    "maximum",
    "maxItems",
    "default",
    "example",
    "x-codelist",
    "items",
    "additionalProperties",
    "properties",
    "x-schemas",
    "schema",
    "parameters",
    "headers",
    "content",
    "responses",
    "links",
    "schemas",
];

/// Keys whose object is a map of names, not of keywords.
const NAME_MAPS: &[&str] =
    &["paths", "properties", "schemas", "parameters", "responses", "headers", "content", "links", "$defs"];

/// `doc` as the committed file is written: two spaces of indent, an object or array on one line
/// when it fits in [`WIDTH`] columns, a long list of plain values packed onto full lines, and
/// keywords in [`KEYWORDS`] order. Ends with a line break.
pub fn print(doc: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, doc, 0, 0, false);
    out.push('\n');
    out
}

fn inline(v: &Value, names: bool) -> String {
    match v {
        Value::Object(map) if map.is_empty() => "{}".to_owned(),
        Value::Object(map) => {
            let members: Vec<String> = ordered(map, names)
                .into_iter()
                .map(|(k, v)| format!("{}: {}", quote(k), inline(v, NAME_MAPS.contains(&k.as_str()))))
                .collect();
            format!("{{ {} }}", members.join(", "))
        }
        Value::Array(items) => {
            format!("[{}]", items.iter().map(|i| inline(i, false)).collect::<Vec<_>>().join(", "))
        }
        scalar => scalar.to_string(),
    }
}

/// The columns `s` takes.
fn cols(s: &str) -> usize {
    s.chars().count()
}

fn quote(s: &str) -> String {
    Value::from(s).to_string()
}

fn ordered(map: &Map<String, Value>, names: bool) -> Vec<(&String, &Value)> {
    let mut members: Vec<(&String, &Value)> = map.iter().collect();
    if !names {
        let rank = |k: &str| KEYWORDS.iter().position(|w| *w == k).unwrap_or(KEYWORDS.len());
        members.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then_with(|| a.0.cmp(b.0)));
    }
    members
}

/// Writes `v` at `indent`, its first line already holding `used` columns.
fn write_value(out: &mut String, v: &Value, indent: usize, used: usize, names: bool) {
    let one_line = inline(v, names);
    if used.saturating_add(cols(&one_line)) <= WIDTH || !matches!(v, Value::Object(_) | Value::Array(_)) {
        out.push_str(&one_line);
        return;
    }
    let pad = " ".repeat(indent.saturating_add(2));
    match v {
        Value::Object(map) => {
            out.push_str("{\n");
            let members = ordered(map, names);
            let last = members.len().saturating_sub(1);
            for (i, (k, v)) in members.into_iter().enumerate() {
                let key = format!("{pad}{}: ", quote(k));
                out.push_str(&key);
                let comma = usize::from(i != last);
                write_value(
                    out,
                    v,
                    indent.saturating_add(2),
                    cols(&key).saturating_add(comma),
                    NAME_MAPS.contains(&k.as_str()),
                );
                out.push_str(if i == last { "\n" } else { ",\n" });
            }
            out.push_str(&" ".repeat(indent));
            out.push('}');
        }
        Value::Array(items) if items.iter().all(|i| !matches!(i, Value::Object(_) | Value::Array(_))) => {
            out.push_str("[\n");
            let mut line = String::new();
            for (i, item) in items.iter().enumerate() {
                let mut piece = item.to_string();
                if i.saturating_add(1) < items.len() {
                    piece.push(',');
                }
                if !line.is_empty()
                    && pad.len().saturating_add(cols(&line)).saturating_add(1).saturating_add(cols(&piece)) > WIDTH
                {
                    out.push_str(&pad);
                    out.push_str(&line);
                    out.push('\n');
                    line.clear();
                }
                if !line.is_empty() {
                    line.push(' ');
                }
                line.push_str(&piece);
            }
            out.push_str(&pad);
            out.push_str(&line);
            out.push('\n');
            out.push_str(&" ".repeat(indent));
            out.push(']');
        }
        Value::Array(items) => {
            out.push_str("[\n");
            let last = items.len().saturating_sub(1);
            for (i, item) in items.iter().enumerate() {
                out.push_str(&pad);
                write_value(
                    out,
                    item,
                    indent.saturating_add(2),
                    pad.len().saturating_add(usize::from(i != last)),
                    false,
                );
                out.push_str(if i == last { "\n" } else { ",\n" });
            }
            out.push_str(&" ".repeat(indent));
            out.push(']');
        }
        _ => out.push_str(&one_line),
    }
}
