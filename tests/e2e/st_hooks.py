"""Schemathesis hooks for gen's fuzzing: reach the inputs that break servers.

Loaded with SCHEMATHESIS_HOOKS=st_hooks. Schemathesis never draws a lone
surrogate (it cannot be encoded for the wire, except as a JSON `\\ud800`
escape), seldom puts a NUL character in a valid body, and seldom draws a time
at the edge of the calendar; these hooks make all three common.

A body given a NUL or a lone surrogate is no longer valid (the OpenAPI
document's text pattern refuses NUL, and no text column stores either), so
the case becomes a negative one: `negative_data_rejection` then demands a
4xx, and `not_a_server_error` that it is not a 500.
"""

import datetime

import schemathesis
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)
from hypothesis import strategies as st
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import ComponentInfo

#: The routes that take the token of a mailed link (app/auth/router.py).
TOKEN_PATHS = ("/auth/password-reset/confirm", "/auth/verify-email")

#: What no text column stores: NUL, and lone UTF-16 surrogates of both halves.
UNSTORABLE = ["\x00", "\ud800", "\udfff"]


def _text_fields(case) -> list[str]:  # type: ignore[no-untyped-def]
    """The top-level keys of the case's JSON body whose values are strings
    the API must store as text (its schema has the no-NUL pattern)."""
    body = case.body
    if not isinstance(body, dict) or case.operation.body is None:
        return []
    schemas = [b.definition.get("schema", {}) for b in case.operation.body]
    resolved = []
    for schema in schemas:
        ref = schema.get("$ref")
        if ref:
            schema = case.operation.schema.raw_schema
            for part in ref.removeprefix("#/").split("/"):
                schema = schema.get(part, {})
        resolved.append(schema.get("properties", {}))

    def stores_text(prop: dict) -> bool:  # type: ignore[type-arg]
        options = prop.get("anyOf", [prop])
        return any("pattern" in option and "\\x00" in option["pattern"] for option in options)

    return sorted(
        key
        for key, value in body.items()
        if isinstance(value, str) and any(stores_text(p.get(key, {})) for p in resolved)
    )


def _unstorable(drawn):  # type: ignore[no-untyped-def]
    case, index, char = drawn
    fields = _text_fields(case)
    if not fields or case._meta is None:
        return case
    field = fields[index % len(fields)]
    case.body = {**case.body, field: f"{case.body[field]}{char}"}
    # Schemathesis re-validates an edited body to relabel the case, with a
    # validator that cannot encode a lone surrogate: take the edit as the
    # case's starting state and label it by hand.
    case._record_starting_state()
    meta = case._meta
    meta.components[ParameterLocation.BODY] = ComponentInfo(mode=GenerationMode.NEGATIVE)
    meta.generation.mode = GenerationMode.NEGATIVE
    return case


@schemathesis.hook
def before_generate_case(context, strategy):  # type: ignore[no-untyped-def]
    """A quarter of the cases get a NUL or a lone surrogate appended to one
    text field of their body, and become negative cases."""
    unstorable = st.tuples(strategy, st.integers(0, 1000), st.sampled_from(UNSTORABLE))
    return st.one_of(strategy, strategy, strategy, unstorable.map(_unstorable))


# Addresses email-validator takes. JSON Schema's `email` format also allows
# the special-use domains of RFC 6761 (`a@b.test`, `a@localhost`), which can
# never receive mail and which email-validator, and so the API, refuses:
# drawing them would only prove that the schema cannot say so.
schemathesis.openapi.format("email", st.emails())

schemathesis.openapi.format(
    "date-time",
    st.one_of(
        # The ends of the calendar whose UTC time exists: the API refuses,
        # with a 422, a time whose conversion to UTC leaves the calendar
        # (its generated tests prove it), which a schema cannot say.
        st.sampled_from(
            [
                "9999-12-31T23:59:59+01:00",
                "0001-01-01T00:00:00-01:00",
                "9999-12-31T23:59:59.999999Z",
                "0001-01-01T00:00:00Z",
            ]
        ),
        st.datetimes(timezones=st.just(datetime.UTC)).map(lambda d: d.isoformat()),
    ),
)


#: 422s a schema-valid request gets for what no schema can say, by their
#: `detail`: a body naming rows that do not exist (ids are drawn at random),
#: a list `cursor` the server did not sign, a wrong current password.
UNKNOWABLE = {
    "the request refers to data that does not exist",
    "the cursor is not valid here",
    "the current password is wrong",
    # Webhooks (issue 12): where a URL's host resolves, whether its
    # normalized form fits its column, and which kinds the chosen resource
    # publishes are beyond what the schema says.
    "the URL may not receive webhooks",
    "the URL is too long",
    "the resource does not publish these kinds",
}

#: Error messages of 422s a schema cannot foresee: a row set as its own
#: parent (its own id is schema-valid); an email address at a special-use
#: domain (RFC 6761: `.test`, `.localhost`, ...), which email-validator
#: refuses and JSON Schema's `idn-email` format cannot exclude.
UNKNOWABLE_ERRORS = {
    "a row cannot refer to itself",
    "value is not a valid email address: The part after the @-sign is a"
    " special-use or reserved name that cannot be used with email.",
}

#: Integers beyond which JSON Schema validators compare as doubles: a value
#: just past a 64-bit bound passes them, so the case is labelled valid.
EXACT = 2**53


def _at(body: object, loc: list) -> object:  # type: ignore[type-arg]
    for key in loc[1:]:
        try:
            body = body[key]  # type: ignore[index]
        except (KeyError, IndexError, TypeError):
            return None
    return body


def _unknowable(response, case) -> bool:  # type: ignore[no-untyped-def]
    try:
        problem = response.json()
    except ValueError:
        return False
    if problem.get("detail") in UNKNOWABLE:
        return True
    errors = problem.get("errors") or []
    if errors and all(e["msg"] in UNKNOWABLE_ERRORS for e in errors):
        return True
    return bool(errors) and all(
        error["type"].endswith(("than_equal", "than"))
        and isinstance(value := _at(case.body, error["loc"]), int)
        and abs(value) > EXACT
        for error in errors
    )


@schemathesis.check
def positive_data_acceptance_here(ctx, response, case):  # type: ignore[no-untyped-def]
    """Schemathesis' `positive_data_acceptance` (a schema-valid request is
    not a 4xx but 401, 403, 404, 409, 429), except for the 422s of
    `UNKNOWABLE` and bounds past `EXACT`: the check is wrong for an API
    there, which is right to refuse what its schema cannot describe; and
    for the 412 of an `If-Match` naming no current tag of the row (RFC 9110
    section 13.1.1), which no schema can know, and the 415 of a file upload
    whose sniffed bytes are not of the field's types; and for the 400 of a
    mailed link's token (`TOKEN_PATHS`), which only the mail knows."""
    if response.status_code == 422 and _unknowable(response, case):
        return None
    if response.status_code == 412 and "If-Match" in (case.headers or {}):
        return None
    # The token of a mailed link (password reset, email verification) is a
    # secret only the mail holds: no schema can describe the valid ones, and
    # every other token is the same 400 (issue 12).
    if response.status_code == 400 and case.path.endswith(TOKEN_PATHS):
        return None
    # A file field's bytes are sniffed, not taken from `Content-Type` (issue
    # 13): a body of another type is a 415 that `format: binary` cannot say.
    if response.status_code == 415 and "json" not in (case.media_type or "json"):
        return None
    return positive_data_acceptance(ctx, response, case)


@schemathesis.check
def negative_data_rejection_here(ctx, response, case):  # type: ignore[no-untyped-def]
    """Schemathesis' `negative_data_rejection` (a schema-violating request is
    refused with a 4xx it lists), except for the 412 of an `If-Match` naming
    no current tag: RFC 9110 section 13.2.1 evaluates preconditions before
    the request's content is processed, so a write with a stale tag is a
    412 whatever its body."""
    if response.status_code == 412 and "If-Match" in (case.headers or {}):
        return None
    return negative_data_rejection(ctx, response, case)


# A file field's upload body is raw bytes of its content types; schemathesis
# sends `application/octet-stream` and images so, but has no serializer for
# `application/pdf` (shop's `Order.invoice`): reuse its binary one.
schemathesis.serializer.alias("application/pdf", "application/octet-stream")
