"""Wiring for leeropdrachten: what the answer engine holds (the build's view, an LLM) handed to the writer.

The engine builds the view of a build once (role profiles, term weights) and
keeps the LLM clients; these two functions pass exactly that on, so that the
writer depends on the knowledge base and the view, never on the engine.
"""

from __future__ import annotations

from typing import Sequence

from assistant.leeropdracht.rewrite import Rewriter
from assistant.leeropdracht.roles import RoleBook
from assistant.leeropdracht.writer import BuildView, KnowledgeBaseLike, draft
from assistant.llm import LLM
from assistant.prompts import PromptSet
from assistant.types import Filters, Leeropdracht
from kb.roles import RoleProfile


def role_names(profiles: Sequence[RoleProfile]) -> list[str]:
    """Names of the roles the guide gives a leeropdracht for, with a capital."""
    return RoleBook(profiles).names()


def draft_leeropdracht(kb: KnowledgeBaseLike, view: BuildView, role: str, situation: str, filters: Filters, mode: str,
                       llm: LLM | None = None, prompts: PromptSet | None = None, support_threshold: float = 0.0) -> Leeropdracht:
    """The leeropdracht for ``role`` in ``situation``; with ``llm`` (and its ``prompts``) the own texts are rewritten."""
    rewriter = Rewriter(llm, prompts, view.scorer, support_threshold) if llm is not None and prompts is not None else None
    return draft(kb, view, role, situation, filters, mode, rewriter)
