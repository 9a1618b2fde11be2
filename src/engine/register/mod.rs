//! The registration job: registers a plan in a tenant. It says "send this batch" or "wait N ms", is fed the
//! response and the time, and keeps a journal so any stop can be resumed.
//!
//! Stages (each one `$batch` round trip on the happy path):
//! 0. discover — read Microsoft Graph's service principal (its appRoles and oauth2PermissionScopes verify every
//!    planned id before anything is written) and each planned app by `uniqueName`, with its owners and credentials
//!    (`provenance.rs`: an app that is not provably the tool's own stops the run before any write);
//! 1. applications — `POST /applications` with the key for a new app, `PATCH /applications/{id}` for a vetted one;
//! 2. service principals — `PATCH /servicePrincipals(appId='…')` with `Prefer: create-if-missing`;
//! 3. consent and secrets — one AllPrincipals oauth2PermissionGrant per app and resource, one app role
//!    assignment per application permission, `addPassword` where a secret is wanted.
//!
//! The steps (`task.rs`), their requests (`requests.rs`) and what each reply means (`ops.rs` with `consent.rs`,
//! `secrets.rs`, `deleted.rs`, `upserts.rs`, `permission_check.rs`; `refusal.rs` for a 403) live beside it.

mod consent;
mod deleted;
pub(crate) mod ops;
mod permission_check;
mod preread;
mod refusal;
#[cfg(test)]
mod replies;
mod requests;
mod secrets;
pub(crate) use secrets::NAME as SECRET_NAME;
mod stages;
pub(crate) mod task;
mod upserts;

use crate::engine::batcher::{Batcher, Exhausted};
use crate::engine::discovery::Discovery;
use crate::engine::http::{Caller, ItemResponse, Response};
use crate::engine::job::{Action, Job};
use crate::engine::journal::{self, Journal};
use crate::engine::provenance;
use crate::engine::report::{self, Event, EventStatus, RemovedSecret, RetryReason, RunReport, Secret, Stop, StopKind};
use crate::engine::retry::Verdict;
use crate::engine::settings::{Settings, Stage, RESUME};
use crate::plan::Plan;
use refusal::describe;
use task::after_ambiguous;
use task::{Op, Step, Task};

impl Job for Engine {
    type Output = Box<RunReport>;
    fn poll(&mut self, now: u64) -> Action<Self::Output> {
        Engine::poll(self, now)
    }
    fn on_response(&mut self, response: Response, now: u64) {
        Engine::on_response(self, response, now);
    }
    fn token_refreshed(&mut self) {
        Engine::token_refreshed(self);
    }
    fn drain_events(&mut self) -> Vec<Event> {
        Engine::drain_events(self)
    }
    fn journal(&self) -> Option<Journal> {
        Some(Engine::journal(self).clone())
    }
    fn caller(&mut self, caller: &Caller) {
        self.settings.token_scopes = Some(caller.scopes.clone());
        self.settings.user_id = caller.user_id.clone();
        self.caller_tenant = caller.tenant_id.clone();
    }
}

pub struct Engine {
    plan: Plan,
    journal: Journal,
    settings: Settings,
    stage: Stage,
    batch: Batcher<Step>,
    stop: Option<Stop>,
    events: Vec<Event>,
    secrets: Vec<Secret>,
    removed: Vec<RemovedSecret>,
    /// Started from a journal: secrets an earlier part may have made are looked for before adding one.
    resumed: bool,
    /// Apps found under planned keys, with their owners and credentials and whose they are.
    existing: Vec<provenance::Existing>,
    /// The documented forms the upserts fell back to, for the report (`upserts.rs`).
    fallbacks: upserts::Fallbacks,
    /// A check's discovery replies this run may start from (`preread.rs`), until it is judged and used up.
    preread: preread::Preread,
    /// The tenant the token in use speaks for, as the driver last said.
    caller_tenant: Option<String>,
}

impl Engine {
    /// A run of `plan`, resuming from `journal` when given (its apps are matched by key).
    pub fn new(plan: Plan, journal: Option<Journal>, tenant_id: Option<String>, settings: Settings) -> Engine {
        let resumed = journal.is_some();
        let mut settings = settings;
        if let Some(j) = &journal {
            settings.history.include(j);
        }
        // A journal handed in is checked again (ids are GUIDs, fields well-formed) before any path is built from it.
        let invalid = journal.as_ref().and_then(|j| j.clone().validated().err());
        let mut journal = if invalid.is_some() { Journal::default() } else { journal.unwrap_or_default() };
        journal.version = journal::VERSION;
        if journal.tenant_id.is_none() {
            journal.tenant_id = tenant_id;
        }
        for app in &plan.applications {
            if journal.app(&app.key).is_none() {
                journal.apps.push(journal::AppRecord { key: app.key.clone(), ..Default::default() });
            }
        }
        let mut engine = Engine {
            plan,
            journal,
            batch: Batcher::new(&settings),
            settings,
            stage: Stage::Discover,
            stop: None,
            events: Vec::new(),
            secrets: Vec::new(),
            removed: Vec::new(),
            resumed,
            existing: Vec::new(),
            fallbacks: upserts::Fallbacks::default(),
            preread: preread::Preread::None,
            caller_tenant: None,
        };
        if let Some(e) = invalid {
            engine.stop = Some(Stop::new(StopKind::Failed, None, format!("the journal is not valid: {}", e.message)));
            return engine;
        }
        engine.enter(Stage::Discover);
        engine
    }

    /// Starts from a check's replies instead of discovering again, when they serve this run (`preread.rs`): a
    /// fresh run only; a resumed one reads what its journal does not know.
    pub fn with_discovery(mut self, discovery: Discovery) -> Engine {
        if !self.resumed {
            self.preread = preread::Preread::Offered(Box::new(discovery));
        }
        self
    }

    pub fn journal(&self) -> &Journal {
        &self.journal
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// Progress since the last call.
    pub fn drain_events(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.events)
    }

    pub fn token_refreshed(&mut self) {
        self.batch.token_refreshed();
    }

    /// What to do now. Call again after every `on_response`, wait or token refresh.
    pub fn poll(&mut self, now: u64) -> Action {
        loop {
            if let Some(stop) = &self.stop {
                // Every secret made so far goes with the stop, including those from replies after the one
                // that stopped the run.
                let mut stop = stop.clone();
                stop.secrets = self.secrets.clone();
                stop.removed_secrets = self.removed.clone();
                self.deliver();
                return Action::Stopped(Box::new(stop));
            }
            if self.answer_from_check(now) {
                continue;
            }
            let (plan, journal, user) = (&self.plan, &self.journal, self.settings.user_id.as_deref());
            if let Some(action) = self.batch.poll_with(now, |t| requests::item(t, plan, journal, user, now)) {
                return action;
            }
            if self.stage == Stage::Finished {
                self.deliver();
                return Action::Done(Box::new(self.report()));
            }
            self.advance();
        }
    }

    /// Feeds the reply to the last `Send`.
    pub fn on_response(&mut self, response: Response, now: u64) {
        for (task, reply) in self.batch.receive(response) {
            self.handle(task, &reply, now);
        }
    }

    fn enter(&mut self, stage: Stage) {
        self.stage = stage;
        let tasks = stages::tasks_for(stage, &self.plan, &self.journal, self.resumed);
        for (op, app) in tasks {
            self.batch.push(Step { op, app }, 0);
        }
        self.events.push(Event::stage(stage));
    }

    fn advance(&mut self) {
        if self.stage == Stage::Discover {
            // Before the first write: the token must carry every scope the writes need (Microsoft's per-call
            // permission tables, `scopes.rs`), or Graph would refuse part-way.
            if let Some(have) = &self.settings.token_scopes {
                let missing = crate::microsoft::scopes::missing_for(crate::microsoft::scopes::REGISTER, have);
                if !missing.is_empty() {
                    return self.halt(Stop::new(
                        StopKind::InsufficientScope,
                        None,
                        format!(
                            "the token lacks the {} permission{} that Microsoft Graph requires for registering apps and granting consent (Microsoft's permission tables for each call); nothing was written. Sign in again with a token that carries {}.",
                            missing.join(", "),
                            if missing.len() > 1 { "s" } else { "" },
                            if missing.len() > 1 { "them" } else { "it" }
                        ),
                    ));
                }
            }
        }
        if self.stage == Stage::Discover {
            let foreign: Vec<_> =
                self.existing.iter().filter(|e| e.standing == provenance::Standing::Foreign).cloned().collect();
            if !foreign.is_empty() {
                return self.halt(foreign_stop(foreign, false));
            }
        }
        let next = match self.stage {
            Stage::Discover => Stage::Applications,
            Stage::Applications => Stage::ServicePrincipals,
            Stage::ServicePrincipals => Stage::Consent,
            Stage::Consent | Stage::Finished => Stage::Finished,
        };
        self.enter(next);
    }

    fn handle(&mut self, task: Task, reply: &ItemResponse, now: u64) {
        if matches!(task.work.op, Op::ReadApp | Op::RecheckApp | Op::FindCreated) && reply.status == 200 {
            self.vet(task.work.app, &reply.body, task.work.op != Op::ReadApp);
        }
        match ops::apply(&task, reply, &self.plan, &mut self.journal, &self.settings, now) {
            task::Outcome::Done { follow_up, secret, removed } => {
                self.fallbacks.saw(&follow_up);
                if let Some(s) = secret {
                    self.secrets.push(s);
                }
                if let Some(r) = removed {
                    self.removed.push(r);
                }
                let key = self.plan.applications.get(task.work.app).map(|a| a.key.clone());
                self.events.push(Event::item(self.stage, key.clone(), EventStatus::Done, task.attempt, 0));
                for op in follow_up {
                    let page = matches!(op, Op::ReadAssignmentPage(..) | Op::FindDeleted(Some(_)));
                    let step = Step { op, app: task.work.app };
                    if page {
                        self.batch.page(&task, step, now);
                    } else if self.batch.follow(&task, step, now).is_none() {
                        let steps = self.batch.max_attempts();
                        return self.halt(Stop::new(
                            StopKind::Throttled,
                            key,
                            format!("{} did not settle within {steps} steps: lost replies and the lookups after them, or a write refused as existing that a lookup then did not find, kept sending the run back and forth", describe(&task.work.op)),
                        ));
                    }
                }
            }
            task::Outcome::Retry(verdict) => self.retry(task, verdict, reply, now),
            task::Outcome::Stop(stop) => self.halt(stop),
        }
    }

    /// Secrets handed to the caller (in a report or a stop) are marked delivered in the journal.
    fn deliver(&mut self) {
        for s in &self.secrets {
            if let Some(rec) = self.journal.apps.iter_mut().find(|a| a.key == s.key) {
                if rec.secret_key_id.as_deref() == Some(s.key_id.as_str()) {
                    rec.secret_delivered = true;
                }
            }
        }
    }

    /// Stops the run (the first reason wins) and says how to resume; `poll` hands it over with the secrets.
    fn halt(&mut self, mut stop: Stop) {
        if self.stop.is_some() {
            return;
        }
        stop.message = format!("{} {RESUME}", stop.message.trim_end_matches('.').to_string() + ".");
        self.stop = Some(stop);
    }

    /// An app found under a planned key: whose is it? One the admin adopted is marked so in the journal (rollback
    /// never deletes it); a foreign one found after discovery — its key taken between discovery and the create —
    /// stops the run before anything is written to it.
    ///
    /// `recheck`: read after the create was refused as the key being taken. The tool's own app then is its own
    /// create whose reply was lost (the run was cut with it in flight): still created by this run. Anything else
    /// existed before as far as this run is concerned, so rollback never deletes it.
    fn vet(&mut self, app: usize, body: &serde_json::Value, recheck: bool) {
        let Some(planned) = self.plan.applications.get(app) else { return };
        let mut e = provenance::read(&planned.key, body);
        if planned.target_app_id.is_some() {
            // Apply onto an app registered by hand: the admin chose this very app in the extension's own
            // confirmation, which showed its owners — that choice is the adoption.
            e.standing = provenance::Standing::Adopted;
        } else {
            let s = &self.settings;
            provenance::judge(&mut e, s.user_id.as_deref(), &s.history, &s.adopt);
        }
        let rec = task::app_mut(&mut self.journal, &self.plan, app);
        if e.standing == provenance::Standing::Adopted {
            rec.adopted = true;
        }
        if recheck && e.standing != provenance::Standing::Ours {
            rec.existed = Some(true);
        }
        let late = self.stage != Stage::Discover && e.standing == provenance::Standing::Foreign;
        self.existing.retain(|x| x.key != e.key);
        self.existing.push(e.clone());
        if late {
            self.halt(foreign_stop(vec![e], true));
        }
    }

    fn report(&self) -> RunReport {
        let (round_trips, retries) = (self.batch.round_trips, self.batch.retries);
        let mut report = report::build(&self.plan, &self.journal, &self.secrets, &self.removed, round_trips, retries);
        report.existing = self.existing.clone();
        report.warnings = self.fallbacks.warnings(self.batch.unbatched());
        report
    }
}

/// The stop for apps under our keys that are not ours: each with its owners and credentials, and how to go on.
fn foreign_stop(foreign: Vec<provenance::Existing>, appeared: bool) -> Stop {
    let lines: Vec<String> = foreign.iter().map(provenance::describe).collect();
    let keys: Vec<&str> = foreign.iter().map(|e| e.key.as_str()).collect();
    let when = if appeared { "appeared under its key after the tenant was read; it" } else { "" };
    let message = format!(
        "{} application{} {when} already exist{} under this plan's key{} and {} not provably made by this tool for you, so nothing was written to {}: {}. Adopt {} only if you know who made {} (adopt: [\"{}\"]) — adopting grants {} the plan's permissions and consent — or choose another prefix",
        foreign.len(),
        if foreign.len() == 1 { "" } else { "s" },
        if foreign.len() == 1 && !appeared { "s" } else { "" },
        if foreign.len() == 1 { "" } else { "s" },
        if foreign.len() == 1 { "is" } else { "are" },
        if foreign.len() == 1 { "it" } else { "them" },
        lines.join("; "),
        if foreign.len() == 1 { "it" } else { "them" },
        if foreign.len() == 1 { "it" } else { "them" },
        keys.join("\", \""),
        if foreign.len() == 1 { "it" } else { "them" },
    );
    let mut stop = Stop::new(StopKind::ForeignApps, foreign.first().map(|e| e.key.clone()), message);
    stop.foreign = foreign.into_boxed_slice();
    stop
}

impl Engine {
    /// Queues `task` again after the wait its verdict calls for — or stops when its chain has spent its attempts
    /// or replication its time budget.
    fn retry(&mut self, mut task: Task, verdict: Verdict, reply: &ItemResponse, now: u64) {
        let key = self.plan.applications.get(task.work.app).map(|a| a.key.clone());
        // A write whose outcome is unknown is re-read before it is tried again — also by a later run, should
        // this one stop now — so it is never done twice.
        task.work.op = after_ambiguous(task.work.op, reply.status, &mut self.journal, &self.plan, task.work.app);
        let reason = match verdict {
            Verdict::Replication => RetryReason::Replication,
            Verdict::NeedToken => RetryReason::Token,
            _ => RetryReason::Throttled,
        };
        let attempt = task.attempt + 1;
        match self.batch.retry(task, &verdict, now) {
            Ok(wait) => {
                self.events.push(Event {
                    reason: Some(reason),
                    ..Event::item(self.stage, key, EventStatus::Retrying, attempt, wait)
                });
            }
            Err(Exhausted::Replication(task)) => {
                let budget = self.settings.replication_budget_ms / 1000;
                let why = describe(&task.work.op);
                self.halt(Stop::new(
                    StopKind::ReplicationTimeout,
                    key,
                    format!("Entra has not made the new object visible after {budget} s ({why}); it usually does within minutes, and a longer replication budget (replicationBudgetMs) waits longer"),
                ));
            }
            Err(Exhausted::Attempts(task)) => self.halt(Stop::new(
                StopKind::Throttled,
                key,
                format!(
                    "Microsoft Graph kept refusing {} (HTTP {}) after {} attempts",
                    describe(&task.work.op),
                    reply.status,
                    task.spent + 1
                ),
            )),
        }
    }
}
