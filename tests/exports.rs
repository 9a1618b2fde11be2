#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Each export is correct for its tool: it parses, every GUID is present, names are quoted, consent is there.

mod common;

use common::{full_plan, plan_json};
use lucs_registrar::catalog;
use lucs_registrar::export::{export, Format, Results};
use lucs_registrar::plan::Plan;
use serde_json::json;
use std::io::Write;
use std::process::{Command, Stdio};

fn all_ids(plan: &Plan) -> Vec<String> {
    let mut ids: Vec<String> =
        plan.applications.iter().flat_map(|a| a.permissions.iter().map(|p| p.id.clone())).collect();
    ids.push(catalog::MICROSOFT_GRAPH_APP_ID.to_string());
    ids.sort();
    ids.dedup();
    ids
}

/// A plan whose display names contain a quote, `$`, a backtick and `${…}` — everything that breaks naive quoting.
fn tricky_plan() -> Plan {
    let mut cat = serde_json::to_value(catalog::builtin()).unwrap();
    cat["components"][3]["name"] = json!("O'Brien \"Rec\" $HOME `id` ${x} %{y}");
    let cat = catalog::load(cat).unwrap();
    let req = lucs_registrar::plan::PlanRequest::from_json(
        json!({"components": [{"code": "CR", "instances": ["1"]}, {"code": "FE"}]}),
    )
    .unwrap();
    lucs_registrar::plan::plan(&req, &cat).unwrap()
}

fn bash_syntax_ok(script: &str) {
    let mut child = Command::new("bash").arg("-n").stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("bash");
    child.stdin.take().unwrap().write_all(script.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "bash -n: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn az_script_parses_and_carries_every_step() {
    let plan = full_plan();
    let script = export(&plan, Format::AzCli, None);
    bash_syntax_ok(&script);
    assert!(script.starts_with("#!/usr/bin/env bash"));
    assert!(!script.contains("az ad app "), "az ad app create PATCHes an app found by display name");
    assert!(!script.contains("--display-name"));
    assert_eq!(script.matches("\nregister_app\n").count(), 10);
    for app in &plan.applications {
        let body = bash_quoted(&serde_json::to_string(&app.application).unwrap());
        assert!(script.contains(&format!("\nkey='{}'\n", app.key)), "{}", app.key);
        assert!(script.contains(&format!("\nbody={body}\n")), "the exact Graph body of {}", app.key);
    }
    assert_eq!(script.matches("\ngrant_delegated \"$resource_sp_0\" ").count(), 6, "one grant per delegated app");
    assert_eq!(script.matches("\nassign_role \"$resource_sp_0\" ").count(), 4, "one per application permission");
    assert_eq!(script.matches("\nadd_secret 12 ").count(), 4);
    assert!(!script.contains("admin-consent"), "az's admin-consent uses an undocumented portal API");
    assert!(script.contains("Prefer=create-if-missing"));
    for id in all_ids(&plan) {
        assert!(script.contains(&id), "{id} missing");
    }
    // Run it: every app is created by its key, with its consent and secret, and its IDs land in the CSV.
    let stub = export_safety::StubAz::new("every-step");
    let calls = stub.run(&script).unwrap();
    let upserts = calls.iter().filter(|c| c.iter().any(|a| a == "Prefer=create-if-missing")).count();
    assert_eq!(upserts, 10);
    let posts = |path: &str| {
        calls
            .iter()
            .filter(|c| c.len() > 4 && c[..4] == ["rest", "--method", "POST", "--uri"] && c[4].ends_with(path))
            .count()
    };
    assert_eq!((posts("/oauth2PermissionGrants"), posts("/appRoleAssignments"), posts("/addPassword")), (6, 4, 4));
    let csv = std::fs::read_to_string(stub.dir.join("ids.csv")).unwrap();
    assert_eq!(csv.lines().count(), 11, "{csv}");
}

/// bash's single quoting, as the exporter writes it.
fn bash_quoted(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

#[test]
fn az_script_quotes_hostile_names() {
    let script = export(&tricky_plan(), Format::AzCli, None);
    bash_syntax_ok(&script);
    assert!(script.contains(r#"{"displayName":"LUCS O'\''Brien \"Rec\" $HOME `id` ${x} %{y} (1)","#), "{script}");
    // Run just the quoting: bash must hand the exact body to the program.
    let line = script.lines().find(|l| l.starts_with("body=") && l.contains("Brien")).unwrap();
    let out = Command::new("bash").arg("-c").arg(format!("{line}; printf %s \"$body\"")).output().unwrap();
    let body: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(body["displayName"], "LUCS O'Brien \"Rec\" $HOME `id` ${x} %{y} (1)");
}

/// PowerShell is not installed here, so check what breaks a script: unbalanced quotes and brackets.
fn powershell_balanced(script: &str) {
    let mut stack = Vec::new();
    let mut chars = script.chars().peekable();
    let mut in_single = false;
    let mut line = 1;
    while let Some(c) = chars.next() {
        if c == '\n' {
            line += 1;
        }
        if in_single {
            if c == '\'' {
                if chars.peek() == Some(&'\'') {
                    chars.next();
                } else {
                    in_single = false;
                }
            }
            continue;
        }
        match c {
            '\'' => in_single = true,
            '#' if stack.is_empty() || stack.last() == Some(&'{') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        line += 1;
                        break;
                    }
                }
            }
            '(' | '{' | '[' => stack.push(c),
            ')' | '}' | ']' => {
                let open = stack.pop().unwrap_or_else(|| panic!("unbalanced {c} at line {line}"));
                assert_eq!(
                    (open, c).0,
                    match c {
                        ')' => '(',
                        '}' => '{',
                        _ => '[',
                    },
                    "mismatch at line {line}"
                );
            }
            _ => {}
        }
    }
    assert!(!in_single, "unterminated string");
    assert!(stack.is_empty(), "unclosed {stack:?}");
}

#[test]
fn powershell_script_uses_the_graph_module_and_consents() {
    let plan = full_plan();
    let script = export(&plan, Format::PowerShell, None);
    powershell_balanced(&script);
    assert_eq!(script.matches("$app = Register-LucsApp -Key '").count(), 10);
    assert_eq!(
        script.matches("Invoke-MgGraphRequest -Method PATCH").count(),
        2,
        "the upsert; the update of a vetted app"
    );
    assert_eq!(script.matches("New-MgServicePrincipal -AppId").count(), 10);
    assert_eq!(script.matches("New-MgOauth2PermissionGrant -ClientId").count(), 6);
    assert_eq!(script.matches("New-MgServicePrincipalAppRoleAssignment -ServicePrincipalId").count(), 4);
    assert_eq!(script.matches("Add-MgApplicationPassword").count(), 4);
    assert!(script.contains("-ConsentType 'AllPrincipals'"));
    assert!(script.contains("AddMonths(12)"));
    for id in all_ids(&plan) {
        assert!(script.contains(&id), "{id} missing");
    }
}

#[test]
fn powershell_quotes_hostile_names() {
    let script = export(&tricky_plan(), Format::PowerShell, None);
    powershell_balanced(&script);
    assert!(script.contains(r#"-Body '{"displayName":"LUCS O''Brien \"Rec\" $HOME `id` ${x} %{y} (1)","#), "{script}");
    assert!(!script.contains("displayName eq"), "never looked up by display name");
}

#[test]
fn terraform_parses_and_has_every_resource() {
    let plan = full_plan();
    let tf = export(&plan, Format::Terraform, None);
    let body: hcl::Body = hcl::from_str(&tf).unwrap_or_else(|e| panic!("HCL: {e}\n{tf}"));
    let count = |kind: &str| {
        body.blocks()
            .filter(|b| b.identifier() == "resource" && b.labels().first().map(|l| l.as_str()) == Some(kind))
            .count()
    };
    assert_eq!(count("azuread_application"), 10);
    assert_eq!(count("azuread_service_principal"), 10);
    assert_eq!(count("azuread_service_principal_delegated_permission_grant"), 6);
    assert_eq!(count("azuread_app_role_assignment"), 4);
    assert_eq!(count("azuread_application_password"), 4);
    for id in all_ids(&plan) {
        assert!(tf.contains(&id), "{id} missing");
    }
    assert!(tf.contains("claim_values                         = [\"MailboxSettings.Read\", \"Mail.Read\""));
}

#[test]
fn terraform_quotes_hostile_names() {
    let tf = export(&tricky_plan(), Format::Terraform, None);
    let body: hcl::Body = hcl::from_str(&tf).unwrap_or_else(|e| panic!("HCL: {e}\n{tf}"));
    let app = body.blocks().find(|b| b.identifier() == "resource" && b.labels()[1].as_str() == "lucs_cr_1").unwrap();
    let name = app.body().attributes().find(|a| a.key() == "display_name").unwrap();
    assert!(tf.contains(r#""LUCS O'Brien \"Rec\" $HOME `id` $${x} %%{y} (1)""#), "{tf}");
    assert!(matches!(name.expr(), hcl::Expression::String(_) | hcl::Expression::TemplateExpr(_)));
}

#[test]
fn terraform_fmt_accepts_it_when_terraform_is_installed() {
    let Ok(mut child) = Command::new("terraform")
        .args(["fmt", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
    else {
        eprintln!("terraform not installed; the HCL parser test covers syntax");
        return;
    };
    child.stdin.take().unwrap().write_all(export(&tricky_plan(), Format::Terraform, None).as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "terraform fmt: {}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn manifest_json_is_the_graph_bodies() {
    let plan = full_plan();
    let doc: serde_json::Value = serde_json::from_str(&export(&plan, Format::ManifestJson, None)).unwrap();
    let apps = doc["applications"].as_array().unwrap();
    assert_eq!(apps.len(), 10);
    assert_eq!(apps[5]["request"]["url"], "/applications(uniqueName='lucs-cr-2')");
    assert_eq!(apps[5]["request"]["headers"]["Prefer"], "create-if-missing");
    assert_eq!(apps[5]["application"], serde_json::to_value(&plan.applications[5].application).unwrap());
    assert_eq!(apps[6]["appRoleAssignments"][0]["appRoleId"], "df021288-bdef-4463-88db-98f22de89214");
    let no_consent =
        plan_json(json!({"components": [{"code": "FE"}], "options": {"grantAdminConsent": false}})).unwrap();
    let doc: serde_json::Value = serde_json::from_str(&export(&no_consent, Format::ManifestJson, None)).unwrap();
    assert_eq!(doc["applications"][0]["appRoleAssignments"], json!([]));
}

#[test]
fn ids_csv_is_empty_before_a_run_and_filled_after() {
    let plan = full_plan();
    let before = export(&plan, Format::IdsCsv, None);
    let lines: Vec<&str> = before.lines().collect();
    assert_eq!(lines[0], "component,instance,displayName,appId,tenantId,objectId");
    assert_eq!(lines.len(), 11);
    assert_eq!(lines[5], "CR,1,LUCS Conversation Recording (1),,,");
    let results = Results::from_json(json!({
        "tenantId": "11111111-2222-3333-4444-555555555555",
        "applications": [{"key": "lucs-cr-1", "appId": "aaaaaaaa-0000-0000-0000-000000000001", "objectId": "bbbbbbbb-0000-0000-0000-000000000001", "servicePrincipalId": "x"}],
        "startedAt": "ignored"
    }))
    .unwrap();
    let after = export(&plan, Format::IdsCsv, Some(&results));
    assert!(after.contains(
        "CR,1,LUCS Conversation Recording (1),aaaaaaaa-0000-0000-0000-000000000001,11111111-2222-3333-4444-555555555555,bbbbbbbb-0000-0000-0000-000000000001\r\n"
    ));
}

#[test]
fn ids_csv_quotes_fields() {
    let csv = export(&tricky_plan(), Format::IdsCsv, None);
    assert!(csv.contains(r#"CR,1,"LUCS O'Brien ""Rec"" $HOME `id` ${x} %{y} (1)",,,"#), "{csv}");
}

#[test]
fn unknown_format_names_the_allowed_ones() {
    let e = Format::read("bicep", "format", lucs_registrar::Code::UnknownFormat).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("format"));
    assert_eq!(e.code, lucs_registrar::Code::UnknownFormat);
    assert!(e.message.contains(r#""manifest-json", "az-cli", "powershell", "terraform", "ids-csv""#), "{}", e.message);
}

#[path = "export_safety/mod.rs"]
mod export_safety;

/// A component name with a line break once ended a comment of the az script and ran the next line; the catalog
/// now refuses it, and the exporter escapes it even when handed such a plan directly.
#[test]
fn a_line_break_in_a_name_never_runs_or_adds_a_block() {
    let stub = export_safety::StubAz::new("line-break");
    let payload = format!("Rec\ntouch {}\n", stub.marker().display());
    let mut cat = serde_json::to_value(catalog::builtin()).unwrap();
    cat["components"][3]["name"] = json!(payload);
    let e = catalog::load(cat).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (lucs_registrar::Code::InvalidText, Some("components[3].name")));

    let mut plan = full_plan();
    plan.profile = format!("p\ntouch {}", stub.marker().display());
    plan.applications[0].display_name = payload.clone();
    plan.applications[1].display_name = "x\noutput \"pwned\" { value = 1 }\n#".to_string();
    let script = export(&plan, Format::AzCli, None);
    bash_syntax_ok(&script);
    stub.run(&script).expect("the script runs against the stub");
    assert!(!stub.marker().exists(), "the payload ran");
    let tf: hcl::Body = hcl::from_str(&export(&plan, Format::Terraform, None)).unwrap();
    assert!(!tf.blocks().any(|b| b.labels().first().map(|l| l.as_str()) == Some("pwned")));
    let ps = export(&plan, Format::PowerShell, None);
    assert!(ps.contains("# --- Rec\\u{000A}touch "), "the comment shows the escape");
}

/// A scope edited into a saved plan once ran under bash (it was pasted into a double-quoted body). Reading the
/// plan refuses it; handed over directly, it reaches az as data.
#[test]
fn a_hand_edited_scope_is_refused_and_never_runs() {
    let stub = export_safety::StubAz::new("scope");
    let scope = format!("x$(touch {})", stub.marker().display());
    let mut doc = serde_json::to_value(full_plan()).unwrap();
    doc["applications"][0]["delegatedGrants"][0]["scope"] = json!(scope);
    let e = Plan::from_json(doc).unwrap_err();
    assert_eq!(e.field.as_deref(), Some("applications[0].delegatedGrants[0].scope"));

    let mut plan = full_plan();
    plan.applications[0].delegated_grants[0].scope = scope.clone();
    let script = export(&plan, Format::AzCli, None);
    assert!(script.contains("\\\"scope\\\":$2}\""), "the body takes the scope from an argument");
    // A new app has no grant yet, so the first run creates it (POST) and the second updates it (PATCH).
    let scope_json = serde_json::to_string(&scope).unwrap();
    let sent = |calls: &[Vec<String>], method: &str| {
        calls.iter().any(|c| {
            c.windows(2).any(|w| w == ["--method", method])
                && c.windows(2).any(|w| w[0] == "--body" && w[1].ends_with(&format!("\"scope\":{scope_json}}}")))
        })
    };
    let calls = stub.run(&script).unwrap();
    assert!(!stub.marker().exists(), "the payload ran");
    assert!(sent(&calls, "POST"), "the scope reached az verbatim");
    let calls = stub.run(&script).unwrap();
    assert!(!stub.marker().exists(), "the payload ran");
    assert!(sent(&calls, "PATCH"), "the scope reached az verbatim");
}
