//! The LUCS catalog: which components exist and which Microsoft Graph permissions each one needs.
//! The built-in catalog lives in `lucs.rs`; a custom one (another LUCS version) is loaded as data through
//! `load`, validated field by field, and never executed.

mod lucs;
pub(crate) mod rules;
pub(crate) mod validate;

use serde::Serialize;

pub use lucs::{builtin, GRAPH_PERMISSIONS};
pub use validate::{load, load_str};

/// Caps on a custom catalog, checked before it is parsed (bytes) or read (counts). The built-in catalog is about
/// 6 KB with 8 components of at most 10 permissions; the caps leave room for far larger LUCS versions while
/// keeping validation of any accepted catalog to milliseconds.
pub const MAX_CATALOG_BYTES: usize = 1024 * 1024;
pub const MAX_COMPONENTS: usize = 200;
pub const MAX_PERMISSIONS: usize = 100;
pub const MAX_ERRATA: usize = 20;
/// Lengths in characters of the catalog's text fields.
pub const MAX_CODE_LEN: usize = 24;
pub const MAX_NAME_LEN: usize = 80;
/// Purposes go into the app's notes, which should stay short.
pub const MAX_PURPOSE_LEN: usize = 300;
pub const MAX_PROFILE_LEN: usize = 200;
pub const MAX_ERRATUM_LEN: usize = 600;
pub const MAX_DESCRIPTION_LEN: usize = 300;

/// Microsoft Graph's resource application id, the same in every tenant.
/// Source: Microsoft Graph permissions reference (learn.microsoft.com/graph/permissions-reference) and the
/// `servicePrincipals(appId='00000003-0000-0000-c000-000000000000')` lookup it documents.
pub const MICROSOFT_GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    /// Which LUCS version/document this catalog describes.
    pub profile: String,
    pub components: Vec<Component>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    /// Short code used in plan requests and app keys, e.g. `CR`.
    pub code: String,
    pub name: String,
    pub purpose: String,
    /// Conversation Recording and Calendar Integration get one app per instance.
    pub multi_instance: bool,
    /// Corrections to the vendor's document that apply to this component, said to the user.
    pub errata: Vec<String>,
    pub permissions: Vec<Permission>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Kind {
    /// Acts on behalf of a signed-in user; consented tenant-wide with an oauth2PermissionGrant.
    Delegated,
    /// Acts as the app itself; consented with one app role assignment per permission.
    Application,
}

impl Kind {
    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "delegated" => Some(Kind::Delegated),
            "application" => Some(Kind::Application),
            _ => None,
        }
    }

    /// The word the catalog uses, and messages.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Delegated => "delegated",
            Kind::Application => "application",
        }
    }

    /// The `type` Microsoft Graph uses in `requiredResourceAccess.resourceAccess`.
    pub fn graph_type(self) -> &'static str {
        match self {
            Kind::Delegated => "Scope",
            Kind::Application => "Role",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    pub resource_app_id: String,
    /// The claim value, e.g. `Mail.Send`.
    pub value: String,
    pub kind: Kind,
    /// The scope id (delegated) or app role id (application) in the resource's service principal.
    pub id: String,
    pub admin_consent_required: bool,
    /// Optional permissions are left out unless the request asks for them.
    pub optional: bool,
    /// What the permission allows, in Microsoft's words (admin consent display name).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl Catalog {
    pub fn component(&self, code: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.code.eq_ignore_ascii_case(code))
    }

    pub fn codes(&self) -> Vec<&str> {
        self.components.iter().map(|c| c.code.as_str()).collect()
    }
}

impl Component {
    pub fn has_application_permissions(&self) -> bool {
        self.permissions.iter().any(|p| p.kind == Kind::Application)
    }
}
