#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Anyone in a tenant may create an app, name it like ours and even give it our key (`uniqueName`). The az-cli
//! script is run against a stub `az` in front of a small tenant (`tests/tools/stub-az`) holding such apps; the
//! PowerShell script cannot be run here (no PowerShell), so its text is checked for the same rules.

mod common;

#[path = "export_safety/mod.rs"]
mod export_safety;

use common::plan_json;
use export_safety::{StubAz, ME, ME_UPN};
use lucs_registrar::export::{export, Format};
use lucs_registrar::plan::Plan;
use serde_json::json;

const EVE: &str = "eeeeeeee-0000-4000-8000-00000000000e";
const EVE_UPN: &str = "eve@contoso.test";
const THEIRS: &str = "dddddddd-0000-4000-8000-0000000000d1";
const THEIR_APP_ID: &str = "dddddddd-1111-4000-8000-0000000000d1";
const CIC_NAME: &str = "LUCS Customer Infrastructure Connector";

/// AC (a delegated grant) and CIC (an application permission and a secret).
fn plan() -> Plan {
    plan_json(json!({"components": [{"code": "AC"}, {"code": "CIC"}]})).unwrap()
}

fn az_script() -> String {
    export(&plan(), Format::AzCli, None)
}

/// The calls that write (anything but a GET and the read-only `show`s), each as one line.
fn writes(calls: &[Vec<String>]) -> Vec<String> {
    calls
        .iter()
        .filter(|c| {
            let read = c.windows(2).any(|w| w[0] == "--method" && w[1] == "GET")
                || c.get(2).is_some_and(|s| s == "show")
                || c.first().is_some_and(|s| s == "account");
            !read
        })
        .map(|c| c.join(" "))
        .collect()
}

fn app_with_key(stub: &StubAz, key: &str) -> Option<String> {
    stub.apps().into_iter().find(|(_, k)| k.as_deref() == Some(key)).map(|(id, _)| id)
}

#[test]
fn az_creates_by_key_and_never_touches_a_look_alike() {
    let stub = StubAz::new("look-alike");
    stub.seed_app(THEIRS, THEIR_APP_ID, None, CIC_NAME, &[(EVE, EVE_UPN)]);
    let run = stub.run_with(&az_script(), &[]).unwrap();
    assert!(run.ok, "{}", run.stderr);

    for call in &run.calls {
        let line = call.join(" ");
        assert!(!line.contains(THEIRS) && !line.contains(THEIR_APP_ID), "the look-alike was addressed: {line}");
        assert!(!call.iter().any(|a| a == "--display-name"), "looked up or created by display name: {line}");
        assert!(!line.starts_with("ad app "), "az ad app patches an app of the same name: {line}");
    }
    assert_eq!(stub.writes(THEIRS), (String::new(), String::new()), "the look-alike was written to");
    let ours = app_with_key(&stub, "lucs-cic").expect("an app created by key");
    assert_ne!(ours, THEIRS);
    assert_eq!(stub.owners(&ours), vec![ME], "the new app is the signed-in user's");
    assert_eq!(stub.owners(THEIRS), vec![EVE]);
    let (_, secrets) = stub.writes(&ours);
    assert_eq!(secrets.lines().count(), 1, "the secret went to the app created by key");
    let upserts: Vec<&Vec<String>> = run
        .calls
        .iter()
        .filter(|c| c.iter().any(|a| a == "https://graph.microsoft.com/v1.0/applications(uniqueName='lucs-cic')"))
        .collect();
    assert!(upserts.iter().any(|c| c.iter().any(|a| a == "Prefer=create-if-missing")), "{upserts:?}");
}

#[test]
fn az_stops_for_a_key_held_by_another_member_and_goes_on_with_the_rest() {
    let stub = StubAz::new("squatted-key");
    stub.seed_app(THEIRS, THEIR_APP_ID, Some("lucs-cic"), CIC_NAME, &[(EVE, EVE_UPN)]);
    let run = stub.run_with(&az_script(), &[]).unwrap();

    assert!(!run.ok, "a stop must fail the run");
    let stop =
        run.stderr.lines().find(|l| l.starts_with("STOPPED lucs-cic:")).unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(stop.contains(THEIRS) && stop.contains(EVE_UPN) && stop.contains(EVE), "{stop}");
    assert!(run.stderr.contains(&format!("LUCS_ADOPT='{THEIRS}'")), "{}", run.stderr);
    for line in writes(&run.calls) {
        assert!(!line.contains("uniqueName='lucs-cic'"), "wrote by its key: {line}");
        assert!(!line.contains(THEIRS) && !line.contains(THEIR_APP_ID), "wrote to it: {line}");
    }
    assert_eq!(stub.writes(THEIRS), (String::new(), String::new()));
    assert!(!run.calls.iter().any(|c| c.join(" ").contains("appRoleAssignments")), "CIC's consent was attempted");
    assert!(!run.stdout.contains("Client secret for"), "{}", run.stdout);
    // The other app is registered as usual.
    let ac = app_with_key(&stub, "lucs-ac").expect("AC goes on");
    assert_eq!(stub.owners(&ac), vec![ME]);
    assert!(writes(&run.calls).iter().any(|l| l.contains("/oauth2PermissionGrants")), "AC's consent is granted");
    let csv = std::fs::read_to_string(stub.dir.join("ids.csv")).unwrap();
    assert!(csv.contains("AC,,") && !csv.contains("CIC,"), "{csv}");
}

#[test]
fn az_writes_to_a_held_key_only_when_its_object_id_is_adopted() {
    let stub = StubAz::new("adopt");
    stub.seed_app(THEIRS, THEIR_APP_ID, Some("lucs-cic"), CIC_NAME, &[(EVE, EVE_UPN)]);
    let other = "dddddddd-0000-4000-8000-0000000000d2";
    let run = stub.run_with(&az_script(), &[("LUCS_ADOPT", other)]).unwrap();
    assert!(!run.ok && run.stderr.contains("STOPPED lucs-cic:"), "adopting another app adopts nothing here");
    assert_eq!(stub.writes(THEIRS), (String::new(), String::new()));

    let adopt = format!("{other} {}", THEIRS.to_uppercase());
    let run = stub.run_with(&az_script(), &[("LUCS_ADOPT", &adopt)]).unwrap();
    assert!(run.ok, "{}", run.stderr);
    let (written, secrets) = stub.writes(THEIRS);
    assert_eq!(written, "PATCH by object id\n", "updated by its object id, once");
    assert_eq!(secrets.lines().count(), 1);
    let writes = writes(&run.calls);
    assert!(writes.iter().any(|l| l.starts_with(&format!("ad sp create --id {THEIR_APP_ID}"))), "{writes:?}");
    assert!(writes.iter().any(|l| l.contains("/appRoleAssignments")), "{writes:?}");
    assert!(!writes.iter().any(|l| l.contains("/owners/$ref") && l.contains(THEIRS)), "ownership is not taken");
    assert_eq!(stub.owners(THEIRS), vec![EVE]);
}

#[test]
fn az_refuses_an_adopt_list_that_is_not_object_ids() {
    let stub = StubAz::new("adopt-bad");
    let run = stub.run_with(&az_script(), &[("LUCS_ADOPT", "lucs-cic")]).unwrap();
    assert!(!run.ok);
    assert!(run.stderr.contains("LUCS_ADOPT: 'lucs-cic' is not an application object id"), "{}", run.stderr);
    assert!(run.calls.is_empty(), "nothing is asked before the input is checked: {:?}", run.calls);
}

#[test]
fn az_stops_for_a_held_key_without_owners_or_with_a_second_owner() {
    for (name, owners) in [("no-owner", vec![]), ("co-owner", vec![(ME, ME_UPN), (EVE, EVE_UPN)])] {
        let stub = StubAz::new(name);
        stub.seed_app(THEIRS, THEIR_APP_ID, Some("lucs-cic"), CIC_NAME, &owners);
        let run = stub.run_with(&az_script(), &[]).unwrap();
        assert!(!run.ok, "{name}");
        let stop = run.stderr.lines().find(|l| l.starts_with("STOPPED lucs-cic:")).unwrap();
        if owners.is_empty() {
            assert!(stop.contains("without any owner"), "{stop}");
        } else {
            assert!(stop.contains(EVE_UPN) && stop.contains(ME_UPN), "{stop}");
        }
        assert_eq!(stub.writes(THEIRS), (String::new(), String::new()), "{name}");
    }
}

#[test]
fn az_updates_its_own_apps_when_run_again() {
    let stub = StubAz::new("rerun");
    let script = export(&common::full_plan(), Format::AzCli, None);
    let first = stub.run_with(&script, &[]).unwrap();
    assert!(first.ok, "{}", first.stderr);
    let apps = stub.apps();
    assert_eq!(apps.len(), 10);
    for (id, _) in &apps {
        assert_eq!(stub.owners(id), vec![ME], "the creator is made an owner, so a re-run finds the app as its own");
    }
    let second = stub.run_with(&script, &[]).unwrap();
    assert!(second.ok, "{}", second.stderr);
    assert_eq!(stub.apps(), apps, "no app was created twice");
    for (id, _) in &apps {
        assert_eq!(stub.writes(id).0, "PATCH by object id\n", "updated by object id on the second run");
        assert_eq!(stub.owners(id), vec![ME]);
    }
    assert!(!writes(&second.calls).iter().any(|l| l.contains("Prefer=create-if-missing")), "nothing new to create");
}

#[test]
fn az_stops_for_a_key_taken_between_its_lookup_and_its_write() {
    let stub = StubAz::new("race");
    stub.seed_app(THEIRS, THEIR_APP_ID, Some("lucs-cic"), CIC_NAME, &[(EVE, EVE_UPN)]);
    stub.hide_once("lucs-cic");
    let run = stub.run_with(&az_script(), &[]).unwrap();
    assert!(!run.ok);
    let stop =
        run.stderr.lines().find(|l| l.starts_with("STOPPED lucs-cic:")).unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(stop.contains("appeared between") && stop.contains(THEIRS), "{stop}");
    // The upsert met the app (204), which is said; nothing more was done to it.
    assert_eq!(stub.writes(THEIRS).0, "PATCH by key\n");
    assert_eq!(stub.writes(THEIRS).1, "", "no secret");
    assert!(!run.calls.iter().any(|c| c.join(" ").contains("appRoleAssignments")), "no consent");
    assert_eq!(stub.owners(THEIRS), vec![EVE]);
}

// ---- PowerShell: the same rules, read from the script's text (PowerShell is not available to run it). ----

/// The text of the block that opens at `open` (the index of a `{`), quotes and comments skipped.
fn block_at(script: &str, open: usize) -> &str {
    let mut depth = 0;
    let mut chars = script[open..].char_indices().peekable();
    let mut quoted = false;
    while let Some((i, c)) = chars.next() {
        match (quoted, c) {
            (true, '\'') if chars.peek().map(|p| p.1) == Some('\'') => {
                chars.next();
            }
            (true, '\'') | (false, '\'') => quoted = !quoted,
            (false, '{') => depth += 1,
            (false, '}') => {
                depth -= 1;
                if depth == 0 {
                    return &script[open..open + i + 1];
                }
            }
            _ => {}
        }
    }
    panic!("unclosed block at {open}")
}

fn function<'a>(script: &'a str, name: &str) -> &'a str {
    let at = script.find(&format!("function {name}")).unwrap_or_else(|| panic!("no function {name}"));
    block_at(script, at + script[at..].find('{').unwrap())
}

#[test]
fn powershell_finds_apps_by_key_only() {
    let plan = common::full_plan();
    let ps = export(&plan, Format::PowerShell, None);
    for banned in ["displayName eq", "Get-MgApplication", "New-MgApplication", "Update-MgApplication", "-Search"] {
        assert!(!ps.contains(banned), "{banned} looks an app up or writes it outside the key rules");
    }
    let lookup = function(&ps, "Get-LucsApp");
    assert!(lookup.contains("\"/applications(uniqueName='\" + $Key + \"')\""), "{lookup}");
    assert!(lookup.contains("$expand=owners"), "{lookup}");
    assert!(lookup.contains("if ($status -eq 404) { return $null }"), "only a 404 means no app: {lookup}");
    let register = function(&ps, "Register-LucsApp");
    let upsert = register.find("Prefer = 'create-if-missing'").expect("created by key with create-if-missing");
    assert!(register[..upsert].contains("if (-not $app) {"), "the upsert is only for a key nobody holds");
    // Every app goes through Register-LucsApp with its key and the plan's exact application body.
    for app in &plan.applications {
        let call = format!("$app = Register-LucsApp -Key '{}' -Body '", app.key);
        let at = ps.find(&call).unwrap_or_else(|| panic!("{call}"));
        let body_start = at + call.len();
        let body_len = ps[body_start..].find("'\n").unwrap();
        let body = ps[body_start..body_start + body_len].replace("''", "'");
        let sent: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(sent, serde_json::to_value(&app.application).unwrap());
    }
}

#[test]
fn powershell_stops_unless_the_signed_in_user_owns_it_alone_or_it_is_adopted() {
    let ps = export(&common::full_plan(), Format::PowerShell, None);
    // -Adopt is the script's parameter: param() is its first statement.
    let first = ps.lines().find(|l| !l.starts_with('#') && !l.trim().is_empty()).unwrap();
    assert_eq!(first, "param(");
    assert!(ps.contains("    [string[]]$Adopt = @()\n)"), "{ps}");
    assert!(ps.contains("if ($id -notmatch $guidPattern) { throw \"-Adopt: '$id' is not an application object id\" }"));
    let vouched = function(&ps, "Test-Vouched");
    assert!(vouched.contains("if ($adoptIds -contains"), "{vouched}");
    assert!(vouched.contains("($ownerIds.Count -gt 0) -and -not ($ownerIds | Where-Object { $_ -ne $me })"));
    let register = function(&ps, "Register-LucsApp");
    let stops = register.matches("if (-not (Test-Vouched $app)) { Stop-LucsApp $Key $app '").count();
    assert_eq!(stops, 2, "an app found by the lookup, and one met by the upsert (204), are both vetted: {register}");
    let existing = register.rfind("if (-not (Test-Vouched $app))").unwrap();
    let update = register.find("'/applications/' + $app.id").expect("an existing app is updated by its object id");
    assert!(update > existing, "the update comes after the owners were checked");
    let stop = function(&ps, "Stop-LucsApp");
    assert!(stop.contains("run again with -Adopt '") && stop.contains("$script:stopped += $Key"), "{stop}");
    // Consent and secrets only inside `if ($app) { … }`, which Register-LucsApp leaves $null after a stop.
    let mut guarded = 0;
    let mut rest = ps.as_str();
    while let Some(at) = rest.find("\nif ($app) {") {
        let block = block_at(rest, at + "\nif ($app) ".len());
        guarded +=
            ["New-MgOauth2PermissionGrant", "New-MgServicePrincipalAppRoleAssignment", "Add-MgApplicationPassword"]
                .iter()
                .map(|w| block.matches(w).count())
                .sum::<usize>();
        rest = &rest[at + block.len()..];
    }
    let all = ["New-MgOauth2PermissionGrant", "New-MgServicePrincipalAppRoleAssignment", "Add-MgApplicationPassword"]
        .iter()
        .map(|w| ps.matches(w).count())
        .sum::<usize>();
    assert_eq!((guarded, all), (6 + 4 + 4, 6 + 4 + 4));
    assert!(ps.contains("if ($stopped.Count) {"), "a stop fails the run at the end");
}

#[test]
fn terraform_says_how_it_meets_existing_apps_and_never_looks_one_up_by_name() {
    let tf = export(&common::full_plan(), Format::Terraform, None);
    let header: Vec<&str> = tf.lines().take_while(|l| l.starts_with('#') || l.is_empty()).collect();
    let header = header.join("\n");
    assert!(header.contains("terraform import azuread_application.<name> /applications/<object id>"), "{header}");
    assert!(header.contains("never looked up by display name"), "{header}");
    let body: hcl::Body = hcl::from_str(&tf).unwrap();
    for block in body.blocks().filter(|b| b.identifier() == "data") {
        let kind = block.labels()[0].as_str();
        assert!(kind == "azuread_client_config" || kind == "azuread_service_principal", "{kind}");
        assert!(!block.body().attributes().any(|a| a.key() == "display_name"), "a lookup by display name");
    }
    assert!(!tf.contains("prevent_duplicate_names"), "that option looks apps up by display name");
}

/// The stub answers each `--query` the script sends as az would. Held to real JMESPath (python's `jmespath`, the
/// library az uses) and knack's tsv rules (one line per item of a top-level list; no output for null) when that
/// library is installed; the stub is then known to read Graph's answer the way az does.
#[test]
fn the_stub_answers_the_scripts_queries_as_jmespath_does_when_it_is_installed() {
    let probe = std::process::Command::new("python3").args(["-c", "import jmespath"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("python3 with jmespath not installed; the stub's answers are checked by the runs above");
        return;
    }
    let jmespath = |query: &str, graph: &serde_json::Value| {
        let program = "import jmespath, json, sys\nr = jmespath.search(sys.argv[1], json.loads(sys.argv[2]))\nif r is not None:\n    for i in (r if isinstance(r, list) else [r]): print(i)";
        let out =
            std::process::Command::new("python3").args(["-c", program, query, &graph.to_string()]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let script = az_script();
    let queries: Vec<&str> = script.split("--query \"").skip(1).map(|q| q.split('"').next().unwrap()).collect();
    let lookup = queries.iter().find(|q| q.starts_with("[id, appId")).expect("the lookup's query");
    let owners_query = queries.iter().find(|q| q.contains("value[].id")).expect("the owners' query");

    let stub = StubAz::new("jmespath");
    let bot = "bbbbbbbb-0000-4000-8000-0000000000b0";
    stub.seed_app(THEIRS, THEIR_APP_ID, Some("lucs-cic"), CIC_NAME, &[]);
    std::fs::write(stub.app_dir(THEIRS).join("owners"), format!("{EVE}\t{EVE_UPN}\tEve\n{bot}\t\tDeploy bot\n"))
        .unwrap();
    // What Graph answers for the same app (application-get with $expand=owners: users and service principals).
    let graph = json!({
        "id": THEIRS, "appId": THEIR_APP_ID, "displayName": CIC_NAME,
        "owners": [
            {"@odata.type": "#microsoft.graph.user", "id": EVE, "userPrincipalName": EVE_UPN, "displayName": "Eve"},
            {"@odata.type": "#microsoft.graph.servicePrincipal", "id": bot, "displayName": "Deploy bot"}
        ]
    });
    let uri = "https://graph.microsoft.com/v1.0/applications(uniqueName='lucs-cic')?$select=id,appId,displayName&$expand=owners";
    let answered = stub.az(&["rest", "--method", "GET", "--uri", uri, "--query", lookup, "-o", "tsv"]).unwrap();
    assert_eq!(answered, jmespath(lookup, &graph));
    assert_eq!(answered, format!("{THEIRS}\n{THEIR_APP_ID}\n{EVE} {bot}\n{EVE_UPN}, Deploy bot\n"));
    let graph_owners = json!({"value": graph["owners"]});
    let uri = format!("https://graph.microsoft.com/v1.0/applications/{THEIRS}/owners?$select=id");
    let answered = stub.az(&["rest", "--method", "GET", "--uri", &uri, "--query", owners_query, "-o", "tsv"]).unwrap();
    assert_eq!(answered, jmespath(owners_query, &graph_owners));
}

/// Ids from Graph go into URLs and messages only after they are checked to be GUIDs.
#[test]
fn az_takes_no_id_from_an_answer_that_is_not_a_guid() {
    let stub = StubAz::new("not-a-guid");
    // Run from the stub's directory, the payload would leave `pwned` there: the marker.
    let odd = "x'$(touch pwned)'";
    stub.seed_app(odd, THEIR_APP_ID, Some("lucs-ac"), "LUCS Agent Controller", &[(ME, ME_UPN)]);
    let run = stub.run_with(&az_script(), &[]).unwrap();
    assert!(!run.ok);
    assert!(run.stderr.contains("lucs-ac: Graph answered ids that are not GUIDs"), "{}", run.stderr);
    assert!(writes(&run.calls).is_empty(), "{:?}", writes(&run.calls));
    assert!(!stub.marker().exists(), "the payload ran");
}
