"""Training the sentence ranker: ``python -m eval.train_ranker`` (``make train``).

Every answerable question of the training sets is asked up to the ranking
stage; each candidate sentence becomes one example, labelled 1 when it is (part
of) a gold evidence string of the question, else 0. A logistic regression
(scikit-learn, L2, lbfgs: deterministic) learns the weights of
:data:`assistant.answer.features.FEATURE_NAMES`, written to
``assistant/answer/ranker_weights.json`` with the fingerprints of the data it
learned from. Questions whose gold evidence no candidate holds (a retrieval
miss) teach the ranker nothing and are counted apart.

The old holdout and the blind split are never trained on; the report's
cross-validated figure (folds by question) is the honest in-sample measure.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from assistant.answer import features
from assistant.answer.features import FEATURE_NAMES
from assistant.answer.ranker import WEIGHTS_FILE, RankerWeights
from eval.datasets import DATASETS_DIR, DEV_SET, EvalQuestion, load_questions
from eval.matching import normalise

# The labelled questions the ranker learns from: dev and the training sets; never the holdout or blind split.
TRAIN_FILES: tuple[Path, ...] = (DEV_SET, DATASETS_DIR / "train-gids.jsonl", DATASETS_DIR / "train-docs.jsonl")
# The module that computes the features: weights learned with other code do not fit it.
FEATURES_CODE = Path(features.__file__)
# L2 strength: of {0.1, 0.3, 1, 3, 10}, 5-fold cross-validation by question gave top-1 precision 0.390, 0.401,
# 0.404, 0.415, 0.418 (pairwise logistic regression 0.401, gradient-boosted trees 0.432: not a clear win).
C = 10.0
FOLDS = 5
MIN_EVIDENCE_WORDS = 3  # shorter than this, a sentence or gold string says too little to be labelled by containment


@dataclass(frozen=True)
class Examples:
    """The feature rows of every candidate, their labels and the question each belongs to."""

    X: np.ndarray
    y: np.ndarray
    groups: np.ndarray
    questions: int  # questions that gave at least one positive candidate
    missed: int  # answerable questions none of whose candidates holds gold evidence


def is_gold(sentence: str, evidence: Sequence[str]) -> bool:
    """True if the sentence is part of a gold evidence string, or holds a short one whole."""
    text = f" {normalise(sentence)} "
    if len(text.split()) < MIN_EVIDENCE_WORDS:
        return False
    for gold in evidence:
        g = f" {normalise(gold)} "
        if text in g or (len(g.split()) >= MIN_EVIDENCE_WORDS and g in text):
            return True
    return False


def collect_examples(assistant: Any, questions: Sequence[EvalQuestion], progress: bool = False) -> Examples:
    """Ask each answerable question up to the ranking stage and label its candidates."""
    rows: list[tuple[float, ...]] = []
    labels: list[int] = []
    groups: list[int] = []
    used = missed = 0
    for qid, q in enumerate(questions):
        if not q.answerable:
            continue
        _, _, ranked = assistant.ranked(q.question)
        gold = [e.text for e in q.evidence]
        y = [int(is_gold(s.sentence.text, gold)) for s in ranked]
        if not any(y):
            missed += 1
            continue
        used += 1
        rows.extend(s.features for s in ranked)
        labels.extend(y)
        groups.extend([qid] * len(ranked))
        if progress and used % 25 == 0:
            print(f"  {used} vragen", file=sys.stderr)
    X = np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURE_NAMES))
    return Examples(X, np.asarray(labels), np.asarray(groups), used, missed)


def fit(examples: Examples, c: float = C) -> tuple[np.ndarray, float]:
    """Logistic regression weights and bias for the examples (deterministic)."""
    from sklearn.linear_model import LogisticRegression

    model = LogisticRegression(C=c, solver="lbfgs", max_iter=2000)
    model.fit(examples.X, examples.y)
    return model.coef_[0], float(model.intercept_[0])


def top1_precision(examples: Examples, weights: np.ndarray, bias: float, mask: np.ndarray | None = None) -> float:
    """Share of questions whose best-scored candidate is gold evidence."""
    scores = examples.X @ weights + bias
    hits = total = 0
    for g in np.unique(examples.groups if mask is None else examples.groups[mask]):
        idx = np.flatnonzero(examples.groups == g)
        hits += int(examples.y[idx[np.argmax(scores[idx])]] == 1)
        total += 1
    return hits / total if total else 0.0


def cross_validate(examples: Examples, c: float = C, folds: int = FOLDS) -> float:
    """Top-1 precision on held-out questions, folds by question (every fifth question id)."""
    unique = np.unique(examples.groups)
    results = []
    for f in range(folds):
        held = np.isin(examples.groups, unique[f::folds])
        train = Examples(examples.X[~held], examples.y[~held], examples.groups[~held], 0, 0)
        weights, bias = fit(train, c)
        results.append(top1_precision(examples, weights, bias, held))
    return float(np.mean(results))


def fingerprint(path: Path) -> str:
    """A short SHA-256 of a training file: the weights record what they learned from."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def train(assistant: Any, files: Sequence[Path] = TRAIN_FILES, progress: bool = False) -> tuple[RankerWeights, dict[str, float]]:
    """Learn the weights from ``files``; also return the cross-validated and in-sample top-1 precision."""
    present = [f for f in files if f.exists()]
    questions = [q for f in present for q in load_questions(f)]
    examples = collect_examples(assistant, questions, progress)
    weights, bias = fit(examples)
    figures = {"cv_top1": cross_validate(examples), "train_top1": top1_precision(examples, weights, bias)}
    trained_on = {"files": {f.name: fingerprint(f) for f in present}, "features_code": fingerprint(FEATURES_CODE),
                  "questions": examples.questions,
                  "retrieval_misses": examples.missed, "examples": int(len(examples.y)),
                  "positives": int(examples.y.sum()), "C": C, "cv_top1": round(figures["cv_top1"], 4)}
    return RankerWeights(FEATURE_NAMES, tuple(float(w) for w in weights), bias, trained_on), figures


def weights_table(weights: RankerWeights) -> str:
    """The README's table of features and learned weights, largest effect first."""
    from assistant.answer.features import FEATURES

    rows = sorted(zip(weights.names, weights.weights), key=lambda p: -abs(p[1]))
    lines = ["| feature | what it measures | weight |", "|---|---|---|"]
    lines += [f"| `{name}` | {FEATURES[name]} | {w:+.2f} |" for name, w in rows]
    lines.append(f"| (bias) | | {weights.bias:+.2f} |")
    return "\n".join(lines)


def trainer_arguments(prog: str, doc: str, out: Path, argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line of a trainer: where to write the weights, or only check the shipped ones."""
    parser = argparse.ArgumentParser(prog=prog, description=doc.splitlines()[0])
    parser.add_argument("--out", type=Path, default=out)
    parser.add_argument("--check", action="store_true", help="schrijf niets; meld of de geleverde gewichten kloppen")
    return parser.parse_args(argv)


@contextmanager
def neutral_assistant(setting: str, names: tuple[str, ...]) -> Iterator[Any]:
    """An assistant on the configured index whose weights file ``setting`` (an ``answer`` setting) is neutral.

    Features do not depend on the weights; a neutral file lets the engine start even when the shipped weights no
    longer fit the code (which is when training is needed)."""
    from assistant.answer.engine import Assistant
    from opgavewijzer.cli.main import prepare_process
    from opgavewijzer.settings import Settings

    prepare_process()
    with tempfile.TemporaryDirectory(prefix="opgavewijzer-train-") as folder:
        neutral = Path(folder) / "neutral.json"
        neutral.write_text(RankerWeights(names, (0.0,) * len(names), 0.0, {}).to_json(), encoding="utf-8")
        yield Assistant.from_settings(Settings().override(**{f"answer__{setting}": neutral}))


def write_or_check(args: argparse.Namespace, weights: RankerWeights) -> int:
    """Write the weights to ``args.out``, or with ``--check`` only say whether the file holds them (exit code)."""
    if args.check:
        same = args.out.read_text(encoding="utf-8") == weights.to_json()
        print("de geleverde gewichten kloppen" if same else "de geleverde gewichten wijken af: draai make train")
        return 0 if same else 1
    args.out.write_text(weights.to_json(), encoding="utf-8")
    print(f"geschreven: {args.out.name}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Train on the training sets and write the weights file (``--check``: only compare with the shipped one)."""
    args = trainer_arguments("python -m eval.train_ranker", __doc__, WEIGHTS_FILE, argv)
    with neutral_assistant("ranker_weights", FEATURE_NAMES) as assistant:
        weights, figures = train(assistant, progress=True)
    print(f"{weights.trained_on['questions']} vragen, {weights.trained_on['examples']} zinnen "
          f"({weights.trained_on['positives']} goud), {weights.trained_on['retrieval_misses']} zonder goud in de kandidaten; "
          f"top-1 kruisvalidatie {figures['cv_top1']:.3f}, op de trainingsdata {figures['train_top1']:.3f}")
    print(weights_table(weights))
    return write_or_check(args, weights)

if __name__ == "__main__":
    raise SystemExit(main())
