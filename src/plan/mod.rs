//! The planner: a request plus a catalog becomes one entry per Entra application, each carrying the exact
//! Microsoft Graph `application` body and the consent to grant. Pure and deterministic: the same request always
//! yields the same plan, so re-running addresses the same apps.

mod check;
mod naming;
mod read;
mod redirect;
mod request;
mod warnings;

use serde::Serialize;

use crate::catalog::{Catalog, Component, Kind};
use crate::error::{Code, Error, Result};
use crate::graph::{Application, RedirectSettings, RequiredResourceAccess, ResourceAccess, SIGN_IN_AUDIENCE};

pub use naming::{key_stem, MAX_DISPLAY_NAME, MAX_KEY, PRODUCT_TAG};
pub use request::{ComponentRequest, Options, PlanRequest, RedirectUris, DEFAULT_PREFIX};
pub use warnings::{Warning, WarningCode};

/// Instances per multi-instance component; more is almost certainly a typo (and a throttling risk).
pub const MAX_INSTANCES: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    /// The catalog profile the plan was made from.
    pub profile: String,
    pub prefix: String,
    pub grant_admin_consent: bool,
    pub applications: Vec<PlannedApp>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedApp {
    /// The Graph `uniqueName` the app is upserted by, e.g. `lucs-cr-2`.
    pub key: String,
    pub component: String,
    pub component_name: String,
    /// Instance label for multi-instance components, otherwise null.
    pub instance: Option<String>,
    pub display_name: String,
    /// The exact Microsoft Graph `application` body.
    pub application: Application,
    pub permissions: Vec<PlannedPermission>,
    /// One tenant-wide (AllPrincipals) oauth2PermissionGrant per resource with delegated permissions.
    pub delegated_grants: Vec<DelegatedGrant>,
    /// One app role assignment per application permission.
    pub app_role_assignments: Vec<AppRoleAssignment>,
    pub grant_admin_consent: bool,
    pub create_secret: bool,
    pub secret_lifetime_months: u32,
    /// Set to apply this app's permissions and consent onto an application that already exists (registered by
    /// hand), addressed by its Application ID: only its requiredResourceAccess is extended, nothing renamed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_app_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PlannedPermission {
    pub resource_app_id: String,
    pub value: String,
    pub kind: Kind,
    pub id: String,
    pub admin_consent_required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DelegatedGrant {
    pub resource_app_id: String,
    /// Space-separated scope values, as oauth2PermissionGrant.scope wants them.
    pub scope: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppRoleAssignment {
    pub resource_app_id: String,
    pub app_role_id: String,
    pub value: String,
}

impl Plan {
    /// Every resource (API) the plan's permissions point at, sorted: the service principals to look up.
    pub fn resource_app_ids(&self) -> Vec<&str> {
        let mut ids: Vec<&str> =
            self.applications.iter().flat_map(|a| a.permissions.iter().map(|p| p.resource_app_id.as_str())).collect();
        crate::order::sort_dedup(&mut ids);
        ids
    }
}

/// Builds the plan, or the first error with the field that caused it.
pub fn plan(request: &PlanRequest, catalog: &Catalog) -> Result<Plan> {
    let prefix = request.prefix.as_deref().unwrap_or(DEFAULT_PREFIX);
    naming::check_prefix(prefix)?;
    let options = &request.options;
    let lifetime = options.secret_lifetime_months;
    if !(1..=request::MAX_SECRET_LIFETIME_MONTHS).contains(&lifetime) {
        return Err(Error::new(
            Code::SecretLifetimeOutOfRange,
            "options.secretLifetimeMonths",
            format!(
                "`options.secretLifetimeMonths` must be between 1 and {} months, got {lifetime}",
                request::MAX_SECRET_LIFETIME_MONTHS
            ),
        ));
    }
    if request.components.is_empty() {
        return Err(Error::new(Code::NoComponents, "components", "choose at least one component"));
    }
    let mut seen: Vec<&str> = Vec::new();
    let mut applications = Vec::new();
    let mut warnings = Vec::new();
    for (ci, wanted) in request.components.iter().enumerate() {
        let at = format!("components[{ci}]");
        let component = catalog.component(&wanted.code).ok_or_else(|| {
            Error::new(
                Code::UnknownComponent,
                format!("{at}.code"),
                format!("unknown component {:?}; the catalog has {}", wanted.code, catalog.codes().join(", ")),
            )
        })?;
        if seen.contains(&component.code.as_str()) {
            return Err(Error::new(
                Code::DuplicateComponent,
                format!("{at}.code"),
                format!("component {} is listed twice; list it once (use instances for more apps)", component.code),
            ));
        }
        seen.push(&component.code);
        let (apps, component_warnings) = component_apps(wanted, component, prefix, options, &applications, &at)?;
        applications.extend(apps);
        warnings.extend(component_warnings);
    }
    if let Some(w) = warnings::for_plan(options.grant_admin_consent) {
        warnings.push(w);
    }
    Ok(Plan {
        profile: catalog.profile.clone(),
        prefix: prefix.to_string(),
        grant_admin_consent: options.grant_admin_consent,
        applications,
        warnings,
    })
}

/// The apps of one requested component (one per instance), and what the plan says about it.
fn component_apps(
    wanted: &ComponentRequest,
    component: &Component,
    prefix: &str,
    options: &Options,
    planned: &[PlannedApp],
    at: &str,
) -> Result<(Vec<PlannedApp>, Vec<Warning>)> {
    let lifetime = options.secret_lifetime_months;
    let mut applications = Vec::new();
    let labels = instance_labels(wanted, component, at)?;
    let permissions = chosen_permissions(wanted, component, options.include_optional, at)?;
    check_redirects(wanted, &labels, at)?;
    let target_app_id = existing_app(wanted, &labels, planned, at)?;
    // An app registered by hand keeps its own credentials: the run adds secrets only to apps it creates.
    let create_secret = target_app_id.is_none()
        && wanted.create_secret.or(options.create_secret).unwrap_or(component.has_application_permissions());
    let said = warnings::for_component(component, &permissions, create_secret);
    for label in &labels {
        let uris = label
            .as_ref()
            .and_then(|l| wanted.instance_redirect_uris.iter().flatten().find(|(k, _)| k == l).map(|(_, u)| u))
            .or(wanted.redirect_uris.as_ref());
        let names = naming::names(prefix, component, label.as_deref())?;
        applications.push(PlannedApp {
            application: Application {
                display_name: names.display_name.clone(),
                sign_in_audience: SIGN_IN_AUDIENCE.to_string(),
                tags: names.tags,
                notes: names.notes,
                required_resource_access: required_resource_access(&permissions),
                web: uris.and_then(|u| RedirectSettings::from_uris(&u.web)),
                spa: uris.and_then(|u| RedirectSettings::from_uris(&u.spa)),
                public_client: uris.and_then(|u| RedirectSettings::from_uris(&u.public_client)),
            },
            key: names.key,
            component: component.code.clone(),
            component_name: component.name.clone(),
            instance: label.clone(),
            display_name: names.display_name,
            delegated_grants: delegated_grants(&permissions),
            app_role_assignments: app_role_assignments(&permissions),
            permissions: permissions.clone(),
            grant_admin_consent: options.grant_admin_consent,
            create_secret,
            secret_lifetime_months: lifetime,
            target_app_id: target_app_id.clone(),
        });
    }
    Ok((applications, said))
}

/// The Application (client) ID of the app registered by hand this component applies to, checked: it names one
/// app (one instance), asks no secret, and no other component applies to it.
fn existing_app(
    wanted: &ComponentRequest,
    labels: &[Option<String>],
    planned: &[PlannedApp],
    at: &str,
) -> Result<Option<String>> {
    let Some(target) = &wanted.target_app_id else { return Ok(None) };
    let field = format!("{at}.targetAppId");
    if labels.len() != 1 {
        let why = format!("`{field}` applies to one existing app: give at most one instance");
        return Err(Error::new(Code::InvalidInput, field, why));
    }
    if wanted.create_secret == Some(true) {
        let why = format!("`{at}.createSecret` cannot be true with `targetAppId`: an existing app keeps its own credentials and the run adds no secret to it");
        return Err(Error::new(Code::InvalidInput, format!("{at}.createSecret"), why));
    }
    if planned.iter().any(|a| a.target_app_id.as_ref() == Some(target)) {
        let why = format!("`{field}`: another component already applies to the app {target}");
        return Err(Error::new(Code::InvalidInput, field, why));
    }
    Ok(Some(target.clone()))
}

/// `None` stands for the single app of a single-instance component.
fn instance_labels(wanted: &ComponentRequest, component: &Component, at: &str) -> Result<Vec<Option<String>>> {
    let Some(labels) = &wanted.instances else {
        return Ok(vec![component.multi_instance.then(|| "1".to_string())]);
    };
    let field = format!("{at}.instances");
    if !component.multi_instance {
        return Err(Error::new(
            Code::SingleInstanceComponent,
            field,
            format!(
                "{} ({}) has exactly one app; instances are only for multi-instance components",
                component.code, component.name
            ),
        ));
    }
    if labels.is_empty() {
        let message = format!("`{field}` is empty; give at least one label or leave it out");
        return Err(Error::new(Code::InvalidInstanceLabel, field, message));
    }
    if labels.len() > MAX_INSTANCES {
        return Err(Error::new(
            Code::TooManyInstances,
            field,
            format!("{} instances of {} requested; at most {MAX_INSTANCES} are allowed", labels.len(), component.code),
        ));
    }
    let mut seen: Vec<String> = Vec::new();
    for (i, label) in labels.iter().enumerate() {
        let lf = format!("{field}[{i}]");
        naming::check_label(label, &lf)?;
        let folded = label.to_ascii_lowercase();
        if seen.contains(&folded) {
            return Err(Error::new(
                Code::DuplicateInstance,
                lf,
                format!(
                    "instance label {label:?} is used twice for {} (labels are compared ignoring case)",
                    component.code
                ),
            ));
        }
        seen.push(folded);
    }
    Ok(labels.iter().cloned().map(Some).collect())
}

fn chosen_permissions(
    wanted: &ComponentRequest,
    component: &Component,
    all_optional: bool,
    at: &str,
) -> Result<Vec<PlannedPermission>> {
    let requested = wanted.optional_permissions.as_deref().unwrap_or(&[]);
    for (i, value) in requested.iter().enumerate() {
        let known = component.permissions.iter().any(|p| p.optional && p.value.eq_ignore_ascii_case(value));
        if !known {
            let optional: Vec<&str> =
                component.permissions.iter().filter(|p| p.optional).map(|p| p.value.as_str()).collect();
            let allowed = if optional.is_empty() { "none".to_string() } else { optional.join(", ") };
            return Err(Error::new(
                Code::UnknownPermission,
                format!("{at}.optionalPermissions[{i}]"),
                format!(
                    "{value:?} is not an optional permission of {}; its optional permissions: {allowed}",
                    component.code
                ),
            ));
        }
    }
    Ok(component
        .permissions
        .iter()
        .filter(|p| !p.optional || all_optional || requested.iter().any(|r| r.eq_ignore_ascii_case(&p.value)))
        .map(|p| PlannedPermission {
            resource_app_id: p.resource_app_id.to_ascii_lowercase(),
            value: p.value.clone(),
            kind: p.kind,
            id: p.id.to_ascii_lowercase(),
            admin_consent_required: p.admin_consent_required,
        })
        .collect())
}

fn check_redirects(wanted: &ComponentRequest, labels: &[Option<String>], at: &str) -> Result<()> {
    let mut sets: Vec<(String, &RedirectUris)> = Vec::new();
    if let Some(u) = &wanted.redirect_uris {
        sets.push((format!("{at}.redirectUris"), u));
    }
    for (label, u) in wanted.instance_redirect_uris.iter().flatten() {
        let field = format!("{at}.instanceRedirectUris.{label}");
        if !labels.iter().flatten().any(|l| l == label) {
            return Err(Error::new(
                Code::InvalidInput,
                field,
                format!("there is no instance labelled {label:?} for {}", wanted.code),
            ));
        }
        sets.push((field, u));
    }
    for (base, uris) in sets {
        for (platform, list) in uris.platforms() {
            if list.len() > redirect::MAX_URIS_PER_APP {
                return Err(Error::new(
                    Code::InvalidRedirectUri,
                    format!("{base}.{platform}"),
                    format!("at most {} redirect URIs per app are allowed", redirect::MAX_URIS_PER_APP),
                ));
            }
            for (i, uri) in list.iter().enumerate() {
                let field = format!("{base}.{platform}[{i}]");
                redirect::check(uri, &field)?;
                if list[..i].contains(uri) {
                    return Err(Error::new(Code::InvalidRedirectUri, field, format!("{uri:?} is listed twice")));
                }
            }
        }
    }
    Ok(())
}

/// Groups items by resource appId, resources in sorted order (Graph's and every export's stable order).
fn by_resource<'a, T>(
    perms: impl Iterator<Item = &'a PlannedPermission>,
    item: impl Fn(&'a PlannedPermission) -> T,
) -> Vec<(String, Vec<T>)> {
    let mut groups: Vec<(String, Vec<T>)> = Vec::new();
    for p in perms {
        match groups.iter_mut().find(|(r, _)| *r == p.resource_app_id) {
            Some((_, items)) => items.push(item(p)),
            None => groups.push((p.resource_app_id.clone(), vec![item(p)])),
        }
    }
    crate::order::sort_by(&mut groups, |a, b| a.0.cmp(&b.0));
    groups
}

fn required_resource_access(perms: &[PlannedPermission]) -> Vec<RequiredResourceAccess> {
    by_resource(perms.iter(), |p| ResourceAccess { id: p.id.clone(), kind: p.kind.graph_type().to_string() })
        .into_iter()
        .map(|(resource_app_id, resource_access)| RequiredResourceAccess { resource_app_id, resource_access })
        .collect()
}

fn delegated_grants(perms: &[PlannedPermission]) -> Vec<DelegatedGrant> {
    by_resource(perms.iter().filter(|p| p.kind == Kind::Delegated), |p| p.value.as_str())
        .into_iter()
        .map(|(resource_app_id, scopes)| DelegatedGrant { resource_app_id, scope: scopes.join(" ") })
        .collect()
}

fn app_role_assignments(perms: &[PlannedPermission]) -> Vec<AppRoleAssignment> {
    perms
        .iter()
        .filter(|p| p.kind == Kind::Application)
        .map(|p| AppRoleAssignment {
            resource_app_id: p.resource_app_id.clone(),
            app_role_id: p.id.clone(),
            value: p.value.clone(),
        })
        .collect()
}
