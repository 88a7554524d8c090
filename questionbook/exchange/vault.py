"""A folder of Markdown files with YAML front matter (Obsidian-compatible), both ways.

Layout: ``YYYY/MM/YYYY-MM-DD-<slug>-<short id>.md`` per entry plus ``index.md``. Each file is
front matter (``id, title, kind, status, hardness, tags, starred, created, updated, outcome,
parent`` and, when set, ``reviewed``/``snoozed``/``revisit``), then ``# Title``, a blank line and the body
verbatim, so importing the folder gives back the same entries.

Re-exporting into the same folder updates files in place (a file whose content is the same is
not rewritten, so sync tools see no change) and removes files of entries that are gone. A
manifest (``.questionbook-vault.json``) lists the files QuestionBook wrote, ``index.md``
included: nothing else in the folder is ever removed or overwritten (a file in the way is left
alone and reported), and no path from it is used unless it stays inside the folder.

While an export runs, the files written so far are appended to ``.questionbook-vault.progress``
page by page, so an export that is killed half-way and run again finds them as its own and
resumes instead of writing a second copy of each; a file written after the last page was noted
is recognised by the entry id in its front matter. Folders the export creates are private
(0700), like its files (0600): their names are entry titles.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
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
from questionbook.exchange import vault_writer
from questionbook.exchange.attachment_files import Namer, held_by_page, write_blobs
from questionbook.exchange.common import (
    Cancelled,
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
from questionbook.exchange.incoming import (
    ImportBatch,
    Incoming,
    canonical_id,
    normalise,
    read_in_two_passes,
)
from questionbook.exchange.reading import MAX_IMPORT_BYTES, open_input
from questionbook.exchange.selection import iter_pages, select_ids, trials_for
from questionbook.exchange.vault_refs import (
    FOLDER,
    VaultFiles,
    export_body,
    front_matter_line,
    relink,
)
from questionbook.i18n import _, ngettext
from questionbook.paths import make_private_dirs

MANIFEST = ".questionbook-vault.json"
PROGRESS = ".questionbook-vault.progress"
INDEX = "index.md"
_FRONT = re.compile(r"\A---\r?\n(.*?)(?:\r?\n)?^---[ \t]*(?:\r?\n|\Z)", re.S | re.M)
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is ~10x faster


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader, refusing aliases (``*name``): a few hundred bytes of nested
    aliases ("billion laughs") expand to gigabytes. Our own front matter never has any."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases are not allowed", event.start_mark
            )
        return super().compose_node(parent, index)


def _load_front(text: str) -> Any:
    """Front matter as Python values. Without ``*`` there can be no alias, and the fast C
    loader is safe; otherwise the alias-refusing pure-Python loader reads it."""
    return yaml.load(text, Loader=_NoAliasLoader if "*" in text else _Loader)


def entry_path(
    entry: Entry,
    tz: tzinfo | None = None,
    *,
    long_id: bool = False,
    created: datetime | None = None,
) -> str:
    """The file of *entry*, relative to the vault: ``YYYY/MM/YYYY-MM-DD-slug-id.md``.

    *created*: the entry's creation time in *tz*, when the caller has it already (an export
    of 100,000 entries converts each time zone once, not four times)."""
    day = (created or to_local(entry.created_at, tz)).date()
    short = entry.id if long_id else entry.id[:8]
    iso = day.isoformat()
    folder = f"{iso[:4]}/{iso[5:7]}" if day.year >= 1000 else f"{day:%Y}/{day:%m}"
    return f"{folder}/{iso}-{slugify(entry.title)}-{short}.md"


def _stamp(value: datetime | None, tz: tzinfo | None) -> str | None:
    return None if value is None else to_local(value, tz).isoformat()


_PLAIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_YAML_WORDS = frozenset({"y", "n", "yes", "no", "true", "false", "on", "off", "null"})
# JSON escapes C0 controls; YAML also wants these escaped inside double quotes (DEL and C1
# are not printable, and NEL, LS and PS would be folded as line breaks).
_UNSAFE_RE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")
#: What ``json.dumps(text, ensure_ascii=False)`` escapes: quotes, backslashes, C0 controls.
_JSON_ESCAPED_RE = re.compile(r'[\x00-\x1f"\\]')


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
    if _JSON_ESCAPED_RE.search(text) is None:  # most values: JSON would only add the quotes
        quoted = f'"{text}"'
    else:
        quoted = json.dumps(text, ensure_ascii=False)
    if _UNSAFE_RE.search(quoted) is None:
        return quoted
    return _UNSAFE_RE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def render_file(
    entry: Entry,
    tz: tzinfo | None = None,
    trials: Sequence[Trial] = (),
    attachments: list[dict[str, Any]] | None = None,
    created: datetime | None = None,
) -> str:
    """The whole file for *entry*: YAML front matter, ``# Title``, the body verbatim.

    The front matter has a fixed shape, so it is written directly (PyYAML's representer took
    two thirds of a 100k-entry export); the import reads it back with PyYAML.
    """
    stamp = (created or to_local(entry.created_at, tz)).isoformat()
    front: dict[str, Any] = {
        "id": entry.id,
        "title": entry.title,
        "kind": entry.kind,
        "status": entry.status,
        "hardness": entry.hardness,
        "starred": entry.starred,
        "created": stamp,
        "updated": stamp if entry.updated_at == entry.created_at else _stamp(entry.updated_at, tz),
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


def _load_manifest(root: Path) -> tuple[dict[str, str], bool]:
    """(files QuestionBook wrote → entry id, whether ``index.md`` is ours), from the manifest
    and the progress an interrupted export noted. A manifest from before the index was listed
    came with an index.md of ours."""
    files: dict[str, str] = {}
    index = False
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        listed = data.get("files", {})
        if isinstance(listed, dict):
            files = {str(k): str(v) for k, v in listed.items()}
        index = bool(data.get("index", True))
    except (OSError, ValueError, AttributeError):
        pass
    try:
        with open(root / PROGRESS, encoding="utf-8", errors="replace") as fh:
            for line in fh:
                rel, tab, entry_id = line.rstrip("\n").partition("\t")
                if tab and rel and entry_id and line.endswith("\n"):
                    files[rel] = entry_id
                elif rel == INDEX and line.endswith("\n"):
                    index = True
    except OSError:
        pass
    return files, index


def _written_for(target: Path, entry_id: str, content: str) -> bool:
    """True if *target* is a file an export wrote for *entry_id*, after the last progress note
    of an interrupted export: its front matter names the entry, or it is the start of what
    would be written there (the export was killed while writing it, even before its first
    byte)."""
    head_text = f"---\nid: {_scalar(entry_id)}\n".encode()
    data = content.encode("utf-8")
    try:
        with open(target, "rb") as fh:
            head = fh.read(len(data) + 1)
    except OSError:
        return False
    return head.startswith(head_text) or data.startswith(head)


_LINK_ESCAPED_RE = re.compile(r"([\[\]\\])")


def _link(title: str, rel: str) -> str:
    label = " ".join(title.split())
    if "[" in label or "]" in label or "\\" in label:
        label = _LINK_ESCAPED_RE.sub(r"\\\1", label)
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
    try:
        make_private_dirs(root)
    except OSError as exc:
        raise ExportError(
            _("cannot write {file}: {reason}").format(file=root, reason=exc.strerror or exc)
        ) from None
    ids = select_ids(journal, flt)
    old, index_ours = _load_manifest(root)
    old_files = _attachment_manifest(root)
    report = ExportReport(path=root, entries=len(ids))
    progress_log = _ProgressLog(root / PROGRESS)
    written: dict[str, str] = {}
    index: list[str] = []
    tz = journal.tz
    check_progress(progress, 0, len(ids))
    done = 0
    folders: dict[str, str | None] = {}
    fresh: set[str] = set()  # folders this export created: nothing of anyone else's is in them

    def place(rel: str) -> str | None:
        # File names are slugs (no separators, no ".."), so checking (and creating) each YYYY/MM
        # folder once for links out of the vault is enough; a rename never follows a link at
        # the file, and O_EXCL refuses one.
        # The path is a string, not a Path object per file (~5 % of a 100k export's time).
        folder_rel, _sep, name = rel.rpartition("/")
        if folder_rel not in folders:
            at = inside(root, folder_rel)
            if at is not None:
                if not at.is_dir():
                    fresh.add(folder_rel)
                make_private_dirs(at)
            folders[folder_rel] = None if at is None else os.path.join(at, "")
        folder = folders[folder_rel]
        return None if folder is None or name in ("", ".", "..") else folder + name

    def write(rel: str, content: str, entry_id: str) -> bool:
        """Write *content* at *rel* unless a file not ours is there; True if it was placed.

        The exclusive create comes first: in a fresh export every file is new, and asking
        the file system first would cost two more calls per entry.
        """
        placed_at = place(rel)
        if placed_at is None or rel in written:
            return False
        if writer is not None and rel.rpartition("/")[0] in fresh:
            writer.add(placed_at, content)  # created by the child, while the next page renders
            report.files_written += 1
            return True
        try:
            write_new_text(placed_at, content)
        except FileExistsError:
            target = Path(placed_at)
            if rel not in old and not _written_for(target, entry_id, content):
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
    writer = vault_writer.ChildWriter.start() if len(ids) >= vault_writer.PARALLEL_MIN else None
    try:
        exported = set(ids)
        for page in iter_pages(journal, ids):
            placed: list[tuple[str, str]] = []
            page_trials = trials_for(journal, [e.id for e in page])
            held = held_by_page(journal, [e.id for e in page])
            stems = _link_stems(journal, page, exported)
            for entry in page:
                created = to_local(entry.created_at, tz)
                rel = entry_path(entry, tz, created=created)
                body, listed = export_body(entry.body, rel, held.get(entry.id, []), namer, stems)
                if body != entry.body:
                    entry = dataclasses.replace(entry, body=body)
                content = render_file(entry, tz, page_trials.get(entry.id, ()), listed, created)
                if not write(rel, content, entry.id):
                    if rel not in written:
                        report.files_kept.append(root / rel)
                    rel = entry_path(entry, tz, long_id=True, created=created)
                    if not write(rel, content, entry.id):
                        raise ExportError(
                            _(
                                "{path}: a file that QuestionBook did not write is in the way"
                            ).format(path=root / rel)
                        )
                written[rel] = entry.id
                placed.append((rel, entry.id))
                index.append(f"- {created.date().isoformat()} {_link(entry.title, rel)}")
            if writer is not None:
                writer.flush()
            progress_log.note(placed)
            done += len(page)
            check_progress(progress, done, len(ids))
        if writer is not None:
            writer.finish()
    except Cancelled:
        if writer is not None:
            writer.settle()  # what it was sent is created, as the in-process export would have
        raise
    finally:
        if writer is not None:
            writer.stop()
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
    index_text = f"# {heading}\n\n" + "\n".join(index) + ("\n" if index else "")
    index_ours = _write_index(root / INDEX, index_text, index_ours, progress_log)
    if not index_ours:
        report.files_kept.append(root / INDEX)
    manifest = {
        "format": "questionbook-vault",
        "version": 1,
        "index": index_ours,
        "files": {**keep, **written},
        "attachments": {f"{FOLDER}/{name}": sha for sha, name in namer.by_sha.items()},
    }
    atomic_write_text(root / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    progress_log.finish()
    for kept in report.files_kept:
        report.notes.append(
            _("{path} was not written: a file QuestionBook did not write is there").format(
                path=kept
            )
        )
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


def _attachment_manifest(root: Path) -> dict[str, str]:
    """Attachment files an earlier export wrote (``attachments/<name>`` → SHA-256)."""
    try:
        data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
        files = data.get("attachments", {})
        return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def _write_index(path: Path, text: str, ours: bool, log: _ProgressLog) -> bool:
    """Write ``index.md`` if it is ours or not there yet; False if someone else's is there."""
    try:
        write_new_text(path, text)
    except FileExistsError:
        if not ours:
            return False
        atomic_write_text(path, text, fsync=False)
    log.note_index()
    return True


class _ProgressLog:
    """``.questionbook-vault.progress``: the files an unfinished export has written so far, a
    page at a time, so that running it again adopts them instead of writing copies."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fh: Any = None

    def _open(self) -> Any:
        if self._fh is None:
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            self._fh = os.fdopen(fd, "a", encoding="utf-8")
        return self._fh

    def note(self, placed: list[tuple[str, str]]) -> None:
        if placed:
            fh = self._open()
            fh.write("".join(f"{rel}\t{entry_id}\n" for rel, entry_id in placed))
            fh.flush()  # the kernel has it: a killed process cannot lose it

    def note_index(self) -> None:
        fh = self._open()
        fh.write(f"{INDEX}\n")
        fh.flush()

    def finish(self) -> None:
        """The manifest now lists everything: the notes are no longer needed."""
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


# -- import -------------------------------------------------------------------------------------
#: A vault with more Markdown files than this is not one QuestionBook can import at once.
MAX_VAULT_FILES = 1_000_000
#: One entry's file: the longest text ``add`` takes, as UTF-8, plus its front matter.
MAX_FILE_BYTES = 4 * 10_000_000 + (1 << 20)


def vault_files(root: Path) -> list[Path]:
    """The Markdown files of a vault (hidden folders such as ``.obsidian`` are skipped; links
    are not followed)."""
    found: list[str] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in names:
            if name.endswith(".md") and not name.startswith("."):
                found.append(os.path.join(folder, name))
                if len(found) > MAX_VAULT_FILES:
                    raise ImportFormatError(
                        _("{path}: more than {n:,} Markdown files; import it in parts").format(
                            path=root, n=MAX_VAULT_FILES
                        )
                    )
    files = []
    for name in sorted(found):
        path = Path(name)
        if path.relative_to(root).as_posix() == INDEX:
            continue
        if not path.is_symlink() and path.is_file():
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
        front = _load_front(m.group(1)) or {}  # a safe loader, no aliases
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = (
            name if mark is None else _("{file}: line {line}").format(file=name, line=mark.line + 2)
        )  # + the opening "---" line, 1-based
        problem = str(getattr(exc, "problem", "") or "")
        if "aliases" in problem:
            raise ImportFormatError(
                _("{where}: the front matter uses YAML aliases, which are not imported").format(
                    where=where
                )
            ) from None
        raise ImportFormatError(
            _("{where}: the front matter is not valid YAML").format(where=where)
        ) from None
    except RecursionError:
        raise ImportFormatError(
            _("{file}: the front matter is nested too deeply").format(file=name)
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
    files = vault_files(root)
    if not files and not (root / INDEX).is_file():  # not even an empty journal's vault
        raise ImportFormatError(
            _(
                "{path}: no Markdown files in this folder. A folder is imported as a vault: one "
                ".md file per entry, as QuestionBook's vault export writes them"
            ).format(path=root)
        )
    first = ImportBatch(format="vault", authoritative=True, kept_fields=frozenset({"deleted_at"}))
    media = VaultFiles(root, first)  # attachment bytes are found (and hashed) once, for *first*
    stems: dict[str, str] = {}  # file name → entry id, for [[file name]] links

    def fill(batch: ImportBatch) -> None:
        again = batch.consumer is not None  # a second reading: every file name is known
        budget = MAX_IMPORT_BYTES
        for n, path in enumerate(files, 1):
            with open_input(path, min(MAX_FILE_BYTES, budget)) as fh:
                data = fh.read()
            budget -= len(data)
            front: dict[str, Any] = {}
            inc = parse_file(decode_text(data, str(path)), str(path), front)
            del data
            if inc is not None:
                media.read(inc, path.resolve(), front.get("attachments"))
                stems[path.stem] = inc.id
            if inc is None:
                batch.skip(_("not a QuestionBook file (no id and kind in its front matter)"))
            elif normalise(inc, with_tags=False) is None:
                batch.skip(_("no text"))
            else:
                if again:
                    relink([inc], stems)
                batch.add(inc)
            if n % 200 == 0 and not again:
                check_progress(progress, n, len(files))

    batch = read_in_two_passes(fill, first)
    relink(batch.entries, stems)  # the entries kept in memory (all of a smaller vault)
    if media.problems:
        batch.notes.append(
            ngettext(
                "{n} attachment link points outside the vault or to a missing file; it is kept as text",
                "{n} attachment links point outside the vault or to missing files; they are kept as text",
                media.problems,
            ).format(n=media.problems)
        )
    return batch
