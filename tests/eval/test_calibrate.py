"""The refusal calibration: threshold table, recommendation within the false-refusal budget, AUC."""

from __future__ import annotations

import pytest

from eval.calibrate import auc, recommend, threshold_table
from assistant.answer.evidence import OFF_TOPIC_SIMILARITY, Evidence, combine


def test_threshold_table_counts_refusals_on_both_sides() -> None:
    scores = [0.1, 0.2, 0.5, 0.6, 0.7, 0.8]
    answerable = [False, False, False, True, True, True]
    rows = {round(r.threshold, 3): r for r in threshold_table(scores, answerable, steps=20)}
    assert (rows[0.25].refusal_accuracy, rows[0.25].false_refusals) == (pytest.approx(2 / 3), 0.0)
    assert (rows[0.65].refusal_accuracy, rows[0.65].false_refusals) == (1.0, pytest.approx(1 / 3))
    assert rows[0.55].accuracy == 1.0


def test_recommendation_respects_the_false_refusal_budget() -> None:
    scores = [0.1, 0.3, 0.45] + [0.4] + [0.6] * 19
    answerable = [False, False, False] + [True] * 20
    chosen = recommend(threshold_table(scores, answerable, steps=100), budget=0.05)
    # Refusing the unanswerable 0.45 would also refuse the answerable 0.4: allowed, at 1/20 = 5 %.
    assert chosen.false_refusals <= 0.05 and chosen.refusal_accuracy == 1.0
    strict = recommend(threshold_table(scores, answerable, steps=100), budget=0.0)
    assert strict.false_refusals == 0.0 and strict.refusal_accuracy == pytest.approx(2 / 3)


def test_auc() -> None:
    assert auc([0.9, 0.8, 0.2], [True, True, False]) == 1.0
    assert auc([0.5, 0.5], [True, False]) == 0.5


def test_off_topic_rule_overrides_a_good_score() -> None:
    good = Evidence(similarity=0.9, coverage=0.8, sentence=0.8, unknown=0.0, score=combine(0.9, 0.8, 0.8))
    off = Evidence(similarity=OFF_TOPIC_SIMILARITY - 0.01, coverage=0.8, sentence=0.8, unknown=0.5, score=0.9, off_topic=True)
    assert good.sufficient(0.4) and not off.sufficient(0.4)
    # English questions: coverage carries no weight.
    assert combine(0.9, 0.0, 0.5, "en") == combine(0.9, 1.0, 0.5, "en")

