"""Moderators' private notes on a reader, and warnings the reader must acknowledge in the
comment section before posting again."""

from __future__ import annotations

from typing import Any

from townhall.domain.limits import NOTE_TEXT_MAX
from townhall.domain.models import User
from townhall.errors import Forbidden, NotFound, ValidationFailed, WarningUnacknowledged
from townhall.presenter import iso
from townhall.services.context import Context
from townhall.storage.protocols import AuthorContext, Stores


def _note_json(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "kind": row["kind"],
        "text": row["text"],
        "by": row.get("author_name"),
        "created_at": iso(row["created_at"]),
        "acknowledged_at": iso(row["acknowledged_at"]),
    }


async def _reader(tx: Stores, staff: User, user_id: int) -> User:
    user = await tx.users.by_id(user_id)
    if user is None or user.site_id != staff.site_id:
        raise NotFound("user not found")
    return user


async def add_note(
    ctx: Context, staff: User, user_id: int, text: Any, *, warning: bool = False
) -> dict[str, Any]:
    """Write a private note on a reader, or a warning they must acknowledge; audited."""
    if not isinstance(text, str) or not text.strip():
        raise ValidationFailed("write the note", field="text", rule="required")
    if len(text) > NOTE_TEXT_MAX:
        raise ValidationFailed(
            f"text must be at most {NOTE_TEXT_MAX} characters", field="text", rule="max-length"
        )
    now = ctx.clock()
    async with ctx.write() as tx:
        user = await _reader(tx, staff, user_id)
        if warning and user.is_staff:
            raise Forbidden("staff accounts are not warned")
        kind = "warning" if warning else "note"
        note_id = await tx.notes.add(
            {
                "site_id": staff.site_id,
                "user_id": user.id,
                "author_id": staff.id,
                "kind": kind,
                "text": text.strip(),
                "created_at": now,
            }
        )
        await tx.audit.add(
            site_id=staff.site_id,
            actor=staff,
            action=f"user.{'warn' if warning else 'note'}",
            target_type="user",
            target_id=user.id,
            before=None,
            after={"note": note_id, "kind": kind},
            now=now,
        )
        rows = await tx.notes.of_user(user.id)
    return next(_note_json(r) for r in rows if r["id"] == note_id)


async def list_notes(ctx: Context, staff: User, user_id: int) -> dict[str, Any]:
    """A reader's notes and warnings, newest first."""
    async with ctx.read() as tx:
        user = await _reader(tx, staff, user_id)
        rows = await tx.notes.of_user(user.id)
    return {"notes": [_note_json(r) for r in rows]}


async def my_warnings(ctx: Context, user: User) -> dict[str, Any]:
    """The reader's warnings still to acknowledge, oldest first."""
    async with ctx.read() as tx:
        rows = await tx.notes.open_warnings(user.id)
    return {"warnings": [{**r, "created_at": iso(r["created_at"])} for r in rows]}


async def acknowledge_warning(ctx: Context, user: User, note_id: int) -> None:
    """The reader has read a warning; they may post again."""
    now = ctx.clock()
    async with ctx.write() as tx:
        if not await tx.notes.acknowledge(user.id, note_id, now):
            raise NotFound("no such warning to acknowledge")
        await tx.audit.add(
            site_id=user.site_id,
            actor=user,
            action="user.warning_acknowledged",
            target_type="user",
            target_id=user.id,
            before=None,
            after={"note": note_id},
            now=now,
        )


async def ensure_no_open_warning(
    tx: Stores, user: User, history: AuthorContext | None = None
) -> None:
    """Refuse to post while a warning waits to be acknowledged (it is sent along).
    `history`: what posting read with the session, the oldest open warning among it."""
    if user.is_staff:
        return
    if history is not None:
        oldest = history.warning
    else:
        warnings = await tx.notes.open_warnings(user.id)
        oldest = (warnings[0]["id"], warnings[0]["text"]) if warnings else None
    if oldest is not None:
        raise WarningUnacknowledged(
            "read and acknowledge the moderators' warning before posting again",
            warning_id=oldest[0],
            warning_text=oldest[1],
        )
