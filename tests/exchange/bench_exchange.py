"""Benchmark: export and import of a generated 100k-entry journal.

Run: ``.venv/bin/python -m tests.exchange.bench_exchange [N]`` (not collected by pytest).
jrnl needs 79 s to export 100k entries as JSON (TECH-NOTES); we aim for a small fraction.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from questionbook.exchange.api import export_journal, import_path
from questionbook.exchange.common import ImportReport
from questionbook.exchange.importer import apply_batch
from questionbook.exchange.incoming import ImportBatch, Incoming, normalise
from questionbook.paths import AppPaths
from questionbook.services import open_services

WORDS = [
    "why",
    "does",
    "the",
    "water",
    "rise",
    "电梯",
    "为什么",
    "问题",
    "plan",
    "elevator",
    "stairs",
    "model",
    "水位",
    "curiosity",
]


def generate(n: int) -> ImportBatch:
    rnd = random.Random(42)
    start = datetime(2020, 1, 1, tzinfo=UTC)
    batch = ImportBatch(format="bench", authoritative=True)
    for i in range(n):
        title = " ".join(rnd.choices(WORDS, k=6)) + "?"
        body = "\n".join(" ".join(rnd.choices(WORDS, k=12)) for _ in range(rnd.randint(1, 6)))
        when = start + timedelta(minutes=37 * i)
        inc = Incoming(
            id=str(uuid.UUID(int=rnd.getrandbits(128), version=4)),
            title=title,
            body=body + f" #t{i % 50}",
            created_at=when,
            updated_at=when,
            kind=("question", "plan", "note")[i % 3],
            hardness=rnd.choice([None, 0, 1, 2, 3, 4]),
        )
        batch.entries.append(normalise(inc) or inc)
    return batch


def timed(label: str, fn):
    t = time.perf_counter()
    result = fn()
    print(f"{label:<32} {time.perf_counter() - t:7.2f} s")
    return result


def main(n: int) -> None:
    root = Path(tempfile.mkdtemp(prefix="qb-bench-"))
    a = open_services(AppPaths(root / "a", root / "a" / "c"), daily_backup=False)
    b = open_services(AppPaths(root / "b", root / "b" / "c"), daily_backup=False)
    batch = timed(f"generate {n}", lambda: generate(n))
    timed(
        "bulk import (in memory)",
        lambda: apply_batch(a.journal, batch, ImportReport(root, "bench")),
    )
    timed("export json", lambda: export_journal(a.journal, "json", root / "x.json"))
    timed("export markdown", lambda: export_journal(a.journal, "markdown", root / "x.md"))
    timed("export vault", lambda: export_journal(a.journal, "vault", root / "vault"))
    timed("re-export vault (unchanged)", lambda: export_journal(a.journal, "vault", root / "vault"))
    r = timed("import json (empty journal)", lambda: import_path(b.journal, root / "x.json"))
    assert r.added == n, r
    r = timed("re-import json (unchanged)", lambda: import_path(b.journal, root / "x.json"))
    assert r.unchanged == n, r
    print(f"files in {root}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
