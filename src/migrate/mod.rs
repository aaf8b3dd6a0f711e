//! Alembic revisions computed from two schemas: what gen generated last
//! (`.gen/schema.json`) and what the spec implies now.
//!
//! Column changes run inside `op.batch_alter_table`, so SQLite (which cannot
//! alter columns in place) gets a copy-and-rename of the table while
//! PostgreSQL gets plain `ALTER TABLE` (Alembic docs, "Running Batch
//! Migrations for SQLite and Other Databases").

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::python::{self, call};
use crate::schema::{Column, ForeignKey, Schema, Table, names};

/// A revision, ready to lay out as a file.
#[derive(Debug, Clone, Serialize)]
pub struct Revision {
    /// Revision id, also the file name prefix (`0002`).
    pub id: String,
    /// Previous revision id, if any.
    pub down_revision: Option<String>,
    /// File name without `.py` (`0002_add_comments`).
    pub file_stem: String,
    /// First docstring line.
    pub title: String,
    /// Where the revision comes from, for the docstring.
    pub origin: String,
    /// One line per change, for the docstring.
    pub changes: Vec<String>,
    /// Statements of `upgrade()`, laid out at 4 spaces.
    pub upgrade: Vec<String>,
    /// Statements of `downgrade()`, laid out at 4 spaces.
    pub downgrade: Vec<String>,
    /// Changes that can lose data or fail on a table with rows.
    pub destructive: Vec<String>,
    /// Some statement uses `sa.` (so the file imports sqlalchemy).
    pub uses_sa: bool,
}

/// Whether any of `statements` refers to `sa.` (so the revision imports it).
fn uses_sa(statements: &[String]) -> bool {
    statements.iter().any(|s| s.contains("sa."))
}

/// What `.gen/schema.json` holds: the schema of the head revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaState {
    /// Number of the head revision (`1` for `0001_initial`).
    pub revision: u32,
    /// The schema at that revision.
    pub schema: Schema,
}

/// Revision number `n` as Alembic's id (`0002`).
fn revision_id(n: u32) -> String {
    format!("{n:04}")
}

/// The first revision: every table of `schema`.
pub fn initial(schema: &Schema) -> Revision {
    let mut upgrade = Vec::new();
    let mut downgrade = Vec::new();
    for t in &schema.tables {
        upgrade.extend(create_table(t));
    }
    for t in schema.tables.iter().rev() {
        downgrade.extend(drop_table(t));
    }
    Revision {
        id: revision_id(1),
        down_revision: None,
        file_stem: "0001_initial".into(),
        title: "Initial schema: users and every resource of gen.yaml.".into(),
        origin: "Written by gen from gen.yaml: the same spec always gives this file.".into(),
        changes: schema
            .tables
            .iter()
            .map(|t| format!("create table {}", t.name))
            .collect(),
        uses_sa: uses_sa(&upgrade) || uses_sa(&downgrade),
        upgrade,
        downgrade,
        destructive: Vec::new(),
    }
}

/// `sa.Column(...)` at `indent` spaces; `server_default` is a Python
/// expression (`sa.text("'draft'")`).
fn column_def(c: &Column, indent: usize, server_default: Option<String>) -> String {
    let mut args = vec![
        python::string(&c.name),
        c.sql_type.migration("", indent + 4),
    ];
    args.push(format!(
        "nullable={}",
        if c.nullable { "True" } else { "False" }
    ));
    if let Some(d) = server_default {
        args.push(format!("server_default={d}"));
    }
    python::argument("sa.Column", &args, indent)
}

/// `["a", "b"]`: column names as a Python list.
fn column_list(columns: &[String]) -> String {
    let quoted: Vec<String> = columns.iter().map(|c| python::string(c)).collect();
    format!("[{}]", quoted.join(", "))
}

/// `a` for one column, `(a, b)` for several, in change descriptions.
fn shown(columns: &[String]) -> String {
    match columns {
        [one] => one.clone(),
        _ => format!("({})", columns.join(", ")),
    }
}

/// `op.f("name")`: a name already final under the naming convention.
fn op_f(name: &str) -> String {
    format!("op.f({})", python::string(name))
}

/// `name=op.f("name")` as an argument on a line of its own at `indent`
/// spaces (with its trailing comma), split the way ruff splits it when a
/// long name (up to 63 bytes) does not fit.
fn name_arg(name: &str, indent: usize) -> String {
    let flat = format!("name={}", op_f(name));
    if indent + flat.len() < python::LINE_LENGTH {
        flat
    } else {
        format!(
            "name=op.f(\n{}{}\n{})",
            " ".repeat(indent + 4),
            python::string(name),
            " ".repeat(indent)
        )
    }
}

/// The constraint name and the arguments after it of foreign key `fk` of
/// `table`.
fn fk_args(table: &str, fk: &ForeignKey) -> (String, Vec<String>) {
    let name = op_f(&names::fk(table, &fk.column, &fk.target));
    let on_delete = format!("ondelete={}", python::string(&fk.on_delete));
    (
        name,
        vec![
            python::string(&fk.target),
            format!("[{}]", python::string(&fk.column)),
            "[\"id\"]".into(),
            on_delete,
        ],
    )
}

/// The statements creating table `t`, its constraints and its indexes.
fn create_table(t: &Table) -> Vec<String> {
    let name = &t.name;
    let mut args = vec![python::string(name)];
    args.extend(t.columns.iter().map(|c| column_def(c, 8, None)));
    let mut key: Vec<String> = t.primary_key.iter().map(|c| python::string(c)).collect();
    key.push(name_arg(&names::pk(name), 12));
    args.push(python::argument("sa.PrimaryKeyConstraint", &key, 8));
    for group in t.unique_groups() {
        let mut unique: Vec<String> = group.iter().map(|c| python::string(c)).collect();
        unique.push(name_arg(&names::uq(name, &group), 12));
        args.push(python::argument("sa.UniqueConstraint", &unique, 8));
    }
    for fk in &t.foreign_keys {
        args.push(python::argument(
            "sa.ForeignKeyConstraint",
            &[
                format!("[{}]", python::string(&fk.column)),
                format!("[\"{}.id\"]", fk.target),
                name_arg(&names::fk(name, &fk.column, &fk.target), 12),
                format!("ondelete={}", python::string(&fk.on_delete)),
            ],
            8,
        ));
    }
    let mut out = vec![call("op.create_table", &args, "", 4)];
    for group in t.index_groups() {
        out.push(call(
            "op.create_index",
            &[
                op_f(&names::ix(name, &group)),
                python::string(name),
                column_list(&group),
                "unique=False".into(),
            ],
            "",
            4,
        ));
    }
    out
}

/// The statements dropping table `t` and its indexes.
fn drop_table(t: &Table) -> Vec<String> {
    let mut out: Vec<String> = t
        .index_groups()
        .iter()
        .map(|group| {
            call(
                "op.drop_index",
                &[
                    op_f(&names::ix(&t.name, group)),
                    format!("table_name={}", python::string(&t.name)),
                ],
                "",
                4,
            )
        })
        .collect();
    out.push(format!("op.drop_table({})", python::string(&t.name)));
    out
}

/// A named object of a table besides its columns.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Object {
    /// A unique constraint on one or more columns.
    Unique(Vec<String>),
    /// A plain index on one or more columns.
    Index(Vec<String>),
    Foreign(String, String, String),
}

/// Every unique constraint, index and foreign key of table `t`.
fn objects(t: &Table) -> BTreeSet<Object> {
    let mut out = BTreeSet::new();
    out.extend(t.unique_groups().into_iter().map(Object::Unique));
    out.extend(t.index_groups().into_iter().map(Object::Index));
    out.extend(
        t.foreign_keys
            .iter()
            .map(|fk| Object::Foreign(fk.column.clone(), fk.target.clone(), fk.on_delete.clone())),
    );
    out
}

/// The batch statement creating `o` on `table`.
fn create_object(table: &str, o: &Object) -> String {
    match o {
        Object::Unique(c) => call(
            "batch_op.create_unique_constraint",
            &[op_f(&names::uq(table, c)), column_list(c)],
            "",
            8,
        ),
        Object::Index(c) => call(
            "batch_op.create_index",
            &[
                op_f(&names::ix(table, c)),
                column_list(c),
                "unique=False".into(),
            ],
            "",
            8,
        ),
        Object::Foreign(column, target, on_delete) => {
            let fk = ForeignKey {
                column: column.clone(),
                target: target.clone(),
                on_delete: on_delete.clone(),
            };
            let (name, rest) = fk_args(table, &fk);
            let mut args = vec![name];
            args.extend(rest);
            call("batch_op.create_foreign_key", &args, "", 8)
        }
    }
}

/// The batch statement dropping `o` from `table`.
fn drop_object(table: &str, o: &Object) -> String {
    match o {
        Object::Unique(c) => call(
            "batch_op.drop_constraint",
            &[op_f(&names::uq(table, c)), "type_=\"unique\"".into()],
            "",
            8,
        ),
        Object::Index(c) => call("batch_op.drop_index", &[op_f(&names::ix(table, c))], "", 8),
        Object::Foreign(column, target, _) => call(
            "batch_op.drop_constraint",
            &[
                op_f(&names::fk(table, column, target)),
                "type_=\"foreignkey\"".into(),
            ],
            "",
            8,
        ),
    }
}

/// A `batch_alter_table` block on `table` running `statements`; `None`
/// when there are none.
fn batch(table: &str, statements: Vec<String>) -> Option<String> {
    if statements.is_empty() {
        return None;
    }
    let mut out = format!(
        "with op.batch_alter_table({}) as batch_op:",
        python::string(table)
    );
    for s in statements {
        // Statements are laid out for 8 spaces; the template indents only
        // the first line of the block by 4.
        out.push('\n');
        out.push_str("        ");
        out.push_str(&s);
    }
    Some(out)
}

/// The batch statement altering column `name` from `from` to `to` (type,
/// with a PostgreSQL cast, and nullability).
fn alter(from: &Column, to: &Column, name: &str) -> String {
    let mut args = vec![
        python::string(name),
        from.sql_type.migration("existing_type=", 12),
    ];
    if from.sql_type != to.sql_type {
        args.push(to.sql_type.migration("type_=", 12));
        let using = format!("\"{name}\"::{}", to.sql_type.postgres());
        args.push(format!("postgresql_using={}", python::string(&using)));
    }
    if from.nullable != to.nullable {
        args.push(format!("existing_nullable={}", py_bool(from.nullable)));
        args.push(format!("nullable={}", py_bool(to.nullable)));
    } else {
        args.push(format!("existing_nullable={}", py_bool(from.nullable)));
    }
    call("batch_op.alter_column", &args, "", 8)
}

/// `b` as a Python literal.
fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}

/// The statement setting `column` of `table` to `literal` where it is NULL.
fn backfill(table: &str, column: &str, literal: &str) -> String {
    let sql = format!("UPDATE \"{table}\" SET \"{column}\" = {literal} WHERE \"{column}\" IS NULL");
    call("op.execute", &[python::string(&sql)], "", 4)
}

/// Changes between one table's two versions.
struct TableDiff {
    upgrade: Vec<String>,
    downgrade: Vec<String>,
    changes: Vec<String>,
    destructive: Vec<String>,
}

/// The statements of one `batch_alter_table` block, both ways, in
/// upgrade order (a downgrade runs `down` reversed unless said otherwise).
#[derive(Default)]
struct Batch {
    up: Vec<String>,
    down: Vec<String>,
}

/// The migration of table `old` to `new`: two batches around a table
/// rename and the backfills of columns that become NOT NULL.
///
/// Batch A (on the old table name) drops stale constraints and indexes,
/// renames, drops and adds columns; batch B (on the new name) alters
/// columns and creates new constraints and indexes. Out: upgrade and
/// downgrade statements, the changes in words and the destructive ones.
fn diff_table(old: &Table, new: &Table) -> TableDiff {
    let (o, n) = (&old.name, &new.name);
    let mut d = TableDiff {
        upgrade: Vec::new(),
        downgrade: Vec::new(),
        changes: Vec::new(),
        destructive: Vec::new(),
    };
    let old_objects = objects(old);
    let new_objects = objects(new);
    // A renamed table renames every constraint and index (their names
    // start with the table's), so all of them are dropped and recreated.
    let (gone, fresh): (Vec<&Object>, Vec<&Object>) = if o == n {
        (
            old_objects.difference(&new_objects).collect(),
            new_objects.difference(&old_objects).collect(),
        )
    } else {
        (old_objects.iter().collect(), new_objects.iter().collect())
    };

    let mut a = Batch {
        up: gone.iter().map(|ob| drop_object(o, ob)).collect(),
        down: Vec::new(),
    };
    rename_columns(old, new, &mut a, &mut d);
    drop_columns(old, new, &mut a, &mut d);
    add_columns(old, new, &mut a, &mut d);
    // Undo order: drops of added columns, re-adds, renames back, then old objects.
    a.down.reverse();
    a.down.extend(gone.iter().map(|ob| create_object(o, ob)));

    let (b, updates) = alter_columns(old, new, &mut d);
    let b_up: Vec<String> =
        b.up.into_iter()
            .chain(fresh.iter().map(|ob| create_object(n, ob)))
            .collect();
    let b_down: Vec<String> = fresh
        .iter()
        .map(|ob| drop_object(n, ob))
        .chain(b.down.into_iter().rev())
        .collect();
    object_changes(o, n, &fresh, &gone, &mut d);

    // Assemble: a renamed table is renamed between the batches.
    let renamed = o != n;
    d.upgrade.extend(batch(o, a.up));
    if renamed {
        d.upgrade.push(format!(
            "op.rename_table({}, {})",
            python::string(o),
            python::string(n)
        ));
        d.changes.insert(0, format!("rename table {o} to {n}"));
    }
    d.upgrade.extend(updates);
    d.upgrade.extend(batch(n, b_up));
    d.downgrade.extend(batch(n, b_down));
    if renamed {
        d.downgrade.push(format!(
            "op.rename_table({}, {})",
            python::string(n),
            python::string(o)
        ));
    }
    d.downgrade.extend(batch(o, a.down));
    d
}

/// The old version of new column `c` in table `old`: the column of the
/// same name, or the one it is `renamed_from`.
fn source<'a>(old: &'a Table, c: &Column) -> Option<&'a Column> {
    old.column(&c.name)
        .or_else(|| c.renamed_from.as_deref().and_then(|r| old.column(r)))
}

/// Adds to batch `a` the renames of columns of `old` that `new` renamed
/// (objects are compared after renaming old columns to their new names).
fn rename_columns(old: &Table, new: &Table, a: &mut Batch, d: &mut TableDiff) {
    let o = &old.name;
    for c in &new.columns {
        let Some(s) = source(old, c).filter(|s| s.name != c.name) else {
            continue;
        };
        let (from, to) = (&s.name, &c.name);
        let rename = |name: &str, new_name: &str| {
            call(
                "batch_op.alter_column",
                &[
                    python::string(name),
                    format!("new_column_name={}", python::string(new_name)),
                    s.sql_type.migration("existing_type=", 12),
                ],
                "",
                8,
            )
        };
        a.up.push(rename(from, to));
        a.down.push(rename(to, from));
        d.changes.push(format!("rename column {o}.{from} to {to}"));
    }
}

/// Adds to batch `a` the drops of columns of `old` that `new` no longer
/// has (re-added on downgrade, NOT NULL ones with a filler default).
fn drop_columns(old: &Table, new: &Table, a: &mut Batch, d: &mut TableDiff) {
    let o = &old.name;
    let kept_old: BTreeSet<&str> = new
        .columns
        .iter()
        .filter_map(|c| source(old, c).map(|s| s.name.as_str()))
        .collect();
    for c in old
        .columns
        .iter()
        .filter(|c| !kept_old.contains(c.name.as_str()))
    {
        a.up.push(format!("batch_op.drop_column({})", python::string(&c.name)));
        let filler = (!c.nullable).then(|| match &c.default {
            Some(literal) => format!("sa.text({})", python::string(literal)),
            None => c.sql_type.filler_default(16),
        });
        a.down.push(call(
            "batch_op.add_column",
            &[column_def(c, 12, filler)],
            "",
            8,
        ));
        d.changes.push(format!("drop column {o}.{}", c.name));
        d.destructive
            .push(format!("drop column `{o}.{}`: its data is lost", c.name));
    }
}

/// Adds to batch `a` the columns of `new` that `old` did not have (NOT
/// NULL ones with their default as the server default).
fn add_columns(old: &Table, new: &Table, a: &mut Batch, d: &mut TableDiff) {
    let n = &new.name;
    for c in new.columns.iter().filter(|c| source(old, c).is_none()) {
        let default = if c.nullable {
            None
        } else {
            c.default.as_deref()
        };
        a.up.push(call(
            "batch_op.add_column",
            &[column_def(
                c,
                12,
                default.map(|d| format!("sa.text({})", python::string(d))),
            )],
            "",
            8,
        ));
        a.down
            .push(format!("batch_op.drop_column({})", python::string(&c.name)));
        d.changes.push(format!("add column {n}.{}", c.name));
        if !c.nullable && c.default.is_none() {
            d.destructive.push(format!(
                "add NOT NULL column `{n}.{}` with no default: fails if `{n}` holds rows",
                c.name
            ));
        }
    }
}

/// The alterations of columns kept from `old` whose type or nullability
/// `new` changes (batch B), and the backfills to run before it for
/// columns that become NOT NULL with a default.
fn alter_columns(old: &Table, new: &Table, d: &mut TableDiff) -> (Batch, Vec<String>) {
    let n = &new.name;
    let mut b = Batch::default();
    let mut updates = Vec::new();
    for c in &new.columns {
        let Some(from) = source(old, c) else { continue };
        if from.sql_type == c.sql_type && from.nullable == c.nullable {
            continue;
        }
        let from_at_new_name = Column {
            name: c.name.clone(),
            ..from.clone()
        };
        b.up.push(alter(&from_at_new_name, c, &c.name));
        b.down.push(alter(c, &from_at_new_name, &c.name));
        if from.sql_type != c.sql_type {
            d.changes.push(format!("change type of {n}.{}", c.name));
            if !from.sql_type.widens_to(&c.sql_type) {
                d.destructive.push(format!(
                    "change `{n}.{}` from {} to {}: existing values may not fit",
                    c.name,
                    from.sql_type.postgres(),
                    c.sql_type.postgres()
                ));
            }
        }
        if from.nullable && !c.nullable {
            d.changes.push(format!("make {n}.{} NOT NULL", c.name));
            match &c.default {
                Some(literal) => updates.push(backfill(n, &c.name, literal)),
                None => d.destructive.push(format!(
                    "make `{n}.{}` NOT NULL with no default: fails if a row holds NULL",
                    c.name
                )),
            }
        } else if !from.nullable && c.nullable {
            d.changes.push(format!("make {n}.{} nullable", c.name));
        }
    }
    (b, updates)
}

/// Describes the constraints and indexes table `n` gains (`fresh`) and
/// table `o` loses (`gone`), in that order.
fn object_changes(o: &str, n: &str, fresh: &[&Object], gone: &[&Object], d: &mut TableDiff) {
    for ob in fresh {
        d.changes.push(match ob {
            Object::Unique(c) => format!("add unique constraint on {n}.{}", shown(c)),
            Object::Index(c) => format!("add index on {n}.{}", shown(c)),
            Object::Foreign(c, t, _) => format!("add foreign key {n}.{c} -> {t}"),
        });
    }
    for ob in gone {
        d.changes.push(match ob {
            Object::Unique(c) => format!("drop unique constraint on {o}.{}", shown(c)),
            Object::Index(c) => format!("drop index on {o}.{}", shown(c)),
            Object::Foreign(c, t, _) => format!("drop foreign key {o}.{c} -> {t}"),
        });
    }
}

/// The revision that takes a database from `old` to `new`, numbered `number`;
/// None when nothing changed.
pub fn diff(old: &Schema, new: &Schema, number: u32) -> Option<Revision> {
    let mut upgrade = Vec::new();
    let mut downgrade_parts: Vec<Vec<String>> = Vec::new();
    let mut changes = Vec::new();
    let mut destructive = Vec::new();
    let find_old = |t: &Table| -> Option<&Table> {
        old.table(&t.name)
            .or_else(|| t.renamed_from.as_deref().and_then(|r| old.table(r)))
    };
    let kept: BTreeSet<&str> = new
        .tables
        .iter()
        .filter_map(|t| find_old(t).map(|o| o.name.as_str()))
        .collect();
    let mut touched = BTreeSet::new();
    // New tables first (they may be referenced by altered ones).
    for t in new.tables.iter().filter(|t| find_old(t).is_none()) {
        upgrade.extend(create_table(t));
        downgrade_parts.push(drop_table(t));
        changes.push(format!("create table {}", t.name));
        touched.insert(t.name.clone());
    }
    for t in &new.tables {
        let Some(o) = find_old(t) else { continue };
        let d = diff_table(o, t);
        if d.upgrade.is_empty() {
            continue;
        }
        upgrade.extend(d.upgrade);
        downgrade_parts.push(d.downgrade);
        changes.extend(d.changes);
        destructive.extend(d.destructive);
        touched.insert(t.name.clone());
    }
    for t in old
        .tables
        .iter()
        .rev()
        .filter(|t| !kept.contains(t.name.as_str()))
    {
        upgrade.extend(drop_table(t));
        downgrade_parts.push(create_table(t));
        changes.push(format!("drop table {}", t.name));
        destructive.push(format!("drop table `{}`: its rows are lost", t.name));
        touched.insert(t.name.clone());
    }
    if upgrade.is_empty() {
        return None;
    }
    let downgrade: Vec<String> = downgrade_parts.into_iter().rev().flatten().collect();
    let slug = slug(&touched, &changes);
    let id = revision_id(number);
    Some(Revision {
        file_stem: format!("{id}_{slug}"),
        id,
        down_revision: Some(revision_id(number - 1)),
        title: format!("{}.", capitalize(&slug.replace('_', " "))),
        origin: "Written by gen from the change to gen.yaml since the previous revision;\nthe same two specs always give this file.".into(),
        changes,
        uses_sa: uses_sa(&upgrade) || uses_sa(&downgrade),
        upgrade,
        downgrade,
        destructive,
    })
}

/// The revision's file name after its number: what happened to the one
/// table it `touched` (`add_posts`, `drop_posts`, `rename_posts`,
/// `alter_posts`, read from the first of its `changes`), or
/// `update_schema` when it touched several.
fn slug(touched: &BTreeSet<String>, changes: &[String]) -> String {
    match (touched.len(), changes.first()) {
        (1, Some(first)) => {
            let table = touched.iter().next().cloned().unwrap_or_default();
            let verb = first.split_whitespace().next().unwrap_or("alter");
            match verb {
                "create" => format!("add_{table}"),
                "drop" if first.starts_with("drop table") => format!("drop_{table}"),
                "rename" if first.starts_with("rename table") => format!("rename_{table}"),
                _ => format!("alter_{table}"),
            }
        }
        _ => "update_schema".to_owned(),
    }
}

/// `s` with its first character in upper case.
fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests;
