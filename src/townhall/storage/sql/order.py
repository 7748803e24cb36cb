"""Sort keys (domain/sorting.py) as SQL: ORDER BY terms and the keyset comparison."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, FromClause, Table, tuple_

from townhall.domain.sorting import ORDERS, THREAD, SortKey
from townhall.storage.sql.tables import comments

__all__ = ["ORDERS", "THREAD", "after", "order_by"]


def order_by(key: SortKey, table: Table | FromClause = comments) -> list[Any]:
    """The ORDER BY terms of a sort."""
    cols = [table.c[name] for name in key.columns]
    return [col.desc() for col in cols] if key.descending else [col.asc() for col in cols]


def after(key: SortKey, values: list[Any], table: Table = comments) -> ColumnElement[bool]:
    """Rows that come after a cursor's key in this order."""
    cols = tuple_(*(table.c[name] for name in key.columns))
    return cols < tuple_(*values) if key.descending else cols > tuple_(*values)
