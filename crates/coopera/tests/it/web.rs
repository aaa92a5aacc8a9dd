//! `coopera serve`: the real binary on a free loopback port, answering and stopping cleanly.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Stdio};
use std::time::Duration;

use super::*;

/// A running server; killed if the test fails before stopping it.
pub(super) struct Server {
    pub(super) child: Child,
    pub(super) addr: String,
    /// What it printed before its address.
    pub(super) said: Vec<String>,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(super) fn serve(c: &Coopera, extra: &[&str]) -> Server {
    serve_with(c, extra, &[])
}

/// [`serve`] with variables set (the log's filter, unset otherwise).
fn serve_with(c: &Coopera, extra: &[&str], vars: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_coopera"));
    cmd.args(["serve", "--addr", "127.0.0.1:0"]).args(extra);
    cmd.env("COOPERA_DB", c.location()).env_remove("COOPERA_LANG").env_remove("COOPERA_LOG").env_remove("RUST_LOG");
    cmd.envs(vars.iter().copied()).stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("start coopera serve");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut addr = String::new();
    let mut said = Vec::new();
    for _ in 0..20 {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        if let Some(rest) = line.split("http://").nth(1) {
            addr = rest.split('/').next().unwrap_or("").to_owned();
            break;
        }
        said.push(line.trim_end().to_owned());
    }
    assert!(!addr.is_empty(), "the server printed no address");
    Server { child, addr, said, stdout }
}

/// A plain HTTP/1.1 GET: (status line, body).
pub(super) fn http_get(addr: &str, path: &str) -> (String, String) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    write!(s, "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").expect("send");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    (head.lines().next().unwrap_or("").to_owned(), body.to_owned())
}

#[test]
fn serve_demo_answers_and_stops_on_sigterm() {
    let c = Coopera::new();
    let mut server = serve(&c, &["--demo", "--quiet"]);
    let (status, body) = http_get(&server.addr, "/health");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("\"status\":\"ok\""), "{body}");
    assert!(!body.contains("\"activities\":0"), "the demo data was loaded: {body}");
    let (status, page) = http_get(&server.addr, "/");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(page.contains("<svg class=\"map\""), "the dashboard draws its maps");
    assert!(page.contains("Datos de demostración"), "and says the data is illustrative");
    let (status, _) = http_get(&server.addr, "/api/v1/reports/themes");
    assert_eq!(status, "HTTP/1.1 200 OK");

    let pid = server.child.id().to_string();
    let killed = Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    assert!(killed.success());
    let status = server.child.wait().expect("wait");
    assert!(status.success(), "a clean stop: {status:?}");
    let mut rest = String::new();
    server.stdout.read_to_string(&mut rest).expect("stdout");
    assert!(rest.contains("servidor detenido"), "{rest}");
    // A second start finds the data and does not load it again.
    let written = c.history_rows();
    let again = serve(&c, &["--demo", "--quiet"]);
    let (_, body) = http_get(&again.addr, "/health");
    assert!(body.contains("\"status\":\"ok\""));
    assert_eq!(c.history_rows(), written, "nothing written the second time");
    assert!(again.said.iter().any(|l| l.contains("ya tiene los datos de demostración")), "{:?}", again.said);
}

/// What a server logged on standard error once stopped by SIGTERM after answering `/health`.
fn log_of_a_health_check(c: &Coopera, extra: &[&str], vars: &[(&str, &str)]) -> String {
    let mut server = serve_with(c, extra, vars);
    let (status, _) = http_get(&server.addr, "/health");
    assert_eq!(status, "HTTP/1.1 200 OK");
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().expect("kill").success());
    assert!(server.child.wait().expect("wait").success());
    let mut log = String::new();
    server.child.stderr.take().expect("stderr").read_to_string(&mut log).expect("stderr");
    log
}

#[test]
fn serve_logs_each_request_unless_quiet_or_filtered() {
    let c = Coopera::new();
    c.run(&["init"]).ok();
    let log = log_of_a_health_check(&c, &[], &[]);
    let line = log.lines().find(|l| l.contains("GET /health 200 ")).unwrap_or_else(|| panic!("{log}"));
    // `2026-11-24T10:00:00.123456Z  INFO GET /health 200 0.3 ms`: the time, the level, the line.
    assert!(line.starts_with("20") && line.contains(" INFO GET /health 200 ") && line.ends_with(" ms"), "{line}");
    assert!(!log_of_a_health_check(&c, &["--quiet"], &[]).contains("GET /health"));
    assert!(!log_of_a_health_check(&c, &[], &[("COOPERA_LOG", "warn")]).contains("GET /health"));
    let log = log_of_a_health_check(&c, &[], &[("RUST_LOG", "coopera_web::request=off,info")]);
    assert!(!log.contains("GET /health"), "{log}");
    // COOPERA_LOG wins over RUST_LOG.
    let log = log_of_a_health_check(&c, &[], &[("RUST_LOG", "off"), ("COOPERA_LOG", "info")]);
    assert!(log.contains("GET /health"), "{log}");
    let bad = c.run_env(&["--lang", "en", "serve", "--addr", "127.0.0.1:0"], &[("COOPERA_LOG", "coopera_web=loud")]);
    let bad = bad.failed();
    assert!(bad.stderr.contains("COOPERA_LOG: `coopera_web=loud` is not a log filter"), "{}", bad.stderr);
}

#[test]
fn serve_demo_on_a_registry_with_other_data_says_it_did_not_load_the_demo() {
    let c = Coopera::new();
    c.run(&["activity", "add", "--file", &fixture("orgs.toml")]).ok();
    let written = c.history_rows();
    let server = serve(&c, &["--demo", "--quiet"]);
    assert!(
        server.said.iter().any(|l| l.contains(
            "no se cargaron los datos de demostración: la base de datos ya tiene datos (0 actividades, 2 organizaciones)"
        )),
        "{:?}",
        server.said
    );
    assert_eq!(c.history_rows(), written, "nothing written");
    let (status, page) = http_get(&server.addr, "/");
    assert_eq!(status, "HTTP/1.1 200 OK", "it still serves");
    assert!(!page.contains("Datos de demostración"), "the registry's own data is not called illustrative");
}

#[test]
fn serve_refuses_an_address_in_use() {
    let c = Coopera::new();
    let first = serve(&c, &["--quiet"]);
    let out = Command::new(env!("CARGO_BIN_EXE_coopera"))
        .args(["serve", "--quiet", "--addr", &first.addr])
        .env("COOPERA_DB", c.location())
        .env_remove("COOPERA_LANG")
        .output()
        .expect("run");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("no se puede escuchar en {}", first.addr)), "{stderr}");
}
