"""The answer engine prepares what it derives from a new build before the build goes live."""

from __future__ import annotations

from assistant.answer.engine import Assistant
from kb.knowledge_base import KnowledgeBase
from kb.retriever import passage_text
from kb.store import ChromaStore, DocumentRecord, IndexInfo
from kb.types import Chunk


def build(store: ChromaStore, e5, doc_id: str, text: str) -> str:  # noqa: ANN001
    chunk = Chunk(doc_id, doc_id.title(), text, ("deel",), 0, len(text), 0)
    name = store.new_build()
    store.add(name, [chunk], e5.embed_passages([passage_text(chunk)]))
    store.activate(IndexInfo(name, e5.name, "test", "now", {doc_id: DocumentRecord(doc_id, f"{doc_id}.md", doc_id, "x", 1)}))
    return name


def test_the_view_of_a_new_build_is_ready_when_the_build_goes_live(make_settings, e5) -> None:  # noqa: ANN001
    settings = make_settings()
    store = ChromaStore(settings)
    old = build(store, e5, "fiets", "De regio bouwt twaalfduizend extra fietsplekken bij de drukste stations.")
    kb = KnowledgeBase(settings, embedder=e5)
    assistant = Assistant(settings, kb)
    assert assistant.index_state().collection == old
    new = build(store, e5, "water", "Het waterschap legt groene daken en wadi's aan tegen hevige regen.")
    assert kb.refresh() is True
    prepared = assistant._prepared
    assert prepared is not None and prepared.collection == new  # made before the swap, from the new build
    assert assistant.index_state() is prepared  # the first question after the swap does not build it again
