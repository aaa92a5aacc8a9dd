//! `coopera serve`: the web application — dashboard, registry pages, forms and the JSON API —
//! on one address, until Ctrl-C or SIGTERM. With `--demo`, an empty database first receives
//! the illustrative demo data and the sample exchange rates, as `coopera demo` loads them; a
//! database that holds data keeps it, and the command says so.

use std::io::Write as _;

use coopera_domain::Lang;
use coopera_domain::access::Scope;
use coopera_domain::kinds::AccountRole;
use coopera_store::{ActivityFilter, Existing, Store, Who};
use coopera_web::{AppState, Options, RequestLog, ServeOptions};

use super::{Ctx, Failure, store_batch, summary_line};
use crate::cli::ServeArgs;
use crate::input::{Batch, Source};

pub fn run(ctx: &Ctx, args: ServeArgs) -> Result<(), Failure> {
    // The filter is checked before anything is loaded; the log starts with the server.
    let filter = crate::log::filter_from_env(ctx.lang).map_err(Failure::one)?;
    let banner = if args.demo { demo(ctx)? } else { coopera_web::Banner::None };
    crate::log::install(filter);
    let options = Options {
        home_country: ctx.home_country,
        log: if args.quiet { RequestLog::Off } else { RequestLog::Info },
        banner,
        secure_cookies: args.secure_cookies,
        search_index: args.index.index,
        ..Options::default()
    };
    let state = AppState::open(&ctx.db, options).map_err(|e| match e {
        // The store's message names the database and what failed.
        coopera_web::StartError::Store(e @ coopera_store::StoreError::Unreachable { .. }) => {
            Failure::one(e.message(ctx.lang))
        }
        e => Failure::one(match ctx.lang {
            Lang::Es => format!("no se puede abrir la base de datos {}: {}", ctx.db, e.message(ctx.lang)),
            Lang::En => format!("cannot open the database {}: {}", ctx.db, e.message(ctx.lang)),
        }),
    })?;
    let lang = ctx.lang;
    let accounts = if banner == coopera_web::Banner::Demo { demo_accounts(ctx, state.store())? } else { Vec::new() };
    let setup = state.setup_link().map_err(|e| Failure::one(e.message(lang)))?;
    let kept = state.clone();
    coopera_web::serve(&ServeOptions { addr: args.addr, limits: Default::default() }, state, |bound| {
        let mut out = std::io::stdout().lock();
        if !accounts.is_empty() {
            let _ = writeln!(out, "{}", accounts_table(&accounts, lang));
        }
        if let Some(path) = &setup {
            let _ = writeln!(out, "{}", setup_note(&format!("http://{bound}{path}"), lang));
        }
        let line = match lang {
            Lang::Es => format!("Coopera en http://{bound}/ (Ctrl-C para detener)"),
            Lang::En => format!("Coopera at http://{bound}/ (Ctrl-C to stop)"),
        };
        // Flushed at once: scripts and tests wait for this line to know the port.
        let _ = writeln!(out, "{line}");
        let _ = out.flush();
    })
    .map_err(|e| Failure::one(e.message(lang)))?;
    // The views, kept beside the database, make the next start quick.
    if let Err(e) = kept.persist() {
        eprintln!("{}", e.message(lang));
    }
    super::print(ctx.pick("servidor detenido", "server stopped"));
    Ok(())
}

/// The demo's accounts, one per role, so that a newcomer can try each: (name, role, scope).
pub const DEMO_ACCOUNTS: [(&str, AccountRole, &str); 4] = [
    ("admin", AccountRole::Administrator, "all"),
    ("analista", AccountRole::Analyst, "all"),
    ("editor-chiapas", AccountRole::Editor, "state:07"),
    ("consulta-oaxaca", AccountRole::Viewer, "state:20"),
];

/// Makes the demo's accounts — or, when they exist, gives them new passwords — and returns
/// (name, role, scope, password) to print once. Demo accounts only: no other is touched.
fn demo_accounts(ctx: &Ctx, store: &Store) -> Result<Vec<(String, AccountRole, Scope, String)>, Failure> {
    let fail = |e: coopera_store::StoreError| Failure::store(e, ctx.lang);
    let by = Who::local("demo");
    let mut made = Vec::new();
    for (name, role, scope) in DEMO_ACCOUNTS {
        let scope = Scope::parse(scope).map_err(|p| Failure::one(p.message(ctx.lang)))?;
        let password = coopera_store::accounts::random_password().map_err(fail)?;
        match store.account(name).map_err(fail)? {
            Some(_) => store.reset_password(by, name, &password).map_err(fail)?,
            None => {
                store.add_account(by, name, role, &scope, &password).map_err(fail)?;
            }
        }
        made.push((name.to_owned(), role, scope, password));
    }
    Ok(made)
}

fn accounts_table(accounts: &[(String, AccountRole, Scope, String)], lang: Lang) -> String {
    let mut out = lang
        .pick(
            "Cuentas de demostración (contraseñas nuevas en cada inicio con --demo; no se muestran de nuevo):",
            "Demo accounts (new passwords at each start with --demo; not shown again):",
        )
        .to_owned();
    for (name, role, scope, password) in accounts {
        out.push_str(&format!("\n  {name:<16} {password}  {} · {}", role.label(lang), scope.label(lang)));
    }
    out
}

fn setup_note(link: &str, lang: Lang) -> String {
    match lang {
        Lang::Es => format!(
            "El registro no tiene cuentas. Cree el primer administrador en {link} (enlace de un solo uso)\no con `coopera user add NOMBRE --role administrator --password-stdin`."
        ),
        Lang::En => format!(
            "The registry has no accounts. Create the first administrator at {link} (a one-time link)\nor with `coopera user add NAME --role administrator --password-stdin`."
        ),
    }
}

/// `--demo`: loads the demo data into an empty database. A database with data keeps it and is
/// told apart: the demo's own (loaded before) keeps the banner that calls it illustrative,
/// other data is not called so.
fn demo(ctx: &Ctx) -> Result<coopera_web::Banner, Failure> {
    let store = ctx.open()?;
    let activities = store.count_activities(&ActivityFilter::default()).map_err(|e| Failure::store(e, ctx.lang))?;
    let organisations = store.organisations().map_err(|e| Failure::store(e, ctx.lang))?.len();
    if activities == 0 && organisations == 0 {
        load_demo(ctx, &store)?;
        return Ok(coopera_web::Banner::Demo);
    }
    if holds_the_demo(ctx, &store)? {
        super::print(ctx.pick(
            "la base de datos ya tiene los datos de demostración; no se cargaron de nuevo",
            "the database already holds the demo data; it was not loaded again",
        ));
        return Ok(coopera_web::Banner::Demo);
    }
    super::print(&match ctx.lang {
        Lang::Es => format!(
            "no se cargaron los datos de demostración: la base de datos ya tiene datos ({activities} actividades, {organisations} organizaciones)"
        ),
        Lang::En => format!(
            "the demo data was not loaded: the database already holds data ({activities} activities, {organisations} organisations)"
        ),
    });
    Ok(coopera_web::Banner::None)
}

/// Whether the demo's activities are in the registry (its first one stands for all).
fn holds_the_demo(ctx: &Ctx, store: &Store) -> Result<bool, Failure> {
    let first = coopera_demo::dataset()
        .ok()
        .and_then(|files| files.into_iter().find_map(|(_, d)| d.activities.into_iter().next()))
        .map(|a| a.id);
    match first {
        Some(id) => store.activity(&id).map(|a| a.is_some()).map_err(|e| Failure::store(e, ctx.lang)),
        None => Ok(false),
    }
}

/// Loads the demo files and the sample exchange rates, as `coopera demo` does.
fn load_demo(ctx: &Ctx, store: &Store) -> Result<(), Failure> {
    let sources = coopera_demo::FILES.iter().map(|(name, text)| Source::embedded(name, text)).collect();
    let batch = Batch::parse(sources, ctx.lang).map_err(|e| Failure::input(e, ctx.lang))?;
    let demo_ctx = Ctx { user: "demo".to_owned(), db: ctx.db.clone(), user_given: None, ..*ctx };
    let summary = store_batch(&demo_ctx, store, batch, Existing::Update)?;
    let rates = coopera_report::rates::parse_rates_csv(coopera_report::rates::SAMPLE_RATES_CSV, "rates-sample.csv")
        .map_err(|e| Failure { lines: e.lines(ctx.lang), summary: None })?;
    store.record_rates(&rates).map_err(|e| Failure::store(e, ctx.lang))?;
    super::print(&match ctx.lang {
        Lang::Es => format!("datos de demostración (ilustrativos) cargados: {}", summary_line(&summary, ctx.lang)),
        Lang::En => format!("demo data (illustrative) loaded: {}", summary_line(&summary, ctx.lang)),
    });
    Ok(())
}
