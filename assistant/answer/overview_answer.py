"""The answer to an overview question, written from the source guides stored with the build.

About one document: its name, what it is (kind, publisher, date), then its key points, each a whole sentence
quoted word for word from a different part of the document and cited, as long as the answer stays under about
:data:`MAX_WORDS` words (at least :data:`MIN_POINTS` when the guide has them). About all documents: one line
per document, naming it, what it is and the terms that set it apart. No gap check applies: the guide is the
document's own account of its subject, so the answer never says the sources do not name it.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Sequence

from assistant.answer.compose import Composed, sentence_citation
from assistant.answer.overview import OverviewRequest, overview_request
from assistant.answer.plan import QuestionPlan
from assistant.types import Answer, Citation
from kb.guides import DocumentGuide, KeyPoint
from kb.types import Chunk, Hit, Sentence
from opgavewijzer.text import Language

MAX_WORDS = 190  # the answer stays under about 200 words; the lead-in takes the rest
MIN_POINTS = 3  # fewer points is no overview, even when the sentences are long
MAX_POINTS = 5  # three to six points are asked for; five leave room for the lead-in under MAX_WORDS
TERMS_PER_LINE = 3  # key terms in a document's line of the list of all documents
# "De belangrijkste conclusies/aanbevelingen", "key findings": the document's own conclusions go first.
ASKS_CONCLUSIONS = re.compile(r"\b(?:conclusies?|aanbevelingen|adviezen|lessen|bevindingen|conclusions?|recommendations?|"
                              r"findings|lessons)\b", re.IGNORECASE)
OWN_CONCLUSIONS = 3  # at most this many of them; key points from other chapters follow, so the answer spans the document
MIN_SECTIONS = 3  # numbered sections a chapter needs to be named as what the document is built around ...
MAX_STRUCTURE_WORDS = 45  # ... in at most this many words (ten long pattern headings would crowd out the points)

ChunkLookup = Callable[[str], "Chunk | None"]


def _count(text: str) -> int:
    return len(text.split())


def _what(guide: DocumentGuide, lang: Language) -> str:
    """"rapport, Nederlandse School voor Openbaar Bestuur, 2020": what the document is, from its metadata."""
    unknown = ("onbekend", "unknown", "")
    parts = [guide.kind, guide.publisher, guide.date if guide.date.casefold() not in unknown else ""]
    return ", ".join(p for p in parts if p)


def name_of(guide: DocumentGuide, lang: Language) -> str:
    """How running text names the document: its name in this language, else its title in quotes."""
    return guide.names.get(lang) or next(iter(guide.names.values()), "") or f"‘{guide.short_title or guide.title}’"


def _lead(guide: DocumentGuide, lang: Language, conclusions: bool = False) -> str:
    name = name_of(guide, lang)
    what = _what(guide, lang)
    about = f" ({what})" if what else ""
    titled = "" if guide.title in name else f", ‘{guide.title}’"  # a name made from the title holds it already
    if lang == "en":
        first = " (its own conclusions first)" if conclusions else ""
        return f"{name[:1].upper()}{name[1:]}{titled}{about}. Its key points, in its own words (Dutch){first}:"
    first = " (eerst de eigen conclusies en aanbevelingen)" if conclusions else ""
    return f"{name[:1].upper()}{name[1:]}{titled}{about}. De kern, in de woorden van het document zelf{first}:"


def _structure(guide: DocumentGuide, lang: Language) -> str:
    """"Opgebouwd rond ‘De bouwstenen …’: 1. …; 2. …": a chapter of numbered sections the document is built on."""
    by_parent: dict[str, list[str]] = {}
    for chapter in guide.chapters:
        if " > " in chapter:
            parent, child = chapter.split(" > ", 1)
            by_parent.setdefault(parent, []).append(child)
    for parent, children in by_parent.items():
        if len(children) >= MIN_SECTIONS:
            lead = "Built around" if lang == "en" else "Opgebouwd rond"
            line = f"{lead} ‘{parent}’: " + "; ".join(children) + "."
            if _count(line) <= MAX_STRUCTURE_WORDS:
                return line
    return ""


def _sentence(point: KeyPoint, doc_id: str) -> Sentence:
    return Sentence(doc_id, point.chunk_id, 0, point.start, point.end, point.text, "body", point.section, point.page,
                    True, point.section)


def _chosen(guide: DocumentGuide, conclusions: bool) -> tuple[KeyPoint, ...]:
    """The key points to quote: for a question about conclusions, the document's own first (when it has them),
    then key points from the other chapters."""
    if not conclusions or len(guide.conclusions) < MIN_POINTS:
        return guide.points
    first = guide.conclusions[:OWN_CONCLUSIONS]
    taken = {p.section.split(" > ")[0] for p in first} | {p.text for p in first}
    rest = [p for p in guide.points if p.section.split(" > ")[0] not in taken and p.text not in taken]
    return (*first, *rest)[:MAX_POINTS]


def document_answer(guide: DocumentGuide, lang: Language, chunk: ChunkLookup, conclusions: bool = False) -> Composed:
    """The overview of one document: lead-in, then its key points as cited quotes, under about MAX_WORDS words.

    With ``conclusions`` (the question asks for them) its own conclusions and recommendations come first."""
    points = _chosen(guide, conclusions)
    lead = _lead(guide, lang, conclusions and len(guide.conclusions) >= MIN_POINTS)
    structure = _structure(guide, lang)
    lead = f"{structure}\n\n{lead}" if structure else lead
    lines: list[str] = []
    citations: list[Citation] = []
    used = _count(lead)
    for point in points[:MAX_POINTS]:
        found = chunk(point.chunk_id)
        if found is None:
            continue  # a guide of another build: the passage is gone, so the point cannot be cited
        line = f"- “{point.text}” [{len(citations) + 1}]"
        if used + _count(line) > MAX_WORDS and len(lines) >= MIN_POINTS:
            break
        hit = Hit.from_chunk(found)
        citations.append(sentence_citation(len(citations) + 1, [_sentence(point, guide.doc_id)], hit, guide.title))
        lines.append(line)
        used += _count(line)
    return Composed(lead + "\n\n" + "\n".join(lines), tuple(citations), len(lines))


def all_documents_answer(guides: Mapping[str, DocumentGuide], lang: Language) -> Composed:
    """One line per document: its title, what it is and the terms that set it apart."""
    lines = []
    for guide in guides.values():
        what = _what(guide, lang)
        terms = ", ".join(f"‘{t}’" for t in guide.terms[:TERMS_PER_LINE])
        about = (f"; about {terms}" if lang == "en" else f"; over {terms}") if terms else ""
        lines.append(f"- **{guide.short_title or guide.title}**" + (f" ({what})" if what else "") + about)
    if lang == "en":
        lead = f"I answer from {len(guides)} documents (ask ‘what is … about?’ for the key points of one):"
    else:
        lead = f"Ik beantwoord vragen uit {len(guides)} documenten (vraag ‘waar gaat … over?’ voor de kern van één):"
    return Composed(lead + "\n\n" + "\n".join(lines), (), 0)


def overview_answer(request: OverviewRequest, guides: Mapping[str, DocumentGuide], lang: Language,
                    chunk: ChunkLookup, question: str = "") -> Composed:
    """The answer to an overview request, from the guides of the loaded build."""
    if request.all_documents:
        return all_documents_answer(guides, lang)
    return document_answer(guides[request.doc_id], lang, chunk, bool(ASKS_CONCLUSIONS.search(question)))


def guide_answer(plan: QuestionPlan, question: str, guides: Mapping[str, DocumentGuide],
                 chunk: ChunkLookup, doc_ids: Sequence[str] = ()) -> Answer | None:
    """The answer to ``plan`` from the source guides when it is an overview question; None otherwise.

    ``doc_ids`` are the documents the user restricted the search to (none: all)."""
    if doc_ids:
        guides = {d: g for d, g in guides.items() if d in doc_ids}
    request = overview_request(plan, guides)
    if request is None:
        return None
    composed = overview_answer(request, guides, plan.lang, chunk, plan.question)
    return Answer(question=question, text=composed.text, citations=composed.citations, mode="extractive",
                  refused=False, standalone_question=plan.question, hits=cited_hits(composed.citations, chunk),
                  kind="overview", lang=plan.lang)


def cited_hits(citations: Sequence[Citation], chunk: ChunkLookup) -> tuple[Hit, ...]:
    """The passages an overview answer cites, as hits (shown beside the answer like retrieved passages)."""
    hits: list[Hit] = []
    for c in citations:
        found = chunk(c.chunk_id)
        if found is not None and all(h.chunk_id != c.chunk_id for h in hits):
            hits.append(Hit.from_chunk(found, rank=len(hits) + 1))
    return tuple(hits)
