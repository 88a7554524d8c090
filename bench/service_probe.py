"""Child process: search latency inside the service, and hit counts against a substring scan.

Run by :mod:`suite` as ``python service_probe.py DB RUNS`` with the project's interpreter; prints
one JSON object. It runs in its own process so its peak memory is its own, and so the queries
see a cold interpreter but a warm page cache, like the app after start-up.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import sys
import time
from pathlib import Path

QUERIES = {"zh2": "电梯", "zh4": "水位上涨", "en_prefix": "elev", "tag": "#里程碑"}
#: What a user types, one keystroke at a time: every prefix is a query the app runs.
TYPING = {"en_typing": "elevator", "zh_typing": "水位上涨"}
LIKE_SQL = (
    "SELECT count(*) FROM entry WHERE deleted_at IS NULL AND (title LIKE :p OR body LIKE :p"
    " OR tags_text LIKE :p OR outcome LIKE :p)"
)
PAGE = 100


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _time(fn, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    xs = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        xs.append(time.perf_counter() - t)
    xs.sort()
    p95 = xs[max(0, -(-95 * len(xs) // 100) - 1)]
    return {"p50_ms": _ms(xs[len(xs) // 2]), "p95_ms": _ms(p95), "max_ms": _ms(xs[-1])}


def ground_truth(db: Path) -> dict[str, int]:
    """Counts by scanning every live entry's text in Python (``in`` and a word-prefix regex)."""
    from questionbook.core.text import search_text

    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT title, body, tags_text, outcome FROM entry WHERE deleted_at IS NULL"
    ).fetchall()
    tag_n = conn.execute(
        "SELECT count(*) FROM entry_tag JOIN tag ON tag.id = entry_tag.tag_id "
        "JOIN entry ON entry.id = entry_tag.entry_id WHERE tag.key = ? "
        "AND entry.deleted_at IS NULL",
        ("里程碑",),
    ).fetchone()[0]
    conn.close()
    texts = ["\n".join(r) for r in rows]
    prefix = re.compile(r"(?<![^\W_])elev", re.I)
    return {
        "zh2": sum(QUERIES["zh2"] in t for t in texts),
        "zh4": sum(QUERIES["zh4"] in t for t in texts),
        "en_prefix": sum(any(prefix.search(search_text(f)) for f in r) for r in rows),
        "tag": int(tag_n),
    }


def main(db_path: str, runs: int) -> None:
    t0 = time.perf_counter()
    from questionbook.paths import AppPaths
    from questionbook.services import open_services

    db = Path(db_path)
    key = None
    if secret_file := os.environ.get("QB_BENCH_PASSPHRASE_FILE"):  # an encrypted journal
        from questionbook.storage.encryption import unlock

        key = unlock(db, Path(secret_file).read_text(encoding="utf-8").splitlines()[0])
    services = open_services(AppPaths(db.parent, db.parent / "config"), db, key=key)
    journal = services.journal
    opened = time.perf_counter() - t0
    truth = ground_truth(Path(os.environ.get("QB_BENCH_PLAIN_DB", db)))
    from questionbook.storage.connection import open_raw

    raw = open_raw(db, key=key)
    out: dict[str, object] = {"open_ms": _ms(opened), "page_size": PAGE, "queries": {}}
    for name, query in QUERIES.items():
        t = time.perf_counter()
        first = journal.find(query, limit=PAGE)
        cold = time.perf_counter() - t
        row: dict[str, object] = {"query": query, "first_ms": _ms(cold), "page_rows": len(first)}
        row.update(_time(lambda q=query: journal.find(q, limit=PAGE), runs))
        row["count"] = journal.count(query)
        row["count_p50_ms"] = _time(lambda q=query: journal.count(q), max(5, runs // 5))["p50_ms"]
        row["substring"] = truth[name]
        if name in ("zh2", "zh4"):
            t = time.perf_counter()
            row["like"] = raw.execute(LIKE_SQL, {"p": f"%{query}%"}).fetchone()[0]
            row["like_ms"] = _ms(time.perf_counter() - t)
        out["queries"][name] = row  # type: ignore[index]
    for name, word in TYPING.items():
        steps = []
        for i in range(1, len(word) + 1):
            stats = _time(lambda q=word[:i]: journal.find(q, limit=PAGE), max(5, runs // 5))
            steps.append({"query": word[:i], **stats})
        out[name] = {"worst_p95_ms": max(s["p95_ms"] for s in steps), "steps": steps}
    raw.close()
    services.close()
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
