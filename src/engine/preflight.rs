//! Pre-flight, read-only, before any write: which tenant this is (id, name, verified and default domains), who is
//! signed in, their directory roles, and what those roles let them do here — said before they click, not after a
//! 403.
//!
//! Roles are matched by roleTemplateId (`roles.rs`), read from `/me/transitiveMemberOf`: `/me/memberOf` is not
//! transitive and misses roles held through role-assignable groups (user-list-memberof). PIM-eligible roles not yet
//! activated appear in neither; they are read from
//! `roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')` where the token allows it
//! (unifiedroleeligibilityscheduleinstance-filterbycurrentuser); one scoped to an app or administrative unit
//! (`directoryScopeId` other than `/`) is not a tenant-wide role and does not count. Registering applications needs
//! no role where the tenant lets members do it: `GET /policies/authorizationPolicy` →
//! `defaultUserRolePermissions.allowedToCreateApps` (authorizationpolicy-get, Policy.Read.All; `true` by default).
//! Pre-flight blocks only when certain: when roles came back without template ids (too few scopes: "limited
//! information", user-list-transitivememberof), eligibility or the policy could not be read, it warns and lets
//! Graph's own 403 decide.
//!
//! It also reads the tenant's default app management policy (tenantappmanagementpolicy-get, Policy.Read.All) in
//! the same round trip and reports the client secret lifetimes it allows an app made now
//! (`credentials::lifetimes_for_new_app`), so the lifetime is chosen before Register, not learnt from a 400.

use serde::Serialize;
use serde_json::Value;

use super::batcher::{BatchJob, Batcher, Call, Pending};
use super::credentials::{lifetimes_for_new_app, SecretLifetimes};
use super::http::{relative, ItemResponse, Method};
use super::report::{Stop, StopKind};
use crate::closed_set::closed_set;
use crate::microsoft::roles::{by_template, Capability, Role, ROLES};
use crate::plan::Plan;

const ELIGIBLE: &str = "/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$select=roleDefinitionId,directoryScopeId";
const POLICY: &str = "/policies/authorizationPolicy?$select=defaultUserRolePermissions";
const APP_POLICY: &str = "/policies/defaultAppManagementPolicy";

closed_set! {
    /// Whether the signed-in user holds a role.
    pub enum Held {
        Active = "active",
        /// Eligible in Privileged Identity Management: activate it first.
        Eligible = "eligible",
        None = "none",
    }
}

/// One row of the role table as it applies to the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleRow {
    #[serde(flatten)]
    pub role: Role,
    pub held: Held,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Preflight {
    pub tenant_id: String,
    pub tenant_name: String,
    pub default_domain: Option<String>,
    pub verified_domains: Vec<String>,
    pub user_principal_name: String,
    pub user_display_name: String,
    /// Active directory roles (held directly or through a group), by name.
    pub roles: Vec<String>,
    /// Their roleTemplateIds.
    pub role_template_ids: Vec<String>,
    /// Roles the user is eligible for in Privileged Identity Management but has not activated.
    pub eligible_roles: Vec<String>,
    /// The roles that matter here, by roleTemplateId, and whether the user holds each.
    pub role_table: Vec<RoleRow>,
    /// By a role, or because the tenant lets every member register applications.
    pub can_create_apps: bool,
    pub can_grant_delegated: bool,
    /// Consent to application permissions of Microsoft Graph and Azure AD Graph.
    pub can_grant_application: bool,
    /// Consent to application permissions of other APIs.
    pub can_grant_other_application: bool,
    /// The tenant's authorization policy: whether every member may register applications
    /// (`defaultUserRolePermissions.allowedToCreateApps`); null when the token could not read it.
    pub members_can_create_apps: Option<bool>,
    /// The client secret lifetimes the tenant's default app management policy allows a new app, or that it could
    /// not be read.
    pub secret_lifetimes: SecretLifetimes,
    /// What the given plan needs that the user certainly cannot do now; empty when it can run.
    pub blockers: Vec<String>,
    /// What could not be checked, or may fail; Register stays possible and Graph decides.
    pub warnings: Vec<String>,
}

#[derive(Clone, PartialEq)]
enum Ask {
    Org,
    Me,
    Roles,
    Eligible,
    Policy,
    AppPolicy,
}

pub struct PreflightJob {
    batch: Batcher<Call>,
    plan: Option<Plan>,
    asks: Vec<(u32, Ask)>,
    out: Preflight,
    /// Some directoryRole came back without its template id.
    unnamed_roles: bool,
    eligibility_read: bool,
    now_ms: u64,
}

impl PreflightJob {
    pub fn new(plan: Option<Plan>) -> PreflightJob {
        let mut job = PreflightJob {
            batch: Batcher::default(),
            plan,
            asks: vec![],
            out: Preflight::default(),
            unnamed_roles: false,
            eligibility_read: false,
            now_ms: 0,
        };
        job.ask("/organization?$select=id,displayName,verifiedDomains".into(), Ask::Org);
        job.ask("/me?$select=id,userPrincipalName,displayName".into(), Ask::Me);
        job.ask("/me/transitiveMemberOf?$select=id,displayName,roleTemplateId".into(), Ask::Roles);
        job.ask(ELIGIBLE.into(), Ask::Eligible);
        job.ask(POLICY.into(), Ask::Policy);
        job.ask(APP_POLICY.into(), Ask::AppPolicy);
        job
    }

    /// When the secret lifetimes are counted from (ms since the Unix epoch): a lifetime in calendar months is
    /// measured against a policy's limit in days from this day.
    pub fn at(mut self, now_ms: u64) -> PreflightJob {
        self.now_ms = now_ms;
        self
    }

    fn ask(&mut self, url: String, what: Ask) {
        let id = self.batch.add(Method::Get, url, None);
        self.asks.push((id, what));
    }
}

impl PreflightJob {
    /// A page of the user's directory roles (transitive) or PIM-eligible roles; the next page is asked for.
    fn read_roles(&mut self, p: &Pending<Call>, what: Ask, b: &Value) {
        for m in b["value"].as_array().into_iter().flatten() {
            if what == Ask::Eligible {
                // Eligible on one app or administrative unit only: not a tenant-wide role.
                if m["directoryScopeId"].as_str().is_some_and(|scope| scope != "/") {
                    continue;
                }
                let t = m["roleDefinitionId"].as_str().unwrap_or("");
                let name = by_template(t).map(|r| r.name.to_string()).unwrap_or_else(|| t.to_string());
                if !self.out.eligible_roles.contains(&name) {
                    self.out.eligible_roles.push(name);
                }
            } else if m["@odata.type"] == "#microsoft.graph.directoryRole" {
                let Some(t) = m["roleTemplateId"].as_str() else {
                    self.unnamed_roles = true;
                    continue;
                };
                let name = by_template(t)
                    .map(|r| r.name.to_string())
                    .or_else(|| m["displayName"].as_str().map(str::to_string))
                    .unwrap_or_else(|| t.to_string());
                if !self.out.role_template_ids.iter().any(|x| x.eq_ignore_ascii_case(t)) {
                    self.out.role_template_ids.push(t.to_string());
                    self.out.roles.push(name);
                }
            }
        }
        if what == Ask::Eligible {
            self.eligibility_read = true;
        }
        if let Some(next) = b["@odata.nextLink"].as_str() {
            let call = Call { method: Method::Get, url: relative(next), body: None };
            let id = self.batch.page(p, call, 0);
            self.asks.push((id, what));
        }
    }
}

impl BatchJob for PreflightJob {
    type Output = Preflight;

    fn batcher(&mut self) -> &mut Batcher<Call> {
        &mut self.batch
    }

    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop> {
        for (p, r) in replies {
            let Some((_, what)) = self.asks.iter().find(|(a, _)| *a == p.id).cloned() else { continue };
            let ok = (200..300).contains(&r.status);
            if what == Ask::AppPolicy {
                // Unreadable (no Policy.Read.All) is said in the figure, never a stop.
                self.out.secret_lifetimes = lifetimes_for_new_app(r.status, &r.body, self.now_ms);
                continue;
            }
            if !ok && matches!(what, Ask::Eligible | Ask::Policy) {
                // Without RoleEligibilitySchedule.Read.Directory or Policy.Read.All (or higher) these stay unknown.
                continue;
            }
            if !ok {
                let (code, message) = super::http::error_of(&r.body);
                return Err(Stop::new(
                    StopKind::Failed,
                    None,
                    format!("pre-flight read failed: HTTP {} {code}: {message}", r.status),
                ));
            }
            let b = &r.body;
            match what {
                Ask::Org => {
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
                }
                Ask::Me => {
                    self.out.user_principal_name = b["userPrincipalName"].as_str().unwrap_or("").into();
                    self.out.user_display_name = b["displayName"].as_str().unwrap_or("").into();
                }
                Ask::Roles | Ask::Eligible => self.read_roles(&p, what, b),
                Ask::AppPolicy => {}
                Ask::Policy => {
                    // v1.0 answers the policy itself; older answers wrapped it in a collection.
                    let policy = if b["value"].is_array() { &b["value"][0] } else { b };
                    self.out.members_can_create_apps =
                        policy["defaultUserRolePermissions"]["allowedToCreateApps"].as_bool();
                }
            }
        }
        Ok(())
    }

    fn refused(&mut self) -> Option<Stop> {
        None
    }

    /// A read-only job: who calls changes nothing it asks.
    fn caller(&mut self, _caller: &super::http::Caller) {}

    fn finish(&mut self) -> Preflight {
        let active = |r: &Role| self.out.role_template_ids.iter().any(|t| t.eq_ignore_ascii_case(r.role_template_id));
        let eligible = |r: &Role| self.out.eligible_roles.iter().any(|n| n == r.name);
        self.out.role_table = ROLES
            .iter()
            .map(|r| RoleRow {
                role: *r,
                held: if active(r) {
                    Held::Active
                } else if eligible(r) {
                    Held::Eligible
                } else {
                    Held::None
                },
            })
            .collect();
        let by_policy = |c: Capability| c == Capability::CreateApps && self.out.members_can_create_apps == Some(true);
        let can = |c: Capability| by_policy(c) || ROLES.iter().any(|r| c.allowed_by(r) && active(r));
        let could = |c: Capability| ROLES.iter().any(|r| c.allowed_by(r) && eligible(r));
        self.out.can_create_apps = can(Capability::CreateApps);
        self.out.can_grant_delegated = can(Capability::GrantDelegated);
        self.out.can_grant_application = can(Capability::GrantApplication);
        self.out.can_grant_other_application = can(Capability::GrantOtherApplication);
        let certain = !self.unnamed_roles && self.eligibility_read;
        if self.unnamed_roles {
            self.out.warnings.push("Your directory roles came back without their names (the token has too few scopes to read them): pre-flight cannot tell what you may do; Microsoft Graph will say if a role is missing.".into());
        }
        if !self.eligibility_read {
            self.out.warnings.push("Roles you are eligible for in Privileged Identity Management could not be read with this token; if a role is eligible but not active, activate it before registering.".into());
        }
        let Some(plan) = &self.plan else { return std::mem::take(&mut self.out) };
        let mut needs = vec![(Capability::CreateApps, String::new())];
        if plan.applications.iter().any(|a| a.grant_admin_consent && !a.delegated_grants.is_empty()) {
            needs.push((Capability::GrantDelegated, String::new()));
        }
        // Who may consent to an app role depends on its API (`roles.rs`): the components that need each kind.
        for c in [Capability::GrantApplication, Capability::GrantOtherApplication] {
            let mut names: Vec<&str> = plan
                .applications
                .iter()
                .filter(|a| a.grant_admin_consent)
                .filter(|a| a.app_role_assignments.iter().any(|r| Capability::for_app_role(&r.resource_app_id) == c))
                .map(|a| a.component.as_str())
                .collect();
            names.dedup();
            if !names.is_empty() {
                needs.push((c, format!(" ({})", names.join(", "))));
            }
        }
        for (c, which) in needs {
            if can(c) {
                continue;
            }
            let mut sentence = c.sentence_for(&which);
            // Certain only once the policy said members may not register applications.
            let mut sure = certain;
            if c == Capability::CreateApps {
                sure &= self.out.members_can_create_apps == Some(false);
                sentence.push_str(match self.out.members_can_create_apps {
                    Some(_) => " This tenant does not let every member register applications.",
                    None => " Unless the tenant lets every member register applications (by default it does; its authorization policy could not be read with this token, which takes Policy.Read.All).",
                });
            }
            if could(c) {
                let activate = format!("{sentence} You are eligible for it but it is not active: activate it in Privileged Identity Management first, then check again.");
                let unknown_policy = c == Capability::CreateApps && self.out.members_can_create_apps.is_none();
                if unknown_policy {
                    self.out.warnings.push(activate);
                } else {
                    self.out.blockers.push(activate);
                }
            } else if sure {
                self.out.blockers.push(sentence);
            } else {
                self.out.warnings.push(format!("{sentence} No such role was found for you."));
            }
        }
        std::mem::take(&mut self.out)
    }
}
