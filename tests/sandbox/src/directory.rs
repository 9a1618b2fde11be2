//! The signed-in user's roles, as Microsoft Graph answers them (deleted items: `deleted.rs`).
//!
//! Roles: `/me/memberOf` lists only direct memberships; a role held through a role-assignable group shows only in
//! `/me/transitiveMemberOf` (user-list-memberof, user-list-transitivememberof). PIM-eligible roles that are not
//! activated appear in neither; `roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')` lists them
//! (unifiedroleeligibilityscheduleinstance-filterbycurrentuser), each with its `directoryScopeId`: `/` for the
//! tenant, `/{id}` or `/administrativeUnits/{id}` for a role held on one app or administrative unit only
//! (unifiedroleeligibilityscheduleinstance resource). Without a scope that reads directory roles, the
//! collections return only `@odata.type` and `id` ("limited information for inaccessible member objects",
//! user-list-transitivememberof). Role template ids: entra-docs permissions-reference.md.

use serde_json::{json, Value};

use crate::tenant::{Reply, Tenant};

/// Roles that may register applications and their service principals (permissions-reference.md; Application
/// Developer: serviceprincipal-upsert).
pub(crate) const APP_ROLES: [&str; 4] =
    ["Global Administrator", "Application Administrator", "Cloud Application Administrator", "Application Developer"];
/// Roles that may consent to delegated permissions (grant-admin-consent.md; Privileged Role Administrator too).
pub(crate) const CONSENT_ROLES: [&str; 4] = [
    "Global Administrator",
    "Privileged Role Administrator",
    "Application Administrator",
    "Cloud Application Administrator",
];
/// Roles that may consent to app roles of Microsoft Graph and Azure AD Graph (grant-admin-consent.md;
/// permissions-reference.md); consent to other APIs' app roles takes one of `CONSENT_ROLES`.
pub(crate) const ROLE_ADMINS: [&str; 2] = ["Global Administrator", "Privileged Role Administrator"];

/// (display name, roleTemplateId) of the built-in roles the registrar cares about (permissions-reference.md).
pub const ROLE_TEMPLATES: [(&str, &str); 5] = [
    ("Global Administrator", "62e90394-69f5-4237-9190-012177145e10"),
    ("Privileged Role Administrator", "e8611ab8-c189-46e8-94e1-60213ab1f814"),
    ("Application Administrator", "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"),
    ("Cloud Application Administrator", "158c047a-c907-4556-b7ef-446551a6b5f7"),
    ("Application Developer", "cf1c38e5-3621-4004-a7cb-879624dced7c"),
];

fn template_of(name: &str) -> String {
    ROLE_TEMPLATES.iter().find(|(n, _)| *n == name).map(|(_, t)| t.to_string()).unwrap_or_else(|| {
        // Other roles get a stable made-up template id, so they are listed but never mistaken for the above.
        let sum: u32 = name.bytes().map(u32::from).sum();
        format!("00000000-0000-4000-8000-{sum:012x}")
    })
}

impl Tenant {
    /// Whether the token can read directoryRole objects (directoryrole-get); without it members come back bare.
    fn reads_roles(&self) -> bool {
        crate::scopes::meets(&self.token_scopes, crate::scopes::ROLE_NAMES_READ)
    }

    fn role_json(&self, name: &str) -> Value {
        let template = template_of(name);
        // A directoryRole's object id differs from its template id in every tenant.
        let id = format!("{}{}", &self.id[..9], &template[9..]);
        if !self.reads_roles() {
            return json!({ "@odata.type": "#microsoft.graph.directoryRole", "id": id });
        }
        json!({ "@odata.type": "#microsoft.graph.directoryRole", "id": id, "displayName": name, "roleTemplateId": template })
    }

    fn memberships(&self, transitive: bool) -> Vec<Value> {
        let mut out: Vec<Value> = self.user.roles.iter().map(|r| self.role_json(r)).collect();
        if !self.user.group_roles.is_empty() {
            let group = json!({ "@odata.type": "#microsoft.graph.group", "id": format!("{}-group", &self.id[..8]),
                                "displayName": "Entra admins (role-assignable)" });
            out.push(group);
            if transitive {
                out.extend(self.user.group_roles.iter().map(|r| self.role_json(r)));
            }
        }
        out
    }

    /// Directory routes; `None` for any other path.
    pub(crate) fn directory(
        &mut self,
        method: &str,
        segs: &[&str],
        path: &str,
        query: &str,
        now: u64,
    ) -> Option<Reply> {
        if let Some(reply) = self.deleted_items(method, segs, path, query, now) {
            return Some(reply);
        }
        if let Some(reply) = self.app_policy_routes(method, segs) {
            return Some(reply);
        }
        if let Some(reply) = self.policy_routes(method, segs) {
            return Some(reply);
        }
        let reply = match (method, segs) {
            ("GET", ["me", "memberOf"]) => self.page(self.memberships(false), path, query),
            ("GET", ["me", "transitiveMemberOf"]) => self.page(self.memberships(true), path, query),
            ("GET", ["roleManagement", "directory", "roleEligibilityScheduleInstances", f])
                if f.starts_with("filterByCurrentUser") =>
            {
                // A role eligible on one app or administrative unit carries that object's scope, not "/".
                let tenant_wide = self.user.eligible_roles.iter().map(|r| (r.as_str(), "/"));
                let scoped = self.user.scoped_eligible_roles.iter().map(|(r, scope)| (r.as_str(), scope.as_str()));
                let items: Vec<Value> = tenant_wide
                    .chain(scoped)
                    .map(|(r, scope)| json!({ "roleDefinitionId": template_of(r), "principalId": self.user.id, "directoryScopeId": scope }))
                    .collect();
                self.page(items, path, query)
            }
            _ => return None,
        };
        Some(reply)
    }
}

/// Milliseconds since the epoch as an ISO 8601 UTC timestamp (Graph's DateTimeOffset).
pub fn iso(ms: u64) -> String {
    let secs = ms / 1000;
    let days = (secs / 86_400) as i64;
    // Civil date from days since 1970-01-01 (H. Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let t = secs % 86_400;
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", t / 3600, t / 60 % 60, t % 60)
}
