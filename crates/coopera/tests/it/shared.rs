//! Several `coopera serve` processes on one PostgreSQL registry, as an agency runs them behind
//! a reverse proxy: a write through one shows through the other within a second (the other
//! is notified, it does not poll), and two edits of the same record from the same version, one
//! through each server, get one 200 and one 409 — never a lost update.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use coopera_store::testing::TestPostgres;

use super::web::serve;
use super::*;

/// An HTTP/1.1 request with a bearer token and a JSON body: (status code, body).
fn call(addr: &str, method: &str, path: &str, token: &str, body: Option<&Value>) -> (u16, Value) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(20))).expect("timeout");
    let body = body.map(Value::to_string).unwrap_or_default();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send");
    let mut raw = String::new();
    s.read_to_string(&mut raw).expect("read");
    let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((&raw, ""));
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[test]
fn two_servers_on_one_postgres_registry_see_each_other_and_lose_nothing() {
    let Some(pg) = TestPostgres::new() else { return };
    let c = Coopera { dir: tempfile::tempdir().expect("temp dir"), postgres: Some(pg) };
    c.run(&["demo"]).ok();
    c.run_stdin(&["user", "add", "ana", "--role", "administrator", "--password-stdin"], "contraseña-de-ana\n").ok();
    let token = c.run(&["user", "token", "ana"]).ok().stdout.trim().to_owned();
    let (a, b) = (serve(&c, &["--quiet"]), serve(&c, &["--quiet"]));

    // A published activity of the demo, as both servers have it.
    let (status, list) = call(&b.addr, "GET", "/api/v1/activities?per_page=1", &token, None);
    assert_eq!(status, 200, "{list}");
    let id = list["items"][0]["id"].as_str().expect("an activity").to_owned();
    let path = format!("/api/v1/activities/{id}");
    let (status, stored) = call(&a.addr, "GET", &path, &token, None);
    assert_eq!(status, 200, "{stored}");
    let version = stored["version"].clone();

    // Saved through A; B's list — its views of the registry — finds it within a second.
    let mut first = stored["document"].clone();
    first["title"]["es"] = "Curso de cuencas zorzalcanto".into();
    let (status, saved) =
        call(&a.addr, "PUT", &path, &token, Some(&serde_json::json!({"version": version, "document": first})));
    assert_eq!(status, 200, "{saved}");
    let written = Instant::now();
    loop {
        let (status, found) = call(&b.addr, "GET", "/api/v1/activities?q=zorzalcanto", &token, None);
        assert_eq!(status, 200, "{found}");
        if found["total"] == 1 {
            break;
        }
        assert!(written.elapsed() < Duration::from_secs(1), "B did not see A's write within a second: {found}");
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!("B saw A's write after {:?}", written.elapsed());

    // Through B, from the version read before A's save: refused, and A's save is kept.
    let mut second = stored["document"].clone();
    second["title"]["es"] = "Curso de cuencas (otra edición)".into();
    let (status, refused) =
        call(&b.addr, "PUT", &path, &token, Some(&serde_json::json!({"version": version, "document": second})));
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refused["error"]["code"], "conflict");
    for server in [&a, &b] {
        let (_, now) = call(&server.addr, "GET", &path, &token, None);
        assert_eq!(now["document"]["title"]["es"], "Curso de cuencas zorzalcanto", "the first save is kept");
    }
    assert!(matches!(c.store().verify_audit().expect("verify"), coopera_store::AuditVerdict::Intact { .. }));
}
