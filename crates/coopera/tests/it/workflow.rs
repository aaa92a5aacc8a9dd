//! The validation workflow from the command line: what an import writes enters as a draft
//! (published with `--publish`) and the audit trail marks it as an import; `activity
//! transition` walks an activity from draft to published and back to draft with a reason,
//! each step in the history; a step the workflow refuses changes nothing and says why.

use super::import::iati;
use super::*;

const VERSIONED: &str = "XM-EXAMPLE-VERSIONED";

impl Coopera {
    /// `coopera import iati FLAGS… FILES… --format json`, in English.
    fn import_with(&self, flags: &[&str], files: &[&str]) -> Run {
        let mut args = vec!["--lang", "en", "import", "iati", "--format", "json"];
        args.extend_from_slice(flags);
        args.extend_from_slice(files);
        self.run(&args)
    }
}

/// The workflow state of each stored activity, as `activity show --format json` gives it.
fn workflows(c: &Coopera) -> Vec<(String, String)> {
    let keys: Vec<String> =
        c.store().activities(&ActivityFilter::default()).expect("list").into_iter().map(|a| a.key).collect();
    keys.into_iter()
        .map(|key| {
            let shown = c.run(&["activity", "show", &key, "--format", "json"]).ok().json();
            let workflow =
                shown["workflow"].as_str().unwrap_or_else(|| panic!("workflow of {key}: {shown}")).to_owned();
            (key, workflow)
        })
        .collect()
}

/// The events of the audit trail's rows about records, oldest first.
fn record_events(c: &Coopera) -> Vec<String> {
    let rows = c.run(&["audit", "--format", "json"]).ok().json();
    let rows = rows.as_array().unwrap_or_else(|| panic!("rows in {rows}"));
    rows.iter().filter(|r| r["action"] != "event").map(|r| r["event"].as_str().unwrap_or("").to_owned()).collect()
}

/// The history of `key` as `history --format json` gives it, newest first.
fn history_of(c: &Coopera, key: &str) -> Vec<Value> {
    let rows = c.run(&["history", "--key", key, "--format", "json"]).ok().json();
    rows.as_array().unwrap_or_else(|| panic!("rows in {rows}")).clone()
}

/// What changes when a step is tried: the history, the audit trail, the activity's version.
fn footprint(c: &Coopera, key: &str) -> (u64, usize, Option<coopera_store::Version>) {
    let store = c.store();
    let trail = store.audit(&coopera_store::AuditFilter::default()).expect("audit").len();
    (c.history_rows(), trail, store.version(coopera_store::RecordKind::Activity, key).expect("version"))
}

#[test]
fn imports_enter_as_drafts_unless_published_and_the_trail_says_import() {
    let c = Coopera::new();
    let files = [iati("duplicates-a.xml"), iati("version-1.xml")];
    let text = c.run(&["import", "iati", &files[0], &files[1]]).ok();
    assert!(
        text.stdout
            .contains("3 actividades como borrador; publíquelas con --publish o con `coopera activity transition`"),
        "{}",
        text.stdout
    );
    let drafts: Vec<(String, String)> = workflows(&c);
    assert_eq!(drafts.len(), 3);
    assert!(drafts.iter().all(|(_, w)| w == "draft"), "{drafts:?}");
    let events = record_events(&c);
    assert!(!events.is_empty() && events.iter().all(|e| e == "import"), "{events:?}");
    let history = history_of(&c, VERSIONED);
    assert_eq!((history.len(), history[0]["event"].as_str()), (1, Some("import")), "{history:?}");

    // Published on import, the same files update every activity (and only the activities).
    let summary = c.import_with(&["--publish"], &[&files[0], &files[1]]).ok().json();
    assert_eq!(summary["workflow"], "published", "{summary}");
    assert_eq!((summary["activities"]["updated"].as_u64(), summary["activities"]["new"].as_u64()), (Some(3), Some(0)));
    assert!(workflows(&c).iter().all(|(_, w)| w == "published"), "{:?}", workflows(&c));
    let events = record_events(&c);
    assert!(events.iter().all(|e| e == "import"), "{events:?}");

    // In English, and into an empty registry: published at once.
    let fresh = Coopera::new();
    let text = fresh.run(&["--lang", "en", "import", "iati", "--publish", &files[1]]).ok();
    assert!(text.stdout.contains("1 activity published (--publish)"), "{}", text.stdout);
    assert_eq!(workflows(&fresh), [(VERSIONED.to_owned(), "published".to_owned())]);
}

#[test]
fn activity_add_enters_drafts_unless_published() {
    let c = Coopera::new();
    c.run(&["activity", "add", "--file", &fixture("orgs.toml")]).ok();
    // The file says the activity is published: a file added is a draft all the same.
    let text = std::fs::read_to_string(fixture("activity-ok.toml")).expect("read");
    let published = c.dir.path().join("published.toml");
    std::fs::write(&published, format!("workflow = \"published\"\n{text}")).expect("write");
    let file = published.display().to_string();
    let r = c.run(&["--lang", "en", "activity", "add", "--file", &file]).ok();
    assert!(r.stdout.contains("1 activity as draft; publish it with --publish"), "{}", r.stdout);
    assert_eq!(workflows(&c), [("MX-TEST-2012-0001".to_owned(), "draft".to_owned())]);
    let r = c.run(&["activity", "add", "--update", "--publish", "--file", &file]).ok();
    assert!(r.stdout.contains("1 actualizado(s)") && r.stdout.contains("1 actividad publicada"), "{}", r.stdout);
    assert_eq!(workflows(&c), [("MX-TEST-2012-0001".to_owned(), "published".to_owned())]);
}

#[test]
fn an_activity_walks_the_workflow_and_back_to_draft_with_a_reason() {
    let c = Coopera::new();
    c.run(&["import", "iati", &iati("version-1.xml")]).ok();
    for (to, said) in [
        ("submitted", "Borrador → Enviado"),
        ("validated", "Enviado → Validado"),
        ("published", "Validado → Publicado"),
    ] {
        let r = c.run(&["--user", "ana", "activity", "transition", VERSIONED, "--to", to]).ok();
        assert_eq!(r.stdout.trim(), format!("{VERSIONED}: {said}"));
        assert_eq!(workflows(&c), [(VERSIONED.to_owned(), to.to_owned())]);
    }
    let back = c.run(&[
        "--lang",
        "en",
        "activity",
        "transition",
        VERSIONED,
        "--to",
        "draft",
        "--reason",
        "amounts to be checked",
    ]);
    assert_eq!(back.ok().stdout.trim(), format!("{VERSIONED}: Published → Draft"));
    assert_eq!(workflows(&c), [(VERSIONED.to_owned(), "draft".to_owned())]);

    // The history says how each change came, and why it went back.
    let history = history_of(&c, VERSIONED);
    let events: Vec<&str> = history.iter().filter_map(|r| r["event"].as_str()).collect();
    assert_eq!(events, ["transition", "transition", "transition", "transition", "import"], "newest first");
    assert_eq!(history[0]["reason"], "amounts to be checked");
    assert_eq!(history[0]["detail"], "published->draft: amounts to be checked");
    assert_eq!((history[1]["author"].as_str(), history[1]["reason"].as_str()), (Some("ana"), None));
    let table = c.run(&["history", "--key", VERSIONED]).ok().stdout;
    assert!(table.contains("cambio de estado") && table.contains("importación"), "{table}");
    assert!(table.contains("Publicado → Borrador: amounts to be checked"), "{table}");
    let table = c.run(&["--lang", "en", "history", "--key", VERSIONED]).ok().stdout;
    assert!(table.contains("transition") && table.contains("Validated → Published"), "{table}");
    // The store reads the same steps back.
    let steps = c.store().transitions(VERSIONED).expect("transitions");
    assert_eq!(steps.len(), 4);
    assert_eq!(steps[3].reason.as_deref(), Some("amounts to be checked"));
}

/// Runs `activity transition ARGS…`, which must fail with exit code 1 saying `expected` and
/// change nothing.
fn refused(c: &Coopera, args: &[&str], expected: &str) {
    let before = footprint(c, VERSIONED);
    let mut all = vec!["activity", "transition"];
    all.extend_from_slice(args);
    let r = c.run(&all).failed();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains(expected), "expected `{expected}` in:\n{}", r.stderr);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert_eq!(footprint(c, VERSIONED), before, "nothing changed");
}

#[test]
fn a_refused_step_changes_nothing_and_says_why() {
    let c = Coopera::sqlite();
    c.run(&["import", "iati", &iati("version-1.xml")]).ok();
    refused(
        &c,
        &[VERSIONED, "--to", "validated"],
        "la actividad `XM-EXAMPLE-VERSIONED` está en «Borrador» y no puede pasar a «Validado»: su siguiente paso es \
         --to submitted; no cambió nada",
    );
    refused(&c, &[VERSIONED, "--to", "draft", "--reason", "x"], "ya está en «Borrador»; no cambió nada");
    refused(&c, &["XM-NOWHERE", "--to", "submitted"], "no existe la actividad `XM-NOWHERE`");
    refused(
        &c,
        &["--lang", "en", VERSIONED, "--to", "published"],
        "activity `XM-EXAMPLE-VERSIONED` is draft and cannot move to published: its next step is --to submitted",
    );
    assert_eq!(workflows(&c), [(VERSIONED.to_owned(), "draft".to_owned())]);

    // Back to draft needs a reason, however far the activity went; no step is skipped.
    c.run(&["activity", "transition", VERSIONED, "--to", "submitted"]).ok();
    refused(&c, &[VERSIONED, "--to", "draft"], "volver a borrador requiere un motivo: --reason TEXTO");
    refused(&c, &[VERSIONED, "--to", "draft", "--reason", "  "], "volver a borrador requiere un motivo");
    refused(&c, &["--lang", "en", VERSIONED, "--to", "draft"], "going back to draft needs a reason: --reason TEXT");
    refused(
        &c,
        &[VERSIONED, "--to", "published"],
        "su siguiente paso es --to validated, o de vuelta a borrador con --to draft --reason TEXTO",
    );
    assert_eq!(workflows(&c), [(VERSIONED.to_owned(), "submitted".to_owned())]);
    c.run(&["activity", "transition", VERSIONED, "--to", "validated"]).ok();
    c.run(&["activity", "transition", VERSIONED, "--to", "published"]).ok();
    refused(
        &c,
        &["--lang", "en", VERSIONED, "--to", "validated"],
        "activity `XM-EXAMPLE-VERSIONED` is published and cannot move to validated: it can only go back to draft, \
         with --to draft --reason TEXT; nothing changed",
    );
    assert_eq!(workflows(&c), [(VERSIONED.to_owned(), "published".to_owned())]);

    // No registry at all: nothing is created.
    let empty = Coopera::sqlite();
    let r = empty.run(&["activity", "transition", VERSIONED, "--to", "submitted"]).failed();
    assert!(r.stderr.contains("no existe; créela con `coopera init`"), "{}", r.stderr);
    assert!(!empty.db().exists());
}
