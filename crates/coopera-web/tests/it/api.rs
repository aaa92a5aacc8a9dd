//! The JSON API: resources, reports and errors with stable codes.

use super::*;

#[tokio::test]
async fn activities_list_and_detail() {
    let app = app();
    let list = get(&app, "/api/v1/activities?direction=given&per_page=5").await.ok();
    assert!(list.header(header::CONTENT_TYPE).starts_with("application/json"));
    let list = list.json();
    assert_eq!(list["items"].as_array().map(Vec::len), Some(5));
    assert!(list["items"].as_array().unwrap().iter().all(|i| i["direction"] == "given"));
    let one = get(&app, "/api/v1/activities/MX-AMEXCID-2011-0018").await.ok().json();
    assert_eq!(one["derived"]["direction"], "received");
    assert_eq!(one["document"]["id"], "MX-AMEXCID-2011-0018");
    assert_eq!(one["document"]["transactions"].as_array().map(Vec::len), Some(4));
    assert_eq!(one["links"]["html"], "/activities/MX-AMEXCID-2011-0018");
}

/// The documents the API shows are the registry's, field for field: for every activity and
/// organisation of the demo, the API's `document` is the domain's document as JSON.
#[tokio::test]
async fn the_documents_are_the_registrys() {
    use coopera_domain::doc::{ActivityDoc, OrganisationDoc};
    let app = app();
    let (mut activities, mut organisations) = (0, 0);
    for record in demo_records() {
        let (uri, stored) = match &record {
            coopera_store::Record::Activity(a) => {
                activities += 1;
                let doc = ActivityDoc::from_domain(a);
                (format!("/api/v1/activities/{}", doc.id), serde_json::to_value(&doc))
            }
            coopera_store::Record::Organisation(o) => {
                organisations += 1;
                let doc = OrganisationDoc::from_domain(o);
                (format!("/api/v1/organisations/{}", doc.key), serde_json::to_value(&doc))
            }
            _ => continue,
        };
        let shown = get(&app, &uri).await.ok().json();
        assert_eq!(shown["document"], stored.expect("the document is JSON"), "{uri}");
    }
    assert!(activities > 100 && organisations > 20, "{activities} activities, {organisations} organisations");
}

#[tokio::test]
async fn organisations_and_codelists() {
    let app = app();
    let orgs = get(&app, "/api/v1/organisations").await.ok().json();
    let amexcid = orgs["items"].as_array().unwrap().iter().find(|o| o["key"] == "amexcid").expect("amexcid");
    assert!(amexcid["activities"].as_u64().unwrap() > 50);
    let chiapas = get(&app, "/api/v1/organisations/gob-chiapas").await.ok().json();
    assert_eq!(chiapas["document"]["mx_state"], "07");
    let states = get(&app, "/api/v1/codelists/MxState?lang=en").await.ok().json();
    assert_eq!(states["total"], 32);
    assert_eq!(states["codes"][19]["code"], "20");
    let chiapas_municipalities = get(&app, "/api/v1/codelists/mx-municipality?category=07").await.ok().json();
    assert_eq!(chiapas_municipalities["total"], 124, "Chiapas has 124 municipalities");
    let roles = get(&app, "/api/v1/codelists/Role").await.ok().json();
    assert!(
        roles["codes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "first-provider" && c["name"] == "Primer oferente")
    );
    let lists = get(&app, "/api/v1/codelists").await.ok().json();
    assert!(lists["total"].as_u64().unwrap() > 60);
}

#[tokio::test]
async fn reports_have_the_cli_shape_and_the_seed_figures() {
    let app = app();
    let r = get(&app, "/api/v1/reports/regions?direction=given").await.ok().json();
    for field in
        ["report", "filters", "measure", "currency", "rows", "total", "concentration", "not_converted", "merged_flows"]
    {
        assert!(r.get(field).is_some(), "{field} missing");
    }
    assert_eq!(r["report"], "regions");
    assert_eq!(r["filters"]["direction"], "given");
    assert_eq!(r["rows"][0]["key"], "centroamerica", "cooperation given concentrates in Central America");
    // Concentration: each region's part of the sum of the rows (they overlap: 104 assignments
    // of 102 activities), squared and added up.
    let values: Vec<f64> = r["rows"].as_array().unwrap().iter().map(|x| x["value"].as_f64().unwrap()).collect();
    let sum: f64 = values.iter().sum();
    let hhi: f64 = values.iter().map(|v| (100.0 * v / sum).powi(2)).sum();
    assert!((r["concentration"]["hhi"].as_f64().unwrap() - hhi).abs() < 0.01);
    let value = get(&app, "/api/v1/reports/types?measure=total&currency=MXN&direction=given").await.ok().json();
    assert_eq!(value["currency"], "MXN");
    assert!(value["split"]["in_kind"].as_f64().unwrap() > 0.0, "in-kind value is counted");
    let partners = get(&app, "/api/v1/reports/countries?direction=received").await.ok().json();
    let keys: Vec<&str> = partners["rows"].as_array().unwrap().iter().map(|r| r["key"].as_str().unwrap()).collect();
    assert!(keys.contains(&"DE") && keys.contains(&"JP"), "received from Germany and Japan: {keys:?}");
    assert!(!keys.contains(&"MX"), "Mexico is not its own partner");
    let en = get(&app, "/api/v1/reports/themes?lang=en").await.ok().json();
    assert_eq!(en["lang"], "en");
    let list = get(&app, "/api/v1/reports").await.ok().json();
    assert!(list["reports"].as_array().unwrap().len() >= 20);
}

#[tokio::test]
async fn errors_are_json_with_a_stable_code() {
    let app = app();
    let cases = [
        ("/api/v1/activities?year=someday", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/api/v1/activities?direction=sideways", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/api/v1/activities?per_page=1000", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/api/v1/activities/NO-SUCH-1", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/reports/nothing", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/reports/themes?measure=weight", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/api/v1/reports/themes?currency=EUR", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/api/v1/nowhere", StatusCode::NOT_FOUND, "not_found"),
    ];
    for (uri, status, code) in cases {
        let r = get(&app, uri).await;
        assert_eq!(r.status, status, "{uri}");
        let body = r.json();
        assert_eq!(body["error"]["code"], code, "{uri}: {body}");
        assert!(!body["error"]["message"].as_str().unwrap_or("").is_empty());
    }
    let en = get(&app, "/api/v1/activities?year=x&lang=en").await.json();
    assert_eq!(en["error"]["message"], "parameter `year`: `x`: expected a year, e.g. 2012");
    let post = send(&app, Request::post("/api/v1/activities").body(Body::empty()).unwrap()).await;
    assert_eq!(post.status, StatusCode::UNAUTHORIZED, "a write needs a token");
    assert_eq!(post.json()["error"]["code"], "unauthorized");
    let delete = send(&app, Request::delete("/api/v1/activities").body(Body::empty()).unwrap()).await;
    assert_eq!(delete.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(delete.json()["error"]["code"], "method_not_allowed");
    let big = "x".repeat(2 * 1024 * 1024);
    let too_large = post_form(&app, "/organisations/new", &[("key", &big)]).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
}

/// Addresses no client should send — bytes that are not UTF-8, broken escapes, repeated or
/// oversized parameters, codes spelt otherwise than their lists write them — are answered
/// with a 4xx and a message naming the problem: JSON under `/api/`, a page elsewhere.
#[tokio::test]
async fn malformed_addresses_get_a_clear_answer() {
    let app = app();
    let long = "9".repeat(4000);
    let cases = [
        ("/api/v1/activities?q=%FF%FE", 400, "bad_request", "`q` is not UTF-8 text once decoded"),
        ("/api/v1/activities?%C3=1", 400, "bad_request", "is not UTF-8 text once decoded"),
        ("/api/v1/activities?q=100%", 400, "bad_request", "`%` is not a valid percent-escape (%XX)"),
        ("/api/v1/activities?q=%zz", 400, "bad_request", "`%zz` is not a valid percent-escape"),
        ("/api/v1/activities/%FF", 400, "bad_request", "the path is not UTF-8 text once decoded"),
        (
            "/api/v1/reports/themes?year=2012&year=2013",
            400,
            "invalid_parameter",
            "parameter `year`: `2013`: the parameter is given more than once",
        ),
        ("/api/v1/activities?lang=en&lang=es", 400, "invalid_parameter", "given more than once"),
        ("/api/v1/activities?lang=fr", 400, "invalid_parameter", "use es or en"),
        ("/api/v1/activities?year=2012%20", 400, "invalid_parameter", "expected a year"),
        ("/api/v1/activities?direction=Given", 400, "invalid_parameter", "write `given`"),
        ("/api/v1/activities?state=mx-chp", 400, "invalid_parameter", "write `07` or `MX-CHP`"),
        ("/api/v1/activities?country=gt", 400, "invalid_parameter", "write `GT`"),
        ("/api/v1/reports/themes?currency=usd", 400, "invalid_parameter", "USD or MXN"),
        ("/api/v1/reports/THEMES", 404, "not_found", "there is no report `THEMES`"),
        ("/api/v1/nowhere?q=%FF", 400, "bad_request", "not UTF-8"),
    ];
    for (uri, status, code, message) in cases {
        let r = get(&app, &format!("{uri}{}", if uri.contains('?') { "&x=1" } else { "" })).await;
        let en = get_with(&app, uri, &[(header::ACCEPT_LANGUAGE, "en")]).await;
        assert_eq!(r.status.as_u16(), status, "{uri}: {}", r.text());
        assert_eq!(en.json()["error"]["code"], code, "{uri}");
        let text = en.json()["error"]["message"].as_str().unwrap_or_default().to_owned();
        assert!(text.contains(message), "{uri}: {text}");
    }
    for uri in [format!("/api/v1/activities?year={long}"), format!("/api/v1/reports/themes?top={long}")] {
        let r = get(&app, &uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST);
        let message = r.json()["error"]["message"].as_str().unwrap_or_default().to_owned();
        assert!(message.len() < 300, "the value is quoted shortened: {message}");
    }
    let too_long = get(&app, &format!("/api/v1/activities?q={}", "a".repeat(9000))).await;
    assert_eq!(too_long.status, StatusCode::URI_TOO_LONG);
    assert_eq!(too_long.json()["error"]["code"], "uri_too_long");
    let page = get(&app, "/activities?q=%FF").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.header(header::CONTENT_TYPE).starts_with("text/html"));
    let blank = get(&app, "/api/v1/activities?q=+&year=").await.ok().json();
    assert_eq!(blank["total"], 156, "blank parameters do not filter");
}

/// Every endpoint the OpenAPI document lists: its template, an example address, the query
/// parameters it documents, and whether it reads for signed-in accounts only (`security`).
fn endpoints() -> Vec<(String, String, Vec<String>, bool)> {
    let doc: Value = serde_json::from_str(include_str!("../../assets/openapi.json")).expect("the document is JSON");
    let example = |template: &str| {
        let key = match template {
            t if t.contains("/catalog/capacities/") => "cap-pago-servicios-ambientales",
            t if t.contains("/catalog/demands/") => "sol-gt-incendios",
            t if t.contains("/actions/") => "chis-oficina-los-angeles",
            t if t.contains("/agreements/") => "acuerdo-sonora-arizona",
            t if t.contains("/memberships/") => "amaie-chiapas-sriam",
            t if t.contains("/practices/") => "bp-merida-catastro-belize",
            _ => "gob-chiapas",
        };
        template
            .replace("{id}", "MX-AMEXCID-2011-0018")
            .replace("{key}", key)
            .replace("{name}", if template.contains("codelists") { "Sector" } else { "themes" })
    };
    let resolve = |p: &Value| match p["$ref"].as_str() {
        Some(r) => doc.pointer(r.trim_start_matches('#')).cloned().unwrap_or(Value::Null),
        None => p.clone(),
    };
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .filter(|(_, item)| !item["get"].is_null())
        .map(|(t, item)| {
            let names = item["get"]["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(resolve)
                .filter(|p| p["in"] == "query")
                .filter_map(|p| p["name"].as_str().map(str::to_owned))
                .collect();
            (t.clone(), example(t), names, !item["get"]["security"].is_null())
        })
        .collect()
}

/// A parameter an endpoint does not document is refused with its name, never ignored: a
/// misspelt filter (`regoin=…`) or one of another endpoint (`top` on a list) would otherwise
/// answer with figures that look filtered and are not.
#[tokio::test]
async fn unknown_parameters_are_refused_by_name() {
    let app = app();
    let endpoints = endpoints();
    assert!(endpoints.len() >= 10, "{endpoints:?}");
    for (template, uri, documented, secured) in &endpoints {
        // What the document lists is read (an empty value filters nothing; an endpoint for
        // accounts asks the public for a token)…
        let all: Vec<String> = documented.iter().map(|n| format!("{n}=")).collect();
        let r = get(&app, &format!("{uri}?{}", all.join("&"))).await;
        let expected = if *secured { StatusCode::UNAUTHORIZED } else { StatusCode::OK };
        assert_eq!(r.status, expected, "{template}: {documented:?}: {}", r.text());
        // …and nothing else.
        for (query, name) in [("region=centroamerica", "region"), ("lang=en&x=", "x"), ("=1", "")] {
            let r = get_with(&app, &format!("{uri}?{query}"), &[(header::ACCEPT_LANGUAGE, "en")]).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{template}: {uri}?{query}: {}", r.text());
            let body = r.json();
            assert_eq!(body["error"]["code"], "invalid_parameter", "{uri}?{query}: {body}");
            let message = body["error"]["message"].as_str().unwrap_or_default();
            assert!(message.starts_with(&format!("parameter `{name}`")), "{uri}?{query}: {message}");
            assert!(message.contains("unknown parameter"), "{uri}?{query}: {message}");
        }
    }
    // The message names the parameters there are, and the closest one.
    let r = get(&app, "/api/v1/activities?regoin=centroamerica").await.json();
    let message = r["error"]["message"].as_str().unwrap_or_default().to_owned();
    assert!(message.contains("parámetro `regoin`: `centroamerica`: parámetro desconocido"), "{message}");
    let r = get(&app, "/api/v1/reports/themes?yaer=2012").await.json();
    assert!(r["error"]["message"].as_str().unwrap_or_default().contains("¿quiso decir `year`?"), "{r}");
    // Parameters of another endpoint are unknown here.
    for uri in ["/api/v1/activities?top=3", "/api/v1/reports/themes?page=2", "/api/v1/reports/themes?q=agua"] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
    }
    // An invalid value of a known parameter is refused, as before.
    let r = get(&app, "/api/v1/activities?direction=sideways").await;
    assert_eq!(
        r.json()["error"]["message"],
        "parámetro `direction`: `sideways`: código desconocido en la lista `Direction`; ¿quiso decir «given — Otorgada», «received — Recibida», «both — Bidireccional»?"
    );
}

/// Pages answer browsers and links shared elsewhere, which carry parameters of their own
/// (`fbclid`, `utm_source`, a submit button's name): they ignore what they do not read, and
/// say what they do read in their filters.
#[tokio::test]
async fn pages_ignore_parameters_they_do_not_read() {
    let app = app();
    for uri in
        ["/?fbclid=abc", "/activities?utm_source=correo&direction=given", "/organisations?x=1", "/activities/new?x="]
    {
        get_signed(&app, uri).await.ok();
    }
    let r = get(&app, "/activities?direction=sideways").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "a known parameter's value is still checked");
}
