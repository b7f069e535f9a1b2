"""The conversation store behind one URL: a SQLite file by default, PostgreSQL for several servers.

Chainlit's SQLAlchemy data layer writes conversations, steps, elements and
feedback with plain SQL but creates no tables. :data:`TABLES` describes
them once, in SQLAlchemy types that become SQLite's or PostgreSQL's (JSONB
and text arrays there), and :func:`create_schema` creates what is missing and
adds the columns a newer Chainlit writes to tables made by an older one.

Elements (source passages, downloads) must be readable by every server that
may reopen a conversation: with a database URL they are kept in the database
itself (:class:`DatabaseFileStorage`), next to the conversation they belong to.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
from typing import Any, Awaitable, Callable, TypeVar

from sqlalchemy import (
    Boolean, Column, ForeignKey, Index, Integer, LargeBinary, MetaData, Table, Text, inspect, select, text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from opgavewijzer.errors import ChatStoreError, ConfigError

T = TypeVar("T")

# Async drivers the data layer can use; a URL naming only the database gets its driver here.
DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}
SCHEMA_TIMEOUT_S = 60.0

_JSON = Text().with_variant(JSONB(), "postgresql")
_TAGS = Text().with_variant(ARRAY(Text()), "postgresql")

METADATA = MetaData()


def _fk(table: str) -> ForeignKey:
    return ForeignKey(f"{table}.id", ondelete="CASCADE")


# Column lists follow chainlit.step.StepDict and chainlit.element.ElementDict of Chainlit 2.12:
# the data layer inserts every key it has, so a missing column would make it drop the whole row.
TABLES = {
    "users": Table(
        "users", METADATA,
        Column("id", Text, primary_key=True),
        Column("identifier", Text, nullable=False, unique=True),
        Column("metadata", _JSON, nullable=False),
        Column("createdAt", Text),
    ),
    "threads": Table(
        "threads", METADATA,
        Column("id", Text, primary_key=True),
        Column("createdAt", Text), Column("name", Text),
        Column("userId", Text, _fk("users")), Column("userIdentifier", Text),
        Column("tags", _TAGS), Column("metadata", _JSON),
    ),
    "steps": Table(
        "steps", METADATA,
        Column("id", Text, primary_key=True),
        Column("name", Text, nullable=False), Column("type", Text, nullable=False),
        Column("threadId", Text, _fk("threads"), nullable=False), Column("parentId", Text),
        Column("streaming", Boolean, nullable=False), Column("waitForAnswer", Boolean), Column("isError", Boolean),
        Column("metadata", _JSON), Column("tags", _TAGS), Column("input", Text), Column("output", Text),
        Column("createdAt", Text), Column("command", Text), Column("modes", Text),
        Column("start", Text), Column("end", Text), Column("generation", _JSON), Column("showInput", Text),
        Column("language", Text), Column("indent", Integer), Column("defaultOpen", Boolean),
        Column("autoCollapse", Boolean), Column("icon", Text),
        Index("steps_thread", "threadId"),
    ),
    "elements": Table(
        "elements", METADATA,
        Column("id", Text, primary_key=True),
        Column("threadId", Text, _fk("threads")), Column("type", Text), Column("url", Text),
        Column("chainlitKey", Text), Column("name", Text, nullable=False), Column("display", Text),
        Column("objectKey", Text), Column("size", Text), Column("page", Integer), Column("language", Text),
        Column("forId", Text), Column("mime", Text), Column("props", _JSON), Column("autoPlay", Boolean),
        Column("playerConfig", Text),
        Index("elements_thread", "threadId"),
    ),
    "feedbacks": Table(
        "feedbacks", METADATA,
        Column("id", Text, primary_key=True),
        Column("forId", Text, nullable=False), Column("threadId", Text, _fk("threads"), nullable=False),
        Column("value", Integer, nullable=False), Column("comment", Text),
    ),
    # Our own: the bytes of elements, when they are kept in the database.
    "opgavewijzer_element_files": Table(
        "opgavewijzer_element_files", METADATA,
        Column("object_key", Text, primary_key=True),
        Column("mime", Text, nullable=False),
        Column("data", LargeBinary, nullable=False),
    ),
}
FILES = TABLES["opgavewijzer_element_files"]


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
                await conn.run_sync(METADATA.create_all)
                return await conn.run_sync(_add_missing_columns)
        finally:
            await engine.dispose()

    try:
        return run_blocking(run)
    except Exception as exc:  # drivers raise their own kinds (refused, unknown database, bad password, timeout)
        raise ChatStoreError(f"the chat database at {shown(url)} cannot be set up: {exc!r}") from exc


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
