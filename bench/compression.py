#!/usr/bin/env python3
"""What response compression (issue 13, `app.middleware.Compression`)
costs and saves on a 50-row page of the blog's posts, for each coding.

    python3 bench/compression.py                  # 1,000 posts, 3 rounds of 5 s
    python3 bench/compression.py --duration 10 --rounds 5 --gen target/debug/gen

One command: it generates examples/blog.yaml, migrates a fresh PostgreSQL
database (--database, default bench_compression), serves the app with
uvicorn (2 workers, no access log, production settings: the COMPRESSION_*
settings at their defaults unless set in the environment), seeds --rows
posts with COPY (bench/seed.py), then:

1. reads the first 50-row page once per coding (`Accept-Encoding:
   identity`, `gzip`, `br`, `zstd`) and prints the bytes of each body on
   the wire and their ratio to identity's;
2. runs wrk (-t2, --connections, 127.0.0.1 only, --duration seconds) on
   that page once per coding and round, the codings' order rotated each
   round, and prints each coding's median req/s, p50 and p99, and the
   uvicorn workers' CPU time per request (user + system, read from
   /proc/PID/stat before and after each run), with ratios to identity's
   in the same run.

The helpers (venv, serving, wrk) are bench/serve.py's. Only the ratios
mean something: the machine is shared. --json FILE also writes every number.
"""

import argparse
import json
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
  return wrk.format("GET", "/api/v1/posts?limit=50", {["Accept-Encoding"] = encoding})
end
"""
#: The codings compared; identity (no compression) first, the baseline.
CASES = ("identity", "gzip", "br", "zstd")
TICKS = os.sysconf("SC_CLK_TCK")
#: Run in the project with its python: the CPU time one page's coding
#: takes in `app.middleware.Compression`'s own encoders, at the levels the
#: settings give, each timed for about a second.
CODEC_TIMES = """
import json, sys, time
from app.config import Settings
from app.middleware import Compression

body = sys.stdin.buffer.read()
s = Settings()
encoders = Compression(
    None, minimum_size=0, gzip_level=s.compression_level,
    brotli_quality=s.compression_brotli_quality, zstd_level=s.compression_zstd_level,
).encoders
times = {}
for name, make in encoders.items():
    count, started = 0, time.process_time()
    while time.process_time() - started < 1.0:
        encoder = make()
        encoder.compress(body) + encoder.flush()
        count += 1
    times[name] = (time.process_time() - started) / count * 1000
print(json.dumps(times))
"""


def wire_bytes(url: str, encoding: str) -> tuple[int, str]:
    """Bytes of the page's body as sent (urllib decodes nothing), and its
    Content-Encoding."""
    request = urllib.request.Request(url + PAGE, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(request, timeout=30) as response:
        return len(response.read()), response.headers.get("Content-Encoding", "-")


def descendants(pid: int) -> list[int]:
    """The processes under `pid` (uvicorn's workers), from /proc."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of the processes under `pid`."""
    total = 0
    for child in descendants(pid):
        fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / TICKS


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gen", help="gen binary (default target/release/gen, else target/debug/gen)")
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database", default="bench_compression")
    parser.add_argument("--json", help="also write every number to this file")
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
            print(f"50-row page of {ns.rows:,} posts, body bytes on the wire:")
            sizes = {name: wire_bytes(url, name) for name in CASES}
            print("| Accept-Encoding | bytes | Content-Encoding | / identity |")
            print("| --- | ---: | --- | ---: |")
            for name, (size, coding) in sizes.items():
                print(f"| {name} | {size:,} | {coding} | {size / sizes['identity'][0]:.3f} |")
            page = urllib.request.urlopen(url + PAGE, timeout=30).read()
            codec = serve.run([python, "-c", CODEC_TIMES], cwd=blog, env=env, input=page.decode()).stdout
            codec_ms = json.loads(codec)
            print(f"\nCPU time to compress that page once in app.middleware's encoders (ms): "
                  + ", ".join(f"{name} {ms:.3f}" for name, ms in codec_ms.items()))
            runs: dict[str, list[dict]] = {name: [] for name in CASES}
            for round_ in range(ns.rounds):
                order = CASES[round_ % len(CASES):] + CASES[:round_ % len(CASES)]
                for name in order:
                    serve.log(f"round {round_ + 1}: wrk {name}")
                    before = cpu_seconds(app.pid)
                    result = serve.wrk(url, "list", ns.duration, ns.connections, {"BENCH_ENCODING": name}, scratch)
                    cpu = cpu_seconds(app.pid) - before
                    result["cpu_ms"] = 1000 * cpu / max(result["requests"], 1)
                    runs[name].append(result)
                    serve.drain(database)
            print(f"\nwrk -t2 -c{ns.connections} -d{ns.duration}s, {ns.rounds} rounds, order rotated (median):")
            print("| Accept-Encoding | req/s | / identity | errors | p50 ms | p99 ms | worker CPU ms/req | / identity |")
            print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
            medians = {}
            for name, results in runs.items():
                medians[name] = {k: statistics.median(r[k] for r in results) for k in ("rps", "p50_ms", "p99_ms", "cpu_ms")}
            base = medians["identity"]
            for name, m in medians.items():
                errors = sum(r["errors"] for r in runs[name])
                print(f"| {name} | {m['rps']:.0f} | {m['rps'] / base['rps']:.2f} | {errors} | {m['p50_ms']:.1f}"
                      f" | {m['p99_ms']:.1f} | {m['cpu_ms']:.2f} | {m['cpu_ms'] / base['cpu_ms']:.2f} |")
            if ns.json:
                Path(ns.json).write_text(json.dumps({"rows": ns.rows, "sizes": sizes, "codec_ms": codec_ms, "runs": runs}, indent=2))
        finally:
            if app is not None:
                serve.stop(app)
            serve.psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    sys.exit(main())
