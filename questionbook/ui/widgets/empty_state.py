"""What the list area shows when it has nothing to list.

On first run it explains the three kinds and the hardness scale in two sentences (and points
to ``questionbook --demo``); elsewhere it says briefly why the view is empty.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from questionbook.i18n import _
from questionbook.ui import resources
from questionbook.ui.widgets.elided_label import wrap_without_widening


class EmptyState(QWidget):
    """An icon, a headline and a short explanation, centred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self._icon_name = ""
        self.icon = QLabel(self)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = QLabel(self)
        self.headline.setObjectName("emptyHeadline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        wrap_without_widening(self.headline)  # it may quote a long search
        self.body = QLabel(self)
        self.body.setObjectName("emptyBody")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setMaximumWidth(400)  # no minimum: the list column may be narrow
        self.hint = QLabel(self)
        self.hint.setObjectName("emptyHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.hint.setMaximumWidth(400)
        self.hint.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(10)
        layout.addStretch(2)
        layout.addWidget(self.icon)
        layout.addWidget(self.headline)
        layout.addWidget(self.body, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(6)
        layout.addWidget(self.hint, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def changeEvent(self, event: QEvent) -> None:
        """Re-colour the icon when the theme changes while the app runs."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._paint_icon()

    def _paint_icon(self) -> None:
        name = self._icon_name
        if not name:
            return
        color = self.palette().placeholderText().color()
        size = 64 if name == "app" else 40
        self.icon.setPixmap(
            resources.pixmap(name, size, None if name == "app" else color, self.devicePixelRatioF())
        )

    def show_message(self, icon_name: str, headline: str, body: str = "") -> None:
        self._icon_name = icon_name
        self._paint_icon()
        self.headline.setText(headline)
        self.body.setText(body)
        self.body.setVisible(bool(body))
        self.hint.hide()

    def show_welcome(self) -> None:
        """The first-run explanation of kinds and hardness."""
        self.show_message(
            "app",
            _("Welcome to QuestionBook"),
            _(
                "Write down <b>questions</b> you are curious about, <b>plans</b> you are "
                "ambitious to do, and <b>notes</b> for everything else. Rate each by how hard an "
                "AI would find it, from <i>Underwater</i> (an AI handles it today) up to "
                "<i>Summit</i> (an AI would not even think of it)."
            ),
        )
        self.hint.setText(
            _(
                "Type in the box above and press Enter to save your first entry, or run "
                "<code>questionbook --demo</code> to look around a filled journal."
            )
        )
        self.hint.show()
