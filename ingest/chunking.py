"""Cutting cleaned blocks into passages for retrieval.

Chunks follow the structure of the document: sections (heading plus text)
first, then sentences. Every chunk is a contiguous slice of the cleaned text,
so ``text[chunk.start:chunk.end] == chunk.text`` and a citation can always be
traced back to its place in the document.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ingest.cleaning import Block
from kb.types import Chunk, Place, SourceInfo
from opgavewijzer.text import sentence_spans

@dataclass(frozen=True)
class ChunkedDocument:
    """A cleaned document and its chunks."""

    source: SourceInfo
    text: str
    chunks: tuple[Chunk, ...]


@dataclass(frozen=True)
class _Unit:
    """A sentence (or a heading, or a piece of an overlong sentence) with its context."""

    start: int
    end: int
    words: int
    heading: bool
    path: tuple[str, ...]
    page: int | None
    section: int
    group: int = 0  # the list, table or footnoted paragraph it belongs to (0: none)


def chunk_document(
    blocks: Sequence[Block],
    source: SourceInfo,
    *,
    target_words: int = 180,
    max_words: int = 250,
    min_words: int = 120,
    overlap_sentences: int = 1,
) -> ChunkedDocument:
    """Chunk cleaned blocks: by section, then by sentence, aiming at ``target_words`` per chunk."""
    if not 0 < min_words <= target_words <= max_words or overlap_sentences < 0:
        raise ValueError("expected 0 < min_words <= target_words <= max_words and overlap_sentences >= 0")
    text, units = _units(blocks, max_words, target_words)
    marked = any(b.kind == "heading" and b.marked for b in blocks)
    groups: list[list[_Unit]] = []
    sizes: list[int] = []  # words per group, kept as they grow (summing again would be quadratic)
    for section in _sections(units):
        # A section under min_words is merged into the next one (a chapter title
        # joins its first paragraph); a small last section joins the one before.
        # Under marked headings, only where the later one sits under the earlier
        # one's heading: a passage is labelled with the heading path of its first
        # text, and that must be true of everything in it. Guessed headings (plain
        # text) are too often wrong to leave a passage of a few words on their own.
        words = sum(u.words for u in section)
        if groups and sizes[-1] < min_words and (not marked or _under(section, groups[-1])):
            groups[-1].extend(section)
            sizes[-1] += words
        else:
            groups.append(section)
            sizes.append(words)
    if len(groups) > 1 and sizes[-1] < min_words and (not marked or _under(groups[-1], groups[-2])):
        groups[-2].extend(groups.pop())
    chunks: list[Chunk] = []
    for group in groups:
        for first, last in _pack(group, target_words, max_words, min_words, overlap_sentences):
            part = group[first:last]
            texts = [u for u in part if not u.heading]
            start, end = part[0].start, part[-1].end
            chunks.append(Chunk(
                doc_id=source.doc_id,
                title=source.title,
                text=text[start:end],
                section_path=(texts[0] if texts else part[-1]).path,
                start=start,
                end=end,
                ordinal=len(chunks),
                page=part[0].page,
                places=_places(texts, start),
            ))
    return ChunkedDocument(source, text, tuple(chunks))


def _places(texts: list[_Unit], start: int) -> tuple[Place, ...]:
    """Where the section or page changes inside a passage, after its first text: a small section merged into the
    next one is still the section of its own sentences, so a quote from it is labelled with its own heading."""
    places: list[Place] = []
    for before, unit in itertools.pairwise(texts):
        if (unit.path, unit.page) != (before.path, before.page):
            places.append(Place(unit.start - start, unit.path, unit.page))
    return tuple(places)


def _units(blocks: Sequence[Block], max_words: int, target_words: int) -> tuple[str, list[_Unit]]:
    """The cleaned text (blocks joined by blank lines) and its sentence units."""
    pieces: list[str] = []
    units: list[_Unit] = []
    path: list[tuple[int, str]] = []
    offset = section = 0
    for block in blocks:
        if not block.text.strip():
            continue
        if pieces:
            offset += 2  # the "\n\n" between blocks
        if block.kind == "heading":
            while path and path[-1][0] >= block.level:
                path.pop()
            path.append((block.level, block.text))
            section += 1
        spans = [(0, len(block.text))] if block.kind == "heading" else sentence_spans(block.text)
        for s, e in spans:
            for ps, pe in _split_long(block.text, s, e, max_words, target_words):
                units.append(_Unit(offset + ps, offset + pe, len(block.text[ps:pe].split()),
                                   block.kind == "heading", tuple(t for _, t in path), block.page, section,
                                   block.group))
        pieces.append(block.text)
        offset += len(block.text)
    return "\n\n".join(pieces), units


def _split_long(text: str, start: int, end: int, max_words: int, target_words: int) -> list[tuple[int, int]]:
    """A sentence over ``max_words`` (a list or table without periods) cut at word boundaries."""
    words = [m.span() for m in re.finditer(r"\S+", text[start:end])]
    if len(words) <= max_words:
        return [(start, end)]
    count = -(-len(words) // target_words)
    size = -(-len(words) // count)
    return [(start + words[i][0], start + words[min(i + size, len(words)) - 1][1]) for i in range(0, len(words), size)]


def _under(later: list[_Unit], earlier: list[_Unit]) -> bool:
    """Whether the section ``later`` sits under the path of ``earlier`` (its own heading or a child)."""
    label = next((u.path for u in earlier if not u.heading), earlier[0].path)
    return later[-1].path[:len(label)] == label


def _sections(units: list[_Unit]) -> list[list[_Unit]]:
    """Consecutive units that share a section (each heading opens a new one)."""
    sections: list[list[_Unit]] = []
    for unit in units:
        if sections and sections[-1][-1].section == unit.section:
            sections[-1].append(unit)
        else:
            sections.append([unit])
    return sections


def _pack(units: list[_Unit], target: int, max_words: int, min_words: int, overlap: int) -> list[tuple[int, int]]:
    """Unit ranges ``[first, last)`` of the chunks of one group, each at most ``max_words``."""

    before = [0, *itertools.accumulate(u.words for u in units)]  # words before each unit: O(1) sizes

    def size(a: int, b: int) -> int:
        return before[b] - before[a]

    total = size(0, len(units))
    if total <= max_words:
        return [(0, len(units))]
    goal = total / max(2, round(total / target))
    ranges: list[tuple[int, int]] = []
    i = 0
    while i < len(units):
        first = i
        if ranges and overlap:
            # Repeat the last sentences of the previous chunk, within the same section and never all of it.
            cand = max(ranges[-1][0] + 1, i - overlap)
            if all(not u.heading and u.section == units[i].section for u in units[cand:i]) \
                    and size(cand, i + 1) <= max_words:
                first = cand
        j, words = i, size(first, i)
        while j < len(units):
            w = units[j].words
            closer = words >= goal and abs(words + w - goal) > abs(words - goal)
            if j > i and (words + w > max_words or (words >= min_words and closer)):
                break
            words, j = words + w, j + 1
        j = _keep_group(units, i, first, j, max_words, size)
        while j - 1 > i and units[j - 1].heading:
            j -= 1  # a heading belongs with the text after it, not at the end of a chunk
        words, rest = size(first, j), size(j, len(units))
        if 0 < rest < min_words:
            if words + rest <= max_words:
                j = len(units)
            else:  # split what is left in two halves rather than leave a scrap
                half = (words + rest) / 2
                fits = [k for k in range(i + 1, len(units)) if size(first, k) <= max_words]
                j = min(fits, key=lambda k: (size(first, k) < min_words, abs(size(first, k) - half))) if fits else j
        ranges.append((first, j))
        i = j
    return ranges


def _keep_group(units: list[_Unit], i: int, first: int, j: int, max_words: int, size: Callable[[int, int], int]) -> int:
    """Move a cut ``j`` out of a list or table that fits in one chunk: before it, or after it.

    A list cut in two loses its last items to the next passage, where a
    question about the list does not find them.
    """
    if not 0 < j < len(units) or not units[j].group or units[j - 1].group != units[j].group:
        return j
    start = end = j
    while start > 0 and units[start - 1].group == units[j].group:
        start -= 1
    while end < len(units) and units[end].group == units[j].group:
        end += 1
    if size(start, end) > max_words:
        return j  # too long for one passage: cut where the words say
    if size(first, end) <= max_words:
        return end
    return start if start > i else j
