//! `lucs-sandbox`: the sandbox tenant over HTTP on 127.0.0.1 — Microsoft Graph under `/v1.0/` and `/beta/`, a test token
//! endpoint and fault controls under `/sandbox/`, and optionally a static site (the planner page) at `/`.
//!
//! Usage: lucs-sandbox [--port N] [--site DIR] [--latency-ms N] [--seed N]
//!                     [--header-timeout-ms N] [--idle-timeout-ms N] [--allow-origin ORIGIN]…
//! Without `--seed` each start makes a tenant of its own (its id is in the "listening on" line and
//! `/sandbox/state`). Tokens are signed with a key made at start (`token.rs`); Graph refuses any other. Timeouts,
//! origins and the same-origin rule of `/sandbox/*` are in `server.rs`, which connections are kept in
//! `connections.rs`.

mod connections;
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
use lucs_sandbox::token::{self, Grant, Refusal, Signer};
use lucs_sandbox::{Exchange, Faults, Reply, Tenant};
use serde_json::{json, Value};

struct Config {
    port: u16,
    site: Option<PathBuf>,
    latency_ms: u64,
    /// None: a seed from the operating system, so the tenant id is new on each start.
    seed: Option<u64>,
    limits: server::Limits,
}

fn config() -> Result<Config, String> {
    let mut c = Config { port: 8080, site: None, latency_ms: 0, seed: None, limits: server::Limits::default() };
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
            "--seed" => c.seed = Some(value()?.parse().map_err(|_| "--seed must be a whole number")?),
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
    /// The seed `/sandbox/reset` starts the tenant from unless it is given another.
    seed: u64,
    site: Option<PathBuf>,
    signer: Signer,
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

/// A query parameter's value, percent-decoded (`+` is a space, as forms and `URLSearchParams` encode it).
fn query_param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|p| p.strip_prefix(name).and_then(|r| r.strip_prefix('=')).map(percent_decode))
}

fn percent_decode(v: &str) -> String {
    let (bytes, mut out) = (v.as_bytes(), Vec::with_capacity(v.len()));
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut i = 0;
    while i < bytes.len() {
        let escaped = (bytes[i] == b'%').then(|| Some(hex(*bytes.get(i + 1)?)? * 16 + hex(*bytes.get(i + 2)?)?));
        match (bytes[i], escaped.flatten()) {
            (_, Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// 401 unless the bearer token is one this sandbox signed, for Graph, for this tenant, unexpired; the token's
/// claims otherwise. Graph answers 401 when "required authentication information is either missing or not valid
/// for the resource" (learn.microsoft.com/graph/errors), code `InvalidAuthenticationToken`, in these wordings from
/// Graph replies quoted in public reports: "CompactToken parsing failed with error code: 80049217" for what is not
/// a token (microsoftgraph/msgraph-training-dotnet#31, Earlybyte/aad_oauth#102); "Signature is invalid."
/// (wazuh/wazuh-documentation#7620); "Access token validation failure. Invalid audience." for a token of another
/// resource (microsoftgraph/microsoft-graph-docs#4752); "Access token has expired or is not yet valid." for an
/// expired one (besscroft/diyfile#1).
fn authorized(auth: Option<&str>, tenant: &Tenant, signer: &Signer) -> Result<Value, Reply> {
    let refuse = |message: &str| Reply::error(401, "InvalidAuthenticationToken", message);
    let token = auth.and_then(|a| a.strip_prefix("Bearer ")).unwrap_or("");
    let c = signer.verify(token).map_err(|why| match why {
        Refusal::Malformed => refuse("CompactToken parsing failed with error code: 80049217"),
        Refusal::Signature => refuse("Signature is invalid."),
    })?;
    if c["aud"] != token::GRAPH_AUDIENCE {
        return Err(refuse("Access token validation failure. Invalid audience."));
    }
    let fresh = c["exp"].as_u64().is_some_and(|exp| exp.saturating_mul(1000) > now_ms());
    if c["tid"] != json!(tenant.id) || !fresh {
        return Err(refuse("Access token has expired or is not yet valid."));
    }
    Ok(c)
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
            let now_s = now_ms() / 1000;
            let jwt = s.signer.issue(&Grant {
                tenant_id: &t.id,
                user_id: &t.user.id,
                upn: &upn,
                audience: &aud,
                scopes: &scp,
                appid: &appid,
                issued_at_s: now_s,
                expires_at_s: now_s.saturating_add(ttl),
            });
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
        // The drifted states of a registered installation, for the health check's demo and tests.
        // `{ "prefix": "LUCS" }`: the plan's prefix (its keys start with its slug and a dash).
        ("POST", "/sandbox/health-states") => {
            let prefix = body["prefix"].as_str().unwrap_or("LUCS").to_string();
            json_answer(200, &json!({ "seeded": t.seed_health_states(&prefix, now_ms()) }), &[])
        }
        // The tenant's default app management policy for new client secrets: `{ "maxDays": 180 }` caps their
        // lifetime, `{ "blockSecrets": true }` refuses them; `{}` lifts both.
        ("POST", "/sandbox/app-policy") => {
            let (max_days, block) = (body["maxDays"].as_u64(), body["blockSecrets"].as_bool().unwrap_or(false));
            t.set_default_app_policy(max_days, block);
            json_answer(200, &json!({ "maxDays": max_days, "blockSecrets": block }), &[])
        }
        // A sign-in with one credential, as the beta sign-in activity report will tell it: `{ "keyId": "…" }`, at
        // `"at"` (ms since the epoch) or now.
        ("POST", "/sandbox/sign-in") => {
            let at = body["at"].as_u64().unwrap_or_else(now_ms);
            let key = body["keyId"].as_str().unwrap_or_default();
            match t.record_sign_in(key, at) {
                true => json_answer(200, &json!({ "keyId": key, "at": at }), &[]),
                false => json_answer(
                    404,
                    &json!({ "error": { "code": "NotFound", "message": format!("no live app holds the credential {key:?}") } }),
                    &[],
                ),
            }
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
    let claims = match authorized(auth.as_deref(), &s.tenant, &s.signer) {
        Ok(claims) => claims,
        Err(r) => return reply(r),
    };
    s.tenant.token_scopes = claims["scp"].as_str().unwrap_or("").split_whitespace().map(str::to_string).collect();
    if let Some(r) = lucs_sandbox::version_refusal(&url) {
        return reply(r);
    }
    match s.tenant.exchange(method.as_str(), graph, prefer.as_deref(), &body, now_ms()) {
        Exchange::Reply(r) => reply(r),
        Exchange::Dropped => Answer::Drop,
    }
}

/// Browsers call the sandbox from the page it serves (`make demo`) and, in tests, from origins named with
/// `--allow-origin`: those get CORS headers with their own origin, and the headers Graph clients send; any other
/// origin gets none, so its page can read no answer (`server::allowed_cors_origin`). The control endpoints
/// under `/sandbox/` further refuse other origins outright (`server::same_origin`).
const CORS: [(&str, &str); 3] = [
    ("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS"),
    ("Access-Control-Allow-Headers", "Authorization, Content-Type, Prefer, ConsistencyLevel"),
    ("Access-Control-Expose-Headers", "Retry-After"),
];

async fn serve(req: Request<Incoming>, state: Arc<Mutex<State>>) -> Result<Response<Full<Bytes>>, std::io::Error> {
    let control = server::is_control(req.uri().path());
    let refused = control && !server::same_origin(&req, server::limits());
    let allowed_origin = server::allowed_cors_origin(&req, server::limits());
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
            // The answer depends on Origin, so a cache must keep one per origin (Fetch standard, "CORS protocol
            // and HTTP caches").
            let mut r = Response::builder().status(status).header("Cache-Control", "no-store").header("Vary", "Origin");
            if let Some(origin) = allowed_origin.filter(|_| !refused) {
                r = r.header("Access-Control-Allow-Origin", origin);
                for (k, v) in CORS {
                    r = r.header(k, v);
                }
            }
            for (k, v) in headers {
                r = r.header(k, v);
            }
            r.body(Full::new(Bytes::from(body))).map_err(std::io::Error::other)
        }
    }
}

/// Listens on 127.0.0.1 with a backlog of 1024 rather than the usual 128: a burst of connections (a page opening
/// hundreds at once) then waits to be accepted instead of having its handshakes dropped, which a client retries
/// only after a second. Address reuse as `TcpListener::bind` sets it, so a restart finds the port free.
fn listen(port: u16) -> std::io::Result<tokio::net::TcpListener> {
    let socket = tokio::net::TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(std::net::SocketAddr::from(([127, 0, 0, 1], port)))?;
    socket.listen(1024)
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
    let start = || -> Result<(u64, Signer), String> {
        let seed = match c.seed {
            Some(seed) => seed,
            None => getrandom::u64().map_err(|e| format!("no random seed for the tenant: {e}"))?,
        };
        Ok((seed, Signer::from_os()?))
    };
    let (seed, signer) = match start() {
        Ok(made) => made,
        Err(e) => {
            eprintln!("lucs-sandbox: {e}");
            std::process::exit(1);
        }
    };
    let listener = match listen(c.port) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("lucs-sandbox: cannot listen on 127.0.0.1:{}: {e}", c.port);
            std::process::exit(1);
        }
    };
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(c.port);
    let mut tenant = Tenant::new(seed);
    tenant.faults.latency_ms = c.latency_ms;
    println!("lucs-sandbox listening on http://127.0.0.1:{port}/ (Graph at /v1.0, tenant {})", tenant.id);
    let _ = std::io::stdout().flush();
    let state = Arc::new(Mutex::new(State { tenant, requests: 0, seed, site: c.site, signer }));
    server::set_limits(c.limits.serving_on(port));
    connections::accept_loop(listener, move |stream, slot| {
        let state = state.clone();
        let limits = server::limits();
        async move {
            let io = TokioIo::new(server::IdleTimeout::new(stream, limits.idle_timeout));
            let in_service = slot.clone();
            let service = service_fn(move |req| {
                let busy = in_service.busy();
                let answer = serve(req, state.clone());
                async move {
                    let answered = answer.await;
                    drop(busy);
                    answered
                }
            });
            let mut http = http1::Builder::new();
            http.timer(TokioTimer::new()).header_read_timeout(limits.header_timeout);
            let connection = http.serve_connection(io, service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                () = slot.evicted() => {
                    // Chosen while idle; a request that began since is answered before the connection closes.
                    // Otherwise dropping the connection closes it.
                    if slot.is_busy() {
                        connection.as_mut().graceful_shutdown();
                        let _ = connection.await;
                    }
                }
            }
        }
    })
    .await;
}
