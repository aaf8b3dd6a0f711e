//! `test_relations.py`: one-to-one columns, `on_delete`, links and
//! nested lists, and what other users see of them.

use super::{Module, made_by, param, s, tuple};
use crate::layout::resource::Builder;
use crate::model::{Collection, Reach, SuiteFile};

/// `test_relations.py`: one-to-one columns, `on_delete`, links and nested
/// lists; not written for a resource without relations.
pub(super) fn relations(b: &Builder, collections: &[Collection]) -> SuiteFile {
    let mut m = Module::new(
        b,
        "relations",
        "TestRelations",
        "one-to-one columns, deleting targets, links and nested lists.",
        "What the relations of a row do.",
    );
    let one_to_one: Vec<String> = b
        .tests
        .one_to_one
        .iter()
        .filter_map(|p| {
            let resource = made_by(&p.factory)?;
            Some(param(
                &[s(&p.column), s(resource)],
                &p.column.replace('_', "-"),
            ))
        })
        .collect();
    if !one_to_one.is_empty() {
        m.base("OneToOneTests").rows("one_to_one", one_to_one);
    }
    let targets = b
        .facts
        .relations
        .iter()
        .filter(|r| r.target_snake.is_some());
    let deletions: Vec<String> = b
        .tests
        .deletions
        .iter()
        .zip(targets)
        .filter_map(|(del, rel)| {
            let resource = made_by(&del.factory)?;
            let action = (!rel.target_soft).then_some(rel.on_delete);
            let after = match action {
                Some(crate::spec::words::OnDelete::Cascade) => "gone",
                Some(crate::spec::words::OnDelete::SetNull) => "null",
                _ => "kept",
            };
            let args = [
                s(&del.column),
                s(resource),
                del.status.to_string(),
                s(after),
            ];
            Some(param(&args, &del.column.replace('_', "-")))
        })
        .collect();
    if !deletions.is_empty() {
        m.base("DeletionTests").rows("deletions", deletions);
    }
    let selves: Vec<String> = b
        .tests
        .self_references
        .iter()
        .map(|column| param(&[s(column)], &column.replace('_', "-")))
        .collect();
    if !selves.is_empty() {
        m.base("SelfReferenceTests").rows("self_references", selves);
    }
    let mut links = Vec::new();
    let mut children = Vec::new();
    let mut others = Vec::new();
    let mut foreign = Vec::new();
    for c in collections {
        let Some(resource) = made_by(&c.target_factory) else {
            continue;
        };
        let id = c.name.replace('_', "-");
        if c.many_to_many {
            let link = tuple(&[
                s(&c.ids_field),
                s(&c.segment),
                s(resource),
                c.target_missing_py.clone(),
            ]);
            links.push(param(&[link], &id));
        } else {
            let first = if c.target_class == b.facts.class {
                2
            } else {
                0
            };
            let args = [
                s(&c.segment),
                s(resource),
                s(&c.via_column),
                first.to_string(),
            ];
            children.push(param(&args, &id));
        }
        if let Some(expected) = other_users_view(b, c) {
            let via = if c.many_to_many {
                "None".to_owned()
            } else {
                s(&c.via_column)
            };
            others.push(param(&[s(&c.segment), s(resource), via, s(expected)], &id));
            if c.many_to_many && c.target_owned {
                let args = [s(&c.ids_field), s(&c.segment), s(resource)];
                foreign.push(param(&args, &id));
            }
        }
    }
    if !links.is_empty() {
        m.base("LinkTests").rows("links_to", links);
    }
    if !children.is_empty() {
        m.base("ChildTests").rows("children", children);
    }
    if !others.is_empty() {
        m.base("OtherUsersChildTests")
            .rows("nested_for_others", others);
    }
    if !foreign.is_empty() {
        m.base("ForeignLinkTests").rows("foreign_links", foreign);
    }
    m.done()
}

/// What another user gets for the nested list `c` under a user's row:
/// tested when the default role creates (and, for links, may link) rows on
/// both sides; `forbidden`, `hidden`, `empty` or `shown`.
fn other_users_view(b: &Builder, c: &Collection) -> Option<&'static str> {
    let parent = b.standings.get(b.facts.class)?;
    let child = b.standings.get(&c.target_class)?;
    let may_link = b.facts.rules[2].member(b.default_role) != Reach::None;
    if !(parent.member_creates && child.member_creates) || (c.many_to_many && !may_link) {
        return None;
    }
    Some(match (parent.read, child.read) {
        (Reach::None, _) | (_, Reach::None) => "forbidden",
        (Reach::Own, _) => "hidden",
        (_, Reach::Own) => "empty",
        _ => "shown",
    })
}
