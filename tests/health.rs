#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The health check of a registered LUCS installation: each state a tenant drifts into is found, in two round
//! trips, and nothing is written.

mod common;

use common::full_plan;
use common::sandbox::{drive_job, run};
use lucs_registrar::engine::health::{ConsentState, Expiry, PermissionState, EXPIRING_WITHIN_DAYS};
use lucs_registrar::engine::{Health, HealthJob};
use lucs_sandbox::Tenant;
use serde_json::Value;

/// A wall-clock start (2026-12-01): secrets are made "12 months from now", so the virtual clock must be a date.
const DEC_2026: u64 = 1_796_083_200_000;
const DAY: u64 = 86_400_000;

fn registered(seed: u64) -> (Tenant, u64) {
    let mut tenant = Tenant::new(seed);
    let mut clock = DEC_2026;
    run(&full_plan(), &mut tenant, None, &mut clock).result.expect("the full set registers");
    (tenant, clock)
}

fn check(tenant: &mut Tenant, clock: &mut u64) -> Health {
    let writes = tenant.writes.len();
    let h = drive_job(HealthJob::new(full_plan(), *clock, EXPIRING_WITHIN_DAYS), tenant, clock).expect("checks");
    assert_eq!(tenant.writes.len(), writes, "the health check writes nothing");
    h
}

fn app<'a>(h: &'a Health, key: &str) -> &'a lucs_registrar::engine::health::AppHealth {
    h.applications.iter().find(|a| a.key == key).unwrap_or_else(|| panic!("{key} in the health report"))
}

#[test]
fn a_fresh_installation_is_healthy_in_two_round_trips() {
    let (mut tenant, mut clock) = registered(71);
    let h = check(&mut tenant, &mut clock);
    assert_eq!(h.round_trips, 2);
    assert_eq!(h.applications.len(), 10);
    assert_eq!(h.attention, 0, "{:#?}", h.applications.iter().find(|a| a.consent.state != ConsentState::Complete));
    assert_eq!(h.tenant_id.as_deref(), Some(tenant.id.as_str()));
    assert!(h.tagged_listed);
    for a in &h.applications {
        assert!(a.found && a.in_plan && a.service_principal, "{a:?}");
        assert_eq!(a.permissions.state, PermissionState::AsPlanned, "{}", a.key);
        assert_eq!(a.owners.len(), 1, "{}: the admin owns it", a.key);
        assert!(a.secrets.iter().all(|s| s.state == Expiry::Ok && s.days_left.is_some_and(|d| d > 300)), "{a:?}");
    }
    assert_eq!(h.applications.iter().filter(|a| !a.secrets.is_empty()).count(), 4, "4 apps hold a secret");
}

#[test]
fn each_drifted_state_is_found_and_named() {
    let (mut tenant, mut clock) = registered(72);
    let seeded = tenant.seed_health_states("LUCS", clock);
    assert_eq!(seeded.as_array().map(Vec::len), Some(7), "{seeded}");
    let h = check(&mut tenant, &mut clock);
    let state = |key: &str| seeded.as_array().unwrap().iter().any(|s| s["key"] == key);
    assert!(["lucs-webconfigurator", "lucs-cic", "lucs-ci-2", "lucs-fe", "lucs-ci-1", "lucs-galreader"]
        .iter()
        .all(|k| state(k)));

    let expired = app(&h, "lucs-webconfigurator");
    assert_eq!(expired.secrets[0].state, Expiry::Expired);
    assert!(expired.secrets[0].days_left.is_some_and(|d| d < 0));
    let expiring = app(&h, "lucs-cic");
    assert_eq!(expiring.secrets[0].state, Expiry::Expiring);
    assert_eq!(expiring.secrets[0].days_left, Some(9), "ends in 10 days, less the 50 ms the check took");

    let drifted = app(&h, "lucs-ci-2");
    assert_eq!(drifted.permissions.state, PermissionState::Drifted);
    assert_eq!(drifted.permissions.missing, ["Calendars.Read"]);
    assert!(drifted.permissions.extra.is_empty());
    assert_eq!(drifted.consent.state, ConsentState::Complete, "consent is still granted for what was taken out");
    assert!(drifted.consent.extra.is_empty(), "what the plan has is never extra");

    let revoked = app(&h, "lucs-fe");
    assert_eq!(revoked.consent.state, ConsentState::Missing);
    assert_eq!(
        revoked.consent.missing.len(),
        full_plan().applications.iter().find(|a| a.key == "lucs-fe").unwrap().permissions.len()
    );

    let by_hand = app(&h, "lucs-ci-1");
    assert_eq!(by_hand.consent.state, ConsentState::Complete);
    assert_eq!(by_hand.consent.extra, ["Sites.Read.All"], "like the portal's 'Other permissions granted'");

    let ownerless = app(&h, "lucs-galreader");
    assert!(ownerless.owners.is_empty());
    // Security baselines want privileged apps owner-less, operations want an owner to be told: reported, not flagged
    // (Maester MT.1077 against M365-Assess). Without a journal saying this tool made it, it is no longer provably ours.
    assert_eq!(ownerless.standing.map(|s| s.as_str()), Some("foreign"));

    let legacy = app(&h, "lucs-legacy");
    assert!(legacy.found && !legacy.in_plan);
    assert_eq!(legacy.display_name, "LUCS Legacy Connector");

    assert_eq!(h.attention, 6, "all but the owner-less app");
    // 11 apps' service principals are 22 reads: more than one $batch holds (20), so one trip more.
    assert_eq!(h.round_trips, 3);
    for healthy in ["lucs-cr-1", "lucs-cr-2", "lucs-ac", "lucs-teamsaa"] {
        let a = app(&h, healthy);
        assert!(
            a.found && a.consent.state == ConsentState::Complete && a.permissions.state == PermissionState::AsPlanned,
            "{a:?}"
        );
    }
}

#[test]
fn a_secret_expiring_later_than_the_window_is_ok_and_the_window_is_the_callers() {
    let (mut tenant, mut clock) = registered(73);
    tenant.set_secret_end("lucs-fe", clock + 45 * DAY);
    let h = check(&mut tenant, &mut clock);
    assert_eq!(app(&h, "lucs-fe").secrets[0].state, Expiry::Ok);
    let wide = drive_job(HealthJob::new(full_plan(), clock, 60), &mut tenant, &mut clock).unwrap();
    assert_eq!(app(&wide, "lucs-fe").secrets[0].state, Expiry::Expiring);
    assert_eq!(wide.expiring_within_days, 60);
}

#[test]
fn an_installation_not_yet_registered_is_all_not_found() {
    let mut tenant = Tenant::new(74);
    let mut clock = DEC_2026;
    let h = check(&mut tenant, &mut clock);
    assert_eq!(h.round_trips, 1, "nothing found, nothing more to read");
    assert!(h.applications.iter().all(|a| !a.found && a.consent.state == ConsentState::Missing));
    assert_eq!(h.attention, 10);
}

#[test]
fn another_installations_tagged_apps_are_not_this_ones() {
    let (mut tenant, mut clock) = registered(78);
    tenant.seed_unplanned("lucs-test-cr-1", "LUCS-Test Conversation Recording (1)", "LUCS-CR", clock);
    tenant.seed_unplanned("lucsx-fe", "LUCSX Frontend", "LUCS-FE", clock);
    tenant.seed_unplanned("lucs-old", "LUCS Old Connector", "LUCS-Old", clock);
    let h = check(&mut tenant, &mut clock);
    let keys: Vec<&str> = h.applications.iter().filter(|a| !a.in_plan).map(|a| a.key.as_str()).collect();
    assert_eq!(keys, ["lucs-old"], "only a leftover with this installation's key stem and name");
}

#[test]
fn a_tenant_refusing_the_tag_filter_still_checks_the_plans_apps() {
    let (mut tenant, mut clock) = registered(75);
    tenant.quirks.tag_filter_needs_advanced_query = true;
    tenant.seed_unplanned("lucs-legacy", "LUCS Legacy Connector", "LUCS-Legacy", clock);
    let h = check(&mut tenant, &mut clock);
    assert!(!h.tagged_listed);
    assert!(h.tagged_note.as_deref().is_some_and(|n| n.contains("400")), "{:?}", h.tagged_note);
    assert_eq!(h.applications.len(), 10);
    assert_eq!(h.attention, 0);
}

#[test]
fn grants_are_read_by_the_clients_id_when_the_expansion_is_refused() {
    let (mut tenant, mut clock) = registered(76);
    tenant.quirks.refuse_grants_expand = true;
    tenant.grant_by_hand("lucs-ci-1", "Sites.Read.All");
    let h = check(&mut tenant, &mut clock);
    assert_eq!(h.round_trips, 3, "one more trip, only where the expansion was refused");
    assert_eq!(app(&h, "lucs-ci-1").consent.extra, ["Sites.Read.All"]);
    assert_eq!(h.attention, 1);
}

#[test]
fn the_report_serialises_with_the_js_contracts_names() {
    let (mut tenant, mut clock) = registered(77);
    let h = check(&mut tenant, &mut clock);
    let v: Value = serde_json::to_value(&h).unwrap();
    for field in ["tenantId", "checkedAt", "roundTrips", "applications", "expiringWithinDays", "attention"] {
        assert!(v.get(field).is_some(), "{field}");
    }
    let a = &v["applications"][0];
    for field in [
        "key",
        "displayName",
        "appId",
        "objectId",
        "found",
        "permissions",
        "consent",
        "secrets",
        "certificates",
        "owners",
    ] {
        assert!(a.get(field).is_some(), "{field}");
    }
    assert_eq!(a["permissions"]["state"], "asPlanned");
    assert!(v["checkedAt"].as_str().is_some_and(|t| t.starts_with("2026-12-01T")));
}
