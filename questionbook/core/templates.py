"""Writing templates (issue 19): several per kind, editable, one picked when capturing.

Where they live: in the journal (table ``entry_template``), not in the settings file. A
template is writing the user keeps and refines, like an entry; it should be there on every
computer that opens or syncs the journal, and in its backups. The settings file holds how *this*
computer shows things (window, theme), and is not synced.

The built-in templates live in code, in English with translations, so each user sees them in
their language. Editing or deleting one stores a row that replaces it (``builtin`` names it; a
deleted one is ``hidden``), whose id is derived from the built-in's key: two devices editing the
same built-in write the same row, which sync can then merge as one. :meth:`TemplateService.reset`
brings the built-ins back as shipped. A template is addressed by its id (``builtin:<key>`` for
a built-in, edited or not), a unique id prefix, or its name.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from questionbook.core import rows
from questionbook.core.errors import InvalidValue, QuestionBookError
from questionbook.core.schema import ENTRY_TEMPLATE, TemplateRow
from questionbook.core.store import Store
from questionbook.core.text import clean_text
from questionbook.core.timeutil import utcnow
from questionbook.core.vocabulary import Kind, parse_kind
from questionbook.i18n import N_, _

BUILTIN_PREFIX = "builtin:"
#: Derives the row id of an edited built-in from its key (the same on every device).
_NAMESPACE = uuid.UUID("5d1f8f64-3f0c-4f7e-9a55-2b6f0c1e9d19")
MAX_NAME_CHARS = 80
MAX_BODY_CHARS = 100_000
_KIND_ORDER = {k.value: i for i, k in enumerate(Kind)}


class TemplateNotFound(QuestionBookError):
    """No template has that id, id prefix or name."""


@dataclass(frozen=True, slots=True)
class BuiltinTemplate:
    key: str
    kind: str
    name: str  # marked with N_, translated when shown
    body: str


BUILTINS: tuple[BuiltinTemplate, ...] = (
    BuiltinTemplate(
        "question",
        "question",
        N_("A good question"),
        N_(
            "**What would count as an answer?**\n\n\n"
            "**Who has asked this before?**\n\n\n"
            "**What would I do with the answer?**\n"
        ),
    ),
    BuiltinTemplate(
        "question-above-water",
        "question",
        N_("Above the water"),
        N_(
            "**What would an AI answer today, and what would it miss?**\n\n\n"
            "**Which part of this only I can ask: my context, my taste, my stakes?**\n\n\n"
            "**How could I ask it so that even an AI would find it hard?**\n"
        ),
    ),
    BuiltinTemplate(
        "plan",
        "plan",
        N_("A plan"),
        N_(
            "**What does done look like?**\n\n\n"
            "**What is the first step I can take this week?**\n\n\n"
            "**What would make it ten times bigger: an elevator, not stairs?**\n\n\n"
            "**What could stop it, and what would I do then?**\n"
        ),
    ),
    BuiltinTemplate(
        "plan-moonshot",
        "plan",
        N_("Moonshot"),
        N_(
            "**If this worked beyond every expectation, what would it look like?**\n\n\n"
            "**What would an AI call impossible here, and why might it be wrong?**\n\n\n"
            "**Whom would I need, and what would I learn on the way?**\n"
        ),
    ),
    BuiltinTemplate(
        "note-day",
        "note",
        N_("Daily note"),
        N_(
            "**What did I notice today?**\n\n\n"
            "**What surprised me?**\n\n\n"
            "**What question did today leave me with?**\n"
        ),
    ),
    BuiltinTemplate(
        "note-week",
        "note",
        N_("Looking back on the week"),
        N_(
            "**What moved this week?**\n\n\n"
            "**What did an AI do for me that I used to do myself?**\n\n\n"
            "**What did I do that no AI could have done?**\n\n\n"
            "**What do I want to be curious about next week?**\n"
        ),
    ),
)
_BUILTIN_BY_KEY = {b.key: b for b in BUILTINS}


@dataclass(frozen=True, slots=True)
class Template:
    """A template as the user sees it: a built-in (as shipped or as edited) or their own."""

    id: str
    kind: str
    name: str
    body: str
    #: The built-in this is (``""``: the user's own).
    builtin: str = ""
    #: Whether the user changed a built-in (``reset`` brings back the original).
    edited: bool = False
    position: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "body": self.body,
            "builtin": bool(self.builtin),
            "edited": self.edited,
        }


def builtin_row_id(key: str) -> str:
    """The id of the row that replaces built-in *key* (the same on every device)."""
    return str(uuid.uuid5(_NAMESPACE, f"{BUILTIN_PREFIX}{key}"))


def _clean_name(name: str) -> str:
    cleaned = " ".join(clean_text(name).split())
    if not cleaned:
        raise InvalidValue(_("a template needs a name"))
    if len(cleaned) > MAX_NAME_CHARS:
        raise InvalidValue(
            _("a template's name is at most {n} characters").format(n=MAX_NAME_CHARS)
        )
    return cleaned


def _clean_body(body: str) -> str:
    cleaned = clean_text(body).replace("\r\n", "\n").replace("\r", "\n")
    if len(cleaned) > MAX_BODY_CHARS:
        raise InvalidValue(_("a template is at most {n:,} characters").format(n=MAX_BODY_CHARS))
    return cleaned


class TemplateService:
    """List, add, edit, delete and pick templates (the capture window and the CLI)."""

    def __init__(self, db: Store, *, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    # -- reading -----------------------------------------------------------------------------
    def templates(self, kind: Kind | str | None = None) -> list[Template]:
        """The templates of *kind* (default: all), each kind's default first: by kind, then
        position, then name."""
        with self.db.read() as conn:
            found = self._all(conn)
        if kind is not None:
            wanted = parse_kind(kind).value if isinstance(kind, str) else kind.value
            found = [t for t in found if t.kind == wanted]
        return found

    def get(self, ref: str) -> Template:
        """A template by its id, a unique id prefix (4+ characters) or its name."""
        with self.db.read() as conn:
            return self._resolve(self._all(conn), ref)

    def pick(self, kind: Kind | str, ref: str | None = None) -> Template | None:
        """What capture starts from: the template *ref*, or the kind's default (its first);
        ``None`` when the kind has none left."""
        if ref:
            return self.get(ref)
        found = self.templates(kind)
        return found[0] if found else None

    # -- writing -----------------------------------------------------------------------------
    def add(self, kind: Kind | str, name: str, body: str = "") -> Template:
        """A new template of *kind*, after the kind's others. Names are unique within a kind."""
        kind_value = parse_kind(kind).value if isinstance(kind, str) else kind.value
        name, body = _clean_name(name), _clean_body(body)
        now = self.clock()
        with self.db.write() as conn:
            current = self._all(conn, hidden=True)
            self._check_unique(current, kind_value, name)
            position = 1 + max((t.position for t in current if t.kind == kind_value), default=-1)
            new_id = str(uuid.uuid4())
            rows.insert(
                conn,
                ENTRY_TEMPLATE,
                TemplateRow(
                    id=new_id,
                    kind=kind_value,
                    name=name,
                    body=body,
                    position=position,
                    created_at=now,
                    updated_at=now,
                ),
            )
            return self._resolve(self._all(conn), new_id)

    def edit(
        self,
        ref: str,
        *,
        name: str | None = None,
        body: str | None = None,
        kind: Kind | str | None = None,
    ) -> Template:
        """Change a template's name, body or kind (a built-in is replaced by an edited copy)."""
        with self.db.write() as conn:
            current = self._all(conn)
            found = self._resolve(current, ref)
            changes: dict[str, object] = {}
            if name is not None:
                changes["name"] = _clean_name(name)
            if body is not None:
                changes["body"] = _clean_body(body)
            if kind is not None:
                changes["kind"] = parse_kind(kind).value if isinstance(kind, str) else kind.value
            new_kind = str(changes.get("kind", found.kind))
            new_name = str(changes.get("name", found.name))
            others = [t for t in current if t.id != found.id]
            self._check_unique(others, new_kind, new_name)
            self._store(conn, found, **changes)
            return self._resolve(self._all(conn), found.id)

    def delete(self, ref: str) -> Template:
        """Delete a template (a built-in is hidden; :meth:`reset` brings it back)."""
        with self.db.write() as conn:
            found = self._resolve(self._all(conn), ref)
            if found.builtin:
                self._store(conn, found, hidden=True)
            else:
                conn.execute("DELETE FROM entry_template WHERE id = ?", (found.id,))
            return found

    def make_default(self, ref: str) -> Template:
        """Put a template first among its kind's (capture picks it unless told otherwise)."""
        with self.db.write() as conn:
            current = self._all(conn)
            found = self._resolve(current, ref)
            first = min(t.position for t in current if t.kind == found.kind)
            if (
                found.position != first
                or sum(t.position == first for t in current if t.kind == found.kind) > 1
            ):
                self._store(conn, found, position=first - 1)
            return self._resolve(self._all(conn), found.id)

    def reset(self) -> int:
        """Bring back every built-in template as shipped (edits and deletions of built-ins
        are forgotten; the user's own templates stay). Returns how many were restored."""
        with self.db.write() as conn:
            return int(conn.execute("DELETE FROM entry_template WHERE builtin != ''").rowcount)

    # -- internals ---------------------------------------------------------------------------
    @staticmethod
    def _rows(conn: sqlite3.Connection) -> list[TemplateRow]:
        return rows.fetch(
            conn,
            TemplateRow,
            ENTRY_TEMPLATE,
            "SELECT {columns} FROM entry_template ORDER BY updated_at",
        )

    def _all(self, conn: sqlite3.Connection, *, hidden: bool = False) -> list[Template]:
        stored = self._rows(conn)
        replaced = {r.builtin: r for r in stored if r.builtin}  # the latest edit wins
        out: list[Template] = []
        for index, b in enumerate(BUILTINS):
            row = replaced.get(b.key)
            position = sum(1 for x in BUILTINS[:index] if x.kind == b.kind)
            if row is None:
                out.append(
                    Template(
                        f"{BUILTIN_PREFIX}{b.key}",
                        b.kind,
                        _(b.name),
                        _(b.body),
                        b.key,
                        False,
                        position,
                    )
                )
            elif hidden or not row.hidden:
                out.append(
                    Template(
                        f"{BUILTIN_PREFIX}{b.key}",
                        row.kind,
                        row.name,
                        row.body,
                        b.key,
                        True,
                        row.position,
                    )
                )
        for row in stored:
            if not row.builtin:
                out.append(Template(row.id, row.kind, row.name, row.body, "", False, row.position))
        return sorted(
            out, key=lambda t: (_KIND_ORDER.get(t.kind, 9), t.position, t.name.casefold())
        )

    @staticmethod
    def _resolve(found: list[Template], ref: str) -> Template:
        text = (ref or "").strip()
        low = text.casefold()
        for t in found:
            if t.id == text or (t.builtin and low in (t.builtin, f"{BUILTIN_PREFIX}{t.builtin}")):
                return t
        named = [t for t in found if t.name.casefold() == low]
        if len(named) == 1:
            return named[0]
        if len(low) >= 4:
            prefixed = [t for t in found if not t.builtin and t.id.startswith(low)]
            if len(prefixed) == 1:
                return prefixed[0]
        if len(named) > 1:
            raise InvalidValue(
                _("several templates are called {name!r}: use the id").format(name=text)
            )
        raise TemplateNotFound(_("no template {ref!r}").format(ref=text))

    @staticmethod
    def _check_unique(found: list[Template], kind: str, name: str) -> None:
        if any(t.kind == kind and t.name.casefold() == name.casefold() for t in found):
            raise InvalidValue(
                _("there is already a template called {name!r} for this kind").format(name=name)
            )

    def _store(self, conn: sqlite3.Connection, template: Template, **changes: object) -> None:
        """Write *changes* to *template*'s row; a built-in gets its replacing row first."""
        now = self.clock()
        if not template.builtin:
            rows.update(
                conn,
                ENTRY_TEMPLATE,
                {**changes, "updated_at": now},
                "id = :id",
                {"id": template.id},
            )
            return
        values = {
            "kind": template.kind,
            "name": template.name,
            "body": template.body,
            "position": template.position,
            "hidden": False,
        } | changes
        row_id = builtin_row_id(template.builtin)
        exists = conn.execute("SELECT 1 FROM entry_template WHERE id = ?", (row_id,)).fetchone()
        if exists:
            rows.update(
                conn,
                ENTRY_TEMPLATE,
                {**values, "updated_at": now},
                "id = :id",
                {"id": row_id},
            )
        else:
            rows.insert(
                conn,
                ENTRY_TEMPLATE,
                {
                    **values,
                    "id": row_id,
                    "builtin": template.builtin,
                    "created_at": now,
                    "updated_at": now,
                },
            )
