"""Request and response schemas; the OpenAPI document is generated from these."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from townhall.api.params import StoryKey
from townhall.domain import limits


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SsoIn(_In):
    token: str = Field(
        min_length=1, max_length=limits.SSO_TOKEN_MAX, description="Publisher-signed JWT"
    )


class RegisterIn(_In):
    email: str = Field(min_length=3, max_length=limits.EMAIL_MAX)
    password: str = Field(min_length=1, max_length=limits.PASSWORD_INPUT_MAX)
    name: str | None = Field(default=None, max_length=limits.NAME_INPUT_MAX)


class LoginIn(_In):
    email: str = Field(min_length=1, max_length=limits.EMAIL_MAX)
    password: str = Field(min_length=1, max_length=limits.PASSWORD_INPUT_MAX)


class NameIn(_In):
    name: str = Field(min_length=1, max_length=limits.NAME_INPUT_MAX)


class CommentIn(_In):
    body: str = Field(min_length=1, max_length=limits.BODY_MAX)
    stream: Literal["open", "premium"] = "open"
    parent_id: int | None = Field(default=None, ge=limits.MIN_ID, le=limits.MAX_ID)
    story_url: str | None = Field(default=None, max_length=limits.STORY_URL_MAX)
    story_title: str | None = Field(default=None, max_length=limits.STORY_TITLE_MAX)


class CommentCheckIn(CommentIn):
    story_id: StoryKey


class PassageOut(BaseModel):
    start: int = Field(description="Offset of the first character, in the body as sent")
    end: int = Field(description="Offset just after the last character")


class FindingOut(BaseModel):
    guideline: str
    action: Literal["hold", "reject"]
    span: PassageOut | None = Field(description="The passage that triggered the finding")
    message: str = Field(description="What the author is told, in plain language")
    suggestion: str = Field(description="What the author could change")


class CommentCheckOut(BaseModel):
    action: Literal["publish", "hold", "reject"]
    findings: list[FindingOut]


class CommentEditIn(_In):
    body: str = Field(min_length=1, max_length=limits.BODY_MAX)


class ReportIn(_In):
    reason: Literal[
        "swearing",
        "abuse",
        "discrimination",
        "impersonation",
        "private_info",
        "spam",
        "disagree",
        "other",
    ]
    note: str | None = Field(default=None, max_length=limits.NOTE_MAX)


class AuthorOut(BaseModel):
    id: int
    name: str | None
    premium: bool
    badge: Literal["staff", "expert", "subscriber"] | None


class ModerationNoteOut(BaseModel):
    guideline: str | None
    reason: str
    findings: list[FindingOut] = []


class BestOut(BaseModel):
    """Why a comment stands where it does in the Best order (see docs/editorial.md)."""

    parts: dict[str, float] = Field(
        description="base, likes (Wilson lower bound of likes among likes and reports, "
        "weighted), pick, staff_reply, reports and holds (negative)"
    )
    quality: float = Field(description="The sum of the parts, never below the floor")
    age_hours: float
    half_life_hours: float
    decay: float = Field(description="2 ** -(age / half-life)")
    score: float = Field(description="quality × decay, now")
    likes: int
    reports: int


class CommentOut(BaseModel):
    id: int
    story_id: str
    parent_id: int | None
    root_id: int | None
    depth: int
    stream: Literal["open", "premium"]
    status: Literal["published", "pending", "rejected", "deleted"]
    body_html: str
    author: AuthorOut | None
    in_reply_to: str | None
    created_at: str
    edited_at: str | None
    edited: bool
    deleted: bool
    like_count: int
    reply_count: int
    liked_by_me: bool
    reported_by_me: bool
    is_mine: bool
    editable_until: str | None
    moderation: ModerationNoteOut | None
    featured: bool = Field(default=False, description="Picked by staff")
    feature_note: str | None = Field(
        default=None, description="Staff's public note on why they picked it (plain text)"
    )
    answered: bool = Field(
        default=False, description="A Q&A question that staff or an expert answered"
    )
    best: BestOut | None = Field(
        default=None, description="In the Best order (top-level comments): why it is here"
    )
    replies: list[CommentOut] = []


class ReportReasonOut(BaseModel):
    id: str
    label: str


class SiteOut(BaseModel):
    name: str
    heading: str
    call_to_action: str
    premium_label: str
    learn_more_url: str
    guidelines: list[str]
    guidelines_url: str
    local_accounts: bool
    max_body: int
    edit_window_seconds: int
    report_reasons: list[ReportReasonOut]
    language: str = Field(description="The site's default language, when the page names none")
    messages: dict[str, dict[str, str | dict[str, str]]] = Field(
        description="The publisher's overrides of widget messages, by language"
    )


class LanguageOut(BaseModel):
    code: str = Field(description="BCP 47 tag, e.g. de or pt-BR")
    name: str = Field(description="The language's own name")
    dir: Literal["ltr", "rtl"]
    versions: dict[str, str] = Field(description="Catalogue version by surface")


class LanguagesOut(BaseModel):
    languages: list[LanguageOut]


class CheckCoverageOut(BaseModel):
    check: str
    languages: list[str] | Literal["all"] = Field(
        description="Languages the check understands, or all (it judges shapes, not words)"
    )
    wording: list[str] | None = Field(
        description="For a check that works in all languages on shapes (numbers, names) and "
        "also reads phrases: the languages of those phrases"
    )


class CoverageOut(BaseModel):
    checks: list[CheckCoverageOut]
    word_lists: list[str] = Field(description="Languages with shipped word lists")
    other_languages: Literal["publish", "hold"] = Field(
        description="What happens to comments in a language no word list covers"
    )


class StreamCountsOut(BaseModel):
    open: int = Field(description="Visible comments in the open stream")
    premium: int = Field(description="Visible comments in the Premium stream")


class StoryOut(BaseModel):
    id: str
    title: str | None
    url: str | None
    is_closed: bool
    premoderate: bool
    premium_enabled: bool
    premium_read_restricted: bool
    prompt: str | None = Field(
        default=None, description="Staff's question above the form, instead of the call to action"
    )
    likes_closed: bool = Field(default=False, description="Closed for likes, not for comments")
    qa_mode: bool = Field(default=False, description="Questions and answers")
    counts: StreamCountsOut


class CommentPageOut(BaseModel):
    comments: list[CommentOut]
    next_cursor: str | None
    total: int
    story: StoryOut
    site: SiteOut
    featured: list[CommentOut] = Field(
        default=[],
        description="On a first page (no cursor): the story's picks in the streams the "
        "reader may see, latest pick first",
    )
    pinned: CommentOut | None = Field(
        default=None, description="On a first page: the story's pinned staff comment, if any"
    )


class FeaturedOut(BaseModel):
    comments: list[CommentOut] = Field(description="Picks, latest first, without replies")
    total: int


class FeatureIn(_In):
    note: str | None = Field(
        default=None,
        max_length=limits.FEATURE_NOTE_MAX,
        description="Why staff picked it, shown to readers as plain text",
    )


class RepliesOut(BaseModel):
    comments: list[CommentOut]
    next_cursor: str | None
    total: int


class CountsOut(BaseModel):
    counts: dict[str, int]


class LikeOut(BaseModel):
    like_count: int
    liked_by_me: bool


class ReportedOut(BaseModel):
    reported: bool


class UserOut(BaseModel):
    id: int
    email: str | None
    name: str | None
    role: Literal["commenter", "moderator", "admin"]
    premium: bool
    status: Literal["active", "banned", "suspended"]
    suspended_until: str | None


class SessionOut(BaseModel):
    token: str
    user: UserOut


class RegisteredOut(BaseModel):
    registered: Literal[True]
    detail: str = Field(description="The same for a new and an already registered address")


class NameCheckOut(BaseModel):
    available: bool
    rule: str | None
    detail: str


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    code: str
    instance: str | None = None
    errors: list[dict[str, str]] | None = None


PROBLEMS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {"application/problem+json": {}}}
    for code in (400, 401, 403, 404, 409, 413, 422, 429)
}
