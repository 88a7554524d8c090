"""Evidence commands (issue 17): ``trial add|judge|list|accept|rm``, ``ask``, ``still-mine``,
and the reach, seal and "still mine" options of ``edit``."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from questionbook.i18n import _

if TYPE_CHECKING:
    from questionbook.cli.main import Context
    from questionbook.core.entities import Entry, Trial
    from questionbook.core.trials import TrialService


def register(sub: Any) -> None:
    p = sub.add_parser(
        "trial",
        help=_("record what happened when you put an entry to an AI"),
        description=_(
            "AI trials are evidence for an entry's hardness: when you asked, which model, what "
            "it answered and whether it solved the entry (solved, partly, failed or pending)."
        ),
    )
    trial = p.add_subparsers(dest="trial_command", metavar="ACTION", required=True)
    t = trial.add_parser("add", help=_("record a trial; prints its id"))
    t.add_argument("id", metavar="ID", help=_("the entry (an id or a unique prefix)"))
    t.add_argument(
        "--verdict", required=True, metavar="V", help=_("solved, partly, failed or pending")
    )
    t.add_argument("--model", default="", metavar="M", help=_("which AI, e.g. qwen3:8b"))
    t.add_argument("--note", default="", metavar="N")
    t.add_argument("--date", metavar="DATETIME", help=_("when you asked (default: now)"))
    t.add_argument("--prompt", metavar="TEXT", help=_("what you asked (default: the entry)"))
    t.add_argument(
        "--answer", default="", metavar="TEXT", help=_("the answer; - reads standard input")
    )
    t.set_defaults(func=cmd_trial_add)

    t = trial.add_parser("judge", help=_("give a trial its verdict"))
    t.add_argument("trial_id", metavar="TRIAL_ID")
    t.add_argument("verdict", metavar="V", help=_("solved, partly, failed or pending"))
    t.add_argument("--note", metavar="N")
    t.set_defaults(func=cmd_trial_judge)

    t = trial.add_parser("list", help=_("an entry's trials, newest first"))
    t.add_argument("id", metavar="ID")
    t.add_argument("--json", action="store_true", help=_("print a JSON array"))
    t.set_defaults(func=cmd_trial_list)

    t = trial.add_parser(
        "accept", help=_("re-rate the entry as its trials suggest (rating source: trial)")
    )
    t.add_argument("id", metavar="ID")
    t.set_defaults(func=cmd_trial_accept)

    t = trial.add_parser("rm", help=_("delete a trial"))
    t.add_argument("trial_id", metavar="TRIAL_ID")
    t.set_defaults(func=cmd_trial_rm)

    p = sub.add_parser(
        "ask",
        help=_("ask your AI endpoint about an entry; keeps the answer as a pending trial"),
        description=_(
            "Send the entry's title and body to the OpenAI-compatible endpoint of the settings "
            "(or --endpoint), print the answer and the id of the new pending trial. An endpoint "
            "that is not on this computer needs --yes or your confirmation. The API key, if "
            "any, comes from the system keyring."
        ),
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--endpoint", metavar="URL", help=_("e.g. http://localhost:11434/v1"))
    p.add_argument("--model", metavar="NAME", help=_("e.g. qwen3:8b"))
    p.add_argument("--prompt", metavar="TEXT", help=_("ask this instead of the entry's text"))
    p.add_argument("--yes", action="store_true", help=_("send to an endpoint off this computer"))
    p.add_argument("--no-stream", action="store_true", help=_("wait for the whole answer"))
    p.add_argument("--timeout", type=float, metavar="SECONDS", help=_("wait this long at most"))
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("still-mine", help=_('what stays yours: the "still mine" lines by tag'))
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_still_mine)


# -- edit's options ---------------------------------------------------------------------------


def add_evidence_edit_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--reach", metavar="N", help=_("how hard it is for you: 0-4, a name, or none"))
    seal = p.add_mutually_exclusive_group()
    seal.add_argument(
        "--seal-until",
        metavar="LEVEL",
        help=_("rest until the waterline reaches LEVEL, then come back in the review"),
    )
    seal.add_argument("--unseal", action="store_true", help=_("remove the tide seal"))
    p.add_argument(
        "--still-mine", metavar="TEXT", help=_("what part of it is still yours ('' clears it)")
    )


def evidence_edit_changes(a: argparse.Namespace) -> dict[str, Any]:
    """The keyword arguments of ``Journal.update`` that ``edit``'s evidence options ask for."""
    from questionbook.core.entry_writes import UNSET

    out: dict[str, Any] = {"still_mine": a.still_mine}
    if a.reach is not None:
        out["reach"] = a.reach
    if a.unseal:
        out["seal_until"] = None
    elif a.seal_until is not None:
        out["seal_until"] = a.seal_until
    else:
        out["seal_until"] = UNSET
    return out


def print_entry_evidence(ctx: Context, entry: Entry) -> None:
    """The lines ``show`` adds: reach and quadrant, the seal, "still mine", the trials."""
    from questionbook.core.evidence import evidence_text
    from questionbook.core.vocabulary import (
        HARDNESS,
        QUADRANT_LABELS,
        REACH,
        quadrant,
    )

    waterline = ctx.journal.waterline()
    lines = []
    if entry.reach is not None:
        line = _("Reach: {level} {name}").format(level=entry.reach, name=REACH[entry.reach].label)
        q = quadrant(entry.hardness, entry.reach, waterline)
        if q is not None:
            line += " · " + _(QUADRANT_LABELS[q])
        lines.append(line)
    if entry.seal_level is not None:
        seal = HARDNESS[entry.seal_level]
        if entry.seal_waterline is None:
            line = _("Sealed until the water reaches {level} {name}").format(
                level=seal.level, name=seal.label
            )
        else:
            line = _("Sealed until the water reaches {level} {name} (sealed at {then})").format(
                level=seal.level, name=seal.label, then=HARDNESS[entry.seal_waterline].label
            )
        if waterline >= entry.seal_level:
            line += " · " + _("the tide has come")
        lines.append(line)
    if entry.still_mine:
        lines.append(_("Still mine: {text}").format(text=entry.still_mine))
    said = evidence_text(_trials(ctx).evidence(entry.id))
    if said:
        lines.append(_("Trials: {text}").format(text=said))
    if lines:
        print()
        print("\n".join(lines))


# -- trials -----------------------------------------------------------------------------------


def _trials(ctx: Context) -> TrialService:
    from questionbook.core.trials import TrialService

    journal = ctx.journal
    return TrialService(journal.db, clock=journal.clock, tz=journal.tz)


def _read_stdin() -> str:
    if sys.stdin is None or sys.stdin.closed:
        return ""
    return sys.stdin.read()


def cmd_trial_add(ctx: Context) -> int:
    from questionbook.core.timeutil import parse_datetime

    a = ctx.args
    trial = _trials(ctx).add(
        a.id,
        verdict=a.verdict,
        model=a.model,
        note=a.note,
        prompt=a.prompt,
        answer=_read_stdin() if a.answer == "-" else a.answer,
        asked_at=parse_datetime(a.date) if a.date else None,
    )
    print(trial.id)
    return 0


def cmd_trial_judge(ctx: Context) -> int:
    from questionbook.core.vocabulary import VERDICT_LABELS

    trial = _trials(ctx).judge(ctx.args.trial_id, ctx.args.verdict, ctx.args.note)
    print(
        _("Trial {id}: {verdict}").format(id=trial.id[:8], verdict=_(VERDICT_LABELS[trial.verdict]))
    )
    return 0


def trial_rows(trials: list[Trial]) -> str:
    from questionbook.cli.output import local_time, table
    from questionbook.core.vocabulary import VERDICT_LABELS

    out = []
    for t in trials:
        said = t.note or " ".join(t.answer.split())[:80]
        out.append(
            [t.id[:8], local_time(t.asked_at), _(VERDICT_LABELS[t.verdict]), t.model or "-", said]
        )
    return table(out, flexible=-1)


def cmd_trial_list(ctx: Context) -> int:
    from questionbook.cli.output import print_json
    from questionbook.core.evidence import evidence_text

    service = _trials(ctx)
    trials = service.for_entry(ctx.args.id)
    if ctx.args.json:
        print_json([t.to_json() for t in trials])
        return 0
    if not trials:
        print(_("No trials yet. Record one with: questionbook trial add ID --verdict V"))
        return 0
    print(trial_rows(trials))
    said = evidence_text(service.evidence(trials[0].entry_id))
    if said:
        print(said)
    return 0


def cmd_trial_accept(ctx: Context) -> int:
    from questionbook.core.vocabulary import HARDNESS

    entry = _trials(ctx).accept_suggestion(ctx.args.id)
    assert entry.hardness is not None
    h = HARDNESS[entry.hardness]
    print(_("Rated {id}: {level} {name}").format(id=entry.id[:8], level=h.level, name=h.label))
    return 0


def cmd_trial_rm(ctx: Context) -> int:
    _trials(ctx).delete(ctx.args.trial_id)
    print(_("Trial deleted."))
    return 0


# -- ask --------------------------------------------------------------------------------------


def _confirm_host(host: str) -> bool:
    """Ask on the terminal whether to send to *host*; no terminal means no."""
    if sys.stdin is None or not sys.stdin.isatty():
        return False
    sys.stderr.write(
        _("{host} is not on this computer. Send this entry there? [y/N] ").format(host=host)
    )
    sys.stderr.flush()
    answer = sys.stdin.readline().strip().lower()
    return answer in ("y", "yes", _("y"), _("yes"))


def cmd_ask(ctx: Context) -> int:
    from questionbook.ai_client import AiError, prepare, send
    from questionbook.ai_keyring import api_key
    from questionbook.settings import load_settings

    a = ctx.args
    settings = load_settings(ctx.paths.settings_file)
    if not a.endpoint and not settings.ai_enabled:
        raise AiError(
            _(
                "asking an AI is off: turn it on in Settings → AI, or name an endpoint with "
                "--endpoint"
            )
        )
    journal = ctx.journal
    entry = journal.get(a.id)
    request = prepare(
        entry,
        a.endpoint or settings.ai_endpoint,
        a.model or settings.ai_model,
        prompt=a.prompt,
        stream=not a.no_stream,
    )
    host = request.endpoint.host
    remote_ok = request.endpoint.loopback or a.yes or _confirm_host(host)
    if not remote_ok:
        raise AiError(
            _("{host} is not on this computer: confirm with --yes to send the entry there").format(
                host=host
            )
        )
    sys.stderr.write(
        _("Asking {model} at {url} …").format(model=request.model, url=request.endpoint.base_url)
        + "\n"
    )

    def show(piece: str) -> None:
        sys.stdout.write(piece)
        sys.stdout.flush()

    answer = send(
        request,
        api_key=api_key(request.endpoint.base_url),
        on_text=show,
        remote_ok=True,
        timeout=a.timeout or float(settings.ai_timeout),
    )
    if not answer.endswith("\n"):
        sys.stdout.write("\n")
    trial = _trials(ctx).add(
        entry.id, verdict="pending", model=request.model, prompt=request.prompt, answer=answer
    )
    sys.stderr.write(
        _(
            "Kept as a pending trial. Judge it: questionbook trial judge {id} solved|partly|failed"
        ).format(id=trial.id[:8])
        + "\n"
    )
    print(trial.id)
    return 0


# -- still mine -------------------------------------------------------------------------------


def cmd_still_mine(ctx: Context) -> int:
    from questionbook.cli.output import print_json

    groups = ctx.journal.still_mine()
    if ctx.args.json:
        print_json(
            [
                {
                    "tag": g.tag,
                    "entries": [
                        {"id": i.id, "title": i.title, "still_mine": i.still_mine} for i in g.items
                    ],
                }
                for g in groups
            ]
        )
        return 0
    if not groups:
        print(
            _("Nothing yet. When the water reaches an entry, write what part of it is still yours:")
        )
        print("  questionbook edit ID --still-mine TEXT")
        return 0
    for group in groups:
        print(f"#{group.tag}" if group.tag else _("(no tag)"))
        for item in group.items:
            print(f"  {item.id[:8]}  {item.title}: {item.still_mine}")
    return 0
