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
#: Where a rating came from; ``trial`` when the user accepted what the AI trials suggested.
RATING_SOURCES = ("user", "rubric", "review", "import", "trial")


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


# -- reach: how hard an entry is for *you* (issue 17) ----------------------------------------


class ReachLevel(Hardness):
    """One step of reach, the second 0-4 rating: how far the entry is from what you can do."""


REACH: tuple[ReachLevel, ...] = (
    ReachLevel(0, "at-hand", N_("At hand"), N_("You could do it today."), "手边"),
    ReachLevel(
        1, "within-reach", N_("Within reach"), N_("A little time or learning and you can."), "伸手"
    ),
    ReachLevel(
        2, "tiptoe", N_("On tiptoe"), N_("You must stretch: new skills and real effort."), "踮脚"
    ),
    ReachLevel(
        3, "climb", N_("A climb"), N_("Months of work, learning or help from others."), "攀登"
    ),
    ReachLevel(4, "far-off", N_("Far off"), N_("Far beyond you now."), "天边"),
)
#: Reach at or below this is "within your reach" (the edge and just-do-it quadrants).
WITHIN_REACH = 2


def parse_reach(value: str | int | None) -> int | None:
    """Reach from ``0``-``4``, an English or Chinese reach name, or ``none``/``-`` to clear."""
    if isinstance(value, str):
        text = value.strip().lower()
        by_name = {r.key: r.level for r in REACH} | {r.zh: r.level for r in REACH}
        by_name |= {_(r.name).lower(): r.level for r in REACH}
        if text in by_name:
            return by_name[text]
    return parse_level(value)


class Quadrant(StrEnum):
    """Where hardness (for AI) and reach (for you) place an entry; stored nowhere, computed."""

    EDGE = "edge"  # above the water, within your reach: do these first
    MOONSHOT = "moonshot"  # above the water and hard for you too
    DELEGATE = "delegate"  # the AI has it, but it is hard for you: delegate or learn
    JUST_DO_IT = "justdo"  # submerged and within your reach


QUADRANT_LABELS = {
    Quadrant.EDGE: N_("Your edge"),
    Quadrant.MOONSHOT: N_("Moonshot"),
    Quadrant.DELEGATE: N_("Delegate or learn"),
    Quadrant.JUST_DO_IT: N_("Just do it"),
}
QUADRANT_HINTS = {
    Quadrant.EDGE: N_("Above the water and within your reach: the work that is yours."),
    Quadrant.MOONSHOT: N_("Above the water and hard for you too."),
    Quadrant.DELEGATE: N_("An AI can do it and it is hard for you: delegate it, or learn it."),
    Quadrant.JUST_DO_IT: N_("An AI can do it and so can you: just do it."),
}


def quadrant(hardness: int | None, reach: int | None, waterline: int) -> Quadrant | None:
    """The quadrant of an entry rated for both, or ``None`` while either rating is missing.

    Above the waterline for AI and within reach (reach ≤ 2) is *your edge*; above the water and
    out of reach a *moonshot*; submerged and out of reach *delegate or learn*; else *just do it*.
    """
    if hardness is None or reach is None:
        return None
    above, within = hardness > waterline, reach <= WITHIN_REACH
    if above:
        return Quadrant.EDGE if within else Quadrant.MOONSHOT
    return Quadrant.JUST_DO_IT if within else Quadrant.DELEGATE


# -- trials: did an AI actually manage it? ---------------------------------------------------
VERDICTS = ("solved", "partly", "failed", "pending")
VERDICT_LABELS = {
    "solved": N_("Solved"),
    "partly": N_("Partly"),
    "failed": N_("Failed"),
    "pending": N_("Pending"),
}


def parse_verdict(value: str) -> str:
    """A verdict from user text (``solved``, ``Partly``, ``失败`` ...)."""
    text = (value or "").strip().lower()
    aliases = {
        "ok": "solved",
        "yes": "solved",
        "partial": "partly",
        "partially": "partly",
        "no": "failed",
        "fail": "failed",
        "解决": "solved",
        "部分": "partly",
        "失败": "failed",
        "待定": "pending",
    }
    text = aliases.get(text, text)
    if text not in VERDICTS:
        by_label = {_(label).lower(): v for v, label in VERDICT_LABELS.items()}
        text = by_label.get(text, text)
    if text not in VERDICTS:
        raise InvalidValue(
            _("unknown verdict {value!r} (use solved, partly, failed or pending)").format(
                value=value
            )
        )
    return text
