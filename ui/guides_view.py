"""The "Bronnen" view: every document with its source guide, in one chat message.

One message holds the lot: a short introduction, then per document (a heading of level 2; the chat page has
its h1) what it is, its chapters, its key points and key terms. Each key point carries a marker ``[n]`` that
opens its passage in the side panel, the point in bold, as an answer's citations do (:mod:`ui.presenter`);
the markers run on across the documents, so every marker names exactly one side element. The questions each
document answers well (checked at ingest) are buttons at the end of the message, each labelled with the
document's short title before the question ("VPNG Inspiratiegids: Waar gaat …?"), so a user and a screen
reader know which document it asks about; pressing one asks the question. The welcome screen offers the view
as a starter (:data:`GUIDES_STARTER`); asking for it by name opens it too. Everything shown is plain Markdown
(headings, lists, links) and real buttons, so a keyboard and a screen reader reach all of it.

The view is built from what the loaded build holds in memory (the guides) and one read of the store (the
checked questions), and sent as one message, because Chainlit stores and sends each message in turn: six
messages took 1.8 s to show (see ``benchmarks/bench_guides.py --browser``).
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Awaitable, Callable, Mapping, Sequence

from assistant.answer.overview_answer import document_answer
from kb.guides import DocumentGuide, load_checked_questions
from ui.presenter import ElementSpec, citation_elements, citation_name, escape_markdown

if TYPE_CHECKING:
    from assistant.answer.engine import Assistant

GUIDES_STARTER = "Bronnen bekijken"  # the starter's label and message, and what a user may type to open the view
ACTION_GUIDE_QUESTION = "bronnengids_vraag"
INTRO = ("**Bronnen** — de documenten waaruit ik antwoord, elk met een korte gids. Een nummer opent de passage "
         "in het zijpaneel; een knop onderaan stelt de vraag.")
NO_GUIDES = "Er zijn nog geen bronnengidsen: de beheerder maakt ze met 'opgavewijzer ingest'."
MAX_CHAPTERS_SHOWN = 8
_OPENS = re.compile(r"^\s*(?:bronnen|bronnen bekijken|welke bronnen( zijn er)?|toon de bronnen|sources)\s*[?.!]?\s*$", re.I)


@dataclass(frozen=True)
class GuideSection:
    """One document's part of the view: Markdown, side elements and the questions for its buttons."""

    content: str
    elements: tuple[ElementSpec, ...]
    questions: tuple[str, ...]
    short_title: str


@dataclass(frozen=True)
class GuideButton:
    """A suggested question as a button: what it shows and reads out, and the question it asks."""

    label: str
    question: str


@dataclass(frozen=True)
class GuidesView:
    """The whole view as one message: Markdown, every side element, every button."""

    content: str
    elements: tuple[ElementSpec, ...]
    buttons: tuple[GuideButton, ...]


def opens_view(text: str) -> bool:
    """True if a message asks for the view itself ("Bronnen bekijken", "bronnen?")."""
    return bool(_OPENS.match(text or ""))


def guide_section(guide: DocumentGuide, questions: Sequence[str] | None, chunk: Callable[[str], Any],
                  first: int = 1) -> GuideSection:
    """The view of one guide, its markers numbered from ``first``; ``questions`` are its checked suggested
    questions (None: not checked yet)."""
    citations = [replace(c, n=c.n - 1 + first) for c in document_answer(guide, "nl", chunk).citations]
    short = guide.short_title or guide.title
    what = " · ".join(escape_markdown(x) for x in (guide.kind, guide.publisher, guide.date) if x)
    lines = [f"## {escape_markdown(guide.title)}", ""]  # h2: the chat page has its h1 (axe checks the order)
    if what:
        lines += [f"*{what}*", ""]
    chapters = [c.split(" > ")[-1] for c in guide.chapters if " > " not in c][:MAX_CHAPTERS_SHOWN]
    if chapters:
        lines += ["**Hoofdstukken:** " + " · ".join(escape_markdown(c) for c in chapters), ""]
    if citations:
        source = f" (uit ‘{escape_markdown(guide.summary_heading)}’ en de hoofdstukken)" if guide.summary_heading else ""
        lines += [f"**Kernpunten**{source}:", ""]
        # A bulleted list: an ordered one would count from the first marker, not from 1. The quote is escaped
        # whole, so that a footnote "[2]" of the source stays text and opens no passage of another document.
        lines += [f"- {escape_markdown(c.quote)} {citation_name(c.n)}" for c in citations]
        lines.append("")
    if guide.terms:
        lines += ["**Kernbegrippen:** " + ", ".join(escape_markdown(t) for t in guide.terms), ""]
    shown = tuple(questions or ())
    if shown:
        lines.append(f"**Vragen die dit document goed beantwoordt:** de knoppen onderaan die met "
                     f"‘{escape_markdown(short)}’ beginnen.")
    return GuideSection("\n".join(lines).strip(), citation_elements(citations), shown, short)


def button_label(short_title: str, question: str) -> str:
    """A question button's label: the document's short title, then the question."""
    return f"{short_title}: {question}"


def guides_view(guides: Mapping[str, DocumentGuide], checked: Mapping[str, Sequence[str]] | None,
                chunk: Callable[[str], Any]) -> GuidesView | None:
    """Every guide in one message, in the build's document order, markers numbered across all (None: no guides)."""
    if not guides:
        return None
    sections: list[GuideSection] = []
    for doc_id, guide in guides.items():
        first = sum(len(s.elements) for s in sections) + 1
        sections.append(guide_section(guide, (checked or {}).get(doc_id), chunk, first))
    content = "\n\n".join([INTRO, *(s.content for s in sections)])
    buttons = tuple(GuideButton(button_label(s.short_title, q), q) for s in sections for q in s.questions)
    return GuidesView(content, tuple(e for s in sections for e in s.elements), buttons)


def build_view(bot: "Assistant") -> GuidesView | None:
    """The view of the loaded build (blocking: one read of the store)."""
    guides = bot.index_state().guides
    checked = load_checked_questions(bot.kb.store, bot.kb.info.collection) if guides else None
    return guides_view(guides, checked, bot.kb.chunk)


async def show_guides(bot: "Assistant") -> None:
    """Send the view: one message with every document, its side passages and its question buttons."""
    import chainlit as cl

    from ui import views

    view = await asyncio.to_thread(build_view, bot)
    if view is None:
        await cl.Message(NO_GUIDES).send()
        return
    actions = [cl.Action(name=ACTION_GUIDE_QUESTION, payload={"question": b.question}, label=b.label,
                         tooltip=f"Vraag: {b.question}") for b in view.buttons]
    await cl.Message(view.content, elements=views.to_elements(view.elements), actions=actions).send()


def register(ask: Callable[[str], Awaitable[None]]) -> None:
    """Have the view's question buttons ask their question with ``ask`` (the chat file calls this once)."""
    import chainlit as cl

    @cl.action_callback(ACTION_GUIDE_QUESTION)
    async def guide_question(action: cl.Action) -> None:
        """A suggested question of the Bronnen view, pressed."""
        await ask(str(action.payload.get("question", "")))
