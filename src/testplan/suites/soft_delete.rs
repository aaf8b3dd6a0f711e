//! `test_soft_delete.py`: deleted rows hidden, listed on request, restored.

use super::Module;
use crate::layout::resource::Builder;
use crate::model::SuiteFile;

/// `test_soft_delete.py`; not written for a resource without soft delete.
pub(super) fn soft_delete(b: &Builder) -> SuiteFile {
    let mut m = Module::new(
        b,
        "soft_delete",
        "TestSoftDelete",
        "a delete only marks the row; admins list and restore deleted rows.",
        "Deleted rows: hidden, listed on request, restored by admins.",
    );
    if b.facts.raw.soft_delete {
        m.base("SoftDeleteTests");
    }
    m.done()
}
