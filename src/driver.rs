//! The driver: the thin async loop that does what the engine says, with gloo-net's fetch. It asks JavaScript for
//! the token before every request and keeps it no longer than that request; it refuses to send a token anywhere
//! but Microsoft Graph (or a loopback sandbox).

use gloo_net::http::Request as Fetch;
use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::engine::http::{Caller, Method, Request, Response};
pub use crate::engine::job::AsJson;
use crate::engine::job::{Action, Job};
use crate::engine::journal::Journal;
use crate::engine::report::{Event, Stop, StopKind};
use crate::error::{Code, Error};

pub struct Options {
    pub graph_base_url: String,
    pub get_token: Function,
    pub on_progress: Option<Function>,
    /// Called with the journal after every reply, so the caller can persist it (an MV3 worker may be stopped).
    pub on_journal: Option<Function>,
    pub signal: Option<AbortSignal>,
}

pub enum Ended<T> {
    Done(T),
    /// The stop, and the journal to resume from (for jobs that write).
    Stopped(Box<Stop>, Option<Journal>),
}

/// Where Microsoft Graph v1.0 lives (learn.microsoft.com/graph/use-the-api: `https://graph.microsoft.com/{version}`).
pub const GRAPH_BASE_URL: &str = "https://graph.microsoft.com/v1.0";
const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// Microsoft Graph, or a sandbox on this machine; nothing else ever receives the token. The URL is taken apart
/// and each part compared exactly — scheme, host, port and path, with no user information, query or fragment —
/// so `http://127.0.0.1:@evil.test/v1.0` (whose host is evil.test) is refused. One trailing slash is allowed.
pub fn check_base_url(url: &str) -> Result<String, Error> {
    let url = url.strip_suffix('/').unwrap_or(url);
    if url == GRAPH_BASE_URL {
        return Ok(url.to_string());
    }
    loopback(url).ok_or_else(|| {
        Error::new(
            Code::InvalidInput,
            "graphBaseUrl",
            format!("`graphBaseUrl` must be {GRAPH_BASE_URL} (or http://127.0.0.1:PORT/v1.0 for a local sandbox), got {url:?}"),
        )
    })
}

/// `http://<loopback host>:<port>/v1.0`, rebuilt from its parsed parts.
fn loopback(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let (authority, path) = rest.split_at(rest.find('/')?);
    if path != "/v1.0" {
        return None;
    }
    let (host, port) = authority.rsplit_once(':')?;
    let port_ok = !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
    let port: u16 = if port_ok { port.parse().ok()? } else { return None };
    (port > 0 && LOOPBACK_HOSTS.contains(&host)).then(|| format!("http://{host}:{port}/v1.0"))
}

fn now() -> u64 {
    js_sys::Date::now() as u64
}

/// setTimeout through the global object: works in pages, workers and Node.
async fn sleep(ms: u64) {
    let promise = Promise::new(&mut |resolve, _| {
        let global = js_sys::global();
        if let Ok(set_timeout) = js_sys::Reflect::get(&global, &"setTimeout".into()) {
            if let Some(f) = set_timeout.dyn_ref::<Function>() {
                let _ = f.call2(&global, &resolve, &JsValue::from_f64(ms as f64));
            }
        }
    });
    let _ = JsFuture::from(promise).await;
}

async fn token(get_token: &Function, refresh: bool) -> Result<String, Error> {
    let arg = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&arg, &"forceRefresh".into(), &refresh.into());
    let called = get_token.call1(&JsValue::NULL, &arg).map_err(|_| no_token("getToken threw"))?;
    let value = JsFuture::from(Promise::resolve(&called)).await.map_err(|_| no_token("getToken rejected"))?;
    value.as_string().filter(|t| !t.is_empty()).ok_or_else(|| no_token("getToken returned no token"))
}

fn no_token(why: &str) -> Error {
    Error::new(Code::InvalidInput, "getToken", format!("{why}: it must resolve to a Microsoft Graph access token"))
}

async fn send(base: &str, req: &Request, bearer: &str, signal: Option<&AbortSignal>) -> Response {
    let url = match base.strip_suffix("/v1.0").filter(|_| req.beta) {
        // The checked base's own host: only its version segment changes.
        Some(host) => format!("{host}/beta{}", req.url),
        None => format!("{base}{}", req.url),
    };
    let mut builder = match req.method {
        Method::Get => Fetch::get(&url),
        Method::Post => Fetch::post(&url),
        Method::Patch => Fetch::patch(&url),
        Method::Delete => Fetch::delete(&url),
    }
    .header("Authorization", &format!("Bearer {bearer}"))
    .abort_signal(signal);
    for (k, v) in &req.headers {
        builder = builder.header(k, v);
    }
    let sent = match &req.body {
        Some(body) => match builder.body(body.to_string()) {
            Ok(r) => r.send().await,
            Err(e) => return Response::NetworkError(e.to_string()),
        },
        None => builder.send().await,
    };
    match sent {
        Ok(resp) => {
            let status = resp.status();
            let retry_after = resp.headers().get("retry-after");
            let text = resp.text().await.unwrap_or_default();
            let body = serde_json::from_str(&text).unwrap_or(serde_json::Value::Null);
            Response::Http { status, retry_after, body }
        }
        Err(e) => Response::NetworkError(e.to_string()),
    }
}

/// A JSON value as a plain JS object (the one conversion every value leaving the Wasm takes).
pub fn to_plain(value: &serde_json::Value) -> Result<JsValue, Error> {
    use serde::Serialize;
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| Error::general(Code::InvalidInput, e.to_string()))
}

fn report_progress(on_progress: Option<&Function>, events: Vec<Event>) {
    let Some(f) = on_progress else { return };
    for e in events {
        if let Ok(v) = serde_json::to_value(&e) {
            if let Ok(js) = to_plain(&v) {
                let _ = f.call1(&JsValue::NULL, &js);
            }
        }
    }
}

fn tell_caller(engine: &mut dyn Job<Output = serde_json::Value>, bearer: &str) {
    if let Ok(claims) = crate::token::decode(bearer, 0) {
        engine.caller(&Caller { tenant_id: claims.tid, user_id: claims.oid, scopes: claims.scp });
    }
}

/// Runs a job to its end. A cancel (AbortSignal) stops between or during requests with a resumable journal.
pub async fn run(
    mut engine: Box<dyn Job<Output = serde_json::Value>>,
    opts: Options,
) -> Result<Ended<serde_json::Value>, Error> {
    let base = check_base_url(&opts.graph_base_url)?;
    let aborted = |s: &Option<AbortSignal>| s.as_ref().is_some_and(|s| s.aborted());
    let mut refresh = false;
    // Who calls is known before the first poll: a run that starts from a check's replies sends a write first, and
    // that write binds the signed-in user as owner.
    tell_caller(engine.as_mut(), &token(&opts.get_token, false).await?);
    loop {
        report_progress(opts.on_progress.as_ref(), engine.drain_events());
        if aborted(&opts.signal) {
            let stop = Stop::new(StopKind::Cancelled, None, "cancelled; run again with the journal to resume".into());
            return Ok(Ended::Stopped(Box::new(stop), engine.journal()));
        }
        match engine.poll(now()) {
            Action::Send(req) => {
                let bearer = token(&opts.get_token, refresh).await?;
                refresh = false;
                tell_caller(engine.as_mut(), &bearer);
                let response = send(&base, &req, &bearer, opts.signal.as_ref()).await;
                drop(bearer);
                engine.on_response(response, now());
                if let (Some(f), Some(journal)) = (opts.on_journal.as_ref(), engine.journal()) {
                    if let Ok(js) =
                        serde_json::to_value(&journal).map_err(|_| ()).and_then(|v| to_plain(&v).map_err(|_| ()))
                    {
                        let _ = f.call1(&JsValue::NULL, &js);
                    }
                }
            }
            Action::Wait { ms } => sleep(ms).await,
            Action::NeedToken => {
                refresh = true;
                engine.token_refreshed();
            }
            Action::Done(report) => {
                report_progress(opts.on_progress.as_ref(), engine.drain_events());
                return Ok(Ended::Done(report));
            }
            Action::Stopped(stop) => return Ok(Ended::Stopped(stop, engine.journal())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_base_url;

    #[test]
    fn graph_and_loopback_sandboxes_pass() {
        for ok in [
            "https://graph.microsoft.com/v1.0",
            "https://graph.microsoft.com/v1.0/",
            "http://127.0.0.1:18181/v1.0",
            "http://localhost:8080/v1.0",
            "http://[::1]:8080/v1.0/",
        ] {
            assert!(check_base_url(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn lookalikes_are_refused() {
        for bad in [
            "http://127.0.0.1:@evil.test/v1.0",
            "http://127.0.0.1:80@evil.test/v1.0",
            "http://user:pw@127.0.0.1:80/v1.0",
            "http://127.0.0.1:8080.evil.test/v1.0",
            "http://127.0.0.1:/v1.0",
            "http://127.0.0.1:0/v1.0",
            "http://127.0.0.1:99999/v1.0",
            "http://127.0.0.1:8080/v1.0?x=1",
            "http://127.0.0.1:8080/v1.0#x",
            "http://127.0.0.1:8080/other",
            "http://127.0.0.1:8080",
            "http://127.0.0.2:8080/v1.0",
            "https://127.0.0.1:8080/v1.0",
            "https://graph.microsoft.com.evil.test/v1.0",
            "https://graph.microsoft.com/v1.0/../beta",
            "https://graph.microsoft.com/beta",
            "https://evil.test/https://graph.microsoft.com/v1.0",
            "HTTP://127.0.0.1:8080/v1.0",
            "",
        ] {
            let e = check_base_url(bad).expect_err(bad);
            assert_eq!(e.field.as_deref(), Some("graphBaseUrl"));
        }
    }
}
