"""Developer tool: PNGs of the review and insights pages over the demo journal.

Called by ``python -m questionbook.ui.screenshots OUTDIR [--lang en|zh_CN] [--theme light|dark]``

Opens the demo journal in a temporary folder (never the user's journal), walks a weekly review
through every step and grabs each one, then grabs the insights page. Under Xvfb
(``xvfb-run -a -s "-screen 0 1400x900x24"``) or, without a display, Qt's offscreen platform.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

PAGE_SIZE = (1100, 820)


def _settle(ops: object = None, rounds: int = 6) -> None:
    """Let Qt paint, and let the review's writes (operations, on a worker) come back."""
    import time

    from PySide6.QtCore import QCoreApplication, QEventLoop

    deadline = time.monotonic() + 10
    while ops is not None and ops.pending() and time.monotonic() < deadline:  # type: ignore[attr-defined]
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
    for _ in range(rounds):
        QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def take_screenshots(outdir: Path, language: str = "en", theme: str = "light") -> list[Path]:
    """Write the PNGs into *outdir*; returns their paths."""
    from questionbook.demo import create_demo_services
    from questionbook.i18n import set_language
    from questionbook.settings import Settings
    from questionbook.ui.app import create_application, prepare_application
    from questionbook.ui.operations import Operations
    from questionbook.ui.pages.insights_page import InsightsPage
    from questionbook.ui.pages.review_page import ReviewPage
    from questionbook.ui.settings_controller import SettingsController

    set_language(language)
    outdir.mkdir(parents=True, exist_ok=True)
    app = create_application()
    settings = Settings()
    prepare_application(app, settings, theme=theme, language=language)
    tmp = Path(tempfile.mkdtemp(prefix="questionbook-review-shots-"))
    written: list[Path] = []
    services = create_demo_services(tmp / "demo")
    suffix = f"-{language}-{theme}"
    try:
        ops = Operations(services.db.path)
        page = ReviewPage(
            services.review,
            SettingsController(None, settings),
            ops=ops,
            save_path_provider=lambda _n: None,
        )
        page.resize(*PAGE_SIZE)
        page.show()

        def save(name: str, widget: object) -> None:
            _settle(ops)
            path = outdir / f"{name}{suffix}.png"
            widget.grab().save(str(path))  # type: ignore[attr-defined]
            written.append(path)

        save("review-1-intro", page)
        page.start()
        save("review-2-new", page)
        page.new_next.click()
        save("review-3-due", page)
        page.due.keep_button.click()
        _settle(ops)
        if page.stack.currentIndex() == 2:
            page.due.rate_buttons[3].click()
        save("review-4-due-next", page)
        while page.stack.currentIndex() == 2:
            page.due.skip_button.click()
            _settle(ops)
        page.water.level_group.button(2).setChecked(True)
        page.water.water_button.click()
        save("review-5-waterline", page)
        page.water.water_next.click()
        page.reflection_edit.setPlainText(
            "水涨得比我想的快。下周把两个问题问得更尖锐。"
            if language.startswith("zh")
            else "The water rose faster than I thought. Next week: sharpen two questions."
        )
        save("review-6-reflection", page)
        page.finish()
        save("review-7-summary", page)
        from questionbook.i18n import _

        view = page.summary_view
        view.find(_("Hardness against the waterline"))
        view.verticalScrollBar().setValue(
            view.cursorRect().top() + view.verticalScrollBar().value()
        )
        save("review-8-summary-histogram", page)
        page.close()
        ops.close()

        insights = InsightsPage(services.insights)
        insights.resize(*PAGE_SIZE)
        insights.show()
        save("insights", insights)
        insights.close()
    finally:
        services.close()
        shutil.rmtree(tmp, ignore_errors=True)
    return written
