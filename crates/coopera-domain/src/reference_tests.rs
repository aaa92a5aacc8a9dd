//! The file-format reference (`docs/file-format.md`, generated from the doc comments of
//! `doc.rs` by `cargo xtask file-format`) says what the documents accept; these tests hold it
//! to what `into_domain` does. For every field of every kind of record, starting from a
//! document that fills every field: a field said to be required is refused when left out (and
//! a list "at least N" when empty), one said to be optional may be left out, a code is checked
//! against the list the reference names, and a date, key, identifier or number in the wrong
//! form is refused at the field's path.

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::doc::*;
use crate::problem::{Expected, Problems, Rule};

/// One row of a record's table in the reference.
#[derive(Debug)]
struct Row {
    /// `sectors[].percentage`.
    path: String,
    kind: String,
    required: String,
    allowed: String,
}

/// The rows of each kind of record (`organisation`, `activity`…), as the English page has them.
fn reference() -> Vec<(String, Vec<Row>)> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/file-format.md");
    let page = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut sections: Vec<(String, Vec<Row>)> = Vec::new();
    for line in page.lines() {
        if let Some(name) = line.strip_prefix("In a dataset: `[[").and_then(|l| l.strip_suffix("]]`.")) {
            sections.push((name.to_owned(), Vec::new()));
            continue;
        }
        let Some(cells) = line.strip_prefix("| `").and_then(|l| l.strip_suffix(" |")) else { continue };
        let Some((_, rows)) = sections.last_mut() else { continue };
        let cells: Vec<&str> = cells.split(" | ").collect();
        assert!(cells.len() >= 4, "a row of the reference: {line}");
        rows.push(Row {
            path: cells[0].trim_end_matches('`').to_owned(),
            kind: cells[1].to_owned(),
            required: cells[2].to_owned(),
            allowed: cells[3].to_owned(),
        });
    }
    assert_eq!(sections.len(), DatasetDoc::SECTIONS.len(), "a table per kind of record");
    sections
}

/// A document of each kind with every field given (lists with one item or two).
fn full(section: &str) -> Value {
    match section {
        "organisation" => json!({
            "key": "org-a", "iati_ref": "XM-DAC-1", "name": {"es": "Organización", "en": "Organisation"},
            "acronym": "OA", "kind": "10", "level": "federal", "country": "MX", "mx_state": "07",
            "mx_municipality": "07101", "parent": "org-b"
        }),
        "activity" => serde_json::from_str(
            r#"{
            "id": "MX-A-2012-0001", "folio": "F-1", "reporting_org": "org-a",
            "title": {"es": "Título", "en": "Title"}, "description": "Descripción", "objectives": "Objetivos",
            "instrument": "project", "cooperation_type": "technical-scientific", "modality": "bilateral",
            "south_south": true, "north_south": false, "collaboration_type": "1", "default_currency": "USD",
            "flow_type": "10", "finance_type": "110", "aid_type": "C01", "tied_status": "5", "humanitarian": false,
            "status": "2", "workflow": "draft",
            "participants": [{"org": "org-a", "role": "provider"}, {"org": "org-b", "role": "recipient"}],
            "sectors": [{"vocabulary": "1", "code": "41010", "percentage": 100},
                        {"vocabulary": "7", "code": "13", "percentage": 100}],
            "sdgs": ["13", "13.2"],
            "policy_markers": [{"code": "2", "significance": 1}],
            "tags": [{"vocabulary": "99", "code": "t-1", "name": "Etiqueta"}],
            "countries": [{"code": "GT", "percentage": 70}],
            "regions": [{"code": "1032", "percentage": 30}],
            "mx_places": [{"state": "07", "municipality": "07101"}],
            "points": [{"reference": "p-1", "name": "Tapachula", "description": "Sede",
                        "latitude": 14.9, "longitude": -92.26}],
            "cross_border": {"border": "south", "dimensions": ["migration"]},
            "dates": {"planned_start": "2012-01-01", "planned_end": "2012-12-31",
                      "actual_start": "2012-02-01", "actual_end": "2012-11-30"},
            "budgets": [{"revised": false, "period_start": "2012-01-01", "period_end": "2012-12-31",
                         "amount": 1000, "currency": "USD", "value_date": "2012-01-01"}],
            "planned_disbursements": [{"revised": false, "period_start": "2012-01-01", "period_end": "2012-06-30",
                                       "amount": 500, "currency": "USD", "value_date": "2012-01-01",
                                       "provider": {"org": "org-a", "iati_ref": "XM-DAC-1", "name": "A", "activity": "X-1"},
                                       "receiver": {"org": "org-b", "iati_ref": "XM-DAC-2", "name": "B", "activity": "X-2"}}],
            "transactions": [{"reference": "t-1", "humanitarian": false, "type": "2", "date": "2012-02-01",
                              "amount": 800, "currency": "USD", "value_date": "2012-02-01", "description": "Compromiso",
                              "provider": {"org": "org-a", "iati_ref": "XM-DAC-1", "name": "A", "activity": "X-1"},
                              "receiver": {"org": "org-b", "iati_ref": "XM-DAC-2", "name": "B", "activity": "X-2"},
                              "sectors": [{"vocabulary": "1", "code": "41010"}], "country": "GT", "region": "1032",
                              "flow_type": "10", "finance_type": "110", "aid_type": "C01", "tied_status": "5"}],
            "in_kind": [{"unit": "expert-days", "quantity": 10, "unit_value": 300, "currency": "USD",
                         "description": "Expertos"}],
            "results": [{"level": "outcome", "title": "Resultado", "description": "Descripción",
                         "indicators": [{"title": "Indicador", "ascending": true, "baseline_year": 2011, "baseline": 0,
                                         "periods": [{"start": "2012-01-01", "end": "2012-12-31",
                                                      "target": 10, "actual": 8}]}]}],
            "related_activities": [{"type": "1", "id": "MX-A-2011-0001"}],
            "document_links": [{"url": "https://example.org/a.pdf", "format": "application/pdf", "title": "Informe",
                                "categories": ["A01"], "languages": ["es"], "date": "2012-12-31"}],
            "good_practice": "Replicable"
        }"#,
        )
        .expect("the full activity is JSON"),
        "capacity" => json!({
            "key": "cap-a", "title": "Capacidad", "description": "Descripción", "institution": "org-a",
            "sectors": [{"vocabulary": "1", "code": "41010", "percentage": 100}], "forms": ["course"],
            "languages": ["es"], "contact": {"name": "Ana", "email": "ana@example.org", "phone": "555"},
            "evidence": ["MX-A-2012-0001"], "workflow": "draft"
        }),
        "demand" => json!({
            "key": "sol-a", "title": "Solicitud", "description": "Descripción", "requester": "org-b",
            "sectors": [{"vocabulary": "1", "code": "41010", "percentage": 100}], "forms": ["course"],
            "country": "GT", "mx_state": "07", "received": "2013-01-15", "languages": ["es"],
            "state": "received", "proposed": ["cap-a"], "activity": "MX-A-2012-0001",
            "answered": "2013-02-01", "agreed": "2013-03-01", "settled": "2013-12-01"
        }),
        "action" => json!({
            "key": "acc-a", "actor": "org-a", "kind": "office-abroad", "date": "2012-03-12", "end_date": "2012-03-13",
            "country": "US", "city": "Los Ángeles", "counterpart": "Clubes", "purpose": "Atender", "outcome": "Logros",
            "activities": ["MX-A-2012-0001"],
            "cross_border": {"border": "north", "dimensions": ["migration"]}, "workflow": "draft"
        }),
        "agreement" => json!({
            "key": "acu-a", "title": "Acuerdo", "parties": ["org-a", "org-b"], "signed": "2012-06-22",
            "valid_until": "2016-06-21", "scope": "Salud", "registration_number": "R-1", "activities": ["MX-A-2012-0001"],
            "workflow": "draft"
        }),
        "membership" => json!({
            "key": "mem-a", "network": "org-b", "member": "org-a", "since": "2010-05-20", "until": "2014-05-20",
            "role": "asociada", "workflow": "draft"
        }),
        "practice" => json!({
            "key": "bp-a", "title": "Práctica", "organisations": ["org-a", "org-b"], "summary": "Qué se hizo",
            "mx_states": ["07"], "mx_municipalities": ["07089"], "countries": ["GT"], "start": "2012-01-01",
            "end": "2013-12-31", "results": "Logros", "themes": ["150"], "forms": ["course"],
            "activities": ["MX-A-2012-0001"], "documents": [{"title": "Informe", "url": "https://example.org/a.pdf"}],
            "indicators": [{"name": "Personas", "value": 3000, "unit": "personas", "year": 2013}],
            "keywords": ["migrantes"], "workflow": "draft"
        }),
        other => panic!("no full document for `{other}`"),
    }
}

/// Optional fields that other fields of the full document need: leaving one out alone breaks
/// a rule the reference states in its description.
const NEEDED_BY_OTHERS: &[(&str, &str)] = &[
    // A Mexican state or municipality belongs to an organisation of Mexico.
    ("organisation", "country"),
    // The countries' and regions' percentages add up to 100 together.
    ("activity", "countries"),
    ("activity", "countries[].percentage"),
    ("activity", "regions"),
    ("activity", "regions[].percentage"),
    // Latitude and longitude come together.
    ("activity", "points[].latitude"),
    ("activity", "points[].longitude"),
    // A baseline has its year.
    ("activity", "results[].indicators[].baseline_year"),
];

/// Whether a problem's rule is the one expected, given the lists the reference names.
type Expects = fn(&Rule, &[&str]) -> bool;

/// What `into_domain` made of a document.
#[derive(Debug)]
enum Outcome {
    Valid,
    /// Refused while reading (a field missing or of the wrong type).
    Shape(String),
    Refused(Vec<(String, Rule)>),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Valid => f.write_str("valid"),
            Outcome::Shape(message) => write!(f, "not read: {message}"),
            Outcome::Refused(problems) => write!(f, "refused: {problems:?}"),
        }
    }
}

fn check(section: &str, doc: Value) -> Outcome {
    fn run<D: DeserializeOwned, T>(doc: Value, into: impl FnOnce(D) -> Result<T, Problems>) -> Outcome {
        match serde_json::from_value::<D>(doc) {
            Err(e) => Outcome::Shape(e.to_string()),
            Ok(d) => match into(d) {
                Ok(_) => Outcome::Valid,
                Err(problems) => Outcome::Refused(problems.iter().map(|p| (p.path.clone(), p.rule.clone())).collect()),
            },
        }
    }
    match section {
        "organisation" => run(doc, OrganisationDoc::into_domain),
        "activity" => run(doc, ActivityDoc::into_domain),
        "capacity" => run(doc, CapacityDoc::into_domain),
        "demand" => run(doc, DemandDoc::into_domain),
        "action" => run(doc, ActionDoc::into_domain),
        "agreement" => run(doc, AgreementDoc::into_domain),
        "membership" => run(doc, MembershipDoc::into_domain),
        "practice" => run(doc, PracticeDoc::into_domain),
        other => panic!("no document type for `{other}`"),
    }
}

/// `sectors[].percentage` → the JSON pointer `/sectors/0/percentage` and the problem path
/// `sectors[0].percentage`.
fn first_item(path: &str) -> (String, String) {
    let concrete = path.replace("[]", "[0]");
    let pointer = format!("/{}", concrete.replace("[0]", "/0").replace('.', "/"));
    (pointer, concrete)
}

fn with_value(section: &str, pointer: &str, value: Value) -> Value {
    let mut doc = full(section);
    *doc.pointer_mut(pointer).unwrap_or_else(|| panic!("{section}: no {pointer} in the full document")) = value;
    doc
}

fn without(section: &str, pointer: &str) -> Value {
    let mut doc = full(section);
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer has a parent");
    let removed = doc.pointer_mut(parent).and_then(Value::as_object_mut).and_then(|o| o.remove(key));
    assert!(removed.is_some(), "{section}: no {pointer} in the full document");
    doc
}

#[test]
fn the_full_documents_are_valid() {
    for (section, _) in reference() {
        let outcome = check(&section, full(&section));
        assert!(matches!(outcome, Outcome::Valid), "{section}: {outcome}");
    }
}

#[test]
fn every_field_said_required_is_required_and_every_other_may_be_left_out() {
    let mut wrong = Vec::new();
    for (section, rows) in reference() {
        for row in rows {
            let (pointer, concrete) = first_item(&row.path);
            if let Some(min) = row.required.strip_prefix("yes, at least ") {
                let min: usize = min.parse().expect("a number");
                let outcome = check(&section, with_value(&section, &pointer, json!([])));
                let refused = matches!(&outcome, Outcome::Refused(ps)
                    if ps.iter().any(|(p, r)| *p == concrete && *r == Rule::TooFew { min }));
                if !refused {
                    wrong.push(format!("{section} {}: empty, {outcome}", row.path));
                }
            } else if row.required == "yes" {
                let outcome = check(&section, without(&section, &pointer));
                let refused = match &outcome {
                    Outcome::Shape(_) => true,
                    Outcome::Refused(ps) => ps.iter().any(|(p, _)| *p == concrete),
                    Outcome::Valid => false,
                };
                if !refused {
                    wrong.push(format!("{section} {}: said required, left out: {outcome}", row.path));
                }
            } else if !NEEDED_BY_OTHERS.contains(&(section.as_str(), row.path.as_str())) {
                let outcome = check(&section, without(&section, &pointer));
                if !matches!(outcome, Outcome::Valid) {
                    wrong.push(format!("{section} {}: said optional, left out: {outcome}", row.path));
                }
            }
        }
    }
    assert!(wrong.is_empty(), "the reference does not say what the documents do:\n{}", wrong.join("\n"));
}

#[test]
fn codes_and_forms_are_checked_as_the_reference_says() {
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (section, rows) in reference() {
        for row in rows {
            let kind = row.kind.strip_prefix("list of ").unwrap_or(&row.kind);
            let (bad, expected): (Value, Expects) = match kind {
                "code" | "codes" => (json!("zz-9"), |rule, lists| match rule {
                    Rule::UnknownCode { list, .. } => lists.is_empty() || lists.contains(list),
                    _ => false,
                }),
                "date" | "dates" => (json!("2012-13-45"), |rule, _| *rule == Rule::Format { expected: Expected::Date }),
                "key" | "keys" | "organisation key" | "organisation keys" => {
                    (json!("Not A Key"), |rule, _| *rule == Rule::Format { expected: Expected::Slug })
                }
                "identifier" | "identifiers" | "activity identifier" | "activity identifiers" => {
                    (json!("has a space"), |rule, _| *rule == Rule::Format { expected: Expected::Identifier })
                }
                "number" => (json!("many"), |rule, _| *rule == Rule::Format { expected: Expected::Number }),
                _ => continue,
            };
            // The lists the reference names: `Sector` in "a code of one of the lists `Sector`, …
            // — `coopera codelist show NAME`", or the one of the command.
            let named: Vec<&str> =
                row.allowed.split(" — ").next().unwrap_or("").split('`').skip(1).step_by(2).collect();
            let lists: Vec<&str> = match row.allowed.split("`coopera codelist show ").nth(1) {
                Some(rest) if !rest.starts_with("NAME") => rest.split('`').next().into_iter().collect(),
                Some(_) => named,
                None => Vec::new(),
            };
            let (mut pointer, mut concrete) = first_item(&row.path);
            if row.kind.starts_with("list of ") {
                pointer.push_str("/0");
                concrete.push_str("[0]");
            }
            checked += 1;
            match check(&section, with_value(&section, &pointer, bad.clone())) {
                Outcome::Refused(ps) if ps.iter().any(|(p, r)| *p == concrete && expected(r, &lists)) => {}
                outcome => wrong.push(format!("{section} {concrete} = {bad} ({}, {lists:?}): {outcome}", row.kind)),
            }
        }
    }
    assert!(checked > 60, "{checked} fields checked");
    assert!(wrong.is_empty(), "the reference does not say what the documents do:\n{}", wrong.join("\n"));
}
