//! The snapshot's columns as CSV (`coopera_report::export`, which the DuckDB benchmark loads):
//! the fixture's lines, as the hand-written writer before the `csv` crate wrote them, and read
//! back by the `csv` reader.

use coopera_report::Dimension;
use coopera_report::export;

fn written(f: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>) -> String {
    let mut out = Vec::new();
    f(&mut out).expect("written to memory");
    String::from_utf8(out).expect("UTF-8")
}

#[test]
fn the_fixture_exported() {
    let s = super::snapshot();
    let activities = written(|out| export::activities(&s, out));
    let themes = written(|out| export::parts_of(&s, Dimension::ThematicArea, out));
    let flows = written(|out| export::flows(&s, out));
    // Activity 5 (MX-A6) has no DAC sector: its whole part is `unclassified`. Flows of kind 3
    // are in kind; the JPY commitment has no rate, so no amounts; activity 4's incoming funds
    // duplicate activity 3's own flow.
    assert_eq!(activities, ACTIVITIES);
    assert_eq!(themes, THEMES);
    assert_eq!(flows, FLOWS);
    for text in [&activities, &themes, &flows] {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let width = reader.headers().expect("a header").len();
        let records: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("CSV");
        assert_eq!(records.len(), text.lines().count() - 1);
        assert!(records.iter().all(|r| r.len() == width), "{text}");
    }
}

const ACTIVITIES: &str = concat!(
    "id,direction,start_year,end_year\n",
    "0,given,2012,2012\n",
    "1,given,2013,2013\n",
    "2,received,2013,2013\n",
    "3,received,2012,2012\n",
    "4,received,2012,2012\n",
    "5,given,2014,2014\n",
);

const THEMES: &str = concat!(
    "id,key,ppm\n",
    "0,410,600000\n",
    "0,150,400000\n",
    "1,110,1000000\n",
    "2,150,1000000\n",
    "3,310,500000\n",
    "3,410,500000\n",
    "4,310,1000000\n",
    "5,unclassified,1000000\n",
);

const FLOWS: &str = concat!(
    "id,kind,year,usd,mxn,provider\n",
    "0,0,2012,1000000,13000000,\n",
    "0,1,2012,500000,6500000,\n",
    "0,3,2012,1000000,13000000,\n",
    "0,3,2012,1000000,13000000,\n",
    "1,0,2013,1250000,16250000,\n",
    "1,0,2013,,,\n",
    "2,1,2013,200000,2500000,\n",
    "3,0,2012,10000000,130000000,\n",
    "3,1,2012,5000000,65000000,\n",
    "4,1,2012,5000000,65000000,3\n",
    "4,2,2012,2000000,26000000,\n",
);
