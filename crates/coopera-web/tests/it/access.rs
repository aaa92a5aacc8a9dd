//! Tests that try to break in. Over the demo registry as it is — drafts, submitted and
//! validated records in Chiapas and Oaxaca — each signs in as one of the demo's roles (or not
//! at all), attempts what the access table forbids, and checks the refusal *and* that the
//! database is as it was: activity and organisation counts, the history, the audit trail and
//! the record's own document.

use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;
use coopera_store::{ActivityFilter, Who};

use super::*;

/// A draft in which Oaxaca's government takes part.
const OAXACA_DRAFT: &str = "MX-OAX-2014-0001";
/// A draft of Chiapas's international-affairs office.
const CHIAPAS_DRAFT: &str = "MX-CHIS-2014-0001";
/// Submitted, with a Chiapas municipality taking part.
const CHIAPAS_SUBMITTED: &str = "MX-SUCHIATE-2013-0001";

const PASSWORD: &str = "contraseña-de-demo";

/// The demo's roles: (name, role, scope).
const ROLES: [(&str, AccountRole, &str); 4] = [
    ("admin", AccountRole::Administrator, "all"),
    ("analista", AccountRole::Analyst, "all"),
    ("editor-chiapas", AccountRole::Editor, "state:07"),
    ("consulta-oaxaca", AccountRole::Viewer, "state:20"),
];

/// The app over the demo registry with its workflow states, the demo's roles, and the state
/// to look into its database.
fn registry() -> (Router, AppState) {
    let store = fresh_store();
    store.record("demo", demo_records_as_is()).expect("demo stored");
    for (name, role, scope) in ROLES {
        let scope = Scope::parse(scope).expect("scope");
        store.add_account(Who::local("test"), name, role, &scope, PASSWORD).expect("account");
    }
    let state = AppState::from_store(store, Options::default()).expect("state");
    (coopera_web::app(state.clone()), state)
}

/// What must not move when a break-in is refused.
#[derive(Debug, PartialEq)]
struct Unchanged {
    activities: u64,
    organisations: usize,
    history: u64,
    record: Option<String>,
}

fn snapshot(state: &AppState, key: &str) -> Unchanged {
    let store = state.store();
    Unchanged {
        activities: store.count_activities(&ActivityFilter::default()).expect("count"),
        organisations: store.organisations().expect("organisations").len(),
        history: store.count_history().expect("history"),
        record: store.activity(key).expect("read").map(|a| format!("{:?}", a.activity)),
    }
}

/// The fields of an activity's edit form as the registry holds it, with the title changed.
async fn edit_fields(app: &Router, admin: &Browser, key: &str) -> Vec<(String, String)> {
    let page = get_as(app, admin, &format!("/activities/{}/edit", encode(key))).await.ok().text();
    let mut fields = form_fields(&page);
    fields.retain(|(k, _)| k != "csrf_token");
    for f in &mut fields {
        if f.0 == "title.es" {
            f.1 = "Título cambiado por un intruso".to_owned();
        }
    }
    fields.push(("save".to_owned(), "1".to_owned()));
    fields
}

/// The inputs of a page's forms, as (name, value) (text inputs and selected options).
fn form_fields(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for tag in html.split('<').skip(1) {
        let attr = |name: &str| {
            tag.split_once(&format!(" {name}=\"")).and_then(|(_, rest)| rest.split('"').next()).map(unescape)
        };
        if tag.starts_with("input ")
            && let Some(name) = attr("name")
        {
            let checkbox = tag.contains("type=\"checkbox\"");
            if !checkbox || tag.contains(" checked") {
                out.push((name, attr("value").unwrap_or_else(|| "on".to_owned())));
            }
        }
    }
    // Selects: the selected option of each.
    for select in html.split("<select ").skip(1) {
        let name = select.split_once("name=\"").and_then(|(_, r)| r.split('"').next()).unwrap_or("").to_owned();
        let body = select.split("</select>").next().unwrap_or("");
        if let Some(opt) = body.split("<option ").find(|o| o.contains(" selected")) {
            let value = opt.split_once("value=\"").and_then(|(_, r)| r.split('"').next()).unwrap_or("");
            out.push((name, unescape(value)));
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

async fn post_fields(app: &Router, who: Option<&Browser>, uri: &str, fields: &[(String, String)]) -> Reply {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post_as(app, who, uri, &pairs).await
}

#[tokio::test]
async fn the_chiapas_editor_cannot_edit_an_oaxaca_record_by_form_or_by_hand() {
    let (app, state) = registry();
    let admin = sign_in(&app, "admin", PASSWORD).await;
    let editor = sign_in(&app, "editor-chiapas", PASSWORD).await;
    let fields = edit_fields(&app, &admin, OAXACA_DRAFT).await;
    let before = snapshot(&state, OAXACA_DRAFT);

    // Its draft does not exist for Chiapas: the form, the page and the post answer 404.
    let uri = format!("/activities/{OAXACA_DRAFT}/edit");
    assert_eq!(get_as(&app, &editor, &uri).await.status, StatusCode::NOT_FOUND);
    assert_eq!(get_as(&app, &editor, &format!("/activities/{OAXACA_DRAFT}")).await.status, StatusCode::NOT_FOUND);
    let r = post_fields(&app, Some(&editor), &uri, &fields).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND, "{}", r.text());
    // A hand-made request: the form of Chiapas's own draft, posted to Oaxaca's address.
    let mut forged = edit_fields(&app, &admin, CHIAPAS_DRAFT).await;
    for f in &mut forged {
        if f.0 == "id" {
            f.1 = OAXACA_DRAFT.to_owned();
        }
    }
    assert_eq!(post_fields(&app, Some(&editor), &uri, &forged).await.status, StatusCode::NOT_FOUND);
    // …and Chiapas's own address carrying a participant list that moves it to Oaxaca only.
    let own = format!("/activities/{CHIAPAS_DRAFT}/edit");
    let mut moved: Vec<(String, String)> = edit_fields(&app, &admin, CHIAPAS_DRAFT)
        .await
        .into_iter()
        .filter(|(k, _)| !k.starts_with("participants["))
        .collect();
    moved.extend([
        ("participants[0].org".to_owned(), "gob-oaxaca".to_owned()),
        ("participants[0].role".to_owned(), "provider".to_owned()),
        ("participants[1].org".to_owned(), "gt-huehuetenango".to_owned()),
        ("participants[1].role".to_owned(), "recipient".to_owned()),
    ]);
    moved.retain(|(k, v)| !(k == "reporting_org" && v == "chiapas-sriam"));
    moved.push(("reporting_org".to_owned(), "gob-oaxaca".to_owned()));
    let chiapas_before = snapshot(&state, CHIAPAS_DRAFT);
    let r = post_fields(&app, Some(&editor), &own, &moved).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "a record cannot leave the editor's scope: {}", r.text());
    assert_eq!(snapshot(&state, CHIAPAS_DRAFT), chiapas_before);
    assert_eq!(snapshot(&state, OAXACA_DRAFT), before, "nothing changed");

    // The editor does edit Chiapas's own draft, and the trail names the account.
    let r = post_fields(&app, Some(&editor), &own, &edit_fields(&app, &admin, CHIAPAS_DRAFT).await).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let last = state.store().history(&Default::default()).expect("history").remove(0);
    assert_eq!((last.author.as_str(), last.key.as_str()), ("editor-chiapas", CHIAPAS_DRAFT));
}

#[tokio::test]
async fn no_form_is_taken_without_its_token_or_from_the_public() {
    let (app, state) = registry();
    let admin = sign_in(&app, "admin", PASSWORD).await;
    let fields = edit_fields(&app, &admin, CHIAPAS_DRAFT).await;
    let uri = format!("/activities/{CHIAPAS_DRAFT}/edit");
    let before = snapshot(&state, CHIAPAS_DRAFT);

    let anonymous = post_fields(&app, None, &uri, &fields).await;
    assert_eq!(anonymous.status, StatusCode::FORBIDDEN, "an anonymous post");
    assert!(anonymous.text().contains("no se guardó nada"), "{}", anonymous.text());
    let new = post_fields(&app, None, "/activities/new", &fields).await;
    assert_eq!(new.status, StatusCode::FORBIDDEN);

    // Signed in, but the form lacks its token, or carries another session's.
    let no_token = Browser { csrf: String::new(), ..admin.clone() };
    assert_eq!(post_fields(&app, Some(&no_token), &uri, &fields).await.status, StatusCode::FORBIDDEN);
    let other = sign_in(&app, "analista", PASSWORD).await;
    let crossed = Browser { csrf: other.csrf.clone(), ..admin.clone() };
    assert_eq!(post_fields(&app, Some(&crossed), &uri, &fields).await.status, StatusCode::FORBIDDEN);
    // A token that was good before signing out.
    let stale = sign_in(&app, "analista", PASSWORD).await;
    post_as(&app, Some(&stale), "/logout", &[]).await;
    assert_eq!(post_fields(&app, Some(&stale), &uri, &fields).await.status, StatusCode::FORBIDDEN);
    // The API takes no writes from a browser's cookie.
    let api = send(
        &app,
        Request::post(format!("/api/v1/activities/{CHIAPAS_DRAFT}/transitions"))
            .header(header::COOKIE, &admin.cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(r#"{"to":"submitted"}"#))
            .expect("request"),
    )
    .await;
    assert!(api.status.is_client_error(), "{}", api.text());
    assert_eq!(snapshot(&state, CHIAPAS_DRAFT), before, "nothing changed");
}

#[tokio::test]
async fn tampered_expired_and_revoked_sessions_open_nothing() {
    let (app, state) = registry();
    let good = sign_in(&app, "analista", PASSWORD).await;
    let account = get_as(&app, &good, "/account").await.ok();
    assert!(account.text().contains("analista"), "signed in");
    let id = good.cookie.trim_start_matches("coopera_session=").to_owned();
    let flipped = if id.ends_with('0') { '1' } else { '0' };
    let tampered = Browser { cookie: format!("coopera_session={}{flipped}", &id[..id.len() - 1]), ..good.clone() };
    let forged = Browser { cookie: "coopera_session=0000".to_owned(), ..good.clone() };
    for b in [&tampered, &forged] {
        let r = get_as(&app, b, "/account").await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "a session that is not one is the public's");
        assert!(r.header(header::LOCATION).starts_with("/login"), "sent to sign in");
        let draft = get_as(&app, b, &format!("/activities/{CHIAPAS_DRAFT}")).await;
        assert_eq!(draft.status, StatusCode::NOT_FOUND, "drafts stay hidden");
    }
    // Expired: a server whose sessions last no time at all.
    let store = fresh_store();
    store.add_account(Who::local("test"), "ana", AccountRole::Analyst, &Scope::All, PASSWORD).expect("account");
    let short = Options {
        sessions: coopera_store::SessionLimits { idle: std::time::Duration::ZERO, absolute: std::time::Duration::ZERO },
        ..Options::default()
    };
    let brief = coopera_web::app(AppState::from_store(store, short).expect("state"));
    let expired = sign_in_raw(&brief, "ana", PASSWORD).await;
    let r = get_with(&brief, "/account", &[(header::COOKIE, &expired)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "an expired session is over");
    // Revoked: signing out everywhere, and disabling the account.
    let second = sign_in(&app, "analista", PASSWORD).await;
    post_as(&app, Some(&second), "/account/sign-out-everywhere", &[]).await;
    assert_eq!(get_as(&app, &good, "/account").await.status, StatusCode::SEE_OTHER, "signed out everywhere");
    let third = sign_in(&app, "editor-chiapas", PASSWORD).await;
    state.store().disable_account(Who::local("test"), "editor-chiapas").expect("disable");
    assert_eq!(get_as(&app, &third, "/account").await.status, StatusCode::SEE_OTHER, "a disabled account's session");
}

/// Signs in and returns the session cookie without visiting any page after.
async fn sign_in_raw(app: &Router, name: &str, password: &str) -> String {
    let reply = post_login(app, name, password).await;
    format!("coopera_session={}", set_cookie(&reply, "coopera_session").expect("session"))
}

#[tokio::test]
async fn each_role_takes_only_its_steps_of_the_workflow() {
    let (app, state) = registry();
    let step = |who: Browser, key: &'static str, to: &'static str| {
        let app = app.clone();
        async move {
            let version = state_version(&app, &who, key).await;
            let fields = [("to", to), ("version", version.as_str()), ("reason", "")];
            post_as(&app, Some(&who), &format!("/activities/{key}/transition"), &fields).await
        }
    };
    let viewer = sign_in(&app, "consulta-oaxaca", PASSWORD).await;
    let editor = sign_in(&app, "editor-chiapas", PASSWORD).await;
    let analyst = sign_in(&app, "analista", PASSWORD).await;

    // A viewer publishes nothing, not even a validated record it reads; an editor validates
    // nothing, not even its own state's submission.
    let oaxaca_validated = "MX-AMEXCID-2013-0033";
    let seen = snapshot(&state, oaxaca_validated);
    assert_eq!(step(viewer.clone(), oaxaca_validated, "published").await.status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&state, oaxaca_validated), seen);
    let before = snapshot(&state, CHIAPAS_SUBMITTED);
    assert_eq!(step(viewer.clone(), CHIAPAS_SUBMITTED, "validated").await.status, StatusCode::NOT_FOUND);
    assert_eq!(step(editor.clone(), CHIAPAS_SUBMITTED, "validated").await.status, StatusCode::FORBIDDEN);
    assert_eq!(snapshot(&state, CHIAPAS_SUBMITTED), before);

    // The editor submits its draft; the analyst who did not submit it validates and publishes.
    assert_eq!(step(editor.clone(), CHIAPAS_DRAFT, "submitted").await.status, StatusCode::SEE_OTHER);
    assert_eq!(step(analyst.clone(), CHIAPAS_DRAFT, "published").await.status, StatusCode::FORBIDDEN, "no skipping");
    assert_eq!(step(analyst.clone(), CHIAPAS_DRAFT, "validated").await.status, StatusCode::SEE_OTHER);
    let public_before = get(&app, "/api/v1/reports/themes").await.ok().json()["activities"].clone();
    assert_eq!(step(viewer.clone(), CHIAPAS_DRAFT, "published").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, &format!("/activities/{CHIAPAS_DRAFT}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(step(analyst.clone(), CHIAPAS_DRAFT, "published").await.status, StatusCode::SEE_OTHER);
    // The public's figures move only now.
    get(&app, &format!("/activities/{CHIAPAS_DRAFT}")).await.ok();
    let public_after = get(&app, "/api/v1/reports/themes").await.ok().json()["activities"].clone();
    assert_eq!(public_after.as_u64(), public_before.as_u64().map(|n| n + 1));

    // Back to draft needs a reason; the page then shows who took each step.
    let r = step(analyst.clone(), CHIAPAS_DRAFT, "draft").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.text());
    let version = state_version(&app, &analyst, CHIAPAS_DRAFT).await;
    let fields = [("to", "draft"), ("version", version.as_str()), ("reason", "faltan los montos")];
    let r = post_as(&app, Some(&analyst), &format!("/activities/{CHIAPAS_DRAFT}/transition"), &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = get_as(&app, &editor, &format!("/activities/{CHIAPAS_DRAFT}")).await.ok().text();
    for seen in ["editor-chiapas", "analista", "faltan los montos", "Borrador"] {
        assert!(page.contains(seen), "the workflow shows {seen}");
    }

    // Four eyes: an analyst who submitted a record does not validate it.
    assert_eq!(step(analyst.clone(), CHIAPAS_DRAFT, "submitted").await.status, StatusCode::SEE_OTHER);
    let own = step(analyst.clone(), CHIAPAS_DRAFT, "validated").await;
    assert_eq!(own.status, StatusCode::FORBIDDEN, "{}", own.text());
    let verdict = state.store().verify_audit().expect("verify");
    assert!(matches!(verdict, coopera_store::AuditVerdict::Intact { .. }), "the trail verifies: {verdict:?}");
}

/// The version a record's page shows in its workflow forms.
async fn state_version(app: &Router, who: &Browser, key: &str) -> String {
    let page = get_as(app, who, &format!("/activities/{key}")).await.text();
    page.split_once("name=\"version\" value=\"").and_then(|(_, r)| r.split('"').next()).unwrap_or("0").to_owned()
}

#[tokio::test]
async fn a_save_over_a_newer_version_keeps_the_input_and_says_what_changed() {
    let (app, state) = registry();
    let ana = sign_in(&app, "analista", PASSWORD).await;
    let admin = sign_in(&app, "admin", PASSWORD).await;
    let opened = edit_fields(&app, &ana, CHIAPAS_DRAFT).await;
    // The administrator saves first.
    let mut first = edit_fields(&app, &admin, CHIAPAS_DRAFT).await;
    for f in &mut first {
        if f.0 == "title.es" {
            f.1 = "Título del administrador".to_owned();
        }
    }
    let uri = format!("/activities/{CHIAPAS_DRAFT}/edit");
    assert_eq!(post_fields(&app, Some(&admin), &uri, &first).await.status, StatusCode::SEE_OTHER);
    let before = snapshot(&state, CHIAPAS_DRAFT);
    // Ana saves the form she opened before: refused, her input kept, the change named.
    let r = post_fields(&app, Some(&ana), &uri, &opened).await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.text());
    let page = r.text();
    assert!(page.contains("admin guardó este registro"), "who saved meanwhile");
    assert!(page.contains("Título del administrador"), "what is stored now");
    assert!(page.contains("Título cambiado por un intruso"), "her input is kept");
    assert_eq!(snapshot(&state, CHIAPAS_DRAFT), before, "nothing overwritten");
    // Saving again, from the version now shown, is deliberate and goes through.
    let again = form_fields(&page);
    let mut again: Vec<(String, String)> = again.into_iter().filter(|(k, _)| k != "csrf_token").collect();
    again.push(("save".to_owned(), "1".to_owned()));
    assert_eq!(post_fields(&app, Some(&ana), &uri, &again).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn sign_in_answers_the_same_and_slows_down_guessing() {
    let (app, _) = registry();
    let try_once = |name: &'static str, password: &'static str| post_login(&app, name, password);
    let unknown = try_once("nadie", "una-contraseña-cualquiera").await;
    let wrong = try_once("analista", "una-contraseña-cualquiera").await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let message = |r: &Reply| {
        r.text().split("error-summary").nth(1).unwrap_or("").split("</div>").next().unwrap_or("").to_owned()
    };
    assert_eq!(message(&unknown), message(&wrong), "the answer does not tell whether the account exists");
    for _ in 0..4 {
        try_once("analista", "otra-contraseña-mala").await;
    }
    let throttled = try_once("analista", PASSWORD).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(throttled.text().contains("demasiados intentos"), "{}", throttled.text());
}

#[tokio::test]
async fn the_public_sees_published_records_only_and_is_told_so() {
    let (app, _) = registry();
    for uri in [format!("/activities/{CHIAPAS_DRAFT}"), format!("/api/v1/activities/{CHIAPAS_DRAFT}")] {
        assert_eq!(get(&app, &uri).await.status, StatusCode::NOT_FOUND, "{uri}");
    }
    let public = get(&app, "/api/v1/activities?per_page=200").await.ok().json();
    assert_eq!(public["records"], "published", "the API says what it lists");
    let report = get(&app, "/api/v1/reports/themes").await.ok().json();
    assert_eq!(report["filters"]["records"], "published", "and what its figures count");
    let listed: Vec<&str> =
        public["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_str()).collect();
    assert!(!listed.contains(&CHIAPAS_DRAFT) && !listed.contains(&OAXACA_DRAFT));
    let csv = get(&app, "/activities.csv").await.ok().text();
    assert!(!csv.contains(CHIAPAS_DRAFT), "downloads too");
    // An editor's own view holds Chiapas's drafts and not Oaxaca's.
    let editor = sign_in(&app, "editor-chiapas", PASSWORD).await;
    let mine = get_as(&app, &editor, "/api/v1/activities?per_page=200&view=mine").await.ok().json();
    assert_eq!(mine["records"], "scope");
    let mine: Vec<&str> = mine["items"].as_array().expect("items").iter().filter_map(|i| i["id"].as_str()).collect();
    assert!(mine.contains(&CHIAPAS_DRAFT) && !mine.contains(&OAXACA_DRAFT), "{mine:?}");
    let page = get(&app, "/").await.ok().text();
    assert!(page.contains("registros publicados"), "the public dashboard says what it counts");
}

#[tokio::test]
async fn downloads_of_unpublished_records_are_in_the_audit_trail() {
    let (app, state) = registry();
    let exports = |state: &AppState| {
        state
            .store()
            .audit(&Default::default())
            .expect("audit")
            .into_iter()
            .filter(|r| r.event == Some(coopera_store::AuditEvent::Export))
            .collect::<Vec<_>>()
    };
    let csv = get(&app, "/activities.csv").await.ok();
    assert!(!csv.text().contains(CHIAPAS_DRAFT));
    assert!(exports(&state).is_empty(), "what the public may take leaves no row");
    let editor = sign_in(&app, "editor-chiapas", PASSWORD).await;
    let mine = get_as(&app, &editor, "/activities.csv?view=mine").await.ok();
    assert!(mine.text().contains(CHIAPAS_DRAFT) && !mine.text().contains(OAXACA_DRAFT));
    let rows = exports(&state);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].author, "editor-chiapas");
    assert_eq!(rows[0].detail.as_deref(), Some("/activities.csv?view=mine"));
    // The organisation's page lists only what the viewer may read.
    let public = get(&app, "/organisations/chiapas-sriam").await.ok().text();
    assert!(!public.contains(CHIAPAS_DRAFT), "a draft is not listed to the public");
    let own = get_as(&app, &editor, "/organisations/chiapas-sriam").await.ok().text();
    assert!(own.contains(CHIAPAS_DRAFT), "but to Chiapas's editor");
}

#[tokio::test]
async fn the_setup_link_makes_the_first_administrator_once() {
    let store = fresh_store();
    let state = AppState::from_store(store, Options::default()).expect("state");
    let app = coopera_web::app(state.clone());
    let path = state.setup_link().expect("link").expect("a registry without accounts has a setup link");
    assert_eq!(get(&app, "/setup/not-the-secret").await.status, StatusCode::NOT_FOUND);
    let page = get(&app, &path).await.ok();
    let form = set_cookie(&page, "coopera_form").expect("form cookie");
    let post = |fields: String| {
        let app = app.clone();
        let path = path.clone();
        let form = form.clone();
        async move {
            let req = Request::post(path.as_str())
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, format!("coopera_form={form}"))
                .body(Body::from(fields))
                .expect("request");
            send(&app, req).await
        }
    };
    let token = csrf_of(&page.text());
    let differ =
        post(format!("username=directora&password=una-contrase%C3%B1a-larga&confirm=otra&csrf_token={token}")).await;
    assert_eq!(differ.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(state.store().accounts().expect("accounts").is_empty(), "nothing made");
    let fields = format!(
        "username=directora&password=una-contrase%C3%B1a-larga&confirm=una-contrase%C3%B1a-larga&csrf_token={token}"
    );
    let made = post(fields.clone()).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.text());
    assert!(set_cookie(&made, "coopera_session").is_some(), "signed in at once");
    let accounts = state.store().accounts().expect("accounts");
    assert_eq!(accounts.len(), 1);
    assert_eq!(accounts[0].role, AccountRole::Administrator);
    assert_eq!(get(&app, &path).await.status, StatusCode::NOT_FOUND, "the link works once");
    assert_eq!(post(fields).await.status, StatusCode::NOT_FOUND);
    assert_eq!(state.setup_link().expect("link"), None);
}
