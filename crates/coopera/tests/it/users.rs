//! `coopera user` and `coopera audit`, as an administrator at the server's console uses them.

use super::*;

#[test]
fn accounts_are_made_listed_and_disabled_on_the_command_line() {
    let c = Coopera::sqlite();
    c.run(&["init"]).ok();
    let made = c
        .run_stdin(
            &["user", "add", "Ana", "--role", "editor", "--scope", "state:MX-CHP", "--password-stdin"],
            "contraseña-de-ana\n",
        )
        .ok();
    assert!(made.stdout.contains("cuenta `ana` creada: Editor, alcance Entidad: Chiapas (07)"), "{}", made.stdout);
    c.run_stdin(&["user", "add", "luis", "--role", "analyst", "--password-stdin"], "contraseña-de-luis\r\n").ok();

    let list = c.run(&["user", "list", "--format", "json"]).ok().json();
    let rows = list.as_array().expect("rows");
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0]["name"].as_str(), rows[0]["role"].as_str()), (Some("ana"), Some("editor")));
    assert_eq!(rows[0]["scope"].as_str(), Some("state:07"));

    // The password is what was typed, without the line ending, and is not stored as typed.
    c.store().sign_in("luis", "contraseña-de-luis", "127.0.0.1").expect("the CRLF is not part of the password");
    let db = std::fs::read(c.db()).expect("read db");
    assert!(!String::from_utf8_lossy(&db).contains("contraseña-de-ana"), "no password in the file");

    let refusals: [(&[&str], &str, &str); 4] = [
        (&["user", "add", "eva", "--role", "jefe", "--password-stdin"], "contraseña-de-eva\n", "--role: `jefe`"),
        (
            &["user", "add", "eva", "--role", "editor", "--scope", "state:99", "--password-stdin"],
            "contraseña-de-eva\n",
            "--scope",
        ),
        (&["user", "add", "eva", "--role", "viewer", "--password-stdin"], "corta\n", "al menos 10 caracteres"),
        (
            &["user", "add", "ANA", "--role", "viewer", "--password-stdin"],
            "contraseña-de-eva\n",
            "ya existe una cuenta llamada `ana`",
        ),
    ];
    let rows_before = c.store().audit(&Default::default()).expect("audit").len();
    for (args, input, message) in refusals {
        let r = c.run_stdin(args, input).failed();
        assert!(r.stderr.contains(message), "{args:?}: {}", r.stderr);
    }
    assert_eq!(c.store().accounts().expect("accounts").len(), 2, "nothing made");
    assert_eq!(c.store().audit(&Default::default()).expect("audit").len(), rows_before, "nothing recorded");

    c.run(&["user", "disable", "ana"]).ok();
    let err = c.store().sign_in("ana", "contraseña-de-ana", "127.0.0.1").expect_err("disabled");
    assert_eq!(err.message(coopera_domain::Lang::Es), "nombre o contraseña incorrectos");
    c.run_stdin(&["user", "reset-password", "luis", "--password-stdin"], "otra-contraseña-luis\n").ok();
    c.store().sign_in("luis", "otra-contraseña-luis", "127.0.0.1").expect("the new password");
    let unknown = c.run(&["--lang", "en", "user", "disable", "nadie"]).failed();
    assert!(unknown.stderr.contains("no account named `nadie`"), "{}", unknown.stderr);
}

#[test]
fn a_token_is_shown_once_and_revoked() {
    let c = Coopera::sqlite();
    c.run(&["init"]).ok();
    c.run_stdin(&["user", "add", "bot", "--role", "analyst", "--password-stdin"], "contraseña-del-bot\n").ok();
    let issued = c.run(&["user", "token", "bot", "--name", "carga"]).ok();
    let token = issued.stdout.trim().to_owned();
    assert!(token.starts_with("coopera_") && token.len() == 72, "{token}");
    assert!(issued.stderr.contains("se muestra una sola vez"), "{}", issued.stderr);
    assert!(!String::from_utf8_lossy(&std::fs::read(c.db()).expect("db")).contains(&token), "only its digest is kept");
    assert_eq!(c.store().token_account(&token, None).expect("token").map(|a| a.name), Some("bot".into()));

    let listed = c.run(&["user", "tokens", "bot", "--format", "json"]).ok().json();
    assert_eq!(listed[0]["label"].as_str(), Some("carga"));
    c.run(&["user", "revoke-token", "bot", "--name", "carga"]).ok();
    assert_eq!(c.store().token_account(&token, None).expect("token"), None);
    let again = c.run(&["user", "revoke-token", "bot", "--name", "otro"]).failed();
    assert!(again.stderr.contains("no hay un token llamado `otro`"), "{}", again.stderr);
}

#[test]
fn the_audit_trail_is_listed_and_an_edited_row_is_caught() {
    let c = Coopera::sqlite();
    c.run(&["demo"]).ok();
    c.run_stdin(&["user", "add", "ana", "--role", "viewer", "--password-stdin"], "contraseña-de-ana\n").ok();
    let verified = c.run(&["audit", "verify"]).ok();
    assert!(verified.stdout.starts_with("bitácora íntegra: "), "{}", verified.stdout);

    let by_cli = c.run(&["audit", "--user", "cli", "--format", "json"]).ok().json();
    let rows = by_cli.as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["event"].as_str(), Some("account-created"));
    assert_eq!(rows[0]["key"].as_str(), Some("ana"));
    let about = c.run(&["audit", "--record", "amexcid", "--format", "json"]).ok().json();
    assert!(about.as_array().is_some_and(|r| !r.is_empty() && r.iter().all(|r| r["key"] == "amexcid")));
    let since = c.run(&["audit", "--since", "2999-01-01", "--format", "json"]).ok().json();
    assert_eq!(since.as_array().map(Vec::len), Some(0));
    let bad = c.run(&["audit", "--since", "ayer"]).failed();
    assert!(bad.stderr.contains("--since: `ayer` no es una fecha"), "{}", bad.stderr);

    // Someone with the file edits one row: verify fails, naming it.
    let conn = rusqlite::Connection::open(c.db()).expect("open");
    conn.execute("UPDATE change_history SET author = 'nadie' WHERE id = 7", []).expect("tamper");
    drop(conn);
    let broken = c.run(&["audit", "verify"]).failed();
    assert_eq!(broken.code, 1);
    assert!(broken.stderr.contains("bitácora alterada en la fila 7"), "{}", broken.stderr);
    let en = c.run(&["--lang", "en", "audit", "verify"]).failed();
    assert!(en.stderr.contains("audit trail altered at row 7: the row was altered"), "{}", en.stderr);
}
