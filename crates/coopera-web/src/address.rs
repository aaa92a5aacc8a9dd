//! The request's address, checked once before any handler reads it: the path and the query
//! string decode to UTF-8 text, every percent-escape is well formed, the query string is no
//! longer than the server reads and names no parameter twice and, under `/api/`, `lang` is a
//! language the API documents. A malformed address is answered with 400 (414 when too long)
//! and a message naming the problem, instead of being read as something else — axum's `Query`
//! would turn bytes that are not UTF-8 into U+FFFD and keep `%zz` as text, so a search would
//! quietly look for what was never asked.
//!
//! An API endpoint also refuses a parameter it does not read ([`Only`]): a misspelt filter
//! would otherwise answer with figures that look filtered and are not. Pages ignore such
//! parameters: links shared through mail and social networks carry their own (`fbclid`,
//! `utm_source`), and a page shows the filters it applied in its own controls.

use std::collections::HashSet;
use std::marker::PhantomData;

use axum::extract::{FromRequestParts, Request};
use axum::http::Uri;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::{WebError, is_api};

/// The longest query string read, in bytes. Filters and a search fit in a few hundred; the
/// limit keeps an error message and a search bounded. (hyper itself refuses addresses over
/// 64 KiB before the application sees them, with an empty 414.)
pub(crate) const MAX_QUERY: usize = 8 * 1024;

/// The layer: answers a malformed address itself, passes the rest on.
pub(crate) async fn check(req: Request, next: Next) -> Response {
    match check_address(req.uri()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}

fn check_address(uri: &Uri) -> Result<(), WebError> {
    let path = uri.path();
    decode(path, Part::Path).map_err(|e| e.into_error(Part::Path, path))?;
    match uri.query() {
        Some(query) => check_query(query, is_api(path)),
        None => Ok(()),
    }
}

/// Every problem a query string can have that no handler should have to read around.
pub(crate) fn check_query(query: &str, api: bool) -> Result<(), WebError> {
    if query.len() > MAX_QUERY {
        return Err(WebError::UriTooLong { limit: MAX_QUERY });
    }
    let mut seen = HashSet::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        let name = decode(raw_name, Part::Query).map_err(|e| e.into_error(Part::Query, raw_name))?;
        let value = decode(raw_value, Part::Query).map_err(|e| e.into_error(Part::Query, &name))?;
        // `=value` names nothing: pages do not read it, the API refuses it (see [`Only`]).
        if !name.is_empty() && !seen.insert(name.clone()) {
            return Err(WebError::invalid(
                &name,
                &value,
                "el parámetro aparece más de una vez",
                "the parameter is given more than once",
            ));
        }
        // Pages fall back to the cookie or the browser's language; the API says what it speaks.
        if api && name == "lang" && !matches!(value.as_str(), "" | "es" | "en") {
            return Err(WebError::invalid("lang", &value, "use es o en", "use es or en"));
        }
    }
    Ok(())
}

/// The query parameters an API endpoint reads besides `lang` (which every address takes), as
/// the OpenAPI document lists them.
pub(crate) trait Parameters {
    /// The names, in groups: a group is the parameters one reader takes (the selection's,
    /// the measure's), so that each is written once, next to the code that reads it.
    const NAMES: &'static [&'static [&'static str]];
}

/// An endpoint that reads no parameter but `lang`.
#[derive(Debug)]
pub(crate) struct NoParameters;

impl Parameters for NoParameters {
    const NAMES: &'static [&'static [&'static str]] = &[];
}

/// An extractor for API endpoints: a parameter the endpoint does not read (`P::NAMES`, and
/// `lang`) is answered with 400 `invalid_parameter` naming it — and the closest name it
/// reads, or all of them — instead of being ignored.
#[derive(Debug)]
pub(crate) struct Only<P>(PhantomData<P>);

impl<S: Send + Sync, P: Parameters> FromRequestParts<S> for Only<P> {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, WebError> {
        let names: Vec<&str> = P::NAMES.iter().flat_map(|group| group.iter().copied()).collect();
        only(parts.uri.query(), &names).map(|()| Only(PhantomData))
    }
}

/// Refuses the first parameter of `query` that is not `lang` nor one of `names`.
pub(crate) fn only(query: Option<&str>, names: &[&str]) -> Result<(), WebError> {
    for pair in query.unwrap_or_default().split('&').filter(|p| !p.is_empty()) {
        let (raw_name, raw_value) = pair.split_once('=').unwrap_or((pair, ""));
        // The address layer has checked every escape: what does not decode was let through
        // by no one, and is read as written.
        let name = decode(raw_name, Part::Query).unwrap_or_else(|_| raw_name.to_owned());
        if name == "lang" || names.contains(&name.as_str()) {
            continue;
        }
        let value = decode(raw_value, Part::Query).unwrap_or_else(|_| raw_value.to_owned());
        let close = names
            .iter()
            .map(|n| (strsim::levenshtein(&name, n), *n))
            .filter(|(d, n)| *d <= 2 && *d < n.len())
            .min()
            .map(|(_, n)| n);
        let all = |or: &str| {
            let quoted: Vec<String> = names.iter().chain(["lang"].iter()).map(|n| format!("`{n}`")).collect();
            match quoted.split_last() {
                Some((last, rest)) if !rest.is_empty() => format!("{} {or} {last}", rest.join(", ")),
                _ => quoted.join(""),
            }
        };
        let (es, en) = match close {
            Some(n) => (
                format!("parámetro desconocido; ¿quiso decir `{n}`?"),
                format!("unknown parameter; did you mean `{n}`?"),
            ),
            None => (
                format!("parámetro desconocido; esta dirección lee {}", all("y")),
                format!("unknown parameter; this address reads {}", all("and")),
            ),
        };
        return Err(WebError::invalid(&name, &value, es, en));
    }
    Ok(())
}

/// Where a text to decode comes from: in a query string `+` is a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Path,
    Query,
}

/// Why the path, or a name or a value of the query string, cannot be read.
#[derive(Debug, PartialEq, Eq)]
enum Undecodable {
    /// `%` not followed by two hexadecimal digits (the text from `%` on, a few characters).
    Escape(String),
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

impl Undecodable {
    /// The error, naming the parameter (`name`) or the path.
    fn into_error(self, part: Part, name: &str) -> WebError {
        match (self, part) {
            (Undecodable::Escape(at), _) => WebError::malformed(
                format!("`{at}` no es un escape de porcentaje (%XX) válido"),
                format!("`{at}` is not a valid percent-escape (%XX)"),
            ),
            (Undecodable::NotUtf8, Part::Path) => WebError::malformed(
                "la ruta no es texto UTF-8 una vez decodificada",
                "the path is not UTF-8 text once decoded",
            ),
            (Undecodable::NotUtf8, Part::Query) => WebError::malformed(
                format!("`{name}` no es texto UTF-8 una vez decodificado"),
                format!("`{name}` is not UTF-8 text once decoded"),
            ),
        }
    }
}

/// Decodes percent-escapes strictly (and, in a query string, `+` as a space).
fn decode(s: &str, part: Part) -> Result<String, Undecodable> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0usize;
    while let Some(&byte) = bytes.get(i) {
        match byte {
            b'%' => {
                let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
                match (hex(i.saturating_add(1)), hex(i.saturating_add(2))) {
                    // Two hex digits: at most 255.
                    (Some(hi), Some(lo)) => {
                        out.push(u8::try_from(hi.saturating_mul(16).saturating_add(lo)).unwrap_or(0))
                    }
                    _ => {
                        let at: String = s[i..].chars().take(3).collect();
                        return Err(Undecodable::Escape(at));
                    }
                }
                i = i.saturating_add(3);
            }
            b'+' if part == Part::Query => {
                out.push(b' ');
                i = i.saturating_add(1);
            }
            b => {
                out.push(b);
                i = i.saturating_add(1);
            }
        }
    }
    String::from_utf8(out).map_err(|_| Undecodable::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_strictly() {
        let q = |s: &str| decode(s, Part::Query);
        assert_eq!(q("a+b%C3%A1%2B"), Ok("a bá+".to_owned()));
        assert_eq!(decode("/a+b%20", Part::Path), Ok("/a+b ".to_owned()), "`+` is a space only in a query");
        assert_eq!(q("100%"), Err(Undecodable::Escape("%".to_owned())));
        assert_eq!(q("%zz1"), Err(Undecodable::Escape("%zz".to_owned())));
        assert_eq!(q("%4"), Err(Undecodable::Escape("%4".to_owned())));
        assert_eq!(q("%FF"), Err(Undecodable::NotUtf8));
        assert_eq!(q("%C3"), Err(Undecodable::NotUtf8));
    }

    #[test]
    fn finds_what_no_handler_should_read_around() {
        let code = |q: &str, api: bool| check_query(q, api).err().map(|e| e.code().as_str());
        assert_eq!(code("year=2012&&q=a+b&lang=en", true), None);
        assert_eq!(code("q=%FF", false), Some("bad_request"));
        assert_eq!(code("q=%E0%A4%A", false), Some("bad_request"));
        assert_eq!(code("year=2012&year=2013", false), Some("invalid_parameter"));
        assert_eq!(code("year=2012&y%65ar=2013", false), Some("invalid_parameter"), "names compare decoded");
        assert_eq!(code("=a&=b&&", false), None, "a value without a name is not read");
        assert_eq!(code("lang=fr", true), Some("invalid_parameter"));
        assert_eq!(code("lang=fr", false), None, "pages fall back to another language");
        assert_eq!(code(&format!("q={}", "a".repeat(MAX_QUERY)), true), Some("uri_too_long"));
    }

    #[test]
    fn an_endpoint_reads_only_its_parameters() {
        let message = |q: &str, names: &[&str]| only(Some(q), names).err().map(|e| e.message(coopera_domain::Lang::Es));
        assert_eq!(message("year=2012&lang=en&q=", &["year", "q"]), None);
        assert_eq!(
            message("yaer=2012", &["year", "q"]).as_deref(),
            Some("parámetro `yaer`: `2012`: parámetro desconocido; ¿quiso decir `year`?")
        );
        assert_eq!(
            message("region=centroamerica", &["year", "q"]).as_deref(),
            Some("parámetro `region`: `centroamerica`: parámetro desconocido; esta dirección lee `year`, `q` y `lang`")
        );
        assert_eq!(
            message("x=1", &[]).as_deref(),
            Some("parámetro `x`: `1`: parámetro desconocido; esta dirección lee `lang`")
        );
        assert!(message("=1", &["q"]).is_some(), "a nameless parameter is no parameter of the endpoint");
    }
}
