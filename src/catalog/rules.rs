//! The semantic rules every catalog (built-in included, see tests) must satisfy. Each check is one pass with
//! hash lookups, so validation stays linear in the catalog's size (the planner page re-validates a custom
//! catalog on every keystroke).

use std::collections::HashMap;

use super::{Catalog, Kind, Permission};
use super::{MAX_CODE_LEN, MAX_DESCRIPTION_LEN, MAX_ERRATUM_LEN, MAX_NAME_LEN, MAX_PROFILE_LEN, MAX_PURPOSE_LEN};
use crate::error::{Code, Error, Result};
use crate::{guid, text};

pub(crate) fn check(catalog: &Catalog) -> Result<()> {
    if catalog.profile.trim().is_empty() {
        return Err(Error::new(
            Code::InvalidCatalog,
            "profile",
            "`profile` must name the LUCS version this catalog describes",
        ));
    }
    text::check_line("profile", &catalog.profile, MAX_PROFILE_LEN, Code::InvalidCatalog)?;
    if catalog.components.is_empty() {
        return Err(Error::new(Code::InvalidCatalog, "components", "`components` must list at least one component"));
    }
    let mut codes: HashMap<String, usize> = HashMap::new();
    // (resource, kind, value) → id across the whole catalog: one permission has one GUID everywhere.
    let mut ids: HashMap<(String, Kind, String), String> = HashMap::new();
    for (ci, component) in catalog.components.iter().enumerate() {
        let at = format!("components[{ci}]");
        let code = &component.code;
        if !code_ok(code) {
            return Err(Error::new(
                Code::InvalidCatalog,
                format!("{at}.code"),
                format!("`{at}.code` must be 1–{MAX_CODE_LEN} letters or digits starting with a letter, got {code:?}"),
            ));
        }
        if let Some(first) = codes.insert(code.to_ascii_lowercase(), ci) {
            return Err(Error::new(
                Code::InvalidCatalog,
                format!("{at}.code"),
                format!("component code {code:?} is used twice (components[{first}] and {at})"),
            ));
        }
        text::check_line(&format!("{at}.name"), &component.name, MAX_NAME_LEN, Code::InvalidCatalog)?;
        text::check_line(&format!("{at}.purpose"), &component.purpose, MAX_PURPOSE_LEN, Code::InvalidCatalog)?;
        for (ei, erratum) in component.errata.iter().enumerate() {
            text::check_line(&format!("{at}.errata[{ei}]"), erratum, MAX_ERRATUM_LEN, Code::InvalidCatalog)?;
        }
        if component.permissions.is_empty() {
            return Err(Error::new(
                Code::EmptyComponent,
                format!("{at}.permissions"),
                format!("component {code} has no permissions; every LUCS app needs at least one"),
            ));
        }
        check_permissions(component, &at, &mut ids)?;
    }
    Ok(())
}

/// A component's permissions: each well-formed, none twice in the component (by id, or by kind and value for
/// one resource), and each with the one id the catalog gives it everywhere (`ids`).
fn check_permissions(
    component: &super::Component,
    at: &str,
    ids: &mut HashMap<(String, Kind, String), String>,
) -> Result<()> {
    let code = &component.code;
    // Within a component: the same id, or the same kind and value, twice for one resource.
    let mut by_id: HashMap<(String, String), usize> = HashMap::new();
    let mut by_value: HashMap<(String, Kind, &str), usize> = HashMap::new();
    for (pi, p) in component.permissions.iter().enumerate() {
        let pat = format!("{at}.permissions[{pi}]");
        check_permission(p, &pat)?;
        let resource = p.resource_app_id.to_ascii_lowercase();
        let id = p.id.to_ascii_lowercase();
        let first_id = by_id.insert((resource.clone(), id.clone()), pi);
        let first_value = by_value.insert((resource.clone(), p.kind, p.value.as_str()), pi);
        if let Some(first) = first_id.into_iter().chain(first_value).min() {
            return Err(Error::new(
                Code::DuplicatePermission,
                pat,
                format!(
                    "{} ({:?}) is listed twice in component {code} (also at permissions[{first}])",
                    p.value, p.kind
                ),
            ));
        }
        match ids.get(&(resource.clone(), p.kind, p.value.clone())) {
            None => {
                ids.insert((resource, p.kind, p.value.clone()), id);
            }
            Some(seen) if *seen != id => {
                return Err(Error::new(
                    Code::InvalidCatalog,
                    format!("{pat}.id"),
                    format!("{} has id {id} here but {seen} in another component; a permission has one id", p.value),
                ));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

pub(crate) fn code_ok(code: &str) -> bool {
    !code.is_empty()
        && code.len() <= MAX_CODE_LEN
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code.chars().all(|c| c.is_ascii_alphanumeric())
}

/// A permission's claim value, e.g. `Mail.Send`: it goes into scopes and scripts, so a strict charset.
pub(crate) fn value_ok(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 120
        && value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn check_permission(p: &Permission, at: &str) -> Result<()> {
    if !guid::is_guid(&p.resource_app_id) {
        return Err(Error::new(
            Code::InvalidGuid,
            format!("{at}.resourceAppId"),
            format!(
                "`{at}.resourceAppId` must be a GUID like 00000003-0000-0000-c000-000000000000, got {:?}",
                p.resource_app_id
            ),
        ));
    }
    if !guid::is_guid(&p.id) {
        return Err(Error::new(
            Code::InvalidGuid,
            format!("{at}.id"),
            format!("`{at}.id` must be the permission's GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx), got {:?}", p.id),
        ));
    }
    if !value_ok(&p.value) {
        return Err(Error::new(
            Code::InvalidCatalog,
            format!("{at}.value"),
            format!(
                "`{at}.value` must be a permission name such as Mail.Send (letters, digits, . _ -), got {:?}",
                p.value
            ),
        ));
    }
    if p.kind == Kind::Application && !p.admin_consent_required {
        return Err(Error::new(
            Code::InvalidCatalog,
            format!("{at}.adminConsentRequired"),
            format!("{} is an application permission; those always require admin consent", p.value),
        ));
    }
    if let Some(d) = &p.description {
        text::check_line(&format!("{at}.description"), d, MAX_DESCRIPTION_LEN, Code::InvalidCatalog)?;
    }
    Ok(())
}
