//! Moving and keeping a registry: `coopera db copy` between SQLite and PostgreSQL both ways,
//! proved by `coopera db checksum` and `coopera audit verify`; `coopera backup` of a SQLite
//! registry while a server writes to it; a PostgreSQL registry dumped with pg_dump and
//! restored with pg_restore, as docs/deployment.md says.

use std::process::Command;

use coopera_store::testing::TestPostgres;

use super::web::serve;
use super::*;

fn checksums(c: &Coopera, location: &std::ffi::OsStr) -> Value {
    let out = c.run(&["--db", &location.to_string_lossy(), "db", "checksum", "--format", "json"]).ok();
    out.json()
}

#[test]
fn a_registry_goes_to_postgres_and_back_with_equal_checksums() {
    let Some(pg) = TestPostgres::new() else { return };
    let c = Coopera::sqlite();
    c.run(&["demo"]).ok();
    c.run_stdin(&["user", "add", "ana", "--role", "administrator", "--password-stdin"], "contraseña-de-ana\n").ok();
    let token = c.run(&["user", "token", "ana"]).ok().stdout.trim().to_owned();
    let first = c.dir.path().join("coopera.db");
    let back = c.dir.path().join("back.db");
    let url = pg.url();

    let there = c.run(&["db", "copy", "--from", &first.to_string_lossy(), "--to", &url]).ok();
    assert!(there.stdout.contains("verificada: las 13 sumas de comprobación coinciden"), "{}", there.stdout);
    let again = c.run(&["--lang", "en", "db", "copy", "--from", &url, "--to", &back.to_string_lossy()]).ok();
    assert!(again.stdout.contains("verified: all 13 checksums are equal"), "{}", again.stdout);

    let sums = checksums(&c, first.as_os_str());
    assert_eq!(sums, checksums(&c, std::ffi::OsStr::new(&url)));
    assert_eq!(sums, checksums(&c, back.as_os_str()));
    assert_eq!(sums.as_array().map(Vec::len), Some(13));
    for place in [url.clone(), back.to_string_lossy().into_owned()] {
        let verified = c.run(&["--db", &place, "audit", "verify"]).ok();
        assert!(verified.stdout.contains("íntegra"), "{place}: {}", verified.stdout);
        // The copy answers the same: the token works, the figures are the seed's.
        let report = c.run(&["--db", &place, "report", "themes"]).ok();
        assert!(report.stdout.contains("Medio Ambiente"), "{}", report.stdout);
    }
    let store = Store::open(Location::parse(std::ffi::OsStr::new(&url)), StoreOptions::default()).expect("open");
    assert_eq!(store.token_account(&token, None).expect("token").map(|a| a.name), Some("ana".into()));

    // Into a database that holds a registry: refused, and nothing changes.
    let refused = c.run(&["db", "copy", "--from", &first.to_string_lossy(), "--to", &url]).failed();
    assert!(refused.stderr.contains("ya tiene un registro"), "{}", refused.stderr);
    let missing = c.run(&["db", "copy", "--from", "/nonexistent/x.db", "--to", &back.to_string_lossy()]).failed();
    assert!(missing.stderr.contains("no existe"), "{}", missing.stderr);
}

#[test]
fn a_backup_is_taken_while_the_server_writes() {
    let c = Coopera::sqlite();
    c.run(&["activity", "add", "--file", &fixture("orgs.toml")]).ok();
    let server = serve(&c, &["--quiet"]);
    let activity = std::fs::read_to_string(fixture("activity-ok.toml")).expect("fixture");
    // A writer beside the server: activities added while the backup is taken.
    let writer = {
        let db = c.db();
        std::thread::spawn(move || {
            for n in 0..5 {
                let dir = tempfile::tempdir().expect("temp dir");
                let file = dir.path().join("a.toml");
                std::fs::write(&file, activity.replace("MX-TEST-2012-0001", &format!("MX-TEST-2012-1{n:03}")))
                    .expect("write");
                let out = Command::new(env!("CARGO_BIN_EXE_coopera"))
                    .args(["activity", "add", "--file"])
                    .arg(&file)
                    .env("COOPERA_DB", &db)
                    .output()
                    .expect("run");
                assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            }
        })
    };
    let out = c.dir.path().join("respaldo.db");
    let r = c.run(&["backup", "--out", &out.to_string_lossy()]).ok();
    assert!(r.stdout.contains("respaldo de"), "{}", r.stdout);
    writer.join().expect("writer");
    drop(server);
    // The backup is a whole registry of its own: it verifies and reports.
    let verified = c.run(&["--db", &out.to_string_lossy(), "audit", "verify"]).ok();
    assert!(verified.stdout.contains("íntegra"), "{}", verified.stdout);
    let sums = checksums(&c, out.as_os_str());
    assert_eq!(sums[0]["rows"].as_u64(), Some(2), "the organisations: {sums}");
    let again = c.run(&["backup", "--out", &out.to_string_lossy()]).failed();
    assert!(again.stderr.contains("ya existe"), "{}", again.stderr);
}

#[test]
fn a_postgres_registry_is_dumped_and_restored_with_the_postgres_tools() {
    let Some(pg) = TestPostgres::new() else { return };
    let c = Coopera { dir: tempfile::tempdir().expect("temp dir"), postgres: Some(pg) };
    c.run(&["demo"]).ok();
    let url = c.location().to_string_lossy().into_owned();
    let before = checksums(&c, c.location().as_os_str());
    let schema = c.postgres.as_ref().map(|p| p.schema().to_owned()).unwrap_or_default();
    let server = std::env::var(coopera_store::testing::SERVER).unwrap_or_default();
    let dump = c.dir.path().join("coopera.dump");
    // As docs/deployment.md says (here for one schema of the test server).
    let ok = Command::new("pg_dump")
        .args(["--format=custom", "--no-owner", "--schema", &schema, "--file"])
        .arg(&dump)
        .arg(&server)
        .status()
        .expect("pg_dump runs");
    assert!(ok.success());
    let mut admin = postgres_admin(&server);
    admin(&format!("DROP SCHEMA {schema} CASCADE"));
    let gone = c.run(&["report", "themes"]);
    assert!(!gone.stdout.contains("Medio Ambiente"), "the registry is gone before the restore");
    let ok = Command::new("pg_restore")
        .args(["--no-owner", "--dbname", &server])
        .arg(&dump)
        .status()
        .expect("pg_restore runs");
    assert!(ok.success());
    assert_eq!(checksums(&c, c.location().as_os_str()), before, "the restored registry is the same");
    let verified = c.run(&["--db", &url, "audit", "verify"]).ok();
    assert!(verified.stdout.contains("íntegra"), "{}", verified.stdout);
}

/// Runs statements on the test server through `psql`.
fn postgres_admin(server: &str) -> impl FnMut(&str) + '_ {
    move |sql| {
        let ok =
            Command::new("psql").args(["-q", "-v", "ON_ERROR_STOP=1", server, "-c", sql]).status().expect("psql runs");
        assert!(ok.success(), "{sql}");
    }
}
