//! Renewing a client secret without downtime, in three separate jobs the admin drives one at a time:
//!
//! 1. [`SecretPolicyJob`] (read): the app's secrets, and the lifetimes the tenant's app management policies allow a
//!    new one (`microsoft/app_policy.rs`) — or that they could not be read, and why.
//! 2. [`RenewJob`] (write): adds one new secret beside the old ones — the consumer keeps working on the old one until
//!    it is switched (Microsoft's renewal recipe: add, switch, check the key id in use, then remove; entra-docs
//!    recommendation-renew-expiring-application-credential).
//! 3. [`RetireJob`] (write): removes one old secret, only when asked, and never the app's last one.
//!
//! Beside them, [`ActivityJob`] (read, optional): when each key id last signed in, so the admin sees the switch
//! to the new secret before removing the old.
//!
//! Each reads the app by its key first and writes only to an app that is the tool's own or adopted (the provenance
//! rule, `provenance.rs`): a foreign app stops the job with its owners and credentials, nothing written.

mod activity;
mod policy;
mod renew;
mod retire;

pub use activity::{ActivityJob, CredentialActivity, KeyActivity, ACTIVITY_PATH};
pub use policy::{lifetimes_for_new_app, SecretLifetimes, SecretPolicy, SecretPolicyJob};
pub use renew::{RenewJob, Renewal};
pub use retire::{RetireJob, Retired};

use serde_json::Value;

use super::discovery::app_url;
use super::http::ItemResponse;
use super::provenance::{self, Existing, History, Standing};
use super::report::{Stop, StopKind};
use crate::plan::PlannedApp;

/// Lifetimes offered for a new secret, in months: the portal's presets (90, 180, 365, 545, 730 days — entra-docs
/// how-to-add-credentials) as whole months, 24 being the portal's limit.
pub const PRESET_MONTHS: [u32; 5] = [3, 6, 12, 18, 24];

/// Who's the app is, from its read: a foreign app stops the job (its owners and credentials in the stop).
fn vetted(
    app: &PlannedApp,
    reply: &ItemResponse,
    me: Option<&str>,
    history: &History,
    adopt: &[String],
) -> Result<Existing, Stop> {
    if reply.status == 404 {
        let message = format!("{} is not in this tenant: register it first", app.key);
        return Err(Stop::new(StopKind::Failed, Some(app.key.clone()), message));
    }
    if !(200..300).contains(&reply.status) {
        let (code, message) = super::http::error_of(&reply.body);
        return Err(Stop::new(
            StopKind::Failed,
            Some(app.key.clone()),
            format!("reading the application failed: HTTP {} {code}: {message}", reply.status),
        ));
    }
    let mut existing = provenance::read(&app.key, &reply.body);
    if app.target_app_id.is_some() {
        existing.standing = Standing::Adopted;
    } else {
        provenance::judge(&mut existing, me, history, adopt);
    }
    if existing.standing == Standing::Foreign {
        let mut stop = Stop::new(StopKind::ForeignApps, Some(app.key.clone()), provenance::describe(&existing));
        stop.foreign = Box::new([existing]);
        return Err(stop);
    }
    Ok(existing)
}

/// The secrets (passwordCredentials) of an application body, by key id.
fn secret_ids(body: &Value) -> Vec<String> {
    body["passwordCredentials"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|c| c["keyId"].as_str().map(str::to_string))
        .collect()
}
