"""The learned sentence ranker: a logistic model over the named features.

P(sentence answers the question) = σ(bias + Σ wᵢ·xᵢ), with the weights learned
by ``make train`` (:mod:`eval.train_ranker`) from labelled questions and
shipped as ``ranker_weights.json`` beside this file. A logistic model keeps
every score explainable: the contribution of each feature is wᵢ·xᵢ, which
``opgavewijzer ask --explain`` prints. The file names its features; a file
whose names differ from :data:`assistant.answer.features.FEATURE_NAMES` is
refused on load, so code and weights cannot drift apart silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from assistant.answer.features import FEATURE_NAMES
from opgavewijzer.errors import ConfigError

WEIGHTS_FILE = Path(__file__).resolve().parent / "ranker_weights.json"
WEIGHTS_VERSION = 1


@dataclass(frozen=True)
class RankerWeights:
    """The learned weights, with what they were learned from."""

    names: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    trained_on: dict[str, object]  # dataset fingerprints, counts and the training parameters

    def to_json(self) -> str:
        """The weights file's text (stable key order, so a retrain that changes nothing changes no byte)."""
        data = {"version": WEIGHTS_VERSION, "bias": round(self.bias, 6),
                "weights": {n: round(w, 6) for n, w in zip(self.names, self.weights)},
                "trained_on": self.trained_on}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def load(cls, path: Path = WEIGHTS_FILE, names: tuple[str, ...] = FEATURE_NAMES) -> "RankerWeights":
        """Read and check a weights file for the features ``names``; ConfigError names the file and the problem."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ConfigError(f"{path.name}: kan de gewichten niet lezen ({exc})") from exc
        if data.get("version") != WEIGHTS_VERSION:
            raise ConfigError(f"{path.name}: versie {data.get('version')!r}, verwacht {WEIGHTS_VERSION}; draai make train")
        weights = data.get("weights", {})
        if tuple(weights) != names:
            raise ConfigError(f"{path.name}: de features ({', '.join(weights)}) zijn niet die van de code "
                              f"({', '.join(names)}); draai make train")
        return cls(tuple(weights), tuple(float(w) for w in weights.values()), float(data["bias"]),
                   dict(data.get("trained_on", {})))


@dataclass(frozen=True)
class Contribution:
    """One feature's part in one sentence's score."""

    name: str
    value: float
    weight: float

    @property
    def amount(self) -> float:
        """What the feature adds to the log-odds."""
        return self.value * self.weight


class SentenceRanker:
    """Scores feature rows with the learned weights."""

    def __init__(self, weights: RankerWeights) -> None:
        self.weights = weights
        self._w = np.asarray(weights.weights, dtype=float)

    def probabilities(self, matrix: np.ndarray) -> np.ndarray:
        """P(answers the question) for each row of a feature matrix."""
        if matrix.size == 0:
            return np.zeros(len(matrix))
        return 1.0 / (1.0 + np.exp(-(matrix @ self._w + self.weights.bias)))

    def explain(self, row: np.ndarray, top: int = 6) -> list[Contribution]:
        """The features that moved this row's score most, largest effect first."""
        parts = [Contribution(n, float(v), float(w)) for n, v, w in zip(self.weights.names, row, self._w)]
        return sorted((p for p in parts if p.value), key=lambda p: -abs(p.amount))[:top]
