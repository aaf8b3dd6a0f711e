"""The floor for bench/serve.py: the least an app can do to answer the
blog's post endpoints with the same JSON as the generated app.

Bare Starlette and an asyncpg pool (5 to 15 connections per worker, as
the generated app's pool size 5 plus overflow 10): one round trip per
read, hand-written SQL, stdlib json. Three routes, on the generated app's
paths:

    GET  /api/v1/posts/{id}          one post (with its tag ids)
    GET  /api/v1/posts?limit&offset  a page in the default sort (-created_at,
                                     then id as the generated app orders),
                                     with the (capped) count as the app
    POST /api/v1/posts               create, with a bearer token the
                                     generated app issued (HS256, same
                                     SECRET_KEY, issuer and audience); the
                                     user is looked up, as the app does

Run by bench/serve.py with the generated project's venv:
    DATABASE_DSN=postgresql://... SECRET_KEY=... uvicorn floor:app --app-dir bench
"""

import json
import os
from contextlib import asynccontextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from uuid import UUID

import asyncpg
import jwt
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

DSN = os.environ["DATABASE_DSN"]
SECRET = os.environ["SECRET_KEY"]
ISSUER = AUDIENCE = os.environ.get("JWT_AUDIENCE", "blog")

# The columns PostRead shows to a reader who is not an editor (so without
# moderation_note), in its order; tag_ids is computed.
COLUMNS = (
    "id, title, slug, body, status, views, likes, rating, price, featured,"
    " published_at, release_date, contact, external_id, extra, category_id"
)
TAGS = "array(SELECT t.tag_id FROM post_tags t WHERE t.post_id = p.id ORDER BY t.tag_id)"
SELECT = f"SELECT {COLUMNS}, {TAGS} AS tag_ids, owner_id, created_at, updated_at FROM posts p"
ONE = f"{SELECT} WHERE p.id = $1"
# The id tie-breaker: ascending in gen's app until main bd768c0, since
# then in the direction of the last key (FLOOR_ID_ORDER=DESC).
ID_ORDER = os.environ.get("FLOOR_ID_ORDER", "ASC")
PAGE = f"{SELECT} ORDER BY p.created_at DESC, p.id {ID_ORDER} LIMIT $1 OFFSET $2"
# gen's app counts every row until bd768c0, then at most COUNT_CAP + 1
# and says `total_capped` (FLOOR_COUNT_CAP=10000).
COUNT_CAP = int(os.environ.get("FLOOR_COUNT_CAP", "0"))
COUNT = (
    f"SELECT count(*) FROM (SELECT 1 FROM posts LIMIT {COUNT_CAP + 1}) t"
    if COUNT_CAP
    else "SELECT count(*) FROM posts"
)
USER = "SELECT id FROM users WHERE id = $1 AND is_active"
INSERT = (
    "INSERT INTO posts (title, slug, body, status, views, likes, featured, owner_id,"
    " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $8)"
    f" RETURNING {COLUMNS}, ARRAY[]::int[] AS tag_ids, owner_id, created_at, updated_at"
)


def _default(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    raise TypeError(type(value))


def _json(body: object, status: int = 200) -> Response:
    text = json.dumps(body, default=_default, separators=(",", ":"))
    return Response(text, status_code=status, media_type="application/json")


def _row(record: asyncpg.Record) -> dict[str, object]:
    row = dict(record)
    if isinstance(row["extra"], str):
        row["extra"] = json.loads(row["extra"])
    return row


@asynccontextmanager
async def lifespan(app: Starlette):
    app.state.pool = await asyncpg.create_pool(DSN, min_size=5, max_size=15)
    yield
    await app.state.pool.close()


async def read_post(request: Request) -> Response:
    try:
        post_id = int(request.path_params["post_id"])
    except ValueError:
        return _json({"detail": "not an id"}, 422)
    record = await request.app.state.pool.fetchrow(ONE, post_id)
    if record is None:
        return _json({"detail": "post not found"}, 404)
    return _json(_row(record))


async def list_posts(request: Request) -> Response:
    limit = min(int(request.query_params.get("limit", 50)), 100)
    offset = int(request.query_params.get("offset", 0))
    async with request.app.state.pool.acquire() as connection:
        rows = await connection.fetch(PAGE, limit, offset)
        total = await connection.fetchval(COUNT)
    items = [_row(r) for r in rows]
    page = {"items": items, "total": total, "limit": limit, "offset": offset}
    if COUNT_CAP:
        page["total"], page["total_capped"] = min(total, COUNT_CAP), total > COUNT_CAP
    return _json(page)


async def create_post(request: Request) -> Response:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    try:
        claims = jwt.decode(
            token, SECRET, algorithms=["HS256"], audience=AUDIENCE, issuer=ISSUER
        )
        user_id = int(claims["sub"])
    except (jwt.InvalidTokenError, KeyError, ValueError):
        return _json({"detail": "not authenticated"}, 401)
    data = json.loads(await request.body())
    now = datetime.now(UTC)
    async with request.app.state.pool.acquire() as connection:
        if await connection.fetchval(USER, user_id) is None:
            return _json({"detail": "not authenticated"}, 401)
        record = await connection.fetchrow(
            INSERT,
            data["title"],
            data["slug"],
            data["body"],
            data.get("status", "draft"),
            data.get("views", 0),
            data.get("featured", False),
            user_id,
            now,
        )
    return _json(_row(record), 201)


app = Starlette(
    routes=[
        Route("/api/v1/posts", list_posts, methods=["GET"]),
        Route("/api/v1/posts", create_post, methods=["POST"]),
        Route("/api/v1/posts/{post_id}", read_post, methods=["GET"]),
    ],
    lifespan=lifespan,
)
