//! Checks of `list:`: filters, sort keys, search and pagination.

use crate::check::Checker;
use crate::check::fields::FieldPlan;
use crate::check::permissions::Condition;
use crate::check::relations::RelationPlan;
use crate::diagnostics::allowed_help;
use crate::layout::body_type_import;
use crate::model::ListSpec;
use crate::names;
use crate::python::{self, call};
use crate::reserved::{self, Class};
use crate::spec::words::{Pagination, Words};
use crate::spec::{RawResource, spans::join_key};
use crate::types::FieldType;

/// Resolves `list:`: the query model's filter parameters, the conditions
/// they add, the sort keys, the searched columns, the columns to index, and
/// the imports the query model needs.
pub(crate) fn list_spec(
    c: &mut Checker,
    path: &str,
    class: &str,
    r: &RawResource,
    fields: &[FieldPlan],
    relations: &[RelationPlan],
) -> (ListSpec, Vec<String>, Vec<(String, String)>) {
    let raw = r.list.clone().unwrap_or_default();
    let lpath = join_key(path, "list");
    let mut spec = ListSpec::default();
    let mut indexes = Vec::new();
    let mut imports: Vec<(String, String)> = Vec::new();
    let pagination = match raw.pagination.as_deref() {
        None => Pagination::Offset,
        Some(p) => Pagination::parse(p).unwrap_or_else(|| {
            c.at_value(
                &join_key(&lpath, "pagination"),
                format!("unknown pagination `{p}`"),
                allowed_help(p, &Pagination::names()),
            );
            Pagination::Offset
        }),
    };
    let cursor = pagination == Pagination::Cursor;
    spec.cursor = cursor;
    spec.query_base = if cursor { "CursorQuery" } else { "ListQuery" }.to_owned();
    spec.page_base = if cursor { "CursorPage" } else { "Page" }.to_owned();
    spec.page_key = if cursor { "last" } else { "total" }.to_owned();
    spec.page_args = if cursor {
        "last, query, secret"
    } else {
        "total, query"
    }
    .to_owned();
    imports.push(("app.schemas".into(), spec.query_base.clone()));
    imports.push(("app.schemas".into(), spec.page_base.clone()));
    let field_names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
    let relation_names: Vec<&str> = relations.iter().map(|r| r.name.as_str()).collect();
    let all: Vec<&str> = field_names.iter().chain(&relation_names).copied().collect();
    let unknown = |c: &mut Checker, p: &str, name: &str, allowed: &[&str]| {
        c.at_value(
            p,
            format!("`{name}` is not a field or relation of this resource"),
            allowed_help(name, allowed),
        );
    };
    let col = |name: &str| format!("{class}.{name}");
    for (i, given) in raw.filter.iter().enumerate() {
        let fpath = format!("{}[{i}]", join_key(&lpath, "filter"));
        let name = names::snake(given);
        if let Some(f) = fields.iter().find(|f| f.name == name) {
            if reserved::is(&name, Class::QueryParameter) {
                c.at_value(
                    &fpath,
                    format!(
                        "a filter named `{name}` would clash with the `{name}` query parameter"
                    ),
                    "rename the field",
                );
                continue;
            }
            let ty = f.row.ty;
            let (eq_type, in_type, ordered, contains, kind) = match ty {
                FieldType::String | FieldType::Text | FieldType::Email => {
                    ("SafeStr", Some("SafeStr"), false, true, "text")
                }
                FieldType::Int => ("Int32", Some("Int32"), true, false, "number"),
                FieldType::BigInt => ("Int64", Some("Int64"), true, false, "number"),
                FieldType::Float => ("FiniteFloat", None, true, false, "number"),
                FieldType::Decimal => {
                    c.at_value(
                        &fpath,
                        format!("decimal field `{name}` cannot be filtered yet"),
                        "filter on another field; decimal filters are planned",
                    );
                    continue;
                }
                FieldType::Date => ("date", Some("date"), true, false, "text"),
                FieldType::Time => ("LocalTime", Some("LocalTime"), true, false, "text"),
                FieldType::DateTime => ("UtcDatetime", None, true, false, "text"),
                // Commas are legal in URLs, so there is no `__in` list.
                FieldType::Url => ("HttpUrlStr", None, false, true, "text"),
                FieldType::Bool => ("bool", None, false, false, "text"),
                FieldType::Enum | FieldType::Uuid => (
                    f.mapping.input.as_str(),
                    Some(f.mapping.input.as_str()),
                    false,
                    false,
                    "text",
                ),
                FieldType::Json => {
                    c.at_value(
                        &fpath,
                        format!("json field `{name}` cannot be filtered"),
                        "filter on a typed field instead",
                    );
                    continue;
                }
                FieldType::StringArray | FieldType::IntArray => {
                    c.at_value(
                        &fpath,
                        format!("array field `{name}` (`{}`) cannot be filtered", f.row.name),
                        "arrays are stored as JSON on SQLite, where they cannot be searched by element; filter on another field",
                    );
                    continue;
                }
            };
            let eq_type = eq_type.to_owned();
            if matches!(ty, FieldType::Int | FieldType::BigInt) {
                imports.push(("app.schemas".into(), eq_type.clone()));
            }
            let column = col(&f.attr);
            // `param` is the query parameter, `attr` its attribute in the
            // query model: they differ for `?from=` (`from_`).
            let mut add = |param: String, attr: String, decl: String, cond: Condition, op: &str| {
                spec.params.push(decl);
                spec.filters.push((attr, cond.statement()));
                spec.filter_cases.push(call(
                    "pytest.param",
                    &[
                        python::string(&param),
                        python::string(&name),
                        python::string(op),
                        format!("id={}", python::string(&param.replace('_', "-"))),
                    ],
                    ",",
                    4,
                ));
            };
            if ty != FieldType::Float {
                let attr = f.attr.clone();
                let decl = if attr == name {
                    format!("{name}: {eq_type} | None = None")
                } else {
                    call(
                        &format!("{attr}: {eq_type} | None = Field"),
                        &[
                            "default=None".into(),
                            format!("alias={}", python::string(&name)),
                        ],
                        "",
                        4,
                    )
                };
                add(
                    name.clone(),
                    attr.clone(),
                    decl,
                    Condition::compare(&column, "==", &format!("query.{attr}")),
                    "eq",
                );
            }
            if let Some(t) = in_type {
                imports.push(("app.schemas".into(), "CommaList".into()));
                let p = format!("{name}__in");
                add(
                    p.clone(),
                    p.clone(),
                    format!("{p}: CommaList[{t}] = None"),
                    Condition::call(&format!("{column}.in_"), &[format!("query.{p}")]),
                    "in",
                );
            }
            if ordered {
                for (op, sym) in [("gt", ">"), ("gte", ">="), ("lt", "<"), ("lte", "<=")] {
                    let p = format!("{name}__{op}");
                    add(
                        p.clone(),
                        p.clone(),
                        format!("{p}: {eq_type} | None = None"),
                        Condition::compare(&column, sym, &format!("query.{p}")),
                        op,
                    );
                }
            }
            if contains {
                let p = format!("{name}__contains");
                add(
                    p.clone(),
                    p.clone(),
                    format!("{p}: SafeStr | None = Field(default=None, max_length=200)"),
                    Condition::call(
                        &format!("{column}.icontains"),
                        &[format!("query.{p}"), "autoescape=True".into()],
                    ),
                    "contains",
                );
            }
            if f.raw.nullable {
                let p = format!("{name}__isnull");
                add(
                    p.clone(),
                    p.clone(),
                    format!("{p}: bool | None = None"),
                    Condition::call("is_null", &[column.clone(), format!("query.{p}")]),
                    "isnull",
                );
            }
            spec.kinds.push(format!(
                "{}: {},",
                python::string(&name),
                python::string(kind)
            ));
            for n in f.mapping.schema_imports {
                imports.push((crate::symbols::module_of(n).to_owned(), (*n).to_owned()));
            }
            if ty == FieldType::Float {
                imports.push(("pydantic".into(), "FiniteFloat".into()));
            }
            if contains {
                imports.push(("app.schemas".into(), "SafeStr".into()));
            }
            indexes.push(name.clone());
        } else if let Some(rel) = relations.iter().find(|r| r.name == name) {
            let p = format!("{name}_id");
            let column = col(&p);
            let id = rel.target_id.row();
            spec.params.push(format!("{p}: {} | None = None", id.body));
            let eq = Condition::compare(&column, "==", &format!("query.{p}"));
            spec.filters.push((p.clone(), eq.statement()));
            let pin = format!("{p}__in");
            spec.params
                .push(format!("{pin}: CommaList[{}] = None", id.body));
            let within = Condition::call(&format!("{column}.in_"), &[format!("query.{pin}")]);
            spec.filters.push((pin.clone(), within.statement()));
            if rel.nullable {
                let pn = format!("{p}__isnull");
                spec.params.push(format!("{pn}: bool | None = None"));
                let null = Condition::call("is_null", &[column.clone(), format!("query.{pn}")]);
                spec.filters.push((pn.clone(), null.statement()));
            }
            imports.push(body_type_import(rel.target_id));
            imports.push(("app.schemas".into(), "CommaList".into()));
        } else {
            unknown(c, &fpath, given, &all);
        }
    }
    // Sorting: `id` always, timestamps when kept, and the declared fields.
    let mut keys: Vec<(String, String)> = vec![("id".into(), col("id"))];
    if r.timestamps.unwrap_or(true) {
        keys.push(("created_at".into(), col("created_at")));
        keys.push(("updated_at".into(), col("updated_at")));
    }
    for (i, given) in raw.sort.iter().enumerate() {
        let spath = format!("{}[{i}]", join_key(&lpath, "sort"));
        let name = names::snake(given);
        if keys.iter().any(|(k, _)| *k == name) {
            continue;
        }
        match fields.iter().find(|f| f.name == name) {
            Some(f) if f.row.ty == FieldType::Json => {
                c.at_value(
                    &spath,
                    format!("json field `{name}` cannot be sorted by"),
                    "sort by a typed field",
                );
            }
            Some(f) if matches!(f.row.ty, FieldType::StringArray | FieldType::IntArray) => {
                c.at_value(
                    &spath,
                    format!(
                        "array field `{name}` (`{}`) cannot be sorted by",
                        f.row.name
                    ),
                    "lists have no order between rows; sort by another field",
                );
            }
            Some(f) if cursor && f.raw.nullable => {
                c.at_value(
                    &spath,
                    format!("`{name}` may be null, so it cannot be a key of cursor pagination"),
                    "sort cursor lists by fields that are not nullable, or use `pagination: offset`",
                );
            }
            Some(f) => {
                keys.push((name.clone(), col(&f.attr)));
                spec.sort_cases.push(name.clone());
                let kind = match f.row.ty {
                    FieldType::Int | FieldType::BigInt | FieldType::Float => "number",
                    FieldType::Decimal => "decimal",
                    _ => "text",
                };
                let line = format!("{}: {},", python::string(&name), python::string(kind));
                if !spec.kinds.contains(&line) {
                    spec.kinds.push(line);
                }
                indexes.push(name);
            }
            None if relation_names.contains(&name.as_str()) => c.at_value(
                &spath,
                format!("`{name}` is a relation; lists cannot be sorted by a relation"),
                "sort by a field of this resource (or `id`, `created_at`, `updated_at`)",
            ),
            None => {
                let mut allowed: Vec<&str> = field_names.iter().copied().chain(["id"]).collect();
                if r.timestamps.unwrap_or(true) {
                    allowed.extend(["created_at", "updated_at"]);
                }
                unknown(c, &spath, given, &allowed);
            }
        }
    }
    let default_sort = raw.default_sort.clone().unwrap_or_else(|| "id".to_owned());
    let bare = default_sort.trim_start_matches('-');
    if !keys.iter().any(|(k, _)| k == bare) {
        let allowed: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
        let mut help = allowed_help(bare, &allowed);
        if ["created_at", "updated_at"].contains(&bare) && r.timestamps == Some(false) {
            help = "`timestamps: false` removes `created_at` and `updated_at`; sort by `id` or a field listed in `sort`".to_owned();
        }
        c.at_value(
            &join_key(&lpath, "default_sort"),
            format!("`{default_sort}` is not a sort key"),
            help,
        );
    }
    for (i, given) in raw.search.iter().enumerate() {
        let spath = format!("{}[{i}]", join_key(&lpath, "search"));
        let name = names::snake(given);
        match fields.iter().find(|f| f.name == name) {
            Some(f)
                if matches!(
                    f.row.ty,
                    FieldType::String | FieldType::Text | FieldType::Email
                ) =>
            {
                spec.search.push(col(&f.attr));
                spec.search_keys.push(name);
            }
            Some(f) => c.at_value(
                &spath,
                format!(
                    "`{name}` is {} field; search covers text fields only",
                    names::article(f.row.name)
                ),
                "list string, text or email fields",
            ),
            None if relation_names.contains(&name.as_str()) => c.at_value(
                &spath,
                format!("`{name}` is a relation; search covers text fields only"),
                "list string, text or email fields of this resource",
            ),
            None => unknown(c, &spath, given, &field_names),
        }
    }
    if !spec.search.is_empty() {
        imports.push(("app.schemas".into(), "SafeStr".into()));
    }
    let quoted: Vec<String> = keys.iter().map(|(k, _)| python::string(k)).collect();
    spec.sort_keys = if quoted.len() == 1 {
        format!("SORT_KEYS = ({},)", quoted[0])
    } else {
        call("SORT_KEYS = ", &quoted, "", 0)
    };
    spec.sort_columns = keys;
    spec.default_sort = default_sort;
    (spec, indexes, imports)
}
