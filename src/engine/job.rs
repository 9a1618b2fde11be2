//! The contract every job is driven by — the registration engine, verify, pre-flight and rollback — and the one
//! adapter the Wasm drives them all through. A job does no I/O and reads no clock: the caller owns the network,
//! the token and the time.

use super::http::{Caller, Request, Response};
use super::journal::Journal;
use super::report::{Event, RunReport, Stop};

/// What the driver does next.
#[derive(Debug, Clone, PartialEq)]
pub enum Action<T = Box<RunReport>> {
    Send(Request),
    Wait {
        ms: u64,
    },
    /// The token was rejected (401): get a fresh one, call `token_refreshed`, then poll again.
    NeedToken,
    Done(T),
    Stopped(Box<Stop>),
}

/// Anything the driver can run: the registration engine, and the read-only and rollback jobs. A job does no I/O
/// and reads no clock: the caller owns the network, the token and the time, and drives it so:
///
/// 1. Call [`poll`](Job::poll) with the current time (ms; any monotonic origin, the same throughout a run).
/// 2. On [`Action::Send`], send the request and feed its reply, or the transport error, to
///    [`on_response`](Job::on_response) exactly once, then poll again. Only one request is out at a time:
///    polling before answering returns `Wait { ms: 0 }` and sends nothing.
/// 3. On [`Action::Wait`], poll again when `ms` have passed (earlier is harmless: it says wait again).
/// 4. On [`Action::NeedToken`], get a fresh token, call [`token_refreshed`](Job::token_refreshed), poll again.
/// 5. [`Action::Done`] and [`Action::Stopped`] end the job; poll no more. After a stop, [`journal`](Job::journal)
///    is what a new job resumes from.
///
/// Between polls, [`drain_events`](Job::drain_events) hands over progress; before the first poll and before each
/// `Send` is answered, [`caller`](Job::caller) is told who the token in use speaks for. No method has a default body: an adapter
/// that wraps a job must forward every call, or it does not compile. Every retry and wait is decided inside, by
/// the one batch loop (`batcher.rs`); the number of steps is bounded by `Settings::max_attempts` per chain, and by
/// `replication_budget_ms` for replication waits, so a job driven this way always ends.
pub trait Job {
    type Output;
    /// What to do next (see the trait's contract).
    fn poll(&mut self, now: u64) -> Action<Self::Output>;
    /// The reply to the last `Send`; exactly one per `Send`.
    fn on_response(&mut self, response: Response, now: u64);
    /// A fresh token is in hand after `NeedToken`.
    fn token_refreshed(&mut self);
    /// Progress since the last call.
    fn drain_events(&mut self) -> Vec<Event>;
    /// What to resume from after a stop, for jobs that write.
    fn journal(&self) -> Option<Journal>;
    /// Who the token the driver is about to use speaks for (tenant, user, scopes).
    fn caller(&mut self, caller: &Caller);
}

/// Any job with its output as JSON: the driver loop is then compiled once, not once per job type (that alone
/// was ~40 KB of the Wasm).
pub struct AsJson<J>(pub J);

impl<J: Job> Job for AsJson<J>
where
    J::Output: serde::Serialize,
{
    type Output = serde_json::Value;
    fn poll(&mut self, now: u64) -> Action<serde_json::Value> {
        match self.0.poll(now) {
            Action::Done(out) => Action::Done(serde_json::to_value(out).unwrap_or_default()),
            Action::Send(r) => Action::Send(r),
            Action::Wait { ms } => Action::Wait { ms },
            Action::NeedToken => Action::NeedToken,
            Action::Stopped(s) => Action::Stopped(s),
        }
    }
    fn on_response(&mut self, response: Response, now: u64) {
        self.0.on_response(response, now);
    }
    fn token_refreshed(&mut self) {
        self.0.token_refreshed();
    }
    fn drain_events(&mut self) -> Vec<Event> {
        self.0.drain_events()
    }
    fn journal(&self) -> Option<Journal> {
        self.0.journal()
    }
    fn caller(&mut self, caller: &Caller) {
        self.0.caller(caller);
    }
}
