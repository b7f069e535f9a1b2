"""Overview questions: recognised by named cues, about one document or about all of them.

"Waar gaat het NSOB-rapport over?", "Vat het essay samen", "Wat is de kern van …", "De belangrijkste
conclusies van …", "Wat moet ik weten van …", "What is … about?", "Summarise …": a question about a
document as a whole, not about a topic in it. Searching for the document's name finds its title page and
method sentences; such a question is answered from the document's source guide instead (see
:mod:`assistant.answer.overview_answer`).

A question is an overview question when an overview cue (:data:`CUES`) matches, it names exactly one
document, and nothing else is left in it: the focus words that remain, once the cue words and what names the
document are taken out, all belong to the document's names or title. "Wat zijn de belangrijkste punten over de
sturingsdriehoek in de gids?" asks about a topic and goes the usual way. A question about "de bronnen" or
"the documents" with an overview cue, or asking which documents there are, lists every document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from assistant.answer.plan import DOCUMENT_WORDS, QuestionPlan

# The cues, by name; each matches the form of a question, never a particular document.
CUES: dict[str, re.Pattern[str]] = {
    "about": re.compile(r"\bwaar\s+(?:gaat|gaan|ging|gingen)\b.*\bover\b|\bwaarover\s+(?:gaat|gaan)\b|"
                        r"\bwhat(?:'s|\s+is|\s+are|\s+was)\b.*\babout\b|\bwhat\s+does\b.*\b(?:cover|deal with)\b", re.I),
    "summarise": re.compile(r"\b(?:vat|vatten)\b.*\bsamen\b|\bsamen(?:\s+te\s+)?vatt?en\b|\bsamenvatting\b|\bsamengevat\b|\bsummar(?:ise|ize|y)\b|"
                            r"\bin\s+(?:het\s+)?kort\b|\bin\s+grote\s+lijnen\b|\bin\s+a\s+nutshell\b|\boverview\s+of\b", re.I),
    "core": re.compile(r"\b(?:de\s+)?kern(?:boodschap)?\s+van\b|\bkernboodschap\b|\bthe\s+gist\b|"
                       r"\b(?:main|central|core)\s+(?:message|idea|argument)\b", re.I),
    "main_points": re.compile(
        r"\b(?:belangrijkste|voornaamste|centrale)\s+(?:punten|conclusies?|aanbevelingen|lessen|inzichten|bevindingen|"
        r"boodschap(?:pen)?|uitkomsten|adviezen)\b|\b(?:hoofdpunten|hoofdconclusies?|kernpunten)\b|"
        r"\b(?:key|main)\s+(?:points?|takeaways?|conclusions?|recommendations?|findings?|messages?|lessons?)\b", re.I),
    "must_know": re.compile(r"\bwat\s+moet\s+(?:ik|je|we)\s+(?:weten|onthouden)\s+(?:van|over|uit)\b|"
                            r"\bwhat\s+(?:should|do)\s+(?:i|we)\s+(?:need\s+to\s+)?know\s+about\b", re.I),
}
# "Welke documenten heb je?", "what documents do you have?", "over welke bronnen beschik je?".
WHICH_DOCUMENTS = re.compile(
    r"\b(?:welke|wat\s+voor|what|which)\s+(?:documenten|bronnen|stukken|publicaties|documents|sources)\b|"
    r"\bwat\s+(?:zijn|zitten)\b.*\b(?:documenten|bronnen)\b", re.I)
# "De bronnen", "the documents": the question is put to all of them.
ALL_DOCUMENTS = re.compile(r"\b(?:de|alle|jouw|je|uw|die|deze|the|all|your|these)\s+(?:documenten|bronnen|stukken|"
                           r"documents|sources)\b", re.I)
# Words that belong to the request itself, not to a topic ("punten", "conclusies", "kort").
REQUEST_WORDS = frozenset("""samen samenvatten samenvatting samengevat vat kort kern kernboodschap belangrijkste voornaamste
centrale punten punt conclusies conclusie aanbevelingen lessen inzichten bevindingen boodschap boodschappen uitkomsten
adviezen hoofdpunten hoofdconclusie hoofdconclusies kernpunten weten onthouden grote lijnen paar enkele over gaat gaan
ging eigenlijk staat staan beschik heb hebt welke documenten bronnen stukken publicaties what about summarise summarize
summary main key points point takeaways takeaway conclusions recommendations findings messages message lessons gist
overview nutshell know need should give cover deal short briefly documents document sources have available memo you
your there use gebruik gebruikt kent ken zitten zijn vatten vatte""".split())
MIN_STEM = 6  # a focus word this long that starts a naming word (or is started by one) names the document
MIN_NAME_LETTERS = 4  # a word of a document's name that identifies it when the question names no document


@dataclass(frozen=True)
class OverviewRequest:
    """An overview question: the cue that matched and the document asked about (none: all documents)."""

    cue: str
    doc_id: str = ""

    @property
    def all_documents(self) -> bool:
        """True for a question about every document."""
        return not self.doc_id


def overview_cue(question: str) -> str:
    """The name of the first overview cue the question matches ("" when none)."""
    return next((name for name, pattern in CUES.items() if pattern.search(question)), "")


def overview_request(plan: QuestionPlan, guides: Mapping[str, Any]) -> OverviewRequest | None:
    """The overview request ``plan`` makes, or None when it asks something else (or a document has no guide)."""
    question = plan.question
    cue = overview_cue(question)
    lists = bool(WHICH_DOCUMENTS.search(question))
    if not cue and not lists:
        return None
    if not plan.doc_ids and (lists or ALL_DOCUMENTS.search(question)) and not _topic_left(plan, ()):
        return OverviewRequest(cue or "documents") if guides else None
    # "Waar gaat dit document over?" with one document to speak of (the search restricted to it) is about that one.
    doc_ids = plan.doc_ids or _named_by_words(plan, guides) or (tuple(guides) if len(guides) == 1 else ())
    if not cue or len(doc_ids) != 1 or doc_ids[0] not in guides:
        return None
    guide = guides[doc_ids[0]]
    return None if _topic_left(plan, _naming_words(guide)) else OverviewRequest(cue, doc_ids[0])


def _naming_words(guide: Any) -> set[str]:
    """The lower-cased words of a document's title, short title, names, kind and publisher."""
    text = " ".join([guide.title, guide.short_title, guide.kind, guide.publisher, *guide.names.values()])
    return {w.lower() for w in re.findall(r"[^\W_]+", text)}


def _topic_left(plan: QuestionPlan, naming: set[str] | tuple) -> bool:
    """True if a focus word names neither the request nor the document: the question is about a topic."""
    for word in plan.focus:
        low = word.lower()
        if low in REQUEST_WORDS or low in DOCUMENT_WORDS or low in naming:
            continue
        if any(part in naming or part in REQUEST_WORDS for part in re.findall(r"[^\W_]+", low)):
            continue  # "bouwstenen-essay", "NSOB-rapport"
        if len(low) >= MIN_STEM and any(n.startswith(low) or low.startswith(n) for n in naming if len(n) >= MIN_STEM):
            continue  # "rekenkamer" for a "rekenkamercommissie", "Wendelsloots"
        if len(low) >= MIN_NAME_LETTERS and any(low in w for w in (*naming, *REQUEST_WORDS)):
            continue  # a part of a compound the analysis split off ("kamer", "ingen" of "aanbevelingen")
        return True
    return False


def _named_by_words(plan: QuestionPlan, guides: Mapping[str, Any]) -> tuple[str, ...]:
    """The one document whose title or names hold a word of the question that no other document's do
    ("Holtmeer" for an added memo the question names by place): () when none or several fit."""
    words = {w.lower() for w in plan.focus if len(w) >= MIN_NAME_LETTERS}
    naming = {doc_id: _naming_words(g) for doc_id, g in guides.items()}
    fits = []
    for doc_id, own in naming.items():
        others = set().union(*(n for d, n in naming.items() if d != doc_id)) if len(naming) > 1 else set()
        if words & (own - others - REQUEST_WORDS - DOCUMENT_WORDS):
            fits.append(doc_id)
    return tuple(fits) if len(fits) == 1 else ()
