//! Lays out `tests/<resource>/test_files.py`: the file fields the suites
//! of `tests/kit/files.py` run on, with the types the tests can make.

use crate::check::fields::FieldPlan;
use crate::layout::resource::Builder;
use crate::model::{Reach, SuiteFile};
use crate::python;
use crate::spec::words::OnDelete;
use crate::testplan::suites::Module;

/// The media types the tests can make a file of (`sample_file`), in the
/// order they are picked.
const SAMPLEABLE: &[&str] = &[
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
];

/// What a field refuses is taken from these: the first it does not take.
const REFUSABLE: &[&str] = &["application/pdf", "image/png", "image/gif"];

/// The largest `max_bytes` the size test sends one byte more than.
const MAX_TESTED_BYTES: u64 = 16 * 1024 * 1024;

/// The test module of the file fields of the resource `b` lays out; empty
/// when it has none the tests can exercise: a field whose types the tests
/// cannot make, or whose limit is over 16 MiB, is left to its owner.
pub(crate) fn files(b: &Builder) -> SuiteFile {
    let mut m = Module::new(
        b,
        "files",
        "TestFiles",
        "upload, download, ranges, limits, access and cleanup of the file fields.",
        "File fields: bytes in and out, limits, access, no object left behind.",
    );
    let fields: Vec<(&FieldPlan, &str, &str)> = b
        .facts
        .fields
        .iter()
        .filter(|f| f.row.ty.is_upload() && f.bounds.max_bytes <= MAX_TESTED_BYTES)
        .filter_map(|f| Some((f, accepted(f)?, refused(f)?)))
        .collect();
    if fields.is_empty() {
        return m.done();
    }
    let rows = fields
        .iter()
        .map(|(f, ok, no)| {
            param(
                &[
                    python::string(&f.name),
                    python::string(ok),
                    python::string(no),
                    f.bounds.max_bytes.to_string(),
                ],
                &f.name,
            )
        })
        .collect();
    m.base("FileTests").table("files", rows);
    if b.facts.raw.soft_delete {
        m.attr("hard_delete = False".to_owned());
    }
    let (upload, download) = others_statuses(b);
    let others: Vec<String> = fields
        .iter()
        .filter(|(f, _, _)| f.raw.read.is_none() && f.raw.write.is_none())
        .map(|(f, ok, _)| {
            param(
                &[
                    python::string(&f.name),
                    python::string(ok),
                    upload.to_string(),
                    download.to_string(),
                ],
                &f.name,
            )
        })
        .collect();
    if !others.is_empty() {
        m.base("OtherUsersFileTests").table("others", others);
    }
    let cascades = cascades(b, &fields);
    if !cascades.is_empty() {
        m.base("CascadeFileTests").table("cascades", cascades);
    }
    if let (Some(unique), Some((f, ok, _))) = (unique_files(b), fields.first()) {
        let args = [unique.0, python::string(&f.name), python::string(ok)];
        let row = param(&args, &unique.1);
        m.base("UniqueFileCreateTests")
            .table("unique_files", vec![row]);
    }
    let guarded = guarded_files(b, &fields);
    if !guarded.is_empty() {
        m.base("GuardedFileCreateTests")
            .table("guarded_files", guarded);
    }
    m.done()
}

/// The first unique field of the resource the tests can clash on (not a
/// one-to-one column), as a Python tuple of its name, with a test id; None
/// without one.
fn unique_files(b: &Builder) -> Option<(String, String)> {
    let (_, name) = b
        .unique_fields
        .iter()
        .find(|(_, name)| !b.tests.one_to_one.iter().any(|p| p.column == *name))?;
    Some((format!("({},)", python::string(name)), name.clone()))
}

/// Rows of the `guarded_files` table: the tested fields with `write:`
/// roles that leave out the default role, when that role may create rows
/// (the test's `member`, who then may not send them).
fn guarded_files(b: &Builder, fields: &[(&FieldPlan, &str, &str)]) -> Vec<String> {
    if b.facts.rules[1].member(b.default_role) != Reach::All {
        return Vec::new();
    }
    fields
        .iter()
        .filter(|(f, _, _)| {
            f.raw
                .write
                .as_ref()
                .is_some_and(|roles| !roles.iter().any(|r| r == b.default_role))
        })
        .map(|(f, ok, _)| param(&[python::string(&f.name), python::string(ok)], &f.name))
        .collect()
}

/// Rows of the `cascades` table: each tested field with each reference the
/// database deletes the row along (`on_delete: cascade`) to a resource whose
/// rows the tests can delete for good (not `User`, not soft-deleted).
fn cascades(b: &Builder, fields: &[(&FieldPlan, &str, &str)]) -> Vec<String> {
    let parents: Vec<(String, &str)> = b
        .facts
        .relations
        .iter()
        .filter(|r| r.on_delete == OnDelete::Cascade && !r.target_soft)
        .filter_map(|r| Some((r.column(), r.target_snake.as_deref()?)))
        .collect();
    let mut rows = Vec::new();
    for (f, ok, _) in fields {
        for (column, parent) in &parents {
            rows.push(param(
                &[
                    python::string(&f.name),
                    python::string(ok),
                    python::string(column),
                    python::string(parent),
                ],
                &format!("{}-{}", f.name, column),
            ));
        }
    }
    rows
}

/// The first type of `f` the tests can make.
fn accepted(f: &FieldPlan) -> Option<&'static str> {
    SAMPLEABLE
        .iter()
        .copied()
        .find(|t| f.bounds.content_types.iter().any(|c| c == t))
}

/// A type the tests can make that `f` does not take.
fn refused(f: &FieldPlan) -> Option<&'static str> {
    REFUSABLE
        .iter()
        .copied()
        .find(|t| !f.bounds.content_types.iter().any(|c| c == t))
}

/// What another member gets for an upload and a download on a row they
/// did not make: the update and read rules' reach for the default role
/// (`All` 200, `Own` 404 as for the row, `None` 403).
fn others_statuses(b: &Builder) -> (u16, u16) {
    let status = |reach: Reach| match reach {
        Reach::All => 200,
        Reach::Own => 404,
        Reach::None => 403,
    };
    let [read, _, update, _] = &b.facts.rules;
    (
        status(update.member(b.default_role)),
        status(read.member(b.default_role)),
    )
}

/// `pytest.param(args..., id=...)` as a table row.
fn param(args: &[String], id: &str) -> String {
    let mut args = args.to_vec();
    args.push(format!("id={}", python::string(&id.replace('_', "-"))));
    python::call("pytest.param", &args, ",", 4)
}
