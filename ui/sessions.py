"""The server-side list of open logins: a signed token counts only while its session is listed.

Chainlit's login cookie is a signed token that would stay valid until it
expires, whatever happens to the account. Every login therefore also
starts a session here (its id travels in the token), and the web gate
(:mod:`ui.gate`) checks the session on every request and chat socket.
Logging out ends one session; a new password, a new role or a removed
account ends all sessions of that account (in :mod:`ui.auth`, in the same
transaction as the change).

The list lives in the chat database (:mod:`ui.shared_db`), which every chat
server on it reads: there is no cache, so a session ended on one server, or
by ``opgavewijzer users …``, is refused by every server at its next request.
Only a SHA-256 hash of each session id is stored, so reading the table does
not give anyone a usable login.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection

from ui.schema import SESSIONS
from ui.shared_db import SharedDb


@dataclass(frozen=True)
class Session:
    """One open login: who, with which role, until when (seconds since the epoch)."""

    sid: str
    identifier: str
    role: str
    source: str
    expires: float


def sid_hash(sid: str) -> str:
    """What the table keeps of a session id."""
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def end_all_sessions(conn: Connection, identifier: str) -> int:
    """End every session of one account, inside the caller's transaction; the number ended."""
    return conn.execute(delete(SESSIONS).where(SESSIONS.c.identifier == identifier)).rowcount


class SessionList:
    """Starts, checks and ends sessions in the chat database (wall-clock time: servers share it)."""

    def __init__(self, db: SharedDb, lifetime_s: float, clock: Callable[[], float] = time.time) -> None:
        self._db = db
        self.lifetime_s = lifetime_s
        self._clock = clock

    def start(self, identifier: str, role: str, source: str) -> Session:
        """Open a session for a successful login (and drop the expired ones)."""
        now = self._clock()
        session = Session(secrets.token_urlsafe(24), identifier, role, source, now + self.lifetime_s)

        def run(conn: Connection) -> None:
            conn.execute(delete(SESSIONS).where(SESSIONS.c.expires <= now))
            conn.execute(SESSIONS.insert().values(sid_hash=sid_hash(session.sid), identifier=identifier, role=role,
                                                  source=source, created=now, expires=session.expires))

        self._db.call(run)
        return session

    def check(self, sid: str, identifier: str) -> Session | None:
        """The session if it is open, unexpired and belongs to ``identifier``; else None."""
        return self._checked(sid, identifier, self._db.call(self._lookup(sid))) if sid else None

    async def check_async(self, sid: str, identifier: str) -> Session | None:
        """:meth:`check` from the server's event loop."""
        return self._checked(sid, identifier, await self._db.acall(self._lookup(sid))) if sid else None

    @staticmethod
    def _lookup(sid: str) -> Callable[[Connection], tuple | None]:
        query = select(SESSIONS.c.identifier, SESSIONS.c.role, SESSIONS.c.source, SESSIONS.c.expires).where(
            SESSIONS.c.sid_hash == sid_hash(sid))
        return lambda conn: conn.execute(query).first()

    def _checked(self, sid: str, identifier: str, row: tuple | None) -> Session | None:
        if row is None or row[0] != identifier or row[3] <= self._clock():
            return None
        return Session(sid, row[0], row[1], row[2], row[3])

    def end(self, sid: str) -> None:
        """End one session (logout)."""
        self._db.call(self._ending(sid))

    async def end_async(self, sid: str) -> None:
        """:meth:`end` from the server's event loop."""
        await self._db.acall(self._ending(sid))

    @staticmethod
    def _ending(sid: str) -> Callable[[Connection], None]:
        def run(conn: Connection) -> None:
            conn.execute(delete(SESSIONS).where(SESSIONS.c.sid_hash == sid_hash(sid)))

        return run

    def end_all(self, identifier: str) -> int:
        """End every session of one account; the number ended."""
        return self._db.call(lambda conn: end_all_sessions(conn, identifier))
