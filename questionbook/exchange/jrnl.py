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

import functools
import hashlib
import re
import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

from questionbook.core.errors import ImportFormatError, InvalidValue
from questionbook.core.timeutil import MAX_YEAR, MIN_YEAR, range_message, to_utc
from questionbook.exchange.incoming import ImportBatch, Incoming, normalise, read_once
from questionbook.i18n import _, label_value

NAMESPACE = uuid.UUID("6f1d3c52-8a53-4a39-9b0e-4a2f5c0d7e61")
_HEADING = re.compile(
    r"^\[(\d{4}-\d{2}-\d{2}) (\d{1,2}:\d{2}(?::\d{2})?(?: ?[AaPp][Mm])?)\] ?(.*)$"
)
_TIME_FORMATS = ("%H:%M", "%H:%M:%S", "%I:%M:%S %p", "%I:%M %p", "%I:%M:%S%p", "%I:%M%p")
# Starts with the "@" (then looks behind it), so the regex engine skips from "@" to "@".
_AT_TAG = re.compile(r"@(?<![\w@]@)([^\W\d][\w\-/]*)")


def is_jrnl_heading(line: str) -> bool:
    return _HEADING.match(line.rstrip("\r")) is not None


_PLAIN_TIME = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{1,2}):(\d{2})(?::(\d{2}))?")


def _local(local: datetime, where: str, tz: tzinfo | None) -> datetime:
    """A local jrnl time in UTC, if it lies in the supported years."""
    if not MIN_YEAR <= local.year <= MAX_YEAR:
        raise ImportFormatError(
            _("{where}: {value}: {reason}").format(
                where=where, value=local.strftime("%Y-%m-%d %H:%M"), reason=range_message()
            )
        )
    try:
        return to_utc(local, tz)
    except InvalidValue as exc:
        raise ImportFormatError(label_value(where, exc)) from None


def _when(day: str, clock: str, where: str, tz: tzinfo | None) -> datetime:
    plain = _PLAIN_TIME.fullmatch(f"{day} {clock.strip()}")
    if plain:  # the usual 24-hour form, without strptime (a fifth of a 100k import's parsing)
        try:
            local = datetime.fromisoformat(plain.group())  # its one-digit hour: handled below
        except ValueError:
            try:
                year, month, mday, hour, minute, second = (int(g or 0) for g in plain.groups())
                local = datetime(year, month, mday, hour, minute, second)
            except ValueError:
                local = None  # e.g. 2024-02-30: reported below like any other bad date
        if local is not None:
            return _local(local, where, tz)
    for fmt in _TIME_FORMATS:
        try:
            local = datetime.strptime(f"{day} {clock.strip().upper()}", f"%Y-%m-%d {fmt}")
        except ValueError:
            continue
        return _local(local, where, tz)
    raise ImportFormatError(
        _("{where}: not a date and time: {value!r}").format(where=where, value=f"{day} {clock}")
    )


_NAMESPACE_BYTES = NAMESPACE.bytes


def stable_id(when: datetime, text: str) -> str:
    """The id of a jrnl entry: from its minute (UTC) and its whitespace-normalised text.

    ``uuid.uuid5(NAMESPACE, key)``, written out: the same SHA-1 and the same bits, without
    building a ``UUID`` object for each of 100,000 entries."""
    key = f"{when.isoformat()[:16]}|{' '.join(text.split())}"  # YYYY-MM-DDTHH:MM (UTC)
    digest = bytearray(hashlib.sha1(_NAMESPACE_BYTES + key.encode("utf-8")).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _kind(text: str) -> str:
    return "question" if text.rstrip().endswith(("?", "？")) else "note"


def _entry(
    title: str, body: str, when: datetime, tags: list[str], starred: bool, where: str
) -> Incoming:
    full = f"{title} {body}".strip()
    found = [m.group(1) for m in _AT_TAG.finditer(full)] if "@" in full else []
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
    if not isinstance(data, dict):
        raise ImportFormatError(_("{file}: not a jrnl JSON export").format(file=name))
    return parse_jrnl_members(data.items(), name, tz)


def parse_jrnl_members(
    members: Iterable[tuple[str, Any]],
    name: str,
    tz: tzinfo | None = None,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """The members of a jrnl JSON export (``entries`` a list or an iterator of its items)."""
    batch = batch if batch is not None else ImportBatch(format="jrnl", authoritative=False)
    found = False
    for key, value in members:
        if key != "entries":
            continue
        if not isinstance(value, (list, Iterator)):
            break
        found = True
        _jrnl_json_entries(value, name, tz, batch)
    if not found:
        raise ImportFormatError(_("{file}: not a jrnl JSON export").format(file=name))
    return batch


def _jrnl_json_entries(
    items: Iterable[Any], name: str, tz: tzinfo | None, batch: ImportBatch
) -> None:
    for n, obj in enumerate(items, 1):
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
        if normalise(inc, with_tags=False) is None:
            batch.skip(_("no text"))
        else:
            batch.add(inc)


def parse_jrnl_text(text: str, name: str, tz: tzinfo | None = None) -> ImportBatch:
    """A jrnl plain-text journal (as one string) → entries."""
    return parse_jrnl_blocks(iter([text.splitlines()]), name, tz)


def parse_jrnl_blocks(
    blocks: Iterator[list[str]],
    name: str,
    tz: tzinfo | None = None,
    batch: ImportBatch | None = None,
) -> ImportBatch:
    """A jrnl plain-text journal, a block of lines at a time (so a large file is never held
    whole) → entries.

    Only a line that starts with ``[`` can be a heading; the lines between two headings
    become the body by slicing, so the million body lines of a large journal cost no Python
    step each."""
    batch = batch if batch is not None else ImportBatch(format="jrnl", authoritative=False)
    current: tuple[int, datetime, str, bool] | None = None
    body: list[str] = []
    first = 1  # the line number of the block's first line

    def finish() -> None:
        if current is None:
            return
        line_no, when, title, starred = current
        where = _("{file}: line {line}").format(file=name, line=line_no)
        inc = _entry(title, "\n".join(body).strip("\n"), when, [], starred, where)
        if normalise(inc, with_tags=False) is None:
            batch.skip(_("no text"))
        else:
            batch.add(inc)

    def nothing_before(lines: list[str], start: int, end: int) -> None:
        """Lines before the first heading may only be blank."""
        for k in range(start, end):
            if lines[k].strip():
                raise ImportFormatError(
                    _(
                        "{file}: line {line}: expected an entry heading like "
                        "[2024-06-17 18:05] Title"
                    ).format(file=name, line=first + k)
                )

    for lines in blocks:
        pos = 0
        for i in [i for i, line in enumerate(lines) if line[:1] == "["]:
            m = _HEADING.match(lines[i])
            if m is None:
                continue
            if current is None:
                nothing_before(lines, pos, i)
            else:
                body += lines[pos:i]
            finish()
            title = m.group(3).rstrip()
            starred = title.endswith(" *") or title == "*"
            if starred:
                title = title[:-1].rstrip()
            where = _("{file}: line {line}").format(file=name, line=first + i)
            current = (first + i, _when(m.group(1), m.group(2), where, tz), title.strip(), starred)
            body = []
            pos = i + 1
        if current is None:
            nothing_before(lines, pos, len(lines))
        else:
            body += lines[pos:]
        first += len(lines)
    finish()
    if current is None:
        raise ImportFormatError(_("{file}: no jrnl entries found").format(file=name))
    return batch


def read_jrnl(path: Path, tz: tzinfo | None = None) -> ImportBatch:
    """A jrnl file of either kind (JSON when it starts with ``{``), streamed."""
    from questionbook.exchange.reading import starts_like_json

    fill = functools.partial(_fill, path, tz, starts_like_json(path))
    return read_once(fill, ImportBatch(format="jrnl", authoritative=False), path)


def _fill(path: Path, tz: tzinfo | None, as_json: bool, batch: ImportBatch) -> None:
    """Parse the jrnl file at *path* into *batch* (a module-level function with its arguments
    bound, so a process of its own can run it: :mod:`~questionbook.exchange.reader_process`)."""
    from questionbook.exchange.reading import (
        TextChunks,
        iter_line_blocks,
        json_members,
        open_input,
    )

    def watch(chunks: TextChunks) -> TextChunks:
        batch.reading = chunks
        return chunks

    if as_json:
        parse_jrnl_members(json_members(path, watch=watch), str(path), tz, batch)
        return
    with open_input(path) as fh:
        chunks = watch(TextChunks(fh, str(path)))
        parse_jrnl_blocks(iter_line_blocks(iter(chunks)), str(path), tz, batch)
