//! Checks a [`RawSpec`] and resolves it into a [`Model`].
//!
//! Every problem is collected, not just the first: [`validate`] returns all
//! of them, each with its position, YAML path and a help line.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use regex::Regex;
use serde_json::Value as Json;
use serde_yaml::Value as Yaml;

use crate::diagnostics::{Diagnostic, SpecErrors, allowed_help};
use crate::model::{
    Access, Auth, Collection, Deletion, EnumType, ExampleRef, Field, ListSpec, Model, Parent,
    Project, Relation, Resource, ResourceTests,
};
use crate::names;
use crate::python::{self, Imports, call};
use crate::schema::{self, Schema};
use crate::spec::{RawField, RawRelation, RawResource, Spec, spans::join_key};
use crate::types::{self, Family, FieldType, IdKind, TypeParams, TypeRow};

/// How many sample rows the generated tests may create per resource.
const SAMPLES: usize = 4;
/// Names every resource's model defines itself (`owned`, `timestamps`,
/// `soft_delete`, `audit`), reserved whether or not the resource uses them.
const GENERATED_COLUMNS: &[&str] = &[
    "id",
    "owner_id",
    "owner",
    "created_at",
    "updated_at",
    "deleted_at",
    "created_by_id",
    "updated_by_id",
];
/// The columns `audit: true` adds.
const AUDIT_COLUMNS: [&str; 2] = ["created_by_id", "updated_by_id"];
/// Longest resource, field and relation name (snake_case), so that every
/// generated line can be laid out within ruff's 88 columns.
const MAX_NAME: usize = 24;
/// Longest enum value.
const MAX_ENUM_VALUE: usize = 32;
/// Longest `api_prefix`.
const MAX_PREFIX: usize = 40;
/// Relation kinds, as written in a spec.
pub const RELATION_KINDS: &[&str] = &["many_to_one", "one_to_one", "one_to_many", "many_to_many"];
/// `on_delete` values and the SQL they become.
const ON_DELETE: &[(&str, &str)] = &[
    ("cascade", "CASCADE"),
    ("set_null", "SET NULL"),
    ("restrict", "RESTRICT"),
];

/// Collects problems while validating.
struct Checker<'a> {
    spec: &'a Spec,
    problems: Vec<Diagnostic>,
    /// Every resource's class name, once known (enum classes must not shadow them).
    classes: BTreeSet<String>,
    /// The project's roles, `admin` first.
    roles: Vec<String>,
    /// The role given at signup.
    default_role: String,
}

impl Checker<'_> {
    /// Records a problem at the key of `path`.
    fn at_key(&mut self, path: &str, message: impl Into<String>, help: impl Into<String>) {
        let location = self.spec.spans.key_or_value(path);
        self.push(path, location, message.into(), help.into());
    }

    /// Records a problem at the value of `path`.
    fn at_value(&mut self, path: &str, message: impl Into<String>, help: impl Into<String>) {
        let location = self.spec.spans.value(path);
        self.push(path, location, message.into(), help.into());
    }

    fn push(
        &mut self,
        path: &str,
        location: Option<(usize, usize)>,
        message: String,
        help: String,
    ) {
        self.problems.push(Diagnostic {
            file: self.spec.file.clone(),
            location,
            path: path.to_owned(),
            message,
            help: (!help.is_empty()).then_some(help),
        });
    }
}

/// Validates `spec` and resolves it into a model.
///
/// Errors: [`SpecErrors`] listing every problem found, in file order.
pub fn validate(spec: &Spec) -> Result<Model, SpecErrors> {
    let mut c = Checker {
        spec,
        problems: Vec::new(),
        classes: BTreeSet::new(),
        roles: Vec::new(),
        default_role: String::new(),
    };
    let raw = &spec.raw;
    if raw.version != 1 {
        c.at_value(
            "version",
            format!("unsupported spec version {}", raw.version),
            "this gen reads `version: 1`",
        );
    }
    let project = project(&mut c);
    let mut auth = auth(&mut c);
    c.roles = auth.roles.clone();
    c.default_role = auth.default_role.clone();
    let resources = resources(&mut c);
    user_fields(&mut c, &mut auth);
    if c.problems.is_empty() {
        let schema = tables(&resources, &auth.user_columns, &mut c);
        if c.problems.is_empty() {
            let resources: Vec<Resource> = resources.into_iter().map(|r| r.resource).collect();
            let (main_imports, models_imports) = app_imports(&resources);
            let (uuid_import, id_aliases) = id_aliases(&resources);
            let all_models = {
                let mut names: Vec<String> =
                    ["Base", "User"].iter().map(|s| (*s).to_owned()).collect();
                names.extend(resources.iter().map(|r| r.class_name.clone()));
                names.sort();
                names
            };
            return Ok(Model {
                all_models,
                project,
                auth,
                resources,
                schema,
                spec_text: spec.text.clone(),
                main_imports,
                models_imports,
                max_url_length: types::MAX_URL,
                uuid_import,
                id_aliases,
            });
        }
    }
    c.problems
        .sort_by_key(|d| d.location.unwrap_or((usize::MAX, 0)));
    Err(SpecErrors(c.problems))
}

fn project(c: &mut Checker) -> Project {
    let p = &c.spec.raw.project;
    let name_ok = Regex::new(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$").expect("static regex");
    if !name_ok.is_match(&p.name) {
        let suggestion = names::kebab(&p.name);
        c.at_value(
            "project.name",
            format!("`{}` is not a valid Python distribution name", p.name),
            format!(
                "use letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit (PEP 508){}",
                if name_ok.is_match(&suggestion) { format!(", e.g. `{suggestion}`") } else { String::new() }
            ),
        );
    }
    let version = p.version.clone().unwrap_or_else(|| "0.1.0".to_owned());
    let version_ok =
        Regex::new(r"^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$").expect("static regex");
    if !version_ok.is_match(&version) {
        c.at_value(
            "project.version",
            format!("`{version}` is not a PEP 440 version"),
            "write it like `0.1.0` or `1.2.0rc1`",
        );
    }
    let api_prefix = p.api_prefix.clone().unwrap_or_else(|| "/api/v1".to_owned());
    let prefix_ok = Regex::new(r"^(/[A-Za-z0-9._~-]+)*$").expect("static regex");
    if !prefix_ok.is_match(&api_prefix) {
        c.at_value(
            "project.api_prefix",
            format!("`{api_prefix}` is not a usable route prefix"),
            "start with `/`, no trailing `/`, no spaces or `{}` (for example `/api/v1`), or `\"\"` for none",
        );
    }
    let snake = names::snake(&p.name);
    if api_prefix.len() > MAX_PREFIX {
        c.at_value(
            "project.api_prefix",
            format!("`api_prefix` is longer than {MAX_PREFIX} characters"),
            "shorten it; `/api/v1` is the usual form",
        );
    }
    let title = p
        .title
        .clone()
        .unwrap_or_else(|| format!("{} API", names::words(&snake)));
    let description = p.description.clone().unwrap_or_default();
    Project {
        name: p.name.clone(),
        title_py: python::string(&title),
        title,
        description_py: python::string(&description),
        description,
        version,
        api_prefix,
    }
}

fn auth(c: &mut Checker) -> Auth {
    let raw = c.spec.raw.auth.clone().unwrap_or_default();
    let mut roles = vec!["admin".to_owned()];
    let given = raw
        .roles
        .clone()
        .unwrap_or_else(|| vec!["admin".to_owned(), "member".to_owned()]);
    for (i, role) in given.iter().enumerate() {
        let path = format!("auth.roles[{i}]");
        if !names::is_snake_identifier(role) || role.len() > 50 {
            c.at_value(
                &path,
                format!("role `{role}` is not a lowercase identifier"),
                "use lowercase letters, digits and `_`, starting with a letter, at most 50 characters",
            );
        } else if roles.contains(role) && role != "admin" {
            c.at_value(
                &path,
                format!("role `{role}` is listed twice"),
                "remove the repeat",
            );
        } else if role != "admin" {
            roles.push(role.clone());
        }
    }
    let default_role = match raw.default_role.clone() {
        Some(r) => {
            if r == "admin" {
                c.at_value(
                    "auth.default_role",
                    "`default_role` cannot be `admin`: anyone who signs up would be an administrator",
                    "pick a role with fewer rights, and create admins with `python -m app.cli create-admin`",
                );
            } else if !roles.contains(&r) {
                let list: Vec<&str> = roles.iter().map(String::as_str).collect();
                c.at_value(
                    "auth.default_role",
                    format!("`default_role` `{r}` is not one of the roles"),
                    allowed_help(&r, &list),
                );
            }
            r
        }
        None => match roles.iter().find(|r| *r != "admin") {
            Some(_) if roles.iter().any(|r| r == "member") => "member".to_owned(),
            Some(r) => r.clone(),
            None => {
                c.at_key(
                    "auth.roles",
                    "there is no role besides `admin` for new users to get at signup",
                    "add a role such as `member` to `auth.roles`",
                );
                "member".to_owned()
            }
        },
    };
    let minutes = raw.access_token_minutes.unwrap_or(30);
    if !(1..=43_200).contains(&minutes) {
        c.at_value(
            "auth.access_token_minutes",
            format!("`access_token_minutes` {minutes} is out of range"),
            "use 1 to 43200 (30 days); short-lived tokens (15 to 60 minutes) are the norm",
        );
    }
    let role_literal = format!(
        "Literal[{}]",
        roles
            .iter()
            .map(|r| python::string(r))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let days = raw.refresh_token_days.unwrap_or(14);
    if !(1..=365).contains(&days) {
        c.at_value(
            "auth.refresh_token_days",
            format!("`refresh_token_days` {days} is out of range"),
            "use 1 to 365; users log in again when a refresh token expires",
        );
    }
    Auth {
        roles,
        default_role,
        role_literal,
        access_token_minutes: minutes,
        refresh_token_days: days,
        user_fields: Vec::new(),
        user_columns: Vec::new(),
        user_enums: Vec::new(),
        user_model_imports: String::new(),
        user_schema_imports: String::new(),
        user_not_null_on_update: String::new(),
        user_sample: Vec::new(),
        user_renamed: Vec::new(),
    }
}

/// Names the built-in User already has (or its endpoints take).
const USER_RESERVED: &[&str] = &[
    "email",
    "password",
    "hashed_password",
    "role",
    "is_active",
    "is_admin",
    "token_version",
    "current_password",
    "new_password",
    "refresh_token",
    "refresh_tokens",
];

/// `auth.user_fields`: validated like resource fields, laid out into the
/// built-in User's model, schemas and table.
fn user_fields(c: &mut Checker, auth: &mut Auth) {
    let raw = c.spec.raw.auth.clone().unwrap_or_default().user_fields;
    let mut model_imports = Imports::default();
    model_imports
        .from("sqlalchemy", "Boolean")
        .from("sqlalchemy", "ForeignKey")
        .from("sqlalchemy", "Integer")
        .from("sqlalchemy", "String")
        .from("sqlalchemy.orm", "Mapped")
        .from("sqlalchemy.orm", "mapped_column")
        .from("datetime", "datetime")
        .from("app.database", "Base")
        .from("app.database", "TimestampMixin")
        .from("app.database", "UTCDateTime")
        .from("app.database", "utc_now");
    let mut schema_imports = Imports::default();
    schema_imports
        .from("datetime", "datetime")
        .from("typing", "Annotated")
        .from("typing", "Literal")
        .from("pydantic", "BaseModel")
        .from("pydantic", "ConfigDict")
        .from("pydantic", "EmailStr")
        .from("pydantic", "Field")
        .from("pydantic", "field_validator")
        .from("app.schemas", "Page")
        .from("app.schemas", "reject_null")
        .from("app.schemas", "SafeStr");
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut not_null = Vec::new();
    for (key, raw_field) in &raw {
        let path = join_key("auth.user_fields", key);
        if USER_RESERVED.contains(&names::snake(key).as_str()) {
            c.at_key(
                &path,
                format!("`{key}` is a built-in field of User (or of its endpoints)"),
                format!(
                    "rename it; the built-in names are {}",
                    USER_RESERVED.join(", ")
                ),
            );
            continue;
        }
        let Some(name) = member_name(c, &path, key, "user field", &taken) else {
            continue;
        };
        taken.insert(name.clone(), format!("user field `{key}`"));
        let Some(plan) = field(c, &path, "User", &name, raw_field) else {
            continue;
        };
        if let Some(flag) = [
            ("read_only", plan.raw.read_only),
            ("write_only", plan.raw.write_only),
        ]
        .into_iter()
        .find_map(|(k, on)| on.then_some(k))
        {
            c.at_key(
                &join_key(&path, flag),
                format!("`{flag}` applies to resource fields, not user fields"),
                "users set their fields at signup and with `PATCH /users/me`, and read them back there; remove it",
            );
            continue;
        }
        if plan.raw.unique {
            c.at_key(
                &path,
                "user fields cannot be unique in spec v1",
                "remove `unique`; `email` is the user's unique key",
            );
            continue;
        }
        if !plan.raw.nullable && plan.default.is_none() {
            c.at_key(
                &path,
                format!("user field `{key}` needs `nullable: true` or a `default`"),
                "existing users and admins made by `python -m app.cli create-admin` have no value for it",
            );
            continue;
        }
        let laid = lay_out_field(
            &plan,
            "User",
            "app.auth.models",
            &mut model_imports,
            &mut schema_imports,
            &mut auth.user_enums,
        );
        if let Some(v) = plan.samples_cache.first() {
            auth.user_sample.push(format!(
                "{}: {},",
                python::string(&name),
                python::literal(v)
            ));
        }
        not_null.extend(laid.not_null);
        if plan.attr != plan.name {
            auth.user_renamed.push(plan.name.clone());
        }
        auth.user_columns.push(laid.column);
        auth.user_fields.push(laid.field);
    }
    let mut guarded = vec!["\"email\"".to_owned()];
    guarded.extend(not_null);
    auth.user_not_null_on_update = call("@field_validator", &guarded, "", 4);
    auth.user_model_imports = model_imports.render();
    auth.user_schema_imports = schema_imports.render();
}

/// A resource being resolved: the model part plus what later passes need.
struct Resolved {
    /// The resource's key as written in the spec.
    key: String,
    /// Its table.
    table: schema::Table,
    resource: Resource,
    /// Required relations' targets (class names), for cycle checks and ordering.
    required_targets: Vec<String>,
    /// All relations' target tables, for table ordering.
    target_tables: Vec<String>,
    /// How many distinct rows the samples allow.
    capacity: usize,
    /// Association tables of its many-to-many relations.
    extra_tables: Vec<schema::Table>,
    /// Target class of each of `tests.example_refs`.
    example_targets: Vec<String>,
    /// Unique fields the /docs example sets: (its value, the field's samples).
    example_uniques: Vec<(Json, Vec<Json>)>,
}

/// Where a body or query parameter's id type comes from: `app.schemas`
/// (`Id`, `BigId`) or `uuid` (`UUID`).
fn body_type_import(kind: IdKind) -> (String, String) {
    let row = kind.row();
    let module = if row.python_imports.is_empty() {
        "app.schemas"
    } else {
        "uuid"
    };
    (module.to_owned(), row.body.to_owned())
}

/// The test statement that linking a row with the missing id `missing`
/// is a 404, laid out at 4 spaces as `ruff format` would.
fn missing_link_check(missing: &str) -> String {
    let put = format!("await client.put(f\"{{url}}/{missing}\", headers=admin.headers)");
    let line = format!("assert_problem({put}, 404)");
    if 4 + line.len() <= python::LINE_LENGTH {
        return line;
    }
    format!(
        "assert_problem(\n        {},\n        404,\n    )",
        call(
            "await client.put",
            &[
                format!("f\"{{url}}/{missing}\""),
                "headers=admin.headers".into()
            ],
            "",
            8
        )
    )
}

/// The import and the definitions `app/schemas.py` needs for the id
/// types of `resources` beyond `int` (see [`Model::id_aliases`]).
fn id_aliases(resources: &[Resource]) -> (String, String) {
    let uses = |path: &str| resources.iter().any(|r| r.id_path == path);
    let mut aliases = String::new();
    if uses(IdKind::BigInt.row().path) {
        aliases.push_str(concat!(
            "\n\n#: Largest id a 64-bit integer primary key (`id: bigint`) holds.\n",
            "MAX_BIG_ID = 9_223_372_036_854_775_807\n",
            "\n#: A row id of an `id: bigint` resource in a request body.\n",
            "BigId = Annotated[int, Field(ge=1, le=MAX_BIG_ID)]\n",
            "\n#: A row id of an `id: bigint` resource in a path.\n",
            "BigIdPath = Annotated[int, Path(ge=1, le=MAX_BIG_ID)]",
        ));
    }
    let mut import = String::new();
    if uses(IdKind::Uuid.row().path) {
        import.push_str("from uuid import UUID\n");
        aliases.push_str(concat!(
            "\n\n#: A row id of an `id: uuid` resource in a path; anything but a UUID\n",
            "#: is a 422.\n",
            "UuidPath = Annotated[UUID, Path()]",
        ));
    }
    (import, aliases)
}

/// The names of resources as the user wrote them and as classes.
struct Catalog {
    /// Class name → (snake, table, owned).
    by_class: BTreeMap<String, (String, String, bool)>,
    /// Class names of resources already reported as invalid: relations to
    /// them get no second error.
    rejected: BTreeSet<String>,
    /// Class names of resources with `soft_delete: true`.
    soft_deleted: BTreeSet<String>,
    /// Class name → the type of its `id` (absent: `int`).
    ids: BTreeMap<String, IdKind>,
}

/// The `id:` type of a resource; an unknown name (reported by
/// `resources`) counts as `int`.
fn id_kind(r: &RawResource) -> IdKind {
    r.id.as_deref().and_then(IdKind::lookup).unwrap_or_default()
}

fn resources(c: &mut Checker) -> Vec<Resolved> {
    let raw = &c.spec.raw.resources;
    if raw.is_empty() {
        c.at_key(
            "resources",
            "the spec declares no resources",
            "add at least one under `resources:`; `gen new DIR` writes a starter spec to copy from",
        );
        return Vec::new();
    }
    let mut catalog = Catalog {
        by_class: BTreeMap::new(),
        rejected: BTreeSet::new(),
        soft_deleted: BTreeSet::new(),
        ids: BTreeMap::new(),
    };
    let mut seen_tables: HashMap<String, String> = HashMap::new();
    seen_tables.insert("users".into(), "the built-in User".into());
    seen_tables.insert(
        "refresh_tokens".into(),
        "the built-in refresh tokens".into(),
    );
    seen_tables.insert("alembic_version".into(), "Alembic".into());
    let mut heads = Vec::new();
    for (key, r) in raw {
        let path = join_key("resources", key);
        let class = names::pascal(key);
        let snake = names::snake(key);
        catalog.rejected.insert(class.clone());
        let ident = Regex::new(r"^[A-Za-z][A-Za-z0-9_-]*$").expect("static regex");
        if !ident.is_match(key) || class.is_empty() {
            c.at_key(
                &path,
                format!("`{key}` is not a usable resource name"),
                "use a singular name in PascalCase, like `OrderItem`",
            );
            continue;
        }
        if snake.len() > MAX_NAME {
            c.at_key(
                &path,
                format!("resource name `{key}` is longer than {MAX_NAME} characters in snake_case (`{snake}`)"),
                "shorten it; long names make long tables, routes and class names",
            );
            continue;
        }
        if class == "User" {
            c.at_key(
                &path,
                "`User` is built in: gen always generates it with email, password and role",
                "pick another name, or relate to it with `{kind: many_to_one, to: User}`",
            );
            continue;
        }
        let why = if names::is_python_keyword(&snake) {
            Some(format!(
                "would become package `app/{snake}`, but `{snake}` is a Python keyword, which cannot name a package or a variable"
            ))
        } else if names::RESERVED_MODULES.contains(&snake.as_str()) {
            Some(format!(
                "would become packages `app/{snake}` and `tests/{snake}`, but the generated project already has a module named `{snake}`"
            ))
        } else if let Some((_, what)) = RESOURCE_VARIABLES
            .iter()
            .find(|(n, _)| *n == snake || format!("{snake}_id") == *n)
        {
            let var = if RESOURCE_VARIABLES.iter().any(|(n, _)| *n == snake) {
                snake.clone()
            } else {
                format!("{snake}_id")
            };
            Some(format!(
                "would use the variable `{var}` in its generated functions, which already use `{var}` for {what}"
            ))
        } else {
            None
        };
        if let Some(why) = why {
            c.at_key(
                &path,
                format!("resource `{key}` {why}"),
                format!("rename it, for example `{class}Item` or `{class}Entry`"),
            );
            continue;
        }
        if let Some((_, origin)) = TAKEN_CLASS_NAMES.iter().find(|(n, _)| *n == class) {
            c.at_key(
                &path,
                format!("resource `{key}` would become class `{class}`, but the generated modules already import or define `{class}` (from {origin})"),
                format!("rename it, for example `{class}Item` or `{class}Entry`"),
            );
            continue;
        }
        if catalog.by_class.contains_key(&class) {
            c.at_key(
                &path,
                format!("resource `{key}` is declared twice (as `{class}`)"),
                "merge the two definitions",
            );
            continue;
        }
        let plural = match &r.plural {
            Some(p) if !names::is_snake_identifier(p) => {
                c.at_value(
                    &join_key(&path, "plural"),
                    format!("plural `{p}` is not a snake_case name"),
                    format!("write it like `{}`", names::snake(p)),
                );
                names::plural(&snake)
            }
            Some(p) => p.clone(),
            None => names::plural(&snake),
        };
        if plural == snake {
            // Uncountable nouns: table and module would clash in names, not in files; fine.
        }
        if let Some(owner) = seen_tables.get(&plural) {
            c.at_key(
                &path,
                format!("resource `{key}` would use table `{plural}`, already taken by {owner}"),
                "set `plural:` to another name, or rename the resource",
            );
            continue;
        }
        seen_tables.insert(plural.clone(), format!("resource `{key}`"));
        catalog.rejected.remove(&class);
        catalog
            .by_class
            .insert(class.clone(), (snake.clone(), plural.clone(), r.owned));
        if r.soft_delete {
            catalog.soft_deleted.insert(class.clone());
        }
        if let Some(given) = r.id.as_deref().filter(|g| IdKind::lookup(g).is_none()) {
            c.at_value(
                &join_key(&path, "id"),
                format!("unknown id type `{given}`"),
                allowed_help(given, &IdKind::names()),
            );
        }
        catalog.ids.insert(class.clone(), id_kind(r));
        heads.push((key.clone(), class, snake, plural));
    }
    c.classes = catalog.by_class.keys().cloned().collect();
    let inverses = inverses(&c.spec.raw, &catalog);
    let mut out = Vec::new();
    for (key, class, snake, plural) in heads {
        let r = &raw[&key];
        if let Some(mut res) = resource(c, &key, &class, &snake, &plural, r, &catalog, &inverses) {
            res.key = key.clone();
            out.push(res);
        }
    }
    required_cycles(c, &out);
    propagate_capacity(&mut out);
    finish_tests(&mut out);
    out
}

/// Names the generated functions of a resource (service, dependencies,
/// router, hooks, factories) use for their own parameters and variables,
/// or for modules and functions they call, next to the variable that
/// holds a row (`post`): a resource whose snake_case name is one of them
/// would shadow it, with what it is for. The row's id is `<name>_id`, so
/// `owner_id` also rules out `owner`.
pub const RESOURCE_VARIABLES: &[(&str, &str)] = &[
    ("actor", "the user who makes a change"),
    (
        "require_admin",
        "the function that lets only admins see deleted rows",
    ),
    ("utc_now", "the function that stamps `deleted_at`"),
    (
        "check_writable",
        "the function that checks field write permissions",
    ),
    ("data", "the request body"),
    ("found", "the rows a many-to-many relation links"),
    (
        "full",
        "the row before fields hidden from the caller are left out",
    ),
    ("hidden", "the fields hidden from the caller"),
    (
        "hidden_fields",
        "the function that finds the fields hidden from the caller",
    ),
    ("hooks", "the package's hooks module"),
    ("last", "the sort keys of a page's last row"),
    ("linked_to", "the condition of a many-to-many nested list"),
    ("logger", "the hooks module's logger"),
    ("name", "the attribute names an update sets"),
    ("owner_id", "the owner's id"),
    ("pick", "the function that picks linked rows"),
    ("query", "the list's query parameters"),
    ("row", "the linked rows a many-to-many unlink goes through"),
    ("rows", "a page's rows"),
    ("rows_by_id", "the function that loads linked rows"),
    ("secret", "the secret that signs cursors"),
    ("service", "the package's service module"),
    ("session", "the database session"),
    ("total", "the row count of a list"),
    ("value", "the values an update sets"),
];

/// Query parameters lists take (`offset` and `cursor` by pagination,
/// `include_deleted` with soft delete), which no filter may shadow.
const LIST_RESERVED: &[&str] = &["limit", "offset", "cursor", "sort", "q", "include_deleted"];

/// Resolves `list:`: the query model's filter parameters, the conditions
/// they add, the sort keys, the searched columns, the columns to index, and
/// the imports the query model needs.
fn list_spec(
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
    let cursor = match raw.pagination.as_deref() {
        None | Some("offset") => false,
        Some("cursor") => true,
        Some(p) => {
            c.at_value(
                &join_key(&lpath, "pagination"),
                format!("unknown pagination `{p}`"),
                allowed_help(p, &["offset", "cursor"]),
            );
            false
        }
    };
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
            if LIST_RESERVED.contains(&name.as_str()) {
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
            for (m, n) in &f.mapping.schema_imports {
                imports.push(((*m).to_owned(), n.clone()));
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

/// A list filter's condition, kept in parts so that its statement can be
/// wrapped the way `ruff format` wraps it.
enum Condition {
    /// `left op right`.
    Compare(String, &'static str, String),
    /// `head(args)`.
    Call(String, Vec<String>),
}

impl Condition {
    /// `left op right`.
    fn compare(left: &str, op: &'static str, right: &str) -> Condition {
        Condition::Compare(left.to_owned(), op, right.to_owned())
    }

    /// `head(args)`.
    fn call(head: &str, args: &[String]) -> Condition {
        Condition::Call(head.to_owned(), args.to_vec())
    }

    /// `stmt = stmt.where(condition)` at 8 spaces: on one line when it
    /// fits, else the condition on its own line, itself split (before the
    /// operator, or one argument per line) when that line is too long.
    fn statement(&self) -> String {
        let flat = match self {
            Condition::Compare(l, op, r) => format!("{l} {op} {r}"),
            Condition::Call(head, args) => format!("{head}({})", args.join(", ")),
        };
        let one = format!("stmt = stmt.where({flat})");
        if 8 + one.len() <= python::LINE_LENGTH {
            return one;
        }
        let pad = " ".repeat(12);
        let inner = match self {
            _ if 12 + flat.len() <= python::LINE_LENGTH => flat,
            Condition::Compare(l, op, r) => format!("{l}\n{pad}{op} {r}"),
            Condition::Call(head, args) => call(head, args, "", 12),
        };
        format!("stmt = stmt.where(\n{pad}{inner}\n        )")
    }
}

/// Who may perform one action, as parsed from `permissions`.
#[derive(Debug, Clone, Default)]
struct ActionRule {
    anyone: bool,
    authenticated: bool,
    owner: bool,
    roles: BTreeSet<String>,
}

impl ActionRule {
    fn of(entries: &[&str]) -> ActionRule {
        let mut rule = ActionRule::default();
        for e in entries {
            match *e {
                "anyone" => rule.anyone = true,
                "authenticated" => rule.authenticated = true,
                "owner" => rule.owner = true,
                "admin" => {}
                role => {
                    rule.roles.insert(role.to_owned());
                }
            }
        }
        rule
    }

    /// What a user with `role` may do: every row, their own, or nothing.
    fn member(&self, role: &str) -> &'static str {
        if self.anyone || self.authenticated || self.roles.contains(role) {
            "all"
        } else if self.owner {
            "own"
        } else {
            "none"
        }
    }

    fn access(&self, name: &str, default_role: &str) -> Access {
        let mut args = Vec::new();
        if self.anyone {
            args.push("anyone=True".to_owned());
        }
        if self.authenticated {
            args.push("authenticated=True".to_owned());
        }
        if self.owner {
            args.push("owner=True".to_owned());
        }
        if !self.roles.is_empty() {
            args.push(format!("roles={}", frozenset(self.roles.iter())));
        }
        let mut who: Vec<String> = Vec::new();
        if self.anyone {
            who.push("anyone".into());
        } else if self.authenticated {
            who.push("signed-in users".into());
        } else {
            if self.owner {
                who.push("the owner".into());
            }
            who.extend(self.roles.iter().map(|r| format!("`{r}`")));
            who.push("admins".into());
        }
        Access {
            rule: call(&format!("{name} = Rule"), &args, "", 0),
            member: self.member(default_role).to_owned(),
            anonymous: self.anyone,
            who: who.join(", "),
        }
    }
}

/// A Python `frozenset` literal of strings, sorted.
fn frozenset<'a>(items: impl Iterator<Item = &'a String>) -> String {
    let quoted: Vec<String> = items.map(|s| python::string(s)).collect();
    if quoted.is_empty() {
        "frozenset()".to_owned()
    } else {
        format!("frozenset({{{}}})", quoted.join(", "))
    }
}

/// The four rules of a resource: `permissions` when given, else what
/// `owned` and `public_read` imply.
fn permissions(c: &mut Checker, path: &str, r: &RawResource) -> [ActionRule; 4] {
    let given = r.permissions.clone().unwrap_or_default();
    let default_read: &[&str] = if r.public_read {
        &["anyone"]
    } else if r.owned {
        &["owner"]
    } else {
        &["authenticated"]
    };
    let default_write: &[&str] = if r.owned {
        &["owner"]
    } else {
        &["authenticated"]
    };
    let mut out: [ActionRule; 4] = Default::default();
    let actions = [
        ("read", given.read.as_ref(), default_read),
        ("create", given.create.as_ref(), &["authenticated"][..]),
        ("update", given.update.as_ref(), default_write),
        ("delete", given.delete.as_ref(), default_write),
    ];
    for (i, (action, list, default)) in actions.into_iter().enumerate() {
        let apath = join_key(&join_key(path, "permissions"), action);
        let Some(list) = list else {
            out[i] = ActionRule::of(default);
            continue;
        };
        let roles = c.roles.clone();
        let mut allowed: Vec<&str> = vec!["anyone", "authenticated", "owner"];
        allowed.extend(roles.iter().map(String::as_str));
        for (j, entry) in list.iter().enumerate() {
            let epath = format!("{apath}[{j}]");
            if !allowed.contains(&entry.as_str()) {
                c.at_value(
                    &epath,
                    format!("`{entry}` is neither `anyone`, `authenticated`, `owner` nor a role"),
                    allowed_help(entry, &allowed),
                );
            } else if entry == "owner" && !r.owned {
                c.at_value(
                    &epath,
                    "`owner` needs `owned: true` on the resource",
                    "add `owned: true`, or list roles instead",
                );
            } else if entry == "owner" && action == "create" {
                c.at_value(
                    &epath,
                    "`owner` cannot create: a row has no owner before it exists",
                    "use `authenticated` or roles",
                );
            } else if entry == "anyone" && action != "read" {
                c.at_value(
                    &epath,
                    format!("`anyone` cannot {action}: writes need a token"),
                    "use `authenticated` for every signed-in user",
                );
            }
        }
        let entries: Vec<&str> = list.iter().map(String::as_str).collect();
        out[i] = ActionRule::of(&entries);
    }
    if r.public_read
        && given
            .read
            .as_ref()
            .is_some_and(|l| !l.iter().any(|e| e == "anyone"))
    {
        c.at_key(
            &join_key(&join_key(path, "permissions"), "read"),
            "`public_read: true` contradicts `permissions.read`, which does not list `anyone`",
            "remove `public_read`, or add `anyone` to `permissions.read`",
        );
    }
    out
}

/// Parsed numeric bounds and lengths of a field.
#[derive(Debug, Clone, Default)]
struct Bounds {
    min: Option<f64>,
    max: Option<f64>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<Regex>,
    values: Vec<String>,
    precision: u32,
    scale: u32,
}

/// A field after its checks, before layout.
struct FieldPlan {
    /// JSON name and column.
    name: String,
    /// Python attribute (`names::attribute`).
    attr: String,
    row: &'static TypeRow,
    raw: RawField,
    bounds: Bounds,
    mapping: types::Mapping,
    default: Option<Json>,
    example: Option<Json>,
    enum_class: Option<String>,
    samples_cache: Vec<Json>,
    sql_type: schema::SqlType,
}

fn resource(
    c: &mut Checker,
    key: &str,
    class: &str,
    snake: &str,
    plural: &str,
    r: &RawResource,
    catalog: &Catalog,
    inverses: &Inverses,
) -> Option<Resolved> {
    let path = join_key("resources", key);
    if r.fields.is_empty() && r.relations.is_empty() {
        c.at_key(
            &path,
            format!("resource `{key}` has no fields and no relations"),
            "add at least one field, for example `fields: {name: string}`",
        );
        return None;
    }
    let before = c.problems.len();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut fields = Vec::new();
    for (fkey, raw_field) in &r.fields {
        let fpath = join_key(&join_key(&path, "fields"), fkey);
        let Some(name) = member_name(c, &fpath, fkey, "field", &taken) else {
            continue;
        };
        taken.insert(name.clone(), format!("field `{fkey}`"));
        if let Some(plan) = field(c, &fpath, class, &name, raw_field) {
            fields.push(plan);
        }
    }
    let mut relations = Vec::new();
    let mut collections = Vec::new();
    for (rkey, raw_rel) in &r.relations {
        let rpath = join_key(&join_key(&path, "relations"), rkey);
        let Some(name) = member_name(c, &rpath, rkey, "relation", &taken) else {
            continue;
        };
        // A field named so gets the attribute `name_` (its JSON name and
        // column stay); a relation's name is its relationship attribute,
        // used throughout the generated code, so it has to be usable as is.
        // (Relations are not in the schemas: Pydantic's names are fine.)
        if let Some(why) = names::model_attribute_clash(&name) {
            let target = names::snake(&raw_rel.to);
            c.at_key(
                &rpath,
                format!(
                    "relation name `{rkey}` is {why}, so it cannot be the relationship attribute `{class}.{name}`"
                ),
                format!(
                    "rename the relation, for example `{name}_{target}`; fields may have such names (a field `{name}` gets the Python attribute `{name}_`)"
                ),
            );
            continue;
        }
        let kind = Kind::parse(&raw_rel.kind);
        let column = match kind {
            Some(Kind::OneToMany) => None,
            Some(Kind::ManyToMany) => Some(ids_field(&name)),
            _ => Some(format!("{name}_id")),
        };
        if let Some(column) = &column {
            if GENERATED_COLUMNS.contains(&column.as_str()) {
                c.at_key(
                    &rpath,
                    format!("relation `{rkey}` needs the field `{column}`, a column gen generates"),
                    "rename the relation; `audit: true` records who created and who last changed a row",
                );
                continue;
            }
            if let Some(other) = taken.get(column) {
                c.at_key(
                    &rpath,
                    format!(
                        "relation `{rkey}` needs the field `{column}`, which {other} already is"
                    ),
                    format!("rename the relation or {other}"),
                );
                continue;
            }
            taken.insert(column.clone(), format!("the field of relation `{rkey}`"));
        }
        taken.insert(name.clone(), format!("relation `{rkey}`"));
        if let Some(rel) = relation(c, &rpath, &name, raw_rel, catalog, class) {
            if rel.kind.has_column() {
                relations.push(rel);
            } else {
                collections.push(rel);
            }
        }
    }
    // The models module defines each many-to-many's association table
    // under its table name, which the relationship refers to; the service
    // defines `link_<relation>` and `unlink_<relation>`.
    for rel in collections
        .iter()
        .filter(|rel| rel.kind == Kind::ManyToMany)
    {
        let table = format!("{snake}_{}", rel.name);
        if snake == "link" || snake == "unlink" {
            let rkey = r
                .relations
                .keys()
                .find(|k| names::snake(k) == rel.name)
                .map_or(rel.name.as_str(), String::as_str);
            c.at_key(
                &join_key(&join_key(&path, "relations"), rkey),
                format!(
                    "the association table of relation `{rkey}` would be `{table}`, the name of the service function that {snake}s its rows"
                ),
                format!("rename the resource, for example `{class}Item`"),
            );
        }
        let Some(f) = fields.iter().find(|f| f.attr == table) else {
            continue;
        };
        let fkey = r
            .fields
            .keys()
            .find(|k| names::snake(k) == f.name)
            .map_or(f.name.as_str(), String::as_str);
        c.at_key(
            &join_key(&join_key(&path, "fields"), fkey),
            format!(
                "field `{fkey}` has the name of the association table of relation `{}` (`{table}`), which the model's module defines under that name",
                rel.name
            ),
            "rename the field, or the relation",
        );
    }
    let rules = permissions(c, &path, r);
    unlistable_fields(c, &path, r, &fields);
    let example = r
        .example
        .as_ref()
        .map(|e| resource_example(c, &path, e, &fields, &relations, &collections));
    let list = list_spec(c, &path, class, r, &fields, &relations);
    let composites = composites(c, &path, r, &fields, &relations);
    if c.problems.len() > before {
        return None;
    }
    // Filtered and sorted fields get an index, in the model and the migration alike.
    let mut fields = fields;
    for f in fields.iter_mut() {
        if list.1.contains(&f.name) && !f.raw.unique {
            f.raw.index = true;
        }
    }
    let default_role = c.default_role.clone();
    let (spec, _, imports) = list;
    let mut resolved = build_resource(
        class,
        snake,
        plural,
        r,
        fields,
        relations,
        collections,
        inverses,
        rules,
        &default_role,
        &imports,
        &spec,
        &composites,
        example,
    );
    resolved.resource.list = spec;
    Some(resolved)
}

/// `unique_together` and `indexes` of a resource, resolved to columns.
#[derive(Debug, Default)]
struct Composites {
    /// Unique groups: their columns, and whether the generated 409 test can
    /// build two clashing rows from them (every member is a field each
    /// caller reads and writes, or a required relation).
    unique: Vec<(Vec<String>, bool)>,
    /// Index groups' columns.
    indexes: Vec<Vec<String>>,
    /// How many sample rows stay distinct on every unique group.
    capacity: usize,
}

/// Greatest common divisor, for least common multiples of sample counts.
fn gcd(a: usize, b: usize) -> usize {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// Resolves `unique_together` and `indexes`: each group names two or more
/// distinct fields or relations (a relation means its `_id` column), none
/// of them a JSON or array field, and no group repeats another.
fn composites(
    c: &mut Checker,
    path: &str,
    r: &RawResource,
    fields: &[FieldPlan],
    relations: &[RelationPlan],
) -> Composites {
    let mut out = Composites {
        capacity: SAMPLES,
        ..Composites::default()
    };
    let names: Vec<&str> = fields
        .iter()
        .map(|f| f.name.as_str())
        .chain(relations.iter().map(|r| r.name.as_str()))
        .collect();
    let kinds = [
        (
            "unique_together",
            &r.unique_together,
            "a unique constraint",
            "for one field use `unique: true` on the field",
        ),
        (
            "indexes",
            &r.indexes,
            "an index",
            "for one field use `index: true` on the field; relations are always indexed",
        ),
    ];
    for (key, groups, what, single) in kinds {
        let kpath = join_key(path, key);
        let mut seen: Vec<Vec<String>> = Vec::new();
        for (i, group) in groups.iter().enumerate() {
            let gpath = format!("{kpath}[{i}]");
            if group.len() < 2 {
                c.at_value(
                    &gpath,
                    format!(
                        "a group of `{key}` needs at least two fields or relations; this one has {}",
                        group.len()
                    ),
                    single,
                );
                continue;
            }
            let before = c.problems.len();
            let mut columns: Vec<String> = Vec::new();
            let mut testable = true;
            // Distinct sample rows on this group: the least common multiple
            // of its fields' sample counts; unbounded with a relation, since
            // the tests give each row its own parent for it.
            let mut distinct = 1usize;
            let mut has_relation = false;
            for (j, given) in group.iter().enumerate() {
                let npath = format!("{gpath}[{j}]");
                let name = names::snake(given);
                let column = if let Some(f) = fields.iter().find(|f| f.name == name) {
                    if !f.row.indexable {
                        c.at_value(
                            &npath,
                            format!("`{}` field `{name}` cannot be part of {what}", f.row.name),
                            "databases cannot compare JSON documents or arrays; remove it from the group",
                        );
                        continue;
                    }
                    testable &= f.raw.read.is_none() && f.raw.write.is_none();
                    let count = if f.raw.write.is_some() {
                        1
                    } else {
                        f.samples_cache.len().max(1)
                    };
                    distinct = (distinct * count / gcd(distinct, count)).min(SAMPLES);
                    name
                } else if let Some(rel) = relations.iter().find(|r| r.name == name) {
                    testable &= !rel.nullable;
                    has_relation = true;
                    format!("{name}_id")
                } else {
                    c.at_value(
                        &npath,
                        format!("`{given}` is not a field or relation of this resource"),
                        allowed_help(given, &names),
                    );
                    continue;
                };
                if columns.contains(&column) {
                    c.at_value(
                        &npath,
                        format!("`{given}` appears twice in this group"),
                        "list each field or relation once",
                    );
                    continue;
                }
                columns.push(column);
            }
            if c.problems.len() > before {
                continue;
            }
            // Column order matters to an index, not to a unique constraint.
            let same = |a: &Vec<String>, b: &Vec<String>| {
                if key == "indexes" {
                    a == b
                } else {
                    let mut a = a.clone();
                    let mut b = b.clone();
                    a.sort();
                    b.sort();
                    a == b
                }
            };
            if let Some(k) = seen.iter().position(|g| same(g, &columns)) {
                c.at_value(
                    &gpath,
                    format!("this group repeats `{key}[{k}]`"),
                    "remove the repeat",
                );
                continue;
            }
            seen.push(columns.clone());
            if key == "indexes" {
                out.indexes.push(columns);
                continue;
            }
            if !has_relation {
                if distinct < 2 {
                    c.at_value(
                        &gpath,
                        "gen cannot derive two rows with different values for this group",
                        "add an `example:` or more `values` to one of its fields, or add a field with more possible values to the group; the generated tests build their rows from them",
                    );
                    continue;
                }
                out.capacity = out.capacity.min(distinct);
            }
            out.unique.push((columns, testable));
        }
    }
    out
}

/// Normalizes a field or relation name and checks it is usable.
fn member_name(
    c: &mut Checker,
    path: &str,
    key: &str,
    what: &str,
    taken: &BTreeMap<String, String>,
) -> Option<String> {
    let name = names::snake(key);
    let valid = Regex::new(r"^[A-Za-z][A-Za-z0-9_-]*$")
        .expect("static regex")
        .is_match(key);
    if !valid || !names::is_snake_identifier(&name) {
        c.at_key(
            path,
            format!("{what} name `{key}` is not a usable identifier"),
            "use snake_case: lowercase letters, digits and `_`, starting with a letter",
        );
        return None;
    }
    if name.len() > MAX_NAME {
        c.at_key(
            path,
            format!("{what} name `{key}` is longer than {MAX_NAME} characters"),
            "shorten it; it becomes a column, a JSON key and a Python attribute",
        );
        return None;
    }
    if GENERATED_COLUMNS.contains(&name.as_str()) {
        c.at_key(
            path,
            format!("{what} name `{key}` collides with a column gen generates (`id`, `owner_id`, `created_at`, `updated_at`, `deleted_at`, `created_by_id`, `updated_by_id`)"),
            "remove it (gen adds it for you: `owned: true` adds `owner_id`, `timestamps` the dates, `soft_delete: true` `deleted_at`, `audit: true` who created and changed the row) or rename it",
        );
        return None;
    }
    if let Some(why) = names::framework_reserved(&name) {
        let help = match name.strip_prefix("model_") {
            Some(rest) => format!(
                "rename it so that it does not start with `model_`, for example `{rest}` or `{rest}_model`"
            ),
            None => format!(
                "drop the leading underscore: `{}`",
                name.trim_start_matches('_')
            ),
        };
        c.at_key(path, format!("{what} name `{key}` {why}"), help);
        return None;
    }
    if let Some(other) = taken.get(&name) {
        c.at_key(
            path,
            format!("{what} `{key}` is declared twice (as `{name}`, like {other})"),
            "field and relation names must be unique within a resource; remove or rename one",
        );
        return None;
    }
    Some(name)
}

fn number(n: &serde_yaml::Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

fn field(
    c: &mut Checker,
    path: &str,
    class: &str,
    name: &str,
    raw: &RawField,
) -> Option<FieldPlan> {
    let type_path = join_key(path, "type");
    let Some(row) = types::lookup(&raw.r#type) else {
        c.at_value(
            &type_path,
            format!("unknown field type `{}`", raw.r#type),
            allowed_help(&raw.r#type, &types::names()),
        );
        return None;
    };
    let before = c.problems.len();
    let ty = row.ty;
    let numeric = row.family == Family::Numeric;
    let textual = row.family == Family::Textual;
    let decimal = ty == FieldType::Decimal;
    const NUMBERS: &str = "int, bigint, float and decimal fields";
    const TEXTS: &str = "string and text fields";
    // (key, given, applies to this type, which types it applies to)
    let applicable = [
        ("min", raw.min.is_some(), numeric, NUMBERS),
        ("max", raw.max.is_some(), numeric, NUMBERS),
        ("min_length", raw.min_length.is_some(), textual, TEXTS),
        ("max_length", raw.max_length.is_some(), textual, TEXTS),
        ("pattern", raw.pattern.is_some(), textual, TEXTS),
        (
            "values",
            raw.values.is_some(),
            ty == FieldType::Enum,
            "enum fields",
        ),
        (
            "precision",
            raw.precision.is_some(),
            decimal,
            "decimal fields",
        ),
        ("scale", raw.scale.is_some(), decimal, "decimal fields"),
    ];
    for (key, present, allowed, which) in applicable {
        if present && !allowed {
            c.at_key(
                &join_key(path, key),
                format!("`{key}` does not apply to `{}` fields", row.name),
                format!("`{key}` applies to {which}; remove it"),
            );
        }
    }
    if raw.unique && !row.uniquable {
        c.at_key(
            &join_key(path, "unique"),
            format!("`{}` fields cannot be unique", row.name),
            match ty {
                FieldType::Bool => "a unique bool allows at most two rows; remove `unique`",
                FieldType::Json => {
                    "databases cannot compare JSON documents for uniqueness; remove `unique`"
                }
                _ => "arrays are stored as JSON on SQLite, which cannot compare them; remove `unique`",
            },
        );
    }
    if raw.index && !row.indexable {
        c.at_key(
            &join_key(path, "index"),
            format!("`{}` fields cannot be indexed", row.name),
            "remove `index`; their values are JSON documents or arrays, which a plain index cannot serve",
        );
    }
    let mut b = Bounds::default();
    let (lo, hi) = match ty {
        FieldType::Int => (Some(types::INT32.0 as f64), Some(types::INT32.1 as f64)),
        FieldType::BigInt => (Some(types::INT64.0 as f64), Some(types::INT64.1 as f64)),
        _ => (None, None),
    };
    for (key, value) in [("min", &raw.min), ("max", &raw.max)] {
        if let (Some(n), true) = (value, numeric) {
            let integral = matches!(ty, FieldType::Int | FieldType::BigInt);
            if integral && !(n.is_i64() || n.is_u64()) {
                c.at_value(
                    &join_key(path, key),
                    format!("`{key}` must be a whole number for `{}` fields", row.name),
                    "drop the fraction",
                );
            } else if lo.is_some_and(|l| number(n) < l) || hi.is_some_and(|h| number(n) > h) {
                c.at_value(
                    &join_key(path, key),
                    format!(
                        "`{key}` {n} does not fit {} column",
                        names::article(row.name)
                    ),
                    format!(
                        "stay within {} to {}, or use `bigint`",
                        lo.unwrap_or_default(),
                        hi.unwrap_or_default()
                    ),
                );
            } else if !number(n).is_finite() {
                c.at_value(
                    &join_key(path, key),
                    format!("`{key}` must be a finite number"),
                    "write a plain number",
                );
            }
        }
    }
    b.min = raw.min.as_ref().map(number);
    b.max = raw.max.as_ref().map(number);
    if let (Some(min), Some(max)) = (b.min, b.max) {
        if min > max {
            c.at_value(
                &join_key(path, "min"),
                format!("`min` ({min}) is greater than `max` ({max})"),
                "swap them, or fix the one that is wrong",
            );
        }
    }
    b.min_length = raw.min_length;
    b.max_length = raw.max_length.or((ty == FieldType::String).then_some(255));
    if let Some(max) = raw.max_length {
        if max == 0 || (ty == FieldType::String && max > 10_485_760) {
            c.at_value(
                &join_key(path, "max_length"),
                format!("`max_length` {max} is out of range"),
                "use 1 to 10485760 for `string`; for longer text use `type: text`",
            );
        }
    }
    if let (Some(min), Some(max)) = (b.min_length, b.max_length) {
        if min > max {
            c.at_value(
                &join_key(path, "min_length"),
                format!("`min_length` ({min}) is greater than `max_length` ({max})"),
                if raw.max_length.is_none() {
                    "string fields default to `max_length: 255`; raise it"
                } else {
                    "swap them, or fix the one that is wrong"
                },
            );
        }
    }
    if let Some(p) = &raw.pattern {
        match Regex::new(p) {
            Ok(re) => b.pattern = Some(re),
            Err(e) => {
                let detail = e.to_string();
                let last = detail
                    .lines()
                    .filter(|l| !l.trim().is_empty())
                    .last()
                    .unwrap_or("invalid")
                    .trim()
                    .to_owned();
                c.at_value(
                    &join_key(path, "pattern"),
                    format!(
                        "`pattern` is not a valid regular expression: {}",
                        last.trim_start_matches("error: ")
                    ),
                    "Pydantic checks patterns with Rust's regex syntax (no look-around or backreferences); quote the pattern in YAML",
                );
            }
        }
    }
    let mut enum_class = None;
    if ty == FieldType::Enum {
        match &raw.values {
            None => c.at_key(
                path,
                "enum fields need `values`",
                "add `values: [first, second]`",
            ),
            Some(v) if v.is_empty() => c.at_value(
                &join_key(path, "values"),
                "`values` is empty",
                "list at least one value",
            ),
            Some(v) => {
                let mut members: BTreeMap<String, &str> = BTreeMap::new();
                for (i, value) in v.iter().enumerate() {
                    let member = names::enum_member(value);
                    let vpath = format!("{}[{i}]", join_key(path, "values"));
                    if value.is_empty() || value.len() > MAX_ENUM_VALUE {
                        c.at_value(
                            &vpath,
                            format!("enum values must be 1 to {MAX_ENUM_VALUE} characters"),
                            "shorten or fill in the value",
                        );
                    } else if let Some(prev) = members.get(&member) {
                        c.at_value(
                            &vpath,
                            format!("enum value `{value}` repeats `{prev}` (both become member `{member}`)"),
                            "remove the repeat or make the values differ in more than case and punctuation",
                        );
                    } else {
                        members.insert(member, value);
                    }
                }
                b.values = v.clone();
            }
        }
        let mut enum_name = enum_class_name(class, name);
        if c.classes.contains(&enum_name) && enum_name != class {
            enum_name = format!("{class}{enum_name}");
        }
        enum_class = Some(enum_name);
    }
    if ty == FieldType::Decimal {
        b.precision = raw.precision.unwrap_or(10);
        b.scale = raw.scale.unwrap_or(2);
        if b.precision == 0 || b.precision > 1000 {
            c.at_value(
                &join_key(path, "precision"),
                format!("`precision` {} is out of range", b.precision),
                "use 1 to 1000 digits",
            );
        }
        if b.scale > b.precision {
            c.at_value(
                &join_key(path, "scale"),
                format!(
                    "`scale` ({}) is greater than `precision` ({})",
                    b.scale, b.precision
                ),
                "scale counts digits after the point and must not exceed precision",
            );
        }
    }
    for (key, list) in [("read", &raw.read), ("write", &raw.write)] {
        let Some(list) = list else { continue };
        let roles = c.roles.clone();
        let allowed: Vec<&str> = roles.iter().map(String::as_str).collect();
        for (i, role) in list.iter().enumerate() {
            if !roles.contains(role) {
                c.at_value(
                    &format!("{}[{i}]", join_key(path, key)),
                    format!("`{role}` is not a role"),
                    allowed_help(role, &allowed),
                );
            }
        }
    }
    if raw.write.is_some() && !raw.nullable && raw.default.is_none() && !raw.read_only {
        c.at_key(
            &join_key(path, "write"),
            "a field only some roles may set must be nullable or have a default",
            "add `nullable: true` or a `default:`, or every other role could never create a row",
        );
    }
    access_flags(c, path, raw);
    if c.problems.len() > before {
        return None;
    }
    let params = TypeParams {
        max_length: b.max_length,
        precision: b.precision,
        scale: b.scale,
        enum_class: enum_class.clone().unwrap_or_default(),
        enum_values: b.values.clone(),
    };
    let mapping = types::mapping(row, &params);
    let sql_type = types::sql_type(ty, &params);
    let mut plan = FieldPlan {
        name: name.to_owned(),
        attr: names::attribute(name),
        row,
        raw: raw.clone(),
        bounds: b,
        mapping,
        default: None,
        example: None,
        enum_class,
        samples_cache: Vec::new(),
        sql_type,
    };
    if let Some(d) = &raw.default {
        let dpath = join_key(path, "default");
        if d.is_null() {
            if !raw.nullable {
                c.at_value(
                    &dpath,
                    "`default: null` on a field that is not nullable",
                    "add `nullable: true`, or give a real default",
                );
            }
        } else if !row.defaultable {
            c.at_value(
                &dpath,
                format!("`{}` fields cannot have a default in spec v1", row.name),
                "make the field `nullable: true` and set it in the request instead",
            );
        } else {
            match check_value(&plan, d) {
                Ok(v) => plan.default = Some(v),
                Err(why) => {
                    let help = if ty == FieldType::Enum {
                        let allowed: Vec<&str> =
                            plan.bounds.values.iter().map(String::as_str).collect();
                        allowed_help(d.as_str().unwrap_or_default(), &allowed)
                    } else {
                        "the default must satisfy the field's own type and constraints".to_owned()
                    };
                    c.at_value(&dpath, format!("default {}: {why}", show(d)), help);
                }
            }
        }
    }
    if let Some(e) = &raw.example {
        match check_value(&plan, e) {
            Ok(v) => plan.example = Some(v),
            Err(why) => c.at_value(
                &join_key(path, "example"),
                format!("example {}: {why}", show(e)),
                "examples appear in /docs and in the generated tests, so they must be valid values",
            ),
        }
    }
    if c.problems.len() == before {
        plan.samples_cache = samples(c, path, &plan);
    }
    (c.problems.len() == before).then_some(plan)
}

/// Checks `read_only` and `write_only` against the field's other keys.
fn access_flags(c: &mut Checker, path: &str, raw: &RawField) {
    if raw.read_only && raw.write_only {
        c.at_key(
            &join_key(path, "write_only"),
            "a field cannot be both `read_only` and `write_only`",
            "`read_only`: the server sets it and responses show it; `write_only`: clients send it and responses never show it; keep one",
        );
        return;
    }
    if raw.read_only {
        if !raw.nullable && raw.default.is_none() {
            c.at_key(
                &join_key(path, "read_only"),
                "a read_only field must be nullable or have a default",
                "clients never send it, so a new row needs a value: add `nullable: true` or a `default:` (the server may set it later, in hooks.py)",
            );
        }
        if raw.write.is_some() {
            c.at_key(
                &join_key(path, "write"),
                "`write` does not apply to a read_only field: no role may set it",
                "remove `write`, or remove `read_only` to let those roles set it",
            );
        }
        if raw.unique {
            c.at_key(
                &join_key(path, "unique"),
                "a read_only field cannot be unique in spec v1",
                "the server sets it, past the conflict checks gen generates for request bodies; remove `unique` (`index: true` still indexes it)",
            );
        }
    }
    if raw.write_only {
        if raw.read.is_some() {
            c.at_key(
                &join_key(path, "read"),
                "`read` does not apply to a write_only field: responses never show it",
                "remove `read`, or remove `write_only` to show it to those roles",
            );
        }
        if raw.unique {
            c.at_key(
                &join_key(path, "unique"),
                "a write_only field cannot be unique",
                "a 409 on a duplicate would tell the caller that another row holds the value; remove `unique`",
            );
        }
    }
}

/// Fields `list:` may not name: `write_only` ones and those with `read:`
/// roles (filtering, sorting or searching by a hidden value reveals it)
/// and `read_only` ones (the
/// generated tests cannot give rows distinct values through the API).
fn unlistable_fields(c: &mut Checker, path: &str, r: &RawResource, fields: &[FieldPlan]) {
    let Some(list) = &r.list else { return };
    let lpath = join_key(path, "list");
    for (key, names) in [
        ("filter", &list.filter),
        ("sort", &list.sort),
        ("search", &list.search),
    ] {
        for (i, given) in names.iter().enumerate() {
            let name = names::snake(given);
            let Some(f) = fields.iter().find(|f| f.name == name) else {
                continue;
            };
            let at = format!("{}[{i}]", join_key(&lpath, key));
            if f.raw.write_only {
                c.at_value(
                    &at,
                    format!("write_only field `{name}` cannot be in `{key}`"),
                    "filtering, sorting or searching by a value responses never show would reveal it; remove it from the list",
                );
            } else if f.raw.read.is_some() {
                c.at_value(
                    &at,
                    format!("field `{name}` is shown only to some roles (`read:`), so it cannot be in `{key}`"),
                    "filtering, sorting or searching by it would let other callers probe its values; remove it from the list, or drop `read:`",
                );
            } else if f.raw.read_only {
                c.at_value(
                    &at,
                    format!("read_only field `{name}` cannot be in `{key}` in spec v1"),
                    "the generated tests cannot give rows distinct values of a field clients never send; list a field clients write",
                );
            }
        }
    }
}

/// Checks a resource's `example:`, the Create body shown in /docs: every
/// key a field clients may send or a relation's id, every value valid for
/// it, every required field and relation present. Returns the entries in
/// the JSON form the API takes.
fn resource_example(
    c: &mut Checker,
    path: &str,
    example: &indexmap::IndexMap<String, Yaml>,
    fields: &[FieldPlan],
    relations: &[RelationPlan],
    collections: &[RelationPlan],
) -> Vec<(String, Json)> {
    let epath = join_key(path, "example");
    let help = "the example is shown in /docs and sent as a request by the generated tests, so each value must be valid for its field";
    let mut allowed: Vec<String> = fields
        .iter()
        .filter(|f| !f.raw.read_only)
        .map(|f| f.name.clone())
        .collect();
    allowed.extend(relations.iter().map(|r| format!("{}_id", r.name)));
    let allowed_refs: Vec<&str> = allowed.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    for (key, value) in example {
        let kpath = join_key(&epath, key);
        if let Some(f) = fields.iter().find(|f| f.name == *key) {
            if f.raw.read_only {
                c.at_key(
                    &kpath,
                    format!("`{key}` is read_only: the server sets it, and a request that sends it is a 422"),
                    "remove it from the example",
                );
            } else if value.is_null() {
                if f.raw.nullable {
                    out.push((key.clone(), Json::Null));
                } else {
                    c.at_value(
                        &kpath,
                        format!("example value for `{key}` is null, but the field is not nullable"),
                        help,
                    );
                }
            } else {
                match check_value(f, value) {
                    Ok(v) => out.push((key.clone(), v)),
                    Err(why) => c.at_value(
                        &kpath,
                        format!("example value for `{key}` {}: {why}", show(value)),
                        help,
                    ),
                }
            }
        } else if let Some(rel) = relations.iter().find(|r| format!("{}_id", r.name) == *key) {
            match example_id(rel.target_id, value) {
                Some(id) => out.push((key.clone(), id)),
                None if value.is_null() && rel.nullable => out.push((key.clone(), Json::Null)),
                None => c.at_value(
                    &kpath,
                    format!("example value for `{key}` {} is not a row id", show(value)),
                    format!(
                        "write {}{}; the generated test replaces it with a row it creates",
                        match rel.target_id {
                            IdKind::Uuid =>
                                "a UUID in lower case (`123e4567-e89b-42d3-a456-426614174000`)",
                            _ => "a positive whole number",
                        },
                        if rel.nullable { " or null" } else { "" }
                    ),
                ),
            }
        } else if relations.iter().any(|r| r.name == *key) {
            c.at_key(
                &kpath,
                format!("`{key}` is a relation; a request sends its id"),
                format!("write `{key}_id: 1`"),
            );
        } else if let Some(rel) = collections
            .iter()
            .find(|r| r.name == *key || (r.kind == Kind::ManyToMany && ids_field(&r.name) == *key))
        {
            c.at_key(
                &kpath,
                format!("relation `{}` cannot be set in a resource example", rel.name),
                "give fields and many_to_one or one_to_one ids (`category_id`) only; links are made after the row exists",
            );
        } else if GENERATED_COLUMNS.contains(&key.as_str()) {
            c.at_key(
                &kpath,
                format!("`{key}` is set by the server, never by a request"),
                "remove it from the example",
            );
        } else {
            c.at_key(
                &kpath,
                format!("`{key}` is not a field or relation id of this resource"),
                allowed_help(key, &allowed_refs),
            );
        }
    }
    let mut missing: Vec<String> = fields
        .iter()
        .filter(|f| !f.raw.nullable && f.default.is_none() && !f.raw.read_only)
        .map(|f| f.name.clone())
        .collect();
    missing.extend(
        relations
            .iter()
            .filter(|r| !r.nullable)
            .map(|r| format!("{}_id", r.name)),
    );
    missing.retain(|name| !example.contains_key(name));
    if !missing.is_empty() {
        let quoted: Vec<String> = missing.iter().map(|m| format!("`{m}`")).collect();
        c.at_key(
            &epath,
            format!("the example leaves out required {}", quoted.join(", ")),
            "add them: a create request needs every field without `nullable` or a `default`, and every required relation's id",
        );
    }
    out
}

/// Class-like names the generated modules of a resource (models, schemas,
/// service, dependencies, router, tests, factories, `app/models.py`) import
/// or define, with where they come from. Neither an enum class nor a
/// resource's class may take one: it would shadow the import.
pub const TAKEN_CLASS_NAMES: &[(&str, &str)] = &[
    ("APIRouter", "fastapi"),
    ("ARRAY", "sqlalchemy"),
    ("Annotated", "typing"),
    ("Any", "typing"),
    ("AsyncClient", "httpx"),
    ("AsyncSession", "sqlalchemy.ext.asyncio"),
    ("AuthUser", "tests.helpers"),
    ("AwareDatetime", "pydantic"),
    ("Base", "app.database"),
    ("BaseModel", "pydantic"),
    ("BigInteger", "sqlalchemy"),
    ("Boolean", "sqlalchemy"),
    ("Column", "sqlalchemy"),
    ("ColumnElement", "sqlalchemy"),
    ("CommaList", "app.schemas"),
    ("ConfigDict", "pydantic"),
    ("Creator", "the resource's dependencies.py"),
    ("CurrentUser", "app.auth.dependencies"),
    ("CursorPage", "app.schemas"),
    ("CursorQuery", "app.schemas"),
    ("CursorSecret", "app.pagination"),
    ("Date", "sqlalchemy"),
    ("Decimal", "decimal"),
    ("Depends", "fastapi"),
    ("Double", "sqlalchemy"),
    ("EmailStr", "pydantic"),
    ("Enum", "sqlalchemy"),
    ("FastAPI", "fastapi"),
    ("Field", "pydantic"),
    ("FiniteFloat", "pydantic"),
    ("ForeignKey", "sqlalchemy"),
    ("HttpUrlStr", "app.schemas"),
    ("Id", "app.schemas"),
    ("IdPath", "app.schemas"),
    ("Index", "sqlalchemy"),
    ("InstrumentedAttribute", "sqlalchemy.orm"),
    ("Int32", "app.schemas"),
    ("Int64", "app.schemas"),
    ("Integer", "sqlalchemy"),
    ("JSON", "sqlalchemy"),
    ("JsonValue", "pydantic"),
    ("ListQuery", "app.schemas"),
    ("LocalTime", "app.schemas"),
    ("Mapped", "sqlalchemy.orm"),
    ("NotFoundError", "app.errors"),
    ("Numeric", "sqlalchemy"),
    ("OptionalUser", "app.auth.dependencies"),
    ("Page", "app.schemas"),
    ("Query", "fastapi"),
    ("ReadScope", "the resource's dependencies.py"),
    ("Rule", "app.auth.permissions"),
    ("SafeJson", "app.schemas"),
    ("SafeStr", "app.schemas"),
    ("Sequence", "collections.abc"),
    ("SessionDep", "app.database"),
    ("StrEnum", "enum"),
    ("String", "sqlalchemy"),
    ("TYPE_CHECKING", "typing"),
    ("Table", "sqlalchemy"),
    ("Text", "sqlalchemy"),
    ("Time", "sqlalchemy"),
    ("TimestampMixin", "app.database"),
    ("UTCDateTime", "app.database"),
    ("UUID", "uuid"),
    ("UniqueConstraint", "sqlalchemy"),
    ("User", "app.auth.models"),
    ("UtcDatetime", "app.schemas"),
    ("Uuid", "sqlalchemy"),
    ("BigId", "app.schemas"),
    ("BigIdPath", "app.schemas"),
    ("UuidPath", "app.schemas"),
];

/// The enum class for field `name` of resource `class`: the resource and
/// field names in PascalCase (`PostStatus`, distinct across the OpenAPI
/// schema), or the field's alone (`Status`) when the long form would not fit
/// on the model's declaration line and the short one is free in the module.
/// An example relation id as JSON, if `value` is an id of type `kind`:
/// a positive number in the key's range, or a UUID written as the API
/// returns it (lower case, with hyphens).
fn example_id(kind: IdKind, value: &Yaml) -> Option<Json> {
    match kind {
        IdKind::Int => value
            .as_i64()
            .filter(|id| (1..=types::INT32.1).contains(id))
            .map(Json::from),
        IdKind::BigInt => value.as_i64().filter(|id| *id >= 1).map(Json::from),
        IdKind::Uuid => {
            let uuid =
                Regex::new(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
                    .expect("static regex");
            value.as_str().filter(|s| uuid.is_match(s)).map(Json::from)
        }
    }
}

fn enum_class_name(class: &str, name: &str) -> String {
    let plain = names::pascal(name);
    let long = format!("{class}{plain}");
    // `    name: Mapped[Class | None] = mapped_column(` within 88 columns.
    let fits =
        4 + name.len() + "Mapped[ | None]".len() + long.len() + ": = mapped_column(".len() + 1
            <= python::LINE_LENGTH;
    let taken = TAKEN_CLASS_NAMES.iter().any(|(n, _)| *n == plain)
        || plain == class
        || ["Create", "Update", "Read", "Page", "ForRead", "ForWrite"]
            .iter()
            .any(|s| plain == format!("{class}{s}"));
    if fits || taken { long } else { plain }
}

fn show(v: &Yaml) -> String {
    serde_json::to_string(&yaml_to_json(v)).unwrap_or_else(|_| "?".to_owned())
}

fn yaml_to_json(v: &Yaml) -> Json {
    serde_json::to_value(v).unwrap_or(Json::Null)
}

/// Checks a default or example against the field's type and constraints;
/// returns it in the JSON form the API uses.
fn check_value(f: &FieldPlan, v: &Yaml) -> Result<Json, String> {
    let b = &f.bounds;
    let range = |x: f64| -> Result<(), String> {
        if b.min.is_some_and(|m| x < m) {
            return Err(format!("below `min` {}", b.min.unwrap_or_default()));
        }
        if b.max.is_some_and(|m| x > m) {
            return Err(format!("above `max` {}", b.max.unwrap_or_default()));
        }
        Ok(())
    };
    match f.row.ty {
        FieldType::String | FieldType::Text | FieldType::Email => {
            let s = v.as_str().ok_or("not a string")?;
            check_text(b, s)?;
            if f.row.ty == FieldType::Email && !looks_like_email(s) {
                return Err("not an email address".into());
            }
            Ok(Json::String(s.to_owned()))
        }
        FieldType::Int | FieldType::BigInt => {
            let n = v.as_i64().ok_or("not a whole number")?;
            range(n as f64)?;
            if f.row.ty == FieldType::Int && (n < types::INT32.0 || n > types::INT32.1) {
                return Err("does not fit a 32-bit int".into());
            }
            Ok(Json::from(n))
        }
        FieldType::Float => {
            let n = v.as_f64().ok_or("not a number")?;
            range(n)?;
            Ok(serde_json::Number::from_f64(n)
                .map(Json::Number)
                .ok_or("not finite")?)
        }
        FieldType::Decimal => {
            let text = match v {
                Yaml::Number(n) => n.to_string(),
                Yaml::String(s) => s.clone(),
                _ => return Err("not a number".into()),
            };
            let canonical = decimal_text(&text, b.precision, b.scale)?;
            range(canonical.parse::<f64>().map_err(|_| "not a number")?)?;
            Ok(Json::String(canonical))
        }
        FieldType::Bool => v
            .as_bool()
            .map(Json::Bool)
            .ok_or_else(|| "not true or false".into()),
        FieldType::Enum => {
            let s = v.as_str().ok_or("not a string")?;
            if b.values.iter().any(|x| x == s) {
                Ok(Json::String(s.to_owned()))
            } else {
                Err(format!("not one of the values [{}]", b.values.join(", ")))
            }
        }
        FieldType::Date => {
            let s = v.as_str().ok_or("not a string")?;
            let ok = Regex::new(r"^\d{4}-\d{2}-\d{2}$")
                .expect("static regex")
                .is_match(s);
            ok.then(|| Json::String(s.to_owned()))
                .ok_or_else(|| "not a date (YYYY-MM-DD)".into())
        }
        FieldType::DateTime => {
            let s = v.as_str().ok_or("not a string")?;
            let re =
                Regex::new(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
                    .expect("static regex");
            re.is_match(s)
                .then(|| Json::String(s.to_owned()))
                .ok_or_else(|| {
                    "not an ISO 8601 date-time with a UTC offset (like 2024-01-31T12:00:00Z)".into()
                })
        }
        FieldType::Uuid => {
            let s = v.as_str().ok_or("not a string")?;
            let re = Regex::new(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
                .expect("static regex");
            re.is_match(s)
                .then(|| Json::String(s.to_owned()))
                .ok_or_else(|| "not a lowercase UUID".into())
        }
        FieldType::Json => Ok(yaml_to_json(v)),
        FieldType::Time => {
            let s = v.as_str().ok_or("not a string")?;
            time_text(s).ok_or_else(|| {
                "not a time of day like 09:30:00 (HH:MM[:SS[.ffffff]], without a UTC offset)".into()
            })
        }
        FieldType::Url => {
            let s = v.as_str().ok_or("not a string")?;
            check_url(s)?;
            Ok(Json::String(s.to_owned()))
        }
        FieldType::StringArray => {
            let items = v.as_sequence().ok_or("not a list")?;
            let strings = items
                .iter()
                .map(|item| {
                    item.as_str()
                        .map(|s| Json::String(s.to_owned()))
                        .ok_or_else(|| format!("item {} is not a string", show(item)))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Json::Array(strings))
        }
        FieldType::IntArray => {
            let items = v.as_sequence().ok_or("not a list")?;
            let ints = items
                .iter()
                .map(|item| match item.as_i64() {
                    Some(n) if (types::INT32.0..=types::INT32.1).contains(&n) => Ok(Json::from(n)),
                    _ => Err(format!("item {} is not a 32-bit whole number", show(item))),
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Json::Array(ints))
        }
    }
}

/// A time of day in the form the API returns it (`09:30:00`, or with six
/// digits of microseconds when they are not zero), or None when `s` is not
/// `HH:MM`, `HH:MM:SS` or `HH:MM:SS.f` (1 to 6 digits) without an offset.
fn time_text(s: &str) -> Option<Json> {
    let re = Regex::new(r"^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d)(?:\.(\d{1,6}))?)?$")
        .expect("static regex");
    let caps = re.captures(s)?;
    let seconds = caps.get(3).map_or("00", |m| m.as_str());
    let micros = caps
        .get(4)
        .map_or(String::new(), |m| format!("{:0<6}", m.as_str()));
    let fraction = if micros.is_empty() || micros == "000000" {
        String::new()
    } else {
        format!(".{micros}")
    };
    Some(Json::String(format!(
        "{}:{}:{seconds}{fraction}",
        &caps[1], &caps[2]
    )))
}

/// Checks that `s` is an http or https URL written exactly as the API
/// returns it once Pydantic has normalized it, so that examples and
/// defaults round-trip: lowercase scheme and host (a domain name or a
/// dotted IPv4 address), no user info, no default port, a path (at least
/// `/`) without `.` or `..` segments, and no character a URL must
/// percent-encode.
fn check_url(s: &str) -> Result<(), String> {
    let unreserved = r"A-Za-z0-9._~!$&()*+,;=:@%\-";
    let re = Regex::new(&format!(
        r"^(https?)://([a-z0-9-]+(?:\.[a-z0-9-]+)*)(?::(\d+))?(/[{unreserved}'/]*)(\?[{unreserved}/?]*)?(#[{unreserved}'/?]*)?$"
    ))
    .expect("static regex");
    let form = "write it as the API returns it, like `https://example.com/` (lowercase scheme and host, a path, no default port, no user info)";
    if s.len() as u64 > types::MAX_URL {
        return Err(format!("longer than {} characters", types::MAX_URL));
    }
    let caps = re
        .captures(s)
        .ok_or_else(|| format!("not an http or https URL in canonical form; {form}"))?;
    let host = &caps[2];
    let labels: Vec<&str> = host.split('.').collect();
    let numeric = labels
        .last()
        .is_some_and(|l| l.chars().all(|c| c.is_ascii_digit()));
    if numeric {
        let octet = |l: &&str| l.parse::<u8>().is_ok() && (l.len() == 1 || !l.starts_with('0'));
        if labels.len() != 4 || !labels.iter().all(octet) {
            return Err(format!(
                "host `{host}` is neither a domain name nor an IPv4 address"
            ));
        }
    }
    if let Some(port) = caps.get(3).map(|m| m.as_str()) {
        let default = if &caps[1] == "http" { "80" } else { "443" };
        if port == default || port.starts_with('0') || port.parse::<u16>().is_err() {
            return Err(format!(
                "port `{port}` is the default or out of range; {form}"
            ));
        }
    }
    let dotted = caps[4].split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase().replace("%2e", ".");
        segment == "." || segment == ".."
    });
    if dotted {
        return Err(format!("the path has `.` or `..` segments; {form}"));
    }
    Ok(())
}

fn check_text(b: &Bounds, s: &str) -> Result<(), String> {
    let len = s.chars().count() as u64;
    if b.min_length.is_some_and(|m| len < m) {
        return Err(format!(
            "shorter than `min_length` {}",
            b.min_length.unwrap_or_default()
        ));
    }
    if b.max_length.is_some_and(|m| len > m) {
        return Err(format!(
            "longer than `max_length` {}",
            b.max_length.unwrap_or_default()
        ));
    }
    if let Some(re) = &b.pattern {
        if !re.is_match(s) {
            return Err(format!("does not match `pattern` {}", re.as_str()));
        }
    }
    Ok(())
}

fn looks_like_email(s: &str) -> bool {
    Regex::new(r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}$")
        .expect("static regex")
        .is_match(s)
}

/// A decimal in canonical text with exactly `scale` digits after the point,
/// or why it does not fit `precision`/`scale`.
fn decimal_text(text: &str, precision: u32, scale: u32) -> Result<String, String> {
    let re = Regex::new(r"^(-?)(\d+)(?:\.(\d+))?$").expect("static regex");
    let caps = re.captures(text.trim()).ok_or("not a decimal number")?;
    let sign = &caps[1];
    let whole = caps[2].trim_start_matches('0');
    let frac = caps.get(3).map_or("", |m| m.as_str()).trim_end_matches('0');
    if frac.len() > scale as usize {
        return Err(format!(
            "more than {scale} digits after the point (`scale`)"
        ));
    }
    if whole.len() > (precision - scale) as usize {
        return Err(format!(
            "more than {} digits before the point (`precision` - `scale`)",
            precision - scale
        ));
    }
    let whole = if whole.is_empty() { "0" } else { whole };
    Ok(if scale == 0 {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{frac:0<width$}", width = scale as usize)
    })
}

/// What a relation is, once its `kind` is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    ManyToOne,
    OneToOne,
    OneToMany,
    ManyToMany,
}

impl Kind {
    fn parse(word: &str) -> Option<Kind> {
        Some(match word {
            "many_to_one" => Kind::ManyToOne,
            "one_to_one" => Kind::OneToOne,
            "one_to_many" => Kind::OneToMany,
            "many_to_many" => Kind::ManyToMany,
            _ => return None,
        })
    }

    /// The relation is a foreign key of this resource's table.
    fn has_column(self) -> bool {
        matches!(self, Kind::ManyToOne | Kind::OneToOne)
    }
}

/// The JSON field of a many-to-many relation's ids (`tags` → `tag_ids`).
fn ids_field(name: &str) -> String {
    format!(
        "{}_ids",
        names::singular(name).unwrap_or_else(|| name.to_owned())
    )
}

/// The `many_to_one` relations of resource `target` (by class) that point
/// at class `parent`, by normalized name.
fn back_candidates(spec: &crate::spec::RawSpec, target: &str, parent: &str) -> Vec<String> {
    spec.resources
        .iter()
        .filter(|(k, _)| names::pascal(k) == target)
        .flat_map(|(_, r)| &r.relations)
        .filter(|(_, rel)| rel.kind == "many_to_one" && names::pascal(&rel.to) == parent)
        .map(|(k, _)| names::snake(k))
        .collect()
}

/// The target relation a `one_to_many` is the inverse of: `via`, or the only
/// candidate. Errors: (message, help).
fn resolve_via(
    candidates: &[String],
    via: Option<&str>,
    parent: &str,
    target: &str,
) -> Result<String, (String, String)> {
    match via {
        Some(v) if candidates.contains(&names::snake(v)) => Ok(names::snake(v)),
        Some(v) => Err((
            format!("`{target}` has no many_to_one relation `{v}` to `{parent}`"),
            if candidates.is_empty() {
                format!(
                    "add one to `{target}`, like `{}: {{kind: many_to_one, to: {parent}}}`",
                    names::snake(parent)
                )
            } else {
                let known: Vec<&str> = candidates.iter().map(String::as_str).collect();
                allowed_help(v, &known)
            },
        )),
        None => match candidates {
            [one] => Ok(one.clone()),
            [] => Err((
                format!(
                    "a one_to_many needs its inverse: `{target}` has no many_to_one relation to `{parent}`"
                ),
                format!(
                    "add one to `{target}`, like `{}: {{kind: many_to_one, to: {parent}}}`",
                    names::snake(parent)
                ),
            )),
            several => Err((
                format!(
                    "`{target}` has several many_to_one relations to `{parent}` ({})",
                    several.join(", ")
                ),
                "say which one this is the inverse of with `via:`".to_owned(),
            )),
        },
    }
}

/// What the relations of every resource imply for the other side: the
/// lists under parent rows each resource serves, and the `back_populates`
/// of the many-to-one relations that a one-to-many inverts. Computed before
/// any resource is built; invalid relations are skipped here and reported
/// by [`relation`].
#[derive(Default)]
struct Inverses {
    /// Listed class → lists of its rows under a parent.
    nested: BTreeMap<String, Vec<crate::model::NestedList>>,
    /// (class, many-to-one name) → the one-to-many relation inverting it.
    back_populates: BTreeMap<(String, String), String>,
    /// (target, parent) class pairs of one-to-many relations whose target
    /// has several many-to-one relations to the parent (the relationship
    /// then names its foreign key).
    ambiguous: BTreeSet<(String, String)>,
}

fn inverses(spec: &crate::spec::RawSpec, catalog: &Catalog) -> Inverses {
    let mut out = Inverses::default();
    for (key, r) in &spec.resources {
        let parent = names::pascal(key);
        let Some((parent_snake, parent_table, _)) = catalog.by_class.get(&parent) else {
            continue;
        };
        for (rkey, rel) in &r.relations {
            let kind = Kind::parse(&rel.kind);
            if !matches!(kind, Some(Kind::OneToMany | Kind::ManyToMany)) {
                continue;
            }
            let target = names::pascal(&rel.to);
            if !catalog.by_class.contains_key(&target) {
                continue;
            }
            let name = names::snake(rkey);
            if kind == Some(Kind::OneToMany) {
                let candidates = back_candidates(spec, &target, &parent);
                let Ok(via) = resolve_via(&candidates, rel.via.as_deref(), &parent, &target) else {
                    continue;
                };
                if candidates.len() > 1 {
                    out.ambiguous.insert((target.clone(), parent.clone()));
                }
                out.back_populates
                    .insert((target.clone(), via), name.clone());
            } else if target == parent {
                continue;
            }
            let service = if target == parent {
                "service".to_owned()
            } else {
                format!("{parent_snake}_service")
            };
            out.nested
                .entry(target)
                .or_default()
                .push(crate::model::NestedList {
                    path: format!(
                        "/{}/{{{parent_snake}_id}}/{}",
                        names::kebab(parent_table),
                        names::kebab(&name)
                    ),
                    function: format!("list_{name}_of_{parent_snake}"),
                    parent_class: parent.clone(),
                    parent_snake: parent_snake.clone(),
                    where_call: format!("{service}.{name}_of({parent_snake})"),
                    summary: format!(
                        "List the {} of a {}",
                        names::words(&name).to_lowercase(),
                        names::words(parent_snake).to_lowercase()
                    ),
                });
        }
    }
    out
}

/// A relation after its checks.
struct RelationPlan {
    kind: Kind,
    name: String,
    target_class: String,
    target_module: String,
    target_table: String,
    target_snake: Option<String>,
    target_owned: bool,
    /// The target resource has `soft_delete`: its deleted rows count as missing.
    target_soft: bool,
    /// The type of the target's `id`, so of the foreign key.
    target_id: IdKind,
    nullable: bool,
    on_delete: &'static str,
    description: Option<String>,
    /// One-to-many: the target's many-to-one relation this one inverts.
    via: Option<String>,
}

fn relation(
    c: &mut Checker,
    path: &str,
    name: &str,
    raw: &RawRelation,
    catalog: &Catalog,
    class: &str,
) -> Option<RelationPlan> {
    let before = c.problems.len();
    let kind = Kind::parse(&raw.kind);
    if kind.is_none() {
        c.at_value(
            &join_key(path, "kind"),
            format!("unknown relation kind `{}`", raw.kind),
            allowed_help(&raw.kind, RELATION_KINDS),
        );
    }
    let kind = kind.unwrap_or(Kind::ManyToOne);
    let to_class = names::pascal(&raw.to);
    let (target_module, target_table, target_snake, target_owned) = if to_class == "User" {
        (
            "app.auth.models".to_owned(),
            "users".to_owned(),
            None,
            false,
        )
    } else if let Some((snake, table, owned)) = catalog.by_class.get(&to_class) {
        (
            format!("app.{snake}.models"),
            table.clone(),
            Some(snake.clone()),
            *owned,
        )
    } else if catalog.rejected.contains(&to_class) {
        // The target itself was reported; one message is enough.
        (String::new(), String::new(), None, false)
    } else {
        let known: Vec<&str> = catalog
            .by_class
            .keys()
            .map(String::as_str)
            .chain(["User"])
            .collect();
        c.at_value(
            &join_key(path, "to"),
            format!("relation target `{}` is not a resource", raw.to),
            allowed_help(&raw.to, &known),
        );
        (String::new(), String::new(), None, false)
    };
    let on_delete = match raw.on_delete.as_deref() {
        None if raw.nullable => "SET NULL",
        None => "RESTRICT",
        Some(given) => match ON_DELETE.iter().find(|(k, _)| *k == given) {
            Some((_, sql)) => sql,
            None => {
                let allowed: Vec<&str> = ON_DELETE.iter().map(|(k, _)| *k).collect();
                c.at_value(
                    &join_key(path, "on_delete"),
                    format!("unknown `on_delete` `{given}`"),
                    allowed_help(given, &allowed),
                );
                "RESTRICT"
            }
        },
    };
    if on_delete == "SET NULL" && !raw.nullable {
        c.at_value(
            &join_key(path, "on_delete"),
            "`on_delete: set_null` needs `nullable: true`",
            "add `nullable: true`, or use `cascade` or `restrict`",
        );
    }
    if to_class == class && !raw.nullable && kind.has_column() {
        c.at_key(
            path,
            format!("relation `{name}` points at its own resource but is required: the first row could never be created"),
            "add `nullable: true`",
        );
    }
    let mut via = None;
    if kind.has_column() {
        if raw.via.is_some() {
            c.at_key(
                &join_key(path, "via"),
                format!("`via` belongs to a one_to_many, not a {}", raw.kind),
                "remove it",
            );
        }
        if kind == Kind::OneToOne && to_class == "User" {
            c.at_value(
                &join_key(path, "to"),
                "a one_to_one to the built-in User is not supported",
                "put per-user data in `auth.user_fields`, or use `many_to_one` (a user may then have several rows)",
            );
        }
    } else {
        let word = &raw.kind;
        if to_class == "User" {
            c.at_value(
                &join_key(path, "to"),
                format!("a {word} to the built-in User is not supported"),
                "declare `many_to_one` to User on the other resource instead (for example `author: {kind: many_to_one, to: User}`) and filter its list by that id",
            );
        }
        if raw.nullable {
            c.at_key(
                &join_key(path, "nullable"),
                format!("`nullable` applies to foreign keys, and a {word} has none here"),
                "remove it; for a one_to_many, set it on the target's many_to_one",
            );
        }
        if raw.on_delete.is_some() {
            c.at_key(
                &join_key(path, "on_delete"),
                format!("`on_delete` applies to foreign keys, and a {word} has none here"),
                if kind == Kind::OneToMany {
                    "set it on the target's many_to_one"
                } else {
                    "remove it: deleting either row always removes their links"
                },
            );
        }
        if kind == Kind::ManyToMany && to_class == class {
            c.at_key(
                path,
                "a many_to_many to its own resource is not supported yet",
                format!("declare a linking resource with two many_to_one relations to `{class}`"),
            );
        }
        if kind == Kind::OneToMany && catalog.by_class.contains_key(&to_class) {
            let candidates = back_candidates(&c.spec.raw, &to_class, class);
            match resolve_via(&candidates, raw.via.as_deref(), class, &to_class) {
                Ok(v) => via = Some(v),
                Err((message, help)) => {
                    let at = if raw.via.is_some() {
                        join_key(path, "via")
                    } else {
                        path.to_owned()
                    };
                    c.at_key(&at, message, help);
                }
            }
        } else if raw.via.is_some() && kind == Kind::ManyToMany {
            c.at_key(
                &join_key(path, "via"),
                "`via` belongs to a one_to_many, not a many_to_many",
                "remove it",
            );
        }
    }
    let target_soft = catalog.soft_deleted.contains(&to_class);
    let target_id = catalog.ids.get(&to_class).copied().unwrap_or_default();
    (c.problems.len() == before).then(|| RelationPlan {
        target_id,
        kind,
        via,
        name: name.to_owned(),
        target_class: to_class,
        target_module,
        target_table,
        target_snake,
        target_owned,
        target_soft,
        nullable: raw.nullable,
        on_delete,
        description: raw.description.clone(),
    })
}

/// Required relations may not form a cycle: no row of the cycle could be created first.
fn required_cycles(c: &mut Checker, resolved: &[Resolved]) {
    let graph: BTreeMap<&str, Vec<&str>> = resolved
        .iter()
        .map(|r| {
            (
                r.resource.class_name.as_str(),
                r.required_targets.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    for start in graph.keys() {
        let mut stack = vec![(*start, vec![*start])];
        while let Some((node, trail)) = stack.pop() {
            for next in graph.get(node).into_iter().flatten() {
                if next == start {
                    if trail.iter().min() == Some(start) {
                        let cycle = trail
                            .iter()
                            .chain([start])
                            .copied()
                            .collect::<Vec<_>>()
                            .join(" -> ");
                        let path = join_key(&join_key("resources", start), "relations");
                        c.at_key(
                            &path,
                            format!("required relations form a cycle ({cycle}): no row could be created first"),
                            "make one relation of the cycle `nullable: true`",
                        );
                    }
                } else if !trail.contains(next) {
                    let mut t = trail.clone();
                    t.push(next);
                    stack.push((next, t));
                }
            }
        }
    }
}

/// A resource can create only as many distinct sample rows as its required parents can.
fn propagate_capacity(resolved: &mut [Resolved]) {
    for _ in 0..resolved.len() {
        let caps: HashMap<String, usize> = resolved
            .iter()
            .map(|r| (r.resource.class_name.clone(), r.capacity))
            .collect();
        for r in resolved.iter_mut() {
            for t in &r.required_targets {
                if let Some(cap) = caps.get(t) {
                    r.capacity = r.capacity.min(*cap);
                }
            }
        }
    }
}

/// Fills in the test factories of required parents, once every resource is known.
fn finish_tests(resolved: &mut [Resolved]) {
    // The default role creates the rows of a resource in the tests when it
    // may create them and, transitively, their required parents.
    let mut creatable: BTreeMap<String, bool> = resolved
        .iter()
        .map(|r| {
            (
                r.resource.class_name.clone(),
                r.resource.create.member == "all",
            )
        })
        .collect();
    for _ in 0..resolved.len() {
        for r in resolved.iter() {
            let parents_ok = r
                .required_targets
                .iter()
                .all(|t| creatable.get(t).copied().unwrap_or(true));
            if !parents_ok {
                creatable.insert(r.resource.class_name.clone(), false);
            }
        }
    }
    // Another user's view of a nested list: tested when the default role
    // creates (and, for links, may link) rows on both sides.
    let access: BTreeMap<String, (bool, String)> = resolved
        .iter()
        .map(|r| {
            (
                r.resource.class_name.clone(),
                (
                    creatable[&r.resource.class_name],
                    r.resource.read.member.clone(),
                ),
            )
        })
        .collect();
    for r in resolved.iter_mut() {
        let (parent_member, parent_read) = access[&r.resource.class_name].clone();
        let may_link = r.resource.update.member != "none";
        for c in r.resource.collections.iter_mut() {
            let (child_member, child_read) = access[&c.target_class].clone();
            if !(parent_member && child_member) || (c.many_to_many && !may_link) {
                continue;
            }
            let check = match (parent_read.as_str(), child_read.as_str()) {
                ("none", _) | (_, "none") => "assert_problem(response, 403)",
                ("own", _) => "assert_problem(response, 404)",
                (_, "own") => "assert response.json()[\"items\"] == []",
                _ => {
                    "assert [row[\"id\"] for row in response.json()[\"items\"]] == [child[\"id\"]]"
                }
            };
            if c.many_to_many || check.contains("child") {
                c.child_binding = "child = ".to_owned();
            }
            c.other_user_check = Some(check.to_owned());
        }
    }
    for r in resolved.iter_mut() {
        r.resource
            .tests
            .samples
            .truncate(r.capacity.clamp(2, SAMPLES));
        number_example_refs(r);
        r.resource.tests.rows = r.capacity.clamp(2, 3);
        let member = creatable[&r.resource.class_name];
        let actor = |access: &Access| {
            if member && access.member != "none" {
                "member"
            } else {
                "admin"
            }
            .to_owned()
        };
        let t = &mut r.resource.tests;
        t.creator = if member { "member" } else { "admin" }.to_owned();
        t.reader = actor(&r.resource.read);
        t.updater = actor(&r.resource.update);
        t.deleter = actor(&r.resource.delete);
    }
}

/// Picks the sample number of each row the /docs example test creates for
/// its relation ids: distinct numbers, so that rows of one target (and
/// their own parents) differ, and for a reference to the resource itself
/// never a sample whose unique values the example uses (a 409).
fn number_example_refs(r: &mut Resolved) {
    let count = r.resource.tests.samples.len().max(1);
    let class = r.resource.class_name.clone();
    let clashes = |n: usize| {
        r.example_uniques.iter().any(|(value, samples)| {
            !samples.is_empty() && samples[(n % count) % samples.len()] == *value
        })
    };
    let mut next = 0;
    let mut numbers = Vec::new();
    for target in &r.example_targets {
        let mut n = next;
        if *target == class {
            n = (next..next + count).find(|n| !clashes(*n)).unwrap_or(next);
        }
        numbers.push(n);
        next = n + 1;
    }
    for (e, n) in r.resource.tests.example_refs.iter_mut().zip(numbers) {
        e.n = n;
    }
}

/// Orders tables so that every foreign key points at a table created before
/// it, `users` first, and checks that no two constraints or indexes get the
/// same name (PostgreSQL and SQLite keep index names per schema). Names
/// longer than PostgreSQL's limit are shortened by `schema::names::fit`.
fn tables(resolved: &[Resolved], user_columns: &[schema::Column], c: &mut Checker) -> Schema {
    let mut out = schema::builtin_tables(user_columns);
    let mut identifiers: BTreeMap<String, String> = out
        .iter()
        .flat_map(|t| t.identifiers().into_iter().map(|n| (n, t.name.clone())))
        .collect();
    let mut done: BTreeSet<String> = out.iter().map(|t| t.name.clone()).collect();
    let mut pending: Vec<&Resolved> = resolved.iter().collect();
    while !pending.is_empty() {
        let ready = pending.iter().position(|r| {
            r.target_tables
                .iter()
                .all(|t| done.contains(t) || *t == r.resource.table)
        });
        match ready {
            Some(i) => {
                let r = pending.remove(i);
                done.insert(r.resource.table.clone());
                for name in r.table.identifiers() {
                    if let Some(table) = identifiers.get(&name) {
                        c.at_key(
                            &join_key("resources", &r.key),
                            format!("two constraints or indexes would both be named `{name}` (one on table `{table}`)"),
                            "names join the table and column names with `_`; rename a field, a relation or a `plural` so that they differ",
                        );
                    } else {
                        identifiers.insert(name, r.table.name.clone());
                    }
                }
                out.push(r.table.clone());
            }
            None => {
                let names: Vec<&str> = pending
                    .iter()
                    .map(|r| r.resource.class_name.as_str())
                    .collect();
                c.at_key(
                    &join_key("resources", &pending[0].key),
                    format!("relations between {} form a cycle of tables", names.join(", ")),
                    "spec v1 creates tables in dependency order and cannot create tables that refer to each other; remove one relation of the cycle",
                );
                break;
            }
        }
    }
    // Association tables last: they refer to two tables created before.
    for r in resolved {
        for t in &r.extra_tables {
            if done.contains(&t.name) {
                c.at_key(
                    &join_key("resources", &r.key),
                    format!(
                        "a many_to_many needs table `{}`, which another table already is",
                        t.name
                    ),
                    "rename the relation or the other resource (its `plural`)",
                );
                continue;
            }
            for name in t.identifiers() {
                if let Some(table) = identifiers.get(&name) {
                    c.at_key(
                        &join_key("resources", &r.key),
                        format!("two constraints or indexes would both be named `{name}` (one on table `{table}`)"),
                        "rename the relation or a `plural` so that they differ",
                    );
                } else {
                    identifiers.insert(name, t.name.clone());
                }
            }
            done.insert(t.name.clone());
            out.push(t.clone());
        }
    }
    Schema { tables: out }
}

/// A default as a SQL literal, for backfills and `server_default`.
fn sql_default(v: &Json) -> String {
    match v {
        Json::String(s) => schema::sql_string(s),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        other => schema::sql_string(&other.to_string()),
    }
}

/// Distinct valid values of a field for the generated tests, best first:
/// the example, then values derived from the type and its bounds.
fn samples(c: &mut Checker, path: &str, f: &FieldPlan) -> Vec<Json> {
    let words = names::words(&f.name);
    let mut candidates: Vec<Yaml> = Vec::new();
    if let Some(e) = &f.raw.example {
        candidates.push(e.clone());
    }
    let ty = f.row.ty;
    match ty {
        FieldType::String | FieldType::Text => {
            let bases: Vec<String> = match f.raw.example.as_ref().and_then(Yaml::as_str) {
                Some(e) => vec![e.to_owned(), words.clone(), f.name.replace('_', "-")],
                None => vec![
                    words.clone(),
                    f.name.replace('_', "-"),
                    f.name.replace('_', ""),
                ],
            };
            for n in 1..=SAMPLES + 2 {
                for base in &bases {
                    for s in [
                        format!("{base} {n}"),
                        format!("{base}-{n}"),
                        format!("{base}{n}"),
                    ] {
                        candidates.push(Yaml::String(fit_length(&f.bounds, &s)));
                    }
                }
                candidates.push(Yaml::String(fit_length(&f.bounds, &n.to_string())));
                candidates.push(Yaml::String(fit_length(&f.bounds, &"abcdefgh"[..n.min(8)])));
            }
        }
        FieldType::Int | FieldType::BigInt | FieldType::Float | FieldType::Decimal => {
            let step = if ty == FieldType::Float { 0.5 } else { 1.0 };
            let frac = if ty == FieldType::Decimal && f.bounds.scale > 0 {
                0.25
            } else {
                0.0
            };
            let mut nums = Vec::new();
            for n in 0..SAMPLES + 2 {
                nums.push(1.0 + n as f64 + frac + if ty == FieldType::Float { 0.5 } else { 0.0 });
            }
            for anchor in [f.bounds.min, f.bounds.max].into_iter().flatten() {
                for n in 0..SAMPLES + 2 {
                    nums.push(anchor + step * n as f64);
                    nums.push(anchor - step * n as f64);
                }
            }
            for x in nums {
                let v = match ty {
                    FieldType::Int | FieldType::BigInt => Yaml::Number((x.round() as i64).into()),
                    FieldType::Decimal => Yaml::String(format!("{x:.*}", f.bounds.scale as usize)),
                    _ => Yaml::Number(x.into()),
                };
                candidates.push(v);
            }
        }
        FieldType::Enum => {
            if let Some(d) = &f.raw.default {
                candidates.push(d.clone());
            }
            candidates.extend(f.bounds.values.iter().map(|v| Yaml::String(v.clone())));
        }
        _ => {
            for n in 0..SAMPLES {
                candidates.push(
                    serde_yaml::to_value(types::base_sample(ty, &f.name, n)).unwrap_or(Yaml::Null),
                );
            }
        }
    }
    let mut out: Vec<Json> = Vec::new();
    for cand in &candidates {
        if let Ok(v) = check_value(f, cand) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
        if out.len() == SAMPLES {
            break;
        }
    }
    if out.is_empty() || (f.raw.unique && out.len() < 2) {
        let message = if f.raw.unique && !out.is_empty() && ty == FieldType::Enum {
            "a unique enum with a single value allows only one row".to_owned()
        } else {
            format!(
                "gen cannot derive {} for field `{}`",
                if f.raw.unique {
                    "two distinct valid test values"
                } else {
                    "a valid test value"
                },
                f.name
            )
        };
        let help = if ty == FieldType::Enum {
            "add values, or drop `unique`".to_owned()
        } else {
            "add an `example:` that satisfies the field's constraints; the generated tests build their rows from it".to_owned()
        };
        c.at_key(path, message, help);
    }
    out
}

/// Pads a sample with `x` up to `min_length` and keeps its last
/// `max_length` characters (the distinguishing suffix).
fn fit_length(b: &Bounds, s: &str) -> String {
    let mut s = s.to_owned();
    if let Some(min) = b.min_length {
        while (s.chars().count() as u64) < min {
            s.push('x');
        }
    }
    if let Some(max) = b.max_length {
        let len = s.chars().count();
        if len as u64 > max {
            s = s.chars().skip(len - max as usize).collect();
        }
    }
    s
}

/// Values the create endpoint must reject with 422: `(case id, value)`,
/// `None` meaning "leave the key out".
/// Values exactly at each bound of a field (its own `min`/`max`,
/// `min_length`/`max_length`, decimal digits, or the column's integer
/// range), which a create must accept: (case, Python literal, how the test
/// compares the value returned: `exact` or `decimal`).
fn boundary_values(f: &FieldPlan) -> Vec<(String, String, &'static str)> {
    let b = &f.bounds;
    let mut out = Vec::new();
    match f.row.ty {
        FieldType::String | FieldType::Text => {
            let fits = |s: &str| b.pattern.as_ref().is_none_or(|re| re.is_match(s));
            for (case, len) in [("max-length", b.max_length), ("min-length", b.min_length)] {
                if let Some(len) = len.filter(|l| *l > 0 && *l <= 10_000) {
                    let s = "x".repeat(len as usize);
                    if fits(&s) {
                        out.push((case.to_owned(), format!("\"x\" * {len}"), "exact"));
                    }
                }
            }
        }
        FieldType::Int | FieldType::BigInt => {
            let (lo, hi) = if f.row.ty == FieldType::Int {
                types::INT32
            } else {
                types::INT64
            };
            let lo = b.min.map_or(lo as i128, |m| m.ceil() as i128);
            let hi = b.max.map_or(hi as i128, |m| m.floor() as i128);
            out.push(("lowest".to_owned(), lo.to_string(), "exact"));
            out.push(("highest".to_owned(), hi.to_string(), "exact"));
        }
        FieldType::Float => {
            for (case, bound) in [("min", b.min), ("max", b.max)] {
                if let Some(x) = bound {
                    out.push((case.to_owned(), format!("{x:?}"), "exact"));
                }
            }
        }
        FieldType::Decimal => {
            let widest = format!(
                "{}{}{}",
                "9".repeat((b.precision - b.scale).max(1) as usize),
                if b.scale > 0 { "." } else { "" },
                "9".repeat(b.scale as usize)
            );
            let limit: f64 = widest.parse().unwrap_or(f64::MAX);
            let scaled = |x: f64| format!("{x:.*}", b.scale as usize);
            let hi = match b.max {
                Some(m) if m < limit => scaled(m),
                _ => widest.clone(),
            };
            let lo = match b.min {
                Some(m) if m > -limit => scaled(m),
                _ => format!("-{widest}"),
            };
            for (case, text) in [("lowest", lo), ("highest", hi)] {
                out.push((case.to_owned(), python::string(&text), "decimal"));
            }
        }
        _ => {}
    }
    out
}

fn invalid_values(f: &FieldPlan) -> Vec<(String, Option<String>)> {
    let b = &f.bounds;
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    if !f.raw.nullable && f.default.is_none() {
        out.push(("missing".into(), None));
    }
    let num = |x: f64, ty: FieldType| -> String {
        match ty {
            FieldType::Int | FieldType::BigInt => format!("{}", x as i128),
            FieldType::Decimal => python::string(&format!("{x}")),
            _ => format!("{x:?}"),
        }
    };
    match f.row.ty {
        FieldType::String | FieldType::Text => {
            if let Some(max) = b.max_length {
                out.push(("too-long".into(), Some(format!("\"x\" * {}", max + 1))));
            }
            if let Some(min) = b.min_length.filter(|m| *m > 0) {
                out.push((
                    "too-short".into(),
                    Some(python::string(&"x".repeat(min as usize - 1))),
                ));
            }
            if let Some(re) = &b.pattern {
                let within = |s: &str| {
                    let len = s.chars().count() as u64;
                    b.min_length.is_none_or(|m| len >= m) && b.max_length.is_none_or(|m| len <= m)
                };
                let bad = [
                    "!",
                    "not valid!",
                    "NOT VALID",
                    " ",
                    "x",
                    "0",
                    "-",
                    "!!!!!!!!!!!!!!!!",
                ]
                .iter()
                .map(|s| (*s).to_owned())
                .chain(b.min_length.map(|m| "!".repeat(m as usize)))
                .find(|s| !re.is_match(s) && within(s));
                if let Some(s) = bad {
                    out.push(("pattern".into(), Some(python::string(&s))));
                }
            }
            out.push((
                "wrong-type".into(),
                Some("[\"not\", \"a\", \"string\"]".into()),
            ));
        }
        FieldType::Int | FieldType::BigInt | FieldType::Float | FieldType::Decimal => {
            let ty = f.row.ty;
            let step = match ty {
                FieldType::Int | FieldType::BigInt => 1.0,
                FieldType::Decimal => 10f64.powi(-(b.scale as i32)),
                _ => 0.5,
            };
            match (b.min, ty) {
                (Some(min), _) if ty != FieldType::BigInt || min > types::INT64.0 as f64 => {
                    out.push(("below-min".into(), Some(num(min - step, ty))));
                }
                (None, FieldType::Int) => out.push((
                    "below-int32".into(),
                    Some(num(types::INT32.0 as f64 - 1.0, ty)),
                )),
                _ => {}
            }
            match (b.max, ty) {
                (Some(max), _) if ty != FieldType::BigInt || max < types::INT64.1 as f64 => {
                    out.push(("above-max".into(), Some(num(max + step, ty))));
                }
                (None, FieldType::Int) => out.push((
                    "above-int32".into(),
                    Some(num(types::INT32.1 as f64 + 1.0, ty)),
                )),
                (None, FieldType::BigInt) => out.push(("above-int64".into(), Some("2**63".into()))),
                _ => {}
            }
            if ty == FieldType::Decimal {
                out.push((
                    "too-many-digits".into(),
                    Some(python::string(
                        &"9".repeat((b.precision - b.scale + 1) as usize),
                    )),
                ));
                out.push((
                    "too-many-decimals".into(),
                    Some(python::string(&format!(
                        "0.{}1",
                        "0".repeat(b.scale as usize)
                    ))),
                ));
            }
            out.push(("wrong-type".into(), Some("\"not a number\"".into())));
        }
        FieldType::Bool => out.push(("wrong-type".into(), Some("\"not a bool\"".into()))),
        FieldType::Date => out.push(("wrong-type".into(), Some("\"not a date\"".into()))),
        FieldType::DateTime => {
            out.push(("wrong-type".into(), Some("\"not a datetime\"".into())));
            out.push(("naive".into(), Some("\"2024-01-01T12:00:00\"".into())));
        }
        FieldType::Uuid => out.push(("wrong-type".into(), Some("\"not-a-uuid\"".into()))),
        FieldType::Email => out.push(("not-an-email".into(), Some("\"not-an-email\"".into()))),
        FieldType::Enum => {
            let mut bad = "not-a-value".to_owned();
            while b.values.contains(&bad) {
                bad.push('x');
            }
            out.push(("not-in-values".into(), Some(python::string(&bad))));
        }
        FieldType::Json => {}
        FieldType::Time => {
            out.push(("wrong-type".into(), Some("\"not a time\"".into())));
            out.push(("with-offset".into(), Some("\"12:00:00+01:00\"".into())));
            out.push(("out-of-range".into(), Some("\"24:00:00\"".into())));
        }
        FieldType::Url => {
            out.push(("not-a-url".into(), Some("\"not a url\"".into())));
            out.push((
                "other-scheme".into(),
                Some("\"ftp://example.com/file\"".into()),
            ));
            let base = "https://example.com/";
            out.push((
                "too-long".into(),
                Some(format!(
                    "{} + \"x\" * {}",
                    python::string(base),
                    types::MAX_URL + 1 - base.len() as u64
                )),
            ));
        }
        FieldType::StringArray => {
            out.push(("wrong-type".into(), Some("\"not a list\"".into())));
            out.push(("item-wrong-type".into(), Some("[1]".into())));
        }
        FieldType::IntArray => {
            out.push(("wrong-type".into(), Some("\"not a list\"".into())));
            out.push(("item-wrong-type".into(), Some("[\"x\"]".into())));
            out.push(("item-above-int32".into(), Some("[2147483648]".into())));
        }
    }
    out
}

/// A default as a Python expression (`PostStatus.DRAFT`, `Decimal("0.00")`).
fn default_expr(f: &FieldPlan, v: &Json) -> String {
    match (f.row.ty, v) {
        (FieldType::Enum, Json::String(s)) => format!(
            "{}.{}",
            f.enum_class.as_deref().unwrap_or_default(),
            names::enum_member(s)
        ),
        (FieldType::Decimal, Json::String(s)) => format!("Decimal({})", python::string(s)),
        _ => python::literal(v),
    }
}

/// Formats a bound for a Pydantic constraint.
fn bound(x: f64, ty: FieldType) -> String {
    if matches!(ty, FieldType::Int | FieldType::BigInt) || x.fract() == 0.0 {
        format!("{}", x as i128)
    } else {
        format!("{x}")
    }
}

/// Pydantic constraints of a field (`ge=0`, `max_length=200`, ...).
fn constraints(f: &FieldPlan) -> Vec<String> {
    let b = &f.bounds;
    let ty = f.row.ty;
    let mut out = Vec::new();
    let (lo, hi) = match ty {
        FieldType::Int => (Some(types::INT32.0 as f64), Some(types::INT32.1 as f64)),
        FieldType::BigInt => (Some(types::INT64.0 as f64), Some(types::INT64.1 as f64)),
        _ => (None, None),
    };
    if let Some(min) = b.min.or(lo) {
        out.push(format!(
            "ge={}",
            if b.min.is_none() && ty == FieldType::BigInt {
                types::INT64.0.to_string()
            } else {
                bound(min, ty)
            }
        ));
    }
    if let Some(max) = b.max.or(hi) {
        out.push(format!(
            "le={}",
            if b.max.is_none() && ty == FieldType::BigInt {
                types::INT64.1.to_string()
            } else {
                bound(max, ty)
            }
        ));
    }
    if let Some(n) = b.min_length {
        out.push(format!("min_length={n}"));
    }
    if let Some(n) = b
        .max_length
        .filter(|_| matches!(ty, FieldType::String | FieldType::Text))
    {
        out.push(format!("max_length={n}"));
    }
    if let Some(re) = &b.pattern {
        out.push(format!("pattern={}", python::regex(re.as_str())));
    }
    if ty == FieldType::Decimal {
        out.push(format!("max_digits={}", b.precision));
        out.push(format!("decimal_places={}", b.scale));
    }
    if let Some(d) = &f.raw.description {
        out.push(format!("description={}", python::string(d)));
    }
    if let Some(e) = &f.example {
        let example = python::literal(e);
        if 8 + "examples=[],".len() + example.len() <= python::LINE_LENGTH {
            out.push(format!("examples=[{example}]"));
        } else {
            out.push(format!("examples=[\n            {example},\n        ]"));
        }
    }
    out
}

/// `name: annotation = Field(args)`, or `= value` when the only argument
/// is a default, or a bare annotation when there are none.
fn schema_decl(name: &str, annotation: &str, args: Vec<String>) -> String {
    let head = format!("{name}: {annotation}");
    match args.as_slice() {
        [] => head,
        [only]
            if only.starts_with("default=")
                && 4 + head.len() + only.len() - 5 <= python::LINE_LENGTH =>
        {
            format!("{head} = {}", &only["default=".len()..])
        }
        _ => call(&format!("{head} = Field"), &args, "", 4),
    }
}

/// One field laid out for the model, the schemas, the schema diff and the tests.
struct LaidOut {
    field: Field,
    column: schema::Column,
    /// The quoted attribute, when the field may not be set to null on update.
    not_null: Option<String>,
    /// `pytest.param(...)` lines of values a create must reject.
    invalid: Vec<String>,
    /// `pytest.param(...)` lines of values at each bound, which a create must accept.
    boundaries: Vec<String>,
}

fn lay_out_field(
    f: &FieldPlan,
    class: &str,
    models_module: &str,
    model_imports: &mut Imports,
    schema_imports: &mut Imports,
    enums: &mut Vec<EnumType>,
) -> LaidOut {
    let m = &f.mapping;
    for (module, name) in &m.model_imports {
        model_imports.from(module, name);
    }
    for (module, name) in &m.schema_imports {
        schema_imports.from(module, name);
    }
    if let Some(class_name) = &f.enum_class {
        schema_imports.from(models_module, class_name);
        enums.push(EnumType {
            class_name: class_name.clone(),
            words: format!("Allowed values of `{class}.{}`.", f.attr),
            members: f
                .bounds
                .values
                .iter()
                .map(|v| (names::enum_member(v), python::string(v)))
                .collect(),
        });
    }
    let opt = if f.raw.nullable { " | None" } else { "" };
    // A field whose name cannot be its attribute (`from` → `from_`) names
    // its column and its JSON key explicitly.
    let renamed = f.attr != f.name;
    let mut column_args = Vec::new();
    if renamed {
        column_args.push(python::string(&f.name));
    }
    column_args.push(
        f.sql_type
            .model(f.enum_class.as_deref().unwrap_or_default(), 8),
    );
    if f.raw.unique {
        column_args.push("unique=True".into());
    } else if f.raw.index {
        column_args.push("index=True".into());
    }
    if let Some(d) = &f.default {
        column_args.push(format!("default={}", default_expr(f, d)));
    }
    let model_decl = call(
        &format!("{}: Mapped[{}{opt}] = mapped_column", f.attr, m.python),
        &column_args,
        "",
        4,
    );
    let cons = constraints(f);
    // Request bodies take the JSON name (`alias`); the Read schema reads
    // the model's attribute and writes the JSON name (`serialization_alias`).
    let alias = renamed.then(|| format!("alias={}", python::string(&f.name)));
    let serialization_alias =
        renamed.then(|| format!("serialization_alias={}", python::string(&f.name)));
    let mut create_args = Vec::new();
    match &f.default {
        Some(d) => create_args.push(format!("default={}", default_expr(f, d))),
        None if f.raw.nullable => create_args.push("default=None".into()),
        None => {}
    }
    create_args.extend(alias.clone());
    create_args.extend(cons.iter().cloned());
    let mut update_args = vec!["default=None".to_owned()];
    update_args.extend(alias);
    update_args.extend(cons.iter().cloned());
    // A read_only field is in no request body (sending it is a 422, like
    // any unknown field); a write_only one in no response.
    let (create_decl, update_decl) = if f.raw.read_only {
        (String::new(), String::new())
    } else {
        (
            schema_decl(&f.attr, &format!("{}{opt}", m.input), create_args),
            schema_decl(&f.attr, &format!("{} | None", m.input), update_args),
        )
    };
    // A field some callers may not read is left out of their responses,
    // so the Read schema lets it be absent.
    let mut read_args = Vec::new();
    let read_type = if f.raw.read.is_some() {
        read_args.push("default=None".to_owned());
        format!("{} | None", m.output)
    } else {
        format!("{}{opt}", m.output)
    };
    read_args.extend(serialization_alias);
    if f.raw.read_only {
        // Only the Read schema shows a read_only field: its description goes there.
        read_args.extend(
            f.raw
                .description
                .as_ref()
                .map(|d| format!("description={}", python::string(d))),
        );
    }
    let read_decl = if f.raw.write_only {
        String::new()
    } else {
        schema_decl(&f.attr, &read_type, read_args)
    };
    let column = schema::Column {
        name: f.name.clone(),
        sql_type: f.sql_type.clone(),
        nullable: f.raw.nullable,
        default: f.default.as_ref().map(sql_default),
        renamed_from: f.raw.renamed_from.as_ref().map(|r| names::snake(r)),
    };
    let mut invalid = Vec::new();
    let cases = if f.raw.read_only {
        // Even a valid value is refused: clients never set it.
        let valid = f.samples_cache.first().map(python::literal);
        vec![("read-only".to_owned(), valid)]
    } else {
        invalid_values(f)
    };
    for (case, value) in cases {
        let id = python::string(&format!("{}-{case}", f.name.replace('_', "-")));
        invalid.push(call(
            "pytest.param",
            &[
                python::string(&f.name),
                value.unwrap_or_else(|| "MISSING".into()),
                format!("id={id}"),
            ],
            ",",
            4,
        ));
    }
    let boundaries = if f.raw.read_only || f.raw.write_only {
        Vec::new()
    } else {
        boundary_values(f)
            .into_iter()
            .map(|(case, value, kind)| {
                call(
                    "pytest.param",
                    &[
                        python::string(&f.name),
                        value,
                        python::string(kind),
                        format!(
                            "id={}",
                            python::string(&format!("{}-{case}", f.name.replace('_', "-")))
                        ),
                    ],
                    ",",
                    4,
                )
            })
            .collect()
    };
    LaidOut {
        boundaries,
        field: Field {
            name: f.name.clone(),
            attr: f.attr.clone(),
            words: names::words(&f.name),
            model_decl,
            create_decl,
            update_decl,
            read_decl,
            unique: f.raw.unique,
            index: f.raw.index && !f.raw.unique,
        },
        column,
        not_null: (!f.raw.nullable && !f.raw.read_only).then(|| python::string(&f.attr)),
        invalid,
    }
}

/// Lays out one resource: declarations, imports and test data.
#[allow(clippy::too_many_arguments)]
fn build_resource(
    class: &str,
    snake: &str,
    plural: &str,
    r: &RawResource,
    fields: Vec<FieldPlan>,
    relations: Vec<RelationPlan>,
    collections: Vec<RelationPlan>,
    inverses: &Inverses,
    rules: [ActionRule; 4],
    default_role: &str,
    list_imports: &[(String, String)],
    list: &ListSpec,
    composites: &Composites,
    example: Option<Vec<(String, Json)>>,
) -> Resolved {
    let table = plural.to_owned();
    let mut model_imports = Imports::default();
    model_imports
        .from("sqlalchemy.orm", "Mapped")
        .from("sqlalchemy.orm", "mapped_column")
        .from("app.database", "Base");
    let mut schema_imports = Imports::default();
    schema_imports
        .from("pydantic", "BaseModel")
        .from("pydantic", "ConfigDict")
        .from("pydantic", "Field")
        .from("pydantic", "field_validator")
        .from("app.schemas", "SafeStr")
        .from("app.schemas", "check_sort");
    for (module, name) in list_imports {
        schema_imports.from(module, name);
    }
    let mut service_imports = Imports::default();
    service_imports
        .from("collections.abc", "Sequence")
        .from("typing", "Any")
        .from("sqlalchemy", "ColumnElement")
        .from("sqlalchemy", "select")
        .from("sqlalchemy.orm", "InstrumentedAttribute")
        .from("app.database", "order_by")
        .from("sqlalchemy.ext.asyncio", "AsyncSession")
        .from(&format!("app.{snake}.models"), class)
        .from(&format!("app.{snake}.schemas"), &format!("{class}Create"))
        .from(
            &format!("app.{snake}.schemas"),
            &format!("{class}ListQuery"),
        )
        .from(&format!("app.{snake}.schemas"), &format!("{class}Update"));
    let mut test_imports = Imports::default();
    test_imports
        .from("typing", "Any")
        .module("pytest")
        .from("httpx", "AsyncClient")
        .from("tests.helpers", "AuthUser")
        .from("tests.helpers", "MISSING")
        .from("tests.factories", &format!("create_{snake}"))
        .from("tests.factories", &format!("{snake}_payload"));
    if r.timestamps.unwrap_or(true) {
        model_imports.from("app.database", "TimestampMixin");
        schema_imports.from("datetime", "datetime");
    }
    if r.owned || r.audit || !relations.is_empty() {
        model_imports.from("sqlalchemy", "ForeignKey");
    }
    let own_id = id_kind(r).row();
    for (module, name) in own_id.column_imports.iter().chain(own_id.key_imports) {
        model_imports.from(module, name);
    }
    for (module, name) in own_id.python_imports {
        schema_imports.from(module, name);
        service_imports.from(module, name);
    }
    let mut id_args: Vec<String> = own_id.column_type.iter().map(|t| t.to_string()).collect();
    id_args.push("primary_key=True".into());
    id_args.extend(own_id.key_args.iter().map(|a| a.to_string()));
    let id_decl = call(
        &format!("id: Mapped[{}] = mapped_column", own_id.python),
        &id_args,
        "",
        4,
    );
    let mut enums = Vec::new();
    let mut columns = vec![schema::Column::new("id", own_id.kind.sql_type(), false)];
    let mut table_uniques = Vec::new();
    let mut table_indexes = Vec::new();
    let mut foreign_keys = Vec::new();
    let mut model_fields = Vec::new();
    let mut not_null = Vec::new();
    let mut unique_fields = Vec::new();
    let mut capacity = SAMPLES;
    let mut invalid = Vec::new();
    let mut boundaries = Vec::new();
    // Samples leave out fields only some roles may set: the tests create
    // rows as the default role (the field-level tests set them as admin);
    // and read_only fields, which no request may send.
    let sample_values: Vec<(String, Vec<Json>)> = fields
        .iter()
        .filter(|f| f.raw.write.is_none() && !f.raw.read_only)
        .map(|f| (f.name.clone(), f.samples_cache.clone()))
        .collect();
    for f in &fields {
        let laid = lay_out_field(
            f,
            class,
            &format!("app.{snake}.models"),
            &mut model_imports,
            &mut schema_imports,
            &mut enums,
        );
        if f.raw.unique {
            unique_fields.push((f.attr.clone(), f.name.clone()));
            capacity = capacity.min(f.samples_cache.len());
            table_uniques.push(f.name.clone());
        } else if f.raw.index {
            table_indexes.push(f.name.clone());
        }
        columns.push(laid.column);
        not_null.extend(laid.not_null);
        invalid.extend(laid.invalid);
        boundaries.extend(laid.boundaries);
        model_fields.push(laid.field);
    }
    let duplicate_targets: BTreeSet<&str> = {
        let mut seen = BTreeSet::new();
        let mut dup = BTreeSet::new();
        for rel in &relations {
            if !seen.insert(rel.target_class.as_str()) {
                dup.insert(rel.target_class.as_str());
            }
        }
        dup
    };
    let mut model_relations = Vec::new();
    let mut deletions = Vec::new();
    let mut one_to_one_cases = Vec::new();
    let mut parents = Vec::new();
    let mut owned_targets = Vec::new();
    let mut references = Vec::new();
    let mut required_targets = Vec::new();
    let mut target_tables = Vec::new();
    let mut type_checking = Vec::new();
    for rel in &relations {
        let column = format!("{}_id", rel.name);
        let opt = if rel.nullable { " | None" } else { "" };
        let one_to_one = rel.kind == Kind::OneToOne;
        let target_id = rel.target_id.row();
        for (module, name) in target_id.column_imports {
            model_imports.from(module, name);
        }
        let mut column_args: Vec<String> = target_id
            .column_type
            .iter()
            .map(|t| t.to_string())
            .collect();
        column_args.push(format!(
            "ForeignKey(\"{}.id\", ondelete={})",
            rel.target_table,
            python::string(rel.on_delete)
        ));
        column_args.push(
            if one_to_one {
                "unique=True"
            } else {
                "index=True"
            }
            .into(),
        );
        let model_decl = call(
            &format!(
                "{column}: Mapped[{}{opt}] = mapped_column",
                target_id.python
            ),
            &column_args,
            "",
            4,
        );
        let mut rel_args = Vec::new();
        if let Some(back) = inverses
            .back_populates
            .get(&(class.to_owned(), rel.name.clone()))
        {
            rel_args.push(format!("back_populates={}", python::string(back)));
        }
        if duplicate_targets.contains(rel.target_class.as_str()) {
            rel_args.push(format!("foreign_keys=[{column}]"));
        }
        if rel.target_class == class {
            // A self-reference is many-to-one only when told which side is remote.
            rel_args.push(format!("remote_side=\"{class}.id\""));
        }
        rel_args.push("lazy=\"raise\"".into());
        let relationship_decl = call(
            &format!(
                "{}: Mapped[{}{opt}] = relationship",
                rel.name, rel.target_class
            ),
            &rel_args,
            "",
            4,
        );
        if rel.target_class != class {
            type_checking.push((rel.target_module.clone(), rel.target_class.clone()));
        }
        let desc = rel
            .description
            .as_ref()
            .map(|d| vec![format!("description={}", python::string(d))])
            .unwrap_or_default();
        let mut create_args = if rel.nullable {
            vec!["default=None".to_owned()]
        } else {
            Vec::new()
        };
        create_args.extend(desc.clone());
        let mut update_args = vec!["default=None".to_owned()];
        update_args.extend(desc);
        if rel.description.is_some() {
            schema_imports.from("pydantic", "Field");
        }
        let (module, body) = body_type_import(rel.target_id);
        schema_imports.from(&module, &body);
        let factory = rel
            .target_snake
            .as_ref()
            .map(|s| format!("create_{s}"))
            .unwrap_or_default();
        if !rel.nullable {
            not_null.push(python::string(&column));
            let reuse = parents
                .iter()
                .find(|p: &&Parent| {
                    p.factory == factory && p.reuse.is_none() && !factory.is_empty() && !p.unique
                })
                .map(|p| p.column.clone())
                .filter(|_| !one_to_one);
            parents.push(Parent {
                column: column.clone(),
                factory: factory.clone(),
                reuse,
                unique: one_to_one,
            });
            invalid.push(call(
                "pytest.param",
                &[
                    python::string(&column),
                    "MISSING".into(),
                    format!("id=\"{}-missing\"", column.replace('_', "-")),
                ],
                ",",
                4,
            ));
            if rel.target_class != "User" && rel.target_class != class {
                required_targets.push(rel.target_class.clone());
            }
        }
        invalid.push(call(
            "pytest.param",
            &[
                python::string(&column),
                target_id.missing_py.into(),
                format!("id=\"{}-no-such-row\"", column.replace('_', "-")),
            ],
            ",",
            4,
        ));
        let (bad_id, bad_case) = target_id.invalid;
        invalid.push(call(
            "pytest.param",
            &[
                python::string(&column),
                bad_id.into(),
                format!("id=\"{}-{bad_case}\"", column.replace('_', "-")),
            ],
            ",",
            4,
        ));
        let parent = Parent {
            column: column.clone(),
            factory: factory.clone(),
            reuse: None,
            unique: one_to_one,
        };
        if rel.target_owned {
            owned_targets.push(parent.clone());
        }
        if one_to_one {
            one_to_one_cases.push(parent.clone());
        }
        if rel.target_snake.is_some() {
            // A soft delete only marks the target: no ON DELETE action runs.
            let action = if rel.target_soft {
                "KEEP"
            } else {
                rel.on_delete
            };
            let after = match action {
                "CASCADE" => "assert_problem(after, 404)".to_owned(),
                "SET NULL" => format!("assert after.json()[{}] is None", python::string(&column)),
                _ => format!(
                    "assert after.json()[{}] == target[\"id\"]",
                    python::string(&column)
                ),
            };
            deletions.push(Deletion {
                column: column.clone(),
                factory: factory.clone(),
                target_url: format!("/{}", names::kebab(&rel.target_table)),
                status: if action == "RESTRICT" { 409 } else { 204 },
                after,
            });
        }
        references.push(parent);
        if rel.target_table != "users" {
            target_tables.push(rel.target_table.clone());
        }
        columns.push(schema::Column::new(
            &column,
            rel.target_id.sql_type(),
            rel.nullable,
        ));
        foreign_keys.push(schema::ForeignKey {
            column: column.clone(),
            target: rel.target_table.clone(),
            on_delete: rel.on_delete.to_owned(),
        });
        if one_to_one {
            table_uniques.push(column.clone());
            unique_fields.push((column.clone(), column.clone()));
        } else {
            table_indexes.push(column.clone());
        }
        model_relations.push(Relation {
            name: rel.name.clone(),
            column: column.clone(),
            words: names::words(&rel.name),
            target_class: rel.target_class.clone(),
            target_module: rel.target_module.clone(),
            target_table: rel.target_table.clone(),
            target_owned: rel.target_owned,
            nullable: rel.nullable,
            unique: one_to_one,
            on_delete: rel.on_delete.to_owned(),
            model_decl,
            relationship_decl,
            create_decl: schema_decl(&column, &format!("{body}{opt}"), create_args),
            update_decl: schema_decl(&column, &format!("{body} | None"), update_args),
            read_decl: format!("{column}: {}{opt}", target_id.python),
            check_stmt: {
                let target = &rel.target_class;
                let mut args = vec![
                    "session".to_owned(),
                    format!("{target}.id"),
                    format!("data.{column}"),
                    format!("field={}", python::string(&column)),
                ];
                if rel.target_owned {
                    args.push(format!("owner_column={target}.owner_id"));
                    args.push("owner_id=owner_id".to_owned());
                }
                if rel.target_soft {
                    args.push(format!("where={target}.deleted_at.is_(None)"));
                }
                call("await ensure_exists", &args, "", 8)
            },
        });
        service_imports.from(&rel.target_module, &rel.target_class);
    }
    // One-to-many and many-to-many: a relationship, the condition of the
    // nested list, and for many-to-many the association table and `*_ids`.
    let mut model_collections = Vec::new();
    let mut extra_tables = Vec::new();
    let mut load = Vec::new();
    for rel in &collections {
        let target = rel.target_class.as_str();
        let target_snake = rel.target_snake.clone().unwrap_or_default();
        let m2m = rel.kind == Kind::ManyToMany;
        if target != class {
            type_checking.push((rel.target_module.clone(), target.to_owned()));
        }
        service_imports
            .from(&rel.target_module, target)
            .from("sqlalchemy", "ColumnElement");
        let mut c = Collection {
            name: rel.name.clone(),
            words: names::words(&rel.name).to_lowercase(),
            many_to_many: m2m,
            target_class: target.to_owned(),
            target_words: names::words(&target_snake),
            relationship_decl: String::new(),
            where_fn: format!("{}_of", rel.name),
            where_return: String::new(),
            ids_field: String::new(),
            association: String::new(),
            association_decl: String::new(),
            target_id_param: format!("{target_snake}_id"),
            target_id_type: rel.target_id.row().python.to_owned(),
            target_id_path: rel.target_id.row().path.to_owned(),
            target_missing: rel.target_id.row().missing.to_owned(),
            target_missing_py: rel.target_id.row().missing_py.to_owned(),
            missing_link_check: missing_link_check(rel.target_id.row().missing),
            segment: format!("/{}", names::kebab(&rel.name)),
            create_decl: String::new(),
            update_decl: String::new(),
            read_decl: String::new(),
            find_body: String::new(),
            find_body_nested: String::new(),
            find_one: String::new(),
            target_factory: format!("create_{target_snake}"),
            via_column: String::new(),
            child_offset: if target == class { " + 2" } else { "" }.to_owned(),
            target_url: format!("/{}", names::kebab(&rel.target_table)),
            target_owned: rel.target_owned,
            target_soft: rel.target_soft,
            ids_return: String::new(),
            other_user_check: None,
            child_binding: String::new(),
        };
        if m2m {
            let assoc = format!("{snake}_{}", rel.name);
            let left = format!("{snake}_id");
            let right = c.target_id_param.clone();
            let target_id = rel.target_id.row();
            for (module, name) in own_id.column_imports.iter().chain(target_id.column_imports) {
                model_imports.from(module, name);
            }
            for (module, name) in target_id.python_imports {
                service_imports.from(module, name);
            }
            let column_decl = |name: &str, table: &str, id: &types::IdRow, index: bool| {
                let mut args = vec![python::string(name)];
                args.extend(id.column_type.iter().map(|t| t.to_string()));
                args.push(format!("ForeignKey(\"{table}.id\", ondelete=\"CASCADE\")"));
                args.push("primary_key=True".to_owned());
                if index {
                    args.push("index=True".into());
                }
                let laid = call("Column", &args, ",", 4);
                laid[..laid.len() - 1].to_owned()
            };
            c.association_decl = call(
                &format!("{assoc} = Table"),
                &[
                    python::string(&assoc),
                    "Base.metadata".into(),
                    column_decl(&left, plural, own_id, false),
                    column_decl(&right, &rel.target_table, target_id, true),
                ],
                "",
                0,
            );
            c.relationship_decl = call(
                &format!("{}: Mapped[list[{target}]] = relationship", rel.name),
                &[
                    format!("secondary={assoc}"),
                    "lazy=\"raise\"".into(),
                    "passive_deletes=True".into(),
                ],
                "",
                4,
            );
            c.where_return = call(
                "return linked_to",
                &[
                    format!("{target}.id"),
                    format!("{assoc}.c.{right}"),
                    format!("{assoc}.c.{left}"),
                    format!("{snake}.id"),
                ],
                "",
                4,
            );
            let ids = ids_field(&rel.name);
            let mut owner: Vec<String> = if rel.target_owned {
                vec![
                    format!("owner_column={target}.owner_id"),
                    "owner_id=None if actor.is_admin else actor.id".into(),
                ]
            } else {
                Vec::new()
            };
            if rel.target_soft {
                owner.push(format!("where={target}.deleted_at.is_(None)"));
            }
            let find = |source: &str, indent: usize| {
                let mut args = vec![
                    "session".to_owned(),
                    target.to_owned(),
                    format!("{target}.id"),
                    source.to_owned(),
                ];
                args.extend(owner.iter().cloned());
                call("found = await rows_by_id", &args, "", indent)
            };
            // Load the rows named by `data.<ids>`, then set the collection.
            let set_links = |indent: usize| {
                let assign = call(
                    &format!("{snake}.{} = pick", rel.name),
                    &[
                        "found".into(),
                        format!("data.{ids}"),
                        format!("field={}", python::string(&ids)),
                    ],
                    "",
                    indent,
                );
                let pad = " ".repeat(indent);
                format!("{}\n{pad}{assign}", find(&format!("data.{ids}"), indent))
            };
            c.find_body = set_links(4);
            c.find_body_nested = set_links(8);
            c.find_one = find(&format!("[{right}]"), 4);
            c.create_decl = schema_decl(
                &ids,
                &format!("list[{}]", target_id.body),
                vec!["default_factory=list".into(), "max_length=100".into()],
            );
            c.update_decl = schema_decl(
                &ids,
                &format!("list[{}] | None", target_id.body),
                vec!["default=None".into(), "max_length=100".into()],
            );
            let generator = if rel.target_soft {
                format!(
                    "row.id for row in self.{} if row.deleted_at is None",
                    rel.name
                )
            } else {
                format!("row.id for row in self.{}", rel.name)
            };
            c.ids_return = if 8 + "return sorted()".len() + generator.len() <= python::LINE_LENGTH {
                format!("return sorted({generator})")
            } else {
                format!("return sorted(\n            {generator}\n        )")
            };
            c.read_decl = format!("{ids}: list[{}]", target_id.python);
            for (value, case) in [
                (format!("[{}]", target_id.invalid.0), target_id.invalid.1),
                (format!("[{}]", target_id.missing_py), "no-such-row"),
                ("\"1\"".to_owned(), "not-a-list"),
            ] {
                invalid.push(call(
                    "pytest.param",
                    &[
                        python::string(&ids),
                        value,
                        format!("id=\"{}-{case}\"", ids.replace('_', "-")),
                    ],
                    ",",
                    4,
                ));
            }
            not_null.push(python::string(&ids));
            let (module, body) = body_type_import(rel.target_id);
            schema_imports
                .from(&module, &body)
                .from("pydantic", "Field");
            for (module, name) in target_id.python_imports {
                schema_imports.from(module, name);
                model_imports.from(module, name);
            }
            service_imports
                .from("app.database", "linked_to")
                .from("app.database", "pick")
                .from("app.database", "rows_by_id")
                .from("app.errors", "NotFoundError")
                .from("sqlalchemy.orm", "selectinload")
                .from(&format!("app.{snake}.models"), &assoc);
            model_imports
                .from("sqlalchemy", "Column")
                .from("sqlalchemy", "ForeignKey")
                .from("sqlalchemy", "Table");
            load.push(format!("selectinload({class}.{})", rel.name));
            extra_tables.push(schema::Table {
                name: assoc.clone(),
                columns: vec![
                    schema::Column::new(&left, own_id.kind.sql_type(), false),
                    schema::Column::new(&right, rel.target_id.sql_type(), false),
                ],
                primary_key: vec![left.clone(), right.clone()],
                uniques: Vec::new(),
                indexes: vec![right.clone()],
                unique_together: Vec::new(),
                composite_indexes: Vec::new(),
                foreign_keys: vec![
                    schema::ForeignKey {
                        column: left.clone(),
                        target: plural.to_owned(),
                        on_delete: "CASCADE".into(),
                    },
                    schema::ForeignKey {
                        column: right.clone(),
                        target: rel.target_table.clone(),
                        on_delete: "CASCADE".into(),
                    },
                ],
                renamed_from: None,
            });
            c.ids_field = ids;
            c.association = assoc;
        } else {
            let via = rel.via.clone().unwrap_or_default();
            let mut args = vec![format!("back_populates={}", python::string(&via))];
            if inverses
                .ambiguous
                .contains(&(target.to_owned(), class.to_owned()))
            {
                args.push(format!("foreign_keys=\"[{target}.{via}_id]\""));
            }
            args.push("lazy=\"raise\"".into());
            args.push("passive_deletes=True".into());
            c.relationship_decl = call(
                &format!("{}: Mapped[list[{target}]] = relationship", rel.name),
                &args,
                "",
                4,
            );
            let expr = format!("{target}.{via}_id == {snake}.id");
            c.where_return = if 4 + "return ".len() + expr.len() <= python::LINE_LENGTH {
                format!("return {expr}")
            } else {
                format!("return (\n        {expr}\n    )")
            };
            c.via_column = format!("{via}_id");
        }
        model_collections.push(c);
    }
    if r.owned {
        columns.push(schema::Column::new(
            "owner_id",
            schema::SqlType::Integer,
            false,
        ));
        foreign_keys.push(schema::ForeignKey {
            column: "owner_id".into(),
            target: "users".into(),
            on_delete: "CASCADE".into(),
        });
        table_indexes.push("owner_id".into());
    }
    if r.audit {
        for name in AUDIT_COLUMNS {
            columns.push(schema::Column::new(name, schema::SqlType::Integer, true));
            foreign_keys.push(schema::ForeignKey {
                column: name.into(),
                target: "users".into(),
                on_delete: "SET NULL".into(),
            });
            table_indexes.push(name.into());
            invalid.push(call(
                "pytest.param",
                &[
                    python::string(name),
                    "1".into(),
                    format!("id=\"{}-not-accepted\"", name.replace('_', "-")),
                ],
                ",",
                4,
            ));
        }
    }
    if r.timestamps.unwrap_or(true) {
        for name in ["created_at", "updated_at"] {
            columns.push(schema::Column::new(name, schema::SqlType::DateTime, false));
        }
    }
    if r.soft_delete {
        columns.push(schema::Column::new(
            "deleted_at",
            schema::SqlType::DateTime,
            true,
        ));
        table_indexes.push("deleted_at".into());
        model_imports
            .from("datetime", "datetime")
            .from("app.database", "UTCDateTime");
        schema_imports.from("datetime", "datetime");
        service_imports.from("app.database", "utc_now");
    }
    capacity = capacity.min(composites.capacity);
    let unique_groups: Vec<Vec<String>> =
        composites.unique.iter().map(|(g, _)| g.clone()).collect();
    let table_args = table_args(&unique_groups, &composites.indexes);
    if !unique_groups.is_empty() {
        model_imports.from("sqlalchemy", "UniqueConstraint");
        service_imports.from("app.database", "ensure_unique_together");
    }
    if !composites.indexes.is_empty() {
        model_imports.from("sqlalchemy", "Index");
    }
    let unique_together: Vec<String> = unique_groups
        .iter()
        .map(|g| {
            let columns: Vec<String> = g
                .iter()
                .map(|c| {
                    let attr = fields.iter().find(|f| f.name == *c).map_or(c, |f| &f.attr);
                    format!("{class}.{attr}")
                })
                .collect();
            call(
                "await ensure_unique_together",
                &[
                    "session".into(),
                    format!("({})", columns.join(", ")),
                    "written".into(),
                    "current=current".into(),
                    "where=others".into(),
                ],
                "",
                4,
            )
        })
        .collect();
    // One 409 test case per unique field and per unique group the tests
    // can make two clashing rows for.
    let unique_cases: Vec<String> = unique_fields
        .iter()
        .map(|(_, name)| name)
        .filter(|f| !one_to_one_cases.iter().any(|p| p.column == **f))
        .map(|f| vec![f.clone()])
        .chain(
            composites
                .unique
                .iter()
                .filter(|(_, testable)| *testable)
                .map(|(g, _)| g.clone()),
        )
        .map(|g| {
            let quoted: Vec<String> = g.iter().map(|c| python::string(c)).collect();
            let tuple = if quoted.len() == 1 {
                format!("({},)", quoted[0])
            } else {
                format!("({})", quoted.join(", "))
            };
            let id = g
                .iter()
                .map(|c| c.replace('_', "-"))
                .collect::<Vec<_>>()
                .join("+");
            call(
                "pytest.param",
                &[tuple, format!("id={}", python::string(&id))],
                ",",
                4,
            )
        })
        .collect();
    // Rows the tests create share their required parents, except where a
    // relation is part of a unique group: there each row gets its own.
    let shared_parents: Vec<String> = parents
        .iter()
        .filter(|p| !p.unique && !unique_groups.iter().flatten().any(|c| *c == p.column))
        .map(|p| p.column.clone())
        .collect();
    let table_schema = schema::Table {
        name: plural.to_owned(),
        columns,
        primary_key: vec!["id".to_owned()],
        uniques: table_uniques,
        indexes: table_indexes,
        foreign_keys,
        unique_together: unique_groups,
        composite_indexes: composites.indexes.clone(),
        renamed_from: r
            .renamed_from
            .as_ref()
            .map(|old| names::plural(&names::snake(old))),
    };
    if !relations.is_empty() {
        service_imports.from("app.database", "ensure_exists");
    }
    if !relations.is_empty() || !collections.is_empty() {
        model_imports
            .from("__future__", "annotations")
            .from("sqlalchemy.orm", "relationship");
    }
    if !type_checking.is_empty() {
        model_imports.from("typing", "TYPE_CHECKING");
    }
    if !unique_fields.is_empty() {
        service_imports.from("app.database", "ensure_unique");
    }
    if !not_null.is_empty() {
        schema_imports
            .from("pydantic", "field_validator")
            .from("app.schemas", "reject_null");
    }
    // Samples: one dict per row the tests may create.
    let rows = capacity.min(SAMPLES);
    let mut samples = Vec::new();
    for n in 0..rows {
        let mut lines = String::from("{\n");
        for (name, values) in &sample_values {
            let v = &values[n % values.len()];
            lines.push_str(&format!(
                "        {}: {},\n",
                python::string(name),
                python::literal(v)
            ));
        }
        lines.push_str("    }");
        if sample_values.is_empty() {
            lines = "{}".into();
        }
        samples.push(lines);
    }
    // The update test compares the response with what it sent, so it
    // changes a field responses show.
    let write_only: BTreeSet<&str> = fields
        .iter()
        .filter(|f| f.raw.write_only)
        .map(|f| f.name.as_str())
        .collect();
    let (update_field, update_value) = match sample_values
        .iter()
        .find(|(name, v)| v.len() > 1 && !write_only.contains(name.as_str()))
    {
        Some((name, values)) => (name.clone(), python::literal(&values[1])),
        None => (String::new(), String::new()),
    };
    let not_null_field = fields
        .iter()
        .find(|f| !f.raw.nullable && !f.raw.read_only)
        .map(|f| f.name.clone())
        .or_else(|| {
            relations
                .iter()
                .find(|r| !r.nullable)
                .map(|r| format!("{}_id", r.name))
        });
    let not_null_on_update = if not_null.is_empty() {
        String::new()
    } else {
        call("@field_validator", &not_null, "", 4)
    };
    let type_checking_block = if type_checking.is_empty() {
        String::new()
    } else {
        let mut tc = Imports::default();
        for (m, n) in &type_checking {
            tc.from(m, n);
        }
        let body = tc
            .render_at(4)
            .lines()
            .map(|l| {
                if l.is_empty() {
                    String::new()
                } else {
                    format!("    {l}")
                }
            })
            .collect::<Vec<_>>()
            .join("\n");
        format!("\n\nif TYPE_CHECKING:\n{body}")
    };
    let words = names::words(snake);
    let scoped_references = relations.iter().any(|rel| rel.target_owned);
    let [read_rule, create_rule, update_rule, delete_rule] = rules;
    let read_rule_anyone = read_rule.anyone;
    let read = read_rule.access("READ", default_role);
    let create = create_rule.access("CREATE", default_role);
    let update = update_rule.access("UPDATE", default_role);
    let delete = delete_rule.access("DELETE", default_role);
    let role_map = |pick: fn(&RawField) -> &Option<Vec<String>>| -> Vec<(String, String)> {
        fields
            .iter()
            .filter_map(|f| {
                pick(&f.raw).as_ref().map(|roles| {
                    (
                        f.attr.clone(),
                        frozenset(roles.iter().filter(|r| *r != "admin")),
                    )
                })
            })
            .collect()
    };
    let field_readers = role_map(|f| &f.read);
    let field_writers = role_map(|f| &f.write);
    let hidden = !field_readers.is_empty();
    let guarded = !field_writers.is_empty();
    let mut dependency_imports = Imports::default();
    dependency_imports
        .from("typing", "Annotated")
        .from("fastapi", "Depends")
        .from(&format!("app.{snake}"), "service")
        .from(&format!("app.{snake}.models"), class)
        .from("app.auth.dependencies", "OptionalUser")
        .from("app.auth.models", "User")
        .from("app.auth.permissions", "Rule")
        .from("app.database", "SessionDep")
        .from("app.errors", "NotFoundError")
        .from("app.schemas", own_id.path);
    for (module, name) in own_id.python_imports {
        dependency_imports.from(module, name);
    }
    let deps = format!("app.{snake}.dependencies");
    let mut router_imports = Imports::default();
    router_imports
        .from("collections.abc", "Sequence")
        .from("fastapi", "APIRouter")
        .from(&format!("app.{snake}"), "routes")
        .from(&format!("app.{snake}"), "service")
        .from(&deps, "Creator")
        .from(&deps, "ReadScope")
        .from(&deps, &format!("{class}ForDelete"))
        .from(&deps, &format!("{class}ForRead"))
        .from(&deps, &format!("{class}ForUpdate"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Create"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Page"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Read"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Update"))
        .from("app.auth.dependencies", "CurrentUser")
        .from("app.database", "SessionDep")
        .from("app.errors", "responses")
        .from("typing", "Annotated")
        .from("fastapi", "Query")
        .from(
            &format!("app.{snake}.schemas"),
            &format!("{class}ListQuery"),
        );
    router_imports.from(&format!("app.{snake}.models"), class);
    if r.soft_delete {
        router_imports
            .from(&deps, &format!("{class}ForRestore"))
            .from("app.auth.dependencies", "OptionalUser")
            .from("app.auth.permissions", "require_admin");
        dependency_imports
            .from("app.auth.dependencies", "CurrentUser")
            .from("app.auth.permissions", "require_admin");
    }
    if hidden {
        router_imports
            .from(&deps, "FIELD_READERS")
            .from("app.auth.dependencies", "OptionalUser")
            .from("app.auth.models", "User")
            .from("app.auth.permissions", "hidden_fields");
    }
    if guarded {
        router_imports
            .from(&deps, "FIELD_WRITERS")
            .from("app.auth.permissions", "check_writable");
    }
    service_imports
        .from(&format!("app.{snake}"), "hooks")
        .from("app.auth.models", "User");
    if !list.search.is_empty() {
        service_imports.from("sqlalchemy", "or_");
    }
    if !list.cursor {
        service_imports.from("sqlalchemy", "func");
    }
    if list.cursor {
        service_imports
            .from("app.pagination", "after")
            .from("app.pagination", "row_keys");
        router_imports
            .from("typing", "Any")
            .from("app.pagination", "CursorSecret")
            .from("app.pagination", "decode_cursor")
            .from("app.pagination", "encode_cursor");
    }
    if list.filters.iter().any(|(p, _)| p.ends_with("__isnull")) {
        service_imports.from("app.database", "is_null");
    }
    if !list.filter_cases.is_empty() || !list.sort_cases.is_empty() || !boundaries.is_empty() {
        test_imports.from("decimal", "Decimal");
    }
    let mut hooks_imports = Imports::default();
    hooks_imports
        .module("logging")
        .from("sqlalchemy.ext.asyncio", "AsyncSession")
        .from(&format!("app.{snake}.models"), class)
        .from(&format!("app.{snake}.schemas"), &format!("{class}Create"))
        .from(&format!("app.{snake}.schemas"), &format!("{class}Update"))
        .from("app.auth.models", "User");
    test_imports
        .from(&format!("app.{snake}"), "hooks")
        .from("tests.helpers", "recording");
    let nested_lists = inverses.nested.get(class).cloned().unwrap_or_default();
    for n in &nested_lists {
        let parent_module = format!("app.{}", n.parent_snake);
        router_imports.from(
            &format!("{parent_module}.dependencies"),
            &format!("{}ForRead", n.parent_class),
        );
        if n.parent_class != class {
            router_imports.from(
                &parent_module,
                &format!("service as {}_service", n.parent_snake),
            );
        }
    }
    for c in model_collections.iter().filter(|c| c.many_to_many) {
        router_imports.from("app.schemas", &c.target_id_path);
    }
    let link_fields: Vec<String> = model_collections
        .iter()
        .filter(|c| c.many_to_many)
        .map(|c| python::string(&c.ids_field))
        .collect();
    let dump_exclude = if link_fields.is_empty() {
        String::new()
    } else {
        let one_line = format!("LINK_FIELDS = {{{}}}", link_fields.join(", "));
        if one_line.len() <= python::LINE_LENGTH {
            one_line
        } else {
            format!("LINK_FIELDS = {{\n    {},\n}}", link_fields.join(",\n    "))
        }
    };
    // Built when a query runs, not at import: the mappers are configured
    // only once every model module is imported.
    let (load_options, load_options_get) = if load.is_empty() {
        (String::new(), String::new())
    } else {
        (
            call("stmt = stmt.options", &load, "", 4),
            call("query = query.options", &load, "", 4),
        )
    };
    for c in &model_collections {
        test_imports.from("tests.factories", &c.target_factory);
    }
    for factory in one_to_one_cases
        .iter()
        .map(|p| &p.factory)
        .chain(deletions.iter().map(|d| &d.factory))
    {
        test_imports.from("tests.factories", factory);
    }
    let hidden_field = fields
        .iter()
        .find(|f| f.raw.read.is_some() && !f.raw.read_only)
        .map(|f| (f.name.clone(), python::literal(&f.samples_cache[0])));
    let guarded_field = fields
        .iter()
        .find(|f| f.raw.write.is_some())
        .map(|f| (f.name.clone(), python::literal(&f.samples_cache[0])));
    let renamed: Vec<String> = fields
        .iter()
        .filter(|f| f.attr != f.name)
        .map(|f| python::string(&f.name))
        .collect();
    let renamed = match renamed.as_slice() {
        [] => String::new(),
        [one] => format!("RENAMED = ({one},)"),
        many => call("RENAMED = ", many, "", 0),
    };
    test_imports
        .from("tests.factories", &format!("{snake}_body"))
        .from("tests.factories", &format!("{snake}_parents"))
        .from("tests.helpers", "assert_problem")
        .from("tests.helpers", "error_fields")
        .from("tests.helpers", "page_count");
    for t in &owned_targets {
        test_imports.from("tests.factories", &t.factory);
    }
    // The example body for /docs: the spec's `example`, else sample 0 with
    // every relation pointing at id 1.
    let example = example.unwrap_or_else(|| {
        let mut entries: Vec<(String, Json)> = sample_values
            .iter()
            .map(|(name, values)| (name.clone(), values[0].clone()))
            .collect();
        entries.extend(relations.iter().map(|rel| {
            let placeholder = serde_json::from_str(rel.target_id.row().example)
                .expect("id placeholders are JSON");
            (format!("{}_id", rel.name), placeholder)
        }));
        entries
    });
    let create_config = format!(
        "model_config = ConfigDict(\n        extra=\"forbid\",\n        json_schema_extra={{\n            \"examples\": [\n                {},\n            ],\n        }},\n    )",
        python::dict_at(&example, 16)
    );
    let docs_example = format!("EXAMPLE: dict[str, Any] = {}", python::dict_at(&example, 0));
    // Its test points the relation ids at rows it creates (numbers are
    // assigned by `finish_tests`, once the samples are final).
    let referenced: Vec<&RelationPlan> = relations
        .iter()
        .filter(|rel| {
            let column = format!("{}_id", rel.name);
            example.iter().any(|(k, v)| *k == column && !v.is_null())
        })
        .collect();
    let example_targets: Vec<String> = referenced
        .iter()
        .map(|rel| rel.target_class.clone())
        .collect();
    let example_refs: Vec<ExampleRef> = referenced
        .iter()
        .map(|rel| ExampleRef {
            column: format!("{}_id", rel.name),
            factory: rel
                .target_snake
                .as_ref()
                .map(|s| format!("create_{s}"))
                .unwrap_or_default(),
            n: 0,
        })
        .collect();
    for e in example_refs.iter().filter(|e| !e.factory.is_empty()) {
        test_imports.from("tests.factories", &e.factory);
    }
    let example_uniques: Vec<(Json, Vec<Json>)> = fields
        .iter()
        .filter(|f| f.raw.unique)
        .filter_map(|f| {
            example
                .iter()
                .find(|(k, _)| *k == f.name)
                .map(|(_, v)| (v.clone(), f.samples_cache.clone()))
        })
        .collect();
    // read_only and write_only fields, and the audit columns, for their tests.
    let mut server_set = Vec::new();
    let mut read_only = Vec::new();
    for f in fields.iter().filter(|f| f.raw.read_only) {
        let initial = f
            .default
            .as_ref()
            .map_or("None".to_owned(), python::literal);
        let value = python::literal(&f.samples_cache[0]);
        server_set.push(format!("{{{}: {value}}}", python::string(&f.name)));
        read_only.push(call(
            "pytest.param",
            &[
                python::string(&f.name),
                initial,
                value,
                format!("id={}", python::string(&f.name.replace('_', "-"))),
            ],
            ",",
            4,
        ));
    }
    if r.audit {
        for name in AUDIT_COLUMNS {
            server_set.push(format!("{{{}: admin.id}}", python::string(name)));
        }
        test_imports
            .from("fastapi", "FastAPI")
            .from("sqlalchemy", "delete")
            .from("app.auth.models", "User");
    }
    let write_only_cases: Vec<(String, String, String)> = fields
        .iter()
        .filter(|f| f.raw.write_only)
        .map(|f| {
            let first = &f.samples_cache[0];
            let second = f.samples_cache.get(1).unwrap_or(first);
            (
                f.name.clone(),
                python::literal(first),
                python::literal(second),
            )
        })
        .collect();
    if !write_only_cases.is_empty() {
        test_imports
            .from("fastapi", "FastAPI")
            .from(&format!("app.{snake}.models"), class)
            .from(&format!("app.{snake}.schemas"), &format!("{class}Create"));
    }
    // Sequence ids grow with each insert; random ones (uuid4) do not, and
    // the API orders them as their text (PostgreSQL's `uuid` and SQLite's
    // hex `CHAR(32)` alike), as Python sorts the JSON strings.
    let (order_ids, late_row_checks) = if own_id.kind == IdKind::Uuid {
        (
            "ids.sort()".to_owned(),
            "assert len(seen) == len(set(seen))\n    \
             assert [i for i in seen if i not in late] == sorted(ids, reverse=True)"
                .to_owned(),
        )
    } else {
        (
            String::new(),
            "assert seen == sorted(ids, reverse=True)\n    assert late[0] not in seen".to_owned(),
        )
    };
    let description_doc = match r.description.as_deref() {
        Some(text) if !text.trim().is_empty() => {
            let lines = python::docstring_lines(text, 4);
            format!("\n\n    {}\n    ", lines.join("\n    "))
        }
        _ => String::new(),
    };
    let description_py = python::string(r.description.as_deref().unwrap_or(&format!(
        "Operations on {}.",
        names::words(plural).to_lowercase()
    )));
    let tag = names::kebab(plural);
    let one_line = format!("{{\"name\": \"{tag}\", \"description\": {description_py}}},");
    let tag_entry = if one_line.len() + 4 <= python::LINE_LENGTH {
        one_line
    } else {
        format!(
            "{{\n        \"name\": \"{tag}\",\n        \"description\": {description_py},\n    }},"
        )
    };
    Resolved {
        key: String::new(),
        table: table_schema,
        required_targets,
        target_tables,
        capacity,
        extra_tables,
        example_targets,
        example_uniques,
        resource: Resource {
            class_name: class.to_owned(),
            snake: snake.to_owned(),
            plural: plural.to_owned(),
            words: words.clone(),
            plural_words: names::words(plural).to_lowercase(),
            url: format!("/{}", names::kebab(plural)),
            table,
            tag,
            id_param: format!("{snake}_id"),
            id_type: own_id.python.to_owned(),
            id_path: own_id.path.to_owned(),
            id_decl,
            description_py,
            description_doc,
            audit: r.audit,
            owned: r.owned,
            public_read: read_rule_anyone,
            timestamps: r.timestamps.unwrap_or(true),
            soft_delete: r.soft_delete,
            fields: model_fields,
            relations: model_relations,
            links: model_collections
                .iter()
                .filter(|c| c.many_to_many)
                .cloned()
                .collect(),
            collections: model_collections,
            nested_lists,
            dump_exclude,
            load_options,
            load_options_get,
            enums,
            model_imports: format!("{}{type_checking_block}", model_imports.render()),
            schema_imports: schema_imports.render(),
            service_imports: service_imports.render(),
            test_imports: test_imports.render(),
            dependency_imports: dependency_imports.render(),
            router_imports: router_imports.render(),
            hooks_imports: hooks_imports.render(),
            scoped_references,
            read,
            create,
            update,
            delete,
            field_readers,
            field_writers,
            list: ListSpec::default(),
            response_type: if hidden {
                format!("{class}Read")
            } else {
                class.to_owned()
            },
            create_config,
            tag_entry,
            not_null_on_update,
            unique_fields,
            unique_together,
            table_args,
            tests: ResourceTests {
                missing_id: own_id.missing.to_owned(),
                id_json: if own_id.kind == IdKind::Uuid {
                    "str"
                } else {
                    "int"
                }
                .to_owned(),
                malformed_ids: own_id.malformed.to_owned(),
                order_ids,
                late_row_checks,
                rows: 0,
                creator: "member".into(),
                reader: String::new(),
                updater: String::new(),
                deleter: String::new(),
                hidden_field,
                guarded_field,
                renamed,
                samples,
                parents,
                invalid,
                update_field,
                update_value,
                not_null_field,
                owned_targets,
                references,
                deletions,
                boundaries,
                shared_parents,
                one_to_one: one_to_one_cases,
                unique_cases,
                read_only,
                write_only: write_only_cases,
                server_set,
                docs_example,
                example_refs,
            },
        },
    }
}

/// `__table_args__ = (...)` of a model with composite unique constraints
/// and indexes, laid out at 4 spaces; empty when there are none. Their
/// names come from the naming convention, like every other constraint's.
fn table_args(unique: &[Vec<String>], indexes: &[Vec<String>]) -> String {
    let quoted = |g: &Vec<String>| -> Vec<String> { g.iter().map(|c| python::string(c)).collect() };
    let mut items: Vec<String> = unique
        .iter()
        .map(|g| call("UniqueConstraint", &quoted(g), "", 8))
        .collect();
    for g in indexes {
        let mut args = vec!["None".to_owned()];
        args.extend(quoted(g));
        items.push(call("Index", &args, "", 8));
    }
    match items.as_slice() {
        [] => String::new(),
        // A one-element tuple keeps its comma; ruff does not treat it as magic.
        [one]
            if !one.contains('\n')
                && 4 + "__table_args__ = (,)".len() + one.len() <= python::LINE_LENGTH =>
        {
            format!("__table_args__ = ({one},)")
        }
        _ => call("__table_args__ = ", &items, "", 4),
    }
}

/// Import blocks of `app/main.py` and `app/models.py`, which import every resource.
fn app_imports(resources: &[Resource]) -> (String, String) {
    let mut main = Imports::default();
    main.from("collections.abc", "AsyncIterator")
        .from("collections.abc", "Awaitable")
        .from("collections.abc", "Callable")
        .from("contextlib", "asynccontextmanager")
        .from("fastapi", "FastAPI")
        .from("fastapi", "Request")
        .from("fastapi", "Response")
        .from("fastapi.middleware.cors", "CORSMiddleware")
        .from("fastapi.routing", "APIRoute")
        .from("app", "errors")
        .from("app.auth.router", "router as auth_router")
        .from("app.config", "Settings")
        .from("app.config", "get_settings")
        .from("app.database", "create_engine")
        .from("app.database", "create_sessionmaker")
        .from("app.middleware", "BodySizeLimit")
        .from("app.ratelimit", "create_rate_limiter");
    let mut models = Imports::default();
    models
        .from("app.auth.models", "User")
        .from("app.database", "Base");
    for r in resources {
        main.from(
            &format!("app.{}.router", r.snake),
            &format!("router as {}_router", r.snake),
        );
        if !r.nested_lists.is_empty() {
            main.from(
                &format!("app.{}.router", r.snake),
                &format!("nested as {}_nested", r.snake),
            );
        }
        models.from(&format!("app.{}.models", r.snake), &r.class_name);
    }
    (main.render(), models.render())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_the_api_returns_them() {
        let t = |s: &str| time_text(s).and_then(|j| j.as_str().map(str::to_owned));
        assert_eq!(t("08:00").as_deref(), Some("08:00:00"));
        assert_eq!(t("23:59:59").as_deref(), Some("23:59:59"));
        assert_eq!(t("08:00:00.5").as_deref(), Some("08:00:00.500000"));
        assert_eq!(t("08:00:00.000").as_deref(), Some("08:00:00"));
        for bad in ["8:00", "24:00", "12:60", "12:00:00+01:00", "12:00Z", "noon"] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn urls_must_be_in_the_form_pydantic_returns() {
        for good in [
            "https://example.com/",
            "http://127.0.0.1:8080/a/b?c=d&e=f#g",
            "https://xn--bcher-kva.de/it's",
            "https://example.com/%20x",
        ] {
            assert_eq!(check_url(good), Ok(()), "{good}");
        }
        for bad in [
            "https://example.com",
            "HTTPS://example.com/",
            "https://Example.com/",
            "ftp://example.com/",
            "https://example.com:443/",
            "http://example.com:80/",
            "https://example.com:0443/",
            "https://example.com/a/./b",
            "https://example.com/%2E%2E/b",
            "http://1.2.3/",
            "http://256.1.1.1/",
            "https://example.com/a b",
            "https://example.com/?q='x'",
            "https://user@example.com/",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
        let long = format!("https://example.com/{}", "x".repeat(2029));
        assert!(check_url(&long).unwrap_err().contains("longer than 2048"));
    }

    #[test]
    fn filter_statements_wrap_like_ruff() {
        let short = Condition::compare("Post.views", "==", "query.views");
        assert_eq!(
            short.statement(),
            "stmt = stmt.where(Post.views == query.views)"
        );
        let call = Condition::call(
            "Venue.booking_page.icontains",
            &[
                "query.booking_page__contains".into(),
                "autoescape=True".into(),
            ],
        );
        assert_eq!(
            call.statement(),
            "stmt = stmt.where(\n            Venue.booking_page.icontains(query.booking_page__contains, autoescape=True)\n        )"
        );
        let long = Condition::compare(
            "WarehouseShelfBinSlot.max_weight_kilograms",
            ">=",
            "query.max_weight_kilograms__gte",
        );
        assert_eq!(
            long.statement(),
            "stmt = stmt.where(\n            WarehouseShelfBinSlot.max_weight_kilograms\n            >= query.max_weight_kilograms__gte\n        )"
        );
    }

    fn model(text: &str) -> Model {
        let (raw, spans) = crate::spec::parse("t.yaml", text).expect("parses");
        let spec = Spec {
            file: "t.yaml".into(),
            text: text.into(),
            raw,
            spans,
        };
        validate(&spec).expect("valid")
    }

    #[test]
    fn id_types_reach_keys_foreign_keys_links_filters_and_tests() {
        let m = model(
            "version: 1\nproject: {name: shop}\nresources:\n  Tag:\n    id: uuid\n    fields: {label: string}\n  Product:\n    id: bigint\n    fields: {name: string}\n    relations:\n      tags: {kind: many_to_many, to: Tag}\n  Line:\n    fields: {quantity: int}\n    relations:\n      product: {kind: many_to_one, to: Product}\n      tag: {kind: many_to_one, to: Tag, nullable: true}\n    list: {filter: [tag]}\n",
        );
        let res = |name: &str| m.resources.iter().find(|r| r.class_name == name).unwrap();
        let column = |table: &str, name: &str| {
            m.schema
                .table(table)
                .and_then(|t| t.column(name))
                .map(|c| c.sql_type.clone())
                .unwrap()
        };
        use schema::SqlType as S;
        // Keys.
        assert_eq!(column("tags", "id"), S::Uuid);
        assert_eq!(column("products", "id"), S::BigId);
        assert_eq!(column("lines", "id"), S::Integer);
        let tag = res("Tag");
        assert_eq!(
            (tag.id_type.as_str(), tag.id_path.as_str()),
            ("UUID", "UuidPath")
        );
        assert_eq!(
            tag.id_decl,
            "id: Mapped[UUID] = mapped_column(Uuid(), primary_key=True, default=uuid4)"
        );
        assert!(
            tag.model_imports.contains("from uuid import UUID, uuid4"),
            "{}",
            tag.model_imports
        );
        assert!(
            res("Product")
                .id_decl
                .contains("BigInteger().with_variant(Integer(), \"sqlite\")")
        );
        assert_eq!(
            res("Line").id_decl,
            "id: Mapped[int] = mapped_column(primary_key=True)"
        );
        // Foreign keys and association tables take the target's type.
        assert_eq!(column("lines", "product_id"), S::BigId);
        assert_eq!(column("lines", "tag_id"), S::Uuid);
        assert_eq!(column("product_tags", "product_id"), S::BigId);
        assert_eq!(column("product_tags", "tag_id"), S::Uuid);
        let line = res("Line");
        assert_eq!(line.relations[0].create_decl, "product_id: BigId");
        assert_eq!(line.relations[1].read_decl, "tag_id: UUID | None");
        assert!(
            line.relations[1]
                .model_decl
                .starts_with("tag_id: Mapped[UUID | None] = mapped_column(\n        Uuid(),"),
            "{}",
            line.relations[1].model_decl
        );
        assert!(
            line.list
                .params
                .contains(&"tag_id: UUID | None = None".to_owned())
        );
        assert!(
            line.list
                .params
                .contains(&"tag_id__in: CommaList[UUID] = None".to_owned())
        );
        let link = &res("Product").links[0];
        assert_eq!(link.read_decl, "tag_ids: list[UUID]");
        assert_eq!(link.target_id_path, "UuidPath");
        assert!(
            link.association_decl
                .contains("\"tag_id\",\n        Uuid(),\n        ForeignKey(\"tags.id\"")
                && link
                    .association_decl
                    .contains("BigInteger().with_variant(Integer(), \"sqlite\"),"),
            "{}",
            link.association_decl
        );
        // The /docs example points at a placeholder of the target's type.
        assert!(
            line.create_config
                .contains("\"tag_id\": \"00000000-0000-4000-8000-000000000001\"")
        );
        // Tests: missing and malformed ids, and the order of random ids.
        assert_eq!(tag.tests.missing_id, "00000000-0000-4000-8000-000000000000");
        assert_eq!(res("Product").tests.missing_id, "9223372036854775807");
        assert_eq!(tag.tests.order_ids, "ids.sort()");
        assert!(res("Product").tests.order_ids.is_empty());
        assert!(
            line.tests
                .invalid
                .iter()
                .any(|i| i.contains("\"not-a-uuid\""))
        );
        // `app/schemas.py` defines the aliases only when some key needs them.
        assert!(m.id_aliases.contains("BigIdPath = ") && m.id_aliases.contains("UuidPath = "));
        assert_eq!(m.uuid_import, "from uuid import UUID\n");
        let plain = category("Books");
        assert!(plain.id_aliases.is_empty() && plain.uuid_import.is_empty());
    }

    fn category(example_name: &str) -> Model {
        model(&format!(
            "version: 1\nproject: {{name: shop}}\nresources:\n  Category:\n    fields:\n      name: {{type: string, unique: true, example: Books}}\n    relations:\n      parent: {{kind: many_to_one, to: Category, nullable: true}}\n    example: {{name: {example_name}, parent_id: 1}}\n"
        ))
    }

    #[test]
    fn example_parents_of_the_same_resource_avoid_its_unique_values() {
        // Sample 0 of `name` is its field example, `Books`: the parent row
        // the test creates must take another sample.
        let refs = |m: &Model| m.resources[0].tests.example_refs.clone();
        let clash = refs(&category("Books"));
        assert_eq!(clash.len(), 1);
        assert_eq!(
            (clash[0].column.as_str(), clash[0].factory.as_str()),
            ("parent_id", "create_category")
        );
        assert_eq!(clash[0].n, 1);
        assert_eq!(refs(&category("Novels"))[0].n, 0);
    }

    #[test]
    fn read_only_write_only_and_audit_shape_the_schemas_and_table() {
        let m = model(
            "version: 1\nproject: {name: shop}\nresources:\n  Account:\n    audit: true\n    fields:\n      name: string\n      score: {type: int, default: 0, read_only: true}\n      secret: {type: string, nullable: true, write_only: true}\n",
        );
        let r = &m.resources[0];
        let field = |name: &str| r.fields.iter().find(|f| f.name == name).unwrap();
        assert!(field("score").create_decl.is_empty() && field("score").update_decl.is_empty());
        assert_eq!(field("score").read_decl, "score: int");
        assert!(field("secret").read_decl.is_empty() && !field("secret").create_decl.is_empty());
        assert!(
            r.tests
                .invalid
                .iter()
                .any(|c| c.contains("id=\"score-read-only\""))
        );
        let table = m.schema.table("accounts").unwrap();
        for column in AUDIT_COLUMNS {
            assert!(table.column(column).unwrap().nullable);
            assert!(table.indexes.iter().any(|i| i == column));
            let fk = table
                .foreign_keys
                .iter()
                .find(|f| f.column == column)
                .unwrap();
            assert_eq!(
                (fk.target.as_str(), fk.on_delete.as_str()),
                ("users", "SET NULL")
            );
        }
        assert!(r.create_config.contains("\"secret\""));
        assert!(!r.create_config.contains("\"score\""));
    }
}
