"""The answer to an overview question, written from the source guides stored with the build.

About one document: its name, what it is (kind, publisher, date), then its key points, each a whole sentence
quoted word for word from a different part of the document and cited, as long as the answer stays under about
:data:`MAX_WORDS` words (at least :data:`MIN_POINTS` when the guide has them). About all documents: one line
per document, naming it, what it is and the terms that set it apart. No gap check applies: the guide is the
document's own account of its subject, so the answer never says the sources do not name it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable, Mapping, Sequence

from assistant.answer.compose import Composed, sentence_citation
from assistant.answer.overview import OverviewRequest, overview_request
from assistant.answer.overview_intent import OverviewIntent
from assistant.answer.plan import QuestionPlan
from assistant.answer.section_answer import section_answer
from assistant.types import Answer, Citation
from kb.guides import DocumentGuide, KeyPoint
from kb.sentences import SentenceIndex
from kb.types import Chunk, Hit, Sentence
from opgavewijzer.text import Language

MAX_WORDS = 190  # the answer stays under about 200 words; the lead-in takes the rest
MIN_POINTS = 3  # fewer points is no overview, even when the sentences are long
MAX_POINTS = 5  # three to six points are asked for; five leave room for the lead-in under MAX_WORDS
TERMS_PER_LINE = 3  # key terms in a document's line of the list of all documents
# "De belangrijkste conclusies/aanbevelingen", "key findings": the document's own conclusions go first.
ASKS_CONCLUSIONS = re.compile(r"\b(?:conclusies?|aanbevelingen|adviezen|lessen|bevindingen|conclusions?|recommendations?|"
                              r"findings|lessons)\b", re.IGNORECASE)
ASKS_RECOMMENDATIONS = re.compile(r"\b(?:aanbevelingen|aanbeveling|adviezen|advies|raadt|recommend\w*)\b", re.IGNORECASE)
ASKS_MORE = re.compile(r"\b(?:conclusies?|bevindingen|lessen|punten|inzichten|samenvat\w*|kern|conclusions?|findings|"
                       r"lessons|points|summar\w*|takeaways?)\b", re.IGNORECASE)
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


# The kinds ingest gives a document (ingest/metadata.py), in English.
KINDS_EN = {"rapport": "report", "verslag": "account", "essay": "essay", "gids": "guide", "bijlage": "annex",
            "evaluatie": "evaluation", "notitie": "memo"}


KERN_SEPARATOR = ". "  # before the lead's last sentence, the one that introduces the points (it holds no ". ")


def _publisher(guide: DocumentGuide) -> str:
    """The publisher without a parenthesised gloss: "Provincie (Statenbrief aan Provinciale Staten)" reads as
    "Provincie"; the gloss says what the document is, which the lead already does."""
    return re.sub(r"\s*\([^)]*\)\s*$", "", guide.publisher).strip()


def _lead(guide: DocumentGuide, lang: Language, conclusions: bool = False) -> str:
    """"Het NSOB-rapport (‘De opgave aan tafel …’) is een rapport van …, 2020. De kern, …:" — one whole sentence."""
    name = name_of(guide, lang)
    titled = "" if guide.title in name else f" (‘{guide.title}’)"  # a name made from the title holds it already
    known = guide.date.casefold() not in ("onbekend", "unknown", "")
    if lang == "en":
        kind = KINDS_EN.get(guide.kind, "document")
        what = f"is {'an' if kind[0] in 'aeiou' else 'a'} {kind}" + (f" by {_publisher(guide)}" if guide.publisher else "")
        first = " (its own conclusions first)" if conclusions else ""
        return (f"{name[:1].upper()}{name[1:]}{titled} {what}" + (f", {guide.date}" if known else "")
                + f". Its key points, in its own words (Dutch){first}:")
    what = f"is een {guide.kind or 'document'}" + (f" van {_publisher(guide)}" if guide.publisher else "")
    first = " (eerst de eigen conclusies en aanbevelingen)" if conclusions else ""
    return (f"{name[:1].upper()}{name[1:]}{titled} {what}" + (f", {guide.date}" if known else "")
            + f". De kern, in de woorden van het document zelf{first}:")


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


def _quote_lines(points: Sequence[KeyPoint], guide: DocumentGuide, chunk: ChunkLookup, budget: int,
                 least: int) -> tuple[list[str], list[Citation], int]:
    """Quoted, cited lines for ``points`` while they fit ``budget`` words (at least ``least`` of them)."""
    lines: list[str] = []
    citations: list[Citation] = []
    used = 0
    for point in points:
        found = chunk(point.chunk_id)
        if found is None:
            continue  # a guide of another build: the passage is gone, so the point cannot be cited
        line = f"- “{point.text}” [{len(citations) + 1}]"
        if used + _count(line) > budget and len(lines) >= least:
            break
        citations.append(sentence_citation(len(citations) + 1, [_sentence(point, guide.doc_id)], Hit.from_chunk(found),
                                           guide.title))
        lines.append(line)
        used += _count(line)
    return lines, citations, used


def recommendations_answer(guide: DocumentGuide, lang: Language, chunk: ChunkLookup) -> Composed:
    """The document's own recommendations, whole (its lead-in and every item), or as many as fit and a count."""
    name = name_of(guide, lang)
    lead = (f"{name[:1].upper()}{name[1:]} makes these recommendations (in Dutch):" if lang == "en"
            else f"{name[:1].upper()}{name[1:]} doet deze aanbevelingen:")
    lines, citations, _ = _quote_lines(guide.recommendations, guide, chunk, MAX_WORDS - _count(lead), len(guide.recommendations))
    return Composed(lead + "\n\n" + "\n".join(lines), tuple(citations), len(lines))


def findings_and_recommendations(guide: DocumentGuide, lang: Language, chunk: ChunkLookup) -> Composed:
    """Key points from the chapters (as many as fit, at least one), then the document's own recommendations whole."""
    recommendations = recommendations_answer(guide, lang, chunk)
    lead = _lead(guide, lang)
    budget = MAX_WORDS - _count(lead) - _count(recommendations.text)
    taken = {p.text for p in guide.recommendations}
    points = [p for p in guide.points if p.text not in taken]
    lines, citations, _ = _quote_lines(points, guide, chunk, budget, 1)
    # The recommendations' citations are numbered after the key points'.
    shift = len(citations)
    renumbered = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + shift}]", recommendations.text)
    moved = tuple(replace(c, n=c.n + shift) for c in recommendations.citations)
    text = lead + "\n\n" + "\n".join(lines) + "\n\n" + renumbered
    return Composed(text, (*citations, *moved), len(lines) + recommendations.sentences)


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
    if structure:  # after the sentence that names the document: the first line says which document it is
        intro, _, kern = lead.rpartition(KERN_SEPARATOR)
        lead = f"{intro}. {structure}\n\n{kern}"
    if conclusions and len(guide.conclusions) < MIN_POINTS and not guide.recommendations:
        lead = lead.rstrip(":") + (". It has no conclusions or recommendations of its own; its key points:" if lang == "en"
                                   else ". Het heeft geen eigen hoofdstuk met conclusies of aanbevelingen; dit is de kern:")
    pointer = _recommendations_pointer(guide, lang)
    lines, citations, _ = _quote_lines(points[:MAX_POINTS], guide, chunk, MAX_WORDS - _count(lead) - _count(pointer),
                                       MIN_POINTS)
    return Composed(lead + "\n\n" + "\n".join(lines) + (f"\n\n{pointer}" if pointer else ""), tuple(citations), len(lines))


def _recommendations_pointer(guide: DocumentGuide, lang: Language) -> str:
    """"Het document doet ook vier eigen aanbevelingen …": its list of recommendations is shown whole when asked for."""
    items = [p for p in guide.recommendations if not p.text.endswith(":")]
    if len(items) < 2:
        return ""
    name = name_of(guide, lang)
    if lang == "en":
        return f"It also makes {len(items)} recommendations of its own (ask: ‘Which recommendations does {name} make?’)."
    return f"Het doet ook {len(items)} eigen aanbevelingen (vraag: ‘Welke aanbevelingen doet {name}?’)."


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
    guide = guides[request.doc_id]
    # Recommendations alone get the whole list; with findings or a summary also asked, the overview (its own
    # conclusions first) answers, and names the list.
    if ASKS_RECOMMENDATIONS.search(question) and guide.recommendations:
        if not ASKS_MORE.search(question):
            return recommendations_answer(guide, lang, chunk)
        if len(guide.conclusions) < MIN_POINTS:  # findings and recommendations: the key points, then the list whole
            return findings_and_recommendations(guide, lang, chunk)
    return document_answer(guide, lang, chunk, bool(ASKS_CONCLUSIONS.search(question)))


def guide_answer(plan: QuestionPlan, question: str, guides: Mapping[str, DocumentGuide], chunk: ChunkLookup,
                 intent: OverviewIntent | None, doc_ids: Sequence[str] = (),
                 sentences: SentenceIndex | None = None) -> Answer | None:
    """The answer to ``plan`` from the source guides when it is an overview question; None otherwise.

    ``doc_ids`` are the documents the user restricted the search to (none: all); ``sentences`` the build's
    sentences, for a question about one part of a document (without them such a question is answered as usual)."""
    if doc_ids:
        guides = {d: g for d, g in guides.items() if d in doc_ids}
    request = overview_request(plan, guides, intent) if intent is not None else None
    if request is None:
        return None
    if request.section is not None:  # a part of the document: answered from its sentences, when it has that part
        found = (section_answer(request.section, guides[request.doc_id], sentences, chunk, plan.lang,
                                name_of(guides[request.doc_id], plan.lang)) if sentences else None)
        if found is None:
            return None
        return _answer(question, plan, found, chunk, "section")
    return _answer(question, plan, overview_answer(request, guides, plan.lang, chunk, plan.question), chunk, "overview")


def _answer(question: str, plan: QuestionPlan, composed: Composed, chunk: ChunkLookup, kind: str) -> Answer:
    return Answer(question=question, text=composed.text, citations=composed.citations, mode="extractive",
                  refused=False, standalone_question=plan.question, hits=cited_hits(composed.citations, chunk),
                  kind=kind, lang=plan.lang)


def cited_hits(citations: Sequence[Citation], chunk: ChunkLookup) -> tuple[Hit, ...]:
    """The passages an overview answer cites, as hits (shown beside the answer like retrieved passages)."""
    hits: list[Hit] = []
    for c in citations:
        found = chunk(c.chunk_id)
        if found is not None and all(h.chunk_id != c.chunk_id for h in hits):
            hits.append(Hit.from_chunk(found, rank=len(hits) + 1))
    return tuple(hits)
