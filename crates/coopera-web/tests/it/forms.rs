//! Forms: every problem next to its field in the user's language, nothing half-saved, and a
//! correct form saved with its history.

use super::*;

/// A correct new activity, as the form posts it.
fn activity(id: &str) -> Vec<(&'static str, String)> {
    [
        ("id", id),
        ("reporting_org", "amexcid"),
        ("title.es", "Taller de gestión integral del riesgo de desastres"),
        ("title.en", "Integrated disaster risk management workshop"),
        ("instrument", "action"),
        ("cooperation_type", "technical-scientific"),
        ("modality", "bilateral"),
        ("status", "2"),
        ("workflow", "draft"),
        ("south_south", "on"),
        ("participants[0].org", "cenapred"),
        ("participants[0].role", "provider"),
        ("participants[1].org", "gt-conred"),
        ("participants[1].role", "recipient"),
        ("sectors[0].code", "74020"),
        ("sectors[0].percentage", "60"),
        ("sectors[1].code", ""),
        ("sectors[1].percentage", ""),
        ("sectors[2].code", "15110"),
        ("sectors[2].percentage", "40"),
        ("countries[0].code", "gt"),
        ("countries[0].percentage", "100"),
        ("dates.planned_start", "2015-03-01"),
        ("dates.planned_end", "2015-03-05"),
        ("in_kind[0].unit", "expert-days"),
        ("in_kind[0].quantity", "10"),
        ("in_kind[0].unit_value", "3500"),
        ("in_kind[0].currency", "mxn"),
        ("save", "1"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

fn with(mut fields: Vec<(&'static str, String)>, changes: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    for (k, v) in changes {
        match fields.iter_mut().find(|(name, _)| name == k) {
            Some(f) => f.1 = (*v).to_owned(),
            None => fields.push((k, (*v).to_owned())),
        }
    }
    fields
}

async fn post(app: &Router, uri: &str, fields: &[(&'static str, String)]) -> Reply {
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    post_form(app, uri, &pairs).await
}

/// The `<div class="field…">` that holds the input with id `id`.
fn field_html<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("field {id} missing"));
    let start = html[..at].rfind("<div class=\"field").expect("field start");
    let end = at + html[at..].find("</div>").expect("field end");
    &html[start..end]
}

#[tokio::test]
async fn problems_are_shown_next_to_their_fields_and_nothing_is_saved() {
    let app = app();
    let id = "MX-AMEXCID-2015-0901";
    let wrong = with(activity(id), &[("sectors[0].code", "99999"), ("dates.planned_end", "2015-02-30")]);
    let r = post(&app, "/activities/new", &wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    let sector = field_html(&html, "f-sectors-0-code");
    assert!(sector.contains("aria-invalid=\"true\""), "{sector}");
    assert!(sector.contains("código desconocido en la lista `Sector`"), "{sector}");
    assert!(sector.contains("value=\"99999\""), "what was typed is kept");
    let end = field_html(&html, "f-dates-planned_end");
    assert!(end.contains("formato inválido, se esperaba una fecha AAAA-MM-DD"), "{end}");
    assert!(html.contains("href=\"#f-sectors-0-code\""), "the summary links to the field");
    // The empty middle row was dropped: the second sector is now row 1, as the problem paths say.
    assert!(field_html(&html, "f-sectors-1-code").contains("value=\"15110\""));
    assert_eq!(get(&app, &format!("/api/v1/activities/{id}")).await.status, StatusCode::NOT_FOUND, "nothing saved");

    let order = post(&app, "/activities/new", &with(activity(id), &[("dates.planned_end", "2015-02-01")])).await;
    assert_eq!(order.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_html(&order.text(), "f-dates-planned_end").contains("la fecha final es anterior a la inicial"));
    let en = post(&app, "/activities/new?lang=en", &with(activity(id), &[("sectors[2].percentage", "30")])).await;
    assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = en.text();
    let group = &html[html.find("id=\"sectors\"").expect("sectors")..];
    let group = &group[..group.find("</fieldset>").expect("end")];
    assert!(group.contains("the percentages of sectors in vocabulary 1"), "{group}");
    assert!(group.contains("add up to 90"), "{group}");
}

#[tokio::test]
async fn triangular_cooperation_needs_its_three_roles() {
    let app = app();
    let triangular = with(activity("MX-AMEXCID-2015-0902"), &[("modality", "triangular")]);
    let html = post(&app, "/activities/new", &triangular).await.text();
    assert!(html.contains("una cooperación triangular necesita un participante con el rol Primer oferente"), "{html}");
    assert!(!html.contains("first-provider</"), "no code where the Spanish name is meant");
    assert!(html.contains("data-triangular-hint"), "the roles are explained");
    let role = field_html(&html, "f-participants-0-role");
    assert!(role.contains("solo existen en la cooperación triangular") || !role.contains("aria-invalid"));
    let right = with(
        triangular,
        &[
            ("participants[0].role", "first-provider"),
            ("participants[2].org", "giz"),
            ("participants[2].role", "second-provider"),
        ],
    );
    let r = post(&app, "/activities/new", &right).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
}

#[tokio::test]
async fn a_correct_form_is_saved_whole_with_its_history() {
    let app = app();
    let id = "MX-AMEXCID-2015-0903";
    let r = post(&app, "/activities/new", &activity(id)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    assert_eq!(r.header(header::LOCATION), format!("/activities/{id}?saved=1"));
    let page = get_signed(&app, &format!("/activities/{id}?saved=1")).await.ok().text();
    assert!(page.contains("Actividad guardada."));
    assert!(page.contains("Taller de gestión integral del riesgo de desastres"));
    assert!(page.contains("<td>tester</td>"), "the history names the signed-in account as author");
    let saved = get_signed(&app, &format!("/api/v1/activities/{id}")).await.ok().json();
    let doc = &saved["document"];
    assert_eq!(doc["sectors"].as_array().map(Vec::len), Some(2));
    assert_eq!(doc["countries"][0]["code"], "GT");
    assert_eq!(doc["in_kind"][0]["currency"], "MXN");
    assert_eq!(saved["derived"]["direction"], "given");
    // The lists and the figures know it at once.
    let found = get_signed(&app, "/api/v1/activities?q=riesgo%20desastres%20taller&view=mine").await.ok().json();
    assert_eq!(found["items"][0]["id"], id);
    // Creating it again is refused at the identifier.
    let again = post(&app, "/activities/new", &activity(id)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(field_html(&again.text(), "f-id").contains("valor repetido"));
}

#[tokio::test]
async fn editing_keeps_what_the_form_does_not_show() {
    let app = app();
    let id = "MX-AMEXCID-2011-0018";
    let form = get_signed(&app, &format!("/activities/{id}/edit")).await.ok().text();
    assert!(form.contains("value=\"Laboratorio de Cohesión Social México–Unión Europea\""));
    assert!(form.contains("readonly"), "the identifier is fixed");
    assert!(form.contains("value=\"15110\""), "sectors are filled in");
    assert!(form.contains("<option value=\"ue\" selected>"), "participants too");
    // Post what the form holds, with a new English title.
    let fields = [
        ("reporting_org", "amexcid"),
        ("title.es", "Laboratorio de Cohesión Social México–Unión Europea"),
        ("title.en", "EU–Mexico Social Cohesion Laboratory"),
        ("instrument", "project"),
        ("cooperation_type", "technical-scientific"),
        ("modality", "bilateral"),
        ("status", "3"),
        ("workflow", "published"),
        ("default_currency", "EUR"),
        ("north_south", "on"),
        ("participants[0].org", "ue"),
        ("participants[0].role", "provider"),
        ("participants[1].org", "amexcid"),
        ("participants[1].role", "recipient"),
        ("participants[2].org", "sedesol"),
        ("participants[2].role", "recipient"),
        ("participants[3].org", "shcp"),
        ("participants[3].role", "recipient"),
        ("sectors[0].code", "15110"),
        ("sectors[0].percentage", "50"),
        ("sectors[1].code", "16010"),
        ("sectors[1].percentage", "50"),
        ("countries[0].code", "MX"),
        ("countries[0].percentage", "100"),
        ("dates.actual_start", "2011-07-01"),
        ("dates.planned_end", "2015-06-30"),
        ("save", "1"),
    ];
    let pairs: Vec<(&str, &str)> = fields.to_vec();
    let r = post_form(&app, &format!("/activities/{id}/edit"), &pairs).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let saved = get_signed(&app, &format!("/api/v1/activities/{id}")).await.ok().json();
    assert_eq!(saved["document"]["title"]["en"], "EU–Mexico Social Cohesion Laboratory");
    assert_eq!(saved["document"]["transactions"].as_array().map(Vec::len), Some(4), "transactions kept");
    assert_eq!(saved["document"]["budgets"].as_array().map(Vec::len), Some(4), "budgets kept");
    assert_eq!(saved["document"]["policy_markers"].as_array().map(Vec::len), Some(2), "markers kept");
    let page = get(&app, &format!("/activities/{id}")).await.ok().text();
    assert!(page.contains("<td>tester</td>") && page.contains("title"), "the change names its field");
}

#[tokio::test]
async fn without_javascript_a_row_is_added_by_the_server() {
    let app = app();
    let fields = with(activity("MX-AMEXCID-2015-0904"), &[("save", "")]);
    let mut fields: Vec<(&'static str, String)> = fields.into_iter().filter(|(k, _)| *k != "save").collect();
    fields.push(("add", "sectors".into()));
    let r = post(&app, "/activities/new", &fields).await.ok();
    let html = r.text();
    assert!(html.contains("id=\"f-sectors-3-code\""), "two sectors kept, two empty rows");
    assert!(!html.contains("error-summary"), "nothing was checked");
    assert_eq!(get(&app, "/api/v1/activities/MX-AMEXCID-2015-0904").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn identifiers_with_reserved_signs_work_in_addresses() {
    let app = app();
    let id = "XM-TEST/2015:01";
    let r = post(&app, "/activities/new", &with(activity(id), &[])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let location = r.header(header::LOCATION).to_owned();
    assert_eq!(location, "/activities/XM-TEST%2F2015%3A01?saved=1");
    let page = get_signed(&app, &location).await.ok().text();
    assert!(page.contains("XM-TEST/2015:01"));
    get_signed(&app, "/activities/XM-TEST%2F2015%3A01/edit").await.ok();
}

#[tokio::test]
async fn organisations_are_created_and_checked() {
    let app = app();
    let state_without_code = [
        ("key", "gob-campeche-prueba"),
        ("name.es", "Gobierno del Estado de Campeche (prueba)"),
        ("kind", "10"),
        ("level", "state"),
        ("country", "MX"),
        ("save", "1"),
    ];
    let r = post_form(&app, "/organisations/new", &state_without_code).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    let at = html.find("id=\"f-mx_state\"").expect("state field");
    let field = &html[html[..at].rfind("<div class=\"field").unwrap()..];
    assert!(
        field[..field.find("</div>").unwrap()].contains("un actor estatal o municipal necesita país MX"),
        "{field}"
    );
    let mut right = state_without_code.to_vec();
    right.push(("mx_state", "04"));
    let r = post_form(&app, "/organisations/new", &right).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.text());
    let page = get(&app, "/organisations/gob-campeche-prueba?saved=1").await.ok().text();
    assert!(page.contains("Organización guardada.") && page.contains("Campeche (prueba)"));
    let edit = get_signed(&app, "/organisations/gob-campeche-prueba/edit").await.ok().text();
    assert!(edit.contains("value=\"Gobierno del Estado de Campeche (prueba)\""));
}

/// The dashboard's version of the data (its `ETag`), which changes only when the views are
/// rebuilt.
async fn data_version(app: &Router) -> String {
    let r = get(app, "/").await;
    assert_eq!(r.status, StatusCode::OK);
    r.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).expect("the dashboard has an ETag").to_owned()
}

#[tokio::test]
async fn only_a_write_that_changes_the_registry_rebuilds_the_views() {
    let app = app();
    let id = "MX-AMEXCID-2015-0903";
    let before = data_version(&app).await;
    // Refused by the domain, by the store (an unknown organisation), and a duplicate key.
    for wrong in [
        with(activity(id), &[("title.es", ""), ("title.en", ""), ("sectors[0].code", "99999")]),
        with(activity(id), &[("participants[0].org", "no-such-org")]),
        with(activity("MX-AMEXCID-2010-0001"), &[]),
    ] {
        let r = post(&app, "/activities/new", &wrong).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(data_version(&app).await, before, "a refused write rebuilt the views");
    }
    let r = post(&app, "/activities/new", &activity(id)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let saved = data_version(&app).await;
    assert_ne!(saved, before, "a saved activity shows at once");
    // Saving the same activity unchanged writes nothing and rebuilds nothing.
    let r = post(&app, &format!("/activities/{id}/edit"), &activity(id)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(data_version(&app).await, saved, "an identical save rebuilt the views");
    // A browser holding the current page is told so without a body.
    let r = get_with(&app, "/", &[(header::IF_NONE_MATCH, &saved)]).await;
    assert_eq!(r.status, StatusCode::NOT_MODIFIED);
    assert!(r.bytes.is_empty());
}

/// The messages of a form page: the summary's items and each field's errors.
fn messages(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (open, close) in [("<li><a href=\"#", "</a>"), ("<p class=\"error\"", "</p>")] {
        let mut rest = html;
        while let Some(at) = rest.find(open) {
            let tail = &rest[at..];
            let end = tail.find(close).unwrap_or(tail.len());
            out.push(tail[..end].to_owned());
            rest = &tail[end..];
        }
    }
    out
}

/// Words of the code or of English that must not appear inside a Spanish message.
const NOT_SPANISH: &[&str] =
    &["organisation", "first-provider", "second-provider", "recipient", "did you mean", "unknown"];

#[tokio::test]
async fn every_problem_comes_in_the_first_answer() {
    let app = app();
    let id = "MX-AMEXCID-2015-0905";
    // An empty title, an unknown sector, sectors adding up to 90, a bad date, an end before
    // its start, an unknown organisation and an unknown status: one answer says it all.
    let wrong = with(
        activity(id),
        &[
            ("title.es", ""),
            ("title.en", ""),
            ("sectors[0].code", "41011"),
            ("sectors[2].percentage", "30"),
            ("dates.planned_start", "2015-13-01"),
            ("dates.actual_start", "2015-06-01"),
            ("dates.actual_end", "2015-05-01"),
            ("participants[1].org", "no-such-org"),
            ("status", "22"),
        ],
    );
    let r = post(&app, "/activities/new", &wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(field_html(&html, "f-title-es").contains("campo obligatorio"), "{html}");
    let sector = field_html(&html, "f-sectors-0-code");
    assert!(sector.contains("código desconocido"), "{sector}");
    assert!(sector.contains("«41010 — Política medioambiental y gestión administrativa»"), "code and name: {sector}");
    let group = &html[html.find("id=\"sectors\"").expect("sectors")..];
    assert!(group[..group.find("</fieldset>").expect("end")].contains("suman 90"), "the sum, despite the unknown code");
    assert!(field_html(&html, "f-dates-planned_start").contains("formato inválido"));
    assert!(field_html(&html, "f-dates-actual_end").contains("la fecha final es anterior a la inicial"));
    assert!(
        field_html(&html, "f-participants-1-org").contains("no existe una organización con esa clave"),
        "the store's check in the same answer"
    );
    let status = field_html(&html, "f-status");
    assert!(status.contains("«2 — En ejecución»"), "{status}");
    for m in messages(&html) {
        for word in NOT_SPANISH {
            assert!(!m.contains(word), "`{word}` in a Spanish message: {m}");
        }
    }
    assert_eq!(get(&app, &format!("/api/v1/activities/{id}")).await.status, StatusCode::NOT_FOUND, "nothing saved");

    // A stored identifier is refused in the same answer as the rest.
    let again = with(activity("MX-AMEXCID-2010-0001"), &[("sectors[0].code", "99999")]);
    let html = post(&app, "/activities/new", &again).await.text();
    assert!(field_html(&html, "f-id").contains("valor repetido"), "{html}");
    assert!(field_html(&html, "f-sectors-0-code").contains("código desconocido"), "{html}");

    // In English, the same problems in English.
    let en = post(&app, "/activities/new?lang=en", &wrong).await.text();
    assert!(field_html(&en, "f-participants-1-org").contains("there is no organisation with that key"), "{en}");
    assert!(field_html(&en, "f-status").contains("“2 — Implementation”"), "{en}");
}

#[tokio::test]
async fn the_organisation_form_says_everything_at_once() {
    let app = app();
    let wrong = [
        ("key", "amexcid"),
        ("name.es", ""),
        ("kind", "10"),
        ("level", "municipal"),
        ("country", "MX"),
        ("mx_state", "07"),
        ("parent", "no-such-org"),
        ("save", "1"),
    ];
    let r = post_form(&app, "/organisations/new", &wrong).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(field_html(&html, "f-key").contains("valor repetido"), "{html}");
    assert!(field_html(&html, "f-name-es").contains("campo obligatorio"), "{html}");
    assert!(field_html(&html, "f-mx_municipality").contains("un actor municipal necesita"), "{html}");
    assert!(field_html(&html, "f-parent").contains("no existe una organización con esa clave"), "{html}");
    for m in messages(&html) {
        for word in NOT_SPANISH {
            assert!(!m.contains(word), "`{word}` in a Spanish message: {m}");
        }
    }
}
