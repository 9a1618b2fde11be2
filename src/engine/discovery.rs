//! What a run's discovery reads, and what a check (`verify.rs`) that read it moments ago may hand a run so it need
//! not read it again.
//!
//! Discovery and verify read the same things with the very same requests (the URLs are built here, once), so a
//! snapshot of verify's replies is a set of answers to discovery's own requests. A run takes from it only what
//! a later write cannot be fooled by:
//! - the API's service principal with its permissions (every planned id is checked against it again, by the
//!   run's own rule, for the plan the run has);
//! - "no application holds this key" (404): the create that follows is `POST /applications` with the key, which
//!   Graph refuses when anyone took the key since — the run then reads the holder and vets it
//!   (`provenance.rs`), never writing to it.
//!
//! A snapshot serves only a plan none of whose apps existed at the check (`Discovery::serves`): whose an existing
//! app is may have changed since (an owner or a credential added), a `PATCH` to it would not be refused, and it
//! would go out beside the creates. The snapshot serves one minute, one tenant and one plan — the plan's
//! discovery requests, compared one by one — and nothing else; anything else is ignored and discovery runs as
//! always.

use serde::Serialize;
use serde_json::{json, Value};

use super::http::ItemResponse;
use super::provenance;
use crate::error::{Code, Error, Result};
use crate::json::Node;
use crate::odata::escape;
use crate::plan::{Plan, PlannedApp};

/// How old a snapshot may be when the run starts: the time between pressing "Check" and "Register" in one sitting.
pub const MAX_AGE_MS: u64 = 60_000;

/// More replies than a plan's discovery can have (`MAX_INSTANCES` × components, resources) is not a snapshot.
const MAX_REPLIES: usize = 500;

/// The service principal of an API the plan grants: its id for grants, its permissions to check planned ids.
pub fn resource_url(app_id: &str) -> String {
    format!("/servicePrincipals(appId='{}')?$select=id,appId,appRoles,oauth2PermissionScopes", escape(app_id))
}

/// A planned app with its owners and credentials: by key, or by Application ID for one registered by hand.
pub fn app_url(app: &PlannedApp) -> String {
    let by = match &app.target_app_id {
        Some(app_id) => format!("appId='{}'", escape(app_id)),
        None => format!("uniqueName='{}'", escape(&app.key)),
    };
    format!("/applications({by})?{}", provenance::QUERY)
}

/// Whether an app's service principal exists.
pub fn service_principal_url(app_id: &str) -> String {
    format!("/servicePrincipals(appId='{}')?$select=id", escape(app_id))
}

/// What this plan's discovery asks first, in order: a snapshot is for the plan that asks exactly this.
pub fn requests(plan: &Plan) -> Vec<String> {
    let resources = plan.resource_app_ids().into_iter().map(resource_url);
    resources.chain(plan.applications.iter().map(app_url)).collect()
}

/// One kept reply, under the request it answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Kept {
    pub url: String,
    pub status: u16,
    pub body: Value,
}

/// A check's replies that a run may start from: the tenant it read, when (the caller's clock, ms since the epoch),
/// the plan's discovery requests, and the replies (`Kept`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Discovery {
    pub tenant_id: String,
    pub taken_at: u64,
    pub requests: Vec<String>,
    pub replies: Vec<Kept>,
}

impl Discovery {
    pub fn new(tenant_id: String, taken_at: u64, plan: &Plan) -> Discovery {
        Discovery { tenant_id, taken_at, requests: requests(plan), replies: Vec::new() }
    }

    /// Keeps an API's service principal, with only the permissions the plan names (all a run checks).
    pub fn keep_resource(&mut self, plan: &Plan, app_id: &str, body: &Value) {
        let ids: Vec<String> = plan
            .applications
            .iter()
            .flat_map(|a| a.permissions.iter())
            .filter(|p| p.resource_app_id == app_id)
            .map(|p| p.id.to_ascii_lowercase())
            .collect();
        let named = |list: &Value, fields: &[&str]| -> Value {
            let entries = list
                .as_array()
                .into_iter()
                .flatten()
                .filter(|e| e["id"].as_str().is_some_and(|id| ids.contains(&id.to_ascii_lowercase())));
            // Inserted one by one: collecting into a map would compile another sort.
            let pick = |e: &Value| {
                let mut m = serde_json::Map::new();
                for f in fields {
                    m.insert(f.to_string(), e[*f].clone());
                }
                Value::Object(m)
            };
            Value::Array(entries.map(pick).collect())
        };
        let body = json!({
            "id": body["id"],
            "appId": body["appId"],
            "appRoles": named(&body["appRoles"], &["id", "value", "isEnabled", "allowedMemberTypes"]),
            "oauth2PermissionScopes": named(&body["oauth2PermissionScopes"], &["id", "value", "isEnabled"]),
        });
        self.replies.push(Kept { url: resource_url(app_id), status: 200, body });
    }

    /// Keeps "no application holds this key".
    pub fn keep_absent(&mut self, app: &PlannedApp) {
        if app.target_app_id.is_none() {
            self.replies.push(Kept { url: app_url(app), status: 404, body: Value::Null });
        }
    }

    /// Whether a run of `plan` in `tenant`, starting at `now`, may start from this snapshot. Only when no planned
    /// app existed at the check: the run's first writes are then creates alone, each refused by Graph if its key
    /// was taken since. With an app that exists, that app is read again anyway, and its update would go out in
    /// the same round trip as the creates — before a key squatted since could stop the run — so discovery runs
    /// as always and nothing at all is written while an app under the plan's keys is undecided.
    pub fn serves(&self, plan: &Plan, tenant: &str, now: u64) -> bool {
        let fresh = now >= self.taken_at && now - self.taken_at <= MAX_AGE_MS;
        let all_free = plan.applications.iter().all(|a| self.reply(&app_url(a), 404).is_some());
        fresh && all_free && self.tenant_id.eq_ignore_ascii_case(tenant) && self.requests == requests(plan)
    }

    /// The kept reply to `url` with `status`, if there is one.
    pub fn reply(&self, url: &str, status: u16) -> Option<ItemResponse> {
        let kept = self.replies.iter().find(|k| k.url == url && k.status == status)?;
        Some(ItemResponse { status: kept.status, retry_after: None, body: kept.body.clone() })
    }

    /// Reads a snapshot handed back by a caller (as `verify` returned it), naming the field that does not fit.
    pub fn from_json(value: Value) -> Result<Discovery> {
        // Named from the option it comes in (`discovery.takenAt`), never bare like the caller's own fields.
        let n = Node::new(&value, "discovery");
        {
            let f = n.object(&["tenantId", "takenAt", "requests", "replies"])?;
            let replies = f.list("replies", kept)?;
            if replies.len() > MAX_REPLIES {
                let field = f.path("replies");
                return Err(Error::new(
                    Code::InvalidInput,
                    field.clone(),
                    format!("`{field}` has {} replies; a plan's discovery has at most {MAX_REPLIES}", replies.len()),
                ));
            }
            Ok(Discovery {
                tenant_id: f.req("tenantId", guid)?,
                taken_at: f.req("takenAt", |n| {
                    n.value.as_u64().ok_or_else(|| n.wrong("a whole number of milliseconds since 1970"))
                })?,
                requests: f.list("requests", |n| n.string())?,
                replies,
            })
        }
    }
}

fn guid(n: Node) -> Result<String> {
    let s = n.string()?;
    if crate::guid::is_guid(&s) {
        return Ok(s);
    }
    Err(Error::new(Code::InvalidGuid, n.path(), format!("`{}` must be a GUID, got {s:?}", n.path())))
}

/// A kept reply: only the two kinds a snapshot holds.
fn kept(n: Node) -> Result<Kept> {
    let f = n.object(&["url", "status", "body"])?;
    let url = f.string("url")?;
    // An API's service principal as found, or an application key as not found: nothing else is ever kept.
    let expected = if url.starts_with("/servicePrincipals(") {
        200
    } else if url.starts_with("/applications(") {
        404
    } else {
        let field = f.path("url");
        let why = format!("`{field}` must be a discovery request (/servicePrincipals(…) or /applications(…))");
        return Err(Error::new(Code::InvalidInput, field, why));
    };
    f.req("status", |n| match n.value.as_u64() {
        Some(s) if s == u64::from(expected) => Ok(()),
        _ => Err(n.wrong(&format!("{expected} for this request"))),
    })?;
    Ok(Kept { url, status: expected, body: f.get("body").cloned().unwrap_or(Value::Null) })
}
