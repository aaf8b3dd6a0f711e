"""Create or drop a scratch PostgreSQL database for gen's end-to-end tests.

Usage: python pg.py create|drop SERVER_URL NAME
SERVER_URL is a SQLAlchemy URL (postgresql+asyncpg://...) naming a database
to connect to for administration. `create` prints the new database's URL.
"""

import asyncio
import sys

from sqlalchemy import make_url, text
from sqlalchemy.ext.asyncio import create_async_engine


async def run(action: str, server_url: str, name: str) -> None:
    engine = create_async_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as connection:
            if action == "create":
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
            else:
                await connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await engine.dispose()
    if action == "create":
        url = make_url(server_url).set(database=name)
        print(url.render_as_string(hide_password=False))


if __name__ == "__main__":
    asyncio.run(run(sys.argv[1], sys.argv[2], sys.argv[3]))
