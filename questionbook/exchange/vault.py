"""A folder of Markdown files with YAML front matter (Obsidian-compatible), both ways.

Layout: ``YYYY/MM/YYYY-MM-DD-<slug>-<short id>.md`` per entry plus ``index.md``. Each file is
front matter (``id, title, kind, status, hardness, tags, starred, created, updated, outcome,
parent`` and, when set, ``reviewed``/``snoozed``/``revisit``), then ``# Title``, a blank line and the body
verbatim, so importing the folder gives back the same entries.

Re-exporting into the same folder updates files in place (a file whose content is the same is
not rewritten, so sync tools see no change) and removes files of entries that are gone. A
manifest (``.questionbook-vault.json``) lists the files QuestionBook wrote: nothing else in the
folder is ever removed or overwritten, and no path from it is used unless it stays inside the
folder.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Sequence
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any

import yaml

from questionbook.core.entities import Entry, Trial
from questionbook.core.errors import ExportError, ImportFormatError
from questionbook.core.journal import Journal
from questionbook.core.links import parse_links
from questionbook.core.timeutil import to_local
from questionbook.exchange.attachment_files import Namer, held_by_page, write_blobs
from questionbook.exchange.common import (
    ExportFilter,
    ExportReport,
    Progress,
    atomic_write_text,
    check_progress,
    decode_text,
    parse_day,
    parse_time,
    write_new_text,
)
from questionbook.exchange.evidence_md import (
    evidence_front,
    evidence_more,
    render_vault_section,
    split_vault_body,
)
from questionbook.exchange.filenames import inside, slugify
from questionbook.exchange.incoming import ImportBatch, Incoming, canonical_id, normalise
from questionbook.exchange.selection import iter_pages, select_ids, trials_for
from questionbook.exchange.vault_refs import (
    FOLDER,
    VaultFiles,
    export_body,
    front_matter_line,
    relink,
)
from questionbook.i18n import _, ngettext

MANIFEST = ".questionbook-vault.json"
INDEX = "index.md"
_FRONT = re.compile(r"\A---\r?\n(.*?)(?:\r?\n)?^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster


def entry_path(entry: Entry, tz: tzinfo | None = None, *, long_id: bool = False) -> str:
    """The file of *entry*, relative to the vault: ``YYYY/MM/YYYY-MM-DD-slug-id.md``."""
    day = to_local(entry.created_at, tz).date()
    short = entry.id if long_id else entry.id[:8]
    return f"{day:%Y}/{day:%m}/{day.isoformat()}-{slugify(entry.title)}-{short}.md"


def _stamp(value: datetime | None, tz: tzinfo | None) -> str | None:
    return None if value is None else to_local(value, tz).isoformat()


_PLAIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})
# JSON escapes C0 controls; YAML also wants these escaped inside double quotes (DEL and C1
# are not printable, and NEL, LS and PS would be folded as line breaks).
_UNSAFE_RE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


def _scalar(value: Any) -> str:
    """One front-matter value as YAML: plain when that reads back the same, else a JSON
    string (every JSON string is a YAML double-quoted scalar)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()  # a plain YAML date (Obsidian shows a date property)
    text = str(value)
    if _PLAIN_RE.match(text) and text.lower() not in _YAML_WORDS:
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    return _UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def render_file(
    entry: Entry,
    tz: tzinfo | None = None,
    trials: Sequence[Trial] = (),
    attachments: list[dict[str, Any]] | None = None,
) -> str:
    """The whole file for *entry*: YAML front matter, ``# Title``, the body verbatim.

    The front matter has a fixed shape, so it is written directly (PyYAML's representer took
    two thirds of a 100k-entry export); the import reads it back with PyYAML.
    """
    front: dict[str, Any] = {
        "id": entry.id,
        "title": entry.title,
        "kind": entry.kind,
        "status": entry.status,
        "hardness": entry.hardness,
        "starred": entry.starred,
        "created": _stamp(entry.created_at, tz),
        "updated": _stamp(entry.updated_at, tz),
        "outcome": entry.outcome,
        "parent": entry.parent_id,
    }
    if entry.last_reviewed_at:
        front["reviewed"] = _stamp(entry.last_reviewed_at, tz)
    if entry.snoozed_until:
        front["snoozed"] = _stamp(entry.snoozed_until, tz)
    front |= evidence_front(entry, tz)
    if entry.revisit_on is not None:  # a calendar day: Obsidian shows it as a date property
        front["revisit"] = entry.revisit_on
    lines = [f"{key}: {_scalar(value)}" for key, value in front.items()]
    lines.insert(5, "tags: [" + ", ".join(_scalar(t) for t in entry.tags) + "]")
    if attachments:
        lines.append(
            _UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", front_matter_line(attachments))
        )
    section = render_vault_section(trials, tz, _scalar)  # AI trials, after the body
    return "---\n" + "\n".join(lines) + f"\n---\n# {entry.title}\n\n{entry.body}{section}"


def _load_manifest(root: Path, key: str = "files") -> dict[str, str]:
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        files = data.get(key, {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def _link(title: str, rel: str) -> str:
    label = re.sub(r"([\[\]\\])", r"\\\1", " ".join(title.split()))
    return f"[{label}](<{rel}>)"


def export_vault(
    journal: Journal,
    root: Path,
    flt: ExportFilter | None = None,
    *,
    progress: Progress | None = None,
) -> ExportReport:
    """Write (or refresh) a vault folder at *root* with the entries *flt* selects."""
    flt = flt or ExportFilter()
    root = Path(root)
    if root.exists() and not root.is_dir():
        raise ExportError(_("{path} is a file, not a folder").format(path=root))
    root.mkdir(parents=True, exist_ok=True)
    ids = select_ids(journal, flt)
    old = _load_manifest(root)
    old_files = _load_manifest(root, "attachments")
    report = ExportReport(path=root, entries=len(ids))
    written: dict[str, str] = {}
    index: list[str] = []
    tz = journal.tz
    check_progress(progress, 0, len(ids))
    done = 0
    folders: dict[str, Path | None] = {}

    def place(rel: str) -> Path | None:
        # File names are slugs (no separators, no ".."), so checking (and creating) each YYYY/MM
        # folder once for links out of the vault is enough; a rename never follows a link at
        # the file, and O_EXCL refuses one.
        folder_rel, _sep, name = rel.rpartition("/")
        if folder_rel not in folders:
            folder = folders[folder_rel] = inside(root, folder_rel)
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
        folder = folders[folder_rel]
        return None if folder is None or name in ("", ".", "..") else folder / name

    def write(rel: str, content: str) -> bool:
        """Write *content* at *rel* unless a file not ours is there; True if it was placed.

        The exclusive create comes first: in a fresh export every file is new, and asking
        the file system first would cost two more calls per entry.
        """
        target = place(rel)
        if target is None or rel in written:
            return False
        try:
            write_new_text(target, content)
        except FileExistsError:
            if rel not in old:
                return False  # someone else's file: never overwritten
            try:
                same = target.read_text(encoding="utf-8") == content
            except (OSError, UnicodeDecodeError):
                same = False
            if same:
                report.files_unchanged += 1
                return True
            atomic_write_text(target, content, fsync=False)
        report.files_written += 1
        return True

    namer = Namer(
        {rel.removeprefix(f"{FOLDER}/"): sha for rel, sha in old_files.items()},
        blocked=lambda name: (root / FOLDER / name).exists() or (root / FOLDER / name).is_symlink(),
    )
    exported = set(ids)
    for page in iter_pages(journal, ids):
        page_trials = trials_for(journal, [e.id for e in page])
        held = held_by_page(journal, [e.id for e in page])
        stems = _link_stems(journal, page, exported)
        for entry in page:
            rel = entry_path(entry, tz)
            body, listed = export_body(entry.body, rel, held.get(entry.id, []), namer, stems)
            if body != entry.body:
                entry = dataclasses.replace(entry, body=body)
            content = render_file(entry, tz, page_trials.get(entry.id, ()), listed)
            if not write(rel, content):
                rel = entry_path(entry, tz, long_id=True)
                if not write(rel, content):
                    raise ExportError(
                        _("{path}: a file that QuestionBook did not write is in the way").format(
                            path=root / rel
                        )
                    )
            written[rel] = entry.id
            index.append(
                f"- {to_local(entry.created_at, tz).date().isoformat()} {_link(entry.title, rel)}"
            )
        done += len(page)
        check_progress(progress, done, len(ids))
    report.attachments = _write_attachments(journal, root, namer, old_files)
    live = set(journal.find_ids(""))
    exported = set(written.values())
    keep: dict[str, str] = {}
    for rel, entry_id in old.items():
        if rel in written:
            continue
        if entry_id in live and entry_id not in exported:
            keep[rel] = entry_id  # outside this export's filter: not ours to judge
            continue
        target = inside(root, rel)
        if target is not None and target.is_file() and target.suffix == ".md":
            target.unlink()
            report.files_removed += 1
            for folder in (target.parent, target.parent.parent):
                with contextlib.suppress(OSError):
                    if folder != root.resolve():
                        folder.rmdir()  # only succeeds when empty
    heading = _("QuestionBook journal")
    atomic_write_text(root / INDEX, f"# {heading}\n\n" + "\n".join(index) + ("\n" if index else ""))
    manifest = {
        "format": "questionbook-vault",
        "version": 1,
        "files": {**keep, **written},
        "attachments": {f"{FOLDER}/{name}": sha for sha, name in namer.by_sha.items()},
    }
    atomic_write_text(root / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    return report


def _link_stems(journal: Journal, page: list[Entry], exported: set[str]) -> dict[str, str]:
    """File names (without ``.md``) of the exported entries this page links to."""
    wanted = {t for e in page for t in parse_links(e.body) if t in exported}
    if not wanted:
        return {}
    return {
        e.id: entry_path(e, journal.tz).rsplit("/", 1)[-1].removesuffix(".md")
        for e in journal.entries(sorted(wanted))
    }


def _write_attachments(journal: Journal, root: Path, namer: Namer, old: dict[str, str]) -> int:
    """Write ``attachments/`` (new files only; names seen in the manifest are ours) and remove
    the files of an earlier export that no entry holds now."""
    folder = inside(root, FOLDER)
    if folder is None:
        raise ExportError(_("{path}: the attachments folder leaves the vault").format(path=root))
    files = [(sha, name, 0) for sha, name in namer.by_sha.items()]
    with journal.reading() as conn:
        sizes = dict(conn.execute("SELECT sha256, size FROM attachment_blob"))
    written = write_blobs(journal, folder, ((s, n, int(sizes.get(s, -1))) for s, n, _z in files))
    current = {f"{FOLDER}/{name}" for name in namer.by_sha.values()}
    for rel in old:
        target = inside(root, rel)
        if rel not in current and target is not None and target.is_file():
            target.unlink()
    return written


# -- import -------------------------------------------------------------------------------------
def vault_files(root: Path) -> list[Path]:
    """The Markdown files of a vault (hidden folders such as ``.obsidian`` are skipped)."""
    files = []
    for path in sorted(root.rglob("*.md")):
        rel = path.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or rel.as_posix() == INDEX:
            continue
        if path.is_file() and not path.is_symlink():
            files.append(path)
    return files


def parse_file(text: str, name: str, front_out: dict[str, Any] | None = None) -> Incoming | None:
    """One vault file → an entry; ``None`` if its front matter is not ours (no ``id``+``kind``)."""
    m = _FRONT.match(text)
    if not m:
        if re.match(r"---\r?\n", text) and re.search(r"^id: ", text, re.M):
            raise ImportFormatError(
                _(
                    "{file}: line {line}: the front matter never ends (no closing ---); "
                    "the file looks cut short"
                ).format(file=name, line=text.count("\n") + 1)
            )
        return None
    try:
        front = yaml.load(m.group(1), Loader=_Loader) or {}  # a safe loader (C or Python)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            name if mark is None else _("{file}: line {line}").format(file=name, line=mark.line + 2)
        )  # + the opening "---" line, 1-based
        raise ImportFormatError(
            _("{where}: the front matter is not valid YAML").format(where=where)
        ) from None
    if not isinstance(front, dict) or "id" not in front or "kind" not in front:
        return None
    if front_out is not None:
        front_out.update(front)
    where = name
    entry_id = canonical_id(front["id"], where)
    body = text[m.end() :]
    title = front.get("title")
    exact = f"# {title}\n\n" if isinstance(title, str) else None
    heading = re.match(r"# ([^\r\n]*)(?:\r?\n\r?\n|\r?\n|\Z)", body)
    if exact is not None and body.startswith(exact):
        body = body[len(exact) :]
    elif heading:
        body = body[heading.end() :]
        if not isinstance(title, str) or not title.strip():
            title = heading.group(1)
    body, trials = split_vault_body(body, entry_id, where)
    created = parse_time(front.get("created"), f"{where}: created")
    if created is None:
        raise ImportFormatError(_("{where}: missing {key!r}").format(where=where, key="created"))
    tags = front.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list):
        raise ImportFormatError(_("{where}: tags must be a list").format(where=where))
    hardness = front.get("hardness")
    if hardness is not None and not isinstance(hardness, int | str):
        raise ImportFormatError(_("{where}: hardness must be 0-4").format(where=where))
    parent = front.get("parent")
    return Incoming(
        id=entry_id,
        title=str(title or ""),
        body=body,
        created_at=created,
        updated_at=parse_time(front.get("updated"), f"{where}: updated") or created,
        kind=str(front.get("kind") or "note"),
        status=_opt_str(front.get("status")),
        hardness=hardness,
        starred=bool(front.get("starred")),
        outcome=str(front.get("outcome") or ""),
        tags=tuple(str(t) for t in tags if t is not None),
        parent_id=canonical_id(parent, where) if parent else None,
        last_reviewed_at=parse_time(front.get("reviewed"), f"{where}: reviewed"),
        snoozed_until=parse_time(front.get("snoozed"), f"{where}: snoozed"),
        where=where,
        trials=trials,
        more=evidence_more(front, where) | _revisit_more(front, where),
    )


def _revisit_more(front: dict[str, Any], where: str) -> dict[str, Any]:
    """``revisit: YYYY-MM-DD`` (written only when set); a file without it keeps the
    journal's value, like the evidence keys."""
    if "revisit" not in front:
        return {}
    return {"revisit_on": parse_day(front["revisit"], f"{where}: revisit")}


def _opt_str(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def read_vault(root: Path, progress: Progress | None = None) -> ImportBatch:
    """Parse every entry file of the vault at *root* (nothing is written)."""
    root = Path(root)
    if not root.is_dir():
        raise ImportFormatError(_("{path}: not a folder").format(path=root))
    batch = ImportBatch(format="vault", authoritative=True, kept_fields=frozenset({"deleted_at"}))
    files = vault_files(root)
    media = VaultFiles(root, batch)
    stems: dict[str, str] = {}
    for n, path in enumerate(files, 1):
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFormatError(
                _("{file}: cannot read: {reason}").format(file=path, reason=exc.strerror or exc)
            ) from None
        front: dict[str, Any] = {}
        inc = parse_file(decode_text(data, str(path)), str(path), front)
        if inc is not None:
            media.read(inc, path.resolve(), front.get("attachments"))
            stems[path.stem] = inc.id
        if inc is None:
            batch.skip(_("not a QuestionBook file (no id and kind in its front matter)"))
        elif normalise(inc) is None:
            batch.skip(_("no text"))
        else:
            batch.entries.append(inc)
        if n % 200 == 0:
            check_progress(progress, n, len(files))
    relink(batch.entries, stems)
    if media.problems:
        batch.notes.append(
            ngettext(
                "{n} attachment link points outside the vault or to a missing file; it is kept as text",
                "{n} attachment links point outside the vault or to missing files; they are kept as text",
                media.problems,
            ).format(n=media.problems)
        )
    return batch
