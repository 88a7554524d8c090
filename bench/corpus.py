"""A deterministic benchmark corpus: N journal entries with marker words at known rates.

Why: budgets are only meaningful on a journal that looks like years of real use (mixed Chinese
and English with Zipf-like word frequencies and code-switching, all kinds, statuses, hardness,
tags), and hit counts are only checkable if the words we search for appear exactly where we
planted them. The word lists in :mod:`vocab` never contain a marker, which :func:`check_vocab`
asserts, so ``expected[marker]`` is exact.

Outputs (all from one seeded RNG, so every run and every machine gets the same journal):
``load_into_db`` bulk-inserts into a QuestionBook file through the journal's own row writers in one
``db.write()`` session (the FTS triggers index as rows go in); ``write_jrnl`` writes the same
entries as a jrnl plain-text journal; ``write_json`` writes our JSON import shape
(``Entry.to_json`` objects) for when no exporter is available to make the real file.
"""

from __future__ import annotations

import itertools
import json
import random
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import vocab

SEED = 20261129
CORPUS_VERSION = 2  # bump when generation changes, so caches are rebuilt
START = datetime(2021, 11, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)

#: What the benchmarks search for, and the share of entries each is planted in.
MARKER_ZH2 = "电梯"  # a 2-character Chinese word ("elevator", from the essay)
MARKER_ZH4 = "水位上涨"  # a 4-character Chinese phrase ("the water level rises")
MARKER_EN_PREFIX = "elev"  # an English word prefix; planted as one of MARKER_EN_WORDS
MARKER_EN_WORDS = ("elevator", "elevation", "Elevate", "elevators")
MARKER_TAG = "里程碑"  # a tag ("milestone"), written inline as #里程碑
RATES = {MARKER_ZH2: 0.010, MARKER_ZH4: 0.004, MARKER_EN_PREFIX: 0.020, MARKER_TAG: 0.015}
MARKER_CHARS = set("电梯涨碑")
PLANTED = (MARKER_ZH2, MARKER_ZH4, *MARKER_EN_WORDS)

KINDS = (("question", 50), ("plan", 20), ("note", 30))
STATUS_WEIGHTS = {
    "question": (("open", 50), ("exploring", 20), ("answered", 20), ("retired", 10)),
    "plan": (("idea", 40), ("active", 30), ("done", 20), ("dropped", 10)),
}
HARDNESS = ((None, 15), (0, 9), (1, 17), (2, 25), (3, 21), (4, 13))


@dataclass
class CorpusEntry:
    """One generated entry, in the service's vocabulary (times are aware UTC)."""

    id: str
    kind: str
    title: str
    body: str
    status: str | None
    hardness: int | None
    starred: bool
    outcome: str
    tags: list[str]
    created_at: datetime
    markers: set[str] = field(default_factory=set)


def check_vocab() -> None:
    """Fail loudly if a word list could form a marker by accident."""
    for word in [*vocab.ZH_WORDS, *vocab.TAGS, *vocab.TITLES_ZH, *vocab.OUTCOMES]:
        bad = MARKER_CHARS & set(word)
        assert not bad, f"vocabulary word {word!r} contains marker characters {bad}"
    for word in [*vocab.EN_WORDS, *vocab.TITLES_EN, *vocab.OUTCOMES]:
        assert "elev" not in word.lower(), f"vocabulary word {word!r} contains 'elev'"


def _starts(text: str, word: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(word, i)]


def _zipf(words: list[str] | tuple[str, ...], s: float = 1.0) -> tuple[list[str], list[float]]:
    weights = [1.0 / (rank + 1) ** s for rank in range(len(words))]
    return list(words), list(itertools.accumulate(weights))


def _weighted(pairs: tuple[tuple[object, int], ...]) -> tuple[list[object], list[int]]:
    return [p[0] for p in pairs], list(itertools.accumulate(p[1] for p in pairs))


class Generator:
    """Builds entries one by one from a seeded RNG (same seed → same corpus)."""

    def __init__(self, seed: int = SEED) -> None:
        check_vocab()
        self.rng = random.Random(seed)
        self.zh = _zipf(vocab.ZH_WORDS)
        self.en = _zipf(vocab.EN_WORDS)
        self.zh_title = _zipf(vocab.ZH_WORDS[40:], 0.7)  # titles use content words
        self.en_title = _zipf(vocab.EN_WORDS[40:], 0.7)
        self.tags = _zipf(vocab.TAGS, 0.8)
        self.kinds = _weighted(KINDS)  # type: ignore[arg-type]
        self.statuses = {k: _weighted(v) for k, v in STATUS_WEIGHTS.items()}  # type: ignore[arg-type]
        self.hardness = _weighted(HARDNESS)  # type: ignore[arg-type]

    def _pick(self, table: tuple[list, list], k: int = 1) -> list:
        return self.rng.choices(table[0], cum_weights=table[1], k=k)

    def _zh_sentence(self) -> str:
        words = self._pick(self.zh, self.rng.randint(6, 16))
        out = []
        for w in words:
            if self.rng.random() < 0.12:  # code-switching: an English word inside Chinese
                out.append(f" {self._pick(self.en)[0]} ")
            else:
                out.append(w)
        return re.sub(" {2,}", " ", "".join(out).strip()) + self.rng.choice(vocab.ZH_PUNCT)

    def _en_sentence(self) -> str:
        words = self._pick(self.en, self.rng.randint(6, 18))
        if self.rng.random() < 0.15:  # and a Chinese word inside English
            words[self.rng.randrange(len(words))] = self._pick(self.zh)[0]
        text = " ".join(words)
        return text[0].upper() + text[1:] + self.rng.choice(vocab.EN_PUNCT)

    def _text(self, chars: int, zh_share: float) -> list[str]:
        sentences: list[str] = []
        size = 0
        while size < chars:
            s = self._zh_sentence() if self.rng.random() < zh_share else self._en_sentence()
            sentences.append(s)
            size += len(s)
        return sentences

    def _plant(self, sentences: list[str], word: str) -> None:
        i = self.rng.randrange(len(sentences))
        s = sentences[i]
        at = self.rng.randrange(len(s))  # inside a sentence, next to ordinary text
        while any(
            0 <= at - j < len(m) and at != j
            for m in PLANTED
            if m in s  # never split
            for j in _starts(s, m)
        ):  # a marker
            at = self.rng.randrange(len(s))
        sep = " " if word.isascii() else ""
        sentences[i] = f"{s[:at]}{sep}{word}{sep}{s[at:]}"

    def entry(self, created: datetime) -> CorpusEntry:
        rng = self.rng
        kind = self._pick(self.kinds)[0]
        zh_share = rng.choice((0.85, 0.85, 0.85, 0.5, 0.15, 0.15))
        a, b = self._pick(self.zh_title if zh_share > 0.5 else self.en_title, 2)
        template = rng.choice(vocab.TITLES_ZH if zh_share > 0.5 else vocab.TITLES_EN)
        title = template.format(a=a, b=b) + ("？" if zh_share > 0.5 else "?") * (kind == "question")
        length = max(60, min(900, int(rng.gauss(300, 90))))
        sentences = self._text(length, zh_share)
        markers: set[str] = set()
        for marker in (MARKER_ZH2, MARKER_ZH4, MARKER_EN_PREFIX):
            if rng.random() < RATES[marker]:
                markers.add(marker)
                word = rng.choice(MARKER_EN_WORDS) if marker == MARKER_EN_PREFIX else marker
                if rng.random() < 0.2:
                    title = f"{title} {word}" if word.isascii() else title[:-1] + word + title[-1:]
                else:
                    self._plant(sentences, word)
        tags = list(dict.fromkeys(self._pick(self.tags, rng.choice((0, 1, 1, 2, 2, 3)))))
        if rng.random() < RATES[MARKER_TAG]:
            markers.add(MARKER_TAG)
            tags.append(MARKER_TAG)
        paragraphs = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
        if tags:
            paragraphs.append(" ".join(f"#{t}" for t in tags))
        status = None
        outcome = ""
        if kind != "note":
            status = self._pick(self.statuses[kind])[0]
            if status in ("answered", "retired", "done", "dropped") and rng.random() < 0.7:
                x, y = self._pick(self.zh, 2)
                outcome = rng.choice(vocab.OUTCOMES).format(a=x, b=y)
        return CorpusEntry(
            id=str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            kind=kind,
            title=title,
            body="\n\n".join(paragraphs),
            status=status,
            hardness=self._pick(self.hardness)[0],
            starred=rng.random() < 0.05,
            outcome=outcome,
            tags=tags,
            created_at=created,
            markers=markers,
        )


def generate(n: int, seed: int = SEED) -> Iterator[CorpusEntry]:
    """*n* entries in creation order, spread over five years."""
    gen = Generator(seed)
    span = int((END - START).total_seconds() // 60)
    minutes = sorted(gen.rng.randrange(span) for _ in range(n))
    for m in minutes:
        yield gen.entry(START + timedelta(minutes=m))


def expected_counts(entries: list[CorpusEntry]) -> dict[str, int]:
    """How many entries carry each marker (what a correct search must find)."""
    return {m: sum(m in e.markers for e in entries) for m in RATES}


def substring_counts(entries: list[CorpusEntry]) -> dict[str, int]:
    """Python ``in`` over title, body, tags and outcome: the ground truth for Chinese queries."""
    out = {}
    for marker in (MARKER_ZH2, MARKER_ZH4):
        out[marker] = sum(
            marker in f"{e.title}\n{e.body}\n{' '.join(e.tags)}\n{e.outcome}" for e in entries
        )
    return out


# -- writers ---------------------------------------------------------------------------------
JRNL_TIME_FORMAT = "%Y-%m-%d %H:%M"


def write_jrnl(entries: list[CorpusEntry], path: Path) -> None:
    """The same entries as a jrnl text journal (times in UTC; run jrnl with ``TZ=UTC``)."""
    with open(path, "w", encoding="utf-8") as fh:
        for e in entries:
            star = " *" if e.starred else ""
            fh.write(f"[{e.created_at.strftime(JRNL_TIME_FORMAT)}] {e.title}{star}\n{e.body}\n\n")


def to_json(e: CorpusEntry) -> dict[str, object]:
    """The ``Entry.to_json`` shape (the CLI's ``--json`` and the JSON export's entries)."""
    stamp = e.created_at.isoformat(timespec="microseconds")
    return {
        "id": e.id,
        "kind": e.kind,
        "title": e.title,
        "body": e.body,
        "status": e.status,
        "hardness": e.hardness,
        "tags": e.tags,
        "starred": e.starred,
        "outcome": e.outcome,
        "parent_id": None,
        "created_at": stamp,
        "updated_at": stamp,
    }


def write_json(entries: list[CorpusEntry], path: Path) -> None:
    """A JSON file of ``Entry.to_json`` objects (used when the real exporter is missing)."""
    doc = {"format": "questionbook", "version": 1, "entries": [to_json(e) for e in entries]}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, ensure_ascii=False)


def load_into_db(entries: list[CorpusEntry], db_path: Path) -> None:
    """Bulk-insert *entries* into a new journal at *db_path* in one write transaction.

    The rows match what ``Journal.add`` would store (the journal's own row writers, tag book and
    history rows): inline tags linked with ``inline=True``, ``tags_text`` sorted by tag key, one
    hardness rating and one status change per entry.
    """
    from questionbook.core import rows
    from questionbook.core.entry_sql import TagBook, rating_row, status_row
    from questionbook.core.schema import ENTRY, ENTRY_TAG, HARDNESS_RATING, STATUS_CHANGE
    from questionbook.core.tags import tag_key
    from questionbook.storage.fts import indexed_in_one_pass
    from questionbook.storage.migrate import open_database

    db = open_database(db_path)
    try:
        with db.write() as conn, indexed_in_one_pass(conn):
            book = TagBook(conn, preload=True)
            entry_rows, links, ratings, changes = [], [], [], []
            for e in entries:
                resolved = book.resolve(e.tags)
                entry_rows.append(
                    {
                        "id": e.id,
                        "kind": e.kind,
                        "title": e.title,
                        "body": e.body,
                        "status": e.status,
                        "hardness": e.hardness,
                        "starred": e.starred,
                        "outcome": e.outcome,
                        "tags": rows.split_tags(book.tags_text(resolved)),
                        "parent_id": None,
                        "created_at": e.created_at,
                        "updated_at": e.created_at,
                    }
                )
                links += book.link_rows(e.id, resolved, {tag_key(t) for t in e.tags})
                if e.hardness is not None:
                    ratings.append(rating_row(e.id, e.hardness, "user", e.created_at))
                if e.status is not None:
                    changes.append(status_row(e.id, e.status, e.outcome, e.created_at))
            rows.insert_many(conn, ENTRY, entry_rows)
            rows.insert_many(conn, ENTRY_TAG, links)
            rows.insert_many(conn, HARDNESS_RATING, ratings)
            rows.insert_many(conn, STATUS_CHANGE, changes)
    finally:
        db.close()
