//! Reading a plan back (the page and the extension hand `plan()`'s output to `exportPlan` and `register`).
//! Strict: a plan is our own output, so anything unexpected is named rather than ignored.

use super::{AppRoleAssignment, DelegatedGrant, Plan, PlannedApp, PlannedPermission, Warning, WarningCode};
use crate::catalog::validate::kind;
use crate::error::Result;
use crate::graph::{Application, RedirectSettings, RequiredResourceAccess, ResourceAccess};
use crate::json::{self, Node};

impl Plan {
    /// Reads a plan and re-checks it by the rules `plan()` applies, so a hand-edited plan is held to them too.
    pub fn from_json(value: serde_json::Value) -> Result<Plan> {
        let plan = json::read(&value, "plan", |n| {
            let f = n.object(&["profile", "prefix", "grantAdminConsent", "applications", "warnings"])?;
            Ok(Plan {
                profile: f.string("profile")?,
                prefix: f.string("prefix")?,
                grant_admin_consent: f.boolean("grantAdminConsent")?,
                applications: f.list("applications", app)?,
                warnings: f.opt_list("warnings", warning)?.unwrap_or_default(),
            })
        })?;
        super::check::check(&plan)?;
        Ok(plan)
    }
}

fn app(n: Node) -> Result<PlannedApp> {
    let f = n.object(&[
        "key",
        "component",
        "componentName",
        "instance",
        "displayName",
        "application",
        "permissions",
        "delegatedGrants",
        "appRoleAssignments",
        "grantAdminConsent",
        "createSecret",
        "secretLifetimeMonths",
        "targetAppId",
    ])?;
    Ok(PlannedApp {
        key: f.string("key")?,
        component: f.string("component")?,
        component_name: f.string("componentName")?,
        instance: f.opt_string("instance")?,
        display_name: f.string("displayName")?,
        application: f.req("application", application)?,
        permissions: f.list("permissions", |n| {
            let f = n.object(&["resourceAppId", "value", "kind", "id", "adminConsentRequired"])?;
            Ok(PlannedPermission {
                resource_app_id: f.string("resourceAppId")?,
                value: f.string("value")?,
                kind: f.req("kind", kind)?,
                id: f.string("id")?,
                admin_consent_required: f.boolean("adminConsentRequired")?,
            })
        })?,
        delegated_grants: f.list("delegatedGrants", |n| {
            let f = n.object(&["resourceAppId", "scope"])?;
            Ok(DelegatedGrant { resource_app_id: f.string("resourceAppId")?, scope: f.string("scope")? })
        })?,
        app_role_assignments: f.list("appRoleAssignments", |n| {
            let f = n.object(&["resourceAppId", "appRoleId", "value"])?;
            Ok(AppRoleAssignment {
                resource_app_id: f.string("resourceAppId")?,
                app_role_id: f.string("appRoleId")?,
                value: f.string("value")?,
            })
        })?,
        grant_admin_consent: f.boolean("grantAdminConsent")?,
        create_secret: f.boolean("createSecret")?,
        secret_lifetime_months: f.req("secretLifetimeMonths", |n| n.whole_number())?,
        target_app_id: f.opt("targetAppId", super::request::app_id)?,
    })
}

fn application(n: Node) -> Result<Application> {
    let f = n.object(&[
        "displayName",
        "signInAudience",
        "tags",
        "notes",
        "requiredResourceAccess",
        "web",
        "spa",
        "publicClient",
    ])?;
    let redirects = |n: Node| {
        let f = n.object(&["redirectUris"])?;
        Ok(RedirectSettings { redirect_uris: f.strings("redirectUris")? })
    };
    Ok(Application {
        display_name: f.string("displayName")?,
        sign_in_audience: f.string("signInAudience")?,
        tags: f.strings("tags")?,
        notes: f.string("notes")?,
        required_resource_access: f.list("requiredResourceAccess", |n| {
            let f = n.object(&["resourceAppId", "resourceAccess"])?;
            Ok(RequiredResourceAccess {
                resource_app_id: f.string("resourceAppId")?,
                resource_access: f.list("resourceAccess", |n| {
                    let f = n.object(&["id", "type"])?;
                    Ok(ResourceAccess { id: f.string("id")?, kind: f.string("type")? })
                })?,
            })
        })?,
        web: f.opt("web", redirects)?,
        spa: f.opt("spa", redirects)?,
        public_client: f.opt("publicClient", redirects)?,
    })
}

fn warning(n: Node) -> Result<Warning> {
    let f = n.object(&["code", "message", "component"])?;
    let code = f.req("code", |n| {
        let word = n.string()?;
        WarningCode::parse(&word).ok_or_else(|| {
            let words = WarningCode::WORDS.join(", ");
            crate::error::Error::new(
                crate::error::Code::InvalidInput,
                n.path(),
                format!("`{}` must be one of {words}, got {word:?}", n.path()),
            )
        })
    })?;
    Ok(Warning { code, message: f.string("message")?, component: f.opt_string("component")? })
}
