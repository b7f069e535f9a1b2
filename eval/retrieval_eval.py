"""Running a question set through retrieval systems and scoring every answer list.

For each system and each answerable question the top ``depth`` passages are
retrieved once; all metrics (:mod:`eval.metrics`) are computed from that one
list. Unanswerable questions have no evidence, so they are counted but not
scored.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Sequence

from eval.datasets import EvalQuestion
from eval.matching import EvidenceMatcher
from eval.metrics import CONTEXT_BUDGET, context_window, mean_metrics, percentile, question_metrics
from eval.systems import DEFAULT_SYSTEM, Passage, RetrievalSystem

DEFAULT_DEPTH = 20
# Columns of the summary tables, in order.
SUMMARY_METRICS: tuple[str, ...] = ("hit@1", "hit@5", "mrr@10", "ndcg@10", "recall@5", "recall@6000chars")


@dataclass(frozen=True)
class QuestionOutcome:
    """How one system did on one question."""

    question: EvalQuestion
    passages: tuple[Passage, ...]
    relevant: tuple[bool, ...]
    metrics: dict[str, float]
    seconds: float
    missed: tuple[str, ...]  # evidence not found in the first 6,000 characters

    @property
    def failed(self) -> bool:
        """True when some evidence lies outside the 6,000-character context."""
        return bool(self.missed)


@dataclass
class SystemResult:
    """All outcomes of one system on one question set."""

    name: str
    description: str
    build_seconds: float
    outcomes: list[QuestionOutcome] = field(default_factory=list)
    n_passages: int = 0

    def summary(self) -> dict[str, float]:
        """Mean of every metric over the scored questions."""
        return mean_metrics(o.metrics for o in self.outcomes)

    def by_document(self) -> dict[str, dict[str, float]]:
        """Mean metrics per gold document; a multi-document question counts for each of its documents."""
        groups: dict[str, list[dict[str, float]]] = {}
        for o in self.outcomes:
            for doc_id in o.question.doc_ids:
                groups.setdefault(doc_id, []).append(o.metrics)
        return {doc: mean_metrics(rows) for doc, rows in sorted(groups.items())}

    def by_kind(self) -> dict[str, dict[str, float]]:
        """Mean metrics per question kind."""
        groups: dict[str, list[dict[str, float]]] = {}
        for o in self.outcomes:
            groups.setdefault(o.question.kind, []).append(o.metrics)
        return {kind: mean_metrics(rows) for kind, rows in sorted(groups.items())}

    def group_sizes(self) -> tuple[dict[str, int], dict[str, int]]:
        """Number of questions per document and per kind."""
        docs: dict[str, int] = {}
        kinds: dict[str, int] = {}
        for o in self.outcomes:
            for doc_id in o.question.doc_ids:
                docs[doc_id] = docs.get(doc_id, 0) + 1
            kinds[o.question.kind] = kinds.get(o.question.kind, 0) + 1
        return docs, kinds

    def latency_ms(self) -> tuple[float, float]:
        """Search latency p50 and p95 in milliseconds."""
        times = [o.seconds * 1000 for o in self.outcomes]
        return percentile(times, 50), percentile(times, 95)


@dataclass
class RetrievalReport:
    """The result of one ``opgavewijzer eval retrieval`` run."""

    dataset: str
    n_questions: int
    n_unanswerable: int
    depth: int
    systems: list[SystemResult]
    seconds: float = 0.0

    def system(self, name: str) -> SystemResult:
        """The result of one system; KeyError if it was not run."""
        for result in self.systems:
            if result.name == name:
                return result
        raise KeyError(name)

    @property
    def primary(self) -> SystemResult:
        """The default system if it was run, else the first one: its failures are listed in detail."""
        return next((s for s in self.systems if s.name == DEFAULT_SYSTEM), self.systems[0])


def evaluate_question(
    question: EvalQuestion, passages: Sequence[Passage], matcher: EvidenceMatcher, n_relevant: int | None, seconds: float
) -> QuestionOutcome:
    """Score one ranked list against a question's evidence."""
    evidence = [e.text for e in question.evidence]
    texts = [p.text for p in passages]
    relevant = tuple(matcher.any_evidence(t, evidence) for t in texts)
    metrics = question_metrics(texts, relevant, evidence, matcher.found_in, n_relevant)
    window = context_window(texts, CONTEXT_BUDGET)
    missed = tuple(e for e in evidence if not matcher.found_in(window, e))
    return QuestionOutcome(question, tuple(passages), relevant, metrics, seconds, missed)


def evaluate_system(
    system: RetrievalSystem,
    questions: Sequence[EvalQuestion],
    matcher: EvidenceMatcher,
    depth: int = DEFAULT_DEPTH,
    show_progress: bool = False,
) -> SystemResult:
    """Retrieve and score every answerable question with one system."""
    from tqdm import tqdm

    scored = [q for q in questions if q.answerable]
    all_passages = system.passages()
    result = SystemResult(system.name, system.description, system.build_seconds, n_passages=len(all_passages))
    for question in tqdm(scored, desc=system.name, unit="vraag", file=sys.stderr, disable=not show_progress, leave=False):
        evidence = [e.text for e in question.evidence]
        # R for nDCG: how many passages of this index hold evidence at all.
        n_relevant = sum(1 for p in all_passages if matcher.any_evidence(p.text, evidence))
        started = time.perf_counter()
        passages = system.search(question.question, depth)
        seconds = time.perf_counter() - started
        result.outcomes.append(evaluate_question(question, passages, matcher, n_relevant, seconds))
    return result


def run_retrieval_eval(
    systems: Sequence[RetrievalSystem],
    questions: Sequence[EvalQuestion],
    dataset: str,
    depth: int = DEFAULT_DEPTH,
    show_progress: bool = False,
) -> RetrievalReport:
    """Evaluate every system on the same questions."""
    started = time.perf_counter()
    matcher = EvidenceMatcher()  # shared: the normalised evidence is computed once
    results = [evaluate_system(s, questions, matcher, depth, show_progress) for s in systems]
    return RetrievalReport(
        dataset=dataset,
        n_questions=len(questions),
        n_unanswerable=sum(1 for q in questions if not q.answerable),
        depth=depth,
        systems=results,
        seconds=time.perf_counter() - started,
    )
