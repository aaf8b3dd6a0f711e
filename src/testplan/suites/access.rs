//! `test_access.py`: the access table (who may do what), field
//! permissions and references to other users' rows.

use super::{Data, Module, attr, made_by, param, s, tuple, tuple_at};
use crate::layout::resource::Builder;
use crate::model::{Reach, SuiteFile};
use crate::python::call;

/// The operations of the access table, in the order of its rows.
const OPERATIONS: [&str; 5] = ["create", "list", "read", "update", "delete"];

/// The access table: (actor, operation, status) on a row the creator made,
/// but for `anonymous` (refused every write, 401, and reads unless anyone
/// may read) and `admin` (may do everything), the same for every resource
/// and stated once by `tests/kit/access.py`'s `cases`.
/// Only what the permissions decide for sure: the default role refused
/// (403), acting on every row (when admins create the rows too: proof that
/// a shared resource is readable, or writable only on a grant), acting on
/// its own row, or on another's (404) when it is limited to its own; the
/// default role creating and another user acting only when the default
/// role creates the rows.
fn access_cases(b: &Builder, d: &Data) -> Vec<(&'static str, &'static str, u16)> {
    let [read, create, update, delete] = &b.facts.rules;
    let role = b.default_role;
    let mut cases = Vec::new();
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
    cases
}

/// The arguments of the resource's `cases(...)` (`tests/kit/access.py`):
/// whether anyone may read, and the statuses of each actor but `anonymous`
/// and `admin`, which the kit states once for every resource.
fn access_args(b: &Builder, d: &Data) -> Vec<String> {
    let cases = access_cases(b, d);
    let status = |actor: &str, op: &str| {
        cases
            .iter()
            .find(|(a, o, _)| *a == actor && *o == op)
            .map(|(_, _, status)| *status)
    };
    let mut args = vec![format!(
        "anyone_reads={}",
        if b.facts.rules[0].anyone {
            "True"
        } else {
            "False"
        }
    )];
    for actor in ["member", "other_member"] {
        let statuses: Vec<Option<u16>> = OPERATIONS.iter().map(|op| status(actor, op)).collect();
        if statuses.iter().any(Option::is_some) {
            let shown: Vec<String> = statuses
                .iter()
                .map(|st| st.map_or("None".to_owned(), |st| st.to_string()))
                .collect();
            args.push(format!("{actor}={}", tuple(&shown)));
        }
    }
    args
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
    m.attr(call("access = cases", &access_args(b, d), "", 4));
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
            m.base("OwnedTargetTests").rows("owned_target", owned);
        }
    }
    m.done()
}
