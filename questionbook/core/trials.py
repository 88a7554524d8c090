"""AI trials: the record that the user put an entry to an AI, and what came of it.

A trial is evidence for an entry's hardness, never a rating: :mod:`questionbook.core.evidence`
weighs an entry's trials into a suggestion, and only :meth:`TrialService.accept_suggestion`
(the user's click or command) turns one into a rating, kept in the history with the source
``trial``. One method call is one user action and one transaction, as in the Journal.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta, tzinfo

from questionbook.core import entry_sql, rows
from questionbook.core.entities import Entry, Trial
from questionbook.core.errors import AmbiguousId, InvalidValue, TrialNotFound
from questionbook.core.evidence import (
    QUARTER_DAYS,
    Calibration,
    Evidence,
    WaterHint,
    calibration,
    waterline_hints,
    weigh,
)
from questionbook.core.schema import TRIAL
from questionbook.core.store import Store
from questionbook.core.text import clean_text
from questionbook.core.timeutil import to_utc, utcnow
from questionbook.core.vocabulary import parse_verdict
from questionbook.i18n import _

#: A prompt or answer longer than this is refused (an answer is kept whole, not cut).
MAX_TRIAL_CHARS = 2_000_000


def default_prompt(entry: Entry) -> str:
    """What "Ask AI" sends unless the user edits it: the entry's title and body."""
    return f"{entry.title}\n\n{entry.body}".strip() if entry.body.strip() else entry.title


def _text(value: str, what: str) -> str:
    text = clean_text(value or "")
    if len(text) > MAX_TRIAL_CHARS:
        raise InvalidValue(
            _("the {what} is too long ({n:,} characters; the limit is {limit:,})").format(
                what=what, n=len(text), limit=MAX_TRIAL_CHARS
            )
        )
    return text


def resolve_trial_id(conn: sqlite3.Connection, id_or_prefix: str) -> str:
    """The full id of the one trial whose id starts with *id_or_prefix* (4 characters or more)."""
    prefix = (id_or_prefix or "").strip().lower()
    if len(prefix) < 4:
        raise TrialNotFound(_("an id needs at least 4 characters: {id!r}").format(id=id_or_prefix))
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM trial WHERE id >= ? AND id < ? LIMIT 6", (prefix, prefix + "\uffff")
        )
    ]
    if not ids:
        raise TrialNotFound(_("no trial with id {id!r}").format(id=id_or_prefix))
    if len(ids) > 1:
        raise AmbiguousId(id_or_prefix, ids)
    return str(ids[0])


def load_trial(conn: sqlite3.Connection, id_or_prefix: str) -> Trial:
    full = resolve_trial_id(conn, id_or_prefix)
    return rows.fetch(conn, Trial, TRIAL, "SELECT {columns} FROM trial WHERE id = ?", (full,))[0]


def trials_of(conn: sqlite3.Connection, entry_ids: list[str]) -> dict[str, list[Trial]]:
    """The trials of *entry_ids* (every id present), each list newest first."""
    out: dict[str, list[Trial]] = {i: [] for i in entry_ids}
    for chunk in rows.chunks(entry_ids):
        marks, params = rows.placeholders("id", chunk)
        for trial in rows.fetch(
            conn,
            Trial,
            TRIAL,
            f"SELECT {{columns}} FROM trial WHERE entry_id IN ({marks}) ORDER BY asked_at DESC, id",
            params,
        ):
            out[trial.entry_id].append(trial)
    return out


def verdict_counts(conn: sqlite3.Connection, entry_id: str) -> dict[str, int]:
    return {
        v: int(n)
        for v, n in conn.execute(
            "SELECT verdict, count(*) FROM trial WHERE entry_id = ? GROUP BY verdict", (entry_id,)
        )
    }


class TrialService:
    """Trials over one journal database: add, judge, list, weigh, and calibrate the water."""

    def __init__(
        self, db: Store, *, clock: Callable[[], datetime] = utcnow, tz: tzinfo | None = None
    ) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz

    # -- writing -----------------------------------------------------------------------------
    def add(
        self,
        entry_id: str,
        *,
        verdict: str = "pending",
        model: str = "",
        prompt: str | None = None,
        answer: str = "",
        note: str = "",
        asked_at: datetime | None = None,
        trial_id: str | None = None,
    ) -> Trial:
        """Record a trial of the entry (an id or a unique prefix). The prompt defaults to the
        entry's title and body; *asked_at* to now."""
        checked = parse_verdict(verdict)
        with self.db.write() as conn:
            entry = entry_sql.load_entry(conn, entry_id)
            trial = Trial(
                id=trial_id or str(uuid.uuid4()),
                entry_id=entry.id,
                asked_at=to_utc(asked_at, self.tz) if asked_at else self.clock(),
                model=" ".join(clean_text(model).split()),
                prompt=_text(default_prompt(entry) if prompt is None else prompt, _("prompt")),
                answer=_text(answer, _("answer")),
                verdict=checked,
                note=clean_text(note).strip(),
            )
            rows.insert(conn, TRIAL, trial)
            return trial

    def judge(self, trial_id: str, verdict: str, note: str | None = None) -> Trial:
        """Give (or change) a trial's verdict, and its note if *note* is given."""
        checked = parse_verdict(verdict)
        with self.db.write() as conn:
            trial = load_trial(conn, trial_id)
            changes: dict[str, object] = {"verdict": checked}
            if note is not None:
                changes["note"] = clean_text(note).strip()
            rows.update(conn, TRIAL, changes, "id = :id", {"id": trial.id})
            return load_trial(conn, trial.id)

    def delete(self, trial_id: str) -> None:
        with self.db.write() as conn:
            full = resolve_trial_id(conn, trial_id)
            conn.execute("DELETE FROM trial WHERE id = ?", (full,))

    def accept_suggestion(self, entry_id: str) -> Entry:
        """Re-rate the entry as its trials suggest (the user accepted it); the rating history
        records the source ``trial``. Refused when the evidence suggests nothing."""
        from questionbook.core.entry_writes import change_entry

        with self.db.write() as conn:
            entry = entry_sql.load_entry(conn, entry_id)
            evidence = weigh(verdict_counts(conn, entry.id), entry.hardness)
            if evidence.suggestion is None:
                raise InvalidValue(_("the trials suggest no other rating for this entry"))
            return change_entry(
                conn,
                entry,
                {"hardness": evidence.suggestion},
                now=self.clock(),
                rating_source="trial",
            )

    # -- reading -----------------------------------------------------------------------------
    def get(self, trial_id: str) -> Trial:
        with self.db.read() as conn:
            return load_trial(conn, trial_id)

    def for_entry(self, entry_id: str) -> list[Trial]:
        """The entry's trials, newest first."""
        with self.db.read() as conn:
            full = entry_sql.resolve_id(conn, entry_id)
            return trials_of(conn, [full])[full]

    def evidence(self, entry_id: str) -> Evidence:
        """What the entry's trials say, and the rating they suggest (see
        :func:`~questionbook.core.evidence.evidence_text` for the editor's line)."""
        with self.db.read() as conn:
            entry = entry_sql.load_entry(conn, entry_id)
            return weigh(verdict_counts(conn, entry.id), entry.hardness)

    def calibration(self, since: datetime | None = None) -> Calibration:
        """Verdicts by hardness level (the entry's rating when it was tried), for Insights."""
        with self.db.read() as conn:
            return calibration(conn, since)

    def waterline_hints(self, now: datetime | None = None) -> list[WaterHint]:
        """What the last three months of trials say about the waterline (the review's
        waterline step shows them; the waterline stays the user's decision)."""
        now = now or self.clock()
        with self.db.read() as conn:
            waterline = entry_sql.current_waterline(conn)
            return waterline_hints(calibration(conn, now - timedelta(days=QUARTER_DAYS)), waterline)
