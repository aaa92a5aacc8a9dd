//! Who may do what in the registry: the one place that decides, asked by every web page,
//! form, download and API route before it reads or changes a record. The command line is a
//! local administrator's tool and does not ask: whoever can open the database file owns it.
//!
//! The asker is an [`Actor`] (the public, or an account with an [`AccountRole`] and a
//! [`Scope`]); the record is described by its [`Reach`] (workflow state, reporting
//! organisation, states taking part, who submitted it); [`decide`] answers `Ok` or a
//! [`Refusal`]. Two principles run through the answers:
//!
//! - A record an actor may not read does not exist for them: reading, editing or moving it is
//!   refused as [`Refusal::NotFound`], the very answer of a missing record, so neither the
//!   public nor an account of another scope learns that an unpublished record exists.
//! - Four eyes: no account validates a record it submitted itself.
//!
//! What [`decide`] answers, as [`table`] computes it (a test keeps this copy equal to it).
//! "in scope": only records of the account's scope; "yes": any record. Every account here has
//! the scope of one state, so analysts' and administrators' "yes" shows that they are
//! agency-wide whatever their scope says.
//!
//! | Action                  | Public | Viewer   | Editor   | Agency analyst | Administrator |
//! |-------------------------|--------|----------|----------|----------------|---------------|
//! | read published          | yes    | yes      | yes      | yes            | yes           |
//! | read unpublished        | no     | in scope | in scope | yes            | yes           |
//! | create                  | no     | no       | in scope | yes            | yes           |
//! | edit                    | no     | no       | in scope | yes            | yes           |
//! | submit                  | no     | no       | in scope | yes            | yes           |
//! | validate                | no     | no       | no       | yes            | yes           |
//! | validate own submission | no     | no       | no       | no             | no            |
//! | publish                 | no     | no       | no       | yes            | yes           |
//! | back to draft           | no     | no       | in scope | yes            | yes           |
//! | manage accounts         | no     | no       | no       | no             | yes           |

use std::fmt;

use crate::Lang;
use crate::code::MxStateCode;
use crate::ids::OrgKey;
use crate::kinds::{AccountRole, WorkflowState};
use crate::organisation::Organisation;
use crate::problem::{Expected, Problem, Rule};

/// The records an account works on. Viewers and editors are held to it; analysts and
/// administrators work on every record whatever their scope says.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Every record.
    All,
    /// The records an organisation reports.
    Organisation(OrgKey),
    /// The records in which the government or a body of a state, or of one of its
    /// municipalities, takes part (see [`activity_states`]).
    State(MxStateCode),
}

impl Scope {
    /// Reads `all`, `org:KEY` (an organisation key), `state:07` (an INEGI code) or
    /// `state:MX-CHP` (an ISO 3166-2 code); the words and the ISO code in any case. Anything
    /// else is a problem at `scope`.
    pub fn parse(value: &str) -> Result<Scope, Problem> {
        let v = value.trim();
        if v.is_empty() {
            return Err(Problem::new("scope", None, Rule::Required));
        }
        let malformed = || Problem::new("scope", Some(value), Rule::Format { expected: Expected::Scope });
        if v.eq_ignore_ascii_case("all") {
            return Ok(Scope::All);
        }
        let (kind, rest) = v.split_once(':').ok_or_else(malformed)?;
        match kind.trim().to_ascii_lowercase().as_str() {
            // A key of the wrong shape keeps its own rule, which says what a key looks like.
            "org" => OrgKey::parse(rest).map(Scope::Organisation).map_err(|p| match p.rule {
                Rule::Required => malformed(),
                rule => Problem::new("scope", Some(value), rule),
            }),
            // The ISO 3166-2 codes are the compiled table of `codelists::mx_state_by_iso`.
            "state" => MxStateCode::parse_any(rest).map(Scope::State).map_err(|_| malformed()),
            _ => Err(malformed()),
        }
    }

    /// Whether the record is in this scope: its reporting organisation is the scope's, or one
    /// of its states is.
    pub fn covers(&self, reach: &Reach) -> bool {
        match self {
            Scope::All => true,
            Scope::Organisation(org) => reach.reporting_org.as_ref() == Some(org),
            Scope::State(state) => reach.states.contains(state),
        }
    }

    /// The scope for people: `Todo el registro`, `Organización: amexcid`, `Entidad: Chiapas (07)`.
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Scope::All => lang.pick("Todo el registro", "The whole registry").to_owned(),
            Scope::Organisation(org) => format!("{}: {org}", lang.pick("Organización", "Organisation")),
            Scope::State(state) => {
                format!("{}: {} ({state})", lang.pick("Entidad", "State"), state.entry().name(lang))
            }
        }
    }
}

/// The canonical form [`Scope::parse`] reads back: `all`, `org:KEY`, `state:07`.
impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scope::All => f.write_str("all"),
            Scope::Organisation(org) => write!(f, "org:{org}"),
            Scope::State(state) => write!(f, "state:{state}"),
        }
    }
}

stored_as_text!(Scope, |scope| &scope.to_string(), Scope::parse);

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Nobody signed in.
    Public,
    /// A signed-in account.
    Account {
        /// The account's name, unique in the registry; the four-eyes rule compares it with
        /// [`Reach::submitted_by`].
        name: String,
        role: AccountRole,
        scope: Scope,
    },
}

impl Actor {
    pub fn account(name: impl Into<String>, role: AccountRole, scope: Scope) -> Actor {
        Actor::Account { name: name.into(), role, scope }
    }

    /// The account's name; `None` for the public.
    pub fn name(&self) -> Option<&str> {
        match self {
            Actor::Public => None,
            Actor::Account { name, .. } => Some(name),
        }
    }

    pub fn role(&self) -> Option<AccountRole> {
        match self {
            Actor::Public => None,
            Actor::Account { role, .. } => Some(*role),
        }
    }

    pub fn scope(&self) -> Option<&Scope> {
        match self {
            Actor::Public => None,
            Actor::Account { scope, .. } => Some(scope),
        }
    }

    pub fn is_signed_in(&self) -> bool {
        matches!(self, Actor::Account { .. })
    }
}

/// What the server knows of a record to decide on it. For [`Action::Create`] it describes the
/// new record; for [`Action::ManageAccounts`] it is not consulted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reach {
    /// The record's state now (for a new record, the state it is created in).
    pub workflow: WorkflowState,
    /// The organisation that reports the record, where it has one.
    pub reporting_org: Option<OrgKey>,
    /// The INEGI states of the record's participating organisations that are state or
    /// municipal governments or bodies, as [`activity_states`] finds them.
    pub states: Vec<MxStateCode>,
    /// The account that moved the record to submitted, when known.
    pub submitted_by: Option<String>,
}

impl Reach {
    /// A record in `workflow` with nothing else known: in the scope of no organisation or state.
    pub fn new(workflow: WorkflowState) -> Reach {
        Reach { workflow, reporting_org: None, states: Vec::new(), submitted_by: None }
    }
}

/// What the actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// See a record (its page, its API document, its file).
    Read,
    /// Write a new record, described by the reach, in the state the reach gives.
    Create,
    /// Change a record's content. An edit that also changes its workflow state is an edit and
    /// a [`Action::Transition`]: ask for both.
    Edit,
    /// Move a record from one workflow state to another (`from` is the state it is in).
    Transition { from: WorkflowState, to: WorkflowState },
    /// Create, change or remove accounts.
    ManageAccounts,
}

impl Action {
    /// What the action does, as refusals name it: `validar`, `publish`.
    pub fn label(self, lang: Lang) -> &'static str {
        use WorkflowState::*;
        match self {
            Action::Read => lang.pick("leer este registro", "read this record"),
            Action::Create => lang.pick("crear registros", "create records"),
            Action::Edit => lang.pick("editar registros", "edit records"),
            Action::Transition { to: Draft, .. } => lang.pick("devolver a borrador", "send back to draft"),
            Action::Transition { to: Submitted, .. } => lang.pick("enviar a validación", "submit for validation"),
            Action::Transition { to: Validated, .. } => lang.pick("validar", "validate"),
            Action::Transition { to: Published, .. } => lang.pick("publicar", "publish"),
            Action::ManageAccounts => lang.pick("administrar cuentas", "manage accounts"),
        }
    }
}

/// Why an action was refused. [`Refusal::code`] is stable, for JSON APIs.
///
/// Handlers answer [`Refusal::NotFound`] exactly as they answer a record that does not exist
/// (404, the same page or body), [`Refusal::SignInRequired`] by asking to sign in, and the
/// others as forbidden, with [`Refusal::message`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The public may only read published records.
    SignInRequired,
    /// The actor may not read the record: for them it does not exist.
    NotFound,
    /// The record is outside the account's scope.
    OutOfScope { scope: Scope },
    /// The account's role never does this.
    RoleCannot { role: AccountRole, action: Action },
    /// The workflow has no such step from the record's state ([`WorkflowState::can_move_to`]).
    NotAStep { from: WorkflowState, to: WorkflowState },
    /// Four eyes: the account submitted this record, someone else must validate it.
    OwnSubmission,
}

impl Refusal {
    /// The stable code of the reason: `sign-in-required`, `not-found`, `out-of-scope`,
    /// `role-cannot`, `not-a-step`, `own-submission`.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::SignInRequired => "sign-in-required",
            Refusal::NotFound => "not-found",
            Refusal::OutOfScope { .. } => "out-of-scope",
            Refusal::RoleCannot { .. } => "role-cannot",
            Refusal::NotAStep { .. } => "not-a-step",
            Refusal::OwnSubmission => "own-submission",
        }
    }

    /// The reason in plain words.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Refusal::SignInRequired => lang.pick("inicie sesión para hacer esto", "sign in to do this").to_owned(),
            Refusal::NotFound => lang.pick("no existe ese registro", "there is no such record").to_owned(),
            Refusal::OutOfScope { scope } => match lang {
                Lang::Es => format!("el registro está fuera de su ámbito ({})", scope.label(lang)),
                Lang::En => format!("the record is outside your scope ({})", scope.label(lang)),
            },
            Refusal::RoleCannot { role, action } => match lang {
                Lang::Es => format!("el rol «{}» no puede {}", role.label(lang), action.label(lang)),
                Lang::En => format!("the “{}” role cannot {}", role.label(lang), action.label(lang)),
            },
            Refusal::NotAStep { from, to } => match lang {
                Lang::Es => format!("un registro no puede pasar de «{}» a «{}»", from.label(lang), to.label(lang)),
                Lang::En => format!("a record cannot move from “{}” to “{}”", from.label(lang), to.label(lang)),
            },
            Refusal::OwnSubmission => lang
                .pick(
                    "usted envió este registro: otra persona debe validarlo",
                    "you submitted this record: someone else must validate it",
                )
                .to_owned(),
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl std::error::Error for Refusal {}

/// Whether `actor` may do `action` on the record described by `reach` (the table of the
/// module's documentation). The checks, in order:
///
/// 1. a record the actor may not read is [`Refusal::NotFound`] for reading, editing or moving
///    it: published records are everyone's, the others those of the account's scope (all of
///    them for analysts and administrators);
/// 2. the public does nothing but read;
/// 3. a transition must be a step of the workflow from the record's state;
/// 4. the role must allow the action; creating a record in a later state than draft also
///    needs the role to allow the step into that state (an editor creates drafts and
///    submissions, never validated or published records);
/// 5. viewers and editors act only in their scope;
/// 6. four eyes: nobody validates a record they submitted.
pub fn decide(actor: &Actor, action: &Action, reach: &Reach) -> Result<(), Refusal> {
    let on_a_record = matches!(action, Action::Read | Action::Edit | Action::Transition { .. });
    if on_a_record && !may_read(actor, reach) {
        return Err(Refusal::NotFound);
    }
    if *action == Action::Read {
        return Ok(());
    }
    let Actor::Account { name, role, scope } = actor else {
        return Err(Refusal::SignInRequired);
    };
    let role = *role;
    if let Action::Transition { from, to } = *action
        && (from != reach.workflow || !from.can_move_to(to))
    {
        return Err(Refusal::NotAStep { from: reach.workflow, to });
    }
    if !role_may(role, *action) {
        return Err(Refusal::RoleCannot { role, action: *action });
    }
    if *action == Action::Create
        && let Some(step) = step_into(reach.workflow)
        && !role_may(role, step)
    {
        return Err(Refusal::RoleCannot { role, action: step });
    }
    if !agency_wide(role) && !scope.covers(reach) {
        return Err(Refusal::OutOfScope { scope: scope.clone() });
    }
    let validates = matches!(action, Action::Transition { to: WorkflowState::Validated, .. });
    if validates && reach.submitted_by.as_deref() == Some(name.as_str()) {
        return Err(Refusal::OwnSubmission);
    }
    Ok(())
}

/// Published records are everyone's; the others are read by agency-wide accounts and by
/// accounts whose scope covers them.
fn may_read(actor: &Actor, reach: &Reach) -> bool {
    if reach.workflow == WorkflowState::Published {
        return true;
    }
    match actor {
        Actor::Public => false,
        Actor::Account { role, scope, .. } => agency_wide(*role) || scope.covers(reach),
    }
}

/// Analysts and administrators work on every record, whatever their scope says.
fn agency_wide(role: AccountRole) -> bool {
    matches!(role, AccountRole::Analyst | AccountRole::Administrator)
}

/// What a role does at all, wherever the record is.
fn role_may(role: AccountRole, action: Action) -> bool {
    use WorkflowState::{Draft, Submitted};
    match role {
        AccountRole::Administrator => true,
        AccountRole::Analyst => action != Action::ManageAccounts,
        AccountRole::Editor => matches!(
            action,
            Action::Read | Action::Create | Action::Edit | Action::Transition { to: Submitted | Draft, .. }
        ),
        AccountRole::Viewer => action == Action::Read,
    }
}

/// The workflow step that brings a record into `state`; none into draft, where records start.
fn step_into(state: WorkflowState) -> Option<Action> {
    use WorkflowState::*;
    let from = match state {
        Draft => return None,
        Submitted => Draft,
        Validated => Submitted,
        Published => Validated,
    };
    Some(Action::Transition { from, to: state })
}

/// The state of an organisation for scopes: that of a state or municipal government or body
/// (a municipality's state when only the municipality is known); `None` for the others.
pub fn state_of(org: &Organisation) -> Option<MxStateCode> {
    if org.level().is_subnational() { org.mx_state() } else { None }
}

/// The states of the given organisations (an activity's participants) for [`Reach::states`]:
/// those of [`state_of`], sorted, each once.
pub fn activity_states<'a>(organisations: impl IntoIterator<Item = &'a Organisation>) -> Vec<MxStateCode> {
    let mut states: Vec<MxStateCode> = organisations.into_iter().filter_map(state_of).collect();
    states.sort();
    states.dedup();
    states
}

/// A line of the table: what is asked (every case must answer alike), and whether the record
/// was submitted by the asking account.
struct Row {
    en: &'static str,
    es: &'static str,
    cases: &'static [(Action, WorkflowState)],
    submitted_by_asker: bool,
}

const ROWS: &[Row] = {
    use Action::*;
    use WorkflowState::*;
    const VALIDATE: &[(Action, WorkflowState)] = &[(Transition { from: Submitted, to: Validated }, Submitted)];
    &[
        Row { en: "read published", es: "leer publicados", cases: &[(Read, Published)], submitted_by_asker: false },
        Row {
            en: "read unpublished",
            es: "leer no publicados",
            cases: &[(Read, Draft), (Read, Submitted), (Read, Validated)],
            submitted_by_asker: false,
        },
        Row { en: "create", es: "crear", cases: &[(Create, Draft)], submitted_by_asker: false },
        Row {
            en: "edit",
            es: "editar",
            cases: &[(Edit, Draft), (Edit, Submitted), (Edit, Validated), (Edit, Published)],
            submitted_by_asker: false,
        },
        Row {
            en: "submit",
            es: "enviar a validación",
            cases: &[(Transition { from: Draft, to: Submitted }, Draft)],
            submitted_by_asker: false,
        },
        Row { en: "validate", es: "validar", cases: VALIDATE, submitted_by_asker: false },
        Row {
            en: "validate own submission", es: "validar un envío propio", cases: VALIDATE, submitted_by_asker: true
        },
        Row {
            en: "publish",
            es: "publicar",
            cases: &[(Transition { from: Validated, to: Published }, Validated)],
            submitted_by_asker: false,
        },
        Row {
            en: "back to draft",
            es: "devolver a borrador",
            cases: &[
                (Transition { from: Submitted, to: Draft }, Submitted),
                (Transition { from: Validated, to: Draft }, Validated),
                (Transition { from: Published, to: Draft }, Published),
            ],
            submitted_by_asker: false,
        },
        Row {
            en: "manage accounts",
            es: "administrar cuentas",
            cases: &[(ManageAccounts, Draft)],
            submitted_by_asker: false,
        },
    ]
};

/// A cell of the table: allowed on every record, on those of the scope, on none — or on some
/// cases of the row and not others, which a row must never be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cell {
    Yes,
    InScope,
    No,
    Partly,
}

impl Cell {
    fn label(self, lang: Lang) -> &'static str {
        match self {
            Cell::Yes => lang.pick("sí", "yes"),
            Cell::InScope => lang.pick("en su ámbito", "in scope"),
            Cell::No => "no",
            Cell::Partly => lang.pick("en parte", "partly"),
        }
    }
}

/// What `actor` may do in `row`, asked of a record of Chiapas (07) and one of Oaxaca (20).
fn cell(actor: &Actor, row: &Row, inside: MxStateCode, outside: MxStateCode) -> Cell {
    let submitter = if row.submitted_by_asker { actor.name() } else { Some("someone-else") };
    let allowed = |state: MxStateCode| -> Vec<bool> {
        let reach = |workflow| Reach {
            workflow,
            reporting_org: None,
            states: vec![state],
            submitted_by: submitter.map(str::to_owned),
        };
        row.cases.iter().map(|(action, workflow)| decide(actor, action, &reach(*workflow)).is_ok()).collect()
    };
    let (inside, outside) = (allowed(inside), allowed(outside));
    let every = |v: &[bool]| v.iter().all(|ok| *ok);
    let none = |v: &[bool]| v.iter().all(|ok| !*ok);
    match (every(&inside), none(&inside), every(&outside), none(&outside)) {
        (true, _, true, _) => Cell::Yes,
        (true, _, _, true) => Cell::InScope,
        (_, true, _, true) => Cell::No,
        _ => Cell::Partly,
    }
}

/// The who-may-do-what table as Markdown, computed by asking [`decide`] for the public and an
/// account of each role, all of them with the scope of one state.
pub fn table(lang: Lang) -> String {
    // Compiled INEGI data: both codes exist.
    let chiapas = MxStateCode::parse("07").expect("07 is an INEGI state");
    let oaxaca = MxStateCode::parse("20").expect("20 is an INEGI state");
    let roles = [AccountRole::Viewer, AccountRole::Editor, AccountRole::Analyst, AccountRole::Administrator];
    let actors: Vec<Actor> = std::iter::once(Actor::Public)
        .chain(roles.iter().map(|role| Actor::account("asker", *role, Scope::State(chiapas))))
        .collect();
    let mut lines: Vec<Vec<String>> = Vec::new();
    let header = actors.iter().map(|a| match a.role() {
        None => lang.pick("Público", "Public").to_owned(),
        Some(role) => role.label(lang).to_owned(),
    });
    lines.push(std::iter::once(lang.pick("Acción", "Action").to_owned()).chain(header).collect());
    for row in ROWS {
        let cells = actors.iter().map(|a| cell(a, row, chiapas, oaxaca).label(lang).to_owned());
        lines.push(std::iter::once(lang.pick(row.es, row.en).to_owned()).chain(cells).collect());
    }
    render_markdown(&lines)
}

/// A Markdown table whose first line is the header, its columns padded to their widest cell.
fn render_markdown(lines: &[Vec<String>]) -> String {
    let columns = lines.first().map_or(0, Vec::len);
    let widths: Vec<usize> =
        (0..columns).map(|c| lines.iter().map(|l| l[c].chars().count()).max().unwrap_or(0)).collect();
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let mut out: Vec<String> = Vec::new();
    for (i, cells) in lines.iter().enumerate() {
        out.push(line(cells.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect()));
        if i == 0 {
            out.push(format!(
                "|{}|",
                widths.iter().map(|w| "-".repeat(w.saturating_add(2))).collect::<Vec<_>>().join("|")
            ));
        }
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::code::{CountryCode, MxMunicipalityCode, OrganisationTypeCode};
    use crate::kinds::Level;
    use crate::organisation::OrganisationParts;
    use crate::text::Text;
    use AccountRole::*;
    use Action::*;
    use WorkflowState::*;

    fn state(code: &str) -> MxStateCode {
        MxStateCode::parse(code).unwrap()
    }

    fn org(key: &str) -> OrgKey {
        OrgKey::parse(key).unwrap()
    }

    /// Ana, an account of Chiapas (07) with `role`.
    fn chiapas(role: AccountRole) -> Actor {
        Actor::account("ana", role, Scope::State(state("07")))
    }

    /// A record in `workflow` in which the given states (INEGI codes) take part.
    fn record(workflow: WorkflowState, states: &[&str]) -> Reach {
        Reach { states: states.iter().map(|s| state(s)).collect(), ..Reach::new(workflow) }
    }

    fn step(from: WorkflowState, to: WorkflowState) -> Action {
        Transition { from, to }
    }

    /// `decide`'s answer: `ok`, or the refusal's code.
    fn answer(actor: &Actor, action: Action, reach: &Reach) -> &'static str {
        match decide(actor, &action, reach) {
            Ok(()) => "ok",
            Err(refusal) => refusal.code(),
        }
    }

    #[test]
    fn the_table_in_the_docs_is_what_decide_answers() {
        let documented: Vec<&str> = include_str!("access.rs")
            .lines()
            .filter_map(|l| l.strip_prefix("//! "))
            .filter(|l| l.starts_with('|'))
            .collect();
        assert_eq!(table(Lang::En), documented.join("\n"));
        // The users' page prints both languages' tables.
        let page = include_str!("../../../docs/accounts.md");
        assert!(page.contains(&table(Lang::En)), "docs/accounts.md holds the English table as computed");
        assert!(page.contains(&table(Lang::Es)), "docs/accounts.md holds the Spanish table as computed");
        let spanish = table(Lang::Es);
        assert!(spanish.starts_with("| Acción "), "{spanish}");
        assert!(spanish.contains("| leer no publicados "), "{spanish}");
        assert!(!spanish.contains("en parte"), "every row answers alike in all its cases:\n{spanish}");
    }

    /// Each row of the table, for each column, with the reason of every refusal.
    #[test]
    fn every_row_answers_with_its_reason() {
        let (public, viewer, editor) = (Actor::Public, chiapas(Viewer), chiapas(Editor));
        let (analyst, admin) = (chiapas(Analyst), chiapas(Administrator));
        let mine = |w| record(w, &["07"]);
        let theirs = |w| record(w, &["20"]);
        #[rustfmt::skip]
        let cases: Vec<(&str, &Actor, Action, Reach, &str)> = vec![
            ("read published", &public, Read, theirs(Published), "ok"),
            ("read published", &viewer, Read, theirs(Published), "ok"),
            ("read published", &editor, Read, theirs(Published), "ok"),
            ("read unpublished", &public, Read, mine(Validated), "not-found"),
            ("read unpublished", &viewer, Read, mine(Submitted), "ok"),
            ("read unpublished", &viewer, Read, theirs(Draft), "not-found"),
            ("read unpublished", &editor, Read, mine(Validated), "ok"),
            ("read unpublished", &editor, Read, theirs(Validated), "not-found"),
            ("read unpublished", &analyst, Read, theirs(Draft), "ok"),
            ("read unpublished", &admin, Read, theirs(Submitted), "ok"),
            ("create", &public, Create, mine(Draft), "sign-in-required"),
            ("create", &viewer, Create, mine(Draft), "role-cannot"),
            ("create", &editor, Create, mine(Draft), "ok"),
            ("create", &editor, Create, theirs(Draft), "out-of-scope"),
            ("create", &analyst, Create, theirs(Draft), "ok"),
            ("create", &admin, Create, theirs(Draft), "ok"),
            ("edit", &public, Edit, theirs(Published), "sign-in-required"),
            ("edit", &public, Edit, mine(Draft), "not-found"),
            ("edit", &viewer, Edit, mine(Draft), "role-cannot"),
            ("edit", &viewer, Edit, theirs(Published), "role-cannot"),
            ("edit", &editor, Edit, mine(Published), "ok"),
            ("edit", &editor, Edit, theirs(Published), "out-of-scope"),
            ("edit", &editor, Edit, theirs(Draft), "not-found"),
            ("edit", &analyst, Edit, theirs(Validated), "ok"),
            ("edit", &admin, Edit, theirs(Submitted), "ok"),
            ("submit", &public, step(Draft, Submitted), mine(Draft), "not-found"),
            ("submit", &viewer, step(Draft, Submitted), mine(Draft), "role-cannot"),
            ("submit", &editor, step(Draft, Submitted), mine(Draft), "ok"),
            ("submit", &editor, step(Draft, Submitted), theirs(Draft), "not-found"),
            ("submit", &analyst, step(Draft, Submitted), theirs(Draft), "ok"),
            ("validate", &viewer, step(Submitted, Validated), mine(Submitted), "role-cannot"),
            ("validate", &editor, step(Submitted, Validated), mine(Submitted), "role-cannot"),
            ("validate", &analyst, step(Submitted, Validated), theirs(Submitted), "ok"),
            ("validate", &admin, step(Submitted, Validated), theirs(Submitted), "ok"),
            ("publish", &public, step(Validated, Published), mine(Validated), "not-found"),
            ("publish", &editor, step(Validated, Published), mine(Validated), "role-cannot"),
            ("publish", &analyst, step(Validated, Published), theirs(Validated), "ok"),
            ("publish", &admin, step(Validated, Published), theirs(Validated), "ok"),
            ("back to draft", &public, step(Published, Draft), mine(Published), "sign-in-required"),
            ("back to draft", &viewer, step(Submitted, Draft), mine(Submitted), "role-cannot"),
            ("back to draft", &editor, step(Published, Draft), mine(Published), "ok"),
            ("back to draft", &editor, step(Validated, Draft), mine(Validated), "ok"),
            ("back to draft", &editor, step(Published, Draft), theirs(Published), "out-of-scope"),
            ("back to draft", &analyst, step(Submitted, Draft), theirs(Submitted), "ok"),
            ("manage accounts", &public, ManageAccounts, mine(Draft), "sign-in-required"),
            ("manage accounts", &viewer, ManageAccounts, mine(Draft), "role-cannot"),
            ("manage accounts", &editor, ManageAccounts, mine(Draft), "role-cannot"),
            ("manage accounts", &analyst, ManageAccounts, mine(Draft), "role-cannot"),
            ("manage accounts", &admin, ManageAccounts, theirs(Draft), "ok"),
        ];
        for (row, actor, action, reach, expected) in cases {
            assert_eq!(answer(actor, action, &reach), expected, "{row}: {actor:?} {action:?} {reach:?}");
        }
    }

    #[test]
    fn four_eyes_on_validation() {
        let validate = step(Submitted, Validated);
        let submitted_by_ana = Reach { submitted_by: Some("ana".into()), ..record(Submitted, &["07"]) };
        for role in [Analyst, Administrator] {
            assert_eq!(decide(&chiapas(role), &validate, &submitted_by_ana), Err(Refusal::OwnSubmission), "{role}");
        }
        let bruno = Actor::account("bruno", Analyst, Scope::All);
        assert_eq!(decide(&bruno, &validate, &submitted_by_ana), Ok(()));
        assert_eq!(decide(&chiapas(Analyst), &step(Submitted, Draft), &submitted_by_ana), Ok(()), "only validating");
        assert_eq!(decide(&chiapas(Analyst), &validate, &record(Submitted, &[])), Ok(()), "submitter unknown");
    }

    #[test]
    fn an_editor_of_chiapas_is_refused_a_record_of_oaxaca() {
        let editor = chiapas(Editor);
        let oaxaca = |w| record(w, &["20"]);
        let out_of_scope = Err(Refusal::OutOfScope { scope: Scope::State(state("07")) });
        assert_eq!(decide(&editor, &Edit, &oaxaca(Draft)), Err(Refusal::NotFound), "unpublished: it does not exist");
        assert_eq!(decide(&editor, &step(Draft, Submitted), &oaxaca(Draft)), Err(Refusal::NotFound));
        assert_eq!(decide(&editor, &Edit, &oaxaca(Published)), out_of_scope);
        assert_eq!(decide(&editor, &Create, &oaxaca(Draft)), out_of_scope);
        assert_eq!(decide(&editor, &Edit, &record(Draft, &["07", "20"])), Ok(()), "a record of both states is theirs");
    }

    #[test]
    fn an_organisation_scope_is_the_reporting_organisation() {
        let editor = Actor::account("eva", Editor, Scope::parse("org:gob-chiapas").unwrap());
        let own = Reach { reporting_org: Some(org("gob-chiapas")), ..Reach::new(Draft) };
        let amexcid = Reach { reporting_org: Some(org("amexcid")), ..record(Draft, &["07"]) };
        assert_eq!(decide(&editor, &Edit, &own), Ok(()));
        assert_eq!(decide(&editor, &Edit, &amexcid), Err(Refusal::NotFound), "Chiapas takes part, AMEXCID reports");
        let everywhere = Actor::account("eva", Editor, Scope::All);
        assert_eq!(decide(&everywhere, &Create, &amexcid), Ok(()));
        assert_eq!(answer(&everywhere, step(Submitted, Validated), &record(Submitted, &[])), "role-cannot");
        let reader = Actor::account("olga", Viewer, Scope::All);
        assert_eq!(decide(&reader, &Read, &amexcid), Ok(()));
        assert_eq!(answer(&reader, Edit, &amexcid), "role-cannot");
    }

    #[test]
    fn transitions_are_workflow_steps_from_where_the_record_is() {
        let analyst = chiapas(Analyst);
        let refused = |from, to| Err(Refusal::NotAStep { from, to });
        assert_eq!(decide(&analyst, &step(Draft, Published), &record(Draft, &[])), refused(Draft, Published));
        assert_eq!(
            decide(&analyst, &step(Validated, Submitted), &record(Validated, &[])),
            refused(Validated, Submitted)
        );
        assert_eq!(
            decide(&analyst, &step(Draft, Submitted), &record(Submitted, &[])),
            refused(Submitted, Submitted),
            "the record moved on since the form was drawn"
        );
        assert_eq!(answer(&Actor::Public, step(Draft, Published), &record(Published, &[])), "sign-in-required");
    }

    #[test]
    fn creating_past_draft_needs_the_steps_into_that_state() {
        let editor = chiapas(Editor);
        let create = |w| decide(&editor, &Create, &record(w, &["07"]));
        assert_eq!(create(Submitted), Ok(()));
        assert_eq!(create(Validated), Err(Refusal::RoleCannot { role: Editor, action: step(Submitted, Validated) }));
        let published = create(Published).unwrap_err();
        assert_eq!(published, Refusal::RoleCannot { role: Editor, action: step(Validated, Published) });
        assert_eq!(published.message(Lang::Es), "el rol «Editor» no puede publicar");
        assert_eq!(decide(&chiapas(Analyst), &Create, &record(Published, &["20"])), Ok(()));
    }

    #[test]
    fn refusals_speak_both_languages_with_stable_codes() {
        let cases = [
            (Refusal::SignInRequired, "inicie sesión para hacer esto", "sign in to do this"),
            (Refusal::NotFound, "no existe ese registro", "there is no such record"),
            (
                Refusal::OutOfScope { scope: Scope::State(state("07")) },
                "el registro está fuera de su ámbito (Entidad: Chiapas (07))",
                "the record is outside your scope (State: Chiapas (07))",
            ),
            (
                Refusal::RoleCannot { role: Viewer, action: ManageAccounts },
                "el rol «Consulta» no puede administrar cuentas",
                "the “Viewer” role cannot manage accounts",
            ),
            (
                Refusal::NotAStep { from: Draft, to: Published },
                "un registro no puede pasar de «Borrador» a «Publicado»",
                "a record cannot move from “Draft” to “Published”",
            ),
            (
                Refusal::OwnSubmission,
                "usted envió este registro: otra persona debe validarlo",
                "you submitted this record: someone else must validate it",
            ),
        ];
        let mut codes: Vec<&str> = cases.iter().map(|(r, _, _)| r.code()).collect();
        for (refusal, es, en) in cases {
            assert_eq!(refusal.message(Lang::Es), es);
            assert_eq!(refusal.message(Lang::En), en);
            assert_eq!(refusal.to_string(), en);
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 6, "codes are distinct: {codes:?}");
    }

    #[test]
    fn scopes_parse_and_print_canonically() {
        let canonical = |input: &str| Scope::parse(input).map(|s| s.to_string()).unwrap_or_else(|p| p.to_string());
        assert_eq!(Scope::parse(" ALL "), Ok(Scope::All));
        assert_eq!(Scope::parse("org:amexcid"), Ok(Scope::Organisation(org("amexcid"))));
        assert_eq!(Scope::parse("state:07"), Ok(Scope::State(state("07"))));
        for input in ["state:07", "state:7", "state:MX-CHP", "State:mx-chp", " state: 07 "] {
            assert_eq!(canonical(input), "state:07", "{input}");
        }
        for input in ["all", "org:gob-chiapas", "state:20"] {
            assert_eq!(canonical(input), input);
        }
    }

    /// The ISO 3166-2 codes of the 32 federal entities and their INEGI codes.
    #[test]
    fn every_iso_code_of_a_state_is_a_scope() {
        #[rustfmt::skip]
        let iso = [
            ("MX-AGU", "01"), ("MX-BCN", "02"), ("MX-BCS", "03"), ("MX-CAM", "04"), ("MX-COA", "05"),
            ("MX-COL", "06"), ("MX-CHP", "07"), ("MX-CHH", "08"), ("MX-CMX", "09"), ("MX-DUR", "10"),
            ("MX-GUA", "11"), ("MX-GRO", "12"), ("MX-HID", "13"), ("MX-JAL", "14"), ("MX-MEX", "15"),
            ("MX-MIC", "16"), ("MX-MOR", "17"), ("MX-NAY", "18"), ("MX-NLE", "19"), ("MX-OAX", "20"),
            ("MX-PUE", "21"), ("MX-QUE", "22"), ("MX-ROO", "23"), ("MX-SLP", "24"), ("MX-SIN", "25"),
            ("MX-SON", "26"), ("MX-TAB", "27"), ("MX-TAM", "28"), ("MX-TLA", "29"), ("MX-VER", "30"),
            ("MX-YUC", "31"), ("MX-ZAC", "32"),
        ];
        for (code, inegi) in iso {
            assert_eq!(Scope::parse(&format!("state:{code}")), Ok(Scope::State(state(inegi))), "{code}");
            assert_eq!(Scope::parse(&format!("state:{}", code.to_lowercase())), Ok(Scope::State(state(inegi))));
        }
    }

    #[test]
    fn bad_scopes_say_what_is_accepted() {
        let messages = |input: &str| {
            let p = Scope::parse(input).unwrap_err();
            assert_eq!(p.path, "scope");
            (p.message(Lang::Es), p.message(Lang::En))
        };
        for input in ["everything", "state:33", "state:MX-XXX", "state:", "org:", "country:MX", "state"] {
            assert_eq!(
                messages(input),
                (
                    format!(
                        "scope: `{input}`: formato inválido, se esperaba un ámbito: all, org:CLAVE, state:07 o state:MX-CHP"
                    ),
                    format!(
                        "scope: `{input}`: invalid format, expected a scope: all, org:KEY, state:07 or state:MX-CHP"
                    ),
                ),
            );
        }
        assert_eq!(
            messages("org:Gob Chiapas"),
            (
                "scope: `org:Gob Chiapas`: formato inválido, se esperaba una clave en minúsculas con letras, dígitos y guiones (p. ej. gob-chiapas)".to_owned(),
                "scope: `org:Gob Chiapas`: invalid format, expected a lowercase key of letters, digits and dashes (e.g. gob-chiapas)".to_owned(),
            ),
            "a key of the wrong shape says what a key looks like"
        );
        assert_eq!(messages(" "), ("scope: campo obligatorio".to_owned(), "scope: required field".to_owned()));
    }

    #[test]
    fn scopes_have_labels_and_a_stored_form() {
        assert_eq!(Scope::All.label(Lang::Es), "Todo el registro");
        assert_eq!(Scope::Organisation(org("amexcid")).label(Lang::En), "Organisation: amexcid");
        assert_eq!(Scope::State(state("20")).label(Lang::Es), "Entidad: Oaxaca (20)");
        assert_eq!(serde_json::to_string(&Scope::State(state("07"))).unwrap(), "\"state:07\"");
        assert_eq!(serde_json::from_str::<Scope>("\"state:MX-OAX\"").unwrap(), Scope::State(state("20")));
        assert!(serde_json::from_str::<Scope>("\"nowhere\"").is_err());
    }

    #[test]
    fn actors_say_who_they_are() {
        assert_eq!((Actor::Public.name(), Actor::Public.role(), Actor::Public.is_signed_in()), (None, None, false));
        let ana = chiapas(Editor);
        assert_eq!((ana.name(), ana.role(), ana.is_signed_in()), (Some("ana"), Some(Editor), true));
        assert_eq!(ana.scope(), Some(&Scope::State(state("07"))));
        assert_eq!(AccountRole::parse("Analyst"), Ok(Analyst));
        assert_eq!(Analyst.label(Lang::Es), "Analista de la agencia");
    }

    fn organisation(key: &str, level: Level, state: Option<&str>, municipality: Option<&str>) -> Organisation {
        Organisation::new(OrganisationParts {
            key: org(key),
            iati_ref: None,
            name: Text::es_en("Organización", "Organisation"),
            acronym: None,
            kind: OrganisationTypeCode::parse("10").unwrap(),
            level,
            country: Some(CountryCode::parse("MX").unwrap()),
            mx_state: state.map(|s| MxStateCode::parse(s).unwrap()),
            mx_municipality: municipality.map(|m| MxMunicipalityCode::parse(m).unwrap()),
            parent: None,
        })
        .unwrap()
    }

    #[test]
    fn the_states_of_an_activity_are_those_of_its_subnational_participants() {
        let participants = [
            organisation("amexcid", Level::Federal, None, None),
            organisation("mun-oaxaca", Level::Municipal, Some("20"), Some("20067")),
            organisation("gob-chiapas", Level::State, Some("07"), None),
            organisation("mun-tuxtla", Level::Municipal, Some("07"), Some("07101")),
            organisation("ong-tabasco", Level::NonGovernmental, Some("27"), None),
        ];
        assert_eq!(activity_states(&participants), vec![state("07"), state("20")]);
        assert_eq!(activity_states(participants.iter().take(1)), vec![]);
        assert_eq!(state_of(&participants[1]), Some(state("20")));
        assert_eq!(state_of(&participants[4]), None, "a non-governmental body is in no state's scope");
    }
}
