"""Retrieval per question: the passages a question plan needs, in the order the answer should weigh them.

- A question that names or compares two documents is searched in each of
  them, and the results are interleaved, so both contribute.
- "Wat is X?" also searches for the definition itself and puts defining
  passages in front (:mod:`assistant.answer.definitions`).
- A list question whose noun names a numbered section gets that section
  (:mod:`assistant.answer.outline`).
- Passages that are mostly author bios, colophons, navigation or tables of
  contents go behind body text, unless the question asks about the authors
  or the organisation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Sequence

from assistant.answer.definitions import defined_subject, definition_pattern, definition_probe, with_definitions
from assistant.answer.index_view import IndexView
from assistant.answer.outline import ListSection, match_list, names_count
from assistant.answer.plan import QuestionPlan
from assistant.answer.role_facts import RoleFacts, role_facts
from assistant.types import Filters
from kb.knowledge_base import KnowledgeBase
from kb.types import Hit

# Passages searched per question for the answer, whatever the number shown: the gold evidence of a
# realistic question is in the top 10 for 97% of questions, but in the top 5 for far fewer (dev split).
ANSWER_DEPTH = 10
# A passage whose quotable sentences hold less than this share of its words is furniture.
BODY_SHARE = 0.5
QUOTABLE_ROLES = frozenset({"body", "list_item"})


@dataclass(frozen=True)
class Found:
    """What retrieval found for one question."""

    hits: tuple[Hit, ...]
    listed: ListSection | None = None  # the numbered list the question asks for, if any
    roles: RoleFacts | None = None  # what the guide's profiles say about the roles the question names


class Retrieval:
    """Searches the knowledge base for a question plan."""

    def __init__(self, kb: KnowledgeBase, default_top_k: int) -> None:
        self.kb = kb
        self.default_top_k = default_top_k

    def run(self, plan: QuestionPlan, filters: Filters, view: IndexView) -> Found:
        """The passages for ``plan`` within ``filters``, best first."""
        top_k = max(filters.top_k or self.default_top_k, ANSWER_DEPTH)
        scope = tuple(filters.doc_ids or plan.doc_ids)
        if plan.compare and len(scope) >= 2:
            hits = _interleave([self.kb.search(plan.search_text, top_k=top_k, doc_ids=[d]) for d in scope])
        else:
            hits = self.kb.search(plan.search_text, top_k=top_k, doc_ids=list(scope) or None)
            if not hits and scope and not filters.doc_ids:
                scope = ()  # a document name was misread: search all
                hits = self.kb.search(plan.search_text, top_k=top_k)
        pattern, probe = definition_pattern(plan.question), definition_probe(plan.question)
        if hits and pattern is not None and probe is not None:
            hits = with_definitions(hits, self.kb.search(probe, top_k=top_k, doc_ids=list(scope) or None), pattern, top_k,
                                    defined_subject(plan.question) or "")
        if not plan.about_authors:
            hits = body_first(hits, view)
        listed = None
        if hits and plan.lang == "nl":
            listed = match_list(plan.question, view.lists, view.scorer, scope)
            if listed is not None and asks_count(plan.question) and not names_count(plan.question, listed):
                listed = None  # "welke twee opgaven …" is not answered by a list of ten
        facts = role_facts(plan, view.roles)
        if facts is not None and hits:
            hits = self._with_role_passages(hits, facts, scope)
        return Found(tuple(hits), listed, facts)

    def _with_role_passages(self, hits: list[Hit], facts: RoleFacts, scope: tuple[str, ...]) -> list[Hit]:
        """The hits, then the passages of the role profile pieces the search did not find (within the scope)."""
        present = {h.chunk_id for h in hits}
        out = list(hits)
        for chunk_id in facts.chunk_ids:
            chunk = self.kb.chunk(chunk_id)
            if chunk is None or chunk_id in present or (scope and chunk.doc_id not in scope):
                continue
            out.append(replace(Hit.from_chunk(chunk), rank=len(out) + 1))
        return out


_COUNT = re.compile(r"\b(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|\d{1,2})\b", re.IGNORECASE)


def asks_count(question: str) -> bool:
    """True if the question names how many things it asks for ("welke vijf bouwstenen")."""
    return bool(_COUNT.search(question))


def _interleave(rankings: Sequence[Sequence[Hit]]) -> list[Hit]:
    """First of each ranking, then second of each, …: two documents searched apart both get heard."""
    out: list[Hit] = []
    seen: set[str] = set()
    for i in range(max((len(r) for r in rankings), default=0)):
        for ranking in rankings:
            if i < len(ranking) and ranking[i].chunk_id not in seen:
                seen.add(ranking[i].chunk_id)
                out.append(ranking[i])
    return out


def body_first(hits: Sequence[Hit], view: IndexView) -> list[Hit]:
    """The hits with passages that are mostly furniture (bios, colophon, navigation, contents) moved last."""
    body, furniture = [], []
    for hit in hits:
        sentences = view.sentences.of_chunk(hit.doc_id, hit.chunk_id)
        words = sum(len(s.text.split()) for s in sentences) or 1
        quotable = sum(len(s.text.split()) for s in sentences if s.role in QUOTABLE_ROLES)
        (body if not sentences or quotable / words >= BODY_SHARE else furniture).append(hit)
    return body + furniture
