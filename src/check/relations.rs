//! Checks of `relations:`: kinds, targets, inverses and required cycles.

use crate::check::Checker;
use crate::check::resources::Catalog;
use crate::diagnostics::allowed_help;
use crate::ir::ResourceFacts;
use crate::names;
use crate::spec::words::{OnDelete, RelationKind, Words};
use crate::spec::{RawRelation, spans::join_key};
use crate::types::IdKind;
use std::collections::{BTreeMap, BTreeSet};

/// What a relation is, once its `kind` is read.
/// The JSON field of a many-to-many relation's ids (`tags` → `tag_ids`).
pub(crate) fn ids_field(name: &str) -> String {
    format!(
        "{}_ids",
        names::singular(name).unwrap_or_else(|| name.to_owned())
    )
}

/// The `many_to_one` relations of resource `target` (by class) that point
/// at class `parent`, by normalized name.
pub(crate) fn back_candidates(
    spec: &crate::spec::RawSpec,
    catalog: &Catalog,
    target: &str,
    parent: &str,
) -> Vec<String> {
    catalog
        .keys
        .get(target)
        .into_iter()
        .flatten()
        .filter_map(|k| spec.resources.get(k))
        .flat_map(|r| &r.relations)
        .filter(|(_, rel)| rel.kind == "many_to_one" && names::pascal(&rel.to) == parent)
        .map(|(k, _)| names::snake(k))
        .collect()
}

/// The target relation a `one_to_many` is the inverse of: `via`, or the only
/// candidate. Errors: (message, help).
pub(crate) fn resolve_via(
    candidates: &[String],
    via: Option<&str>,
    parent: &str,
    target: &str,
) -> Result<String, (String, String)> {
    match via {
        Some(v) if candidates.contains(&names::snake(v)) => Ok(names::snake(v)),
        Some(v) => Err((
            format!("`{target}` has no many_to_one relation `{v}` to `{parent}`"),
            if candidates.is_empty() {
                format!(
                    "add one to `{target}`, like `{}: {{kind: many_to_one, to: {parent}}}`",
                    names::snake(parent)
                )
            } else {
                let known: Vec<&str> = candidates.iter().map(String::as_str).collect();
                allowed_help(v, &known)
            },
        )),
        None => match candidates {
            [one] => Ok(one.clone()),
            [] => Err((
                format!(
                    "a one_to_many needs its inverse: `{target}` has no many_to_one relation to `{parent}`"
                ),
                format!(
                    "add one to `{target}`, like `{}: {{kind: many_to_one, to: {parent}}}`",
                    names::snake(parent)
                ),
            )),
            several => Err((
                format!(
                    "`{target}` has several many_to_one relations to `{parent}` ({})",
                    several.join(", ")
                ),
                "say which one this is the inverse of with `via:`".to_owned(),
            )),
        },
    }
}

/// What the relations of every resource imply for the other side: the
/// lists under parent rows each resource serves, and the `back_populates`
/// of the many-to-one relations that a one-to-many inverts. Computed before
/// any resource is built; invalid relations are skipped here and reported
/// by [`relation`].
#[derive(Default)]
pub(crate) struct Inverses {
    /// Listed class → lists of its rows under a parent.
    pub(crate) nested: BTreeMap<String, Vec<crate::model::NestedList>>,
    /// (class, many-to-one name) → the one-to-many relation inverting it.
    pub(crate) back_populates: BTreeMap<(String, String), String>,
    /// (target, parent) class pairs of one-to-many relations whose target
    /// has several many-to-one relations to the parent (the relationship
    /// then names its foreign key).
    pub(crate) ambiguous: BTreeSet<(String, String)>,
}

/// What the one-to-many and many-to-many relations of every resource of
/// `catalog` add to the resources they point at (see [`Inverses`]).
pub(crate) fn inverses(spec: &crate::spec::RawSpec, catalog: &Catalog) -> Inverses {
    let mut out = Inverses::default();
    for (key, r) in &spec.resources {
        let parent = names::pascal(key);
        let Some((parent_snake, parent_table, _)) = catalog.by_class.get(&parent) else {
            continue;
        };
        for (rkey, rel) in &r.relations {
            let kind = RelationKind::parse(&rel.kind);
            if !matches!(
                kind,
                Some(RelationKind::OneToMany | RelationKind::ManyToMany)
            ) {
                continue;
            }
            let target = names::pascal(&rel.to);
            if !catalog.by_class.contains_key(&target) {
                continue;
            }
            let name = names::snake(rkey);
            if kind == Some(RelationKind::OneToMany) {
                let candidates = back_candidates(spec, catalog, &target, &parent);
                let Ok(via) = resolve_via(&candidates, rel.via.as_deref(), &parent, &target) else {
                    continue;
                };
                if candidates.len() > 1 {
                    out.ambiguous.insert((target.clone(), parent.clone()));
                }
                out.back_populates
                    .insert((target.clone(), via), name.clone());
            } else if target == parent {
                continue;
            }
            let service = if target == parent {
                "service".to_owned()
            } else {
                format!("{parent_snake}_service")
            };
            out.nested
                .entry(target)
                .or_default()
                .push(crate::model::NestedList {
                    path: format!(
                        "/{}/{{{parent_snake}_id}}/{}",
                        names::kebab(parent_table),
                        names::kebab(&name)
                    ),
                    function: format!("list_{name}_of_{parent_snake}"),
                    parent_class: parent.clone(),
                    parent_snake: parent_snake.clone(),
                    narrow: format!("{service}.{name}_of"),
                    summary: format!(
                        "List the {} of a {}",
                        names::words(&name).to_lowercase(),
                        names::words(parent_snake).to_lowercase()
                    ),
                    parent_public: crate::check::permissions::reads_anonymously(r),
                });
        }
    }
    out
}

/// A relation after its checks.
pub(crate) struct RelationPlan {
    pub(crate) kind: RelationKind,
    pub(crate) name: String,
    pub(crate) target_class: String,
    pub(crate) target_module: String,
    pub(crate) target_table: String,
    pub(crate) target_snake: Option<String>,
    pub(crate) target_owned: bool,
    /// The target resource has `soft_delete`: its deleted rows count as missing.
    pub(crate) target_soft: bool,
    /// The type of the target's `id`, so of the foreign key.
    pub(crate) target_id: IdKind,
    pub(crate) nullable: bool,
    /// What deleting the target does to the rows pointing at it.
    pub(crate) on_delete: OnDelete,
    pub(crate) description: Option<String>,
    /// One-to-many: the target's many-to-one relation this one inverts.
    pub(crate) via: Option<String>,
}

impl RelationPlan {
    /// The foreign key column (and JSON field) of a to-one relation:
    /// `{name}_id` (`category` → `category_id`).
    pub(crate) fn column(&self) -> String {
        format!("{}_id", self.name)
    }
}

/// Checks relation `name` (at `path`) of resource `class` and resolves it
/// against `catalog`: kind, target, `on_delete`, and the keys that apply
/// only to relations with a column or only to collections.
///
/// Out: the relation's plan, or `None` when any check failed (problems
/// are on `c`, in the order of the helpers called here).
pub(crate) fn relation(
    c: &mut Checker,
    path: &str,
    name: &str,
    raw: &RawRelation,
    catalog: &Catalog,
    class: &str,
) -> Option<RelationPlan> {
    let before = c.problems.len();
    let kind = relation_kind(c, path, raw);
    let to_class = names::pascal(&raw.to);
    let target = target(c, path, raw, catalog, &to_class);
    let on_delete = on_delete(c, path, raw);
    if to_class == class && !raw.nullable && kind.has_column() {
        c.at_key(
            path,
            format!("relation `{name}` points at its own resource but is required: the first row could never be created"),
            "add `nullable: true`",
        );
    }
    let mut via = None;
    if kind.has_column() {
        column_keys(c, path, raw, kind, &to_class);
    } else {
        collection_keys(c, path, raw, kind, &to_class, class);
        via = collection_via(c, path, raw, kind, catalog, class, &to_class);
    }
    let target_soft = catalog.soft_deleted.contains(&to_class);
    let target_id = catalog.ids.get(&to_class).copied().unwrap_or_default();
    (c.problems.len() == before).then(|| RelationPlan {
        target_id,
        kind,
        via,
        name: name.to_owned(),
        target_class: to_class,
        target_module: target.module,
        target_table: target.table,
        target_snake: target.snake,
        target_owned: target.owned,
        target_soft,
        nullable: raw.nullable,
        on_delete,
        description: raw.description.clone(),
    })
}

/// The relation's `kind:`; an unknown kind is a problem, and is read as
/// `many_to_one` for the checks that follow.
fn relation_kind(c: &mut Checker, path: &str, raw: &RawRelation) -> RelationKind {
    let kind = RelationKind::parse(&raw.kind);
    if kind.is_none() {
        c.at_value(
            &join_key(path, "kind"),
            format!("unknown relation kind `{}`", raw.kind),
            allowed_help(&raw.kind, &RelationKind::names()),
        );
    }
    kind.unwrap_or(RelationKind::ManyToOne)
}

/// What a relation needs of its target resource.
struct Target {
    /// Models module (`app.tag.models`).
    module: String,
    table: String,
    /// snake_case name; `None` for the built-in User.
    snake: Option<String>,
    owned: bool,
}

/// Resolves the relation's target class `to_class`: the built-in User or
/// a resource of `catalog`. A target that is neither is a problem (unless
/// it was itself rejected) and resolves to empty names.
fn target(
    c: &mut Checker,
    path: &str,
    raw: &RawRelation,
    catalog: &Catalog,
    to_class: &str,
) -> Target {
    let unknown = Target {
        module: String::new(),
        table: String::new(),
        snake: None,
        owned: false,
    };
    if to_class == "User" {
        Target {
            module: "app.auth.models".to_owned(),
            table: "users".to_owned(),
            snake: None,
            owned: false,
        }
    } else if let Some((snake, table, owned)) = catalog.by_class.get(to_class) {
        Target {
            module: format!("app.{snake}.models"),
            table: table.clone(),
            snake: Some(snake.clone()),
            owned: *owned,
        }
    } else if catalog.rejected.contains(to_class) {
        // The target itself was reported; one message is enough.
        unknown
    } else {
        let known: Vec<&str> = catalog
            .by_class
            .keys()
            .map(String::as_str)
            .chain(["User"])
            .collect();
        c.at_value(
            &join_key(path, "to"),
            format!("relation target `{}` is not a resource", raw.to),
            allowed_help(&raw.to, &known),
        );
        unknown
    }
}

/// What deleting the target does under the relation's `on_delete:`
/// (`set_null` for a nullable relation without one, else `restrict`); an
/// unknown value, or `set_null` on a required relation, is a problem.
fn on_delete(c: &mut Checker, path: &str, raw: &RawRelation) -> OnDelete {
    let on_delete = match raw.on_delete.as_deref() {
        None if raw.nullable => OnDelete::SetNull,
        None => OnDelete::Restrict,
        Some(given) => OnDelete::parse(given).unwrap_or_else(|| {
            c.at_value(
                &join_key(path, "on_delete"),
                format!("unknown `on_delete` `{given}`"),
                allowed_help(given, &OnDelete::names()),
            );
            OnDelete::Restrict
        }),
    };
    if on_delete == OnDelete::SetNull && !raw.nullable {
        c.at_value(
            &join_key(path, "on_delete"),
            "`on_delete: set_null` needs `nullable: true`",
            "add `nullable: true`, or use `cascade` or `restrict`",
        );
    }
    on_delete
}

/// Checks a relation with a column (many-to-one, one-to-one): no `via`,
/// and no one-to-one to the built-in User.
fn column_keys(c: &mut Checker, path: &str, raw: &RawRelation, kind: RelationKind, to_class: &str) {
    if raw.via.is_some() {
        c.at_key(
            &join_key(path, "via"),
            format!("`via` belongs to a one_to_many, not a {}", raw.kind),
            "remove it",
        );
    }
    if kind == RelationKind::OneToOne && to_class == "User" {
        c.at_value(
            &join_key(path, "to"),
            "a one_to_one to the built-in User is not supported",
            "put per-user data in `auth.user_fields`, or use `many_to_one` (a user may then have several rows)",
        );
    }
}

/// Checks a collection (one-to-many, many-to-many) of resource `class`:
/// not to the built-in User, no foreign-key keys (`nullable`,
/// `on_delete`), and no many-to-many to its own resource.
fn collection_keys(
    c: &mut Checker,
    path: &str,
    raw: &RawRelation,
    kind: RelationKind,
    to_class: &str,
    class: &str,
) {
    let word = &raw.kind;
    if to_class == "User" {
        c.at_value(
            &join_key(path, "to"),
            format!("a {word} to the built-in User is not supported"),
            "declare `many_to_one` to User on the other resource instead (for example `author: {kind: many_to_one, to: User}`) and filter its list by that id",
        );
    }
    if raw.nullable {
        c.at_key(
            &join_key(path, "nullable"),
            format!("`nullable` applies to foreign keys, and a {word} has none here"),
            "remove it; for a one_to_many, set it on the target's many_to_one",
        );
    }
    if raw.on_delete.is_some() {
        c.at_key(
            &join_key(path, "on_delete"),
            format!("`on_delete` applies to foreign keys, and a {word} has none here"),
            if kind == RelationKind::OneToMany {
                "set it on the target's many_to_one"
            } else {
                "remove it: deleting either row always removes their links"
            },
        );
    }
    if kind == RelationKind::ManyToMany && to_class == class {
        c.at_key(
            path,
            "a many_to_many to its own resource is not supported yet",
            format!("declare a linking resource with two many_to_one relations to `{class}`"),
        );
    }
}

/// A one-to-many's `via`: the target's many-to-one back to `class` that it
/// inverts, given or the only candidate. Out: its name; `None` for a
/// many-to-many (where `via` is a problem), a target not in `catalog`, or
/// after a problem.
fn collection_via(
    c: &mut Checker,
    path: &str,
    raw: &RawRelation,
    kind: RelationKind,
    catalog: &Catalog,
    class: &str,
    to_class: &str,
) -> Option<String> {
    if kind == RelationKind::OneToMany && catalog.by_class.contains_key(to_class) {
        let candidates = back_candidates(&c.spec.raw, catalog, to_class, class);
        match resolve_via(&candidates, raw.via.as_deref(), class, to_class) {
            Ok(v) => return Some(v),
            Err((message, help)) => {
                let at = if raw.via.is_some() {
                    join_key(path, "via")
                } else {
                    path.to_owned()
                };
                c.at_key(&at, message, help);
            }
        }
    } else if raw.via.is_some() && kind == RelationKind::ManyToMany {
        c.at_key(
            &join_key(path, "via"),
            "`via` belongs to a one_to_many, not a many_to_many",
            "remove it",
        );
    }
    None
}

/// Required relations may not form a cycle: no row of the cycle could be
/// created first. Reports every cycle of required relations, once, at its first resource
/// in name order. Only resources in a strongly connected component of more
/// than one resource can lie on a cycle, so the search for cycles (which
/// lists every simple cycle, as the message names it) runs within those
/// components; an acyclic spec costs one linear pass.
pub(crate) fn required_cycles(c: &mut Checker, facts: &[ResourceFacts]) {
    let graph: BTreeMap<&str, Vec<&str>> = facts
        .iter()
        .map(|f| (f.class, f.required_targets().collect()))
        .collect();
    let component = components(&graph);
    for start in graph.keys() {
        let Some(&home) = component.get(start) else {
            continue;
        };
        let mut stack = vec![(*start, vec![*start])];
        while let Some((node, trail)) = stack.pop() {
            for next in graph.get(node).into_iter().flatten() {
                if component.get(next) != Some(&home) {
                    continue;
                }
                if next == start {
                    if trail.iter().min() == Some(start) {
                        let cycle = trail
                            .iter()
                            .chain([start])
                            .copied()
                            .collect::<Vec<_>>()
                            .join(" -> ");
                        let path = join_key(&join_key("resources", start), "relations");
                        c.at_key(
                            &path,
                            format!("required relations form a cycle ({cycle}): no row could be created first"),
                            "make one relation of the cycle `nullable: true`",
                        );
                    }
                } else if !trail.contains(next) {
                    let mut t = trail.clone();
                    t.push(next);
                    stack.push((next, t));
                }
            }
        }
    }
}

/// The strongly connected components of `graph` with more than one node:
/// node → component number (Tarjan's algorithm, iterative). Nodes on no
/// cycle are absent.
fn components<'a>(graph: &BTreeMap<&'a str, Vec<&'a str>>) -> BTreeMap<&'a str, usize> {
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    let mut low: BTreeMap<&str, usize> = BTreeMap::new();
    let mut on_stack: BTreeSet<&str> = BTreeSet::new();
    let mut stack: Vec<&str> = Vec::new();
    let mut out = BTreeMap::new();
    let mut count = 0;
    for &root in graph.keys() {
        if index.contains_key(root) {
            continue;
        }
        // (node, next edge to look at)
        let mut work = vec![(root, 0usize)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index.insert(node, index.len());
                low.insert(node, index[node]);
                stack.push(node);
                on_stack.insert(node);
            }
            let edges = graph.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(&next) = edges.get(edge) {
                work.push((node, edge + 1));
                if !graph.contains_key(next) {
                    continue;
                }
                if !index.contains_key(next) {
                    work.push((next, 0));
                } else if on_stack.contains(next) {
                    low.insert(node, low[node].min(index[next]));
                }
                continue;
            }
            if low[node] == index[node] {
                let mut members = Vec::new();
                while let Some(m) = stack.pop() {
                    on_stack.remove(m);
                    members.push(m);
                    if m == node {
                        break;
                    }
                }
                if members.len() > 1 {
                    out.extend(members.into_iter().map(|m| (m, count)));
                    count += 1;
                }
            }
            if let Some(&(parent, _)) = work.last() {
                low.insert(parent, low[parent].min(low[node]));
            }
        }
    }
    out
}
