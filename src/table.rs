//! The database schema of the resolved resources: tables in creation order.

use crate::check::Checker;
use crate::check::list::sort_index_keys;
use crate::ir::ResourceFacts;
use crate::layout::resource::Resolved;
use crate::schema::{self, Schema};
use crate::spec::spans::join_key;
use serde_json::Value as Json;
use std::collections::{BTreeMap, BTreeSet};

/// Orders tables so that every foreign key points at a table created before
/// it, `users` first, and checks that no two constraints or indexes get the
/// same name (PostgreSQL and SQLite keep index names per schema). Names
/// longer than PostgreSQL's limit are shortened by `schema::names::fit`.
pub(crate) fn tables(
    resolved: &[Resolved],
    user_columns: &[schema::Column],
    email: crate::model::EmailFlows,
    c: &mut Checker,
) -> Schema {
    let mut out = schema::builtin_tables(user_columns, email);
    let mut identifiers: BTreeMap<String, String> = out
        .iter()
        .flat_map(|t| t.identifiers().into_iter().map(|n| (n, t.name.clone())))
        .collect();
    let mut done: BTreeSet<String> = out.iter().map(|t| t.name.clone()).collect();
    let mut pending: Vec<&Resolved> = resolved.iter().collect();
    while !pending.is_empty() {
        let ready = pending.iter().position(|r| {
            r.target_tables
                .iter()
                .all(|t| done.contains(t) || *t == r.resource.table)
        });
        match ready {
            Some(i) => {
                let r = pending.remove(i);
                done.insert(r.resource.table.clone());
                for name in r.table.identifiers() {
                    if let Some(table) = identifiers.get(&name) {
                        c.at_key(
                            &join_key("resources", &r.key),
                            format!("two constraints or indexes would both be named `{name}` (one on table `{table}`)"),
                            "names join the table and column names with `_`; rename a field, a relation or a `plural` so that they differ",
                        );
                    } else {
                        identifiers.insert(name, r.table.name.clone());
                    }
                }
                out.push(r.table.clone());
            }
            None => {
                let names: Vec<&str> = pending
                    .iter()
                    .map(|r| r.resource.class_name.as_str())
                    .collect();
                c.at_key(
                    &join_key("resources", &pending[0].key),
                    format!("relations between {} form a cycle of tables", names.join(", ")),
                    "spec v1 creates tables in dependency order and cannot create tables that refer to each other; remove one relation of the cycle",
                );
                break;
            }
        }
    }
    // Association tables last: they refer to two tables created before.
    for r in resolved {
        for t in &r.extra_tables {
            if done.contains(&t.name) {
                c.at_key(
                    &join_key("resources", &r.key),
                    format!(
                        "a many_to_many needs table `{}`, which another table already is",
                        t.name
                    ),
                    "rename the relation or the other resource (its `plural`)",
                );
                continue;
            }
            for name in t.identifiers() {
                if let Some(table) = identifiers.get(&name) {
                    c.at_key(
                        &join_key("resources", &r.key),
                        format!("two constraints or indexes would both be named `{name}` (one on table `{table}`)"),
                        "rename the relation or a `plural` so that they differ",
                    );
                } else {
                    identifiers.insert(name, t.name.clone());
                }
            }
            done.insert(t.name.clone());
            out.push(t.clone());
        }
    }
    Schema { tables: out }
}

/// A default as a SQL literal, for backfills and `server_default`.
pub(crate) fn sql_default(v: &Json) -> String {
    match v {
        Json::String(s) => schema::sql_string(s),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        other => schema::sql_string(&other.to_string()),
    }
}

/// The plain indexes over several columns of a resource's table: those the
/// spec declares (`indexes:`), then one `(key, id)` for every sort key of
/// its list, so that the first page in any order, and a keyset page
/// anywhere, reads about `limit` index entries whatever the table's size.
///
/// One ascending index serves both directions of a key: PostgreSQL and
/// SQLite scan a B-tree backwards, which gives `key DESC, id DESC` (and
/// PostgreSQL's default `NULLS FIRST` for descending keys, the reverse of
/// the ascending `NULLS LAST`). No index is added for `id` (the primary
/// key), for a unique field (its unique index orders it alone, ties cannot
/// happen), or when the spec already declares the same columns. The sort
/// index also serves the key's filters, so a sorted field gets no index of
/// its own (see [`sort_index_keys`], which checking uses to leave them out). Every list, nested ones included,
/// orders by these keys; nested lists also filter by their parent's column,
/// which has an index of its own.
pub(crate) fn composite_indexes(facts: &ResourceFacts) -> Vec<Vec<String>> {
    let mut out = facts.composites.indexes.clone();
    for key in sort_index_keys(&facts.list, &facts.fields) {
        let group = vec![key.to_owned(), "id".to_owned()];
        if !out.contains(&group) {
            out.push(group);
        }
    }
    out
}
