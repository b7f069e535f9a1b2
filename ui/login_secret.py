"""The secret that signs login tokens (Chainlit's ``CHAINLIT_AUTH_SECRET``), made once and kept.

With one SQLite chat database it is a file in the data folder (0600). When
the chat database is a URL (several servers), the secret is kept in that
database, so that every server signs and checks tokens with the same one: a
cookie from one server is then valid on each of them. The first server to
start writes it; an existing data-folder secret is taken over then, so the
logins made before stay valid. Whoever can read that database can read the
secret, but a token counts only with an open session, and the session table
keeps only hashes of session ids (see :mod:`ui.sessions`).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Connection

from opgavewijzer.settings import Settings
from ui.private import make_private_dir
from ui.schema import SECRETS
from ui.shared_db import SharedDb, insert_ignore

SECRET_FILE = "chainlit_auth_secret"
SECRET_NAME = "chainlit_auth_secret"  # its row in the secrets table
MIN_SECRET_CHARS = 32


def ensure_auth_secret(settings: Settings) -> str:
    """The login-signing secret for these settings: from the shared database with a URL, else the data folder."""
    if not settings.ui.chat_db_url.get_secret_value():
        return _file_secret(settings.data_dir)
    db = SharedDb.open(settings)
    try:
        return shared_secret(db, _existing_file_secret(settings.data_dir / SECRET_FILE))
    finally:
        db.close()


def shared_secret(db: SharedDb, candidate: str | None = None) -> str:
    """The secret in the database; ``candidate`` (or a new random one) is stored if there is none yet."""
    offer = candidate or secrets.token_urlsafe(48)

    def run(conn: Connection) -> str:
        insert_ignore(conn, SECRETS, name=SECRET_NAME, value=offer)  # two first starts at once: one wins
        return conn.execute(select(SECRETS.c.value).where(SECRETS.c.name == SECRET_NAME)).scalar_one()

    return db.call(run)


def _existing_file_secret(path: Path) -> str | None:
    try:
        secret = path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return secret if len(secret) >= MIN_SECRET_CHARS else None


def _file_secret(data_dir: Path) -> str:
    """Read from the data folder (0600), created there on first use."""
    path = data_dir / SECRET_FILE
    make_private_dir(data_dir)
    try:
        # O_EXCL: two servers starting at once must not each write their own secret.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        os.chmod(path, 0o600)
        secret = _existing_file_secret(path)
        if secret:
            return secret
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(secret)
    return secret
