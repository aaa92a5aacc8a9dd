//! The API's front door: the index of `/api/v1`, the OpenAPI 3.1 description, and the
//! answer to any address that does not exist.

use axum::Json;
use axum::http::{HeaderValue, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::address::{NoParameters, Only};
use crate::api::{self, Index};
use crate::error::WebError;

/// `GET /api/v1`
pub(crate) async fn index(_: Only<NoParameters>) -> Json<Index> {
    Json(Index::V1)
}

/// `GET /api/v1/openapi.json`
pub(crate) async fn openapi(_: Only<NoParameters>) -> Response {
    let mut r = api::openapi::DOCUMENT.into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    r
}

/// Any other address: 404, as JSON under `/api/` and as a page elsewhere.
pub(crate) async fn fallback(uri: Uri) -> WebError {
    WebError::not_found("page", uri.path())
}
