//! Writes through the API with a token, as a script of an institution would make them: the
//! same checks, scopes and workflow as the forms, problems as JSON with stable codes, a write
//! over a newer version answered 409 — and every answer as the OpenAPI document says.

use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;
use coopera_store::{ActivityFilter, Who};

use super::openapi::{check_method_reply, document};
use super::*;

/// The app over the demo registry, a token per role, and the state to look into.
fn registry() -> (Router, AppState, [String; 3]) {
    let store = fresh_store();
    store.record("demo", demo_records_as_is()).expect("demo stored");
    let mut tokens = Vec::new();
    for (name, role, scope) in [
        ("analista", AccountRole::Analyst, "all"),
        ("editor-chiapas", AccountRole::Editor, "state:07"),
        ("consulta-oaxaca", AccountRole::Viewer, "state:20"),
    ] {
        let scope = Scope::parse(scope).expect("scope");
        store.add_account(Who::local("test"), name, role, &scope, "contraseña-de-demo").expect("account");
        tokens.push(store.issue_token(Who::local("test"), name, "script").expect("token"));
    }
    let state = AppState::from_store(store, Options::default()).expect("state");
    let tokens: [String; 3] = tokens.try_into().expect("three tokens");
    (coopera_web::app(state.clone()), state, tokens)
}

async fn call(app: &Router, method: Method, uri: &str, token: Option<&str>, body: &Value) -> Reply {
    let mut req = Request::builder().method(method).uri(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, req.body(Body::from(body.to_string())).expect("request")).await
}

/// A new Chiapas activity, as a document.
fn chiapas(id: &str) -> Value {
    serde_json::json!({
        "id": id, "reporting_org": "chiapas-sriam",
        "title": {"es": "Intercambio de experiencias en protección civil", "en": "Civil protection exchange"},
        "instrument": "action", "cooperation_type": "technical-scientific", "modality": "bilateral", "status": "2",
        "participants": [{"org": "chiapas-sriam", "role": "provider"}, {"org": "gt-conred", "role": "recipient"}],
        "sectors": [{"code": "74020", "percentage": 100}], "countries": [{"code": "GT"}],
        "dates": {"planned_start": "2016-03-01", "planned_end": "2016-03-05"}
    })
}

fn counts(state: &AppState) -> (u64, u64) {
    let store = state.store();
    (store.count_activities(&ActivityFilter::default()).expect("count"), store.count_history().expect("history"))
}

#[tokio::test]
async fn a_token_writes_what_its_account_may_and_nothing_else() {
    let (app, state, [analyst, editor, viewer]) = registry();
    let doc = document();
    let mut problems = Vec::new();
    let mut checked = |method: &str, template: &str, uri: &str, reply: &Reply| {
        check_method_reply(&doc, method, template, uri, reply, &mut problems);
    };
    let before = counts(&state);

    // No token, a wrong one, a viewer's, an editor's outside its state: refused, nothing written.
    let new = chiapas("MX-CHIS-2016-0001");
    let r = call(&app, Method::POST, "/api/v1/activities", None, &new).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.json()["error"]["code"], "unauthorized");
    checked("post", "/api/v1/activities", "anonymous", &r);
    let r = call(&app, Method::POST, "/api/v1/activities", Some("coopera_0123"), &new).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED, "an unknown token");
    let r = call(&app, Method::POST, "/api/v1/activities", Some(&viewer), &new).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    checked("post", "/api/v1/activities", "viewer", &r);
    let mut oaxaca = chiapas("MX-OAX-2016-0001");
    oaxaca["reporting_org"] = "gob-oaxaca".into();
    oaxaca["participants"][0]["org"] = "gob-oaxaca".into();
    let r = call(&app, Method::POST, "/api/v1/activities", Some(&editor), &oaxaca).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    assert_eq!(counts(&state), before, "nothing written");

    // Problems come back all at once, each at its field, in the request's language.
    let mut bad = chiapas("MX-CHIS-2016-0002");
    bad["sectors"][0]["percentage"] = 90.into();
    bad["participants"][1]["org"] = "no-existe".into();
    let r = call(&app, Method::POST, "/api/v1/activities?lang=en", Some(&editor), &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let body = r.json();
    assert_eq!(body["error"]["code"], "invalid_record");
    let paths: Vec<&str> =
        body["error"]["problems"].as_array().expect("problems").iter().filter_map(|p| p["path"].as_str()).collect();
    assert!(paths.contains(&"participants[1].org") && paths.iter().any(|p| p.starts_with("sectors")), "{paths:?}");
    checked("post", "/api/v1/activities", "invalid", &r);
    let shape = call(&app, Method::POST, "/api/v1/activities", Some(&editor), &serde_json::json!({"id": 1})).await;
    assert_eq!(shape.status, StatusCode::UNPROCESSABLE_ENTITY, "JSON of another shape: {}", shape.text());
    assert_eq!(shape.json()["error"]["code"], "invalid_record");
    checked("post", "/api/v1/activities", "another shape", &shape);
    let req = Request::post("/api/v1/activities")
        .header(header::AUTHORIZATION, format!("Bearer {editor}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{not json"))
        .expect("request");
    let malformed = send(&app, req).await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST, "not JSON at all");
    assert_eq!(counts(&state), before, "nothing written");

    // The editor creates a draft of Chiapas; the public does not see it.
    let r = call(&app, Method::POST, "/api/v1/activities", Some(&editor), &new).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    checked("post", "/api/v1/activities", "created", &r);
    let created = r.json();
    assert_eq!(created["document"]["workflow"], "draft");
    assert_eq!(get(&app, "/api/v1/activities/MX-CHIS-2016-0001").await.status, StatusCode::NOT_FOUND);
    let version = created["version"].as_i64().expect("version");

    // Two scripts edit from the same version: the second is answered 409, nothing lost.
    let mut first = new.clone();
    first["title"]["es"] = "Intercambio en protección civil (primera)".into();
    let mut second = new.clone();
    second["title"]["es"] = "Intercambio en protección civil (segunda)".into();
    let uri = "/api/v1/activities/MX-CHIS-2016-0001";
    let r =
        call(&app, Method::PUT, uri, Some(&editor), &serde_json::json!({"version": version, "document": first})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    checked("put", "/api/v1/activities/{id}", "updated", &r);
    let r = call(&app, Method::PUT, uri, Some(&analyst), &serde_json::json!({"version": version, "document": second}))
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(r.json()["error"]["code"], "conflict");
    checked("put", "/api/v1/activities/{id}", "conflict", &r);
    let stored = get_with(&app, uri, &[(header::AUTHORIZATION, &format!("Bearer {analyst}"))]).await.ok().json();
    assert_eq!(stored["document"]["title"]["es"], "Intercambio en protección civil (primera)", "the first is kept");

    // The workflow: the editor submits, the analyst validates and publishes; then the public sees it.
    let transitions = format!("{uri}/transitions");
    let step = |to: &str| serde_json::json!({"to": to});
    let r = call(&app, Method::POST, &transitions, Some(&editor), &step("validated")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "not a step of the draft, nor the editor's");
    let r = call(&app, Method::POST, &transitions, Some(&editor), &step("submitted")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    checked("post", "/api/v1/activities/{id}/transitions", "submitted", &r);
    let r = call(&app, Method::POST, &transitions, Some(&editor), &step("validated")).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "an editor does not validate");
    checked("post", "/api/v1/activities/{id}/transitions", "refused", &r);
    for to in ["validated", "published"] {
        let r = call(&app, Method::POST, &transitions, Some(&analyst), &step(to)).await;
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.text());
    }
    assert_eq!(get(&app, uri).await.ok().json()["document"]["workflow"], "published");
    let r = call(&app, Method::POST, &transitions, Some(&analyst), &step("draft")).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "back to draft needs a reason: {}", r.text());
    checked("post", "/api/v1/activities/{id}/transitions", "no reason", &r);

    // Organisations too.
    let org = serde_json::json!({"key": "tuxtla-prueba", "name": "Ayuntamiento de prueba", "kind": "10",
        "level": "municipal", "country": "MX", "mx_state": "07", "mx_municipality": "07101"});
    let r = call(&app, Method::POST, "/api/v1/organisations", Some(&viewer), &org).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = call(&app, Method::POST, "/api/v1/organisations", Some(&editor), &org).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    checked("post", "/api/v1/organisations", "created", &r);
    let v = r.json()["version"].clone();
    let r = call(
        &app,
        Method::PUT,
        "/api/v1/organisations/tuxtla-prueba",
        Some(&editor),
        &serde_json::json!({"version": v, "document": org}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    checked("put", "/api/v1/organisations/{key}", "updated", &r);
    let stale = serde_json::json!({"version": v, "document": org});
    let r = call(&app, Method::PUT, "/api/v1/organisations/tuxtla-prueba", Some(&analyst), &stale).await;
    assert_eq!(r.status, StatusCode::OK, "an identical document changes nothing: {}", r.text());
    let mut renamed = org.clone();
    renamed["name"] = "Ayuntamiento de prueba (renombrado)".into();
    let stale = serde_json::json!({"version": 1, "document": renamed});
    let r = call(&app, Method::PUT, "/api/v1/organisations/tuxtla-prueba", Some(&analyst), &stale).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    checked("put", "/api/v1/organisations/{key}", "conflict", &r);

    // A revoked token opens nothing.
    state.store().revoke_token(Who::local("test"), "editor-chiapas", None).expect("revoke");
    let r = call(&app, Method::POST, "/api/v1/activities", Some(&editor), &chiapas("MX-CHIS-2016-0003")).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(problems.is_empty(), "answers that break the document:\n{}", problems.join("\n"));
    let verdict = state.store().verify_audit().expect("verify");
    assert!(matches!(verdict, coopera_store::AuditVerdict::Intact { .. }), "the trail verifies: {verdict:?}");
}
