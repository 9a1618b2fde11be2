//! The fix as one job: first the apps are read again and the ticked grants removed (`extras.rs`, skipped when
//! nothing is ticked and nothing declared beyond the plan needs keeping), then the registration engine re-applies
//! the plan to the apps still ours — their registration (with what each keeps declared beyond the plan), service
//! principal and consent, never a secret. The engine's journal is the fix's: a fix that stopped is run again with
//! it, and the engine resumes as a registration does; the removals are worked out again from the tenant.

use serde::Serialize;

use super::extras::{ExtrasJob, Outcome, Target};
use super::{AppChanges, DriftFix, Extra, ExtraSource, Seen, Skipped, Tick};
use crate::engine::http::{Caller, Response};
use crate::engine::job::{Action, Job};
use crate::engine::journal::Journal;
use crate::engine::register::Engine;
use crate::engine::report::{Event, RunReport};
use crate::engine::settings::Settings;
use crate::graph::{RequiredResourceAccess, ResourceAccess};
use crate::plan::Plan;

/// One extra and its app, as the fix reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppExtra {
    pub key: String,
    pub source: ExtraSource,
    pub name: String,
}

/// What a fix changed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fixed {
    /// The changes re-applied, per app (the preview's, for the apps the fix reached).
    pub applications: Vec<AppChanges>,
    /// Extras removed (ticked and found).
    pub removed: Vec<AppExtra>,
    /// Ticked extras the tenant no longer held.
    pub already_gone: Vec<AppExtra>,
    /// Extras found and left as they were (not ticked).
    pub kept: Vec<AppExtra>,
    /// Drifted apps the fix did not change, and why.
    pub skipped: Vec<Skipped>,
    /// The registration engine's report for the apps it re-applied (its journal included), if it ran.
    pub run: Option<Box<RunReport>>,
    pub round_trips: u32,
}

enum Phase {
    Extras(Box<ExtrasJob>),
    Register(Box<Engine>),
    Done,
}

pub struct FixJob {
    plan: Plan,
    fix: DriftFix,
    ticks: Vec<Tick>,
    settings: Settings,
    journal: Option<Journal>,
    phase: Phase,
    caller: Option<Caller>,
    extras: Outcome,
    /// Planned apps (by index) the engine re-applies.
    reach: Vec<usize>,
}

impl FixJob {
    /// A fix of `plan`'s drifted apps as `preview` lists them (`health` gives each its appId), removing `ticks`;
    /// `journal` resumes a fix that stopped.
    pub fn new(
        plan: Plan,
        health: &[Seen],
        preview: DriftFix,
        ticks: Vec<Tick>,
        journal: Option<Journal>,
        settings: Settings,
    ) -> FixJob {
        let reach: Vec<usize> =
            preview.applications.iter().filter_map(|c| plan.applications.iter().position(|a| a.key == c.key)).collect();
        let targets: Vec<Target> = reach
            .iter()
            .filter_map(|&i| {
                let key = &plan.applications[i].key;
                let changes = preview.applications.iter().find(|c| c.key == *key)?;
                let app_ticks: Vec<Tick> = ticks.iter().filter(|t| t.key == *key).cloned().collect();
                let declared = changes.extras.iter().any(|e| e.source == ExtraSource::Declared);
                let app_id = health.iter().find(|s| s.key == *key).and_then(|s| s.app_id.clone())?;
                (declared || !app_ticks.is_empty()).then_some(Target { app: i, app_id, ticks: app_ticks })
            })
            .collect();
        let phase = if targets.is_empty() {
            Phase::Done
        } else {
            let job = ExtrasJob::new(plan.clone(), targets, settings.history.clone(), settings.adopt.clone());
            Phase::Extras(Box::new(job))
        };
        let mut job = FixJob {
            plan,
            fix: preview,
            ticks,
            settings,
            journal,
            phase,
            caller: None,
            extras: Outcome::default(),
            reach,
        };
        if matches!(job.phase, Phase::Done) {
            job.start_register();
        }
        job
    }

    /// The plan restricted to the apps still ours: no secret (each exists), and what each keeps declared beyond
    /// the plan written back with the planned permissions, so re-applying the registration takes away only what
    /// was ticked.
    fn fix_plan(&self) -> Plan {
        let refused = |key: &str| self.extras.refused.iter().any(|s| s.key == key);
        let mut plan = self.plan.clone();
        plan.applications = self
            .reach
            .iter()
            .map(|&i| (i, self.plan.applications[i].clone()))
            .filter(|(_, a)| !refused(&a.key))
            .map(|(i, mut a)| {
                a.create_secret = false;
                let kept = self.extras.kept_declared.iter().find(|(k, _)| *k == i).map(|(_, l)| l.as_slice());
                for (resource, id, kind) in kept.unwrap_or_default() {
                    keep_declared(&mut a.application.required_resource_access, resource, id, kind);
                }
                a
            })
            .collect();
        plan
    }

    fn start_register(&mut self) {
        let plan = self.fix_plan();
        if plan.applications.is_empty() {
            self.phase = Phase::Done;
            return;
        }
        let mut engine = Engine::new(plan, self.journal.take(), None, self.settings.clone());
        if let Some(c) = &self.caller {
            Job::caller(&mut engine, c);
        }
        self.phase = Phase::Register(Box::new(engine));
    }

    fn report(&mut self, run: Option<Box<RunReport>>) -> Fixed {
        let refused = self.extras.refused.clone();
        let reached = |key: &str| !refused.iter().any(|s| s.key == key);
        let with_key = |(key, e): (String, Extra)| AppExtra { key, source: e.source, name: e.name };
        let removed: Vec<AppExtra> = std::mem::take(&mut self.extras.removed).into_iter().map(with_key).collect();
        let already_gone = std::mem::take(&mut self.extras.already_gone).into_iter().map(with_key).collect();
        let ticked =
            |key: &str, e: &Extra| self.ticks.iter().any(|t| t.key == key && t.source == e.source && t.name == e.name);
        let mut kept = vec![];
        for c in self.fix.applications.iter().filter(|c| reached(&c.key)) {
            for e in c.extras.iter().filter(|e| !ticked(&c.key, e)) {
                kept.push(AppExtra { key: c.key.clone(), source: e.source, name: e.name.clone() });
            }
        }
        let mut skipped = self.fix.skipped.clone();
        skipped.extend(refused.iter().cloned());
        let round_trips = self.extras.round_trips + run.as_ref().map_or(0, |r| r.round_trips);
        Fixed {
            applications: self.fix.applications.iter().filter(|c| reached(&c.key)).cloned().collect(),
            removed,
            already_gone,
            kept,
            skipped,
            run,
            round_trips,
        }
    }
}

/// Adds one `(resourceAppId, id, type)` to a registration body's `requiredResourceAccess`, if not there yet.
fn keep_declared(access: &mut Vec<RequiredResourceAccess>, resource: &str, id: &str, kind: &str) {
    let i = match access.iter().position(|r| r.resource_app_id.eq_ignore_ascii_case(resource)) {
        Some(i) => i,
        None => {
            access.push(RequiredResourceAccess { resource_app_id: resource.to_string(), resource_access: vec![] });
            access.len() - 1
        }
    };
    let list = &mut access[i].resource_access;
    if !list.iter().any(|a| a.id.eq_ignore_ascii_case(id) && a.kind == kind) {
        list.push(ResourceAccess { id: id.to_string(), kind: kind.to_string() });
    }
}

impl Job for FixJob {
    type Output = Fixed;

    fn poll(&mut self, now: u64) -> Action<Fixed> {
        loop {
            match &mut self.phase {
                Phase::Extras(job) => match job.poll(now) {
                    Action::Done(out) => {
                        self.extras = out;
                        self.start_register();
                    }
                    other => return forward(other),
                },
                Phase::Register(engine) => match engine.poll(now) {
                    Action::Done(run) => {
                        self.phase = Phase::Done;
                        return Action::Done(self.report(Some(run)));
                    }
                    other => return forward(other),
                },
                Phase::Done => return Action::Done(self.report(None)),
            }
        }
    }

    fn on_response(&mut self, response: Response, now: u64) {
        match &mut self.phase {
            Phase::Extras(job) => job.on_response(response, now),
            Phase::Register(engine) => Job::on_response(engine.as_mut(), response, now),
            Phase::Done => {}
        }
    }

    fn token_refreshed(&mut self) {
        match &mut self.phase {
            Phase::Extras(job) => job.token_refreshed(),
            Phase::Register(engine) => Job::token_refreshed(engine.as_mut()),
            Phase::Done => {}
        }
    }

    fn drain_events(&mut self) -> Vec<Event> {
        match &mut self.phase {
            Phase::Register(engine) => Job::drain_events(engine.as_mut()),
            _ => vec![],
        }
    }

    fn journal(&self) -> Option<Journal> {
        match &self.phase {
            Phase::Register(engine) => Job::journal(engine.as_ref()),
            _ => self.journal.clone(),
        }
    }

    fn caller(&mut self, caller: &Caller) {
        self.caller = Some(caller.clone());
        match &mut self.phase {
            Phase::Extras(job) => Job::caller(job.as_mut(), caller),
            Phase::Register(engine) => Job::caller(engine.as_mut(), caller),
            Phase::Done => {}
        }
    }
}

/// Any action but `Done`, for the fix's own output type.
fn forward<T, U>(action: Action<T>) -> Action<U> {
    match action {
        Action::Send(r) => Action::Send(r),
        Action::Wait { ms } => Action::Wait { ms },
        Action::NeedToken => Action::NeedToken,
        Action::Stopped(s) => Action::Stopped(s),
        Action::Done(_) => Action::Wait { ms: 0 },
    }
}
