//! Hostile input through the real binary: in-kind quantities far beyond any real value, which
//! are refused where they are written or reported without failing, and query strings larger
//! than any page needs or not UTF-8, which the real server answers with a client error.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use super::*;

/// An activity with one in-kind contribution, as JSON (numbers as text: TOML and JSON
/// integers cannot hold them).
fn in_kind_activity(id: &str, quantity: &str, unit_value: &str) -> String {
    serde_json::json!({
        "id": id,
        "reporting_org": "amexcid",
        "title": {"es": "Envío de expertos", "en": "Experts sent"},
        "instrument": "project",
        "cooperation_type": "technical-scientific",
        "modality": "bilateral",
        "south_south": true,
        "status": "2",
        "participants": [{"org": "amexcid", "role": "provider"}, {"org": "segeplan", "role": "recipient"}],
        "sectors": [{"code": "15110", "percentage": 100}],
        "countries": [{"code": "GT"}],
        "dates": {"planned_start": "2014-02-01", "planned_end": "2014-10-31"},
        "in_kind": [{"unit": "expert-days", "quantity": quantity, "unit_value": unit_value, "currency": "MXN"}]
    })
    .to_string()
}

const HUGE: &str = "100000000000000000000000000"; // 10^26

/// In-kind contributions: a name, the quantity and the unit value.
const QUANTITIES: &[(&str, &str, &str)] = &[
    ("10^26 expert days", HUGE, "3500"),
    ("a unit value of 10^26", "1", HUGE),
    ("10^26 days at 10^26 each", HUGE, HUGE),
];

/// Adds the activity; then it is either refused at its place with nothing written, or stored
/// and every report that values it answers. Gives what went wrong.
fn check(name: &str, quantity: &str, unit_value: &str) -> Result<(), String> {
    let c = Coopera::new();
    c.run(&["activity", "add", "--file", &fixture("orgs.toml")]).ok();
    let file = c.dir.path().join("huge.json");
    std::fs::write(&file, in_kind_activity("XM-HUGE-0001", quantity, unit_value)).expect("write");
    let before = (c.activities(), c.history_rows());
    let add = c.run(&["--lang", "en", "activity", "add", "--file", &file.display().to_string()]);
    if add.stderr.contains("panicked") {
        return Err(format!("{name}: activity add panicked: {}", last_line(&add.stderr)));
    }
    if add.code != 0 {
        if !(add.stderr.contains("huge.json:") && add.stderr.contains("in_kind[0]")) {
            return Err(format!("{name}: refused, but not at its place: {}", add.stderr));
        }
        if (c.activities(), c.history_rows()) != before {
            return Err(format!("{name}: a refused file wrote to the database"));
        }
        return Ok(());
    }
    for args in [
        &["report", "value"][..],
        &["report", "value", "--currency", "MXN", "--format", "json"],
        &["report", "value", "--direction", "all", "--format", "csv"],
        &["report", "themes", "--measure", "in-kind"],
        &["report", "directions", "--measure", "total", "--currency", "MXN", "--format", "json"],
        &["activity", "show", "XM-HUGE-0001"],
    ] {
        let r = c.run(args);
        if r.code != 0 || r.stderr.contains("panicked") {
            return Err(format!(
                "{name}: `coopera {}` exited with {}: {}",
                args.join(" "),
                r.code,
                last_line(&r.stderr)
            ));
        }
        if args.contains(&"json") && serde_json::from_str::<Value>(&r.stdout).is_err() {
            return Err(format!("{name}: `coopera {}` printed no JSON: {}", args.join(" "), r.stdout));
        }
    }
    Ok(())
}

/// A panic's message (the line after `panicked at`), or else the last line of an output.
fn last_line(text: &str) -> &str {
    let mut lines = text.lines();
    if lines.by_ref().any(|l| l.contains("panicked at")) {
        return lines.next().unwrap_or("");
    }
    text.lines().rev().find(|l| !l.trim().is_empty() && !l.starts_with("note:")).unwrap_or("")
}

#[test]
fn huge_in_kind_quantities_are_refused_or_reported() {
    let failures: Vec<String> =
        QUANTITIES.iter().filter_map(|(name, quantity, value)| check(name, quantity, value).err()).collect();
    assert!(failures.is_empty(), "{} of {} quantities:\n- {}", failures.len(), QUANTITIES.len(), failures.join("\n- "));
}

/// A plain HTTP/1.1 GET: what came back before the server closed, even if it closed early.
fn get(addr: &str, target: &str) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    // The server may answer and close before reading a long request whole.
    let _ = write!(s, "GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut raw = Vec::new();
    let mut buf = [0u8; 8192];
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
    }
    String::from_utf8_lossy(&raw).into_owned()
}

#[test]
fn the_server_answers_huge_and_invalid_queries_with_client_errors() {
    let c = Coopera::new();
    let server = super::web::serve(&c, &["--quiet"]);
    let long = format!("q={}", "a".repeat(100 * 1024));
    let mut failures = Vec::new();
    for path in ["/", "/activities", "/api/v1/activities", "/api/v1/reports/themes"] {
        for (name, query) in [("a query of 100 KB", long.as_str()), ("invalid UTF-8", "q=%FF%FE")] {
            let answer = get(&server.addr, &format!("{path}?{query}"));
            let status = answer.lines().next().unwrap_or("");
            let code: u16 = status.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
            if !(400..500).contains(&code) {
                failures.push(format!("{name} on {path}: {status:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "expected a 4xx:\n- {}", failures.join("\n- "));
}
