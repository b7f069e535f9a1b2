"""Candidates: the quotable sentences of the retrieved passages, each once, with where it was found.

A candidate is a whole sentence of the index (split at ingest, with a content
role) inside one of the first passages. Headings, questions, tables of
contents, captions, navigation, pointers elsewhere ("Hieronder treft u …")
and page furniture are never candidates; author bios and institute blurbs
only when the question asks about authors or an organisation; a sentence that
addresses the assistant never.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.answer.plan import QuestionPlan
from assistant.answer.role_facts import RoleFacts
from assistant.answer.answer_types import has_type
from kb.sentences import SentenceIndex
from kb.types import Hit, Sentence
from opgavewijzer.text import instruction_like

MIN_WORDS, MAX_WORDS = 4, 90
UNPUNCTUATED_MIN_WORDS = 10
HEADER_FACTS = frozenset({"date", "time", "place"})  # what a header line above a report may answer
QUOTABLE = frozenset({"body", "list_item"})
ABOUT_MAKERS = frozenset({"author_bio", "colophon"})
ECHO_WORDS = 6  # a sentence this short may be a mere echo of the question
_WORD = re.compile(r"\w+")
_SMALL = frozenset("de het een en of in op van voor met over aan bij te is zijn dat die dit".split())
_LAST_PARENTHESIS = re.compile(r"[.!?:;]?\s*\(([^()]*)\)$")
_LABEL = re.compile(r"^(?:Thema|Onderwerp|Titel|Motto|Theme|Topic|Title):\s+\S")
# A sentence that opens by pointing elsewhere in the document ("Hieronder treft u … aan", "Op de volgende pagina
# wordt … gepresenteerd") sends the reader to text the answer does not quote; unless it announces a list that
# follows it (ends with ':'), it answers nothing.
_POINTER = re.compile(r"^(?:Hieronder|Hierboven|Verderop|(?:Op|In) de volgende pagina(?:['’]s)?|In (?:het|de) volgende "
                      r"(?:hoofdstuk|hoofdstukken|paragraaf|paragrafen|delen|deel)|Zie (?:ook )?(?:hoofdstuk|paragraaf|"
                      r"bijlage|pagina|figuur|tabel))\b")


@dataclass(frozen=True)
class Candidate:
    """One quotable sentence of a retrieved passage."""

    sentence: Sentence
    hit: int  # rank position (0-based) of the first passage it was found in
    passage_similarity: float  # that passage's e5 similarity to the question
    in_profile: bool = False  # part of what the guide's profile of a named role says (see role_facts)


def collect(plan: QuestionPlan, hits: Sequence[Hit], sentences: SentenceIndex, roles: RoleFacts | None = None,
            max_hits: int | None = None) -> list[Candidate]:
    """The quotable sentences of the first ``max_hits`` passages (all when None), in passage order, each once."""
    shown = list(hits if max_hits is None else hits[:max_hits])
    favoured = _role_spans(roles, shown)
    seen: set[tuple[str, int]] = set()
    out: list[Candidate] = []
    for rank, hit in enumerate(shown):
        for sentence in sentences.of_chunk(hit.doc_id, hit.chunk_id):
            key = (sentence.doc_id, sentence.index)
            in_profile = _inside(sentence, favoured)
            # The guide's learning questions are questions; they are quoted when they are what was asked.
            asked_question = in_profile and roles is not None and roles.questions and sentence.role == "question"
            if key in seen or not (asked_question or quotable(sentence, plan)):
                continue
            seen.add(key)
            out.append(Candidate(sentence, rank, hit.similarity, in_profile))
    return out


def quotable(sentence: Sentence, plan: QuestionPlan) -> bool:
    """True if the sentence may be quoted for this question (its role, its length, no instructions)."""
    # "Thema: wat als alles een opgave is?" states a theme; it only looks like a question.
    labelled = sentence.role == "question" and bool(_LABEL.match(sentence.text))
    # A link line is page furniture, unless a web address is what was asked.
    link = plan.expects == "url" and sentence.role == "navigation" and has_type(sentence.text, "url")
    if sentence.role not in QUOTABLE and not labelled and not link and not (
            (plan.about_authors or plan.expects == "title") and sentence.role in ABOUT_MAKERS):  # a bio gives a job title
        return False
    if instruction_like(sentence.text):
        return False  # an attempt to steer the assistant is no answer to anyone's question
    if _POINTER.match(sentence.text) and not sentence.text.endswith(":"):
        return False
    n = len(sentence.text.split())
    if not MIN_WORDS <= n <= MAX_WORDS:
        return False
    # A short line that only repeats the question's words ("Over Koers en kansen.") tells the reader nothing.
    if n <= ECHO_WORDS and set(_WORD.findall(sentence.text.lower())) <= set(_WORD.findall(plan.question.lower())) | _SMALL:
        return False
    # An ellipsis run is a chapter preview ("… wat is een opgave? …"), not prose.
    if sentence.text.count("…") + sentence.text.count("...") >= 2:
        return False
    # A line without closing punctuation is a heading or a caption unless it is long, or it is the
    # header line that holds the asked-for date or place ("4 maart 2025 | Provinciehuis in Den Haag"). Names and
    # counts are recognised too loosely for that: the same line is no answer to "wie vertelde …?".
    return _closed(sentence.text) or n >= UNPUNCTUATED_MIN_WORDS or (
        plan.expects in HEADER_FACTS and sentence.role == "body" and has_type(sentence.text, plan.expects))


def _closed(text: str) -> bool:
    """True if the text ends as a sentence does. A closing parenthesis counts only after closing punctuation
    inside or before it: "Opgavegericht leren (hoofdstuk 6)" is a heading of a reading guide."""
    if text.endswith(")"):
        inside = _LAST_PARENTHESIS.search(text)
        return inside is not None and (inside.group(1)[-1:] in ".!?" or inside.group(0)[:1] in ".!?:;")
    return text[-1:] in ".!?:;’”\""


def _role_spans(roles: RoleFacts | None, hits: Sequence[Hit]) -> dict[str, list[tuple[int, int]]]:
    """Document spans of the role profile pieces whose passages are among ``hits``, by document."""
    if roles is None:
        return {}
    starts = {h.chunk_id: (h.doc_id, h.start) for h in hits}
    spans: dict[str, list[tuple[int, int]]] = {}
    for piece in roles.texts:
        if piece.chunk_id in starts:
            doc_id, offset = starts[piece.chunk_id]
            spans.setdefault(doc_id, []).append((offset + piece.start, offset + piece.end))
    return spans


def _inside(sentence: Sentence, spans: dict[str, list[tuple[int, int]]]) -> bool:
    """True if most of the sentence lies within one of the spans of its document."""
    length = max(1, sentence.end - sentence.start)
    return any(min(end, sentence.end) - max(start, sentence.start) >= length / 2
               for start, end in spans.get(sentence.doc_id, ()))
