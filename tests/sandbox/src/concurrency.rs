//! Credential writes made close together on one application answer `409 Directory_ConcurrencyViolation` "Error
//! due to concurrent requests being made to the tenant. Please wait briefly and retry." (nais/azurerator#448, where
//! Microsoft advised spacing credential writes; microsoft/fhir-server `ClientSecretConcurrency.Tests.ps1` retries
//! it; azure-cli#23081 shows it surfacing as a 503). Modelled: a credential write on an application whose last
//! credential write went through within `Faults::credential_spacing_ms` is refused — at 0, one in the same
//! `$batch`, whose requests are handled at one instant — and any credential write at the `Faults::concurrency`
//! rate. A refused write changes nothing.

use crate::tenant::{Reply, Tenant};

const CODE: &str = "Directory_ConcurrencyViolation";
const MESSAGE: &str = "Error due to concurrent requests being made to the tenant. Please wait briefly and retry.";

/// The application object id of a credential write (`POST /applications/{id}/addPassword|removePassword`).
fn credential_app<'a>(method: &str, url: &'a str) -> Option<&'a str> {
    let path = url.split('?').next().unwrap_or(url);
    match path.trim_start_matches('/').split('/').collect::<Vec<_>>().as_slice() {
        ["applications", id, "addPassword" | "removePassword"] if method == "POST" => Some(id),
        _ => None,
    }
}

impl Tenant {
    /// The 409 for a credential write too close to the last one on its application, or drawn at the fault rate.
    pub(crate) fn concurrent_credential_write(&mut self, method: &str, url: &str, now: u64) -> Option<Reply> {
        let app = credential_app(method, url)?;
        let spacing = self.faults.credential_spacing_ms;
        let close = self.credential_writes.iter().any(|(a, at)| a == app && now.saturating_sub(*at) <= spacing);
        let drawn = self.faults.concurrency > 0.0 && self.rng.f64() < self.faults.concurrency;
        if !(close || drawn) {
            return None;
        }
        self.note("concurrency: credential write 409 Directory_ConcurrencyViolation");
        Some(Reply::error(409, CODE, MESSAGE))
    }

    /// Remembers a credential write that went through.
    pub(crate) fn credential_written(&mut self, method: &str, url: &str, now: u64) {
        if let Some(app) = credential_app(method, url) {
            let app = app.to_string();
            self.credential_writes.retain(|(a, _)| *a != app);
            self.credential_writes.push((app, now));
        }
    }
}
