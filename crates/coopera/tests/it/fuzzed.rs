//! Inputs the fuzz targets (`fuzz/`) found, minimised: each once crashed a target or broke a
//! promise of the binary's input code, called here through the `coopera` library.

use coopera::input::{Batch, InputError, Source};
use coopera::locate::{Format, Position, locate};
use coopera_domain::Lang;

#[test]
fn locating_in_text_that_is_not_json_ends() {
    // document_json: an array holding `}` made the scanner read the same empty value forever,
    // until memory ran out. Text that is not JSON has no position to give.
    assert_eq!(locate("[}", Format::Json, "a"), None);
    let broken = "{\n  \"languages\": [\n ,\n  \"evidence\": [\"MX-1\"]\n}";
    assert_eq!(locate(broken, Format::Json, "languages"), None);
}

#[test]
fn a_json_syntax_error_is_placed_in_characters() {
    // document_json: serde_json counts columns in bytes, so after accented letters a syntax
    // error was placed past the end of its line.
    let text = "{\n  \"note\": \"Misión ñandú\", x\n}";
    let Err(InputError(problems)) = Batch::parse(vec![Source::embedded("a.json", text)], Lang::En) else {
        panic!("not JSON")
    };
    assert_eq!(problems[0].position, Some(Position { line: 2, column: 27 }), "{problems:?}");
    assert_eq!(text.lines().nth(1).and_then(|l| l.chars().nth(26)), Some('x'));
}
