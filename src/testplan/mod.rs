//! The test plan: what the generated tests need of each resource, derived
//! once the facts of every resource exist (capacities, parents, creators).

pub(crate) mod resource;
pub(crate) mod values;

use crate::graph::reachable_min;
use crate::layout::resource::Resolved;
use crate::model::Access;
use std::collections::{BTreeMap, HashMap};

/// How many sample rows the generated tests may create per resource.
pub(crate) const SAMPLES: usize = 4;

/// A resource can create only as many distinct sample rows as its required parents can.
pub(crate) fn propagate_capacity(resolved: &mut [Resolved]) {
    let edges = required_edges(resolved);
    let own: Vec<usize> = resolved.iter().map(|r| r.capacity).collect();
    for (r, capacity) in resolved.iter_mut().zip(reachable_min(&own, &edges)) {
        r.capacity = capacity;
    }
}

/// For each resource, the indexes of the resources its required relations
/// point at (`User` and unknown targets are not resources here).
fn required_edges(resolved: &[Resolved]) -> Vec<Vec<usize>> {
    let index: HashMap<&str, usize> = resolved
        .iter()
        .enumerate()
        .map(|(i, r)| (r.resource.class_name.as_str(), i))
        .collect();
    resolved
        .iter()
        .map(|r| {
            r.required_targets
                .iter()
                .filter_map(|t| index.get(t.as_str()).copied())
                .collect()
        })
        .collect()
}

/// Fills in the test factories of required parents, once every resource is known.
pub(crate) fn finish_tests(resolved: &mut [Resolved]) {
    // The default role creates the rows of a resource in the tests when it
    // may create them and, transitively, their required parents.
    let may_create: Vec<bool> = resolved
        .iter()
        .map(|r| r.resource.create.member == "all")
        .collect();
    let creatable: BTreeMap<String, bool> = resolved
        .iter()
        .zip(reachable_min(&may_create, &required_edges(resolved)))
        .map(|(r, creatable)| (r.resource.class_name.clone(), creatable))
        .collect();
    // Another user's view of a nested list: tested when the default role
    // creates (and, for links, may link) rows on both sides.
    let access: BTreeMap<String, (bool, String)> = resolved
        .iter()
        .map(|r| {
            (
                r.resource.class_name.clone(),
                (
                    creatable[&r.resource.class_name],
                    r.resource.read.member.clone(),
                ),
            )
        })
        .collect();
    for r in resolved.iter_mut() {
        let (parent_member, parent_read) = access[&r.resource.class_name].clone();
        let may_link = r.resource.update.member != "none";
        for c in r.resource.collections.iter_mut() {
            let (child_member, child_read) = access[&c.target_class].clone();
            if !(parent_member && child_member) || (c.many_to_many && !may_link) {
                continue;
            }
            let check = match (parent_read.as_str(), child_read.as_str()) {
                ("none", _) | (_, "none") => "assert_problem(response, 403)",
                ("own", _) => "assert_problem(response, 404)",
                (_, "own") => "assert response.json()[\"items\"] == []",
                _ => {
                    "assert [row[\"id\"] for row in response.json()[\"items\"]] == [child[\"id\"]]"
                }
            };
            if c.many_to_many || check.contains("child") {
                c.child_binding = "child = ".to_owned();
            }
            c.other_user_check = Some(check.to_owned());
        }
    }
    for r in resolved.iter_mut() {
        r.resource
            .tests
            .samples
            .truncate(r.capacity.clamp(2, SAMPLES));
        number_example_refs(r);
        r.resource.tests.rows = r.capacity.clamp(2, 3);
        let member = creatable[&r.resource.class_name];
        let actor = |access: &Access| {
            if member && access.member != "none" {
                "member"
            } else {
                "admin"
            }
            .to_owned()
        };
        let t = &mut r.resource.tests;
        t.creator = if member { "member" } else { "admin" }.to_owned();
        t.reader = actor(&r.resource.read);
        t.updater = actor(&r.resource.update);
        t.deleter = actor(&r.resource.delete);
    }
}

/// Picks the sample number of each row the /docs example test creates for
/// its relation ids: distinct numbers, so that rows of one target (and
/// their own parents) differ, and for a reference to the resource itself
/// never a sample whose unique values the example uses (a 409).
pub(crate) fn number_example_refs(r: &mut Resolved) {
    let count = r.resource.tests.samples.len().max(1);
    let class = r.resource.class_name.clone();
    let clashes = |n: usize| {
        r.example_uniques.iter().any(|(value, samples)| {
            !samples.is_empty() && samples[(n % count) % samples.len()] == *value
        })
    };
    let mut next = 0;
    let mut numbers = Vec::new();
    for target in &r.example_targets {
        let mut n = next;
        if *target == class {
            n = (next..next + count).find(|n| !clashes(*n)).unwrap_or(next);
        }
        numbers.push(n);
        next = n + 1;
    }
    for (e, n) in r.resource.tests.example_refs.iter_mut().zip(numbers) {
        e.n = n;
    }
}
