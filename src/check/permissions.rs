//! Checks of `permissions:` and the access rules they resolve to.

use crate::check::Checker;
use crate::diagnostics::allowed_help;
use crate::model::{Access, Reach};
use crate::python::{self, call};
use crate::spec::{RawResource, spans::join_key};
use std::collections::BTreeSet;

/// A list filter's condition, kept in parts so that its statement can be
/// wrapped the way `ruff format` wraps it.
pub(crate) enum Condition {
    /// `left op right`.
    Compare(String, &'static str, String),
    /// `head(args)`.
    Call(String, Vec<String>),
}

impl Condition {
    /// `left op right`.
    pub(crate) fn compare(left: &str, op: &'static str, right: &str) -> Condition {
        Condition::Compare(left.to_owned(), op, right.to_owned())
    }

    /// `head(args)`.
    pub(crate) fn call(head: &str, args: &[String]) -> Condition {
        Condition::Call(head.to_owned(), args.to_vec())
    }

    /// `stmt = stmt.where(condition)` at 8 spaces: on one line when it
    /// fits, else the condition on its own line, itself split (before the
    /// operator, or one argument per line) when that line is too long.
    pub(crate) fn statement(&self) -> String {
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
pub(crate) struct ActionRule {
    pub(crate) anyone: bool,
    pub(crate) authenticated: bool,
    pub(crate) owner: bool,
    pub(crate) roles: BTreeSet<String>,
}

impl ActionRule {
    pub(crate) fn of(entries: &[&str]) -> ActionRule {
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
    pub(crate) fn member(&self, role: &str) -> Reach {
        if self.anyone || self.authenticated || self.roles.contains(role) {
            Reach::All
        } else if self.owner {
            Reach::Own
        } else {
            Reach::None
        }
    }

    /// The keyword arguments of the generated `Rule(...)` for this rule
    /// (`anyone=True`, `roles=frozenset({...})`, ...).
    pub(crate) fn rule_args(&self) -> Vec<String> {
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
        args
    }

    pub(crate) fn access(&self, default_role: &str) -> Access {
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
            member: self.member(default_role),
            anonymous: self.anyone,
            who: who.join(", "),
        }
    }
}

/// A Python `frozenset` literal of strings, sorted.
pub(crate) fn frozenset<'a>(items: impl Iterator<Item = &'a String>) -> String {
    let quoted: Vec<String> = items.map(|s| python::string(s)).collect();
    if quoted.is_empty() {
        "frozenset()".to_owned()
    } else {
        format!("frozenset({{{}}})", quoted.join(", "))
    }
}

/// Who may perform each action when `permissions` does not say, as
/// `permissions` entries (`[]`: admins only), in the order read, create,
/// update, delete. Secure by default: an owned resource's rows are their
/// owner's (every signed-in user creates their own); a shared resource is
/// read by signed-in users (by anyone with `public_read`) and written by
/// admins only, until `permissions` grants writes to others.
pub(crate) fn default_rules(owned: bool, public_read: bool) -> [&'static [&'static str]; 4] {
    let read: &[&str] = if public_read {
        &["anyone"]
    } else if owned {
        &["owner"]
    } else {
        &["authenticated"]
    };
    if owned {
        [read, &["authenticated"], &["owner"], &["owner"]]
    } else {
        [read, &[], &[], &[]]
    }
}

/// Whether anyone may read the resource `r`, without a token: its
/// `permissions.read` lists `anyone`, or it has none and `public_read` is set
/// (the rule [`permissions`] resolves, read off the raw spec for the
/// resources that list it under their rows before it is checked).
pub(crate) fn reads_anonymously(r: &RawResource) -> bool {
    match r.permissions.as_ref().and_then(|p| p.read.as_ref()) {
        Some(read) => read.iter().any(|e| e == "anyone"),
        None => default_rules(r.owned, r.public_read)[0].contains(&"anyone"),
    }
}

/// The four rules of a resource: `permissions` when given, else
/// [`default_rules`].
pub(crate) fn permissions(c: &mut Checker, path: &str, r: &RawResource) -> [ActionRule; 4] {
    let given = r.permissions.clone().unwrap_or_default();
    let [default_read, default_create, default_update, default_delete] =
        default_rules(r.owned, r.public_read);
    let mut out: [ActionRule; 4] = Default::default();
    let actions = [
        ("read", given.read.as_ref(), default_read),
        ("create", given.create.as_ref(), default_create),
        ("update", given.update.as_ref(), default_update),
        ("delete", given.delete.as_ref(), default_delete),
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
