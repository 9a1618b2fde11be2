#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! README.md's component and permission tables are the catalog's; this test fails when they drift and prints
//! the tables to paste.

use lucs_registrar::catalog::{self, Kind};

fn kind(k: Kind) -> &'static str {
    match k {
        Kind::Delegated => "delegated",
        Kind::Application => "application",
    }
}

fn tables() -> String {
    let cat = catalog::builtin();
    let mut out =
        String::from("| Code | Component | Apps | Permissions (Microsoft Graph) | Purpose |\n|---|---|---|---|---|\n");
    for c in &cat.components {
        let perms: Vec<String> = c
            .permissions
            .iter()
            .map(|p| format!("{} ({}{})", p.value, kind(p.kind), if p.optional { ", optional" } else { "" }))
            .collect();
        let apps = if c.multi_instance { "one per instance" } else { "1" };
        out.push_str(&format!("| `{}` | {} | {apps} | {} | {} |\n", c.code, c.name, perms.join(", "), c.purpose));
    }
    out.push_str("\n| Permission | Kind | Graph type | ID | Admin consent required |\n|---|---|---|---|---|\n");
    let mut seen = Vec::new();
    for p in cat.components.iter().flat_map(|c| &c.permissions) {
        if seen.contains(&(&p.value, p.kind)) {
            continue;
        }
        seen.push((&p.value, p.kind));
        let consent = if p.admin_consent_required { "yes" } else { "no" };
        out.push_str(&format!(
            "| {} | {} | {} | `{}` | {consent} |\n",
            p.value,
            kind(p.kind),
            p.kind.graph_type(),
            p.id
        ));
    }
    out
}

#[test]
fn readme_tables_match_the_catalog() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let start = readme.find("<!-- catalog:start -->\n").expect("README has the catalog markers") + 23;
    let end = readme.find("<!-- catalog:end -->").unwrap();
    let expected = tables();
    assert!(
        readme[start..end] == expected,
        "README.md tables differ from the catalog; replace them with:\n\n{expected}"
    );
}
