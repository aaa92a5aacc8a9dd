//! End-to-end tests of the `coopera` binary: each runs the real program on a fresh database in
//! a temporary folder, as a user would, and checks what it prints and what it stored. The
//! inputs fuzzing found are checked through the `coopera` library (`fuzzed.rs`).

use std::path::{Path, PathBuf};
use std::process::Command;

use coopera_store::{ActivityFilter, Location, Store, StoreOptions};
use serde_json::Value;

/// A path in the shared reference data beside the repository, when it is there. A fresh clone
/// has none and the tests that need it say so and stop; CI has it and sets
/// `COOPERA_REQUIRE_SHARED_DATA`, under which a missing path fails the test instead.
fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(relative);
    if path.exists() {
        return Some(path);
    }
    assert!(std::env::var_os("COOPERA_REQUIRE_SHARED_DATA").is_none(), "{} is missing", path.display());
    eprintln!("{} is missing: this test checks only what the repository carries", path.display());
    None
}

mod catalog;
mod concurrent;
mod crash;
mod crossborder;
mod database;
mod demo;
mod figures;
mod files;
mod fuzzed;
mod generated;
mod hostile;
mod import;
mod moving;
mod practices;
mod reports;
mod search;
mod selection;
mod shared;
mod subnational;
mod users;
mod validate_export;
mod web;
mod workflow;

/// A fresh database and a way to run `coopera` against it: a SQLite file, or a schema of its
/// own on the test server when `COOPERA_TEST_BACKEND=postgres` (`coopera_store::testing`).
struct Coopera {
    dir: tempfile::TempDir,
    postgres: Option<coopera_store::testing::TestPostgres>,
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn ok(self) -> Run {
        assert_eq!(self.code, 0, "expected success\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    fn failed(self) -> Run {
        assert_ne!(self.code, 0, "expected failure\nstdout:\n{}\nstderr:\n{}", self.stdout, self.stderr);
        self
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}", self.stdout))
    }
}

impl Coopera {
    /// A registry on the backend the suite runs on.
    fn new() -> Coopera {
        Coopera {
            dir: tempfile::tempdir().expect("temp dir"),
            postgres: coopera_store::testing::TestPostgres::chosen(),
        }
    }

    /// A registry in a SQLite file, for the tests of what only a file does.
    fn sqlite() -> Coopera {
        Coopera { dir: tempfile::tempdir().expect("temp dir"), postgres: None }
    }

    /// The SQLite file of a registry made by [`Coopera::sqlite`].
    fn db(&self) -> PathBuf {
        assert!(self.postgres.is_none(), "a test of the SQLite file runs on `Coopera::sqlite()`");
        self.dir.path().join("coopera.db")
    }

    /// Where the registry is, as `--db` and `COOPERA_DB` take it.
    fn location(&self) -> std::ffi::OsString {
        match &self.postgres {
            Some(pg) => pg.url().into(),
            None => self.dir.path().join("coopera.db").into(),
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_coopera"));
        cmd.args(args).env("COOPERA_DB", self.location()).env_remove("COOPERA_LANG").env_remove("COOPERA_USER");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run coopera");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Runs `coopera` with `input` on its standard input (a password).
    fn run_stdin(&self, args: &[&str], input: &str) -> Run {
        use std::io::Write as _;
        let mut child = Command::new(env!("CARGO_BIN_EXE_coopera"))
            .args(args)
            .env("COOPERA_DB", self.location())
            .env_remove("COOPERA_LANG")
            .env_remove("COOPERA_USER")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run coopera");
        child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write stdin");
        let out = child.wait_with_output().expect("run coopera");
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    fn store(&self) -> Store {
        Store::open(Location::parse(&self.location()), StoreOptions::default()).expect("open store")
    }

    fn history_rows(&self) -> u64 {
        self.store().count_history().expect("history")
    }

    fn activities(&self) -> u64 {
        self.store().count_activities(&ActivityFilter::default()).expect("count")
    }
}

fn fixture(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures").join(name).display().to_string()
}

#[test]
fn codelist_show_speaks_both_languages() {
    let c = Coopera::new();
    let es = c.run(&["codelist", "show", "Sector", "41010", "--lang", "es"]).ok();
    assert!(es.stdout.starts_with("41010  Política medioambiental y gestión administrativa"), "{}", es.stdout);
    let en = c.run_env(&["codelist", "show", "Sector", "41010"], &[("COOPERA_LANG", "en")]).ok();
    assert!(en.stdout.starts_with("41010  Environmental policy and administrative management"), "{}", en.stdout);
    let states = c.run(&["codelist", "show", "MxState", "--format", "json"]).ok().json();
    assert_eq!(states.as_array().map(Vec::len), Some(32));
    let unknown = c.run(&["codelist", "show", "Sector", "41011"]).failed();
    assert!(
        unknown.stderr.contains("¿quiso decir") && unknown.stderr.contains("41010 (Política medioambiental"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn unknown_language_is_refused() {
    let c = Coopera::sqlite();
    let r = c.run(&["--lang", "fr", "init"]).failed();
    assert!(r.stderr.contains("idioma desconocido `fr`"), "{}", r.stderr);
    assert!(!c.db().exists(), "nothing created");
}
