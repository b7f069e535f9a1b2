"""Fixtures of the chat-UI tests: a one-document index for servers whose answers do not matter, and
empty chat databases of either kind."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opgavewijzer.settings import Settings
from tests.servers import fresh_database, postgres_url  # noqa: F401 - the fixture is used by name

# For tests parametrized over the chat database (indirect, through ``db_url``); PostgreSQL is a real server.
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)]

NOTE = "\n\n".join(
    f"## Deel {i}\n\nOpgavegericht werken betekent dat de overheid werkt vanuit een maatschappelijke opgave. "
    "Een ambtelijk opdrachtgever stuurt de opgave aan en verbindt lijn en opgave." for i in range(1, 4)
)


@pytest.fixture(scope="module")
def tiny_settings(tmp_path_factory: pytest.TempPathFactory, e5) -> Settings:  # noqa: ANN001
    """Settings with a real index of one short generated note (seconds to build), for security tests."""
    from ingest.pipeline import run_ingest

    root = tmp_path_factory.mktemp("tiny")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "sources.json").write_text(json.dumps({"documents": [
        {"id": "notitie", "file": "notitie.md", "title": "Notitie over opgaven", "short_title": "Notitie"}]}),
        encoding="utf-8")
    (corpus / "notitie.md").write_text(f"# Notitie over opgaven\n\n{NOTE}\n", encoding="utf-8")
    settings = Settings(_env_file=None, data_dir=root / "data", corpus_dir=corpus)
    report = run_ingest(settings, embedder=e5)
    assert report.ok, report.failed
    return settings


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data folder the CLI reads from the environment, run from a folder without an .env file."""
    data = tmp_path / "data"
    monkeypatch.setenv("OPGAVEWIJZER_DATA_DIR", str(data))
    monkeypatch.chdir(tmp_path)
    return data


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty chat database of the kind the test is parametrized with: a SQLite file, or a database of its own."""
    from ui.chat_db import sqlite_url

    if request.param == "sqlite":
        return sqlite_url(tmp_path / "chat.sqlite3")
    return fresh_database(request.getfixturevalue("postgres_url"))
