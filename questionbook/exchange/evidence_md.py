"""Evidence in Markdown: the "Trials" section of a vault file (read back exactly) and of the
single-file Markdown journal (for reading), and the reach, seal and "still mine" keys of a
vault file's front matter (written only when set, so other files stay as they were).

In a vault file the section follows the body after a marker line only QuestionBook writes, so
importing splits it off and the body comes back byte for byte::

    <body>

    <!-- questionbook:trials -->
    ## Trials

    ### Failed · qwen3:8b · 2026-12-06 17:50

    ```yaml
    id: 2cbbf481-3a4c-44c0-bc1c-b2ce5578e12c
    asked: "2026-12-06T17:50:18.123456+01:00"
    model: "qwen3:8b"
    verdict: failed
    note: "wrong climate"
    ```

    ```text
    what was asked
    ```

    ```markdown
    the answer
    ```

The heading is for people; the ``yaml`` block holds the facts, the ``text`` block the prompt
and the ``markdown`` block the answer. Each fence is longer than any run of backticks inside
it, so any text survives. A section that does not read back as trials stays part of the body.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

import yaml

from questionbook.core.entities import Entry, Trial
from questionbook.core.errors import ImportFormatError, InvalidValue
from questionbook.core.timeutil import to_local
from questionbook.core.vocabulary import VERDICT_LABELS, VERDICTS, parse_level, parse_reach
from questionbook.exchange.common import parse_time
from questionbook.exchange.incoming import canonical_id
from questionbook.i18n import _, label_value

MARKER = "<!-- questionbook:trials -->"
_SPLIT = f"\n\n{MARKER}\n"
_OPEN = re.compile(r"^(`{3,})(yaml|text|markdown)$")
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _fence(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _block(lang: str, text: str) -> list[str]:
    fence = _fence(text)
    return [f"{fence}{lang}", text, fence, ""]


def render_vault_section(trials: Sequence[Trial], tz: tzinfo | None, scalar: Any) -> str:
    """The section appended to a vault file's body ("" without trials); *scalar* writes a YAML
    value as the vault's front matter does."""
    if not trials:
        return ""
    out = [MARKER, f"## {_('Trials')}", ""]
    for t in trials:
        out += [f"### {heading(t, tz)}", ""]
        meta = {
            "id": t.id,
            "asked": to_local(t.asked_at, tz).isoformat(),
            "model": t.model,
            "verdict": t.verdict,
            "note": t.note,
        }
        out += _block("yaml", "\n".join(f"{k}: {scalar(v)}" for k, v in meta.items()))
        out += _block("text", t.prompt)
        out += _block("markdown", t.answer)
    return "\n\n" + "\n".join(out)


def heading(t: Trial, tz: tzinfo | None) -> str:
    when = to_local(t.asked_at, tz).strftime("%Y-%m-%d %H:%M")
    return f"{_(VERDICT_LABELS[t.verdict])} · {t.model or '?'} · {when}"


def split_vault_body(body: str, entry_id: str, where: str) -> tuple[str, list[Trial] | None]:
    """The body without its trials section, and the trials (None: the file has no section).

    The section starts at the first marker after which the rest of the file has exactly the
    section's shape (a marker inside the body or inside an answer is text, not a split).
    """
    at = body.find(_SPLIT)
    while at >= 0:
        found = _parse_section(body[at + len(_SPLIT) :].split("\n"))
        if found is not None:
            trials = [
                _trial(f, entry_id, label_value(where, f"{_('trial')} {n}"))
                for n, f in enumerate(found, 1)
            ]
            return body[:at], trials
        at = body.find(_SPLIT, at + 1)
    return body, None


def _parse_section(lines: list[str]) -> list[dict[str, str]] | None:
    """The blocks of each trial, if *lines* are exactly a section as written (trailing blank
    lines allowed: an editor may add or drop one); else None."""
    if len(lines) < 2 or not lines[0].startswith("## ") or lines[1]:
        return None
    found: list[dict[str, str]] = []
    i = 2
    while i < len(lines) and lines[i].startswith("### "):
        if i + 1 >= len(lines) or lines[i + 1]:
            return None
        i += 2
        parts: dict[str, str] = {}
        for lang in ("yaml", "text", "markdown"):
            m = _OPEN.match(lines[i]) if i < len(lines) else None
            if m is None or m.group(2) != lang:
                return None
            try:
                end = lines.index(m.group(1), i + 1)
            except ValueError:
                return None
            parts[lang] = "\n".join(lines[i + 1 : end])
            if end + 1 < len(lines) and lines[end + 1]:
                return None
            i = end + 2
        found.append(parts)
    if not found or any(line.strip() for line in lines[i:]):
        return None
    return found


def _trial(parts: dict[str, str], entry_id: str, where: str) -> Trial:
    try:
        meta = yaml.load(parts["yaml"], Loader=_Loader) or {}
    except yaml.YAMLError:
        raise ImportFormatError(_("{where}: not valid YAML").format(where=where)) from None
    if not isinstance(meta, dict):
        raise ImportFormatError(_("{where}: not valid YAML").format(where=where))
    asked = parse_time(meta.get("asked"), f"{where}: asked")
    if asked is None:
        raise ImportFormatError(_("{where}: missing {key!r}").format(where=where, key="asked"))
    verdict = str(meta.get("verdict") or "pending")
    if verdict not in VERDICTS:
        raise ImportFormatError(
            _("{where}: unknown verdict {value!r}").format(where=where, value=verdict)
        )
    return Trial(
        id=canonical_id(meta.get("id"), where),
        entry_id=entry_id,
        asked_at=asked,
        model=str(meta.get("model") or ""),
        prompt=parts.get("text", ""),
        answer=parts.get("markdown", ""),
        verdict=verdict,
        note=str(meta.get("note") or ""),
    )


def evidence_front(entry: Entry, tz: tzinfo | None) -> dict[str, Any]:
    """Front matter keys for the entry's reach, tide seal and "still mine" line, when set."""
    front: dict[str, Any] = {}
    if entry.reach is not None:
        front["reach"] = entry.reach
    if entry.seal_level is not None:
        front["seal_until"] = entry.seal_level
        front["sealed_at_waterline"] = entry.seal_waterline
    if entry.still_mine:
        front["still_mine"] = entry.still_mine
        if entry.still_mine_at is not None:
            front["still_mine_at"] = to_local(entry.still_mine_at, tz).isoformat()
    return front


def evidence_more(front: dict[str, Any], where: str) -> dict[str, Any]:
    """The entry fields those keys give back (:attr:`Incoming.more`); a key the file lacks
    keeps the journal's value."""
    more: dict[str, Any] = {}
    try:
        if "reach" in front:
            more["reach"] = parse_reach(front["reach"])
        if "seal_until" in front:
            more["seal_level"] = parse_level(front["seal_until"])
            more["seal_waterline"] = parse_level(front.get("sealed_at_waterline"))
    except InvalidValue as exc:
        raise ImportFormatError(label_value(where, exc)) from None
    if "still_mine" in front:
        more["still_mine"] = str(front["still_mine"] or "")
        more["still_mine_at"] = parse_time(front.get("still_mine_at"), f"{where}: still_mine_at")
    return more


TRIALS_MARKER = "<!-- questionbook trials -->"


def render_journal_section(trials: Sequence[Trial], tz: tzinfo | None) -> list[str]:
    """Lines of the single-file Markdown journal's "Trials" part of an entry (for reading)."""
    if not trials:
        return []
    # The marker (invisible when rendered) tells the Markdown journal's reader where the entry's
    # own text ends: a body may have a heading of the same name.
    out = ["", TRIALS_MARKER, f"#### {_('Trials')}", ""]
    for t in trials:
        line = f"- {heading(t, tz)}"
        if t.note:
            line += f" — {' '.join(t.note.split())}"
        out.append(line)
        if t.answer.strip():
            out += ["", *(f"  > {row}".rstrip() for row in t.answer.strip("\n").split("\n")), ""]
    return out
