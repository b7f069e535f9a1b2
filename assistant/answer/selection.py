"""Selection: which whole sentences of the retrieved passages answer the question.

Sentences come from the index (split once at ingest, with a content role).
Each is scored on what the question asks, not on general overlap or position:

- *focus*: the IDF-weighted share of the question's content words it holds;
- *meaning*: e5 similarity to the question (a shortlist only: embedding is the slow step);
- *answer type*: a "hoeveel" question needs a number, "wanneer" a date, "wie" a name,
  "waarom" a reason, "hoe" steps, "wat is" a defining sentence;
- *rank*: the passage's rank as a prior, so that a better passage breaks ties.

Headings, questions, tables of contents, captions, navigation and page
furniture are never candidates; author bios and institute blurbs only when
the question asks about authors or an organisation.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Sequence

import numpy as np

from assistant.answer.definitions import DEFINITION_BONUS
from assistant.answer.plan import QuestionPlan
from assistant.answer.role_facts import RoleFacts
from assistant.support import SupportScorer
from kb.embeddings import Embedder
from kb.sentences import SentenceIndex
from kb.types import Hit, Sentence
from opgavewijzer.text import instruction_like

# Weights of the sentence score, Dutch questions; chosen on the dev split (never the holdout):
# focus carries most, because the wrong-sentence failures were sentences that share general
# words with the question but not its subject.
W_FOCUS, W_DENSE, W_TYPE, W_RANK = 0.45, 0.3, 0.17, 0.08
# Reasons, steps and definitions have cue words in many sentences that do not answer: a smaller nudge.
W_TYPE_SOFT = 0.06
W_QUOTED = 0.5  # share of the focus score that the quoted term alone decides, when the question quotes one
TYPED_FOCUS_SHARE = 0.5  # share of the best focus a sentence needs before its answer type counts
# An English question is scored on its Dutch domain terms (see glossary.py), which are fewer: meaning counts more.
W_FOCUS_EN, W_DENSE_EN = 0.3, 0.45
# e5 cosines live in a narrow band; this maps the band onto [0, 1].
DENSE_FLOOR, DENSE_SPAN = 0.75, 0.17
# A sentence of the asked-for part of a named role's profile ("valkuil" for "waar moet ik voor oppassen?")
# is the answer, so it leads (the bonus exceeds any other score); other parts of the profile are likely
# support and get a nudge (0.1, chosen on the dev split's role questions).
ROLE_BONUS_ASKED, ROLE_BONUS = 1.0, 0.1
SHORTLIST_PASSAGE = 0.3  # weight of the passage's similarity when choosing the shortlist
SHORTLIST_PER_DOC = 3  # more sentences embedded per compared document (see _rank)
SHORTLIST = 8  # sentences embedded per question (about 15 ms each, cached across questions)
CACHE_SIZE = 5000
MIN_WORDS, MAX_WORDS = 4, 90
UNPUNCTUATED_MIN_WORDS = 10
QUOTABLE = frozenset({"body", "list_item"})
# A sentence about the text itself ("In dit hoofdstuk kijken we …") announces an answer but gives none.
META_PENALTY = 0.5
_META = re.compile(
    r"\b(?:in dit (?:hoofdstuk|deel|essay|rapport|verslag|stuk)|in deze (?:paragraaf|gids|notitie|bijlage)|"
    r"(?:kijken|gaan|staan|bespreken|beschrijven|behandelen|geven) we\b|we (?:kijken|bespreken|beschrijven|"
    r"behandelen|gaan in op|staan stil)|in het volgende|hieronder (?:staat|volgt|lees)|zie (?:ook )?(?:hoofdstuk|paragraaf|bijlage))",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?:Thema|Onderwerp|Titel|Motto|Theme|Topic|Title):\s+\S")
ABOUT_MAKERS = frozenset({"author_bio", "colophon"})

_NUMBER_WORDS = (r"twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|twintig|dertig|veertig|vijftig|"
                 r"honderd|duizend|miljoen|miljard|dozijn|tientallen|honderden|one|two|three|four|five|six|seven|"
                 r"eight|nine|ten|hundred|thousand|million|helft|kwart|derde|half|quarter|third")
# Capitalised words that start organisations and places, not people ("Nederlandse Orde van Advocaten").
_NOT_A_NAME = frozenset(
    "Nederlandse Nederland Raad Orde Vereniging Ministerie Gemeente Provincie School Rijk Rijksoverheid Tweede Eerste "
    "Kamer Staten Provinciale Stichting Bureau Dienst Zuid Noord Oost West Holland Brabant Europese Unie De Het Een "
    "In Op Bij Voor Met Van Als Dit Deze Dat Die Er Ook Wij We Zij Ze Hij".split()
)
_TYPE_PATTERNS: dict[str, re.Pattern[str]] = {
    # A count: a number that is not a year, a date or a list label, or a number word.
    "number": re.compile(rf"(?<![\d./-])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?(?![\d./-])(?!\s*(?:\)|\.\s))|\b(?:{_NUMBER_WORDS})\b", re.I),
    "percentage": re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|procent\b|percent\b)|\b(?:helft|kwart|derde|meerderheid|minderheid|"
                             r"de meeste|half|majority|minority)\b", re.I),
    "time": re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2} uur\b|\b\d{1,2}\s*(?:am|pm)\b", re.I),
    "duration": re.compile(r"\b(?:\d+|twee|drie|vier|vijf|zes|tien|twaalf)\s*(?:dagen|dag|weken|week|maanden|maand|jaar|jaren|"
                           r"uur|uren|minuten|days?|weeks?|months?|years?|hours?|minutes?)\b", re.I),
    "frequency": re.compile(r"\b(?:\d+|een|twee|drie|vier)\s*(?:keer|maal)\b|\b(?:jaarlijks|maandelijks|wekelijks|dagelijks|"
                            r"per (?:jaar|maand|week|kwartaal)|elk(?:e)? (?:jaar|maand|week|kwartaal)|ieder(?:e)? (?:jaar|maand|week))\b", re.I),
    "amount": re.compile(r"€|\beuro\b|\bmiljoen\b|\bmiljard\b|\bfte\b|\bbudget\w*\b.*\d|\d.*\bbudget", re.I),
    "date": re.compile(r"\b(?:19|20)\d{2}\b|\b\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|"
                       r"september|oktober|november|december)\b", re.I),
    "person": re.compile(r"\b(?:prof|dr|drs|mr|ir)\.\s*[A-Z]", re.UNICODE),
    # An acronym, "gemeente Rotterdam", or a capitalised name in mid-sentence ("… Groningen en Drenthe").
    "organisation": re.compile(r"\b[A-Z]{2,}\b|\b(?:gemeente|provincie|ministerie|rijksoverheid|waterschap)\s+[A-Z]\w+|"
                               r"(?<=[a-z,] )[A-Z][a-z]{3,}", re.UNICODE),
    "place": re.compile(r"\b(?:in|te|bij|naar) [A-Z][a-z]+", re.UNICODE),
    "reason": re.compile(r"\b(?:omdat|doordat|want|daardoor|daarom|reden|redenen|zodat|vanwege|leidt tot|"
                         r"leiden tot|noodzakelijk|nodig|because|oorzaak|waardoor)\b", re.I),
    "steps": re.compile(r"^(?:\d{1,2}[.)]|[-–•])|\b(?:door (?:te|de|het|een)|eerst|vervolgens|daarna|stap|stappen|"
                        r"begin|zorg|maak|organiseer|betrek|kies|werk|start|moet|kunnen|helpt|aanpak)\b", re.I),
    "definition": re.compile(r"\b(?:is een|zijn de|is het|is de|houdt in|verstaan we|verstaan wij|wordt bedoeld|"
                             r"betekent|noemen we|definitie|definiëren|gaat het om)\b", re.I),
    "list": re.compile(r":$|^(?:\d{1,2}[.)]|[-–•])|\b(?:ten eerste|ten tweede|daarnaast|tot slot)\b", re.I),
}


@dataclass(frozen=True)
class Scored:
    """One sentence of a retrieved passage, scored against the question."""

    sentence: Sentence
    hit: int  # rank position of the passage it was found in
    focus: float
    typed: bool
    dense: float = 0.0
    score: float = 0.0
    role_bonus: float = 0.0  # the sentence is part of what the guide's profile of a named role says (see role_facts)


_PERSON = re.compile(r"\b([A-Z][a-zéëï]+)((?: (?:van|de|der|den|ter|ten|het))*) ([A-Z][a-zéëï]+)\b")


def has_type(text: str, expects: str) -> bool:
    """True if ``text`` holds what an answer of type ``expects`` needs (a number, a date, a name …)."""
    if expects == "person" and _has_person(text):
        return True
    pattern = _TYPE_PATTERNS.get(expects)
    return bool(pattern.search(text)) if pattern is not None else False


def _has_person(text: str) -> bool:
    """A first name and a surname ("Jos van der Ploeg"), not an organisation ("Nederlandse Orde") or a sentence start."""
    for m in _PERSON.finditer(text):
        first, last = m.group(1), m.group(3)
        if m.start() == 0 or first in _NOT_A_NAME or last in _NOT_A_NAME:
            continue
        return True
    return False


class SentenceSelector:
    """Scores the sentences of retrieved passages for a question plan; shared by all sessions."""

    def __init__(self, scorer: SupportScorer, sentences: SentenceIndex, embedder: Embedder | None) -> None:
        self.scorer = scorer
        self.sentences = sentences
        self.embedder = embedder
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def candidates(self, plan: QuestionPlan, hits: Sequence[Hit], max_hits: int = 6,
                   defines: re.Pattern[str] | None = None, roles: RoleFacts | None = None) -> list[Scored]:
        """The quotable sentences of the first ``max_hits`` passages, scored, best first, each sentence once.

        ``defines`` matches the sentence that defines what a "wat is X?" question asks about; it gets a bonus.
        ``roles`` are the profile pieces of the roles the question names; their sentences get one too.
        """
        favoured = _role_spans(roles, hits[:max_hits])
        focus_terms = self.scorer.terms(" ".join(plan.focus)) or self.scorer.terms(plan.question)
        # A term in quotes is what the question is about; the other focus words only frame it.
        quoted_terms = self.scorer.terms(" ".join(plan.quoted))
        seen: set[tuple[str, int]] = set()
        found: list[Scored] = []
        for rank, hit in enumerate(hits[:max_hits]):
            for sentence in self.sentences.of_chunk(hit.doc_id, hit.chunk_id):
                key = (sentence.doc_id, sentence.index)
                in_profile = _inside(sentence, favoured)
                # The guide's learning questions are questions; they are quoted when they are what was asked.
                asked_question = in_profile and roles is not None and roles.questions and sentence.role == "question"
                if key in seen or not (asked_question or self.quotable(sentence, plan)):
                    continue
                seen.add(key)
                terms = self.scorer.terms(sentence.text)
                focus = self.scorer.coverage(focus_terms, terms)
                if quoted_terms:
                    focus = (1 - W_QUOTED) * focus + W_QUOTED * self.scorer.coverage(quoted_terms, terms)
                found.append(Scored(sentence, rank, focus, has_type(sentence.text, plan.expects),
                                    role_bonus=(ROLE_BONUS_ASKED if roles and roles.asked else ROLE_BONUS) * in_profile))
        return self._rank(plan, found, defines, [h.similarity for h in hits[:max_hits]])

    @staticmethod
    def quotable(sentence: Sentence, plan: QuestionPlan) -> bool:
        """True if the sentence may be quoted for this question (its role, its length, no instructions)."""
        # "Thema: wat als alles een opgave is?" states a theme; it only looks like a question.
        labelled = sentence.role == "question" and bool(_LABEL.match(sentence.text))
        if sentence.role not in QUOTABLE and not labelled and not (plan.about_authors and sentence.role in ABOUT_MAKERS):
            return False
        if instruction_like(sentence.text):
            return False  # an attempt to steer the assistant is no answer to anyone's question
        n = len(sentence.text.split())
        if not MIN_WORDS <= n <= MAX_WORDS:
            return False
        # An ellipsis run is a chapter preview ("… wat is een opgave? …"), not prose.
        if sentence.text.count("…") + sentence.text.count("...") >= 2:
            return False
        # A line without closing punctuation is a heading or a caption unless it is long, or it is the
        # header line that holds the asked-for fact ("4 maart 2025 | Provinciehuis in Den Haag").
        return sentence.text[-1] in ".!?:;)’”\"" or n >= UNPUNCTUATED_MIN_WORDS or (
            plan.specific and sentence.role == "body" and has_type(sentence.text, plan.expects))

    def _rank(self, plan: QuestionPlan, found: list[Scored], defines: re.Pattern[str] | None,
              similarity: list[float]) -> list[Scored]:
        english = plan.lang == "en"
        w_focus, w_dense = (W_FOCUS_EN, W_DENSE_EN) if english else (W_FOCUS, W_DENSE)
        prior = [1.0 / (1 + 0.4 * s.hit) for s in found]
        # The passage's own e5 similarity says which region of the document is about the question.
        passage_sim = [dense_scale(similarity[s.hit]) for s in found]
        # The cheap signals pick the shortlist that gets the expensive one.
        order = sorted(range(len(found)), key=lambda k: -(found[k].focus + 0.1 * found[k].typed + 0.3 * prior[k]
                                                          + SHORTLIST_PASSAGE * passage_sim[k]))
        shortlist = order[: SHORTLIST * (2 if english else 1)]
        if plan.compare:
            # Each compared document gets its own best few, so that one that words it differently
            # ("driehoek" for "sturingsdriehoek") is still heard instead of declared silent.
            for doc_id in dict.fromkeys(found[k].sentence.doc_id for k in order):
                shortlist += [k for k in order if found[k].sentence.doc_id == doc_id and k not in shortlist][:SHORTLIST_PER_DOC]
        dense = dict(zip(shortlist, self._dense(plan.question, [found[k].sentence.text for k in shortlist])))
        # The asked-for type counts only in a sentence about the focus: a number elsewhere answers nothing.
        typed_floor = TYPED_FOCUS_SHARE * max((s.focus for s in found), default=0.0)
        scored = []
        for k, s in enumerate(found):
            d = dense.get(k, 0.0)
            w_type = W_TYPE if plan.specific else W_TYPE_SOFT
            typed = s.typed and (english or s.focus >= typed_floor)
            score = w_focus * s.focus + w_dense * dense_scale(d) + w_type * typed + W_RANK * prior[k] + s.role_bonus
            if defines is not None and defines.match(s.sentence.text):
                score += DEFINITION_BONUS
            if _META.search(s.sentence.text):
                score *= META_PENALTY
            scored.append(replace(s, dense=d, score=score))
        return sorted(scored, key=lambda s: -s.score)

    def _dense(self, question: str, texts: list[str]) -> list[float]:
        if self.embedder is None or not texts:
            return [0.0] * len(texts)
        q = np.asarray(self.embedder.embed_queries([question])[0])
        with self._lock:
            missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            fresh = np.asarray(self.embedder.embed_passages(missing))
            with self._lock:
                for text, vector in zip(missing, fresh):
                    self._vectors[text] = vector
                while len(self._vectors) > CACHE_SIZE:
                    self._vectors.popitem(last=False)
        with self._lock:
            vectors = [self._vectors.get(t) for t in texts]
        # A vector evicted by a concurrent session between the two steps counts as no evidence.
        return [float(v @ q) if v is not None else 0.0 for v in vectors]


def _role_spans(roles: RoleFacts | None, hits: Sequence[Hit]) -> dict[str, list[tuple[int, int]]]:
    """Document spans of the role profile pieces whose passages are among ``hits``, by document."""
    if roles is None:
        return {}
    starts = {h.chunk_id: (h.doc_id, h.start) for h in hits}
    spans: dict[str, list[tuple[int, int]]] = {}
    for piece in roles.texts:
        if piece.chunk_id in starts:
            doc_id, offset = starts[piece.chunk_id]
            spans.setdefault(doc_id, []).append((offset + piece.start, offset + piece.end))
    return spans


def _inside(sentence: Sentence, spans: dict[str, list[tuple[int, int]]]) -> bool:
    """True if most of the sentence lies within one of the spans of its document."""
    length = max(1, sentence.end - sentence.start)
    return any(min(end, sentence.end) - max(start, sentence.start) >= length / 2
               for start, end in spans.get(sentence.doc_id, ()))


def dense_scale(cosine: float) -> float:
    """An e5 cosine mapped to [0, 1] (0 at and below ``DENSE_FLOOR``)."""
    return float(min(1.0, max(0.0, (cosine - DENSE_FLOOR) / DENSE_SPAN)))
