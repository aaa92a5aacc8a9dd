//! Unit tests of the index, the query language and matching, on small hand-made records (and
//! a few of the demo's).

use coopera_domain::Lang;
use tempfile::TempDir;

use crate::{
    DocKind, Facet, MatchRequest, OrgNames, Reason, SearchDoc, SearchError, SearchIndex, SearchQuery, Stamp, Track,
};

/// A record with a Spanish title and body, and an English title.
fn doc(kind: DocKind, key: &str, title_es: &str, title_en: &str, body_es: &str) -> SearchDoc {
    SearchDoc {
        kind,
        key: key.to_owned(),
        title_es: title_es.to_owned(),
        title_en: title_en.to_owned(),
        body_es: body_es.to_owned(),
        body_en: String::new(),
        summary_es: String::new(),
        summary_en: String::new(),
        thematic_areas: vec![],
        sectors: vec![],
        forms: vec![],
        institution: None,
        states: vec![],
        languages: vec![],
        countries: vec![],
    }
}

fn capacity(key: &str, title_es: &str, title_en: &str) -> SearchDoc {
    doc(DocKind::Capacity, key, title_es, title_en, "")
}

fn index_of(docs: Vec<SearchDoc>) -> (TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let index = SearchIndex::open(dir.path()).expect("the index opens");
    index.rebuild(docs, Stamp { seq: 1 }).expect("the index builds");
    (dir, index)
}

/// The keys a search finds, best first.
fn found(index: &SearchIndex, text: &str) -> Vec<String> {
    let q = SearchQuery { text: text.to_owned(), ..SearchQuery::default() };
    index.search(&q).expect("the search runs").hits.into_iter().map(|h| h.key).collect()
}

fn sample() -> Vec<SearchDoc> {
    vec![
        capacity("educacion-ambiental", "Educación ambiental para la sustentabilidad", "Environmental education"),
        capacity("pesca", "Pesca artesanal y ordenamiento", "Small-scale fisheries"),
        capacity("riesgos", "Capacitación en gestión de riesgos de desastre", "Disaster risk management training"),
        capacity("escolar", "Riesgos en la gestión escolar", "Risks in school management"),
        capacity("bosques", "Manejo forestal comunitario", "Community forest management"),
        capacity("copan", "Restauración de la escalinata jeroglífica", "Restoring the hieroglyphic stairway"),
    ]
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<SearchIndex>();
}

#[test]
fn folds_case_and_accents() {
    let (_dir, index) = index_of(sample());
    assert_eq!(found(&index, "JEROGLIFICA"), vec!["copan"]);
    assert_eq!(found(&index, "jeroglífica"), vec!["copan"]);
    // Education is also a concept of "escolar"; the title that says it comes first.
    let educacion = found(&index, "EDUCACION");
    assert_eq!(educacion.first().map(String::as_str), Some("educacion-ambiental"));
    assert_eq!(found(&index, "Educación"), educacion);
}

#[test]
fn stems_spanish() {
    let (_dir, index) = index_of(sample());
    // Plural and singular, with and without accents: capacitaciones → capacitación.
    assert_eq!(found(&index, "capacitaciones"), vec!["riesgos"]);
    assert_eq!(found(&index, "desastres"), vec!["riesgos"]);
}

#[test]
fn pesquero_finds_fishing_through_the_concept_table() {
    let (_dir, index) = index_of(sample());
    assert_eq!(found(&index, "pesquero"), vec!["pesca"]);
    assert_eq!(found(&index, "fisheries"), vec!["pesca"]);
    assert_eq!(found(&index, "fishing"), vec!["pesca"]);
}

#[test]
fn a_phrase_keeps_its_words_in_order() {
    let (_dir, index) = index_of(sample());
    // Words in any order; "manejo" is management too.
    let mut any = found(&index, "gestión riesgos");
    any.sort();
    assert_eq!(any, vec!["bosques", "escolar", "riesgos"]);
    assert_eq!(found(&index, "\"gestión de riesgos\""), vec!["riesgos"]);
    assert_eq!(found(&index, "\"risk management\""), vec!["riesgos"]);
}

#[test]
fn a_prefix_finds_every_word_it_begins() {
    let (_dir, index) = index_of(sample());
    let mut hits = found(&index, "comunit*");
    hits.sort();
    assert_eq!(hits, vec!["bosques"]);
    assert_eq!(found(&index, "sustent*"), vec!["educacion-ambiental"]);
    assert!(found(&index, "sustx*").is_empty());
}

#[test]
fn one_typo_is_forgiven_in_long_words() {
    let (_dir, index) = index_of(sample());
    assert_eq!(found(&index, "educasion").first().map(String::as_str), Some("educacion-ambiental"));
    assert_eq!(found(&index, "jeroglifca"), vec!["copan"], "a letter missing");
    assert_eq!(found(&index, "forestla"), vec!["bosques"], "two letters swapped");
    assert!(found(&index, "edukasion").is_empty(), "two typos are too many");
    // A short word is not corrected: "pesa" is not "pesca".
    assert!(found(&index, "pesa").is_empty());
}

#[test]
fn a_word_of_the_index_is_not_taken_for_a_typo() {
    let docs =
        vec![capacity("kayak", "Kayak lacustre", "Lake kayak"), capacity("kayok", "Kayok lacustre", "Lake kayok")];
    let (_dir, index) = index_of(docs);
    assert_eq!(found(&index, "kayak"), vec!["kayak"]);
    let mut near = found(&index, "kayek");
    near.sort();
    assert_eq!(near, vec!["kayak", "kayok"], "a word of no record stands for its neighbours");
}

fn faceted() -> Vec<SearchDoc> {
    let mut a = capacity("a", "Acuacultura", "Aquaculture");
    a.forms = vec!["course".into(), "internship".into()];
    a.thematic_areas = vec!["310".into()];
    a.sectors = vec!["31320".into()];
    let mut b = capacity("b", "Pesca", "Fishing");
    b.forms = vec!["course".into()];
    b.thematic_areas = vec!["310".into()];
    b.sectors = vec!["31310".into()];
    let mut c = capacity("c", "Agua potable", "Drinking water");
    c.forms = vec!["technical-assistance".into()];
    c.thematic_areas = vec!["140".into()];
    let d = doc(DocKind::Activity, "act-1", "Pesca en Guatemala", "Fishing in Guatemala", "");
    vec![a, b, c, d]
}

fn facet(results: &crate::SearchResults, which: Facet) -> Vec<(String, u64)> {
    results.facets.iter().find(|(f, _)| *f == which).map(|(_, v)| v.clone()).unwrap_or_default()
}

#[test]
fn facets_count_the_values_of_all_hits() {
    let (_dir, index) = index_of(faceted());
    let all = SearchQuery { kinds: vec![DocKind::Capacity], ..SearchQuery::default() };
    let r = index.search(&all).expect("search");
    assert_eq!(r.total, 3);
    assert_eq!(
        facet(&r, Facet::Form),
        vec![("course".to_owned(), 2), ("internship".to_owned(), 1), ("technical-assistance".to_owned(), 1)]
    );
    assert_eq!(facet(&r, Facet::ThematicArea), vec![("310".to_owned(), 2), ("140".to_owned(), 1)]);
    // An empty query with a filter lists what the filter leaves, by key.
    let courses = SearchQuery { filters: vec![(Facet::Form, "course".into())], ..all.clone() };
    let r = index.search(&courses).expect("search");
    assert_eq!(r.hits.iter().map(|h| h.key.as_str()).collect::<Vec<_>>(), vec!["a", "b"]);
    assert_eq!(facet(&r, Facet::Form), vec![("course".to_owned(), 2), ("internship".to_owned(), 1)]);
    // Text and filter together; values of one facet are alternatives.
    let q = SearchQuery {
        text: "pesca".into(),
        filters: vec![(Facet::Sector, "31310".into()), (Facet::Sector, "99999".into())],
        ..all
    };
    assert_eq!(index.search(&q).expect("search").hits.iter().map(|h| h.key.as_str()).collect::<Vec<_>>(), vec!["b"]);
    // Without a kind, activities are found too.
    assert_eq!(found(&index, "pesca").len(), 2);
}

#[test]
fn snippets_highlight_the_words_found() {
    let mut d = capacity("pesca", "Ordenamiento", "Planning");
    d.body_es = "Ordenamiento de la pesca artesanal en el litoral <del Pacífico>".into();
    let (_dir, index) = index_of(vec![d]);
    let q = SearchQuery { text: "pesquero".into(), ..SearchQuery::default() };
    let hit = index.search(&q).expect("search").hits.into_iter().next().expect("a hit");
    assert!(hit.snippet_html.contains("<b>pesca</b>"), "{}", hit.snippet_html);
    assert!(hit.snippet_html.contains("&lt;del"), "the text is escaped: {}", hit.snippet_html);
    // A typo's correction is highlighted like the word itself.
    let q = SearchQuery { text: "artesanla".into(), ..SearchQuery::default() };
    let hit = index.search(&q).expect("search").hits.into_iter().next().expect("a hit");
    assert!(hit.snippet_html.contains("<b>artesanal</b>"), "{}", hit.snippet_html);
}

#[test]
fn titles_follow_the_language_asked() {
    let (_dir, index) = index_of(sample());
    let q = SearchQuery { text: "pesca".into(), lang: Lang::En, ..SearchQuery::default() };
    let hit = index.search(&q).expect("search").hits.into_iter().next().expect("a hit");
    assert_eq!((hit.kind, hit.title.as_str()), (DocKind::Capacity, "Small-scale fisheries"));
}

#[test]
fn rebuild_and_apply_are_visible_when_they_return() {
    let (_dir, index) = index_of(sample());
    assert_eq!(index.stamp(), Some(Stamp { seq: 1 }));
    let upsert = capacity("pesca", "Acuacultura de tilapia", "Tilapia farming");
    let new = capacity("vacunas", "Vacunación universal", "Universal vaccination");
    index.apply(vec![upsert, new], vec![(DocKind::Capacity, "bosques".into())], Stamp { seq: 2 }).expect("apply");
    assert_eq!(found(&index, "tilapia"), vec!["pesca"], "replaced");
    assert!(found(&index, "artesanal").is_empty(), "the old version is gone");
    assert_eq!(found(&index, "vacunación"), vec!["vacunas"], "added");
    assert!(found(&index, "forestal").is_empty(), "deleted");
    assert_eq!(index.stamp(), Some(Stamp { seq: 2 }));
    index.rebuild(vec![capacity("solo", "Censos", "Censuses")], Stamp { seq: 9 }).expect("rebuild");
    assert!(found(&index, "tilapia").is_empty());
    assert_eq!(found(&index, "censos"), vec!["solo"]);
    assert_eq!(index.stamp(), Some(Stamp { seq: 9 }));
}

#[test]
fn an_unfinished_rebuild_changes_nothing() {
    let (_dir, index) = index_of(sample());
    {
        let mut rebuilding = index.begin_rebuild().expect("begin");
        rebuilding.add(&capacity("solo", "Censos", "Censuses")).expect("add");
        // Dropped without finish, as when reading the registry fails half-way.
    }
    // The next write publishes its own change only: neither the deletion of everything nor
    // the rebuild's documents.
    let new = capacity("vacunas", "Vacunación universal", "Universal vaccination");
    index.apply(vec![new], Vec::new(), Stamp { seq: 2 }).expect("apply");
    assert!(found(&index, "censos").is_empty());
    assert_eq!(found(&index, "vacunación"), vec!["vacunas"]);
    assert!(!found(&index, "pesca").is_empty(), "the documents of before are kept");
}

#[test]
fn a_search_counts_facets_only_when_asked() {
    let (_dir, index) = index_of(faceted());
    let q = SearchQuery { kinds: vec![DocKind::Capacity], facets: false, ..SearchQuery::default() };
    let r = index.search(&q).expect("search");
    assert_eq!((r.total, r.hits.len()), (3, 3));
    assert_eq!(r.facets.len(), Facet::ALL.len());
    assert!(r.facets.iter().all(|(_, values)| values.is_empty()));
    assert_eq!(r.json()["facets"]["form"], serde_json::json!([]));
}

#[test]
fn the_stamp_survives_a_reopen() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    {
        let index = SearchIndex::open(dir.path()).expect("open");
        assert_eq!(index.stamp(), None, "never built");
        index.rebuild(sample(), Stamp { seq: 42 }).expect("rebuild");
    }
    // A process stopped in the middle of a commit leaves the temporary file of its atomic
    // write: the index still opens, without it.
    std::fs::write(dir.path().join(".tmpAbC123"), b"{").expect("a leftover");
    let index = SearchIndex::open(dir.path()).expect("reopen");
    assert!(!dir.path().join(".tmpAbC123").exists(), "the leftover is removed");
    assert_eq!(index.stamp(), Some(Stamp { seq: 42 }));
    assert_eq!(found(&index, "pesquero"), vec!["pesca"], "analyzers are registered again");
}

#[test]
fn an_index_of_another_version_is_wiped() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    {
        let index = SearchIndex::open(dir.path()).expect("open");
        index.rebuild(sample(), Stamp { seq: 5 }).expect("rebuild");
    }
    {
        // The same fields, committed by a version whose schema number differs.
        let index = tantivy::Index::open_in_dir(dir.path()).expect("open");
        let mut writer: tantivy::IndexWriter<tantivy::TantivyDocument> =
            index.writer_with_num_threads(1, 15_000_000).expect("writer");
        let mut prepared = writer.prepare_commit().expect("prepare");
        let other = format!(
            r#"{{"seq":5,"schema":{},"analyzer":{}}}"#,
            crate::SCHEMA_VERSION + 1,
            crate::analysis::fingerprint()
        );
        prepared.set_payload(&other);
        prepared.commit().expect("commit");
    }
    let index = SearchIndex::open(dir.path()).expect("reopen");
    assert_eq!(index.stamp(), None);
    assert!(found(&index, "pesca").is_empty(), "wiped");
    index.rebuild(sample(), Stamp { seq: 6 }).expect("rebuild");
    assert_eq!(index.stamp(), Some(Stamp { seq: 6 }));
}

#[test]
fn an_index_with_other_fields_is_wiped() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    {
        let mut b = tantivy::schema::Schema::builder();
        b.add_text_field("something_else", tantivy::schema::TEXT);
        tantivy::Index::create_in_dir(dir.path(), b.build()).expect("another index");
    }
    let index = SearchIndex::open(dir.path()).expect("open");
    assert_eq!(index.stamp(), None);
    index.rebuild(sample(), Stamp { seq: 1 }).expect("rebuild");
    assert_eq!(found(&index, "pesca"), vec!["pesca"]);
}

#[test]
fn a_folder_of_other_files_is_refused_not_wiped() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "mine").expect("write");
    let err = SearchIndex::open(dir.path()).expect_err("refused");
    assert!(matches!(err, SearchError::NotAnIndex { ref file, .. } if file == "notes.txt"), "{err}");
    assert!(notes.exists());
}

#[test]
fn codes_parse_and_unknown_ones_are_named() {
    assert_eq!("Capacity".parse::<DocKind>().ok(), Some(DocKind::Capacity));
    assert_eq!("thematic-area".parse::<Facet>().ok(), Some(Facet::ThematicArea));
    let err = "sectors".parse::<Facet>().expect_err("unknown");
    assert!(err.to_string().contains("`sectors`"), "{err}");
    for f in Facet::ALL {
        assert_eq!(f.code().parse::<Facet>().ok(), Some(f));
    }
}

fn catalog() -> Vec<SearchDoc> {
    let mut fire =
        capacity("cap-incendios", "Prevención y combate de incendios forestales", "Forest fire prevention and control");
    fire.sectors = vec!["31220".into()];
    fire.forms = vec!["course".into()];
    fire.institution = Some("conafor".into());
    fire.languages = vec!["es".into()];
    let mut forest = capacity("cap-manejo", "Manejo forestal comunitario", "Community forest management");
    forest.sectors = vec!["31220".into(), "31210".into()];
    forest.institution = Some("conafor".into());
    let mut water = capacity("cap-agua", "Agua potable y saneamiento rural", "Rural drinking water and sanitation");
    water.sectors = vec!["14030".into()];
    water.institution = Some("conagua".into());
    vec![fire, forest, water]
}

fn request(text: &str) -> MatchRequest {
    MatchRequest { text: text.into(), lang: Some("es".into()), ..MatchRequest::default() }
}

fn region_of(country: &str) -> Option<&'static str> {
    matches!(country, "GT" | "HN").then_some("389")
}

#[test]
fn matching_ranks_with_reasons() {
    let (_dir, index) = index_of(catalog());
    let mut track = Track { region_of, ..Track::default() };
    track.by_institution.entry("conafor".into()).or_default().countries.insert("GT".into(), 3);
    let d = MatchRequest {
        country: Some("GT".into()),
        sectors: vec!["31220".into()],
        forms: vec!["course".into()],
        ..request("Brigadas comunitarias contra incendios en los bosques")
    };
    let m = index.match_demand(&d, &track).expect("match");
    assert!(!m.no_answer);
    let keys: Vec<&str> = m.results.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, vec!["cap-incendios", "cap-manejo"], "water has no evidence");
    let best = &m.results[0];
    assert!(best.score > m.results[1].score && best.score <= 1.0);
    assert_eq!(best.score, (best.score * 1000.0).round() / 1000.0, "three decimals");
    let kinds: Vec<&str> = best
        .reasons
        .iter()
        .map(|r| match r {
            Reason::Terms { .. } => "terms",
            Reason::Sector { .. } => "sector",
            Reason::Form { .. } => "form",
            Reason::Language { .. } => "language",
            Reason::CountryRecord { .. } => "country",
            Reason::RegionRecord { .. } => "region",
        })
        .collect();
    assert_eq!(kinds, vec!["terms", "sector", "form", "language", "country"]);
    assert!(
        best.reasons[4].text(Lang::Es).contains("ya ha cooperado con Guatemala: 3 actividades"),
        "{}",
        best.reasons[4].text(Lang::Es)
    );
    assert!(best.reasons[1].text(Lang::En).starts_with("Same DAC sector: 31220"), "{}", best.reasons[1].text(Lang::En));
    // The same request gives the same answer.
    assert_eq!(index.match_demand(&d, &track).expect("match"), m);
}

#[test]
fn a_demand_nobody_answers_says_so() {
    let (_dir, index) = index_of(catalog());
    let m = index
        .match_demand(&request("Regulación de criptomonedas y billeteras digitales"), &Track::default())
        .expect("match");
    assert!(m.no_answer);
    assert!(m.results.is_empty());
    // A generic word shared is no evidence: "gestión comunitaria" alone.
    let m = index.match_demand(&request("Gestión de aeropuertos"), &Track::default()).expect("match");
    assert!(m.no_answer, "{m:?}");
    // A sector fit alone is evidence.
    let d = MatchRequest { sectors: vec!["14030".into()], ..request("") };
    let m = index.match_demand(&d, &Track::default()).expect("match");
    assert_eq!(m.results.iter().map(|r| r.key.as_str()).collect::<Vec<_>>(), vec!["cap-agua"]);
}

#[test]
fn match_results_serialise_as_the_api_expects() {
    let (_dir, index) = index_of(catalog());
    let m = index.match_demand(&request("incendios forestales"), &Track::default()).expect("match");
    let json = serde_json::to_value(&m).expect("json");
    let first = &json["results"][0];
    let mut fields: Vec<&str> = first.as_object().expect("object").keys().map(String::as_str).collect();
    fields.sort_unstable();
    assert_eq!(fields, vec!["institution", "key", "reasons", "score", "sectors", "title"]);
    assert_eq!(first["key"], "cap-incendios");
    assert_eq!(first["reasons"][0]["kind"], "terms");
    assert_eq!(json["no_answer"], false);
}

#[test]
fn the_region_counts_when_the_country_does_not() {
    let (_dir, index) = index_of(catalog());
    let mut track = Track { region_of, ..Track::default() };
    track.by_institution.entry("conafor".into()).or_default().regions.insert("389".into(), 2);
    let d = MatchRequest { country: Some("HN".into()), ..request("incendios forestales") };
    let m = index.match_demand(&d, &track).expect("match");
    let reason =
        m.results[0].reasons.iter().find(|r| matches!(r, Reason::RegionRecord { .. })).expect("a region reason");
    assert_eq!(reason, &Reason::RegionRecord { region: "389".into(), activities: 2 });
}

/// The demo's checked records of one kind.
fn demo() -> coopera_domain::doc::DatasetDoc {
    let mut all = coopera_domain::doc::DatasetDoc::default();
    for (_, d) in coopera_demo::dataset().expect("the demo parses") {
        all.organisations.extend(d.organisations);
        all.activities.extend(d.activities);
        all.capacities.extend(d.capacities);
    }
    all
}

#[test]
fn a_track_counts_the_giving_side_only() {
    let data = demo();
    let activities: Vec<_> = data.activities.into_iter().map(|a| a.into_domain().expect("a valid activity")).collect();
    let track = Track::from_activities(&activities, region_of);
    // MX-AMEXCID-2010-0001: CONAFOR provides to Guatemala; AMEXCID is accountable only.
    let conafor = track.by_institution.get("conafor").expect("conafor gave");
    assert!(conafor.countries.get("GT").is_some_and(|n| *n >= 1), "{conafor:?}");
    assert!(conafor.regions.get("389").is_some_and(|n| *n >= 1), "{conafor:?}");
    assert!(!track.by_institution.contains_key("gt-inab"), "a recipient gives nothing");
}

#[test]
fn a_capacity_is_found_by_its_institution_and_sectors() {
    let data = demo();
    let orgs: Vec<_> = data.organisations.into_iter().map(|o| o.into_domain().expect("a valid organisation")).collect();
    let names = OrgNames::new(&orgs);
    let cap = data
        .capacities
        .into_iter()
        .find(|c| c.key == "cap-ordenamiento-pesquero")
        .expect("in the demo")
        .into_domain()
        .expect("a valid capacity");
    let d = SearchDoc::capacity(&cap, &names);
    assert_eq!(d.sectors, vec!["31310"]);
    assert_eq!(d.thematic_areas, vec!["310"]);
    assert_eq!(d.institution.as_deref(), Some("conapesca"));
    assert!(d.body_es.contains("Comisión Nacional de Acuacultura y Pesca"), "{}", d.body_es);
    assert!(d.body_en.contains("Fishing policy"), "{}", d.body_en);
    let (_dir, index) = index_of(vec![d]);
    assert_eq!(found(&index, "conapesca"), vec!["cap-ordenamiento-pesquero"], "by acronym");
}

#[test]
fn a_demand_is_indexed_with_its_languages() {
    let doc: coopera_domain::doc::DemandDoc = serde_json::from_str(
        r#"{"key":"sol-1","title":"Pesca","requester":"gt-maga","sectors":[{"code":"31310"}],"languages":["en"]}"#,
    )
    .expect("fixture");
    let demand = doc.into_domain().expect("a whole demand");
    let indexed = SearchDoc::demand(&demand, &crate::OrgNames::default());
    assert_eq!(indexed.languages, ["en"], "the language facet of a demand");
}

/// At the size of a national registry, a word most records hold ranks but does not find; a
/// query of such words only finds the records holding them all, and a word no record holds
/// does not empty the search.
#[test]
fn common_words_rank_but_do_not_find() {
    let records = usize::try_from(crate::query::COMMON_MIN_DOCS).expect("a count").saturating_add(1_000);
    let docs: Vec<SearchDoc> = (0..records)
        .map(|n| {
            let body = match n % 1_000 {
                0 => "Gestión del agua potable en comunidades rurales",
                1 => "Agua potable",
                2..=500 => "Gestión de programas sociales",
                _ => "Gestión administrativa",
            };
            doc(DocKind::Activity, &format!("a-{n}"), "Proyecto de cooperación", "", body)
        })
        .collect();
    let (_dir, index) = index_of(docs);
    let search = |text: &str| {
        let q = SearchQuery { text: text.to_owned(), limit: 20, ..SearchQuery::default() };
        index.search(&q).expect("the search runs")
    };
    let per = records / 1_000;
    // "gestión" is in almost every record: it only ranks what "agua" finds, both first.
    let water = search("gestión agua");
    assert_eq!(water.total, 2 * per);
    let (both, water_only) = water.hits.split_at(per);
    assert!(
        both.iter().all(|h| h
            .key
            .strip_prefix("a-")
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n % 1_000 == 0)),
        "{both:?}"
    );
    assert!(water_only.iter().all(|h| h.score < both[per - 1].score), "{water:?}");
    assert!(water.hits[0].snippet_html.contains("<b>Gestión</b>"), "{}", water.hits[0].snippet_html);
    // Alone, a common word finds as any other.
    assert_eq!(search("gestión").total, records - per);
    // Common words only: the records holding them all.
    assert_eq!(search("cooperación gestión").total, records - per);
    assert_eq!(search("gestión programas").total, 499 * per);
    // A word of no record is left out of what finds.
    assert_eq!(search("gestión zzyzx").total, records - per);
    assert_eq!(search("agua zzyzx").total, 2 * per);
    // A small registry is searched with every word finding.
    let (_small, small) = index_of(sample());
    assert_eq!(found(&small, "gestión pesca").len(), 4);
}

/// The top records found by the pruned pass are those, with the same scores, that ranking
/// every record finds; the scores are those of the AND-ish ranking written as tantivy's
/// boolean queries; the totals are those of tantivy's boolean queries.
#[test]
fn pruned_and_counted_as_ranked_in_full() {
    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, Query};

    // Words held by different shares of the records, in titles and bodies of varied lengths,
    // so that scores differ: "gestión" and "administración" common, "agua" and "riego" not.
    let records = usize::try_from(crate::query::COMMON_MIN_DOCS).expect("a count").saturating_add(3_000);
    let docs: Vec<SearchDoc> = (0..records)
        .map(|n| {
            let mut title = vec!["Proyecto"];
            let mut body = vec!["Cooperación"];
            for (word, every, in_title) in
                [("gestión", 2, 5), ("administración", 3, 4), ("agua", 7, 3), ("riego", 13, 2), ("escolar", 5, 7)]
            {
                if n % every == 0 {
                    body.push(word);
                    if n % in_title == 0 {
                        title.push(word);
                    }
                    if n % 11 == 0 {
                        body.push(word);
                    }
                }
            }
            body.extend(std::iter::repeat_n("de la región", n % 9));
            let mut d = doc(DocKind::Activity, &format!("a-{n}"), &title.join(" "), "", &body.join(" "));
            if n % 4 == 0 {
                d.kind = DocKind::Capacity;
            }
            d
        })
        .collect();
    let (_dir, index) = index_of(docs);
    let searcher = index.reader.searcher();
    let builder = crate::query::Builder { searcher: &searcher, fields: index.fields };
    for (text, kinds) in [
        ("gestión agua", vec![]),
        ("gestión administración agua riego", vec![]),
        ("agua riego escolar", vec![]),
        ("gestión administración", vec![]),
        ("gestión administración riego", vec![DocKind::Capacity]),
        ("gestión administración", vec![DocKind::Capacity]),
        ("agua", vec![DocKind::Capacity]),
    ] {
        let q = SearchQuery { text: text.to_owned(), kinds: kinds.clone(), limit: 10, ..SearchQuery::default() };
        let results = index.search(&q).expect("the search runs");
        // Every record ranked, none passed over: a collector beside the top ones asks for all.
        let query = index.query(&searcher, &q).expect("a query").found;
        let (top, total) =
            searcher.search(&*query, &(TopDocs::with_limit(10).order_by_score(), Count)).expect("ranked in full");
        let keys: Vec<(String, f32)> = results.hits.iter().map(|h| (h.key.clone(), h.score)).collect();
        let full: Vec<(String, f32)> = top
            .iter()
            .map(|(score, addr)| {
                let d: tantivy::TantivyDocument = searcher.doc(*addr).expect("stored");
                (crate::search::first(&d, index.fields.key), *score)
            })
            .collect();
        assert_eq!(keys, full, "{text} {kinds:?}");
        assert_eq!(results.total, total, "{text} {kinds:?}");

        // The same ranking as tantivy's boolean queries: what finds, plus the common words'
        // scores, plus every unit again when a record holds them all.
        let units = builder.units(&crate::query::parse(text)).expect("units");
        let is_common = |u: &crate::query::Unit| u.label == "gestion" || u.label == "administracion";
        let every: Box<dyn Query> =
            Box::new(BooleanQuery::new(units.iter().map(|u| (Occur::Must, u.query.box_clone())).collect()));
        let finding: Vec<_> =
            units.iter().filter(|u| !is_common(u)).map(|u| (Occur::Should, u.query.box_clone())).collect();
        let text_query: Box<dyn Query> = if units.len() == 1 {
            units[0].query.box_clone()
        } else if finding.is_empty() {
            Box::new(BooleanQuery::new(vec![(Occur::Must, every.box_clone()), (Occur::Should, every)]))
        } else {
            let mut scoring: Vec<_> =
                units.iter().filter(|u| is_common(u)).map(|u| (Occur::Should, u.query.box_clone())).collect();
            scoring.push((Occur::Should, every));
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, Box::new(BooleanQuery::new(finding)) as Box<dyn Query>),
                (Occur::Should, Box::new(BooleanQuery::new(scoring))),
            ]))
        };
        let mut clauses = vec![(Occur::Must, text_query)];
        if !kinds.is_empty() {
            let kind = tantivy::Term::from_field_text(index.fields.kind, kinds[0].code());
            let filter = tantivy::query::TermQuery::new(kind, tantivy::schema::IndexRecordOption::Basic);
            clauses.push((Occur::Must, Box::new(tantivy::query::ConstScoreQuery::new(Box::new(filter), 0.0))));
        }
        let reference = BooleanQuery::new(clauses);
        let (all, reference_total) =
            searcher.search(&reference, &(TopDocs::with_limit(records).order_by_score(), Count)).expect("reference");
        assert_eq!(results.total, reference_total, "{text} {kinds:?}");
        let scores: std::collections::HashMap<_, _> = all.iter().map(|(score, addr)| (*addr, *score)).collect();
        for (score, addr) in &top {
            let expected = scores.get(addr).copied().unwrap_or(f32::NAN);
            assert!((score - expected).abs() <= 1e-4 * expected.abs(), "{text}: {score} against {expected}");
        }
        // Nothing the reference ranks above the last record shown was passed over.
        let last = top.last().map_or(0.0, |(s, _)| *s);
        let above = all.iter().filter(|(s, _)| *s > last * (1.0 + 1e-4)).count();
        assert!(above < top.len(), "{text}: {above} records above the last one shown");
    }
}
