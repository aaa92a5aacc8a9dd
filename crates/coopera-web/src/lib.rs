//! Coopera's web application: the dashboard of figures with charts and maps, the registry's
//! pages, the forms that create and correct records, and the JSON API under `/api/v1` — in
//! Spanish and English, rendered on the server and usable without JavaScript.
//!
//! This is the only crate that knows HTTP, HTML and JSON shapes. [`app`] builds the whole
//! application as one [`axum::Router`] (tests call it in-process); [`serve`] runs it on a
//! socket until Ctrl-C or SIGTERM. Everything it serves — templates, styles, the script, the
//! icon and the map geometry — is compiled into the binary.
//!
//! The store is synchronous: handlers call it from blocking tasks ([`AppState::read`],
//! [`AppState::write`]). Figures and lists are answered from an in-memory view of the
//! registry (the report engine's [`coopera_report::Snapshot`] and this crate's
//! [`registry::Registry`]), rebuilt after every write. Search and the matching of demands to
//! capacities read the `coopera_search` index kept beside the registry (`live_index`): built
//! in the background at start, caught up by a thread of its own after every change and again
//! before each search.

#![warn(clippy::arithmetic_side_effects)]

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderValue, header};
use axum::routing::get;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;

mod address;
pub mod api;
mod assets;
mod auth;
mod charts;
mod downloads;
mod error;
#[doc(hidden)]
pub mod fuzzing;
mod guard;
mod handlers;
mod http;
pub mod json;
mod live_index;
mod locale;
mod maps;
/// The list index, kept by the report engine beside its snapshot (`coopera_report::list`).
pub use coopera_report::list as registry;
mod selection;
mod server;
mod state;
mod views;

pub use error::WebError;
/// A figure grouped by thousands with at most so many decimals (`19,149,144.65`), as the pages
/// write it; the command line prints its figures with it too.
pub use locale::number as figure;
pub use server::Limits;
pub use state::{AppState, Banner, Options, RequestLog, StartError};

/// The largest request body accepted (forms are a few kilobytes).
pub(crate) const BODY_LIMIT: usize = 1024 * 1024;
/// How long a request may take before it is answered with 408.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The whole application: one route table, with the layers every response goes through
/// (address check, language, errors in HTML or JSON, request log, compression, timeouts,
/// body limit, security headers).
pub fn app(state: AppState) -> Router {
    use handlers::catalog_form::{Capacities, Demands};
    use handlers::catalog_import::CatalogBook;
    use handlers::*;
    let routes = Router::new()
        .route("/", get(dashboard::page))
        .route("/health", get(health::check))
        .route("/login", get(account::login_form).post(account::login))
        .route("/logout", get(account::logout_form).post(account::logout))
        .route("/account", get(account::page))
        .route("/account/password", axum::routing::post(account::change_password))
        .route("/account/sign-out-everywhere", axum::routing::post(account::sign_out_everywhere))
        .route("/setup/{secret}", get(account::setup_form).post(account::setup))
        .route("/assets/{file}", get(assets::serve))
        .route("/reports/{file}", get(reports::download))
        .route("/activities", get(activities::list))
        .route("/activities.csv", get(activities::download_csv))
        .route("/activities.xlsx", get(activities::download_xlsx))
        .route("/activities.xml", get(activities::download_iati))
        .route("/activities/new", get(activity_form::new_form).post(activity_form::create))
        .route("/activities/{id}", get(activities::show))
        .route(
            "/activities/{id}/transition",
            axum::routing::post(handlers::record_workflow::step::<activities::ActivityRecords>),
        )
        .route("/activities/{id}/edit", get(activity_form::edit_form).post(activity_form::update))
        .route("/organisations", get(organisations::list))
        .route("/organisations/new", get(organisations::new_form).post(organisations::create))
        .route("/organisations/{key}", get(organisations::show))
        .route("/organisations/{key}/edit", get(organisations::edit_form).post(organisations::update))
        .route("/practices", get(practices::list))
        .route("/practices/{key}", get(practices::show))
        .route("/crossborder", get(crossborder::page))
        .route("/crossborder.csv", get(crossborder::download_csv))
        .route("/states", get(states::list))
        .route("/states/compare", get(states_compare::compare))
        .route("/states/compare.csv", get(states_compare::download_csv))
        .route("/states/{code}", get(states::show))
        .route("/states/{code}/municipalities/{municipality}", get(states::municipality))
        .route("/search", get(search::page))
        .route("/catalog", get(catalog::page))
        .route("/catalog/areas/{code}", get(catalog::area))
        .route("/catalog/print", get(catalog::print))
        .route("/catalog/report", get(catalog::report))
        .route("/catalog/template.xlsx", get(catalog_import::template::<CatalogBook>))
        .route(
            "/catalog/import",
            get(catalog_import::form::<CatalogBook>)
                .post(catalog_import::upload::<CatalogBook>)
                .layer(DefaultBodyLimit::max(catalog_import::UPLOAD_LIMIT)),
        )
        .route(
            "/catalog/capacities/new",
            get(catalog_form::new_form::<Capacities>).post(catalog_form::create::<Capacities>),
        )
        .route("/catalog/capacities/{key}", get(catalog::capacity))
        .route(
            "/catalog/capacities/{key}/edit",
            get(catalog_form::edit_form::<Capacities>).post(catalog_form::update::<Capacities>),
        )
        .route("/catalog/demands", get(demands::list))
        .route("/catalog/demands/new", get(catalog_form::new_form::<Demands>).post(catalog_form::create::<Demands>))
        .route("/catalog/demands/{key}", get(demands::show))
        .route("/catalog/demands/{key}/move", axum::routing::post(demands::move_step))
        .route(
            "/catalog/demands/{key}/edit",
            get(catalog_form::edit_form::<Demands>).post(catalog_form::update::<Demands>),
        )
        .route("/api/v1/practices", get(practices::api_list))
        .route("/api/v1/practices/{key}", get(practices::api_show))
        .route("/api/v1", get(api::index))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/activities", get(activities::api_list).post(writes::create_activity))
        .route("/api/v1/activities/{id}", get(activities::api_show).put(writes::update_activity))
        .route(
            "/api/v1/activities/{id}/transitions",
            axum::routing::post(handlers::record_workflow::api_step::<activities::ActivityRecords>),
        )
        .route("/api/v1/organisations", get(organisations::api_list).post(writes::create_organisation))
        .route("/api/v1/organisations/{key}", get(organisations::api_show).put(writes::update_organisation))
        .route("/api/v1/catalog/capacities", get(catalog::api_list).post(catalog_form::api_create::<Capacities>))
        .route("/api/v1/catalog/capacities/{key}", get(catalog::api_show).put(catalog_form::api_update::<Capacities>))
        .route("/api/v1/catalog/demands", get(demands::api_list).post(catalog_form::api_create::<Demands>))
        .route("/api/v1/catalog/demands/{key}", get(demands::api_show).put(catalog_form::api_update::<Demands>))
        .route("/api/v1/catalog/demands/{key}/transitions", axum::routing::post(demands::api_transition))
        .route("/api/v1/catalog/report", get(catalog::api_report))
        .route("/api/v1/catalog/match", get(search::api_match))
        .route("/api/v1/search", get(search::api_search))
        .route("/api/v1/codelists", get(codelists::api_list))
        .route("/api/v1/codelists/{name}", get(codelists::api_show))
        .route("/api/v1/crossborder", get(crossborder::api))
        .route("/api/v1/reports", get(reports::api_list))
        .route("/api/v1/reports/{name}", get(reports::api_show))
        .merge(subnational_routes())
        .merge(workflow_routes())
        .fallback(api::fallback)
        .with_state(state.clone());
    // Inside the error renderer, so a timeout is answered as an error like any other.
    routes
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::resolve))
        .layer(axum::middleware::from_fn(address::check))
        .layer(axum::middleware::from_fn(error::render))
        .layer(axum::middleware::from_fn(locale::negotiate))
        .layer(axum::middleware::from_fn_with_state(state, http::log))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        // The fastest level: pages compress about sixfold either way, and at the default
        // level compressing cost more than drawing them.
        .layer(CompressionLayer::new().quality(tower_http::CompressionLevel::Fastest))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ))
}

/// The pages, forms, upload and API of the actions abroad, agreements and memberships of
/// states and municipalities.
/// The validation workflow's steps of the records other than activities: from their pages and
/// through the API.
fn workflow_routes() -> Router<AppState> {
    use axum::routing::post;
    use handlers::catalog_form::Capacities;
    use handlers::practices::PracticeRecords;
    use handlers::record_workflow::{api_step, step};
    use handlers::subnational_form::{Actions, Agreements, Memberships};
    Router::new()
        .route("/actions/{key}/transition", post(step::<Actions>))
        .route("/agreements/{key}/transition", post(step::<Agreements>))
        .route("/memberships/{key}/transition", post(step::<Memberships>))
        .route("/practices/{key}/transition", post(step::<PracticeRecords>))
        .route("/catalog/capacities/{key}/transition", post(step::<Capacities>))
        .route("/api/v1/actions/{key}/transitions", post(api_step::<Actions>))
        .route("/api/v1/agreements/{key}/transitions", post(api_step::<Agreements>))
        .route("/api/v1/memberships/{key}/transitions", post(api_step::<Memberships>))
        .route("/api/v1/practices/{key}/transitions", post(api_step::<PracticeRecords>))
        .route("/api/v1/catalog/capacities/{key}/transitions", post(api_step::<Capacities>))
}

fn subnational_routes() -> Router<AppState> {
    use handlers::catalog_import::StatesBook;
    use handlers::subnational_form::{Actions, Agreements, Memberships};
    use handlers::{catalog_form, catalog_import, subnational_pages};
    Router::new()
        .route("/states/template.xlsx", get(catalog_import::template::<StatesBook>))
        .route("/states/export.xlsx", get(handlers::states::export))
        .route("/states/{code}/export.xlsx", get(handlers::states::export_state))
        .route(
            "/states/import",
            get(catalog_import::form::<StatesBook>)
                .post(catalog_import::upload::<StatesBook>)
                .layer(DefaultBodyLimit::max(catalog_import::UPLOAD_LIMIT)),
        )
        .route("/actions/new", get(catalog_form::new_form::<Actions>).post(catalog_form::create::<Actions>))
        .route("/actions/{key}", get(subnational_pages::show::<Actions>))
        .route("/actions/{key}/edit", get(catalog_form::edit_form::<Actions>).post(catalog_form::update::<Actions>))
        .route("/agreements/new", get(catalog_form::new_form::<Agreements>).post(catalog_form::create::<Agreements>))
        .route("/agreements/{key}", get(subnational_pages::show::<Agreements>))
        .route(
            "/agreements/{key}/edit",
            get(catalog_form::edit_form::<Agreements>).post(catalog_form::update::<Agreements>),
        )
        .route("/memberships/new", get(catalog_form::new_form::<Memberships>).post(catalog_form::create::<Memberships>))
        .route("/memberships/{key}", get(subnational_pages::show::<Memberships>))
        .route(
            "/memberships/{key}/edit",
            get(catalog_form::edit_form::<Memberships>).post(catalog_form::update::<Memberships>),
        )
        .route("/api/v1/actions", get(subnational_pages::api_actions).post(catalog_form::api_create::<Actions>))
        .route(
            "/api/v1/actions/{key}",
            get(subnational_pages::api_show::<Actions>).put(catalog_form::api_update::<Actions>),
        )
        .route(
            "/api/v1/agreements",
            get(subnational_pages::api_agreements).post(catalog_form::api_create::<Agreements>),
        )
        .route(
            "/api/v1/agreements/{key}",
            get(subnational_pages::api_show::<Agreements>).put(catalog_form::api_update::<Agreements>),
        )
        .route(
            "/api/v1/memberships",
            get(subnational_pages::api_memberships).post(catalog_form::api_create::<Memberships>),
        )
        .route(
            "/api/v1/memberships/{key}",
            get(subnational_pages::api_show::<Memberships>).put(catalog_form::api_update::<Memberships>),
        )
}

/// Where and how to listen.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub addr: SocketAddr,
    /// Bounds on connections (default: [`Limits::default`]).
    pub limits: Limits,
}

/// Why the server could not run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: SocketAddr, source: std::io::Error },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

impl ServeError {
    pub fn message(&self, lang: coopera_domain::Lang) -> String {
        match (self, lang) {
            (ServeError::Bind { addr, source }, coopera_domain::Lang::Es) => {
                format!("no se puede escuchar en {addr}: {source}")
            }
            (ServeError::Io(e), coopera_domain::Lang::Es) => format!("el servidor se detuvo: {e}"),
            (e, coopera_domain::Lang::En) => e.to_string(),
        }
    }
}

/// Runs the application on `options.addr` until Ctrl-C or SIGTERM, then finishes the requests
/// in flight. `ready` is called with the address actually bound (port 0 picks a free one).
pub fn serve(options: &ServeOptions, state: AppState, ready: impl FnOnce(SocketAddr)) -> Result<(), ServeError> {
    serve_until(options, state, ready, shutdown_signal())
}

/// [`serve`], stopping when `stop` resolves instead of on a signal (a test's own switch).
pub fn serve_until(
    options: &ServeOptions,
    state: AppState,
    ready: impl FnOnce(SocketAddr),
    stop: impl std::future::Future<Output = ()>,
) -> Result<(), ServeError> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(options.addr)
            .await
            .map_err(|source| ServeError::Bind { addr: options.addr, source })?;
        // Polled once before the address is told, so that the signal handlers are in place
        // when anyone can reach the server: a SIGTERM sent after the first answer stops it
        // cleanly rather than killing it.
        let mut stop = std::pin::pin!(stop);
        let stopped = std::future::poll_fn(|cx| std::task::Poll::Ready(stop.as_mut().poll(cx).is_ready())).await;
        if stopped {
            return Ok(());
        }
        ready(listener.local_addr()?);
        server::run(listener, app(state), options.limits, stop).await;
        Ok(())
    })
}

/// Resolves on Ctrl-C or, on Unix, SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        // If the handler cannot be installed, only SIGTERM stops the server.
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}
