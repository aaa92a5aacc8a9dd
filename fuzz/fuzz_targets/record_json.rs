//! A record file in JSON, read as `coopera import`/`coopera activity add` read it.
#![no_main]

use coopera_domain::Lang;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Files are read as UTF-8 text (`read_to_string`); other bytes never reach the reader.
    let Ok(text) = std::str::from_utf8(data) else { return };
    coopera_fuzz::check_record_file("fuzz.json", text, Lang::En);
});
