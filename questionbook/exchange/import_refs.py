"""An import's attachments and links: bytes stored first, then each entry's rows derived.

The importer writes entries in bulk, bypassing
:func:`~questionbook.core.entry_sql.insert_entry`; this gives every entry it added or changed
the same links and attachment rows a save would (:mod:`questionbook.core.entry_refs`), inside
the import's one transaction. Bytes are copied in pieces from the file being imported; a file
that is missing, too large or does not match its declared SHA-256 is skipped with a note (its
references stay in the text and show as missing), never the whole import.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from questionbook.core import rows
from questionbook.core.attachments import AttachmentError, BlobInfo, blob_info, store_stream
from questionbook.core.entry_refs import sync_refs
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


def apply_refs(
    conn: sqlite3.Connection, touched: list[tuple[Incoming, bool]], stored: set[str], now: datetime
) -> None:
    """Links and attachment rows of the entries the import added (fresh) or changed."""
    for inc, fresh in touched:
        if inc.attachments is not None:
            if not fresh:
                conn.execute("DELETE FROM entry_attachment WHERE entry_id = ?", (inc.id,))
            seen: set[str] = set()
            attached = []
            for name, sha, inline in inc.attachments:
                if sha in stored and sha not in seen:
                    seen.add(sha)
                    attached.append(
                        {
                            "entry_id": inc.id,
                            "sha256": sha,
                            "name": name,
                            "inline": inline,
                            "added_at": now,
                        }
                    )
            rows.insert_many(conn, ENTRY_ATTACHMENT, attached)
            fresh = fresh and not attached
        sync_refs(conn, inc.id, f"{inc.title}\n{inc.body}", now=now, fresh=fresh)
