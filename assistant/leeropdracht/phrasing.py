"""Whether a piece of the situation fits a template slot, and what is wrong with a text the templates wrote.

The templates put parts of the learner's situation into Dutch sentences: the
opgave as a noun phrase ("In de opgave energietransitie kies ik …"), the
people as the object of "met" or "van", the sore point as a clause after
"dat". A part goes in only when it has the shape its slot needs; otherwise
the template uses its own words ("mijn opgave"). The same checks, applied to
a finished draft, are the template checks of the evaluation
(:func:`template_problems`).

The learner's circumstances ("net begonnen", "doet de rol erbij", "bij een
ministerie") are recognised by their everyday wording and said back in the
draft's own, fixed sentences, never pasted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from opgavewijzer.text import word_frequency

DETERMINERS = frozenset("de het een mijn onze ons zijn haar hun".split())
# Words that open a noun phrase without an article: "drie afdelingshoofden", "alle partners", "meerdere opgavemanagers".
QUANTIFIERS = frozenset("twee drie vier vijf zes zeven acht negen tien alle veel meerdere enkele andere externe betrokken".split())
# Words a noun phrase does not end on: adverbs, particles, prepositions, conjunctions, pronouns.
FUNCTION_WORDS = frozenset(
    "nog niet al ook wel er zo dan daar hier echt heel erg nu steeds vaak meer minder weer op aan af mee uit in over "
    "samen te om dat die en of maar met voor bij van naar tot ik we wij je u hij zij ze het een de is zijn ben wordt "
    "worden heb heeft hebben kan kunnen moet moeten wil willen goed beter snel".split())
VERB_ZIPF = 3.0  # an infinitive at least this common in Dutch makes a word ending in -t its finite form
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_DOUBLED = re.compile(r"\b(\w+)\s+\1\b", re.IGNORECASE)
_SLOT = re.compile(r"\{[^{}]*\}|\bNone\b|<[a-z_]+>")
_QUOTED = re.compile(r"“[^”]*”|‘[^’]*’|'[^'\n]*'|\"[^\"\n]*\"")


def finite_verb(word: str) -> bool:
    """True for a lower-case finite verb form that ends a subordinate clause ("trekt", "ondersteunt")."""
    w = word.lower()
    if not word.islower() or not w.endswith("t") or len(w) < 4:
        return False
    stem = w[:-1]
    forms = {stem + "en", stem + stem[-1] + "en", stem.replace("aa", "a").replace("oo", "o").replace("ee", "e") + "en"}
    if stem.endswith("f"):
        forms.add(stem[:-1] + "ven")
    if stem.endswith("s"):
        forms.add(stem[:-1] + "zen")
    forms |= {f.replace("ee", "e").replace("aa", "a").replace("oo", "o") for f in forms}  # "geeft": "geven"
    return any(word_frequency(f)[0] >= VERB_ZIPF for f in forms)


def is_noun_phrase(text: str, plural: bool = False) -> bool:
    """True if ``text`` can fill a noun-phrase slot: a determiner first (with ``plural``, a quantifier or a bare
    plural will do: "drie afdelingshoofden", "partners"), and no function word or verb last."""
    words = _WORD.findall(text)
    if not words:
        return False
    last = words[-1]
    if last.lower() in FUNCTION_WORDS or finite_verb(last):
        return False
    if len(words) >= 2 and words[0].lower() in DETERMINERS:
        return True
    return plural and (words[0].lower() in QUANTIFIERS or bool(re.search(r"(?:s|en)$", last)))


@dataclass(frozen=True)
class Circumstance:
    """A circumstance of the learner: how it is recognised, and the draft's own sentence about it."""

    name: str
    pattern: str
    singular: str
    plural: str


# Said back in fixed sentences; the learner's wording only decides which apply.
CIRCUMSTANCES: tuple[Circumstance, ...] = (
    Circumstance("new", r"\b(?:net|pas|sinds kort|binnenkort|volgende (?:maand|week)|nieuwe? (?:rol|functie)|"
                        r"net begonnen|begin(?: ik)? (?:als|volgende|binnenkort)|aangesteld|just started|new in)\b",
                 "Omdat ik net in deze rol begin, kies ik een moment dat ik goed kan voorbereiden.",
                 "Omdat wij net in deze rol beginnen, kiezen wij een moment dat wij goed kunnen voorbereiden."),
    Circumstance("on_the_side", r"\b(?:erbij|ernaast|naast mijn|doe (?:ik )?(?:dit|de rol) (?:erbij|ernaast)|en (?:ben )?ook|"
                                r"tegelijk(?:ertijd)? ook|daarnaast|on the side|as well as)\b",
                 "Omdat ik deze rol naast ander werk vervul, zet ik dat moment nu al in mijn agenda en houd ik het vrij.",
                 "Omdat wij dit naast ander werk doen, zetten wij dat moment nu al in onze agenda."),
    Circumstance("ministry", r"\b(?:ministerie|departement|rijksoverheid|ministry|DG|directoraat)\b",
                 "Omdat ik bij een ministerie werk, bespreek ik vooraf met mijn directeur wat ik wil uitproberen en wat "
                 "de lijn daarvoor moet doen.",
                 "Omdat wij bij een ministerie werken, bespreken wij vooraf met onze directeur wat wij willen uitproberen "
                 "en wat de lijn daarvoor moet doen."),
)


def circumstances(text: str) -> tuple[str, ...]:
    """The names of the circumstances ``text`` mentions, in the order of :data:`CIRCUMSTANCES`."""
    return tuple(c.name for c in CIRCUMSTANCES if re.search(c.pattern, text or "", re.IGNORECASE))


def circumstance_sentences(names: tuple[str, ...], group: bool) -> list[str]:
    """The draft's own sentences for the named circumstances."""
    return [c.plural if group else c.singular for c in CIRCUMSTANCES if c.name in names]


# Where the templates put a noun phrase (the subject; the people, plural): what stands there must be one.
_NP = r"([^.?!\[]{1,80}?)"
_SUBJECT_SLOTS = (re.compile(rf"^In {_NP} (?:kies ik|kiezen wij)\b"), re.compile(rf"\b(?:opleverde|leverde dat op) voor {_NP}[.,?]"),
                  re.compile(rf"\bdat {_NP} voorop staat\b"), re.compile(rf"\bmijn inzet {_NP} verder helpt\b"))
_PEOPLE_SLOTS = (re.compile(rf"\breacties (?:ik kreeg|we kregen) van {_NP} en wat\b"), re.compile(rf"\bhoe {_NP} reageerden\b"),
                 re.compile(rf"\b(?:vraag ik|vragen wij) {_NP} wat zij\b"))


def template_problems(text: str) -> list[str]:
    """What is wrong with a text the templates wrote, outside its quotations: doubled words, raw slots,
    sentences that do not open with a capital, and a fragment where a noun phrase belongs."""
    own = _QUOTED.sub(" “…” ", text)
    problems = [f"geen zinsdeel: '{m.group(1)}'" for p in _SUBJECT_SLOTS for m in p.finditer(own)
                if not is_noun_phrase(m.group(1))]
    problems += [f"geen zinsdeel: '{m.group(1)}'" for p in _PEOPLE_SLOTS for m in p.finditer(own)
                 if not is_noun_phrase(m.group(1), plural=True)]
    problems += [f"dubbel woord: '{m.group()}'" for m in _DOUBLED.finditer(own) if not m.group(1).isdigit()]
    problems += [f"open plek: '{m.group()}'" for m in _SLOT.finditer(own)]
    for sentence in re.split(r"(?<=[.?!])\s+(?=\S)", own.strip()):
        first = sentence.lstrip("“‘'\"([")
        if first and first[0].isalpha() and not first[0].isupper():
            problems.append(f"zin zonder hoofdletter: '{sentence[:40]}'")
    return problems
