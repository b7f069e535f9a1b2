"""The texts of a draft that are ours: the exercise, the reflection moment, the notes, own questions.

Without a language model these are written from templates, filled with what
the situation says (:mod:`assistant.leeropdracht.situation`), who the role
works with (:mod:`assistant.leeropdracht.partners`) and the sources' own
sentences, which are always quoted verbatim and cited. A team gets "wij",
one person "ik". Nothing here presents our own words as a quote.
"""

from __future__ import annotations

from dataclasses import dataclass

from assistant.leeropdracht.actions import step_for
from assistant.leeropdracht.partners import Kind, partner_for
from assistant.leeropdracht.phrasing import circumstance_sentences
from assistant.leeropdracht.situation import Situation
from assistant.types import CitedText

WEEKS = "vier"  # the exercise runs for a month: long enough for a few real moments, short enough to remember them


@dataclass(frozen=True)
class Voice:
    """First person singular or plural, with the verb forms the templates need."""

    group: bool

    def __call__(self, singular: str, plural: str) -> str:
        """The singular or the plural form."""
        return plural if self.group else singular


@dataclass(frozen=True)
class Cited:
    """A quote from the sources, ready to go into a text: its words, its number, the document's name."""

    text: str
    n: int
    document: str


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _with(kind: Kind, situation: Situation) -> str:
    people = situation.people() or kind.company
    return f" met {people}" if people else ""


def exercise(kind: Kind, situation: Situation, voice: Voice, practice: Cited | None, strength: int | None,
             pitfall: int | None, roles: tuple[str, ...], question: CitedText | None = None) -> CitedText:
    """A concrete action in the learner's own opgave, built around a practice from the sources and, where the
    guide gives one, the guide's question that fits the situation best (``question``: the first of the draft's
    reflection questions, referred to and cited, not quoted again)."""
    where = situation.where(voice.group)
    parts = [_sentence(f"in {where} {voice('kies ik', 'kiezen wij')} de komende {WEEKS} weken één {kind.moment}"
                       f"{_with(kind, situation)} waarin {voice('ik bewust aan deze leeropdracht werk', 'wij als team bewust aan deze leeropdracht werken')}.")]
    parts += circumstance_sentences(situation.circumstances, voice.group)
    if len(roles) > 1:
        parts.append(f"{voice('Ik let', 'Wij letten')} vooral op de momenten waarop {voice('mijn', 'onze')} rollen als "
                     f"{roles[0]} en als {roles[1]} botsen.")
    if situation.point and not situation.point_is_quote:  # English words are not pasted into Dutch sentences
        parts.append(f"{voice('Ik houd', 'Wij houden')} daarbij voor ogen {challenge(situation, voice)}.")
    step = step_for(situation, voice.group, f"{kind.this} {kind.moment}", kind.name)
    if step is not None:  # what to do about the challenge, not only that it is there
        parts.append(step)
    cites: list[int] = []
    if question is not None and question.cites:
        # The question stands first among the reflection questions above; a draft never quotes it twice.
        parts.append(f"In {kind.this} {kind.moment} {voice('werk ik', 'werken wij')} aan de eerste reflectievraag "
                     f"hierboven, uit de gids [{question.cites[0]}].")
        cites.append(question.cites[0])
    if practice is not None:
        parts.append(f"Als houvast {voice('neem ik', 'nemen wij')} wat {practice.document} hierover zegt: "
                     f"“{practice.text}” [{practice.n}]")
        cites.append(practice.n)
    plan = (f"concreet {voice('wil doen', 'willen doen')}" if "new" in situation.circumstances  # no habit to change yet
            else f"concreet anders {voice('doe', 'doen')} dan {voice('ik gewend ben', 'wij gewend zijn')}")
    if step is None:
        parts.append(f"Vooraf {voice('schrijf ik', 'schrijven wij')} op wat {voice('ik', 'wij')} in {kind.this} {kind.moment} "
                     f"{plan}; achteraf {voice('ga ik', 'gaan wij')} na of dat is gelukt.")
    else:  # the step already says what to do: only the check afterwards is added (the draft stays on one page)
        parts.append(f"Achteraf {voice('ga ik', 'gaan wij')} na of dat is gelukt.")
    if strength is not None:
        tail = f" en {voice('let', 'letten')} op {voice('mijn', 'onze')} valkuil [{pitfall}]" if pitfall is not None else ""
        parts.append(f"{voice('Ik zet', 'Wij zetten')} daarbij {voice('mijn', 'onze')} kracht bewust in [{strength}]{tail}.")
        cites += [n for n in (strength, pitfall) if n is not None]
    people = situation.people()
    reactions = f"welke reacties {voice('ik kreeg', 'we kregen')}"
    reactions += f" van {people}" if people else ""
    parts.append(f"Direct na afloop {voice('noteer ik', 'noteren wij')} wat {voice('ik deed', 'we deden')}, {reactions} "
                 f"en wat het opleverde voor {where}.")
    return CitedText(" ".join(parts), tuple(dict.fromkeys(cites)))


def challenge(situation: Situation, voice: Voice) -> str:
    """The challenge as it reads after "voor ogen": a "dat" clause, a sentence after a colon, or the user's
    own words quoted when they are not in Dutch."""
    if situation.point_is_quote:
        return f"wat {voice('ik zelf beschreef', 'wij zelf beschreven')}: “{situation.point}”"
    if situation.point_is_clause == "fear":
        return f"waar {voice('ik', 'wij')} bang voor {voice('ben', 'zijn')}: dat {situation.point}"
    return ("dat " if situation.point_is_clause else "wat er nu speelt: ") + situation.point


def reflection(kind: Kind, asked: str, situation: Situation, voice: Voice, insight: Cited | None,
               pitfall: int | None) -> CitedText:
    """The moment to look back, with a partner who fits the role and an insight from the sources."""
    partner = partner_for(kind, asked, voice.group, "ministry" in situation.circumstances)
    people = situation.people()
    ask = f", en {voice('vraag ik', 'vragen wij')} {people} wat zij ervan merkten" if people else ""
    parts = [f"Na {WEEKS} weken {voice('kijk ik terug', 'kijken wij als team terug')} met {partner}{ask}."]
    cites: list[int] = []
    if insight is not None:
        parts.append(f"{voice('Ik leg', 'Wij leggen')} {voice('mijn', 'onze')} ervaring naast dit inzicht uit "
                     f"{insight.document}: “{insight.text}” [{insight.n}]")
        cites.append(insight.n)
    where = situation.where(voice.group)
    done = (f"Wat {voice('deed ik', 'deden we')} en wat {voice('merkte ik', 'merkten we')}" if "new" in situation.circumstances
            else f"Wat {voice('deed ik', 'deden we')} anders dan voorheen")  # someone new has no "voorheen" in the role
    question = f"{done}, wat leverde dat op voor {where}"
    if pitfall is not None:
        question += f", en waar {voice('herkende ik mijn', 'herkenden we onze')} valkuil [{pitfall}]"
        cites.append(pitfall)
    parts.append(question + f"? Wat {voice('neem ik', 'nemen we')} mee naar de volgende stap?")
    return CitedText(" ".join(parts), tuple(dict.fromkeys(cites)))


def _about(situation: Situation, voice: Voice) -> str:
    """A question about the learner's own challenge, in the form its clause allows."""
    point = situation.point
    if situation.point_is_quote:
        return f"Hoe {voice('ga ik', 'gaan wij')} om met wat {voice('ik zelf beschreef', 'wij zelf beschreven')}: “{point}”?"
    if situation.point_is_clause == "fear":
        return f"Hoe {voice('voorkom ik', 'voorkomen wij')} dat {point}?"
    if situation.point_is_clause:
        return f"Hoe {voice('ga ik', 'gaan wij')} ermee om dat {point}?"
    return f"Hoe {voice('ga ik', 'gaan wij')} om met wat er nu speelt: {point}?"


def own_questions(role: str, situation: Situation, voice: Voice) -> list[str]:
    """Questions in our own words (no citation), used only when the sources give too few for the role."""
    where = situation.where(voice.group)
    about = _about(situation, voice) if situation.point and not situation.point_is_quote else voice(
        f"Hoe breng ik mijn rol als {role} zo in dat {where} verder komt?",
        f"Hoe brengen wij onze rol als {role} zo in dat {where} verder komt?")
    people = situation.people()
    # Only people the situation names are asked about; without them a question about partners is filler.
    involve = (voice(f"Hoe betrek ik {people} bij wat ik doe?", f"Hoe betrekken wij {people} bij wat we doen?") if people
               else voice(f"Hoe ontdek ik wat {where} van mij vraagt dat ik nu nog niet doe?",
                          f"Hoe ontdekken wij wat {where} van ons vraagt dat we nu nog niet doen?"))
    return [
        about,
        involve,
        voice(f"Hoe merk ik dat mijn inzet {where} verder helpt?", f"Hoe merken wij dat onze inzet {where} verder helpt?"),
    ]
