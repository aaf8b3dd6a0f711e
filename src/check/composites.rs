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
///
/// In: the resource at `path`, its checked fields and relations. Out: the
/// groups as columns, and how many sample rows stay distinct on every
/// unique group; problems are on `c`.
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
    let members = Members {
        fields,
        relations,
        names: fields
            .iter()
            .map(|f| f.name.as_str())
            .chain(relations.iter().map(|r| r.name.as_str()))
            .collect(),
    };
    // (key, its groups, what a group makes, how to declare one of one member)
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
            let Some(g) = members.group(c, &gpath, group, what) else {
                continue;
            };
            let ordered = key == "indexes";
            if let Some(k) = seen.iter().position(|s| same_group(ordered, s, &g.columns)) {
                c.at_value(
                    &gpath,
                    format!("this group repeats `{key}[{k}]`"),
                    "remove the repeat",
                );
                continue;
            }
            seen.push(g.columns.clone());
            if ordered {
                out.indexes.push(g.columns);
            } else {
                add_unique(c, &gpath, g, &mut out);
            }
        }
    }
    out
}

/// Whether two groups' columns are the same group: column order matters
/// to an index (`ordered`), not to a unique constraint.
fn same_group(ordered: bool, a: &[String], b: &[String]) -> bool {
    if ordered {
        a == b
    } else {
        let mut a = a.to_vec();
        let mut b = b.to_vec();
        a.sort();
        b.sort();
        a == b
    }
}

/// Adds unique group `g` (at `gpath`) to `out`, lowering `out.capacity`
/// to its distinct rows; a group of fields only that cannot give two
/// distinct sample rows is a problem instead.
fn add_unique(c: &mut Checker, gpath: &str, g: Group, out: &mut Composites) {
    if !g.has_relation {
        if g.distinct < 2 {
            c.at_value(
                gpath,
                "gen cannot derive two rows with different values for this group",
                "add an `example:` or more `values` to one of its fields, or add a field with more possible values to the group; the generated tests build their rows from them",
            );
            return;
        }
        out.capacity = out.capacity.min(g.distinct);
    }
    out.unique.push((g.columns, g.testable));
}

/// What a group may name: the resource's fields and relations.
struct Members<'a> {
    fields: &'a [FieldPlan],
    relations: &'a [RelationPlan],
    /// Their names, for the help line of an unknown one.
    names: Vec<&'a str>,
}

/// One group of `unique_together` or `indexes`, resolved.
struct Group {
    columns: Vec<String>,
    /// Whether the generated 409 test can build two clashing rows from it.
    testable: bool,
    /// Distinct sample rows on this group: the least common multiple of
    /// its fields' sample counts, at most [`SAMPLES`]; unbounded (not
    /// counted) with a relation, since the tests give each row its own
    /// parent for it.
    distinct: usize,
    has_relation: bool,
}

impl Members<'_> {
    /// Resolves the members of `group` (at `gpath`, making `what`) to
    /// columns. Out: the group, or `None` if any member is a problem.
    fn group(&self, c: &mut Checker, gpath: &str, group: &[String], what: &str) -> Option<Group> {
        let before = c.problems.len();
        let mut g = Group {
            columns: Vec::new(),
            testable: true,
            distinct: 1,
            has_relation: false,
        };
        for (j, given) in group.iter().enumerate() {
            let npath = format!("{gpath}[{j}]");
            let Some(column) = self.column(c, &npath, given, what, &mut g) else {
                continue;
            };
            if g.columns.contains(&column) {
                c.at_value(
                    &npath,
                    format!("`{given}` appears twice in this group"),
                    "list each field or relation once",
                );
                continue;
            }
            g.columns.push(column);
        }
        (c.problems.len() == before).then_some(g)
    }

    /// The column of member `given` (at `npath`) of a group making `what`:
    /// a field's own, a relation's `_id`. Updates `g`'s testability,
    /// distinct rows and relations. `None` after a problem (unknown, or a
    /// field that cannot be compared).
    fn column(
        &self,
        c: &mut Checker,
        npath: &str,
        given: &str,
        what: &str,
        g: &mut Group,
    ) -> Option<String> {
        let name = names::snake(given);
        if let Some(f) = self.fields.iter().find(|f| f.name == name) {
            if !f.row.indexable {
                c.at_value(
                    npath,
                    format!("`{}` field `{name}` cannot be part of {what}", f.row.name),
                    "databases cannot compare JSON documents or arrays; remove it from the group",
                );
                return None;
            }
            g.testable &= f.raw.read.is_none() && f.raw.write.is_none();
            let count = if f.raw.write.is_some() {
                1
            } else {
                f.samples_cache.len().max(1)
            };
            g.distinct = (g.distinct * count / gcd(g.distinct, count)).min(SAMPLES);
            Some(name)
        } else if let Some(rel) = self.relations.iter().find(|r| r.name == name) {
            g.testable &= !rel.nullable;
            g.has_relation = true;
            Some(format!("{name}_id"))
        } else {
            c.at_value(
                npath,
                format!("`{given}` is not a field or relation of this resource"),
                allowed_help(given, &self.names),
            );
            None
        }
    }
}
