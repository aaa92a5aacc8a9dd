//! Capacities and demands from a spreadsheet on the web: the template downloads as a real
//! workbook in the page's language; an upload goes in whole, or answers every problem at its
//! sheet, row and column and stores nothing; those who may not add records are refused, and
//! rows outside an editor's reach are named; an empty, unknown or too large file is told so.

use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;
use coopera_import::sheets;
use coopera_store::{AuditEvent, HistoryFilter, RecordKind, Who};

use super::*;

const PASSWORD: &str = "contraseña-de-demo";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/// The upload's limit, as the page states it.
const UPLOAD_LIMIT: usize = 4 * 1024 * 1024;

/// Two capacities of CONAFOR's, by the Spanish column names.
const GOOD: &str = "clave,titulo_es,institucion,sectores,modalidades\n\
                    cap-hoja-1,Viveros forestales comunitarios,conafor,31220,course\n\
                    cap-hoja-2,Brigadas contra incendios forestales,conafor,31220:60; 41030:40,technical-assistance; course\n";

/// A form that is no form (row 3) and an institution that does not exist (row 4).
const BAD: &str = "clave,titulo_es,institucion,sectores,modalidades\n\
                   cap-hoja-1,Viveros forestales comunitarios,conafor,31220,course\n\
                   cap-hoja-2,Brigadas contra incendios,conafor,31220,curso\n\
                   cap-hoja-3,Otra,institucion-que-no-existe,31220,course\n";

/// The demo registry, the tests' administrator, and an editor of CONAFOR and a viewer.
fn registry() -> (Router, AppState) {
    let store = demo_store();
    for (name, role, scope) in
        [("editor-conafor", AccountRole::Editor, "org:conafor"), ("consulta", AccountRole::Viewer, "all")]
    {
        let scope = Scope::parse(scope).expect("scope");
        store.add_account(Who::local("test"), name, role, &scope, PASSWORD).expect("account");
    }
    let state = AppState::from_store(store, Options::default()).expect("state");
    (coopera_web::app(state.clone()), state)
}

/// What the import form sends: its fields (the token first, as the page orders them) and a
/// file, as a browser encodes them.
struct Upload<'a> {
    csrf: Option<&'a str>,
    file: Option<(&'a str, &'a [u8])>,
    update: bool,
}

impl<'a> Upload<'a> {
    fn file(browser: &'a Browser, name: &'a str, bytes: &'a [u8]) -> Upload<'a> {
        Upload { csrf: Some(&browser.csrf), file: Some((name, bytes)), update: false }
    }

    fn body(&self) -> Vec<u8> {
        const B: &str = "----coopera-test-boundary";
        let mut out = Vec::new();
        let mut part = |headers: String, value: &[u8]| {
            out.extend_from_slice(format!("--{B}\r\n{headers}\r\n\r\n").as_bytes());
            out.extend_from_slice(value);
            out.extend_from_slice(b"\r\n");
        };
        if let Some(t) = self.csrf {
            part("Content-Disposition: form-data; name=\"csrf_token\"".to_owned(), t.as_bytes());
        }
        match self.file {
            Some((name, bytes)) => part(
                format!(
                    "Content-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream"
                ),
                bytes,
            ),
            // A browser sends a file field left empty with no name and no bytes.
            None => part(
                "Content-Disposition: form-data; name=\"file\"; filename=\"\"\r\nContent-Type: application/octet-stream"
                    .to_owned(),
                b"",
            ),
        }
        if self.update {
            part("Content-Disposition: form-data; name=\"update\"".to_owned(), b"1");
        }
        out.extend_from_slice(format!("--{B}--\r\n").as_bytes());
        out
    }
}

async fn upload(app: &Router, browser: Option<&Browser>, form: &Upload<'_>, lang: &str) -> Reply {
    let mut req = Request::post("/catalog/import")
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=----coopera-test-boundary")
        .header(header::ACCEPT_LANGUAGE, lang);
    if let Some(b) = browser {
        req = req.header(header::COOKIE, &b.cookie);
    }
    send(app, req.body(Body::from(form.body())).expect("request")).await
}

fn capacities(state: &AppState) -> usize {
    state.store().capacities().expect("capacities").len()
}

#[tokio::test]
async fn the_template_downloads_as_a_workbook_in_the_pages_language() {
    let app = app();
    for (uri, file, sheet) in [
        ("/catalog/template.xlsx", "plantilla-catalogo.xlsx", "capacidades"),
        ("/catalog/template.xlsx?lang=en", "catalog-template.xlsx", "capacities"),
    ] {
        let r = get(&app, uri).await.ok();
        assert_eq!(r.header(header::CONTENT_TYPE), XLSX, "{uri}");
        assert_eq!(r.header(header::CONTENT_DISPOSITION), format!("attachment; filename=\"{file}\""));
        assert!(r.bytes.starts_with(b"PK\x03\x04"), "a zip, as every XLSX workbook is");
        let book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(r.bytes.clone())).expect("a workbook");
        assert_eq!(calamine::Reader::sheet_names(&book).first().map(String::as_str), Some(sheet), "{uri}");
        // The import reads it back: its example capacity and demand, without a problem.
        let read = sheets::read(file, &r.bytes, sheets::Book::Catalog);
        assert!(read.problems.is_empty(), "{:?}", read.problems);
        let kinds: Vec<RecordKind> = read.records.iter().map(|r| r.0.kind()).collect();
        assert_eq!(kinds, [RecordKind::Capacity, RecordKind::Demand]);
    }
}

#[tokio::test]
async fn the_catalog_pages_link_the_upload_and_the_template_for_who_may_add() {
    let (app, _) = registry();
    let public = get(&app, "/catalog").await.ok().text();
    assert!(!public.contains("/catalog/import") && !public.contains("/catalog/template.xlsx"));
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    for page in ["/catalog", "/catalog/demands", "/catalog/capacities/new", "/catalog/demands/new"] {
        let html = get_as(&app, &admin, page).await.ok().text();
        assert!(html.contains("<a href=\"/catalog/import\">Importar desde una hoja de cálculo</a>"), "{page}");
        assert!(html.contains("<a href=\"/catalog/template.xlsx?lang=es\">"), "{page}");
    }
    let edit = get_as(&app, &admin, "/catalog/capacities/cap-pago-servicios-ambientales/edit").await.ok().text();
    assert!(!edit.contains("data-bulk"), "an edit is of one record");
    // An editor adds capacities, not demands; a viewer adds nothing.
    let editor = sign_in(&app, "editor-conafor", PASSWORD).await;
    assert!(get_as(&app, &editor, "/catalog").await.ok().text().contains("/catalog/import"));
    assert!(!get_as(&app, &editor, "/catalog/demands").await.ok().text().contains("/catalog/import"));
    let viewer = sign_in(&app, "consulta", PASSWORD).await;
    assert!(!get_as(&app, &viewer, "/catalog").await.ok().text().contains("/catalog/import"));
}

#[tokio::test]
async fn a_good_csv_is_imported_whole_and_marked_as_an_import() {
    let (app, state) = registry();
    let before = capacities(&state);
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let page = get_as(&app, &admin, "/catalog/import").await.ok().text();
    assert!(page.contains("enctype=\"multipart/form-data\"") && page.contains("type=\"file\""));
    assert!(page.contains("href=\"/catalog/template.xlsx?lang=es\""), "the template is at hand");
    let r = upload(&app, Some(&admin), &Upload::file(&admin, "capacidades.csv", GOOD.as_bytes()), "es").await;
    let html = r.ok().text();
    assert!(
        html.contains("capacidades.csv: capacidades: 2 creada(s), 0 actualizada(s), 0 sin cambios"),
        "the summary: {html}"
    );
    assert!(html.contains("<a href=\"/catalog/capacities/cap-hoja-2\">Brigadas contra incendios forestales</a>"));
    assert!(html.contains("<a href=\"/catalog\">Ver el catálogo</a>"));
    assert_eq!(capacities(&state), before + 2);
    let filter = HistoryFilter { kind: Some(RecordKind::Capacity), key: Some("cap-hoja-2".to_owned()), limit: None };
    let changes = state.store().history(&filter).expect("history");
    assert_eq!(changes.len(), 1);
    assert_eq!((changes[0].author.as_str(), changes[0].event), ("tester", AuditEvent::Import));
    let catalog = get_as(&app, &admin, "/catalog").await.ok().text();
    assert!(catalog.contains("/catalog/capacities/cap-hoja-1"), "the views follow");

    // The same again changes nothing; a changed row is refused unless updating is asked for.
    let again = upload(&app, Some(&admin), &Upload::file(&admin, "capacidades.csv", GOOD.as_bytes()), "es").await;
    assert!(again.ok().text().contains("0 creada(s), 0 actualizada(s), 2 sin cambios"));
    let changed = GOOD.replace("Viveros forestales comunitarios", "Viveros comunitarios");
    let mut form = Upload::file(&admin, "capacidades.csv", changed.as_bytes());
    let refused = upload(&app, Some(&admin), &form, "es").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("fila 2, columna A (clave): `cap-hoja-1`: ya existe un registro con esta clave"), "{html}");
    assert!(html.contains("fila 2, columna B (titulo_es): title.es: guardado «Viveros forestales comunitarios»"));
    form.update = true;
    let updated = upload(&app, Some(&admin), &form, "en").await.ok().text();
    assert!(updated.contains("capacities: 0 created, 1 updated, 1 unchanged"), "{updated}");
    let stored = state.store().capacity("cap-hoja-1").expect("read").expect("stored");
    assert_eq!(stored.parts().title.best(coopera_domain::Lang::Es), "Viveros comunitarios");
}

#[tokio::test]
async fn a_workbook_adds_capacities_and_demands_in_one_batch() {
    let (app, state) = registry();
    let before = (capacities(&state), state.store().demands().expect("demands").len());
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let template = get(&app, "/catalog/template.xlsx?lang=en").await.ok().bytes;
    let r = upload(&app, Some(&admin), &Upload::file(&admin, "catalog-template.xlsx", &template), "en").await;
    let html = r.ok().text();
    assert!(html.contains("capacities: 1 created, 0 updated, 0 unchanged; demands: 1 created"), "{html}");
    assert!(html.contains("<a href=\"/catalog/demands/sol-gt-pesca\">"), "{html}");
    assert!(html.contains("<a href=\"/catalog/demands\">See the demands</a>"));
    assert_eq!((capacities(&state), state.store().demands().expect("demands").len()), (before.0 + 1, before.1 + 1));
}

#[tokio::test]
async fn a_malformed_csv_answers_each_row_and_column_and_stores_nothing() {
    let (app, state) = registry();
    let before = capacities(&state);
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let r = upload(&app, Some(&admin), &Upload::file(&admin, "capacidades.csv", BAD.as_bytes()), "es").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text();
    assert!(html.contains("capacidades.csv: 2 problema(s); no se guardó nada"), "{html}");
    assert!(html.contains("fila 3, columna E (modalidades): forms[0]"), "the cell: {html}");
    assert!(html.contains("fila 4, columna C (institucion)"), "the reference, in the same answer: {html}");
    assert!(html.contains("type=\"file\""), "the form again, to send it corrected");
    assert_eq!(capacities(&state), before, "nothing stored, not even the good row");
    assert!(state.store().capacity("cap-hoja-1").expect("read").is_none());

    let en = upload(&app, Some(&admin), &Upload::file(&admin, "capacities.csv", BAD.as_bytes()), "en").await;
    assert_eq!(en.status, StatusCode::UNPROCESSABLE_ENTITY);
    let html = en.text();
    assert!(html.contains("capacities.csv: 2 problem(s); nothing was saved"), "{html}");
    assert!(html.contains("row 3, column E (modalidades)"), "{html}");
}

#[tokio::test]
async fn an_empty_unknown_or_too_large_file_is_told_so() {
    let (app, state) = registry();
    let before = capacities(&state);
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let none = Upload { csrf: Some(&admin.csrf), file: None, update: false };
    for (form, expected) in [
        (none, "no se envió ningún archivo"),
        (Upload::file(&admin, "notas.txt", b"clave\n"), "«notas.txt» no es un archivo .csv ni .xlsx"),
        (Upload::file(&admin, "vacio.csv", b""), "el archivo «vacio.csv» está vacío"),
        (
            Upload::file(&admin, "solo-encabezado.csv", GOOD.lines().next().unwrap_or("").as_bytes()),
            "el archivo no tiene filas que importar",
        ),
        (Upload::file(&admin, "otra-cosa.csv", b"a,b\n1,2\n"), "el encabezado no es el de capacidades"),
        (Upload::file(&admin, "roto.xlsx", b"PK\x03\x04 no es un libro"), "no se puede leer"),
    ] {
        let r = upload(&app, Some(&admin), &form, "es").await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{expected}");
        assert!(r.text().contains(expected), "{expected}: {}", r.text());
    }
    // A form posted without its file's encoding (a hand-made post) is told how to send it.
    let r = post_as(&app, Some(&admin), "/catalog/import", &[("file", "capacidades.csv")]).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.text().contains("envíelo con el formulario de importación"), "{}", r.text());
    let big = vec![b'x'; UPLOAD_LIMIT + 1];
    let r = upload(&app, Some(&admin), &Upload::file(&admin, "grande.csv", &big), "es").await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(r.text().contains("el archivo pasa del límite de 4 MiB"), "{}", r.text());
    assert_eq!(capacities(&state), before);
}

#[tokio::test]
async fn who_may_not_add_records_is_refused_and_rows_out_of_reach_are_named() {
    let (app, state) = registry();
    let before = capacities(&state);
    // The public: asked to sign in for the page; a post carries no valid token.
    let page = get(&app, "/catalog/import").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.header(header::LOCATION).starts_with("/login?next="));
    let anonymous = Upload { csrf: Some("nada"), file: Some(("capacidades.csv", GOOD.as_bytes())), update: false };
    assert_eq!(upload(&app, None, &anonymous, "es").await.status, StatusCode::FORBIDDEN);

    // A viewer: no page, no upload, even with its own token.
    let viewer = sign_in(&app, "consulta", PASSWORD).await;
    assert_eq!(get_as(&app, &viewer, "/catalog/import").await.status, StatusCode::FORBIDDEN);
    let r = upload(&app, Some(&viewer), &Upload::file(&viewer, "capacidades.csv", GOOD.as_bytes()), "es").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // An administrator without the form's token is refused before anything is read.
    let admin = sign_in(&app, TESTER.0, TESTER.1).await;
    let forged = Upload { csrf: None, file: Some(("capacidades.csv", GOOD.as_bytes())), update: false };
    assert_eq!(upload(&app, Some(&admin), &forged, "es").await.status, StatusCode::FORBIDDEN);
    assert_eq!(capacities(&state), before, "nothing stored");

    // CONAFOR's editor: another institution's capacity and any demand are named at their rows.
    let editor = sign_in(&app, "editor-conafor", PASSWORD).await;
    let theirs = GOOD.replacen("conafor,31220,course", "semarnat,31220,course", 1);
    let r = upload(&app, Some(&editor), &Upload::file(&editor, "capacidades.csv", theirs.as_bytes()), "es").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("fila 2: el registro está fuera de su ámbito"), "{}", r.text());
    let demands = "clave,titulo_es,solicitante,sectores\nsol-hoja,Manejo del fuego,gt-maga,31220\n";
    let r = upload(&app, Some(&editor), &Upload::file(&editor, "demandas.csv", demands.as_bytes()), "es").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("fila 2: el rol «Editor» no puede"), "{}", r.text());
    assert_eq!(capacities(&state), before, "nothing stored");
    // Its own institution's go in.
    let r = upload(&app, Some(&editor), &Upload::file(&editor, "capacidades.csv", GOOD.as_bytes()), "es").await;
    assert!(r.ok().text().contains("2 creada(s)"));
    assert_eq!(capacities(&state), before + 2);
}
