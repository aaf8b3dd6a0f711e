//! The Python of a resource's API layer: the route functions of
//! `router.py`, the `Access` of `dependencies.py`, the class line of the
//! user's `hooks.py`, and the class variables its schemas give the kit's
//! bases. What every resource shares is in the generated project's
//! `app/kit/` (access, endpoints, hooks, schemas); this lays out only what
//! is the resource's own, wrapped the way `ruff format` wraps it.

use std::collections::BTreeSet;

use crate::check::permissions::ActionRule;
use crate::ir::ResourceFacts;
use crate::model::{Api, ApiLink, Collection, NestedList};
use crate::python::{self, call};
use crate::types::IdRow;

/// `head(args)tail` (or with `open`/`close` brackets) as `ruff format` lays
/// out a statement at `indent` that holds no magic trailing comma: on one
/// line when it fits; else the arguments on one line of their own when that
/// fits; else one argument per line, each followed by a comma. The last
/// bracket pair of the statement must be the one `args` sit in (ruff splits
/// there first), and no argument may itself be too long to fit.
fn wrap(head: &str, open: char, args: &[String], close: char, tail: &str, indent: usize) -> String {
    let joined = args.join(", ");
    let one_line = format!("{head}{open}{joined}{close}{tail}");
    if indent + one_line.chars().count() <= python::LINE_LENGTH {
        return one_line;
    }
    let pad = " ".repeat(indent + 4);
    let end = " ".repeat(indent);
    if indent + 4 + joined.chars().count() <= python::LINE_LENGTH {
        return format!("{head}{open}\n{pad}{joined}\n{end}{close}{tail}");
    }
    let mut out = format!("{head}{open}\n");
    for arg in args {
        out.push_str(&format!("{pad}{arg},\n"));
    }
    out.push_str(&format!("{end}{close}{tail}"));
    out
}

/// `async def name(params) -> returns:` at column 0.
fn def(name: &str, params: &[String], returns: &str) -> String {
    def_line(
        &format!("async def {name}"),
        params,
        &format!(" -> {returns}:"),
    )
}

/// A `def` or `class` line `head(params)tail` at column 0: as [`wrap`]
/// lays out a call, except that ruff adds a trailing comma to a lone
/// parameter (or base) it moves to a line of its own, which then stays
/// there; a lone subscripted base too long for that line is split inside
/// its brackets the same way.
fn def_line(head: &str, params: &[String], tail: &str) -> String {
    let [param] = params else {
        return wrap(head, '(', params, ')', tail, 0);
    };
    let one_line = format!("{head}({param}){tail}");
    if one_line.chars().count() <= python::LINE_LENGTH {
        return one_line;
    }
    let param = match param.split_once('[') {
        Some((name, rest)) if 4 + param.chars().count() + 1 > python::LINE_LENGTH => {
            let inner: Vec<String> = rest
                .trim_end_matches(']')
                .split(", ")
                .map(str::to_owned)
                .collect();
            wrap(name, '[', &inner, ']', "", 4)
        }
        _ => param.clone(),
    };
    format!("{head}(\n    {param},\n){tail}")
}

/// A call statement `head(args)` in a function body (4 spaces).
fn statement(head: &str, args: &[String]) -> String {
    wrap(head, '(', args, ')', "", 4)
}

/// Strings as a list of owned arguments.
fn args(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The `Rule(...)` of one action as the keyword argument `name=Rule(...)`
/// of `Access`, at 4 spaces.
fn rule(name: &str, r: &ActionRule) -> String {
    call(&format!("{name}=Rule"), &r.rule_args(), "", 4)
}

/// The service call of a write route, which returns the row or (when some
/// fields are hidden per caller) binds it for `api.show`.
fn write_call(snake: &str, method: &str, call_args: &[String], shows: bool) -> String {
    if shows {
        statement(
            &format!("{snake} = await service.repository.{method}"),
            call_args,
        )
    } else {
        statement(
            &format!("return await service.repository.{method}"),
            call_args,
        )
    }
}

/// What [`lay_out_api`] needs beyond the facts.
pub(crate) struct ApiInput<'a> {
    /// The resource's `id:` type.
    pub(crate) own_id: &'static IdRow,
    /// Lists of it under parents.
    pub(crate) nested_lists: &'a [NestedList],
    /// Its many-to-many collections.
    pub(crate) links: &'a [Collection],
    /// Quoted attributes an update may not set to null.
    pub(crate) not_null: &'a [String],
    /// Some fields only some roles see.
    pub(crate) readers: bool,
    /// Some fields only some roles may set.
    pub(crate) writers: bool,
    /// Resources whose deletion by the database reaches files.
    pub(crate) carriers: &'a BTreeSet<String>,
}

/// Lays out the resource's own part of its router, dependencies, hooks and
/// schemas (see [`Api`]).
pub(crate) fn lay_out_api(facts: &ResourceFacts, input: &ApiInput) -> Api {
    let (class, snake, plural) = (facts.class, facts.snake, facts.plural);
    let r = facts.raw;
    let shows = input.readers;
    let response = if shows {
        format!("{class}Read")
    } else {
        class.to_owned()
    };
    let cursor = facts.list.cursor;
    let mut endpoints_args = vec![
        format!("{class}Read"),
        format!("{class}Page"),
        python::string(&crate::names::words(snake).to_lowercase()),
        python::string(&crate::names::words(plural).to_lowercase()),
    ];
    if input.readers {
        endpoints_args.push("readers=FIELD_READERS".into());
    }
    if input.writers {
        endpoints_args.push("writers=FIELD_WRITERS".into());
    }
    if let Some(reads) = anonymous_reads(facts, input.readers) {
        endpoints_args.push(format!("reads={reads}"));
    }
    if let Some(cache) = facts.cache {
        let public = if cache.public { ", public=True" } else { "" };
        endpoints_args.push(format!(
            "cache=CachePolicy(max_age={}{public})",
            cache.max_age
        ));
    }
    endpoints_args.push("access=access".into());
    let mut lists_args = vec![
        "api".to_owned(),
        "access".to_owned(),
        "service.repository".to_owned(),
        format!("{class}Filters"),
    ];
    if r.owned {
        lists_args.push("owned=True".into());
    }
    if cursor {
        lists_args.push("cursor=True".into());
    }
    let nested = nested_routes(input);
    let row = |dependency: &str| format!("{snake}: {class}{dependency}");
    let acting = args(&["session: SessionDep", "user: CurrentUser"]);
    let mut update_params = vec![row("ForUpdate"), format!("data: {class}Update")];
    update_params.extend(acting.iter().cloned());
    let mut read_params = vec![row("ForRead")];
    if shows {
        read_params.push("user: OptionalUser".into());
    }
    let with_row = |first: String| {
        let mut p = vec![first];
        p.extend(acting.iter().cloned());
        p
    };
    let links = input.links.iter().map(|c| lay_out_link(facts, c)).collect();
    let id_param = format!("{snake}_id");
    let access = access_decl(facts, &id_param, input.own_id);
    let aliases = aliases(facts);
    Api {
        endpoints: call("api = Endpoints", &endpoints_args, "", 0),
        lists: call("lists = Lists", &lists_args, "", 0),
        create_def: def(
            &format!("create_{snake}"),
            &[
                format!("data: {class}Create"),
                "session: SessionDep".into(),
                "user: Creator".into(),
            ],
            &response,
        ),
        create_call: write_call(
            snake,
            "create",
            &args(&["session", "data", "actor=user"]),
            shows,
        ),
        nested,
        read_def: def(&format!("read_{snake}"), &read_params, &response),
        update_def: def(&format!("update_{snake}"), &update_params, &response),
        update_call: write_call(
            snake,
            "update",
            &[
                "session".into(),
                snake.to_owned(),
                "data".into(),
                "actor=user".into(),
            ],
            shows,
        ),
        delete_def: def(
            &format!("delete_{snake}"),
            &with_row(row("ForDelete")),
            "None",
        ),
        delete_call: statement(
            "await service.repository.delete",
            &["session".into(), snake.to_owned(), "actor=user".into()],
        ),
        restore_def: def(
            &format!("restore_{snake}"),
            &with_row(row("ForRestore")),
            &response,
        ),
        restore_call: write_call(
            snake,
            "restore",
            &["session".into(), snake.to_owned(), "actor=user".into()],
            shows,
        ),
        links,
        uploads: crate::layout::uploads::uploads_block(facts, input.carriers),
        access,
        aliases,
        not_null: not_null_decl(input.not_null),
        router_decl: wrap(
            "router = APIRouter",
            '(',
            &[
                format!(
                    "prefix={}",
                    python::string(&format!("/{}", crate::names::kebab(plural)))
                ),
                format!("tags=[{}]", python::string(&crate::names::kebab(plural))),
            ],
            ')',
            "",
            0,
        ),
        sort_keys: sort_keys(facts),
        sort_decl: sort_decl(facts),
    }
}

/// Who may call the reads of a resource anyone may read, as the name of
/// one of `app.openapi`'s security requirements: `NO_TOKEN` when a token
/// changes nothing, `TOKEN_OR_NONE` when it does (fields only some roles
/// see, `include_deleted` for admins); None when the reads need a token.
pub(crate) fn anonymous_reads(facts: &ResourceFacts, readers: bool) -> Option<&'static str> {
    if !facts.rules[0].anyone {
        None
    } else if readers || facts.raw.soft_delete {
        Some("TOKEN_OR_NONE")
    } else {
        Some("NO_TOKEN")
    }
}

/// The `lists.nested(...)` calls of the lists of this resource under its
/// parents: the path, the parent's `...ForRead`, its condition on the rows,
/// the route's name and summary.
fn nested_routes(input: &ApiInput) -> Vec<String> {
    input
        .nested_lists
        .iter()
        .map(|n| {
            let mut a = vec![
                "nested".to_owned(),
                python::string(&n.path),
                format!("{}ForRead", n.parent_class),
                n.narrow.clone(),
                format!("name={}", python::string(&n.function)),
                format!("summary={}", python::string(&n.summary)),
            ];
            if n.parent_public {
                a.push("open_parent=True".into());
            }
            call("lists.nested", &a, "", 0)
        })
        .collect()
}

/// `access = Access(...)` of `dependencies.py`: the resource's name, the
/// `PathId` of its routes' `{<snake>_id}`, its getter and one `Rule` per
/// action.
fn access_decl(facts: &ResourceFacts, id_param: &str, own_id: &IdRow) -> String {
    let snake = facts.snake;
    let [read, create, update, delete] = &facts.rules;
    let mut a = vec![
        python::string(&crate::names::words(snake)),
        format!("PathId({}, {})", python::string(id_param), own_id.path),
        "service.repository.get".to_owned(),
    ];
    if facts.raw.owned {
        a.push("owned=True".into());
    }
    a.push(rule("read", read));
    a.push(rule("create", create));
    a.push(rule("update", update));
    a.push(rule("delete", delete));
    call("access = Access", &a, "", 0)
}

/// The `Annotated` aliases of `dependencies.py` (`ProductForRead`, ...),
/// each naming one dependency of `access`.
fn aliases(facts: &ResourceFacts) -> Vec<String> {
    let class = facts.class;
    let alias = |name: String, dependency: &str, target: &str| {
        wrap(
            &format!("{name} = Annotated"),
            '[',
            &[target.to_owned(), format!("Depends(access.{dependency})")],
            ']',
            "",
            0,
        )
    };
    let mut aliases = vec![
        alias(format!("{class}Lister"), "lister", "Lister"),
        alias("Creator".into(), "creator", "User"),
        alias(format!("{class}ForRead"), "for_read", class),
        alias(format!("{class}ForUpdate"), "for_update", class),
        alias(format!("{class}ForDelete"), "for_delete", class),
    ];
    if facts.raw.soft_delete {
        aliases.push(alias(format!("{class}ForRestore"), "for_restore", class));
    }
    aliases
}

/// `sort: Sort = Field(...)` of the list query: its default, and the
/// OpenAPI schema `sort_schema` gives the class's `sort_keys` (declared
/// just above it in the class body).
fn sort_decl(facts: &ResourceFacts) -> String {
    call(
        "sort: Sort = Field",
        &[
            format!("default={}", python::string(&facts.list.default_sort)),
            "json_schema_extra=sort_schema(sort_keys)".to_owned(),
        ],
        "",
        4,
    )
}

/// `sort_keys = (...)` of the list query: the keys the list may be sorted by.
fn sort_keys(facts: &ResourceFacts) -> String {
    let keys: Vec<String> = facts
        .list
        .sort_columns
        .iter()
        .map(|(k, _)| python::string(k))
        .collect();
    if keys.len() == 1 {
        format!("sort_keys = ({},)", keys[0])
    } else {
        call("sort_keys = ", &keys, "", 4)
    }
}

/// The link and unlink routes of one many-to-many collection.
fn lay_out_link(facts: &ResourceFacts, c: &Collection) -> ApiLink {
    let (class, snake) = (facts.class, facts.snake);
    let path = python::string(&format!(
        "/{{{snake}_id}}{}/{{{}}}",
        c.segment, c.target_id_param
    ));
    let target = python::string(&c.target_words.to_lowercase());
    let params = vec![
        format!("{snake}: {class}ForUpdate"),
        format!("{}: {}", c.target_id_param, c.target_id_path),
        "session: SessionDep".to_owned(),
        "user: CurrentUser".to_owned(),
    ];
    let call_args = |actor: bool| {
        let mut a = vec![
            "session".to_owned(),
            snake.to_owned(),
            python::string(&c.name),
            c.target_id_param.clone(),
        ];
        if actor {
            a.push("actor=user".into());
        }
        a
    };
    ApiLink {
        words: c.words.clone(),
        link_decorator: wrap(
            "@router.put",
            '(',
            &[path.clone(), format!("**api.link({target})")],
            ')',
            "",
            0,
        ),
        link_def: def(&format!("link_{snake}_{}", c.name), &params, "None"),
        link_call: statement("await service.repository.link", &call_args(true)),
        unlink_decorator: wrap(
            "@router.delete",
            '(',
            &[path, format!("**api.unlink({target})")],
            ')',
            "",
            0,
        ),
        unlink_def: def(&format!("unlink_{snake}_{}", c.name), &params, "None"),
        unlink_call: statement("await service.repository.unlink", &call_args(false)),
    }
}

/// An update body's `not_null = (...)` of the quoted attributes `names`
/// (empty for none), at 4 spaces as `ruff format` lays it out.
pub(crate) fn not_null_decl(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("not_null = ({one},)"),
        names => call("not_null = ", names, "", 4),
    }
}
