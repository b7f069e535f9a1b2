"""Who may use the chat UI, and with which role: local accounts, and the secret that signs logins.

There are three ways to log in (``settings.ui.login``): local accounts, single
sign-on (see :mod:`ui.identity`) and a header set by a reverse proxy. Local
accounts are made by a maintainer with ``opgavewijzer users add``; a name
can claim its own account at first login only when ``self_registration`` is
on. Passwords have at least :data:`MIN_PASSWORD_CHARS` characters and only
a salted scrypt hash is kept. The account ``beheerder`` belongs to the
``maintainer_password`` setting: :meth:`Accounts.sync_maintainer` brings it
in line at every server start, so a changed or emptied password ends every
login made with the old one. Changing or removing an account ends its open
sessions (:mod:`ui.sessions`) in the same transaction.

The accounts database, the data folder and the signing secret are private
to the server's user (0600 files, 0700 folders).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from opgavewijzer.errors import AccountError
from opgavewijzer.settings import Settings
from ui.sessions import SESSIONS_SCHEMA, end_all_sessions

MAINTAINER = "beheerder"  # the account of the maintainer_password setting
ROLE_USER = "gebruiker"
ROLE_MAINTAINER = "beheerder"
ROLES = (ROLE_USER, ROLE_MAINTAINER)
MIN_PASSWORD_CHARS = 8  # the floor; scrypt below makes each guess costly on top
SECRET_FILE = "chainlit_auth_secret"
SOURCE_LOCAL, SOURCE_SETTINGS = "local", "settings"

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

_ACCOUNTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS opgavewijzer_accounts (
    identifier TEXT PRIMARY KEY,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    source TEXT NOT NULL,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    created_at TEXT NOT NULL
)
"""


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
    """One local account as listed by ``opgavewijzer users list``."""

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


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` if needed and make it readable by this user only (0700)."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)


def make_private_file(path: Path) -> None:
    """Create ``path`` empty if needed (never world-readable, not even for a moment) and set it to 0600.

    A missing parent folder is made 0700; an existing one is left as it is (it may be shared).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)


def accounts_db_path(settings: Settings) -> Path:
    """The SQLite file of the local accounts and the open sessions."""
    return settings.ui.accounts_db or settings.data_dir / "accounts.sqlite3"


def connect_accounts(db_path: Path) -> sqlite3.Connection:
    """A connection to the accounts database, created private with both tables."""
    make_private_file(db_path)  # before SQLite creates it; its -wal and -shm files copy these rights
    conn = sqlite3.connect(db_path, timeout=10)
    conn.execute(_ACCOUNTS_SCHEMA)
    conn.execute(SESSIONS_SCHEMA)
    return conn


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
    """The local accounts: made, reset and removed by maintainers; checked at every password login."""

    def __init__(self, db_path: Path, self_registration: bool = False) -> None:
        self.db_path = db_path
        self.self_registration = self_registration

    def _connect(self) -> sqlite3.Connection:
        return connect_accounts(self.db_path)

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
        with self._connect() as conn:
            inserted = conn.execute(
                "INSERT OR IGNORE INTO opgavewijzer_accounts VALUES (?, ?, ?, ?, ?, ?, ?)",
                (identifier, display, role, source, salt, _hash(password, salt), time.strftime("%Y-%m-%dT%H:%M:%S")),
            ).rowcount
        return bool(inserted)

    def remove(self, name: str) -> None:
        """Remove a local account and end its sessions at once."""
        identifier, display = self._name(name)
        with self._connect() as conn:
            if not conn.execute("DELETE FROM opgavewijzer_accounts WHERE identifier = ? AND source = ?",
                                (identifier, SOURCE_LOCAL)).rowcount:
                raise AccountError(MSG_RESERVED if identifier == MAINTAINER else MSG_UNKNOWN.format(name=display))
            end_all_sessions(conn, identifier)

    def reset(self, name: str, password: str | None = None, role: str | None = None) -> None:
        """Give an account a new password and/or role; its open sessions end at once."""
        identifier, display = self._name(name)
        changes: dict[str, object] = {}
        if role is not None:
            changes["role"] = check_role(role)
        if password is not None:
            salt = secrets.token_bytes(16)
            changes.update(salt=salt, hash=_hash(check_password(password), salt))
        with self._connect() as conn:
            row = conn.execute("SELECT source FROM opgavewijzer_accounts WHERE identifier = ?", (identifier,)).fetchone()
            if row is None or row[0] != SOURCE_LOCAL:
                raise AccountError(MSG_RESERVED if identifier == MAINTAINER else MSG_UNKNOWN.format(name=display))
            if changes:
                assignments = ", ".join(f"{column} = ?" for column in changes)
                conn.execute(f"UPDATE opgavewijzer_accounts SET {assignments} WHERE identifier = ?",
                             (*changes.values(), identifier))
            end_all_sessions(conn, identifier)

    def list(self) -> list[Account]:
        """All accounts, by name."""
        with self._connect() as conn:
            rows = conn.execute("SELECT identifier, display_name, role, source, created_at "
                                "FROM opgavewijzer_accounts ORDER BY identifier").fetchall()
        return [Account(*row) for row in rows]

    def sync_maintainer(self, password: str) -> None:
        """Make the ``beheerder`` account match the ``maintainer_password`` setting (empty: no such account).

        A changed or emptied password ends every session of the old one, so a
        cookie from before cannot keep the maintainer's rights.
        """
        with self._connect() as conn:
            row = conn.execute("SELECT salt, hash FROM opgavewijzer_accounts WHERE identifier = ? AND source = ?",
                               (MAINTAINER, SOURCE_SETTINGS)).fetchone()
            if row is not None and password and hmac.compare_digest(_hash(password, row[0]), row[1]):
                return
            conn.execute("DELETE FROM opgavewijzer_accounts WHERE identifier = ?", (MAINTAINER,))
            end_all_sessions(conn, MAINTAINER)
        if password:
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
        with self._connect() as conn:
            row = conn.execute("SELECT display_name, role, source, salt, hash FROM opgavewijzer_accounts "
                               "WHERE identifier = ?", (identifier,)).fetchone()
        if row is None:
            _hash(password, _DUMMY_SALT)
            if not self.self_registration or identifier == MAINTAINER or len(password) < MIN_PASSWORD_CHARS:
                return None
            # Two first logins with one name at once: the first insert wins, the other is checked against it.
            if self._insert(identifier, display, ROLE_USER, SOURCE_LOCAL, password):
                return Login(identifier, display, ROLE_USER, SOURCE_LOCAL)
            return self.login(name, password)
        shown, role, source, salt, digest = row
        if not hmac.compare_digest(_hash(password, salt), digest):
            return None
        return Login(identifier, shown, role, SOURCE_SETTINGS if source == SOURCE_SETTINGS else SOURCE_LOCAL)


def ensure_auth_secret(settings: Settings) -> str:
    """The secret that signs login cookies: read from the data folder (0600), created there on first use."""
    path = settings.data_dir / SECRET_FILE
    make_private_dir(settings.data_dir)
    try:
        # O_EXCL: two servers starting at once must not each write their own secret.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        os.chmod(path, 0o600)
        secret = path.read_text(encoding="utf-8").strip()
        if len(secret) >= 32:
            return secret
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret)
    return secret
