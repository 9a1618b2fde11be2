//! Sends a set of Graph requests in `$batch`es of at most 20 and collects each one's final reply, retrying
//! throttling, server errors and dropped connections with backoff. The read-only and rollback jobs are built on
//! it; they decide what the replies mean.

use super::http::{self, Item, ItemResponse};
use super::report::Stop;
use super::retry::{self, Verdict};
use super::{Action, Job, Response};

const MAX_ATTEMPTS: u32 = 8;

struct Pending {
    item: Item,
    attempt: u32,
    not_before: u64,
}

#[derive(Default)]
pub struct Batcher {
    queue: Vec<Pending>,
    in_flight: Vec<Pending>,
    replies: Vec<(String, ItemResponse)>,
    need_token: bool,
    next_id: u32,
    rng: Option<fastrand::Rng>,
    pub round_trips: u32,
}

impl Batcher {
    /// Queues a request; its reply comes back under the returned id.
    pub fn add(&mut self, method: &'static str, url: String, body: Option<serde_json::Value>) -> String {
        self.next_id += 1;
        let id = self.next_id.to_string();
        self.queue.push(Pending {
            item: Item { id: id.clone(), method, url, prefer: None, body },
            attempt: 0,
            not_before: 0,
        });
        id
    }

    /// The final replies so far, by id.
    pub fn take(&mut self) -> Vec<(String, ItemResponse)> {
        std::mem::take(&mut self.replies)
    }

    pub fn token_refreshed(&mut self) {
        self.need_token = false;
    }

    /// `None` when nothing is left to send.
    pub fn poll<T>(&mut self, now: u64) -> Option<Action<T>> {
        if self.need_token {
            return Some(Action::NeedToken);
        }
        if !self.in_flight.is_empty() {
            return Some(Action::Wait { ms: 0 });
        }
        if self.queue.is_empty() {
            return None;
        }
        let ready: Vec<usize> =
            (0..self.queue.len()).filter(|&i| self.queue[i].not_before <= now).take(http::MAX_BATCH).collect();
        if ready.is_empty() {
            let soonest = self.queue.iter().map(|p| p.not_before).min().unwrap_or(now);
            return Some(Action::Wait { ms: soonest.saturating_sub(now) });
        }
        for i in ready.into_iter().rev() {
            let p = self.queue.remove(i);
            self.in_flight.push(p);
        }
        self.round_trips += 1;
        let items: Vec<Item> = self.in_flight.iter().map(|p| p.item.clone()).collect();
        Some(Action::Send(http::batch(&items)))
    }

    pub fn on_response(&mut self, response: Response, now: u64) {
        let sent = std::mem::take(&mut self.in_flight);
        // A batch refused as a whole (429/503 on the `$batch` itself) may carry a Retry-After for all of it.
        let mut top_retry_after = None;
        let replies = match response {
            Response::Http { status: 200, body, .. } => http::unbatch(&body),
            Response::Http { status: 401, .. } => {
                self.need_token = true;
                self.queue.extend(sent);
                return;
            }
            Response::Http { retry_after, .. } => {
                top_retry_after = retry_after;
                None
            }
            Response::NetworkError(_) => None,
        };
        for p in sent {
            let reply =
                replies.as_ref().and_then(|r| r.iter().find(|(id, _)| *id == p.item.id)).map(|(_, r)| r.clone());
            let reply = reply.unwrap_or(ItemResponse {
                status: 503,
                retry_after: top_retry_after.clone(),
                body: serde_json::Value::Null,
            });
            match retry::classify(&reply, now) {
                Verdict::NeedToken => {
                    self.need_token = true;
                    self.queue.push(p);
                }
                verdict @ (Verdict::Throttled { .. } | Verdict::Dependency) if p.attempt + 1 < MAX_ATTEMPTS => {
                    let rng = self.rng.get_or_insert_with(|| fastrand::Rng::with_seed(now));
                    let after = if let Verdict::Throttled { after_ms } = verdict { after_ms } else { None };
                    let wait = after.unwrap_or_else(|| retry::backoff_ms(p.attempt, rng));
                    self.queue.push(Pending { attempt: p.attempt + 1, not_before: now + wait, item: p.item });
                }
                _ => self.replies.push((p.item.id, reply)),
            }
        }
    }
}

/// A Graph-relative URL from an `@odata.nextLink` (which is absolute).
pub fn relative(next_link: &str) -> String {
    match next_link.find("/v1.0/") {
        Some(i) => next_link[i + 5..].to_string(),
        None => next_link.to_string(),
    }
}

/// A job made of batched Graph calls (preflight, verify, rollback): it queues requests on its batcher, reads each
/// set of final replies (possibly queuing more, e.g. the next page), and finishes when nothing is left.
pub trait BatchJob {
    type Output;
    fn batcher(&mut self) -> &mut Batcher;
    /// Handles final replies; an error stops the job.
    fn read(&mut self, replies: Vec<(String, ItemResponse)>) -> Result<(), Stop>;
    fn finish(&mut self) -> Self::Output;
    /// A job refused before it starts (e.g. an invalid journal).
    fn refused(&mut self) -> Option<Stop> {
        None
    }
}

impl<T: BatchJob> Job for T {
    type Output = T::Output;

    fn poll(&mut self, now: u64) -> Action<T::Output> {
        if let Some(stop) = self.refused() {
            return Action::Stopped(Box::new(stop));
        }
        loop {
            if let Some(action) = self.batcher().poll(now) {
                return action;
            }
            let replies = self.batcher().take();
            if replies.is_empty() {
                return Action::Done(self.finish());
            }
            if let Err(stop) = self.read(replies) {
                return Action::Stopped(Box::new(stop));
            }
        }
    }

    fn on_response(&mut self, response: Response, now: u64) {
        self.batcher().on_response(response, now);
    }

    fn token_refreshed(&mut self) {
        self.batcher().token_refreshed();
    }
}
