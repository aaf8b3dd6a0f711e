//! `test_access.py`: the access table (who may do what), field
//! permissions and references to other users' rows.

use super::{Data, Module, attr, made_by, param, s, tuple, tuple_at};
use crate::layout::resource::Builder;
use crate::model::{Reach, SuiteFile};

/// The operations of the access table, in the order of its rows.
const OPERATIONS: [&str; 5] = ["create", "list", "read", "update", "delete"];

/// The access table: (actor, operation, status) on a row the creator made.
/// Only what the permissions decide for sure: the default role refused
/// (403), acting on every row (when admins create the rows too: proof that
/// a shared resource is readable, or writable only on a grant), acting on
/// its own row, or on another's (404) when it is limited to its own; the
/// default role creating and another user acting only when the default
/// role creates the rows.
fn access_cases(b: &Builder, d: &Data) -> Vec<(&'static str, &'static str, u16)> {
    let [read, create, update, delete] = &b.facts.rules;
    let role = b.default_role;
    let read_status = if read.anyone { 200 } else { 401 };
    let mut cases = vec![
        ("anonymous", "create", 401),
        ("anonymous", "list", read_status),
        ("anonymous", "read", read_status),
        ("anonymous", "update", 401),
        ("anonymous", "delete", 401),
    ];
    let member = |rule: &crate::check::permissions::ActionRule, ok: u16| match rule.member(role) {
        Reach::None => Some(403),
        _ if d.member_creates => Some(ok),
        Reach::All => Some(ok),
        Reach::Own => Some(404),
    };
    if let Some(status) = match create.member(role) {
        Reach::None => Some(403),
        _ => d.member_creates.then_some(201),
    } {
        cases.push(("member", "create", status));
    }
    for (operation, rule, ok) in [
        ("list", read, 200),
        ("read", read, 200),
        ("update", update, 200),
        ("delete", delete, 204),
    ] {
        if let Some(status) = member(rule, ok) {
            cases.push(("member", operation, status));
        }
    }
    if d.member_creates {
        for (operation, rule, ok) in [
            ("list", read, 200),
            ("read", read, 200),
            ("update", update, 200),
            ("delete", delete, 204),
        ] {
            match rule.member(role) {
                Reach::All => cases.push(("other_member", operation, ok)),
                Reach::Own => cases.push(("other_member", operation, 404)),
                Reach::None => {}
            }
        }
    }
    cases.extend([
        ("admin", "create", 201),
        ("admin", "list", 200),
        ("admin", "read", 200),
        ("admin", "update", 200),
        ("admin", "delete", 204),
    ]);
    cases
}

/// `test_access.py`: the access table, bad tokens, field permissions and
/// references to other users' rows.
pub(super) fn access(b: &Builder, d: &Data) -> SuiteFile {
    let mut m = Module::new(
        b,
        "access",
        "TestAccess",
        "who may do what, and which fields each role sees and sets.",
        "Each actor and operation, field permissions, other users' rows.",
    );
    m.base("AccessTests");
    m.imports.from("tests.kit.access", "cases");
    let cases = access_cases(b, d);
    let mut rows = String::new();
    for actor in ["anonymous", "member", "other_member", "admin"] {
        let statuses: Vec<String> = OPERATIONS
            .iter()
            .map(|op| {
                cases
                    .iter()
                    .find(|(a, o, _)| *a == actor && o == op)
                    .map_or("None".to_owned(), |(_, _, status)| status.to_string())
            })
            .collect();
        if statuses.iter().any(|st| st != "None") {
            rows.push_str(&format!("    {}: {},\n", s(actor), tuple(&statuses)));
        }
    }
    m.file.constants.push(format!(
        "#: The status of create, list, read, update and delete on a row made by\n\
         #: the creator, by actor (see `tests.kit.access.cases`).\n\
         ACCESS = {{\n{rows}}}"
    ));
    m.attr(attr("access", "cases(ACCESS)"));
    if let Some((field, value)) = &d.hidden_field {
        let member_reads = b.facts.rules[0].member(b.default_role) == Reach::All;
        m.base(if member_reads {
            "HiddenFromMemberTests"
        } else {
            "HiddenFieldTests"
        })
        .attr(attr(
            "hidden",
            &tuple_at(&[s(field), value.clone()], 4, 9, 0),
        ));
    }
    if d.member_creates {
        if let Some((field, value)) = &d.guarded_field {
            m.base("GuardedFieldTests").attr(attr(
                "guarded",
                &tuple_at(&[s(field), value.clone()], 4, 10, 0),
            ));
        }
        let owned: Vec<String> = b
            .tests
            .owned_targets
            .iter()
            .filter_map(|t| {
                let resource = made_by(&t.factory)?;
                Some(param(
                    &[s(&t.column), s(resource)],
                    &t.column.replace('_', "-"),
                ))
            })
            .collect();
        if !owned.is_empty() {
            m.base("OwnedTargetTests").table("owned_target", owned);
        }
    }
    m.done()
}
