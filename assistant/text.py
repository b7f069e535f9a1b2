"""Sentence spans and question language: the small text tools the answer stages share."""

from __future__ import annotations

import re
from typing import Literal

Language = Literal["nl", "en"]

# Dutch (and a few English) abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = frozenset(
    "bijv bv bijvoorbeeld o.a d.w.z m.b.t e.d etc enz dr prof mr drs ir ing nr nrs p pag zgn i.p.v t.a.v "
    "a.d.h.v m.n resp ca jl vs incl excl mln mld e.g i.e art blz fig min max evt vgl cf st".split()
)
# A candidate boundary: terminal punctuation, optional closing quotes or brackets, then space.
_BOUNDARY = re.compile(r"[.!?…]+[’”\"')\]]*(?=\s)")
_NEXT_START = re.compile(r"\s+(?=[A-ZÀ-ÝĲ0-9‘“\"'(•\-–])")
_TOKEN_BEFORE = re.compile(r"([\w.]+)$")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_EN_WORDS = frozenset(
    "the what how why which who does do did is are was were of and to according guide report about "
    "should can could would you your my i we our their this that these those when where mean means "
    "between with from for by its it".split()
)
_NL_WORDS = frozenset(
    "de het een wat hoe waarom welke welk wie wanneer waar van en zijn volgens ik je jij wij we ons onze "
    "mijn bij voor over niet ook dat die dit deze er naar met om kan kun moet wordt worden heeft hebben "
    "zegt gaat eigenlijk nou".split()
)


def _is_abbreviation(text: str, dot: int) -> bool:
    """True if the full stop at ``dot`` belongs to an abbreviation, an initial or a list number."""
    match = _TOKEN_BEFORE.search(text, 0, dot)
    if not match:
        return False
    token = match.group(1).lower().rstrip(".")
    if token in _ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():
        return True  # an initial: "M.W. van Buuren"
    # "1. Heb aandacht …" numbers a list item; a sentence rarely ends on a bare small number.
    return token.isdigit() and len(token) <= 2


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of ``text``, stripped of surrounding whitespace.

    Line breaks always end a sentence (cleaned text puts headings, list items
    and paragraphs on lines of their own), so a heading never glues onto the
    sentence that follows it.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        start = 0
        for match in _BOUNDARY.finditer(line):
            end = match.end()
            if match.group(0).startswith(".") and _is_abbreviation(line, match.start()):
                continue
            if not _NEXT_START.match(line, end):
                continue  # "… zei hij. en toen" is no boundary; nor is the end of the line
            spans.append((offset + start, offset + end))
            start = end
        spans.append((offset + start, offset + len(line)))
        offset += len(line) + 1
    stripped: list[tuple[int, int]] = []
    for start, end in spans:
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece) - len(piece.rstrip())
        if end - trail > start + lead:
            stripped.append((start + lead, end - trail))
    return stripped


def sentences(text: str) -> list[str]:
    """The sentences of ``text`` (see :func:`sentence_spans`)."""
    return [text[s:e] for s, e in sentence_spans(text)]


def words(text: str) -> list[str]:
    """Lower-cased alphabetic words of a text."""
    return [w.lower() for w in _WORD.findall(text)]


def detect_language(text: str) -> Language:
    """'en' when a question reads as English, otherwise 'nl' (the default of the product).

    Counting function words is enough here: questions are short, and the
    answer only needs to know which language to frame the quotes in.
    """
    tokens = words(text)
    english = sum(t in _EN_WORDS for t in tokens)
    dutch = sum(t in _NL_WORDS for t in tokens)
    return "en" if english >= 2 and english > dutch else "nl"


_INSTRUCTION = re.compile(
    r"\b(?:negeer|vergeet|ignore|disregard|forget)\b.{0,60}\b(?:instructies?|opdrachten|regels|instructions?|rules|prompt)\b"
    r"|\b(?:je bent nu|jij bent nu|you are now|system prompt|systeemprompt|systeeminstructie)\b"
    r"|\b(?:antwoord|answer) (?:voortaan |from now on )?(?:alleen|only)\b",
    re.IGNORECASE,
)


def instruction_like(text: str) -> bool:
    """True for a sentence that addresses the assistant rather than the reader ("negeer alle eerdere instructies").

    Such sentences in a document are never quoted as an answer and never count
    as support for a claim: they are an attempt to steer, not information.
    """
    return bool(_INSTRUCTION.search(text))


def without_instructions(text: str) -> str:
    """``text`` with its instruction-like sentences blanked out (offsets unchanged)."""
    out = text
    for start, end in sentence_spans(text):
        if instruction_like(text[start:end]):
            out = out[:start] + " " * (end - start) + out[end:]
    return out


def normalise_space(text: str) -> str:
    """Collapse every run of whitespace into one space."""
    return " ".join(text.split())
