//! `coopera practice list|show|add`: good practices of the federal government, of states and
//! of municipalities, with their evidence. A practice's level and states are derived from its
//! organisations and places (`GoodPractice::levels`, `GoodPractice::states`), never typed.

use coopera_domain::Lang;
use coopera_domain::code::ThematicAreaCode;
use coopera_domain::doc::{DatasetDoc, PracticeDoc};
use coopera_domain::ids::RecordKey;
use coopera_domain::kinds::{CapacityForm, Level};
use coopera_domain::practice::{GoodPractice, PracticeFilter};
use coopera_store::{Existing, RecordKind, Store, StoreError};

use super::activity::{Adding, add};
use super::catalog::lines;
use super::subnational::{Orgs, Shown, keys, parse_state, short, show};
use super::{Ctx, Failure, entering, print_table, sheets};
use crate::cli::{GovernmentLevel, PracticeCommand, PracticeListArgs, RecordAddArgs};
use crate::output::Table;

pub fn run(ctx: &Ctx, cmd: PracticeCommand) -> Result<(), Failure> {
    match cmd {
        PracticeCommand::List(args) => list(ctx, args),
        PracticeCommand::Show(args) => show::<GoodPractice>(ctx, &args),
        PracticeCommand::Add(args) => add_file(ctx, &args),
        PracticeCommand::Transition(args) => super::record_transition(ctx, RecordKind::Practice, &args),
    }
}

/// `add --file`: the one path of every file, all or nothing, references checked (an
/// organisation must be federal, state or municipal; a linked activity must exist). Good
/// practices have no spreadsheet: a CSV or XLSX file is refused before anything is read.
fn add_file(ctx: &Ctx, args: &RecordAddArgs) -> Result<(), Failure> {
    if sheets::is_spreadsheet(&args.file) {
        return Err(Failure::one(match ctx.lang {
            Lang::Es => format!(
                "{}: las buenas prácticas se agregan desde un archivo TOML o JSON (docs/formato-de-archivos.md), no desde una hoja de cálculo",
                args.file.display()
            ),
            Lang::En => format!(
                "{}: good practices are added from a TOML or JSON file (docs/file-format.md), not from a spreadsheet",
                args.file.display()
            ),
        }));
    }
    let existing = if args.update { Existing::Update } else { Existing::Refuse };
    add(ctx, &args.file, Adding { existing, workflow: entering(args.publish) })
}

/// The flags as a filter, each checked against its list.
fn filter(args: &PracticeListArgs, lang: Lang) -> Result<PracticeFilter, Failure> {
    let theme =
        args.theme.as_deref().map(ThematicAreaCode::parse).transpose().map_err(Failure::at_flag("--theme", lang))?;
    let form = args.form.as_deref().map(CapacityForm::parse).transpose().map_err(Failure::at_flag("--form", lang))?;
    let level = args.level.map(|l| match l {
        GovernmentLevel::Federal => Level::Federal,
        GovernmentLevel::State => Level::State,
        GovernmentLevel::Municipal => Level::Municipal,
    });
    Ok(PracticeFilter { state: parse_state(args.state.as_deref(), lang)?, theme, form, level })
}

fn list(ctx: &Ctx, args: PracticeListArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let filter = filter(&args, lang)?;
    let store = ctx.open_existing()?;
    let orgs = Orgs::load(ctx, &store)?;
    let states = orgs.states();
    let mut practices = store.practices().map_err(|e| Failure::store(e, lang))?;
    practices.retain(|p| filter.keeps(p, &states, |k| orgs.get(k)));
    practices.sort_by_cached_key(|p| coopera_report::list::fold(p.parts().title.best(lang)));
    let mut t = Table::new(&[
        ("key", ctx.pick("Clave", "Key"), false),
        ("title", ctx.pick("Buena práctica", "Good practice"), false),
        ("organisations", ctx.pick("Organizaciones", "Organisations"), false),
        ("levels", ctx.pick("Orden de gobierno", "Level"), false),
        ("states", ctx.pick("Entidades", "States"), false),
        ("themes", ctx.pick("Áreas temáticas", "Thematic areas"), false),
        ("forms", ctx.pick("Formas", "Forms"), false),
        ("results", ctx.pick("Resultados", "Results"), false),
    ]);
    for g in &practices {
        let p = g.parts();
        let levels: Vec<&str> = g.levels(|k| orgs.get(k)).iter().map(|l| l.label(lang)).collect();
        t.push(vec![
            p.key.to_string().into(),
            p.title.best(lang).to_owned().into(),
            keys(&p.organisations).into(),
            levels.join(", ").into(),
            keys(&g.states(&states)).into(),
            p.themes.iter().map(|t| t.entry().name(lang)).collect::<Vec<_>>().join("; ").into(),
            p.forms.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join(", ").into(),
            short(p.results.best(lang), 60).into(),
        ]);
    }
    print_table(&t, args.format);
    Ok(())
}

impl Shown for GoodPractice {
    const NOUN: (&'static str, &'static str) = ("la buena práctica", "good practice");
    const LIST: (&'static str, &'static str) = ("practice", "las");

    fn all(store: &Store) -> Result<Vec<Self>, StoreError> {
        store.practices()
    }

    fn key(&self) -> &RecordKey {
        &self.parts().key
    }

    fn dataset(&self) -> DatasetDoc {
        DatasetDoc { practices: vec![PracticeDoc::from_domain(self)], ..DatasetDoc::default() }
    }

    fn describe(&self, ctx: &Ctx, orgs: &Orgs) -> String {
        let (p, lang) = (self.parts(), ctx.lang);
        let who = p.organisations.iter().map(|k| orgs.named(k, lang)).collect::<Vec<_>>().join("; ");
        let levels: Vec<&str> = self.levels(|k| orgs.get(k)).iter().map(|l| l.label(lang)).collect();
        let mut places: Vec<String> = p.mx_states.iter().map(|s| s.entry().name(lang).to_owned()).collect();
        places.extend(p.mx_municipalities.iter().map(|m| m.entry().name(lang).to_owned()));
        places.extend(p.countries.iter().map(|c| c.entry().name(lang).to_owned()));
        let period = [p.start, p.end].map(|d| d.map(|d| d.to_string()).unwrap_or_default());
        let documents = p.documents.iter().map(|d| format!("{} <{}>", d.title.best(lang), d.url));
        let indicators = p.indicators.iter().map(|i| {
            let unit = i.unit.as_deref().map(|u| format!(" {u}")).unwrap_or_default();
            let year = i.year.map(|y| format!(" ({y})")).unwrap_or_default();
            format!("{}: {}{unit}{year}", i.name.best(lang), i.value)
        });
        lines(
            format!("{} ({})", p.title.best(lang), p.key),
            &[
                (ctx.pick("Organizaciones", "Organisations"), who),
                (ctx.pick("Orden de gobierno", "Level"), levels.join(", ")),
                (ctx.pick("Dónde", "Where"), places.join("; ")),
                (
                    ctx.pick("Periodo", "Period"),
                    if p.start.is_none() && p.end.is_none() { String::new() } else { period.join(" – ") },
                ),
                (ctx.pick("Qué se hizo", "What was done"), p.summary.best(lang).to_owned()),
                (ctx.pick("Resultados", "Results"), p.results.best(lang).to_owned()),
                (
                    ctx.pick("Áreas temáticas", "Thematic areas"),
                    p.themes.iter().map(|t| t.entry().name(lang)).collect::<Vec<_>>().join("; "),
                ),
                (
                    ctx.pick("Formas de cooperación", "Forms of cooperation"),
                    p.forms.iter().map(|f| f.label(lang)).collect::<Vec<_>>().join(", "),
                ),
                (ctx.pick("Actividades vinculadas", "Linked activities"), keys(&p.activities)),
                (ctx.pick("Documentos", "Documents"), documents.collect::<Vec<_>>().join("; ")),
                (ctx.pick("Indicadores", "Indicators"), indicators.collect::<Vec<_>>().join("; ")),
                (ctx.pick("Palabras clave", "Keywords"), p.keywords.join(", ")),
            ],
        )
    }
}
