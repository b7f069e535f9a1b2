"""Chunking: Dutch sentence splitting, the chunk invariants on the real corpus, sections and pages."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from ingest.chunking import ChunkedDocument, chunk_document
from opgavewijzer.text import sentence_spans as split_sentences
from ingest.cleaning import Block, clean_document
from ingest.loaders import load_document
from kb.sources import load_sources
from kb.types import Chunk, SourceInfo, place_at
from opgavewijzer.settings import PROJECT_ROOT, Settings
from tests.pdfs import TITLE_1, TITLE_2, TITLE_21, write_report_pdf

CORPUS = PROJECT_ROOT / "corpus"
SOURCES = load_sources(CORPUS / "sources.json")
SOURCE = SourceInfo(doc_id="test", file="test.txt", title="Test")


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@lru_cache(maxsize=None)
def corpus(doc_id: str) -> tuple[tuple[Block, ...], ChunkedDocument]:
    blocks = tuple(clean_document(load_document(CORPUS / SOURCES[doc_id].file)))
    return blocks, chunk_document(blocks, SOURCES[doc_id])


def words(n: int, word: str = "woord") -> str:
    return " ".join(f"{word}{i}" for i in range(n))


def prose(n_sentences: int, tag: str = "") -> str:
    """Sentences of ten words each."""
    return " ".join(f"Dit is zin {i}{tag} over de opgave en het werk samen." for i in range(n_sentences))


# --- sentences ------------------------------------------------------------------


def test_sentences_respect_dutch_abbreviations() -> None:
    text = ("Dit geldt bijv. Rotterdam en o.a. Den Haag. Zie d.w.z. Utrecht en m.b.t. Zwolle ook. "
            "Volgens prof. Van der Steen en dr. Jansen klopt dat. Het rapport van M. van der Steen en "
            "P.H.A. Frissen telt 8.200 woorden in hoofdstuk 2.1 en nr. 5 van de reeks. "
            "Projecten, programma's etc. zijn tijdelijk. Er zijn regels, formulieren, etc. De leefwereld telt.")
    assert sentences(text) == [
        "Dit geldt bijv. Rotterdam en o.a. Den Haag.",
        "Zie d.w.z. Utrecht en m.b.t. Zwolle ook.",
        "Volgens prof. Van der Steen en dr. Jansen klopt dat.",
        "Het rapport van M. van der Steen en P.H.A. Frissen telt 8.200 woorden in hoofdstuk 2.1 en nr. 5 van de reeks.",
        "Projecten, programma's etc. zijn tijdelijk.",
        "Er zijn regels, formulieren, etc.",
        "De leefwereld telt.",
    ]
    # Initials before a capitalised surname, as in the NSOB references.
    assert sentences("Van der Steen, M. Bressers, D. en Van Twist, M. (2016). The Sedimentation.") == [
        "Van der Steen, M. Bressers, D. en Van Twist, M. (2016).", "The Sedimentation."]


def test_sentences_with_questions_quotes_and_enumerations() -> None:
    assert sentences("1. Heb aandacht voor het samenspel. 2. Creëer ruimte! Wat nu? “Ga gewoon.” Zo gaat het") == [
        "1. Heb aandacht voor het samenspel.", "2. Creëer ruimte!", "Wat nu?", "“Ga gewoon.”", "Zo gaat het"]
    assert sentences("Het was in 2018. In 2021 volgde meer… En toen? Niets.") == [
        "Het was in 2018.", "In 2021 volgde meer…", "En toen?", "Niets."]
    assert sentences("Zonder punt aan het eind") == ["Zonder punt aan het eind"]


def test_sentence_spans_cover_every_word() -> None:
    text = "  Eerste zin. Tweede zin met o.a. iets.  Derde zin?  "
    spans = split_sentences(text)
    assert [text[s:e] for s, e in spans] == ["Eerste zin.", "Tweede zin met o.a. iets.", "Derde zin?"]
    assert " ".join(text[s:e] for s, e in spans).split() == text.split()
    assert split_sentences("") == [] and split_sentences("   ") == []


# --- invariants on the real corpus ----------------------------------------------


def expected_paths(blocks: tuple[Block, ...]) -> list[tuple[int, int, tuple[str, ...], Block]]:
    """(start, end, heading path, block) of every block in the cleaned text, computed independently."""
    out, path, offset = [], [], 0
    for block in blocks:
        if block.kind == "heading":
            path = [p for p in path if p[0] < block.level] + [(block.level, block.text)]
        out.append((offset, offset + len(block.text), tuple(t for _, t in path), block))
        offset += len(block.text) + 2
    return out


@pytest.mark.parametrize("doc_id", sorted(SOURCES))
def test_chunk_invariants_on_corpus(doc_id: str) -> None:
    blocks, chunked = corpus(doc_id)
    text = chunked.text
    assert text == "\n\n".join(b.text for b in blocks) and chunked.source == SOURCES[doc_id]
    assert [c.ordinal for c in chunked.chunks] == list(range(len(chunked.chunks)))
    spans = expected_paths(blocks)
    covered = bytearray(len(text))
    for i, chunk in enumerate(chunked.chunks):
        assert text[chunk.start:chunk.end] == chunk.text and chunk.text == chunk.text.strip()
        assert (chunk.doc_id, chunk.title) == (doc_id, SOURCES[doc_id].title)
        assert chunk.word_count <= 250, (chunk.ordinal, chunk.word_count)
        if chunk.word_count < 120:
            # Only a section under a marked heading whose neighbours sit beside it, not under it, stands alone.
            after = chunked.chunks[i + 1].section_path if i + 1 < len(chunked.chunks) else ()
            assert any(b.marked for b in blocks) and after[:len(chunk.section_path)] != chunk.section_path, (
                chunk.ordinal, chunk.word_count)
        # The section path is the one of the chunk's first text (headings included).
        first_text = next(s for s in spans if s[1] > chunk.start and s[3].kind == "text" and s[0] < chunk.end)
        assert chunk.section_path == first_text[2]
        # Every text block inside the passage is placed in its own section.
        for start, end, path, block in spans:
            if block.kind == "text" and chunk.start <= start < chunk.end:
                label, _ = place_at(start - chunk.start, chunk.places, chunk.section, chunk.page)
                assert label == " > ".join(path), (chunk.ordinal, block.text[:40])
        assert chunk.page is None
        covered[chunk.start:chunk.end] = b"\x01" * (chunk.end - chunk.start)
    assert all(covered[m.start()] for m in re.finditer(r"\S", text)), "a word is in no chunk"
    assert [c.start for c in chunked.chunks] == sorted(c.start for c in chunked.chunks)


def test_chunk_ids_are_stable_and_follow_the_text() -> None:
    blocks, chunked = corpus("bouwstenen_essay")
    again = chunk_document(list(clean_document(load_document(CORPUS / SOURCES["bouwstenen_essay"].file))),
                           SOURCES["bouwstenen_essay"])
    assert [c.chunk_id for c in again.chunks] == [c.chunk_id for c in chunked.chunks]
    assert len({c.chunk_id for c in chunked.chunks}) == len(chunked.chunks)
    # Change one word near the end: only the chunk(s) holding it get a new id.
    last = max(i for i, b in enumerate(blocks) if b.kind == "text")
    edited = list(blocks)
    edited[last] = Block("text", blocks[last].text.replace("organisatie!", "gemeente!"), blocks[last].level, None)
    changed = chunk_document(edited, SOURCES["bouwstenen_essay"])
    old, new = [c.chunk_id for c in chunked.chunks], [c.chunk_id for c in changed.chunks]
    assert old[:-1] == new[:-1] and old[-1] != new[-1]


def test_bouwstenen_sections_of_specific_chunks() -> None:
    _, chunked = corpus("bouwstenen_essay")
    chunk = next(c for c in chunked.chunks if "Betrek alle betrokken organisaties" in c.text)
    assert chunk.section_path[:2] == ("De bouwstenen voor succesvol opgavegericht werken",
                                      "1. Duidelijkheid over het waarom van de opgave")
    leiderschap = next(c for c in chunked.chunks if c.text.startswith("4. Leiderschap"))
    assert leiderschap.section_path == ("De bouwstenen voor succesvol opgavegericht werken", "4. Leiderschap")


# --- behaviour on small, exact inputs -------------------------------------------


def test_overlap_repeats_the_last_sentence_within_a_section() -> None:
    blocks = [Block("heading", "Opgaven", 1, None), Block("text", prose(60), 1, None)]
    chunked = chunk_document(blocks, SOURCE)
    assert len(chunked.chunks) >= 3
    for before, after in zip(chunked.chunks, chunked.chunks[1:]):
        shared = chunked.text[after.start:before.end]
        assert len(split_sentences(shared)) == 1 and before.text.endswith(shared)
        assert after.word_count <= 250
    none = chunk_document(blocks, SOURCE, overlap_sentences=0)
    assert all(a.end < b.start for a, b in zip(none.chunks, none.chunks[1:]))


def test_small_sections_are_merged_forward() -> None:
    blocks = [
        Block("heading", "A", 1, None), Block("text", prose(3, "a"), 1, None),
        Block("heading", "B", 1, None), Block("text", prose(3, "b"), 1, None),
        Block("heading", "C", 1, None), Block("text", prose(30, "c"), 1, None),
    ]
    chunked = chunk_document(blocks, SOURCE)
    first = chunked.chunks[0]
    assert first.text.startswith("A\n\nDit is zin 0a") and "B\n\nDit is zin 0b" in first.text
    assert first.section_path == ("A",)
    assert chunked.chunks[-1].section_path == ("C",)
    assert all(c.word_count <= 250 for c in chunked.chunks)
    # The merged passage still knows where B's own text starts: a quote from it is labelled B, not A.
    b = first.text.index("Dit is zin 0b")
    assert [(p.offset, p.section_path) for p in first.places[:1]] == [(b, ("B",))]
    assert place_at(b - 1, first.places, first.section, first.page) == ("A", None)
    assert place_at(b, first.places, first.section, first.page) == ("B", None)


def test_places_follow_sections_and_pages_inside_a_passage() -> None:
    blocks = [
        Block("heading", "Kop", 1, 1), Block("text", prose(3, "a"), 1, 1),
        Block("heading", "Onder", 2, 1), Block("text", prose(3, "b"), 2, 1),
        Block("text", prose(3, "c"), 2, 2),
    ]
    chunk = chunk_document(blocks, SOURCE).chunks[0]
    b, c = chunk.text.index("Dit is zin 0b"), chunk.text.index("Dit is zin 0c")
    assert [(p.offset, p.section_path, p.page) for p in chunk.places] == [
        (b, ("Kop", "Onder"), 1), (c, ("Kop", "Onder"), 2)]
    assert place_at(c + 5, chunk.places, chunk.section, chunk.page) == ("Kop > Onder", 2)
    # Stored as Chroma metadata and read back unchanged; a build from before places has none.
    assert Chunk.from_metadata(chunk.text, chunk.metadata()).places == chunk.places
    assert Chunk.from_metadata(chunk.text, {**chunk.metadata(), "places": ""}).places == ()


def test_a_monster_sentence_is_cut_at_word_boundaries() -> None:
    blocks = [Block("text", words(700), 0, None)]
    chunked = chunk_document(blocks, SOURCE)
    assert all(c.word_count <= 250 for c in chunked.chunks)
    assert " ".join(c.text for c in chunked.chunks).split() == words(700).split()
    assert chunked.chunks[0].section_path == ()


def test_empty_input_and_bad_parameters() -> None:
    assert chunk_document([], SOURCE).chunks == ()
    with pytest.raises(ValueError):
        chunk_document([], SOURCE, min_words=200, target_words=180)
    settings = Settings(_env_file=None)
    assert (settings.chunking.target_words, settings.chunking.max_words, settings.chunking.min_words) == (180, 250, 120)


def test_generated_pdf_chunks_have_sections_and_pages(tmp_path: Path) -> None:
    blocks = clean_document(load_document(write_report_pdf(tmp_path / "rapport.pdf")))
    chunked = chunk_document(blocks, SOURCE)
    by_word = {w: next(c for c in chunked.chunks if w in c.text)
               for w in ("professionalisering", "waterschappen moeten", "slagkracht")}
    assert (by_word["professionalisering"].page, by_word["professionalisering"].section_path) == (1, (TITLE_1,))
    assert (by_word["waterschappen moeten"].page, by_word["waterschappen moeten"].section_path) == (2, (TITLE_2,))
    assert (by_word["slagkracht"].page, by_word["slagkracht"].section_path) == (3, (TITLE_2, TITLE_21))
    assert by_word["slagkracht"].text.startswith(TITLE_21)
    # A small target forces several chunks per page; each keeps the page it starts on.
    small = chunk_document(blocks, SOURCE, target_words=50, max_words=70, min_words=30)
    spans = expected_paths(tuple(blocks))
    for chunk in small.chunks:
        start_block = next(s for s in spans if s[0] <= chunk.start < s[1] + 2)
        assert chunk.page == start_block[3].page and chunk.word_count <= 70
    assert {c.page for c in small.chunks} == {1, 2, 3}
