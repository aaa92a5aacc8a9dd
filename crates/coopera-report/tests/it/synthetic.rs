//! A synthetic registry through the whole chain: generated, stored, loaded, reported.

use coopera_report::synthetic::Synthetic;
use coopera_report::{Currency, Dimension, Filters, LoadOptions, Measure, Query, Snapshot};
use coopera_store::{Store, StoreOptions};
use rust_decimal::Decimal;

#[test]
fn a_synthetic_registry_reports_consistently() {
    let n = 3000;
    let generator = Synthetic::new(n, 42).unwrap();
    let store = Store::open_in_memory(StoreOptions::default()).unwrap();
    store.record("synthetic", generator.organisations().unwrap()).unwrap();
    store.record("synthetic", generator.activities(0..n).unwrap()).unwrap();
    let rates = coopera_report::rates::parse_rates_csv(coopera_report::rates::SAMPLE_RATES_CSV, "sample").unwrap();
    store.record_rates(&rates).unwrap();
    let s = Snapshot::load(&store, &LoadOptions::default()).unwrap();
    assert_eq!(s.len(), n);
    let stats = s.stats();
    assert!(stats.linked_flows > 50, "pairs of activities describe the same flow: {stats:?}");
    assert!(
        stats.flows_not_converted_usd > 0,
        "GBP, KRW, CAD and CHF have no rate before the sample's one day: {stats:?}"
    );

    for dim in Dimension::ALL {
        for measure in [Measure::Count, Measure::Weighted, Measure::Total, Measure::Disbursed] {
            let q = Query { dimension: *dim, measure, currency: Currency::Usd, filters: Filters::default(), top: 3 };
            let r = coopera_report::run(&s, &q).unwrap();
            let sum: Decimal = r.rows.iter().map(|r| r.value).sum();
            if measure == Measure::Count {
                // Whole activities: rows overlap where an activity has several values.
                assert_eq!(r.total, Decimal::from(r.activities), "{dim:?}");
                assert!(sum >= r.total, "{dim:?}");
                assert_eq!(r.rows_overlap, sum > r.total, "{dim:?}");
            } else {
                assert_eq!(r.total, sum, "{dim:?} {measure:?}");
            }
            let counted = matches!(measure, Measure::Count | Measure::Weighted);
            if counted && !matches!(dim, Dimension::Border | Dimension::Agenda) {
                assert_eq!(r.total, Decimal::from(n as u64), "{dim:?} {measure:?}: every activity once");
            }
        }
    }
    // The same total however the money is grouped.
    let total = |dim| {
        let q = Query {
            dimension: dim,
            measure: Measure::Committed,
            currency: Currency::Mxn,
            filters: Filters::default(),
            top: 1,
        };
        coopera_report::run(&s, &q).unwrap().total
    };
    let by_theme = total(Dimension::ThematicArea);
    assert_eq!(by_theme, total(Dimension::RecipientCountry));
    assert_eq!(by_theme, total(Dimension::PartnerCountry));
    assert_eq!(by_theme, total(Dimension::Partner));
    assert_eq!(by_theme, total(Dimension::Year));

    // Given cooperation concentrates in Central America.
    let given = Filters { values: vec![(Dimension::Direction, vec!["given".into()])], ..Filters::default() };
    let q = Query {
        dimension: Dimension::PartnerRegion,
        measure: Measure::Count,
        currency: Currency::Usd,
        filters: given,
        top: 1,
    };
    let r = coopera_report::run(&s, &q).unwrap();
    assert_eq!(r.rows[0].key, "centroamerica");
    assert!(r.concentration.top_share > Decimal::from(35), "{:?}", r.concentration);

    // Received disbursements merge the flows both sides report.
    let received = Filters { values: vec![(Dimension::Direction, vec!["received".into()])], ..Filters::default() };
    let q = Query {
        dimension: Dimension::Partner,
        measure: Measure::Disbursed,
        currency: Currency::Usd,
        filters: received,
        top: 1,
    };
    assert!(coopera_report::run(&s, &q).unwrap().merged_flows > 50);
}

/// A dashboard selects once and runs every report over the selection: each report must be
/// the one run on its own, for every dimension (those of cross-border activities only too)
/// and measure, and a selection of other filters must not leak into a report.
#[test]
fn reports_over_one_selection_are_the_reports_run_alone() {
    let n = 2000;
    let generator = Synthetic::new(n, 7).unwrap();
    let store = Store::open_in_memory(StoreOptions::default()).unwrap();
    store.record("synthetic", generator.organisations().unwrap()).unwrap();
    store.record("synthetic", generator.activities(0..n).unwrap()).unwrap();
    let s = Snapshot::load(&store, &LoadOptions::default()).unwrap();
    let filters = Filters {
        years: Some(coopera_report::YearRange { from: 2012, to: 2016 }),
        values: vec![(Dimension::Direction, vec!["given".into(), "both".into()])],
        ..Filters::default()
    };
    let selected = coopera_report::select(&s, &filters).unwrap();
    assert!(!selected.is_empty() && selected.len() < n, "a narrower selection: {}", selected.len());
    for dim in Dimension::ALL.iter().filter(|d| **d != Dimension::Direction) {
        for measure in [Measure::Count, Measure::Weighted, Measure::Total, Measure::Disbursed, Measure::InKind] {
            let q = Query { dimension: *dim, measure, currency: Currency::Usd, filters: filters.clone(), top: 3 };
            let alone = coopera_report::run(&s, &q).unwrap();
            let shared = coopera_report::run_selected(&s, &selected, &q).unwrap();
            assert_eq!(format!("{shared:?}"), format!("{alone:?}"), "{dim:?} {measure:?}");
        }
    }
    let everything = Query {
        dimension: Dimension::ThematicArea,
        measure: Measure::Count,
        currency: Currency::Usd,
        filters: Filters::default(),
        top: 3,
    };
    let r = coopera_report::run_selected(&s, &selected, &everything).unwrap();
    assert_eq!(r.activities, n as u64, "the query's own filters, not the selection's");
}
