"""This journal's own sync bookkeeping (the ``local`` tables of :mod:`questionbook.core.sync_schema`).

- ``sync_state``: the device id, the folder, the clock, the last file number written, …;
- ``sync_peer``: per device, the change files applied (without a gap) and its clock seen;
- ``sync_version``: per synced row, the version of each field (``{"*": v, "title": v2}``);
- ``sync_applied``: every change file applied or written, by device, number and digest.

All functions work inside the caller's transaction.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from questionbook.core import rows
from questionbook.sync.hlc import Version, decode_version, encode_version

DEVICE, FOLDER, CLOCK, WRITTEN, NAME, LAST_SYNC, REPORT = (
    "device",
    "folder",
    "clock",
    "written_seq",
    "device_name",
    "last_sync",
    "last_report",
)


def get(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def put(conn: sqlite3.Connection, key: str, value: str | int) -> None:
    conn.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, str(value)),
    )


def delete(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM sync_state WHERE key = ?", (key,))


def get_int(conn: sqlite3.Connection, key: str) -> int:
    value = get(conn, key)
    try:
        return int(value) if value is not None else 0
    except ValueError:
        return 0


@dataclass
class Peer:
    device: str
    applied_seq: int = 0
    known_hlc: int = 0
    name: str = ""
    last_seen: datetime | None = None


def peers(conn: sqlite3.Connection) -> dict[str, Peer]:
    out: dict[str, Peer] = {}
    for device, applied, known, name, seen in conn.execute(
        "SELECT device, applied_seq, known_hlc, name, last_seen FROM sync_peer"
    ):
        out[device] = Peer(device, int(applied), int(known), name, rows.decode_time(seen))
    return out


def save_peer(conn: sqlite3.Connection, peer: Peer) -> None:
    conn.execute(
        "INSERT INTO sync_peer (device, applied_seq, known_hlc, name, last_seen) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (device) DO UPDATE SET "
        "applied_seq = excluded.applied_seq, known_hlc = excluded.known_hlc, "
        "name = excluded.name, last_seen = excluded.last_seen",
        (
            peer.device,
            peer.applied_seq,
            peer.known_hlc,
            peer.name,
            rows.encode("time", peer.last_seen),
        ),
    )


# -- field versions ---------------------------------------------------------------------------
#: In ``sync_version.versions``, the last known values of a row whose deletions stay local (a
#: tag): kept when the row is dropped, so its spelling still merges by version when it returns.
VALUES = "="
#: In ``sync_version.versions`` of a deleted row: what its deleter had seen (device → clock). A
#: row arriving whole later (from an old snapshot) stays deleted unless it brings something the
#: deleter had not seen.
TOMBSTONE = "~"


def decode_versions(text: str | None) -> dict[str, Version] | None:
    if text is None:
        return None
    try:
        raw = json.loads(text)
        return {str(k): decode_version(v) for k, v in raw.items() if k not in (VALUES, TOMBSTONE)}
    except (ValueError, AttributeError, TypeError):
        return {}


def decode_values(text: str | None) -> dict[str, Any] | None:
    try:
        values = json.loads(text or "{}").get(VALUES)
    except (ValueError, AttributeError):
        return None
    return values if isinstance(values, dict) else None


def encode_versions(versions: dict[str, Version], values: dict[str, Any] | None = None) -> str:
    default = versions.get("*")
    compact: dict[str, Any] = {
        k: encode_version(v) for k, v in sorted(versions.items()) if k == "*" or v != default
    }
    if values is not None:
        compact[VALUES] = values
    return json.dumps(compact, ensure_ascii=False, separators=(",", ":"))


def get_versions(conn: sqlite3.Connection, tbl: str, key: str) -> dict[str, Version] | None:
    """A row's field versions (None if the row is unknown, or deleted: see :func:`tombstone`)."""
    row = conn.execute(
        "SELECT versions FROM sync_version WHERE tbl = ? AND key = ?", (tbl, key)
    ).fetchone()
    if row is None or tombstone_of(row[0]) is not None:
        return None
    return decode_versions(row[0])


def tombstone_of(text: str | None) -> dict[str, int] | None:
    try:
        found = json.loads(text or "{}").get(TOMBSTONE)
    except (ValueError, AttributeError):
        return None
    if not isinstance(found, dict):
        return None
    return {str(d): int(h) for d, h in found.items() if isinstance(h, int)}


def tombstone(conn: sqlite3.Connection, tbl: str, key: str) -> dict[str, int] | None:
    """What the deleter of a deleted row had seen, or None."""
    row = conn.execute(
        "SELECT versions FROM sync_version WHERE tbl = ? AND key = ?", (tbl, key)
    ).fetchone()
    return None if row is None else tombstone_of(row[0])


def encode_tombstone(seen: dict[str, int]) -> str:
    return json.dumps({TOMBSTONE: dict(sorted(seen.items()))}, separators=(",", ":"))


def set_tombstone(conn: sqlite3.Connection, tbl: str, key: str, seen: dict[str, int]) -> None:
    conn.execute(
        "INSERT INTO sync_version (tbl, key, versions) VALUES (?, ?, ?) "
        "ON CONFLICT (tbl, key) DO UPDATE SET versions = excluded.versions",
        (tbl, key, encode_tombstone(seen)),
    )


def get_register(
    conn: sqlite3.Connection, tbl: str, key: str
) -> tuple[dict[str, Version], dict[str, Any] | None] | None:
    """A row's versions and, for a row whose deletions stay local, its last known values."""
    row = conn.execute(
        "SELECT versions FROM sync_version WHERE tbl = ? AND key = ?", (tbl, key)
    ).fetchone()
    if row is None:
        return None
    return decode_versions(row[0]) or {}, decode_values(row[0])


def set_versions(
    conn: sqlite3.Connection,
    tbl: str,
    key: str,
    versions: dict[str, Version],
    values: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        "INSERT INTO sync_version (tbl, key, versions) VALUES (?, ?, ?) "
        "ON CONFLICT (tbl, key) DO UPDATE SET versions = excluded.versions",
        (tbl, key, encode_versions(versions, values)),
    )


def drop_versions(conn: sqlite3.Connection, tbl: str, key: str) -> None:
    conn.execute("DELETE FROM sync_version WHERE tbl = ? AND key = ?", (tbl, key))


def version_of(versions: dict[str, Version] | None, col: str) -> Version | None:
    if not versions:
        return None
    return versions.get(col) or versions.get("*")


# -- files ------------------------------------------------------------------------------------
def is_applied(conn: sqlite3.Connection, device: str, seq: int, digest: str) -> bool:
    return (
        conn.execute(
            "SELECT 1 FROM sync_applied WHERE device = ? AND seq = ? AND digest = ?",
            (device, seq, digest),
        ).fetchone()
        is not None
    )


def mark_applied(conn: sqlite3.Connection, device: str, seq: int, digest: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO sync_applied (device, seq, digest) VALUES (?, ?, ?)",
        (device, seq, digest),
    )


def applied_seqs(conn: sqlite3.Connection, device: str, above: int) -> set[int]:
    return {
        int(r[0])
        for r in conn.execute(
            "SELECT seq FROM sync_applied WHERE device = ? AND seq > ?", (device, above)
        )
    }
