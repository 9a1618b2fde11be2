//! Exports: the same plan as the files other tools take — the Graph bodies, an az script, a Graph PowerShell
//! script, a Terraform configuration, and a CSV of the IDs. For admins who must go through change control or
//! cannot use the extension.
//!
//! The scripts and their prose are the planner page's: a build without the `exports` feature (the extension's,
//! see Cargo.toml) makes the IDs CSV only, which is a run's results rather than a script.

#[cfg(feature = "exports")]
mod az;
mod csv;
#[cfg(feature = "exports")]
mod manifest;
#[cfg(feature = "exports")]
mod powershell;
#[cfg(feature = "exports")]
mod terraform;

use serde::Serialize;

use crate::closed_set::closed_set;
use crate::error::{Code, Error, Result};
use crate::json;
use crate::plan::Plan;

closed_set! {
    /// The export formats, by the word a caller names them with.
    pub enum Format {
        ManifestJson = "manifest-json",
        AzCli = "az-cli",
        PowerShell = "powershell",
        Terraform = "terraform",
        IdsCsv = "ids-csv",
    }
}

/// What a run learned about each app; a run report can be passed as is (unknown fields are ignored).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Results {
    pub tenant_id: Option<String>,
    pub applications: Vec<AppResult>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppResult {
    pub key: String,
    pub app_id: Option<String>,
    pub object_id: Option<String>,
}

impl Results {
    /// Reads IDs from a run report; its other fields are ignored, so a whole report can be passed. The values it
    /// reads are one-line text, like every other input.
    pub fn from_json(value: serde_json::Value) -> Result<Self> {
        json::read(&value, "results", |n| {
            let f = n.fields()?;
            Ok(Results {
                tenant_id: f.opt("tenantId", id)?,
                applications: f.list("applications", |n| {
                    let f = n.fields()?;
                    Ok(AppResult {
                        key: f.req("key", id)?,
                        app_id: f.opt("appId", id)?,
                        object_id: f.opt("objectId", id)?,
                    })
                })?,
            })
        })
    }

    fn find(&self, key: &str) -> Option<&AppResult> {
        self.applications.iter().find(|a| a.key == key)
    }
}

/// An id or key from a run report: one line of at most 100 characters.
fn id(n: json::Node) -> Result<String> {
    let value = n.string()?;
    if value.chars().count() > 100 {
        return Err(Error::new(Code::InvalidInput, n.path(), format!("`{}` is longer than 100 characters", n.path())));
    }
    crate::text::check(n.path(), &value)?;
    Ok(value)
}

#[cfg(feature = "exports")]
pub fn export(plan: &Plan, format: Format, results: Option<&Results>) -> String {
    match format {
        Format::ManifestJson => manifest::render(plan),
        Format::AzCli => az::render(plan),
        Format::PowerShell => powershell::render(plan),
        Format::Terraform => terraform::render(plan),
        Format::IdsCsv => csv::render(plan, results),
    }
}

/// `export`, in any build: one without the `exports` feature refuses every format but `ids-csv`, naming it.
pub fn render(plan: &Plan, format: Format, results: Option<&Results>) -> Result<String> {
    #[cfg(feature = "exports")]
    return Ok(export(plan, format, results));
    #[cfg(not(feature = "exports"))]
    match format {
        Format::IdsCsv => Ok(csv::render(plan, results)),
        other => Err(Error::new(
            Code::UnknownFormat,
            "format",
            format!(
                "`format` {:?} is made by the planner page; this build (the extension's) makes {:?} only",
                other.as_str(),
                Format::IdsCsv.as_str()
            ),
        )),
    }
}

#[cfg(feature = "exports")]
/// A key or id as it goes into a Graph URL from a script: an OData string literal (quotes doubled) with every byte
/// outside RFC 3986's unreserved characters percent-encoded. A valid key (lowercase letters, digits, hyphens) or
/// GUID is unchanged; anything else a hand-built plan might hold can neither end the literal nor the URL, and stays
/// inert in the script's own quoting.
fn url_literal(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in crate::odata::escape(value).bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(feature = "exports")]
/// Months as whole days, for tools that take a duration (Terraform) rather than a calendar offset.
fn months_as_hours(months: u32) -> u32 {
    // 365.25 / 12 days per month, rounded to whole days.
    let days = (months * 36525 + 600) / 1200;
    days * 24
}

#[cfg(all(test, feature = "exports"))]
mod tests {
    #[test]
    fn url_literals_keep_keys_and_encode_the_rest() {
        assert_eq!(super::url_literal("lucs-cr-2"), "lucs-cr-2");
        assert_eq!(super::url_literal("00000003-0000-0000-c000-000000000000"), "00000003-0000-0000-c000-000000000000");
        assert_eq!(super::url_literal("a')/x?$y z"), "a%27%27%29%2Fx%3F%24y%20z");
        assert_eq!(super::url_literal("é"), "%C3%A9");
    }

    #[test]
    fn twelve_months_is_a_year_of_hours() {
        assert_eq!(super::months_as_hours(12), 365 * 24);
        assert_eq!(super::months_as_hours(24), 731 * 24, "730.5 days round up");
    }
}
