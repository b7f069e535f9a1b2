"""Drafting a leeropdracht for a person in a situation: role texts from the guide, situation material, own framing.

The writer receives what it uses: the knowledge base (to search) and a view
of the loaded build (its role profiles and term weights, built once per
build). For each role of the request it quotes what the guide says, whole
paragraphs with their exact place (appendix and section): the main text's
description, the strength ("pot met goud"), the pitfall, what the section
asks of the role, the line that sums the leeropdracht up, and its "Hoe …?"
questions. It then searches on role *and* situation across the documents
for a practice (the exercise) and an insight (the reflection), and writes
the exercise as a concrete action in the person's own opgave, with the
people the situation names and a reflection partner who fits the role.

A role the guide does not describe is said to be outside the guide; the
draft then shows what the documents say closest to it, and never borrows
another role's strength. Every quote is cited; text that is ours carries
no quotation marks. With an LLM, exercise and reflection are rewritten and
pass the same checks as answers (:mod:`assistant.leeropdracht.rewrite`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Protocol, Sequence

from assistant.leeropdracht import compose
from assistant.leeropdracht.fit import Fit, unfit
from assistant.leeropdracht.material import Material, Quote, Searcher, find_material
from assistant.leeropdracht.notes import notes_for, pitfall_of
from assistant.leeropdracht.partners import kind_of
from assistant.leeropdracht.phrasing import CIRCUMSTANCES, finite_verb
from assistant.leeropdracht.reading import further_reading, search_each_document
from assistant.leeropdracht.request import REQUEST_WORDS, field_of, read_role_field
from assistant.leeropdracht.rewrite import Rewriter
from assistant.leeropdracht.sources import Sources, without_unused
from assistant.leeropdracht.roles import RoleBook, RoleMatch, display_name
from assistant.leeropdracht.situation import Situation, read_situation, theme_words
from assistant.leeropdracht.wording import NO_SITUATION, Spelling, canonical, quoted
from assistant.support import SupportScorer
from assistant.types import CitedText, Filters, Leeropdracht, RolePart
from kb.roles import RoleProfile, RoleText
from kb.store import IndexInfo
from kb.types import Chunk, Hit
from opgavewijzer.errors import AssistantError
from opgavewijzer.text import normalise_space, sentence_spans

MAX_QUESTIONS = 6
# An opening that needs the sentence before it ("Namelijk die van …", "Deze leider, …").
_LEANS = re.compile(r"^(?:Namelijk|Deze|Dit|Die|Dat|Daarom|Daarbij|Hierdoor|Zo|Ook|Maar|En)\b")
MIN_QUESTIONS = 3
DESCRIPTIONS_SHOWN = 3  # the role's own description, its leeropdracht role's (for a folded role), the best fit


class BuildView(Protocol):
    """What the writer needs of one build of the index (built once per build by the answer engine)."""

    roles: tuple[RoleProfile, ...]
    scorer: SupportScorer


class KnowledgeBaseLike(Searcher, Protocol):
    """The knowledge base as the writer uses it: search, passages by id, and the build's description."""

    info: IndexInfo
    chunks: Sequence[Chunk]

    def chunk(self, chunk_id: str) -> Chunk | None:
        """The passage with this id."""
        ...


class _Draft:
    """One draft being written: the knowledge base, the view, and the sources cited so far."""

    def __init__(self, kb: KnowledgeBaseLike, view: BuildView, situation: Situation) -> None:
        self.kb, self.view, self.situation = kb, view, situation
        self.sources = Sources()
        self.spelling = Spelling(c.text for c in kb.chunks)
        # A heading that misspells a role ("Leeropdracht ambachtelijk opdrachtgever") is named by the profile's name.
        self.names = [(p.name, p.aliases) for p in view.roles]

    def label(self, text: str) -> str:
        """A heading or source label with every misspelt variant of a role's name put right."""
        for name, variants in self.names:
            text = canonical(text, name, variants)
        return text

    def name(self, doc_id: str) -> str:
        """How running text names a document: its Dutch name from sources.json, else its title in quotes."""
        record = self.kb.info.documents.get(doc_id)
        names = getattr(record, "names", None) or {}  # builds from before names were recorded have none
        return names.get("nl") or (f"‘{record.title}’" if record else doc_id)

    def cite_text(self, item: RoleText | None, question: bool = False) -> CitedText | None:
        """A role text as a cited quote, labelled with its appendix and section."""
        chunk = self.kb.chunk(item.chunk_id) if item is not None else None
        if item is None or chunk is None:
            return None
        place = self.label(" > ".join(p for p in (item.part, item.section) if p) or chunk.section)
        hit = replace(Hit.from_chunk(chunk), section=place, page=item.page if item.page is not None else chunk.page,
                      places=())
        text = normalise_space(item.text)
        n = self.sources.cite(hit, item.start, item.end)
        if question and text.endswith("."):
            # The gids ends one question with a full stop: the quote keeps its words, the question mark is ours.
            return CitedText(quoted(text, self.spelling) + "?", (n,))
        return CitedText(quoted(text, self.spelling), (n,))

    def cite_quote(self, quote: Quote | None) -> compose.Cited | None:
        """A retrieved sentence as a numbered quote with its document's name."""
        if quote is None:
            return None
        n = self.sources.cite(quote.hit, quote.start, quote.end)
        return compose.Cited(self.spelling.mark(quote.text), n, self.name(quote.hit.doc_id))

    def relevance(self, text: str) -> float:
        """How much of the situation's vocabulary the text shares (IDF-weighted)."""
        scorer = self.view.scorer
        return scorer.coverage(scorer.terms(self.situation.text), scorer.terms(text)) if self.situation.text else 0.0


def _describes(d: _Draft, t: RoleText) -> bool:
    """True for a passage that can stand alone as a description of the role.

    Not one that leans on a sentence we do not show ("Namelijk die van …"), a list item without a subject
    ("Regisseert eenmalige …"), a definition of the guide's terms, or one that points into the guide or is
    about another case.
    """
    first = t.text.split()[0] if t.text.split() else ""
    # Judged on its opening sentence: a "dus" further on in the paragraph leans on the paragraph itself.
    opening = next((t.text[a:b] for a, b in sentence_spans(t.text)), t.text)
    return (not _LEANS.match(t.text) and not finite_verb(first.lower())
            and unfit(opening, t.section, d.situation.text) is None)


def _descriptions(d: _Draft, match: RoleMatch) -> list[RoleText]:
    """The guide's own description of the role asked for, of the role whose leeropdracht applies (for a folded
    role both), and the one that fits the situation best."""
    own = [t for t in (match.described.description if match.described else ()) if _describes(d, t)]
    parent = [t for t in (match.profile.description if match.profile else ()) if t not in own and _describes(d, t)]
    chosen = own[:1] + parent[:1]
    rest = sorted((t for t in own + parent if t not in chosen), key=lambda t: -d.relevance(t.text))
    if rest and (d.relevance(rest[0].text) > 0 or len(own) > 1):
        chosen.append(rest[0])
    return chosen[:DESCRIPTIONS_SHOWN]


def _part(d: _Draft, match: RoleMatch) -> RolePart:
    """What the guide says about one role of the request, cited."""
    p = match.profile
    description = tuple(c for c in (d.cite_text(t) for t in _descriptions(d, match)) if c)
    if p is None:
        return RolePart(name=match.name, asked=match.asked, in_guide=False, description=description)
    # Every paragraph beside the leeropdracht: one says what the role must learn, another its central tension;
    # for a position the guide describes as freed for the role (its own pitfall), not those about doing it "erbij".
    aside = next(c.pattern for c in CIRCUMSTANCES if c.name == "on_the_side")
    freed = pitfall_of(match) is not p.pitfall
    asks = [t for t in p.context if not (freed and re.search(aside, t.text, re.IGNORECASE))]
    where = d.label(" > ".join(x for x in (p.strength.part, p.strength.section) if x)) if p.strength else ""
    return RolePart(
        name=p.name, asked=match.asked, in_guide=True, source=f"{d.name(p.doc_id)}, {where.replace(' > ', ', ')}",
        description=description, strength=d.cite_text(p.strength), pitfall=d.cite_text(pitfall_of(match)),
        asks=tuple(c for c in (d.cite_text(t) for t in asks) if c), motto=d.cite_text(p.motto),
    )


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _questions(d: _Draft, parts: Sequence[RolePart], matches: Sequence[RoleMatch], material: Material,
               voice: compose.Voice) -> list[CitedText]:
    """The guide's questions for each role, then questions from the retrieved passages, then our own."""
    share = MAX_QUESTIONS // max(1, len(parts))
    found: list[CitedText] = []
    for m in matches:
        if m.profile is not None:
            found += [c for c in (d.cite_text(q, question=True) for q in m.profile.questions[:share]) if c]
    for q in material.questions:
        if len(found) >= MIN_QUESTIONS:
            break
        found.append(CitedText(q.text, (d.sources.cite(q.chunk, q.start, q.end),)))
    if len(found) < MIN_QUESTIONS:
        found += [CitedText(t) for t in compose.own_questions(parts[0].name, d.situation, voice)][:MIN_QUESTIONS - len(found)]
    return found[:MAX_QUESTIONS]


def _queries(matches: Sequence[RoleMatch], situation: Situation) -> tuple[list[str], str, str, str]:
    """The searches (role and situation; the sore point in the documents' words), the situation text that
    sentences are ranked against, the role's words, and for a role outside the guide its own field of work."""
    # A role outside the guide is known by its field of work ("communicatieadviseur" → communicatie).
    role_query = " ".join(dict.fromkeys(w for m in matches for w in (m.name, m.asked, *(
        (field_of(m.asked), theme_words(m.asked)) if m.profile is None else ())) if w))
    themes = theme_words(situation.text)
    situation_query = " ".join(w for w in situation.text.split() if w.lower().strip(".,;:?!") not in REQUEST_WORDS)
    focus = f"{situation.point} {theme_words(situation.point) or themes}".strip()
    outside = [m for m in matches if m.profile is None and not (m.described and m.described.description)]
    outside_query = " ".join(f"{m.asked} {field_of(m.asked)} {theme_words(m.asked)}" for m in outside)
    searches = [f"{role_query} {situation_query} {themes}", focus]
    field = " ".join(f"{field_of(m.asked)} {theme_words(m.asked)}" for m in outside)
    rank_query = f"{situation.opgave} {situation.people()} {field} {focus if situation.point else situation_query + ' ' + themes}"
    return searches, rank_query, role_query, outside_query


def _own_passages(kb: KnowledgeBaseLike, matches: Sequence[RoleMatch]) -> list[Hit]:
    """The passages in which the guide describes a role it has no leeropdracht for: material of the role itself."""
    ids = [t.chunk_id for m in matches if m.profile is None and m.described for t in m.described.description]
    return [Hit.from_chunk(c) for c in (kb.chunk(i) for i in dict.fromkeys(ids)) if c is not None]


def _fit(book: RoleBook, matches: Sequence[RoleMatch], situation: str) -> Fit:
    """What supporting sentences must fit: the situation, and the learner's roles against the guide's others."""
    mine = [p for m in matches for p in (m.profile, m.described) if p is not None]
    own = {n for p in mine for n in (p.name, *p.aliases, *p.members, p.part_of) if n} | {m.asked.lower() for m in matches}
    others = {n for p in book.profiles for n in (p.name, *p.aliases) if n} - own
    return Fit(situation, tuple(sorted(own)), tuple(sorted(others)))


def _reading(d: _Draft, by_document: dict[str, list[Hit]], role_query: str, rank_query: str,
             used: set[str], fit: Fit) -> tuple[CitedText, ...]:
    """From each document the chapter that fits role and subject: "document, ‘chapter’: “sentence” [n]"."""
    said = " ".join(normalise_space(h.text) for h in d.sources.hits)  # passages overlap: a quoted sentence recurs
    out = []
    themes = theme_words(d.situation.text)
    for quote in further_reading(d.kb, d.view.scorer, by_document, rank_query, role_query, used, themes, fit):
        if quote.text in said:
            continue
        cited = d.cite_quote(quote)
        section = next(c.section for c in d.sources.citations() if c.n == cited.n)
        chapter = d.label(section.split(" > ")[-1]) if section else ""
        chapter = chapter.capitalize() if chapter.isupper() else chapter  # "GEBIEDSMANAGER": a heading in capitals
        where = f"{_cap(cited.document)}, ‘{chapter}’" if chapter else _cap(cited.document)
        out.append(CitedText(f"{where}: “{cited.text}” [{cited.n}]", (cited.n,)))
    return tuple(out)


def draft(kb: KnowledgeBaseLike, view: BuildView, role: str, situation: str, filters: Filters, mode: str,
          rewriter: Rewriter | None = None) -> Leeropdracht:
    """The leeropdracht for ``role`` in ``situation`` (see the module docstring)."""
    role, situation = " ".join((role or "").split()), " ".join((situation or "").split())
    ask = read_role_field(role, situation)
    if not any(ask.names):
        raise AssistantError("geef een rol op, bijvoorbeeld 'lijnmanager' of 'ambtelijk opdrachtgever'")
    book = RoleBook(view.roles)
    matches = list({m.name: m for m in (book.match(n, situation) for n in ask.names)}.values())
    names = [m.name for m in matches]
    d = _Draft(kb, view, read_situation(situation, {*names, *(m.asked.lower() for m in matches)}))
    voice = compose.Voice(ask.group)
    parts = [_part(d, m) for m in matches]
    # Other roles' leeropdracht sections are never material; passages already quoted as the role's description
    # are not quoted again as a practice or an insight.
    excluded = {t.chunk_id for p in book.appendix for t in (p.strength, p.pitfall, *p.context, *p.questions, p.motto) if t}
    own = _own_passages(kb, matches)  # a role the guide describes only in its main text: its own lines are material
    excluded |= {h.chunk_id for h in d.sources.hits} - {h.chunk_id for h in own}
    searches, rank_query, role_query, outside_query = _queries(matches, d.situation)
    guide = next((p.doc_id for p in book.appendix), "")
    by_document = search_each_document(kb, list(filters.doc_ids) or list(kb.info.documents),
                                       f"{role_query} {d.situation.opgave} {theme_words(d.situation.text)}")
    extra = [h for hits in by_document.values() for h in hits]
    fit = _fit(book, matches, f"{d.situation.text} {rank_query}")  # the whole situation: "bij een ministerie"
    material = find_material(kb, view.scorer, searches, rank_query, role_query, excluded, filters.doc_ids, outside_query,
                             guide, own, extra, fit)
    # Cited in the order the draft shows them: closest material, questions, further reading, exercise, reflection.
    closest = tuple(CitedText(f"“{c.text}”", (c.n,)) for c in (d.cite_quote(q) for q in material.closest) if c)
    questions = _questions(d, parts, matches, material, voice)
    reading = _reading(d, by_document, role_query, rank_query, fit=fit, used=excluded | {h.chunk_id for h in d.sources.hits} | {
        q.hit.chunk_id for q in (material.practice, material.insight, *material.closest) if q is not None})
    kind = kind_of(*names, *(m.asked for m in matches))
    first = parts[0]
    strength_n = first.strength.cites[0] if first.strength else None
    pitfall_n = first.pitfall.cites[0] if first.pitfall else None
    # The guide's question that fits the situation best gives the exercise its point.
    guide_questions = [q for q in questions if q.cites and q.text.startswith("“")]
    question = max(guide_questions, key=lambda q: d.relevance(q.text), default=None)
    exercise = compose.exercise(kind, d.situation, voice, d.cite_quote(material.practice), strength_n, pitfall_n,
                                tuple(names) if len(names) > 1 else (), question)
    reflection = compose.reflection(kind, matches[0].asked, d.situation, voice, d.cite_quote(material.insight), pitfall_n)
    notes = notes_for(d, matches, book, ask.group, d.situation.opgave)
    if rewriter is not None:
        labelled = [("KRACHT", first.strength), ("VALKUIL", first.pitfall)]
        exercise, reflection, flagged = rewriter.rewrite(" en ".join(names), situation, d.sources.hits, labelled, exercise, reflection)
        notes += flagged
    title_name = " en ".join(names)
    return without_unused(Leeropdracht(
        title=f"Leeropdracht {title_name}" + (" (voor een team)" if ask.group else ""),
        role=display_name(title_name), role_in_gids=all(p.in_guide for p in parts), group=ask.group,
        context=situation or NO_SITUATION,
        strength=first.strength, pitfall=first.pitfall, questions=tuple(questions), exercise=exercise,
        reflection=reflection, citations=d.sources.citations(), mode=mode, notes=tuple(notes), parts=tuple(parts),
        closest=closest, reading=reading, misspelt=tuple(dict.fromkeys(w for c in d.sources.citations() for w in d.spelling.misspelt(c.quote))),
    ))
