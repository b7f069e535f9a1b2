"""The role texts of a draft: the draft being written (its sources, names and spelling), and per role what the
guide says, cited.

For each role of the request the guide's own words are quoted whole, with their exact place (appendix and
section): the main text's description, the strength ("pot met goud"), the pitfall, what the section asks of
the role, the line that sums the leeropdracht up, and its "Hoe …?" questions.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Protocol, Sequence

from assistant.leeropdracht import compose
from assistant.leeropdracht.fit import unfit
from assistant.leeropdracht.material import Material, Quote, Searcher
from assistant.leeropdracht.notes import pitfall_of
from assistant.leeropdracht.phrasing import CIRCUMSTANCES, finite_verb
from assistant.leeropdracht.roles import RoleMatch
from assistant.leeropdracht.situation import Situation
from assistant.leeropdracht.sources import Sources
from assistant.leeropdracht.wording import Spelling, canonical, quoted
from assistant.support import SupportScorer
from assistant.types import CitedText, RolePart
from kb.roles import RoleProfile, RoleText
from kb.store import IndexInfo
from kb.types import Chunk, Hit
from opgavewijzer.text import normalise_space, sentence_spans

MAX_QUESTIONS = 6
# An opening that needs the sentence before it ("Namelijk die van …", "Deze leider, …").
_LEANS = re.compile(r"^(?:Namelijk|Deze|Dit|Die|Dat|Daarom|Daarbij|Hierdoor|Zo|Ook|Maar|En)\b")
MIN_QUESTIONS = 3
DESCRIPTIONS_SHOWN = 3  # the role's own description, its leeropdracht role's (for a folded role), the best fit


# A role text that opens by pointing back ("Ieder van deze drie sturingsprofessionals …") is quoted with the
# sentences of its paragraph before it ("We kennen ze wel, de rechtlijnige projectmanager, …").
_POINTS_BACK = re.compile(r"^(?:(?:Ieder|Elk|Elke|Alle|Beide|Geen)\s+(?:van\s+)?(?:deze|die|dit)|Deze|Dit|Die|Zij|Ze|Hij)\b")
LEAD_WORDS = 60  # a lead-in longer than this is no lead-in but a paragraph of its own


def _with_lead(text: str, start: int) -> int:
    """Where a role text that points back starts with its lead-in from the same paragraph; else ``start``."""
    if not _POINTS_BACK.match(text[start:]):
        return start
    para = text.rfind("\n\n", 0, start)
    if para < 0:
        return start  # the paragraph began in an earlier passage
    lead = text[para:start]
    words = len(lead.split())
    if not words or words > LEAD_WORDS or lead.rstrip()[-1:] not in ".!?":
        return start
    return para + len(lead) - len(lead.lstrip())


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


class DraftState:
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
        start = _with_lead(chunk.text, item.start)
        text = normalise_space(chunk.text[start:item.end])
        n = self.sources.cite(hit, start, item.end)
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


def _describes(d: DraftState, t: RoleText) -> bool:
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


def _descriptions(d: DraftState, match: RoleMatch) -> list[RoleText]:
    """The guide's own description of the role asked for, of the role whose leeropdracht applies (for a folded
    role both), and the one that fits the situation best."""
    own = [t for t in (match.described.description if match.described else ()) if _describes(d, t)]
    parent = [t for t in (match.profile.description if match.profile else ()) if t not in own and _describes(d, t)]
    chosen = own[:1] + parent[:1]
    rest = sorted((t for t in own + parent if t not in chosen), key=lambda t: -d.relevance(t.text))
    if rest and (d.relevance(rest[0].text) > 0 or len(own) > 1):
        chosen.append(rest[0])
    return chosen[:DESCRIPTIONS_SHOWN]


def role_part(d: DraftState, match: RoleMatch) -> RolePart:
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


def role_questions(d: DraftState, parts: Sequence[RolePart], matches: Sequence[RoleMatch], material: Material,
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

