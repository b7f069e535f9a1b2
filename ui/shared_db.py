"""Short SQL operations on the chat database, from blocking and from asynchronous code alike.

Accounts, login sessions and login-failure counts live in the chat database
(:mod:`ui.schema`), so every chat server on it sees the same ones. Each
operation is a plain function of a SQLAlchemy connection, run in one
transaction by :meth:`SharedDb.call` (blocking: the command line, worker
threads) or :meth:`SharedDb.acall` (the server's event loop, on every request).

SQLite is used through Python's own driver: a local file answers a key lookup
in microseconds, so the event loop calls it directly. PostgreSQL has only an
asynchronous driver here (asyncpg); its connection pool lives on an event loop
in a thread of its own, so that blocking callers and the server's loop share
one pool and no request waits for a free worker thread.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from pathlib import Path
from typing import Any, Callable, TypeVar

from sqlalchemy import Table, create_engine
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import SQLAlchemyError

from opgavewijzer.errors import ChatStoreError
from opgavewijzer.settings import Settings
from ui.chat_db import shown
from ui.store import chat_db, ensure_schema

T = TypeVar("T")
Operation = Callable[[Connection], T]

QUERY_TIMEOUT_S = 30.0  # a database that does not answer in this time is reported, not waited for
SQLITE_BUSY_S = 10.0  # how long a writer waits for another's write lock on the SQLite file
_FAILURES = (SQLAlchemyError, OSError, TimeoutError, concurrent.futures.TimeoutError)


class SharedDb:
    """The chat database for accounts, sessions and login counts: a SQLite file or a database URL."""

    def __init__(self, db: Path | str) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        sync_url = _sqlite_url(db)
        self._sync = sync_url is not None
        if sync_url is not None:
            self._engine: Any = create_engine(sync_url, connect_args={"timeout": SQLITE_BUSY_S})
        else:
            from sqlalchemy.ext.asyncio import create_async_engine

            # pre_ping: a pooled connection that a database restart closed is replaced, not handed out.
            self._engine = create_async_engine(str(db), pool_pre_ping=True)

    @classmethod
    def open(cls, settings: Settings) -> "SharedDb":
        """The chat database the settings name, its tables created or brought up to date first."""
        db = chat_db(settings)
        ensure_schema(db)
        return cls(db)

    def call(self, operation: Operation[T]) -> T:
        """Run ``operation`` in one transaction and return its result (blocking)."""
        try:
            if self._sync:
                with self._engine.begin() as conn:
                    return operation(conn)
            future = asyncio.run_coroutine_threadsafe(self._run(operation), self._db_loop())
            return future.result(timeout=QUERY_TIMEOUT_S)
        except _FAILURES as exc:
            raise self._error(exc) from exc

    async def acall(self, operation: Operation[T]) -> T:
        """Run ``operation`` in one transaction from an event loop, without blocking it on the network."""
        if self._sync:
            return self.call(operation)
        try:
            future = asyncio.run_coroutine_threadsafe(self._run(operation), self._db_loop())
            return await asyncio.wait_for(asyncio.wrap_future(future), QUERY_TIMEOUT_S)
        except _FAILURES as exc:
            raise self._error(exc) from exc

    async def _run(self, operation: Operation[T]) -> T:
        async with self._engine.begin() as conn:
            return await conn.run_sync(operation)

    def _db_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="opgavewijzer-db", daemon=True).start()
                self._loop = loop
            return self._loop

    def _error(self, exc: BaseException) -> ChatStoreError:
        where = shown(self.db) if isinstance(self.db, str) else str(self.db)
        return ChatStoreError(f"the chat database at {where} did not answer: {exc!r}")

    def close(self) -> None:
        """Close the pooled connections (and the database thread, if there is one)."""
        if self._sync:
            self._engine.dispose()
            return
        with self._lock:
            loop, self._loop = self._loop, None
        if loop is not None:
            asyncio.run_coroutine_threadsafe(self._engine.dispose(), loop).result(timeout=QUERY_TIMEOUT_S)
            loop.call_soon_threadsafe(loop.stop)


def _sqlite_url(db: Path | str) -> str | None:
    """The URL for Python's own SQLite driver, or None for a server database."""
    if isinstance(db, Path):
        return URL.create("sqlite", database=str(db)).render_as_string()
    url = make_url(db)
    return url.set(drivername="sqlite").render_as_string() if url.get_backend_name() == "sqlite" else None


def insert_ignore(conn: Connection, table: Table, **values: Any) -> bool:
    """Insert one row unless its key exists (atomically, on both databases); True if it was inserted."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return bool(conn.execute(insert(table).values(**values).on_conflict_do_nothing()).rowcount)
