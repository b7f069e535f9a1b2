"""The answer to an overview question about one part of a document: "Waar gaat hoofdstuk 6 van de gids over?".

The question names the part ("hoofdstuk 6", "paragraaf 4.2", "de derde bouwsteen"); the part is found in the
document's own structure: the headings its sentences stand under and the chapters of its source guide. The
answer names the part by its heading, then quotes its most central sentences, each whole and cited. A part the
document does not have gets no section answer; the question is then answered like any other.
"""

from __future__ import annotations

import re
from typing import Callable, Sequence

import numpy as np

from assistant.answer.compose import Composed, sentence_citation
from assistant.answer.neighbours import leans_back
from assistant.answer.overview_words import SectionReference
from kb.guides import DocumentGuide
from kb.sentences import SentenceIndex
from kb.types import Chunk, Hit, Sentence
from opgavewijzer.text import Language

POINTS = 3  # sentences quoted: a part is smaller than a document, whose overview quotes three to five
MIN_WORDS = 8  # shorter sentences are headings, captions or list stubs, which say little on their own
# A sentence that announces the part ("In dit hoofdstuk beschrijven we …") says what it is about; it counts as
# this much cosine more than its centrality. Chosen by reading the section answers of the dev documents.
ANNOUNCES_BONUS = 0.05
# A part opens with what it is about; and a chapter of flat headings may run on into untitled back matter. Up to
# this much cosine is taken off a sentence the later it stands (the last loses all of it). Chosen with the bonus.
POSITION_WEIGHT = 0.04
ANNOUNCES = re.compile(r"\b(?:dit|deze)\s+(?:hoofdstuk|paragraaf|deel|bouwsteen|bijlage|sectie)\b|"
                       r"\bthis\s+(?:chapter|section|part)\b", re.IGNORECASE)
# Headings that end the body of a document: what follows is back matter, never part of its last chapter.
BACK_MATTER = re.compile(r"^(?:bijlage|bijlagen|appendix|literatuur|bronnen|colofon|over\s+de\s+auteurs?|"
                         r"over\s+\w+$|noten|references)\b", re.IGNORECASE)
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
ChunkLookup = Callable[[str], "Chunk | None"]


def _components(label: str) -> list[str]:
    return [c.strip() for c in label.split(" > ")] if label else []


def _matches(component: str, ref: SectionReference) -> bool:
    """True if a heading carries the reference's number: "4.2 Opgavegericht …", "Hoofdstuk 6", "(hoofdstuk 6)"."""
    number = re.escape(ref.number)
    return bool(re.match(rf"{number}(?:[.)]|\s)(?!\d)", component)
                or re.search(rf"\b{re.escape(ref.part)}\s+{number}\b(?!\.\d)", component, re.IGNORECASE))


def _target(sentences: Sequence[Sentence], guide: DocumentGuide, ref: SectionReference) -> tuple[str, int] | None:
    """The heading of the part and its depth in the label path, or None when the document has no such part."""
    tops = [c for c in guide.chapters if " > " not in c]
    if ref.number == "last":
        return (_PAREN.sub("", tops[-1]), 0) if tops else None
    found: list[tuple[int, int, str]] = []  # (no part word in its path, depth, heading)
    stem = ref.part[:6].lower()
    for path in [*guide.chapters, *dict.fromkeys(s.label for s in sentences)]:
        parts = _components(path)
        for depth, component in enumerate(parts):
            if _matches(component, ref):
                holds_part = any(stem in p.lower() for p in parts[: depth + 1])
                found.append((int(not holds_part), depth, _PAREN.sub("", component)))
    if found:
        _, depth, heading = min(found, key=lambda f: (f[0], f[1]))
        return heading, depth
    if ref.part in ("hoofdstuk", "chapter") and ref.number.isdigit() and 0 < int(ref.number) <= len(tops):
        return _PAREN.sub("", tops[int(ref.number) - 1]), 0
    return None


def section_sentences(sentences: Sequence[Sentence], guide: DocumentGuide, ref: SectionReference) -> tuple[str, list[Sentence]]:
    """The heading of the part ``ref`` names and the sentences under it, in document order ("", [] if none).

    Under nested headings the part is the run of sentences whose label path holds its heading. A document
    whose headings are flat (a chapter heading, then sub-headings at the same level) has the part run on to
    the next chapter of its guide, or to its back matter."""
    target = _target(sentences, guide, ref)
    if target is None:
        return "", []
    heading, depth = target
    starts = [i for i, s in enumerate(sentences) if heading in _components(s.label)]
    if not starts:
        return "", []
    start = starts[0]
    nested = depth > 0 or any(heading in _components(s.label)[:-1] for s in sentences)
    later = {_PAREN.sub("", c) for c in guide.chapters if " > " not in c} - {heading}
    span = []
    for s in sentences[start:]:
        parts = _components(s.label)
        inside = heading in parts
        if nested and not inside and span:
            break
        if not inside and (s.label in later or (parts and BACK_MATTER.match(parts[-1]))):
            break
        span.append(s)
    return heading, span


def key_sentences(span: Sequence[Sentence], index: SentenceIndex, count: int = POINTS) -> list[Sentence]:
    """The ``count`` most central whole body sentences of the part, in document order.

    Central: closest to the mean e5 vector of the part's sentences, plus :data:`ANNOUNCES_BONUS` for a sentence
    that says what the part is about, less up to :data:`POSITION_WEIGHT` the later it stands. A sentence that
    leans on the one before ("Dit …", "Of …") cannot stand alone in a list and is left out. Without stored
    vectors, the first ones."""
    body = [s for s in span if s.role == "body" and len(s.text.split()) >= MIN_WORDS and not s.text.endswith(":")
            and (not leans_back(s.text) or ANNOUNCES.match(s.text))]  # "Dit hoofdstuk …" names the part itself
    vectors = [index.vector(s) for s in body]
    if body and all(v is not None for v in vectors):
        matrix = np.asarray(vectors)
        centre = matrix.mean(axis=0)
        scores = matrix @ (centre / (np.linalg.norm(centre) or 1.0))
        scores = scores + np.array([ANNOUNCES_BONUS * bool(ANNOUNCES.search(s.text)) - POSITION_WEIGHT * i / len(body)
                                    for i, s in enumerate(body)])
        chosen = sorted(np.argsort(-scores)[:count])
        return [body[i] for i in chosen]
    return body[:count]


def section_answer(ref: SectionReference, guide: DocumentGuide, index: SentenceIndex, chunk: ChunkLookup,
                   lang: Language, name: str) -> Composed | None:
    """"Hoofdstuk 6 van de gids heet ‘Opgavegericht leren’. …": the part's heading and key sentences, cited.

    ``name`` is how running text names the document ("de VPNG-inspiratiegids")."""
    heading, span = section_sentences(index.by_doc.get(guide.doc_id, ()), guide, ref)
    points = key_sentences(span, index)
    if not points:
        return None
    if lang == "en":
        lead = f"{ref.text[:1].upper()}{ref.text[1:]} of {name} is headed ‘{heading}’. Its key sentences (in Dutch):"
    else:
        lead = f"{ref.text[:1].upper()}{ref.text[1:]} van {name} heet ‘{heading}’. De kern, in de woorden van het document:"
    lines, citations = [], []
    for s in points:
        found = chunk(s.chunk_id)
        if found is None:
            continue
        citations.append(sentence_citation(len(citations) + 1, [s], Hit.from_chunk(found), guide.title))
        lines.append(f"- “{s.text}” [{len(citations)}]")
    return Composed(lead + "\n\n" + "\n".join(lines), tuple(citations), len(lines)) if lines else None
