//! Unit tests of what single Graph replies mean to the engine: Graph's duplicate answers, refusals that name a
//! scope or a role, and a batch refused as a whole.

use serde_json::json;

use super::ops::apply;
use super::refusal::forbidden;
use super::task::{Op, Outcome, Step, Task};
use crate::engine::batcher::Batcher;
use crate::engine::http::{ItemResponse, Response};
use crate::engine::job::Action;
use crate::engine::journal::Journal;
use crate::engine::report::StopKind;
use crate::engine::settings::Settings;
use crate::plan::{plan, PlanRequest};

fn fe_plan() -> crate::plan::Plan {
    let req = PlanRequest::from_json(json!({"components": [{"code": "FE"}]})).unwrap();
    plan(&req, &crate::catalog::builtin()).unwrap()
}

fn reply(status: u16, message: &str) -> ItemResponse {
    ItemResponse {
        status,
        retry_after: None,
        body: json!({"error": {"code": "Request_BadRequest", "message": message}}),
    }
}

fn follow_up(op: Op, r: ItemResponse) -> Vec<Op> {
    let task = Task { id: 1, work: Step { op, app: 0 }, attempt: 0, spent: 0, not_before: 0, first_failure: None };
    match apply(&task, &r, &fe_plan(), &mut Journal::default(), &Settings::default(), 0) {
        Outcome::Done { follow_up, .. } => follow_up,
        _ => panic!("not done"),
    }
}

#[test]
fn graph_duplicate_answers_lead_to_a_lookup_not_a_stop() {
    let dup = reply(400, "Permission being assigned already exists on the object");
    assert_eq!(follow_up(Op::Assign(0), dup), vec![Op::ReadAssignment(0)]);
    let dup = reply(409, "Permission entry already exists.");
    assert_eq!(follow_up(Op::WriteGrant(0), dup), vec![Op::ReadGrant(0)]);
    let held = reply(400, "Another object with the same value for property uniqueName already exists.");
    assert_eq!(follow_up(Op::UpsertApp, held), vec![Op::FindDeleted(None)]);
}

#[test]
fn a_refusal_names_the_scope_or_the_role_or_both() {
    let denied = "Insufficient privileges to complete the operation.";
    let unknown = forbidden(&Op::UpsertApp, None, None, denied, None);
    assert_eq!(unknown.kind, StopKind::Forbidden);
    assert!(
        unknown.message.contains("Application.ReadWrite.All") && unknown.message.contains("Application Administrator")
    );
    let short = ["Directory.ReadWrite.All".to_string()];
    let scope = forbidden(&Op::UpsertApp, None, None, denied, Some(&short));
    assert_eq!(scope.kind, StopKind::InsufficientScope);
    assert!(scope.message.contains("lacks the Application.ReadWrite.All permission"), "{}", scope.message);
    let full = ["AppRoleAssignment.ReadWrite.All".to_string(), "Application.Read.All".to_string()];
    let role = forbidden(&Op::Assign(0), fe_plan().applications.first(), None, denied, Some(&full));
    assert_eq!(role.kind, StopKind::Forbidden);
    assert!(
        role.message.contains("Privileged Role Administrator") && !role.message.contains("token"),
        "{}",
        role.message
    );
}

#[test]
fn a_batch_refused_whole_waits_its_retry_after() {
    let mut b = Batcher::default();
    b.add(crate::engine::http::Method::Get, "/me".into(), None);
    assert!(matches!(b.poll::<()>(0), Some(Action::Send(_))));
    b.on_response(Response::Http { status: 429, retry_after: Some("7".into()), body: json!(null) }, 1_000);
    assert_eq!(b.poll::<()>(1_000), Some(Action::Wait { ms: 7_000 }));
}

#[test]
fn every_chain_of_follow_ups_ends_at_the_attempt_limit() {
    // Write → 409 → read (not found) → write …: each follow-up is one more step of the same chain.
    let settings = Settings { max_attempts: 4, ..Settings::default() };
    let mut b: Batcher<Step> = Batcher::new(&settings);
    let step = |op| Step { op, app: 0 };
    let mut parent = Task {
        id: 1,
        work: Step { op: Op::WriteGrant(0), app: 0 },
        attempt: 0,
        spent: 0,
        not_before: 0,
        first_failure: None,
    };
    let mut steps = 0;
    while b.follow(&parent, step(Op::ReadGrant(0)), 0).is_some() {
        steps += 1;
        parent.spent += 1;
    }
    assert_eq!(steps, 3, "three follow-ups, then the chain has spent its four attempts");
    // A page of a collection continues the chain without spending, and a retry of a spent chain is refused.
    b.page(&parent, step(Op::ReadAssignmentPage(0, "/next".into())), 0);
    let throttled = crate::engine::retry::Verdict::Throttled { after_ms: None };
    let last = Task { id: 9, work: step(Op::ReadGrant(0)), attempt: 0, spent: 3, not_before: 0, first_failure: None };
    assert!(matches!(b.retry(last, &throttled, 0), Err(crate::engine::batcher::Exhausted::Attempts(_))));
}
