//! The federal entities side by side: `/states/compare`, the 32 states — or the nine of
//! FIDESUR — ranked by one measure of their international action, highest first, with the
//! other measures beside it, and `/states/compare.csv`, the same table to download.
//!
//! The figures are `/states`'s, read the same way (`states.rs`): the engine's report by
//! Mexican state for the activities and their value, as this viewer may read them, and the
//! subnational records — public, like organisations — for the rest, judged today.

use std::cmp::Reverse;
use std::collections::HashMap;

use askama::Template;
use axum::extract::{Query, State};
use axum::response::{Html, Response};
use coopera_domain::Lang;
use coopera_domain::code::MxStateCode;
use coopera_domain::codelists::MX_STATE;
use coopera_report::Currency;
use rust_decimal::Decimal;
use serde::Deserialize;
use time::Date;

use super::states::{Subnational, activity_counts, by_state, on_day, state_url, today};
use crate::downloads::{self, csv_line};
use crate::error::WebError;
use crate::locale::{self, Ctx};
use crate::maps::{self, Choropleth};
use crate::selection::{MeasureChoice, one_of, with_query};
use crate::state::{AppState, Views};
use crate::views::{Chrome, Opt, html};

/// What the states are ranked by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Measure {
    /// Cooperation activities the state takes part in, as `/states` counts them.
    Activities,
    /// Money committed and in-kind value of those activities, in US dollars, each activity's
    /// split between its states: the dashboard's map of states with `show=total:USD`.
    Value,
    Actions,
    Agreements,
    Networks,
    Offices,
}

impl Measure {
    const ALL: [Measure; 6] = [
        Measure::Activities,
        Measure::Value,
        Measure::Actions,
        Measure::Agreements,
        Measure::Networks,
        Measure::Offices,
    ];

    fn code(self) -> &'static str {
        match self {
            Measure::Activities => "activities",
            Measure::Value => "value",
            Measure::Actions => "actions",
            Measure::Agreements => "agreements",
            Measure::Networks => "networks",
            Measure::Offices => "offices",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Measure::Activities => lang.pick("Actividades de cooperación", "Cooperation activities"),
            Measure::Value => lang.pick("Valor de la cooperación (USD)", "Value of cooperation (USD)"),
            Measure::Actions => lang.pick("Acciones en el exterior", "Actions abroad"),
            Measure::Agreements => lang.pick("Acuerdos vigentes", "Agreements in force"),
            Measure::Networks => lang.pick("Membresías de redes vigentes", "Current network memberships"),
            Measure::Offices => lang.pick("Oficinas en el exterior", "Offices abroad"),
        }
    }

    /// The CSV column: the code, with the currency of the value.
    fn column(self) -> &'static str {
        match self {
            Measure::Value => "value_usd",
            other => other.code(),
        }
    }

    /// A value as the page writes it.
    fn text(self, v: Decimal, lang: Lang) -> String {
        match self {
            Measure::Value => locale::money_whole(v, Currency::Usd.code(), lang),
            _ => locale::count(v),
        }
    }

    /// The chosen measure first, then the others in their order.
    fn columns(self) -> impl Iterator<Item = Measure> {
        std::iter::once(self).chain(Measure::ALL.into_iter().filter(move |m| *m != self))
    }
}

/// Which states take part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Group {
    All,
    /// The nine states of FIDESUR, the South-Southeast ([`coopera_domain::codelists::FIDESUR_STATES`]).
    Fidesur,
}

impl Group {
    const ALL: [Group; 2] = [Group::All, Group::Fidesur];

    fn code(self) -> &'static str {
        match self {
            Group::All => "all",
            Group::Fidesur => "fidesur",
        }
    }

    fn label(self, lang: Lang) -> &'static str {
        match self {
            Group::All => lang.pick("Las 32 entidades", "All 32 states"),
            Group::Fidesur => lang.pick("FIDESUR (Sur-Sureste, 9 entidades)", "FIDESUR (South-Southeast, 9 states)"),
        }
    }

    fn keeps(self, state: MxStateCode) -> bool {
        match self {
            Group::All => true,
            Group::Fidesur => state.in_fidesur(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Params {
    measure: Option<String>,
    group: Option<String>,
}

/// The comparison asked for: by what, among which states.
#[derive(Debug, Clone, Copy)]
struct Choice {
    measure: Measure,
    group: Group,
}

impl Choice {
    /// Absent or empty parameters are the defaults (activities, every state); any other value
    /// than the codes is refused, naming the parameter and the codes.
    fn parse(p: &Params) -> Result<Choice, WebError> {
        Ok(Choice {
            measure: pick("measure", p.measure.as_deref(), &Measure::ALL, Measure::code)?
                .unwrap_or(Measure::Activities),
            group: pick("group", p.group.as_deref(), &Group::ALL, Group::code)?.unwrap_or(Group::All),
        })
    }

    fn pairs(self) -> Vec<(&'static str, String)> {
        vec![("measure", self.measure.code().to_owned()), ("group", self.group.code().to_owned())]
    }
}

/// The value of `name` among `all`, by code.
fn pick<T: Copy>(
    name: &str,
    value: Option<&str>,
    all: &[T],
    code: fn(T) -> &'static str,
) -> Result<Option<T>, WebError> {
    let Some(v) = value.filter(|v| !v.is_empty()) else { return Ok(None) };
    let codes: Vec<&'static str> = all.iter().map(|t| code(*t)).collect();
    let chosen = one_of(name, v, &codes)?;
    Ok(all.iter().copied().find(|t| code(*t) == chosen))
}

/// Every measure of one state.
#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    activities: Decimal,
    value: Decimal,
    actions: usize,
    agreements: usize,
    networks: usize,
    offices: usize,
}

impl Figures {
    fn get(&self, m: Measure) -> Decimal {
        match m {
            Measure::Activities => self.activities,
            Measure::Value => self.value,
            Measure::Actions => Decimal::from(self.actions),
            Measure::Agreements => Decimal::from(self.agreements),
            Measure::Networks => Decimal::from(self.networks),
            Measure::Offices => Decimal::from(self.offices),
        }
    }
}

/// A state in its place.
#[derive(Debug)]
struct Ranked {
    /// Equal values share a rank, and the next value's rank counts them (1, 2, 2, 4).
    rank: usize,
    state: MxStateCode,
    name: &'static str,
    figures: Figures,
}

/// The states of the group with their figures, ranked by the measure, ties by name.
fn ranking(
    store: &coopera_store::Store,
    views: &Views,
    ctx: &Ctx,
    choice: Choice,
    on: Date,
) -> Result<Vec<Ranked>, WebError> {
    let counts = Subnational::load(store, &ctx.viewer)?.counts(on);
    let activities = activity_counts(views, ctx)?;
    let value =
        by_state(views, ctx, MeasureChoice { measure: coopera_report::Measure::Total, currency: Currency::Usd })?;
    let mut rows: Vec<Ranked> = Vec::new();
    for code in MX_STATE.codes {
        let Ok(state) = MxStateCode::parse(code.code) else { continue };
        if !choice.group.keeps(state) {
            continue;
        }
        let c = counts.get(&state).copied().unwrap_or_default();
        let figures = Figures {
            activities: activities.get(code.code).copied().unwrap_or_default(),
            // To the cent, as the CSV writes it: states of equal value share their rank.
            value: value.get(code.code).copied().unwrap_or_default().round_dp(2),
            actions: c.actions,
            agreements: c.agreements_in_force,
            networks: c.memberships_current,
            offices: c.offices,
        };
        rows.push(Ranked { rank: 0, state, name: code.name(ctx.lang), figures });
    }
    let measure = choice.measure;
    rows.sort_by_cached_key(|r| (Reverse(r.figures.get(measure)), crate::registry::fold(r.name)));
    let mut previous: Option<(Decimal, usize)> = None;
    for (i, r) in rows.iter_mut().enumerate() {
        let v = r.figures.get(measure);
        r.rank = match previous {
            Some((p, rank)) if p == v => rank,
            _ => i.saturating_add(1),
        };
        previous = Some((v, r.rank));
    }
    Ok(rows)
}

/// A row of the page's table.
#[derive(Debug)]
struct Row {
    rank: usize,
    name: &'static str,
    href: String,
    value: String,
    /// The bar's length, in hundredths of the highest value.
    bar: String,
    others: Vec<String>,
}

#[derive(Template)]
#[template(path = "states_compare.html")]
pub(crate) struct ComparePage {
    c: Chrome,
    measures: Vec<Opt>,
    groups: Vec<Opt>,
    csv: String,
    caption: String,
    note: String,
    /// The states of the group on the Mexico map, shaded by the measure.
    map: String,
    measure: &'static str,
    others: Vec<&'static str>,
    rows: Vec<Row>,
}

fn options<T: Copy + PartialEq>(
    all: &[T],
    chosen: T,
    code: fn(T) -> &'static str,
    label: impl Fn(T) -> &'static str,
) -> Vec<Opt> {
    all.iter().map(|t| Opt::new(code(*t), label(*t), *t == chosen)).collect()
}

/// A bar's length: `v` in hundredths of `highest`, one decimal, from 0 to 100.
fn bar(v: Decimal, highest: Decimal) -> String {
    let share = v.checked_mul(Decimal::ONE_HUNDRED).and_then(|x| x.checked_div(highest)).unwrap_or_default();
    share.clamp(Decimal::ZERO, Decimal::ONE_HUNDRED).round_dp(1).normalize().to_string()
}

fn page(ctx: &Ctx, state: &AppState, choice: Choice, ranked: &[Ranked], on: Date) -> ComparePage {
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let measure = choice.measure;
    let highest = ranked.iter().map(|r| r.figures.get(measure)).max().unwrap_or_default();
    let rows = ranked
        .iter()
        .map(|r| Row {
            rank: r.rank,
            name: r.name,
            href: state_url(r.state),
            value: measure.text(r.figures.get(measure), lang),
            bar: bar(r.figures.get(measure), highest),
            others: measure.columns().skip(1).map(|m| m.text(r.figures.get(m), lang)).collect(),
        })
        .collect();
    let caption =
        format!("{} — {}, {}", choice.group.label(lang), measure.label(lang), l("de mayor a menor", "highest first"));
    let note = format!(
        "{}. {}",
        on_day(
            l("Acuerdos y membresías según su situación al", "Agreements and memberships as they stand on"),
            on,
            lang
        ),
        l(
            "El valor de la cooperación es el dinero comprometido más el valor en especie de las actividades, en dólares a las tasas de su fecha, repartido entre las entidades de cada actividad; actividades y valor cuentan lo que usted puede consultar.",
            "The value of cooperation is the money committed plus the in-kind value of the activities, in US dollars at the rates of their dates, split between each activity's states; activities and value count what you may read.",
        ),
    );
    ComparePage {
        c: Chrome::new(ctx, state, l("Comparar entidades federativas", "Compare Mexican states"), "states"),
        map: mexico_map(ranked, choice, "compare-map", lang),
        measures: options(&Measure::ALL, measure, Measure::code, |m| m.label(lang)),
        groups: options(&Group::ALL, choice.group, Group::code, |g| g.label(lang)),
        csv: with_query("/states/compare.csv", &choice.pairs()),
        caption,
        note,
        measure: measure.label(lang),
        others: measure.columns().skip(1).map(|m| m.label(lang)).collect(),
        rows,
    }
}

/// The Mexico map of the states shaded by the measure, each state leading to its profile, and
/// a sentence on what the shades count.
fn mexico_map(ranked: &[Ranked], choice: Choice, id: &str, lang: Lang) -> String {
    let measure = choice.measure;
    let values: HashMap<String, Decimal> =
        ranked.iter().map(|r| (r.state.as_str().to_owned(), r.figures.get(measure))).collect();
    let format = |v: Decimal| measure.text(v, lang);
    let short = |v: Decimal| match measure {
        Measure::Value => locale::short(v, lang),
        _ => locale::count(v),
    };
    let href = |key: &str| MxStateCode::parse(key).map(state_url).unwrap_or_else(|_| "/states".to_owned());
    let title = format!("{} — {}", measure.label(lang), choice.group.label(lang));
    let map = Choropleth {
        id,
        title: &title,
        values: &values,
        format: &format,
        short: &short,
        href: &href,
        no_data: lang.pick("sin datos", "no data"),
        legend: measure.label(lang),
    };
    maps::render(maps::mexico(), &map)
}

/// The map the dashboard draws of the states' international action: the measure chosen
/// (`states_by`, by default actions abroad), every state, each leading to its profile.
#[derive(Debug, Default)]
pub(crate) struct StatesMap {
    pub title: String,
    pub svg: String,
    pub options: Vec<Opt>,
    pub note: String,
    pub compare: String,
    pub csv: String,
}

/// The measure of the dashboard's map of states, from `states_by`; absent or empty is
/// actions abroad, any other value than the codes is refused.
pub(crate) fn map_measure(states_by: Option<&str>) -> Result<&'static str, WebError> {
    Ok(pick("states_by", states_by, &Measure::ALL, Measure::code)?.unwrap_or(Measure::Actions).code())
}

pub(crate) fn states_map(
    store: &coopera_store::Store,
    views: &Views,
    ctx: &Ctx,
    measure: &str,
) -> Result<StatesMap, WebError> {
    let lang = ctx.lang;
    let measure = Measure::ALL.into_iter().find(|m| m.code() == measure).unwrap_or(Measure::Actions);
    let choice = Choice { measure, group: Group::All };
    let on = today();
    let ranked = ranking(store, views, ctx, choice, on)?;
    Ok(StatesMap {
        title: lang.pick("Las entidades federativas en el mundo", "Mexico's states on the world stage").to_owned(),
        svg: mexico_map(&ranked, choice, "states-abroad-map", lang),
        options: options(&Measure::ALL, measure, Measure::code, |m| m.label(lang)),
        note: format!(
            "{} {}",
            lang.pick(
                "Cada entidad lleva a su perfil; las cifras no dependen de los filtros de arriba.",
                "Each state leads to its profile; the figures do not depend on the filters above.",
            ),
            on_day(
                lang.pick("Acuerdos y membresías según su situación al", "Agreements and memberships as they stand on"),
                on,
                lang
            )
        ),
        compare: with_query("/states/compare", &choice.pairs()),
        csv: with_query("/states/compare.csv", &choice.pairs()),
    })
}

/// The table as CSV: rank, INEGI code, name, then the measures as the page orders them.
fn csv(ranked: &[Ranked], choice: Choice) -> String {
    let mut header = vec!["rank", "inegi_code", "state"];
    header.extend(choice.measure.columns().map(Measure::column));
    let mut out = csv_line(&header);
    for r in ranked {
        let mut fields = vec![r.rank.to_string(), r.state.as_str().to_owned(), r.name.to_owned()];
        // Plain decimals: counts whole, the value to the cent.
        fields.extend(choice.measure.columns().map(|m| r.figures.get(m).normalize().to_string()));
        out.push_str(&csv_line(&fields.iter().map(String::as_str).collect::<Vec<_>>()));
    }
    out
}

/// `GET /states/compare?measure=…&group=…`
pub(crate) async fn compare(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Html<String>, WebError> {
    let choice = Choice::parse(&params)?;
    let st = state.clone();
    state
        .read(move |store, views| {
            let on = today();
            let ranked = ranking(store, views, &ctx, choice, on)?;
            html(&page(&ctx, &st, choice, &ranked, on))
        })
        .await
}

/// `GET /states/compare.csv?measure=…&group=…`
pub(crate) async fn download_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Query(params): Query<Params>,
) -> Result<Response, WebError> {
    let choice = Choice::parse(&params)?;
    state
        .read(move |store, views| {
            let ranked = ranking(store, views, &ctx, choice, today())?;
            let name = format!("coopera-entidades-{}-{}.csv", choice.measure.code(), choice.group.code());
            Ok(downloads::attachment(csv(&ranked, choice), downloads::CSV, &name))
        })
        .await
}
