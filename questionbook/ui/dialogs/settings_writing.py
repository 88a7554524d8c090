"""Settings → Writing (issue 19): the templates, and the prompt of the day.

Templates and the user's prompts are journal rows (they travel with the journal, see
:mod:`questionbook.core.templates`), so the page writes them through operations like any other
change of the journal (``Changes.writing``: the capture window and the new-entry picker read
them again); a refusal (a name taken, an empty prompt) is said under the control that caused it.
The two switches — the prompt of the day on or off, the built-in prompts on or off — are
settings, written through the controller at once like every other setting.

A template is edited in place: name, kind and text, stored with *Save template* (and when
another template is chosen with edits still unsaved, so nothing typed is lost).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from questionbook.core.errors import QuestionBookError
from questionbook.core.prompts import Prompt, PromptService
from questionbook.core.templates import Template, TemplateService
from questionbook.core.vocabulary import KIND_LABELS, Kind
from questionbook.i18n import N_, _
from questionbook.ui.operations import Changes, Operations
from questionbook.ui.retranslate import Texts
from questionbook.ui.settings_controller import SettingsController

ID_ROLE = Qt.ItemDataRole.UserRole + 1
_ERROR = "color: #c0392b;"
_MUTED = "color: rgba(127, 127, 127, 230);"


class WritingSettingsPage(QWidget):
    """Templates (list, add, edit, delete, default, reset) and the prompts (see above)."""

    def __init__(
        self,
        controller: SettingsController,
        templates: TemplateService,
        prompts: Callable[[], PromptService],
        ops: Operations,
        parent: QWidget | None = None,
    ) -> None:
        """*prompts* builds the prompt service as the settings say now."""
        super().__init__(parent)
        self.setObjectName("writingSettingsPage")
        self._controller = controller
        self._templates = templates
        self._prompts = prompts
        self._ops = ops
        self._texts = Texts()
        self._found: list[Template] = []
        self._shown_id = ""  # the template in the editor
        self._own_prompts: list[Prompt] = []
        self._build()
        self.reload()

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.template_list = QListWidget(self)
        self.template_list.setObjectName("templateList")
        self.template_list.currentItemChanged.connect(self._on_template_current_changed)
        self.add_template = self._button("addTemplate", N_("Add"))
        self.delete_template = self._button("deleteTemplate", N_("Delete"))
        self.default_template = self._button("defaultTemplate", N_("Make Default"))
        self.reset_templates = self._button("resetTemplates", N_("Reset Built-in Templates"))
        self._texts.set(
            self.reset_templates.setToolTip,
            N_("Bring back the built-in templates as shipped; your own templates stay"),
        )
        self.template_name = QLineEdit(self)
        self.template_name.setObjectName("templateName")
        self.template_kind = QComboBox(self)
        self.template_kind.setObjectName("templateKind")
        for kind in Kind:
            self.template_kind.addItem(_(KIND_LABELS[kind]), kind.value)
        self.template_body = QPlainTextEdit(self)
        self.template_body.setObjectName("templateBody")
        self.template_body.setMinimumHeight(110)
        self.save_template = self._button("saveTemplate", N_("Save Template"))
        self.template_error = self._error_label("templateError")
        buttons = QHBoxLayout()
        for button in (self.add_template, self.delete_template, self.default_template):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_templates)
        form = QFormLayout()
        name_label, kind_label, body_label = QLabel(self), QLabel(self), QLabel(self)
        self._texts.set(name_label.setText, N_("&Name:"))
        self._texts.set(kind_label.setText, N_("&Kind:"))
        self._texts.set(body_label.setText, N_("Te&xt:"))
        name_label.setBuddy(self.template_name)
        kind_label.setBuddy(self.template_kind)
        body_label.setBuddy(self.template_body)
        form.addRow(name_label, self.template_name)
        form.addRow(kind_label, self.template_kind)
        form.addRow(body_label, self.template_body)
        save_row = QHBoxLayout()
        save_row.addWidget(self.template_error, 1)
        save_row.addWidget(self.save_template)
        templates_box = QGroupBox(self)
        self._texts.set(templates_box.setTitle, N_("Templates"))
        box = QVBoxLayout(templates_box)
        hint = QLabel(self)
        hint.setWordWrap(True)
        hint.setStyleSheet(_MUTED)
        self._texts.set(
            hint.setText,
            N_(
                "New entries can start from a template (Ctrl+N, the capture window). The first "
                "of each kind is its default. Templates are kept in the journal."
            ),
        )
        box.addWidget(hint)
        box.addWidget(self.template_list, 1)
        box.addLayout(buttons)
        box.addLayout(form)
        box.addLayout(save_row)

        self.daily_prompt = QCheckBox(self)
        self.daily_prompt.setObjectName("dailyPrompt")
        self._texts.set(
            self.daily_prompt.setText, N_("Show a prompt of the day under the capture box")
        )
        self.builtin_prompts = QCheckBox(self)
        self.builtin_prompts.setObjectName("builtinPrompts")
        self._texts.set(self.builtin_prompts.setText, N_("Include the built-in prompts"))
        self.prompt_list = QListWidget(self)
        self.prompt_list.setObjectName("ownPrompts")
        self.prompt_list.setMaximumHeight(110)
        self.new_prompt = QLineEdit(self)
        self.new_prompt.setObjectName("newPrompt")
        self._texts.set(self.new_prompt.setPlaceholderText, N_("A question of your own…"))
        self.new_prompt.returnPressed.connect(self._on_add_prompt_clicked)
        self.add_prompt = self._button("addPrompt", N_("Add Prompt"))
        self.remove_prompt = self._button("removePrompt", N_("Remove"))
        self.prompt_error = self._error_label("promptError")
        prompt_row = QHBoxLayout()
        prompt_row.addWidget(self.new_prompt, 1)
        prompt_row.addWidget(self.add_prompt)
        prompt_row.addWidget(self.remove_prompt)
        prompts_box = QGroupBox(self)
        self._texts.set(prompts_box.setTitle, N_("Prompt of the day"))
        pbox = QVBoxLayout(prompts_box)
        pbox.addWidget(self.daily_prompt)
        pbox.addWidget(self.builtin_prompts)
        own = QLabel(self)
        self._texts.set(own.setText, N_("Your own prompts:"))
        pbox.addWidget(own)
        pbox.addWidget(self.prompt_list)
        pbox.addLayout(prompt_row)
        pbox.addWidget(self.prompt_error)

        layout = QVBoxLayout(self)
        layout.addWidget(templates_box, 1)
        layout.addWidget(prompts_box)

        self.add_template.clicked.connect(self._on_add_template_clicked)
        self.delete_template.clicked.connect(self._on_delete_template_clicked)
        self.default_template.clicked.connect(self._on_default_template_clicked)
        self.reset_templates.clicked.connect(self._on_reset_templates_clicked)
        self.save_template.clicked.connect(self.save_shown_template)
        self.add_prompt.clicked.connect(self._on_add_prompt_clicked)
        self.remove_prompt.clicked.connect(self._on_remove_prompt_clicked)
        self.daily_prompt.toggled.connect(self._on_daily_prompt_toggled)
        self.builtin_prompts.toggled.connect(
            lambda on: self._controller.update(builtin_prompts=bool(on))
        )

    def _button(self, name: str, text: str) -> QPushButton:
        button = QPushButton(self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        self._texts.set(button.setText, text)
        return button

    def _error_label(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setStyleSheet(_ERROR)
        return label

    # -- reading ---------------------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Read the templates and the user's prompts again (after a write, or on showing)."""
        keep = select or self._shown_id
        try:
            self._found = self._templates.templates()
            self._own_prompts = self._prompts().prompts()
        except QuestionBookError as exc:
            self.template_error.setText(str(exc))
            return
        self.template_list.blockSignals(True)
        try:
            self.template_list.clear()
            seen: set[str] = set()
            for t in self._found:
                label = f"{_(KIND_LABELS[Kind(t.kind)])} · {t.name}"
                if t.kind not in seen:
                    label = _("{name} (default)").format(name=label)
                seen.add(t.kind)
                item = QListWidgetItem(label, self.template_list)
                item.setData(ID_ROLE, t.id)
        finally:
            self.template_list.blockSignals(False)
        ids = [t.id for t in self._found]
        row = ids.index(keep) if keep in ids else (0 if ids else -1)
        self.template_list.setCurrentRow(row)
        self._show_template(self._found[row] if row >= 0 else None)
        self.prompt_list.clear()
        for prompt in self._own_prompts:
            item = QListWidgetItem(prompt.text, self.prompt_list)
            item.setData(ID_ROLE, prompt.key)
        self.remove_prompt.setEnabled(bool(self._own_prompts))
        self._load_switches()

    def _load_switches(self) -> None:
        for box, name in (
            (self.daily_prompt, "daily_prompt"),
            (self.builtin_prompts, "builtin_prompts"),
        ):
            box.blockSignals(True)
            box.setChecked(bool(self._controller.get(name)))
            box.blockSignals(False)
        self.builtin_prompts.setEnabled(self.daily_prompt.isChecked())

    def shown_template(self) -> Template | None:
        return next((t for t in self._found if t.id == self._shown_id), None)

    def _show_template(self, template: Template | None) -> None:
        self._shown_id = template.id if template else ""
        self.template_name.setText(template.name if template else "")
        self.template_body.setPlainText(template.body if template else "")
        index = self.template_kind.findData(template.kind if template else Kind.QUESTION.value)
        self.template_kind.setCurrentIndex(max(index, 0))
        for widget in (
            self.template_name,
            self.template_kind,
            self.template_body,
            self.save_template,
            self.delete_template,
            self.default_template,
        ):
            widget.setEnabled(template is not None)
        self.template_error.clear()

    def _edited(self) -> dict[str, Any]:
        """What the editor shows that differs from the stored template."""
        shown = self.shown_template()
        if shown is None:
            return {}
        now = {
            "name": self.template_name.text().strip(),
            "body": self.template_body.toPlainText(),
            "kind": str(self.template_kind.currentData()),
        }
        return {k: v for k, v in now.items() if v != getattr(shown, k)}

    # -- writing ---------------------------------------------------------------------------------
    def _write(
        self,
        work: Callable[[], object],
        error: QLabel,
        then: Callable[[object], object] | None = None,
    ) -> None:
        error.clear()

        def done(result: object) -> None:
            if then is not None:
                then(result)
            else:
                self.reload()

        self._ops.op(work, changes=Changes(writing=True), initiator=self).on_success(
            done
        ).on_failure(lambda reason: error.setText(reason)).run()

    def save_shown_template(self, *, stay: bool = True) -> bool:
        """Store the edits of the template shown; False if there are none. With *stay*
        False the list keeps whatever is chosen by the time the write is stored."""
        changes = self._edited()
        shown = self.shown_template()
        if not changes or shown is None:
            return False
        templates, ref = self._templates, shown.id

        def saved(result: object) -> None:
            self.reload(select=getattr(result, "id", ref) if stay else None)

        self._write(lambda: templates.edit(ref, **changes), self.template_error, saved)
        return True

    def _on_template_current_changed(
        self, current: QListWidgetItem | None, _previous: QListWidgetItem | None
    ) -> None:
        self.save_shown_template(stay=False)  # nothing typed is lost by choosing another
        ref = str(current.data(ID_ROLE)) if current is not None else ""
        self._show_template(next((t for t in self._found if t.id == ref), None))

    def _on_add_template_clicked(self) -> None:
        self.save_shown_template()
        shown = self.shown_template()
        kind = shown.kind if shown else Kind.QUESTION.value
        names = {t.name.casefold() for t in self._found if t.kind == kind}
        name, n = _("New template"), 2
        while name.casefold() in names:
            name, n = _("New template {n}").format(n=n), n + 1
        templates = self._templates
        self._write(
            lambda: templates.add(kind, name, ""),
            self.template_error,
            lambda made: self._after_added(getattr(made, "id", "")),
        )

    def _after_added(self, template_id: str) -> None:
        self.reload(select=template_id)
        self.template_name.setFocus()
        self.template_name.selectAll()

    def _on_delete_template_clicked(self) -> None:
        shown = self.shown_template()
        if shown is not None:
            templates, ref = self._templates, shown.id
            self._shown_id = ""
            self._write(lambda: templates.delete(ref), self.template_error)

    def _on_default_template_clicked(self) -> None:
        self.save_shown_template()
        shown = self.shown_template()
        if shown is not None:
            templates, ref = self._templates, shown.id
            self._write(lambda: templates.make_default(ref), self.template_error)

    def _on_reset_templates_clicked(self) -> None:
        templates = self._templates
        self._write(templates.reset, self.template_error)

    def _on_add_prompt_clicked(self) -> None:
        text = self.new_prompt.text()
        prompts = self._prompts()

        def added(_prompt: object) -> None:
            self.new_prompt.clear()
            self.reload()

        self._write(lambda: prompts.add(text), self.prompt_error, added)

    def _on_remove_prompt_clicked(self) -> None:
        item = self.prompt_list.currentItem()
        if item is None:
            self.prompt_error.setText(_("Choose one of your prompts first."))
            return
        prompts, key = self._prompts(), str(item.data(ID_ROLE))
        self._write(lambda: prompts.remove(key), self.prompt_error)

    def _on_daily_prompt_toggled(self, on: bool) -> None:
        self._controller.update(daily_prompt=bool(on))
        self.builtin_prompts.setEnabled(bool(on))

    # -- language --------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            if self._templates.db.closed:  # a page outliving its journal reads nothing
                return
            self.save_shown_template(stay=False)
            self._texts.retranslate()
            for index, kind in enumerate(Kind):
                self.template_kind.setItemText(index, _(KIND_LABELS[kind]))
            self._set_tab_title()
            self.reload()  # the built-ins' names and texts are said in the new language
        elif event.type() == QEvent.Type.ParentChange:
            self._set_tab_title()

    def _set_tab_title(self) -> None:
        tabs = _tab_widget(self)
        if tabs is not None:
            tabs.setTabText(tabs.indexOf(self), _("Writing"))


def _tab_widget(page: QWidget) -> QTabWidget | None:
    """The tab widget *page* is a tab of (its parent is the tab widget's inner stack)."""
    parent = page.parentWidget()
    while parent is not None and not isinstance(parent, QTabWidget):
        parent = parent.parentWidget()
    return parent


def add_writing_page(tabs: QTabWidget, page: WritingSettingsPage) -> int:
    """Add *page* to the Settings dialog's tabs; returns its index."""
    index = tabs.addTab(page, _("Writing"))
    return index
