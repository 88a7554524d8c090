"""The editor's writing-comfort parts (issue 19), built and placed in one go.

- the revisit day (:mod:`.revisit_control`) in the properties row;
- the template picker of a new entry (:mod:`.template_strip`) above the body;
- reading mode (:mod:`.reading_mode`): its switch in the footer, its bar under the text.

:class:`~.entry_editor.EntryEditor` keeps one :class:`WritingParts` and tells it which entry it
shows; the parts live in modules of their own, so the editor only has a few hooks.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from questionbook.core.entities import Entry
from questionbook.core.journal import Journal
from questionbook.core.templates import TemplateService
from questionbook.ui.operations import Operations
from questionbook.ui.widgets.editor.editor_layout import EditorForm
from questionbook.ui.widgets.editor.reading_mode import ReadingBar, ReadingMode, reading_button
from questionbook.ui.widgets.editor.revisit_control import RevisitControl
from questionbook.ui.widgets.editor.template_strip import TemplateStrip


class WritingParts(QObject):
    """The revisit control, the template strip and reading mode of one editor form."""

    def __init__(
        self,
        journal: Journal,
        ops: Operations,
        form: EditorForm,
        *,
        folded: list[QWidget],
        parent: QObject | None = None,
    ) -> None:
        """*folded* are the editor's own sections that reading mode folds away as well."""
        super().__init__(parent)
        self.revisit = RevisitControl(journal, ops, form)
        form.add_property(self.revisit)
        self.templates = TemplateStrip(
            TemplateService(journal.db, clock=journal.clock), form.body_edit, form
        )
        form.add_above_text(self.templates)
        form.kind_switch.kind_chosen.connect(self._on_kind_chosen)
        self.bar = ReadingBar(form)
        form.add_section(self.bar)
        button = reading_button(form)
        form.add_footer_widget(button)
        properties = form.findChild(QWidget, "propertiesRow")
        chrome = [w for w in (properties, form.tag_editor, *folded) if w is not None]
        self.reading = ReadingMode(form.body_edit, chrome, self.bar, button, self)

    def show_entry(self, entry: Entry | None) -> None:
        """The editor shows *entry* now (``None``: nothing, which also ends reading mode)."""
        self.revisit.show_entry(entry)
        if entry is None:
            self.templates.withdraw()
            self.reading.set_active(False)

    def offer_templates(self, kind: str) -> None:
        """A new entry of *kind* is shown: offer its templates."""
        self.templates.offer(kind)

    def withdraw_templates(self) -> None:
        self.templates.withdraw()

    def _on_kind_chosen(self, kind: str) -> None:
        if self.templates.kind():  # still on offer: the new kind's templates instead
            self.templates.offer(kind)
