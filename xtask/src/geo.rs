//! `cargo xtask geo`: the map geometry the web application draws, as SVG path data.
//!
//! Inputs, read-only:
//! - `DATA/geo/countries-110m.json`: world-atlas 2.0.2 (Natural Earth 1:110m, ISC licence),
//!   TopoJSON keyed by ISO 3166-1 numeric code;
//! - `DATA/mexico/00ent_mexico.geojson`: INEGI's 32 federal entities, keyed by `cve_geo`;
//! - `DATA/iati/codelists/xml/Country.xml`: to check that every alpha-2 code exists.
//!
//! Outputs, committed (`crates/coopera-web/assets/maps/`): `world.tsv` (Equal Earth
//! projection, Antarctica left out) and `mexico.tsv` (equirectangular with a standard parallel
//! at 24° N). Each holds comment lines (`#`) with the source and licence, a `viewbox` line and
//! one line per shape: `key<TAB>name<TAB>label x,y<TAB>path`. Lines are simplified with
//! Douglas–Peucker in screen units — arc by arc for the TopoJSON, so neighbouring countries
//! keep a common border — and coordinates are rounded to a tenth of a unit. The output is
//! deterministic; `--check` fails when the committed files differ from what would be made.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, Result, bail, ensure};
use serde_json::Value;

use crate::generate::{Options, write_or_check};

const OUT_DIR: &str = "crates/coopera-web/assets/maps";
const WORLD_WIDTH: f64 = 960.0;
const MEXICO_WIDTH: f64 = 800.0;
/// Douglas–Peucker tolerance and smallest ring kept, in screen units (and square units).
const WORLD_TOLERANCE: f64 = 0.35;
const WORLD_MIN_AREA: f64 = 1.5;
const MEXICO_TOLERANCE: f64 = 0.45;
const MEXICO_MIN_AREA: f64 = 2.0;

/// ISO 3166-1 numeric → alpha-2 for every country world-atlas 110m names. Antarctica (010) is
/// left out of the map; shapes without a code (Kosovo, Northern Cyprus, Somaliland) are
/// handled by name in [`unnumbered`].
const NUMERIC_TO_ALPHA2: &[(&str, &str)] = &[
    ("004", "AF"),
    ("008", "AL"),
    ("012", "DZ"),
    ("024", "AO"),
    ("031", "AZ"),
    ("032", "AR"),
    ("036", "AU"),
    ("040", "AT"),
    ("044", "BS"),
    ("050", "BD"),
    ("051", "AM"),
    ("056", "BE"),
    ("064", "BT"),
    ("068", "BO"),
    ("070", "BA"),
    ("072", "BW"),
    ("076", "BR"),
    ("084", "BZ"),
    ("090", "SB"),
    ("096", "BN"),
    ("100", "BG"),
    ("104", "MM"),
    ("108", "BI"),
    ("112", "BY"),
    ("116", "KH"),
    ("120", "CM"),
    ("124", "CA"),
    ("140", "CF"),
    ("144", "LK"),
    ("148", "TD"),
    ("152", "CL"),
    ("156", "CN"),
    ("158", "TW"),
    ("170", "CO"),
    ("178", "CG"),
    ("180", "CD"),
    ("188", "CR"),
    ("191", "HR"),
    ("192", "CU"),
    ("196", "CY"),
    ("203", "CZ"),
    ("204", "BJ"),
    ("208", "DK"),
    ("214", "DO"),
    ("218", "EC"),
    ("222", "SV"),
    ("226", "GQ"),
    ("231", "ET"),
    ("232", "ER"),
    ("233", "EE"),
    ("238", "FK"),
    ("242", "FJ"),
    ("246", "FI"),
    ("250", "FR"),
    ("260", "TF"),
    ("262", "DJ"),
    ("266", "GA"),
    ("268", "GE"),
    ("270", "GM"),
    ("275", "PS"),
    ("276", "DE"),
    ("288", "GH"),
    ("300", "GR"),
    ("304", "GL"),
    ("320", "GT"),
    ("324", "GN"),
    ("328", "GY"),
    ("332", "HT"),
    ("340", "HN"),
    ("348", "HU"),
    ("352", "IS"),
    ("356", "IN"),
    ("360", "ID"),
    ("364", "IR"),
    ("368", "IQ"),
    ("372", "IE"),
    ("376", "IL"),
    ("380", "IT"),
    ("384", "CI"),
    ("388", "JM"),
    ("392", "JP"),
    ("398", "KZ"),
    ("400", "JO"),
    ("404", "KE"),
    ("408", "KP"),
    ("410", "KR"),
    ("414", "KW"),
    ("417", "KG"),
    ("418", "LA"),
    ("422", "LB"),
    ("426", "LS"),
    ("428", "LV"),
    ("430", "LR"),
    ("434", "LY"),
    ("440", "LT"),
    ("442", "LU"),
    ("450", "MG"),
    ("454", "MW"),
    ("458", "MY"),
    ("466", "ML"),
    ("478", "MR"),
    ("484", "MX"),
    ("496", "MN"),
    ("498", "MD"),
    ("499", "ME"),
    ("504", "MA"),
    ("508", "MZ"),
    ("512", "OM"),
    ("516", "NA"),
    ("524", "NP"),
    ("528", "NL"),
    ("540", "NC"),
    ("548", "VU"),
    ("554", "NZ"),
    ("558", "NI"),
    ("562", "NE"),
    ("566", "NG"),
    ("578", "NO"),
    ("586", "PK"),
    ("591", "PA"),
    ("598", "PG"),
    ("600", "PY"),
    ("604", "PE"),
    ("608", "PH"),
    ("616", "PL"),
    ("620", "PT"),
    ("624", "GW"),
    ("626", "TL"),
    ("630", "PR"),
    ("634", "QA"),
    ("642", "RO"),
    ("643", "RU"),
    ("646", "RW"),
    ("682", "SA"),
    ("686", "SN"),
    ("688", "RS"),
    ("694", "SL"),
    ("703", "SK"),
    ("704", "VN"),
    ("705", "SI"),
    ("706", "SO"),
    ("710", "ZA"),
    ("716", "ZW"),
    ("724", "ES"),
    ("728", "SS"),
    ("729", "SD"),
    ("732", "EH"),
    ("740", "SR"),
    ("748", "SZ"),
    ("752", "SE"),
    ("756", "CH"),
    ("760", "SY"),
    ("762", "TJ"),
    ("764", "TH"),
    ("768", "TG"),
    ("780", "TT"),
    ("784", "AE"),
    ("788", "TN"),
    ("792", "TR"),
    ("795", "TM"),
    ("800", "UG"),
    ("804", "UA"),
    ("807", "MK"),
    ("818", "EG"),
    ("826", "GB"),
    ("834", "TZ"),
    ("840", "US"),
    ("854", "BF"),
    ("858", "UY"),
    ("860", "UZ"),
    ("862", "VE"),
    ("887", "YE"),
    ("894", "ZM"),
];

/// The ISO numeric code world-atlas uses for Antarctica, which the map leaves out.
const ANTARCTICA: &str = "010";

/// Shapes world-atlas gives without an ISO code: Kosovo has the user-assigned code XK (in the
/// IATI Country list); the others are drawn as land without data ("-").
fn unnumbered(name: &str) -> Option<&'static str> {
    match name {
        "Kosovo" => Some("XK"),
        "N. Cyprus" | "Somaliland" => Some("-"),
        _ => None,
    }
}

/// Regenerates the map geometry (or, with `--check`, checks it).
pub fn run(root: &Path, options: &Options) -> Result<()> {
    let data = &options.data;
    let countries = std::fs::read_to_string(data.join("iati/codelists/xml/Country.xml"))
        .with_context(|| format!("reading {}", data.join("iati/codelists/xml/Country.xml").display()))?;
    let world = world(&data.join("geo/countries-110m.json"), &countries)?;
    let mexico = mexico(&data.join("mexico/00ent_mexico.geojson"))?;
    let dir = root.join(OUT_DIR);
    for (name, text) in [("world.tsv", world), ("mexico.tsv", mexico)] {
        write_or_check(&dir.join(name), &text, options.check, "geo", "map geometry")?;
    }
    Ok(())
}

type Point = (f64, f64);
type Ring = Vec<Point>;

/// One shape of a map: its key, name, rings (already projected and simplified).
struct Shape {
    key: String,
    name: String,
    rings: Vec<Ring>,
}

fn read_json(path: &Path) -> Result<Value> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

fn num(v: &Value, what: &str) -> Result<f64> {
    v.as_f64().with_context(|| format!("{what}: expected a number, found {v}"))
}

/// The Equal Earth projection (Šavrič, Patterson and Jenny, 2018), in radians; y grows north.
fn equal_earth(lon: f64, lat: f64) -> Point {
    const A1: f64 = 1.340264;
    const A2: f64 = -0.081106;
    const A3: f64 = 0.000893;
    const A4: f64 = 0.003796;
    let m = 3f64.sqrt() / 2.0;
    let theta = (m * lat.sin()).asin();
    let t2 = theta * theta;
    let t6 = t2 * t2 * t2;
    let x = lon * theta.cos() / (m * (A1 + 3.0 * A2 * t2 + t6 * (7.0 * A3 + 9.0 * A4 * t2)));
    let y = theta * (A1 + A2 * t2 + t6 * (A3 + A4 * t2));
    (x, y)
}

fn world(path: &Path, country_list: &str) -> Result<String> {
    let topo = read_json(path)?;
    let transform = &topo["transform"];
    let (sx, sy) = (num(&transform["scale"][0], "scale")?, num(&transform["scale"][1], "scale")?);
    let (tx, ty) = (num(&transform["translate"][0], "translate")?, num(&transform["translate"][1], "translate")?);
    // Decode the delta-encoded, quantized arcs into degrees, and project them (unscaled).
    let mut degrees: Vec<Vec<Point>> = Vec::new();
    for arc in topo["arcs"].as_array().context("arcs")? {
        let (mut x, mut y) = (0.0, 0.0);
        let mut points = Vec::new();
        for p in arc.as_array().context("arc")? {
            x += num(&p[0], "arc point")?;
            y += num(&p[1], "arc point")?;
            points.push((x * sx + tx, y * sy + ty));
        }
        degrees.push(points);
    }
    let project = |(lon, lat): Point| equal_earth(lon.to_radians(), lat.to_radians());
    let arcs: Vec<Vec<Point>> = degrees.iter().map(|a| a.iter().map(|&p| project(p)).collect()).collect();
    struct Raw {
        key: String,
        name: String,
        polygons: Vec<Vec<Vec<i64>>>,
    }
    let mut raws = Vec::new();
    for g in topo["objects"]["countries"]["geometries"].as_array().context("geometries")? {
        let name = g["properties"]["name"].as_str().unwrap_or("").to_owned();
        let id = g["id"].as_str();
        if id == Some(ANTARCTICA) {
            continue;
        }
        let key = match id {
            Some(id) => NUMERIC_TO_ALPHA2
                .iter()
                .find(|(n, _)| *n == id)
                .map(|(_, a)| *a)
                .with_context(|| format!("no alpha-2 code for ISO numeric {id} ({name})"))?,
            None => unnumbered(&name).with_context(|| format!("shape without a code: {name}"))?,
        };
        if key != "-" {
            ensure!(country_list.contains(&format!("<code>{key}</code>")), "{key} ({name}) is not in Country.xml");
        }
        let ring_list = |v: &Value| -> Result<Vec<Vec<i64>>> {
            v.as_array()
                .context("rings")?
                .iter()
                .map(|r| r.as_array().context("ring").map(|a| a.iter().filter_map(Value::as_i64).collect()))
                .collect()
        };
        let polygons = match g["type"].as_str() {
            Some("Polygon") => vec![ring_list(&g["arcs"])?],
            Some("MultiPolygon") => {
                g["arcs"].as_array().context("polygons")?.iter().map(ring_list).collect::<Result<Vec<_>>>()?
            }
            other => bail!("{name}: unexpected geometry {other:?}"),
        };
        raws.push(Raw { key: key.to_owned(), name, polygons });
    }
    // Bounds of what is drawn, to fit the width.
    let used: Vec<usize> = raws
        .iter()
        .flat_map(|r| r.polygons.iter().flatten().flatten())
        .map(|&i| if i < 0 { !i as usize } else { i as usize })
        .collect();
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &a in &used {
        for &(x, y) in &arcs[a] {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
    }
    let margin = 4.0;
    let k = (WORLD_WIDTH - 2.0 * margin) / (x1 - x0);
    let height = ((y1 - y0) * k + 2.0 * margin).ceil();
    let screen = |(x, y): Point| ((x - x0) * k + margin, (y1 - y) * k + margin);
    let simplified: Vec<Vec<Point>> = arcs
        .iter()
        .map(|arc| {
            let pts: Vec<Point> = arc.iter().map(|&p| screen(p)).collect();
            douglas_peucker(&pts, WORLD_TOLERANCE)
        })
        .collect();
    let mut shapes = Vec::new();
    for raw in raws {
        let mut rings = Vec::new();
        for ring in raw.polygons.iter().flatten() {
            let in_degrees = assemble(ring, &degrees);
            let pieces = if crosses_antimeridian(&in_degrees) {
                // Fiji and Chukotka: cut at 180° and simplify each piece as a whole.
                split_at_antimeridian(&in_degrees)
                    .into_iter()
                    .map(|piece| {
                        let pts: Vec<Point> = piece.into_iter().map(|p| screen(project(p))).collect();
                        douglas_peucker(&pts, WORLD_TOLERANCE)
                    })
                    .collect()
            } else {
                vec![assemble(ring, &simplified)]
            };
            rings.extend(pieces.into_iter().filter(|p| p.len() >= 4 && area(p).abs() >= WORLD_MIN_AREA));
        }
        if !rings.is_empty() {
            shapes.push(Shape { key: raw.key, name: raw.name, rings });
        }
    }
    shapes.sort_by(|a, b| a.key.cmp(&b.key).then_with(|| a.name.cmp(&b.name)));
    Ok(emit(
        &shapes,
        WORLD_WIDTH,
        height,
        &[
            "World countries for Coopera's maps. Generated by `cargo xtask geo`; do not edit.",
            "Source: Natural Earth 1:110m Admin 0 countries (public domain) via world-atlas 2.0.2",
            "(https://github.com/topojson/world-atlas, ISC licence, Copyright 2013-2019 Michael Bostock).",
            "Projection: Equal Earth; Antarctica left out; lines simplified (Douglas-Peucker).",
            "Columns: ISO 3166-1 alpha-2 (- for land without a code), name, label point, SVG path.",
        ],
    ))
}

fn mexico(path: &Path) -> Result<String> {
    let geo = read_json(path)?;
    let parallel = 24f64.to_radians();
    let project = |lon: f64, lat: f64| (lon.to_radians() * parallel.cos(), lat.to_radians());
    struct Raw {
        key: String,
        name: String,
        rings: Vec<Vec<Point>>,
    }
    let mut raws = Vec::new();
    for f in geo["features"].as_array().context("features")? {
        let key = f["properties"]["cve_geo"].as_str().context("cve_geo")?.to_owned();
        let name = f["properties"]["nombre_estado"].as_str().unwrap_or("").to_owned();
        let ring = |r: &Value| -> Result<Vec<Point>> {
            r.as_array()
                .context("ring")?
                .iter()
                .map(|p| Ok(project(num(&p[0], "longitude")?, num(&p[1], "latitude")?)))
                .collect()
        };
        let mut rings = Vec::new();
        match f["geometry"]["type"].as_str() {
            Some("Polygon") => {
                for r in f["geometry"]["coordinates"].as_array().context("coordinates")? {
                    rings.push(ring(r)?);
                }
            }
            Some("MultiPolygon") => {
                for p in f["geometry"]["coordinates"].as_array().context("coordinates")? {
                    for r in p.as_array().context("polygon")? {
                        rings.push(ring(r)?);
                    }
                }
            }
            other => bail!("{name}: unexpected geometry {other:?}"),
        }
        raws.push(Raw { key, name, rings });
    }
    ensure!(raws.len() == 32, "expected the 32 federal entities, found {}", raws.len());
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for &(x, y) in raws.iter().flat_map(|r| r.rings.iter().flatten()) {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let margin = 4.0;
    let k = (MEXICO_WIDTH - 2.0 * margin) / (x1 - x0);
    let height = ((y1 - y0) * k + 2.0 * margin).ceil();
    let mut shapes = Vec::new();
    for raw in raws {
        let rings: Vec<Ring> = raw
            .rings
            .iter()
            .map(|r| {
                let pts: Vec<Point> = r.iter().map(|&(x, y)| ((x - x0) * k + margin, (y1 - y) * k + margin)).collect();
                douglas_peucker(&pts, MEXICO_TOLERANCE)
            })
            .filter(|r| r.len() >= 4 && area(r).abs() >= MEXICO_MIN_AREA)
            .collect();
        ensure!(!rings.is_empty(), "{} vanished when simplified", raw.name);
        shapes.push(Shape { key: raw.key, name: raw.name, rings });
    }
    shapes.sort_by(|a, b| a.key.cmp(&b.key));
    Ok(emit(
        &shapes,
        MEXICO_WIDTH,
        height,
        &[
            "Mexico's 32 federal entities for Coopera's maps. Generated by `cargo xtask geo`; do not edit.",
            "Source: INEGI, Marco Geoestadístico (simplified polygons via isaacarroyov/datos_facil_acceso);",
            "INEGI open data, attribution required.",
            "Projection: equirectangular, standard parallel 24° N; lines simplified (Douglas-Peucker).",
            "Columns: INEGI code, name, label point, SVG path.",
        ],
    ))
}

/// A ring made of TopoJSON arcs (a negative index `!i` is arc `i` reversed); arcs share their
/// end points, so each arc after the first adds its points but the first.
fn assemble(ring: &[i64], arcs: &[Vec<Point>]) -> Ring {
    let mut points: Ring = Vec::new();
    for &i in ring {
        let arc = if i < 0 { &arcs[!i as usize] } else { &arcs[i as usize] };
        let skip = usize::from(!points.is_empty());
        if i < 0 {
            points.extend(arc.iter().rev().skip(skip));
        } else {
            points.extend(arc.iter().skip(skip));
        }
    }
    points
}

/// Whether a ring in degrees jumps across the antimeridian.
fn crosses_antimeridian(ring: &[Point]) -> bool {
    ring.windows(2).any(|w| (w[1].0 - w[0].0).abs() > 180.0)
}

/// The parts of a ring that crosses the antimeridian on each side of it: the ring is made
/// continuous (longitudes beyond ±180°), then clipped to the map once as it is and once
/// shifted by a full turn each way.
fn split_at_antimeridian(ring: &[Point]) -> Vec<Ring> {
    let mut continuous: Ring = Vec::with_capacity(ring.len());
    for &(lon, lat) in ring {
        let lon = match continuous.last() {
            Some(&(prev, _)) => lon + 360.0 * ((prev - lon) / 360.0).round(),
            None => lon,
        };
        continuous.push((lon, lat));
    }
    let mut pieces = Vec::new();
    for shift in [-360.0, 0.0, 360.0] {
        let shifted: Ring = continuous.iter().map(|&(lon, lat)| (lon + shift, lat)).collect();
        let clipped = clip(&clip(&shifted, |p| p.0 <= 180.0, 180.0), |p| p.0 >= -180.0, -180.0);
        if clipped.len() >= 3 {
            let mut closed = clipped;
            closed.push(closed[0]);
            pieces.push(closed);
        }
    }
    pieces
}

/// Sutherland–Hodgman clipping of a closed ring against the half-plane `inside`, whose edge
/// is the meridian `edge`.
fn clip(ring: &[Point], inside: impl Fn(Point) -> bool, edge: f64) -> Ring {
    let mut out = Vec::new();
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        let cut = || {
            let t = (edge - a.0) / (b.0 - a.0);
            (edge, a.1 + t * (b.1 - a.1))
        };
        match (inside(a), inside(b)) {
            (true, true) => out.push(b),
            (true, false) => out.push(cut()),
            (false, true) => {
                out.push(cut());
                out.push(b);
            }
            (false, false) => {}
        }
    }
    out.dedup();
    out
}

/// Signed area (shoelace), in square screen units.
fn area(ring: &[Point]) -> f64 {
    let mut a = 0.0;
    for w in ring.windows(2) {
        a += w[0].0 * w[1].1 - w[1].0 * w[0].1;
    }
    a / 2.0
}

/// The area-weighted centroid of the largest ring: where a label goes.
fn label_point(rings: &[Ring]) -> Point {
    let Some(ring) = rings.iter().max_by(|a, b| area(a).abs().total_cmp(&area(b).abs())) else { return (0.0, 0.0) };
    let a = area(ring);
    if a.abs() < f64::EPSILON {
        return ring[0];
    }
    let (mut cx, mut cy) = (0.0, 0.0);
    for w in ring.windows(2) {
        let cross = w[0].0 * w[1].1 - w[1].0 * w[0].1;
        cx += (w[0].0 + w[1].0) * cross;
        cy += (w[0].1 + w[1].1) * cross;
    }
    (cx / (6.0 * a), cy / (6.0 * a))
}

/// Douglas–Peucker simplification; the first and last points are kept.
fn douglas_peucker(points: &[Point], tolerance: f64) -> Vec<Point> {
    if points.len() < 3 {
        return points.to_vec();
    }
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[points.len() - 1] = true;
    let mut stack = vec![(0, points.len() - 1)];
    while let Some((first, last)) = stack.pop() {
        let (a, b) = (points[first], points[last]);
        let (mut worst, mut index) = (0.0, 0);
        for (i, &p) in points.iter().enumerate().take(last).skip(first + 1) {
            let d = segment_distance(p, a, b);
            if d > worst {
                worst = d;
                index = i;
            }
        }
        if worst > tolerance {
            keep[index] = true;
            stack.push((first, index));
            stack.push((index, last));
        }
    }
    points.iter().zip(keep).filter(|(_, k)| *k).map(|(p, _)| *p).collect()
}

fn segment_distance(p: Point, a: Point, b: Point) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return ((p.0 - a.0).powi(2) + (p.1 - a.1).powi(2)).sqrt();
    }
    let t = (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0);
    ((p.0 - a.0 - t * dx).powi(2) + (p.1 - a.1 - t * dy).powi(2)).sqrt()
}

/// A coordinate with one decimal, without a trailing `.0`.
fn coord(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let s = format!("{r:.1}");
    let s = s.strip_suffix(".0").unwrap_or(&s).to_owned();
    if s == "-0" { "0".to_owned() } else { s }
}

fn emit(shapes: &[Shape], width: f64, height: f64, header: &[&str]) -> String {
    let mut out = String::new();
    for line in header {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(out, "viewbox\t0 0 {} {}", coord(width), coord(height));
    for s in shapes {
        let mut d = String::new();
        for ring in &s.rings {
            let mut last = String::new();
            for (i, &(x, y)) in ring.iter().enumerate() {
                let p = format!("{},{}", coord(x), coord(y));
                // Points that round to the previous one add nothing.
                if p == last || (i == ring.len() - 1 && ring.len() > 1) {
                    continue;
                }
                d.push(if i == 0 { 'M' } else { 'L' });
                d.push_str(&p);
                last = p;
            }
            d.push('Z');
        }
        let (lx, ly) = label_point(&s.rings);
        let _ = writeln!(out, "{}\t{}\t{},{}\t{d}", s.key, s.name, coord(lx), coord(ly));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplification_keeps_corners() {
        let line = [(0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (2.0, 5.0)];
        assert_eq!(douglas_peucker(&line, 0.1), vec![(0.0, 0.0), (2.0, 0.0), (2.0, 5.0)]);
    }

    #[test]
    fn equal_earth_is_symmetric() {
        let (x, y) = equal_earth(0.0, 0.0);
        assert_eq!((x, y), (0.0, 0.0));
        let (x1, _) = equal_earth(1.0, 0.5);
        let (x2, _) = equal_earth(-1.0, 0.5);
        assert!((x1 + x2).abs() < 1e-12);
    }
}
