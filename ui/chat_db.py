"""The chat database behind one URL: a SQLite file by default, PostgreSQL for several servers.

It holds conversations, feedback and source elements (Chainlit's data layer)
and the accounts, login sessions and login-failure counts (:mod:`ui.access`).
:mod:`ui.schema` describes the tables once, and :func:`create_schema` creates
what is missing and adds the columns a newer version writes to tables made by
an older one: the one migration path for all of them.

Elements (source passages, downloads) must be readable by every server that
may reopen a conversation: with a database URL they are kept in the database
itself (:class:`DatabaseFileStorage`), next to the conversation they belong to.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
from typing import Any, Awaitable, Callable, TypeVar

from sqlalchemy import inspect, select, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from opgavewijzer.errors import ChatStoreError, ConfigError
from ui.schema import FILES, METADATA, TABLES

T = TypeVar("T")

# Async drivers the data layer can use; a URL naming only the database gets its driver here.
DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}
SCHEMA_TIMEOUT_S = 60.0
SCHEMA_LOCK_KEY = 0x6F70676176657A  # PostgreSQL advisory lock of schema changes ("opgavez"); any fixed number works


def async_url(raw: str) -> str:
    """``raw`` with the async driver the data layer needs (``postgresql://`` → ``postgresql+asyncpg://``).

    Raises :class:`ConfigError` naming the setting for anything but SQLite or PostgreSQL.
    """
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise ConfigError(f"chat_db_url '{raw}' is not a database URL: {exc}") from exc
    backend = url.get_backend_name()
    if backend not in DRIVERS:
        raise ConfigError(f"chat_db_url: '{backend}' is not supported (use sqlite or postgresql+asyncpg)")
    if url.drivername in ("sqlite", "postgresql", "postgres"):
        url = url.set(drivername=DRIVERS[backend])
    return url.render_as_string(hide_password=False)


def shown(url: str) -> str:
    """The URL with its password hidden, for messages and logs."""
    return make_url(url).render_as_string(hide_password=True)


def run_blocking(make: Callable[[], Awaitable[T]], timeout_s: float = SCHEMA_TIMEOUT_S) -> T:
    """Run a coroutine from synchronous code, also where an event loop already runs (Chainlit's).

    It gets a thread and a loop of its own; the timeout keeps a dead database from hanging the caller.
    """
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result(timeout=timeout_s)  # type: ignore[arg-type]


def create_schema(url: str) -> list[str]:
    """Create missing tables and add missing columns; returns the ``table.column`` names added."""
    from sqlalchemy.ext.asyncio import create_async_engine

    async def run() -> list[str]:
        engine = create_async_engine(url)
        try:
            async with engine.begin() as conn:
                await _lock_schema(conn)
                await conn.run_sync(METADATA.create_all)
                return await conn.run_sync(_add_missing_columns)
        finally:
            await engine.dispose()

    try:
        return run_blocking(run)
    except Exception as exc:  # drivers raise their own kinds (refused, unknown database, bad password, timeout)
        raise ChatStoreError(f"the chat database at {shown(url)} cannot be set up: {exc!r}") from exc


async def _lock_schema(conn: Any) -> None:
    """One schema change at a time, held until the transaction ends.

    Servers and commands that start together on a new database would otherwise each
    find a table missing and create it, and all but the first would fail.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
    else:  # SQLite: take the write lock before reading the schema (waits up to the driver's busy timeout)
        await conn.exec_driver_sql("BEGIN IMMEDIATE")


def _add_missing_columns(conn: Any) -> list[str]:
    """The migration: columns that newer Chainlit versions write, added to tables made before."""
    found = inspect(conn)
    added = []
    for name, table in TABLES.items():
        have = {c["name"] for c in found.get_columns(name)}
        for column in table.columns:
            if column.name in have:
                continue
            kind = column.type.compile(dialect=conn.dialect)
            conn.execute(text(f'ALTER TABLE {name} ADD COLUMN "{column.name}" {kind}'))
            added.append(f"{name}.{column.name}")
    return added


async def fetch_all(url: str, query: str) -> list[tuple]:
    """Rows of one read-only query (for the maintainers' feedback report)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return [tuple(row) for row in (await conn.execute(text(query))).fetchall()]
    finally:
        await engine.dispose()


class DatabaseFileStorage:
    """Element contents in the conversation database, read back as ``data:`` URLs.

    Every server that reaches the database can show every element, which a
    folder on one machine cannot offer. Implements Chainlit's
    ``BaseStorageClient`` interface, duck-typed like :class:`ui.store.LocalFileStorage`.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._engine: Any = None

    def _db(self) -> Any:
        if self._engine is None:  # made in the server's loop, on first use
            from sqlalchemy.ext.asyncio import create_async_engine

            self._engine = create_async_engine(self._url)
        return self._engine

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        """Store one element's bytes (replacing what the key held, unless ``overwrite`` is False)."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        async with self._db().begin() as conn:
            exists = (await conn.execute(select(FILES.c.object_key).where(FILES.c.object_key == object_key))).first()
            if exists and not overwrite:
                return {"object_key": object_key}
            if exists:
                await conn.execute(FILES.delete().where(FILES.c.object_key == object_key))
            await conn.execute(FILES.insert().values(object_key=object_key, mime=mime or "application/octet-stream", data=raw))
        return {"object_key": object_key}

    async def delete_file(self, object_key: str) -> bool:
        """Remove one element's bytes; True if there was something to remove."""
        async with self._db().begin() as conn:
            done = await conn.execute(FILES.delete().where(FILES.c.object_key == object_key))
        return bool(done.rowcount)

    async def get_read_url(self, object_key: str) -> str:
        """A ``data:`` URL with the element's bytes (the elements are small: passages, drafts)."""
        async with self._db().connect() as conn:
            row = (await conn.execute(select(FILES.c.mime, FILES.c.data).where(FILES.c.object_key == object_key))).first()
        if row is None:
            return ""
        mime = row[0]
        if mime.startswith("text/") and "charset" not in mime:
            mime += ";charset=utf-8"
        return f"data:{mime};base64,{base64.b64encode(bytes(row[1])).decode('ascii')}"

    async def close(self) -> None:
        """Close the connection pool."""
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None


def sqlite_url(path: Any) -> str:
    """The async SQLAlchemy URL of a SQLite file."""
    return str(URL.create("sqlite+aiosqlite", database=str(path)))
