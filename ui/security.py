"""The chat server's security, set up in one call from ``ui/app.py``: login kind and web policy.

:func:`setup` registers the one login callback that ``settings.ui.login``
chooses (local accounts, single sign-on, or a proxy's header) and installs
the web policy with the login gate (:mod:`ui.web_policy`, :mod:`ui.gate`).
Every login opens a session in the session list, whose id travels in
Chainlit's signed token; :func:`token_is_maintainer` is how a privileged
action re-checks the rights of the chat session it runs in.
"""

from __future__ import annotations

import asyncio
from typing import Any, Callable, Mapping

import chainlit as cl
from chainlit.auth.jwt import get_jwt_secret
from chainlit.data import get_data_layer
from chainlit.oauth_providers import get_configured_oauth_providers

from opgavewijzer.errors import ConfigError
from ui import ownership, views, web_policy
from ui.gate import GateConfig

MSG_NO_PROVIDER = ("OPGAVEWIJZER_UI__LOGIN=oidc, maar er is geen OAuth-provider ingesteld: zet Chainlits "
                   "OAUTH_GENERIC_* (of OAUTH_KEYCLOAK_*, OAUTH_AZURE_AD_*) variabelen")


def setup(app: Any, chainlit_config: Any, services: Callable[[], views.Services]) -> None:
    """Register the chosen login callback and install the web policy around Chainlit's ``app``.

    Must run at import of ``ui/app.py``: see :func:`ui.web_policy.install`.
    """
    settings = services().settings
    _register_login(settings.ui.login, services)
    # Chainlit signs tokens and sets the cookie for this long; the session list ends them too.
    chainlit_config.project.user_session_timeout = int(settings.ui.session_hours * 3600)
    # The chat socket as one WebSocket from the start: long polling, the socket.io default before it
    # upgrades, sends every poll separately, and behind a load balancer without sticky sessions those
    # polls would reach servers that never saw the socket.
    chainlit_config.project.transports = ["websocket"]
    run = chainlit_config.run

    async def feedback_check(identifier: str, method: str, payload: Any) -> int:
        return await ownership.feedback_check(get_data_layer(), identifier, method, payload)

    web_policy.install(
        app,
        allow_origins=web_policy.allowed_origins(settings.ui.public_urls, run.host, run.port),
        upload_max_mb=settings.ui.upload_max_mb,
        gate=GateConfig(access=lambda: services().access(), secret=get_jwt_secret,
                        trusted_proxies=settings.ui.trusted_proxies, feedback_check=feedback_check,
                        root_path=run.root_path or ""),
    )


def token_is_maintainer(services: Callable[[], views.Services]) -> bool:
    """True while the current chat session's login is open and a maintainer's (checked now)."""
    token = getattr(cl.context.session, "token", None)
    return services().access().is_maintainer(token, get_jwt_secret())


def _register_login(kind: str, services: Callable[[], views.Services]) -> None:
    async def password_login(username: str, password: str) -> cl.User | None:
        """A local account (see :mod:`ui.auth`)."""
        found = await asyncio.to_thread(services().access().password_login, username, password)
        return views.chainlit_user(*found) if found else None

    async def sso_login(provider_id: str, token: str, raw_user_data: Mapping[str, Any], default_user: cl.User,
                        id_token: str | None = None) -> cl.User | None:
        """Single sign-on: the provider says who; the role comes from its claims (see :mod:`ui.identity`)."""
        found = await asyncio.to_thread(services().access().oidc_login, provider_id, raw_user_data,
                                        default_user.identifier)
        return views.chainlit_user(*found) if found else None

    async def header_login(headers: Mapping[str, str]) -> cl.User | None:
        """The trusted proxy's header says who (the gate lets only the proxy reach this)."""
        found = await asyncio.to_thread(services().access().header_login, headers)
        return views.chainlit_user(*found) if found else None

    if kind == "oidc":
        if not get_configured_oauth_providers():
            raise ConfigError(MSG_NO_PROVIDER)
        cl.oauth_callback(sso_login)
    elif kind == "header":
        cl.header_auth_callback(header_login)
    else:
        cl.password_auth_callback(password_login)
