#!/usr/bin/env python3
"""What gzip compression (issue 13, `app.middleware.Compression`) costs and
saves on a 50-row page of the blog's posts.

    python3 bench/compression.py                  # 1,000 posts, 3 rounds of 10 s
    python3 bench/compression.py --duration 5 --rounds 2 --gen target/debug/gen

It generates examples/blog.yaml, migrates a fresh PostgreSQL database
(--database, default bench_compression), serves the app with uvicorn (2
workers, no access log, production settings: COMPRESSION_MIN_BYTES and
COMPRESSION_LEVEL at their defaults unless set in the environment), seeds
--rows posts with COPY (bench/seed.py), then:

1. reads the first 50-row page once without and once with
   `Accept-Encoding: gzip` and prints the bytes on the wire of each;
2. runs wrk (-t2, -c64) on that page, rounds interleaved: without
   `Accept-Encoding` (served as it is) and with `gzip` (compressed), and
   prints req/s, p50 and p99 of each and their ratio.

The helpers (venv, serving, wrk) are bench/serve.py's. Only the ratios
mean something: the machine is shared.
"""

import argparse
import os
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path

import serve

PAGE = serve.API + "/posts?limit=50"
WRK_LIST = """
local encoding = os.getenv("BENCH_ENCODING")
request = function()
  local headers = {}
  if encoding ~= "" then headers["Accept-Encoding"] = encoding end
  return wrk.format("GET", "/api/v1/posts?limit=50", headers)
end
"""
#: (name, Accept-Encoding sent by wrk; empty for none).
CASES = (("identity", ""), ("gzip", "gzip"))


def wire_bytes(url: str, encoding: str) -> tuple[int, str]:
    """Bytes of the page's body as sent, and its Content-Encoding."""
    headers = {"Accept-Encoding": encoding} if encoding else {}
    request = urllib.request.Request(url + PAGE, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read()), response.headers.get("Content-Encoding", "-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gen", help="gen binary (default target/release/gen, else target/debug/gen)")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--database", default="bench_compression")
    ns = parser.parse_args()
    serve.WRK_CASES["list"] = WRK_LIST
    # A loaded machine imports the app slowly: wait up to 5 minutes.
    serve.wait_up.__defaults__ = (300,)
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        blog, _ = serve.generate(serve.gen_binary(ns.gen), scratch)
        python = serve.venv_python(blog)
        database = ns.database
        dsn = f"{serve.PG}/{database}"
        serve.psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        serve.psql(f"CREATE DATABASE {database}")
        env = {
            **os.environ,
            "ENVIRONMENT": "production",
            "SECRET_KEY": serve.SECRET_KEY,
            "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}",
            "DOCS_ENABLED": "false",
            "RATE_LIMIT_SIGNUP": "1000/minute",
            "RATE_LIMIT_LOGIN": "1000/minute",
        }
        env.pop("REDIS_URL", None)
        app = None
        try:
            serve.run([python, "-m", "alembic", "upgrade", "head"], cwd=blog, env=env)
            url, app = serve.serve(python, "app.main:app", blog, env, 2)
            user_id, token = serve.sign_up(url)
            serve.log(serve.run([python, serve.HERE / "seed.py", dsn, str(ns.rows), str(user_id)]).stdout.strip())
            print(f"50-row page of {ns.rows:,} posts, bytes on the wire:")
            sizes = {name: wire_bytes(url, encoding) for name, encoding in CASES}
            for name, (size, coding) in sizes.items():
                print(f"  {name:8} {size:7,} B  Content-Encoding: {coding}")
            print(f"  gzip / identity: {sizes['gzip'][0] / sizes['identity'][0]:.2f}")
            runs: dict[str, list[dict]] = {name: [] for name, _ in CASES}
            for round_ in range(ns.rounds):
                for name, encoding in CASES:
                    serve.log(f"round {round_ + 1}: wrk {name}")
                    wrk_env = {"BENCH_ENCODING": encoding}
                    runs[name].append(serve.wrk(url, "list", ns.duration, ns.connections, wrk_env, scratch))
                    serve.drain(database)
            print(f"\nwrk -t2 -c{ns.connections} -d{ns.duration}s, {ns.rounds} rounds interleaved (median):")
            print("| Accept-Encoding | req/s | errors | p50 ms | p99 ms |")
            print("| --- | ---: | ---: | ---: | ---: |")
            medians = {}
            for name, results in runs.items():
                m = {k: statistics.median(r[k] for r in results) for k in ("rps", "p50_ms", "p99_ms")}
                errors = sum(r["errors"] for r in results)
                medians[name] = m
                print(f"| {name} | {m['rps']:.0f} | {errors} | {m['p50_ms']:.1f} | {m['p99_ms']:.1f} |")
            print(f"\nreq/s gzip / identity: {medians['gzip']['rps'] / medians['identity']['rps']:.2f}")
        finally:
            if app is not None:
                serve.stop(app)
            serve.psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
