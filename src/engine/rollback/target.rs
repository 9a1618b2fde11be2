//! What the journal says an object is, and the check of Graph's copy against it. The journal comes back from
//! storage the caller controls, so an id in it may have been swapped for one of a production object: rollback
//! reads each object first and deletes or changes it only when Graph's copy is still what the journal recorded.

use serde_json::Value;

use crate::text;

/// The kind of object and what identifies it as the one the tool made or changed.
#[derive(Debug, Clone)]
pub(super) enum Kind {
    /// An application this tool created: its uniqueName is the key, and its Application ID the recorded one.
    CreatedApp { app_id: Option<String> },
    /// An application that existed before (one registered by hand may have no uniqueName): its Application ID.
    ExistingApp { app_id: Option<String> },
    /// The service principal of the recorded app: its appId.
    ServicePrincipal { app_id: Option<String> },
    /// A delegated grant of the recorded service principal (to the recorded resource's, when the journal has it).
    Grant { client_id: String, resource_id: Option<String> },
    /// An app role assignment of the recorded app role to the recorded service principal.
    Assignment { principal_id: String, app_role_id: String },
}

/// One object of one planned app (`key`), by its object id.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub key: String,
    pub id: String,
    pub kind: Kind,
}

impl Target {
    /// The object's path (ids come from the validated journal: GUIDs, or Graph's opaque ids for grants and
    /// assignments).
    pub fn path(&self) -> String {
        let id = &self.id;
        match &self.kind {
            Kind::CreatedApp { .. } | Kind::ExistingApp { .. } => format!("/applications/{id}"),
            Kind::ServicePrincipal { .. } => format!("/servicePrincipals/{id}"),
            Kind::Grant { .. } => format!("/oauth2PermissionGrants/{id}"),
            Kind::Assignment { principal_id, .. } => {
                format!("/servicePrincipals/{principal_id}/appRoleAssignments/{id}")
            }
        }
    }

    /// The read that tells what the object is: for apps and service principals only the properties checked
    /// (`$select`, application-get, serviceprincipal-get); a grant is read whole, for its scopes.
    pub fn read(&self) -> String {
        match &self.kind {
            Kind::CreatedApp { .. } | Kind::ExistingApp { .. } => {
                format!("{}?$select=id,appId,uniqueName", self.path())
            }
            Kind::ServicePrincipal { .. } => format!("{}?$select=id,appId", self.path()),
            Kind::Grant { .. } | Kind::Assignment { .. } => self.path(),
        }
    }

    /// Where a deleted application waits for 30 days, holding its uniqueName (directory-deleteditems-get, -delete).
    pub fn deleted_item(&self) -> String {
        format!("/directory/deletedItems/{}", self.id)
    }

    /// Ok when Graph's copy (`body`) is what the journal recorded; otherwise why it is left alone.
    pub fn check(&self, body: &Value) -> Result<(), String> {
        let (id, key) = (&self.id, &self.key);
        let got = |k: &str| body[k].as_str().map(text::comment);
        let shown = |v: Option<String>| v.unwrap_or_else(|| "none".to_string());
        let same = |a: Option<&str>, b: &str| a.is_some_and(|a| a.eq_ignore_ascii_case(b));
        match &self.kind {
            Kind::CreatedApp { app_id } => {
                let Some(recorded) = app_id else {
                    return Err(format!("the object {id} cannot be told to be the application {key} this tool created: the journal records no Application ID for it — left alone"));
                };
                let unique = body["uniqueName"].as_str();
                if same(unique, key) && same(body["appId"].as_str(), recorded) {
                    return Ok(());
                }
                let unique = unique.map_or("no uniqueName".to_string(), |u| format!("uniqueName {}", text::comment(u)));
                Err(format!(
                    "the object {id} is not the application {key} this tool created (Application ID {recorded}): it has {unique} and Application ID {} — left alone",
                    shown(got("appId"))
                ))
            }
            Kind::ExistingApp { app_id } | Kind::ServicePrincipal { app_id } => {
                let what = match self.kind {
                    Kind::ExistingApp { .. } => format!("the application {key} the journal recorded"),
                    _ => format!("the service principal of {key}"),
                };
                let Some(recorded) = app_id else {
                    return Err(format!("the object {id} cannot be told to be {what}: the journal records no Application ID for {key} — left alone"));
                };
                if same(body["appId"].as_str(), recorded) {
                    return Ok(());
                }
                Err(format!(
                    "the object {id} is not {what} (Application ID {recorded}): it belongs to Application ID {} — left alone",
                    shown(got("appId"))
                ))
            }
            Kind::Grant { client_id, resource_id } => {
                let resource_ok = resource_id.as_deref().is_none_or(|r| same(body["resourceId"].as_str(), r));
                if same(body["clientId"].as_str(), client_id) && resource_ok {
                    return Ok(());
                }
                Err(format!(
                    "the object {id} is not the delegated grant of {key} this tool made (client {client_id}): it is a grant of client {} to resource {} — left alone",
                    shown(got("clientId")),
                    shown(got("resourceId"))
                ))
            }
            Kind::Assignment { principal_id, app_role_id } => {
                if same(body["principalId"].as_str(), principal_id) && same(body["appRoleId"].as_str(), app_role_id) {
                    return Ok(());
                }
                Err(format!(
                    "the object {id} is not the app role assignment of {key} this tool made (app role {app_role_id} to {principal_id}): it assigns app role {} to {} — left alone",
                    shown(got("appRoleId")),
                    shown(got("principalId"))
                ))
            }
        }
    }
}
