//! Lays out a resource's file fields in `router.py`: one `FileRoutes`, one
//! `add(FileField(...))` per field and the create with files
//! (`add_create`; `app/kit/uploads.py` serves them all),
//! and the foreign keys along which the database deletes its rows, so that
//! their files leave the storage too (`deleted_with`).

use std::collections::BTreeSet;

use crate::check::fields::FieldPlan;
use crate::ir::ResourceFacts;
use crate::python::{self, call};
use crate::spec::words::OnDelete;

/// Whether the resource has a file field.
fn has_files(facts: &ResourceFacts) -> bool {
    facts.fields.iter().any(|f| f.row.ty.is_upload())
}

/// Class names of the resources whose rows hold files, or whose deletion
/// by the database (`on_delete: cascade`) reaches rows that do, however
/// deep: the parents whose deletion must look for files first. `User` is
/// one when some such resource is owned.
pub(crate) fn file_carriers(facts: &[ResourceFacts]) -> BTreeSet<String> {
    let mut out: BTreeSet<String> = facts
        .iter()
        .filter(|f| has_files(f))
        .map(|f| f.class.to_owned())
        .collect();
    loop {
        let before = out.len();
        let parents: Vec<String> = facts
            .iter()
            .filter(|f| out.contains(f.class))
            .flat_map(|f| &f.relations)
            .filter(|r| r.on_delete == OnDelete::Cascade)
            .map(|r| r.target_class.clone())
            .collect();
        out.extend(parents);
        if out.len() == before {
            return out;
        }
    }
}

/// The foreign key columns of the resource along which the database
/// deletes its rows (`on_delete: cascade`, and `owner_id`, which cascades
/// from its user) when its rows reach files (`carriers`); empty otherwise.
pub(crate) fn cascading_columns(facts: &ResourceFacts, carriers: &BTreeSet<String>) -> Vec<String> {
    if !carriers.contains(facts.class) {
        return Vec::new();
    }
    let mut out: Vec<String> = facts
        .relations
        .iter()
        .filter(|r| r.on_delete == OnDelete::Cascade)
        .map(|r| r.column())
        .collect();
    if facts.raw.owned {
        out.push("owner_id".to_owned());
    }
    out
}

/// The router's block adding the upload, download and clear routes of
/// every file field of the resource, then its `deleted_with(...)` line,
/// after two blank lines; empty when it has neither.
pub(crate) fn uploads_block(facts: &ResourceFacts, carriers: &BTreeSet<String>) -> String {
    let mut out = routes_block(facts);
    let columns = cascading_columns(facts, carriers);
    if !columns.is_empty() {
        out.push_str("\n\n\n#: Rows the database deletes with the rows these keys point at.\n");
        let mut args = vec![facts.class.to_owned()];
        args.extend(columns.iter().map(|c| python::string(c)));
        out.push_str(&call("deleted_with", &args, "", 0));
    }
    out
}

/// The `FileRoutes` block of the resource's file fields, ending with the
/// create with files (`POST .../with-files`); empty without any.
fn routes_block(facts: &ResourceFacts) -> String {
    let fields: Vec<&FieldPlan> = facts
        .fields
        .iter()
        .filter(|f| f.row.ty.is_upload())
        .collect();
    if fields.is_empty() {
        return String::new();
    }
    let item = format!("/{{{}_id}}", facts.snake);
    let mut out = String::from("\n\n\n#: Upload, download and removal of the file fields.\n");
    out.push_str(&call(
        "uploads = FileRoutes",
        &[
            "router".into(),
            "api".into(),
            facts.class.to_owned(),
            python::string(&item),
            "read=access.for_read".into(),
            "write=access.for_update".into(),
        ],
        "",
        0,
    ));
    for f in fields {
        out.push('\n');
        out.push_str(&call("uploads.add", &[file_field(f)], "", 0));
    }
    out.push('\n');
    out.push_str(&call(
        "uploads.add_create",
        &[
            format!("{}Create", facts.class),
            "service.repository".into(),
            "creator=access.creator".into(),
        ],
        "",
        0,
    ));
    out
}

/// `FileField(name, attr, max_bytes=..., content_types=(...), ...)` of `f`.
fn file_field(f: &FieldPlan) -> String {
    let b = &f.bounds;
    let types: Vec<String> = b.content_types.iter().map(|t| python::string(t)).collect();
    let mut args = vec![
        python::string(&f.name),
        python::string(&f.attr),
        format!("max_bytes={}", b.max_bytes),
        content_types(&types),
    ];
    args.extend(b.max_width.map(|w| format!("max_width={w}")));
    args.extend(b.max_height.map(|h| format!("max_height={h}")));
    python::argument("FileField", &args, 4)
}

/// `content_types=[...]` as an argument at 8 spaces: on one line when it
/// fits with its comma, else one type per line (as `ruff format` lays it).
fn content_types(types: &[String]) -> String {
    let flat = format!("content_types=[{}]", types.join(", "));
    if 8 + flat.len() < python::LINE_LENGTH {
        return flat;
    }
    let items: String = types
        .iter()
        .map(|t| format!("            {t},\n"))
        .collect();
    format!("content_types=[\n{items}        ]")
}
