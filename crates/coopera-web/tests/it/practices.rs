//! Good practices on the web: the showcase (`/practices`) in both languages, its filters and
//! its words narrowing the cards, a practice's page with its evidence, and the section of a
//! state's profile — over the demo's six practices.

use super::*;

/// The keys of the practices of the showcase's cards, in order.
fn cards(html: &str) -> Vec<String> {
    html.split("<article class=\"practice-card\" data-practice>")
        .skip(1)
        .map(|card| {
            let link = "<a href=\"/practices/";
            let at = card.find(link).expect("a card links to its practice") + link.len();
            card[at..at + card[at..].find('"').expect("href ends")].to_owned()
        })
        .collect()
}

#[tokio::test]
async fn the_showcase_shows_every_practice_in_both_languages() {
    let app = app();
    let html = get(&app, "/practices").await.ok().text();
    assert!(html.contains("<h1>Buenas prácticas</h1>"));
    assert!(html.contains("<a href=\"/practices\" aria-current=\"page\">Buenas prácticas</a>"), "in the navigation");
    assert_eq!(cards(&html).len(), 6);
    assert!(html.contains("6 buenas prácticas"));
    // A card: who (linked), its level, where, theme, form and its results.
    let merida = &html[html.find("/practices/bp-merida-catastro-belize").expect("Mérida's card")..];
    let merida = &merida[..merida.find("</article>").expect("card ends")];
    for text in [
        "<a href=\"/organisations/mun-merida\">Ayuntamiento de Mérida</a>",
        "<span class=\"badge\">Municipal</span>",
        "Yucatán; Mérida; Belice",
        "Gobierno y Sociedad Civil",
        "Pasantía, Asistencia técnica",
        "Un catastro digital en Belize City",
    ] {
        assert!(merida.contains(text), "{text}: {merida}");
    }
    let en = get(&app, "/practices?lang=en").await.ok().text();
    assert!(en.contains("<h1>Good practices</h1>") && en.contains("6 good practices"));
    assert!(en.contains("Binational air quality monitoring in Nogales") && en.contains("Municipality of Mérida"));
    assert!(
        en.contains("<option value=\"municipal\">Municipal</option>")
            && en.contains("<option value=\"\">All areas</option>")
    );
    let states = get(&app, "/states").await.ok().text();
    assert!(states.contains("<a href=\"/practices\">Buenas prácticas del gobierno federal"), "linked from /states");
}

#[tokio::test]
async fn filters_and_words_narrow_the_showcase() {
    let app = app();
    let keys = cards;
    let chiapas = get(&app, "/practices?state=07").await.ok().text();
    assert_eq!(keys(&chiapas), ["bp-chis-registro-trabajadores-fronterizos"]);
    assert!(chiapas.contains("<option value=\"07\" selected>Chiapas</option>"), "the choice is kept");
    assert!(chiapas.contains("1 buena práctica") && chiapas.contains("Quitar filtros"));
    let yucatan = get(&app, "/practices?state=MX-YUC").await.ok().text();
    assert_eq!(keys(&yucatan), ["bp-merida-catastro-belize"], "a municipality's, by its state's ISO code");
    let environment = get(&app, "/practices?theme=410").await.ok().text();
    assert_eq!(keys(&environment), ["bp-son-calidad-aire-nogales"]);
    let federal = get(&app, "/practices?level=federal&form=course").await.ok().text();
    assert_eq!(keys(&federal), ["bp-coneval-evaluacion-el-salvador", "bp-sep-telesecundaria-honduras"]);
    let state_level = get(&app, "/practices?level=state").await.ok().text();
    assert_eq!(keys(&state_level).len(), 3, "Chiapas, Jalisco, Sonora");
    // Words, whatever their accents and case, in any language of the text.
    let words = get(&app, "/practices?q=CATASTRÓ+belize").await.ok().text();
    assert_eq!(keys(&words), ["bp-merida-catastro-belize"]);
    let english = get(&app, "/practices?q=air+quality").await.ok().text();
    assert_eq!(keys(&english), ["bp-son-calidad-aire-nogales"]);
    let none = get(&app, "/practices?state=14&level=municipal").await.ok().text();
    assert!(keys(&none).is_empty() && none.contains("Ninguna buena práctica cumple estos filtros."));
    // Empty values are no filter; values outside their lists are refused, naming the parameter.
    assert_eq!(keys(&get(&app, "/practices?state=&theme=&q=").await.ok().text()).len(), 6);
    for (uri, name) in [
        ("/practices?theme=999", "theme"),
        ("/practices?state=99", "state"),
        ("/practices?form=lecture", "form"),
        ("/practices?level=international", "level"),
    ] {
        let r = get(&app, uri).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{uri}");
        assert!(r.text().contains(name), "{uri}: {}", r.text());
    }
}

#[tokio::test]
async fn a_practice_page_shows_its_evidence() {
    let app = app();
    let html = get(&app, "/practices/bp-coneval-evaluacion-el-salvador").await.ok().text();
    assert!(html.contains("<h1>El modelo del CONEVAL para evaluar programas sociales, en El Salvador</h1>"));
    assert!(html.contains("<span class=\"badge\">Federal</span>"));
    assert!(html.contains("Consejo Nacional de Evaluación") && html.contains("01/01/2012 – 31/12/2013"));
    assert!(html.contains("Resultados: La metodología de evaluación se incorporó a la normativa salvadoreña."));
    let activities =
        &html[html.find("id=\"activities\"").expect("activities")..html.find("id=\"documents\"").expect("docs")];
    assert!(activities.contains("<a href=\"/activities/MX-AMEXCID-2012-0008\">MX-AMEXCID-2012-0008</a>"));
    assert!(html.contains("<a href=\"https://example.org/coopera-demo/coneval-el-salvador-lineamientos.pdf\">"));
    let indicators = &html[html.find("id=\"indicators\"").expect("indicators")..];
    assert!(indicators.contains("Programas sociales evaluados con la metodología</th><td class=\"num\">6</td><td>programas</td><td class=\"num\">2013</td>"), "{indicators}");
    let en = get(&app, "/practices/bp-coneval-evaluacion-el-salvador?lang=en").await.ok().text();
    for text in [
        "Linked activities",
        "Documents",
        "Indicators",
        "Social programmes evaluated with the methodology",
        "1 Jan 2012",
    ] {
        assert!(en.contains(text), "{text}");
    }
    let r = get(&app, "/practices/nada").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_practice_links_only_the_activities_the_viewer_may_read() {
    // The demo as it is: Chiapas's register of border workers, MX-CHIS-2013-0001, is validated,
    // not yet published.
    let store = with_tester(fresh_store());
    store.record("demo", demo_records_as_is()).expect("demo stored");
    let app = coopera_web::app(AppState::from_store(store, Options::default()).expect("state"));
    let link = "<a href=\"/activities/MX-CHIS-2013-0001\">";
    let public = get(&app, "/practices/bp-chis-registro-trabajadores-fronterizos").await.ok().text();
    assert!(public.contains("Tarjetas de trabajador fronterizo expedidas") && !public.contains(link));
    let admin = get_signed(&app, "/practices/bp-chis-registro-trabajadores-fronterizos").await.ok().text();
    assert!(admin.contains(link), "an administrator reads it");
}

#[tokio::test]
async fn a_states_profile_lists_its_good_practices() {
    let app = app();
    let html = get(&app, "/states/31").await.ok().text();
    let section = &html[html.find("id=\"practices\"").expect("the section")..];
    assert!(section.contains("<h2 id=\"practices-h\">Buenas prácticas</h2>"));
    assert!(section.contains("<a href=\"/practices/bp-merida-catastro-belize\">Catastro y finanzas municipales"));
    assert!(section.contains("<a href=\"/organisations/mun-merida\">Ayuntamiento de Mérida</a>"));
    assert!(html.contains("<a href=\"/practices?state=31\">Sus buenas prácticas</a>"));
    let chiapas = get(&app, "/states/07?lang=en").await.ok().text();
    let section = &chiapas[chiapas.find("id=\"practices\"").expect("the section")..];
    assert!(section.contains("Register of cross-border farm workers in the Soconusco") && !section.contains("Mérida"));
    let without = get(&app, "/states/01").await.ok().text();
    let section = &without[without.find("id=\"practices\"").expect("the section")..];
    assert!(section.contains("Sin datos."), "a state without practices says so");
}

#[tokio::test]
async fn the_api_lists_and_shows_the_practices() {
    let app = app();
    let all = get(&app, "/api/v1/practices").await.ok().json();
    assert_eq!(all["total"], 6);
    let chiapas = get(&app, "/api/v1/practices?state=07&lang=en").await.ok().json();
    assert_eq!(chiapas["total"], 1);
    let item = &chiapas["items"][0];
    assert_eq!(item["title"], "Register of cross-border farm workers in the Soconusco");
    assert_eq!(item["levels"], serde_json::json!(["federal", "state"]), "the migration institute is federal");
    assert_eq!(item["states"], serde_json::json!(["07"]));
    assert_eq!(item["href"], "/api/v1/practices/bp-chis-registro-trabajadores-fronterizos");
    let words = get(&app, "/api/v1/practices?q=telesecundaria&level=federal").await.ok().json();
    assert_eq!(words["items"][0]["key"], "bp-sep-telesecundaria-honduras");
    let detail = get(&app, "/api/v1/practices/bp-merida-catastro-belize").await.ok().json();
    assert_eq!(detail["levels"], serde_json::json!(["municipal"]));
    assert_eq!(detail["document"]["indicators"][0]["value"], "18");
    assert_eq!(detail["links"]["html"], "/practices/bp-merida-catastro-belize");
    let bad = get(&app, "/api/v1/practices?level=international").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, "/api/v1/practices/nada").await.status, StatusCode::NOT_FOUND);
}
