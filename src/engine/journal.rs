//! The journal: what exists in the tenant after each step, per planned app. Fed back into a run it resumes
//! without duplicates; fed to rollback it deletes exactly what runs created. It never holds a secret or a token.
//!
//! A journal comes back from storage the caller controls, so it is re-validated wherever it enters (resume,
//! rollback): every object id must be a GUID as Graph writes them, and each is kept with its kind (application,
//! service principal, grant, assignment, secret) — request paths are only ever built from these parsed ids.

use serde::Serialize;

use crate::error::{Code, Error, Result};
use crate::guid::is_guid;
use crate::json::{self, Node};

/// 2 added `secretDelivered`. A version-1 journal's secret was either shown in a report or lost in a stop; which
/// cannot be told, so it counts as shown — never removing a secret an admin may be using.
pub const VERSION: u32 = 2;

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
    /// The secret was handed to the caller (in a report or a stop). One that never was — the run was cut off
    /// — is removed and replaced on resume, so no live secret is left that nobody has.
    pub secret_delivered: bool,
    /// A write's outcome is unknown (dropped connection, 5xx): read before writing again.
    pub needs_lookup: bool,
    /// Grants, scopes and app role assignments this tool is about to make on a service principal it did not
    /// create (`grant:<resource>`, `scopes:<resource>:<added>`, `role:<appRoleId>`): found later after a lost
    /// reply, they are known to be the tool's, so rollback undoes them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub intents: Vec<String>,
    /// For an app addressed by Application ID: the requiredResourceAccess it had, which ours is merged into.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_access: Option<serde_json::Value>,
    /// The app existed under this key before the tool touched it and the admin chose to adopt it (after being shown
    /// its owners and credentials): written to, but never deleted by rollback.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub adopted: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct GrantRecord {
    pub resource_app_id: String,
    pub id: String,
    pub created: bool,
    /// Scopes this tool added to a grant that existed (rollback removes exactly these).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub added_scopes: Vec<String>,
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
            let version = f.opt_number("version")?.unwrap_or(VERSION);
            let mut apps = f.list("apps", app)?;
            if version < 2 {
                for a in &mut apps {
                    a.secret_delivered = a.secret_key_id.is_some();
                }
            }
            Ok(Journal {
                version,
                tenant_id: f.opt("tenantId", guid)?,
                resources: f
                    .opt_list("resources", |n| {
                        let f = n.object(&["appId", "servicePrincipalId"])?;
                        Ok(ResourceRecord {
                            app_id: f.req("appId", guid)?,
                            service_principal_id: f.req("servicePrincipalId", guid)?,
                        })
                    })?
                    .unwrap_or_default(),
                apps,
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
        "secretDelivered",
        "intents",
        "adopted",
    ])?;
    let flag = |k: &str| f.opt_bool(k).map(Option::unwrap_or_default);
    Ok(AppRecord {
        key: f.req("key", key)?,
        existed: f.opt_bool("existed")?,
        object_id: f.opt("objectId", guid)?,
        app_id: f.opt("appId", guid)?,
        app_done: flag("appDone")?,
        service_principal_id: f.opt("servicePrincipalId", guid)?,
        service_principal_created: flag("servicePrincipalCreated")?,
        grants: f
            .opt_list("grants", |n| {
                let f = n.object(&["resourceAppId", "id", "created", "addedScopes"])?;
                Ok(GrantRecord {
                    resource_app_id: f.req("resourceAppId", guid)?,
                    id: f.req("id", grant_id)?,
                    created: f.opt_bool("created")?.unwrap_or_default(),
                    added_scopes: f.opt("addedScopes", scopes)?.unwrap_or_default(),
                })
            })?
            .unwrap_or_default(),
        assignments: f
            .opt_list("assignments", |n| {
                let f = n.object(&["appRoleId", "id", "created"])?;
                Ok(AssignmentRecord {
                    app_role_id: f.req("appRoleId", guid)?,
                    id: f.req("id", object_id)?,
                    created: f.opt_bool("created")?.unwrap_or_default(),
                })
            })?
            .unwrap_or_default(),
        consent_done: flag("consentDone")?,
        secret_key_id: f.opt("secretKeyId", guid)?,
        needs_lookup: flag("needsLookup")?,
        declared_access: f.opt("declaredAccess", |n| n.list().map(|_| ()))?.and(f.get("declaredAccess").cloned()),
        secret_delivered: flag("secretDelivered")?,
        intents: f.opt("intents", |n| json::items(n, |n| text(n, 4000)))?.unwrap_or_default(),
        adopted: flag("adopted")?,
    })
}

/// A GUID as Graph writes it (8-4-4-4-12 hex digits).
fn guid(n: Node) -> Result<String> {
    let s = n.string()?;
    if is_guid(&s) {
        Ok(s)
    } else {
        Err(Error::new(Code::InvalidGuid, n.path(), format!("`{}` must be a GUID, got {s:?}", n.path())))
    }
}

/// App role assignment ids are opaque keys, not GUIDs; ids (for assignments and grants alike) are only ever
/// base64url-ish text, so anything else — a slash, a dot, a query — is refused before it can reach a path.
fn object_id(n: Node) -> Result<String> {
    let s = n.string()?;
    let ok = (1..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(s)
    } else {
        let why = "an object id (letters, digits, '-' and '_' only)";
        Err(Error::new(Code::InvalidGuid, n.path(), format!("`{}` must be {why}, got {s:?}", n.path())))
    }
}

fn grant_id(n: Node) -> Result<String> {
    object_id(n)
}

/// The uniqueName key of a planned app: what the planner makes (lowercase letters, digits, hyphens).
fn key(n: Node) -> Result<String> {
    let s = n.string()?;
    let ok = (1..=120).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(s)
    } else {
        Err(Error::new(Code::InvalidInput, n.path(), format!("`{}` is not an app key, got {s:?}", n.path())))
    }
}

fn text(n: Node, max: usize) -> Result<String> {
    let s = n.string()?;
    if s.len() <= max && !s.chars().any(char::is_control) {
        Ok(s)
    } else {
        Err(n.wrong(&format!("a line of at most {max} characters")))
    }
}

fn scopes(n: Node) -> Result<Vec<String>> {
    json::items(n, |n| {
        let s = n.string()?;
        if !s.is_empty() && s.len() <= 200 && s.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(s)
        } else {
            Err(n.wrong("a scope name"))
        }
    })
}

impl Journal {
    /// The same checks as a journal read from JSON: for journals built in Rust and handed back in.
    pub fn validated(self) -> Result<Journal> {
        let value = serde_json::to_value(&self).unwrap_or_default();
        Journal::from_json(value)
    }
}
