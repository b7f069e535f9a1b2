"""The server-side list of open logins: a signed token counts only while its session is listed.

Chainlit's login cookie is a signed token that would stay valid until it
expires, whatever happens to the account. Every login therefore also
starts a session here (its id travels in the token), and the web gate
(:mod:`ui.gate`) checks the session on every request and chat socket.
Logging out ends one session; a new password, a new role or a removed
account ends all sessions of that account (in :mod:`ui.auth`, in the same
transaction as the change). The list lives in the accounts database, so
``opgavewijzer users …`` run beside a live server takes effect at once.
"""

from __future__ import annotations

import secrets
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

SESSIONS_SCHEMA = """
CREATE TABLE IF NOT EXISTS opgavewijzer_sessions (
    sid TEXT PRIMARY KEY,
    identifier TEXT NOT NULL,
    role TEXT NOT NULL,
    source TEXT NOT NULL,
    created REAL NOT NULL,
    expires REAL NOT NULL
)
"""


@dataclass(frozen=True)
class Session:
    """One open login: who, with which role, until when (seconds since the epoch)."""

    sid: str
    identifier: str
    role: str
    source: str
    expires: float


def end_all_sessions(conn: sqlite3.Connection, identifier: str) -> int:
    """End every session of one account, inside the caller's transaction; the number ended."""
    return conn.execute("DELETE FROM opgavewijzer_sessions WHERE identifier = ?", (identifier,)).rowcount


class SessionList:
    """Starts, checks and ends sessions in the accounts database."""

    def __init__(self, connect: Callable[[], sqlite3.Connection], lifetime_s: float,
                 clock: Callable[[], float] = time.time) -> None:
        self._connect = connect
        self.lifetime_s = lifetime_s
        self._clock = clock

    @classmethod
    def at(cls, db_path: Path, lifetime_s: float) -> "SessionList":
        """The session list in the accounts database at ``db_path``."""
        from ui.auth import connect_accounts

        connect_accounts(db_path).close()  # created private, with its tables, once
        return cls(lambda: sqlite3.connect(db_path, timeout=10), lifetime_s)

    def start(self, identifier: str, role: str, source: str) -> Session:
        """Open a session for a successful login (and drop the expired ones)."""
        now = self._clock()
        session = Session(secrets.token_urlsafe(24), identifier, role, source, now + self.lifetime_s)
        with self._connect() as conn:
            conn.execute("DELETE FROM opgavewijzer_sessions WHERE expires <= ?", (now,))
            conn.execute("INSERT INTO opgavewijzer_sessions VALUES (?, ?, ?, ?, ?, ?)",
                         (session.sid, identifier, role, source, now, session.expires))
        return session

    def check(self, sid: str, identifier: str) -> Session | None:
        """The session if it is open, unexpired and belongs to ``identifier``; else None."""
        if not sid:
            return None
        with self._connect() as conn:
            row = conn.execute("SELECT identifier, role, source, expires FROM opgavewijzer_sessions WHERE sid = ?",
                               (sid,)).fetchone()
        if row is None or row[0] != identifier or row[3] <= self._clock():
            return None
        return Session(sid, row[0], row[1], row[2], row[3])

    def end(self, sid: str) -> None:
        """End one session (logout)."""
        with self._connect() as conn:
            conn.execute("DELETE FROM opgavewijzer_sessions WHERE sid = ?", (sid,))

    def end_all(self, identifier: str) -> int:
        """End every session of one account; the number ended."""
        with self._connect() as conn:
            return end_all_sessions(conn, identifier)
