//! The API's front door: the index of `/api/v1`, the OpenAPI 3.1 description, and the
//! answer to any address that does not exist.

use axum::Json;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::address::{NoParameters, Only};
use crate::error::WebError;

/// The OpenAPI 3.1 description of `/api/v1`, written by hand and checked against real
/// responses by the integration tests.
pub(crate) const OPENAPI: &str = include_str!("../../assets/openapi.json");

/// `GET /api/v1`
pub(crate) async fn index(_: Only<NoParameters>) -> Json<Value> {
    Json(json!({
        "name": "Coopera API",
        "version": "v1",
        "openapi": "/api/v1/openapi.json",
        "resources": {
            "activities": "/api/v1/activities",
            "organisations": "/api/v1/organisations",
            "codelists": "/api/v1/codelists",
            "reports": "/api/v1/reports",
        },
    }))
}

/// `GET /api/v1/openapi.json`
pub(crate) async fn openapi(_: Only<NoParameters>) -> Response {
    let mut r = OPENAPI.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// Any other address: 404, as JSON under `/api/` and as a page elsewhere.
pub(crate) async fn fallback(uri: Uri) -> WebError {
    WebError::not_found("page", uri.path())
}
