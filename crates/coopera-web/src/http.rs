//! Layers every request goes through: the request log (one line per request on standard
//! error, when the server was asked for it) and the check of the query string.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::WebError;
use crate::state::{AppState, RequestLog};

/// The longest query string accepted. The application's own addresses — a dashboard with
/// every filter, a search — stay far below it.
pub(crate) const MAX_QUERY: usize = 8 * 1024;

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

/// Refuses a query string that is longer than [`MAX_QUERY`] (414) or that percent-decodes to
/// something other than UTF-8 text (400, naming the parameter), before any handler reads it:
/// a lossy decoding would quietly answer for a question nobody asked.
pub(crate) async fn check_query(req: Request, next: Next) -> Response {
    use axum::response::IntoResponse as _;
    if let Some(query) = req.uri().query() {
        if query.len() > MAX_QUERY {
            return WebError::QueryTooLong { length: query.len(), max: MAX_QUERY }.into_response();
        }
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let (name, value) = (decode(key), decode(value));
            if let (Ok(_), Ok(_)) = (&name, &value) {
                continue;
            }
            let shown = |d: Result<String, String>| d.unwrap_or_else(|lossy| lossy);
            return WebError::invalid(
                &shown(name),
                &shown(value),
                "no es texto UTF-8 válido",
                "is not valid UTF-8 text",
            )
            .into_response();
        }
    }
    next.run(req).await
}

/// Percent-decodes one part of a query string (`+` is a space), as UTF-8 text; what is not
/// UTF-8 comes back as the error, decoded lossily for the message.
fn decode(part: &str) -> Result<String, String> {
    let bytes = part.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|h| char::from(*h).to_digit(16));
        match b {
            b'%' => match (hex(i.saturating_add(1)), hex(i.saturating_add(2))) {
                (Some(h), Some(l)) => {
                    out.push(u8::try_from(h.saturating_mul(16).saturating_add(l)).unwrap_or(b'?'));
                    i = i.saturating_add(3);
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i = i.saturating_add(1);
    }
    String::from_utf8(out).map_err(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parts_decode_strictly() {
        assert_eq!(decode("educaci%C3%B3n+rural"), Ok("educación rural".to_owned()));
        assert_eq!(decode("100%"), Ok("100%".to_owned()));
        assert_eq!(decode("%zz"), Ok("%zz".to_owned()));
        assert_eq!(decode("%FF%FE"), Err("\u{FFFD}\u{FFFD}".to_owned()));
        assert!(decode("%ED%A0%80").is_err(), "a lone surrogate is not UTF-8");
    }
}
