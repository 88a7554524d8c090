"""Apply parsed entries to a journal: one transaction, bulk writes, an honest report.

Every format's parser turns its file into an :class:`ImportBatch` of :class:`Incoming` entries
(nothing is written while parsing, so a malformed file never touches the journal). Then
:func:`apply_batch` compares each entry with the journal by id and adds, updates or leaves it,
inside ONE ``BEGIN IMMEDIATE`` transaction: an error or a cancel rolls everything back. Rows
are written in bulk (``executemany`` through :mod:`questionbook.core.rows`), tags through the
journal's own :class:`~questionbook.core.entry_sql.TagBook`; new entries are indexed for search
page by page. A large file is read by a second process while its entries are applied
(:mod:`questionbook.exchange.reader_process`).

Two policies: our own formats are *authoritative* (the file holds every field, so an entry
that differs is replaced, histories included); foreign formats (jrnl, Day One) only own the
text, creation time, star and tags, so re-importing never undoes what the user did since
(a changed status or hardness, a new kind, the Trash).
"""

from __future__ import annotations

import sqlite3
from contextlib import nullcontext
from datetime import datetime
from typing import Any

from questionbook.core import rows
from questionbook.core.entities import Entry, Trial, WaterlineEvent
from questionbook.core.entry_sql import TagBook, load_histories, rating_row, status_row
from questionbook.core.journal import Journal
from questionbook.core.schema import (
    ENTRY,
    ENTRY_TAG,
    HARDNESS_RATING,
    REVIEW,
    REVIEW_ACTION,
    STATUS_CHANGE,
    TRIAL,
    WATERLINE_MARK,
)
from questionbook.core.tags import tag_key
from questionbook.exchange.common import PAGE, ImportReport, Progress, check_progress
from questionbook.exchange.import_refs import (
    HeldRefs,
    apply_attachments,
    apply_links,
    store_blobs,
)
from questionbook.exchange.incoming import ImportBatch, Incoming, IncomingReview
from questionbook.exchange.new_rows import (
    COMPARED,
    DEFAULTS,
    HARD_FIELDS,
    LINK_FIELDS,
    NEW_FIELDS,
    STAT_FIELDS,
    Indexer,
    history_rows,
    index_rows,
    level,
    stored,
)
from questionbook.exchange.writing_json import apply_rows
from questionbook.i18n import N_, _, ngettext
from questionbook.storage.bulk import indexes_built_at_end, larger_cache, unique_index
from questionbook.storage.fts import indexed_by_caller


def _value(inc: Incoming, name: str, existing: Entry | None) -> Any:
    """What the file says of field *name*; a field it does not hold keeps the journal's value
    (or the declaration's default for a new entry)."""
    if name in Incoming.__dataclass_fields__:
        return getattr(inc, name)
    if name in inc.more:
        return inc.more[name]
    return getattr(existing, name) if existing is not None else DEFAULTS[name]


def _tag_names(resolved: list[tuple[int, str, str]]) -> tuple[str, ...]:
    """``entry.tags`` for resolved tags: their names sorted by key (:meth:`TagBook.tags_text`)."""
    return tuple(sorted((name for _i, name, _k in resolved), key=tag_key))


_FOREIGN_OWNED = ("title", "body", "starred", "created_at")
#: Why an entry is left alone: an old export must never undo newer work.
NEWER_HERE = N_("changed in QuestionBook after the file was written; your version is kept")


def _known_ids(conn: sqlite3.Connection, ids: set[str], entry_by_id: str = "entry") -> set[str]:
    found: set[str] = set()
    for chunk in rows.chunks(sorted(ids), PAGE):
        marks, params = rows.placeholders("id", chunk)
        query = f"SELECT id FROM {entry_by_id} WHERE id IN ({marks})"
        found.update(r[0] for r in conn.execute(query, params))
    return found


def apply_batch(
    journal: Journal,
    batch: ImportBatch,
    report: ImportReport,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
    alone: bool = False,
) -> ImportReport:
    """Bring *batch* into the journal in one transaction (or only count, in a dry run).

    The entries come from ``batch.each()``: from memory, or parsed from the file a page at a
    time as they are applied (:class:`~questionbook.exchange.incoming.ImportBatch`), so a
    large import never holds them all. What a file says after its entries (attachments,
    waterline, reviews) is applied after them; so are the decisions that need the whole file:
    a follow-up of an entry that is neither in the journal nor anywhere in the file loses its
    link, and attachment rows are written once the bytes are stored.

    *alone*: this process does nothing else with the journal until the import ends (the
    command line), so a large import may skip the write-ahead log
    (:meth:`~questionbook.storage.database.Database.bulk_write`); a small one stays in it,
    where other processes can read while it writes.
    """
    seen: set[str] = set()
    # A streamed file's progress is in bytes (its entries are counted as they come).
    streamed = batch.streamed
    total = 0 if streamed else len(batch.ids) or len(batch.entries)
    if dry_run:
        transaction = journal.db.read()
    elif alone and (streamed or total >= BULK_ENTRIES):
        transaction = journal.db.bulk_write()
    else:
        transaction = journal.db.write()
    with transaction as conn:
        if not dry_run:
            conn.execute("PRAGMA defer_foreign_keys = ON")
        tags = TagBook(conn, preload=True, dry_run=dry_run)
        # Looked up by id through its index, whatever the statistics say (unique_index); None
        # once it is known that the journal had no entries (set below).
        entry_by_id: str | None = f'entry INDEXED BY "{unique_index(conn, ENTRY.name, "id")}"'
        now = journal.clock()
        check_progress(progress, 0, total)
        page: list[Incoming] = []
        trials: list[Trial] = []
        held: list[HeldRefs] = []
        #: Follow-ups of an entry not in the journal nor yet in the file: child → (parent,
        #: whether the child was written).
        waiting: dict[str, tuple[str, bool]] = {}
        provisional: set[str] = set()  # see _apply_page
        done = 0

        def flush() -> None:
            nonlocal done
            unseen = {i.parent_id for i in page if i.parent_id and i.parent_id not in seen}
            if unseen and entry_by_id is not None:  # further down the file, in the journal...
                unseen -= _known_ids(conn, unseen, entry_by_id)
            written = _apply_page(
                conn,
                page,
                batch.authoritative,
                batch.kept_fields,
                tags,
                report,
                dry_run=dry_run,
                now=now,
                held=held,
                unseen=unseen,
                provisional=provisional,
                index=index,  # the `with` below sets it before any page is flushed
                entry_by_id=entry_by_id,
            )
            for inc in page:
                if inc.parent_id is not None and inc.parent_id in unseen:
                    waiting[inc.id] = (inc.parent_id, inc.id in written)
            done += len(page)
            page.clear()
            if streamed and batch.reading is not None and batch.reading.size:
                check_progress(progress, batch.reading.read_bytes, batch.reading.size)
            else:
                check_progress(progress, done, total)

        def take(inc: Incoming) -> None:
            if inc.id in seen:
                report.skip(_("the same entry twice in the file"))
                return
            seen.add(inc.id)
            trials.extend(inc.trials or ())
            page.append(inc)
            if len(page) >= PAGE:
                flush()

        # New entries are indexed for search page by page, from search texts the reading
        # process may have computed already (Incoming.search).
        indexing = nullcontext(None) if dry_run else indexed_by_caller(conn)
        # Into a new journal, the tables' own indexes are built once at the end.
        bulk = nullcontext() if dry_run else indexes_built_at_end(conn, _BULK_TABLES)
        with larger_cache(conn), indexing as index, bulk as emptied:
            if emptied and ENTRY.name in emptied:
                # A journal with no entries: those in it later all came from this file, and
                # the file's duplicates never reach a page (`seen`). No page looks up its ids
                # (a search of the id index per entry: ~0.3 s at 100k).
                entry_by_id = None
            batch.each(take)
            if page:
                flush()
        # The whole file has been read: what it said besides its entries is known now.
        report.attachments_skipped += batch.attachments
        for reason, n in batch.skipped.items():
            report.skip(reason, n)
        report.notes.extend(batch.notes)
        # A follow-up of an entry that never came loses its link (the journal's own stays).
        dropped = [
            (child, wrote) for child, (parent, wrote) in waiting.items() if parent not in seen
        ]
        for child, wrote in dropped:
            # It changed only by following an entry that never came: it is as it was.
            if wrote and child in provisional:
                report.updated -= 1
                report.unchanged += 1
        if dropped and not dry_run:
            for chunk in rows.chunks([child for child, wrote in dropped if wrote]):
                marks, params = rows.placeholders("id", chunk)
                conn.execute(f"UPDATE entry SET parent_id = NULL WHERE id IN ({marks})", params)
        if dropped:
            report.notes.append(
                ngettext(
                    "{n} follow-up link dropped: the entry it follows is not in "
                    "the journal or the file",
                    "{n} follow-up links dropped: the entry they follow is not in "
                    "the journal or the file",
                    len(dropped),
                ).format(n=len(dropped))
            )
        stored = store_blobs(conn, batch, report, now=now, dry_run=dry_run)
        if not dry_run:
            apply_attachments(conn, held, stored, now)
        _apply_waterline(conn, batch.waterline, report, dry_run)
        _apply_reviews(conn, batch.reviews, report, dry_run, seen)
        _apply_trials(conn, trials, report, dry_run)
        apply_rows(conn, batch.writing, report, dry_run)
    return report


#: An import of at least this many entries (or of a file too large to read first) is "large":
#: see :func:`apply_batch`'s *alone*.
BULK_ENTRIES = 5_000

#: The tables an import fills in bulk (see :func:`~questionbook.storage.bulk.indexes_built_at_end`).
_BULK_TABLES = tuple(t.name for t in (ENTRY, ENTRY_TAG, HARDNESS_RATING, STATUS_CHANGE))


def _same(ex: Entry, inc: Incoming, old_keys: set[str], old_hist: dict[str, Any]) -> bool:
    """Whether a lossless file's *inc* holds exactly what the journal's *ex* does."""
    same = all(getattr(ex, c) == _value(inc, c, ex) for c in COMPARED)
    same = same and old_keys == {tag_key(t) for t in inc.tags}
    if same and inc.hardness_history is not None:
        old_h, old_s = old_hist[inc.id]
        same = old_h == inc.hardness_history and old_s == inc.status_history
    return same


TRIAL_KEPT = N_("an AI trial differs from the one in the journal; your version is kept")


def _apply_trials(
    conn: sqlite3.Connection, trials: list[Trial], report: ImportReport, dry_run: bool
) -> None:
    """Add the file's trials the journal lacks (matched by their UUID). A trial already here
    stays as it is, except that a verdict from the file replaces a ``pending`` one (judged on
    another device); nothing is deleted."""
    have: dict[str, Trial] = {}
    for chunk in rows.chunks(sorted({t.id for t in trials})):
        marks, params = rows.placeholders("id", chunk)
        sql = f"SELECT {{columns}} FROM trial WHERE id IN ({marks})"
        have.update((t.id, t) for t in rows.fetch(conn, Trial, TRIAL, sql, params))
    new, judged = [], []
    for trial in trials:
        old = have.get(trial.id)
        if old is None:
            new.append(rows.row_values(trial))
            have[trial.id] = trial
        elif old == trial:
            continue
        elif (
            old.verdict == "pending"
            and trial.verdict != "pending"
            and (old.entry_id == trial.entry_id)
        ):
            judged.append({"id": trial.id, "verdict": trial.verdict, "note": trial.note})
        else:
            report.skip(_(TRIAL_KEPT))
    report.trials_added += len(new)
    report.trials_updated += len(judged)
    if not dry_run:
        rows.insert_many(conn, TRIAL, new)
        rows.update_many(conn, TRIAL, "id", judged)


def _apply_page(
    conn: sqlite3.Connection,
    page: list[Incoming],
    authoritative: bool,
    kept: frozenset[str],
    tags: TagBook,
    report: ImportReport,
    *,
    dry_run: bool,
    now: datetime,
    held: list[HeldRefs],
    unseen: set[str],
    provisional: set[str],
    index: Indexer | None = None,
    entry_by_id: str | None,
) -> set[str]:
    """Add or update the entries of *page*; returns the ids it wrote (or would write).

    *index*: indexes the new entries for search (:func:`~questionbook.storage.fts.indexed_by_caller`).

    *entry_by_id*: the ``entry`` table as the page's ids are looked up in it; None when the
    journal is known to hold none of them (it had no entries before this import).

    *unseen*: the parents of the page's follow-ups that are neither in the journal nor yet in
    the file; an existing entry that changes only by following one of them is noted in
    *provisional* (see :func:`apply_batch`)."""
    existing: dict[str, Entry] = {}
    if entry_by_id is not None:
        marks, params = rows.placeholders("id", [i.id for i in page])
        query = f"SELECT {{columns}} FROM {entry_by_id} WHERE id IN ({marks})"
        existing = {e.id: e for e in rows.fetch(conn, Entry, ENTRY, query, params)}
    need_hist = [i.id for i in page if i.id in existing and i.hardness_history is not None]
    old_hist = load_histories(conn, need_hist) if need_hist else {}
    new_rows: list[list[Any]] = []
    new_hard: list[list[Any]] = []
    new_stat: list[list[Any]] = []
    new_links: list[tuple[str, int, int]] = []
    fresh: list[tuple[Incoming, tuple[str, ...]]] = []  # new entries and their tags
    links: list[dict[str, Any]] = []
    hard_rows: list[dict[str, Any]] = []
    stat_rows: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    relinked: list[str] = []
    rehistoried: list[str] = []
    touched: list[tuple[Incoming, bool]] = []  # added (True) or changed: links, attachments
    for inc in page:
        ex = existing.get(inc.id)
        if ex is None:
            resolved = tags.resolve(inc.tags)
            row, hard_new, stat_new = stored(inc)
            tag_names = _tag_names(resolved)
            row[-1] = rows.encode("tags", tag_names)
            new_rows.append(row)
            fresh.append((inc, tag_names))
            inline = inc.inline
            new_links += ((inc.id, tag_id, int(key in inline)) for tag_id, _n, key in resolved)
            new_hard += hard_new
            new_stat += stat_new
            report.added += 1
            touched.append((inc, True))
            continue
        old_keys = {tag_key(t) for t in ex.tags}
        if authoritative:
            for c in kept:  # the file does not hold it: the journal's value stands
                setattr(inc, c, getattr(ex, c))
            same = _same(ex, inc, old_keys, old_hist)
            if not same and ex.parent_id is None and inc.parent_id in unseen:
                # It follows an entry not read yet: written as the file says, but counted as
                # unchanged if that entry never comes (its link is then dropped again).
                parent, inc.parent_id = inc.parent_id, None
                if _same(ex, inc, old_keys, old_hist):
                    provisional.add(inc.id)
                inc.parent_id = parent
            if same:
                report.unchanged += 1
                continue
            if _touched(ex) > _touched(inc):
                report.skip(_(NEWER_HERE))
                continue
            values = {c: _value(inc, c, ex) for c in COMPARED}
            names = list(inc.tags)
            if inc.hardness_history is not None:
                rehistoried.append(inc.id)
                hard, stat = history_rows(inc)
                hard_rows += hard
                stat_rows += stat
            else:
                if ex.hardness != inc.hardness:
                    hard_rows.append(rating_row(inc.id, level(inc), "import", now))
                if ex.status != inc.status:
                    stat_rows.append(status_row(inc.id, inc.status, inc.outcome, now))
        else:
            if ex.deleted_at is not None:
                report.skip(_("in the Trash"))
                continue
            same = all(getattr(ex, c) == getattr(inc, c) for c in _FOREIGN_OWNED)
            if same and {tag_key(t) for t in inc.tags} <= old_keys:
                report.unchanged += 1
                continue
            if ex.updated_at > inc.updated_at:
                report.skip(_(NEWER_HERE))
                continue
            values = {c: getattr(inc, c) for c in _FOREIGN_OWNED}
            values["updated_at"] = inc.updated_at
            names = [*ex.tags, *inc.tags]
        resolved = tags.resolve(names)
        values["tags"] = _tag_names(resolved)
        values["id"] = inc.id
        changed.append(values)
        relinked.append(inc.id)
        links += tags.link_rows(inc.id, resolved, inc.inline)
        report.updated += 1
        touched.append((inc, False))
    written = {inc.id for inc, _fresh in touched}
    if dry_run:
        return written
    last = conn.execute("SELECT coalesce(max(num), 0) FROM entry").fetchone()[0]
    rows.insert_encoded(conn, ENTRY, NEW_FIELDS, new_rows)
    if index is not None and fresh:
        index(index_rows(conn, last, fresh))
    rows.update_many(conn, ENTRY, "id", changed)
    for table, ids in (
        (ENTRY_TAG, relinked),
        (HARDNESS_RATING, rehistoried),
        (STATUS_CHANGE, rehistoried),
    ):
        for chunk in rows.chunks(ids):
            marks, params = rows.placeholders("id", chunk)
            conn.execute(f"DELETE FROM {table.name} WHERE entry_id IN ({marks})", params)
    rows.insert_many(conn, ENTRY_TAG, links)
    rows.insert_encoded(conn, ENTRY_TAG, LINK_FIELDS, new_links)
    rows.insert_encoded(conn, HARDNESS_RATING, HARD_FIELDS, new_hard)
    rows.insert_encoded(conn, STATUS_CHANGE, STAT_FIELDS, new_stat)
    rows.insert_many(conn, HARDNESS_RATING, hard_rows)
    rows.insert_many(conn, STATUS_CHANGE, stat_rows)
    apply_links(conn, touched, held, now)
    return written


def _touched(entry: Any) -> datetime:
    """When an entry last changed: edits, moving to the Trash and reviews all count."""
    times = (entry.updated_at, entry.deleted_at, entry.last_reviewed_at)
    return max(t for t in times if t is not None)


def _apply_waterline(
    conn: sqlite3.Connection, marks: list[WaterlineEvent], report: ImportReport, dry_run: bool
) -> None:
    if not marks:
        return
    have = set(
        rows.fetch(conn, WaterlineEvent, WATERLINE_MARK, "SELECT {columns} FROM waterline_mark")
    )
    new = [m for m in marks if m not in have]
    report.waterline_added += len(new)
    if new and not dry_run:
        rows.insert_many(
            conn,
            WATERLINE_MARK,
            ({"level": m.level, "note": m.note, "set_at": m.set_at} for m in new),
        )


def _apply_reviews(
    conn: sqlite3.Connection,
    reviews: list[IncomingReview],
    report: ImportReport,
    dry_run: bool,
    batch_ids: set[str],
) -> None:
    if not reviews:
        return
    have = {r[0] for r in conn.execute("SELECT period FROM review")}
    wanted = {a[0] for r in reviews for a in r.actions}
    known = batch_ids | _known_ids(conn, wanted - batch_ids)
    for r in reviews:
        if r.period in have:
            continue
        have.add(r.period)
        report.reviews_added += 1
        if dry_run:
            continue
        review_id = rows.insert(
            conn,
            REVIEW,
            {
                "period": r.period,
                "started_at": r.started_at,
                "finished_at": r.finished_at,
                "waterline": r.waterline,
                "reflection": r.reflection,
                "step": r.step,
                "position": r.position,
            },
        )
        rows.insert_many(
            conn,
            REVIEW_ACTION,
            (
                {"review_id": review_id, "entry_id": e, "action": a, "detail": d, "acted_at": t}
                for e, a, d, t in r.actions
                if e in known
            ),
        )
