//! The validation workflow of the records other than activities — an international action
//! here, a capacity too —, as a state's editor and the agency's analyst walk it: a new record
//! is a draft that only its scope and the agency read; the editor submits it, the analyst
//! validates and publishes it (four eyes), and only then does the public see it on its page,
//! in the lists, the profiles and the catalog. An edit never moves it.

use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;
use coopera_store::Who;

use super::*;

const PASSWORD: &str = "contraseña-de-demo";

/// The demo registry with an editor of Chiapas and an analyst, each with a token.
fn registry() -> (Router, [String; 2]) {
    let store = demo_store();
    let mut tokens = Vec::new();
    for (name, role, scope) in
        [("editor-chiapas", AccountRole::Editor, "state:07"), ("analista", AccountRole::Analyst, "all")]
    {
        let scope = Scope::parse(scope).expect("scope");
        store.add_account(Who::local("test"), name, role, &scope, PASSWORD).expect("account");
        tokens.push(store.issue_token(Who::local("test"), name, "script").expect("token"));
    }
    let state = AppState::from_store(store, Options::default()).expect("state");
    (coopera_web::app(state), tokens.try_into().expect("two tokens"))
}

async fn call(app: &Router, method: Method, uri: &str, token: Option<&str>, body: &Value) -> Reply {
    let mut req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, "es");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, req.body(Body::from(body.to_string())).expect("request")).await
}

fn action(workflow: Option<&str>) -> Value {
    let mut doc = serde_json::json!({
        "key": "chis-mision-cafe", "actor": "chiapas-sriam", "kind": "trade-mission",
        "date": "2024-04-10", "country": "GT", "city": "Quetzaltenango",
        "purpose": {"es": "Misión comercial del café", "en": "Coffee trade mission"}
    });
    if let Some(w) = workflow {
        doc["workflow"] = w.into();
    }
    doc
}

async fn step(app: &Router, token: &str, to: &str, reason: Option<&str>) -> Reply {
    let mut body = serde_json::json!({"to": to});
    if let Some(r) = reason {
        body["reason"] = r.into();
    }
    call(app, Method::POST, "/api/v1/actions/chis-mision-cafe/transitions", Some(token), &body).await
}

/// What the public sees of the action: its API document, its page, the list and the profile.
async fn public_sees(app: &Router) -> [bool; 4] {
    let none = Value::Null;
    let api = call(app, Method::GET, "/api/v1/actions/chis-mision-cafe", None, &none).await.status == StatusCode::OK;
    let page = get(app, "/actions/chis-mision-cafe").await.status == StatusCode::OK;
    let list =
        call(app, Method::GET, "/api/v1/actions?state=07", None, &none).await.text().contains("chis-mision-cafe");
    let profile = get(app, "/states/07").await.text().contains("Misión comercial del café");
    [api, page, list, profile]
}

#[tokio::test]
async fn an_action_is_a_draft_until_the_agency_publishes_it() {
    let (app, [editor, analyst]) = registry();
    // An editor cannot create a published record, whatever its document says.
    let r = call(&app, Method::POST, "/api/v1/actions", Some(&editor), &action(Some("published"))).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());

    let r = call(&app, Method::POST, "/api/v1/actions", Some(&editor), &action(None)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.json()["document"]["workflow"], "draft");
    assert_eq!(public_sees(&app).await, [false; 4], "a draft is the public's \"not found\"");
    let mine = call(&app, Method::GET, "/api/v1/actions/chis-mision-cafe", Some(&editor), &Value::Null).await;
    assert_eq!(mine.status, StatusCode::OK, "its editor reads it");

    let r = step(&app, &editor, "submitted", None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["document"]["workflow"], "submitted");
    let r = step(&app, &editor, "validated", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "an editor never validates: {}", r.text());
    let r = step(&app, &analyst, "published", None).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "one step at a time: {}", r.text());
    for to in ["validated", "published"] {
        let r = step(&app, &analyst, to, None).await;
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.text());
    }
    assert_eq!(public_sees(&app).await, [true; 4]);

    // An edit keeps the state: the document's `workflow` does not move it.
    let now = call(&app, Method::GET, "/api/v1/actions/chis-mision-cafe", Some(&editor), &Value::Null).await;
    let version = now.json()["version"].as_i64().expect("version");
    let update = serde_json::json!({"version": version, "document": action(Some("draft"))});
    let r = call(&app, Method::PUT, "/api/v1/actions/chis-mision-cafe", Some(&editor), &update).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["document"]["workflow"], "published");

    // Back to draft needs a reason, and hides it again.
    let r = step(&app, &analyst, "draft", None).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.text());
    let r = step(&app, &analyst, "draft", Some("la fecha no coincide")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(public_sees(&app).await, [false; 4]);
}

#[tokio::test]
async fn the_page_offers_the_steps_each_account_may_take() {
    let (app, [editor, _]) = registry();
    let r = call(&app, Method::POST, "/api/v1/actions", Some(&editor), &action(None)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let browser = sign_in(&app, "editor-chiapas", PASSWORD).await;
    let page = get_as(&app, &browser, "/actions/chis-mision-cafe").await.ok().text();
    assert!(page.contains("data-workflow>Borrador<"), "{page}");
    assert!(page.contains(r#"data-step="submitted""#) && !page.contains(r#"data-step="validated""#), "{page}");
    let version = r.json()["version"].as_i64().expect("version").to_string();
    let fields = [("to", "submitted"), ("version", version.as_str())];
    let r = post_as(&app, Some(&browser), "/actions/chis-mision-cafe/transition", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = get_as(&app, &browser, "/actions/chis-mision-cafe").await.ok().text();
    assert!(page.contains("data-workflow>Enviado<") && page.contains("editor-chiapas"), "{page}");

    let analyst = sign_in(&app, "analista", PASSWORD).await;
    let page = get_as(&app, &analyst, "/actions/chis-mision-cafe").await.ok().text();
    assert!(page.contains(r#"data-step="validated""#) && page.contains(r#"data-step="draft""#), "{page}");
}

#[tokio::test]
async fn a_new_capacity_stays_out_of_the_public_catalog_and_its_search_until_published() {
    let (app, [_, analyst]) = registry();
    let doc = serde_json::json!({
        "key": "cap-apicultura-sin-aguijon", "institution": "conafor",
        "title": {"es": "Meliponicultura: abejas sin aguijón", "en": "Stingless beekeeping"},
        "sectors": [{"code": "31120", "percentage": 100}], "forms": ["course"]
    });
    let r = call(&app, Method::POST, "/api/v1/catalog/capacities", Some(&analyst), &doc).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let find = "/api/v1/search?q=meliponicultura";
    let none = Value::Null;
    let public = |body: String| body.contains("cap-apicultura-sin-aguijon");
    assert!(!public(get(&app, "/catalog").await.text()));
    assert!(!public(call(&app, Method::GET, find, None, &none).await.text()));
    assert_eq!(get(&app, "/catalog/capacities/cap-apicultura-sin-aguijon").await.status, StatusCode::NOT_FOUND);
    for to in ["submitted", "validated", "published"] {
        let uri = "/api/v1/catalog/capacities/cap-apicultura-sin-aguijon/transitions";
        let body = serde_json::json!({"to": to});
        let r = call(&app, Method::POST, uri, Some(&analyst), &body).await;
        // The analyst may not validate what the same analyst submitted: an administrator does.
        if to == "validated" {
            assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
            let admin = sign_in(&app, TESTER.0, TESTER.1).await;
            let uri = "/catalog/capacities/cap-apicultura-sin-aguijon/transition";
            let r = post_as(&app, Some(&admin), uri, &[("to", "validated")]).await;
            assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
            continue;
        }
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.text());
    }
    assert!(public(get(&app, "/catalog").await.text()));
    assert!(public(call(&app, Method::GET, find, None, &none).await.text()));
}
