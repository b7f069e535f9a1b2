"""A situation written about someone else, put in the participant's own voice before its parts are read.

Learning staff often ask for a participant: "een teamleider … Ze heeft het
gevoel dat de opgave aan haar team trekt". The draft speaks as the participant
("ik", or "wij" for a team), so a sentence of the situation that goes into it
must say "ik heb het gevoel dat de opgave aan mijn team trekt". The text is
rewritten only when it is plainly about one other person: it has no "ik" of
its own, and a third-person pronoun is the subject of a verb in the singular
("ze merkt", "heeft hij"). A "ze" with a plural verb ("ze moeten") is other
people and stays. Verbs go from the third to the first person by Dutch
morphology: the ending -t falls away when the stem is a Dutch verb
("merkt" → "merk", "houdt" → "houd"), and stays where it is part of the stem
("moet", "laat", "zet").

A reference back to a place the draft does not show ("dat ik daar vooral ons
eigen beleid verdedig") becomes "er", or falls away when nothing refers to it.
"""

from __future__ import annotations

import re

from opgavewijzer.text import word_frequency

# Third person singular → first person singular where the rule for -t does not apply.
_IRREGULAR = {"heeft": "heb", "is": "ben", "zal": "zal", "wil": "wil", "kan": "kan", "mag": "mag", "komt": "kom",
              "gaat": "ga", "staat": "sta", "doet": "doe", "ziet": "zie", "slaat": "sla"}
_SUBJECT = re.compile(r"\b(?P<pron>[Zz]e|[Zz]ij|[Hh]ij)\s+(?P<verb>[a-zà-ÿ]+)\b")
_INVERTED = re.compile(r"\b(?P<verb>[a-zà-ÿ]+)\s+(?P<pron>ze|zij|hij)\b")
_POSSESSIVE = re.compile(r"\b(?P<pron>[Hh]aar|[Zz]ijn)\s+(?=[a-zà-ÿA-Z-]{3,})")
_THEIR = re.compile(r"\b(?P<pron>[Hh]un)\s+(?=[a-zà-ÿA-Z-]{3,})")
# A verb form in -en that ends its clause (followed by a stop, a comma or a conjunction).
_CLAUSE_VERB = re.compile(r"[a-zà-ÿ]+en(?=\s*(?:[.,;:!?]|$|\s(?:en|of|maar|terwijl|omdat|dat)\b))")
_REFLEXIVE = re.compile(r"\bzich(?:zelf)?\b")
# The participant's own voice: "ik" for one person, "wij" for a team. A sentence of the one who asks ("Voor onze
# leergang zoek ik een leeropdracht voor een deelnemer: …") is the requester's voice and does not count.
_FIRST = re.compile(r"\b(?:ik|mij|mijn|me)\b", re.IGNORECASE)
_FIRST_GROUP = re.compile(r"\b(?:wij|we)\b", re.IGNORECASE)
_REQUESTER = re.compile(r"leeropdracht|learning assignment|deelnemer|participant|cursist|leergang|leertraject|"
                        r"ontwikkeltraject|opleiding", re.IGNORECASE)
# A split pronominal adverb ("daar … van") keeps its meaning with "er"; a bare "daar" of place falls away.
_DAAR_SPLIT = re.compile(r"\b(?:daar|hier)\b(?=(?:\s+[\wà-ÿ'-]+){1,6}?\s+(?:van|mee|aan|over|op|in|voor|naar|uit|bij|om)\b)",
                         re.IGNORECASE)
_DAAR = re.compile(r"\s\b(?:daar|hier)\b(?=\s)", re.IGNORECASE)
VERB_ZIPF = 2.5  # an infinitive this common in Dutch (wordfreq Zipf) tells that a stem is a verb's stem


_AUX_PLURAL = frozenset("moeten willen kunnen zijn hebben worden gaan zullen mogen".split())
_CLAUSE_END = re.compile(r"[,.;:?!]")


def first_person_verb(verb: str) -> str:
    """The first person singular of a third person singular present ("merkt" → "merk", "moet" → "moet")."""
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if not verb.endswith("t") or len(verb) < 4:
        return verb
    # "merkt": "merken" is the verb (far more common than "merkten"); "moet": "moeten", not "moe-en".
    return verb[:-1] if _stem_use(verb[:-1]) > _stem_use(verb) else verb


def _stem_use(stem: str) -> float:
    """How common the infinitive of ``stem`` is (Zipf): stem + -en, with a long vowel undoubled, f→v, s→z."""
    forms = {stem + "en"}
    if len(stem) > 2 and stem[-2] == stem[-3] and stem[-2] in "aeou":
        forms.add(stem[:-2] + stem[-1] + "en")  # "maak" → "maken"
    if stem.endswith("f"):
        forms.add(stem[:-1] + "ven")  # "blijf" → "blijven"
    if stem.endswith("s"):
        forms.add(stem[:-1] + "zen")  # "kies" → "kiezen"
    return max(word_frequency(f)[0] for f in forms)


def _finite(word: str) -> str | None:
    """"singular" or "plural" for a present-tense verb form, None for a word that is not one."""
    if word in _IRREGULAR:
        return "singular"
    if word in _AUX_PLURAL or (word.endswith("en") and len(word) > 4 and _singular_use(word) >= VERB_ZIPF):
        return "plural"
    if word.endswith("t") and len(word) >= 4 and max(_stem_use(word[:-1]), _stem_use(word)) >= VERB_ZIPF:
        return "singular"
    return None


def _singular_use(plural: str) -> float:
    """How common the third person singular of a plural verb form is: "werken" → "werkt", "plannen" → "plant",
    "maken" → "maakt". A word like "tussen" has none ("tusst"), so it is no verb."""
    stem = plural[:-2]
    forms = {stem + "t"}
    if len(stem) > 2 and stem[-1] == stem[-2]:
        forms.add(stem[:-1] + "t")  # a doubled consonant: "plann-" → "plant"
    if len(stem) > 2 and stem[-2] in "aeou":
        forms.add(stem[:-1] + stem[-2] + stem[-1] + "t")  # an open syllable: "mak-" → "maakt"
    return max(word_frequency(f)[0] for f in forms)


def _verb_after(text: str, start: int) -> tuple[int, int, str] | None:
    """The first finite verb after ``start`` in the same clause: its span and number."""
    end = _CLAUSE_END.search(text, start)
    before = ""
    for m in re.finditer(r"[a-zà-ÿ]+", text[start:end.start() if end else len(text)]):
        number = None if before == "te" else _finite(m.group())  # "te laat" is no verb
        before = m.group()
        if number is not None:
            return start + m.start(), start + m.end(), number
    return None


def about_someone_else(text: str, group: bool = False) -> bool:
    """True for a situation about others: no "ik/wij" of its own, a "ze/hij" with a singular verb (for a team:
    a "ze" with a plural one)."""
    own = " ".join(p for p in re.split(r"(?<=[.!?:])\s+", text) if not _REQUESTER.search(p))
    if (_FIRST_GROUP if group else _FIRST).search(own):
        return False
    number = "plural" if group else "singular"
    return any((v := _verb_after(text, m.end("pron"))) is not None and v[2] == number for m in _SUBJECT.finditer(text))


def in_first_person(text: str, group: bool = False) -> str:
    """``text`` in the participant's voice when it is about someone else (see the module docstring)."""
    if not about_someone_else(text, group):
        return text
    me, my, myself = ("wij", "onze", "ons") if group else ("ik", "mijn", "mij")
    number = "plural" if group else "singular"

    def conjugate(verb: str) -> str:
        return verb if group else first_person_verb(verb)  # "ze werken" → "wij werken": the plural stays

    # Inverted order first ("heeft ze", "houdt hij"): the verb stands right before the pronoun.
    def inverted(m: re.Match[str]) -> str:
        return f"{conjugate(m.group('verb'))} {me}" if _finite(m.group("verb")) == number else m.group()

    text = _INVERTED.sub(inverted, text)
    out, pos = [], 0
    for m in _SUBJECT.finditer(text):
        verb = _verb_after(text, m.end("pron"))
        if verb is None or verb[2] != number or verb[0] < pos:
            continue
        pron = me.capitalize() if m.group("pron")[0].isupper() else me
        out += [text[pos:m.start("pron")], pron, text[m.end("pron"):verb[0]], conjugate(text[verb[0]:verb[1]])]
        pos = verb[1]
    text = "".join(out) + text[pos:]
    possessive = _THEIR if group else _POSSESSIVE

    def owner(m: re.Match[str]) -> str:
        # "bij haar neerleggen." – "haar" before a verb that ends its clause is an object ("mij"), not "mijn".
        verb = _CLAUSE_VERB.match(text, m.end())
        word = myself if verb and not group else my
        return (word.capitalize() if m.group("pron")[0].isupper() else word) + " "

    text = possessive.sub(owner, text)
    return _REFLEXIVE.sub(myself, text)


def without_dangling_place(clause: str) -> str:
    """A clause taken out of its text without a "daar/hier" that pointed at a place only that text names."""
    clause = _DAAR_SPLIT.sub("er", clause)
    return " ".join(_DAAR.sub(" ", f" {clause} ").split())
