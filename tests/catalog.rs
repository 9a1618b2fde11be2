#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The built-in catalog against DESIGN's table and Microsoft's ids; custom catalogs and their errors.

use lucs_registrar::catalog::{self, Kind, MICROSOFT_GRAPH_APP_ID};
use lucs_registrar::Code;
use serde_json::{json, Value};

/// (value, kind, optional)
type Row = (&'static str, Kind, bool);

/// The vendor table, corrected: (code, multi-instance, permissions).
fn expected() -> Vec<(&'static str, bool, Vec<Row>)> {
    use Kind::*;
    let mail = [
        ("MailboxSettings.Read", Delegated, false),
        ("Mail.Read", Delegated, false),
        ("Mail.ReadWrite", Delegated, false),
        ("Mail.Send", Delegated, false),
    ];
    let mut ci = mail.to_vec();
    ci.extend([
        ("Calendars.Read", Delegated, false),
        ("Calendars.Read.Shared", Delegated, true),
        ("Contacts.Read", Delegated, false),
        ("User.Read", Delegated, false),
    ]);
    let mut cr = mail.to_vec();
    cr.extend([("Files.ReadWrite.All", Delegated, false), ("User.Read", Delegated, false)]);
    let dir = vec![("User.Read.All", Application, false)];
    vec![
        ("AC", false, vec![("Presence.Read.All", Delegated, false)]),
        ("CI", true, ci),
        ("CIC", false, dir.clone()),
        ("CR", true, cr),
        ("FE", false, dir.clone()),
        ("GalReader", false, dir.clone()),
        ("TeamsAA", false, vec![("User.Read", Delegated, false)]),
        ("WebConfigurator", false, dir),
    ]
}

#[test]
fn builtin_matches_the_corrected_vendor_table() {
    let cat = catalog::builtin();
    let got: Vec<_> = cat
        .components
        .iter()
        .map(|c| {
            (
                c.code.as_str(),
                c.multi_instance,
                c.permissions.iter().map(|p| (p.value.as_str(), p.kind, p.optional)).collect::<Vec<_>>(),
            )
        })
        .collect();
    assert_eq!(got, expected());
    for c in &cat.components {
        assert!(c.permissions.iter().all(|p| p.resource_app_id == MICROSOFT_GRAPH_APP_ID), "{} not all Graph", c.code);
        assert!(!c.name.is_empty() && !c.purpose.is_empty());
    }
}

/// Ids as published in microsoft-graph-devx-content permissions-descriptions.json and the Graph permissions
/// reference's id table. Written out here a second time on purpose: a typo in the catalog must fail a test.
#[test]
fn every_id_is_microsofts() {
    let published = [
        ("Presence.Read.All", Kind::Delegated, "9c7a330d-35b3-4aa1-963d-cb2b9f927841", false),
        ("MailboxSettings.Read", Kind::Delegated, "87f447af-9fa4-4c32-9dfa-4a57a73d18ce", false),
        ("Mail.Read", Kind::Delegated, "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", false),
        ("Mail.ReadWrite", Kind::Delegated, "024d486e-b451-40bb-833d-3e66d98c5c73", false),
        ("Mail.Send", Kind::Delegated, "e383f46e-2787-4529-855e-0e479a3ffac0", false),
        ("Calendars.Read", Kind::Delegated, "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42", false),
        ("Calendars.Read.Shared", Kind::Delegated, "2b9c4092-424d-4249-948d-b43879977640", false),
        ("Contacts.Read", Kind::Delegated, "ff74d97f-43af-4b68-9f2a-b77ee6968c5d", false),
        ("User.Read", Kind::Delegated, "e1fe6dd8-ba31-4d61-89e7-88639da4683d", false),
        ("Files.ReadWrite.All", Kind::Delegated, "863451e7-0667-486c-a5d6-d135439485f0", false),
        ("User.Read.All", Kind::Application, "df021288-bdef-4463-88db-98f22de89214", true),
    ];
    let cat = catalog::builtin();
    let mut checked = 0;
    for c in &cat.components {
        for p in &c.permissions {
            let (_, _, id, admin) =
                published.iter().find(|(v, k, _, _)| *v == p.value && *k == p.kind).expect("published");
            assert_eq!(&p.id, id, "{} in {}", p.value, c.code);
            assert_eq!(p.admin_consent_required, *admin, "{} admin consent", p.value);
            checked += 1;
        }
    }
    assert_eq!(checked, 1 + 8 + 1 + 6 + 1 + 1 + 1 + 1);
}

#[test]
fn errata_are_told_where_they_apply() {
    let cat = catalog::builtin();
    let errata = |code: &str| cat.component(code).unwrap().errata.join(" ");
    assert!(errata("TeamsAA").contains("Users.Read"));
    assert!(errata("CR").contains("O365 Exchange API"));
    assert!(errata("FE").contains("Users.Read.All"));
    assert!(errata("AC").contains("Presence.Read.All"));
    assert!(errata("CI").contains("Calendars.Read.Shared"));
}

fn builtin_json() -> Value {
    serde_json::to_value(catalog::builtin()).unwrap()
}

#[test]
fn builtin_round_trips_through_the_loader() {
    let loaded = catalog::load(builtin_json()).unwrap();
    assert_eq!(loaded, catalog::builtin());
}

fn load_err(mutate: impl FnOnce(&mut Value)) -> lucs_registrar::Error {
    let mut v = builtin_json();
    mutate(&mut v);
    catalog::load(v).unwrap_err()
}

#[test]
fn unknown_field_is_named_with_its_path() {
    let e = load_err(|v| v["components"][2]["permissions"][0]["scopeName"] = json!("x"));
    assert_eq!(e.code, Code::UnknownField);
    assert_eq!(e.field.as_deref(), Some("components[2].permissions[0].scopeName"));
    assert!(e.message.contains("scopeName"), "{}", e.message);
    let e = load_err(|v| v["version"] = json!(2));
    assert_eq!((e.code, e.field.as_deref()), (Code::UnknownField, Some("version")));
}

#[test]
fn bad_guid_is_rejected() {
    let e = load_err(|v| v["components"][1]["permissions"][3]["id"] = json!("e383f46e-2787-4529-855e-0e479a3ffacZ"));
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidGuid, Some("components[1].permissions[3].id")));
    let e = load_err(|v| {
        v["components"][0]["permissions"][0]["resourceAppId"] = json!("{00000003-0000-0000-c000-000000000000}");
    });
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidGuid, Some("components[0].permissions[0].resourceAppId")));
    let e = load_err(|v| v["components"][0]["permissions"][0]["id"] = json!("9c7a330d35b34aa1963dcb2b9f927841"));
    assert_eq!(e.code, Code::InvalidGuid);
}

#[test]
fn unknown_kind_is_rejected() {
    let e = load_err(|v| v["components"][0]["permissions"][0]["kind"] = json!("Scope"));
    assert_eq!((e.code, e.field.as_deref()), (Code::UnknownKind, Some("components[0].permissions[0].kind")));
    assert!(e.message.contains("delegated") && e.message.contains("application"));
}

#[test]
fn duplicate_permission_is_rejected() {
    let e = load_err(|v| {
        let p = v["components"][3]["permissions"][0].clone();
        v["components"][3]["permissions"].as_array_mut().unwrap().push(p);
    });
    assert_eq!((e.code, e.field.as_deref()), (Code::DuplicatePermission, Some("components[3].permissions[6]")));
}

#[test]
fn one_permission_has_one_id_across_components() {
    let e = load_err(|v| v["components"][6]["permissions"][0]["id"] = json!("00000000-0000-0000-0000-000000000001"));
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidCatalog, Some("components[6].permissions[0].id")));
}

#[test]
fn empty_component_is_rejected() {
    let e = load_err(|v| v["components"][4]["permissions"] = json!([]));
    assert_eq!((e.code, e.field.as_deref()), (Code::EmptyComponent, Some("components[4].permissions")));
}

#[test]
fn other_catalog_mistakes_are_named() {
    let e = load_err(|v| v["components"][5]["code"] = json!("CR"));
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidCatalog, Some("components[5].code")));
    let e = load_err(|v| v["components"][5]["code"] = json!("gal reader"));
    assert_eq!(e.field.as_deref(), Some("components[5].code"));
    let e = load_err(|v| v["components"] = json!([]));
    assert_eq!(e.field.as_deref(), Some("components"));
    let e = load_err(|v| v["components"][2]["permissions"][0]["adminConsentRequired"] = json!(false));
    assert_eq!(e.field.as_deref(), Some("components[2].permissions[0].adminConsentRequired"));
    let e = load_err(|v| v["components"][2]["permissions"][0]["value"] = json!("User Read"));
    assert_eq!(e.field.as_deref(), Some("components[2].permissions[0].value"));
    let e = load_err(|v| v["components"][2]["multiInstance"] = json!("yes"));
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidInput, Some("components[2].multiInstance")));
    let e = load_err(|v| v["profile"] = json!(" "));
    assert_eq!(e.field.as_deref(), Some("profile"));
    let e = catalog::load(json!([1, 2])).unwrap_err();
    assert_eq!(e.code, Code::InvalidInput);
}

#[test]
fn a_custom_catalog_for_another_version_plans() {
    let custom = json!({
        "profile": "LUCS 4 (test)",
        "components": [{
            "code": "REC", "name": "Recorder", "purpose": "Records", "multiInstance": true,
            "permissions": [{ "resourceAppId": MICROSOFT_GRAPH_APP_ID, "value": "User.Read", "kind": "delegated",
                              "id": "E1FE6DD8-BA31-4D61-89E7-88639DA4683D", "adminConsentRequired": false }]
        }]
    });
    let cat = catalog::load(custom).unwrap();
    assert_eq!(cat.components[0].errata, Vec::<String>::new());
    let req =
        lucs_registrar::plan::PlanRequest::from_json(json!({"components": [{"code": "rec", "instances": ["a", "b"]}]}))
            .unwrap();
    let plan = lucs_registrar::plan::plan(&req, &cat).unwrap();
    let keys: Vec<_> = plan.applications.iter().map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["lucs-rec-a", "lucs-rec-b"]);
    // ids are normalised to Graph's lowercase spelling
    assert_eq!(
        plan.applications[0].application.required_resource_access[0].resource_access[0].id,
        "e1fe6dd8-ba31-4d61-89e7-88639da4683d"
    );
}

/// Text that would end a comment line in an exported script (or read differently than it runs) is refused in
/// every free-text field of a catalog, with the field named.
#[test]
fn control_and_line_separator_characters_are_refused_in_catalog_text() {
    type Set = fn(&mut Value, &str);
    let fields: [(&str, Set); 5] = [
        ("profile", |v, s| v["profile"] = json!(s)),
        ("components[3].name", |v, s| v["components"][3]["name"] = json!(s)),
        ("components[3].purpose", |v, s| v["components"][3]["purpose"] = json!(s)),
        ("components[1].errata[2]", |v, s| v["components"][1]["errata"][2] = json!(s)),
        ("components[0].permissions[0].description", |v, s| {
            v["components"][0]["permissions"][0]["description"] = json!(s);
        }),
    ];
    for (field, set) in fields {
        for bad in
            ["Rec\ntouch pwned", "a\rb", "a\u{85}b", "a\u{2028}b", "a\u{2029}b", "a\u{202E}b", "tab\there", "nul\0"]
        {
            let e = load_err(|v| set(v, bad));
            assert_eq!((e.code, e.field.as_deref()), (Code::InvalidText, Some(field)), "{bad:?}");
            assert!(e.message.contains("U+"), "{}", e.message);
        }
    }
    let e = load_err(|v| v["profile"] = json!("p".repeat(201)));
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidCatalog, Some("profile")));
}

fn big_catalog(components: usize, permissions: usize) -> Value {
    let comps: Vec<Value> = (0..components)
        .map(|c| {
            let perms: Vec<Value> = (0..permissions)
                .map(|p| {
                    json!({ "resourceAppId": MICROSOFT_GRAPH_APP_ID, "value": format!("C{c}.Perm{p}.Read"), "kind": "delegated",
                            "id": format!("00000000-0000-0000-{c:04x}-{p:012x}"), "adminConsentRequired": false })
                })
                .collect();
            json!({ "code": format!("C{c}"), "name": format!("Component {c}"), "purpose": "Testing the caps",
                    "multiInstance": false, "errata": [], "permissions": perms })
        })
        .collect();
    json!({ "profile": "Caps", "components": comps })
}

/// The caps are documented numbers, checked before any field is read; bytes are checked before parsing.
#[test]
fn catalog_size_caps_are_enforced() {
    let e = catalog::load(big_catalog(catalog::MAX_COMPONENTS + 1, 1)).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::TooLarge, Some("components")));
    let e = catalog::load(big_catalog(2, catalog::MAX_PERMISSIONS + 1)).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::TooLarge, Some("components[0].permissions")));
    let mut v = builtin_json();
    v["components"][0]["errata"] = json!(vec!["An erratum."; catalog::MAX_ERRATA + 1]);
    let e = catalog::load(v).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::TooLarge, Some("components[0].errata")));
    let text = format!("{{\"profile\": \"{}\"}}", " ".repeat(catalog::MAX_CATALOG_BYTES));
    let e = catalog::load_str(&text).unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::TooLarge, Some("catalog")));
    assert_eq!(catalog::load_str(&builtin_json().to_string()).unwrap(), catalog::builtin());
    let e = catalog::load_str("{").unwrap_err();
    assert_eq!((e.code, e.field.as_deref()), (Code::InvalidInput, Some("catalog")));
}

/// Validation is linear: the largest catalog the count caps allow (20,000 permissions, one id each across
/// components) validates quickly. Pairwise duplicate checks took minutes on a catalog of this size.
#[test]
fn the_largest_allowed_catalog_validates_quickly() {
    let v = big_catalog(catalog::MAX_COMPONENTS, catalog::MAX_PERMISSIONS);
    let bytes = v.to_string().len();
    let started = std::time::Instant::now();
    let cat = catalog::load(v).unwrap();
    let took = started.elapsed();
    println!("catalog of {bytes} bytes, 20000 permissions: validated in {took:?}");
    assert_eq!(cat.components.len() * cat.components[0].permissions.len(), 20_000);
    assert!(took < std::time::Duration::from_secs(5), "took {took:?}");
}
