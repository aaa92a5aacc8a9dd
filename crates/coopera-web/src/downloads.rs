//! Files to download: a response with its name, CSV lines, and bodies written by a blocking
//! task as they are made (the IATI export of a large selection never sits whole in memory).

use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Body;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use http_body::Frame;
use tokio::sync::mpsc;

pub(crate) const CSV: &str = "text/csv; charset=utf-8";
pub(crate) const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub(crate) const XML: &str = "application/xml; charset=utf-8";

/// A response that browsers save as `filename`.
pub(crate) fn attachment(body: impl Into<Body>, content_type: &'static str, filename: &str) -> Response {
    let mut response = body.into().into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

/// One CSV line: RFC 4180, with cells a spreadsheet would run as a formula made inert
/// ([`coopera_report::csv`], which the command line writes with too).
pub(crate) fn csv_line(fields: &[&str]) -> String {
    coopera_report::csv::line(fields)
}

/// The body side of a streamed download.
struct Channel(mpsc::Receiver<io::Result<Bytes>>);

impl http_body::Body for Channel {
    type Data = Bytes;
    type Error = io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, io::Error>>> {
        self.0.poll_recv(cx).map(|chunk| chunk.map(|r| r.map(Frame::data)))
    }
}

/// The writing side: buffers, and sends a chunk at a time; fails once the client has gone.
struct ChannelWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

const CHUNK: usize = 64 * 1024;

impl Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client left"))
    }
}

/// A download written by `write` on a blocking thread while it is sent.
pub(crate) fn streamed(
    content_type: &'static str,
    filename: &str,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()> + Send + 'static,
) -> Response {
    let (tx, rx) = mpsc::channel(4);
    // The blocking thread logs in the span of the request that asked for the download.
    let span = tracing::Span::current();
    tokio::task::spawn_blocking(move || {
        let _request = span.enter();
        let mut w = ChannelWriter { tx: tx.clone(), buf: Vec::with_capacity(CHUNK) };
        let result = write(&mut w).and_then(|()| w.flush());
        if let Err(e) = result
            && e.kind() != io::ErrorKind::BrokenPipe
        {
            tracing::error!("a download failed: {e}");
            let _ = tx.blocking_send(Err(e));
        }
    });
    attachment(Body::new(Channel(rx)), content_type, filename)
}
