//! Which commands create the database and which need one: a command that only reads (or adds
//! to what is there) says that the database does not exist instead of creating an empty one
//! and answering with empty tables.

use super::*;

/// Every command that needs an existing database, as a user would type it.
const NEED_A_DATABASE: &[&[&str]] = &[
    &["activity", "list"],
    &["activity", "show", "MX-AMEXCID-2012-0001"],
    &["org", "list"],
    &["org", "show", "amexcid"],
    &["report", "themes"],
    &["report", "regions", "--direction", "given"],
    &["report", "themes", "--source", "catalog"],
    &["history"],
    &["export", "iati"],
    &["rates", "list"],
];

#[test]
fn a_command_that_needs_a_database_says_it_does_not_exist() {
    let c = Coopera::sqlite();
    let db = c.db().display().to_string();
    for args in NEED_A_DATABASE {
        let r = c.run(args).failed();
        assert_eq!(r.code, 1, "{args:?}");
        assert!(
            r.stderr.contains(&format!("la base de datos {db} no existe; créela con `coopera init` o `coopera demo`")),
            "{args:?}: {}",
            r.stderr
        );
        assert!(r.stdout.is_empty(), "{args:?} printed a table: {}", r.stdout);
        assert!(!c.db().exists(), "{args:?} created the database");
    }
    let en = c.run_env(&["activity", "list"], &[("COOPERA_LANG", "en")]).failed();
    assert!(
        en.stderr
            .contains(&format!("the database {db} does not exist; create it with `coopera init` or `coopera demo`")),
        "{}",
        en.stderr
    );
    // Lists need no database.
    c.run(&["codelist", "show", "Modality"]).ok();
    assert!(!c.db().exists());
}

#[test]
fn the_default_database_is_named_as_the_user_sees_it() {
    let c = Coopera::new();
    let out = Command::new(env!("CARGO_BIN_EXE_coopera"))
        .args(["activity", "list"])
        .current_dir(c.dir.path())
        .env_remove("COOPERA_DB")
        .env_remove("COOPERA_LANG")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("la base de datos ./coopera.db no existe"), "{stderr}");
    assert!(!c.dir.path().join("coopera.db").exists());
}

#[test]
fn commands_that_write_create_it() {
    for args in
        [&["init"][..], &["activity", "add", "--file", &fixture("orgs.toml")][..], &["rates", "load", "--sample"][..]]
    {
        let c = Coopera::sqlite();
        c.run(args).ok();
        assert!(c.db().exists(), "{args:?}");
        c.run(&["activity", "list"]).ok();
    }
}
