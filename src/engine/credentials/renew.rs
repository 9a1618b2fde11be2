//! Adds one new client secret to an app, beside the ones it has: nothing the consumer uses is touched. `addPassword`
//! is not idempotent (each call adds a credential, its text returned once — application-addpassword), so each
//! secret is named with the moment it was asked for; when the batch loop had to send the add again (a lost reply),
//! the app's secrets are read back and any other under that name — made by a try whose text nobody saw — removed.

use serde::Serialize;

use super::{app_url, vetted};
use crate::engine::batcher::{BatchJob, Batcher, Call, Pending};
use crate::engine::clock;
use crate::engine::health::{credential_health, CredentialHealth};
use crate::engine::http::{error_of, Caller, ItemResponse, Method};
use crate::engine::journal::{AppRecord, Journal};
use crate::engine::provenance::{History, Standing};
use crate::engine::register::SECRET_NAME;
use crate::engine::report::{Secret, Stop, StopKind};
use crate::microsoft::app_policy;
use crate::plan::PlannedApp;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Renewal {
    pub key: String,
    pub app_id: String,
    pub object_id: String,
    /// The new secret: its text is here once, to be stored by the admin.
    pub secret: Secret,
    /// The secrets the app had, all kept: the old one is removed only as a separate step, once LUCS uses the new one.
    pub kept: Vec<CredentialHealth>,
    /// Secrets a lost reply made twice, removed (their text was never seen).
    pub removed_duplicates: Vec<String>,
    /// Records the new secret's key id, so later runs know it as this tool's own.
    pub journal: Journal,
}

#[derive(Clone, PartialEq)]
enum Ask {
    App,
    Add,
    ReadBack,
    Remove(String),
}

pub struct RenewJob {
    app: PlannedApp,
    months: u32,
    now_ms: u64,
    name: String,
    batch: Batcher<Call>,
    asks: Vec<(u32, Ask)>,
    object_id: String,
    app_id: String,
    standing: Option<Standing>,
    kept: Vec<CredentialHealth>,
    secret: Option<Secret>,
    removed: Vec<String>,
    caller: Caller,
    history: History,
    adopt: Vec<String>,
}

impl RenewJob {
    /// `months`: the new secret's lifetime (1–24; the caller offers what the policy allows).
    pub fn new(app: PlannedApp, months: u32, now_ms: u64) -> RenewJob {
        let mut job = RenewJob {
            months,
            now_ms,
            // Unlike any secret the app had: a registration's are named to the second, this one to the millisecond.
            name: format!("{SECRET_NAME} renewal {}.{:03}Z", clock::iso(now_ms).trim_end_matches('Z'), now_ms % 1000),
            batch: Batcher::default(),
            asks: vec![],
            object_id: String::new(),
            app_id: String::new(),
            standing: None,
            kept: vec![],
            secret: None,
            removed: vec![],
            caller: Caller::default(),
            history: History::default(),
            adopt: vec![],
            app,
        };
        job.ask(Method::Get, app_url(&job.app), Ask::App, None);
        job
    }

    pub fn with_provenance(mut self, history: History, adopt: Vec<String>) -> RenewJob {
        self.history = history;
        self.adopt = adopt;
        self
    }

    fn ask(&mut self, method: Method, url: String, what: Ask, body: Option<serde_json::Value>) {
        let id = self.batch.add(method, url, body);
        self.asks.push((id, what));
    }

    fn stop(&self, why: String) -> Stop {
        Stop::new(StopKind::Failed, Some(self.app.key.clone()), why)
    }
}

impl BatchJob for RenewJob {
    type Output = Renewal;

    fn batcher(&mut self) -> &mut Batcher<Call> {
        &mut self.batch
    }

    fn refused(&mut self) -> Option<Stop> {
        None
    }

    fn caller(&mut self, caller: &Caller) {
        self.caller = caller.clone();
    }

    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop> {
        for (p, r) in replies {
            let Some((_, what)) = self.asks.iter().find(|(a, _)| *a == p.id).cloned() else { continue };
            let ok = (200..300).contains(&r.status);
            let (code, message) = error_of(&r.body);
            match what {
                Ask::App => {
                    let e = vetted(&self.app, &r, self.caller.user_id.as_deref(), &self.history, &self.adopt)?;
                    (self.object_id, self.app_id, self.standing) =
                        (e.object_id.clone(), e.app_id.clone(), Some(e.standing));
                    self.kept = credential_health(&e, self.now_ms).0;
                    let body = serde_json::json!({ "passwordCredential": {
                        "displayName": self.name,
                        "endDateTime": clock::iso_after_months(self.now_ms, self.months),
                    }});
                    self.ask(
                        Method::Post,
                        format!("/applications/{}/addPassword", self.object_id),
                        Ask::Add,
                        Some(body),
                    );
                }
                Ask::Add if !ok => {
                    let why = match app_policy::refusal(&code, &message, None) {
                        Some(why) => return Err(Stop::new(StopKind::PolicyRefused, Some(self.app.key.clone()), why)),
                        None => format!("adding the client secret failed: HTTP {} {code}: {message}", r.status),
                    };
                    return Err(self.stop(why));
                }
                Ask::Add => {
                    let text = |k: &str| r.body[k].as_str().unwrap_or_default().to_string();
                    self.secret = Some(Secret {
                        key: self.app.key.clone(),
                        key_id: text("keyId"),
                        secret_text: text("secretText"),
                        end_date_time: text("endDateTime"),
                    });
                    if p.attempt > 0 {
                        let url = format!("/applications/{}?$select=id,passwordCredentials", self.object_id);
                        self.ask(Method::Get, url, Ask::ReadBack, None);
                    }
                }
                Ask::ReadBack if ok => {
                    let mine = self.secret.as_ref().map(|s| s.key_id.clone()).unwrap_or_default();
                    let twins: Vec<String> = r.body["passwordCredentials"]
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|c| c["displayName"].as_str() == Some(self.name.as_str()))
                        .filter_map(|c| c["keyId"].as_str().map(str::to_string))
                        .filter(|k| *k != mine)
                        // Never one the app held before the add, whatever its name.
                        .filter(|k| !self.kept.iter().any(|c| c.key_id.eq_ignore_ascii_case(k)))
                        .collect();
                    for key_id in twins {
                        let url = format!("/applications/{}/removePassword", self.object_id);
                        self.ask(
                            Method::Post,
                            url,
                            Ask::Remove(key_id.clone()),
                            Some(serde_json::json!({ "keyId": key_id })),
                        );
                    }
                }
                Ask::Remove(key_id) if ok || r.status == 404 => self.removed.push(key_id),
                Ask::ReadBack | Ask::Remove(_) => {
                    return Err(self.stop(format!("the new secret was made, but a copy a lost reply made could not be removed: HTTP {} {code}: {message}", r.status)));
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Renewal {
        let secret = self.secret.clone().unwrap_or(Secret {
            key: self.app.key.clone(),
            key_id: String::new(),
            secret_text: String::new(),
            end_date_time: String::new(),
        });
        let record = AppRecord {
            key: self.app.key.clone(),
            object_id: Some(self.object_id.clone()),
            app_id: Some(self.app_id.clone()),
            secret_key_id: Some(secret.key_id.clone()),
            secret_delivered: true,
            adopted: self.standing == Some(Standing::Adopted),
            ..AppRecord::default()
        };
        Renewal {
            key: self.app.key.clone(),
            app_id: self.app_id.clone(),
            object_id: self.object_id.clone(),
            secret,
            kept: self.kept.clone(),
            removed_duplicates: self.removed.clone(),
            journal: Journal {
                version: crate::engine::journal::VERSION,
                tenant_id: self.caller.tenant_id.clone(),
                resources: vec![],
                apps: vec![record],
            },
        }
    }
}
