//! `coopera action|agreement|membership list|show|add` and `coopera action template`: the
//! international action of states and municipalities — actions abroad, inter-institutional
//! agreements and memberships of networks. Whether an agreement is in force, or a membership current, is derived on a date
//! (`Agreement::standing`, `NetworkMembership::standing`), never typed.

use std::collections::HashMap;

use coopera_domain::Lang;
use coopera_domain::code::{CountryCode, MxStateCode};
use coopera_domain::doc::{ActionDoc, AgreementDoc, DatasetDoc, MembershipDoc, parse_date};
use coopera_domain::ids::{OrgKey, RecordKey};
use coopera_domain::kinds::{ActionKind, AgreementStanding};
use coopera_domain::organisation::Organisation;
use coopera_domain::subnational::{Agreement, NetworkMembership, OrgStates, SubnationalAction};
use coopera_import::sheets::Book;
use coopera_store::{Existing, Record, RecordKind, Store, StoreError};
use time::Date;

use super::activity::{Adding, add};
use super::catalog::lines;
use super::{Ctx, Failure, entering, print_doc, print_table, sheets};
use crate::cli::{
    ActionCommand, ActionListArgs, AgreementCommand, AgreementListArgs, MembershipCommand, MembershipListArgs, OnArg,
    RecordAddArgs, RecordShowArgs,
};
use crate::output::Table;

pub fn run_action(ctx: &Ctx, cmd: ActionCommand) -> Result<(), Failure> {
    match cmd {
        ActionCommand::List(args) => list_actions(ctx, args),
        ActionCommand::Show(args) => show::<SubnationalAction>(ctx, &args),
        ActionCommand::Add(args) => add_file(ctx, &args),
        ActionCommand::Transition(args) => super::record_transition(ctx, RecordKind::Action, &args),
        ActionCommand::Template { out } => sheets::template(ctx, &out, Book::Subnational),
        ActionCommand::Export { out, state } => export(ctx, &out, state.as_deref()),
    }
}

/// `action export --out FILE.xlsx [--state 07]`: the records of states and municipalities in
/// the template's layout, a state's alone with `--state`.
fn export(ctx: &Ctx, out: &std::path::Path, state: Option<&str>) -> Result<(), Failure> {
    let lang = ctx.lang;
    let state = parse_state(state, lang)?;
    let store = ctx.open_existing()?;
    let states = Orgs::load(ctx, &store)?.states();
    let fail = |e| Failure::store(e, lang);
    let mut records: Vec<Record> = Vec::new();
    let mine = |s: Option<MxStateCode>| state.is_none_or(|want| s == Some(want));
    records.extend(store.actions().map_err(fail)?.into_iter().filter(|a| mine(a.state(&states))).map(Record::Action));
    records.extend(
        store
            .agreements()
            .map_err(fail)?
            .into_iter()
            .filter(|a| state.is_none_or(|want| a.states(&states).contains(&want)))
            .map(Record::Agreement),
    );
    records.extend(
        store.memberships().map_err(fail)?.into_iter().filter(|m| mine(m.state(&states))).map(Record::Membership),
    );
    let bytes = coopera_import::sheets::export(&records, lang).map_err(|e| Failure::one(e.to_string()))?;
    sheets::write(ctx, out, &bytes)
}

pub fn run_agreement(ctx: &Ctx, cmd: AgreementCommand) -> Result<(), Failure> {
    match cmd {
        AgreementCommand::List(args) => list_agreements(ctx, args),
        AgreementCommand::Show(args) => show::<Agreement>(ctx, &args),
        AgreementCommand::Add(args) => add_file(ctx, &args),
        AgreementCommand::Transition(args) => super::record_transition(ctx, RecordKind::Agreement, &args),
    }
}

pub fn run_membership(ctx: &Ctx, cmd: MembershipCommand) -> Result<(), Failure> {
    match cmd {
        MembershipCommand::List(args) => list_memberships(ctx, args),
        MembershipCommand::Show(args) => show::<NetworkMembership>(ctx, &args),
        MembershipCommand::Add(args) => add_file(ctx, &args),
        MembershipCommand::Transition(args) => super::record_transition(ctx, RecordKind::Membership, &args),
    }
}

/// `add --file`: the one path of every file, as `catalog add` and `activity add` take it —
/// all or nothing, references to the registry checked, activities entering as drafts; a
/// spreadsheet of actions, agreements and memberships (the layout of `action template`)
/// through the one path of spreadsheets, every problem at its sheet, row and column.
fn add_file(ctx: &Ctx, args: &RecordAddArgs) -> Result<(), Failure> {
    let existing = if args.update { Existing::Update } else { Existing::Refuse };
    if sheets::is_spreadsheet(&args.file) {
        return sheets::add(ctx, &args.file, existing, Book::Subnational, entering(args.publish));
    }
    add(ctx, &args.file, Adding { existing, workflow: entering(args.publish) })
}

/// `--state`: an INEGI code (`07`, `7`) or an ISO 3166-2 code (`MX-CHP`).
pub(super) fn parse_state(value: Option<&str>, lang: Lang) -> Result<Option<MxStateCode>, Failure> {
    value.map(MxStateCode::parse_any).transpose().map_err(Failure::at_flag("--state", lang))
}

/// `--on`, or today (UTC) when not given.
fn parse_on(on: &OnArg, lang: Lang) -> Result<Date, Failure> {
    match on.on.as_deref() {
        Some(day) => parse_date(day).map_err(Failure::at_flag("--on", lang)),
        None => Ok(time::OffsetDateTime::now_utc().date()),
    }
}

/// The registry's organisations by key: the names and states the lists show and filter by.
pub(super) struct Orgs(HashMap<String, Organisation>);

impl Orgs {
    pub(super) fn load(ctx: &Ctx, store: &Store) -> Result<Orgs, Failure> {
        let orgs = store.organisations().map_err(|e| Failure::store(e, ctx.lang))?;
        Ok(Orgs(orgs.into_iter().map(|o| (o.key().to_string(), o)).collect()))
    }

    pub(super) fn name(&self, key: &OrgKey, lang: Lang) -> String {
        self.0.get(key.as_str()).map(|o| o.parts().name.best(lang).to_owned()).unwrap_or_default()
    }

    /// "Name (key)".
    pub(super) fn named(&self, key: &OrgKey, lang: Lang) -> String {
        format!("{} ({key})", self.name(key, lang))
    }

    /// The state of each organisation, as scopes give it (`access::state_of`).
    pub(super) fn states(&self) -> OrgStates {
        OrgStates::new(self.0.values())
    }

    /// A filter's organisation must exist: an unknown key is a mistake, not an empty list.
    /// The organisation of a key, if the registry holds it.
    pub(super) fn get(&self, key: &OrgKey) -> Option<&Organisation> {
        self.0.get(key.as_str())
    }

    fn require(&self, flag: &str, key: Option<&str>, lang: Lang) -> Result<(), Failure> {
        match key {
            Some(key) if !self.0.contains_key(key) => Err(Failure::one(match lang {
                Lang::Es => format!("{flag}: no existe la organización `{key}` (`coopera org list` las muestra)"),
                Lang::En => format!("{flag}: there is no organisation `{key}` (`coopera org list` shows them)"),
            })),
            _ => Ok(()),
        }
    }
}

/// An action's day, or its first and last days.
fn days(date: Date, end: Option<Date>) -> String {
    match end {
        Some(end) if end != date => format!("{date} – {end}"),
        _ => date.to_string(),
    }
}

pub(super) fn keys<K: std::fmt::Display>(keys: &[K]) -> String {
    keys.iter().map(|k| k.to_string()).collect::<Vec<_>>().join(", ")
}

/// The first words of a text, up to about `max` characters, for a list's column.
pub(super) fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let words = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", words.trim_end_matches([',', ';', ':', '.']))
}

fn country(code: Option<CountryCode>, lang: Lang) -> String {
    code.map(|c| format!("{} ({c})", c.entry().name(lang))).unwrap_or_default()
}

fn list_actions(ctx: &Ctx, args: ActionListArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let state = parse_state(args.state.as_deref(), lang)?;
    let kind = args.kind.as_deref().map(ActionKind::parse).transpose().map_err(Failure::at_flag("--kind", lang))?;
    let country =
        args.country.as_deref().map(CountryCode::parse).transpose().map_err(Failure::at_flag("--country", lang))?;
    let store = ctx.open_existing()?;
    let orgs = Orgs::load(ctx, &store)?;
    let states = orgs.states();
    let mut actions = store.actions().map_err(|e| Failure::store(e, lang))?;
    actions.retain(|a| {
        let p = a.parts();
        state.is_none_or(|s| a.state(&states) == Some(s))
            && kind.is_none_or(|k| p.kind == k)
            && country.is_none_or(|c| p.country == Some(c))
    });
    actions.sort_by(|a, b| (a.parts().date, &a.parts().key).cmp(&(b.parts().date, &b.parts().key)));
    let mut t = Table::new(&[
        ("key", ctx.pick("Clave", "Key"), false),
        ("actor", ctx.pick("Actor", "Actor"), false),
        ("actor_name", ctx.pick("Nombre del actor", "Actor's name"), false),
        ("kind", ctx.pick("Tipo", "Kind"), false),
        ("date", ctx.pick("Fecha", "Date"), false),
        ("country", ctx.pick("País", "Country"), false),
        ("city", ctx.pick("Ciudad", "City"), false),
        ("counterpart", ctx.pick("Contraparte", "Counterpart"), false),
        ("purpose", ctx.pick("Propósito", "Purpose"), false),
        ("cross_border", ctx.pick("Agenda transfronteriza", "Cross-border agenda"), false),
    ]);
    for a in &actions {
        let p = a.parts();
        t.push(vec![
            p.key.to_string().into(),
            p.actor.to_string().into(),
            orgs.name(&p.actor, lang).into(),
            p.kind.label(lang).into(),
            p.date.to_string().into(),
            p.country.map(|c| c.to_string()).unwrap_or_default().into(),
            p.city.clone().unwrap_or_default().into(),
            p.counterpart.clone().unwrap_or_default().into(),
            short(p.purpose.best(lang), 60).into(),
            p.cross_border.as_ref().map(|c| c.codes()).unwrap_or_default().into(),
        ]);
    }
    print_table(&t, args.format);
    Ok(())
}

fn list_agreements(ctx: &Ctx, args: AgreementListArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let state = parse_state(args.state.as_deref(), lang)?;
    let on = parse_on(&args.on, lang)?;
    let wanted = match (args.in_force, args.expired) {
        (true, _) => Some(AgreementStanding::InForce),
        (_, true) => Some(AgreementStanding::Expired),
        _ => None,
    };
    let store = ctx.open_existing()?;
    let orgs = Orgs::load(ctx, &store)?;
    let states = orgs.states();
    let mut agreements = store.agreements().map_err(|e| Failure::store(e, lang))?;
    agreements
        .retain(|a| wanted.is_none_or(|w| a.standing(on) == w) && state.is_none_or(|s| a.states(&states).contains(&s)));
    agreements.sort_by(|a, b| (a.parts().signed, &a.parts().key).cmp(&(b.parts().signed, &b.parts().key)));
    let standing = format!("{} {on}", ctx.pick("Situación al", "Standing on"));
    let mut t = Table::new(&[
        ("key", ctx.pick("Clave", "Key"), false),
        ("title", ctx.pick("Acuerdo", "Agreement"), false),
        ("parties", ctx.pick("Partes", "Parties"), false),
        ("signed", ctx.pick("Firma", "Signed"), false),
        ("valid_until", ctx.pick("Vigente hasta", "Valid until"), false),
        ("standing", &standing, false),
        ("registration_number", ctx.pick("Registro", "Registration"), false),
    ]);
    for a in &agreements {
        let p = a.parts();
        t.push(vec![
            p.key.to_string().into(),
            short(p.title.best(lang), 60).into(),
            keys(&p.parties).into(),
            p.signed.to_string().into(),
            p.valid_until.map(|d| d.to_string()).unwrap_or_default().into(),
            a.standing(on).label(lang).into(),
            p.registration_number.clone().unwrap_or_default().into(),
        ]);
    }
    print_table(&t, args.format);
    Ok(())
}

fn list_memberships(ctx: &Ctx, args: MembershipListArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let on = parse_on(&args.on, lang)?;
    let store = ctx.open_existing()?;
    let orgs = Orgs::load(ctx, &store)?;
    orgs.require("--network", args.network.as_deref(), lang)?;
    orgs.require("--member", args.member.as_deref(), lang)?;
    let mut memberships = store.memberships().map_err(|e| Failure::store(e, lang))?;
    memberships.retain(|m| {
        let p = m.parts();
        args.network.as_deref().is_none_or(|n| p.network.as_str() == n)
            && args.member.as_deref().is_none_or(|n| p.member.as_str() == n)
    });
    let standing = format!("{} {on}", ctx.pick("Situación al", "Standing on"));
    let mut t = Table::new(&[
        ("key", ctx.pick("Clave", "Key"), false),
        ("network", ctx.pick("Red", "Network"), false),
        ("member", ctx.pick("Miembro", "Member"), false),
        ("member_name", ctx.pick("Nombre del miembro", "Member's name"), false),
        ("since", ctx.pick("Desde", "Since"), false),
        ("until", ctx.pick("Hasta", "Until"), false),
        ("role", ctx.pick("Papel", "Role"), false),
        ("standing", &standing, false),
    ]);
    for m in &memberships {
        let p = m.parts();
        t.push(vec![
            p.key.to_string().into(),
            p.network.to_string().into(),
            p.member.to_string().into(),
            orgs.name(&p.member, lang).into(),
            p.since.map(|d| d.to_string()).unwrap_or_default().into(),
            p.until.map(|d| d.to_string()).unwrap_or_default().into(),
            p.role.clone().unwrap_or_default().into(),
            m.standing(on).label(lang).into(),
        ]);
    }
    print_table(&t, args.format);
    Ok(())
}

/// A record kind `show` prints: how it is read, named when missing, written back as a file
/// and described for people.
pub(super) trait Shown: Sized {
    /// `(es, en)`: "no existe {es} `key`", "there is no {en} `key`".
    const NOUN: (&'static str, &'static str);
    /// The command that lists them, and the pronoun that says so in Spanish.
    const LIST: (&'static str, &'static str);
    fn all(store: &Store) -> Result<Vec<Self>, StoreError>;
    fn key(&self) -> &RecordKey;
    /// The record as a dataset of one, the form `add --file` takes back.
    fn dataset(&self) -> DatasetDoc;
    fn describe(&self, ctx: &Ctx, orgs: &Orgs) -> String;
}

/// `show KEY`: the record as text, or as the file (TOML, JSON) that adds it back unchanged.
pub(super) fn show<R: Shown>(ctx: &Ctx, args: &RecordShowArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let store = ctx.open_existing()?;
    let found = R::all(&store).map_err(|e| Failure::store(e, lang))?.into_iter().find(|r| r.key().as_str() == args.key);
    let Some(record) = found else {
        let (key, (es, en), (list, them)) = (&args.key, R::NOUN, R::LIST);
        return Err(Failure::one(match lang {
            Lang::Es => format!("no existe {es} `{key}` (`coopera {list} list` {them} muestra)"),
            Lang::En => format!("there is no {en} `{key}` (`coopera {list} list` shows them)"),
        }));
    };
    let orgs = Orgs::load(ctx, &store)?;
    print_doc(&record.dataset(), args.format, || Ok(record.describe(ctx, &orgs)))
}

impl Shown for SubnationalAction {
    const NOUN: (&'static str, &'static str) = ("la acción", "action");
    const LIST: (&'static str, &'static str) = ("action", "las");

    fn all(store: &Store) -> Result<Vec<Self>, StoreError> {
        store.actions()
    }

    fn key(&self) -> &RecordKey {
        &self.parts().key
    }

    fn dataset(&self) -> DatasetDoc {
        DatasetDoc { actions: vec![ActionDoc::from_domain(self)], ..DatasetDoc::default() }
    }

    fn describe(&self, ctx: &Ctx, orgs: &Orgs) -> String {
        let (p, lang) = (self.parts(), ctx.lang);
        let place = [p.city.clone(), Some(country(p.country, lang)).filter(|c| !c.is_empty())];
        lines(
            format!("{}: {} ({})", p.kind.label(lang), orgs.name(&p.actor, lang), p.key),
            &[
                (ctx.pick("Actor", "Actor"), orgs.named(&p.actor, lang)),
                (ctx.pick("Tipo", "Kind"), p.kind.label(lang).to_owned()),
                (ctx.pick("Fecha", "Date"), days(p.date, p.end_date)),
                (ctx.pick("Destino", "Destination"), place.into_iter().flatten().collect::<Vec<_>>().join(", ")),
                (ctx.pick("Contraparte", "Counterpart"), p.counterpart.clone().unwrap_or_default()),
                (ctx.pick("Propósito", "Purpose"), p.purpose.best(lang).to_owned()),
                (ctx.pick("Resultado", "Outcome"), p.outcome.best(lang).to_owned()),
                (ctx.pick("Actividades vinculadas", "Linked activities"), keys(&p.activities)),
                (
                    ctx.pick("Agenda transfronteriza", "Cross-border agenda"),
                    p.cross_border.as_ref().map(|c| c.label(lang)).unwrap_or_default(),
                ),
            ],
        )
    }
}

impl Shown for Agreement {
    const NOUN: (&'static str, &'static str) = ("el acuerdo", "agreement");
    const LIST: (&'static str, &'static str) = ("agreement", "los");

    fn all(store: &Store) -> Result<Vec<Self>, StoreError> {
        store.agreements()
    }

    fn key(&self) -> &RecordKey {
        &self.parts().key
    }

    fn dataset(&self) -> DatasetDoc {
        DatasetDoc { agreements: vec![AgreementDoc::from_domain(self)], ..DatasetDoc::default() }
    }

    fn describe(&self, ctx: &Ctx, orgs: &Orgs) -> String {
        let (p, lang) = (self.parts(), ctx.lang);
        let today = time::OffsetDateTime::now_utc().date();
        let parties = p.parties.iter().map(|k| orgs.named(k, lang)).collect::<Vec<_>>().join("; ");
        let until = p.valid_until.map_or_else(|| ctx.pick("sin término", "open-ended").to_owned(), |d| d.to_string());
        lines(
            format!("{} ({})", p.title.best(lang), p.key),
            &[
                (ctx.pick("Partes", "Parties"), parties),
                (ctx.pick("Firma", "Signed"), p.signed.to_string()),
                (ctx.pick("Vigente hasta", "Valid until"), until),
                (ctx.pick("Situación hoy", "Standing today"), self.standing(today).label(lang).to_owned()),
                (ctx.pick("Ámbito", "Scope"), p.scope.best(lang).to_owned()),
                (ctx.pick("Registro", "Registration"), p.registration_number.clone().unwrap_or_default()),
                (ctx.pick("Actividades vinculadas", "Linked activities"), keys(&p.activities)),
            ],
        )
    }
}

impl Shown for NetworkMembership {
    const NOUN: (&'static str, &'static str) = ("la membresía", "membership");
    const LIST: (&'static str, &'static str) = ("membership", "las");

    fn all(store: &Store) -> Result<Vec<Self>, StoreError> {
        store.memberships()
    }

    fn key(&self) -> &RecordKey {
        &self.parts().key
    }

    fn dataset(&self) -> DatasetDoc {
        DatasetDoc { memberships: vec![MembershipDoc::from_domain(self)], ..DatasetDoc::default() }
    }

    fn describe(&self, ctx: &Ctx, orgs: &Orgs) -> String {
        let (p, lang) = (self.parts(), ctx.lang);
        let today = time::OffsetDateTime::now_utc().date();
        lines(
            format!("{} — {} ({})", orgs.name(&p.member, lang), orgs.name(&p.network, lang), p.key),
            &[
                (ctx.pick("Red", "Network"), orgs.named(&p.network, lang)),
                (ctx.pick("Miembro", "Member"), orgs.named(&p.member, lang)),
                (ctx.pick("Desde", "Since"), p.since.map(|d| d.to_string()).unwrap_or_default()),
                (ctx.pick("Hasta", "Until"), p.until.map(|d| d.to_string()).unwrap_or_default()),
                (ctx.pick("Papel", "Role"), p.role.clone().unwrap_or_default()),
                (ctx.pick("Situación hoy", "Standing today"), self.standing(today).label(lang).to_owned()),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_purpose_ends_at_a_word() {
        assert_eq!(short("Oficina de representación", 60), "Oficina de representación");
        assert_eq!(
            short("Oficina de representación para atender, a las personas", 32),
            "Oficina de representación para…"
        );
        assert_eq!(short("Misión técnica, para coordinar", 16), "Misión técnica…");
    }
}
