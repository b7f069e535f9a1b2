"""Access to the chat server, in one object: logins of all three kinds, sessions, throttling, rights.

Built once per server from the settings (see :class:`ui.views.Services`).
The chat's login callbacks turn a login into a session here; the web gate
(:mod:`ui.gate`) checks each token's session here; a privileged action
(an upload) asks :meth:`Access.is_maintainer` with the token of the chat
session, so a maintainer who was removed, or whose password or role
changed, loses the right at once, whatever their cookie says.
"""

from __future__ import annotations

from typing import Any, Mapping

import jwt

from opgavewijzer.settings import Settings
from ui import identity
from ui.auth import ROLE_MAINTAINER, Accounts, Login, accounts_db_path, make_private_dir
from ui.sessions import Session, SessionList
from ui.throttle import LoginThrottle


class Access:
    """Accounts, open sessions and the login throttle of one server."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        db = accounts_db_path(settings)
        make_private_dir(settings.data_dir)
        self.accounts = Accounts(db, self_registration=settings.ui.self_registration)
        self.sessions = SessionList.at(db, settings.ui.session_hours * 3600)
        self.throttle = LoginThrottle()

    def sync_maintainer(self) -> None:
        """Bring the ``beheerder`` account in line with the setting (at every server start)."""
        self.accounts.sync_maintainer(self.settings.ui.maintainer_password.get_secret_value())

    def password_login(self, name: str, password: str) -> tuple[Login, Session] | None:
        """A local login with its new session; None if name and password do not match (blocking)."""
        found = self.accounts.login(name, password)
        return (found, self._start(found)) if found else None

    def oidc_login(self, provider: str, user_info: Mapping[str, Any], identifier: Any) -> tuple[Login, Session] | None:
        """A single sign-on login with its new session; None if the provider named nobody."""
        found = identity.oidc_login(provider, user_info, identifier, self.settings.ui)
        return (found, self._start(found)) if found else None

    def header_login(self, headers: Mapping[str, str]) -> tuple[Login, Session] | None:
        """A login by the proxy's header with its new session; None without the header."""
        found = identity.header_login(headers, self.settings.ui)
        return (found, self._start(found)) if found else None

    def _start(self, login: Login) -> Session:
        return self.sessions.start(login.identifier, login.role, login.source)

    def session_of(self, token: str | None, secret: str | None) -> Session | None:
        """The open session a signed token belongs to; None for a bad, expired or ended one."""
        if not token or not secret:
            return None
        try:
            claims = jwt.decode(token, secret, algorithms=["HS256"], options={"require": ["exp"]})
        except jwt.PyJWTError:
            return None
        metadata = claims.get("metadata")
        sid = metadata.get("sid") if isinstance(metadata, dict) else None
        identifier = claims.get("identifier")
        if not isinstance(sid, str) or not isinstance(identifier, str):
            return None
        return self.sessions.check(sid, identifier)

    def is_maintainer(self, token: str | None, secret: str | None) -> bool:
        """True only while the token's session is open and has the maintainer role (checked now)."""
        session = self.session_of(token, secret)
        return session is not None and session.role == ROLE_MAINTAINER
