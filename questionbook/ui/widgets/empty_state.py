"""What the list area shows when it has nothing to list.

On first run it explains the three kinds and the hardness scale in two sentences (and points
to ``questionbook --demo``); elsewhere it says briefly why the view is empty.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from questionbook.i18n import _
from questionbook.ui import resources


class EmptyState(QWidget):
    """An icon, a headline and a short explanation, centred."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.icon = QLabel(self)
        self.icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline = QLabel(self)
        self.headline.setObjectName("emptyHeadline")
        self.headline.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.headline.setWordWrap(True)
        self.body = QLabel(self)
        self.body.setObjectName("emptyBody")
        self.body.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.body.setWordWrap(True)
        self.body.setTextFormat(Qt.TextFormat.RichText)
        self.body.setFixedWidth(400)
        self.hint = QLabel(self)
        self.hint.setObjectName("emptyHint")
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setWordWrap(True)
        self.hint.setTextFormat(Qt.TextFormat.RichText)
        self.hint.setFixedWidth(400)
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

    def show_message(self, icon_name: str, headline: str, body: str = "") -> None:
        color = self.palette().placeholderText().color()
        size = 64 if icon_name == "app" else 40
        self.icon.setPixmap(
            resources.pixmap(
                icon_name, size, None if icon_name == "app" else color, self.devicePixelRatioF()
            )
        )
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
