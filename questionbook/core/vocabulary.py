"""Entry kinds, their statuses, and the hardness scale (PRODUCT.md, "Vocabulary").

Names here are the stored values; the user sees them through :func:`questionbook.i18n._`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from questionbook.core.errors import InvalidValue
from questionbook.i18n import N_, _


class Kind(StrEnum):
    QUESTION = "question"
    PLAN = "plan"
    NOTE = "note"


KIND_LABELS = {Kind.QUESTION: N_("Question"), Kind.PLAN: N_("Plan"), Kind.NOTE: N_("Note")}
KIND_PLURALS = {Kind.QUESTION: N_("Questions"), Kind.PLAN: N_("Plans"), Kind.NOTE: N_("Notes")}

STATUSES: dict[Kind, tuple[str, ...]] = {
    Kind.QUESTION: ("open", "exploring", "answered", "retired"),
    Kind.PLAN: ("idea", "active", "done", "dropped"),
    Kind.NOTE: (),
}
STATUS_LABELS = {
    "open": N_("Open"),
    "exploring": N_("Exploring"),
    "answered": N_("Answered"),
    "retired": N_("Retired"),
    "idea": N_("Idea"),
    "active": N_("Active"),
    "done": N_("Done"),
    "dropped": N_("Dropped"),
}
#: Statuses that end an entry's life: it no longer resurfaces in reviews.
CLOSED_STATUSES = frozenset({"answered", "retired", "done", "dropped"})
#: Statuses whose change invites an outcome (the answer found, what came of the plan).
OUTCOME_STATUSES = frozenset({"answered", "done", "dropped", "retired"})


def parse_kind(value: str) -> Kind:
    """Turn user text (``q``, ``Question``, ``问题``) into a :class:`Kind`."""
    text = value.strip().lower()
    aliases = {
        "q": "question",
        "questions": "question",
        "p": "plan",
        "plans": "plan",
        "n": "note",
        "notes": "note",
        "问题": "question",
        "计划": "plan",
        "笔记": "note",
    }
    text = aliases.get(text, text)
    try:
        return Kind(text)
    except ValueError:
        raise InvalidValue(
            _("unknown kind {value!r} (use question, plan or note)").format(value=value)
        ) from None


def default_status(kind: Kind) -> str | None:
    """The status a new entry of *kind* starts with."""
    statuses = STATUSES[kind]
    return statuses[0] if statuses else None


def check_status(kind: Kind, status: str | None) -> str | None:
    """Validate *status* for *kind*; notes have none."""
    if status is None or status == "":
        return default_status(kind)
    value = status.strip().lower()
    if kind is Kind.NOTE:
        raise InvalidValue(_("notes have no status"))
    if value not in STATUSES[kind]:
        raise InvalidValue(
            _("{status!r} is not a status of a {kind} (use {allowed})").format(
                status=status, kind=kind.value, allowed=", ".join(STATUSES[kind])
            )
        )
    return value


@dataclass(frozen=True)
class Hardness:
    """One step on the rising-water scale."""

    level: int
    key: str
    name: str
    meaning: str
    zh: str

    @property
    def label(self) -> str:
        return _(self.name)

    @property
    def description(self) -> str:
        return _(self.meaning)


HARDNESS: tuple[Hardness, ...] = (
    Hardness(
        0, "underwater", N_("Underwater"), N_("An AI assistant handles this well today."), "水下"
    ),
    Hardness(1, "shallows", N_("Shallows"), N_("An AI does it with a little guidance."), "浅滩"),
    Hardness(
        2,
        "shoreline",
        N_("Shoreline"),
        N_("An AI helps, but you must frame the problem and judge the answer."),
        "岸线",
    ),
    Hardness(
        3,
        "highlands",
        N_("Highlands"),
        N_("Needs your own context, taste or experience; an AI can't get there alone."),
        "高地",
    ),
    Hardness(
        4,
        "summit",
        N_("Summit"),
        N_("An AI would not think to ask or attempt it: a wish the genie hasn't heard."),
        "山巅",
    ),
)
MIN_LEVEL, MAX_LEVEL = 0, 4
DEFAULT_WATERLINE = 1
RATING_SOURCES = ("user", "rubric", "review", "import")


def parse_level(value: str | int | None) -> int | None:
    """A plain 0-4 level (reach, a seal's level): a number, or ``none``/``-`` to clear."""
    if value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "-")):
        return None
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise InvalidValue(
            _("a level is a number from 0 to 4, not {value!r}").format(value=value)
        ) from None
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise InvalidValue(_("a level is a number from 0 to 4, not {value!r}").format(value=value))
    return level


def parse_hardness(value: str | int | None) -> int | None:
    """Accept ``0``-``4``, an English or Chinese level name, or ``none``/``-`` to clear."""
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        level = value
    else:
        text = str(value).strip().lower()
        if text in ("", "none", "-", "unrated", "null", "未评"):
            return None
        by_name = {h.key: h.level for h in HARDNESS} | {h.zh: h.level for h in HARDNESS}
        by_name |= {_(h.name).lower(): h.level for h in HARDNESS}
        if text in by_name:
            return by_name[text]
        try:
            level = int(text)
        except ValueError:
            raise InvalidValue(
                _("unknown hardness {value!r} (use 0-4 or a level name)").format(value=value)
            ) from None
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise InvalidValue(_("hardness must be between 0 and 4, not {value}").format(value=level))
    return level


def rubric_level(can_ai_do_it: bool, needs_your_context: bool, would_ai_think_of_it: bool) -> int:
    """Map the three rubric answers to a hardness level (PRODUCT.md, "Hardness")."""
    if can_ai_do_it:
        return 1 if needs_your_context else 0
    if not needs_your_context:
        return 2
    return 3 if would_ai_think_of_it else 4


RUBRIC_QUESTIONS = (
    N_("Could a current AI assistant do this well if asked directly?"),
    N_("Does it depend on your own context, relationships, taste or lived experience?"),
    N_("Would an AI even think to ask or attempt it?"),
)


def is_submerged(hardness: int | None, waterline: int) -> bool:
    """An entry at or below the waterline has been caught up by AI."""
    return hardness is not None and hardness <= waterline
