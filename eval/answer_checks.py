"""Checks on one answer for ``opgavewijzer eval answers``: what it says, whom it cites, how it handles gaps.

Every check here reads the assistant's typed :class:`~assistant.types.Answer`
and is independent of how the answer was made, so the same checks measure the
extractive and the LLM mode. Where quotes come from and whether they are whole
sentences is checked in :mod:`eval.quotes`.

*Evidence in the answer*: a gold evidence string counts as present when the
answer text (citation markers removed) contains it by the rule of retrieval
matching (:class:`eval.matching.EvidenceMatcher`: the whole string, or 60% of
its words in runs of four).

*Handled as missing*: an unanswerable question is handled well when the answer
is refused, or marked partial with a non-empty ``missing`` list (the asked-for
fact is named as absent). The ``partial`` and ``missing`` fields are read
defensively, so answers of versions without them still score.

*Page furniture*: a quoted span is an author bio, a colophon or institute
blurb, or navigation/link text when the citation carries such a content role
(``role``/``roles``, read defensively), or when it matches one of the
patterns below. Quoting it counts against the answer unless the question asks
for it: its gold evidence lies in that span, or the question is about authors,
the publisher, contact details or links (:data:`ASKS_FOR_FURNITURE`).
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Sequence

from eval.matching import EvidenceMatcher
from eval.quotes import QuotedSpan, SourceTexts

MARKER_RE = re.compile(r"\[\d+(?:\s*,\s*\d+)*\]")
_WORD_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")

# Content roles (as the answer engine may name them) that are page furniture.
FURNITURE_ROLE_WORDS = ("bio", "colophon", "colofon", "blurb", "navigation", "link", "toc", "contents")
# Patterns of furniture and where they apply: named in one place, chosen by reading every bio,
# colophon, acknowledgement and link line of the corpus, and checked in the tests to match none of
# the sentences that answerable dev questions use as gold evidence. Bios and blurbs are recognised
# by their paragraph (cleaned text keeps a paragraph on one line), since most of their sentences
# ("Zijn missie is …") say nothing about a person on their own; link text by the sentence itself.
FURNITURE_PARAGRAPH: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\bis (?:sinds \d{4} )?(?:in verschillende functies )?werkzaam bij\b",  # author bios
    r"\bis als \w+(?: en \w+)? verbonden aan\b",
    r"\bstudeerde\b.*\baan de universiteit\b",
    r"\b(?:co-decaan|adjunct-directeur|bijzonder hoogleraar)\b",
    r"^directeur \w+\.|\bprogramma- en bestuursprocesadviseur\b",
    r"\bis een (?:hoogwaardig )?onderwijs- en onderzoeksinstituut\b",  # institute blurb
    r"\b(?:hartelijk dank|bedankt aan|wij willen langs deze weg|veel leesplezier)\b",  # colophon
    r"\bveel inspiratie en goede gesprekken gewenst\b|\bgraag tot de volgende keer\b",
))
FURNITURE_SENTENCE: tuple[re.Pattern[str], ...] = tuple(re.compile(p, re.IGNORECASE) for p in (
    r"\bklik hier\b|\bclick here\b|https?://|\bwww\.",  # navigation and link text
    r"\b(?:stuur (?:dan )?een mailtje|mail (?:dan ook )?naar)\b|@[\w.-]+\.\w+",
    r"\binhoudsopgave\b|→\s*\d+",
    r"\bin dit hoofdstuk bespreken we\b|\blees in dit hoofdstuk\b",
))
# Headings of sections that are furniture as a whole.
FURNITURE_SECTIONS = re.compile(r"^(?:dankwoord|colofon|over \w+|inhoudsopgave|about \w+|acknowledg\w*)$", re.IGNORECASE)
# A question about the sources themselves may be answered from their furniture.
ASKS_FOR_FURNITURE = re.compile(
    r"\b(?:auteurs?|geschreven|schrijvers?|opgesteld|uitgever|uitgegeven|colofon|dankwoord|bedankt|mail\w*|"
    r"e-?mail\w*|contact\w*|website|link|aandragen|aanmelden|authors?|wrote|written|publisher|who is|wie is)\b",
    re.IGNORECASE,
)


def strip_markers(text: str) -> str:
    """The answer text without its ``[n]`` citation markers."""
    return MARKER_RE.sub(" ", text)


def word_count(text: str) -> int:
    """Words of an answer (citation markers and punctuation not counted)."""
    return len(_WORD_RE.findall(strip_markers(text)))


def evidence_found(text: str, evidence: Sequence[str], matcher: EvidenceMatcher) -> tuple[bool, ...]:
    """For each gold evidence string: does the answer text (markers removed) contain it?"""
    plain = strip_markers(text)
    return tuple(matcher.contains(plain, e) for e in evidence)


def marks_missing(answer: Any) -> bool:
    """True if the answer is partial and names what the sources do not give."""
    missing = getattr(answer, "missing", None) or ()
    return bool(getattr(answer, "partial", False)) and any(str(m).strip() for m in missing)


def handled_as_missing(answer: Any) -> bool:
    """True if the answer refuses, or is marked partial with what is missing (right for an unanswerable question)."""
    return bool(getattr(answer, "refused", False)) or marks_missing(answer)


def cites_all(answer: Any, doc_ids: Iterable[str]) -> bool:
    """True if the answer's citations point into every one of ``doc_ids``."""
    cited = {c.doc_id for c in getattr(answer, "citations", ())}
    return set(doc_ids) <= cited


def is_furniture(span: QuotedSpan, sources: SourceTexts | None = None) -> bool:
    """True if the span is an author bio, colophon/blurb or navigation text.

    By its content role when the citation carries one, or by the patterns on
    the span, its paragraph and the heading of its section (when ``sources``
    can place the span in its document). The patterns apply even when a role
    says "body": the measure must not inherit a misclassification from the
    engine it measures.
    """
    if any(word in span.role.lower() for word in FURNITURE_ROLE_WORDS):
        return True
    paragraph, heading = sources.context(span) if sources else (span.text, "")
    return (
        any(p.search(span.text) for p in FURNITURE_SENTENCE)
        or any(p.search(paragraph) for p in FURNITURE_PARAGRAPH)
        or bool(FURNITURE_SECTIONS.match(heading))
    )


def unwanted_furniture(
    spans: Sequence[QuotedSpan], question: str, evidence: Sequence[str], matcher: EvidenceMatcher,
    sources: SourceTexts | None = None,
) -> int:
    """How many quoted spans are page furniture the question did not ask for."""
    if ASKS_FOR_FURNITURE.search(question):
        return 0
    return sum(
        1 for s in spans
        if is_furniture(s, sources) and not any(matcher.contains(s.text, e) or matcher.contains(e, s.text) for e in evidence)
    )


