"""Schemathesis hooks for gen's fuzzing: reach the inputs that break servers.

Loaded with SCHEMATHESIS_HOOKS=st_hooks. Default generation seldom puts a
NUL character inside a valid body or draws a time at the edge of the
calendar; these hooks make both common.
"""

import datetime

import schemathesis
from hypothesis import strategies as st


def _with_nul(body: object) -> object:
    if isinstance(body, dict):
        return {k: f"{v}\x00" if isinstance(v, str) else v for k, v in body.items()}
    return body


@schemathesis.hook
def before_generate_body(context, strategy):  # type: ignore[no-untyped-def]
    """Half of the bodies get a NUL appended to each top-level string."""
    return st.one_of(strategy, strategy.map(_with_nul))


schemathesis.openapi.format(
    "date-time",
    st.one_of(
        st.sampled_from(
            [
                "9999-12-31T23:59:59-01:00",
                "0001-01-01T00:00:00+01:00",
                "9999-12-31T23:59:59.999999Z",
            ]
        ),
        st.datetimes(timezones=st.just(datetime.UTC)).map(lambda d: d.isoformat()),
    ),
)
