//! The cross-border agenda on the web: `/crossborder` in both languages, its counts against
//! the demo's records read directly, its links to the activity list (which lists exactly the
//! activities counted), its CSV and JSON, and the section of a state's profile (Chiapas, at
//! the southern border).

use coopera_domain::kinds::{Border, CrossBorderDimension};
use coopera_domain::subnational::OrgStates;

use super::*;

/// A cross-border record of the demo: activity or action, its border and dimensions, and the
/// state of an action's actor.
struct Tagged {
    activity: bool,
    border: Border,
    dimensions: Vec<CrossBorderDimension>,
    state: Option<String>,
}

/// The demo's cross-border activities and actions, read from the records themselves.
fn tagged() -> Vec<Tagged> {
    let records = demo_records();
    let orgs: Vec<coopera_domain::organisation::Organisation> = records
        .iter()
        .filter_map(|r| match r {
            Record::Organisation(o) => Some(o.clone()),
            _ => None,
        })
        .collect();
    let states = OrgStates::new(&orgs);
    let mut out = Vec::new();
    for r in &records {
        match r {
            Record::Activity(a) => {
                if let Some(cb) = &a.parts().cross_border {
                    let dimensions = cb.dimensions.clone();
                    out.push(Tagged { activity: true, border: cb.border, dimensions, state: None });
                }
            }
            Record::Action(a) => {
                if let Some(cb) = &a.parts().cross_border {
                    let state = a.state(&states).map(|s| s.as_str().to_owned());
                    out.push(Tagged { activity: false, border: cb.border, dimensions: cb.dimensions.clone(), state });
                }
            }
            _ => {}
        }
    }
    out
}

/// How many activities and actions pass `keep`.
fn counts(all: &[Tagged], keep: impl Fn(&Tagged) -> bool) -> (usize, usize) {
    let kept: Vec<&Tagged> = all.iter().filter(|t| keep(t)).collect();
    (kept.iter().filter(|t| t.activity).count(), kept.iter().filter(|t| !t.activity).count())
}

/// The cells of the row of the section `id` whose first cell is `label`, as text.
fn row(html: &str, id: &str, label: &str) -> Vec<String> {
    let start = html.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("section {id}"));
    let section = &html[start..start + html[start..].find("</section>").expect("section ends")];
    let at = section.find(&format!("<th scope=\"row\">{label}</th>")).unwrap_or_else(|| panic!("row {label} in {id}"));
    let tr = &section[at..at + section[at..].find("</tr>").expect("row ends")];
    let text = |cell: &str| cell.split('<').map(|part| part.split_once('>').map_or(part, |(_, t)| t)).collect();
    tr.split("</t").map(text).filter(|c: &String| !c.is_empty()).collect()
}

fn pair(n: (usize, usize)) -> [String; 2] {
    [n.0.to_string(), n.1.to_string()]
}

#[tokio::test]
async fn the_page_counts_the_records_by_border_and_dimension() {
    let app = app();
    let all = tagged();
    let html = get(&app, "/crossborder").await.ok().text();
    assert!(html.contains("<h1>Agenda transfronteriza</h1>"));
    assert!(html.contains("<a href=\"/states\" aria-current=\"page\">Estados</a>"), "under the states");
    for b in Border::ALL {
        let cells = row(&html, "borders", b.label(coopera_domain::Lang::Es));
        let here = counts(&all, |t| t.border == *b);
        assert_eq!(cells[1..3], pair(here), "{b:?}: {cells:?}");
        let (north, south) = if *b == Border::North { (here, (0, 0)) } else { ((0, 0), here) };
        assert_eq!(cells[3..7], [pair(north), pair(south)].concat(), "{b:?}: {cells:?}");
    }
    for d in CrossBorderDimension::ALL {
        let cells = row(&html, "dimensions", d.label(coopera_domain::Lang::Es));
        let with = |b: Option<Border>| counts(&all, |t| t.dimensions.contains(d) && b.is_none_or(|b| t.border == b));
        let expected = [pair(with(None)), pair(with(Some(Border::North))), pair(with(Some(Border::South)))].concat();
        assert_eq!(cells[1..], expected, "{d:?}");
        assert!(with(None).0 > 0 && with(None).1 > 0, "the demo has activities and actions of {d:?}");
    }
    let total = counts(&all, |_| true);
    assert!(html.contains(&format!("<a href=\"/activities?scheme=cross-border\">{}</a>", total.0)), "{total:?}");
    assert!(html.contains(&format!("<a href=\"#agenda-actions\">{}</a>", total.1)));
    assert_eq!(
        count(&html, "<a href=\"/states/07#actions\">Chiapas</a>"),
        counts(&all, |t| t.state.as_deref() == Some("07")).1
    );
    assert!(html.contains("id=\"crossborder-map-t\""), "the Mexico map");
    assert!(html.contains("<section id=\"corridor\""));

    let en = get(&app, "/crossborder?lang=en").await.ok().text();
    assert!(en.contains("<h1>Cross-border agenda</h1>"));
    assert!(en.contains("<th scope=\"row\">Northern border (United States)</th>"));
    assert!(en.contains("Southern corridor: the southern border with Central America"));
}

/// The activity ids a page of the list shows.
fn listed(html: &str) -> usize {
    count(html, "<th scope=\"row\"><a href=\"/activities/")
}

#[tokio::test]
async fn each_count_leads_to_the_activities_it_counts() {
    let app = app();
    let all = tagged();
    let html = get(&app, "/crossborder").await.ok().text();
    for b in Border::ALL {
        let uri = format!("/activities?border={}&per_page=200", b.code());
        let list = get(&app, &uri).await.ok().text();
        assert_eq!(listed(&list), counts(&all, |t| t.border == *b).0, "{uri}");
        assert!(html.contains(&format!("/activities?border={}\"", b.code())), "the page links to {uri}");
    }
    for d in CrossBorderDimension::ALL {
        let n = counts(&all, |t| t.dimensions.contains(d)).0;
        let uri = format!("/activities?agenda={}&per_page=200", d.code());
        assert_eq!(listed(&get(&app, &uri).await.ok().text()), n, "{uri}");
        if n > 0 {
            assert!(html.contains(&format!("/activities?scheme=cross-border&#38;agenda={}\"", d.code())), "{d:?}");
        }
        let south = counts(&all, |t| t.dimensions.contains(d) && t.border == Border::South).0;
        let uri = format!("/activities?border=south&agenda={}&per_page=200", d.code());
        assert_eq!(listed(&get(&app, &uri).await.ok().text()), south, "{uri}");
    }
    let list = get(&app, "/activities?border=south").await.ok().text();
    assert!(list.contains("<option value=\"south\" selected>"), "the filter bar shows the border chosen");
    let bad = get(&app, "/activities?border=east").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("border"), "says which parameter");
    let api = get(&app, "/api/v1/reports/agenda?border=north&agenda=migration").await.ok().json();
    assert_eq!(api["filters"]["border"], "north");
    assert_eq!(api["filters"]["agenda"], "migration");
}

#[tokio::test]
async fn the_agenda_downloads_as_csv() {
    let app = app();
    let all = tagged();
    let reply = get(&app, "/crossborder.csv").await.ok();
    assert!(reply.header(header::CONTENT_TYPE).starts_with("text/csv"));
    assert!(reply.header(header::CONTENT_DISPOSITION).contains("coopera-agenda-transfronteriza.csv"));
    let csv = reply.text();
    assert!(csv.starts_with("section,key,label,activities,actions,north_activities"), "{csv}");
    let total = counts(&all, |_| true);
    let north = counts(&all, |t| t.border == Border::North);
    let south = counts(&all, |t| t.border == Border::South);
    let line = format!("total,all,Total,{},{},{},{},{},{}", total.0, total.1, north.0, north.1, south.0, south.1);
    assert!(csv.lines().any(|l| l == line), "{line} in\n{csv}");
    let en = get(&app, "/crossborder.csv?lang=en").await.ok();
    assert!(en.text().contains("border,north,Northern border (United States)"));
}

#[tokio::test]
async fn the_agenda_answers_as_json_with_the_selection_applied() {
    let app = app();
    let all = tagged();
    let index = get(&app, "/api/v1").await.ok().json();
    assert_eq!(index["resources"]["crossborder"], "/api/v1/crossborder");
    let json = get(&app, "/api/v1/crossborder").await.ok().json();
    let total = counts(&all, |_| true);
    assert_eq!(json["total"]["total"]["activities"], total.0);
    assert_eq!(json["total"]["total"]["actions"], total.1);
    let south = get(&app, "/api/v1/crossborder?border=south").await.ok().json();
    let here = counts(&all, |t| t.border == Border::South);
    assert_eq!(
        (south["total"]["total"]["activities"].clone(), south["total"]["total"]["actions"].clone()),
        (here.0.into(), here.1.into())
    );
    assert_eq!(south["total"]["north"]["activities"], 0);
    assert_eq!(south["filters"]["border"], "south");
    let chiapas = get(&app, "/api/v1/crossborder?state=07").await.ok().json();
    assert_eq!(chiapas["total"]["total"]["actions"], counts(&all, |t| t.state.as_deref() == Some("07")).1);
    let bad = get(&app, "/api/v1/crossborder?agenda=drugs").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.text().contains("agenda"), "{}", bad.text());
}

#[tokio::test]
async fn chiapas_profile_shows_its_southern_agenda() {
    let app = app();
    let all = tagged();
    let html = get(&app, "/states/07").await.ok().text();
    assert!(html.contains("<h2 id=\"crossborder-h\">Agenda transfronteriza</h2>"));
    let chiapas = counts(&all, |t| t.state.as_deref() == Some("07") && t.border == Border::South);
    assert!(chiapas.1 > 0, "Chiapas acts at the southern border");
    let cells = row(&html, "crossborder", Border::South.label(coopera_domain::Lang::Es));
    assert_eq!(cells[2], chiapas.1.to_string(), "{cells:?}");
    assert!(html.contains("<a href=\"/crossborder\">"), "the whole agenda a link away");
    assert!(!html.contains(&format!("<th scope=\"row\">{}</th>", Border::North.label(coopera_domain::Lang::Es))));
    let en = get(&app, "/states/07?lang=en").await.ok().text();
    assert!(en.contains("<h2 id=\"crossborder-h\">Cross-border agenda</h2>"));
}
