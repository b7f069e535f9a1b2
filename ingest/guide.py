"""The guide stage: a source guide for every document of a build, made from its sentences and their vectors.

A guide tells a reader new to a document what it is, how it is built and what
it says (see :class:`kb.guides.DocumentGuide`). It is made at every build, for
shipped and added documents alike, after the sentence vectors are written and
before the build becomes active (``ingest.builds``), so it is stored with the
build it describes. Key terms are measured against the other documents of the
build, so every guide is remade when any document changes; that takes well
under a second per document.

Key points: when the document has its own summary, conclusions or
recommendations (found by heading, see ``ingest.guide_features``), they come
from there; otherwise the best sentence of each main chapter, by meaning
(centrality within the chapter and the document, from the stored sentence
vectors) and position. Nothing of the document is known in advance: the
chapters are the top level of its own headings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

import numpy as np

from ingest.guide_features import ANNOUNCES_SUMMARY, BULLET, ITEM_NUMBER, NAMES_CHAPTER, recommendation_list, content_words, in_furniture, own_summary, point_score, quotable, section_parts, words
from ingest.guide_terms import candidate_questions, key_terms
from kb.guides import GUIDE_KEY, DocumentGuide, KeyPoint, guides_from_extras
from kb.sentences import SentenceIndex
from kb.types import Sentence

_NUMBERED = re.compile(r"^\d{1,2}(?:\.\d{1,2})*[.)]?\s")
POINTS = 5  # key points per guide: three to six are asked for
MIN_SUMMARY = 3  # quotable sentences a summary section needs to carry the key points alone
CLOSING_POINTS = 2  # at most this many from conclusions or recommendations; the chapters give the rest
MAX_PARTS = 6  # a document with more top-level sections is read as this many runs of neighbouring sections
MAX_CHAPTERS = 12  # chapters listed in the guide's structure
MIN_SECTIONS_NAMED = 3  # headings that name a chapter ("… (hoofdstuk 2)") it takes to list the chapters by them
MIN_CHAPTER = 2  # sentences of text a top-level section needs to be listed as a chapter


@dataclass(frozen=True)
class _Part:
    """A run of neighbouring sentences under one top-level heading (or several merged)."""

    heading: str
    sentences: tuple[Sentence, ...]


def with_guides(index: SentenceIndex, records: Mapping[str, Any], extras: Mapping[str, Any]) -> dict[str, Any]:
    """``extras`` with a fresh guide for every document of ``records`` (the build's hook, see ingest.builds)."""
    guides = build_guides(index, records)
    out: dict[str, Any] = {}
    for doc_id in [*records, *(d for d in extras if d not in records)]:  # in the build's document order
        entry = extras.get(doc_id)
        entry = dict(entry) if isinstance(entry, Mapping) else ({} if entry is None else entry)
        if doc_id in guides and isinstance(entry, dict):
            entry[GUIDE_KEY] = guides[doc_id].to_json()
        if entry != {}:
            out[doc_id] = entry
    return out


def guides_stale(info: Any) -> bool:
    """True if a build lacks the guide of one of its documents, or holds guides of another version."""
    return set(guides_from_extras(info.extras)) != set(info.documents)


def build_guides(index: SentenceIndex, records: Mapping[str, Any]) -> dict[str, DocumentGuide]:
    """A guide for every document of ``records`` that has sentences in ``index``."""
    terms = key_terms(index)
    guides = {}
    for doc_id, record in records.items():
        sentences = index.by_doc.get(doc_id, ())
        if not sentences:
            continue
        guides[doc_id] = build_guide(doc_id, record, sentences, index.vectors.get(doc_id), terms.get(doc_id, ()))
    return guides


def build_guide(doc_id: str, record: Any, sentences: Sequence[Sentence], vectors: np.ndarray | None,
                terms: Sequence[str]) -> DocumentGuide:
    """The guide of one document from its sentences (in order), their unit vectors and its key terms."""
    original = sentences
    sentences = [_untitled(s, record.title) for s in sentences]
    announced = _announced(sentences)
    own = {**{i: "conclusion" for i in announced}, **{s.index: k for s in sentences if (k := own_summary(s))}}
    # A repeated sentence once; a numbered item only with its list (the recommendations below), never alone.
    quotable_ = list({s.text: s for s in reversed(sentences) if quotable(s) and not ITEM_NUMBER.match(s.text)}.values())[::-1]
    parts = _parts([s for s in sentences if not in_furniture(s) and s.index not in own])
    scores = _scores(quotable_, parts, vectors, terms, announced)
    summary = [s for s in quotable_ if own.get(s.index) == "summary"]
    closing = [s for s in quotable_ if s.index in own]
    if len(summary) >= MIN_SUMMARY:
        picked = _spread(summary, scores, POINTS)
    else:
        picked = _spread(closing, scores, CLOSING_POINTS)
        picked += _per_part(parts, scores, POINTS - len(picked), record.title)
    heading = next((s.label or s.section for s in sorted(picked, key=lambda s: s.index) if s.index in own), "")
    picked.sort(key=lambda s: s.index)
    # What "de belangrijkste conclusies/aanbevelingen" asks for: its own conclusions and recommendations.
    concluding = sorted(_spread([s for s in closing if own.get(s.index) == "conclusion"], scores, POINTS),
                        key=lambda s: s.index)
    chapters = _chapters(sentences)
    name = (getattr(record, "names", {}) or {}).get("nl") or f"‘{record.short_title or record.title}’"
    return DocumentGuide(
        doc_id=doc_id, title=record.title, short_title=record.short_title, names=dict(record.names or {}),
        kind=record.kind, publisher=record.publisher, date=record.date,
        chapters=tuple(chapters), points=tuple(_point(original[s.index], s.index in own) for s in picked), terms=tuple(terms),
        conclusions=tuple(_point(original[s.index], True) for s in concluding),
        recommendations=tuple(_point(original[s.index], True) for s in recommendation_list(sentences)),
        questions=tuple(candidate_questions(name, chapters, terms, sentences, bool(recommendation_list(sentences)),
                                            len(concluding) >= 3)), summary_heading=heading,
        words=sum(words(s.text) for s in sentences),
    )


def _untitled(sentence: Sentence, title: str) -> Sentence:
    """The sentence with its section path read below the document's title heading (a Markdown "# Title" heads
    every section; it is no chapter, and a title like "Lessen uit …" no conclusions section)."""
    parts = section_parts(sentence)
    if not parts or not title.casefold().startswith(parts[0].casefold().strip(" .")):
        return sentence  # "De opgave aan tafel" heads the front matter of "De opgave aan tafel. De praktijk …"
    label = " > ".join(parts[1:])
    return replace(sentence, label=label, section=label)


def _top(sentence: Sentence) -> str:
    parts = section_parts(sentence)
    return parts[0] if parts else ""


def _parts(sentences: Sequence[Sentence]) -> list[_Part]:
    """Runs of neighbouring sentences under one top-level heading; merged into MAX_PARTS runs when there are more.

    A document whose top level holds fewer than three runs is read one level deeper (a report with one title
    heading above its chapters).
    """
    runs = _runs(sentences, depth=1)
    if sum(1 for r in runs if any(quotable(s) for s in r.sentences)) < 3:
        runs = _runs(sentences, depth=2)
    if len(runs) <= MAX_PARTS:
        return runs
    total = sum(len(r.sentences) for r in runs)
    merged: list[_Part] = []
    size = 0
    for run in runs:
        if merged and size < total / MAX_PARTS:
            last = merged[-1]
            merged[-1] = _Part(last.heading, last.sentences + run.sentences)
        else:
            merged.append(run)
            size = 0
        size += len(run.sentences)
    return merged


def _runs(sentences: Sequence[Sentence], depth: int) -> list[_Part]:
    runs: list[_Part] = []
    for s in sentences:
        key = " > ".join(section_parts(s)[:depth])
        if runs and runs[-1].heading == key:
            runs[-1] = _Part(key, runs[-1].sentences + (s,))
        else:
            runs.append(_Part(key, (s,)))
    return runs


def _scores(candidates: Sequence[Sentence], parts: Sequence[_Part], vectors: np.ndarray | None,
            terms: Sequence[str] = (), announced: set[int] | frozenset[int] = frozenset()) -> dict[int, float]:
    """Each quotable sentence's point score (by index); without vectors, position and words alone."""
    part_of = {s.index: i for i, p in enumerate(parts) for s in p.sentences}
    rank = {s.index: r for p in parts for r, s in enumerate(x for x in p.sentences if quotable(x))}
    lowered = [t.lower() for t in terms]
    doc_z = part_z = np.zeros(len(candidates), dtype=np.float32)
    if vectors is not None and len(candidates):
        rows = np.asarray([vectors[s.index] for s in candidates])
        part_sim = np.zeros(len(candidates), dtype=np.float32)
        for i in range(len(parts)):
            members = [k for k, s in enumerate(candidates) if part_of.get(s.index) == i]
            if members:
                part_sim[members] = rows[members] @ _unit(rows[members].mean(axis=0))
        doc_z, part_z = _z(rows @ _unit(rows.mean(axis=0))), _z(part_sim)
    out = {}
    for k, s in enumerate(candidates):
        low = s.text.lower()
        heading = content_words(" ".join(section_parts(s))) & content_words(s.text)
        out[s.index] = point_score(float(doc_z[k]), float(part_z[k]), s, rank.get(s.index, 0),
                                   sum(t in low for t in lowered), bool(heading), s.index in announced)
    return out


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


def _z(values: np.ndarray) -> np.ndarray:
    spread = float(values.std())
    return (values - values.mean()) / spread if spread > 1e-9 else np.zeros_like(values)


def _announced(sentences: Sequence[Sentence]) -> set[int]:
    """The items of a list that a sentence announces as the document's findings or recommendations ("… de
    volgende vier aanbevelingen geformuleerd:"): its own summary points, wherever they stand."""
    found: set[int] = set()
    announcing = False
    for s in sentences:
        if s.role == "list_item" and announcing:
            found.add(s.index)
        elif s.role != "list_item":
            announcing = bool(ANNOUNCES_SUMMARY.search(s.text))
    return found


def _spread(candidates: Sequence[Sentence], scores: Mapping[int, float], n: int) -> list[Sentence]:
    """The best sentence of each of ``n`` equal runs of ``candidates`` (in document order): points from all over."""
    if n <= 0 or not candidates:
        return []
    ordered = sorted(candidates, key=lambda s: s.index)
    size = max(1, -(-len(ordered) // n))
    return [max(ordered[i:i + size], key=lambda s: scores.get(s.index, 0.0)) for i in range(0, len(ordered), size)][:n]


def _per_part(parts: Sequence[_Part], scores: Mapping[int, float], n: int, title: str) -> list[Sentence]:
    """The best sentence of the first chapter (what the document sets out to do) and of the ``n - 1`` largest
    others (by quotable sentences). Front matter under the document's own title is no first chapter."""
    best: list[tuple[int, Sentence]] = []
    for part in parts:
        own = [s for s in part.sentences if s.index in scores]
        if own:
            best.append((len(own), max(own, key=lambda s: scores[s.index])))
    if not best or n <= 0:
        return []
    front = [p.heading for p in parts if any(s.index in scores for s in p.sentences)]
    at = next((i for i, h in enumerate(front) if h and h.casefold() not in title.casefold()), 0)
    first, rest = best[at], sorted(best[:at] + best[at + 1:], key=lambda pair: -pair[0])
    return [first[1], *(s for _, s in rest[:n - 1])]


def _chapters(sentences: Sequence[Sentence]) -> list[str]:
    """The main chapters: top-level headings over at least MIN_CHAPTER sentences of text (the largest if many).

    A numbered second level ("1. Duidelijkheid over …") is listed under its chapter ("De bouwstenen > 1. …"): a
    document of few chapters is often built on it.
    """
    named = list(dict.fromkeys(p for s in sentences for p in section_parts(s) if NAMES_CHAPTER.search(p)))
    if len(named) >= MIN_SECTIONS_NAMED:  # the document names its chapters itself ("Opgaven (hoofdstuk 2)")
        return named[:MAX_CHAPTERS]
    counts: dict[str, int] = {}
    for s in sentences:
        parts = section_parts(s)
        if parts and not in_furniture(s):
            counts[parts[0]] = counts.get(parts[0], 0) + (s.role in ("body", "list_item"))
            if len(parts) > 1 and _NUMBERED.match(parts[1]) and counts[parts[0]] >= 0:
                counts.setdefault(f"{parts[0]} > {parts[1]}", MIN_CHAPTER)
    kept = [h for h, n in counts.items() if n >= MIN_CHAPTER and (" > " not in h or counts[h.split(" > ")[0]] >= MIN_CHAPTER)]
    if len(kept) > MAX_CHAPTERS:
        tops = [h for h in kept if " > " not in h]
        largest = set(sorted(tops, key=lambda h: -counts[h])[:MAX_CHAPTERS])
        kept = [h for h in tops if h in largest]
    return kept


def _point(sentence: Sentence, own: bool) -> KeyPoint:
    """The key point of a sentence, without the bullet a list item opens with (offsets moved past it)."""
    bullet = BULLET.match(sentence.text)
    skip = len(bullet.group()) if bullet else 0
    cut = 1 if sentence.text.endswith((";", ",")) else 0  # an item's separator is no part of what it says
    return KeyPoint(text=sentence.text[skip:len(sentence.text) - cut], chunk_id=sentence.chunk_id, start=sentence.start + skip,
                    end=sentence.end - cut,
                    section=sentence.label or sentence.section, page=sentence.page, source="summary" if own else "chapter")
