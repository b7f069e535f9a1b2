"""Running the assistant for the chat handlers of ``ui/app.py``: once at server start, then for each turn.

The handlers pass in the shared :class:`ui.views.Services`; nothing here
keeps state of its own.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable

import chainlit as cl

from opgavewijzer.errors import OpgavewijzerError
from ui import views
from ui.views import Services

log = logging.getLogger("opgavewijzer.chat")


async def warm_up(services: Services) -> None:
    """Accounts in line before any request (an older accounts file taken over, the settings' maintainer),
    then the model and index loaded in the background: neither the server nor the first user waits."""
    await asyncio.to_thread(services.access().start)
    asyncio.get_running_loop().run_in_executor(None, _load, services)


def _load(services: Services) -> None:
    try:
        services.assistant()
    except OpgavewijzerError as err:  # each user who starts a chat is told; here it is only logged
        log.warning("kennisbank niet geladen: %s", err)


async def assistant(services: Services) -> Any:
    """The shared assistant, waited for without blocking other sessions."""
    return await asyncio.to_thread(services.assistant)


async def show_settings(services: Services, values: dict | None = None) -> None:
    """Send the settings panel and keep its values as this session's preferences."""
    bot = await assistant(services)
    panel = await cl.ChatSettings(views.settings_widgets(bot, services.settings, values)).send()
    cl.user_session.set("prefs", views.prefs_from_values(bot, services.settings, panel))


async def reply_with(services: Services, flow: Callable[..., Awaitable[None]], *args: Any) -> None:
    """Run one flow with the assistant; the core's errors become a message that says what went wrong."""
    try:
        await flow(await assistant(services), *args)
    except OpgavewijzerError as err:
        await cl.ErrorMessage(f"Dat lukte niet: {err}").send()
