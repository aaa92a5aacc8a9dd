//! Entry points for the fuzz targets in `fuzz/`, not part of the crate's API: thin wrappers
//! that run what the handlers run on a query string and on a posted form, without a server.
//!
//! The handlers' helpers stay private to the crate; these wrappers return only public types
//! (the selection as the pairs its links carry, documents, domain records), so what a fuzz
//! target can assert is what a client can observe.

use std::ops::Range;

use axum::extract::Query;
use axum::http::Uri;
use coopera_domain::Lang;
use coopera_domain::activity::Activity;
use coopera_domain::doc::{ActivityDoc, OrganisationDoc};
use coopera_domain::organisation::Organisation;
use coopera_domain::problem::Problems;
use coopera_report::{Currency, Measure};

use crate::WebError;
use crate::handlers::{activity_form, organisations};
use crate::registry::Sort;
use crate::selection::{self, MeasureChoice, Paging, Params, Selection};

/// The page size of the activity list (the default when `per_page` is not given).
pub const LIST_PER_PAGE: usize = 25;

/// A query string checked the way the list, dashboard and report handlers check it.
#[derive(Debug)]
pub struct CheckedQuery {
    /// The selection, as the pairs of the links its pages draw.
    pub selection: Result<Vec<(&'static str, String)>, WebError>,
    pub measure: Result<(Measure, Currency), WebError>,
    pub sort: Result<Sort, WebError>,
    /// Page and page size, with the list's default size.
    pub paging: Result<(usize, usize), WebError>,
}

/// Checks `query` (what follows `?`); `None` when axum refuses it before any handler runs
/// (not a URI, or not a query string of the parameters' shape).
pub fn check_query(query: &str) -> Option<CheckedQuery> {
    let uri: Uri = format!("/?{query}").parse().ok()?;
    let Query(params) = Query::<Params>::try_from_uri(&uri).ok()?;
    Some(CheckedQuery {
        selection: Selection::parse(&params, &crate::auth::Viewer::public("fuzz".to_owned())).map(|s| {
            // Built by every report the dashboard draws; only its not panicking matters here.
            let _ = s.filters();
            s.pairs()
        }),
        measure: MeasureChoice::parse(&params).map(|c| (c.measure, c.currency)),
        sort: selection::parse_sort(&params),
        paging: Paging::parse(&params, LIST_PER_PAGE).map(|p| (p.page, p.per_page)),
    })
}

/// The pairs the dashboard's links carry for a measure.
pub fn measure_pairs(measure: Measure, currency: Currency) -> Vec<(&'static str, String)> {
    MeasureChoice { measure, currency }.pairs()
}

/// `a=1&b=2`, values encoded, as the pages write their links.
pub fn query_string(pairs: &[(&str, String)]) -> String {
    selection::query_string(pairs)
}

/// The rows of a list of `total` that a page shows, and how many pages the list has.
pub fn page_rows(page: usize, per_page: usize, total: usize) -> (Range<usize>, usize) {
    let paging = Paging { page, per_page };
    (paging.range(total), paging.pages(total))
}

/// A posted form checked the way its handler checks it before the store's own rules.
#[derive(Debug)]
pub struct CheckedForm<D, R> {
    /// The document the form's values make.
    pub doc: D,
    pub record: Result<R, Problems>,
    /// When refused, the messages shown beside each field, by field name, in Spanish and in
    /// English (the activity form only; the organisation form places them while drawing).
    pub by_field: [Vec<(String, Vec<String>)>; 2],
}

/// `POST /activities/new` (`base` is `None`) or `POST /activities/{id}/edit` over the stored
/// document `base`, as form pairs in the order they were posted.
pub fn activity_form(fields: &[(String, String)], base: Option<ActivityDoc>) -> CheckedForm<ActivityDoc, Activity> {
    // When editing, the identifier is the stored one (the handler takes it from the URL): a
    // last `id` pair wins over any the form posted.
    let mut fields = fields.to_vec();
    if let Some(b) = &base {
        fields.push(("id".to_owned(), b.id.clone()));
    }
    let doc = activity_form::Values::from_form(&fields).to_doc(base);
    let record = doc.clone().into_domain();
    let by_field = match &record {
        Ok(_) => Default::default(),
        Err(problems) => [Lang::Es, Lang::En]
            .map(|lang| activity_form::Errors::from_problems(&problems.0, lang).by_path.into_iter().collect()),
    };
    CheckedForm { doc, record, by_field }
}

/// The activity form's values for a stored document, posted back unchanged.
pub fn activity_form_unchanged(stored: &ActivityDoc) -> ActivityDoc {
    activity_form::Values::from_doc(stored).to_doc(Some(stored.clone()))
}

/// `POST /organisations/new`.
pub fn organisation_form(fields: &[(String, String)]) -> CheckedForm<OrganisationDoc, Organisation> {
    let doc = organisations::Values::from_form(fields).to_doc();
    let record = doc.clone().into_domain();
    CheckedForm { doc, record, by_field: Default::default() }
}

/// The organisation form's values for a stored document, posted back unchanged.
pub fn organisation_form_unchanged(stored: &OrganisationDoc) -> OrganisationDoc {
    organisations::Values::from_doc(stored).to_doc()
}
