//! A Microsoft Graph sandbox tenant for LUCS App Registrar: the endpoints the registrar calls, behaving as
//! Microsoft documents them, with seeded faults. Used in-process by native tests (virtual time) and over HTTP
//! (`lucs-sandbox` binary) by the wasm and browser tests, the benchmark and `make demo`.

pub mod app_policy;
mod concurrency;
mod consent;
mod deleted;
pub mod directory;
pub mod exchange;
pub mod faults;
pub mod graph_sp;
mod health_states;
mod listing;
mod owners;
pub mod policy;
pub mod quirks;
pub mod resources;
pub(crate) mod routes;
pub mod scopes;
mod sign_ins;
pub mod tenant;
pub mod token;

pub use exchange::Exchange;
pub use faults::Faults;
pub use tenant::{Registration, Reply, Tenant};

/// Paths Graph serves under `/beta/` alone: the credential sign-in report is documented for beta only
/// (learn.microsoft.com/graph/api/reportroot-list-appcredentialsigninactivities?view=graph-rest-beta).
const BETA_ONLY: [&str; 1] = ["/reports/appCredentialSignInActivities"];

/// Graph's answer to a beta-only path asked for under `/v1.0/` (`url` relative to the host): 400 BadRequest
/// "Resource not found for the segment '…'.", its answer for a segment the version lacks (as reported in
/// microsoft-graph-docs issue 4900). None for any other URL.
pub fn version_refusal(url: &str) -> Option<Reply> {
    let path = url.strip_prefix("/v1.0")?.split('?').next().unwrap_or_default();
    let beta_only = BETA_ONLY.iter().find(|p| path.eq_ignore_ascii_case(p))?;
    let segment = beta_only.rsplit('/').next().unwrap_or_default();
    Some(Reply::error(400, "BadRequest", &format!("Resource not found for the segment '{segment}'.")))
}

/// The Graph-relative part of a sandbox URL: Graph answers under `/v1.0/` and `/beta/` alike (portal blades call
/// both, and one token is valid for every version).
pub fn graph_path(url: &str) -> Option<&str> {
    ["/v1.0", "/beta"]
        .iter()
        .find_map(|v| url.strip_prefix(v).filter(|rest| rest.is_empty() || rest.starts_with(['/', '?'])))
}
