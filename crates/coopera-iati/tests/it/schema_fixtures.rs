//! The schema validator against the official IATI 2.03 schema test fixtures: every
//! `should-pass` document must give no problem, every `should-fail` document at least one (or
//! be refused as not well-formed). A representative subset is kept in
//! `tests/fixtures/schema/` and always runs; the whole set runs as well when the reference
//! data (`../shared/data`, beside the repository) is there, with the official examples and
//! two real files whose verdicts `xmllint --schema` gives.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use coopera_iati::validate::validate_schema;

/// Every file under `dir`, recursively, sorted (the fixtures include one without `.xml`).
fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("reading {}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n != "README.md") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Runs every fixture under `root/should-pass` and `root/should-fail`; returns how many ran
/// and a description of each wrong verdict.
fn run(root: &Path) -> (usize, Vec<String>) {
    let mut wrong = Vec::new();
    let mut count = 0;
    for (dir, should_pass) in [("should-pass", true), ("should-fail", false)] {
        for path in files(&root.join(dir)) {
            count += 1;
            let file = File::open(&path).unwrap_or_else(|e| panic!("opening {}: {e}", path.display()));
            let verdict = validate_schema(BufReader::new(file));
            match (should_pass, &verdict) {
                (true, Ok(problems)) if problems.is_empty() => {}
                (false, Ok(problems)) if !problems.is_empty() => {}
                (false, Err(_)) => {}
                (true, Ok(problems)) => wrong.push(format!(
                    "{} should pass but: {}",
                    path.display(),
                    problems.iter().map(|p| format!("{} [{}]", p.xpath, p.code)).collect::<Vec<_>>().join("; ")
                )),
                (true, Err(e)) => wrong.push(format!("{} should pass but: {e}", path.display())),
                (false, Ok(_)) => wrong.push(format!("{} should fail but passes", path.display())),
            }
        }
    }
    (count, wrong)
}

#[test]
fn bundled_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema");
    let (count, wrong) = run(&root);
    assert!(count >= 20, "only {count} bundled fixtures in {}", root.display());
    assert!(wrong.is_empty(), "{} wrong verdicts:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn all_official_fixtures_when_the_reference_data_is_present() {
    let Some(root) = super::shared_data("iati/schema-tests") else { return };
    let (count, wrong) = run(&root);
    println!("ran {count} official schema fixtures from {}", root.display());
    assert!(count >= 280, "only {count} fixtures found in {}", root.display());
    assert!(wrong.is_empty(), "{} wrong verdicts:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn examples_and_real_files_when_the_reference_data_is_present() {
    let Some(data) = super::shared_data("iati") else { return };
    let problems = |file: &str| {
        let path = data.join(file);
        let reader = BufReader::new(File::open(&path).unwrap_or_else(|e| panic!("opening {}: {e}", path.display())));
        validate_schema(reader).unwrap_or_else(|e| panic!("{file}: {e}"))
    };
    for valid in [
        "examples/activity-standard-example-annotated.xml",
        "examples/organisation-standard-example-annotated.xml",
        "real/dportal-covid-2021-collab-type-8-triangular.xml",
    ] {
        assert_eq!(problems(valid), [], "{valid}");
    }
    // xmllint reports the same 39 errors, on the same lines: 36 missing required attributes
    // (other-identifier/@type, indicator/@measure, codes of sectors and locations) and 3
    // budget-item/@vocabulary, which IATI 2.03 does not have.
    let mx = problems("real/dportal-covid-2021-recipient-MX.xml");
    assert_eq!(mx.len(), 39);
    assert_eq!(mx.iter().filter(|p| p.code == "missing-attribute").count(), 36);
    assert_eq!(mx.iter().filter(|p| p.code == "attribute-not-allowed").count(), 3);
    assert_eq!(
        (mx[0].line, mx[0].xpath.as_str()),
        (1848, "/iati-activities/iati-activity[15]/location[1]/location-id[1]/@code")
    );
}
