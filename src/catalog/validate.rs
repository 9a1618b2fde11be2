//! Loading a custom catalog: JSON data in the built-in catalog's schema, checked field by field so the person
//! who wrote it is told exactly which field is wrong and what is allowed.

use std::collections::HashMap;

use super::{Catalog, Kind, Permission};
use crate::error::{Code, Error, Result};
use crate::guid;

const MAX_CODE_LEN: usize = 24;
const MAX_NAME_LEN: usize = 80;

/// Parses and validates a catalog. Unknown fields, bad GUIDs, unknown kinds, duplicate permissions and
/// components without permissions are all rejected with the offending field's path.
pub fn load(value: serde_json::Value) -> Result<Catalog> {
    let catalog: Catalog = serde_path_to_error::deserialize(value).map_err(|e| {
        let err = Error::from_serde(e, "catalog");
        match &err.field {
            Some(f) if f.ends_with(".kind") && err.code == Code::InvalidInput => {
                Error::new(Code::UnknownKind, f.clone(), format!("`{f}` must be \"delegated\" or \"application\""))
            }
            _ => err,
        }
    })?;
    check(&catalog)?;
    Ok(catalog)
}

/// The semantic rules every catalog (built-in included, see tests) must satisfy.
pub(crate) fn check(catalog: &Catalog) -> Result<()> {
    if catalog.profile.trim().is_empty() {
        return Err(Error::new(
            Code::InvalidCatalog,
            "profile",
            "`profile` must name the LUCS version this catalog describes",
        ));
    }
    if catalog.components.is_empty() {
        return Err(Error::new(Code::InvalidCatalog, "components", "`components` must list at least one component"));
    }
    let mut codes: HashMap<String, usize> = HashMap::new();
    // (resource, kind, value) → id across the whole catalog: one permission has one GUID everywhere.
    let mut ids: HashMap<(String, Kind, String), String> = HashMap::new();
    for (ci, component) in catalog.components.iter().enumerate() {
        let at = format!("components[{ci}]");
        let code = &component.code;
        let code_ok = !code.is_empty()
            && code.len() <= MAX_CODE_LEN
            && code.starts_with(|c: char| c.is_ascii_alphabetic())
            && code.chars().all(|c| c.is_ascii_alphanumeric());
        if !code_ok {
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
        for (field, text) in [("name", &component.name), ("purpose", &component.purpose)] {
            if text.trim().is_empty() || text.chars().count() > MAX_NAME_LEN * 4 {
                return Err(Error::new(
                    Code::InvalidCatalog,
                    format!("{at}.{field}"),
                    format!("`{at}.{field}` must not be blank"),
                ));
            }
        }
        if component.name.chars().count() > MAX_NAME_LEN {
            return Err(Error::new(
                Code::InvalidCatalog,
                format!("{at}.name"),
                format!("`{at}.name` is longer than {MAX_NAME_LEN} characters"),
            ));
        }
        if component.permissions.is_empty() {
            return Err(Error::new(
                Code::EmptyComponent,
                format!("{at}.permissions"),
                format!("component {code} has no permissions; every LUCS app needs at least one"),
            ));
        }
        for (pi, p) in component.permissions.iter().enumerate() {
            let pat = format!("{at}.permissions[{pi}]");
            check_permission(p, &pat)?;
            let dup = component.permissions[..pi].iter().position(|q| {
                q.resource_app_id.eq_ignore_ascii_case(&p.resource_app_id)
                    && (q.id.eq_ignore_ascii_case(&p.id) || (q.kind == p.kind && q.value == p.value))
            });
            if let Some(first) = dup {
                return Err(Error::new(
                    Code::DuplicatePermission,
                    pat,
                    format!(
                        "{} ({:?}) is listed twice in component {code} (also at permissions[{first}])",
                        p.value, p.kind
                    ),
                ));
            }
            let key = (p.resource_app_id.to_ascii_lowercase(), p.kind, p.value.clone());
            let id = p.id.to_ascii_lowercase();
            if let Some(seen) = ids.insert(key, id.clone()) {
                if seen != id {
                    return Err(Error::new(
                        Code::InvalidCatalog,
                        format!("{pat}.id"),
                        format!(
                            "{} has id {id} here but {seen} in another component; a permission has one id",
                            p.value
                        ),
                    ));
                }
            }
        }
    }
    Ok(())
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
    let value_ok = !p.value.is_empty()
        && p.value.len() <= 120
        && p.value.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !value_ok {
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
    Ok(())
}
