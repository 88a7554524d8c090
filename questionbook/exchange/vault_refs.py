"""A vault's attachments and links, both ways (used by :mod:`questionbook.exchange.vault`).

Export: each attachment is written once to ``attachments/`` at the vault's root, and the
entry's ``attachment:<sha>/<name>`` targets become relative links (``../../attachments/x.png``)
that Obsidian follows; ``[[<id>|label]]`` becomes ``[[<file name>|label]]``, which Obsidian
resolves by file name (a link to an entry outside the export keeps its id). The front matter
lists the entry's files (``attachments: [{file, name, sha256, inline}]``) so that names,
files attached without a reference, and the exact text come back.

Import reverses both: a relative link to a file in the vault becomes an attachment again
(listed files by their recorded name and hash, other files, e.g. pasted in Obsidian, by their
own name), and ``[[file name|label]]`` to an entry in the import becomes ``[[<id>|label]]``.
A path that leaves the vault, a link, a missing file or a wrong hash is never followed.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import urllib.parse
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from questionbook.core.attachments import MARKUP_RE, PIECE, markup, safe_file_name, url
from questionbook.core.links import LINK_RE, WIKI_RE, replace_links
from questionbook.exchange.attachment_files import Held, Namer, quote_path, rewrite_references
from questionbook.exchange.filenames import inside
from questionbook.exchange.incoming import ImportBatch, Incoming, IncomingBlob

FOLDER = "attachments"
_SHA_RE = re.compile(r"[0-9a-f]{64}\Z")
_TARGET_RE = re.compile(r"(!?\[(?:[^\]\\\n]|\\.)*\]\()(<[^>\n]+>|[^)\s]+)(\))")
_EMBED_RE = re.compile(r"!\[\[([^\[\]|\n]+)(?:\|[^\[\]\n]*)?\]\]")


# -- export -------------------------------------------------------------------------------------
def export_body(
    body: str,
    rel: str,
    held: list[Held],
    namer: Namer,
    stems: dict[str, str],
) -> tuple[str, list[dict[str, Any]]]:
    """The body as written in the vault file at *rel*, and its front matter's attachments."""
    if not held and "attachment:" not in body and "[[" not in body:
        return body, []  # most entries: nothing to rewrite
    folder = posixpath.dirname(rel)

    def path_of(sha: str, name: str) -> str:
        return posixpath.relpath(f"{FOLDER}/{namer.name(sha, name)}", folder or ".")

    names = {h.sha256: h.name for h in held}
    body = rewrite_references(
        body, lambda sha, name: quote_path(path_of(sha, names.get(sha, name)))
    )
    body = replace_links(
        body,
        lambda target, label: (
            None
            if target not in stems
            else f"[[{stems[target]}|{label}]]"
            if label is not None
            else f"[[{stems[target]}]]"
        ),
    )
    listed = [
        {
            "file": f"{FOLDER}/{namer.name(h.sha256, h.name)}",
            "name": h.name,
            "sha256": h.sha256,
            "inline": h.inline,
        }
        for h in held
    ]
    return body, listed


def front_matter_line(listed: list[dict[str, Any]]) -> str:
    """``attachments: [...]`` as one YAML line (JSON is valid YAML flow style)."""
    return "attachments: " + json.dumps(listed, ensure_ascii=False)


# -- import -------------------------------------------------------------------------------------
def _opener(path: Path) -> Callable[[], IO[bytes]]:
    return lambda: open(path, "rb")


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while piece := fh.read(PIECE):
            digest.update(piece)
    return digest.hexdigest()


class VaultFiles:
    """Attachments met while reading a vault: listed ones by the front matter's hash, other
    files by hashing them (once each)."""

    def __init__(self, root: Path, batch: ImportBatch) -> None:
        self.root = root.resolve()
        self.batch = batch
        self.known: dict[Path, str] = {}
        self.problems = 0

    def within(self, path: Path) -> Path | None:
        """*path* resolved, if it stays inside the vault."""
        try:
            return inside(self.root, path.resolve().relative_to(self.root))
        except (ValueError, OSError):
            return None

    def add(self, path: Path, sha: str | None) -> str | None:
        """The hash of the vault file *path* (registered for import), or None if unusable."""
        if path in self.known:
            return self.known[path]
        if not path.is_file() or path.suffix.lower() == ".md" or os.path.islink(path):
            return None
        try:
            sha = sha or _hash(path)
        except OSError:
            self.problems += 1
            return None
        self.known[path] = sha
        rel = path.relative_to(self.root).as_posix()
        self.batch.blobs.setdefault(sha, IncomingBlob(sha, rel, _opener(path)))
        return sha

    def read(self, inc: Incoming, md_path: Path, listed: Any) -> None:
        """Turn the file's attachment links back into ``attachment:`` references and give
        the entry the files its front matter lists."""
        by_path: dict[Path, tuple[str, str]] = {}  # vault file → (sha, name)
        attached: list[tuple[str, str, bool]] = []
        for item in listed if isinstance(listed, list) else []:
            if not isinstance(item, dict):
                continue
            rel, sha = item.get("file"), item.get("sha256")
            if not isinstance(rel, str) or not isinstance(sha, str) or not _SHA_RE.match(sha):
                continue
            path = inside(self.root, rel)
            if path is None or self.add(path, sha) is None:
                self.problems += 1
                continue
            name = safe_file_name(str(item.get("name") or path.name))
            by_path[path] = (sha, name)
            attached.append((name, sha, bool(item.get("inline", True))))

        def target(m: re.Match[str]) -> str:
            raw = m.group(2)
            link = raw[1:-1] if raw.startswith("<") else raw
            if ":" in link.split("/")[0] or link.startswith("#"):
                return m.group(0)  # a URL or an anchor, not a file
            path = self.within(md_path.parent / urllib.parse.unquote(link))
            if path is None:
                return m.group(0)
            found = by_path.get(path)
            if found is None:
                sha = self.add(path, None)
                if sha is None:
                    return m.group(0)
                found = (sha, safe_file_name(path.name))
                by_path[path] = found
            return m.group(1) + url(*found) + m.group(3)

        body = _TARGET_RE.sub(target, inc.body) if "](" in inc.body else inc.body

        def embed(m: re.Match[str]) -> str:  # Obsidian's ![[picture.png]]
            name = m.group(1).strip()
            for folder in (md_path.parent, self.root / FOLDER, self.root):
                path = self.within(folder / name)
                sha = self.add(path, None) if path is not None else None
                if path is not None and sha is not None:
                    clean = safe_file_name(path.name)
                    return markup(sha, clean, "image/" if _is_image(clean) else "")
            return m.group(0)

        if "![[" in body:
            body = _EMBED_RE.sub(embed, body)
        inc.body = body
        if attached:
            inc.attachments = attached


def _is_image(name: str) -> bool:
    return name.lower().rsplit(".", 1)[-1] in {"png", "jpg", "jpeg", "gif", "webp", "svg", "bmp"}


def relink(entries: list[Incoming], stems: dict[str, str]) -> None:
    """``[[file name|label]]`` → ``[[<id>|label]]`` for links to entries in the import."""
    for inc in entries:
        if "[[" not in inc.body:
            continue

        def sub(m: re.Match[str]) -> str:
            if LINK_RE.fullmatch(m.group(0)):
                return m.group(0)
            target = stems.get(m.group(1).strip().removesuffix(".md"))
            if target is None:
                return m.group(0)
            return f"[[{target}|{m.group(2)}]]" if m.group(2) is not None else f"[[{target}]]"

        inc.body = WIKI_RE.sub(sub, inc.body)


__all__ = ["FOLDER", "MARKUP_RE", "VaultFiles", "export_body", "front_matter_line", "relink"]
