//! `coopera import iati`: real files go in with every warning placed at file:line; a second
//! import changes nothing; a newer version updates with history; a broken file stores nothing
//! while the other files of the run are imported. With the shared reference data beside the
//! repository, the whole real corpus is imported and its money checked by a second reading.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::time::Instant;

use coopera_iati::read::xml::{ActivityStream, Limits};
use coopera_store::ActivityFilter;
use rust_decimal::Decimal;

use super::*;

const MX: &str = "dportal-covid-2021-recipient-MX.xml";

/// A file of `crates/coopera-iati/tests/fixtures/iati` (sources in its README).
pub(super) fn iati(name: &str) -> String {
    iati_dir().join(name).display().to_string()
}

fn iati_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../coopera-iati/tests/fixtures/iati")
}

impl Coopera {
    /// `coopera import iati FILES… --format json`, in English.
    fn import(&self, files: &[&str]) -> Run {
        let mut args = vec!["--lang", "en", "import", "iati", "--format", "json"];
        args.extend_from_slice(files);
        self.run(&args)
    }
}

/// `activities.new`, `.updated`, `.unchanged` of a summary.
fn counts(summary: &Value) -> (u64, u64, u64) {
    let a = &summary["activities"];
    let n = |k: &str| a[k].as_u64().unwrap_or_else(|| panic!("activities.{k} in {summary}"));
    (n("new"), n("updated"), n("unchanged"))
}

fn notes<'a>(summary: &'a Value, list: &str) -> &'a Vec<Value> {
    summary[list].as_array().unwrap_or_else(|| panic!("{list} in {summary}"))
}

/// (file name, line, activity) of each note of a list.
fn places(summary: &Value, list: &str) -> Vec<(String, u64, String)> {
    notes(summary, list)
        .iter()
        .map(|n| {
            let file = n["file"].as_str().map(|f| Path::new(f).file_name().map(|x| x.to_string_lossy().into_owned()));
            (
                file.flatten().unwrap_or_default(),
                n["line"].as_u64().unwrap_or_default(),
                n["activity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

fn stored_keys(c: &Coopera) -> BTreeSet<String> {
    c.store().activities(&ActivityFilter::default()).expect("list").into_iter().map(|a| a.key).collect()
}

#[test]
fn real_file_is_imported_and_a_second_import_changes_nothing() {
    let c = Coopera::new();
    let first = c.import(&[&iati(MX)]).ok().json();
    assert_eq!((first["files"].as_u64(), first["files_imported"].as_u64()), (Some(1), Some(1)));
    assert_eq!(counts(&first), (82, 0, 0));
    assert!(notes(&first, "errors").is_empty(), "{first}");
    assert!(notes(&first, "duplicates").is_empty(), "{first}");
    let organisations = c.store().organisations().expect("organisations").len() as u64;
    assert_eq!(first["organisations_new"].as_u64(), Some(organisations));
    assert!(organisations > 50, "participants of 82 activities: {organisations}");
    // The AECID activity at line 3302 gives its two sectors 100% each, and region 389 as well
    // as Mexico at 100%.
    let warnings = places(&first, "warnings");
    let aecid = (MX.to_owned(), 3302, "ES-DIR3-EA0035768-Z01-20-I1-01200".to_owned());
    assert!(warnings.contains(&aecid), "{warnings:?}");
    assert!(
        notes(&first, "warnings")
            .iter()
            .any(|w| w["message"] == "sector/@percentage: the sector percentages add up to 200, not 100; rescaled"
                && w["line"] == 3302),
        "{first}"
    );
    assert_eq!(c.activities(), 82);
    let history = c.history_rows();
    assert_eq!(history, 82 + organisations, "one history row per record written");

    let again = c.import(&[&iati(MX)]).ok().json();
    assert_eq!(counts(&again), (0, 0, 82));
    assert_eq!(again["organisations_new"].as_u64(), Some(0));
    assert_eq!(again["warnings"], first["warnings"], "the same file warns the same way");
    assert_eq!(c.history_rows(), history, "an identical import writes no history");
    assert_eq!(c.activities(), 82);
}

#[test]
fn newer_version_updates_the_activity_with_before_and_after_in_history() {
    let c = Coopera::new();
    assert_eq!(counts(&c.import(&[&iati("version-1.xml")]).ok().json()), (1, 0, 0));
    let rows = c.history_rows();
    let second = c.import(&[&iati("version-2.xml")]).ok().json();
    assert_eq!(counts(&second), (0, 1, 0));
    assert_eq!(second["organisations_new"].as_u64(), Some(0));
    assert_eq!(c.history_rows(), rows + 1);

    let history = c.run(&["history", "--key", "XM-EXAMPLE-VERSIONED", "--format", "json"]).ok().json();
    let actions: Vec<&str> = history.as_array().expect("rows").iter().filter_map(|r| r["action"].as_str()).collect();
    assert_eq!(actions, ["update", "create"], "newest first");
    let changes = c
        .store()
        .history(&coopera_store::HistoryFilter { key: Some("XM-EXAMPLE-VERSIONED".into()), ..Default::default() })
        .expect("history");
    let update = &changes[0];
    let before = update.before.as_deref().expect("before");
    let after = update.after.as_deref().expect("after");
    assert!(before.contains("\"Fortalecimiento institucional\"") && before.contains("50000"), "{before}");
    assert!(after.contains("Fortalecimiento institucional (fase ampliada)") && after.contains("75000"), "{after}");
    assert!(!after.contains("50000"), "{after}");

    let shown = c.run(&["activity", "show", "XM-EXAMPLE-VERSIONED", "--format", "json"]).ok().json();
    assert_eq!(shown["title"]["es"], "Fortalecimiento institucional (fase ampliada)");
}

#[test]
fn broken_files_store_nothing_and_the_other_files_are_imported() {
    let c = Coopera::new();
    c.import(&[&iati(MX)]).ok();
    let (before, history) = (c.activities(), c.history_rows());

    let files = [iati("truncated.xml"), iati("version-1.xml"), iati("xxe.xml"), iati("billion-laughs.xml")];
    let run = c.import(&files.iter().map(String::as_str).collect::<Vec<_>>()).failed();
    let summary = run.json();
    assert_eq!((summary["files"].as_u64(), summary["files_imported"].as_u64()), (Some(4), Some(1)));
    assert_eq!(counts(&summary), (1, 0, 0));
    let errors = places(&summary, "errors");
    assert_eq!(
        errors,
        [
            ("truncated.xml".to_owned(), 252, String::new()),
            ("xxe.xml".to_owned(), 2, String::new()),
            ("billion-laughs.xml".to_owned(), 2, String::new()),
        ]
    );
    let messages: Vec<&str> = notes(&summary, "errors").iter().filter_map(|e| e["message"].as_str()).collect();
    assert!(messages[0].contains("truncated"), "{messages:?}");
    assert!(messages[1].contains("DTD"), "{messages:?}");

    // The two complete activities before the break are not stored either.
    assert_eq!(c.activities(), before + 1);
    let keys = stored_keys(&c);
    assert!(keys.contains("XM-EXAMPLE-VERSIONED"));
    assert!(!keys.contains("NL-KVK-27378529-DSS220CM01") && !keys.contains("XM-EXAMPLE-XXE"));
    assert!(c.history_rows() > history);

    // In text form, each error is printed as file:line:column, in Spanish by default.
    let text = c.run(&["import", "iati", &iati("truncated.xml")]).failed();
    assert!(text.stderr.contains("truncated.xml:252:"), "{}", text.stderr);
    assert!(text.stderr.contains("no se importó el archivo: el archivo termina antes de cerrar"), "{}", text.stderr);
    assert!(!text.stderr.contains("line 252"), "the place is said once: {}", text.stderr);
}

#[test]
fn warnings_and_refused_activities_carry_file_and_line() {
    let c = Coopera::new();
    let summary = c.import(&[&iati("problems.xml")]).failed().json();
    assert_eq!(counts(&summary), (3, 0, 0));
    assert_eq!(places(&summary, "errors"), [("problems.xml".to_owned(), 4, String::new())]);
    let warnings = places(&summary, "warnings");
    for expected in
        [(17, "XM-EXAMPLE-SECTOR"), (19, "XM-EXAMPLE-PERCENT"), (37, "XM-EXAMPLE-DATE"), (45, "XM-EXAMPLE-DATE")]
    {
        let expected = ("problems.xml".to_owned(), expected.0, expected.1.to_owned());
        assert!(warnings.contains(&expected), "{expected:?} in {warnings:?}");
    }
    let unknown = notes(&summary, "warnings").iter().find(|w| w["line"] == 17).expect("line 17");
    assert_eq!(unknown["column"], 3);
    assert_eq!(unknown["message"], "sector[2]/@code: unknown code `99999` in the Sector codelist; left out");
    let missing = notes(&summary, "warnings").iter().find(|w| w["line"] == 45).expect("line 45");
    assert_eq!(
        missing["message"],
        "transaction[2]/transaction-date: <transaction-date> is missing; the transaction was left out"
    );

    let verbose = c.run(&["import", "iati", "--verbose", &iati("problems.xml")]).failed();
    assert!(
        verbose.stdout.contains("problems.xml:17:3: XM-EXAMPLE-SECTOR: sector[2]/@code: código `99999` desconocido"),
        "{}",
        verbose.stdout
    );
    assert!(verbose.stderr.contains("problems.xml:4:2:"), "{}", verbose.stderr);
}

#[test]
fn repeated_identifiers_are_reported_within_and_across_files() {
    let c = Coopera::new();
    let summary = c.import(&[&iati("duplicates-a.xml"), &iati("duplicates-b.xml")]).ok().json();
    // DUP-1 twice in a: the first is kept. DUP-2 in a, then in b: b's version updates it.
    assert_eq!(counts(&summary), (2, 1, 0));
    assert_eq!(
        places(&summary, "duplicates"),
        [
            ("duplicates-a.xml".to_owned(), 35, "XM-EXAMPLE-DUP-1".to_owned()),
            ("duplicates-b.xml".to_owned(), 3, "XM-EXAMPLE-DUP-2".to_owned()),
        ]
    );
    let messages: Vec<&str> = notes(&summary, "duplicates").iter().filter_map(|d| d["message"].as_str()).collect();
    assert!(messages[0].contains("first at line 3"), "{messages:?}");
    assert!(messages[1].contains("duplicates-a.xml:19"), "{messages:?}");
    assert_eq!(c.activities(), 2);
    let dup1 = c.run(&["activity", "show", "XM-EXAMPLE-DUP-1", "--format", "json"]).ok().json();
    assert_eq!(dup1["title"]["es"], "Primera aparición");
    let dup2 = c.run(&["activity", "show", "XM-EXAMPLE-DUP-2", "--format", "json"]).ok().json();
    assert_eq!(dup2["title"]["es"], "Segunda actividad, publicada otra vez");
}

/// The identifiers of the activities of `file` that `keep` keeps, read from the file itself.
fn activities_where(file: &str, keep: impl Fn(&coopera_iati::read::xml::Element) -> bool) -> BTreeSet<String> {
    let stream = ActivityStream::new(BufReader::new(File::open(file).expect("open")), Limits::default()).expect("root");
    stream
        .map(|a| a.expect("well-formed"))
        .filter(|a| keep(a))
        .filter_map(|a| a.child("iati-identifier").map(|i| i.text.trim().to_owned()))
        .collect()
}

/// The identifiers of the activities `activity list --direction DIRECTION` lists.
fn listed(c: &Coopera, direction: &str) -> BTreeSet<String> {
    let list = c.run(&["activity", "list", "--direction", direction, "--format", "json"]).ok().json();
    list.as_array().expect("rows").iter().filter_map(|a| a["id"].as_str().map(str::to_owned)).collect()
}

#[test]
fn activities_with_mexico_as_recipient_are_received() {
    let c = Coopera::new();
    c.import(&[&iati(MX)]).ok();
    let to_mexico = activities_where(&iati(MX), |a| {
        let names_mx = |e: &coopera_iati::read::xml::Element| {
            e.children_named("recipient-country").any(|c| c.attr("code") == Some("MX"))
        };
        names_mx(a) || a.children_named("transaction").any(names_mx)
    });
    assert_eq!(to_mexico.len(), 82, "80 name Mexico as recipient country, two more only in their transactions");
    // UNDP publishes Mexico's governments, federal and of two states, as type 10 funders of
    // its projects in Mexico, identified by UNDP's own numbers: by their names, Mexican
    // governments that provide.
    let mexican_governments =
        ["MEX-GOBIERNO DE MEXICO", "GOBIERNO DEL ESTADO DE MORELOS", "Gobierno del Estado de Chiapas"];
    let funded_by_mexico = activities_where(&iati(MX), |a| {
        a.children_named("participating-org").any(|p| {
            let name = p.child("narrative").map(|n| n.text.trim()).unwrap_or_default();
            p.attr("role") == Some("1") && p.attr("type") == Some("10") && mexican_governments.contains(&name)
        })
    });
    assert_eq!(funded_by_mexico.len(), 5);
    assert!(funded_by_mexico.is_subset(&to_mexico));

    let both = listed(&c, "both");
    assert_eq!(both, funded_by_mexico, "Mexico provides to what it receives");
    let received = listed(&c, "received");
    assert_eq!(received, &to_mexico - &both, "the other activities naming Mexico are received");
    assert_eq!(listed(&c, "given").len(), 0, "no Mexican organisation provides elsewhere in this file");

    // The organisations behind it: a type 10 government of a Mexican state is that state's,
    // never "non-governmental", and Mexico's government is federal.
    for (key, level, state) in [("13678", "state", "17"), ("12205", "state", "07"), ("01042", "federal", "")] {
        let o = c.run(&["org", "show", key, "--format", "json"]).ok().json();
        assert_eq!((o["level"].as_str(), o["country"].as_str()), (Some(level), Some("MX")), "{o}");
        assert_eq!(o["mx_state"].as_str().unwrap_or_default(), state, "{o}");
    }
    // `ME` is not a registration agency: Nacional Financiera is not Montenegro's.
    for key in ["me-nafin", "me-nafin-af"] {
        let o = c.run(&["org", "show", key, "--format", "json"]).ok().json();
        assert!(o["name"].to_string().contains("NACIONAL FINANCIERA"), "{o}");
        assert_eq!(o.get("country"), None, "{o}");
    }
}

// ---------------------------------------------------------------------------------------------
// The whole real corpus

/// Per activity, transactions summed by currency — read straight from the element trees,
/// bypassing the mapper: `value` text and `@currency`, else the activity's
/// `@default-currency`. `commitments` is the same for transaction type 2 only.
#[derive(Debug, Default)]
struct Money {
    all: BTreeMap<String, Decimal>,
    commitments: BTreeMap<String, Decimal>,
    /// A value that is not a plain decimal: the mapper's reading is not compared.
    unreadable: bool,
}

fn independent_sums(files: &[PathBuf]) -> HashMap<String, Money> {
    let mut out = HashMap::new();
    for file in files {
        let input = BufReader::new(File::open(file).expect("open"));
        for activity in ActivityStream::new(input, Limits::default()).expect("root") {
            let activity = activity.expect("well-formed");
            let id = activity.child("iati-identifier").map(|i| i.text.as_str()).expect("identifier");
            // Whitespace inside an identifier (one publisher writes `EAPRO, Thailand`) is
            // stored as hyphens.
            let id = id.split_whitespace().collect::<Vec<_>>().join("-");
            let default = activity.attr("default-currency").map(str::trim);
            let mut money = Money::default();
            for t in activity.children_named("transaction") {
                let (Some(kind), Some(value)) = (t.child("transaction-type"), t.child("value")) else { continue };
                let currency = value.attr("currency").map(str::trim).or(default).unwrap_or("?").to_owned();
                let Ok(amount) = value.text.trim().parse::<Decimal>() else {
                    money.unreadable = true;
                    continue;
                };
                *money.all.entry(currency.clone()).or_default() += amount;
                if kind.attr("code").map(str::trim) == Some("2") {
                    *money.commitments.entry(currency).or_default() += amount;
                }
            }
            assert!(out.insert(id.clone(), money).is_none(), "{id} twice in the corpus");
        }
    }
    out
}

fn add_to(totals: &mut BTreeMap<String, Decimal>, sums: &BTreeMap<String, Decimal>) {
    for (currency, amount) in sums {
        *totals.entry(currency.clone()).or_default() += amount;
    }
}

#[test]
fn whole_real_corpus_is_imported_with_its_money_intact() {
    let Some(dir) = shared_data("iati/real/dportal-covid-2021") else { return };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("corpus")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    assert_eq!(files.len(), 132);
    // The whole corpus takes about 20 s in a debug build on two cores (13 s of it the import).
    let expected_activities = 13_200;

    let c = Coopera::new();
    let start = Instant::now();
    let args: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
    let summary = c.import(&args.iter().map(String::as_str).collect::<Vec<_>>()).ok().json();
    let imported_in = start.elapsed();
    assert_eq!(summary["files_imported"].as_u64(), Some(files.len() as u64));
    assert_eq!(counts(&summary), (expected_activities, 0, 0));
    assert!(notes(&summary, "errors").is_empty(), "{}", summary["errors"]);
    assert!(notes(&summary, "duplicates").is_empty(), "{}", summary["duplicates"]);
    assert_eq!(c.activities(), expected_activities);

    let independent = independent_sums(&files);
    assert_eq!(independent.len() as u64, expected_activities);

    // Activities where the mapper left a transaction out (unknown code or currency, no date…)
    // are not compared; they are few.
    let mut skipped: BTreeSet<String> = notes(&summary, "warnings")
        .iter()
        .filter(|w| w["message"].as_str().is_some_and(|m| m.starts_with("transaction[") || m.starts_with("@default")))
        .filter_map(|w| w["activity"].as_str().map(str::to_owned))
        .collect();
    skipped.extend(independent.iter().filter(|(_, m)| m.unreadable).map(|(id, _)| id.clone()));
    assert!(skipped.len() * 100 < independent.len(), "{} of {} not comparable", skipped.len(), independent.len());

    // All transactions, read back from the stored documents.
    let store = c.store();
    let (mut expected_totals, mut stored_totals) = (BTreeMap::new(), BTreeMap::new());
    for (id, money) in independent.iter().filter(|(id, _)| !skipped.contains(*id)) {
        let stored = store.activity(id).expect("read").unwrap_or_else(|| panic!("{id} not stored")).activity;
        let mut sums: BTreeMap<String, Decimal> = BTreeMap::new();
        for t in &stored.parts().transactions {
            *sums.entry(t.value.currency.as_str().to_owned()).or_default() += t.value.amount;
        }
        assert_eq!(sums, money.all, "{id}");
        add_to(&mut expected_totals, &money.all);
        add_to(&mut stored_totals, &sums);
    }
    assert_eq!(stored_totals, expected_totals);

    // Commitments, read back from the money index through `activity_facts`.
    let facts = store.activity_facts(&ActivityFilter::default()).expect("facts");
    assert_eq!(facts.len() as u64, expected_activities);
    let mut compared = 0;
    for f in &facts {
        let Some(money) = independent.get(&f.key) else { panic!("{} not in the files", f.key) };
        if skipped.contains(&f.key) || money.commitments.is_empty() {
            continue; // without commitments, `committed` falls back to budgets
        }
        let committed: BTreeMap<String, Decimal> = f.committed.iter().cloned().collect();
        assert_eq!(committed, money.commitments, "{}", f.key);
        compared += 1;
    }
    assert!(compared * 4 > facts.len(), "commitments compared for {compared} of {} activities", facts.len());

    eprintln!(
        "corpus: {} files, {expected_activities} activities imported in {imported_in:.1?}; money checked for {} \
         activities ({compared} with commitments) in {:.1?} in all; totals: {}",
        files.len(),
        independent.len() - skipped.len(),
        start.elapsed(),
        expected_totals.iter().take(4).map(|(c, a)| format!("{c} {a}")).collect::<Vec<_>>().join(", ")
    );
}
