"""Timing primitives: run a command in a subprocess, time it, and read its peak memory.

Why subprocesses: "end to end" means what a user waits for (interpreter start, imports, opening
the file), and ``os.wait4`` gives the child's own ``ru_maxrss``, so each figure's peak memory
belongs to that one operation and not to the runner.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class BenchError(RuntimeError):
    """A measured command failed; the message carries its exit status and stderr tail."""


@dataclass
class Sample:
    seconds: float
    cpu_s: float  # user + system: what contention from other processes cannot inflate much
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_once(
    cmd: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 600.0,
    stdin: str | None = None,
) -> Sample:
    """Run *cmd*, returning its wall time, peak RSS (MiB) and output.

    Output goes to temporary files rather than pipes: a blocking ``wait4`` on a child that
    fills a pipe would deadlock, and a file costs the child about what a terminal would.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            list(cmd),
            env=env,
            cwd=cwd,
            stdout=out,
            stderr=err,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        )
        if stdin is not None:
            assert proc.stdin is not None
            proc.stdin.write(stdin.encode())
            proc.stdin.close()
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _pid, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        elapsed = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Sample(
            elapsed,
            usage.ru_utime + usage.ru_stime,
            usage.ru_maxrss / 1024,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
        )


def summarize(
    seconds: Sequence[float], peaks_mb: Sequence[float] = (), cpu: Sequence[float] = ()
) -> dict[str, float]:
    """Median and spread (min, max; p95 when there are enough runs) in seconds/ms."""
    xs = sorted(seconds)
    out: dict[str, float] = {
        "runs": len(xs),
        "median_s": statistics.median(xs),
        "min_s": xs[0],
        "max_s": xs[-1],
    }
    if cpu:
        out["median_cpu_s"] = statistics.median(cpu)
    if len(xs) >= 10:
        out["p95_s"] = percentile(xs, 95)
    if peaks_mb:
        out["peak_mb"] = max(peaks_mb)
    return {k: round(v, 5) if isinstance(v, float) else v for k, v in out.items()}


def percentile(sorted_xs: Sequence[float], p: float) -> float:
    """The nearest-rank percentile (no interpolation: p95 of 50 runs is the 48th value)."""
    rank = max(1, math.ceil(p / 100 * len(sorted_xs)))
    return sorted_xs[rank - 1]


def bench_command(
    cmd: Sequence[str],
    *,
    runs: int,
    env: dict[str, str] | None = None,
    before_each: Callable[[], None] | None = None,
    warmup: int = 1,
    timeout: float = 600.0,
    check: Callable[[Sample], None] | None = None,
    max_total_s: float = 150.0,
) -> dict[str, object]:
    """Run *cmd* ``warmup + runs`` times; summarise the timed runs.

    Slow operations stop repeating once *max_total_s* have been spent (after at least one timed
    run): a 100k vault export that takes minutes is not worth three runs on a shared machine.

    The warm-up run fills the OS page cache (a journal used daily is cached) and pyc files, so
    the figures are the ordinary case, not the first launch after a reboot.
    """
    times, peaks, cpu = [], [], []
    last: Sample | None = None
    spent = 0.0
    for i in range(warmup + runs):
        if times and spent > max_total_s:
            break
        if before_each:
            before_each()
        sample = run_once(cmd, env=env, timeout=timeout)
        spent += sample.seconds
        if sample.returncode != 0:
            tail = (sample.stderr or sample.stdout).strip().splitlines()[-3:]
            raise BenchError(f"exit {sample.returncode}: {' | '.join(tail)}")
        if check:
            check(sample)
        if i >= warmup:
            times.append(sample.seconds)
            peaks.append(sample.peak_mb)
            cpu.append(sample.cpu_s)
        last = sample
    result: dict[str, object] = dict(summarize(times, peaks, cpu))
    result["times_s"] = [round(t, 3) for t in times]  # in order, for pairing with a reference
    if last is not None:
        result["_last_stdout"] = last.stdout[-2000:]
    return result


def merge_runs(rows: list[dict[str, Any]]) -> dict[str, object]:
    """Medians over a probe's runs (JSON rows); the max for peak memory and leaks."""
    out: dict[str, object] = {"runs": len(rows)}
    keys = dict.fromkeys(k for r in rows for k in r)
    for key in keys:
        values = [
            r[key]
            for r in rows
            if isinstance(r.get(key), int | float) and not isinstance(r.get(key), bool)
        ]
        if not values:
            out[key] = next(r[key] for r in rows if key in r)
        elif "peak_mb" in key or key.endswith("_leak_per_call"):  # worst case counts
            out[key] = max(values)
        else:
            out[key] = round(statistics.median(values), 4)
            if key.endswith("_s") and len(values) > 1:
                out[key.removesuffix("_s") + "_range_s"] = [min(values), max(values)]
    return out
