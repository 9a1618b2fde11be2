//! Loading a custom catalog: JSON data in the built-in catalog's schema, checked field by field so the person
//! who wrote it is told exactly which field is wrong and what is allowed.

use super::rules::check;
use super::{Catalog, Component, Kind, Permission};
use super::{MAX_CATALOG_BYTES, MAX_COMPONENTS, MAX_ERRATA, MAX_PERMISSIONS};
use crate::error::{Code, Error, Result};
use crate::json::{self, Node};

/// Parses catalog JSON text: the byte cap is enforced before the text is parsed at all.
pub fn load_str(text: &str) -> Result<Catalog> {
    if text.len() > MAX_CATALOG_BYTES {
        return Err(Error::new(
            Code::TooLarge,
            "catalog",
            format!("the catalog is {} bytes; at most {MAX_CATALOG_BYTES} bytes are accepted", text.len()),
        ));
    }
    let value = serde_json::from_str(text)
        .map_err(|e| Error::new(Code::InvalidInput, "catalog", format!("`catalog` is not valid JSON: {e}")))?;
    load(value)
}

/// Parses and validates a catalog. Unknown fields, bad GUIDs, unknown kinds, duplicate permissions, control
/// characters in text and components without permissions are all rejected with the offending field's path.
/// The count caps are checked before any field is read, so the work stays linear in the input.
pub fn load(value: serde_json::Value) -> Result<Catalog> {
    check_counts(&value)?;
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

fn too_many(field: String, count: usize, max: usize, what: &str) -> Error {
    Error::new(Code::TooLarge, field.clone(), format!("`{field}` has {count} {what}; at most {max} are accepted"))
}

fn check_counts(value: &serde_json::Value) -> Result<()> {
    let Some(components) = value.get("components").and_then(|c| c.as_array()) else { return Ok(()) };
    if components.len() > MAX_COMPONENTS {
        return Err(too_many("components".into(), components.len(), MAX_COMPONENTS, "components"));
    }
    for (ci, c) in components.iter().enumerate() {
        for (key, max) in [("permissions", MAX_PERMISSIONS), ("errata", MAX_ERRATA)] {
            let n = c.get(key).and_then(|p| p.as_array()).map_or(0, Vec::len);
            if n > max {
                return Err(too_many(format!("components[{ci}].{key}"), n, max, key));
            }
        }
    }
    Ok(())
}
