//! The actions abroad, agreements and memberships of states and municipalities written from
//! the web and the API: the same checks and messages as every record's, each problem at its
//! field; an editor scoped to a state writes its state's records and is refused another's
//! (403, nothing stored) on the API, the forms and the spreadsheet upload alike.

use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;
use coopera_store::{RecordKind, Who};

use super::*;

const PASSWORD: &str = "contraseña-de-demo";

/// The demo registry, the tests' administrator, an editor of Chiapas (07) and one of Jalisco
/// (14), with a token each.
fn registry() -> (Router, AppState, [String; 2]) {
    let store = demo_store();
    let mut tokens = Vec::new();
    for (name, scope) in [("editor-chiapas", "state:07"), ("editor-jalisco", "state:14")] {
        let scope = Scope::parse(scope).expect("scope");
        store.add_account(Who::local("test"), name, AccountRole::Editor, &scope, PASSWORD).expect("account");
        tokens.push(store.issue_token(Who::local("test"), name, "script").expect("token"));
    }
    let state = AppState::from_store(store, Options::default()).expect("state");
    let tokens: [String; 2] = tokens.try_into().expect("two tokens");
    (coopera_web::app(state.clone()), state, tokens)
}

async fn call(app: &Router, method: Method, uri: &str, token: &str, body: &Value, lang: &str) -> Reply {
    let req = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT_LANGUAGE, lang)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    send(app, req.body(Body::from(body.to_string())).expect("request")).await
}

fn action(key: &str, actor: &str) -> Value {
    serde_json::json!({
        "key": key, "actor": actor, "kind": "trade-mission", "date": "2024-04-10",
        "country": "GT", "city": "Quetzaltenango",
        "purpose": {"es": "Misión comercial del café", "en": "Coffee trade mission"}
    })
}

fn agreement(key: &str, parties: &[&str]) -> Value {
    serde_json::json!({
        "key": key, "title": {"es": "Acuerdo de cooperación", "en": "Cooperation agreement"},
        "parties": parties, "signed": "2024-01-15"
    })
}

fn membership(key: &str, member: &str) -> Value {
    serde_json::json!({"key": key, "network": "amaie", "member": member, "since": "2024-01-01"})
}

fn history(state: &AppState) -> u64 {
    state.store().count_history().expect("history")
}

#[tokio::test]
async fn the_api_creates_reads_and_updates_actions_agreements_and_memberships() {
    let (app, state, [chiapas, _]) = registry();
    let r =
        call(&app, Method::POST, "/api/v1/actions", &chiapas, &action("chis-mision-cafe", "chiapas-sriam"), "es").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.headers[header::LOCATION], "/api/v1/actions/chis-mision-cafe");
    let created = r.json();
    assert_eq!(created["states"], serde_json::json!(["07"]));
    assert_eq!(created["document"]["actor"], "chiapas-sriam");
    let version = created["version"].as_i64().expect("version");

    let mut doc = action("chis-mision-cafe", "chiapas-sriam");
    doc["city"] = "Huehuetenango".into();
    let update = serde_json::json!({"version": version, "document": doc});
    let r = call(&app, Method::PUT, "/api/v1/actions/chis-mision-cafe", &chiapas, &update, "es").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["document"]["city"], "Huehuetenango");
    let r = call(&app, Method::PUT, "/api/v1/actions/chis-mision-cafe", &chiapas, &update, "en").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "the version read is no longer the stored one");

    let none = Value::Null;
    let shown = call(&app, Method::GET, "/api/v1/actions/chis-mision-cafe", &chiapas, &none, "es").await.ok().json();
    assert_eq!(shown["document"]["city"], "Huehuetenango", "its editor reads the draft");
    assert_eq!(
        get(&app, "/api/v1/actions/chis-mision-cafe").await.status,
        StatusCode::NOT_FOUND,
        "the public does not"
    );
    let list = call(&app, Method::GET, "/api/v1/actions?state=07", &chiapas, &none, "es").await.ok().json();
    let keys: Vec<&str> = list["items"].as_array().expect("items").iter().filter_map(|i| i["key"].as_str()).collect();
    assert!(keys.contains(&"chis-mision-cafe") && keys.contains(&"chis-oficina-los-angeles"), "{keys:?}");
    assert!(!keys.contains(&"jal-gira-inversiones"), "Jalisco's action is not Chiapas's");
    // A state is named by its code as the document lists it: `7` answers with the one to write.
    for uri in ["/api/v1/agreements?state=7", "/api/v1/actions?state=mx-chp", "/api/v1/practices?state=7"] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}: {}", r.text());
        assert!(r.text().contains("escriba `07` o `MX-CHP`"), "{uri}: {}", r.text());
    }

    let body = agreement("acuerdo-chiapas-quiche", &["gob-chiapas", "gt-quiche"]);
    let r = call(&app, Method::POST, "/api/v1/agreements", &chiapas, &body, "es").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = call(
        &app,
        Method::POST,
        "/api/v1/memberships",
        &chiapas,
        &membership("amaie-gob-chiapas", "gob-chiapas"),
        "es",
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert!(state.store().agreement("acuerdo-chiapas-quiche").expect("read").is_some());
    assert!(state.store().membership("amaie-gob-chiapas").expect("read").is_some());
    let audit = state.store().history(&coopera_store::HistoryFilter {
        kind: Some(RecordKind::Action),
        key: Some("chis-mision-cafe".to_owned()),
        limit: None,
    });
    let audit = audit.expect("history");
    assert_eq!(audit.len(), 2, "created and updated, each in the audit trail");
    assert_eq!(audit[0].author, "editor-chiapas");
}

#[tokio::test]
async fn a_bad_document_answers_each_problem_at_its_field_in_the_requests_language() {
    let (app, state, [chiapas, _]) = registry();
    let before = history(&state);
    let mut bad = action("chis-mision-mala", "chiapas-sriam");
    bad["kind"] = "paseo".into();
    bad["end_date"] = "2024-04-01".into();
    bad["purpose"] = serde_json::json!({});
    let r = call(&app, Method::POST, "/api/v1/actions", &chiapas, &bad, "es").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = r.json();
    assert_eq!(body["error"]["code"], "invalid_record");
    assert!(body["error"]["message"].as_str().expect("message").contains("no se guardó nada"));
    let paths: Vec<&str> =
        body["error"]["problems"].as_array().expect("problems").iter().filter_map(|p| p["path"].as_str()).collect();
    assert!(paths.contains(&"kind") && paths.contains(&"purpose"), "{paths:?}");

    let one_party = agreement("acuerdo-solo", &["gob-chiapas"]);
    let r = call(&app, Method::POST, "/api/v1/agreements", &chiapas, &one_party, "en").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problem = &r.json()["error"]["problems"][0];
    assert_eq!(problem["path"], "parties");
    assert!(problem["message"].as_str().expect("message").contains("at least 2"), "{problem}");

    let unknown = membership("amaie-nadie", "gob-que-no-existe");
    let r = call(&app, Method::POST, "/api/v1/memberships", &chiapas, &unknown, "es").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["problems"][0]["path"], "member");
    assert_eq!(history(&state), before, "nothing stored");
}

#[tokio::test]
async fn a_state_editor_cannot_create_or_edit_another_states_records_on_the_api() {
    let (app, state, [chiapas, jalisco]) = registry();
    let before = history(&state);
    let refused = [
        ("/api/v1/actions", action("jal-mision-chiapas", "gob-jalisco")),
        ("/api/v1/agreements", agreement("acuerdo-jalisco-sv-2", &["gob-jalisco", "sv-rree"])),
        ("/api/v1/memberships", membership("amaie-jalisco-2", "gob-jalisco")),
    ];
    for (uri, body) in &refused {
        let r = call(&app, Method::POST, uri, &chiapas, body, "es").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}: {}", r.text());
        let message = r.json()["error"]["message"].as_str().expect("message").to_owned();
        assert!(message.contains("fuera de su ámbito") && message.contains("Chiapas"), "{message}");
    }
    let stored = [
        ("/api/v1/actions/jal-gira-inversiones", "counterpart"),
        ("/api/v1/agreements/acuerdo-jalisco-el-salvador", "registration_number"),
        ("/api/v1/memberships/amaie-gob-jalisco", "role"),
    ];
    for (uri, field) in &stored {
        let mut detail = get(&app, uri).await.ok().json();
        detail["document"][*field] = "DEMO-corregido".into();
        let update = serde_json::json!({"version": detail["version"], "document": detail["document"]});
        let r = call(&app, Method::PUT, uri, &chiapas, &update, "en").await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}: {}", r.text());
        assert!(r.json()["error"]["message"].as_str().expect("message").contains("outside your scope"));
        let r = call(&app, Method::PUT, uri, &jalisco, &update, "en").await;
        assert_eq!(r.status, StatusCode::OK, "Jalisco's editor edits its own: {}", r.text());
    }
    let mut moved = get(&app, "/api/v1/actions/chis-feria-cafe").await.ok().json();
    moved["document"]["actor"] = "gob-jalisco".into();
    let update = serde_json::json!({"version": moved["version"], "document": moved["document"]});
    let r = call(&app, Method::PUT, "/api/v1/actions/chis-feria-cafe", &chiapas, &update, "es").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "an action given to another state is out of scope once saved");
    assert_eq!(
        state.store().action("chis-feria-cafe").expect("read").expect("stored").parts().actor.as_str(),
        "chiapas-sriam"
    );
    assert_eq!(history(&state), before + 3, "only Jalisco's own three edits");
}

#[tokio::test]
async fn the_forms_show_problems_at_the_field_and_keep_a_state_editor_to_its_state() {
    let (app, state, _) = registry();
    let editor = sign_in(&app, "editor-chiapas", PASSWORD).await;
    let form = get_as(&app, &editor, "/actions/new").await.ok().text();
    assert!(form.contains("id=\"f-actor\"") && form.contains("/states/import"), "the form, with the upload linked");
    let bad: &[(&str, &str)] = &[
        ("key", "chis-mision-form"),
        ("actor", "chiapas-sriam"),
        ("kind", "trade-mission"),
        ("date", "2024-05-10"),
        ("end_date", "2024-05-01"),
        ("save", "1"),
    ];
    let r = post_as(&app, Some(&editor), "/actions/new", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("Hay problemas que corregir; no se guardó nada"), "{html}");
    for id in ["f-purpose-es", "f-end_date"] {
        assert!(html.contains(&format!("aria-describedby=\"{id}-err\"")), "{id} shows its problem: {html}");
    }
    assert!(state.store().action("chis-mision-form").expect("read").is_none());

    let mut good = bad.to_vec();
    good.retain(|(n, _)| *n != "end_date");
    good.push(("purpose.es", "Misión comercial"));
    let r = post_as(&app, Some(&editor), "/actions/new", &good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = get_as(&app, &editor, "/actions/chis-mision-form?saved=1").await.ok().text();
    assert!(page.contains("Registro guardado.") && page.contains("/actions/chis-mision-form/edit"), "{page}");

    // Jalisco's records: no edit link, their forms and a post refused, nothing stored.
    let before = history(&state);
    let page = get_as(&app, &editor, "/actions/jal-gira-inversiones").await.ok().text();
    assert!(!page.contains("/actions/jal-gira-inversiones/edit"), "no edit link on another state's record");
    for uri in [
        "/actions/jal-gira-inversiones/edit",
        "/agreements/acuerdo-jalisco-el-salvador/edit",
        "/memberships/amaie-gob-jalisco/edit",
    ] {
        let r = get_as(&app, &editor, uri).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{uri}");
        assert!(r.text().contains("fuera de su ámbito"), "{uri}");
    }
    let jalisco: &[(&str, &str)] = &[
        ("key", "jal-mision-form"),
        ("actor", "gob-jalisco"),
        ("kind", "trade-mission"),
        ("date", "2024-05-10"),
        ("purpose.es", "Misión"),
        ("save", "1"),
    ];
    let r = post_as(&app, Some(&editor), "/actions/new", jalisco).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let member: &[(&str, &str)] =
        &[("key", "amaie-jal-2"), ("network", "amaie"), ("member", "gob-jalisco"), ("save", "1")];
    let r = post_as(&app, Some(&editor), "/memberships/new", member).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let parties: &[(&str, &str)] = &[
        ("key", "acuerdo-jal-form"),
        ("title.es", "Acuerdo"),
        ("parties", "gob-jalisco"),
        ("parties", "sv-rree"),
        ("signed", "2024-01-01"),
        ("save", "1"),
    ];
    let r = post_as(&app, Some(&editor), "/agreements/new", parties).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(history(&state), before, "nothing stored");

    // The state's profile links the forms for those who may write.
    let profile = get_as(&app, &editor, "/states/07").await.ok().text();
    assert!(profile.contains("href=\"/actions/new\"") && profile.contains("href=\"/states/import\""), "{profile}");
    let public = get(&app, "/states/07").await.ok().text();
    assert!(!public.contains("href=\"/actions/new\""), "not for the public");
    for page in [
        "/actions/chis-oficina-los-angeles",
        "/agreements/acuerdo-chiapas-departamentos-gt",
        "/memberships/amaie-chiapas-sriam",
    ] {
        assert!(public.contains(&format!("href=\"{page}\"")), "the profile leads to {page}");
        assert_eq!(get(&app, page).await.status, StatusCode::OK, "{page} is public");
    }
    let linked = get(&app, "/actions/chis-mision-quetzaltenango").await.ok().text();
    assert!(linked.contains("href=\"/activities/MX-CHIS-2012-0001\""), "its linked activities: {linked}");
}

/// A multipart body with the token and a file, as the upload form sends it.
fn multipart(csrf: &str, name: &str, bytes: &[u8]) -> Vec<u8> {
    const B: &str = "----coopera-test-boundary";
    let mut out = Vec::new();
    out.extend_from_slice(
        format!("--{B}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{csrf}\r\n").as_bytes(),
    );
    out.extend_from_slice(
        format!("--{B}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: text/csv\r\n\r\n")
            .as_bytes(),
    );
    out.extend_from_slice(bytes);
    out.extend_from_slice(format!("\r\n--{B}--\r\n").as_bytes());
    out
}

async fn upload(app: &Router, browser: &Browser, name: &str, csv: &str) -> Reply {
    let req = Request::post("/states/import")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=----coopera-test-boundary")
        .header(header::ACCEPT_LANGUAGE, "es")
        .header(header::COOKIE, &browser.cookie);
    send(app, req.body(Body::from(multipart(&browser.csrf, name, csv.as_bytes()))).expect("request")).await
}

const HEADER: &str = "clave,actor,tipo,fecha,proposito_es\n";

#[tokio::test]
async fn the_upload_takes_the_whole_file_or_names_each_bad_row_and_stores_nothing() {
    let (app, state, _) = registry();
    let editor = sign_in(&app, "editor-chiapas", PASSWORD).await;
    let template = get_as(&app, &editor, "/states/template.xlsx").await.ok();
    assert!(template.bytes.starts_with(b"PK"), "a workbook");
    let form = get_as(&app, &editor, "/states/import").await.ok().text();
    assert!(form.contains("action=\"/states/import\""), "{form}");

    let before = history(&state);
    let bad = format!(
        "{HEADER}chis-hoja-1,chiapas-sriam,trade-mission,2024-06-01,Misión\n\
         chis-hoja-2,gob-que-no-existe,trade-mission,2024-06-02,Misión\n\
         chis-hoja-3,chiapas-sriam,paseo,2024-06-03,Misión\n"
    );
    let r = upload(&app, &editor, "acciones.csv", &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("acciones.csv: 2 problema(s); no se guardó nada"), "{html}");
    assert!(html.contains("fila 3, columna B (actor)"), "the unknown actor at its cell: {html}");
    assert!(html.contains("fila 4, columna C (tipo)"), "the unknown kind at its cell: {html}");
    assert_eq!(history(&state), before, "nothing stored, not even the good row");
    assert!(state.store().action("chis-hoja-1").expect("read").is_none());

    let jalisco = format!(
        "{HEADER}chis-hoja-1,chiapas-sriam,trade-mission,2024-06-01,Misión\n\
         jal-hoja-2,gob-jalisco,trade-mission,2024-06-02,Misión\n"
    );
    let r = upload(&app, &editor, "acciones.csv", &jalisco).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("fila 3") && html.contains("fuera de su ámbito"), "Jalisco's row named: {html}");
    assert_eq!(history(&state), before, "nothing stored");

    let good = format!("{HEADER}chis-hoja-1,chiapas-sriam,trade-mission,2024-06-01,Misión\n");
    let r = upload(&app, &editor, "acciones.csv", &good).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert!(r.text().contains("acciones: 1 creada(s)"), "{}", r.text());
    assert!(state.store().action("chis-hoja-1").expect("read").is_some());
}

#[tokio::test]
async fn an_action_takes_its_place_in_the_cross_border_agenda_on_the_form_and_the_api() {
    let (app, state, [chiapas, _]) = registry();
    let editor = sign_in(&app, "editor-chiapas", PASSWORD).await;
    let form = get_as(&app, &editor, "/actions/new").await.ok().text();
    assert!(
        form.contains("name=\"cross_border.border\"")
            && form.contains("name=\"cross_border.dimensions\"")
            && form.contains(" multiple size=\"7\">")
    );
    // Dimensions without a border: refused at the border, nothing stored.
    let mut fields: Vec<(&str, &str)> = vec![
        ("key", "chis-agenda-form"),
        ("actor", "chiapas-sriam"),
        ("kind", "technical-mission"),
        ("date", "2024-05-10"),
        ("purpose.es", "Mesa de trabajo sobre movilidad laboral transfronteriza"),
        ("cross_border.dimensions", "labour-markets"),
        ("cross_border.dimensions", "migration"),
        ("save", "1"),
    ];
    let r = post_as(&app, Some(&editor), "/actions/new", &fields).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("aria-describedby=\"f-cross_border-border-err\""), "the problem at the border: {html}");
    assert!(state.store().action("chis-agenda-form").expect("read").is_none());
    fields.push(("cross_border.border", "south"));
    let r = post_as(&app, Some(&editor), "/actions/new", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let stored = state.store().action("chis-agenda-form").expect("read").expect("stored");
    let tag = stored.parts().cross_border.clone().expect("tagged");
    assert_eq!(tag.border.code(), "south");
    let mut dims: Vec<&str> = tag.dimensions.iter().map(|d| d.code()).collect();
    dims.sort_unstable();
    assert_eq!(dims, ["labour-markets", "migration"]);
    // The edit form shows the tag chosen.
    let edit = get_as(&app, &editor, "/actions/chis-agenda-form/edit").await.ok().text();
    assert!(
        edit.contains("<option value=\"south\" selected>") && edit.contains("<option value=\"migration\" selected>")
    );

    // The API reads and writes the same tag.
    let mut doc = action("chis-agenda-api", "chiapas-sriam");
    doc["cross_border"] = serde_json::json!({"border": "north", "dimensions": ["drug-trafficking"]});
    let r = call(&app, Method::POST, "/api/v1/actions", &chiapas, &doc, "es").await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let shown = call(&app, Method::GET, "/api/v1/actions/chis-agenda-api", &chiapas, &Value::Null, "es").await.ok();
    let json: Value = serde_json::from_str(&shown.text()).expect("json");
    assert_eq!(json["document"]["cross_border"]["dimensions"][0], "drug-trafficking", "{json}");
    doc["key"] = "chis-agenda-api-2".into();
    doc["cross_border"] = serde_json::json!({"border": "east", "dimensions": []});
    let r = call(&app, Method::POST, "/api/v1/actions", &chiapas, &doc, "en").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("cross_border.border"), "{}", r.text());
}

#[tokio::test]
async fn an_agreement_form_shown_again_keeps_one_spare_party_row() {
    let (app, _, _) = registry();
    let editor = sign_in(&app, "editor-chiapas", PASSWORD).await;
    let form = get_as(&app, &editor, "/agreements/new").await.ok().text();
    assert_eq!(count(&form, "name=\"parties\""), 2, "two rows to start");
    // One party chosen, the spare row left empty, no title: shown again with the party and
    // one spare row, however often it is posted.
    let posted: &[(&str, &str)] =
        &[("key", "acu-form"), ("parties", "chiapas-sriam"), ("parties", ""), ("signed", "2024-01-15"), ("save", "1")];
    for _ in 0..2 {
        let r = post_as(&app, Some(&editor), "/agreements/new", posted).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        let html = r.text();
        assert_eq!(count(&html, "name=\"parties\""), 2, "the party and one spare row");
        assert!(html.contains("<option value=\"chiapas-sriam\" selected>"), "the party kept");
    }
}

#[tokio::test]
async fn a_blank_state_is_refused_not_read_as_every_state() {
    let app = app();
    for path in [
        "/api/v1/actions?state=%0B",
        "/api/v1/agreements?state=%20",
        "/api/v1/memberships?state=%0B",
        "/api/v1/practices?state=%20",
        "/api/v1/practices?theme=%09",
    ] {
        let r = get(&app, path).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}: {}", r.text());
    }
    let every = get(&app, "/api/v1/actions").await.ok().json()["total"].clone();
    assert_eq!(get(&app, "/api/v1/actions?state=").await.ok().json()["total"], every, "empty is every state");
    assert_eq!(get(&app, "/api/v1/practices?q=%20mezcal%20").await.status, StatusCode::OK, "words are trimmed");
}
