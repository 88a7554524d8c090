"""The SQLAlchemy metadata of the journal, derived from :mod:`questionbook.core.schema`.

Only Alembic uses it (migrations' ``env.py`` and the test that holds the migrations to the
declarations with ``alembic check``); the program itself reads and writes with
:mod:`questionbook.core.rows`. Importing this module imports SQLAlchemy, so only migration code
may import it.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from questionbook.core.columns import Column, Table
from questionbook.core.schema import TABLES

#: Stored times are fixed-width ISO 8601 text in UTC, so they sort in time order.
TIME_TEXT_LENGTH = 32
#: Calendar days (``entry.revisit_on``) are ``YYYY-MM-DD``: a date, not an instant.
DATE_TEXT_LENGTH = 10


def _type(col: Column) -> Any:
    if col.codec == "int":
        return sa.Integer()
    if col.codec == "bool":
        return sa.Boolean()
    if col.codec == "time":
        return sa.String(length=TIME_TEXT_LENGTH)
    if col.codec == "date":
        return sa.String(length=DATE_TEXT_LENGTH)
    if col.codec == "blob":
        return sa.LargeBinary()
    return sa.String(length=col.length) if col.length else sa.String()


def _column(col: Column) -> sa.Column[Any]:
    args: list[Any] = [col.name, _type(col)]
    if col.references:
        args.append(sa.ForeignKey(col.references, ondelete=col.on_delete))
    return sa.Column(
        *args,
        primary_key=col.primary,
        nullable=col.nullable,
        index=col.index or None,
        unique=col.unique or None,
        autoincrement=False if not (col.primary and col.codec == "int") else "auto",
    )


def _table(metadata: sa.MetaData, table: Table) -> sa.Table:
    return sa.Table(
        table.name,
        metadata,
        *(_column(c) for c in table.columns),
        *(sa.Index(ix.name, *ix.columns) for ix in table.indexes),
    )


def build_metadata() -> sa.MetaData:
    """A fresh :class:`sqlalchemy.MetaData` holding every table of the journal."""
    metadata = sa.MetaData()
    for table in TABLES.values():
        _table(metadata, table)
    return metadata


metadata = build_metadata()
