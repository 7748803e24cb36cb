"""Export every comment as JSON lines (for backups and moving to another system)."""

from __future__ import annotations

from typing import TextIO

import orjson
from sqlalchemy import select

from townhall.presenter import iso
from townhall.services.context import DEFAULT_SITE, Context
from townhall.storage.sql.tables import comments, stories, users

BATCH = 1000


async def export_comments(ctx: Context, out: TextIO, story_key: str | None = None) -> int:
    """Write one JSON object per comment, oldest first; returns how many."""
    q = (
        select(
            comments,
            stories.c.key.label("story_key"),
            stories.c.url.label("story_url"),
            stories.c.title.label("story_title"),
            users.c.name.label("author_name"),
            users.c.email.label("author_email"),
        )
        .join(stories, stories.c.id == comments.c.story_id)
        .join(users, users.c.id == comments.c.author_id)
        .where(comments.c.site_id == DEFAULT_SITE)
        .order_by(comments.c.id)
    )
    if story_key:
        q = q.where(stories.c.key == story_key)
    count = 0
    async with ctx.db.read() as conn:
        result = await conn.stream(q.execution_options(yield_per=BATCH))
        async for row in result:
            m = row._mapping
            out.write(
                orjson.dumps(
                    {
                        "id": m["id"],
                        "parent_id": m["parent_id"],
                        "story_id": m["story_key"],
                        "story_url": m["story_url"],
                        "story_title": m["story_title"],
                        "stream": m["stream"],
                        # A shadow-banned author's comment was never public: say so,
                        # so that no consumer of the file publishes it.
                        "status": "shadowed"
                        if m["is_shadowed"] and m["status"] == "published"
                        else m["status"],
                        "is_shadowed": bool(m["is_shadowed"]),
                        "body": m["body"],
                        "author": {
                            "id": m["author_id"],
                            "name": m["author_name"],
                            "email": m["author_email"],
                        },
                        "created_at": iso(m["created_at"]),
                        "edited_at": iso(m["edited_at"]),
                        "deleted_at": iso(m["deleted_at"]),
                        "like_count": m["like_count"],
                    }
                ).decode()
                + "\n"
            )
            count += 1
    return count
