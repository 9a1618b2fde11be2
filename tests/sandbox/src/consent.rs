//! Consent writes: the AllPrincipals delegated grant and app role assignments, with the answers Graph gives a
//! fresh service principal (replication) and a duplicate.

use serde_json::{json, Value};

use crate::directory::{CONSENT_ROLES, ROLE_ADMINS};
use crate::routes::{denied, filter_eq, not_found, NOT_PRESENT};
use crate::tenant::{Assignment, Grant, Reply, Tenant};

impl Tenant {
    /// Grants and app role assignments: read, written, deleted (the writes' rules are `grant` and `assign`).
    pub(crate) fn consent_objects(
        &mut self,
        method: &str,
        segs: &[&str],
        path: &str,
        query: &str,
        body: &Value,
        now: u64,
    ) -> Option<Reply> {
        match segs.first() {
            Some(&"oauth2PermissionGrants") => self.grant_routes(method, segs, path, query, body, now),
            _ => self.assignment_routes(method, segs, path, query, body, now),
        }
    }

    /// `/oauth2PermissionGrants…`
    fn grant_routes(
        &mut self,
        method: &str,
        segs: &[&str],
        path: &str,
        query: &str,
        body: &Value,
        now: u64,
    ) -> Option<Reply> {
        Some(match (method, segs) {
            ("GET", ["oauth2PermissionGrants", id]) => match self.grants.iter().find(|g| g.id == *id) {
                Some(g) => Reply::json(200, grant_json(g)),
                None => not_found(id),
            },
            ("GET", ["oauth2PermissionGrants"]) => {
                let clauses = filter_eq(query);
                let items: Vec<Value> = self
                    .grants
                    .iter()
                    .filter(|g| {
                        clauses.iter().all(|(k, v)| match k.as_str() {
                            "clientId" => &g.client_id == v,
                            "resourceId" => &g.resource_id == v,
                            "consentType" => &g.consent_type == v,
                            _ => true,
                        })
                    })
                    .map(grant_json)
                    .collect();
                self.page(items, path, query)
            }
            ("POST", ["oauth2PermissionGrants"]) => self.grant(body, now),
            ("PATCH", ["oauth2PermissionGrants", id]) => match self.grants.iter_mut().find(|g| g.id == *id) {
                Some(g) => {
                    if let Some(s) = body["scope"].as_str() {
                        g.scope = s.to_string();
                    }
                    Reply::empty(204)
                }
                None => not_found(id),
            },
            ("DELETE", ["oauth2PermissionGrants", id]) => {
                let before = self.grants.len();
                self.grants.retain(|g| g.id != *id);
                if before == self.grants.len() {
                    not_found(id)
                } else {
                    Reply::empty(204)
                }
            }
            _ => return None,
        })
    }

    /// `/servicePrincipals/{id}/appRoleAssignments…`
    fn assignment_routes(
        &mut self,
        method: &str,
        segs: &[&str],
        path: &str,
        query: &str,
        body: &Value,
        now: u64,
    ) -> Option<Reply> {
        Some(match (method, segs) {
            ("GET", ["servicePrincipals", id, "appRoleAssignments", aid]) => {
                match self.assignments.iter().find(|a| a.principal_id == *id && a.id == *aid) {
                    Some(a) => Reply::json(200, assignment_json(a)),
                    None => not_found(aid),
                }
            }
            ("GET", ["servicePrincipals", id, "appRoleAssignments"]) => {
                let items: Vec<Value> =
                    self.assignments.iter().filter(|a| a.principal_id == *id).map(assignment_json).collect();
                self.page(items, path, query)
            }
            ("POST", ["servicePrincipals", id, "appRoleAssignments"]) => self.assign(id, body, now),
            ("DELETE", ["servicePrincipals", id, "appRoleAssignments", aid]) => {
                let before = self.assignments.len();
                self.assignments.retain(|a| !(a.principal_id == *id && a.id == *aid));
                if before == self.assignments.len() {
                    not_found(aid)
                } else {
                    Reply::empty(204)
                }
            }
            _ => return None,
        })
    }

    /// A dependent call on `sp_id`: missing, or created too recently to be seen.
    fn visible_sp(&self, sp_id: &str, now: u64) -> bool {
        self.sps.iter().any(|s| s.id == sp_id && !self.replicating(s.created, now))
    }

    pub(crate) fn grant(&mut self, body: &Value, now: u64) -> Reply {
        // Privileged Role Administrators may consent to anything (grant-admin-consent.md).
        if !self.has_role(&CONSENT_ROLES) {
            return denied();
        }
        let s = |k: &str| body[k].as_str().unwrap_or("").to_string();
        let (client, resource, consent, scope) = (s("clientId"), s("resourceId"), s("consentType"), s("scope"));
        if !self.visible_sp(&client, now) || !self.visible_sp(&resource, now) {
            // Replication answers a fresh service principal's grant in more than one way: the usual 404; 404
            // Directory_ObjectNotFound "Unable to read the company information…" (microsoft/fhir-server
            // Grant-ClientAppDelegatedPermissions.ps1); 400 with the not-present message (terraform-azuread's
            // delegated_permission_grant retry).
            return match self.rng.u8(..3) {
                0 => {
                    self.note("replication: grant 404 Request_ResourceNotFound");
                    Reply::error(404, "Request_ResourceNotFound", &format!("Resource '{client}' {NOT_PRESENT}"))
                }
                1 => {
                    self.note("replication: grant 404 Directory_ObjectNotFound company information");
                    let message = "Unable to read the company information from the directory.";
                    Reply::error(404, "Directory_ObjectNotFound", message)
                }
                _ => {
                    self.note("replication: grant 400 not present");
                    Reply::error(400, "Request_BadRequest", &format!("Resource '{client}' {NOT_PRESENT}"))
                }
            };
        }
        let exists =
            self.grants.iter().any(|g| g.client_id == client && g.resource_id == resource && g.consent_type == consent);
        if exists && self.refuse_duplicates && self.quirks.duplicate_grant_400 {
            // Some tenants answer so (microsoft/fhir-server Grant-ClientAppDelegatedPermissions.ps1 handles both).
            self.note("duplicate: grant 400 Permission entry already exists");
            return Reply::error(400, "Request_BadRequest", "Permission entry already exists.");
        }
        if exists && self.refuse_duplicates {
            // terraform-provider-azuread#690.
            self.note("duplicate: grant 409 Permission entry already exists");
            return Reply::error(409, "Request_MultipleObjectsWithSameKeyValue", "Permission entry already exists.");
        }
        let grant = Grant { id: self.new_id(), client_id: client, consent_type: consent, resource_id: resource, scope };
        let json = grant_json(&grant);
        self.grants.push(grant);
        Reply::json(201, json)
    }

    pub(crate) fn assign(&mut self, principal: &str, body: &Value, now: u64) -> Reply {
        let s = |k: &str| body[k].as_str().unwrap_or("").to_string();
        let (resource, role) = (s("resourceId"), s("appRoleId"));
        if s("principalId") != principal {
            return Reply::error(400, "Request_BadRequest", "principalId must be the service principal in the URL.");
        }
        // Application and Cloud Application Administrators may consent to app roles of any API but Microsoft Graph
        // and Azure AD Graph (permissions-reference.md); those two take a Privileged Role or Global Administrator.
        let api = self.sps.iter().find(|s| s.id == resource).map(|s| s.app_id.as_str()).unwrap_or("");
        let admins: &[&str] = if crate::resources::role_admins_only(api) { &ROLE_ADMINS } else { &CONSENT_ROLES };
        if !self.has_role(admins) {
            return denied();
        }
        if !self.visible_sp(principal, now) {
            // terraform-azuread's app_role_assignment retries both answers; msgraph-bicep-types#193.
            return if self.rng.bool() {
                self.note("replication: assignment 400 Not a valid reference update");
                Reply::error(400, "Request_BadRequest", "Not a valid reference update.")
            } else {
                self.note("replication: assignment 404 Request_ResourceNotFound");
                Reply::error(404, "Request_ResourceNotFound", &format!("Resource '{principal}' {NOT_PRESENT}"))
            };
        }
        let exists = self
            .assignments
            .iter()
            .any(|a| a.principal_id == principal && a.resource_id == resource && a.app_role_id == role);
        if exists && self.refuse_duplicates {
            // Graph's answer to a duplicate app role assignment is a 400, not a 409 (microsoft/fhir-server
            // Set-FhirServerClientAppRoleAssignments.ps1).
            self.note("duplicate: assignment 400 already exists");
            return Reply::error(400, "Request_BadRequest", "Permission being assigned already exists on the object");
        }
        let a = Assignment {
            id: self.new_id(),
            principal_id: principal.to_string(),
            resource_id: resource,
            app_role_id: role,
        };
        let json = assignment_json(&a);
        self.assignments.push(a);
        Reply::json(201, json)
    }
}

pub(crate) fn grant_json(g: &crate::tenant::Grant) -> Value {
    json!({ "id": g.id, "clientId": g.client_id, "consentType": g.consent_type, "principalId": null, "resourceId": g.resource_id, "scope": g.scope })
}

pub(crate) fn assignment_json(a: &crate::tenant::Assignment) -> Value {
    json!({ "id": a.id, "appRoleId": a.app_role_id, "principalId": a.principal_id, "principalType": "ServicePrincipal", "resourceId": a.resource_id })
}
