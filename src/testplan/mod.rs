//! The test plan: what the generated tests need of each resource. What a
//! resource's own facts decide is in [`resource`]; what depends on other
//! resources (how many distinct rows its required parents allow, whether
//! the default role can create its rows and theirs) is decided here, from
//! the facts of every resource, before any resource is laid out.

pub(crate) mod files;
pub(crate) mod resource;
pub(crate) mod suites;
pub(crate) mod values;

use std::collections::BTreeMap;

use crate::ir::ResourceFacts;
use crate::model::Reach;

/// How many sample rows the generated tests may create per resource.
pub(crate) const SAMPLES: usize = 4;

/// The indent of a row of a table a test class holds (`invalid = (...)`):
/// rows are laid out for it, as `ruff format` would.
pub(crate) const TABLE_ROW: usize = 8;

/// Where a resource stands among the others, for its tests.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Standing {
    /// How many distinct sample rows it allows, its required parents included.
    pub(crate) capacity: usize,
    /// The default role may create its rows and, transitively, its
    /// required parents' rows; else the tests create them as admin.
    pub(crate) member_creates: bool,
    /// Which rows the default role may read.
    pub(crate) read: Reach,
}

/// The [`Standing`] of every resource, by class name. `default_role` is
/// the role signup gives. Linear in the resources and their relations:
/// each resource is resolved once, after its required parents (required
/// relations form no cycle; checking refuses one before this runs).
pub(crate) fn standings(facts: &[ResourceFacts], default_role: &str) -> BTreeMap<String, Standing> {
    let by_class: BTreeMap<&str, &ResourceFacts> = facts.iter().map(|f| (f.class, f)).collect();
    let mut out: BTreeMap<String, Standing> = BTreeMap::new();
    for f in facts {
        resolve(f, &by_class, default_role, &mut out);
    }
    out
}

/// Resolves the standing of `f` after its required parents', iteratively
/// (a long chain of required relations must not exhaust the stack).
fn resolve(
    f: &ResourceFacts,
    by_class: &BTreeMap<&str, &ResourceFacts>,
    default_role: &str,
    out: &mut BTreeMap<String, Standing>,
) {
    let mut stack = vec![(f, false)];
    while let Some((node, parents_done)) = stack.pop() {
        if out.contains_key(node.class) {
            continue;
        }
        let targets: Vec<&ResourceFacts> = node
            .required_targets()
            .filter_map(|t| by_class.get(t).copied())
            .collect();
        if !parents_done {
            stack.push((node, true));
            stack.extend(
                targets
                    .iter()
                    .filter(|t| !out.contains_key(t.class))
                    .map(|t| (*t, false)),
            );
            continue;
        }
        let mut standing = Standing {
            capacity: node.capacity(),
            member_creates: node.rules[1].member(default_role) == Reach::All,
            read: node.rules[0].member(default_role),
        };
        for t in targets {
            if let Some(parent) = out.get(t.class) {
                standing.capacity = standing.capacity.min(parent.capacity);
                standing.member_creates &= parent.member_creates;
            }
        }
        out.insert(node.class.to_owned(), standing);
    }
}
