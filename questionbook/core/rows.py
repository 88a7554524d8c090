"""Rows in and out of SQLite, by column name, from the declarations in
:mod:`questionbook.core.schema`: the one layer every read and write of the journal goes through.

A *projection* is a dataclass whose field names are columns of one table (a whole row such as
:class:`~questionbook.core.entities.Entry`, or a part such as a list row); a field may instead
be computed by an SQL expression (``field(metadata=computed("substr(entry.body, 1, 400)"))``).
:func:`select_list` writes ``entry.tags_text AS tags, ...`` so every row comes back keyed by
field name, and :func:`fetch` turns it into the dataclass with the column's codec (stored UTC
text → aware datetime, ``YYYY-MM-DD`` → date, 0/1 → bool, joined tag names → a tuple). :func:`insert` and
:func:`update` encode the other way. Nothing here counts columns by position, so adding a
column changes no code here.

Standard library only: the command line runs these without importing SQLAlchemy.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
import typing
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypeVar, cast

from questionbook.core.columns import TAG_SEPARATOR, Codec, Column, Table, codec_of
from questionbook.core.timeutil import format_utc, parse_stored

T = TypeVar("T")
#: SQLite allows 32,766 bound parameters; lists of ids are sent in chunks well below that.
CHUNK = 500


def computed(sql: str) -> dict[str, Any]:
    """Metadata for a projection field computed by *sql* instead of read from a column."""
    return {"qb_sql": sql}


def split_tags(tags_text: str | None) -> tuple[str, ...]:
    return tuple(t for t in (tags_text or "").split(TAG_SEPARATOR) if t)


def decode_time(value: Any) -> Any:
    return None if value is None else parse_stored(str(value))


def _decode_bool(value: Any) -> Any:
    return None if value is None else bool(value)


def decode_date(value: Any) -> Any:
    return None if value is None else date.fromisoformat(str(value))


_DECODERS: dict[Codec, Callable[[Any], Any] | None] = {
    "text": None,
    "int": None,
    "bool": _decode_bool,
    "time": decode_time,
    "date": decode_date,
    "tags": split_tags,
    "blob": None,
}


def encode(codec: Codec, value: Any) -> Any:
    """A Python value as stored in a column of *codec*."""
    if value is None:
        return None
    if codec == "time":
        return format_utc(value)
    if codec == "date":
        return value.isoformat()
    if codec == "bool":
        return int(bool(value))
    if codec == "tags":
        return TAG_SEPARATOR.join(value)
    return value


@functools.cache
def _plan(proj: type, table: Table, alias: str) -> tuple[str, tuple[tuple[str, Any], ...]]:
    """The select list for *proj* over *table* and, per field, its decoder."""
    hints = typing.get_type_hints(proj)
    parts: list[str] = []
    decoders: list[tuple[str, Any]] = []
    for f in dataclasses.fields(proj):
        sql = f.metadata.get("qb_sql")
        if sql is not None:
            parts.append(f"{sql} AS {f.name}")
            codec, _nullable = codec_of(hints[f.name])
        else:
            col = table.column_of(f.name)
            parts.append(f"{alias}.{col.name} AS {f.name}")
            codec = col.codec
        decoders.append((f.name, _DECODERS[codec]))
    return ", ".join(parts), tuple(decoders)


def select_list(proj: type, table: Table, alias: str | None = None) -> str:
    """``alias.column AS field, ...`` for every field of *proj* (a projection of *table*)."""
    return _plan(proj, table, alias or table.name)[0]


def decoder(proj: type[T], table: Table, alias: str | None = None) -> Callable[[Any], T]:
    """A function turning a row of :func:`select_list` (a :class:`sqlite3.Row`) into *proj*."""
    plan = _plan(cast(type, proj), table, alias or table.name)[1]

    def decode(row: Any) -> T:
        return proj(**{name: (fn(row[name]) if fn else row[name]) for name, fn in plan})

    return decode


def row_type(cur: sqlite3.Cursor) -> type:
    """``sqlite3.Row``, or the Row class of the driver the cursor belongs to: SQLCipher's
    connections (an encrypted journal) name theirs ``row_type``, since ``sqlite3.Row`` refuses
    a cursor that is not the standard library's."""
    return getattr(cur.connection, "row_type", sqlite3.Row)


def fetch(
    conn: sqlite3.Connection,
    proj: type[T],
    table: Table,
    sql: str,
    params: Sequence[Any] | Mapping[str, Any] = (),
    *,
    alias: str | None = None,
) -> list[T]:
    """Run *sql* — whose select list is ``{columns}``, filled with :func:`select_list` — and
    decode every row into *proj*."""
    cur = conn.execute(sql.format(columns=select_list(proj, table, alias)), params)
    by_position = _by_position(cast(type, proj), table, alias or table.name)
    if by_position is not None and len(cur.description or ()) == by_position[0]:
        _n, converters = by_position
        out = []
        for row in cur:
            values = list(row)
            for i, convert in converters:
                values[i] = convert(values[i])
            out.append(proj(*values))
        return out
    cur.row_factory = row_type(cur)
    decode = decoder(proj, table, alias)
    return [decode(row) for row in cur]


@functools.cache
def _by_position(
    proj: type, table: Table, alias: str
) -> tuple[int, tuple[tuple[int, Callable[[Any], Any]], ...]] | None:
    """For :func:`fetch`: the number of columns of *proj*'s select list and, by position, the
    decoders of those that need one; ``None`` if *proj* cannot be built from positional values.

    Building a projection from the row's values in select-list order, with no ``sqlite3.Row``
    and no keyword per field, takes about a third off reading 100,000 entries (an export)."""
    if not all(f.init and not f.kw_only for f in dataclasses.fields(proj)):
        return None
    plan = _plan(proj, table, alias)[1]
    return len(plan), tuple((i, fn) for i, (_name, fn) in enumerate(plan) if fn is not None)


def fetch_with_key(
    conn: sqlite3.Connection,
    proj: type[T],
    table: Table,
    key: str,
    sql: str,
    params: Sequence[Any] | Mapping[str, Any] = (),
) -> list[tuple[Any, T]]:
    """Like :func:`fetch`, each row paired with the value of column *key* (the entry a history
    event belongs to, say), which the projection itself leaves out."""
    columns = f"{table.name}.{key} AS _key, {select_list(proj, table)}"
    cur = conn.execute(sql.format(columns=columns), params)
    by_position = _by_position(cast(type, proj), table, table.name)
    if by_position is not None and len(cur.description or ()) == by_position[0] + 1:
        _n, converters = by_position
        out = []
        for row in cur:
            values = list(row[1:])
            for i, convert in converters:
                values[i] = convert(values[i])
            out.append((row[0], proj(*values)))
        return out
    cur.row_factory = row_type(cur)
    decode = decoder(proj, table)
    return [(row["_key"], decode(row)) for row in cur]


def encode_values(table: Table, values: Mapping[str, Any]) -> dict[str, Any]:
    """Field values as column values (keys become column names)."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        col: Column = table.column_of(name)
        out[col.name] = encode(col.codec, value)
    return out


def row_values(row: Any, *, skip_none_keys: bool = True) -> dict[str, Any]:
    """A declaration dataclass instance as field values, leaving out an unset integer key."""
    values = {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
    if skip_none_keys and values.get("id", 0) is None:
        del values["id"]
    return values


def insert(conn: sqlite3.Connection, table: Table, values: Mapping[str, Any] | Any) -> int:
    """Insert one row (field values, or a row dataclass); returns its rowid."""
    if not isinstance(values, Mapping):
        values = row_values(values)
    stored = encode_values(table, values)
    names = ", ".join(stored)
    marks = ", ".join(f":{n}" for n in stored)
    cur = conn.execute(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", stored)
    return int(cur.lastrowid or 0)


@functools.cache
def _row_plan(
    table: Table, fields: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[tuple[int, Callable[[Any], Any]], ...]]:
    """Column names for *fields* and, by position, the encoders of those that need one."""
    columns = [table.column_of(f) for f in fields]
    encoders = tuple(
        (i, functools.partial(encode, c.codec))
        for i, c in enumerate(columns)
        if c.codec not in ("text", "int", "blob")
    )
    return tuple(c.name for c in columns), encoders


def _encoded_groups(
    table: Table, rows: Iterable[Mapping[str, Any]]
) -> dict[tuple[str, ...], list[list[Any]]]:
    """Rows as lists of column values, grouped by their column names (in the rows' order).

    Bulk writes (an import writes 100,000 entries) encode every value here: one cached plan
    per set of fields instead of a lookup and a codec test per value.
    """
    groups: dict[tuple[str, ...], list[list[Any]]] = {}
    plans: dict[tuple[str, ...], Any] = {}
    for values in rows:
        fields = tuple(values)
        plan = plans.get(fields)
        if plan is None:
            plan = plans[fields] = _row_plan(table, fields)
            groups[plan[0]] = []
        names, encoders = plan
        row = list(values.values())
        for i, enc in encoders:
            if row[i] is not None:
                row[i] = enc(row[i])
        groups[names].append(row)
    return groups


def insert_many(conn: sqlite3.Connection, table: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert many rows of the same fields in one ``executemany`` per set of fields."""
    for names, group in _encoded_groups(table, rows).items():
        marks = ", ".join("?" * len(names))
        conn.executemany(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", group)


def row_encoder(table: Table, fields: Sequence[str]) -> Callable[[Iterable[Any]], list[Any]]:
    """Encodes the values of *fields*, in that order, as :func:`insert_encoded` takes them.

    For bulk writes whose values are encoded somewhere else than where they are written (an
    import's reading process): a list per row, no field names."""
    _names, encoders = _row_plan(table, tuple(fields))

    def encoded(values: Iterable[Any]) -> list[Any]:
        row = list(values)
        for i, enc in encoders:
            if row[i] is not None:
                row[i] = enc(row[i])
        return row

    return encoded


def insert_encoded(
    conn: sqlite3.Connection, table: Table, fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> None:
    """Insert rows of *fields*' values already encoded (:func:`row_encoder`), in one
    ``executemany``."""
    names, _encoders = _row_plan(table, tuple(fields))
    marks = ", ".join("?" * len(names))
    conn.executemany(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({marks})", rows)


def update(
    conn: sqlite3.Connection,
    table: Table,
    changes: Mapping[str, Any],
    where: str,
    params: Mapping[str, Any],
) -> int:
    """``UPDATE table SET ... WHERE where``; *changes* are field values. Returns rows changed."""
    if not changes:
        return 0
    stored = encode_values(table, changes)
    sets = ", ".join(f"{n} = :set_{n}" for n in stored)
    bound = {f"set_{n}": v for n, v in stored.items()} | dict(params)
    return conn.execute(f"UPDATE {table.name} SET {sets} WHERE {where}", bound).rowcount


def update_many(
    conn: sqlite3.Connection, table: Table, key: str, changes: Iterable[Mapping[str, Any]]
) -> None:
    """Many ``UPDATE``s by *key* (a field each mapping also holds), one ``executemany`` per set
    of changed fields (bulk imports)."""
    key_column = table.column_of(key).name
    for names, group in _encoded_groups(table, changes).items():
        at = names.index(key_column)
        sets = [n for n in names if n != key_column]
        if sets:
            conn.executemany(
                f"UPDATE {table.name} SET {', '.join(f'{n} = ?' for n in sets)} "
                f"WHERE {key_column} = ?",
                ([*row[:at], *row[at + 1 :], row[at]] for row in group),
            )


def placeholders(prefix: str, values: Sequence[Any]) -> tuple[str, dict[str, Any]]:
    """``:p0, :p1, ...`` and their parameters, for an ``IN (...)`` list."""
    params = {f"{prefix}{i}": v for i, v in enumerate(values)}
    return ", ".join(f":{name}" for name in params), params


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]
