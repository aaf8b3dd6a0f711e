//! Checks of `project:` and `auth:` (roles, token lifetimes, user fields).

use crate::check::fields::{FieldPlan, field, member_name};
use crate::check::{Checker, MAX_PREFIX};
use crate::diagnostics::allowed_help;
use crate::layout::api::not_null_decl;
use crate::layout::field::lay_out_field;
use crate::model::{Auth, EmailFlows, Project};
use crate::names;
use crate::python::{self, Imports};
use crate::reserved::{self, Class};
use crate::spec::spans::join_key;
use crate::spec::{RawAuth, RawField};
use regex::Regex;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

/// Checks `project:` (name, title, description, version, `api_prefix`)
/// and resolves it, with its strings already quoted for Python.
pub(crate) fn project(c: &mut Checker) -> Project {
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
    if let Some(why) = prefix_problem(&api_prefix) {
        c.at_value(
            "project.api_prefix",
            format!("`{api_prefix}` is not a usable route prefix: {why}"),
            "write segments of letters, digits, `-`, `.`, `_` and `~` (RFC 3986's unreserved characters), each after one `/`, for example `/api/v1`; or `\"\"` for none",
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
    let license = p.license.clone();
    let servers = p.servers.clone();
    let license_py = license_literal(c, license.as_deref());
    let servers_py = servers_literal(c, servers.as_deref());
    Project {
        name: p.name.clone(),
        title_py: python::string(&title),
        title,
        description_py: python::string(&description),
        description,
        version,
        api_prefix,
        license,
        license_py,
        servers_py,
    }
}

/// `LICENSE = ...` of `app/main.py`: the OpenAPI License Object of the
/// SPDX expression `license` (OpenAPI 3.1 `identifier`), or `None`. Reports
/// an expression SPDX does not know, with the identifier it likely meant.
fn license_literal(c: &mut Checker, license: Option<&str>) -> String {
    let Some(license) = license else {
        return "None".to_owned();
    };
    if let Err(e) = spdx::Expression::parse(license) {
        let guess = spdx::imprecise_license_id(license)
            .map(|(id, _)| format!(", e.g. `{}`", id.name))
            .unwrap_or_default();
        c.at_value(
            "project.license",
            format!("`{license}` is not an SPDX license expression: {}", e.reason),
            format!("write an identifier from spdx.org/licenses{guess}, or an expression like `MIT OR Apache-2.0`"),
        );
    }
    let value = serde_json::json!({"name": license, "identifier": license});
    python::literal_at(&value, 0, "LICENSE = ".len(), 0)
}

/// `SERVERS = ...` of `app/main.py`: the OpenAPI servers, `/` when the spec
/// names none. Each URL is `http(s)://host[:port][/path]` or a path from
/// `/`, without a trailing `/` (the routes' paths start with one), without
/// `{` (server variables are not supported) and named once.
fn servers_literal(c: &mut Checker, servers: Option<&[crate::spec::raw::RawServer]>) -> String {
    static URL: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)?(/[A-Za-z0-9._~!$&'()*+,;=:@%-]*)*$")
            .expect("static regex")
    });
    let default = [crate::spec::raw::RawServer {
        url: "/".to_owned(),
        description: Some("The server of this document".to_owned()),
    }];
    let servers = servers.unwrap_or(&default);
    if servers.is_empty() {
        c.at_value(
            "project.servers",
            "`servers` is empty".to_owned(),
            "name at least one server, or leave `servers` out for `/` (the server of the document)",
        );
    }
    let mut seen = BTreeSet::new();
    let mut list = Vec::new();
    for (i, server) in servers.iter().enumerate() {
        let url = &server.url;
        let path = format!("project.servers[{i}].url");
        let trailing = url.len() > 1 && url.ends_with('/') && !url.ends_with("://");
        if url.is_empty() || !URL.is_match(url) || trailing {
            c.at_value(
                &path,
                format!("`{url}` is not a server URL gen can use"),
                "write `https://host[:port][/path]` or a path like `/api`, without a trailing `/`, spaces or `{variables}`",
            );
        }
        if !seen.insert(url.clone()) {
            c.at_value(
                &path,
                format!("`{url}` is listed twice"),
                "list each server once",
            );
        }
        let mut entry = serde_json::Map::new();
        entry.insert("url".into(), url.clone().into());
        if let Some(d) = &server.description {
            entry.insert("description".into(), d.clone().into());
        }
        list.push(serde_json::Value::Object(entry));
    }
    python::literal_at(&serde_json::Value::Array(list), 0, "SERVERS = ".len(), 0)
}

/// Why `prefix` cannot prefix every route, or None when it can: each
/// segment is `/` and one or more of RFC 3986's unreserved characters
/// (section 2.3), so nothing in it needs percent-encoding; no segment is
/// `.` or `..` (dot-segments, which clients and proxies remove before
/// sending, section 5.2.4, so the routes could never be reached); no
/// empty segment (`//`) and no trailing `/`.
fn prefix_problem(prefix: &str) -> Option<&'static str> {
    static SEGMENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[A-Za-z0-9._~-]+$").expect("static regex"));
    if prefix.is_empty() {
        return None;
    }
    let Some(rest) = prefix.strip_prefix('/') else {
        return Some("it does not start with `/`");
    };
    for segment in rest.split('/') {
        if segment.is_empty() {
            return Some("it has an empty segment (`//`, or a trailing `/`)");
        }
        if segment == "." || segment == ".." {
            return Some("`.` and `..` segments are removed by clients before a request is sent");
        }
        if !SEGMENT.is_match(segment) {
            return Some("it has a character outside letters, digits, `-`, `.`, `_` and `~`");
        }
    }
    None
}

/// Checks `auth:` (roles, the role given at signup, token lifetimes) and
/// resolves it; user fields are added later by [`user_fields`], once the
/// resources' class names are known.
pub(crate) fn auth(c: &mut Checker) -> Auth {
    let raw = c.spec.raw.auth.clone().unwrap_or_default();
    let roles = roles(c, &raw);
    let default_role = default_role(c, &raw, &roles);
    let minutes = raw.access_token_minutes.unwrap_or(30);
    lifetime(
        c,
        "access_token_minutes",
        minutes,
        43_200,
        "use 1 to 43200 (30 days); short-lived tokens (15 to 60 minutes) are the norm",
    );
    let role_literal = format!(
        "Literal[{}]",
        roles
            .iter()
            .map(|r| python::string(r))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let days = raw.refresh_token_days.unwrap_or(14);
    lifetime(
        c,
        "refresh_token_days",
        days,
        365,
        "use 1 to 365; users log in again when a refresh token expires",
    );
    let email = email_flows(c, &raw);
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
        signup_json: String::new(),
        example_email: String::new(),
        example_password: String::new(),
        user_renamed: Vec::new(),
        email,
    }
}

/// `auth.email`: the flows it switches on. They send their mail as
/// background jobs, so they need `jobs: true`.
fn email_flows(c: &mut Checker, raw: &RawAuth) -> EmailFlows {
    let Some(email) = &raw.email else {
        return EmailFlows::default();
    };
    let flows = EmailFlows::new(email.password_reset, email.verification);
    if flows.any && !c.spec.raw.jobs {
        c.at_key(
            "auth.email",
            "email flows send their mail as background jobs, and the spec has no `jobs: true`",
            "add `jobs: true` at the top level (a taskiq worker on Redis, docs/jobs.md), or remove `auth.email`",
        );
    }
    flows
}

/// The project's roles: `admin` first, then each valid role of
/// `auth.roles` (`admin` and `member` when absent) once.
fn roles(c: &mut Checker, raw: &RawAuth) -> Vec<String> {
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
    roles
}

/// The role given at signup: `auth.default_role` (one of `roles`, not
/// `admin`), else `member` if it is a role, else the first role that is
/// not `admin`.
fn default_role(c: &mut Checker, raw: &RawAuth, roles: &[String]) -> String {
    match raw.default_role.clone() {
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
    }
}

/// Checks token lifetime `auth.<key>` (`value`) is within 1 to `max`.
fn lifetime(c: &mut Checker, key: &str, value: u32, max: u32, help: &str) {
    if !(1..=max).contains(&value) {
        c.at_value(
            &format!("auth.{key}"),
            format!("`{key}` {value} is out of range"),
            help,
        );
    }
}

/// `auth.user_fields`: validated like resource fields, laid out into the
/// built-in User's model, schemas and table.
///
/// In: the checked `auth`. Out: `auth` with its user fields, columns,
/// enums, imports, samples and update validator filled in.
pub(crate) fn user_fields(c: &mut Checker, auth: &mut Auth) {
    let raw = c.spec.raw.auth.clone().unwrap_or_default().user_fields;
    let (mut model_imports, mut schema_imports) = user_imports();
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    let mut not_null = Vec::new();
    auth.example_email = "ada@example.com".to_owned();
    auth.example_password = "correct-horse-battery".to_owned();
    let mut signup: Vec<(String, serde_json::Value)> = vec![
        ("email".to_owned(), auth.example_email.as_str().into()),
        ("password".to_owned(), auth.example_password.as_str().into()),
    ];
    for (key, raw_field) in &raw {
        let path = join_key("auth.user_fields", key);
        let Some(plan) = user_field(c, &path, key, raw_field, &mut taken) else {
            continue;
        };
        let laid = lay_out_field(
            &plan,
            "User",
            "app.auth.models",
            &mut model_imports,
            &mut schema_imports,
            &mut auth.user_enums,
        );
        if let Some(v) = plan.samples_cache.first() {
            signup.push((plan.name.clone(), v.clone()));
            auth.user_sample.push(format!(
                "{}: {},",
                python::string(&plan.name),
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
    let members: Vec<String> = signup
        .iter()
        .map(|(k, v)| format!("{}: {v}", serde_json::Value::from(k.as_str())))
        .collect();
    auth.signup_json = format!("{{{}}}", members.join(", "));
    let mut guarded = vec!["\"email\"".to_owned()];
    guarded.extend(not_null);
    auth.user_not_null_on_update = not_null_decl(&guarded);
    auth.user_model_imports = model_imports.render();
    auth.user_schema_imports = schema_imports.render();
}

/// What the User's model and schemas import before any user field.
fn user_imports() -> (Imports, Imports) {
    let mut model_imports = Imports::default();
    model_imports
        .uses("Boolean")
        .uses("ForeignKey")
        .uses("Index")
        .uses("Integer")
        .uses("String")
        .uses("Mapped")
        .uses("mapped_column")
        .uses("datetime")
        .uses("Base")
        .uses("TimestampMixin")
        .uses("UTCDateTime")
        .uses("utc_now");
    let mut schema_imports = Imports::default();
    schema_imports
        .uses("datetime")
        .uses("Annotated")
        .uses("Literal")
        .uses("BaseModel")
        .uses("ConfigDict")
        .uses("CanonicalEmail")
        .uses("Field")
        .uses("StorableText")
        .uses("PatchModel")
        .uses("Page")
        .uses("SafeStr")
        .uses("StrictBool");
    (model_imports, schema_imports)
}

/// Checks user field `key` (at `path`): not a built-in name, a usable
/// name not yet `taken` (where it is then added), a valid field, and none
/// of what user fields cannot be (read_only, write_only, unique, required
/// without a default). Out: its plan, or `None` after a problem.
fn user_field(
    c: &mut Checker,
    path: &str,
    key: &str,
    raw_field: &RawField,
    taken: &mut BTreeMap<String, String>,
) -> Option<FieldPlan> {
    if reserved::is(&names::snake(key), Class::UserField) {
        c.at_key(
            path,
            format!("`{key}` is a built-in field of User (or of its endpoints)"),
            format!(
                "rename it; the built-in names are {}",
                reserved::names(Class::UserField)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        return None;
    }
    let name = member_name(c, path, key, "user field", taken)?;
    taken.insert(name.clone(), format!("user field `{key}`"));
    let plan = field(c, path, "User", &name, raw_field)?;
    if let Some(flag) = [
        ("read_only", plan.raw.read_only),
        ("write_only", plan.raw.write_only),
    ]
    .into_iter()
    .find_map(|(k, on)| on.then_some(k))
    {
        c.at_key(
            &join_key(path, flag),
            format!("`{flag}` applies to resource fields, not user fields"),
            "users set their fields at signup and with `PATCH /users/me`, and read them back there; remove it",
        );
        return None;
    }
    if plan.raw.unique {
        c.at_key(
            path,
            "user fields cannot be unique in spec v1",
            "remove `unique`; `email` is the user's unique key",
        );
        return None;
    }
    if !plan.raw.nullable && plan.default.is_none() {
        c.at_key(
            path,
            format!("user field `{key}` needs `nullable: true` or a `default`"),
            "existing users and admins made by `python -m app.cli create-admin` have no value for it",
        );
        return None;
    }
    Some(plan)
}
