"""The three things a chat session does: answer a question, draft a leeropdracht, add a document.

Each flow runs inside a Chainlit session (``cl.user_session`` holds its state)
and gets the shared services it needs as arguments; blocking work goes to
:mod:`ui.worker` so that other sessions go on meanwhile.
"""

from __future__ import annotations

import asyncio
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import chainlit as cl

from ui import guides_view, presenter, session as chat_state, views
from assistant.types import Done, Retrieved, Token
from ui.uploads import result_markdown
from ui.worker import iterate_in_thread, run_with_progress
from opgavewijzer.errors import AssistantError, DocumentError

if TYPE_CHECKING:
    from assistant.answer.engine import Assistant
    from ui.uploads import Uploads

NOT_MAINTAINER = "Documenten toevoegen kan alleen de beheerder. Log in als 'beheerder' om een document toe te voegen."


async def answer(bot: "Assistant", question: str) -> None:
    """Search (shown as a step), stream the answer, then show it with its linked citations."""
    if guides_view.opens_view(question):  # the welcome screen's "Bronnen bekijken"
        await guides_view.show_guides(bot)
        return
    prefs = cl.user_session.get("prefs") or chat_state.ChatPrefs()
    history = cl.user_session.get("history") or ()
    events = iterate_in_thread(lambda: bot.stream(question, history, prefs.filters(), prefs.mode))
    async with cl.Step(name="Zoeken in de bronnen", type="retrieval") as step:
        async for event in events:  # up to the search result; the same stream goes on below
            if isinstance(event, Retrieved):
                step.output = presenter.retrieval_markdown(event.query, event.hits, question)
                break
    # Chainlit stores the step's creation and its update as two concurrent writes, and the empty
    # creation can land last; a third write keeps the search visible in a reloaded conversation.
    await step.update()
    reply, final = cl.Message(content=""), None
    async for event in events:
        if isinstance(event, Token):
            await reply.stream_token(event.text)
        elif isinstance(event, Done):
            final = event.answer
    if final is None:
        raise AssistantError("het antwoord is onderweg afgebroken")
    view = presenter.answer_view(final, show_flags=views.is_maintainer(cl.user_session.get("user")))
    reply.content, reply.elements = view.content, views.to_elements(view.elements)
    await reply.send()
    cl.user_session.set("history", chat_state.add_exchange(history, question, final.text))


async def leeropdracht_turn(bot: "Assistant", text: str) -> None:
    """Ask for the role or the situation while one is missing; then draft the leeropdracht."""
    roles = await asyncio.to_thread(bot.roles)
    intake = chat_state.read_request(text, roles, cl.user_session.get("intake") or chat_state.Intake())
    if intake.missing == "role":
        cl.user_session.set("intake", dataclasses.replace(intake, asked="role"))
        await cl.Message("Voor welke rol is de leeropdracht? Kies een sleutelfiguur uit de VPNG-gids, "
                         "of typ een andere rol.", actions=views.role_actions(roles)).send()
        return
    if intake.missing == "situation":
        cl.user_session.set("intake", dataclasses.replace(intake, asked="situation"))
        await cl.Message(f"In welke situatie staat de {(intake.role or '').lower()}? Beschrijf die in een of twee "
                         "zinnen, of kies 'Zonder situatie' voor een algemene leeropdracht.",
                         actions=[views.no_situation_action()]).send()
        return
    cl.user_session.set("intake", None)
    prefs = cl.user_session.get("prefs") or chat_state.ChatPrefs()
    async with cl.Step(name=f"Leeropdracht opstellen: {intake.role}", type="tool"):
        draft, markdown, docx = await asyncio.to_thread(views.draft_with_downloads, bot, intake, prefs)
    view = presenter.leeropdracht_view(draft, markdown, docx)
    await cl.Message(view.content, elements=views.to_elements(view.elements)).send()


async def add_document(uploads: Callable[[], "Uploads"], limit_mb: int, still_maintainer: Callable[[], bool]) -> None:
    """The maintainer's upload: ask for a file, then check, store and ingest it with progress.

    ``still_maintainer`` asks the session list, now: a maintainer removed or
    changed since logging in is refused, before the question and after it.
    """
    if not views.is_maintainer(cl.user_session.get("user")) or not still_maintainer():
        await cl.Message(NOT_MAINTAINER).send()
        return
    try:
        await _receive_document(uploads, limit_mb, still_maintainer)
    finally:
        # Answering Chainlit's file question marks the page busy again, and only a message
        # handler ends that; an action must end it itself, or the page stays busy for good.
        await cl.context.emitter.task_end()


async def _receive_document(uploads: Callable[[], "Uploads"], limit_mb: int, still_maintainer: Callable[[], bool]) -> None:
    # Asked inside a step: Chainlit accepts the file only for a question that has a parent,
    # since uploads with a message are switched off for everybody.
    async with cl.Step(name="Bestand kiezen", type="tool"):
        files = await cl.AskFileMessage(
            content=f"Kies een PDF-, Word-, TXT- of Markdown-bestand van hoogstens {limit_mb} MB.",
            accept=views.UPLOAD_ACCEPT, max_size_mb=min(limit_mb, 100), timeout=900,
        ).send()
    if not files:
        return
    if not still_maintainer():  # the question may have waited for minutes
        await cl.Message(NOT_MAINTAINER).send()
        return
    status = cl.Message(content="Bestand controleren…")
    await status.send()

    async def show(text: str) -> None:
        status.content = text
        await status.update()

    service = await asyncio.to_thread(uploads)
    chosen = files[0]
    try:
        result = await run_with_progress(lambda report: service.add(chosen.name, Path(chosen.path), report), show)
    except DocumentError as err:
        await show(f"**{err.path.name}** is niet toegevoegd: {err.reason}.")
        return
    await show(result_markdown(result))
