"""The marks of a list row: the entry's reach and its tide seal (issue 17), and the day it asked
to come back (issue 19).

Kept apart from :mod:`questionbook.ui.widgets.entry_delegate` so the row painter only asks
"what marks, and paint them here": a sealed entry shows its seal everywhere it is listed (a
small lock over water and the level it waits for; once the water is there, the mark says the
tide came), a rated reach shows its name, and a revisit day shows as a small calendar and the
day ("Mar 1").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from PySide6.QtCore import QPointF, QRect
from PySide6.QtGui import QColor, QFontMetrics, QPainter

from questionbook.core.vocabulary import HARDNESS, REACH
from questionbook.i18n import _
from questionbook.ui import resources
from questionbook.ui.locale_format import format_date, format_day

ICON = 12
SEAL_COLOR = "#3b8fd9"


@dataclass(frozen=True)
class RowMark:
    """One mark: an icon (or none), its text, and what a tooltip would say."""

    icon: str | None
    text: str
    tip: str
    color: str | None = None


class Marked(Protocol):
    """What the marks are made of: an entry summary, or a list's row of one."""

    @property
    def seal_level(self) -> int | None: ...
    @property
    def reach(self) -> int | None: ...
    @property
    def revisit_on(self) -> date | None: ...


def row_marks(item: Marked, waterline: int, today: date | None = None) -> list[RowMark]:
    """The marks of *item*'s row, seal first (it changes what the entry does), the revisit
    day last."""
    marks: list[RowMark] = []
    if item.seal_level is not None:
        level = HARDNESS[item.seal_level].label
        if waterline >= item.seal_level:
            tip = _("Sealed until the water reached {level}: the tide came").format(level=level)
        else:
            tip = _("Sealed until the water reaches {level}").format(level=level)
        marks.append(RowMark("seal", level, tip, SEAL_COLOR))
    if item.reach is not None:
        name = REACH[item.reach].label
        marks.append(
            RowMark(None, _("Reach: {level}").format(level=name), REACH[item.reach].description)
        )
    if item.revisit_on is not None:
        marks.append(revisit_mark(item.revisit_on, today or date.today()))
    return marks


def revisit_mark(day: date, today: date) -> RowMark:
    """The revisit mark: the day, and in its tooltip when the review brings the entry back."""
    if day <= today:
        tip = _("Asked to come back on {day}: it is in the weekly review").format(
            day=format_date(day, long=True)
        )
    else:
        tip = _("Comes back in the weekly review on {day}").format(day=format_date(day, long=True))
    return RowMark("revisit", format_day(day, today), tip, SEAL_COLOR if day <= today else None)


def paint_marks(
    painter: QPainter,
    marks: list[RowMark],
    x: int,
    y: int,
    fm: QFontMetrics,
    muted: QColor,
    right: int,
) -> int:
    """Paint *marks* from *x* on the text line at *y* (its top); returns the x after them.
    Marks that do not fit before *right* are left out."""
    baseline = y + fm.ascent()
    for mark in marks:
        width = fm.horizontalAdvance(mark.text) + (ICON + 3 if mark.icon else 0)
        if x + width > right:
            break
        color = QColor(mark.color) if mark.color else muted
        if mark.icon:
            top = y + (fm.height() - ICON) // 2
            painter.drawPixmap(QRect(x, top, ICON, ICON), resources.pixmap(mark.icon, ICON, color))
            x += ICON + 3
        painter.setPen(color)
        painter.drawText(QPointF(x, baseline), mark.text)
        x += fm.horizontalAdvance(mark.text) + 12
    return x
