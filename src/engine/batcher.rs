//! The one batch-and-retry loop. Every job — the registration engine and the read-only and rollback jobs — queues
//! its Graph requests here; the batcher sends them in `$batch`es of at most 20 (learn.microsoft.com/graph/
//! json-batching), hands each request back with its reply, and retries with one policy: Retry-After when given,
//! else capped exponential backoff with jitter, up to `Settings::max_attempts` attempts per chain.
//!
//! A request with a `Prefer` header (an upsert) goes in a batch until Graph shows it does not honour the header
//! there (`Verdict::Unbatched`, `upserts.rs`); from then on such requests go on their own, one per round trip.
//!
//! A chain is a request and the follow-ups its replies cause (a write, then the read after its 409, then the write
//! again …): a follow-up inherits what its chain has spent, so no back-and-forth runs forever. A further page of a
//! collection continues the same read and spends nothing (Graph's `@odata.nextLink` ends with the collection).

use super::http::{self, Caller, Item, ItemResponse, Method, Response};
use super::job::{Action, Job};
use super::report::Stop;
use super::retry::{self, Verdict};
use super::settings::Settings;

/// One queued request: what the job wants done (`work`), and what its chain has spent so far.
#[derive(Debug, Clone)]
pub struct Pending<W> {
    /// The id of the request in its `$batch`; a reply comes back under it.
    pub id: u32,
    pub work: W,
    /// Tries of this very request (drives the backoff).
    pub attempt: u32,
    /// Retries and follow-ups of the chain before this request, counted against `max_attempts`.
    pub spent: u32,
    pub not_before: u64,
    /// When replication delay first held this request up (its retries are bounded by time, not count).
    pub first_failure: Option<u64>,
}

/// Why a request is not retried any more.
#[derive(Debug)]
pub enum Exhausted<W> {
    /// The chain used up `max_attempts`.
    Attempts(Pending<W>),
    /// Replication did not catch up within `replication_budget_ms`.
    Replication(Pending<W>),
}

pub struct Batcher<W> {
    queue: Vec<Pending<W>>,
    in_flight: Vec<Pending<W>>,
    /// Final replies not yet read (jobs that let the batcher settle retries, `on_response`).
    replies: Vec<(Pending<W>, ItemResponse)>,
    need_token: bool,
    /// Graph did not honour `Prefer` inside a batch item: requests that carry one are sent on their own.
    unbatched: bool,
    /// The request out is one on its own, not a batch.
    alone: bool,
    next_id: u32,
    rng: fastrand::Rng,
    max_attempts: u32,
    replication_budget_ms: u64,
    pub round_trips: u32,
    pub retries: u32,
    /// When the first request went out: what the job read is at most this old.
    pub first_sent: Option<u64>,
}

impl<W: Clone> Default for Batcher<W> {
    fn default() -> Self {
        Batcher::new(&Settings::default())
    }
}

impl<W: Clone> Batcher<W> {
    pub fn new(settings: &Settings) -> Self {
        Batcher {
            queue: Vec::new(),
            in_flight: Vec::new(),
            replies: Vec::new(),
            need_token: false,
            unbatched: false,
            alone: false,
            next_id: 0,
            rng: fastrand::Rng::with_seed(settings.seed),
            max_attempts: settings.max_attempts.max(1),
            replication_budget_ms: settings.replication_budget_ms,
            round_trips: 0,
            retries: 0,
            first_sent: None,
        }
    }

    /// Starts a chain; its reply comes back under the returned id.
    pub fn push(&mut self, work: W, not_before: u64) -> u32 {
        self.enqueue(work, 0, not_before)
    }

    /// A follow-up of `parent` (a reply asked for it): one more step of the parent's chain, or `None` when the
    /// chain has spent its attempts.
    pub fn follow(&mut self, parent: &Pending<W>, work: W, now: u64) -> Option<u32> {
        let spent = parent.spent + 1;
        (spent < self.max_attempts).then(|| self.enqueue(work, spent, now))
    }

    /// The next page of what `parent` read: the same chain, nothing spent.
    pub fn page(&mut self, parent: &Pending<W>, work: W, now: u64) -> u32 {
        self.enqueue(work, parent.spent, now)
    }

    fn enqueue(&mut self, work: W, spent: u32, not_before: u64) -> u32 {
        self.next_id += 1;
        let id = self.next_id;
        self.queue.push(Pending { id, work, attempt: 0, spent, not_before, first_failure: None });
        id
    }

    /// Nothing queued and nothing out.
    pub fn is_idle(&self) -> bool {
        self.queue.is_empty() && self.in_flight.is_empty()
    }

    /// The attempt limit every chain has.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    pub fn token_refreshed(&mut self) {
        self.need_token = false;
    }

    /// Whether requests with a `Prefer` header now go on their own (Graph ignored it inside a batch).
    pub fn unbatched(&self) -> bool {
        self.unbatched
    }

    /// What to send now, each request built by `build` at sending time (so it sees what earlier replies
    /// recorded); `None` when nothing is queued or out.
    pub fn poll_with<T>(&mut self, now: u64, mut build: impl FnMut(&Pending<W>) -> Item) -> Option<Action<T>> {
        if self.need_token {
            return Some(Action::NeedToken);
        }
        if !self.in_flight.is_empty() {
            // Polled without an answer: the batch is still out.
            return Some(Action::Wait { ms: 0 });
        }
        if self.queue.is_empty() {
            return None;
        }
        let times: Vec<u64> = self.queue.iter().map(|p| p.not_before).collect();
        let ready = match ready(&times, now) {
            Ok(ready) => ready,
            Err(ms) => return Some(Action::Wait { ms }),
        };
        for i in ready.into_iter().rev() {
            let p = self.queue.remove(i);
            self.in_flight.push(p);
        }
        self.in_flight.reverse();
        self.round_trips += 1;
        self.first_sent.get_or_insert(now);
        let mut items: Vec<Item> = self.in_flight.iter().map(&mut build).collect();
        if let Some(i) = items.iter().position(|item| self.unbatched && item.prefer.is_some()) {
            // On its own; the rest wait for the next round trip.
            let p = self.in_flight.remove(i);
            self.queue.splice(0..0, std::mem::replace(&mut self.in_flight, vec![p]));
            self.alone = true;
            return Some(Action::Send(http::single(items.swap_remove(i))));
        }
        Some(Action::Send(http::batch(&items)))
    }

    /// Takes the ready requests `answer` has a reply for out of the queue, each with that reply: answered without
    /// a round trip (a run starting from a check's replies, `register/preread.rs`).
    pub fn answer_here(
        &mut self,
        now: u64,
        mut answer: impl FnMut(&Pending<W>) -> Option<ItemResponse>,
    ) -> Vec<(Pending<W>, ItemResponse)> {
        let mut out = Vec::new();
        if self.need_token || !self.in_flight.is_empty() {
            return out;
        }
        let mut i = 0;
        while i < self.queue.len() {
            match (self.queue[i].not_before <= now).then(|| answer(&self.queue[i])).flatten() {
                Some(reply) => out.push((self.queue.remove(i), reply)),
                None => i += 1,
            }
        }
        out
    }

    /// Every request of the last batch with its reply. A request with no reply of its own (a dropped
    /// connection, a reply that is no batch, an id missing from it, a batch throttled as a whole) gets a 503,
    /// with the batch's Retry-After; a batch refused as a whole for another reason gives every request that
    /// refusal. A 401 on the batch asks for a token and queues the batch again.
    pub fn receive(&mut self, response: Response) -> Vec<(Pending<W>, ItemResponse)> {
        let sent = std::mem::take(&mut self.in_flight);
        let alone = std::mem::take(&mut self.alone);
        let received = if alone { Received::single(response) } else { Received::of(response) };
        let Some(received) = received else {
            self.need_token = true;
            self.queue.extend(sent);
            return Vec::new();
        };
        sent.into_iter()
            .map(|p| {
                let reply = received.reply_for(p.id);
                (p, reply)
            })
            .collect()
    }

    /// Queues `p` again after the wait `verdict` calls for, and says how long; or gives it back when its chain
    /// has spent its attempts (or replication its time budget).
    pub fn retry(&mut self, mut p: Pending<W>, verdict: &Verdict, now: u64) -> Result<u64, Exhausted<W>> {
        match self.wait(p.attempt, p.spent, &mut p.first_failure, verdict, now) {
            Err(Spent::Attempts) => Err(Exhausted::Attempts(p)),
            Err(Spent::Replication) => Err(Exhausted::Replication(p)),
            Ok(wait) => {
                if !matches!(verdict, Verdict::Replication | Verdict::NeedToken) {
                    p.spent += 1;
                }
                p.attempt += 1;
                p.not_before = now + wait;
                self.retries += 1;
                self.queue.push(p);
                Ok(wait)
            }
        }
    }

    /// How long a retry waits, or which budget it has spent (apart from `retry`, so it is compiled once).
    fn wait(
        &mut self,
        attempt: u32,
        spent: u32,
        first_failure: &mut Option<u64>,
        verdict: &Verdict,
        now: u64,
    ) -> Result<u64, Spent> {
        Ok(match verdict {
            Verdict::NeedToken => {
                self.need_token = true;
                0
            }
            // Once: from now on the request, and every one with a `Prefer` header, goes on its own at once. Sent
            // alone and answered so again, it is retried like any refusal, within the attempt limit.
            Verdict::Unbatched if !self.unbatched => {
                self.unbatched = true;
                0
            }
            Verdict::Replication => {
                let first = *first_failure.get_or_insert(now);
                if now.saturating_sub(first) > self.replication_budget_ms {
                    return Err(Spent::Replication);
                }
                retry::backoff_ms(attempt, &mut self.rng)
            }
            _ if spent + 1 >= self.max_attempts => return Err(Spent::Attempts),
            Verdict::Throttled { after_ms: Some(ms) } => *ms,
            _ => retry::backoff_ms(attempt, &mut self.rng),
        })
    }

    /// For jobs that only read the final replies: retries what Graph asks to retry (throttling, server errors,
    /// dropped connections, a failed dependency, an expired token) and keeps the rest, and whatever ran out of
    /// attempts, for `take`.
    pub fn on_response(&mut self, response: Response, now: u64) {
        for (p, reply) in self.receive(response) {
            let verdict = retry::classify(&reply, now);
            if !matches!(verdict, Verdict::Throttled { .. } | Verdict::Dependency | Verdict::NeedToken) {
                self.replies.push((p, reply));
                continue;
            }
            if let Err(Exhausted::Attempts(p) | Exhausted::Replication(p)) = self.retry(p, &verdict, now) {
                self.replies.push((p, reply));
            }
        }
    }

    /// The final replies so far.
    pub fn take(&mut self) -> Vec<(Pending<W>, ItemResponse)> {
        std::mem::take(&mut self.replies)
    }
}

enum Spent {
    Attempts,
    Replication,
}

/// The queue positions ready to send now (at most a batch), or how long until the first is.
fn ready(not_before: &[u64], now: u64) -> Result<Vec<usize>, u64> {
    let ready: Vec<usize> = (0..not_before.len()).filter(|&i| not_before[i] <= now).take(http::MAX_BATCH).collect();
    if ready.is_empty() {
        let soonest = not_before.iter().copied().min().unwrap_or(now);
        return Err(soonest.saturating_sub(now));
    }
    Ok(ready)
}

/// A batch's reply taken apart: each request's own reply, and what a request without one gets.
struct Received {
    replies: Option<Vec<(String, ItemResponse)>>,
    whole: ItemResponse,
}

impl Received {
    /// `None` for a 401 on the batch itself.
    fn of(response: Response) -> Option<Received> {
        let lost = |retry_after| ItemResponse { status: 503, retry_after, body: serde_json::Value::Null };
        Some(match response {
            Response::Http { status: 200, body, .. } => Received { replies: http::unbatch(&body), whole: lost(None) },
            Response::Http { status: 401, .. } => return None,
            // Throttled or failed as a whole: whether any request in it ran is unknown, so each is answered as
            // a lost reply (a write among them is looked up before it is tried again).
            Response::Http { status: 429 | 500 | 502 | 503 | 504, retry_after, .. } => {
                Received { replies: None, whole: lost(retry_after) }
            }
            Response::Http { status, retry_after, body } => {
                Received { replies: None, whole: ItemResponse { status, retry_after, body } }
            }
            Response::NetworkError(_) => Received { replies: None, whole: lost(None) },
        })
    }

    /// The reply to a request sent on its own: it is that request's reply. `None` for a 401.
    fn single(response: Response) -> Option<Received> {
        let whole = match response {
            Response::Http { status: 401, .. } => return None,
            Response::Http { status, retry_after, body } => ItemResponse { status, retry_after, body },
            Response::NetworkError(_) => ItemResponse { status: 503, retry_after: None, body: serde_json::Value::Null },
        };
        Some(Received { replies: None, whole })
    }

    fn reply_for(&self, id: u32) -> ItemResponse {
        let Some(replies) = &self.replies else { return self.whole.clone() };
        let id = id.to_string();
        match replies.iter().find(|(rid, _)| *rid == id) {
            Some((_, reply)) => reply.clone(),
            None => ItemResponse { status: 503, retry_after: None, body: serde_json::Value::Null },
        }
    }
}

/// A request of a read-only or rollback job: built once, sent as is.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: Method,
    pub url: String,
    pub body: Option<serde_json::Value>,
}

impl Batcher<Call> {
    /// Queues a request that starts a chain.
    pub fn add(&mut self, method: Method, url: String, body: Option<serde_json::Value>) -> u32 {
        self.push(Call { method, url, body }, 0)
    }

    pub fn poll<T>(&mut self, now: u64) -> Option<Action<T>> {
        self.poll_with(now, |p| Item {
            id: p.id.to_string(),
            method: p.work.method,
            url: p.work.url.clone(),
            prefer: None,
            body: p.work.body.clone(),
        })
    }
}

/// A job made of batched Graph calls (preflight, verify, rollback): it queues requests on its batcher, reads each
/// set of final replies (possibly queuing more, e.g. the next page), and finishes when nothing is left.
pub trait BatchJob {
    type Output;
    fn batcher(&mut self) -> &mut Batcher<Call>;
    /// Handles final replies; an error stops the job.
    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop>;
    fn finish(&mut self) -> Self::Output;
    /// A job refused before it starts (e.g. an invalid journal), or once it learns who calls.
    fn refused(&mut self) -> Option<Stop>;
    /// Who the token in use speaks for (see [`Job::caller`]).
    fn caller(&mut self, caller: &Caller);
}

/// The part of a batch job its output type does not touch, so that [`step`] takes it behind `dyn`.
trait Steps {
    fn batcher(&mut self) -> &mut Batcher<Call>;
    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop>;
    fn refused(&mut self) -> Option<Stop>;
}

impl<T: BatchJob> Steps for T {
    fn batcher(&mut self) -> &mut Batcher<Call> {
        BatchJob::batcher(self)
    }
    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop> {
        BatchJob::read(self, replies)
    }
    fn refused(&mut self) -> Option<Stop> {
        BatchJob::refused(self)
    }
}

/// A batch job's next action, or `None` once nothing is left and it should finish. Compiled once rather than
/// inlined, with the batcher's `poll`, into every job's `poll` (2.6 KB of the extension's Wasm for its eight batch jobs).
#[inline(never)]
fn step(job: &mut dyn Steps, now: u64) -> Option<Action<std::convert::Infallible>> {
    if let Some(stop) = job.refused() {
        return Some(Action::Stopped(Box::new(stop)));
    }
    loop {
        if let Some(action) = job.batcher().poll(now) {
            return Some(action);
        }
        let replies = job.batcher().take();
        if replies.is_empty() {
            return None;
        }
        if let Err(stop) = job.read(replies) {
            return Some(Action::Stopped(Box::new(stop)));
        }
    }
}

impl<T: BatchJob> Job for T {
    type Output = T::Output;

    fn poll(&mut self, now: u64) -> Action<T::Output> {
        match step(self, now) {
            None => Action::Done(self.finish()),
            Some(Action::Send(request)) => Action::Send(request),
            Some(Action::Wait { ms }) => Action::Wait { ms },
            Some(Action::NeedToken) => Action::NeedToken,
            Some(Action::Stopped(stop)) => Action::Stopped(stop),
            Some(Action::Done(never)) => match never {},
        }
    }

    fn on_response(&mut self, response: Response, now: u64) {
        self.batcher().on_response(response, now);
    }

    fn token_refreshed(&mut self) {
        self.batcher().token_refreshed();
    }

    fn drain_events(&mut self) -> Vec<super::report::Event> {
        Vec::new()
    }

    fn journal(&self) -> Option<super::journal::Journal> {
        None
    }

    fn caller(&mut self, caller: &Caller) {
        BatchJob::caller(self, caller);
    }
}
