//! The database schema a model implies, as data: what `.gen/schema.json`
//! records and what migrations are computed from.
//!
//! Constraint and index names are not stored: they follow from table and
//! column names through the naming convention of the generated `Base`
//! (`pk_<table>`, `uq_<table>_<columns>`, `ix_<table>_<columns>`,
//! `fk_<table>_<column>_<referred table>`, columns joined by `_` like
//! SQLAlchemy's `%(column_0_N_name)s`), shortened by [`names::fit`] when
//! longer than PostgreSQL's 63 bytes.

use serde::{Deserialize, Serialize};

use crate::model::EmailFlows;
use crate::python;

/// Names the generated `Base`'s naming convention gives constraints and
/// indexes; migrations refer to them through `op.f(...)`. Each is passed
/// through [`names::fit`], exactly as `fit_name` in the generated
/// `app/database.py` does.
pub mod names {
    use sha2::{Digest, Sha256};

    /// PostgreSQL's identifier limit in bytes (NAMEDATALEN - 1).
    pub const MAX_BYTES: usize = 63;
    /// Bytes of a name kept before the hash when it is shortened.
    const KEPT: usize = 54;

    /// `name` itself when it fits in [`MAX_BYTES`]; else its first 54 bytes
    /// (cut back to a character boundary), `_` and the first 8 hex digits
    /// of the SHA-256 of the whole name: at most 63 bytes, stable, and
    /// distinct for distinct names in practice.
    pub fn fit(name: &str) -> String {
        if name.len() <= MAX_BYTES {
            return name.to_owned();
        }
        let mut cut = KEPT;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        let digest = Sha256::digest(name.as_bytes());
        let hex: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
        format!("{}_{hex}", &name[..cut])
    }

    /// Primary key of `table`.
    pub fn pk(table: &str) -> String {
        fit(&format!("pk_{table}"))
    }

    /// Unique constraint on `table.columns`.
    pub fn uq(table: &str, columns: &[String]) -> String {
        fit(&format!("uq_{table}_{}", columns.join("_")))
    }

    /// Index on `table.columns`.
    pub fn ix(table: &str, columns: &[String]) -> String {
        fit(&format!("ix_{table}_{}", columns.join("_")))
    }

    /// Foreign key from `table.column` to `target`.
    pub fn fk(table: &str, column: &str, target: &str) -> String {
        fit(&format!("fk_{table}_{column}_{target}"))
    }
}

/// A column type, as the database sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SqlType {
    /// `VARCHAR(length)`.
    String {
        /// Maximum length in characters.
        length: u64,
    },
    /// `TEXT`.
    Text,
    /// 32-bit `INTEGER`.
    Integer,
    /// 64-bit `BIGINT`.
    BigInteger,
    /// The key of an `id: bigint` resource and its foreign keys: `BIGINT`,
    /// but `INTEGER` on SQLite, whose integers are 64-bit anyway and where
    /// only an `INTEGER PRIMARY KEY` autoincrements.
    BigId,
    /// `DOUBLE PRECISION`.
    Double,
    /// `NUMERIC(precision, scale)`.
    Numeric {
        /// Total digits.
        precision: u32,
        /// Digits after the point.
        scale: u32,
    },
    /// `BOOLEAN`.
    Boolean,
    /// `DATE`.
    Date,
    /// `TIMESTAMP WITH TIME ZONE`.
    DateTime,
    /// `TIME` (without time zone).
    Time,
    /// `UUID` (`CHAR(32)` on SQLite).
    Uuid,
    /// A non-native enum: `VARCHAR(length)` holding one of `values`.
    Enum {
        /// Allowed values.
        values: Vec<String>,
        /// Longest value.
        length: usize,
    },
    /// `JSON`.
    Json,
    /// A PostgreSQL `ARRAY` of `items`; `JSON` on SQLite (`with_variant`).
    Array {
        /// The type of each element.
        items: Box<SqlType>,
    },
}

impl SqlType {
    /// The Alembic type expression (`sa.String(length=200)`) after
    /// `keyword` (`""`, or `"type_="` for a keyword argument), laid out for
    /// an argument on its own line at `indent` spaces.
    pub fn migration(&self, keyword: &str, indent: usize) -> String {
        let expression = match self {
            SqlType::String { length } => format!("sa.String(length={length})"),
            SqlType::Text => "sa.Text()".into(),
            SqlType::Integer => "sa.Integer()".into(),
            SqlType::BigInteger => "sa.BigInteger()".into(),
            SqlType::BigId => "sa.BigInteger().with_variant(sa.Integer(), \"sqlite\")".into(),
            SqlType::Double => "sa.Double()".into(),
            SqlType::Numeric { precision, scale } => {
                format!("sa.Numeric(precision={precision}, scale={scale})")
            }
            SqlType::Boolean => "sa.Boolean()".into(),
            SqlType::Date => "sa.Date()".into(),
            SqlType::DateTime => "sa.DateTime(timezone=True)".into(),
            SqlType::Time => "sa.Time()".into(),
            SqlType::Uuid => "sa.Uuid()".into(),
            SqlType::Enum { values, length } => {
                let mut args: Vec<String> = values.iter().map(|v| python::string(v)).collect();
                args.push("native_enum=False".into());
                args.push(format!("length={length}"));
                return python::argument(&format!("{keyword}sa.Enum"), &args, indent);
            }
            SqlType::Json => "sa.JSON()".into(),
            SqlType::Array { items } => format!(
                "sa.ARRAY({}).with_variant(sa.JSON(), \"sqlite\")",
                items.migration("", indent)
            ),
        };
        format!("{keyword}{expression}")
    }

    /// The SQLAlchemy type expression of the model (`String(200)`), laid out
    /// for an argument at `indent` spaces. `enum_class` names the Python enum
    /// of an enum column.
    pub fn model(&self, enum_class: &str, indent: usize) -> String {
        match self {
            SqlType::String { length } => format!("String({length})"),
            SqlType::Text => "Text()".into(),
            SqlType::Integer => "Integer()".into(),
            SqlType::BigInteger => "BigInteger()".into(),
            SqlType::BigId => "BigInteger().with_variant(Integer(), \"sqlite\")".into(),
            SqlType::Double => "Double()".into(),
            SqlType::Numeric { precision, scale } => format!("Numeric({precision}, {scale})"),
            SqlType::Boolean => "Boolean()".into(),
            SqlType::Date => "Date()".into(),
            // Reads back timezone-aware on SQLite too (see `app/database.py`).
            SqlType::DateTime => "UTCDateTime()".into(),
            SqlType::Time => "Time()".into(),
            SqlType::Uuid => "Uuid()".into(),
            // Stored as VARCHAR (no native enum type), so adding a value needs no DDL.
            SqlType::Enum { length, .. } => python::argument(
                "Enum",
                &[
                    enum_class.to_owned(),
                    "native_enum=False".into(),
                    format!("length={length}"),
                    "values_callable=enum_values".into(),
                ],
                indent,
            ),
            SqlType::Json => "JSON()".into(),
            // SQLite has no arrays: the list is stored as a JSON document there.
            SqlType::Array { items } => format!(
                "ARRAY({}).with_variant(JSON(), \"sqlite\")",
                items.model(enum_class, indent)
            ),
        }
    }

    /// The PostgreSQL type name, for `USING column::type` casts.
    pub fn postgres(&self) -> String {
        match self {
            SqlType::String { length } => format!("VARCHAR({length})"),
            SqlType::Text => "TEXT".into(),
            SqlType::Integer => "INTEGER".into(),
            SqlType::BigInteger | SqlType::BigId => "BIGINT".into(),
            SqlType::Double => "DOUBLE PRECISION".into(),
            SqlType::Numeric { precision, scale } => format!("NUMERIC({precision}, {scale})"),
            SqlType::Boolean => "BOOLEAN".into(),
            SqlType::Date => "DATE".into(),
            SqlType::DateTime => "TIMESTAMP WITH TIME ZONE".into(),
            SqlType::Time => "TIME".into(),
            SqlType::Uuid => "UUID".into(),
            SqlType::Enum { length, .. } => format!("VARCHAR({length})"),
            SqlType::Json => "JSON".into(),
            SqlType::Array { items } => format!("{}[]", items.postgres()),
        }
    }

    /// Whether every value of `self` fits `to` unchanged (a widening, safe
    /// on a table with rows). Anything else may lose or reject data.
    pub fn widens_to(&self, to: &SqlType) -> bool {
        use SqlType as T;
        let text_length = |t: &SqlType| match t {
            T::String { length } => Some(*length),
            T::Enum { length, .. } => Some(*length as u64),
            _ => None,
        };
        match (self, to) {
            (a, b) if a == b => true,
            (
                T::Enum { values: old, .. },
                T::Enum {
                    values: new,
                    length,
                },
            ) => old.iter().all(|v| new.contains(v)) && old.iter().all(|v| v.len() <= *length),
            (T::String { .. } | T::Enum { .. }, T::Text) => true,
            (T::String { .. } | T::Enum { .. }, T::String { .. }) => {
                text_length(self) <= text_length(to)
            }
            (T::Integer, T::BigInteger | T::BigId | T::Double) => true,
            (T::BigInteger, T::BigId) | (T::BigId, T::BigInteger) => true,
            (T::Integer | T::BigInteger | T::BigId, T::Numeric { precision, scale }) => {
                precision - scale >= 19
            }
            (
                T::Numeric {
                    precision: p1,
                    scale: s1,
                },
                T::Numeric {
                    precision: p2,
                    scale: s2,
                },
            ) => s2 >= s1 && p2 - s2 >= p1 - s1,
            _ => false,
        }
    }

    /// The `server_default=` expression of a NOT NULL column re-added to a
    /// table that may hold rows (downgrades of dropped columns), laid out
    /// for an argument at `indent` spaces. An array's empty value is written
    /// differently on PostgreSQL (`'{}'`) and in SQLite's JSON (`'[]'`), so
    /// the revision picks it by dialect.
    pub fn filler_default(&self, indent: usize) -> String {
        match self {
            SqlType::Array { .. } => format!(
                "sa.text(\n{}\"'[]'\" if op.get_context().dialect.name == \"sqlite\" else \"'{{}}'\"\n{})",
                " ".repeat(indent + 4),
                " ".repeat(indent)
            ),
            _ => format!("sa.text({})", python::string(&self.filler())),
        }
    }

    /// A SQL literal of this type for NOT NULL columns re-added to tables
    /// that hold rows (PostgreSQL's spelling for arrays; see
    /// [`SqlType::filler_default`]).
    pub fn filler(&self) -> String {
        match self {
            SqlType::String { .. } | SqlType::Text => "''".into(),
            SqlType::Integer
            | SqlType::BigInteger
            | SqlType::BigId
            | SqlType::Double
            | SqlType::Numeric { .. } => "0".into(),
            SqlType::Boolean => "false".into(),
            SqlType::Date => "'1970-01-01'".into(),
            SqlType::DateTime => "CURRENT_TIMESTAMP".into(),
            SqlType::Time => "'00:00:00'".into(),
            SqlType::Uuid => "'00000000-0000-0000-0000-000000000000'".into(),
            SqlType::Enum { values, .. } => sql_string(values.first().map_or("", String::as_str)),
            SqlType::Json | SqlType::Array { .. } => "'{}'".into(),
        }
    }
}

/// A SQL string literal (`'it''s'`).
pub fn sql_string(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// One column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub sql_type: SqlType,
    /// NULL allowed.
    pub nullable: bool,
    /// The field's spec default as a SQL literal (`'draft'`, `0`, `false`),
    /// used when the column is added to, or made NOT NULL on, a table that
    /// may hold rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// The column's previous name, when the spec says `renamed_from`.
    #[serde(skip)]
    pub renamed_from: Option<String>,
}

impl Column {
    /// A column with no default and no rename.
    pub fn new(name: &str, sql_type: SqlType, nullable: bool) -> Column {
        Column {
            name: name.to_owned(),
            sql_type,
            nullable,
            default: None,
            renamed_from: None,
        }
    }
}

/// A foreign key from one column to `target.id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// The referencing column.
    pub column: String,
    /// The referenced table.
    pub target: String,
    /// `ON DELETE` action (`CASCADE`, `SET NULL`, `RESTRICT`).
    pub on_delete: String,
}

/// One table: columns, primary key, constraints, indexes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Table {
    /// Table name.
    pub name: String,
    /// Columns in order, `id` first when it is the key.
    pub columns: Vec<Column>,
    /// Primary key columns: `id`, or both keys of an association table.
    #[serde(default = "id_key", skip_serializing_if = "is_id_key")]
    pub primary_key: Vec<String>,
    /// Columns with a single-column unique constraint.
    pub uniques: Vec<String>,
    /// Columns with a plain single-column index.
    pub indexes: Vec<String>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Unique constraints over several columns (`unique_together`), in
    /// spec order. Absent from schemas recorded before they existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unique_together: Vec<Vec<String>>,
    /// Plain indexes over several columns (`indexes`), in spec order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub composite_indexes: Vec<Vec<String>>,
    /// The table's previous name, when the spec says `renamed_from`.
    #[serde(skip)]
    pub renamed_from: Option<String>,
}

fn id_key() -> Vec<String> {
    vec!["id".to_owned()]
}

fn is_id_key(key: &[String]) -> bool {
    key == ["id"]
}

impl Table {
    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// Every unique constraint's columns: single ones, then composite ones.
    pub fn unique_groups(&self) -> Vec<Vec<String>> {
        let single = self.uniques.iter().map(|c| vec![c.clone()]);
        single.chain(self.unique_together.iter().cloned()).collect()
    }

    /// Every plain index's columns: single ones, then composite ones.
    pub fn index_groups(&self) -> Vec<Vec<String>> {
        let single = self.indexes.iter().map(|c| vec![c.clone()]);
        single
            .chain(self.composite_indexes.iter().cloned())
            .collect()
    }

    /// Every constraint and index name the naming convention gives this table.
    pub fn identifiers(&self) -> Vec<String> {
        let t = &self.name;
        let mut out = vec![names::pk(t)];
        out.extend(self.unique_groups().iter().map(|g| names::uq(t, g)));
        out.extend(self.index_groups().iter().map(|g| names::ix(t, g)));
        out.extend(
            self.foreign_keys
                .iter()
                .map(|fk| names::fk(t, &fk.column, &fk.target)),
        );
        out
    }
}

/// The whole schema: tables in creation order (referenced tables first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Schema {
    /// Tables in creation order.
    pub tables: Vec<Table>,
}

impl Schema {
    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }
}

/// The built-in tables: `users`, then `refresh_tokens`, then with email
/// flows `email_tokens`. `user_columns` are the spec's `auth.user_fields`,
/// placed after the built-in columns; `email` adds `email_verified_at`
/// (verification) and the tokens the mails carry.
pub fn builtin_tables(user_columns: &[Column], email: EmailFlows) -> Vec<Table> {
    let col = Column::new;
    let mut users = vec![
        col("id", SqlType::Integer, false),
        col("email", SqlType::String { length: 320 }, false),
        col("hashed_password", SqlType::String { length: 255 }, false),
        col("role", SqlType::String { length: 50 }, false),
        col("is_active", SqlType::Boolean, false),
        Column {
            default: Some("0".into()),
            ..col("token_version", SqlType::Integer, false)
        },
    ];
    users.extend(user_columns.iter().cloned());
    if email.verification {
        users.push(col("email_verified_at", SqlType::DateTime, true));
    }
    users.push(col("created_at", SqlType::DateTime, false));
    users.push(col("updated_at", SqlType::DateTime, false));
    let mut tables = vec![
        Table {
            name: "users".into(),
            columns: users,
            primary_key: id_key(),
            uniques: vec!["email".into()],
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            unique_together: Vec::new(),
            composite_indexes: Vec::new(),
            renamed_from: None,
        },
        Table {
            name: "refresh_tokens".into(),
            columns: vec![
                col("id", SqlType::Integer, false),
                col("user_id", SqlType::Integer, false),
                col("family", SqlType::String { length: 36 }, false),
                col("token_hash", SqlType::String { length: 64 }, false),
                col("expires_at", SqlType::DateTime, false),
                col("revoked_at", SqlType::DateTime, true),
                col("created_at", SqlType::DateTime, false),
            ],
            primary_key: id_key(),
            uniques: vec!["token_hash".into()],
            indexes: vec!["user_id".into()],
            foreign_keys: vec![ForeignKey {
                column: "user_id".into(),
                target: "users".into(),
                on_delete: "CASCADE".into(),
            }],
            unique_together: Vec::new(),
            // Every authenticated request looks for its login's live token
            // (`family = sid AND revoked_at IS NULL`): with `revoked_at` in
            // the index that costs the same after thousands of rotations.
            composite_indexes: vec![vec!["family".into(), "revoked_at".into()]],
            renamed_from: None,
        },
    ];
    if email.any {
        tables.push(email_tokens());
    }
    tables
}

/// `email_tokens`: the single-use tokens of the mails (password reset,
/// email verification), each stored as its SHA-256 with the address it
/// was sent to, its purpose, its expiry and when it was used.
fn email_tokens() -> Table {
    let col = Column::new;
    Table {
        name: "email_tokens".into(),
        columns: vec![
            col("id", SqlType::Integer, false),
            col("user_id", SqlType::Integer, false),
            col("purpose", SqlType::String { length: 20 }, false),
            col("email", SqlType::String { length: 320 }, false),
            col("token_hash", SqlType::String { length: 64 }, false),
            col("expires_at", SqlType::DateTime, false),
            col("used_at", SqlType::DateTime, true),
            col("created_at", SqlType::DateTime, false),
        ],
        primary_key: id_key(),
        uniques: vec!["token_hash".into()],
        indexes: vec!["user_id".into()],
        foreign_keys: vec![ForeignKey {
            column: "user_id".into(),
            target: "users".into(),
            on_delete: "CASCADE".into(),
        }],
        unique_together: Vec::new(),
        composite_indexes: Vec::new(),
        renamed_from: None,
    }
}

/// The name of the outbox table (`events:`).
pub const OUTBOX_TABLE: &str = "outbox_events";

/// The outbox of change events (`events:`, docs/events.md): one row per
/// change, written in the transaction of the change; the relay sends the
/// rows whose `sent_at` is NULL in `id` order and then sets it. The index
/// on `(sent_at, id)` finds the unsent rows in order, and the sent ones
/// old enough to prune.
pub fn outbox_table() -> Table {
    let col = Column::new;
    Table {
        name: OUTBOX_TABLE.into(),
        columns: vec![
            col("id", SqlType::Integer, false),
            col("event_id", SqlType::Uuid, false),
            col("resource", SqlType::String { length: 64 }, false),
            col("kind", SqlType::String { length: 16 }, false),
            col("row_id", SqlType::String { length: 64 }, false),
            col("actor_id", SqlType::Integer, true),
            col("owner_id", SqlType::Integer, true),
            col("recorded_at", SqlType::DateTime, false),
            col("payload", SqlType::Json, false),
            col("sent_at", SqlType::DateTime, true),
        ],
        primary_key: id_key(),
        uniques: vec!["event_id".into()],
        indexes: Vec::new(),
        foreign_keys: Vec::new(),
        unique_together: Vec::new(),
        composite_indexes: vec![vec!["sent_at".into(), "id".into()]],
        renamed_from: None,
    }
}

/// The tables of `webhooks:` (docs/events.md): `webhook_endpoints`, the
/// URLs users register for a resource's events, each with its signing
/// secret, the kinds it wants and whether it is active; and
/// `webhook_deliveries`, one row per event sent to an endpoint, unique per
/// `(endpoint_id, event_id)` so that a resent event makes no second
/// delivery, with its status, attempts and last answer.
pub fn webhook_tables() -> Vec<Table> {
    let col = Column::new;
    let endpoints = Table {
        name: "webhook_endpoints".into(),
        columns: vec![
            col("id", SqlType::Integer, false),
            col("owner_id", SqlType::Integer, false),
            col("resource", SqlType::String { length: 64 }, false),
            col("url", SqlType::String { length: 2048 }, false),
            col("secret", SqlType::String { length: 100 }, false),
            col("kinds", SqlType::Json, false),
            col("active", SqlType::Boolean, false),
            col("created_at", SqlType::DateTime, false),
        ],
        primary_key: id_key(),
        uniques: Vec::new(),
        indexes: vec!["owner_id".into()],
        foreign_keys: vec![ForeignKey {
            column: "owner_id".into(),
            target: "users".into(),
            on_delete: "CASCADE".into(),
        }],
        unique_together: Vec::new(),
        // `schedule` looks up the active endpoints of an event's resource.
        composite_indexes: vec![vec!["resource".into(), "active".into()]],
        renamed_from: None,
    };
    let deliveries = Table {
        name: "webhook_deliveries".into(),
        columns: vec![
            col("id", SqlType::Integer, false),
            col("endpoint_id", SqlType::Integer, false),
            col("event_id", SqlType::Uuid, false),
            col("kind", SqlType::String { length: 16 }, false),
            col("status", SqlType::String { length: 16 }, false),
            col("attempts", SqlType::Integer, false),
            col("response_status", SqlType::Integer, true),
            col("last_error", SqlType::Text, true),
            col("created_at", SqlType::DateTime, false),
            col("finished_at", SqlType::DateTime, true),
        ],
        primary_key: id_key(),
        uniques: Vec::new(),
        indexes: Vec::new(),
        foreign_keys: vec![ForeignKey {
            column: "endpoint_id".into(),
            target: "webhook_endpoints".into(),
            on_delete: "CASCADE".into(),
        }],
        // Also the index of an endpoint's deliveries (its first column).
        unique_together: vec![vec!["endpoint_id".into(), "event_id".into()]],
        composite_indexes: Vec::new(),
        renamed_from: None,
    };
    vec![endpoints, deliveries]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_names_are_shortened_like_fit_name_in_python() {
        // Expected values computed with the generated `fit_name`.
        let long = "fk_warehouse_outbound_parcels_delivery_address_id_customer_shipping_addresses";
        assert_eq!(
            names::fit(long),
            "fk_warehouse_outbound_parcels_delivery_address_id_cust_c6b6d502"
        );
        assert_eq!(
            names::fk(
                "warehouse_outbound_parcels",
                "delivery_address_id",
                "customer_shipping_addresses"
            ),
            names::fit(long)
        );
        let exact = "x".repeat(63);
        assert_eq!(names::fit(&exact), exact);
        // A multi-byte character is never cut in half.
        let accented = format!("ix_{}", "é".repeat(40));
        assert_eq!(
            names::fit(&accented),
            "ix_ééééééééééééééééééééééééé_01f2af8c"
        );
        assert!(names::fit(&accented).len() <= names::MAX_BYTES);
    }

    #[test]
    fn composite_names_join_their_columns() {
        let cols = |c: &[&str]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(names::uq("seats", &cols(&["row"])), "uq_seats_row");
        assert_eq!(
            names::uq("seats", &cols(&["row", "number"])),
            "uq_seats_row_number"
        );
        assert_eq!(
            names::ix("seats", &cols(&["a", "b", "c"])),
            "ix_seats_a_b_c"
        );
    }

    #[test]
    fn time_and_array_types() {
        let tags = SqlType::Array {
            items: Box::new(SqlType::Text),
        };
        let rows = SqlType::Array {
            items: Box::new(SqlType::Integer),
        };
        assert_eq!(
            tags.migration("", 8),
            "sa.ARRAY(sa.Text()).with_variant(sa.JSON(), \"sqlite\")"
        );
        assert_eq!(
            tags.model("", 8),
            "ARRAY(Text()).with_variant(JSON(), \"sqlite\")"
        );
        assert_eq!(tags.postgres(), "TEXT[]");
        assert_eq!(rows.postgres(), "INTEGER[]");
        assert_eq!(SqlType::Time.migration("", 8), "sa.Time()");
        assert_eq!(SqlType::Time.model("", 8), "Time()");
        assert_eq!(SqlType::Time.postgres(), "TIME");
        // Arrays change only to themselves: text[] to integer[] (or back)
        // loses data, and SQLite's JSON would keep the old item type.
        assert!(tags.widens_to(&tags));
        assert!(!tags.widens_to(&rows));
        assert!(!rows.widens_to(&tags));
        assert!(!tags.widens_to(&SqlType::Json));
        assert!(!SqlType::Time.widens_to(&SqlType::DateTime));
        assert!(!SqlType::Date.widens_to(&SqlType::Time));
        // The empty array is spelled per dialect when a dropped column comes back.
        let filler = tags.filler_default(16);
        assert!(
            filler
                .contains("\"'[]'\" if op.get_context().dialect.name == \"sqlite\" else \"'{}'\""),
            "{filler}"
        );
        assert_eq!(SqlType::Time.filler_default(16), "sa.text(\"'00:00:00'\")");
        // Recorded as data, and read back the same.
        let json = serde_json::to_string(&tags).unwrap();
        assert_eq!(json, r#"{"kind":"array","items":{"kind":"text"}}"#);
        assert_eq!(serde_json::from_str::<SqlType>(&json).unwrap(), tags);
    }

    #[test]
    fn schemas_recorded_before_composites_still_read() {
        let old = r#"{"name":"seats","columns":[{"name":"id","type":{"kind":"integer"},"nullable":false}],"uniques":[],"indexes":[],"foreign_keys":[]}"#;
        let table: Table = serde_json::from_str(old).unwrap();
        assert!(table.unique_together.is_empty() && table.composite_indexes.is_empty());
        // And a table without composites is recorded exactly as before.
        assert_eq!(serde_json::to_string(&table).unwrap(), old);
    }

    #[test]
    fn long_enums_are_wrapped_and_keep_commas_in_values() {
        let values = ["open", "on hold, waiting", "closed", "archived", "deleted"];
        let t = SqlType::Enum {
            values: values.iter().map(|v| v.to_string()).collect(),
            length: 16,
        };
        let migration = t.migration("", 12);
        assert!(
            migration.contains("\n                \"on hold, waiting\",\n"),
            "{migration}"
        );
        assert!(
            t.model("OrderState", 8)
                .starts_with("Enum(OrderState, native_enum=False")
        );
    }

    #[test]
    fn big_ids_are_integer_primary_keys_on_sqlite() {
        let t = SqlType::BigId;
        assert_eq!(
            t.migration("", 8),
            "sa.BigInteger().with_variant(sa.Integer(), \"sqlite\")"
        );
        assert_eq!(
            t.model("", 8),
            "BigInteger().with_variant(Integer(), \"sqlite\")"
        );
        assert_eq!(t.postgres(), "BIGINT");
        assert!(SqlType::Integer.widens_to(&t));
        assert!(t.widens_to(&SqlType::BigInteger) && SqlType::BigInteger.widens_to(&t));
        assert!(!t.widens_to(&SqlType::Integer) && !t.widens_to(&SqlType::Uuid));
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, r#"{"kind":"big_id"}"#);
        assert_eq!(serde_json::from_str::<SqlType>(&json).unwrap(), t);
    }

    #[test]
    fn widening() {
        let s = |length| SqlType::String { length };
        assert!(s(10).widens_to(&s(20)));
        assert!(!s(20).widens_to(&s(10)));
        assert!(s(10).widens_to(&SqlType::Text));
        assert!(!SqlType::Text.widens_to(&s(10)));
        assert!(SqlType::Integer.widens_to(&SqlType::BigInteger));
        assert!(!SqlType::BigInteger.widens_to(&SqlType::Integer));
        let e = |v: &[&str]| SqlType::Enum {
            values: v.iter().map(|s| s.to_string()).collect(),
            length: 9,
        };
        assert!(e(&["a"]).widens_to(&e(&["a", "b"])));
        assert!(!e(&["a", "b"]).widens_to(&e(&["a"])));
    }
}
