//! `ids-csv`: what the LUCS topology configuration needs, one row per app. IDs stay empty until a run fills them.

use super::Results;
use crate::plan::Plan;

pub const HEADER: &str = "component,instance,displayName,appId,tenantId,objectId";

/// RFC 4180 quoting; a leading = + - @ tab or CR is prefixed with ' so a spreadsheet never runs a cell as a
/// formula (OWASP "CSV Injection"). A field with any control or separator character is quoted too.
pub fn field(value: &str) -> String {
    let value =
        if value.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{value}") } else { value.to_string() };
    let special = value.contains([',', '"']) || value.contains(crate::text::is_forbidden);
    if special || value.starts_with(' ') || value.ends_with(' ') {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

pub fn render(plan: &Plan, results: Option<&Results>) -> String {
    let mut out = String::from(HEADER);
    out.push_str("\r\n");
    let tenant = results.and_then(|r| r.tenant_id.as_deref()).unwrap_or("");
    for app in &plan.applications {
        let found = results.and_then(|r| r.find(&app.key));
        let row = [
            app.component.as_str(),
            app.instance.as_deref().unwrap_or(""),
            app.display_name.as_str(),
            found.and_then(|f| f.app_id.as_deref()).unwrap_or(""),
            tenant,
            found.and_then(|f| f.object_id.as_deref()).unwrap_or(""),
        ];
        let cells: Vec<String> = row.iter().map(|c| field(c)).collect();
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}
