//! `test_list.py`: pages and their bounds, filters, sorting and search;
//! and how the default-page test makes 51 distinct rows.

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use super::{Data, Module, attr, made_by, s, tuple, tuple_at};
use crate::check::values::check_value;
use crate::layout::resource::Builder;
use crate::model::{Collection, SuiteFile};
use crate::python;
use crate::types::FieldType;

/// Rows the default-page test creates: one more than a page holds.
const PAGE_ROWS: usize = 51;

/// `test_list.py`: pages and their bounds, filters, sorting and search.
pub(super) fn list(b: &Builder, d: &Data, collections: &[Collection]) -> SuiteFile {
    let spec = &b.facts.list;
    let mut m = Module::new(
        b,
        "listing",
        "TestList",
        "the list's pages and their bounds, filters, sorting and search.",
        "Pages, filters, sorting and search of the list.",
    );
    m.base("ListTests");
    let links: Vec<String> = collections
        .iter()
        .filter(|c| c.many_to_many)
        .filter_map(|c| Some(tuple(&[s(&c.ids_field), s(made_by(&c.target_factory)?)])))
        .collect();
    if !links.is_empty() {
        m.list("links", &links);
    }
    if spec.cursor {
        m.base("CursorTests");
        let mut sorts: Vec<String> = vec!["id".into(), "-id".into()];
        for key in std::iter::once(spec.default_sort.clone()).chain(
            spec.sort_cases
                .iter()
                .flat_map(|k| [k.clone(), format!("-{k}")]),
        ) {
            if !sorts.contains(&key) {
                sorts.push(key);
            }
        }
        m.table(
            "cursor_sort",
            sorts.iter().map(|k| format!("{},", s(k))).collect(),
        );
        if let Some(numbered) = &d.numbered {
            m.base("DefaultPageTests");
            if !numbered.is_empty() {
                let entries: Vec<(String, Json)> = numbered
                    .iter()
                    .map(|(field, form)| (field.clone(), Json::String(form.clone())))
                    .collect();
                m.constant("numbered", &python::dict_at(&entries, 0));
            }
        }
    } else {
        m.base("OffsetTests");
    }
    if !spec.kinds.is_empty() && (!spec.filter_cases.is_empty() || !spec.sort_cases.is_empty()) {
        let kinds: String = spec.kinds.iter().map(|k| format!("    {k}\n")).collect();
        m.constant("kinds", &format!("{{\n{kinds}}}"));
    }
    if !spec.filter_cases.is_empty() {
        m.base("FilterTests")
            .table("list_filter", spec.filter_cases.clone());
    }
    if !spec.sort_cases.is_empty() {
        let keys = spec
            .sort_cases
            .iter()
            .map(|k| format!("{},", s(k)))
            .collect();
        m.base("SortTests").table("sort_key", keys);
    }
    if !spec.search_keys.is_empty() {
        let keys: Vec<String> = spec.search_keys.iter().map(|k| s(k)).collect();
        m.base("SearchTests")
            .attr(attr("search_keys", &tuple_at(&keys, 4, 14, 0)));
    }
    m.done()
}

/// How the unique fields of row `n` of the default-page test differ, so
/// that 51 rows can be made: `{sample 0}-{n}` (shortened to fit) for each
/// unique string field and for one string field of each unique group,
/// checked as the field checks values. `None` when some unique field, or
/// every field of a unique group, is not a string that takes such values,
/// or when a required parent of its own per row (one-to-one) is in the way.
pub(crate) fn numbered(
    b: &Builder,
    values: &[(String, Vec<Json>)],
    shared: &[String],
    unique_groups: &[Vec<String>],
) -> Option<Vec<(String, String)>> {
    if b.tests
        .parents
        .iter()
        .any(|p| p.unique || (p.reuse.is_none() && !shared.contains(&p.column)))
    {
        return None;
    }
    let form_of = |name: &str| -> Option<String> {
        let f = b.facts.fields.iter().find(|f| f.name == name)?;
        if !matches!(f.row.ty, FieldType::String | FieldType::Text) {
            return None;
        }
        let sample = values
            .iter()
            .find(|(n, _)| n == name)?
            .1
            .first()?
            .as_str()?;
        numbered_form(f, sample)
    };
    let mut out: Vec<(String, String)> = Vec::new();
    for f in b.facts.fields.iter().filter(|f| f.raw.unique) {
        out.push((f.name.clone(), form_of(&f.name)?));
    }
    for group in unique_groups {
        if group.iter().any(|c| out.iter().any(|(n, _)| n == c)) {
            continue;
        }
        let numbered = group.iter().find_map(|c| Some((c.clone(), form_of(c)?)))?;
        out.push(numbered);
    }
    Some(out)
}

/// A `str.format` pattern of one argument that field `f` accepts for every
/// row number of the default-page test, from its first `sample`.
fn numbered_form(f: &crate::check::fields::FieldPlan, sample: &str) -> Option<String> {
    let fits = |form: &str| {
        (0..PAGE_ROWS).all(|n| {
            let value = form.replace("{}", &n.to_string());
            check_value(f, &Yaml::String(value)).is_ok()
        })
    };
    let max = f.bounds.max_length.map_or(usize::MAX, |m| m as usize);
    let base: String = sample
        .chars()
        .filter(|c| *c != '{' && *c != '}')
        .take(max.saturating_sub(3))
        .collect();
    [
        format!("{base}-{{}}"),
        format!("{base}{{}}"),
        "{}".to_owned(),
    ]
    .into_iter()
    .find(|form| fits(form))
}
