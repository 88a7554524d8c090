"""The built-in prompts of the day (issue 19), in English; translated when shown.

In the spirit of the product: curiosity and ambition stay human; AI is rising water; founders
define problems instead of waiting for tasks; the wish a genie has never heard; elevators, not
stairs. Each has a stable key, which is what the journal remembers of a day's prompt: keys are
never reused, so new prompts may be added anywhere and old memories keep their meaning.
"""

from __future__ import annotations

from questionbook.i18n import N_

BUILTIN_PROMPTS: tuple[tuple[str, str], ...] = (
    ("p01", N_("What would you ask if an AI could answer everything below the waterline?")),
    (
        "p02",
        N_("Which of your skills did the water reach this year, and which still stand above it?"),
    ),
    ("p03", N_("What question have you carried for years without writing it down?")),
    ("p04", N_("What wish would a genie never have heard before?")),
    ("p05", N_("AI can climb stairs; people build elevators. Where could you build one?")),
    (
        "p06",
        N_(
            "What do you still do by hand that an AI could do by tomorrow, and what would you do with the hour?"
        ),
    ),
    ("p07", N_("What problem is nobody handing you, that you could define yourself?")),
    ("p08", N_("What surprised you today, and why?")),
    ("p09", N_("What would a plan look like that even an AI would call crazy?")),
    ("p10", N_("Which question would you be proud to still be asking in ten years?")),
    ("p11", N_("What do you know from your own life that no dataset holds?")),
    ("p12", N_("Where did you wait to be given a task this week instead of choosing one?")),
    ("p13", N_("What is the smallest experiment that would teach you something new?")),
    ("p14", N_("What would you try if failing were cheap?")),
    ("p15", N_("Which of your beliefs would you most like to see tested?")),
    ("p16", N_("When did something suddenly click for you lately, and what came just before?")),
    ("p17", N_("What do you use every day that works, though nobody can say why?")),
    ("p18", N_("Whom could you ask a better question than any AI could?")),
    ("p19", N_("What would you ask an expert if you had them for one hour?")),
    ("p20", N_("If the water rose to your neck tomorrow, what would you still have to offer?")),
    ("p21", N_("What are you curious about that has no practical use at all?")),
    ("p22", N_("What do you do well because of your taste rather than your knowledge?")),
    ("p23", N_("What decision can only you make this month?")),
    ("p24", N_("Which question makes you slightly uncomfortable?")),
    ("p25", N_("What would you start today if you knew it would take five years?")),
    ("p26", N_("What did you learn this week that changed how you see something?")),
    ("p27", N_("Which question did you stop asking because it felt too big?")),
    ("p28", N_("Which problem would you gladly spend a whole weekend on?")),
    ("p29", N_("What would you make if nobody had asked for it?")),
    ("p30", N_("What do the people around you take for granted that you find strange?")),
    ("p31", N_("What could you combine from two fields that nobody has combined yet?")),
    ("p32", N_("What has a child asked you that you could not answer?")),
    ("p33", N_("Which of your plans is too safe? How could it be bolder?")),
    ("p34", N_("What would you do differently if you were the founder, not the worker?")),
    ("p35", N_("Which skill would you learn if it could never be automated?")),
    ("p36", N_("What is the next step on the plan you care about most?")),
    ("p37", N_("What did an AI get wrong for you lately, and what did that reveal?")),
    ("p38", N_("What would you like to understand before the end of the year?")),
    ("p39", N_("What are you waiting for permission to do?")),
    ("p40", N_("Which unanswered question would change your work if you answered it?")),
    ("p41", N_("What is the water about to cover in your own work?")),
    ("p42", N_("What problem have you noticed that everyone else walks past?")),
    ("p43", N_("What would you ask the person who knows you best?")),
    ("p44", N_("What are you unreasonably ambitious about?")),
    ("p45", N_("What would make today's work still matter in a year?")),
    ("p46", N_("Which of your questions could an AI answer now, and how could you sharpen it?")),
    ("p47", N_("What do you want to be known for asking?")),
    ("p48", N_("What did you notice today that you would have missed a year ago?")),
    ("p49", N_("What would you attempt with a team of tireless helpers?")),
    ("p50", N_("Which old question of yours deserves a second look?")),
    ("p51", N_("What small thing are you curious about right now?")),
    (
        "p52",
        N_("What is hard for you but easy for an AI, and what is easy for you but hard for it?"),
    ),
    ("p53", N_("What wish have you not dared to say out loud?")),
    ("p54", N_("Which rule in your field would you break, and why?")),
    ("p55", N_("What would surprise your younger self about what you work on now?")),
    ("p56", N_("What do you want to get better at, just for its own sake?")),
    ("p57", N_("If you could put only one question to the world, what would it be?")),
    ("p58", N_("What could you start small today that might grow into something big?")),
    ("p59", N_("What do you care about that nobody pays you to care about?")),
    ("p60", N_("Where do your instincts disagree with the data?")),
    ("p61", N_("What would you investigate with a whole year and no deadlines?")),
    ("p62", N_("What are you building that only you could build?")),
    ("p63", N_("What question are you avoiding?")),
    ("p64", N_("In the flood, what is the boat only you can build?")),
)
