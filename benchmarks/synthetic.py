"""A synthetic corpus of any size for the scale benchmark, and a cheap embedder for it.

The passages are Dutch-like: a word bigram model trained on the real corpus
writes the sentences, so word frequencies, sentence lengths and passage sizes
resemble the real ones. A real collection of hundreds of documents also has a
larger vocabulary than five documents; Dutch grows it mostly with compounds,
so a share of the content words is replaced by compounds of two corpus words,
from a pool that grows with the corpus as Heaps' law predicts (V ≈ K·n^β).

Embedding 20,000 passages with multilingual-e5-small takes hours on two
cores, so the passages are embedded by :class:`HashEmbedder`: a hashed bag of
words with the same dimension (384). Retrieval quality is meaningless with it;
search cost is not, because Chroma's cost depends on the number and the
dimension of the vectors, not on how they were made.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from kb.lexical import fold
from kb.types import Chunk

# Bump when the generator's output changes: cached benchmark indexes are then rebuilt.
GENERATOR_VERSION = 2  # 2: passages carry their sentences, as the ingest writes them
DIMENSION = 384  # multilingual-e5-small's, so vectors cost what real ones cost
REAL_PASSAGES = 212  # passages of the real five-document corpus (opgavewijzer status)
PASSAGES_PER_DOC = 42  # 212 passages over five documents
PASSAGES_PER_SECTION = 5
# Passage length in words: mean and spread of the real corpus's passages (chunking settings 120–250).
WORDS_MEAN, WORDS_SD, WORDS_MIN, WORDS_MAX = 170, 35, 60, 250
# Heaps' law exponent for Dutch prose (0.5–0.6 in the literature), and the share of
# content words that become a compound in a synthetic corpus larger than the real one.
HEAPS_BETA = 0.55
COMPOUND_SHARE = 0.08

_TOKEN_RE = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'-]*|[.!?]")
_WORD_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class BigramModel:
    """Successor lists of a word bigram model; sentence starts follow the token '.'."""

    successors: dict[str, list[str]]
    content_words: list[str]  # words of five letters or more, the raw material of compounds

    @classmethod
    def train(cls, texts: Sequence[str]) -> "BigramModel":
        """Learn the successors of every word in ``texts``."""
        successors: dict[str, list[str]] = {}
        content: set[str] = set()
        for text in texts:
            tokens = ["."] + _TOKEN_RE.findall(text)
            for a, b in zip(tokens, tokens[1:]):
                successors.setdefault(a, []).append(b)
                if len(b) >= 5 and b.isalpha() and b.islower():
                    content.add(b)
        return cls(successors, sorted(content))


def corpus_texts(corpus_dir: Path) -> list[str]:
    """The plain text of the real corpus (.txt and .md; markup characters dropped)."""
    texts = []
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix in (".txt", ".md") and path.name != "README.md":
            texts.append(re.sub(r"[#*_>|`→\[\]()]+", " ", path.read_text(encoding="utf-8")))
    return texts


class SyntheticCorpus:
    """Deterministic Dutch-like passages: the same seed and size give the same corpus."""

    def __init__(self, model: BigramModel, passages: int, seed: int = 17) -> None:
        self._model = model
        self.passages = passages
        self._rng = random.Random(seed)
        scale = passages / REAL_PASSAGES
        pool = int(len(model.content_words) * (scale**HEAPS_BETA - 1)) if scale > 1 else 0
        words = model.content_words
        self._compounds = [self._rng.choice(words) + self._rng.choice(words) for _ in range(pool)]

    def _sentence(self, budget: int) -> list[str]:
        words: list[str] = []
        token = "."
        while len(words) < budget:
            token = self._rng.choice(self._model.successors.get(token) or ["."])
            if token in ".!?":
                if len(words) >= 4:
                    break
                continue
            if self._compounds and len(token) >= 5 and self._rng.random() < COMPOUND_SHARE:
                token = self._rng.choice(self._compounds)
            words.append(token)
        return words

    def _text(self, n_words: int) -> str:
        sentences = []
        used = 0
        while used < n_words:
            words = self._sentence(min(40, n_words - used + 3))
            used += len(words)
            sentences.append(" ".join(words).capitalize() + ".")
        return " ".join(sentences)

    def _heading(self) -> str:
        return " ".join(self._sentence(5)[:5]).capitalize()

    def chunks(self) -> Iterator[Chunk]:
        """All passages, document by document, with sections and offsets like real chunks."""
        made = 0
        doc = 0
        while made < self.passages:
            doc_id = f"synth_{doc:04d}"
            title = f"Synthetisch document {doc + 1}: {self._heading()}"
            offset, section = 0, ""
            for ordinal in range(min(PASSAGES_PER_DOC, self.passages - made)):
                if ordinal % PASSAGES_PER_SECTION == 0:
                    section = f"{ordinal // PASSAGES_PER_SECTION + 1}. {self._heading()}"
                n_words = int(min(WORDS_MAX, max(WORDS_MIN, self._rng.gauss(WORDS_MEAN, WORDS_SD))))
                text = self._text(n_words)
                yield Chunk(doc_id, title, text, (section,), offset, offset + len(text), ordinal, page=ordinal // 3 + 1)
                offset += len(text) + 2
                made += 1
            doc += 1


class HashEmbedder:
    """A hashed bag of folded words in 384 dimensions: cheap, deterministic, not semantic.

    Only for the scale benchmark (see the module docstring): it costs microseconds
    per passage where e5 costs a quarter of a second.
    """

    name = f"bench-hashed-bag-of-words-{DIMENSION}"

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIMENSION), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _WORD_RE.findall(fold(text)):
                code = zlib.crc32(word.encode("utf-8"))
                out[row, code % DIMENSION] += 1.0 if code & 0x8000_0000 else -1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passages (same function as questions: there is no prefix to tell them apart)."""
        return self._embed(texts)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions."""
        return self._embed(texts)
