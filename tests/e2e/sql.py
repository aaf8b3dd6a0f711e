"""Run one SQL statement against a database URL and print the rows as JSON.

Usage: python sql.py URL "SQL"   (used by gen's evolution tests)
"""

import asyncio
import json
import sys

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine


async def run(url: str, statement: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(statement))
            rows = [list(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()
    print(json.dumps(rows, default=str))


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1], sys.argv[2]))
