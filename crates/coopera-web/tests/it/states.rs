//! The federal entities: the list of the 32 states with the counts of their international
//! action, and a state's profile — its activities, actions abroad, agreements by standing,
//! networks and its municipalities' records — in both languages, over the demo's Chiapas.

use super::*;

/// The void elements of HTML, which have no end tag.
const VOID: [&str; 8] = ["meta", "link", "input", "br", "img", "hr", "source", "wbr"];

/// Whether a page's elements nest: every end tag closes the element opened last, every
/// non-void element is closed (SVG's `<path …/>` closes itself), and the page has one `<h1>`.
fn check_structure(html: &str) {
    let mut open: Vec<String> = Vec::new();
    let mut h1 = 0;
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("a tag is closed by >");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let name: String = tag.trim_start_matches('/').chars().take_while(|c| c.is_ascii_alphanumeric()).collect();
        let name = name.to_ascii_lowercase();
        if let Some(closing) = tag.strip_prefix('/') {
            let closing = closing.trim().to_ascii_lowercase();
            let last = open.pop().unwrap_or_else(|| panic!("</{closing}> closes nothing"));
            assert_eq!(last, closing, "</{closing}> closes <{last}>");
        } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            h1 += usize::from(name == "h1");
            open.push(name);
        }
    }
    assert!(open.is_empty(), "left open: {open:?}");
    assert_eq!(h1, 1, "one h1");
}

/// The cells of the table row whose first cell links to `href`, as text.
fn row_cells(html: &str, href: &str) -> Vec<String> {
    let at = html.find(&format!("<th scope=\"row\"><a href=\"{href}\">")).unwrap_or_else(|| panic!("a row of {href}"));
    let row = &html[at..at + html[at..].find("</tr>").expect("row ends")];
    let text = |cell: &str| cell.split('<').map(|part| part.split_once('>').map_or(part, |(_, t)| t)).collect();
    row.split("</t").map(text).filter(|c: &String| !c.is_empty()).collect()
}

#[tokio::test]
async fn the_states_are_listed_with_their_international_action() {
    let app = app();
    let html = get(&app, "/states").await.ok().text();
    assert!(html.contains("<h1>Entidades federativas</h1>"));
    assert!(html.contains("<a href=\"/states\" aria-current=\"page\">Estados</a>"), "in the navigation");
    assert_eq!(count(&html, "<th scope=\"row\"><a href=\"/states/"), 32, "every state, INEGI 01–32");
    assert!(html.contains("<a href=\"/states/01\">Aguascalientes</a>") && html.contains("<a href=\"/states/32\">"));
    // Chiapas: 7 actions of its office and 1 of Tapachula's municipality; its one agreement
    // expired in 2016; AMAIE, CONAGO's commission and FIDESUR.
    let chiapas = row_cells(&html, "/states/07");
    assert_eq!(chiapas[0], "Chiapas");
    assert_eq!(chiapas[1], "07");
    assert_eq!(chiapas[3..], ["8", "0", "3"], "{chiapas:?}");
    // The count of activities is the list's, which it links to.
    assert!(html.contains(&format!("<a href=\"/activities?state=07\">{}</a>", chiapas[2])));
    let list = get(&app, "/activities?state=07").await.ok().text();
    assert!(list.contains(&format!("{} actividades", chiapas[2])), "{}", chiapas[2]);
    let en = get(&app, "/states?lang=en").await.ok().text();
    assert!(en.contains("<h1>Mexican states</h1>") && en.contains("Agreements in force"));
    check_structure(&html);
}

#[tokio::test]
async fn a_states_profile_shows_its_actions_agreements_networks_and_municipalities() {
    let app = app();
    let html = get(&app, "/states/07").await.ok().text();
    check_structure(&html);
    assert!(html.contains("<h1>Chiapas</h1>") && html.contains("MX-CHP"));
    assert!(html.contains("href=\"/activities?state=07\">Sus actividades de cooperación ("));
    // Actions: by kind, then each one, with its destination and linked activities.
    assert!(html.contains("<caption>Acciones por tipo</caption>"));
    assert!(html.contains("<th scope=\"row\">Atención a migrantes</th><td class=\"num\">2</td>"));
    assert!(html.contains("Boston, Estados Unidos") && html.contains("Specialty Coffee Association of America"));
    assert!(html.contains("11/04/2013 – 14/04/2013"), "dates as the language writes them");
    assert!(html.contains(
        "<a href=\"/activities/MX-CHIS-2012-0001\">MX-CHIS-2012-0001</a>, <a href=\"/activities/MX-CHIS-2011-0001\">"
    ));
    // The office in Los Angeles, among the offices abroad.
    let offices =
        &html[html.find("id=\"offices\"").expect("offices")..html.find("id=\"agreements\"").expect("agreements")];
    assert!(offices.contains("Los Ángeles, Estados Unidos") && !offices.contains("Boston"));
    // Agreements split by their standing today: the one with Guatemala's departments expired.
    let agreements =
        &html[html.find("id=\"agreements\"").expect("agreements")..html.find("id=\"memberships\"").expect("networks")];
    assert!(agreements.contains("Acuerdos vigentes: 0 · Acuerdos vencidos: 1 · Acuerdos aún no vigentes: 0"));
    let expired = &agreements[agreements.find("<caption>Acuerdos vencidos</caption>").expect("expired table")..];
    assert!(expired.contains("Acuerdo de cooperación transfronteriza entre el Estado de Chiapas"));
    assert!(expired.contains("DEMO-RAI-2012-014") && expired.contains("21/06/2016"));
    assert!(!agreements.contains("Memorando de entendimiento Sonora"), "another state's agreement");
    // Networks, current.
    let networks = &html[html.find("id=\"memberships\"").expect("networks")..];
    for network in ["AMAIE", "FIDESUR", "fideicomitente", "Vigente"] {
        assert!(networks.contains(network), "{network}");
    }
    // Tapachula's sister-city tie, marked with its municipality.
    assert!(html.contains("Hermanamiento</td><td>Quetzaltenango, Guatemala</td><td><a href=\"/organisations/mun-tapachula\">Ayuntamiento de Tapachula</a></td><td>Tapachula</td>"));
    assert!(!html.contains("Mérida"), "another state's municipality");
    // The destinations on the world map, each leading to the state's activities there.
    assert!(html.contains("<svg class=\"map\"") && html.contains("id=\"destinations-map-t\""));
    assert!(html.contains("href=\"/activities?state=07&amp;partner_country=GT\""));
    assert!(html.contains("<desc id=\"destinations-map-d\">") && html.contains("Guatemala: 4 acciones"));

    let en = get(&app, "/states/07?lang=en").await.ok().text();
    check_structure(&en);
    assert!(en.contains("<html lang=\"en\">") && en.contains("<h1>Chiapas</h1>"));
    for text in ["Actions abroad", "Services to migrants", "Boston, United States", "11 Apr 2013 – 14 Apr 2013"] {
        assert!(en.contains(text), "{text}");
    }
    assert!(en.contains("Agreements in force: 0 · Expired agreements: 1 · Agreements not yet in force: 0"));
    assert!(en.contains("Cross-border cooperation agreement between the State of Chiapas"));
    assert!(en.contains("<caption>Expired agreements</caption>") && en.contains("Current"));
    assert!(en.contains("Municipality of Tapachula</a></td><td>Tapachula</td>"));
}

#[tokio::test]
async fn a_state_is_found_by_its_codes_and_only_by_them() {
    let app = app();
    let page = get(&app, "/states/07").await.ok().text();
    for other in ["/states/7", "/states/MX-CHP"] {
        let html = get(&app, other).await.ok().text();
        assert!(html.contains("<h1>Chiapas</h1>"), "{other}");
        assert_eq!(count(&html, "<tr>"), count(&page, "<tr>"), "{other}: the same profile");
    }
    for missing in ["/states/99", "/states/xx", "/states/00", "/states/33"] {
        let r = get(&app, missing).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(r.text().contains("<h1>No encontrado</h1>"), "the site's 404 page: {}", r.text());
    }
}

#[tokio::test]
async fn a_profile_links_only_the_activities_the_viewer_may_read() {
    // The demo as it is: the coffee fair's activity, MX-CHIS-2014-0001, is a draft.
    let store = with_tester(fresh_store());
    store.record("demo", demo_records_as_is()).expect("demo stored");
    let app = coopera_web::app(AppState::from_store(store, Options::default()).expect("state"));
    let link = "<a href=\"/activities/MX-CHIS-2014-0001\">";
    let public = get(&app, "/states/07").await.ok().text();
    assert!(public.contains("Specialty Coffee Association of America") && !public.contains(link));
    let admin = get_signed(&app, "/states/07").await.ok().text();
    assert!(admin.contains(link), "an administrator reads the draft");
}
