"""Asking the assistant every question of a set and scoring the answers (see :mod:`eval.answer_metrics`)."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

from assistant.types import Answer
from eval.answer_metrics import citation_support, evidence_coverage, share
from eval.datasets import EvalQuestion
from eval.matching import EvidenceMatcher
from eval.metrics import percentile
from eval.report import Block, Heading, Paragraph, Table, fmt
from kb.lexical import DutchAnalyzer

ANSWER_METRICS: tuple[str, ...] = (
    "citation_precision", "evidence_coverage", "refusal_accuracy", "false_refusal_rate", "latency_p50_ms", "latency_p95_ms",
)


@dataclass(frozen=True)
class AnswerOutcome:
    """The assistant's answer to one question, scored."""

    question: EvalQuestion
    answer: Answer
    seconds: float
    supported: int  # cited sentences that their passage supports
    cited: int  # cited sentences
    coverage: float | None  # evidence coverage; None for unanswerable questions


@dataclass
class AnswerReport:
    """All answers of one ``opgavewijzer eval answers`` run."""

    dataset: str
    mode: str
    outcomes: list[AnswerOutcome] = field(default_factory=list)
    seconds: float = 0.0

    @staticmethod
    def _summarise(outcomes: Sequence[AnswerOutcome]) -> dict[str, float | None]:
        cited = sum(o.cited for o in outcomes)
        answerable = [o for o in outcomes if o.question.answerable]
        times = [o.seconds * 1000 for o in outcomes]
        coverage = [o.coverage for o in answerable if o.coverage is not None]
        return {
            # Pooled over all cited sentences, so long answers weigh in proportion to their claims.
            "citation_precision": sum(o.supported for o in outcomes) / cited if cited else None,
            "evidence_coverage": sum(coverage) / len(coverage) if coverage else None,
            "refusal_accuracy": share(o.answer.refused for o in outcomes if not o.question.answerable),
            "false_refusal_rate": share(o.answer.refused for o in answerable),
            "latency_p50_ms": percentile(times, 50) if times else None,
            "latency_p95_ms": percentile(times, 95) if times else None,
        }

    def summary(self) -> dict[str, float | None]:
        """Every answer metric over the whole set (None where no question applies)."""
        return self._summarise(self.outcomes)

    def by_kind(self) -> dict[str, dict[str, float | None]]:
        """Every answer metric per question kind."""
        kinds = sorted({o.question.kind for o in self.outcomes})
        return {k: self._summarise([o for o in self.outcomes if o.question.kind == k]) for k in kinds}


def score_answer(
    question: EvalQuestion, answer: Answer, seconds: float, matcher: EvidenceMatcher, analyzer: DutchAnalyzer
) -> AnswerOutcome:
    """Score one answer against its question."""
    supported, cited = citation_support(answer, analyzer)
    coverage = None
    if question.answerable:
        coverage = evidence_coverage(answer.citations, [e.text for e in question.evidence], matcher)
    return AnswerOutcome(question, answer, seconds, supported, cited, coverage)


def run_answer_eval(
    assistant: Any, questions: Sequence[EvalQuestion], dataset: str, mode: str, show_progress: bool = False
) -> AnswerReport:
    """Ask ``assistant`` (an :class:`assistant.engine.Assistant`) every question and score the answers.

    ``mode`` names the answer mode in the report (``extractive``, ``openai``, ``ollama``).
    """
    from tqdm import tqdm

    matcher, analyzer = EvidenceMatcher(), DutchAnalyzer()
    report = AnswerReport(dataset, mode)
    started = time.perf_counter()
    for question in tqdm(questions, desc="antwoorden", unit="vraag", file=sys.stderr, disable=not show_progress, leave=False):
        t0 = time.perf_counter()
        answer = assistant.answer(question.question)
        report.outcomes.append(score_answer(question, answer, time.perf_counter() - t0, matcher, analyzer))
    report.seconds = time.perf_counter() - started
    return report


def _cell(value: float | None, metric: str) -> str:
    if value is None:
        return "–"
    return f"{value:.0f}" if metric.endswith("_ms") else fmt(value)


def summary_table(report: AnswerReport) -> Table:
    """One row: every answer metric over the whole set."""
    summary = report.summary()
    return Table(("mode", "vragen", *ANSWER_METRICS), ((report.mode, str(len(report.outcomes)), *(_cell(summary[m], m) for m in ANSWER_METRICS)),))


def answer_blocks(report: AnswerReport) -> list[Block]:
    """The answer report as blocks: totals, per kind, and the answers that went wrong."""
    by_kind = report.by_kind()
    counts = {k: sum(1 for o in report.outcomes if o.question.kind == k) for k in by_kind}
    blocks: list[Block] = [
        Heading(f"Antwoord-evaluatie: {report.dataset}", 1),
        Paragraph(f"{len(report.outcomes)} vragen beantwoord in modus '{report.mode}' in {report.seconds:.0f} s."),
        summary_table(report),
        Paragraph("citation_precision: aandeel geciteerde zinnen dat door de geciteerde passage wordt gedragen "
                  "(citaat, of ≥ 50% van de inhoudswoorden in de passage). evidence_coverage: aandeel gouden evidence "
                  "in de geciteerde passages. refusal_accuracy: terecht geweigerde onbeantwoordbare vragen. "
                  "false_refusal_rate: ten onrechte geweigerde beantwoordbare vragen."),
        Heading("Per soort vraag"),
        Table(("kind", "n", *ANSWER_METRICS), tuple((k, str(counts[k]), *(_cell(v[m], m) for m in ANSWER_METRICS)) for k, v in by_kind.items())),
    ]
    wrong = [
        o for o in report.outcomes
        if o.answer.refused == o.question.answerable or o.supported < o.cited or (o.coverage is not None and o.coverage < 1)
    ]
    blocks.append(Heading(f"Antwoorden met een probleem: {len(wrong)}"))
    rows = []
    for o in wrong:
        problems = []
        if o.answer.refused and o.question.answerable:
            problems.append("ten onrechte geweigerd")
        if not o.answer.refused and not o.question.answerable:
            problems.append("had moeten weigeren")
        if o.supported < o.cited:
            problems.append(f"{o.cited - o.supported} van {o.cited} citaties niet gedragen")
        if o.coverage is not None and o.coverage < 1 and not o.answer.refused:
            problems.append(f"evidence {o.coverage:.0%} geciteerd")
        text = " ".join(o.answer.text.split())
        rows.append((o.question.id, o.question.kind, o.question.question, "; ".join(problems), text[:300] + ("…" if len(text) > 300 else "")))
    if rows:
        blocks.append(Table(("id", "kind", "vraag", "probleem", "antwoord"), tuple(rows)))
    return blocks


def answer_data(report: AnswerReport) -> dict:
    """Machine-readable results of an answer run."""
    return {
        "dataset": report.dataset,
        "mode": report.mode,
        "summary": report.summary(),
        "by_kind": report.by_kind(),
        "answers": [
            {"id": o.question.id, "seconds": round(o.seconds, 3), "supported": o.supported, "cited": o.cited,
             "coverage": o.coverage, **o.answer.to_json()}
            for o in report.outcomes
        ],
    }
