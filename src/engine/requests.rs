//! Each engine step as the Graph request Microsoft documents for it: application-upsert,
//! serviceprincipal-upsert, oauth2permissiongrant-post/-update, serviceprincipal-post-approleassignments,
//! application-addpassword (learn.microsoft.com/graph/api/…). OData literals are escaped.

use serde_json::json;

use super::clock;
use super::http::Item;
use super::journal::Journal;
use super::ops::{Op, Task};
use super::secrets;
use crate::odata::escape;
use crate::plan::Plan;

pub(super) fn resource_sp<'a>(journal: &'a Journal, resource_app_id: &str) -> &'a str {
    journal.resource_sp(resource_app_id).unwrap_or("")
}

pub fn item(task: &Task, plan: &Plan, journal: &Journal, now: u64) -> Item {
    let id = task.id.to_string();
    let mk = |method, url: String, prefer, body| Item { id: id.clone(), method, url, prefer, body };
    if task.op == Op::ReadTenant {
        return mk("GET", "/organization?$select=id".to_string(), None, None);
    }
    if let Op::ReadResource(r) = task.op {
        let res = plan.resource_app_ids()[r];
        return mk(
            "GET",
            format!("/servicePrincipals(appId='{}')?$select=id,appId,appRoles,oauth2PermissionScopes", escape(res)),
            None,
            None,
        );
    }
    let app = &plan.applications[task.app];
    let rec = journal.app(&app.key).cloned().unwrap_or_default();
    let app_id = rec.app_id.unwrap_or_default();
    let object_id = rec.object_id.unwrap_or_default();
    let sp = rec.service_principal_id.unwrap_or_default();
    let by_key = match &app.target_app_id {
        Some(target) => format!("/applications(appId='{}')", escape(target)),
        None => format!("/applications(uniqueName='{}')", escape(&app.key)),
    };
    match &task.op {
        Op::ReadTenant | Op::ReadResource(_) => unreachable!("handled above"),
        Op::ReadApp | Op::ReadAppIds => {
            mk("GET", format!("{by_key}?$select=id,appId,displayName,requiredResourceAccess"), None, None)
        }
        Op::UpsertApp if app.target_app_id.is_some() => {
            let merged = merge_access(rec.declared_access.as_ref(), &app.application.required_resource_access);
            mk("PATCH", by_key, None, Some(json!({ "requiredResourceAccess": merged })))
        }
        Op::UpsertApp => mk(
            "PATCH",
            by_key,
            Some("create-if-missing"),
            Some(serde_json::to_value(&app.application).unwrap_or_default()),
        ),
        // An empty body: upserting an existing service principal updates it (204), so a displayName would rename
        // an enterprise app the admin named by hand; a new one takes the application's name.
        Op::UpsertSp => mk(
            "PATCH",
            format!("/servicePrincipals(appId='{}')", escape(&app_id)),
            Some("create-if-missing"),
            Some(json!({})),
        ),
        Op::ReadSp => mk("GET", format!("/servicePrincipals(appId='{}')?$select=id", escape(&app_id)), None, None),
        Op::ReadGrant(g) => {
            let res = resource_sp(journal, &app.delegated_grants[*g].resource_app_id);
            let filter = format!(
                "clientId eq '{}' and consentType eq 'AllPrincipals' and resourceId eq '{}'",
                escape(&sp),
                escape(res)
            );
            mk("GET", format!("/oauth2PermissionGrants?$filter={}", filter.replace(' ', "%20")), None, None)
        }
        Op::WriteGrant(g) => {
            let grant = &app.delegated_grants[*g];
            let body = json!({
                "clientId": sp,
                "consentType": "AllPrincipals",
                "resourceId": resource_sp(journal, &grant.resource_app_id),
                "scope": grant.scope,
            });
            mk("POST", "/oauth2PermissionGrants".to_string(), None, Some(body))
        }
        Op::PatchGrant { id, scope, .. } => {
            mk("PATCH", format!("/oauth2PermissionGrants/{id}"), None, Some(json!({ "scope": scope })))
        }
        Op::ReadAssignment(_) => mk("GET", format!("/servicePrincipals/{sp}/appRoleAssignments"), None, None),
        Op::ReadAssignmentPage(_, url) => mk("GET", url.clone(), None, None),
        Op::Assign(k) => {
            let role = &app.app_role_assignments[*k];
            let body = json!({
                "principalId": sp,
                "resourceId": resource_sp(journal, &role.resource_app_id),
                "appRoleId": role.app_role_id,
            });
            mk("POST", format!("/servicePrincipals/{sp}/appRoleAssignments"), None, Some(body))
        }
        Op::AddSecret => {
            let body = json!({ "passwordCredential": {
                "displayName": format!("{} {}", secrets::NAME, clock::iso_after_months(now, 0)),
                "endDateTime": clock::iso_after_months(now, app.secret_lifetime_months),
            }});
            mk("POST", format!("/applications/{object_id}/addPassword"), None, Some(body))
        }
        Op::ReadPasswords => mk("GET", format!("/applications/{object_id}?$select=id,passwordCredentials"), None, None),
        Op::RemoveSecret(key_id) => {
            mk("POST", format!("/applications/{object_id}/removePassword"), None, Some(json!({ "keyId": key_id })))
        }
        Op::FindDeleted(None) => mk(
            "GET",
            "/directory/deletedItems/microsoft.graph.application?$select=id,appId,uniqueName,displayName,deletedDateTime"
                .to_string(),
            None,
            None,
        ),
        Op::FindDeleted(Some(url)) => mk("GET", url.clone(), None, None),
        Op::RestoreDeleted(id) => mk("POST", format!("/directory/deletedItems/{id}/restore"), None, None),
        Op::PurgeDeleted(id) => mk("DELETE", format!("/directory/deletedItems/{id}"), None, None),
    }
}

/// An existing app's requiredResourceAccess with ours added: nothing it declared is removed.
fn merge_access(
    declared: Option<&serde_json::Value>,
    ours: &[crate::graph::RequiredResourceAccess],
) -> serde_json::Value {
    let mut merged: Vec<serde_json::Value> = declared.and_then(|d| d.as_array()).cloned().unwrap_or_default();
    for want in ours {
        let pos = merged
            .iter()
            .position(|r| r["resourceAppId"].as_str().is_some_and(|a| a.eq_ignore_ascii_case(&want.resource_app_id)));
        let entry = match pos {
            Some(i) => &mut merged[i],
            None => {
                merged.push(json!({ "resourceAppId": want.resource_app_id, "resourceAccess": [] }));
                merged.last_mut().expect("just pushed")
            }
        };
        let access = entry["resourceAccess"].as_array_mut();
        let Some(access) = access else { continue };
        for ra in &want.resource_access {
            let present = access.iter().any(|a| {
                a["id"].as_str().is_some_and(|i| i.eq_ignore_ascii_case(&ra.id)) && a["type"] == ra.kind.as_str()
            });
            if !present {
                access.push(json!({ "id": ra.id, "type": ra.kind }));
            }
        }
    }
    serde_json::Value::Array(merged)
}
