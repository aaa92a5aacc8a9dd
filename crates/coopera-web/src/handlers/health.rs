//! `GET /health`: whether the server answers, and what it holds.

use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

use crate::state::AppState;

pub(crate) async fn check(State(state): State<AppState>) -> Json<Value> {
    let views = state.views();
    Json(json!({
        "status": "ok",
        "version": env!("CARGO_PKG_VERSION"),
        "activities": views.registry.len(),
        "organisations": views.registry.organisations().len(),
    }))
}
