"""One change to one row, as it travels in a change file (a line of JSON).

``{"t": table, "k": key, "o": "p"|"d", "v": {column: value}, "h": version(s), "f": 1}``

- ``o``: ``p`` puts values (inserting the row if it is missing and ``f`` says the values are
  the whole row), ``d`` deletes the row;
- ``h``: one version for every value (a fresh local change), or per column (``{"*": default,
  column: version}``) for a row sent as it stands (a snapshot, a row revived after a purge,
  a tag travelling with the manual link that uses it). History rows carry no version.

Values are stored column values (times as UTC text, booleans 0/1, bytes as base64); references
to local ids travel as the referenced row's natural key (:mod:`questionbook.sync.plan`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from questionbook.sync.hlc import Version, decode_version, encode_version

PUT, DELETE = "p", "d"


class BadRecord(ValueError):
    """A line of a change file that is not a valid change."""


@dataclass(slots=True)
class Change:
    table: str
    key: list[Any]
    op: str = PUT
    values: dict[str, Any] = field(default_factory=dict)
    #: One version for every value (a fresh change), or None.
    version: Version | None = None
    #: Per-column versions, ``"*"`` for the columns not named (a row sent as it stands).
    versions: dict[str, Version] | None = None
    #: The values are the whole row: a missing row may be inserted from them.
    full: bool = False

    def version_of(self, col: str) -> Version | None:
        if self.version is not None:
            return self.version
        if self.versions is not None:
            return self.versions.get(col) or self.versions.get("*")
        return None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"t": self.table, "k": self.key, "o": self.op}
        if self.op == PUT:
            out["v"] = self.values
        if self.version is not None:
            out["h"] = encode_version(self.version)
        elif self.versions is not None:
            out["h"] = {c: encode_version(v) for c, v in self.versions.items()}
        if self.full:
            out["f"] = 1
        return out

    @classmethod
    def from_json(cls, data: Any) -> Change:
        """A change from a decoded line; BadRecord if it is not one."""
        try:
            if not isinstance(data, dict):
                raise TypeError("not an object")
            table, key, op = data["t"], data["k"], data.get("o", PUT)
            if not isinstance(table, str) or not isinstance(key, list) or op not in (PUT, DELETE):
                raise TypeError("bad table, key or operation")
            values = data.get("v") or {}
            if not isinstance(values, dict) or not all(isinstance(k, str) for k in values):
                raise TypeError("bad values")
            for value in (*key, *values.values()):
                if not (value is None or isinstance(value, str | int | float)):
                    raise TypeError("bad value")
            version, versions = None, None
            h = data.get("h")
            if isinstance(h, str):
                version = decode_version(h)
            elif isinstance(h, dict):
                versions = {str(c): decode_version(v) for c, v in h.items()}
            elif h is not None:
                raise TypeError("bad version")
            return cls(table, key, op, values, version, versions, bool(data.get("f")))
        except (KeyError, TypeError, ValueError) as exc:
            raise BadRecord(str(exc)) from exc


def dump_lines(changes: Iterable[Change]) -> tuple[bytes, int]:
    """Changes as JSON lines (UTF-8), and how many."""
    parts: list[str] = []
    for change in changes:
        parts.append(json.dumps(change.to_json(), ensure_ascii=False, separators=(",", ":")))
    return ("\n".join(parts) + ("\n" if parts else "")).encode("utf-8"), len(parts)


def load_lines(data: bytes) -> Iterator[Change]:
    """Changes from JSON lines; BadRecord on the first bad line."""
    for line in data.split(b"\n"):
        if not line.strip():
            continue
        try:
            decoded = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BadRecord(str(exc)) from exc
        yield Change.from_json(decoded)
