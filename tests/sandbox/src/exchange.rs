//! Whole exchanges with fault injection: an HTTP request (possibly a `$batch`) in, a reply or a dropped
//! connection out. Batches follow Microsoft's JSON batching rules: at most 20 requests, unique ids, `dependsOn`
//! (a failed dependency gives 424), replies in any order, each request throttled on its own.

use serde_json::{json, Value};

use crate::tenant::{Reply, Tenant};

pub enum Exchange {
    Reply(Reply),
    /// The connection dropped; the request may or may not have taken effect.
    Dropped,
}

impl Tenant {
    /// One HTTP request. `url` is relative to the version root (`/$batch`, `/applications(...)`).
    pub fn exchange(&mut self, method: &str, url: &str, prefer: Option<&str>, body: &Value, now: u64) -> Exchange {
        let f = self.faults.clone();
        if self.rng.f64() < f.expire_token {
            self.expired_tokens += 1;
            return Exchange::Reply(Reply::error(
                401,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            ));
        }
        let drop = self.rng.f64() < f.drop;
        if drop && self.rng.bool() {
            return Exchange::Dropped;
        }
        let reply = if method == "POST" && url == "/$batch" {
            self.batch(body, now)
        } else {
            self.faulty(method, url, prefer, body, now)
        };
        if drop {
            // The writes took effect; their replies are lost.
            let inner: Vec<(String, String)> = if url == "/$batch" {
                body["requests"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|r| {
                        (r["method"].as_str().unwrap_or("").to_string(), r["url"].as_str().unwrap_or("").to_string())
                    })
                    .collect()
            } else {
                vec![(method.to_string(), url.to_string())]
            };
            for (m, u) in inner {
                if let Some(kind) = write_kind(&m, &u) {
                    self.note(&format!("lost reply: {kind}"));
                }
            }
            Exchange::Dropped
        } else {
            Exchange::Reply(reply)
        }
    }

    /// One request with the per-request faults: throttling and server errors (before or after acting).
    fn faulty(&mut self, method: &str, url: &str, prefer: Option<&str>, body: &Value, now: u64) -> Reply {
        let f = self.faults.clone();
        if self.rng.f64() < f.throttle {
            let mut r = Reply::error(429, "TooManyRequests", "Too many requests. Retry after the time in Retry-After.");
            r.headers.push(("Retry-After".into(), f.retry_after_s.to_string()));
            return r;
        }
        if let Some(refused) = self.concurrent_credential_write(method, url, now) {
            return refused;
        }
        if self.rng.f64() < f.server_error {
            if self.rng.bool() {
                let acted = self.act(method, url, prefer, body, now);
                if let Some(kind) = write_kind(method, url).filter(|_| acted.ok()) {
                    self.note(&format!("lost reply: {kind}"));
                }
            }
            let status = [500, 503, 504][self.rng.usize(..3)];
            return Reply::error(status, "ServiceUnavailable", "The service is temporarily unavailable.");
        }
        self.act(method, url, prefer, body, now)
    }

    /// The request handled, and a credential write that went through remembered (`concurrency.rs`).
    fn act(&mut self, method: &str, url: &str, prefer: Option<&str>, body: &Value, now: u64) -> Reply {
        let reply = self.handle(method, url, prefer, body, now);
        if reply.ok() {
            self.credential_written(method, url, now);
        }
        reply
    }

    fn batch(&mut self, body: &Value, now: u64) -> Reply {
        let Some(requests) = body["requests"].as_array() else {
            return Reply::error(400, "BadRequest", "Invalid batch payload: 'requests' is missing.");
        };
        if requests.len() > 20 {
            return Reply::error(400, "BadRequest", "The number of batch requests exceeds the limit of 20.");
        }
        let ids: Vec<String> = requests.iter().map(|r| r["id"].as_str().unwrap_or("").to_ascii_lowercase()).collect();
        if ids.iter().enumerate().any(|(i, id)| id.is_empty() || ids[..i].contains(id)) {
            return Reply::error(400, "BadRequest", "Batch request ids must be present and unique.");
        }
        let mut replies: Vec<(String, Reply)> = Vec::new();
        for r in requests {
            let id = r["id"].as_str().unwrap_or("").to_string();
            let depends: Vec<String> = r["dependsOn"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| d.as_str())
                .map(str::to_ascii_lowercase)
                .collect();
            let failed_dependency = depends.iter().any(|d| {
                replies.iter().find(|(rid, _)| rid.eq_ignore_ascii_case(d)).is_none_or(|(_, reply)| !reply.ok())
            });
            // An item's URL names its version only when absolute; a relative one takes the batch's, which the
            // tenant is not told, so only the absolute form can be refused as another version's.
            let absolute = r["url"].as_str().unwrap_or("").strip_prefix("https://graph.microsoft.com");
            let reply = if failed_dependency {
                Reply::error(424, "FailedDependency", "A request this one depends on failed.")
            } else if let Some(refused) = absolute.and_then(crate::version_refusal) {
                refused
            } else {
                let method = r["method"].as_str().unwrap_or("GET").to_ascii_uppercase();
                let url = r["url"].as_str().unwrap_or("");
                let url = url.strip_prefix("https://graph.microsoft.com").unwrap_or(url);
                let url = crate::graph_path(url).unwrap_or(url);
                let url = if url.starts_with('/') { url.to_string() } else { format!("/{url}") };
                let prefer = header(&r["headers"], "prefer").filter(|_| !self.quirks.batch_ignores_prefer);
                let body = r.get("body").cloned().unwrap_or(Value::Null);
                if !body.is_null() && header(&r["headers"], "content-type").is_none() {
                    Reply::error(400, "BadRequest", "Batch requests with a body need a Content-Type header.")
                } else {
                    self.faulty(&method, &url, prefer.as_deref(), &body, now)
                }
            };
            replies.push((id, reply));
        }
        self.rng.shuffle(&mut replies);
        let responses: Vec<Value> = replies
            .into_iter()
            .map(|(id, r)| {
                let mut headers = serde_json::Map::new();
                for (k, v) in r.headers {
                    headers.insert(k, json!(v));
                }
                if !r.body.is_null() {
                    headers.insert("Content-Type".into(), json!("application/json"));
                }
                json!({ "id": id, "status": r.status, "headers": headers, "body": r.body })
            })
            .collect();
        Reply::json(200, json!({ "responses": responses }))
    }
}

fn header(headers: &Value, name: &str) -> Option<String> {
    headers
        .as_object()?
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str().map(str::to_string))
}

/// The kind of write a request is, for tallies; `None` for reads.
pub fn write_kind(method: &str, url: &str) -> Option<&'static str> {
    let path = url.split('?').next().unwrap_or("");
    let has = |s: &str| path.contains(s);
    Some(match method {
        "GET" => return None,
        "PATCH" if has("/applications(uniqueName=") => "application upsert",
        "PATCH" if has("/applications") => "application update",
        "PATCH" if has("/servicePrincipals(") => "service principal upsert",
        "PATCH" if has("/oauth2PermissionGrants/") => "grant update",
        "POST" if has("/oauth2PermissionGrants") => "grant",
        "POST" if has("/appRoleAssignments") => "app role assignment",
        "POST" if path == "/applications" => "application create",
        "POST" if has("/addPassword") => "addPassword",
        "POST" if has("/removePassword") => "removePassword",
        "POST" if has("/restore") => "restore from deleted items",
        "DELETE" if has("/directory/deletedItems/") => "permanent delete",
        "DELETE" if has("/applications/") => "application delete",
        "DELETE" if has("/appRoleAssignments/") => "app role assignment delete",
        "DELETE" if has("/servicePrincipals/") => "service principal delete",
        "DELETE" if has("/oauth2PermissionGrants/") => "grant delete",
        _ => "other write",
    })
}
