//! The layout stage: the only Rust that writes Python text.

pub(crate) mod api;
pub(crate) mod assemble;
pub(crate) mod decimal;
pub(crate) mod field;
pub(crate) mod imports;
pub(crate) mod relations;
pub(crate) mod resource;
pub(crate) mod service;
pub(crate) mod uploads;

use crate::model::Resource;
use crate::python::{self, Imports, call};
use crate::types::IdKind;

/// The import of a JSON body's id type, as (module, name):
/// `app.schemas` (`Id`, `BigId`) or `uuid` (`UUID`).
pub(crate) fn body_type_import(kind: IdKind) -> (String, String) {
    let body = kind.row().body;
    (crate::symbols::module_of(body).to_owned(), body.to_owned())
}

/// The import of a query parameter's id type, as (module, name):
/// `app.schemas` (`IdQuery`, `BigIdQuery`) or `uuid` (`UUID`).
pub(crate) fn query_type_import(kind: IdKind) -> (String, String) {
    let query = kind.row().query;
    (
        crate::symbols::module_of(query).to_owned(),
        query.to_owned(),
    )
}

/// The test statement that linking a row with the missing id `missing`
/// is a 404, laid out at 4 spaces as `ruff format` would.
pub(crate) fn missing_link_check(missing: &str) -> String {
    let put = format!("await client.put(f\"{{url}}/{missing}\", headers=admin.headers)");
    let line = format!("assert_problem({put}, 404)");
    if 4 + line.len() <= python::LINE_LENGTH {
        return line;
    }
    format!(
        "assert_problem(\n        {},\n        404,\n    )",
        call(
            "await client.put",
            &[
                format!("f\"{{url}}/{missing}\""),
                "headers=admin.headers".into()
            ],
            "",
            8
        )
    )
}

/// The import and the definitions `app/schemas.py` needs for the id
/// types of `resources` beyond `int` (see [`Model::id_aliases`]).
pub(crate) fn id_aliases(resources: &[Resource]) -> (String, String) {
    let uses = |path: &str| resources.iter().any(|r| r.id_path == path);
    let mut aliases = String::new();
    if uses(IdKind::BigInt.row().path) {
        aliases.push_str(concat!(
            "\n\n#: Largest id a 64-bit integer primary key (`id: bigint`) holds.\n",
            "MAX_BIG_ID = 9_223_372_036_854_775_807\n",
            "\n#: A row id of an `id: bigint` resource in a JSON body: a JSON integer\n",
            "#: (not `true`, not `\"1\"`), like every integer of a body.\n",
            "BigId = Annotated[int, Field(ge=1, le=MAX_BIG_ID), BeforeValidator(json_integer)]\n",
            "\n#: A row id of an `id: bigint` resource in a query, where it comes as text.\n",
            "BigIdQuery = Annotated[int, Field(ge=1, le=MAX_BIG_ID)]\n",
            "\n#: A row id of an `id: bigint` resource in a path.\n",
            "BigIdPath = Annotated[int, Path(ge=1, le=MAX_BIG_ID)]",
        ));
    }
    let mut import = String::new();
    if uses(IdKind::Uuid.row().path) {
        import.push_str("from uuid import UUID\n");
        aliases.push_str(concat!(
            "\n\n#: A row id of an `id: uuid` resource in a path; anything but a UUID\n",
            "#: is a 422.\n",
            "UuidPath = Annotated[UUID, Path()]",
        ));
    }
    (import, aliases)
}

/// `CACHED_READS` of `app/main.py`: one `CachedReads` per resource with
/// `cache.redis`, dropped by writes under its own route and under the
/// routes of the resources it has relations to (deleting one of them
/// changes the ids its rows show).
pub(crate) fn cached_reads(resources: &[Resource], prefix: &str) -> String {
    let head = "CACHED_READS: list[CachedReads] = ";
    let urls: std::collections::HashMap<&str, &str> = resources
        .iter()
        .map(|r| (r.class_name.as_str(), r.url.as_str()))
        .collect();
    let mut entries = Vec::new();
    for r in resources {
        let Some(seconds) = r.read_cache_seconds else {
            continue;
        };
        let mut dropped = vec![format!("{prefix}{}", r.url)];
        let targets = r.relations.iter().map(|rel| rel.target_class.as_str());
        let targets = targets.chain(r.collections.iter().map(|c| c.target_class.as_str()));
        for url in targets.filter_map(|class| urls.get(class)) {
            let url = format!("{prefix}{url}");
            if !dropped.contains(&url) {
                dropped.push(url);
            }
        }
        let dropped = match dropped.as_slice() {
            [one] => format!("({},)", crate::python::string(one)),
            many => {
                let rows: String = many
                    .iter()
                    .map(|u| format!("            {},\n", crate::python::string(u)))
                    .collect();
                format!("(\n{rows}        )")
            }
        };
        entries.push(format!(
            "    CachedReads(\n        prefix={},\n        seconds={seconds},\n        dropped_by={dropped},\n    ),\n",
            crate::python::string(&format!("{prefix}{}", r.url))
        ));
    }
    if entries.is_empty() {
        return format!("{head}[]");
    }
    format!("{head}[\n{}]", entries.concat())
}

/// `LIVE` of `app/main.py`: the snake names of the resources with
/// `events:`, whose feeds the process's hub subscribes to
/// (`app.kit.live.Hub`), laid out as `ruff format` would.
pub(crate) fn live_resources(resources: &[Resource]) -> String {
    let head = "LIVE: tuple[str, ...] = ";
    let names: Vec<String> = resources
        .iter()
        .filter(|r| !r.events.is_empty())
        .map(|r| crate::python::string(&r.snake))
        .collect();
    let line = match names.as_slice() {
        [] => "()".to_owned(),
        [one] => format!("({one},)"),
        many => format!("({})", many.join(", ")),
    };
    if head.len() + line.len() <= 88 {
        return format!("{head}{line}");
    }
    let rows: String = names.iter().map(|n| format!("    {n},\n")).collect();
    format!("{head}(\n{rows})")
}

/// Import blocks of `app/main.py` and `app/models.py`, which import every
/// resource; `read_cache`: some resource has `cache.redis`; `webhooks`:
/// the spec has `webhooks:` (their router and tables).
pub(crate) fn app_imports(
    resources: &[Resource],
    read_cache: bool,
    webhooks: bool,
) -> (String, String) {
    let mut main = Imports::default();
    main.module("gc")
        .uses("AsyncIterator")
        .uses("asynccontextmanager")
        .uses("FastAPI")
        .uses("CORSMiddleware")
        .uses("APIRoute")
        .uses("errors")
        .uses("router as auth_router")
        .uses("Settings")
        .uses("get_settings")
        .uses("create_engine")
        .uses("create_sessionmaker")
        .uses("ConnectionSlots")
        .uses("BodySizeLimit")
        .uses("SecurityHeaders")
        .uses("Compression")
        .uses("create_rate_limiter")
        .uses("configure_logging")
        .uses("quiet_server_access_log")
        .uses("Metrics")
        .uses("RequestObserver")
        .uses("router as ops_router")
        .uses("metrics_router")
        .uses("configure_tracing")
        .uses("install_openapi")
        .uses("HttpCache");
    if read_cache {
        main.uses("CachedReads").uses("add_read_cache");
    }
    if resources.iter().any(|r| !r.events.is_empty()) {
        main.uses("Hub");
    }
    // With file fields the storage is picked by `FILES_BACKEND` (a folder
    // or a bucket, `app/kit/s3.py`); without, only the folder exists.
    if resources.iter().any(|r| !r.api.uploads.is_empty()) {
        main.uses("create_storage").uses("close_storage");
    } else {
        main.uses("LocalStorage");
    }
    let mut models = Imports::default();
    models.uses("User").uses("Base");
    for r in resources {
        main.from(
            &format!("app.{}.router", r.snake),
            &format!("router as {}_router", r.snake),
        );
        if !r.nested_lists.is_empty() {
            main.from(
                &format!("app.{}.router", r.snake),
                &format!("nested as {}_nested", r.snake),
            );
        }
        models.from(&format!("app.{}.models", r.snake), &r.class_name);
    }
    if resources.iter().any(|r| !r.events.is_empty()) {
        models.from("app.kit.outbox", "OutboxEvent");
    }
    if webhooks {
        main.from("app.webhooks.router", "router as webhooks_router");
        models.from("app.webhooks.models", "WebhookDelivery");
        models.from("app.webhooks.models", "WebhookEndpoint");
    }
    (main.render(), models.render())
}
