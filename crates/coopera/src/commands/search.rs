//! `coopera search` and `coopera catalog match`: the search index beside the registry, caught
//! up before each use so that it never answers behind the registry, and `search reindex`.

use coopera_domain::Lang;
use coopera_search::live::{self, Freshness, Live};
use coopera_search::{DocKind, Facet, MatchRequest, MatchResults, SearchQuery, SearchResults};
use coopera_store::Store;

use super::{Ctx, Failure, print};
use crate::cli::{IndexArg, MatchArgs, SearchArgs, SearchCommand, SummaryFormat};

pub fn run(ctx: &Ctx, args: SearchArgs) -> Result<(), Failure> {
    match args.command {
        Some(SearchCommand::Reindex { index }) => {
            let store = ctx.open_existing()?;
            let live = open(ctx, &store, &index)?;
            let Freshness::Rebuilt { documents } = live.rebuild(&store).map_err(|e| failure(ctx, &e))? else {
                return Ok(());
            };
            print(&match ctx.lang {
                Lang::Es => format!("índice de búsqueda reconstruido: {documents} registros"),
                Lang::En => format!("search index rebuilt: {documents} records"),
            });
            Ok(())
        }
        None => search(ctx, args),
    }
}

fn failure(ctx: &Ctx, e: &coopera_search::SearchError) -> Failure {
    Failure::one(match ctx.lang {
        Lang::Es => format!("búsqueda: {e}"),
        Lang::En => format!("search: {e}"),
    })
}

/// The index of `store`, caught up with it. When another process (a running server) holds the
/// index's writer, that process keeps it current, and the index is searched as it is.
fn open(ctx: &Ctx, store: &Store, arg: &IndexArg) -> Result<Live, Failure> {
    let dir = arg.index.clone().unwrap_or_else(|| live::default_dir(store.location()));
    let live = Live::open(&dir).map_err(|e| failure(ctx, &e))?;
    match live.catch_up(store) {
        Ok(Freshness::Rebuilt { documents }) => tracing::info!(documents, dir = %dir.display(), "search index built"),
        Ok(_) => {}
        Err(e) if live.index().stamp().is_some() => {
            tracing::warn!(error = %e, "search index not caught up: another process keeps it");
        }
        Err(e) => return Err(failure(ctx, &e)),
    }
    Ok(live)
}

fn search(ctx: &Ctx, args: SearchArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let bad = |what: String| Failure::one(what);
    let kinds = args
        .kind
        .iter()
        .map(|k| k.parse::<DocKind>().map_err(|e| bad(format!("--kind: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let mut filters = Vec::new();
    for f in &args.filter {
        let Some((facet, value)) = f.split_once('=') else {
            return Err(bad(match lang {
                Lang::Es => format!("--filter {f}: se espera FACETA=VALOR (form=course)"),
                Lang::En => format!("--filter {f}: expected FACET=VALUE (form=course)"),
            }));
        };
        let facet = facet.parse::<Facet>().map_err(|e| bad(format!("--filter: {e}")))?;
        filters.push((facet, value.trim().to_owned()));
    }
    let store = ctx.open_existing()?;
    let live = open(ctx, &store, &args.index)?;
    let query = SearchQuery {
        text: args.text.unwrap_or_default(),
        kinds,
        filters,
        lang,
        limit: args.limit,
        offset: 0,
        facets: !args.no_facets,
    };
    let results = live.index().search(&query).map_err(|e| failure(ctx, &e))?;
    print(&match args.format {
        SummaryFormat::Json => serde_json::to_string_pretty(&results.json()).unwrap_or_default(),
        SummaryFormat::Text => describe_search(lang, &query.text, &results),
    });
    Ok(())
}

/// A snippet's highlights (`<b>…</b>`) as `*…*`, its entities decoded.
fn plain(html: &str) -> String {
    html.replace("<b>", "*")
        .replace("</b>", "*")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
        .split('\n')
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

fn kind_label(kind: DocKind, lang: Lang) -> &'static str {
    match kind {
        DocKind::Capacity => lang.pick("capacidad", "capacity"),
        DocKind::Demand => lang.pick("solicitud", "demand"),
        DocKind::Activity => lang.pick("actividad", "activity"),
    }
}

fn describe_search(lang: Lang, text: &str, r: &SearchResults) -> String {
    let mut out = vec![match lang {
        Lang::Es => format!("{} resultado(s) para «{text}»", r.total),
        Lang::En => format!("{} result(s) for “{text}”", r.total),
    }];
    for (i, h) in r.hits.iter().enumerate() {
        out.push(format!("{:>3}. [{}] {} — {}", i.saturating_add(1), kind_label(h.kind, lang), h.key, h.title));
        if !h.snippet_html.is_empty() {
            out.push(format!("     {}", plain(&h.snippet_html)));
        }
    }
    for (facet, values) in &r.facets {
        if values.is_empty() {
            continue;
        }
        let shown: Vec<String> = values.iter().take(8).map(|(v, n)| format!("{v} ({n})")).collect();
        out.push(format!("  {}: {}", facet.code(), shown.join(", ")));
    }
    out.join("\n")
}

/// `catalog match`: the capacities for a demand, written or stored.
pub fn matching(ctx: &Ctx, args: MatchArgs) -> Result<(), Failure> {
    let lang = ctx.lang;
    let store = ctx.open_existing()?;
    let mut request = MatchRequest {
        text: args.text.clone().unwrap_or_default(),
        country: args.country.clone(),
        sectors: args.sector.clone(),
        forms: args.form.clone(),
        lang: Some(args.language.clone().unwrap_or_else(|| lang.code().to_owned())),
        top: args.top,
    };
    if let Some(key) = &args.demand {
        let Some(demand) = store.demand(key).map_err(|e| Failure::store(e, lang))? else {
            return Err(Failure::one(match lang {
                Lang::Es => format!("no existe la demanda `{key}` (`coopera catalog list --demands` las muestra)"),
                Lang::En => format!("there is no demand `{key}` (`coopera catalog list --demands` shows them)"),
            }));
        };
        request = coopera_search::matching::request_of(&demand, args.top);
        if let Some(language) = &args.language {
            request.lang = Some(language.clone());
        }
    }
    let live = open(ctx, &store, &args.index)?;
    let track = live::track(&store, coopera_report::geo::dac_region_of_country).map_err(|e| failure(ctx, &e))?;
    let results = live.index().match_demand(&request, &track).map_err(|e| failure(ctx, &e))?;
    print(&match args.format {
        SummaryFormat::Json => serde_json::to_string_pretty(&results.json(lang)).unwrap_or_default(),
        SummaryFormat::Text => describe_match(lang, &request.text, &results),
    });
    Ok(())
}

fn describe_match(lang: Lang, text: &str, r: &MatchResults) -> String {
    if r.no_answer || r.results.is_empty() {
        return match lang {
            Lang::Es => format!("Ninguna capacidad del catálogo responde a «{text}»."),
            Lang::En => format!("No capacity of the catalog answers “{text}”."),
        };
    }
    let mut out = vec![match lang {
        Lang::Es => format!("Capacidades para «{text}»:"),
        Lang::En => format!("Capacities for “{text}”:"),
    }];
    for (i, m) in r.results.iter().enumerate() {
        out.push(format!("{:>3}. {:.3}  {} — {} ({})", i.saturating_add(1), m.score, m.key, m.title, m.institution));
        for reason in &m.reasons {
            out.push(format!("       · {}", reason.text(lang)));
        }
    }
    out.join("\n")
}
