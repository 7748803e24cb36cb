"""The audit log as staff read it: filtered pages and CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

import orjson

from townhall.domain.limits import LIST_LIMIT_MAX
from townhall.domain.models import User
from townhall.errors import ValidationFailed
from townhall.presenter import iso
from townhall.services.context import Context

AUDIT_PAGE = 50
AUDIT_CSV_MAX = 10_000


def audit_json(row: dict[str, Any]) -> dict[str, Any]:
    """One audit entry for the API."""
    return {
        "id": row["id"],
        "created_at": iso(row["created_at"]),
        "actor_id": row["actor_id"],
        "actor_name": row["actor_name"],
        "action": row["action"],
        "target_type": row["target_type"],
        "target_id": row["target_id"],
        "before": row["before"],
        "after": row["after"],
    }


def _cursor_id(cursor: str | None) -> int | None:
    if not cursor:
        return None
    if not cursor.isdigit() or len(cursor) > 18:
        raise ValidationFailed(
            "cursor is not valid for this listing", field="cursor", rule="format"
        )
    return int(cursor)


async def list_audit(
    ctx: Context,
    staff: User,
    *,
    cursor: str | None = None,
    limit: int = AUDIT_PAGE,
    **filters: Any,
) -> dict[str, Any]:
    """Audit entries newest first, filtered, paginated by entry id."""
    if not 1 <= limit <= LIST_LIMIT_MAX:
        raise ValidationFailed(
            f"limit must be between 1 and {LIST_LIMIT_MAX}", field="limit", rule="range"
        )
    async with ctx.read() as tx:
        rows = await tx.audit.list(
            staff.site_id, before_id=_cursor_id(cursor), limit=limit + 1, **filters
        )
    entries = [audit_json(r) for r in rows[:limit]]
    nxt = str(entries[-1]["id"]) if len(rows) > limit else None
    return {"entries": entries, "next_cursor": nxt}


def _cell(value: Any) -> str:
    text = value if isinstance(value, str) else orjson.dumps(value).decode()
    # Spreadsheets run cells starting with these as formulas.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


async def audit_csv(ctx: Context, staff: User, **filters: Any) -> str:
    """The filtered audit log as CSV (newest first, at most AUDIT_CSV_MAX rows)."""
    async with ctx.read() as tx:
        rows = await tx.audit.list(staff.site_id, limit=AUDIT_CSV_MAX, **filters)
    out = io.StringIO()
    writer = csv.writer(out)
    cols = ["id", "created_at", "actor_id", "actor_name", "action", "target_type", "target_id"]
    writer.writerow([*cols, "before", "after"])
    for row in rows:
        entry = audit_json(row)
        writer.writerow(
            [
                *["" if entry[k] is None else _cell(str(entry[k])) for k in cols],
                "" if entry["before"] is None else _cell(entry["before"]),
                "" if entry["after"] is None else _cell(entry["after"]),
            ]
        )
    return out.getvalue()
