"""The weekly review page: new entries → due entries one by one → waterline → reflection → summary.

A thin face over :class:`~questionbook.core.review.ReviewService`: every button is one service
call (one transaction), run as an operation (:mod:`questionbook.ui.operations`) off the UI
thread, and the page only shows what the service says, so closing the app at any moment and
coming back resumes on the same step and the same entry. Nothing is written until the user
presses "Start review"; merely opening the page changes nothing. A step that cannot be saved
(the journal is busy, the disk is full) is said above the steps and the review stays where it
was, so trying again is one click. The review day and week come from the settings as they are
when the page is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QHideEvent, QPalette, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import Entry
from questionbook.core.review import DueItem, ReviewService, ReviewState
from questionbook.core.summary import render_markdown, summary_for_period
from questionbook.core.timeutil import to_local
from questionbook.i18n import N_, _, ngettext, week_label
from questionbook.ui.locale_format import format_date
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.pages.review_due import DuePane, done_text, due_write, heading, muted
from questionbook.ui.pages.review_evidence import Asked, StillMinePrompt
from questionbook.ui.pages.review_intro import IntroPane
from questionbook.ui.pages.review_water import WaterPane, button_row, entry_item
from questionbook.ui.retranslate import Texts
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.markdown_view import MarkdownView
from questionbook.ui.widgets.elided_label import wrap_without_widening

SavePathProvider = Callable[[str], str | None]
STEP_PANES = {"new": 1, "due": 2, "waterline": 3, "reflection": 4, "finished": 5}
STEP_NAMES = (
    ("new", N_("New")),
    ("due", N_("Due")),
    ("waterline", N_("Waterline")),
    ("reflection", N_("Reflection")),
    ("finished", N_("Summary")),
)
REVIEW = Changes(reviews=True)


class ReviewPage(QWidget):
    """The stepped weekly review; embed it with ``MainWindow.add_page``."""

    review_finished = Signal(str)
    """A review was finished (argument: its period, e.g. ``2026-W48``)."""
    entry_open_requested = Signal(str)
    """The user wants to open this entry in the editor."""

    def __init__(
        self,
        review: ReviewService,
        settings: SettingsController,
        parent: QWidget | None = None,
        *,
        ops: Operations | None = None,
        save_path_provider: SavePathProvider | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPage")
        self._review = review
        self._settings = settings
        self._ops = ops or Operations(review.db.path, self)
        self._ops.changed.connect(self._on_ops_changed)
        self._texts = Texts()
        self._step: str | None = None
        self._new_count = 0
        self._period_label = ("", "")
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
        # Why the last step could not be saved (busy, disk full); it may name a path.
        self.problem = wrap_without_widening(QLabel(self))
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
        # "What part of this is still yours?" for entries that went under (issue 17).
        self.still_prompt = StillMinePrompt(self)
        self.still_prompt.answered.connect(self._on_still_prompt_answered)
        layout.addWidget(self.still_prompt)

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
        self.intro = IntroPane(self)
        self.intro.start_requested.connect(self.start)
        self.tiles, self.start_button = self.intro.tiles, self.intro.start_button
        return self.intro

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
        hint = muted("", pane)
        self._texts.set(hint.setText, N_("What you wrote this week. Double-click one to open it."))
        box.addWidget(hint)
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
        self.water.advice.capture_requested.connect(self._on_advice_capture_requested)
        return self.water

    def _build_reflect(self) -> QWidget:
        pane, box = self._pane()
        reflect_heading = heading("", pane, 2)
        self._texts.set(reflect_heading.setText, N_("A short reflection"))
        box.addWidget(reflect_heading)
        question = muted("", pane)
        self._texts.set(
            question.setText,
            N_(
                "What did you notice this week? Which question would you most like to keep "
                "above the water?"
            ),
        )
        box.addWidget(question)
        self.reflection_edit = QPlainTextEdit(pane)
        self.reflection_edit.textChanged.connect(self._reflection_timer.start)
        self.finish_button = QPushButton(pane)
        self._texts.set(self.finish_button.setText, N_("Finish review"))
        self.finish_button.setDefault(True)
        self.finish_button.clicked.connect(self.finish)
        box.addWidget(self.reflection_edit, 1)
        button_row(box, self.finish_button)
        return pane

    def _build_summary(self) -> QWidget:
        pane, box = self._pane()
        self.summary_view = MarkdownView(pane)
        self.copy_button = QPushButton(pane)
        self._texts.set(self.copy_button.setText, N_("Copy Markdown"))
        self.copy_button.clicked.connect(self.copy_summary)
        self.save_button = QPushButton(pane)
        self._texts.set(self.save_button.setText, N_("Save to file…"))
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
        period = self._review.period_to_review(self._settings.settings)
        self._state = self._review.get(period)
        self._show_period()
        if self._state is None:
            start, _end = period.utc_bounds(self._review.tz)
            queued = self._review.due_entries(created_before=start)  # no count: not shown
            self.intro.show_numbers(
                len(self._review.new_entries(period)), len(queued), self._review.journal.waterline()
            )
            self._show_pane(0, None)
        else:
            self._enter(self._state)

    def start(self) -> None:
        """Start (or resume) the review and show its current step."""
        period = self._review.period_to_review(self._settings.settings)
        review = self._review
        self._write(lambda: review.start(period), REVIEW, self._enter)

    def finish(self) -> None:
        if self._state is None:
            return
        self._reflection_timer.stop()
        rid, text = self._state.id, self.reflection_edit.toPlainText()
        review = self._review

        def done(state: ReviewState) -> None:
            self._enter(state)
            self.review_finished.emit(state.period.label)

        self._write(lambda: review.finish(rid, text), REVIEW, done)

    # -- writing -----------------------------------------------------------------------------
    def _write(
        self,
        work: Callable[[], Any],
        changes: Changes,
        then: Callable[[Any], object],
        *,
        patient: bool = False,
    ) -> None:
        """Run one review write as an operation; *then* shows its result. A failure is said
        on the page (and in the status bar), and the review stays where it was."""

        def done(result: Any) -> None:
            self.problem.hide()
            then(result)

        op = self._ops.op(work, changes=changes, initiator=self)
        if patient:
            op.patient()
        op.on_success(done).on_failure(self._show_problem).run()

    def _show_problem(self, message: str) -> None:
        self.problem.setText(message)
        self.problem.show()

    def _on_ops_changed(self, changes: Changes, initiator: object) -> None:
        """Somebody else changed the journal: the intro's numbers are re-read while it shows
        (a review in progress is left alone, so nothing typed on a step is reset)."""
        if initiator is not self and self._state is None and self.isVisible():
            self.refresh()

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
        self._show_period()
        if state.step == "new":
            entries = self._review.new_entries(state.period)
            self.new_list.clear()
            for entry in entries:
                self.new_list.addItem(entry_item(entry))
            self._queue = self._review.queue(state.id)
            self._new_count = len(entries)
            self._show_new_counts()
        elif state.step == "due":
            self._queue = self._review.queue(state.id)
            if state.position >= len(self._queue):
                self._go("waterline")
                return
            self.due.show_item(self._queue, state.position, self._review.journal.waterline())
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
        self._step = step
        self._show_steps()

    def _show_steps(self) -> None:
        parts = []
        for key, source in STEP_NAMES:
            name = _(source)
            parts.append(f"<b><u>{name}</u></b>" if key == self._step else name)
        self.steps.setText(" &nbsp;›&nbsp; ".join(parts))

    def _show_period(self, *, requery: bool = True) -> None:
        """The title with the week; after a language switch (*requery* False) the same week
        is said again without reading the journal."""
        if requery:
            if self._state is not None:
                period = self._state.period
            else:
                period = self._review.period_to_review(self._settings.settings)
            dates = f"{format_date(period.start)} – {format_date(period.last_day)}"
            self._period_label = (period.label, dates)
        label, dates = self._period_label
        self.title.setText(_("Weekly review · {period}").format(period=week_label(label)))
        self.subtitle.setText(dates)

    def _show_new_counts(self) -> None:
        n = self._new_count
        self.new_heading.setText(
            ngettext("{n} new entry this week", "{n} new entries this week", n).format(n=n)
        )
        self.new_next.setText(_("Next: due entries ({n})").format(n=len(self._queue)))

    def changeEvent(self, event: QEvent) -> None:
        """Say everything again in a new language, without touching what was typed."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._show_steps()
            if self.title.text():
                self._show_period(requery=False)
                self._show_new_counts()
            if self.saved_label.text():
                self.saved_label.setText(_("Review finished. Well done."))

    def _go(self, step: str, position: int = 0) -> None:
        if self._state is not None:
            rid, review = self._state.id, self._review
            self._write(lambda: review.move_to(rid, step, position), REVIEW, self._enter)

    def _on_due_move_requested(self, delta: int) -> None:
        if self._state is None:
            return
        self.due.show_confirmation("")
        position = self._state.position + delta
        if position < 0:
            self._go("new")
        else:
            self._go("due", position)

    def _on_due_action_requested(self, action: str, value: object) -> None:
        """Run one action on the current entry (one transaction), then show the next."""
        if self._state is None or not self._queue:
            return
        entry = self._queue[self._state.position].entry
        entry_id = entry.id
        period, review = self._state.period, self._review
        write = due_write(review, self._state.id, entry_id, action, value)
        if write is None:
            return
        work, changes = write
        under = (
            action == "rerate" and isinstance(value, int) and value <= review.journal.waterline()
        )

        def done(result: object) -> None:
            state = review.get(period)
            if state is not None:
                self._enter(state)
            if under:  # re-rated at or below the water: what part is still yours?
                self.still_prompt.ask([Asked(entry_id, entry.title)])
            self.due.show_confirmation(done_text(action, entry.title, result))

        op = self._ops.op(work, changes=changes, initiator=self)
        op.on_success(done).on_failure(self._on_due_failed).run()

    def _on_due_failed(self, message: str) -> None:
        self.due.show_error(message)

    def _show_water(self, state: ReviewState) -> None:
        self.water.show_levels(self._review.journal.waterline(), state.waterline)
        self.water.show_covered(self._review.covered(state.id), state.waterline is not None)
        self.water.advice.show_advice(self._review.waterline_advice())

    def _on_advice_capture_requested(self, text: str, level: int) -> None:
        """The flood warning's capture box: a new entry at the level it asks for."""
        journal = self._review.journal

        def done(entry: Entry) -> None:
            self.water.advice.show_added(entry.title, entry.hardness)
            self.water.advice.show_advice(self._review.waterline_advice())

        self._ops.op(
            lambda: journal.add(text, hardness=level),
            changes=lambda entry: Changes.of(entry.id, rows=True, tags=bool(entry.tags)),
            initiator=self,
        ).patient().on_success(done).on_failure(self._show_problem).run()

    def _on_still_prompt_answered(self, entry_id: str, line: str) -> None:
        journal = self._review.journal
        self._ops.op(
            lambda: journal.update(entry_id, still_mine=line),
            changes=Changes.of(entry_id),
            initiator=self,
        ).patient().on_success(lambda _e: self.still_prompt.done(entry_id)).on_failure(
            self._show_problem
        ).run()

    def _on_water_level_chosen(self, level: int) -> None:
        if self._state is None:
            return
        rid, period, review = self._state.id, self._state.period, self._review

        def done(_result: object) -> None:
            self._state = review.get(period)
            if self._state is not None:
                self._show_water(self._state)
                covered = review.covered(rid)  # the water reached them: what is still yours?
                self.still_prompt.ask([Asked(e.id, e.title) for e in covered])

        self._write(
            lambda: review.set_waterline(rid, level), REVIEW | Changes(waterline=True), done
        )

    def _save_reflection(self) -> None:
        """Store the reflection typed so far (patient: a busy journal only delays it; the
        text stays in the box meanwhile)."""
        if self._state is not None and not self._state.finished:
            rid, text, review = self._state.id, self.reflection_edit.toPlainText(), self._review

            def done(state: ReviewState) -> None:
                if self._state is not None and self._state.id == state.id:
                    self._state = state

            self._write(lambda: review.set_reflection(rid, text), REVIEW, done, patient=True)

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
