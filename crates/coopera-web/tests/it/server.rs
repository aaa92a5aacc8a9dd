//! The connection loop on a real socket: idle and half-sent connections are closed after the
//! header deadline, connections beyond the limit are closed at once, and the server answers
//! again as soon as they are gone.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use coopera_web::{Limits, ServeOptions};

use super::*;

/// A server on a free port with `limits`, stopped when dropped.
struct Running {
    addr: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn start(limits: Limits) -> Running {
    let store = fresh_store();
    let state = AppState::from_store(store, Options::default()).expect("state");
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (bound, addr) = std::sync::mpsc::channel();
    let options = ServeOptions { addr: "127.0.0.1:0".parse().expect("address"), limits };
    let thread = std::thread::spawn(move || {
        let stop = async {
            let _ = stopped.await;
        };
        coopera_web::serve_until(&options, state, |a| bound.send(a).expect("address sent"), stop).expect("served");
    });
    let addr = addr.recv_timeout(Duration::from_secs(20)).expect("the server started");
    Running { addr, stop: Some(stop), thread: Some(thread) }
}

/// Reads until the server closes the connection; how long that took.
fn closed_after(mut s: TcpStream) -> Duration {
    let started = Instant::now();
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) | Err(_) => return started.elapsed(),
            Ok(_) => {}
        }
    }
}

fn health(addr: SocketAddr) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    write!(s, "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").expect("send");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out.lines().next().unwrap_or("").to_owned()
}

#[test]
fn idle_and_half_sent_connections_are_closed_after_the_header_deadline() {
    let deadline = Duration::from_millis(300);
    let server = start(Limits { header_read_timeout: deadline, ..Limits::default() });
    let silent = TcpStream::connect(server.addr).expect("connect");
    let mut half = TcpStream::connect(server.addr).expect("connect");
    half.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n").expect("send");
    let mut kept = TcpStream::connect(server.addr).expect("connect");
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n").expect("send");
    for (what, s) in [("silent", silent), ("half-sent headers", half), ("idle after a response", kept)] {
        let after = closed_after(s);
        assert!(after < Duration::from_secs(5), "{what}: still open after {after:?}");
    }
    assert_eq!(health(server.addr), "HTTP/1.1 200 OK");
}

#[test]
fn connections_beyond_the_limit_are_closed_and_the_server_recovers() {
    let server = start(Limits { max_connections: 3, ..Limits::default() });
    let held: Vec<TcpStream> = (0..3).map(|_| TcpStream::connect(server.addr).expect("connect")).collect();
    // Give the loop time to accept the three.
    std::thread::sleep(Duration::from_millis(200));
    let extra = TcpStream::connect(server.addr).expect("the kernel accepts the connection");
    assert!(closed_after(extra) < Duration::from_secs(5), "a fourth connection is closed at once");
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(health(server.addr), "HTTP/1.1 200 OK", "answering again once the connections are gone");
}
