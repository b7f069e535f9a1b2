"""The source guides at the command line: checking their suggested questions after an ingest, and printing one.

The check needs the answer engine and the fresh build together, so it runs here, at the edge, after the ingest
has made the build active (ingest itself never imports the engine).
"""

from __future__ import annotations

import json
import time
from typing import Any

from opgavewijzer.settings import Settings


def check_suggested_questions(settings: Settings) -> tuple[int, int, float]:
    """Ask the engine each guide's candidate questions and store those it answers from the document.

    Returns ``(documents, questions kept, seconds)``.
    """
    from assistant.answer.engine import Assistant
    from assistant.answer.suggestions import check_questions
    from kb.guides import guides_from_extras, save_checked_questions
    from kb.knowledge_base import KnowledgeBase

    started = time.perf_counter()
    kb = KnowledgeBase.open(settings)
    guides = guides_from_extras(kb.info.extras)
    assistant = Assistant(settings, kb)
    checked = check_questions(lambda q: assistant.answer(q, mode="extractive"),
                              {doc_id: g.questions for doc_id, g in guides.items()})
    save_checked_questions(kb.store, kb.info.collection, checked)
    return len(checked), sum(len(q) for q in checked.values()), time.perf_counter() - started


def questions_checked(settings: Settings) -> bool:
    """True if the active build's suggested questions have been checked (a stopped ingest may have skipped it)."""
    from kb.guides import load_checked_questions
    from kb.knowledge_base import KnowledgeBase

    kb = KnowledgeBase.open(settings)
    return load_checked_questions(kb.store, kb.info.collection) is not None


def guide_markdown(guide: Any, questions: tuple[str, ...] | None) -> str:
    """A guide as Markdown: what it is, its chapters, key points (with where they stand), key terms, questions."""
    what = ", ".join(x for x in (guide.kind, guide.publisher, guide.date) if x)
    lines = [f"# {guide.title}", "", f"*{what}* · `{guide.doc_id}` · {guide.words} woorden", "", "## Hoofdstukken", ""]
    lines += [f"{'  ' * c.count(' > ')}- {c.split(' > ')[-1]}" for c in guide.chapters] or ["(geen hoofdstukken gevonden)"]
    lines += ["", "## Kernpunten" + (f" (uit ‘{guide.summary_heading}’ en de hoofdstukken)" if guide.summary_heading else ""), ""]
    lines += [f"- “{p.text}” — *{p.section or '(begin)'}*" + (f", p. {p.page}" if p.page else "") for p in guide.points]
    lines += ["", "## Kernbegrippen", "", ", ".join(guide.terms) or "(geen)", "", "## Vragen die dit document goed beantwoordt", ""]
    if questions is None:
        lines += ["(nog niet gecontroleerd; draai 'opgavewijzer ingest')"]
    else:
        lines += [f"- {q}" for q in questions] or ["(geen vraag kwam door de controle)"]
    return "\n".join(lines) + "\n"


def guide_json(guide: Any, questions: tuple[str, ...] | None) -> str:
    """A guide as JSON, with the checked questions (null when they were never checked)."""
    data = guide.to_json()
    data.pop("questions", None)
    data["suggested_questions"] = None if questions is None else list(questions)
    return json.dumps(data, ensure_ascii=False, indent=2)
