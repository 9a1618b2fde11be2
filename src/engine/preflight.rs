//! Pre-flight, read-only, before any write: which tenant this is (id, name, verified and default domains), who is
//! signed in, their directory roles, and what those roles let them do here — said before they click, not after a
//! 403. Role rules: Microsoft Entra built-in roles ("Application Administrator", "Cloud Application
//! Administrator" can register apps and grant consent to delegated permissions; consent to Microsoft Graph
//! application permissions needs "Privileged Role Administrator" or "Global Administrator";
//! learn.microsoft.com/entra/identity/role-based-access-control/permissions-reference and
//! learn.microsoft.com/entra/identity/enterprise-apps/grant-admin-consent).

use serde::Serialize;
use serde_json::Value;

use super::batcher::{relative, BatchJob, Batcher};
use super::http::ItemResponse;
use super::report::{Stop, StopKind};
use crate::plan::Plan;

const CREATE_APPS: [&str; 4] =
    ["Global Administrator", "Application Administrator", "Cloud Application Administrator", "Application Developer"];
const GRANT_DELEGATED: [&str; 4] = [
    "Global Administrator",
    "Privileged Role Administrator",
    "Application Administrator",
    "Cloud Application Administrator",
];
const GRANT_APPLICATION: [&str; 2] = ["Global Administrator", "Privileged Role Administrator"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preflight {
    pub tenant_id: String,
    pub tenant_name: String,
    pub default_domain: Option<String>,
    pub verified_domains: Vec<String>,
    pub user_principal_name: String,
    pub user_display_name: String,
    pub roles: Vec<String>,
    pub can_create_apps: bool,
    pub can_grant_delegated: bool,
    pub can_grant_application: bool,
    /// What the given plan needs that these roles do not allow, in words; empty when it can run.
    pub blockers: Vec<String>,
}

pub struct PreflightJob {
    batch: Batcher,
    plan: Option<Plan>,
    ids: Option<(String, String, String)>,
    out: Preflight,
    role_pages: Vec<String>,
}

impl PreflightJob {
    pub fn new(plan: Option<Plan>) -> PreflightJob {
        let mut batch = Batcher::default();
        let org = batch.add("GET", "/organization?$select=id,displayName,verifiedDomains".into(), None);
        let me = batch.add("GET", "/me?$select=id,userPrincipalName,displayName".into(), None);
        let roles = batch.add("GET", "/me/memberOf?$select=displayName".into(), None);
        PreflightJob {
            batch,
            plan,
            ids: Some((org, me, roles.clone())),
            out: Preflight::default(),
            role_pages: vec![roles],
        }
    }
}

impl BatchJob for PreflightJob {
    type Output = Preflight;

    fn batcher(&mut self) -> &mut Batcher {
        &mut self.batch
    }

    fn read(&mut self, replies: Vec<(String, ItemResponse)>) -> Result<(), Stop> {
        let Some((org, me, _)) = self.ids.clone() else { return Ok(()) };
        for (id, r) in replies {
            if !(200..300).contains(&r.status) {
                let (code, message) = super::http::error_of(&r.body);
                return Err(Stop::new(
                    StopKind::Failed,
                    None,
                    format!("pre-flight read failed: HTTP {} {code}: {message}", r.status),
                ));
            }
            let b = &r.body;
            if id == org {
                let o = &b["value"][0];
                self.out.tenant_id = o["id"].as_str().unwrap_or("").into();
                self.out.tenant_name = o["displayName"].as_str().unwrap_or("").into();
                for d in o["verifiedDomains"].as_array().into_iter().flatten() {
                    let name = d["name"].as_str().unwrap_or("").to_string();
                    if d["isDefault"] == Value::Bool(true) {
                        self.out.default_domain = Some(name.clone());
                    }
                    self.out.verified_domains.push(name);
                }
            } else if id == me {
                self.out.user_principal_name = b["userPrincipalName"].as_str().unwrap_or("").into();
                self.out.user_display_name = b["displayName"].as_str().unwrap_or("").into();
            } else if self.role_pages.contains(&id) {
                for m in b["value"].as_array().into_iter().flatten() {
                    if m["@odata.type"] == "#microsoft.graph.directoryRole" {
                        self.out.roles.push(m["displayName"].as_str().unwrap_or("").into());
                    }
                }
                if let Some(next) = b["@odata.nextLink"].as_str() {
                    let page = self.batch.add("GET", relative(next), None);
                    self.role_pages.push(page);
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Preflight {
        let has = |any: &[&str]| self.out.roles.iter().any(|r| any.contains(&r.as_str()));
        self.out.can_create_apps = has(&CREATE_APPS);
        self.out.can_grant_delegated = has(&GRANT_DELEGATED);
        self.out.can_grant_application = has(&GRANT_APPLICATION);
        if let Some(plan) = &self.plan {
            let mut blockers = Vec::new();
            if !self.out.can_create_apps {
                blockers.push("Registering the apps needs the Application Administrator, Cloud Application Administrator or Global Administrator role.".to_string());
            }
            let consent = |f: fn(&crate::plan::PlannedApp) -> bool| {
                plan.applications.iter().any(|a| a.grant_admin_consent && f(a))
            };
            if consent(|a| !a.delegated_grants.is_empty()) && !self.out.can_grant_delegated {
                blockers.push("Consent to delegated permissions needs the Cloud Application Administrator, Application Administrator, Privileged Role Administrator or Global Administrator role.".to_string());
            }
            if consent(|a| !a.app_role_assignments.is_empty()) && !self.out.can_grant_application {
                let names: Vec<&str> = plan
                    .applications
                    .iter()
                    .filter(|a| !a.app_role_assignments.is_empty())
                    .map(|a| a.component.as_str())
                    .collect();
                blockers.push(format!(
                    "Consent to the application permissions of {} needs the Privileged Role Administrator or Global Administrator role.",
                    names.join(", ")
                ));
            }
            self.out.blockers = blockers;
        }
        std::mem::take(&mut self.out)
    }
}
