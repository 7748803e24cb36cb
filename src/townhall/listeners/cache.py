"""Drop cached anonymous answers that a committed change made stale."""

from __future__ import annotations

from collections.abc import Sequence

from townhall.cache import ALL, ResponseCache
from townhall.domain.changes import (
    Change,
    CommentChanged,
    CommentPicked,
    LikesChanged,
    SiteChanged,
    StoryChanged,
)


class CacheListener:
    """Bumps the version slot of every story a transaction touched (all, for site changes)."""

    name = "response cache"

    def __init__(self, cache: ResponseCache) -> None:
        self.cache = cache

    async def committed(self, changes: Sequence[Change]) -> None:
        """Invalidate each touched story once, here and on every other instance."""
        keys: dict[str, None] = {}
        for change in changes:
            if isinstance(change, SiteChanged):
                keys = {ALL: None}
                break
            if isinstance(change, CommentChanged | LikesChanged | StoryChanged | CommentPicked):
                keys[change.story.key] = None
        for key in keys:
            await self.cache.invalidate(key)
