//! The OpenAPI document: its schemas are those generated from the API's types (the committed
//! file is what the generator writes), and it is checked against the real responses: every
//! documented path is called, each answer is checked against the schema and the headers the
//! document gives for its status, every record of the demo registry is fetched and checked the
//! same way, and the lists the document enumerates (codes, report names, measures) are
//! compared with the code's own, so the document cannot fall behind them.
//!
//! The checker covers the part of JSON Schema the document uses: `$ref`, `type` (one or a
//! list, with `null`), `enum`, `const`, `properties`, `required`, `additionalProperties`,
//! `items`, `maxItems`, `minimum`, `maximum`, and the few `pattern`s the document writes.

use std::collections::BTreeSet;

use super::*;

/// The concrete requests made for each documented path, with the status each must return.
fn calls() -> Vec<(&'static str, String, u16)> {
    let long = format!("/api/v1/activities?q={}", "a".repeat(9000));
    let fixed: &[(&str, &str, u16)] = &[
        ("/api/v1", "/api/v1", 200),
        ("/api/v1", "/api/v1?lang=en", 200),
        ("/api/v1", "/api/v1?lang=fr", 400),
        ("/api/v1/openapi.json", "/api/v1/openapi.json?lang=en", 200),
        ("/api/v1/activities", "/api/v1/activities", 200),
        ("/api/v1/activities", "/api/v1/activities?direction=given&year=2012&sort=title&per_page=50&lang=en", 200),
        ("/api/v1/activities", "/api/v1/activities?q=zzzz", 200),
        ("/api/v1/activities", "/api/v1/activities?direction=&year=&page=&state=&lang=", 200),
        ("/api/v1/activities", "/api/v1/activities?state=MX-CHP&partner_country=GT&page=1000000000", 200),
        (
            "/api/v1/activities",
            "/api/v1/activities?partner_region=centroamerica&scheme=south-south&measure=committed",
            200,
        ),
        (
            "/api/v1/activities",
            "/api/v1/activities?partner=giz&level=federal&sdg=4&instrument=project&currency=MXN",
            200,
        ),
        ("/api/v1/activities", "/api/v1/activities?cooperation_type=technical-scientific&status=2", 200),
        ("/api/v1/activities", "/api/v1/activities?measure=count", 400),
        ("/api/v1/activities", "/api/v1/activities?partner=nobody", 404),
        ("/api/v1/activities", "/api/v1/activities?modality=diagonal", 400),
        ("/api/v1/activities", "/api/v1/activities?country=gt", 400),
        ("/api/v1/activities", "/api/v1/activities?state=7", 400),
        ("/api/v1/activities", "/api/v1/activities?page=1000000001", 400),
        ("/api/v1/activities", "/api/v1/activities?q=%FF", 400),
        ("/api/v1/activities", "/api/v1/activities?q=100%", 400),
        ("/api/v1/activities", "/api/v1/activities?year=2012&year=2013", 400),
        ("/api/v1/activities", &long, 414),
        ("/api/v1/activities/{id}", "/api/v1/activities/MX-AMEXCID-2011-0018", 200),
        ("/api/v1/activities/{id}", "/api/v1/activities/MX-AMEXCID-2010-0001?lang=en", 200),
        ("/api/v1/activities/{id}", "/api/v1/activities/NONE", 404),
        ("/api/v1/activities/{id}", "/api/v1/activities/NONE?lang=en&lang=es", 400),
        ("/api/v1/activities/{id}", "/api/v1/activities/%FF", 400),
        ("/api/v1/activities/{id}", "/api/v1/activities/100%", 400),
        ("/api/v1/organisations", "/api/v1/organisations", 200),
        ("/api/v1/organisations", "/api/v1/organisations?lang=EN", 400),
        ("/api/v1/organisations/{key}", "/api/v1/organisations/gob-chiapas", 200),
        ("/api/v1/organisations/{key}", "/api/v1/organisations/none", 404),
        ("/api/v1/practices", "/api/v1/practices", 200),
        ("/api/v1/practices", "/api/v1/practices?state=MX-CHP&level=federal&lang=en", 200),
        ("/api/v1/practices", "/api/v1/practices?q=catastro&theme=150&form=internship", 200),
        ("/api/v1/practices", "/api/v1/practices?theme=&state=&q=", 200),
        ("/api/v1/practices", "/api/v1/practices?level=international", 400),
        ("/api/v1/practices", "/api/v1/practices?theme=999", 400),
        ("/api/v1/practices", "/api/v1/practices?area=410", 400),
        ("/api/v1/practices/{key}", "/api/v1/practices/bp-merida-catastro-belize?lang=en", 200),
        ("/api/v1/practices/{key}", "/api/v1/practices/none", 404),
        ("/api/v1/catalog/capacities", "/api/v1/catalog/capacities", 200),
        ("/api/v1/catalog/capacities", "/api/v1/catalog/capacities?lang=en&area=410", 400),
        ("/api/v1/catalog/capacities/{key}", "/api/v1/catalog/capacities/cap-pago-servicios-ambientales?lang=en", 200),
        ("/api/v1/catalog/capacities/{key}", "/api/v1/catalog/capacities/none", 404),
        ("/api/v1/actions", "/api/v1/actions", 200),
        ("/api/v1/actions", "/api/v1/actions?state=MX-CHP&lang=en", 200),
        ("/api/v1/actions", "/api/v1/actions?state=99", 400),
        ("/api/v1/actions/{key}", "/api/v1/actions/chis-oficina-los-angeles", 200),
        ("/api/v1/actions/{key}", "/api/v1/actions/none", 404),
        ("/api/v1/agreements", "/api/v1/agreements?state=14", 200),
        ("/api/v1/agreements/{key}", "/api/v1/agreements/acuerdo-sonora-arizona?lang=en", 200),
        ("/api/v1/memberships", "/api/v1/memberships", 200),
        ("/api/v1/memberships/{key}", "/api/v1/memberships/amaie-chiapas-sriam", 200),
        ("/api/v1/memberships/{key}", "/api/v1/memberships/none", 404),
        ("/api/v1/catalog/demands", "/api/v1/catalog/demands?state=answered", 401),
        ("/api/v1/catalog/demands/{key}", "/api/v1/catalog/demands/sol-gt-incendios", 401),
        ("/api/v1/catalog/report", "/api/v1/catalog/report", 401),
        ("/api/v1/search", "/api/v1/search?q=pesca&lang=en", 200),
        ("/api/v1/search", "/api/v1/search?kind=capacity,activity&thematic-area=310&page=2", 200),
        ("/api/v1/search", "/api/v1/search?kind=demand", 200),
        ("/api/v1/search", "/api/v1/search?kind=organisation", 400),
        ("/api/v1/search", "/api/v1/search?page=501", 400),
        ("/api/v1/search", "/api/v1/search?q=pesca&facets=false", 200),
        ("/api/v1/search", "/api/v1/search?facets=no", 400),
        ("/api/v1/catalog/match", "/api/v1/catalog/match?text=manejo+de+incendios+forestales&country=GT", 200),
        ("/api/v1/catalog/match", "/api/v1/catalog/match?text=criptomonedas&top=3", 200),
        ("/api/v1/catalog/match", "/api/v1/catalog/match?demand=sol-gt-incendios", 401),
        ("/api/v1/catalog/match", "/api/v1/catalog/match?text=pesca&country=Guatemala", 400),
        ("/api/v1/codelists", "/api/v1/codelists?lang=en", 200),
        ("/api/v1/codelists/{name}", "/api/v1/codelists/Sector", 200),
        ("/api/v1/codelists/{name}", "/api/v1/codelists/MxMunicipality?category=20&lang=en", 200),
        ("/api/v1/codelists/{name}", "/api/v1/codelists/Nothing", 404),
        ("/api/v1/codelists/{name}", "/api/v1/codelists/Sector?category=%zz", 400),
        ("/api/v1/reports", "/api/v1/reports?lang=en", 200),
        ("/api/v1/crossborder", "/api/v1/crossborder", 200),
        ("/api/v1/crossborder", "/api/v1/crossborder?border=south&state=07&lang=en", 200),
        ("/api/v1/crossborder", "/api/v1/crossborder?agenda=migration&year=2015", 200),
        ("/api/v1/crossborder", "/api/v1/crossborder?border=east", 400),
        ("/api/v1/crossborder", "/api/v1/crossborder?measure=count", 400),
        ("/api/v1/reports/{name}", "/api/v1/reports/themes", 200),
        ("/api/v1/reports/{name}", "/api/v1/reports/countries?direction=given&top=3", 200),
        ("/api/v1/reports/{name}", "/api/v1/reports/types?measure=total&currency=MXN", 200),
        ("/api/v1/reports/{name}", "/api/v1/reports/years?measure=committed", 200),
        ("/api/v1/reports/{name}", "/api/v1/reports/regions?partner_country=GT&measure=weighted", 200),
        ("/api/v1/reports/{name}", "/api/v1/reports/recipient-countries?direction=received", 200),
        ("/api/v1/reports/{name}", "/api/v1/reports/partner-country?state=07", 200),
        ("/api/v1/reports/{name}", "/api/v1/reports/partner-countries", 404),
        (
            "/api/v1/reports/{name}",
            "/api/v1/reports/themes?direction=given&year=2012&partner_region=centroamerica",
            200,
        ),
        ("/api/v1/reports/{name}", "/api/v1/reports/sdgs?partner=giz&level=state&scheme=decentralised", 200),
        ("/api/v1/reports/{name}", "/api/v1/reports/schemes?partner_region=asia", 400),
        ("/api/v1/reports/{name}", "/api/v1/reports/schemes?partner=nobody", 404),
        ("/api/v1/reports/{name}", "/api/v1/reports/sector-group?measure=in-kind&currency=&lang=en", 200),
        ("/api/v1/reports/{name}", "/api/v1/reports/themes?state=99", 400),
        ("/api/v1/reports/{name}", "/api/v1/reports/themes?currency=usd&measure=total", 400),
        ("/api/v1/reports/{name}", "/api/v1/reports/themes?top=0", 400),
        ("/api/v1/reports/{name}", "/api/v1/reports/nothing", 404),
        ("/api/v1/reports/{name}", "/api/v1/reports/Themes", 404),
    ];
    fixed.iter().map(|(t, u, s)| (*t, (*u).to_owned(), *s)).collect()
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(r) => {
            let pointer = r.strip_prefix('#').unwrap_or_else(|| panic!("only local references: {r}"));
            resolve(doc, doc.pointer(pointer).unwrap_or_else(|| panic!("dangling reference {r}")))
        }
        None => schema,
    }
}

fn type_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether `text` matches one of the patterns the document writes (the tests carry no regular
/// expression engine; a new pattern needs its line here).
fn matches_pattern(pattern: &str, text: &str) -> bool {
    let all = |s: &str, f: fn(u8) -> bool| s.bytes().all(f);
    let digits = |s: &str| !s.is_empty() && all(s, |b| b.is_ascii_digit());
    match pattern {
        "^[A-Z]{2}$" => text.len() == 2 && all(text, |b| b.is_ascii_uppercase()),
        "^[A-Z]{3}$" => text.len() == 3 && all(text, |b| b.is_ascii_uppercase()),
        "^[0-9]{2}$" => text.len() == 2 && digits(text),
        "^[0-9]{5}$" => text.len() == 5 && digits(text),
        "^[a-z0-9_-]{1,64}$" => {
            (1..=64).contains(&text.len())
                && all(text, |b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        }
        "^\\S+$" => !text.is_empty() && !text.chars().any(char::is_whitespace),
        "^-?[0-9]+(\\.[0-9]+)?$" => {
            let unsigned = text.strip_prefix('-').unwrap_or(text);
            match unsigned.split_once('.') {
                Some((int, frac)) => digits(int) && digits(frac),
                None => digits(unsigned),
            }
        }
        "^[0-9]{1,2}(\\.[0-9a-z]{1,2})?$" => {
            let (goal, target) = text.split_once('.').map_or((text, None), |(g, t)| (g, Some(t)));
            (1..=2).contains(&goal.len())
                && digits(goal)
                && target.is_none_or(|t| {
                    (1..=2).contains(&t.len()) && all(t, |b| b.is_ascii_digit() || b.is_ascii_lowercase())
                })
        }
        p if p.starts_with("^/") && !p.ends_with('$') => text.starts_with(&p[1..]),
        other => panic!("the checker does not know the pattern {other}"),
    }
}

/// Every way `value` breaks `schema`, with its JSON path.
fn check(doc: &Value, schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if let Some(t) = schema.get("type") {
        let allowed: Vec<&str> = match t {
            Value::String(s) => vec![s.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => panic!("bad type in schema at {path}"),
        };
        let actual = type_of(value);
        let integer_as_number = actual == "integer" && allowed.contains(&"number");
        if !allowed.contains(&actual) && !integer_as_number {
            problems.push(format!("{path}: {actual} where {allowed:?} is expected"));
            return;
        }
    }
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(value)
    {
        problems.push(format!("{path}: {value} is not one of {options:?}"));
    }
    if let Some(c) = schema.get("const")
        && c != value
    {
        problems.push(format!("{path}: {value} is not {c}"));
    }
    if let (Some(pattern), Some(text)) = (schema.get("pattern").and_then(Value::as_str), value.as_str())
        && !matches_pattern(pattern, text)
    {
        problems.push(format!("{path}: {value} does not match {pattern}"));
    }
    if let (Some(max), Some(items)) = (schema.get("maxItems").and_then(Value::as_u64), value.as_array())
        && items.len() as u64 > max
    {
        problems.push(format!("{path}: more than {max} items"));
    }
    if let Some(n) = value.as_f64() {
        if let Some(min) = schema.get("minimum").and_then(Value::as_f64)
            && n < min
        {
            problems.push(format!("{path}: {n} < {min}"));
        }
        if let Some(max) = schema.get("maximum").and_then(Value::as_f64)
            && n > max
        {
            problems.push(format!("{path}: {n} > {max}"));
        }
    }
    if let Value::Object(map) = value {
        let props = schema.get("properties").and_then(Value::as_object);
        for r in schema.get("required").and_then(Value::as_array).into_iter().flatten() {
            let r = r.as_str().unwrap_or("");
            if !map.contains_key(r) {
                problems.push(format!("{path}: `{r}` is required"));
            }
        }
        for (k, v) in map {
            let sub = format!("{path}.{k}");
            match (props.and_then(|p| p.get(k)), schema.get("additionalProperties")) {
                (Some(s), _) => check(doc, s, v, &sub, problems),
                (None, Some(Value::Bool(false))) => problems.push(format!("{path}: `{k}` is not documented")),
                (None, Some(s @ Value::Object(_))) => check(doc, s, v, &sub, problems),
                _ => {}
            }
        }
    }
    if let (Value::Array(items), Some(s)) = (value, schema.get("items")) {
        for (i, v) in items.iter().enumerate() {
            check(doc, s, v, &format!("{path}[{i}]"), problems);
        }
    }
}

pub(super) fn document() -> Value {
    serde_json::from_str(include_str!("../../assets/openapi.json")).expect("the document is JSON")
}

/// Checks a reply against what the document says of `template`'s GET for its status: the
/// status is documented, the body matches its schema and the declared headers are there.
fn check_reply(doc: &Value, template: &str, uri: &str, reply: &Reply, problems: &mut Vec<String>) {
    check_method_reply(doc, "get", template, uri, reply, problems);
}

/// [`check_reply`] for an operation of any method.
pub(super) fn check_method_reply(
    doc: &Value,
    method: &str,
    template: &str,
    uri: &str,
    reply: &Reply,
    problems: &mut Vec<String>,
) {
    let operation = &doc["paths"][template][method];
    assert!(!operation.is_null(), "{template} is not documented");
    let status = reply.status.as_u16().to_string();
    let response = resolve(doc, &operation["responses"][&status]);
    if response.is_null() {
        problems.push(format!("{uri}: status {status} is not documented for {template}"));
        return;
    }
    let content = &response["content"];
    let media = content.as_object().and_then(|c| c.keys().next()).map(String::as_str).unwrap_or("");
    if !reply.header(header::CONTENT_TYPE).starts_with(media) {
        problems
            .push(format!("{uri}: content type {} where {media} is documented", reply.header(header::CONTENT_TYPE)));
    }
    check(doc, &content[media]["schema"], &reply.json(), uri, problems);
    for (name, h) in response["headers"].as_object().into_iter().flatten() {
        let h = resolve(doc, h);
        let value = reply.headers.get(name.as_str()).and_then(|v| v.to_str().ok());
        match value {
            None if h["required"] == true => problems.push(format!("{uri}: header {name} is missing")),
            None => {}
            Some(v) => check(doc, &h["schema"], &Value::from(v), &format!("{uri} header {name}"), problems),
        }
    }
}

#[tokio::test]
async fn the_document_matches_the_responses() {
    let app = app();
    let served = get(&app, "/api/v1/openapi.json").await.ok();
    assert!(served.header(header::CONTENT_TYPE).starts_with("application/json"));
    let doc = served.json();
    assert_eq!(doc, document(), "the document served is the one in assets/");
    assert_eq!(doc["openapi"], "3.1.0");
    let calls = calls();
    let paths = doc["paths"].as_object().expect("paths");
    for (template, item) in paths {
        let methods: Vec<&String> = item.as_object().map(|o| o.keys().collect()).unwrap_or_default();
        if methods.iter().any(|m| *m == "get") {
            assert!(calls.iter().any(|c| c.0 == template), "documented path {template} is never called");
        }
        // Writes are called, and checked against the document, in `api_writes.rs`.
        for m in methods {
            assert!(["get", "post", "put"].contains(&m.as_str()), "{template}: {m} is not a method the API answers");
        }
    }
    let mut problems = Vec::new();
    for (template, uri, status) in &calls {
        let reply = get(&app, uri).await;
        assert_eq!(reply.status.as_u16(), *status, "{uri}: {}", reply.text());
        check_reply(&doc, template, uri, &reply, &mut problems);
    }
    assert!(problems.is_empty(), "responses that break the document:\n{}", problems.join("\n"));
}

/// Every record, list and report of the demo registry, as the API answers it, matches the
/// document: a schema that fits the few responses above but not some record would be found.
#[tokio::test]
async fn every_record_matches_the_document() {
    let app = app();
    let doc = document();
    let mut problems = Vec::new();
    let mut activities = Vec::new();
    for page in 1.. {
        let uri = format!("/api/v1/activities?per_page=200&page={page}");
        let reply = get(&app, &uri).await.ok();
        check_reply(&doc, "/api/v1/activities", &uri, &reply, &mut problems);
        let body = reply.json();
        activities.extend(
            body["items"].as_array().into_iter().flatten().filter_map(|i| i["href"].as_str().map(str::to_owned)),
        );
        if body["page"] == body["pages"] {
            break;
        }
    }
    assert!(activities.len() > 100, "the demo has its activities: {}", activities.len());
    for href in &activities {
        let reply = get(&app, href).await.ok();
        check_reply(&doc, "/api/v1/activities/{id}", href, &reply, &mut problems);
    }
    let orgs = get(&app, "/api/v1/organisations").await.ok();
    check_reply(&doc, "/api/v1/organisations", "/api/v1/organisations", &orgs, &mut problems);
    for href in orgs.json()["items"].as_array().into_iter().flatten().filter_map(|i| i["href"].as_str()) {
        let reply = get(&app, href).await.ok();
        check_reply(&doc, "/api/v1/organisations/{key}", href, &reply, &mut problems);
    }
    let practices = get(&app, "/api/v1/practices").await.ok();
    check_reply(&doc, "/api/v1/practices", "/api/v1/practices", &practices, &mut problems);
    for href in practices.json()["items"].as_array().into_iter().flatten().filter_map(|i| i["href"].as_str()) {
        let reply = get(&app, href).await.ok();
        check_reply(&doc, "/api/v1/practices/{key}", href, &reply, &mut problems);
    }
    let capacities = get(&app, "/api/v1/catalog/capacities").await.ok();
    check_reply(&doc, "/api/v1/catalog/capacities", "/api/v1/catalog/capacities", &capacities, &mut problems);
    for href in capacities.json()["items"].as_array().into_iter().flatten().filter_map(|i| i["href"].as_str()) {
        let reply = get(&app, href).await.ok();
        check_reply(&doc, "/api/v1/catalog/capacities/{key}", href, &reply, &mut problems);
    }
    let lists = get(&app, "/api/v1/codelists").await.ok();
    check_reply(&doc, "/api/v1/codelists", "/api/v1/codelists", &lists, &mut problems);
    for href in lists.json()["items"].as_array().into_iter().flatten().filter_map(|i| i["href"].as_str()) {
        let reply = get(&app, href).await.ok();
        check_reply(&doc, "/api/v1/codelists/{name}", href, &reply, &mut problems);
    }
    let health = get(&app, "/health").await.ok();
    check(&doc, &doc["components"]["schemas"]["Health"], &health.json(), "/health", &mut problems);
    let reports = get(&app, "/api/v1/reports").await.ok();
    check_reply(&doc, "/api/v1/reports", "/api/v1/reports", &reports, &mut problems);
    for href in reports.json()["reports"].as_array().into_iter().flatten().filter_map(|i| i["href"].as_str()) {
        for query in
            ["", "?measure=total&currency=MXN&top=5", "?measure=in-kind&direction=given", "?measure=spent&year=2015"]
        {
            let uri = format!("{href}{query}");
            let reply = get(&app, &uri).await.ok();
            check_reply(&doc, "/api/v1/reports/{name}", &uri, &reply, &mut problems);
        }
    }
    assert!(problems.is_empty(), "responses that break the document:\n{}", problems.join("\n"));
}

/// The document's `components.schemas` are generated from the API's types
/// (`coopera_web::api`), and the rest of it is printed as the generator prints it: a field
/// added to a type and not to the document fails here. `cargo xtask openapi` runs this test
/// with `COOPERA_OPENAPI=write`, which writes the file instead.
#[test]
fn the_document_is_generated_from_the_types() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/openapi.json");
    let committed = std::fs::read_to_string(&path).expect("the document is there");
    let generated = coopera_web::api::openapi::generate(&committed).expect("the document generates");
    if std::env::var("COOPERA_OPENAPI").as_deref() == Ok("write") {
        std::fs::write(&path, &generated).expect("the document is written");
        return;
    }
    if let Some((n, (was, is))) = committed.lines().zip(generated.lines()).enumerate().find(|(_, (a, b))| a != b) {
        panic!(
            "assets/openapi.json is out of date at line {}: run `cargo xtask openapi`\n  committed: {was}\n  generated: {is}",
            n + 1
        );
    }
    assert_eq!(committed, generated, "assets/openapi.json is out of date at its end: run `cargo xtask openapi`");
}

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
}

/// Every schema of the document with an `enum`, wherever it is.
fn enums<'a>(v: &'a Value, out: &mut Vec<&'a Value>) {
    match v {
        Value::Object(map) => {
            if map.contains_key("enum") {
                out.push(v);
            }
            map.values().for_each(|x| enums(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| enums(x, out)),
        _ => {}
    }
}

#[test]
fn the_enumerations_are_the_codes_own_lists() {
    use coopera_domain::codelists::{self, MX_STATE};
    let doc = document();
    let mut found = Vec::new();
    enums(&doc, &mut found);
    let mut checked = 0;
    for schema in found {
        let Some(name) = schema.get("x-codelist").and_then(Value::as_str) else { continue };
        let list = codelists::find_list(name).unwrap_or_else(|| panic!("x-codelist {name} is not a list"));
        let codes: BTreeSet<String> = list.codes.iter().map(|c| c.code.to_owned()).collect();
        assert_eq!(strings(&schema["enum"]), codes, "the enum of {name}");
        checked += 1;
    }
    assert!(checked > 20, "{checked} enumerations of codelists");

    let parameter = |name: &str| strings(&doc["components"]["parameters"][name]["schema"]["enum"]);
    let mut states: BTreeSet<String> = MX_STATE.codes.iter().map(|c| c.code.to_owned()).collect();
    states.extend(MX_STATE.codes.iter().filter_map(|c| codelists::mx_state_iso(c.code)).map(str::to_owned));
    assert_eq!(parameter("state"), states);
    let measures: BTreeSet<String> = coopera_report::Measure::ALL.iter().map(|m| m.code().to_owned()).collect();
    assert_eq!(parameter("measure"), measures);
    let sorts: BTreeSet<String> = coopera_web::registry::Sort::ALL.iter().map(|s| s.code().to_owned()).collect();
    assert_eq!(parameter("sort"), sorts);
    let regions: BTreeSet<String> = coopera_report::geo::GROUPINGS.iter().map(|g| g.key.to_owned()).collect();
    assert_eq!(parameter("partner_region"), regions);
    let schemes: BTreeSet<String> = coopera_report::SCHEMES.iter().map(|s| s.0.to_owned()).collect();
    assert_eq!(parameter("scheme"), schemes);
    let money: BTreeSet<String> =
        coopera_report::Measure::ALL.iter().filter(|m| m.is_money()).map(|m| m.code().to_owned()).collect();
    assert_eq!(parameter("list_measure"), money);

    let dimensions = coopera_report::Dimension::ALL;
    let reports: BTreeSet<String> = dimensions.iter().map(|d| d.report_name().to_owned()).collect();
    let codes: BTreeSet<String> = dimensions.iter().map(|d| d.code().to_owned()).collect();
    let schemas = &doc["components"]["schemas"];
    assert_eq!(strings(&schemas["Report"]["properties"]["report"]["enum"]), reports);
    assert_eq!(strings(&schemas["Report"]["properties"]["dimension"]["enum"]), codes);
    let names = &doc["paths"]["/api/v1/reports/{name}"]["get"]["parameters"][0];
    assert_eq!(names["name"], "name");
    assert_eq!(strings(&names["schema"]["enum"]), reports.union(&codes).cloned().collect());

    let lists: BTreeSet<String> = codelists::every_list().iter().map(|l| l.name.to_owned()).collect();
    let sources: BTreeSet<String> = codelists::every_list().iter().map(|l| l.source.to_owned()).collect();
    assert_eq!(strings(&schemas["Codelist"]["properties"]["name"]["enum"]), lists);
    assert_eq!(strings(&schemas["Codelist"]["properties"]["source"]["enum"]), sources);
}

#[test]
fn the_checker_finds_what_breaks_a_schema() {
    let doc = serde_json::json!({"components": {"schemas": {"N": {"type": ["integer", "null"], "minimum": 0}}}});
    let schema = serde_json::json!({
        "type": "object",
        "required": ["a", "b"],
        "additionalProperties": false,
        "properties": {"a": {"$ref": "#/components/schemas/N"}, "b": {"type": "array", "items": {"enum": ["x"]}}}
    });
    let mut problems = Vec::new();
    check(&doc, &schema, &serde_json::json!({"a": -1, "b": ["x", "y"], "c": 1}), "$", &mut problems);
    assert_eq!(problems.len(), 3, "{problems:?}");
    problems.clear();
    check(&doc, &schema, &serde_json::json!({"a": null, "b": []}), "$", &mut problems);
    assert!(problems.is_empty(), "{problems:?}");
    let code = serde_json::json!({"type": "string", "pattern": "^[A-Z]{2}$", "const": "MX"});
    check(&doc, &code, &serde_json::json!("mx"), "$", &mut problems);
    assert_eq!(problems.len(), 2, "{problems:?}");
    for (pattern, yes, no) in [
        ("^-?[0-9]+(\\.[0-9]+)?$", "-12.50", "1e5"),
        ("^[0-9]{1,2}(\\.[0-9a-z]{1,2})?$", "16.a", "16."),
        ("^[a-z0-9_-]{1,64}$", "gob-chiapas", "Gob"),
        ("^\\S+$", "XI-IATI/1", "a b"),
        ("^/api/v1/reports/", "/api/v1/reports/x", "/reports/x"),
    ] {
        assert!(matches_pattern(pattern, yes) && !matches_pattern(pattern, no), "{pattern}");
    }
}
