//! What the admin asks for: components, instance labels, naming prefix, redirect URIs and options.
//! Parsed from plain JSON with the offending field named on every failure.

use crate::error::Result;
use crate::json::{self, Node};

pub const DEFAULT_PREFIX: &str = "LUCS";
pub const DEFAULT_SECRET_LIFETIME_MONTHS: u32 = 12;
pub const MAX_SECRET_LIFETIME_MONTHS: u32 = 24;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanRequest {
    pub components: Vec<ComponentRequest>,
    /// Starts every display name and key; default "LUCS".
    pub prefix: Option<String>,
    pub options: Options,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ComponentRequest {
    pub code: String,
    /// One app per label, for multi-instance components (CR, CI). Default: one instance labelled "1".
    pub instances: Option<Vec<String>>,
    /// Redirect URIs for every app of this component.
    pub redirect_uris: Option<RedirectUris>,
    /// Redirect URIs for one instance, replacing the component-wide ones; keyed by instance label.
    pub instance_redirect_uris: Option<Vec<(String, RedirectUris)>>,
    /// Optional permissions (by value) to include for this component, e.g. ["Calendars.Read.Shared"].
    pub optional_permissions: Option<Vec<String>>,
    /// Overrides the plan-wide secret choice for this component.
    pub create_secret: Option<bool>,
    /// Apply this component's permissions and consent to an app registered by hand, by its Application (client)
    /// ID, instead of registering one: one app, not renamed, no secret (it keeps its own credentials).
    pub target_app_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectUris {
    pub web: Vec<String>,
    pub spa: Vec<String>,
    pub public_client: Vec<String>,
}

impl RedirectUris {
    pub fn is_empty(&self) -> bool {
        self.web.is_empty() && self.spa.is_empty() && self.public_client.is_empty()
    }

    /// (camelCase platform name, uris) pairs, in the order Graph documents them.
    pub fn platforms(&self) -> [(&'static str, &Vec<String>); 3] {
        [("web", &self.web), ("spa", &self.spa), ("publicClient", &self.public_client)]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Grant tenant-wide admin consent for every planned permission.
    pub grant_admin_consent: bool,
    /// Create a client secret for every app; unset = only for components with application permissions.
    pub create_secret: Option<bool>,
    pub secret_lifetime_months: u32,
    /// Include every optional permission of every chosen component.
    pub include_optional: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            grant_admin_consent: true,
            create_secret: None,
            secret_lifetime_months: DEFAULT_SECRET_LIFETIME_MONTHS,
            include_optional: false,
        }
    }
}

impl PlanRequest {
    /// Reads a request from JSON, naming the field of the first thing that does not fit.
    pub fn from_json(value: serde_json::Value) -> Result<Self> {
        json::read(&value, "request", |n| {
            let f = n.object(&["components", "prefix", "options"])?;
            Ok(PlanRequest {
                components: f.list("components", component)?,
                prefix: f.opt_string("prefix")?,
                options: f.opt("options", options)?.unwrap_or_default(),
            })
        })
    }
}

fn component(n: Node) -> Result<ComponentRequest> {
    let f = n.object(&[
        "code",
        "instances",
        "redirectUris",
        "instanceRedirectUris",
        "optionalPermissions",
        "createSecret",
        "targetAppId",
    ])?;
    Ok(ComponentRequest {
        code: f.string("code")?,
        instances: f.opt_list("instances", |n| n.string())?,
        redirect_uris: f.opt("redirectUris", redirect_uris)?,
        instance_redirect_uris: f.opt_map("instanceRedirectUris", redirect_uris)?,
        optional_permissions: f.opt_list("optionalPermissions", |n| n.string())?,
        create_secret: f.opt_bool("createSecret")?,
        target_app_id: f.opt("targetAppId", app_id)?,
    })
}

fn redirect_uris(n: Node) -> Result<RedirectUris> {
    let f = n.object(&["web", "spa", "publicClient"])?;
    Ok(RedirectUris { web: f.strings("web")?, spa: f.strings("spa")?, public_client: f.strings("publicClient")? })
}

fn options(n: Node) -> Result<Options> {
    let f = n.object(&["grantAdminConsent", "createSecret", "secretLifetimeMonths", "includeOptional"])?;
    Ok(Options {
        grant_admin_consent: f.opt_bool("grantAdminConsent")?.unwrap_or(true),
        create_secret: f.opt_bool("createSecret")?,
        secret_lifetime_months: f.opt_number("secretLifetimeMonths")?.unwrap_or(DEFAULT_SECRET_LIFETIME_MONTHS),
        include_optional: f.opt_bool("includeOptional")?.unwrap_or(false),
    })
}

/// An Application (client) ID, lower-cased.
pub(super) fn app_id(n: Node) -> Result<String> {
    let id = n.string()?;
    if crate::guid::is_guid(&id) {
        Ok(id.to_ascii_lowercase())
    } else {
        Err(crate::error::Error::new(
            crate::error::Code::InvalidGuid,
            n.path(),
            format!("`{}` must be an Application (client) ID, a GUID", n.path()),
        ))
    }
}
