"""The conversation store behind a URL: one schema for SQLite and PostgreSQL, Chainlit's data layer on both.

PostgreSQL is a real server (``tests.servers.postgres_url``), each test in a
database of its own; SQLite is a file in ``tmp_path``.
"""

from __future__ import annotations

import base64
import typing
from pathlib import Path

import pytest
from sqlalchemy import inspect

from opgavewijzer.errors import ChatStoreError, ConfigError
from tests.browser import isolate_chainlit_import, run_async
from tests.servers import free_port, postgres_url  # noqa: F401 - the fixture is used by name
from tests.ui.conftest import BACKENDS
from ui.chat_db import DatabaseFileStorage, async_url, create_schema, fetch_all, run_blocking, sqlite_url
from ui.store import chat_db, create_data_layer, ensure_schema, read_feedback

def columns(url: str, table: str) -> set[str]:
    from sqlalchemy.ext.asyncio import create_async_engine

    async def read() -> set[str]:
        engine = create_async_engine(url)
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(lambda c: {col["name"] for col in inspect(c).get_columns(table)})
        finally:
            await engine.dispose()

    return run_blocking(read)


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_schema_has_every_column_the_data_layer_writes_and_grows_with_chainlit(db_url: str) -> None:
    import importlib

    isolate_chainlit_import()
    step_keys = set(typing.get_type_hints(importlib.import_module("chainlit.step").StepDict))
    element_keys = set(typing.get_type_hints(importlib.import_module("chainlit.element").ElementDict))
    assert create_schema(db_url) == []
    assert step_keys - {"feedback"} <= columns(db_url, "steps")
    assert element_keys - {"path"} <= columns(db_url, "elements")
    assert create_schema(db_url) == []  # idempotent
    # A table made by an older Chainlit lacks the newer columns: they are added, nothing is lost.
    run_blocking(lambda: _execute(db_url, 'ALTER TABLE steps DROP COLUMN "icon"'))
    run_blocking(lambda: _execute(db_url, 'ALTER TABLE elements DROP COLUMN "playerConfig"'))
    assert sorted(create_schema(db_url)) == ["elements.playerConfig", "steps.icon"]
    assert {"icon"} <= columns(db_url, "steps") and {"playerConfig"} <= columns(db_url, "elements")
    # Accounts and logins come with the same schema, on the same path.
    assert columns(db_url, "opgavewijzer_login_sessions") == {"sid_hash", "identifier", "role", "source", "created",
                                                               "expires"}
    run_blocking(lambda: _execute(db_url, "ALTER TABLE opgavewijzer_login_failures DROP COLUMN locked_until"))
    assert create_schema(db_url) == ["opgavewijzer_login_failures.locked_until"]


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_servers_that_start_together_on_a_new_database_all_get_its_tables(db_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:  # four servers or commands at once; without a lock, all but one failed
        added = list(pool.map(lambda _: create_schema(db_url), range(4)))
    assert added == [[]] * 4 and {"sid_hash", "identifier"} <= columns(db_url, "opgavewijzer_login_sessions")


async def _execute(url: str, sql: str) -> None:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(sql))
    finally:
        await engine.dispose()


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_chainlit_stores_and_reopens_a_conversation_with_its_source_and_feedback(db_url: str) -> None:
    isolate_chainlit_import()
    ensure_schema(db_url)
    thread, threads, url_of_source = run_async(_conversation(db_url))
    assert thread is not None and thread["name"] == "Wat is een opgave?"
    assert [s["type"] for s in thread["steps"]] == ["user_message", "assistant_message"]
    assert thread["steps"][1]["output"] == "Een opgave is een maatschappelijk vraagstuk [1]."
    (element,) = thread["elements"]
    head, data = element["url"].split(",", 1)
    assert element["name"] == "[1]" and head == "data:text/markdown;charset=utf-8;base64"
    assert base64.b64decode(data).decode("utf-8") == "**Bron** met é"
    assert url_of_source == element["url"]  # the bytes live in the database, not on one machine
    assert [t["id"] for t in threads] == [thread["id"]]
    (feedback,) = read_feedback(db_url)
    assert (feedback.user, feedback.value, feedback.comment) == ("anna", 1, "Helder")
    assert feedback.question == "Wat is een opgave?" and feedback.answer.startswith("Een opgave is")


async def _conversation(url: str) -> tuple[typing.Any, list, str]:
    """One question, one answer with a source element, one thumbs-up: what a chat writes."""
    from chainlit.context import init_http_context
    from chainlit.element import Text
    from chainlit.types import Feedback, Pagination, ThreadFilter
    from chainlit.user import User

    from ui.ownership import OwnedDataLayer

    init_http_context()  # the data layer reads the session from Chainlit's context
    storage = DatabaseFileStorage(url)
    layer = OwnedDataLayer(conninfo=url, storage_provider=storage)  # type: ignore[arg-type]
    try:
        user = await layer.create_user(User(identifier="anna", metadata={"role": "gebruiker"}))
        assert user is not None
        tid = "0b7a4c62-0000-4000-8000-000000000001"
        await layer.update_thread(tid, name="Wat is een opgave?", user_id=user.id, metadata={"chat_profile": "Vragen"})
        for sid, kind, text, at in (("s1", "user_message", "Wat is een opgave?", "2025-01-01T10:00:00Z"),
                                    ("s2", "assistant_message", "Een opgave is een maatschappelijk vraagstuk [1].",
                                     "2025-01-01T10:00:02Z")):
            await layer.create_step({"id": sid, "threadId": tid, "name": kind, "type": kind, "output": text,
                                     "createdAt": at, "streaming": False, "metadata": {}, "showInput": False})
        source = Text(name="[1]", content="**Bron** met é", display="side", for_id="s2", mime="text/markdown")
        source.thread_id = tid
        await layer.create_element(source)
        await layer.upsert_feedback(Feedback(forId="s2", threadId=tid, value=1, comment="Helder"))
        thread = await layer.get_thread(tid)
        page = await layer.list_threads(Pagination(first=10), ThreadFilter(userId=user.id))
        key = f"{user.id}/{source.id}/[1]"
        return thread, [t for t in page.data], await DatabaseFileStorage(url).get_read_url(key)
    finally:
        await layer.close()
        await layer.engine.dispose()


def test_the_setting_chooses_the_database_and_its_driver(make_settings, tmp_path: Path) -> None:
    settings = make_settings()
    assert chat_db(settings) == settings.data_dir / "chat.sqlite3"
    pg = make_settings(ui__chat_db_url="postgresql://chat:geheim@db.intern:5432/opgavewijzer")
    assert chat_db(pg) == "postgresql+asyncpg://chat:geheim@db.intern:5432/opgavewijzer"
    assert async_url("sqlite:///tmp/x.db") == "sqlite+aiosqlite:///tmp/x.db"
    with pytest.raises(ConfigError, match="chat_db_url: 'mysql' is not supported"):
        async_url("mysql://u@h/db")
    with pytest.raises(ConfigError, match="is not a database URL"):
        async_url("geen url")


def test_an_unreachable_database_is_named_without_its_password(make_settings) -> None:
    url = f"postgresql+asyncpg://chat:geheim@127.0.0.1:{free_port()}/opgavewijzer"
    with pytest.raises(ChatStoreError, match=r"chat database at postgresql\+asyncpg://chat:\*\*\*@127\.0\.0\.1") as err:
        create_data_layer(make_settings(ui__chat_db_url=url))
    assert "geheim" not in str(err.value)


@pytest.mark.slow
def test_with_a_database_url_elements_are_kept_where_every_server_reads_them(make_settings, postgres_url: str) -> None:  # noqa: F811
    isolate_chainlit_import()
    layer = create_data_layer(make_settings(ui__chat_db_url=postgres_url))

    async def upload_here_read_elsewhere() -> str:
        other_server = DatabaseFileStorage(postgres_url)
        try:
            await layer.storage_provider.upload_file("u/e/[2]", "Bron twee", mime="text/plain")
            return await other_server.get_read_url("u/e/[2]")
        finally:
            await other_server.close()
            await layer.storage_provider.close()
            await layer.engine.dispose()

    assert isinstance(layer.storage_provider, DatabaseFileStorage)
    assert run_async(upload_here_read_elsewhere()) == "data:text/plain;charset=utf-8;base64," + base64.b64encode(
        "Bron twee".encode()).decode()
