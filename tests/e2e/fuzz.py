"""Fuzz a generated project with schemathesis, authenticated as an admin.

Usage: python fuzz.py PROJECT_DIR DATABASE_URL
Migrates the database, creates an admin, serves the app with uvicorn on a
free local port, and runs schemathesis over every operation with every
check (`--checks all`, `positive_data_acceptance` as `st_hooks` narrows
it), every phase (examples, coverage, fuzzing, stateful with the links it
infers), NUL characters allowed and lone surrogates injected by `st_hooks`,
seed 1, `GEN_FUZZ_EXAMPLES` examples per operation (default 5). Exits with
schemathesis' status.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

EMAIL = "fuzz@example.com"
PASSWORD = "fuzz-password-123"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    project, database_url = Path(sys.argv[1]), sys.argv[2]
    python = sys.executable
    bin_dir = Path(python).parent
    env = os.environ | {
        "DATABASE_URL": database_url,
        "ENVIRONMENT": "test",
        "SECRET_KEY": "fuzzing-secret-key-that-is-long-enough-0123456789",
        "RATE_LIMIT_LOGIN": "100000/minute",
        "RATE_LIMIT_SIGNUP": "100000/minute",
        "RATE_LIMIT_REFRESH": "100000/minute",
    }
    run = {"cwd": project, "env": env, "check": True}
    subprocess.run([python, "-m", "alembic", "upgrade", "head"], **run)
    subprocess.run(
        [python, "-m", "app.cli", "create-admin", "--email", EMAIL, "--password", PASSWORD],
        **run,
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
    try:
        # Up to three minutes: a loaded machine imports the app slowly (a
        # minute was not enough with the e2e tests running side by side).
        deadline = time.monotonic() + 180
        while True:
            try:
                urllib.request.urlopen(f"{base}/health", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        schema = json.load(urllib.request.urlopen(f"{base}/openapi.json"))
        login = next(p for p in schema["paths"] if p.endswith("/auth/login"))
        form = urllib.parse.urlencode({"username": EMAIL, "password": PASSWORD}).encode()
        token = json.load(urllib.request.urlopen(f"{base}{login}", data=form))["access_token"]
        hooks_env = env | {
            "SCHEMATHESIS_HOOKS": "st_hooks",
            "PYTHONPATH": str(Path(__file__).parent),
        }
        result = subprocess.run(
            [
                str(bin_dir / "schemathesis"),
                "run",
                f"{base}/openapi.json",
                "--header",
                f"Authorization: Bearer {token}",
                "--checks",
                "all",
                # Replaced by `st_hooks.positive_data_acceptance_here` and
                # `st_hooks.negative_data_rejection_here`.
                "--exclude-checks",
                "positive_data_acceptance,negative_data_rejection",
                "--generation-allow-x00",
                "true",
                "--max-examples",
                os.environ.get("GEN_FUZZ_EXAMPLES", "5"),
                "--seed",
                "1",
                "--workers",
                "1",
                "--continue-on-failure",
                "--no-color",
            ],
            cwd=project,
            env=hooks_env,
        )
        if result.returncode != 0:
            print("--- server log (tail)")
            print((project / "server.log").read_text()[-8000:])
        return result.returncode
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


if __name__ == "__main__":
    sys.exit(main())
