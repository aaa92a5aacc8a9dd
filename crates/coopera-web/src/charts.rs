//! Bar charts as SVG written by the server: accessible (a title, a description that states
//! every value, labels and values as text), readable without colour (every bar carries its
//! value; the bars of different kinds differ by pattern too) and printable.

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

/// How a bar is filled, so that kinds differ by more than colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fill {
    Solid,
    Hatched,
    Dotted,
}

/// One bar: its label, value, the value as the user reads it, and where it leads.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    pub label: String,
    pub value: Decimal,
    pub text: String,
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

const WIDTH: f64 = 640.0;
const LABEL_CHARS: usize = 28;

fn f(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let s = format!("{r:.1}");
    s.strip_suffix(".0").map(str::to_owned).unwrap_or(s)
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut t: String = s.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

fn fill_attr(id: &str, fill: Fill) -> String {
    match fill {
        Fill::Solid => "class=\"bar\"".to_owned(),
        Fill::Hatched => format!("class=\"bar\" fill=\"url(#{id}-hatch)\""),
        Fill::Dotted => format!("class=\"bar\" fill=\"url(#{id}-dots)\""),
    }
}

fn patterns(id: &str, out: &mut String) {
    let _ = write!(
        out,
        "<defs><pattern id=\"{id}-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" \
         patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#dbe8f2\"/>\
         <rect width=\"3\" height=\"6\" fill=\"#1f5f8b\"/></pattern>\
         <pattern id=\"{id}-dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">\
         <rect width=\"5\" height=\"5\" fill=\"#dbe8f2\"/><circle cx=\"2.5\" cy=\"2.5\" r=\"1.6\" fill=\"#1f5f8b\"/>\
         </pattern></defs>"
    );
}

/// The chart as an `<svg>` element.
pub(crate) fn render(chart: &Chart<'_>) -> String {
    let id = chart.id;
    let desc: Vec<String> = chart.bars.iter().map(|b| format!("{}: {}", b.label, b.text)).collect();
    let desc = if desc.is_empty() { chart.empty.to_owned() } else { desc.join("; ") };
    let max = chart.bars.iter().map(|b| b.value).max().unwrap_or_default().to_f64().unwrap_or(0.0);
    let scale = |v: Decimal, len: f64| if max > 0.0 { v.to_f64().unwrap_or(0.0).max(0.0) / max * len } else { 0.0 };
    let mut body = String::new();
    let height;
    match chart.layout {
        Layout::Rows => {
            // The value column fits the longest value (about 9 units a character at 15px).
            let longest = chart.bars.iter().map(|b| b.text.chars().count()).max().unwrap_or(0) as f64;
            let (label_w, row_h, value_w) = (280.0, 30.0, (longest * 9.0 + 12.0).max(60.0));
            let bar_len = WIDTH - label_w - value_w - 10.0;
            height = (chart.bars.len().max(1) as f64) * row_h + 8.0;
            for (i, b) in chart.bars.iter().enumerate() {
                let y = 4.0 + i as f64 * row_h;
                let w = scale(b.value, bar_len).max(if b.value > Decimal::ZERO { 1.5 } else { 0.0 });
                let label = shorten(&b.label, LABEL_CHARS);
                let mut g = format!(
                    "<g><title>{}: {}</title><text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\
                     <rect {} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>\
                     <text class=\"value\" x=\"{}\" y=\"{}\">{}</text></g>",
                    esc(&b.label),
                    esc(&b.text),
                    f(label_w - 8.0),
                    f(y + row_h / 2.0 + 5.0),
                    esc(&label),
                    fill_attr(id, b.fill),
                    f(label_w),
                    f(y + 4.0),
                    f(w),
                    f(row_h - 8.0),
                    f(label_w + w + 6.0),
                    f(y + row_h / 2.0 + 5.0),
                    esc(&b.text)
                );
                if let Some(href) = &b.href {
                    g = format!("<a href=\"{}\">{g}</a>", esc(href));
                }
                body.push_str(&g);
            }
        }
        Layout::Columns => {
            let (top, bottom, left) = (22.0, 28.0, 8.0);
            let plot_h = 180.0;
            height = top + plot_h + bottom;
            let n = chart.bars.len().max(1) as f64;
            let step = (WIDTH - 2.0 * left) / n;
            let bar_w = (step * 0.7).min(48.0);
            // Label every column while they fit; otherwise every k-th (the table has them all).
            let every = ((n * 44.0) / (WIDTH - 2.0 * left)).ceil().max(1.0) as usize;
            for (i, b) in chart.bars.iter().enumerate() {
                let x = left + i as f64 * step + (step - bar_w) / 2.0;
                let h = scale(b.value, plot_h).max(if b.value > Decimal::ZERO { 1.5 } else { 0.0 });
                let y = top + plot_h - h;
                let cx = x + bar_w / 2.0;
                let show = i.checked_rem(every) == Some(0);
                let mut g = format!(
                    "<g><title>{}: {}</title><rect {} x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
                    esc(&b.label),
                    esc(&b.text),
                    fill_attr(id, b.fill),
                    f(x),
                    f(y),
                    f(bar_w),
                    f(h)
                );
                if show {
                    let _ = write!(
                        g,
                        "<text class=\"value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\
                         <text class=\"label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                        f(cx),
                        f(y - 5.0),
                        esc(&b.text),
                        f(cx),
                        f(top + plot_h + 20.0),
                        esc(&shorten(&b.label, 10))
                    );
                }
                g.push_str("</g>");
                if let Some(href) = &b.href {
                    g = format!("<a href=\"{}\">{g}</a>", esc(href));
                }
                body.push_str(&g);
            }
            let _ = write!(
                body,
                "<line class=\"axis\" x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                f(left),
                f(top + plot_h),
                f(WIDTH - left),
                f(top + plot_h)
            );
        }
    }
    if chart.bars.is_empty() {
        let _ = write!(
            body,
            "<text class=\"empty\" x=\"{}\" y=\"20\" text-anchor=\"middle\">{}</text>",
            f(WIDTH / 2.0),
            esc(chart.empty)
        );
    }
    let mut out = format!(
        "<svg class=\"chart\" viewBox=\"0 0 {} {}\" role=\"img\" aria-labelledby=\"{id}-t {id}-d\" \
         xmlns=\"http://www.w3.org/2000/svg\"><title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        f(WIDTH),
        f(height),
        esc(chart.title),
        esc(&desc)
    );
    patterns(id, &mut out);
    out.push_str(&body);
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_is_text_and_labels_are_escaped() {
        let bars = [
            Bar {
                label: "Medio <Ambiente>".into(),
                value: Decimal::from(20),
                text: "20".into(),
                href: None,
                fill: Fill::Solid,
            },
            Bar {
                label: "Educación".into(),
                value: Decimal::from(15),
                text: "15".into(),
                href: Some("/a?b=1&c=2".into()),
                fill: Fill::Hatched,
            },
        ];
        let svg = render(&Chart { id: "t", title: "Áreas", bars: &bars, layout: Layout::Rows, empty: "sin datos" });
        assert!(svg.contains("<title id=\"t-t\">Áreas</title>"));
        assert!(svg.contains("Medio &lt;Ambiente&gt;: 20; Educación: 15"), "{svg}");
        assert!(svg.contains(">20</text>") && svg.contains(">15</text>"));
        assert!(svg.contains("href=\"/a?b=1&amp;c=2\""));
        assert!(svg.contains("url(#t-hatch)"));
    }
}
