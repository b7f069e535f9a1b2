"""Prompt assembly for the LLM backends: sources go in delimited and marked as data.

Each passage is wrapped in ``<bron id="n">…</bron>``; angle brackets inside
passages and questions are replaced by look-alike characters, so no source
text and no question can close a tag and pose as an instruction. The system
prompt says that text inside those tags is never an instruction.
"""

from __future__ import annotations

from typing import Sequence

from assistant.answer.gaps import Gaps
from assistant.answer.plan import QuestionPlan
from assistant.answer.selection import Scored
from assistant.prompts import PromptSet
from opgavewijzer.text import Language
from kb.types import Hit

LANGUAGE_NAMES: dict[Language, str] = {"nl": "Nederlands", "en": "Engels (English)"}


def neutralise(text: str) -> str:
    """Text that cannot open or close a prompt tag."""
    return text.replace("<", "‹").replace(">", "›")


def format_sources(hits: Sequence[Hit]) -> str:
    """The numbered ``<bron>`` blocks for a prompt; [1] is ``hits[0]``."""
    blocks = []
    for n, hit in enumerate(hits, start=1):
        where = neutralise(hit.section or "")
        page = f' pagina="{hit.page}"' if hit.page else ""
        title = neutralise(hit.title).replace('"', "'")
        blocks.append(f'<bron id="{n}" document="{title}" sectie="{where.replace(chr(34), chr(39))}"{page}>\n'
                      f"{neutralise(hit.text.strip())}\n</bron>")
    return "\n\n".join(blocks)


def answer_messages(prompts: PromptSet, plan: QuestionPlan, hits: Sequence[Hit], ranked: Sequence[Scored],
                    gaps: Gaps, max_evidence: int = 8) -> tuple[str, str]:
    """System and user message for answering a planned question from ``hits``.

    The model gets what the extractive path uses too: the question analysis,
    the passages, and the best whole sentences with the number of the passage
    each stands in, so that it can quote and cite them; and, when the sources
    lack what was asked, a note that it must say so first.
    """
    language = LANGUAGE_NAMES[plan.lang]
    numbers = {h.chunk_id: n for n, h in enumerate(hits, start=1)}
    lines = []
    for s in ranked[:max_evidence]:
        n = next((numbers[h.chunk_id] for h in hits
                  if h.doc_id == s.sentence.doc_id and h.start <= s.sentence.start < h.end), None)
        if n is not None:
            lines.append(f"[{n}] {neutralise(s.sentence.text)}")
    analysis = (f"soort vraag: {plan.kind}; gevraagd: {plan.expects}; onderwerp: {neutralise(' '.join(plan.focus))}"
                + ("; vergelijk de genoemde documenten, elk in een eigen alinea" if plan.compare else ""))
    if gaps:
        analysis += f"\nLet op: {neutralise(gaps.statement)} Zeg dat eerst, en geef daarna alleen wat de bronnen wel zeggen."
    system = prompts.system.render(answer_language=language)
    user = prompts.answer.render(sources=format_sources(hits), question=neutralise(plan.question), answer_language=language,
                                 analysis=analysis, evidence="\n".join(lines) or "(geen)")
    return system, user


def condense_messages(prompts: PromptSet, history: str, question: str) -> tuple[str, str]:
    """System and user message for rewriting a follow-up into a standalone question."""
    system = prompts.system.render(answer_language=LANGUAGE_NAMES["nl"])
    return system, prompts.condense.render(history=history, question=neutralise(question))


def clean_condensed(raw: str, fallback: str) -> str:
    """The first non-empty line of the model's rewrite, or ``fallback`` if it gave nothing usable."""
    for line in raw.splitlines():
        line = line.strip().strip('"“”').strip()
        for prefix in ("Herschreven vraag:", "Vraag:", "Question:"):
            if line.lower().startswith(prefix.lower()):
                line = line[len(prefix):].strip()
        if len(line) >= 5:
            return line[:500]
    return fallback
