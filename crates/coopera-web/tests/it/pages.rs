//! Pages: the dashboard, languages, filters, lists, records, errors and the layers.

use super::*;

#[tokio::test]
async fn the_dashboard_draws_every_chart_both_maps_and_their_tables() {
    let app = app();
    let r = get(&app, "/").await.ok();
    let html = r.text();
    assert!(r.header(header::CONTENT_TYPE).starts_with("text/html"));
    assert!(html.contains("<html lang=\"es\">"), "Spanish by default");
    assert!(html.contains("Panel de la cooperación internacional"));
    assert_eq!(count(&html, "<svg class=\"chart wide\""), 5, "themes, regions, directions, modalities, years");
    assert_eq!(count(&html, "<svg class=\"chart narrow\""), 5, "each drawn for a phone too");
    assert_eq!(
        count(&html, "<svg class=\"map\""),
        3,
        "partner countries, Mexican states, and the states' international action"
    );
    for id in ["themes", "regions", "directions", "modalities", "years", "partner-countries", "states"] {
        assert!(html.contains(&format!("id=\"{id}\"")), "panel {id}");
        assert!(
            html.contains(&format!("href=\"/reports/{}.csv\"", if id == "themes" { "themes" } else { id }))
                || id != "themes"
        );
    }
    // Accessible: titled and described, values as text, a table per chart.
    assert!(html.contains("role=\"img\" aria-labelledby=\"themes-t themes-d\""));
    assert!(html.contains("<desc id=\"regions-d\">Centroamérica: "), "the description states the values");
    assert_eq!(count(&html, "<details class=\"data\">"), 7);
    // Concentration is a number, with its level.
    assert!(html.contains("Centroamérica concentra"), "{}", &html[..2000.min(html.len())]);
    assert!(html.contains("IHH"));
    // The maps shade with patterns, not only colour, and link to the activities behind.
    assert!(html.contains("fill=\"url(#states-c"), "pattern fills");
    assert!(html.contains("href=\"/activities?state=07\""), "Chiapas links to its activities");
    assert!(html.contains("href=\"/activities?partner_country=GT\""), "Guatemala links to its activities");
}

#[tokio::test]
async fn english_by_switch_cookie_or_browser_spanish_otherwise() {
    let app = app();
    let r = get(&app, "/?lang=en").await.ok();
    assert!(r.text().contains("<html lang=\"en\">"));
    assert!(r.text().contains("International cooperation dashboard"));
    assert!(r.header(header::SET_COOKIE).starts_with("lang=en;"), "the choice is kept");
    assert!(r.text().contains("href=\"/?lang=es\""), "the switch back keeps the page");
    let cookie = get_with(&app, "/activities", &[(header::COOKIE, "lang=en")]).await.ok();
    assert!(cookie.text().contains("Cooperation activities"));
    let browser = get_with(&app, "/activities", &[(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9")]).await.ok();
    assert!(browser.text().contains("Cooperation activities"));
    assert_eq!(browser.header(header::CONTENT_LANGUAGE), "en");
    let cookie_wins =
        get_with(&app, "/", &[(header::ACCEPT_LANGUAGE, "en"), (header::COOKIE, "theme=x; lang=es")]).await.ok();
    assert!(cookie_wins.text().contains("<html lang=\"es\">"));
    let fallback = get_with(&app, "/", &[(header::ACCEPT_LANGUAGE, "fr-FR,de")]).await.ok();
    assert!(fallback.text().contains("<html lang=\"es\">"));
}

#[tokio::test]
async fn numbers_and_dates_follow_the_language() {
    let app = app();
    let es = get(&app, "/activities/MX-AMEXCID-2010-0001").await.ok().text();
    assert!(es.contains("15/02/2010 → 31/07/2011"), "dates dd/mm/yyyy");
    assert!(es.contains("157,500.00 MXN"), "amount then currency, decimal point");
    let en = get(&app, "/activities/MX-AMEXCID-2010-0001?lang=en").await.ok().text();
    assert!(en.contains("15 Feb 2010 → 31 Jul 2011"));
    assert!(en.contains("MXN 157,500.00"));
}

#[tokio::test]
async fn a_filter_changes_every_chart_and_lives_in_the_url() {
    let app = app();
    let all = get(&app, "/").await.ok().text();
    let received = get(&app, "/?direction=received").await.ok().text();
    let chart = |html: &str, id: &str| {
        let start = html.find(&format!("<desc id=\"{id}-d\">")).expect("chart");
        html[start..start + html[start..].find("</desc>").expect("end")].to_owned()
    };
    for id in ["themes", "regions", "modalities", "years", "partner-countries", "states"] {
        assert_ne!(chart(&all, id), chart(&received, id), "{id} follows the filter");
    }
    assert!(received.contains("<option value=\"received\" selected>"), "the form shows the filter");
    assert!(received.contains("href=\"/reports/themes.csv?direction=received\""), "downloads carry it");
    assert!(received.contains("href=\"/activities?direction=received\""), "so does the list link");
}

#[tokio::test]
async fn list_and_charts_count_the_same_activities() {
    let app = app();
    for filter in [
        "",
        "direction=given",
        "direction=received&year=2012",
        "sector_group=410",
        "state=07",
        "modality=triangular",
        "year=2013&sector_group=150",
        "country=GT",
        "partner_country=GT",
        "partner_country=JP&direction=received",
        "partner_region=centroamerica&direction=given&year=2012",
        "partner_region=multilateral",
        "scheme=south-south",
        "scheme=decentralised&state=07",
        "partner=giz",
        "level=state",
        "level=municipal&direction=given",
        "sdg=13",
        "instrument=scholarship",
        "cooperation_type=technical-scientific",
        "status=3",
        "partner_region=sudamerica&scheme=south-south&sector_group=150",
    ] {
        let list = get(&app, &format!("/api/v1/activities?{filter}")).await.ok().json();
        let report = get(&app, &format!("/api/v1/reports/themes?{filter}")).await.ok().json();
        assert_eq!(list["total"], report["activities"], "filter `{filter}`");
    }
}

#[tokio::test]
async fn the_filter_form_offers_every_dimension_and_keeps_the_selection() {
    let app = app();
    // A selection made by a link, with every kind of parameter.
    let query = "year=2012&direction=given&partner_region=centroamerica&partner_country=GT&country=GT\
                 &scheme=south-south&partner=giz&level=federal&sdg=2&instrument=project\
                 &cooperation_type=technical-scientific&status=3&modality=bilateral&sector_group=310&state=07";
    for (path, form) in [("/", "/"), ("/activities", "/activities")] {
        let html = get(&app, &format!("{path}?{query}")).await.ok().text();
        assert!(html.contains(&format!("action=\"{form}\"")), "{path}");
        for (name, value) in [
            ("year", "2012"),
            ("direction", "given"),
            ("partner_region", "centroamerica"),
            ("partner_country", "GT"),
            ("scheme", "south-south"),
            ("partner", "giz"),
            ("level", "federal"),
            ("sdg", "2"),
            ("instrument", "project"),
            ("cooperation_type", "technical-scientific"),
            ("status", "3"),
            ("modality", "bilateral"),
            ("sector_group", "310"),
            ("state", "07"),
        ] {
            let select = html
                .find(&format!("name=\"{name}\""))
                .map(|i| &html[i..i + html[i..].find("</select>").unwrap_or(0)])
                .unwrap_or_else(|| panic!("{path}: no select {name}"));
            assert!(select.contains(&format!("<option value=\"{value}\" selected>")), "{path}: {name}={value}");
        }
        // What the form has no select for is carried as it is, so resubmitting keeps it.
        assert!(html.contains("<input type=\"hidden\" name=\"country\" value=\"GT\">"), "{path}: country kept");
        // Every link of the page that takes a selection carries all of it.
        let expected = "year=2012&amp;direction=given&amp;modality=bilateral&amp;sector_group=310&amp;state=07\
                        &amp;country=GT&amp;partner_country=GT&amp;partner_region=centroamerica&amp;scheme=south-south\
                        &amp;partner=giz&amp;level=federal&amp;sdg=2&amp;instrument=project\
                        &amp;cooperation_type=technical-scientific&amp;status=3";
        let expected = expected.replace("&amp;", "&#38;");
        let links: Vec<&str> = if path == "/" {
            vec!["/activities?", "/reports/dashboard.xlsx?", "/reports/themes.csv?", "/api/v1/reports/regions?"]
        } else {
            vec!["/activities.csv?", "/activities.xlsx?", "/activities.xml?", "/api/v1/activities?"]
        };
        for link in links {
            assert!(html.contains(&format!("href=\"{link}{expected}")), "{path}: {link} carries the selection");
        }
    }
    // Options come from the data: partner regions and countries present, in the user's language.
    let en = get(&app, "/?lang=en").await.ok().text();
    assert!(en.contains("<option value=\"centroamerica\">Central America</option>"), "regions by name");
    assert!(en.contains("<option value=\"JP\">Japan</option>"), "partner countries present");
    assert!(!en.contains("<option value=\"AQ\">"), "only countries that are partners");
    assert!(en.contains("<option value=\"south-south\">South-South</option>"));
    assert!(en.contains("<option value=\"giz\">"), "partner organisations");
    assert!(en.contains("<option value=\"state\">State</option>"), "actor levels");
    // The less used filters fold away on a narrow screen, open when one of them is set.
    assert!(en.contains("<details class=\"more-filters\">"), "closed without a filter inside");
    let set = get(&app, "/?scheme=south-south").await.ok().text();
    assert!(set.contains("<details class=\"more-filters\" open>"), "open when a filter inside is set");
}

#[tokio::test]
async fn new_filters_are_read_strictly() {
    let app = app();
    for (query, says) in [
        ("partner_region=Centroamerica", "`centroamerica`"),
        ("partner_region=marte", "centroamerica"),
        ("scheme=sur-sur", "south-south"),
        ("level=State", "`state`"),
        ("sdg=18", "sdg"),
        ("instrument=proyecto", "instrument"),
        ("cooperation_type=tecnica", "cooperation_type"),
        ("status=9", "status"),
    ] {
        for path in ["/api/v1/activities", "/api/v1/reports/themes"] {
            let r = get(&app, &format!("{path}?{query}")).await;
            assert_eq!(r.status, StatusCode::BAD_REQUEST, "{path}?{query}: {}", r.text());
            assert!(r.text().contains(says), "{path}?{query}: {}", r.text());
        }
        let page = get(&app, &format!("/?{query}&lang=en")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "/?{query}");
    }
    // A partner organisation the registry does not hold is a missing resource, as its own
    // address would be.
    for path in ["/api/v1/activities", "/api/v1/reports/themes", "/", "/activities"] {
        let r = get(&app, &format!("{path}?partner=nadie")).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{path}: {}", r.text());
        assert!(r.text().contains("no existe la organización `nadie`"), "{path}: {}", r.text());
    }
}

#[tokio::test]
async fn the_list_shows_partner_countries_and_amounts() {
    let app = app();
    let html = get(&app, "/activities?direction=received&partner_country=JP").await.ok().text();
    assert!(html.contains("<th scope=\"col\">Países socios</th>"), "{html}");
    assert!(html.contains("<th scope=\"col\" class=\"num\">Valor total (USD)</th>"), "{html}");
    assert!(html.contains("<td>Japón</td>"), "partner countries by name");
    let amounts: Vec<&str> =
        html.split("<td class=\"num\">").skip(1).map(|c| &c[..c.find("</td>").expect("closed")]).collect();
    assert_eq!(amounts.len(), 6, "one amount per activity: {amounts:?}");
    assert!(amounts.iter().any(|a| a.contains(',')), "thousands grouped: {amounts:?}");
    let en = get(&app, "/activities?direction=received&partner_country=JP&show=committed:MXN&lang=en").await;
    let en = en.ok().text();
    assert!(en.contains("<th scope=\"col\">Partner countries</th>"));
    assert!(en.contains("<th scope=\"col\" class=\"num\">Committed (MXN)</th>"), "the measure asked for");
    assert!(en.contains("<td>Japan</td>"));
    // Several partners are joined; international organisations are said as such.
    let undp = get(&app, "/activities?direction=received&partner_region=multilateral").await.ok().text();
    assert!(undp.contains("Organismos multilaterales"), "{undp}");
    // The dashboard's list link takes the amount shown there.
    let dash = get(&app, "/?show=disbursed:MXN").await.ok().text();
    assert!(dash.contains("href=\"/activities?show=disbursed%3AMXN\""), "the list shows the dashboard's measure");
    // The API list has them too.
    let api = get(&app, "/api/v1/activities?direction=received&partner_country=JP").await.ok().json();
    let first = &api["items"][0];
    assert_eq!(first["partner_countries"], serde_json::json!(["JP"]), "{first}");
    assert!(first["value"].as_f64().is_some(), "{first}");
    assert_eq!(api["measure"], "total");
    assert_eq!(api["currency"], "USD");
}

#[tokio::test]
async fn the_list_searches_without_accents_sorts_and_pages() {
    let app = app();
    let found = get(&app, "/api/v1/activities?q=PREVENCION%20incendios%20guatemala").await.ok().json();
    let ids: Vec<&str> = found["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"MX-AMEXCID-2010-0001"), "{ids:?}");
    assert!(ids.len() < 5, "only what has every word: {ids:?}");
    let by_partner = get(&app, "/api/v1/activities?q=giz").await.ok().json();
    assert!(by_partner["total"].as_u64().unwrap_or(0) > 0, "organisations' names and acronyms are searched");
    let sorted = get(&app, "/api/v1/activities?sort=id&per_page=10&page=2").await.ok().json();
    let ids: Vec<&str> = sorted["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 10);
    let mut again = ids.clone();
    again.sort_unstable();
    assert_eq!(ids, again);
    assert_eq!(sorted["page"], 2);
    let total = sorted["total"].as_u64().unwrap();
    assert_eq!(sorted["pages"], total.div_ceil(10));
    let html = get(&app, "/activities?sort=id&page=2").await.ok().text();
    assert!(html.contains("rel=\"prev\" ") || html.contains("rel=\"prev\">"));
    assert!(html.contains("href=\"/activities?sort=id&#38;page=3\""), "next page keeps the order");
    assert!(html.contains("Página 2 de"));
    let none = get(&app, "/activities?q=zzzz").await.ok().text();
    assert!(none.contains("Ninguna actividad coincide"));
}

#[tokio::test]
async fn an_activity_page_shows_every_facet_and_its_history() {
    let app = app();
    let html = get(&app, "/activities/MX-AMEXCID-2011-0018").await.ok().text();
    for section in ["summary", "participants", "sectors", "places", "money", "history"] {
        assert!(html.contains(&format!("<section id=\"{section}\"")), "section {section}");
    }
    assert!(html.contains("Laboratorio de Cohesión Social México–Unión Europea"));
    assert!(html.contains("Presupuestos") && html.contains("Transacciones"));
    assert!(html.contains("10,000,000.00 EUR"));
    assert!(html.contains("href=\"/organisations/ue\""), "participants link to their pages");
    assert!(html.contains("<td>demo</td>"), "who wrote it");
    let results = get(&app, "/activities/MX-AMEXCID-2010-0001").await.ok().text();
    assert!(results.contains("<section id=\"in-kind\""));
}

#[tokio::test]
async fn organisation_pages_list_their_activities() {
    let app = app();
    let list = get(&app, "/organisations").await.ok().text();
    assert!(list.contains("href=\"/organisations/giz\""));
    let page = get(&app, "/organisations/giz").await.ok().text();
    assert!(page.contains("Actividades en que participa"));
    assert!(page.contains("Segundo oferente"), "its role in triangular activities");
    let search = get(&app, "/organisations?q=cooperacion%20alemana").await.ok().text();
    assert!(search.contains("href=\"/organisations/giz\""), "{search}");
}

#[tokio::test]
async fn errors_are_pages_with_a_status_and_nothing_internal() {
    let app = app();
    let missing = get(&app, "/activities/NO-SUCH-1").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.text().contains("no existe la actividad `NO-SUCH-1`"));
    assert!(missing.header(header::CONTENT_TYPE).starts_with("text/html"));
    let route = get(&app, "/nowhere?lang=en").await;
    assert_eq!(route.status, StatusCode::NOT_FOUND);
    assert!(route.text().contains("Not found"));
    let bad = get(&app, "/?year=someday").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("parámetro `year`: `someday`"), "{}", bad.text());
}

#[tokio::test]
async fn every_response_has_security_headers_and_compresses() {
    let app = app();
    let r = get_with(&app, "/", &[(header::ACCEPT_ENCODING, "gzip")]).await.ok();
    assert_eq!(r.header(header::CONTENT_ENCODING), "gzip");
    assert_eq!(r.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(r.header(header::CONTENT_SECURITY_POLICY).contains("default-src 'self'"));
    let css = get(&app, &format!("/assets/app.css?v={}", "x")).await.ok();
    assert!(css.header(header::CACHE_CONTROL).contains("immutable"));
    assert!(css.header(header::CONTENT_TYPE).starts_with("text/css"));
    let health = get(&app, "/health").await.ok().json();
    assert_eq!(health["status"], "ok");
    assert!(health["activities"].as_u64().unwrap_or(0) > 100);
}

#[tokio::test]
async fn an_empty_registry_still_serves_every_page() {
    let app = empty_app();
    let html = get(&app, "/").await.ok().text();
    assert!(html.contains("Sin datos para esta selección"));
    get(&app, "/activities").await.ok();
    get(&app, "/organisations").await.ok();
    get_signed(&app, "/activities/new").await.ok();
    get(&app, "/reports/dashboard.xlsx").await.ok();
}
