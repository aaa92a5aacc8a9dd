//! The cooperation of one federal entity in figures, for its profile (`/states/07`): given
//! and received, the trend by year, the thematic areas, the partner countries and who its
//! cooperation received came from (courses and technical assistance such as ILPES's with
//! CONEVAL, INDETEC's or FIDESUR's). Every table is the report engine's over the activities
//! the viewer may read narrowed to the state — the dashboard with `state=07` — each row leads
//! to the activities behind it, and each table downloads as CSV.

use coopera_domain::Lang;
use coopera_domain::code::MxStateCode;
use coopera_domain::kinds::{CooperationType, Direction};
use coopera_report::{Currency, Dimension, Measure};

use super::dashboard::{query, table};
use crate::error::WebError;
use crate::locale::{self, Ctx};
use crate::selection::{MeasureChoice, Selection, with_query};
use crate::state::Views;
use crate::views::{Section, TableView};

/// The figures of the profile, in their order: (dimension, caption in Spanish and English).
const FIGURES: [(Dimension, &str, &str); 4] = [
    (Dimension::Year, "Tendencia: actividades por año de inicio", "Trend: activities by starting year"),
    (Dimension::ThematicArea, "Por área temática", "By thematic area"),
    (Dimension::PartnerCountry, "Por país socio", "By partner country"),
    (Dimension::Modality, "Por modalidad", "By modality"),
];

/// The activity list's default selection for this viewer, narrowed to `state`.
pub(super) fn state_selection(ctx: &Ctx, state: MxStateCode) -> Selection {
    Selection {
        visible: ctx.viewer.visibility(false),
        signed_in: ctx.viewer.actor.is_signed_in(),
        state: Some(state),
        ..Selection::default()
    }
}

/// A report's table with its caption, and its CSV's address.
fn figure(
    views: &Views,
    sel: &Selection,
    dimension: Dimension,
    caption: &str,
    lang: Lang,
) -> Result<(TableView, String), WebError> {
    let report = views.report(&query(dimension, sel, MeasureChoice::default()))?;
    let mut t = table(&report, sel, lang);
    t.caption = Some(match report.overlap_note(lang) {
        Some(note) => format!("{caption}. {note}"),
        None => caption.to_owned(),
    });
    let csv = with_query(&format!("/reports/{}.csv", dimension.report_name()), &sel.pairs());
    Ok((t, csv))
}

/// "Cursos y asistencia técnica recibidos": the technical and scientific cooperation the
/// state received, by the partner it came from.
fn received_from(views: &Views, ctx: &Ctx, state: MxStateCode) -> Result<(TableView, String, String), WebError> {
    let lang = ctx.lang;
    let sel = Selection {
        direction: Some(Direction::Received),
        cooperation_type: Some(CooperationType::TechnicalScientific),
        ..state_selection(ctx, state)
    };
    let (t, csv) = figure(
        views,
        &sel,
        Dimension::Partner,
        lang.pick(
            "Cursos y asistencia técnica recibidos (cooperación técnica y científica), por socio",
            "Courses and technical assistance received (technical and scientific cooperation), by partner",
        ),
        lang,
    )?;
    Ok((t, csv, with_query("/activities", &sel.pairs())))
}

/// The money committed and the in-kind value of the state's activities, in US dollars at the
/// rates of their dates — the whole of each activity it takes part in, as the dashboard with
/// `state=07` and `show=total:USD` counts it.
fn value(views: &Views, sel: &Selection, lang: Lang) -> Result<String, WebError> {
    let choice = MeasureChoice { measure: Measure::Total, currency: Currency::Usd };
    let report = views.report(&query(Dimension::Direction, sel, choice))?;
    Ok(locale::money_whole(report.total, Currency::Usd.code(), lang))
}

/// The section "Su cooperación": counts given and received, then each figure.
pub(super) fn cooperation_section(views: &Views, ctx: &Ctx, state: MxStateCode) -> Result<Section, WebError> {
    let lang = ctx.lang;
    let l = |es: &'static str, en: &'static str| lang.pick(es, en);
    let sel = state_selection(ctx, state);
    let mut s =
        Section::new("cooperation", l("Su cooperación, otorgada y recibida", "Its cooperation, given and received"));
    let directions = views.report(&query(Dimension::Direction, &sel, MeasureChoice::default()))?;
    for direction in Direction::ALL {
        let n = directions.rows.iter().find(|r| r.key == direction.code()).map(|r| r.value).unwrap_or_default();
        let list = Selection { direction: Some(*direction), ..sel.clone() };
        s.fact_link(direction.label(lang), locale::count(n), with_query("/activities", &list.pairs()));
    }
    s.fact_link(
        l("Valor de la cooperación (USD)", "Value of cooperation (USD)"),
        value(views, &sel, lang)?,
        with_query("/", &[("state", state.as_str().to_owned()), ("show", "total:USD".to_owned())]),
    );
    let mut downloads = Vec::new();
    for (dimension, es, en) in FIGURES {
        let (t, csv) = figure(views, &sel, dimension, lang.pick(es, en), lang)?;
        if !t.rows.is_empty() {
            downloads.push((lang.pick(es, en), csv));
        }
        s.table(t);
    }
    let (t, csv, list) = received_from(views, ctx, state)?;
    if !t.rows.is_empty() {
        s.fact_link(
            l("Cursos y asistencia técnica recibidos", "Courses and technical assistance received"),
            l("ver las actividades", "see the activities"),
            list,
        );
        downloads.push((l("Cursos y asistencia técnica recibidos", "Courses and technical assistance received"), csv));
    }
    s.table(t);
    for (caption, csv) in downloads {
        s.fact_link(caption, l("Descargar CSV", "Download CSV"), csv);
    }
    Ok(s)
}
