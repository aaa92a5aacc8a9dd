//! [`Watcher`]: waits for writes to the registry made by any process, so that a server's views
//! follow them. On PostgreSQL a connection of its own LISTENs on the channel every write
//! notifies; nothing is read while nothing changes. A SQLite file has no such signal: the
//! watcher wakes at a short interval and the caller reads the head of the change feed (one
//! indexed read).

use std::time::Duration;

use postgres::fallible_iterator::FallibleIterator;

use crate::{Location, Result, StoreError};

/// How often a SQLite watcher wakes.
const SQLITE_EVERY: Duration = Duration::from_millis(200);

/// Waits for changes to one registry; see [`crate::Store::watcher`].
pub struct Watcher {
    how: How,
}

enum How {
    /// Wake at an interval, and let the caller look.
    Interval,
    /// A connection listening on the change feed's channel.
    Listen { client: Box<postgres::Client>, url: String },
    /// The listening connection was lost: connect again at the next wait.
    Lost { url: String },
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = match self.how {
            How::Interval => "interval",
            How::Listen { .. } => "listen",
            How::Lost { .. } => "lost",
        };
        f.debug_struct("Watcher").field("how", &how).finish()
    }
}

/// What a wait saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Woken {
    /// Something may have changed: read the change feed.
    Look,
    /// Nothing changed during the wait.
    Quiet,
}

impl Watcher {
    pub(crate) fn open(location: &Location) -> Result<Watcher> {
        match location {
            Location::Server(url) => Ok(Watcher { how: listen(url)? }),
            Location::File(_) | Location::Memory => Ok(Watcher { how: How::Interval }),
        }
    }

    /// Waits at most `timeout` for a change. After a lost connection it says [`Woken::Look`]
    /// once connected again: notifications sent meanwhile were missed.
    pub fn wait(&mut self, timeout: Duration) -> Result<Woken> {
        match &mut self.how {
            How::Interval => {
                std::thread::sleep(timeout.min(SQLITE_EVERY));
                Ok(Woken::Look)
            }
            How::Listen { client, url } => {
                let first = client.notifications().timeout_iter(timeout).next();
                match first {
                    Ok(None) if client.is_closed() => {
                        self.how = How::Lost { url: std::mem::take(url) };
                        Err(StoreError::Backend("the connection listening for changes was closed".into()))
                    }
                    Ok(None) => Ok(Woken::Quiet),
                    Ok(Some(_)) => {
                        // Take every notification already here: one look serves them all.
                        let mut pending = client.notifications();
                        let mut more = pending.iter();
                        while let Ok(Some(_)) = more.next() {}
                        Ok(Woken::Look)
                    }
                    Err(e) => {
                        let url = std::mem::take(url);
                        self.how = How::Lost { url };
                        Err(StoreError::backend(e))
                    }
                }
            }
            How::Lost { url } => {
                std::thread::sleep(timeout);
                let url = std::mem::take(url);
                match listen(&url) {
                    Ok(how) => {
                        self.how = how;
                        Ok(Woken::Look)
                    }
                    Err(e) => {
                        self.how = How::Lost { url };
                        Err(e)
                    }
                }
            }
        }
    }
}

fn listen(url: &str) -> Result<How> {
    crate::postgres::off_runtime(|| {
        let mut client = crate::postgres::connect(url)?;
        client.batch_execute(&format!("LISTEN {}", crate::postgres::FEED_CHANNEL)).map_err(StoreError::backend)?;
        Ok(How::Listen { client: Box::new(client), url: url.to_owned() })
    })
}
