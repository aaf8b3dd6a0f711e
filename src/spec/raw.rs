//! The spec exactly as written in YAML (format version 1).
//!
//! These types mirror the file: nothing here is checked beyond its YAML
//! shape (`deny_unknown_fields` everywhere). `crate::validate` turns them
//! into the resolved [`crate::model::Model`]. Enumerated words (field types,
//! relation kinds, `on_delete`) stay strings here so that validation can
//! report every bad one with a did-you-mean, not just the first.

use indexmap::IndexMap;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize};
use serde_yaml::{Number, Value};

/// A whole spec file.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "gen spec, version 1")]
pub struct RawSpec {
    /// Spec format version; only `1` exists.
    pub version: u32,
    /// Project metadata.
    pub project: RawProject,
    /// Authentication settings; defaults when absent.
    #[serde(default)]
    pub auth: Option<RawAuth>,
    /// Resources by singular PascalCase name, in file order.
    #[serde(default)]
    pub resources: IndexMap<String, RawResource>,
}

/// `project:` section.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProject {
    /// Distribution name (PEP 508).
    pub name: String,
    /// OpenAPI title.
    pub title: Option<String>,
    /// OpenAPI description.
    pub description: Option<String>,
    /// Project version.
    pub version: Option<String>,
    /// Path prefix of every API route.
    pub api_prefix: Option<String>,
}

/// `auth:` section.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawAuth {
    /// Role names; `admin` is always added.
    pub roles: Option<Vec<String>>,
    /// Role given at signup.
    pub default_role: Option<String>,
    /// Access token lifetime in minutes.
    pub access_token_minutes: Option<u32>,
    /// Refresh token lifetime in days.
    pub refresh_token_days: Option<u32>,
    /// Extra fields of the built-in User, with the resource field syntax.
    #[serde(default)]
    pub user_fields: IndexMap<String, RawField>,
}

/// One resource.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawResource {
    /// Plural override.
    pub plural: Option<String>,
    /// Rows belong to the user who created them.
    #[serde(default)]
    pub owned: bool,
    /// GET endpoints need no token (shorthand for `permissions.read: [anyone]`).
    #[serde(default)]
    pub public_read: bool,
    /// Who may read, create, update and delete.
    pub permissions: Option<RawPermissions>,
    /// Filtering, sorting and search of the list endpoint.
    pub list: Option<RawList>,
    /// `created_at` / `updated_at` columns (default true).
    pub timestamps: Option<bool>,
    /// DELETE marks the row (`deleted_at`) instead of removing it; admins
    /// can list and restore deleted rows.
    #[serde(default)]
    pub soft_delete: bool,
    /// `created_by_id` / `updated_by_id` columns: who created and who last
    /// changed each row, set from the token.
    #[serde(default)]
    pub audit: bool,
    /// Shown in the OpenAPI tag description and the model's docstrings.
    pub description: Option<String>,
    /// Example body of the create endpoint in /docs: field names and
    /// relation ids (`category_id`) to values. Replaces the generated one.
    #[schemars(with = "Option<serde_json::Map<String, serde_json::Value>>")]
    pub example: Option<IndexMap<String, Value>>,
    /// The resource's previous name: the next revision renames its table.
    pub renamed_from: Option<String>,
    /// Fields by name, in file order.
    #[serde(default)]
    pub fields: IndexMap<String, RawField>,
    /// Relations by name, in file order.
    #[serde(default)]
    pub relations: IndexMap<String, RawRelation>,
    /// Groups of fields or relations (a relation means its `_id` column)
    /// whose values are unique together: `[[event, seat]]`.
    #[serde(default)]
    #[schemars(inner(length(min = 2)))]
    pub unique_together: Vec<Vec<String>>,
    /// Composite indexes: groups of fields or relations, `[[status, due_on]]`.
    #[serde(default)]
    #[schemars(inner(length(min = 2)))]
    pub indexes: Vec<Vec<String>>,
}

/// `list:` of a resource: what its list endpoint can filter, sort and search by.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawList {
    /// `offset` (the only kind so far).
    pub pagination: Option<String>,
    /// Fields and relations that can be filtered on.
    #[serde(default)]
    pub filter: Vec<String>,
    /// Fields (and `id`, `created_at`, `updated_at`) the list can be sorted by.
    #[serde(default)]
    pub sort: Vec<String>,
    /// Default order, e.g. `-created_at` (descending); `id` when absent.
    pub default_sort: Option<String>,
    /// Text fields `?q=` searches, case-insensitively.
    #[serde(default)]
    pub search: Vec<String>,
}

/// `permissions:` of a resource: who may perform each action. Entries are
/// `anyone`, `authenticated`, `owner` or a role.
#[derive(Debug, Clone, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawPermissions {
    /// GET (list and one row).
    pub read: Option<Vec<String>>,
    /// POST.
    pub create: Option<Vec<String>>,
    /// PATCH.
    pub update: Option<Vec<String>>,
    /// DELETE.
    pub delete: Option<Vec<String>>,
}

/// One field: either the shorthand `body: text` or the full mapping.
#[derive(Debug, Clone, Default, Serialize)]
pub struct RawField {
    /// Field type name, checked by validation.
    pub r#type: String,
    /// `null` allowed; not required on create.
    pub nullable: bool,
    /// Unique across rows.
    pub unique: bool,
    /// Indexed column.
    pub index: bool,
    /// Default value on create.
    pub default: Option<Value>,
    /// Inclusive lower bound (numbers).
    pub min: Option<Number>,
    /// Inclusive upper bound (numbers).
    pub max: Option<Number>,
    /// Minimum length (strings).
    pub min_length: Option<u64>,
    /// Maximum length (strings).
    pub max_length: Option<u64>,
    /// Regular expression the whole value must match (strings).
    pub pattern: Option<String>,
    /// OpenAPI description.
    pub description: Option<String>,
    /// OpenAPI example; also used by the generated tests.
    pub example: Option<Value>,
    /// Allowed values (enums).
    pub values: Option<Vec<String>>,
    /// Total digits (decimals).
    pub precision: Option<u32>,
    /// Digits after the point (decimals).
    pub scale: Option<u32>,
    /// The field's previous name: the next revision renames its column.
    pub renamed_from: Option<String>,
    /// Roles that see the field in responses (all when absent).
    pub read: Option<Vec<String>>,
    /// Roles that may set the field (all when absent).
    pub write: Option<Vec<String>>,
    /// Set by the server: returned, never accepted in a body.
    pub read_only: bool,
    /// Accepted in bodies, never returned (a secret).
    pub write_only: bool,
}

/// The full mapping form of a field, as serde reads it.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "field")]
struct FullField {
    /// Field type.
    #[schemars(schema_with = "field_type")]
    r#type: String,
    /// `null` allowed; not required on create.
    #[serde(default)]
    nullable: bool,
    /// Unique across rows.
    #[serde(default)]
    unique: bool,
    /// Indexed column.
    #[serde(default)]
    index: bool,
    /// Default value on create.
    #[serde(default, deserialize_with = "present")]
    #[schemars(with = "Option<serde_json::Value>")]
    default: Option<Value>,
    /// Inclusive lower bound (numbers).
    #[schemars(with = "Option<f64>")]
    min: Option<Number>,
    /// Inclusive upper bound (numbers).
    #[schemars(with = "Option<f64>")]
    max: Option<Number>,
    /// Minimum length (strings).
    min_length: Option<u64>,
    /// Maximum length (strings).
    max_length: Option<u64>,
    /// Regular expression the value must match (strings, Rust regex syntax).
    pattern: Option<String>,
    /// OpenAPI description.
    description: Option<String>,
    /// OpenAPI example; also used by the generated tests.
    #[schemars(with = "Option<serde_json::Value>")]
    example: Option<Value>,
    /// Allowed values (enums).
    values: Option<Vec<String>>,
    /// Total digits (decimals, default 10).
    precision: Option<u32>,
    /// Digits after the point (decimals, default 2).
    scale: Option<u32>,
    /// The previous name: the next migration renames the column.
    renamed_from: Option<String>,
    /// Roles that see the field in responses (all when absent).
    read: Option<Vec<String>>,
    /// Roles that may set the field (all when absent).
    write: Option<Vec<String>>,
    /// Set by the server: returned in responses, never accepted in a body.
    /// Needs `nullable: true` or a `default`.
    #[serde(default)]
    read_only: bool,
    /// Accepted in create and update bodies, never returned (a secret).
    #[serde(default)]
    write_only: bool,
}

/// Keeps an explicit `default: null` as `Some(Value::Null)`.
fn present<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(deserializer).map(Some)
}

impl<'de> Deserialize<'de> for RawField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = RawField;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a field type name (`body: text`) or a mapping with `type:`")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawField, E> {
                Ok(RawField {
                    r#type: v.to_owned(),
                    ..RawField::default()
                })
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<RawField, A::Error> {
                let f = FullField::deserialize(serde::de::value::MapAccessDeserializer::new(map))?;
                Ok(RawField {
                    r#type: f.r#type,
                    nullable: f.nullable,
                    unique: f.unique,
                    index: f.index,
                    default: f.default,
                    min: f.min,
                    max: f.max,
                    min_length: f.min_length,
                    max_length: f.max_length,
                    pattern: f.pattern,
                    description: f.description,
                    example: f.example,
                    values: f.values,
                    precision: f.precision,
                    scale: f.scale,
                    renamed_from: f.renamed_from,
                    read: f.read,
                    write: f.write,
                    read_only: f.read_only,
                    write_only: f.write_only,
                })
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One relation.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawRelation {
    /// `many_to_one`, `one_to_one`, `one_to_many` or `many_to_many`.
    #[schemars(schema_with = "relation_kind")]
    pub kind: String,
    /// Target resource name, or `User` (`many_to_one` only).
    pub to: String,
    /// The foreign key may be null (`many_to_one`, `one_to_one`).
    #[serde(default)]
    pub nullable: bool,
    /// `one_to_many`: the target's `many_to_one` relation that points back
    /// here; needed only when the target has several.
    pub via: Option<String>,
    /// `cascade`, `set_null` or `restrict` (`many_to_one`, `one_to_one`).
    #[serde(default)]
    #[schemars(schema_with = "on_delete")]
    pub on_delete: Option<String>,
    /// OpenAPI description of the foreign key.
    pub description: Option<String>,
}

impl JsonSchema for RawField {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "field".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A field: its type alone (`body: text`) or a mapping with `type:`.",
            "oneOf": [field_type(generator), generator.subschema_for::<FullField>()]
        })
    }
}

fn field_type(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "string", "enum": crate::types::names()})
}

fn relation_kind(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": "string", "enum": crate::validate::RELATION_KINDS})
}

fn on_delete(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": ["string", "null"], "enum": ["cascade", "set_null", "restrict", null]})
}

/// The JSON Schema of spec format v1, for editors (`gen schema`).
pub fn json_schema() -> String {
    let mut schema = schemars::schema_for!(RawSpec);
    schema.insert("$id".into(), "https://gen.dev/schema/spec-v1.json".into());
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema serializes");
    text.push('\n');
    text
}
