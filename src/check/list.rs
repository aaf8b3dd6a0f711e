//! Checks of `list:`: filters, sort keys, search and pagination.

use crate::check::Checker;
use crate::check::fields::FieldPlan;
use crate::check::permissions::Condition;
use crate::check::relations::RelationPlan;
use crate::diagnostics::allowed_help;
use crate::layout::query_type_import;
use crate::model::ListSpec;
use crate::names;
use crate::python::{self, call};
use crate::reserved::{self, Class};
use crate::spec::raw::RawList;
use crate::spec::words::{Pagination, Words};
use crate::spec::{RawResource, spans::join_key};
use crate::symbols::module_of;
use crate::types::FieldType;

/// Resolves `list:`: the query model's filter parameters, the conditions
/// they add, the sort keys, the searched columns, the columns to index, and
/// the imports the query model needs.
///
/// In: the resource's YAML path, class name, raw spec, and its checked
/// fields and relations. Out: the list plan, the field names to index, and
/// `(module, name)` imports. Problems are recorded on `c` in the order
/// pagination, filters, sort keys, default sort, search.
pub(crate) fn list_spec(
    c: &mut Checker,
    path: &str,
    class: &str,
    r: &RawResource,
    fields: &[FieldPlan],
    relations: &[RelationPlan],
) -> (ListSpec, Vec<String>, Vec<(String, String)>) {
    let raw = r.list.clone().unwrap_or_default();
    let mut list = ListBuilder {
        class,
        lpath: join_key(path, "list"),
        timestamps: r.timestamps,
        fields,
        relations,
        spec: ListSpec::default(),
        indexes: Vec::new(),
        imports: Vec::new(),
    };
    list.pagination(c, &raw);
    for (i, given) in raw.filter.iter().enumerate() {
        list.filter(c, i, given);
    }
    let keys = list.sort_keys(c, &raw);
    let default_sort = list.default_sort(c, &raw, &keys);
    list.search(c, &raw);
    list.finish(keys, default_sort)
}

/// The list plan under construction, with what its checks need to know of
/// the resource.
struct ListBuilder<'a> {
    class: &'a str,
    /// YAML path of `list:`.
    lpath: String,
    /// The resource's `timestamps:` as written.
    timestamps: Option<bool>,
    fields: &'a [FieldPlan],
    relations: &'a [RelationPlan],
    spec: ListSpec,
    indexes: Vec<String>,
    imports: Vec<(String, String)>,
}

/// The filters one field type takes: the type of `?name=`, of `?name__in=`
/// (if any), whether it takes `__gt`..`__lte` and `__contains`, and how
/// tests compare its values.
struct FilterOps<'a> {
    eq_type: &'a str,
    in_type: Option<&'a str>,
    ordered: bool,
    contains: bool,
    kind: &'static str,
}

/// Which filters the type of `f` (JSON name `name`) takes, or why it takes
/// none as `(message, help)`. One table over the closed set of field types,
/// so it stays one `match`.
fn filter_ops<'a>(f: &'a FieldPlan, name: &str) -> Result<FilterOps<'a>, (String, &'static str)> {
    let ops = |eq_type, in_type, ordered, contains, kind| FilterOps {
        eq_type,
        in_type,
        ordered,
        contains,
        kind,
    };
    Ok(match f.row.ty {
        FieldType::String | FieldType::Text => ops("SafeStr", Some("SafeStr"), false, true, "text"),
        // An address is looked up in its stored form, so any spelling finds it.
        FieldType::Email => ops(
            "CanonicalEmail",
            Some("CanonicalEmail"),
            false,
            true,
            "text",
        ),
        FieldType::Int => ops("Int32", Some("Int32"), true, false, "number"),
        FieldType::BigInt => ops("Int64", Some("Int64"), true, false, "number"),
        FieldType::Float => ops("FiniteFloat", None, true, false, "number"),
        FieldType::Decimal => {
            return Err((
                format!("decimal field `{name}` cannot be filtered yet"),
                "filter on another field; decimal filters are planned",
            ));
        }
        FieldType::Date => ops("IsoDate", Some("IsoDate"), true, false, "text"),
        FieldType::Time => ops("LocalTime", Some("LocalTime"), true, false, "text"),
        FieldType::DateTime => ops("UtcDatetime", None, true, false, "text"),
        // Commas are legal in URLs, so there is no `__in` list.
        FieldType::Url => ops("HttpUrlStr", None, false, true, "text"),
        FieldType::Bool => ops("bool", None, false, false, "text"),
        FieldType::Enum | FieldType::Uuid => {
            let input = f.mapping.input.as_str();
            ops(input, Some(input), false, false, "text")
        }
        FieldType::File | FieldType::Image => {
            return Err((
                format!("{} field `{name}` cannot be filtered", f.row.name),
                "filter on a typed field instead; a file's bytes live in the storage",
            ));
        }
        FieldType::Json => {
            return Err((
                format!("json field `{name}` cannot be filtered"),
                "filter on a typed field instead",
            ));
        }
        FieldType::StringArray | FieldType::IntArray => {
            return Err((
                format!("array field `{name}` (`{}`) cannot be filtered", f.row.name),
                "arrays are stored as JSON on SQLite, where they cannot be searched by element; filter on another field",
            ));
        }
    })
}

impl ListBuilder<'_> {
    /// The column expression of attribute `attr` (`Post.title`).
    fn col(&self, attr: &str) -> String {
        format!("{}.{attr}", self.class)
    }

    /// Records that `name` (as `given`) at `p` names nothing in `allowed`.
    fn unknown(c: &mut Checker, p: &str, given: &str, allowed: &[&str]) {
        c.at_value(
            p,
            format!("`{given}` is not a field or relation of this resource"),
            allowed_help(given, allowed),
        );
    }

    /// The resource's field names.
    fn field_names(&self) -> Vec<&str> {
        self.fields.iter().map(|f| f.name.as_str()).collect()
    }

    /// The resource's relation names (those with a column).
    fn relation_names(&self) -> Vec<&str> {
        self.relations.iter().map(|r| r.name.as_str()).collect()
    }

    /// Checks `pagination:` and sets the page shape it implies (query and
    /// page bases, what the service returns besides rows).
    fn pagination(&mut self, c: &mut Checker, raw: &RawList) {
        let pagination = match raw.pagination.as_deref() {
            None => Pagination::Offset,
            Some(p) => Pagination::parse(p).unwrap_or_else(|| {
                c.at_value(
                    &join_key(&self.lpath, "pagination"),
                    format!("unknown pagination `{p}`"),
                    allowed_help(p, &Pagination::names()),
                );
                Pagination::Offset
            }),
        };
        let cursor = pagination == Pagination::Cursor;
        let spec = &mut self.spec;
        spec.cursor = cursor;
        spec.page_base = if cursor { "CursorPage" } else { "Page" }.to_owned();
        spec.page_method = if cursor { "cursor_page" } else { "offset_page" }.to_owned();
        self.imports.push((
            module_of("QueryParameters").into(),
            "QueryParameters".to_owned(),
        ));
        self.imports
            .push((module_of(&spec.page_base).into(), spec.page_base.clone()));
    }

    /// Checks entry `i` of `filter:` (`given`) and adds its parameters:
    /// a field's or a relation's, or a problem if it names neither.
    fn filter(&mut self, c: &mut Checker, i: usize, given: &str) {
        let fpath = format!("{}[{i}]", join_key(&self.lpath, "filter"));
        let name = names::snake(given);
        if let Some(f) = self.fields.iter().find(|f| f.name == name) {
            self.filter_field(c, &fpath, name, f);
        } else if let Some(rel) = self.relations.iter().find(|r| r.name == name) {
            self.filter_relation(&name, rel);
        } else {
            let all: Vec<&str> = self
                .field_names()
                .into_iter()
                .chain(self.relation_names())
                .collect();
            Self::unknown(c, &fpath, given, &all);
        }
    }

    /// Adds the filters of field `f` (JSON name `name`, filter entry at
    /// `fpath`): `?name=`, `__in`, the comparisons, `__contains` and
    /// `__isnull` as its type allows, with its test kind, imports and index.
    /// A reserved name or an unfilterable type is a problem instead.
    fn filter_field(&mut self, c: &mut Checker, fpath: &str, name: String, f: &FieldPlan) {
        if reserved::is(&name, Class::QueryParameter) {
            c.at_value(
                fpath,
                format!("a filter named `{name}` would clash with the `{name}` query parameter"),
                "rename the field",
            );
            return;
        }
        let ops = match filter_ops(f, &name) {
            Ok(ops) => ops,
            Err((message, help)) => {
                c.at_value(fpath, message, help);
                return;
            }
        };
        let ty = f.row.ty;
        if matches!(ty, FieldType::Int | FieldType::BigInt) {
            self.imports
                .push((module_of(ops.eq_type).into(), ops.eq_type.to_owned()));
        }
        self.field_params(&name, f, &ops);
        self.spec.kinds.push(format!(
            "{}: {},",
            python::string(&name),
            python::string(ops.kind)
        ));
        for n in f.mapping.schema_imports {
            self.imports
                .push((module_of(n).to_owned(), (*n).to_owned()));
        }
        if ty == FieldType::Float {
            self.imports.push(("pydantic".into(), "FiniteFloat".into()));
        }
        if ops.contains {
            self.imports
                .push((module_of("SafeStr").into(), "SafeStr".into()));
        }
        self.indexes.push(name);
    }

    /// Adds the query parameters `ops` gives field `f` (JSON name `name`),
    /// in the order `eq`, `in`, comparisons, `contains`, `isnull`.
    fn field_params(&mut self, name: &str, f: &FieldPlan, ops: &FilterOps) {
        let eq_type = ops.eq_type;
        let column = self.col(&f.attr);
        if f.row.ty != FieldType::Float {
            let attr = f.attr.clone();
            let decl = if attr == name {
                format!("{name}: {eq_type} | None = None")
            } else {
                self.imports
                    .push((module_of("Field").into(), "Field".into()));
                call(
                    &format!("{attr}: {eq_type} | None = Field"),
                    &[
                        "default=None".into(),
                        format!("alias={}", python::string(name)),
                    ],
                    "",
                    4,
                )
            };
            let cond = Condition::compare(&column, "==", &format!("query.{attr}"));
            self.add_filter(name, name, &attr, decl, &cond, "eq");
        }
        if let Some(t) = ops.in_type {
            self.imports
                .push((module_of("CommaList").into(), "CommaList".into()));
            let p = format!("{name}__in");
            let cond = Condition::call(&format!("{column}.in_"), &[format!("query.{p}")]);
            self.add_filter(
                name,
                &p,
                &p,
                format!("{p}: CommaList[{t}] = None"),
                &cond,
                "in",
            );
        }
        if ops.ordered {
            for (op, sym) in [("gt", ">"), ("gte", ">="), ("lt", "<"), ("lte", "<=")] {
                let p = format!("{name}__{op}");
                let decl = format!("{p}: {eq_type} | None = None");
                let cond = Condition::compare(&column, sym, &format!("query.{p}"));
                self.add_filter(name, &p, &p, decl, &cond, op);
            }
        }
        if ops.contains {
            self.imports
                .push((module_of("Field").into(), "Field".into()));
            let p = format!("{name}__contains");
            let decl = format!("{p}: SafeStr | None = Field(default=None, max_length=200)");
            let cond = Condition::call(
                &format!("{column}.icontains"),
                &[format!("query.{p}"), "autoescape=True".into()],
            );
            self.add_filter(name, &p, &p, decl, &cond, "contains");
        }
        if f.raw.nullable {
            let p = format!("{name}__isnull");
            let decl = format!("{p}: bool | None = None");
            let cond = Condition::call("is_null", &[column.clone(), format!("query.{p}")]);
            self.add_filter(name, &p, &p, decl, &cond, "isnull");
        }
    }

    /// Adds one filter of field `name`: query parameter `param`, whose
    /// attribute in the query model is `attr` (they differ for `?from=`,
    /// `from_`), declared as `decl`, applying `cond`, tested as `op`.
    fn add_filter(
        &mut self,
        name: &str,
        param: &str,
        attr: &str,
        decl: String,
        cond: &Condition,
        op: &str,
    ) {
        self.spec.params.push(decl);
        self.spec.filters.push((attr.to_owned(), cond.statement()));
        self.spec.filter_cases.push(call(
            "pytest.param",
            &[
                python::string(param),
                python::string(name),
                python::string(op),
                format!("id={}", python::string(&param.replace('_', "-"))),
            ],
            ",",
            4,
        ));
    }

    /// Adds the filters of relation `rel` (named `name`): `?name_id=`,
    /// `__in` and, when it may be null, `__isnull`. Relations have no
    /// filter tests.
    fn filter_relation(&mut self, name: &str, rel: &RelationPlan) {
        let spec = &mut self.spec;
        let p = format!("{name}_id");
        let column = format!("{}.{p}", self.class);
        let id = rel.target_id.row();
        spec.params.push(format!("{p}: {} | None = None", id.query));
        let eq = Condition::compare(&column, "==", &format!("query.{p}"));
        spec.filters.push((p.clone(), eq.statement()));
        let pin = format!("{p}__in");
        spec.params
            .push(format!("{pin}: CommaList[{}] = None", id.query));
        let within = Condition::call(&format!("{column}.in_"), &[format!("query.{pin}")]);
        spec.filters.push((pin.clone(), within.statement()));
        if rel.nullable {
            let pn = format!("{p}__isnull");
            spec.params.push(format!("{pn}: bool | None = None"));
            let null = Condition::call("is_null", &[column.clone(), format!("query.{pn}")]);
            spec.filters.push((pn.clone(), null.statement()));
        }
        self.imports.push(query_type_import(rel.target_id));
        self.imports
            .push((module_of("CommaList").into(), "CommaList".into()));
    }

    /// The sort keys as `(key, column)`: `id` always, the timestamps when
    /// kept, then each valid entry of `sort:` (which also gets a sort test,
    /// a test kind and an index). Invalid entries are problems.
    fn sort_keys(&mut self, c: &mut Checker, raw: &RawList) -> Vec<(String, String)> {
        let mut keys: Vec<(String, String)> = vec![("id".into(), self.col("id"))];
        if self.timestamps.unwrap_or(true) {
            keys.push(("created_at".into(), self.col("created_at")));
            keys.push(("updated_at".into(), self.col("updated_at")));
        }
        for (i, given) in raw.sort.iter().enumerate() {
            let spath = format!("{}[{i}]", join_key(&self.lpath, "sort"));
            let name = names::snake(given);
            if keys.iter().any(|(k, _)| *k == name) {
                continue;
            }
            match self.fields.iter().find(|f| f.name == name) {
                Some(f) => {
                    if let Err((message, help)) = sortable(f, &name, self.spec.cursor) {
                        c.at_value(&spath, message, help);
                        continue;
                    }
                    keys.push((name.clone(), self.col(&f.attr)));
                    self.sort_field(name, f);
                }
                None if self.relation_names().contains(&name.as_str()) => c.at_value(
                    &spath,
                    format!("`{name}` is a relation; lists cannot be sorted by a relation"),
                    "sort by a field of this resource (or `id`, `created_at`, `updated_at`)",
                ),
                None => {
                    let mut allowed: Vec<&str> =
                        self.field_names().into_iter().chain(["id"]).collect();
                    if self.timestamps.unwrap_or(true) {
                        allowed.extend(["created_at", "updated_at"]);
                    }
                    Self::unknown(c, &spath, given, &allowed);
                }
            }
        }
        keys
    }

    /// Adds what sorting by field `f` (JSON name `name`) brings: its sort
    /// test, its test kind (once) and an index.
    fn sort_field(&mut self, name: String, f: &FieldPlan) {
        self.spec.sort_cases.push(name.clone());
        let kind = match f.row.ty {
            FieldType::Int | FieldType::BigInt | FieldType::Float => "number",
            FieldType::Decimal => "decimal",
            _ => "text",
        };
        let line = format!("{}: {},", python::string(&name), python::string(kind));
        if !self.spec.kinds.contains(&line) {
            self.spec.kinds.push(line);
        }
        self.indexes.push(name);
    }

    /// Checks `default_sort:` (`id` when absent) against the sort `keys`
    /// and returns it as written.
    fn default_sort(&self, c: &mut Checker, raw: &RawList, keys: &[(String, String)]) -> String {
        let default_sort = raw.default_sort.clone().unwrap_or_else(|| "id".to_owned());
        let bare = default_sort.trim_start_matches('-');
        if !keys.iter().any(|(k, _)| k == bare) {
            let allowed: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
            let mut help = allowed_help(bare, &allowed);
            if ["created_at", "updated_at"].contains(&bare) && self.timestamps == Some(false) {
                help = "`timestamps: false` removes `created_at` and `updated_at`; sort by `id` or a field listed in `sort`".to_owned();
            }
            c.at_value(
                &join_key(&self.lpath, "default_sort"),
                format!("`{default_sort}` is not a sort key"),
                help,
            );
        }
        default_sort
    }

    /// Checks each entry of `search:` and adds the text fields' columns
    /// and JSON keys to the searched ones.
    fn search(&mut self, c: &mut Checker, raw: &RawList) {
        for (i, given) in raw.search.iter().enumerate() {
            let spath = format!("{}[{i}]", join_key(&self.lpath, "search"));
            let name = names::snake(given);
            match self.fields.iter().find(|f| f.name == name) {
                Some(f)
                    if matches!(
                        f.row.ty,
                        FieldType::String | FieldType::Text | FieldType::Email
                    ) =>
                {
                    self.spec.search.push(self.col(&f.attr));
                    self.spec.search_keys.push(name);
                }
                Some(f) => c.at_value(
                    &spath,
                    format!(
                        "`{name}` is {} field; search covers text fields only",
                        names::article(f.row.name)
                    ),
                    "list string, text or email fields",
                ),
                None if self.relation_names().contains(&name.as_str()) => c.at_value(
                    &spath,
                    format!("`{name}` is a relation; search covers text fields only"),
                    "list string, text or email fields of this resource",
                ),
                None => Self::unknown(c, &spath, given, &self.field_names()),
            }
        }
        if !self.spec.search.is_empty() {
            self.imports
                .push((module_of("SafeStr").into(), "SafeStr".into()));
            self.imports
                .push((module_of("Field").into(), "Field".into()));
        }
    }

    /// Completes the plan with the sort `keys` and `default_sort`, and
    /// returns it with the names to index and the imports.
    fn finish(
        mut self,
        keys: Vec<(String, String)>,
        default_sort: String,
    ) -> (ListSpec, Vec<String>, Vec<(String, String)>) {
        let quoted: Vec<String> = keys.iter().map(|(k, _)| python::string(k)).collect();
        self.spec.sort_keys = if quoted.len() == 1 {
            format!("SORT_KEYS = ({},)", quoted[0])
        } else {
            call("SORT_KEYS = ", &quoted, "", 0)
        };
        self.spec.sort_columns = keys;
        self.spec.default_sort = default_sort;
        (self.spec, self.indexes, self.imports)
    }
}

/// Whether lists may be sorted by field `f` (JSON name `name`), given
/// `cursor` pagination; if not, why as `(message, help)`.
fn sortable(f: &FieldPlan, name: &str, cursor: bool) -> Result<(), (String, &'static str)> {
    if f.row.ty == FieldType::Json {
        return Err((
            format!("json field `{name}` cannot be sorted by"),
            "sort by a typed field",
        ));
    }
    if f.row.ty.is_upload() {
        return Err((
            format!("{} field `{name}` cannot be sorted by", f.row.name),
            "sort by a typed field; a file's bytes live in the storage",
        ));
    }
    if matches!(f.row.ty, FieldType::StringArray | FieldType::IntArray) {
        return Err((
            format!(
                "array field `{name}` (`{}`) cannot be sorted by",
                f.row.name
            ),
            "lists have no order between rows; sort by another field",
        ));
    }
    if cursor && f.raw.nullable {
        return Err((
            format!("`{name}` may be null, so it cannot be a key of cursor pagination"),
            "sort cursor lists by fields that are not nullable, or use `pagination: offset`",
        ));
    }
    Ok(())
}

/// The sort keys of a list that need an index `(key, id)`: not `id`, not
/// a unique field (see [`crate::table::composite_indexes`]), in `SORT_KEYS` order.
/// These fields get no single-column index of their own: the sort index
/// serves their filters too.
pub(crate) fn sort_index_keys<'a>(list: &'a ListSpec, fields: &[FieldPlan]) -> Vec<&'a str> {
    list.sort_columns
        .iter()
        .map(|(key, _)| key.as_str())
        .filter(|key| *key != "id")
        .filter(|key| !fields.iter().any(|f| f.name == *key && f.raw.unique))
        .collect()
}
