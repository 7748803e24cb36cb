"""Write imported comments into townhall: stories, placeholder users, threads.

An import streams: comments are written a batch at a time, each batch in its own
transaction with one statement per kind of row, so memory stays flat and a run that
stops halfway (a crash, a kill) keeps every batch it committed. Every comment is stored
under a key naming its format, its source and its id there, so running the same file
again skips what is in and writes the rest: nothing lost, nothing doubled.

A reply is written once its parent is; one read before its parent waits for it. A reply
whose parent never comes becomes a top-level comment (and the report counts it).
Imported history is stored as it was decided in the old system; it does not go through
pre-moderation again. Each batch records the stories it changed, so running servers drop
their cached pages and update live counts.
"""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from townhall.auth.tokens import imported_identity
from townhall.domain.changes import StoryChanged
from townhall.domain.limits import BODY_MAX, STORY_KEY_MAX
from townhall.domain.models import Status, Story
from townhall.domain.sorting import best_rank
from townhall.porting.model import (
    ImportedComment,
    import_key,
    legacy_import_key,
    source_tag,
)
from townhall.porting.names import ImportedNames
from townhall.services.context import DEFAULT_SITE, Context
from townhall.storage.protocols import Stores

BATCH = 10_000
# Running servers hear of the stories an import changed at most this often (each story
# announced costs them a count per stream), and once more at the end.
ANNOUNCE_SECONDS = 10.0


@dataclass
class ImportReport:
    """What an import did (or, dry, would do)."""

    read: int = 0
    stories: int = 0
    users: int = 0
    comments: int = 0
    skipped: int = 0
    orphans: int = 0  # replies whose parent was not in the file: now top-level
    problems: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old name, new name)
    sources: set[str] = field(default_factory=set)
    dry_run: bool = False


@dataclass(frozen=True, slots=True)
class _Placed:
    """A comment in the database (or, dry, one that would be): where its replies go."""

    id: int
    root_id: int
    depth: int
    story_id: int
    stream: str


# (the order it was read in, its import key, the comment)
_Entry = tuple[int, str, ImportedComment]


class _Run:
    """One import run: what it has placed, and the replies still waiting for a parent."""

    def __init__(self, ctx: Context, fmt: str, *, dry_run: bool) -> None:
        self.ctx = ctx
        self.fmt = fmt
        self.dry_run = dry_run
        self.report = ImportReport(dry_run=dry_run)
        self.known: dict[str, _Placed] = {}
        self.waiting: dict[str, list[_Entry]] = {}
        self.stories: dict[str, Story | int] = {}
        self.users: dict[str, int] = {}
        self.fake_ids = itertools.count(-1, -1)
        self.touched: dict[int, Story] = {}  # changed since the last announcement
        self.announced_at = time.monotonic()
        self.names: ImportedNames | None = None

    # A batch ---------------------------------------------------------------------------

    async def batch(self, items: list[ImportedComment]) -> None:
        """Write (or, dry, look up) one batch of comments in one transaction."""
        if self.names is None:
            self.names = ImportedNames(await self.ctx.site(DEFAULT_SITE), self.report.renamed)
        opened = self.ctx.read() if self.dry_run else self.ctx.write()
        async with opened as tx:
            await tx.imports.prepare()
            await self._batch(tx, items)
            self._announce(tx, final=False)

    def _announce(self, tx: Stores, *, final: bool) -> None:
        """Record the stories changed since the last announcement, now and then."""
        now = time.monotonic()
        if not self.touched or (not final and now - self.announced_at < ANNOUNCE_SECONDS):
            return
        for story in self.touched.values():
            tx.record(StoryChanged(story, comments_changed=True))
        self.touched = {}
        self.announced_at = now

    async def _batch(self, tx: Stores, items: list[ImportedComment]) -> None:
        fresh: dict[str, ImportedComment] = {}
        for item in items:
            self.report.read += 1
            self.report.sources.add(item.source)
            if not item.story_key:
                self.report.skipped += 1
                self.report.problems.append(f"{item.source_id}: no story id")
                continue
            key = import_key(self.fmt, item.source, item.source_id)
            if key in self.known or key in fresh:
                self.report.skipped += 1  # the same comment twice in one file
                continue
            fresh[key] = item
        found = await tx.imports.comments_by_keys(DEFAULT_SITE, list(fresh))
        for key, row in found.items():
            self.known[key] = _Placed(
                row.id, row.root_id or row.id, row.depth, row.story_id, row.stream
            )
            del fresh[key]
            self.report.skipped += 1
        await self._adopt_legacy(tx, fresh)
        await self._place(tx, list(fresh.items()))

    async def _adopt_legacy(self, tx: Stores, fresh: dict[str, ImportedComment]) -> None:
        """Comments imported before keys named their source: the same comment (same id,
        story and time) takes the new key and is skipped; another source's is imported."""
        legacy = {legacy_import_key(self.fmt, item.source_id): k for k, item in fresh.items()}
        if not legacy:
            return
        rows = await tx.imports.comments_by_keys(DEFAULT_SITE, list(legacy))
        pairs = []
        for old, row in rows.items():
            key = legacy[old]
            item = fresh[key]
            if row.story_key != item.story_key[:STORY_KEY_MAX] or row.created_at != item.created_at:
                continue
            pairs.append((row.id, key))
            self.known[key] = _Placed(
                row.id, row.root_id or row.id, row.depth, row.story_id, row.stream
            )
            del fresh[key]
            self.report.skipped += 1
        if not self.dry_run:
            await tx.imports.rekey(pairs)

    async def _place(self, tx: Stores, items: list[tuple[str, ImportedComment]]) -> None:
        """Write every comment whose parent is placed, in this batch, or released by it;
        a reply whose parent is none of these waits for it."""
        entries = [(self.report.read - len(items) + n, k, i) for n, (k, i) in enumerate(items)]
        parent_keys = {k: self._parent_key(i) for _, k, i in entries}
        batch_keys = {k for _, k, _ in entries}
        missing = [
            p
            for p in set(parent_keys.values())
            if p and p not in self.known and p not in batch_keys
        ]
        for key, row in (await tx.imports.comments_by_keys(DEFAULT_SITE, missing)).items():
            self.known[key] = _Placed(
                row.id, row.root_id or row.id, row.depth, row.story_id, row.stream
            )
        first: list[_Entry] = []
        children: dict[str, list[_Entry]] = {}
        for entry in entries:
            parent = parent_keys[entry[1]]
            if parent is None or parent in self.known:
                first.append(entry)
            else:
                children.setdefault(parent, []).append(entry)
        groups = self._waves(first, children)
        for parent, kids in children.items():
            self.waiting.setdefault(parent, []).extend(kids)
        if groups:
            await self._write(tx, groups, parentless_first=False)

    def _waves(self, first: list[_Entry], children: dict[str, list[_Entry]]) -> list[list[_Entry]]:
        """Groups to insert in order, each only replying to earlier ones (or placed ones)."""
        groups = []
        frontier = first
        while frontier:
            groups.append(frontier)
            frontier = [
                e
                for _, key, _ in frontier
                for e in (*children.pop(key, ()), *self.waiting.pop(key, ()))
            ]
        return groups

    def _parent_key(self, item: ImportedComment) -> str | None:
        if not item.parent_source_id:
            return None
        return import_key(self.fmt, item.source, item.parent_source_id)

    async def finish_orphans(self) -> None:
        """Replies whose parent never came: top-level comments, in one last transaction."""
        while self.waiting:
            waiting_keys = {k for group in self.waiting.values() for _, k, _ in group}
            roots = [p for p in self.waiting if p not in waiting_keys] or list(self.waiting)
            first = [e for p in roots for e in self.waiting.pop(p)]
            self.report.orphans += len(first)
            opened = self.ctx.read() if self.dry_run else self.ctx.write()
            async with opened as tx:
                await self._write(tx, self._waves(first, {}), parentless_first=True)

    # Rows --------------------------------------------------------------------------------

    async def _write(
        self, tx: Stores, groups: list[list[_Entry]], *, parentless_first: bool
    ) -> None:
        """Insert groups of comments in order; ids follow the order they were read in."""
        entries = [e for group in groups for e in group]
        story_ids = {e[1]: await self._story(tx, e[2]) for e in entries}
        authors = await self._authors(tx, [e[2] for e in entries])
        author_ids = {e[1]: a for e, a in zip(entries, authors, strict=True)}
        by_seq = sorted(e[0] for e in entries)
        if self.dry_run:
            reserved = [next(self.fake_ids) for _ in entries]
        else:
            reserved = await tx.imports.reserve_comment_ids(len(entries))
        ids = dict(zip(by_seq, reserved, strict=True))
        rows: list[dict[str, Any]] = []
        replies: Counter[int] = Counter()
        for n, group in enumerate(groups):
            for seq, key, item in group:
                story_id = story_ids[key]
                parent = None
                if not (parentless_first and n == 0):
                    parent = self.known.get(self._parent_key(item) or "")
                if parent is not None and parent.story_id != story_id:
                    parent = None
                comment_id = ids[seq]
                placed = _Placed(
                    comment_id,
                    parent.root_id if parent else comment_id,
                    parent.depth + 1 if parent else 0,
                    story_id,
                    parent.stream if parent else item.stream.value,
                )
                self.known[key] = placed
                deleted = item.status is Status.DELETED
                rows.append(
                    {
                        "id": comment_id,
                        "site_id": DEFAULT_SITE,
                        "story_id": story_id,
                        "stream": placed.stream,
                        "parent_id": parent.id if parent else None,
                        "root_id": placed.root_id,
                        "depth": placed.depth,
                        "author_id": author_ids[key],
                        "body": "" if deleted else item.body[:BODY_MAX],
                        "status": item.status.value,
                        "created_at": item.created_at,
                        "edited_at": item.edited_at,
                        "deleted_at": item.created_at if deleted else None,
                        "like_count": item.like_count,
                        "best_rank": best_rank(
                            likes=item.like_count,
                            reports=0,
                            featured=False,
                            staff_replied=False,
                            held=False,
                            created_at=item.created_at,
                        ),
                        "findings": [],
                        "import_key": key,
                    }
                )
                if parent is not None and item.status is Status.PUBLISHED:
                    replies[parent.id] += 1
        if not self.dry_run:
            await tx.imports.add_comments(rows)
            await tx.imports.add_replies(dict(replies))
        self.report.comments += len(rows)

    async def _story(self, tx: Stores, item: ImportedComment) -> int:
        key = item.story_key[:STORY_KEY_MAX]
        story = self.stories.get(key)
        if story is None:
            before = await tx.stories.by_key(DEFAULT_SITE, key)
            if self.dry_run:
                story = before.id if before else next(self.fake_ids)
            else:
                story = await tx.stories.get_or_create(
                    DEFAULT_SITE,
                    key,
                    url=item.story_url,
                    title=item.story_title,
                    now=item.created_at,
                )
            self.stories[key] = story
            self.report.stories += before is None
        if isinstance(story, Story):
            self.touched[story.id] = story
            return story.id
        return story

    def _sub(self, item: ImportedComment) -> str:
        ident = (item.author_email or "").strip().lower()
        if not ident and item.author_key:
            ident = f"{source_tag(item.source)}:{item.author_key}"
        return imported_identity(self.fmt, ident or (item.author_name or "").strip() or "anonymous")

    async def _authors(self, tx: Stores, items: list[ImportedComment]) -> list[int]:
        subs = [self._sub(item) for item in items]
        unknown = list(dict.fromkeys(s for s in subs if s not in self.users))
        self.users.update(await tx.imports.users_by_subs(DEFAULT_SITE, unknown))
        first: dict[str, ImportedComment] = {}
        for sub, item in zip(subs, items, strict=True):
            if sub not in self.users:
                first.setdefault(sub, item)
        if first:
            assert self.names is not None
            await self.names.prefetch(tx, [item.author_name for item in first.values()])
            rows = []
            for sub, item in first.items():
                name, key = await self.names.free_name(tx, item.author_name)
                rows.append(
                    {
                        "site_id": DEFAULT_SITE,
                        "sso_sub": sub,
                        "name": name,
                        "name_key": key,
                        "email": item.author_email or None,
                        "email_key": None,
                        "role": "commenter",
                        "created_at": item.created_at,
                    }
                )
            if self.dry_run:
                ids = [next(self.fake_ids) for _ in rows]
            else:
                ids = await tx.imports.add_users(rows)
            self.users.update(zip(first, ids, strict=True))
            self.report.users += len(rows)
        return [self.users[s] for s in subs]

    async def audit(self) -> None:
        """One audit entry for the run, and the last announcement (none for a dry run)."""
        if self.dry_run:
            return
        async with self.ctx.write() as tx:
            self._announce(tx, final=True)
            await tx.audit.add(
                site_id=DEFAULT_SITE,
                actor=None,
                action="site.import",
                target_type="site",
                target_id=DEFAULT_SITE,
                before=None,
                after={
                    "format": self.fmt,
                    "source": sorted(self.report.sources)[:10],
                    "comments": self.report.comments,
                    "users": self.report.users,
                    "stories": self.report.stories,
                    "skipped": self.report.skipped,
                },
                now=self.ctx.clock(),
            )


async def import_comments(
    ctx: Context,
    items: Iterable[ImportedComment],
    fmt: str,
    *,
    batch_size: int = BATCH,
    dry_run: bool = False,
    progress: Callable[[ImportReport], None] | None = None,
) -> ImportReport:
    """Import comments a batch at a time; re-running skips what an earlier run brought in.

    With dry_run nothing is written: the report says what an import would do.
    """
    run = _Run(ctx, fmt, dry_run=dry_run)
    batch: list[ImportedComment] = []
    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            await run.batch(batch)
            batch = []
            if progress is not None:
                progress(run.report)
    if batch:
        await run.batch(batch)
    await run.finish_orphans()
    await run.audit()
    if progress is not None:
        progress(run.report)
    return run.report
