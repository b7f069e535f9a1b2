"""The CI gate for answers: the default assistant's answers on the dev set must not get worse.

The ``answers`` part of ``eval/baseline.json`` holds, for every dev question,
the counts its answer added to the pooled answer metrics
(:func:`eval.answer_eval.question_counts`), with the configuration that
produced them. The gate answers the dev set again on a fresh index of the
corpus and fails when a gated metric, pooled over the questions both runs
have in common, is more than :data:`ANSWER_TOLERANCE` worse than the
baseline (lower for most metrics, higher for false refusals, quoted page
furniture and quotes off sentence boundaries) and at least
:data:`MIN_WORSE_QUESTIONS` questions got worse on it. Questions added to the dev set
later do not count until the baseline is regenerated, deliberately, with
``opgavewijzer eval answers --update-baseline``.

Latency and answer length are reported but not gated: the first depends on
the machine, the second has no better direction.
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from eval.answer_eval import LOWER_IS_BETTER, POOLS, AnswerReport, pooled, question_counts
from eval.gate import BASELINE_FILE, Regression, pipeline_config
from opgavewijzer.errors import ConfigError

ANSWERS_KEY = "answers"
GATED_ANSWER_METRICS: tuple[str, ...] = tuple(POOLS)
# A gated metric fails when it is more than ANSWER_TOLERANCE worse AND at least MIN_WORSE_QUESTIONS
# questions got worse on it. Two fresh builds of the same code can differ in one borderline answer
# (measured: one English unanswerable question refused in one build, answered in the other, with
# bit-identical embeddings), and on the 42 unanswerable dev questions one flip is 0.024; the second
# condition keeps such a wobble from failing the gate while two questions' worth of regression does.
ANSWER_TOLERANCE = 0.02
MIN_WORSE_QUESTIONS = 2
UPDATE_ANSWERS_COMMAND = "opgavewijzer eval answers --update-baseline"


@dataclass(frozen=True)
class AnswerBaseline:
    """Stored answer counts of the default assistant on one question set."""

    dataset: str
    mode: str
    created: str
    config: dict[str, Any]
    metrics: dict[str, float | None]
    questions: dict[str, dict[str, int]] = field(default_factory=dict)


def answer_config(kb: Any) -> dict[str, Any]:
    """What determines the default assistant's answers: stored with the baseline to explain a change."""
    s = kb.settings
    return {**pipeline_config(kb), "answer_mode": s.answer.mode, "top_k": s.retrieval.top_k,
            "refusal_threshold": s.answer.refusal_threshold, "support_threshold": s.answer.support_threshold}


def answer_baseline_from(report: AnswerReport, config: dict[str, Any]) -> AnswerBaseline:
    """A baseline from a fresh answer run."""
    questions = {o.question.id: question_counts(o) for o in report.outcomes}
    metrics = {m: pooled(list(questions.values()), m).value for m in GATED_ANSWER_METRICS}
    return AnswerBaseline(report.dataset, report.mode, time.strftime("%Y-%m-%d"), config,
                          {m: (round(v, 4) if v is not None else None) for m, v in metrics.items()}, questions)


def save_answer_baseline(baseline: AnswerBaseline, path: Path = BASELINE_FILE) -> None:
    """Write the answer part into the baseline file, keeping the retrieval part as it is."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data[ANSWERS_KEY] = asdict(baseline)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def load_answer_baseline(path: Path = BASELINE_FILE) -> AnswerBaseline:
    """Read the answer part; :class:`ConfigError` naming the file if it is missing or malformed."""
    try:
        return AnswerBaseline(**json.loads(path.read_text(encoding="utf-8"))[ANSWERS_KEY])
    except FileNotFoundError as exc:
        raise ConfigError(f"{path.name}: geen baseline; maak er een met '{UPDATE_ANSWERS_COMMAND}'") from exc
    except KeyError as exc:
        raise ConfigError(f"{path.name}: geen antwoord-baseline; maak er een met '{UPDATE_ANSWERS_COMMAND}'") from exc
    except (json.JSONDecodeError, TypeError) as exc:
        raise ConfigError(f"{path.name}: geen geldige antwoord-baseline ({exc}); maak hem opnieuw met "
                          f"'{UPDATE_ANSWERS_COMMAND}'") from exc


def _worse(metric: str, before: float | None, after: float | None, tolerance: float) -> bool:
    if before is None or after is None:
        return False
    return after > before + tolerance if metric in LOWER_IS_BETTER else after < before - tolerance


def compare_answers(
    baseline: AnswerBaseline, current: AnswerReport, tolerance: float = ANSWER_TOLERANCE,
    metrics: tuple[str, ...] = GATED_ANSWER_METRICS,
) -> list[Regression]:
    """The gated metrics that got more than ``tolerance`` worse than the baseline (empty: the gate passes)."""
    now = {o.question.id: question_counts(o) for o in current.outcomes}
    common = [qid for qid in baseline.questions if qid in now]
    if not common:
        raise ConfigError(f"de antwoord-baseline deelt geen enkele vraag met de huidige run; maak hem opnieuw met "
                          f"'{UPDATE_ANSWERS_COMMAND}'")
    regressions = []
    for metric in metrics:
        before = pooled([baseline.questions[q] for q in common], metric).value
        after = pooled([now[q] for q in common], metric).value
        if before is None or after is None or not _worse(metric, before, after, tolerance):
            continue
        worse = tuple(
            q for q in common
            if _worse(metric, pooled([baseline.questions[q]], metric).value, pooled([now[q]], metric).value, 1e-9)
        )
        if len(worse) >= MIN_WORSE_QUESTIONS:
            regressions.append(Regression(metric, before, after, worse, metric in LOWER_IS_BETTER))
    return regressions


def answer_gate_message(
    regressions: list[Regression], baseline: AnswerBaseline, tolerance: float = ANSWER_TOLERANCE,
    config: dict[str, Any] | None = None,
) -> str:
    """The failure message: every regressed metric on its own line, then what changed in the configuration."""
    lines = [f"antwoorden ({baseline.mode}) op {baseline.dataset} zijn meer dan {tolerance} slechter dan de baseline "
             f"(op minstens {MIN_WORSE_QUESTIONS} vragen):"]
    lines += [f"  {r.describe()}" for r in regressions]
    changed = [f"{k}: {baseline.config.get(k)} -> {v}" for k, v in (config or {}).items() if baseline.config.get(k) != v]
    if changed:
        lines.append(f"Configuratie sinds de baseline veranderd: {'; '.join(changed)}")
    lines.append(f"Bewust veranderd? Werk de baseline bij met '{UPDATE_ANSWERS_COMMAND}'.")
    return "\n".join(lines)
