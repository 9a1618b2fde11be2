#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // A test fails by panicking.
//! The TypeScript declarations name the same words as the Rust enums JavaScript receives: each union in
//! src/lucs_registrar.d.ts lists exactly the words of its enum, in the same order.

use lucs_registrar::engine::preflight::Held;
use lucs_registrar::engine::repair::{ExtraSource, SkipReason};
use lucs_registrar::engine::verify::{Consent, DriftStatus};
use lucs_registrar::engine::{EventStatus, RetryReason, Stage, StopKind};
use lucs_registrar::plan::WarningCode;

/// The string literals of `export type NAME = "a" | "b" …;`, which may span lines and start with a `|`.
fn union(declarations: &str, name: &str) -> Vec<String> {
    let start = format!("export type {name} =");
    let at = declarations.find(&start).unwrap_or_else(|| panic!("no `{start}` in the declarations"));
    let rest = &declarations[at + start.len()..];
    let body = &rest[..rest.find(';').unwrap_or_else(|| panic!("`{name}` does not end"))];
    let body = body.trim().strip_prefix('|').unwrap_or(body);
    body.split('|').map(|w| w.trim().trim_matches('"').to_string()).collect()
}

#[test]
fn every_closed_set_is_declared_word_for_word() {
    let declarations = std::fs::read_to_string("src/lucs_registrar.d.ts").expect("declarations");
    let sets: [(&str, &[&str]); 10] = [
        ("StageName", Stage::WORDS),
        ("EventStatus", EventStatus::WORDS),
        ("RetryReason", RetryReason::WORDS),
        ("StopKind", StopKind::WORDS),
        ("DriftStatus", DriftStatus::WORDS),
        ("ConsentState", Consent::WORDS),
        ("RoleHeld", Held::WORDS),
        ("WarningCode", WarningCode::WORDS),
        ("ExtraSource", ExtraSource::WORDS),
        ("SkipReason", SkipReason::WORDS),
    ];
    for (name, words) in sets {
        assert_eq!(union(&declarations, name), words, "{name}");
    }
}

#[test]
fn the_words_are_what_serde_writes() {
    assert_eq!(serde_json::to_value(Stage::ServicePrincipals).unwrap(), "servicePrincipals");
    assert_eq!(serde_json::to_value(Consent::NotRequested).unwrap(), "notRequested");
    assert_eq!(serde_json::to_value(StopKind::InsufficientScope).unwrap(), "insufficientScope");
    assert_eq!(WarningCode::parse("noConsent"), Some(WarningCode::NoConsent));
    assert_eq!(WarningCode::parse("NoConsent"), None, "words are exact");
}
