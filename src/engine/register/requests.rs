//! Each engine step as the Graph request Microsoft documents for it: application-upsert,
//! serviceprincipal-upsert, oauth2permissiongrant-post/-update, serviceprincipal-post-approleassignments,
//! application-addpassword (learn.microsoft.com/graph/api/…). OData literals are escaped.

use serde_json::{json, Value};

use super::secrets;
use super::task::{Op, Task};
use crate::engine::clock;
use crate::engine::discovery;
use crate::engine::http::{Item, Method};
use crate::engine::journal::{AppRecord, Journal};
use crate::odata::escape;
use crate::plan::{Plan, PlannedApp};

/// A request before it gets its id in the batch: method, URL, `Prefer` header, body.
type Parts = (Method, String, Option<&'static str>, Option<Value>);

fn get(url: String) -> Parts {
    (Method::Get, url, None, None)
}

fn send(method: Method, url: String, body: Value) -> Parts {
    (method, url, None, Some(body))
}

/// What a step knows of its app when its request is built: the plan's app and the ids the journal has so far.
struct Known<'a> {
    app: &'a PlannedApp,
    rec: AppRecord,
    /// `/applications(uniqueName='…')`, or `(appId='…')` for an app registered by hand.
    by_key: String,
}

impl<'a> Known<'a> {
    fn of(app: &'a PlannedApp, journal: &Journal) -> Known<'a> {
        let by_key = match &app.target_app_id {
            Some(target) => format!("/applications(appId='{}')", escape(target)),
            None => format!("/applications(uniqueName='{}')", escape(&app.key)),
        };
        Known { app, rec: journal.app(&app.key).cloned().unwrap_or_default(), by_key }
    }

    fn app_id(&self) -> String {
        escape(self.rec.app_id.as_deref().unwrap_or_default())
    }

    fn object_id(&self) -> &str {
        self.rec.object_id.as_deref().unwrap_or_default()
    }

    fn sp(&self) -> &str {
        self.rec.service_principal_id.as_deref().unwrap_or_default()
    }
}

/// The request for a step, built when it is sent (so it carries the ids earlier replies recorded).
/// `user` is the signed-in user's object id, made owner of each app the run creates.
pub fn item(task: &Task, plan: &Plan, journal: &Journal, user: Option<&str>, now: u64) -> Item {
    let known = || Known::of(&plan.applications[task.work.app], journal);
    let (method, url, prefer, body) = match &task.work.op {
        Op::ReadTenant => get("/organization?$select=id".to_string()),
        Op::ReadResource(r) => get(discovery::resource_url(plan.resource_app_ids()[*r])),
        Op::ReadApp | Op::RecheckApp | Op::FindCreated => get(discovery::app_url(known().app)),
        Op::ReadAppIds => get(format!("{}?$select=id,appId,displayName,requiredResourceAccess", known().by_key)),
        Op::UpsertApp => upsert_app(&known(), user),
        // An empty body: upserting an existing service principal updates it (204), so a displayName would rename
        // an enterprise app the admin named by hand; a new one takes the application's name.
        Op::UpsertSp => {
            let url = format!("/servicePrincipals(appId='{}')", known().app_id());
            (Method::Patch, url, Some("create-if-missing"), Some(json!({})))
        }
        Op::ReadSp | Op::FindSp { .. } => {
            get(discovery::service_principal_url(known().rec.app_id.as_deref().unwrap_or_default()))
        }
        // Every documented example names the service principal (serviceprincipal-upsert); sent only for one a
        // 404 said does not exist, so nothing is renamed.
        Op::CreateSp => {
            let k = known();
            let url = format!("/servicePrincipals(appId='{}')", k.app_id());
            (Method::Patch, url, Some("create-if-missing"), Some(json!({ "displayName": k.app.display_name })))
        }
        Op::ReadGrant(g) => read_grant(&known(), journal, *g),
        Op::WriteGrant(g) => write_grant(&known(), journal, *g),
        Op::PatchGrant { id, scope, .. } => {
            send(Method::Patch, format!("/oauth2PermissionGrants/{id}"), json!({ "scope": scope }))
        }
        Op::ReadAssignment(_) => get(format!("/servicePrincipals/{}/appRoleAssignments", known().sp())),
        Op::ReadAssignmentPage(_, url) | Op::FindDeleted(Some(url)) => get(url.clone()),
        Op::Assign(k) => assign(&known(), journal, *k),
        Op::AddSecret => add_secret(&known(), now),
        Op::ReadPasswords => get(format!("/applications/{}?$select=id,passwordCredentials", known().object_id())),
        Op::RemoveSecret(key_id) => {
            let url = format!("/applications/{}/removePassword", known().object_id());
            send(Method::Post, url, json!({ "keyId": key_id }))
        }
        Op::FindDeleted(None) => get(
            // The deleted holder's owners are shown before restoring it is offered (directory-deleteditems-list
            // supports the cast type's $expand).
            "/directory/deletedItems/microsoft.graph.application?$select=id,appId,uniqueName,displayName,deletedDateTime,createdDateTime,passwordCredentials,keyCredentials&$expand=owners"
                .to_string(),
        ),
        Op::RestoreDeleted(id) => (Method::Post, format!("/directory/deletedItems/{id}/restore"), None, None),
        Op::PurgeDeleted(id) => (Method::Delete, format!("/directory/deletedItems/{id}"), None, None),
    };
    Item { id: task.id.to_string(), method, url, prefer, body }
}

/// A planned app that discovery did not find is created with a request that cannot update
/// (`POST /applications` with its uniqueName, application-post-applications): should anyone take the key between
/// discovery and this request, Graph refuses it (400, "Another object with the same value for property uniqueName
/// already exists.") instead of the run writing to their app. The signed-in user is bound as owner, as the portal
/// makes an app's creator its owner, so the app is recognisably theirs on the next run. An app that exists — the
/// tool's own or adopted, never a foreign one (the run stops before this stage) — is updated by its object id, the
/// very object discovery vetted. An app registered by hand only gets the permissions added to those it declared.
fn upsert_app(k: &Known, user: Option<&str>) -> Parts {
    if k.app.target_app_id.is_some() {
        let merged = merge_access(k.rec.declared_access.as_ref(), &k.app.application.required_resource_access);
        return send(Method::Patch, k.by_key.clone(), json!({ "requiredResourceAccess": merged }));
    }
    let mut body = serde_json::to_value(&k.app.application).unwrap_or_default();
    match &k.rec.object_id {
        Some(id) => send(Method::Patch, format!("/applications/{id}"), body),
        None => {
            body["uniqueName"] = json!(k.app.key);
            if let Some(user) = user.filter(|u| crate::guid::is_guid(u)) {
                body["owners@odata.bind"] =
                    json!([format!("https://graph.microsoft.com/v1.0/directoryObjects/{user}")]);
            }
            send(Method::Post, "/applications".to_string(), body)
        }
    }
}

fn read_grant(k: &Known, journal: &Journal, g: usize) -> Parts {
    let res = journal.resource_sp(&k.app.delegated_grants[g].resource_app_id).unwrap_or("");
    let filter = format!(
        "clientId eq '{}' and consentType eq 'AllPrincipals' and resourceId eq '{}'",
        escape(k.sp()),
        escape(res)
    );
    get(format!("/oauth2PermissionGrants?$filter={}", filter.replace(' ', "%20")))
}

fn write_grant(k: &Known, journal: &Journal, g: usize) -> Parts {
    let grant = &k.app.delegated_grants[g];
    let body = json!({
        "clientId": k.sp(),
        "consentType": "AllPrincipals",
        "resourceId": journal.resource_sp(&grant.resource_app_id).unwrap_or(""),
        "scope": grant.scope,
    });
    send(Method::Post, "/oauth2PermissionGrants".to_string(), body)
}

fn assign(k: &Known, journal: &Journal, role: usize) -> Parts {
    let role = &k.app.app_role_assignments[role];
    let body = json!({
        "principalId": k.sp(),
        "resourceId": journal.resource_sp(&role.resource_app_id).unwrap_or(""),
        "appRoleId": role.app_role_id,
    });
    send(Method::Post, format!("/servicePrincipals/{}/appRoleAssignments", k.sp()), body)
}

fn add_secret(k: &Known, now: u64) -> Parts {
    let body = json!({ "passwordCredential": {
        "displayName": format!("{} {}", secrets::NAME, clock::iso_after_months(now, 0)),
        "endDateTime": clock::iso_after_months(now, k.app.secret_lifetime_months),
    }});
    send(Method::Post, format!("/applications/{}/addPassword", k.object_id()), body)
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
