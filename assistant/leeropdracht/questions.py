"""Reflective "Hoe …?" questions found in the sources, turned into the first person.

The gids's role questions are already in the first person ("Hoe zet ik mijn
netwerk in …?"). Other documents ask the reader ("Hoe zorg je ervoor dat …?",
"Hoe formuleren jullie een opgave?"); for a leeropdracht those become "Hoe
zorg ik ervoor dat …?". Only questions where that is a safe pronoun swap are
used; anything else is left out rather than rewritten loosely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from opgavewijzer.text import normalise_space, sentence_spans
from kb.types import Chunk, Hit

MIN_WORDS = 6
_LEAD = re.compile(r"^(?:.*?[,:]\s*)?(?:en|maar)?\s*(?=hoe\b)", re.IGNORECASE)
_VERB_JE = re.compile(r"^Hoe (\w+) je\b")
_IRREGULAR = {"kun": "kan", "zul": "zal"}
# "Hoe heeft je organisatie …": after a third-person verb, "je" is "your", not "you".
_THIRD_PERSON = frozenset("heeft wordt gaat staat doet komt blijft krijgt ziet is zijn worden hebben".split())
_SWAPS = [
    (re.compile(r"\bjouw\b"), "mijn"), (re.compile(r"\bjij\b"), "ik"), (re.compile(r"\bje\b(?= \w)"), "mijn"),
    (re.compile(r"\bjullie\b"), "wij"), (re.compile(r"\bu\b"), "ik"), (re.compile(r"\buw\b"), "mijn"),
]
# A question that points back at text we do not show ("Hoe kun je medewerkers hierin ondersteunen?") is left out.
_DANGLING = re.compile(r"\b(?:hierin|hiermee|hierbij|hierop|daarin|daarmee|daarbij|daarop|dan)\b", re.IGNORECASE)
_FIRST_PERSON = re.compile(r"\b(?:ik|mij|mijn|me|we|wij|ons|onze)\b", re.IGNORECASE)


@dataclass(frozen=True)
class SourceQuestion:
    """A first-person question and the exact sentence of the chunk it was made from."""

    text: str
    chunk: Chunk | Hit  # the passage it stands in
    start: int  # span of the original sentence in chunk.text
    end: int


def first_person(sentence: str) -> str | None:
    """The question in the first person, or None if it is not a reflective "Hoe …?" question."""
    text = normalise_space(sentence)
    if not text.endswith("?"):
        return None
    lead = _LEAD.match(text)
    if lead is None:
        return None
    text = text[lead.end():]
    text = text[0].upper() + text[1:]
    verb = _VERB_JE.match(text)
    if verb and verb.group(1).lower() not in _THIRD_PERSON:
        first = _IRREGULAR.get(verb.group(1).lower(), verb.group(1))
        text = f"Hoe {first} ik" + text[verb.end():]
    for pattern, replacement in _SWAPS:
        text = pattern.sub(replacement, text)
    if len(text.split()) < MIN_WORDS or not _FIRST_PERSON.search(text) or _DANGLING.search(text):
        return None
    return text


def source_questions(chunks: Sequence[Chunk | Hit]) -> list[SourceQuestion]:
    """Every usable reflective question in ``chunks``, once each, in the order given."""
    seen: set[str] = set()
    found: list[SourceQuestion] = []
    for chunk in chunks:
        for start, end in sentence_spans(chunk.text):
            question = first_person(chunk.text[start:end])
            if question and question.lower() not in seen:
                seen.add(question.lower())
                found.append(SourceQuestion(question, chunk, start, end))
    return found
