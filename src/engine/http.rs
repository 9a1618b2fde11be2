//! What the engine asks the driver to send, and what it is fed back. Graph-relative URLs; the driver adds the base
//! URL and the Authorization header (the engine never sees a token). Every call goes through JSON batching:
//! `POST /$batch` with at most 20 requests (learn.microsoft.com/graph/json-batching).

use serde_json::{json, Value};

use crate::closed_set::closed_set;

closed_set! {
    /// The HTTP methods the jobs use, and no other.
    pub enum Method {
        Get = "GET",
        Post = "POST",
        Patch = "PATCH",
        Delete = "DELETE",
    }
}

/// Microsoft Graph's limit of requests in one `$batch`.
pub const MAX_BATCH: usize = 20;

#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: Method,
    /// Relative to the Graph base URL (e.g. `https://graph.microsoft.com/v1.0`), starting with `/`.
    pub url: String,
    /// Headers other than Authorization.
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    /// Sent to the base URL's `/beta` sibling on the same host, for a read Graph has only there. Never in a
    /// `$batch`: a batch's URLs are relative to its own version ("the absolute URL is
    /// https://graph.microsoft.com/v1.0/users, this url is /users", and a beta-only URL in a v1.0 batch is
    /// refused — learn.microsoft.com/graph/json-batching).
    pub beta: bool,
}

/// What came back for a request: a status and a parsed JSON body (`Null` when empty), or no response at all.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    Http {
        status: u16,
        retry_after: Option<String>,
        body: Value,
    },
    /// The connection failed or dropped; whether the server acted is unknown.
    NetworkError(String),
}

/// Who sends the next request, as the token the driver is about to use says (its claims; the signature is Graph's
/// to check): the tenant, the signed-in user's object id (`oid`) and the delegated scopes (`scp`). A job learns
/// it before each request is answered, so a 403 can name a missing scope, a run can tell the signed-in admin's own
/// apps from anyone else's, and rollback can refuse a journal from another tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Caller {
    pub tenant_id: Option<String>,
    pub user_id: Option<String>,
    pub scopes: Vec<String>,
}

/// One request inside a batch, correlated by `id`.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub id: String,
    pub method: Method,
    pub url: String,
    pub prefer: Option<&'static str>,
    pub body: Option<Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemResponse {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: Value,
}

pub fn batch(items: &[Item]) -> Request {
    let requests: Vec<Value> = items
        .iter()
        .map(|i| {
            let mut r = json!({ "id": i.id, "method": i.method.as_str(), "url": i.url });
            let mut headers = serde_json::Map::new();
            if i.body.is_some() {
                headers.insert("Content-Type".into(), "application/json".into());
                r["body"] = i.body.clone().unwrap_or(Value::Null);
            }
            if let Some(p) = i.prefer {
                headers.insert("Prefer".into(), p.into());
            }
            if !headers.is_empty() {
                r["headers"] = Value::Object(headers);
            }
            r
        })
        .collect();
    Request {
        beta: false,
        method: Method::Post,
        url: "/$batch".to_string(),
        headers: vec![("Content-Type".to_string(), "application/json".to_string())],
        body: Some(json!({ "requests": requests })),
    }
}

/// One request on its own, as it would be inside a batch (its `Prefer` header honoured as documented).
pub fn single(item: Item) -> Request {
    let mut headers = Vec::new();
    if item.body.is_some() {
        headers.push(("Content-Type".to_string(), "application/json".to_string()));
    }
    if let Some(p) = item.prefer {
        headers.push(("Prefer".to_string(), p.to_string()));
    }
    Request { method: item.method, url: item.url, headers, body: item.body, beta: false }
}

/// The batch's item responses by id (Graph returns them in any order). `None` when the body is not a batch reply.
pub fn unbatch(body: &Value) -> Option<Vec<(String, ItemResponse)>> {
    let responses = body.get("responses")?.as_array()?;
    responses
        .iter()
        .map(|r| {
            let id = r.get("id")?.as_str()?.to_string();
            let status = u16::try_from(r.get("status")?.as_u64()?).ok()?;
            let retry_after = r.get("headers").and_then(|h| header(h, "retry-after"));
            let body = r.get("body").cloned().unwrap_or(Value::Null);
            Some((id, ItemResponse { status, retry_after, body }))
        })
        .collect()
}

/// Header names are case-insensitive.
fn header(headers: &Value, name: &str) -> Option<String> {
    let map = headers.as_object()?;
    map.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).and_then(|(_, v)| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

/// Graph's error body: `{"error": {"code", "message"}}`.
pub fn error_of(body: &Value) -> (String, String) {
    let e = &body["error"];
    (e["code"].as_str().unwrap_or("").to_string(), e["message"].as_str().unwrap_or("").to_string())
}

/// A Graph-relative URL from an `@odata.nextLink` (which is absolute).
pub fn relative(next_link: &str) -> String {
    for version in ["/v1.0/", "/beta/"] {
        if let Some(i) = next_link.find(version) {
            return next_link[i + version.len() - 1..].to_string();
        }
    }
    next_link.to_string()
}
