//! `coopera db copy|checksum` and `coopera backup`: moving a registry between databases, proving
//! the copy, and keeping a consistent copy of a SQLite registry while it is in use.

use coopera_domain::Lang;
use coopera_store::{Location, Store, StoreOptions, TableChecksum};

use super::{Ctx, Failure, print, print_table};
use crate::cli::{BackupArgs, DbCommand};
use crate::output::Table;

pub fn run(ctx: &Ctx, command: DbCommand) -> Result<(), Failure> {
    match command {
        DbCommand::Copy { from, to } => copy(ctx, Location::parse(&from), Location::parse(&to)),
        DbCommand::Checksum { format } => {
            let store = ctx.open_existing()?;
            let sums = store.checksums().map_err(|e| Failure::store(e, ctx.lang))?;
            print_table(&checksum_table(ctx, &sums), format);
            Ok(())
        }
    }
}

fn open(ctx: &Ctx, location: &Location, must_exist: bool) -> Result<Store, Failure> {
    if must_exist && location.file().is_some_and(|p| !p.exists()) {
        return Err(Failure::one(match ctx.lang {
            Lang::Es => format!("la base de datos {location} no existe"),
            Lang::En => format!("the database {location} does not exist"),
        }));
    }
    Store::open(location, StoreOptions::new(ctx.home_country)).map_err(|e| Failure::store(e, ctx.lang))
}

fn copy(ctx: &Ctx, from: Location, to: Location) -> Result<(), Failure> {
    let source = open(ctx, &from, true)?;
    let target = open(ctx, &to, false)?;
    let began = std::time::Instant::now();
    let summary = target.copy_from(&source).map_err(|e| Failure::store(e, ctx.lang))?;
    let records: u64 = summary.records.iter().map(|(_, n)| n).sum();
    print(&match ctx.lang {
        Lang::Es => format!(
            "copiado de {from} a {to} en {:.1} s: {records} registros, {} filas de la bitácora, {} cuentas, {} tokens, {} tipos de cambio",
            began.elapsed().as_secs_f64(),
            summary.audit_rows,
            summary.accounts,
            summary.tokens,
            summary.rates
        ),
        Lang::En => format!(
            "copied {from} to {to} in {:.1} s: {records} records, {} audit rows, {} accounts, {} tokens, {} exchange rates",
            began.elapsed().as_secs_f64(),
            summary.audit_rows,
            summary.accounts,
            summary.tokens,
            summary.rates
        ),
    });
    let (mine, theirs) = (
        source.checksums().map_err(|e| Failure::store(e, ctx.lang))?,
        target.checksums().map_err(|e| Failure::store(e, ctx.lang))?,
    );
    let differ: Vec<&str> = mine.iter().zip(&theirs).filter(|(a, b)| a != b).map(|(a, _)| a.table).collect();
    if !differ.is_empty() {
        return Err(Failure::one(match ctx.lang {
            Lang::Es => format!("la copia difiere del original en: {}", differ.join(", ")),
            Lang::En => format!("the copy differs from the original in: {}", differ.join(", ")),
        }));
    }
    print(&match ctx.lang {
        Lang::Es => format!("verificada: las {} sumas de comprobación coinciden", mine.len()),
        Lang::En => format!("verified: all {} checksums are equal", mine.len()),
    });
    Ok(())
}

fn checksum_table(ctx: &Ctx, sums: &[TableChecksum]) -> Table {
    let mut t = Table::new(&[
        ("table", ctx.pick("Tabla", "Table"), false),
        ("rows", ctx.pick("Filas", "Rows"), true),
        ("digest", ctx.pick("Suma (BLAKE2b-256)", "Digest (BLAKE2b-256)"), false),
    ]);
    for s in sums {
        t.push(vec![s.table.to_owned().into(), s.rows.into(), s.digest.clone().into()]);
    }
    t
}

pub fn backup(ctx: &Ctx, args: BackupArgs) -> Result<(), Failure> {
    if let Location::Server(_) = ctx.db {
        return Err(Failure::one(match ctx.lang {
            Lang::Es => "un registro en PostgreSQL se respalda con pg_dump (véase docs/deployment.md)".to_owned(),
            Lang::En => "a PostgreSQL registry is backed up with pg_dump (see docs/deployment.md)".to_owned(),
        }));
    }
    if args.out.exists() {
        return Err(Failure::one(match ctx.lang {
            Lang::Es => format!("{} ya existe: el respaldo va a un archivo nuevo", args.out.display()),
            Lang::En => format!("{} already exists: a backup goes into a new file", args.out.display()),
        }));
    }
    let store = ctx.open_existing()?;
    let began = std::time::Instant::now();
    store.backup_to(&args.out).map_err(|e| Failure::store(e, ctx.lang))?;
    let size = std::fs::metadata(&args.out).map(|m| m.len()).unwrap_or(0);
    print(&match ctx.lang {
        Lang::Es => format!(
            "respaldo de {} en {} ({:.1} MB, {:.1} s)",
            ctx.db,
            args.out.display(),
            size as f64 / 1e6,
            began.elapsed().as_secs_f64()
        ),
        Lang::En => format!(
            "backup of {} in {} ({:.1} MB, {:.1} s)",
            ctx.db,
            args.out.display(),
            size as f64 / 1e6,
            began.elapsed().as_secs_f64()
        ),
    });
    Ok(())
}
