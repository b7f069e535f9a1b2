"""An upload while another ingest holds the index is refused with a clear message, and changes nothing."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from kb.index_lock import IndexLock
from kb.knowledge_base import KnowledgeBase
from opgavewijzer.errors import DocumentError
from ui.uploads import MSG_BUSY, Uploads


def test_an_upload_during_another_ingest_is_refused_and_the_index_stays(tmp_path: Path, make_settings, e5) -> None:  # noqa: ANN001
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "basis.md").write_text("# Basis\n\nEen gemeente zet de maatschappelijke opgave centraal.\n", encoding="utf-8")
    (corpus / "sources.json").write_text(json.dumps({"documents": [
        {"id": "basis", "file": "basis.md", "title": "Basis"}]}), encoding="utf-8")
    settings = make_settings(corpus_dir=corpus)
    assert run_ingest(settings, embedder=e5).ok
    kb = KnowledgeBase(settings, embedder=e5)
    before = kb.info.collection
    upload = tmp_path / "upload-tmp"
    upload.write_text("# Nieuw\n\nHet waterschap legt wadi's aan tegen hevige regen.\n", encoding="utf-8")
    with IndexLock(kb.store) as other:  # the command line, or another server, is ingesting
        with pytest.raises(DocumentError) as refused:
            Uploads(settings, kb).add("nieuw.md", upload)
        holder = other.holder()
    since = time.strftime("%H:%M:%S", time.localtime(float(holder["since"])))
    assert str(refused.value) == "nieuw.md: " + MSG_BUSY.format(host=holder["host"], since=since)
    assert kb.store.active_info().collection == before
    assert not (settings.uploads_dir / "nieuw.md").exists()  # nothing half-kept
