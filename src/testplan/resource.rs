//! The test data of one resource: sample bodies, the update test's change,
//! unique and invalid cases, the /docs example's parents, the cases of
//! `read_only`, `write_only` and audit columns, and who acts. What depends
//! on other resources (how many rows, who may create them) comes from its
//! [`Standing`]; [`crate::testplan::suites`] lays the data out as files.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use crate::check::relations::RelationPlan;
use crate::layout::resource::Builder;
use crate::model::{Collection, Reach, ResourceTests};
use crate::python::{self, call};
use crate::testplan::suites::{self, Data};
use crate::testplan::{SAMPLES, Standing, TABLE_ROW};

/// A relation id of the /docs example that its test points at a real row.
pub(crate) struct ExampleRef {
    /// Foreign key column (`category_id`).
    pub(crate) column: String,
    /// The resource of the target row (`category`), `None` for `User` (the
    /// acting admin's id is used).
    pub(crate) resource: Option<String>,
    /// Sample number of that row: distinct per relation, and never one
    /// whose unique values the example itself uses.
    pub(crate) n: usize,
}

/// A resource's test data, and the example body the layout shows in /docs.
pub(crate) struct Plan {
    /// The tests' data.
    pub(crate) tests: ResourceTests,
    /// The /docs example body: the spec's `example`, else sample 0.
    pub(crate) example: Vec<(String, Json)>,
}

/// Samples leave out fields only some roles may set: the tests create rows
/// as the default role (the field-level tests set them as admin); and
/// read_only fields, which no request may send. (name, samples) per field.
fn sample_values(b: &Builder) -> Vec<(String, Vec<Json>)> {
    b.facts
        .fields
        .iter()
        .filter(|f| f.raw.write.is_none() && !f.raw.read_only)
        .map(|f| (f.name.clone(), f.samples_cache.clone()))
        .collect()
}

/// One Python dict literal per row the tests may create, exploded one key
/// a line, for a list whose items stand at `indent` spaces.
fn samples(values: &[(String, Vec<Json>)], rows: usize, indent: usize) -> Vec<String> {
    (0..rows)
        .map(|n| {
            let entries: Vec<(String, Json)> = values
                .iter()
                .map(|(name, values)| (name.clone(), values[n % values.len()].clone()))
                .collect();
            python::dict_at(&entries, indent)
        })
        .collect()
}

/// One 409 test case per unique field (not one-to-one columns) and per
/// unique group the tests can make two clashing rows for.
fn unique_cases(b: &Builder) -> Vec<String> {
    b.unique_fields
        .iter()
        .map(|(_, name)| name)
        .filter(|f| !b.tests.one_to_one.iter().any(|p| p.column == **f))
        .map(|f| vec![f.clone()])
        .chain(
            b.facts
                .composites
                .unique
                .iter()
                .filter(|(_, testable)| *testable)
                .map(|(g, _)| g.clone()),
        )
        .map(|g| {
            let quoted: Vec<String> = g.iter().map(|c| python::string(c)).collect();
            let tuple = if quoted.len() == 1 {
                format!("({},)", quoted[0])
            } else {
                format!("({})", quoted.join(", "))
            };
            let id = g
                .iter()
                .map(|c| c.replace('_', "-"))
                .collect::<Vec<_>>()
                .join("+");
            call(
                "pytest.param",
                &[tuple, format!("id={}", python::string(&id))],
                ",",
                TABLE_ROW,
            )
        })
        .collect()
}

/// The update test compares the response with what it sent, so it changes
/// a field responses show: (JSON name, new value), if any field has two
/// samples.
fn update_change(b: &Builder, values: &[(String, Vec<Json>)]) -> Option<(String, Json)> {
    let write_only: BTreeSet<&str> = b
        .facts
        .fields
        .iter()
        .filter(|f| f.raw.write_only)
        .map(|f| f.name.as_str())
        .collect();
    values
        .iter()
        .find(|(name, v)| v.len() > 1 && !write_only.contains(name.as_str()))
        .map(|(name, values)| (name.clone(), values[1].clone()))
}

/// A field the update test sets to null to get a 422, if any.
fn not_null_field(b: &Builder) -> Option<String> {
    b.facts
        .fields
        .iter()
        .find(|f| !f.raw.nullable && !f.raw.read_only)
        .map(|f| f.name.clone())
        .or_else(|| {
            b.facts
                .relations
                .iter()
                .find(|r| !r.nullable)
                .map(|r| r.column())
        })
}

/// The JSON names of the fields whose Python attribute differs.
fn renamed(b: &Builder) -> Vec<String> {
    b.facts
        .fields
        .iter()
        .filter(|f| f.attr != f.name)
        .map(|f| f.name.clone())
        .collect()
}

/// The example body for /docs: the spec's `example`, else sample 0 with
/// every relation pointing at its id type's placeholder.
fn example(b: &Builder, values: &[(String, Vec<Json>)]) -> Vec<(String, Json)> {
    b.facts.example.clone().unwrap_or_else(|| {
        let mut entries: Vec<(String, Json)> = values
            .iter()
            .map(|(name, values)| (name.clone(), values[0].clone()))
            .collect();
        entries.extend(b.facts.relations.iter().map(|rel| {
            let placeholder = serde_json::from_str(rel.target_id.row().example)
                .expect("id placeholders are JSON");
            (rel.column(), placeholder)
        }));
        entries
    })
}

/// The relations the example sets, whose ids its test points at rows it
/// creates (numbers are assigned by `finish_tests`, once samples are final).
fn referenced<'a>(b: &'a Builder, example: &[(String, Json)]) -> Vec<&'a RelationPlan> {
    b.facts
        .relations
        .iter()
        .filter(|rel| {
            let column = rel.column();
            example.iter().any(|(k, v)| *k == column && !v.is_null())
        })
        .collect()
}

/// Picks the sample number of each row the /docs example test creates for
/// its relation ids (`targets`, class names): distinct numbers, so that rows
/// of one target (and their own parents) differ, and for a reference to the
/// resource itself never a sample whose unique values the example uses (a
/// 409). `count` is how many samples the resource has; `uniques` the unique
/// fields the example sets, as (its value, the field's samples).
fn example_numbers(
    class: &str,
    targets: &[&str],
    count: usize,
    uniques: &[(Json, Vec<Json>)],
) -> Vec<usize> {
    let count = count.max(1);
    let clashes = |n: usize| {
        uniques.iter().any(|(value, samples)| {
            !samples.is_empty() && samples[(n % count) % samples.len()] == *value
        })
    };
    let mut next = 0;
    let mut numbers = Vec::new();
    for target in targets {
        let mut n = next;
        if *target == class {
            n = (next..next + count).find(|n| !clashes(*n)).unwrap_or(next);
        }
        numbers.push(n);
        next = n + 1;
    }
    numbers
}

/// The fixtures that create, read, update and delete the rows of the
/// resource `b` lays out in its tests: `member` where the default role
/// may (and may create the rows and their parents), else `admin`.
fn actors(b: &Builder, standing: &Standing) -> [String; 4] {
    let creates = standing.member_creates;
    let actor = |rule: &crate::check::permissions::ActionRule| {
        if creates && rule.member(b.default_role) != Reach::None {
            "member"
        } else {
            "admin"
        }
        .to_owned()
    };
    let [read, _, update, delete] = &b.facts.rules;
    [
        if creates { "member" } else { "admin" }.to_owned(),
        actor(read),
        actor(update),
        actor(delete),
    ]
}

/// The relation ids of the /docs example its test points at rows it
/// creates, each with the sample number of that row (`count` samples).
fn example_refs(b: &Builder, example: &[(String, Json)], count: usize) -> Vec<ExampleRef> {
    let refs = referenced(b, example);
    let uniques: Vec<(Json, Vec<Json>)> = b
        .facts
        .fields
        .iter()
        .filter(|f| f.raw.unique)
        .filter_map(|f| {
            example
                .iter()
                .find(|(k, _)| *k == f.name)
                .map(|(_, v)| (v.clone(), f.samples_cache.clone()))
        })
        .collect();
    let targets: Vec<&str> = refs.iter().map(|rel| rel.target_class.as_str()).collect();
    let numbers = example_numbers(b.facts.class, &targets, count, &uniques);
    refs.iter()
        .zip(numbers)
        .map(|(rel, n)| ExampleRef {
            column: rel.column(),
            resource: rel.target_snake.clone(),
            n,
        })
        .collect()
}

/// A field and a sample value for the field-permission tests, the first
/// whose `pick` flag holds.
fn permission_field(
    b: &Builder,
    pick: impl Fn(&crate::check::fields::FieldPlan) -> bool,
) -> Option<(String, String)> {
    b.facts
        .fields
        .iter()
        .find(|f| pick(f))
        .map(|f| (f.name.clone(), python::literal(&f.samples_cache[0])))
}

/// `read_only` fields' cases: `pytest.param(field, value on create, value
/// to send, id=...)`, rows of a table in a class body.
fn read_only(b: &Builder) -> Vec<String> {
    b.facts
        .fields
        .iter()
        .filter(|f| f.raw.read_only)
        .map(|f| {
            let initial = f
                .default
                .as_ref()
                .map_or("None".to_owned(), python::literal);
            let value = python::literal(&f.samples_cache[0]);
            let id = python::string(&f.name.replace('_', "-"));
            let args = [python::string(&f.name), initial, value, format!("id={id}")];
            call("pytest.param", &args, ",", TABLE_ROW)
        })
        .collect()
}

/// `write_only` fields: (field, value on create, value on update), as
/// Python literals.
fn write_only(b: &Builder) -> Vec<(String, String, String)> {
    b.facts
        .fields
        .iter()
        .filter(|f| f.raw.write_only)
        .map(|f| {
            let first = &f.samples_cache[0];
            let second = f.samples_cache.get(1).unwrap_or(first);
            (
                f.name.clone(),
                python::literal(first),
                python::literal(second),
            )
        })
        .collect()
}

/// Derives the test data of the resource `b` is laying out, whose unique
/// groups are `unique_groups` and collections `collections`, and lays it
/// out as the registry entry and the test modules.
pub(crate) fn plan(
    b: &mut Builder,
    unique_groups: &[Vec<String>],
    collections: &[Collection],
) -> Plan {
    let values = sample_values(b);
    // Rows the tests create share their required parents, except where a
    // relation is part of a unique group: there each row gets its own.
    let shared_parents: Vec<String> = b
        .tests
        .parents
        .iter()
        .filter(|p| !p.unique && !unique_groups.iter().flatten().any(|c| *c == p.column))
        .map(|p| p.column.clone())
        .collect();
    let standing = b.standings[b.facts.class];
    // As many samples as its own unique values allow, cut to what its
    // required parents allow (at least 2, for the tests that need two rows).
    let count = b
        .capacity
        .min(SAMPLES)
        .min(standing.capacity.clamp(2, SAMPLES));
    let example = example(b, &values);
    let [creator, reader, updater, deleter] = actors(b, &standing);
    let read_only = read_only(b);
    let data = Data {
        samples: samples(&values, count, 12),
        numbered: suites::numbered(b, &values, &shared_parents, unique_groups),
        shared_parents,
        rows: standing.capacity.clamp(2, 3),
        member_creates: standing.member_creates,
        creator,
        reader,
        updater,
        deleter,
        example_refs: example_refs(b, &example, count),
        example: example.clone(),
        change: update_change(b, &values),
        not_null_field: not_null_field(b),
        hidden_field: permission_field(b, |f| f.raw.read.is_some() && !f.raw.read_only),
        guarded_field: permission_field(b, |f| f.raw.write.is_some()),
        renamed: renamed(b),
        unique_cases: unique_cases(b),
        read_only,
        write_only: write_only(b),
    };
    let tests = suites::lay_out(b, &data, collections);
    Plan { tests, example }
}
