//! Names that end up in the tenant: the `uniqueName` key, display name, tags and notes. Deterministic, so a
//! re-run addresses the very same applications instead of creating new ones.

use crate::catalog::Component;
use crate::error::{Code, Error, Result};

/// Entra's display-name limit for single-tenant (AzureADMyOrg) apps. Source: Microsoft Entra "Validation
/// differences by supported account types" (learn.microsoft.com/entra/identity-platform/supported-accounts-validation).
pub const MAX_DISPLAY_NAME: usize = 120;
/// Graph does not publish a uniqueName limit; we stay well inside every documented key length.
pub const MAX_KEY: usize = 64;
pub const MAX_PREFIX: usize = 40;
pub const MAX_LABEL: usize = 32;

/// The tag every app made by this tool carries, so it can find them again. Tags may not contain whitespace
/// (same Microsoft source as above).
pub const PRODUCT_TAG: &str = "LUCS";

pub fn check_prefix(prefix: &str) -> Result<()> {
    let ok_chars = prefix.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.'));
    let starts_ok = prefix.starts_with(|c: char| c.is_ascii_alphanumeric());
    let ends_ok = !prefix.ends_with(' ');
    if prefix.is_empty() || !ok_chars || !starts_ok || !ends_ok {
        return Err(Error::new(
            Code::InvalidPrefix,
            "prefix",
            format!(
                "`prefix` must start with a letter or digit and use only letters, digits, spaces, '-', '_' or '.' \
                 (got {prefix:?})"
            ),
        ));
    }
    if prefix.len() > MAX_PREFIX {
        return Err(Error::new(
            Code::NameTooLong,
            "prefix",
            format!("`prefix` is {} characters long; at most {MAX_PREFIX} are allowed", prefix.len()),
        ));
    }
    Ok(())
}

/// Instance labels become part of the key and a tag, so they are limited to a safe charset.
pub fn check_label(label: &str, field: &str) -> Result<()> {
    if label.trim().is_empty() {
        return Err(Error::new(
            Code::InvalidInstanceLabel,
            field,
            format!("`{field}` is blank; give each instance a label such as 1, 2 or branch-a"),
        ));
    }
    let ok = label.len() <= MAX_LABEL
        && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        && !label.starts_with('-')
        && !label.ends_with('-');
    if !ok {
        return Err(Error::new(
            Code::InvalidInstanceLabel,
            field,
            format!(
                "`{field}` must be 1–{MAX_LABEL} letters, digits or inner hyphens (it becomes part of the app's key), got {label:?}"
            ),
        ));
    }
    Ok(())
}

/// Lowercase ASCII letters, digits and single hyphens.
fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

pub struct Names {
    pub key: String,
    pub display_name: String,
    pub tags: Vec<String>,
    pub notes: String,
}

/// What every key of one installation starts with (`lucs-` for the default prefix): the tagged apps of another
/// installation in the same tenant (another prefix) are not this one's.
pub fn key_stem(prefix: &str) -> String {
    format!("{}-", slug(prefix))
}

pub fn names(prefix: &str, component: &Component, instance: Option<&str>) -> Result<Names> {
    let code = slug(&component.code);
    let mut key = format!("{}-{code}", slug(prefix));
    let mut display_name = format!("{prefix} {}", component.name);
    let mut tags = vec![PRODUCT_TAG.to_string(), format!("{PRODUCT_TAG}-{}", component.code)];
    let mut notes = format!("LUCS component {} ({})", component.code, component.name);
    if let Some(label) = instance {
        key.push('-');
        key.push_str(&slug(label));
        display_name.push_str(&format!(" ({label})"));
        tags.push(format!("{PRODUCT_TAG}-instance-{label}"));
        notes.push_str(&format!(", instance {label}"));
    }
    notes.push_str(&format!(": {}. Registered by LUCS App Registrar as {key}.", component.purpose));
    if display_name.chars().count() > MAX_DISPLAY_NAME {
        return Err(Error::new(
            Code::NameTooLong,
            "prefix",
            format!(
                "the display name {display_name:?} would be {} characters; Entra allows {MAX_DISPLAY_NAME}. Use a shorter prefix or label",
                display_name.chars().count()
            ),
        ));
    }
    if key.len() > MAX_KEY {
        return Err(Error::new(
            Code::NameTooLong,
            "prefix",
            format!("the app key {key:?} would be {} characters; at most {MAX_KEY} are allowed", key.len()),
        ));
    }
    Ok(Names { key, display_name, tags, notes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_keeps_a_safe_charset() {
        assert_eq!(slug("LUCS Prod.EU"), "lucs-prod-eu");
        assert_eq!(slug("a__b--c"), "a-b-c");
        assert_eq!(slug("-x-"), "x");
    }
}
