"""Seeds the blog's posts table for bench/serve.py: N rows owned by one
user, with COPY (asyncpg's copy_records_to_table) in chunks, then VACUUM
ANALYZE. Runs in the generated project's venv (asyncpg).

    python bench/seed.py DSN ROWS OWNER_ID

The values are deterministic and spread so that every sort key orders the
rows differently from id: created_at one second apart (oldest first),
updated_at shuffled, views, title and price from a multiplicative hash;
price and rating NULL on some rows. Columns the bench does not know are
left to their default (NULL); a NOT NULL one without a default stops it.
"""

import asyncio
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import asyncpg

CHUNK = 50_000


def _hash(i: int) -> int:
    return (i * 2654435761) % 4294967296


def _values(i: int, owner_id: int, base: datetime) -> dict[str, object]:
    h = _hash(i)
    created = base + timedelta(seconds=i)
    return {
        "title": f"{h:08x} post {i}",
        "slug": f"seed-{i}",
        "body": f"Seeded body of post {i}.",
        "status": "published" if i % 3 else "draft",
        "views": h % 100_003,
        "likes": i % 50,
        "rating": None if i % 10 == 0 else (i % 50) / 10,
        "price": None if i % 7 == 0 else Decimal(h % 1_000_000) / 100,
        "featured": i % 20 == 0,
        "published_at": created if i % 3 else None,
        "owner_id": owner_id,
        "created_at": created,
        "updated_at": created + timedelta(seconds=h % 100_000),
    }


async def main(dsn: str, rows: int, owner_id: int) -> None:
    connection = await asyncpg.connect(dsn)
    columns = await connection.fetch(
        "SELECT column_name, is_nullable, column_default FROM information_schema.columns"
        " WHERE table_name = 'posts' ORDER BY ordinal_position"
    )
    known = set(_values(1, owner_id, datetime.now(UTC)))
    names = [c["column_name"] for c in columns if c["column_name"] in known]
    for c in columns:
        missing = c["column_name"] not in known and c["column_name"] != "id"
        if missing and c["is_nullable"] == "NO" and c["column_default"] is None:
            raise SystemExit(f"seed: posts.{c['column_name']} is NOT NULL and unknown here")
    base = datetime.now(UTC) - timedelta(seconds=rows + 3600)
    started = time.perf_counter()
    for start in range(1, rows + 1, CHUNK):
        records = []
        for i in range(start, min(start + CHUNK, rows + 1)):
            values = _values(i, owner_id, base)
            records.append(tuple(values[n] for n in names))
        await connection.copy_records_to_table("posts", records=records, columns=names)
    copied = time.perf_counter() - started
    await connection.execute("VACUUM ANALYZE posts")
    await connection.close()
    print(f"seeded {rows:,} posts in {copied:.1f} s (+ {time.perf_counter() - started - copied:.1f} s VACUUM ANALYZE)")


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
