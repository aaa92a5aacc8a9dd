//! The snapshot's columns as CSV, to check reports against another engine: the benchmark
//! loads them into DuckDB and runs the same aggregations (`bench/reports`). The caller owns
//! the output; nothing here opens a file. Lines end with `\n`; an empty field is an unknown.

use std::io::Write;

use crate::dimension::Dimension;
use crate::query::{parts, row_info, universe_len};
use crate::snapshot::{NO_YEAR, NONE, NOT_CONVERTED, Snapshot};

/// `id,direction,start_year,end_year`: one line per activity (`id` is its position; years
/// empty when unknown; direction `given`, `received`, `both` or empty).
pub fn activities(snap: &Snapshot, out: &mut dyn Write) -> std::io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(["id", "direction", "start_year", "end_year"])?;
    let year = |y: i16| (y != NO_YEAR).then_some(y);
    for i in (0..snap.len).filter(|&i| snap.is_live(i)) {
        let direction = match snap.direction[i] {
            1 => "given",
            2 => "received",
            3 => "both",
            _ => "",
        };
        csv.serialize((i, direction, year(snap.start_year[i]), year(snap.end_year[i])))?;
    }
    csv.flush()
}

/// `id,key,ppm`: the parts of every activity in the rows of `dim`, as reports spread them
/// (parts per million; an activity's parts add up to one million).
pub fn parts_of(snap: &Snapshot, dim: Dimension, out: &mut dyn Write) -> std::io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(["id", "key", "ppm"])?;
    let len = universe_len(snap, dim);
    let keys: Vec<String> = (0..=len).map(|r| row_info(snap, dim, r).0).collect();
    let p = parts(snap, dim);
    let mut buf: Vec<(usize, u32)> = Vec::new();
    for i in (0..snap.len).filter(|&i| snap.is_live(i)) {
        buf.clear();
        p.each(snap, i, len, |row, ppm| buf.push((row, ppm)));
        for (row, ppm) in &buf {
            csv.serialize((i, &keys[*row], ppm))?;
        }
    }
    csv.flush()
}

/// `id,kind,year,usd,mxn,provider`: every flow (kind 0 committed, 1 disbursed, 2 spent,
/// 3 in kind), amounts in 1/10 000 of a unit, empty when not converted; `provider` is the
/// activity whose own flow this one duplicates.
pub fn flows(snap: &Snapshot, out: &mut dyn Write) -> std::io::Result<()> {
    let mut csv = writer(out);
    csv.write_record(["id", "kind", "year", "usd", "mxn", "provider"])?;
    let amount = |v: i64| (v != NOT_CONVERTED).then_some(v);
    for i in (0..snap.len).filter(|&i| snap.is_live(i)) {
        for (kind, f) in snap.flows.iter().enumerate() {
            for k in f.range(i) {
                let year = (f.year[k] != NO_YEAR).then_some(f.year[k]);
                let provider = (f.provider[k] != NONE).then_some(f.provider[k]);
                csv.serialize((i, kind, year, amount(f.usd[k]), amount(f.mxn[k]), provider))?;
            }
        }
    }
    csv.flush()
}

/// A `csv` writer with `\n` line ends; records are tuples, `None` an empty field.
fn writer(out: &mut dyn Write) -> ::csv::Writer<&mut dyn Write> {
    ::csv::WriterBuilder::new().has_headers(false).from_writer(out)
}
