#!/usr/bin/env python3
"""Partial or full sort indexes for soft-deleted resources? A measurement
in SQL alone, for the choice gen makes (src/table.rs: full indexes).

    python3 bench/softdelete.py [--rows 1000000]

Lists of a `soft_delete` resource filter `deleted_at IS NULL` unless an
admin asks for `include_deleted`. The bench fills a table of --rows rows
(database bench_softdelete, dropped at the end) and times, with EXPLAIN
ANALYZE (median of 7), the first 50-row page and a keyset page at 90% of
the order (`(created_at, id) < (...)`, newest first) under three ways
rows get deleted: none, 10% spread evenly, and the newest 50% (the worst
case for a full index: the first page skips them all). For each, with a
full index `(created_at, id)` and a partial one `WHERE deleted_at IS NULL`,
and the include_deleted page (which only the full index serves).
"""

import argparse
import re
import statistics
import subprocess

PG = "postgresql://postgres@127.0.0.1:5432"
DB = "bench_softdelete"


def psql(sql: str, db: str = DB) -> str:
    out = subprocess.run(
        ["psql", f"{PG}/{db}", "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        capture_output=True, text=True,
    )
    if out.returncode:
        raise SystemExit(out.stderr)
    return out.stdout


def ms(sql: str) -> float:
    times = []
    for _ in range(7):
        plan = psql(f"EXPLAIN (ANALYZE, FORMAT TEXT) {sql}")
        times.append(float(re.search(r"Execution Time: ([\d.]+) ms", plan).group(1)))
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    rows = parser.parse_args().rows
    psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", "postgres")
    psql(f"CREATE DATABASE {DB}", "postgres")
    try:
        psql(
            "CREATE TABLE items (id serial PRIMARY KEY, title text NOT NULL,"
            " created_at timestamptz NOT NULL, deleted_at timestamptz);"
            f"INSERT INTO items (title, created_at) SELECT 'item ' || i,"
            f" now() - make_interval(secs => {rows} - i) FROM generate_series(1, {rows}) i;"
        )
        scenarios = {
            "none deleted": "UPDATE items SET deleted_at = NULL",
            "10% deleted, spread": "UPDATE items SET deleted_at = CASE WHEN id % 10 = 0 THEN now() END",
            "newest 50% deleted": f"UPDATE items SET deleted_at = CASE WHEN id > {rows // 2} THEN now() END",
        }
        live = "deleted_at IS NULL"
        print(f"{rows:,} rows; median ms of EXPLAIN ANALYZE (server time only)\n")
        print("| deleted | index | first page | keyset at 90% | include_deleted first page |")
        print("| --- | --- | ---: | ---: | ---: |")
        for name, update in scenarios.items():
            psql(update)
            for kind, where in (("full", ""), ("partial", f" WHERE {live}")):
                psql("DROP INDEX IF EXISTS ix_sort")
                psql(f"CREATE INDEX ix_sort ON items (created_at, id){where}")
                psql("VACUUM ANALYZE items")
                count = int(psql(f"SELECT count(*) FROM items WHERE {live}"))
                key = psql(
                    f"SELECT created_at, id FROM items WHERE {live} ORDER BY created_at DESC, id DESC"
                    f" OFFSET {int(count * 0.9)} LIMIT 1"
                ).strip().split("|")
                first = ms(f"SELECT * FROM items WHERE {live} ORDER BY created_at DESC, id DESC LIMIT 50")
                deep = ms(
                    f"SELECT * FROM items WHERE {live} AND (created_at, id) < ('{key[0]}', {key[1]})"
                    " ORDER BY created_at DESC, id DESC LIMIT 50"
                )
                everything = ms("SELECT * FROM items ORDER BY created_at DESC, id DESC LIMIT 50")
                print(f"| {name} | {kind} | {first:.2f} | {deep:.2f} | {everything:.2f} |")
    finally:
        psql(f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)", "postgres")


if __name__ == "__main__":
    main()
