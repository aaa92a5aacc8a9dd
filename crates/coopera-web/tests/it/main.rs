//! The web application called in-process, as a browser or an API client would: each test
//! builds the whole app over a registry in memory holding the demo data, sends requests
//! through the router and checks the status, the headers and what the page or JSON says;
//! `golden.rs` keeps whole pages, JSON, CSV and workbooks as reviewed snapshots.

use std::sync::OnceLock;

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use coopera_store::{Record, Store, StoreOptions};
use coopera_web::{AppState, Options};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

mod access;
mod api;
mod api_writes;
mod catalog;
mod catalog_import;
mod crossborder;
mod downloads;
mod figures;
mod follow;
mod forms;
mod golden;
mod hostile;
mod openapi;
mod pages;
mod practices;
mod readable;
mod record_workflow;
mod search;
mod server;
mod states;
mod subnational_writes;

/// Every record of the demo files, checked into domain records (parsed once), every
/// activity published: what the public sees of a registry whose records were all validated.
/// The workflow's own tests (`access.rs`) keep the demo's states with [`demo_records_as_is`].
fn demo_records() -> Vec<Record> {
    demo_records_as_is()
        .into_iter()
        .map(|r| match r {
            Record::Activity(a) => {
                let mut parts = a.into_parts();
                parts.workflow = coopera_domain::kinds::WorkflowState::Published;
                Record::Activity(Box::new(coopera_domain::activity::Activity::new(parts).expect("activity")))
            }
            other => other,
        })
        .collect()
}

/// Every record of the demo files as they are: drafts, submitted, validated and published.
fn demo_records_as_is() -> Vec<Record> {
    static DOCS: OnceLock<Vec<coopera_domain::doc::DatasetDoc>> = OnceLock::new();
    let docs = DOCS.get_or_init(|| coopera_demo::dataset().expect("demo parses").into_iter().map(|(_, d)| d).collect());
    let mut records = Vec::new();
    for d in docs.iter().cloned() {
        records.extend(d.organisations.into_iter().map(|o| Record::Organisation(o.into_domain().expect("org"))));
        records
            .extend(d.activities.into_iter().map(|a| Record::Activity(Box::new(a.into_domain().expect("activity")))));
        records.extend(d.capacities.into_iter().map(|c| Record::Capacity(c.into_domain().expect("capacity"))));
        records.extend(d.demands.into_iter().map(|x| Record::Demand(x.into_domain().expect("demand"))));
        records.extend(d.actions.into_iter().map(|x| Record::Action(x.into_domain().expect("action"))));
        records.extend(d.agreements.into_iter().map(|x| Record::Agreement(x.into_domain().expect("agreement"))));
        records.extend(d.memberships.into_iter().map(|x| Record::Membership(x.into_domain().expect("membership"))));
        records.extend(d.practices.into_iter().map(|x| Record::Practice(x.into_domain().expect("practice"))));
    }
    records
}

/// The account the tests sign in as to post forms: an administrator.
const TESTER: (&str, &str) = ("tester", "contraseña-de-prueba");

/// Adds the tests' administrator to a store.
fn with_tester(store: Store) -> Store {
    let all = coopera_domain::access::Scope::All;
    let admin = coopera_domain::kinds::AccountRole::Administrator;
    store.add_account(coopera_store::Who::local("test"), TESTER.0, admin, &all, TESTER.1).expect("tester");
    store
}

/// An empty registry on the backend the suite runs on: in memory (SQLite), or a schema of its
/// own on the test server when `COOPERA_TEST_BACKEND=postgres` (`coopera_store::testing`).
fn fresh_store() -> Store {
    match coopera_store::testing::TestPostgres::chosen() {
        Some(pg) => pg.into_store(StoreOptions::default()),
        None => Store::open_in_memory(StoreOptions::default()).expect("store"),
    }
}

/// A fresh registry with the demo data and the sample rates.
fn demo_store() -> Store {
    let store = with_tester(fresh_store());
    store.record("demo", demo_records()).expect("demo stored");
    let rates = coopera_report::rates::parse_rates_csv(coopera_report::rates::SAMPLE_RATES_CSV, "rates-sample.csv")
        .expect("sample rates");
    store.record_rates(&rates).expect("rates stored");
    store
}

/// The app over [`demo_store`].
fn app() -> Router {
    coopera_web::app(AppState::from_store(demo_store(), Options::default()).expect("state"))
}

/// The app over an empty registry.
fn empty_app() -> Router {
    let store = with_tester(fresh_store());
    coopera_web::app(AppState::from_store(store, Options::default()).expect("state"))
}

struct Reply {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Reply {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text()))
    }

    fn header(&self, name: header::HeaderName) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    fn ok(self) -> Reply {
        assert_eq!(self.status, StatusCode::OK, "{}", self.text());
        self
    }
}

async fn send(app: &Router, req: Request<Body>) -> Reply {
    let res = app.clone().oneshot(req).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes().to_vec();
    Reply { status, headers, bytes }
}

async fn get(app: &Router, uri: &str) -> Reply {
    send(app, Request::get(uri).body(Body::empty()).expect("request")).await
}

async fn get_with(app: &Router, uri: &str, headers: &[(header::HeaderName, &str)]) -> Reply {
    let mut req = Request::get(uri);
    for (k, v) in headers {
        req = req.header(k, *v);
    }
    send(app, req.body(Body::empty()).expect("request")).await
}

/// A signed-in browser: its cookies and the anti-forgery token its forms carry.
#[derive(Debug, Clone)]
struct Browser {
    cookie: String,
    csrf: String,
}

/// The value of `name=` in the `Set-Cookie` headers of a reply.
fn set_cookie(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.split(';').next()?.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

/// The value of the first `csrf_token` field of a page.
fn csrf_of(html: &str) -> String {
    const FIELD: &str = "name=\"csrf_token\" value=\"";
    let at = html.find(FIELD).expect("a form with a csrf_token") + FIELD.len();
    html[at..].split('"').next().unwrap_or("").to_owned()
}

/// Opens the sign-in page and posts its form with a name and password, as a person does;
/// the answer to the post.
async fn post_login(app: &Router, name: &str, password: &str) -> Reply {
    let page = get(app, "/login").await.ok();
    let form_cookie = set_cookie(&page, "coopera_form").expect("the sign-in page sets its form cookie");
    let token = csrf_of(&page.text());
    let body = format!("username={}&password={}&csrf_token={token}", encode(name), encode(password));
    let req = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, format!("coopera_form={form_cookie}"))
        .body(Body::from(body))
        .expect("request");
    send(app, req).await
}

/// Signs in through the sign-in page, as a person does.
async fn sign_in(app: &Router, name: &str, password: &str) -> Browser {
    let reply = post_login(app, name, password).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "signed in: {}", reply.text());
    let session = set_cookie(&reply, "coopera_session").expect("a session cookie");
    let cookie = format!("coopera_session={session}");
    let account = get_with(app, "/account", &[(header::COOKIE, &cookie)]).await.ok();
    Browser { csrf: csrf_of(&account.text()), cookie }
}

/// Posts a form, urlencoded as a browser does, as `browser`; its anti-forgery token is added
/// unless the fields carry one.
async fn post_as(app: &Router, browser: Option<&Browser>, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let mut pairs: Vec<String> = fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect();
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(b) = browser {
        if !fields.iter().any(|(k, _)| *k == "csrf_token") {
            pairs.push(format!("csrf_token={}", b.csrf));
        }
        req = req.header(header::COOKIE, &b.cookie);
    }
    send(app, req.body(Body::from(pairs.join("&"))).expect("request")).await
}

/// A page as `browser` sees it.
async fn get_as(app: &Router, browser: &Browser, uri: &str) -> Reply {
    get_with(app, uri, &[(header::COOKIE, &browser.cookie)]).await
}

/// A page as the tests' administrator sees it (signed in for this request).
async fn get_signed(app: &Router, uri: &str) -> Reply {
    let browser = sign_in(app, TESTER.0, TESTER.1).await;
    get_as(app, &browser, uri).await
}

/// Posts a form as the tests' administrator (signed in for this post).
async fn post_form(app: &Router, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let browser = sign_in(app, TESTER.0, TESTER.1).await;
    post_as(app, Some(&browser), uri, fields).await
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}
