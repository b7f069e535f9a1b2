"""Explanations for maintainers (``opgavewijzer ask --explain``): why an answer is what it is.

It shows the question analysis, the best candidate sentences with their
feature values and what each feature added to the ranker's score, why each
quoted sentence was chosen, why a gap line was or was not stated, and how the
overview model read the question, so that anyone can see where a wrong answer
went wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from assistant.answer.compose import COMPLETE_SHARE, OTHER_DOC_SHARE, SUPPORT_SHARE
from assistant.answer.evidence import Decision
from assistant.answer.overview import asked_documents, read_question
from assistant.answer.overview_intent import THRESHOLD, OverviewIntent
from assistant.answer.overview_words import asking_part, section_reference
from assistant.answer.plan import QuestionPlan
from assistant.answer.ranker import Contribution, SentenceRanker
from assistant.answer.retrieval import Found
from assistant.answer.selection import Scored
from kb.types import Sentence

SHOWN_CANDIDATES = 8


@dataclass(frozen=True)
class RankedView:
    """One candidate as the explanation shows it."""

    text: str
    doc_id: str
    passage_rank: int
    probability: float
    contributions: tuple[Contribution, ...]


@dataclass(frozen=True)
class Explanation:
    """The analysis, ranking, choices and gap decision behind one extractive answer."""

    plan: QuestionPlan
    passages: tuple[str, ...]  # chunk ids retrieval found, best first
    candidates: tuple[RankedView, ...]
    chosen: tuple[tuple[str, str], ...]  # (quoted sentence, why it was chosen)
    gap: str  # the gap line, or "" when none was stated
    gap_reasons: tuple[str, ...]
    refused: bool
    evidence: str  # the refusal decision in numbers
    overview: tuple[str, ...] = ()  # the overview model's reading: P(overview) and each feature's part

    def render(self) -> str:
        """The explanation as plain text for a terminal."""
        p = self.plan
        lines = ["Vraaganalyse", f"  vraag: {p.question}", f"  taal {p.lang}, soort {p.kind}, verwacht {p.expects}"
                 + (f", telt '{p.measured}'" if p.measured else "") + (", vergelijking" if p.compare else ""),
                 f"  focus: {', '.join(p.focus) or '-'}" + (f"; tussen aanhalingstekens: {', '.join(p.quoted)}" if p.quoted else ""),
                 f"  documenten genoemd: {', '.join(p.doc_ids) or '-'}", f"  gezocht: {p.search_text}",
                 f"  passages: {', '.join(self.passages[:10])}", "", f"Beste kandidaten (van {len(self.candidates)} getoond)"]
        for k, c in enumerate(self.candidates, 1):
            lines.append(f"  {k}. p={c.probability:.2f} [{c.doc_id}, passage {c.passage_rank + 1}] {_short(c.text)}")
            lines.append("     " + ", ".join(f"{x.name}={x.value:.2f} ({x.amount:+.2f})" for x in c.contributions))
        lines += ["", "Gekozen zinnen"] + [f"  - {why}: {_short(text)}" for text, why in self.chosen]
        if not self.chosen:
            lines.append("  (geen: het antwoord is een weigering)" if self.refused else "  (geen)")
        lines += ["", "Gat in de bronnen", f"  {('gemeld: ' + self.gap) if self.gap else 'niet gemeld'}"]
        lines += [f"  - {r}" for r in self.gap_reasons]
        lines += ["", "Weigeren?", f"  {self.evidence}"]
        if self.overview:
            lines += ["", "Overzichtsvraag?", *(f"  {line}" for line in self.overview)]
        return "\n".join(lines) + "\n"


def overview_reading(plan: QuestionPlan, guides: Mapping[str, Any], intent: OverviewIntent | None) -> tuple[str, ...]:
    """The overview model's reading of ``plan``: P(overview) against the threshold, the document, and what each
    feature added (largest first); () when no document has a guide or the question names no document."""
    if intent is None or not guides:
        return ()
    asked = asked_documents(plan, guides, intent)
    if asked == ((), False):
        return ("geen: de vraag noemt geen document en niet alle documenten",)
    reading = read_question(plan, guides, intent, asked)
    said = "ja" if reading.probability >= THRESHOLD else "nee"
    about = "alle documenten" if reading.all_documents else (", ".join(reading.doc_ids) or "-")
    section = section_reference(asking_part(plan.question))
    return (f"{said}: P={reading.probability:.2f} tegen drempel {THRESHOLD}; over {about}; vraagdeel: {asking_part(plan.question)}"
            + (f"; over een deel: {section.text}" if section else ""),
            ", ".join(f"{c.name}={c.value:.2f} ({c.amount:+.2f})" for c in intent.explain(reading.row) if c.value))


def explanation(plan: QuestionPlan, found: Found, decision: Decision, groups: Sequence[Sequence[Sentence]],
                ranker: SentenceRanker, overview: tuple[str, ...] = ()) -> Explanation:
    """Put together what the stages decided for one question (``overview``: see :func:`overview_reading`)."""
    ranked = decision.ranked
    shown = tuple(RankedView(s.sentence.text, s.sentence.doc_id, s.hit, s.score,
                             tuple(ranker.explain(_row(s)))) for s in ranked[:SHOWN_CANDIDATES])
    e = decision.evidence
    verdict = (f"score {e.score:.2f} tegen drempel {decision.threshold:.2f} (gelijkenis {e.similarity:.2f}, dekking "
               f"{e.coverage:.2f}, beste zin {e.sentence:.2f}, onbekend {e.unknown:.2f})"
               + ("; buiten het onderwerp" if decision.off_topic else "")
               + ("; beantwoord" if decision.answers else "; geweigerd"))
    return Explanation(plan, tuple(h.chunk_id for h in found.hits), shown, tuple(_reasons(plan, ranked, groups)),
                       decision.gaps.statement, decision.gaps.reasons, not decision.answers, verdict, overview)


def _row(scored: Scored):  # noqa: ANN202 - a numpy row
    import numpy as np

    return np.asarray(scored.features, dtype=float)


def _reasons(plan: QuestionPlan, ranked: Sequence[Scored], groups: Sequence[Sequence[Sentence]]) -> list[tuple[str, str]]:
    """Why each quoted sentence is there, in the order the rules of compose apply."""
    if not ranked or not groups:
        return []
    best = ranked[0]
    probability = {(s.sentence.doc_id, s.sentence.index): s.score for s in ranked}
    out = []
    for g, group in enumerate(groups):
        for sentence in group:
            p = probability.get((sentence.doc_id, sentence.index))
            if sentence is best.sentence or (sentence.doc_id, sentence.index) == (best.sentence.doc_id, best.sentence.index):
                why = f"beste zin (p={best.score:.2f})"
            elif g == 0 and p is not None and p >= COMPLETE_SHARE * best.score:
                why = f"maakt de beste zin af (p={p:.2f} ≥ {COMPLETE_SHARE} × beste)"
            elif g == 0:
                why = "hoort bij de beste zin (die leunt erop, of het is een item van de aangekondigde lijst)"
            elif plan.compare:
                why = f"vergelijking: beste zinnen per document (p={p or 0:.2f})"
            elif sentence.doc_id != best.sentence.doc_id:
                why = f"ander document, bijna zo goed (p={p or 0:.2f} ≥ {OTHER_DOC_SHARE} × beste)"
            elif p is None:
                why = "hoort bij een steunzin (leunt erop of is een lijstitem)"
            else:
                why = f"steun (p={p:.2f} ≥ {SUPPORT_SHARE} × beste)"
            out.append((sentence.text, why))
    return out


def _short(text: str, limit: int = 140) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
