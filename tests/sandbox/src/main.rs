//! `lucs-sandbox`: the sandbox tenant over HTTP on 127.0.0.1 — Microsoft Graph under `/v1.0/` and `/beta/`, a test token
//! endpoint and fault controls under `/sandbox/`, and optionally a static site (the planner page) at `/`.
//!
//! Usage: lucs-sandbox [--port N] [--site DIR] [--latency-ms N] [--seed N]
//!                     [--header-timeout-ms N] [--idle-timeout-ms N] [--allow-origin ORIGIN]…
//! The connection limits, timeouts and the same-origin rule of `/sandbox/*` are in `server.rs`.

mod server;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http_body_util::Full;
use hyper::body::{Bytes, Incoming};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response};
use hyper_util::rt::{TokioIo, TokioTimer};
use lucs_sandbox::{token, Exchange, Faults, Reply, Tenant};
use serde_json::{json, Value};

struct Config {
    port: u16,
    site: Option<PathBuf>,
    latency_ms: u64,
    seed: u64,
    limits: server::Limits,
}

fn config() -> Result<Config, String> {
    let mut c = Config { port: 8080, site: None, latency_ms: 0, seed: 1, limits: server::Limits::default() };
    let ms = |v: String, flag: &str| {
        v.parse().map(Duration::from_millis).map_err(|_| format!("{flag} must be a whole number"))
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => c.port = value()?.parse().map_err(|_| "--port must be a number from 0 to 65535")?,
            "--site" => c.site = Some(PathBuf::from(value()?)),
            "--latency-ms" => c.latency_ms = value()?.parse().map_err(|_| "--latency-ms must be a whole number")?,
            "--seed" => c.seed = value()?.parse().map_err(|_| "--seed must be a whole number")?,
            "--header-timeout-ms" => c.limits.header_timeout = ms(value()?, &flag)?,
            "--idle-timeout-ms" => c.limits.idle_timeout = ms(value()?, &flag)?,
            "--allow-origin" => c.limits.allowed_origins.push(value()?),
            other => {
                return Err(format!(
                    "unknown option {other}; use --port, --site, --latency-ms, --seed, --header-timeout-ms, \
                     --idle-timeout-ms, --allow-origin"
                ))
            }
        }
    }
    Ok(c)
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

struct State {
    tenant: Tenant,
    requests: u64,
    seed: u64,
    site: Option<PathBuf>,
}

/// What to answer: status, headers, body — or break the connection (a "dropped connection" fault).
enum Answer {
    Send(u16, Vec<(String, String)>, Vec<u8>),
    Drop,
}

fn json_answer(status: u16, body: &Value, extra: &[(String, String)]) -> Answer {
    let mut headers = extra.to_vec();
    let bytes = if body.is_null() {
        Vec::new()
    } else {
        headers.push(("Content-Type".into(), "application/json".into()));
        body.to_string().into_bytes()
    };
    Answer::Send(status, headers, bytes)
}

fn reply(r: Reply) -> Answer {
    json_answer(r.status, &r.body, &r.headers)
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|p| {
        p.strip_prefix(name).and_then(|r| r.strip_prefix('=')).map(|v| v.replace("%20", " ").replace('+', " "))
    })
}

/// 401 unless the bearer token is a sandbox token for Graph, for this tenant, unexpired.
fn authorized(auth: Option<&str>, tenant: &Tenant) -> Result<(), Reply> {
    let Some(c) = auth.and_then(|a| a.strip_prefix("Bearer ")).and_then(token::claims) else {
        return Err(Reply::error(401, "InvalidAuthenticationToken", "Access token is empty or could not be parsed."));
    };
    let fresh = c["exp"].as_u64().is_some_and(|exp| exp * 1000 > now_ms());
    if c["aud"] != token::GRAPH_AUDIENCE || c["tid"] != json!(tenant.id) || !fresh {
        return Err(Reply::error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."));
    }
    Ok(())
}

fn static_file(site: &Path, path: &str) -> Answer {
    let rel = path.split('?').next().unwrap_or("/").trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    let not_found = || Answer::Send(404, vec![], b"not found".to_vec());
    if rel.split('/').any(|s| s == ".." || s.starts_with('.')) {
        return not_found();
    }
    let full = site.join(&rel);
    let Ok(bytes) = std::fs::read(&full) else { return not_found() };
    let kind = match full.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js" | "mjs") => "text/javascript",
        Some("css") => "text/css",
        Some("wasm") => "application/wasm",
        Some("json") => "application/json",
        Some("png") => "image/png",
        Some("svg") => "image/svg+xml",
        _ => "application/octet-stream",
    };
    Answer::Send(200, vec![("Content-Type".into(), kind.into())], bytes)
}

fn faults_from(body: &Value, base: &Faults) -> Faults {
    let f = |k: &str, d: f64| body[k].as_f64().unwrap_or(d).clamp(0.0, 1.0);
    let n = |k: &str, d: u64| body[k].as_u64().unwrap_or(d);
    Faults {
        throttle: f("throttle", base.throttle),
        retry_after_s: n("retryAfterS", base.retry_after_s),
        server_error: f("serverError", base.server_error),
        drop: f("drop", base.drop),
        replication_ms: n("replicationMs", base.replication_ms),
        purge_lag_ms: n("purgeLagMs", base.purge_lag_ms),
        expire_token: f("expireToken", base.expire_token),
        latency_ms: n("latencyMs", base.latency_ms),
        concurrency: f("concurrency", base.concurrency),
        credential_spacing_ms: n("credentialSpacingMs", base.credential_spacing_ms),
    }
}

fn faults_json(f: &Faults) -> Value {
    json!({ "throttle": f.throttle, "retryAfterS": f.retry_after_s, "serverError": f.server_error, "drop": f.drop,
            "replicationMs": f.replication_ms, "purgeLagMs": f.purge_lag_ms, "expireToken": f.expire_token, "latencyMs": f.latency_ms,
            "concurrency": f.concurrency, "credentialSpacingMs": f.credential_spacing_ms })
}

/// Everything but Graph: tokens, fault controls, state, the static site.
fn sandbox_route(s: &mut State, method: &Method, url: &str, body: &Value) -> Answer {
    let path = url.split('?').next().unwrap_or("");
    let t = &mut s.tenant;
    match (method.as_str(), path) {
        ("GET" | "POST", "/sandbox/token") => {
            let upn = query_param(url, "upn").unwrap_or_else(|| t.user.upn.clone());
            let aud = query_param(url, "aud").unwrap_or_else(|| token::GRAPH_AUDIENCE.to_string());
            let scp = query_param(url, "scp").unwrap_or_else(|| token::ADMIN_SCOPES.to_string());
            let ttl: u64 = query_param(url, "ttl").and_then(|v| v.parse().ok()).unwrap_or(3600);
            let appid = query_param(url, "appid").unwrap_or_else(|| token::PORTAL_APP_ID.to_string());
            let jwt = token::issue_for(&t.id, &upn, &aud, &scp, now_ms() / 1000 + ttl, &appid);
            json_answer(200, &json!({ "token_type": "Bearer", "access_token": jwt, "expires_in": ttl }), &[])
        }
        ("GET", "/sandbox/faults") => json_answer(200, &faults_json(&t.faults), &[]),
        ("POST", "/sandbox/faults") => {
            t.faults = faults_from(body, &t.faults);
            json_answer(200, &faults_json(&t.faults), &[])
        }
        ("POST", "/sandbox/roles") => {
            t.user.roles =
                body.as_array().into_iter().flatten().filter_map(|r| r.as_str().map(str::to_string)).collect();
            json_answer(200, &json!(t.user.roles), &[])
        }
        ("POST", "/sandbox/reset") => {
            let faults = t.faults.clone();
            s.tenant = Tenant::new(body["seed"].as_u64().unwrap_or(s.seed));
            s.tenant.faults = faults;
            s.requests = 0;
            json_answer(200, &json!({ "tenantId": s.tenant.id }), &[])
        }
        ("POST", "/sandbox/seed") => {
            let name = body["displayName"].as_str().unwrap_or("Registered by hand");
            let (id, app_id) = t.seed_application(name, None);
            json_answer(200, &json!({ "id": id, "appId": app_id }), &[])
        }
        // A member registers an app under a key (a squat) or a display name (a look-alike) and owns it.
        ("POST", "/sandbox/member-app") => {
            let text = |k: &str, d: &str| body[k].as_str().unwrap_or(d).to_string();
            let upn = text("ownerUpn", "member@contoso.example");
            let owner = t.seed_member(&upn, &text("ownerName", "Tenant Member"));
            let unique = body["uniqueName"].as_str();
            let (id, app_id) =
                t.seed_owned_application(&text("displayName", "Member's app"), unique, &[owner], now_ms());
            json_answer(200, &json!({ "id": id, "appId": app_id }), &[])
        }
        ("GET", "/sandbox/state") => json_answer(200, &t.summary(s.requests), &[]),
        ("GET", _) if s.site.is_some() => static_file(s.site.as_deref().unwrap_or(Path::new(".")), url),
        _ => json_answer(
            404,
            &json!({ "error": { "code": "NotFound", "message": format!("{path} is not a sandbox endpoint") } }),
            &[],
        ),
    }
}

async fn answer(req: Request<Incoming>, state: Arc<Mutex<State>>) -> Answer {
    let method = req.method().clone();
    let url = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    let (auth, prefer) = (header("authorization"), header("prefer"));
    if method == Method::OPTIONS {
        return Answer::Send(204, vec![], vec![]);
    }
    let bytes = match server::read_body(req, server::limits()).await {
        Ok(bytes) => bytes,
        Err(server::BodyError::TooLarge) => {
            let why = format!("the request body is larger than {} bytes", server::MAX_BODY_BYTES);
            return json_answer(413, &json!({ "error": { "code": "RequestEntityTooLarge", "message": why } }), &[]);
        }
        Err(server::BodyError::TimedOut) => {
            let why = "the request body did not arrive in time";
            return json_answer(408, &json!({ "error": { "code": "RequestTimeout", "message": why } }), &[]);
        }
    };
    let body: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    let Some(graph) = lucs_sandbox::graph_path(&url) else {
        let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
        return sandbox_route(&mut s, &method, &url, &body);
    };
    let latency = state.lock().map(|s| s.tenant.faults.latency_ms).unwrap_or(0);
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
    s.requests += 1;
    if let Err(r) = authorized(auth.as_deref(), &s.tenant) {
        return reply(r);
    }
    s.tenant.token_scopes = token::scopes_of(auth.as_deref());
    match s.tenant.exchange(method.as_str(), graph, prefer.as_deref(), &body, now_ms()) {
        Exchange::Reply(r) => reply(r),
        Exchange::Dropped => Answer::Drop,
    }
}

/// Browsers call the sandbox's Graph from the planner page and from extension pages: any origin may (it is
/// loopback only, holds no real data, and a token comes only from `/sandbox/token`), with the headers Graph
/// clients send. The control endpoints under `/sandbox/` get no CORS headers and refuse other origins.
const CORS: [(&str, &str); 5] = [
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS"),
    ("Access-Control-Allow-Headers", "Authorization, Content-Type, Prefer, ConsistencyLevel"),
    ("Access-Control-Expose-Headers", "Retry-After"),
    ("Cache-Control", "no-store"),
];

async fn serve(req: Request<Incoming>, state: Arc<Mutex<State>>) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let control = server::is_control(req.uri().path());
    let refused = control && !server::same_origin(&req, server::limits());
    let allowed_origin = server::allowed_cors_origin(&req, server::limits()).filter(|_| control);
    let answer = if refused {
        let why = "the sandbox's control endpoints answer only pages of their own origin";
        json_answer(403, &json!({ "error": { "code": "Forbidden", "message": why } }), &[])
    } else {
        answer(req, state).await
    };
    match answer {
        // An error makes hyper close the connection without an answer: the client sees a network error.
        Answer::Drop => Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "dropped by the sandbox")),
        Answer::Send(status, headers, body) => {
            let mut r = Response::builder().status(status);
            let cors = CORS.iter().map(|(k, v)| match (*k, &allowed_origin) {
                ("Access-Control-Allow-Origin", Some(origin)) => (k.to_string(), origin.clone()),
                _ => (k.to_string(), v.to_string()),
            });
            let cors = cors.filter(|(k, _)| !(control && allowed_origin.is_none() && k.starts_with("Access-Control-")));
            for (k, v) in cors.chain(headers) {
                r = r.header(k, v);
            }
            r.body(Full::new(Bytes::from(body))).map_err(std::io::Error::other)
        }
    }
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let c = match config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lucs-sandbox: {e}");
            std::process::exit(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", c.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("lucs-sandbox: cannot listen on 127.0.0.1:{}: {e}", c.port);
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(c.port);
    let mut tenant = Tenant::new(c.seed);
    tenant.faults.latency_ms = c.latency_ms;
    println!("lucs-sandbox listening on http://127.0.0.1:{port}/ (Graph at /v1.0, tenant {})", tenant.id);
    let _ = std::io::stdout().flush();
    let state = Arc::new(Mutex::new(State { tenant, requests: 0, seed: c.seed, site: c.site }));
    server::set_limits(c.limits);
    server::accept_loop(listener, move |stream| {
        let state = state.clone();
        let limits = server::limits();
        async move {
            let io = TokioIo::new(server::IdleTimeout::new(stream, limits.idle_timeout));
            let service = service_fn(move |req| serve(req, state.clone()));
            let mut http = http1::Builder::new();
            http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
            let _ = http.serve_connection(io, service).await;
        }
    })
    .await;
}
