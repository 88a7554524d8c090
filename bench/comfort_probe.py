"""Writing comfort at scale (issue 19): nested tags, renames, the tag tree, the calendar.

``python bench/comfort_probe.py [N] [WORK]`` builds the corpus of N entries (default 100,000) in
WORK (default a temporary folder), moves its eight most used tags under four parents by renaming
them (``ai`` → ``topic0/ai``: each rename rewrites the inline tags of every entry that has it),
then times the tag tree, the first page and the count of a parent tag's search, and a month and
a day of the calendar, and prints one JSON object. Numbers: docs/performance.md.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus

from questionbook.core.calendar_days import Calendar
from questionbook.core.journal import Journal
from questionbook.core.tag_service import TagService
from questionbook.storage.migrate import open_database

TZ = ZoneInfo("Asia/Shanghai")


def _ms(fn, runs: int = 5) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def main(size: int, work: Path) -> dict[str, object]:
    path = work / "journal.sqlite3"
    start = time.perf_counter()
    corpus.load_into_db(list(corpus.generate(size)), path)
    out: dict[str, object] = {"entries": size, "build_s": round(time.perf_counter() - start, 1)}
    db = open_database(path)
    try:
        journal = Journal(db, tz=TZ)
        tags = TagService(db)
        renames = []
        for i, tag in enumerate(journal.tag_counts()[:8]):
            start = time.perf_counter()
            done = tags.rename(tag.name, f"topic{i % 4}/{tag.name}")
            renames.append((done.entries, round(time.perf_counter() - start, 2)))
        out["renames (entries, s)"] = renames
        out["tag_counts_ms"] = _ms(journal.tag_counts)
        out["tag_tree_ms"] = _ms(tags.tree)
        parent = next(n for n in tags.tree() if n.name == "topic0")
        out["parent_entries"] = parent.count
        out["parent_first_page_ms"] = _ms(lambda: journal.find("#topic0", limit=100))
        out["parent_count_ms"] = _ms(lambda: journal.count("#topic0"))
        out["child_first_page_ms"] = _ms(lambda: journal.find(f"#{parent.children[0].name}"))
        calendar = Calendar(db, tz=TZ)
        out["calendar_month_ms"] = _ms(lambda: calendar.month(2025, 3))
        out["calendar_day_ms"] = _ms(lambda: calendar.day(date(2025, 3, 14)))
    finally:
        db.close()
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(json.dumps(main(n, folder), ensure_ascii=False, indent=1))
