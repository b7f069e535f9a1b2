"""The Chainlit chat of Opgavewijzer; start it with ``opgavewijzer serve`` (or ``chainlit run ui/app.py``).

This file only wires chat events to the assistant; who may log in, and the
web policy, are set up by :mod:`ui.security`. The flows are in
:mod:`ui.flows`, what is shown in :mod:`ui.presenter` and
:mod:`ui.views`; per-session state lives in ``cl.user_session``
only, and what sessions share is built once, on first use, by
:func:`services`. Nothing heavy happens at import.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any, Awaitable, Callable

import chainlit as cl
from chainlit.config import config as chainlit_config
from chainlit.server import app as chainlit_server

from ui import flows, guides_view, launch, security, session as chat_state, views
from ui.store import create_data_layer
from opgavewijzer.errors import OpgavewijzerError
from opgavewijzer.settings import Settings

log = logging.getLogger("opgavewijzer.chat")

# Started as 'chainlit run ui/app.py' without an app root or login secret: start again with them.
launch.relaunch_if_needed(chainlit_config.root, chainlit_config.run.module_name)


@functools.cache
def services() -> views.Services:
    """Shared by all sessions; the settings are read here, once, at the edge."""
    return views.Services(Settings())


# At import, on purpose: Starlette refuses middleware once the app has handled its first event,
# and Chainlit starts serving right after importing this file (see ui.web_policy.install).
security.setup(chainlit_server, chainlit_config, services)


async def assistant() -> Any:
    """The shared assistant, waited for without blocking other sessions."""
    return await asyncio.to_thread(services().assistant)


async def reply_with(flow: Callable[..., Awaitable[None]], *args: Any) -> None:
    """Run one flow with the assistant; the core's errors become a message that says what went wrong."""
    try:
        await flow(await assistant(), *args)
    except OpgavewijzerError as err:
        await cl.ErrorMessage(f"Dat lukte niet: {err}").send()


def _load() -> None:
    try:
        services().assistant()
    except OpgavewijzerError as err:  # each user who starts a chat is told; here it is only logged
        log.warning("kennisbank niet geladen: %s", err)


@cl.on_app_startup
async def warm_up() -> None:
    """Bring the settings' maintainer account in line (before any request), then load the model and
    index in the background: neither the server nor the first user waits."""
    await asyncio.to_thread(services().access().sync_maintainer)
    asyncio.get_running_loop().run_in_executor(None, _load)


@cl.data_layer
def data_layer() -> Any:
    """Conversations and feedback in the SQLite chat database."""
    return create_data_layer(services().settings)


@cl.set_chat_profiles
async def profiles(user: cl.User | None, language: str | None = None) -> list[cl.ChatProfile]:
    """Vragen stellen and Leeropdracht maken, each with its starters."""
    return views.chat_profiles()


async def show_settings(values: dict | None = None) -> None:
    """Send the settings panel and keep its values as this session's preferences."""
    bot = await assistant()
    panel = await cl.ChatSettings(views.settings_widgets(bot, services().settings, values)).send()
    cl.user_session.set("prefs", views.prefs_from_values(bot, services().settings, panel))


@cl.on_chat_start
async def start() -> None:
    """A new chat: the settings panel, and for the maintainer the upload button."""
    try:
        await show_settings()
    except OpgavewijzerError as err:
        await cl.ErrorMessage(f"De kennisbank is niet beschikbaar: {err}").send()
        return
    if views.is_maintainer(cl.user_session.get("user")):
        await cl.Message("U bent ingelogd als beheerder. U kunt documenten toevoegen aan de kennisbank.",
                         actions=[views.upload_action()]).send()


@cl.on_chat_resume
async def resume(thread: dict) -> None:
    """A stored chat reopened: its history for follow-up questions, and its settings."""
    cl.user_session.set("history", chat_state.history_from_steps(thread.get("steps") or []))
    await show_settings(cl.user_session.get("chat_settings"))


@cl.on_settings_update
async def settings_changed(values: dict) -> None:
    """The user changed the settings panel."""
    cl.user_session.set("prefs", views.prefs_from_values(await assistant(), services().settings, values))


@cl.on_message
async def on_message(message: cl.Message) -> None:
    """A question, or a step of a leeropdracht request, depending on the chat profile."""
    if message.elements:  # files only come through the maintainer's button, never with a message
        await cl.Message(flows.NOT_MAINTAINER).send()
    elif cl.user_session.get("chat_profile") == views.PROFILE_LEEROPDRACHT:
        await reply_with(flows.leeropdracht_turn, message.content)
    else:
        await reply_with(flows.answer, message.content)


guides_view.register(lambda question: reply_with(flows.answer, question))  # the Bronnen view's question buttons


@cl.action_callback(views.ACTION_ROLE)
async def role_chosen(action: cl.Action) -> None:
    """A role button of the leeropdracht intake."""
    await reply_with(flows.leeropdracht_turn, str(action.payload.get("role", "")))


@cl.action_callback(views.ACTION_NO_SITUATION)
async def no_situation(action: cl.Action) -> None:
    """The 'Zonder situatie' button of the leeropdracht intake."""
    await reply_with(flows.leeropdracht_turn, "geen")


@cl.action_callback(views.ACTION_UPLOAD)
async def add_document(action: cl.Action) -> None:
    """The maintainer's 'Document toevoegen' button (refused for everyone else)."""
    await flows.add_document(services().uploads, services().settings.ui.upload_max_mb,
                             lambda: security.token_is_maintainer(services))
