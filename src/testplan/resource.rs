//! The test data of one resource that its own facts decide: sample bodies,
//! the update test's change, unique and invalid cases, the /docs example's
//! parents, and the cases of `read_only`, `write_only` and audit columns.
//! What depends on other resources (who creates rows, how many) is decided
//! by [`crate::testplan::finish_tests`] once every resource is laid out.

use std::collections::BTreeSet;

use serde_json::Value as Json;

use crate::check::AUDIT_COLUMNS;
use crate::check::relations::RelationPlan;
use crate::layout::resource::Builder;
use crate::model::{ExampleRef, Reach, ResourceTests};
use crate::python::{self, call};
use crate::testplan::{SAMPLES, Standing};
use crate::types::IdKind;

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

/// One Python dict literal per row the tests may create.
fn samples(values: &[(String, Vec<Json>)], rows: usize) -> Vec<String> {
    (0..rows)
        .map(|n| {
            if values.is_empty() {
                return "{}".to_owned();
            }
            let mut lines = String::from("{\n");
            for (name, values) in values {
                let v = &values[n % values.len()];
                lines.push_str(&format!(
                    "        {}: {},\n",
                    python::string(name),
                    python::literal(v)
                ));
            }
            lines.push_str("    }");
            lines
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
                4,
            )
        })
        .collect()
}

/// The update test compares the response with what it sent, so it changes
/// a field responses show: (JSON name, Python literal), or empty strings.
fn update_change(b: &Builder, values: &[(String, Vec<Json>)]) -> (String, String) {
    let write_only: BTreeSet<&str> = b
        .facts
        .fields
        .iter()
        .filter(|f| f.raw.write_only)
        .map(|f| f.name.as_str())
        .collect();
    match values
        .iter()
        .find(|(name, v)| v.len() > 1 && !write_only.contains(name.as_str()))
    {
        Some((name, values)) => (name.clone(), python::literal(&values[1])),
        None => (String::new(), String::new()),
    }
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
                .map(|r| format!("{}_id", r.name))
        })
}

/// `RENAMED = (...)` of the JSON names whose Python attribute differs, or empty.
fn renamed(b: &Builder) -> String {
    let renamed: Vec<String> = b
        .facts
        .fields
        .iter()
        .filter(|f| f.attr != f.name)
        .map(|f| python::string(&f.name))
        .collect();
    match renamed.as_slice() {
        [] => String::new(),
        [one] => format!("RENAMED = ({one},)"),
        many => call("RENAMED = ", many, "", 0),
    }
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
            (format!("{}_id", rel.name), placeholder)
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
            let column = format!("{}_id", rel.name);
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
/// creates, each with the sample number of that row (`count` samples);
/// imports their factories.
fn example_refs(b: &mut Builder, example: &[(String, Json)], count: usize) -> Vec<ExampleRef> {
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
    let example_refs: Vec<ExampleRef> = refs
        .iter()
        .zip(numbers)
        .map(|(rel, n)| ExampleRef {
            column: format!("{}_id", rel.name),
            factory: rel
                .target_snake
                .as_ref()
                .map(|s| format!("create_{s}"))
                .unwrap_or_default(),
            n,
        })
        .collect();
    for e in example_refs.iter().filter(|e| !e.factory.is_empty()) {
        b.imports.test.from("tests.factories", &e.factory);
    }
    example_refs
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

/// `read_only` fields' cases and the update bodies the server refuses
/// because it sets their field (read-only fields, audit columns).
fn server_set(b: &mut Builder) -> (Vec<String>, Vec<String>) {
    let mut server_set = Vec::new();
    let mut read_only = Vec::new();
    for f in b.facts.fields.iter().filter(|f| f.raw.read_only) {
        let initial = f
            .default
            .as_ref()
            .map_or("None".to_owned(), python::literal);
        let value = python::literal(&f.samples_cache[0]);
        server_set.push(format!("{{{}: {value}}}", python::string(&f.name)));
        read_only.push(call(
            "pytest.param",
            &[
                python::string(&f.name),
                initial,
                value,
                format!("id={}", python::string(&f.name.replace('_', "-"))),
            ],
            ",",
            4,
        ));
    }
    if b.facts.raw.audit {
        for name in AUDIT_COLUMNS {
            server_set.push(format!("{{{}: admin.id}}", python::string(name)));
        }
        b.imports.test.uses("FastAPI").uses("delete").uses("User");
    }
    (server_set, read_only)
}

/// `write_only` fields: (field, value on create, value on update).
fn write_only(b: &mut Builder) -> Vec<(String, String, String)> {
    let cases: Vec<(String, String, String)> = b
        .facts
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
        .collect();
    if !cases.is_empty() {
        let (class, snake) = (b.facts.class, b.facts.snake);
        b.imports
            .test
            .uses("FastAPI")
            .from(&format!("app.{snake}.models"), class)
            .from(&format!("app.{snake}.schemas"), &format!("{class}Create"));
    }
    cases
}

/// Sequence ids grow with each insert; random ones (uuid4) do not, and the
/// API orders them as their text (PostgreSQL's `uuid` and SQLite's hex
/// `CHAR(32)` alike), as Python sorts the JSON strings: (statement ordering
/// the created ids, assertions of the late-row cursor test).
fn id_order(kind: IdKind) -> (String, String) {
    if kind == IdKind::Uuid {
        (
            "ids.sort()".to_owned(),
            "assert len(seen) == len(set(seen))\n    \
             assert [i for i in seen if i not in late] == sorted(ids, reverse=True)"
                .to_owned(),
        )
    } else {
        (
            String::new(),
            "assert seen == sorted(ids, reverse=True)\n    assert late[0] not in seen".to_owned(),
        )
    }
}

/// `{head}[...]` of the strings `items`, laid out at 4 spaces.
fn list_statement(head: &str, items: impl Iterator<Item = String>) -> String {
    let items = Json::Array(items.map(Json::String).collect());
    format!("{head}{}", python::literal_at(&items, 4, head.len(), 0))
}

/// `sorts += [...]`: each sort key of the list both ways, at 4 spaces.
fn sort_walk(b: &Builder) -> String {
    let keys = b.facts.list.sort_cases.iter();
    list_statement("sorts += ", keys.flat_map(|k| [k.clone(), format!("-{k}")]))
}

/// `@pytest.mark.parametrize("key", [...])` of the list's sort keys.
fn sort_params(b: &Builder) -> String {
    let keys: Vec<Json> = b
        .facts
        .list
        .sort_cases
        .iter()
        .map(|k| Json::String(k.clone()))
        .collect();
    call(
        "@pytest.mark.parametrize",
        &[
            python::string("key"),
            python::literal_at(&Json::Array(keys), 4, 0, 1),
        ],
        "",
        0,
    )
}

/// The factories the tests module imports beyond its own resource's.
fn factory_imports(b: &mut Builder, collections: &[crate::model::Collection]) {
    let snake = b.facts.snake;
    let mut factories: Vec<String> = collections
        .iter()
        .map(|c| c.target_factory.clone())
        .collect();
    factories.extend(b.tests.one_to_one.iter().map(|p| p.factory.clone()));
    factories.extend(b.tests.deletions.iter().map(|d| d.factory.clone()));
    factories.extend(b.tests.owned_targets.iter().map(|t| t.factory.clone()));
    for factory in &factories {
        b.imports.test.from("tests.factories", factory);
    }
    b.imports
        .test
        .from("tests.factories", &format!("{snake}_body"))
        .from("tests.factories", &format!("{snake}_parents"))
        .uses("assert_problem")
        .uses("error_fields")
        .uses("page_count");
}

/// Derives the test data of the resource `b` is laying out; its unique
/// groups are `unique_groups`. Adds the imports the tests module needs.
pub(crate) fn plan(
    b: &mut Builder,
    unique_groups: &[Vec<String>],
    collections: &[crate::model::Collection],
) -> Plan {
    let values = sample_values(b);
    factory_imports(b, collections);
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
    let samples = samples(
        &values,
        b.capacity
            .min(SAMPLES)
            .min(standing.capacity.clamp(2, SAMPLES)),
    );
    let example = example(b, &values);
    let example_refs = example_refs(b, &example, samples.len());
    let [creator, reader, updater, deleter] = actors(b, &standing);
    let (server_set, read_only) = server_set(b);
    let write_only = write_only(b);
    let (update_field, update_value) = update_change(b, &values);
    let (order_ids, late_row_checks) = id_order(b.own_id.kind);
    let own_id = b.own_id;
    let tests = ResourceTests {
        missing_id: own_id.missing.to_owned(),
        id_json: if own_id.kind == IdKind::Uuid {
            "str"
        } else {
            "int"
        }
        .to_owned(),
        malformed_ids: own_id.malformed.to_owned(),
        order_ids,
        late_row_checks,
        rows: standing.capacity.clamp(2, 3),
        member_creates: standing.member_creates,
        creator,
        reader,
        updater,
        deleter,
        hidden_field: permission_field(b, |f| f.raw.read.is_some() && !f.raw.read_only),
        guarded_field: permission_field(b, |f| f.raw.write.is_some()),
        renamed: renamed(b),
        samples,
        parents: std::mem::take(&mut b.tests.parents),
        invalid: std::mem::take(&mut b.invalid),
        update_field,
        update_value,
        not_null_field: not_null_field(b),
        owned_targets: std::mem::take(&mut b.tests.owned_targets),
        references: std::mem::take(&mut b.tests.references),
        deletions: std::mem::take(&mut b.tests.deletions),
        boundaries: std::mem::take(&mut b.boundaries),
        shared_parents,
        unique_cases: unique_cases(b),
        one_to_one: std::mem::take(&mut b.tests.one_to_one),
        read_only,
        write_only,
        server_set,
        sort_params: sort_params(b),
        sort_walk: sort_walk(b),
        search_keys: list_statement("keys = ", b.facts.list.search_keys.iter().cloned()),
        docs_example: format!("EXAMPLE: dict[str, Any] = {}", python::dict_at(&example, 0)),
        example_refs,
    };
    Plan { tests, example }
}
