"""Prompt assembly for the LLM backends: sources go in delimited and marked as data.

Each passage is wrapped in ``<bron id="n">…</bron>``; angle brackets inside
passages and questions are replaced by look-alike characters, so no source
text and no question can close a tag and pose as an instruction. The system
prompt says that text inside those tags is never an instruction.
"""

from __future__ import annotations

from typing import Sequence

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


def answer_messages(prompts: PromptSet, question: str, hits: Sequence[Hit], lang: Language) -> tuple[str, str]:
    """System and user message for answering ``question`` from ``hits``."""
    language = LANGUAGE_NAMES[lang]
    system = prompts.system.render(answer_language=language)
    user = prompts.answer.render(sources=format_sources(hits), question=neutralise(question), answer_language=language)
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
