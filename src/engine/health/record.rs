//! What the health check says of one app: its permissions against the plan, its consent against what the tenant
//! granted (grants added by hand included, as the portal's "Other permissions granted for {tenant}" shows them —
//! learn.microsoft.com/entra/identity-platform/quickstart-configure-app-access-web-apis), its credentials by expiry
//! and its owners. Pure: the job gathers, this compares.

use serde::Serialize;
use serde_json::Value;

use crate::catalog::Kind;
use crate::closed_set::closed_set;
use crate::engine::clock;
use crate::engine::provenance::{CredentialKind, Existing, Standing};
use crate::engine::verify::declared;
use crate::plan::{PlannedApp, PlannedPermission};

closed_set! {
    /// The app's declared permissions (`requiredResourceAccess`) against the plan's.
    #[derive(Default)]
    pub enum PermissionState {
        #[default]
        AsPlanned = "asPlanned",
        Drifted = "drifted",
    }
}

closed_set! {
    /// Tenant-wide consent to the planned permissions.
    #[derive(Default)]
    pub enum ConsentState {
        Complete = "complete",
        Partial = "partial",
        #[default]
        Missing = "missing",
        /// The plan asks for no consent and none is granted.
        NotRequested = "notRequested",
    }
}

closed_set! {
    /// A credential's end date against the check's time.
    pub enum Expiry {
        Expired = "expired",
        /// Ends within the warning window (30 days unless the caller says otherwise).
        Expiring = "expiring",
        Ok = "ok",
        /// Graph gave no end date the check could read.
        Unknown = "unknown",
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Permissions {
    pub state: PermissionState,
    /// Planned permissions the app does not declare, by value (`Mail.Send`).
    pub missing: Vec<String>,
    /// Declared permissions the plan does not have, by value where known, else `resourceAppId/id (Scope|Role)`.
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    pub state: ConsentState,
    /// Planned permissions without tenant-wide consent.
    pub missing: Vec<String>,
    /// Granted tenant-wide but not planned (added by hand, or left from an older plan).
    pub extra: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CredentialHealth {
    pub key_id: String,
    pub hint: Option<String>,
    pub display_name: Option<String>,
    pub end_date_time: Option<String>,
    pub state: Expiry,
    /// Whole days until it ends (negative once it ended).
    pub days_left: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OwnerRef {
    pub id: String,
    pub display_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppHealth {
    pub key: String,
    pub display_name: String,
    pub app_id: Option<String>,
    pub object_id: Option<String>,
    pub found: bool,
    /// False for an app carrying the product's tag that the plan no longer has.
    pub in_plan: bool,
    /// Whose the app is by the provenance rule: a foreign one is reported, never renewed or fixed until adopted.
    pub standing: Option<Standing>,
    pub service_principal: bool,
    pub permissions: Permissions,
    pub consent: Consent,
    pub secrets: Vec<CredentialHealth>,
    pub certificates: Vec<CredentialHealth>,
    pub owners: Vec<OwnerRef>,
}

/// What the tenant granted the app's service principal: delegated scopes and app roles, each with its resource's
/// service principal id.
#[derive(Debug, Clone, Default)]
pub struct Granted {
    pub scopes: Vec<(String, String)>,
    pub roles: Vec<(String, String)>,
}

const DAY_MS: i64 = 86_400_000;

pub fn credential(end: Option<&str>, now: u64, warn_days: u32) -> (Expiry, Option<i64>) {
    let Some(end) = end.and_then(clock::parse_iso) else { return (Expiry::Unknown, None) };
    let left = end as i64 - now as i64;
    let state = if left <= 0 {
        Expiry::Expired
    } else if left <= i64::from(warn_days) * DAY_MS {
        Expiry::Expiring
    } else {
        Expiry::Ok
    };
    (state, Some(left.div_euclid(DAY_MS)))
}

/// The credentials of an app read with `provenance::QUERY`, secrets and certificates apart, soonest end first.
pub fn credentials(e: &Existing, now: u64, warn_days: u32) -> (Vec<CredentialHealth>, Vec<CredentialHealth>) {
    let mut split = (vec![], vec![]);
    for c in &e.credentials {
        let (state, days_left) = credential(c.end_date_time.as_deref(), now, warn_days);
        let h = CredentialHealth {
            key_id: c.key_id.clone(),
            hint: c.hint.clone(),
            display_name: c.display_name.clone(),
            end_date_time: c.end_date_time.clone(),
            state,
            days_left,
        };
        if c.kind == CredentialKind::Password {
            split.0.push(h);
        } else {
            split.1.push(h);
        }
    }
    let soonest = |a: &CredentialHealth, b: &CredentialHealth| {
        a.days_left.unwrap_or(i64::MAX).cmp(&b.days_left.unwrap_or(i64::MAX))
    };
    crate::order::sort_by(&mut split.0, soonest);
    crate::order::sort_by(&mut split.1, soonest);
    split
}

/// A permission's name for the admin: the plan's value when the plan knows its id, else resource/id and type.
fn name_of(known: &[&PlannedPermission], resource: &str, id: &str, kind: &str) -> String {
    known
        .iter()
        .find(|p| p.resource_app_id.eq_ignore_ascii_case(resource) && p.id.eq_ignore_ascii_case(id))
        .map(|p| p.value.clone())
        .unwrap_or_else(|| format!("{resource}/{id} ({kind})"))
}

/// `requiredResourceAccess` against the plan. `known` is every permission of the whole plan, to name extras.
pub fn permissions(planned: Option<&PlannedApp>, app: &Value, known: &[&PlannedPermission]) -> Permissions {
    let declared = declared(app);
    let wanted = |p: &PlannedPermission| {
        (p.resource_app_id.to_ascii_lowercase(), p.id.to_ascii_lowercase(), p.kind.graph_type().to_string())
    };
    let plan: Vec<&PlannedPermission> = planned.map(|a| a.permissions.iter().collect()).unwrap_or_default();
    let missing: Vec<String> =
        plan.iter().filter(|p| !declared.contains(&wanted(p))).map(|p| p.value.clone()).collect();
    let extra: Vec<String> = declared
        .iter()
        .filter(|d| !plan.iter().any(|p| wanted(p) == **d))
        .map(|(r, id, t)| name_of(known, r, id, t))
        .collect();
    let state =
        if missing.is_empty() && extra.is_empty() { PermissionState::AsPlanned } else { PermissionState::Drifted };
    Permissions { state, missing, extra }
}

/// Tenant-wide consent against the plan. `resource_sp` maps a resource's appId to its service principal id here.
pub fn consent(
    planned: Option<&PlannedApp>,
    granted: &Granted,
    resource_sp: &dyn Fn(&str) -> Option<String>,
    known: &[&PlannedPermission],
) -> Consent {
    let mut missing = vec![];
    let mut covered_scopes = vec![];
    let mut covered_roles = vec![];
    let wants_consent = planned.is_some_and(|a| a.grant_admin_consent);
    for p in planned.map(|a| a.permissions.as_slice()).unwrap_or_default() {
        let sp = resource_sp(&p.resource_app_id).unwrap_or_default();
        let held = match p.kind {
            Kind::Delegated => {
                granted.scopes.iter().position(|(r, s)| *r == sp && *s == p.value).map(|i| covered_scopes.push(i))
            }
            Kind::Application => granted
                .roles
                .iter()
                .position(|(r, id)| *r == sp && id.eq_ignore_ascii_case(&p.id))
                .map(|i| covered_roles.push(i)),
        };
        if held.is_none() && wants_consent {
            missing.push(p.value.clone());
        }
    }
    // Extras are named by value for scopes (the grant holds names) and through the plan's table for roles.
    let mut extra: Vec<String> = granted
        .scopes
        .iter()
        .enumerate()
        .filter(|(i, _)| !covered_scopes.contains(i))
        .map(|(_, (_, s))| s.clone())
        .collect();
    extra.extend(granted.roles.iter().enumerate().filter(|(i, _)| !covered_roles.contains(i)).map(|(_, (r, id))| {
        known
            .iter()
            .find(|p| {
                p.kind == Kind::Application
                    && p.id.eq_ignore_ascii_case(id)
                    && resource_sp(&p.resource_app_id).as_deref() == Some(r.as_str())
            })
            .map(|p| p.value.clone())
            .unwrap_or_else(|| format!("{r}/{id} (Role)"))
    }));
    let planned_count = planned.map_or(0, |a| a.permissions.len());
    let state = match (wants_consent, missing.len()) {
        (false, _) => ConsentState::NotRequested,
        (true, 0) => ConsentState::Complete,
        (true, m) if m == planned_count => ConsentState::Missing,
        _ => ConsentState::Partial,
    };
    Consent { state, missing, extra }
}
