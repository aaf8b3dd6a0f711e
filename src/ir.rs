//! The intermediate representation: one resource's facts as checking
//! resolved them (names, field and relation plans, access rules, list plan,
//! composite constraints), before any Python is laid out.
//!
//! [`crate::check`] builds a [`ResourceFacts`] only for a resource without
//! problems; [`crate::layout`] takes it and writes the Python text;
//! [`crate::testplan`] derives the generated tests' data from it.

use serde_json::Value as Json;

use crate::check::composites::Composites;
use crate::check::fields::FieldPlan;
use crate::check::permissions::ActionRule;
use crate::check::relations::RelationPlan;
use crate::model::ListSpec;
use crate::spec::RawResource;

/// One resource after every check passed.
pub(crate) struct ResourceFacts<'a> {
    /// The resource's key as written in the spec (`OrderItem`).
    pub(crate) key: &'a str,
    /// Model class name (`OrderItem`).
    pub(crate) class: &'a str,
    /// snake_case singular (`order_item`).
    pub(crate) snake: &'a str,
    /// snake_case plural, also the table name (`order_items`).
    pub(crate) plural: &'a str,
    /// The resource as written (flags such as `owned`, `audit`, `timestamps`).
    pub(crate) raw: &'a RawResource,
    /// Fields in spec order; filtered ones already marked `index`, sorted
    /// ones not (their index is `(field, id)`: `table::composite_indexes`).
    pub(crate) fields: Vec<FieldPlan>,
    /// `many_to_one` and `one_to_one` relations (a foreign key here).
    pub(crate) relations: Vec<RelationPlan>,
    /// `one_to_many` and `many_to_many` relations.
    pub(crate) collections: Vec<RelationPlan>,
    /// Who may read, create, update and delete, in that order.
    pub(crate) rules: [ActionRule; 4],
    /// The list endpoint's filters, sorts, search and pagination.
    pub(crate) list: ListSpec,
    /// `(module, name)` imports the list's query model needs.
    pub(crate) list_imports: Vec<(String, String)>,
    /// `unique_together` and `indexes`, resolved to columns.
    pub(crate) composites: Composites,
    /// The spec's `example` body, checked, if any.
    pub(crate) example: Option<Vec<(String, Json)>>,
    /// `cache:`, checked, if any.
    pub(crate) cache: Option<CacheRule>,
    /// The kinds of change it publishes (`events:`), in `created`,
    /// `updated`, `deleted` order; empty without events.
    pub(crate) events: Vec<String>,
}

/// A resource's checked `cache:`: how long answers without a token may be
/// reused, by whom, and whether Redis keeps them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CacheRule {
    /// Seconds an answer may be reused (1 to a year).
    pub(crate) max_age: i64,
    /// Shared caches may keep answers without a token.
    pub(crate) public: bool,
    /// The Redis read cache keeps answers without a token.
    pub(crate) redis: bool,
}

/// The `Cache-Control` of a read answered without a token, under `cache`
/// (RFC 9111 section 5.2.2): `public` or `private` with the max age, or
/// `private, no-cache` without `cache:`. Answers to a token are always the
/// latter (`app.kit.caching.CachePolicy`).
pub(crate) fn anonymous_cache_control(cache: Option<CacheRule>) -> String {
    match cache {
        Some(c) if c.public => format!("public, max-age={}", c.max_age),
        Some(c) => format!("private, max-age={}", c.max_age),
        None => "private, no-cache".to_owned(),
    }
}

impl ResourceFacts<'_> {
    /// Class names of the resources its required references point at
    /// (not `User`, not itself): their rows must exist before its own.
    pub(crate) fn required_targets(&self) -> impl Iterator<Item = &str> {
        self.relations
            .iter()
            .filter(|rel| {
                !rel.nullable && rel.target_class != "User" && rel.target_class != self.class
            })
            .map(|rel| rel.target_class.as_str())
    }

    /// How many distinct sample rows its own unique fields and groups allow
    /// (at most [`crate::testplan::SAMPLES`]), before its parents are counted.
    pub(crate) fn capacity(&self) -> usize {
        self.fields
            .iter()
            .filter(|f| f.raw.unique)
            .map(|f| f.samples_cache.len())
            .chain([crate::testplan::SAMPLES, self.composites.capacity])
            .min()
            .unwrap_or(crate::testplan::SAMPLES)
    }
}
