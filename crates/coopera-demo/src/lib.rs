//! Coopera's demo dataset: illustrative records that `coopera demo` loads to show the system
//! at work — organisations, activities given, received, triangular and decentralised, the
//! capacities catalog with demands, the international action of states and municipalities, and
//! good practices of the federal government, of states and of municipalities.
//!
//! The records are written as readable TOML files in `data/`, each a [`DatasetDoc`], and are
//! compiled into the binary. They are illustrative, not official figures: every file says so
//! in its `note`.

use coopera_domain::doc::DatasetDoc;

/// The demo files, in load order (organisations first, since every other file refers to
/// them): (file name, TOML text).
pub const FILES: &[(&str, &str)] = &[
    ("organisations.toml", include_str!("../data/organisations.toml")),
    ("activities-given.toml", include_str!("../data/activities-given.toml")),
    ("activities-triangular.toml", include_str!("../data/activities-triangular.toml")),
    ("activities-received.toml", include_str!("../data/activities-received.toml")),
    ("activities-subnational.toml", include_str!("../data/activities-subnational.toml")),
    ("catalog.toml", include_str!("../data/catalog.toml")),
    ("subnational.toml", include_str!("../data/subnational.toml")),
    ("practices.toml", include_str!("../data/practices.toml")),
];

/// A demo file that does not read as a dataset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DemoError {
    /// The TOML is malformed or does not fit the document format.
    #[error("{file}, line {line}: {message}")]
    Parse { file: String, line: usize, message: String },
}

/// Every demo file parsed into a document, in load order, with its file name.
pub fn dataset() -> Result<Vec<(&'static str, DatasetDoc)>, DemoError> {
    FILES.iter().map(|&(file, text)| parse(file, text).map(|doc| (file, doc))).collect()
}

/// Parses one dataset file; the error names the file and the line of the problem.
pub fn parse(file: &str, text: &str) -> Result<DatasetDoc, DemoError> {
    toml::from_str(text).map_err(|e| DemoError::Parse {
        file: file.to_owned(),
        line: e.span().map_or(0, |span| line_of(text, span.start)),
        message: e.message().trim().to_owned(),
    })
}

/// The 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end].iter().filter(|&&b| b == b'\n').count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisations_load_first() {
        assert_eq!(FILES.first().map(|f| f.0), Some("organisations.toml"));
        let names: Vec<_> = FILES.iter().map(|f| f.0).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len(), "file names repeat: {names:?}");
    }

    #[test]
    fn every_file_says_the_data_is_illustrative() {
        for (file, doc) in dataset().expect("the demo parses") {
            let note = doc.note.unwrap_or_default();
            assert!(
                note.contains("Datos ilustrativos") && note.contains("Illustrative data"),
                "{file}: note is {note:?}"
            );
        }
        for (file, text) in FILES {
            assert!(text.starts_with("# "), "{file} does not start with a comment header");
        }
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let text = "note = \"x\"\n\n[[activity]]\nid = \"A-1\"\nbogus = 3\n";
        let err = parse("broken.toml", text).expect_err("an unknown field is refused");
        let DemoError::Parse { file, line, message } = &err;
        assert_eq!((file.as_str(), *line), ("broken.toml", 5), "{message}");
        assert!(err.to_string().starts_with("broken.toml, line 5: "), "{err}");

        let err = parse("syntax.toml", "note = \"x\"\nkey = = 1\n").expect_err("bad syntax is refused");
        assert!(err.to_string().starts_with("syntax.toml, line 2: "), "{err}");
    }

    #[test]
    fn line_of_counts_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 99), 3);
    }
}
