"""Writing comfort (issue 19): ``prompt``, ``templates`` and ``capture``."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from questionbook.i18n import _

if TYPE_CHECKING:
    from questionbook.cli.main import Context
    from questionbook.core.prompts import PromptService
    from questionbook.core.templates import Template, TemplateService

KINDS = ("question", "plan", "note")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "prompt",
        help=_("print today's prompt; add, list or remove your own prompts"),
        description=_(
            "A question to start from, a different one every day and none again within a "
            "month: from the built-in set and the prompts you add. 'prompt off' turns the "
            "prompt of the day off (in the app too), 'prompt on' back on."
        ),
    )
    p.add_argument("--date", metavar="DATE", help=_("the prompt of another day"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_prompt)
    actions = p.add_subparsers(dest="prompt_command", metavar="ACTION")
    a = actions.add_parser("add", help=_("add a prompt of your own"))
    a.add_argument("text", nargs="+", metavar="TEXT")
    a.set_defaults(func=cmd_prompt_add)
    a = actions.add_parser("list", help=_("your own prompts (--all: the built-in ones too)"))
    a.add_argument("--all", action="store_true", help=_("include the built-in prompts"))
    a.add_argument("--json", action="store_true", help=_("print JSON"))
    a.set_defaults(func=cmd_prompt_list)
    a = actions.add_parser("rm", help=_("remove a prompt of your own"))
    a.add_argument("id", metavar="ID")
    a.set_defaults(func=cmd_prompt_rm)
    for name, on in (("on", True), ("off", False)):
        a = actions.add_parser(
            name, help=_("show the prompt of the day") if on else _("hide the prompt of the day")
        )
        a.add_argument(
            "--builtin",
            action="store_true",
            help=_("the built-in prompts only (not the prompt of the day itself)"),
        )
        a.set_defaults(func=cmd_prompt_switch, switch_on=on)

    p = sub.add_parser(
        "templates",
        help=_("list, add, change or remove the templates new entries start from"),
        description=_(
            "Each kind (question, plan, note) has templates to start an entry from; the first "
            "of a kind is its default. Built-in templates can be changed or removed, and "
            "'templates reset' brings them back. TEMPLATE is an id, a unique id prefix or a "
            "name. 'questionbook add --template TEMPLATE' starts an entry from one."
        ),
    )
    p.add_argument("--kind", choices=KINDS, help=_("only this kind's templates"))
    p.add_argument("--json", action="store_true", help=_("print JSON"))
    p.set_defaults(func=cmd_templates)
    actions = p.add_subparsers(dest="templates_command", metavar="ACTION")
    t = actions.add_parser("show", help=_("print a template"))
    t.add_argument("ref", metavar="TEMPLATE")
    t.add_argument("--json", action="store_true", help=_("print JSON"))
    t.set_defaults(func=cmd_templates_show)
    t = actions.add_parser("add", help=_("add a template; prints its id"))
    t.add_argument("name", metavar="NAME")
    t.add_argument("--kind", choices=KINDS, required=True)
    t.add_argument("--body", metavar="TEXT", help=_("the template's text; - reads standard input"))
    t.set_defaults(func=cmd_templates_add)
    t = actions.add_parser("edit", help=_("change a template"))
    t.add_argument("ref", metavar="TEMPLATE")
    t.add_argument("--name", metavar="NAME")
    t.add_argument("--kind", choices=KINDS)
    t.add_argument("--body", metavar="TEXT", help=_("the template's text; - reads standard input"))
    t.set_defaults(func=cmd_templates_edit)
    t = actions.add_parser("rm", help=_("remove a template"))
    t.add_argument("ref", metavar="TEMPLATE")
    t.set_defaults(func=cmd_templates_rm)
    t = actions.add_parser("default", help=_("make a template its kind's default"))
    t.add_argument("ref", metavar="TEMPLATE")
    t.set_defaults(func=cmd_templates_default)
    t = actions.add_parser("reset", help=_("bring back the built-in templates as shipped"))
    t.set_defaults(func=cmd_templates_reset)

    p = sub.add_parser(
        "capture",
        help=_("open the small capture window (bind it to a keyboard shortcut)"),
        description=_(
            "Open a small window to write one entry down and close it: Enter saves, Esc "
            "cancels. When the app is already running, its window shows it. See the user "
            "guide for binding this command to a keyboard shortcut."
        ),
    )
    p.set_defaults(func=cmd_capture)


# -- the prompt of the day ----------------------------------------------------------------------


def prompt_service(ctx: Context) -> PromptService:
    """The prompts as the settings say (on or off, with or without the built-in set), over
    the quick path's journal when it will do."""
    from questionbook.services import prompt_service
    from questionbook.settings import load_settings

    settings = load_settings(ctx.paths.settings_file)
    return prompt_service(ctx.journal, settings.daily_prompt, settings.builtin_prompts)


def cmd_prompt(ctx: Context) -> int:
    from questionbook.cli.output import print_json
    from questionbook.core.timeutil import parse_date

    service = prompt_service(ctx)
    a = ctx.args
    if a.date:
        shown = service.for_day(parse_date(a.date, today=service.today()))
    else:
        shown = service.for_today()
    if a.json:
        print_json(
            None if shown is None else {"date": shown.day.isoformat(), **shown.prompt.to_json()}
        )
    elif shown is None and not service.enabled:
        print(_("The prompt of the day is off ('questionbook prompt on' turns it on)."))
    elif shown is None:
        print(_("No prompts to show: add one with 'questionbook prompt add TEXT'."))
    else:
        print(shown.prompt.text)
    return 0


def cmd_prompt_add(ctx: Context) -> int:
    prompt = prompt_service(ctx).add(" ".join(ctx.args.text))
    print(prompt.key)
    return 0


def cmd_prompt_list(ctx: Context) -> int:
    from questionbook.cli.output import print_json, table

    found = prompt_service(ctx).prompts(include_builtin=ctx.args.all)
    if ctx.args.json:
        print_json([p.to_json() for p in found])
    elif not found:
        print(_("You have no prompts of your own yet: 'questionbook prompt add TEXT' adds one."))
    else:
        print(table([[p.key if p.builtin else p.key[:8], p.text] for p in found], flexible=-1))
    return 0


def cmd_prompt_rm(ctx: Context) -> int:
    removed = prompt_service(ctx).remove(ctx.args.id)
    print(_("Removed: {text}").format(text=removed.text))
    return 0


def cmd_prompt_switch(ctx: Context) -> int:
    from questionbook.settings import load_settings, save_settings

    path = ctx.paths.settings_file
    settings = load_settings(path)
    on = bool(ctx.args.switch_on)
    if ctx.args.builtin:
        settings.builtin_prompts = on
        print(_("Built-in prompts: on") if on else _("Built-in prompts: off"))
    else:
        settings.daily_prompt = on
        print(_("Prompt of the day: on") if on else _("Prompt of the day: off"))
    save_settings(settings, path)
    return 0


# -- templates --------------------------------------------------------------------------------


def template_service(ctx: Context) -> TemplateService:
    from questionbook.core.templates import TemplateService

    journal = ctx.journal
    return TemplateService(journal.db, clock=journal.clock)


def _read_body(value: str | None) -> str | None:
    if value != "-":
        return value
    if sys.stdin.isatty():
        sys.stderr.write(_("Type the template; finish with Ctrl-D.") + "\n")
    return sys.stdin.read()


def cmd_templates(ctx: Context) -> int:
    from questionbook.cli.output import print_json, table
    from questionbook.core.vocabulary import KIND_LABELS, Kind

    found = template_service(ctx).templates(ctx.args.kind)
    if ctx.args.json:
        print_json([t.to_json() for t in found])
        return 0
    if not found:
        print(_("No templates. 'questionbook templates reset' brings back the built-in ones."))
        return 0
    lines, seen = [], set()
    for t in found:
        first = t.kind not in seen
        seen.add(t.kind)
        mark = _("(default)") if first else ""
        changed = _("(changed)") if t.edited else ""
        lines.append(
            [_(KIND_LABELS[Kind(t.kind)]), _short_id(t), f"{t.name} {mark} {changed}".strip()]
        )
    print(table(lines, flexible=-1))
    return 0


def _short_id(t: Template) -> str:
    return t.id if t.builtin else t.id[:8]


def cmd_templates_show(ctx: Context) -> int:
    from questionbook.cli.output import print_json

    found = template_service(ctx).get(ctx.args.ref)
    if ctx.args.json:
        print_json(found.to_json())
    else:
        print(found.name)
        print(_short_id(found))
        print()
        print(found.body.rstrip("\n"))
    return 0


def cmd_templates_add(ctx: Context) -> int:
    a = ctx.args
    made = template_service(ctx).add(a.kind, a.name, _read_body(a.body) or "")
    print(made.id)
    return 0


def cmd_templates_edit(ctx: Context) -> int:
    a = ctx.args
    saved = template_service(ctx).edit(a.ref, name=a.name, body=_read_body(a.body), kind=a.kind)
    print(_("Saved template: {name}").format(name=saved.name))
    return 0


def cmd_templates_rm(ctx: Context) -> int:
    gone = template_service(ctx).delete(ctx.args.ref)
    print(_("Removed template: {name}").format(name=gone.name))
    return 0


def cmd_templates_default(ctx: Context) -> int:
    made = template_service(ctx).make_default(ctx.args.ref)
    print(_("Default template: {name}").format(name=made.name))
    return 0


def cmd_templates_reset(ctx: Context) -> int:
    template_service(ctx).reset()
    print(_("The built-in templates are back as shipped."))
    return 0


def template_body(ctx: Context, ref: str) -> tuple[str, str]:
    """(kind, body) of template *ref*, for ``add --template``."""
    found = template_service(ctx).get(ref)
    return found.kind, found.body


# -- capture ----------------------------------------------------------------------------------


def cmd_capture(ctx: Context) -> int:
    """Open the capture window. Nothing on the way here may be heavy: the command line imports
    only argparse and the translations before this, and the window's own module decides the
    rest (``tests/cli/test_capture_path.py`` holds the path to that)."""
    from questionbook.cli.main import _open_app

    ctx.args.capture = True  # the app shows the capture window instead of the main one
    return _open_app(ctx)
