//! A resource's `service.py`: its repository declaration (the kit's
//! `Repository`, told what is particular to the resource) and its import
//! block; the nested lists' conditions come from the collections.

use crate::model::{Collection, Relation};
use crate::python::{Imports, call};

/// What the repository declaration names, gathered by layout.
pub(crate) struct RepositoryParts<'a> {
    /// Model class (`Product`).
    pub(crate) class: &'a str,
    /// Resource module name (`product`).
    pub(crate) snake: &'a str,
    /// Columns `q` searches (`Product.name`).
    pub(crate) search: &'a [String],
    /// Relationships every response shows (`Product.tags`).
    pub(crate) load: &'a [String],
    /// The references (foreign keys) a body sets.
    pub(crate) relations: &'a [Relation],
    /// The collections; many-to-many ones are set from a body's ids.
    pub(crate) collections: &'a [Collection],
    /// Unique fields: (Python attribute, JSON name).
    pub(crate) unique: &'a [(String, String)],
    /// `unique_together` groups, each as its column expressions.
    pub(crate) unique_together: &'a [Vec<String>],
    /// The kinds of change the resource publishes (`events:`); empty: none.
    pub(crate) events: &'a [String],
}

/// A tuple expression of `items` at `indent` spaces, headed by `head`
/// (`search=`): on one line when it fits, else one item per line; a single
/// item keeps its trailing comma.
fn tuple(head: &str, items: &[String], indent: usize) -> String {
    if let [one] = items {
        let line = format!("{head}({one},)");
        if indent + line.chars().count() <= crate::python::LINE_LENGTH {
            return line;
        }
    }
    call(head, items, "", indent)
}

impl RepositoryParts<'_> {
    /// `repository = Repository(...)`, laid out as `ruff format` would.
    pub(crate) fn declaration(&self) -> String {
        let mut args = vec![self.class.to_owned(), "hooks=hooks".to_owned()];
        let mut named = |name: &str, items: Vec<String>| {
            if !items.is_empty() {
                args.push(tuple(&format!("{name}="), &items, 4));
            }
        };
        named("search", self.search.to_vec());
        named("load", self.load.to_vec());
        named(
            "references",
            self.relations
                .iter()
                .map(|r| {
                    call(
                        "Reference",
                        &[crate::python::string(&r.column), r.target_class.clone()],
                        "",
                        8,
                    )
                })
                .collect(),
        );
        named(
            "unique",
            self.unique
                .iter()
                .map(|(attr, _)| format!("{}.{attr}", self.class))
                .collect(),
        );
        named(
            "unique_together",
            self.unique_together
                .iter()
                .map(|group| tuple("", group, 8))
                .collect(),
        );
        named(
            "links",
            self.links()
                .map(|c| {
                    call(
                        "Link",
                        &[
                            crate::python::string(&c.ids_field),
                            crate::python::string(&c.name),
                            c.target_class.clone(),
                        ],
                        "",
                        8,
                    )
                })
                .collect(),
        );
        if !self.events.is_empty() {
            let kinds: Vec<String> = self
                .events
                .iter()
                .map(|k| crate::python::string(k))
                .collect();
            let publishes = call(
                "Publishes",
                &[
                    crate::python::string(self.snake),
                    format!("{}Read", self.class),
                    tuple("", &kinds, 8),
                ],
                "",
                4,
            );
            args.push(format!("publishes={publishes}"));
        }
        call("repository = Repository", &args, "", 0)
    }

    fn links(&self) -> impl Iterator<Item = &Collection> {
        self.collections.iter().filter(|c| c.many_to_many)
    }

    /// The import block of `service.py`.
    pub(crate) fn imports(&self, target_modules: &[(String, String)]) -> String {
        let mut imports = Imports::default();
        imports
            .uses("Repository")
            .from(&format!("app.{}.models", self.snake), self.class)
            .from(&format!("app.{}.hooks", self.snake), "hooks");
        if !self.events.is_empty() {
            imports.uses("Publishes").from(
                &format!("app.{}.schemas", self.snake),
                &format!("{}Read", self.class),
            );
        }
        if !self.relations.is_empty() {
            imports.uses("Reference");
        }
        if self.links().next().is_some() {
            imports.uses("Link").uses("linked_to");
        }
        if !self.collections.is_empty() {
            imports.uses("ColumnElement");
        }
        for c in self.links() {
            imports.from(&format!("app.{}.models", self.snake), &c.association);
        }
        for (module, class) in target_modules {
            imports.from(module, class);
        }
        imports.render()
    }
}
