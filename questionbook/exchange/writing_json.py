"""The writing templates and the user's own prompts (issue 19) in the lossless JSON export.

They are journal rows, so a JSON export that is to hold everything carries them:
``"templates": [...]`` and ``"prompts": [...]``, each row as the fields of its declaration
(:class:`~questionbook.core.schema.TemplateRow`, :class:`~questionbook.core.schema.PromptRow`),
times as exact UTC text — a field added to those tables travels with no change here. Which
prompt each day showed is not exported: it is a memory of what this journal displayed, not
something the user wrote.

An import adds the rows the journal lacks (matched on their natural key, the id) and, for a
template the journal has too, takes the file's version when it was changed later.
"""

from __future__ import annotations

import sqlite3
from dataclasses import MISSING, fields
from typing import Any

from questionbook.core import rows
from questionbook.core.columns import Table
from questionbook.core.errors import ImportFormatError, InvalidValue
from questionbook.core.journal import Journal
from questionbook.core.schema import ENTRY_TEMPLATE, PROMPT
from questionbook.core.vocabulary import parse_kind
from questionbook.exchange.common import ImportReport, parse_day, parse_time, time_text
from questionbook.i18n import _, label_value

#: JSON key → table.
TABLES: dict[str, Table] = {"templates": ENTRY_TEMPLATE, "prompts": PROMPT}
_TYPES: dict[str, Any] = {"int": int, "bool": bool, "text": str}


def rows_json(journal: Journal) -> dict[str, list[dict[str, Any]]]:
    """Every row of the tables, as JSON objects by their declared fields."""
    out: dict[str, list[dict[str, Any]]] = {}
    with journal.reading() as conn:
        for key, table in TABLES.items():
            found: list[Any] = rows.fetch(
                conn, table.row, table, f"SELECT {{columns}} FROM {table.name}"
            )
            out[key] = [_to_json(table, row) for row in found]
    return out


def _to_json(table: Table, row: Any) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for col in table.columns:
        value = getattr(row, col.field)
        if col.codec == "time":
            value = time_text(value)
        elif col.codec == "date" and value is not None:
            value = value.isoformat()
        item[col.field] = value
    return item


def parse_rows(data: dict[str, Any], name: str) -> dict[str, list[Any]]:
    """The rows of the document's ``templates`` and ``prompts`` (absent: none), validated."""
    out: dict[str, list[Any]] = {}
    for key, table in TABLES.items():
        raw = data.get(key) or []
        if not isinstance(raw, list):
            raise ImportFormatError(_("{file}: {key!r} must be a list").format(file=name, key=key))
        out[key] = [_from_json(table, obj, f"{name}: {key} {n}") for n, obj in enumerate(raw, 1)]
    return out


def _from_json(table: Table, obj: Any, where: str) -> Any:
    if not isinstance(obj, dict):
        raise ImportFormatError(_("{where}: not an object").format(where=where))
    values: dict[str, Any] = {}
    defaults = {
        f.name
        for f in fields(table.row)
        if f.default is not MISSING or f.default_factory is not MISSING
    }
    for col in table.columns:
        value = obj.get(col.field)
        if value is None:
            if col.field in defaults and col.field not in obj:
                continue  # the declaration's default
            if not col.nullable:
                raise ImportFormatError(
                    _("{where}: missing {key!r}").format(where=where, key=col.field)
                )
            values[col.field] = None
            continue
        if col.codec == "time":
            values[col.field] = parse_time(value, f"{where}: {col.field}")
        elif col.codec == "date":
            values[col.field] = parse_day(value, f"{where}: {col.field}")
        elif (
            col.codec in _TYPES
            and isinstance(value, _TYPES[col.codec])
            and (col.codec == "bool" or not isinstance(value, bool))
        ):
            values[col.field] = value
        else:
            raise ImportFormatError(
                _("{where}: {key!r} has the wrong type").format(where=where, key=col.field)
            )
    if "kind" in values:  # a template's kind is one of ours
        try:
            values["kind"] = parse_kind(values["kind"]).value
        except InvalidValue as exc:
            raise ImportFormatError(label_value(where, exc)) from None
    try:
        return table.row(**values)
    except TypeError:
        raise ImportFormatError(_("{where}: not an object").format(where=where)) from None


def apply_rows(
    conn: sqlite3.Connection, incoming: dict[str, list[Any]], report: ImportReport, dry_run: bool
) -> None:
    """Add the rows the journal lacks; a template changed later in the file replaces ours."""
    for key, table in TABLES.items():
        (id_field,) = table.natural_key
        for row in incoming.get(key, ()):
            values = rows.row_values(row, skip_none_keys=False)
            found = conn.execute(
                f"SELECT {'updated_at' if 'updated_at' in table.by_field else 'NULL'} "
                f"FROM {table.name} WHERE {id_field} = ?",
                (values[id_field],),
            ).fetchone()
            if found is None:
                report.writing_added += 1
                if not dry_run:
                    rows.insert(conn, table, values)
            elif found[0] is not None and rows.decode_time(found[0]) < values["updated_at"]:
                report.writing_updated += 1
                if not dry_run:
                    changes = {k: v for k, v in values.items() if k != id_field}
                    rows.update(conn, table, changes, f"{id_field} = :k", {"k": values[id_field]})
