//! Figures a user can trust, on the dashboard and the API over the demo data: the partners'
//! geography, whole counts that add up, one rule of concentration, and cards that say what
//! they show. The expected figures are worked out from the demo data in
//! `crates/coopera/tests/it/figures.rs`.

use super::*;

/// (label, value, note) of each card of a dashboard page.
fn cards(html: &str) -> Vec<(String, String, String)> {
    let text = |s: &str, class: &str| -> String {
        let open = format!("<p class=\"{class}\">");
        s.find(&open)
            .map(|i| {
                let rest = &s[i + open.len()..];
                rest[..rest.find("</p>").expect("closed")].to_owned()
            })
            .unwrap_or_default()
    };
    html.split("<div class=\"card\">")
        .skip(1)
        .map(|card| {
            let card = &card[..card.find("</div>").expect("card closed")];
            (text(card, "card-label"), text(card, "card-value"), text(card, "card-note"))
        })
        .collect()
}

/// The description of a chart or map: every value it draws, as text.
fn desc(html: &str, id: &str) -> String {
    let open = format!("<desc id=\"{id}-d\">");
    let start = html.find(&open).unwrap_or_else(|| panic!("no chart {id}")) + open.len();
    html[start..start + html[start..].find("</desc>").expect("closed")].to_owned()
}

/// The figure of a card as a whole number: `15,836,004 USD` → 15836004.
fn whole(text: &str) -> i64 {
    let digits: String = text.chars().filter(char::is_ascii_digit).collect();
    digits.parse().unwrap_or_else(|_| panic!("no number in `{text}`"))
}

#[tokio::test]
async fn the_region_chart_shows_the_partners_regions() {
    let app = app();
    // With every direction, Mexico is nowhere a partner: Central America leads (73 given, 3
    // both ways), then South America (16 + 3 received + 6 both ways) and the international
    // organisations that provide 24 of the 40 activities received.
    let all = get(&app, "/").await.ok().text();
    let regions = desc(&all, "regions");
    assert!(regions.starts_with("Centroamérica: 76; Sudamérica: 25; Organismos multilaterales: 24"), "{regions}");
    assert!(!regions.contains("Norteamérica: 48"), "{regions}");
    let both = get(&app, "/?direction=both").await.ok().text();
    assert_eq!(desc(&both, "regions"), "Sudamérica: 6; Norteamérica: 5; Centroamérica: 3");
    // The world map draws the partner countries: the providers of cooperation received.
    let received = get(&app, "/?direction=received&lang=en").await.ok().text();
    let map = desc(&received, "partner-countries");
    assert!(map.starts_with("Japan: 6; Germany: 4; Brazil: 2"), "{map}");
    assert!(!map.contains("Mexico"), "{map}");
    assert!(received.contains("Multilateral organisations (no country): 24"), "the map says what it cannot draw");
    // The API: the same report, the engine's.
    let api = get(&app, "/api/v1/reports/regions?direction=received").await.ok().json();
    assert_eq!(api["dimension"], "partner-region");
    assert_eq!(api["rows"][0]["key"], "multilateral");
    assert_eq!(api["rows"][0]["value"], 24);
    let listed = get(&app, "/api/v1/activities?partner_country=JP").await.ok().json();
    let report = get(&app, "/api/v1/reports/themes?partner_country=JP").await.ok().json();
    // JICA provides 6 activities received; where it is the second provider of triangular
    // cooperation given, the partner is the recipient country, not Japan.
    assert_eq!(listed["total"], 6);
    assert_eq!(listed["total"], report["activities"], "the list and the figures count the same activities");
}

#[tokio::test]
async fn cards_and_charts_count_whole_activities_and_add_up() {
    let app = app();
    let html = get(&app, "/?state=07").await.ok().text();
    let cards = cards(&html);
    let value = |label: &str| cards.iter().find(|c| c.0 == label).map(|c| c.1.clone()).unwrap_or_default();
    assert_eq!(value("Actividades"), "20");
    assert_eq!(value("Otorgadas"), "9");
    assert_eq!(value("Recibidas"), "9");
    assert!(cards.iter().any(|c| c.0 == "Recibidas" && c.2 == "y 2 bidireccionales"), "{cards:?}");
    assert_eq!(desc(&html, "directions"), "Otorgada: 9; Recibida: 9; Bidireccional: 2");
    // No fractions anywhere: not in the charts, not in the map legends.
    for id in ["themes", "regions", "directions", "modalities", "years", "partner-countries", "states"] {
        let d = desc(&html, id);
        assert!(!d.contains('.'), "{id}: {d}");
    }
    let all = get(&app, "/").await.ok().text();
    let legend = &all[all.find("<ul class=\"legend\"").expect("legend")..];
    let legend = &legend[..legend.find("</ul>").expect("closed")];
    let labels: Vec<&str> = legend.split("</li>").filter_map(|t| t.rsplit_once('>').map(|(_, label)| label)).collect();
    assert!(labels.contains(&"≤ 4") && labels.contains(&"17 – 30"), "{labels:?}");
    assert!(labels.iter().all(|l| !l.contains('.')), "whole numbers in the legend: {labels:?}");
    // The page says that groups overlap.
    assert!(all.contains("pueden sumar más de 100 %"), "{}", &all[..3000.min(all.len())]);
}

#[tokio::test]
async fn the_value_card_reads_the_measure_shown() {
    let app = app();
    for (show, label, measure) in [
        ("disbursed:USD", "Desembolsado (USD)", "disbursed"),
        ("committed:MXN", "Comprometido (MXN)", "committed"),
        ("total:USD", "Valor total (USD)", "total"),
    ] {
        let html = get(&app, &format!("/?show={show}")).await.ok().text();
        let cards = cards(&html);
        let card = cards.iter().find(|c| c.0 == label).unwrap_or_else(|| panic!("{show}: {cards:?}"));
        let currency = &show[show.len() - 3..];
        let api = get(&app, &format!("/api/v1/reports/directions?measure={measure}&currency={currency}")).await;
        let total = api.ok().json()["total"].as_f64().expect("total");
        assert_eq!(whole(&card.1), total.round() as i64, "{show}: the card is the charts' total");
        let others: Vec<&str> = cards.iter().map(|c| c.0.as_str()).filter(|l| l.starts_with("Valor total")).collect();
        assert!(measure == "total" || others.is_empty(), "{show}: {others:?}");
    }
}

#[tokio::test]
async fn one_rule_of_concentration_for_the_page_the_api_and_the_downloads() {
    let app = app();
    // States: the 108 activities without one are shown, and left out of concentration:
    // Chiapas 20 of 124 assignments to a state = 16.1 %, HHI 656.87.
    let api = get(&app, "/api/v1/reports/states").await.ok().json();
    assert_eq!(api["concentration"]["top_share"].as_f64(), Some(16.129));
    assert_eq!(api["concentration"]["hhi"].as_f64(), Some(656.87));
    let rows = api["rows"].as_array().expect("rows");
    assert_eq!(rows.last().map(|r| (r["key"].clone(), r["value"].clone())), Some(("none".into(), 108.into())));
    let html = get(&app, "/").await.ok().text();
    assert!(html.contains("Chiapas concentra 16.1 % · IHH 657"), "the dashboard says the same");
    let csv = get(&app, "/reports/states.csv").await.ok().text();
    assert!(csv.lines().last().is_some_and(|l| l.starts_with("none,")), "{csv}");
}

/// "What did Mexico give Central America in 2012, by theme?" asked on the dashboard as a user
/// would: the three choices are in view in its form (not folded away), the browser submits the
/// whole form, and the theme chart, its table and the cards answer with the report engine's
/// figures — `coopera report themes --direction given --year 2012 --filter
/// partner-region=centroamerica`.
#[tokio::test]
async fn what_mexico_gave_central_america_in_2012_by_theme() {
    use coopera_report::{Currency, Dimension, Filters, LoadOptions, Measure, Query, Snapshot, YearRange};
    let app = app();
    let home = get(&app, "/").await.ok().text();
    let form = &home[home.find("<form class=\"filters\"").expect("form")..];
    let form = &form[..form.find("</form>").expect("closed")];
    let in_view = &form[..form.find("<details class=\"more-filters\"").expect("more filters")];
    for (name, value) in [("year", "2012"), ("direction", "given"), ("partner_region", "centroamerica")] {
        let select = &in_view[in_view.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("{name} in view"))..];
        let select = &select[..select.find("</select>").expect("closed")];
        assert!(select.contains(&format!("<option value=\"{value}\"")), "{name} offers {value}");
    }
    // Submitting the form sends every select, the ones left at "all" empty.
    let names: Vec<&str> = form.split("<select id=\"f-").skip(1).filter_map(|s| s.split('"').next()).collect();
    let chosen = |name: &str| match name {
        "year" => "2012",
        "direction" => "given",
        "partner_region" => "centroamerica",
        "show" => "total:USD",
        _ => "",
    };
    let query: Vec<String> = names.iter().map(|n| format!("{n}={}", encode(chosen(n)))).collect();
    let html = get(&app, &format!("/?{}", query.join("&"))).await.ok().text();

    let snapshot = Snapshot::load(&demo_store(), &LoadOptions::default()).expect("snapshot");
    let filters = Filters {
        years: Some(YearRange { from: 2012, to: 2012 }),
        values: vec![
            (Dimension::Direction, vec!["given".to_owned()]),
            (Dimension::PartnerRegion, vec!["centroamerica".to_owned()]),
        ],
        ..Filters::default()
    };
    let report = |measure| {
        let q = Query {
            dimension: Dimension::ThematicArea,
            measure,
            currency: Currency::Usd,
            filters: filters.clone(),
            top: 1,
        };
        coopera_report::run(&snapshot, &q).expect("report")
    };
    let value = report(Measure::Total);
    assert!(value.rows.len() > 1 && value.total > rust_decimal::Decimal::ZERO, "{value:?}");
    let chart = desc(&html, "themes");
    for r in value.rows.iter().take(12) {
        let expected: i64 = r.value.round().to_string().parse().expect("whole");
        let shown = chart.split("; ").find(|p| p.starts_with(&format!("{}: ", r.label_es)));
        let shown = shown.unwrap_or_else(|| panic!("{} in {chart}", r.label_es));
        assert!((whole(shown) - expected).abs() <= 1, "{}: {chart}", r.label_es);
    }
    let cards = cards(&html);
    let total = cards.iter().find(|c| c.0 == "Valor total (USD)").expect("value card");
    let expected: i64 = value.total.round().to_string().parse().expect("whole");
    assert!((whole(&total.1) - expected).abs() <= 1, "{cards:?}");
    let count = report(Measure::Count);
    let activities = cards.iter().find(|c| c.0 == "Actividades").expect("activities card");
    assert_eq!(activities.1, count.activities.to_string());
    assert_eq!(cards.iter().find(|c| c.0 == "Otorgadas").map(|c| c.1.clone()), Some(count.activities.to_string()));
    // The list under it holds the same activities, and its link says so.
    let list = get(&app, "/api/v1/activities?year=2012&direction=given&partner_region=centroamerica").await.ok().json();
    assert_eq!(list["total"].as_u64(), Some(count.activities));
    assert!(html.contains(
        "href=\"/activities?year=2012&#38;direction=given&#38;partner_region=centroamerica&#38;show=total%3AUSD\""
    ));
}

/// A filter narrow enough to leave one activity reads in the singular: the Sonora–Arizona
/// Commission's one activity of 2012.
#[tokio::test]
async fn one_activity_reads_in_the_singular() {
    let app = app();
    let es = get(&app, "/?partner=az-mexico-commission&year=2012").await.ok().text();
    assert!(es.contains("<p class=\"lead\">1 actividad en la selección;"), "{}", &es[..4000.min(es.len())]);
    assert!(cards(&es).iter().any(|c| c.0 == "Recibidas" && c.2 == "y 1 bidireccional"), "{:?}", cards(&es));
    let en = get(&app, "/?partner=az-mexico-commission&year=2012&lang=en").await.ok().text();
    assert!(en.contains("<p class=\"lead\">1 activity in the selection;"));
    assert!(cards(&en).iter().any(|c| c.0 == "Received" && c.2 == "and 1 both ways"), "{:?}", cards(&en));
    let list = get(&app, "/activities?partner=az-mexico-commission&year=2012").await.ok().text();
    assert!(list.contains(">1 actividad<"), "the list's count too");
}
