//! `test_fields.py`: what each field accepts, refuses, returns and keeps unique.

use super::{Data, Module, attr, s, tuple, tuple_at};
use crate::layout::resource::Builder;
use crate::model::SuiteFile;

/// `test_fields.py`: invalid values, bounds, server-set, read-only,
/// write-only, audit, renamed and unique fields.
pub(super) fn fields(b: &Builder, d: &Data) -> SuiteFile {
    let (class, snake) = (b.facts.class, b.facts.snake);
    let mut m = Module::new(
        b,
        "fields",
        "TestFields",
        "what each field accepts, refuses, returns and keeps unique.",
        "Values accepted and refused, and fields the server keeps.",
    );
    // `InvalidTests` is `FieldTests` with the fields' own invalid values;
    // `InvalidUpdateTests`, those and the update's (which never leaves a
    // field out, always some of them when any).
    if b.invalid.is_empty() {
        m.base("FieldTests");
    } else {
        let rows: Vec<String> = b.invalid.iter().map(|call| call.row()).collect();
        if rows.iter().any(|row| row.contains("MISSING")) {
            m.imports.from("tests.helpers", "MISSING");
        }
        for call in &b.invalid {
            m.imports.from("tests.kit.invalid", call.kind);
        }
        let suite = if b.invalid_on_update {
            "InvalidUpdateTests"
        } else {
            "InvalidTests"
        };
        m.base(suite).rows("invalid", rows);
    }
    if let Some(field) = &d.not_null_field {
        m.base("NotNullTests").attr(attr("not_null", &s(field)));
    }
    if !b.boundaries.is_empty() {
        m.base("BoundaryTests")
            .rows("boundaries", b.boundaries.clone());
    }
    if !b.spellings.is_empty() {
        m.base("SpellingTests")
            .rows("spellings", b.spellings.clone());
    }
    if !d.read_only.is_empty() {
        m.base("ReadOnlyTests")
            .rows("read_only", d.read_only.clone());
    }
    if !d.write_only.is_empty() {
        let cases: Vec<String> = d
            .write_only
            .iter()
            .map(|(field, first, second)| tuple(&[s(field), first.clone(), second.clone()]))
            .collect();
        m.base("WriteOnlyTests")
            .list("write_only", &cases)
            .attr(attr("model", class))
            .attr(attr("create_schema", &format!("{class}Create")));
        m.imports
            .from(&format!("app.{snake}.models"), class)
            .from(&format!("app.{snake}.schemas"), &format!("{class}Create"));
    }
    if b.facts.raw.audit {
        m.base("AuditTests");
    }
    if !d.renamed.is_empty() {
        let renamed: Vec<String> = d.renamed.iter().map(|n| s(n)).collect();
        m.base("RenamedTests")
            .attr(attr("renamed", &tuple_at(&renamed, 4, 10, 0)));
    }
    if !d.unique_cases.is_empty() {
        m.base("UniqueTests").rows("unique", d.unique_cases.clone());
    }
    m.done()
}
