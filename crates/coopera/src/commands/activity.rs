//! `coopera activity list|show|add|transition`

use coopera_domain::Lang;
use coopera_domain::activity::{ActivityParts, Sdg, SectorRef};
use coopera_domain::doc::ActivityDoc;
use coopera_domain::kinds::WorkflowState;
use std::path::Path;

use coopera_store::{Existing, RecordKind, Store, StoreOptions, StoredActivity, Who};

use super::{Ctx, Failure, enter_as, entering, print, print_table, store_batch, summary_line, workflow_line};
use crate::cli::{ActivityCommand, ActivityListArgs, DocFormat, WorkflowArg};
use crate::input::{Batch, InputError, Source};
use crate::output::Table;

pub fn run(ctx: &Ctx, cmd: ActivityCommand) -> Result<(), Failure> {
    match cmd {
        ActivityCommand::List(args) => list(ctx, args),
        ActivityCommand::Show { id, format } => show(ctx, &id, format),
        ActivityCommand::Add { file, update, publish } => {
            let existing = if update { Existing::Update } else { Existing::Refuse };
            add(ctx, &file, Adding { existing, workflow: entering(publish) })
        }
        ActivityCommand::Transition { id, to, reason } => {
            transition(ctx, RecordKind::Activity, &id, to.state(), reason.as_deref())
        }
    }
}

impl WorkflowArg {
    pub(super) fn state(self) -> WorkflowState {
        match self {
            WorkflowArg::Draft => WorkflowState::Draft,
            WorkflowArg::Submitted => WorkflowState::Submitted,
            WorkflowArg::Validated => WorkflowState::Validated,
            WorkflowArg::Published => WorkflowState::Published,
        }
    }
}

/// How `activity add` writes: what it does with a record stored with another content, and
/// the workflow state its activities enter in.
pub(super) struct Adding {
    pub existing: Existing,
    pub workflow: WorkflowState,
}

/// `activity add`: every record of the file, or none. A file with problems is answered with
/// all of them at once — its references to the registry included — and writes nothing.
/// Its activities enter in the workflow state of `how`, whatever the file says.
pub(super) fn add(ctx: &Ctx, file: &Path, how: Adding) -> Result<(), Failure> {
    let source = Source::read(file, ctx.lang).map_err(|e| Failure::input(e, ctx.lang))?;
    let (mut batch, mut problems) = Batch::read(vec![source], ctx.lang);
    if !problems.is_empty() {
        // A file with problems writes nothing, and creates no database; an absent one
        // holds no record, like an empty one.
        let registry = if ctx.db_exists() {
            ctx.open()?
        } else {
            Store::open_in_memory(StoreOptions::new(ctx.home_country)).map_err(|e| Failure::store(e, ctx.lang))?
        };
        let unresolved = batch
            .unresolved(ctx.lang, |refs| registry.check_references(refs))
            .map_err(|e| Failure::store(e, ctx.lang))?;
        problems.extend(unresolved);
        return Err(Failure::input(InputError(batch.in_file_order(problems)), ctx.lang));
    }
    let (activities, others) = enter_as(&mut batch.records, how.workflow);
    let store = ctx.open()?;
    let summary = store_batch(ctx, &store, batch, how.existing)?;
    print(&format!("{}: {}", file.display(), summary_line(&summary, ctx.lang)));
    if let Some(line) = workflow_line(activities, how.workflow, ctx.lang) {
        print(&line);
    }
    if let Some(line) = super::records_workflow_line(others, how.workflow, ctx.lang) {
        print(&line);
    }
    Ok(())
}

/// There is no activity `id`.
fn no_such_activity(ctx: &Ctx, id: &str) -> Failure {
    Failure::one(match ctx.lang {
        Lang::Es => format!("no existe la actividad `{id}` (`coopera activity list --search …` la busca)"),
        Lang::En => format!("there is no activity `{id}` (`coopera activity list --search …` finds it)"),
    })
}

/// `activity transition` (and `catalog|action|agreement|membership|practice transition`):
/// one step of the workflow by the CLI's user, or back to draft with a reason. A step the
/// workflow does not allow, a missing reason or an unknown record is refused before
/// anything is written; the write itself starts from the version read, so a change made in
/// between refuses it too.
pub(super) fn transition(
    ctx: &Ctx,
    kind: RecordKind,
    id: &str,
    to: WorkflowState,
    reason: Option<&str>,
) -> Result<(), Failure> {
    let lang = ctx.lang;
    let store = ctx.open_existing()?;
    let stored = store.stored(kind, id).map_err(|e| Failure::store(e, lang))?;
    let Some(from) = stored.and_then(|r| r.workflow()) else {
        return Err(match kind {
            RecordKind::Activity => no_such_activity(ctx, id),
            _ => Failure::one(match lang {
                Lang::Es => format!("no existe {} `{id}`", kind.with_article(lang)),
                Lang::En => format!("there is no {} `{id}`", kind.label(lang)),
            }),
        });
    };
    if let Some(refusal) = step_refused((kind, id), from, to, lang) {
        return Err(Failure::one(refusal));
    }
    if to == WorkflowState::Draft && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(Failure::one(ctx.pick(
            "volver a borrador requiere un motivo: --reason TEXTO (queda en la bitácora); no cambió nada",
            "going back to draft needs a reason: --reason TEXT (kept in the audit trail); nothing changed",
        )));
    }
    let base = store.version(kind, id).map_err(|e| Failure::store(e, lang))?;
    store.transition_of(Who::local(&ctx.user), kind, id, to, reason, base).map_err(|e| Failure::store(e, lang))?;
    print(&format!("{id}: {} → {}", from.label(lang), to.label(lang)));
    Ok(())
}

/// Why the workflow does not allow going from `from` to `to`, in `lang`; `None` when it does.
fn step_refused((kind, id): (RecordKind, &str), from: WorkflowState, to: WorkflowState, lang: Lang) -> Option<String> {
    if from.can_move_to(to) {
        return None;
    }
    // Mid-sentence, English writes the states in lower case; Spanish quotes them.
    let label = |s: WorkflowState| match lang {
        Lang::Es => s.label(lang).to_owned(),
        Lang::En => s.label(lang).to_lowercase(),
    };
    let (from_label, to_label) = (label(from), label(to));
    let (es, en) = (kind.with_article(Lang::Es), kind.label(Lang::En));
    if from == to {
        return Some(match lang {
            Lang::Es => format!("{es} `{id}` ya está en «{from_label}»; no cambió nada"),
            Lang::En => format!("{en} `{id}` is already {from_label}; nothing changed"),
        });
    }
    let next = WorkflowState::ALL.iter().copied().find(|s| *s != WorkflowState::Draft && from.can_move_to(*s));
    let hint = match (next, from == WorkflowState::Draft, lang) {
        (Some(next), true, Lang::Es) => format!("su siguiente paso es --to {}", next.code()),
        (Some(next), true, Lang::En) => format!("its next step is --to {}", next.code()),
        (Some(next), false, Lang::Es) => {
            format!("su siguiente paso es --to {}, o de vuelta a borrador con --to draft --reason TEXTO", next.code())
        }
        (Some(next), false, Lang::En) => {
            format!("its next step is --to {}, or back to draft with --to draft --reason TEXT", next.code())
        }
        (None, _, Lang::Es) => "solo puede volver a borrador, con --to draft --reason TEXTO".to_owned(),
        (None, _, Lang::En) => "it can only go back to draft, with --to draft --reason TEXT".to_owned(),
    };
    Some(match lang {
        Lang::Es => {
            format!("{es} `{id}` está en «{from_label}» y no puede pasar a «{to_label}»: {hint}; no cambió nada")
        }
        Lang::En => format!("{en} `{id}` is {from_label} and cannot move to {to_label}: {hint}; nothing changed"),
    })
}

fn list(ctx: &Ctx, args: ActivityListArgs) -> Result<(), Failure> {
    let selection = args.selection.selection(ctx.lang)?;
    let store = ctx.open_existing()?;
    let rows = super::select_activities(ctx, &store, &selection)?;
    let limit = args.limit.map_or(usize::MAX, |l| l as usize);
    let activities: Vec<_> = rows.into_iter().skip(args.offset as usize).take(limit).collect();
    let mut t = Table::new(&[
        ("id", "ID", false),
        ("title", ctx.pick("Título", "Title"), false),
        ("modality", ctx.pick("Modalidad", "Modality"), false),
        ("direction", ctx.pick("Dirección", "Direction"), false),
        ("start_year", ctx.pick("Inicio", "Start"), true),
        ("status", ctx.pick("Estado", "Status"), false),
    ]);
    for a in &activities {
        let status =
            coopera_domain::codelists::ACTIVITY_STATUS.get(&a.status).map(|c| c.name(ctx.lang)).unwrap_or(&a.status);
        t.push(vec![
            a.key.clone().into(),
            a.title(ctx.lang).into(),
            a.modality.label(ctx.lang).into(),
            a.direction.map(|d| d.label(ctx.lang)).unwrap_or("").into(),
            a.start.map(|d| d.year()).into(),
            status.into(),
        ]);
    }
    print_table(&t, args.format);
    Ok(())
}

fn show(ctx: &Ctx, id: &str, format: DocFormat) -> Result<(), Failure> {
    let store = ctx.open_existing()?;
    let stored =
        store.activity(id).map_err(|e| Failure::store(e, ctx.lang))?.ok_or_else(|| no_such_activity(ctx, id))?;
    let doc = ActivityDoc::from_domain(&stored.activity);
    match format {
        DocFormat::Json => print(&serde_json::to_string_pretty(&doc).unwrap_or_default()),
        DocFormat::Toml => print(&toml::to_string_pretty(&doc).unwrap_or_default()),
        DocFormat::Text => print(&describe(ctx, &store, &stored)),
    }
    Ok(())
}

/// Every facet of an activity, in the user's language.
fn describe(ctx: &Ctx, store: &Store, stored: &StoredActivity) -> String {
    let p = stored.activity.parts();
    let mut d =
        Description { ctx, store, lang: ctx.lang, out: vec![format!("{} — {}", p.key, p.title.best(ctx.lang))] };
    d.classification(stored);
    d.dates_and_text(p);
    d.participants(p);
    d.themes(p);
    d.places(p);
    d.money(p);
    d.results(p);
    if let Some(g) = &p.good_practice {
        d.out.push(format!("  {}: {}", ctx.pick("Buena práctica", "Good practice"), g.best(d.lang)));
    }
    d.out.join("\n")
}

/// The lines of an activity's description, written facet by facet; a field with no value
/// writes no line.
struct Description<'a> {
    ctx: &'a Ctx,
    store: &'a Store,
    lang: Lang,
    out: Vec<String>,
}

impl Description<'_> {
    fn field(&mut self, label: &str, value: String) {
        field(&mut self.out, label, value);
    }

    /// An organisation's name, or its key when the registry does not hold it.
    fn org_name(&self, key: &str) -> String {
        self.store
            .organisation(key)
            .ok()
            .flatten()
            .map(|o| o.parts().name.best(self.lang).to_owned())
            .unwrap_or_else(|| key.to_owned())
    }

    /// Who reports it and what kind of cooperation it is: instrument, type, modality,
    /// schemes, direction, status and workflow.
    fn classification(&mut self, stored: &StoredActivity) {
        let (ctx, lang) = (self.ctx, self.lang);
        let p = stored.activity.parts();
        self.field(ctx.pick("Folio", "Folio"), p.folio.clone().unwrap_or_default());
        self.field(ctx.pick("Reporta", "Reported by"), self.org_name(p.reporting_org.as_str()));
        self.field(ctx.pick("Instrumento", "Instrument"), p.instrument.label(lang).to_owned());
        self.field(ctx.pick("Tipo de cooperación", "Type of cooperation"), p.cooperation_type.label(lang).to_owned());
        self.field(ctx.pick("Modalidad", "Modality"), p.modality.label(lang).to_owned());
        let mut schemes = Vec::new();
        if p.schemes.south_south {
            schemes.push(ctx.pick("Sur-Sur", "South-South"));
        }
        if p.schemes.north_south {
            schemes.push(ctx.pick("Norte-Sur", "North-South"));
        }
        if stored.derived.decentralised {
            schemes.push(ctx.pick("descentralizada", "decentralised"));
        }
        if stored.derived.cross_border {
            schemes.push(ctx.pick("transfronteriza", "cross-border"));
        }
        self.field(ctx.pick("Esquemas", "Schemes"), schemes.join(", "));
        self.field(
            ctx.pick("Dirección", "Direction"),
            stored.derived.direction.map(|d| d.label(lang).to_owned()).unwrap_or_default(),
        );
        self.field(ctx.pick("Estado", "Status"), p.status.entry().name(lang).to_owned());
        self.field(ctx.pick("Flujo de validación", "Workflow"), p.workflow.label(lang).to_owned());
    }

    /// Planned and actual dates, description and objectives.
    fn dates_and_text(&mut self, p: &ActivityParts) {
        let (ctx, lang) = (self.ctx, self.lang);
        let date = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_else(|| "…".into());
        self.field(
            ctx.pick("Fechas", "Dates"),
            format!(
                "{} {} → {} · {} {} → {}",
                ctx.pick("previstas", "planned"),
                date(p.dates.planned_start),
                date(p.dates.planned_end),
                ctx.pick("reales", "actual"),
                date(p.dates.actual_start),
                date(p.dates.actual_end)
            ),
        );
        self.field(ctx.pick("Descripción", "Description"), p.description.best(lang).to_owned());
        self.field(ctx.pick("Objetivos", "Objectives"), p.objectives.best(lang).to_owned());
    }

    fn participants(&mut self, p: &ActivityParts) {
        self.out.push(format!("  {}:", self.ctx.pick("Participantes", "Participants")));
        for x in &p.participants {
            let line = format!("    - {} — {}", self.org_name(x.org.as_str()), x.role.label(self.lang));
            self.out.push(line);
        }
    }

    /// Sectors with their thematic areas, SDGs and policy markers.
    fn themes(&mut self, p: &ActivityParts) {
        let (ctx, lang) = (self.ctx, self.lang);
        if !p.sectors.is_empty() {
            self.out.push(format!("  {}:", ctx.pick("Sectores", "Sectors")));
            for s in &p.sectors {
                let name = match &s.sector {
                    SectorRef::Dac(c) => c.entry().name(lang).to_owned(),
                    SectorRef::DacCategory(c) => c.entry().name(lang).to_owned(),
                    SectorRef::SdgGoal(c) => c.entry().name(lang).to_owned(),
                    SectorRef::SdgTarget(c) => c.entry().name(lang).to_owned(),
                    SectorRef::Other { vocabulary, .. } => {
                        format!("{} {vocabulary}", ctx.pick("vocabulario", "vocabulary"))
                    }
                };
                let area = s.sector.thematic_area().map(|a| format!(" [{}]", a.entry().name(lang))).unwrap_or_default();
                self.out.push(format!("    - {} {} {}%{area}", s.sector.code(), name, s.percent));
            }
        }
        let sdgs: Vec<String> = p
            .sdgs
            .iter()
            .map(|s| match s {
                Sdg::Goal(g) => format!("{} {}", g, g.entry().name(lang)),
                Sdg::Target(t) => t.to_string(),
            })
            .collect();
        self.field(ctx.pick("ODS", "SDGs"), sdgs.join("; "));
        self.field(
            ctx.pick("Marcadores de política", "Policy markers"),
            p.policy_markers
                .iter()
                .map(|m| format!("{} ({})", m.marker.entry().name(lang), m.significance))
                .collect::<Vec<_>>()
                .join("; "),
        );
    }

    /// Countries, regions, Mexican states and municipalities, and the border crossed.
    fn places(&mut self, p: &ActivityParts) {
        let (ctx, lang) = (self.ctx, self.lang);
        self.field(
            ctx.pick("Países", "Countries"),
            p.countries
                .iter()
                .map(|c| format!("{} {}%", c.country.entry().name(lang), c.percent))
                .collect::<Vec<_>>()
                .join(", "),
        );
        self.field(
            ctx.pick("Regiones", "Regions"),
            p.regions
                .iter()
                .map(|r| format!("{} {}%", r.region.entry().name(lang), r.percent))
                .collect::<Vec<_>>()
                .join(", "),
        );
        self.field(
            ctx.pick("Entidades y municipios", "States and municipalities"),
            p.mx_places
                .iter()
                .map(|m| match m.municipality {
                    Some(mun) => format!("{} ({})", mun.entry().name(lang), m.state.entry().name(lang)),
                    None => m.state.entry().name(lang).to_owned(),
                })
                .collect::<Vec<_>>()
                .join(", "),
        );
        if let Some(cb) = &p.cross_border {
            let dims: Vec<&str> = cb.dimensions.iter().map(|d| d.label(lang)).collect();
            self.field(
                ctx.pick("Transfronteriza", "Cross-border"),
                format!("{} — {}", cb.border.label(lang), dims.join(", ")),
            );
        }
    }

    /// Budgets, transactions and cooperation in kind.
    fn money(&mut self, p: &ActivityParts) {
        let (ctx, lang) = (self.ctx, self.lang);
        self.field(
            ctx.pick("Presupuestos", "Budgets"),
            p.budgets
                .iter()
                .map(|b| format!("{} → {}: {} {}", b.period_start, b.period_end, b.value.amount, b.value.currency))
                .collect::<Vec<_>>()
                .join("; "),
        );
        self.field(
            ctx.pick("Transacciones", "Transactions"),
            p.transactions
                .iter()
                .map(|t| format!("{} {}: {} {}", t.date, t.kind.entry().name(lang), t.value.amount, t.value.currency))
                .collect::<Vec<_>>()
                .join("; "),
        );
        self.field(
            ctx.pick("En especie", "In kind"),
            p.in_kind
                .iter()
                .map(|k| match k.value() {
                    Some(v) => format!("{} {} = {} {}", k.quantity, k.unit.label(lang), v.amount, v.currency),
                    None => format!("{} {}", k.quantity, k.unit.label(lang)),
                })
                .collect::<Vec<_>>()
                .join("; "),
        );
    }

    /// Each result, then its indicators: baseline, and target and actual by year.
    fn results(&mut self, p: &ActivityParts) {
        let (ctx, lang) = (self.ctx, self.lang);
        for r in &p.results {
            self.field(ctx.pick("Resultado", "Result"), r.title.best(lang).to_owned());
            for i in &r.indicators {
                let periods: Vec<String> = i
                    .periods
                    .iter()
                    .map(|per| {
                        let v =
                            |d: Option<rust_decimal::Decimal>| d.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
                        format!(
                            "{}: {} {} / {} {}",
                            per.end.year(),
                            ctx.pick("meta", "target"),
                            v(per.target),
                            ctx.pick("logro", "actual"),
                            v(per.actual)
                        )
                    })
                    .collect();
                let baseline = i
                    .baseline
                    .as_ref()
                    .map(|b| format!("{} {} ({})", ctx.pick("línea base", "baseline"), b.value, b.year))
                    .unwrap_or_default();
                self.out.push(format!("    · {} — {baseline} {}", i.title.best(lang), periods.join("; ")));
            }
        }
    }
}

fn field(out: &mut Vec<String>, label: &str, value: String) {
    if !value.is_empty() {
        out.push(format!("  {label}: {value}"));
    }
}
