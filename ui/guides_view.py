"""The "Bronnen" view: every document with its source guide, in the chat.

One message per document: what it is, its chapters, its key points and key terms. Each key point carries a
marker ``[n]`` that opens its passage in the side panel, the point in bold, as an answer's citations do
(:mod:`ui.presenter`). The questions the document answers well (checked at ingest) are buttons: pressing one
asks it. The welcome screen offers the view as a starter (:data:`GUIDES_STARTER`); asking for it by name
opens it too. Everything shown is plain Markdown (headings, lists) and real buttons, so a keyboard and a
screen reader reach all of it.

The view is built from what the loaded build holds in memory (the guides) and one read of the store (the
checked questions), so it opens at once (see ``benchmarks/bench_ui.py``).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping, Sequence

from assistant.answer.overview_answer import document_answer
from kb.guides import DocumentGuide, load_checked_questions
from ui.presenter import ElementSpec, citation_elements, escape_keeping_markers, escape_markdown

if TYPE_CHECKING:
    from assistant.answer.engine import Assistant

GUIDES_STARTER = "Bronnen bekijken"  # the starter's label and message, and what a user may type to open the view
ACTION_GUIDE_QUESTION = "bronnengids_vraag"
INTRO = ("**Bronnen** — de documenten waaruit ik antwoord, elk met een korte gids. Een nummer opent de passage "
         "in het zijpaneel; een knop stelt de vraag.")
NO_GUIDES = "Er zijn nog geen bronnengidsen: de beheerder maakt ze met 'opgavewijzer ingest'."
MAX_CHAPTERS_SHOWN = 8
_OPENS = re.compile(r"^\s*(?:bronnen|bronnen bekijken|welke bronnen( zijn er)?|toon de bronnen|sources)\s*[?.!]?\s*$", re.I)


@dataclass(frozen=True)
class GuideMessage:
    """One document's part of the view: Markdown, side elements and the questions for its buttons."""

    content: str
    elements: tuple[ElementSpec, ...]
    questions: tuple[str, ...]


def opens_view(text: str) -> bool:
    """True if a message asks for the view itself ("Bronnen bekijken", "bronnen?")."""
    return bool(_OPENS.match(text or ""))


def guide_message(guide: DocumentGuide, questions: Sequence[str] | None, chunk: Callable[[str], Any]) -> GuideMessage:
    """The view of one guide; ``questions`` are its checked suggested questions (None: not checked yet)."""
    composed = document_answer(guide, "nl", chunk)
    what = " · ".join(escape_markdown(x) for x in (guide.kind, guide.publisher, guide.date) if x)
    lines = [f"## {escape_markdown(guide.title)}", ""]  # h2: the chat page has its h1 (axe checks the order)
    if what:
        lines += [f"*{what}*", ""]
    chapters = [c.split(" > ")[-1] for c in guide.chapters if " > " not in c][:MAX_CHAPTERS_SHOWN]
    if chapters:
        lines += ["**Hoofdstukken:** " + " · ".join(escape_markdown(c) for c in chapters), ""]
    if composed.citations:
        source = f" (uit ‘{escape_markdown(guide.summary_heading)}’ en de hoofdstukken)" if guide.summary_heading else ""
        lines += [f"**Kernpunten**{source}:", ""]
        lines += [f"{c.n}. {escape_keeping_markers(c.quote)} [{c.n}]" for c in composed.citations]
        lines.append("")
    if guide.terms:
        lines += ["**Kernbegrippen:** " + ", ".join(escape_markdown(t) for t in guide.terms), ""]
    shown = tuple(questions or ())
    if shown:
        lines.append("**Vragen die dit document goed beantwoordt** (knoppen hieronder).")
    return GuideMessage("\n".join(lines).strip(), citation_elements(composed.citations), shown)


def guide_messages(guides: Mapping[str, DocumentGuide], checked: Mapping[str, Sequence[str]] | None,
                   chunk: Callable[[str], Any]) -> list[GuideMessage]:
    """The view of every guide, in the build's document order."""
    return [guide_message(g, (checked or {}).get(doc_id), chunk) for doc_id, g in guides.items()]


def build_view(bot: "Assistant") -> list[GuideMessage]:
    """The view of the loaded build (blocking: one read of the store)."""
    guides = bot.index_state().guides
    checked = load_checked_questions(bot.kb.store, bot.kb.info.collection) if guides else None
    return guide_messages(guides, checked, bot.kb.chunk)


async def show_guides(bot: "Assistant") -> None:
    """Send the view: an introduction, then one message per document with its buttons."""
    import chainlit as cl

    from ui import views

    messages = await asyncio.to_thread(build_view, bot)
    if not messages:
        await cl.Message(NO_GUIDES).send()
        return
    await cl.Message(INTRO).send()
    for message in messages:
        actions = [cl.Action(name=ACTION_GUIDE_QUESTION, payload={"question": q}, label=q, tooltip=f"Vraag: {q}")
                   for q in message.questions]
        await cl.Message(message.content, elements=views.to_elements(message.elements), actions=actions).send()


def register(ask: Callable[[str], Awaitable[None]]) -> None:
    """Have the view's question buttons ask their question with ``ask`` (the chat file calls this once)."""
    import chainlit as cl

    @cl.action_callback(ACTION_GUIDE_QUESTION)
    async def guide_question(action: cl.Action) -> None:
        """A suggested question of the Bronnen view, pressed."""
        await ask(str(action.payload.get("question", "")))
