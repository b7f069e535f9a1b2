"""Leeropdracht drafts from the real gids: roles in and outside the gids, citations, exports.

Real components: the corpus index of the session (real Chroma, real e5), and
python-docx reading back the Word files written. The LLM in the rewrite tests
is the recording fake of ``tests/llm_server.py`` (see its docstring).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.answer.engine import Assistant
from assistant.leeropdracht.export import leeropdracht_to_docx, leeropdracht_to_markdown
from assistant.types import CitedText, Leeropdracht
from opgavewijzer.errors import AssistantError
from opgavewijzer.settings import Settings
from tests.llm_server import RecordingLLM

pytestmark = pytest.mark.slow
SITUATION = ("Ik begin volgende maand als ambtelijk opdrachtgever van de opgave energietransitie. Ik ben ook "
             "afdelingshoofd Duurzaamheid en ben bang dat mijn lijnwerk alle aandacht opslokt.")


@pytest.fixture(scope="module")
def assistant(corpus_settings: Settings, corpus_kb) -> Assistant:  # noqa: ANN001
    return Assistant(corpus_settings, corpus_kb)


def items(draft: Leeropdracht) -> list[CitedText]:
    return [i for i in (draft.strength, draft.pitfall, *draft.questions, draft.exercise, draft.reflection) if i is not None]


def assert_cites_resolve(draft: Leeropdracht) -> None:
    numbers = {c.n for c in draft.citations}
    assert [c.n for c in draft.citations] == list(range(1, len(numbers) + 1))
    assert {n for i in items(draft) for n in i.cites} == numbers  # every source is used, every cite resolves
    for c in draft.citations:
        assert c.passage[c.quote_start:c.quote_end] == c.quote


def test_role_from_the_gids(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("ambtelijk opdrachtgever", SITUATION)
    assert (draft.role, draft.role_in_gids, draft.context) == ("Ambtelijk opdrachtgever", True, SITUATION)
    assert draft.title == "Leeropdracht ambtelijk opdrachtgever"
    assert draft.strength.text.startswith("De pot met goud van de ambtelijk opdrachtgever is dat hij de vertaalslag kan maken")
    assert draft.pitfall.text.startswith("Het lijnwerk vraagt helaas meestal de meeste aandacht")
    strength_source = draft.citations[draft.strength.cites[0] - 1]
    assert strength_source.doc_id == "vpng_gids" and draft.strength.text.startswith(strength_source.quote)
    assert [q.text[:40] for q in draft.questions] == [
        "Hoe zet ik mijn netwerk in om het werken", "Hoe zet ik mijn overzicht van wat er gem",
        "Hoe kan ik daarbij voldoende ruimte en r"]
    assert all(q.cites and draft.citations[q.cites[0] - 1].doc_id == "vpng_gids" for q in draft.questions)
    assert "(Ik begin volgende maand als ambtelijk opdrachtgever" in draft.exercise.text
    assert draft.reflection.cites == draft.pitfall.cites
    assert_cites_resolve(draft)


def test_everyday_title_is_mapped_and_said_so(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("teamleider", "Mijn mensen worden steeds vaker gevraagd voor opgaven.")
    assert draft.role == "Lijnmanager" and draft.role_in_gids
    assert "De rol 'teamleider' is opgevat als 'lijnmanager' uit de VPNG-gids." in draft.notes
    assert draft.strength.text.startswith("De pot met goud van de lijnmanager is zijn unieke positie.")


def test_role_with_one_gids_question_gets_more_from_other_sources(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("vakinhoudelijk medewerker", "Bewoners willen oplossingen die vakinhoudelijk niet optimaal zijn.")
    assert 3 <= len(draft.questions) <= 6
    assert draft.questions[0].text.startswith("Hoe zet ik mijn vakkennis in")
    extra = draft.questions[1:]
    for q in extra:
        assert q.text.startswith("Hoe ") and q.text.endswith("?")
        assert set(q.text.lower().rstrip("?").split()) & {"ik", "mijn", "we", "wij", "ons", "onze"}
    assert all(draft.citations[q.cites[0] - 1].doc_id != "vpng_gids" for q in extra if q.cites)
    assert_cites_resolve(draft)


def test_role_outside_the_gids_is_said_to_be_not_covered(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("communicatieadviseur", "Ik ondersteun de opgave aardgasvrije wijken.")
    assert not draft.role_in_gids and draft.role == "communicatieadviseur"
    assert draft.strength is None and draft.pitfall is None
    assert draft.notes[0].startswith("De VPNG-gids heeft geen leeropdracht voor de rol 'communicatieadviseur'.")
    assert 3 <= len(draft.questions) <= 6
    # Never another role's leeropdracht passed off as this one's.
    for c in draft.citations:
        if c.doc_id == "vpng_gids":
            assert "pot met goud" not in c.quote and not c.quote.startswith("Hoe ")
    assert draft.citations and all(n in {c.n for c in draft.citations} for n in draft.exercise.cites)
    assert_cites_resolve(draft)


def test_ambiguous_and_empty_roles_get_clear_errors(assistant: Assistant) -> None:
    with pytest.raises(AssistantError, match="niet eenduidig"):
        assistant.draft_leeropdracht("opdrachtgever")
    with pytest.raises(AssistantError, match="geef een rol op"):
        assistant.draft_leeropdracht("  ")


def test_markdown_export(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("lijnmanager", "Ik ben teamleider VTH.")
    md = leeropdracht_to_markdown(draft)
    assert md.startswith("# Leeropdracht lijnmanager\n")
    for heading in ("## Mijn kracht (pot met goud)", "## Mijn valkuil", "## Reflectievragen", "## Oefening in mijn eigen praktijk",
                    "## Reflectiemoment", "## Bronnen"):
        assert heading in md
    assert f"{draft.strength.text} [{draft.strength.cites[0]}]" in md
    assert f"1. {draft.questions[0].text} [{draft.questions[0].cites[0]}]" in md
    assert f"- [1] {draft.citations[0].title}" in md


def test_docx_export_can_be_read_back(assistant: Assistant, tmp_path: Path) -> None:
    from docx import Document

    draft = assistant.draft_leeropdracht("sturingsprofessional", "Ik ben projectleider stationsgebied.")
    path = leeropdracht_to_docx(draft, tmp_path / "uit" / "leeropdracht.docx")
    paragraphs = [p.text for p in Document(str(path)).paragraphs]
    assert paragraphs[0] == "Leeropdracht sturingsprofessional"
    assert "Reflectievragen" in paragraphs and "Bronnen" in paragraphs
    assert any(p.startswith("Hoe stel ik mij en de sturingsvorm") for p in paragraphs)
    with pytest.raises(AssistantError, match="leeropdracht.pdf: een Word-bestand moet op .docx eindigen"):
        leeropdracht_to_docx(draft, tmp_path / "leeropdracht.pdf")


def test_llm_rewrite_is_checked_and_kept_only_when_supported(corpus_settings: Settings, corpus_kb) -> None:  # noqa: ANN001
    base = Assistant(corpus_settings, corpus_kb).draft_leeropdracht("lijnmanager", "Ik ben teamleider VTH.")
    pitfall_n = base.pitfall.cites[0]
    reply = (f"OEFENING: Blauwe olifanten dansen op de maan [{pitfall_n}].\n"
             f"REFLECTIE: Ik kijk terug op momenten waarop lijnmanagers een strijd aangingen met andere managers "
             f"om hun afdelingsdoelen veilig te stellen [{pitfall_n}].")
    llm = RecordingLLM(reply)
    settings = corpus_settings.override(answer__mode="openai")
    draft = Assistant(settings, corpus_kb, llm=llm).draft_leeropdracht("lijnmanager", "Ik ben teamleider VTH.")
    prompt = llm.calls[0][1]
    assert '<bron id="1"' in prompt and "<situatie>\nIk ben teamleider VTH.\n</situatie>" in prompt
    assert draft.exercise == base.exercise  # the nonsense exercise failed the check; the assembled one stays
    assert "oefening: de herschreven tekst van het taalmodel kwam niet door de bronnencontrole" in draft.notes
    assert draft.reflection.text.startswith("Ik kijk terug op momenten waarop lijnmanagers")
    assert draft.reflection.cites == (pitfall_n,) and draft.mode == "openai"
    assert_cites_resolve(draft)
