"""Overview questions: about one document as a whole, or about all of them.

"Waar gaat het NSOB-rapport over?", "Vat het essay samen", "tl;dr van het verslag", "What are the main
takeaways of the guide?": a question about a document as a whole, not about a topic in it. Searching for the
document's name finds its title page and method sentences; such a question is answered from the document's
source guide instead (see :mod:`assistant.answer.overview_answer`).

Whether a question is one is decided by the learned model of :mod:`assistant.answer.overview_intent`, from
named features this module reads: the overview cues (:data:`CUES`), whether it names one document or all
of them, and the focus words left once the request's words and what names the document are taken out
("Wat zijn de belangrijkste punten over de sturingsdriehoek in de gids?" leaves "sturingsdriehoek", a
topic of a few passages). The document is the one the question names; a question about "de bronnen" or
"the documents", or asking which documents there are, lists every document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import numpy as np
from wordfreq import zipf_frequency

from assistant.answer.overview_intent import KEY_WORD, MAX_WORDS_COUNTED, THRESHOLD, OverviewIntent
from assistant.answer.overview_words import (ALL_DOCUMENTS, CUES, KIND_WORDS, LINK_STOP, REQUEST_WORDS, TOPIC_LINK,
                                            PART_WORDS, WHICH_DOCUMENTS, SectionReference, asking_part,
                                            section_reference)
from assistant.answer.plan import DOCUMENT_WORDS, QuestionPlan

__all__ = ["CUES", "OverviewReading", "OverviewRequest", "overview_cue", "overview_request", "read_question"]
NAMING_WORDS = DOCUMENT_WORDS | KIND_WORDS

MIN_STEM = 6  # a focus word this long that starts a naming word (or is started by one) names the document
WORD_ZIPF = 1.0  # wordfreq's Zipf scale: once per 100 million words or more is a Dutch word, not a typo
MIN_NAME_LETTERS = 4  # a word of a document's name that identifies it when the question names no document


@dataclass(frozen=True)
class OverviewRequest:
    """An overview question: the cue that matched and the document asked about (none: all documents)."""

    cue: str
    doc_id: str = ""
    section: SectionReference | None = None  # the part of the document asked about ("hoofdstuk 6"); None: the whole

    @property
    def all_documents(self) -> bool:
        """True for a question about every document."""
        return not self.doc_id


def overview_cue(question: str) -> str:
    """The name of the first overview cue the question matches ("" when none)."""
    return next((name for name, pattern in CUES.items() if pattern.search(question)), "")


@dataclass(frozen=True)
class OverviewReading:
    """What the overview step reads in a question: its feature row, the documents it is about, its score."""

    row: np.ndarray
    cue: str
    doc_ids: tuple[str, ...]  # the one document it is about; () when none or several
    all_documents: bool  # it asks about "de bronnen" or which documents there are
    probability: float


def read_question(plan: QuestionPlan, guides: Mapping[str, Any], intent: OverviewIntent,
                  asked: tuple[tuple[str, ...], bool] | None = None) -> OverviewReading:
    """The features of :mod:`assistant.answer.overview_intent` for ``plan``, and P(overview).

    ``asked`` is :func:`asked_documents` of ``plan`` when the caller has it already (read once per question)."""
    question = plan.question
    asking = asking_part(question)  # context sentences before the question name no topic
    cue = overview_cue(question)
    lists = bool(WHICH_DOCUMENTS.search(question))
    doc_ids, everything = asked if asked is not None else asked_documents(plan, guides, intent)
    one = bool(doc_ids)
    naming = _naming_words(guides[doc_ids[0]]) if one else set()
    left = [w for w in leftover_words(plan, naming, asking)
            if not intent.terms.describes(w, doc_ids) and not _proper_name_of(w, doc_ids, intent)
            and not intent.terms.collection_subject(w)]
    known = [w for w in left if intent.terms.scorer.knows(w)]
    keyness = [intent.terms.keyness(w) for w in known]
    key = [w for w, k in zip(known, keyness) if k >= KEY_WORD]
    proto_overview, proto_topic = intent.similarities(asking_part(plan.unnamed) if plan.unnamed else asking)
    narrow = max((intent.terms.narrowness(w, doc_ids) for w in key), default=0.0)
    linked = topic_phrase(asking, naming | _request_naming(plan, doc_ids, intent), intent.terms.scorer.knows, plan.lang,
                          intent.terms.collection_subject)
    row = np.array([float(bool(cue)), float(bool(cue) and not key and len(left) == len(known)), float(lists), float(everything), float(one), proto_overview, proto_topic,
                    float(linked),
                    float(min(len(key), MAX_WORDS_COUNTED)), float(min(len(left) - len(known), MAX_WORDS_COUNTED)),
                    max([0.0, *keyness]), narrow, float(plan.specific or plan.about_authors or plan.asks_name), float(plan.kind in ("how", "why")),
                    float(plan.kind == "definition")])
    return OverviewReading(row, cue, doc_ids, everything, intent.probability(row))


def asked_documents(plan: QuestionPlan, guides: Mapping[str, Any], intent: OverviewIntent) -> tuple[tuple[str, ...], bool]:
    """The one document (with a guide) the question is about, or (); and whether it is about all of them."""
    question = plan.question
    everything = not plan.doc_ids and bool(WHICH_DOCUMENTS.search(question) or ALL_DOCUMENTS.search(question))
    # "Waar gaat dit document over?" with one document to speak of (the search restricted to it) is about that one.
    doc_ids = plan.doc_ids or _named_by_words(plan, guides, intent) or (tuple(guides) if len(guides) == 1 else ())
    if not doc_ids and not everything:  # named by what only one document holds (an author, a place)
        holder = intent.terms.only_holder([w for w in plan.focus if w.lower() in question.casefold()])
        doc_ids = (holder,) if holder else ()
    return (doc_ids if len(doc_ids) == 1 and doc_ids[0] in guides else ()), everything


def overview_request(plan: QuestionPlan, guides: Mapping[str, Any], intent: OverviewIntent) -> OverviewRequest | None:
    """The overview request ``plan`` makes, or None when it asks something else (or a document has no guide)."""
    asked = asked_documents(plan, guides, intent) if guides else ((), False)
    if asked == ((), False):
        return None  # about no one document and not about all: never an overview, and no question to embed
    reading = read_question(plan, guides, intent, asked)
    if reading.probability < THRESHOLD:
        return None
    # "Waar gaat hoofdstuk 6 van de gids over?": an overview of the part the question names, not of the whole.
    section = section_reference(asking_part(plan.question))
    if reading.all_documents:
        return None if section else OverviewRequest(reading.cue or "documents")
    return OverviewRequest(reading.cue or "meaning", reading.doc_ids[0], section) if reading.doc_ids else None


def _naming_words(guide: Any) -> set[str]:
    """The lower-cased words of a document's title, short title, names, kind, publisher and date."""
    text = " ".join([guide.title, guide.short_title, guide.kind, guide.publisher, guide.date, *guide.names.values()])
    return {w.lower() for w in re.findall(r"[^\W_]+", text)}


def _proper_name_of(word: str, doc_ids: tuple[str, ...], intent: OverviewIntent) -> bool:
    """True if ``word`` is capitalised and only the asked document holds it: a name of its authors, place or
    occasion ("Kraijo", "Hakvoort"), which identifies the document rather than a topic in it."""
    return (len(doc_ids) == 1 and word[:1].isupper() and len(word) >= MIN_NAME_LETTERS
            and intent.terms.only_holder([word]) == doc_ids[0])


def topic_phrase(question: str, naming: set[str], known: Callable[[str], bool], lang: str,
                 subject: Callable[[str], bool] = lambda _: False) -> bool:
    """True if a preposition of subject introduces a word that names neither the request nor the document.

    The word must be one the sources use, or a Dutch word they do not use ("het coalitieakkoord", where they
    say "regeerakkoord"); in an English question any word of four letters or more counts, as the English words
    of a topic are not in the Dutch sources. A misspelt name ("opgven") is neither."""
    for match in TOPIC_LINK.finditer(question):
        for word in re.findall(r"[^\W\d_][\w'’-]*", match.group(1)):
            low = word.lower()
            if low in LINK_STOP or low in REQUEST_WORDS or low in NAMING_WORDS or low in naming or subject(word):
                continue  # "… over opgavegericht werken": the collection's own subject is no topic in it
            if any(n.startswith(low) or low.startswith(n) for n in naming if len(n) >= MIN_STEM and len(low) >= MIN_STEM):
                continue
            if known(word) or (len(low) >= MIN_NAME_LETTERS and (lang == "en" or zipf_frequency(low, "nl") >= WORD_ZIPF)):
                return True
    return False


def leftover_words(plan: QuestionPlan, naming: set[str], asking: str = "") -> list[str]:
    """The focus words of the question's asking part (``asking``; default the whole question) that name
    neither the request nor the document.

    Words the analysis added (look-alikes and translations of an English question's words, which depend on the
    collection: "werkelijk" for "werken") are not counted: the question did not ask about them."""
    left = []
    own = (asking or plan.question).casefold()
    for word in plan.focus:
        low = word.lower()
        if low not in own:
            continue
        if low in REQUEST_WORDS or low in NAMING_WORDS or low in PART_WORDS or low in naming:
            continue
        if any(part in naming or part in REQUEST_WORDS for part in re.findall(r"[^\W_]+", low)):
            continue  # "bouwstenen-essay", "NSOB-rapport"
        if len(low) >= MIN_STEM and any(n.startswith(low) or low.startswith(n) for n in naming if len(n) >= MIN_STEM):
            continue  # "rekenkamer" for a "rekenkamercommissie", "Wendelsloots"
        if len(low) >= MIN_NAME_LETTERS and any(low in w for w in (*naming, *REQUEST_WORDS, *NAMING_WORDS)):
            continue  # a part of a compound the analysis split off ("kamer", "ingen" of "aanbevelingen")
        left.append(word)
    return left


def _request_naming(plan: QuestionPlan, doc_ids: tuple[str, ...], intent: OverviewIntent) -> set[str]:
    """Words of the question that the asked document's opening passage holds (it says what, where and when)."""
    return {w.lower() for w in plan.focus if intent.terms.describes(w, doc_ids)} if len(doc_ids) == 1 else set()


def _named_by_words(plan: QuestionPlan, guides: Mapping[str, Any], intent: OverviewIntent) -> tuple[str, ...]:
    """The one document whose title or names hold a word of the question that no other document's do
    ("Holtmeer" for an added memo the question names by place): () when none or several fit. The collection's
    own subject ("opgave", in the title "De opgave aan tafel") names no one document."""
    words = {w.lower() for w in plan.focus if len(w) >= MIN_NAME_LETTERS and not intent.terms.collection_subject(w)}
    naming = {doc_id: _naming_words(g) for doc_id, g in guides.items()}
    fits = []
    for doc_id, own in naming.items():
        others = set().union(*(n for d, n in naming.items() if d != doc_id)) if len(naming) > 1 else set()
        if words & (own - others - REQUEST_WORDS - NAMING_WORDS):
            fits.append(doc_id)
    return tuple(fits) if len(fits) == 1 else ()
