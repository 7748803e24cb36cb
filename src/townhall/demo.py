"""Seed the demo site: the sample article's users, comments, replies and likes."""

from __future__ import annotations

from datetime import timedelta

from townhall.auth import names
from townhall.auth.passwords import hash_password
from townhall.config import Settings
from townhall.domain.models import Comment
from townhall.services.context import DEFAULT_SITE


async def seed_demo(settings: Settings) -> list[dict]:
    """Create demo users and comments once; return the accounts to print."""
    from townhall import demo_content as content
    from townhall.app import build_context
    from townhall.services.sites import bootstrap_site

    ctx = build_context(settings)
    try:
        await bootstrap_site(ctx)
        now = ctx.clock()
        async with ctx.write() as tx:
            story_key = content.ARTICLE["story_id"]
            if await tx.stories.by_key(DEFAULT_SITE, story_key) is None:
                await _seed(tx, content, now)
    finally:
        await ctx.db.dispose()
    return [
        {
            "email": u["email"],
            "password": u["password"],
            "note": ", ".join(
                x
                for x in (
                    u.get("role") if u.get("role") != "commenter" else "",
                    "premium" if u.get("premium") else "",
                    "no name yet" if not u.get("name") else "",
                )
                if x
            ),
        }
        for u in content.USERS
    ]


async def _seed(tx, content, now) -> None:
    ids: dict[str, int] = {}
    for u in content.USERS:
        name = u.get("name")
        user = await tx.users.add(
            site_id=DEFAULT_SITE,
            email=u["email"],
            email_key=u["email"].lower(),
            password_hash=hash_password(u["password"]),
            name=name,
            name_key=names.name_key(name) if name else None,
            role=u.get("role", "commenter"),
            is_premium=bool(u.get("premium")),
            created_at=now - timedelta(days=200),
        )
        ids[u["email"]] = user.id
    story = await tx.stories.get_or_create(
        DEFAULT_SITE,
        content.ARTICLE["story_id"],
        url=content.ARTICLE.get("url_path", "/"),
        title=content.ARTICLE["title"],
        now=now - timedelta(days=1),
    )
    keys: dict[str, Comment] = {}
    for item in sorted(content.COMMENTS, key=lambda x: -x.get("minutes_ago", 0)):
        parent = keys.get(item.get("parent")) if item.get("parent") else None
        created = now - timedelta(minutes=item.get("minutes_ago", 0))
        comment = await tx.comments.add(
            {
                "site_id": DEFAULT_SITE,
                "story_id": story.id,
                "stream": item.get("stream", "open"),
                "parent_id": parent.id if parent else None,
                "root_id": (parent.root_id or parent.id) if parent else None,
                "depth": parent.depth + 1 if parent else 0,
                "author_id": ids[item["author"]],
                "body": item["body"],
                "status": "published",
                "created_at": created,
                "findings": [],
            }
        )
        if parent is None:
            comment = await tx.comments.update(comment.id, root_id=comment.id)
        else:
            await tx.comments.bump(parent.id, "reply_count", 1)
        for liker in item.get("likes", []):
            if ids[liker] != comment.author_id and await tx.comments.add_like(
                comment.id, ids[liker], created
            ):
                await tx.comments.bump(comment.id, "like_count", 1)
        keys[item["key"]] = comment
