//! Inputs the fuzz targets (`fuzz/`) found, minimised: each once crashed a target or broke a
//! promise of the binary's input code, called here through the `coopera` library.

use coopera::locate::{Format, locate};

#[test]
fn locating_in_text_that_is_not_json_ends() {
    // document_json: an array holding `}` made the scanner read the same empty value forever,
    // until memory ran out. Text that is not JSON has no position to give.
    assert_eq!(locate("[}", Format::Json, "a"), None);
    let broken = "{\n  \"languages\": [\n ,\n  \"evidence\": [\"MX-1\"]\n}";
    assert_eq!(locate(broken, Format::Json, "languages"), None);
}
