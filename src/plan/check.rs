//! A plan handed back to us (a saved file, a page, the extension) is checked by the same rules `plan()` applies
//! when it makes one: text without control characters, keys and labels in their charsets, GUIDs where Graph
//! wants GUIDs, permission names as the catalog allows them, redirect URIs as Entra allows them. A hand-edited
//! plan can then no more carry a payload into an export or a Graph request than a request can.

use super::naming::{check_label, check_prefix, MAX_DISPLAY_NAME, MAX_KEY};
use super::request::MAX_SECRET_LIFETIME_MONTHS;
use super::{redirect, Plan, PlannedApp};
use crate::catalog::rules::{code_ok, value_ok};
use crate::catalog::{Kind, MAX_NAME_LEN, MAX_PROFILE_LEN};
use crate::error::{Code, Error, Result};
use crate::graph::{Application, SIGN_IN_AUDIENCE};
use crate::{guid, text};

/// Notes are made from the component's purpose (≤ 300 characters) and names; Graph allows 1024.
/// Source: Microsoft Graph `application` resource, property `notes` (learn.microsoft.com/graph/api/resources/application).
const MAX_NOTES: usize = 1024;
const MAX_WARNING: usize = 1000;

fn invalid(field: String, why: String) -> Error {
    Error::new(Code::InvalidInput, field.clone(), format!("`{field}` {why}"))
}

fn guid_at(field: String, value: &str) -> Result<()> {
    if guid::is_guid(value) {
        Ok(())
    } else {
        Err(Error::new(Code::InvalidGuid, field.clone(), format!("`{field}` must be a GUID, got {value:?}")))
    }
}

fn permission_value(field: String, value: &str) -> Result<()> {
    if value_ok(value) {
        Ok(())
    } else {
        Err(invalid(field, format!("must be a permission name such as Mail.Send, got {value:?}")))
    }
}

fn key_ok(key: &str) -> bool {
    !key.is_empty()
        && key.len() <= MAX_KEY
        && key.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !key.starts_with('-')
        && !key.ends_with('-')
}

pub(crate) fn check(plan: &Plan) -> Result<()> {
    text::check_line("profile", &plan.profile, MAX_PROFILE_LEN, Code::InvalidInput)?;
    check_prefix(&plan.prefix)?;
    for (i, app) in plan.applications.iter().enumerate() {
        check_app(app, &format!("applications[{i}]"))?;
    }
    for (i, w) in plan.warnings.iter().enumerate() {
        let at = format!("warnings[{i}]");
        // The code is one of a closed set, checked when read.
        text::check_line(&format!("{at}.message"), &w.message, MAX_WARNING, Code::InvalidInput)?;
        if let Some(c) = &w.component {
            text::check_line(&format!("{at}.component"), c, 40, Code::InvalidInput)?;
        }
    }
    Ok(())
}

fn check_app(app: &PlannedApp, at: &str) -> Result<()> {
    if !key_ok(&app.key) {
        return Err(invalid(
            format!("{at}.key"),
            format!("must be 1–{MAX_KEY} lowercase letters, digits or inner hyphens, got {:?}", app.key),
        ));
    }
    if !code_ok(&app.component) {
        return Err(invalid(format!("{at}.component"), format!("must be a component code, got {:?}", app.component)));
    }
    text::check_line(&format!("{at}.componentName"), &app.component_name, MAX_NAME_LEN, Code::InvalidInput)?;
    if let Some(label) = &app.instance {
        check_label(label, &format!("{at}.instance"))?;
    }
    text::check_line(&format!("{at}.displayName"), &app.display_name, MAX_DISPLAY_NAME, Code::NameTooLong)?;
    check_application(&app.application, &format!("{at}.application"))?;
    for (i, p) in app.permissions.iter().enumerate() {
        let pat = format!("{at}.permissions[{i}]");
        guid_at(format!("{pat}.resourceAppId"), &p.resource_app_id)?;
        guid_at(format!("{pat}.id"), &p.id)?;
        permission_value(format!("{pat}.value"), &p.value)?;
    }
    for (i, g) in app.delegated_grants.iter().enumerate() {
        let gat = format!("{at}.delegatedGrants[{i}]");
        guid_at(format!("{gat}.resourceAppId"), &g.resource_app_id)?;
        // oauth2PermissionGrant.scope: permission names separated by single spaces.
        if g.scope.split(' ').any(|v| !value_ok(v)) {
            return Err(invalid(
                format!("{gat}.scope"),
                format!("must be permission names separated by single spaces, got {:?}", g.scope),
            ));
        }
    }
    for (i, r) in app.app_role_assignments.iter().enumerate() {
        let rat = format!("{at}.appRoleAssignments[{i}]");
        guid_at(format!("{rat}.resourceAppId"), &r.resource_app_id)?;
        guid_at(format!("{rat}.appRoleId"), &r.app_role_id)?;
        permission_value(format!("{rat}.value"), &r.value)?;
    }
    if !(1..=MAX_SECRET_LIFETIME_MONTHS).contains(&app.secret_lifetime_months) {
        return Err(Error::new(
            Code::SecretLifetimeOutOfRange,
            format!("{at}.secretLifetimeMonths"),
            format!("`{at}.secretLifetimeMonths` must be between 1 and {MAX_SECRET_LIFETIME_MONTHS} months"),
        ));
    }
    Ok(())
}

fn check_application(a: &Application, at: &str) -> Result<()> {
    text::check_line(&format!("{at}.displayName"), &a.display_name, MAX_DISPLAY_NAME, Code::NameTooLong)?;
    if a.sign_in_audience != SIGN_IN_AUDIENCE {
        return Err(invalid(format!("{at}.signInAudience"), format!("must be {SIGN_IN_AUDIENCE:?}")));
    }
    for (i, tag) in a.tags.iter().enumerate() {
        let field = format!("{at}.tags[{i}]");
        // Tags may not contain whitespace (Microsoft Entra "Validation differences by supported account types").
        text::check_line(&field, tag, 256, Code::InvalidInput)?;
        if tag.chars().any(char::is_whitespace) {
            return Err(invalid(field, "may not contain whitespace".to_string()));
        }
    }
    text::check_line(&format!("{at}.notes"), &a.notes, MAX_NOTES, Code::InvalidInput)?;
    for (i, r) in a.required_resource_access.iter().enumerate() {
        let rat = format!("{at}.requiredResourceAccess[{i}]");
        guid_at(format!("{rat}.resourceAppId"), &r.resource_app_id)?;
        for (j, x) in r.resource_access.iter().enumerate() {
            let xat = format!("{rat}.resourceAccess[{j}]");
            guid_at(format!("{xat}.id"), &x.id)?;
            let known = [Kind::Delegated, Kind::Application].iter().any(|k| k.graph_type() == x.kind);
            if !known {
                return Err(invalid(format!("{xat}.type"), format!("must be \"Scope\" or \"Role\", got {:?}", x.kind)));
            }
        }
    }
    for (name, setting) in [("web", &a.web), ("spa", &a.spa), ("publicClient", &a.public_client)] {
        for (i, uri) in setting.iter().flat_map(|s| s.redirect_uris.iter()).enumerate() {
            redirect::check(uri, &format!("{at}.{name}.redirectUris[{i}]"))?;
        }
    }
    Ok(())
}
