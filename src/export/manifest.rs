//! `manifest-json`: per app, where it goes (the uniqueName upsert URL) and the exact Graph body, plus the
//! consent it needs — the reviewable record of what a run will write.

use serde_json::{json, Value};

use crate::plan::Plan;

pub fn render(plan: &Plan) -> String {
    let apps: Vec<Value> = plan
        .applications
        .iter()
        .map(|a| {
            json!({
                "key": a.key,
                "component": a.component,
                "instance": a.instance,
                "request": {
                    "method": "PATCH",
                    "url": format!("/applications(uniqueName='{}')", crate::odata::escape(&a.key)),
                    "headers": { "Prefer": "create-if-missing" },
                },
                "application": a.application,
                "delegatedGrants": if a.grant_admin_consent { json!(a.delegated_grants) } else { json!([]) },
                "appRoleAssignments": if a.grant_admin_consent { json!(a.app_role_assignments) } else { json!([]) },
                "createSecret": a.create_secret,
                "secretLifetimeMonths": a.secret_lifetime_months,
            })
        })
        .collect();
    let doc =
        json!({ "profile": plan.profile, "graphBaseUrl": "https://graph.microsoft.com/v1.0", "applications": apps });
    let mut out = serde_json::to_string_pretty(&doc).unwrap_or_default();
    out.push('\n');
    out
}
