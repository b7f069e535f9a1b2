"""Calibrating the refusal threshold on a question set with unanswerable questions.

    python -m eval.calibrate [--dataset eval/datasets/dev.jsonl] [--fit]

Prints, for every candidate threshold of the combined evidence score, how
many unanswerable questions are refused (refusal accuracy) and how many
answerable ones are wrongly refused (false-refusal rate), and the threshold it
recommends: the highest refusal accuracy whose false-refusal rate stays within
the budget (answering a question the sources cover matters more than
refusing one they do not). ``--fit`` also searches the weights of the
combination. The chosen values live in ``settings.answer.refusal_threshold`` and
``assistant.answer.evidence``.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from assistant.answer.evidence import Evidence
from assistant.answer.features import dense_scale
from opgavewijzer.settings import PROJECT_ROOT

FALSE_REFUSAL_BUDGET = 0.05


@dataclass(frozen=True)
class Row:
    """One threshold and what it does on the question set."""

    threshold: float
    refusal_accuracy: float  # share of unanswerable questions refused
    false_refusals: float  # share of answerable questions refused
    accuracy: float  # share of all questions handled correctly


def threshold_table(scores: Sequence[float], answerable: Sequence[bool], steps: int = 40) -> list[Row]:
    """Refusal accuracy and false-refusal rate at evenly spaced thresholds in [0, 1]."""
    pos = [s for s, a in zip(scores, answerable) if a]
    neg = [s for s, a in zip(scores, answerable) if not a]
    rows = []
    for i in range(steps + 1):
        t = i / steps
        refused_neg = sum(s < t for s in neg)
        refused_pos = sum(s < t for s in pos)
        rows.append(Row(
            threshold=t,
            refusal_accuracy=refused_neg / len(neg) if neg else 0.0,
            false_refusals=refused_pos / len(pos) if pos else 0.0,
            accuracy=(refused_neg + len(pos) - refused_pos) / max(len(scores), 1),
        ))
    return rows


def recommend(rows: Sequence[Row], budget: float = FALSE_REFUSAL_BUDGET) -> Row:
    """The threshold with the best refusal accuracy within the false-refusal budget (highest accuracy on ties)."""
    allowed = [r for r in rows if r.false_refusals <= budget] or [rows[0]]
    return max(allowed, key=lambda r: (r.refusal_accuracy, r.accuracy, -r.threshold))


def auc(scores: Sequence[float], answerable: Sequence[bool]) -> float:
    """Probability that an answerable question scores above an unanswerable one."""
    pos = [s for s, a in zip(scores, answerable) if a]
    neg = [s for s, a in zip(scores, answerable) if not a]
    if not pos or not neg:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg)
    return wins / (len(pos) * len(neg))


def _fit(evidence: Sequence[Evidence], answerable: Sequence[bool]) -> tuple[tuple[float, float, float], Row]:
    """Grid search over the three weights (summing to 1) for the best recommended row."""
    best: tuple[tuple[float, float, float], Row] | None = None
    grid = [i / 20 for i in range(21)]
    for w_sim in grid:
        for w_cov in grid:
            w_sen = round(1 - w_sim - w_cov, 4)
            if w_sen < 0:
                continue
            scores = [w_sim * dense_scale(e.similarity) + w_cov * e.coverage + w_sen * e.sentence for e in evidence]
            row = recommend(threshold_table(scores, answerable, steps=100))
            key = (row.refusal_accuracy, row.accuracy)
            if best is None or key > (best[1].refusal_accuracy, best[1].accuracy):
                best = ((w_sim, w_cov, w_sen), row)
    assert best is not None
    return best


def load_questions(path: Path) -> list[tuple[str, bool]]:
    """(question, answerable) pairs from a JSON Lines question set."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pairs.append((str(row["question"]), bool(row["answerable"])))
    return pairs


def measure_all(measure: Callable[[str], Evidence], questions: Sequence[tuple[str, bool]]) -> list[Evidence]:
    """The evidence signals of every question."""
    return [measure(q) for q, _ in questions]


def main(argv: Sequence[str] | None = None) -> int:
    """Print the signal AUCs and the threshold table for a question set."""
    parser = argparse.ArgumentParser(prog="python -m eval.calibrate", description=__doc__.split("\n\n")[0])
    parser.add_argument("--dataset", type=Path, default=PROJECT_ROOT / "eval" / "datasets" / "dev.jsonl")
    parser.add_argument("--fit", action="store_true", help="also search the weights of the combined score")
    args = parser.parse_args(argv)

    from assistant.answer.engine import Assistant
    from opgavewijzer.cli.main import prepare_process
    from opgavewijzer.settings import Settings

    prepare_process()
    settings = Settings()
    assistant = Assistant.from_settings(settings)
    questions = load_questions(args.dataset)
    evidence = measure_all(lambda q: assistant.answer.evidence(q)[1], questions)
    answerable = [a for _, a in questions]
    print(f"{args.dataset.name}: {len(questions)} questions, {answerable.count(False)} unanswerable")
    for name in ("similarity", "coverage", "sentence", "score"):
        print(f"  AUC {name:<10} {auc([getattr(e, name) for e in evidence], answerable):.3f}")
    print(f"  AUC {'known':<10} {auc([1 - e.unknown for e in evidence], answerable):.3f}")
    # Off-topic questions are refused whatever their score; the table counts them as scoring 0.
    scores = [0.0 if e.off_topic else e.score for e in evidence]
    print(f"  off-topic rule: {sum(e.off_topic for e, a in zip(evidence, answerable) if not a)} unanswerable and "
          f"{sum(e.off_topic for e, a in zip(evidence, answerable) if a)} answerable questions")
    rows = threshold_table(scores, answerable)
    print("\nthreshold  refusal-accuracy  false-refusals  accuracy")
    for r in rows:
        if 0.1 <= r.threshold <= 0.7:
            print(f"  {r.threshold:5.3f}     {r.refusal_accuracy:6.3f}           {r.false_refusals:6.3f}        {r.accuracy:6.3f}")
    chosen = recommend(rows)
    print(f"\nrecommended refusal_threshold = {chosen.threshold:.3f} (refusal accuracy {chosen.refusal_accuracy:.3f}, "
          f"false refusals {chosen.false_refusals:.3f}); configured: {settings.answer.refusal_threshold:.3f}")
    if args.fit:
        weights, row = _fit(evidence, answerable)
        print(f"best weights (similarity, coverage, sentence) = {weights}: threshold {row.threshold:.2f}, "
              f"refusal accuracy {row.refusal_accuracy:.3f}, false refusals {row.false_refusals:.3f}")
    for (q, a), e in zip(questions, evidence):
        if (not e.sufficient(settings.answer.refusal_threshold)) == a:
            print(f"  {'wrongly refused' if a else 'answered'}: {e.score:.3f} {q}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
