//! Lays out a resource's file fields in `router.py`: one `FileRoutes` and
//! one `add(FileField(...))` per field (`app/kit/uploads.py` serves them).

use crate::check::fields::FieldPlan;
use crate::ir::ResourceFacts;
use crate::python::{self, call};

/// The router's block adding the upload, download and clear routes of
/// every file field of the resource, after two blank lines; empty when it
/// has none.
pub(crate) fn uploads_block(facts: &ResourceFacts) -> String {
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
