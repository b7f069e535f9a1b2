"""The CI gate: the default pipeline's retrieval on the dev set may not fall below the stored baseline."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.datasets import DEV_SET, EvalQuestion, Evidence, load_questions
from eval.gate import (
    GATED_METRICS,
    TOLERANCE,
    Baseline,
    baseline_from,
    compare,
    evaluate_default,
    gate_message,
    load_baseline,
    pipeline_config,
    save_baseline,
)
from eval.retrieval_eval import QuestionOutcome, SystemResult
from opgavewijzer.errors import ConfigError


def result(scores: dict[str, float]) -> SystemResult:
    """A hybrid result whose questions all score ``scores[qid]`` on every metric."""
    outcomes = [
        QuestionOutcome(
            EvalQuestion(qid, "?", "fact", "nl", True, (Evidence("d", "x"),)),
            (), (), {m: v for m in ("hit@1", *GATED_METRICS)}, 0.01, (),
        )
        for qid, v in scores.items()
    ]
    return SystemResult("hybrid", "", 0.0, outcomes)


BASE = baseline_from(result({"q1": 1.0, "q2": 1.0, "q3": 0.5, "q4": 0.5}), "dev.jsonl", {"candidates": 40})


def test_small_changes_within_the_tolerance_pass() -> None:
    # q3 drops by 0.06: the mean drops by 0.015 < 0.02.
    assert compare(BASE, result({"q1": 1.0, "q2": 1.0, "q3": 0.44, "q4": 0.5})) == []
    assert compare(BASE, result({"q1": 1.0, "q2": 1.0, "q3": 1.0, "q4": 1.0})) == []


def test_a_regression_names_metric_values_and_questions() -> None:
    current = result({"q1": 0.5, "q2": 1.0, "q3": 0.25, "q4": 0.75})  # mean 0.625 vs 0.75
    regressions = compare(BASE, current)
    assert [r.metric for r in regressions] == list(GATED_METRICS)
    assert regressions[0].questions == ("q1", "q3")  # q4 improved
    assert regressions[0].describe() == "recall@6000chars: 0.625 < baseline 0.750 (-0.125); slechter: q1, q3"
    message = gate_message(regressions, BASE, TOLERANCE, config={"candidates": 20})
    assert message.splitlines()[0] == "retrieval van 'hybrid' op dev.jsonl is meer dan 0.02 slechter dan de baseline:"
    assert "  mrr@10: 0.625 < baseline 0.750 (-0.125); slechter: q1, q3" in message.splitlines()
    assert "Configuratie sinds de baseline veranderd: candidates: 40 -> 20" in message
    assert message.endswith("'opgavewijzer eval retrieval --update-baseline'.")


def test_questions_added_after_the_baseline_do_not_count() -> None:
    # A new, badly answered question is no regression of the existing ones.
    assert compare(BASE, result({"q1": 1.0, "q2": 1.0, "q3": 0.5, "q4": 0.5, "q-new": 0.0})) == []
    with pytest.raises(ConfigError, match="de baseline deelt geen enkele vraag met de huidige run"):
        compare(BASE, result({"other": 1.0}))


def test_baseline_round_trip_and_errors(tmp_path: Path) -> None:
    save_baseline(BASE, tmp_path / "b.json")
    assert load_baseline(tmp_path / "b.json") == BASE
    with pytest.raises(ConfigError) as err:
        load_baseline(tmp_path / "missing.json")
    assert str(err.value) == "missing.json: geen baseline; maak er een met 'opgavewijzer eval retrieval --update-baseline'"
    (tmp_path / "bad.json").write_text('{"dataset": "dev.jsonl"}', encoding="utf-8")
    with pytest.raises(ConfigError, match="bad.json: geen geldige baseline"):
        load_baseline(tmp_path / "bad.json")


def test_the_stored_baseline_is_for_the_default_system_on_the_dev_set() -> None:
    baseline = load_baseline()
    assert (baseline.dataset, baseline.system) == ("dev.jsonl", "hybrid")
    dev = {q.id for q in load_questions(DEV_SET) if q.answerable}
    assert set(baseline.questions) <= dev and len(baseline.questions) >= 0.9 * len(dev)
    assert all(set(GATED_METRICS) <= set(scores) for scores in baseline.questions.values())


@pytest.mark.slow
def test_default_retrieval_does_not_regress_on_the_dev_set(corpus_kb) -> None:  # noqa: ANN001
    """Runs the hybrid retrieval eval on the real corpus index and compares it with eval/baseline.json."""
    baseline: Baseline = load_baseline()
    current = evaluate_default(corpus_kb, load_questions(DEV_SET))
    regressions = compare(baseline, current)
    assert not regressions, gate_message(regressions, baseline, TOLERANCE, pipeline_config(corpus_kb))
