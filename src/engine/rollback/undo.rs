//! The steps of a rollback and what each reply means. Every chain starts with a read, so the first batch writes
//! nothing — it goes out before the job knows which tenant the token speaks for (`Job::caller`).
//!
//! - An object is read, checked against the journal (`target.rs`), and only then deleted or changed.
//! - A 404 is not taken as "deleted" (it may be replication): after a DELETE answered 404 the object is read
//!   again, and deleted again while it is still there.
//! - A deleted application is deleted permanently too: `DELETE /applications/{id}` only soft-deletes, and the app's
//!   uniqueName stays reserved for 30 days (application-delete; directory-deleteditems-delete;
//!   msgraph-bicep-types#137). A purge answered 404 right after the soft delete may be replication as well, so the
//!   deleted item is read back before its key is called free, and purged again after a wait while it is there —
//!   within the chain's attempts and the replication budget; what is still held then is reported as held.

use serde_json::{json, Value};

use super::super::batcher::{BatchJob, Batcher, Call, Pending};
use super::super::http::{error_of, Caller, ItemResponse, Method};
use super::super::report::{Stop, StopKind};
use super::super::retry::backoff_ms;
use super::target::{Kind, Target};
use super::Rollback;

/// What to do with an object once it is confirmed to be the recorded one.
#[derive(Debug, Clone)]
pub(super) enum Intent {
    Delete,
    /// Remove these scopes from a grant that existed (delete it if nothing else is left).
    RemoveScopes(Vec<String>),
    /// Give an application addressed by Application ID back the requiredResourceAccess it declared before.
    Restore(Value),
}

#[derive(Debug, Clone)]
enum Step {
    /// GET the object; on a match, carry out the intent.
    Read(Target, Intent),
    /// DELETE the object (read and matched just before).
    Delete(Target),
    /// A PATCH undoing an edit; what to report once done.
    Patch(String),
    /// GET a deleted application from deleted items. `since`: when a purge of it first answered 404.
    ReadDeleted { target: Target, since: Option<u64>, tries: u32 },
    /// DELETE /directory/deletedItems/{id}.
    Purge { target: Target, since: Option<u64>, tries: u32 },
}

pub(super) struct Undo {
    pub(super) batch: Batcher<Call>,
    asks: Vec<(u32, Step, String)>,
    pub(super) out: Rollback,
    pub(super) refused: Option<Stop>,
    /// The tenant the journal was written in; a token of any other is refused before the first write.
    tenant_id: Option<String>,
    /// The caller's tenant matched the journal's.
    confirmed: bool,
    /// The time of the latest poll (the rollback job's wrapper sets it): purge retries wait from it.
    pub(super) now: u64,
    rng: fastrand::Rng,
    replication_budget_ms: u64,
}

impl Undo {
    pub(super) fn new(tenant_id: Option<String>, settings: &super::super::settings::Settings) -> Undo {
        Undo {
            batch: Batcher::new(settings),
            asks: vec![],
            out: Rollback::default(),
            refused: None,
            tenant_id,
            confirmed: false,
            now: 0,
            rng: fastrand::Rng::with_seed(settings.seed),
            replication_budget_ms: settings.replication_budget_ms,
        }
    }

    /// Starts a chain: read `target`, then act on it as `intent` says.
    pub(super) fn read(&mut self, target: Target, intent: Intent, what: String) {
        self.go(Step::Read(target, intent), what, None, 0);
    }

    /// Queues `step`; after `parent`, as the next step of its chain, which the batcher bounds: an object still
    /// there when the chain has spent its attempts is reported.
    fn go(&mut self, step: Step, what: String, parent: Option<&Pending<Call>>, not_before: u64) {
        let (method, url, body) = match &step {
            Step::Read(t, _) => (Method::Get, t.read(), None),
            Step::Delete(t) => (Method::Delete, t.path(), None),
            Step::ReadDeleted { target, .. } => (Method::Get, target.deleted_item(), None),
            Step::Purge { target, .. } => (Method::Delete, target.deleted_item(), None),
            Step::Patch(_) => return,
        };
        self.send(Call { method, url, body }, step, what, parent, not_before);
    }

    fn send(&mut self, call: Call, step: Step, what: String, parent: Option<&Pending<Call>>, not_before: u64) {
        let id = match parent {
            None => self.batch.push(call, not_before),
            Some(parent) => match self.batch.follow(parent, call, not_before) {
                Some(id) => id,
                None => {
                    let tries = self.batch.max_attempts();
                    let message = match step {
                        Step::Purge { target, tries: purges, since } => {
                            held(&target, purges, self.now.saturating_sub(since.unwrap_or(self.now)))
                        }
                        _ => format!("{what}: still present after {tries} requests; run rollback again"),
                    };
                    return self.out.failed.push(message);
                }
            },
        };
        self.asks.push((id, step, what));
    }

    fn fail(&mut self, what: &str, r: &ItemResponse) {
        let (code, message) = error_of(&r.body);
        self.out.failed.push(format!("{what}: HTTP {} {code}: {message}", r.status));
    }

    /// The object is the recorded one: do what was asked.
    fn act(&mut self, target: Target, intent: Intent, body: &Value, what: String, after: &Pending<Call>) {
        match intent {
            Intent::Delete => self.go(Step::Delete(target), what, Some(after), 0),
            Intent::RemoveScopes(added) => {
                let current = body["scope"].as_str().unwrap_or("");
                let kept: Vec<&str> = current.split_whitespace().filter(|s| !added.iter().any(|a| a == s)).collect();
                if kept.is_empty() {
                    return self.go(Step::Delete(target), what, Some(after), 0);
                }
                let call =
                    Call { method: Method::Patch, url: target.path(), body: Some(json!({ "scope": kept.join(" ") })) };
                self.send(call, Step::Patch(format!("removed {what}")), what, Some(after), 0);
            }
            Intent::Restore(declared) => {
                let body = json!({ "requiredResourceAccess": declared });
                let call = Call { method: Method::Patch, url: target.path(), body: Some(body) };
                self.send(call, Step::Patch(format!("restored {what}")), what, Some(after), 0);
            }
        }
    }

    /// After a purge answered 404: read the deleted item back. The read belongs to the purge it checks, so it
    /// spends nothing of the chain — the purges do.
    fn read_back(&mut self, target: Target, since: u64, tries: u32, what: String, purge: &Pending<Call>) {
        let call = Call { method: Method::Get, url: target.deleted_item(), body: None };
        let id = self.batch.page(purge, call, 0);
        self.asks.push((id, Step::ReadDeleted { target, since: Some(since), tries }, what));
    }

    /// A deleted application still in deleted items after a purge answered 404: purge it again after a
    /// replication wait, or report its key as held once the chain's attempts or the replication budget are spent.
    fn purge_again(&mut self, target: Target, since: u64, tries: u32, what: String, after: &Pending<Call>) {
        if self.now.saturating_sub(since) > self.replication_budget_ms {
            return self.out.failed.push(held(&target, tries + 1, self.now.saturating_sub(since)));
        }
        let wait = backoff_ms(tries, &mut self.rng);
        let step = Step::Purge { target, since: Some(since), tries: tries + 1 };
        self.go(step, what, Some(after), self.now + wait);
    }
}

/// A key still reserved by a deleted application that `purges` permanent deletes, over `ms`, did not remove.
fn held(target: &Target, purges: u32, ms: u64) -> String {
    format!(
        "{}'s key stays reserved until the deleted app is purged: the application (object id {}) was deleted, but it is still in deleted items — Graph answered {purges} permanent deletes over {} s with 404 (not replicated yet); run rollback again in a few minutes, or delete it permanently under Deleted applications in the Microsoft Entra admin center",
        target.key,
        target.id,
        ms / 1000
    )
}

impl BatchJob for Undo {
    type Output = Rollback;

    fn batcher(&mut self) -> &mut Batcher<Call> {
        &mut self.batch
    }

    fn refused(&mut self) -> Option<Stop> {
        self.refused.clone()
    }

    /// A journal written in one tenant is never rolled back with a token of another: the ids in it would name
    /// that tenant's objects. The first refusal stands.
    fn caller(&mut self, caller: &Caller) {
        let Some(journal) = &self.tenant_id else { return };
        if self.refused.is_some() {
            return;
        }
        match &caller.tenant_id {
            Some(t) if t.eq_ignore_ascii_case(journal) => self.confirmed = true,
            other => {
                let token = other
                    .as_deref()
                    .map_or("no tenant at all".to_string(), |t| format!("tenant {}", crate::text::comment(t)));
                self.confirmed = false;
                self.refused = Some(Stop::new(
                    StopKind::Failed,
                    None,
                    format!("the journal is from tenant {journal}, but the token speaks for {token}: nothing was deleted. Sign in to tenant {journal} and roll back from there."),
                ));
            }
        }
    }

    fn read(&mut self, replies: Vec<(Pending<Call>, ItemResponse)>) -> Result<(), Stop> {
        if self.tenant_id.is_some() && !self.confirmed {
            // Nothing said which tenant the token speaks for: no write follows these reads.
            let message =
                "the token's tenant is unknown, so the journal's tenant cannot be confirmed: nothing was deleted";
            return Err(Stop::new(StopKind::Failed, None, message.to_string()));
        }
        for (p, r) in replies {
            let Some(pos) = self.asks.iter().position(|(a, ..)| *a == p.id) else { continue };
            let (_, step, what) = self.asks.remove(pos);
            let after = Some(&p);
            let ok = (200..300).contains(&r.status);
            let gone = r.status == 404;
            match step {
                Step::Read(target, intent) if ok => match target.check(&r.body) {
                    Ok(()) => self.act(target, intent, &r.body, what, &p),
                    Err(why) => self.out.refused.push(why),
                },
                Step::Read(target, Intent::Delete) if gone && matches!(target.kind, Kind::CreatedApp { .. }) => {
                    // Not in the directory: it may wait in deleted items, still holding its key.
                    self.go(Step::ReadDeleted { target, since: None, tries: 0 }, what, after, 0);
                }
                Step::Read(_, Intent::Delete) if gone => self.out.deleted.push(format!("{what} (already gone)")),
                Step::Read(_, Intent::RemoveScopes(_)) if gone => self.out.deleted.push(format!("{what} (grant gone)")),
                Step::Delete(target) if ok && matches!(target.kind, Kind::CreatedApp { .. }) => {
                    self.go(Step::Purge { target, since: None, tries: 0 }, what, after, 0);
                }
                Step::Delete(_) if ok => self.out.deleted.push(what),
                // Perhaps replication: read it again, and delete it again while it is there.
                Step::Delete(target) if gone => self.go(Step::Read(target, Intent::Delete), what, after, 0),
                Step::Purge { .. } if ok => {
                    self.out.deleted.push(format!("{what} (deleted permanently, so its unique name is free again)"));
                }
                Step::Purge { target, since, tries } if gone => {
                    self.read_back(target, since.unwrap_or(self.now), tries, what, &p);
                }
                Step::Purge { target, .. } => {
                    // E.g. hard deletion protection, which blocks a purge for seven days after the soft delete
                    // (directory-deleteditems-delete).
                    let (code, message) = error_of(&r.body);
                    self.out.failed.push(format!(
                        "{}'s key stays reserved until the deleted app is purged: the application (object id {}) was deleted, but deleting it permanently failed: HTTP {} {code}: {message}",
                        target.key, target.id, r.status
                    ));
                }
                Step::ReadDeleted { since: None, .. } if gone => {
                    self.out.deleted.push(format!("{what} (already gone, and its unique name free)"));
                }
                Step::ReadDeleted { .. } if gone => {
                    self.out.deleted.push(format!("{what} (deleted permanently, so its unique name is free again)"));
                }
                Step::ReadDeleted { target, since, tries } if ok => match (target.check(&r.body), since) {
                    (Err(why), _) => self.out.refused.push(why),
                    (Ok(()), None) => self.go(Step::Purge { target, since: None, tries: 0 }, what, after, 0),
                    (Ok(()), Some(since)) => self.purge_again(target, since, tries, what, &p),
                },
                Step::Patch(done) if ok => self.out.changed.push(done),
                _ => self.fail(&what, &r),
            }
        }
        Ok(())
    }

    fn finish(&mut self) -> Rollback {
        std::mem::take(&mut self.out)
    }
}
