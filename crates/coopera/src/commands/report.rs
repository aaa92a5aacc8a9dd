//! `coopera report …`: checks the arguments into a typed request, loads the registry's
//! snapshot, runs the report and prints it as a table, CSV, JSON or an Excel workbook.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use coopera_domain::Lang;
use coopera_domain::code::CurrencyCode;
use coopera_report::{
    Currency, Dimension, Filters, InKindRates, LoadOptions, Measure, Query, Report, Snapshot, YearRange,
};
use coopera_store::Store;
use rust_decimal::Decimal;
use serde_json::{Value, json};

use super::{Ctx, Failure, print};
use crate::cli::{DirectionFilter, MeasureArg, ReportArgs, ReportCommand, ReportFormat, SourceArg};
use crate::output::{Table, number};

/// A checked report request.
#[derive(Debug)]
pub struct Request {
    /// The report's name in JSON (`themes`, `countries`, `value`…).
    pub name: &'static str,
    pub query: Query,
    pub catalog: bool,
    pub format: ReportFormat,
    pub out: Option<PathBuf>,
    pub in_kind_rates: Option<PathBuf>,
    pub timing: bool,
    /// The filters as given, for JSON and the workbook.
    pub filters_json: Value,
}

fn fail(ctx: &Ctx, es: String, en: String) -> Failure {
    Failure::one(match ctx.lang {
        Lang::Es => es,
        Lang::En => en,
    })
}

pub fn run(ctx: &Ctx, cmd: ReportCommand) -> Result<(), Failure> {
    use Dimension as D;
    if let ReportCommand::Crossborder(args) = &cmd {
        return super::agenda::run(ctx, args);
    }
    let activities = SourceArg::Activities;
    let (name, dimension, args, source) = match cmd {
        ReportCommand::Themes(a) => ("themes", D::ThematicArea, a.report, a.source),
        ReportCommand::Categories(a) => ("categories", D::DacCategory, a, activities),
        ReportCommand::Sectors(a) => ("sectors", D::DacCode, a, activities),
        ReportCommand::Sdgs(a) => ("sdgs", D::SdgGoal, a, activities),
        ReportCommand::Countries(a) => ("countries", D::PartnerCountry, a, activities),
        ReportCommand::Regions(a) => ("regions", D::PartnerRegion, a, activities),
        ReportCommand::RecipientCountries(a) => ("recipient-countries", D::RecipientCountry, a, activities),
        ReportCommand::RecipientRegions(a) => ("recipient-regions", D::RecipientRegion, a, activities),
        ReportCommand::DacRegions(a) => ("dac-regions", D::DacRegion, a, activities),
        ReportCommand::Partners(a) => ("partners", D::Partner, a, activities),
        ReportCommand::Modalities(a) => ("modalities", D::Modality, a, activities),
        ReportCommand::Schemes(a) => ("schemes", D::Scheme, a, activities),
        ReportCommand::Instruments(a) => ("instruments", D::Instrument, a, activities),
        ReportCommand::Types(a) => ("types", D::CooperationType, a, activities),
        ReportCommand::Directions(a) => ("directions", D::Direction, a, activities),
        ReportCommand::Levels(a) => ("levels", D::ActorLevel, a, activities),
        ReportCommand::States(a) => ("states", D::MxState, a, activities),
        // The cross-border agenda, above; the border dimension stays for `--filter border=…`
        // and the web's reports.
        ReportCommand::Crossborder(a) => ("crossborder", D::Border, a, activities),
        ReportCommand::Agenda(a) => ("agenda", D::Agenda, a, activities),
        ReportCommand::Years(a) => ("years", D::Year, a, activities),
        ReportCommand::Statuses(a) => ("statuses", D::Status, a, activities),
        ReportCommand::Value(a) => ("value", D::CooperationType, a, activities),
    };
    let default_measure = if name == "value" { Measure::Total } else { Measure::Count };
    let mut request = request(ctx, dimension, &args, source, default_measure)?;
    request.name = name;
    let store = ctx.open_existing()?;
    let report = make(ctx, &store, &request)?;
    output(ctx, &request, &report)
}

/// Checks the arguments; nothing is opened or read before they are right.
pub fn request(
    ctx: &Ctx,
    dimension: Dimension,
    args: &ReportArgs,
    source: SourceArg,
    default_measure: Measure,
) -> Result<Request, Failure> {
    let measure = match args.measure {
        None => default_measure,
        Some(m) => match m {
            MeasureArg::Count => Measure::Count,
            MeasureArg::Weighted => Measure::Weighted,
            MeasureArg::Committed => Measure::Committed,
            MeasureArg::Disbursed => Measure::Disbursed,
            MeasureArg::Spent => Measure::Spent,
            MeasureArg::InKind => Measure::InKind,
            MeasureArg::Total => Measure::Total,
        },
    };
    let code = CurrencyCode::parse(&args.currency.to_uppercase()).map_err(Failure::at_flag("--currency", ctx.lang))?;
    let currency = match (args.native, code.as_str()) {
        (true, _) => Currency::Native(code),
        (false, "USD") => Currency::Usd,
        (false, "MXN") => Currency::Mxn,
        (false, other) => {
            return Err(fail(
                ctx,
                format!(
                    "--currency: los informes convierten a USD o MXN; para sumar solo los montos registrados en {other}, sin convertir, añada --native"
                ),
                format!(
                    "--currency: reports convert to USD or MXN; to add up only the amounts recorded in {other}, unconverted, add --native"
                ),
            ));
        }
    };
    let years = match (args.year, args.from, args.to) {
        (Some(y), _, _) => Some(YearRange { from: y, to: y }),
        (None, None, None) => None,
        (None, from, to) => Some(YearRange { from: from.unwrap_or(i32::from(i16::MIN) + 1), to: to.unwrap_or(9999) }),
    };
    if let Some(YearRange { from, to }) = years
        && from > to
    {
        return Err(Failure::one(coopera_report::ReportError::YearRange { from, to }.message(ctx.lang)));
    }
    if args.format == ReportFormat::Xlsx && args.out.is_none() {
        return Err(fail(
            ctx,
            "--format xlsx escribe un archivo: indique dónde con --out ARCHIVO.xlsx".into(),
            "--format xlsx writes a file: say where with --out FILE.xlsx".into(),
        ));
    }
    if args.top == 0 {
        return Err(fail(ctx, "--top: debe ser al menos 1".into(), "--top: must be at least 1".into()));
    }
    let mut values: Vec<(Dimension, Vec<String>)> = Vec::new();
    let split = super::split_values;
    match args.direction {
        DirectionFilter::All => {}
        DirectionFilter::Given => values.push((Dimension::Direction, vec!["given".into()])),
        DirectionFilter::Received => values.push((Dimension::Direction, vec!["received".into()])),
        DirectionFilter::Both => values.push((Dimension::Direction, vec!["both".into()])),
    }
    for (dim, value) in [
        (Dimension::Modality, &args.modality),
        (Dimension::ThematicArea, &args.sector_group),
        (Dimension::RecipientCountry, &args.country),
        (Dimension::MxState, &args.state),
    ] {
        if let Some(v) = value {
            values.push((dim, split(v)));
        }
    }
    let mut other = serde_json::Map::new();
    for f in &args.filters {
        let (dim, value) = super::parse_filter(f, ctx.lang)?;
        other.insert(dim.code().to_owned(), json!(value));
        values.push((dim, value));
    }
    let catalog = source == SourceArg::Catalog;
    if catalog && measure.is_money() {
        return Err(Failure::one(coopera_report::ReportError::CatalogHasNoValue.message(ctx.lang)));
    }
    if catalog && (!values.is_empty() || years.is_some()) {
        return Err(fail(
            ctx,
            "--source catalog: el catálogo de capacidades no se filtra por dirección, años ni otras dimensiones".into(),
            "--source catalog: the capacities catalog is not filtered by direction, years or other dimensions".into(),
        ));
    }
    let filters_json = json!({
        "source": if catalog { "catalog" } else { "activities" },
        "direction": match args.direction {
            DirectionFilter::All => "all",
            DirectionFilter::Given => "given",
            DirectionFilter::Received => "received",
            DirectionFilter::Both => "both",
        },
        "year": args.year,
        "from": years.map(|y| y.from).filter(|_| args.from.is_some()),
        "to": years.map(|y| y.to).filter(|_| args.to.is_some()),
        "modality": args.modality,
        "sector_group": args.sector_group,
        "country": args.country,
        "state": args.state,
        "other": other,
    });
    Ok(Request {
        name: dimension.report_name(),
        query: Query {
            dimension,
            measure,
            currency,
            filters: Filters { years, values, ..Filters::default() },
            top: args.top,
        },
        catalog,
        format: args.format,
        out: args.out.clone(),
        in_kind_rates: args.in_kind_rates.clone(),
        timing: args.timing,
        filters_json,
    })
}

/// Loads what the report needs and runs it.
pub fn make(ctx: &Ctx, store: &Store, request: &Request) -> Result<Report, Failure> {
    let report_error = |e: coopera_report::ReportError| Failure::one(e.message(ctx.lang));
    if request.catalog {
        return coopera_report::catalog_themes(store, request.query.measure, request.query.top).map_err(report_error);
    }
    let in_kind_rates = match &request.in_kind_rates {
        None => InKindRates::sample(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                fail(
                    ctx,
                    format!("no se puede leer {}: {e}", path.display()),
                    format!("cannot read {}: {e}", path.display()),
                )
            })?;
            let rates = coopera_report::rates::parse_in_kind_csv(&text, &path.display().to_string())
                .map_err(|e| Failure { lines: e.lines(ctx.lang), summary: None })?;
            InKindRates::new(rates)
        }
    };
    let options = LoadOptions { home_country: ctx.home_country, in_kind_rates };
    let started = Instant::now();
    let snapshot = Snapshot::load(store, &options).map_err(report_error)?;
    let loaded = started.elapsed();
    let started = Instant::now();
    let report = coopera_report::run(&snapshot, &request.query).map_err(report_error)?;
    let ran = started.elapsed();
    if request.timing {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        eprintln!(
            "{}",
            match ctx.lang {
                Lang::Es => format!(
                    "tiempo: carga del registro {:.1} ms ({} actividades) · informe {:.3} ms",
                    ms(loaded),
                    snapshot.len(),
                    ms(ran)
                ),
                Lang::En => format!(
                    "timing: registry load {:.1} ms ({} activities) · report {:.3} ms",
                    ms(loaded),
                    snapshot.len(),
                    ms(ran)
                ),
            }
        );
    }
    Ok(report)
}

/// "Número de actividades por área temática"
pub fn title(name: &str, report: &Report, lang: Lang) -> String {
    if name == "value" {
        return lang.pick("Valor total de la cooperación por tipo", "Total value of cooperation by type").to_owned();
    }
    let by = report.dimension.label_in_sentence(lang);
    match lang {
        Lang::Es => format!("{} por {by}", report.measure.label(lang)),
        Lang::En => format!("{} by {by}", report.measure.label(lang)),
    }
}

fn output(ctx: &Ctx, request: &Request, report: &Report) -> Result<(), Failure> {
    let write = |bytes: &[u8]| -> Result<(), Failure> {
        match &request.out {
            None => {
                print(&String::from_utf8_lossy(bytes));
                Ok(())
            }
            Some(path) => std::fs::write(path, bytes).map_err(|e| {
                fail(
                    ctx,
                    format!("no se puede escribir {}: {e}", path.display()),
                    format!("cannot write {}: {e}", path.display()),
                )
            }),
        }
    };
    match request.format {
        ReportFormat::Json => {
            let text = serde_json::to_string_pretty(&coopera_web::json::report(
                report,
                request.name,
                request.filters_json.clone(),
                ctx.lang,
            ))
            .unwrap_or_default();
            write(format!("{text}\n").as_bytes())
        }
        ReportFormat::Csv => write(table(report, ctx).to_csv().as_bytes()),
        ReportFormat::Table => {
            let mut text = table(report, ctx).to_text();
            for line in summary_lines(report, ctx.lang) {
                text.push_str(&line);
                text.push('\n');
            }
            write(text.as_bytes())
        }
        ReportFormat::Xlsx => {
            let sheet = coopera_report::xlsx::Sheet {
                report,
                title: title(request.name, report, ctx.lang),
                notes: notes(report, request, ctx.lang),
            };
            let bytes = coopera_report::xlsx::workbook(&[sheet], ctx.lang).map_err(|e| Failure::one(e.to_string()))?;
            write(&bytes)?;
            if let Some(path) = &request.out {
                let n = report.rows.len();
                print(&match (ctx.lang, n) {
                    (Lang::Es, 1) => format!("informe escrito en {} (1 fila)", path.display()),
                    (Lang::En, 1) => format!("report written to {} (1 row)", path.display()),
                    (Lang::Es, _) => format!("informe escrito en {} ({n} filas)", path.display()),
                    (Lang::En, _) => format!("report written to {} ({n} rows)", path.display()),
                });
            }
            Ok(())
        }
    }
}

/// What the workbook says under its title: the filters and the currency.
fn notes(report: &Report, request: &Request, lang: Lang) -> Vec<String> {
    let mut notes = Vec::new();
    let f = &request.filters_json;
    let mut parts: Vec<String> = Vec::new();
    if let Some(d) = f["direction"].as_str().filter(|d| *d != "all") {
        parts.push(format!("{} = {d}", lang.pick("dirección", "direction")));
    }
    if let Some(y) = request.query.filters.years {
        parts.push(format!("{} {}–{}", lang.pick("años", "years"), y.from.max(0), y.to));
    }
    for (dim, values) in &request.query.filters.values {
        if *dim != Dimension::Direction {
            parts.push(format!("{} = {}", dim.code(), values.join(", ")));
        }
    }
    notes.push(format!(
        "{}: {}",
        lang.pick("Filtros", "Filters"),
        if parts.is_empty() { lang.pick("ninguno", "none").to_owned() } else { parts.join("; ") }
    ));
    if let Some(c) = report.currency {
        notes.push(match (lang, c.is_native()) {
            (Lang::Es, false) => {
                format!("Moneda: {}, convertida al tipo de cambio de la fecha valor de cada flujo", c.code())
            }
            (Lang::En, false) => format!("Currency: {}, converted at the rate of each flow's value date", c.code()),
            (Lang::Es, true) => format!("Moneda: solo montos registrados en {}, sin conversión", c.code()),
            (Lang::En, true) => format!("Currency: only amounts recorded in {}, unconverted", c.code()),
        });
    }
    notes.push(lang.pick("Fuente: registro Coopera", "Source: Coopera registry").to_owned());
    notes
}

/// Prints a report as a table with its summary lines.
pub fn print_report(ctx: &Ctx, report: &Report) {
    print(&table(report, ctx).to_text());
    for line in summary_lines(report, ctx.lang) {
        print(&line);
    }
}

/// Total, concentration and what was left out, as lines under the table.
pub fn summary_lines(report: &Report, lang: Lang) -> Vec<String> {
    let mut lines = Vec::new();
    let figure = |d: Decimal| coopera_web::figure(d, 2);
    // "74,032,626.26 USD" in Spanish, "USD 74,032,626.26" in English, as on the pages.
    let money = |d: Decimal| match (report.currency, lang) {
        (Some(c), Lang::Es) => format!("{} {}", figure(d), c.code()),
        (Some(c), Lang::En) => format!("{} {}", c.code(), figure(d)),
        (None, _) => figure(d),
    };
    let total = report.total;
    lines.push(match (lang, report.measure) {
        (Lang::Es, Measure::Count) if total == Decimal::ONE => "Total: 1 actividad".to_owned(),
        (Lang::En, Measure::Count) if total == Decimal::ONE => "Total: 1 activity".to_owned(),
        (Lang::Es, Measure::Count) => format!("Total: {} actividades", figure(total)),
        (Lang::En, Measure::Count) => format!("Total: {} activities", figure(total)),
        _ => format!("Total: {}", money(total)),
    });
    if let Some(note) = report.overlap_note(lang) {
        lines.push(note.to_owned());
    }
    let c = report.concentration;
    let top = figure(c.top_share);
    let hhi = coopera_web::figure(c.hhi, 0);
    let top_label = match (lang, c.k) {
        (Lang::Es, 1) => "fila principal".to_owned(),
        (Lang::En, 1) => "top row".to_owned(),
        (Lang::Es, k) => format!("{k} filas principales"),
        (Lang::En, k) => format!("top {k} rows"),
    };
    lines.push(match lang {
        Lang::Es => format!(
            "Concentración (cada fila con valor como parte de su suma, sin «Sin especificar»): {top_label} {top} % · IHH: {hhi}"
        ),
        Lang::En => format!(
            "Concentration (each row with a value as a part of their sum, not “Not specified”): {top_label} {top} % · HHI: {hhi}"
        ),
    });
    if let Some(s) = report.split {
        let (cash, in_kind) = (money(s.money), money(s.in_kind));
        lines.push(match lang {
            Lang::Es => format!("Dinero: {cash} · en especie: {in_kind}"),
            Lang::En => format!("Money: {cash} · in kind: {in_kind}"),
        });
    }
    for (c, amount) in &report.not_converted {
        let amount = figure(*amount);
        lines.push(match lang {
            Lang::Es => format!("No convertido (sin tipo de cambio): {amount} {c}"),
            Lang::En => format!("Not converted (no exchange rate): {c} {amount}"),
        });
    }
    for (unit, quantity) in &report.in_kind_not_valued {
        let q = figure(*quantity);
        lines.push(match lang {
            Lang::Es => format!("En especie sin valorar (sin valor unitario ni tarifa): {q} {}", unit.label(lang)),
            Lang::En => format!("In kind not valued (no unit value or rate): {q} {}", unit.label(lang)),
        });
    }
    if report.merged_flows > 0 {
        let n = report.merged_flows;
        lines.push(match lang {
            Lang::Es => format!("Flujos reportados por ambas partes, contados una vez: {n}"),
            Lang::En => format!("Flows reported by both sides, counted once: {n}"),
        });
    }
    lines
}

fn table(report: &Report, ctx: &Ctx) -> Table {
    let value_heading = match report.currency {
        Some(c) => format!("{} ({})", report.measure.label(ctx.lang), c.code()),
        None => report.measure.label(ctx.lang).to_owned(),
    };
    let mut columns = vec![
        ("key", ctx.pick("Clave", "Key"), false),
        ("label", report.dimension.label(ctx.lang), false),
        ("value", value_heading.as_str(), true),
        ("share", ctx.pick("Participación %", "Share %"), true),
    ];
    let split = report.split.is_some();
    if split {
        columns.push(("money", ctx.pick("Dinero", "Money"), true));
        columns.push(("in_kind", ctx.pick("En especie", "In kind"), true));
    }
    let mut t = Table::new(&columns).figures(&["value", "money", "in_kind"]);
    for r in &report.rows {
        let mut row = vec![
            r.key.clone().into(),
            r.label(ctx.lang).into(),
            number(r.value.round_dp(2)),
            number(r.share.round_dp(2)),
        ];
        if let Some(s) = r.split {
            row.push(number(s.money.round_dp(2)));
            row.push(number(s.in_kind.round_dp(2)));
        } else if split {
            row.extend([Value::Null, Value::Null]);
        }
        t.push(row);
    }
    t
}
