//! The report engine on hand-built fixtures, stored in an in-memory SQLite registry. Every
//! expected figure is worked out by hand in the comments next to it, from the fixture below.
//!
//! The fixture (rates: MXN 13.00 per USD for the year 2012 and 12.50 on 2013-03-05 only;
//! EUR 0.80 per USD for 2012; no JPY rate; in-kind rate table: a trip is worth 650 MXN):
//!
//! | id        | direction | sectors (%)          | places (%)    | money                                           |
//! |-----------|-----------|----------------------|---------------|-------------------------------------------------|
//! | MX-A1     | given     | 41010 60, 15110 40   | GT 75, HN 25  | commit 1300 MXN 2012-03-01; disb 650 MXN; in kind: 10 expert-days × 130 MXN, 2 trips, 1 other |
//! | MX-A2     | given (triangular, GIZ second provider) | 11110 100 | HN 100 | commit 100 EUR 2013-01-05 (value date 2013-01-02); commit 10 JPY |
//! | GT-R1     | received by Chiapas, cross-border south (migration, labour markets) | 15110 100 | MX | disb 250 MXN 2013-03-05 |
//! | DE-GIZ-1  | received  | 31110 50, 41010 50   | MX            | commit 800 EUR 2012-05-01; disb 400 EUR 2012-06-01 to MX-A5 |
//! | MX-A5     | received  | 31110 100            | MX            | incoming funds 400 EUR from DE-GIZ-1; expenditure 160 EUR |
//! | MX-A6     | given (regional) | none of the DAC | region 1032 (Central America) 100 | none |
//!
//! Their partners' places (the default geography): A1 GT 75, HN 25 and A2 HN (the recipient
//! places of cooperation given; GIZ, A2's second provider, is a partner organisation but not
//! where A2 went); A6 the region 1032; R1 GT (its provider, the Guatemalan government);
//! DE-GIZ-1 and A5 DE (GIZ provides and funds them). IATI's recipient country of R1, DE-GIZ-1
//! and A5 is Mexico.

use coopera_domain::code::CurrencyCode;
use coopera_domain::doc::{ActivityDoc, OrganisationDoc};
use coopera_domain::kinds::InKindUnit;
use coopera_report::rates::{InKindRates, parse_in_kind_csv, parse_rates_csv};
use coopera_report::{Currency, Dimension, Filters, LoadOptions, Measure, Query, Report, Snapshot, YearRange};
use coopera_store::{Record, Store, StoreOptions};
use rust_decimal::Decimal;

mod export;
mod extreme;
mod incremental;
mod synthetic;
mod visibility;
mod xlsx;

fn org(json: &str) -> Record {
    let doc: OrganisationDoc = serde_json::from_str(json).expect("organisation fixture");
    Record::Organisation(doc.into_domain().expect("valid organisation"))
}

fn activity(json: &str) -> Record {
    let doc: ActivityDoc = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"));
    Record::Activity(Box::new(doc.into_domain().unwrap_or_else(|p| panic!("{p}: {json}"))))
}

fn d(s: &str) -> Decimal {
    s.parse().expect("decimal")
}

fn fixture_store() -> Store {
    let store = Store::open_in_memory(StoreOptions::default()).expect("store");
    let records = vec![
        org(r#"{"key":"amexcid","name":"AMEXCID","kind":"10","level":"federal","country":"MX"}"#),
        org(
            r#"{"key":"chiapas","name":"Gobierno de Chiapas","kind":"10","level":"state","country":"MX","mx_state":"07"}"#,
        ),
        org(
            r#"{"key":"gt-gov","name":"Gobierno de Guatemala","kind":"10","level":"foreign-government","country":"GT"}"#,
        ),
        org(
            r#"{"key":"hn-gov","name":"Gobierno de Honduras","kind":"10","level":"foreign-government","country":"HN"}"#,
        ),
        org(r#"{"key":"giz","name":"GIZ","kind":"10","level":"foreign-government","country":"DE"}"#),
        activity(
            r#"{"id":"MX-A1","reporting_org":"amexcid","title":"A1","instrument":"project",
            "cooperation_type":"technical-scientific","modality":"bilateral","south_south":true,"status":"2",
            "participants":[{"org":"amexcid","role":"provider"},{"org":"gt-gov","role":"recipient"},
                            {"org":"hn-gov","role":"recipient"}],
            "sectors":[{"code":"41010","percentage":60},{"code":"15110","percentage":40}],
            "countries":[{"code":"GT","percentage":75},{"code":"HN","percentage":25}],
            "dates":{"actual_start":"2012-02-01","actual_end":"2012-11-30"},
            "transactions":[{"type":"2","date":"2012-03-01","amount":1300,"currency":"MXN"},
                            {"type":"3","date":"2012-06-01","amount":650,"currency":"MXN"}],
            "in_kind":[{"unit":"expert-days","quantity":10,"unit_value":130,"currency":"MXN"},
                       {"unit":"trips","quantity":2},{"unit":"other","quantity":1}]}"#,
        ),
        activity(
            r#"{"id":"MX-A2","reporting_org":"amexcid","title":"A2","instrument":"programme",
            "cooperation_type":"educational-cultural","modality":"triangular","south_south":true,"status":"2",
            "participants":[{"org":"amexcid","role":"first-provider"},{"org":"giz","role":"second-provider"},
                            {"org":"hn-gov","role":"recipient"}],
            "sectors":[{"code":"11110"}],"countries":[{"code":"HN"}],
            "dates":{"actual_start":"2013-01-10","planned_end":"2013-12-31"},
            "transactions":[{"type":"2","date":"2013-01-05","value_date":"2013-01-02","amount":100,"currency":"EUR"},
                            {"type":"2","date":"2013-01-05","amount":10,"currency":"JPY"}]}"#,
        ),
        activity(
            r#"{"id":"GT-R1","reporting_org":"gt-gov","title":"R1","instrument":"action",
            "cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
            "participants":[{"org":"gt-gov","role":"provider"},{"org":"chiapas","role":"recipient"}],
            "sectors":[{"code":"15110"}],"countries":[{"code":"MX"}],
            "cross_border":{"border":"south","dimensions":["migration","labour-markets"]},
            "dates":{"actual_start":"2013-03-01"},
            "transactions":[{"type":"3","date":"2013-03-05","amount":250,"currency":"MXN"}]}"#,
        ),
        activity(
            r#"{"id":"DE-GIZ-1","reporting_org":"giz","title":"GIZ","instrument":"project",
            "cooperation_type":"technical-scientific","modality":"bilateral","north_south":true,"status":"4",
            "participants":[{"org":"giz","role":"provider"},{"org":"amexcid","role":"recipient"}],
            "sectors":[{"code":"31110","percentage":50},{"code":"41010","percentage":50}],"countries":[{"code":"MX"}],
            "dates":{"actual_start":"2012-05-01"},
            "transactions":[{"type":"2","date":"2012-05-01","amount":800,"currency":"EUR"},
                            {"type":"3","date":"2012-06-01","amount":400,"currency":"EUR",
                             "receiver":{"org":"amexcid","activity":"MX-A5"}}]}"#,
        ),
        activity(
            r#"{"id":"MX-A5","reporting_org":"amexcid","title":"A5","instrument":"project",
            "cooperation_type":"technical-scientific","modality":"bilateral","status":"3",
            "participants":[{"org":"giz","role":"funding"},{"org":"amexcid","role":"recipient"}],
            "sectors":[{"code":"31110"}],"countries":[{"code":"MX"}],
            "dates":{"actual_start":"2012-06-01"},
            "transactions":[{"type":"1","date":"2012-06-02","amount":400,"currency":"EUR",
                             "provider":{"org":"giz","activity":"DE-GIZ-1"}},
                            {"type":"4","date":"2012-09-01","amount":160,"currency":"EUR"}]}"#,
        ),
        activity(
            r#"{"id":"MX-A6","reporting_org":"amexcid","title":"A6","instrument":"action",
            "cooperation_type":"technical-scientific","modality":"regional","status":"1",
            "participants":[{"org":"amexcid","role":"provider"},{"org":"gt-gov","role":"recipient"}],
            "sectors":[{"vocabulary":"99","code":"X"}],"regions":[{"code":"1032"}],
            "dates":{"planned_start":"2014-01-01"}}"#,
        ),
    ];
    store.record("test", records).expect("fixture stored");
    let rates = parse_rates_csv(
        "period,currency,units_per_usd\n2012,MXN,13.00\n2013-03-05,MXN,12.50\n2012,EUR,0.80\n",
        "fixture.csv",
    )
    .expect("rates fixture");
    store.record_rates(&rates).expect("rates stored");
    store
}

fn snapshot() -> Snapshot {
    let in_kind =
        parse_in_kind_csv("unit,from,unit_value,currency\ntrips,2008-01-01,650,MXN\n", "t.csv").expect("in-kind rates");
    let options = LoadOptions { in_kind_rates: InKindRates::new(in_kind), ..LoadOptions::default() };
    Snapshot::load(&fixture_store(), &options).expect("snapshot")
}

fn query(dimension: Dimension, measure: Measure) -> Query {
    Query { dimension, measure, currency: Currency::Usd, filters: Filters::default(), top: 1 }
}

fn with(mut q: Query, dimension: Dimension, values: &[&str]) -> Query {
    q.filters.values.push((dimension, values.iter().map(|v| v.to_string()).collect()));
    q
}

/// (key, value) of every row, in the report's order.
fn rows(r: &Report) -> Vec<(&str, Decimal)> {
    r.rows.iter().map(|r| (r.key.as_str(), r.value)).collect()
}

fn share(r: &Report, key: &str) -> Decimal {
    r.rows.iter().find(|r| r.key == key).map(|r| r.share).unwrap_or_else(|| panic!("no row {key}"))
}

fn assert_total_is_sum(r: &Report) {
    let sum: Decimal = r.rows.iter().map(|r| r.value).sum();
    assert_eq!(r.total, sum, "the total is the sum of the rows");
}

#[test]
fn themes_count_whole_activities() {
    let r = coopera_report::run(&snapshot(), &query(Dimension::ThematicArea, Measure::Count)).unwrap();
    // Each activity once in every area it touches: A1 410 and 150 · A2 110 · R1 150 ·
    // DE-GIZ-1 310 and 410 · A5 310 · A6 unclassified.
    // → 150 2, 310 2, 410 2 (ties by key), 110 1, then unclassified 1; 6 activities, 8 rows' worth.
    assert_eq!(
        rows(&r),
        [("150", d("2")), ("310", d("2")), ("410", d("2")), ("110", d("1")), ("unclassified", d("1"))]
    );
    assert_eq!(r.total, d("6"), "the activities, each once");
    assert_eq!(r.activities, 6);
    assert!(r.rows_overlap, "A1 and DE-GIZ-1 are in two areas each");
    // Shares of the 6 activities: 2/6 = 33.3333 % three times, 1/6 = 16.6667 % twice: 133.33 %.
    assert_eq!(share(&r, "150"), d("33.3333"));
    assert_eq!(share(&r, "110"), d("16.6667"));
    assert_eq!(share(&r, "unclassified"), d("16.6667"));
    // Concentration over the areas (unclassified left out): 2 + 2 + 2 + 1 = 7 assignments;
    // top 2/7 = 28.5714 %; HHI = (3 × 2² + 1²) / 7² × 10 000 = 13/49 × 10 000 = 2653.06.
    assert_eq!(r.concentration.top_share, d("28.5714"));
    assert_eq!(r.concentration.hhi, d("2653.06"));
    // Top 2: 4/7 = 57.1429 %.
    let mut q = query(Dimension::ThematicArea, Measure::Count);
    q.top = 2;
    assert_eq!(coopera_report::run(&snapshot(), &q).unwrap().concentration.top_share, d("57.1429"));
}

#[test]
fn the_weighted_count_splits_by_sector_percentages() {
    let r = coopera_report::run(&snapshot(), &query(Dimension::ThematicArea, Measure::Weighted)).unwrap();
    // A1: 410 0.6, 150 0.4 · A2: 110 1 · R1: 150 1 · GIZ: 310 0.5, 410 0.5 · A5: 310 1 · A6: unclassified 1
    // → 310 1.5, 150 1.4, 410 1.1, 110 1, unclassified 1; total 6 activities, the sum of the rows.
    assert_eq!(
        rows(&r),
        [("310", d("1.5")), ("150", d("1.4")), ("410", d("1.1")), ("110", d("1")), ("unclassified", d("1"))]
    );
    assert_eq!(r.total, d("6"));
    assert!(!r.rows_overlap);
    // Shares of the total: 1.5/6 = 25 %, 1.4/6 = 23.3333 %, 1/6 = 16.6667 %.
    assert_eq!(share(&r, "310"), d("25"));
    assert_eq!(share(&r, "150"), d("23.3333"));
    assert_eq!(share(&r, "110"), d("16.6667"));
    // Concentration over the 5 classified: parts 30, 28, 22, 20 → top 30;
    // HHI = 900 + 784 + 484 + 400 = 2568.
    assert_eq!(r.concentration.top_share, d("30"));
    assert_eq!(r.concentration.hhi, d("2568"));
    assert_total_is_sum(&r);
}

#[test]
fn recipient_countries_and_regions_by_place_percentages() {
    let s = snapshot();
    let given = |dim, measure| with(query(dim, measure), Dimension::Direction, &["given"]);
    let r = coopera_report::run(&s, &given(Dimension::RecipientCountry, Measure::Weighted)).unwrap();
    // Given: A1 GT 0.75, HN 0.25 · A2 HN 1 · A6 region 1032 1 → HN 1.25, 1032 1, GT 0.75; total 3.
    assert_eq!(rows(&r), [("HN", d("1.25")), ("1032", d("1")), ("GT", d("0.75"))]);
    // Shares 41.6667, 33.3333, 25; HHI = (125/3)² + (100/3)² + 25² = 25625/9 + 625 = 3472.22.
    assert_eq!(r.concentration.top_share, d("41.6667"));
    assert_eq!(r.concentration.hhi, d("3472.22"));
    // Counted whole: HN in A1 and A2, 1032 in A6, GT in A1 → HN 2, 1032 1, GT 1; 3 activities.
    // Concentration over 4 assignments: 50, 25, 25 → HHI 2500 + 625 + 625 = 3750.
    let r = coopera_report::run(&s, &given(Dimension::RecipientCountry, Measure::Count)).unwrap();
    assert_eq!(rows(&r), [("HN", d("2")), ("1032", d("1")), ("GT", d("1"))]);
    assert_eq!((r.total, r.concentration.top_share, r.concentration.hhi), (d("3"), d("50"), d("3750")));
    // All three are in Central America (1032 is "Central America, regional"): HHI 10 000.
    let r = coopera_report::run(&s, &given(Dimension::RecipientRegion, Measure::Count)).unwrap();
    assert_eq!(rows(&r), [("centroamerica", d("3"))]);
    assert_eq!((r.concentration.top_share, r.concentration.hhi), (d("100"), d("10000")));
    // DAC regions: GT, HN and 1032 roll up to 389 (North & Central America).
    let r = coopera_report::run(&s, &given(Dimension::DacRegion, Measure::Weighted)).unwrap();
    assert_eq!(rows(&r), [("389", d("3"))]);
    // Received, IATI's recipient is Mexico: R1, DE-GIZ-1 and A5 all name MX.
    let received = with(query(Dimension::RecipientCountry, Measure::Count), Dimension::Direction, &["received"]);
    assert_eq!(rows(&coopera_report::run(&s, &received).unwrap()), [("MX", d("3"))]);
}

#[test]
fn the_partners_geography() {
    let s = snapshot();
    let run = |dim, direction: &str, measure| {
        coopera_report::run(&s, &with(query(dim, measure), Dimension::Direction, &[direction])).unwrap()
    };
    // Given, the partners are the recipient places: the same rows as IATI's recipient view.
    for measure in [Measure::Count, Measure::Weighted, Measure::Committed] {
        assert_eq!(
            rows(&run(Dimension::PartnerCountry, "given", measure)),
            rows(&run(Dimension::RecipientCountry, "given", measure)),
            "{measure:?}"
        );
    }
    // Received, the providers: R1 from the Guatemalan government (GT); DE-GIZ-1 from GIZ and
    // A5 funded by GIZ (DE) → DE 2, GT 1. Never Mexico.
    let r = run(Dimension::PartnerCountry, "received", Measure::Count);
    assert_eq!(rows(&r), [("DE", d("2")), ("GT", d("1"))]);
    assert_eq!(r.rows[0].label_es, "Alemania");
    // By region: Europe 2, Central America 1; 2/3 = 66.6667 %, HHI 4444.44 + 1111.11 = 5555.56.
    let r = run(Dimension::PartnerRegion, "received", Measure::Count);
    assert_eq!(rows(&r), [("europa", d("2")), ("centroamerica", d("1"))]);
    assert_eq!((r.concentration.top_share, r.concentration.hhi), (d("66.6667"), d("5555.56")));
    // Money follows its partners: disbursed to or from gt-gov's activities (partner filter,
    // half of A1: 650 MXN = 50 USD × 0.5 = 25 → GT 18.75, HN 6.25; all of R1: 20 USD from GT).
    let q = with(query(Dimension::PartnerCountry, Measure::Disbursed), Dimension::Partner, &["gt-gov"]);
    assert_eq!(rows(&coopera_report::run(&s, &q).unwrap()), [("GT", d("38.75")), ("HN", d("6.25"))]);
    // A filter on the partner country: DE keeps DE-GIZ-1 and A5, whose themes are 310 (both)
    // and 410 (DE-GIZ-1).
    let q = with(query(Dimension::ThematicArea, Measure::Count), Dimension::PartnerCountry, &["DE"]);
    assert_eq!(rows(&coopera_report::run(&s, &q).unwrap()), [("310", d("2")), ("410", d("1"))]);
}

#[test]
fn partners_in_both_directions_and_international_organisations() {
    // A registry of its own: an exchange with Costa Rica (both ways, CR 50 / MX 50), an
    // activity received from UNDP and GIZ together, one received from nobody the registry
    // knows as a partner, and one given to Peru with Chile as a co-provider.
    let store = Store::open_in_memory(StoreOptions::default()).expect("store");
    let act = |id: &str, participants: &str, countries: &str| {
        activity(&format!(
            r#"{{"id":"{id}","reporting_org":"amexcid","title":"{id}","instrument":"project",
            "cooperation_type":"technical-scientific","modality":"bilateral","status":"2",
            "participants":{participants},"sectors":[{{"code":"41010"}}],"countries":{countries},
            "dates":{{"actual_start":"2012-01-01"}}}}"#
        ))
    };
    store
        .record(
            "test",
            vec![
                org(r#"{"key":"amexcid","name":"AMEXCID","kind":"10","level":"federal","country":"MX"}"#),
                org(r#"{"key":"cr","name":"MIDEPLAN","kind":"10","level":"foreign-government","country":"CR"}"#),
                org(r#"{"key":"cl","name":"AGCI","kind":"10","level":"foreign-government","country":"CL"}"#),
                org(r#"{"key":"giz","name":"GIZ","kind":"10","level":"foreign-government","country":"DE"}"#),
                org(r#"{"key":"undp","name":"PNUD","kind":"40","level":"international"}"#),
                act(
                    "X-BOTH",
                    r#"[{"org":"amexcid","role":"provider"},{"org":"cr","role":"provider"},
                        {"org":"amexcid","role":"recipient"},{"org":"cr","role":"recipient"}]"#,
                    r#"[{"code":"CR","percentage":50},{"code":"MX","percentage":50}]"#,
                ),
                act(
                    "X-UNDP",
                    r#"[{"org":"undp","role":"provider"},{"org":"giz","role":"funding"},{"org":"amexcid","role":"recipient"}]"#,
                    r#"[{"code":"MX"}]"#,
                ),
                act("X-NOBODY", r#"[{"org":"amexcid","role":"recipient"}]"#, r#"[{"code":"MX"}]"#),
                act(
                    "X-PERU",
                    r#"[{"org":"amexcid","role":"provider"},{"org":"cl","role":"provider"}]"#,
                    r#"[{"code":"PE"}]"#,
                ),
            ],
        )
        .expect("stored");
    let s = Snapshot::load(&store, &LoadOptions::default()).expect("snapshot");
    let run = |dim, measure| coopera_report::run(&s, &query(dim, measure)).unwrap();
    // Counted whole: X-BOTH → CR (both sides); X-UNDP → multilateral and DE; X-NOBODY → not
    // specified; X-PERU → PE (Chile gives with Mexico: a partner organisation, not where the
    // cooperation went). 4 activities; CR, DE, PE, multilateral 1 each (ties by key).
    let r = run(Dimension::PartnerCountry, Measure::Count);
    assert_eq!(rows(&r), [("CR", d("1")), ("DE", d("1")), ("PE", d("1")), ("multilateral", d("1")), ("none", d("1"))]);
    assert_eq!(r.rows[3].label_es, "Organismos multilaterales");
    assert_eq!(r.total, d("4"));
    // Weighted: X-UNDP halves between UNDP and GIZ.
    let r = run(Dimension::PartnerCountry, Measure::Weighted);
    assert_eq!(
        rows(&r),
        [("CR", d("1")), ("PE", d("1")), ("DE", d("0.5")), ("multilateral", d("0.5")), ("none", d("1"))]
    );
    // Regions: Central America (CR), Europe (DE), South America (PE), multilateral; the row
    // without a partner last, and out of concentration: four rows of 1 → HHI 2500.
    let r = run(Dimension::PartnerRegion, Measure::Count);
    assert_eq!(
        rows(&r),
        [
            ("centroamerica", d("1")),
            ("europa", d("1")),
            ("multilateral", d("1")),
            ("sudamerica", d("1")),
            ("none", d("1"))
        ]
    );
    assert_eq!((r.concentration.top_share, r.concentration.hhi), (d("25"), d("2500")));
    // IATI's recipient view: MX in three of them.
    let r = run(Dimension::RecipientCountry, Measure::Count);
    assert_eq!(rows(&r), [("MX", d("3")), ("CR", d("1")), ("PE", d("1"))]);
}

#[test]
fn a_filter_keeps_activities_whole_for_counts_and_its_part_for_the_rest() {
    let s = snapshot();
    // Only A1 has Guatemala. Counted whole, it is in 410 and 150 once each: 1 activity.
    let r = coopera_report::run(
        &s,
        &with(query(Dimension::ThematicArea, Measure::Count), Dimension::RecipientCountry, &["gt"]),
    )
    .unwrap();
    assert_eq!(rows(&r), [("150", d("1")), ("410", d("1"))]);
    assert_eq!((r.total, r.activities), (d("1"), 1));
    // Weighted, its part in Guatemala, 75 %, is split 60/40 by sector:
    // 410: 0.75 × 0.6 = 0.45; 150: 0.75 × 0.4 = 0.3; total 0.75 = the GT row of the country report.
    let r = coopera_report::run(
        &s,
        &with(query(Dimension::ThematicArea, Measure::Weighted), Dimension::RecipientCountry, &["gt"]),
    )
    .unwrap();
    assert_eq!(rows(&r), [("410", d("0.45")), ("150", d("0.3"))]);
    assert_eq!(r.total, d("0.75"));
    assert_eq!(r.activities, 1);
    // A single-valued filter keeps or drops: status 3 is A5 alone.
    let r =
        coopera_report::run(&s, &with(query(Dimension::RecipientCountry, Measure::Count), Dimension::Status, &["3"]))
            .unwrap();
    assert_eq!(rows(&r), [("MX", d("1"))]);
}

#[test]
fn each_activity_as_a_report_counts_it() {
    let s = snapshot();
    let mut numbered = Vec::new();
    let visited = Snapshot::load_visiting(&fixture_store(), &LoadOptions::default(), &mut |i, f| {
        numbered.push((i, f.key.clone()));
    })
    .expect("snapshot");
    assert_eq!(numbered.len(), visited.len());
    assert!(numbered.iter().enumerate().all(|(n, (i, _))| n == *i), "numbered in the order read");
    let guatemala = |q: Query| with(q, Dimension::RecipientCountry, &["GT"]);
    for measure in [Measure::Count, Measure::Committed, Measure::Total, Measure::InKind] {
        for q in [query(Dimension::ThematicArea, measure), guatemala(query(Dimension::Partner, measure))] {
            let report = coopera_report::run(&s, &q).unwrap();
            let each = coopera_report::per_activity(&s, &q).unwrap();
            let kept = (0..s.len()).filter(|&i| each.contains(i)).count();
            assert_eq!(kept as u64, report.activities, "{q:?}: the same activities");
            let values: Vec<Decimal> = (0..s.len()).filter_map(|i| each.value(i)).collect();
            if measure.is_money() {
                assert_eq!(values.len(), kept, "{q:?}");
                let sum: Decimal = values.iter().sum();
                assert_eq!(sum.round_dp(4), report.total.round_dp(4), "{q:?}: the values add up to the total");
            } else {
                assert!(values.is_empty(), "a count has no values");
            }
        }
    }
    // Filtered to Guatemala, A1 adds only its part there (75 %).
    let q = guatemala(query(Dimension::Direction, Measure::Committed));
    let whole = coopera_report::per_activity(&s, &query(Dimension::Direction, Measure::Committed)).unwrap();
    let part = coopera_report::per_activity(&s, &q).unwrap();
    let a1 = numbered.iter().find(|(_, k)| k == "MX-A1").map(|(i, _)| *i).expect("A1");
    assert_eq!(part.value(a1), whole.value(a1).map(|v| v * d("0.75")));
}

#[test]
fn money_is_converted_at_the_rate_of_its_date() {
    let s = snapshot();
    let r = coopera_report::run(&s, &query(Dimension::ThematicArea, Measure::Committed)).unwrap();
    // A1: 1300 MXN ÷ 13.00 (2012) = 100 USD → 410 60, 150 40.
    // A2: 100 EUR on value date 2013-01-02: no 2013 EUR rate, nearest earlier is 2012's 0.80
    //     → 125 USD → 110; the 10 JPY have no rate → not converted.
    // DE-GIZ-1: 800 EUR ÷ 0.80 = 1000 USD → 310 500, 410 500. R1, A5, A6 commit nothing.
    // → 410 560, 310 500, 110 125, 150 40; total 1225.
    assert_eq!(rows(&r), [("410", d("560")), ("310", d("500")), ("110", d("125")), ("150", d("40"))]);
    assert_eq!(r.total, d("1225"));
    let jpy = CurrencyCode::parse("JPY").unwrap();
    assert_eq!(r.not_converted, vec![(jpy, d("10"))], "never zero: listed apart");
    assert_total_is_sum(&r);

    // In pesos: 1300 + 100 × 13 ÷ 0.80 (= 1625) + 800 × 13 ÷ 0.80 (= 13000) = 15925.
    let mut q = query(Dimension::Direction, Measure::Committed);
    q.currency = Currency::Mxn;
    let r = coopera_report::run(&s, &q).unwrap();
    // given: 1300 + 1625 = 2925; received: 13000.
    assert_eq!(rows(&r), [("received", d("13000")), ("given", d("2925"))]);
    assert_eq!(r.total, d("15925"));

    // A daily rate beats the nearest earlier one: R1's 250 MXN on 2013-03-05 at 12.50 = 20 USD.
    let r = coopera_report::run(
        &s,
        &with(query(Dimension::RecipientCountry, Measure::Disbursed), Dimension::Partner, &["gt-gov"]),
    )
    .unwrap();
    // Partner gt-gov: A1 (half of its partners are gt-gov: 650 MXN ÷ 13 = 50 USD × 0.5 = 25, split
    // GT 75 % = 18.75, HN 25 % = 6.25), R1 (20 USD, MX), A6 (no money).
    assert_eq!(rows(&r), [("MX", d("20")), ("GT", d("18.75")), ("HN", d("6.25"))]);
}

#[test]
fn native_currency_adds_only_what_was_recorded_in_it() {
    let mut q = query(Dimension::Direction, Measure::Committed);
    q.currency = Currency::Native(CurrencyCode::parse("EUR").unwrap());
    let r = coopera_report::run(&snapshot(), &q).unwrap();
    // EUR commitments: A2 100 (given), DE-GIZ-1 800 (received); other currencies listed apart:
    // 1300 MXN (A1) and 10 JPY (A2).
    assert_eq!(rows(&r), [("received", d("800")), ("given", d("100"))]);
    let listed: Vec<(&str, Decimal)> = r.not_converted.iter().map(|(c, a)| (c.as_str(), *a)).collect();
    assert_eq!(listed, [("JPY", d("10")), ("MXN", d("1300"))]);
}

#[test]
fn a_flow_reported_by_both_publishers_counts_once() {
    let s = snapshot();
    assert_eq!(s.stats().linked_flows, 1);
    let r = coopera_report::run(&s, &query(Dimension::Direction, Measure::Disbursed)).unwrap();
    // Disbursed: A1 650 MXN = 50 USD (given); R1 20 USD; DE-GIZ-1 400 EUR = 500 USD; A5's incoming
    // 400 EUR from DE-GIZ-1 is the same flow, and DE-GIZ-1 is in the report: dropped.
    // → received 520, given 50; total 570, one flow merged.
    assert_eq!(rows(&r), [("received", d("520")), ("given", d("50"))]);
    assert_eq!(r.merged_flows, 1);
    // Without DE-GIZ-1 in the report (status 3 is A5 alone), A5's incoming funds are its
    // disbursed money: 500 USD, nothing merged.
    let r = coopera_report::run(&s, &with(query(Dimension::Direction, Measure::Disbursed), Dimension::Status, &["3"]))
        .unwrap();
    assert_eq!(rows(&r), [("received", d("500"))]);
    assert_eq!(r.merged_flows, 0);
}

#[test]
fn value_of_cooperation_given_in_money_and_in_kind() {
    let s = snapshot();
    let q = with(query(Dimension::CooperationType, Measure::Total), Dimension::Direction, &["given"]);
    let r = coopera_report::run(&s, &q).unwrap();
    // A1 (technical-scientific): money = commitments 100 USD; in kind = 10 × 130 MXN (own unit
    // value) + 2 trips × 650 MXN (rate table) = 2600 MXN at A1's start (2012: 13.00) = 200 USD;
    // the "other" unit has no value or rate → not valued. Total 300.
    // A2 (educational-cultural): money 125 USD, no in kind; its 10 JPY are not converted.
    // A6: no money. → 300 + 125 = 425: money 225, in kind 200.
    assert_eq!(rows(&r), [("technical-scientific", d("300")), ("educational-cultural", d("125"))]);
    let split = r.split.unwrap();
    assert_eq!((split.money, split.in_kind), (d("225"), d("200")));
    assert_eq!(r.rows[0].split.map(|s| (s.money, s.in_kind)), Some((d("100"), d("200"))));
    assert_eq!(r.in_kind_not_valued, vec![(InKindUnit::Other, d("1"))]);
    assert_eq!(r.not_converted.len(), 1);
    assert_total_is_sum(&r);
    // In kind alone, by year: all of it in 2012 (A1's start).
    let r = coopera_report::run(&s, &query(Dimension::Year, Measure::InKind)).unwrap();
    assert_eq!(rows(&r), [("2012", d("200"))]);
}

#[test]
fn a_year_range_selects_activities_and_dates_flows() {
    let s = snapshot();
    let mut q = query(Dimension::ThematicArea, Measure::Count);
    q.filters.years = Some(YearRange { from: 2013, to: 2013 });
    let r = coopera_report::run(&s, &q).unwrap();
    // Running in 2013: A2 (2013) and R1 (2013); A1 ended in 2012, DE-GIZ-1 and A5 have only
    // a 2012 start, A6 starts in 2014. → 110 1, 150 1.
    assert_eq!(rows(&r), [("110", d("1")), ("150", d("1"))]);
    q.measure = Measure::Committed;
    q.dimension = Dimension::Year;
    q.filters.years = Some(YearRange { from: 2012, to: 2013 });
    let r = coopera_report::run(&s, &q).unwrap();
    // Commitments by the year of their date: 2012: A1 100 + DE-GIZ-1 1000 = 1100; 2013: A2 125.
    assert_eq!(rows(&r), [("2012", d("1100")), ("2013", d("125"))]);
    q.filters.years = Some(YearRange { from: 2014, to: 2012 });
    let e = coopera_report::run(&s, &q).unwrap_err();
    assert!(e.message(coopera_domain::Lang::Es).contains("--from 2014 es posterior a --to 2012"), "{e}");
}

#[test]
fn actors_schemes_and_the_border() {
    let s = snapshot();
    let run = |dim| coopera_report::run(&s, &query(dim, Measure::Count)).unwrap();
    // Home-country actors: AMEXCID (federal) in A1, A2, DE-GIZ-1, A5, A6; Chiapas (state) in R1.
    assert_eq!(rows(&run(Dimension::ActorLevel)), [("federal", d("5")), ("state", d("1"))]);
    // Mexican states: Chiapas in R1; the other five have none (listed last).
    let states = run(Dimension::MxState);
    assert_eq!(rows(&states), [("07", d("1")), ("none", d("5"))]);
    // Concentration over the rows with a state: Chiapas alone, whatever "none" holds.
    assert_eq!((states.concentration.top_share, states.concentration.hhi), (d("100"), d("10000")));
    // Only cross-border activities: R1, south, two agenda dimensions, each counting it whole.
    assert_eq!(rows(&run(Dimension::Border)), [("south", d("1"))]);
    let agenda = run(Dimension::Agenda);
    assert_eq!(rows(&agenda), [("labour-markets", d("1")), ("migration", d("1"))]);
    assert_eq!((agenda.total, agenda.rows_overlap), (d("1"), true));
    // Schemes: A1, A2 south-south; DE-GIZ-1 north-south; R1 decentralised and cross-border
    // (derived), in both; A5 and A6 none (last).
    assert_eq!(
        rows(&run(Dimension::Scheme)),
        [
            ("south-south", d("2")),
            ("cross-border", d("1")),
            ("decentralised", d("1")),
            ("north-south", d("1")),
            ("none", d("2"))
        ]
    );
    // Weighted, R1 is split in halves between its two schemes.
    let weighted = coopera_report::run(&s, &query(Dimension::Scheme, Measure::Weighted)).unwrap();
    assert_eq!(weighted.rows.iter().find(|r| r.key == "decentralised").map(|r| r.value), Some(d("0.5")));
    // Partners of cooperation given: A1 gt-gov and hn-gov; A2 giz and hn-gov; A6 gt-gov
    // → gt-gov 2, hn-gov 2, giz 1; weighted, in equal parts: gt-gov 1.5, hn-gov 1, giz 0.5.
    let given = with(query(Dimension::Partner, Measure::Count), Dimension::Direction, &["given"]);
    let r = coopera_report::run(&s, &given).unwrap();
    assert_eq!(rows(&r), [("gt-gov", d("2")), ("hn-gov", d("2")), ("giz", d("1"))]);
    assert_eq!(r.rows[0].label_es, "Gobierno de Guatemala");
    let given = with(query(Dimension::Partner, Measure::Weighted), Dimension::Direction, &["given"]);
    let r = coopera_report::run(&s, &given).unwrap();
    assert_eq!(rows(&r), [("gt-gov", d("1.5")), ("hn-gov", d("1")), ("giz", d("0.5"))]);
}

#[test]
fn every_dimension_counts_each_activity_once() {
    let s = snapshot();
    for dim in Dimension::ALL {
        let expected = if matches!(dim, Dimension::Border | Dimension::Agenda) { d("1") } else { d("6") };
        // A count: the activities, each once, however many rows it is in.
        let r = coopera_report::run(&s, &query(*dim, Measure::Count)).unwrap();
        assert_eq!(r.total, expected, "{dim:?}");
        let sum: Decimal = r.rows.iter().map(|r| r.value).sum();
        assert!(sum >= r.total, "{dim:?}");
        assert_eq!(r.rows_overlap, sum > r.total, "{dim:?}");
        assert!(r.rows.iter().all(|r| r.value.fract().is_zero()), "{dim:?}: whole activities");
        // Weighted: the same total, as the sum of the rows.
        let r = coopera_report::run(&s, &query(*dim, Measure::Weighted)).unwrap();
        assert_eq!(r.total, expected, "{dim:?}");
        assert_total_is_sum(&r);
    }
}

#[test]
fn unknown_filter_values_are_refused_with_suggestions() {
    let s = snapshot();
    // A key or a label, in any case. Partners in Central America: A1 (GT, HN), A2 (HN), A6
    // (1032), and R1, received from Guatemala.
    for v in ["centroamerica", "Centroamérica", "CENTRAL AMERICA"] {
        let q = with(query(Dimension::PartnerCountry, Measure::Count), Dimension::PartnerRegion, &[v]);
        assert_eq!(coopera_report::run(&s, &q).unwrap().total, d("4"), "{v}");
    }
    let e = coopera_report::run(
        &s,
        &with(query(Dimension::PartnerCountry, Measure::Count), Dimension::PartnerRegion, &["centroamerika"]),
    )
    .unwrap_err();
    assert_eq!(
        e.message(coopera_domain::Lang::En),
        "partner-region: unknown value `centroamerika`; did you mean centroamerica?"
    );
    let e = coopera_report::run(
        &s,
        &with(query(Dimension::RecipientCountry, Measure::Count), Dimension::MxState, &["Chiapaz"]),
    )
    .unwrap_err();
    assert!(e.message(coopera_domain::Lang::Es).starts_with("state: valor desconocido `Chiapaz`"), "{e}");
    // States by INEGI code, ISO code or name.
    for v in ["07", "MX-CHP", "Chiapas"] {
        let r = coopera_report::run(
            &s,
            &with(query(Dimension::RecipientCountry, Measure::Count), Dimension::MxState, &[v]),
        )
        .unwrap();
        assert_eq!(rows(&r), [("MX", d("1"))], "{v}");
    }
}

#[test]
fn the_catalog_is_counted_by_theme() {
    let store = fixture_store();
    let cap = |key: &str, sectors: &str| {
        let doc: coopera_domain::doc::CapacityDoc = serde_json::from_str(&format!(
            r#"{{"key":"{key}","title":"C","institution":"amexcid","sectors":{sectors},"forms":["course"]}}"#
        ))
        .unwrap();
        Record::Capacity(doc.into_domain().unwrap())
    };
    // 33.33 % three ways: the parts still add up to exactly one capacity.
    let third = r#"[{"code":"11110","percentage":33.33},{"code":"31110","percentage":33.33},{"code":"12110","percentage":33.34}]"#;
    store
        .record(
            "t",
            vec![cap("c1", r#"[{"code":"41010","percentage":60},{"code":"15110","percentage":40}]"#), cap("c2", third)],
        )
        .unwrap();
    // Counted whole: c1 in 410 and 150, c2 in 110, 310 and 120 → each area 1; 2 capacities.
    let r = coopera_report::catalog_themes(&store, Measure::Count, 1).unwrap();
    assert_eq!(r.total, d("2"));
    assert_eq!(r.rows.iter().find(|r| r.key == "410").map(|r| r.value), Some(d("1")));
    assert!(r.rows_overlap);
    // Weighted: c1 is 0.6 in 410.
    let r = coopera_report::catalog_themes(&store, Measure::Weighted, 1).unwrap();
    assert_eq!(r.total, d("2"));
    assert_eq!(r.rows.iter().find(|r| r.key == "410").map(|r| r.value), Some(d("0.6")));
    assert!(matches!(
        coopera_report::catalog_themes(&store, Measure::Total, 1),
        Err(coopera_report::ReportError::CatalogHasNoValue)
    ));
}
