"""Who may use the chat UI, and as whom.

Nothing needs to be configured for ordinary users: the first login with a
name claims that name with the password typed, and later logins with the
name need the same password, so a conversation history stays with the
person who made it. Only a salted scrypt hash is stored, in the chat
database. The name ``beheerder`` is the maintainer: it logs in with the
configured ``maintainer_password`` and does not exist while that is empty.

The signing secret of the login cookie is generated on first start and kept
in the data folder, so logins survive a restart without anyone setting it.
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

from opgavewijzer.settings import Settings

MAINTAINER = "beheerder"
ROLE_USER = "gebruiker"
ROLE_MAINTAINER = "beheerder"
SECRET_FILE = "chainlit_auth_secret"

_NAME_RE = re.compile(r"^[\w][\w .'@-]{1,39}$")
# scrypt cost: about 30 ms per login on one core, which is slow for guessing, quick for people.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

_ACCOUNTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS opgavewijzer_accounts (
    identifier TEXT PRIMARY KEY,
    salt BLOB NOT NULL,
    hash BLOB NOT NULL,
    created_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Login:
    """A successful login: a stable identifier, the name as typed, and the role."""

    identifier: str
    display_name: str
    role: str

    @property
    def is_maintainer(self) -> bool:
        """True for the maintainer, who may add documents."""
        return self.role == ROLE_MAINTAINER


def normalise_name(name: str) -> str | None:
    """The name with whitespace collapsed, or None if it cannot be a login name."""
    cleaned = " ".join(name.split())
    return cleaned if _NAME_RE.match(cleaned) else None


def _hash(password: str, salt: bytes) -> bytes:
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **_SCRYPT)


class Accounts:
    """Checks logins against the maintainer password and the names users have claimed."""

    def __init__(self, db_path: Path, maintainer_password: str) -> None:
        self.db_path = db_path
        self._maintainer_password = maintainer_password

    def _connect(self) -> sqlite3.Connection:
        self.db_path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.db_path, timeout=10)
        conn.execute(_ACCOUNTS_SCHEMA)
        return conn

    def login(self, name: str, password: str) -> Login | None:
        """The login for this name and password, or None if they do not match."""
        display = normalise_name(name)
        if display is None or not password:
            return None
        identifier = display.lower()
        if identifier == MAINTAINER:
            ok = bool(self._maintainer_password) and hmac.compare_digest(
                password.encode("utf-8"), self._maintainer_password.encode("utf-8")
            )
            return Login(MAINTAINER, "Beheerder", ROLE_MAINTAINER) if ok else None
        salt = secrets.token_bytes(16)
        digest = _hash(password, salt)
        with self._connect() as conn:
            # Two first logins with one name at once: the first insert wins, the other is checked against it.
            conn.execute(
                "INSERT OR IGNORE INTO opgavewijzer_accounts VALUES (?, ?, ?, ?)",
                (identifier, salt, digest, time.strftime("%Y-%m-%dT%H:%M:%S")),
            )
            stored_salt, stored_hash = conn.execute(
                "SELECT salt, hash FROM opgavewijzer_accounts WHERE identifier = ?", (identifier,)
            ).fetchone()
        if stored_salt != salt and not hmac.compare_digest(_hash(password, stored_salt), stored_hash):
            return None
        return Login(identifier, display, ROLE_USER)


def ensure_auth_secret(settings: Settings) -> str:
    """The secret that signs login cookies: read from the data folder, created there on first use."""
    path = settings.data_dir / SECRET_FILE
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two servers starting at once must not each write their own secret.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        secret = path.read_text(encoding="utf-8").strip()
        if len(secret) >= 32:
            return secret
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret)
    return secret
