//! App management policies: what the tenant allows for client secrets. The tenant-wide default
//! (`GET /policies/defaultAppManagementPolicy`, id all zeros, `isEnabled` false unless an admin turned it on) and an
//! `appManagementPolicy` applied to one app, which takes its place for that app; both need Policy.Read.All to read
//! (learn.microsoft.com/graph/api/resources/tenantappmanagementpolicy, …/appmanagementpolicy). Their
//! `passwordCredentials` restrictions (passwordCredentialConfiguration): `passwordAddition` blocks new secrets,
//! `passwordLifetime` caps them at `maxLifetime` (an ISO 8601 duration such as `P180D`); each applies while its
//! `state` is not `disabled` and to apps created after `restrictForAppsCreatedAfterDateTime`.
//! Graph's refusals when a secret breaks them (HTTP 400 on addPassword; OfficeDev/microsoft-365-agents-toolkit
//! fx-core aad constants): `CredentialInvalidLifetimeAsPerAppPolicy` "Credential lifetime exceeds the max value
//! allowed as per assigned policy '<id>'." and `CredentialTypeNotAllowedAsPerAppPolicy`.

use serde::Serialize;
use serde_json::Value;

/// The tenant default policy's id (tenantappmanagementpolicy).
pub const DEFAULT_POLICY_ID: &str = "00000000-0000-0000-0000-000000000000";
pub const LIFETIME_REFUSED: &str = "CredentialInvalidLifetimeAsPerAppPolicy";
pub const TYPE_REFUSED: &str = "CredentialTypeNotAllowedAsPerAppPolicy";

/// What one policy says about new client secrets for one app.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretRules {
    /// The policy the rules come from (all zeros: the tenant default).
    pub policy_id: String,
    pub policy_name: Option<String>,
    /// A `passwordAddition` restriction applies: no new secret may be added.
    pub secrets_blocked: bool,
    /// The longest lifetime a new secret may have, in seconds, when a `passwordLifetime` restriction applies.
    pub max_lifetime_seconds: Option<u64>,
    /// The policy's own words for it (`P180D`).
    pub max_lifetime: Option<String>,
}

/// An ISO 8601 duration (`P1Y2M10DT2H30M`, `P180D`, `PT36H`) in seconds, never more than it allows: a year counts
/// 365 days and a month 28, so a lifetime offered under it is never refused.
pub fn duration_seconds(s: &str) -> Option<u64> {
    let rest = s.strip_prefix('P')?;
    let (date, time) = rest.split_once('T').unwrap_or((rest, ""));
    let mut total = 0u64;
    let mut any = false;
    for (part, units) in [
        (date, &[('Y', 365 * 86_400), ('M', 28 * 86_400), ('W', 7 * 86_400), ('D', 86_400)][..]),
        (time, &[('H', 3600), ('M', 60), ('S', 1)][..]),
    ] {
        let mut number = String::new();
        let mut next = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let at = units[next..].iter().position(|(u, _)| *u == c)? + next;
            let value: f64 = number.parse().ok()?;
            total += (value * units[at].1 as f64) as u64;
            number.clear();
            next = at + 1;
            any = true;
        }
        if !number.is_empty() {
            return None;
        }
    }
    any.then_some(total)
}

/// The rules a policy body sets for a new secret on an app made at `app_created` (ISO 8601, when known). A
/// restriction dated after the app was made does not apply to it; an unknown creation date counts as applying.
pub fn secret_rules(policy: &Value, app_created: Option<&str>) -> SecretRules {
    let mut rules = SecretRules {
        policy_id: policy["id"].as_str().unwrap_or(DEFAULT_POLICY_ID).to_string(),
        policy_name: policy["displayName"].as_str().map(str::to_string),
        ..SecretRules::default()
    };
    // The tenant default is off unless enabled; a policy applied to an app has `isEnabled` too.
    if policy["isEnabled"].as_bool() == Some(false) {
        return rules;
    }
    // The tenant default nests them under applicationRestrictions; an app's policy under restrictions.
    let restrictions = if policy["applicationRestrictions"].is_object() {
        &policy["applicationRestrictions"]
    } else {
        &policy["restrictions"]
    };
    for r in restrictions["passwordCredentials"].as_array().into_iter().flatten() {
        let applies_from = r["restrictForAppsCreatedAfterDateTime"].as_str();
        // Both are UTC ISO 8601 from Graph: compared as text, second by second.
        let exempt = matches!((applies_from, app_created), (Some(from), Some(made)) if made[..made.len().min(19)] < from[..from.len().min(19)]);
        if r["state"].as_str() == Some("disabled") || exempt {
            continue;
        }
        match r["restrictionType"].as_str() {
            Some("passwordAddition") => rules.secrets_blocked = true,
            Some("passwordLifetime") => {
                rules.max_lifetime = r["maxLifetime"].as_str().map(str::to_string);
                rules.max_lifetime_seconds = rules.max_lifetime.as_deref().and_then(duration_seconds);
            }
            _ => {}
        }
    }
    rules
}

/// The policy id a refusal names (`… as per assigned policy '<id>'.`), when it names one.
pub fn refusing_policy(message: &str) -> Option<&str> {
    let start = message.find("policy '")? + "policy '".len();
    let len = message[start..].find('\'')?;
    Some(&message[start..start + len])
}

/// The sentence for Graph's refusal of a new secret by policy, or None for any other error.
pub fn refusal(code: &str, message: &str, rules: Option<&SecretRules>) -> Option<String> {
    let policy = match refusing_policy(message) {
        Some(DEFAULT_POLICY_ID) => "the tenant's default app management policy".to_string(),
        Some(id) => format!("the app management policy {id} applied to this app"),
        None => "an app management policy".to_string(),
    };
    match code {
        LIFETIME_REFUSED => {
            let max = rules.and_then(|r| r.max_lifetime.as_deref()).map(|m| format!(" (at most {m})")).unwrap_or_default();
            Some(format!(
                "{policy} allows client secrets a shorter lifetime{max}: choose a shorter one and run again; nothing was added"
            ))
        }
        TYPE_REFUSED => Some(format!(
            "{policy} does not allow client secrets on this app: use a certificate, or ask for an exemption; nothing was added"
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations_read_conservatively() {
        assert_eq!(duration_seconds("P180D"), Some(180 * 86_400));
        assert_eq!(duration_seconds("P4DT12H30M5S"), Some(4 * 86_400 + 12 * 3600 + 30 * 60 + 5));
        assert_eq!(duration_seconds("P6M"), Some(6 * 28 * 86_400));
        assert_eq!(duration_seconds("P1Y"), Some(365 * 86_400));
        assert_eq!(duration_seconds("PT36H"), Some(36 * 3600));
        for bad in ["", "P", "180D", "P1D2", "PDT", "P1H"] {
            assert_eq!(duration_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_policy_caps_or_blocks_secrets_for_apps_it_covers() {
        let policy = json!({"id": DEFAULT_POLICY_ID, "isEnabled": true, "applicationRestrictions": {"passwordCredentials": [
            {"restrictionType": "passwordLifetime", "maxLifetime": "P180D", "restrictForAppsCreatedAfterDateTime": "2025-01-01T00:00:00Z"},
            {"restrictionType": "passwordAddition", "state": "disabled"}
        ]}});
        let new = secret_rules(&policy, Some("2026-03-01T10:00:00Z"));
        assert_eq!(new.max_lifetime_seconds, Some(180 * 86_400));
        assert!(!new.secrets_blocked, "a disabled restriction does not apply");
        let old = secret_rules(&policy, Some("2024-06-01T10:00:00Z"));
        assert_eq!(old.max_lifetime_seconds, None, "made before the restriction's date");
        let off = secret_rules(
            &json!({"isEnabled": false, "applicationRestrictions": policy["applicationRestrictions"]}),
            None,
        );
        assert_eq!(off.max_lifetime_seconds, None);
        let app = json!({"id": "p1", "displayName": "No secrets", "restrictions": {"passwordCredentials": [{"restrictionType": "passwordAddition"}]}});
        assert!(secret_rules(&app, None).secrets_blocked);
    }

    #[test]
    fn refusals_name_the_policy_and_the_limit() {
        let message = "Credential lifetime exceeds the max value allowed as per assigned policy '00000000-0000-0000-0000-000000000000'.";
        let rules = SecretRules { max_lifetime: Some("P180D".into()), ..SecretRules::default() };
        let s = refusal(LIFETIME_REFUSED, message, Some(&rules)).unwrap();
        assert!(
            s.contains("default app management policy") && s.contains("P180D") && s.contains("nothing was added"),
            "{s}"
        );
        let s = refusal(TYPE_REFUSED, "Credential type not allowed as per assigned policy 'abc'.", None).unwrap();
        assert!(s.contains("policy abc") && s.contains("certificate"), "{s}");
        assert_eq!(refusal("Request_BadRequest", message, None), None);
    }
}
