//! Readable charts: whole labels (wrapped, never cut), figures grouped by thousands with a
//! short form on the bars, legends that wrap instead of running off the map, a narrow layout
//! for phones, series that differ by colour and pattern, no half-empty rows of charts, and
//! text without slips in either language.

use super::*;

/// The dashboards the checks run over: counts and money, every direction, both languages.
const PAGES: [&str; 8] = [
    "/?lang=es",
    "/?lang=en",
    "/?lang=es&show=total:USD",
    "/?lang=en&show=total:USD",
    "/?lang=es&direction=given&show=total:USD",
    "/?lang=en&direction=received&show=total:USD",
    "/?lang=es&direction=both",
    "/?lang=en&direction=both&show=total:MXN",
];

/// Each `<svg …>…</svg>` of a page whose opening tag contains `class`.
fn svgs<'a>(html: &'a str, class: &str) -> Vec<&'a str> {
    let open = format!("<svg class=\"{class}");
    html.match_indices(&open)
        .map(|(i, _)| {
            let end = html[i..].find("</svg>").expect("svg closed") + i + "</svg>".len();
            &html[i..end]
        })
        .collect()
}

/// The value of attribute `name` in the first tag of `s`.
fn attr<'a>(s: &'a str, name: &str) -> Option<&'a str> {
    let tag = &s[..s.find('>')?];
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

/// The `<text class="{class}">` elements of an SVG: their tspans joined with spaces.
fn texts(svg: &str, class: &str) -> Vec<String> {
    let open = format!("<text class=\"{class}\"");
    svg.match_indices(&open)
        .map(|(i, _)| {
            let inner = &svg[i..i + svg[i..].find("</text>").expect("text closed")];
            let inner = &inner[inner.find('>').expect("tag") + 1..];
            let lines: Vec<String> = if inner.contains("<tspan") {
                inner.split("<tspan").skip(1).map(|t| strip_tags(&format!("<tspan{t}"))).collect()
            } else {
                vec![strip_tags(inner)]
            };
            unescape(&lines.join(" "))
        })
        .collect()
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in s.chars() {
        match c {
            '<' => inside = true,
            '>' => inside = false,
            c if !inside => out.push(c),
            _ => {}
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The first-column labels of every data table of the page.
fn table_labels(html: &str) -> Vec<String> {
    html.split("<th scope=\"row\">")
        .skip(1)
        .map(|cell| unescape(&strip_tags(&cell[..cell.find("</th>").expect("cell closed")])))
        .collect()
}

/// The short form of a figure on a bar: `34`, `12.5`, `850`, `16.3 k`, `246 mil`, `19.1 M`, `2,346 M`.
fn is_short(text: &str) -> bool {
    let (number, unit) = text.split_once(' ').unwrap_or((text, ""));
    let digits = number.replace(',', "");
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let int_ok = !int.is_empty() && int.chars().all(|c| c.is_ascii_digit());
    let frac_ok = frac.len() <= 2 && frac.chars().all(|c| c.is_ascii_digit());
    let grouped = number.split('.').next().is_some_and(|i| {
        let parts: Vec<&str> = i.split(',').collect();
        parts[0].len() <= 3 && parts[1..].iter().all(|p| p.len() == 3)
    });
    int_ok && frac_ok && grouped && ["", "k", "mil", "M"].contains(&unit) && (!unit.is_empty() || int.len() <= 4)
}

#[test]
fn short_forms_are_recognised() {
    for ok in ["34", "12.5", "850", "16.3 k", "246 mil", "19.1 M", "2,346 M"] {
        assert!(is_short(ok), "{ok}");
    }
    for bad in ["USD 19,149,145", "19,149,145 USD", "19149145", "19.1M", "Agricultura…"] {
        assert!(!is_short(bad), "{bad}");
    }
}

#[tokio::test]
async fn bars_show_whole_labels_and_short_grouped_figures() {
    let app = app();
    for page in PAGES {
        let html = get(&app, page).await.ok().text();
        let rows = table_labels(&html);
        let charts = svgs(&html, "chart");
        assert!(charts.len() >= 5, "{page}");
        for svg in &charts {
            assert!(!svg.contains('…'), "{page}: a label is cut: {svg}");
            for label in texts(svg, "label") {
                assert!(
                    rows.contains(&label) || label.starts_with("Otras (") || label.starts_with("Others ("),
                    "{page}: `{label}` is not a whole label of the table"
                );
            }
            for value in texts(svg, "value") {
                assert!(is_short(&value), "{page}: `{value}` is not a short figure");
            }
        }
    }
    // The whole figure, grouped by thousands, is in the tooltip, the description and the table.
    let html = get(&app, "/?lang=en&show=total:USD").await.ok().text();
    let themes = svgs(&html, "chart")[0];
    assert!(themes.contains("<title>Government &amp; Civil Society: USD 11,143,007</title>"), "{themes}");
    assert!(texts(themes, "value").contains(&"11.1 M".to_owned()), "{themes}");
    assert!(texts(themes, "label").contains(&"Agriculture, Forestry, Fishing".to_owned()), "{themes}");
    let es = get(&app, "/?lang=es&show=total:USD").await.ok().text();
    let themes = svgs(&es, "chart")[0];
    assert!(texts(themes, "label").contains(&"Agricultura, Silvicultura y Pesca".to_owned()), "{themes}");
    assert!(themes.contains("Gobierno y Sociedad Civil: 11,143,007 USD"), "{themes}");
}

#[tokio::test]
async fn every_chart_has_a_narrow_layout_for_phones() {
    let app = app();
    let html = get(&app, "/?show=total:USD").await.ok().text();
    let narrow = svgs(&html, "chart narrow");
    assert_eq!(narrow.len(), 5, "one per bar chart");
    for svg in narrow {
        let view: Vec<f64> =
            attr(svg, "viewBox").expect("viewBox").split(' ').map(|v| v.parse().expect("number")).collect();
        // Drawn 340 to 400 px wide on a phone, its 15-unit text stays at 12 px or more.
        assert!(view[2] <= 400.0, "{svg}");
    }
}

#[tokio::test]
async fn map_legends_wrap_as_text_beside_the_map() {
    let app = app();
    for page in PAGES {
        let html = get(&app, page).await.ok().text();
        for id in ["partner-countries", "states"] {
            let start = html.find(&format!("id=\"{id}\"")).expect("panel");
            let block = &html[start..start + html[start..].find("</section>").expect("end")];
            let svg = svgs(block, "map")[0];
            assert!(!svg.contains("<text"), "{page} {id}: no text inside the map to run off its edge");
            let legend = block.find("<ul class=\"legend\"").unwrap_or_else(|| panic!("{page} {id}: a legend"));
            let items = block[legend..].matches("<li>").count();
            let classes = svg.matches("<pattern id=").count();
            assert!(items >= 1 && items <= classes + 1, "{page} {id}: {items} items for {classes} classes");
        }
    }
    // Money ranges read in the short form, the whole figure stays in each shape's tooltip.
    let html = get(&app, "/?lang=en&show=total:USD").await.ok().text();
    let start = html.find("id=\"states\"").expect("panel");
    let block = &html[start..start + html[start..].find("</section>").expect("end")];
    assert!(block.contains("<title>Chiapas: USD 2,120,921</title>"), "{block}");
    assert!(block.contains("2.1 M"), "{block}");
    let legend = &block[block.find("<ul class=\"legend\"").expect("legend")..];
    assert!(!legend[..legend.find("</ul>").expect("closed")].contains("2,120,921"), "{block}");
}

#[tokio::test]
async fn every_shaded_state_differs_from_no_data_by_its_pattern_too() {
    let app = app();
    let html = get(&app, "/").await.ok().text();
    let map = svgs(&html, "map")[1];
    let bc = map.find("<title>Baja California: 2</title>").expect("Baja California has 2 activities");
    let path = &map[map[..bc].rfind("<path").expect("its path")..bc];
    let fill = attr(path, "fill").expect("filled");
    let class = fill.trim_start_matches("url(#").trim_end_matches(')');
    let pattern_start = map.find(&format!("<pattern id=\"{class}\"")).expect("its pattern");
    let pattern = &map[pattern_start..pattern_start + map[pattern_start..].find("</pattern>").expect("end")];
    assert!(
        pattern.matches('<').count() > 2,
        "the lightest class carries a pattern over its colour, so it never reads as empty: {pattern}"
    );
}

#[tokio::test]
async fn series_differ_by_colour_as_well_as_pattern() {
    let app = app();
    let html = get(&app, "/").await.ok().text();
    let start = html.find("id=\"directions\"").expect("panel");
    let svg = svgs(&html[start..], "chart")[0];
    let fills: Vec<&str> =
        svg.match_indices("<rect class=\"bar\"").map(|(i, _)| attr(&svg[i..], "fill").unwrap_or("")).collect();
    assert_eq!(fills.len(), 3, "{svg}");
    let colour = |fill: &str| -> String {
        if let Some(id) = fill.strip_prefix("url(#").and_then(|f| f.strip_suffix(')')) {
            let p = &svg[svg.find(&format!("<pattern id=\"{id}\"")).expect("pattern")..];
            let p = &p[..p.find("</pattern>").expect("end")];
            // The pattern's ink: its last fill.
            let last = p.rfind("fill=\"").expect("ink") + 6;
            p[last..last + p[last..].find('"').expect("end")].to_owned()
        } else {
            fill.to_owned()
        }
    };
    let colours: Vec<String> = fills.iter().map(|f| colour(f)).collect();
    assert!(colours.iter().all(|c| c.starts_with('#')), "{colours:?}");
    assert!(colours[0] != colours[1] && colours[1] != colours[2] && colours[0] != colours[2], "{colours:?}");
    assert!(fills[0] != fills[1] && fills[1] != fills[2], "the patterns stay: {fills:?}");
    // Nothing in the stylesheet paints every bar over its own fill.
    let css = get(&app, "/assets/app.css?v=x").await.ok().text();
    assert!(!css.contains("svg .bar { fill"), "a rule for `.bar` would hide the series' fills");
}

#[tokio::test]
async fn the_grid_of_charts_has_no_half_empty_row() {
    let app = app();
    let html = get(&app, "/").await.ok().text();
    let mut run = 0;
    for block in html.split("<section class=\"chart-block").skip(1) {
        if block.starts_with(" wide") {
            assert!(run % 2 == 0, "an odd chart before a wide one leaves half a row empty");
            run = 0;
        } else {
            run += 1;
        }
    }
    assert!(run % 2 == 0, "an odd chart at the end leaves half a row empty");
}

#[tokio::test]
async fn text_has_no_slips_in_either_language() {
    let app = app();
    let one_es = get(&app, "/?modality=regional&year=2011&lang=es").await.ok().text();
    assert!(one_es.contains("1 actividad en la selección"), "{}", &one_es[..3000]);
    let one_en = get(&app, "/?modality=regional&year=2011&lang=en").await.ok().text();
    assert!(one_en.contains("1 activity in the selection"));
    let one_org = get(&app, "/organisations?q=cooperacion%20alemana").await.ok().text();
    assert!(one_org.contains(">1 organización<"), "{}", around(&one_org, "organizaci"));
    let one_org = get(&app, "/organisations?q=cooperacion%20alemana&lang=en").await.ok().text();
    assert!(one_org.contains(">1 organisation<"), "{}", around(&one_org, "organisation"));
    let mut pages: Vec<String> = PAGES.iter().map(|p| (*p).to_owned()).collect();
    pages.extend(["/?modality=regional&year=2011&lang=es".into(), "/?modality=regional&year=2011&lang=en".into()]);
    for page in pages {
        let html = get(&app, &page).await.ok().text();
        let body = &html[html.find("<main").expect("main")..];
        let text = unescape(&strip_tags(body));
        for slip in ["..", " 1 actividades", " 1 activities", "las 1 filas", "1 filas", " 1 rows", " ,", " ."] {
            assert!(!text.contains(slip), "{page}: `{slip}` in: {}", around(&text, slip));
        }
    }
}

fn around<'a>(text: &'a str, needle: &str) -> &'a str {
    let i = text.find(needle).unwrap_or(0);
    let start = text[..i].char_indices().rev().nth(60).map(|(j, _)| j).unwrap_or(0);
    let end = text[i..].char_indices().nth(60).map(|(j, _)| i + j).unwrap_or(text.len());
    &text[start..end]
}
