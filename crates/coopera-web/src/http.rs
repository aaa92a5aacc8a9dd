//! The request log: a `tracing` span around each request, so that what a handler logs names
//! it, and, when the server was asked for it, one event per request at the end:
//! `GET /activities 200 1.2 ms` (target `coopera_web::request`). The binary decides where
//! events go; without a subscriber they cost nothing.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

use crate::state::{AppState, RequestLog};

pub(crate) async fn log(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let span = tracing::info_span!("request", method = %req.method(), path = %req.uri().path());
    if state.options().log == RequestLog::Off {
        return next.run(req).instrument(span).await;
    }
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).instrument(span).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    tracing::info!(target: "coopera_web::request", "{method} {path} {} {ms:.1} ms", response.status().as_u16());
    response
}
