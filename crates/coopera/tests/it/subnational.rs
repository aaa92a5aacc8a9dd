//! `coopera action|agreement|membership list|show|add`: the international action of states and
//! municipalities from the command line — the demo's records, a state's own, agreements in
//! force or expired on a fixed date, files taken whole or not at all, in both languages.

use std::collections::BTreeSet;

use super::*;

/// The keys of a `list --format json`, in order.
fn listed(c: &Coopera, args: &[&str]) -> Vec<String> {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    let rows = c.run(&all).ok().json();
    rows.as_array()
        .unwrap_or_else(|| panic!("not a list: {rows}"))
        .iter()
        .map(|r| r["key"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn set(keys: &[&str]) -> BTreeSet<String> {
    keys.iter().map(|k| (*k).to_owned()).collect()
}

#[test]
fn the_demo_actions_are_listed_by_state_kind_and_country() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let all = listed(&c, &["action", "list"]);
    assert_eq!(all.len(), c.store().actions().expect("actions").len(), "every action: {all:?}");

    // Chiapas (07): the state's secretariat and the municipality of Tapachula, no other state.
    let chiapas = listed(&c, &["action", "list", "--state", "07"]);
    assert!(chiapas.contains(&"chis-oficina-los-angeles".to_owned()), "{chiapas:?}");
    assert!(chiapas.contains(&"tapachula-hermanamiento".to_owned()), "its municipalities: {chiapas:?}");
    assert!(chiapas.iter().all(|k| k.starts_with("chis-") || k.starts_with("tapachula-")), "{chiapas:?}");
    let store = c.store();
    let in_chiapas = |actor: &str| {
        store.organisation(actor).expect("read").and_then(|o| o.mx_state()).is_some_and(|s| s.as_str() == "07")
    };
    let expected = store.actions().expect("actions").iter().filter(|a| in_chiapas(a.parts().actor.as_str())).count();
    assert_eq!(chiapas.len(), expected);
    assert_eq!(listed(&c, &["action", "list", "--state", "MX-CHP"]), chiapas, "the ISO code is the same state");

    let offices = listed(&c, &["action", "list", "--kind", "office-abroad", "--country", "US"]);
    assert_eq!(
        set(&offices.iter().map(String::as_str).collect::<Vec<_>>()),
        set(&["chis-oficina-los-angeles", "zac-oficina-los-angeles"])
    );

    let table = c.run(&["action", "list", "--state", "07"]).ok().stdout;
    assert!(table.contains("Oficina en el exterior") && table.contains("Ayuntamiento de Tapachula"), "{table}");
    let english = c.run(&["--lang", "en", "action", "list", "--kind", "office-abroad"]).ok().stdout;
    assert!(english.contains("Office abroad") && english.contains("Counterpart"), "{english}");

    let unknown = c.run(&["action", "list", "--kind", "ofice-abroad"]).failed();
    assert!(unknown.stderr.contains("--kind") && unknown.stderr.contains("office-abroad"), "{}", unknown.stderr);
    let missing = c.run(&["action", "show", "nada"]).failed();
    assert!(missing.stderr.contains("no existe la acción `nada` (`coopera action list`"), "{}", missing.stderr);
}

#[test]
fn agreements_are_in_force_or_expired_on_the_day_asked() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let on = ["--on", "2017-01-01"];
    let all = listed(&c, &["agreement", "list"]);
    let expired = listed(&c, &[&["agreement", "list", "--expired"][..], &on].concat());
    let in_force = listed(&c, &[&["agreement", "list", "--in-force"][..], &on].concat());
    // The Chiapas–Guatemala agreement ran to 2016-06-21, Campeche–Petén's to 2015-02-04.
    assert_eq!(
        set(&expired.iter().map(String::as_str).collect::<Vec<_>>()),
        set(&["acuerdo-chiapas-departamentos-gt", "acuerdo-campeche-peten"])
    );
    assert_eq!(expired.len() + in_force.len(), all.len(), "a split: {in_force:?}");
    assert!(in_force.contains(&"acuerdo-bc-california".to_owned()), "valid until 2018: {in_force:?}");
    assert!(in_force.contains(&"acuerdo-sonora-arizona".to_owned()), "no end is in force: {in_force:?}");

    // Before its signature an agreement is in force nowhere, nor expired.
    let early = listed(&c, &["agreement", "list", "--in-force", "--on", "2012-03-01"]);
    assert_eq!(early, ["acuerdo-qroo-belice"]);
    let rows = c.run(&["agreement", "list", "--on", "2012-03-01", "--format", "json"]).ok().json();
    let standing =
        |key: &str| rows.as_array().and_then(|r| r.iter().find(|r| r["key"] == key)).map(|r| r["standing"].clone());
    assert_eq!(standing("acuerdo-bc-california"), Some(serde_json::json!("Aún no vigente")));

    let chiapas = listed(&c, &["agreement", "list", "--state", "07"]);
    assert_eq!(chiapas, ["acuerdo-chiapas-departamentos-gt"]);
    let english = c.run(&["--lang", "en", "agreement", "list", "--state", "07", "--on", "2017-01-01"]).ok().stdout;
    assert!(english.contains("Standing on 2017-01-01") && english.contains("Expired"), "{english}");
    let bad_day = c.run(&["agreement", "list", "--on", "2017-02-30"]).failed();
    assert!(bad_day.stderr.contains("--on") && bad_day.stderr.contains("AAAA-MM-DD"), "{}", bad_day.stderr);
    let missing = c.run(&["--lang", "en", "agreement", "show", "nada"]).failed();
    assert!(missing.stderr.contains("there is no agreement `nada` (`coopera agreement list`"), "{}", missing.stderr);
}

#[test]
fn memberships_are_listed_by_network_and_member() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let amaie = listed(&c, &["membership", "list", "--network", "amaie"]);
    assert!(amaie.len() >= 10 && amaie.iter().all(|k| k.starts_with("amaie-")), "{amaie:?}");
    let chiapas = listed(&c, &["membership", "list", "--member", "gob-chiapas"]);
    assert_eq!(chiapas, ["conago-cai-gob-chiapas", "fidesur-gob-chiapas"]);
    let shown = c.run(&["--lang", "en", "membership", "show", "conago-cai-gob-chiapas"]).ok().stdout;
    assert!(shown.contains("Government of the State of Chiapas") && shown.contains("Current"), "{shown}");
    let unknown = c.run(&["membership", "list", "--network", "nada"]).failed();
    assert!(unknown.stderr.contains("no existe la organización `nada`"), "{}", unknown.stderr);
}

const GOOD: &str = r#"
[[action]]
key = "tapachula-mision-tecun-uman"
actor = "mun-tapachula"
kind = "technical-mission"
date = "2014-02-10"
country = "GT"
city = "Tecún Umán"
purpose = { es = "Coordinación del cruce fronterizo.", en = "Coordinating the border crossing." }

[[membership]]
key = "amaie-mun-tapachula"
network = "amaie"
member = "mun-tapachula"
since = "2012-01-01"
until = "2013-12-31"
"#;

const BAD: &str = r#"
[[action]]
key = "accion-mala"
actor = "gob-nada"
kind = "trade-mission"
date = "2014-02-10"
purpose = "Misión"

[[action]]
key = "accion-federal"
actor = "amexcid"
kind = "trade-mission"
date = "2014-02-10"
purpose = "Misión"

[[agreement]]
key = "acuerdo-solo"
title = "Acuerdo de una parte"
parties = ["gob-chiapas"]
signed = "2014-01-01"
"#;

#[test]
fn a_file_adds_records_whole_or_not_at_all() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let count = |c: &Coopera, kind: &str| listed(c, &[kind, "list"]).len();
    let before = (count(&c, "action"), count(&c, "agreement"), count(&c, "membership"));

    let bad = c.dir.path().join("malo.toml");
    std::fs::write(&bad, BAD).expect("write");
    let refused = c.run(&["action", "add", "--file", &bad.to_string_lossy()]).failed();
    for needle in [
        "malo.toml:4:9: acción internacional accion-mala: actor: `gob-nada`: no existe una organización",
        "actor: `amexcid`: debe ser un gobierno estatal o municipal",
        "acuerdo-solo: parties: se necesitan al menos 2",
        "3 problema(s); no se escribió nada",
    ] {
        assert!(refused.stderr.contains(needle), "{needle}: {}", refused.stderr);
    }
    assert_eq!((count(&c, "action"), count(&c, "agreement"), count(&c, "membership")), before, "nothing stored");

    let good = c.dir.path().join("tapachula.toml");
    std::fs::write(&good, GOOD).expect("write");
    let added = c.run(&["--lang", "en", "membership", "add", "--file", &good.to_string_lossy()]).ok();
    assert!(added.stdout.contains("2 created"), "{}", added.stdout);
    assert!(listed(&c, &["action", "list", "--state", "07"]).contains(&"tapachula-mision-tecun-uman".to_owned()));
    let rows = c.run(&["membership", "list", "--member", "mun-tapachula", "--on", "2014-01-01", "--format", "json"]);
    assert_eq!(rows.ok().json()[0]["standing"], "Concluida", "past its end");

    // What `show` prints in JSON or TOML is a file that adds the same record back.
    for (kind, key, format) in [
        ("action", "tapachula-mision-tecun-uman", "json"),
        ("agreement", "acuerdo-chiapas-departamentos-gt", "toml"),
        ("membership", "amaie-mun-tapachula", "json"),
    ] {
        let shown = c.run(&[kind, "show", key, "--format", format]).ok().stdout;
        let file = c.dir.path().join(format!("{key}.{format}"));
        std::fs::write(&file, &shown).expect("write");
        let again = c.run(&[kind, "add", "--file", &file.to_string_lossy()]).ok();
        assert!(again.stdout.contains("0 creado(s), 0 actualizado(s), 1 sin cambios"), "{kind}: {}", again.stdout);
    }
    let json = c.run(&["action", "show", "tapachula-mision-tecun-uman", "--format", "json"]).ok().json();
    assert_eq!(json["action"][0]["city"], "Tecún Umán");
}

#[test]
fn records_enter_as_drafts_and_move_one_step_at_a_time() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let good = c.dir.path().join("tapachula.toml");
    std::fs::write(&good, GOOD).expect("write");
    let added = c.run(&["action", "add", "--file", &good.to_string_lossy()]).ok();
    assert!(added.stdout.contains("2 registros como borrador"), "{}", added.stdout);
    let state = |c: &Coopera| {
        let shown = c.run(&["action", "show", "tapachula-mision-tecun-uman", "--format", "json"]).ok().json();
        shown["action"][0]["workflow"].as_str().unwrap_or_default().to_owned()
    };
    assert_eq!(state(&c), "draft");

    let key = "tapachula-mision-tecun-uman";
    let skipped = c.run(&["action", "transition", key, "--to", "published"]).failed();
    assert!(
        skipped.stderr.contains("la acción internacional `tapachula-mision-tecun-uman` está en «Borrador» y no puede pasar a «Publicado»: su siguiente paso es --to submitted"),
        "{}",
        skipped.stderr
    );
    for to in ["submitted", "validated", "published"] {
        c.run(&["action", "transition", key, "--to", to]).ok();
    }
    assert_eq!(state(&c), "published");
    // Added again, changed, with --update: the record keeps its state.
    let changed = GOOD.replace("Tecún Umán", "Ciudad Hidalgo");
    std::fs::write(&good, changed).expect("write");
    c.run(&["action", "add", "--file", &good.to_string_lossy(), "--update"]).ok();
    assert_eq!(state(&c), "published");
    let back = c.run(&["--lang", "en", "action", "transition", key, "--to", "draft"]).failed();
    assert!(back.stderr.contains("going back to draft needs a reason"), "{}", back.stderr);
    c.run(&["action", "transition", key, "--to", "draft", "--reason", "la ciudad cambió"]).ok();
    assert_eq!(state(&c), "draft");
    let unknown = c.run(&["--lang", "en", "practice", "transition", "no-such", "--to", "submitted"]).failed();
    assert!(unknown.stderr.contains("there is no good practice `no-such`"), "{}", unknown.stderr);

    // With --publish, new records are public at once.
    let other = c.dir.path().join("otra.toml");
    std::fs::write(
        &other,
        GOOD.replace("tapachula-mision-tecun-uman", "tapachula-mision-2")
            .replace("amaie-mun-tapachula", "amaie-mun-tapachula-2"),
    )
    .expect("write");
    let published = c.run(&["--lang", "en", "action", "add", "--file", &other.to_string_lossy(), "--publish"]).ok();
    assert!(published.stdout.contains("2 records published (--publish)"), "{}", published.stdout);
}

/// The keys `action list`, `agreement list` and `membership list` give, together.
fn everything(c: &Coopera) -> BTreeSet<String> {
    ["action", "agreement", "membership"].iter().flat_map(|kind| listed(c, &[kind, "list"])).collect()
}

#[test]
fn a_spreadsheet_goes_in_whole_or_its_cells_are_named() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let file = |name: &str, text: &str| {
        let path = c.dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        path.to_string_lossy().into_owned()
    };
    let before = everything(&c);

    // An actor that does not exist: the store's answer, at its row and column.
    let unknown = file(
        "desconocido.csv",
        "clave,actor,tipo,fecha,pais,proposito_es\n\
         csv-ok,gob-oaxaca,trade-mission,2026-04-14,US,Bien\n\
         csv-nadie,gob-nada,trade-mission,2026-04-14,US,Nadie\n",
    );
    let refused = c.run(&["action", "add", "--file", &unknown]).failed();
    assert!(
        refused.stderr.contains("desconocido.csv, fila 3, columna B (actor): `gob-nada`: no existe"),
        "{}",
        refused.stderr
    );
    assert!(refused.stderr.contains("1 problema(s); no se escribió nada"), "{}", refused.stderr);

    // A bad country code, and in the same answer an actor that is no state or municipal
    // government, in English.
    let country = file(
        "country.csv",
        "key,actor,kind,country,date,purpose_es\n\
         csv-ok,gob-oaxaca,trade-mission,US,2026-04-14,Bien\n\
         csv-xx,gob-oaxaca,trade-mission,XX,2026-04-14,País\n\
         csv-federal,amexcid,trade-mission,US,2026-04-14,Federal\n",
    );
    let refused = c.run(&["--lang", "en", "agreement", "add", "--file", &country]).failed();
    for needle in [
        "country.csv, row 3, column D (country): `XX`: unknown code",
        "country.csv, row 4, column B (actor): `amexcid`: ",
        "2 problem(s); nothing was written",
    ] {
        assert!(refused.stderr.contains(needle), "{needle}: {}", refused.stderr);
    }
    assert_eq!(everything(&c), before, "nothing stored");

    let good = file(
        "acciones.csv",
        "clave;actor;tipo;fecha;fecha_fin;pais;ciudad;proposito_es;proposito_en;actividades\n\
         oax-feria-berlin;gob-oaxaca;international-fair;2026-03-04;2026-03-08;DE;Berlín;Promoción turística;Tourism;\n\
         tapachula-mision-quetzaltenango;mun-tapachula;technical-mission;2026-05-11;;GT;Quetzaltenango;Agua potable;;MX-CHIS-2012-0001\n",
    );
    let added = c.run(&["action", "add", "--file", &good]).ok();
    assert!(added.stdout.contains("acciones.csv: 2 creado(s), 0 actualizado(s), 0 sin cambios"), "{}", added.stdout);
    let chiapas = listed(&c, &["action", "list", "--state", "07"]);
    assert!(chiapas.contains(&"tapachula-mision-quetzaltenango".to_owned()), "{chiapas:?}");
    let shown = c.run(&["action", "show", "oax-feria-berlin", "--format", "json"]).ok().json();
    assert_eq!(shown["action"][0]["end_date"], "2026-03-08");

    // The same file again changes nothing; another content of a key needs --update.
    let again = c.run(&["action", "add", "--file", &good]).ok();
    assert!(again.stdout.contains("0 creado(s), 0 actualizado(s), 2 sin cambios"), "{}", again.stdout);
    let changed = file(
        "cambio.csv",
        "clave,actor,tipo,fecha,proposito_es\noax-feria-berlin,gob-oaxaca,international-fair,2026-03-05,Otra\n",
    );
    let refused = c.run(&["action", "add", "--file", &changed]).failed();
    assert!(refused.stderr.contains("cambio.csv, fila 2"), "{}", refused.stderr);
    c.run(&["action", "add", "--file", &changed, "--update"]).ok();
}

#[test]
fn a_workbook_of_the_three_kinds_goes_in_whole_and_so_does_the_template() {
    use rust_xlsxwriter::Workbook;
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let before = everything(&c);
    let rows: [(&str, &[&[&str]]); 3] = [
        (
            "Actions",
            &[
                &["key", "actor", "kind", "date", "country", "purpose_es", "purpose_en"],
                &[
                    "jal-mision-corea",
                    "gob-jalisco",
                    "investment-mission",
                    "2026-06-01",
                    "KR",
                    "Inversión",
                    "Investment",
                ],
                &["merida-feria-cuba", "mun-merida", "international-fair", "2026-06-10", "CU", "Feria", ""],
            ],
        ),
        (
            "acuerdos",
            &[
                &["clave", "titulo_es", "partes", "firma", "vigente_hasta"],
                &[
                    "acuerdo-jalisco-sv-turismo",
                    "Acuerdo de turismo Jalisco–El Salvador",
                    "gob-jalisco; sv-rree",
                    "2026-06-02",
                    "2029-06-01",
                ],
            ],
        ),
        (
            "memberships",
            &[
                &["key", "network", "member", "since", "role"],
                &["amaie-mun-merida", "amaie", "mun-merida", "2026-01-01", "member"],
            ],
        ),
    ];
    let mut book = Workbook::new();
    for (name, grid) in rows {
        let sheet = book.add_worksheet();
        sheet.set_name(name).expect("name");
        for (r, row) in grid.iter().enumerate() {
            for (col, value) in row.iter().enumerate() {
                let (r, col) = (u32::try_from(r).expect("row"), u16::try_from(col).expect("column"));
                sheet.write_string(r, col, *value).expect("cell");
            }
        }
    }
    let path = c.dir.path().join("registro.xlsx");
    book.save(&path).expect("save");
    let added = c.run(&["--lang", "en", "membership", "add", "--file", &path.to_string_lossy()]).ok();
    assert!(added.stdout.contains("4 created"), "{}", added.stdout);
    let new: Vec<String> = everything(&c).difference(&before).cloned().collect();
    assert_eq!(new, ["acuerdo-jalisco-sv-turismo", "amaie-mun-merida", "jal-mision-corea", "merida-feria-cuba"]);

    // The template, in either language, is the layout `add` takes: its examples go in.
    let template = c.dir.path().join("plantilla.xlsx");
    let written = c.run(&["action", "template", "--out", &template.to_string_lossy()]).ok();
    assert!(written.stdout.contains("plantilla.xlsx"), "{}", written.stdout);
    let book: calamine::Xlsx<_> = calamine::open_workbook(&template).expect("a workbook");
    assert_eq!(calamine::Reader::sheet_names(&book), ["acciones", "acuerdos", "membresías", "instrucciones"]);
    let added = c.run(&["action", "add", "--file", &template.to_string_lossy()]).ok();
    assert!(added.stdout.contains("3 creado(s)"), "{}", added.stdout);
    assert_eq!(everything(&c).len(), before.len() + 7);
    let english = c.dir.path().join("template.xlsx");
    c.run(&["--lang", "en", "action", "template", "--out", &english.to_string_lossy()]).ok();
    let again = c.run(&["agreement", "add", "--file", &english.to_string_lossy()]).ok();
    assert!(again.stdout.contains("0 creado(s), 0 actualizado(s), 3 sin cambios"), "{}", again.stdout);
}

#[test]
fn the_records_export_in_the_templates_layout_and_come_back_unchanged() {
    let c = Coopera::new();
    c.run(&["demo"]).ok();
    let chiapas = c.dir.path().join("chiapas.xlsx");
    let written = c.run(&["action", "export", "--state", "07", "--out", &chiapas.to_string_lossy()]).ok();
    assert!(written.stdout.contains("chiapas.xlsx"), "{}", written.stdout);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&chiapas).expect("a workbook");
    assert_eq!(calamine::Reader::sheet_names(&book), ["acciones", "acuerdos", "membresías", "instrucciones"]);
    let actions = calamine::Reader::worksheet_range(&mut book, "acciones").expect("actions");
    // The header and Chiapas's 9 actions, Tapachula's and the one awaiting validation included.
    assert_eq!(actions.height(), 10);
    // Taken back with --update, nothing changes: every record is as it is stored, in its
    // workflow state.
    let back = c.run(&["action", "add", "--file", &chiapas.to_string_lossy(), "--update"]).ok();
    assert!(back.stdout.contains("0 creado(s), 0 actualizado(s), 13 sin cambios"), "{}", back.stdout);
    let all = c.dir.path().join("all.xlsx");
    c.run(&["--lang", "en", "action", "export", "--out", &all.to_string_lossy()]).ok();
    let book: calamine::Xlsx<_> = calamine::open_workbook(&all).expect("a workbook");
    assert_eq!(calamine::Reader::sheet_names(&book), ["actions", "agreements", "memberships", "instructions"]);
    let refused = c.run(&["action", "export", "--state", "99", "--out", &all.to_string_lossy()]).failed();
    assert!(refused.stderr.contains("--state"), "{}", refused.stderr);
}
