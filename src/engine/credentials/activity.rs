//! When each secret and certificate of an app was last used to sign in, by key id: the only Graph signal that the
//! consumer switched to a renewed secret (Microsoft's renewal recipe: "use … sign-in logs to validate that the Key
//! ID … matches the one that was recently added", entra-docs recommendation-renew-expiring-application-credential).
//!
//! `GET /beta/reports/appCredentialSignInActivities?$filter=appId eq '…'` (reportroot-list-appcredentialsigninactivities,
//! beta only; `$filter` by appId or keyId is what its examples show, so one request per app). Least privileged
//! delegated scope AuditLog.Read.All (higher Directory.Read.All), and the signed-in user needs Reports Reader,
//! Security Reader or Security Administrator (same page). A v1.0 `$batch` cannot carry a beta URL (json-batching)
//! and the driver sends one request at a time, so this is its own read — one round trip per app — which the
//! renewal view asks for; the health check's two round trips stay two. Unreadable (a 403, a missing scope, a
//! tenant without the report) is said in words, never an empty list that reads as "never used".

use serde::Serialize;
use serde_json::Value;

use crate::engine::http::{error_of, relative, Caller, ItemResponse, Method, Request, Response};
use crate::engine::job::{Action, Job};
use crate::engine::journal::Journal;
use crate::engine::report::Event;
use crate::engine::retry::{self, Verdict};
use crate::engine::settings::Settings;
use crate::microsoft::scopes::Call;
use crate::odata::escape;

/// The report's path under `/beta` (reportroot-list-appcredentialsigninactivities).
pub const ACTIVITY_PATH: &str = "/reports/appCredentialSignInActivities";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyActivity {
    pub app_id: String,
    pub key_id: String,
    /// `clientSecret` or `certificate` (appcredentialsigninactivity: keyType).
    pub key_type: Option<String>,
    /// `application` or `servicePrincipal`: where the credential is kept.
    pub credential_origin: Option<String>,
    pub expiration_date_time: Option<String>,
    /// The last sign-in with this key; none in the report's window when absent.
    pub last_sign_in_date_time: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialActivity {
    /// Whether the report could be read for every app asked about; `note` says why not.
    pub readable: bool,
    pub note: Option<String>,
    /// The least scopes the session lacks for it, when that is why (for a page to say in its own language).
    pub missing_scopes: Vec<String>,
    /// Graph's status when Graph refused it.
    pub status: Option<u16>,
    /// Refused because the tenant lacks the licence sign-in reports need (Microsoft Entra ID P1 or P2).
    pub license_required: bool,
    pub keys: Vec<KeyActivity>,
    pub round_trips: u32,
}

pub struct ActivityJob {
    /// Apps still to read, the first one next.
    app_ids: Vec<String>,
    /// The next page of the app being read.
    next: Option<String>,
    out: CredentialActivity,
    in_flight: bool,
    need_token: bool,
    attempt: u32,
    not_before: u64,
    max_attempts: u32,
    rng: fastrand::Rng,
    caller: Caller,
}

impl ActivityJob {
    pub fn new(app_ids: Vec<String>) -> ActivityJob {
        let settings = Settings::default();
        ActivityJob {
            app_ids,
            next: None,
            out: CredentialActivity { readable: true, ..Default::default() },
            in_flight: false,
            need_token: false,
            attempt: 0,
            not_before: 0,
            max_attempts: settings.max_attempts.max(1),
            rng: fastrand::Rng::with_seed(settings.seed),
            caller: Caller::default(),
        }
    }

    fn url(&self) -> Option<String> {
        if let Some(next) = &self.next {
            return Some(next.clone());
        }
        let app = self.app_ids.first()?;
        let filter = format!("appId eq '{}'", escape(app)).replace(' ', "%20");
        Some(format!("{ACTIVITY_PATH}?$filter={filter}"))
    }

    /// Done with the app being read (read, or said unreadable).
    fn next_app(&mut self) {
        self.next = None;
        self.attempt = 0;
        if !self.app_ids.is_empty() {
            self.app_ids.remove(0);
        }
    }

    fn unreadable(&mut self, why: String, status: Option<u16>, missing: &[&str]) {
        self.out.readable = false;
        self.out.status = self.out.status.or(status);
        if self.out.missing_scopes.is_empty() {
            self.out.missing_scopes = missing.iter().map(|s| s.to_string()).collect();
        }
        self.out.note.get_or_insert(why);
        // What refused one app refuses the rest: the same token, role and tenant.
        self.app_ids.clear();
        self.next = None;
    }

    fn read(&mut self, body: &Value) {
        for a in body["value"].as_array().into_iter().flatten() {
            let text = |k: &str| a[k].as_str().map(str::to_string);
            self.out.keys.push(KeyActivity {
                app_id: text("appId").unwrap_or_default(),
                key_id: text("keyId").unwrap_or_default(),
                key_type: text("keyType"),
                credential_origin: text("credentialOrigin"),
                // The resource names it expirationDateTime; the list example answers expirationDate.
                expiration_date_time: text("expirationDateTime").or_else(|| text("expirationDate")),
                last_sign_in_date_time: a["signInActivity"]["lastSignInDateTime"].as_str().map(str::to_string),
            });
        }
        match body["@odata.nextLink"].as_str() {
            Some(link) => {
                self.next = Some(relative(link));
                self.attempt = 0;
            }
            None => self.next_app(),
        }
    }
}

/// "Neither tenant is B2C or tenant doesn't have premium license: Accessing sign-in reports requires a Microsoft
/// Entra ID P1 or P2 license." (learn.microsoft.com/entra/identity/monitoring-health/
/// howto-analyze-activity-logs-with-microsoft-graph, common errors).
fn unlicensed(message: &str) -> bool {
    message.to_ascii_lowercase().contains("doesn't have premium license")
}

/// Why the report could not be read, in words: the scope, the licence, the role, or Graph's own.
fn refusal(status: u16, code: &str, message: &str, missing: &[&str]) -> String {
    let cause = if unlicensed(message) {
        "sign-in reports need a Microsoft Entra ID P1 or P2 licence".to_string()
    } else if !missing.is_empty() {
        format!("the session lacks {}", missing.join(", "))
    } else if status == 403 {
        "reading it needs AuditLog.Read.All and the Reports Reader, Security Reader or Security Administrator role"
            .to_string()
    } else {
        "the tenant did not answer it".to_string()
    };
    format!("the credentials' last sign-ins could not be read ({cause}; HTTP {status} {code}: {message})")
}

impl Job for ActivityJob {
    type Output = CredentialActivity;

    fn poll(&mut self, now: u64) -> Action<CredentialActivity> {
        if self.need_token {
            return Action::NeedToken;
        }
        if self.in_flight {
            return Action::Wait { ms: 0 };
        }
        // A token that lists its scopes and none that reads the report: said without asking.
        let missing = Call::ReadCredentialActivity.missing(&self.caller.scopes);
        if !self.caller.scopes.is_empty() && !missing.is_empty() && !self.app_ids.is_empty() {
            let list = missing.join(", ");
            let why = format!("the credentials' last sign-ins could not be read: the session lacks {list}");
            self.unreadable(why, None, &missing);
        }
        let Some(url) = self.url() else { return Action::Done(std::mem::take(&mut self.out)) };
        if now < self.not_before {
            return Action::Wait { ms: self.not_before - now };
        }
        self.in_flight = true;
        self.out.round_trips += 1;
        Action::Send(Request { method: Method::Get, url, headers: vec![], body: None, beta: true })
    }

    fn on_response(&mut self, response: Response, now: u64) {
        self.in_flight = false;
        let reply = match response {
            Response::Http { status, retry_after, body } => ItemResponse { status, retry_after, body },
            Response::NetworkError(_) => ItemResponse { status: 503, retry_after: None, body: Value::Null },
        };
        let verdict = retry::classify(&reply, now);
        let again = self.attempt + 1 < self.max_attempts;
        match verdict {
            Verdict::Ok => self.read(&reply.body),
            Verdict::NeedToken if again => {
                self.attempt += 1;
                self.need_token = true;
            }
            Verdict::Throttled { after_ms } if again => {
                self.not_before = now + after_ms.unwrap_or_else(|| retry::backoff_ms(self.attempt, &mut self.rng));
                self.attempt += 1;
            }
            _ => {
                let (code, message) = error_of(&reply.body);
                let missing = Call::ReadCredentialActivity.missing(&self.caller.scopes);
                let missing = if self.caller.scopes.is_empty() { vec![] } else { missing };
                self.out.license_required |= unlicensed(&message);
                self.unreadable(refusal(reply.status, &code, &message, &missing), Some(reply.status), &missing);
            }
        }
    }

    fn token_refreshed(&mut self) {
        self.need_token = false;
    }

    fn drain_events(&mut self) -> Vec<Event> {
        Vec::new()
    }

    fn journal(&self) -> Option<Journal> {
        None
    }

    fn caller(&mut self, caller: &Caller) {
        self.caller = caller.clone();
    }
}
