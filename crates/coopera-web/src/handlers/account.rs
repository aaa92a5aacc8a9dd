//! Signing in and out, the account page (change the password, sign out everywhere), and the
//! one-time page that makes the first administrator of a registry without accounts.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;
use coopera_store::{AccountProblem, StoreError};

use crate::auth::{self, FORM_COOKIE, SESSION_COOKIE};
use crate::error::WebError;
use crate::locale::Ctx;
use crate::state::{AppState, Written};
use crate::views::{AccountPage, Chrome, SmallField, SmallForm, html};

/// How long the anti-forgery cookie of the sign-in page lasts, in seconds.
const FORM_COOKIE_AGE: u64 = 60 * 60;

/// Where to go after signing in: a path of this site, never another site.
fn local(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_owned(),
        _ => "/".to_owned(),
    }
}

fn field(name: &'static str, label: &str, kind: &'static str, value: &str, autocomplete: &'static str) -> SmallField {
    SmallField { name, label: label.to_owned(), kind, value: value.to_owned(), autocomplete }
}

/// The anti-forgery token of a page shown before signing in: the cookie's, or a new one.
fn form_token(headers: &HeaderMap) -> Result<(String, bool), WebError> {
    match auth::cookie(headers, FORM_COOKIE) {
        Some(t) if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) => Ok((t.to_owned(), false)),
        _ => Ok((coopera_store::accounts::secret().map_err(WebError::Store)?, true)),
    }
}

fn with_form_cookie(mut response: Response, token: &str, new: bool, secure: bool) -> Response {
    if new {
        response
            .headers_mut()
            .append(header::SET_COOKIE, auth::set_cookie(FORM_COOKIE, token, Some(FORM_COOKIE_AGE), secure));
    }
    response
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct Next {
    next: Option<String>,
}

fn login_page(ctx: &Ctx, state: &AppState, token: &str, name: &str, next: &str, error: Option<String>) -> AccountPage {
    let lang = ctx.lang;
    let mut c = Chrome::new(ctx, state, lang.pick("Iniciar sesión", "Sign in"), "login");
    c.csrf = token.to_owned();
    AccountPage {
        c,
        heading: lang.pick("Iniciar sesión", "Sign in").to_owned(),
        intro: Some(
            lang.pick(
                "El público ve los registros publicados. Inicie sesión para capturar, validar y publicar.",
                "The public sees published records. Sign in to enter, validate and publish.",
            )
            .to_owned(),
        ),
        error,
        facts: Vec::new(),
        forms: vec![SmallForm {
            action: "/login".to_owned(),
            fields: vec![
                field("username", lang.pick("Usuario", "User name"), "text", name, "username"),
                field("password", lang.pick("Contraseña", "Password"), "password", "", "current-password"),
            ],
            hidden: vec![("next".to_owned(), next.to_owned())],
            submit: lang.pick("Entrar", "Sign in").to_owned(),
            secondary: false,
        }],
    }
}

/// `GET /login`
pub(crate) async fn login_form(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(q): Query<Next>,
) -> Result<Response, WebError> {
    let (token, new) = form_token(&headers)?;
    let next = local(q.next.as_deref());
    let body = html(&login_page(&ctx, &state, &token, "", &next, None))?;
    Ok(with_form_cookie(body.into_response(), &token, new, auth::secure(&state, &headers)))
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// `POST /login`: a session on success; on failure the same page and the same words,
/// whatever was wrong (after too many failures, a wait).
pub(crate) async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    let next = local(form.next.as_deref());
    let (name, password, address) = (form.username.clone(), form.password, ctx.viewer.address.clone());
    let signed = state.read(move |store, _| Ok(store.sign_in(&name, &password, &address))).await?;
    let secure = auth::secure(&state, &headers);
    match signed {
        Ok(session) => {
            let mut response = Redirect::to(&next).into_response();
            let cookies = response.headers_mut();
            cookies.append(header::SET_COOKIE, auth::set_cookie(SESSION_COOKIE, &session.id, None, secure));
            cookies.append(header::SET_COOKIE, auth::set_cookie(FORM_COOKIE, "", Some(0), secure));
            Ok(response)
        }
        Err(StoreError::Account(problem)) => {
            let status = match problem {
                AccountProblem::Throttled { .. } => StatusCode::TOO_MANY_REQUESTS,
                _ => StatusCode::UNAUTHORIZED,
            };
            let (token, new) = form_token(&headers)?;
            let page = login_page(&ctx, &state, &token, &form.username, &next, Some(problem.message(ctx.lang)));
            Ok(with_form_cookie((status, html(&page)?).into_response(), &token, new, secure))
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /logout`: a button, since signing out changes state and so is a form.
pub(crate) async fn logout_form(State(state): State<AppState>, ctx: Ctx) -> Result<Response, WebError> {
    let lang = ctx.lang;
    if ctx.viewer.name().is_none() {
        return Ok(Redirect::to("/").into_response());
    }
    let page = AccountPage {
        c: Chrome::new(&ctx, &state, lang.pick("Cerrar sesión", "Sign out"), "account"),
        heading: lang.pick("Cerrar sesión", "Sign out").to_owned(),
        intro: None,
        error: None,
        facts: Vec::new(),
        forms: vec![SmallForm {
            action: "/logout".to_owned(),
            fields: Vec::new(),
            hidden: Vec::new(),
            submit: lang.pick("Cerrar sesión", "Sign out").to_owned(),
            secondary: false,
        }],
    };
    Ok(html(&page)?.into_response())
}

/// `POST /logout`
pub(crate) async fn logout(State(state): State<AppState>, ctx: Ctx, headers: HeaderMap) -> Result<Response, WebError> {
    if let Some(id) = auth::cookie(&headers, SESSION_COOKIE).map(str::to_owned) {
        let address = ctx.viewer.address.clone();
        state.read(move |store, _| Ok(store.sign_out(&id, Some(&address))?)).await?;
    }
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, auth::set_cookie(SESSION_COOKIE, "", Some(0), auth::secure(&state, &headers)));
    Ok(response)
}

fn account_page(
    ctx: &Ctx,
    state: &AppState,
    notice: Option<String>,
    error: Option<String>,
) -> Result<AccountPage, WebError> {
    let lang = ctx.lang;
    let coopera_domain::access::Actor::Account { name, role, scope } = &ctx.viewer.actor else {
        return Err(WebError::SignInRequired { next: "/account".to_owned() });
    };
    let mut c = Chrome::new(ctx, state, lang.pick("Mi cuenta", "My account"), "account");
    c.notice = notice;
    Ok(AccountPage {
        c,
        heading: lang.pick("Mi cuenta", "My account").to_owned(),
        intro: None,
        error,
        facts: vec![
            (lang.pick("Usuario", "User name").to_owned(), name.clone()),
            (lang.pick("Rol", "Role").to_owned(), role.label(lang).to_owned()),
            (lang.pick("Alcance", "Scope").to_owned(), scope.label(lang)),
        ],
        forms: vec![
            SmallForm {
                action: "/account/password".to_owned(),
                fields: vec![
                    field(
                        "current",
                        lang.pick("Contraseña actual", "Current password"),
                        "password",
                        "",
                        "current-password",
                    ),
                    field(
                        "new",
                        lang.pick("Contraseña nueva (10 caracteres o más)", "New password (10 characters or more)"),
                        "password",
                        "",
                        "new-password",
                    ),
                    field(
                        "confirm",
                        lang.pick("Repita la contraseña nueva", "Repeat the new password"),
                        "password",
                        "",
                        "new-password",
                    ),
                ],
                hidden: Vec::new(),
                submit: lang.pick("Cambiar la contraseña", "Change the password").to_owned(),
                secondary: false,
            },
            SmallForm {
                action: "/account/sign-out-everywhere".to_owned(),
                fields: Vec::new(),
                hidden: Vec::new(),
                submit: lang.pick("Cerrar todas mis sesiones", "Sign out everywhere").to_owned(),
                secondary: true,
            },
        ],
    })
}

/// `GET /account`
pub(crate) async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(q): Query<Changed>,
) -> Result<Response, WebError> {
    let notice = q.changed.map(|_| ctx.lang.pick("Contraseña cambiada.", "Password changed.").to_owned());
    Ok(html(&account_page(&ctx, &state, notice, None)?)?.into_response())
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct Changed {
    changed: Option<String>,
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /account/password`: every session of the account ends; this browser gets a new one.
pub(crate) async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    let name = ctx.viewer.require("/account")?.to_owned();
    if form.new != form.confirm {
        let error = ctx.lang.pick(
            "las dos contraseñas nuevas no coinciden; no se cambió nada",
            "the two new passwords differ; nothing was changed",
        );
        let page = account_page(&ctx, &state, None, Some(error.to_owned()))?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response());
    }
    let address = ctx.viewer.address.clone();
    let changed = state
        .read(move |store, _| {
            Ok(store
                .change_password(&name, &form.current, &form.new, &address)
                .and_then(|()| store.sign_in(&name, &form.new, &address)))
        })
        .await?;
    match changed {
        Ok(session) => {
            let mut response = Redirect::to("/account?changed=1").into_response();
            let cookie = auth::set_cookie(SESSION_COOKIE, &session.id, None, auth::secure(&state, &headers));
            response.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(response)
        }
        Err(StoreError::Account(p)) => {
            let page = account_page(&ctx, &state, None, Some(p.message(ctx.lang)))?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /account/sign-out-everywhere`
pub(crate) async fn sign_out_everywhere(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    let name = ctx.viewer.require("/account")?.to_owned();
    let address = ctx.viewer.address.clone();
    state.read(move |store, _| Ok(store.sign_out_everywhere(&name, Some(&address))?)).await?;
    let mut response = Redirect::to("/").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, auth::set_cookie(SESSION_COOKIE, "", Some(0), auth::secure(&state, &headers)));
    Ok(response)
}

fn setup_page(
    ctx: &Ctx,
    state: &AppState,
    secret: &str,
    token: &str,
    name: &str,
    error: Option<String>,
) -> AccountPage {
    let lang = ctx.lang;
    let mut c = Chrome::new(ctx, state, lang.pick("Primer administrador", "First administrator"), "login");
    c.csrf = token.to_owned();
    AccountPage {
        c,
        heading: lang.pick("Crear el primer administrador", "Create the first administrator").to_owned(),
        intro: Some(
            lang.pick(
                "El registro no tiene cuentas. Este enlace sirve una sola vez: la cuenta que cree aquí administra las demás.",
                "The registry has no accounts. This link works once: the account made here manages the others.",
            )
            .to_owned(),
        ),
        error,
        facts: Vec::new(),
        forms: vec![SmallForm {
            action: format!("/setup/{secret}"),
            fields: vec![
                field("username", lang.pick("Usuario", "User name"), "text", name, "username"),
                field("password", lang.pick("Contraseña (10 caracteres o más)", "Password (10 characters or more)"), "password", "", "new-password"),
                field("confirm", lang.pick("Repita la contraseña", "Repeat the password"), "password", "", "new-password"),
            ],
            hidden: Vec::new(),
            submit: lang.pick("Crear y entrar", "Create and sign in").to_owned(),
            secondary: false,
        }],
    }
}

/// `GET /setup/{secret}`
pub(crate) async fn setup_form(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(secret): Path<String>,
) -> Result<Response, WebError> {
    let has_accounts = state.read(|store, _| Ok(!store.accounts()?.is_empty())).await?;
    if !state.is_setup(&secret) || has_accounts {
        return Err(WebError::not_found("page", "/setup"));
    }
    let (token, new) = form_token(&headers)?;
    let body = html(&setup_page(&ctx, &state, &secret, &token, "", None))?;
    Ok(with_form_cookie(body.into_response(), &token, new, auth::secure(&state, &headers)))
}

#[derive(Debug, serde::Deserialize)]
pub(crate) struct SetupForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /setup/{secret}`: makes the first administrator and signs them in; the link then
/// opens nothing.
pub(crate) async fn setup(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Path(secret): Path<String>,
    Form(form): Form<SetupForm>,
) -> Result<Response, WebError> {
    if !state.is_setup(&secret) {
        return Err(WebError::not_found("page", "/setup"));
    }
    let lang = ctx.lang;
    let again = |error: String| -> Result<Response, WebError> {
        let (token, _) = form_token(&headers)?;
        let page = setup_page(&ctx, &state, &secret, &token, &form.username, Some(error));
        Ok((StatusCode::UNPROCESSABLE_ENTITY, html(&page)?).into_response())
    };
    if form.password != form.confirm {
        return again(lang.pick("las dos contraseñas no coinciden", "the two passwords differ").to_owned());
    }
    let (name, password, address) = (form.username.clone(), form.password.clone(), ctx.viewer.address.clone());
    let made = state
        .write(move |store| {
            // The link makes the first account only: one made meanwhile (on the command line)
            // closes it.
            if !store.accounts()?.is_empty() {
                return Err(WebError::not_found("page", "/setup"));
            }
            let by = coopera_store::Who { name: "setup", address: Some(&address) };
            let made = store
                .add_account(by, &name, AccountRole::Administrator, &Scope::All, &password)
                .and_then(|a| store.sign_in(&a.name, &password, &address));
            Ok(Written::unchanged(made))
        })
        .await?;
    match made {
        Ok(session) => {
            state.take_setup(&secret);
            let mut response = Redirect::to("/account").into_response();
            let cookie = auth::set_cookie(SESSION_COOKIE, &session.id, None, auth::secure(&state, &headers));
            response.headers_mut().append(header::SET_COOKIE, cookie);
            Ok(response)
        }
        Err(StoreError::Account(p)) => again(p.message(lang)),
        Err(e) => Err(e.into()),
    }
}
