"""jrnl journals: its JSON export and its plain-text journal file.

JSON: ``{"tags": {"@x": n}, "entries": [{"title", "body", "date": "YYYY-MM-DD",
"time": "HH:MM", "tags": ["@x"], "starred"}]}`` in local time without a zone.
Text: ``[YYYY-MM-DD HH:MM] Title`` (or the newer ``%F %r`` form, ``[2024-06-17 06:05:00 PM]``),
then body lines; a starred entry's heading ends with `` *``.

Mapping (docs/import-export.md): an entry is a *question* when its text ends with a question
mark (``?`` or ``？``), otherwise a *note*; ``@tag`` and ``#tag`` become tags without the
symbol; local times are read in the journal's time zone. jrnl has no ids, so each entry gets a
stable UUID (v5) from its minute and its text: importing the same journal again, or its JSON
export after its text file, finds the same entries instead of adding them twice.
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from questionbook.core.errors import ImportFormatError
from questionbook.core.timeutil import to_utc
from questionbook.exchange.incoming import ImportBatch, Incoming, normalise
from questionbook.i18n import _

NAMESPACE = uuid.UUID("6f1d3c52-8a53-4a39-9b0e-4a2f5c0d7e61")
_HEADING = re.compile(
    r"^\[(\d{4}-\d{2}-\d{2}) (\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)\] ?(.*)$"
)
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M:%S %p", "%I:%M %p", "%I:%M:%S%p", "%I:%M%p")
_AT_TAG = re.compile(r"(?<![\w@])@([^\W\d][\w\-/]*)")


def is_jrnl_heading(line: str) -> bool:
    return _HEADING.match(line.rstrip("\r")) is not None


_PLAIN_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2})(?::(\d{2}))?")


def _when(day: str, clock: str, where: str, tz: tzinfo | None) -> datetime:
    plain = _PLAIN_TIME.fullmatch(f"{day} {clock.strip()}")
    if plain:  # the usual 24-hour form, without strptime (a fifth of a 100k import's parsing)
        try:
            year, month, mday, hour, minute, second = (int(g or 0) for g in plain.groups())
            return to_utc(datetime(year, month, mday, hour, minute, second), tz)
        except ValueError:
            pass  # e.g. 2024-02-30: reported below like any other bad date
    for fmt in _TIME_FORMATS:
        try:
            local = datetime.strptime(f"{day} {clock.strip().upper()}", f"%Y-%m-%d {fmt}")
        except ValueError:
            continue
        return to_utc(local, tz)
    raise ImportFormatError(
        _("{where}: not a date and time: {value!r}").format(where=where, value=f"{day} {clock}")
    )


def stable_id(when: datetime, text: str) -> str:
    """The id of a jrnl entry: from its minute (UTC) and its whitespace-normalised text."""
    key = f"{when:%Y-%m-%dT%H:%M}|{' '.join(text.split())}"
    return str(uuid.uuid5(NAMESPACE, key))


def _kind(text: str) -> str:
    return "question" if text.rstrip().endswith(("?", "？")) else "note"


def _entry(
    title: str, body: str, when: datetime, tags: list[str], starred: bool, where: str
) -> Incoming:
    full = f"{title} {body}".strip()
    found = [m.group(1) for m in _AT_TAG.finditer(full)]
    return Incoming(
        id=stable_id(when, full),
        title=title,
        body=body,
        created_at=when,
        updated_at=when,
        kind=_kind(full),
        starred=starred,
        tags=tuple(t.lstrip("@#＃") for t in [*tags, *found]),
        where=where,
    )


def parse_jrnl_json(data: Any, name: str, tz: tzinfo | None = None) -> ImportBatch:
    """A jrnl ``--export json`` document → entries."""
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ImportFormatError(_("{file}: not a jrnl JSON export").format(file=name))
    batch = ImportBatch(format="jrnl", authoritative=False)
    for n, obj in enumerate(data["entries"], 1):
        where = _("{file}: entry {n}").format(file=name, n=n)
        if not isinstance(obj, dict):
            raise ImportFormatError(_("{where}: not an object").format(where=where))
        title, body = obj.get("title", ""), obj.get("body", "")
        day, clock = obj.get("date"), obj.get("time", "00:00")
        tags = obj.get("tags") or []
        if (
            not isinstance(title, str)
            or not isinstance(body, str)
            or not isinstance(day, str)
            or not isinstance(clock, str)
            or not isinstance(tags, list)
        ):
            raise ImportFormatError(
                _("{where}: title, body, date and time must be text").format(where=where)
            )
        inc = _entry(
            title.strip(),
            body.strip("\n"),
            _when(day, clock, where, tz),
            [str(t) for t in tags],
            bool(obj.get("starred")),
            where,
        )
        if normalise(inc) is None:
            batch.skip(_("no text"))
        else:
            batch.entries.append(inc)
    return batch


def parse_jrnl_text(text: str, name: str, tz: tzinfo | None = None) -> ImportBatch:
    """A jrnl plain-text journal file → entries."""
    batch = ImportBatch(format="jrnl", authoritative=False)
    current: tuple[int, datetime, str, bool] | None = None
    body: list[str] = []

    def finish() -> None:
        if current is None:
            return
        line_no, when, title, starred = current
        where = _("{file}: line {line}").format(file=name, line=line_no)
        inc = _entry(title, "\n".join(body).strip("\n"), when, [], starred, where)
        if normalise(inc) is None:
            batch.skip(_("no text"))
        else:
            batch.entries.append(inc)

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip("\r")
        m = _HEADING.match(line)
        if m:
            finish()
            title = m.group(3).rstrip()
            starred = title.endswith(" *") or title == "*"
            if starred:
                title = title[:-1].rstrip()
            where = _("{file}: line {line}").format(file=name, line=n)
            current = (n, _when(m.group(1), m.group(2), where, tz), title.strip(), starred)
            body = []
        elif current is None:
            if line.strip():
                raise ImportFormatError(
                    _(
                        "{file}: line {line}: expected an entry heading like "
                        "[2024-06-17 18:05] Title"
                    ).format(file=name, line=n)
                )
        else:
            body.append(line)
    finish()
    if current is None:
        raise ImportFormatError(_("{file}: no jrnl entries found").format(file=name))
    return batch


def read_jrnl(path: Path, text: str | None = None, tz: tzinfo | None = None) -> ImportBatch:
    """A jrnl file of either kind (JSON when it starts with ``{``)."""
    from questionbook.exchange.common import read_text
    from questionbook.exchange.json_format import load_json

    text = read_text(path) if text is None else text
    if text.lstrip().startswith("{"):
        return parse_jrnl_json(load_json(text, str(path)), str(path), tz)
    return parse_jrnl_text(text, str(path), tz)
