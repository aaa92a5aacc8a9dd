//! The web application's one error type, and the layer that renders every error response —
//! as JSON `{"error": {"code", "message"}}` under `/api/`, as a page elsewhere — in the
//! user's language, with a stable code and without internal details.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coopera_domain::Lang;
use coopera_report::ReportError;
use coopera_store::StoreError;

use crate::api::{ErrorBody, ErrorCode, ErrorDetail};

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// No record (or page) with that key.
    #[error("{kind} `{key}` not found")]
    NotFound { kind: &'static str, key: String },
    /// A query parameter with a value that is not allowed.
    #[error("parameter `{name}`: `{value}`: {reason_en}")]
    InvalidParameter { name: String, value: String, reason_es: String, reason_en: String },
    /// A request that cannot be read at all (a query string that is not well formed).
    #[error("malformed request: {reason_en}")]
    Malformed { reason_es: String, reason_en: String },
    /// A query string longer than the server reads.
    #[error("the address is longer than {limit} bytes")]
    UriTooLong { limit: usize },
    #[error(transparent)]
    Report(ReportError),
    #[error(transparent)]
    Store(StoreError),
    /// No signed-in account (or API token) where one is needed. Pages send the browser to
    /// the sign-in page and back to `next`.
    #[error("sign-in required")]
    SignInRequired { next: String },
    /// The account may not do this, or a form came without a valid anti-forgery token.
    #[error("forbidden: {reason_en}")]
    Forbidden { reason_es: String, reason_en: String },
    /// Too many failed sign-ins, or a refused account operation.
    #[error("{}", .0.message(Lang::En))]
    Account(coopera_store::AccountProblem),
    /// A failure of the server itself; the text is logged, never shown.
    #[error("internal error: {0}")]
    Internal(String),
    /// The server cannot answer yet (the search index is being built); the client may try
    /// again shortly (`Retry-After`).
    #[error("unavailable: {reason_en}")]
    Unavailable { reason_es: String, reason_en: String },
}

impl WebError {
    pub fn internal(detail: impl Into<String>) -> WebError {
        WebError::Internal(detail.into())
    }

    pub fn not_found(kind: &'static str, key: &str) -> WebError {
        WebError::NotFound { kind, key: shorten(key) }
    }

    /// A parameter with a value that is not allowed. The value is quoted in the message
    /// shortened, since it can be as long as the address.
    pub fn invalid(name: &str, value: &str, reason_es: impl Into<String>, reason_en: impl Into<String>) -> WebError {
        WebError::InvalidParameter {
            name: shorten(name),
            value: shorten(value),
            reason_es: reason_es.into(),
            reason_en: reason_en.into(),
        }
    }

    pub fn malformed(reason_es: impl Into<String>, reason_en: impl Into<String>) -> WebError {
        WebError::Malformed { reason_es: reason_es.into(), reason_en: reason_en.into() }
    }

    pub fn forbidden(reason_es: impl Into<String>, reason_en: impl Into<String>) -> WebError {
        WebError::Forbidden { reason_es: reason_es.into(), reason_en: reason_en.into() }
    }

    pub fn unavailable(reason_es: impl Into<String>, reason_en: impl Into<String>) -> WebError {
        WebError::Unavailable { reason_es: reason_es.into(), reason_en: reason_en.into() }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            WebError::SignInRequired { .. } => StatusCode::UNAUTHORIZED,
            WebError::Forbidden { .. } => StatusCode::FORBIDDEN,
            WebError::Account(coopera_store::AccountProblem::Throttled { .. }) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Account(coopera_store::AccountProblem::WrongCredentials) => StatusCode::UNAUTHORIZED,
            WebError::Account(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Store(StoreError::Stale { .. }) => StatusCode::CONFLICT,
            WebError::NotFound { .. } => StatusCode::NOT_FOUND,
            WebError::InvalidParameter { .. } | WebError::Malformed { .. } => StatusCode::BAD_REQUEST,
            WebError::UriTooLong { .. } => StatusCode::URI_TOO_LONG,
            WebError::Report(ReportError::Store(_)) | WebError::Store(_) | WebError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            WebError::Report(_) => StatusCode::BAD_REQUEST,
            WebError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    /// The stable code clients can rely on.
    pub fn code(&self) -> ErrorCode {
        match self {
            WebError::SignInRequired { .. } => ErrorCode::Unauthorized,
            WebError::Forbidden { .. } => ErrorCode::Forbidden,
            WebError::Account(coopera_store::AccountProblem::Throttled { .. }) => ErrorCode::TooManyRequests,
            WebError::Account(coopera_store::AccountProblem::WrongCredentials) => ErrorCode::Unauthorized,
            WebError::Account(_) => ErrorCode::InvalidParameter,
            WebError::Store(StoreError::Stale { .. }) => ErrorCode::Conflict,
            WebError::NotFound { .. } => ErrorCode::NotFound,
            WebError::InvalidParameter { .. } => ErrorCode::InvalidParameter,
            WebError::Malformed { .. } => ErrorCode::BadRequest,
            WebError::UriTooLong { .. } => ErrorCode::UriTooLong,
            WebError::Report(ReportError::UnknownValue { .. }) => ErrorCode::UnknownValue,
            WebError::Report(ReportError::YearRange { .. } | ReportError::YearAsFilter) => ErrorCode::InvalidParameter,
            WebError::Report(ReportError::CatalogHasNoValue) => ErrorCode::InvalidParameter,
            WebError::Report(ReportError::Store(_)) | WebError::Store(_) | WebError::Internal(_) => {
                ErrorCode::InternalError
            }
            WebError::Unavailable { .. } => ErrorCode::Unavailable,
        }
    }

    /// What the user reads. Internal failures say only that something failed.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            WebError::SignInRequired { .. } => lang
                .pick(
                    "inicie sesión para continuar (en la API: un token en `Authorization: Bearer`)",
                    "sign in to continue (in the API: a token in `Authorization: Bearer`)",
                )
                .to_owned(),
            WebError::Forbidden { reason_es, reason_en } | WebError::Unavailable { reason_es, reason_en } => {
                lang.pick(reason_es, reason_en).to_owned()
            }
            WebError::Account(p) => p.message(lang),
            WebError::Store(e @ StoreError::Stale { .. }) => e.message(lang),
            WebError::NotFound { kind, key } => {
                let what = kind_label(kind, lang);
                match lang {
                    Lang::Es => format!("no existe {what} `{key}`"),
                    Lang::En => format!("there is no {what} `{key}`"),
                }
            }
            WebError::InvalidParameter { name, value, reason_es, reason_en } => match lang {
                Lang::Es => format!("parámetro `{name}`: `{value}`: {reason_es}"),
                Lang::En => format!("parameter `{name}`: `{value}`: {reason_en}"),
            },
            WebError::Malformed { reason_es, reason_en } => match lang {
                Lang::Es => format!("solicitud mal formada: {reason_es}"),
                Lang::En => format!("malformed request: {reason_en}"),
            },
            WebError::UriTooLong { limit } => match lang {
                Lang::Es => format!("la dirección pasa de {limit} bytes"),
                Lang::En => format!("the address is longer than {limit} bytes"),
            },
            WebError::Report(e @ (ReportError::UnknownValue { .. } | ReportError::YearRange { .. })) => e.message(lang),
            WebError::Report(ReportError::YearAsFilter | ReportError::CatalogHasNoValue) => {
                lang.pick("filtro no válido para este informe", "filter not valid for this report").to_owned()
            }
            WebError::Report(ReportError::Store(_)) | WebError::Store(_) | WebError::Internal(_) => lang
                .pick(
                    "error interno del servidor; el problema quedó registrado",
                    "internal server error; the problem was logged",
                )
                .to_owned(),
        }
    }
}

/// At most [`SHORT`] characters of `s`, with `…` when cut.
fn shorten(s: &str) -> String {
    const SHORT: usize = 80;
    match s.char_indices().nth(SHORT) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

fn kind_label(kind: &str, lang: Lang) -> &'static str {
    match kind {
        "activity" => lang.pick("la actividad", "activity"),
        "organisation" => lang.pick("la organización", "organisation"),
        "codelist" => lang.pick("la lista de códigos", "codelist"),
        "report" => lang.pick("el informe", "report"),
        "capacity" => lang.pick("la capacidad", "capacity"),
        "demand" => lang.pick("la solicitud", "demand"),
        _ => lang.pick("la página", "page"),
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        WebError::Store(e)
    }
}

impl From<ReportError> for WebError {
    fn from(e: ReportError) -> WebError {
        WebError::Report(e)
    }
}

/// An error waiting to be rendered by [`render`], which knows the path and the language.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub code: ErrorCode,
    pub message_es: String,
    pub message_en: String,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(code = self.code().as_str(), "{self}");
        }
        let pending =
            Pending { code: self.code(), message_es: self.message(Lang::Es), message_en: self.message(Lang::En) };
        let mut response = status.into_response();
        if let WebError::Unavailable { .. } = self {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static(RETRY_AFTER_SECONDS));
        }
        response.extensions_mut().insert(pending);
        if let WebError::SignInRequired { next } = self {
            response.extensions_mut().insert(SignInFirst(next));
        }
        response
    }
}

/// A response of `status` whose error page (or JSON body) says this message, in the
/// request's language, for a layer that answers before any handler.
pub(crate) fn with_message(status: StatusCode, es: String, en: String) -> Response {
    let pending = Pending { code: by_status(status).code, message_es: es, message_en: en };
    let mut response = status.into_response();
    response.extensions_mut().insert(pending);
    response
}

/// When a client answered 503 may try again.
const RETRY_AFTER_SECONDS: &str = "5";

/// A page that needs a signed-in account: the browser is sent to sign in, then back here.
#[derive(Debug, Clone)]
struct SignInFirst(String);

/// The stable code and the message of an error response that did not come from a
/// [`WebError`] (an unknown route, a method not allowed, a body too large, a malformed query
/// or form, a timeout).
fn by_status(status: StatusCode) -> Pending {
    let (code, es, en) = match status {
        StatusCode::NOT_FOUND => (ErrorCode::NotFound, "no existe esa página", "there is no such page"),
        StatusCode::METHOD_NOT_ALLOWED => {
            (ErrorCode::MethodNotAllowed, "método HTTP no permitido aquí", "HTTP method not allowed here")
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            (ErrorCode::PayloadTooLarge, "la solicitud es demasiado grande", "the request is too large")
        }
        StatusCode::REQUEST_TIMEOUT => {
            (ErrorCode::Timeout, "la solicitud tardó demasiado", "the request took too long")
        }
        StatusCode::URI_TOO_LONG => {
            (ErrorCode::UriTooLong, "la dirección es demasiado larga", "the address is too long")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (ErrorCode::UnsupportedMediaType, "tipo de contenido no admitido", "content type not supported")
        }
        s if s.is_server_error() => (ErrorCode::InternalError, "error interno del servidor", "internal server error"),
        _ => (ErrorCode::BadRequest, "solicitud mal formada", "malformed request"),
    };
    Pending { code, message_es: es.to_owned(), message_en: en.to_owned() }
}

/// Whether `path` is the API's, where errors are JSON.
pub(crate) fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Renders error responses: those of [`WebError`], and the plain-text ones axum and the
/// layers produce. Complete pages (a form shown again with its problems) pass untouched.
pub(crate) async fn render(req: Request, next: Next) -> Response {
    let lang = req.extensions().get::<Lang>().copied().unwrap_or_default();
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    let status = response.status();
    let pending = response.extensions().get::<Pending>().cloned();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|v| v.to_str().is_ok_and(|t| t.starts_with("text/plain")));
    let pending = match pending {
        Some(p) => p,
        None if status.as_u16() >= 400 && plain => by_status(status),
        None => return response,
    };
    if let (false, Some(SignInFirst(next))) = (is_api(&path), response.extensions().get::<SignInFirst>()) {
        let to = format!("/login?next={}", crate::selection::encode(next));
        return axum::response::Redirect::to(&to).into_response();
    }
    let message = lang.pick(&pending.message_es, &pending.message_en).to_owned();
    let mut out = if is_api(&path) {
        let body = ErrorBody { error: ErrorDetail { code: pending.code, message, problems: Vec::new() } };
        (status, axum::Json(body)).into_response()
    } else {
        (status, axum::response::Html(crate::views::error_page(lang, &path, status, &message))).into_response()
    };
    for kept in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&kept) {
            out.headers_mut().insert(kept, value.clone());
        }
    }
    out.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    out
}
