//! The journal: what exists in the tenant after each step, per planned app. Fed back into a run it resumes
//! without duplicates; fed to rollback it deletes exactly what runs created. It never holds a secret or a token.

use serde::Serialize;

use crate::error::Result;
use crate::json::{self, Node};

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Journal {
    pub version: u32,
    pub tenant_id: Option<String>,
    /// Resource service principals (Microsoft Graph's) in this tenant: (resource appId, object id).
    pub resources: Vec<ResourceRecord>,
    pub apps: Vec<AppRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRecord {
    pub app_id: String,
    pub service_principal_id: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppRecord {
    pub key: String,
    /// Whether the application existed before this tool first touched it; unknown until looked up.
    pub existed: Option<bool>,
    pub object_id: Option<String>,
    pub app_id: Option<String>,
    /// The application body is as planned.
    pub app_done: bool,
    pub service_principal_id: Option<String>,
    /// This tool created the service principal (so rollback may delete it).
    pub service_principal_created: bool,
    pub grants: Vec<GrantRecord>,
    pub assignments: Vec<AssignmentRecord>,
    /// Every planned grant and role assignment is in place.
    pub consent_done: bool,
    /// The client secret's key id (never its text).
    pub secret_key_id: Option<String>,
    /// A write's outcome is unknown (dropped connection, 5xx): read before writing again.
    pub needs_lookup: bool,
    /// For an app addressed by Application ID: the requiredResourceAccess it had, which ours is merged into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_access: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantRecord {
    pub resource_app_id: String,
    pub id: String,
    pub created: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentRecord {
    pub app_role_id: String,
    pub id: String,
    pub created: bool,
}

impl Journal {
    pub fn app(&self, key: &str) -> Option<&AppRecord> {
        self.apps.iter().find(|a| a.key == key)
    }

    pub fn resource_sp(&self, app_id: &str) -> Option<&str> {
        self.resources.iter().find(|r| r.app_id == app_id).map(|r| r.service_principal_id.as_str())
    }

    pub fn from_json(value: serde_json::Value) -> Result<Journal> {
        json::read(&value, "journal", |n| {
            let f = n.object(&["version", "tenantId", "resources", "apps"])?;
            Ok(Journal {
                version: f.opt_number("version")?.unwrap_or(VERSION),
                tenant_id: f.opt_string("tenantId")?,
                resources: f
                    .opt_list("resources", |n| {
                        let f = n.object(&["appId", "servicePrincipalId"])?;
                        Ok(ResourceRecord {
                            app_id: f.string("appId")?,
                            service_principal_id: f.string("servicePrincipalId")?,
                        })
                    })?
                    .unwrap_or_default(),
                apps: f.list("apps", app)?,
            })
        })
    }
}

fn app(n: Node) -> Result<AppRecord> {
    let f = n.object(&[
        "key",
        "existed",
        "objectId",
        "appId",
        "appDone",
        "servicePrincipalId",
        "servicePrincipalCreated",
        "grants",
        "assignments",
        "consentDone",
        "secretKeyId",
        "needsLookup",
        "declaredAccess",
    ])?;
    let flag = |k: &str| f.opt_bool(k).map(Option::unwrap_or_default);
    Ok(AppRecord {
        key: f.string("key")?,
        existed: f.opt_bool("existed")?,
        object_id: f.opt_string("objectId")?,
        app_id: f.opt_string("appId")?,
        app_done: flag("appDone")?,
        service_principal_id: f.opt_string("servicePrincipalId")?,
        service_principal_created: flag("servicePrincipalCreated")?,
        grants: f
            .opt_list("grants", |n| {
                let f = n.object(&["resourceAppId", "id", "created"])?;
                Ok(GrantRecord {
                    resource_app_id: f.string("resourceAppId")?,
                    id: f.string("id")?,
                    created: f.opt_bool("created")?.unwrap_or_default(),
                })
            })?
            .unwrap_or_default(),
        assignments: f
            .opt_list("assignments", |n| {
                let f = n.object(&["appRoleId", "id", "created"])?;
                Ok(AssignmentRecord {
                    app_role_id: f.string("appRoleId")?,
                    id: f.string("id")?,
                    created: f.opt_bool("created")?.unwrap_or_default(),
                })
            })?
            .unwrap_or_default(),
        consent_done: flag("consentDone")?,
        secret_key_id: f.opt_string("secretKeyId")?,
        needs_lookup: flag("needsLookup")?,
        declared_access: f.get("declaredAccess").cloned(),
    })
}
