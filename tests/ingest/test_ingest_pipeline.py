"""The ingest run end to end: incremental, atomic (also when killed), forgiving with bad input.

Real Chroma in tmp_path, the real e5 model, real generated PDFs, and the real
command line in a subprocess where exit codes and a kill are part of the test.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ingest.pipeline import run_ingest
from ingest.removal import remove_documents
from kb.knowledge_base import KnowledgeBase
from kb.store import ChromaStore
from opgavewijzer.errors import EmbeddingMismatchError
from tests.pdfs import write_image_only_pdf, write_report_pdf, write_truncated_pdf

CLI = str(Path(sys.executable).with_name("opgavewijzer"))

FIETS = """# Fietsbeleid in de regio

## Stallingen bij stations

De regio bouwt tot 2030 twaalfduizend extra fietsplekken bij de drukste stations. Gemeenten en
ProRail delen de kosten, en de provincie betaalt een derde van de investering.

## Snelfietsroutes

Snelfietsroutes verbinden de woonwijken met de bedrijventerreinen. Forenzen fietsen zo sneller naar
hun werk, en de wegen raken minder verstopt in de spits.
"""

WATER = """Waterbeheer en klimaatadaptatie

Het waterschap legt groene daken en wadi's aan om hevige regenbuien op te vangen. Bewoners krijgen
subsidie als zij tegels uit hun tuin halen en er planten voor terugzetten.
"""


def mini_corpus(folder: Path) -> Path:
    """Three small documents in three formats, with a sources file for two of them."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fiets.md").write_text(FIETS, encoding="utf-8")
    (folder / "water.txt").write_text(WATER, encoding="utf-8")
    write_report_pdf(folder / "rapport.pdf")
    (folder / "sources.json").write_text(json.dumps({"documents": [
        {"id": "fietsbeleid", "file": "fiets.md", "title": "Fietsbeleid", "publisher": "Regio"},
        {"id": "waterplan", "file": "water.txt", "title": "Waterplan", "publisher": "Waterschap"},
        {"id": "testrapport", "file": "rapport.pdf", "title": "Testrapport", "publisher": "Provincie"},
    ]}), encoding="utf-8")
    return folder


def cli(*args: str, data: Path) -> subprocess.CompletedProcess:
    """Run the real command line against the index in ``data``."""
    env = {**os.environ, "OPGAVEWIJZER_DATA_DIR": str(data)}
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=300)


def test_incremental_ingest_embeds_only_what_changed(make_settings, e5, tmp_path: Path) -> None:
    corpus = mini_corpus(tmp_path / "corpus")
    settings = make_settings(corpus_dir=corpus)
    first = run_ingest(settings, embedder=e5)
    assert sorted(first.added) == ["fietsbeleid", "testrapport", "waterplan"] and first.ok
    assert first.embedded == first.chunks > 0

    again = run_ingest(settings, embedder=e5)
    assert not again.changed and again.embedded == 0 and again.collection == first.collection

    (corpus / "water.txt").write_text(WATER + "\nDe dijken worden verhoogd met een halve meter.\n", encoding="utf-8")
    third = run_ingest(settings, embedder=e5)
    assert third.updated == ["waterplan"] and sorted(third.unchanged) == ["fietsbeleid", "testrapport"]
    kb = KnowledgeBase(settings, embedder=e5)
    assert third.embedded == sum(1 for c in kb.chunks if c.doc_id == "waterplan")
    assert kb.search("Hoeveel hoger worden de dijken?", top_k=1)[0].doc_id == "waterplan"

    (corpus / "fiets.md").unlink()
    sources = json.loads((corpus / "sources.json").read_text())
    sources["documents"] = [d for d in sources["documents"] if d["id"] != "fietsbeleid"]
    (corpus / "sources.json").write_text(json.dumps(sources))
    fourth = run_ingest(settings, embedder=e5)  # ingest adds and updates; it never drops a document by itself
    assert not fourth.changed and fourth.removed == [] and fourth.untouched == ["fietsbeleid"]
    assert remove_documents(settings, ["fietsbeleid"]).removed == ["fietsbeleid"]
    kb.refresh()
    assert {c.doc_id for c in kb.chunks} == {"waterplan", "testrapport"}


def test_metadata_of_chunks_from_a_pdf(make_settings, e5, tmp_path: Path) -> None:
    settings = make_settings(corpus_dir=mini_corpus(tmp_path / "corpus"))
    run_ingest(settings, embedder=e5)
    kb = KnowledgeBase(settings, embedder=e5)
    hit = kb.search("Wie helpt partijen om afspraken over samenwerking vast te leggen?", top_k=1, doc_ids=["testrapport"])[0]
    assert hit.title == "Testrapport" and hit.page == 3
    assert hit.section.endswith("2.1 Samenwerking in de regio")
    chunk = kb.chunk(hit.chunk_id)
    assert chunk is not None and chunk.end - chunk.start == len(chunk.text)


def test_bad_files_are_named_and_the_rest_is_ingested(make_settings, e5, tmp_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "goed.md").write_text(FIETS, encoding="utf-8")
    write_truncated_pdf(folder / "kapot.pdf")
    write_image_only_pdf(folder / "scan.pdf")
    (folder / "binair.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (folder / "latin1.txt").write_bytes("Café en coördinatie".encode("latin-1"))
    (folder / "tabel.xlsx").write_bytes(b"PK\x03\x04")
    result = cli("ingest", "--quiet", str(folder), data=tmp_path / "data")
    assert result.returncode == 1
    expected = [
        "mislukt: kapot.pdf: de PDF is beschadigd en kan niet worden gelezen",
        "mislukt: scan.pdf: de PDF bevat geen leesbare tekst (alleen afbeeldingen?); lever een doorzoekbare PDF aan",
        "mislukt: binair.txt: dit is geen tekstbestand (binaire inhoud)",
        "mislukt: tabel.xlsx: bestandstype '.xlsx' wordt niet ondersteund (wel: .docx, .md, .pdf, .txt)",
    ]
    for line in expected:
        assert line in result.stderr
    assert "let op: latin1.txt: gelezen als Windows-1252 (geen UTF-8)" in result.stderr  # read, not refused
    assert "nieuw: goed, latin1\n" in result.stdout and "2 nieuw" in result.stdout and "4 mislukt" in result.stdout
    settings = make_settings(data_dir=tmp_path / "data")
    assert {c.doc_id for c in KnowledgeBase(settings, embedder=e5).chunks} == {"goed", "latin1"}


def test_a_document_that_breaks_keeps_its_previous_version(make_settings, e5, tmp_path: Path) -> None:
    corpus = mini_corpus(tmp_path / "corpus")
    settings = make_settings(corpus_dir=corpus)
    run_ingest(settings, embedder=e5)
    (corpus / "water.txt").write_bytes(b"\x00\xff" * 100)
    report = run_ingest(settings, embedder=e5)
    assert [e.path.name for e in report.failed] == ["water.txt"] and report.kept_previous == ["waterplan"]
    hit = KnowledgeBase(settings, embedder=e5).search("subsidie voor het weghalen van tegels", top_k=1)[0]
    assert hit.doc_id == "waterplan"


def test_switching_embedding_model_needs_rebuild(make_settings, e5, tmp_path: Path) -> None:
    settings = make_settings(corpus_dir=mini_corpus(tmp_path / "corpus"))
    run_ingest(settings, embedder=e5)

    class OtherModel:
        name = "other-model"

        def embed_passages(self, texts):  # noqa: ANN001, ANN202
            return e5.embed_passages(texts)

    with pytest.raises(EmbeddingMismatchError, match="run 'opgavewijzer ingest --rebuild'"):
        run_ingest(settings, embedder=OtherModel())
    assert run_ingest(settings, embedder=OtherModel(), rebuild=True).embedded > 0


def test_a_killed_build_leaves_the_previous_index_usable(make_settings, e5, tmp_path: Path) -> None:
    corpus = mini_corpus(tmp_path / "corpus")
    data = tmp_path / "data"
    # No grace period: the next ingest may remove the half-written build at once (see tests/kb/test_live_index.py).
    settings = make_settings(corpus_dir=corpus, store__build_grace_s=0)
    before = run_ingest(settings, embedder=e5)
    # A rebuild of a large document takes many batches; kill it after the first one is written.
    big = corpus.parent / "big"
    big.mkdir()
    (big / "groot.md").write_text("\n\n".join(f"## Deel {i}\n\n" + FIETS.split("\n", 1)[1] for i in range(30)))
    env = {**os.environ, "OPGAVEWIJZER_DATA_DIR": str(data), "OPGAVEWIJZER_EMBEDDING__BATCH_SIZE": "2"}
    proc = subprocess.Popen([CLI, "ingest", "--rebuild", str(big)], env=env, stderr=subprocess.PIPE, text=True)
    seen = ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and "Embedden" not in seen:
        seen += proc.stderr.read(1) or ""
    time.sleep(1.0)  # let at least one batch land in the new collection
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    store = ChromaStore(settings)
    assert store.active_info().collection == before.collection
    kb = KnowledgeBase(settings, embedder=e5)
    assert len(kb.chunks) == before.chunks
    assert kb.search("Wie betaalt een derde van de fietsplekken?", top_k=1)[0].doc_id == "fietsbeleid"
    # Each build is a collection of passages and one of sentence vectors ("…-sentences").
    assert len([c for c in store._client.list_collections() if c.name.startswith("opgavewijzer-b")]) == 4
    run_ingest(settings, embedder=e5)  # the next build removes the half-written one, with its sentences
    assert sorted(c.name for c in store._client.list_collections() if c.name.startswith("opgavewijzer-b")) == [
        store.active_info().collection, store.active_info().collection + "-sentences"]


def test_search_file_prints_json_lines(make_settings, e5, tmp_path: Path) -> None:
    settings = make_settings(corpus_dir=mini_corpus(tmp_path / "corpus"))
    run_ingest(settings, embedder=e5)
    questions = tmp_path / "vragen.txt"
    questions.write_text("Hoeveel fietsplekken komen erbij?\n\nWat doet het waterschap tegen hevige regen?\n", encoding="utf-8")
    result = cli("search", "--file", str(questions), "--top-k", "2", "--json", data=settings.data_dir)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [x["question"] for x in lines] == ["Hoeveel fietsplekken komen erbij?", "Wat doet het waterschap tegen hevige regen?"]
    assert all(len(x["results"]) == 2 for x in lines)
    assert set(lines[0]["results"][0]) == {"rank", "doc_id", "title", "section", "page", "chunk_id", "score", "text"}
    assert lines[0]["results"][0]["doc_id"] == "fietsbeleid" and lines[1]["results"][0]["doc_id"] == "waterplan"
    only = cli("search", "fietsplekken", "--doc", "waterplan", "--json", data=settings.data_dir)
    assert {r["doc_id"] for r in json.loads(only.stdout)["results"]} == {"waterplan"}


def test_search_without_index_gives_a_clear_error(tmp_path: Path) -> None:
    result = cli("search", "iets", data=tmp_path / "leeg")
    assert result.returncode == 2
    assert "fout: no index has been built yet: run 'opgavewijzer ingest' first" in result.stderr
