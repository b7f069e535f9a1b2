"""The Chainlit chat of Opgavewijzer; start it with ``opgavewijzer serve`` (or ``chainlit run ui/app.py``).

This file only wires chat events to the assistant (run by :mod:`ui.runner`);
who may log in, and the web policy, are set up by :mod:`ui.security`. The
flows are in :mod:`ui.flows`, what is shown in :mod:`ui.presenter` and
:mod:`ui.views`; per-session state lives in ``cl.user_session`` only, and what
sessions share is built once, on first use, by :func:`services`. Nothing heavy
happens at import.
"""

from __future__ import annotations

import functools
from typing import Any

import chainlit as cl
from chainlit.config import config as chainlit_config
from chainlit.server import app as chainlit_server

from ui import flows, guides_view, launch, runner, security, session as chat_state, views
from ui.store import create_data_layer
from opgavewijzer.errors import OpgavewijzerError
from opgavewijzer.settings import Settings

# Started as 'chainlit run ui/app.py' without an app root or login secret: start again with them.
launch.relaunch_if_needed(chainlit_config.root, chainlit_config.run.module_name)


@functools.cache
def services() -> views.Services:
    """Shared by all sessions; the settings are read here, once, at the edge."""
    return views.Services(Settings())


# At import, on purpose: Starlette refuses middleware once the app has handled its first event,
# and Chainlit starts serving right after importing this file (see ui.web_policy.install).
security.setup(chainlit_server, chainlit_config, services)


@cl.on_app_startup
async def warm_up() -> None:
    """Accounts in line before any request, then the model and index loaded in the background."""
    await runner.warm_up(services())


@cl.data_layer
def data_layer() -> Any:
    """Conversations and feedback in the chat database (a SQLite file, or the servers' shared one)."""
    return create_data_layer(services().settings)


@cl.set_chat_profiles
async def profiles(user: cl.User | None, language: str | None = None) -> list[cl.ChatProfile]:
    """Vragen stellen and Leeropdracht maken, each with its starters."""
    return views.chat_profiles()


@cl.on_chat_start
async def start() -> None:
    """A new chat: the settings panel, and for the maintainer the upload button."""
    try:
        await runner.show_settings(services())
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
    await runner.show_settings(services(), cl.user_session.get("chat_settings"))


@cl.on_settings_update
async def settings_changed(values: dict) -> None:
    """The user changed the settings panel."""
    bot = await runner.assistant(services())
    cl.user_session.set("prefs", views.prefs_from_values(bot, services().settings, values))


@cl.on_message
async def on_message(message: cl.Message) -> None:
    """A question, or a step of a leeropdracht request, depending on the chat profile."""
    if message.elements:  # files only come through the maintainer's button, never with a message
        await cl.Message(flows.NOT_MAINTAINER).send()
    elif cl.user_session.get("chat_profile") == views.PROFILE_LEEROPDRACHT:
        await runner.reply_with(services(), flows.leeropdracht_turn, message.content)
    else:
        await runner.reply_with(services(), flows.answer, message.content)


guides_view.register(lambda question: runner.reply_with(services(), flows.answer, question))  # the Bronnen view's question buttons


@cl.action_callback(views.ACTION_ROLE)
async def role_chosen(action: cl.Action) -> None:
    """A role button of the leeropdracht intake."""
    await runner.reply_with(services(), flows.leeropdracht_turn, str(action.payload.get("role", "")))


@cl.action_callback(views.ACTION_NO_SITUATION)
async def no_situation(action: cl.Action) -> None:
    """The 'Zonder situatie' button of the leeropdracht intake."""
    await runner.reply_with(services(), flows.leeropdracht_turn, "geen")


@cl.action_callback(views.ACTION_UPLOAD)
async def add_document(action: cl.Action) -> None:
    """The maintainer's 'Document toevoegen' button (refused for everyone else)."""
    await flows.add_document(services().uploads, services().settings.ui.upload_max_mb,
                             lambda: security.token_is_maintainer(services))
