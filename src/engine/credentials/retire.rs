//! Removes one old client secret, the second step of a renewal, taken only when the admin says LUCS uses the new
//! one. Never the app's last secret (a component with application permissions could no longer sign in), never on
//! an app that is not the tool's own or adopted, and only a key id the app holds.

use serde::Serialize;

use super::{app_url, secret_ids, vetted};
use crate::engine::batcher::{BatchJob, Batcher, Call, Pending};
use crate::engine::http::{error_of, Caller, ItemResponse, Method};
use crate::engine::provenance::History;
use crate::engine::report::{Stop, StopKind};
use crate::plan::PlannedApp;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Retired {
    pub key: String,
    pub key_id: String,
    /// Secrets the app still holds.
    pub remaining: usize,
}

#[derive(Clone, Copy, PartialEq)]
enum Ask {
    App,
    Remove,
}

pub struct RetireJob {
    app: PlannedApp,
    key_id: String,
    batch: Batcher<Call>,
    asks: Vec<(u32, Ask)>,
    remaining: usize,
    caller: Caller,
    history: History,
    adopt: Vec<String>,
}

impl RetireJob {
    pub fn new(app: PlannedApp, key_id: String) -> RetireJob {
        let mut batch = Batcher::default();
        let id = batch.add(Method::Get, app_url(&app), None);
        RetireJob {
            app,
            key_id,
            batch,
            asks: vec![(id, Ask::App)],
            remaining: 0,
            caller: Caller::default(),
            history: History::default(),
            adopt: vec![],
        }
    }

    pub fn with_provenance(mut self, history: History, adopt: Vec<String>) -> RetireJob {
        self.history = history;
        self.adopt = adopt;
        self
    }

    fn refuse(&self, why: String) -> Stop {
        Stop::new(StopKind::Failed, Some(self.app.key.clone()), why)
    }
}

impl BatchJob for RetireJob {
    type Output = Retired;

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
            let Some((_, what)) = self.asks.iter().find(|(a, _)| *a == p.id).copied() else { continue };
            match what {
                Ask::App => {
                    let e = vetted(&self.app, &r, self.caller.user_id.as_deref(), &self.history, &self.adopt)?;
                    let held = secret_ids(&r.body);
                    if !held.iter().any(|k| k.eq_ignore_ascii_case(&self.key_id)) {
                        return Err(
                            self.refuse(format!("{} holds no secret with key ID {}", self.app.key, self.key_id))
                        );
                    }
                    if held.len() < 2 {
                        return Err(self.refuse(format!(
                            "{} would be left without a client secret: renew it first, switch LUCS to the new one, then remove the old",
                            self.app.key
                        )));
                    }
                    self.remaining = held.len() - 1;
                    let body = serde_json::json!({ "keyId": self.key_id });
                    let id = self.batch.add(
                        Method::Post,
                        format!("/applications/{}/removePassword", e.object_id),
                        Some(body),
                    );
                    self.asks.push((id, Ask::Remove));
                }
                // 404: no such key any more — gone either way (a retry after a lost reply lands here).
                Ask::Remove if (200..300).contains(&r.status) || r.status == 404 => {}
                Ask::Remove => {
                    let (code, message) = error_of(&r.body);
                    return Err(
                        self.refuse(format!("removing the client secret failed: HTTP {} {code}: {message}", r.status))
                    );
                }
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Retired {
        Retired { key: self.app.key.clone(), key_id: self.key_id.clone(), remaining: self.remaining }
    }
}
