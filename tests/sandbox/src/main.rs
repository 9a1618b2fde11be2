//! `lucs-sandbox`: the sandbox tenant over HTTP on 127.0.0.1 — Microsoft Graph under `/v1.0/`, a test token
//! endpoint and fault controls under `/sandbox/`, and optionally a static site (the planner page) at `/`.
//!
//! Usage: lucs-sandbox [--port N] [--site DIR] [--latency-ms N] [--seed N]

use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lucs_sandbox::{token, Exchange, Faults, Reply, Tenant};
use serde_json::{json, Value};
use tiny_http::{Header, Method, Request, Response, Server};

struct Config {
    port: u16,
    site: Option<PathBuf>,
    latency_ms: u64,
    seed: u64,
}

fn config() -> Result<Config, String> {
    let mut c = Config { port: 8080, site: None, latency_ms: 0, seed: 1 };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--port" => c.port = value()?.parse().map_err(|_| "--port must be a number from 0 to 65535")?,
            "--site" => c.site = Some(PathBuf::from(value()?)),
            "--latency-ms" => c.latency_ms = value()?.parse().map_err(|_| "--latency-ms must be a whole number")?,
            "--seed" => c.seed = value()?.parse().map_err(|_| "--seed must be a whole number")?,
            other => return Err(format!("unknown option {other}; use --port, --site, --latency-ms, --seed")),
        }
    }
    Ok(c)
}

fn now_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Browsers call the sandbox from the planner page and from extension pages: allow any origin (it is loopback
/// only and holds no real data) and the headers Graph clients send.
fn cors(mut r: Response<std::io::Cursor<Vec<u8>>>) -> Response<std::io::Cursor<Vec<u8>>> {
    for (k, v) in [
        ("Access-Control-Allow-Origin", "*"),
        ("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE, OPTIONS"),
        ("Access-Control-Allow-Headers", "Authorization, Content-Type, Prefer, ConsistencyLevel"),
        ("Access-Control-Expose-Headers", "Retry-After"),
        ("Cache-Control", "no-store"),
    ] {
        r.add_header(header(k, v));
    }
    r
}

fn json_response(status: u16, body: &Value, extra: &[(String, String)]) -> Response<std::io::Cursor<Vec<u8>>> {
    let text = if body.is_null() { String::new() } else { body.to_string() };
    let mut r = Response::from_string(text).with_status_code(status);
    if !body.is_null() {
        r.add_header(header("Content-Type", "application/json"));
    }
    for (k, v) in extra {
        r.add_header(header(k, v));
    }
    cors(r)
}

fn reply(r: Reply) -> Response<std::io::Cursor<Vec<u8>>> {
    json_response(r.status, &r.body, &r.headers)
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let q = url.split_once('?')?.1;
    q.split('&').find_map(|p| {
        p.strip_prefix(name).and_then(|r| r.strip_prefix('=')).map(|v| v.replace("%20", " ").replace('+', " "))
    })
}

/// 401 unless the bearer token is a sandbox token for Graph, for this tenant, unexpired.
fn authorized(req: &Request, tenant: &Tenant) -> Result<(), Reply> {
    let auth = req.headers().iter().find(|h| h.field.equiv("Authorization")).map(|h| h.value.as_str().to_string());
    let claims = auth.as_deref().and_then(|a| a.strip_prefix("Bearer ")).and_then(token::claims);
    let Some(c) = claims else {
        return Err(Reply::error(401, "InvalidAuthenticationToken", "Access token is empty or could not be parsed."));
    };
    let fresh = c["exp"].as_u64().is_some_and(|exp| exp * 1000 > now_ms());
    if c["aud"] != token::GRAPH_AUDIENCE || c["tid"] != json!(tenant.id) || !fresh {
        return Err(Reply::error(401, "InvalidAuthenticationToken", "Access token has expired or is not yet valid."));
    }
    Ok(())
}

fn static_file(site: &std::path::Path, path: &str) -> Response<std::io::Cursor<Vec<u8>>> {
    let rel = path.split('?').next().unwrap_or("/").trim_start_matches('/');
    let rel = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_string() };
    if rel.split('/').any(|s| s == ".." || s.starts_with('.')) {
        return Response::from_string("").with_status_code(404);
    }
    let full = site.join(&rel);
    let Ok(bytes) = std::fs::read(&full) else { return Response::from_string("not found").with_status_code(404) };
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
    let mut r = Response::from_data(bytes);
    r.add_header(header("Content-Type", kind));
    r
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
        expire_token: f("expireToken", base.expire_token),
        latency_ms: n("latencyMs", base.latency_ms),
    }
}

fn faults_json(f: &Faults) -> Value {
    json!({ "throttle": f.throttle, "retryAfterS": f.retry_after_s, "serverError": f.server_error, "drop": f.drop,
            "replicationMs": f.replication_ms, "expireToken": f.expire_token, "latencyMs": f.latency_ms })
}

fn main() {
    let c = match config() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("lucs-sandbox: {e}");
            std::process::exit(2);
        }
    };
    let server = match Server::http(("127.0.0.1", c.port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lucs-sandbox: cannot listen on 127.0.0.1:{}: {e}", c.port);
            std::process::exit(1);
        }
    };
    let port = server.server_addr().to_ip().map(|a| a.port()).unwrap_or(c.port);
    let mut tenant = Tenant::new(c.seed);
    tenant.faults.latency_ms = c.latency_ms;
    println!("lucs-sandbox listening on http://127.0.0.1:{port}/ (Graph at /v1.0, tenant {})", tenant.id);
    let _ = std::io::stdout().flush();
    let mut requests: u64 = 0;
    for mut req in server.incoming_requests() {
        let url = req.url().to_string();
        let method = req.method().clone();
        let mut text = String::new();
        let _ = req.as_reader().read_to_string(&mut text);
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
        if method == Method::Options {
            let _ = req.respond(cors(Response::from_string("").with_status_code(204)));
            continue;
        }
        let path = url.split('?').next().unwrap_or("");
        let response = if let Some(graph) = url.strip_prefix("/v1.0") {
            requests += 1;
            if tenant.faults.latency_ms > 0 {
                std::thread::sleep(Duration::from_millis(tenant.faults.latency_ms));
            }
            if let Err(r) = authorized(&req, &tenant) {
                reply(r)
            } else {
                let prefer =
                    req.headers().iter().find(|h| h.field.equiv("Prefer")).map(|h| h.value.as_str().to_string());
                match tenant.exchange(method.as_str(), graph, prefer.as_deref(), &body, now_ms()) {
                    Exchange::Reply(r) => reply(r),
                    Exchange::Dropped => {
                        // Break the connection instead of answering: the client sees a network error.
                        let mut raw = req.into_writer();
                        let _ = raw.write_all(b"\0\0\0 connection dropped by the sandbox\r\n\r\n");
                        let _ = raw.flush();
                        continue;
                    }
                }
            }
        } else {
            match (method.as_str(), path) {
                ("GET" | "POST", "/sandbox/token") => {
                    let upn = query_param(&url, "upn").unwrap_or_else(|| tenant.user.upn.clone());
                    let aud = query_param(&url, "aud").unwrap_or_else(|| token::GRAPH_AUDIENCE.to_string());
                    let scp = query_param(&url, "scp").unwrap_or_else(|| token::ADMIN_SCOPES.to_string());
                    let ttl: u64 = query_param(&url, "ttl").and_then(|t| t.parse().ok()).unwrap_or(3600);
                    let exp = now_ms() / 1000 + ttl;
                    let jwt = token::issue(&tenant.id, &upn, &aud, &scp, exp);
                    json_response(200, &json!({ "token_type": "Bearer", "access_token": jwt, "expires_in": ttl }), &[])
                }
                ("GET", "/sandbox/faults") => json_response(200, &faults_json(&tenant.faults), &[]),
                ("POST", "/sandbox/faults") => {
                    tenant.faults = faults_from(&body, &tenant.faults);
                    json_response(200, &faults_json(&tenant.faults), &[])
                }
                ("POST", "/sandbox/roles") => {
                    tenant.user.roles =
                        body.as_array().into_iter().flatten().filter_map(|r| r.as_str().map(str::to_string)).collect();
                    json_response(200, &json!(tenant.user.roles), &[])
                }
                ("POST", "/sandbox/reset") => {
                    let faults = tenant.faults.clone();
                    tenant = Tenant::new(body["seed"].as_u64().unwrap_or(c.seed));
                    tenant.faults = faults;
                    requests = 0;
                    json_response(200, &json!({ "tenantId": tenant.id }), &[])
                }
                ("POST", "/sandbox/seed") => {
                    let name = body["displayName"].as_str().unwrap_or("Registered by hand");
                    let (id, app_id) = tenant.seed_application(name, None);
                    json_response(200, &json!({ "id": id, "appId": app_id }), &[])
                }
                ("GET", "/sandbox/state") => json_response(200, &tenant.summary(requests), &[]),
                ("GET", _) if c.site.is_some() => {
                    cors(static_file(c.site.as_deref().unwrap_or(std::path::Path::new(".")), &url))
                }
                _ => json_response(
                    404,
                    &json!({ "error": { "code": "NotFound", "message": format!("{path} is not a sandbox endpoint") } }),
                    &[],
                ),
            }
        };
        let _ = req.respond(response);
    }
}
