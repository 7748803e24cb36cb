"""Schemas of a reader's own space: my comments, mutes, deleting the account, password."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from townhall.api.schemas import _In
from townhall.domain import limits


class MyStoryOut(BaseModel):
    id: str = Field(description="The publisher's story id")
    title: str | None
    url: str | None


class MyModerationOut(BaseModel):
    guideline: str | None = Field(description="The guideline that held or rejected it")
    reason: str


class MyCommentOut(BaseModel):
    id: int
    story: MyStoryOut
    stream: Literal["open", "premium"]
    parent_id: int | None
    status: Literal["published", "pending", "rejected", "deleted"] = Field(
        description="pending: awaiting review"
    )
    body_html: str = Field(description="Empty once deleted")
    created_at: str
    edited_at: str | None
    deleted_at: str | None
    like_count: int
    moderation: MyModerationOut | None = Field(description="Why it is held or was rejected")
    link: str | None = Field(description="The story's address with #comment-ID, when known")


class MyCommentsOut(BaseModel):
    comments: list[MyCommentOut]
    next_cursor: str | None


class MutedUserOut(BaseModel):
    id: int
    name: str | None
    muted_at: str


class MutedListOut(BaseModel):
    muted: list[MutedUserOut]


class MutedOut(BaseModel):
    id: int
    name: str | None
    muted: Literal[True]


class DeleteAccountIn(_In):
    comments: Literal["delete", "keep"] = Field(
        description="delete: your comments become tombstones (threads stay); "
        "keep: they stay, shown as written by a former reader, without your name"
    )
    password: str | None = Field(
        default=None,
        max_length=limits.PASSWORD_INPUT_MAX,
        description="Your password (accounts with e-mail and password)",
    )
    sso_token: str | None = Field(
        default=None,
        max_length=limits.SSO_TOKEN_MAX,
        description="A fresh token from the publisher's sign-in (publisher accounts)",
    )


class EraseUserIn(_In):
    comments: Literal["delete", "keep"]


class ErasedOut(BaseModel):
    deleted: Literal[True]
    comments: Literal["delete", "keep"]
    comments_deleted: int


class PasswordIn(_In):
    current_password: str = Field(min_length=1, max_length=limits.PASSWORD_INPUT_MAX)
    new_password: str = Field(min_length=1, max_length=limits.PASSWORD_INPUT_MAX)


class PasswordChangedOut(BaseModel):
    changed: Literal[True]
    sessions_ended: int = Field(description="Other sessions signed out")
