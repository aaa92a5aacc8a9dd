//! The handlers, one module per resource; each serves its pages and its part of the API.

use coopera_domain::Lang;
use coopera_domain::codelists::{ACTIVITY_STATUS, MX_STATE, THEMATIC_AREA};
use coopera_domain::kinds::{Direction, Modality};
use coopera_report::Measure;

use crate::registry::Sort;
use crate::selection::{MeasureChoice, Selection, encode, with_query};
use crate::state::Views;
use crate::views::{FilterBar, FilterSelect, Opt};

pub(crate) mod activities;
pub(crate) mod activity_form;
pub(crate) mod api;
pub(crate) mod codelists;
pub(crate) mod dashboard;
pub(crate) mod health;
pub(crate) mod organisations;
pub(crate) mod reports;

/// The address of an activity's page (identifiers may hold `/` and other reserved signs).
pub(crate) fn activity_url(key: &str) -> String {
    format!("/activities/{}", encode(key))
}

pub(crate) fn org_url(key: &str) -> String {
    format!("/organisations/{}", encode(key))
}

/// The name of an IATI activity status, or the code as given.
pub(crate) fn status_name(code: &str, lang: Lang) -> String {
    ACTIVITY_STATUS.get(code).map(|c| c.name(lang).to_owned()).unwrap_or_else(|| code.to_owned())
}

pub(crate) fn area_name(code: &str, lang: Lang) -> String {
    THEMATIC_AREA.get(code).map(|c| c.name(lang).to_owned()).unwrap_or_else(|| code.to_owned())
}

pub(crate) fn state_name(code: &str) -> String {
    MX_STATE.get(code).map(|c| c.name_es.to_owned()).unwrap_or_else(|| code.to_owned())
}

/// What else a filter bar offers besides the common filters.
pub(crate) enum BarExtras {
    /// The dashboard: the measure shown.
    Dashboard(MeasureChoice),
    /// The activity list: search and order.
    List { sort: Sort },
}

fn any(lang: Lang, es: &str, en: &str) -> Opt {
    Opt::new("", lang.pick(es, en), false)
}

/// The filter bar: year, direction, modality, sector group, state — the same on the dashboard
/// and the list, so a view can be shared as its URL.
pub(crate) fn filter_bar(
    lang: Lang,
    views: &Views,
    sel: &Selection,
    action: &'static str,
    extras: BarExtras,
) -> FilterBar {
    let mut selects = Vec::new();
    let mut years = vec![any(lang, "Todos los años", "All years")];
    if let Some((from, to)) = views.registry.years() {
        let (from, to) = (from.max(to.saturating_sub(60)), to);
        years.extend((from..=to).rev().map(|y| Opt::new(y.to_string(), y.to_string(), sel.year == Some(y))));
    }
    if let Some(y) = sel.year
        && !years.iter().any(|o| o.selected)
    {
        years.push(Opt::new(y.to_string(), y.to_string(), true));
    }
    selects.push(FilterSelect { name: "year", label: lang.pick("Año", "Year").to_owned(), options: years });
    let mut directions = vec![any(lang, "Otorgada y recibida", "Given and received")];
    directions.extend(Direction::ALL.iter().map(|d| Opt::new(d.code(), d.label(lang), sel.direction == Some(*d))));
    selects.push(FilterSelect {
        name: "direction",
        label: lang.pick("Dirección", "Direction").to_owned(),
        options: directions,
    });
    let mut modalities = vec![any(lang, "Todas las modalidades", "All modalities")];
    modalities.extend(Modality::ALL.iter().map(|m| Opt::new(m.code(), m.label(lang), sel.modality == Some(*m))));
    selects.push(FilterSelect {
        name: "modality",
        label: lang.pick("Modalidad", "Modality").to_owned(),
        options: modalities,
    });
    let mut groups = vec![any(lang, "Todas las áreas", "All areas")];
    let mut areas: Vec<Opt> = THEMATIC_AREA
        .codes
        .iter()
        .map(|c| Opt::new(c.code, c.name(lang), sel.sector_group.is_some_and(|g| g.as_str() == c.code)))
        .collect();
    areas.sort_by_cached_key(|a| crate::registry::fold(&a.label));
    groups.extend(areas);
    selects.push(FilterSelect {
        name: "sector_group",
        label: lang.pick("Área temática", "Thematic area").to_owned(),
        options: groups,
    });
    let mut states = vec![any(lang, "Todas las entidades", "All states")];
    states.extend(
        MX_STATE.codes.iter().map(|c| Opt::new(c.code, c.name(lang), sel.state.is_some_and(|s| s.as_str() == c.code))),
    );
    selects.push(FilterSelect {
        name: "state",
        label: lang.pick("Entidad federativa", "Mexican state").to_owned(),
        options: states,
    });
    let mut hidden = Vec::new();
    let mut search = false;
    let mut q = String::new();
    match extras {
        BarExtras::Dashboard(choice) => {
            let measures = [
                Measure::Count,
                Measure::Weighted,
                Measure::Total,
                Measure::Committed,
                Measure::Disbursed,
                Measure::InKind,
            ];
            let mut options: Vec<Opt> = Vec::new();
            for m in measures {
                if !m.is_money() {
                    options.push(Opt::new(m.code(), m.label(lang), choice.measure == m));
                    continue;
                }
                for cur in [coopera_report::Currency::Usd, coopera_report::Currency::Mxn] {
                    let value = format!("{}:{}", m.code(), cur.code());
                    let selected = choice.measure == m && choice.currency == cur;
                    options.push(Opt::new(value, format!("{} ({})", m.label(lang), cur.code()), selected));
                }
            }
            selects.push(FilterSelect { name: "show", label: lang.pick("Mostrar", "Show").to_owned(), options });
        }
        BarExtras::List { sort } => {
            search = true;
            q = sel.q.clone().unwrap_or_default();
            let options = Sort::ALL.iter().map(|s| Opt::new(s.code(), s.label(lang), *s == sort)).collect();
            selects.push(FilterSelect { name: "sort", label: lang.pick("Orden", "Order").to_owned(), options });
            if let Some(o) = &sel.org {
                hidden.push(("org".to_owned(), o.clone()));
            }
            if let Some(c) = sel.country {
                hidden.push(("country".to_owned(), c.as_str().to_owned()));
            }
            if let Some(c) = sel.partner_country {
                hidden.push(("partner_country".to_owned(), c.as_str().to_owned()));
            }
        }
    }
    FilterBar { action, search, q, selects, hidden, active: !sel.is_empty(), clear_url: with_query(action, &[]) }
}
