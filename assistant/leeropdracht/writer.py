"""Drafting a leeropdracht: role profile from the gids, related passages, own framing text.

Without an LLM the draft is assembled: strength, pitfall and "Hoe …?"
questions quoted from the gids (cited), more questions from other sources
when the gids gives fewer than three, an exercise and a reflection moment in
the learner's own practice that quote a related passage (cited). Text that is
our own carries no citation, and nothing is ever presented as gids text that
is not. With an LLM, the exercise and the reflection are rewritten fluently
and pass the same citation check as answers.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.citations import check_citations, make_citation
from assistant.generate import format_sources, neutralise
from assistant.llm import LLM
from assistant.leeropdracht.questions import source_questions
from assistant.leeropdracht.roles import RoleItem, RoleProfile, match_role
from opgavewijzer.text import normalise_space
from assistant.types import Citation, CitedText, Filters, Leeropdracht
from kb.types import Chunk, Hit

if TYPE_CHECKING:
    from assistant.answer.engine import Assistant

MIN_QUESTIONS = 3
MAX_QUESTIONS = 6
QUESTION_SEARCH_K = 12  # passages searched for extra reflective questions
# Documents whose passages make good material for exercises: patterns (NSOB) and checklists (bouwstenen).
_RELATED_DOCS = ("nsob_rapport", "bouwstenen_essay", "pzh_verslag")
_SECTION = re.compile(r"^\s*(OEFENING|REFLECTIE)\s*:\s*", re.IGNORECASE | re.MULTILINE)


class _Sources:
    """The passages a draft cites, numbered in order of first use."""

    def __init__(self) -> None:
        self.hits: list[Hit] = []
        self.spans: dict[str, list[tuple[int, int]]] = {}

    def cite(self, chunk: Chunk | Hit, start: int, end: int) -> int:
        if chunk.chunk_id not in self.spans:
            self.hits.append(chunk if isinstance(chunk, Hit) else Hit.from_chunk(chunk))
            self.spans[chunk.chunk_id] = []
        if (start, end) not in self.spans[chunk.chunk_id]:
            self.spans[chunk.chunk_id].append((start, end))
        return next(i for i, h in enumerate(self.hits, start=1) if h.chunk_id == chunk.chunk_id)

    def citations(self) -> tuple[Citation, ...]:
        return tuple(make_citation(n, h, self.spans[h.chunk_id][0], tuple(self.spans[h.chunk_id]))
                     for n, h in enumerate(self.hits, start=1))


def draft(assistant: "Assistant", role: str, situation: str, filters: Filters, llm: LLM | None, mode: str) -> Leeropdracht:
    """Build the draft for ``role`` in ``situation`` (see the module docstring)."""
    role = " ".join((role or "").split())
    situation = " ".join((situation or "").split())
    if not role:
        from opgavewijzer.errors import AssistantError

        raise AssistantError("geef een rol op, bijvoorbeeld 'lijnmanager' of 'ambtelijk opdrachtgever'")
    state = assistant.index_state()
    profile = match_role(role, state.roles, situation)
    chunks = {c.chunk_id: c for c in assistant.kb.chunks}
    sources = _Sources()
    notes: list[str] = []

    def cited(item: RoleItem, question: bool = False) -> CitedText:
        text = normalise_space(item.text)
        if question and text.endswith("."):
            text = text[:-1] + "?"  # the gids ends one question with a full stop; the quote keeps it
        return CitedText(text, (sources.cite(chunks[item.chunk_id], item.start, item.end),))

    strength = pitfall = None
    questions: list[CitedText] = []
    if profile is not None:
        if normalise_space(role).lower() != profile.name:
            notes.append(f"De rol '{role}' is opgevat als '{profile.name}' uit de VPNG-gids.")
        strength = cited(profile.strength)
        pitfall = cited(profile.pitfall) if profile.pitfall else None
        if pitfall is None:
            notes.append("De gids noemt voor deze rol geen duidelijke valkuil.")
        questions = [cited(q, question=True) for q in profile.questions[:MAX_QUESTIONS]]
    else:
        notes.append(f"De VPNG-gids heeft geen leeropdracht voor de rol '{role}'. Deze opzet is gebouwd uit "
                     "algemene passages over opgavegericht werken; er is geen gidstekst voor deze rol verzonnen.")
    topic = f"{profile.name if profile else role} {situation}".strip()
    related = _related(assistant, topic, filters, profile)
    if len(questions) < MIN_QUESTIONS:
        questions += _more_questions(assistant, topic, sources, MIN_QUESTIONS - len(questions) + 1)[: MAX_QUESTIONS - len(questions)]
    if len(questions) < MIN_QUESTIONS:
        questions += [CitedText(q) for q in _own_questions(profile.name if profile else role)][: MIN_QUESTIONS - len(questions)]
    exercise, reflection = _exercise(profile, role, situation, related, sources, pitfall)
    if llm is not None:
        exercise, reflection, flagged = _rewrite(assistant, llm, profile.name if profile else role, situation, sources,
                                                 exercise, reflection, strength, pitfall)
        notes += flagged
    name = profile.name if profile else role
    return Leeropdracht(
        title=f"Leeropdracht {name}",
        role=profile.display_name if profile else role,
        role_in_gids=profile is not None,
        context=situation or "Geen situatie opgegeven; de opdracht is algemeen gehouden.",
        strength=strength, pitfall=pitfall, questions=tuple(questions[:MAX_QUESTIONS]),
        exercise=exercise, reflection=reflection, citations=sources.citations(), mode=mode, notes=tuple(notes),
    )


def _related(assistant: "Assistant", topic: str, filters: Filters, profile: RoleProfile | None) -> list[tuple[Hit, int, int]]:
    """The best sentences for an exercise from related passages (NSOB patterns, bouwstenen, and for
    roles outside the gids also the gids's general passages); as (hit, start, end)."""
    present = set(assistant.kb.info.documents)
    docs = [d for d in (filters.doc_ids or _RELATED_DOCS) if d in present]
    if profile is None and "vpng_gids" in present and not filters.doc_ids:
        docs.append("vpng_gids")  # general gids passages, never another role's leeropdracht
    hits = assistant.kb.search(f"{topic} opgavegericht werken", top_k=4, doc_ids=docs or None)
    if profile is None:
        hits = [h for h in hits if not _is_role_section(h, assistant.index_state().roles)]
    ranked = assistant.index_state().ranker.candidates(topic, hits, max_hits=4)
    chosen: list[tuple[Hit, int, int]] = []
    for c in ranked:
        if len(chosen) == 2:
            break
        if all(hits[c.hit].doc_id != h.doc_id for h, _, _ in chosen):  # two documents say more than one
            chosen.append((hits[c.hit], c.start, c.end))
    return chosen


def _is_role_section(hit: Hit, roles: tuple[RoleProfile, ...]) -> bool:
    items = [i for p in roles for i in (p.strength, p.pitfall, *p.questions) if i is not None]
    return any(i.chunk_id == hit.chunk_id for i in items)


def _more_questions(assistant: "Assistant", topic: str, sources: _Sources, n: int) -> list[CitedText]:
    """Up to ``n`` first-person questions from passages retrieved for the topic in the other documents.

    Only retrieved passages are used: a draft, like an answer, never cites a
    passage that no search returned.
    """
    state = assistant.index_state()
    docs = [d for d in assistant.kb.info.documents if d != "vpng_gids"]
    hits = assistant.kb.search(f"hoe {topic} opgave", top_k=QUESTION_SEARCH_K, doc_ids=docs or None)
    chunks = {c.chunk_id: c for c in assistant.kb.chunks}
    pool = source_questions([chunks[h.chunk_id] for h in hits if h.chunk_id in chunks])
    terms = state.scorer.terms(topic + " opgave")
    pool.sort(key=lambda q: -state.scorer.coverage(terms, state.scorer.terms(q.text)))
    return [CitedText(q.text, (sources.cite(q.chunk, q.start, q.end),)) for q in pool[:n]]


def _own_questions(name: str) -> list[str]:
    """Generic questions in our own words (no citation), used only when the sources give too few."""
    return [
        f"Hoe breng ik mijn rol als {name} in bij de opgave waar ik aan werk?",
        "Hoe merk ik in mijn werk of de opgave voorop staat, en niet de eigen afdeling?",
        "Hoe betrek ik de partners buiten mijn organisatie bij wat ik doe?",
    ]


def _exercise(profile: RoleProfile | None, role: str, situation: str, related: list[tuple[Hit, int, int]],
              sources: _Sources, pitfall: CitedText | None) -> tuple[CitedText, CitedText]:
    """Exercise and reflection moment: our framing, with one or two cited sentences from the sources."""
    where = f" in mijn situatie ({situation.rstrip('.')})" if situation else " in mijn eigen werk"
    parts = [f"Ik kies de komende vier weken één concreet moment{where} waarop ik bewust handel vanuit mijn rol als "
             f"{profile.name if profile else role}."]
    if profile is not None:
        parts.append("Ik zet daarbij mijn kracht uit de gids bewust in, let op mijn valkuil, en leg na elk moment kort "
                     "vast wat ik deed en wat het opleverde.")
    else:
        parts.append("Ik leg na elk moment kort vast wat ik deed, wie ik erbij betrok en wat het opleverde voor de opgave.")
    cites: list[int] = []
    for hit, start, end in related:
        n = sources.cite(hit, start, end)
        cites.append(n)
        parts.append(f"Ik neem deze gedachte uit de bronnen mee: “{normalise_space(hit.text[start:end])}” [{n}]")
    exercise = CitedText(" ".join(parts), tuple(cites))
    reflection_text = ("Na vier weken kijk ik terug, met een collega of mijn leidinggevende: wat deed ik anders dan "
                       "voorheen, wat leverde dat op voor de opgave en voor de mensen om wie het gaat, en wat neem ik mee "
                       "in mijn volgende stap?")
    if pitfall is not None:
        reflection_text += f" Waar herkende ik de valkuil die de gids voor mijn rol noemt [{pitfall.cites[0]}]?"
        return exercise, CitedText(reflection_text, pitfall.cites)
    return exercise, CitedText(reflection_text)


def _rewrite(assistant: "Assistant", llm: LLM, name: str, situation: str, sources: _Sources, exercise: CitedText,
             reflection: CitedText, strength: CitedText | None, pitfall: CitedText | None) -> tuple[CitedText, CitedText, list[str]]:
    """Exercise and reflection rewritten by the LLM; each part that fails the citation check stays as drafted."""
    prompts = assistant.prompts()
    draft_text = "\n".join(f"{label}: {t.text}" for label, t in (("KRACHT", strength), ("VALKUIL", pitfall),
                                                                   ("OEFENING", exercise), ("REFLECTIE", reflection)) if t)
    system = prompts.system.render(answer_language="Nederlands")
    user = prompts.leeropdracht.render(role=neutralise(name), situation=neutralise(situation or "(geen)"),
                                       sources=format_sources(sources.hits), draft=neutralise(draft_text))
    raw = llm.complete(system, user)
    parts = dict(zip(*[iter(_SECTION.split(raw)[1:])] * 2))
    out: list[CitedText] = []
    flagged: list[str] = []
    state = assistant.index_state()
    for key, fallback in (("OEFENING", exercise), ("REFLECTIE", reflection)):
        text = next((v for k, v in parts.items() if k.upper() == key), "").strip()
        checked = check_citations(text, sources.hits, state.scorer, assistant.settings.answer.support_threshold, renumber=False)
        if checked.claims:
            out.append(CitedText(checked.text, tuple(sorted({c.n for c in checked.citations}))))
        else:
            out.append(fallback)
            flagged.append(f"{key.lower()}: de herschreven tekst van het taalmodel kwam niet door de bronnencontrole")
    return out[0], out[1], flagged
