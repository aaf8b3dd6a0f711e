"""Fault test: generated projects under load while PostgreSQL restarts and
Redis stops and comes back.

Usage: python faults.py PROJECTS_JSON
PROJECTS_JSON is a list of {"name", "dir", "create", "body"}: a generated
project, the collection URL of a resource the admin alone can create, and a
valid body for it whose strings may hold `{n}` (made unique per request).

Never touches the machine's own servers: starts a throwaway PostgreSQL
cluster (initdb into a temporary folder, pg_ctl from
/usr/lib/postgresql/<newest>/bin, a free port, its socket in that folder;
run as the `postgres` user when this runs as root, since PostgreSQL refuses
root) and a throwaway redis-server on a free port, and stops and deletes
both at the end, on failure too.

For each project: migrate a fresh database, create an admin, serve the app
with uvicorn (2 workers, REDIS_URL on the throwaway Redis), and drive a
bounded load (CLIENTS concurrent clients for LOAD_SECONDS: creates, reads
of rows and lists, the current user, logins). During it PostgreSQL is
restarted (`pg_ctl restart -m fast`), then Redis is stopped and started
again. Checks:
- no 5xx other than 503, and every 503 carries `Retry-After`;
- no request is left without a response (a dropped connection);
- the service recovers: after the faults, creates, reads and logins all
  succeed, and the login limiter counts in Redis again;
- every 201 response's row exists afterwards (read back by id).
Prints the requests by operation and status. Exits 1 when a check fails.
"""

import asyncio
import collections
import glob
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

EMAIL = "faults@example.com"
PASSWORD = "faults-password-123"
SECRET_KEY = "fault-testing-secret-key-that-is-long-enough-0123456789"
CLIENTS = 32
#: Load timeline, in seconds from its start.
LOAD_SECONDS = 12.0
PG_RESTART_AT = 2.0
REDIS_STOP_AT = 5.0
REDIS_START_AT = 7.0
#: The generated limiter tries Redis again this long after it failed
#: (app/ratelimit.py, REDIS_RETRY_SECONDS), plus a margin.
REDIS_RETRY_SECONDS = 6.0


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, seconds: float) -> None:
    """Wait until something accepts connections on `port`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def pg_bin() -> Path:
    """The newest installed PostgreSQL's bin folder (Debian layout)."""
    found = glob.glob("/usr/lib/postgresql/*/bin/pg_ctl")
    if not found:
        sys.exit(
            "faults: no /usr/lib/postgresql/<version>/bin/pg_ctl (install postgresql)"
        )
    newest = max(found, key=lambda p: int(re.findall(r"/(\d+)/bin/", p)[0]))
    return Path(newest).parent


class Postgres:
    """A throwaway PostgreSQL cluster in `folder`, on a free port."""

    def __init__(self, folder: Path) -> None:
        """initdb the cluster (not started yet)."""
        self.bin = pg_bin()
        self.folder = folder
        self.data = folder / "pgdata"
        self.port = free_port()
        # PostgreSQL refuses to run as root: run it as `postgres` then.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_user:
            shutil.chown(folder, "postgres")
        self._run(
            "initdb",
            "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        settings = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(self.port),
            "unix_socket_directories": f"'{folder}'",
            "fsync": "off",
            "max_connections": "100",
        }
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{k} = {v}\n" for k, v in settings.items())

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def ctl(self, *args: str) -> None:
        """Run `pg_ctl ARGS` on the cluster, waiting for it to finish."""
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "pg.log"),
            "-w",
            *args,
        )

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of `database` on this cluster."""
        return f"postgresql+asyncpg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> None:
        """CREATE DATABASE `name`."""
        self._run(
            "createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name
        )

    def stop(self) -> None:
        """Stop the cluster if it runs (immediate: nothing in it is kept)."""
        if (self.data / "postmaster.pid").exists():
            self.ctl("stop", "-m", "immediate")


class Redis:
    """A throwaway redis-server on a free port, without persistence."""

    def __init__(self, folder: Path) -> None:
        """Remember where its log goes (not started yet)."""
        self.exe = shutil.which("redis-server") or sys.exit(
            "faults: no redis-server on PATH"
        )
        self.port = free_port()
        self.log = folder / "redis.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(
                [
                    self.exe, "--port", str(self.port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for_port(self.port, 10)

    def stop(self) -> None:
        """Stop the server (SIGTERM to the process this object started)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


@dataclass
class Stats:
    """What the load saw."""

    #: (operation, status) -> count; status 0 is "no response".
    counts: collections.Counter[tuple[str, int]] = field(
        default_factory=collections.Counter
    )
    #: Ids of the rows whose create answered 201.
    created: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def record(stats: Stats, op: str, response: httpx.Response) -> None:
    """Count `response` and note what breaks the rules."""
    status = response.status_code
    stats.counts[op, status] += 1
    if status >= 500 and status != 503:
        stats.failures.append(f"{op}: {status} {response.text[:300]}")
    if status == 503 and "retry-after" not in response.headers:
        stats.failures.append(f"{op}: 503 without Retry-After")


class Load:
    """The requests of one project: creates, reads, the current user, logins."""

    def __init__(
        self, client: httpx.AsyncClient, project: dict[str, Any], api: str
    ) -> None:
        """Aim at `project`'s resource; `api` is the API prefix."""
        self.client = client
        self.create_url = project["create"]
        self.body = json.dumps(project["body"])
        self.api = api
        self.token = ""
        self.serial = 0
        self.stats = Stats()

    def body_for(self, n: int) -> Any:
        """The create body with `{n}` replaced: unique values per request."""
        return json.loads(self.body.replace("{n}", str(n)))

    @property
    def auth(self) -> dict[str, str]:
        """The admin's bearer token header."""
        return {"Authorization": f"Bearer {self.token}"}

    async def login(self) -> httpx.Response:
        """Log the admin in (form body, OAuth2 password flow)."""
        form = {"username": EMAIL, "password": PASSWORD}
        response = await self.client.post(f"{self.api}/auth/login", data=form)
        if response.status_code == 200:
            self.token = response.json()["access_token"]
        return response

    async def one(self, op: str) -> httpx.Response:
        """Send one request of kind `op`."""
        if op == "create":
            self.serial += 1
            r = await self.client.post(
                self.create_url, json=self.body_for(self.serial), headers=self.auth
            )
            if r.status_code == 201:
                self.stats.created.append(str(r.json()["id"]))
            return r
        if op == "read" and self.stats.created:
            ident = self.stats.created[self.serial % len(self.stats.created)]
            return await self.client.get(
                f"{self.create_url}/{ident}", headers=self.auth
            )
        if op in ("read", "list"):
            return await self.client.get(self.create_url, headers=self.auth)
        if op == "me":
            return await self.client.get(f"{self.api}/users/me", headers=self.auth)
        return await self.login()

    async def send(self, op: str) -> httpx.Response | None:
        """Send and count one request; None when no response came."""
        try:
            response = await self.one(op)
        except httpx.HTTPError as exc:
            self.stats.counts[op, 0] += 1
            self.stats.failures.append(
                f"{op}: no response ({type(exc).__name__}: {exc})"
            )
            return None
        record(self.stats, op, response)
        return response

    async def client_loop(self, index: int, deadline: float) -> None:
        """One client: a fixed mix of requests until `deadline`."""
        mix = ["create", "read", "create", "list", "read", "create", "me", "read"]
        mix += ["create", "login"] if index % 4 == 0 else ["create", "read"]
        step = index
        while time.monotonic() < deadline:
            await self.send(mix[step % len(mix)])
            step += 1


async def faults(
    pg: Postgres, rd: Redis, load: "Load", start: float, marks: dict[str, float]
) -> None:
    """Restart PostgreSQL, then stop Redis and start it again, on schedule.
    While Redis is down, a few logins must succeed (limited in memory)."""

    async def at(offset: float) -> None:
        await asyncio.sleep(max(0.0, start + offset - time.monotonic()))

    await at(PG_RESTART_AT)
    marks["pg restart"] = time.monotonic() - start
    await asyncio.to_thread(pg.ctl, "restart", "-m", "fast")
    marks["pg back"] = time.monotonic() - start
    await at(REDIS_STOP_AT)
    await asyncio.to_thread(rd.stop)
    marks["redis stopped"] = time.monotonic() - start
    logins = asyncio.gather(*(load.send("login") for _ in range(4)))
    await at(REDIS_START_AT)
    await asyncio.to_thread(rd.start)
    marks["redis back"] = time.monotonic() - start
    for response in await logins:
        if response is not None and response.status_code != 200:
            load.stats.failures.append(
                f"a login while Redis was down answered {response.status_code}"
            )


async def drive(
    project: dict[str, Any], base: str, api: str, pg: Postgres, rd: Redis
) -> Stats:
    """Load the served project through the faults, then check it recovered
    and kept every row it answered 201 for."""
    # Room for the clients and the logins sent while Redis is down.
    # Pooled connections are dropped after 1 s idle, well before uvicorn's
    # keep-alive timeout (5 s, as httpx's default expiry): with both at 5 s a
    # client waiting out a Retry-After could reuse a connection at the moment
    # the server closes it, and get no response through no fault of the app
    # (RFC 9112 section 9.3: a server may close an idle connection at any
    # time). A connection dropped while a request is in flight still counts.
    limits = httpx.Limits(max_connections=CLIENTS + 8, keepalive_expiry=1.0)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits) as client:
        load = Load(client, project, api)
        first = await load.login()
        assert first.status_code == 200, first.text
        start = time.monotonic()
        marks: dict[str, float] = {}
        deadline = start + LOAD_SECONDS
        await asyncio.gather(
            faults(pg, rd, load, start, marks),
            *(load.client_loop(i, deadline) for i in range(CLIENTS)),
        )
        stats = load.stats
        print(f"  faults at (s): {', '.join(f'{k} {v:.1f}' for k, v in marks.items())}")

        # Recovery: once the limiter may have tried Redis again, everything
        # succeeds, and logins are counted in Redis.
        await asyncio.sleep(
            max(
                0.0,
                start + marks["redis back"] + REDIS_RETRY_SECONDS - time.monotonic(),
            )
        )
        for op in ["login", "create", "read", "list", "me"] * 4:
            response = await load.send(op)
            if response is None or response.status_code >= 300:
                status = response.status_code if response is not None else "no response"
                stats.failures.append(f"after the faults, {op} answered {status}")
        keys = redis.Redis(port=rd.port).keys("*login*")
        if not keys:
            stats.failures.append("after Redis came back, logins are not counted in it")

        # Every 201 is a row: read each back by id.
        missing: list[str] = []
        gate = asyncio.Semaphore(16)

        async def check(ident: str) -> None:
            async with gate:
                r = await client.get(f"{project['create']}/{ident}", headers=load.auth)
                if r.status_code != 200:
                    missing.append(f"{ident} ({r.status_code})")

        await asyncio.gather(*(check(i) for i in stats.created))
        if missing:
            stats.failures.append(
                f"{len(missing)} rows answered 201 are gone: {missing[:10]}"
            )
        print(
            f"  persisted: {len(stats.created) - len(missing)}/{len(stats.created)} rows read back"
        )
        return stats


def report(name: str, stats: Stats, seconds: float) -> None:
    """Print the requests by operation and status."""
    by_status = collections.Counter[int]()
    for (_, status), n in stats.counts.items():
        by_status[status] += n
    total = sum(by_status.values())
    fives = sum(n for s, n in by_status.items() if s >= 500)
    print(
        f"  {name}: {total} requests, {by_status[201]} created (201), "
        f"{by_status[503]} 503, {fives} 5xx, {by_status[0]} without response, {seconds:.0f} s"
    )
    for op in sorted({op for op, _ in stats.counts}):
        statuses = sorted((s, n) for (o, s), n in stats.counts.items() if o == op)
        print(f"    {op:6} " + "  ".join(f"{s}: {n}" for s, n in statuses))


def tracebacks(log: str) -> str:
    """The first traceback of each kind of error in a server log."""
    seen: dict[str, str] = {}
    for block in log.split("Traceback (most recent call last):")[1:]:
        lines = [line for line in block.splitlines() if line.strip()]
        last = next(
            (line for line in lines if not line.startswith((" ", "\t", "^"))), "?"
        )
        kind = last.split(":")[0]
        # Its head (where the app called) and tail (what was raised).
        shown = lines if len(lines) <= 60 else [*lines[:30], "...", *lines[-30:]]
        seen.setdefault(kind, "Traceback (most recent call last):\n" + "\n".join(shown))
    return "\n".join(seen.values())[-12000:]


def serve(project: dict[str, Any], pg: Postgres, rd: Redis) -> tuple[Stats, float]:
    """Migrate, create the admin, serve the app and drive it; returns the stats."""
    started = time.monotonic()
    folder = Path(project["dir"])
    name = f"faults_{project['name']}"
    pg.create_database(name)
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DATABASE_", "DB_", "REDIS_", "RATE_LIMIT_", "JWT_"))
    } | {
        "DATABASE_URL": pg.url(name),
        "REDIS_URL": f"redis://127.0.0.1:{rd.port}/0",
        "ENVIRONMENT": "test",
        "SECRET_KEY": SECRET_KEY,
        "RATE_LIMIT_LOGIN": "100000/minute",
        "RATE_LIMIT_SIGNUP": "100000/minute",
        "RATE_LIMIT_REFRESH": "100000/minute",
    }
    python = sys.executable
    for step in (
        ["alembic", "upgrade", "head"],
        ["app.cli", "create-admin", "--email", EMAIL, "--password", PASSWORD],
    ):
        subprocess.run(
            [python, "-m", *step],
            cwd=folder,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    prepared = time.monotonic()
    port = free_port()
    log_path = folder / "server.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [
                python, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
                "--port", str(port), "--workers", "2", "--no-access-log",
            ],
            cwd=folder,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_port(port, 120)
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        schema = json.load(urllib.request.urlopen(f"{base}/openapi.json"))
        login = next(p for p in schema["paths"] if p.endswith("/auth/login"))
        api = login.removesuffix("/auth/login")
        up = time.monotonic()
        print(
            f"  migrated and admin made in {prepared - started:.1f} s,"
            f" served in {up - prepared:.1f} s"
        )
        stats = asyncio.run(drive(project, base, api, pg, rd))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, 9)
            server.wait()
    log = log_path.read_text()
    if "Redis unreachable" not in log:
        stats.failures.append(
            "no worker logged counting in memory while Redis was down"
        )
    if stats.failures:
        print(f"--- {project['name']}: the server's tracebacks, one of each kind")
        print(tracebacks(log))
    return stats, time.monotonic() - started


def main() -> int:
    """Run every project through the faults; 1 when any check failed."""
    projects = json.loads(sys.argv[1])
    # A SIGTERM (the test harness giving up) still stops both servers.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("faults: terminated"))
    folder = Path(tempfile.mkdtemp(prefix="gen-faults-"))
    pg: Postgres | None = None
    rd: Redis | None = None
    failed = False
    try:
        pg = Postgres(folder)
        rd = Redis(folder)
        pg.ctl("start")
        rd.start()
        for project in projects:
            print(f"== {project['name']}: {project['create']}", flush=True)
            stats, seconds = serve(project, pg, rd)
            report(project["name"], stats, seconds)
            for failure in stats.failures[:30]:
                print(f"  FAILED {failure}")
            failed |= bool(stats.failures)
            sys.stdout.flush()
    finally:
        try:
            if rd is not None:
                rd.stop()
            if pg is not None:
                pg.stop()
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
