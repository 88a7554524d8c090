"""The list-row columns as SQLAlchemy expressions, for services that build their own SELECTs.

Searching itself is plain SQL in :mod:`questionbook.core.search_sql` (shared with the command
line's quick path); the review, the summary and the app's sidebar select list rows with
SQLAlchemy and convert them with the same :func:`summary_from_row`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from questionbook.core.models import EntryRecord
from questionbook.core.search_sql import HEAD_CHARS, SUMMARY_FIELDS, summary_from_row

__all__ = ["SUMMARY_COLUMNS", "summary_from_row"]

E = EntryRecord.__table__.c  # type: ignore[attr-defined]

#: The columns of :data:`questionbook.core.search_sql.SUMMARY_FIELDS`, in that order.
SUMMARY_COLUMNS: tuple[Any, ...] = tuple(
    func.substr(E.body, 1, HEAD_CHARS).label("head") if f == "head" else E[f]
    for f in SUMMARY_FIELDS
)
