//! Who is asking, decided once per request before any handler runs, and the protection of
//! every form against forgery.
//!
//! [`resolve`] reads the session cookie (pages) or the `Authorization: Bearer` token (the
//! API), asks the store whether it is open, and leaves a [`Viewer`] in the request for the
//! handlers, which ask [`coopera_domain::access::decide`] what it may do — hiding a button is
//! never the check. The API takes writes from tokens only; a browser's session cookie there
//! reads, as the public would plus its scope.
//!
//! Every state-changing request outside the API must carry the form field `csrf_token`
//! equal to the session's (or, on the sign-in and setup pages, before any session exists,
//! to the one in the short-lived `coopera_form` cookie the page set): a request without it
//! is refused with 403 before the handler sees it, so it changes nothing.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use coopera_domain::access::{Actor, Scope};
use coopera_domain::kinds::AccountRole;

use crate::error::{WebError, is_api};
use crate::server::Peer;
use crate::state::AppState;

/// The cookie that holds a session's secret id.
pub(crate) const SESSION_COOKIE: &str = "coopera_session";
/// The cookie that holds the anti-forgery token of the pages used before signing in.
pub(crate) const FORM_COOKIE: &str = "coopera_form";
/// The form field every state-changing form carries.
pub(crate) const CSRF_FIELD: &str = "csrf_token";

/// Who is asking, for this request.
#[derive(Debug, Clone)]
pub(crate) struct Viewer {
    pub actor: Actor,
    /// The session's anti-forgery token, for the forms of a signed-in page.
    pub csrf: Option<String>,
    /// The network address the request came from.
    pub address: String,
}

impl Viewer {
    pub fn public(address: String) -> Viewer {
        Viewer { actor: Actor::Public, csrf: None, address }
    }

    pub fn name(&self) -> Option<&str> {
        self.actor.name()
    }

    /// The signed-in account's name, or [`WebError::SignInRequired`] (back to `next`).
    pub fn require(&self, next: &str) -> Result<&str, WebError> {
        self.actor.name().ok_or_else(|| WebError::SignInRequired { next: next.to_owned() })
    }

    /// Which records this viewer's figures and lists count: the public, published ones; an
    /// account asking for its own view (`mine`), also the unpublished ones of its scope —
    /// every one for agency-wide roles.
    pub fn visibility(&self, mine: bool) -> coopera_report::Visibility {
        use coopera_report::Visibility;
        match &self.actor {
            Actor::Account { role, scope, .. } if mine => match role {
                AccountRole::Administrator | AccountRole::Analyst => Visibility::All,
                AccountRole::Editor | AccountRole::Viewer => Visibility::PublishedOrInScope(scope.clone()),
            },
            _ => Visibility::Published,
        }
    }

    /// A short tag of what this viewer sees, for caches and `ETag`s.
    pub fn tag(&self) -> String {
        match &self.actor {
            Actor::Public => "public".to_owned(),
            Actor::Account { name, .. } => format!("u:{name}"),
        }
    }

    pub fn who(&self) -> coopera_store::Who<'_> {
        coopera_store::Who { name: self.actor.name().unwrap_or("public"), address: Some(&self.address) }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Viewer, Self::Rejection> {
        Ok(parts.extensions.get::<Viewer>().cloned().unwrap_or_else(|| Viewer::public(address(parts))))
    }
}

fn address(parts: &Parts) -> String {
    parts.extensions.get::<Peer>().map_or_else(|| "local".to_owned(), |p| p.0.ip().to_string())
}

/// Compares two secrets in time that does not depend on where they differ.
pub(crate) fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The value of a cookie of the request.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when asked; `max_age` in
/// seconds (0 removes it; `None` lasts as long as the browser).
pub(crate) fn set_cookie(name: &str, value: &str, max_age: Option<u64>, secure: bool) -> HeaderValue {
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(age) = max_age {
        c.push_str(&format!("; Max-Age={age}"));
    }
    if secure {
        c.push_str("; Secure");
    }
    HeaderValue::from_str(&c).unwrap_or_else(|_| HeaderValue::from_static("coopera_invalid=; Max-Age=0"))
}

/// Whether cookies set in answer to this request must be `Secure`.
pub(crate) fn secure(state: &AppState, headers: &HeaderMap) -> bool {
    state.options().secure_cookies
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The layer: resolves the [`Viewer`], then checks the anti-forgery token of a form.
pub(crate) async fn resolve(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let address = address(&parts);
    let api = is_api(parts.uri.path());
    let viewer = match identify(&state, &parts.headers, api, &parts.method, address).await {
        Ok(v) => v,
        Err(e) => return e.into_response(),
    };
    let writes = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    let body = if writes && !api {
        let expected = if is_pre_session(parts.uri.path()) {
            cookie(&parts.headers, FORM_COOKIE).map(str::to_owned)
        } else {
            viewer.csrf.clone()
        };
        match check_form(body, &parts.headers, parts.uri.path(), expected.as_deref()).await {
            Ok(body) => body,
            Err(refused) => return refused,
        }
    } else {
        body
    };
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(viewer);
    next.run(req).await
}

/// The pages whose forms are posted before a session exists.
fn is_pre_session(path: &str) -> bool {
    path == "/login" || path.starts_with("/setup/")
}

/// Who the request's cookie or token says it is. An API token that opens nothing is refused
/// (401) rather than read as the public; so is a session cookie of an ended session on a
/// write, which then fails its form check anyway.
async fn identify(
    state: &AppState,
    headers: &HeaderMap,
    api: bool,
    method: &Method,
    address: String,
) -> Result<Viewer, WebError> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(|t| t.trim().to_owned());
    if let Some(token) = bearer {
        let at = address.clone();
        let account = state.read(move |store, _| Ok(store.token_account(&token, Some(&at))?)).await?;
        return match account {
            Some(a) => Ok(Viewer { actor: Actor::account(a.name, a.role, a.scope), csrf: None, address }),
            None => Err(WebError::SignInRequired { next: String::new() }),
        };
    }
    // The API writes with tokens only: a browser's cookie there could be sent by another
    // site's form.
    if api && !matches!(*method, Method::GET | Method::HEAD) {
        return Ok(Viewer::public(address));
    }
    let Some(id) = cookie(headers, SESSION_COOKIE).map(str::to_owned) else { return Ok(Viewer::public(address)) };
    let limits = state.options().sessions;
    let session = state.read(move |store, _| Ok(store.session(&id, limits)?)).await?;
    Ok(match session {
        Some(s) => {
            let a = s.account;
            Viewer { actor: Actor::account(a.name, a.role, a.scope), csrf: Some(s.csrf), address }
        }
        None => Viewer::public(address),
    })
}

/// Reads a form's body and checks its `csrf_token`; gives the body back to be read again.
/// The body of a spreadsheet's upload (`path`) may be larger than a form's, and is told so
/// when it is too large.
async fn check_form(body: Body, headers: &HeaderMap, path: &str, expected: Option<&str>) -> Result<Body, Response> {
    use crate::handlers::catalog_import::{CATALOG, STATES, UPLOAD_LIMIT, too_large};
    let upload = path == CATALOG.import || path == STATES.import;
    let limit = if upload { UPLOAD_LIMIT } else { crate::BODY_LIMIT };
    let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
        if upload {
            let (es, en) = too_large();
            return Err(crate::error::with_message(axum::http::StatusCode::PAYLOAD_TOO_LARGE, es, en));
        }
        return Err(axum::http::StatusCode::PAYLOAD_TOO_LARGE.into_response());
    };
    let given = match headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
        Some(t) if t.starts_with("multipart/form-data") => multipart_field(&bytes, t, CSRF_FIELD).await,
        _ => form_urlencoded::parse(&bytes).find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v.into_owned()),
    };
    match (expected, given) {
        (Some(e), Some(g)) if same(e, &g) => Ok(Body::from(bytes)),
        _ => Err(WebError::forbidden(
            "el formulario caducó o no viene de este sitio (falta su código de seguridad): vuelva a cargar la página e inténtelo de nuevo; no se guardó nada",
            "the form expired or did not come from this site (its security code is missing): reload the page and try again; nothing was saved",
        )
        .into_response()),
    }
}

/// The first field `name` of a multipart body (a form that sends a file), as text. A
/// browser sends the fields in the form's order, and the token comes first.
async fn multipart_field(bytes: &bytes::Bytes, content_type: &str, name: &str) -> Option<String> {
    use axum::extract::{DefaultBodyLimit, FromRequest, Multipart};
    let mut req = Request::builder().header(header::CONTENT_TYPE, content_type).body(Body::from(bytes.clone())).ok()?;
    // The body was read within its limit already.
    DefaultBodyLimit::disable().apply(&mut req);
    let mut multipart = Multipart::from_request(req, &()).await.ok()?;
    while let Some(field) = multipart.next_field().await.ok()? {
        if field.name() == Some(name) {
            return field.text().await.ok();
        }
    }
    None
}

/// The account a role and scope make, for labels.
pub(crate) fn describe(role: AccountRole, scope: &Scope, lang: coopera_domain::Lang) -> String {
    match scope {
        Scope::All => role.label(lang).to_owned(),
        s => format!("{} · {}", role.label(lang), s.label(lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_read_by_name() {
        let mut h = HeaderMap::new();
        h.insert(header::COOKIE, HeaderValue::from_static("a=1; coopera_session=abc; b=2"));
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "coopera"), None);
        let set = set_cookie(SESSION_COOKIE, "abc", None, true);
        assert_eq!(set.to_str().ok(), Some("coopera_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure"));
    }

    #[test]
    fn secrets_compare_whole() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
        assert!(!same("", "a"));
    }
}
