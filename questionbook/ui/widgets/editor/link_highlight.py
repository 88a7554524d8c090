"""Links between entries, and attachments, read as links in the Markdown source (issue 18).

A link is stored as ``[[<36-character id>|title]]``: the id keeps it working when the target is
renamed, but it is noise to a writer. The body therefore shows the ``[[id|`` part small and
faint and the title in the link colour, so a line reads "see [[… Why does grokking happen?]]"
while the text stays exactly what is stored (nothing is hidden or replaced: the cursor still
walks through every character, and copying copies the link). An attachment's reference gets the
same treatment for its 64-character hash: ``![sketch.png](attachment:<hash>/sketch.png)``.

A subclass of the Markdown highlighter rather than a second highlighter: a document has one.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextFormat

from questionbook.core.attachments import REFERENCE_RE
from questionbook.core.links import LINK_RE
from questionbook.ui.widgets.editor.markdown_highlighter import MarkdownHighlighter


class EntryLinkHighlighter(MarkdownHighlighter):
    """:class:`MarkdownHighlighter` that also quiets the ids of links between entries."""

    def set_palette(self, palette: QPalette) -> None:
        muted = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
        muted.setAlpha(150)
        quiet = QTextCharFormat()
        quiet.setForeground(muted)
        quiet.setFontUnderline(False)
        quiet.setProperty(QTextFormat.Property.FontSizeAdjustment, -1)
        self._quiet = quiet
        super().set_palette(palette)  # colours the text again

    def format_of(self, name: str) -> QTextCharFormat:
        if name == "link_id":
            return self._quiet
        return super().format_of(name)

    def highlightBlock(self, text: str) -> None:
        super().highlightBlock(text)
        if "[[" in text:
            for match in LINK_RE.finditer(text):
                end = match.start(2) if match.group(2) is not None else match.end(1)
                self._quieten(match.start(), end)
        if "attachment:" in text:
            for match in REFERENCE_RE.finditer(text):
                self._quieten(match.start(), match.end(1) + 1)  # "attachment:<hash>/"

    def _quieten(self, start: int, end: int) -> None:
        if not self.format(start).fontFixedPitch():  # inside code it is text, not a link
            self.setFormat(start, end - start, self._quiet)
