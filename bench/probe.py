"""One request at a time, for bench/serve.py: the latency of list pages as
the table grows. Runs in the generated project's venv (httpx, asyncpg,
pydantic_core); prints one JSON object.

    python bench/probe.py '{"offset_url": ..., "cursor_url": ..., "dsn": ...,
                            "secret": ..., "rows": N, "sort_keys": [...],
                            "cursor_sort_keys": [...], "default_sort": "-created_at",
                            "samples": 30, "budget": 6}'

Each case is asked `samples` times (fewer once `budget` seconds are
spent, at least 5) after one warm-up request, and reported as the median
in milliseconds:

- first page (limit 50) of the offset list for every sort key, ascending
  and descending;
- the offset page at 90% of the table in the default sort;
- on the cursor list (the same table served by the blog with
  `pagination: cursor`): the first page and a page starting at 90% of the
  order, for every sort key both ways. The deep cursor is made here as the
  generated app/pagination.py makes it: base64url JSON of the sort and the
  keys of the row before the page, with an HMAC-SHA256 tag keyed by
  sha256("cursor:" + SECRET_KEY).
"""

import asyncio
import base64
import hashlib
import hmac
import json
import statistics
import sys
import time

import asyncpg
import httpx
from pydantic_core import to_jsonable_python

PATH = "/api/v1/posts"


def median_ms(client: httpx.Client, url: str, params: dict, samples: int, budget: float) -> float | None:
    response = client.get(url, params=params)
    if response.status_code == 422 and "offset" in params:
        return None  # the app caps offsets (MAX_OFFSET): deep pages need a cursor
    if response.status_code != 200 or len(response.json()["items"]) == 0:
        raise SystemExit(f"probe: GET {url} {params} -> {response.status_code} {response.text[:300]}")
    times = []
    spent = time.perf_counter()
    while len(times) < samples and (len(times) < 5 or time.perf_counter() - spent < budget):
        started = time.perf_counter()
        response = client.get(url, params=params)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"probe: GET {url} {params} -> {response.status_code}")
    return round(statistics.median(times) * 1000, 2)


def cursor(values: list, sort: str, secret_key: str) -> str:
    secret = hashlib.sha256(b"cursor:" + secret_key.encode()).digest()
    document = {"sort": sort, "after": to_jsonable_python(values)}
    payload = json.dumps(document, separators=(",", ":")).encode()
    digest = hmac.new(secret, payload, hashlib.sha256).digest()
    tag = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return f"{base64.urlsafe_b64encode(payload).decode().rstrip('=')}.{tag}"


async def deep_keys(dsn: str, sorts: list[str], position: int, same: bool) -> dict[str, list]:
    """The sort keys of the row at `position` in each order, as the app
    orders (the key, then id: ascending, or in the key's direction when
    `same`)."""
    connection = await asyncpg.connect(dsn)
    keys = {}
    for sort in sorts:
        key = sort.removeprefix("-")
        direction = "DESC" if sort.startswith("-") else "ASC"
        args_id_order = direction if same else "ASC"
        order = f"{key} {direction}" + ("" if key == "id" else f", id {args_id_order}")
        columns = "id" if key == "id" else f"{key}, id"
        row = await connection.fetchrow(
            f"SELECT {columns} FROM posts ORDER BY {order} OFFSET $1 LIMIT 1", position
        )
        keys[sort] = list(row.values())
    await connection.close()
    return keys


def main(args: dict) -> None:
    rows, samples, budget = args["rows"], args["samples"], args["budget"]
    out: dict[str, dict] = {"first": {}, "offset90": {}, "cursor_first": {}, "cursor_deep": {}}
    with httpx.Client(timeout=60) as client:
        url = args["offset_url"] + PATH
        for key in args["sort_keys"]:
            for sort in (key, f"-{key}"):
                params = {"limit": 50, "sort": sort}
                out["first"][sort] = median_ms(client, url, params, samples, budget)
        params = {"limit": 50, "offset": int(rows * 0.9)}
        out["offset90"][args["default_sort"]] = median_ms(client, url, params, samples, budget)
        if args.get("cursor_url"):
            url = args["cursor_url"] + PATH
            sorts = [s for k in args["cursor_sort_keys"] for s in (k, f"-{k}")]
            deep = asyncio.run(deep_keys(args["dsn"], sorts, int(rows * 0.9), args["same_direction"]))
            for sort in sorts:
                params = {"limit": 50, "sort": sort}
                out["cursor_first"][sort] = median_ms(client, url, params, samples, budget)
                params["cursor"] = cursor(deep[sort], sort, args["secret"])
                out["cursor_deep"][sort] = median_ms(client, url, params, samples, budget)
    print(json.dumps(out))


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
