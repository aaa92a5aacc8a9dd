//! Search and matching as the public, an analyst and an API client use them: words with or
//! without accents, stems and concepts, a typo; facets that count and filter; a record saved
//! through the API found as soon as the write returns; what the asker may not read left out of
//! the hits, the total and the counts; the capacities for a demand, ranked with their reasons,
//! or none when nothing answers it — through the API and on the demand's page —; English.

use coopera_domain::access::Scope;
use coopera_domain::kinds::{AccountRole, WorkflowState};
use coopera_store::Who;

use super::openapi::{check_method_reply, document};
use super::*;

/// A demand of the labelled set (coopera-search's `eval-demands.toml`, e01): Guatemala's
/// small-scale fisheries on the Pacific.
const FISHING: &str = "La Dirección de Normatividad de la Pesca y Acuicultura (DIPESCA) solicita apoyo para \
    fortalecer la pesca artesanal en el litoral del Pacífico. Las capturas de camarón y pargo vienen bajando y hay \
    conflictos entre los pescadores de lancha y la flota de arrastre. Nos interesa conocer cómo México define vedas, \
    tallas mínimas, zonas de pesca y permisos, y cómo organiza a las cooperativas.";

/// An app over `store` with an analyst holding a token.
fn with_analyst(store: Store) -> (Router, String) {
    let scope = Scope::parse("all").expect("scope");
    store.add_account(Who::local("test"), "analista", AccountRole::Analyst, &scope, "contraseña-de-demo").expect("a");
    let token = store.issue_token(Who::local("test"), "analista", "script").expect("token");
    (coopera_web::app(AppState::from_store(store, Options::default()).expect("state")), token)
}

/// The demo registry with its activities' workflow states as they are (drafts, submitted,
/// validated, published).
fn as_is() -> Store {
    let store = with_tester(fresh_store());
    store.record("demo", demo_records_as_is()).expect("demo stored");
    store
}

async fn get_token(app: &Router, uri: &str, token: &str) -> Reply {
    get_with(app, uri, &[(header::AUTHORIZATION, &format!("Bearer {token}"))]).await
}

/// The keys of a search's hits.
fn keys(body: &Value) -> Vec<String> {
    body["hits"].as_array().into_iter().flatten().filter_map(|h| h["key"].as_str().map(str::to_owned)).collect()
}

/// The count of `value` in `facet`, 0 when absent.
fn facet(body: &Value, facet: &str, value: &str) -> u64 {
    body["facets"][facet]
        .as_array()
        .into_iter()
        .flatten()
        .find(|v| v["value"] == value)
        .and_then(|v| v["count"].as_u64())
        .unwrap_or(0)
}

/// Checks a reply against the OpenAPI document.
fn documented(template: &str, uri: &str, reply: &Reply) {
    let mut problems = Vec::new();
    check_method_reply(&document(), "get", template, uri, reply, &mut problems);
    assert!(problems.is_empty(), "{uri} breaks the document:\n{}", problems.join("\n"));
}

#[tokio::test]
async fn words_find_capacities_with_or_without_accents_stems_and_a_typo() {
    let app = app();
    let uri = "/api/v1/search?q=educacion&kind=capacity";
    let reply = get(&app, uri).await.ok();
    documented("/api/v1/search", uri, &reply);
    let educacion = reply.json();
    let titles: Vec<&str> =
        educacion["hits"].as_array().into_iter().flatten().filter_map(|h| h["title"].as_str()).collect();
    assert!(titles.first().is_some_and(|t| t.starts_with("Educación")), "{titles:?}");
    for education in ["Educación intercultural bilingüe", "Educación ambiental para la sustentabilidad"] {
        assert!(titles.iter().take(4).any(|t| *t == education), "{education}: {titles:?}");
    }
    assert!(titles.contains(&"Alfabetización y educación básica para adultos (MEVyT)"), "{titles:?}");
    assert!(educacion["hits"][0]["snippet"].as_str().is_some_and(|s| s.contains("<b>")), "the words found are marked");
    let accented = get(&app, "/api/v1/search?q=Educaci%C3%B3n&kind=capacity").await.ok().json();
    assert_eq!(keys(&accented), keys(&educacion), "accents and case do not matter");
    let typo = get(&app, "/api/v1/search?q=educasion&kind=capacity").await.ok().json();
    assert_eq!(keys(&typo).first(), keys(&educacion).first(), "one typo is forgiven");

    let pesquero = get(&app, "/api/v1/search?q=pesquero&kind=capacity").await.ok().json();
    let found = keys(&pesquero);
    for fishing in ["cap-ordenamiento-pesquero", "cap-acuacultura"] {
        assert!(found.iter().take(3).any(|k| k == fishing), "pesquero finds {fishing}: {found:?}");
    }

    // The page: highlighted snippets, links to the records, the query kept in its box.
    let page = get(&app, "/search?q=pesquero").await.ok().text();
    assert!(page.contains("<a href=\"/search\" aria-current=\"page\">Buscar</a>"), "the nav marks the search");
    assert!(page.contains("<a href=\"/catalog/capacities/cap-ordenamiento-pesquero\">Ordenamiento pesquero</a>"));
    assert!(page.contains("<p class=\"snippet\">") && page.contains("<b>"), "snippets with highlights");
    assert!(page.contains("value=\"pesquero\""), "the words stay in the box");
    assert!(page.contains("resultados para «pesquero»"));
    let activity = get(&app, "/search?q=Grijalva&kind=activity").await.ok().text();
    assert!(activity.contains("<a href=\"/activities/MX-CHIS-2013-0002\">"), "activities link to their page");
    // Every other page offers the search in its header.
    assert!(
        get(&app, "/catalog")
            .await
            .ok()
            .text()
            .contains("<form class=\"header-search\" method=\"get\" action=\"/search\"")
    );
}

#[tokio::test]
async fn facets_count_the_matches_and_filter_them() {
    let app = app();
    let all = get(&app, "/api/v1/search?kind=capacity").await.ok().json();
    assert_eq!(all["total"], 60, "every capacity, no words");
    // The seed's shares (see catalog.rs).
    for (area, n) in [("410", 12), ("150", 9), ("110", 9), ("310", 9)] {
        assert_eq!(facet(&all, "thematic-area", area), n, "area {area}");
    }
    assert_eq!(facet(&all, "institution", "conapesca"), 2);
    let areas: u64 =
        all["facets"]["thematic-area"].as_array().into_iter().flatten().filter_map(|v| v["count"].as_u64()).sum();
    assert!(areas >= 60, "each capacity is in an area at least: {areas}");

    let uri = "/api/v1/search?kind=capacity&thematic-area=310&form=course&page=1";
    let narrowed = get(&app, uri).await.ok();
    documented("/api/v1/search", uri, &narrowed);
    let narrowed = narrowed.json();
    let total = narrowed["total"].as_u64().expect("total");
    assert!(total > 0 && total < 9, "{total}");
    assert_eq!(facet(&narrowed, "thematic-area", "310"), total);
    assert_eq!(facet(&narrowed, "form", "course"), total);
    assert!(
        keys(&narrowed).contains(&"cap-acuacultura".to_owned())
            && !keys(&narrowed).contains(&"cap-ordenamiento-pesquero".to_owned())
    );

    // The page's facets are links that add a filter, and a filter set is a link that takes it away.
    let page = get(&app, "/search?kind=capacity").await.ok().text();
    assert!(page.contains("<a href=\"/search?kind=capacity&#38;thematic-area=410\" data-facet>Medio Ambiente</a> <span class=\"n\">12</span>"), "{page}");
    let filtered = get(&app, "/search?kind=capacity&thematic-area=410").await.ok().text();
    assert!(filtered.contains("12 registros"));
    assert!(filtered.contains(
        "<a href=\"/search?kind=capacity\" aria-current=\"true\" class=\"on\" data-facet>Medio Ambiente</a>"
    ));
    assert!(
        filtered.contains(
            "<a class=\"chip\" href=\"/search?kind=capacity\" data-remove-filter>Área temática: Medio Ambiente"
        )
    );
    assert_eq!(count(&filtered, "class=\"hit\""), 12);
    let second = get(&app, "/search?kind=capacity&page=2").await.ok().text();
    assert!(second.contains("Página 2 de 3") && count(&second, "class=\"hit\"") == 20);

    // What cannot be read is refused.
    assert_eq!(get(&app, "/api/v1/search?kind=organisation").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, "/api/v1/search?page=0").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(get(&app, "/api/v1/search?area=410").await.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_capacity_saved_through_the_api_is_found_when_the_write_returns() {
    let (app, token) = with_analyst(demo_store());
    let before = get(&app, "/api/v1/search?q=apicultura").await.ok().json();
    assert_eq!(before["total"], 0);
    let doc = serde_json::json!({
        "key": "cap-apicultura", "institution": "conapesca",
        "title": {"es": "Apicultura sustentable", "en": "Sustainable beekeeping"},
        "description": {"es": "Viveros de abejas y apicultura <script>alert(1)</script> con comunidades pesqueras."},
        "sectors": [{"code": "41030"}], "forms": ["course"], "languages": ["es"], "workflow": "published"
    });
    let req = Request::post("/api/v1/catalog/capacities")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::from(doc.to_string()))
        .expect("request");
    let created = send(&app, req).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let after = get(&app, "/api/v1/search?q=apicultura").await.ok().json();
    assert_eq!(keys(&after), ["cap-apicultura"], "found at once");
    let english = get(&app, "/api/v1/search?q=beekeeping&lang=en").await.ok().json();
    assert_eq!(english["hits"][0]["title"], "Sustainable beekeeping");
    // Its text is escaped in the snippet: only the highlights are tags.
    let page = get(&app, "/search?q=viveros").await.ok().text();
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !page.contains("<script>alert"), "{page}");
    assert!(page.contains("<b>Viveros</b>"));
}

#[tokio::test]
async fn the_public_does_not_find_what_it_may_not_read() {
    let (app, analyst) = with_analyst(as_is());
    // A draft of Chiapas's: found by the analyst, not by the public — page, API, total or counts.
    let uri = "/api/v1/search?q=caf%C3%A9+especialidad&kind=activity";
    let public = get(&app, uri).await.ok().json();
    assert!(!keys(&public).contains(&"MX-CHIS-2014-0001".to_owned()), "{public}");
    let seen = get_token(&app, uri, &analyst).await.ok().json();
    assert_eq!(keys(&seen).first().map(String::as_str), Some("MX-CHIS-2014-0001"));
    assert!(!get(&app, "/search?q=caf%C3%A9+especialidad").await.ok().text().contains("MX-CHIS-2014-0001"));

    // Every activity: the public's total and counts are those of a registry of the published
    // ones only.
    let published = with_tester(fresh_store());
    // (What the public searches: organisations, capacities and the published activities.)
    let records = demo_records_as_is().into_iter().filter(|r| match r {
        Record::Activity(a) => a.parts().workflow == WorkflowState::Published,
        Record::Organisation(_) | Record::Capacity(_) => true,
        _ => false,
    });
    // A capacity's evidence of an activity left out is left out too.
    let ids: Vec<String> = records
        .clone()
        .filter_map(|r| match r {
            Record::Activity(a) => Some(a.parts().key.as_str().to_owned()),
            _ => None,
        })
        .collect();
    let records = records.map(|r| match r {
        Record::Capacity(c) => {
            let mut parts = c.into_parts();
            parts.evidence.retain(|e| ids.iter().any(|i| i == e.as_str()));
            Record::Capacity(coopera_domain::catalog::Capacity::new(parts).expect("capacity"))
        }
        other => other,
    });
    published.record("demo", records.collect()).expect("stored");
    let only_published = coopera_web::app(AppState::from_store(published, Options::default()).expect("state"));
    for uri in ["/api/v1/search?kind=activity", "/api/v1/search?q=cooperacion", "/api/v1/search?q=educacion&page=2"] {
        let public = get(&app, uri).await.ok();
        documented("/api/v1/search", uri, &public);
        let expected = get(&only_published, uri).await.ok().json();
        let public = public.json();
        assert_eq!(public["total"], expected["total"], "{uri}");
        assert_eq!(public["facets"], expected["facets"], "{uri}");
        assert_eq!(keys(&public), keys(&expected), "{uri}");
    }
    let all = get_token(&app, "/api/v1/search?kind=activity", &analyst).await.ok().json();
    let public = get(&app, "/api/v1/search?kind=activity").await.ok().json();
    assert_eq!(
        all["total"].as_u64().unwrap_or(0),
        public["total"].as_u64().unwrap_or(0) + 28,
        "4 drafts, 7 submitted, 17 validated"
    );

    // Demands are for accounts.
    let demands = get(&app, "/api/v1/search?q=tilapia&kind=demand").await.ok().json();
    assert_eq!(demands["total"], 0);
    let theirs = get_token(&app, "/api/v1/search?q=tilapia&kind=demand", &analyst).await.ok().json();
    assert_eq!(keys(&theirs), ["sol-cu-acuacultura"]);
    assert!(!keys(&get(&app, "/api/v1/search?q=tilapia").await.ok().json()).contains(&"sol-cu-acuacultura".to_owned()));
    let page = get(&app, "/search?q=tilapia&kind=demand").await.ok().text();
    assert!(page.contains("solo se buscan con una sesión iniciada"));
}

#[tokio::test]
async fn the_match_api_ranks_capacities_with_reasons_or_says_none_answers() {
    let (app, analyst) = with_analyst(demo_store());
    let uri = format!(
        "/api/v1/catalog/match?text={}&country=GT&sector=31310,31320&form=technical-assistance,course",
        encode(FISHING)
    );
    let reply = get(&app, &uri).await.ok();
    documented("/api/v1/catalog/match", &uri, &reply);
    let body = reply.json();
    assert_eq!(body["no_answer"], false);
    assert_eq!(body["results"][0]["key"], "cap-ordenamiento-pesquero", "{body}");
    let reasons = body["results"][0]["reasons"].as_array().expect("reasons");
    assert!(
        reasons.iter().any(|r| r["kind"] == "terms" && r["text"].as_str().is_some_and(|t| t.starts_with("Coincide")))
    );
    assert!(reasons.iter().any(|r| r["kind"] == "sector" && r["fit"] == "same_code"), "{reasons:?}");
    assert!(body["results"].as_array().is_some_and(|r| r.len() <= 5), "five at most unless told");
    let english = get(&app, &format!("{uri}&lang=en&top=2")).await.ok().json();
    assert_eq!(english["results"].as_array().map(Vec::len), Some(2));
    assert_eq!(english["results"][0]["title"], "Fisheries management planning");
    assert!(english["results"][0]["reasons"][0]["text"].as_str().is_some_and(|t| t.starts_with("Matches the request")));

    let none = "/api/v1/catalog/match?text=regulaci%C3%B3n+de+criptomonedas+y+billeteras+digitales";
    let reply = get(&app, none).await.ok();
    documented("/api/v1/catalog/match", none, &reply);
    let body = reply.json();
    assert_eq!((body["no_answer"].clone(), body["results"].clone()), (Value::Bool(true), serde_json::json!([])));

    // A stored demand, for accounts only.
    let stored = "/api/v1/catalog/match?demand=sol-cu-acuacultura";
    assert_eq!(get(&app, stored).await.status, StatusCode::UNAUTHORIZED);
    let body = get_token(&app, stored, &analyst).await.ok().json();
    assert_eq!(body["results"][0]["key"], "cap-acuacultura", "{body}");
    assert_eq!(get_token(&app, "/api/v1/catalog/match?demand=sol-nada", &analyst).await.status, StatusCode::NOT_FOUND);
    let nothing = get(&app, "/api/v1/catalog/match").await.ok().json();
    assert_eq!(nothing["no_answer"], true, "nothing asked, nothing answers");
    // A sector code of the documented shape that no capacity has fits none; a malformed one
    // is refused.
    let unknown = get(&app, "/api/v1/catalog/match?text=pesca&sector=99999").await.ok().json();
    assert!(unknown["results"].as_array().is_some(), "{unknown}");
    for bad in [
        "?text=pesca&country=gt",
        "?text=pesca&sector=9999",
        "?text=pesca&sector=31310,",
        "?text=pesca&form=taller",
        "?text=pesca&top=0",
    ] {
        let uri = format!("/api/v1/catalog/match{bad}");
        let reply = get(&app, &uri).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{uri}");
        documented("/api/v1/catalog/match", &uri, &reply);
    }
}

#[tokio::test]
async fn a_demand_page_finds_capacities_and_an_analyst_proposes_the_checked_ones() {
    let app = app();
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let page = |uri: String| {
        let app = app.clone();
        let cookie = admin.cookie.clone();
        async move { get_with(&app, &uri, &[(header::COOKIE, &cookie)]).await.ok().text() }
    };
    let url = "/catalog/demands/sol-bz-sanidad-vegetal";
    let plain = page(url.to_owned()).await;
    assert!(plain.contains(&format!("<a class=\"button secondary\" href=\"{url}?match=1#matches\" data-find-capacities>Buscar capacidades para esta solicitud</a>")));
    assert!(!plain.contains("id=\"matches\""));
    let found = page(format!("{url}?match=1")).await;
    assert!(found.contains("<section id=\"matches\""), "{found}");
    assert!(found.contains("<tr data-match=\"cap-mosca-fruta\">"), "citrus pests: the fruit fly's surveillance");
    assert!(found.contains("data-score>") && found.contains("<ul class=\"reasons\"><li>"), "score and reasons");
    assert!(found.contains("name=\"propose-1\" value=\"cap-mosca-fruta\""), "an administrator may check it");
    assert!(found.contains("Proponer las marcadas"));
    // Checked, it is selected in the answer's form.
    let picked = page(format!("{url}?match=1&propose-1=cap-mosca-fruta")).await;
    assert!(picked.contains("<option value=\"cap-mosca-fruta\" selected>"), "pre-filled");
    assert!(picked.contains("quedaron seleccionadas"));
    assert!(!plain.contains("<option value=\"cap-mosca-fruta\" selected>"), "not before");

    // English.
    let english = page(format!("{url}?match=1&lang=en")).await;
    assert!(english.contains("Find capacities for this demand") && english.contains("Capacities that could answer it"));
    assert!(english.contains("Propose the checked ones") && english.contains("Matches the request on"));
    let search = get(&app, "/search?q=fisheries&lang=en").await.ok().text();
    assert!(
        search.contains("<a href=\"/search\" aria-current=\"page\">Search</a>")
            && search.contains("results for “fisheries”")
    );
    assert!(search.contains("Fisheries management planning"));
}
