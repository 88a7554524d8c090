"""Developer tool: PNGs of the evidence features (issue 17) over the demo journal.

Called by ``python -m questionbook.ui.screenshots OUTDIR [--lang en|zh_CN] [--theme light|dark]``
after the other screenshots. Writes, with ``-LANG-THEME`` in each name:

- ``evidence-editor``: the editor with the Evidence section open (reach, quadrant, seal, still
  mine, the trials with one answer shown, the evidence line and Re-rate);
- ``evidence-editor-800x600``: the same window at 800×600 (it must fit);
- ``ask-ai``: the Ask AI dialog after a streamed answer from a server on this computer (a tiny
  one started here, never the network), asking for the verdict;
- ``settings-ai``: Settings → AI;
- ``review-waterline-flood``: the review's waterline step with the trials' hint, the freeboard
  and the flood warning's capture box;
- ``insights-evidence``: the Insights page's Evidence tab;
- ``still-mine``: the Still mine page.

Everything runs in a temporary folder (never the user's journal).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

WINDOW_SIZE = (1360, 860)
#: The entry each language's screenshots open (found by a word of its title), and the answer
#: the little local server streams for it.
ENTRIES = {"en": "balcony", "zh_CN": "模糊的好奇心"}
ANSWERS = {
    "en": "A north-facing balcony gets **no direct sun**, and tomatoes want 6–8 hours.\n\n"
    "- try cherry tomatoes in a reflective corner\n- or grow herbs that like shade: mint, parsley",
    "zh_CN": "把好奇心变成问题，可以试试这**五步**：\n\n"
    "1. 写下让你好奇的那个瞬间\n2. 问“具体是哪一部分？”\n3. 找一个能检验的说法\n"
    "4. 想想谁已经回答过\n5. 写下你自己才有的那部分背景",
}


class _Handler(BaseHTTPRequestHandler):
    """Streams one canned answer, as an OpenAI-compatible server would."""

    server: _Server  # type: ignore[assignment]
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        answer = self.server.answer
        for i in range(0, len(answer), 12):
            delta = {"content": answer[i : i + 12]}
            data = {"choices": [{"index": 0, "delta": delta, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode())
            self.wfile.flush()
            time.sleep(0.01)
        done = {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
        self.wfile.write(f"data: {json.dumps(done)}\n\ndata: [DONE]\n\n".encode())


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, answer: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.answer = answer


def _settle(ops: object = None, rounds: int = 8, until: Any = None) -> None:
    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and (
        (ops is not None and ops.pending()) or (until is not None and not until())  # type: ignore[attr-defined]
    ):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def take_screenshots(outdir: Path, language: str = "en", theme: str = "light") -> list[Path]:
    """Write the PNGs into *outdir*; returns their paths."""
    from PySide6.QtWidgets import QWidget

    from questionbook.demo import create_demo_services
    from questionbook.i18n import set_language
    from questionbook.settings import Settings
    from questionbook.ui.app import create_application, prepare_application
    from questionbook.ui.dialogs.settings_dialog import SettingsDialog
    from questionbook.ui.features import install_features
    from questionbook.ui.main_window import MainWindow
    from questionbook.ui.pages.insights_page import InsightsPage
    from questionbook.ui.pages.review_page import ReviewPage
    from questionbook.ui.settings_controller import SettingsController
    from questionbook.ui.widgets.editor.entry_editor import EntryEditor
    from questionbook.ui.widgets.editor.evidence_panel import EvidencePanel
    from questionbook.ui.widgets.editor.trials_panel import TrialCard
    from questionbook.ui.widgets.entry_list import EntryListPane

    set_language(language)
    outdir.mkdir(parents=True, exist_ok=True)
    app = create_application()
    prepare_application(app, Settings(), theme=theme, language=language)
    tmp = Path(tempfile.mkdtemp(prefix="questionbook-evidence-shots-"))
    written: list[Path] = []
    services = create_demo_services(tmp / "demo")
    suffix = f"-{language}-{theme}"
    server = _Server(ANSWERS.get(language, ANSWERS["en"]))
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        controller = SettingsController(
            None,
            Settings(ai_enabled=True, ai_endpoint=f"http://127.0.0.1:{server.server_address[1]}/v1",
                     ai_model="qwen3:8b"),
        )  # fmt: skip
        window = MainWindow(services.journal, settings=controller, poll_ms=60_000)
        install_features(window, services, controller, reopen=lambda: None, with_tray=False)
        window.resize(*WINDOW_SIZE)
        window.show()
        ops = window.operations
        _settle(ops)

        def save(name: str, widget: QWidget) -> None:
            _settle(ops)
            path = outdir / f"{name}{suffix}.png"
            widget.grab().save(str(path))
            written.append(path)

        editor = window.findChild(EntryEditor)
        pane = window.findChild(EntryListPane)
        assert editor is not None and pane is not None
        shown = services.journal.find(ENTRIES.get(language, ENTRIES["en"]), limit=1)[0].id
        window.show_view("all")
        window.open_entry(shown)
        panel = editor.findChild(EvidencePanel)
        assert panel is not None
        panel.expand()
        _settle(ops)
        save("evidence-editor", window)

        window.resize(800, 600)
        save("evidence-editor-800x600", window)
        window.resize(*WINDOW_SIZE)

        dialog = editor.ask_ai()
        assert dialog is not None
        dialog.resize(720, 560)
        dialog.send()  # type: ignore[attr-defined]
        _settle(ops, until=lambda: dialog.trial() is not None)  # type: ignore[attr-defined]
        save("ask-ai", dialog)
        dialog.judge("solved" if language.startswith("zh") else "failed")  # type: ignore[attr-defined]
        _settle(ops)
        for card in editor.findChildren(TrialCard):
            if card.trial.answer:
                card.answer_button.setChecked(True)
                _settle(ops)
                panel.body_area.ensureWidgetVisible(card, 0, 0)
                break
        save("evidence-editor-trials", window)

        settings = SettingsDialog(controller, tmp / "demo", window)
        settings.pages.setCurrentWidget(settings.ai_page)
        settings.resize(620, 560)
        settings.show()
        save("settings-ai", settings)
        settings.close()

        window.show_view("review")
        review = window.findChild(ReviewPage)
        assert review is not None
        review.start()
        _settle(ops)
        review.new_next.click()
        _settle(ops)
        while review.stack.currentIndex() == 2:
            review.due.skip_button.click()
            _settle(ops)
        save("review-waterline-flood", window)

        window.show_view("insights")
        insights = window.findChild(InsightsPage)
        assert insights is not None
        insights.tabs.setCurrentIndex(1)
        save("insights-evidence", window)

        window.show_view("still_mine")
        save("still-mine", window)
        window.close()
    finally:
        server.shutdown()
        server.server_close()
        services.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return written
