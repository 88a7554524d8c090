"""A throw-away demo journal (``questionbook --demo``), so a newcomer can see the app full.

About forty questions, plans and notes in English and Chinese, rated, tagged (nested tags too:
``#ml/grokking``, ``#学习/物理``), with statuses, outcomes, re-ratings, follow-ups and a waterline
history, AI trials, reach, tide seals, "still mine" lines and revisit days, spread over the last months and earlier years (some on today's date, so "On this day" shows something). Qt-free: the CLI, the
app and the screenshot tool share it. Entries are written through the normal
:class:`~questionbook.core.journal.Journal` with a movable clock, so their history is real.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from questionbook.core.journal import Journal
from questionbook.paths import AppPaths
from questionbook.services import Services, open_services


@dataclass(frozen=True)
class Sample:
    """One demo entry: created *days* ago (at *hour* UTC), with later events in *history*."""

    days: float
    kind: str
    title: str
    body: str = ""
    hardness: int | None = None
    tags: tuple[str, ...] = ()
    status: str | None = None
    starred: bool = False
    #: (days ago, field, value): ("rate", level) re-ratings or ("status", "answered|outcome").
    history: tuple[tuple[float, str, str], ...] = ()
    follows: int | None = None  # index of the entry this one sharpens
    years: int = 0  # created this many years before today's date ("On this day")
    hour: int = 9


SAMPLES: tuple[Sample, ...] = (
    # -- today ------------------------------------------------------------------------------
    Sample(
        0,
        "question",
        "Why does grokking happen so suddenly?",
        "Models sit at chance on the test set for thousands of steps, then jump. "
        "Is it a phase transition in the weights, or just our plots? #ml/grokking #ai",
        hardness=2,
        tags=("ml",),
        hour=8,
    ),
    Sample(
        0,
        "plan",
        "把家里的旧书整理成一个可检索的目录",
        "先拍书脊，再用 OCR 识别书名。目标：周末前完成一个书架。 #阅读 #整理",
        hardness=1,
        status="active",
        hour=7,
    ),
    Sample(
        0,
        "note",
        "Morning pages: the elevator thought",
        '"AI can climb stairs; people build elevators." Which of my projects is a staircase '
        "and which could be an elevator? #reflection",
        hour=6,
    ),
    # -- this week ----------------------------------------------------------------------------
    Sample(
        1,
        "question",
        "孩子问：为什么天空是蓝色的，而日落是红色的？",
        "我知道是瑞利散射，但怎样才能用一个厨房实验讲清楚？ #育儿 #学习/物理",
        hardness=1,
        status="exploring",
        starred=True,
    ),
    Sample(
        1.4,
        "question",
        "What would a city look like if nobody owned a car?",
        "Not car-free zones: a whole city designed from zero. Streets, freight, emergencies. "
        "#cities #design",
        hardness=3,
        starred=True,
    ),
    Sample(
        2,
        "plan",
        "Build a seed library for the neighbourhood",
        "A cabinet at the community centre, a sign-up sheet, a swap day in spring. "
        "#community #garden",
        hardness=4,
        status="idea",
    ),
    Sample(
        2.5,
        "note",
        "今天读到的一句话",
        "“在神灯遍地的时代，珍贵的是精灵从没听过的愿望。” #读书笔记",
    ),
    Sample(
        3,
        "question",
        "How do octopuses coordinate eight arms without a central map?",
        "Two thirds of their neurons are in the arms. Is there a 'self' in each arm? #biology",
        hardness=2,
        history=((1, "rate", "1"),),
    ),
    Sample(
        4,
        "question",
        "如果水位每年上涨一级，五年后我的工作还剩下什么？",
        "把我每周做的事列出来，逐项打分。哪些在水下，哪些在高地？ #职业 #水位",
        hardness=3,
        status="exploring",
        starred=True,
    ),
    Sample(
        5,
        "plan",
        "Teach my grandmother to video-call on her own",
        "Large buttons, one contact, a laminated card with three steps. #family",
        hardness=3,
        status="active",
        history=((2, "status", "active|"),),
    ),
    # -- this month -----------------------------------------------------------------------------
    Sample(
        8,
        "question",
        "Which Python web framework should I use for a small CRUD app?",
        "Flask, FastAPI, Django... #programming/python",
        hardness=0,
        status="answered",
        history=((6, "status", "answered|Django: the admin alone saves a week."),),
    ),
    Sample(
        9,
        "question",
        "为什么睡前看手机会更难入睡？",
        "是蓝光，还是内容让大脑兴奋？ #健康/睡眠",
        hardness=0,
        status="open",
    ),
    Sample(
        10,
        "plan",
        "Run a half marathon before my 40th birthday",
        "Couch to 5k first, then a 10k in March. #health/running",
        hardness=2,
        status="active",
        history=((4, "status", "active|"),),
    ),
    Sample(
        11,
        "question",
        "怎样把一个模糊的好奇心变成一个可以回答的问题？",
        "“好问题”有哪些共同特征？具体、可检验、和自己有关？ #思考 #提问",
        hardness=3,
        starred=True,
    ),
    Sample(
        12,
        "note",
        "Walked by the river after the rain",
        "The water was at the third step of the old stairs. Last spring it was at the "
        "fifth. #walks",
    ),
    Sample(
        14,
        "question",
        "What makes a question 'good' rather than merely hard?",
        "Specific, checkable, and about something I care for? #thinking",
        hardness=3,
        follows=13,
    ),
    Sample(
        15,
        "question",
        "把一首唐诗翻译成英文，怎样保留它的节奏？",
        "试试《静夜思》。 #翻译 #诗",
        hardness=1,
        status="answered",
        history=(
            (13, "rate", "2"),
            (9, "rate", "1"),
            (9, "status", "answered|AI 给出的三个版本都不错，我挑了一个再改了韵脚。"),
        ),
    ),
    Sample(
        17,
        "plan",
        "写一本给十岁孩子看的概率小书",
        "每章一个游戏：掷骰子、抽签、排队。 #写作 #育儿",
        hardness=4,
        status="idea",
        starred=True,
    ),
    Sample(
        19,
        "question",
        "Can I grow tomatoes on a north-facing balcony?",
        "Three hours of sun at most. Which varieties tolerate shade? #garden",
        hardness=1,
        status="answered",
        history=((18, "status", "answered|Cherry tomatoes, yes, with a grow light."),),
    ),
    Sample(
        21,
        "note",
        "周日复盘：这周最好的一个问题",
        "“如果没人拥有汽车”——这个问题让我想了三天。 #复盘",
    ),
    Sample(
        24,
        "question",
        "How do I convert a CSV file to JSON?",
        "A script for the bank statements. #programming/automation",
        hardness=0,
        status="retired",
        history=((23, "status", "retired|A one-liner; not worth keeping as a question."),),
    ),
    Sample(
        26,
        "plan",
        "Organise a repair café every month",
        "Fix toasters and bikes together; find two volunteers who can solder. #community",
        hardness=3,
        status="active",
        history=((20, "status", "active|"),),
    ),
    # -- the last months --------------------------------------------------------------------
    Sample(
        33,
        "question",
        "为什么有些人一学就会骑自行车，有些人要学很久？",
        "平衡感是天生的吗？ #学习/运动",
        hardness=2,
        history=((30, "rate", "1"),),
    ),
    Sample(
        40,
        "plan",
        "Translate my father's letters from the 1980s",
        "Scan, transcribe, then annotate the places and people. Only I know who they are. "
        "#family #archive",
        hardness=4,
        status="active",
        starred=True,
        history=((35, "status", "active|"),),
    ),
    Sample(
        47,
        "question",
        "What would I work on if money were not a concern?",
        "#career #reflection",
        hardness=4,
    ),
    Sample(
        55, "note", "学会的一件事：先写问题，再找答案", "把问题写下来，答案就有了落脚的地方。 #习惯"
    ),
    Sample(
        62,
        "question",
        "How do migrating birds know where north is?",
        "Magnetite in the beak? Quantum effects in the eye? #biology",
        hardness=1,
        status="answered",
        history=((60, "status", "answered|Probably cryptochrome in the retina, plus stars."),),
    ),
    Sample(
        70,
        "plan",
        "办一个小型的社区读书会",
        "每月一本书，轮流主持。 #阅读 #社区",
        hardness=3,
        status="done",
        history=(
            (50, "status", "active|"),
            (20, "status", "done|办了三次，每次八到十个人，下一季换成电影。"),
        ),
    ),
    Sample(
        85,
        "question",
        "Which of my habits would an AI coach get wrong?",
        "It sees the data, not the reasons. #habits",
        hardness=3,
    ),
    Sample(
        100,
        "question",
        "怎么做一碗好吃的番茄炒蛋？",
        "#做饭",
        hardness=0,
        status="answered",
        history=((99, "status", "answered|先炒蛋，再炒番茄，最后合在一起，加一点糖。"),),
    ),
    Sample(
        120,
        "plan",
        "Learn to read a piece of music at sight",
        "Fifteen minutes a day with the piano. #music",
        hardness=2,
        status="dropped",
        history=((110, "status", "active|"), (60, "status", "dropped|No time this year.")),
    ),
    Sample(
        150,
        "note",
        "A year of questions",
        "Most of my questions from last spring are underwater now. The ones that stayed "
        "above the water were about people. #reflection",
    ),
    Sample(200, "question", "为什么一个人的口音很难改变？", "#语言", hardness=2),
    # -- earlier years, on this very day ----------------------------------------------------
    Sample(
        0,
        "question",
        "Is there a word for the smell of rain on dry earth?",
        "Petrichor! Found it the same evening. #words",
        hardness=0,
        status="answered",
        years=1,
        hour=18,
        history=((0, "status", "answered|Petrichor."),),
    ),
    Sample(
        0, "note", "第一次在山顶看日出", "冷，但值得。以后每年都来一次。 #旅行", years=2, hour=22
    ),
    Sample(
        0,
        "plan",
        "Start a questions journal",
        "One good question a day, rated honestly. #habits",
        hardness=2,
        status="done",
        years=3,
        history=((0, "status", "done|This book."),),
    ),
    # -- older ones ---------------------------------------------------------------------------
    Sample(
        400,
        "question",
        "How do noise-cancelling headphones work?",
        "They listen to the noise and play it back upside down? #physics",
        hardness=0,
        status="answered",
        history=((398, "status", "answered|Anti-phase sound."),),
    ),
    Sample(
        520,
        "plan",
        "学会游泳",
        "三十岁之前学会自由泳。 #运动",
        hardness=2,
        status="done",
        history=((450, "status", "done|能游一千米了。"),),
    ),
    Sample(
        700,
        "question",
        "What do I want to be known for in ten years?",
        "Not a job title: what people would say I made possible. #career",
        hardness=4,
        starred=True,
    ),
    Sample(800, "note", "Why I keep a journal", "So that future me can see how the water rose."),
)

#: (days ago, level, note) of the demo's waterline history.
WATERLINE_MARKS = (
    (900, 0, "Most things still need me."),
    (300, 1, "Assistants handle the routine now."),
)


@dataclass(frozen=True)
class Evidence:
    """Issue 17 in the demo: reach, AI trials (days ago, verdict, model, note, answer), a tide
    seal (set while the water was at Shallows) and a "still mine" line (written *days* ago)."""

    reach: int | None = None
    trials: tuple[tuple[float, str, str, str, str], ...] = ()
    seal: int | None = None
    still_mine: tuple[float, str] | None = None


#: Evidence for some samples, by title. With the water risen to Shoreline most open entries sit
#: within a level of it: the demo's weekly summary shows a flood warning.
EVIDENCE: dict[str, Evidence] = {
    "Why does grokking happen so suddenly?": Evidence(
        reach=3,
        trials=((0.2, "partly", "qwen3:8b", "Knew the papers, not the why.", "It is a phase ..."),),
    ),
    "Build a seed library for the neighbourhood": Evidence(reach=1),
    "What would a city look like if nobody owned a car?": Evidence(reach=4),
    "How do octopuses coordinate eight arms without a central map?": Evidence(
        reach=1, trials=((2, "solved", "GPT-5", "", "Distributed control: each arm ..."),)
    ),
    "如果水位每年上涨一级，五年后我的工作还剩下什么？": Evidence(reach=2, seal=3),
    "为什么一个人的口音很难改变？": Evidence(reach=2, seal=2),
    "Teach my grandmother to video-call on her own": Evidence(
        reach=0, still_mine=(3, "Her patience, and which jokes make her try again.")
    ),
    "Which of my habits would an AI coach get wrong?": Evidence(
        reach=2,
        trials=(
            (12, "failed", "qwen3:8b", "Generic advice; it cannot see my week.", ""),
            (5, "failed", "GPT-5", "Better questions, same blind spot.", ""),
        ),
    ),
    "Can I grow tomatoes on a north-facing balcony?": Evidence(
        reach=1,
        trials=((30, "failed", "GPT-5", "It did not know my balcony gets no sun at all.", ""),),
    ),
    "Which Python web framework should I use for a small CRUD app?": Evidence(
        reach=1, trials=((95, "solved", "GPT-5", "", "Flask for this size ..."),)
    ),
    "把一首唐诗翻译成英文，怎样保留它的节奏？": Evidence(
        reach=3, still_mine=(2, "哪种节奏读起来像我自己的声音。")
    ),
    "为什么有些人一学就会骑自行车，有些人要学很久？": Evidence(
        reach=1,
        trials=((1, "pending", "qwen3:8b", "", "平衡感、恐惧和练习方式都有影响……"),),
    ),
    "Run a half marathon before my 40th birthday": Evidence(reach=3),
    # Three Highlands entries an AI did manage: the review's waterline step says "the water
    # may be above Highlands" (the waterline stays the user's call).
    "Organise a repair café every month": Evidence(
        reach=2,
        trials=((9, "solved", "GPT-5", "A checklist, a volunteer rota and a flyer.", ""),),
    ),
    "What makes a question 'good' rather than merely hard?": Evidence(
        reach=3,
        trials=((6, "solved", "GPT-5", "Sharper than my notes on it.", "A good question ..."),),
    ),
    "怎样把一个模糊的好奇心变成一个可以回答的问题？": Evidence(
        reach=2, trials=((4, "solved", "qwen3:8b", "给了一个好用的五步法。", ""),)
    ),
}
#: The rise that puts the demo in flood: (days ago, level, note).
RISE = (20, 2, "Assistants now draft whole plans, not just paragraphs.")


def _fill_evidence(demo: Journal, clock: _Clock, ids: dict[str, str], now: datetime) -> None:
    """Seal while the water is at Shallows, let it rise, then reach, trials, "still mine"."""
    from questionbook.core.trials import TrialService

    trials = TrialService(demo.db, clock=clock, tz=demo.tz)
    for title, ev in EVIDENCE.items():
        if title in ids and ev.seal is not None:
            clock.now = now - timedelta(days=RISE[0] + 10)
            demo.update(ids[title], seal_until=ev.seal)
    demo.set_waterline(RISE[1], RISE[2], at=now - timedelta(days=RISE[0]))
    for title, ev in EVIDENCE.items():
        if title not in ids:
            continue
        entry = demo.get(ids[title])
        if ev.reach is not None:
            clock.now = now
            demo.update(entry.id, reach=ev.reach)
        for ago, verdict, model, note, answer in ev.trials:
            when = max(now - timedelta(days=ago), entry.created_at + timedelta(minutes=30))
            trials.add(
                entry.id, verdict=verdict, model=model, note=note, answer=answer, asked_at=when
            )
        if ev.still_mine is not None:
            clock.now = now - timedelta(days=ev.still_mine[0])
            demo.update(entry.id, still_mine=ev.still_mine[1])
    clock.now = now


class _Clock:
    """A clock the demo moves by hand, so every rating and status change gets its own date."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _created_at(sample: Sample, now: datetime) -> datetime:
    if sample.years:
        day = now.replace(hour=sample.hour, minute=15, second=0, microsecond=0)
        try:
            day = day.replace(year=now.year - sample.years)
        except ValueError:  # 29 February in a year without one
            day = day.replace(year=now.year - sample.years, day=28)
        return min(day, now)
    base = (now - timedelta(days=sample.days)).replace(
        hour=sample.hour, minute=30, second=0, microsecond=0
    )
    return min(base, now - timedelta(minutes=5))


def fill_demo(journal: Journal, *, now: datetime | None = None) -> int:
    """Write the demo entries into *journal* (expected to be empty); returns how many."""
    now = now or journal.clock()
    clock = _Clock(now)
    demo = Journal(journal.db, clock=clock, tz=journal.tz)
    for days, level, note in WATERLINE_MARKS:
        demo.set_waterline(level, note, at=now - timedelta(days=days))
    ids: list[str] = []
    for sample in SAMPLES:
        created = _created_at(sample, now)
        clock.now = created
        parent = ids[sample.follows] if sample.follows is not None else None
        # An entry whose history changes its status starts at its kind's first status.
        changes_status = any(what == "status" for _ago, what, _value in sample.history)
        entry = demo.add(
            sample.title,
            sample.body,
            kind=sample.kind,
            status=None if changes_status else sample.status,
            hardness=sample.hardness,
            tags=sample.tags,
            starred=sample.starred,
            created_at=created,
            parent_id=parent,
        )
        ids.append(entry.id)
        for ago, what, value in sample.history:
            when = now - timedelta(days=ago) if not sample.years else created
            clock.now = max(when, created) + timedelta(hours=1)
            clock.now = min(clock.now, now)
            if what == "rate":
                demo.rate(entry.id, int(value))
            else:
                status, _sep, outcome = value.partition("|")
                demo.set_status(entry.id, status, outcome or None)
    _fill_evidence(demo, clock, {s.title: i for s, i in zip(SAMPLES, ids, strict=True)}, now)
    _pictures_and_links(demo, ids)
    _revisits(demo, {s.title: i for s, i in zip(SAMPLES, ids, strict=True)}, now)
    return len(ids)


#: Issue 19 in the demo: entries asked to come back on a day (days from today): one today, so
#: the review shows the reason, and one later, so a list row shows the mark.
REVISITS = {
    "Which of my habits would an AI coach get wrong?": 0,
    "What would a city look like if nobody owned a car?": 12,
}


def _revisits(demo: Journal, ids: dict[str, str], now: datetime) -> None:
    from questionbook.core.timeutil import to_local

    today = to_local(now, demo.tz).date()
    for title, days in REVISITS.items():
        if title in ids:
            demo.update(ids[title], revisit=today + timedelta(days=days))


def waterline_sketch(width: int = 240, height: int = 120) -> bytes:
    """A small PNG drawn here (no image library): sky, a staircase of ground, and water."""
    import struct
    import zlib

    rows = []
    for y in range(height):
        row = bytearray(b"\x00")  # filter: none
        for x in range(width):
            ground = height - 20 - (x // 40) * 14  # steps rising to the right
            if y >= ground:
                pixel = (120, 96, 70)
            elif y >= height * 0.55:
                pixel = (40, 110, 200)  # the water
            else:
                pixel = (215, 232, 250)
            row += bytes(pixel)
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + chunk(b"IEND", b"")
    )


def _pictures_and_links(demo: Journal, ids: list[str]) -> None:
    """Issue 18 in the demo: a picture in the morning note, and links between entries."""
    from questionbook.core.attachment_service import AttachmentService
    from questionbook.core.links import link_markup

    grokking, books, morning = demo.entries(ids[:3])
    files = AttachmentService(demo.db, clock=demo.clock)
    files.attach_data(morning.id, "waterline-sketch.png", waterline_sketch(), insert=True)
    morning = demo.get(morning.id)
    demo.update(
        morning.id,
        body=morning.body
        + "\n\nThe staircase I keep climbing: "
        + link_markup(grokking.id, grokking.title)
        + ". The elevator might be "
        + link_markup(books.id, books.title)
        + ".",
    )
    demo.update(  # and back: the morning note is "Linked from" the question
        grokking.id,
        body=grokking.body
        + "\n\nSudden jumps, like the staircase in "
        + link_markup(morning.id)
        + ".",
    )


def create_demo_services(directory: Path | None = None) -> Services:
    """Open a fresh journal in *directory* (a new temporary folder by default) and fill it."""
    base = Path(directory) if directory else Path(tempfile.mkdtemp(prefix="questionbook-demo-"))
    paths = AppPaths(data_dir=base, config_dir=base / "config")
    services = open_services(paths)
    if services.journal.count() == 0:
        fill_demo(services.journal, now=datetime.now(UTC))
    return services
