#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! Deleted items: a purge right after the soft delete may miss the item, which stays readable and keeps its key.

use lucs_sandbox::{Exchange, Faults, Tenant};
use serde_json::{json, Value};

fn call(t: &mut Tenant, method: &str, url: &str, body: Value, now: u64) -> (u16, Value) {
    match t.exchange(method, url, Some("create-if-missing"), &body, now) {
        Exchange::Reply(r) => (r.status, r.body),
        Exchange::Dropped => panic!("no faults configured"),
    }
}

#[test]
fn a_purge_right_after_the_soft_delete_misses_the_item_until_replication_catches_up() {
    let mut t = Tenant::new(7);
    t.faults = Faults { purge_lag_ms: 5_000, ..Faults::none() };
    let upsert = "/applications(uniqueName='lucs-cr-2')";
    let (_, app) = call(&mut t, "PATCH", upsert, json!({"displayName": "CR 2"}), 1_000);
    let id = app["id"].as_str().unwrap().to_string();
    assert_eq!(call(&mut t, "DELETE", &format!("/applications/{id}"), Value::Null, 10_000).0, 204);
    let item = format!("/directory/deletedItems/{id}");
    let (status, body) = call(&mut t, "DELETE", &item, Value::Null, 11_000);
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "Request_ResourceNotFound");
    let (status, read) = call(&mut t, "GET", &item, Value::Null, 11_100);
    assert_eq!((status, read["uniqueName"].as_str()), (200, Some("lucs-cr-2")), "still in deleted items");
    assert_eq!(read["appId"], app["appId"]);
    let (status, _) = call(&mut t, "PATCH", upsert, json!({"displayName": "CR 2"}), 11_200);
    assert_eq!(status, 400, "and its key still held");
    assert_eq!(t.deleted_count(), 1);
    assert_eq!(call(&mut t, "DELETE", &item, Value::Null, 15_000).0, 204, "purged once replication caught up");
    assert_eq!(call(&mut t, "GET", &item, Value::Null, 15_100).0, 404);
    assert_eq!(call(&mut t, "PATCH", upsert, json!({"displayName": "CR 2"}), 15_200).0, 201, "the key is free");
}

#[test]
fn without_the_lag_a_purge_deletes_at_once() {
    let mut t = Tenant::new(8);
    let id = t.seed_deleted_application("Old CR", "lucs-cr-1", 1_000);
    assert_eq!(call(&mut t, "DELETE", &format!("/directory/deletedItems/{id}"), Value::Null, 1_000).0, 204);
    assert_eq!(t.deleted_count(), 0);
}
