"""``questionbook doctor``: check a journal file and, with ``repair``, fix what can be fixed.

Checks, in order: the file is a QuestionBook database of a schema this version knows; SQLite's
full ``integrity_check``; the schema revision; the search index (its table and triggers exist,
FTS5's own ``integrity-check``, one index row per entry holding the entry's current text); and
orphaned rows (links and history pointing to missing entries, tags no entry uses).

Without ``repair`` the file is only read. With ``repair`` a backup is made first, then the index
is rebuilt, missing triggers re-created and orphans removed, all in one transaction. Damage that
``integrity_check`` finds cannot be repaired in place: the report points to a restore instead.
Unused tags are reported as a note, not a problem: editing an entry can leave them behind.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.errors import JournalError, StorageFull
from questionbook.i18n import N_, _, ngettext
from questionbook.storage.cipher import errors
from questionbook.storage.connection import (
    BUSY_TIMEOUT_MS,
    configure_connection,
    is_read_only,
    open_raw,
    read_only_message,
    read_only_uri,
    translate_error,
)
from questionbook.storage.fts import CREATE_STATEMENTS, FTS_TABLE, REBUILD_STATEMENTS, TRIGGERS
from questionbook.storage.probe import HEAD_REVISION, probe

if TYPE_CHECKING:
    from questionbook.storage.keyfile import JournalKey

OK, NOTE, PROBLEM, FIXED = "ok", "note", "problem", "fixed"

#: (code, description, count query, repair statement) for rows pointing to nothing.
ORPHANS: tuple[tuple[str, str, str, str], ...] = (
    (
        "orphan_entry_tags",
        N_("tag links to missing entries"),
        "SELECT count(*) FROM entry_tag WHERE entry_id NOT IN (SELECT id FROM entry)",
        "DELETE FROM entry_tag WHERE entry_id NOT IN (SELECT id FROM entry)",
    ),
    (
        "orphan_tag_links",
        N_("tag links to missing tags"),
        "SELECT count(*) FROM entry_tag WHERE tag_id NOT IN (SELECT id FROM tag)",
        "DELETE FROM entry_tag WHERE tag_id NOT IN (SELECT id FROM tag)",
    ),
    (
        "orphan_ratings",
        N_("hardness ratings of missing entries"),
        "SELECT count(*) FROM hardness_rating WHERE entry_id NOT IN (SELECT id FROM entry)",
        "DELETE FROM hardness_rating WHERE entry_id NOT IN (SELECT id FROM entry)",
    ),
    (
        "orphan_status_changes",
        N_("status changes of missing entries"),
        "SELECT count(*) FROM status_change WHERE entry_id NOT IN (SELECT id FROM entry)",
        "DELETE FROM status_change WHERE entry_id NOT IN (SELECT id FROM entry)",
    ),
    (
        "orphan_review_actions",
        N_("review actions on missing entries or reviews"),
        "SELECT count(*) FROM review_action WHERE entry_id NOT IN (SELECT id FROM entry) "
        "OR review_id NOT IN (SELECT id FROM review)",
        "DELETE FROM review_action WHERE entry_id NOT IN (SELECT id FROM entry) "
        "OR review_id NOT IN (SELECT id FROM review)",
    ),
    (
        "orphan_parents",
        N_("follow-ups linked to missing entries"),
        "SELECT count(*) FROM entry WHERE parent_id IS NOT NULL "
        "AND parent_id NOT IN (SELECT id FROM entry)",
        "UPDATE entry SET parent_id = NULL WHERE parent_id IS NOT NULL "
        "AND parent_id NOT IN (SELECT id FROM entry)",
    ),
)
UNUSED_TAGS = (
    "SELECT count(*) FROM tag WHERE id NOT IN (SELECT tag_id FROM entry_tag)",
    "DELETE FROM tag WHERE id NOT IN (SELECT tag_id FROM entry_tag)",
)
FTS_SHADOWS = ("data", "idx", "content", "docsize", "config")
_CHECK_TABLE = "temp.qb_doctor_fts"


def _stale_terms(conn: sqlite3.Connection) -> int:
    """How many terms' statistics differ between the index and a fresh index of the entries.

    The index may be contentless (it keeps tokens, not text), so it cannot be compared with the
    entries row by row; instead a fresh index is built in the connection's TEMP database with
    the same definition and the two are compared term by term through ``fts5vocab``. Any row
    whose indexed text differs from its entry changes some term's counts.
    """
    create = re.sub(rf"IF NOT EXISTS {FTS_TABLE}\b", _CHECK_TABLE, CREATE_STATEMENTS[0], count=1)
    fill = re.sub(
        rf"INSERT INTO {FTS_TABLE}\b",
        f"INSERT INTO {_CHECK_TABLE}",
        REBUILD_STATEMENTS[-1],
        count=1,
    )
    conn.execute(f"DROP TABLE IF EXISTS {_CHECK_TABLE}")
    conn.execute(create)
    try:
        conn.execute(fill)
        conn.execute(
            f"CREATE VIRTUAL TABLE temp.qb_vocab_live USING fts5vocab(main, {FTS_TABLE}, 'row')"
        )
        conn.execute(
            "CREATE VIRTUAL TABLE temp.qb_vocab_fresh USING fts5vocab(temp, qb_doctor_fts, 'row')"
        )
        live = "SELECT term, doc, cnt FROM temp.qb_vocab_live"
        fresh = "SELECT term, doc, cnt FROM temp.qb_vocab_fresh"
        return _count(
            conn,
            f"SELECT (SELECT count(*) FROM ({live} EXCEPT {fresh})) "
            f"+ (SELECT count(*) FROM ({fresh} EXCEPT {live}))",
        )
    finally:
        conn.execute("DROP TABLE IF EXISTS temp.qb_vocab_live")
        conn.execute("DROP TABLE IF EXISTS temp.qb_vocab_fresh")
        conn.execute(f"DROP TABLE IF EXISTS {_CHECK_TABLE}")


@dataclass(frozen=True)
class Finding:
    """One line of the doctor's report."""

    severity: str  # ok, note, problem or fixed
    code: str
    message: str


@dataclass
class DoctorReport:
    """Everything the doctor found; ``ok`` is what decides the exit status."""

    path: Path
    findings: list[Finding] = field(default_factory=list)
    backup: Path | None = None  # the copy made before repairing

    @property
    def ok(self) -> bool:
        return not any(f.severity == PROBLEM for f in self.findings)

    @property
    def problems(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == PROBLEM]

    def add(self, severity: str, code: str, message: str) -> None:
        self.findings.append(Finding(severity, code, message))


def _connect(path: Path, *, writable: bool, key: JournalKey | None = None) -> sqlite3.Connection:
    uri = path.resolve().as_uri() if writable else read_only_uri(path)
    conn = open_raw(uri, key=key, uri=True, isolation_level=None)
    if writable:
        configure_connection(conn)
    else:
        from questionbook.core.text import search_text
        from questionbook.storage.fts import SEARCH_FUNCTION

        conn.create_function(SEARCH_FUNCTION, 1, search_text, deterministic=True)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _count(conn: sqlite3.Connection, sql: str) -> int:
    return int(conn.execute(sql).fetchone()[0])


def _index_problems(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    """(code, message) for everything wrong with the search index and its triggers."""
    names = {r[0]: r[1] for r in conn.execute("SELECT name, type FROM sqlite_master")}
    problems = []
    missing = [t for t in TRIGGERS if names.get(t) != "trigger"]
    if missing:
        problems.append(
            (
                "triggers_missing",
                _("search index triggers are missing: {names}").format(names=", ".join(missing)),
            )
        )
    if names.get(FTS_TABLE) != "table":
        problems.append(("index_missing", _("the search index is missing")))
        return problems
    try:
        problems.extend(_index_content_problems(conn))
    except errors("DatabaseError") as exc:  # so broken that the table cannot even be read
        problems.append(
            ("index_corrupt", _("the search index is damaged: {reason}").format(reason=exc))
        )
    return problems


def _index_content_problems(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    problems = []
    conn.execute("BEGIN")  # the FTS5 check is written as an INSERT; roll it back regardless
    try:
        conn.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('integrity-check')")
    except errors("DatabaseError") as exc:
        problems.append(
            ("index_corrupt", _("the search index is damaged: {reason}").format(reason=exc))
        )
        return problems
    finally:
        conn.execute("ROLLBACK")
    entries = _count(conn, "SELECT count(*) FROM entry")
    indexed = _count(conn, f"SELECT count(*) FROM {FTS_TABLE}")
    missing_rows = _count(
        conn, f"SELECT count(*) FROM entry WHERE num NOT IN (SELECT rowid FROM {FTS_TABLE})"
    )
    if entries != indexed or missing_rows:
        problems.append(
            (
                "index_count",
                _("the search index has {indexed} rows for {entries} entries").format(
                    indexed=indexed, entries=entries
                ),
            )
        )
    stale = _stale_terms(conn)
    if stale:
        problems.append(
            (
                "index_stale",
                ngettext(
                    "the search index does not match the entries' text ({n} term differs)",
                    "the search index does not match the entries' text ({n} terms differ)",
                    stale,
                ).format(n=stale),
            )
        )
    return problems


def _check_contents(conn: sqlite3.Connection, report: DoctorReport, severity: str) -> bool:
    """Add findings for the index and orphans; returns True if anything needs repairing."""
    needs = False
    for code, message in _index_problems(conn):
        report.add(severity, code, message)
        needs = True
    for code, what, count_sql, _fix in ORPHANS:
        n = _count(conn, count_sql)
        if n:
            report.add(
                severity,
                code,
                ngettext("{n} orphaned row: {what}", "{n} orphaned rows: {what}", n).format(
                    n=n, what=_(what)
                ),
            )
            needs = True
    unused = _count(conn, UNUSED_TAGS[0])
    if unused:
        report.add(
            NOTE if severity == PROBLEM else severity,
            "unused_tags",
            ngettext(
                "{n} tag is not used by any entry", "{n} tags are not used by any entry", unused
            ).format(n=unused),
        )
        needs = True
    return check_attachments(conn, report, severity) or needs


#: Attachments (issue 18): blobs no entry holds (normal after an edit removed a picture's
#: reference: a note, freed by emptying the Trash or by --repair), attachment rows whose bytes
#: are missing, and blobs whose stored length differs from their recorded size (problems).
ORPHAN_BLOBS = (
    "SELECT count(*), coalesce(sum(size), 0) FROM attachment_blob "
    "WHERE sha256 NOT IN (SELECT sha256 FROM entry_attachment)",
    "DELETE FROM attachment_blob WHERE sha256 NOT IN (SELECT sha256 FROM entry_attachment)",
)
ATTACHMENT_PROBLEMS = (
    (
        "orphan_attachments",
        N_("attachments whose bytes are missing"),
        "SELECT count(*) FROM entry_attachment WHERE sha256 NOT IN "
        "(SELECT sha256 FROM attachment_blob) OR entry_id NOT IN (SELECT id FROM entry)",
        "DELETE FROM entry_attachment WHERE sha256 NOT IN (SELECT sha256 FROM attachment_blob) "
        "OR entry_id NOT IN (SELECT id FROM entry)",
    ),
    (
        "attachment_size",
        N_("attachments whose stored bytes differ from their recorded size"),
        "SELECT count(*) FROM attachment_blob WHERE length(data) != size",
        "",  # not repairable in place: a backup holds the bytes
    ),
)


def check_attachments(conn: sqlite3.Connection, report: DoctorReport, severity: str) -> bool:
    """Add findings about attachments; True if ``--repair`` has something to do."""
    needs = False
    for code, what, count_sql, _fix in ATTACHMENT_PROBLEMS:
        n = _count(conn, count_sql)
        if n:
            report.add(
                PROBLEM if code == "attachment_size" else severity,
                code,
                ngettext("{n} damaged row: {what}", "{n} damaged rows: {what}", n).format(
                    n=n, what=_(what)
                ),
            )
            needs = True
    n, size = conn.execute(ORPHAN_BLOBS[0]).fetchone()
    if n:
        from questionbook.core.attachments import human_size

        report.add(
            NOTE if severity == PROBLEM else severity,
            "orphan_blobs",
            ngettext(
                "{n} attachment ({size}) is not used by any entry",
                "{n} attachments ({size}) are not used by any entry",
                n,
            ).format(n=n, size=human_size(size)),
        )
        needs = True
    return needs


def repair_attachments(conn: sqlite3.Connection) -> None:
    """Inside :func:`_repair`'s transaction: drop rows without bytes, free unused bytes."""
    for *_rest, fix in ATTACHMENT_PROBLEMS:
        if fix:
            conn.execute(fix)
    conn.execute(ORPHAN_BLOBS[1])


def _forget_broken_index(conn: sqlite3.Connection) -> None:
    """Remove the index table's schema row when FTS5 cannot even load it (so DROP fails).

    Its shadow tables are ordinary tables and are dropped afterwards by :func:`_repair`.
    """
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("DELETE FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,))
    conn.execute("PRAGMA writable_schema = OFF")
    conn.execute("COMMIT")


def _repair(conn: sqlite3.Connection) -> bool:
    """Rebuild the index from scratch and remove orphans in one transaction.

    Returns False when the index table could not be dropped: the caller then forgets it
    (:func:`_forget_broken_index`), reconnects so the schema is re-read, and calls again.
    """
    conn.execute("BEGIN IMMEDIATE")
    try:
        try:
            conn.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        except errors("DatabaseError"):
            conn.execute("ROLLBACK")
            return False
        for trigger in TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        for shadow in FTS_SHADOWS:
            conn.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}_{shadow}")
        for statement in CREATE_STATEMENTS:
            conn.execute(statement)
        for statement in REBUILD_STATEMENTS:
            conn.execute(statement)
        for *_rest, fix in ORPHANS:
            conn.execute(fix)
        conn.execute(UNUSED_TAGS[1])
        repair_attachments(conn)
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return True


def check_journal(
    path: Path, *, repair: bool = False, key: JournalKey | None = None
) -> DoctorReport:
    """Examine the journal at *path* (encrypted: with *key*) and, if *repair*, fix the index
    and orphans (after a backup).

    Never raises for a bad file: every problem is a finding.
    """
    path = Path(path).expanduser()
    report = DoctorReport(path)
    _note_leftovers(path, report, repair)
    try:
        state = probe(path, key)
    except StorageFull as exc:  # the disk or the permissions, not the file
        report.add(PROBLEM, "access", str(exc))
        return report
    except JournalError as exc:
        report.add(PROBLEM, "file", str(exc))
        return report
    except OSError as exc:
        report.add(PROBLEM, "access", f"{path}: {exc.strerror or exc}")
        return report
    if not state.exists:
        report.add(PROBLEM, "file", _("there is no journal at {path}").format(path=path))
        return report
    key = key if state.encrypted else None
    if state.encrypted:
        _note_encryption(path, report)
    try:
        conn = _connect(path, writable=False, key=key)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check(20)")]
        finally:
            conn.close()
    except errors("DatabaseError") as exc:
        error = translate_error(exc)
        if isinstance(error, (StorageFull, JournalError)) and not _is_damage(error):
            report.add(PROBLEM, "access", str(error))
            return report
        rows = [str(exc)]
    if rows != ["ok"]:
        report.add(
            PROBLEM,
            "integrity",
            _("the file is damaged: {details}").format(details="; ".join(map(str, rows))),
        )
        return report
    report.add(OK, "integrity", _("the file passes SQLite's integrity check"))
    if state.revision == HEAD_REVISION:
        report.add(OK, "schema", _("schema revision {rev} is current").format(rev=state.revision))
    else:
        report.add(
            PROBLEM,
            "schema",
            _(
                "schema revision {rev} is not the current {head}; opening the journal upgrades it"
            ).format(rev=state.revision or "-", head=HEAD_REVISION),
        )
        return report
    if is_read_only(path):
        report.add(NOTE, "read_only", read_only_message(path))
        if repair:
            report.add(PROBLEM, "access", _("a read-only journal cannot be repaired"))
        else:
            report.add(
                NOTE,
                "contents",
                _("the search index and references are checked only in a writable journal"),
            )
        return report
    try:
        conn = _connect(path, writable=True, key=key)
    except errors() as exc:
        reason: object = translate_error(exc) or exc
        report.add(PROBLEM, "access", _("cannot open the journal: {reason}").format(reason=reason))
        return report
    try:
        if not _check_contents(conn, report, PROBLEM if not repair else NOTE):
            report.add(OK, "contents", _("the search index and all references are in order"))
        elif repair:
            from questionbook.storage.backup import make_backup

            report.backup = make_backup(path, label="pre-repair", key=key).path
            if not _repair(conn):
                _forget_broken_index(conn)
                conn.close()
                conn = _connect(path, writable=True, key=key)
                _repair(conn)
            report.findings = [
                f if f.severity != NOTE else Finding(FIXED, f.code, f.message)
                for f in report.findings
            ]
            after = DoctorReport(path)
            if _check_contents(conn, after, PROBLEM):
                report.findings.extend(after.findings)
    finally:
        conn.close()
    return report


def _note_encryption(path: Path, report: DoctorReport) -> None:
    """An encrypted journal: say so, and name any copy of its text still in the clear."""
    from questionbook.storage.encryption import plain_copies

    report.add(OK, "encryption", _("the journal is encrypted (SQLCipher 4, AES-256)"))
    for item in plain_copies(path):
        report.add(
            NOTE,
            "plain_copy",
            _("{file} is not encrypted: anyone who can read it can read your entries").format(
                file=item
            ),
        )


def _is_damage(error: Exception) -> bool:
    from questionbook.core.errors import JournalCorrupt

    return isinstance(error, JournalCorrupt)


def _note_leftovers(path: Path, report: DoctorReport, repair: bool) -> None:
    """List temporary files an interrupted backup or restore left behind (a note: the next
    run removes them; ``--repair`` does at once)."""
    from questionbook.storage.leftovers import journal_leftovers, remove

    found = journal_leftovers(path)
    removed = {item.path for item in remove(found)} if repair else set()
    for item in found:
        if item.path in removed:
            report.add(
                FIXED,
                "leftover",
                _(
                    "removed {file} ({size:,} bytes), left by an interrupted backup or restore"
                ).format(file=item.path, size=item.size),
            )
        else:
            report.add(
                NOTE,
                "leftover",
                _(
                    "{file} ({size:,} bytes) was left by an interrupted backup or restore; "
                    "the next run removes it"
                ).format(file=item.path, size=item.size),
            )
