//! What a new secret on one app may be: its secrets now (with their expiry), and the lifetimes the tenant's app
//! management policies allow — the app's own policy when one is applied, else the tenant default. Two round trips:
//! the app and the tenant default together, then the policies applied to the app (by the object id just read).
//! Reading policies needs Policy.Read.All, which a portal session may lack: then every preset is offered, the
//! report says the policy is unknown, and Graph's own refusal stays the guard.

use serde::Serialize;
use serde_json::Value;

use super::{app_url, PRESET_MONTHS};
use crate::engine::batcher::{BatchJob, Batcher, Call, Pending};
use crate::engine::clock;
use crate::engine::health::{credential_health, CredentialHealth};
use crate::engine::http::{error_of, Caller, ItemResponse, Method};
use crate::engine::provenance::{self, History, Standing};
use crate::engine::report::{Stop, StopKind};
use crate::microsoft::app_policy::{secret_rules, SecretRules};
use crate::plan::PlannedApp;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretPolicy {
    pub key: String,
    pub app_id: String,
    pub object_id: String,
    pub standing: Option<Standing>,
    pub secrets: Vec<CredentialHealth>,
    /// Whether the policies could be read; `policy_note` says why not.
    pub policy_readable: bool,
    pub policy_note: Option<String>,
    /// The rules that apply to a new secret on this app, when read.
    pub rules: Option<SecretRules>,
    /// The lifetimes (months) a new secret may have: the presets the rules allow, every preset when unknown.
    pub offered_months: Vec<u32>,
}

#[derive(Clone, Copy, PartialEq)]
enum Ask {
    App,
    Default,
    Applied,
}

pub struct SecretPolicyJob {
    app: PlannedApp,
    now_ms: u64,
    batch: Batcher<Call>,
    asks: Vec<(u32, Ask)>,
    body: Option<Value>,
    default: Option<Value>,
    applied: Option<Value>,
    note: Option<String>,
    stop: Option<Stop>,
    caller: Caller,
    history: History,
    adopt: Vec<String>,
}

impl SecretPolicyJob {
    pub fn new(app: PlannedApp, now_ms: u64) -> SecretPolicyJob {
        let mut job = SecretPolicyJob {
            now_ms,
            batch: Batcher::default(),
            asks: vec![],
            body: None,
            default: None,
            applied: None,
            note: None,
            stop: None,
            caller: Caller::default(),
            history: History::default(),
            adopt: vec![],
            app,
        };
        job.ask(app_url(&job.app), Ask::App);
        job.ask("/policies/defaultAppManagementPolicy".into(), Ask::Default);
        job
    }

    pub fn with_provenance(mut self, history: History, adopt: Vec<String>) -> SecretPolicyJob {
        self.history = history;
        self.adopt = adopt;
        self
    }

    fn ask(&mut self, url: String, what: Ask) {
        let id = self.batch.add(Method::Get, url, None);
        self.asks.push((id, what));
    }
}

/// What a tenant's default policy allows the secrets of an app made now — pre-flight's figure before registering.
/// An app not made yet is covered by every restriction in force, whatever its `restrictForAppsCreatedAfterDateTime`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretLifetimes {
    pub policy_readable: bool,
    pub policy_note: Option<String>,
    pub rules: Option<SecretRules>,
    /// The lifetimes (months) a new app's secret may have: the presets the rules allow, every preset when unknown.
    pub offered_months: Vec<u32>,
}

/// The lifetimes from the reply to `GET /policies/defaultAppManagementPolicy` (Policy.Read.All; unreadable said).
pub fn lifetimes_for_new_app(status: u16, body: &Value, now_ms: u64) -> SecretLifetimes {
    if !(200..300).contains(&status) {
        let (code, message) = error_of(body);
        return SecretLifetimes {
            policy_note: Some(format!(
                "the tenant's default app management policy could not be read (HTTP {status} {code}: {message})"
            )),
            offered_months: offered(None, now_ms),
            ..SecretLifetimes::default()
        };
    }
    let rules = secret_rules(body, None);
    SecretLifetimes {
        policy_readable: true,
        offered_months: offered(Some(&rules), now_ms),
        rules: Some(rules),
        policy_note: None,
    }
}

/// The presets a new secret may take under `rules` (every one when they are unknown, none when secrets are blocked).
fn offered(rules: Option<&SecretRules>, now_ms: u64) -> Vec<u32> {
    match rules {
        Some(r) if r.secrets_blocked => vec![],
        Some(r) => allowed_months(now_ms, r.max_lifetime_seconds),
        None => PRESET_MONTHS.to_vec(),
    }
}

/// The presets whose end, counted from `now`, is within `max_seconds`.
pub fn allowed_months(now_ms: u64, max_seconds: Option<u64>) -> Vec<u32> {
    PRESET_MONTHS
        .iter()
        .copied()
        .filter(|m| {
            let Some(max) = max_seconds else { return true };
            let end = clock::parse_iso(&clock::iso_after_months(now_ms, *m)).unwrap_or(u64::MAX);
            end.saturating_sub(now_ms) <= max * 1000
        })
        .collect()
}

impl BatchJob for SecretPolicyJob {
    type Output = SecretPolicy;

    fn batcher(&mut self) -> &mut Batcher<Call> {
        &mut self.batch
    }

    fn refused(&mut self) -> Option<Stop> {
        self.stop.take()
    }

    fn caller(&mut self, caller: &Caller) {
        self.caller = caller.clone();
    }

    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop> {
        for (p, r) in replies {
            let Some((_, what)) = self.asks.iter().find(|(a, _)| *a == p.id).copied() else { continue };
            let ok = (200..300).contains(&r.status);
            let (code, message) = error_of(&r.body);
            match what {
                Ask::App if r.status == 404 => {
                    return Err(Stop::new(
                        StopKind::Failed,
                        Some(self.app.key.clone()),
                        format!("{} is not in this tenant", self.app.key),
                    ));
                }
                Ask::App if !ok => {
                    return Err(Stop::new(
                        StopKind::Failed,
                        Some(self.app.key.clone()),
                        format!("reading the application failed: HTTP {} {code}: {message}", r.status),
                    ));
                }
                Ask::App => {
                    let id = r.body["id"].as_str().unwrap_or_default().to_string();
                    self.body = Some(r.body);
                    self.ask(format!("/applications/{id}/appManagementPolicies"), Ask::Applied);
                }
                // Unreadable policies (403 without Policy.Read.All) are said, not a stop: the renewal can go on.
                Ask::Default | Ask::Applied if !ok => {
                    self.note.get_or_insert(format!(
                        "the app management policies could not be read (HTTP {} {code}: {message})",
                        r.status
                    ));
                }
                Ask::Default => self.default = Some(r.body),
                Ask::Applied => self.applied = Some(r.body),
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> SecretPolicy {
        let body = self.body.clone().unwrap_or_default();
        let mut existing = provenance::read(&self.app.key, &body);
        if self.app.target_app_id.is_some() {
            existing.standing = Standing::Adopted;
        } else {
            provenance::judge(&mut existing, self.caller.user_id.as_deref(), &self.history, &self.adopt);
        }
        let created = existing.created_date_time.as_deref();
        // A policy applied to the app takes the tenant default's place for it.
        let applied = self.applied.as_ref().and_then(|v| v["value"].as_array()).and_then(|l| l.first());
        let rules = match (applied, &self.default) {
            _ if self.note.is_some() => None,
            (Some(p), _) => Some(secret_rules(p, created)),
            (None, Some(d)) => Some(secret_rules(d, created)),
            (None, None) => None,
        };
        let offered = offered(rules.as_ref(), self.now_ms);
        let (secrets, _) = credential_health(&existing, self.now_ms);
        SecretPolicy {
            key: self.app.key.clone(),
            app_id: existing.app_id.clone(),
            object_id: existing.object_id.clone(),
            standing: Some(existing.standing),
            secrets,
            policy_readable: self.note.is_none(),
            policy_note: self.note.clone(),
            rules,
            offered_months: offered,
        }
    }
}
