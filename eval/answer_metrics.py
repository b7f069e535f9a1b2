"""Metrics of answers and of leeropdracht drafts, computed from the assistant's typed results.

Answers
    *citation precision*: the share of cited sentences that their cited
    passage supports. A sentence is *supported* by a passage when it is a quote
    of it (its normalised words occur in the passage, see :mod:`eval.matching`)
    or when at least :data:`SUPPORT_OVERLAP` (50%) of its content terms (Dutch
    stop words dropped, stemmed, as BM25 sees them) occur in the passage. A
    sentence citing several passages is supported when one of them supports it.
    The assistant has its own, looser check (``support_threshold``); this one
    is stricter and independent of it.

    *evidence coverage*: the share of the question's gold evidence strings
    that the cited passages together contain.

    *refusal accuracy*: the share of unanswerable questions the assistant
    declines; *false refusals*: the share of answerable questions it declines.

Leeropdrachten
    The rubric items a machine can check, each True or False (None: does not
    apply to this case), see :func:`check_leeropdracht`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from assistant.types import Answer, Citation, CitedText, Leeropdracht
from eval.datasets import LeeropdrachtCase
from eval.matching import EvidenceMatcher, normalise
from kb.lexical import DutchAnalyzer

SUPPORT_OVERLAP = 0.5
# The corpus document that describes the roles; a role outside it must get no strength attributed to it.
GIDS_DOC_ID = "vpng_gids"

_MARKER_RE = re.compile(r"\[(\d+(?:\s*,\s*\d+)*)\]")
# A sentence ends at . ! or ? followed by space; a closing quotation mark and citation markers after the stop
# belong to it ("… opgave.” [5]" is one quoted sentence, not a sentence and a bare "” [5]").
_SENTENCE_RE = re.compile(r"[^.!?]+(?:[.!?]+[”\"’']?(?:\s*\[\d+(?:\s*,\s*\d+)*\])*|$)")
_HOE_RE = re.compile(r"^\W*hoe\b.*\?\W*$", re.IGNORECASE | re.DOTALL)
_NOT_IN_GIDS_RE = re.compile(r"\b(niet|geen)\b.{0,80}\b(gids|inspiratiegids|vpng)\b|\b(gids|inspiratiegids|vpng)\b.{0,80}\b(niet|geen)\b", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class CitedSentence:
    """A sentence of an answer and the citation numbers it carries."""

    text: str  # without the markers
    cites: tuple[int, ...]


def cited_sentences(text: str) -> list[CitedSentence]:
    """The sentences of an answer that carry at least one ``[n]`` marker (lines and bullets split too)."""
    found: list[CitedSentence] = []
    for line in text.splitlines():
        for match in _SENTENCE_RE.finditer(line):
            sentence = match.group(0)
            numbers = tuple(int(n) for group in _MARKER_RE.findall(sentence) for n in group.split(","))
            plain = " ".join(_MARKER_RE.sub(" ", sentence).split()).lstrip("-*•0123456789.) ").strip()
            if numbers and plain:
                found.append(CitedSentence(plain, numbers))
    return found


def supports(sentence: str, passage: str, analyzer: DutchAnalyzer, overlap: float = SUPPORT_OVERLAP) -> bool:
    """True if ``passage`` supports ``sentence``: a quote of it, or ``overlap`` of its content terms in it."""
    words = normalise(sentence)
    if words and f" {words} " in f" {normalise(passage)} ":
        return True
    terms = set(analyzer.terms(sentence))
    if not terms:
        return False  # a sentence without content words ("Zie [1].") claims nothing checkable
    return len(terms & set(analyzer.terms(passage))) / len(terms) >= overlap


def citation_support(answer: Answer, analyzer: DutchAnalyzer) -> tuple[int, int]:
    """``(supported, cited)``: how many cited sentences of the answer their cited passage supports."""
    passages = {c.n: c.passage for c in answer.citations}
    sentences = cited_sentences(answer.text)
    supported = sum(
        1 for s in sentences if any(n in passages and supports(s.text, passages[n], analyzer) for n in s.cites)
    )
    return supported, len(sentences)


def evidence_coverage(citations: Sequence[Citation], evidence: Sequence[str], matcher: EvidenceMatcher) -> float:
    """Share of the evidence strings contained in the cited passages together (0.0 without evidence)."""
    if not evidence:
        return 0.0
    passages = [c.passage for c in citations]
    return sum(1 for e in evidence if matcher.found_in(passages, e)) / len(evidence)


def share(flags: Iterable[bool]) -> float | None:
    """Share of True values; None when there are none to count."""
    values = list(flags)
    return sum(values) / len(values) if values else None


# --- leeropdrachten ---------------------------------------------------------


def hoe_questions(draft: Leeropdracht) -> int:
    """Number of questions of the draft that start with "Hoe" and end with a question mark."""
    return sum(1 for q in draft.questions if _HOE_RE.match(_MARKER_RE.sub("", q.text).strip()))


def _cited_docs(part: CitedText | None, citations: Sequence[Citation]) -> set[str]:
    by_n = {c.n: c.doc_id for c in citations}
    return {by_n[n] for n in (part.cites if part else ()) if n in by_n}


def _present(part: CitedText | None, expected: str, matcher: EvidenceMatcher) -> bool:
    """The part has text and, when an expected text is given, contains it."""
    if part is None or not part.text.strip():
        return False
    return not expected or matcher.contains(part.text, expected)


def grounded(citation: Citation, passages: Mapping[str, str]) -> bool:
    """True if the citation points at a passage of the index, with that passage's text, and quotes from it."""
    text = passages.get(citation.chunk_id)
    return text is not None and citation.passage == text and (not citation.quote or citation.quote in text)


def check_leeropdracht(
    case: LeeropdrachtCase,
    draft: Leeropdracht,
    retrieved: Iterable[str],
    passages: Mapping[str, str],
    matcher: EvidenceMatcher,
) -> dict[str, bool | None]:
    """The mechanical rubric of one draft.

    ``retrieved`` are the chunk ids the assistant retrieved for this draft;
    ``passages`` maps every chunk id of the index to its text.

    * ``questions_in_range``: the number of "Hoe …?" questions lies in [min, max];
    * ``strength_present`` / ``pitfall_present`` (roles in the gids): present and
      containing the expected text from the gids;
    * ``required_source_cited``: some citation points into the required document;
    * ``citations_grounded``: every citation points at a passage of the index,
      carries that passage's exact text, and its quote occurs in it;
    * ``citations_retrieved``: every citation points at a retrieved passage;
    * ``says_not_in_gids`` / ``no_invented_strength`` (roles not in the gids):
      the draft says the gids does not describe the role, and attributes no
      strength to the gids.
    """
    retrieved = set(retrieved)
    result: dict[str, bool | None] = {
        "questions_in_range": case.min_questions <= hoe_questions(draft) <= case.max_questions,
        "required_source_cited": any(c.doc_id == case.required_source for c in draft.citations),
        "citations_grounded": all(grounded(c, passages) for c in draft.citations),
        "citations_retrieved": all(c.chunk_id in retrieved for c in draft.citations),
    }
    if case.in_gids:
        result["strength_present"] = _present(draft.strength, case.expected_strength, matcher)
        result["pitfall_present"] = _present(draft.pitfall, case.expected_pitfall, matcher)
        result["says_not_in_gids"] = None
        result["no_invented_strength"] = None
    else:
        said = " ".join([draft.context, *draft.notes])
        result["strength_present"] = None
        result["pitfall_present"] = None
        result["says_not_in_gids"] = not draft.role_in_gids and bool(_NOT_IN_GIDS_RE.search(said))
        result["no_invented_strength"] = GIDS_DOC_ID not in _cited_docs(draft.strength, draft.citations)
    return result
