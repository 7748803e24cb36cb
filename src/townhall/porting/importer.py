"""Write imported comments into townhall: stories, placeholder users, threads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from townhall.auth import names
from townhall.auth.tokens import imported_identity
from townhall.domain.changes import StoryChanged
from townhall.domain.limits import BODY_MAX, STORY_KEY_MAX
from townhall.domain.models import Comment, Status, Story
from townhall.domain.site import SiteConfig
from townhall.errors import NameInvalid
from townhall.porting.model import ImportedComment
from townhall.services.accounts import name_rule_problem
from townhall.services.context import DEFAULT_SITE, Context
from townhall.storage.protocols import Stores


@dataclass
class ImportReport:
    """What an import did."""

    stories: int = 0
    users: int = 0
    comments: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (old name, new name)


async def _user_for(
    tx: Stores,
    item: ImportedComment,
    source: str,
    cache: dict[str, int],
    report: ImportReport,
    site: SiteConfig,
) -> int:
    ident = (
        (item.author_email or "").strip().lower() or (item.author_name or "").strip() or "anonymous"
    )
    sub = imported_identity(source, ident)
    if sub in cache:
        return cache[sub]
    user = await tx.users.by_sso(DEFAULT_SITE, sub)
    if user is None:
        name, key = await _free_name(tx, item.author_name, site, report)
        user = await tx.users.add(
            site_id=DEFAULT_SITE,
            sso_sub=sub,
            name=name,
            name_key=key,
            email=item.author_email or None,
            email_key=None,
            role="commenter",
            created_at=item.created_at,
        )
        report.users += 1
    cache[sub] = user.id
    return user.id


RENAMED = "Imported reader"


async def _free_name(
    tx: Stores, raw: str | None, site: SiteConfig, report: ImportReport
) -> tuple[str | None, str | None]:
    """The author's old name if it passes the rules, made unique with a number if needed.

    A name the site would refuse today (reserved for staff or the publisher, or
    profane) is replaced with a neutral one, and the change is reported.
    """
    try:
        base = names.clean_name(raw or "")
    except NameInvalid:
        return None, None
    refused = name_rule_problem(base, site) is not None
    if refused:
        base = RENAMED
    for n in range(0, 1000):
        if refused:
            candidate = f"{RENAMED} {n + 1}"
        else:
            candidate = base if n == 0 else f"{base[:26]} {n + 1}"
        key = names.name_key(candidate)
        if not await tx.users.name_key_taken(DEFAULT_SITE, key, None):
            if refused:
                report.renamed.append((raw or "", candidate))
            return candidate, key
    return None, None


async def import_comments(
    ctx: Context, items: Iterable[ImportedComment], source: str
) -> ImportReport:
    """Import in one transaction; re-running skips what an earlier run brought in.

    Imported history is stored as it was decided in the old system; it does not go
    through pre-moderation again.
    """
    report = ImportReport()
    site = await ctx.site(DEFAULT_SITE)
    ordered = sorted(items, key=lambda c: (c.created_at, c.source_id))
    by_source: dict[str, Comment] = {}
    users: dict[str, int] = {}
    async with ctx.write() as tx:
        stories: dict[str, int] = {}
        touched: dict[int, Story] = {}
        for item in ordered:
            if not item.story_key:
                report.skipped += 1
                report.problems.append(f"{item.source_id}: no story id")
                continue
            import_key = f"{source}:{item.source_id}"
            existing = await tx.comments.by_import_key(DEFAULT_SITE, import_key)
            if existing is not None:
                by_source[item.source_id] = existing
                report.skipped += 1
                continue
            if item.story_key not in stories:
                key = item.story_key[:STORY_KEY_MAX]
                before = await tx.stories.by_key(DEFAULT_SITE, key)
                story = await tx.stories.get_or_create(
                    DEFAULT_SITE,
                    key,
                    url=item.story_url,
                    title=item.story_title,
                    now=item.created_at,
                )
                stories[item.story_key] = story.id
                touched[story.id] = story
                report.stories += before is None
            author_id = await _user_for(tx, item, source, users, report, site)
            parent = by_source.get(item.parent_source_id) if item.parent_source_id else None
            if parent is not None and parent.story_id != stories[item.story_key]:
                parent = None
            deleted = item.status is Status.DELETED
            comment = await tx.comments.add(
                {
                    "site_id": DEFAULT_SITE,
                    "story_id": stories[item.story_key],
                    "stream": "open",
                    "parent_id": parent.id if parent else None,
                    "root_id": (parent.root_id or parent.id) if parent else None,
                    "depth": parent.depth + 1 if parent else 0,
                    "author_id": author_id,
                    "body": "" if deleted else item.body[:BODY_MAX],
                    "status": item.status.value,
                    "created_at": item.created_at,
                    "deleted_at": item.created_at if deleted else None,
                    "like_count": item.like_count,
                    "findings": [],
                    "import_key": import_key,
                }
            )
            if parent is None:
                comment = await tx.comments.update(comment.id, root_id=comment.id)
            elif comment.is_public:
                await tx.comments.bump(parent.id, "reply_count", 1)
            by_source[item.source_id] = comment
            report.comments += 1
        await tx.audit.add(
            site_id=DEFAULT_SITE,
            actor=None,
            action="site.import",
            target_type="site",
            target_id=DEFAULT_SITE,
            before=None,
            after={
                "source": source,
                "comments": report.comments,
                "users": report.users,
                "stories": report.stories,
            },
            now=ctx.clock(),
        )
        # Running servers drop cached pages of these stories and update live counts.
        for story in touched.values():
            tx.record(StoryChanged(story, comments_changed=True))
    return report
