//! Checks of `webhooks:`: who may register endpoints, and what webhooks need
//! (background jobs for the deliveries, resources whose events they carry).

use crate::check::Checker;
use crate::check::permissions::frozenset;
use crate::diagnostics::allowed_help;
use crate::model::{Resource, WebhookResource, Webhooks};
use crate::python::{self, Imports};

/// The word of `webhooks.manage` that lets any signed-in user register.
const AUTHENTICATED: &str = "authenticated";

/// `webhooks:` resolved: `None` when absent. Records a problem when the
/// spec has no `jobs: true` (deliveries are jobs), when no resource has
/// `events:` (nothing to deliver), or when `manage` names an unknown role.
pub(crate) fn webhooks(c: &mut Checker, resources: &[&Resource]) -> Option<Webhooks> {
    let raw = c.spec.raw.webhooks.clone()?;
    if !c.spec.raw.jobs {
        c.at_key(
            "webhooks",
            "webhooks are delivered as background jobs, and the spec has no `jobs: true`",
            "add `jobs: true` at the top level (a taskiq worker on Redis, docs/jobs.md), or remove `webhooks`",
        );
    }
    if resources.iter().all(|r| r.events.is_empty()) {
        c.at_key(
            "webhooks",
            "webhooks carry change events, and no resource publishes any",
            "add `events: true` (or a list of `created`, `updated`, `deleted`) to a resource, or remove `webhooks`",
        );
    }
    let manage = raw.manage.unwrap_or_else(|| vec![AUTHENTICATED.to_owned()]);
    let mut authenticated = false;
    let mut roles: Vec<String> = vec!["admin".to_owned()];
    for (i, word) in manage.iter().enumerate() {
        if word == AUTHENTICATED {
            authenticated = true;
        } else if c.roles.contains(word) {
            if !roles.contains(word) {
                roles.push(word.clone());
            }
        } else {
            let mut allowed: Vec<&str> = vec![AUTHENTICATED];
            allowed.extend(c.roles.iter().map(String::as_str));
            c.at_value(
                &format!("webhooks.manage[{i}]"),
                format!("`{word}` is neither `authenticated` nor a role"),
                allowed_help(word, &allowed),
            );
        }
    }
    if manage.is_empty() {
        c.at_value(
            "webhooks.manage",
            "`manage` is empty",
            "list `authenticated` or the roles who may register webhook endpoints (admins always may)",
        );
    }
    let (manage_py, who) = if authenticated {
        ("None".to_owned(), "signed in".to_owned())
    } else {
        let mut sorted = roles.clone();
        sorted.sort();
        let who: Vec<String> = roles.iter().map(|r| format!("`{r}`")).collect();
        (frozenset(sorted.iter()), who.join(", "))
    };
    let mut publishing: Vec<&Resource> = resources
        .iter()
        .copied()
        .filter(|r| !r.events.is_empty())
        .collect();
    publishing.sort_by(|a, b| a.snake.cmp(&b.snake));
    let mut imports = Imports::default();
    imports.from("app.kit.live", "LiveFeed");
    imports.from("app.kit.events", "EventKind");
    for r in &publishing {
        imports.from(
            &format!("app.{}.router", r.snake),
            &format!("live as {}_live", r.snake),
        );
    }
    let names: Vec<String> = publishing
        .iter()
        .map(|r| python::string(&r.snake))
        .collect();
    let resource_type_py = python::subscript("WebhookResource = ", "Literal", &names);
    let feeds = publishing
        .iter()
        .map(|r| WebhookResource {
            snake: r.snake.clone(),
            snake_py: python::string(&r.snake),
            kinds_py: tuple(&r.events),
        })
        .collect();
    let tested = resources.iter().find(|r| !r.events.is_empty());
    let filter_kinds_py = match tested {
        Some(r) if r.events.len() > 1 && r.events.iter().any(|k| k == "created") => {
            let others: Vec<String> = r
                .events
                .iter()
                .filter(|k| *k != "created")
                .map(|k| python::string(k))
                .collect();
            format!("[{}]", others.join(", "))
        }
        _ => String::new(),
    };
    Some(Webhooks {
        filter_kinds_py,
        manage_py,
        who,
        feeds_imports: imports.render(),
        resources: feeds,
        resource_type_py,
    })
}

/// A Python tuple literal of `items` as strings (`("a",)`, `("a", "b")`).
fn tuple(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| python::string(s)).collect();
    match quoted.as_slice() {
        [one] => format!("({one},)"),
        many => format!("({})", many.join(", ")),
    }
}
