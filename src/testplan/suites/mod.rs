//! Lays out the tests of one resource: its entry in the factories'
//! registry (`tests/factories.py`) and its test modules, one per concern
//! (`tests/<resource>/test_crud.py`, `test_fields.py`, `test_access.py`,
//! `test_list.py`, `test_relations.py`, `test_soft_delete.py`,
//! `test_caching.py`, `test_files.py`). Each module
//! is a class made of the suites of `tests/kit/` that apply, with the tables
//! of cases they run on; which suites apply, and every case, is decided here.

mod access;
mod caching;
mod crud;
mod fields;
mod list;
mod relations;
mod soft_delete;

pub(crate) use list::numbered;

use access::access;
use caching::caching;
use crud::crud;
use fields::fields;
use list::list;
use relations::relations;
use soft_delete::soft_delete;

use serde_json::Value as Json;

use crate::layout::resource::Builder;
use crate::model::{Collection, ResourceTests, SuiteFile};
use crate::names;
use crate::python::{self, Imports, LINE_LENGTH, call};
use crate::testplan::TABLE_ROW;
use crate::testplan::resource::ExampleRef;
use crate::types::IdKind;

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

/// `pytest.param(args..., id=...)` as a row of a table a class holds.
fn param(args: &[String], id: &str) -> String {
    let mut args = args.to_vec();
    args.push(format!("id={}", s(id)));
    call("pytest.param", &args, ",", TABLE_ROW)
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

    /// Adds the table `name` of `rows` (each laid out at
    /// [`crate::testplan::TABLE_ROW`] with its comma) as a tuple the class
    /// holds: `name = (rows)`, on one line when it is one row that fits
    /// (a one-item tuple's comma is not a magic trailing comma to `ruff
    /// format`).
    pub(crate) fn rows(&mut self, name: &str, rows: Vec<String>) -> &mut Self {
        if rows.iter().any(|r| r.starts_with("pytest.param")) {
            self.imports.module("pytest");
        }
        if let [row] = &rows[..] {
            let one = format!("{name} = ({row})");
            if !row.contains('\n') && 4 + one.chars().count() <= LINE_LENGTH {
                return self.attr(one);
            }
        }
        let rows: String = rows.iter().map(|r| format!("        {r}\n")).collect();
        self.attr(format!("{name} = (\n{rows}    )"))
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
    let int = IdKind::Int.row();
    if b.own_id.missing != int.missing {
        args.push(format!("missing_id={}", s(b.own_id.missing)));
    }
    if b.own_id.malformed != int.malformed {
        args.push(format!("malformed_ids={}", b.own_id.malformed));
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
