//! Checking: a [`Spec`] in, a [`Model`] or every problem out.
//!
//! Every problem is collected, not just the first: [`validate`] returns all
//! of them, each with its position, YAML path and a help line. The stages
//! run in order: the checks of this folder resolve each resource's facts
//! (fields, relations, permissions, lists), [`crate::layout`] lays them out
//! as Python, [`crate::testplan`] derives the generated tests' data once
//! every resource exists, and [`crate::table`] builds the schema.

pub(crate) mod composites;
pub(crate) mod fields;
pub(crate) mod list;
pub(crate) mod permissions;
pub(crate) mod project;
pub(crate) mod relations;
pub(crate) mod resources;

pub(crate) mod values;
pub(crate) mod webhooks;

#[cfg(test)]
mod tests;

use crate::check::project::{auth, project, user_fields};
use crate::check::resources::resources;
use crate::diagnostics::{Diagnostic, SpecErrors};
use crate::layout::{app_imports, id_aliases};
use crate::model::{Model, Resource};
use crate::spec::Spec;
use crate::table::tables;
use crate::types::{self};
use std::collections::BTreeSet;

/// The columns `audit: true` adds.
pub(crate) const AUDIT_COLUMNS: [&str; 2] = ["created_by_id", "updated_by_id"];

/// Longest resource, field and relation name (snake_case), so that every
/// generated line can be laid out within ruff's 88 columns.
pub(crate) const MAX_NAME: usize = 24;

/// Longest enum value.
pub(crate) const MAX_ENUM_VALUE: usize = 32;

/// Longest `api_prefix`.
pub(crate) const MAX_PREFIX: usize = 40;

/// Collects problems while validating.
pub(crate) struct Checker<'a> {
    pub(crate) spec: &'a Spec,
    pub(crate) problems: Vec<Diagnostic>,
    /// Every resource's class name, once known (enum classes must not shadow them).
    pub(crate) classes: BTreeSet<String>,
    /// The project's roles, `admin` first.
    pub(crate) roles: Vec<String>,
    /// The role given at signup.
    pub(crate) default_role: String,
}

impl Checker<'_> {
    /// Records a problem at the key of `path`.
    pub(crate) fn at_key(
        &mut self,
        path: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let location = self.spec.spans.key_or_value(path);
        self.push(path, location, message.into(), help.into());
    }

    /// Records a problem at the value of `path`.
    pub(crate) fn at_value(
        &mut self,
        path: &str,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        let location = self.spec.spans.value(path);
        self.push(path, location, message.into(), help.into());
    }

    pub(crate) fn push(
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
    let laid_out: Vec<&Resource> = resources.iter().map(|r| &r.resource).collect();
    let webhooks = webhooks::webhooks(&mut c, &laid_out);
    if c.problems.is_empty() {
        let mut schema = tables(&resources, &auth.user_columns, auth.email, &mut c);
        if c.problems.is_empty() {
            let mut resources: Vec<Resource> = resources.into_iter().map(|r| r.resource).collect();
            for r in &mut resources {
                let paths: Vec<String> = r
                    .file_fields
                    .iter()
                    .map(|f| format!("`{}{}/{{id}}/{f}`", project.api_prefix, r.url))
                    .collect();
                r.file_paths = paths.join(", ");
                if !r.file_fields.is_empty() {
                    r.create_with_files_path =
                        format!("`{}{}/with-files`", project.api_prefix, r.url);
                }
            }
            let read_cache = resources.iter().any(|r| r.read_cache_seconds.is_some());
            let (main_imports, models_imports) =
                app_imports(&resources, read_cache, spec.raw.webhooks.is_some());
            let cached_reads = crate::layout::cached_reads(&resources, &project.api_prefix);
            let live_resources = crate::layout::live_resources(&resources);
            let file_routes = resources.iter().any(|r| !r.api.uploads.is_empty());
            let events = resources.iter().any(|r| !r.events.is_empty());
            if events {
                schema.tables.push(crate::schema::outbox_table());
            }
            if webhooks.is_some() {
                schema.tables.extend(crate::schema::webhook_tables());
            }
            let events_resource = resources
                .iter()
                .find(|r| !r.events.is_empty())
                .map(|r| r.snake.clone())
                .unwrap_or_default();
            let (uuid_import, id_aliases) = id_aliases(&resources);
            let all_models = {
                let mut names: Vec<String> =
                    ["Base", "User"].iter().map(|s| (*s).to_owned()).collect();
                names.extend(resources.iter().map(|r| r.class_name.clone()));
                if resources.iter().any(|r| !r.events.is_empty()) {
                    names.push("OutboxEvent".to_owned());
                }
                if webhooks.is_some() {
                    names.push("WebhookDelivery".to_owned());
                    names.push("WebhookEndpoint".to_owned());
                }
                names.sort();
                names
            };
            return Ok(Model {
                all_models,
                ship: crate::ship::ship(&project, raw.jobs),
                project,
                auth,
                resources,
                schema,
                spec_text: spec.text.clone(),
                main_imports,
                cached_reads,
                live_resources,
                read_cache,
                file_routes,
                jobs: raw.jobs,
                webhooks,
                events,
                events_resource,
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
