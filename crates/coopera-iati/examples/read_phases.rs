//! Times the reading side of an import, phase by phase, on one core: the bare tokenizer
//! (quick-xml events, nothing kept), the activity trees, the mapping to documents, and the
//! domain's checks. `bench/iati-import/run.sh` prints it beside the whole import.
//!
//! ```text
//! cargo run --release -p coopera-iati --example read_phases -- CORPUS_DIR
//! ```

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::time::Instant;

use coopera_iati::read::xml::{ActivityStream, Limits};
use coopera_iati::read::{FileReader, Item, ReadOptions, open_bytes};

/// The allocator of the `coopera` binary, so that the phases cost what they cost there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "xml"))
        .collect();
    files.sort();
    files
}

fn timed(name: &str, f: impl FnOnce() -> usize) {
    let start = Instant::now();
    let n = f();
    println!("{name:<28} {:>7.3} s  ({n})", start.elapsed().as_secs_f64());
}

fn main() {
    let dir = PathBuf::from(std::env::args().nth(1).expect("usage: read_phases CORPUS_DIR"));
    let files = files(&dir);
    let options = ReadOptions::default();
    timed("read bytes", || files.iter().map(|f| std::fs::read(f).map(|b| b.len()).unwrap_or_default()).sum());
    timed("tokenize (quick-xml)", || {
        let mut events = 0;
        for f in &files {
            let mut reader = quick_xml::Reader::from_reader(open_bytes(f, &options).expect("open"));
            let mut buf = Vec::with_capacity(4096);
            loop {
                match reader.read_event_into(&mut buf) {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => events += 1,
                    Err(e) => panic!("{}: {e}", f.display()),
                }
                buf.clear();
            }
        }
        events
    });
    timed("activity trees", || {
        let mut n = 0;
        for f in &files {
            let bytes: Box<dyn BufRead> = open_bytes(f, &options).expect("open");
            let stream = ActivityStream::new(bytes, Limits::default()).expect("root");
            n += stream.map(|a| a.expect("activity").children.len()).sum::<usize>();
        }
        n
    });
    timed("trees + mapping", || {
        let mut n = 0;
        for f in &files {
            for item in FileReader::open(f, &options).expect("open") {
                if let Item::Activity { mapped, .. } = item.expect("activity") {
                    n += mapped.warnings.len();
                }
            }
        }
        n
    });
    timed("trees + mapping + checks", || {
        let mut n = 0;
        for f in &files {
            for item in FileReader::open(f, &options).expect("open") {
                if let Item::Activity { mapped, .. } = item.expect("activity") {
                    n += usize::from(mapped.activity.into_domain().is_ok());
                }
            }
        }
        n
    });
}
