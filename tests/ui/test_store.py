"""The chat database: Chainlit's tables in SQLite, element files, feedback for maintainers."""

from __future__ import annotations

import base64
import sqlite3
import typing
from pathlib import Path

from ui.store import LocalFileStorage, chat_db_path, ensure_schema, read_feedback, thread_metadata
from tests.browser import isolate_chainlit_import, run_async


def columns(db: Path, table: str) -> set[str]:
    with sqlite3.connect(db) as conn:
        return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def test_schema_has_a_column_for_every_key_the_data_layer_writes(tmp_path: Path) -> None:
    """Chainlit inserts every key of its step and element dicts; a missing column loses the row silently."""
    import importlib

    isolate_chainlit_import()  # importing Chainlit creates folders in its app root
    step_keys = set(typing.get_type_hints(importlib.import_module("chainlit.step").StepDict))
    element_keys = set(typing.get_type_hints(importlib.import_module("chainlit.element").ElementDict))
    db = tmp_path / "chat.sqlite3"
    ensure_schema(db)
    assert step_keys - {"feedback"} <= columns(db, "steps")
    assert element_keys - {"path"} <= columns(db, "elements")
    assert {"id", "forId", "threadId", "value", "comment"} == columns(db, "feedbacks")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    ensure_schema(db)  # idempotent


def test_default_location_is_in_the_data_folder(make_settings) -> None:
    settings = make_settings()
    assert chat_db_path(settings) == settings.data_dir / "chat.sqlite3"
    assert chat_db_path(make_settings(ui__feedback_db=Path("/srv/chat.db"))) == Path("/srv/chat.db")


def test_element_files_come_back_as_data_urls(tmp_path: Path) -> None:
    storage = LocalFileStorage(tmp_path / "files")

    async def roundtrip() -> tuple[str, str, bool, bool]:
        await storage.upload_file("user/elem/[1]", "**Bron** met é", mime="text/markdown")
        await storage.upload_file("user/elem/x.docx", b"PK\x03\x04", mime="application/octet-stream")
        text_url = await storage.get_read_url("user/elem/[1]")
        bin_url = await storage.get_read_url("user/elem/x.docx")
        return text_url, bin_url, await storage.delete_file("user/elem/[1]"), await storage.delete_file("user/elem/[1]")

    text_url, bin_url, deleted, again = run_async(roundtrip())
    head, data = text_url.split(",", 1)
    assert head == "data:text/markdown;charset=utf-8;base64"
    assert base64.b64decode(data).decode("utf-8") == "**Bron** met é"
    assert bin_url == "data:application/octet-stream;base64," + base64.b64encode(b"PK\x03\x04").decode()
    assert (deleted, again) == (True, False)


def test_feedback_is_read_back_with_its_question_and_answer(tmp_path: Path) -> None:
    db = tmp_path / "chat.sqlite3"
    assert read_feedback(db) == []
    ensure_schema(db)
    with sqlite3.connect(db) as conn:
        conn.execute("""INSERT INTO threads ("id", "userIdentifier") VALUES ('t1', 'anna')""")
        rows = [  # (id, type, output, createdAt, parentId)
            ("s1", "user_message", "Wat is een opgave?", "2025-01-01T10:00:00", None),
            ("s2", "retrieval", "Gezocht op: opgave", "2025-01-01T10:00:01", None),
            ("s3", "assistant_message", "Een opgave is ... [1].", "2025-01-01T10:00:02", None),
            ("s4", "user_message", "En een programma?", "2025-01-01T10:01:00", None),
            ("r5", "run", "", "2025-01-01T10:01:01", "s4"),
            ("s5", "assistant_message", "De bronnen behandelen deze vraag niet.", "2025-01-01T10:01:02", "r5"),
        ]
        conn.executemany("""INSERT INTO steps ("id", "name", "type", "threadId", "streaming", "output", "createdAt",
                            "parentId") VALUES (?, 'x', ?, 't1', 0, ?, ?, ?)""", rows)
        conn.execute("""INSERT INTO feedbacks VALUES ('f1', 's3', 't1', 1, 'Helder')""")
        # Thumbs on a reply in the page are stored for its run step.
        conn.execute("""INSERT INTO feedbacks VALUES ('f2', 'r5', 't1', 0, NULL)""")
    found = read_feedback(db)
    assert [(f.value, f.question, f.answer, f.comment, f.user) for f in found] == [
        (0, "En een programma?", "De bronnen behandelen deze vraag niet.", "", "anna"),
        (1, "Wat is een opgave?", "Een opgave is ... [1].", "Helder", "anna"),
    ]


def test_thread_metadata_from_sqlite_json() -> None:
    assert thread_metadata('{"chat_profile": "Vragen stellen"}') == {"chat_profile": "Vragen stellen"}
    assert thread_metadata({"a": 1}) == {"a": 1}
    assert thread_metadata("niet json") == {} and thread_metadata(None) == {}
