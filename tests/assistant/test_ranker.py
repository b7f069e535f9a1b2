"""The learned sentence ranker: its features, its weights file and what it explains."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.answer.candidates import Candidate
from assistant.answer.features import FEATURE_NAMES, FEATURES, FeatureContext, feature_matrix
from assistant.answer.plan import analyse
from assistant.answer.ranker import WEIGHTS_FILE, RankerWeights, SentenceRanker
from assistant.support import SupportScorer, TermWeights
from eval.train_ranker import FEATURES_CODE, TRAIN_FILES, fingerprint, is_gold
from kb.lexical import DutchAnalyzer
from kb.types import Sentence
from opgavewijzer.errors import ConfigError

TEXTS = [
    "In 2024 had de opgave een budget van 1,2 miljoen euro.",
    "Het opgaveteam bestond uit zeven medewerkers uit drie afdelingen.",
    "Dit komt omdat de lijn de capaciteit levert.",
    "De volgende drie lessen zijn belangrijk:",
]


def _candidates() -> list[Candidate]:
    out, start = [], 0
    for i, text in enumerate(TEXTS):
        s = Sentence("doc", f"doc:{i // 2}", i, start, start + len(text), text, "body", "Budget", None, i % 2 == 0)
        out.append(Candidate(s, i // 2, 0.84))
        start += len(text) + 1
    return out


def _matrix(question: str, doc_ids: tuple[str, ...] = ()) -> dict[str, list[float]]:
    analyzer = DutchAnalyzer()
    scorer = SupportScorer(analyzer, TermWeights(analyzer, TEXTS))
    plan = analyse(question, doc_ids, question)
    cosines = [0.80, 0.85, 0.78, 0.92]
    m = feature_matrix(_candidates(), FeatureContext(plan, cosines, cosines), scorer)
    assert m.shape == (len(TEXTS), len(FEATURE_NAMES))
    return {name: [float(v) for v in m[:, k]] for k, name in enumerate(FEATURE_NAMES)}


def test_every_feature_is_documented_and_in_range() -> None:
    assert tuple(FEATURES) == FEATURE_NAMES and all(FEATURES.values())
    m = _matrix("Hoeveel medewerkers had het opgaveteam in 2024?")
    assert all(0.0 <= v <= 1.0 for column in m.values() for v in column)


def test_answer_type_and_period_features() -> None:
    m = _matrix("Wat was het budget van de opgave in 2024?")
    assert m["period"] == [1.0, 0.0, 0.0, 0.0]
    m = _matrix("Wat was het budget van de opgave in 2027?")
    assert m["period"] == [0.0, 0.0, 0.0, 0.0] and m["period_other"] == [1.0, 0.0, 0.0, 0.0]
    m = _matrix("Hoeveel medewerkers zaten in het opgaveteam?")
    # Digits and number words both count ("zeven medewerkers"); the year alone does not.
    assert m["type_specific"] == [1.0, 1.0, 0.0, 1.0]
    m = _matrix("Waarom levert de lijn de capaciteit?")
    assert m["reason"] == [0.0, 0.0, 1.0, 0.0] and m["type_specific"] == [0.0] * 4


def test_relative_and_structural_features() -> None:
    m = _matrix("Welke lessen zijn belangrijk?")
    assert m["list_announce"] == [0.0, 0.0, 0.0, 1.0]
    assert m["meaning_rel"][3] == 1.0 and m["meaning_rel"][2] < m["meaning_rel"][0] < 1.0
    assert m["passage_rank"] == [1.0, 1.0, 0.5, 0.5]
    assert m["first_in_passage"] == [1.0, 0.0, 1.0, 0.0]
    assert m["leans_back"] == [0.0, 0.0, 1.0, 0.0]
    assert m["named_doc"] == [0.0] * 4 and _matrix("Wat zegt het over lessen?", ("doc",))["named_doc"] == [1.0] * 4


def test_ranker_scores_and_explains(tmp_path: Path) -> None:
    weights = RankerWeights(FEATURE_NAMES, tuple(1.0 if n == "focus" else 0.0 for n in FEATURE_NAMES), -1.0, {})
    ranker = SentenceRanker(weights)
    rows = np.zeros((2, len(FEATURE_NAMES)))
    rows[0, FEATURE_NAMES.index("focus")] = 1.0
    assert ranker.probabilities(rows).tolist() == pytest.approx([0.5, 1 / (1 + np.e)])
    assert [(c.name, c.amount) for c in ranker.explain(rows[0])] == [("focus", 1.0)]
    path = tmp_path / "w.json"
    path.write_text(weights.to_json(), encoding="utf-8")
    assert RankerWeights.load(path) == weights


def test_a_weights_file_that_does_not_fit_the_code_is_refused(tmp_path: Path) -> None:
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    data["weights"].pop("focus")
    path = tmp_path / "ranker.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ConfigError, match="ranker.json: de features .* zijn niet die van de code"):
        RankerWeights.load(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="ranker.json: kan de gewichten niet lezen"):
        RankerWeights.load(path)


def test_the_shipped_weights_were_learned_from_the_current_labels_and_features() -> None:
    """Change a training set or the feature code and this fails until ``make train`` has run."""
    trained_on = RankerWeights.load().trained_on
    assert trained_on["files"] == {f.name: fingerprint(f) for f in TRAIN_FILES}
    assert trained_on["features_code"] == fingerprint(FEATURES_CODE)
    assert trained_on["questions"] >= 300


def test_gold_labels_are_sentences_of_the_evidence() -> None:
    evidence = ["Het opgaveteam bestond uit zeven medewerkers. Zij kwamen uit drie afdelingen."]
    assert is_gold("Zij kwamen uit drie afdelingen.", evidence)
    assert not is_gold("Zij kwamen uit vier afdelingen.", evidence)
    assert is_gold("Kortom: het opgaveteam bestond uit zeven medewerkers, zegt de gids.", ["opgaveteam bestond uit zeven medewerkers"])
    assert not is_gold("Het team.", ["Het team"])  # too short to say anything
