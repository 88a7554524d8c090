"""The weekly review page: new entries → due entries one by one → waterline → reflection → summary.

A thin face over :class:`~questionbook.core.review.ReviewService`: every button is one service
call (one transaction), and the page only shows what the service says, so closing the app at any
moment and coming back resumes on the same step and the same entry. Nothing is written until
the user presses "Start review"; merely opening the page changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QHideEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.errors import QuestionBookError
from questionbook.core.review import DueItem, ReviewService, ReviewState
from questionbook.core.summary import render_markdown, summary_for_period
from questionbook.core.timeutil import to_local
from questionbook.core.vocabulary import HARDNESS
from questionbook.i18n import _, ngettext
from questionbook.settings import Settings
from questionbook.ui.journal_writer import attempt_write, fail_fast_if_busy
from questionbook.ui.pages.review_due import DuePane, heading, muted
from questionbook.ui.pages.review_water import WaterPane, button_row, entry_item
from questionbook.ui.widgets.editor.markdown_view import MarkdownView

SavePathProvider = Callable[[str], str | None]
INTRO_QSS = """
QFrame#reviewIntro { background-color: palette(base); border: 1px solid palette(mid);
                     border-radius: 8px; }
QFrame#reviewTile { background-color: palette(alternate-base); border-radius: 6px;
                    min-width: 150px; }
"""
STEP_PANES = {"new": 1, "due": 2, "waterline": 3, "reflection": 4, "finished": 5}


T = TypeVar("T")


class ReviewPage(QWidget):
    """The stepped weekly review; embed it with ``MainWindow.add_page``."""

    review_finished = Signal(str)
    """A review was finished (argument: its period, e.g. ``2026-W48``)."""
    waterline_changed = Signal(int)
    """The user set the waterline during the review."""
    entry_open_requested = Signal(str)
    """The user wants to open this entry in the editor."""
    entries_changed = Signal()
    """A review action changed entries (lists elsewhere may want to refresh)."""

    def __init__(
        self,
        review: ReviewService,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        save_path_provider: SavePathProvider | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self._review = review
        self._settings = settings
        self._ask_path = save_path_provider or self._ask_save_path
        self._state: ReviewState | None = None
        self._queue: list[DueItem] = []
        self._markdown = ""
        self._reflection_timer = QTimer(self, singleShot=True, interval=800)
        self._reflection_timer.timeout.connect(self._save_reflection)

        self.title = heading("", self, 7)
        self.subtitle = muted("", self)
        self.steps = QLabel(self)
        self.steps.setTextFormat(Qt.TextFormat.RichText)
        self.problem = QLabel(self)  # why the last step could not be saved (busy, disk full)
        self.problem.setWordWrap(True)
        self.problem.setForegroundRole(QPalette.ColorRole.BrightText)
        self.problem.hide()
        self.stack = QStackedWidget(self)
        for build in (
            self._build_intro, self._build_new, self._build_due, self._build_water,
            self._build_reflect, self._build_summary,
        ):  # fmt: skip
            self.stack.addWidget(build())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 20, 28, 20)
        layout.setSpacing(8)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.steps)
        layout.addWidget(self.problem)
        layout.addWidget(self.stack, 1)

    def showEvent(self, event: QShowEvent) -> None:
        """Read the review state when the page is shown, not when the window is built: at
        100,000 entries finding what is due takes a moment, which start-up should not pay."""
        super().showEvent(event)
        self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        """Save a reflection still waiting for its autosave before the page goes away."""
        self._flush_reflection()
        super().hideEvent(event)

    def _flush_reflection(self) -> None:
        if self._reflection_timer.isActive():
            self._reflection_timer.stop()
            self._save_reflection()

    # -- building the panes ------------------------------------------------------------------
    def _pane(self) -> tuple[QWidget, QVBoxLayout]:
        pane = QWidget(self)
        box = QVBoxLayout(pane)
        box.setContentsMargins(0, 12, 0, 0)
        box.setSpacing(10)
        return pane, box

    def _build_intro(self) -> QWidget:
        pane, box = self._pane()
        card = QFrame(pane)
        card.setObjectName("reviewIntro")
        card.setStyleSheet(INTRO_QSS)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 20, 24, 20)
        inner.setSpacing(14)
        inner.addWidget(heading(_("Time to look back on the week"), card, 3))
        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        self.tiles: dict[str, QLabel] = {}
        for key, caption in (
            ("new", _("new entries")),
            ("due", _("due to resurface")),
            ("water", _("waterline")),
        ):
            tile = QFrame(card)
            tile.setObjectName("reviewTile")
            tile_box = QVBoxLayout(tile)
            number = heading("", tile, 10)
            tile_box.addWidget(number)
            tile_box.addWidget(muted(caption, tile))
            self.tiles[key] = number
            tiles.addWidget(tile)
        tiles.addStretch(1)
        inner.addLayout(tiles)
        self.intro_text = QLabel(card)
        self.intro_text.setWordWrap(True)
        inner.addWidget(self.intro_text)
        self.start_button = QPushButton(_("Start review"), card)
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)
        inner.addLayout(start_row)
        box.addWidget(card)
        box.addStretch(1)
        return pane

    def _build_new(self) -> QWidget:
        pane, box = self._pane()
        self.new_heading = heading("", pane, 2)
        self.new_list = QListWidget(pane)
        self.new_list.setIconSize(QSize(12, 12))
        self.new_list.itemActivated.connect(
            lambda item: self.entry_open_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.new_next = QPushButton(pane)
        self.new_next.setDefault(True)
        self.new_next.clicked.connect(lambda: self._go("due", 0))
        box.addWidget(self.new_heading)
        box.addWidget(muted(_("What you wrote this week. Double-click one to open it."), pane))
        box.addWidget(self.new_list, 1)
        button_row(box, self.new_next)
        return pane

    def _build_due(self) -> QWidget:
        self.due = DuePane(self)
        self.due.action_requested.connect(self._on_due_action_requested)
        self.due.move_requested.connect(self._on_due_move_requested)
        self.due.jump_requested.connect(lambda position: self._go("due", position))
        return self.due

    def _build_water(self) -> QWidget:
        self.water = WaterPane(self)
        self.water.level_chosen.connect(self._on_water_level_chosen)
        self.water.entry_open_requested.connect(self.entry_open_requested)
        self.water.next_requested.connect(lambda: self._go("reflection"))
        return self.water

    def _build_reflect(self) -> QWidget:
        pane, box = self._pane()
        box.addWidget(heading(_("A short reflection"), pane, 2))
        box.addWidget(
            muted(
                _(
                    "What did you notice this week? Which question would you most like to keep above "
                    "the water?"
                ),
                pane,
            )
        )
        self.reflection_edit = QPlainTextEdit(pane)
        self.reflection_edit.textChanged.connect(self._reflection_timer.start)
        self.finish_button = QPushButton(_("Finish review"), pane)
        self.finish_button.setDefault(True)
        self.finish_button.clicked.connect(self.finish)
        box.addWidget(self.reflection_edit, 1)
        button_row(box, self.finish_button)
        return pane

    def _build_summary(self) -> QWidget:
        pane, box = self._pane()
        self.summary_view = MarkdownView(pane)
        self.copy_button = QPushButton(_("Copy Markdown"), pane)
        self.copy_button.clicked.connect(self.copy_summary)
        self.save_button = QPushButton(_("Save to file…"), pane)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.saved_label = muted("", pane)
        box.addWidget(self.summary_view, 1)
        row = QHBoxLayout()
        row.addWidget(self.saved_label, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.save_button)
        box.addLayout(row)
        return pane

    # -- public API --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the review of the week that is due (or this week): intro, resumed step, or
        the finished summary. Reads only (apart from saving a pending reflection)."""
        self._flush_reflection()
        period = self._review.period_to_review(self._settings)
        self._state = self._review.get(period)
        self.title.setText(_("Weekly review · {period}").format(period=period.label))
        self.subtitle.setText(f"{period.start.isoformat()} – {period.last_day.isoformat()}")
        if self._state is None:
            start, _end = period.utc_bounds(self._review.tz)
            waterline = self._review.journal.waterline()
            self.tiles["new"].setText(str(len(self._review.new_entries(period))))
            queued = self._review.due_entries(created_before=start)  # no count: not shown
            self.tiles["due"].setText(str(len(queued)))
            self.tiles["water"].setText(f"{waterline} {HARDNESS[waterline].label}")
            self.intro_text.setText(
                _(
                    "Take a few minutes: for each entry that comes back, keep it, re-rate it, "
                    "close it with an outcome, sharpen it into a follow-up, or snooze it. Then "
                    "say where the water stands and write a line about the week. Everything is "
                    "saved as you go."
                )
            )
            self._show_pane(0, None)
        else:
            self._enter(self._state)

    def _attempt(self, work: Callable[[], T]) -> T | None:
        """Run one review write; a busy or full journal is said on the page, not raised into
        Qt (the review stays where it was, so trying again is one click)."""
        result = attempt_write(self._review.journal, work, self._show_problem)
        if result is not None:
            self.problem.hide()
        return result

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def start(self) -> None:
        """Start (or resume) the review and show its current step."""
        period = self._review.period_to_review(self._settings)
        state = self._attempt(lambda: self._review.start(period))
        if state is not None:
            self._enter(state)

    def finish(self) -> None:
        if self._state is None:
            return
        self._reflection_timer.stop()
        rid, text = self._state.id, self.reflection_edit.toPlainText()
        state = self._attempt(lambda: self._review.finish(rid, text))
        if state is None:
            return
        self._enter(state)
        self.review_finished.emit(state.period.label)

    def summary_markdown(self) -> str:
        return self._markdown

    def copy_summary(self) -> None:
        QGuiApplication.clipboard().setText(self._markdown)
        self.saved_label.setText(_("Copied to the clipboard."))

    def save_summary(self, path: str | Path) -> Path:
        target = Path(path)
        target.write_text(self._markdown, encoding="utf-8")
        self.saved_label.setText(_("Saved to {path}").format(path=target))
        return target

    # -- steps -------------------------------------------------------------------------------
    def _enter(self, state: ReviewState) -> None:
        self._state = state
        if state.step == "new":
            entries = self._review.new_entries(state.period)
            self.new_heading.setText(
                ngettext(
                    "{n} new entry this week", "{n} new entries this week", len(entries)
                ).format(n=len(entries))
            )
            self.new_list.clear()
            for entry in entries:
                self.new_list.addItem(entry_item(entry))
            self._queue = self._review.queue(state.id)
            self.new_next.setText(_("Next: due entries ({n})").format(n=len(self._queue)))
        elif state.step == "due":
            self._queue = self._review.queue(state.id)
            if state.position >= len(self._queue):
                self._go("waterline")
                return
            self.due.show_item(self._queue, state.position)
        elif state.step == "waterline":
            self._show_water(state)
        elif state.step == "reflection":
            self.reflection_edit.blockSignals(True)
            self.reflection_edit.setPlainText(state.reflection)
            self.reflection_edit.blockSignals(False)
        elif state.step == "finished":
            self._show_summary(state)
        self._show_pane(STEP_PANES[state.step], state.step)

    def _show_pane(self, index: int, step: str | None) -> None:
        self.stack.setCurrentIndex(index)
        names = [
            ("new", _("New")),
            ("due", _("Due")),
            ("waterline", _("Waterline")),
            ("reflection", _("Reflection")),
            ("finished", _("Summary")),
        ]
        parts = []
        for key, name in names:
            parts.append(f"<b><u>{name}</u></b>" if key == step else name)
        self.steps.setText(" &nbsp;›&nbsp; ".join(parts))

    def _go(self, step: str, position: int = 0) -> None:
        if self._state is not None:
            self._enter(self._review.move_to(self._state.id, step, position))

    def _on_due_move_requested(self, delta: int) -> None:
        if self._state is None:
            return
        position = self._state.position + delta
        if position < 0:
            self._go("new")
        else:
            self._go("due", position)

    def _on_due_action_requested(self, action: str, value: object) -> None:
        """Run one action on the current entry (one transaction), then show the next."""
        if self._state is None or not self._queue:
            return
        entry_id = self._queue[self._state.position].entry.id
        rid = self._state.id
        try:
            fail_fast_if_busy(self._review.journal)
            if action == "keep":
                self._review.keep(rid, entry_id)
            elif action == "snooze":
                self._review.snooze(rid, entry_id)
            elif action == "rerate":
                self._review.rerate(rid, entry_id, value)  # type: ignore[arg-type]
            elif action == "status":
                status, outcome = value  # type: ignore[misc]
                self._review.change_status(rid, entry_id, status, outcome)
            elif action == "sharpen":
                self._review.sharpen(rid, entry_id, str(value))
        except QuestionBookError as exc:
            self.due.show_error(str(exc))
            return
        state = self._review.get(self._state.period)
        assert state is not None
        self._enter(state)
        self.entries_changed.emit()

    def _show_water(self, state: ReviewState) -> None:
        self.water.show_levels(self._review.journal.waterline(), state.waterline)
        self.water.show_covered(self._review.covered(state.id), state.waterline is not None)

    def _on_water_level_chosen(self, level: int) -> None:
        if self._state is None:
            return
        rid = self._state.id
        result = self._attempt(lambda: self._review.set_waterline(rid, level))
        if result is None:
            return
        self._state = self._review.get(self._state.period)
        if self._state is not None:
            self._show_water(self._state)
        self.waterline_changed.emit(result.level)

    def _save_reflection(self) -> None:
        if self._state is not None and not self._state.finished:
            rid, text = self._state.id, self.reflection_edit.toPlainText()
            state = self._attempt(lambda: self._review.set_reflection(rid, text))
            self._state = state or self._state  # on failure the text stays in the box

    def _show_summary(self, state: ReviewState) -> None:
        today = to_local(self._review.clock()).date()
        summary = summary_for_period(self._review.db, state.period, today=today)
        self._markdown = render_markdown(summary)
        self.summary_view.set_markdown(self._markdown)
        self.saved_label.setText(_("Review finished. Well done."))

    def _on_save_clicked(self) -> None:
        name = f"questionbook-review-{self._state.period.label if self._state else 'week'}.md"
        path = self._ask_path(name)
        if path:
            self.save_summary(path)

    def _ask_save_path(self, suggested: str) -> str | None:
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Save the weekly summary"),
            str(Path.home() / suggested),
            _("Markdown (*.md)"),
        )
        return path or None
