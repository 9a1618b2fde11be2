//! The driver: the thin async loop that does what the engine says, with gloo-net's fetch. It asks JavaScript for
//! the token before every request and keeps it no longer than that request; it refuses to send a token anywhere
//! but Microsoft Graph (or a loopback sandbox).

use gloo_net::http::Request as Fetch;
use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::AbortSignal;

use crate::engine::{Action, Event, Job, Journal, Request, Response, Stop, StopKind};
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

/// Microsoft Graph, or a sandbox on this machine; nothing else ever receives the token.
pub fn check_base_url(url: &str) -> Result<String, Error> {
    let url = url.trim_end_matches('/');
    let graph = url == "https://graph.microsoft.com/v1.0";
    let loopback = ["http://127.0.0.1:", "http://localhost:"].iter().any(|p| url.starts_with(p));
    if graph || loopback {
        Ok(url.to_string())
    } else {
        Err(Error::new(
            Code::InvalidInput,
            "graphBaseUrl",
            format!("`graphBaseUrl` must be https://graph.microsoft.com/v1.0 (or a loopback sandbox), got {url:?}"),
        ))
    }
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
    let url = format!("{base}{}", req.url);
    let mut builder = match req.method {
        "GET" => Fetch::get(&url),
        "PATCH" => Fetch::patch(&url),
        "DELETE" => Fetch::delete(&url),
        _ => Fetch::post(&url),
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

fn report_progress(on_progress: Option<&Function>, events: Vec<Event>) {
    let Some(f) = on_progress else { return };
    for e in events {
        if let Ok(v) = serde_json::to_value(&e) {
            if let Ok(js) = crate::wasm_api::to_plain(&v) {
                let _ = f.call1(&JsValue::NULL, &js);
            }
        }
    }
}

/// Any job with its output as JSON: the driver loop is then compiled once, not once per job type (that alone
/// was ~40 KB of the Wasm).
pub struct AsJson<J>(pub J);

impl<J: Job> Job for AsJson<J>
where
    J::Output: serde::Serialize,
{
    type Output = serde_json::Value;
    fn poll(&mut self, now: u64) -> Action<serde_json::Value> {
        match self.0.poll(now) {
            Action::Done(out) => Action::Done(serde_json::to_value(out).unwrap_or_default()),
            Action::Send(r) => Action::Send(r),
            Action::Wait { ms } => Action::Wait { ms },
            Action::NeedToken => Action::NeedToken,
            Action::Stopped(s) => Action::Stopped(s),
        }
    }
    fn on_response(&mut self, response: Response, now: u64) {
        self.0.on_response(response, now)
    }
    fn token_refreshed(&mut self) {
        self.0.token_refreshed()
    }
    fn drain_events(&mut self) -> Vec<Event> {
        self.0.drain_events()
    }
    fn journal(&self) -> Option<Journal> {
        self.0.journal()
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
                if let Ok(claims) = crate::token::decode(&bearer, 0) {
                    engine.token_scopes(&claims.scp);
                }
                let response = send(&base, &req, &bearer, opts.signal.as_ref()).await;
                drop(bearer);
                engine.on_response(response, now());
                if let (Some(f), Some(journal)) = (opts.on_journal.as_ref(), engine.journal()) {
                    if let Ok(js) = serde_json::to_value(&journal)
                        .map_err(|_| ())
                        .and_then(|v| crate::wasm_api::to_plain(&v).map_err(|_| ()))
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
