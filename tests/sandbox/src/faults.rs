//! Seeded fault injection: each request draws from one RNG, so a schedule is reproducible from its seed.

/// Rates are per request (0.0–1.0); times in milliseconds of the caller's clock.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    /// 429 with Retry-After (seconds).
    pub throttle: f64,
    pub retry_after_s: u64,
    /// 500/503/504, after or before acting (like a real outage, the caller cannot tell which).
    pub server_error: f64,
    /// The connection drops, before or after the request took effect.
    pub drop: f64,
    /// New applications and service principals stay invisible to dependent calls this long.
    pub replication_ms: u64,
    /// A soft-deleted application cannot be deleted permanently this long after its soft delete: the purge
    /// answers 404 and the item stays in deleted items, holding its uniqueName (`deleted.rs`).
    pub purge_lag_ms: u64,
    /// A request is refused with 401 (the token "expired").
    pub expire_token: f64,
    /// Added to every HTTP exchange by the server (not by in-process calls).
    pub latency_ms: u64,
    /// A credential write (addPassword, removePassword) is refused with the concurrency 409 at this rate
    /// (`concurrency.rs`), besides the close writes that always are.
    pub concurrency: f64,
    /// A credential write this close after another on the same application is refused with the concurrency
    /// 409; 0 still refuses a second one in the same `$batch`.
    pub credential_spacing_ms: u64,
}

impl Faults {
    pub fn none() -> Faults {
        Faults { retry_after_s: 1, ..Faults::default() }
    }

    /// A random schedule for soak runs.
    pub fn random(rng: &mut fastrand::Rng) -> Faults {
        let rate = |rng: &mut fastrand::Rng, max: f64| if rng.bool() { rng.f64() * max } else { 0.0 };
        Faults {
            throttle: rate(rng, 0.3),
            retry_after_s: rng.u64(0..4),
            server_error: rate(rng, 0.2),
            drop: rate(rng, 0.2),
            replication_ms: if rng.bool() { rng.u64(0..60_000) } else { 0 },
            purge_lag_ms: 0,
            expire_token: rate(rng, 0.05),
            latency_ms: 0,
            // Every schedule: Graph's answer to close credential writes can meet any of them.
            concurrency: rng.f64() * 0.5,
            credential_spacing_ms: if rng.bool() { rng.u64(0..3_000) } else { 0 },
        }
    }
}
