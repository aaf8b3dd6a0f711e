#!/usr/bin/env python3
"""gen's benchmark: how `gen new`, `gen generate` and `gen check` scale
with the number of resources, beside cookiecutter and copier.

    python3 bench/run.py                      # 10, 100 and 1,000 resources
    python3 bench/run.py --sizes 10,100 --runs 3 --dir /dev/shm/gen-bench

For each size it writes the wide spec (bench/widespec.py: seven fields of
varied types and a many_to_one to the previous resource), then times, with
time.perf_counter around the process, `gen new` into a fresh folder,
`gen generate` with nothing changed and `gen check` on the project, and
prints medians, the time per resource and the ratios the targets are about.

cookiecutter and copier render a comparable template the bench writes
itself: the files gen writes for the same spec (without gen's records under
`.gen/`), each made a template that substitutes the project name. Neither
tool can loop over resources to make one package per resource, so the
template is expanded already: what is timed is their cost of rendering and
writing the same output, a lower bound on what generating it would take
them. A tool that is not installed is skipped with a note
(`pip install cookiecutter copier`).

Every folder is written under --dir (default: a new temporary folder) and
removed at the end; removing happens last because some file systems (ext4
without a journal) slow down creating files for half a minute after many
were deleted.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from widespec import wide_spec  # noqa: E402


def build() -> Path:
    """Builds the release binary and returns its path."""
    out = subprocess.run(
        ["cargo", "build", "--release", "--bin", "gen", "--message-format=json"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    for line in out.splitlines():
        message = json.loads(line)
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            if message["target"]["name"] == "gen":
                return Path(message["executable"])
    sys.exit("cargo did not report the gen binary")


def timed(argv, cwd=None, ok=(0,)) -> float:
    """Seconds one run of argv takes; fails loudly on an unexpected exit."""
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in ok:
        sys.exit(f"{' '.join(map(str, argv))} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def median_runs(runs: int, one) -> float:
    return statistics.median(one(i) for i in range(runs))


def comparable_templates(project: Path, name: str, work: Path) -> tuple[Path, Path]:
    """Turns the project gen wrote into a cookiecutter and a copier template
    that produce the same files (gen's `.gen/` records left out)."""
    cc = work / "cookiecutter-template"
    cp = work / "copier-template"
    (cc / "{{cookiecutter.project_slug}}").mkdir(parents=True)
    cp.mkdir(parents=True)
    (cc / "cookiecutter.json").write_text(json.dumps({"project_slug": name}))
    (cp / "copier.yml").write_text(
        f"project_slug:\n  type: str\n  default: {name}\n_templates_suffix: .jinja\n"
    )
    for path in sorted(project.rglob("*")):
        rel = path.relative_to(project)
        if not path.is_file() or rel.parts[0] == ".gen":
            continue
        text = path.read_text()
        body = text.replace("{% endraw %}", "")
        for variable, root in (("cookiecutter.project_slug", cc / "{{cookiecutter.project_slug}}"), ("project_slug", cp)):
            # Literal text, with the project name made a variable.
            templ = "{% raw %}" + body.replace(name, "{% endraw %}{{ " + variable + " }}{% raw %}") + "{% endraw %}"
            target = root / rel
            if root == cp:
                target = target.with_name(target.name + ".jinja")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(templ)
    return cc, cp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10,100,1000", help="resource counts, comma-separated")
    parser.add_argument("--runs", type=int, default=5, help="runs per measurement; the median is shown")
    parser.add_argument("--dir", help="where to write (default: a new temporary folder)")
    parser.add_argument("--gen", help="a gen binary to time instead of building one")
    parser.add_argument("--no-others", action="store_true", help="skip cookiecutter and copier")
    parser.add_argument(
        "--other-runs", type=int, default=3, help="runs of cookiecutter and copier (slow at 1,000)"
    )
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    binary = Path(args.gen) if args.gen else build()
    work = Path(tempfile.mkdtemp(prefix="gen-bench-", dir=args.dir))
    tools = {}
    if not args.no_others:
        for tool in ("cookiecutter", "copier"):
            found = shutil.which(tool)
            if found:
                tools[tool] = found
            else:
                print(f"note: {tool} is not installed; skipped (pip install {tool})")
    fs = subprocess.run(["stat", "-f", "-c", "%T", work], stdout=subprocess.PIPE, text=True).stdout.strip()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"gen: {binary}\nwriting under {work} ({fs or 'file system unknown'}); load average {load}")
    print(f"{args.runs} runs each, medians\n")

    rows = []
    try:
        for n in sizes:
            base = work / f"n{n}"
            base.mkdir()
            spec = base / "wide.yaml"
            spec.write_text(wide_spec(n))
            new = median_runs(args.runs, lambda i: timed([binary, "new", base / f"new{i}", "--spec", spec]))
            project = base / "new0"
            generate = median_runs(args.runs, lambda i: timed([binary, "generate"], cwd=project))
            check = median_runs(args.runs, lambda i: timed([binary, "check"], cwd=project))
            row = {"n": n, "new": new, "generate": generate, "check": check}
            if tools:
                cc, cp = comparable_templates(project, f"wide{n}", base)
                if "cookiecutter" in tools:
                    row["cookiecutter"] = median_runs(
                        args.other_runs,
                        lambda i: timed([tools["cookiecutter"], "--no-input", "-o", base / f"cc{i}", cc]),
                    )
                if "copier" in tools:
                    row["copier"] = median_runs(
                        args.other_runs,
                        lambda i: timed(
                            [tools["copier"], "copy", "--quiet", "--defaults", "--trust", cp, base / f"cp{i}"]
                        ),
                    )
            rows.append(row)
            print(report_row(row), flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print()
    print(summary(rows))


def report_row(row) -> str:
    n = row["n"]
    cells = [f"{n:>6} resources"]
    for key in ("new", "generate", "check", "cookiecutter", "copier"):
        if key in row:
            t = row[key]
            cells.append(f"{key} {t * 1000:8.1f} ms ({t / n * 1000:6.2f} ms/resource)")
    return " | ".join(cells)


def summary(rows) -> str:
    lines = ["ratios (medians):"]
    for row in rows:
        parts = [
            f"generate/new {row['generate'] / row['new']:.2f}",
            f"check/new {row['check'] / row['new']:.2f}",
        ]
        for tool in ("cookiecutter", "copier"):
            if tool in row:
                parts.append(f"{tool}/new {row[tool] / row['new']:.2f}")
        lines.append(f"  {row['n']:>6}: " + ", ".join(parts))
    by_n = {row["n"]: row for row in rows}
    if 100 in by_n and 1000 in by_n:
        lines.append(f"  new(1000)/new(100) {by_n[1000]['new'] / by_n[100]['new']:.1f} (linear: 10)")
    if 100 in by_n:
        lines.append(f"  new(100) {by_n[100]['new'] * 1000:.0f} ms (target: at most 250 ms)")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
