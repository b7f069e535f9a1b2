"""List questions answered from a document's own outline.

"Welke vijf bouwstenen zijn er?" and "Welke patronen beschrijft het
NSOB-rapport?" ask for a list that the document gives as numbered section
headings ("1. Duidelijkheid over het waarom van de opgave", "4.1 Opgaven zijn
altijd politiek", …), each followed by pages of prose. No single sentence
names them all, so sentence ranking cannot answer; the outline can.

A *numbered list section* is a heading with at least three direct
subsections numbered 1, 2, 3, … in order. The numbering check keeps out
headings whose children are stray numbered lines ("3. Prioriteitstelling"
before "2. Opgavesturing"). A list question matches such a section when the
noun it asks about ("bouwstenen", "patronen") occurs in the heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from assistant.support import SupportScorer
from opgavewijzer.text import sentence_spans
from kb.retriever import in_front
from kb.types import Chunk, Hit

MIN_ITEMS = 3

_NUMBER = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)[.)]?\s+(?=\S)")
_PREPOSITIONS = frozenset("in van voor bij vanuit over met op tot uit naar tussen binnen rond rondom door of".split())
_LIST_WORDS = frozenset("overzicht lijst reeks aantal serie".split())  # "Overzicht van de bouwstenen"
_COUNTS = ("twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf")
# "Welke (vijf) bouwstenen …", "Wat zijn de (tien) patronen …", "Noem (alle) bouwstenen …", "Uit welke …".
_LIST_QUESTION = re.compile(
    r"^\s*(?:uit\s+|in\s+)?(?:welke|wat\s+zijn\s+(?:de|die|alle)|noem\s+(?:de|alle)?)\s+(?:(?:de|alle)\s+)?"
    rf"(?:(?P<count>\d{{1,2}}|{'|'.join(_COUNTS)})\s+)?(?P<noun>[^\W\d_][\w-]+)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ListItem:
    """One numbered subsection: its heading, its section path, and the passage that shows the heading."""

    heading: str
    section: str
    chunk: Chunk


@dataclass(frozen=True)
class ListSection:
    """A heading whose direct subsections form a numbered list."""

    doc_id: str
    heading: str
    items: tuple[ListItem, ...]
    opening: Chunk | None = None  # the section's first passage, where the items are often named in prose
    intro: tuple[int, int] | None = None  # span in ``opening`` of the sentence that introduces the list


def _number(heading: str) -> int | None:
    """The last component of a heading's number ("4.10 Opgavegericht …" → 10), else None."""
    match = _NUMBER.match(heading)
    return int(match.group(1).split(".")[-1]) if match else None


def list_sections(chunks: Sequence[Chunk]) -> tuple[ListSection, ...]:
    """Every numbered list section of the chunks' outlines (chunks in document order)."""
    first: dict[tuple[str, tuple[str, ...]], Chunk] = {}
    for chunk in chunks:
        for depth in range(1, len(chunk.section_path) + 1):
            first.setdefault((chunk.doc_id, chunk.section_path[:depth]), chunk)
    # Subsections grouped under their parent in one pass: uploaded documents can bring thousands of headings.
    children: dict[tuple[str, tuple[str, ...]], list[tuple[tuple[str, ...], Chunk]]] = {}
    for (doc_id, path), chunk in first.items():
        children.setdefault((doc_id, path[:-1]), []).append((path, chunk))
    previous = {(c.doc_id, c.ordinal): prev for prev, c in zip(chunks, chunks[1:]) if prev.doc_id == c.doc_id}
    found: list[ListSection] = []
    for (doc_id, path), opening in first.items():
        numbered = [(n, p, c) for p, c in children.get((doc_id, path), []) if (n := _number(p[-1])) is not None]
        if len(numbered) < MIN_ITEMS or [n for n, _, _ in numbered] != list(range(1, len(numbered) + 1)):
            continue
        items = tuple(ListItem(p[-1], " > ".join(p), _holding(p[-1], c, previous.get((doc_id, c.ordinal))))
                      for _, p, c in numbered)
        found.append(ListSection(doc_id, path[-1], items, opening, _intro_span(opening.text, items[0].heading)))
    return tuple(found)


def _holding(heading: str, chunk: Chunk, before: Chunk | None) -> Chunk:
    """The passage that shows the heading.

    Passages overlap, so a section's first passage can begin just after its
    heading, which then stands at the end of the passage before.
    """
    if heading_span(chunk.text, heading) is None and before is not None and heading_span(before.text, heading):
        return before
    return chunk


def list_noun(question: str) -> str | None:
    """The noun a list question asks about ("bouwstenen" in "Welke vijf bouwstenen zijn er?"), else None."""
    match = _LIST_QUESTION.match(question)
    return match.group("noun") if match else None


def names_count(question: str, section: ListSection) -> bool:
    """True if the question says how many items there are, and the section has that many ("de tien patronen").

    A count that agrees with the outline is evidence in its own right: such a
    question is answered even when its few words match little of the prose.
    """
    match = _LIST_QUESTION.match(question)
    count = match.group("count").lower() if match and match.group("count") else None
    if count is None:
        return False
    n = int(count) if count.isdigit() else _COUNTS.index(count) + 2
    return n == len(section.items)


def head_of(heading: str) -> str:
    """The part of a heading before its first preposition: what the heading is a list of.

    "4. Patronen in het werken vanuit maatschappelijke opgaven" lists patronen, not opgaven; "Overzicht van de
    bouwstenen" lists bouwstenen (a word for a list looks past its preposition).
    """
    words = _NUMBER.sub("", heading).split()
    for k, word in enumerate(words):
        if k and word.lower() in _PREPOSITIONS and words[k - 1].lower() not in _LIST_WORDS:
            return " ".join(words[:k])
    return " ".join(words)


def match_list(question: str, sections: Sequence[ListSection], scorer: SupportScorer,
               doc_ids: Sequence[str] = ()) -> ListSection | None:
    """The list section a list question asks for; ties go to the best overlap with the heading.

    The question's noun must be what the heading lists ("Welke patronen …" and
    "4. Patronen in …", not "Welke opgaven …"), or the question gives the right count and the
    section's opening passage uses the noun ("Welke vijf ingrediënten …" and
    "… is daarom het derde ingrediënt").
    """
    noun = list_noun(question)
    if noun is None:
        return None
    noun_terms = scorer.terms(noun)
    if not noun_terms:
        return None  # "Welke zijn …": a stop word, not a noun
    q_terms = scorer.terms(question)
    best: tuple[float, ListSection] | None = None
    for section in sections:
        if doc_ids and section.doc_id not in doc_ids:
            continue
        h_terms = scorer.terms(_NUMBER.sub("", section.heading))
        listed = noun_terms <= scorer.terms(head_of(section.heading))
        if not listed and not (names_count(question, section) and section.opening is not None
                               and noun_terms <= scorer.terms(section.opening.text)):
            continue
        overlap = scorer.coverage(q_terms, h_terms)
        if best is None or overlap > best[0]:
            best = (overlap, section)
    return best[1] if best else None


def item_hits(section: ListSection) -> list[Hit]:
    """The passage of every item, as hits in list order (one passage may hold two items).

    A hit is labelled with its item's section: the quoted heading opens that
    section even where the passage itself begins at the end of the one before.
    """
    hits: dict[str, Hit] = {}
    for item in section.items:
        if item.chunk.chunk_id not in hits:
            hits[item.chunk.chunk_id] = replace(Hit.from_chunk(item.chunk), section=item.section, places=())
    return list(hits.values())


def _intro_span(text: str, first_item: str) -> tuple[int, int] | None:
    """The first sentence of prose under the section heading, if it comes before the first item.

    "Om succesvol opgavegericht te werken … heb je in mijn visie dus vijf
    bouwstenen nodig." introduces the list; where the first item's heading
    comes straight after the section heading there is no such sentence.
    """
    item = heading_span(text, first_item)
    for start, end in sentence_spans(text):
        if item is not None and start >= item[0]:
            return None
        sentence = text[start:end]
        if len(sentence.split()) >= 5 and sentence.rstrip()[-1] in ".!?":
            return start, end
    return None


def with_items(hits: Sequence[Hit], section: ListSection, top_k: int) -> list[Hit]:
    """The item passages in list order (and the introducing one), then the other hits.

    At least ``top_k`` long when there are enough.
    """
    items = item_hits(section)
    if section.opening is not None and section.intro is not None:
        items.append(Hit.from_chunk(section.opening))
    return in_front(items, hits, max(top_k, len(items)))


def heading_span(text: str, heading: str) -> tuple[int, int] | None:
    """Where a heading stands in a passage (whitespace may differ), else None."""
    words = heading.split()
    if not words:
        return None
    match = re.search(r"\s+".join(re.escape(w) for w in words), text)
    return (match.start(), match.end()) if match else None
