//! The connection loop: accepts connections up to a limit, serves each over HTTP/1.1 with a
//! deadline for its request headers, and keeps going through any failure to accept.
//!
//! A client that connects and sends nothing, sends headers byte by byte, or keeps an idle
//! connection open holds a file descriptor; enough of them used to exhaust the process's
//! limit and the server stopped answering for good. Now: the headers of each request must
//! arrive within [`Limits::header_read_timeout`] — the clock also runs while a kept-alive
//! connection waits for its next request, so idle connections close too; at most
//! [`Limits::max_connections`] are served at once (one more is closed as soon as it is
//! accepted); and an error from `accept` (out of descriptors, say) is waited out, never
//! fatal. Once the flood stops, the server is back within one header timeout.

use std::future::Future;
use std::io;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::http::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// Bounds on connections.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Connections served at once (default 1,024); one more is closed when accepted.
    pub max_connections: usize,
    /// How long a client has to send a request's headers, counted from the moment the
    /// server waits for them — after connecting, or after the previous response on a
    /// kept-alive connection (default 15 s).
    pub header_read_timeout: Duration,
    /// How long requests in flight may take to finish once the server is told to stop
    /// (default 30 s, the request timeout).
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 1024,
            header_read_timeout: Duration::from_secs(15),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Serves `app` on `listener` until `shutdown` resolves, then lets the requests in flight
/// finish (within the grace period) and returns.
pub(crate) async fn run(listener: TcpListener, app: Router, limits: Limits, shutdown: impl Future<Output = ()>) {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    wait_after_accept_error(&e).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        // Full: the connection is closed at once rather than left waiting in the kernel's
        // queue, so that the queue cannot fill with stale connections during a flood and the
        // server answers again the moment slots free.
        let (stream, peer) = stream;
        let Ok(slot) = Arc::clone(&slots).try_acquire_owned() else {
            drop(stream);
            continue;
        };
        // Small responses go out at once rather than waiting for more to send.
        let _ = stream.set_nodelay(true);
        let connection = http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(limits.header_read_timeout)
            .serve_connection(TokioIo::new(stream), TowerToHyperService::new(with_peer(app.clone(), peer)));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            // A client that goes away or times out ends its connection; nothing to report.
            let _ = connection.await;
            drop(slot);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {}
    }
}

/// The client's address, for the audit trail and sign-in throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Peer(pub std::net::SocketAddr);

/// The application with the connection's peer address in every request's extensions.
fn with_peer(
    app: Router,
    peer: std::net::SocketAddr,
) -> tower::util::MapRequest<Router, impl FnMut(Request<Incoming>) -> Request<Incoming> + Clone> {
    tower::ServiceExt::map_request(app, move |mut req: Request<Incoming>| {
        req.extensions_mut().insert(Peer(peer));
        req
    })
}

/// After a failed `accept`: a connection the client already gave up on is simply skipped; for
/// anything else (no file descriptors left, no memory) the loop pauses briefly, so that it
/// does not spin, and tries again — connections closing meanwhile free what was missing.
async fn wait_after_accept_error(e: &io::Error) {
    let per_connection = matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted | io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionRefused
    );
    if !per_connection {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
