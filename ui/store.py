"""Where the chat UI keeps conversations and feedback: a SQLite file, or a database every server shares.

Chainlit's SQLAlchemy data layer does the writing; it does not create its
tables, so :func:`ensure_schema` does (see :mod:`ui.chat_db` for the schema,
in SQLite's or PostgreSQL's types). By default the database is one SQLite
file, and elements (source passages, downloads) are kept as files next to it
by :class:`LocalFileStorage`. With ``ui.chat_db_url`` set (PostgreSQL, for
several chat servers) the elements go into that database too. Either way
they are handed back to the browser as ``data:`` URLs, so a reloaded
conversation still opens its sources without any outside storage service.
:func:`read_feedback` is how maintainers read what users said about answers.
The same database holds the accounts and open logins (:mod:`ui.shared_db`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opgavewijzer.settings import Settings
from ui.private import make_private_file


def chat_db_path(settings: Settings) -> Path:
    """The SQLite file for conversations and feedback (when no ``chat_db_url`` is set)."""
    return settings.ui.feedback_db or settings.data_dir / "chat.sqlite3"


def chat_db(settings: Settings) -> Path | str:
    """The conversation database: the URL of ``ui.chat_db_url`` (async driver added), else the SQLite file."""
    from ui.chat_db import async_url

    url = settings.ui.chat_db_url.get_secret_value()
    return async_url(url) if url else chat_db_path(settings)


def ensure_schema(db: Path | str) -> None:
    """Create the tables the data layer writes to, and add the columns they lack.

    ``db`` is a SQLite file or a database URL (see :func:`chat_db`).
    """
    from ui.chat_db import create_schema, sqlite_url

    if isinstance(db, str):
        create_schema(db)
        return
    db_path = db
    make_private_file(db_path)  # conversations are private: 0600, in a 0700 folder (-wal/-shm follow the file)
    with sqlite3.connect(db_path) as conn:
        # WAL: many chat sessions write at once; readers then never wait for writers.
        conn.execute("PRAGMA journal_mode=WAL")
    create_schema(sqlite_url(db_path))


class LocalFileStorage:
    """Element contents as files in one folder; read back as ``data:`` URLs.

    Implements Chainlit's ``BaseStorageClient`` interface, duck-typed: importing
    Chainlit writes folders into the working directory, and the command line
    reads feedback through this module without wanting that.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _path(self, object_key: str) -> Path:
        # Element names such as "[1]" or "Leeropdracht.docx" end up in the key; hash it.
        return self.folder / hashlib.sha256(object_key.encode("utf-8")).hexdigest()

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        """Store one element's bytes; the URL is made on reading, so none is stored."""
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = self._path(object_key)
        if path.exists() and not overwrite:
            return {"object_key": object_key}
        raw = data.encode("utf-8") if isinstance(data, str) else data
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(raw)
        tmp.replace(path)
        path.with_suffix(".mime").write_text(mime or "application/octet-stream", encoding="utf-8")
        return {"object_key": object_key}

    async def delete_file(self, object_key: str) -> bool:
        """Remove one element's bytes; True if there was something to remove."""
        path = self._path(object_key)
        path.with_suffix(".mime").unlink(missing_ok=True)
        if path.exists():
            path.unlink()
            return True
        return False

    async def get_read_url(self, object_key: str) -> str:
        """A ``data:`` URL with the element's bytes (the files are small: passages, drafts)."""
        path = self._path(object_key)
        mime_file = path.with_suffix(".mime")
        mime = mime_file.read_text(encoding="utf-8") if mime_file.exists() else "application/octet-stream"
        if mime.startswith("text/") and "charset" not in mime:
            mime += ";charset=utf-8"
        return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"

    async def close(self) -> None:
        """Nothing to release: every call opens and closes its own file."""


def create_data_layer(settings: Settings) -> Any:
    """Chainlit's SQLAlchemy data layer on the chat database, schema ensured."""
    from ui.chat_db import DatabaseFileStorage, sqlite_url
    from ui.ownership import OwnedDataLayer

    db = chat_db(settings)
    ensure_schema(db)
    if isinstance(db, str):  # a database every server reaches: the elements go there too
        return OwnedDataLayer(conninfo=db, storage_provider=DatabaseFileStorage(db))  # type: ignore[arg-type]
    storage = LocalFileStorage(db.parent / "chat-files")
    return OwnedDataLayer(conninfo=sqlite_url(db), storage_provider=storage)  # type: ignore[arg-type]


@dataclass(frozen=True)
class FeedbackRow:
    """One thumbs-up or thumbs-down, with the question and the answer it was about."""

    created_at: str
    user: str
    value: int
    comment: str
    question: str
    answer: str
    thread_id: str

    def to_json(self) -> dict[str, Any]:
        """Plain JSON form for ``opgavewijzer feedback --json``."""
        return {
            "created_at": self.created_at, "user": self.user, "value": self.value, "comment": self.comment,
            "question": self.question, "answer": self.answer, "thread_id": self.thread_id,
        }


def read_feedback(db: Path | str) -> list[FeedbackRow]:
    """All feedback, newest first; empty if nobody has used the chat yet. ``db`` as for :func:`ensure_schema`."""
    if isinstance(db, Path) and not db.exists():
        return []
    # Chainlit ties the thumbs of a reply to its run step (on_message); the reply itself is the
    # run's last assistant message, the question the user message before it.
    query = """
        SELECT s."createdAt", t."userIdentifier", f."value", f."comment",
               COALESCE((SELECT a."output" FROM steps a
                          WHERE a."parentId" = s."id" AND a."type" = 'assistant_message'
                          ORDER BY a."createdAt" DESC LIMIT 1), s."output"),
               s."threadId",
               (SELECT q."output" FROM steps q
                 WHERE q."threadId" = s."threadId" AND q."type" = 'user_message' AND q."createdAt" <= s."createdAt"
                 ORDER BY q."createdAt" DESC LIMIT 1)
          FROM feedbacks f
          JOIN steps s ON s."id" = f."forId"
          LEFT JOIN threads t ON t."id" = s."threadId"
         ORDER BY s."createdAt" DESC
    """
    rows = _feedback_rows(db, query)
    return [
        FeedbackRow(created_at=r[0] or "", user=r[1] or "", value=int(r[2]), comment=r[3] or "",
                    answer=r[4] or "", thread_id=r[5] or "", question=r[6] or "")
        for r in rows
    ]


def _feedback_rows(db: Path | str, query: str) -> list[tuple]:
    if isinstance(db, str):
        from sqlalchemy.exc import ProgrammingError

        from ui.chat_db import fetch_all, run_blocking

        try:
            return run_blocking(lambda: fetch_all(db, query))
        except ProgrammingError:  # no tables yet: the UI never ran
            return []
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        try:
            return conn.execute(query).fetchall()
        except sqlite3.OperationalError:  # no tables yet: the UI never ran
            return []


def thread_metadata(raw: Any) -> dict[str, Any]:
    """Thread metadata as a dict: SQLite hands it back as a JSON string."""
    if isinstance(raw, dict):
        return raw
    if isinstance(raw, str) and raw:
        try:
            value = json.loads(raw)
        except json.JSONDecodeError:
            return {}
        return value if isinstance(value, dict) else {}
    return {}
