//! One selection of activities, whichever door it comes through: the command line's
//! `activity list`, `export iati` and `report` options, the web's query string and the API's
//! parameters all become a [`Selection`] — the report engine's [`Filters`] (years and a value
//! of any dimension), an organisation, and words to search — and every list, figure and
//! download keeps the activities it keeps. A list asks the report engine which activities its
//! filters keep ([`crate::per_activity`]), so a chart and the list under it count the same
//! ones, and narrows them by organisation and words in the list index.

use coopera_domain::Lang;

use crate::list::{ActivityRow, Registry, Sort, words};
use crate::{Currency, Dimension, Filters, Measure, PerActivity, Query, ReportError, Snapshot};

/// Which activities: every part that is set must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// What the report engine filters by: years and dimension values.
    pub filters: Filters,
    /// An organisation that reports the activity or takes part in it, by key.
    pub org: Option<String>,
    /// The organisation that reports the activity, by key.
    pub reporting_org: Option<String>,
    /// Words to find in the identifier, the titles and the names of the organisations taking
    /// part, folded (case and accents ignored: `educacion` finds «Educación»); every one must
    /// appear.
    pub words: Vec<String>,
}

impl Selection {
    /// Sets the words to find from a text as a user types it.
    pub fn search(mut self, text: &str) -> Selection {
        self.words = words(text);
        self
    }

    /// The query of a list of this selection: which activities the report engine keeps, and
    /// what each adds in `measure` and `currency`.
    pub fn list_query(&self, measure: Measure, currency: Currency) -> Query {
        Query { dimension: Dimension::Direction, measure, currency, filters: self.filters.clone(), top: 1 }
    }

    /// Whether a list row is kept, given the report engine's `members` of
    /// [`Selection::list_query`].
    pub fn keep<'a>(&'a self, members: &'a PerActivity) -> impl Fn(&ActivityRow) -> bool + 'a {
        move |r: &ActivityRow| {
            r.position.is_some_and(|p| members.contains(p))
                && self.org.as_deref().is_none_or(|o| r.involves(o))
                && self.reporting_org.as_deref().is_none_or(|o| r.reporting_org == o)
                && r.matches_words(&self.words)
        }
    }

    /// The activities of `registry` this selection keeps, ordered by `sort`.
    pub fn list<'a>(
        &self,
        registry: &'a Registry,
        snapshot: &Snapshot,
        sort: Sort,
        lang: Lang,
    ) -> Result<Vec<&'a ActivityRow>, ReportError> {
        let members = crate::per_activity(snapshot, &self.list_query(Measure::Count, Currency::Usd))?;
        Ok(registry.find(self.keep(&members), sort, lang))
    }
}
