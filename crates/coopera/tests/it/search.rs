//! `coopera search` and `coopera catalog match`: the index beside the registry, built and
//! caught up by itself, finding what partners write the way they write it.

use super::*;

impl Coopera {
    /// `coopera` with the search index in the test's folder.
    fn find(&self, args: &[&str]) -> Run {
        let index = self.dir.path().join("index");
        self.run_env(args, &[("COOPERA_INDEX", &index.to_string_lossy())])
    }
}

fn keys(found: &Value) -> Vec<String> {
    found["hits"]
        .as_array()
        .map(|h| h.iter().filter_map(|h| h["key"].as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

#[test]
fn search_folds_stems_and_forgives_a_typo() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let education = c.find(&["search", "educacion", "--kind", "capacity", "--format", "json"]).ok().json();
    assert!(keys(&education).contains(&"cap-educacion-intercultural".to_owned()), "{education}");
    let forms = education["facets"]["form"].as_array().expect("form facet");
    assert!(forms.iter().any(|f| f["value"] == "course" && f["count"].as_u64() > Some(1)), "{education}");

    let fishing = c.find(&["search", "pesquero", "--kind", "capacity", "--format", "json"]).ok().json();
    let top: Vec<String> = keys(&fishing).into_iter().take(3).collect();
    assert!(
        top.contains(&"cap-ordenamiento-pesquero".to_owned()) && top.contains(&"cap-acuacultura".to_owned()),
        "{fishing}"
    );

    let typo = c.find(&["search", "acuacultra", "--kind", "capacity", "--format", "json"]).ok().json();
    assert_eq!(keys(&typo).first().map(String::as_str), Some("cap-acuacultura"), "{typo}");

    // Without the facets' counts: the same hits, every facet empty.
    let bare = c.find(&["search", "educacion", "--kind", "capacity", "--no-facets", "--format", "json"]).ok().json();
    assert_eq!((keys(&bare), &bare["total"]), (keys(&education), &education["total"]));
    assert_eq!(bare["facets"]["form"], serde_json::json!([]), "{bare}");

    let filtered =
        c.find(&["search", "", "--filter", "institution=conapesca", "--kind", "capacity", "--format", "json"]);
    let filtered = filtered.ok().json();
    assert_eq!(filtered["total"].as_u64(), Some(2), "{filtered}");
    let text = c.find(&["--lang", "en", "search", "\"forest fires\""]).ok();
    assert!(text.stdout.contains("cap-incendios-forestales"), "{}", text.stdout);
}

const NEW: &str = r#"
[[capacity]]
key = "cap-pesca-riberena"
title = { es = "Pesca ribereña sustentable", en = "Sustainable small-scale fishing" }
institution = "conapesca"
sectors = [{ code = "31310" }]
forms = ["course"]
contact = { email = "pesca@example.org" }
"#;

#[test]
fn the_index_follows_every_write_and_rebuilds_itself() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    assert_eq!(keys(&c.find(&["search", "ribereña", "--format", "json"]).ok().json()), Vec::<String>::new());
    let file = c.dir.path().join("nueva.toml");
    std::fs::write(&file, NEW).expect("write");
    let added = c.run(&["catalog", "add", "--file", &file.to_string_lossy()]).ok();
    assert!(added.stdout.contains("1 registro como borrador"), "{}", added.stdout);
    let draft = c.find(&["search", "riberena", "--format", "json"]).ok().json();
    assert_eq!(keys(&draft), Vec::<String>::new(), "a draft is not in the published catalog: {draft}");
    for to in ["submitted", "validated", "published"] {
        c.run(&["catalog", "transition", "cap-pesca-riberena", "--to", to]).ok();
    }
    let found = c.find(&["search", "riberena", "--format", "json"]).ok().json();
    assert_eq!(keys(&found), ["cap-pesca-riberena"], "a published record is found at once: {found}");

    // A lost index is built again by itself; `search reindex` rebuilds on demand.
    std::fs::remove_dir_all(c.dir.path().join("index")).expect("remove the index");
    assert_eq!(keys(&c.find(&["search", "riberena", "--format", "json"]).ok().json()), ["cap-pesca-riberena"]);
    let rebuilt = c.find(&["--lang", "en", "search", "reindex"]).ok();
    assert!(rebuilt.stdout.contains("search index rebuilt"), "{}", rebuilt.stdout);
}

#[test]
fn a_demand_is_matched_with_reasons_or_told_nothing_answers_it() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let fishing = c
        .find(&[
            "catalog",
            "match",
            "--text",
            "Apoyo para ordenar la pesca artesanal de las comunidades costeras",
            "--country",
            "GT",
            "--form",
            "course",
            "--format",
            "json",
        ])
        .ok()
        .json();
    let first = &fishing["results"][0];
    assert_eq!(first["key"], "cap-ordenamiento-pesquero", "{fishing}");
    for field in ["title", "institution", "score", "sectors", "reasons"] {
        assert!(!first[field].is_null(), "{field} in {first}");
    }
    assert!(first["reasons"].as_array().is_some_and(|r| !r.is_empty()), "{first}");
    assert_eq!(fishing["no_answer"], false);

    let nothing =
        c.find(&["catalog", "match", "--text", "Regulación de criptomonedas y activos virtuales", "--format", "json"]);
    let nothing = nothing.ok().json();
    assert_eq!(
        (nothing["no_answer"].clone(), nothing["results"].as_array().map(Vec::len)),
        (Value::Bool(true), Some(0))
    );
    let said = c.find(&["--lang", "en", "catalog", "match", "--text", "cryptocurrency regulation"]).ok();
    assert!(said.stdout.contains("No capacity of the catalog answers"), "{}", said.stdout);

    let stored = c.find(&["catalog", "match", "--demand", "sol-gt-incendios", "--top", "2"]).ok();
    assert!(stored.stdout.contains("cap-incendios-forestales"), "{}", stored.stdout);
}
