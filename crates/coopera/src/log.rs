//! The server's log: the `tracing` events of `coopera serve` (the request log, and the
//! failures a user is only shown a code for) written to standard error, one line each, with
//! the time and level. `COOPERA_LOG`, else `RUST_LOG`, sets the filter (default `info`):
//! `warn`, `debug`, `coopera_web::request=off,info`…

use coopera_domain::Lang;
use tracing_subscriber::Layer as _;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt as _;
use tracing_subscriber::util::SubscriberInitExt as _;

/// The variables that set the filter, the first one set winning.
const VARIABLES: [&str; 2] = ["COOPERA_LOG", "RUST_LOG"];

const DEFAULT: &str = "info";

/// The filter the environment asks for, or why it cannot be read.
pub fn filter_from_env(lang: Lang) -> Result<Targets, String> {
    let set = VARIABLES.iter().find_map(|name| {
        let value = std::env::var(name).ok()?;
        (!value.trim().is_empty()).then_some((*name, value))
    });
    let Some((name, value)) = set else { return Ok(parse(DEFAULT).unwrap_or_default()) };
    parse(&value).map_err(|e| match lang {
        Lang::Es => {
            format!("{name}: `{value}` no es un filtro del registro (como `info` o `coopera_web=debug,warn`): {e}")
        }
        Lang::En => format!("{name}: `{value}` is not a log filter (such as `info` or `coopera_web=debug,warn`): {e}"),
    })
}

fn parse(text: &str) -> Result<Targets, tracing_subscriber::filter::ParseError> {
    text.trim().parse()
}

/// Sends the process's events, as `filter` lets through, to standard error. A second call
/// keeps the first log.
pub fn install(filter: Targets) {
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(std::io::stderr)
        .with_target(false)
        .with_ansi(false)
        .with_filter(filter);
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

#[cfg(test)]
mod tests {
    use tracing::Level;

    use super::*;

    #[test]
    fn filters_read_as_documented() {
        let f = parse("coopera_web::request=off,info").unwrap();
        assert!(!f.would_enable("coopera_web::request", &Level::INFO));
        assert!(f.would_enable("coopera_web::error", &Level::INFO));
        assert!(!f.would_enable("coopera_web", &Level::DEBUG));
        let f = parse(DEFAULT).unwrap();
        assert!(f.would_enable("coopera_web::request", &Level::INFO));
        assert!(parse("coopera_web=loud").is_err());
    }
}
