"""Checking a draft comment before it is posted: the same review, nothing stored."""

from __future__ import annotations

from townhall.domain.models import User
from townhall.moderation.pipeline import Review, review
from townhall.ratelimit import CHECKS_PER_ACCOUNT, enforce
from townhall.services.comments import Draft, check_body, ensure_can_act, submission
from townhall.services.context import Context

# Drafts are checked as the author pauses typing, so more often than comments are
# posted; ten checks per allowed post per minute keeps a script from using the
# pipeline as a free oracle while leaving a person plenty.
CHECKS_PER_POST = 10


async def check_comment(ctx: Context, user: User, draft: Draft) -> Review:
    """Review a draft as posting would (same rules, same author history); store nothing."""
    now = ctx.clock()
    ensure_can_act(user, now=now, action="post comments")
    async with ctx.read() as tx:
        site = await ctx.site(user.site_id)
        body = check_body(draft.body, site)
        if ctx.settings.rate_limits:
            await enforce(
                ctx.limiter,
                f"check:{user.id}",
                limit=site.post_rate_per_minute * CHECKS_PER_POST,
                window=60,
                message="You're checking drafts too fast. Try again in {seconds} seconds.",
                name=CHECKS_PER_ACCOUNT,
            )
        story = await tx.stories.by_key(site.id, draft.story_key)
        sub = await submission(ctx, tx, user=user, body=body, story=story, site=site, is_edit=False)
    return review(sub)
