"""Features: every signal about a (question, sentence) pair, as a named number.

Like a learning-to-rank feature set (Vespa's rank features, Elasticsearch's
LTR feature sets), each signal the answer engine uses is one named column of a
matrix, computed the same way for every document, shipped or added. The
ranker (:mod:`assistant.answer.ranker`) weighs them with weights learned from
labelled questions; ``opgavewijzer ask --explain`` shows them per sentence.
No signal is a branch of its own: a question kind only switches a feature on
(``reason`` is the reason cue of a sentence *for a why-question*).

Values lie in [0, 1] (most are 0/1 indicators), so that the learned weights
can be compared in the README's table. The list :data:`FEATURES` is the order
of the columns and of the weights file; change it and ``make train`` must run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np

from assistant.answer.answer_types import has_type, years
from assistant.answer.candidates import Candidate
from assistant.answer.neighbours import LEANS_BACK
from assistant.answer.plan import QuestionPlan
from assistant.support import SupportScorer

# What each feature measures; the README's feature table is printed from this.
FEATURES: dict[str, str] = {
    "passage_rank": "1 / (1 + rank) of the passage the sentence was found in",
    "passage_meaning": "e5 similarity of that passage to the question (scaled)",
    "focus": "IDF-weighted share of the question's focus terms in the sentence (a quoted term decides half)",
    "focus_rel": "focus divided by the best focus among the candidates",
    "bm25_rel": "BM25 of the sentence against the question, divided by the best candidate's",
    "quoted": "share of the terms the question puts in quotes that the sentence holds",
    "heading": "share of the focus terms in the sentence's section heading",
    "meaning": "e5 cosine of question and sentence (scaled)",
    "meaning_rel": "e5 cosine relative to the best candidate's (1 = best)",
    "meaning_window": "e5 cosine of the question and the sentence with its neighbours (scaled)",
    "meaning_en": "meaning, for an English question (its Dutch words are few)",
    "focus_en": "focus, for an English question",
    "type_specific": "a number/date/name/place question, and the sentence holds that type",
    "type_about": "as type_specific, in a sentence about the focus (at least half the best focus)",
    "period": "the question names a year and the sentence names it too",
    "period_other": "the question names a year and the sentence names only other years",
    "reason": "a why-question, and the sentence gives a reason (omdat, doordat, daarom …)",
    "steps": "a how-question, and the sentence reads as a step or way of working",
    "defines": "a what-is question, and the sentence defines its subject (X is …)",
    "definition_cue": "a what-is question, and the sentence has a defining phrase",
    "list_announce": "a list question, and the sentence announces a list (ends with ':')",
    "list_item": "a list question, and the sentence is a list item",
    "profile_asked": "part of the asked-for piece of a named role's profile (pitfall, strength …)",
    "profile": "part of a named role's profile",
    "opens_paragraph": "the sentence starts a paragraph",
    "first_in_passage": "the first quotable sentence of its passage",
    "leans_back": "starts with a word that leans on the sentence before (Dit, Daarom …)",
    "meta": "talks about the text itself (In dit hoofdstuk …)",
    "length": "number of words / 60, capped at 1",
    "short": "fewer than 8 words",
    "neighbour_focus": "focus_rel of the best adjacent candidate: next to a strong sentence",
    "named_doc": "in a document the question names",
}
FEATURE_NAMES: tuple[str, ...] = tuple(FEATURES)

# e5 cosines live in a narrow band; this maps the band onto [0, 1] (the band seen on the dev split).
DENSE_FLOOR, DENSE_SPAN = 0.75, 0.17
BM25_K1, BM25_B, BM25_AVG_TERMS = 1.2, 0.75, 12.0  # BM25's usual k1 and b; a sentence holds about 12 content terms
QUOTED_SHARE = 0.5  # share of the focus a quoted term decides (as before the ranker; few labels quote a term)
ABOUT_FOCUS = 0.5  # share of the best focus a sentence needs before its answer type counts as "about"
LONG_WORDS, SHORT_WORDS = 60, 8
_META = re.compile(
    r"\b(?:in dit (?:hoofdstuk|deel|essay|rapport|verslag|stuk)|in deze (?:paragraaf|gids|notitie|bijlage)|"
    r"(?:kijken|gaan|staan|bespreken|beschrijven|behandelen|geven) we\b|we (?:kijken|bespreken|beschrijven|"
    r"behandelen|gaan in op|staan stil)|in het volgende|hieronder (?:staat|volgt|lees)|zie (?:ook )?(?:hoofdstuk|paragraaf|bijlage))",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^(?:\d{1,2}[.)]|[-–•])\s")


def dense_scale(cosine: float) -> float:
    """An e5 cosine mapped to [0, 1] (0 at and below ``DENSE_FLOOR``)."""
    return float(min(1.0, max(0.0, (cosine - DENSE_FLOOR) / DENSE_SPAN)))


@dataclass(frozen=True)
class FeatureContext:
    """What the features of one question need besides the candidates."""

    plan: QuestionPlan
    cosines: Sequence[float]  # e5 cosine of the question and each candidate
    windows: Sequence[float]  # the same with the candidate read between its neighbours
    defines: re.Pattern[str] | None = None  # matches a sentence defining the subject of a what-is question
    profile_asked: bool = False  # the question asks for a particular part of a role profile


def feature_matrix(candidates: Sequence[Candidate], context: FeatureContext, scorer: SupportScorer) -> np.ndarray:
    """One row per candidate, one column per name of :data:`FEATURE_NAMES`."""
    plan = context.plan
    focus_terms = scorer.terms(" ".join(plan.focus)) or scorer.terms(plan.question)
    quoted_terms = scorer.terms(" ".join(plan.quoted))
    query_terms = scorer.terms(plan.search_text or plan.question)
    asked_years = years(plan.question)
    terms = [scorer.terms(c.sentence.text) for c in candidates]
    focus = np.array([_focus(focus_terms, quoted_terms, t, scorer) for t in terms])
    bm25 = np.array([_bm25(query_terms, t, scorer) for t in terms])
    cosine = np.asarray(context.cosines, dtype=float)
    best_cos = float(cosine.max()) if len(cosine) else 0.0
    focus_rel = focus / focus.max() if len(focus) and focus.max() > 0 else np.zeros(len(candidates))
    english = float(plan.lang == "en")
    rows = []
    for k, c in enumerate(candidates):
        s = c.sentence
        words = len(s.text.split())
        typed = plan.specific and has_type(s.text, plan.expects)
        named_years = years(s.text)
        row = {
            "passage_rank": 1.0 / (1 + c.hit),
            "passage_meaning": dense_scale(c.passage_similarity),
            "focus": focus[k],
            "focus_rel": focus_rel[k],
            "bm25_rel": bm25[k] / bm25.max() if bm25.max() > 0 else 0.0,
            "quoted": scorer.coverage(quoted_terms, terms[k]) if quoted_terms else 0.0,
            "heading": scorer.coverage(focus_terms, scorer.terms(s.section)) if s.section else 0.0,
            "meaning": dense_scale(cosine[k]),
            "meaning_rel": max(0.0, 1.0 - (best_cos - cosine[k]) / DENSE_SPAN),
            "meaning_window": dense_scale(context.windows[k]),
            "meaning_en": english * dense_scale(cosine[k]),
            "focus_en": english * focus[k],
            "type_specific": float(typed),
            "type_about": float(typed and focus_rel[k] >= ABOUT_FOCUS),
            "period": float(bool(asked_years & named_years)),
            "period_other": float(bool(asked_years) and bool(named_years) and not asked_years & named_years),
            "reason": float(plan.kind == "why" and has_type(s.text, "reason")),
            "steps": float(plan.kind == "how" and has_type(s.text, "steps")),
            "defines": float(context.defines is not None and bool(context.defines.match(s.text))),
            "definition_cue": float(plan.kind == "definition" and has_type(s.text, "definition")),
            "list_announce": float(plan.kind == "list" and s.text.rstrip().endswith(":")),
            "list_item": float(plan.kind == "list" and (s.role == "list_item" or bool(_NUMBERED.match(s.text)))),
            "profile_asked": float(c.in_profile and context.profile_asked),
            "profile": float(c.in_profile),
            "opens_paragraph": float(s.opens_paragraph),
            "first_in_passage": float(k == 0 or candidates[k - 1].hit != c.hit),
            "leans_back": float(bool(LEANS_BACK.match(s.text))),
            "meta": float(bool(_META.search(s.text))),
            "length": min(words, LONG_WORDS) / LONG_WORDS,
            "short": float(words < SHORT_WORDS),
            "neighbour_focus": _neighbour_focus(candidates, focus_rel, k),
            "named_doc": float(s.doc_id in plan.doc_ids),
        }
        rows.append([row[name] for name in FEATURE_NAMES])
    return np.asarray(rows, dtype=float).reshape(len(candidates), len(FEATURE_NAMES))


def _focus(focus: frozenset[str], quoted: frozenset[str], sentence: frozenset[str], scorer: SupportScorer) -> float:
    """Coverage of the focus; a term the question puts in quotes is what it is about, so it decides half."""
    covered = scorer.coverage(focus, sentence)
    return covered if not quoted else (1 - QUOTED_SHARE) * covered + QUOTED_SHARE * scorer.coverage(quoted, sentence)


def _bm25(query: frozenset[str], sentence: frozenset[str], scorer: SupportScorer) -> float:
    """BM25 of a sentence (as a bag of distinct stems) against the question's stems."""
    norm = BM25_K1 * (1 - BM25_B + BM25_B * len(sentence) / BM25_AVG_TERMS)
    return sum(scorer.weights.idf(t) * (BM25_K1 + 1) / (1 + norm) for t in query if t in sentence)


def _neighbour_focus(candidates: Sequence[Candidate], focus_rel: np.ndarray, k: int) -> float:
    """The best relative focus of the candidates right before and after this one in its document."""
    s = candidates[k].sentence
    best = 0.0
    for j in (k - 1, k + 1):
        if 0 <= j < len(candidates):
            other = candidates[j].sentence
            if other.doc_id == s.doc_id and abs(other.index - s.index) == 1:
                best = max(best, float(focus_rel[j]))
    return best
