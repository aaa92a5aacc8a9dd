//! The user's language — chosen by `?lang=`, kept in a cookie, guessed from
//! `Accept-Language` on a first visit, Spanish otherwise — and the formats that follow it.
//!
//! Conventions (Mexico writes numbers with a decimal point and comma grouping, and the
//! English pages keep them):
//!
//! | | es (es-MX) | en |
//! |---|---|---|
//! | number | 1,234.5 | 1,234.5 |
//! | percentage | 20.5 % | 20.5% |
//! | money | 1,234.50 USD | USD 1,234.50 |
//! | short figure, on a bar | 850 · 16.3 mil · 19.1 M · 2,346 M | 850 · 16.3 k · 19.1 M · 2,346 M |
//! | date | 25/11/2026 | 25 Nov 2026 |
//!
//! A short figure keeps three significant digits and names its unit: thousands as `mil` in
//! Spanish and `k` in English, millions as `M` in both; beyond a thousand millions it stays in
//! millions, grouped (`2,346 M`), since a Spanish *billón* is a million millions and an English
//! *billion* a thousand. It is for bars and legends only: tooltips, descriptions and tables give
//! the whole figure.

use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::middleware::Next;
use axum::response::Response;
use coopera_domain::Lang;
use rust_decimal::{Decimal, RoundingStrategy};
use time::Date;

const COOKIE: &str = "lang";

/// `lang` from a query string, when it names a language Coopera speaks.
fn from_query(query: Option<&str>) -> Option<Lang> {
    query?.split('&').filter_map(|kv| kv.split_once('=')).find(|(k, _)| *k == "lang").and_then(|(_, v)| v.parse().ok())
}

fn from_cookie(headers: &HeaderMap) -> Option<Lang> {
    crate::auth::cookie(headers, COOKIE)?.parse().ok()
}

/// The first language of `Accept-Language`, by weight, that Coopera speaks.
fn from_accept(headers: &HeaderMap) -> Option<Lang> {
    let value = headers.get(header::ACCEPT_LANGUAGE)?.to_str().ok()?;
    let mut tags: Vec<(f32, usize, Lang)> = value
        .split(',')
        .enumerate()
        .filter_map(|(i, part)| {
            let mut pieces = part.trim().split(';');
            let lang: Lang = pieces.next()?.trim().parse().ok()?;
            let q = pieces.find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.parse::<f32>().ok())).unwrap_or(1.0);
            (q > 0.0).then_some((q, i, lang))
        })
        .collect();
    tags.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    tags.first().map(|t| t.2)
}

/// Decides the language of the request (available to handlers as an extension) and, when
/// `?lang=` chose it, keeps it in a cookie.
pub(crate) async fn negotiate(mut req: Request, next: Next) -> Response {
    let chosen = from_query(req.uri().query());
    let lang = chosen.or_else(|| from_cookie(req.headers())).or_else(|| from_accept(req.headers())).unwrap_or_default();
    req.extensions_mut().insert(lang);
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    if let Some(l) = chosen {
        let cookie = format!("{COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", l.code());
        if let Ok(v) = HeaderValue::from_str(&cookie) {
            headers.append(header::SET_COOKIE, v);
        }
    }
    headers.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(if lang == Lang::En { "en" } else { "es" }));
    headers.append(header::VARY, HeaderValue::from_static("Accept-Language, Cookie"));
    response
}

/// What a page needs to know of its request: the language and the address it was asked at.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub lang: Lang,
    pub uri: Uri,
    /// Who is asking (see `auth`).
    pub viewer: crate::auth::Viewer,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Ctx, Self::Rejection> {
        let lang = parts.extensions.get::<Lang>().copied().unwrap_or_default();
        let Ok(viewer) = crate::auth::Viewer::from_request_parts(parts, _state).await;
        Ok(Ctx { lang, uri: parts.uri.clone(), viewer })
    }
}

/// The address of this page in the other language: the same path and query, `lang` changed.
pub(crate) fn switch_url(uri: &Uri, to: Lang) -> String {
    let mut pairs: Vec<&str> =
        uri.query().unwrap_or("").split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("lang=")).collect();
    let lang = format!("lang={}", to.code());
    pairs.push(&lang);
    format!("{}?{}", uri.path(), pairs.join("&"))
}

/// Groups the integer digits by thousands with commas.
fn group(int: &str) -> String {
    let digits: Vec<char> = int.chars().collect();
    let mut out = String::with_capacity(digits.len().saturating_mul(2));
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && digits.len().saturating_sub(i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(*c);
    }
    out
}

/// `d` with at most `decimals` decimals (trailing zeros dropped), grouped by thousands.
pub fn number(d: Decimal, decimals: u32) -> String {
    fixed_or_trimmed(d.round_dp(decimals).normalize().to_string())
}

/// `d` with exactly `decimals` decimals, grouped by thousands.
pub(crate) fn fixed(d: Decimal, decimals: u32) -> String {
    let r = d.round_dp(decimals);
    fixed_or_trimmed(format!("{r:.prec$}", prec = decimals as usize))
}

fn fixed_or_trimmed(s: String) -> String {
    let (sign, s) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.as_str()),
    };
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let mut out = format!("{sign}{}", group(int));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    if out == "-0" { "0".to_owned() } else { out }
}

/// `d` in the short form of a bar or a legend: `850`, `16.3 k` (`16.3 mil`), `19.1 M`, `2,346 M`.
pub(crate) fn short(d: Decimal, lang: Lang) -> String {
    let thousand = Decimal::from(1000);
    let million = Decimal::from(1_000_000);
    // Three significant digits: one decimal below 100 units, none from there on.
    let scaled = |unit: Decimal| {
        let v = d.checked_div(unit).unwrap_or_default();
        let dp = if v.abs() < Decimal::ONE_HUNDRED { 1 } else { 0 };
        v.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
    };
    if d.abs().round_dp(0) < thousand {
        return number(d, 0);
    }
    let k = scaled(thousand);
    if k.abs() < thousand {
        let unit = lang.pick("mil", "k");
        return format!("{} {unit}", number(k, 1));
    }
    format!("{} M", number(scaled(million), 1))
}

/// A count: whole numbers as such, fractions (an activity split over rows) with two decimals.
pub(crate) fn count(d: Decimal) -> String {
    number(d, 2)
}

pub(crate) fn percent(d: Decimal, lang: Lang) -> String {
    let n = number(d, 1);
    match lang {
        Lang::Es => format!("{n} %"),
        Lang::En => format!("{n}%"),
    }
}

pub(crate) fn money(d: Decimal, currency: &str, lang: Lang) -> String {
    let n = fixed(d, 2);
    match lang {
        Lang::Es => format!("{n} {currency}"),
        Lang::En => format!("{currency} {n}"),
    }
}

/// A large amount rounded to whole units, for charts and cards.
pub(crate) fn money_whole(d: Decimal, currency: &str, lang: Lang) -> String {
    let n = number(d, 0);
    match lang {
        Lang::Es => format!("{n} {currency}"),
        Lang::En => format!("{currency} {n}"),
    }
}

const MONTHS_EN: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

pub(crate) fn date(d: Date, lang: Lang) -> String {
    let month = u8::from(d.month());
    match lang {
        Lang::Es => format!("{:02}/{:02}/{}", d.day(), month, d.year()),
        Lang::En => format!("{} {} {}", d.day(), MONTHS_EN[usize::from(month.saturating_sub(1))], d.year()),
    }
}

pub(crate) fn opt_date(d: Option<Date>, lang: Lang) -> String {
    d.map(|d| date(d, lang)).unwrap_or_else(|| "—".to_owned())
}

/// An RFC 3339 time from the change history, shown as date and UTC time.
pub(crate) fn timestamp(rfc3339: &str, lang: Lang) -> String {
    let format = time::format_description::well_known::Rfc3339;
    match time::OffsetDateTime::parse(rfc3339, &format) {
        Ok(t) => {
            let t = t.to_offset(time::UtcOffset::UTC);
            format!("{} {:02}:{:02} UTC", date(t.date(), lang), t.hour(), t.minute())
        }
        Err(_) => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn numbers_use_the_decimal_point_and_comma_groups() {
        assert_eq!(number(d("1234.5"), 2), "1,234.5");
        assert_eq!(number(d("-1234567.891"), 2), "-1,234,567.89");
        assert_eq!(number(d("999"), 0), "999");
        assert_eq!(fixed(d("1234"), 2), "1,234.00");
        assert_eq!(percent(d("20.54"), Lang::Es), "20.5 %");
        assert_eq!(percent(d("20.54"), Lang::En), "20.5%");
        assert_eq!(money(d("1234.5"), "USD", Lang::Es), "1,234.50 USD");
        assert_eq!(money(d("1234.5"), "USD", Lang::En), "USD 1,234.50");
    }

    #[test]
    fn short_figures_keep_three_digits_and_name_their_unit() {
        let cases = [
            ("0", "0", "0"),
            ("34", "34", "34"),
            ("999.4", "999", "999"),
            ("999.6", "1 mil", "1 k"),
            ("1234", "1.2 mil", "1.2 k"),
            ("16250.01", "16.3 mil", "16.3 k"),
            ("245790", "246 mil", "246 k"),
            ("999950", "1 M", "1 M"),
            ("1443583", "1.4 M", "1.4 M"),
            ("19149144.65", "19.1 M", "19.1 M"),
            ("20000000", "20 M", "20 M"),
            ("128214313", "128 M", "128 M"),
            ("2345678901", "2,346 M", "2,346 M"),
            ("-16250", "-16.3 mil", "-16.3 k"),
        ];
        for (value, es, en) in cases {
            assert_eq!(short(d(value), Lang::Es), es, "{value}");
            assert_eq!(short(d(value), Lang::En), en, "{value}");
        }
        // The whole figure, grouped by thousands in both languages.
        assert_eq!(number(d("19149144.65"), 2), "19,149,144.65");
        assert_eq!(money(d("19149144.65"), "USD", Lang::Es), "19,149,144.65 USD");
        assert_eq!(money(d("19149144.65"), "USD", Lang::En), "USD 19,149,144.65");
    }

    #[test]
    fn dates_follow_the_language() {
        let day = time::macros::date!(2026 - 11 - 25);
        assert_eq!(date(day, Lang::Es), "25/11/2026");
        assert_eq!(date(day, Lang::En), "25 Nov 2026");
    }

    #[test]
    fn accept_language_by_weight() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("fr-FR, en;q=0.8, es;q=0.9"));
        assert_eq!(from_accept(&h), Some(Lang::Es));
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en-GB,en;q=0.9"));
        assert_eq!(from_accept(&h), Some(Lang::En));
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("de"));
        assert_eq!(from_accept(&h), None);
    }

    #[test]
    fn the_switch_keeps_the_query() {
        let uri: Uri = "/activities?year=2012&lang=es&page=2".parse().unwrap();
        assert_eq!(switch_url(&uri, Lang::En), "/activities?year=2012&page=2&lang=en");
    }
}
