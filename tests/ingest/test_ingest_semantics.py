"""What an ingest run changes: unique passage ids, counts that agree, copies, the size limit,
additive paths, removal and file names as titles.

Real Chroma in tmp_path and the real e5 model; every document is a few
sentences, so each test embeds a handful of passages.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from ingest.pipeline import MSG_DUPLICATE, MSG_DUPLICATE_TEXT, run_ingest
from ingest.removal import MSG_NOT_INDEXED, remove_documents
from kb.knowledge_base import KnowledgeBase
from kb.store import ChromaStore

PARAGRAPH = ("De regio bouwt tot 2030 twaalfduizend extra fietsplekken bij de drukste stations. Gemeenten en ProRail "
             "delen de kosten, en de provincie betaalt een derde van de investering in stallingen.")
WATER = ("Het waterschap legt groene daken en wadi's aan om hevige regenbuien op te vangen. Bewoners krijgen "
         "subsidie als zij tegels uit hun tuin halen en er planten voor terugzetten.")
ZORG = ("De wijkteams van de gemeente werken samen met huisartsen en woningcorporaties. Zo krijgen ouderen "
        "sneller hulp, en hoeven zij hun verhaal maar één keer te vertellen.")


def folder(tmp_path: Path, name: str, files: dict[str, str | bytes]) -> Path:
    """A folder of documents without a sources file (titles and ids from the file names)."""
    path = tmp_path / name
    path.mkdir(parents=True, exist_ok=True)
    for file, content in files.items():
        if isinstance(content, bytes):
            (path / file).write_bytes(content)
        else:
            (path / file).write_text(content, encoding="utf-8")
    return path


def stored_count(settings) -> int:  # noqa: ANN001
    store = ChromaStore(settings)
    return store.count(store.active_info().collection)


def test_repeated_paragraphs_across_embedding_batches_never_crash_and_counts_agree(make_settings, e5, tmp_path: Path) -> None:
    # The same paragraph 24 times, split over passages that are embedded two at a time.
    text = "# Stallingen\n\n" + "\n\n".join([PARAGRAPH] * 24) + "\n\n# Herhaling\n\n" + "\n\n".join([PARAGRAPH] * 12)
    docs = folder(tmp_path, "docs", {"herhaald.md": text, "water.md": WATER})
    settings = make_settings(corpus_dir=docs, embedding__batch_size=2)
    report = run_ingest(settings, embedder=e5)
    assert report.ok and sorted(report.added) == ["herhaald", "water"]
    kb = KnowledgeBase(settings, embedder=e5)
    ids = [c.chunk_id for c in kb.chunks]
    texts = [c.text for c in kb.chunks if c.doc_id == "herhaald"]
    assert len(texts) > len(set(texts))  # identical passages exist, each kept at its own place
    assert len(ids) == len(set(ids)) == report.chunks == report.embedded == stored_count(settings)
    assert sum(r.chunks for r in kb.info.documents.values()) == report.chunks
    # Stable: the same file gives the same ids when everything is read again.
    again = run_ingest(settings, embedder=e5, rebuild=True)
    kb.refresh()
    assert [c.chunk_id for c in kb.chunks] == ids and again.chunks == report.chunks


def test_a_file_over_the_limit_is_refused_and_the_rest_ingested(make_settings, e5, tmp_path: Path) -> None:
    docs = folder(tmp_path, "docs", {"groot.txt": (WATER + "\n\n") * 40, "klein.txt": ZORG})
    settings = make_settings(corpus_dir=docs, ingest__max_mb=0.004)  # 4 KiB: groot.txt is 6.8 KiB
    report = run_ingest(settings, embedder=e5)
    assert [str(e) for e in report.failed] == [
        "groot.txt: het bestand is 6.8 KB; de grens is 4.1 KB (instelling OPGAVEWIJZER_INGEST__MAX_MB)"]
    assert report.added == ["klein"]


def test_a_copy_is_skipped_naming_the_original(make_settings, e5, tmp_path: Path) -> None:
    docs = folder(tmp_path, "docs", {"water.md": WATER, "zorg.md": ZORG})
    settings = make_settings(corpus_dir=docs)
    first = run_ingest(settings, embedder=e5)
    extra = folder(tmp_path, "extra", {
        "kopie van water.md": WATER,  # the same bytes under another name
        "zorg-utf16.txt": b"\xff\xfe" + ZORG.encode("utf-16-le"),  # the same text in another encoding
        "nieuw.md": PARAGRAPH,
        "z-kopie.md": PARAGRAPH,  # a copy within one run: the first one in name order wins
    })
    report = run_ingest(settings, [extra], embedder=e5)
    assert sorted((e.path.name, e.reason) for e in report.failed) == [
        ("kopie van water.md", MSG_DUPLICATE.format(other="water.md", doc_id="water")),
        ("z-kopie.md", MSG_DUPLICATE.format(other="nieuw.md", doc_id="nieuw")),
        ("zorg-utf16.txt", MSG_DUPLICATE_TEXT.format(other="zorg.md", doc_id="zorg")),
    ]
    assert report.added == ["nieuw"] and report.untouched == ["water", "zorg"]
    assert report.chunks == first.chunks + 1 == stored_count(settings)


def test_paths_are_added_next_to_the_index_and_leave_only_on_request(make_settings, e5, tmp_path: Path) -> None:
    docs = folder(tmp_path, "docs", {"water.md": WATER, "zorg.md": ZORG})
    settings = make_settings(corpus_dir=docs)
    first = run_ingest(settings, embedder=e5)
    extra = folder(tmp_path, "extra", {"fiets.md": PARAGRAPH, "leeg.md": ""})
    added = run_ingest(settings, [extra / "fiets.md"], embedder=e5)
    assert added.added == ["fiets"] and added.untouched == ["water", "zorg"] and added.removed == []
    # A run whose only file fails changes nothing and removes nothing.
    failed = run_ingest(settings, [extra / "leeg.md"], embedder=e5)
    assert [str(e) for e in failed.failed] == ["leeg.md: het bestand is leeg"]
    assert not failed.changed and failed.removed == [] and failed.collection == added.collection
    # The default run (corpus and uploads) leaves the added document alone.
    default = run_ingest(settings, embedder=e5)
    assert not default.changed and default.unchanged == ["water", "zorg"] and default.untouched == ["fiets"]
    # remove: by file name or doc id; an unknown name is reported, the others still removed.
    gone = remove_documents(settings, ["fiets.md", "onbekend"])
    assert gone.removed == ["fiets"] and [str(e) for e in gone.failed] == [f"onbekend: {MSG_NOT_INDEXED}"]
    assert gone.chunks == first.chunks == stored_count(settings)
    kb = KnowledgeBase(settings, embedder=e5)
    assert {c.doc_id for c in kb.chunks} == {"water", "zorg"}
    assert gone.notes == []  # fiets.md lies outside the corpus: nothing would bring it back
    again = remove_documents(settings, ["zorg"])
    assert again.notes == [f"zorg.md staat nog in {docs.name}/; 'opgavewijzer ingest' zonder paden neemt het weer op"]
    # --rebuild with paths: the index holds exactly those paths afterwards.
    rebuilt = run_ingest(settings, [extra / "fiets.md"], embedder=e5, rebuild=True)
    assert rebuilt.added == ["fiets"] and rebuilt.removed == ["water"]
    kb.refresh()
    assert {c.doc_id for c in kb.chunks} == {"fiets"}


def test_removing_an_upload_deletes_the_stored_copy(make_settings, e5, tmp_path: Path) -> None:
    settings = make_settings(corpus_dir=folder(tmp_path, "docs", {"water.md": WATER}))
    settings.uploads_dir.mkdir(parents=True)
    (settings.uploads_dir / "zorg.md").write_text(ZORG, encoding="utf-8")
    assert sorted(run_ingest(settings, embedder=e5).added) == ["water", "zorg"]
    report = remove_documents(settings, ["zorg"])
    assert report.removed == ["zorg"] and report.notes == ["zorg.md: ook uit de uploads verwijderd"]
    assert not (settings.uploads_dir / "zorg.md").exists()
    assert not run_ingest(settings, embedder=e5).changed  # the next ingest does not bring it back


def test_file_names_with_spaces_and_diacritics_are_kept_as_titles(make_settings, e5, tmp_path: Path) -> None:
    name = "Notitie café – Noord-Holland (v2).md"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / unicodedata.normalize("NFD", name)).write_text(WATER, encoding="utf-8")  # as a Mac writes it
    (docs / "zorg.md").write_text(ZORG, encoding="utf-8")
    settings = make_settings(corpus_dir=docs)
    report = run_ingest(settings, embedder=e5)
    kb = KnowledgeBase(settings, embedder=e5)
    doc_id = next(d for d in report.added if d != "zorg")
    record = kb.info.documents[doc_id]
    assert record.title == "Notitie café – Noord-Holland (v2)" and record.file == name
    hit = kb.search("subsidie voor tegels uit de tuin", top_k=1)[0]
    assert hit.title == "Notitie café – Noord-Holland (v2)"
    assert remove_documents(settings, [name]).removed == [doc_id]


def test_a_listed_document_keeps_its_sources_title(make_settings, e5, tmp_path: Path) -> None:
    docs = folder(tmp_path, "docs", {"water plan.md": WATER})
    (docs / "sources.json").write_text(json.dumps({"documents": [
        {"id": "waterplan", "file": "water plan.md", "title": "Waterplan 2030"}]}), encoding="utf-8")
    settings = make_settings(corpus_dir=docs)
    run_ingest(settings, embedder=e5)
    assert KnowledgeBase(settings, embedder=e5).info.documents["waterplan"].title == "Waterplan 2030"


def test_a_large_file_reports_its_stages(make_settings, tmp_path: Path) -> None:
    from ingest.inputs import InputDocument, title_for_file
    from ingest.pipeline import process_document
    from kb.types import SourceInfo

    sentences = [f"In wijk {i} werken {i % 7 + 2} teams samen met de bewoners aan de opgave van het jaar {2000 + i % 30}."
                 for i in range(13000)]
    path = tmp_path / "groot verslag.txt"
    path.write_text("\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, len(sentences), 5)), encoding="utf-8")
    assert path.stat().st_size > 1024 * 1024
    heard: list[str] = []
    source = SourceInfo(doc_id="groot", file=path.name, title=title_for_file(path))
    chunked = process_document(InputDocument(path, source), make_settings(), notify=heard.append)
    assert heard[0] == f"groot verslag.txt ({path.stat().st_size / 1024 / 1024:.1f} MB) lezen, opschonen en in passages delen…"
    assert re.fullmatch(rf"groot verslag\.txt: {len(chunked.chunks)} passages \(lezen en opschonen \d+\.\d s, "
                        r"delen \d+\.\d s\)", heard[1]) and len(heard) == 2
    assert chunked.text.count("teams samen met de bewoners") == 13000  # nothing lost on the way
