//! The spreadsheets of `catalog add` and `action|agreement|membership add` (a CSV file or an
//! XLSX workbook, through `coopera_import::sheets`, the web upload's path too) and the
//! templates of `catalog template` and `action template`.

use std::path::Path;

use coopera_domain::Lang;
use coopera_domain::kinds::WorkflowState;
use coopera_import::sheets::{AddOptions, Added, Book, Placed};
use coopera_store::Existing;

use super::{Ctx, Failure, print};

/// Whether `add --file` is given a spreadsheet rather than a TOML or JSON file.
pub fn is_spreadsheet(file: &Path) -> bool {
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or_default().to_lowercase();
    matches!(ext.as_str(), "csv" | "xlsx")
}

/// `add --file` of a CSV file or an XLSX workbook of `book`'s kinds: every problem — of a
/// cell, or a reference to nothing — placed at its sheet, row and column; nothing written
/// unless the whole spreadsheet is right.
/// New records enter in `workflow`; stored ones keep theirs.
pub fn add(ctx: &Ctx, file: &Path, existing: Existing, book: Book, workflow: WorkflowState) -> Result<(), Failure> {
    let lang = ctx.lang;
    let bytes = std::fs::read(file).map_err(|e| {
        Failure::one(match lang {
            Lang::Es => format!("no se puede leer {}: {e}", file.display()),
            Lang::En => format!("cannot read {}: {e}", file.display()),
        })
    })?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let read = coopera_import::sheets::read(&name, &bytes, book);
    let placed = |problems: Vec<Placed>| {
        let n = problems.len();
        Failure {
            lines: problems.iter().map(|p| format!("{}, {}", file.display(), p.message(lang))).collect(),
            summary: Some(match lang {
                Lang::Es => format!("{n} problema(s); no se escribió nada en la base de datos"),
                Lang::En => format!("{n} problem(s); nothing was written to the database"),
            }),
        }
    };
    if !read.problems.is_empty() && !ctx.db_exists() {
        // No registry to check the references against, and none is made for a refused file.
        return Err(placed(read.problems));
    }
    let store = ctx.open()?;
    // The command line is a local administrator's tool: it asks the access table nothing.
    let how = AddOptions { author: &ctx.user, existing, address: None, workflow };
    match coopera_import::sheets::add(&store, &read, &how).map_err(|e| Failure::store(e, lang))? {
        Added::Written(summary) => {
            print(&format!("{}: {}", file.display(), super::summary_line(&summary, lang)));
            Ok(())
        }
        Added::Refused(problems) => Err(placed(problems)),
    }
}

/// `template --out FILE`: the workbook of `book`'s sheets and their explanation, in the
/// language of `--lang`.
pub fn template(ctx: &Ctx, out: &Path, book: Book) -> Result<(), Failure> {
    let bytes = coopera_import::sheets::template(book, ctx.lang).map_err(|e| Failure::one(e.to_string()))?;
    write(ctx, out, &bytes)
}

/// Writes a workbook to `out` and prints where.
pub fn write(ctx: &Ctx, out: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(out, bytes).map_err(|e| {
        Failure::one(match ctx.lang {
            Lang::Es => format!("no se puede escribir {}: {e}", out.display()),
            Lang::En => format!("cannot write {}: {e}", out.display()),
        })
    })?;
    print(&out.display().to_string());
    Ok(())
}
