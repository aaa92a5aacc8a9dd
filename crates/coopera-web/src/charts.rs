//! Bar charts as SVG written by the server: accessible (a title, a description that states
//! every value in full, labels and values as text), readable without colour (every bar carries
//! its value; series differ by colour and by pattern) and printable. Labels are whole, wrapped
//! into lines, never cut; bars carry the short form of their figure, the tooltip the whole one.
//! Each chart is drawn twice, wide and narrow, so that its text stays legible on a phone.

use std::fmt::Write as _;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// Escapes text for HTML and SVG.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The series a bar belongs to. Each has its own colour *and* its own fill — solid, hatched,
/// dotted — so that series differ in grey print and to colour-blind readers too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fill {
    Solid,
    Hatched,
    Dotted,
    /// "Others": what is left after the bars shown.
    Rest,
}

impl Fill {
    const ALL: [Fill; 4] = [Fill::Solid, Fill::Hatched, Fill::Dotted, Fill::Rest];

    /// The ink of the series (blue, orange, purple, grey: told apart with any colour vision) and
    /// the light tint a pattern is drawn over.
    fn colours(self) -> (&'static str, &'static str) {
        match self {
            Fill::Solid => ("#1f5f8b", "#1f5f8b"),
            Fill::Hatched => ("#b35806", "#fde0c5"),
            Fill::Dotted => ("#5e3c99", "#e4dbf1"),
            Fill::Rest => ("#5f6b78", "#dde2e7"),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Fill::Solid => "solid",
            Fill::Hatched => "hatch",
            Fill::Dotted => "dots",
            Fill::Rest => "rest",
        }
    }
}

/// One bar: its whole label, its value, the value as the user reads it in full (tooltip,
/// description) and in short on the bar, and where it leads.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    pub label: String,
    pub value: Decimal,
    pub text: String,
    pub short: String,
    pub href: Option<String>,
    pub fill: Fill,
}

/// Bars laid out horizontally (categories) or as columns (years).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    Rows,
    Columns,
}

#[derive(Debug)]
pub(crate) struct Chart<'a> {
    /// Unique in the page: ids of the title, description and patterns derive from it.
    pub id: &'a str,
    pub title: &'a str,
    pub bars: &'a [Bar],
    pub layout: Layout,
    /// Said when there are no bars.
    pub empty: &'a str,
}

/// The widths the chart is drawn at, in units of the viewBox: wide for a column of a screen,
/// narrow for a phone, where the page's stylesheet shows it instead (a container query on the
/// chart's block). Drawn about that many pixels wide, the 15-unit text reads at 12 px or more.
const WIDE: f64 = 640.0;
const NARROW: f64 = 360.0;
/// Text metrics at the stylesheet's 15 px: a line, and a generous width per character (DejaVu
/// Sans, the widest of the usual fallbacks), so that text never runs past what is measured.
const LINE: f64 = 18.0;
const CHAR_W: f64 = 8.6;
/// The figures are bold: wider.
const BOLD_W: f64 = 10.0;

fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let s = format!("{r:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

/// `text` broken between words into lines of at most `max` characters; a longer word keeps a
/// line of its own. Nothing is cut: the lines joined with spaces give `text` back.
pub(crate) fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count().saturating_add(1).saturating_add(word.chars().count()) <= max => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

/// A `<text>` of one or more lines: tspans one line apart, the first at `y`.
fn text_lines(class: &str, x: f64, y: f64, anchor: &str, lines: &[String]) -> String {
    let mut out = format!("<text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">", f(x), f(y));
    if let [line] = lines {
        out.push_str(&esc(line));
    } else {
        for (i, line) in lines.iter().enumerate() {
            let dy = if i == 0 { 0.0 } else { LINE };
            let _ = write!(out, "<tspan x=\"{}\" dy=\"{}\">{}</tspan>", f(x), f(dy), esc(line));
        }
    }
    out.push_str("</text>");
    out
}

fn width_of(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_W
}

fn bold_width_of(text: &str) -> f64 {
    text.chars().count() as f64 * BOLD_W
}

fn fill_attr(id: &str, fill: Fill) -> String {
    match fill {
        Fill::Solid => format!("class=\"bar\" fill=\"{}\"", fill.colours().0),
        _ => format!("class=\"bar\" fill=\"url(#{id}-{})\" stroke=\"{}\"", fill.name(), fill.colours().0),
    }
}

fn patterns(id: &str, out: &mut String) {
    out.push_str("<defs>");
    for fill in Fill::ALL {
        let (ink, tint) = fill.colours();
        let name = fill.name();
        let _ = match fill {
            Fill::Solid => Ok(()),
            Fill::Hatched | Fill::Rest => write!(
                out,
                "<pattern id=\"{id}-{name}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
                 patternTransform=\"rotate({})\"><rect width=\"6\" height=\"6\" fill=\"{tint}\"/>\
                 <rect width=\"3\" height=\"6\" fill=\"{ink}\"/></pattern>",
                if fill == Fill::Rest { -45 } else { 45 }
            ),
            Fill::Dotted => write!(
                out,
                "<pattern id=\"{id}-{name}\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">\
                 <rect width=\"5\" height=\"5\" fill=\"{tint}\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.6\" fill=\"{ink}\"/>\
                 </pattern>"
            ),
        };
    }
    out.push_str("</defs>");
}

/// The chart twice, as `<svg>` elements: drawn wide (labels beside the bars) and narrow
/// (labels above them); the stylesheet shows the one that fits.
pub(crate) fn render(chart: &Chart<'_>) -> String {
    let mut out = draw(chart, WIDE, chart.id, "wide");
    out.push_str(&draw(chart, NARROW, &format!("{}-n", chart.id), "narrow"));
    out
}

fn draw(chart: &Chart<'_>, width: f64, id: &str, class: &str) -> String {
    let desc: Vec<String> = chart.bars.iter().map(|b| format!("{}: {}", b.label, b.text)).collect();
    let desc = if desc.is_empty() { chart.empty.to_owned() } else { desc.join("; ") };
    let (body, height) = match (chart.layout, class) {
        (Layout::Rows, "wide") => rows_beside(chart, width, id),
        (Layout::Rows, _) => rows_stacked(chart, width, id),
        (Layout::Columns, _) => columns(chart, width, id),
    };
    let mut out = format!(
        "<svg class=\"chart {class}\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        f(width),
        f(height),
        esc(chart.title),
        esc(&desc)
    );
    patterns(id, &mut out);
    out.push_str(&body);
    if chart.bars.is_empty() {
        let _ = write!(
            out,
            "<text class=\"empty\" x=\"{}\" y=\"20\" text-anchor=\"middle\">{}</text>",
            f(width / 2.0),
            esc(chart.empty)
        );
    }
    out.push_str("</svg>");
    out
}

/// Scales values to a length: the largest bar takes all of it, a bar above zero at least 1.5.
fn scaler(bars: &[Bar]) -> impl Fn(Decimal, f64) -> f64 {
    let max = bars.iter().map(|b| b.value).max().unwrap_or_default().to_f64().unwrap_or(0.0);
    move |v: Decimal, len: f64| {
        let w = if max > 0.0 { v.to_f64().unwrap_or(0.0).max(0.0) / max * len } else { 0.0 };
        w.max(if v > Decimal::ZERO { 1.5 } else { 0.0 })
    }
}

/// A bar's group: its tooltip (the whole label and figure), its shapes, and its link.
fn group(b: &Bar, shapes: &str) -> String {
    let g = format!("<g><title>{}: {}</title>{shapes}</g>", esc(&b.label), esc(&b.text));
    match &b.href {
        Some(href) => format!("<a href=\"{}\">{g}</a>", esc(href)),
        None => g,
    }
}

/// Labels in a column on the left, wrapped to its width; bars and their short figures right.
fn rows_beside(chart: &Chart<'_>, width: f64, id: &str) -> (String, f64) {
    let scale = scaler(chart.bars);
    let longest = chart.bars.iter().map(|b| bold_width_of(&b.short)).fold(0.0, f64::max);
    let (label_w, value_w) = (250.0, (longest + 12.0).max(48.0));
    let per_line = ((label_w - 12.0) / CHAR_W).floor() as usize;
    let bar_len = width - label_w - value_w;
    let mut body = String::new();
    let mut y = 4.0;
    for b in chart.bars {
        let lines = wrap(&b.label, per_line);
        let row_h = (lines.len() as f64 * LINE + 12.0).max(30.0);
        let mid = y + row_h / 2.0;
        let w = scale(b.value, bar_len);
        let first = mid + 5.0 - (lines.len() as f64 - 1.0) * LINE / 2.0;
        let shapes = format!(
            "{}<rect {} x=\"{}\" y=\"{}\" width=\"{}\" height=\"22\"/>{}",
            text_lines("label", label_w - 8.0, first, "end", &lines),
            fill_attr(id, b.fill),
            f(label_w),
            f(mid - 11.0),
            f(w),
            text_lines("value", label_w + w + 6.0, mid + 5.0, "start", std::slice::from_ref(&b.short)),
        );
        body.push_str(&group(b, &shapes));
        y += row_h;
    }
    (body, y + 4.0)
}

/// Each label on its own lines across the whole width, its bar and short figure under it.
fn rows_stacked(chart: &Chart<'_>, width: f64, id: &str) -> (String, f64) {
    let scale = scaler(chart.bars);
    let longest = chart.bars.iter().map(|b| bold_width_of(&b.short)).fold(0.0, f64::max);
    let value_w = (longest + 10.0).max(44.0);
    let per_line = (width / CHAR_W).floor() as usize;
    let bar_len = width - value_w - 2.0;
    let mut body = String::new();
    let mut y = 2.0;
    for b in chart.bars {
        let lines = wrap(&b.label, per_line);
        let bar_y = y + lines.len() as f64 * LINE + 4.0;
        let w = scale(b.value, bar_len);
        let shapes = format!(
            "{}<rect {} x=\"1\" y=\"{}\" width=\"{}\" height=\"18\"/>{}",
            text_lines("label", 1.0, y + 14.0, "start", &lines),
            fill_attr(id, b.fill),
            f(bar_y),
            f(w),
            text_lines("value", 1.0 + w + 6.0, bar_y + 14.0, "start", std::slice::from_ref(&b.short)),
        );
        body.push_str(&group(b, &shapes));
        y = bar_y + 18.0 + 12.0;
    }
    (body, y)
}

/// Where text `w` wide centred on `cx` goes without leaving `0..width`: (x, anchor).
fn centred(cx: f64, w: f64, width: f64) -> (f64, &'static str) {
    if cx - w / 2.0 < 0.0 {
        (0.0, "start")
    } else if cx + w / 2.0 > width {
        (width, "end")
    } else {
        (cx, "middle")
    }
}

/// Columns over an axis (years): figures above, labels under, every k-th when they would meet
/// (the tooltips and the table have them all).
fn columns(chart: &Chart<'_>, width: f64, id: &str) -> (String, f64) {
    let scale = scaler(chart.bars);
    let (top, left, plot_h) = (24.0, 4.0, if width < WIDE { 150.0 } else { 180.0 });
    let n = chart.bars.len().max(1) as f64;
    let step = (width - 2.0 * left) / n;
    let bar_w = (step * 0.7).min(48.0);
    // Labels wrap to their column; figures and labels are shown every k-th column when the
    // widest would meet its neighbour's.
    let per_line = ((step - 4.0) / CHAR_W).floor().max(4.0) as usize;
    let labels: Vec<Vec<String>> = chart.bars.iter().map(|b| wrap(&b.label, per_line)).collect();
    let widest = chart
        .bars
        .iter()
        .map(|b| bold_width_of(&b.short))
        .chain(labels.iter().flatten().map(|l| width_of(l)))
        .fold(0.0, f64::max);
    let every = ((widest + 8.0) / step).ceil().max(1.0) as usize;
    let bottom = 10.0 + labels.iter().map(Vec::len).max().unwrap_or(1) as f64 * LINE;
    let mut body = String::new();
    for (i, b) in chart.bars.iter().enumerate() {
        let x = left + i as f64 * step + (step - bar_w) / 2.0;
        let h = scale(b.value, plot_h);
        let y = top + plot_h - h;
        let cx = x + bar_w / 2.0;
        let mut shapes = format!(
            "<rect {} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            fill_attr(id, b.fill),
            f(x),
            f(y),
            f(bar_w),
            f(h)
        );
        if i.checked_rem(every) == Some(0) {
            let (vx, anchor) = centred(cx, bold_width_of(&b.short), width);
            shapes.push_str(&text_lines("value", vx, y - 6.0, anchor, std::slice::from_ref(&b.short)));
            let widest_line = labels[i].iter().map(|l| width_of(l)).fold(0.0, f64::max);
            let (lx, anchor) = centred(cx, widest_line, width);
            shapes.push_str(&text_lines("label", lx, top + plot_h + 18.0, anchor, &labels[i]));
        }
        body.push_str(&group(b, &shapes));
    }
    let _ = write!(
        body,
        "<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
        f(left),
        f(top + plot_h),
        f(width - left),
        f(top + plot_h)
    );
    (body, top + plot_h + bottom)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)] // Offsets into the tests' own strings.
mod tests {
    use super::*;

    fn bar(label: &str, value: i64, text: &str, fill: Fill) -> Bar {
        Bar {
            label: label.into(),
            value: Decimal::from(value),
            text: text.into(),
            short: text.into(),
            href: None,
            fill,
        }
    }

    #[test]
    fn every_value_is_text_and_labels_are_escaped() {
        let mut bars = [bar("Medio <Ambiente>", 20, "20", Fill::Solid), bar("Educación", 15, "15", Fill::Hatched)];
        bars[1].href = Some("/a?b=1&c=2".into());
        let svg = render(&Chart { id: "t", title: "Áreas", bars: &bars, layout: Layout::Rows, empty: "sin datos" });
        assert!(svg.contains("<title id=\"t-t\">Áreas</title>"));
        assert!(svg.contains("Medio &lt;Ambiente&gt;: 20; Educación: 15"), "{svg}");
        assert!(svg.contains(">20</text>") && svg.contains(">15</text>"));
        assert!(svg.contains("href=\"/a?b=1&amp;c=2\""));
        assert!(svg.contains("url(#t-hatch)") && svg.contains("url(#t-n-hatch)"), "each drawing its own patterns");
    }

    #[test]
    fn wrapping_keeps_every_word() {
        let label = "Agricultura, Silvicultura y Pesca";
        let lines = wrap(label, 20);
        assert_eq!(lines, ["Agricultura,", "Silvicultura y Pesca"]);
        assert_eq!(lines.join(" "), label);
        assert_eq!(wrap("Interdisciplinariamente", 5), ["Interdisciplinariamente"], "a long word is kept whole");
        assert_eq!(wrap("Salud", 20), ["Salud"]);
    }

    /// (x, width) of every `<text>` line of `svg`, measured as the chart measures it.
    fn extents(svg: &str) -> Vec<(f64, f64, String)> {
        let mut out = Vec::new();
        for piece in svg.split("<text ").skip(1) {
            let piece = &piece[..piece.find("</text>").unwrap()];
            let num = |s: &str, key: &str| -> f64 {
                let i = s.find(key).unwrap() + key.len();
                s[i..i + s[i..].find('"').unwrap()].parse().unwrap()
            };
            let anchor = if piece.contains("text-anchor=\"end\"") {
                1.0
            } else if piece.contains("text-anchor=\"middle\"") {
                0.5
            } else {
                0.0
            };
            let lines: Vec<&str> = if piece.contains("<tspan") {
                piece
                    .split("<tspan")
                    .skip(1)
                    .map(|t| &t[t.find('>').unwrap() + 1..t.find("</tspan>").unwrap()])
                    .collect()
            } else {
                vec![&piece[piece.find('>').unwrap() + 1..]]
            };
            let bold = piece.starts_with("class=\"value\"");
            for line in lines {
                let w = if bold { bold_width_of(line) } else { width_of(line) };
                out.push((num(piece, "x=\"") - anchor * w, w, line.to_owned()));
            }
        }
        out
    }

    #[test]
    fn text_stays_inside_the_drawing_at_both_widths() {
        let bars: Vec<Bar> = [
            ("Otros servicios e infraestructura social", 11_143_007),
            ("Industria, extractivas, construcción, comercio y turismo", 6_270_895),
            ("Salud", 94_912),
        ]
        .iter()
        .map(|(l, v)| Bar { short: "11.1 M".into(), ..bar(l, *v, "11,143,007 USD", Fill::Solid) })
        .collect();
        for layout in [Layout::Rows, Layout::Columns] {
            let svg = render(&Chart { id: "t", title: "T", bars: &bars, layout, empty: "" });
            for drawing in svg.split("<svg ").skip(1) {
                let view = &drawing[drawing.find("viewBox=\"0 0 ").unwrap() + "viewBox=\"0 0 ".len()..];
                let width: f64 = view.split(' ').next().unwrap().parse().unwrap();
                for (x, w, line) in extents(drawing) {
                    assert!(x >= 0.0 && x + w <= width, "{layout:?} `{line}` at {x} + {w} beyond {width}");
                }
            }
        }
    }

    #[test]
    fn series_have_their_own_colour() {
        let colours: Vec<&str> = Fill::ALL.iter().map(|f| f.colours().0).collect();
        for (i, a) in colours.iter().enumerate() {
            assert!(!colours[i + 1..].contains(a), "{a} twice");
        }
    }
}
