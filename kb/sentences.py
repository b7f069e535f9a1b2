"""The sentences of a loaded build, in document order: what answers quote and where their neighbours are.

Ingest splits each document into sentences once and stores, with every
passage, the spans and content roles of the sentences it holds (see
``ingest/sentences.py``). Here they are gathered per document, so that an
answer can quote a whole sentence even when a passage edge cuts it, and can
bring in the sentence before ("Dit …" leans on it) or the items after ("… de
volgende stappen:").

Ingest also stores each sentence's e5 passage vector with the build
(``ingest/sentence_vectors.py``); :meth:`SentenceIndex.load` brings them along,
so that a sentence can be scored by meaning without embedding it per question.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Mapping, Sequence

import numpy as np

from kb.store import ChromaStore, SentenceKey
from kb.types import Chunk, Sentence, place_at


@dataclass(frozen=True)
class SentenceIndex:
    """All sentences of a build by document, and which sentences each passage holds."""

    by_doc: dict[str, tuple[Sentence, ...]]
    by_chunk: dict[str, tuple[int, ...]]  # chunk id -> indexes into by_doc[chunk.doc_id]
    # doc id -> one unit row per sentence of by_doc[doc_id]; a row of zeros: no vector for that sentence.
    vectors: dict[str, np.ndarray] = field(default_factory=dict)

    @classmethod
    def load(cls, store: ChromaStore, collection: str, chunks: Sequence[Chunk]) -> "SentenceIndex":
        """The sentences of a loaded build (``chunks`` as :meth:`ChromaStore.load` gives them) with their stored vectors."""
        return cls.build(chunks, store.load_sentence_vectors(collection))

    @classmethod
    def build(cls, chunks: Sequence[Chunk], vectors: Mapping[SentenceKey, np.ndarray] | None = None) -> "SentenceIndex":
        """Gather the sentences of ``chunks`` (in document order, as the store loads them); linear in their size.

        ``vectors`` maps ``(doc_id, start, end)`` to a sentence's vector; without it
        :meth:`vector` answers ``None`` for every sentence.
        """
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
                    label, page = place_at(span.start - chunk.start, chunk.places, chunk.section, chunk.page)
                    sentences.append(Sentence(chunk.doc_id, chunk.chunk_id, len(sentences), span.start, span.end,
                                              text, span.role, chunk.section, page, opens, label))
                own.append(position[key])
            by_chunk[chunk.chunk_id] = tuple(own)
        return cls({d: tuple(s) for d, s in by_doc.items()}, by_chunk, _matrices(by_doc, vectors or {}))

    def vector(self, sentence: Sentence) -> np.ndarray | None:
        """The sentence's unit e5 passage vector, or ``None`` when the build stored none for it."""
        matrix = self.vectors.get(sentence.doc_id)
        if matrix is None or not 0 <= sentence.index < len(matrix) or not matrix[sentence.index].any():
            return None
        return matrix[sentence.index]

    def similarities(self, query: np.ndarray, sentences: Sequence[Sentence]) -> np.ndarray:
        """Cosine of a unit query vector with each sentence; NaN where a sentence has no vector."""
        out = np.full(len(sentences), np.nan, dtype=np.float32)
        for i, sentence in enumerate(sentences):
            vector = self.vector(sentence)
            if vector is not None:
                out[i] = float(vector @ query)
        return out

    def of_chunk(self, doc_id: str, chunk_id: str) -> list[Sentence]:
        """The sentences a passage holds (whole, even where the passage cuts them), in order."""
        sentences = self.by_doc.get(doc_id, ())
        return [sentences[i] for i in self.by_chunk.get(chunk_id, ())]

    def neighbour(self, sentence: Sentence, step: int) -> Sentence | None:
        """The sentence ``step`` places further in the same document (negative: before), if any."""
        sentences = self.by_doc.get(sentence.doc_id, ())
        i = sentence.index + step
        return sentences[i] if 0 <= i < len(sentences) else None


def _matrices(by_doc: Mapping[str, Sequence[Sentence]], vectors: Mapping[SentenceKey, np.ndarray]) -> dict[str, np.ndarray]:
    """Per document, the sentences' vectors as unit rows in sentence order (zeros where one is missing)."""
    if not vectors:
        return {}
    dim = len(next(iter(vectors.values())))
    out: dict[str, np.ndarray] = {}
    for doc_id, sentences in by_doc.items():
        matrix = np.zeros((len(sentences), dim), dtype=np.float32)
        for s in sentences:
            vector = vectors.get((doc_id, s.start, s.end))
            if vector is not None:
                matrix[s.index] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        if matrix.any():
            out[doc_id] = matrix
    return out


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
