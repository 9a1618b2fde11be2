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
    let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    // serde_json escapes only U+0000–U+001F. DEL, the C1 controls, the separators and the bidi controls can only
    // stand inside strings here, so each is written as a \uNNNN escape: the file then reads the same in any
    // viewer and is safe to embed in a script.
    let mut out = String::with_capacity(text.len() + 1);
    for c in text.chars() {
        if c >= '\u{7F}' && crate::text::is_forbidden(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out.push('\n');
    out
}
