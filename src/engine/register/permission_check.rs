//! Stage 0's safety check: every planned permission id must be, in this tenant's own Microsoft Graph service
//! principal, a permission of the planned kind with the planned value. A mismatch stops the run before anything
//! is written and names the permission.

use serde_json::Value;

use crate::catalog::Kind;
use crate::engine::report::{Stop, StopKind};
use crate::plan::Plan;

fn find<'a>(list: &'a Value, id: &str) -> Option<&'a Value> {
    list.as_array()?.iter().find(|e| e["id"].as_str().is_some_and(|x| x.eq_ignore_ascii_case(id)))
}

pub fn permissions(plan: &Plan, resource: &str, sp: &Value) -> Result<(), Stop> {
    let scopes = &sp["oauth2PermissionScopes"];
    let roles = &sp["appRoles"];
    for app in &plan.applications {
        for p in app.permissions.iter().filter(|p| p.resource_app_id == resource) {
            let (mine, other, other_kind) = match p.kind {
                Kind::Delegated => (scopes, roles, "application"),
                Kind::Application => (roles, scopes, "delegated"),
            };
            let mismatch = |why: String| {
                Err(Stop::new(
                    StopKind::PermissionMismatch,
                    Some(app.key.clone()),
                    format!("{} ({}, id {}): {why}. Nothing was written.", p.value, p.kind.name(), p.id),
                ))
            };
            match find(mine, &p.id) {
                Some(entry) => {
                    let value = entry["value"].as_str().unwrap_or("");
                    if value != p.value {
                        return mismatch(format!("this id is {value:?} in the tenant's Microsoft Graph"));
                    }
                    if entry["isEnabled"].as_bool() == Some(false) {
                        return mismatch("the tenant's Microsoft Graph has this permission disabled".to_string());
                    }
                    if p.kind == Kind::Application {
                        let members = entry["allowedMemberTypes"].as_array();
                        if !members.is_some_and(|m| m.iter().any(|t| t == "Application")) {
                            return mismatch("this app role cannot be assigned to applications".to_string());
                        }
                    }
                }
                None if find(other, &p.id).is_some() => {
                    return mismatch(format!("this id is a {other_kind} permission in the tenant's Microsoft Graph"));
                }
                None => return mismatch("the tenant's Microsoft Graph has no permission with this id".to_string()),
            }
        }
    }
    Ok(())
}
