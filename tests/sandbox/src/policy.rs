//! The tenant's authorization policy and who may register applications. `GET /policies/authorizationPolicy`
//! answers the one policy object (authorizationpolicy-get, Policy.Read.All or Policy.ReadWrite.Authorization);
//! `defaultUserRolePermissions.allowedToCreateApps` says whether every member may register applications — `true`
//! unless an admin turned it off (authorizationpolicy resource; the page's example). A member who may registers
//! apps with the upsert like an admin ("a nonadmin member or guest with default user permissions", application-
//! upsert) and manages the apps they own; the sandbox's one user owns what it registers.

use serde_json::{json, Value};

use crate::directory::APP_ROLES;
use crate::tenant::{Reply, Tenant};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizationPolicy {
    /// `defaultUserRolePermissions.allowedToCreateApps`.
    pub allowed_to_create_apps: bool,
}

impl Default for AuthorizationPolicy {
    fn default() -> Self {
        AuthorizationPolicy { allowed_to_create_apps: true }
    }
}

impl Tenant {
    /// An application role, or the tenant letting every member register applications.
    pub(crate) fn may_register_apps(&self) -> bool {
        self.has_role(&APP_ROLES) || self.authorization_policy.allowed_to_create_apps
    }

    /// `GET /policies/authorizationPolicy`; `None` for any other path.
    pub(crate) fn policy_routes(&self, method: &str, segs: &[&str]) -> Option<Reply> {
        match (method, segs) {
            ("GET", ["policies", "authorizationPolicy"]) => Some(Reply::json(200, self.authorization_policy_json())),
            _ => None,
        }
    }

    fn authorization_policy_json(&self) -> Value {
        json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#policies/authorizationPolicy/$entity",
            "id": "authorizationPolicy",
            "displayName": "Authorization Policy",
            "defaultUserRolePermissions": {
                "allowedToCreateApps": self.authorization_policy.allowed_to_create_apps,
                "allowedToCreateSecurityGroups": true,
                "allowedToReadOtherUsers": true
            }
        })
    }
}
