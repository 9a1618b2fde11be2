//! When each credential last signed in, as Graph's beta report tells it:
//! `GET /beta/reports/appCredentialSignInActivities?$filter=appId eq '…'` (or `keyId eq '…'`), each item
//! `{ appId, appObjectId, keyId, keyType, credentialOrigin, expirationDateTime, signInActivity { lastSignInDateTime } }`
//! (learn.microsoft.com/graph/api/reportroot-list-appcredentialsigninactivities, resources/appcredentialsigninactivity;
//! AuditLog.Read.All, enforced in `scopes.rs`). Whether a credential never used is listed is not stated there: the
//! sandbox lists only those with a sign-in, so the registrar must read a missing key as "none recorded".

use serde_json::{json, Value};

use crate::directory::iso;
use crate::tenant::{Reply, Tenant};

impl Tenant {
    /// Records a sign-in with the credential `key_id` at `at_ms`. False when no live app holds that key.
    pub fn record_sign_in(&mut self, key_id: &str, at_ms: u64) -> bool {
        if !self.passwords.iter().any(|p| p.key_id.eq_ignore_ascii_case(key_id)) {
            return false;
        }
        self.sign_ins.retain(|(k, _)| !k.eq_ignore_ascii_case(key_id));
        self.sign_ins.push((key_id.to_string(), at_ms));
        true
    }

    /// Every secret of the app holding `unique_name` signed in at `at_ms`.
    pub fn sign_in_with_secrets(&mut self, unique_name: &str, at_ms: u64) -> bool {
        let Some(app) = self.apps.iter().find(|a| a.unique_name.as_deref() == Some(unique_name)) else { return false };
        let keys: Vec<String> = self.passwords.iter().filter(|p| p.app == app.id).map(|p| p.key_id.clone()).collect();
        keys.iter().all(|k| self.record_sign_in(k, at_ms)) && !keys.is_empty()
    }

    pub(crate) fn sign_in_routes(&self, method: &str, segs: &[&str], query: &str) -> Option<Reply> {
        if (method, segs) != ("GET", &["reports", "appCredentialSignInActivities"][..]) {
            return None;
        }
        let filter = query.split('&').find_map(|p| p.strip_prefix("$filter=")).map(crate::routes::percent_decode);
        let quoted = |s: &str| s.trim().strip_prefix('\'').and_then(|s| s.strip_suffix('\'')).map(str::to_string);
        let (by_app, by_key) = match filter.as_deref() {
            None => (None, None),
            Some(f) => {
                match (f.strip_prefix("appId eq ").and_then(quoted), f.strip_prefix("keyId eq ").and_then(quoted)) {
                    (None, None) => {
                        return Some(Reply::error(400, "Request_UnsupportedQuery", &format!("Unsupported query: {f}")))
                    }
                    pair => pair,
                }
            }
        };
        let mut list: Vec<Value> = vec![];
        for (key, at) in &self.sign_ins {
            let Some(p) = self.passwords.iter().find(|p| p.key_id.eq_ignore_ascii_case(key)) else { continue };
            let Some(app) = self.apps.iter().find(|a| a.id == p.app) else { continue };
            if by_app.as_deref().is_some_and(|a| !a.eq_ignore_ascii_case(&app.app_id))
                || by_key.as_deref().is_some_and(|k| !k.eq_ignore_ascii_case(key))
            {
                continue;
            }
            list.push(json!({
                "id": format!("{key}|application"),
                "appId": app.app_id, "appObjectId": app.id, "keyId": p.key_id, "keyType": "clientSecret",
                "keyUsage": "sign", "credentialOrigin": "application", "expirationDateTime": p.end,
                "signInActivity": { "lastSignInDateTime": iso(*at) },
            }));
        }
        Some(Reply::json(200, json!({ "value": list })))
    }
}
