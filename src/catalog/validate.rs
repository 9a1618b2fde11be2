//! Loading a custom catalog: JSON data in the built-in catalog's schema, checked field by field so the person
//! who wrote it is told exactly which field is wrong and what is allowed.

use super::{Catalog, Component, Kind, Permission};
use crate::error::{Code, Error, Result};
use crate::guid;
use crate::json::{self, Node};

const MAX_CODE_LEN: usize = 24;
const MAX_NAME_LEN: usize = 80;
/// Purposes go into the app's notes, which should stay short.
const MAX_PURPOSE_LEN: usize = 300;

/// Parses and validates a catalog. Unknown fields, bad GUIDs, unknown kinds, duplicate permissions and
/// components without permissions are all rejected with the offending field's path.
pub fn load(value: serde_json::Value) -> Result<Catalog> {
    let catalog = json::read(&value, "catalog", |n| {
        let f = n.object(&["profile", "components"])?;
        Ok(Catalog { profile: f.string("profile")?, components: f.list("components", component)? })
    })?;
    check(&catalog)?;
    Ok(catalog)
}

fn component(n: Node) -> Result<Component> {
    let f = n.object(&["code", "name", "purpose", "multiInstance", "errata", "permissions"])?;
    Ok(Component {
        code: f.string("code")?,
        name: f.string("name")?,
        purpose: f.string("purpose")?,
        multi_instance: f.boolean("multiInstance")?,
        errata: f.strings("errata")?,
        permissions: f.list("permissions", permission)?,
    })
}

pub(crate) fn permission(n: Node) -> Result<Permission> {
    let f = n.object(&["resourceAppId", "value", "kind", "id", "adminConsentRequired", "optional", "description"])?;
    Ok(Permission {
        resource_app_id: f.string("resourceAppId")?,
        value: f.string("value")?,
        kind: f.req("kind", kind)?,
        id: f.string("id")?,
        admin_consent_required: f.boolean("adminConsentRequired")?,
        optional: f.opt_bool("optional")?.unwrap_or(false),
        description: f.opt_string("description")?,
    })
}

pub(crate) fn kind(n: Node) -> Result<Kind> {
    Kind::parse(&n.string()?).ok_or_else(|| {
        Error::new(Code::UnknownKind, n.path(), format!("`{}` must be \"delegated\" or \"application\"", n.path()))
    })
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
    let mut codes: Vec<String> = Vec::new();
    // (resource, kind, value) → id across the whole catalog: one permission has one GUID everywhere.
    let mut ids: Vec<((String, Kind, String), String)> = Vec::new();
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
        let folded = code.to_ascii_lowercase();
        if let Some(first) = codes.iter().position(|c| *c == folded) {
            return Err(Error::new(
                Code::InvalidCatalog,
                format!("{at}.code"),
                format!("component code {code:?} is used twice (components[{first}] and {at})"),
            ));
        }
        codes.push(folded);
        for (field, text) in [("name", &component.name), ("purpose", &component.purpose)] {
            if text.trim().is_empty() {
                return Err(Error::new(
                    Code::InvalidCatalog,
                    format!("{at}.{field}"),
                    format!("`{at}.{field}` must not be blank"),
                ));
            }
        }
        for (field, text, max) in
            [("name", &component.name, MAX_NAME_LEN), ("purpose", &component.purpose, MAX_PURPOSE_LEN)]
        {
            if text.chars().count() > max {
                return Err(Error::new(
                    Code::InvalidCatalog,
                    format!("{at}.{field}"),
                    format!("`{at}.{field}` is longer than {max} characters"),
                ));
            }
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
            match ids.iter().find(|(k, _)| *k == key) {
                None => ids.push((key, id)),
                Some((_, seen)) if *seen != id => {
                    return Err(Error::new(
                        Code::InvalidCatalog,
                        format!("{pat}.id"),
                        format!(
                            "{} has id {id} here but {seen} in another component; a permission has one id",
                            p.value
                        ),
                    ));
                }
                Some(_) => {}
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
