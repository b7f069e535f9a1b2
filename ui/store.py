"""Where the chat UI keeps conversations and feedback: one SQLite file.

Chainlit's SQLAlchemy data layer does the writing; it does not create its
tables, so :func:`ensure_schema` does (the schema of Chainlit 2.12, in SQLite
types). Elements (source passages, downloads) are kept as files next to the
database by :class:`LocalFileStorage` and handed back to the browser as
``data:`` URLs, so a reloaded conversation still opens its sources without
any outside storage service. :func:`read_feedback` is how maintainers read
what users said about answers.
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

# Column lists follow chainlit.step.StepDict and chainlit.element.ElementDict of
# Chainlit 2.12: the data layer inserts every key it has, so a missing column
# would make it drop the whole row (it logs and carries on).
SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    "id" TEXT PRIMARY KEY,
    "identifier" TEXT NOT NULL UNIQUE,
    "metadata" TEXT NOT NULL,
    "createdAt" TEXT
);
CREATE TABLE IF NOT EXISTS threads (
    "id" TEXT PRIMARY KEY,
    "createdAt" TEXT,
    "name" TEXT,
    "userId" TEXT,
    "userIdentifier" TEXT,
    "tags" TEXT,
    "metadata" TEXT,
    FOREIGN KEY ("userId") REFERENCES users("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS steps (
    "id" TEXT PRIMARY KEY,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "parentId" TEXT,
    "streaming" BOOLEAN NOT NULL,
    "waitForAnswer" BOOLEAN,
    "isError" BOOLEAN,
    "metadata" TEXT,
    "tags" TEXT,
    "input" TEXT,
    "output" TEXT,
    "createdAt" TEXT,
    "command" TEXT,
    "modes" TEXT,
    "start" TEXT,
    "end" TEXT,
    "generation" TEXT,
    "showInput" TEXT,
    "language" TEXT,
    "indent" INT,
    "defaultOpen" BOOLEAN,
    "autoCollapse" BOOLEAN,
    "icon" TEXT,
    FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS elements (
    "id" TEXT PRIMARY KEY,
    "threadId" TEXT,
    "type" TEXT,
    "url" TEXT,
    "chainlitKey" TEXT,
    "name" TEXT NOT NULL,
    "display" TEXT,
    "objectKey" TEXT,
    "size" TEXT,
    "page" INT,
    "language" TEXT,
    "forId" TEXT,
    "mime" TEXT,
    "props" TEXT,
    "autoPlay" BOOLEAN,
    "playerConfig" TEXT,
    FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE
);
CREATE TABLE IF NOT EXISTS feedbacks (
    "id" TEXT PRIMARY KEY,
    "forId" TEXT NOT NULL,
    "threadId" TEXT NOT NULL,
    "value" INT NOT NULL,
    "comment" TEXT,
    FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS steps_thread ON steps("threadId");
CREATE INDEX IF NOT EXISTS elements_thread ON elements("threadId");
"""


def chat_db_path(settings: Settings) -> Path:
    """The SQLite file for conversations and feedback."""
    return settings.ui.feedback_db or settings.data_dir / "chat.sqlite3"


def ensure_schema(db_path: Path) -> None:
    """Create the tables the data layer writes to, if they are not there yet."""
    from ui.auth import make_private_file

    make_private_file(db_path)  # conversations are private: 0600, in a 0700 folder (-wal/-shm follow the file)
    with sqlite3.connect(db_path) as conn:
        # WAL: many chat sessions write at once; readers then never wait for writers.
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript(SCHEMA)


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
    from ui.ownership import OwnedDataLayer

    db = chat_db_path(settings)
    ensure_schema(db)
    storage = LocalFileStorage(db.parent / "chat-files")
    return OwnedDataLayer(conninfo=f"sqlite+aiosqlite:///{db}", storage_provider=storage)  # type: ignore[arg-type]


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


def read_feedback(db_path: Path) -> list[FeedbackRow]:
    """All feedback, newest first; empty if nobody has used the chat yet."""
    if not db_path.exists():
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
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True) as conn:
        try:
            rows = conn.execute(query).fetchall()
        except sqlite3.OperationalError:  # no tables yet: the UI never ran
            return []
    return [
        FeedbackRow(created_at=r[0] or "", user=r[1] or "", value=int(r[2]), comment=r[3] or "",
                    answer=r[4] or "", thread_id=r[5] or "", question=r[6] or "")
        for r in rows
    ]


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
