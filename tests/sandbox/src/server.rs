//! The HTTP plumbing of `lucs-sandbox`: how much of a request is read, how long a connection may stall, and which
//! origins may call it. The sandbox runs on the user's machine during `make demo`, so any web page the user visits
//! meanwhile can send it requests: its limits keep such a page (or a stuck client) from exhausting memory, or
//! driving the tenant, or reading its answers. Which connections are kept is `connections.rs`.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{BodyExt, Limited};
use hyper::body::{Bytes, Incoming};
use hyper::Request;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{sleep, Instant, Sleep};

/// The largest request body read. The registrar's largest request, a JSON batch of 20 application upserts, is
/// about 60 KB (Graph's JSON batching allows 20 requests: learn.microsoft.com/graph/json-batching).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

#[derive(Clone)]
pub struct Limits {
    /// A request's start line and headers must arrive within this time (also bounds an idle keep-alive wait).
    pub header_timeout: Duration,
    /// A connection on which no byte moves either way for this long is closed (a stalled body or reader).
    pub idle_timeout: Duration,
    /// The sandbox's own origins, those of the page it serves (`http://127.0.0.1:PORT`, `http://localhost:PORT`),
    /// set once the port is bound.
    pub own_origins: Vec<String>,
    /// Origins besides its own that may call it from a browser (tests served from another port).
    pub allowed_origins: Vec<String>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(30),
            own_origins: Vec::new(),
            allowed_origins: Vec::new(),
        }
    }
}

impl Limits {
    /// The origins of the page served on `port`.
    pub fn serving_on(mut self, port: u16) -> Limits {
        self.own_origins = vec![format!("http://127.0.0.1:{port}"), format!("http://localhost:{port}")];
        self
    }

    fn trusts(&self, origin: &str) -> bool {
        self.own_origins.iter().chain(&self.allowed_origins).any(|o| o == origin)
    }
}

static LIMITS: OnceLock<Limits> = OnceLock::new();

/// Sets the limits once, at start-up.
pub fn set_limits(limits: Limits) {
    let _ = LIMITS.set(limits);
}

pub fn limits() -> &'static Limits {
    LIMITS.get_or_init(Limits::default)
}

/// Why a body was not read: too large (413) or too slow (408).
pub enum BodyError {
    TooLarge,
    TimedOut,
}

/// Reads a request body of at most `MAX_BODY_BYTES`, refusing a larger declared length before reading any of it.
pub async fn read_body(req: Request<Incoming>, limits: &Limits) -> Result<Bytes, BodyError> {
    let declared = req.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    if declared.is_some_and(|n: u64| n > MAX_BODY_BYTES as u64) {
        return Err(BodyError::TooLarge);
    }
    let body = Limited::new(req.into_body(), MAX_BODY_BYTES);
    match tokio::time::timeout(limits.idle_timeout, body.collect()).await {
        Err(_) => Err(BodyError::TimedOut),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(e)) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => Err(BodyError::TooLarge),
        Ok(Err(_)) => Err(BodyError::TimedOut),
    }
}

/// The control endpoints (tokens, faults, roles, reset, seed, state) live under `/sandbox`.
pub fn is_control(path: &str) -> bool {
    path == "/sandbox" || path.starts_with("/sandbox/")
}

/// Control endpoints answer only their own origin. The Host must be a loopback name (a page on another host
/// that re-points its DNS name at 127.0.0.1 still sends its own Host), and an `Origin` header, which browsers
/// send on every cross-origin request and on same-origin POSTs (Fetch standard, "origin header"), must be the
/// sandbox's own origin or one allowed explicitly. Requests without `Origin` come from tools, not web pages.
pub fn same_origin<B>(req: &Request<B>, limits: &Limits) -> bool {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let Some(host) = header("host") else { return false };
    let name = host.rsplit_once(':').filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit())).map_or(host, |h| h.0);
    if !matches!(name, "127.0.0.1" | "localhost" | "[::1]") {
        return false;
    }
    header("origin").is_none_or(|origin| limits.trusts(origin))
}

/// The `Access-Control-Allow-Origin` an answer carries, Graph's and the control endpoints' alike: the request's
/// origin when it is the sandbox's own page or one allowed by flag, else none, so a page elsewhere can send
/// requests (as any page can) but never read an answer. Never `*`.
pub fn allowed_cors_origin<B>(req: &Request<B>, limits: &Limits) -> Option<String> {
    let origin = req.headers().get("origin")?.to_str().ok()?;
    limits.trusts(origin).then(|| origin.to_string())
}

/// A connection that closes when no byte has moved either way for `timeout`.
pub struct IdleTimeout<T> {
    io: T,
    timeout: Duration,
    deadline: Pin<Box<Sleep>>,
}

impl<T> IdleTimeout<T> {
    pub fn new(io: T, timeout: Duration) -> Self {
        IdleTimeout { io, timeout, deadline: Box::pin(sleep(timeout)) }
    }

    fn progressed(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + self.timeout);
    }

    fn expired(&mut self, cx: &mut Context<'_>) -> bool {
        self.deadline.as_mut().poll(cx).is_ready()
    }
}

fn idle_error() -> io::Error {
    io::Error::new(io::ErrorKind::TimedOut, "connection idle too long")
}

impl<T: AsyncRead + Unpin> AsyncRead for IdleTimeout<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.io).poll_read(cx, buf) {
            Poll::Ready(r) => {
                self.progressed();
                Poll::Ready(r)
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(idle_error())),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for IdleTimeout<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.io).poll_write(cx, data) {
            Poll::Ready(r) => {
                self.progressed();
                Poll::Ready(r)
            }
            Poll::Pending if self.expired(cx) => Poll::Ready(Err(idle_error())),
            Poll::Pending => Poll::Pending,
        }
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }
}
