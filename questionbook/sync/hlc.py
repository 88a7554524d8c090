"""A hybrid logical clock, and the versions it stamps on every synced field.

A stamp is ``milliseconds << 16 | counter``: it follows the wall clock, never goes backwards,
and after a journal has seen another's stamp, its own next stamp is larger. So a change made
after seeing another always has the larger stamp, and between changes made without seeing each
other the one made later (by the wall clocks) wins. A *version* is a stamp and the device that
made it; versions are totally ordered (stamp, then device id).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

#: A field version: (stamp, device id).
Version = tuple[int, str]

COUNTER_BITS = 16


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def stamp_ms(stamp: int) -> int:
    """The wall-clock part of a stamp, in milliseconds since 1970."""
    return stamp >> COUNTER_BITS


def stamp_time(stamp: int) -> datetime:
    return datetime.fromtimestamp(stamp_ms(stamp) / 1000, UTC)


class Clock:
    """One journal's clock; its value is kept in the journal between syncs. *now* reads the
    wall clock (tests pass their own)."""

    def __init__(self, value: int = 0, now: Callable[[], int] = now_ms) -> None:
        self.value = value
        self.now = now

    def tick(self, at_ms: int | None = None) -> int:
        """A new stamp for a change made at *at_ms* (default now), larger than every stamp this
        clock has made or seen. A change cannot have been made after now: a time recorded by
        a clock that ran ahead is taken as now."""
        current = self.now()
        physical = (current if at_ms is None else min(at_ms, current)) << COUNTER_BITS
        self.value = max(self.value + 1, physical)
        return self.value

    def observe(self, stamp: int) -> None:
        """Remember a stamp seen in another journal's changes."""
        self.value = max(self.value, stamp)


def encode_version(version: Version) -> str:
    return f"{version[0]:x}:{version[1]}"


def decode_version(text: str) -> Version:
    """A version from its text form; ValueError if it is not one."""
    stamp, sep, device = str(text).partition(":")
    if not sep or not device:
        raise ValueError(f"not a version: {text!r}")
    return int(stamp, 16), device


def seen(version: Version, known: dict[str, int]) -> bool:
    """True if a journal that has seen each device's stamps up to *known* has seen *version*.

    Each device's stamps grow with its change files, and those are applied in order, so
    "seen up to stamp s" covers every version of that device stamped at or before s.
    """
    return version[0] <= known.get(version[1], -1)
