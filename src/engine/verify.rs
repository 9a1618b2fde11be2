//! Verify (read-only drift check): for each planned app, what the tenant has against what the plan wants —
//! missing or extra permissions, consent missing or partial, no service principal, a different display name.
//! The popup's preview ("will be created / changed / already right") is this report.

use serde::Serialize;
use serde_json::Value;

use super::batcher::{BatchJob, Batcher, Call, Pending};
use super::discovery::{self, Discovery};
use super::http::{relative, ItemResponse, Method};
use super::provenance::{self, Existing, History, Standing};
use super::report::Stop;
use crate::catalog::Kind;
use crate::closed_set::closed_set;
use crate::odata::escape;
use crate::plan::{Plan, PlannedApp, PlannedPermission};

closed_set! {
    /// What a run would do to an app.
    #[derive(Default)]
    pub enum DriftStatus {
        /// Not in the tenant.
        #[default]
        Create = "create",
        /// Differs from the plan.
        Change = "change",
        Ok = "ok",
    }
}

closed_set! {
    /// Admin consent to the planned permissions, as the tenant has it.
    #[derive(Default)]
    pub enum Consent {
        Granted = "granted",
        Partial = "partial",
        #[default]
        Missing = "missing",
        /// The plan asks for no consent.
        NotRequested = "notRequested",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppDrift {
    pub key: String,
    pub display_name: String,
    pub status: DriftStatus,
    pub app_id: Option<String>,
    pub object_id: Option<String>,
    pub display_name_differs: bool,
    /// Planned permission values the app does not declare.
    pub missing_permissions: Vec<String>,
    /// Declared permissions the plan does not have, as `id (Scope|Role)`.
    pub extra_permissions: Vec<String>,
    pub service_principal: bool,
    pub consent: Consent,
    pub missing_scopes: Vec<String>,
    pub missing_roles: Vec<String>,
    /// For an app that exists: when and by whom it was made, its owners and credentials, and whether it is the
    /// tool's own, foreign (Register writes nothing to it until adopted) or adopted.
    pub existing: Option<Existing>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Drift {
    pub applications: Vec<AppDrift>,
    pub create: usize,
    pub change: usize,
    pub ok: usize,
    /// Apps under the plan's keys that are not provably the tool's own: Register stops before writing until the
    /// admin adopts them.
    pub foreign: usize,
    /// What of this check a registration of the same plan may start from for a minute (`discovery.rs`); absent
    /// when the token did not say its tenant.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub discovery: Option<Discovery>,
}

#[derive(Clone, PartialEq)]
enum Ask {
    Resource(String),
    App(usize),
    Sp(usize),
    Grants(usize),
    Roles(usize),
}

#[derive(Default, Clone)]
struct Found {
    app: Option<Value>,
    sp: Option<String>,
    scopes: Vec<(String, String)>,
    roles: Vec<(String, String)>,
}

pub struct VerifyJob {
    plan: Plan,
    batch: Batcher<Call>,
    asks: Vec<(u32, Ask)>,
    resources: Vec<(String, String)>,
    found: Vec<Found>,
    /// The signed-in user, kept journals and adopted keys: whose each existing app is, by the run's own rule.
    user_id: Option<String>,
    history: History,
    adopt: Vec<String>,
    /// The tenant the token speaks for, and the replies a run's discovery would get (`discovery.rs`).
    tenant_id: Option<String>,
    kept: Vec<(Ask, Value)>,
}

impl VerifyJob {
    pub fn new(plan: Plan) -> VerifyJob {
        let mut job = VerifyJob {
            found: vec![Found::default(); plan.applications.len()],
            plan,
            batch: Batcher::default(),
            asks: vec![],
            resources: vec![],
            user_id: None,
            history: History::default(),
            adopt: vec![],
            tenant_id: None,
            kept: vec![],
        };
        for r in job.plan.resource_app_ids().into_iter().map(str::to_string).collect::<Vec<_>>() {
            // With its permissions, though verify needs only its id: as discovery reads it, so a run can start
            // from this reply.
            job.ask(discovery::resource_url(&r), Ask::Resource(r));
        }
        for i in 0..job.plan.applications.len() {
            job.ask(discovery::app_url(&job.plan.applications[i]), Ask::App(i));
        }
        job
    }

    /// What kept journals say this tool made, and which apps the admin adopts: judged as a run would judge them.
    pub fn with_provenance(mut self, history: History, adopt: Vec<String>) -> VerifyJob {
        self.history = history;
        self.adopt = adopt;
        self
    }

    fn ask(&mut self, url: String, what: Ask) {
        let id = self.batch.add(Method::Get, url, None);
        self.asks.push((id, what));
    }
}

impl BatchJob for VerifyJob {
    type Output = Drift;

    fn batcher(&mut self) -> &mut Batcher<Call> {
        &mut self.batch
    }

    fn refused(&mut self) -> Option<Stop> {
        None
    }

    /// Whose an existing app is depends on who is signed in.
    fn caller(&mut self, caller: &super::http::Caller) {
        self.user_id = caller.user_id.clone();
        self.tenant_id = caller.tenant_id.clone();
    }

    fn finish(&mut self) -> Drift {
        self.report()
    }

    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop> {
        for (p, r) in replies {
            let Some((_, what)) = self.asks.iter().find(|(a, _)| *a == p.id).cloned() else { continue };
            let ok = (200..300).contains(&r.status);
            if !ok && r.status != 404 {
                let (code, message) = super::http::error_of(&r.body);
                return Err(Stop::new(
                    super::report::StopKind::Failed,
                    None,
                    format!("verify: HTTP {} {code}: {message}", r.status),
                ));
            }
            let b = &r.body;
            let text = |k: &str| b[k].as_str().map(str::to_string);
            match what {
                Ask::Resource(res) if ok => {
                    self.kept.push((Ask::Resource(res.clone()), b.clone()));
                    self.resources.push((res, text("id").unwrap_or_default()));
                }
                Ask::App(i) if r.status == 404 => self.kept.push((Ask::App(i), Value::Null)),
                Ask::App(i) if ok => {
                    let app_id = text("appId").unwrap_or_default();
                    self.found[i].app = Some(b.clone());
                    self.ask(discovery::service_principal_url(&app_id), Ask::Sp(i));
                }
                Ask::Sp(i) if ok => {
                    let sp = text("id").unwrap_or_default();
                    self.found[i].sp = Some(sp.clone());
                    let filter =
                        format!("clientId eq '{}' and consentType eq 'AllPrincipals'", escape(&sp)).replace(' ', "%20");
                    self.ask(format!("/oauth2PermissionGrants?$filter={filter}"), Ask::Grants(i));
                    self.ask(format!("/servicePrincipals/{sp}/appRoleAssignments"), Ask::Roles(i));
                }
                Ask::Grants(i) | Ask::Roles(i) if ok => {
                    for v in b["value"].as_array().into_iter().flatten() {
                        let s = |k: &str| v[k].as_str().unwrap_or("").to_string();
                        if what == Ask::Grants(i) {
                            for scope in s("scope").split_whitespace() {
                                self.found[i].scopes.push((s("resourceId"), scope.to_string()));
                            }
                        } else {
                            self.found[i].roles.push((s("resourceId"), s("appRoleId")));
                        }
                    }
                    if let Some(next) = b["@odata.nextLink"].as_str() {
                        let call = Call { method: Method::Get, url: relative(next), body: None };
                        let id = self.batch.page(&p, call, 0);
                        self.asks.push((id, what));
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl VerifyJob {
    fn report(&self) -> Drift {
        let mut out = Drift::default();
        for (planned, found) in self.plan.applications.iter().zip(&self.found) {
            let d = self.compare(planned, found);
            if d.existing.as_ref().is_some_and(|e| e.standing == Standing::Foreign) {
                out.foreign += 1;
            }
            match d.status {
                DriftStatus::Create => out.create += 1,
                DriftStatus::Change => out.change += 1,
                DriftStatus::Ok => out.ok += 1,
            }
            out.applications.push(d);
        }
        out.discovery = self.snapshot();
        out
    }

    /// The replies a run's discovery would get, as old as this job's first request.
    fn snapshot(&self) -> Option<Discovery> {
        let (tenant, taken_at) = (self.tenant_id.clone()?, self.batch.first_sent?);
        let mut d = Discovery::new(tenant, taken_at, &self.plan);
        for (ask, body) in &self.kept {
            match ask {
                Ask::Resource(app_id) => d.keep_resource(&self.plan, app_id, body),
                Ask::App(i) => d.keep_absent(&self.plan.applications[*i]),
                _ => {}
            }
        }
        Some(d)
    }

    /// One planned app against what the tenant has.
    fn compare(&self, planned: &PlannedApp, found: &Found) -> AppDrift {
        let mut d =
            AppDrift { key: planned.key.clone(), display_name: planned.display_name.clone(), ..Default::default() };
        let Some(app) = &found.app else {
            d.status = DriftStatus::Create;
            d.consent = if planned.grant_admin_consent { Consent::Missing } else { Consent::NotRequested };
            d.missing_permissions = planned.permissions.iter().map(|p| p.value.clone()).collect();
            return d;
        };
        let mut existing = provenance::read(&planned.key, app);
        if planned.target_app_id.is_some() {
            existing.standing = Standing::Adopted;
        } else {
            provenance::judge(&mut existing, self.user_id.as_deref(), &self.history, &self.adopt);
        }
        d.existing = Some(existing);
        d.app_id = app["appId"].as_str().map(str::to_string);
        d.object_id = app["id"].as_str().map(str::to_string);
        d.display_name_differs = app["displayName"].as_str() != Some(planned.display_name.as_str());
        let declared = declared(app);
        let wanted = |p: &PlannedPermission| (p.resource_app_id.clone(), p.id.clone(), p.kind.graph_type().to_string());
        d.missing_permissions =
            planned.permissions.iter().filter(|p| !declared.contains(&wanted(p))).map(|p| p.value.clone()).collect();
        d.extra_permissions = declared
            .iter()
            .filter(|x| !planned.permissions.iter().any(|p| wanted(p) == **x))
            .map(|(_, id, t)| format!("{id} ({t})"))
            .collect();
        d.service_principal = found.sp.is_some();
        self.consent(planned, found, &mut d);
        let consent_ok = matches!(d.consent, Consent::Granted | Consent::NotRequested);
        let right = !d.display_name_differs
            && d.missing_permissions.is_empty()
            && d.extra_permissions.is_empty()
            && d.service_principal
            && consent_ok;
        d.status = if right { DriftStatus::Ok } else { DriftStatus::Change };
        d
    }

    /// The planned permissions not consented to, and what that makes the consent.
    fn consent(&self, planned: &PlannedApp, found: &Found, d: &mut AppDrift) {
        let res_sp =
            |app_id: &str| self.resources.iter().find(|(a, _)| a == app_id).map(|(_, s)| s.clone()).unwrap_or_default();
        for p in &planned.permissions {
            let sp = res_sp(&p.resource_app_id);
            match p.kind {
                Kind::Delegated if !found.scopes.contains(&(sp.clone(), p.value.clone())) => {
                    d.missing_scopes.push(p.value.clone());
                }
                Kind::Application if !found.roles.contains(&(sp, p.id.clone())) => {
                    d.missing_roles.push(p.value.clone());
                }
                _ => {}
            }
        }
        let missing = d.missing_scopes.len() + d.missing_roles.len();
        d.consent = match (planned.grant_admin_consent, missing) {
            (false, _) => Consent::NotRequested,
            (true, 0) => Consent::Granted,
            (true, m) if m == planned.permissions.len() => Consent::Missing,
            _ => Consent::Partial,
        };
    }
}

/// The app's declared permissions as (resource, id, type), ids lower-cased.
pub(crate) fn declared(app: &Value) -> Vec<(String, String, String)> {
    app["requiredResourceAccess"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| {
            let res = r["resourceAppId"].as_str().unwrap_or("").to_ascii_lowercase();
            r["resourceAccess"].as_array().into_iter().flatten().map(move |a| {
                (
                    res.clone(),
                    a["id"].as_str().unwrap_or("").to_ascii_lowercase(),
                    a["type"].as_str().unwrap_or("").to_string(),
                )
            })
        })
        .collect()
}
