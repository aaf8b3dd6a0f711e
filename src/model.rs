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
    /// The Dockerfile's, compose file's and README's commands and images.
    pub ship: crate::ship::Ship,
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
    /// `CACHED_READS = [...]` of `app/main.py`: the resources whose reads
    /// Redis keeps (`cache.redis`), laid out as `ruff format` would.
    pub cached_reads: String,
    /// `LIVE = (...)` of `app/main.py`: the resources whose changes stream
    /// over WebSockets (`events:`), laid out as `ruff format` would.
    pub live_resources: String,
    /// Whether some resource has `cache.redis`: `app/kit/read_cache.py` and
    /// `CACHED_READS` of `app/main.py` are written only then.
    pub read_cache: bool,
    /// Whether some resource has a file field: `app/kit/uploads.py`, which
    /// serves their routes, is written only then.
    pub file_routes: bool,
    /// Whether the spec has `jobs: true`: the worker (`app/worker.py`), the
    /// job plumbing (`app/kit/jobs.py`), your `app/jobs.py`, their tests and
    /// the compose services are written only then.
    pub jobs: bool,
    /// `webhooks:`: endpoints users register for change events, delivered
    /// as signed jobs (`app/webhooks/`); `None` without.
    pub webhooks: Option<Webhooks>,
    /// Whether some resource publishes change events: the outbox table,
    /// its relay and the event plumbing (`app/kit/events.py`) are written
    /// only then.
    pub events: bool,
    /// The snake name of the first resource with events, which the
    /// generated event tests write to; empty without events.
    pub events_resource: String,
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
    /// SPDX license expression (`MIT`), if the spec names one.
    pub license: Option<String>,
    /// `FastAPI(license_info=...)`: a Python dict literal, or `None`.
    pub license_py: String,
    /// `FastAPI(servers=...)`: a Python list literal of the OpenAPI servers.
    pub servers_py: String,
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
    /// JSON signup body of the README's curl example: an email, a
    /// password and a valid value for each user field.
    pub signup_json: String,
    /// The email of the README's example user (in `signup_json`, and the
    /// username of its login form).
    pub example_email: String,
    /// The password of the README's example user (in `signup_json` and its
    /// login form).
    pub example_password: String,
    /// JSON names of the user fields whose Python attribute differs (`from`
    /// for `from_`), for the test that the API uses the names.
    pub user_renamed: Vec<String>,
    /// `auth.email`: the mails the API sends.
    pub email: EmailFlows,
}

/// `webhooks:` resolved: who may register endpoints, and the resources
/// whose events they may carry.
#[derive(Debug, Clone, Serialize)]
pub struct Webhooks {
    /// `MANAGE` of `app/webhooks/router.py`: `None` (any signed-in user)
    /// or a Python frozenset literal of the roles who may (admin included).
    pub manage_py: String,
    /// Who may register, for the README's API table (`signed in`, or roles).
    pub who: String,
    /// Import block of `app/webhooks/feeds.py`: `LiveFeed` and each
    /// publishing resource's `live` feed.
    pub feeds_imports: String,
    /// The resources with `events:`, by snake name.
    pub resources: Vec<WebhookResource>,
    /// `Literal[...]` of their snake names, laid out as `ruff format` does
    /// after `WebhookResource = ` (`app/webhooks/schemas.py`).
    pub resource_type_py: String,
    /// The kinds other than `created` that the events resource of the
    /// generated tests publishes, as a Python list literal, when it
    /// publishes `created` too (the kinds-filter test); else empty.
    pub filter_kinds_py: String,
}

/// A resource whose events webhooks may carry.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookResource {
    /// Snake name (`post`): the `resource` of an endpoint.
    pub snake: String,
    /// The same as a Python string literal.
    pub snake_py: String,
    /// The kinds it publishes, in `created`, `updated`, `deleted` order,
    /// as a Python tuple literal.
    pub kinds_py: String,
}

/// Which email flows the project has (`auth.email`), each sent as a job.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct EmailFlows {
    /// Password reset by mail (`auth.email.password_reset`).
    pub password_reset: bool,
    /// Email verification (`auth.email.verification`): the user's
    /// `email_verified_at` column and its routes.
    pub verification: bool,
    /// Either of them: the `email_tokens` table, `app/kit/mail.py`,
    /// `app/auth/emails.py`, the mail templates and the SMTP settings.
    pub any: bool,
}

impl EmailFlows {
    /// The flows `password_reset` and `verification` switch on.
    pub fn new(password_reset: bool, verification: bool) -> Self {
        Self {
            password_reset,
            verification,
            any: password_reset || verification,
        }
    }
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
    /// Words, singular, lower case, after their indefinite article
    /// (`an order item`), for docstrings.
    pub a_words: String,
    /// Route path under the prefix (`/order-items`).
    pub url: String,
    /// Table name (`order_items`).
    pub table: String,
    /// OpenAPI tag (`order-items`).
    pub tag: String,
    /// Path parameter (`order_item_id`).
    pub id_param: String,
    /// Route path of one row under the resource's router, its parameter
    /// under the `row_id` convertor of `app.schemas`
    /// (`/{order_item_id:row_id}`), so that `/order-items/export` is never
    /// taken for a row.
    pub item_path: String,
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
    /// The kinds of change the resource publishes (`events:`), in
    /// `created`, `updated`, `deleted` order; empty without events.
    pub events: Vec<String>,
    /// GET endpoints need no token (`read` includes `anyone`).
    pub public_read: bool,
    /// Seconds the Redis read cache keeps its answers (`cache.redis`), or
    /// None without one.
    pub read_cache_seconds: Option<i64>,
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
    /// The same fields for the README: "`fee` (`doctor`, `staff`, admins)",
    /// joined by ", "; empty when every field is seen by every reader.
    pub field_readers_doc: String,
    /// JSON names of the file fields (each has `PUT`, `GET` and `DELETE`
    /// at `.../{id}/{field}`).
    pub file_fields: Vec<String>,
    /// The file fields' routes for the README's API table, each in
    /// backticks with the API prefix, comma-separated; empty without file
    /// fields (set once the prefix is known, in `check::check`).
    pub file_paths: String,
    /// The create with files (`POST .../with-files`, `multipart/form-data`)
    /// for the README, in backticks with the API prefix; empty without
    /// file fields (set with `file_paths`).
    pub create_with_files_path: String,
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
    /// Fields with `unique: true`: (Python attribute, JSON name).
    pub unique_fields: Vec<(String, String)>,
    /// `__table_args__ = (...)` of the model (composite unique constraints
    /// and indexes), laid out at 4 spaces; empty when there are none.
    pub table_args: String,
    /// What the generated tests need.
    pub tests: ResourceTests,
    /// Its own part of the router, dependencies, hooks and schemas.
    pub api: Api,
}

/// A resource's own part of its API layer, laid out by
/// [`crate::layout::api`]: what every resource shares is in the generated
/// project's `app/kit/`.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// `api = Endpoints(...)`: the routes' OpenAPI metadata.
    pub endpoints: String,
    /// `lists = Lists(...)`: the list, the export and the lists under
    /// parents (`lists.add(router)` adds the first two).
    pub lists: String,
    /// `async def create_post(...) -> ...:`, at column 0.
    pub create_def: String,
    /// Its service call, at 4 spaces.
    pub create_call: String,
    /// `lists.nested(...)`: the lists under parents.
    pub nested: Vec<String>,
    /// The read route's `async def` line.
    pub read_def: String,
    /// The update route's `async def` line.
    pub update_def: String,
    /// Its service call.
    pub update_call: String,
    /// The delete route's `async def` line.
    pub delete_def: String,
    /// Its service call.
    pub delete_call: String,
    /// The restore route's `async def` line (soft delete).
    pub restore_def: String,
    /// Its service call.
    pub restore_call: String,
    /// Link and unlink routes of the many-to-many collections.
    pub links: Vec<ApiLink>,
    /// The routes of the file fields (`FileRoutes`), after two blank
    /// lines; empty without file fields.
    pub uploads: String,
    /// `access = Access(...)`: the rules and the row loaders.
    pub access: String,
    /// `PostForRead = Annotated[Post, Depends(access.for_read)]` and the
    /// other dependency aliases.
    pub aliases: Vec<String>,
    /// `not_null = (...)` of the Update schema, at 4 spaces, or empty.
    pub not_null: String,
    /// `sort_keys = (...)` of the list query, at 4 spaces.
    pub sort_keys: String,
    /// `sort: Sort = Field(...)` of the list query, at 4 spaces: the
    /// default and the pattern the OpenAPI document gives (see
    /// [`crate::layout::api`]).
    pub sort_decl: String,
    /// `router = APIRouter(prefix=..., tags=[...])`.
    pub router_decl: String,
}

/// The link and unlink routes of one many-to-many collection.
#[derive(Debug, Clone, Serialize)]
pub struct ApiLink {
    /// The collection in words (`tags`).
    pub words: String,
    /// `@router.put(...)`.
    pub link_decorator: String,
    /// Its `async def` line.
    pub link_def: String,
    /// Its service call.
    pub link_call: String,
    /// `@router.delete(...)`.
    pub unlink_decorator: String,
    /// Its `async def` line.
    pub unlink_def: String,
    /// Its service call.
    pub unlink_call: String,
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
    /// Generic page type: `Page` or `CursorPage`.
    pub page_base: String,
    /// The repository method that reads a page: `cursor_page` or `offset_page`.
    pub page_method: String,
}

/// Who may perform one action on a resource.
#[derive(Debug, Clone, Serialize)]
pub struct Access {
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
    /// `post_service.comments_of`: the parent row's condition on the rows.
    pub narrow: String,
    /// OpenAPI summary (`List the comments of a post`).
    pub summary: String,
    /// Anyone may read the parent row (its `read` rule lists `anyone`).
    pub parent_public: bool,
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

/// Data the generated tests of one resource use: its entry in the
/// factories' registry, and its test modules.
#[derive(Debug, Clone, Serialize)]
pub struct ResourceTests {
    /// An id no row has, as a URL path segment (`2147483647`).
    pub missing_id: String,
    /// Statement putting created rows' `ids` in the order `sort=id` lists
    /// them, or empty when creation order already is that order (sequence
    /// ids); the tests read the same fact as `Blueprint.sequential`.
    pub order_ids: String,
    /// Names of the `write_only` fields (for SECURITY.md).
    pub write_only: Vec<String>,
    /// Names of the `read_only` fields (for SECURITY.md).
    pub read_only: Vec<String>,
    /// The keyword arguments of its `Blueprint(...)` in `tests/factories.py`,
    /// each laid out at 8 spaces without its trailing comma.
    pub blueprint: Vec<String>,
    /// `tests/<resource>/test_crud.py`.
    pub crud: SuiteFile,
    /// `tests/<resource>/test_fields.py`.
    pub fields: SuiteFile,
    /// `tests/<resource>/test_access.py`.
    pub access: SuiteFile,
    /// `tests/<resource>/test_list.py`.
    pub list: SuiteFile,
    /// `tests/<resource>/test_relations.py`; empty without relations.
    pub relations: SuiteFile,
    /// `tests/<resource>/test_soft_delete.py`; empty without soft delete.
    pub soft_delete: SuiteFile,
    /// `tests/<resource>/test_caching.py`: tags, 304, 412, caching headers
    /// and the Redis read cache.
    pub caching: SuiteFile,
    /// `tests/<resource>/test_files.py`; empty without file fields.
    pub files: SuiteFile,
}

/// One test module of a resource: a class made of the suites of
/// `tests/kit/` that apply, with the tables they run on. A file whose
/// `bases` is empty renders empty and is not written.
#[derive(Debug, Clone, Serialize, Default)]
pub struct SuiteFile {
    /// The module docstring, escaped.
    pub doc: String,
    /// The import block.
    pub imports: String,
    /// Module-level constants (tables of cases, example bodies, ...), each
    /// a statement laid out at column 0, in order.
    pub constants: Vec<String>,
    /// The test class (`TestFields`).
    pub class_name: String,
    /// Its base classes, comma-separated; empty when no suite applies.
    pub bases: String,
    /// `class TestFields(...):`, laid out as `ruff format` would.
    pub class_line: String,
    /// The class docstring, escaped.
    pub class_doc: String,
    /// `name = value` statements of the class body, laid out at 4 spaces.
    pub attributes: Vec<String>,
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
