//! What a failed reply means — throttled (retry after Retry-After), replication delay between app, service
//! principal and grants (retry with backoff), a new token needed, refused, or failed — and the waits; the batcher
//! (`batcher.rs`) applies them.
//! The replication signatures are those Microsoft's own SDKs and the Terraform azuread provider retry on. Graph's
//! concurrency 409 is throttling by another name: "Please wait briefly and retry".

use super::http::{error_of, ItemResponse};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// 429/503/504 and other server errors, and the concurrency 409: retry, honouring Retry-After when given.
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
    /// An upsert in a `$batch` answered as a plain PATCH (404): Graph did not honour its `Prefer` header there, so
    /// it goes again on its own, as does every request with a `Prefer` header after it (`upserts.rs`).
    Unbatched,
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
        409 if concurrency(r) => Verdict::Throttled { after_ms: retry_after_ms(r.retry_after.as_deref(), now_ms) },
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

/// `409 Directory_ConcurrencyViolation` "Error due to concurrent requests being made to the tenant. Please wait
/// briefly and retry.": writes made close together — credential writes on one app above all — refused, nothing
/// done (nais/azurerator#448, where Microsoft advised spacing credential writes; microsoft/fhir-server
/// `ClientSecretConcurrency.Tests.ps1` retries it). Never a duplicate or a final refusal, whatever the step.
pub fn concurrency(r: &ItemResponse) -> bool {
    let (code, message) = error_of(&r.body);
    r.status == 409
        && (code == "Directory_ConcurrencyViolation"
            || message.to_ascii_lowercase().contains("concurrent requests being made to the tenant"))
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
    fn the_concurrency_409_is_throttling_and_other_409s_are_not() {
        let busy = "Error due to concurrent requests being made to the tenant. Please wait briefly and retry.";
        let mut r = ItemResponse {
            status: 409,
            retry_after: Some("2".into()),
            body: json!({"error": {"code": "Directory_ConcurrencyViolation", "message": busy}}),
        };
        assert_eq!(classify(&r, 0), Verdict::Throttled { after_ms: Some(2000) });
        r.retry_after = None;
        assert_eq!(classify(&r, 0), Verdict::Throttled { after_ms: None });
        let dup = ItemResponse {
            status: 409,
            retry_after: None,
            body: json!({"error": {"code": "Request_MultipleObjectsWithSameKeyValue", "message": "Permission entry already exists."}}),
        };
        assert!(!concurrency(&dup));
        assert!(matches!(classify(&dup, 0), Verdict::Fail { status: 409, .. }));
    }

    #[test]
    fn no_step_reads_the_concurrency_409_as_a_duplicate_or_a_refusal() {
        use crate::engine::register::ops::apply;
        use crate::engine::register::task::{Op, Outcome, Step, Task};
        use crate::plan::{plan, PlanRequest};
        let req = PlanRequest::from_json(json!({"components": [{"code": "FE"}]})).unwrap();
        let plan = plan(&req, &crate::catalog::builtin()).unwrap();
        let busy = ItemResponse {
            status: 409,
            retry_after: None,
            body: json!({"error": {"code": "Directory_ConcurrencyViolation", "message": "Please wait briefly and retry."}}),
        };
        let deleted = "8b5cf0b1-5c4f-4f8b-9f5e-2f4bfe0e8a11".to_string();
        for op in [
            Op::WriteGrant(0),
            Op::Assign(0),
            Op::AddSecret,
            Op::RemoveSecret(deleted.clone()),
            Op::RestoreDeleted(deleted.clone()),
            Op::PurgeDeleted(deleted.clone()),
            Op::UpsertApp,
            Op::UpsertSp,
        ] {
            let task = Task {
                id: 1,
                work: Step { op: op.clone(), app: 0 },
                attempt: 0,
                spent: 0,
                not_before: 0,
                first_failure: None,
            };
            let out = apply(&task, &busy, &plan, &mut Default::default(), &Default::default(), 0);
            assert!(matches!(out, Outcome::Retry(Verdict::Throttled { .. })), "{op:?}");
        }
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
