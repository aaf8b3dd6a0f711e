#!/usr/bin/env python3
"""How fast the generated app serves, beside a hand-written floor, as the
table grows (issue 10, "fast at scale").

    python3 bench/serve.py                         # 1,000 and 1,000,000 posts
    python3 bench/serve.py --rows 1000 --duration 5 --rounds 5 --gen target/debug/gen
    python3 bench/serve.py --print run.json        # the tables of a --json file

For each size in --rows it:

1. generates examples/blog.yaml with --gen (default target/release/gen,
   else target/debug/gen), and the same spec with the post list switched to
   `pagination: cursor` (sort keys that may be NULL dropped, as gen
   requires), for the cursor cases;
2. uses target/e2e/venv when it exists (the e2e tests make it), else makes
   target/bench/venv with the project's dependencies pinned by
   tests/e2e/constraints.txt (uv when installed, else pip);
3. creates a fresh PostgreSQL database bench_serve_<rows> (--database
   changes the prefix, for runs side by side on one server), runs the
   project's Alembic migrations, starts the app with uvicorn (2 workers, no
   access log, ENVIRONMENT=production), signs up and logs in a user
   through the API, and seeds N posts with COPY (bench/seed.py);
4. starts the floor (bench/floor.py: bare Starlette + asyncpg, same JSON)
   on the same database, also 2 workers;
5. one request at a time (bench/probe.py): the first 50-row page for every
   declared sort key both ways, the offset page at 90%, and on the cursor
   variant the first page and a page at 90% of the order for every sort key
   both ways;
6. wrk (-t2, -c64, 127.0.0.1) on the app and on the floor: GET one post
   by a random id, the 50-row first page in the default sort, and POST
   create with the user's token (last, so the probes see N rows). Each
   case runs in --rounds rounds (default 3), one case after the other; a
   round is one --duration window (default 6 s) on each side, gen first
   in odd rounds and the floor first in even ones (the order rotated as
   bench/compression.py does), so each round's gen/floor ratio comes from
   two adjacent windows. After each window it waits until no query runs on
   the database (servers finish requests wrk gave up on).

and prints the tables, then the ratios across sizes. In the wrk table,
req/s, p50 and p99 are each side's median over the rounds, errors their
sum; gen/floor (the headline) is the median of the rounds' own ratios,
listed beside it in run order, and p99/p50 gen the median of the rounds'
p99/p50 (with an even number of rounds a median is the mean of the middle
two). A round's ratio comes from two adjacent windows, so load that
changes from one round to the next moves it less than it moves the req/s;
the by-round column shows how far the rounds still disagree. Speeds mean
something only as ratios within one run: the machine is shared.
--json FILE also writes every number, every round's included; --print
FILE prints the tables of such a file again (files from before --rounds,
one window per side, print as one round).
"""

import argparse
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PG = "postgresql://postgres@127.0.0.1:5432"
SECRET_KEY = "bench-secret-key-of-at-least-thirty-two-bytes-0123456789"
API = "/api/v1"
WRK_DONE = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_JSON {\\"requests\\":%d,\\"duration_us\\":%d,\\"connect\\":%d,\\"read\\":%d,"
    .. "\\"write\\":%d,\\"status\\":%d,\\"timeout\\":%d,\\"p50\\":%d,\\"p99\\":%d}\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""
#: The two sides of every wrk case; round i (from 0) starts at SIDES[i % 2].
SIDES = ("gen", "floor")
WRK_CASES = {
    "GET by id": """
local rows = tonumber(os.getenv("BENCH_ROWS"))
request = function()
  return wrk.format("GET", "/api/v1/posts/" .. math.random(1, rows))
end
""",
    "list 50 (default sort)": """
request = function()
  return wrk.format("GET", "/api/v1/posts?limit=50")
end
""",
    "POST create": """
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
local counter = 0
local prefix = os.getenv("BENCH_SLUG")
local headers = {
  ["Content-Type"] = "application/json",
  ["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN"),
}
request = function()
  counter = counter + 1
  local body = '{"title":"Bench post","slug":"' .. prefix .. '-' .. tid .. '-' .. counter
    .. '","body":"Written by wrk.","status":"published","views":3}'
  return wrk.format("POST", "/api/v1/posts", headers, body)
end
""",
}


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def run(args: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(args, text=True, capture_output=True, check=False, **kwargs)
    if result.returncode != 0:
        raise SystemExit(
            f"failed: {' '.join(map(str, args))}\n{result.stdout}\n{result.stderr}"
        )
    return result


def gen_binary(given: str | None) -> Path:
    if given:
        return Path(given).resolve()
    for profile in ("release", "debug"):
        path = ROOT / "target" / profile / "gen"
        if path.exists():
            return path
    raise SystemExit("no gen binary: cargo build --release, or pass --gen")


def generate(gen: Path, workdir: Path) -> tuple[Path, Path]:
    """The blog project and its cursor variant."""
    spec = (ROOT / "examples/blog.yaml").read_text()
    variant, count = re.subn(r"(\n      pagination:) offset", r"\1 cursor", spec)
    variant, count2 = re.subn(
        r"(\n      sort:) \[views, title, price\]", r"\1 [views, title]", variant
    )
    if count != 1 or count2 != 1:
        raise SystemExit(
            "bench: examples/blog.yaml's post list changed; update generate()"
        )
    (workdir / "cursor.yaml").write_text(variant)
    projects = []
    for name, spec_path in (
        ("blog", ROOT / "examples/blog.yaml"),
        ("cursor", workdir / "cursor.yaml"),
    ):
        project = workdir / name
        run([gen, "new", project, "--spec", spec_path])
        projects.append(project)
    return projects[0], projects[1]


def venv_python(project: Path) -> Path:
    shared = ROOT / "target/e2e/venv/bin/python"
    if shared.exists():
        return shared
    venv = ROOT / "target/bench/venv"
    python = venv / "bin/python"
    constraints = ROOT / "tests/e2e/constraints.txt"
    uv = [sys.executable, "-m", "uv", "--version"]
    has_uv = subprocess.run(uv, capture_output=True, check=False).returncode == 0
    if not python.exists():
        log(f"creating {venv}")
        if has_uv:
            run(
                [
                    sys.executable,
                    "-m",
                    "uv",
                    "venv",
                    "--quiet",
                    "--python",
                    sys.executable,
                    venv,
                ]
            )
        else:
            run([sys.executable, "-m", "venv", venv])
    import tomllib

    pyproject = tomllib.loads((project / "pyproject.toml").read_text())
    deps = pyproject["project"]["dependencies"] + pyproject["dependency-groups"]["dev"]
    if has_uv:
        run(
            [
                sys.executable,
                "-m",
                "uv",
                "pip",
                "install",
                "--quiet",
                "--python",
                python,
                *deps,
                "-c",
                constraints,
            ]
        )
    else:
        run([python, "-m", "pip", "install", "--quiet", *deps, "-c", constraints])
    return python


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def psql(sql: str) -> None:
    run(["psql", f"{PG}/postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql])


def wait_up(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.args}")
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer: {url}")


def serve(
    python: Path, module: str, cwd: Path, env: dict, workers: int
) -> tuple[str, subprocess.Popen]:
    port = free_port()
    args = [
        python,
        "-m",
        "uvicorn",
        module,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(
        args, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr
    )
    url = f"http://127.0.0.1:{port}"
    wait_up(url + API + "/posts/1", process)
    return url, process


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def post_json(
    url: str, body: object, form: bool = False, token: str | None = None
) -> dict:
    data = urllib.parse.urlencode(body).encode() if form else json.dumps(body).encode()
    headers = {
        "Content-Type": "application/x-www-form-urlencoded"
        if form
        else "application/json"
    }
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def sign_up(url: str) -> tuple[int, str]:
    credentials = {"email": "bench@example.com", "password": "bench-password-123456"}
    user = post_json(url + API + "/auth/signup", credentials)
    form = {"username": credentials["email"], "password": credentials["password"]}
    token = post_json(url + API + "/auth/login", form, form=True)["access_token"]
    return user["id"], token


def wrk(
    url: str, case: str, duration: int, connections: int, env: dict, scratch: Path
) -> dict:
    script = scratch / f"{re.sub(r'[^a-z]+', '_', case.lower())}.lua"
    script.write_text(WRK_CASES[case] + WRK_DONE)
    out = run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "10s",
            "-s",
            script,
            url,
        ],
        env={**os.environ, **env},
    ).stdout
    stats = json.loads(out.split("WRK_JSON ", 1)[1].splitlines()[0])
    errors = sum(stats[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "rps": stats["requests"] / (stats["duration_us"] / 1e6),
        "errors": errors,
        "p50_ms": stats["p50"] / 1000,
        "p99_ms": stats["p99"] / 1000,
        "requests": stats["requests"],
    }


def drain(database: str, seconds: float = 60) -> None:
    """Waits until no query runs on `database`: a server keeps answering
    requests wrk gave up on (and PostgreSQL keeps running their queries)
    after wrk stops, which would slow the next case down."""
    deadline = time.monotonic() + seconds
    sql = (
        f"SELECT count(*) FROM pg_stat_activity WHERE datname = '{database}'"
        " AND state = 'active' AND pid <> pg_backend_pid()"
    )
    while time.monotonic() < deadline:
        out = run(["psql", f"{PG}/{database}", "-Atc", sql]).stdout.strip()
        if out == "0":
            time.sleep(1)
            return
        time.sleep(0.5)
    log(f"queries still running on {database} after {seconds} s")


def sort_keys(project: Path) -> tuple[list[str], str]:
    schemas = (project / "app/post/schemas.py").read_text()
    # `sort_keys` on the list query class (SORT_KEYS at module level before).
    keys_re = r"^\s*(?:SORT_KEYS|sort_keys) = \(([^)]*)\)"
    keys = re.search(keys_re, schemas, re.MULTILINE).group(1)
    # `sort: Sort = "-created_at"` (`sort: SafeStr = Field(default=...)` before).
    default_re = r'sort: \w+ = (?:Field\(\s*default=)?"([^"]+)"'
    default = re.search(default_re, schemas).group(1)
    return re.findall(r'"([^"]+)"', keys), default


def one_size(
    rows: int,
    ns: argparse.Namespace,
    python: Path,
    blog: Path,
    cursor: Path,
    scratch: Path,
) -> dict:
    database = f"{ns.database}_{rows}"
    dsn = f"{PG}/{database}"
    psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    psql(f"CREATE DATABASE {database}")
    env = {
        **os.environ,
        "ENVIRONMENT": "production",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"postgresql+asyncpg://postgres@127.0.0.1:5432/{database}",
        "DATABASE_DSN": dsn,
        "DOCS_ENABLED": "false",
        "RATE_LIMIT_SIGNUP": "1000/minute",
        "RATE_LIMIT_LOGIN": "1000/minute",
        # "Access log off" for both servers (issue 10's conditions): uvicorn's
        # is off by --no-access-log, the app's own request line
        # (app.ops.logs.log_request, level INFO) by the level.
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    # The floor answers as the app's kit does: capped count, id tie-breaker
    # in the key's direction (main since bd768c0), else the older contract.
    kit = blog / "app/kit/pagination.py"
    cap = (
        re.search(r"^COUNT_CAP = ([\d_]+)", kit.read_text(), re.MULTILINE)
        if kit.exists()
        else None
    )
    if cap:
        env["FLOOR_COUNT_CAP"] = cap.group(1).replace("_", "")
        env["FLOOR_ID_ORDER"] = "DESC"
    run([python, "-m", "alembic", "upgrade", "head"], cwd=blog, env=env)
    result: dict = {"rows": rows}
    servers = []
    try:
        app_url, app = serve(python, "app.main:app", blog, env, 2)
        servers.append(app)
        user_id, token = sign_up(app_url)
        log(f"seeding {rows:,} posts")
        log(
            run([python, HERE / "seed.py", dsn, str(rows), str(user_id)]).stdout.strip()
        )
        cursor_url, cursor_app = serve(python, "app.main:app", cursor, env, 1)
        servers.append(cursor_app)
        keys, default = sort_keys(blog)
        cursor_keys, _ = sort_keys(cursor)
        log("one request at a time")
        probe = {
            "offset_url": app_url,
            "cursor_url": cursor_url,
            "dsn": dsn,
            "secret": SECRET_KEY,
            "rows": rows,
            "sort_keys": keys,
            "cursor_sort_keys": cursor_keys,
            "default_sort": default,
            "samples": ns.samples,
            "budget": ns.budget,
            "same_direction": bool(cap),
        }
        result["latency"] = json.loads(
            run([python, HERE / "probe.py", json.dumps(probe)]).stdout
        )
        stop(servers.pop())
        floor_url, floor = serve(python, "floor:app", HERE, env, 2)
        servers.append(floor)
        urls = {"gen": app_url, "floor": floor_url}
        result["wrk"] = {}
        for case in WRK_CASES:
            rounds = []
            for i in range(ns.rounds):
                order = SIDES[i % len(SIDES) :] + SIDES[: i % len(SIDES)]
                one: dict = {"order": list(order)}
                for name in order:
                    log(f"wrk {case}, round {i + 1}/{ns.rounds}: {name}")
                    wrk_env = {
                        "BENCH_ROWS": str(rows),
                        "BENCH_TOKEN": token,
                        # Slugs are unique: one prefix per side and round.
                        "BENCH_SLUG": f"{name}-{rows}-r{i + 1}",
                    }
                    one[name] = wrk(
                        urls[name], case, ns.duration, ns.connections, wrk_env, scratch
                    )
                    drain(database)
                gen_rps, floor_rps = one["gen"]["rps"], one["floor"]["rps"]
                one["ratio"] = gen_rps / floor_rps if floor_rps else None
                rounds.append(one)
            result["wrk"][case] = {"rounds": rounds}
    finally:
        for server in servers:
            stop(server)
        if not ns.keep:
            psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
    return result


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "–"


def median(values: list) -> float | None:
    return statistics.median(values) if values else None


def summary(by: dict) -> dict:
    """One wrk case's row: each side's median req/s, p50 and p99 over the
    rounds and its errors summed, the rounds' gen/floor ratios in run order
    and their median, and the median of gen's per-round p99/p50. A file
    from before --rounds has one window per side: one round."""
    rounds = by.get("rounds", [by])
    row: dict = {"rounds": len(rounds)}
    for side in SIDES:
        runs = [r[side] for r in rounds]
        row[side] = {
            k: median([r[k] for r in runs]) for k in ("rps", "p50_ms", "p99_ms")
        }
        row[side]["errors"] = sum(r["errors"] for r in runs)
    row["ratios"] = [
        r["gen"]["rps"] / r["floor"]["rps"] if r["floor"]["rps"] else None
        for r in rounds
    ]
    row["ratio"] = median([x for x in row["ratios"] if x is not None])
    tails = [
        r["gen"]["p99_ms"] / r["gen"]["p50_ms"] for r in rounds if r["gen"]["p50_ms"]
    ]
    row["gen_tail"] = median(tails)
    return row


def cell(value: float | None, spec: str, suffix: str = "") -> str:
    return "–" if value is None else f"{value:{spec}}{suffix}"


def print_size(result: dict) -> None:
    rows = result["rows"]
    print(f"\n### {rows:,} posts\n")
    print(
        "| case | gen req/s | floor req/s | gen/floor | gen/floor by round | errors gen/floor"
        " | p50 ms gen/floor | p99 ms gen/floor | p99/p50 gen |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for case, by in result["wrk"].items():
        row = summary(by)
        g, f = row["gen"], row["floor"]
        by_round = ", ".join(cell(x, ".2f") for x in row["ratios"])
        print(
            f"| {case} | {g['rps']:,.0f} | {f['rps']:,.0f} | **{cell(row['ratio'], '.2f')}**"
            f" | {by_round} | {g['errors']}/{f['errors']}"
            f" | {g['p50_ms']:.1f}/{f['p50_ms']:.1f} | {g['p99_ms']:.1f}/{f['p99_ms']:.1f}"
            f" | {cell(row['gen_tail'], '.1f', '×')} |"
        )
    latency = result["latency"]
    print("\nOne request at a time, median ms (50-row pages):\n")
    print("| sort | first page | cursor first | cursor at 90% | 90% / first |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for sort, first in latency["first"].items():
        cf = latency["cursor_first"].get(sort)
        cd = latency["cursor_deep"].get(sort)
        cells = f"{cf:.1f} | {cd:.1f} | {ratio(cd, cf)}" if cf else "– | – | –"
        print(f"| {sort} | {first:.1f} | {cells} |")
    for sort, ms in latency["offset90"].items():
        first = latency["first"][sort]
        if ms is None:
            print(f"| offset at 90%, {sort} | refused (422: offset cap) | | | |")
            continue
        print(
            f"| offset at 90%, {sort} | {ms:.1f} | | | {ratio(ms, first)} (offset 90% / first) |"
        )


def print_scaling(small: dict, large: dict) -> None:
    times = large["rows"] // small["rows"]
    print(f"\n### {large['rows']:,} / {small['rows']:,} rows (target: ≤ 2)\n")
    print("| sort | first page | cursor first | cursor at 90% |")
    print("| --- | ---: | ---: | ---: |")
    a, b = small["latency"], large["latency"]
    for sort in a["first"]:
        cells = [ratio(b["first"][sort], a["first"][sort])]
        for kind in ("cursor_first", "cursor_deep"):
            cells.append(
                ratio(b[kind][sort], a[kind][sort]) if sort in a[kind] else "–"
            )
        print(f"| {sort} | {' | '.join(cells)} |")
    print(f"\n(×{times} rows)")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--gen", help="gen binary (default target/release/gen, else target/debug/gen)"
    )
    parser.add_argument(
        "--rows", default="1000,1000000", help="comma-separated table sizes"
    )
    parser.add_argument(
        "--duration",
        type=int,
        default=6,
        help="seconds per wrk window (one side, one round)",
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="wrk rounds per case, gen and floor each"
    )
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument(
        "--samples", type=int, default=30, help="requests per latency case"
    )
    parser.add_argument(
        "--budget",
        type=float,
        default=6,
        help="seconds per latency case, at least 5 requests",
    )
    parser.add_argument(
        "--database", default="bench_serve", help="prefix of the database names"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the databases and the project folders"
    )
    parser.add_argument("--json", help="write every number to this file")
    parser.add_argument(
        "--print", metavar="JSON", help="only print the tables of a --json file"
    )
    ns = parser.parse_args()
    if ns.rounds < 1:
        parser.error("--rounds must be at least 1")
    if ns.print:
        saved = json.loads(Path(ns.print).read_text())
        report(saved["results"], saved["header"])
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt-get install wrk)")
    gen = gen_binary(ns.gen)
    scratch = Path(tempfile.mkdtemp(prefix="gen-serve-"))
    commit = run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT).stdout.strip()
    log(f"gen {gen}, commit {commit}, scratch {scratch}")
    try:
        blog, cursor = generate(gen, scratch)
        python = venv_python(blog)
        results = []
        for n in ns.rows.split(","):
            results.append(one_size(int(n), ns, python, blog, cursor, scratch))
            if ns.json:
                Path(ns.json).write_text(
                    json.dumps({"header": commit, "results": results}, indent=2)
                )
    finally:
        if not ns.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    header = (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, commit {commit}, gen "
        f"{gen.relative_to(ROOT) if gen.is_relative_to(ROOT) else gen}, {os.cpu_count()} cores, "
        f"wrk -t2 -c{ns.connections} -d{ns.duration}s, {ns.rounds} rounds per case"
        " (gen first in odd rounds, the floor in even ones; medians over rounds)"
    )
    if ns.json:
        Path(ns.json).write_text(
            json.dumps({"header": header, "results": results}, indent=2)
        )
    report(results, header)


def report(results: list[dict], header: str) -> None:
    print(f"\n{header}")
    for result in results:
        print_size(result)
    if len(results) > 1:
        print_scaling(results[0], results[-1])


if __name__ == "__main__":
    main()
