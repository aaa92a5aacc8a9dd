//! The dashboard: the registry's figures for the selection in the URL — thematic areas,
//! partner regions with their concentration, given and received, modalities, years, and the
//! maps of partner countries and Mexican states — each with its data table and downloads.
//! Every figure is the report engine's, rules included (whole counts, partner geography,
//! concentration over the rows with a value): the page only draws and words them.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use coopera_domain::Lang;
use coopera_domain::code::{CountryCode, MxStateCode, ThematicAreaCode};
use coopera_domain::codelists::{ACTIVITY_STATUS, UNSDG_GOALS};
use coopera_domain::kinds::{CooperationType, Direction, Instrument, Level, Modality};
use coopera_report::partner::MULTILATERAL;
use coopera_report::{Currency, Dimension, Measure, Report, Row};
use rust_decimal::Decimal;

use super::reports::make;
use super::states_compare::StatesMap;
use super::{BarExtras, filter_bar};
use crate::charts::{self, Bar, Chart, Fill, Layout};
use crate::error::WebError;
use crate::locale::{self, Ctx};
use crate::maps::{self, Choropleth};
use crate::selection::{MeasureChoice, Params, Selection, with_query};
use crate::state::{AppState, Encoding, Views};
use crate::views::{Card, Cell, ChartBlock, Chrome, DashboardPage, TableView, html};

/// How a panel draws its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Drawing {
    Bars(Layout),
    WorldMap,
    MexicoMap,
}

/// The dashboard's panels: (id, dimension of the report, drawing).
pub(crate) const PANELS: [(&str, Dimension, Drawing); 7] = [
    ("themes", Dimension::ThematicArea, Drawing::Bars(Layout::Rows)),
    ("regions", Dimension::PartnerRegion, Drawing::Bars(Layout::Rows)),
    ("directions", Dimension::Direction, Drawing::Bars(Layout::Rows)),
    ("modalities", Dimension::Modality, Drawing::Bars(Layout::Rows)),
    ("years", Dimension::Year, Drawing::Bars(Layout::Columns)),
    ("partner-countries", Dimension::PartnerCountry, Drawing::WorldMap),
    ("states", Dimension::MxState, Drawing::MexicoMap),
];

/// Bars shown before the rest are added up as "others" (the table has every row).
const MAX_BARS: usize = 12;

/// The dashboard's own parameter beside the selection: what the map of the states' action
/// abroad is shaded by.
#[derive(Debug, Default, serde::Deserialize)]
pub(crate) struct MapParams {
    states_by: Option<String>,
}

pub(crate) async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(params): Query<Params>,
    Query(map): Query<MapParams>,
) -> Result<Response, WebError> {
    let sel = Selection::parse(&params, &ctx.viewer)?;
    let choice = MeasureChoice::parse(&params)?;
    let states_by = super::states_compare::map_measure(map.states_by.as_deref())?;
    let st = state.clone();
    let encoding = Encoding::accepted(&headers);
    // The page of an address depends on the language and the data only: a browser that has
    // this version is told so without a body.
    let tag = format!("W/\"{}-{}-{}\"", state.views().version, ctx.lang.code(), ctx.viewer.tag());
    if not_modified(&headers, &tag) {
        return Ok(etagged(StatusCode::NOT_MODIFIED.into_response(), &tag));
    }
    state
        .read(move |store, views| {
            // Pages differ by who asks: what they may see, and the name in the header.
            let key = format!("dashboard {} {} {}", ctx.lang.code(), ctx.viewer.tag(), ctx.uri);
            let page = views.page(&key, || {
                let mut page = build(&st, &ctx, views, &sel, choice)?;
                page.states_map = super::states_compare::states_map(store, views, &ctx, states_by)?;
                Ok(html(&page)?.0)
            })?;
            let tag = format!("W/\"{}-{}-{}\"", views.version, ctx.lang.code(), ctx.viewer.tag());
            Ok(etagged(page.response(encoding), &tag))
        })
        .await
}

/// Whether the request's `If-None-Match` names `tag`.
fn not_modified(headers: &HeaderMap, tag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"))
}

/// `response` with its `ETag`, to be checked again before reuse (`no-cache`).
fn etagged(mut response: Response, tag: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(tag) {
        response.headers_mut().insert(header::ETAG, v);
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    response
}

/// The query of a panel's report.
pub(crate) fn query(dimension: Dimension, sel: &Selection, choice: MeasureChoice) -> coopera_report::Query {
    coopera_report::Query {
        dimension,
        measure: choice.measure,
        currency: choice.currency,
        filters: sel.filters(),
        top: 1,
    }
}

/// How a value of `report` reads.
pub(crate) fn value_text(report: &Report, value: Decimal, lang: Lang) -> String {
    match report.currency {
        Some(c) if report.measure.is_money() => locale::money_whole(value, c.code(), lang),
        _ => locale::count(value),
    }
}

/// How a value of `report` reads on a bar or in a legend: short for money and for counts of
/// five digits or more (`19.1 M`, `12.3 k`), whole otherwise; the chart's title names the currency.
pub(crate) fn short_text(report: &Report, value: Decimal, lang: Lang) -> String {
    if report.measure.is_money() || value.abs() >= Decimal::from(10_000) {
        locale::short(value, lang)
    } else {
        locale::count(value)
    }
}

/// "Número de actividades por área temática"
pub(crate) fn title(dimension: Dimension, measure: Measure, currency: Currency, lang: Lang) -> String {
    let by = dimension.label_in_sentence(lang);
    let what = if measure.is_money() {
        format!("{} ({})", measure.label(lang), currency.code())
    } else {
        measure.label(lang).to_owned()
    };
    match lang {
        Lang::Es => format!("{what} por {by}"),
        Lang::En => format!("{what} by {by}"),
    }
}

/// The activity list narrowed to one row of a report, where the list can filter by it.
pub(crate) fn drill_down(sel: &Selection, dimension: Dimension, key: &str) -> Option<String> {
    let mut s = sel.clone();
    match dimension {
        Dimension::ThematicArea => s.sector_group = Some(ThematicAreaCode::parse(key).ok()?),
        Dimension::Year => s.year = Some(key.parse().ok()?),
        Dimension::Modality => s.modality = Some(Modality::parse(key).ok()?),
        Dimension::Direction => s.direction = Some(Direction::parse(key).ok()?),
        Dimension::RecipientCountry => s.country = Some(CountryCode::parse(key).ok()?),
        Dimension::PartnerCountry => s.partner_country = Some(CountryCode::parse(key).ok()?),
        Dimension::MxState => s.state = Some(MxStateCode::parse(key).ok()?),
        Dimension::PartnerRegion => {
            s.partner_region = coopera_report::geo::GROUPINGS.iter().find(|g| g.key == key).map(|g| g.key)
        }
        Dimension::Scheme => s.scheme = coopera_report::SCHEMES.iter().find(|x| x.0 == key).map(|x| x.0),
        Dimension::Partner => s.partner = Some(key.to_owned()),
        Dimension::ActorLevel => s.level = Some(Level::parse(key).ok()?),
        Dimension::SdgGoal => s.sdg = Some(UNSDG_GOALS.get(key)?.code),
        Dimension::Instrument => s.instrument = Some(Instrument::parse(key).ok()?),
        Dimension::CooperationType => s.cooperation_type = Some(CooperationType::parse(key).ok()?),
        Dimension::Status => s.status = Some(ACTIVITY_STATUS.get(key)?.code),
        _ => return None,
    }
    if key == coopera_report::NOT_SPECIFIED || key == coopera_report::UNCLASSIFIED {
        return None;
    }
    Some(with_query("/activities", &s.pairs()))
}

/// The level of a Herfindahl–Hirschman index, by the thresholds of the US merger guidelines
/// (below 1,500 unconcentrated, up to 2,500 moderate, above that high).
pub(crate) fn hhi_level(hhi: Decimal, lang: Lang) -> &'static str {
    if hhi < Decimal::from(1500) {
        lang.pick("concentración baja", "low concentration")
    } else if hhi <= Decimal::from(2500) {
        lang.pick("concentración moderada", "moderate concentration")
    } else {
        lang.pick("concentración alta", "high concentration")
    }
}

/// "Centroamérica concentra 70.2 % · IHH 5,324 (concentración alta), como parte de la suma de
/// las filas con un valor": the engine's concentration, which leaves out "not specified".
pub(crate) fn concentration_note(report: &Report, lang: Lang) -> Option<String> {
    let top = report.rows.iter().find(|r| r.is_assigned())?;
    let c = report.concentration;
    let share = locale::percent(c.top_share, lang);
    let hhi = locale::number(c.hhi, 0);
    let level = hhi_level(c.hhi, lang);
    Some(match lang {
        Lang::Es => format!(
            "{} concentra {share} · IHH {hhi} ({level}), como parte de la suma de las filas con un valor",
            top.label(lang)
        ),
        Lang::En => format!(
            "{} holds {share} · HHI {hhi} ({level}), as a part of the sum of the rows with a value",
            top.label(lang)
        ),
    })
}

/// Whether a row of `dimension` is a shape of the map that draws it: a country of the world
/// map, a state of Mexico's. Other rows (a region, international organisations, "not
/// specified") are said in the map's note instead.
fn on_the_map(dimension: Dimension, row: &Row) -> bool {
    match dimension {
        Dimension::MxState => MxStateCode::parse(&row.key).is_ok_and(|s| s.as_str() == row.key),
        _ => row.key.len() == 2 && CountryCode::parse(&row.key).is_ok(),
    }
}

/// What a map cannot draw, in a sentence: "Organismos multilaterales (sin país): 24".
fn off_the_map(report: &Report, lang: Lang) -> Option<String> {
    let mut parts = Vec::new();
    for r in report.rows.iter().filter(|r| !on_the_map(report.dimension, r)) {
        let n = value_text(report, r.value, lang);
        let label = match (r.key.as_str(), report.dimension) {
            (MULTILATERAL, _) => {
                lang.pick("Organismos multilaterales (sin país)", "Multilateral organisations (no country)")
            }
            (coopera_report::NOT_SPECIFIED, Dimension::MxState) => lang.pick(
                "Sin entidad federativa (cooperación federal o en el exterior)",
                "Without a Mexican state (federal, or abroad)",
            ),
            (coopera_report::NOT_SPECIFIED, _) => lang.pick("Sin socio conocido", "No known partner"),
            _ => r.label(lang),
        };
        parts.push(format!("{label}: {n}"));
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// The data table of a report: row, value, share, and the total.
pub(crate) fn table(report: &Report, sel: &Selection, lang: Lang) -> TableView {
    let value_head = match report.currency {
        Some(c) => format!("{} ({})", report.measure.label(lang), c.code()),
        None => report.measure.label(lang).to_owned(),
    };
    let mut t = TableView::new(&[
        (report.dimension.label(lang), false),
        (&value_head, true),
        (lang.pick("Participación", "Share"), true),
    ]);
    let mut rows: Vec<&coopera_report::Row> = report.rows.iter().collect();
    if report.dimension == Dimension::Year {
        rows.sort_by(|a, b| a.key.cmp(&b.key));
    }
    for r in rows {
        let label = match drill_down(sel, report.dimension, &r.key) {
            Some(href) => Cell::link(r.label(lang), href),
            None => Cell::text(r.label(lang)),
        };
        t.rows.push(vec![
            label,
            Cell::num(value_text(report, r.value, lang)),
            Cell::num(locale::percent(r.share, lang)),
        ]);
    }
    t.caption = report.overlap_note(lang).map(str::to_owned);
    t.footer = Some(vec![
        Cell::text(lang.pick("Total", "Total")),
        Cell::num(value_text(report, report.total, lang)),
        Cell::num(locale::percent(if report.rows.is_empty() { Decimal::ZERO } else { Decimal::ONE_HUNDRED }, lang)),
    ]);
    t
}

fn bars(report: &Report, sel: &Selection, lang: Lang) -> Vec<Bar> {
    let fill = |key: &str| match (report.dimension, key) {
        (Dimension::Direction, "received") => Fill::Hatched,
        (Dimension::Direction, "both") => Fill::Dotted,
        _ => Fill::Solid,
    };
    let bar = |r: &coopera_report::Row| Bar {
        label: r.label(lang).to_owned(),
        value: r.value,
        text: value_text(report, r.value, lang),
        short: short_text(report, r.value, lang),
        href: drill_down(sel, report.dimension, &r.key),
        fill: fill(&r.key),
    };
    if report.dimension == Dimension::Year {
        let mut rows: Vec<&coopera_report::Row> = report.rows.iter().filter(|r| r.key != "none").collect();
        rows.sort_by(|a, b| a.key.cmp(&b.key));
        return rows.into_iter().map(bar).collect();
    }
    let mut out: Vec<Bar> = report.rows.iter().take(MAX_BARS).map(bar).collect();
    if report.rows.len() > MAX_BARS {
        let rest = coopera_report::sum(report.rows[MAX_BARS..].iter().map(|r| r.value));
        let n = report.rows.len().saturating_sub(MAX_BARS);
        out.push(Bar {
            label: match lang {
                Lang::Es => format!("Otras ({n})"),
                Lang::En => format!("Others ({n})"),
            },
            value: rest,
            text: value_text(report, rest, lang),
            short: short_text(report, rest, lang),
            href: None,
            fill: Fill::Rest,
        });
    }
    out
}

/// Everything the dashboard shows, from the current views.
fn build(
    state: &AppState,
    ctx: &Ctx,
    views: &Views,
    sel: &Selection,
    choice: MeasureChoice,
) -> Result<DashboardPage, WebError> {
    let lang = ctx.lang;
    sel.check(&views.registry)?;
    let mut pairs = sel.pairs();
    pairs.extend(choice.pairs());
    // The list shows the amount the figures show (its default when they count).
    let mut list = sel.pairs();
    if choice.measure.is_money() {
        list.push(choice.show_pair());
    }
    let mut blocks = Vec::new();
    let mut regional = None;
    for (id, dimension, drawing) in PANELS {
        let report = make(views, dimension, sel, choice, 1)?;
        let title = title(dimension, choice.measure, choice.currency, lang);
        let empty = lang.pick("Sin datos para esta selección", "No data for this selection");
        let (svg, wide) = match drawing {
            Drawing::Bars(layout) => {
                let bars = bars(&report, sel, lang);
                // Years take a row of their own, so that the pairs of charts above fill theirs.
                (charts::render(&Chart { id, title: &title, bars: &bars, layout, empty }), layout == Layout::Columns)
            }
            Drawing::WorldMap | Drawing::MexicoMap => {
                let values: HashMap<String, Decimal> =
                    report.rows.iter().filter(|r| on_the_map(dimension, r)).map(|r| (r.key.clone(), r.value)).collect();
                let geometry = if drawing == Drawing::WorldMap { maps::world() } else { maps::mexico() };
                let format = |v: Decimal| value_text(&report, v, lang);
                let short = |v: Decimal| short_text(&report, v, lang);
                let href = |key: &str| drill_down(sel, dimension, key).unwrap_or_else(|| "/activities".to_owned());
                let map = Choropleth {
                    id,
                    title: &title,
                    values: &values,
                    format: &format,
                    short: &short,
                    href: &href,
                    no_data: lang.pick("sin datos", "no data"),
                    legend: lang.pick("Leyenda", "Legend"),
                };
                (maps::render(geometry, &map), true)
            }
        };
        let table = table(&report, sel, lang);
        let mut notes: Vec<String> = Vec::new();
        if matches!(dimension, Dimension::PartnerRegion | Dimension::ThematicArea | Dimension::MxState)
            && let Some(n) = concentration_note(&report, lang)
        {
            notes.push(n);
        }
        if dimension == Dimension::PartnerCountry {
            notes.push(
                lang.pick(
                    "Países socios: adonde fue la cooperación otorgada y de donde vino la recibida; México nunca es su propio socio",
                    "Partner countries: where cooperation given went and where cooperation received came from; Mexico is never its own partner",
                )
                .to_owned(),
            );
        }
        if matches!(drawing, Drawing::WorldMap | Drawing::MexicoMap)
            && let Some(n) = off_the_map(&report, lang)
        {
            notes.push(n);
        }
        if dimension == Dimension::PartnerRegion
            && let Some(top) = report.rows.iter().find(|r| r.is_assigned())
        {
            regional = Some((top.label(lang).to_owned(), report.concentration));
        }
        if !report.not_converted.is_empty() {
            let left: Vec<String> =
                report.not_converted.iter().map(|(c, a)| locale::money(*a, c.as_str(), lang)).collect();
            notes.push(match lang {
                Lang::Es => format!("Sin convertir (falta tipo de cambio): {}", left.join(", ")),
                Lang::En => format!("Not converted (no exchange rate): {}", left.join(", ")),
            });
        }
        let name = dimension.report_name();
        blocks.push(ChartBlock {
            id,
            title,
            svg,
            note: (!notes.is_empty()).then(|| sentences(&notes)),
            table,
            csv: with_query(&format!("/reports/{name}.csv"), &pairs),
            xlsx: with_query(&format!("/reports/{name}.xlsx"), &pairs),
            json: with_query(&format!("/api/v1/reports/{name}"), &pairs),
            wide,
        });
    }
    let mut cards = cards(views, sel, choice, lang)?;
    if let Some((top, c)) = regional {
        cards.push(Card {
            label: lang.pick("Concentración regional", "Regional concentration").to_owned(),
            value: locale::percent(c.top_share, lang),
            note: Some(format!(
                "{top} · {} {} ({})",
                lang.pick("IHH", "HHI"),
                locale::number(c.hhi, 0),
                hhi_level(c.hhi, lang)
            )),
        });
    }
    let activities = views.report(&query(Dimension::Direction, sel, MeasureChoice::default()))?.activities;
    let lead = lead(activities, choice, lang);
    let mut chrome = Chrome::new(ctx, state, lang.pick("Panel", "Dashboard"), "dashboard");
    chrome.title = lang.pick("Panel de la cooperación", "Cooperation dashboard").to_owned();
    Ok(DashboardPage {
        c: chrome,
        f: filter_bar(lang, views, sel, "/", BarExtras::Dashboard(choice)),
        lead,
        cards,
        list_url: with_query("/activities", &list),
        xlsx_all: with_query("/reports/dashboard.xlsx", &pairs),
        blocks,
        states_map: StatesMap::default(),
        hidden: pairs,
    })
}

/// The key figures: activities (whole, by direction, so that they add up) and the value of the
/// measure shown — the total of every chart of money below — or, when counting, the total
/// value.
fn cards(views: &Views, sel: &Selection, choice: MeasureChoice, lang: Lang) -> Result<Vec<Card>, WebError> {
    let counted = views.report(&query(Dimension::Direction, sel, MeasureChoice::default()))?;
    let count = |key: &str| counted.rows.iter().find(|r| r.key == key).map(|r| r.value).unwrap_or_default();
    let without = count(coopera_report::NOT_SPECIFIED);
    let valued_choice = if choice.measure.is_money() {
        choice
    } else {
        MeasureChoice { measure: Measure::Total, currency: choice.currency }
    };
    let valued = views.report(&query(Dimension::Direction, sel, valued_choice))?;
    let currency = valued_choice.currency.code();
    Ok(vec![
        Card {
            label: lang.pick("Actividades", "Activities").to_owned(),
            value: locale::number(Decimal::from(counted.activities), 0),
            note: (without > Decimal::ZERO).then(|| match lang {
                Lang::Es => format!("{} sin dirección", locale::count(without)),
                Lang::En => format!("{} without a direction", locale::count(without)),
            }),
        },
        Card { label: lang.pick("Otorgadas", "Given").to_owned(), value: locale::count(count("given")), note: None },
        Card {
            label: lang.pick("Recibidas", "Received").to_owned(),
            value: locale::count(count("received")),
            note: (count("both") > Decimal::ZERO).then(|| match lang {
                Lang::Es if count("both") == Decimal::ONE => "y 1 bidireccional".to_owned(),
                Lang::Es => format!("y {} bidireccionales", locale::count(count("both"))),
                Lang::En => format!("and {} both ways", locale::count(count("both"))),
            }),
        },
        Card {
            label: format!("{} ({currency})", valued_choice.measure.label(lang)),
            value: locale::money_whole(valued.total, currency, lang),
            note: valued.split.map(|s| match lang {
                Lang::Es => format!(
                    "dinero {} · en especie {}",
                    locale::money_whole(s.money, currency, lang),
                    locale::money_whole(s.in_kind, currency, lang)
                ),
                Lang::En => format!(
                    "money {} · in kind {}",
                    locale::money_whole(s.money, currency, lang),
                    locale::money_whole(s.in_kind, currency, lang)
                ),
            }),
        },
    ])
}

/// Notes as one paragraph: each a sentence ending in one full stop, never two.
pub(crate) fn sentences(notes: &[String]) -> String {
    let ended: Vec<String> = notes
        .iter()
        .map(|n| n.trim().trim_end_matches('.').to_owned())
        .filter(|n| !n.is_empty())
        .map(|n| format!("{n}."))
        .collect();
    ended.join(" ")
}

/// The sentence under the title: how many activities, what the charts show and how they count.
fn lead(activities: u64, choice: MeasureChoice, lang: Lang) -> String {
    let n = locale::number(Decimal::from(activities), 0);
    let shown = title(Dimension::ThematicArea, choice.measure, choice.currency, lang);
    let measure = shown.split(lang.pick(" por ", " by ")).next().unwrap_or("").to_owned();
    let how = match (choice.measure, lang) {
        (Measure::Count, Lang::Es) => {
            "Cada actividad cuenta entera en cada grupo que toca: los grupos se superponen y las participaciones pueden sumar más de 100 %."
        }
        (Measure::Count, Lang::En) => {
            "Each activity counts whole in every group it touches: groups overlap, and shares may add up to more than 100%."
        }
        (_, Lang::Es) => {
            "Las cifras reparten cada actividad entre sus sectores y lugares según sus porcentajes, sin contarla dos veces."
        }
        (_, Lang::En) => {
            "Figures split each activity over its sectors and places by their percentages, never counting it twice."
        }
    };
    let place = lang.pick(
        "Las regiones y los países son los de los socios: adonde fue la cooperación otorgada y de donde vino la recibida.",
        "Regions and countries are the partners': where cooperation given went and where cooperation received came from.",
    );
    let activities = match (lang, activities) {
        (Lang::Es, 1) => "actividad",
        (Lang::Es, _) => "actividades",
        (Lang::En, 1) => "activity",
        (Lang::En, _) => "activities",
    };
    match lang {
        Lang::Es => format!("{n} {activities} en la selección; las gráficas muestran: {measure}. {how} {place}"),
        Lang::En => format!("{n} {activities} in the selection; the charts show: {measure}. {how} {place}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_inside_a_sentence_keep_proper_adjectives_and_acronyms() {
        assert_eq!(Dimension::ThematicArea.label_in_sentence(Lang::Es), "área temática");
        assert_eq!(Dimension::MxState.label_in_sentence(Lang::En), "Mexican state");
        assert_eq!(Dimension::DacRegion.label_in_sentence(Lang::En), "DAC region of the recipient");
        assert_eq!(Dimension::PartnerCountry.label_in_sentence(Lang::En), "partner country");
        assert_eq!(Dimension::RecipientCountry.label_in_sentence(Lang::Es), "país receptor (IATI)");
        assert_eq!(
            title(Dimension::MxState, Measure::Total, Currency::Mxn, Lang::En),
            "Total value (MXN) by Mexican state"
        );
    }

    #[test]
    fn notes_end_in_one_full_stop() {
        let notes = ["Chiapas concentra 16.3 %".to_owned(), "Sin convertir: 1.00 EUR.".to_owned(), " ".to_owned()];
        assert_eq!(sentences(&notes), "Chiapas concentra 16.3 %. Sin convertir: 1.00 EUR.");
    }

    #[test]
    fn the_lead_counts_in_the_singular_and_the_plural() {
        let choice = MeasureChoice::default();
        assert!(lead(1, choice, Lang::Es).starts_with("1 actividad en la selección;"));
        assert!(lead(1, choice, Lang::En).starts_with("1 activity in the selection;"));
        assert!(lead(0, choice, Lang::Es).starts_with("0 actividades en"));
        assert!(lead(1200, choice, Lang::En).starts_with("1,200 activities in"));
    }

    #[test]
    fn concentration_levels() {
        assert_eq!(hhi_level(Decimal::from(1499), Lang::Es), "concentración baja");
        assert_eq!(hhi_level(Decimal::from(2500), Lang::En), "moderate concentration");
        assert_eq!(hhi_level(Decimal::from(5423), Lang::En), "high concentration");
    }
}
