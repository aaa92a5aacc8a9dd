//! A query string of the activity list, the dashboard and the reports, checked as their
//! handlers check it (`coopera_web::fuzzing::check_query`).
#![no_main]

use coopera_report::Measure;
use coopera_web::fuzzing::{check_query, measure_pairs, page_rows, query_string};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else { return };
    let Some(checked) = check_query(query) else { return };
    // The links a page draws lead back to the same selection and the same measure.
    if let Ok(pairs) = &checked.selection {
        let link = query_string(pairs);
        let again = check_query(&link).unwrap_or_else(|| panic!("a link the page draws is refused: ?{link}"));
        match &again.selection {
            Ok(same) => assert_eq!(same, pairs, "the link ?{link} selects something else"),
            Err(e) => panic!("the link ?{link} is refused: {e:?}"),
        }
    }
    if let Ok((measure, currency)) = checked.measure {
        let link = query_string(&measure_pairs(measure, currency));
        let again = check_query(&link).unwrap_or_else(|| panic!("a link the page draws is refused: ?{link}"));
        match again.measure {
            // A count has no currency: its links leave the currency out.
            Ok(same) if measure == Measure::Count => {
                assert_eq!(same.0, measure, "the link ?{link} measures something else")
            }
            Ok(same) => assert_eq!(same, (measure, currency), "the link ?{link} measures something else"),
            Err(e) => panic!("the link ?{link} is refused: {e:?}"),
        }
    }
    // A page accepted is a window of the list at most a page long, for any list length.
    if let Ok((page, per_page)) = checked.paging {
        assert!(page >= 1 && (1..=200).contains(&per_page), "page {page}, {per_page} a page");
        for total in [0, 1, per_page - 1, per_page, per_page + 1, 10_007, usize::MAX / 2] {
            let (rows, pages) = page_rows(page, per_page, total);
            assert!(rows.start <= rows.end && rows.end <= total, "rows {rows:?} of {total}");
            assert!(rows.len() <= per_page, "rows {rows:?} on a page of {per_page}");
            assert!(pages >= 1, "{pages} pages for {total} rows");
        }
    }
});
