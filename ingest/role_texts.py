"""The cleaned text of a document seen as lines, sentences, headings and appendices, for the role parser.

Cleaned text puts every paragraph, heading and list item on a line of its
own, so the role parser works line by line. This module answers the
questions it asks about a place in the text: which line and sentences are
there, what heading stands above it, in which appendix it lies, and which
passage (chunk) holds it, so that every piece of a role profile becomes a
:class:`kb.roles.RoleText` that points at its exact source.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from ingest.chunking import ChunkedDocument
from kb.roles import RoleText
from kb.types import Chunk
from opgavewijzer.text import sentence_spans

# "Bijlage 3", "Bijlage 1": the line that opens an appendix (a Dutch document convention).
_APPENDIX = re.compile(r"^(Bijlage\s+\d+)\s*$")
# A heading is a short line without a full stop at its end (list items and captions look alike:
# a line that opens with a number, a bullet or "Term:" is not taken for one).
HEADING_MAX_WORDS = 10
QUESTION_HEADING_WORDS = 6  # "Wie is ambtelijk opdrachtgever?" is a heading; a longer question is not
_NOT_HEADING = re.compile(r"^(?:[\d•\-–*]|\S+(?:\s\S+){0,2}:)")
# A line that ends in one of these words was broken off mid-sentence by the extraction, not a heading.
_DANGLING_END = frozenset("de het een en of van om te in op met voor bij aan is".split())


@dataclass(frozen=True)
class Line:
    """One non-empty line of the cleaned text."""

    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        """Number of words on the line."""
        return len(self.text.split())

    @property
    def heading_like(self) -> bool:
        """True for a line that reads as a heading (short, no final punctuation, no list label)."""
        text = self.text.strip()
        question = text.endswith("?") and self.words <= QUESTION_HEADING_WORDS
        return (0 < self.words <= HEADING_MAX_WORDS and (question or text[-1] not in ".?!:;,”\"") and text[:1].isupper()
                and not _NOT_HEADING.match(text) and text.split()[-1].lower() not in _DANGLING_END)


class DocumentText:
    """Lines, sentences, headings, appendices and passages of one chunked document."""

    def __init__(self, doc: ChunkedDocument, appendix_name: str) -> None:
        self.doc = doc
        self.text = doc.text
        self.appendix_name = appendix_name
        self.lines: list[Line] = []
        pos = 0
        for raw in self.text.split("\n"):
            if raw.strip():
                lead = len(raw) - len(raw.lstrip())
                self.lines.append(Line(pos + lead, pos + len(raw.rstrip()), raw.strip()))
            pos += len(raw) + 1
        self._starts = [ln.start for ln in self.lines]
        # Appendices: each opens at its "Bijlage N" line and runs to the next one; the role
        # appendix ends where its last leeropdracht does (set by the parser, see close_appendix).
        self.appendices: list[tuple[int, int, str]] = []
        opened = [(ln.start, _APPENDIX.match(ln.text).group(1)) for ln in self.lines if _APPENDIX.match(ln.text)]
        for i, (start, name) in enumerate(opened):
            end = opened[i + 1][0] if i + 1 < len(opened) else len(self.text)
            self.appendices.append((start, end, " ".join(name.split())))

    # --- places in the text -------------------------------------------------
    def line_index(self, pos: int) -> int:
        """Index of the line that holds ``pos`` (or the last line before it)."""
        return max(0, bisect_right(self._starts, pos) - 1)

    def line_at(self, pos: int) -> Line:
        """The line that holds ``pos``."""
        return self.lines[self.line_index(pos)]

    def appendix_start(self) -> int | None:
        """Where the role appendix opens ("Bijlage 3" line), if the document has that line."""
        return next((s for s, _, name in self.appendices if name.lower() == self.appendix_name.lower()), None)

    def close_appendix(self, end: int) -> None:
        """End the role appendix at ``end``: text after its last leeropdracht is not part of it."""
        self.appendices = [(s, min(e, end) if n.lower() == self.appendix_name.lower() else e, n)
                           for s, e, n in self.appendices]

    def part(self, pos: int) -> str:
        """The appendix ``pos`` lies in, or "" for the main text."""
        return next((name for s, e, name in self.appendices if s <= pos < e), "")

    def heading_before(self, pos: int, floor: int = 0) -> str:
        """The nearest heading-like line above ``pos`` (not above ``floor``), or ""."""
        for i in range(self.line_index(pos), -1, -1):
            line = self.lines[i]
            if line.start < floor:
                break
            if line.end <= pos and line.heading_like:
                return line.text
        return ""

    def sentences(self, start: int, end: int) -> list[tuple[int, int]]:
        """Document spans of the sentences between ``start`` and ``end``."""
        return [(start + s, start + e) for s, e in sentence_spans(self.text[start:end])]

    # --- pieces of a profile --------------------------------------------------
    def chunk_for(self, start: int, end: int) -> Chunk | None:
        """The passage that holds the span entirely, else the one that overlaps it most."""
        inside = [c for c in self.doc.chunks if c.start <= start and end <= c.end]
        if inside:
            return inside[0]
        overlap = [(min(end, c.end) - max(start, c.start), c) for c in self.doc.chunks]
        best = max(overlap, key=lambda oc: oc[0], default=(0, None))
        return best[1] if best[0] > 0 else None

    def piece(self, start: int, end: int, section: str = "") -> RoleText | None:
        """The span as a :class:`RoleText` in the passage that holds it (whole sentences of one passage when it
        straddles two); None if no passage holds it."""
        chunk = self.chunk_for(start, end)
        if chunk is None:
            return None
        if not chunk.start <= start < end <= chunk.end:
            # Straddles two passages: keep the whole sentences that the passage of its first sentence holds.
            sents = self.sentences(start, end)
            home = self.chunk_for(*sents[0]) if sents else None
            kept = [s for s in sents if home is not None and home.start <= s[0] and s[1] <= home.end]
            if home is not None and kept:
                chunk, start, end = home, kept[0][0], kept[-1][1]
        start, end = max(start, chunk.start), min(end, chunk.end)
        return RoleText(
            text=self.text[start:end], chunk_id=chunk.chunk_id, start=start - chunk.start, end=end - chunk.start,
            part=self.part(start), section=section or self.heading_before(start), page=chunk.page,
        )
