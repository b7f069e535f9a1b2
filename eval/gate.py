"""The CI gate: the default pipeline's retrieval on the dev set must not get worse.

``eval/baseline.json`` holds the hybrid system's figures on ``dev.jsonl``,
per question as well as averaged, with the configuration that produced them.
The gate re-runs the evaluation and fails when a gated metric falls more than
:data:`TOLERANCE` below the baseline. Both sides are averaged over the
questions they have in common, so adding questions to the dev set does not
trip the gate by itself. Regenerate the baseline deliberately with
``opgavewijzer eval retrieval --update-baseline``.
"""

from __future__ import annotations

import json
import tempfile
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterator

from eval.datasets import EvalQuestion
from eval.matching import EvidenceMatcher
from eval.retrieval_eval import DEFAULT_DEPTH, SystemResult, evaluate_system
from eval.systems import DEFAULT_SYSTEM, KnowledgeBaseSystem
from kb.knowledge_base import KnowledgeBase
from opgavewijzer.errors import ConfigError
from opgavewijzer.settings import PROJECT_ROOT, Settings

BASELINE_FILE = Path(__file__).resolve().parent / "baseline.json"
GATED_METRICS: tuple[str, ...] = ("recall@6000chars", "recall@5", "mrr@10")
TOLERANCE = 0.02
UPDATE_COMMAND = "opgavewijzer eval retrieval --update-baseline"


@dataclass(frozen=True)
class Baseline:
    """Stored figures of one system on one question set."""

    dataset: str
    system: str
    created: str
    config: dict[str, Any]
    metrics: dict[str, float]
    questions: dict[str, dict[str, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class Regression:
    """A gated metric that fell below the baseline by more than the tolerance."""

    metric: str
    baseline: float
    current: float
    questions: tuple[str, ...]  # ids whose score on this metric got worse
    lower_is_better: bool = False  # e.g. the share of answers quoting furniture

    def describe(self) -> str:
        """One line naming the metric, both values and the questions that got worse."""
        names = ", ".join(self.questions) if self.questions else "(geen afzonderlijke vraag)"
        sign = ">" if self.lower_is_better else "<"
        return (
            f"{self.metric}: {self.current:.3f} {sign} baseline {self.baseline:.3f} "
            f"({self.current - self.baseline:+.3f}); slechter: {names}"
        )


def pipeline_config(kb: KnowledgeBase) -> dict[str, Any]:
    """What determines the default pipeline's retrieval: stored with the baseline to explain a change."""
    s = kb.settings.retrieval
    return {
        "embedding_model": kb.info.embedding_model,
        "pipeline": kb.info.pipeline,
        "passages": len(kb.chunks),
        "candidates": s.candidates,
        "rrf_k": s.rrf_k,
        "bm25_weight": s.bm25_weight,
        "dense_weight": s.dense_weight,
        "dedup_threshold": s.dedup_threshold,
        "stemmer": s.stemmer,
    }


@contextmanager
def default_corpus_kb(show_progress: bool = False) -> Iterator[KnowledgeBase]:
    """A fresh index of the shipped corpus with default settings, in a temporary folder.

    This is what the gate test measures, so a baseline made from it cannot
    differ from the gate because of a stale local index, uploaded documents or
    a ``.env`` file.
    """
    from ingest.pipeline import run_ingest

    with tempfile.TemporaryDirectory(prefix="opgavewijzer-baseline-", ignore_cleanup_errors=True) as folder:
        settings = Settings(_env_file=None, data_dir=Path(folder), corpus_dir=PROJECT_ROOT / "corpus").override(embedding__backend="e5")
        report = run_ingest(settings, show_progress=show_progress)
        if not report.ok:
            raise ConfigError(f"het corpus kon niet volledig worden ingelezen: {'; '.join(str(e) for e in report.failed)}")
        yield KnowledgeBase(settings)


def evaluate_default(kb: KnowledgeBase, questions: list[EvalQuestion], show_progress: bool = False) -> SystemResult:
    """The default (hybrid) system evaluated as the baseline and the gate measure it."""
    return evaluate_system(KnowledgeBaseSystem(kb, DEFAULT_SYSTEM), questions, EvidenceMatcher(), DEFAULT_DEPTH, show_progress)


def baseline_from(result: SystemResult, dataset: str, config: dict[str, Any]) -> Baseline:
    """A baseline from a fresh evaluation result."""
    return Baseline(
        dataset=dataset,
        system=result.name,
        created=time.strftime("%Y-%m-%d"),
        config=config,
        metrics={k: round(v, 4) for k, v in result.summary().items()},
        questions={o.question.id: {k: round(v, 4) for k, v in o.metrics.items()} for o in result.outcomes},
    )


def save_baseline(baseline: Baseline, path: Path = BASELINE_FILE) -> None:
    """Write the baseline as readable, diff-friendly JSON, keeping the answer part (see :mod:`eval.answer_gate`)."""
    data = asdict(baseline)
    if path.is_file():
        kept = {k: v for k, v in json.loads(path.read_text(encoding="utf-8")).items() if k not in data}
        data.update(kept)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_baseline(path: Path = BASELINE_FILE) -> Baseline:
    """Read a baseline; :class:`ConfigError` naming the file if it is missing or malformed."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        # The file also holds the answer baseline (eval/answer_gate.py); the retrieval gate reads only its own part.
        return Baseline(**{k: v for k, v in data.items() if k in Baseline.__dataclass_fields__})
    except FileNotFoundError as exc:
        raise ConfigError(f"{path.name}: geen baseline; maak er een met '{UPDATE_COMMAND}'") from exc
    except (json.JSONDecodeError, TypeError, AttributeError) as exc:
        raise ConfigError(f"{path.name}: geen geldige baseline ({exc}); maak hem opnieuw met '{UPDATE_COMMAND}'") from exc


def compare(
    baseline: Baseline, current: SystemResult, tolerance: float = TOLERANCE, metrics: tuple[str, ...] = GATED_METRICS
) -> list[Regression]:
    """The gated metrics that fell more than ``tolerance`` below the baseline (empty: the gate passes)."""
    now = {o.question.id: o.metrics for o in current.outcomes}
    common = [qid for qid in baseline.questions if qid in now]
    if not common:
        raise ConfigError(
            f"de baseline deelt geen enkele vraag met de huidige run; maak hem opnieuw met '{UPDATE_COMMAND}'"
        )
    regressions = []
    for metric in metrics:
        before = sum(baseline.questions[q][metric] for q in common) / len(common)
        after = sum(now[q][metric] for q in common) / len(common)
        if after < before - tolerance:
            worse = tuple(q for q in common if now[q][metric] < baseline.questions[q][metric] - 1e-9)
            regressions.append(Regression(metric, before, after, worse))
    return regressions


def gate_message(
    regressions: list[Regression], baseline: Baseline, tolerance: float = TOLERANCE, config: dict[str, Any] | None = None
) -> str:
    """The failure message of the gate: every regressed metric on its own line, then what changed in the configuration."""
    lines = [f"retrieval van '{baseline.system}' op {baseline.dataset} is meer dan {tolerance} slechter dan de baseline:"]
    lines += [f"  {r.describe()}" for r in regressions]
    changed = [f"{k}: {baseline.config.get(k)} -> {v}" for k, v in (config or {}).items() if baseline.config.get(k) != v]
    if changed:
        lines.append(f"Configuratie sinds de baseline veranderd: {'; '.join(changed)}")
    lines.append(f"Bewust veranderd? Werk de baseline bij met '{UPDATE_COMMAND}'.")
    return "\n".join(lines)
