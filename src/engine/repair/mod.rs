//! Drift fixed in one click: what a health check found drifted is shown change by change before anything is
//! written, then re-applied through the registration engine (`register/`) restricted to those apps — it updates a
//! vetted app by its object id, adds the missing consent and never adds a secret to an app that exists. Grants found
//! beyond the plan (added by hand, like the portal's "Other permissions granted for {tenant}") are left alone unless
//! the admin ticks each for removal; removing them is `extras.rs`. The provenance rule stays: an app that is not
//! the tool's own or adopted gets nothing, and the fix says so.

mod extras;
mod fix;

use serde::Serialize;
use serde_json::Value;

use crate::closed_set::closed_set;
use crate::engine::health::AppHealth;
use crate::engine::provenance::Standing;
use crate::error::{Code, Error, Result};
use crate::json::{self, Node};
use crate::plan::Plan;
pub use fix::{FixJob, Fixed};

closed_set! {
    /// Where an extra was found: declared in the registration (`requiredResourceAccess`), or granted tenant-wide.
    pub enum ExtraSource {
        Declared = "declared",
        Granted = "granted",
    }
}

closed_set! {
    /// Why a drifted app gets no fix.
    pub enum SkipReason {
        /// Not provably the tool's own and not adopted: the provenance rule gives it nothing.
        Foreign = "foreign",
        /// Not in the tenant: registering it is a registration, not a fix.
        NotFound = "notFound",
        /// Carries the product's tag but the plan no longer has it: there is nothing to re-apply.
        NotInPlan = "notInPlan",
    }
}

/// A permission beyond the plan, by the name the health check gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Extra {
    pub source: ExtraSource,
    pub name: String,
}

/// What a fix will change on one app, by Graph's names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppChanges {
    pub key: String,
    pub display_name: String,
    /// Planned permissions added back to the registration's `requiredResourceAccess`.
    pub add_permissions: Vec<String>,
    /// Delegated scopes granted tenant-wide again.
    pub grant_scopes: Vec<String>,
    /// Application permissions (app roles) assigned again.
    pub grant_roles: Vec<String>,
    /// Found beyond the plan: each stays unless the admin ticks it for removal.
    pub extras: Vec<Extra>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Skipped {
    pub key: String,
    pub display_name: String,
    pub reason: SkipReason,
    /// Why, in the engine's words (a foreign app's owners, for one).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The preview: per drifted app what will change, and the drifted apps that get nothing and why.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DriftFix {
    pub applications: Vec<AppChanges>,
    pub skipped: Vec<Skipped>,
}

/// One extra the admin ticked for removal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub key: String,
    pub source: ExtraSource,
    pub name: String,
}

/// As much of a health record as the fix reads.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub key: String,
    pub display_name: String,
    pub found: bool,
    pub in_plan: bool,
    pub standing: Option<Standing>,
    pub app_id: Option<String>,
    pub permissions_missing: Vec<String>,
    pub permissions_extra: Vec<String>,
    pub consent_missing: Vec<String>,
    pub consent_extra: Vec<String>,
}

impl From<&AppHealth> for Seen {
    fn from(h: &AppHealth) -> Seen {
        Seen {
            key: h.key.clone(),
            display_name: h.display_name.clone(),
            found: h.found,
            in_plan: h.in_plan,
            standing: h.standing,
            app_id: h.app_id.clone(),
            permissions_missing: h.permissions.missing.clone(),
            permissions_extra: h.permissions.extra.clone(),
            consent_missing: h.consent.missing.clone(),
            consent_extra: h.consent.extra.clone(),
        }
    }
}

/// A health report as `health()` returned it (its `applications`), read with the field path in every error.
pub fn read_health(value: &Value) -> Result<Vec<Seen>> {
    Node::new(value, "health").fields()?.list("applications", seen)
}

fn seen(n: Node) -> Result<Seen> {
    let f = n.fields()?;
    let standing = match f.opt_string("standing")? {
        None => None,
        Some(w) => Some(Standing::parse(&w).ok_or_else(|| {
            let field = f.path("standing");
            Error::new(Code::InvalidInput, &field, format!("`{field}` must be one of {:?}", Standing::WORDS))
        })?),
    };
    let part = |key: &str, list: &str| -> Result<Vec<String>> {
        Ok(f.opt(key, |p| p.fields()?.strings(list))?.unwrap_or_default())
    };
    Ok(Seen {
        key: f.string("key")?,
        display_name: f.opt_string("displayName")?.unwrap_or_default(),
        found: f.boolean("found")?,
        in_plan: f.opt_bool("inPlan")?.unwrap_or(true),
        standing,
        app_id: f.opt_string("appId")?,
        permissions_missing: part("permissions", "missing")?,
        permissions_extra: part("permissions", "extra")?,
        consent_missing: part("consent", "missing")?,
        consent_extra: part("consent", "extra")?,
    })
}

/// The ticks of `removeExtras`: `[{ key, source, name }]`, each naming an extra the preview lists.
pub fn read_ticks(value: &Value, preview: &DriftFix) -> Result<Vec<Tick>> {
    json::items(Node::new(value, "removeExtras"), |item| {
        let f = item.object(&["key", "source", "name"])?;
        let source_word = f.string("source")?;
        let source = ExtraSource::parse(&source_word).ok_or_else(|| {
            let field = f.path("source");
            Error::new(Code::InvalidInput, &field, format!("`{field}` must be one of {:?}", ExtraSource::WORDS))
        })?;
        let tick = Tick { key: f.string("key")?, source, name: f.string("name")? };
        let listed = preview
            .applications
            .iter()
            .any(|a| a.key == tick.key && a.extras.iter().any(|e| e.source == tick.source && e.name == tick.name));
        if !listed {
            let field = item.path().to_string();
            let message = format!(
                "`{field}` must name an extra the fix lists for a drifted app it may change, got {} {} on {}",
                tick.source, tick.name, tick.key
            );
            return Err(Error::new(Code::InvalidInput, field, message));
        }
        Ok(tick)
    })
}

fn drifted(s: &Seen) -> bool {
    [&s.permissions_missing, &s.permissions_extra, &s.consent_missing, &s.consent_extra].iter().any(|l| !l.is_empty())
}

/// What a fix of `plan` would change, from a health check of it. Pure: nothing is read or written.
pub fn preview(plan: &Plan, health: &[Seen]) -> DriftFix {
    let mut out = DriftFix::default();
    for s in health.iter().filter(|s| drifted(s) || (!s.found && s.in_plan)) {
        let planned = plan.applications.iter().find(|a| a.key == s.key).filter(|_| s.in_plan);
        let reason = match (planned, s.found, s.standing) {
            (None, _, _) => Some(SkipReason::NotInPlan),
            (_, false, _) => Some(SkipReason::NotFound),
            (_, _, Some(Standing::Ours | Standing::Adopted)) => None,
            _ => Some(SkipReason::Foreign),
        };
        let skip = |reason| Skipped { key: s.key.clone(), display_name: s.display_name.clone(), reason, detail: None };
        let Some(app) = planned.filter(|_| reason.is_none()) else {
            out.skipped.push(skip(reason.unwrap_or(SkipReason::Foreign)));
            continue;
        };
        let kind_of = |value: &String, want: crate::catalog::Kind| {
            app.permissions.iter().any(|p| p.value == *value && p.kind == want)
        };
        // An app registered by hand keeps what it declared (the engine only adds to it), so its declarations are
        // not offered for removal.
        let mut extras: Vec<Extra> = vec![];
        if app.target_app_id.is_none() {
            extras.extend(s.permissions_extra.iter().map(|n| Extra { source: ExtraSource::Declared, name: n.clone() }));
        }
        extras.extend(s.consent_extra.iter().map(|n| Extra { source: ExtraSource::Granted, name: n.clone() }));
        // A name granted twice (a scope repeated in a grant, or on two resources) is one tick: it removes each.
        let mut seen_extras: Vec<Extra> = vec![];
        extras.retain(|e| {
            let first = !seen_extras.contains(e);
            seen_extras.push(e.clone());
            first
        });
        let changes = AppChanges {
            key: s.key.clone(),
            display_name: s.display_name.clone(),
            add_permissions: s.permissions_missing.clone(),
            grant_scopes: s
                .consent_missing
                .iter()
                .filter(|v| kind_of(v, crate::catalog::Kind::Delegated))
                .cloned()
                .collect(),
            grant_roles: s
                .consent_missing
                .iter()
                .filter(|v| kind_of(v, crate::catalog::Kind::Application))
                .cloned()
                .collect(),
            extras,
        };
        let empty =
            [&changes.add_permissions, &changes.grant_scopes, &changes.grant_roles].iter().all(|l| l.is_empty());
        if !empty || !changes.extras.is_empty() {
            out.applications.push(changes);
        }
    }
    out
}
