//! What to do with a failed item: retry after Retry-After (throttling, 503/504), retry with backoff (Entra's
//! replication delay between app, service principal and grants), ask for a new token, or stop and say why.
//! The replication signatures are those Microsoft's own SDKs and the Terraform azuread provider retry on.

use super::http::{error_of, ItemResponse};
use super::ops::{self, Task};
use super::report::{Event, Stop, StopKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// 429/503/504 and other server errors: retry, honouring Retry-After when given.
    Throttled {
        after_ms: Option<u64>,
    },
    /// A freshly created object is not visible yet to a dependent call.
    Replication,
    /// 401: the token expired or was rejected.
    NeedToken,
    /// 403 Authorization_RequestDenied: the signed-in user lacks a role.
    Forbidden(String),
    /// 424: a request this one depended on failed; retried with it.
    Dependency,
    Fail {
        status: u16,
        code: String,
        message: String,
    },
}

pub fn classify(r: &ItemResponse, now_ms: u64) -> Verdict {
    let (code, message) = error_of(&r.body);
    let m = message.to_ascii_lowercase();
    match r.status {
        200..=299 => Verdict::Ok,
        401 => Verdict::NeedToken,
        424 => Verdict::Dependency,
        429 | 500 | 502 | 503 | 504 => {
            Verdict::Throttled { after_ms: retry_after_ms(r.retry_after.as_deref(), now_ms) }
        }
        404 if m.contains("does not exist or one of its queried reference-property objects are not present")
            // 404 Directory_ObjectNotFound on a grant right after the service principal was made
            // (microsoft/fhir-server Grant-ClientAppDelegatedPermissions.ps1).
            || m.contains("unable to read the company information from the directory") =>
        {
            Verdict::Replication
        }
        400 if m.contains("does not reference a valid application object")
            || m.contains("not a valid reference update")
            || m.contains("does not exist or one of its queried reference-property objects are not present") =>
        {
            Verdict::Replication
        }
        403 if m.contains("backing application") => Verdict::Replication,
        403 => Verdict::Forbidden(message),
        status => Verdict::Fail { status, code, message },
    }
}

/// Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3).
pub fn retry_after_ms(value: Option<&str>, now_ms: u64) -> Option<u64> {
    let v = value?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs.saturating_mul(1000));
    }
    super::clock::parse_http_date(v).map(|at| at.saturating_sub(now_ms))
}

/// Capped exponential backoff with ±25 % jitter: 1 s, 2 s, 4 s … 30 s.
pub fn backoff_ms(attempt: u32, jitter: &mut fastrand::Rng) -> u64 {
    let base = 1000u64.saturating_mul(1 << attempt.min(5)).min(30_000);
    let spread = base / 4;
    base - spread + jitter.u64(0..=spread * 2)
}

impl super::Engine {
    /// Queues `task` again after the wait its verdict calls for — or stops when the retry budget is spent.
    pub(super) fn retry(&mut self, mut task: Task, verdict: Verdict, reply: &ItemResponse, now: u64) {
        let key = self.plan.applications.get(task.app).map(|a| a.key.clone());
        // A write whose outcome is unknown is re-read before it is tried again — also by a later run, should
        // this one stop now — so it is never done twice.
        task.op = ops::after_ambiguous(task.op, reply.status, &mut self.journal, &self.plan, task.app);
        let reason = match verdict {
            Verdict::Replication => "replication",
            Verdict::NeedToken => "token",
            _ => "throttled",
        };
        let wait = match verdict {
            Verdict::NeedToken => {
                self.awaiting_token = true;
                0
            }
            Verdict::Replication => {
                let first = *task.first_failure.get_or_insert(now);
                if now.saturating_sub(first) > self.settings.replication_budget_ms {
                    let budget = self.settings.replication_budget_ms / 1000;
                    let why = ops::describe(&task.op);
                    return self.halt(Stop::new(
                        StopKind::ReplicationTimeout,
                        key,
                        format!("Entra has not made the new object visible after {budget} s ({why}); it usually does within minutes, and a longer replication budget (replicationBudgetMs) waits longer"),
                    ));
                }
                backoff_ms(task.attempt, &mut self.rng)
            }
            Verdict::Throttled { .. } | Verdict::Dependency if task.attempt + 1 >= self.settings.max_attempts => {
                return self.halt(Stop::new(
                    StopKind::Throttled,
                    key,
                    format!(
                        "Microsoft Graph kept refusing {} (HTTP {}) after {} attempts",
                        ops::describe(&task.op),
                        reply.status,
                        task.attempt + 1
                    ),
                ));
            }
            Verdict::Throttled { after_ms: Some(ms) } => ms,
            _ => backoff_ms(task.attempt, &mut self.rng),
        };
        task.attempt += 1;
        task.not_before = now + wait;
        self.retries += 1;
        self.events
            .push(Event { reason: Some(reason), ..Event::item(self.stage, key, "retrying", task.attempt, wait) });
        self.tasks.push(task);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn resp(status: u16, message: &str) -> ItemResponse {
        ItemResponse { status, retry_after: None, body: json!({"error": {"code": "X", "message": message}}) }
    }

    #[test]
    fn replication_signatures_are_recognised() {
        let not_present =
            "Resource 'x' does not exist or one of its queried reference-property objects are not present.";
        assert_eq!(classify(&resp(404, not_present), 0), Verdict::Replication);
        let no_app = "The appId 'x' of the service principal does not reference a valid application object.";
        assert_eq!(classify(&resp(400, no_app), 0), Verdict::Replication);
        let backing = "When using this permission, the backing application of the service principal being created must in the local tenant";
        assert_eq!(classify(&resp(403, backing), 0), Verdict::Replication);
        assert_eq!(classify(&resp(400, "Not a valid reference update."), 0), Verdict::Replication);
        let company = "Unable to read the company information from the directory.";
        assert_eq!(classify(&resp(404, company), 0), Verdict::Replication);
        assert!(matches!(
            classify(&resp(403, "Insufficient privileges to complete the operation."), 0),
            Verdict::Forbidden(_)
        ));
        assert!(matches!(
            classify(&resp(400, "One or more properties are invalid."), 0),
            Verdict::Fail { status: 400, .. }
        ));
    }

    #[test]
    fn retry_after_seconds_and_http_date() {
        assert_eq!(retry_after_ms(Some("7"), 0), Some(7000));
        // Sun, 06 Nov 1994 08:49:37 GMT = 784111777 s after the epoch (RFC 9110's example date).
        let now = 784_111_777_000 - 3_000;
        assert_eq!(retry_after_ms(Some("Sun, 06 Nov 1994 08:49:37 GMT"), now), Some(3000));
        assert_eq!(retry_after_ms(Some("soon"), 0), None);
    }

    #[test]
    fn backoff_is_capped_and_jittered() {
        let mut rng = fastrand::Rng::with_seed(1);
        for attempt in 0..20 {
            let ms = backoff_ms(attempt, &mut rng);
            assert!((750..=37_500).contains(&ms), "{attempt}: {ms}");
        }
    }
}
