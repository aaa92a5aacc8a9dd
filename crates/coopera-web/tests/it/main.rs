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

mod api;
mod downloads;
mod figures;
mod follow;
mod forms;
mod golden;
mod hostile;
mod openapi;
mod pages;
mod readable;
mod server;

/// Every record of the demo files, checked into domain records (parsed once).
fn demo_records() -> Vec<Record> {
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
    }
    records
}

/// A fresh registry in memory with the demo data and the sample rates.
fn demo_store() -> Store {
    let store = Store::open_in_memory(StoreOptions::default()).expect("store");
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
    let store = Store::open_in_memory(StoreOptions::default()).expect("store");
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

/// Posts a form, urlencoded as a browser does.
async fn post_form(app: &Router, uri: &str, fields: &[(&str, &str)]) -> Reply {
    let body = fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&");
    let req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request");
    send(app, req).await
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
