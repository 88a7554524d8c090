"""Paints one entry row: kind icon, title, a highlighted snippet, hardness badge, tags, date.

Why a painted delegate rather than a widget per row: the list must scroll through 100,000 rows
with uniform item sizes, and painting straight from the model's summary costs no allocation per
row. Colours come from the palette (so light and dark themes both work) plus one hue per
hardness level. Submerged rows have water standing in their lower part (not a tint over the
whole row, which looked like the selection).
"""

from __future__ import annotations

import functools
import math
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from questionbook.core.entities import EntrySummary
from questionbook.core.vocabulary import HARDNESS, STATUS_LABELS, is_submerged
from questionbook.i18n import _
from questionbook.ui import resources
from questionbook.ui.item_models.entry_list_model import EntryListModel
from questionbook.ui.item_models.list_row import ListRow
from questionbook.ui.locale_format import relative_date
from questionbook.ui.views import highlight_spans
from questionbook.ui.widgets.row_marks import paint_marks, row_marks

if TYPE_CHECKING:
    from questionbook.ui.widgets.list_thumbnails import ListThumbnails

Index = QModelIndex | QPersistentModelIndex

#: One hue per hardness level: deep water, shallow water, sand, meadow, mountain dusk.
HARDNESS_COLORS = ("#2b6cd4", "#1597b0", "#c0851c", "#2f9a57", "#8a5cd6")
WATER = QColor("#3b8fd9")
PAD_X, PAD_Y, GAP = 14, 9, 3
ICON = 18


def hardness_color(level: int) -> QColor:
    return QColor(HARDNESS_COLORS[max(0, min(level, 4))])


def _small(font: QFont, delta: float = -1.0) -> QFont:
    f = QFont(font)
    if f.pointSizeF() > 0:
        f.setPointSizeF(max(7.0, f.pointSizeF() + delta))
    return f


def _bold(font: QFont, delta: float = 0.5) -> QFont:
    f = _small(font, delta)
    f.setWeight(QFont.Weight.DemiBold)
    return f


#: The title keeps at least this much room on its line; a narrower list (800×600) shows the
#: hardness badge as its number ("2") instead of its name ("Shoreline"), so titles stay readable.
MIN_TITLE_PX = 120


#: A row narrower than this (the list at 800×600) says "14 h" instead of "14 hours ago".
SHORT_DATE_ROW_PX = 330


def date_label(created_at: datetime, row_width: int) -> str:
    """The row's date: "3 hours ago", or "3 h" in a row narrower than
    :data:`SHORT_DATE_ROW_PX` (at 800×600 the words left a title a few letters)."""
    return relative_date(created_at, short=row_width < SHORT_DATE_ROW_PX)


def badge_text(level: int, room: int, fm: QFontMetrics) -> str:
    """The hardness badge's text for a title line with *room* pixels left of the date."""
    label = HARDNESS[level].label
    if room - (fm.horizontalAdvance(label) + 16) >= MIN_TITLE_PX:
        return label
    return str(level)


class EntryDelegate(QStyledItemDelegate):
    """Draws :class:`EntryListModel` rows; see the module docstring."""

    #: Thumbnails of rows whose entry holds a picture (issue 18), set by the list pane; it
    #: answers from memory and looks up what it does not know in the background.
    thumbnails: ListThumbnails | None = None
    #: The fonts and metrics of the last font painted with (the row's font, bold and small):
    #: made once, not for every row of every repaint (issue 21).
    _fonts: tuple[QFont, QFont, QFont, QFontMetrics, QFontMetrics, QFontMetrics] | None = None

    def _fonts_for(
        self, base: QFont
    ) -> tuple[QFont, QFont, QFont, QFontMetrics, QFontMetrics, QFontMetrics]:
        """(base, title, small fonts, and their metrics) for *base*."""
        fonts = self._fonts
        if fonts is None or fonts[0] != base:
            title, small = _bold(base), _small(base)
            fonts = self._fonts = (
                QFont(base),
                title,
                small,
                QFontMetrics(title),
                QFontMetrics(base),
                QFontMetrics(small),
            )
        return fonts

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        font = option.font  # type: ignore[attr-defined]
        height = (
            PAD_Y * 2
            + QFontMetrics(_bold(font)).height()
            + GAP
            + QFontMetrics(font).height()
            + GAP
            + QFontMetrics(_small(font)).height()
            + 2
        )
        return QSize(320, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect: QRect = option.rect  # type: ignore[attr-defined]
        model = index.model()
        # The list's own model is read directly: a role asked through Qt costs a conversion
        # per value, and a row asked five things (issue 21: part of each keystroke's repaint).
        if isinstance(model, EntryListModel):
            row = model.list_row(index.row())
            if row is not None:
                terms = model.highlight_terms
                self._paint_entry(
                    painter,
                    option,
                    rect,
                    row,
                    row.snippet(terms),
                    terms,
                    is_submerged(row.hardness, model.waterline),
                    model.waterline,
                )
            else:
                self._paint_header(painter, option, rect, str(index.data(model.HeaderRole)))
        else:
            header = index.data(EntryListModel.HeaderRole)
            summary = index.data(EntryListModel.SummaryRole)
            if header:
                self._paint_header(painter, option, rect, str(header))
            elif isinstance(summary, EntrySummary):
                self._paint_entry(
                    painter,
                    option,
                    rect,
                    summary,
                    str(index.data(EntryListModel.SnippetRole) or ""),
                    tuple(index.data(EntryListModel.HighlightRole) or ()),
                    bool(index.data(EntryListModel.SubmergedRole)),
                    getattr(model, "waterline", 1),
                )
        painter.restore()

    # -- parts ---------------------------------------------------------------------------
    def _paint_header(
        self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect, title: str
    ) -> None:
        pal: QPalette = option.palette  # type: ignore[attr-defined]
        font = _bold(option.font, 0)  # type: ignore[attr-defined]
        fm = QFontMetrics(font)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        baseline = rect.bottom() - PAD_Y - fm.descent()
        icon_rect = QRect(
            rect.left() + PAD_X, baseline - fm.ascent() + (fm.ascent() - 16) // 2, 16, 16
        )
        painter.drawPixmap(icon_rect, resources.pixmap("on-this-day", 16, muted))
        painter.setFont(font)
        painter.setPen(muted)
        painter.drawText(QPointF(icon_rect.right() + 8, baseline), title)
        painter.setPen(pal.color(QPalette.ColorRole.Midlight))
        painter.drawLine(rect.left() + PAD_X, rect.bottom(), rect.right() - PAD_X, rect.bottom())

    def _paint_entry(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        rect: QRect,
        item: ListRow | EntrySummary,
        snippet: str,
        terms: tuple[str, ...],
        submerged: bool,
        waterline: int,
    ) -> None:
        pal: QPalette = option.palette  # type: ignore[attr-defined]
        base_font: QFont = option.font  # type: ignore[attr-defined]
        state = option.state  # type: ignore[attr-defined]
        text_color = pal.color(QPalette.ColorRole.Text)
        muted = pal.color(QPalette.ColorRole.PlaceholderText)
        accent = pal.color(QPalette.ColorRole.Highlight)
        card = QRectF(rect).adjusted(4, 2, -4, -2)

        if submerged:
            self._paint_water(painter, card)
        if state & QStyle.StateFlag.State_Selected:
            fill = QColor(accent)
            fill.setAlpha(58 if option.widget is None or option.widget.hasFocus() else 36)  # type: ignore[attr-defined]
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(card, 6, 6)
            painter.setBrush(accent)
            painter.drawRoundedRect(
                QRectF(card.left(), card.top() + 6, 3, card.height() - 12), 1.5, 1.5
            )
        elif state & QStyle.StateFlag.State_MouseOver:
            fill = QColor(text_color)
            fill.setAlpha(12)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(card, 6, 6)

        base_font, title_font, small_font, tfm, fm, sfm = self._fonts_for(base_font)
        left = rect.left() + PAD_X
        right = rect.right() - PAD_X
        # The lines present (a title; a snippet if there is text; status and tags if any) are
        # centred in the row, so a row without a body keeps no empty line in the middle.
        has_meta = bool(item.status or item.tags)
        full = tfm.height() + GAP + fm.height() + GAP + sfm.height()
        used = tfm.height()
        used += GAP + fm.height() if snippet else 0
        used += GAP + sfm.height() if has_meta else 0
        y = rect.top() + PAD_Y + (full - used) // 2

        # line 1: icon, title ... star, badge, date
        kind_color = muted if item.deleted_at else text_color
        icon_y = y + (tfm.height() - ICON) // 2
        painter.drawPixmap(
            QRect(left, icon_y, ICON, ICON), resources.pixmap(item.kind, ICON, kind_color)
        )
        date_text = date_label(item.created_at, right - left)
        painter.setFont(small_font)
        date_w = sfm.horizontalAdvance(date_text)
        painter.setPen(muted)
        painter.drawText(
            QPointF(right - date_w, y + (tfm.height() + sfm.ascent() - sfm.descent()) / 2),
            date_text,
        )
        x_right = right - date_w - 10
        if item.hardness is not None:
            x_right = self._paint_badge(
                painter,
                item.hardness,
                x_right,
                y,
                tfm.height(),
                small_font,
                submerged,
                room=x_right - (left + ICON + 10),
            )
        if item.starred:
            star = QRect(x_right - 16, y + (tfm.height() - 16) // 2, 16, 16)
            painter.drawPixmap(star, resources.pixmap("star-filled", 16, "#e0a325"))
            x_right = star.left() - 6
        title_left = left + ICON + 10
        painter.setFont(title_font)
        painter.setPen(text_color)
        title = tfm.elidedText(item.title, Qt.TextElideMode.ElideRight, x_right - title_left)
        self._draw_highlighted(
            painter, title, terms, title_left, y, tfm, text_color, text_color, accent
        )
        y += tfm.height() + GAP
        thumb = self.thumbnails.pixmap(item.id) if self.thumbnails is not None else None
        if thumb is not None:
            right = self._paint_thumbnail(painter, thumb, right, y, rect.bottom() - PAD_Y + 4)

        # line 2: snippet with the search words highlighted
        if snippet:
            painter.setFont(base_font)
            width = right - title_left
            shown = fm.elidedText(snippet, Qt.TextElideMode.ElideRight, width)
            self._draw_highlighted(
                painter, shown, terms, title_left, y, fm, muted, text_color, accent
            )
            y += fm.height() + GAP

        # line 3: status, tags
        painter.setFont(small_font)
        x = title_left
        baseline = y + sfm.ascent()
        if item.status:
            label = _(STATUS_LABELS.get(item.status, item.status))
            painter.setPen(text_color if item.status in ("exploring", "active") else muted)
            painter.drawText(QPointF(x, baseline), label)
            x += sfm.horizontalAdvance(label) + 12
        x = paint_marks(painter, row_marks(item, waterline), x, y, sfm, muted, right)
        tag_color = QColor(accent)
        for tag in item.tags:
            text = "#" + tag
            w = sfm.horizontalAdvance(text)
            if x + w > right:
                painter.setPen(muted)
                painter.drawText(QPointF(x, baseline), "…")
                break
            painter.setPen(tag_color)
            painter.drawText(QPointF(x, baseline), text)
            x += w + 8

    def _paint_thumbnail(
        self, painter: QPainter, thumb: QPixmap, right: int, top: int, bottom: int
    ) -> int:
        """The entry's first picture at the right of lines 2 and 3; returns the x left of it."""
        assert self.thumbnails is not None
        side = max(8, min(self.thumbnails.side, bottom - top))
        box = QRectF(right - side, top, side, side)
        clip = QPainterPath()
        clip.addRoundedRect(box, 4, 4)
        painter.save()
        painter.setClipPath(clip)
        painter.drawPixmap(box.toRect(), thumb)
        painter.restore()
        return int(box.left()) - 8

    @staticmethod
    def _paint_water(painter: QPainter, card: QRectF) -> None:
        """Water standing in the lower part of the card (see :func:`_draw_water`), drawn once
        per card size and then copied: the anti-aliased wave cost ~3 ms a row to fill, a
        whole frame's budget at each search keystroke (issue 21)."""
        device = painter.device()
        ratio = device.devicePixelRatioF() if device is not None else 1.0
        painter.drawPixmap(card.topLeft(), _water_pixmap(card.width(), card.height(), ratio))

    def _paint_badge(
        self,
        painter: QPainter,
        level: int,
        x_right: int,
        y: int,
        line_h: int,
        font: QFont,
        submerged: bool,
        room: int = 10_000,
    ) -> int:
        """A rounded pill with the level's name (its number in a narrow list); returns the
        x left of it."""
        fm = QFontMetrics(font)
        label = badge_text(level, room, fm)
        w = fm.horizontalAdvance(label) + 16 + (14 if submerged else 0)
        h = fm.height() + 2
        box = QRectF(x_right - w, y + (line_h - h) / 2, w, h)
        color = hardness_color(level)
        fill = QColor(color)
        fill.setAlpha(34)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(box, h / 2, h / 2)
        text_x = box.left() + 8
        if submerged:
            painter.drawPixmap(
                QRect(int(text_x), int(box.top() + (h - 12) / 2), 12, 12),
                resources.pixmap("submerged", 12, color),
            )
            text_x += 14
        painter.setFont(font)
        painter.setPen(color)
        painter.drawText(QPointF(text_x, box.top() + (h + fm.ascent() - fm.descent()) / 2), label)
        return int(box.left()) - 8

    @staticmethod
    def _draw_highlighted(
        painter: QPainter,
        text: str,
        terms: tuple[str, ...],
        x: int,
        y: int,
        fm: QFontMetrics,
        color: QColor,
        strong: QColor,
        accent: QColor,
    ) -> None:
        spans = highlight_spans(text, terms) if terms else []
        baseline = y + fm.ascent()
        pos = 0
        mark = QColor(accent)
        mark.setAlpha(60)
        for start, end in [*spans, (len(text), len(text))]:
            if start > pos:
                plain = text[pos:start]
                painter.setPen(color)
                painter.drawText(QPointF(x, baseline), plain)
                x += fm.horizontalAdvance(plain)
            if end > start:
                word = text[start:end]
                w = fm.horizontalAdvance(word)
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(mark)
                painter.drawRoundedRect(QRectF(x - 1, y, w + 2, fm.height()), 3, 3)
                painter.setPen(strong)
                painter.drawText(QPointF(x, baseline), word)
                x += w
            pos = max(pos, end)


def _draw_water(painter: QPainter, card: QRectF) -> None:
    """Water standing in the lower part of the card, with a gentle wave on top. It used to
    tint the whole card, which looked like the selection (issue 12): now the upper part
    stays clear, and a selected submerged row shows both."""
    surface = card.top() + card.height() * 0.58
    wave = QPainterPath(QPointF(card.left(), surface))
    steps = max(2, int(card.width() // 24))
    for i in range(1, steps + 1):
        x = card.left() + card.width() * i / steps
        wave.quadTo(
            QPointF(x - card.width() / steps / 2, surface + (3 if i % 2 else -3)),
            QPointF(x, surface),
        )
    body = QPainterPath(wave)
    body.lineTo(card.bottomRight())
    body.lineTo(card.bottomLeft())
    body.closeSubpath()
    clip = QPainterPath()
    clip.addRoundedRect(card, 6, 6)
    grad = QLinearGradient(QPointF(0, surface), card.bottomLeft())
    top, bottom = QColor(WATER), QColor(WATER)
    top.setAlpha(26)
    bottom.setAlpha(58)
    grad.setColorAt(0.0, top)
    grad.setColorAt(1.0, bottom)
    painter.save()
    painter.setClipPath(clip)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(grad)
    painter.drawPath(body)
    line = QColor(WATER)
    line.setAlpha(110)
    painter.setPen(QPen(line, 1.2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(wave)
    painter.restore()


@functools.lru_cache(maxsize=8)
def _water_pixmap(width: float, height: float, ratio: float) -> QPixmap:
    """The water of a card of this size, on a transparent pixmap (a list has one or two card
    sizes; a resize of the window makes a few more)."""
    pixmap = QPixmap(math.ceil(width * ratio), math.ceil(height * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _draw_water(painter, QRectF(0, 0, width, height))
    painter.end()
    return pixmap
