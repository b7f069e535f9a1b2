"""Is this a question about a document as a whole? A logistic model over named features.

"Waar gaat het NSOB-rapport over?", "tl;dr van het verslag", "What are the main takeaways of the guide?" ask
about a document as a whole; "Wat zijn de belangrijkste punten over de sturingsdriehoek in de gids?" asks about
a topic in it. Word lists alone do not carry over to phrasings nobody wrote down, so the decision is
P(overview) = σ(bias + Σ wᵢ·xᵢ) over the features of :data:`INTENT_FEATURES`:

* ``cue``: one of the named overview cues matches (:data:`assistant.answer.overview.CUES`); ``cue_alone``: one
  does and no focus word but everyday words is left over (see ``topic_known``), the surest sign;
* ``lists_documents``: it asks which documents there are; ``all_documents``: it speaks of "de bronnen";
* ``names_document``: it names exactly one document;
* ``proto_overview`` / ``proto_topic``: its highest e5 cosine with the prototype questions of each kind
  (``overview_prototypes.txt``, which name no real document), minus the mean cosine of a question with them,
  for the question with the documents' names replaced by "het document" (the form of the question, not its source);
* ``topic_phrase``: a preposition of subject ("over", "about", "on") introduces a word that names neither the
  request nor the document ("… de belangrijkste punten over de sturingsdriehoek", "… says about leadership");
* ``topic_known``: focus words of the asking part (:func:`assistant.answer.overview_words.asking_part`) left once request words and what names the document are taken out (its names,
  and what its opening passage says of it: place, date, occasion), that the sources use at least :data:`KEY_WORD` more than everyday Dutch (capped at :data:`MAX_WORDS_COUNTED`);
  proper names only the asked document holds (its authors, its place) name it too; ``topic_unknown``: those the sources never use
  ("tl;dr", "bullets"), which name no topic the documents could be searched for;
* ``topic_keyness``: the highest keyness of a left-over word the sources use (see :meth:`DocumentTerms.keyness`;
  0 when none is above 0): how much it is one of the sources' own subjects rather than an everyday word;
* ``topic_narrow``: how much the most topical left-over word names a topic within the document: its rarity in
  the collection times 1 minus the share of the document's passages that hold it ("sturingsdriehoek": high;
  "ging", or "Justitie" in the report on Justitie en Veiligheid: low);
* ``asks_fact``: the question analysis expects one checkable fact (a date, number, name, the authors);
  ``asks_how_why``: it asks how or why; ``asks_definition``: it asks what something is.

The weights are learned by ``python -m eval.train_overview`` from the labelled overview questions and hard
negatives (``eval/datasets/overview.jsonl``, ``overview-intent.jsonl``) and the answer sets' ordinary
questions, and stored in ``overview_weights.json``; every score can be explained feature by feature.
"""

from __future__ import annotations

import threading
from collections import Counter
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
from wordfreq import zipf_frequency

from assistant.answer.ranker import Contribution, RankerWeights
from assistant.support import SupportScorer
from kb.embeddings import Embedder
from opgavewijzer.errors import ConfigError

INTENT_FEATURES = ("cue", "cue_alone", "lists_documents", "all_documents", "names_document", "proto_overview", "proto_topic",
                   "topic_phrase", "topic_known", "topic_unknown", "topic_keyness", "topic_narrow", "asks_fact", "asks_how_why", "asks_definition")
INTENT_WEIGHTS = Path(__file__).resolve().parent / "overview_weights.json"
PROTOTYPES = Path(__file__).resolve().parent / "overview_prototypes.txt"
KINDS = ("overview", "topic")
THRESHOLD = 0.6  # P(overview) at which the guide answers; chosen by cross-validation (see eval.train_overview.C)
# The title block: title, date, place, occasion. Longer, and an opening passage that sums up the chapters would
# make their topics look like the document's name.
OPENING_WORDS = 40
# Keyness (log10 of the sources' share over everyday Dutch) is clipped to this range: below -2 or above 4 the
# difference says no more. A word wordfreq does not know is taken at Zipf 1 (once per 100 million words).
KEYNESS_RANGE = (-2.0, 4.0)
ZIPF_FLOOR = 1.0
# A left-over word counts as a topic word when the sources use it about four times more than everyday Dutch:
# "vertrouwen" (0.67), "rollen" (0.84) and "leiderschap" (1.5) do; "tijd" (-0.35), "trekt" (0.07), "onderzoek"
# (-0.03) and "manager" (0.58) do not. Read off the keyness of the training questions' left-over words.
KEY_WORD = 0.6
# "opgave", "opgavegericht" and "werken" stand in 60-100% of every shipped document's passages; the next most
# common content words ("organisatie", "rol") in at most a quarter of some document's. Half separates them.
SUBJECT_SHARE = 0.5
MAX_WORDS_COUNTED = 3  # left-over words beyond three say nothing more: the question is about a topic
# Cosine margins between short questions lie within about ±0.1; scaled by ten they weigh like the 0/1 features,
# so that the regularisation does not hold their weights back more than the others'.
PROTO_SCALE = 10.0


def load_prototypes(path: Path = PROTOTYPES) -> dict[str, tuple[str, ...]]:
    """The prototype questions by kind; ConfigError names the file and line that is not ``kind|question``."""
    found: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        kind, _, text = line.partition("|")
        if kind not in found or not text.strip():
            raise ConfigError(f"{path.name}, regel {number}: verwacht 'overview|vraag' of 'topic|vraag'")
        found[kind].append(text.strip())
    if not all(found.values()):
        raise ConfigError(f"{path.name}: elke soort ({', '.join(KINDS)}) heeft ten minste één voorbeeldvraag nodig")
    return {kind: tuple(texts) for kind, texts in found.items()}


class DocumentTerms:
    """Per document: how many of its passages hold each stemmed term, and the terms of its opening passage."""

    def __init__(self, scorer: SupportScorer, passages: Mapping[str, Sequence[str]]) -> None:
        self.scorer = scorer
        self._counts: dict[str, Counter[str]] = {}
        self._sizes: dict[str, int] = {}
        self._openings: dict[str, frozenset[str]] = {}
        words = 0
        for doc_id, texts in passages.items():
            counts: Counter[str] = Counter()
            for text in texts:
                counts.update(scorer.terms(text))
                words += len(text.split())
            self._counts[doc_id], self._sizes[doc_id] = counts, max(len(texts), 1)
            self._openings[doc_id] = scorer.terms(" ".join(texts[0].split()[:OPENING_WORDS])) if texts else frozenset()
        self._total: Counter[str] = sum(self._counts.values(), Counter())
        self._passages = max(sum(len(t) for t in passages.values()), 1)
        self._passage_words = max(words / self._passages, 1.0)

    def collection_subject(self, word: str) -> bool:
        """True if at least :data:`SUBJECT_SHARE` of every document's passages hold ``word``: it is what the whole
        collection is about ("opgave", "opgavegericht werken"), so it names neither a topic nor one document."""
        terms = self.scorer.terms(word)
        return bool(terms) and len(self._counts) > 1 and all(
            min(counts[t] for t in terms) >= SUBJECT_SHARE * self._sizes[d] for d, counts in self._counts.items())

    def keyness(self, word: str) -> float:
        """How much more often the sources use ``word`` than everyday Dutch does, in log10 units (clipped).

        The share of passages that hold it, against the share a word of its everyday frequency (wordfreq's Zipf
        scale) would be expected in in a passage of the mean length: "sturingsdriehoek" or "leiderschap" are
        the sources' own subjects (high), "tijd", "valt" or "trekt" are everyday words that name no topic (about
        0 or below), whatever phrasing a question gives them in. Corpus linguistics calls this keyness."""
        terms = self.scorer.terms(word)
        if not terms:
            return KEYNESS_RANGE[0]
        share = max(min(self._total[t] for t in terms), 0.5) / self._passages
        expected = self._passage_words * 10 ** (max(zipf_frequency(word.lower(), "nl"), ZIPF_FLOOR) - 9)
        return float(np.clip(np.log10(share / expected), *KEYNESS_RANGE))

    def describes(self, word: str, doc_ids: Sequence[str]) -> bool:
        """True if the opening of one of the documents (its first :data:`OPENING_WORDS` words) holds ``word``: its
        title block says what, where and when ("het verslag over de Opgavebeweging in het Provinciehuis in Den Haag"), so the word names
        the document, not a topic in it."""
        terms = self.scorer.terms(word)
        return bool(terms) and any(terms <= self._openings.get(d, frozenset()) for d in doc_ids)

    def narrowness(self, word: str, doc_ids: Sequence[str]) -> float:
        """How much ``word`` names a topic within the documents rather than the documents themselves (0 to 1).

        Its rarity in the collection (IDF over the highest IDF) times 1 minus the share of the documents'
        passages that hold it: "sturingsdriehoek" (rare, in a few passages of the guide) scores high;
        "ging" (common everywhere) and "Justitie" in the NSOB report (in most of its passages) score low."""
        docs = [d for d in doc_ids if d in self._counts] or list(self._counts)
        terms = self.scorer.terms(word)
        if not terms or not docs:
            return 0.0
        size = sum(self._sizes[d] for d in docs)
        held = min(sum(self._counts[d][t] for d in docs) for t in terms)
        rarity = min(self.scorer.weights.idf(t) for t in terms) / self.scorer.weights.unseen
        return rarity * (1.0 - min(held / size, 1.0))


    def only_holder(self, words: Sequence[str]) -> str:
        """The one document that alone holds some of ``words`` when no other word points elsewhere; "" if none.

        "Het onderzoek van Van der Steen naar … bij Justitie en Veiligheid" names no document, but only the NSOB
        report holds "Steen": the question is about that report (derived from the documents, not a list)."""
        holders = set()
        for word in words:
            terms = self.scorer.terms(word)
            docs = {d for d, counts in self._counts.items() if terms and all(counts[t] for t in terms)}
            if len(docs) == 1:
                holders |= docs
        return next(iter(holders)) if len(holders) == 1 else ""


class OverviewIntent:
    """Scores questions for the overview intent with the learned weights; one per build."""

    def __init__(self, weights: RankerWeights, embedder: Embedder | None, terms: DocumentTerms,
                 prototypes: Mapping[str, Sequence[str]]) -> None:
        if weights.names != INTENT_FEATURES:
            raise ConfigError(f"{INTENT_WEIGHTS.name}: de features zijn niet die van de code; "
                              f"draai python -m eval.train_overview")
        self.weights = weights
        self.embedder = embedder
        self.terms = terms
        self.prototypes = prototypes
        self._vectors: dict[str, np.ndarray] | None = None
        self._lock = threading.Lock()

    def _prototype_vectors(self) -> dict[str, np.ndarray]:
        """The prototypes' e5 vectors, embedded on first use (about 40 short questions, once per build)."""
        with self._lock:
            if self._vectors is None and self.embedder is not None:
                self._vectors = {kind: np.asarray(self.embedder.embed_queries(list(texts)))
                                 for kind, texts in self.prototypes.items()}
            return self._vectors or {}

    def similarities(self, question: str) -> tuple[float, float]:
        """(proto_overview, proto_topic): the highest cosine with each kind, less the mean over all prototypes.

        Taking off the mean removes what every e5 cosine between two short Dutch questions shares (about 0.8),
        so that the weights see how much closer one kind is than the rest. (0, 0) without an embedder."""
        vectors = self._prototype_vectors()
        if not vectors:
            return 0.0, 0.0
        q = np.asarray(self.embedder.embed_queries([question]))[0]  # type: ignore[union-attr]
        cosines = {kind: m @ q for kind, m in vectors.items()}
        mean = float(np.mean(np.concatenate(list(cosines.values()))))
        return (PROTO_SCALE * (float(cosines["overview"].max()) - mean),
                PROTO_SCALE * (float(cosines["topic"].max()) - mean))

    def probability(self, row: np.ndarray) -> float:
        """P(overview) for one feature row."""
        return float(1.0 / (1.0 + np.exp(-(row @ np.asarray(self.weights.weights) + self.weights.bias))))

    def explain(self, row: np.ndarray) -> list[Contribution]:
        """Every feature's part in the score, largest effect first."""
        parts = [Contribution(n, float(v), float(w)) for n, v, w in zip(self.weights.names, row, self.weights.weights)]
        return sorted(parts, key=lambda p: -abs(p.amount))


def load_intent_weights(path: Path = INTENT_WEIGHTS) -> RankerWeights:
    """The learned weights of the overview intent, checked against :data:`INTENT_FEATURES`."""
    return RankerWeights.load(path, INTENT_FEATURES)
