"""Learning from moderators: their decisions on held comments as labelled examples, and
how precise the automatic holds were, per guideline."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any, TextIO

import orjson

from townhall.domain import limits
from townhall.domain.models import User
from townhall.errors import ValidationFailed
from townhall.presenter import iso
from townhall.services.context import Context
from townhall.storage.sql.decisions import stream_decisions

FORMATS = ("jsonl", "csv")
# The columns of an exported example, in order (docs/moderation.md describes each).
FIELDS = (
    "id",
    "site",
    "comment_id",
    "decided_at",
    "decision",
    "label",
    "guideline",
    "moderator_id",
    "text",
    "findings",
)


def parse_since(value: str | None) -> datetime | None:
    """A date (2026-11-01) or date and time (2026-11-01T08:00:00+00:00); UTC when no zone."""
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            f"--since must be a date such as 2026-11-01, not {value!r}",
            field="since",
            rule="date",
        ) from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def _example(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "site": row["site_id"],
        "comment_id": row["comment_id"],
        "decided_at": iso(row["decided_at"]),
        "decision": row["decision"],
        # 1: the moderator agreed it breaks the guidelines (rejected); 0: approved.
        "label": 1 if row["decision"] == "reject" else 0,
        "guideline": row["guideline"],
        "moderator_id": row["moderator_id"],
        "text": row["body"],
        "findings": row["findings"] or [],
    }


async def examples(
    ctx: Context, *, site_id: str | None = None, since: datetime | None = None
) -> AsyncIterator[dict[str, Any]]:
    """Every labelled example, oldest first, streamed from the database."""
    async with ctx.db.read() as conn:
        async for row in stream_decisions(conn, site_id=site_id, since=since):
            yield _example(row)


async def export_decisions(
    ctx: Context,
    out: TextIO,
    *,
    fmt: str = "jsonl",
    site_id: str | None = None,
    since: datetime | None = None,
) -> int:
    """Write the labelled examples as JSON Lines or CSV; returns how many."""
    if fmt not in FORMATS:
        raise ValidationFailed(
            f"format must be one of {', '.join(FORMATS)}", field="format", rule="enum"
        )
    writer = csv.writer(out, lineterminator="\n") if fmt == "csv" else None
    if writer is not None:
        writer.writerow(FIELDS)
    count = 0
    async for ex in examples(ctx, site_id=site_id, since=since):
        if writer is None:
            out.write(orjson.dumps(ex).decode() + "\n")
        else:
            writer.writerow(
                [orjson.dumps(ex[k]).decode() if k == "findings" else ex[k] for k in FIELDS]
            )
        count += 1
    return count


async def hold_precision(ctx: Context, staff: User, days: int) -> dict[str, Any]:
    """Per guideline, over the last `days` days: automatic holds that moderators decided,
    approved and rejected, and the precision (rejected / decided)."""
    if not limits.PRECISION_DAYS_MIN <= days <= limits.PRECISION_DAYS_MAX:
        raise ValidationFailed(
            f"days must be between {limits.PRECISION_DAYS_MIN} and {limits.PRECISION_DAYS_MAX}",
            field="days",
            rule="range",
        )
    now = ctx.clock()
    since = now - timedelta(days=days)
    async with ctx.read() as tx:
        rows = await tx.decisions.tally(staff.site_id, since)
    for r in rows:
        r["precision"] = round(r["rejected"] / r["decided"], 4) if r["decided"] else None
    decided = sum(r["decided"] for r in rows)
    rejected = sum(r["rejected"] for r in rows)
    return {
        "days": days,
        "since": iso(since),
        "until": iso(now),
        "guidelines": rows,
        "total": {
            "decided": decided,
            "approved": decided - rejected,
            "rejected": rejected,
            "precision": round(rejected / decided, 4) if decided else None,
        },
    }
