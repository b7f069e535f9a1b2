"""Retrieval metrics for one question's ranked passages, and their averages.

Relevance is binary: a passage is *relevant* to a question when it contains at
least one of the question's gold evidence strings (see :mod:`eval.matching`).
``relevant`` below is the list of those judgements in rank order (index 0 is
rank 1). Unanswerable questions have no evidence and are left out of every
retrieval metric; the evaluation reports how many there were.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Mapping, Sequence

# found(texts, evidence) -> True if the texts together contain the evidence.
Found = Callable[[Sequence[str], str], bool]

HIT_KS: tuple[int, ...] = (1, 3, 5, 10)
RECALL_KS: tuple[int, ...] = (5, 10)
CONTEXT_BUDGET = 6000


def hit_at_k(relevant: Sequence[bool], k: int) -> float:
    """hit@k: 1.0 if any of the first ``k`` passages is relevant, else 0.0."""
    return 1.0 if any(relevant[:k]) else 0.0


def reciprocal_rank(relevant: Sequence[bool], k: int = 10) -> float:
    """RR@k: 1 / rank of the first relevant passage within the first ``k``, 0.0 if there is none.

    Averaged over questions this is MRR@k.
    """
    for rank, rel in enumerate(relevant[:k], start=1):
        if rel:
            return 1.0 / rank
    return 0.0


def ndcg_at_k(relevant: Sequence[bool], k: int = 10, n_relevant: int | None = None) -> float:
    """nDCG@k with binary gains.

    ``DCG = sum over ranks i <= k of rel_i / log2(i + 1)``; the ideal DCG puts
    ``min(R, k)`` relevant passages at the top, where ``R = n_relevant`` is the
    number of relevant passages in the whole index (default: the number in
    ``relevant``). 0.0 when nothing is relevant.
    """
    dcg = sum(1.0 / math.log2(i + 1) for i, rel in enumerate(relevant[:k], start=1) if rel)
    total = sum(bool(r) for r in relevant) if n_relevant is None else n_relevant
    # The index cannot hold fewer relevant passages than were retrieved.
    ideal_count = min(max(total, sum(bool(r) for r in relevant[:k])), k)
    if ideal_count == 0:
        return 0.0
    idcg = sum(1.0 / math.log2(i + 1) for i in range(1, ideal_count + 1))
    return dcg / idcg


def evidence_recall(texts: Sequence[str], evidence: Sequence[str], found: Found) -> float:
    """Share of the evidence strings that the texts together contain (0.0 without evidence)."""
    if not evidence:
        return 0.0
    return sum(1 for e in evidence if found(texts, e)) / len(evidence)


def evidence_recall_at_k(texts: Sequence[str], evidence: Sequence[str], k: int, found: Found) -> float:
    """Evidence recall@k: share of the evidence strings contained in the first ``k`` passages."""
    return evidence_recall(list(texts[:k]), evidence, found)


def context_window(texts: Sequence[str], budget: int = CONTEXT_BUDGET) -> list[str]:
    """The ranked passages that fit in ``budget`` characters of context.

    Passages are taken in rank order until their lengths add up to the budget;
    the passage that crosses the budget is cut off there. Separators are not
    counted, so the window holds exactly ``min(budget, total length)``
    characters of passage text whatever the chunk size.
    """
    window: list[str] = []
    left = budget
    for text in texts:
        if left <= 0:
            break
        window.append(text[:left])
        left -= len(window[-1])
    return window


def evidence_recall_at_chars(
    texts: Sequence[str], evidence: Sequence[str], found: Found, budget: int = CONTEXT_BUDGET
) -> float:
    """Evidence recall within the first ``budget`` characters of ranked context (see :func:`context_window`).

    Unlike recall@k this does not reward large chunks (which hold more
    evidence per slot), so it compares chunkers fairly: it asks how much of
    the evidence a model would see in a fixed amount of context.
    """
    return evidence_recall(context_window(texts, budget), evidence, found)


def question_metrics(
    texts: Sequence[str],
    relevant: Sequence[bool],
    evidence: Sequence[str],
    found: Found,
    n_relevant: int | None = None,
) -> dict[str, float]:
    """Every retrieval metric for one question, keyed by its report name."""
    scores = {f"hit@{k}": hit_at_k(relevant, k) for k in HIT_KS}
    scores["mrr@10"] = reciprocal_rank(relevant, 10)
    scores["ndcg@10"] = ndcg_at_k(relevant, 10, n_relevant)
    for k in RECALL_KS:
        scores[f"recall@{k}"] = evidence_recall_at_k(texts, evidence, k, found)
    scores["recall@6000chars"] = evidence_recall_at_chars(texts, evidence, found)
    return scores


def mean_metrics(rows: Iterable[Mapping[str, float]]) -> dict[str, float]:
    """Average each metric over the rows (questions); empty input gives an empty dict."""
    rows = list(rows)
    if not rows:
        return {}
    return {key: sum(r[key] for r in rows) / len(rows) for key in rows[0]}


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by the nearest-rank method; 0.0 for no values.

    Nearest rank: the smallest value with at least ``q``% of the values at or
    below it, so p50 of [1, 2, 3, 4] is 2 and p95 of 20 values is the 19th.
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]
