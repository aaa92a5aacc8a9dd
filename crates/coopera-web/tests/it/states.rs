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
    assert!(html.contains("Hermanamiento</td><td>Quetzaltenango, Guatemala</td><td><a href=\"/organisations/mun-tapachula\">Ayuntamiento de Tapachula</a></td><td><a href=\"/states/07/municipalities/07089\">Tapachula</a></td>"));
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
    assert!(en.contains(
        "Municipality of Tapachula</a></td><td><a href=\"/states/07/municipalities/07089\">Tapachula</a></td>"
    ));
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

/// A row of the comparison: its rank, the state's code and name, and the ranked value as
/// written (the other measures left out).
#[derive(Debug)]
struct Ranked {
    rank: usize,
    code: String,
    name: String,
    value: String,
}

/// The rows of the comparison's table, in order.
fn ranked_rows(html: &str) -> Vec<Ranked> {
    let body = &html[html.find("<tbody>").expect("a table")..html.find("</tbody>").expect("its end")];
    let between = |s: &str, from: &str, to: &str| -> String {
        let at = s.find(from).unwrap_or_else(|| panic!("{from} in {s}")) + from.len();
        s[at..at + s[at..].find(to).expect("closed")].to_owned()
    };
    body.split("<tr>")
        .skip(1)
        .map(|row| {
            let link = between(row, "<a href=\"/states/", "</a>");
            let (code, name) = link.split_once("\">").expect("a state's link");
            Ranked {
                rank: between(row, "<td class=\"num\">", "</td>").parse().expect("a rank"),
                code: code.to_owned(),
                name: name.to_owned(),
                value: between(&row[row.find("</th>").expect("the state")..], "<td class=\"num\">", "</td>"),
            }
        })
        .collect()
}

/// A count as the page writes it (`1,234`).
fn number(text: &str) -> u64 {
    text.replace(',', "").parse().unwrap_or_else(|_| panic!("a count: {text}"))
}

/// Equal values share a rank, the next counts them, and equal values go by name.
fn check_ranking(rows: &[Ranked]) {
    for (i, pair) in rows.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        assert!(number(&a.value) >= number(&b.value), "highest first: {a:?} then {b:?}");
        if a.value == b.value {
            assert_eq!(a.rank, b.rank, "a tie shares its rank: {a:?} {b:?}");
            assert!(
                coopera_web::registry::fold(&a.name) <= coopera_web::registry::fold(&b.name),
                "ties by name: {a:?} {b:?}"
            );
        } else {
            assert_eq!(b.rank, i + 2, "{b:?}");
        }
    }
    assert_eq!(rows.first().map(|r| r.rank), Some(1));
}

#[tokio::test]
async fn the_states_are_compared_by_a_measure_highest_first() {
    let app = app();
    let states = get(&app, "/states").await.ok().text();
    assert!(states.contains("<a href=\"/states/compare\">Comparar las entidades"), "linked from /states");
    let html = get(&app, "/states/compare").await.ok().text();
    check_structure(&html);
    assert!(html.contains("<h1>Comparar entidades federativas</h1>"));
    assert!(html.contains("<a href=\"/states\">← Entidades federativas</a>"), "back to /states");
    assert!(html.contains("<a href=\"/states/compare.csv?measure=activities&#38;group=all\" download>CSV</a>"));
    // The form: two labelled selects, sent by GET.
    assert!(html.contains("<form class=\"filters\" method=\"get\" action=\"/states/compare\""));
    assert!(
        html.contains("<label for=\"c-measure\">Ordenar por</label>")
            && html.contains("<label for=\"c-group\">Entidades</label>")
    );
    assert!(html.contains("<option value=\"activities\" selected>Actividades de cooperación</option>"));
    assert!(html.contains("<option value=\"fidesur\">FIDESUR"));
    let rows = ranked_rows(&html);
    assert_eq!(rows.len(), 32, "every state by default");
    check_ranking(&rows);
    assert!(html.contains("<rect width=\"100\""), "the first row's bar is whole");

    // By actions abroad: Chiapas's 8 lead; its other figures beside, as /states counts them.
    let html = get(&app, "/states/compare?measure=actions").await.ok().text();
    let rows = ranked_rows(&html);
    check_ranking(&rows);
    let chiapas = rows.iter().find(|r| r.code == "07").expect("Chiapas");
    assert_eq!(chiapas.value, "8");
    assert!(rows.iter().all(|r| number(&r.value) <= 8), "{rows:?}");
    let cells = row_cells(&html, "/states/07");
    assert_eq!(cells[..2], ["Chiapas", "8"], "the state and its value (the bar has no text): {cells:?}");
    let listed = row_cells(&states, "/states/07");
    assert_eq!(cells[2], listed[2], "activities as /states counts them");
    // After the value of its activities: agreements in force, networks and offices abroad
    // (Los Angeles).
    assert_eq!(cells[4..], ["0", "3", "1"], "{cells:?}");
}

#[tokio::test]
async fn fidesur_keeps_its_nine_states() {
    let app = app();
    for measure in ["networks", "actions", "activities", "value", "agreements", "offices"] {
        let html = get(&app, &format!("/states/compare?measure={measure}&group=fidesur")).await.ok().text();
        let rows = ranked_rows(&html);
        let mut codes: Vec<&str> = rows.iter().map(|r| r.code.as_str()).collect();
        codes.sort_unstable();
        assert_eq!(codes, coopera_domain::codelists::FIDESUR_STATES, "{measure}");
        if measure != "value" {
            check_ranking(&rows);
        }
        assert!(html.contains("<option value=\"fidesur\" selected>"), "{measure}");
        assert!(html.contains(&format!("<option value=\"{measure}\" selected>")), "{measure}");
    }
    // Each of the nine is a member of FIDESUR in the demo: a current membership at least.
    let html = get(&app, "/states/compare?measure=networks&group=fidesur").await.ok().text();
    assert!(ranked_rows(&html).iter().all(|r| number(&r.value) >= 1));
}

#[tokio::test]
async fn the_comparison_downloads_as_csv() {
    let app = app();
    let r = get(&app, "/states/compare.csv?measure=actions").await.ok();
    assert_eq!(r.header(header::CONTENT_TYPE), "text/csv; charset=utf-8");
    assert!(r.header(header::CONTENT_DISPOSITION).contains("coopera-entidades-actions-all.csv"));
    let text = r.text();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "rank,inegi_code,state,actions,activities,value_usd,agreements,networks,offices");
    assert_eq!(lines.len(), 33, "a header and 32 states");
    let chiapas = lines.iter().find(|l| l.contains(",07,Chiapas,")).expect("Chiapas");
    assert!(chiapas.starts_with("1,07,Chiapas,8,"), "{chiapas}");
    assert!(chiapas.ends_with(",0,3,1"), "{chiapas}");
    // The same rows as the page, in its order.
    let page = ranked_rows(&get(&app, "/states/compare?measure=actions").await.ok().text());
    let codes: Vec<&str> = lines[1..].iter().map(|l| l.split(',').nth(1).unwrap_or_default()).collect();
    assert_eq!(codes, page.iter().map(|r| r.code.as_str()).collect::<Vec<_>>());

    let fidesur = get(&app, "/states/compare.csv?measure=value&group=fidesur").await.ok().text();
    assert_eq!(fidesur.lines().count(), 10, "a header and nine states");
    assert!(fidesur.starts_with("rank,inegi_code,state,value_usd,activities,"));
    let en = get(&app, "/states/compare.csv?group=fidesur&lang=en").await.ok().text();
    assert!(en.contains(",31,Yucatán,") && !en.contains(",09,"), "{en}");
}

#[tokio::test]
async fn an_unknown_measure_or_group_is_refused_by_name() {
    let app = app();
    for (uri, name, value) in [
        ("/states/compare?measure=budget", "measure", "budget"),
        ("/states/compare?group=norte", "group", "norte"),
        ("/states/compare.csv?measure=actions&group=sur", "group", "sur"),
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        let text = r.text();
        assert!(text.contains("<h1>Solicitud no válida</h1>"), "the site's error page: {text}");
        assert!(text.contains(&format!("parámetro `{name}`: `{value}`: use uno de:")), "{text}");
    }
    let en = get(&app, "/states/compare?measure=Actions&lang=en").await;
    assert_eq!(en.status, StatusCode::BAD_REQUEST);
    assert!(en.text().contains("parameter `measure`: `Actions`: write `actions`"), "{}", en.text());
}

#[tokio::test]
async fn the_comparison_speaks_english() {
    let app = app();
    let html = get(&app, "/states/compare?measure=value&group=fidesur&lang=en").await.ok().text();
    check_structure(&html);
    assert!(html.contains("<html lang=\"en\">") && html.contains("<h1>Compare Mexican states</h1>"));
    for text in [
        "<label for=\"c-measure\">Rank by</label>",
        "<option value=\"value\" selected>Value of cooperation (USD)</option>",
        "FIDESUR (South-Southeast, 9 states) — Value of cooperation (USD), highest first",
        "<a href=\"/states\">← Mexican states</a>",
        "Download this table",
        "Agreements and memberships as they stand on",
    ] {
        assert!(html.contains(text), "{text}");
    }
    let rows = ranked_rows(&html);
    assert_eq!(rows.len(), 9);
    assert!(rows.iter().all(|r| r.value.starts_with("USD ")), "{rows:?}");
}

#[tokio::test]
async fn a_states_profile_counts_its_cooperation_by_year_theme_and_partner() {
    let app = app();
    let html = get(&app, "/states/07").await.ok().text();
    check_structure(&html);
    let section = &html[html.find("id=\"cooperation\"").expect("its cooperation")
        ..html.find("id=\"municipalities\"").expect("its municipalities")];
    // Given and received, each the count of the list it links to.
    for (direction, label) in [("given", "Otorgada"), ("received", "Recibida")] {
        let href = format!("/activities?direction={direction}&#38;state=07");
        let link = format!("<dt>{label}</dt><dd><a href=\"{href}\">");
        let at = section.find(&link).expect(label) + link.len();
        let n = number(&section[at..at + section[at..].find('<').unwrap()]);
        let list = get(&app, &href.replace("&#38;", "&")).await.ok().text();
        assert!(list.contains(&format!("{n} actividades")), "{label}: {n}");
    }
    // The value, as the dashboard of the state counts it in US dollars.
    let link = "<dt>Valor de la cooperación (USD)</dt><dd><a href=\"/?state=07&#38;show=total%3AUSD\">";
    let at = section.find(link).expect("the value") + link.len();
    let value = &section[at..at + section[at..].find('<').unwrap()];
    assert!(value.ends_with(" USD") && value != "0 USD", "{value}");
    let dashboard = get(&app, "/?state=07&show=total:USD").await.ok().text();
    assert!(dashboard.contains(&format!("<p class=\"card-value\">{value}</p>")), "{value} on the dashboard");
    // The trend by year adds up to the state's activities, every year leading to its own.
    let total = get(&app, "/activities?state=07").await.ok().text();
    let trend = &section[section.find("<caption>Tendencia").expect("the trend")..];
    let trend = &trend[..trend.find("</table>").unwrap()];
    let years: u64 = ["2010", "2011", "2012", "2013", "2014"]
        .iter()
        .filter(|y| trend.contains(&format!(">{y}</a>")))
        .map(|y| {
            let at = trend.find(&format!(">{y}</a>")).unwrap();
            let cell = &trend[at..];
            let start = cell.find("<td class=\"num\">").unwrap() + 16;
            number(&cell[start..start + cell[start..].find('<').unwrap()])
        })
        .sum();
    assert!(total.contains(&format!("{years} actividades")), "the years add up to {years}");
    assert!(trend.contains("href=\"/activities?year=2012&#38;state=07\""));
    // Themes and partner countries; courses and technical assistance received, by partner.
    assert!(section.contains("<caption>Por área temática."));
    assert!(section.contains(">Guatemala</a>"));
    assert!(section.contains("Instituto Latinoamericano y del Caribe de Planificación Económica y Social"), "ILPES");
    // Each figure downloads as CSV, with the state's filter.
    let csv = get(&app, "/reports/years.csv?state=07").await.ok().text();
    assert!(section.contains("href=\"/reports/years.csv?state=07\"") && csv.starts_with("key,label,value,share"));
    assert!(section.contains(
        "href=\"/reports/partners.csv?direction=received&#38;state=07&#38;cooperation_type=technical-scientific\""
    ));
    let en = get(&app, "/states/07?lang=en").await.ok().text();
    assert!(en.contains("Its cooperation, given and received") && en.contains("Trend: activities by starting year"));
    assert!(en.contains("Courses and technical assistance received"));
}

#[tokio::test]
async fn a_municipality_that_acts_abroad_has_its_page() {
    let app = app();
    let profile = get(&app, "/states/07").await.ok().text();
    let municipalities = &profile[profile.find("id=\"municipalities\"").expect("the municipalities")..];
    assert!(municipalities.contains("<a href=\"/states/07/municipalities/07089\">Tapachula</a>"));
    let html = get(&app, "/states/07/municipalities/07089").await.ok().text();
    check_structure(&html);
    assert!(html.contains("<h1>Tapachula, Chiapas</h1>") && html.contains("INEGI 07089"));
    assert!(html.contains("<a href=\"/states/07\">← Chiapas</a>"));
    assert!(html.contains("<a href=\"/organisations/mun-tapachula\">Ayuntamiento de Tapachula</a>"));
    assert!(html.contains("href=\"/activities?org=mun-tapachula\""));
    // Its sister-city tie, and none of the state government's actions.
    assert!(html.contains("Quetzaltenango, Guatemala") && html.contains("Hermanamiento"));
    assert!(
        !html.contains("Boston") && !html.contains("Los Ángeles"),
        "the state's actions are not the municipality's"
    );
    assert!(html.contains("Guatemala: 1 acción"), "its destination on the map");
    // The good practices that name it as a place; Mérida's, of its government.
    let practices = &html[html.find("id=\"practices\"").expect("its practices")..];
    assert!(practices.contains("Registro de trabajadores agrícolas fronterizos"), "Soconusco's");
    let merida = get(&app, "/states/31/municipalities/31050").await.ok().text();
    assert!(merida.contains("<h1>Mérida, Yucatán</h1>") && merida.contains("Catastro y finanzas municipales"));
    assert!(!merida.contains("Registro de trabajadores agrícolas"), "another municipality's practice");
    let en = get(&app, "/states/07/municipalities/07089?lang=en").await.ok().text();
    assert!(
        en.contains("<h1>Tapachula, Chiapas</h1>")
            && en.contains("Its organisations")
            && en.contains("Sister-city tie")
    );
    // A municipality of another state, or no municipality, is no page.
    for path in
        ["/states/14/municipalities/07089", "/states/07/municipalities/99999", "/states/07/municipalities/tapachula"]
    {
        assert_eq!(get(&app, path).await.status, 404, "{path}");
    }
}

#[tokio::test]
async fn the_dashboard_maps_the_states_by_the_measure_chosen() {
    let app = app();
    let html = get(&app, "/?states_by=agreements").await.ok().text();
    let block = &html[html.find("id=\"states-abroad\"").expect("the map of the states")..];
    let block = &block[..block.find("</section>").unwrap()];
    assert!(block.contains("<option value=\"agreements\" selected>Acuerdos vigentes</option>"));
    // The shades are the comparison's figures, each state leading to its profile.
    let compare = ranked_rows(&get(&app, "/states/compare?measure=agreements").await.ok().text());
    let desc = &block[block.find("<desc id=\"states-abroad-map-d\">").unwrap()..];
    let desc = &desc[desc.find('>').unwrap() + 1..desc.find("</desc>").unwrap()];
    let mut expected: Vec<String> =
        compare.iter().filter(|r| number(&r.value) > 0).map(|r| format!("{}: {}", r.name, r.value)).collect();
    let mut shaded: Vec<String> = desc.split("; ").map(str::to_owned).collect();
    assert!(!expected.is_empty());
    expected.sort();
    shaded.sort();
    assert_eq!(shaded, expected);
    assert!(block.contains("<a href=\"/states/14\"><path"), "Jalisco leads to its profile");
    assert!(block.contains("href=\"/states/compare?measure=agreements&#38;group=all\""));
    // By default, actions abroad; Chiapas has the most.
    let default = get(&app, "/").await.ok().text();
    assert!(default.contains("<option value=\"actions\" selected>"));
    assert!(default.contains("<desc id=\"states-abroad-map-d\">Chiapas: 8"));
    let refused = get(&app, "/?states_by=treaties").await;
    assert_eq!(refused.status, 400);
    assert!(refused.text().contains("states_by"));
    let en = get(&app, "/?lang=en").await.ok().text();
    assert!(en.contains("states on the world stage</h2>") && en.contains("Shade by"));
    // The comparison draws the same map of its group.
    let fidesur = get(&app, "/states/compare?measure=actions&group=fidesur").await.ok().text();
    assert!(fidesur.contains("id=\"compare-map-t\"") && fidesur.contains("<a href=\"/states/07\"><path"));
}

#[tokio::test]
async fn a_states_records_download_in_the_layout_of_the_template() {
    use coopera_import::sheets::{Book, read};
    let app = app();
    let profile = get(&app, "/states/07").await.ok().text();
    assert!(profile.contains("href=\"/states/07/export.xlsx\""));
    let r = get(&app, "/states/07/export.xlsx").await.ok();
    assert!(r.header(header::CONTENT_DISPOSITION).contains("coopera-estado-07.xlsx"));
    let back = read("coopera-estado-07.xlsx", &r.bytes, Book::Subnational);
    assert!(back.problems.is_empty(), "{:?}", back.problems);
    let kinds = |k: coopera_store::RecordKind| back.records.iter().filter(|(r, ..)| r.kind() == k).count();
    // Chiapas: its 8 actions (Tapachula's included), 1 agreement and 3 memberships.
    assert_eq!(
        [
            kinds(coopera_store::RecordKind::Action),
            kinds(coopera_store::RecordKind::Agreement),
            kinds(coopera_store::RecordKind::Membership)
        ],
        [8, 1, 3]
    );
    assert!(back.records.iter().any(|(r, ..)| r.key() == "chis-oficina-los-angeles"));
    let all = get(&app, "/states/export.xlsx").await.ok();
    let every = read("coopera-estados.xlsx", &all.bytes, Book::Subnational);
    assert!(every.problems.is_empty() && every.records.len() > back.records.len());
    assert_eq!(get(&app, "/states/99/export.xlsx").await.status, 404);
}
