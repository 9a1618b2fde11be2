//! Runs the engine against the in-process sandbox tenant on a virtual clock: waits cost nothing.

use lucs_registrar::engine::{Action, Caller, Engine, Event, Job, Journal, Response, RunReport, Settings, Stop};

/// The driver tells the job who each token it uses speaks for; here the tenant's current token stands in.
fn tell_scopes(job: &mut impl Job, tenant: &Tenant) {
    let caller = Caller {
        tenant_id: Some(tenant.id.clone()),
        user_id: Some(tenant.user.id.clone()),
        scopes: tenant.token_scopes.clone(),
    };
    job.caller(&caller);
}
use lucs_registrar::plan::Plan;
use lucs_sandbox::{Exchange, Tenant};

pub struct Outcome {
    pub result: Result<RunReport, Stop>,
    pub journal: Journal,
    pub round_trips: u32,
    pub token_refreshes: u32,
    pub waited_ms: u64,
    /// Every progress event the run reported.
    pub events: Vec<Event>,
}

/// The `Prefer` header of a request sent on its own (a batch carries it per item).
fn prefer(req: &lucs_registrar::engine::Request) -> Option<&str> {
    req.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case("prefer")).map(|(_, v)| v.as_str())
}

/// Drives one run to its end, or for at most `max_sends` requests (to simulate an interruption).
pub fn drive(engine: &mut Engine, tenant: &mut Tenant, clock: &mut u64, max_sends: Option<u32>) -> Option<Outcome> {
    drive_cut(engine, tenant, clock, max_sends, false)
}

/// As `drive`, but the cut comes while the last request is in flight: the tenant acts on it and the reply is lost
/// with the worker, so the journal kept is the one from before it was sent.
pub fn drive_cut(
    engine: &mut Engine,
    tenant: &mut Tenant,
    clock: &mut u64,
    max_sends: Option<u32>,
    in_flight: bool,
) -> Option<Outcome> {
    let (mut sends, mut refreshes, mut waited) = (0, 0, 0);
    let mut events = Vec::new();
    loop {
        let action = engine.poll(*clock);
        events.extend(engine.drain_events());
        match action {
            Action::Send(req) => {
                if max_sends.is_some_and(|m| sends >= m) {
                    if in_flight {
                        let body = req.body.clone().unwrap_or(serde_json::Value::Null);
                        let _ = tenant.exchange(req.method.as_str(), &req.url, prefer(&req), &body, *clock);
                    }
                    return None;
                }
                sends += 1;
                tell_scopes(engine, tenant);
                let body = req.body.clone().unwrap_or(serde_json::Value::Null);
                let response = match tenant.exchange(req.method.as_str(), &req.url, prefer(&req), &body, *clock) {
                    Exchange::Reply(r) => Response::Http {
                        status: r.status,
                        retry_after: r
                            .headers
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
                            .map(|(_, v)| v.clone()),
                        body: r.body,
                    },
                    Exchange::Dropped => Response::NetworkError("connection reset".into()),
                };
                *clock += 50;
                engine.on_response(response, *clock);
            }
            Action::Wait { ms } => {
                *clock += ms;
                waited += ms;
            }
            Action::NeedToken => {
                refreshes += 1;
                engine.token_refreshed();
            }
            Action::Done(report) => {
                return Some(Outcome {
                    journal: report.journal.clone(),
                    round_trips: sends,
                    result: Ok(*report),
                    token_refreshes: refreshes,
                    waited_ms: waited,
                    events,
                })
            }
            Action::Stopped(stop) => {
                return Some(Outcome {
                    journal: engine.journal().clone(),
                    round_trips: sends,
                    result: Err(*stop),
                    token_refreshes: refreshes,
                    waited_ms: waited,
                    events,
                })
            }
        }
    }
}

pub fn run(plan: &Plan, tenant: &mut Tenant, journal: Option<Journal>, clock: &mut u64) -> Outcome {
    let mut engine = Engine::new(plan.clone(), journal, Some(tenant.id.clone()), Settings::default());
    drive(&mut engine, tenant, clock, None).expect("runs to an end")
}

/// What is wrong with the tenant against the plan: duplicates, a missing app, service principal, scope or role.
pub fn registration_problems(plan: &Plan, tenant: &Tenant) -> Vec<String> {
    let mut out: Vec<String> = tenant.duplicates().into_iter().map(|d| format!("duplicate {d}")).collect();
    for app in &plan.applications {
        let found = match &app.target_app_id {
            Some(app_id) => tenant.registration_by_app_id(app_id),
            None => tenant.registration(&app.key),
        };
        let Some(reg) = found else {
            out.push(format!("{} missing", app.key));
            continue;
        };
        // An app registered by hand keeps its name, and the scopes others granted it.
        let by_hand = app.target_app_id.is_some();
        if reg.display_name != app.display_name && !by_hand {
            out.push(format!("{} is named {:?}", app.key, reg.display_name));
        }
        if reg.service_principal_id.is_none() {
            out.push(format!("{} has no service principal", app.key));
        }
        if app.grant_admin_consent {
            let mut got: Vec<&str> = reg.scopes.split_whitespace().collect();
            let mut want: Vec<&str> = app.delegated_grants.iter().flat_map(|g| g.scope.split(' ')).collect();
            got.sort_unstable();
            want.sort_unstable();
            if by_hand {
                got.retain(|s| want.contains(s));
            }
            if got != want {
                out.push(format!("{} scopes {got:?}, planned {want:?}", app.key));
            }
            let mut roles = reg.app_role_ids.clone();
            roles.sort();
            let mut want: Vec<String> = app.app_role_assignments.iter().map(|r| r.app_role_id.clone()).collect();
            want.sort();
            if roles != want {
                out.push(format!("{} app roles {roles:?}, planned {want:?}", app.key));
            }
        }
    }
    out
}

/// Every planned app exists once, with its service principal, the planned scopes and app roles.
pub fn assert_registered(plan: &Plan, tenant: &Tenant) {
    assert_eq!(registration_problems(plan, tenant), Vec::<String>::new());
}

/// Runs any job (preflight, verify, rollback) to its end against the tenant.
pub fn drive_job<J: Job>(mut job: J, tenant: &mut Tenant, clock: &mut u64) -> Result<J::Output, Stop> {
    loop {
        match job.poll(*clock) {
            Action::Send(req) => {
                tell_scopes(&mut job, tenant);
                let body = req.body.clone().unwrap_or(serde_json::Value::Null);
                let response = match tenant.exchange(req.method.as_str(), &req.url, prefer(&req), &body, *clock) {
                    Exchange::Reply(r) => Response::Http { status: r.status, retry_after: None, body: r.body },
                    Exchange::Dropped => Response::NetworkError("connection reset".into()),
                };
                *clock += 50;
                job.on_response(response, *clock);
            }
            Action::Wait { ms } => *clock += ms,
            Action::NeedToken => job.token_refreshed(),
            Action::Done(out) => return Ok(out),
            Action::Stopped(stop) => return Err(*stop),
        }
    }
}
