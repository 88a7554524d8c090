"""The editor's evidence section (issue 17): reach and quadrant, the tide seal, the "still mine"
line, and the AI trials — folded into one line until opened, so the editor fits 800×600.

Why a section of its own rather than more rows in the form: these are discrete fields with
their own writes (``Journal.update(id, reach=…)``, ``seal_until=…``, ``still_mine=…``, the
trials), each one an operation with ``initiator=self``; the editor only hands it the entry it
shows (:meth:`EvidencePanel.show_entry`) after a load, a sync or a rating. The one text field
here, the still-mine line, follows the editor's rule: it is saved when editing finishes, and a
change stored by somebody else replaces it only while it holds no edits of its own.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.entities import Entry
from questionbook.core.errors import QuestionBookError
from questionbook.core.journal import Journal
from questionbook.core.schedule import tide_message
from questionbook.core.trials import TrialService
from questionbook.core.vocabulary import (
    HARDNESS,
    MAX_LEVEL,
    QUADRANT_HINTS,
    QUADRANT_LABELS,
    REACH,
    quadrant,
)
from questionbook.i18n import N_, _
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.retranslate import Texts
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.widgets.editor.trials_panel import TrialsPanel

_MUTED = "color: rgba(127, 127, 127, 230);"
_ERROR = "color: #c0392b;"
#: The opened section takes at most this share of the editor's height (the body keeps the rest).
MAX_SHARE = 0.4
MIN_BODY_HEIGHT = 150


def reach_label(level: int | None) -> str:
    return _("Reach not rated") if level is None else REACH[level].label


def seal_text(entry: Entry, waterline: int) -> str:
    """What the seal row says: where the seal waits, or (reached) the tide's question."""
    if entry.seal_level is None:
        return ""
    if waterline >= entry.seal_level:
        return tide_message(entry.seal_waterline, waterline)
    if entry.seal_waterline is None:
        return _("Resting until the water reaches {level}.").format(
            level=HARDNESS[entry.seal_level].label
        )
    return _("Resting until the water reaches {level} (sealed at {then}).").format(
        level=HARDNESS[entry.seal_level].label, then=HARDNESS[entry.seal_waterline].label
    )


class EvidencePanel(QWidget):
    """Reach, quadrant, tide seal, still mine and trials of one entry; see the module doc."""

    ask_ai_requested = Signal(str)
    """The user wants to ask the AI about the entry with this id."""
    failed = Signal(str)
    """A write failed; says why (it is also shown in place)."""

    def __init__(
        self,
        journal: Journal,
        trials: TrialService,
        ops: Operations,
        parent: QWidget | None = None,
        *,
        settings: SettingsController | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("evidencePanel")
        self._journal = journal
        self._ops = ops
        self._settings = settings
        self._entry: Entry | None = None
        self._waterline = 1
        self._still_base = ""
        self._read_only = False
        self._texts = Texts()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        header = QHBoxLayout()
        header.setSpacing(6)
        self.toggle = QToolButton(self)
        self.toggle.setObjectName("evidenceToggle")
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.toggled.connect(self._on_toggle_toggled)
        header.addWidget(self.toggle)
        self.summary = QLabel(self)
        self.summary.setObjectName("evidenceSummary")
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setStyleSheet(_MUTED)
        self.summary.setMinimumWidth(40)
        header.addWidget(self.summary, 1)
        outer.addLayout(header)

        self.body_area = QScrollArea(self)
        self.body_area.setObjectName("evidenceScroll")
        self.body_area.setWidgetResizable(True)
        self.body_area.setFrameShape(QFrame.Shape.NoFrame)
        self.body_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget(self.body_area)
        grid = QGridLayout(body)
        grid.setContentsMargins(4, 2, 4, 2)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        self.reach = QComboBox(body)
        self.reach.setObjectName("reachPicker")
        self.reach.addItem("", None)
        for r in REACH:
            self.reach.addItem("", r.level)
        self.reach.activated.connect(self._on_reach_activated)
        self.quadrant = QLabel(body)
        self.quadrant.setObjectName("quadrantLabel")
        self.quadrant.setWordWrap(True)
        self.seal = QComboBox(body)
        self.seal.setObjectName("sealPicker")
        self.seal.activated.connect(self._on_seal_activated)
        self.seal_message = QLabel(body)
        self.seal_message.setObjectName("sealMessage")
        self.seal_message.setWordWrap(True)
        self.still_mine = QLineEdit(body)
        self.still_mine.setObjectName("stillMineEdit")
        self.still_mine.editingFinished.connect(self.save_still_mine)
        self.trials = TrialsPanel(trials, ops, body)
        self.trials.evidence_changed.connect(self._on_trials_evidence_changed)
        self.trials.ask_ai_requested.connect(self._on_trials_ask_ai_requested)
        self.trials.failed.connect(self.failed)
        labels = []
        for row, (text, widget, aside) in enumerate(
            (
                (N_("Reach:"), self.reach, self.quadrant),
                (N_("Tide seal:"), self.seal, self.seal_message),
            )
        ):
            label = QLabel(body)
            self._texts.set(label.setText, text)
            label.setBuddy(widget)
            labels.append(label)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
            grid.addWidget(aside, row, 2)
        still_label = QLabel(body)
        self._texts.set(still_label.setText, N_("Still mine:"))
        still_label.setBuddy(self.still_mine)
        grid.addWidget(still_label, 2, 0)
        grid.addWidget(self.still_mine, 2, 1, 1, 2)
        trials_label = QLabel(body)
        self._texts.set(trials_label.setText, N_("AI trials:"))
        grid.addWidget(trials_label, 3, 0, Qt.AlignmentFlag.AlignTop)
        grid.addWidget(self.trials, 3, 1, 1, 2)
        grid.setColumnStretch(2, 1)
        grid.setRowStretch(4, 1)
        self.body_area.setWidget(body)
        self.body_area.hide()
        outer.addWidget(self.body_area)

        self._texts.set(self.toggle.setText, N_("Evidence"))
        self._texts.set(
            self.toggle.setToolTip, N_("Reach, tide seal, still mine and AI trials of this entry")
        )
        self._texts.set(
            self.still_mine.setPlaceholderText,
            N_("What part of this is still yours? Your taste, your context, a decision"),
        )
        self._texts.set(
            self.reach.setToolTip, N_("Reach: how hard this is for you (hardness: for an AI)")
        )
        self._texts.set(
            self.seal.setToolTip,
            N_("Ask me again when the water gets here: the entry rests until then"),
        )
        self._say_levels()
        if settings is not None:
            settings.subscribe(self, {"ai_enabled"}, self._on_settings_changed)
        self._on_settings_changed(set())
        self._ops.changed.connect(self._on_ops_changed)
        if parent is not None:
            parent.installEventFilter(self)

    # -- public API ------------------------------------------------------------------------
    def show_entry(self, entry: Entry | None) -> None:
        """Show *entry* (``None``: nothing). Fields with edits of their own are kept."""
        previous = self._entry
        self._entry = entry
        if entry is None:
            self.trials.show_entry(None)
            return
        if previous is None or previous.id != entry.id:
            self._still_base = entry.still_mine
            self.still_mine.setText(entry.still_mine)
            self.seal_message.setProperty("error", False)
        self._read_waterline()
        self._show_fields(entry)
        self.trials.show_entry(entry)

    def current_entry(self) -> Entry | None:
        return self._entry

    def expand(self, shown: bool = True) -> None:
        """Open (or fold) the section."""
        self.toggle.setChecked(shown)

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_read_only(self, read_only: bool) -> None:
        """Entries in the Trash are shown, not changed."""
        self._read_only = read_only
        self.reach.setEnabled(not read_only)
        self.seal.setEnabled(not read_only)
        self.still_mine.setReadOnly(read_only)
        self.trials.set_read_only(read_only)

    def ignore_changes_from(self, initiator: object) -> None:
        """Writes by *initiator* (the editor's text autosave) touch no trial."""
        self.trials.ignore_changes_from(initiator)

    def set_reach(self, level: int | None) -> bool:
        """Set the entry's reach (the picker's action). False if nothing is written."""
        if self._entry is None or self._read_only:
            return False
        entry_id, journal = self._entry.id, self._journal
        self._write(lambda: journal.update(entry_id, reach=level), rows=True)
        return True

    def seal_until(self, level: int | None) -> bool:
        """Seal the entry until the water reaches *level* (``None`` unseals it)."""
        if self._entry is None or self._read_only:
            return False
        entry_id, journal = self._entry.id, self._journal
        self._write(
            lambda: journal.update(entry_id, seal_until=level),
            rows=True,
            on_failure=self._on_seal_failed,
        )
        return True

    def save_still_mine(self) -> bool:
        """Store the still-mine line if it differs from what is stored."""
        if self._entry is None or self._read_only:
            return False
        text = self.still_mine.text().strip()
        if text == self._still_base.strip():
            return False
        entry_id, journal = self._entry.id, self._journal
        stored, self._still_base = self._still_base, self.still_mine.text()

        def failed(reason: str) -> None:
            self._still_base = stored  # not stored: the next flush tries again
            self._on_write_failed(reason)

        # Patient, like the editor's text: a journal busy in another program only delays it.
        self._write(
            lambda: journal.update(entry_id, still_mine=text), on_failure=failed, patient=True
        )
        return True

    # -- showing ---------------------------------------------------------------------------
    def _read_waterline(self) -> None:
        with contextlib.suppress(QuestionBookError):  # busy: the last known level will do
            self._waterline = self._journal.waterline()

    def _show_fields(self, entry: Entry) -> None:
        self.reach.setCurrentIndex(max(0, self.reach.findData(entry.reach)))
        q = quadrant(entry.hardness, entry.reach, self._waterline)
        if q is None:
            self.quadrant.setText(_("Rate its hardness and reach to see its quadrant."))
            self.quadrant.setStyleSheet(_MUTED)
            self.quadrant.setToolTip("")
        else:
            self.quadrant.setText(f"<b>{_(QUADRANT_LABELS[q])}</b> — {_(QUADRANT_HINTS[q])}")
            self.quadrant.setStyleSheet("")
            self.quadrant.setToolTip(_(QUADRANT_HINTS[q]))
        self._fill_seal(entry)
        if self.seal_message.property("error") is not True:
            self._say_seal(entry)
        if self.still_mine.text() == self._still_base and entry.still_mine != self._still_base:
            self.still_mine.setText(entry.still_mine)  # no edits here: take the stored line
        self._still_base = entry.still_mine
        self._show_summary()

    def _fill_seal(self, entry: Entry) -> None:
        """ "Not sealed", then the levels above the water (and the entry's own level, if the
        water reached it)."""
        self.seal.blockSignals(True)
        try:
            self.seal.clear()
            self.seal.addItem(_("Not sealed"), None)
            levels = list(range(self._waterline + 1, MAX_LEVEL + 1))
            if entry.seal_level is not None and entry.seal_level not in levels:
                levels.insert(0, entry.seal_level)
            for level in levels:
                self.seal.addItem(
                    _("Until the water reaches {level}").format(level=HARDNESS[level].label),
                    level,
                )
            self.seal.setCurrentIndex(max(0, self.seal.findData(entry.seal_level)))
        finally:
            self.seal.blockSignals(False)

    def _say_seal(self, entry: Entry) -> None:
        self.seal_message.setProperty("error", False)
        text = seal_text(entry, self._waterline)
        reached = entry.seal_level is not None and self._waterline >= entry.seal_level
        if not text:
            text = _("Let it rest until the water rises, then ask again.")
        self.seal_message.setText(text)
        self.seal_message.setStyleSheet("" if reached else _MUTED)

    def _show_summary(self) -> None:
        entry = self._entry
        if entry is None:
            self.summary.setText("")
            return
        parts = []
        evidence = self.trials.summary()
        if evidence:
            parts.append(evidence)
        if entry.reach is not None:
            parts.append(_("Reach: {level}").format(level=REACH[entry.reach].label))
        q = quadrant(entry.hardness, entry.reach, self._waterline)
        if q is not None:
            parts.append(_(QUADRANT_LABELS[q]))
        if entry.seal_level is not None:
            parts.append(_("Sealed until {level}").format(level=HARDNESS[entry.seal_level].label))
        self.summary.setText("  ·  ".join(parts))
        self.summary.setToolTip(self.summary.text())

    def _say_levels(self) -> None:
        self.reach.setItemText(0, _("Not rated"))
        for r in REACH:
            self.reach.setItemText(r.level + 1, f"{r.level} {r.label}")
            self.reach.setItemData(r.level + 1, r.description, Qt.ItemDataRole.ToolTipRole)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            self._texts.retranslate()
            self._say_levels()
            if self._entry is not None:
                self._show_fields(self._entry)

    # -- writing ---------------------------------------------------------------------------
    def _write(
        self,
        work: Callable[[], Entry],
        *,
        rows: bool = False,
        on_failure: Callable[[str], None] | None = None,
        patient: bool = False,
    ) -> None:
        assert self._entry is not None
        entry_id = self._entry.id
        failure = on_failure or self._on_write_failed
        op = self._ops.op(work, changes=Changes.of(entry_id, rows=rows), initiator=self)
        if patient:
            op.patient()
        op.on_success(self._on_stored).on_failure(failure).run()

    def _on_stored(self, entry: Entry) -> None:
        if self._entry is not None and entry.id == self._entry.id:
            self.seal_message.setProperty("error", False)
            self.show_entry(entry)

    def _on_write_failed(self, reason: str) -> None:
        self.failed.emit(reason)

    def _on_seal_failed(self, reason: str) -> None:
        """Refused (the water is already there, say): said under the seal, nothing changed."""
        self.seal_message.setProperty("error", True)
        self.seal_message.setText(reason)
        self.seal_message.setStyleSheet(_ERROR)
        if self._entry is not None:
            self._fill_seal(self._entry)
        self.failed.emit(reason)

    # -- reacting --------------------------------------------------------------------------
    def _on_ops_changed(self, changes: Changes, initiator: object) -> None:
        """The water moved: the quadrant, the seal's levels and the tide's words follow."""
        if self._entry is not None and (changes.waterline or changes.external):
            self.seal_message.setProperty("error", False)  # what was refused may fit now
            self._read_waterline()
            self._show_fields(self._entry)

    def _on_reach_activated(self, _index: int) -> None:
        level = self.reach.currentData()
        if self._entry is not None and level != self._entry.reach:
            self.set_reach(level)

    def _on_seal_activated(self, _index: int) -> None:
        level = self.seal.currentData()
        if self._entry is not None and level != self._entry.seal_level:
            self.seal_until(level)

    def _on_trials_evidence_changed(self, _text: str) -> None:
        self._show_summary()

    def _on_trials_ask_ai_requested(self) -> None:
        if self._entry is not None:
            self.ask_ai_requested.emit(self._entry.id)

    def _on_settings_changed(self, _names: set[str]) -> None:
        enabled = bool(self._settings.get("ai_enabled")) if self._settings is not None else False
        self.trials.set_ask_enabled(enabled)

    def _on_toggle_toggled(self, shown: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.body_area.setVisible(shown)
        self._fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keep the opened section to a share of the editor, so the body stays writable."""
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit()
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        room = parent.height()
        self.body_area.setMaximumHeight(
            max(120, min(int(room * MAX_SHARE), room - MIN_BODY_HEIGHT))
        )
