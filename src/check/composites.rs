//! Checks of `unique_together` and `indexes`.

use crate::check::Checker;
use crate::check::fields::FieldPlan;
use crate::check::relations::RelationPlan;
use crate::diagnostics::allowed_help;
use crate::names;
use crate::spec::{RawResource, spans::join_key};
use crate::testplan::SAMPLES;

/// `unique_together` and `indexes` of a resource, resolved to columns.
#[derive(Debug, Default)]
pub(crate) struct Composites {
    /// Unique groups: their columns, and whether the generated 409 test can
    /// build two clashing rows from them (every member is a field each
    /// caller reads and writes, or a required relation).
    pub(crate) unique: Vec<(Vec<String>, bool)>,
    /// Index groups' columns.
    pub(crate) indexes: Vec<Vec<String>>,
    /// How many sample rows stay distinct on every unique group.
    pub(crate) capacity: usize,
}

/// Greatest common divisor, for least common multiples of sample counts.
pub(crate) fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Resolves `unique_together` and `indexes`: each group names two or more
/// distinct fields or relations (a relation means its `_id` column), none
/// of them a JSON or array field, and no group repeats another.
pub(crate) fn composites(
    c: &mut Checker,
    path: &str,
    r: &RawResource,
    fields: &[FieldPlan],
    relations: &[RelationPlan],
) -> Composites {
    let mut out = Composites {
        capacity: SAMPLES,
        ..Composites::default()
    };
    let names: Vec<&str> = fields
        .iter()
        .map(|f| f.name.as_str())
        .chain(relations.iter().map(|r| r.name.as_str()))
        .collect();
    let kinds = [
        (
            "unique_together",
            &r.unique_together,
            "a unique constraint",
            "for one field use `unique: true` on the field",
        ),
        (
            "indexes",
            &r.indexes,
            "an index",
            "for one field use `index: true` on the field; relations are always indexed",
        ),
    ];
    for (key, groups, what, single) in kinds {
        let kpath = join_key(path, key);
        let mut seen: Vec<Vec<String>> = Vec::new();
        for (i, group) in groups.iter().enumerate() {
            let gpath = format!("{kpath}[{i}]");
            if group.len() < 2 {
                c.at_value(
                    &gpath,
                    format!(
                        "a group of `{key}` needs at least two fields or relations; this one has {}",
                        group.len()
                    ),
                    single,
                );
                continue;
            }
            let before = c.problems.len();
            let mut columns: Vec<String> = Vec::new();
            let mut testable = true;
            // Distinct sample rows on this group: the least common multiple
            // of its fields' sample counts; unbounded with a relation, since
            // the tests give each row its own parent for it.
            let mut distinct = 1usize;
            let mut has_relation = false;
            for (j, given) in group.iter().enumerate() {
                let npath = format!("{gpath}[{j}]");
                let name = names::snake(given);
                let column = if let Some(f) = fields.iter().find(|f| f.name == name) {
                    if !f.row.indexable {
                        c.at_value(
                            &npath,
                            format!("`{}` field `{name}` cannot be part of {what}", f.row.name),
                            "databases cannot compare JSON documents or arrays; remove it from the group",
                        );
                        continue;
                    }
                    testable &= f.raw.read.is_none() && f.raw.write.is_none();
                    let count = if f.raw.write.is_some() {
                        1
                    } else {
                        f.samples_cache.len().max(1)
                    };
                    distinct = (distinct * count / gcd(distinct, count)).min(SAMPLES);
                    name
                } else if let Some(rel) = relations.iter().find(|r| r.name == name) {
                    testable &= !rel.nullable;
                    has_relation = true;
                    format!("{name}_id")
                } else {
                    c.at_value(
                        &npath,
                        format!("`{given}` is not a field or relation of this resource"),
                        allowed_help(given, &names),
                    );
                    continue;
                };
                if columns.contains(&column) {
                    c.at_value(
                        &npath,
                        format!("`{given}` appears twice in this group"),
                        "list each field or relation once",
                    );
                    continue;
                }
                columns.push(column);
            }
            if c.problems.len() > before {
                continue;
            }
            // Column order matters to an index, not to a unique constraint.
            let same = |a: &Vec<String>, b: &Vec<String>| {
                if key == "indexes" {
                    a == b
                } else {
                    let mut a = a.clone();
                    let mut b = b.clone();
                    a.sort();
                    b.sort();
                    a == b
                }
            };
            if let Some(k) = seen.iter().position(|g| same(g, &columns)) {
                c.at_value(
                    &gpath,
                    format!("this group repeats `{key}[{k}]`"),
                    "remove the repeat",
                );
                continue;
            }
            seen.push(columns.clone());
            if key == "indexes" {
                out.indexes.push(columns);
                continue;
            }
            if !has_relation {
                if distinct < 2 {
                    c.at_value(
                        &gpath,
                        "gen cannot derive two rows with different values for this group",
                        "add an `example:` or more `values` to one of its fields, or add a field with more possible values to the group; the generated tests build their rows from them",
                    );
                    continue;
                }
                out.capacity = out.capacity.min(distinct);
            }
            out.unique.push((columns, testable));
        }
    }
    out
}
