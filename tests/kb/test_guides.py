"""Source guides as stored with a build: the JSON round trip and the checked questions beside the build."""

from __future__ import annotations

from pathlib import Path

from kb.guides import (GUIDE_KEY, GUIDE_VERSION, DocumentGuide, KeyPoint, guides_from_extras, load_checked_questions,
                       save_checked_questions)
from kb.store import ChromaStore
from opgavewijzer.settings import Settings


def _guide() -> DocumentGuide:
    point = KeyPoint(text="Opgaven vragen om samenwerking.", chunk_id="doc:abc", start=10, end=41,
                     section="2. Bevindingen", page=3, source="summary")
    return DocumentGuide(doc_id="doc", title="Een rapport", short_title="Rapport", names={"nl": "het rapport"},
                         kind="rapport", publisher="Een uitgever", date="2024", chapters=("1. Inleiding",),
                         points=(point,), terms=("samenwerking",), questions=("Waar gaat het rapport over?",),
                         summary_heading="Samenvatting", words=120)


def test_a_guide_survives_the_round_trip_through_the_build_extras() -> None:
    guide = _guide()
    extras = {"doc": {GUIDE_KEY: guide.to_json(), "roles": []}, "other": {"roles": []}}
    assert guides_from_extras(extras) == {"doc": guide}


def test_a_guide_of_another_version_is_not_read_back() -> None:
    stored = {**_guide().to_json(), "version": GUIDE_VERSION + 1}
    assert guides_from_extras({"doc": {GUIDE_KEY: stored}}) == {}
    assert guides_from_extras({"doc": "not a mapping"}) == {}


def test_checked_questions_are_kept_per_build_and_replace_those_of_older_builds(tmp_path: Path) -> None:
    store = ChromaStore(Settings(_env_file=None, data_dir=tmp_path / "data"))
    assert load_checked_questions(store, "b1") is None  # never checked: no questions, not an empty list
    save_checked_questions(store, "b1", {"doc": ["Wat zegt het rapport over ‘samenwerking’?"]})
    assert load_checked_questions(store, "b1") == {"doc": ("Wat zegt het rapport over ‘samenwerking’?",)}
    save_checked_questions(store, "b2", {"doc": []})
    assert load_checked_questions(store, "b2") == {"doc": ()}
    assert load_checked_questions(store, "b1") is None
