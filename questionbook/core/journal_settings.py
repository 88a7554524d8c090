"""Preferences that belong to the journal, not to one computer: they travel with sync.

When the weekly review happens (weekday and time) and when a week starts decide which week a
review covers and what it brings up, so two computers sharing a journal must agree on them.
They are kept in the ``journal_setting`` table (synced like entries, last change wins) once
sync is set up, seeded from this computer's settings file; where the table holds a value it
overrides the file. Window and look-and-feel settings (theme, language, editor font, window
geometry) stay in each computer's settings file and never travel.
"""

from __future__ import annotations

import dataclasses
import re
import sqlite3
from collections.abc import Mapping
from typing import Any

from questionbook.settings import Settings

#: The settings that travel with the journal.
JOURNAL_KEYS = ("review_weekday", "review_time", "week_start")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def read(conn: sqlite3.Connection) -> dict[str, str]:
    """The journal's own settings (only the keys it holds)."""
    return {
        str(k): str(v)
        for k, v in conn.execute("SELECT key, value FROM journal_setting")
        if k in JOURNAL_KEYS
    }


def write(conn: sqlite3.Connection, values: Mapping[str, Any]) -> None:
    """Store journal settings (valid ones only) inside the caller's transaction."""
    for key, value in values.items():
        if key in JOURNAL_KEYS and _valid(key, str(value)):
            conn.execute(
                "INSERT INTO journal_setting (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value "
                "WHERE journal_setting.value IS NOT excluded.value",
                (key, str(value)),
            )


def seed(conn: sqlite3.Connection, settings: Settings) -> None:
    """Copy this computer's values into the journal where it holds none yet."""
    have = read(conn)
    write(conn, {k: v for k, v in of_settings(settings).items() if k not in have})


def of_settings(settings: Settings) -> dict[str, str]:
    return {k: str(getattr(settings, k)) for k in JOURNAL_KEYS}


def overlay(settings: Settings, values: Mapping[str, str]) -> Settings:
    """*settings* with the journal's values where it has valid ones."""
    changes: dict[str, Any] = {}
    for key, value in values.items():
        if key in JOURNAL_KEYS and _valid(key, value):
            changes[key] = value if key == "review_time" else int(value)
    return dataclasses.replace(settings, **changes)


def _valid(key: str, value: str) -> bool:
    if key == "review_time":
        return bool(_TIME.match(value))
    return value.isdigit() and 1 <= int(value) <= 7
