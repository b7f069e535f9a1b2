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

from dataclasses import replace
from typing import Sequence

from assistant.leeropdracht import compose
from assistant.leeropdracht.fit import Fit
from assistant.leeropdracht.functions import read_outside
from assistant.leeropdracht.material import find_material
from assistant.leeropdracht.meaning import QuoteMeaning
from assistant.leeropdracht.notes import notes_for
from assistant.leeropdracht.page import one_page
from assistant.leeropdracht.partners import ELECTED, NO_OWN_OPGAVE, kind_of
from assistant.leeropdracht.person import in_first_person
from assistant.leeropdracht.reading import further_reading, search_each_document
from assistant.leeropdracht.request import REQUEST_WORDS
from assistant.leeropdracht.role_field import field_of, read_role_field
from assistant.leeropdracht.rewrite import Rewriter
from assistant.leeropdracht.role_parts import BuildView, DraftState, KnowledgeBaseLike, role_part, role_questions
from assistant.leeropdracht.sources import without_unused
from assistant.leeropdracht.roles import RoleBook, RoleMatch, display_name
from assistant.leeropdracht.situation import Situation, read_situation, theme_words
from assistant.leeropdracht.wording import NO_SITUATION
from assistant.types import CitedText, Filters, Leeropdracht
from kb.types import Hit
from opgavewijzer.errors import AssistantError
from opgavewijzer.text import normalise_space


__all__ = ["BuildView", "KnowledgeBaseLike", "draft"]


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


def _about(matches: Sequence[RoleMatch], situation: Situation) -> list[str]:
    """What a supporting quote must be about, as e5 queries: the role (for one outside the guide with its field
    of work), and the situation's subject (its opgave, challenge and the documents' words for its tension)."""
    role = " ".join(dict.fromkeys(w for m in matches for w in (m.name, m.asked, field_of(m.asked) if m.profile is None else "")
                                  if w))
    subject = " ".join(w for w in (situation.opgave, situation.point, theme_words(situation.text)) if w)
    if not subject:
        subject = " ".join(w for w in situation.text.split() if w.lower().strip(".,;:?!") not in REQUEST_WORDS)
    return [role, subject]


def _one_per_role(read: Sequence[RoleMatch]) -> list[RoleMatch]:
    """One match per leeropdracht: of several titles read as the same appendix role ("projectleiders en
    programmamanagers", both the sturingsprofessional's) the first is kept. A single title keeps its own reading."""
    kept: dict[str, RoleMatch] = {}
    for m in read:
        kept.setdefault(m.profile.name if m.profile is not None and len(read) > 1 else m.name, m)
    return list(kept.values())


def _own_passages(kb: KnowledgeBaseLike, matches: Sequence[RoleMatch]) -> list[Hit]:
    """The passages in which the guide describes a role it has no leeropdracht for: material of the role itself."""
    ids = [t.chunk_id for m in matches if m.profile is None and m.described for t in m.described.description]
    return [Hit.from_chunk(c) for c in (kb.chunk(i) for i in dict.fromkeys(ids)) if c is not None]


def _fit(book: RoleBook, matches: Sequence[RoleMatch], situation: str, elected: bool = False) -> Fit:
    """What supporting sentences must fit: the situation, and the learner's roles against the guide's others."""
    mine = [p for m in matches for p in (m.profile, m.described) if p is not None]
    own = {n for p in mine for n in (p.name, *p.aliases, *p.members, p.part_of) if n} | {m.asked.lower() for m in matches}
    others = {n for p in book.profiles for n in (p.name, *p.aliases) if n} - own
    return Fit(situation, tuple(sorted(own)), tuple(sorted(others)), elected=elected)


def _reading(d: DraftState, by_document: dict[str, list[Hit]], role_query: str, rank_query: str,
             used: set[str], fit: Fit, meaning: QuoteMeaning | None = None) -> tuple[CitedText, ...]:
    """From each document the chapter that fits role and subject: "document, ‘chapter’: “sentence” [n]"."""
    said = " ".join(normalise_space(h.text) for h in d.sources.hits)  # passages overlap: a quoted sentence recurs
    out = []
    themes = theme_words(d.situation.text)
    for quote in further_reading(d.kb, d.view.scorer, by_document, rank_query, role_query, used, themes, fit, meaning):
        if quote.text in said:
            continue
        cited = d.cite_quote(quote)
        section = next(c.section for c in d.sources.citations() if c.n == cited.n)
        chapter = d.label(section.split(" > ")[-1]) if section else ""
        chapter = chapter.capitalize() if chapter.isupper() else chapter  # "GEBIEDSMANAGER": a heading in capitals
        where = f"{cited.document[:1].upper() + cited.document[1:]}, ‘{chapter}’" if chapter else cited.document[:1].upper() + cited.document[1:]
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
    # A function the guide does not name is compared with the documented job titles (functions.tsv) by meaning.
    read = read_outside([book.match(n, situation) for n in ask.names], book, getattr(kb, "embedder", None))
    matches = _one_per_role(read)
    names = [m.name for m in matches]
    kind = kind_of(*names, *(m.asked for m in matches))
    # A situation about the participant ("ze merkt dat ze …") is read in the participant's own voice.
    read = read_situation(in_first_person(situation, ask.group), {*names, *(m.asked.lower() for m in matches)})
    # A role that serves opgaven without one of its own (a manager, control, an adviser outside the guide such as
    # HR or communication) is not told it works on "de opgave waaraan ik werk".
    serves = kind.name in NO_OWN_OPGAVE or (kind.name == "adviseur" and all(m.how == "outside" for m in matches))
    d = DraftState(kb, view, replace(read, own_opgave=not serves))
    voice = compose.Voice(ask.group)
    parts = [role_part(d, m) for m in matches]
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
    fit = _fit(book, matches, f"{d.situation.text} {rank_query}", elected=kind.name in ELECTED)  # the whole situation: "bij een ministerie"
    meaning = QuoteMeaning(kb, _about(matches, d.situation))
    material = find_material(kb, view.scorer, searches, rank_query, role_query, excluded, filters.doc_ids, outside_query,
                             guide, own, extra, fit, meaning)
    # Cited in the order the draft shows them: closest material, questions, further reading, exercise, reflection.
    closest = tuple(CitedText(f"“{c.text}”", (c.n,)) for c in (d.cite_quote(q) for q in material.closest) if c)
    questions = role_questions(d, parts, matches, material, voice)
    reading = _reading(d, by_document, role_query, rank_query, fit=fit, meaning=meaning, used=excluded | {h.chunk_id for h in d.sources.hits} | {
        q.hit.chunk_id for q in (material.practice, material.insight, *material.closest) if q is not None})
    first = parts[0]
    strength_n = first.strength.cites[0] if first.strength else None
    pitfall_n = first.pitfall.cites[0] if first.pitfall else None
    # The guide's question that fits the situation best gives the exercise its point.
    guide_questions = [q for q in questions if q.cites and q.text.startswith("“")]
    question = max(guide_questions, key=lambda q: d.relevance(q.text), default=None)
    if question is not None:
        questions = [question] + [q for q in questions if q is not question]  # the exercise refers to it as the first
    exercise = compose.exercise(kind, d.situation, voice, d.cite_quote(material.practice), strength_n, pitfall_n,
                                tuple(names) if len(names) > 1 else (), question)
    reflection = compose.reflection(kind, matches[0].asked, d.situation, voice, d.cite_quote(material.insight), pitfall_n)
    notes = notes_for(d, matches, book, ask.group, d.situation.opgave)
    if rewriter is not None:
        labelled = [("KRACHT", first.strength), ("VALKUIL", first.pitfall)]
        exercise, reflection, flagged = rewriter.rewrite(" en ".join(names), situation, d.sources.hits, labelled, exercise, reflection)
        notes += flagged
    title_name = " en ".join(names)
    return one_page(without_unused(Leeropdracht(
        title=f"Leeropdracht {title_name}" + (" (voor een team)" if ask.group else ""),
        role=display_name(title_name), role_in_gids=all(p.in_guide for p in parts), group=ask.group,
        context=situation or NO_SITUATION,
        strength=first.strength, pitfall=first.pitfall, questions=tuple(questions), exercise=exercise,
        reflection=reflection, citations=d.sources.citations(), mode=mode, notes=tuple(notes), parts=tuple(parts),
        closest=closest, reading=reading, misspelt=tuple(dict.fromkeys(w for c in d.sources.citations() for w in d.spelling.misspelt(c.quote))),
    )))
