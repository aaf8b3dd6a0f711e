//! Lays out the tests of one resource: its entry in the factories'
//! registry (`tests/factories.py`) and its test modules, one per concern
//! (`tests/<resource>/test_crud.py`, `test_fields.py`, `test_access.py`,
//! `test_list.py`, `test_relations.py`, `test_soft_delete.py`,
//! `test_caching.py`). Each module
//! is a class made of the suites of `tests/kit/` that apply, with the tables
//! of cases they run on; which suites apply, and every case, is decided here.

use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use crate::check::values::check_value;
use crate::layout::resource::Builder;
use crate::model::{Collection, Reach, ResourceTests, SuiteFile};
use crate::names;
use crate::python::{self, Imports, LINE_LENGTH, call};
use crate::testplan::resource::ExampleRef;
use crate::types::{FieldType, IdKind};

/// Rows the default-page test creates: one more than a page holds.
const PAGE_ROWS: usize = 51;

/// What [`crate::testplan::resource::plan`] derived for the tests.
pub(crate) struct Data {
    /// Sample bodies as Python dicts, laid out for the registry.
    pub(crate) samples: Vec<String>,
    /// Required parent columns the rows of one test share.
    pub(crate) shared_parents: Vec<String>,
    /// How each unique field of row `n` of 51 differs (`str.format`
    /// patterns), or `None` when the tests cannot make 51 distinct rows.
    pub(crate) numbered: Option<Vec<(String, String)>>,
    /// Rows a test may create (2 or 3).
    pub(crate) rows: usize,
    /// The default role creates the rows and their parents.
    pub(crate) member_creates: bool,
    /// Who creates, reads, updates and deletes the rows (`member`, `admin`).
    pub(crate) creator: String,
    pub(crate) reader: String,
    pub(crate) updater: String,
    pub(crate) deleter: String,
    /// The /docs example body, and the relation ids its test fills.
    pub(crate) example: Vec<(String, Json)>,
    pub(crate) example_refs: Vec<ExampleRef>,
    /// The update test's change.
    pub(crate) change: Option<(String, Json)>,
    /// A field an update may not set to null.
    pub(crate) not_null_field: Option<String>,
    /// Fields only some roles see, or set: (name, Python literal).
    pub(crate) hidden_field: Option<(String, String)>,
    pub(crate) guarded_field: Option<(String, String)>,
    /// JSON names of fields whose Python attribute differs.
    pub(crate) renamed: Vec<String>,
    /// `pytest.param(...)` rows of the unique test.
    pub(crate) unique_cases: Vec<String>,
    /// `pytest.param(...)` rows of the read-only test.
    pub(crate) read_only: Vec<String>,
    /// `write_only` fields: (name, value on create, value on update).
    pub(crate) write_only: Vec<(String, String, String)>,
}

/// The registry entry and the test modules of the resource `b` lays out.
pub(crate) fn lay_out(b: &Builder, d: &Data, collections: &[Collection]) -> ResourceTests {
    ResourceTests {
        missing_id: b.own_id.missing.to_owned(),
        order_ids: if b.own_id.kind == IdKind::Uuid {
            "ids.sort()".to_owned()
        } else {
            String::new()
        },
        write_only: d.write_only.iter().map(|w| w.0.clone()).collect(),
        read_only: b
            .facts
            .fields
            .iter()
            .filter(|f| f.raw.read_only)
            .map(|f| f.name.clone())
            .collect(),
        blueprint: blueprint(b, d),
        crud: crud(b, d),
        fields: fields(b, d),
        access: access(b, d),
        list: list(b, d, collections),
        relations: relations(b, collections),
        soft_delete: soft_delete(b),
        caching: caching(b),
        files: crate::testplan::files::files(b),
    }
}

/// `name = value` in a class body (4 spaces).
fn attr(name: &str, value: &str) -> String {
    format!("{name} = {value}")
}

/// A Python string literal.
fn s(text: &str) -> String {
    python::string(text)
}

/// `(a, b)`, or `(a,)` for one item.
fn tuple(items: &[String]) -> String {
    match items {
        [one] => format!("({one},)"),
        _ => format!("({})", items.join(", ")),
    }
}

/// `[a, b]` after `head` on a line at `indent` spaces when it fits, else
/// one item a line with trailing commas, as `ruff format` lays it out.
fn list_at(items: &[String], indent: usize, head: usize) -> String {
    let one = format!("[{}]", items.join(", "));
    if indent + head + one.chars().count() <= LINE_LENGTH && !one.contains('\n') {
        return one;
    }
    let pad = " ".repeat(indent + 4);
    let rows: String = items.iter().map(|i| format!("{pad}{i},\n")).collect();
    format!("[\n{rows}{}]", " ".repeat(indent))
}

/// `pytest.param(args..., id=...)` as a table row at 4 spaces.
fn param(args: &[String], id: &str) -> String {
    let mut args = args.to_vec();
    args.push(format!("id={}", s(id)));
    call("pytest.param", &args, ",", 4)
}

/// The resource a factory name (`create_category`) makes; `None` for users.
fn made_by(factory: &str) -> Option<&str> {
    factory.strip_prefix("create_")
}

/// A test module: docstring, imports, tables and one class of `bases`
/// (none: the module is not written).
pub(crate) struct Module {
    file: SuiteFile,
    imports: Imports,
    bases: Vec<&'static str>,
    kit: &'static str,
}

impl Module {
    pub(crate) fn new(
        b: &Builder,
        kit: &'static str,
        class: &str,
        doc: &str,
        class_doc: &str,
    ) -> Module {
        let words = names::words(b.facts.plural);
        Module {
            file: SuiteFile {
                doc: python::docstring(&format!("{words}: {doc}")),
                class_name: class.to_owned(),
                class_doc: python::docstring(class_doc),
                attributes: vec![attr("resource", &s(b.facts.snake))],
                ..SuiteFile::default()
            },
            imports: Imports::default(),
            bases: Vec::new(),
            kit,
        }
    }

    /// Adds the suite `base` of the module's kit.
    pub(crate) fn base(&mut self, base: &'static str) -> &mut Self {
        self.bases.push(base);
        self.imports.from(&format!("tests.kit.{}", self.kit), base);
        self
    }

    /// Adds the table `name` of `rows` (each laid out at 4 spaces with its
    /// comma) as a module-level list the class attribute `name` names.
    pub(crate) fn table(&mut self, name: &str, rows: Vec<String>) -> &mut Self {
        if rows.iter().any(|r| r.starts_with("pytest.param")) {
            self.imports.module("pytest");
        }
        let rows: String = rows.iter().map(|r| format!("    {r}\n")).collect();
        self.constant(name, &format!("[\n{rows}]"))
    }

    /// Adds the module-level constant `NAME = value` (laid out at column 0,
    /// `NAME = ` included) that the class attribute `name` names: data a
    /// class does not own as a mutable default.
    pub(crate) fn constant(&mut self, name: &str, value: &str) -> &mut Self {
        let constant = name.to_uppercase();
        self.file.attributes.push(attr(name, &constant));
        self.file.constants.push(format!("{constant} = {value}"));
        self
    }

    /// [`Module::constant`] of a list of `items` (one line when it fits).
    fn list(&mut self, name: &str, items: &[String]) -> &mut Self {
        let value = list_at(items, 0, name.len() + 3);
        self.constant(name, &value)
    }

    pub(crate) fn attr(&mut self, statement: String) -> &mut Self {
        self.file.attributes.push(statement);
        self
    }

    pub(crate) fn done(mut self) -> SuiteFile {
        if self.bases.is_empty() {
            return SuiteFile::default();
        }
        self.file.bases = self.bases.join(", ");
        let head = format!("class {}", self.file.class_name);
        let bases: Vec<String> = self.bases.iter().map(|b| (*b).to_owned()).collect();
        self.file.class_line = call(&head, &bases, ":", 0);
        self.file.imports = self.imports.render();
        self.file
    }
}

/// The keyword arguments of the resource's `Blueprint(...)`, at 8 spaces.
fn blueprint(b: &Builder, d: &Data) -> Vec<String> {
    let mut args = vec![format!("url=f\"{{API}}/{}\"", names::kebab(b.facts.plural))];
    args.push(format!("samples={}", list_at(&d.samples, 8, 8)));
    let parents: Vec<String> = b
        .tests
        .parents
        .iter()
        .map(|p| {
            let mut parts = vec![s(&p.column)];
            match (&p.reuse, made_by(&p.factory)) {
                (Some(reuse), _) => parts.extend(["None".to_owned(), s(reuse)]),
                (None, Some(resource)) => parts.push(s(resource)),
                (None, None) => {}
            }
            format!("Parent({})", parts.join(", "))
        })
        .collect();
    if !parents.is_empty() {
        args.push(format!("parents={}", tuple_at(&parents, 8, 8, 1)));
    }
    if !d.shared_parents.is_empty() {
        let shared: Vec<String> = d.shared_parents.iter().map(|c| s(c)).collect();
        args.push(format!("shared={}", tuple_at(&shared, 8, 7, 1)));
    }
    if d.rows != 2 {
        args.push(format!("rows={}", d.rows));
    }
    for (key, who) in [
        ("creator", &d.creator),
        ("reader", &d.reader),
        ("updater", &d.updater),
        ("deleter", &d.deleter),
    ] {
        if who != "admin" {
            args.push(format!("{key}={}", s(who)));
        }
    }
    if b.own_id.missing != "2147483647" {
        args.push(format!("missing_id={}", s(b.own_id.missing)));
    }
    if b.own_id.kind == IdKind::Uuid {
        args.push("sequential=False".to_owned());
    }
    args
}

/// A tuple after `head` and before `tail` columns at `indent` spaces: one
/// line when it fits, else one item a line.
fn tuple_at(items: &[String], indent: usize, head: usize, tail: usize) -> String {
    let one = tuple(items);
    if indent + head + one.chars().count() + tail <= LINE_LENGTH {
        return one;
    }
    let pad = " ".repeat(indent + 4);
    let rows: String = items.iter().map(|i| format!("{pad}{i},\n")).collect();
    format!("(\n{rows}{})", " ".repeat(indent))
}

/// `test_crud.py`: the life of one row, hooks, missing and malformed ids,
/// the /docs example.
fn crud(b: &Builder, d: &Data) -> SuiteFile {
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
    m.constant("malformed_ids", b.own_id.malformed);
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

/// `test_fields.py`: invalid values, bounds, server-set, read-only,
/// write-only, audit, renamed and unique fields.
fn fields(b: &Builder, d: &Data) -> SuiteFile {
    let (class, snake) = (b.facts.class, b.facts.snake);
    let mut m = Module::new(
        b,
        "fields",
        "TestFields",
        "what each field accepts, refuses, returns and keeps unique.",
        "Values accepted and refused, and fields the server keeps.",
    );
    // `InvalidTests` is `FieldTests` with the fields' own invalid values.
    if b.invalid.is_empty() {
        m.base("FieldTests");
    } else {
        if b.invalid.iter().any(|row| row.contains("MISSING")) {
            m.imports.from("tests.helpers", "MISSING");
        }
        m.base("InvalidTests").table("invalid", b.invalid.clone());
    }
    if b.invalid_on_update {
        m.base("InvalidUpdateTests")
            .attr(attr("invalid_update", "updates(INVALID)"))
            .imports
            .from("tests.kit.fields", "updates");
    }
    if let Some(field) = &d.not_null_field {
        m.base("NotNullTests").attr(attr("not_null", &s(field)));
    }
    if !b.boundaries.is_empty() {
        m.base("BoundaryTests")
            .table("boundaries", b.boundaries.clone());
    }
    if !b.spellings.is_empty() {
        m.base("SpellingTests")
            .table("spellings", b.spellings.clone());
    }
    if !d.read_only.is_empty() {
        m.base("ReadOnlyTests")
            .table("read_only", d.read_only.clone());
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
        m.base("UniqueTests")
            .table("unique", d.unique_cases.clone());
    }
    m.done()
}

/// The operations of the access table, in the order of its rows.
const OPERATIONS: [&str; 5] = ["create", "list", "read", "update", "delete"];

/// The access table: (actor, operation, status) on a row the creator made.
/// Only what the permissions decide for sure: the default role refused
/// (403), acting on every row (when admins create the rows too: proof that
/// a shared resource is readable, or writable only on a grant), acting on
/// its own row, or on another's (404) when it is limited to its own; the
/// default role creating and another user acting only when the default
/// role creates the rows.
fn access_cases(b: &Builder, d: &Data) -> Vec<(&'static str, &'static str, u16)> {
    let [read, create, update, delete] = &b.facts.rules;
    let role = b.default_role;
    let read_status = if read.anyone { 200 } else { 401 };
    let mut cases = vec![
        ("anonymous", "create", 401),
        ("anonymous", "list", read_status),
        ("anonymous", "read", read_status),
        ("anonymous", "update", 401),
        ("anonymous", "delete", 401),
    ];
    let member = |rule: &crate::check::permissions::ActionRule, ok: u16| match rule.member(role) {
        Reach::None => Some(403),
        _ if d.member_creates => Some(ok),
        Reach::All => Some(ok),
        Reach::Own => Some(404),
    };
    if let Some(status) = match create.member(role) {
        Reach::None => Some(403),
        _ => d.member_creates.then_some(201),
    } {
        cases.push(("member", "create", status));
    }
    for (operation, rule, ok) in [
        ("list", read, 200),
        ("read", read, 200),
        ("update", update, 200),
        ("delete", delete, 204),
    ] {
        if let Some(status) = member(rule, ok) {
            cases.push(("member", operation, status));
        }
    }
    if d.member_creates {
        for (operation, rule, ok) in [
            ("list", read, 200),
            ("read", read, 200),
            ("update", update, 200),
            ("delete", delete, 204),
        ] {
            match rule.member(role) {
                Reach::All => cases.push(("other_member", operation, ok)),
                Reach::Own => cases.push(("other_member", operation, 404)),
                Reach::None => {}
            }
        }
    }
    cases.extend([
        ("admin", "create", 201),
        ("admin", "list", 200),
        ("admin", "read", 200),
        ("admin", "update", 200),
        ("admin", "delete", 204),
    ]);
    cases
}

/// `test_access.py`: the access table, bad tokens, field permissions and
/// references to other users' rows.
fn access(b: &Builder, d: &Data) -> SuiteFile {
    let mut m = Module::new(
        b,
        "access",
        "TestAccess",
        "who may do what, and which fields each role sees and sets.",
        "Each actor and operation, field permissions, other users' rows.",
    );
    m.base("AccessTests");
    m.imports.from("tests.kit.access", "cases");
    let cases = access_cases(b, d);
    let mut rows = String::new();
    for actor in ["anonymous", "member", "other_member", "admin"] {
        let statuses: Vec<String> = OPERATIONS
            .iter()
            .map(|op| {
                cases
                    .iter()
                    .find(|(a, o, _)| *a == actor && o == op)
                    .map_or("None".to_owned(), |(_, _, status)| status.to_string())
            })
            .collect();
        if statuses.iter().any(|st| st != "None") {
            rows.push_str(&format!("    {}: {},\n", s(actor), tuple(&statuses)));
        }
    }
    m.file.constants.push(format!(
        "#: The status of create, list, read, update and delete on a row made by\n\
         #: the creator, by actor (see `tests.kit.access.cases`).\n\
         ACCESS = {{\n{rows}}}"
    ));
    m.attr(attr("access", "cases(ACCESS)"));
    if let Some((field, value)) = &d.hidden_field {
        let member_reads = b.facts.rules[0].member(b.default_role) == Reach::All;
        m.base(if member_reads {
            "HiddenFromMemberTests"
        } else {
            "HiddenFieldTests"
        })
        .attr(attr(
            "hidden",
            &tuple_at(&[s(field), value.clone()], 4, 9, 0),
        ));
    }
    if d.member_creates {
        if let Some((field, value)) = &d.guarded_field {
            m.base("GuardedFieldTests").attr(attr(
                "guarded",
                &tuple_at(&[s(field), value.clone()], 4, 10, 0),
            ));
        }
        let owned: Vec<String> = b
            .tests
            .owned_targets
            .iter()
            .filter_map(|t| {
                let resource = made_by(&t.factory)?;
                Some(param(
                    &[s(&t.column), s(resource)],
                    &t.column.replace('_', "-"),
                ))
            })
            .collect();
        if !owned.is_empty() {
            m.base("OwnedTargetTests").table("owned_target", owned);
        }
    }
    m.done()
}

/// `test_list.py`: pages and their bounds, filters, sorting and search.
fn list(b: &Builder, d: &Data, collections: &[Collection]) -> SuiteFile {
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

/// `test_relations.py`: one-to-one columns, `on_delete`, links and nested
/// lists; not written for a resource without relations.
fn relations(b: &Builder, collections: &[Collection]) -> SuiteFile {
    let mut m = Module::new(
        b,
        "relations",
        "TestRelations",
        "one-to-one columns, deleting targets, links and nested lists.",
        "What the relations of a row do.",
    );
    let one_to_one: Vec<String> = b
        .tests
        .one_to_one
        .iter()
        .filter_map(|p| {
            let resource = made_by(&p.factory)?;
            Some(param(
                &[s(&p.column), s(resource)],
                &p.column.replace('_', "-"),
            ))
        })
        .collect();
    if !one_to_one.is_empty() {
        m.base("OneToOneTests").table("one_to_one", one_to_one);
    }
    let targets = b
        .facts
        .relations
        .iter()
        .filter(|r| r.target_snake.is_some());
    let deletions: Vec<String> = b
        .tests
        .deletions
        .iter()
        .zip(targets)
        .filter_map(|(del, rel)| {
            let resource = made_by(&del.factory)?;
            let action = (!rel.target_soft).then_some(rel.on_delete);
            let after = match action {
                Some(crate::spec::words::OnDelete::Cascade) => "gone",
                Some(crate::spec::words::OnDelete::SetNull) => "null",
                _ => "kept",
            };
            let args = [
                s(&del.column),
                s(resource),
                del.status.to_string(),
                s(after),
            ];
            Some(param(&args, &del.column.replace('_', "-")))
        })
        .collect();
    if !deletions.is_empty() {
        m.base("DeletionTests").table("deletions", deletions);
    }
    let selves: Vec<String> = b
        .tests
        .self_references
        .iter()
        .map(|column| param(&[s(column)], &column.replace('_', "-")))
        .collect();
    if !selves.is_empty() {
        m.base("SelfReferenceTests")
            .table("self_references", selves);
    }
    let mut links = Vec::new();
    let mut children = Vec::new();
    let mut others = Vec::new();
    let mut foreign = Vec::new();
    for c in collections {
        let Some(resource) = made_by(&c.target_factory) else {
            continue;
        };
        let id = c.name.replace('_', "-");
        if c.many_to_many {
            let link = tuple(&[
                s(&c.ids_field),
                s(&c.segment),
                s(resource),
                c.target_missing_py.clone(),
            ]);
            links.push(param(&[link], &id));
        } else {
            let first = if c.target_class == b.facts.class {
                2
            } else {
                0
            };
            let args = [
                s(&c.segment),
                s(resource),
                s(&c.via_column),
                first.to_string(),
            ];
            children.push(param(&args, &id));
        }
        if let Some(expected) = other_users_view(b, c) {
            let via = if c.many_to_many {
                "None".to_owned()
            } else {
                s(&c.via_column)
            };
            others.push(param(&[s(&c.segment), s(resource), via, s(expected)], &id));
            if c.many_to_many && c.target_owned {
                let args = [s(&c.ids_field), s(&c.segment), s(resource)];
                foreign.push(param(&args, &id));
            }
        }
    }
    if !links.is_empty() {
        m.base("LinkTests").table("links_to", links);
    }
    if !children.is_empty() {
        m.base("ChildTests").table("children", children);
    }
    if !others.is_empty() {
        m.base("OtherUsersChildTests")
            .table("nested_for_others", others);
    }
    if !foreign.is_empty() {
        m.base("ForeignLinkTests").table("foreign_links", foreign);
    }
    m.done()
}

/// What another user gets for the nested list `c` under a user's row:
/// tested when the default role creates (and, for links, may link) rows on
/// both sides; `forbidden`, `hidden`, `empty` or `shown`.
fn other_users_view(b: &Builder, c: &Collection) -> Option<&'static str> {
    let parent = b.standings.get(b.facts.class)?;
    let child = b.standings.get(&c.target_class)?;
    let may_link = b.facts.rules[2].member(b.default_role) != Reach::None;
    if !(parent.member_creates && child.member_creates) || (c.many_to_many && !may_link) {
        return None;
    }
    Some(match (parent.read, child.read) {
        (Reach::None, _) | (_, Reach::None) => "forbidden",
        (Reach::Own, _) => "hidden",
        (_, Reach::Own) => "empty",
        _ => "shown",
    })
}

/// `test_soft_delete.py`; not written for a resource without soft delete.
fn soft_delete(b: &Builder) -> SuiteFile {
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

/// `test_caching.py`: tags, 304 and 412, `Cache-Control` (gen.yaml's
/// `cache:` for reads without a token where anyone may read), and with
/// `cache.redis` the read cache.
fn caching(b: &Builder) -> SuiteFile {
    let mut m = Module::new(
        b,
        "caching",
        "TestCaching",
        "entity tags, 304 and 412, caching headers and the read cache.",
        "Tags, conditional requests and caching headers.",
    );
    m.base("CachingTests");
    if b.facts.rules[0].anyone {
        let control = match &b.facts.raw.cache {
            Some(cache) if cache.public => format!("public, max-age={}", cache.max_age),
            Some(cache) => format!("private, max-age={}", cache.max_age),
            None => "private, no-cache".to_owned(),
        };
        m.attr(attr("anonymous_cache_control", &s(&control)));
    }
    if b.facts.raw.cache.as_ref().is_some_and(|c| c.redis) {
        m.base("ReadCacheTests");
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
