//! Reads that list or expand: the application list (all, or filtered by a tag or display name) and a service
//! principal with its app role assignments or delegated grants expanded — what the health check and the real-host
//! portal read.

use serde_json::{json, Value};

use crate::consent::{assignment_json, grant_json};
use crate::routes::not_found;
use crate::tenant::{Reply, Tenant};

/// Graph cuts an expanded relationship of a directory object at 20 items, with no nextLink
/// (learn.microsoft.com/graph/query-parameters, expand parameter).
pub const EXPAND_CAP: usize = 20;

fn query_value(query: &str, name: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|p| p.strip_prefix(name).and_then(|v| v.strip_prefix('=')))
        .map(crate::routes::percent_decode)
}

/// What `$filter` on `/applications` the sandbox answers: `tags/any(t:t eq 'X')` and `displayName eq 'X'`.
enum AppFilter {
    All,
    Tag(String),
    DisplayName(String),
}

fn app_filter(query: &str) -> Result<AppFilter, Reply> {
    let Some(f) = query_value(query, "$filter") else { return Ok(AppFilter::All) };
    let quoted = |s: &str| s.trim().strip_prefix('\'').and_then(|s| s.strip_suffix('\'')).map(|s| s.replace("''", "'"));
    if let Some(rest) = f.strip_prefix("tags/any(t:t eq ").and_then(|r| r.strip_suffix(')')) {
        if let Some(tag) = quoted(rest) {
            return Ok(AppFilter::Tag(tag));
        }
    }
    if let Some(name) = f.strip_prefix("displayName eq ").and_then(quoted) {
        return Ok(AppFilter::DisplayName(name));
    }
    Err(Reply::error(400, "Request_UnsupportedQuery", &format!("Unsupported query: {f}")))
}

impl Tenant {
    /// `GET /applications[?$filter=…]`, paged like every Graph collection.
    pub(crate) fn list_applications(&self, path: &str, query: &str) -> Reply {
        if self.quirks.tag_filter_needs_advanced_query && query.contains("tags/any") {
            // As Graph answers a filter it serves only with ConsistencyLevel: eventual and $count=true.
            return Reply::error(400, "Request_UnsupportedQuery", "Unsupported Query.");
        }
        let filter = match app_filter(query) {
            Ok(f) => f,
            Err(reply) => return reply,
        };
        let items: Vec<Value> = self
            .apps
            .iter()
            .filter(|a| match &filter {
                AppFilter::All => true,
                AppFilter::Tag(t) => {
                    a.props["tags"].as_array().is_some_and(|tags| tags.iter().any(|x| x.as_str() == Some(t)))
                }
                AppFilter::DisplayName(n) => a.props["displayName"].as_str() == Some(n.as_str()),
            })
            .map(|a| self.app_json(a))
            .collect();
        self.page(items, path, query)
    }

    /// `GET /servicePrincipals(appId='…')` with `$expand=appRoleAssignments` or `oauth2PermissionGrants`.
    pub(crate) fn sp_expanded(&self, app_id: &str, query: &str) -> Reply {
        let Some(sp) = self.sps.iter().find(|s| s.app_id == app_id) else { return not_found(app_id) };
        let mut v = self.sp_json(sp);
        let cap = |items: Vec<Value>| json!(items.into_iter().take(EXPAND_CAP).collect::<Vec<_>>());
        for what in query_value(query, "$expand").unwrap_or_default().split(',') {
            match what.trim() {
                "appRoleAssignments" => {
                    v["appRoleAssignments"] =
                        cap(self.assignments.iter().filter(|a| a.principal_id == sp.id).map(assignment_json).collect());
                }
                "oauth2PermissionGrants" if self.quirks.refuse_grants_expand => {
                    return Reply::error(400, "Request_BadRequest", "Invalid $expand: oauth2PermissionGrants.");
                }
                "oauth2PermissionGrants" => {
                    v["oauth2PermissionGrants"] =
                        cap(self.grants.iter().filter(|g| g.client_id == sp.id).map(grant_json).collect());
                }
                "" => {}
                other => return Reply::error(400, "Request_BadRequest", &format!("Invalid $expand: {other}.")),
            }
        }
        Reply::json(200, v)
    }
}
