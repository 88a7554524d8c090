"""Composition: open a journal file and build the services over it.

Only :mod:`questionbook.__main__`, the CLI and tests call this; everything else receives the
services it needs as arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths, ensure_private_dir
from questionbook.storage.database import Database
from questionbook.storage.migrate import open_database

if TYPE_CHECKING:
    from questionbook.core.attachment_service import AttachmentService
    from questionbook.core.calendar_days import Calendar
    from questionbook.core.insights import InsightsService
    from questionbook.core.links import Links
    from questionbook.core.prompts import PromptService
    from questionbook.core.review import ReviewService
    from questionbook.core.tag_service import TagService
    from questionbook.core.templates import TemplateService
    from questionbook.core.trials import TrialService
    from questionbook.storage.keyfile import JournalKey
    from questionbook.sync.service import SyncService


@dataclass
class Services:
    """The services over one open journal."""

    paths: AppPaths
    db: Database
    journal: Journal
    week_start: int = 1
    attachment_max_mb: int = 50
    _review: ReviewService | None = field(default=None, repr=False)
    _trials: TrialService | None = field(default=None, repr=False)
    _attachments: AttachmentService | None = field(default=None, repr=False)
    _links: Links | None = field(default=None, repr=False)
    _tags: TagService | None = field(default=None, repr=False)
    _calendar: Calendar | None = field(default=None, repr=False)
    _sync: SyncService | None = field(default=None, repr=False)
    daily_prompt: bool = True
    builtin_prompts: bool = True

    @property
    def insights(self) -> InsightsService:
        """The numbers behind the Insights charts (built on each use: it holds nothing)."""
        from questionbook.core.insights import InsightsService

        return InsightsService(self.db, clock=self.journal.clock, tz=self.journal.tz)

    @property
    def review_built(self) -> bool:
        """True once :attr:`review` has been used (settings changes need not build it)."""
        return self._review is not None

    @property
    def review(self) -> ReviewService:
        """Weekly reviews, built on first use (``questionbook add`` never pays for it)."""
        if self._review is None:
            from questionbook.core.review import ReviewService

            self._review = ReviewService(self.db, self.journal, week_start=self.week_start)
        return self._review

    @property
    def trials(self) -> TrialService:
        """AI trials (issue 17), built on first use."""
        if self._trials is None:
            from questionbook.core.trials import TrialService

            self._trials = TrialService(self.db, clock=self.journal.clock, tz=self.journal.tz)
        return self._trials

    @property
    def attachments(self) -> AttachmentService:
        """Files inside the journal (issue 18), built on first use."""
        if self._attachments is None:
            self._attachments = attachment_service(self.journal, self.attachment_max_mb)
        return self._attachments

    @property
    def links(self) -> Links:
        """Links between entries and backlinks (issue 18), built on first use."""
        if self._links is None:
            from questionbook.core.links import Links

            self._links = Links(self.db)
        return self._links

    @property
    def tags(self) -> TagService:
        """The tag tree and renaming tags (issue 19), built on first use."""
        if self._tags is None:
            from questionbook.core.tag_service import TagService

            self._tags = TagService(self.db, clock=self.journal.clock)
        return self._tags

    @property
    def calendar(self) -> Calendar:
        """Entries per local day, and one day's entries (issue 19), built on first use."""
        if self._calendar is None:
            from questionbook.core.calendar_days import Calendar

            self._calendar = Calendar(self.db, tz=self.journal.tz, clock=self.journal.clock)
        return self._calendar

    @property
    def sync(self) -> SyncService:
        """Sync through a shared folder (issue 16), built on first use (the app's one
        service; an encrypted journal's change files are encrypted: SyncService picks the codec)."""
        if self._sync is None:
            from questionbook.sync.service import SyncService

            self._sync = SyncService(self.db)
        return self._sync

    @property
    def templates(self) -> TemplateService:
        """Writing templates, several per kind (issue 19)."""
        from questionbook.core.templates import TemplateService

        return TemplateService(self.db, clock=self.journal.clock)

    @property
    def prompts(self) -> PromptService:
        """The prompt of the day and the user's own prompts (issue 19), as the settings say."""
        return prompt_service(self.journal, self.daily_prompt, self.builtin_prompts)

    def close(self) -> None:
        self.db.close()


def attachment_service(journal: Journal, max_mb: int | None = None) -> AttachmentService:
    """The attachments service over *journal*'s file (the CLI's quick path builds it too);
    *max_mb* defaults to the ``attachment_max_mb`` setting."""
    from questionbook.core.attachment_service import AttachmentService

    if max_mb is None:
        from questionbook.paths import AppPaths
        from questionbook.settings import load_settings

        max_mb = load_settings(AppPaths.default().settings_file).attachment_max_mb
    return AttachmentService(journal.db, clock=journal.clock, max_bytes=max(1, max_mb) << 20)


def prompt_service(journal: Journal, enabled: bool, builtin: bool) -> PromptService:
    """The prompts over *journal*'s file (the command line's quick path builds it too)."""
    from questionbook.core.prompts import PromptService

    return PromptService(
        journal.db, clock=journal.clock, tz=journal.tz, enabled=enabled, builtin=builtin
    )


def open_services(
    paths: AppPaths,
    db_path: Path | None = None,
    before_migrate: Callable[[Path], object] | None = None,
    *,
    daily_backup: bool = True,
    key: JournalKey | None = None,
) -> Services:
    """Open the journal (``db_path`` or the default in ``paths``) and build the services.

    An existing journal is backed up before a migration (unless *before_migrate* says
    otherwise) and once a day on first open; the daily check only lists the backups folder.
    An encrypted journal needs its *key* (its backups are encrypted with it too).
    """
    from questionbook.settings import load_settings

    settings = load_settings(paths.settings_file)
    path = Path(db_path or paths.database).expanduser()
    if path.parent.resolve() == paths.data_dir.resolve():
        ensure_private_dir(paths.data_dir)  # our own folder: tightened if someone loosened it
    existed = path.is_file() and path.stat().st_size > 0
    if before_migrate is None:

        def before_migrate(p: Path) -> object:
            from questionbook.storage import backup

            return backup.backup_before_migrate(p, key)

    migrated: list[Path] = []

    def migrating(p: Path) -> object:
        migrated.append(p)
        return before_migrate(p)

    db = open_database(path, before_migrate=migrating, key=key)
    if migrated:
        # A migration may rebuild a synced table (dropping its capture triggers) or add one:
        # the triggers are re-created before anything else can write.
        from questionbook.sync.capture import refresh_if_enabled

        refresh_if_enabled(db)
    if existed and daily_backup:  # the app backs up after its first paint (issue 21)
        from questionbook.storage import backup

        keep = (settings.backup_daily, settings.backup_weekly, settings.backup_monthly)
        if backup.daily_backup(path, keep=keep, key=db.key) is not None:
            db.refresh_statistics()  # once a day, like the backup
    journal = Journal(db)
    return Services(
        paths=paths,
        db=db,
        journal=journal,
        week_start=settings.week_start,
        attachment_max_mb=settings.attachment_max_mb,
        daily_prompt=settings.daily_prompt,
        builtin_prompts=settings.builtin_prompts,
    )
