"""Plug the writing-comfort parts (issue 19) into the main window, through its public API.

- the Calendar page (a sidebar row, like Review);
- the prompt of the day under the capture box; clicking it starts an entry from it;
- the capture window of the running app (the tray's "Capture…", and ``questionbook capture``
  forwarded over the single-instance socket): its entry is an operation of this window, so the
  list shows it at once;
- renaming or merging a tag from the sidebar's menu;
- the Writing tab of the Settings dialog.

The editor's own parts (revisit day, templates of a new entry, reading mode) are the editor's
(:mod:`questionbook.ui.widgets.editor.writing_parts`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QTabWidget

from questionbook.core.errors import QuestionBookError
from questionbook.core.prompts import PromptService
from questionbook.core.tag_service import TagRename
from questionbook.i18n import N_, _
from questionbook.services import Services, prompt_service
from questionbook.ui.main_window import MainWindow
from questionbook.ui.pages.calendar_page import CalendarPage
from questionbook.ui.settings_controller import SettingsController
from questionbook.ui.views import tag_view_key
from questionbook.ui.widgets.capture_window import CaptureWindow
from questionbook.ui.widgets.prompt_of_the_day import PromptOfTheDay


class CaptureLauncher(QObject):
    """Shows the window's capture window (made on first use, a child of the window)."""

    def __init__(self, window: MainWindow, services: Services) -> None:
        super().__init__(window)
        self._window = window
        self._services = services
        self._capture: CaptureWindow | None = None

    def show_capture(self) -> CaptureWindow:
        """Show the capture window, empty and ready to type (or as it is, mid-save)."""
        if self._capture is None:
            journal = self._services.journal
            self._capture = CaptureWindow(
                journal, self._window.operations, self._services.templates, self._window
            )
            self._capture.entry_captured.connect(self._on_entry_captured)
        self._capture.open_fresh()
        QApplication.alert(self._capture)
        return self._capture

    def capture_window(self) -> CaptureWindow | None:
        return self._capture

    def _on_entry_captured(self, _entry_id: str) -> None:
        self._window.show_message(_("Saved."), 2500)


@dataclass
class Writing:
    """What :func:`install_writing` added."""

    calendar: CalendarPage
    prompt: PromptOfTheDay
    capture: CaptureLauncher
    prompts: Callable[[], PromptService]


def install_writing(
    window: MainWindow, services: Services, controller: SettingsController
) -> Writing:
    """Add the calendar, the prompt of the day, the capture window and tag renaming."""
    ops = window.operations
    calendar = CalendarPage(services.calendar, controller, window, ops=ops)
    window.add_page("calendar", N_("Calendar"), calendar, "calendar")
    calendar.entry_open_requested.connect(window.open_entry)

    def prompts() -> PromptService:
        return prompt_service(
            services.journal, controller.get("daily_prompt"), controller.get("builtin_prompts")
        )

    prompt = PromptOfTheDay(prompts, ops, controller, window)
    window.add_under_capture(prompt)
    prompt.start_requested.connect(window.new_entry_from_prompt)
    capture = CaptureLauncher(window, services)
    window.tag_rename_requested.connect(lambda name: open_tag_rename(window, services, name))
    return Writing(calendar, prompt, capture, prompts)


def open_tag_rename(window: MainWindow, services: Services, name: str) -> QObject:
    """The rename dialog for tag *name*; on success the view of the new name is shown if the
    old one was, and the status bar says what changed."""
    from questionbook.ui.dialogs.tag_rename_dialog import TagRenameDialog, renamed_message

    try:
        known = [t.name for t in services.journal.tag_counts()]
    except QuestionBookError:
        known = []
    dialog = TagRenameDialog(
        name,
        services.journal,
        services.tags,
        window.operations,
        window,
        known=known,
        before_run=window.flush_edits,
    )
    shown = window.current_view_key()
    old_key = tag_view_key(name)

    def renamed(result: TagRename) -> None:
        if shown == old_key or shown.startswith(old_key + "/"):
            window.show_view(tag_view_key(result.new + shown[len(old_key) :]), when_listed=True)
        window.show_message(renamed_message(result), 6000)

    dialog.renamed.connect(renamed)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def add_settings_page(
    tabs: QTabWidget,
    writing: Writing,
    services: Services,
    window: MainWindow,
    controller: SettingsController,
) -> QObject:
    """Settings → Writing, in the Settings dialog's *tabs*."""
    from questionbook.ui.dialogs.settings_writing import WritingSettingsPage, add_writing_page

    page = WritingSettingsPage(controller, services.templates, writing.prompts, window.operations)
    add_writing_page(tabs, page)
    return page
