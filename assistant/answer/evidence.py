"""Is there enough evidence to answer? The signals behind the refusal decision.

Rank-fusion scores say which passage is best, not whether it is any good, so
the decision uses calibrated signals instead: the e5 cosine of the best dense
match, how much of the question's IDF mass the best passages cover, and how
well the best single sentence answers it. ``python -m eval.calibrate``
measures them on the dev set and prints the threshold table behind
``settings.answer.refusal_threshold``.

One more rule catches plainly off-topic questions whose few words happen to
occur somewhere ("een goed recept voor erwtensoep" matches "recept"): when
nothing in the corpus is close (low dense similarity) and the question's
content words are largely words no passage uses, it is off-topic whatever the
combined score says.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Sequence

from assistant.answer.condense import topic_words
from assistant.answer.definitions import definition_pattern
from assistant.answer.gaps import Gaps
from assistant.answer.plan import QuestionPlan
from assistant.answer.features import dense_scale
from assistant.answer.selection import Scored
from assistant.support import SupportScorer
from opgavewijzer.text import Language
from kb.types import Hit

if TYPE_CHECKING:
    from assistant.answer.index_view import IndexView
    from assistant.answer.retrieval import Found

# Weights of the combined score; chosen on the dev set with assistant.calibrate.
W_SIMILARITY = 0.4
W_COVERAGE = 0.4
W_SENTENCE = 0.2
# The off-topic rule (Dutch questions only: English words are unknown to a Dutch corpus anyway).
OFF_TOPIC_SIMILARITY = 0.83
# English questions meet Dutch passages at lower cosines: the lowest answerable one on the dev split is 0.752.
OFF_TOPIC_SIMILARITY_EN = 0.75
OFF_TOPIC_UNKNOWN = 0.4


@dataclass(frozen=True)
class Evidence:
    """The signals for one question and its hits, and their combination in [0, 1]."""

    similarity: float  # best e5 cosine among the hits
    coverage: float  # best IDF-weighted share of question terms found in one of the top passages
    sentence: float  # score of the best candidate sentence
    unknown: float  # IDF share of the question's content terms that occur in no passage at all
    score: float
    off_topic: bool = False

    def sufficient(self, threshold: float) -> bool:
        """True if the evidence is strong enough to answer."""
        return self.score >= threshold and not self.off_topic


@dataclass(frozen=True)
class Decision:
    """Whether and how to answer one question, decided before any text is written."""

    ranked: list[Scored]  # every candidate sentence, best first
    evidence: Evidence
    gaps: Gaps
    off_topic: bool
    threshold: float  # the refusal threshold that applied (Dutch or English)
    answers: bool  # False: the answer is a refusal


def combine(similarity: float, coverage: float, sentence: float, lang: Language = "nl") -> float:
    """The combined evidence score in [0, 1] (see the module docstring).

    An English question shares no words with the Dutch passages, so for it
    term coverage says nothing and its weight goes to the dense signals.
    """
    if lang == "en":
        return (W_SIMILARITY * dense_scale(similarity) + W_SENTENCE * sentence) / (W_SIMILARITY + W_SENTENCE)
    return W_SIMILARITY * dense_scale(similarity) + W_COVERAGE * coverage + W_SENTENCE * sentence


def measure(question: str, hits: Sequence[Hit], candidates: Sequence[Scored], scorer: SupportScorer,
            lang: Language = "nl", content: str | None = None) -> Evidence:
    """The evidence signals for ``question`` given its hits and scored sentences.

    ``content`` is the question without question words and document names
    ("volgens de NSOB", "noemt het essay"); unknown words are counted in it.
    """
    q_terms = scorer.terms(question)
    similarity = max((h.similarity for h in hits), default=0.0)
    coverage = max((scorer.coverage(q_terms, scorer.terms(h.text)) for h in hits[:3]), default=0.0)
    sentence = candidates[0].score if candidates else 0.0
    weights = scorer.weights
    c_terms = scorer.terms(content) if content is not None else q_terms
    total = sum(weights.idf(t) for t in c_terms)
    unknown = sum(weights.idf(t) for t in c_terms if not weights.known(t)) / total if total else 0.0
    off_topic = lang == "nl" and similarity < OFF_TOPIC_SIMILARITY and unknown >= OFF_TOPIC_UNKNOWN
    return Evidence(similarity, coverage, sentence, unknown, combine(similarity, coverage, sentence, lang), off_topic)


def off_topic_question(plan: QuestionPlan, evidence: Evidence, gaps: Gaps) -> bool:
    """True for a question the sources are not about at all: it is refused rather than answered with a gap.

    Naming a document of the corpus puts a question on topic, whatever its
    other words. Otherwise a question is off topic when its words are largely
    unknown to the sources (see :func:`measure`), when a subject the sources
    never mention meets no close passage ("een treinkaartje van Utrecht naar
    Amsterdam"), or, in English, when no passage is close in meaning or none of its words has a Dutch
    equivalent in the sources.
    """
    if plan.doc_ids:
        return False
    if evidence.off_topic:
        return True
    if gaps.missing and plan.lang == "nl" and evidence.similarity < OFF_TOPIC_SIMILARITY \
            and any(word in plan.focus for word in gaps.missing):
        return True
    # An English question none of whose words the sources have in Dutch ("a good hotel for a conference") is
    # about something else: on the labelled questions every answerable English one had at least one.
    return plan.lang == "en" and (evidence.similarity < OFF_TOPIC_SIMILARITY_EN or not plan.source_terms)


def rank_candidates(plan: QuestionPlan, found: "Found", view: "IndexView") -> list[Scored]:
    """Every candidate sentence of the found passages, ranked by the learned ranker."""
    return view.selector.candidates(plan, found.hits, max_hits=len(found.hits),
                                    defines=definition_pattern(plan.question), roles=found.roles)


def measure_evidence(plan: QuestionPlan, hits: list, ranked: list[Scored], view: "IndexView") -> Evidence:
    """Evidence signals; unknown words are counted without question words and document names."""
    content = " ".join(topic_words(plan.question, view.aliases))
    return measure(plan.question, hits, ranked, view.scorer, plan.lang, content)
