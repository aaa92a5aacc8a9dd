//! The dashboard: the registry's figures for the selection in the URL — thematic areas,
//! regions with their concentration, given and received, modalities, years, and the maps of
//! partner countries and Mexican states — each with its data table and downloads.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use coopera_domain::Lang;
use coopera_domain::code::{CountryCode, MxStateCode, ThematicAreaCode};
use coopera_domain::kinds::{Direction, Modality};
use coopera_report::{Currency, Dimension, Measure, Report};
use rust_decimal::Decimal;

use super::reports::{Source, make};
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

/// The dashboard's panels: (id, source of the figures, drawing).
pub(crate) const PANELS: [(&str, Source, Drawing); 7] = [
    ("themes", Source::Engine(Dimension::ThematicArea), Drawing::Bars(Layout::Rows)),
    ("regions", Source::Engine(Dimension::Region), Drawing::Bars(Layout::Rows)),
    ("directions", Source::Engine(Dimension::Direction), Drawing::Bars(Layout::Rows)),
    ("modalities", Source::Engine(Dimension::Modality), Drawing::Bars(Layout::Rows)),
    ("years", Source::Engine(Dimension::Year), Drawing::Bars(Layout::Columns)),
    ("partner-countries", Source::PartnerCountries, Drawing::WorldMap),
    ("states", Source::Engine(Dimension::MxState), Drawing::MexicoMap),
];

/// Bars shown before the rest are added up as "others" (the table has every row).
const MAX_BARS: usize = 12;

pub(crate) async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Result<Response, WebError> {
    let sel = Selection::parse(&params)?;
    let choice = MeasureChoice::parse(&params)?;
    let st = state.clone();
    let encoding = Encoding::accepted(&headers);
    // The page of an address depends on the language and the data only: a browser that has
    // this version is told so without a body.
    let tag = format!("W/\"{}-{}\"", state.views().version, ctx.lang.code());
    if not_modified(&headers, &tag) {
        return Ok(etagged(StatusCode::NOT_MODIFIED.into_response(), &tag));
    }
    state
        .compute(move |views| {
            let key = format!("dashboard {} {}", ctx.lang.code(), ctx.uri);
            let page = views.page(&key, || Ok(html(&build(&st, &ctx, views, &sel, choice)?)?.0))?;
            let tag = format!("W/\"{}-{}\"", views.version, ctx.lang.code());
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

/// A label inside a sentence: its first letter in lowercase, unless the first word is a
/// proper adjective or an acronym ("Mexican state", "DAC region", "Sustainable Development Goal").
fn in_sentence(label: &str) -> String {
    let first = label.split(' ').next().unwrap_or("");
    let keep = first.chars().all(|c| c.is_uppercase()) || matches!(first, "Mexican" | "Sustainable");
    let mut chars = label.chars();
    match chars.next() {
        Some(c) if !keep => c.to_lowercase().chain(chars).collect(),
        _ => label.to_owned(),
    }
}

/// A report without its row of activities that have no value for the dimension ("not
/// specified"): what a map can draw. Shares and concentration are those of the rows kept.
fn mapped_only(report: &Report) -> (Report, Decimal) {
    let left_out = coopera_report::sum(report.rows.iter().filter(|r| r.key == "none").map(|r| r.value));
    let rows: Vec<coopera_report::Row> = report.rows.iter().filter(|r| r.key != "none").cloned().collect();
    let total = coopera_report::sum(rows.iter().map(|r| r.value));
    let exact: Vec<Decimal> = rows.iter().map(|r| coopera_report::share(r.value, total)).collect();
    let rows = rows
        .into_iter()
        .zip(&exact)
        .map(|(mut r, s)| {
            r.share = s.round_dp(4).normalize();
            r
        })
        .collect();
    let shown = Report {
        rows,
        total: total.normalize(),
        concentration: coopera_report::concentration(&exact, report.concentration.k),
        ..report.clone()
    };
    (shown, left_out)
}

/// "Número de actividades por área temática"
pub(crate) fn title(dimension: Dimension, measure: Measure, currency: Currency, lang: Lang) -> String {
    let by = in_sentence(dimension.label(lang));
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
        Dimension::Country => s.country = Some(CountryCode::parse(key).ok()?),
        Dimension::MxState => s.state = Some(MxStateCode::parse(key).ok()?),
        _ => return None,
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

/// "Centroamérica concentra 71.0 % · IHH 5,423 (concentración alta)"
pub(crate) fn concentration_note(report: &Report, lang: Lang) -> Option<String> {
    let top = report.rows.first()?;
    let c = report.concentration;
    let share = locale::percent(c.top_share, lang);
    let hhi = locale::number(c.hhi, 0);
    let level = hhi_level(c.hhi, lang);
    Some(match lang {
        Lang::Es => format!("{} concentra {share} · IHH {hhi} ({level})", top.label(lang)),
        Lang::En => format!("{} holds {share} · HHI {hhi} ({level})", top.label(lang)),
    })
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
            href: None,
            fill: Fill::Dotted,
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
    let mut pairs = sel.pairs();
    pairs.extend(choice.pairs());
    let counted = views.report(&query(Dimension::Direction, sel, MeasureChoice::default()))?;
    let valued = views.report(&query(
        Dimension::Direction,
        sel,
        MeasureChoice { measure: Measure::Total, currency: choice.currency },
    ))?;
    let mut blocks = Vec::new();
    let mut regional = None;
    for (id, source, drawing) in PANELS {
        let full = make(views, source, sel, choice, 1)?;
        let (report, unplaced) = if drawing == Drawing::MexicoMap {
            let (shown, left_out) = mapped_only(&full);
            (std::sync::Arc::new(shown), left_out)
        } else {
            (full, Decimal::ZERO)
        };
        let dimension = report.dimension;
        let title = source.title(choice.measure, choice.currency, lang);
        let empty = lang.pick("Sin datos para esta selección", "No data for this selection");
        let (svg, wide) = match drawing {
            Drawing::Bars(layout) => {
                let bars = bars(&report, sel, lang);
                (charts::render(&Chart { id, title: &title, bars: &bars, layout, empty }), false)
            }
            Drawing::WorldMap | Drawing::MexicoMap => {
                let values: HashMap<String, Decimal> = report.rows.iter().map(|r| (r.key.clone(), r.value)).collect();
                let geometry = if drawing == Drawing::WorldMap { maps::world() } else { maps::mexico() };
                let format = |v: Decimal| value_text(&report, v, lang);
                let href = |key: &str| {
                    if source == Source::PartnerCountries {
                        let mut s = sel.clone();
                        s.partner_country = CountryCode::parse(key).ok();
                        return with_query("/activities", &s.pairs());
                    }
                    drill_down(sel, dimension, key).unwrap_or_else(|| "/activities".to_owned())
                };
                let map = Choropleth {
                    id,
                    title: &title,
                    values: &values,
                    format: &format,
                    href: &href,
                    no_data: lang.pick("sin datos", "no data"),
                    legend: lang.pick("Leyenda:", "Legend:"),
                };
                (maps::render(geometry, &map), true)
            }
        };
        let mut table = table(&report, sel, lang);
        if source == Source::PartnerCountries {
            for (row, r) in table.rows.iter_mut().zip(&report.rows) {
                let mut s = sel.clone();
                s.partner_country = CountryCode::parse(&r.key).ok();
                row[0].href = Some(with_query("/activities", &s.pairs()));
            }
        }
        let mut note = match dimension {
            Dimension::Region | Dimension::ThematicArea | Dimension::Country | Dimension::MxState => {
                concentration_note(&report, lang)
            }
            _ => None,
        };
        if unplaced > Decimal::ZERO {
            let n = value_text(&report, unplaced, lang);
            let text = match lang {
                Lang::Es => format!("Sin entidad federativa (cooperación federal o en el exterior): {n}"),
                Lang::En => format!("Without a Mexican state (federal, or abroad): {n}"),
            };
            note = Some(note.map_or(text.clone(), |n| format!("{n}. {text}")));
        }
        if source == Source::PartnerCountries {
            let text = lang.pick(
                "Países de las organizaciones socias (las que no son de México); los organismos internacionales no tienen país.",
                "Countries of the partner organisations (those not of Mexico); international organisations have no country.",
            );
            note = Some(note.map_or(text.to_owned(), |n| format!("{n}. {text}")));
        }
        if dimension == Dimension::Region
            && let Some(top) = report.rows.first()
        {
            regional = Some((top.label(lang).to_owned(), report.concentration));
        }
        if !report.not_converted.is_empty() {
            let left: Vec<String> =
                report.not_converted.iter().map(|(c, a)| locale::money(*a, c.as_str(), lang)).collect();
            let text = match lang {
                Lang::Es => format!("Sin convertir (falta tipo de cambio): {}", left.join(", ")),
                Lang::En => format!("Not converted (no exchange rate): {}", left.join(", ")),
            };
            note = Some(note.map_or(text.clone(), |n| format!("{n}. {text}")));
        }
        let name = source.name();
        blocks.push(ChartBlock {
            id,
            title,
            svg,
            note,
            table,
            csv: with_query(&format!("/reports/{name}.csv"), &pairs),
            xlsx: with_query(&format!("/reports/{name}.xlsx"), &pairs),
            json: with_query(&format!("/api/v1/reports/{name}"), &pairs),
            wide,
        });
    }
    let direction_count = |d: &str| counted.rows.iter().find(|r| r.key == d).map(|r| r.value).unwrap_or_default();
    let currency = choice.currency.code();
    let mut cards = vec![
        Card {
            label: lang.pick("Actividades", "Activities").to_owned(),
            value: locale::number(Decimal::from(counted.activities), 0),
            note: None,
        },
        Card {
            label: lang.pick("Otorgadas", "Given").to_owned(),
            value: locale::count(direction_count("given")),
            note: None,
        },
        Card {
            label: lang.pick("Recibidas", "Received").to_owned(),
            value: locale::count(direction_count("received")),
            note: (direction_count("both") > Decimal::ZERO).then(|| match lang {
                Lang::Es => format!("y {} bidireccionales", locale::count(direction_count("both"))),
                Lang::En => format!("and {} both ways", locale::count(direction_count("both"))),
            }),
        },
        Card {
            label: match lang {
                Lang::Es => format!("Valor total ({currency})"),
                Lang::En => format!("Total value ({currency})"),
            },
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
    ];
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
    let lead = {
        let shown = title(Dimension::ThematicArea, choice.measure, choice.currency, lang);
        let measure = shown.split(lang.pick(" por ", " by ")).next().unwrap_or("").to_owned();
        match lang {
            Lang::Es => format!(
                "{} actividades en la selección; las gráficas muestran: {measure}. Las cifras reparten cada actividad entre sus sectores y países según sus porcentajes, sin contarla dos veces.",
                locale::number(Decimal::from(counted.activities), 0)
            ),
            Lang::En => format!(
                "{} activities in the selection; the charts show: {measure}. Figures split each activity over its sectors and countries by their percentages, never counting it twice.",
                locale::number(Decimal::from(counted.activities), 0)
            ),
        }
    };
    let mut chrome = Chrome::new(ctx, state, lang.pick("Panel", "Dashboard"), "dashboard");
    chrome.title = lang.pick("Panel de la cooperación", "Cooperation dashboard").to_owned();
    Ok(DashboardPage {
        c: chrome,
        f: filter_bar(lang, views, sel, "/", BarExtras::Dashboard(choice)),
        lead,
        cards,
        list_url: with_query("/activities", &sel.pairs()),
        xlsx_all: with_query("/reports/dashboard.xlsx", &pairs),
        blocks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_inside_a_sentence_keep_proper_adjectives_and_acronyms() {
        assert_eq!(in_sentence("Área temática"), "área temática");
        assert_eq!(in_sentence("Mexican state"), "Mexican state");
        assert_eq!(in_sentence("DAC region"), "DAC region");
        assert_eq!(in_sentence("Country"), "country");
        assert_eq!(
            title(Dimension::MxState, Measure::Total, Currency::Mxn, Lang::En),
            "Total value (MXN) by Mexican state"
        );
    }

    #[test]
    fn concentration_levels() {
        assert_eq!(hhi_level(Decimal::from(1499), Lang::Es), "concentración baja");
        assert_eq!(hhi_level(Decimal::from(2500), Lang::En), "moderate concentration");
        assert_eq!(hhi_level(Decimal::from(5423), Lang::En), "high concentration");
    }
}
