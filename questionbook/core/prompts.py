"""The prompt of the day (issue 19): a question to start from, under the capture box.

Which prompt a day gets is deterministic from the date — every candidate is ranked by a hash of
the day and its key — so two devices agree, and the same day shows the same prompt all day.
The journal also remembers what it showed (``prompt_shown``, one row per local day): a prompt
shown in the 30 days before is not a candidate, so none comes back within a month, however the
hash falls. With fewer than 31 prompts to choose from (the built-ins turned off, a handful of
one's own) the one shown longest ago comes back first.

The built-in set is :mod:`questionbook.core.prompt_texts`; prompts the user adds are journal
rows (``prompt``), so they travel with the journal like templates. The settings turn the prompt
off (``daily_prompt``) or leave only the user's own (``builtin_prompts``); the service is built
with those two switches, so the app and the command line behave alike.
"""

from __future__ import annotations

import hashlib
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from questionbook.core import rows
from questionbook.core.errors import InvalidValue, QuestionBookError
from questionbook.core.prompt_texts import BUILTIN_PROMPTS
from questionbook.core.schema import PROMPT, PROMPT_SHOWN, PromptRow
from questionbook.core.store import Store
from questionbook.core.text import clean_text
from questionbook.core.timeutil import to_local, utcnow
from questionbook.i18n import _

#: A prompt is not shown again within this many days.
NO_REPEAT_DAYS = 30
BUILTIN = "builtin:"
MAX_PROMPT_CHARS = 300
_BUILTIN_TEXT = dict(BUILTIN_PROMPTS)


class PromptNotFound(QuestionBookError):
    """No prompt of the user's has that id (or id prefix)."""


@dataclass(frozen=True, slots=True)
class Prompt:
    """A prompt: ``key`` is ``builtin:p01`` or the id of one the user wrote."""

    key: str
    text: str
    builtin: bool

    def to_json(self) -> dict[str, object]:
        return {"key": self.key, "text": self.text, "builtin": self.builtin}


@dataclass(frozen=True, slots=True)
class DailyPrompt:
    day: date
    prompt: Prompt


def _rank(day: date, key: str) -> bytes:
    return hashlib.sha256(f"{day.isoformat()}|{key}".encode()).digest()


def choose(day: date, pool: list[str], shown: dict[str, date]) -> str:
    """The prompt for *day* among *pool*: the first by the day's hash that was not shown in
    the 30 days before *day* (*shown*: the last day each key was shown before it); if every
    one was, the one shown longest ago."""
    recent = day - timedelta(days=NO_REPEAT_DAYS)
    fresh = [k for k in pool if k not in shown or shown[k] < recent]
    if fresh:
        return min(fresh, key=lambda k: _rank(day, k))
    return min(pool, key=lambda k: (shown[k], _rank(day, k)))


class PromptService:
    """Today's prompt, and the prompts the user added."""

    def __init__(
        self,
        db: Store,
        *,
        clock: Callable[[], datetime] = utcnow,
        tz: tzinfo | None = None,
        enabled: bool = True,
        builtin: bool = True,
    ) -> None:
        self.db = db
        self.clock = clock
        self.tz = tz
        self.enabled = enabled
        self.builtin = builtin

    def today(self) -> date:
        return to_local(self.clock(), self.tz).date()

    def for_today(self) -> DailyPrompt | None:
        """Today's prompt (remembered, so it stays all day and is not repeated within a
        month); ``None`` when prompts are turned off or there are none to show."""
        return self.for_day(self.today(), remember=True)

    def for_day(self, day: date, *, remember: bool = False) -> DailyPrompt | None:
        """The prompt of local *day*: the one remembered for it, else the one chosen now
        (remembered if *remember*; a write only the first time a day is asked for)."""
        if not self.enabled:
            return None
        with self.db.read() as conn:
            found = self._shown_on(conn, day)
            if found is not None or not remember:
                return found or self._choose(conn, day)
        with self.db.write() as conn:
            found = self._shown_on(conn, day)  # another window may have just chosen it
            if found is None:
                found = self._choose(conn, day)
                if found is not None:  # (a day whose prompt is gone or off: chosen anew)
                    conn.execute("DELETE FROM prompt_shown WHERE day = ?", (day.isoformat(),))
                    rows.insert(
                        conn,
                        PROMPT_SHOWN,
                        {"day": day, "prompt": found.prompt.key, "shown_at": self.clock()},
                    )
            return found

    def prompts(self, *, include_builtin: bool = False) -> list[Prompt]:
        """The user's prompts, oldest first (and the built-ins before them, if asked)."""
        with self.db.read() as conn:
            own = self._own(conn)
        builtins = [self._builtin(k) for k, _t in BUILTIN_PROMPTS] if include_builtin else []
        return builtins + own

    def add(self, text: str) -> Prompt:
        """Add a prompt of one's own (one line; at most 300 characters)."""
        cleaned = " ".join(clean_text(text).split())
        if not cleaned:
            raise InvalidValue(_("a prompt needs some text"))
        if len(cleaned) > MAX_PROMPT_CHARS:
            raise InvalidValue(_("a prompt is at most {n} characters").format(n=MAX_PROMPT_CHARS))
        new = PromptRow(id=str(uuid.uuid4()), text=cleaned, created_at=self.clock())
        with self.db.write() as conn:
            if any(p.text.casefold() == cleaned.casefold() for p in self._own(conn)):
                raise InvalidValue(_("you already have that prompt"))
            rows.insert(conn, PROMPT, new)
        return Prompt(new.id, new.text, False)

    def remove(self, ref: str) -> Prompt:
        """Remove one of the user's prompts by its id or a unique prefix (4+ characters).
        The days it was shown keep their memory of it."""
        low = ref.strip().lower()
        with self.db.write() as conn:
            own = self._own(conn)
            matches = [p for p in own if p.key == low or (len(low) >= 4 and p.key.startswith(low))]
            if len(matches) != 1:
                raise PromptNotFound(_("no prompt of yours with id {id!r}").format(id=ref))
            conn.execute("DELETE FROM prompt WHERE id = ?", (matches[0].key,))
            return matches[0]

    # -- internals ---------------------------------------------------------------------------
    @staticmethod
    def _builtin(key: str) -> Prompt:
        return Prompt(f"{BUILTIN}{key}", _(_BUILTIN_TEXT[key]), True)

    @staticmethod
    def _own(conn: sqlite3.Connection) -> list[Prompt]:
        found = rows.fetch(
            conn, PromptRow, PROMPT, "SELECT {columns} FROM prompt ORDER BY created_at, id"
        )
        return [Prompt(r.id, r.text, False) for r in found]

    def _lookup(self, conn: sqlite3.Connection, key: str) -> Prompt | None:
        """The prompt *key* if it can be shown now (a built-in only while they are on)."""
        if key.startswith(BUILTIN):
            short = key[len(BUILTIN) :]
            return self._builtin(short) if self.builtin and short in _BUILTIN_TEXT else None
        row = conn.execute("SELECT text FROM prompt WHERE id = ?", (key,)).fetchone()
        return None if row is None else Prompt(key, str(row[0]), False)

    def _shown_on(self, conn: sqlite3.Connection, day: date) -> DailyPrompt | None:
        row = conn.execute(
            "SELECT prompt FROM prompt_shown WHERE day = ?", (day.isoformat(),)
        ).fetchone()
        prompt = None if row is None else self._lookup(conn, str(row[0]))
        return None if prompt is None else DailyPrompt(day, prompt)

    def _choose(self, conn: sqlite3.Connection, day: date) -> DailyPrompt | None:
        pool = [f"{BUILTIN}{k}" for k, _t in BUILTIN_PROMPTS] if self.builtin else []
        pool += [p.key for p in self._own(conn)]
        if not pool:
            return None
        shown: dict[str, date] = {}
        for key, last in conn.execute(
            "SELECT prompt, max(day) FROM prompt_shown WHERE day < ? GROUP BY prompt",
            (day.isoformat(),),
        ):
            shown[str(key)] = date.fromisoformat(str(last))
        key = choose(day, pool, shown)
        prompt = self._lookup(conn, key)
        assert prompt is not None
        return DailyPrompt(day, prompt)
