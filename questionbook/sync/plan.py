"""What sync needs to know of each table, derived from its declaration alone.

For every table whose :class:`~questionbook.core.columns.Sync` policy is not ``local``:

- the *key*: its natural key columns (an entry's UUID, a rating's entry, time, level and
  source), by which journals recognise the same row; local integer ids never travel;
- the *values*: the other columns that travel (not local ids, not derived columns);
- *references by natural key*: an integer foreign key (``entry_tag.tag_id``) is sent as the
  referenced row's natural key (the tag's ``key``) and turned back into the local id on the way
  in — generically, from ``Column.references``;
- the SQL for all that: a row's key as a JSON array, a ``WHERE`` that finds a row by its key.

Keys are compared as canonical JSON text (:func:`canon`), always produced here in Python.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from questionbook.core import rows
from questionbook.core.columns import Column, Table
from questionbook.core.schema import TABLES


@dataclass(frozen=True, slots=True)
class Ref:
    """A column holding a local id of another table's row: it travels as that row's natural
    key (a single column)."""

    column: str
    parent: str
    parent_column: str
    parent_key: str


@dataclass(frozen=True, slots=True)
class Cascade:
    """A column whose row is deleted with the row it refers to (``ON DELETE CASCADE``)."""

    column: str
    parent: str
    parent_column: str


@dataclass(eq=False)
class TablePlan:
    table: Table
    key: tuple[str, ...]
    values: tuple[str, ...]
    refs: dict[str, Ref]
    cascades: tuple[Cascade, ...]
    only: tuple[tuple[str, Any], ...]
    keep_losers: frozenset[str]
    #: Stored values for columns that do not travel but must be filled on insert.
    fill: dict[str, Any]
    blobs: frozenset[str]
    registry: dict[str, TablePlan] = field(repr=False)

    @property
    def name(self) -> str:
        return self.table.name

    @property
    def policy(self) -> str:
        assert self.table.sync is not None
        return self.table.sync.policy

    @property
    def local_deletes(self) -> bool:
        return bool(self.table.sync and self.table.sync.local_deletes)

    @property
    def columns(self) -> tuple[str, ...]:
        """Key columns, then value columns: the order of :meth:`select` results."""
        return self.key + self.values

    # -- SQL -------------------------------------------------------------------------------
    def column_sql(self, col: str, alias: str, depth: int = 0) -> str:
        """The travelling value of *col* of the row *alias* (a reference becomes the
        referenced row's natural key, looked up)."""
        ref = self.refs.get(col)
        if ref is None:
            return f"{alias}.{col}"
        parent, a = self.registry[ref.parent], f"_p{depth}"
        inner = parent.column_sql(ref.parent_key, a, depth + 1)
        return f"(SELECT {inner} FROM {ref.parent} AS {a} WHERE {a}.{ref.parent_column} = {alias}.{col})"

    def param_sql(self, col: str, depth: int = 0) -> str:
        """A placeholder for a travelling value of *col*, turned into the stored value."""
        ref = self.refs.get(col)
        if ref is None:
            return "?"
        parent, a = self.registry[ref.parent], f"_q{depth}"
        inner = parent.param_sql(ref.parent_key, depth + 1)
        return (
            f"(SELECT {a}.{ref.parent_column} FROM {ref.parent} AS {a} "
            f"WHERE {a}.{ref.parent_key} IS {inner})"
        )

    def key_sql(self, alias: str) -> str:
        """The row's natural key as a JSON array (for the capture triggers)."""
        return "json_array(" + ", ".join(self.column_sql(c, alias) for c in self.key) + ")"

    def where_key(self, alias: str | None = None) -> str:
        """``WHERE`` condition finding a row by its key (one ``?`` per key column, in order)."""
        a = alias or self.name
        parts = []
        for col in self.key:
            op = "=" if col in self.refs else "IS"
            parts.append(f"{a}.{col} {op} {self.param_sql(col)}")
        return " AND ".join(parts)

    def only_sql(self, alias: str) -> str:
        """The policy's row filter for *alias* ("" when every row travels)."""
        return " AND ".join(f"{alias}.{col} IS {_literal(v)}" for col, v in self.only)

    def select(self, where: str = "") -> str:
        """``SELECT`` every travelling column (key first) of the rows matching *where*; rows
        outside the policy's filter are left out."""
        cols = ", ".join(self.column_sql(c, self.name) for c in self.columns)
        conds = [c for c in (where, self.only_sql(self.name)) if c]
        tail = f" WHERE {' AND '.join(conds)}" if conds else ""
        return f"SELECT {cols} FROM {self.name}{tail}"

    # -- values ----------------------------------------------------------------------------
    def split(self, row: Sequence[Any]) -> tuple[list[Any], dict[str, Any]]:
        """A :meth:`select` result as (key, values)."""
        n = len(self.key)
        values = dict(zip(self.values, row[n:], strict=True))
        for col in self.blobs & values.keys():
            if values[col] is not None:
                values[col] = _b64(values[col])
        return list(row[:n]), values

    def stored(self, col: str, value: Any) -> Any:
        """A travelling value as it is bound for *col* (blobs arrive as base64)."""
        if col in self.blobs and value is not None:
            import base64

            return base64.b64decode(value)
        return value


def _b64(value: bytes) -> str:
    import base64

    return base64.b64encode(value).decode("ascii")


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


def canon(key: Iterable[Any]) -> str:
    """A row key as canonical JSON text (how keys are stored and compared)."""
    return json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))


def _plan(table: Table, tables: Mapping[str, Table], registry: dict[str, TablePlan]) -> TablePlan:
    sync = table.sync
    assert sync is not None
    if not table.natural_key:
        raise ValueError(f"table {table.name} syncs but declares no natural key")
    key = tuple(table.column_of(f).name for f in table.natural_key)
    derived = {table.column_of(f).name for f in sync.derived}
    refs: dict[str, Ref] = {}
    cascades: list[Cascade] = []
    for col in table.columns:
        if not col.references:
            continue
        parent_name, _dot, parent_col = col.references.partition(".")
        parent = tables[parent_name]
        parent_key = tuple(parent.column_of(f).name for f in parent.natural_key)
        if parent_col not in parent_key:
            if len(parent_key) != 1:
                raise ValueError(f"{table.name}.{col.name}: the referenced key must be one column")
            refs[col.name] = Ref(col.name, parent_name, parent_col, parent_key[0])
        if (col.on_delete or "").upper() == "CASCADE":
            cascades.append(Cascade(col.name, parent_name, parent_col))
    values: list[str] = []
    fill: dict[str, Any] = {}
    for col in table.columns:
        if col.name in key:
            if col.codec == "blob":
                raise ValueError(f"{table.name}.{col.name}: a key column cannot be bytes")
            continue
        local_id = col.primary and col.codec == "int"
        if local_id or col.name in derived:
            if not col.nullable and not local_id:
                fill[col.name] = _empty(col)
            continue
        values.append(col.name)
    if sync.keep_losers is None:
        losers = {
            c.name for c in table.columns if c.name in values and c.codec == "text" and not c.length
        }
    else:
        losers = {table.column_of(f).name for f in sync.keep_losers}
    only = tuple(
        (table.column_of(f).name, rows.encode(table.column_of(f).codec, v)) for f, v in sync.only
    )
    return TablePlan(
        table=table,
        key=key,
        values=tuple(values),
        refs=refs,
        cascades=tuple(cascades),
        only=only,
        keep_losers=frozenset(losers),
        fill=fill,
        blobs=frozenset(c.name for c in table.columns if c.codec == "blob"),
        registry=registry,
    )


def _empty(col: Column) -> Any:
    return {"text": "", "tags": "", "int": 0, "bool": 0, "blob": b""}.get(col.codec, "")


def _ordered(tables: Mapping[str, Table]) -> list[Table]:
    """Synced tables, each after the tables it refers to (parents are applied first)."""
    synced = {n: t for n, t in tables.items() if t.sync is not None and t.sync.synced}
    done: list[Table] = []
    seen: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        if name in seen or name not in synced:
            return
        if name in path:
            raise ValueError(f"reference cycle through {name}")
        for col in synced[name].columns:
            parent = (col.references or "").partition(".")[0]
            if parent and parent != name:
                visit(parent, (*path, name))
        seen.add(name)
        done.append(synced[name])

    for name in synced:
        visit(name, ())
    return done


def build_plans(tables: Mapping[str, Table] | None = None) -> dict[str, TablePlan]:
    """A plan for every synced table, in apply order (referenced tables first)."""
    tables = TABLES if tables is None else tables
    registry: dict[str, TablePlan] = {}
    for table in _ordered(tables):
        registry[table.name] = _plan(table, tables, registry)
    return registry


PLANS = build_plans()


def undeclared(tables: Mapping[str, Table] | None = None) -> list[str]:
    """Tables that declare no sync policy yet (a test requires none)."""
    return [n for n, t in (TABLES if tables is None else tables).items() if t.sync is None]
