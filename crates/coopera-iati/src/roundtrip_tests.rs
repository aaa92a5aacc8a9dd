//! Property test: for any valid activity, writing it as IATI and reading the file back gives
//! the same activity — every field the model holds, IATI's and Coopera's own. Codes are drawn
//! from the whole of their list (an IATI codelist, or a `kinds` classification's `CODES`), so a
//! code added to a list is covered without a change here.

use std::collections::BTreeMap;

use coopera_domain::activity::Activity;
use coopera_domain::code::CountryCode;
use coopera_domain::codelists::{self, Code, Codelist};
use coopera_domain::doc::*;
use coopera_domain::kinds::{
    Border, CooperationType, CrossBorderDimension, InKindUnit, Instrument, Level, Modality, Role, WorkflowState,
};
use coopera_domain::organisation::Organisation;
use proptest::prelude::*;
use proptest::sample::select;
use time::macros::date;

use crate::read::{FileReader, Item, ReadOptions};
use crate::write::{WriteOptions, write_file};

/// The codes of an IATI codelist still in use.
fn codes(list: &'static Codelist) -> Vec<&'static str> {
    list.codes.iter().filter(|c| !c.withdrawn).map(|c| c.code).collect()
}

/// The codes of one of Coopera's own classifications (`Modality::CODES`…).
fn kind_codes(list: &'static [Code]) -> Vec<&'static str> {
    list.iter().map(|c| c.code).collect()
}

/// Text with the characters XML must escape, accents, and inner spaces.
fn words() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9áéíóúñÑ&<>\"' ]{1,24}".prop_map(|s| {
        let t = s.trim().to_owned();
        if t.is_empty() { "x".to_owned() } else { t }
    })
}

fn text() -> impl Strategy<Value = TextDoc> {
    (words(), proptest::option::of(words())).prop_map(|(es, en)| {
        let mut m = BTreeMap::new();
        m.insert("es".to_owned(), es);
        if let Some(en) = en {
            m.insert("en".to_owned(), en);
        }
        TextDoc::Langs(m)
    })
}

/// `n` percentages (2 decimals) that add up to exactly 100.
fn split(n: usize) -> impl Strategy<Value = Vec<String>> {
    proptest::collection::vec(1u32..1000, n).prop_map(|weights| {
        let total: u32 = weights.iter().sum();
        let mut cents: Vec<u32> = weights.iter().map(|w| w * 10_000 / total).collect();
        let sum: u32 = cents.iter().sum();
        cents[0] += 10_000 - sum;
        cents.iter().map(|c| rust_decimal::Decimal::new(i64::from(*c), 2).normalize().to_string()).collect()
    })
}

fn amount() -> impl Strategy<Value = NumberDoc> {
    (0i64..10_000_000_000).prop_map(|c| NumberDoc::Text(rust_decimal::Decimal::new(c, 2).normalize().to_string()))
}

fn day() -> impl Strategy<Value = time::Date> {
    (0i64..5000).prop_map(|d| date!(2008 - 01 - 01) + time::Duration::days(d))
}

fn currency() -> impl Strategy<Value = String> {
    select(codes(&codelists::CURRENCY)).prop_map(str::to_owned)
}

/// The organisations activities name.
const ORG_KEYS: [&str; 6] = ["amexcid", "giz", "jica", "gob-chiapas", "segeplan", "cepal"];

fn org_key() -> impl Strategy<Value = String> {
    select(ORG_KEYS.to_vec()).prop_map(str::to_owned)
}

/// A valid organisation: any level, country and type; a state or municipal government is
/// Mexican with its INEGI codes, and other Mexican organisations may name theirs.
fn organisation(key: &'static str) -> impl Strategy<Value = OrganisationDoc> {
    let municipalities: Vec<&str> = codelists::MX_MUNICIPALITY.codes.iter().map(|c| c.code).collect();
    (
        (
            select(kind_codes(Level::CODES)),
            proptest::option::of(select(codes(&codelists::COUNTRY))),
            select(municipalities),
            0u8..3,
        ),
        (
            select(codes(&codelists::ORGANISATION_TYPE)),
            proptest::option::of(prop_oneof!["XM-DAC-4[0-9]{4}", "[A-Z]{2}-[A-Z]{3}-[0-9]{1,6}"]),
            proptest::option::of("[A-Z]{2,8}"),
            text(),
            proptest::option::of(select(ORG_KEYS.to_vec())),
        ),
    )
        .prop_map(move |((level, country, municipality, inegi), (kind, iati_ref, acronym, name, parent))| {
            let country = if matches!(level, "state" | "municipal") { Some("MX") } else { country };
            let state = Some(municipality[..2].to_owned());
            let (mx_state, mx_municipality) = match (level, inegi) {
                ("municipal", _) => (state, Some(municipality.to_owned())),
                ("state", 0) => (state, None),
                ("state", _) => (state, Some(municipality.to_owned())),
                (_, 1) if country == Some("MX") => (state, None),
                (_, 2) if country == Some("MX") => (state, Some(municipality.to_owned())),
                _ => (None, None),
            };
            OrganisationDoc {
                key: key.to_owned(),
                iati_ref,
                name,
                acronym,
                kind: kind.to_owned(),
                level: level.to_owned(),
                country: country.map(str::to_owned),
                mx_state,
                mx_municipality,
                parent: parent.filter(|p| *p != key).map(str::to_owned),
            }
        })
}

/// A registry holding every organisation of [`ORG_KEYS`].
fn registry() -> impl Strategy<Value = BTreeMap<String, Organisation>> {
    ORG_KEYS.map(organisation).prop_map(|docs| {
        docs.into_iter()
            .map(|d| {
                (d.key.clone(), d.into_domain().unwrap_or_else(|p| panic!("generated an invalid organisation: {p}")))
            })
            .collect()
    })
}

fn party() -> impl Strategy<Value = PartyDoc> {
    (
        proptest::option::of(org_key()),
        proptest::option::of("[A-Z]{2}-[0-9]{3}"),
        proptest::option::of(words()),
        proptest::option::of("[A-Z]{2}-[0-9]{1,4}"),
    )
        .prop_map(|(org, iati_ref, name, activity)| PartyDoc { org, iati_ref, name, activity })
}

fn transaction() -> impl Strategy<Value = TransactionDoc> {
    (
        (select(codes(&codelists::TRANSACTION_TYPE)), day(), amount(), currency(), proptest::option::of(day())),
        (proptest::option::of(text()), proptest::option::of(party()), proptest::option::of(party())),
        (proptest::option::of("[a-z0-9]{1,8}"), proptest::option::of(any::<bool>())),
        proptest::collection::btree_set(select(codes(&codelists::SECTOR)), 0..3),
        (
            proptest::option::of(select(codes(&codelists::COUNTRY))),
            proptest::option::of(select(codes(&codelists::FLOW_TYPE))),
        ),
        (
            proptest::option::of(select(codes(&codelists::FINANCE_TYPE))),
            proptest::option::of(select(codes(&codelists::AID_TYPE))),
        ),
        proptest::option::of(select(codes(&codelists::TIED_STATUS))),
    )
        .prop_map(
            |(
                (kind, date, amount, currency, value_date),
                (description, provider, receiver),
                (reference, humanitarian),
                sectors,
                (country, flow),
                (finance, aid),
                tied,
            )| {
                TransactionDoc {
                    reference,
                    humanitarian,
                    kind: kind.to_owned(),
                    date: date.to_string(),
                    amount,
                    currency: Some(currency),
                    value_date: value_date.filter(|v| *v != date).map(|d| d.to_string()),
                    description,
                    provider,
                    receiver,
                    sectors: sectors
                        .into_iter()
                        .map(|c| SectorDoc { vocabulary: None, code: c.to_owned(), percentage: None })
                        .collect(),
                    country: country.map(str::to_owned),
                    region: None,
                    flow_type: flow.map(str::to_owned),
                    finance_type: finance.map(str::to_owned),
                    aid_type: aid.map(str::to_owned),
                    tied_status: tied.map(str::to_owned),
                }
            },
        )
}

fn result() -> impl Strategy<Value = ResultDoc> {
    let period = (day(), 0i64..400, proptest::option::of(0i64..1000), proptest::option::of(0i64..1000)).prop_map(
        |(s, len, t, a)| PeriodDoc {
            start: s.to_string(),
            end: (s + time::Duration::days(len)).to_string(),
            target: t.map(|t| NumberDoc::Text(t.to_string())),
            actual: a.map(|a| NumberDoc::Text(a.to_string())),
        },
    );
    let indicator = (
        text(),
        any::<bool>(),
        proptest::option::of((2000i32..2030, 0i64..500)),
        proptest::collection::vec(period, 0..3),
    )
        .prop_map(|(title, ascending, baseline, periods)| IndicatorDoc {
            title,
            ascending,
            baseline_year: baseline.map(|b| b.0),
            baseline: baseline.map(|b| NumberDoc::Text(b.1.to_string())),
            periods,
        });
    (
        // Documents name a result's level by its IATI ResultType code too.
        select(codes(&codelists::RESULT_TYPE)),
        text(),
        proptest::option::of(text()),
        proptest::collection::vec(indicator, 0..3),
    )
        .prop_map(|(level, title, description, indicators)| ResultDoc {
            level: level.to_owned(),
            title,
            description,
            indicators,
        })
}

/// A modality and participants that fit it: any role but the two providers of triangular
/// cooperation, which appear only in triangular activities, each of which has them both and a
/// recipient.
fn modality_and_participants() -> impl Strategy<Value = (&'static str, Vec<ParticipantDoc>)> {
    let anywhere: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| !matches!(r, Role::FirstProvider | Role::SecondProvider))
        .map(|r| r.code())
        .collect();
    (select(kind_codes(Modality::CODES)), proptest::collection::btree_set((org_key(), select(anywhere)), 1..4))
        .prop_map(|(modality, others)| {
            let mut participants: Vec<ParticipantDoc> =
                others.into_iter().map(|(org, role)| ParticipantDoc { org, role: role.to_owned() }).collect();
            if modality == Modality::Triangular.code() {
                for (org, role) in
                    [("amexcid", Role::FirstProvider), ("giz", Role::SecondProvider), ("segeplan", Role::Recipient)]
                {
                    participants.push(ParticipantDoc { org: org.into(), role: role.code().into() });
                }
            }
            let mut seen = Vec::new();
            participants.retain(|p| {
                let k = (p.org.clone(), p.role.clone());
                let new = !seen.contains(&k);
                seen.push(k);
                new
            });
            (modality, participants)
        })
}

prop_compose! {
    fn activity()(
        id in "[A-Z]{2}-[A-Z0-9]{1,6}-[0-9]{1,4}(/[0-9]{1,3})?",
        title in text(),
        description in proptest::option::of(text()),
        objectives in proptest::option::of(text()),
        classification in (
            select(kind_codes(Instrument::CODES)),
            select(kind_codes(CooperationType::CODES)),
            any::<bool>(), any::<bool>(),
            select(kind_codes(WorkflowState::CODES)),
            proptest::option::of("[A-Z0-9-]{1,10}"),
        ),
        codes in (
            proptest::option::of(select(codes(&codelists::COLLABORATION_TYPE))),
            proptest::option::of(currency()),
            proptest::option::of(select(codes(&codelists::FLOW_TYPE))),
            proptest::option::of(select(codes(&codelists::FINANCE_TYPE))),
            proptest::option::of(select(codes(&codelists::AID_TYPE))),
            proptest::option::of(select(codes(&codelists::TIED_STATUS))),
            select(codes(&codelists::ACTIVITY_STATUS)),
        ),
        (modality, participants) in modality_and_participants(),
        sector_codes in proptest::collection::btree_set(select(codes(&codelists::SECTOR)), 1..4),
        sdg_sectors in proptest::collection::btree_set(select(codes(&codelists::UNSDG_GOALS)), 0..3),
        sdgs in proptest::collection::btree_set(select(codes(&codelists::UNSDG_TARGETS)), 0..3),
        markers in proptest::collection::btree_map(select(codes(&codelists::POLICY_MARKER)), 0u8..5, 0..3),
        tags in proptest::collection::vec(("[A-Z0-9]{1,3}", "[a-z0-9]{1,6}", proptest::option::of(text())), 0..2),
        places in (proptest::collection::btree_set(select(codes(&codelists::COUNTRY)), 0..3), proptest::collection::btree_set(select(codes(&codelists::REGION)), 0..2)),
        mx in proptest::collection::vec(select(codelists::MX_MUNICIPALITY.codes.iter().map(|c| c.code).collect::<Vec<_>>()), 0..3),
        points in proptest::collection::vec((proptest::option::of("[a-z0-9]{1,6}"), proptest::option::of(text()), proptest::option::of((-90i64..90, -180i64..180))), 0..2),
        cross in proptest::option::of((select(kind_codes(Border::CODES)), proptest::collection::btree_set(select(kind_codes(CrossBorderDimension::CODES)), 0..3))),
        dates in (proptest::option::of(day()), 0i64..2000, proptest::option::of(day()), proptest::option::of(0i64..2000)),
        budgets in proptest::collection::vec((day(), 0i64..365, amount(), proptest::option::of(currency()), any::<bool>(), proptest::option::of(day())), 0..3),
        planned in proptest::collection::vec((day(), proptest::option::of(0i64..365), amount(), currency(), proptest::option::of(party())), 0..2),
        transactions in proptest::collection::vec(transaction(), 0..4),
        in_kind in proptest::collection::vec((select(kind_codes(InKindUnit::CODES)), 0i64..1000, proptest::option::of((1i64..100_000, currency())), proptest::option::of(text())), 0..3),
        results in proptest::collection::vec(result(), 0..3),
        related in proptest::collection::vec((select(codes(&codelists::RELATED_ACTIVITY_TYPE)), "[A-Z]{2}-[0-9]{1,5}"), 0..3),
        links in proptest::collection::vec(("https://example\\.org/[a-z]{1,8}", select(vec!["application/pdf", "text/html"]), text(), proptest::collection::btree_set(select(codes(&codelists::DOCUMENT_CATEGORY)), 1..3), proptest::collection::btree_set(select(codes(&codelists::LANGUAGE)), 0..3), proptest::option::of(day())), 0..2),
        good_practice in proptest::option::of(text()),
        humanitarian in any::<bool>(),
        sector_pct in split(3),
        sdg_pct in split(2),
        place_pct in split(5),
    ) -> ActivityDoc {
        let (instrument, cooperation_type, south_south, north_south, workflow, folio) = classification;
        let (collaboration_type, default_currency, flow_type, finance_type, aid_type, tied_status, status) = codes;
        let n = sector_codes.len();
        let mut sectors: Vec<SectorDoc> = sector_codes.into_iter().enumerate().map(|(i, c)| SectorDoc {
            vocabulary: None,
            code: c.to_owned(),
            percentage: Some(NumberDoc::Text(if n == 1 { "100".to_owned() } else if i + 1 == n { remainder(&sector_pct[..n - 1]) } else { sector_pct[i].clone() })),
        }).collect();
        let m = sdg_sectors.len();
        sectors.extend(sdg_sectors.into_iter().enumerate().map(|(i, c)| SectorDoc {
            vocabulary: Some("7".into()),
            code: c.to_owned(),
            percentage: Some(NumberDoc::Text(if m == 1 { "100".to_owned() } else if i + 1 == m { remainder(&sdg_pct[..m - 1]) } else { sdg_pct[i].clone() })),
        }));
        let (country_codes, region_codes) = places;
        let k = country_codes.len() + region_codes.len();
        let mut pcts = (0..k).map(|i| if k == 1 { "100".to_owned() } else if i + 1 == k { remainder(&place_pct[..k - 1]) } else { place_pct[i].clone() });
        let countries = country_codes.into_iter().map(|c| ShareDoc { code: c.to_owned(), percentage: pcts.next().map(NumberDoc::Text) }).collect();
        let regions = region_codes.into_iter().map(|c| ShareDoc { code: c.to_owned(), percentage: pcts.next().map(NumberDoc::Text) }).collect();
        let (planned_start, len, actual_start, actual_len) = dates;
        let needs_currency = default_currency.is_none();
        ActivityDoc {
            id,
            folio,
            reporting_org: "amexcid".into(),
            title,
            description,
            objectives,
            instrument: instrument.into(),
            cooperation_type: cooperation_type.into(),
            modality: modality.into(),
            south_south,
            north_south,
            collaboration_type: collaboration_type.map(str::to_owned),
            default_currency: default_currency.clone(),
            flow_type: flow_type.map(str::to_owned),
            finance_type: finance_type.map(str::to_owned),
            aid_type: aid_type.map(str::to_owned),
            tied_status: tied_status.map(str::to_owned),
            humanitarian,
            status: status.to_owned(),
            workflow: Some(workflow.to_owned()),
            participants,
            sectors,
            sdgs: sdgs.into_iter().map(str::to_owned).collect(),
            policy_markers: markers.into_iter().map(|(code, significance)| PolicyMarkerDoc { code: code.to_owned(), significance: Some(significance) }).collect(),
            tags: tags.into_iter().filter(|t| t.0 != "2" && t.0 != "3").map(|(vocabulary, code, name)| TagDoc { vocabulary, code, name }).collect(),
            countries,
            regions,
            mx_places: mx.into_iter().map(|m| MxPlaceDoc { state: m[..2].to_owned(), municipality: Some(m.to_owned()) }).collect(),
            points: points.into_iter().map(|(reference, name, pos)| PointDoc {
                reference,
                name: name.or_else(|| Some(TextDoc::Plain("lugar".into()))),
                description: None,
                latitude: pos.map(|p| NumberDoc::Text(p.0.to_string())),
                longitude: pos.map(|p| NumberDoc::Text(p.1.to_string())),
            }).collect(),
            cross_border: cross.map(|(border, dims)| CrossBorderDoc { border: border.into(), dimensions: dims.into_iter().map(str::to_owned).collect() }),
            dates: DatesDoc {
                planned_start: planned_start.map(|d| d.to_string()),
                planned_end: planned_start.map(|d| (d + time::Duration::days(len)).to_string()),
                actual_start: actual_start.map(|d| d.to_string()),
                actual_end: actual_start.zip(actual_len).map(|(d, l)| (d + time::Duration::days(l)).to_string()),
            },
            budgets: budgets.into_iter().map(|(start, len, amount, cur, revised, value_date)| BudgetDoc {
                revised,
                period_start: start.to_string(),
                period_end: (start + time::Duration::days(len)).to_string(),
                amount,
                currency: if needs_currency { Some(cur.unwrap_or_else(|| "USD".into())) } else { cur },
                value_date: value_date.filter(|v| *v != start).map(|d| d.to_string()),
            }).collect(),
            planned_disbursements: planned.into_iter().map(|(start, len, amount, cur, provider)| PlannedDisbursementDoc {
                revised: false,
                period_start: start.to_string(),
                period_end: len.map(|l| (start + time::Duration::days(l)).to_string()),
                amount,
                currency: Some(cur),
                value_date: None,
                provider,
                receiver: None,
            }).collect(),
            transactions,
            in_kind: in_kind.into_iter().map(|(unit, q, value, description)| InKindDoc {
                unit: unit.into(),
                quantity: NumberDoc::Text(q.to_string()),
                unit_value: value.as_ref().map(|v| NumberDoc::Text(v.0.to_string())),
                currency: value.map(|v| v.1),
                description,
            }).collect(),
            results,
            related_activities: related.into_iter().map(|(kind, id)| RelatedDoc { kind: kind.to_owned(), id }).collect(),
            document_links: links.into_iter().map(|(url, format, title, categories, languages, date)| DocumentLinkDoc {
                url,
                format: Some(format.to_owned()),
                title: Some(title),
                categories: categories.into_iter().map(str::to_owned).collect(),
                languages: languages.into_iter().map(str::to_owned).collect(),
                date: date.map(|d| d.to_string()),
            }).collect(),
            good_practice,
        }
    }
}

/// 100 minus the given percentages.
fn remainder(given: &[String]) -> String {
    let sum: rust_decimal::Decimal = given.iter().map(|p| p.parse::<rust_decimal::Decimal>().unwrap_or_default()).sum();
    (rust_decimal::Decimal::ONE_HUNDRED - sum).normalize().to_string()
}

/// Writes `activity` with the organisations of `registry` and reads it back: the activity
/// and the organisations the file describes.
fn round_trip(
    activity: &Activity,
    registry: &BTreeMap<String, Organisation>,
) -> (Activity, BTreeMap<String, Organisation>) {
    let options = WriteOptions { generated: "2026-01-01T00:00:00Z".into(), today: date!(2026 - 01 - 01) };
    let mut xml = Vec::new();
    write_file(&mut xml, [activity], &|k| registry.get(k).cloned(), &options).expect("write");
    let reader =
        FileReader::from_reader(Box::new(std::io::Cursor::new(xml.clone())), &ReadOptions::default()).expect("open");
    let items: Vec<_> = reader.collect::<Result<_, _>>().expect("read");
    assert_eq!(items.len(), 1);
    let Item::Activity { mapped, .. } = items.into_iter().next().expect("one") else { panic!("refused") };
    assert!(mapped.warnings.is_empty(), "warnings {:?}\n{}", mapped.warnings, String::from_utf8_lossy(&xml));
    let organisations = mapped
        .organisations
        .into_iter()
        .map(|o| {
            let key = o.key.clone();
            (key, o.into_domain().unwrap_or_else(|p| panic!("{p}\n{}", String::from_utf8_lossy(&xml))))
        })
        .collect();
    let activity = mapped.activity.into_domain().unwrap_or_else(|p| panic!("{p}\n{}", String::from_utf8_lossy(&xml)));
    (activity, organisations)
}

/// The organisations an activity names, and their parents, as `registry` has them.
fn named(activity: &Activity, registry: &BTreeMap<String, Organisation>) -> BTreeMap<String, Organisation> {
    let p = activity.parts();
    let parties = p
        .transactions
        .iter()
        .flat_map(|t| [&t.provider, &t.receiver])
        .chain(p.planned_disbursements.iter().flat_map(|d| [&d.provider, &d.receiver]))
        .filter_map(|party| party.as_ref().and_then(|party| party.org.clone()));
    let mut keys: Vec<String> = std::iter::once(p.reporting_org.clone())
        .chain(p.participants.iter().map(|part| part.org.clone()))
        .chain(parties)
        .map(|k| k.to_string())
        .collect();
    let mut out = BTreeMap::new();
    while let Some(key) = keys.pop() {
        if out.contains_key(&key) {
            continue;
        }
        let Some(o) = registry.get(&key) else { continue };
        keys.extend(o.parts().parent.as_ref().map(|k| k.to_string()));
        out.insert(key, o.clone());
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn import_of_export_is_identity(doc in activity(), registry in registry()) {
        let original = match doc.clone().into_domain() {
            Ok(a) => a,
            Err(p) => return Err(TestCaseError::reject(format!("generated an invalid activity: {p}"))),
        };
        let (back, organisations) = round_trip(&original, &registry);
        prop_assert_eq!(ActivityDoc::from_domain(&back), ActivityDoc::from_domain(&original));
        prop_assert_eq!(&back, &original);
        // The store's stored form (the record's own `serde`) reads back the same record too.
        let stored = serde_json::to_string(&original).expect("serialises");
        prop_assert_eq!(&serde_json::from_str::<Activity>(&stored).expect("reads back"), &original);
        for org in registry.values() {
            let stored = serde_json::to_string(org).expect("serialises");
            prop_assert_eq!(&serde_json::from_str::<Organisation>(&stored).expect("reads back"), org);
        }
        // The same organisations, and so the same derived facts, at home in Mexico or not.
        let expected = named(&original, &registry);
        prop_assert_eq!(
            organisations.values().map(OrganisationDoc::from_domain).collect::<Vec<_>>(),
            expected.values().map(OrganisationDoc::from_domain).collect::<Vec<_>>()
        );
        for home in ["MX", "GT", "DE"] {
            let home = CountryCode::parse(home).expect("country");
            let before = original.derive(home, |k| expected.get(k.as_str()));
            let after = back.derive(home, |k| organisations.get(k.as_str()));
            prop_assert_eq!(before, after);
        }
    }
}
