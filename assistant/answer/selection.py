"""Selection: the candidate sentences of the retrieved passages, ranked by the learned ranker.

candidates (:mod:`~assistant.answer.candidates`) → meaning (e5 cosines,
:mod:`~assistant.answer.meaning`) → features (:mod:`~assistant.answer.features`)
→ rank (:mod:`~assistant.answer.ranker`). The result, :class:`Scored`, keeps
each sentence's feature row so that ``--explain`` can say why it ranked where
it did, and the probability that it answers the question as its score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from assistant.answer.answer_types import has_type
from assistant.answer.candidates import Candidate, collect
from assistant.answer.features import FEATURE_NAMES, FeatureContext, feature_matrix
from assistant.answer.meaning import Meaning
from assistant.answer.plan import QuestionPlan
from assistant.answer.ranker import SentenceRanker
from assistant.answer.role_facts import RoleFacts
from assistant.support import SupportScorer
from kb.sentences import SentenceIndex
from kb.types import Hit, Sentence

_FOCUS = FEATURE_NAMES.index("focus")


@dataclass(frozen=True)
class Scored:
    """One candidate sentence, scored against the question."""

    sentence: Sentence
    hit: int  # rank position of the passage it was found in
    focus: float  # IDF-weighted share of the focus terms it holds
    typed: bool  # holds the answer type the question expects
    dense: float = 0.0  # e5 cosine with the question
    score: float = 0.0  # the ranker's probability that it answers the question
    role_bonus: float = 0.0  # part of a named role's profile (1: the asked-for part)
    features: tuple[float, ...] = ()  # its row of the feature matrix, in FEATURE_NAMES order


class SentenceSelector:
    """Collects, describes and ranks the candidate sentences for a question; shared by all sessions."""

    def __init__(self, scorer: SupportScorer, sentences: SentenceIndex, meaning: Meaning, ranker: SentenceRanker) -> None:
        self.scorer = scorer
        self.sentences = sentences
        self.meaning = meaning
        self.ranker = ranker

    def candidates(self, plan: QuestionPlan, hits: Sequence[Hit], max_hits: int = 6,
                   defines: re.Pattern[str] | None = None, roles: RoleFacts | None = None) -> list[Scored]:
        """The quotable sentences of the first ``max_hits`` passages, scored, best first, each sentence once.

        ``defines`` matches the sentence that defines what a "wat is X?" question asks about;
        ``roles`` are the profile pieces of the roles the question names.
        """
        found = collect(plan, hits, self.sentences, roles, max_hits)
        if not found:
            return []
        cosines, windows = self.meaning.cosines(plan.question, [c.sentence for c in found])
        context = FeatureContext(plan, cosines, windows, defines, bool(roles and roles.asked))
        matrix = feature_matrix(found, context, self.scorer)
        return self.rank(plan, found, matrix, cosines)

    def rank(self, plan: QuestionPlan, found: Sequence[Candidate], matrix: np.ndarray,
             cosines: Sequence[float]) -> list[Scored]:
        """The candidates with their probabilities, best first (ties: the better passage, then document order)."""
        probabilities = self.ranker.probabilities(matrix)
        scored = [Scored(c.sentence, c.hit, float(matrix[k, _FOCUS]), plan.specific and has_type(c.sentence.text, plan.expects),
                         dense=float(cosines[k]), score=float(probabilities[k]),
                         role_bonus=float(c.in_profile), features=tuple(float(v) for v in matrix[k]))
                  for k, c in enumerate(found)]
        return sorted(scored, key=lambda s: (-s.score, s.hit, s.sentence.index))
