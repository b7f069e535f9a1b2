"""Further reading for a leeropdracht: from each document, the chapter that fits the role and the situation.

The exercise and the reflection each quote one sentence. A learner who wants
more gets, per document of the collection (or of the user's choice), the
chapter that fits the role and the situation's subject best, with the
sentence of it that fits best: the guide's ways of working for someone who
must switch between them, what it says about a position, another document's
patterns for people at a ministry. A document with nothing above the support
floor is left out, and so is a chapter already quoted elsewhere in the draft.
"""

from __future__ import annotations

from typing import Mapping, Sequence

from assistant.leeropdracht.fit import Fit
from assistant.leeropdracht.meaning import QuoteMeaning
from assistant.leeropdracht.material import Quote, Searcher, rank_sentences
from assistant.support import SupportScorer
from kb.types import Hit

READING_K = 4  # passages searched per document
# Stricter than a quote in the exercise: further reading is optional, and a loose fit costs the reader time.
READING_FLOOR = 0.1


def search_each_document(kb: Searcher, doc_ids: Sequence[str], query: str) -> dict[str, list[Hit]]:
    """The passages of each document that fit ``query`` (role, subject and the situation's tension) best.

    They are material for the exercise and the reflection too: a search over all documents at once can leave
    a whole document out.
    """
    return {doc_id: kb.search(query, top_k=READING_K, doc_ids=[doc_id]) for doc_id in doc_ids}


def further_reading(kb: Searcher, scorer: SupportScorer, by_document: Mapping[str, Sequence[Hit]], rank_query: str,
                    role_query: str, used: set[str], themes: str = "", fit: Fit | None = None,
                    meaning: QuoteMeaning | None = None) -> list[Quote]:
    """Per document, the best sentence of the passages :func:`search_each_document` found.

    ``used`` are the passages the draft quotes already; their chapters are not offered again. A sentence must
    share a term with the role or with ``themes`` (the documents' words for the situation's tension).
    """
    found: list[Quote] = []
    topic = scorer.terms(f"{role_query} {themes}")
    seen_sections = set()
    for found_hits in by_document.values():
        hits = [h for h in found_hits if h.chunk_id not in used]
        # About the role or the tension the situation names, not only about its place ("regio", "provincie").
        ranked = [q for q in rank_sentences(kb, hits, rank_query, scorer, role_query, READING_FLOOR, fit, meaning)
                  if scorer.coverage(topic, scorer.terms(q.text)) > 0]
        best = next((q for q in ranked if (q.hit.doc_id, q.hit.section) not in seen_sections), None)
        if best is not None:
            seen_sections.add((best.hit.doc_id, best.hit.section))
            found.append(best)
    return found
