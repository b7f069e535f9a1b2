"""Supporting quotes by meaning: a sentence below the floor is left out, with the real e5 model and sentence index."""

from __future__ import annotations

import numpy as np

from assistant.leeropdracht.material import MEANING_FLOOR, rank_sentences
from assistant.leeropdracht.meaning import QuoteMeaning
from assistant.support import SupportScorer, TermWeights
from kb.embeddings import E5Embedder
from kb.lexical import DutchAnalyzer
from kb.sentences import SentenceIndex
from kb.types import Chunk, Hit, SentenceSpan

ABOUT = "De lijnmanager verbindt de medewerkers van zijn afdeling met de opgaven en geeft hun daarbij ruimte en richting."
OFF = "De koffieautomaat op de derde verdieping van het stadhuis is sinds dinsdag weer kapot en wordt vervangen."


class _KB:
    """A knowledge base of one passage, with its sentences' e5 vectors as ingest stores them."""

    def __init__(self, chunk: Chunk, embedder: E5Embedder) -> None:
        self._chunk, self.embedder = chunk, embedder
        vectors = embedder.embed_passages([chunk.text[s.start:s.end] for s in chunk.sentences])
        self.sentences = SentenceIndex.build([chunk], {(chunk.doc_id, s.start, s.end): np.asarray(v)
                                                       for s, v in zip(chunk.sentences, vectors)})

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self._chunk if chunk_id == self._chunk.chunk_id else None


def test_a_quote_below_the_meaning_floor_is_left_out(e5: E5Embedder) -> None:
    text = f"{ABOUT} {OFF}"
    spans = (SentenceSpan(0, len(ABOUT)), SentenceSpan(len(ABOUT) + 1, len(text)))
    chunk = Chunk("gids", "Gids", text, ("Rollen",), 0, len(text), 0, sentences=spans)
    kb = _KB(chunk, e5)
    meaning = QuoteMeaning(kb, ["lijnmanager afdelingshoofd", "medewerkers inzetten voor opgaven"])
    hit = Hit.from_chunk(chunk)
    about, off = meaning.of(hit, 0, len(ABOUT)), meaning.of(hit, len(ABOUT) + 1, len(text))
    assert off < MEANING_FLOOR <= about
    analyzer = DutchAnalyzer("dutch")
    scorer = SupportScorer(analyzer, TermWeights(analyzer, [ABOUT, OFF, "De opgave vraagt veel van de organisatie."]))
    # Both share words with the query; only the one about the role and the subject is kept.
    query = "lijnmanager medewerkers opgaven stadhuis koffieautomaat"
    assert [q.text for q in rank_sentences(kb, [hit], query, scorer, "lijnmanager", 0.0, meaning=meaning)] == [ABOUT]
    assert len(rank_sentences(kb, [hit], query, scorer, "lijnmanager", 0.0)) == 2  # without meaning both would be
    # Without sentence vectors or an embedder nothing is judged by meaning.
    assert not QuoteMeaning(object(), ["lijnmanager"]).active  # type: ignore[arg-type]
