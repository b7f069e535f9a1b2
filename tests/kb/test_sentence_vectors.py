"""Sentence vectors are made at ingest, stored with the build, copied for unchanged documents and loaded with it.

Real Chroma (a local folder, and a Chroma server once) and the real e5 model.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ingest.pipeline import run_ingest
from ingest.removal import remove_documents
from kb.embeddings import E5Embedder
from kb.sentences import SentenceIndex
from kb.store import SENTENCES, ChromaStore
from tests.servers import chroma_server

FIETS = """# Fietsbeleid in de regio

## Stallingen bij stations

De regio bouwt tot 2030 twaalfduizend extra fietsplekken bij de drukste stations. Gemeenten en
ProRail delen de kosten.

De provincie betaalt een derde van de investering.
"""

WATER = """Waterbeheer en klimaatadaptatie

Het waterschap legt groene daken aan om hevige regenbuien op te vangen. Bewoners krijgen
subsidie als zij tegels uit hun tuin halen.
"""


class CountingE5(E5Embedder):
    """The real model, counting the texts it embeds as passages."""

    def __init__(self) -> None:
        super().__init__(threads=2)
        self.texts: list[str] = []

    def embed_passages(self, texts):  # noqa: ANN001, ANN201
        self.texts += list(texts)
        return super().embed_passages(texts)


def loaded(settings) -> SentenceIndex:  # noqa: ANN001
    store = ChromaStore(settings)
    info = store.active_info()
    chunks, _ = store.load(info.collection)
    return SentenceIndex.load(store, info.collection, chunks)


def sentence(index: SentenceIndex, doc_id: str, begins: str):  # noqa: ANN201
    return next(s for s in index.by_doc[doc_id] if s.text.startswith(begins))


def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "fiets.md").write_text(FIETS, encoding="utf-8")
    (folder / "water.txt").write_text(WATER, encoding="utf-8")
    return folder


def test_every_sentence_gets_the_vector_of_its_own_text(make_settings, tmp_path: Path) -> None:
    settings, folder, e5 = make_settings(), docs(tmp_path), CountingE5()
    report = run_ingest(settings, [folder], embedder=e5)
    assert report.ok and report.changed
    index = loaded(settings)
    every = [s for doc in index.by_doc.values() for s in doc]
    assert len(every) == 8
    for s in every:
        vector = index.vector(s)
        assert vector is not None and abs(float(np.linalg.norm(vector)) - 1.0) < 1e-5
        # The stored vector is the e5 passage vector of exactly the text the index shows.
        assert float(vector @ e5.embed_passages([s.text])[0]) > 0.999
    provincie = sentence(index, "fiets", "De provincie betaalt")
    query = e5.embed_queries(["Wie betaalt een derde van de investering?"])[0]
    scores = index.similarities(query, every)
    assert every[int(np.nanargmax(scores))] == provincie


def test_an_incremental_ingest_embeds_only_the_changed_document(make_settings, tmp_path: Path) -> None:
    settings, folder = make_settings(), docs(tmp_path)
    run_ingest(settings, [folder], embedder=CountingE5())
    before = loaded(settings)
    (folder / "water.txt").write_text(WATER + "\nHet waterschap plant ook bomen langs de dijken.\n", encoding="utf-8")
    e5 = CountingE5()
    report = run_ingest(settings, [folder], embedder=e5)
    assert report.updated == ["water"] and report.unchanged == ["fiets"]
    assert all(not t.startswith(("De regio", "De provincie", "Gemeenten")) for t in e5.texts)
    assert "Het waterschap plant ook bomen langs de dijken." in e5.texts
    after = loaded(settings)
    kept = sentence(after, "fiets", "De provincie")
    assert np.array_equal(after.vector(kept), before.vector(sentence(before, "fiets", "De provincie")))
    assert after.vector(sentence(after, "water", "Het waterschap plant")) is not None


def test_a_removal_keeps_the_other_documents_vectors_and_old_builds_go_with_theirs(make_settings, tmp_path: Path) -> None:
    settings = make_settings(store__build_grace_s=0)
    run_ingest(settings, [docs(tmp_path)], embedder=CountingE5())
    first = ChromaStore(settings).active_info().collection
    report = remove_documents(settings, ["water"])
    assert report.removed == ["water"]
    index = loaded(settings)
    assert set(index.by_doc) == {"fiets"}
    assert all(index.vector(s) is not None for s in index.by_doc["fiets"])
    names = {c.name for c in ChromaStore(settings).client.list_collections()}
    active = ChromaStore(settings).active_info().collection
    assert {active, active + SENTENCES} <= names
    assert first not in names and first + SENTENCES not in names


def test_a_build_without_sentence_vectors_answers_none(make_settings, tmp_path: Path) -> None:
    settings = make_settings()
    run_ingest(settings, [docs(tmp_path)], embedder=CountingE5())
    store = ChromaStore(settings)
    info = store.active_info()
    store.client.delete_collection(info.collection + SENTENCES)  # as a build made before they were stored
    chunks, _ = ChromaStore(settings).load(info.collection)
    index = SentenceIndex.load(ChromaStore(settings), info.collection, chunks)
    assert index.vectors == {}
    assert all(index.vector(s) is None for doc in index.by_doc.values() for s in doc)
    assert SentenceIndex.build(chunks).vector(index.by_doc["fiets"][0]) is None
    # The next ingest of a changed document embeds the sentences the old build lacked, for every document.
    (tmp_path / "docs" / "water.txt").write_text(WATER + "\nEen nieuwe zin over dijken.\n", encoding="utf-8")
    run_ingest(settings, [tmp_path / "docs"], embedder=CountingE5())
    assert all(loaded(settings).vector(s) is not None for doc in loaded(settings).by_doc.values() for s in doc)


def test_sentence_vectors_on_a_chroma_server(make_settings, tmp_path: Path) -> None:
    with chroma_server(tmp_path / "server-data") as url:
        settings = make_settings(store__chroma_url=url)
        run_ingest(settings, [docs(tmp_path)], embedder=CountingE5())
        index = loaded(settings)
        assert sum(len(d) for d in index.by_doc.values()) == 8
        assert all(index.vector(s) is not None for doc in index.by_doc.values() for s in doc)
