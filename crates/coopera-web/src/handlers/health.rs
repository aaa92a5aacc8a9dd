//! `GET /health`: whether the server answers, and what it holds.

use axum::Json;
use axum::extract::State;

use crate::api::Health;
use crate::state::AppState;

pub(crate) async fn check(State(state): State<AppState>) -> Json<Health> {
    let views = state.views();
    Json(Health {
        status: "ok",
        version: env!("CARGO_PKG_VERSION"),
        activities: views.registry.len(),
        organisations: views.registry.organisations().len(),
    })
}
