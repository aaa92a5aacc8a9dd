//! `coopera demo`: loads the illustrative demo data and prints the seed's table.

use coopera_domain::code::CurrencyCode;
use coopera_domain::kinds::Direction;
use coopera_report::{Measure, Source, ThemeQuery};

use super::{Ctx, Failure, print, store_batch, summary_line};
use crate::cli::TableFormat;
use crate::input::{Batch, Source as InputSource};

pub fn run(ctx: &Ctx) -> Result<(), Failure> {
    let mut store = ctx.open()?;
    let sources = coopera_demo::FILES.iter().map(|(name, text)| InputSource::embedded(name, text)).collect();
    // The demo files are checked by their own tests; a failure here is a defect, reported
    // with its file and line all the same.
    let batch = Batch::parse(sources, ctx.lang).map_err(|e| Failure::input(e, ctx.lang))?;
    let demo_ctx = Ctx { user: "demo".to_owned(), db: ctx.db.clone(), ..*ctx };
    let summary = store_batch(&demo_ctx, &mut store, batch)?;
    print(&match ctx.lang {
        coopera_domain::Lang::Es => format!(
            "datos de demostración (ilustrativos) en {}: {}",
            ctx.db.display(),
            summary_line(&summary, ctx.lang)
        ),
        coopera_domain::Lang::En => {
            format!("demo data (illustrative) in {}: {}", ctx.db.display(), summary_line(&summary, ctx.lang))
        }
    });
    print("");
    print(
        ctx.pick("Catálogo de Capacidades: oferta por área temática", "Capabilities catalog: offer by thematic area"),
    );
    let usd = CurrencyCode::parse("USD").map_err(|p| Failure::one(p.message(ctx.lang)))?;
    let query =
        ThemeQuery { source: Source::Catalog, direction: None, year: None, measure: Measure::Count, currency: usd };
    super::report::print_themes(ctx, &store, &query, TableFormat::Table)?;
    print("");
    print(
        ctx.pick(
            "Cooperación otorgada: actividades por área temática",
            "Cooperation given: activities by thematic area",
        ),
    );
    let query = ThemeQuery { source: Source::Activities, direction: Some(Direction::Given), ..query };
    super::report::print_themes(ctx, &store, &query, TableFormat::Table)
}
