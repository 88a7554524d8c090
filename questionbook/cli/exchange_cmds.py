"""``questionbook export`` and ``questionbook import``, with a progress bar on a terminal."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questionbook.i18n import _, ngettext

if TYPE_CHECKING:
    from questionbook.cli.main import Context


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help=_("export entries to Markdown, a folder vault or JSON"),
        description=_(
            "Export entries. markdown: one file grouped by day; "
            "vault: a folder of Markdown files with front matter "
            "(Obsidian); json: everything, lossless."
        ),
    )
    p.add_argument("--format", "-f", choices=("markdown", "vault", "json"), default="markdown")
    p.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="PATH",
        help=_("the file (or, for a vault, the folder) to write"),
    )
    p.add_argument("--since", metavar="DATE", help=_("only entries created on or after DATE"))
    p.add_argument("--until", metavar="DATE", help=_("only entries created on or before DATE"))
    p.add_argument("--week", metavar="YYYY-Www", help=_("only entries of that ISO week"))
    p.add_argument("--kind", action="append", default=[], choices=("question", "plan", "note"))
    p.add_argument("--tag", action="append", default=[], metavar="TAG")
    p.add_argument("--query", "-q", default="", metavar="Q", help=_("any search query"))
    p.add_argument(
        "--encrypt-to",
        metavar="PASSPHRASE-FILE",
        help=_(
            "write one encrypted archive (age, PATH.tar.age) instead of plain files; its "
            "passphrase is the first line of this file"
        ),
    )
    p.set_defaults(func=cmd_export)

    p = sub.add_parser(
        "import",
        help=_("import a QuestionBook, jrnl or Day One export"),
        description=_(
            "Import entries in one transaction: all or nothing. "
            "Importing the same file again adds nothing."
        ),
    )
    p.add_argument("path", metavar="PATH")
    p.add_argument(
        "--from",
        dest="fmt",
        default="auto",
        choices=("auto", "json", "markdown", "vault", "jrnl", "dayone"),
    )
    p.add_argument(
        "--dry-run", "-n", action="store_true", help=_("show what would happen and write nothing")
    )
    p.add_argument(
        "--passphrase-file",
        dest="import_passphrase_file",
        metavar="PATH",
        help=_("an encrypted jrnl journal's password is the first line of this file"),
    )
    p.set_defaults(func=cmd_import)


class ProgressBar:
    """A one-line bar on stderr, redrawn at most ten times a second; silent when not a TTY."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()
        self.last = 0.0
        self.drawn = False

    def __call__(self, done: int, total: int) -> bool:
        now = time.monotonic()
        if self.enabled and total and (now - self.last > 0.1 or done >= total):
            self.last = now
            width = 30
            filled = int(width * done / total)
            from questionbook.cli.terminal import raw

            err = raw(sys.stderr)  # our own carriage return, past the control-character filter
            err.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            err.flush()
            self.drawn = True
        return True

    def close(self) -> None:
        if self.drawn:
            sys.stderr.write("\n")
            sys.stderr.flush()


def _filter(a: Any) -> Any:
    from questionbook.cli.journal_cmds import parsed_query
    from questionbook.core.timeutil import parse_date
    from questionbook.exchange.common import ExportFilter, iso_week_bounds

    parsed_query(a.query)  # a bad operator is a usage error before anything is written
    flt = ExportFilter(query=a.query, kinds=list(a.kind), tags=list(a.tag))
    if a.week:
        flt.since, flt.until = iso_week_bounds(a.week)
    if a.since:
        flt.since = max(filter(None, (flt.since, parse_date(a.since))))
    if a.until:
        flt.until = min(filter(None, (flt.until, parse_date(a.until))))
    return flt


def cmd_export(ctx: Context) -> int:
    from questionbook.exchange.api import export_journal

    a = ctx.args
    bar = ProgressBar(_("Exporting"))
    try:
        if a.encrypt_to:
            report = _export_encrypted(ctx, bar)
        else:
            report = export_journal(
                ctx.services.journal, a.format, a.output, _filter(a), progress=bar
            )
    finally:
        bar.close()
    print(
        ngettext(
            "Exported {n} entry to {path}", "Exported {n} entries to {path}", report.entries
        ).format(n=report.entries, path=report.path)
    )
    if a.encrypt_to:
        print(
            _(
                "The archive is encrypted with age (scrypt): 'age -d' opens it, and "
                "'questionbook import' with --passphrase-file reads it back."
            )
        )
    elif ctx.services.db.key is not None:
        print(
            _(
                "Note: the export is not encrypted, although the journal is: anyone who can "
                "read it can read these entries. '--encrypt-to FILE' writes an encrypted "
                "archive instead."
            )
        )
    if a.format == "vault":
        print(
            _("Files: {w} written, {u} unchanged, {r} removed").format(
                w=report.files_written, u=report.files_unchanged, r=report.files_removed
            )
        )
    for note in report.notes:
        print(note)
    return 0


def _export_encrypted(ctx: Context, bar: ProgressBar) -> Any:
    """Export into a private scratch folder, then pack it into one age archive."""
    from questionbook.cli.passphrases import read_first_line
    from questionbook.exchange.age_archive import archive_path, scratch_folder, write_archive
    from questionbook.exchange.api import check_export_target, export_journal
    from questionbook.storage.keyfile import check_new_passphrase

    a = ctx.args
    passphrase = read_first_line(a.encrypt_to)
    check_new_passphrase(passphrase)
    target = Path(a.output).expanduser()
    journal = ctx.services.journal
    check_export_target(Path(journal.db.path), archive_path(target))
    with scratch_folder() as folder:
        report = export_journal(journal, a.format, folder / target.name, _filter(a), progress=bar)
        report.path = write_archive(folder, target, passphrase)
    return report


def _jrnl_password_from_terminal(path: Path) -> str | None:
    """Ask for an encrypted jrnl journal's password on the terminal (None: not one, or no
    terminal; the import then says which option to give)."""
    from questionbook.cli.passphrases import can_prompt, prompt
    from questionbook.exchange.jrnl_crypt import is_encrypted_jrnl

    try:
        with open(path, "rb") as fh:
            head = fh.read(64)
    except OSError:
        return None
    if not is_encrypted_jrnl(head) or not can_prompt():
        return None
    return prompt(_("Password of the jrnl journal {file}: ").format(file=path.name))


def cmd_import(ctx: Context) -> int:
    from pathlib import Path

    from questionbook.core.errors import QuestionBookError
    from questionbook.exchange.age_archive import is_age_file
    from questionbook.exchange.api import import_path, read_file
    from questionbook.exchange.detect import UnknownFormat

    a = ctx.args
    password = None
    if a.import_passphrase_file:
        from questionbook.cli.passphrases import read_first_line

        password = read_first_line(a.import_passphrase_file)
    else:
        password = _jrnl_password_from_terminal(Path(a.path))
    bar = ProgressBar(_("Importing"))
    batch = None
    try:
        path = Path(a.path)
        if not (path.is_file() and is_age_file(path)):
            # Read before the journal is opened: a large file's reading process starts now
            # and its start overlaps the journal's. (The command line's journal keeps local
            # time: open_services gives it no time zone.)
            batch = read_file(path, a.fmt, bar, password, tz=None)
            batch.start_reading(fork=True)  # no other thread here: see Reader.start
        report = import_path(
            ctx.services.journal,
            path,
            a.fmt,
            dry_run=a.dry_run,
            progress=bar,
            password=password,
            alone=True,  # the command does nothing else with the journal meanwhile
            batch=batch,
        )
    except UnknownFormat as exc:
        raise QuestionBookError(
            _("{reason}; name the format with --from (json, markdown, vault, jrnl, dayone)").format(
                reason=exc
            )
        ) from exc
    finally:
        if batch is not None:
            batch.stop_reading()  # never started, or never drained (the journal did not open)
        bar.close()
    from questionbook.exchange.common import describe_report

    print(describe_report(report))
    return 0
