"""Child process: links and attachments at scale (issue 18).

``python attach_probe.py DB WORK FILES TOTAL_MB RUNS`` copies the corpus journal into WORK, adds
``[[links]]`` (one entry in ten links to two others; a few "hub" entries are linked from
hundreds), attaches FILES files of TOTAL_MB in all through the service, and prints one JSON
object: the time to add them and the process's peak memory (it must stay far below one file's
size times a few, since bytes stream in pieces), backlinks and ``[[`` completion latency, the
list's first page with and without attachments, and exporting every attachment. The suite runs
it with FILES = entries / 20 and 0.4 MB a file, i.e. 5,000 files and 2 GB at 100,000 entries.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import sys
import time
from pathlib import Path


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def _latency(fn, runs: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    xs = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        xs.append(time.perf_counter() - t)
    xs.sort()
    p95 = xs[max(0, -(-95 * len(xs) // 100) - 1)]
    return {"p50_ms": _ms(xs[len(xs) // 2]), "p95_ms": _ms(p95), "max_ms": _ms(xs[-1])}


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def main() -> None:
    source, work = Path(sys.argv[1]), Path(sys.argv[2])
    n_files, total_mb, runs = int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
    from questionbook.core.links import link_markup
    from questionbook.exchange.api import export_journal
    from questionbook.paths import AppPaths
    from questionbook.services import open_services

    work.mkdir(parents=True, exist_ok=True)
    db = work / "attach.sqlite3"
    shutil.copyfile(source, db)
    services = open_services(AppPaths(work, work / "config"), db, daily_backup=False)
    journal = services.journal
    rng = random.Random(18)
    with journal.reading() as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM entry ORDER BY num")]
        titles = dict(conn.execute("SELECT id, title FROM entry"))
    hubs = ids[:5]
    out: dict[str, object] = {"entries": len(ids)}

    # -- links: one entry in ten gains two, a quarter of them to a hub ---------------------------
    t = time.perf_counter()
    linking = ids[5::10]
    with journal.db.write() as conn:
        from questionbook.core import entry_sql
        from questionbook.core.entry_writes import change_entry

        for chunk_start in range(0, len(linking), 500):
            for entry in entry_sql.load_entries(conn, linking[chunk_start : chunk_start + 500]):
                a = rng.choice(hubs) if rng.random() < 0.25 else rng.choice(ids)
                b = rng.choice(ids)
                extra = f"\n\nSee {link_markup(a, titles[a])} and {link_markup(b, titles[b])}."
                change_entry(conn, entry, {"body": entry.body + extra}, now=journal.clock())
    out["links_added"] = len(linking) * 2
    out["link_s"] = round(time.perf_counter() - t, 2)
    hub_count = len(services.links.backlink_ids(hubs[0]))
    out["backlinks_hub"] = _latency(lambda: services.links.backlinks(hubs[0]), runs) | {
        "count": hub_count
    }
    out["backlink_ids_hub"] = _latency(lambda: services.links.backlink_ids(hubs[0]), runs)
    with journal.reading() as conn:
        typical = [
            r[0]
            for r in conn.execute(
                "SELECT target_id FROM entry_link GROUP BY target_id "
                "HAVING count(*) BETWEEN 1 AND 5 LIMIT 200"
            )
        ]
    out["backlinks_typical"] = _latency(
        lambda: services.links.backlinks(typical[rng.randrange(len(typical))]), runs
    )
    typing_runs = max(3, runs // 3)
    for name, word in (("complete_en", "elevator"), ("complete_zh", "水位上涨")):
        prefixes = [word[:i] for i in range(1, len(word) + 1)]
        out[name] = _latency(
            lambda p=prefixes: [services.links.complete(x) for x in p], typing_runs
        )
        out[name]["per_keystroke_ms"] = round(out[name]["p50_ms"] / len(prefixes), 3)

    # -- attachments -----------------------------------------------------------------------------
    list_before = _latency(lambda: journal.find("", limit=100), runs)
    size = max(1, int(total_mb * 2**20 / max(1, n_files)))
    files_dir = work / "files"
    files_dir.mkdir(exist_ok=True)
    block = os.urandom(size)
    targets = [ids[i * len(ids) // max(1, n_files)] for i in range(n_files)]
    peak_before = _peak_mb()
    t = time.perf_counter()
    for i, entry_id in enumerate(targets):
        path = files_dir / f"photo-{i}.jpg"
        # distinct bytes per file (no dedupe), written fresh each time to bound disk use
        path.write_bytes(i.to_bytes(8, "little") + block[8:])
        services.attachments.attach(entry_id, [path])
        path.unlink()
    add_s = time.perf_counter() - t
    out["attach"] = {
        "files": n_files,
        "file_mb": round(size / 2**20, 3),
        "total_mb": round(n_files * size / 2**20, 1),
        "add_s": round(add_s, 2),
        "per_file_ms": _ms(add_s / max(1, n_files)),
        "mb_per_s": round(n_files * size / 2**20 / max(add_s, 1e-9), 1),
        "peak_mb_before": peak_before,
        "peak_mb_after": _peak_mb(),
        "db_mb": round(db.stat().st_size / 2**20, 1),
    }
    out["list_first_page"] = {
        "before": list_before,
        "after": _latency(lambda: journal.find("", limit=100), runs),
    }
    t = time.perf_counter()
    report = export_journal(journal, "json", work / "export" / "journal.json")
    out["export_json"] = {
        "s": round(time.perf_counter() - t, 2),
        "attachments": report.attachments,
        "peak_mb": _peak_mb(),
    }
    services.close()
    shutil.rmtree(work / "export", ignore_errors=True)
    db.unlink()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
