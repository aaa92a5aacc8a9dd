//! The CSV tables `coopera rates` reads: exchange rates and in-kind rates. (Coopera reads no
//! spreadsheet; XLSX is only written.)
#![no_main]

use coopera_domain::limits::MAX_ABS_NUMBER;
use coopera_report::rates::{CsvError, RateTable, parse_in_kind_csv, parse_rates_csv};
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let lines = text.split('\n').count();
    match parse_rates_csv(text, "rates.csv") {
        Ok(rates) => {
            for r in &rates {
                assert!(r.units_per_usd > Decimal::ZERO && r.units_per_usd <= MAX_ABS_NUMBER, "{r:?}");
                assert!(r.start <= r.end, "a period that ends before it starts: {r:?}");
                assert!(!r.source.is_empty(), "a rate without a source: {r:?}");
            }
            // Every rate read is the one found for its own period.
            let table = RateTable::new(&rates);
            for r in &rates {
                assert!(table.units_per_usd(r.currency, r.end).is_some(), "a rate not found on its own period: {r:?}");
            }
        }
        Err(e) => placed(&e, lines),
    }
    match parse_in_kind_csv(text, "in-kind.csv") {
        Ok(rates) => {
            for r in &rates {
                assert!(r.unit_value > Decimal::ZERO && r.unit_value <= MAX_ABS_NUMBER, "{r:?}");
            }
        }
        Err(e) => placed(&e, lines),
    }
});

/// Every problem names a line of the file and says something in both languages.
fn placed(e: &CsvError, lines: usize) {
    assert!(!e.problems.is_empty(), "a refusal without a problem");
    for p in &e.problems {
        assert!(p.line >= 1 && p.line <= lines.max(1), "line {} of a file of {lines}: {p:?}", p.line);
        assert!(!p.es.is_empty() && !p.en.is_empty(), "{p:?}");
    }
}
