"""Sort orders, defined once: each sort's key columns, direction and cursor codec.

Every listing (comment pages, threads, first replies, moderation queues, user
histories) orders and paginates by this table (`storage/sql/order.py` turns a key into
ORDER BY and keyset terms), so a cursor always names the key its page was ordered by.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from townhall.domain.limits import MAX_ID
from townhall.domain.models import Comment, Sort
from townhall.errors import ValidationFailed

_INT_COLUMNS = frozenset({"id", "like_count"})


@dataclass(frozen=True, slots=True)
class SortKey:
    """A sort: comment columns, most significant first (ending with the unique id)."""

    columns: tuple[str, ...]
    descending: bool

    def encode(self, last: Comment) -> str:
        """An opaque cursor from the last row of a page."""
        values = [getattr(last, name) for name in self.columns]
        raw = orjson.dumps([v.isoformat() if isinstance(v, datetime) else v for v in values])
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    def decode(self, cursor: str) -> list[Any]:
        """The key inside a cursor made for this sort, or a 422 naming the cursor."""
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
            values = orjson.loads(raw)
            if not isinstance(values, list) or len(values) != len(self.columns):
                raise ValueError
            return [_value(name, v) for name, v in zip(self.columns, values, strict=True)]
        except (binascii.Error, ValueError, TypeError, orjson.JSONDecodeError):
            raise ValidationFailed(
                "cursor is not valid for this listing", field="cursor", rule="format"
            ) from None


def _value(name: str, value: Any) -> Any:
    if name in _INT_COLUMNS:
        # A database integer: anything wider would fail in the driver, not here.
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
            raise ValueError(name)
        return value
    if not isinstance(value, str):
        raise ValueError(name)
    return datetime.fromisoformat(value)


ORDERS: dict[Sort, SortKey] = {
    Sort.NEWEST: SortKey(("created_at", "id"), descending=True),
    Sort.OLDEST: SortKey(("created_at", "id"), descending=False),
    Sort.MOST_LIKED: SortKey(("like_count", "created_at", "id"), descending=True),
}
# A thread's replies read oldest first, whatever the page's sort.
THREAD = ORDERS[Sort.OLDEST]
