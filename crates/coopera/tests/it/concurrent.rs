//! Concurrent writers: `coopera serve` takes activity forms from several clients while the
//! command line imports IATI files and adds activities to the same database. Every write that
//! was acknowledged is stored, nobody is told the database is locked, and both sides finish.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use coopera_store::ActivityFilter;

use super::generated::{Rng, Set};
use super::*;

/// Forms posted to the server, spread over `CLIENTS` threads. Each saved form rebuilds the
/// server's views over the whole registry (about 0.1 s each in a debug build at this size), so
/// the numbers here and of the imported files keep the test well under a minute.
const POSTS: usize = 120;
const CLIENTS: usize = 4;
/// `coopera activity add --file` runs, each of a dataset of `PER_ADD` activities.
const ADDS: usize = 5;
const PER_ADD: usize = 3;

/// A correct new activity as the form posts it, urlencoded (organisations of `orgs.toml`).
fn form(id: &str) -> String {
    let fields = [
        ("id", id),
        ("reporting_org", "amexcid"),
        ("title.es", "Curso de gestión de cuencas"),
        ("title.en", "Watershed management course"),
        ("instrument", "project"),
        ("cooperation_type", "technical-scientific"),
        ("modality", "bilateral"),
        ("status", "2"),
        ("workflow", "draft"),
        ("south_south", "on"),
        ("participants[0].org", "amexcid"),
        ("participants[0].role", "provider"),
        ("participants[1].org", "segeplan"),
        ("participants[1].role", "recipient"),
        ("sectors[0].code", "41010"),
        ("sectors[0].percentage", "100"),
        ("countries[0].code", "GT"),
        ("countries[0].percentage", "100"),
        ("dates.planned_start", "2016-03-01"),
        ("dates.planned_end", "2016-11-30"),
        ("save", "1"),
    ];
    fields.iter().map(|(k, v)| format!("{}={}", encode(k), encode(v))).collect::<Vec<_>>().join("&")
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".to_owned(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// What the server answered to one form.
#[derive(Debug)]
struct Answer {
    id: String,
    status: u16,
    body: String,
}

/// A signed-in browser: its cookie and the anti-forgery token its forms carry.
#[derive(Debug, Clone)]
pub(super) struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// The value of `name` in the `Set-Cookie` headers of a raw answer.
fn cookie_of(raw: &str, name: &str) -> Option<String> {
    raw.lines()
        .filter_map(|l| l.strip_prefix("set-cookie: ").or_else(|| l.strip_prefix("Set-Cookie: ")))
        .find_map(|c| c.split(';').next()?.strip_prefix(&format!("{name}=")).map(str::to_owned))
}

fn csrf_of(html: &str) -> String {
    const FIELD: &str = "name=\"csrf_token\" value=\"";
    html.split_once(FIELD).and_then(|(_, rest)| rest.split('"').next()).unwrap_or("").to_owned()
}

/// A raw HTTP/1.1 request; the whole answer, or what went wrong.
fn exchange(addr: &str, request: &str) -> Result<String, String> {
    let mut s = TcpStream::connect(addr).map_err(|e| format!("cannot connect: {e}"))?;
    let _ = s.set_read_timeout(Some(Duration::from_secs(60)));
    s.write_all(request.as_bytes()).map_err(|e| format!("cannot send: {e}"))?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).map_err(|e| format!("no answer: {e}"))?;
    Ok(String::from_utf8_lossy(&raw).into_owned())
}

/// Signs in through the sign-in page, as a browser does.
pub(super) fn sign_in(addr: &str, name: &str, password: &str) -> Session {
    let get = |path: &str, cookie: &str| {
        exchange(addr, &format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"))
            .expect("a page")
    };
    let login = get("/login", "");
    let form = cookie_of(&login, "coopera_form").expect("the sign-in page sets its form cookie");
    let body = format!("username={}&password={}&csrf_token={}", encode(name), encode(password), csrf_of(&login));
    let signed = exchange(
        addr,
        &format!(
            "POST /login HTTP/1.1\r\nHost: {addr}\r\nCookie: coopera_form={form}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .expect("signed in");
    let session = cookie_of(&signed, "coopera_session").unwrap_or_else(|| panic!("no session: {signed}"));
    let cookie = format!("coopera_session={session}");
    let account = get("/account", &cookie);
    Session { csrf: csrf_of(&account), cookie }
}

/// A plain HTTP/1.1 form post as `session`; an answer that never comes is a status 0.
fn post(addr: &str, session: &Session, path: &str, body: &str) -> (u16, String) {
    let Ok(mut s) = TcpStream::connect(addr) else { return (0, "cannot connect".into()) };
    let _ = s.set_read_timeout(Some(Duration::from_secs(60)));
    let body = format!("{body}&csrf_token={}", session.csrf);
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Cookie: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        session.cookie,
        body.len()
    );
    if s.write_all(request.as_bytes()).is_err() {
        return (0, "cannot send".into());
    }
    let mut raw = Vec::new();
    if let Err(e) = s.read_to_end(&mut raw) {
        return (0, format!("no answer: {e}"));
    }
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, raw)
}

/// A dataset of activities for `activity add --file`.
fn dataset(ids: &[String]) -> String {
    let mut toml = String::new();
    for id in ids {
        toml.push_str(&format!(
            "[[activity]]\nid = \"{id}\"\nreporting_org = \"amexcid\"\n\
             title = {{ es = \"Asesoría en catastro\", en = \"Cadastre advice\" }}\n\
             instrument = \"project\"\ncooperation_type = \"technical-scientific\"\nmodality = \"bilateral\"\n\
             south_south = true\nstatus = \"2\"\n\
             participants = [{{ org = \"amexcid\", role = \"provider\" }}, {{ org = \"segeplan\", role = \"recipient\" }}]\n\
             sectors = [{{ code = \"15110\", percentage = 100 }}]\ncountries = [{{ code = \"GT\" }}]\n\
             dates = {{ planned_start = \"2017-02-01\", planned_end = \"2017-10-31\" }}\n\n"
        ));
    }
    toml
}

fn mentions_lock(text: &str) -> bool {
    let text = text.to_lowercase();
    text.contains("locked") || text.contains("bloquead") || text.contains("busy")
}

#[test]
fn the_server_takes_forms_while_the_cli_imports_and_adds() {
    let mut rng = Rng::from_env("COOPERA_CONCURRENT_SEED", 20_241_204);
    let c = Coopera::sqlite();
    c.run(&["activity", "add", "--file", &fixture("orgs.toml")]).ok();
    c.run_stdin(&["user", "add", "ana", "--role", "analyst", "--password-stdin"], "contraseña-de-ana\n").ok();
    let files = tempfile::tempdir().expect("temp dir");
    let set = Set { prefix: "XM-CONC".into(), files: 8, per_file: 60 };
    set.write(files.path(), &mut rng);
    let adds: Vec<(PathBuf, Vec<String>)> = (0..ADDS)
        .map(|a| {
            let ids: Vec<String> = (0..PER_ADD).map(|n| format!("XM-ADD-{a}-{n}")).collect();
            let path = files.path().join(format!("add-{a}.toml"));
            std::fs::write(&path, dataset(&ids)).expect("write a dataset");
            (path, ids)
        })
        .collect();

    let mut server = super::web::serve(&c, &["--quiet"]);
    let mut server_log = server.child.stderr.take().expect("the server's standard error");
    let log = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = server_log.read_to_string(&mut text);
        text
    });
    let addr = server.addr.clone();
    let session = sign_in(&addr, "ana", "contraseña-de-ana");
    let dir = files.path().display().to_string();

    let (import, added, answers) = std::thread::scope(|s| {
        let import = s.spawn(|| c.run(&["--lang", "en", "import", "iati", "--format", "json", &dir]));
        let added = s.spawn(|| {
            adds.iter()
                .map(|(path, _)| c.run(&["activity", "add", "--file", &path.display().to_string()]))
                .collect::<Vec<Run>>()
        });
        let clients: Vec<_> = (0..CLIENTS)
            .map(|client| {
                let addr = addr.clone();
                let session = session.clone();
                s.spawn(move || {
                    (client..POSTS)
                        .step_by(CLIENTS)
                        .map(|i| {
                            let id = format!("XM-WEB-{i:04}");
                            let (status, body) = post(&addr, &session, "/activities/new", &form(&id));
                            Answer { id, status, body }
                        })
                        .collect::<Vec<Answer>>()
                })
            })
            .collect();
        let answers: Vec<Answer> = clients.into_iter().flat_map(|t| t.join().expect("a client thread")).collect();
        (import.join().expect("the import thread"), added.join().expect("the add thread"), answers)
    });

    let pid = server.child.id().to_string();
    Command::new("kill").args(["-TERM", &pid]).status().expect("kill");
    let stopped = server.child.wait().expect("wait");
    let log = log.join().expect("the log thread");

    // Everything that went wrong is listed, so that one run shows the whole picture.
    let mut failures = Vec::new();

    // The server: every form saved, and nothing said about a lock.
    let refused: Vec<&Answer> = answers.iter().filter(|a| a.status != 303).collect();
    if !refused.is_empty() {
        let examples: Vec<String> =
            refused.iter().take(3).map(|a| format!("  {} → {} {}", a.id, a.status, page_text(&a.body))).collect();
        failures.push(format!(
            "{} of {POSTS} valid forms were not saved (expected 303):\n{}",
            refused.len(),
            examples.join("\n")
        ));
    }
    if mentions_lock(&log) {
        failures.push(format!("the server's log mentions a lock:\n{}", excerpt(&log)));
    }
    if !stopped.success() {
        failures.push(format!("the server did not stop cleanly: {stopped:?}"));
    }

    // The command line: the import and every add finished, and nothing said about a lock.
    let summary: Value = serde_json::from_str(&import.stdout).unwrap_or(Value::Null);
    if import.code != 0 || mentions_lock(&import.stdout) || mentions_lock(&import.stderr) {
        failures.push(format!("the import exited with {}:\n{}", import.code, excerpt(&import.stderr)));
    }
    let imported = summary["activities"]["new"].as_u64().unwrap_or(0) as usize;
    if summary["files_imported"].as_u64() != Some(set.files as u64) || imported != set.activities() {
        failures.push(format!(
            "the import stored {:?} of {} files and {imported} of {} activities",
            summary["files_imported"].as_u64(),
            set.files,
            set.activities()
        ));
    }
    let mut acknowledged: Vec<&str> = answers.iter().filter(|a| a.status == 303).map(|a| a.id.as_str()).collect();
    for (run, (path, ids)) in added.iter().zip(&adds) {
        if run.code == 0 && !mentions_lock(&run.stderr) && run.stdout.contains(&format!("{PER_ADD} creado(s)")) {
            acknowledged.extend(ids.iter().map(String::as_str));
        } else {
            failures.push(format!(
                "activity add {} exited with {}: {}",
                path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default(),
                run.code,
                excerpt(&run.stderr)
            ));
        }
    }

    // Every acknowledged write is there, once, with its history row; nothing else is.
    let stored: BTreeSet<String> =
        c.store().activities(&ActivityFilter::default()).expect("list").into_iter().map(|a| a.key).collect();
    let missing: Vec<&str> = acknowledged.iter().copied().filter(|id| !stored.contains(*id)).collect();
    if !missing.is_empty() {
        failures.push(format!("acknowledged but not stored: {missing:?}"));
    }
    let expected = acknowledged.len() + imported;
    if stored.len() != expected {
        failures.push(format!(
            "{} activities stored; {} forms and adds acknowledged and {imported} imported",
            stored.len(),
            acknowledged.len()
        ));
    }
    let conn = rusqlite::Connection::open(c.db()).expect("open");
    let created: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM change_history WHERE record_kind = 'activity' AND action = 'create'",
            [],
            |r| r.get(0),
        )
        .expect("count");
    if created != stored.len() as i64 {
        failures.push(format!("{created} history rows of activities created for {} activities", stored.len()));
    }
    assert!(failures.is_empty(), "concurrent writers:\n- {}", failures.join("\n- "));
}

/// The first lines of a long output.
fn excerpt(text: &str) -> String {
    text.lines().take(6).collect::<Vec<_>>().join("\n")
}

/// The text of an HTTP answer's page, tags taken out, in one short line.
fn page_text(raw: &str) -> String {
    let body = raw.split_once("\r\n\r\n").map_or(raw, |(_, b)| b);
    let body = body.find("<main").map_or(body, |at| &body[at..]);
    let body = body.find("</main>").map_or(body, |end| &body[..end]);
    let mut text = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.split_whitespace().collect::<Vec<_>>().join(" ").chars().take(200).collect()
}
