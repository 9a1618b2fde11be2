//! App management policies, as Graph keeps and enforces them: the tenant default
//! (`GET /policies/defaultAppManagementPolicy`, off until enabled; tenantappmanagementpolicy-get) and policies
//! applied to one app (`GET /applications/{id}/appManagementPolicies`), which take the default's place for it. A new
//! secret longer than `maxLifetime`, or any secret where `passwordAddition` is restricted, is refused with 400 and the
//! body Graph sends (OfficeDev/microsoft-365-agents-toolkit#10998), and nothing is added.

use serde_json::{json, Value};

use crate::directory::iso;
use crate::tenant::{Reply, Tenant};

pub const DEFAULT_POLICY_ID: &str = "00000000-0000-0000-0000-000000000000";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct AppPolicies {
    /// The tenant default's `applicationRestrictions.passwordCredentials`, when enabled.
    pub default: Option<Vec<Value>>,
    /// (application object id, policy id, its `restrictions.passwordCredentials`).
    pub per_app: Vec<(String, String, Vec<Value>)>,
}

/// Days in a `PnD` duration (the only form the sandbox sets).
fn days(max: &str) -> Option<u64> {
    max.strip_prefix('P')?.strip_suffix('D')?.parse().ok()
}

impl Tenant {
    /// The tenant default caps new secrets at `max_days` (when given) and/or blocks them.
    pub fn set_default_app_policy(&mut self, max_days: Option<u64>, block_secrets: bool) {
        self.app_policies.default = Some(restrictions(max_days, block_secrets));
    }

    /// A policy applied to the live app holding `unique_name`. Returns its id.
    pub fn apply_app_policy(
        &mut self,
        unique_name: &str,
        max_days: Option<u64>,
        block_secrets: bool,
    ) -> Option<String> {
        let app = self.apps.iter().find(|a| a.unique_name.as_deref() == Some(unique_name))?.id.clone();
        let id = self.new_id();
        self.app_policies.per_app.retain(|(a, _, _)| *a != app);
        self.app_policies.per_app.push((app, id.clone(), restrictions(max_days, block_secrets)));
        Some(id)
    }

    pub(crate) fn app_policy_routes(&self, method: &str, segs: &[&str]) -> Option<Reply> {
        match (method, segs) {
            ("GET", ["policies", "defaultAppManagementPolicy"]) => Some(Reply::json(
                200,
                json!({
                    "id": DEFAULT_POLICY_ID,
                    "displayName": "Default app management tenant policy",
                    "isEnabled": self.app_policies.default.is_some(),
                    "applicationRestrictions": { "passwordCredentials": self.app_policies.default.clone().unwrap_or_default(), "keyCredentials": [] },
                    "servicePrincipalRestrictions": { "passwordCredentials": [], "keyCredentials": [] },
                }),
            )),
            ("GET", ["applications", id, "appManagementPolicies"]) => {
                let list: Vec<Value> = self
                    .app_policies
                    .per_app
                    .iter()
                    .filter(|(app, _, _)| app == id)
                    .map(|(_, pid, r)| json!({ "id": pid, "displayName": "Credential policy", "isEnabled": true, "restrictions": { "passwordCredentials": r, "keyCredentials": [] } }))
                    .collect();
                Some(Reply::json(200, json!({ "value": list })))
            }
            _ => None,
        }
    }

    /// The refusal of a new secret on app `id` ending at `end` (ISO 8601, or Graph's default of two years), if any.
    pub(crate) fn refuse_secret(&self, id: &str, end: Option<&str>, now: u64) -> Option<Reply> {
        let (policy, rules) = match self.app_policies.per_app.iter().find(|(app, _, _)| app == id) {
            Some((_, pid, r)) => (pid.as_str(), r),
            None => (DEFAULT_POLICY_ID, self.app_policies.default.as_ref()?),
        };
        let kind = |k: &str| rules.iter().find(|r| r["restrictionType"] == k);
        if kind("passwordAddition").is_some() {
            let message = format!("Credential type not allowed as per assigned policy '{policy}'.");
            return Some(Reply::json(
                400,
                json!({ "error": { "code": "CredentialTypeNotAllowedAsPerAppPolicy", "message": message } }),
            ));
        }
        let max = days(kind("passwordLifetime")?["maxLifetime"].as_str()?)?;
        // addPassword's default lifetime is two years (application-addpassword).
        let default_end = iso(now + 2 * 365 * 86_400_000);
        let end = end.unwrap_or(&default_end);
        if end[..end.len().min(19)] <= iso(now + max * 86_400_000)[..19] {
            return None;
        }
        let message = format!("Credential lifetime exceeds the max value allowed as per assigned policy '{policy}'.");
        Some(Reply::json(
            400,
            json!({ "error": { "code": "CredentialInvalidLifetimeAsPerAppPolicy", "message": message,
                "details": [{ "code": "InvalidKeyEndDate", "message": message, "target": "EndDate" }] } }),
        ))
    }
}

fn restrictions(max_days: Option<u64>, block_secrets: bool) -> Vec<Value> {
    let mut list = vec![];
    if let Some(d) = max_days {
        list.push(json!({ "restrictionType": "passwordLifetime", "maxLifetime": format!("P{d}D"), "restrictForAppsCreatedAfterDateTime": "2015-01-01T00:00:00Z", "state": "enabled" }));
    }
    if block_secrets {
        list.push(json!({ "restrictionType": "passwordAddition", "maxLifetime": null, "restrictForAppsCreatedAfterDateTime": "2015-01-01T00:00:00Z", "state": "enabled" }));
    }
    list
}
