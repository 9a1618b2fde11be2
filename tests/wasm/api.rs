//! The JS API as JavaScript sees it: plain objects, camelCase fields, `Error`s with `code` and `field`.
//! Included by the Node and the headless-Chromium test binaries.

use js_sys::{Array, Reflect, JSON};
use lucs_registrar::wasm_api::{catalog, decode_token, export_plan, load_catalog, plan, version};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn parse(json: &str) -> JsValue {
    JSON::parse(json).expect("test JSON")
}

fn get(v: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(v.clone(), |acc, key| match key.parse::<u32>() {
        Ok(i) => Array::from(&acc).get(i),
        Err(_) => Reflect::get(&acc, &key.into()).unwrap(),
    })
}

fn s(v: &JsValue, path: &str) -> String {
    get(v, path).as_string().unwrap_or_else(|| panic!("{path} is not a string"))
}

const FULL: &str = r#"{"components":[{"code":"AC"},{"code":"CI","instances":["1","2"]},{"code":"CIC"},
  {"code":"CR","instances":["1","2"]},{"code":"FE"},{"code":"GalReader"},{"code":"TeamsAA"},{"code":"WebConfigurator"}]}"#;

#[wasm_bindgen_test]
fn catalog_is_plain_camel_case_objects() {
    let cat = catalog().unwrap();
    assert_eq!(Array::from(&get(&cat, "components")).length(), 8);
    assert_eq!(s(&cat, "components.1.code"), "CI");
    assert_eq!(get(&cat, "components.1.multiInstance").as_bool(), Some(true));
    assert_eq!(s(&cat, "components.1.permissions.0.resourceAppId"), "00000003-0000-0000-c000-000000000000");
    assert_eq!(s(&cat, "components.2.permissions.0.kind"), "application");
    assert_eq!(get(&cat, "components.2.permissions.0.adminConsentRequired").as_bool(), Some(true));
    assert!(Array::is_array(&get(&cat, "components.0.errata")));
}

#[wasm_bindgen_test]
fn plan_of_the_full_set() {
    let p = plan(parse(FULL), JsValue::UNDEFINED).unwrap();
    assert_eq!(Array::from(&get(&p, "applications")).length(), 10);
    assert_eq!(s(&p, "applications.5.key"), "lucs-cr-2");
    assert_eq!(s(&p, "applications.5.displayName"), "LUCS Conversation Recording (2)");
    assert_eq!(s(&p, "applications.5.application.signInAudience"), "AzureADMyOrg");
    assert_eq!(s(&p, "applications.5.application.requiredResourceAccess.0.resourceAccess.0.type"), "Scope");
    assert_eq!(s(&p, "applications.6.application.requiredResourceAccess.0.resourceAccess.0.type"), "Role");
    assert!(get(&p, "applications.0.instance").is_null(), "single-instance apps have instance null");
    assert!(get(&p, "applications.0.application.web").is_undefined(), "no redirect URIs, no web key");
    assert!(Array::is_array(&get(&p, "warnings")));
}

fn thrown(result: Result<JsValue, JsValue>) -> (String, String, JsValue) {
    let err = result.expect_err("must throw");
    assert!(err.is_instance_of::<js_sys::Error>(), "thrown value is an Error");
    let field = Reflect::get(&err, &"field".into()).unwrap().as_string().unwrap_or_default();
    (s(&err, "code"), field, err)
}

#[wasm_bindgen_test]
fn input_errors_throw_errors_with_code_and_field() {
    let (code, field, err) =
        thrown(plan(parse(r#"{"components":[{"code":"CR","instances":["1","1"]}]}"#), JsValue::UNDEFINED));
    assert_eq!((code.as_str(), field.as_str()), ("duplicateInstance", "components[0].instances[1]"));
    assert!(err.unchecked_ref::<js_sys::Error>().message().as_string().unwrap().contains("\"1\""));
    let (code, field, _) =
        thrown(plan(parse(r#"{"components":[{"code":"AC"}],"options":{"secretLifetimeMonths":30}}"#), JsValue::NULL));
    assert_eq!((code.as_str(), field.as_str()), ("secretLifetimeOutOfRange", "options.secretLifetimeMonths"));
    let (code, field, _) = thrown(plan(JsValue::from_str("AC"), JsValue::UNDEFINED));
    assert_eq!((code.as_str(), field.as_str()), ("invalidInput", "request"));
}

#[wasm_bindgen_test]
fn a_custom_catalog_is_validated() {
    let mut cat = JSON::stringify(&catalog().unwrap()).unwrap().as_string().unwrap();
    cat = cat.replacen("\"kind\":\"delegated\"", "\"kind\":\"Scope\"", 1);
    let (code, field, _) = thrown(plan(parse(FULL), parse(&cat)));
    assert_eq!((code.as_str(), field.as_str()), ("unknownKind", "components[0].permissions[0].kind"));
    let (code, field, _) = thrown(load_catalog(parse(&cat)));
    assert_eq!((code.as_str(), field.as_str()), ("unknownKind", "components[0].permissions[0].kind"));
    let good = JSON::stringify(&catalog().unwrap()).unwrap().as_string().unwrap();
    assert!(plan(parse(FULL), parse(&good)).is_ok());
}

#[wasm_bindgen_test]
fn export_plan_in_every_format() {
    let p = plan(parse(FULL), JsValue::UNDEFINED).unwrap();
    for format in ["manifest-json", "az-cli", "powershell", "terraform", "ids-csv"] {
        let text = export_plan(p.clone(), format.into(), JsValue::UNDEFINED).unwrap();
        assert!(text.contains("LUCS Conversation Recording (2)"), "{format}");
    }
    let results = parse(r#"{"tenantId":"t-1","applications":[{"key":"lucs-ac","appId":"app-1","objectId":"obj-1"}]}"#);
    let csv = export_plan(p.clone(), "ids-csv".into(), results).unwrap();
    assert!(csv.contains("AC,,LUCS Agent Controller,app-1,t-1,obj-1"), "{csv}");
    let err = export_plan(p, "yaml".into(), JsValue::UNDEFINED).unwrap_err();
    assert_eq!(s(&err, "code"), "unknownFormat");
    assert_eq!(s(&err, "field"), "format");
}

/// Wrong argument types throw a typed Error naming the argument; before, a number where a string was expected
/// reached the Wasm as a bad pointer ("memory access out of bounds").
#[wasm_bindgen_test]
fn wrong_argument_types_throw_typed_errors() {
    let field = |r: Result<JsValue, JsValue>| {
        let (code, field, _) = thrown(r);
        assert_eq!(code, "invalidInput");
        field
    };
    assert_eq!(field(decode_token(JsValue::from_f64(123.0))), "jwt");
    assert_eq!(field(decode_token(JsValue::UNDEFINED)), "jwt");
    assert_eq!(field(decode_token(js_sys::Object::new().into())), "jwt");
    let p = plan(parse(FULL), JsValue::UNDEFINED).unwrap();
    assert_eq!(field(export_plan(p.clone(), JsValue::from_f64(42.0), JsValue::UNDEFINED).map(JsValue::from)), "format");
    assert_eq!(field(export_plan(p.clone(), JsValue::NULL, JsValue::UNDEFINED).map(JsValue::from)), "format");
    assert_eq!(
        field(export_plan(JsValue::from_f64(1.0), "az-cli".into(), JsValue::UNDEFINED).map(JsValue::from)),
        "plan"
    );
    assert_eq!(field(export_plan(p, "ids-csv".into(), JsValue::from_f64(7.0)).map(JsValue::from)), "results");
    assert_eq!(field(plan(JsValue::NULL, JsValue::UNDEFINED)), "request");
    assert_eq!(field(plan(JsValue::UNDEFINED, JsValue::UNDEFINED)), "request");
    assert_eq!(field(plan(parse(FULL), JsValue::from_f64(5.0))), "catalog");
    assert_eq!(field(plan(parse(FULL), JsValue::from_str("{}"))), "catalog");
    assert_eq!(field(load_catalog(JsValue::from_bool(true))), "catalog");
    assert_eq!(field(load_catalog(js_sys::BigInt::from(1u32).into())), "catalog");
    let cyclic = js_sys::Object::new();
    Reflect::set(&cyclic, &"self".into(), &cyclic).unwrap();
    assert_eq!(field(plan(cyclic.into(), JsValue::UNDEFINED)), "request");
}

/// A hand-edited plan is held to plan()'s rules: a scope that would run under bash names its field.
#[wasm_bindgen_test]
fn export_plan_rechecks_a_hand_edited_plan() {
    let text = JSON::stringify(&plan(parse(FULL), JsValue::UNDEFINED).unwrap()).unwrap().as_string().unwrap();
    let edited = text.replacen("\"scope\":\"Presence.Read.All\"", "\"scope\":\"x$(touch pwned)\"", 1);
    assert_ne!(edited, text);
    let (code, field, _) = thrown(export_plan(parse(&edited), "az-cli".into(), JsValue::UNDEFINED).map(JsValue::from));
    assert_eq!((code.as_str(), field.as_str()), ("invalidInput", "applications[0].delegatedGrants[0].scope"));
    // JSON.stringify keeps the object's key order, so the field is found by its name.
    let edited = text.replacen("\"componentName\":\"Agent Controller\"", "\"componentName\":\"Agent\\nController\"", 1);
    let (code, field, _) =
        thrown(export_plan(parse(&edited), "powershell".into(), JsValue::UNDEFINED).map(JsValue::from));
    assert_eq!((code.as_str(), field.as_str()), ("invalidText", "applications[0].componentName"));
}

/// The catalog's byte cap applies before parsing.
#[wasm_bindgen_test]
fn an_oversized_catalog_is_refused_before_parsing() {
    let big =
        format!("{{\"profile\":\"{}\",\"components\":[]}}", "x".repeat(lucs_registrar::catalog::MAX_CATALOG_BYTES));
    let (code, field, _) = thrown(load_catalog(parse(&big)));
    assert_eq!((code.as_str(), field.as_str()), ("tooLarge", "catalog"));
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(version(), env!("CARGO_PKG_VERSION"));
}
