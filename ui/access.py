"""Access to the chat server, in one object: logins of all three kinds, sessions, throttling, rights.

Built once per server from the settings (see :class:`ui.views.Services`).
The chat's login callbacks turn a login into a session here; the web gate
(:mod:`ui.gate`) checks each token's session here; a privileged action
(an upload) asks :meth:`Access.is_maintainer` with the token of the chat
session, so a maintainer who was removed, or whose password or role
changed, loses the right at once, whatever their cookie says. Accounts,
sessions and login counts are in the chat database, shared by every server
on it (:mod:`ui.shared_db`).
"""

from __future__ import annotations

import logging
from typing import Any, Mapping

import jwt

from opgavewijzer.settings import Settings
from ui import identity
from ui.account_import import ImportReport, import_accounts_file, old_accounts_file
from ui.auth import ROLE_MAINTAINER, Accounts, Login
from ui.private import make_private_dir
from ui.sessions import Session, SessionList
from ui.shared_db import SharedDb
from ui.throttle import LoginThrottle

log = logging.getLogger("opgavewijzer.access")


class Access:
    """Accounts, open sessions and the login throttle, in the chat database of the settings."""

    def __init__(self, settings: Settings, db: SharedDb | None = None) -> None:
        self.settings = settings
        make_private_dir(settings.data_dir)
        self.db = db or SharedDb.open(settings)
        self.accounts = Accounts(self.db, self_registration=settings.ui.self_registration)
        self.sessions = SessionList(self.db, settings.ui.session_hours * 3600)
        self.throttle = LoginThrottle(self.db)

    def start(self) -> ImportReport | None:
        """At every server start: take over this server's old accounts file (once), then the maintainer account."""
        report = self.import_old_accounts()
        if report is not None:
            log.warning("%s", report.message())
        self.sync_maintainer()
        return report

    def import_old_accounts(self) -> ImportReport | None:
        """Take the accounts file of an older version into the chat database, once (see :mod:`ui.account_import`)."""
        return import_accounts_file(self.db, old_accounts_file(self.settings))

    def sync_maintainer(self) -> None:
        """Bring the ``beheerder`` account in line with the setting."""
        self.accounts.sync_maintainer(self.settings.ui.maintainer_password.get_secret_value())

    def password_login(self, name: str, password: str) -> tuple[Login, Session] | None:
        """A local login with its new session; None if name and password do not match (blocking)."""
        found = self.accounts.login(name, password)
        return (found, self._start(found)) if found else None

    def oidc_login(self, provider: str, user_info: Mapping[str, Any], identifier: Any) -> tuple[Login, Session] | None:
        """A single sign-on login, recorded as an account, with its new session; None if the provider named nobody."""
        return self._vouched(identity.oidc_login(provider, user_info, identifier, self.settings.ui))

    def header_login(self, headers: Mapping[str, str]) -> tuple[Login, Session] | None:
        """A login by the proxy's header, recorded as an account, with its new session; None without the header."""
        return self._vouched(identity.header_login(headers, self.settings.ui))

    def _vouched(self, found: Login | None) -> tuple[Login, Session] | None:
        if found is None:
            return None
        self.accounts.vouched(found)
        return found, self._start(found)

    def _start(self, login: Login) -> Session:
        return self.sessions.start(login.identifier, login.role, login.source)

    @staticmethod
    def _claims(token: str | None, secret: str | None) -> tuple[str, str] | None:
        """(session id, identifier) of a correctly signed, unexpired token; else None."""
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
        return sid, identifier

    def session_of(self, token: str | None, secret: str | None) -> Session | None:
        """The open session a signed token belongs to; None for a bad, expired or ended one."""
        claims = self._claims(token, secret)
        return self.sessions.check(*claims) if claims else None

    async def session_of_async(self, token: str | None, secret: str | None) -> Session | None:
        """:meth:`session_of` from the server's event loop (every request goes through it)."""
        claims = self._claims(token, secret)
        return await self.sessions.check_async(*claims) if claims else None

    def is_maintainer(self, token: str | None, secret: str | None) -> bool:
        """True only while the token's session is open and has the maintainer role (checked now)."""
        session = self.session_of(token, secret)
        return session is not None and session.role == ROLE_MAINTAINER
