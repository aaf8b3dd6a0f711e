#!/usr/bin/env python3
"""What the check that a login is still live costs an authenticated request
(issue 14, immediate access-token revocation).

    python3 bench/revoke.py                      # 1,000 posts, 3 rounds of 5 s
    python3 bench/revoke.py --rounds 5 --duration 8 --gen target/debug/gen

Every authenticated request of a generated app loads its caller with one
statement, `app.auth.dependencies.CALLER`: the user by id, provided the
access token's login (`sid`) still has a refresh token that is not revoked
(an EXISTS on `refresh_tokens.family`). This bench serves the generated
blog twice on one PostgreSQL database with 1,000 posts (bench/seed.py):

- "check": the app as generated;
- "no check": the same app with `CALLER` replaced by the user by id alone
  (what the caller's query was before the check);

and runs, interleaved round by round so that both see the same load:

1. wrk (-t2, -c64, --duration seconds) GET one post by a random id, with
   the bearer token of one login (the post read takes an optional caller,
   so every request loads it), on each app, and anonymously on the
   "check" app for reference;
2. one request at a time, the median of --samples authenticated GETs;
3. the caller's statement alone, server time (EXPLAIN ANALYZE, median of
   15): by id, by id with the check, and with the check once the login's
   family holds 3,000 rotated (revoked) refresh tokens (a login refreshed
   every 15 minutes for a month), which the EXISTS walks past on the
   `family` index.

It prints the table for bench/RESULTS.md: req/s and p50/p99 per variant,
and "check / no check" as ratios. Only the ratios mean something on a
shared machine. Needs wrk and psql, like bench/serve.py, whose helpers it
uses (virtualenv, database, servers).
"""

import argparse
import base64
import json
import os
import re
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import serve  # noqa: E402  (bench/serve.py: the shared helpers)

DATABASE = "bench_revoke"

#: Served as module `nocheck`: the generated app, its caller loaded by id
#: alone (the extra `session_id` parameter is ignored by SQLAlchemy).
NO_CHECK = '''
from sqlalchemy import bindparam, select

import app.auth.dependencies as dependencies
from app.auth.models import User
from app.main import create_app

dependencies.CALLER = select(User).where(User.id == bindparam("user_id"))
app = create_app()
'''

AUTHED = """
local rows = tonumber(os.getenv("BENCH_ROWS"))
local token = os.getenv("BENCH_TOKEN")
request = function()
  return wrk.format("GET", "/api/v1/posts/" .. math.random(1, rows), {["Authorization"] = "Bearer " .. token})
end
"""


def one_at_a_time(url: str, token: str, rows: int, samples: int) -> float:
    """Median ms of `samples` authenticated GETs by id, one after another."""
    times = []
    for n in range(samples):
        request = urllib.request.Request(
            f"{url}{serve.API}/posts/{n % rows + 1}",
            headers={"Authorization": f"Bearer {token}"},
        )
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()
            assert response.status == 200
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def server_ms(dsn: str, sql: str) -> float:
    """Median server time of `sql` over 15 runs (EXPLAIN ANALYZE)."""
    times = []
    for _ in range(15):
        plan = serve.run(["psql", dsn, "-qAtc", f"EXPLAIN (ANALYZE, FORMAT TEXT) {sql}"]).stdout
        times.append(float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)))
    return statistics.median(times)


def statement_times(dsn: str, token: str) -> dict[str, float]:
    """Server ms of the caller's statement with and without the check, and
    with the check on a family of 3,000 rotated tokens."""
    payload = token.split(".")[1]
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    user, sid = int(claims["sub"]), claims["sid"]
    by_id = f"SELECT users.* FROM users WHERE users.id = {user}"
    check = (f"{by_id} AND EXISTS (SELECT * FROM refresh_tokens WHERE refresh_tokens.family = '{sid}'"
             " AND refresh_tokens.user_id = users.id AND refresh_tokens.revoked_at IS NULL)")
    times = {"no check": server_ms(dsn, by_id), "check": server_ms(dsn, check)}
    # As rotation leaves them: the live token is the newest row, after
    # 3,000 revoked ones (the login's first token among them).
    columns = "user_id, family, token_hash, expires_at, revoked_at, created_at"
    serve.run(["psql", dsn, "-qc",
               f"UPDATE refresh_tokens SET revoked_at = now() WHERE family = '{sid}';"
               f" INSERT INTO refresh_tokens ({columns})"
               f" SELECT {user}, '{sid}', md5(n::text) || md5(n::text), now() + interval '1 day',"
               " now() - interval '1 day', now() FROM generate_series(1, 3000) AS n;"
               f" INSERT INTO refresh_tokens ({columns})"
               f" VALUES ({user}, '{sid}', md5('live') || md5('live'), now() + interval '1 day', NULL, now());"
               " ANALYZE refresh_tokens"])
    times["check, 3,000 rotated"] = server_ms(dsn, check)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--gen", help="the gen binary (default: target/release, else debug)")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--statements-only", action="store_true",
                        help="only the caller's statement's server time (no wrk)")
    ns = parser.parse_args()
    gen = serve.gen_binary(ns.gen)
    scratch = Path(tempfile.mkdtemp(prefix="gen-bench-revoke-"))
    blog = scratch / "blog"
    serve.run([gen, "new", blog, "--spec", serve.ROOT / "examples/blog.yaml"])
    (blog / "nocheck.py").write_text(NO_CHECK)
    python = serve.venv_python(blog)
    dsn = f"{serve.PG}/{DATABASE}"
    serve.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    serve.psql(f"CREATE DATABASE {DATABASE}")
    env = {
        **os.environ,
        "ENVIRONMENT": "production",
        "SECRET_KEY": serve.SECRET_KEY,
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{DATABASE}",
        "DOCS_ENABLED": "false",
        "RATE_LIMIT_SIGNUP": "1000/minute",
        "RATE_LIMIT_LOGIN": "1000/minute",
    }
    env.pop("REDIS_URL", None)
    serve.run([python, "-m", "alembic", "upgrade", "head"], cwd=blog, env=env)
    servers = []
    try:
        check_url, check = serve.serve(python, "app.main:app", blog, env, 2)
        servers.append(check)
        user_id, token = serve.sign_up(check_url)
        serve.log(serve.run([python, HERE / "seed.py", dsn, str(ns.rows), str(user_id)]).stdout.strip())
        plain_url, plain = serve.serve(python, "nocheck:app", blog, env, 2)
        servers.append(plain)
        serve.WRK_CASES["authenticated GET by id"] = AUTHED
        wrk_env = {"BENCH_ROWS": str(ns.rows), "BENCH_TOKEN": token}
        cases = [
            ("check", check_url, "authenticated GET by id"),
            ("no check", plain_url, "authenticated GET by id"),
            ("anonymous", check_url, "GET by id"),
        ]
        wrk_runs: dict[str, list[dict]] = {name: [] for name, _, _ in cases}
        medians: dict[str, list[float]] = {"check": [], "no check": []}
        for round_ in range(0 if ns.statements_only else ns.rounds):
            for name, url, case in cases:
                serve.log(f"round {round_ + 1}: wrk {name}")
                stats = serve.wrk(url, case, ns.duration, ns.connections, wrk_env, scratch)
                wrk_runs[name].append(stats)
                serve.drain(DATABASE)
            for name, url in (("check", check_url), ("no check", plain_url)):
                medians[name].append(one_at_a_time(url, token, ns.rows, ns.samples))
        statements = statement_times(dsn, token)
    finally:
        for server in servers:
            serve.stop(server)
        serve.psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    report(wrk_runs, medians, statements)


def report(wrk_runs: dict[str, list[dict]], medians: dict[str, list[float]],
           statements: dict[str, float]) -> None:
    """Print the tables: per round, and the means."""
    if wrk_runs["check"]:
        report_requests(wrk_runs, medians)
    print("| caller's statement, server ms (median of 15) | ms | / no check |")
    print("| --- | ---: | ---: |")
    for name, ms in statements.items():
        print(f"| {name} | {ms:.3f} | {ms / statements['no check']:.2f} |")


def report_requests(wrk_runs: dict[str, list[dict]], medians: dict[str, list[float]]) -> None:
    """Print the request tables: per round, and the means."""
    print("| round | variant | req/s | errors | p50 ms | p99 ms | one at a time, median ms |")
    print("| ---: | --- | ---: | ---: | ---: | ---: | ---: |")
    for name, runs in wrk_runs.items():
        for n, stats in enumerate(runs):
            alone = f"{medians[name][n]:.2f}" if name in medians else "–"
            print(f"| {n + 1} | {name} | {stats['rps']:,.0f} | {stats['errors']} "
                  f"| {stats['p50_ms']:.1f} | {stats['p99_ms']:.1f} | {alone} |")
    mean = {name: statistics.mean(s["rps"] for s in runs) for name, runs in wrk_runs.items()}
    p50 = {name: statistics.mean(s["p50_ms"] for s in runs) for name, runs in wrk_runs.items()}
    alone = {name: statistics.mean(values) for name, values in medians.items()}
    print()
    print("| mean over rounds | check | no check | check / no check |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| req/s | {mean['check']:,.0f} | {mean['no check']:,.0f} | {mean['check'] / mean['no check']:.2f} |")
    print(f"| p50 ms | {p50['check']:.1f} | {p50['no check']:.1f} | {p50['check'] / p50['no check']:.2f} |")
    print(f"| one at a time, median ms | {alone['check']:.2f} | {alone['no check']:.2f} "
          f"| {alone['check'] / alone['no check']:.2f} |")
    print(f"\nanonymous GET by id (check app, no caller to load): {mean['anonymous']:,.0f} req/s")
    print()


if __name__ == "__main__":
    main()
