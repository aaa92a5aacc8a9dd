//! Checks of the demo dataset: it parses, every record passes the domain's checks, every
//! reference resolves, and it shows what the domain describes (thematic shares of the catalog,
//! concentration in Central America, South-South and triangular partners, the named facts).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use coopera_domain::activity::Activity;
use coopera_domain::code::CountryCode;
use coopera_domain::codelists::{self, MX_MUNICIPALITY};
use coopera_domain::doc::{ActivityDoc, DatasetDoc, OrganisationDoc};
use coopera_domain::ids::OrgKey;
use coopera_domain::kinds::{Direction, Instrument, Level, Modality, Role};
use coopera_domain::organisation::Organisation;
use rust_decimal::Decimal;

const CENTRAL_AMERICA: [&str; 7] = ["GT", "BZ", "HN", "SV", "NI", "CR", "PA"];
const CHIAPAS_SECRETARIAT: &str =
    "Secretaría de Relaciones Internacionales y Atención a Migrantes del Estado de Chiapas";

fn demo() -> Vec<(&'static str, DatasetDoc)> {
    coopera_demo::dataset().unwrap_or_else(|e| panic!("the demo does not parse: {e}"))
}

fn activity_docs() -> Vec<ActivityDoc> {
    demo().into_iter().flat_map(|(_, d)| d.activities).collect()
}

fn org_docs() -> BTreeMap<String, OrganisationDoc> {
    let (file, doc) = demo().into_iter().next().expect("at least one file");
    assert_eq!(file, "organisations.toml");
    doc.organisations.into_iter().map(|o| (o.key.clone(), o)).collect()
}

fn organisations() -> HashMap<OrgKey, Organisation> {
    org_docs()
        .into_values()
        .map(|o| {
            let key = o.key.clone();
            let org = o.into_domain().unwrap_or_else(|e| panic!("organisation {key}: {e:?}"));
            (org.key().clone(), org)
        })
        .collect()
}

fn activities() -> Vec<Activity> {
    activity_docs()
        .into_iter()
        .map(|a| {
            let id = a.id.clone();
            a.into_domain().unwrap_or_else(|e| panic!("activity {id}: {e:?}"))
        })
        .collect()
}

fn mx() -> CountryCode {
    CountryCode::parse("MX").expect("MX is a country")
}

fn direction(a: &Activity, orgs: &HashMap<OrgKey, Organisation>) -> Option<Direction> {
    a.derive(mx(), |k| orgs.get(k)).direction
}

fn org_country(orgs: &HashMap<OrgKey, Organisation>, key: &OrgKey) -> Option<&'static str> {
    orgs.get(key).and_then(|o| o.country()).map(|c| c.as_str())
}

/// The participants of an activity with a given role.
fn with_role(a: &Activity, role: Role) -> impl Iterator<Item = &OrgKey> {
    a.parts().participants.iter().filter(move |p| p.role == role).map(|p| &p.org)
}

fn title_es(a: &Activity) -> &str {
    a.parts().title.get("es").unwrap_or("")
}

// ---------------------------------------------------------------------------------------------
// Every file parses and every record passes the domain's checks.

#[test]
fn every_file_parses() {
    let files = demo();
    assert_eq!(files.len(), coopera_demo::FILES.len());
    for (file, doc) in &files {
        let records = doc.organisations.len()
            + doc.activities.len()
            + doc.capacities.len()
            + doc.demands.len()
            + doc.actions.len()
            + doc.agreements.len()
            + doc.memberships.len()
            + doc.practices.len();
        assert!(records > 0, "{file} holds no records");
    }
}

#[test]
fn every_record_passes_the_domain_checks() {
    let mut problems = Vec::new();
    let mut report = |file: &str, section: &str, i: usize, key: &str, r: Result<(), coopera_domain::Problems>| {
        if let Err(ps) = r {
            for p in ps.iter() {
                problems.push(format!("{file}: {section}[{i}] ({key}) {p}"));
            }
        }
    };
    for (file, doc) in demo() {
        for (i, x) in doc.organisations.into_iter().enumerate() {
            let key = x.key.clone();
            report(file, "organisation", i, &key, x.into_domain().map(drop));
        }
        for (i, x) in doc.activities.into_iter().enumerate() {
            let key = x.id.clone();
            report(file, "activity", i, &key, x.into_domain().map(drop));
        }
        for (i, x) in doc.capacities.into_iter().enumerate() {
            let key = x.key.clone();
            report(file, "capacity", i, &key, x.into_domain().map(drop));
        }
        for (i, x) in doc.demands.into_iter().enumerate() {
            let key = x.key.clone();
            report(file, "demand", i, &key, x.into_domain().map(drop));
        }
        for (i, x) in doc.actions.into_iter().enumerate() {
            let key = x.key.clone();
            report(file, "action", i, &key, x.into_domain().map(drop));
        }
        for (i, x) in doc.agreements.into_iter().enumerate() {
            let key = x.key.clone();
            report(file, "agreement", i, &key, x.into_domain().map(drop));
        }
        for (i, x) in doc.memberships.into_iter().enumerate() {
            let key = x.key.clone();
            report(file, "membership", i, &key, x.into_domain().map(drop));
        }
        for (i, x) in doc.practices.into_iter().enumerate() {
            let key = x.key.clone();
            report(file, "practice", i, &key, x.into_domain().map(drop));
        }
    }
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn no_withdrawn_codes() {
    let mut found = Vec::new();
    for a in activity_docs() {
        for s in a.sectors.iter().filter(|s| s.vocabulary.as_deref().is_none_or(|v| v == "1")) {
            if codelists::SECTOR.get(&s.code).is_some_and(|c| c.withdrawn) {
                found.push(format!("{}: sector {}", a.id, s.code));
            }
        }
        for c in &a.countries {
            if codelists::COUNTRY.get(&c.code).is_some_and(|c| c.withdrawn) {
                found.push(format!("{}: country {}", a.id, c.code));
            }
        }
        for r in &a.regions {
            if codelists::REGION.get(&r.code).is_some_and(|c| c.withdrawn) {
                found.push(format!("{}: region {}", a.id, r.code));
            }
        }
    }
    for (_, doc) in demo() {
        let sectors = doc
            .capacities
            .iter()
            .flat_map(|c| c.sectors.iter().map(move |s| (c.key.as_str(), s)))
            .chain(doc.demands.iter().flat_map(|d| d.sectors.iter().map(move |s| (d.key.as_str(), s))));
        for (key, s) in sectors {
            if codelists::SECTOR.get(&s.code).is_some_and(|c| c.withdrawn) {
                found.push(format!("{key}: sector {}", s.code));
            }
        }
    }
    assert!(found.is_empty(), "withdrawn codes: {found:?}");
}

// ---------------------------------------------------------------------------------------------
// References and identifiers.

#[test]
fn every_reference_resolves() {
    let files = demo();
    let orgs: BTreeSet<String> = org_docs().into_keys().collect();
    let activity_ids: BTreeSet<String> = activity_docs().into_iter().map(|a| a.id).collect();
    let mut missing = Vec::new();
    let mut org = |file: &str, place: String, key: &str| {
        if !orgs.contains(key) {
            missing.push(format!("{file}: {place} names unknown organisation `{key}`"));
        }
    };
    for (file, doc) in &files {
        for o in &doc.organisations {
            if let Some(parent) = &o.parent {
                org(file, format!("organisation {} parent", o.key), parent);
            }
        }
        for a in &doc.activities {
            org(file, format!("{} reporting_org", a.id), &a.reporting_org);
            for p in &a.participants {
                org(file, format!("{} participant", a.id), &p.org);
            }
            for t in &a.transactions {
                for party in [&t.provider, &t.receiver].into_iter().flatten() {
                    if let Some(k) = &party.org {
                        org(file, format!("{} transaction", a.id), k);
                    }
                }
            }
        }
        for c in &doc.capacities {
            org(file, format!("capacity {} institution", c.key), &c.institution);
        }
        for d in &doc.demands {
            org(file, format!("demand {} requester", d.key), &d.requester);
        }
        for a in &doc.actions {
            org(file, format!("action {} actor", a.key), &a.actor);
        }
        for g in &doc.agreements {
            for p in &g.parties {
                org(file, format!("agreement {} party", g.key), p);
            }
        }
        for m in &doc.memberships {
            org(file, format!("membership {} network", m.key), &m.network);
            org(file, format!("membership {} member", m.key), &m.member);
        }
        for g in &doc.practices {
            g.organisations.iter().for_each(|o| org(file, format!("practice {} organisation", g.key), o));
        }
    }
    let mut activity = |file: &str, place: String, id: &str| {
        if !activity_ids.contains(id) {
            missing.push(format!("{file}: {place} names unknown activity `{id}`"));
        }
    };
    for (file, doc) in &files {
        for c in &doc.capacities {
            c.evidence.iter().for_each(|id| activity(file, format!("capacity {} evidence", c.key), id));
        }
        for a in &doc.actions {
            a.activities.iter().for_each(|id| activity(file, format!("action {}", a.key), id));
        }
        for g in &doc.agreements {
            g.activities.iter().for_each(|id| activity(file, format!("agreement {}", g.key), id));
        }
        for g in &doc.practices {
            g.activities.iter().for_each(|id| activity(file, format!("practice {}", g.key), id));
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn organisations_are_defined_only_in_their_file() {
    for (file, doc) in demo().into_iter().skip(1) {
        assert!(doc.organisations.is_empty(), "{file} defines organisations");
    }
}

#[test]
fn keys_and_ids_are_unique() {
    let files = demo();
    let mut seen: BTreeMap<(&str, String), usize> = BTreeMap::new();
    for (_, doc) in &files {
        let keys = doc
            .organisations
            .iter()
            .map(|o| ("organisation", o.key.clone()))
            .chain(doc.activities.iter().map(|a| ("activity", a.id.clone())))
            .chain(doc.capacities.iter().map(|c| ("capacity", c.key.clone())))
            .chain(doc.demands.iter().map(|d| ("demand", d.key.clone())))
            .chain(doc.actions.iter().map(|a| ("action", a.key.clone())))
            .chain(doc.agreements.iter().map(|g| ("agreement", g.key.clone())))
            .chain(doc.memberships.iter().map(|m| ("membership", m.key.clone())))
            .chain(doc.practices.iter().map(|g| ("practice", g.key.clone())));
        for k in keys {
            *seen.entry(k).or_default() += 1;
        }
    }
    let repeated: Vec<_> = seen.iter().filter(|(_, n)| **n > 1).collect();
    assert!(repeated.is_empty(), "repeated keys: {repeated:?}");
    let ids = seen.keys().filter(|(kind, _)| *kind == "activity");
    for (_, id) in ids {
        let parts: Vec<_> = id.split('-').collect();
        assert!(
            parts.len() == 4 && parts[0] == "MX" && parts[2].len() == 4 && parts[3].len() == 4,
            "activity id {id} is not like MX-AMEXCID-2012-0001"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Size and variety.

#[test]
fn enough_activities_and_capacities() {
    let docs = demo();
    let activities: usize = docs.iter().map(|(_, d)| d.activities.len()).sum();
    let capacities: usize = docs.iter().map(|(_, d)| d.capacities.len()).sum();
    let demands: usize = docs.iter().map(|(_, d)| d.demands.len()).sum();
    assert!(activities >= 120, "{activities} activities");
    assert!(capacities >= 60, "{capacities} capacities");
    assert!(demands >= 8, "{demands} demands");
}

#[test]
fn every_modality_instrument_and_direction_is_represented() {
    let orgs = organisations();
    let all = activities();
    let modalities: BTreeSet<_> = all.iter().map(|a| a.parts().modality).collect();
    let instruments: BTreeSet<_> = all.iter().map(|a| a.parts().instrument).collect();
    let types: BTreeSet<_> = all.iter().map(|a| a.parts().cooperation_type).collect();
    let statuses: BTreeSet<_> = all.iter().map(|a| a.parts().status.as_str()).collect();
    assert_eq!(modalities.len(), Modality::ALL.len(), "{modalities:?}");
    assert_eq!(instruments.len(), Instrument::ALL.len(), "{instruments:?}");
    assert_eq!(types.len(), coopera_domain::kinds::CooperationType::ALL.len(), "{types:?}");
    assert!(statuses.len() >= 5, "{statuses:?}");

    let mut by_direction: BTreeMap<Option<Direction>, usize> = BTreeMap::new();
    let mut decentralised = 0;
    for a in &all {
        let d = a.derive(mx(), |k| orgs.get(k));
        *by_direction.entry(d.direction).or_default() += 1;
        decentralised += usize::from(d.decentralised);
    }
    assert_eq!(by_direction.get(&None), None, "every activity has a direction: {by_direction:?}");
    for d in Direction::ALL {
        assert!(by_direction.get(&Some(*d)).is_some_and(|n| *n >= 5), "{by_direction:?}");
    }
    assert!(decentralised >= 30, "{decentralised} decentralised activities");

    let years: Vec<i32> = all.iter().filter_map(|a| a.parts().dates.start()).map(|d| d.year()).collect();
    assert_eq!(years.len(), all.len(), "every activity has a start date");
    let in_range = years.iter().filter(|y| (2010..=2014).contains(*y)).count();
    assert!(in_range * 10 >= years.len() * 9, "most activities start in 2010–2014");
}

#[test]
fn money_in_kind_results_and_flags_appear() {
    let all = activities();
    let currencies: BTreeSet<&str> =
        all.iter().flat_map(|a| a.parts().transactions.iter().map(|t| t.value.currency.as_str())).collect();
    assert!(currencies.contains("USD") && currencies.contains("MXN"), "{currencies:?}");
    let count = |f: &dyn Fn(&Activity) -> bool| all.iter().filter(|a| f(a)).count();
    assert!(count(&|a| !a.parts().budgets.is_empty()) >= 10);
    assert!(count(&|a| a.parts().in_kind.iter().any(|k| k.value().is_some())) >= 20);
    assert!(count(&|a| !a.parts().results.iter().all(|r| r.indicators.is_empty())) >= 4);
    assert!(count(&|a| a.parts().good_practice.is_some()) >= 5);
    assert!(count(&|a| !a.parts().policy_markers.is_empty()) >= 20);
    assert!(count(&|a| !a.parts().sdgs.is_empty()) >= 20);
    let borders: BTreeSet<_> = all
        .iter()
        .filter_map(|a| a.parts().cross_border.as_ref())
        .filter(|c| !c.dimensions.is_empty())
        .map(|c| c.border)
        .collect();
    assert_eq!(borders.len(), 2, "cross-border activities on both borders");
    let dimensions: BTreeSet<_> =
        all.iter().filter_map(|a| a.parts().cross_border.as_ref()).flat_map(|c| c.dimensions.iter().copied()).collect();
    assert!(dimensions.len() >= 6, "{dimensions:?}");
}

// ---------------------------------------------------------------------------------------------
// The seed's figures.

#[test]
fn catalog_thematic_shares_are_the_seeds() {
    let capacities: Vec<_> = demo()
        .into_iter()
        .flat_map(|(_, d)| d.capacities)
        .map(|c| {
            let key = c.key.clone();
            c.into_domain().unwrap_or_else(|e| panic!("capacity {key}: {e:?}"))
        })
        .collect();
    let hundred = Decimal::ONE_HUNDRED;
    // Each capacity counts once, split over the thematic areas of its DAC sectors.
    let mut weights: BTreeMap<&str, Decimal> = BTreeMap::new();
    for c in &capacities {
        let mut total = Decimal::ZERO;
        for s in c.parts().sectors.iter().filter(|s| s.sector.vocabulary() == "1") {
            let area = codelists::thematic_area_of_sector(s.sector.code())
                .unwrap_or_else(|| panic!("{:?}: sector {} has no thematic area", c.parts().key, s.sector.code()));
            total += s.percent.value();
            *weights.entry(area.code).or_default() += s.percent.value() / hundred;
        }
        assert_eq!(total, hundred, "{:?}: DAC percentages add up to {total}", c.parts().key);
    }
    let n = Decimal::from(capacities.len());
    let share = |area: &str| weights.get(area).copied().unwrap_or_default() * hundred / n;
    assert_eq!(share("410"), Decimal::from(20), "Medio Ambiente");
    assert_eq!(share("150"), Decimal::from(15), "Gobierno y Sociedad Civil");
    assert_eq!(share("110"), Decimal::from(15), "Educación");
    assert_eq!(share("310"), Decimal::from(15), "Agricultura, Silvicultura y Pesca");
    let others: Vec<_> = weights.keys().filter(|a| !["410", "150", "110", "310"].contains(a)).collect();
    assert!(others.len() >= 5, "the other 35 % is spread: {others:?}");
    for area in others {
        assert!(share(area) <= Decimal::TEN, "area {area} has {}%", share(area));
    }
    let total: Decimal = weights.keys().map(|a| share(a)).sum();
    assert_eq!(total, hundred);
}

#[test]
fn given_cooperation_concentrates_in_central_america() {
    let orgs = organisations();
    let mut by_country: BTreeMap<&'static str, Decimal> = BTreeMap::new();
    let mut given = 0;
    for a in activities().iter().filter(|a| direction(a, &orgs) == Some(Direction::Given)) {
        given += 1;
        for c in &a.parts().countries {
            *by_country.entry(c.country.as_str()).or_default() += c.percent.value();
        }
        for r in &a.parts().regions {
            let region = if r.region.as_str() == "1032" { "Central America" } else { "other region" };
            *by_country.entry(region).or_default() += r.percent.value();
        }
    }
    let total: Decimal = by_country.values().sum();
    let central: Decimal = by_country
        .iter()
        .filter(|(c, _)| CENTRAL_AMERICA.contains(c) || **c == "Central America")
        .map(|(_, v)| *v)
        .sum();
    assert!(given >= 60, "{given} given activities");
    assert!(central * Decimal::TWO > total, "Central America has {central} of {total}: {by_country:?}");
    // Counted whole, as reports count: more than 70 % of the activities given reach Central
    // America (the seed's 71 %).
    let reaching = activities()
        .iter()
        .filter(|a| direction(a, &orgs) == Some(Direction::Given))
        .filter(|a| {
            a.parts().countries.iter().any(|c| CENTRAL_AMERICA.contains(&c.country.as_str()))
                || a.parts().regions.iter().any(|r| r.region.as_str() == "1032")
        })
        .count();
    assert!(reaching * 10 > given * 7, "{reaching} of {given} given activities reach Central America");
}

#[test]
fn received_cooperation_names_where_it_comes_from() {
    // The partner of cooperation received is its provider: each names one that is not Mexican
    // (a foreign country's agency, or an international organisation).
    let orgs = organisations();
    for a in activities().iter().filter(|a| direction(a, &orgs) == Some(Direction::Received)) {
        let foreign =
            a.parts().participants.iter().filter(|p| p.role.gives()).any(|p| {
                orgs.get(&p.org).is_some_and(|o| o.level() == Level::International || o.country() != Some(mx()))
            });
        assert!(foreign, "{}: received from whom?", a.key());
    }
}

#[test]
fn south_south_with_the_seeds_partners() {
    let orgs = organisations();
    let all = activities();
    for country in ["AR", "BR", "CL", "CO", "PE"] {
        let found = all.iter().filter(|a| a.parts().schemes.south_south).any(|a| {
            a.parts().countries.iter().any(|c| c.country.as_str() == country)
                || a.parts().participants.iter().any(|p| org_country(&orgs, &p.org) == Some(country))
        });
        assert!(found, "no South-South activity with {country}");
    }
}

#[test]
fn triangular_partners_include_germany_japan_spain_and_the_united_states() {
    let orgs = organisations();
    let mut partners = BTreeSet::new();
    for a in activities().iter().filter(|a| a.parts().modality == Modality::Triangular) {
        let first: Vec<_> = with_role(a, Role::FirstProvider).collect();
        assert!(first.iter().all(|k| org_country(&orgs, k) == Some("MX")), "{}: first provider is Mexican", a.key());
        for k in with_role(a, Role::Recipient) {
            let c = org_country(&orgs, k);
            assert!(c.is_some() && c != Some("MX"), "{}: the recipient is a third country", a.key());
        }
        partners.extend(with_role(a, Role::SecondProvider).filter_map(|k| org_country(&orgs, k)));
    }
    for country in ["DE", "JP", "ES", "US"] {
        assert!(partners.contains(country), "no triangular activity with {country}: {partners:?}");
    }
}

#[test]
fn received_cooperation_reaches_mexico_and_its_states() {
    let orgs = organisations();
    let received: Vec<_> =
        activities().into_iter().filter(|a| direction(a, &orgs) == Some(Direction::Received)).collect();
    assert!(received.len() >= 25, "{} received", received.len());
    let state_recipients = received
        .iter()
        .filter(|a| with_role(a, Role::Recipient).any(|k| orgs.get(k).is_some_and(|o| o.level() == Level::State)))
        .count();
    assert!(state_recipients >= 10, "{state_recipients} received activities reach states");
}

// ---------------------------------------------------------------------------------------------
// The facts the domain names.

fn org_by_acronym<'a>(orgs: &'a HashMap<OrgKey, Organisation>, acronym: &str) -> &'a Organisation {
    orgs.values()
        .find(|o| o.parts().acronym.as_deref() == Some(acronym))
        .unwrap_or_else(|| panic!("no organisation {acronym}"))
}

#[test]
fn the_named_institutions_exist() {
    let orgs = organisations();
    for acronym in [
        "AMEXCID", "SRE", "SHCP", "SEMARNAT", "CONAGUA", "SAGARPA", "SEP", "CONEVAL", "INEGI", "IMSS", "CONAFOR",
        "INDETEC", "CENAPRED",
    ] {
        let o = org_by_acronym(&orgs, acronym);
        assert_eq!(o.level(), Level::Federal, "{acronym}");
        assert_eq!(o.country(), Some(mx()), "{acronym}");
    }
    let cepal = org_by_acronym(&orgs, "CEPAL");
    let ilpes = org_by_acronym(&orgs, "ILPES");
    assert_eq!(cepal.level(), Level::International);
    assert_eq!(ilpes.parts().parent.as_ref(), Some(cepal.key()), "ILPES is CEPAL's institute");
    assert_eq!(org_by_acronym(&orgs, "AMEXCID").parts().parent.as_ref(), Some(org_by_acronym(&orgs, "SRE").key()));
    for o in orgs.values().filter(|o| o.level() == Level::International) {
        assert_eq!(o.country(), None, "{}: an international organisation is not Mexican", o.key());
    }
}

#[test]
fn municipal_codes_name_the_right_municipalities() {
    for o in organisations().values().filter(|o| o.level() == Level::Municipal) {
        let code = o.parts().mx_municipality.expect("a municipality code");
        let entry = MX_MUNICIPALITY.get(code.as_str()).expect("a known municipality");
        let name = o.parts().name.get("es").unwrap_or("");
        assert!(name.contains(entry.name_es), "{}: {name} is not {} ({})", o.key(), entry.name_es, code);
    }
}

/// Activities whose Spanish title contains every fragment.
fn titled<'a>(all: &'a [Activity], fragments: &[&str]) -> Vec<&'a Activity> {
    all.iter().filter(|a| fragments.iter().all(|f| title_es(a).contains(f))).collect()
}

fn has_participant(a: &Activity, orgs: &HashMap<OrgKey, Organisation>, acronym: &str) -> bool {
    let key = org_by_acronym(orgs, acronym).key();
    a.parts().participants.iter().any(|p| &p.org == key)
}

fn recipient_states(a: &Activity, orgs: &HashMap<OrgKey, Organisation>) -> BTreeSet<&'static str> {
    with_role(a, Role::Recipient)
        .filter_map(|k| orgs.get(k))
        .filter(|o| o.level() == Level::State)
        .filter_map(|o| o.parts().mx_state.map(|s| s.as_str()))
        .collect()
}

#[test]
fn ilpes_courses_with_coneval_and_indetec_for_the_states() {
    let orgs = organisations();
    let all = activities();
    for (partner, topics) in [
        (
            "CONEVAL",
            &["marco lógico", "indicadores de desempeño", "política presupuestaria", "gestión por resultados"][..],
        ),
        ("INDETEC", &["gestión por resultados", "evaluación de programas", "estimaciones tributarias"][..]),
    ] {
        for topic in topics {
            let found = titled(&all, &["ILPES", partner, topic]);
            let a = found.first().unwrap_or_else(|| panic!("no ILPES–{partner} course on {topic}"));
            assert!(has_participant(a, &orgs, "ILPES") && has_participant(a, &orgs, partner), "{}", a.key());
            assert!(recipient_states(a, &orgs).len() >= 5, "{}: the states receive", a.key());
            assert_eq!(direction(a, &orgs), Some(Direction::Received), "{}", a.key());
        }
    }
}

#[test]
fn ilpes_fidesur_works_with_the_nine_states_of_the_trust() {
    let orgs = organisations();
    let all = activities();
    let found = titled(&all, &["ILPES", "FIDESUR"]);
    assert!(found.len() >= 2, "{} ILPES–FIDESUR activities", found.len());
    let topics = ["planificación", "capacidades", "modelos de gestión", "presupuesto", "proyectos"];
    for topic in topics {
        assert!(found.iter().any(|a| title_es(a).contains(topic)), "no ILPES–FIDESUR activity on {topic}");
    }
    let nine: BTreeSet<_> = codelists::FIDESUR_STATES.into_iter().collect();
    for a in found {
        assert!(has_participant(a, &orgs, "FIDESUR"), "{}", a.key());
        assert_eq!(recipient_states(a, &orgs), nine, "{}: the nine states of the trust", a.key());
    }
}

#[test]
fn cepal_evaluations_of_disasters_and_food_security() {
    let orgs = organisations();
    let all = activities();
    let disasters = titled(&all, &["CEPAL", "CENAPRED", "hurac"]);
    assert!(disasters.len() >= 2, "CEPAL–CENAPRED disaster evaluations");
    for a in &disasters {
        assert!(has_participant(a, &orgs, "CEPAL") && has_participant(a, &orgs, "CENAPRED"), "{}", a.key());
        assert_eq!(recipient_states(a, &orgs).len(), 1, "{}: the state hit", a.key());
    }
    let food = titled(&all, &["Evaluación CEPAL", "seguridad alimentaria"]);
    assert!(!food.is_empty(), "CEPAL food-security evaluations");
}

#[test]
fn un_programme_against_gender_violence_in_chiapas_and_oaxaca() {
    let orgs = organisations();
    let all = activities();
    let found = titled(&all, &["violencia de género", "Chiapas", "Oaxaca"]);
    let a = found.first().expect("the inter-agency programme");
    let agencies = a
        .parts()
        .participants
        .iter()
        .filter(|p| p.role.gives() && orgs.get(&p.org).is_some_and(|o| o.level() == Level::International))
        .count();
    assert!(agencies >= 3, "an inter-agency programme: {agencies} agencies");
    let municipalities: BTreeSet<_> =
        a.parts().mx_places.iter().filter_map(|p| p.municipality).map(|m| m.state().as_str()).collect();
    assert_eq!(municipalities, BTreeSet::from(["07", "20"]), "municipalities of Chiapas and Oaxaca");
    let municipal_recipients: BTreeSet<_> = with_role(a, Role::Recipient)
        .filter_map(|k| orgs.get(k))
        .filter(|o| o.level() == Level::Municipal)
        .filter_map(|o| o.mx_state().map(|s| s.as_str()))
        .collect();
    assert_eq!(municipal_recipients, BTreeSet::from(["07", "20"]));
}

/// Each step of the validation workflow is shown in the scope of Chiapas and of Oaxaca — an
/// activity is in a state's scope when one of its participants is a government or body of that
/// state or of one of its municipalities (`access::activity_states`, the rule accounts use) —
/// while most of the demo is published.
#[test]
fn every_workflow_step_is_shown_in_chiapas_and_in_oaxaca() {
    use coopera_domain::kinds::WorkflowState;
    let orgs = organisations();
    let all = activities();
    let in_scope = |a: &Activity| {
        let participants = a.parts().participants.iter().filter_map(|p| orgs.get(&p.org));
        coopera_domain::access::activity_states(participants).into_iter().map(|s| s.as_str()).collect::<Vec<_>>()
    };
    for (state, name) in [("07", "Chiapas"), ("20", "Oaxaca")] {
        let steps: BTreeMap<WorkflowState, Vec<&str>> =
            all.iter().filter(|a| in_scope(a).contains(&state)).fold(BTreeMap::new(), |mut steps, a| {
                steps.entry(a.parts().workflow).or_default().push(a.key().as_str());
                steps
            });
        for step in [WorkflowState::Draft, WorkflowState::Submitted, WorkflowState::Validated] {
            assert!(steps.contains_key(&step), "no {} activity in {name}'s scope: {steps:?}", step.code());
        }
    }
    let published = all.iter().filter(|a| a.parts().workflow == WorkflowState::Published).count();
    assert!(published * 4 > all.len() * 3, "the demo is mostly published: {published} of {}", all.len());
}

#[test]
fn networks_amaie_and_the_conago_commission() {
    let orgs = organisations();
    let docs = demo();
    let memberships: Vec<_> = docs.iter().flat_map(|(_, d)| d.memberships.iter()).collect();
    let amaie = org_by_acronym(&orgs, "AMAIE");
    assert!(amaie.parts().name.get("es").unwrap_or("").contains("Asuntos Internacionales de los Estados"));
    let state_members = |network: &OrgKey| {
        memberships
            .iter()
            .filter(|m| m.network == network.as_str())
            .filter(|m| orgs.values().any(|o| o.key().as_str() == m.member && o.level() == Level::State))
            .count()
    };
    assert!(state_members(amaie.key()) >= 10, "AMAIE has state members");

    let commission = orgs
        .values()
        .find(|o| o.parts().name.get("es") == Some("Comisión de Asuntos Internacionales de la CONAGO"))
        .expect("CONAGO's international affairs commission");
    assert_eq!(commission.parts().parent.as_ref(), Some(org_by_acronym(&orgs, "CONAGO").key()));
    assert!(state_members(commission.key()) >= 8, "the commission has state members");
    let since: BTreeSet<_> = memberships
        .iter()
        .filter(|m| m.network == commission.key().as_str())
        .filter_map(|m| m.since.as_deref())
        .map(|d| &d[..4])
        .collect();
    assert_eq!(since, BTreeSet::from(["2011"]), "the commission was created in 2011");
}

#[test]
fn the_chiapas_secretariat_acts_abroad_and_on_the_southern_border() {
    let orgs = organisations();
    let secretariat =
        orgs.values().find(|o| o.parts().name.get("es") == Some(CHIAPAS_SECRETARIAT)).expect("the Chiapas secretariat");
    assert_eq!(secretariat.level(), Level::State);
    assert_eq!(secretariat.mx_state().map(|s| s.as_str()), Some("07"));
    let key = secretariat.key().as_str();

    let docs = demo();
    let kinds: BTreeSet<_> =
        docs.iter().flat_map(|(_, d)| d.actions.iter()).filter(|a| a.actor == key).map(|a| a.kind.as_str()).collect();
    for kind in ["office-abroad", "migrant-services", "technical-mission", "international-fair", "agreement-signed"] {
        assert!(kinds.contains(kind), "no {kind} action of the secretariat: {kinds:?}");
    }
    let agreement = docs
        .iter()
        .flat_map(|(_, d)| d.agreements.iter())
        .find(|g| g.parties.iter().any(|p| p == key))
        .expect("an agreement of the secretariat");
    let guatemalan = agreement
        .parties
        .iter()
        .filter_map(|p| orgs.values().find(|o| o.key().as_str() == p))
        .filter(|o| o.country().map(|c| c.as_str()) == Some("GT"))
        .count();
    assert!(guatemalan >= 2, "the agreement is with the Guatemalan border departments");

    let all = activities();
    let cross_border = all
        .iter()
        .filter(|a| a.parts().participants.iter().any(|p| p.org.as_str() == key))
        .filter(|a| a.parts().cross_border.as_ref().is_some_and(|c| c.border == coopera_domain::kinds::Border::South))
        .count();
    assert!(cross_border >= 3, "{cross_border} cross-border activities of the secretariat");
}

#[test]
fn subnational_actions_cover_every_kind() {
    let orgs = organisations();
    let docs = demo();
    let actions: Vec<_> = docs.iter().flat_map(|(_, d)| d.actions.iter()).collect();
    let kinds: BTreeSet<_> = actions.iter().map(|a| a.kind.as_str()).collect();
    assert_eq!(kinds.len(), coopera_domain::kinds::ActionKind::ALL.len(), "{kinds:?}");
    for a in actions {
        let actor = orgs.values().find(|o| o.key().as_str() == a.actor).expect("a known actor");
        assert!(actor.level().is_subnational(), "action {}: {} is not subnational", a.key, a.actor);
    }
}

/// The showcase of good practices has something of each order of government: six practices,
/// federal, state (a southern, a western and a northern state) and municipal, each resting on
/// an activity of the demo, and the records a store holds once the demo is written.
#[test]
fn good_practices_come_from_every_order_of_government() {
    use coopera_domain::kinds::Level;
    use coopera_domain::subnational::OrgStates;

    let orgs = organisations();
    let practices: Vec<_> =
        demo().into_iter().flat_map(|(_, d)| d.practices).map(|p| p.into_domain().expect("a valid practice")).collect();
    assert_eq!(practices.len(), 6);
    let find = |k: &OrgKey| orgs.get(k);
    let levels: BTreeSet<Level> = practices.iter().flat_map(|p| p.levels(find)).collect();
    assert_eq!(levels.into_iter().collect::<Vec<_>>(), [Level::Federal, Level::State, Level::Municipal]);
    let states = OrgStates::new(orgs.values());
    let of_states: BTreeSet<&str> = practices.iter().flat_map(|p| p.states(&states)).map(|s| s.as_str()).collect();
    for (code, state) in [("07", "Chiapas"), ("14", "Jalisco"), ("26", "Sonora"), ("31", "Yucatán")] {
        assert!(of_states.contains(code), "no practice of {state}: {of_states:?}");
    }
    assert!(practices.iter().all(|p| !p.parts().activities.is_empty()), "each rests on an activity");

    let store = coopera_store::Store::open_in_memory(Default::default()).expect("an in-memory store");
    store.record("demo", records()).expect("the demo is stored");
    assert_eq!(store.practices().expect("the practices").len(), 6);
}

// ---------------------------------------------------------------------------------------------
// Money: the sample rates cover the demo's currencies and years.

/// Every demo record, checked into a domain record for the store.
fn records() -> Vec<coopera_store::Record> {
    use coopera_store::Record;
    let mut records = Vec::new();
    for (file, d) in demo() {
        let fail = |key: &str, e: coopera_domain::Problems| -> ! { panic!("{file}: {key}: {e:?}") };
        for x in d.organisations {
            let key = x.key.clone();
            records.push(Record::Organisation(x.into_domain().unwrap_or_else(|e| fail(&key, e))));
        }
        for x in d.activities {
            let key = x.id.clone();
            records.push(Record::Activity(Box::new(x.into_domain().unwrap_or_else(|e| fail(&key, e)))));
        }
        for x in d.capacities {
            let key = x.key.clone();
            records.push(Record::Capacity(x.into_domain().unwrap_or_else(|e| fail(&key, e))));
        }
        for x in d.demands {
            let key = x.key.clone();
            records.push(Record::Demand(x.into_domain().unwrap_or_else(|e| fail(&key, e))));
        }
        for x in d.actions {
            let key = x.key.clone();
            records.push(Record::Action(x.into_domain().unwrap_or_else(|e| fail(&key, e))));
        }
        for x in d.agreements {
            let key = x.key.clone();
            records.push(Record::Agreement(x.into_domain().unwrap_or_else(|e| fail(&key, e))));
        }
        for x in d.memberships {
            let key = x.key.clone();
            records.push(Record::Membership(x.into_domain().unwrap_or_else(|e| fail(&key, e))));
        }
        for x in d.practices {
            let key = x.key.clone();
            records.push(Record::Practice(x.into_domain().unwrap_or_else(|e| fail(&key, e))));
        }
    }
    records
}

/// `coopera demo` loads the sample rates with the data, so every figure of the demo — the
/// value reports, the themes in USD or MXN, the dashboard — converts: no amount of the demo is
/// "not converted" and no in-kind unit "not valued", in any report, measure or year.
#[test]
fn the_sample_rates_convert_every_demo_figure() {
    use coopera_report::{Currency, Dimension, Filters, LoadOptions, Measure, Query, Snapshot, YearRange};
    use coopera_store::{Store, StoreOptions};

    let store = Store::open_in_memory(StoreOptions::default()).expect("an in-memory store");
    store.record("demo", records()).expect("the demo is stored");
    let rates = coopera_report::rates::parse_rates_csv(coopera_report::rates::SAMPLE_RATES_CSV, "rates-sample.csv")
        .expect("the sample rates parse");
    store.record_rates(&rates).expect("the sample rates are stored");
    let snapshot = Snapshot::load(&store, &LoadOptions::default()).expect("the snapshot loads");

    let mut years: Vec<Option<YearRange>> = vec![None];
    years.extend((2008..=2016).map(|y| Some(YearRange { from: y, to: y })));
    let mut left_out = BTreeSet::new();
    for dimension in Dimension::ALL {
        for measure in Measure::ALL {
            for currency in [Currency::Usd, Currency::Mxn] {
                for &year in &years {
                    let query = Query {
                        dimension: *dimension,
                        measure: *measure,
                        currency,
                        filters: Filters { years: year, ..Filters::default() },
                        top: 3,
                    };
                    let report = coopera_report::run(&snapshot, &query).expect("the report runs");
                    for (code, amount) in &report.not_converted {
                        left_out.insert(format!("{} {amount} not converted to {}", code.as_str(), currency.code()));
                    }
                    for (unit, quantity) in &report.in_kind_not_valued {
                        left_out.insert(format!("{quantity} {} not valued", unit.code()));
                    }
                }
            }
        }
    }
    assert!(
        left_out.is_empty(),
        "the sample rates miss demo figures:\n{}",
        left_out.into_iter().collect::<Vec<_>>().join("\n")
    );
}
