"""Paths and parameter models, defined once: the OpenAPI stubs and the lane both use them.

Story routes take `{story_id:path}`, so story ids may hold slashes; a path is matched
with Starlette's own `compile_path`, the same matcher FastAPI routes use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import InitErrorDetails, PydanticCustomError
from starlette.routing import compile_path

from townhall import i18n
from townhall.domain import limits
from townhall.domain.models import Sort, Stream

API = "/api/v1"

# Paths of the lane's endpoints (and of their documentation stubs).
STORY_COMMENTS = API + "/stories/{story_id:path}/comments"
STORY_EVENTS = API + "/stories/{story_id:path}/events"
STORY_FEATURED = API + "/stories/{story_id:path}/featured"
# The server-rendered first page, outside the API: a CMS includes it in article pages.
STORY_FRAGMENT = "/stories/{story_id:path}/comments.html"
COMMENT_REPLIES = API + "/comments/{comment_id}/replies"
COUNTS = API + "/counts"
# The moderators' story settings, under the moderation router's prefix.
MODERATION_STORY = "/stories/{story_id:path}"

StoryKey = Annotated[
    str,
    StringConstraints(min_length=limits.STORY_KEY_MIN, max_length=limits.STORY_KEY_MAX),
    Field(description="The publisher's story id (1-255 characters; slashes allowed)"),
]
Id = Annotated[int, Field(ge=limits.MIN_ID, le=limits.MAX_ID, description="A database id")]
Cursor = Annotated[str, StringConstraints(max_length=limits.CURSOR_MAX)]
PageLimit = Annotated[int, Field(ge=1, le=limits.LIST_LIMIT_MAX)]
LanguageTag = Annotated[
    str,
    StringConstraints(min_length=limits.LANGUAGE_TAG_MIN, max_length=limits.LANGUAGE_TAG_MAX),
    Field(description="A language's BCP 47 tag, e.g. de or pt-BR"),
]
Surface = Annotated[i18n.Surface, Field(description="widget (comment section) or dashboard")]


class Params(BaseModel):
    """Query or path parameters: unknown names are refused, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class StoryPath(Params):
    story_id: StoryKey


class CommentPath(Params):
    comment_id: Id


class PageParams(Params):
    """A page of a story's top-level comments."""

    stream: Stream = Stream.OPEN
    sort: Sort = Sort.NEWEST
    limit: PageLimit = limits.PAGE_LIMIT_DEFAULT
    cursor: Cursor | None = None
    view: Literal["threaded", "flat"] = Field(
        default="threaded",
        description="flat: every comment, replies too, unthreaded, each naming its parent",
    )
    answered: bool = Field(
        default=False, description="Questions and answers: only questions with an answer"
    )


class FragmentParams(Params):
    """The server-rendered first page of a story."""

    stream: Stream = Stream.OPEN
    limit: PageLimit = limits.PAGE_LIMIT_DEFAULT
    lang: LanguageTag | None = Field(
        default=None, description="Language of the fixed texts (default: the site's)"
    )
    nosnippet: bool = Field(
        default=False,
        description="Mark the comments data-nosnippet: indexed, never quoted in results",
    )


class NoParams(Params):
    """No query parameters (any given is refused)."""


class RepliesParams(Params):
    """A page of one thread's replies."""

    limit: PageLimit = limits.REPLIES_LIMIT_DEFAULT
    cursor: Cursor | None = None


class CountsParams(Params):
    """Counts of several stories."""

    story_id: list[StoryKey] = Field(min_length=1, max_length=limits.COUNT_STORIES_MAX)


class EventsParams(Params):
    """A story's live event stream."""

    stream: Stream = Stream.OPEN
    last_event_id: (
        Annotated[
            str,
            StringConstraints(max_length=limits.EVENT_ID_MAX, pattern=limits.EVENT_ID_PATTERN),
            Field(description="Resume after this event id"),
        ]
        | None
    ) = None
    token: (
        Annotated[
            str,
            StringConstraints(max_length=limits.SESSION_TOKEN_MAX),
            Field(description="Session token (EventSource cannot send headers)"),
        ]
        | None
    ) = None


class QueueParams(Params):
    """Which moderation queue, filtered how."""

    queue: Literal["pending", "reported", "rejected", "all"] = "pending"
    story_id: StoryKey | None = None
    stream: Literal["open", "premium"] | None = None
    guideline: Annotated[str, StringConstraints(min_length=1, max_length=32)] | None = None
    user_id: Id | None = None
    sort: Literal["newest", "oldest"] = "newest"
    cursor: Cursor | None = None
    limit: PageLimit = limits.PAGE_LIMIT_DEFAULT


class AuditFilters(Params):
    """Filters of the audit log (and of its CSV download)."""

    action: Annotated[str, StringConstraints(max_length=64)] | None = None
    actor_id: Id | None = None
    target_type: Annotated[str, StringConstraints(max_length=32)] | None = None
    target_id: Annotated[str, StringConstraints(max_length=limits.STORY_KEY_MAX)] | None = None


class AuditParams(AuditFilters):
    """A page of the audit log."""

    cursor: Annotated[str, StringConstraints(max_length=limits.AUDIT_CURSOR_MAX)] | None = None
    limit: PageLimit = 50


class PrecisionParams(Params):
    """Over how many past days the precision of automatic holds is measured."""

    days: Annotated[
        int,
        Field(
            ge=limits.PRECISION_DAYS_MIN,
            le=limits.PRECISION_DAYS_MAX,
            description="Past days to count decisions over (1-365)",
        ),
    ] = limits.PRECISION_DAYS_DEFAULT


class CatalogueParams(Params):
    """How a message catalogue is asked for."""

    v: (
        Annotated[
            str,
            StringConstraints(max_length=limits.CATALOGUE_VERSION_MAX),
            Field(description="The catalogue's version (its content hash)"),
        ]
        | None
    ) = None
    shipped: bool = Field(default=False, description="Without the site's overrides")


class Template:
    """A path template compiled by Starlette: match a request path, get its parameters."""

    __slots__ = ("path", "regex")

    def __init__(self, path: str) -> None:
        self.path = path
        self.regex: re.Pattern[str] = compile_path(path)[0]

    def match(self, path: str) -> dict[str, str] | None:
        """The path parameters (as text) when the path fits, else None."""
        m = self.regex.match(path)
        return m.groupdict() if m else None


def query_dict(pairs: Iterable[tuple[str, str]], *, lists: frozenset[str] = frozenset()) -> Any:
    """Query pairs as a dict for a parameter model: names in `lists` gather their values;
    any other name given twice is refused (rule `repeated`), never silently picked."""
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in lists:
            out.setdefault(key, []).append(value)
        elif key in out:
            detail = InitErrorDetails(
                type=PydanticCustomError("repeated", "give this parameter once"),
                loc=(key,),
                input=value,
            )
            raise ValidationError.from_exception_data("query", [detail])
        else:
            out[key] = value
    return out
