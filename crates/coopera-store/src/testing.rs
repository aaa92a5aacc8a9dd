//! PostgreSQL databases for tests: each test gets its own schema on the server that
//! `COOPERA_TEST_POSTGRES` names (a `postgres://` address), dropped when the test ends.
//!
//! Without that variable the PostgreSQL side of a test does not run — a fresh clone's `cargo
//! test` needs nothing but Rust — unless `COOPERA_REQUIRE_POSTGRES` is set, as `.ci/run` sets
//! it: then a missing or unreachable server fails the test instead.

use std::sync::atomic::{AtomicU32, Ordering};

use crate::Location;

/// The variable naming the test server.
pub const SERVER: &str = "COOPERA_TEST_POSTGRES";
/// The variable choosing the backend of the web and command-line integration suites.
pub const BACKEND: &str = "COOPERA_TEST_BACKEND";
/// The variable that makes a missing test server a failure.
pub const REQUIRED: &str = "COOPERA_REQUIRE_POSTGRES";

/// A schema of its own on the test server, dropped with this value.
#[derive(Debug)]
pub struct TestPostgres {
    server: String,
    schema: String,
}

impl TestPostgres {
    /// A new, empty schema on the test server, or `None` when no server is configured and none
    /// is required. Panics when the server is required or configured but cannot be reached.
    pub fn new() -> Option<TestPostgres> {
        let server = match std::env::var(SERVER) {
            Ok(url) if !url.is_empty() => url,
            _ => {
                assert!(
                    std::env::var_os(REQUIRED).is_none(),
                    "{REQUIRED} is set but {SERVER} names no PostgreSQL server"
                );
                return None;
            }
        };
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let mut nonce = [0u8; 4];
        getrandom::fill(&mut nonce).unwrap_or_else(|e| panic!("random: {e}"));
        let schema = format!(
            "coopera_test_{}_{}_{:08x}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            u32::from_le_bytes(nonce)
        );
        crate::postgres::off_runtime(|| {
            let mut client = crate::postgres::connect(&server)
                .unwrap_or_else(|e| panic!("{SERVER}: cannot reach the test server: {e}"));
            client
                .batch_execute(&format!("CREATE SCHEMA {schema}"))
                .unwrap_or_else(|e| panic!("{SERVER}: cannot create a schema: {e}"));
        });
        Some(TestPostgres { server, schema })
    }

    /// The address of this schema: the server's, with the schema as its search path.
    pub fn url(&self) -> String {
        let join = if self.server.contains('?') { '&' } else { '?' };
        format!("{}{join}options=-c%20search_path%3D{}", self.server, self.schema)
    }

    pub fn location(&self) -> Location {
        Location::Server(self.url())
    }

    /// A store on this schema, which drops the schema when it is dropped.
    pub fn into_store(self, options: crate::StoreOptions) -> crate::Store {
        let store = crate::Store::open(self.location(), options).unwrap_or_else(|e| panic!("PostgreSQL store: {e}"));
        store.with_cleanup(move || drop(self))
    }

    /// The backend the integration suites of the web application and the command line run
    /// on: PostgreSQL when `COOPERA_TEST_BACKEND` is `postgres`, else SQLite.
    pub fn chosen() -> Option<TestPostgres> {
        match std::env::var(BACKEND).as_deref() {
            Ok("postgres") => {
                Some(TestPostgres::new().unwrap_or_else(|| panic!("{BACKEND}=postgres but {SERVER} names no server")))
            }
            Ok("sqlite") | Err(_) => None,
            Ok(other) => panic!("{BACKEND}: `{other}` is neither `sqlite` nor `postgres`"),
        }
    }

    /// The schema's name.
    pub fn schema(&self) -> &str {
        &self.schema
    }
}

impl Drop for TestPostgres {
    fn drop(&mut self) {
        // Best effort: a schema left behind by a crashed run is dropped by the next `.ci/run`.
        let (server, schema) = (&self.server, &self.schema);
        crate::postgres::off_runtime(|| {
            if let Ok(mut client) = crate::postgres::connect(server) {
                let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
            }
        });
    }
}
