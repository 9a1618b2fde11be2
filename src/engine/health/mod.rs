//! The health check (read-only): for each planned app, found by its key, and each app carrying the product's tag
//! and this installation's key stem that the plan no longer has — its permissions against the plan, its tenant-wide consent (grants added by hand
//! shown as extra), its secrets and certificates by expiry, its owners. Two `$batch` round trips for the 10-app
//! installation: (1) the resources' service principals, the apps by key with credentials and owners, the tagged
//! apps; (2) per app found, its service principal with its app role assignments, and again with its delegated
//! grants — addressed by the appId the first trip returned, so nothing waits on a third. A `$batch` holds 20
//! requests, so every ten apps found beyond those ten (leftovers the plan no longer has) add one trip.

mod record;

use serde::Serialize;
use serde_json::Value;

use super::batcher::{BatchJob, Batcher, Call, Pending};
use super::clock;
use super::discovery;
use super::http::{self, relative, Caller, ItemResponse, Method};
use super::provenance::{self, History};
use super::report::{Stop, StopKind};
use crate::odata::escape;
use crate::plan::{key_stem, Plan, PlannedPermission, PRODUCT_TAG};
pub use record::{AppHealth, ConsentState, CredentialHealth, Expiry, PermissionState};

/// An app's secrets and certificates by expiry, under the default warning window.
pub fn credential_health(
    e: &super::provenance::Existing,
    now_ms: u64,
) -> (Vec<CredentialHealth>, Vec<CredentialHealth>) {
    record::credentials(e, now_ms, EXPIRING_WITHIN_DAYS)
}
use record::{Granted, OwnerRef};

/// Secrets ending within this many days are "expiring": Entra's own recommendation (applicationCredentialExpiry,
/// "Renew expiring application credentials") flags credentials expiring within 30 days (entra-docs
/// identity/monitoring-health/recommendation-renew-expiring-application-credential).
pub const EXPIRING_WITHIN_DAYS: u32 = 30;

/// `$expand` of a directory object's relationship "typically returns a maximum of 20 items for the expanded
/// relationship and has no @odata.nextLink" (learn.microsoft.com/graph/query-parameters, expand parameter): a full
/// expansion may be cut, so it is read again by its own paged request.
const EXPAND_CAP: usize = 20;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Health {
    pub tenant_id: Option<String>,
    /// When the check was made (the caller's clock), `YYYY-MM-DDTHH:MM:SSZ`.
    pub checked_at: String,
    pub expiring_within_days: u32,
    pub round_trips: u32,
    pub applications: Vec<AppHealth>,
    /// Whether the apps carrying the product's tag could be listed (else only the plan's own are checked).
    pub tagged_listed: bool,
    /// Why they could not, in Graph's words.
    pub tagged_note: Option<String>,
    /// Apps with anything to act on: not found, drifted, consent not complete, a credential expired or expiring.
    pub attention: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Ask {
    Resource(usize),
    App(usize),
    Tagged,
    Roles(usize),
    Grants(usize),
    /// The grants again, by the client's id, when the service principal's expansion was refused or full.
    GrantsById(usize),
    RolesById(usize),
}

/// One app being checked: a planned one (found or not) or a tagged one the plan no longer has.
#[derive(Default)]
struct Slot {
    key: String,
    display_name: String,
    planned: Option<usize>,
    app: Option<Value>,
    sp: Option<String>,
    granted: Granted,
    grants_again: bool,
}

pub struct HealthJob {
    plan: Plan,
    now_ms: u64,
    warn_days: u32,
    batch: Batcher<Call>,
    asks: Vec<(u32, Ask)>,
    resources: Vec<(String, Option<String>)>,
    slots: Vec<Slot>,
    tagged: Vec<Value>,
    tagged_done: bool,
    tagged_note: Option<String>,
    apps_outstanding: usize,
    unplanned_added: bool,
    caller: Caller,
    history: History,
    adopt: Vec<String>,
}

impl HealthJob {
    /// `now_ms`: the wall-clock time the check is made at (ms since the Unix epoch), which expiry is measured from.
    pub fn new(plan: Plan, now_ms: u64, warn_days: u32) -> HealthJob {
        let slots = plan
            .applications
            .iter()
            .enumerate()
            .map(|(i, a)| Slot {
                key: a.key.clone(),
                display_name: a.display_name.clone(),
                planned: Some(i),
                ..Default::default()
            })
            .collect();
        let resources = plan.resource_app_ids().into_iter().map(|r| (r.to_string(), None)).collect();
        let mut job = HealthJob {
            apps_outstanding: plan.applications.len(),
            plan,
            now_ms,
            warn_days,
            batch: Batcher::default(),
            asks: vec![],
            resources,
            slots,
            tagged: vec![],
            tagged_done: false,
            tagged_note: None,
            unplanned_added: false,
            caller: Caller::default(),
            history: History::default(),
            adopt: vec![],
        };
        for i in 0..job.resources.len() {
            // Only its id: the resource's permission tables are not needed to compare by id.
            job.ask(discovery::service_principal_url(&job.resources[i].0), Ask::Resource(i));
        }
        for i in 0..job.plan.applications.len() {
            job.ask(discovery::app_url(&job.plan.applications[i]), Ask::App(i));
        }
        // `tags` "Supports $filter (eq, not, ge, le, startsWith)" (application resource); a tenant that refuses the
        // lambda without advanced-query headers only loses the list of apps the plan no longer has.
        let filter = format!("tags/any(t:t eq '{PRODUCT_TAG}')").replace(' ', "%20");
        job.ask(format!("/applications?$filter={filter}&{}", provenance::QUERY), Ask::Tagged);
        job
    }

    /// Kept journals and adopted keys: whose each app is, judged as a run would judge it.
    pub fn with_provenance(mut self, history: History, adopt: Vec<String>) -> HealthJob {
        self.history = history;
        self.adopt = adopt;
        self
    }

    fn ask(&mut self, url: String, what: Ask) {
        let id = self.batch.add(Method::Get, url, None);
        self.asks.push((id, what));
    }

    /// The second trip for one app: its service principal, once with its app role assignments and once with its
    /// delegated grants.
    fn ask_consent(&mut self, slot: usize) {
        let Some(app_id) = self.slots[slot].app.as_ref().and_then(|a| a["appId"].as_str()).map(escape) else { return };
        let sp = format!("/servicePrincipals(appId='{app_id}')?$select=id&$expand=");
        self.ask(format!("{sp}appRoleAssignments"), Ask::Roles(slot));
        self.ask(format!("{sp}oauth2PermissionGrants"), Ask::Grants(slot));
    }

    /// Once every planned app and the tagged list are in: the tagged apps that are none of the plan's.
    fn add_unplanned(&mut self) {
        if !self.tagged_done || self.apps_outstanding > 0 || self.unplanned_added {
            return;
        }
        self.unplanned_added = true;
        let stem = key_stem(&self.plan.prefix);
        for app in std::mem::take(&mut self.tagged) {
            let id = app["id"].as_str().unwrap_or_default();
            let known = self.slots.iter().any(|s| s.app.as_ref().is_some_and(|a| a["id"].as_str() == Some(id)));
            // Another installation's apps (another prefix) and tagged apps without a key are not this one's. A
            // prefix that extends ours ("LUCS-Test" beside "LUCS") shares the key stem; its display names do not.
            let named = format!("{} ", self.plan.prefix);
            let ours = app["uniqueName"].as_str().is_some_and(|k| k.starts_with(&stem))
                && app["displayName"].as_str().is_some_and(|n| n.starts_with(&named));
            if known || !ours {
                continue;
            }
            let slot = Slot {
                key: app["uniqueName"].as_str().unwrap_or_default().to_string(),
                display_name: app["displayName"].as_str().unwrap_or_default().to_string(),
                app: Some(app),
                ..Default::default()
            };
            self.slots.push(slot);
            self.ask_consent(self.slots.len() - 1);
        }
    }

    fn record_grants(&mut self, slot: usize, list: &Value) {
        for g in list.as_array().into_iter().flatten() {
            // Only tenant-wide consent counts; a user's own consent (consentType Principal) is theirs.
            if g["consentType"].as_str() != Some("AllPrincipals") {
                continue;
            }
            let resource = g["resourceId"].as_str().unwrap_or_default().to_string();
            for scope in g["scope"].as_str().unwrap_or_default().split_whitespace() {
                self.slots[slot].granted.scopes.push((resource.clone(), scope.to_string()));
            }
        }
    }

    fn record_roles(&mut self, slot: usize, list: &Value) {
        for r in list.as_array().into_iter().flatten() {
            let text = |k: &str| r[k].as_str().unwrap_or_default().to_string();
            self.slots[slot].granted.roles.push((text("resourceId"), text("appRoleId")));
        }
    }
}

impl BatchJob for HealthJob {
    type Output = Health;

    fn batcher(&mut self) -> &mut Batcher<Call> {
        &mut self.batch
    }

    fn refused(&mut self) -> Option<Stop> {
        None
    }

    fn caller(&mut self, caller: &Caller) {
        self.caller = caller.clone();
    }

    fn finish(&mut self) -> Health {
        self.report()
    }

    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop> {
        for (p, r) in replies {
            let Some((_, what)) = self.asks.iter().find(|(a, _)| *a == p.id).copied() else { continue };
            let ok = (200..300).contains(&r.status);
            let (code, message) = http::error_of(&r.body);
            let b = &r.body;
            match what {
                Ask::Tagged if !ok => {
                    self.tagged_note = Some(format!("HTTP {} {code}: {message}", r.status));
                    self.tagged_done = true;
                }
                Ask::Grants(slot) if !ok && r.status != 404 => {
                    // An expansion this tenant refuses: read the grants by the client's id instead.
                    self.slots[slot].grants_again = true;
                }
                _ if !ok && r.status != 404 => {
                    return Err(Stop::new(
                        StopKind::Failed,
                        None,
                        format!("health: HTTP {} {code}: {message}", r.status),
                    ));
                }
                Ask::Resource(i) => self.resources[i].1 = b["id"].as_str().map(str::to_string).filter(|_| ok),
                Ask::App(i) => {
                    self.apps_outstanding -= 1;
                    if ok {
                        self.slots[i].app = Some(b.clone());
                        self.ask_consent(i);
                    }
                }
                Ask::Tagged => {
                    self.tagged.extend(b["value"].as_array().into_iter().flatten().cloned());
                    match b["@odata.nextLink"].as_str() {
                        Some(next) => {
                            let id =
                                self.batch.page(&p, Call { method: Method::Get, url: relative(next), body: None }, 0);
                            self.asks.push((id, Ask::Tagged));
                        }
                        None => self.tagged_done = true,
                    }
                }
                Ask::Roles(slot) if ok => {
                    let sp = b["id"].as_str().map(str::to_string);
                    self.slots[slot].sp = sp.clone();
                    let list = &b["appRoleAssignments"];
                    if list.as_array().is_some_and(|l| l.len() >= EXPAND_CAP) {
                        let url = format!("/servicePrincipals/{}/appRoleAssignments", escape(&sp.unwrap_or_default()));
                        self.ask(url, Ask::RolesById(slot));
                    } else {
                        self.record_roles(slot, list);
                    }
                }
                Ask::Grants(slot) if ok => {
                    let list = &b["oauth2PermissionGrants"];
                    if list.as_array().is_some_and(|l| l.len() >= EXPAND_CAP) || list.is_null() {
                        self.slots[slot].grants_again = true;
                    } else {
                        self.record_grants(slot, list);
                    }
                }
                Ask::RolesById(slot) | Ask::GrantsById(slot) if ok => {
                    if what == Ask::RolesById(slot) {
                        self.record_roles(slot, &b["value"]);
                    } else {
                        self.record_grants(slot, &b["value"]);
                    }
                    if let Some(next) = b["@odata.nextLink"].as_str() {
                        let id = self.batch.page(&p, Call { method: Method::Get, url: relative(next), body: None }, 0);
                        self.asks.push((id, what));
                    }
                }
                _ => {}
            }
        }
        for slot in 0..self.slots.len() {
            if let (true, Some(sp)) = (self.slots[slot].grants_again, self.slots[slot].sp.clone()) {
                self.slots[slot].grants_again = false;
                let filter =
                    format!("clientId eq '{}' and consentType eq 'AllPrincipals'", escape(&sp)).replace(' ', "%20");
                self.ask(format!("/oauth2PermissionGrants?$filter={filter}"), Ask::GrantsById(slot));
            }
        }
        self.add_unplanned();
        Ok(())
    }
}

impl HealthJob {
    fn report(&self) -> Health {
        let known: Vec<&PlannedPermission> = self.plan.applications.iter().flat_map(|a| &a.permissions).collect();
        let resource_sp = |app_id: &str| {
            self.resources.iter().find(|(a, _)| a.eq_ignore_ascii_case(app_id)).and_then(|(_, sp)| sp.clone())
        };
        let applications: Vec<AppHealth> = self.slots.iter().map(|s| self.app(s, &known, &resource_sp)).collect();
        let attention = applications.iter().filter(|a| needs_attention(a)).count();
        Health {
            tenant_id: self.caller.tenant_id.clone(),
            checked_at: clock::iso(self.now_ms),
            expiring_within_days: self.warn_days,
            round_trips: self.batch.round_trips,
            applications,
            tagged_listed: self.tagged_note.is_none(),
            tagged_note: self.tagged_note.clone(),
            attention,
        }
    }

    fn app(&self, s: &Slot, known: &[&PlannedPermission], resource_sp: &dyn Fn(&str) -> Option<String>) -> AppHealth {
        let planned = s.planned.map(|i| &self.plan.applications[i]);
        let mut h = AppHealth {
            key: s.key.clone(),
            display_name: s.display_name.clone(),
            in_plan: planned.is_some(),
            ..Default::default()
        };
        let Some(app) = &s.app else {
            h.permissions = record::permissions(planned, &Value::Null, known);
            h.consent = record::consent(planned, &Granted::default(), resource_sp, known);
            return h;
        };
        let mut existing = provenance::read(&s.key, app);
        if planned.is_some_and(|p| p.target_app_id.is_some()) {
            existing.standing = provenance::Standing::Adopted;
        } else {
            provenance::judge(&mut existing, self.caller.user_id.as_deref(), &self.history, &self.adopt);
        }
        h.found = true;
        h.display_name = existing.display_name.clone();
        h.app_id = Some(existing.app_id.clone());
        h.object_id = Some(existing.object_id.clone());
        h.service_principal = s.sp.is_some();
        h.permissions = record::permissions(planned, app, known);
        h.consent = record::consent(planned, &s.granted, resource_sp, known);
        (h.secrets, h.certificates) = record::credentials(&existing, self.now_ms, self.warn_days);
        h.owners = existing
            .owners
            .iter()
            .map(|o| OwnerRef { id: o.id.clone(), display_name: o.display_name.clone() })
            .collect();
        h.standing = Some(existing.standing);
        h
    }
}

fn needs_attention(a: &AppHealth) -> bool {
    let lapsing = |c: &CredentialHealth| matches!(c.state, Expiry::Expired | Expiry::Expiring);
    !a.found
        || !a.in_plan
        || a.permissions.state == PermissionState::Drifted
        || matches!(a.consent.state, ConsentState::Partial | ConsentState::Missing)
        || !a.consent.extra.is_empty()
        || a.secrets.iter().chain(&a.certificates).any(lapsing)
}
