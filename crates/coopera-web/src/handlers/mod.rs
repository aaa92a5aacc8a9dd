//! The handlers, one module per resource; each serves its pages and its part of the API.

use coopera_domain::Lang;
use coopera_domain::codelists::{ACTIVITY_STATUS, MX_STATE, THEMATIC_AREA, UNSDG_GOALS};
use coopera_domain::kinds::{Border, CooperationType, CrossBorderDimension, Direction, Instrument, Level, Modality};
use coopera_report::{Dimension, Measure};

use crate::registry::Sort;
use crate::selection::{MeasureChoice, Selection, encode, with_query};
use crate::state::Views;
use crate::views::{FilterBar, FilterSelect, Opt};

pub(crate) mod account;
pub(crate) mod activities;
pub(crate) mod activity_form;
pub(crate) mod api;
pub(crate) mod catalog;
pub(crate) mod catalog_form;
pub(crate) mod catalog_import;
pub(crate) mod codelists;
pub(crate) mod crossborder;
pub(crate) mod dashboard;
pub(crate) mod demands;
pub(crate) mod health;
pub(crate) mod organisations;
pub(crate) mod practices;
pub(crate) mod record_workflow;
pub(crate) mod reports;
pub(crate) mod search;
pub(crate) mod states;
pub(crate) mod states_compare;
pub(crate) mod states_figures;
pub(crate) mod subnational_form;
pub(crate) mod subnational_pages;
pub(crate) mod writes;

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
    /// The activity list: search, order and the amount shown beside each activity.
    List { sort: Sort, value: MeasureChoice },
}

fn any(lang: Lang, es: &str, en: &str) -> Opt {
    Opt::new("", lang.pick(es, en), false)
}

/// A select: "any" first, then `options` as (value, label), the selected one marked. A
/// selected value that is not among the options is added, so a form never drops it.
fn select(
    name: &'static str,
    label: &str,
    all: Opt,
    options: impl IntoIterator<Item = (String, String)>,
    selected: Option<&str>,
) -> FilterSelect {
    let mut list = vec![all];
    list.extend(options.into_iter().map(|(v, l)| {
        let on = selected == Some(v.as_str());
        Opt::new(v, l, on)
    }));
    if let Some(v) = selected
        && !list.iter().any(|o| o.selected)
    {
        list.push(Opt::new(v, v, true));
    }
    FilterSelect { name, label: label.to_owned(), options: list }
}

/// (key, label) of the rows of an unfiltered report, sorted by label: the values of a
/// dimension that the registry holds.
fn present(views: &Views, dimension: Dimension, lang: Lang) -> Vec<(String, String)> {
    let query = coopera_report::Query {
        dimension,
        measure: Measure::Count,
        currency: coopera_report::Currency::Usd,
        filters: coopera_report::Filters::default(),
        top: 1,
    };
    let Ok(report) = views.report(&query) else { return Vec::new() };
    let mut rows: Vec<(String, String)> =
        report.rows.iter().filter(|r| r.is_assigned()).map(|r| (r.key.clone(), r.label(lang).to_owned())).collect();
    rows.sort_by_cached_key(|r| crate::registry::fold(&r.1));
    rows
}

/// (code, label) of a codelist, sorted by label.
fn by_name(codes: &'static [coopera_domain::codelists::Code], lang: Lang) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = codes.iter().map(|c| (c.code.to_owned(), c.name(lang).to_owned())).collect();
    out.sort_by_cached_key(|o| crate::registry::fold(&o.1));
    out
}

/// The filter bar, the same on the dashboard and the list, so a view can be shared as its
/// URL. In view: year, direction, partner region, thematic area (the questions of the seed:
/// "what did Mexico give Central America in 2012, by theme"); folded under "more filters":
/// partner country, partner organisation, scheme, modality, level, state, SDG, instrument,
/// type and status. Partner regions, countries and organisations are those the registry
/// holds, so a list of 13,000 activities offers dozens of partners rather than every country
/// of the world. What the bar has no select for (IATI recipient country, organisation) is
/// carried in hidden fields, so resubmitting it keeps the whole selection.
pub(crate) fn filter_bar(
    lang: Lang,
    views: &Views,
    sel: &Selection,
    action: &'static str,
    extras: BarExtras,
) -> FilterBar {
    let mut selects = selects_in_view(lang, views, sel);
    let more = more_selects(lang, views, sel);
    let more_open = more.iter().any(|s| s.options.iter().any(|o| o.selected && !o.value.is_empty()));
    let mut hidden = Vec::new();
    if let Some(c) = sel.country {
        hidden.push(("country".to_owned(), c.as_str().to_owned()));
    }
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
            selects.push(show_select(lang, &measures, choice));
        }
        BarExtras::List { sort, value } => {
            search = true;
            q = sel.q.clone().unwrap_or_default();
            selects.extend(list_selects(lang, sort, value));
            if let Some(o) = &sel.org {
                hidden.push(("org".to_owned(), o.clone()));
            }
        }
    }
    if sel.mine {
        hidden.push(("view".to_owned(), "mine".to_owned()));
    }
    let view_switch = sel.signed_in.then(|| {
        let mut pairs: Vec<(&'static str, String)> = sel.pairs().into_iter().filter(|(k, _)| *k != "view").collect();
        if sel.mine {
            (lang.pick("Ver solo publicados", "Show published only").to_owned(), with_query(action, &pairs))
        } else {
            pairs.push(("view", "mine".to_owned()));
            (
                lang.pick("Ver todos los registros de mi alcance", "Show every record in my scope").to_owned(),
                with_query(action, &pairs),
            )
        }
    });
    FilterBar {
        action,
        search,
        q,
        selects,
        more,
        more_open,
        hidden,
        active: !sel.is_empty(),
        clear_url: with_query(action, &if sel.mine { vec![("view", "mine".to_owned())] } else { Vec::new() }),
        records_note: sel.records_note(lang),
        view_switch,
    }
}

/// The filters always in view: year, direction, partner region and thematic area.
fn selects_in_view(lang: Lang, views: &Views, sel: &Selection) -> Vec<FilterSelect> {
    let mut years = Vec::new();
    if let Some((from, to)) = views.registry.years() {
        let (from, to) = (from.max(to.saturating_sub(60)), to);
        years.extend((from..=to).rev().map(|y| (y.to_string(), y.to_string())));
    }
    let year = sel.year.map(|y| y.to_string());
    vec![
        select("year", lang.pick("Año", "Year"), any(lang, "Todos los años", "All years"), years, year.as_deref()),
        select(
            "direction",
            lang.pick("Dirección", "Direction"),
            any(lang, "Otorgada y recibida", "Given and received"),
            Direction::ALL.iter().map(|d| (d.code().to_owned(), d.label(lang).to_owned())),
            sel.direction.map(Direction::code),
        ),
        select(
            "partner_region",
            lang.pick("Región del socio", "Partner region"),
            any(lang, "Todas las regiones", "All regions"),
            present(views, Dimension::PartnerRegion, lang),
            sel.partner_region,
        ),
        select(
            "sector_group",
            lang.pick("Área temática", "Thematic area"),
            any(lang, "Todas las áreas", "All areas"),
            by_name(THEMATIC_AREA.codes, lang),
            sel.sector_group.as_ref().map(|g| g.as_str()),
        ),
    ]
}

/// The filters folded under "more filters": the partner, the scheme and modality, the actor's
/// level and Mexican state, and what the activity is (SDG, instrument, type, status).
fn more_selects(lang: Lang, views: &Views, sel: &Selection) -> Vec<FilterSelect> {
    let countries = present(views, Dimension::PartnerCountry, lang)
        .into_iter()
        .filter(|(k, _)| k.len() == 2 && k.chars().all(|c| c.is_ascii_uppercase()));
    vec![
        select(
            "partner_country",
            lang.pick("País socio", "Partner country"),
            any(lang, "Todos los países", "All countries"),
            countries,
            sel.partner_country.as_ref().map(|c| c.as_str()),
        ),
        select(
            "partner",
            lang.pick("Organización socia", "Partner organisation"),
            any(lang, "Todas las organizaciones", "All organisations"),
            present(views, Dimension::Partner, lang),
            sel.partner.as_deref(),
        ),
        select(
            "scheme",
            lang.pick("Esquema", "Scheme"),
            any(lang, "Todos los esquemas", "All schemes"),
            coopera_report::SCHEMES.iter().map(|(k, es, en)| ((*k).to_owned(), lang.pick(es, en).to_owned())),
            sel.scheme,
        ),
        select(
            "border",
            lang.pick("Frontera", "Border"),
            any(lang, "Todas las fronteras", "All borders"),
            Border::ALL.iter().map(|b| (b.code().to_owned(), b.label(lang).to_owned())),
            sel.border.map(Border::code),
        ),
        select(
            "agenda",
            lang.pick("Agenda transfronteriza", "Cross-border agenda"),
            any(lang, "Todas las dimensiones", "All dimensions"),
            CrossBorderDimension::ALL.iter().map(|d| (d.code().to_owned(), d.label(lang).to_owned())),
            sel.agenda.map(CrossBorderDimension::code),
        ),
        select(
            "modality",
            lang.pick("Modalidad", "Modality"),
            any(lang, "Todas las modalidades", "All modalities"),
            Modality::ALL.iter().map(|m| (m.code().to_owned(), m.label(lang).to_owned())),
            sel.modality.map(Modality::code),
        ),
        select(
            "level",
            lang.pick("Nivel del actor", "Actor level"),
            any(lang, "Todos los niveles", "All levels"),
            Level::ALL.iter().map(|l| (l.code().to_owned(), l.label(lang).to_owned())),
            sel.level.map(Level::code),
        ),
        select(
            "state",
            lang.pick("Entidad federativa", "Mexican state"),
            any(lang, "Todas las entidades", "All states"),
            MX_STATE.codes.iter().map(|c| (c.code.to_owned(), c.name(lang).to_owned())),
            sel.state.as_ref().map(|s| s.as_str()),
        ),
        select("sdg", lang.pick("ODS", "SDG"), any(lang, "Todos los ODS", "All SDGs"), sdg_options(lang), sel.sdg),
        select(
            "instrument",
            lang.pick("Instrumento", "Instrument"),
            any(lang, "Todos los instrumentos", "All instruments"),
            Instrument::ALL.iter().map(|m| (m.code().to_owned(), m.label(lang).to_owned())),
            sel.instrument.map(Instrument::code),
        ),
        select(
            "cooperation_type",
            lang.pick("Tipo de cooperación", "Type of cooperation"),
            any(lang, "Todos los tipos", "All types"),
            CooperationType::ALL.iter().map(|m| (m.code().to_owned(), m.label(lang).to_owned())),
            sel.cooperation_type.map(CooperationType::code),
        ),
        select(
            "status",
            lang.pick("Estado", "Status"),
            any(lang, "Todos los estados", "All statuses"),
            ACTIVITY_STATUS.codes.iter().map(|c| (c.code.to_owned(), c.name(lang).to_owned())),
            sel.status,
        ),
    ]
}

/// The SDGs, numbered.
fn sdg_options(lang: Lang) -> impl Iterator<Item = (String, String)> {
    UNSDG_GOALS.codes.iter().map(move |c| {
        let name = c.name(lang);
        // The English names say "Goal 2. …" already.
        let label = if name.starts_with("Goal") { name.to_owned() } else { format!("{} · {name}", c.code) };
        (c.code.to_owned(), label)
    })
}

/// The list's own selects: the amount shown beside each activity, and the order.
fn list_selects(lang: Lang, sort: Sort, value: MeasureChoice) -> [FilterSelect; 2] {
    let measures = [Measure::Total, Measure::Committed, Measure::Disbursed, Measure::InKind];
    let mut show = show_select(lang, &measures, value);
    show.label = lang.pick("Importe", "Amount").to_owned();
    let options = Sort::ALL.iter().map(|s| Opt::new(s.code(), s.label(lang), *s == sort)).collect();
    [show, FilterSelect { name: "sort", label: lang.pick("Orden", "Order").to_owned(), options }]
}

/// The select of what figures show: each measure, money in USD and MXN (`total:USD`…).
fn show_select(lang: Lang, measures: &[Measure], choice: MeasureChoice) -> FilterSelect {
    let mut options: Vec<Opt> = Vec::new();
    for &m in measures {
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
    FilterSelect { name: "show", label: lang.pick("Mostrar", "Show").to_owned(), options }
}
