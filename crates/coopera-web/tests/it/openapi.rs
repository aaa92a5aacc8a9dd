//! The OpenAPI document against the real responses: every documented path is called, and
//! each answer is checked against the schema the document gives for its status.
//!
//! The checker covers the part of JSON Schema the document uses: `$ref`, `type` (one or a
//! list, with `null`), `enum`, `properties`, `required`, `additionalProperties`, `items`,
//! `minimum` and `maximum`.

use super::*;

/// The concrete requests made for each documented path, with the status each must return.
const CALLS: &[(&str, &str, u16)] = &[
    ("/api/v1", "/api/v1", 200),
    ("/api/v1/activities", "/api/v1/activities", 200),
    ("/api/v1/activities", "/api/v1/activities?direction=given&year=2012&sort=title&per_page=50&lang=en", 200),
    ("/api/v1/activities", "/api/v1/activities?q=zzzz", 200),
    ("/api/v1/activities", "/api/v1/activities?modality=diagonal", 400),
    ("/api/v1/activities/{id}", "/api/v1/activities/MX-AMEXCID-2011-0018", 200),
    ("/api/v1/activities/{id}", "/api/v1/activities/MX-AMEXCID-2010-0001", 200),
    ("/api/v1/activities/{id}", "/api/v1/activities/NONE", 404),
    ("/api/v1/organisations", "/api/v1/organisations", 200),
    ("/api/v1/organisations/{key}", "/api/v1/organisations/gob-chiapas", 200),
    ("/api/v1/organisations/{key}", "/api/v1/organisations/none", 404),
    ("/api/v1/codelists", "/api/v1/codelists", 200),
    ("/api/v1/codelists/{name}", "/api/v1/codelists/Sector", 200),
    ("/api/v1/codelists/{name}", "/api/v1/codelists/MxMunicipality?category=20&lang=en", 200),
    ("/api/v1/codelists/{name}", "/api/v1/codelists/Nothing", 404),
    ("/api/v1/reports", "/api/v1/reports", 200),
    ("/api/v1/reports/{name}", "/api/v1/reports/themes", 200),
    ("/api/v1/reports/{name}", "/api/v1/reports/countries?direction=given&top=3", 200),
    ("/api/v1/reports/{name}", "/api/v1/reports/types?measure=total&currency=MXN", 200),
    ("/api/v1/reports/{name}", "/api/v1/reports/years?measure=committed", 200),
    ("/api/v1/reports/{name}", "/api/v1/reports/partner-countries?state=07", 200),
    ("/api/v1/reports/{name}", "/api/v1/reports/themes?state=99", 400),
    ("/api/v1/reports/{name}", "/api/v1/reports/nothing", 404),
];

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

#[tokio::test]
async fn the_document_matches_the_responses() {
    let app = app();
    let served = get(&app, "/api/v1/openapi.json").await.ok();
    assert!(served.header(header::CONTENT_TYPE).starts_with("application/json"));
    let doc = served.json();
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    for template in paths.keys() {
        assert!(CALLS.iter().any(|c| c.0 == template), "documented path {template} is never called");
    }
    let mut problems = Vec::new();
    for (template, uri, status) in CALLS {
        let operation = &paths.get(*template).unwrap_or_else(|| panic!("{template} is not documented"))["get"];
        let reply = get(&app, uri).await;
        assert_eq!(reply.status.as_u16(), *status, "{uri}: {}", reply.text());
        let response = resolve(&doc, &operation["responses"][status.to_string()]);
        assert!(!response.is_null(), "{uri}: status {status} is not documented for {template}");
        let schema = &response["content"]["application/json"]["schema"];
        check(&doc, schema, &reply.json(), uri, &mut problems);
    }
    assert!(problems.is_empty(), "responses that break the document:\n{}", problems.join("\n"));
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
}
