//! The part of a fix before the registration engine runs: each app to fix read again and vetted by the provenance
//! rule (the health check may be old), what it declares beyond the plan (kept in the registration unless ticked),
//! and the ticked grants beyond the plan removed. Every removal is worked out from what the tenant holds now, so a
//! fix stopped half-way is finished by running it again, and a retried removal whose first reply was lost meets a
//! 404 and counts as done:
//! - an app role assignment: `DELETE /servicePrincipals/{id}/appRoleAssignments/{id}`
//!   (learn.microsoft.com/graph/api/serviceprincipal-delete-approleassignments);
//! - a delegated scope: the tenant-wide grant's `scope` narrowed, `PATCH /oauth2PermissionGrants/{id}`
//!   (learn.microsoft.com/graph/api/oauth2permissiongrant-update), or the grant deleted when no scope is left,
//!   `DELETE /oauth2PermissionGrants/{id}` (learn.microsoft.com/graph/api/oauth2permissiongrant-delete).

use serde_json::{json, Value};

use super::{Extra, ExtraSource, SkipReason, Skipped, Tick};
use crate::catalog::Kind;
use crate::engine::batcher::{BatchJob, Batcher, Call, Pending};
use crate::engine::discovery;
use crate::engine::http::{error_of, relative, Caller, ItemResponse, Method};
use crate::engine::provenance::{self, History, Standing};
use crate::engine::report::{Stop, StopKind};
use crate::engine::verify::declared;
use crate::odata::escape;
use crate::plan::{Plan, PlannedApp};

/// `$expand` returns at most 20 related items and no next link (learn.microsoft.com/graph/query-parameters): a
/// full expansion is read again on its own, paged.
const EXPAND_CAP: usize = 20;

#[derive(Clone, Copy, PartialEq)]
enum Ask {
    Resource(usize),
    App(usize),
    Roles(usize),
    Grants(usize),
    RolesById(usize),
    GrantsById(usize),
    Write(usize),
}

/// A declared permission: `(resourceAppId, id, type)`, as `verify::declared` reads it.
pub type Declared = (String, String, String);

/// One app to fix.
pub struct Target {
    pub app: usize,
    pub app_id: String,
    pub ticks: Vec<Tick>,
}

#[derive(Default)]
struct Read {
    vetted: Option<bool>,
    detail: Option<String>,
    declared: Vec<Declared>,
    sp: Option<String>,
    roles: Vec<(String, String, String)>,
    grants: Vec<(String, String, String)>,
    grants_again: bool,
}

/// What this part did: removed, not found any more, the declared extras each app keeps, and the apps the
/// provenance rule now refuses.
#[derive(Default)]
pub struct Outcome {
    pub removed: Vec<(String, Extra)>,
    pub already_gone: Vec<(String, Extra)>,
    /// Per planned app (index), the `(resourceAppId, id, type)` it declares beyond the plan and keeps.
    pub kept_declared: Vec<(usize, Vec<Declared>)>,
    pub refused: Vec<Skipped>,
    pub round_trips: u32,
}

pub struct ExtrasJob {
    plan: Plan,
    targets: Vec<Target>,
    reads: Vec<Read>,
    resources: Vec<(String, Option<String>)>,
    batch: Batcher<Call>,
    asks: Vec<(u32, Ask)>,
    outstanding: usize,
    written: bool,
    /// Per write: its app and the ticked extras it removes.
    writes: Vec<(usize, Vec<Extra>)>,
    out: Outcome,
    caller: Caller,
    history: History,
    adopt: Vec<String>,
}

impl ExtrasJob {
    pub fn new(plan: Plan, targets: Vec<Target>, history: History, adopt: Vec<String>) -> ExtrasJob {
        let granted = targets.iter().any(|t| t.ticks.iter().any(|k| k.source == ExtraSource::Granted));
        let resources =
            if granted { plan.resource_app_ids().into_iter().map(|r| (r.to_string(), None)).collect() } else { vec![] };
        let mut job = ExtrasJob {
            reads: targets.iter().map(|_| Read::default()).collect(),
            plan,
            targets,
            resources,
            batch: Batcher::default(),
            asks: vec![],
            outstanding: 0,
            written: false,
            writes: vec![],
            out: Outcome::default(),
            caller: Caller::default(),
            history,
            adopt,
        };
        for i in 0..job.resources.len() {
            job.ask(Method::Get, discovery::service_principal_url(&job.resources[i].0), None, Ask::Resource(i));
        }
        for t in 0..job.targets.len() {
            let url = discovery::app_url(&job.plan.applications[job.targets[t].app]);
            job.ask(Method::Get, url, None, Ask::App(t));
            if job.targets[t].ticks.iter().any(|k| k.source == ExtraSource::Granted) {
                let sp = format!("/servicePrincipals(appId='{}')?$select=id&$expand=", escape(&job.targets[t].app_id));
                job.ask(Method::Get, format!("{sp}appRoleAssignments"), None, Ask::Roles(t));
                job.ask(Method::Get, format!("{sp}oauth2PermissionGrants"), None, Ask::Grants(t));
            }
        }
        job
    }

    fn ask(&mut self, method: Method, url: String, body: Option<Value>, what: Ask) {
        if !matches!(what, Ask::Write(_)) {
            self.outstanding += 1;
        }
        let id = self.batch.add(method, url, body);
        self.asks.push((id, what));
    }

    fn planned(&self, t: usize) -> &PlannedApp {
        &self.plan.applications[self.targets[t].app]
    }

    fn resource_sp(&self, app_id: &str) -> Option<&str> {
        self.resources.iter().find(|(a, _)| a.eq_ignore_ascii_case(app_id)).and_then(|(_, sp)| sp.as_deref())
    }

    fn ticked(&self, t: usize, source: ExtraSource, name: &str) -> bool {
        self.targets[t].ticks.iter().any(|k| k.source == source && k.name == name)
    }

    /// The name the health check gives a granted role: the plan's value where the plan knows it, else resource/id.
    fn role_name(&self, resource_sp: &str, id: &str) -> String {
        self.plan
            .applications
            .iter()
            .flat_map(|a| &a.permissions)
            .find(|p| {
                p.kind == Kind::Application
                    && p.id.eq_ignore_ascii_case(id)
                    && self.resource_sp(&p.resource_app_id) == Some(resource_sp)
            })
            .map(|p| p.value.clone())
            .unwrap_or_else(|| format!("{resource_sp}/{id} (Role)"))
    }

    fn planned_grant(&self, t: usize, kind: Kind, resource_sp: &str, matches: &dyn Fn(&str, &str) -> bool) -> bool {
        self.planned(t).permissions.iter().any(|p| {
            p.kind == kind && self.resource_sp(&p.resource_app_id) == Some(resource_sp) && matches(&p.id, &p.value)
        })
    }

    fn vet(&mut self, t: usize, r: &ItemResponse) -> Result<(), Stop> {
        let key = self.planned(t).key.clone();
        if r.status == 404 {
            self.reads[t].vetted = Some(false);
            self.reads[t].detail = Some("not in this tenant any more".to_string());
            return Ok(());
        }
        let mut e = provenance::read(&key, &r.body);
        if self.planned(t).target_app_id.is_some() {
            e.standing = Standing::Adopted;
        } else {
            provenance::judge(&mut e, self.caller.user_id.as_deref(), &self.history, &self.adopt);
        }
        let ours = e.standing != Standing::Foreign;
        self.reads[t].vetted = Some(ours);
        self.reads[t].detail = (!ours).then(|| e.reasons.join("; "));
        let planned: Vec<(String, String, String)> = self
            .planned(t)
            .permissions
            .iter()
            .map(|p| (p.resource_app_id.to_ascii_lowercase(), p.id.to_ascii_lowercase(), p.kind.graph_type().into()))
            .collect();
        self.reads[t].declared = declared(&r.body).into_iter().filter(|d| !planned.contains(d)).collect();
        Ok(())
    }

    fn record(&mut self, t: usize, what: Ask, list: &Value) {
        for item in list.as_array().into_iter().flatten() {
            let text = |k: &str| item[k].as_str().unwrap_or_default().to_string();
            match what {
                Ask::Roles(_) | Ask::RolesById(_) => {
                    self.reads[t].roles.push((text("id"), text("resourceId"), text("appRoleId")));
                }
                // Only tenant-wide consent is the installation's; a user's own consent is theirs.
                _ if item["consentType"].as_str() == Some("AllPrincipals") => {
                    self.reads[t].grants.push((text("id"), text("resourceId"), text("scope")));
                }
                _ => {}
            }
        }
    }

    /// Once everything is read: the removals, one request per assignment and per grant.
    fn removals(&mut self) {
        for t in 0..self.targets.len() {
            let key = self.planned(t).key.clone();
            if self.reads[t].vetted != Some(true) {
                let detail = self.reads[t].detail.clone();
                let reason = if detail.as_deref() == Some("not in this tenant any more") {
                    SkipReason::NotFound
                } else {
                    SkipReason::Foreign
                };
                let display_name = self.planned(t).display_name.clone();
                self.out.refused.push(Skipped { key, display_name, reason, detail });
                continue;
            }
            let mut found: Vec<Extra> = vec![];
            let mut kept = vec![];
            for (r, id, kind) in self.reads[t].declared.clone() {
                let name = declared_name(&self.plan, &r, &id, &kind);
                if self.ticked(t, ExtraSource::Declared, &name) {
                    found.push(Extra { source: ExtraSource::Declared, name });
                } else {
                    kept.push((r, id, kind));
                }
            }
            self.out.kept_declared.push((self.targets[t].app, kept));
            let sp = self.reads[t].sp.clone().unwrap_or_default();
            for (id, resource, role) in self.reads[t].roles.clone() {
                let planned =
                    self.planned_grant(t, Kind::Application, &resource, &|p, _| p.eq_ignore_ascii_case(&role));
                let name = self.role_name(&resource, &role);
                if !planned && self.ticked(t, ExtraSource::Granted, &name) {
                    let url = format!("/servicePrincipals/{}/appRoleAssignments/{}", escape(&sp), escape(&id));
                    self.write(t, Method::Delete, url, None, vec![Extra { source: ExtraSource::Granted, name }]);
                }
            }
            for (id, resource, scope) in self.reads[t].grants.clone() {
                let scopes: Vec<&str> = scope.split_whitespace().collect();
                let (gone, stay): (Vec<&str>, Vec<&str>) = scopes.iter().partition(|s| {
                    !self.planned_grant(t, Kind::Delegated, &resource, &|_, v| v == **s)
                        && self.ticked(t, ExtraSource::Granted, s)
                });
                if gone.is_empty() {
                    continue;
                }
                let extras = gone.iter().map(|s| Extra { source: ExtraSource::Granted, name: s.to_string() }).collect();
                let url = format!("/oauth2PermissionGrants/{}", escape(&id));
                if stay.is_empty() {
                    self.write(t, Method::Delete, url, None, extras);
                } else {
                    self.write(t, Method::Patch, url, Some(json!({ "scope": stay.join(" ") })), extras);
                }
            }
            // Declared extras ticked go with the registration's update; the granted ones with these writes.
            self.out.removed.extend(found.into_iter().map(|e| (key.clone(), e)));
        }
        for t in 0..self.targets.len() {
            let key = self.planned(t).key.clone();
            for k in &self.targets[t].ticks {
                let extra = Extra { source: k.source, name: k.name.clone() };
                let planned_write = self.writes.iter().any(|(w, l)| *w == t && l.contains(&extra));
                let declared = self.out.removed.iter().any(|(rk, e)| *rk == key && *e == extra);
                if self.reads[t].vetted == Some(true) && !planned_write && !declared {
                    self.out.already_gone.push((key.clone(), extra));
                }
            }
        }
    }

    fn write(&mut self, t: usize, method: Method, url: String, body: Option<Value>, extras: Vec<Extra>) {
        self.writes.push((t, extras));
        self.ask(method, url, body, Ask::Write(self.writes.len() - 1));
    }
}

/// A declared permission's name as the health check gives it: the plan's value where the plan knows the id.
pub fn declared_name(plan: &Plan, resource: &str, id: &str, kind: &str) -> String {
    plan.applications
        .iter()
        .flat_map(|a| &a.permissions)
        .find(|p| p.resource_app_id.eq_ignore_ascii_case(resource) && p.id.eq_ignore_ascii_case(id))
        .map(|p| p.value.clone())
        .unwrap_or_else(|| format!("{resource}/{id} ({kind})"))
}

impl BatchJob for ExtrasJob {
    type Output = Outcome;

    fn batcher(&mut self) -> &mut Batcher<Call> {
        &mut self.batch
    }

    fn refused(&mut self) -> Option<Stop> {
        None
    }

    fn caller(&mut self, caller: &Caller) {
        self.caller = caller.clone();
    }

    fn finish(&mut self) -> Outcome {
        let mut out = std::mem::take(&mut self.out);
        out.round_trips = self.batch.round_trips;
        out
    }

    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop> {
        for (p, r) in replies {
            let Some((_, what)) = self.asks.iter().find(|(a, _)| *a == p.id).copied() else { continue };
            let ok = (200..300).contains(&r.status);
            let (code, message) = error_of(&r.body);
            let failed = |key: &str, doing: &str| {
                Stop::new(
                    StopKind::Failed,
                    Some(key.to_string()),
                    format!("{doing} failed: HTTP {} {code}: {message}", r.status),
                )
            };
            let next = r.body["@odata.nextLink"].as_str().map(relative);
            match what {
                Ask::Write(w) => {
                    let (t, extras) = self.writes[w].clone();
                    let key = self.planned(t).key.clone();
                    // 404: already gone — a retry whose first reply was lost lands here.
                    if !ok && r.status != 404 {
                        let names: Vec<&str> = extras.iter().map(|e| e.name.as_str()).collect();
                        let doing = format!(
                            "removing {} from {key} (what was removed before stays removed; run the fix again to finish)",
                            names.join(", ")
                        );
                        return Err(failed(&key, &doing));
                    }
                    self.out.removed.extend(extras.into_iter().map(|e| (key.clone(), e)));
                    continue;
                }
                Ask::Grants(t) if !ok && r.status != 404 => self.reads[t].grants_again = true,
                _ if !ok && r.status != 404 => return Err(failed(&self.key_of(what), "reading what to fix")),
                Ask::Resource(i) => self.resources[i].1 = r.body["id"].as_str().filter(|_| ok).map(str::to_string),
                Ask::App(t) => self.vet(t, &r)?,
                Ask::Roles(t) if ok => {
                    self.reads[t].sp = r.body["id"].as_str().map(str::to_string);
                    let list = &r.body["appRoleAssignments"];
                    if list.as_array().is_some_and(|l| l.len() >= EXPAND_CAP) {
                        let url = format!("/servicePrincipals/{}/appRoleAssignments", escape(&self.sp(t)));
                        self.ask(Method::Get, url, None, Ask::RolesById(t));
                    } else {
                        self.record(t, what, list);
                    }
                }
                Ask::Grants(t) if ok => {
                    let list = &r.body["oauth2PermissionGrants"];
                    if list.is_null() || list.as_array().is_some_and(|l| l.len() >= EXPAND_CAP) {
                        self.reads[t].grants_again = true;
                    } else {
                        self.record(t, what, list);
                    }
                }
                Ask::RolesById(t) | Ask::GrantsById(t) if ok => {
                    self.record(t, what, &r.body["value"]);
                    if let Some(url) = next {
                        let id = self.batch.page(&p, Call { method: Method::Get, url, body: None }, 0);
                        self.asks.push((id, what));
                        continue;
                    }
                }
                _ => {}
            }
            self.outstanding -= 1;
        }
        for t in 0..self.targets.len() {
            if self.reads[t].grants_again && self.reads[t].sp.is_some() {
                self.reads[t].grants_again = false;
                let filter = format!("clientId eq '{}' and consentType eq 'AllPrincipals'", escape(&self.sp(t)));
                let url = format!("/oauth2PermissionGrants?$filter={}", filter.replace(' ', "%20"));
                self.ask(Method::Get, url, None, Ask::GrantsById(t));
            }
        }
        if self.outstanding == 0 && !self.written {
            self.written = true;
            self.removals();
        }
        Ok(())
    }
}

impl ExtrasJob {
    fn sp(&self, t: usize) -> String {
        self.reads[t].sp.clone().unwrap_or_default()
    }

    fn key_of(&self, what: Ask) -> String {
        match what {
            Ask::App(t) | Ask::Roles(t) | Ask::Grants(t) | Ask::RolesById(t) | Ask::GrantsById(t) => {
                self.planned(t).key.clone()
            }
            _ => String::new(),
        }
    }
}
