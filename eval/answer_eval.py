"""Asking the assistant every question of a set and scoring the answers.

Each answer is scored once (:func:`score_answer`) into an
:class:`AnswerOutcome`; every figure of the report is a sum or share over
outcomes (:func:`summarise`), for the whole set, per kind of question and per
language. The checks themselves live in :mod:`eval.answer_checks`,
:mod:`eval.quotes` and :mod:`eval.answer_metrics`.
"""

from __future__ import annotations

import statistics
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

from assistant.types import Answer
from eval.answer_checks import cites_all, evidence_found, handled_as_missing, unwanted_furniture, word_count
from eval.answer_metrics import citation_support, evidence_coverage
from eval.datasets import EvalQuestion
from eval.matching import EvidenceMatcher
from eval.metrics import percentile
from eval.quotes import SourceTexts, off_boundary, quoted_spans, verbatim_quotes
from kb.lexical import DutchAnalyzer

# Every figure of an answer run, in report order; "higher is better" unless listed in LOWER_IS_BETTER.
ANSWER_METRICS: tuple[str, ...] = (
    "evidence_recall", "all_evidence", "answered_with_evidence", "refusal_accuracy", "false_refusals", "false_gaps",
    "two_docs_cited", "furniture_answers", "off_boundary_quotes", "verbatim_quotes", "citation_precision", "evidence_coverage",
    "median_words", "latency_p50_ms", "latency_p95_ms",
)
LOWER_IS_BETTER = frozenset({"false_refusals", "false_gaps", "furniture_answers", "off_boundary_quotes", "latency_p50_ms", "latency_p95_ms"})


@dataclass(frozen=True)
class Ratio:
    """A share with its count: ``hits`` of ``total`` (no value when nothing applies)."""

    hits: int
    total: int

    @property
    def value(self) -> float | None:
        """``hits / total``, or None for an empty total."""
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class AnswerOutcome:
    """The assistant's answer to one question, scored."""

    question: EvalQuestion
    answer: Answer
    seconds: float
    supported: int  # cited sentences that their passage supports
    cited: int  # cited sentences
    coverage: float | None  # gold evidence in the cited passages; None for unanswerable questions
    found: tuple[bool, ...] = ()  # per gold evidence string: present in the answer text
    handled: bool = False  # refused, or marked partial with what is missing
    refused: bool = False
    two_docs_cited: bool | None = None  # every gold document cited; None unless the gold spans two documents
    furniture: int = 0  # quoted bios, colophons and link texts the question did not ask for
    quotes: int = 0  # quoted spans checked for sentence boundaries
    off_boundary: int = 0  # of those, spans that do not start and end at a sentence boundary
    quoting: int = 0  # citations with a quote
    verbatim: int = 0  # of those, quotes that occur word for word in their passage
    words: int = 0

    def problems(self) -> list[str]:
        """What went wrong with this answer, in words (empty: nothing)."""
        q, out = self.question, []
        if q.answerable and self.refused:
            out.append("ten onrechte geweigerd")
        if q.answerable and not self.refused and self.answer.partial:
            out.append("ten onrechte een gat gemeld")
        if not q.answerable and not self.handled:
            out.append("had moeten weigeren of het ontbrekende noemen")
        if q.answerable and not self.refused and not all(self.found):
            out.append(f"evidence {sum(self.found)} van {len(self.found)} in het antwoord")
        if self.two_docs_cited is False:
            out.append("niet beide documenten geciteerd")
        if self.supported < self.cited:
            out.append(f"{self.cited - self.supported} van {self.cited} citaties niet gedragen")
        if self.furniture:
            out.append(f"{self.furniture} bio/colofon/navigatie geciteerd")
        if self.off_boundary:
            out.append(f"{self.off_boundary} van {self.quotes} citaten niet op zinsgrenzen")
        if self.verbatim < self.quoting:
            out.append(f"{self.quoting - self.verbatim} van {self.quoting} citaten niet letterlijk")
        return out


def score_answer(
    question: EvalQuestion, answer: Answer, seconds: float, matcher: EvidenceMatcher, analyzer: DutchAnalyzer,
    sources: SourceTexts | None = None,
) -> AnswerOutcome:
    """Score one answer against its question; ``sources`` places quotes in their documents (else in their passage)."""
    supported, cited = citation_support(answer, analyzer)
    evidence = [e.text for e in question.evidence]
    spans = quoted_spans(answer)
    sources = sources or SourceTexts(())
    verbatim, quoting = verbatim_quotes(answer, sources)
    return AnswerOutcome(
        question, answer, seconds, supported, cited,
        coverage=evidence_coverage(answer.citations, evidence, matcher) if question.answerable else None,
        found=evidence_found(answer.text, evidence, matcher),
        handled=handled_as_missing(answer),
        refused=bool(answer.refused),
        two_docs_cited=cites_all(answer, question.doc_ids) if len(question.doc_ids) >= 2 else None,
        furniture=unwanted_furniture(spans, question.question, evidence, matcher, sources),
        quotes=len(spans),
        off_boundary=off_boundary(spans, sources),
        quoting=quoting,
        verbatim=verbatim,
        words=word_count(answer.text),
    )


# The share metrics, each pooled as sum(numerator) / sum(denominator) over the counts of
# :func:`question_counts`; the report and the CI gate both compute them from here.
POOLS: dict[str, tuple[str, str]] = {
    "evidence_recall": ("found", "evidence"),  # pooled over evidence strings: five strings weigh five times
    "all_evidence": ("all_found", "answerable"),
    "answered_with_evidence": ("some_found", "answerable"),
    "refusal_accuracy": ("handled", "unanswerable"),
    "false_refusals": ("refused", "answerable"),
    # An answerable question answered with "De bronnen noemen geen …": the gap line contradicts the sources.
    "false_gaps": ("gapped", "answerable"),
    "two_docs_cited": ("two_docs_cited", "two_doc_questions"),
    "furniture_answers": ("with_furniture", "answers"),
    "off_boundary_quotes": ("off_boundary", "quotes"),
    "verbatim_quotes": ("verbatim", "quoting"),
    "citation_precision": ("supported", "cited"),  # pooled over cited sentences: claims weigh, not answers
}


def question_counts(o: AnswerOutcome) -> dict[str, int]:
    """The counts one answer adds to the pooled metrics (see :data:`POOLS`)."""
    counts = {"answers": 1, "with_furniture": int(o.furniture > 0), "quotes": o.quotes, "off_boundary": o.off_boundary,
              "quoting": o.quoting, "verbatim": o.verbatim, "supported": o.supported, "cited": o.cited}
    if o.question.answerable:
        answered = not o.refused
        counts.update(answerable=1, found=sum(o.found), evidence=len(o.found), refused=int(o.refused),
                      gapped=int(not o.refused and bool(o.answer.partial)),
                      all_found=int(answered and all(o.found)), some_found=int(answered and any(o.found)))
    else:
        counts.update(unanswerable=1, handled=int(o.handled))
    if o.two_docs_cited is not None:
        counts.update(two_doc_questions=1, two_docs_cited=int(o.two_docs_cited))
    return counts


def pooled(counts: Sequence[dict[str, int]], metric: str) -> Ratio:
    """One share metric over the per-question counts."""
    hits, total = POOLS[metric]
    return Ratio(sum(c.get(hits, 0) for c in counts), sum(c.get(total, 0) for c in counts))


def summarise(outcomes: Sequence[AnswerOutcome]) -> dict[str, Ratio | float | None]:
    """Every figure of :data:`ANSWER_METRICS` over ``outcomes`` (see the README for their definitions)."""
    counts = [question_counts(o) for o in outcomes]
    coverage = [o.coverage for o in outcomes if o.coverage is not None]
    times = [o.seconds * 1000 for o in outcomes]
    answered_words = [o.words for o in outcomes if not o.refused]
    summary: dict[str, Ratio | float | None] = {m: pooled(counts, m) for m in POOLS}
    summary.update({
        "evidence_coverage": sum(coverage) / len(coverage) if coverage else None,
        # Refusals are left out: they are short by design and would hide long answers.
        "median_words": float(statistics.median(answered_words)) if answered_words else None,
        "latency_p50_ms": percentile(times, 50) if times else None,
        "latency_p95_ms": percentile(times, 95) if times else None,
    })
    return {m: summary[m] for m in ANSWER_METRICS}


def values(summary: dict[str, Ratio | float | None]) -> dict[str, float | None]:
    """The summary as plain numbers (a :class:`Ratio` becomes its share)."""
    return {k: (v.value if isinstance(v, Ratio) else v) for k, v in summary.items()}


@dataclass
class AnswerReport:
    """All answers of one question set in one ``opgavewijzer eval answers`` run."""

    dataset: str
    mode: str
    outcomes: list[AnswerOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, Ratio | float | None]:
        """Every answer figure over the whole set."""
        return summarise(self.outcomes)

    def _by(self, key: Callable[[AnswerOutcome], str]) -> dict[str, dict[str, Ratio | float | None]]:
        groups: dict[str, list[AnswerOutcome]] = {}
        for o in self.outcomes:
            groups.setdefault(key(o), []).append(o)
        return {k: summarise(groups[k]) for k in sorted(groups)}

    def by_kind(self) -> dict[str, dict[str, Ratio | float | None]]:
        """Every answer figure per kind of question."""
        return self._by(lambda o: o.question.kind)

    def by_lang(self) -> dict[str, dict[str, Ratio | float | None]]:
        """Every answer figure per language of the question."""
        return self._by(lambda o: o.question.lang)


def run_answer_eval(
    assistant: Any, questions: Sequence[EvalQuestion], dataset: str, mode: str, show_progress: bool = False,
    sources: SourceTexts | None = None,
) -> AnswerReport:
    """Ask ``assistant`` (an :class:`assistant.answer.engine.Assistant`) every question and score the answers.

    ``mode`` names the answer mode in the report (``extractive``, ``openai``,
    ``ollama``); ``sources`` (the documents of the index) lets quotes be judged
    in their documents.
    """
    from tqdm import tqdm

    matcher, analyzer = EvidenceMatcher(), DutchAnalyzer()
    report = AnswerReport(dataset, mode)
    started = time.perf_counter()
    for question in tqdm(questions, desc="antwoorden", unit="vraag", file=sys.stderr, disable=not show_progress, leave=False):
        t0 = time.perf_counter()
        answer = assistant.answer(question.question)
        report.outcomes.append(score_answer(question, answer, time.perf_counter() - t0, matcher, analyzer, sources))
    report.seconds = time.perf_counter() - started
    return report
