#!/usr/bin/env python3
"""Sync at scale: ``bench/sync_bench.py [--size 100000] [--out bench/results/sync-DATE.json]``.

On the benchmark corpus (:mod:`corpus`, the same journal ``bench/run`` uses):

- **first sync** of a journal of N entries (every row stamped and packed into change files);
- **join**: an empty journal on a second "computer" syncs through the folder and ends with
  all N entries (budget: under 60 s at 100,000);
- **10 changes**: ten entries edited on the first computer, then ``questionbook sync`` on each
  computer as a separate process, end to end (budget: under 1 s each at 100,000);
- **size**: the change files against the lossless JSON export (budget: under 2×);
- **snapshot**: ``sync --compact`` on the first computer, and a third computer joining from
  that snapshot.

Each "computer" is its own journal file and its own copy of the folder: the benchmark copies
files between the copies the way a sync engine would.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path[:0] = [str(BENCH), str(REPO)]

import corpus  # noqa: E402


def _size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _copy(src: Path, dst: Path) -> None:
    for path in src.rglob("*"):
        if path.is_file() and not path.name.startswith("."):
            target = dst / path.relative_to(src)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)


def _cli(env: dict[str, str], db: Path, *args: str) -> tuple[float, str]:
    t = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-m", "questionbook", "--db", str(db), *args],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return time.perf_counter() - t, out.stdout


def corpus_db(size: int, cache: Path) -> Path:
    path = cache / f"sync-corpus-v{corpus.CORPUS_VERSION}-n{size}.sqlite3"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        corpus.load_into_db(list(corpus.generate(size)), tmp)
        tmp.rename(path)
    return path


def run(size: int, work: Path, cache: Path) -> dict[str, object]:
    from questionbook.core.journal import Journal
    from questionbook.storage.migrate import open_database
    from questionbook.sync.service import SyncService

    env = dict(os.environ, PYTHONPATH=str(REPO), QUESTIONBOOK_HOME=str(work / "home"), TZ="UTC")
    a_db, b_db, c_db = work / "a.sqlite3", work / "b.sqlite3", work / "c.sqlite3"
    fa, fb, fc = work / "folder-a", work / "folder-b", work / "folder-c"
    shutil.copyfile(corpus_db(size, cache), a_db)
    out: dict[str, object] = {"size": size}

    _t, _o = _cli(env, a_db, "export", "--format", "json", "--output", str(work / "x.json"))
    out["json_export_bytes"] = (work / "x.json").stat().st_size

    a = open_database(a_db)
    t = time.perf_counter()
    report = SyncService(a).enable(fa)
    out["first_sync_s"] = round(time.perf_counter() - t, 2)
    out["changes_sent"] = report.sent
    out["change_files_bytes"] = _size(fa)
    out["size_vs_json"] = round(out["change_files_bytes"] / out["json_export_bytes"], 2)  # type: ignore[operator]
    a.close()

    _copy(fa, fb)
    b = open_database(b_db)
    t = time.perf_counter()
    report = SyncService(b).enable(fb)
    out["join_s"] = round(time.perf_counter() - t, 2)
    out["join_received"] = report.received
    out["b_entries"] = len(Journal(b).find_ids(""))
    b.close()

    a = open_database(a_db)
    journal = Journal(a)
    ids = journal.find_ids("")[:10]
    for i, entry_id in enumerate(ids):
        journal.update(entry_id, body=f"edited for the sync benchmark {i}")
    a.close()
    # The first command of a day makes the daily backup (measured elsewhere): done first.
    _cli(env, a_db, "list", "--limit", "1")
    _cli(env, b_db, "list", "--limit", "1")
    out["ten_send_s"], _o = _cli(env, a_db, "sync")
    _copy(fa, fb)
    _copy(fb, fa)
    out["ten_receive_s"], text = _cli(env, b_db, "sync", "--json")
    out["ten_received"] = json.loads(text)["received"]

    t = time.perf_counter()
    _cli(env, a_db, "sync", "--compact")
    out["compact_s"] = round(time.perf_counter() - t, 2)
    snaps = list(fa.rglob("*.qbsnap"))
    out["snapshot_bytes"] = sum(p.stat().st_size for p in snaps)
    _copy(fa, fc)
    c = open_database(c_db)
    t = time.perf_counter()
    report = SyncService(c).enable(fc)
    out["join_from_snapshot_s"] = round(time.perf_counter() - t, 2)
    out["c_entries"] = len(Journal(c).find_ids(""))
    c.close()
    for key in ("ten_send_s", "ten_receive_s"):
        out[key] = round(float(out[key]), 2)  # type: ignore[arg-type]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    cache = BENCH / ".cache"
    cache.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="qb-sync-bench-") as tmp:
        result = run(args.size, Path(tmp), cache)
    result["when"] = datetime.now(UTC).isoformat(timespec="seconds")
    result["load"] = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    text = json.dumps(result, indent=1)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
