//! What the admin asks for: components, instance labels, naming prefix, redirect URIs and options.
//! Parsed from plain JSON with the offending field named on every failure.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::error::{Error, Result};

pub const DEFAULT_PREFIX: &str = "LUCS";
pub const DEFAULT_SECRET_LIFETIME_MONTHS: u32 = 12;
pub const MAX_SECRET_LIFETIME_MONTHS: u32 = 24;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PlanRequest {
    pub components: Vec<ComponentRequest>,
    /// Starts every display name and key; default "LUCS".
    #[serde(default)]
    pub prefix: Option<String>,
    #[serde(default)]
    pub options: Options,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ComponentRequest {
    pub code: String,
    /// One app per label, for multi-instance components (CR, CI). Default: one instance labelled "1".
    #[serde(default)]
    pub instances: Option<Vec<String>>,
    /// Redirect URIs for every app of this component.
    #[serde(default)]
    pub redirect_uris: Option<RedirectUris>,
    /// Redirect URIs for one instance, replacing the component-wide ones; keyed by instance label.
    #[serde(default)]
    pub instance_redirect_uris: Option<BTreeMap<String, RedirectUris>>,
    /// Optional permissions (by value) to include for this component, e.g. ["Calendars.Read.Shared"].
    #[serde(default)]
    pub optional_permissions: Option<Vec<String>>,
    /// Overrides the plan-wide secret choice for this component.
    #[serde(default)]
    pub create_secret: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedirectUris {
    #[serde(default)]
    pub web: Vec<String>,
    #[serde(default)]
    pub spa: Vec<String>,
    #[serde(default)]
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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Options {
    /// Grant tenant-wide admin consent for every planned permission.
    #[serde(default = "yes")]
    pub grant_admin_consent: bool,
    /// Create a client secret for every app; unset = only for components with application permissions.
    #[serde(default)]
    pub create_secret: Option<bool>,
    #[serde(default = "default_lifetime")]
    pub secret_lifetime_months: u32,
    /// Include every optional permission of every chosen component.
    #[serde(default)]
    pub include_optional: bool,
}

fn yes() -> bool {
    true
}

fn default_lifetime() -> u32 {
    DEFAULT_SECRET_LIFETIME_MONTHS
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
    /// Parses a request from JSON, naming the field of the first thing that does not fit the schema.
    pub fn from_json(value: serde_json::Value) -> Result<Self> {
        serde_path_to_error::deserialize(value).map_err(|e| Error::from_serde(e, "request"))
    }
}
