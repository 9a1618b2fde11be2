//! The states a LUCS installation drifts into after it was registered, made on purpose so the health check can be
//! seen to find each: a secret expired or about to, a permission removed from an app, consent revoked, a permission
//! granted by hand, an app left without owners, and an app carrying the product's tag that the plan no longer has.

use serde_json::{json, Map, Value};

use crate::directory::iso;
use crate::tenant::{App, Grant, Tenant};

const DAY_MS: u64 = 86_400_000;

impl Tenant {
    fn live_app(&self, unique_name: &str) -> Option<usize> {
        self.apps.iter().position(|a| a.unique_name.as_deref() == Some(unique_name))
    }

    fn sp_of(&self, unique_name: &str) -> Option<String> {
        let app_id = &self.apps[self.live_app(unique_name)?].app_id;
        self.sps.iter().find(|s| &s.app_id == app_id).map(|s| s.id.clone())
    }

    /// Every secret of the app now ends at `end_ms` (ms since the epoch). False when the app has none.
    pub fn set_secret_end(&mut self, unique_name: &str, end_ms: u64) -> bool {
        let Some(i) = self.live_app(unique_name) else { return false };
        let id = self.apps[i].id.clone();
        let mut any = false;
        for p in self.passwords.iter_mut().filter(|p| p.app == id) {
            p.end = json!(iso(end_ms));
            any = true;
        }
        any
    }

    /// Takes one permission (by its id) out of the app's requiredResourceAccess, as an admin editing it by hand.
    pub fn drop_declared_permission(&mut self, unique_name: &str, permission_id: &str) -> bool {
        let Some(i) = self.live_app(unique_name) else { return false };
        let mut dropped = false;
        for r in self.apps[i].props["requiredResourceAccess"].as_array_mut().into_iter().flatten() {
            if let Some(list) = r["resourceAccess"].as_array_mut() {
                let before = list.len();
                list.retain(|a| !a["id"].as_str().is_some_and(|id| id.eq_ignore_ascii_case(permission_id)));
                dropped |= list.len() != before;
            }
        }
        dropped
    }

    /// Revokes every tenant-wide grant and app role assignment the app's service principal holds.
    pub fn revoke_consent(&mut self, unique_name: &str) -> bool {
        let Some(sp) = self.sp_of(unique_name) else { return false };
        let before = self.grants.len() + self.assignments.len();
        self.grants.retain(|g| g.client_id != sp);
        self.assignments.retain(|a| a.principal_id != sp);
        before != self.grants.len() + self.assignments.len()
    }

    /// Grants one more delegated Graph scope tenant-wide, as an admin could in the portal's API permissions blade.
    pub fn grant_by_hand(&mut self, unique_name: &str, scope: &str) -> bool {
        let Some(sp) = self.sp_of(unique_name) else { return false };
        let graph = self.graph_sp_id.clone();
        match self
            .grants
            .iter_mut()
            .find(|g| g.client_id == sp && g.resource_id == graph && g.consent_type == "AllPrincipals")
        {
            Some(g) => g.scope = format!("{} {scope}", g.scope).trim().to_string(),
            None => {
                let id = self.new_id();
                self.grants.push(Grant {
                    id,
                    client_id: sp,
                    consent_type: "AllPrincipals".into(),
                    resource_id: graph,
                    scope: scope.into(),
                });
            }
        }
        true
    }

    pub fn remove_owners(&mut self, unique_name: &str) -> bool {
        let Some(i) = self.live_app(unique_name) else { return false };
        self.apps[i].owners.clear();
        true
    }

    /// An app an earlier plan had (tagged like the product's apps), owned by the signed-in user.
    pub fn seed_unplanned(&mut self, unique_name: &str, display_name: &str, component_tag: &str, at: u64) -> String {
        let (id, app_id) = (self.new_id(), self.new_id());
        let mut props = Map::new();
        props.insert("displayName".into(), json!(display_name));
        props.insert("requiredResourceAccess".into(), json!([]));
        props.insert("tags".into(), json!(["LUCS", component_tag]));
        let owners = vec![self.user.id.clone()];
        self.apps.push(App {
            id: id.clone(),
            app_id,
            unique_name: Some(unique_name.into()),
            props,
            created: at,
            owners,
        });
        id
    }

    /// Each drifted state on the registered full LUCS set of the plan `prefix` (`LUCS` by default; the planner
    /// page's health demo), as of `now`: what was done to which app, as `[{ key, state }]`.
    pub fn seed_health_states(&mut self, prefix: &str, now: u64) -> Value {
        let stem = format!("{}-", prefix.to_lowercase().replace(' ', "-"));
        let mut done = vec![];
        let key = |code: &str| format!("{stem}{code}");
        let mut note = |code: &str, state: &str, ok: bool| {
            if ok {
                done.push(json!({ "key": format!("{stem}{code}"), "state": state }));
            }
        };
        note("webconfigurator", "expired", self.set_secret_end(&key("webconfigurator"), now - 2 * DAY_MS));
        note("cic", "expiring", self.set_secret_end(&key("cic"), now + 10 * DAY_MS));
        // Calendars.Read (delegated, 465a38f9-…) out of the second Calendar Integration's declared permissions.
        let dropped = self.drop_declared_permission(&key("ci-2"), "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42");
        note("ci-2", "driftedPermissions", dropped);
        note("fe", "consentRevoked", self.revoke_consent(&key("fe")));
        note("ci-1", "grantedByHand", self.grant_by_hand(&key("ci-1"), "Sites.Read.All"));
        note("galreader", "noOwners", self.remove_owners(&key("galreader")));
        self.seed_unplanned(&key("legacy"), &format!("{prefix} Legacy Connector"), "LUCS-Legacy", now);
        note("legacy", "notInPlan", true);
        // Every secret of the set in use until an hour ago, the expired one until it lapsed: what the renewal view
        // compares a new secret's first sign-in with.
        let keys: Vec<String> =
            self.apps.iter().filter_map(|a| a.unique_name.clone()).filter(|k| k.starts_with(&stem)).collect();
        for k in keys {
            let at = if k == key("webconfigurator") { now - 3 * DAY_MS } else { now - DAY_MS / 24 };
            self.sign_in_with_secrets(&k, at);
        }
        json!(done)
    }
}
