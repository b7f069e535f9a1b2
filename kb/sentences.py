"""The sentences of a loaded build, in document order: what answers quote and where their neighbours are.

Ingest splits each document into sentences once and stores, with every
passage, the spans and content roles of the sentences it holds (see
``ingest/sentences.py``). Here they are gathered per document, so that an
answer can quote a whole sentence even when a passage edge cuts it, and can
bring in the sentence before ("Dit …" leans on it) or the items after ("… de
volgende stappen:").
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import Sequence

from kb.types import Chunk, Sentence


@dataclass(frozen=True)
class SentenceIndex:
    """All sentences of a build by document, and which sentences each passage holds."""

    by_doc: dict[str, tuple[Sentence, ...]]
    by_chunk: dict[str, tuple[int, ...]]  # chunk id -> indexes into by_doc[chunk.doc_id]

    @classmethod
    def build(cls, chunks: Sequence[Chunk]) -> "SentenceIndex":
        """Gather the sentences of ``chunks`` (in document order, as the store loads them); linear in their size."""
        by_doc: dict[str, list[Sentence]] = {}
        by_chunk: dict[str, tuple[int, ...]] = {}
        position: dict[tuple[str, int, int], int] = {}
        texts: dict[str, _DocText] = {}
        for chunk in chunks:
            texts.setdefault(chunk.doc_id, _DocText()).add(chunk)
        for chunk in chunks:
            sentences = by_doc.setdefault(chunk.doc_id, [])
            own: list[int] = []
            for span in chunk.sentences:
                key = (chunk.doc_id, span.start, span.end)
                if key not in position:
                    position[key] = len(sentences)
                    doc_text = texts[chunk.doc_id]
                    text = " ".join(doc_text.slice(span.start, span.end).split())
                    before = sentences[-1].end if sentences else 0
                    opens = not sentences or "\n" in doc_text.slice(before, span.start)
                    sentences.append(Sentence(chunk.doc_id, chunk.chunk_id, len(sentences), span.start, span.end,
                                              text, span.role, chunk.section, chunk.page, opens))
                own.append(position[key])
            by_chunk[chunk.chunk_id] = tuple(own)
        return cls({d: tuple(s) for d, s in by_doc.items()}, by_chunk)

    def of_chunk(self, doc_id: str, chunk_id: str) -> list[Sentence]:
        """The sentences a passage holds (whole, even where the passage cuts them), in order."""
        sentences = self.by_doc.get(doc_id, ())
        return [sentences[i] for i in self.by_chunk.get(chunk_id, ())]

    def neighbour(self, sentence: Sentence, step: int) -> Sentence | None:
        """The sentence ``step`` places further in the same document (negative: before), if any."""
        sentences = self.by_doc.get(sentence.doc_id, ())
        i = sentence.index + step
        return sentences[i] if 0 <= i < len(sentences) else None


class _DocText:
    """The cleaned text of one document, pieced together from its passages (they overlap and may leave gaps)."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._texts: list[str] = []

    def add(self, chunk: Chunk) -> None:
        """Add one passage; passages arrive in document order."""
        self._starts.append(chunk.start)
        self._texts.append(chunk.text)

    def slice(self, start: int, end: int) -> str:
        """The text between two document offsets; a gap no passage covers reads as a space.

        Only the passages around the span are read (found by bisection), so
        gathering every sentence stays linear in the size of the build.
        """
        out = [" "] * (end - start)
        i = max(0, bisect_right(self._starts, start) - 1)
        while i < len(self._starts) and self._starts[i] < end:
            offset, text = self._starts[i], self._texts[i]
            lo, hi = max(start, offset), min(end, offset + len(text))
            if lo < hi:
                out[lo - start:hi - start] = text[lo - offset:hi - offset]
            i += 1
        return "".join(out)
