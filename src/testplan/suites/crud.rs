//! `test_crud.py`: one row's life, its hooks, missing and malformed ids.

use serde_json::Value as Json;

use super::{Data, Module, attr, s, tuple};
use crate::layout::resource::Builder;
use crate::model::SuiteFile;
use crate::python;

/// `test_crud.py`: the life of one row, hooks, missing and malformed ids,
/// the /docs example.
pub(super) fn crud(b: &Builder, d: &Data) -> SuiteFile {
    let class = b.facts.class;
    let mut m = Module::new(
        b,
        "crud",
        "TestCrud",
        "create, read, update and delete; hooks; missing and malformed ids.",
        "One row's life, its hooks, and ids that name no row.",
    );
    m.base("CrudTests");
    if b.facts.raw.owned {
        m.attr(attr("owned", "True"));
    }
    if let Some((field, value)) = &d.change {
        let mut change = serde_json::Map::new();
        change.insert(field.clone(), value.clone());
        let change = Json::Object(change);
        m.constant("change", &python::literal_at(&change, 0, 9, 0));
    }
    m.attr(attr("example_schema", &s(&format!("{class}Create"))));
    m.constant("example", &python::dict_at(&d.example, 0));
    if !d.example_refs.is_empty() {
        let refs: Vec<String> = d
            .example_refs
            .iter()
            .map(|e| {
                let resource = e.resource.as_deref().map_or("None".to_owned(), s);
                tuple(&[s(&e.column), resource, e.n.to_string()])
            })
            .collect();
        m.list("example_parents", &refs);
    }
    m.done()
}
