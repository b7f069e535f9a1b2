"""Finding what the five documents offer for one person in one situation: a practice, an insight, the closest material.

The draft searches on the role *and* the situation, across all documents
(or those the user chose), and ranks the sentences of what comes back:

* a *practice* for the exercise: a sentence that says what to do ("Vier
  kleine successen, benoem ze …", "Wissel van werkwijze als de opgave
  tussentijds verandert.", "Ruimte maken en elkaar het eigen deel gunnen,
  kan dan helpen.");
* an *insight* for the reflection, from another passage (another document
  where one fits);
* for a role the guide does not describe, the passages that come *closest*
  to the role itself (its field of work: communication, P&O, purchasing …).

Passages that hold a leeropdracht section of the role appendix are never
used here: one role's "pot met goud" is not material for another.
Relevance is the IDF-weighted share of the query's terms a sentence contains
(:class:`assistant.support.SupportScorer`), plus a little for the passage's
rank in the search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Protocol, Sequence

from assistant.leeropdracht.fit import Fit, turned_by_next
from assistant.leeropdracht.meaning import QuoteMeaning
from assistant.leeropdracht.questions import SourceQuestion, source_questions
from assistant.support import SupportScorer
from kb.types import Chunk, Hit
from opgavewijzer.text import instruction_like, normalise_space, sentence_spans

MATERIAL_K = 8  # passages per search; two or three searches per draft
RANK_WEIGHT = 0.15  # bonus of the first passage of a search, falling off with its rank
DENSE_WEIGHT = 0.3  # weight of the passage's e5 similarity to the search (scaled to [0, 1])
# e5 cosines live in a narrow band; this maps it onto [0, 1] (the band the answer engine uses too).
DENSE_FLOOR, DENSE_SPAN = 0.75, 0.17
IMPERATIVE_BONUS = 0.3  # a sentence that says what to do ("Betrek …", "Vier kleine successen …") suits an exercise best
ADVICE_BONUS = 0.1  # one that says what helps or is needed comes next
ROLE_WEIGHT = 0.15  # the role's own words count less than the situation's: they are in every passage about the role
SAME_PASSAGE_MARGIN = 0.1  # the insight comes from another passage unless one of the practice's is this much better
MIN_RELEVANCE = 0.04  # below this share of the query's (IDF-weighted) terms a sentence shares nothing with it
# A "houvast" or reflection quote must share at least this much with role and situation, or the draft has none;
# the kinds of sentence that never support (definitions, other cases, …) are left out by assistant.leeropdracht.fit.
SUPPORT_FLOOR = 0.06  # on the dev set 0.10 left three drafts without a quote, 0.16 eight; most of them fitted
# By meaning (assistant.leeropdracht.meaning): a supporting sentence's e5 cosine with the role or with the
# situation's subject must reach this floor, or the draft has no quote there. Learnt from the rubric's fitting
# sentences of the dev, holdout and first blind requests: of 615 candidate reflection quotes, the 74 labelled
# fitting all but one lie at or above 0.815, and of those below it most say nothing to the learner ("We zien
# veel opgavehouders hiermee worstelen.", "Vaak duurt het lang voordat hieraan wordt voldaan.").
MEANING_FLOOR = 0.815
# Weight of that cosine (scaled like DENSE_*) in a sentence's score: shared words and meaning together told the
# labelled fitting sentences from the rest best (AUC 0.74 against 0.71 for words alone; 0.25 of 0.1–2 tried).
MEANING_WEIGHT = 0.25
QUOTE_WORDS = (6, 40)  # a houvast is one crisp sentence: longer ones (lists after a colon) made drafts a page longer
PROSE = frozenset({"body", "list_item"})  # content roles of sentences (set at ingest) that may be quoted
CLOSEST = 2  # passages shown as closest to a role the guide does not describe
QUESTION_RELEVANCE = 0.08  # a question from another passage must share this much with role and situation
# Sentences that say what to do: an imperative opening, or a verdict on what helps.
_IMPERATIVE = re.compile(
    r"^(?:\d+\.\s+)?(?:Betrek|Benoem|Vertaal|Creëer|Stop|Versimpel|Heb|Begin|Vier|Bepaal|Ondersteun|Verdeel|Bied|Streef|Wees|"
    r"Kies|Wissel|Werk|Stel|Geef|Spreek|Laat|Bouw|Toon|Organiseer|Maak|Zorg|Doorbreek|Ga|Onderzoek|Ontwikkel|Sta|Neem|"
    r"Houd|Zoek|Durf|Deel|Vraag|Leg|Breng|Kijk|Betrek|Investeer|Regel|Expliciteer|Erken|Negeer niet)\b")
_ADVICE = re.compile(r"\b(?:helpt|helpen|nodig|vereist|vereisen|moet|moeten|belang|belangrijk|essentieel|sleutel|oplossing)\b"
                     r"|\bkunnen wel\b", re.IGNORECASE)
# A sentence that leans on the one before it ("Dat vereist …") is quoted together with it.
_ANAPHOR = re.compile(r"^(?:Dat|Dit|Die|Deze|Zo|Daarom|Daarbij|Daarmee|Hierdoor|Hiermee|Ook hier|Zij|Ze|Hij|"
                      r"Terwijl|Omdat|Doordat|Waardoor|Zodat|Hoewel|Maar|En|Want|Dan|Toch|Bovendien)\b")
_ENUM = re.compile(r"^\d+\.\s+")
_QUOTE_MARKS = re.compile(r"[“”\"]")
_LABELLED = re.compile(r"^[A-ZÀ-Þ][\wà-ÿ-]*(?:\s[\wà-ÿ-]+)?:\s")


class Searcher(Protocol):
    """What the material search needs of the knowledge base."""

    def search(self, query: str, top_k: int | None = None, doc_ids: Sequence[str] | None = None) -> list[Hit]:
        """Ranked passages for a query."""
        ...

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The passage with this id (with the content role of each of its sentences)."""
        ...


@dataclass(frozen=True)
class Quote:
    """A span of a retrieved passage: one sentence, or two that belong together."""

    hit: Hit
    start: int
    end: int
    score: float = 0.0

    @property
    def text(self) -> str:
        """The quoted words, whitespace made single."""
        return normalise_space(self.hit.text[self.start:self.end])


@dataclass
class Material:
    """What the search found for one draft."""

    hits: list[Hit] = field(default_factory=list)
    practice: Quote | None = None
    insight: Quote | None = None
    closest: list[Quote] = field(default_factory=list)
    questions: list[SourceQuestion] = field(default_factory=list)


def dense_scale(cosine: float) -> float:
    """An e5 cosine mapped to [0, 1] (0 at and below ``DENSE_FLOOR``)."""
    return float(min(1.0, max(0.0, (cosine - DENSE_FLOOR) / DENSE_SPAN)))


# A heading the extraction glued to the sentence after it ("Opgavegericht leren Omdat we …").
_GLUED_HEADING = re.compile(r"^(?:\S+\s){1,5}(?:Omdat|De|Het|Een|In|Bij|Als|Wat|Hoe|Dit|Dat|Wij|We|Er|Zo)\s")


def _quotable(text: str) -> bool:
    words = len(text.split())
    # A list item with a label ("Controlerende rol: afstand doen van …") is whole without a full stop.
    ends = text[-1] in ".!" or (words >= QUOTE_WORDS[0] and _LABELLED.match(text) is not None)
    return (QUOTE_WORDS[0] <= words <= QUOTE_WORDS[1] and ends and text[:1].isupper()
            and "pot met goud" not in text.lower() and "..." not in text and "…" not in text
            and "http" not in text and not instruction_like(text) and not _GLUED_HEADING.match(text)
            and not _QUOTE_MARKS.search(text))  # speech the document quotes would nest quotation marks


def _not_prose(chunk: Chunk | None) -> list[tuple[int, int]]:
    """Spans (in the passage) of sentences ingest marked as no prose: headings, captions, an author's bio, …"""
    if chunk is None:
        return []
    return [(s.start - chunk.start, s.end - chunk.start) for s in chunk.sentences if s.role not in PROSE]


def _candidates(hit: Hit, skip: Sequence[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Spans of the quotable sentences of a passage (an anaphoric one together with the sentence before it)."""
    spans = [(a, b) for a, b in sentence_spans(hit.text) if not any(a < e and s < b for s, e in skip)]
    out: list[tuple[int, int]] = []
    for i, (start, end) in enumerate(spans):
        sentence = hit.text[start:end]
        enum = _ENUM.match(sentence)
        if enum:
            start += enum.end()
        if _ANAPHOR.match(hit.text[start:end]) and i and _quotable(normalise_space(hit.text[spans[i - 1][0]:end])):
            start = spans[i - 1][0]
        if _quotable(normalise_space(hit.text[start:end])) and not _ANAPHOR.match(hit.text[start:end]):
            out.append((start, end))  # a sentence that leans on one we could not add is left out
    return out


def _rank(hits: Sequence[Hit], query: str, scorer: SupportScorer, practice: bool, role: str = "",
          skips: dict[str, list[tuple[int, int]]] | None = None, floor: float = MIN_RELEVANCE,
          fit: Fit | None = None, meaning: QuoteMeaning | None = None,
          meaning_floor: float = MEANING_FLOOR) -> list[Quote]:
    """Quotable sentences of the hits, best first: the query's terms they share (the role's count less),
    the passage's rank and e5 similarity to its search, the sentence's own e5 similarity to role or subject
    (``meaning``: below :data:`MEANING_FLOOR` a sentence is left out), and for an exercise whether they say
    what to do."""
    terms, role_terms = scorer.terms(query), scorer.terms(role)
    found: list[Quote] = []
    for rank, hit in enumerate(hits):
        for start, end in _candidates(hit, (skips or {}).get(hit.chunk_id, ())):
            text = hit.text[start:end]
            sentence_terms = scorer.terms(text)
            relevance = scorer.coverage(terms, sentence_terms) + ROLE_WEIGHT * scorer.coverage(role_terms, sentence_terms)
            if relevance < floor or (fit or Fit(query)).unfit(normalise_space(text), hit.section):
                continue
            if turned_by_next(hit.text[end:]):
                continue  # cut off before its paragraph's "echter": it would support the opposite
            cosine = meaning.of(hit, start, end) if meaning is not None else None
            if cosine is not None and cosine < meaning_floor:
                continue
            # The passage's e5 similarity to its search carries meaning that shared words miss.
            bonus = RANK_WEIGHT / (1 + rank) + DENSE_WEIGHT * dense_scale(hit.similarity)
            if cosine is not None:
                bonus += MEANING_WEIGHT * dense_scale(cosine)
            if practice:
                bonus += IMPERATIVE_BONUS if _IMPERATIVE.match(text) else (ADVICE_BONUS if _ADVICE.search(text) else 0.0)
            found.append(Quote(hit, start, end, relevance + bonus))
    return sorted(found, key=lambda q: -q.score)


def rank_sentences(kb: Searcher, hits: Sequence[Hit], query: str, scorer: SupportScorer, role: str, floor: float,
                   fit: Fit | None = None, meaning: QuoteMeaning | None = None,
          meaning_floor: float = MEANING_FLOOR) -> list[Quote]:
    """The quotable prose sentences of ``hits`` that may support a leeropdracht, best first."""
    skips = {h.chunk_id: _not_prose(kb.chunk(h.chunk_id)) for h in hits}
    return _rank(hits, query, scorer, practice=False, role=role, skips=skips, floor=floor, fit=fit, meaning=meaning)


def _merge(results: Sequence[Sequence[Hit]], excluded: set[str]) -> list[Hit]:
    """Hits of several searches in one list, each passage once, interleaved by rank."""
    merged: dict[str, Hit] = {}
    for depth in range(max((len(r) for r in results), default=0)):
        for hits in results:
            if depth < len(hits) and hits[depth].chunk_id not in merged and hits[depth].chunk_id not in excluded:
                merged[hits[depth].chunk_id] = hits[depth]
    return list(merged.values())


def find_material(
    kb: Searcher, scorer: SupportScorer, searches: Sequence[str], rank_query: str, role_query: str, excluded: set[str],
    doc_ids: Sequence[str] = (), outside_query: str = "", guide: str = "", own: Sequence[Hit] = (),
    extra: Sequence[Hit] = (), fit: Fit | None = None, meaning: QuoteMeaning | None = None,
) -> Material:
    """Run the ``searches`` (role and situation; the sore point), rank their sentences against ``rank_query``
    (the situation) and ``role_query``, and pick a practice and an insight. ``own`` are passages that describe
    the role itself (for a role the guide describes only in its main text); they count as found, and so do
    ``extra`` passages (the best of each document, searched apart).

    For a role outside the guide (``outside_query``: the role's own field of work) also the closest passages:
    the best of the searches, and the best of the ``guide`` itself.
    """
    scope = list(doc_ids) or None
    queries = [q for q in dict.fromkeys(q.strip() for q in (*searches, outside_query)) if q]
    hits = _merge([list(own), *(kb.search(q, top_k=MATERIAL_K, doc_ids=scope) for q in queries), list(extra)], excluded)
    material = Material(hits=hits)
    skips = {h.chunk_id: _not_prose(kb.chunk(h.chunk_id)) for h in hits}
    practices = _rank(hits, rank_query, scorer, practice=True, role=role_query, skips=skips, floor=SUPPORT_FLOOR, fit=fit,
                      meaning=meaning)
    material.practice = practices[0] if practices else None
    insights = _rank(hits, rank_query, scorer, practice=False, role=role_query, skips=skips, floor=SUPPORT_FLOOR, fit=fit,
                     meaning=meaning)
    material.insight = _insight(insights, material.practice)
    if outside_query:
        _closest(kb, scorer, material, outside_query, rank_query, excluded, doc_ids, guide, meaning)
    terms = scorer.terms(f"{rank_query} {role_query}")
    scored = [(scorer.coverage(terms, scorer.terms(q.text)), q) for q in source_questions(hits)]
    material.questions = [q for s, q in sorted(scored, key=lambda sq: -sq[0]) if s >= QUESTION_RELEVANCE]
    return material


def _insight(ranked: list[Quote], practice: Quote | None) -> Quote | None:
    """The best sentence for the reflection: from another passage (another document if one is as good),
    unless a sentence of the practice's own passage is clearly better."""
    if practice is None:
        return ranked[0] if ranked else None
    # Passages overlap by a sentence: the same words in another passage are the same quote.
    apart = [q for q in ranked if q.text != practice.text and practice.text not in q.text and q.text not in practice.text
             and (q.end <= practice.start or q.start >= practice.end or q.hit.chunk_id != practice.hit.chunk_id)]
    # Another passage; passages overlap, so one of another section where there is one.
    other = [q for q in apart if q.hit.chunk_id != practice.hit.chunk_id]
    other = [q for q in other if (q.hit.doc_id, q.hit.section) != (practice.hit.doc_id, practice.hit.section)] or other
    if not other:
        return apart[0] if apart else None
    best_other = next((q for q in other if q.hit.doc_id != practice.hit.doc_id and q.score >= other[0].score - SAME_PASSAGE_MARGIN),
                      other[0])
    same = [q for q in apart if q.hit.chunk_id == practice.hit.chunk_id]
    return same[0] if same and same[0].score > best_other.score + SAME_PASSAGE_MARGIN else best_other


def _closest(kb: Searcher, scorer: SupportScorer, material: Material, outside_query: str, rank_query: str,
             excluded: set[str], doc_ids: Sequence[str], guide: str, meaning: QuoteMeaning | None = None) -> None:
    """The passages closest to a role the guide does not describe: one from the guide itself, one from anywhere
    (the hits hold the best passages of every document). Sentences are ranked on the words of the role's field
    of work and by meaning (``meaning``: the role and the subject), so that an HR adviser whose colleagues' work
    for an opgave goes unjudged meets what the documents say about judging people's work."""
    used = {q.hit.chunk_id for q in (material.practice, material.insight) if q is not None}
    # Shared words with the role's field (a longer query would dilute them); meaning covers the subject. No floor
    # on meaning: this is what comes closest, and the draft says so ("In de loop der tijd speelde communicatie …"
    # lies just under it for a communicatieadviseur).
    pool = _rank(material.hits, outside_query, scorer, practice=False, meaning=meaning, meaning_floor=0.0)
    if guide and (not doc_ids or guide in doc_ids):
        # What the guide itself says closest to the role: it is the document people ask about.
        in_guide = _merge([kb.search(f"{outside_query} {rank_query}", top_k=MATERIAL_K, doc_ids=[guide])], excluded | used)
        pool = _rank(in_guide, outside_query, scorer, practice=False, meaning=meaning, meaning_floor=0.0)[:1] + pool
        known = {h.chunk_id for h in material.hits}
        material.hits += [h for h in in_guide if h.chunk_id not in known]
    quoted = {q.text for q in (material.practice, material.insight) if q is not None}
    for quote in pool:
        if quote.hit.chunk_id not in used and quote.text not in quoted and len(material.closest) < CLOSEST:
            material.closest.append(quote)
            used.add(quote.hit.chunk_id)
