"""Retrieval metrics on toy rankings, against values computed by hand."""

from __future__ import annotations

import math
from typing import Sequence

import pytest

from eval.metrics import (
    context_window,
    evidence_recall,
    evidence_recall_at_chars,
    evidence_recall_at_k,
    hit_at_k,
    mean_metrics,
    ndcg_at_k,
    percentile,
    question_metrics,
    reciprocal_rank,
)

# Ranks 3 and 5 are relevant.
RANKING = [False, False, True, False, True]


def substring_found(texts: Sequence[str], evidence: str) -> bool:
    """The simplest matcher: the evidence occurs verbatim in one of the texts."""
    return any(evidence in t for t in texts)


def test_hit_at_k_looks_only_at_the_first_k() -> None:
    assert [hit_at_k(RANKING, k) for k in (1, 2, 3, 5, 10)] == [0.0, 0.0, 1.0, 1.0, 1.0]
    assert hit_at_k([], 10) == 0.0


def test_reciprocal_rank_is_one_over_the_first_relevant_rank() -> None:
    assert reciprocal_rank(RANKING, 10) == pytest.approx(1 / 3)
    assert reciprocal_rank([True, True], 10) == 1.0
    assert reciprocal_rank(RANKING, 2) == 0.0  # first relevant is at rank 3, beyond k


def test_ndcg_uses_the_number_of_relevant_passages_in_the_index() -> None:
    # DCG = 1/log2(4) + 1/log2(6) = 0.5 + 0.386853 = 0.886853
    # R = 3: IDCG = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.630930 + 0.5 = 2.130930
    assert ndcg_at_k(RANKING, 10, n_relevant=3) == pytest.approx(0.886853 / 2.130930, abs=1e-6)
    # R defaults to the relevant passages retrieved (2): IDCG = 1.630930
    assert ndcg_at_k(RANKING, 10) == pytest.approx(0.886853 / 1.630930, abs=1e-6)
    # R can never be below what was retrieved.
    assert ndcg_at_k(RANKING, 10, n_relevant=1) == ndcg_at_k(RANKING, 10, n_relevant=2)
    assert ndcg_at_k([True, False], 10, n_relevant=1) == 1.0
    assert ndcg_at_k([False, False], 10, n_relevant=0) == 0.0


def test_ndcg_cuts_at_k() -> None:
    # Only rank 3 counts at k=3; ideal for R=3 at k=3 is the same 2.130930.
    assert ndcg_at_k(RANKING, 3, n_relevant=3) == pytest.approx(0.5 / 2.130930, abs=1e-6)
    # More relevant passages than k: the ideal has k of them.
    assert ndcg_at_k([True, True], 2, n_relevant=50) == 1.0


def test_evidence_recall_counts_each_evidence_string_once() -> None:
    texts = ["alpha bravo", "charlie", "delta echo"]
    evidence = ["bravo", "echo", "zulu"]
    assert evidence_recall(texts, evidence, substring_found) == pytest.approx(2 / 3)
    assert evidence_recall_at_k(texts, evidence, 1, substring_found) == pytest.approx(1 / 3)
    assert evidence_recall_at_k(texts, evidence, 3, substring_found) == pytest.approx(2 / 3)
    assert evidence_recall(texts, [], substring_found) == 0.0


def test_context_window_cuts_the_last_passage_at_the_budget() -> None:
    texts = ["a" * 4000, "b" * 4000, "c" * 10]
    window = context_window(texts, 6000)
    assert window == ["a" * 4000, "b" * 2000]
    assert sum(map(len, window)) == 6000
    assert context_window(["x" * 10, "y" * 10], 6000) == ["x" * 10, "y" * 10]


def test_recall_at_chars_counts_evidence_only_inside_the_budget() -> None:
    # The evidence sits at characters 5000–5011 of a single large chunk: outside a 4,000 budget, inside 6,000.
    big = "x" * 5000 + "the evidence" + "y" * 3000
    assert evidence_recall_at_chars([big], ["the evidence"], substring_found, budget=4000) == 0.0
    assert evidence_recall_at_chars([big], ["the evidence"], substring_found, budget=6000) == 1.0
    # A small chunk ranked third still fits in 6,000 characters; behind one 8,000-character chunk it does not.
    small = ["p" * 1000, "q" * 1000, "the evidence"]
    assert evidence_recall_at_chars(small, ["the evidence"], substring_found) == 1.0
    assert evidence_recall_at_chars(["z" * 8000, "the evidence"], ["the evidence"], substring_found) == 0.0


def test_question_metrics_combines_all_metrics() -> None:
    texts = ["niets", "ook niets", "de opgave staat centraal", "nog iets", "de opgave"]
    scores = question_metrics(texts, RANKING, ["staat centraal", "ontbreekt"], substring_found, n_relevant=2)
    assert scores == {
        "hit@1": 0.0, "hit@3": 1.0, "hit@5": 1.0, "hit@10": 1.0,
        "mrr@10": pytest.approx(1 / 3),
        "ndcg@10": pytest.approx(0.886853 / 1.630930, abs=1e-6),
        "recall@5": 0.5, "recall@10": 0.5, "recall@6000chars": 0.5,
    }


def test_mean_and_percentile() -> None:
    assert mean_metrics([{"a": 1.0, "b": 0.0}, {"a": 0.5, "b": 1.0}]) == {"a": 0.75, "b": 0.5}
    assert mean_metrics([]) == {}
    assert percentile([4, 1, 3, 2], 50) == 2
    assert percentile([4, 1, 3, 2], 95) == 4
    assert percentile(list(range(1, 21)), 95) == 19
    assert percentile([], 50) == 0.0
    assert math.isclose(percentile([0.25], 95), 0.25)
