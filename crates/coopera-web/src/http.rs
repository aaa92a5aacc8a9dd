//! The request log: one line per request on standard error, when the server was asked for it.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::state::{AppState, RequestLog};

pub(crate) async fn log(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if state.options().log == RequestLog::Off {
        return next.run(req).await;
    }
    let started = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    eprintln!("{method} {path} {} {ms:.1} ms", response.status().as_u16());
    response
}
