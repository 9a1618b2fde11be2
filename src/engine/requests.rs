//! Each engine step as the Graph request Microsoft documents for it: application-upsert,
//! serviceprincipal-upsert, oauth2permissiongrant-post/-update, serviceprincipal-post-approleassignments,
//! application-addpassword (learn.microsoft.com/graph/api/…). OData literals are escaped.

use serde_json::json;

use super::clock;
use super::http::{Item, Method};
use super::journal::Journal;
use super::secrets;
use super::task::{Op, Task};
use crate::odata::escape;
use crate::plan::Plan;

pub fn item(task: &Task, plan: &Plan, journal: &Journal, now: u64) -> Item {
    let id = task.id.to_string();
    let mk = |method, url: String, prefer, body| Item { id: id.clone(), method, url, prefer, body };
    if task.work.op == Op::ReadTenant {
        return mk(Method::Get, "/organization?$select=id".to_string(), None, None);
    }
    if let Op::ReadResource(r) = task.work.op {
        let res = plan.resource_app_ids()[r];
        return mk(
            Method::Get,
            format!("/servicePrincipals(appId='{}')?$select=id,appId,appRoles,oauth2PermissionScopes", escape(res)),
            None,
            None,
        );
    }
    let app = &plan.applications[task.work.app];
    let rec = journal.app(&app.key).cloned().unwrap_or_default();
    let app_id = rec.app_id.unwrap_or_default();
    let object_id = rec.object_id.unwrap_or_default();
    let sp = rec.service_principal_id.unwrap_or_default();
    let by_key = match &app.target_app_id {
        Some(target) => format!("/applications(appId='{}')", escape(target)),
        None => format!("/applications(uniqueName='{}')", escape(&app.key)),
    };
    match &task.work.op {
        Op::ReadTenant | Op::ReadResource(_) => unreachable!("handled above"),
        Op::ReadApp | Op::ReadAppIds => {
            mk(Method::Get, format!("{by_key}?$select=id,appId,displayName,requiredResourceAccess"), None, None)
        }
        Op::UpsertApp if app.target_app_id.is_some() => {
            let merged = merge_access(rec.declared_access.as_ref(), &app.application.required_resource_access);
            mk(Method::Patch, by_key, None, Some(json!({ "requiredResourceAccess": merged })))
        }
        Op::UpsertApp => mk(Method::Patch,
            by_key,
            Some("create-if-missing"),
            Some(serde_json::to_value(&app.application).unwrap_or_default()),
        ),
        // An empty body: upserting an existing service principal updates it (204), so a displayName would rename
        // an enterprise app the admin named by hand; a new one takes the application's name.
        Op::UpsertSp => mk(Method::Patch,
            format!("/servicePrincipals(appId='{}')", escape(&app_id)),
            Some("create-if-missing"),
            Some(json!({})),
        ),
        Op::ReadSp => mk(Method::Get, format!("/servicePrincipals(appId='{}')?$select=id", escape(&app_id)), None, None),
        Op::ReadGrant(g) => {
            let res = journal.resource_sp(&app.delegated_grants[*g].resource_app_id).unwrap_or("");
            let filter = format!(
                "clientId eq '{}' and consentType eq 'AllPrincipals' and resourceId eq '{}'",
                escape(&sp),
                escape(res)
            );
            mk(Method::Get, format!("/oauth2PermissionGrants?$filter={}", filter.replace(' ', "%20")), None, None)
        }
        Op::WriteGrant(g) => {
            let grant = &app.delegated_grants[*g];
            let body = json!({
                "clientId": sp,
                "consentType": "AllPrincipals",
                "resourceId": journal.resource_sp(&grant.resource_app_id).unwrap_or(""),
                "scope": grant.scope,
            });
            mk(Method::Post, "/oauth2PermissionGrants".to_string(), None, Some(body))
        }
        Op::PatchGrant { id, scope, .. } => {
            mk(Method::Patch, format!("/oauth2PermissionGrants/{id}"), None, Some(json!({ "scope": scope })))
        }
        Op::ReadAssignment(_) => mk(Method::Get, format!("/servicePrincipals/{sp}/appRoleAssignments"), None, None),
        Op::ReadAssignmentPage(_, url) => mk(Method::Get, url.clone(), None, None),
        Op::Assign(k) => {
            let role = &app.app_role_assignments[*k];
            let body = json!({
                "principalId": sp,
                "resourceId": journal.resource_sp(&role.resource_app_id).unwrap_or(""),
                "appRoleId": role.app_role_id,
            });
            mk(Method::Post, format!("/servicePrincipals/{sp}/appRoleAssignments"), None, Some(body))
        }
        Op::AddSecret => {
            let body = json!({ "passwordCredential": {
                "displayName": format!("{} {}", secrets::NAME, clock::iso_after_months(now, 0)),
                "endDateTime": clock::iso_after_months(now, app.secret_lifetime_months),
            }});
            mk(Method::Post, format!("/applications/{object_id}/addPassword"), None, Some(body))
        }
        Op::ReadPasswords => mk(Method::Get, format!("/applications/{object_id}?$select=id,passwordCredentials"), None, None),
        Op::RemoveSecret(key_id) => {
            mk(Method::Post, format!("/applications/{object_id}/removePassword"), None, Some(json!({ "keyId": key_id })))
        }
        Op::FindDeleted(None) => mk(Method::Get,
            "/directory/deletedItems/microsoft.graph.application?$select=id,appId,uniqueName,displayName,deletedDateTime"
                .to_string(),
            None,
            None,
        ),
        Op::FindDeleted(Some(url)) => mk(Method::Get, url.clone(), None, None),
        Op::RestoreDeleted(id) => mk(Method::Post, format!("/directory/deletedItems/{id}/restore"), None, None),
        Op::PurgeDeleted(id) => mk(Method::Delete, format!("/directory/deletedItems/{id}"), None, None),
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
        let i = pos.unwrap_or_else(|| {
            merged.push(json!({ "resourceAppId": want.resource_app_id, "resourceAccess": [] }));
            merged.len() - 1
        });
        let Some(access) = merged[i]["resourceAccess"].as_array_mut() else { continue };
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
