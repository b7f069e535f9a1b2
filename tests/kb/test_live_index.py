"""A knowledge base that stays open follows new builds, and an ingest leaves the builds in use alone.

Real Chroma (a local folder), the real e5 model, and a real ``opgavewijzer
ingest`` in another process while the knowledge base searches.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from kb.embeddings import E5Embedder
from kb.knowledge_base import KnowledgeBase
from kb.retriever import passage_text
from kb.store import ChromaStore, DocumentRecord, IndexInfo
from kb.types import Chunk
from opgavewijzer.errors import KnowledgeBaseError

CLI = str(Path(sys.executable).with_name("opgavewijzer"))

FIETS = """# Fietsbeleid in de regio

## Stallingen bij stations

De regio bouwt tot 2030 twaalfduizend extra fietsplekken bij de drukste stations. Gemeenten en
ProRail delen de kosten, en de provincie betaalt een derde van de investering.
"""

WATER = """Waterbeheer en klimaatadaptatie

Het waterschap legt groene daken en wadi's aan om hevige regenbuien op te vangen. Bewoners krijgen
subsidie als zij tegels uit hun tuin halen en er planten voor terugzetten.
"""


def build(store: ChromaStore, e5: E5Embedder, doc_id: str, text: str) -> str:
    """Write and activate a one-passage build, as the ingest does; returns its collection."""
    chunk = Chunk(doc_id, doc_id.title(), text, ("deel",), 0, len(text), 0)
    name = store.new_build()
    store.add(name, [chunk], e5.embed_passages([passage_text(chunk)]))
    store.activate(IndexInfo(name, e5.name, "test", "now", {doc_id: DocumentRecord(doc_id, f"{doc_id}.md", doc_id, "x", 1)}))
    return name


def collections(store: ChromaStore) -> set[str]:
    return {c.name for c in store.client.list_collections()}


@pytest.mark.slow
def test_an_open_knowledge_base_follows_an_ingest_run_by_another_process(make_settings, e5: E5Embedder, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "fiets.md").write_text(FIETS, encoding="utf-8")
    settings = make_settings(corpus_dir=docs)
    run_ingest(settings, embedder=e5)
    kb = KnowledgeBase(settings, embedder=e5)
    first = kb.info.collection
    kb.watch(0.2)
    assert kb.store.builds_in_use() == {first}

    searched: list[str] = []  # the document of the best hit, search after search
    errors: list[Exception] = []
    stop = threading.Event()

    def keep_searching() -> None:
        while not stop.is_set():
            try:
                searched.append(kb.search("subsidie voor tegels uit de tuin", top_k=1)[0].doc_id)
            except Exception as exc:  # any failure while the other process ingests fails the test
                errors.append(exc)
            time.sleep(0.02)

    searcher = threading.Thread(target=keep_searching, daemon=True)
    searcher.start()
    (docs / "water.txt").write_text(WATER, encoding="utf-8")
    env = {**os.environ, "OPGAVEWIJZER_DATA_DIR": str(settings.data_dir), "OPGAVEWIJZER_CORPUS_DIR": str(docs)}
    done = subprocess.run([CLI, "ingest"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    deadline = time.monotonic() + 15
    while kb.info.collection == first and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(0.3)  # a few searches on the new build
    stop.set()
    searcher.join(10)
    kb.close()

    assert kb.info.collection != first, "the new build was not noticed within 15 s"
    assert errors == []
    assert searched[0] == "fiets" and searched[-1] == "water"
    switch = searched.index("water")
    assert set(searched[:switch]) == {"fiets"} and set(searched[switch:]) == {"water"}  # one clean swap
    assert first in collections(kb.store)  # the build the server used was not removed (grace period)
    assert kb.store.builds_in_use() == set()  # closing released the lease


def test_preparers_see_the_new_build_while_searches_still_use_the_old_one(make_settings, e5: E5Embedder) -> None:
    settings = make_settings()
    store = ChromaStore(settings)
    old = build(store, e5, "fiets", FIETS)
    kb = KnowledgeBase(settings, embedder=e5)
    seen = []

    def prepare(staged: KnowledgeBase) -> None:
        live = kb.search("subsidie voor tegels", top_k=1)[0]
        new = staged.search("subsidie voor tegels", top_k=1)[0]
        seen.append((kb.info.collection, live.doc_id, staged.info.collection, new.doc_id))

    kb.add_preparer(prepare)
    new = build(store, e5, "water", WATER)
    assert kb.refresh() is True
    assert seen == [(old, "fiets", new, "water")]
    assert kb.info.collection == new and kb.chunk(kb.chunks[0].chunk_id) == kb.chunks[0]
    assert kb.refresh() is False and len(seen) == 1  # nothing new: nothing prepared


def test_a_build_that_cannot_be_loaded_leaves_the_old_one_in_service(make_settings, e5: E5Embedder) -> None:
    settings = make_settings()
    store = ChromaStore(settings)
    old = build(store, e5, "fiets", FIETS)
    kb = KnowledgeBase(settings, embedder=e5)
    gone = store.new_build()
    store.client.delete_collection(gone)  # the pointer will name a build that no longer exists
    store.activate(IndexInfo(gone, e5.name, "test", "now", {}))
    with pytest.raises(KnowledgeBaseError, match="is missing from the store"):
        kb.refresh()
    assert kb.info.collection == old
    assert kb.search("fietsplekken bij stations", top_k=1)[0].doc_id == "fiets"


def test_garbage_collection_spares_leased_young_and_recently_replaced_builds(make_settings, e5: E5Embedder) -> None:
    store = ChromaStore(make_settings(store__build_grace_s=0))
    a = build(store, e5, "fiets", FIETS)
    store.hold("server-1", a)
    b = build(store, e5, "water", WATER)
    assert a in collections(store)  # a server still reads it
    store.release("server-1")
    store.hold("server-2", b, seconds=-1)  # a lease that has lapsed protects nothing
    c = build(store, e5, "fiets", FIETS)
    assert {a, b} & collections(store) == set() and c in collections(store)

    patient = ChromaStore(make_settings(store__build_grace_s=3600), client=store.client)
    d = build(patient, e5, "water", WATER)
    unfinished = patient.new_build()  # an ingest elsewhere may still be writing it
    ancient = f"{patient.prefix}-b20200101000000abcdef"  # made before builds recorded their time
    store.client.create_collection(ancient, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    e = build(patient, e5, "fiets", FIETS)
    left = collections(patient)
    assert {c, d, unfinished, e} <= left  # c and d were replaced less than an hour ago
    assert ancient not in left


def test_a_build_is_read_back_whole_in_pages(make_settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    import kb.store

    monkeypatch.setattr(kb.store, "_LOAD_PAGE", 7)  # 30 passages: five pages, the last one short
    store = ChromaStore(make_settings())
    chunks = [Chunk(f"doc{d}", f"Doc {d}", f"Passage {d}-{i} over opgaven.", (), i * 40, i * 40 + 25, i)
              for d in range(3) for i in range(10)]
    vectors = np.random.default_rng(1).standard_normal((30, 8)).astype(np.float32)
    name = store.new_build()
    store.add(name, chunks[::-1], vectors[::-1])  # stored out of order: load sorts by document and position
    loaded, back = store.load(name, with_embeddings=True)
    assert loaded == chunks and np.allclose(back, vectors)
    some, some_vectors = store.load(name, doc_ids=["doc2", "doc0"], with_embeddings=True)
    assert some == chunks[:10] + chunks[20:] and np.allclose(some_vectors, np.vstack([vectors[:10], vectors[20:]]))
