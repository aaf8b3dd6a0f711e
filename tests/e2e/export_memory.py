"""Export many rows from a generated todo project and check that the
worker's memory stays flat.

Usage: python export_memory.py PROJECT_DIR DATABASE_URL ROWS
Migrates the (PostgreSQL) database, signs up two users, lets the first
create a few todos through the API and seeds ROWS todos of the second with
COPY. Serves the app with one uvicorn process, exports the first user's
todos (a warm-up, which must hold only theirs), then streams the second
user's export as CSV, reading it in chunks, and compares the worker's peak
resident memory during it (`VmHWM` of /proc/PID/status, reset through
/proc/PID/clear_refs) with its resident memory before (`VmRSS`). Fails
when the growth passes `BOUND_MIB`, when a row is missing or repeated, or
when a formula-like cell reaches the CSV unneutralised.
"""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]

#: Growth of the worker's resident memory allowed while it streams the
#: export. Holding the rows would take hundreds of MiB (ORM objects and
#: their text); a batch of the server-side cursor takes a few.
BOUND_MIB = 48
#: Todos the first user creates through the API.
OWN_ROWS = 5
#: A cell a spreadsheet would evaluate (OWASP, CSV Injection).
FORMULA = "=1+2"
PASSWORD = "export-password-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def request(url: str, body: object = None, token: str | None = None, form: bool = False):
    """An HTTP request; JSON (or form) body, bearer token; returns the response."""
    headers = {"Accept-Encoding": "identity"}
    data = None
    if form:
        data = urllib.parse.urlencode(body).encode()  # type: ignore[arg-type]
    elif body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return urllib.request.urlopen(urllib.request.Request(url, data, headers), timeout=600)


def kib(pid: int, field: str) -> int:
    """A `kB` line of /proc/PID/status (`VmRSS`, `VmHWM`)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


async def seed(database_url: str, owner_id: int, rows: int) -> None:
    """ROWS todos of `owner_id`, with COPY; every note a formula."""
    dsn = database_url.replace("postgresql+asyncpg://", "postgresql://")
    connection = await asyncpg.connect(dsn)
    try:
        now = datetime.now(UTC)
        records = (
            (f"Todo {n}", FORMULA, n % 2 == 0, n % 5 + 1, owner_id, now, now)
            for n in range(rows)
        )
        columns = ["title", "notes", "done", "priority", "owner_id", "created_at", "updated_at"]
        await connection.copy_records_to_table("todos", records=records, columns=columns)
    finally:
        await connection.close()


def main() -> int:
    project, database_url, rows = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    python = sys.executable
    env = os.environ | {
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "SECRET_KEY": "export-secret-key-that-is-long-enough-0123456789",
        "RATE_LIMIT_LOGIN": "100000/minute",
        "RATE_LIMIT_SIGNUP": "100000/minute",
    }
    subprocess.run(
        [python, "-m", "alembic", "upgrade", "head"], cwd=project, env=env, check=True
    )
    port = free_port()
    log = open(project / "server.log", "w")  # noqa: SIM115
    server = subprocess.Popen(
        [python, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1", "--port", str(port)],
        cwd=project,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    api = f"{base}/api/v1"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        tokens, ids = [], []
        for name in ("own", "many"):
            email = f"{name}@example.com"
            user = json.load(request(f"{api}/auth/signup", {"email": email, "password": PASSWORD}))
            ids.append(user["id"])
            login = {"username": email, "password": PASSWORD}
            tokens.append(json.load(request(f"{api}/auth/login", login, form=True))["access_token"])
        for n in range(OWN_ROWS):
            request(f"{api}/todos", {"title": f"Mine {n}"}, tokens[0])
        asyncio.run(seed(database_url, ids[1], rows))
        # Warm-up: the same code path, on few rows; only the caller's own.
        for fmt in ("ndjson", "csv"):
            small = request(f"{api}/todos/export?format={fmt}", token=tokens[0]).read()
            lines = small.decode().splitlines()
            assert len(lines) == OWN_ROWS + (fmt == "csv"), lines[:3]
            assert "Todo " not in small.decode(), "another user's rows were exported"
        pid = server.pid
        before = kib(pid, "VmRSS")
        Path(f"/proc/{pid}/clear_refs").write_text("5")  # resets VmHWM
        response = request(f"{api}/todos/export?format=csv&sort=-id", token=tokens[1])
        assert response.headers["Content-Type"].startswith("text/csv"), response.headers
        newlines, size, head, formulas = 0, 0, b"", 0
        tail = b""
        while chunk := response.read(1 << 16):
            if not head:
                head = chunk.split(b"\r\n", 1)[0]
            newlines += chunk.count(b"\n")
            size += len(chunk)
            window = tail + chunk
            formulas += window.count(b"," + FORMULA.encode()) - tail.count(
                b"," + FORMULA.encode()
            )
            tail = chunk[-8:]
        peak = kib(pid, "VmHWM")
        growth = (peak - before) / 1024
        print(
            f"exported {newlines - 1} rows, {size / 2**20:.1f} MiB of CSV; worker RSS "
            f"before {before / 1024:.1f} MiB, peak {peak / 1024:.1f} MiB, "
            f"growth {growth:.1f} MiB (bound {BOUND_MIB})"
        )
        assert head.startswith(b"id,"), head
        assert newlines - 1 == rows, (newlines, rows)
        assert formulas == 0, f"{formulas} formula cells were not neutralised"
        assert growth < BOUND_MIB, f"memory grew {growth:.1f} MiB"
        return 0
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


if __name__ == "__main__":
    sys.exit(main())
