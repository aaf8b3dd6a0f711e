//! The resolved model: everything the templates need, decided once.
//!
//! Built only by [`crate::check::validate`]; every name is here in each
//! case it is used in, every Python, SQLAlchemy, Alembic and Pydantic type
//! already chosen, every declaration already laid out as `ruff format`
//! would. Templates only place these pieces.

use serde::Serialize;

/// A validated spec, ready to render.
#[derive(Debug, Clone, Serialize)]
pub struct Model {
    /// Project metadata.
    pub project: Project,
    /// Authentication settings.
    pub auth: Auth,
    /// Resources in spec order.
    pub resources: Vec<Resource>,
    /// The database schema: tables in creation order, `users` first.
    pub schema: crate::schema::Schema,
    /// The spec text, copied verbatim to `gen.yaml`.
    pub spec_text: String,
    /// Import block of `app/main.py`.
    pub main_imports: String,
    /// Import block of `app/models.py`.
    pub models_imports: String,
    /// `Base`, `User` and every model class, sorted (for `__all__`).
    pub all_models: Vec<String>,
    /// Longest URL a `url` field stores (its column's length).
    pub max_url_length: u64,
    /// `from uuid import UUID` (with its newline) when some resource has
    /// `id: uuid`, for `app/schemas.py`; else empty.
    pub uuid_import: String,
    /// Definitions of the id types of `bigint` and `uuid` keys in
    /// `app/schemas.py` (`BigId`, `BigIdPath`, `UuidPath`), each preceded by
    /// a blank line; empty when every key is `int`.
    pub id_aliases: String,
}

/// Project metadata.
#[derive(Debug, Clone, Serialize)]
pub struct Project {
    /// Distribution name (`blog`).
    pub name: String,
    /// OpenAPI title as a Python string literal.
    pub title_py: String,
    /// Plain title, for Markdown.
    pub title: String,
    /// OpenAPI description as a Python string literal.
    pub description_py: String,
    /// Plain description, for Markdown.
    pub description: String,
    /// Version string.
    pub version: String,
    /// Route prefix (`/api/v1`, or empty).
    pub api_prefix: String,
}

/// Authentication settings.
#[derive(Debug, Clone, Serialize)]
pub struct Auth {
    /// Roles, `admin` first.
    pub roles: Vec<String>,
    /// Role given at signup.
    pub default_role: String,
    /// Roles as a Python `Literal[...]` type.
    pub role_literal: String,
    /// Access token lifetime in minutes.
    pub access_token_minutes: u32,
    /// Refresh token lifetime in days.
    pub refresh_token_days: u32,
    /// `auth.user_fields`: extra fields of the built-in User.
    pub user_fields: Vec<Field>,
    /// Their columns, after the built-in ones.
    pub user_columns: Vec<crate::schema::Column>,
    /// Enum classes of those fields.
    pub user_enums: Vec<EnumType>,
    /// Import block of `app/auth/models.py`.
    pub user_model_imports: String,
    /// Import block of `app/auth/schemas.py`.
    pub user_schema_imports: String,
    /// `@field_validator(...)` line rejecting null for `email` and required user fields.
    pub user_not_null_on_update: String,
    /// `"name": value,` lines of a valid value for each user field (tests).
    pub user_sample: Vec<String>,
    /// JSON names of the user fields whose Python attribute differs (`from`
    /// for `from_`), for the test that the API uses the names.
    pub user_renamed: Vec<String>,
}

/// One resource, with every name it needs.
#[derive(Debug, Clone, Serialize)]
pub struct Resource {
    /// Model class name (`OrderItem`).
    pub class_name: String,
    /// snake_case singular (`order_item`): package and variable name.
    pub snake: String,
    /// snake_case plural (`order_items`): function names.
    pub plural: String,
    /// Words, singular (`Order item`).
    pub words: String,
    /// Words, plural, lower case (`order items`).
    pub plural_words: String,
    /// Route path under the prefix (`/order-items`).
    pub url: String,
    /// Table name (`order_items`).
    pub table: String,
    /// OpenAPI tag (`order-items`).
    pub tag: String,
    /// Path parameter (`order_item_id`).
    pub id_param: String,
    /// Python type of the `id` (`int`, `UUID`).
    pub id_type: String,
    /// Type of the path parameter `id_param` (`IdPath`, `BigIdPath`, `UuidPath`).
    pub id_path: String,
    /// `id: Mapped[...] = mapped_column(...)` of the model, laid out at 4 spaces.
    pub id_decl: String,
    /// Tag description as a Python string literal.
    pub description_py: String,
    /// The spec's `description` as a docstring paragraph for the model and
    /// Read classes (`\n\n    Text...\n    `, closing quotes on their own
    /// line), or empty.
    pub description_doc: String,
    /// `created_by_id` and `updated_by_id` record who created and who last
    /// changed each row.
    pub audit: bool,
    /// Rows belong to the user who created them.
    pub owned: bool,
    /// GET endpoints need no token (`read` includes `anyone`).
    pub public_read: bool,
    /// Who may read rows.
    pub read: Access,
    /// Who may create rows.
    pub create: Access,
    /// Who may update rows.
    pub update: Access,
    /// Who may delete rows.
    pub delete: Access,
    /// Filters, sorting and search of the list endpoint.
    pub list: ListSpec,
    /// What write and read handlers return: the model (`Post`), or the Read
    /// schema (`PostRead`) when some fields must be left out per caller.
    pub response_type: String,
    /// What a list page's rows are once the router has them: the model, or
    /// its Read schema when some fields are hidden from some roles.
    pub page_item: String,
    /// Fields only some roles see: (Python attribute, Python `frozenset` of
    /// those roles); attributes, as `model_dump(exclude=...)` takes them.
    pub field_readers: Vec<(String, String)>,
    /// Fields only some roles may set: (Python attribute, Python `frozenset`
    /// of those roles); attributes, as `model_fields_set` holds them.
    pub field_writers: Vec<(String, String)>,
    /// `created_at` and `updated_at` columns.
    pub timestamps: bool,
    /// DELETE only sets `deleted_at`; admins list (`include_deleted`) and
    /// restore deleted rows.
    pub soft_delete: bool,
    /// Fields in spec order.
    pub fields: Vec<Field>,
    /// Many-to-one and one-to-one relations (a foreign key here), in spec order.
    pub relations: Vec<Relation>,
    /// One-to-many and many-to-many relations declared here, in spec order.
    pub collections: Vec<Collection>,
    /// Many-to-many relations declared here (a subset of `collections`).
    pub links: Vec<Collection>,
    /// Lists of this resource under a parent row (`/posts/{post_id}/comments`),
    /// from the parents' `one_to_many` and `many_to_many` relations.
    pub nested_lists: Vec<NestedList>,
    /// Enum classes defined in the models module.
    pub enums: Vec<EnumType>,
    /// Import block of `models.py`.
    pub model_imports: String,
    /// Import block of `schemas.py`.
    pub schema_imports: String,
    /// Import block of `service.py`.
    pub service_imports: String,
    /// `repository = Repository(...)` of `service.py`, laid out by
    /// [`crate::layout::service`].
    pub repository_decl: String,
    /// Import block of the tests module.
    pub test_imports: String,
    /// Import block of `dependencies.py`.
    pub dependency_imports: String,
    /// Import block of `router.py`.
    pub router_imports: String,
    /// Import block of the user's `hooks.py`.
    pub hooks_imports: String,
    /// `class <Class>Hooks(Hooks[...]):` of the user's `hooks.py`.
    pub hooks_class: String,
    /// `model_config = ConfigDict(...)` of the Create schema, with an example body.
    pub create_config: String,
    /// `TAGS` entry in `app/main.py`, laid out at 4 spaces.
    pub tag_entry: String,
    /// Python tuple of the attributes that may not be set to null on update,
    /// or empty when there are none.
    pub not_null_on_update: String,
    /// Fields with `unique: true`: (Python attribute, JSON name).
    pub unique_fields: Vec<(String, String)>,
    /// `__table_args__ = (...)` of the model (composite unique constraints
    /// and indexes), laid out at 4 spaces; empty when there are none.
    pub table_args: String,
    /// What the generated tests need.
    pub tests: ResourceTests,
}

/// What a list endpoint filters, sorts and searches by.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ListSpec {
    /// Field declarations of the query model (filters), laid out at 4 spaces.
    pub params: Vec<String>,
    /// `(attribute, statement)`: the service runs `statement`
    /// (`stmt = stmt.where(...)`, laid out at 8 spaces) when the query
    /// model's attribute (the parameter, or `from_` for `?from=`) is set.
    pub filters: Vec<(String, String)>,
    /// `(key, column)` pairs the list may be sorted by (`("from", "Trip.from_")`).
    pub sort_columns: Vec<(String, String)>,
    /// `SORT_KEYS = (...)`: the sort keys as a Python tuple.
    pub sort_keys: String,
    /// The default `sort` value (`id`, `-created_at`).
    pub default_sort: String,
    /// Columns `q` searches (`Post.title`).
    pub search: Vec<String>,
    /// `pytest.param(parameter, json key, operator, id=...)` lines for the filter tests.
    pub filter_cases: Vec<String>,
    /// `"key": "number" | "decimal" | "text"` lines: how tests compare values of each key.
    pub kinds: Vec<String>,
    /// Sort keys other than `id`, for the sort tests.
    pub sort_cases: Vec<String>,
    /// JSON keys of searched fields, for the search test.
    pub search_keys: Vec<String>,
    /// Cursor (keyset) pagination instead of limit/offset.
    pub cursor: bool,
    /// Base class of the query model: `ListQuery` or `CursorQuery`.
    pub query_base: String,
    /// Generic page type: `Page` or `CursorPage`.
    pub page_base: String,
    /// The repository method that reads a page: `cursor_page` or `offset_page`.
    pub page_method: String,
}

/// Who may perform one action on a resource.
#[derive(Debug, Clone, Serialize)]
pub struct Access {
    /// The `Rule(...)` expression of `app/auth/permissions.py`.
    pub rule: String,
    /// What a user with the default role may do.
    pub member: Reach,
    /// No token needed.
    pub anonymous: bool,
    /// In words, for the README (`the owner, editors, admins`).
    pub who: String,
}

/// Which rows a user with the default role may act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every row.
    All,
    /// Only the rows they own.
    Own,
    /// None.
    None,
}

impl Serialize for Reach {
    /// Serialized as `{"all": bool, "own": bool, "none": bool}`, exactly one
    /// true, so that templates test a flag (`r.read.member.own`) instead of
    /// comparing a string.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(3))?;
        map.serialize_entry("all", &(*self == Reach::All))?;
        map.serialize_entry("own", &(*self == Reach::Own))?;
        map.serialize_entry("none", &(*self == Reach::None))?;
        map.end()
    }
}

/// A model field.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// JSON name, column name and query parameter (`from`).
    pub name: String,
    /// Python attribute in the model and the schemas: `name`, or `name_`
    /// when `name` cannot be one (`from_`; see [`crate::names::attribute`]).
    pub attr: String,
    /// Words for docstrings (`Published at`).
    pub words: String,
    /// `name: Mapped[...] = mapped_column(...)`, laid out at 4 spaces.
    pub model_decl: String,
    /// Create schema declaration; empty for a `read_only` field.
    pub create_decl: String,
    /// Update schema declaration; empty for a `read_only` field.
    pub update_decl: String,
    /// Read schema declaration; empty for a `write_only` field.
    pub read_decl: String,
    /// Unique constraint.
    pub unique: bool,
    /// Plain (non-unique) index.
    pub index: bool,
}

/// A one-to-many or many-to-many relation, seen from the resource that
/// declares it (the parent of the nested list).
#[derive(Debug, Clone, Serialize)]
pub struct Collection {
    /// Relationship attribute (`tags`, `comments`).
    pub name: String,
    /// Words, lower case (`tags`).
    pub words: String,
    /// A many-to-many relation (else one-to-many).
    pub many_to_many: bool,
    /// Target class (`Tag`).
    pub target_class: String,
    /// Target words, singular, lower case (`tag`).
    pub target_words: String,
    /// The relationship declaration of the model, laid out at 4 spaces.
    pub relationship_decl: String,
    /// Service function returning the condition that selects the target
    /// rows of one parent (`tags_of`).
    pub where_fn: String,
    /// `def <where_fn>(<snake>: <Class>) -> ColumnElement[bool]:`, laid out
    /// as `ruff format` would.
    pub where_def: String,
    /// Its `return ...` statement, laid out at 4 spaces.
    pub where_return: String,
    /// Many-to-many: JSON field of the linked ids (`tag_ids`).
    pub ids_field: String,
    /// Many-to-many: association table, also its Python name (`post_tags`).
    pub association: String,
    /// Many-to-many: `post_tags = Table(...)`, laid out at column 0.
    pub association_decl: String,
    /// Many-to-many: path parameter of the linked row (`tag_id`).
    pub target_id_param: String,
    /// Python type of the target's `id` (`int`, `UUID`).
    pub target_id_type: String,
    /// Type of the path parameter `target_id_param` (`IdPath`, `UuidPath`).
    pub target_id_path: String,
    /// Tests: an id no target row has, as a URL path segment.
    pub target_missing: String,
    /// Tests: that id as a Python literal.
    pub target_missing_py: String,
    /// Tests: the statement checking that linking that id is a 404, laid
    /// out at 4 spaces.
    pub missing_link_check: String,
    /// Many-to-many: route segment under the parent row (`/tags`).
    pub segment: String,
    /// Many-to-many: the `return` of the model's `ids_field` property, laid
    /// out at 8 spaces.
    pub ids_return: String,
    /// The target resource soft-deletes: its deleted rows are left out.
    pub target_soft: bool,
    /// Many-to-many: Create, Update and Read schema declarations of `ids_field`.
    pub create_decl: String,
    /// See `create_decl`.
    pub update_decl: String,
    /// See `create_decl`.
    pub read_decl: String,
    /// Tests: factory creating a target row (`create_tag`).
    pub target_factory: String,
    /// Tests: one-to-many, the target's foreign key column (`post_id`).
    pub via_column: String,
    /// Tests: ` + 2` when the target is this resource, so that children
    /// take other samples than their parents (unique values); else empty.
    pub child_offset: String,
    /// Tests: route of the target resource (`/tags`).
    pub target_url: String,
    /// The target rows are owned: only their owner (or an admin) may link them.
    pub target_owned: bool,
    /// Tests: when the default role creates rows of both sides, the
    /// assertion on `response`, another user's request for the nested list
    /// under the first user's row.
    pub other_user_check: Option<String>,
    /// Tests: `child = ` when that check names the child row, else empty.
    pub child_binding: String,
}

/// A list of one resource's rows under a parent row, served by the listed
/// resource's router (`GET /posts/{post_id}/comments`).
#[derive(Debug, Clone, Serialize)]
pub struct NestedList {
    /// Route path without the API prefix (`/posts/{post_id}/comments`).
    pub path: String,
    /// Endpoint function (`list_post_comments`).
    pub function: String,
    /// Parent class (`Post`), loaded by its `PostForRead` dependency.
    pub parent_class: String,
    /// Parent variable name (`post`).
    pub parent_snake: String,
    /// `post_service.comments_of(post)`: the condition passed to the list.
    pub where_call: String,
    /// OpenAPI summary (`List the comments of a post`).
    pub summary: String,
}

/// A many-to-one (or one-to-one) relation: a foreign key column and a relationship.
#[derive(Debug, Clone, Serialize)]
pub struct Relation {
    /// Relationship attribute (`category`).
    pub name: String,
    /// Foreign key column and JSON name (`category_id`).
    pub column: String,
    /// Words (`Category`).
    pub words: String,
    /// Target class (`Category`, `User`).
    pub target_class: String,
    /// Module defining the target (`app.category.models`).
    pub target_module: String,
    /// Target table.
    pub target_table: String,
    /// The target rows are owned: only their owner (or an admin) may point at them.
    pub target_owned: bool,
    /// The column may be null.
    pub nullable: bool,
    /// One-to-one: the column is unique.
    pub unique: bool,
    /// SQL `ON DELETE` action (`SET NULL`, `CASCADE`, `RESTRICT`).
    pub on_delete: String,
    /// Declarations, as for fields.
    pub model_decl: String,
    /// Relationship declaration.
    pub relationship_decl: String,
    /// Create schema declaration.
    pub create_decl: String,
    /// Update schema declaration.
    pub update_decl: String,
    /// Read schema declaration.
    pub read_decl: String,
}

/// A Python `enum.StrEnum` for an enum field.
#[derive(Debug, Clone, Serialize)]
pub struct EnumType {
    /// Class name (`PostStatus`).
    pub class_name: String,
    /// Docstring words.
    pub words: String,
    /// `(MEMBER, "value")` pairs, value as a Python literal.
    pub members: Vec<(String, String)>,
}

/// Data the generated tests of one resource use.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceTests {
    /// An id no row has, as a URL path segment (`2147483647`).
    pub missing_id: String,
    /// Python type of an id in a JSON response (`int`, `str`).
    pub id_json: String,
    /// Path segments that are not ids of this resource, as a Python list.
    pub malformed_ids: String,
    /// Statement putting the created rows' `ids` in the order `sort=id`
    /// lists them (laid out at 4 spaces), or empty when creation order
    /// already is that order (sequence ids).
    pub order_ids: String,
    /// Assertions of the cursor test that inserts a row while walking the
    /// pages sorted by `-id` (laid out at 4 spaces): a sequence id sorts
    /// before the cursor, so it is never seen; a random one may land on
    /// either side, so only the original rows' order is checked.
    pub late_row_checks: String,
    /// Rows the pagination test creates (2 or 3).
    pub rows: usize,
    /// The default role may create this resource and its required parents,
    /// so the tests create rows as `member`.
    pub member_creates: bool,
    /// Fixture that creates rows in the tests: `member` when
    /// `member_creates`, else `admin`.
    pub creator: String,
    /// Fixtures that read, update and delete the creator's row.
    pub reader: String,
    /// See `reader`.
    pub updater: String,
    /// See `reader`.
    pub deleter: String,
    /// A field only some roles see, with a value to set (admin), if any.
    pub hidden_field: Option<(String, String)>,
    /// `RENAMED = (...)`: the JSON names of the fields whose Python
    /// attribute differs (`from` for `from_`), or empty when there are none.
    pub renamed: String,
    /// A field only some roles may set, with a value, if any.
    pub guarded_field: Option<(String, String)>,
    /// Sample payloads as Python dict literals (exploded, 4-space indent
    /// inside a list), one per row a test may create.
    pub samples: Vec<String>,
    /// Required relations the factory must fill: (column, factory function
    /// or `None` for the calling user).
    pub parents: Vec<Parent>,
    /// `pytest.param(...)` lines of invalid create payloads.
    pub invalid: Vec<String>,
    /// A field and a new value for the update test.
    pub update_field: String,
    /// Python literal of that new value.
    pub update_value: String,
    /// A field the update test sets to null to get a 422, if any is non-nullable.
    pub not_null_field: Option<String>,
    /// Relations whose target is owned: (column, target factory).
    pub owned_targets: Vec<Parent>,
    /// Every relation: (column, target factory), for 422 on a missing id.
    pub references: Vec<Parent>,
    /// Relations to other resources, for the `on_delete` tests.
    pub deletions: Vec<Deletion>,
    /// `pytest.param(field, value, "exact" | "decimal", id=...)` lines of
    /// values at each bound of a field, which a create must accept.
    pub boundaries: Vec<String>,
    /// One-to-one columns, for the uniqueness tests.
    pub one_to_one: Vec<Parent>,
    /// `pytest.param((field, ...), id=...)` lines: each unique field (not
    /// one-to-one columns) and each unique group the 409 test makes two
    /// rows clash on.
    pub unique_cases: Vec<String>,
    /// Required relation columns whose parent rows the tests' rows share
    /// (one-to-one columns and those in a unique group get a parent per row).
    pub shared_parents: Vec<String>,
    /// `pytest.param(field, value on create, value to send, id=...)` lines
    /// of the `read_only` fields.
    pub read_only: Vec<String>,
    /// `write_only` fields: (field, value on create, value on update), as
    /// Python literals.
    pub write_only: Vec<(String, String, String)>,
    /// Update bodies refused because the server sets their field (beyond
    /// `id`, `owner_id` and `updated_at`), as Python dict literals.
    pub server_set: Vec<String>,
    /// `@pytest.mark.parametrize("key", [...])` of the declared sort keys,
    /// at column 0.
    pub sort_params: String,
    /// `keys = [...]`: the JSON keys of the searched fields, for the search
    /// test, at 4 spaces.
    pub search_keys: String,
    /// `sorts += [...]`: every declared sort key in both directions, for the
    /// cursor walk test, laid out at 4 spaces.
    pub sort_walk: String,
    /// `EXAMPLE: dict[str, Any] = {...}`: the Create schema's example in
    /// /docs, laid out at column 0.
    pub docs_example: String,
    /// Relation ids of that example the test replaces with rows it creates.
    pub example_refs: Vec<ExampleRef>,
}

/// A relation id of the /docs example that its test points at a real row.
#[derive(Debug, Clone, Serialize)]
pub struct ExampleRef {
    /// Foreign key column (`category_id`).
    pub column: String,
    /// Factory creating the target (`create_category`), empty for `User`
    /// (the acting admin's id is used).
    pub factory: String,
    /// Sample number passed to the factory: distinct per relation, and
    /// never one whose unique values the example itself uses.
    pub n: usize,
}

/// What deleting a relation's target does to the rows pointing at it.
#[derive(Debug, Clone, Serialize)]
pub struct Deletion {
    /// Foreign key column (`category_id`).
    pub column: String,
    /// Factory creating the target (`create_category`).
    pub factory: String,
    /// Route of the target resource (`/categories`).
    pub target_url: String,
    /// Status of the target's DELETE: 204, or 409 for `restrict`.
    pub status: u16,
    /// The assertion on `after`, the row read back once the target is
    /// gone (404, a null key, or the key unchanged).
    pub after: String,
}

/// A relation the tests fill with a row they create first.
#[derive(Debug, Clone, Serialize)]
pub struct Parent {
    /// Foreign key column.
    pub column: String,
    /// Factory creating the target (`create_category`), empty for `User`.
    pub factory: String,
    /// An earlier column with the same target whose row is reused, if any.
    pub reuse: Option<String>,
    /// A one-to-one column: every row needs its own target row.
    pub unique: bool,
}
