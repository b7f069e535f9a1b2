"""Who may use the chat UI, and with which role: the accounts of every kind of login.

There are three ways to log in (``settings.ui.login``): local accounts, single
sign-on (see :mod:`ui.identity`) and a header set by a reverse proxy. Local
accounts are made by a maintainer with ``opgavewijzer users add``; a name
can claim its own account at first login only when ``self_registration`` is
on. Passwords have at least :data:`MIN_PASSWORD_CHARS` characters and only
a salted scrypt hash is kept. The account ``beheerder`` belongs to the
``maintainer_password`` setting: :meth:`Accounts.sync_maintainer` brings it
in line at every server start, so a changed or emptied password ends every
login made with the old one. Single sign-on and header logins are recorded
too (without a password), so that every server and ``opgavewijzer users``
see one record per person. Changing or removing an account ends its open
sessions (:mod:`ui.sessions`) in the same transaction.

The accounts live in the chat database (:mod:`ui.shared_db`): every chat
server on the same database has the same accounts, and a change made on one
of them, or with the command line, holds on all of them at their next request.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Connection

from opgavewijzer.errors import AccountError
from ui.schema import ACCOUNTS
from ui.sessions import end_all_sessions
from ui.shared_db import SharedDb, insert_ignore

MAINTAINER = "beheerder"  # the account of the maintainer_password setting
ROLE_USER = "gebruiker"
ROLE_MAINTAINER = "beheerder"
ROLES = (ROLE_USER, ROLE_MAINTAINER)
MIN_PASSWORD_CHARS = 8  # the floor; scrypt below makes each guess costly on top
SOURCE_LOCAL, SOURCE_SETTINGS = "local", "settings"
PASSWORD_SOURCES = (SOURCE_LOCAL, SOURCE_SETTINGS)  # the accounts that log in with a password

MSG_SHORT_PASSWORD = f"het wachtwoord moet minstens {MIN_PASSWORD_CHARS} tekens hebben"
MSG_BAD_NAME = "'{name}' kan geen inlognaam zijn: 2 tot 40 letters, cijfers, spaties of . ' @ - _"
MSG_EXISTS = "er is al een account '{name}'"
MSG_UNKNOWN = "er is geen account '{name}'"
MSG_RESERVED = ("de naam 'beheerder' hoort bij de instelling OPGAVEWIJZER_UI__MAINTAINER_PASSWORD; "
                "kies een andere naam")
MSG_ROLE = "onbekende rol '{role}' (kies uit: gebruiker, beheerder)"

_NAME_RE = re.compile(r"^[\w][\w .'@-]{1,39}$")
# scrypt cost: about 30 ms per login on one core, which is slow for guessing, quick for people.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}
_DUMMY_SALT = b"\x00" * 16  # hashed against for unknown names, so a miss takes as long as a wrong password

@dataclass(frozen=True)
class Login:
    """Who logged in: a stable identifier, the name to show, the role, and how (local, settings, oidc, header)."""

    identifier: str
    display_name: str
    role: str
    source: str = SOURCE_LOCAL

    @property
    def is_maintainer(self) -> bool:
        """True for a maintainer, who may add documents."""
        return self.role == ROLE_MAINTAINER


@dataclass(frozen=True)
class Account:
    """One account as listed by ``opgavewijzer users list`` (local, the settings' maintainer, or a vouched login)."""

    identifier: str
    display_name: str
    role: str
    source: str
    created_at: str


def normalise_name(name: str) -> str | None:
    """The name with whitespace collapsed, or None if it cannot be a login name."""
    cleaned = " ".join(name.split())
    return cleaned if _NAME_RE.match(cleaned) else None


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)


def check_role(role: str) -> str:
    """``role`` if it is one of :data:`ROLES`; else :class:`AccountError`."""
    if role not in ROLES:
        raise AccountError(MSG_ROLE.format(role=role))
    return role


def check_password(password: str) -> str:
    """``password`` if it is long enough; else :class:`AccountError` with the Dutch reason."""
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(MSG_SHORT_PASSWORD)
    return password


class Accounts:
    """Every account: local ones made, reset and removed by maintainers; all of them checked at login."""

    def __init__(self, db: SharedDb, self_registration: bool = False) -> None:
        self.db = db
        self.self_registration = self_registration

    @staticmethod
    def _name(name: str) -> tuple[str, str]:
        display = normalise_name(name)
        if display is None:
            raise AccountError(MSG_BAD_NAME.format(name=name.strip()))
        return display.lower(), display

    def add(self, name: str, password: str, role: str = ROLE_USER) -> Account:
        """Make a local account; :class:`AccountError` if the name is taken, reserved or the password too short."""
        identifier, display = self._name(name)
        if identifier == MAINTAINER:
            raise AccountError(MSG_RESERVED)
        if not self._insert(identifier, display, check_role(role), SOURCE_LOCAL, check_password(password)):
            raise AccountError(MSG_EXISTS.format(name=display))
        return Account(identifier, display, role, SOURCE_LOCAL, "")

    def _insert(self, identifier: str, display: str, role: str, source: str, password: str) -> bool:
        """Insert one account unless the name is taken; True if it was inserted."""
        salt = secrets.token_bytes(16)
        row = dict(identifier=identifier, display_name=display, role=role, source=source, salt=salt,
                   hash=_hash(password, salt), created_at=_now())
        return self.db.call(lambda conn: insert_ignore(conn, ACCOUNTS, **row))

    def remove(self, name: str) -> None:
        """Remove an account (not the settings' maintainer) and end its sessions at once."""
        identifier, display = self._name(name)

        def run(conn: Connection) -> None:
            gone = conn.execute(delete(ACCOUNTS).where(ACCOUNTS.c.identifier == identifier,
                                                       ACCOUNTS.c.source != SOURCE_SETTINGS)).rowcount
            if not gone:
                raise AccountError(MSG_RESERVED if identifier == MAINTAINER else MSG_UNKNOWN.format(name=display))
            end_all_sessions(conn, identifier)

        self.db.call(run)

    def reset(self, name: str, password: str | None = None, role: str | None = None) -> None:
        """Give a local account a new password and/or role; its open sessions end at once."""
        identifier, display = self._name(name)
        changes: dict[str, object] = {}
        if role is not None:
            changes["role"] = check_role(role)
        if password is not None:
            salt = secrets.token_bytes(16)
            changes.update(salt=salt, hash=_hash(check_password(password), salt))

        def run(conn: Connection) -> None:
            source = conn.execute(select(ACCOUNTS.c.source).where(ACCOUNTS.c.identifier == identifier)).scalar()
            if source != SOURCE_LOCAL:
                raise AccountError(MSG_RESERVED if identifier == MAINTAINER else MSG_UNKNOWN.format(name=display))
            if changes:
                conn.execute(update(ACCOUNTS).where(ACCOUNTS.c.identifier == identifier).values(**changes))
            end_all_sessions(conn, identifier)

        self.db.call(run)

    def list(self) -> list[Account]:
        """All accounts, by name."""
        query = select(ACCOUNTS.c.identifier, ACCOUNTS.c.display_name, ACCOUNTS.c.role, ACCOUNTS.c.source,
                       ACCOUNTS.c.created_at).order_by(ACCOUNTS.c.identifier)
        return [Account(*row) for row in self.db.call(lambda conn: conn.execute(query).all())]

    def sync_maintainer(self, password: str) -> None:
        """Make the ``beheerder`` account match the ``maintainer_password`` setting (empty: no such account).

        A changed or emptied password ends every session of the old one, so a
        cookie from before cannot keep the maintainer's rights.
        """
        def run(conn: Connection) -> bool:
            row = conn.execute(select(ACCOUNTS.c.salt, ACCOUNTS.c.hash).where(
                ACCOUNTS.c.identifier == MAINTAINER, ACCOUNTS.c.source == SOURCE_SETTINGS)).first()
            if row is not None and password and hmac.compare_digest(_hash(password, row[0]), row[1]):
                return False
            conn.execute(delete(ACCOUNTS).where(ACCOUNTS.c.identifier == MAINTAINER))
            end_all_sessions(conn, MAINTAINER)
            return True

        if self.db.call(run) and password:
            self._insert(MAINTAINER, "Beheerder", ROLE_MAINTAINER, SOURCE_SETTINGS, password)

    def login(self, name: str, password: str) -> Login | None:
        """The login for this name and password, or None if they do not match.

        With self-registration on, an unknown name with a long enough password
        becomes a new ordinary account.
        """
        display = normalise_name(name)
        if display is None or not password:
            return None
        identifier = display.lower()
        query = select(ACCOUNTS.c.display_name, ACCOUNTS.c.role, ACCOUNTS.c.source, ACCOUNTS.c.salt,
                       ACCOUNTS.c.hash).where(ACCOUNTS.c.identifier == identifier)
        row = self.db.call(lambda conn: conn.execute(query).first())
        if row is None:
            _hash(password, _DUMMY_SALT)
            if not self.self_registration or identifier == MAINTAINER or len(password) < MIN_PASSWORD_CHARS:
                return None
            # Two first logins with one name at once: the first insert wins, the other is checked against it.
            if self._insert(identifier, display, ROLE_USER, SOURCE_LOCAL, password):
                return Login(identifier, display, ROLE_USER, SOURCE_LOCAL)
            return self.login(name, password)
        shown, role, source, salt, digest = row
        if not hmac.compare_digest(_hash(password, bytes(salt)), bytes(digest)) or source not in PASSWORD_SOURCES:
            return None
        return Login(identifier, shown, role, source)

    def vouched(self, login: Login) -> bool:
        """Record a single sign-on or header login, one record per identifier; True if its role changed.

        A local account of the same name is left as it is. A changed role (the
        provider's groups changed) ends the older sessions of that person on
        every server, so the old role does not outlive the new login.
        """
        def run(conn: Connection) -> bool:
            row = conn.execute(select(ACCOUNTS.c.role, ACCOUNTS.c.source).where(
                ACCOUNTS.c.identifier == login.identifier)).first()
            if row is None:
                insert_ignore(conn, ACCOUNTS, identifier=login.identifier, display_name=login.display_name,
                              role=login.role, source=login.source, salt=b"", hash=b"", created_at=_now())
                return False
            if row[1] in PASSWORD_SOURCES:
                return False
            conn.execute(update(ACCOUNTS).where(ACCOUNTS.c.identifier == login.identifier).values(
                display_name=login.display_name, role=login.role, source=login.source))
            if row[0] != login.role:
                end_all_sessions(conn, login.identifier)
                return True
            return False

        return self.db.call(run)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")
