"""The benchmarks: corpus set-up, each measured operation, jrnl side by side, and budgets.

Every operation runs the way a user runs it (a fresh process, the real CLI) except the service
search, which measures latency inside one process because that is what search-as-you-type sees.
A benchmark whose feature has not landed yet (no ``export`` command, no main window) reports
``{"skipped": "not available"}`` instead of failing, so the suite runs at every stage.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import corpus
import jrnl_peer
from measure import BenchError, Sample, bench_command, merge_runs, run_once

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
ADD_TEXT = "Why does grokking happen suddenly? 为什么顿悟会突然发生"
CLI_SEARCHES = {
    "zh2": corpus.MARKER_ZH2,
    "zh4": corpus.MARKER_ZH4,
    "en_prefix": corpus.MARKER_EN_PREFIX,
    "tag": f"#{corpus.MARKER_TAG}",
}


class Skipped(Exception):
    """The feature a benchmark needs is not in the tree yet."""


@dataclass
class Plan:
    """How hard to measure: repetitions per kind of operation."""

    cli_runs: int = 7
    heavy_runs: int = 3
    probe_runs: int = 50
    warmup: int = 1
    jrnl: bool = True

    @classmethod
    def quick(cls, jrnl: bool) -> Plan:
        return cls(cli_runs=2, heavy_runs=1, probe_runs=15, warmup=0, jrnl=jrnl)


@dataclass
class Corpus:
    """The cached files for one size (generated once; the cache key is the corpus version)."""

    size: int
    folder: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def db(self) -> Path:
        return self.folder / "journal.sqlite3"

    @property
    def jrnl(self) -> Path:
        return self.folder / "journal.txt"

    @property
    def json(self) -> Path:
        return self.folder / "entries.json"


def build_corpus(size: int, cache: Path) -> Corpus:
    """Generate (or reuse) the corpus of *size* entries; ``meta.json`` marks it complete."""
    folder = cache / f"corpus-v{corpus.CORPUS_VERSION}-seed{corpus.SEED}-n{size}"
    out = Corpus(size, folder)
    meta_file = folder / "meta.json"
    if meta_file.exists():
        out.meta = json.loads(meta_file.read_text(encoding="utf-8"))
        return out
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    t = time.perf_counter()
    entries = list(corpus.generate(size))
    gen_s = time.perf_counter() - t
    t = time.perf_counter()
    corpus.load_into_db(entries, out.db)
    load_s = time.perf_counter() - t
    corpus.write_jrnl(entries, out.jrnl)
    corpus.write_json(entries, out.json)
    out.meta = {
        "size": size,
        "seed": corpus.SEED,
        "version": corpus.CORPUS_VERSION,
        "expected": corpus.expected_counts(entries),
        "substring": corpus.substring_counts(entries),
        "mean_chars": round(sum(len(e.title) + len(e.body) for e in entries) / max(1, size)),
        "generate_s": round(gen_s, 2),
        "bulk_load_s": round(load_s, 2),
        "db_mb": round(out.db.stat().st_size / 2**20, 1),
        "jrnl_mb": round(out.jrnl.stat().st_size / 2**20, 1),
    }
    meta_file.write_text(json.dumps(out.meta, ensure_ascii=False, indent=1), encoding="utf-8")
    return out


class Suite:
    """Runs every benchmark for one corpus in a scratch folder."""

    def __init__(self, data: Corpus, work: Path, plan: Plan, pycache: Path | None = None) -> None:
        self.data, self.work, self.plan = data, work, plan
        self.home = work / "home"
        self.home.mkdir(parents=True, exist_ok=True)
        self.db = work / "journal.sqlite3"
        shutil.copyfile(data.db, self.db)  # benchmarks that write must not touch the cache
        self.env = dict(os.environ)
        self.env.update(
            PYTHONPATH=str(REPO),
            QUESTIONBOOK_HOME=str(self.home),
            TZ="UTC",
            QT_QPA_PLATFORM="offscreen",
            PYTHONIOENCODING="utf-8",
        )
        if pycache is not None:
            # An installed app has .pyc files; a session with PYTHONDONTWRITEBYTECODE=1 would
            # recompile our sources on every run (~0.06 s per CLI call). Cache them outside
            # the tree instead, so the warm-up run writes them and timed runs read them.
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.env["PYTHONPYCACHEPREFIX"] = str(pycache)
        self._commands: dict[str, bool] = {}
        self._reference: dict[str, tuple[list[str], dict[str, str]] | None] = {}

    # -- helpers ------------------------------------------------------------------------------
    def qb(self, *args: str, db: Path | None = None) -> list[str]:
        return [sys.executable, "-m", "questionbook", "--db", str(db or self.db), *args]

    def has_command(self, name: str) -> bool:
        """Whether the CLI knows *name* (argparse exits 2 for an unknown command)."""
        if name not in self._commands:
            sample = run_once(self.qb(name, "--help"), env=self.env, timeout=60)
            self._commands[name] = sample.returncode == 0
        return self._commands[name]

    def need(self, *commands: str) -> None:
        if not all(self.has_command(c) for c in commands):
            raise Skipped

    def cli(self, args: list[str], runs: int | None = None, **kw: Any) -> dict[str, object]:
        return bench_command(
            self.qb(*args, db=kw.pop("db", None)),
            env=self.env,
            runs=runs or self.plan.cli_runs,
            warmup=self.plan.warmup,
            **kw,
        )

    def count_entries(self, db: Path) -> int:
        conn = sqlite3.connect(db)
        try:
            return int(conn.execute("SELECT count(*) FROM entry").fetchone()[0])
        finally:
            conn.close()

    # -- benchmarks ---------------------------------------------------------------------------
    def cli_add(self) -> dict[str, object]:
        return self.cli(["add", ADD_TEXT, "--tag", "bench"])

    def cli_list(self) -> dict[str, object]:
        return self.cli(["list", "-n", "20"])

    def cli_search(self, query: str) -> dict[str, object]:
        def nonempty(s: Sample) -> None:
            if "Nothing found" in s.stdout or not s.stdout.strip():
                raise BenchError(f"search {query!r} found nothing")

        return self.cli(["search", query], check=nonempty)

    def service_search(self) -> dict[str, object]:
        cmd = [
            sys.executable,
            str(BENCH_DIR / "service_probe.py"),
            str(self.data.db),
            str(self.plan.probe_runs),
        ]
        sample = run_once(cmd, env=self.env, timeout=900)
        if sample.returncode != 0:
            raise BenchError(sample.stderr.strip().splitlines()[-1:])
        result = json.loads(sample.stdout)
        result["peak_mb"] = round(sample.peak_mb, 1)
        for name, row in result["queries"].items():
            row["expected"] = self.data.meta["expected"][_marker(name)]
        return result

    def attachments(self) -> dict[str, object]:
        """Links, backlinks, completion and attachments at scale (issue 18): 1 file per 20
        entries at 0.4 MB each (5,000 files, 2 GB at 100k); ``QB_BENCH_ATTACH_MB`` overrides
        the total for a machine with less disk or time."""
        if not (REPO / "questionbook" / "core" / "attachment_service.py").exists():
            raise Skipped
        files = max(10, self.data.size // 20)
        total_mb = float(os.environ.get("QB_BENCH_ATTACH_MB", files * 0.4))
        cmd = [
            sys.executable,
            str(BENCH_DIR / "attach_probe.py"),
            str(self.data.db),
            str(self.work / "attach"),
            str(files),
            str(total_mb),
            str(self.plan.probe_runs),
        ]
        sample = run_once(cmd, env=self.env, timeout=3600)
        if sample.returncode != 0:
            raise BenchError(sample.stderr.strip().splitlines()[-1:])
        result = json.loads(sample.stdout)
        result["peak_mb"] = round(sample.peak_mb, 1)
        return result

    def list_thumbnails(self) -> dict[str, object]:
        """The entry list before and after 1 real JPEG per 20 entries (issue 18: 5,000 at 100k,
        about 2 GB): showing All entries, paging down, the first screen's thumbnails.
        ``QB_BENCH_THUMB_FILES`` overrides the number of pictures."""
        if not (REPO / "questionbook" / "ui" / "widgets" / "list_thumbnails.py").exists():
            raise Skipped
        files = int(os.environ.get("QB_BENCH_THUMB_FILES", max(10, self.data.size // 20)))
        pages = 50 if self.plan.probe_runs < 50 else 200
        cmd = [
            sys.executable,
            str(BENCH_DIR / "thumb_probe.py"),
            str(self.data.db),
            str(self.work / "thumbs"),
            str(files),
            str(pages),
        ]
        try:
            sample = run_once(cmd, env=self.env, timeout=3600)
        finally:
            shutil.rmtree(self.work / "thumbs", ignore_errors=True)
        if sample.returncode != 0:
            raise BenchError(sample.stderr.strip().splitlines()[-1:])
        result = json.loads(sample.stdout.strip().splitlines()[-1])
        result["peak_mb"] = round(sample.peak_mb, 1)
        return result

    def app(self) -> dict[str, object]:
        if not (REPO / "questionbook" / "ui" / "main_window.py").exists():
            raise Skipped
        results = []
        runs = max(1, self.plan.heavy_runs) + (0 if self.plan.warmup == 0 else 1)
        for i in range(runs):  # the first run also types and scrolls; the rest only start
            cmd = [
                sys.executable,
                str(BENCH_DIR / "app_probe.py"),
                str(self.data.db),
                str(self.home),
                "full" if i == 0 else "startup",
            ]
            start = time.time()
            sample = run_once(cmd, env=self.env, timeout=300)
            if sample.returncode != 0:
                tail = (sample.stderr or sample.stdout).strip().splitlines()[-3:]
                raise BenchError(f"app probe exit {sample.returncode}: {' | '.join(tail)}")
            row = json.loads(sample.stdout.strip().splitlines()[-1])
            for key in ("first_paint", "interactive"):
                if key in row:
                    row[f"{key}_s"] = round(row.pop(key) - start, 4)
            row["peak_mb"] = round(sample.peak_mb, 1)
            results.append(row)
        merged = merge_runs(results)
        merged.update(self._editor_typing())
        return merged

    def _editor_typing(self) -> dict[str, object]:
        """Typing in a 20,000-character body (issue 21), over a fresh journal of its own."""
        home = self.work / "editor-probe"
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir(parents=True)
        cmd = [sys.executable, str(BENCH_DIR / "app_probe.py"), "-", str(home), "editor"]
        sample = run_once(cmd, env=self.env, timeout=300)
        if sample.returncode != 0:
            tail = (sample.stderr or sample.stdout).strip().splitlines()[-3:]
            raise BenchError(f"editor probe exit {sample.returncode}: {' | '.join(tail)}")
        return dict(json.loads(sample.stdout.strip().splitlines()[-1]))

    def start(self) -> dict[str, object]:
        """Start-up against a bare PySide6 window, side by side under Xvfb (issue 21):
        ``start_probe.py`` alternates fresh processes of both and reports the ratios."""
        if not (REPO / "questionbook" / "start_trace.py").exists():
            raise Skipped
        rounds = 5 if self.plan.heavy_runs > 1 else 1
        cmd = [sys.executable, str(BENCH_DIR / "start_probe.py"), str(self.data.db)]
        cmd += ["--rounds", str(rounds), "--work", str(self.work)]
        if "PYTHONPYCACHEPREFIX" in self.env:
            cmd += ["--pycache", self.env["PYTHONPYCACHEPREFIX"]]
        sample = run_once(cmd, env=self.env, timeout=900)
        if sample.returncode != 0:
            tail = (sample.stderr or sample.stdout).strip().splitlines()[-3:]
            raise BenchError(f"start probe exit {sample.returncode}: {' | '.join(tail)}")
        result: dict[str, object] = json.loads(sample.stdout.strip().splitlines()[-1])
        if "error" in result:
            raise BenchError(str(result["error"]))
        return result

    def encrypted(self) -> dict[str, object]:
        """The same everyday figures on an encrypted copy of the corpus (issue 15): encrypting
        it, CLI add and search with ``--passphrase-file`` (the key derivation included), the
        service's search and the app's first paint, for the plain/encrypted table."""
        if not (REPO / "questionbook" / "storage" / "encryption.py").exists():
            raise Skipped
        secret = self.work / "passphrase.txt"
        secret.write_text("bench passphrase for the corpus\n", encoding="utf-8")
        db = self.work / "encrypted" / "journal.sqlite3"
        db.parent.mkdir(exist_ok=True)
        shutil.copyfile(self.data.db, db)
        code = (
            "import sys, time\nfrom pathlib import Path\n"
            "from questionbook.storage.encryption import encrypt_journal\n"
            "t = time.perf_counter(); encrypt_journal(Path(sys.argv[1]), sys.argv[2])\n"
            "print(round(time.perf_counter() - t, 3))"
        )
        sample = run_once(
            [sys.executable, "-c", code, str(db), "bench passphrase for the corpus"],
            env=self.env,
            timeout=1800,
        )
        if sample.returncode != 0:
            raise BenchError(sample.stderr.strip().splitlines()[-1:])
        out: dict[str, object] = {
            "encrypt_s": float(sample.stdout.strip()),
            "db_mb": round(db.stat().st_size / 2**20, 1),
        }
        pw = ["--passphrase-file", str(secret)]
        out["cli_add"] = self.cli([*pw, "add", ADD_TEXT, "--tag", "bench"], db=db)
        for k in ("zh2", "en_prefix"):
            out[f"cli_search_{k}"] = self.cli([*pw, "search", CLI_SEARCHES[k]], db=db)
        env = {
            **self.env,
            "QB_BENCH_PASSPHRASE_FILE": str(secret),
            "QB_BENCH_PLAIN_DB": str(self.data.db),
        }
        probe = [
            sys.executable,
            str(BENCH_DIR / "service_probe.py"),
            str(db),
            str(self.plan.probe_runs),
        ]
        sample = run_once(probe, env=env, timeout=900)
        if sample.returncode != 0:
            raise BenchError(sample.stderr.strip().splitlines()[-1:])
        out["service_search"] = json.loads(sample.stdout)
        app = [sys.executable, str(BENCH_DIR / "app_probe.py"), str(db), str(self.home), "startup"]
        paints = []
        for _ in range(max(1, self.plan.heavy_runs)):
            start = time.time()
            sample = run_once(app, env=env, timeout=300)
            if sample.returncode != 0:
                tail = (sample.stderr or sample.stdout).strip().splitlines()[-3:]
                raise BenchError(f"app probe exit {sample.returncode}: {' | '.join(tail)}")
            row = json.loads(sample.stdout.strip().splitlines()[-1])
            paints.append(round(row["first_paint"] - start, 4))
        paints.sort()
        out["app_first_paint_s"] = paints[len(paints) // 2]
        return out

    def review_open(self) -> dict[str, object]:
        """``questionbook due`` as a user runs it, and inside one process what the review page
        reads when shown and what "Start review" does (on a copy: starting writes the queue)."""
        self.need("due")
        result = self.cli(["due"])
        db = self.work / "review.sqlite3"
        shutil.copyfile(self.data.db, db)
        cmd = [sys.executable, "-c", REVIEW_PROBE, str(db), str(self.plan.heavy_runs + 2)]
        sample = run_once(cmd, env=self.env, timeout=300)
        if sample.returncode != 0:
            raise BenchError(sample.stderr.strip().splitlines()[-1:])
        result["service"] = json.loads(sample.stdout)
        return result

    def export(self, fmt: str) -> dict[str, object]:
        self.need("export")
        target = (
            self.work
            / f"export-{fmt}"
            / ("journal.md" if fmt == "markdown" else "journal.json" if fmt == "json" else "vault")
        )

        def clean() -> None:
            # Move the last run's output aside rather than delete it: right after 100,000 files
            # are deleted, ext4 here (mounted with ``discard``) spends 400-550 us of kernel time
            # per file created instead of ~50 us, for a minute or two, which made a 15 s vault
            # export take 50-70 s. The scratch folder goes at the end of the suite.
            if target.parent.exists():
                target.parent.rename(self.work / f"export-{fmt}-{uuid.uuid4().hex[:8]}")
            target.parent.mkdir(parents=True)

        load = _load()
        res = bench_command(
            self.qb("export", "--format", fmt, "-o", str(target)),
            env=self.env,
            runs=self.plan.heavy_runs,
            warmup=0,
            before_each=clean,
            timeout=900,
        )
        res["output_mb"] = round(_size(target) / 2**20, 1)
        res["loadavg"] = [load, _load()]  # the 1-minute load average before and after
        return res

    def import_file(self, fmt: str) -> dict[str, object]:
        self.need("import")
        source = self.data.json if fmt == "json" else self.data.jrnl
        target = self.work / f"import-{fmt}.sqlite3"

        def clean() -> None:
            for p in self.work.glob(f"import-{fmt}.sqlite3*"):
                p.unlink()

        # The reference, jrnl parsing the same entries (`jrnl -n 20`), is timed right
        # before each import: this shared machine's speed drifts by a third within minutes,
        # and a ratio of two runs side by side holds whatever it does (docs/performance.md).
        reference = self._jrnl_parse() if self.plan.jrnl else None
        refs: list[float] = []

        def before_each() -> None:
            clean()
            if reference is not None:
                sample = run_once(reference[0], env=reference[1], timeout=600)
                if sample.returncode == 0:
                    refs.append(sample.seconds)

        load = _load()
        res = bench_command(
            self.qb("import", str(source), "--from", fmt, db=target),
            env=self.env,
            runs=self.plan.heavy_runs,
            warmup=0,
            before_each=before_each,
            timeout=900,
        )
        res["entries_after"] = self.count_entries(target)
        res["loadavg"] = [load, _load()]
        times = res.get("times_s")
        if refs and isinstance(times, list) and len(times) == len(refs):
            ratios = sorted(t / r for t, r in zip(times, refs, strict=True))
            res["paired_jrnl_parse_s"] = [round(r, 3) for r in refs]
            res["paired_ratio"] = round(ratios[len(ratios) // 2], 2)
        return res

    def _jrnl_parse(self) -> tuple[list[str], dict[str, str]] | None:
        """jrnl's ``-n 20`` over this corpus (it parses the whole file) and its environment;
        the journal is copied for it once, for both imports."""
        if "jrnl_parse" not in self._reference:
            try:
                exe = jrnl_peer.ensure_jrnl()
            except (OSError, subprocess.CalledProcessError):
                self._reference["jrnl_parse"] = None
            else:
                env = jrnl_peer.prepare(self.work / "jrnl-ref", self.data.jrnl)
                self._reference["jrnl_parse"] = (jrnl_peer.commands(exe)["cli_list"], env)
        return self._reference["jrnl_parse"]

    def backup(self) -> dict[str, object]:
        self.need("backup")

        def clean() -> None:
            for folder in (self.work / "backups", self.home / "backups"):
                shutil.rmtree(folder, ignore_errors=True)

        return self.cli(["backup"], runs=self.plan.heavy_runs, before_each=clean)

    def doctor(self) -> dict[str, object]:
        self.need("doctor")
        return self.cli(["doctor"], runs=self.plan.heavy_runs)

    def jrnl(self) -> dict[str, object]:
        """The same operations with jrnl; its JSON export runs once (it is slow and quadratic)."""
        if not self.plan.jrnl:
            raise Skipped
        exe = jrnl_peer.ensure_jrnl()
        env = jrnl_peer.prepare(self.work / "jrnl", self.data.jrnl)
        out: dict[str, object] = {}
        big = self.data.size >= 50_000
        for name, cmd in jrnl_peer.commands(exe).items():
            load = _load()
            if name == "export_json" or (big and name == "cli_add"):
                # Slow and super-linear in jrnl: once, or extrapolated from 10k if too slow.
                timeout = JRNL_EXPORT_TIMEOUT if name == "export_json" else JRNL_ADD_TIMEOUT
                out[name] = _guard(lambda c=cmd, t=timeout: self._jrnl_once(c, env, t))
                _note_load(out[name], load)
                continue
            runs = self.plan.heavy_runs if big else self.plan.cli_runs
            out[name] = _guard(
                lambda c=cmd, r=runs: bench_command(
                    c, env=env, runs=r, warmup=self.plan.warmup, timeout=600
                )
            )
            _note_load(out[name], load)
        return out

    def _jrnl_once(
        self,
        cmd: list[str],
        env: dict[str, str],
        timeout: float,
    ) -> dict[str, object]:
        sample = run_once(cmd, env=env, timeout=timeout)
        if sample.returncode == 0:
            return {
                "runs": 1,
                "median_s": round(sample.seconds, 3),
                "min_s": sample.seconds,
                "max_s": sample.seconds,
                "median_cpu_s": round(sample.cpu_s, 3),
                "peak_mb": round(sample.peak_mb, 1),
            }
        if sample.returncode != -9:
            raise BenchError(f"exit {sample.returncode}: {sample.stderr.strip()[-300:]}")
        # Too slow at this size: time 10k entries and extrapolate (said so in the report).
        small = jrnl_peer.first_entries(self.data.jrnl, 10_000, self.work / "jrnl-10k.txt")
        env10 = jrnl_peer.prepare(self.work / "jrnl10k", small)
        sample = run_once(cmd, env=env10, timeout=timeout)
        if sample.returncode != 0:
            raise BenchError(f"exit {sample.returncode} even at 10,000 entries")
        factor = self.data.size / 10_000
        return {
            "runs": 1,
            "measured_at": 10_000,
            "measured_s": round(sample.seconds, 3),
            "median_s": round(sample.seconds * factor, 3),
            "median_cpu_s": round(sample.cpu_s * factor, 3),
            "extrapolated": "linear",
            "peak_mb_at_10k": round(sample.peak_mb, 1),
            "note": f"killed after {timeout:.0f} s at full size; linear lower bound",
        }

    def run_all(
        self, log: Callable[[str], None], only: set[str] | frozenset[str] = frozenset()
    ) -> dict[str, object]:
        """Run every benchmark (or those named in *only*), logging one line each."""
        steps: list[tuple[str, Callable[[], dict[str, object]]]] = [
            ("cli_add", self.cli_add),
            ("cli_list", self.cli_list),
            *(
                (f"cli_search_{k}", (lambda q=q: self.cli_search(q)))
                for k, q in CLI_SEARCHES.items()
            ),
            ("service_search", self.service_search),
            ("review_open", self.review_open),
            ("attachments", self.attachments),
            ("list_thumbnails", self.list_thumbnails),
            ("app", self.app),
            ("start", self.start),
            *((f"export_{f}", (lambda f=f: self.export(f))) for f in ("markdown", "vault", "json")),
            *((f"import_{f}", (lambda f=f: self.import_file(f))) for f in ("json", "jrnl")),
            ("backup", self.backup),
            ("doctor", self.doctor),
            ("encrypted", self.encrypted),
            ("jrnl", self.jrnl),
        ]
        results: dict[str, object] = {}
        for name, fn in steps:
            if only and name not in only:
                continue
            t = time.perf_counter()
            results[name] = _guard(fn)
            log(f"  {name}: {_brief(results[name])} ({time.perf_counter() - t:.1f} s)")
        return results


#: Child process for :meth:`Suite.review_open`: ``python -c REVIEW_PROBE DB RUNS`` prints JSON.
REVIEW_PROBE = """
import json, sys, time
from pathlib import Path
from questionbook.paths import AppPaths
from questionbook.services import open_services
from questionbook.settings import Settings

services = open_services(AppPaths.default(), Path(sys.argv[1]), daily_backup=False)
review, settings = services.review, Settings()

def page():  # ReviewPage.refresh before the review is started
    period = review.period_to_review(settings)
    review.get(period)
    review.new_entries(period)
    return review.due_entries(created_before=period.utc_bounds(review.tz)[0])

times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    items = page()
    times.append(time.perf_counter() - t)
t = time.perf_counter()
_items, total = review.due_overview()  # what `due` computes: the entries and the count
overview_s = time.perf_counter() - t
t = time.perf_counter()
review.start(review.period_to_review(settings))
start_s = time.perf_counter() - t
times.sort()
print(json.dumps({"page_median_s": round(times[len(times) // 2], 4), "page_max_s":
    round(times[-1], 4), "overview_s": round(overview_s, 4), "start_s": round(start_s, 4),
    "due_total": total, "shown": len(items)}))
"""
JRNL_EXPORT_TIMEOUT = 240.0
JRNL_ADD_TIMEOUT = 120.0


def _marker(query_name: str) -> str:
    return {
        "zh2": corpus.MARKER_ZH2,
        "zh4": corpus.MARKER_ZH4,
        "en_prefix": corpus.MARKER_EN_PREFIX,
        "tag": corpus.MARKER_TAG,
    }[query_name]


def _guard(fn: Callable[[], dict[str, object]]) -> dict[str, object]:
    try:
        return fn()
    except Skipped:
        return {"skipped": "not available"}
    except (BenchError, OSError, ValueError, KeyError) as exc:
        return {"error": str(exc)[:500]}


def _brief(result: object) -> str:
    if not isinstance(result, dict):
        return str(result)
    for key in ("skipped", "error"):
        if key in result:
            return f"{key}: {result[key]}"
    if "median_s" in result:
        return f"median {result['median_s']:.3f} s"
    return "ok"


def _load() -> float:
    """The 1-minute load average: wall times on a shared machine mean little without it."""
    return round(os.getloadavg()[0], 2)


def _note_load(result: object, before: float) -> None:
    if isinstance(result, dict) and "median_s" in result:
        result["loadavg"] = [before, _load()]


def _size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0
