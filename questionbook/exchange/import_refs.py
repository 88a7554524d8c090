"""An import's attachments and links: each entry's links as it is written, then the bytes,
then the attachment rows that need them.

The importer writes entries in bulk, bypassing
:func:`~questionbook.core.entry_sql.insert_entry`; this gives every entry it added or changed
the same links and attachment rows a save would (:mod:`questionbook.core.entry_refs`), inside
the import's one transaction. Bytes are copied in pieces from the file being imported; a file
that is missing, too large or does not match its declared SHA-256 is skipped with a note (its
references stay in the text and show as missing), never the whole import.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from questionbook.core import rows
from questionbook.core.attachments import (
    AttachmentError,
    BlobInfo,
    blob_info,
    parse_references,
    store_stream,
)
from questionbook.core.entry_refs import sync_attachment_refs
from questionbook.core.links import sync_links
from questionbook.core.schema import ENTRY_ATTACHMENT
from questionbook.exchange.common import ImportReport
from questionbook.exchange.incoming import ImportBatch, Incoming
from questionbook.i18n import label_value, ngettext

#: SQLite's default limit on one value (SQLITE_MAX_LENGTH) is 1,000,000,000 bytes.
MAX_IMPORTED_BYTES = 1_000_000_000


def store_blobs(
    conn: sqlite3.Connection,
    batch: ImportBatch,
    report: ImportReport,
    *,
    now: datetime,
    dry_run: bool,
) -> set[str]:
    """Store the batch's attachment bytes; returns the hashes now in the journal."""
    stored: set[str] = set()
    problems: list[str] = []
    added = 0
    for sha, blob in batch.blobs.items():
        if blob_info(conn, sha) is not None:
            stored.add(sha)
            continue
        try:
            if dry_run:
                with blob.opener():
                    pass
            else:
                info: BlobInfo = store_stream(
                    conn,
                    blob.opener,
                    blob.name,
                    limit=MAX_IMPORTED_BYTES,
                    now=now,
                    expected_sha256=sha,
                    mime=blob.mime,
                )
                assert info.sha256 == sha
        except (AttachmentError, OSError, ValueError) as exc:
            problems.append(label_value(blob.name, exc))
            continue
        stored.add(sha)
        added += 1
    report.attachments_added += added
    if problems:
        report.notes.append(
            ngettext(
                "{n} attachment could not be imported (its reference is kept): {list}",
                "{n} attachments could not be imported (their references are kept): {list}",
                len(problems),
            ).format(
                n=len(problems), list="; ".join(problems[:5]) + ("; …" if len(problems) > 5 else "")
            )
        )
    return stored


@dataclass(slots=True)
class HeldRefs:
    """An entry's attachment rows, written once the import has stored the file's bytes (a JSON
    file lists them after its entries): only what is needed, not the text."""

    entry_id: str
    fresh: bool
    listed: list[tuple[str, str, bool]] | None  # the file's (name, sha256, inline), if it says
    refs: list[tuple[str, str]]  # the text's attachment: references


def apply_links(
    conn: sqlite3.Connection,
    touched: list[tuple[Incoming, bool]],
    held: list[HeldRefs],
    now: datetime,
) -> None:
    """Links of the entries the import added (fresh) or changed; their attachment rows too
    when they have nothing to do with attachments, else noted in *held* for
    :func:`apply_attachments`."""
    for inc, fresh in touched:
        text = f"{inc.title}\n{inc.body}"
        if fresh and inc.attachments is None and "[[" not in text and "attachment:" not in text:
            continue  # most new entries: nothing to derive, no query at all
        sync_links(conn, inc.id, text, fresh=fresh)
        refs = parse_references(text)
        if inc.attachments is None and not refs:
            sync_attachment_refs(conn, inc.id, refs, now=now, fresh=fresh)
        else:
            held.append(HeldRefs(inc.id, fresh, inc.attachments, refs))


def apply_attachments(
    conn: sqlite3.Connection, held: list[HeldRefs], stored: set[str], now: datetime
) -> None:
    """Attachment rows of the entries in *held*: the files the import holds (*stored*)."""
    for h in held:
        fresh = h.fresh
        if h.listed is not None:
            if not fresh:
                conn.execute("DELETE FROM entry_attachment WHERE entry_id = ?", (h.entry_id,))
            seen: set[str] = set()
            attached = []
            for name, sha, inline in h.listed:
                if sha in stored and sha not in seen:
                    seen.add(sha)
                    attached.append(
                        {
                            "entry_id": h.entry_id,
                            "sha256": sha,
                            "name": name,
                            "inline": inline,
                            "added_at": now,
                        }
                    )
            rows.insert_many(conn, ENTRY_ATTACHMENT, attached)
            fresh = fresh and not attached
        sync_attachment_refs(conn, h.entry_id, h.refs, now=now, fresh=fresh)
