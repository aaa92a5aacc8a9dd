//! `coopera practice list|show|add`: good practices from the command line — the demo's, narrowed
//! by state, theme, form and level; shown as text and as a file that adds back unchanged; a file
//! taken whole or not at all, its problems at their line and field, in both languages.

use super::*;

/// The keys of a `practice list --format json` with `args`, in order.
fn listed(c: &Coopera, args: &[&str]) -> Vec<String> {
    let mut all = vec!["practice", "list"];
    all.extend(args);
    all.extend(["--format", "json"]);
    let rows = c.run(&all).ok().json();
    rows.as_array()
        .unwrap_or_else(|| panic!("not a list: {rows}"))
        .iter()
        .map(|r| r["key"].as_str().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn the_demo_practices_are_narrowed_by_state_theme_form_and_level() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let all = listed(&c, &[]);
    assert_eq!(all.len(), 6, "{all:?}");
    assert_eq!(listed(&c, &["--state", "07"]), ["bp-chis-registro-trabajadores-fronterizos"]);
    assert_eq!(listed(&c, &["--state", "MX-YUC"]), ["bp-merida-catastro-belize"], "a municipality's, by its state");
    assert_eq!(listed(&c, &["--theme", "410"]), ["bp-son-calidad-aire-nogales"]);
    assert_eq!(listed(&c, &["--level", "municipal"]), ["bp-merida-catastro-belize"]);
    let federal = listed(&c, &["--level", "federal"]);
    assert_eq!(
        federal,
        [
            "bp-coneval-evaluacion-el-salvador",
            "bp-chis-registro-trabajadores-fronterizos",
            "bp-sep-telesecundaria-honduras"
        ],
        "by title; Chiapas's with the federal migration institute"
    );
    assert_eq!(
        listed(&c, &["--level", "federal", "--form", "course", "--theme", "110"]),
        ["bp-sep-telesecundaria-honduras"]
    );
    assert!(listed(&c, &["--state", "14", "--level", "municipal"]).is_empty());

    let table = c.run(&["--lang", "en", "practice", "list", "--state", "26"]).ok().stdout;
    assert!(table.contains("Binational air quality monitoring in Nogales") && table.contains("Environment"), "{table}");
    let unknown = c.run(&["practice", "list", "--theme", "41"]).failed();
    assert!(unknown.stderr.contains("--theme") && unknown.stderr.contains("ThematicArea"), "{}", unknown.stderr);
    let missing = c.run(&["practice", "show", "nada"]).failed();
    assert!(
        missing.stderr.contains("no existe la buena práctica `nada` (`coopera practice list`"),
        "{}",
        missing.stderr
    );
}

#[test]
fn a_practice_is_shown_and_its_file_adds_back_unchanged() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let text = c.run(&["--lang", "en", "practice", "show", "bp-coneval-evaluacion-el-salvador"]).ok().stdout;
    for needle in [
        "Organisations: National Council",
        "Level: Federal",
        "Linked activities: MX-AMEXCID-2012-0008",
        "Social programmes evaluated with the methodology: 6 programas (2013)",
        "https://example.org/coopera-demo/coneval-el-salvador-lineamientos.pdf",
    ] {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let toml = c.run(&["practice", "show", "bp-coneval-evaluacion-el-salvador", "--format", "toml"]).ok().stdout;
    assert!(toml.contains("[[practice]]") && toml.contains("[[practice.indicators]]"), "{toml}");
    let file = c.dir.path().join("practica.toml");
    std::fs::write(&file, &toml).expect("write");
    let history = c.history_rows();
    let again = c.run(&["practice", "add", "--file", &file.to_string_lossy()]).ok();
    assert!(again.stdout.contains("0 creado(s), 0 actualizado(s)"), "{}", again.stdout);
    assert_eq!(c.history_rows(), history, "nothing written");
    let json = c.run(&["practice", "show", "bp-coneval-evaluacion-el-salvador", "--format", "json"]).ok().json();
    assert_eq!(json["practice"][0]["organisations"], serde_json::json!(["coneval", "amexcid"]));
}

const BAD: &str = r#"
[[practice]]
key = "bp-mala"
title = "Una práctica"
summary = "Algo que se hizo"
organisations = ["amexcid", "segeplan", "amexcid"]
activities = ["MX-NADA-2012-0001"]
mx_states = ["14"]
mx_municipalities = ["07089"]

[[practice.documents]]
url = "informe.pdf"

[[practice]]
key = "bp-sin-nada"
"#;

const GOOD: &str = r#"
[[practice]]
key = "bp-tapachula-salud"
title = { es = "Jornadas de salud en la frontera", en = "Health days on the border" }
organisations = ["mun-tapachula"]
summary = "Jornadas de salud con las comunidades guatemaltecas vecinas."
themes = ["120"]
forms = ["technical-assistance"]
activities = ["MX-CHIS-2012-0001"]

[[practice.indicators]]
name = "Personas atendidas"
value = 1500
year = 2012
"#;

#[test]
fn a_file_of_practices_is_taken_whole_or_not_at_all() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let bad = c.dir.path().join("malas.toml");
    std::fs::write(&bad, BAD).expect("write");
    let refused = c.run(&["practice", "add", "--file", &bad.to_string_lossy()]).failed();
    for needle in [
        "buena práctica bp-mala: organisations[2]: `amexcid`: valor repetido",
        "mx_municipalities[0]: `07089`: el municipio no pertenece a la entidad federativa 14",
        "documents[0].url: `informe.pdf`: formato inválido, se esperaba una dirección web que empiece con http:// o https://",
        "bp-sin-nada: title: campo obligatorio",
        "bp-sin-nada: organisations: se necesitan al menos 1",
        "no se escribió nada",
    ] {
        assert!(refused.stderr.contains(needle), "{needle}: {}", refused.stderr);
    }
    assert_eq!(listed(&c, &[]).len(), 6, "nothing stored");

    // The shape is right, the registry says no: a foreign government, an unknown activity.
    let refs = BAD.replace(r#", "amexcid"]"#, "]").replace(r#"mx_states = ["14"]"#, r#"mx_states = ["07"]"#);
    let refs = refs.replace("informe.pdf", "https://example.org/informe.pdf");
    let refs = &refs[..refs.find("[[practice]]\nkey = \"bp-sin-nada\"").unwrap_or(refs.len())];
    std::fs::write(&bad, refs).expect("write");
    let refused = c.run(&["--lang", "en", "practice", "add", "--file", &bad.to_string_lossy()]).failed();
    for needle in [
        "organisations[1]: `segeplan`: must be a federal, state or municipal government or body",
        "activities[0]: `MX-NADA-2012-0001`: there is no activity with that identifier",
    ] {
        assert!(refused.stderr.contains(needle), "{needle}: {}", refused.stderr);
    }

    let sheet = c.dir.path().join("practicas.csv");
    std::fs::write(&sheet, "key,title\n").expect("write");
    let refused = c.run(&["practice", "add", "--file", &sheet.to_string_lossy()]).failed();
    assert!(refused.stderr.contains("no desde una hoja de cálculo"), "{}", refused.stderr);

    let good = c.dir.path().join("tapachula.toml");
    std::fs::write(&good, GOOD).expect("write");
    let added = c.run(&["--lang", "en", "practice", "add", "--file", &good.to_string_lossy()]).ok();
    assert!(added.stdout.contains("1 created"), "{}", added.stdout);
    assert_eq!(listed(&c, &["--state", "07", "--level", "municipal"]), ["bp-tapachula-salud"]);
}
