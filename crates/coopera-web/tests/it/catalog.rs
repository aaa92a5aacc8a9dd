//! The catalog of national capacities and partners' demands, as the public, institutions'
//! editors and the agency use it: the public catalog by thematic area with the seed's shares,
//! a capacity's page with its evidence, a demand moved through its workflow by the form and
//! by the API and counted by the report, steps and records refused at their fields with
//! nothing changed, scopes by institution, English pages and the printable edition.

use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;
use coopera_store::{RecordKind, Who};

use super::openapi::{check_method_reply, document};
use super::*;

const PASSWORD: &str = "contraseña-de-demo";
/// A capacity of CONAFOR's with evidence in two partner countries' activities.
const CAPACITY: &str = "cap-pago-servicios-ambientales";
/// A demand still received: Belize asks for surveillance of citrus pests (agriculture).
const DEMAND: &str = "sol-bz-sanidad-vegetal";

/// The demo registry, every activity published; the tests' administrator; and an analyst,
/// an editor of CONAFOR, an editor of SEMARNAT and a viewer, each with a token.
fn registry() -> (Router, AppState, [String; 4]) {
    let store = demo_store();
    let mut tokens = Vec::new();
    for (name, role, scope) in [
        ("analista", AccountRole::Analyst, "all"),
        ("editor-conafor", AccountRole::Editor, "org:conafor"),
        ("editor-semarnat", AccountRole::Editor, "org:semarnat"),
        ("consulta", AccountRole::Viewer, "all"),
    ] {
        let scope = Scope::parse(scope).expect("scope");
        store.add_account(Who::local("test"), name, role, &scope, PASSWORD).expect("account");
        tokens.push(store.issue_token(Who::local("test"), name, "script").expect("token"));
    }
    let state = AppState::from_store(store, Options::default()).expect("state");
    (coopera_web::app(state.clone()), state, tokens.try_into().expect("four tokens"))
}

async fn call(app: &Router, method: Method, uri: &str, token: Option<&str>, body: &Value) -> Reply {
    let mut req = Request::builder().method(method).uri(uri).header(header::CONTENT_TYPE, "application/json");
    if let Some(t) = token {
        req = req.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    send(app, req.body(Body::from(body.to_string())).expect("request")).await
}

async fn get_token(app: &Router, uri: &str, token: &str) -> Reply {
    get_with(app, uri, &[(header::AUTHORIZATION, &format!("Bearer {token}"))]).await
}

/// The cells of the row of a table whose first cell links to `href`, as text.
fn row_of(html: &str, href: &str) -> Vec<String> {
    let at = html.find(&format!("<a href=\"{href}\">")).unwrap_or_else(|| panic!("no row for {href}"));
    let row = &html[at..html[at..].find("</tr>").map_or(html.len(), |e| at + e)];
    row.split("<td")
        .skip(1)
        .map(|cell| {
            let inner = cell.split_once('>').map_or("", |(_, rest)| rest);
            inner.split("</td>").next().unwrap_or("").to_owned()
        })
        .collect()
}

/// The value of the hidden `version` field of a page's first step form.
fn version_of(html: &str) -> String {
    const FIELD: &str = "name=\"version\" value=\"";
    let at = html.find(FIELD).expect("a version field") + FIELD.len();
    html[at..].split('"').next().unwrap_or("").to_owned()
}

/// What a refused write must leave as it was: the demand's version and its steps.
fn demand_state(state: &AppState, key: &str) -> (Option<i64>, usize, String) {
    let store = state.store();
    let demand = store.demand(key).expect("read").expect("demand");
    (
        store.version(RecordKind::Demand, key).expect("version"),
        store.demand_steps(Some(key)).expect("steps").len(),
        demand.parts().state.code().to_owned(),
    )
}

#[tokio::test]
async fn the_public_catalog_lists_the_seed_areas_with_their_shares() {
    let app = app();
    let page = get(&app, "/catalog").await.ok();
    let html = page.text();
    assert!(html.contains("<a href=\"/catalog\" aria-current=\"page\">Catálogo</a>"), "the nav marks the catalog");
    // The seed's table (AMEXCID, Catálogo de Capacidades 2012), from the demo's 60 capacities.
    for (area, name, count, share) in [
        ("410", "Medio Ambiente", "12", "20 %"),
        ("150", "Gobierno y Sociedad Civil", "9", "15 %"),
        ("110", "Educación", "9", "15 %"),
        ("310", "Agricultura, Silvicultura y Pesca", "9", "15 %"),
    ] {
        let row = row_of(&html, &format!("/catalog/areas/{area}"));
        assert_eq!(row, [count, share], "{name}");
        assert!(html.contains(&format!("<section id=\"area-{area}\"")), "{name} has its section");
    }
    assert!(html.contains(&format!("<a href=\"/catalog/capacities/{CAPACITY}\">")), "capacities are listed");
    // The public is offered no demands, report or new capacity, and may not see demands.
    assert!(!html.contains("/catalog/demands") && !html.contains("/catalog/capacities/new"));
    let demands = get(&app, "/catalog/demands").await;
    assert_eq!(demands.status, StatusCode::SEE_OTHER);
    assert!(demands.header(header::LOCATION).starts_with("/login?next="), "asked to sign in");
    assert_eq!(get(&app, "/api/v1/catalog/demands").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(get(&app, "/api/v1/catalog/report").await.status, StatusCode::UNAUTHORIZED);

    // One area, and an area that is none.
    let area = get(&app, "/catalog/areas/410").await.ok().text();
    assert!(area.contains("<h1>Medio Ambiente</h1>") && area.contains("12 capacidades de 60 en el catálogo (20 %)"));
    assert_eq!(count(&area, "class=\"catalog-area\""), 1);
    assert_eq!(get(&app, "/catalog/areas/999").await.status, StatusCode::NOT_FOUND);

    // The API lists them all for the public.
    let list = get(&app, "/api/v1/catalog/capacities").await.ok().json();
    assert_eq!(list["total"], 60);
}

#[tokio::test]
async fn a_capacity_page_shows_its_institution_and_evidence() {
    let app = app();
    let html = get(&app, &format!("/catalog/capacities/{CAPACITY}")).await.ok().text();
    assert!(html.contains("<h1>Pago por servicios ambientales hidrológicos</h1>"));
    assert!(html.contains("<a href=\"/organisations/conafor\">Comisión Nacional Forestal</a>"), "the institution");
    for activity in ["MX-AMEXCID-2010-0001", "MX-CAMP-2013-0001"] {
        assert!(html.contains(&format!("<a href=\"/activities/{activity}\">")), "evidence {activity}");
    }
    assert!(html.contains("<svg class=\"map\""), "the partner countries on a map");
    assert!(html.contains("/activities?partner_country="), "each country leads to its activities");
    assert!(html.contains("cooperacion.conafor@example.org") && html.contains("Asistencia técnica"));
    assert!(!html.contains(&format!("{CAPACITY}/edit")), "the public may not edit");
    let detail = get(&app, &format!("/api/v1/catalog/capacities/{CAPACITY}")).await.ok().json();
    assert_eq!(detail["document"]["institution"], "conafor");
    assert_eq!(detail["areas"], serde_json::json!(["410"]));
    assert_eq!(get(&app, "/catalog/capacities/cap-nada").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_demand_moves_through_the_form_and_the_api_and_the_report_counts_it() {
    let (app, state, [analyst, ..]) = registry();
    let doc = document();
    let mut problems = Vec::new();
    let before = get_token(&app, "/api/v1/catalog/report", &analyst).await.ok();
    check_method_reply(&doc, "get", "/api/v1/catalog/report", "report", &before, &mut problems);
    let before = before.json();
    let agreed = |r: &Value| {
        r["by_state"].as_array().and_then(|s| s.iter().find(|s| s["state"] == "agreed")).map(|s| s["demands"].clone())
    };

    // Received → answered through the page's form, by the tests' administrator.
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let url = format!("/catalog/demands/{DEMAND}");
    let page = get_as(&app, &admin, &url).await.ok().text();
    assert!(page.contains("data-step=\"answered\"") && page.contains("data-step=\"declined\""));
    assert!(!page.contains("data-step=\"agreed\""), "only the steps from where it stands");
    assert!(page.contains("Sugeridas: misma área temática"), "capacities of its area come first");
    let version = version_of(&page);
    let moved = post_as(
        &app,
        Some(&admin),
        &format!("{url}/move"),
        &[
            ("to", "answered"),
            ("proposed", "cap-mosca-fruta"),
            ("proposed", "cap-sanidad-animal"),
            ("version", &version),
        ],
    )
    .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.text());
    let page = get_as(&app, &admin, &format!("{url}?moved=1")).await.ok().text();
    assert!(page.contains("Nuevo estado: Respondida"));
    assert!(page.contains("<a href=\"/catalog/capacities/cap-mosca-fruta\">"), "the capacities proposed");
    assert!(page.contains("<td>tester</td>") && page.contains("Recibida → Respondida"), "who took the step");

    // Answered → agreed through the API, by the analyst's token.
    let uri = format!("/api/v1/catalog/demands/{DEMAND}/transitions");
    let step = serde_json::json!({"to": "agreed", "activity": "MX-AMEXCID-2010-0001"});
    let r = call(&app, Method::POST, &uri, Some(&analyst), &step).await;
    check_method_reply(&doc, "post", "/api/v1/catalog/demands/{key}/transitions", "agree", &r, &mut problems);
    let r = r.ok().json();
    assert_eq!(r["document"]["state"], "agreed");
    assert_eq!(r["document"]["activity"], "MX-AMEXCID-2010-0001");
    assert_eq!(r["document"]["proposed"], serde_json::json!(["cap-mosca-fruta", "cap-sanidad-animal"]));
    let steps: Vec<(&str, &str)> = r["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| (s["author"].as_str().unwrap_or(""), s["to"].as_str().unwrap_or("")))
        .collect();
    assert_eq!(steps, [("tester", "answered"), ("analista", "agreed")]);
    assert_eq!(state.store().demand_steps(Some(DEMAND)).expect("steps").len(), 2);

    // The report counts it: one more answered, one more agreed.
    let after = get_token(&app, "/api/v1/catalog/report", &analyst).await.ok().json();
    assert_eq!(after["answered"].as_u64(), before["answered"].as_u64().map(|n| n + 1));
    assert_eq!(agreed(&after).and_then(|v| v.as_u64()), agreed(&before).and_then(|v| v.as_u64()).map(|n| n + 1));
    assert_eq!(after["areas"][0]["area"], "410");
    let report = get_as(&app, &admin, "/catalog/report").await.ok().text();
    let row = row_of(&report, "/catalog/demands?state=agreed");
    assert_eq!(row, [agreed(&after).expect("agreed").to_string()]);
    let list = get_token(&app, "/api/v1/catalog/demands?state=agreed", &analyst).await.ok();
    check_method_reply(&doc, "get", "/api/v1/catalog/demands", "list", &list, &mut problems);
    assert!(list.json()["items"].as_array().expect("items").iter().any(|d| d["key"] == DEMAND));
    let shown = get_token(&app, &format!("/api/v1/catalog/demands/{DEMAND}"), &analyst).await;
    check_method_reply(&doc, "get", "/api/v1/catalog/demands/{key}", "show", &shown, &mut problems);

    // A demand created through the API, then its document replaced: its workflow stays as
    // stored, whatever the document says of it.
    let new = serde_json::json!({
        "key": "sol-hn-cuencas", "title": {"es": "Manejo de la cuenca del río Ulúa"}, "requester": "hn-copeco",
        "sectors": [{"code": "14010"}], "country": "HN", "received": "2015-02-01"
    });
    let r = call(&app, Method::POST, "/api/v1/catalog/demands", Some(&analyst), &new).await;
    check_method_reply(&doc, "post", "/api/v1/catalog/demands", "create", &r, &mut problems);
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.header(header::LOCATION), "/api/v1/catalog/demands/sol-hn-cuencas");
    let created = r.json();
    let mut changed = created["document"].clone();
    changed["state"] = "closed".into();
    changed["title"]["en"] = "Management of the Ulúa river basin".into();
    let update = serde_json::json!({"version": created["version"], "document": changed});
    let r = call(&app, Method::PUT, "/api/v1/catalog/demands/sol-hn-cuencas", Some(&analyst), &update).await;
    check_method_reply(&doc, "put", "/api/v1/catalog/demands/{key}", "update", &r, &mut problems);
    let r = r.ok().json();
    assert_eq!(r["document"]["title"]["en"], "Management of the Ulúa river basin");
    assert!(r["document"]["state"].is_null(), "still received: {r}");
    assert!(problems.is_empty(), "responses that break the document:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn a_wrong_step_or_an_unknown_capacity_is_refused_with_its_field_and_nothing_changes() {
    let (app, state, [analyst, ..]) = registry();
    let doc = document();
    let mut problems = Vec::new();
    let unchanged = demand_state(&state, DEMAND);
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let url = format!("/catalog/demands/{DEMAND}/move");

    // The form: an unknown capacity, at its field, in Spanish; then a step that is none.
    let r = post_as(&app, Some(&admin), &url, &[("to", "answered"), ("proposed", "cap-que-no-existe")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("No se dio el paso; no cambió nada"));
    assert!(
        html.contains(
            "Capacidades propuestas: «cap-que-no-existe»: no existe una capacidad del catálogo con esa clave"
        )
    );
    assert!(html.contains("aria-invalid=\"true\""), "the field is marked");
    assert!(html.contains("<option value=\"cap-mosca-fruta\">"), "the form is there to try again");
    let r = post_as(&app, Some(&admin), &url, &[("to", "agreed"), ("activity", "MX-AMEXCID-2010-0001")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("Paso: «agreed»: una solicitud recibida no puede pasar a ese estado"), "{}", r.text());
    let r = post_as(&app, Some(&admin), &format!("{url}?lang=en"), &[("to", "declined")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("The step was not taken; nothing changed") && r.text().contains("Reason: "));
    assert_eq!(demand_state(&state, DEMAND), unchanged);

    // The API: each problem at the request's field, with the stable code.
    let uri = format!("/api/v1/catalog/demands/{DEMAND}/transitions");
    for (step, path) in [
        (serde_json::json!({"to": "closed"}), "to"),
        (serde_json::json!({"to": "answered", "proposed": ["cap-nada"]}), "proposed[0]"),
        (serde_json::json!({"to": "agreed", "activity": "MX-NADA-1"}), "to"),
        (serde_json::json!({"to": "declined"}), "reason"),
    ] {
        let r = call(&app, Method::POST, &format!("{uri}?lang=en"), Some(&analyst), &step).await;
        check_method_reply(
            &doc,
            "post",
            "/api/v1/catalog/demands/{key}/transitions",
            &step.to_string(),
            &r,
            &mut problems,
        );
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{step}: {}", r.text());
        let body = r.json();
        assert_eq!(body["error"]["code"], "invalid_record");
        assert_eq!(body["error"]["problems"][0]["path"], path, "{step}: {body}");
    }
    let r = call(
        &app,
        Method::POST,
        &format!("{uri}?lang=en"),
        Some(&analyst),
        &serde_json::json!({"to": "answered", "proposed": ["cap-nada"]}),
    )
    .await;
    assert!(
        r.json()["error"]["problems"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("there is no capacity of the catalog with that key"))
    );
    // A state that is none, as the activities' steps answer it; a step from an older version.
    let r = call(&app, Method::POST, &uri, Some(&analyst), &serde_json::json!({"to": "flying"})).await;
    check_method_reply(&doc, "post", "/api/v1/catalog/demands/{key}/transitions", "flying", &r, &mut problems);
    assert_eq!((r.status, r.json()["error"]["code"].clone()), (StatusCode::BAD_REQUEST, "invalid_parameter".into()));
    let older = unchanged.0.expect("a version") - 1;
    let stale = serde_json::json!({"to": "answered", "proposed": ["cap-mosca-fruta"], "version": older});
    let r = call(&app, Method::POST, &uri, Some(&analyst), &stale).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    assert_eq!(demand_state(&state, DEMAND), unchanged, "nothing changed");
    assert!(problems.is_empty(), "responses that break the document:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn an_editor_of_another_institution_cannot_edit_a_capacity() {
    let (app, state, [_, conafor, semarnat, viewer]) = registry();
    let doc = document();
    let mut problems = Vec::new();
    let edit = format!("/catalog/capacities/{CAPACITY}/edit");
    let version = || state.store().version(RecordKind::Capacity, CAPACITY).expect("version");
    let before = version();

    // SEMARNAT's editor: no button, no form, no save, by page or by API.
    let other = sign_in(&app, "editor-semarnat", PASSWORD).await;
    let page = get_as(&app, &other, &format!("/catalog/capacities/{CAPACITY}")).await.ok().text();
    assert!(!page.contains(&edit));
    assert_eq!(get_as(&app, &other, &edit).await.status, StatusCode::FORBIDDEN);
    let r = post_as(&app, Some(&other), &edit, &[("title.es", "Otra cosa"), ("save", "1")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let api = format!("/api/v1/catalog/capacities/{CAPACITY}");
    let detail = get(&app, &api).await.ok().json();
    let mut update = serde_json::json!({"version": detail["version"], "document": detail["document"]});
    update["document"]["title"]["es"] = "Pago por servicios ambientales".into();
    let r = call(&app, Method::PUT, &api, Some(&semarnat), &update).await;
    check_method_reply(&doc, "put", "/api/v1/catalog/capacities/{key}", "semarnat", &r, &mut problems);
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "forbidden");
    assert_eq!(call(&app, Method::PUT, &api, Some(&viewer), &update).await.status, StatusCode::FORBIDDEN);
    assert_eq!(version(), before, "nothing changed");

    // CONAFOR's editor edits its own, from the version it read; a second save of that version
    // is a conflict; it creates none for another institution.
    let own = sign_in(&app, "editor-conafor", PASSWORD).await;
    assert!(get_as(&app, &own, &format!("/catalog/capacities/{CAPACITY}")).await.ok().text().contains(&edit));
    assert_eq!(get_as(&app, &own, &edit).await.status, StatusCode::OK);
    let r = call(&app, Method::PUT, &api, Some(&conafor), &update).await;
    check_method_reply(&doc, "put", "/api/v1/catalog/capacities/{key}", "conafor", &r, &mut problems);
    assert_eq!(r.ok().json()["document"]["title"]["es"], "Pago por servicios ambientales");
    let r = call(&app, Method::PUT, &api, Some(&conafor), &update).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let mut theirs = detail["document"].clone();
    theirs["key"] = "cap-nueva".into();
    theirs["institution"] = "semarnat".into();
    let r = call(&app, Method::POST, "/api/v1/catalog/capacities", Some(&conafor), &theirs).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text());
    theirs["institution"] = "conafor".into();
    let r = call(&app, Method::POST, "/api/v1/catalog/capacities", Some(&conafor), &theirs).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "an editor never creates a published record: {}", r.text());
    theirs.as_object_mut().expect("a document").remove("workflow");
    let r = call(&app, Method::POST, "/api/v1/catalog/capacities", Some(&conafor), &theirs).await;
    check_method_reply(&doc, "post", "/api/v1/catalog/capacities", "create", &r, &mut problems);
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    assert_eq!(r.header(header::LOCATION), "/api/v1/catalog/capacities/cap-nueva");

    // Editors and viewers read demands, but do not move them.
    assert_eq!(get_as(&app, &own, "/catalog/demands").await.status, StatusCode::OK);
    let step = serde_json::json!({"to": "declined", "reason": "sin presupuesto"});
    let uri = format!("/api/v1/catalog/demands/{DEMAND}/transitions");
    assert_eq!(call(&app, Method::POST, &uri, Some(&conafor), &step).await.status, StatusCode::FORBIDDEN);
    assert_eq!(call(&app, Method::POST, &uri, Some(&viewer), &step).await.status, StatusCode::FORBIDDEN);
    assert!(!get_as(&app, &own, &format!("/catalog/demands/{DEMAND}")).await.ok().text().contains("data-step="));
    assert!(problems.is_empty(), "responses that break the document:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn the_forms_create_records_and_show_problems_by_field() {
    let (app, state, _) = registry();
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let bad: &[(&str, &str)] = &[
        ("key", "cap-cuencas"),
        ("institution", "conagua-que-no-existe"),
        ("sectors[0].code", "14010"),
        ("sectors[0].percentage", "80"),
        ("contact.email", "sin-arroba"),
        ("evidence", "MX-NADA-1"),
        ("save", "1"),
    ];
    let r = post_as(&app, Some(&admin), "/catalog/capacities/new", bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("Hay problemas que corregir; no se guardó nada"));
    for (id, what) in [
        ("f-title-es", "the title"),
        ("f-institution", "the institution"),
        ("f-contact-email", "the e-mail"),
        ("f-evidence", "the evidence"),
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")) && html.contains(&format!("#{id}\"")), "{what} is named");
        assert!(html.contains(&format!("aria-describedby=\"{id}-err\"")), "{what} shows its problem");
    }
    assert!(html.contains("<a href=\"#forms\">Formas que puede tomar:"), "the forms, as a list");
    assert!(html.contains("<a href=\"#sectors\">Sectores:"), "percentages that do not add up");
    assert!(html.contains("value=\"sin-arroba\""), "the input is kept");
    assert!(state.store().capacity("cap-cuencas").expect("read").is_none());

    let good: &[(&str, &str)] = &[
        ("key", "cap-cuencas"),
        ("title.es", "Manejo integral de cuencas"),
        ("title.en", "Integrated watershed management"),
        ("institution", "semarnat"),
        ("sectors[0].code", "14010"),
        ("forms", "course"),
        ("forms", "technical-assistance"),
        ("languages", "es"),
        ("save", "1"),
    ];
    let r = post_as(&app, Some(&admin), "/catalog/capacities/new", good).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header(header::LOCATION), "/catalog/capacities/cap-cuencas?saved=1");
    // A draft: the agency reads it in the catalog, the public does not yet.
    assert!(
        get_as(&app, &admin, "/catalog").await.ok().text().contains("<a href=\"/catalog/capacities/cap-cuencas\">")
    );
    assert!(!get(&app, "/catalog").await.ok().text().contains("/catalog/capacities/cap-cuencas"));

    // A demand, created received, then edited: its workflow stays as stored.
    let demand: &[(&str, &str)] = &[
        ("key", "sol-sv-cuencas"),
        ("title.es", "Manejo de la cuenca del río Lempa"),
        ("requester", "sv-stp"),
        ("country", "sv"),
        ("received", "2015-03-02"),
        ("sectors[0].code", "14010"),
        ("forms", "course"),
        ("save", "1"),
    ];
    let r = post_as(&app, Some(&admin), "/catalog/demands/new", demand).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = get_as(&app, &admin, "/catalog/demands/sol-sv-cuencas").await.ok().text();
    assert!(page.contains("<span data-demand-state>Recibida</span>") && page.contains("El Salvador"));
    let mut edit = demand.to_vec();
    edit.retain(|(k, _)| *k != "received");
    edit.push(("received", "2015-01-01"));
    let version = state.store().version(RecordKind::Demand, "sol-sv-cuencas").expect("v").expect("stored").to_string();
    edit.push(("version", &version));
    let r = post_as(&app, Some(&admin), "/catalog/demands/sol-sv-cuencas/edit", &edit).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let stored = state.store().demand("sol-sv-cuencas").expect("read").expect("demand");
    assert_eq!(stored.parts().received.map(|d| d.to_string()).as_deref(), Some("2015-01-01"));
    // An editor is not offered the demand forms.
    let editor = sign_in(&app, "editor-conafor", PASSWORD).await;
    assert_eq!(get_as(&app, &editor, "/catalog/demands/new").await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_catalog_speaks_english() {
    let (app, _, _) = registry();
    let html = get(&app, "/catalog?lang=en").await.ok().text();
    assert!(html.contains("<html lang=\"en\">") && html.contains("<h1>Catalog of capacities</h1>"));
    let row = row_of(&html, "/catalog/areas/410");
    assert_eq!(row, ["12", "20%"]);
    assert!(html.contains("General Environment Protection</a>"));
    let page = get(&app, &format!("/catalog/capacities/{CAPACITY}?lang=en")).await.ok().text();
    assert!(page.contains("<h1>Payments for hydrological environmental services</h1>"));
    assert!(page.contains("Activities that prove it") && page.contains("National Forestry Commission"));
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let demand = get_as(&app, &admin, &format!("/catalog/demands/{DEMAND}?lang=en")).await.ok().text();
    assert!(demand.contains("Answer with these capacities") && demand.contains("Surveillance of citrus pests"));
    let report = get_as(&app, &admin, "/catalog/report?lang=en").await.ok().text();
    assert!(report.contains("Days to answer (median)") && report.contains("Demands by state"));
    let api = get(&app, "/api/v1/catalog/capacities?lang=en").await.ok().json();
    let item = api["items"].as_array().and_then(|i| i.iter().find(|c| c["key"] == CAPACITY)).cloned();
    assert_eq!(item.map(|c| c["title"].clone()), Some("Payments for hydrological environmental services".into()));
}

#[tokio::test]
async fn the_print_page_has_one_section_per_area() {
    let app = app();
    let areas = count(&get(&app, "/catalog").await.ok().text(), "<th scope=\"row\"><a href=\"/catalog/areas/");
    assert!(areas >= 4, "{areas} areas");
    let html = get(&app, "/catalog/print").await.ok().text();
    assert!(html.contains("<h1 id=\"cover-h\">Catálogo de Capacidades de México</h1>"), "a cover");
    assert_eq!(count(&html, "<section class=\"print-area\""), areas, "one section per area");
    assert_eq!(count(&html, "<li><a href=\"#area-"), areas, "the contents list each");
    assert!(count(&html, "<article class=\"print-capacity\"") >= 60, "every capacity in full");
    assert!(html.contains("cooperacion.conafor@example.org"), "with its contact");
    let english = get(&app, "/catalog/print?lang=en").await.ok().text();
    assert!(english.contains("<html lang=\"en\">") && english.contains("Contents"));
    assert_eq!(count(&english, "<section class=\"print-area\""), areas);
    let css = get(&app, "/assets/app.css").await.ok().text();
    let print = &css[css.find("@media print").expect("print rules")..];
    assert!(print.contains(".print-area { break-before: page;"), "each area starts a page");
}
