//! The spreadsheet layouts of the international action of states and municipalities: a sheet
//! `acciones`/`actions`, `acuerdos`/`agreements` and `membresías`/`memberships` (or a CSV file
//! of one, told apart by its `actor`, `parties` or `network` column), each row a document of
//! the file format (`ActionDoc`, `AgreementDoc`, `MembershipDoc`), read and placed by the
//! machinery of [`super`].

use std::collections::HashMap;

use coopera_domain::doc::{ActionDoc, AgreementDoc, CrossBorderDoc, MembershipDoc, TextDoc};
use coopera_store::Record;

use super::{Column, SheetKind, col, list, opt, opt_text, text};

const ACTIVITIES_ES: &str = "Identificadores de actividades vinculadas, separados por «;» (MX-CHIS-2012-0001)";
const ACTIVITIES_EN: &str = "Identifiers of linked activities, separated by `;` (MX-CHIS-2012-0001)";

/// The columns of an actions sheet, in the template's order.
pub const ACTION_COLUMNS: &[Column] = &[
    col(
        "key",
        "clave",
        true,
        "Clave única de la acción (oax-mision-guatemala)",
        "The action's unique key (oax-mision-guatemala)",
    ),
    col(
        "actor",
        "actor",
        true,
        "Clave del gobierno estatal o municipal que actúa (gob-oaxaca)",
        "Key of the state or municipal government that acts (gob-oaxaca)",
    ),
    col(
        "kind",
        "tipo",
        true,
        "office-abroad, investment-mission, trade-mission, tourism-mission, technical-mission, international-fair, international-meeting, agreement-signed, sister-city o migrant-services",
        "office-abroad, investment-mission, trade-mission, tourism-mission, technical-mission, international-fair, international-meeting, agreement-signed, sister-city or migrant-services",
    ),
    col(
        "date",
        "fecha",
        true,
        "Fecha de la acción o su primer día (2026-04-14)",
        "Date of the action, or its first day (2026-04-14)",
    ),
    col("end_date", "fecha_fin", false, "Su último día, si dura varios", "Its last day, when it lasts several"),
    col("country", "pais", false, "País de destino (ISO 3166-1, GT)", "Country of destination (ISO 3166-1, GT)"),
    col("city", "ciudad", false, "Ciudad de destino", "City of destination"),
    col("counterpart", "contraparte", false, "La contraparte en el exterior", "The counterpart abroad"),
    col("purpose_es", "proposito_es", true, "Para qué es la acción, en español", "What the action is for, in Spanish"),
    col("purpose_en", "proposito_en", false, "Para qué es la acción, en inglés", "What the action is for, in English"),
    col("outcome_es", "resultado_es", false, "Qué logró, en español", "What it achieved, in Spanish"),
    col("outcome_en", "resultado_en", false, "Qué logró, en inglés", "What it achieved, in English"),
    col("activities", "actividades", false, ACTIVITIES_ES, ACTIVITIES_EN),
    col(
        "border",
        "frontera",
        false,
        "Si atiende la agenda transfronteriza, su frontera: north o south",
        "When it serves the cross-border agenda, its border: north or south",
    ),
    col(
        "dimensions",
        "dimensiones",
        false,
        "Dimensiones de la agenda transfronteriza, separadas por «;»: migration, drug-trafficking, regional-public-goods, local-economic-development, labour-markets, portability-of-rights o integration; piden una frontera",
        "Dimensions of the cross-border agenda, separated by `;`: migration, drug-trafficking, regional-public-goods, local-economic-development, labour-markets, portability-of-rights or integration; they need a border",
    ),
];

/// The columns of an agreements sheet, in the template's order.
pub const AGREEMENT_COLUMNS: &[Column] = &[
    col(
        "key",
        "clave",
        true,
        "Clave única del acuerdo (acuerdo-tabasco-peten)",
        "The agreement's unique key (acuerdo-tabasco-peten)",
    ),
    col("title_es", "titulo_es", true, "Título en español", "Title in Spanish"),
    col("title_en", "titulo_en", false, "Título en inglés", "Title in English"),
    col(
        "parties",
        "partes",
        true,
        "Claves de las organizaciones que lo firman, al menos 2, separadas por «;» (gob-tabasco; gt-peten)",
        "Keys of the organisations that sign it, at least 2, separated by `;` (gob-tabasco; gt-peten)",
    ),
    col("signed", "firma", true, "Fecha de firma (2026-05-04)", "Date signed (2026-05-04)"),
    col(
        "valid_until",
        "vigente_hasta",
        false,
        "Fin de su vigencia; vacío si no tiene término",
        "End of its validity; empty when open-ended",
    ),
    col("scope_es", "ambito_es", false, "Lo que abarca, en español", "What it covers, in Spanish"),
    col("scope_en", "ambito_en", false, "Lo que abarca, en inglés", "What it covers, in English"),
    col(
        "registration_number",
        "numero_registro",
        false,
        "Número en el registro de acuerdos interinstitucionales de la SRE",
        "Number in the foreign ministry's registry of inter-institutional agreements",
    ),
    col("activities", "actividades", false, ACTIVITIES_ES, ACTIVITIES_EN),
];

/// The columns of a memberships sheet, in the template's order.
pub const MEMBERSHIP_COLUMNS: &[Column] = &[
    col(
        "key",
        "clave",
        true,
        "Clave única de la membresía (amaie-gob-tabasco)",
        "The membership's unique key (amaie-gob-tabasco)",
    ),
    col(
        "network",
        "red",
        true,
        "Clave de la organización que es la red (amaie)",
        "Key of the organisation that is the network (amaie)",
    ),
    col("member", "miembro", true, "Clave del miembro (gob-tabasco)", "Key of the member (gob-tabasco)"),
    col("since", "desde", false, "Desde cuándo es miembro (2026-01-15)", "When it joined (2026-01-15)"),
    col(
        "until",
        "hasta",
        false,
        "Hasta cuándo fue miembro; vacío si lo sigue siendo",
        "When it left; empty while it remains",
    ),
    col(
        "role",
        "papel",
        false,
        "Su papel en la red (coordinación, miembro…)",
        "Its role in the network (coordinator, member…)",
    ),
];

pub(super) const ACTION_EXAMPLE: &[&str] = &[
    "oax-mision-guatemala",
    "gob-oaxaca",
    "technical-mission",
    "2026-04-14",
    "2026-04-16",
    "GT",
    "Ciudad de Guatemala",
    "Ministerio de Cultura y Deportes",
    "Intercambio de prácticas de gestión del patrimonio cultural.",
    "Exchanging cultural heritage management practices.",
    "",
    "",
    "",
    "",
    "",
];

pub(super) const AGREEMENT_EXAMPLE: &[&str] = &[
    "acuerdo-tabasco-peten",
    "Acuerdo de cooperación sobre el manejo de la cuenca del Usumacinta",
    "Cooperation agreement on managing the Usumacinta basin",
    "gob-tabasco; gt-peten",
    "2026-05-04",
    "2030-05-03",
    "Protección civil y manejo de inundaciones.",
    "Civil protection and flood management.",
    "",
    "",
];

pub(super) const MEMBERSHIP_EXAMPLE: &[&str] =
    &["amaie-gob-tabasco", "amaie", "gob-tabasco", "2026-01-15", "", "miembro"];

pub(super) fn action(cell: &dyn Fn(&str) -> String) -> ActionDoc {
    ActionDoc {
        key: cell("key"),
        actor: cell("actor"),
        kind: cell("kind"),
        date: cell("date"),
        end_date: opt(cell("end_date")),
        country: opt(cell("country")),
        city: opt(cell("city")),
        counterpart: opt(cell("counterpart")),
        purpose: text(cell("purpose_es"), cell("purpose_en")),
        outcome: opt_text(cell("outcome_es"), cell("outcome_en")),
        activities: list(&cell("activities")),
        cross_border: cross_border(cell("border"), &cell("dimensions")),
        workflow: None,
    }
}

/// The cross-border tag of two cells: none when both are empty; dimensions without a border
/// are the document's problem to report (at the border's column).
fn cross_border(border: String, dimensions: &str) -> Option<CrossBorderDoc> {
    let dimensions = list(dimensions);
    (!border.is_empty() || !dimensions.is_empty()).then_some(CrossBorderDoc { border, dimensions })
}

pub(super) fn agreement(cell: &dyn Fn(&str) -> String) -> AgreementDoc {
    AgreementDoc {
        key: cell("key"),
        title: text(cell("title_es"), cell("title_en")),
        parties: list(&cell("parties")),
        signed: cell("signed"),
        valid_until: opt(cell("valid_until")),
        scope: opt_text(cell("scope_es"), cell("scope_en")),
        registration_number: opt(cell("registration_number")),
        activities: list(&cell("activities")),
        workflow: None,
    }
}

pub(super) fn membership(cell: &dyn Fn(&str) -> String) -> MembershipDoc {
    MembershipDoc {
        key: cell("key"),
        network: cell("network"),
        member: cell("member"),
        since: opt(cell("since")),
        until: opt(cell("until")),
        role: opt(cell("role")),
        workflow: None,
    }
}

/// A record's row in its sheet, in the columns' order: the inverse of [`action`],
/// [`agreement`] and [`membership`] (texts in their two columns, lists joined by `; `). Other
/// kinds have no row here.
pub(super) fn row(record: &Record) -> Option<(SheetKind, Vec<String>)> {
    let (kind, cells) = match record {
        Record::Action(a) => (SheetKind::Actions, action_cells(&ActionDoc::from_domain(a))),
        Record::Agreement(a) => (SheetKind::Agreements, agreement_cells(&AgreementDoc::from_domain(a))),
        Record::Membership(m) => (SheetKind::Memberships, membership_cells(&MembershipDoc::from_domain(m))),
        _ => return None,
    };
    let row = kind.columns().iter().map(|c| cells.get(c.name).cloned().unwrap_or_default()).collect();
    Some((kind, row))
}

type Cells = HashMap<&'static str, String>;

/// A text's Spanish and English columns (a text in one language only is the Spanish one).
fn text_cells(cells: &mut Cells, es: &'static str, en: &'static str, text: Option<&TextDoc>) {
    let (s, e) = match text {
        Some(TextDoc::Plain(s)) => (s.clone(), String::new()),
        Some(TextDoc::Langs(m)) => (m.get("es").cloned().unwrap_or_default(), m.get("en").cloned().unwrap_or_default()),
        None => (String::new(), String::new()),
    };
    cells.insert(es, s);
    cells.insert(en, e);
}

fn action_cells(d: &ActionDoc) -> Cells {
    let mut c: Cells = HashMap::new();
    c.insert("key", d.key.clone());
    c.insert("actor", d.actor.clone());
    c.insert("kind", d.kind.clone());
    c.insert("date", d.date.clone());
    c.insert("end_date", d.end_date.clone().unwrap_or_default());
    c.insert("country", d.country.clone().unwrap_or_default());
    c.insert("city", d.city.clone().unwrap_or_default());
    c.insert("counterpart", d.counterpart.clone().unwrap_or_default());
    text_cells(&mut c, "purpose_es", "purpose_en", Some(&d.purpose));
    text_cells(&mut c, "outcome_es", "outcome_en", d.outcome.as_ref());
    c.insert("activities", d.activities.join("; "));
    if let Some(cb) = &d.cross_border {
        c.insert("border", cb.border.clone());
        c.insert("dimensions", cb.dimensions.join("; "));
    }
    c
}

fn agreement_cells(d: &AgreementDoc) -> Cells {
    let mut c: Cells = HashMap::new();
    c.insert("key", d.key.clone());
    text_cells(&mut c, "title_es", "title_en", Some(&d.title));
    c.insert("parties", d.parties.join("; "));
    c.insert("signed", d.signed.clone());
    c.insert("valid_until", d.valid_until.clone().unwrap_or_default());
    text_cells(&mut c, "scope_es", "scope_en", d.scope.as_ref());
    c.insert("registration_number", d.registration_number.clone().unwrap_or_default());
    c.insert("activities", d.activities.join("; "));
    c
}

fn membership_cells(d: &MembershipDoc) -> Cells {
    let mut c: Cells = HashMap::new();
    c.insert("key", d.key.clone());
    c.insert("network", d.network.clone());
    c.insert("member", d.member.clone());
    c.insert("since", d.since.clone().unwrap_or_default());
    c.insert("until", d.until.clone().unwrap_or_default());
    c.insert("role", d.role.clone().unwrap_or_default());
    c
}

#[cfg(test)]
mod tests {
    use coopera_domain::Lang;
    use coopera_store::{Record, RecordKind};

    use super::super::{Book, Placed, SheetRecords, export, read, template};

    fn csv(text: &str) -> SheetRecords {
        read("registro.csv", text.as_bytes(), Book::Subnational)
    }

    /// Each problem as `row column: message`, in `lang`.
    fn placed(problems: &[Placed], lang: Lang) -> Vec<String> {
        problems.iter().map(|p| p.message(lang)).collect()
    }

    #[test]
    fn each_layout_reads_a_good_row_under_either_languages_headers() {
        let actions = csv(
            "clave,actor,tipo,fecha,fecha_fin,pais,ciudad,contraparte,proposito_es,proposito_en,resultado_es,actividades\n\
             oax-mision,gob-oaxaca,technical-mission,2026-04-14,2026-04-16,GT,Antigua,Mincultura,Patrimonio,Heritage,Un plan,MX-A-1; MX-A-2\n",
        );
        assert!(actions.problems.is_empty(), "{:?}", actions.problems);
        let Some((Record::Action(a), sheet, 2)) = actions.records.first() else { panic!("{:?}", actions.records) };
        let p = a.parts();
        assert_eq!((sheet.as_str(), p.actor.as_str(), p.kind.code()), ("", "gob-oaxaca", "technical-mission"));
        assert_eq!(p.country.map(|c| c.to_string()).as_deref(), Some("GT"));
        assert_eq!((p.purpose.best(Lang::En), p.outcome.best(Lang::Es)), ("Heritage", "Un plan"));
        assert_eq!(p.activities.len(), 2);
        let refs: Vec<_> = actions.references[0].2.iter().map(|r| r.key.as_str()).collect();
        assert_eq!(refs, ["gob-oaxaca", "MX-A-1", "MX-A-2"], "the records it names, to check");

        let agreements = csv("key,title_es,title_en,parties,signed,valid_until,scope_es,registration_number\n\
             acuerdo-x,Acuerdo,Agreement,gob-tabasco; gt-peten,2026-05-04,2030-05-03,Inundaciones,RAI-1\n");
        assert!(agreements.problems.is_empty(), "{:?}", agreements.problems);
        let Some((Record::Agreement(a), ..)) = agreements.records.first() else { panic!("{:?}", agreements.records) };
        assert_eq!(a.parts().parties.len(), 2);
        assert_eq!(a.parts().registration_number.as_deref(), Some("RAI-1"));

        let memberships = csv("red;miembro;clave;desde;papel\namaie;gob-tabasco;amaie-tab;2026-01-15;miembro\n");
        assert!(memberships.problems.is_empty(), "{:?}", memberships.problems);
        let Some((Record::Membership(m), ..)) = memberships.records.first() else {
            panic!("{:?}", memberships.records)
        };
        assert_eq!((m.parts().network.as_str(), m.parts().role.as_deref()), ("amaie", Some("miembro")));
    }

    #[test]
    fn a_bad_date_kind_or_country_is_placed_at_its_row_and_column() {
        let read = csv("clave,actor,tipo,pais,fecha,proposito_es\n\
             a-1,gob-oaxaca,technical-mission,GT,2026-04-14,Bien\n\
             a-2,gob-oaxaca,mision-tecnica,GT,2026-04-14,Tipo malo\n\
             a-3,gob-oaxaca,trade-mission,XX,2026-04-14,País malo\n\
             a-4,gob-oaxaca,trade-mission,US,2026-02-30,Fecha mala\n");
        assert_eq!(read.records.len(), 1, "{:?}", read.problems);
        let es = placed(&read.problems, Lang::Es);
        let en = placed(&read.problems, Lang::En);
        assert_eq!(es.len(), 3, "{es:?}");
        for (i, (es_start, en_start)) in [
            ("fila 3, columna C (tipo): `mision-tecnica`", "row 3, column C (tipo): `mision-tecnica`"),
            ("fila 4, columna D (pais): `XX`", "row 4, column D (pais): `XX`"),
            ("fila 5, columna E (fecha): `2026-02-30`", "row 5, column E (fecha): `2026-02-30`"),
        ]
        .into_iter()
        .enumerate()
        {
            assert!(es[i].starts_with(es_start), "{}", es[i]);
            assert!(en[i].starts_with(en_start), "{}", en[i]);
        }
        assert!(es[0].contains("technical-mission"), "the closest codes: {}", es[0]);

        let agreements = csv("key,title_es,parties,signed,valid_until\nx,Uno,gob-tabasco,2026-05-04,2020-01-01\n");
        let es = placed(&agreements.problems, Lang::Es);
        assert!(es.iter().any(|m| m.starts_with("fila 2, columna C (parties): se necesitan al menos 2")), "{es:?}");
        assert!(es.iter().any(|m| m.starts_with("fila 2, columna E (valid_until): ")), "before signed: {es:?}");
    }

    #[test]
    fn the_cross_border_columns_tag_an_action_and_a_bad_code_is_placed() {
        let read = csv("clave,actor,tipo,fecha,proposito_es,frontera,dimensiones\n\
             a-1,gob-chiapas,technical-mission,2026-04-14,Salud,south,migration; drug-trafficking\n\
             a-2,gob-chiapas,technical-mission,2026-04-14,Sin etiqueta,,\n\
             a-3,gob-chiapas,technical-mission,2026-04-14,Dimensión mala,south,migration; contrabando\n\
             a-4,gob-sonora,trade-mission,2026-04-14,Frontera mala,este,\n\
             a-5,gob-sonora,trade-mission,2026-04-14,Sin frontera,,integration\n");
        let tags: Vec<_> = read
            .records
            .iter()
            .map(|(r, ..)| match r {
                Record::Action(a) => a.parts().cross_border.clone(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(tags.len(), 2, "{:?}", read.problems);
        let tag = tags[0].clone().expect("tagged");
        assert_eq!((tag.border.code(), tag.dimensions.len()), ("south", 2));
        assert_eq!(tags[1], None, "empty cells are no tag");
        let es = placed(&read.problems, Lang::Es);
        let en = placed(&read.problems, Lang::En);
        assert_eq!(es.len(), 3, "{es:?}");
        assert!(es[0].starts_with("fila 4, columna G (dimensiones): cross_border.dimensions[1]"), "{}", es[0]);
        assert!(es[0].contains("`contrabando`"), "{}", es[0]);
        assert!(en[0].starts_with("row 4, column G (dimensiones)"), "{}", en[0]);
        assert!(es[1].starts_with("fila 5, columna F (frontera)"), "{}", es[1]);
        assert!(es[2].starts_with("fila 6, columna F (frontera)"), "dimensions need a border: {}", es[2]);
    }

    #[test]
    fn the_template_reads_back_as_its_examples_and_the_books_keep_apart() {
        for (lang, sheets) in
            [(Lang::Es, ["acciones", "acuerdos", "membresías"]), (Lang::En, ["actions", "agreements", "memberships"])]
        {
            let bytes = template(Book::Subnational, lang).expect("template");
            let back = read("plantilla.xlsx", &bytes, Book::Subnational);
            assert!(back.problems.is_empty(), "{:?}", back.problems);
            let kinds: Vec<_> = back.records.iter().map(|r| (r.0.kind(), r.1.as_str())).collect();
            assert_eq!(
                kinds,
                [
                    (RecordKind::Action, sheets[0]),
                    (RecordKind::Agreement, sheets[1]),
                    (RecordKind::Membership, sheets[2])
                ]
            );
            // The catalog's door reads none of it, and says which sheets it wanted.
            let catalog = read("plantilla.xlsx", &bytes, Book::Catalog);
            assert!(catalog.records.is_empty());
            let said = placed(&catalog.problems, lang).concat();
            assert!(said.contains(lang.pick("«capacidades» ni «demandas»", "`capacities` or `demands`")), "{said}");
        }
        let capacities = csv("key,title_es,institution,sectors,forms\ncap-1,Pesca,conapesca,31310,course\n");
        assert!(capacities.records.is_empty());
        assert_eq!(
            placed(&capacities.problems, Lang::En),
            [
                "row 1: the header is neither the actions' (with `actor`), the agreements' (with `parties`) nor the memberships' (with `network`); download the template"
            ]
        );
    }

    #[test]
    fn exported_records_read_back_as_they_are() {
        let actions = csv(
            "clave,actor,tipo,fecha,fecha_fin,pais,ciudad,contraparte,proposito_es,proposito_en,resultado_es,actividades,frontera,dimensiones\n\
             oax-mision,gob-oaxaca,technical-mission,2026-04-14,2026-04-16,GT,Antigua,Mincultura,Patrimonio,Heritage,Un plan,MX-A-1; MX-A-2,south,migration; integration\n\
             oax-feria,gob-oaxaca,international-fair,2026-05-02,,US,,,Mezcal,,,,,\n",
        );
        let agreements = csv("key,title_es,title_en,parties,signed,valid_until,scope_es,registration_number\n\
             acuerdo-x,Acuerdo,Agreement,gob-tabasco; gt-peten,2026-05-04,2030-05-03,Inundaciones,RAI-1\n");
        let memberships = csv("red;miembro;clave;desde;papel\namaie;gob-tabasco;amaie-tab;2026-01-15;miembro\n");
        let records: Vec<Record> = [actions, agreements, memberships]
            .into_iter()
            .flat_map(|read| {
                assert!(read.problems.is_empty(), "{:?}", read.problems);
                read.records.into_iter().map(|(r, ..)| r)
            })
            .collect();
        assert_eq!(records.len(), 4);
        for lang in [Lang::Es, Lang::En] {
            let bytes = export(&records, lang).expect("workbook");
            let back = read("registros.xlsx", &bytes, Book::Subnational);
            assert!(back.problems.is_empty(), "{:?}", back.problems);
            let again: Vec<Record> = back.records.into_iter().map(|(r, ..)| r).collect();
            assert_eq!(again, records, "in {lang:?}");
        }
    }
}
