"""Leeropdracht drafts from the real corpus: roles in, folded into and outside the gids, two roles, a team, exports.

Real components: the corpus index of the session (real Chroma, real e5), and
python-docx reading back the Word files written. The LLM in the rewrite tests
is the recording fake of ``tests/llm_server.py`` (see its docstring).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.answer.engine import Assistant
from assistant.leeropdracht.export import leeropdracht_to_docx, leeropdracht_to_markdown
from assistant.leeropdracht.page import MAX_WORDS, words
from assistant.leeropdracht.wording import without_sic
from assistant.types import CitedText, Leeropdracht
from opgavewijzer.cli import main
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
    parts = [t for p in draft.parts for t in (*p.description, p.strength, p.pitfall, *p.asks, p.motto) if t is not None]
    return [*parts, *draft.closest, *draft.reading, *draft.questions, draft.exercise, draft.reflection]


def assert_cites_resolve(draft: Leeropdracht) -> None:
    numbers = {c.n for c in draft.citations}
    assert [c.n for c in draft.citations] == list(range(1, len(numbers) + 1))
    assert {n for i in items(draft) for n in i.cites} == numbers  # every source is used, every cite resolves
    for c in draft.citations:
        assert c.passage[c.quote_start:c.quote_end] == c.quote
    for item in items(draft):  # a quote in our own text stands in a passage it cites
        for quote in [without_sic(q.split("”")[0]) for q in item.text.split("“")[1:]]:
            assert any(" ".join(quote.split()) in " ".join(c.passage.split()) for c in draft.citations if c.n in item.cites)


def cited_docs(draft: Leeropdracht, item: CitedText) -> set[str]:
    return {c.doc_id for c in draft.citations if c.n in item.cites}


def test_a_role_of_the_gids_in_a_situation(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("ambtelijk opdrachtgever", SITUATION)
    assert (draft.role, draft.role_in_gids, draft.context, draft.group) == ("Ambtelijk opdrachtgever", True, SITUATION, False)
    assert draft.title == "Leeropdracht ambtelijk opdrachtgever"
    # Whole paragraphs, labelled with the appendix and the role's own section.
    assert draft.strength.text.startswith("“De pot met goud van de ambtelijk opdrachtgever is dat hij de vertaalslag kan maken")
    assert draft.strength.text.endswith("als hij werkt aan een opgave.”")
    source = draft.citations[draft.strength.cites[0] - 1]
    assert (source.doc_id, source.section) == ("vpng_gids", "Bijlage 3 > Leeropdracht ambtelijk opdrachtgever")
    assert draft.pitfall.text.startswith("“Het lijnwerk vraagt helaas meestal de meeste aandacht")
    assert [q.text[1:41] for q in draft.questions] == [
        "Hoe zet ik mijn netwerk in om het werken", "Hoe zet ik mijn overzicht van wat er gem",
        "Hoe kan ik daarbij voldoende ruimte en r"]
    assert "Kracht, valkuil en vragen voor de ambtelijk opdrachtgever komen uit de VPNG-inspiratiegids, Bijlage 3 " \
           "(‘Leeropdracht ambtelijk opdrachtgever’)." in draft.notes
    assert not any("ambachtelijk" in n for n in draft.notes)
    part = draft.parts[0]
    assert part.description and all(cited_docs(draft, t) == {"vpng_gids"} for t in part.description)
    # About a page: the summing-up line ("Richting en ruimte geven aan de sturingsproffesionals …") is the first of
    # the guide's own texts to go when the draft runs long, and no quote stands twice.
    assert words(draft) <= MAX_WORDS and part.motto is None
    md = leeropdracht_to_markdown(draft)
    quotes = [q for q in re.findall(r"“([^”]+)”", md) if len(q.split()) >= 4]
    assert len(quotes) == len(set(quotes))
    # The exercise is an action in this opgave, built on a cited passage that is not the role's own section.
    assert draft.exercise.text.startswith("In de opgave energietransitie kies ik de komende vier weken één overleg")
    assert "dat mijn lijnwerk alle aandacht opslokt" in draft.exercise.text and SITUATION not in draft.exercise.text
    practice = [c for c in draft.citations if c.n in draft.exercise.cites and "Leeropdracht" not in c.section]
    assert practice and all("pot met goud" not in c.quote for c in practice)
    assert "de bestuurlijk opdrachtgever en de sturingsprofessional(s) die ik aanstuur" in draft.reflection.text
    assert_cites_resolve(draft)


def test_an_administrator_reflects_with_the_driehoek_not_with_a_manager(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("wethouder", "Ik ben wethouder Wonen. Over anderhalf jaar zijn er verkiezingen.")
    assert draft.role == "Bestuurlijk opdrachtgever"
    assert "In de VPNG-inspiratiegids is de wethouder de bestuurlijk opdrachtgever; de leeropdracht uit Bijlage 3 voor die " \
           "rol is hier gebruikt." in draft.notes
    assert "leidinggevende" not in draft.reflection.text + draft.exercise.text
    assert "mijn ambtelijk opdrachtgever" in draft.reflection.text and "collega-wethouder" in draft.reflection.text
    assert "over anderhalf jaar zijn er verkiezingen" in draft.exercise.text


def test_a_role_the_appendix_folds_into_another_is_recognised(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("opgavemanager", "Ik ben opgavemanager Klimaat en onderhandel met drie afdelingshoofden.")
    assert draft.role == "Opgavemanager" and draft.role_in_gids
    assert draft.notes[0] == ("De VPNG-inspiratiegids bespreekt de opgavemanager in de hoofdtekst; in Bijlage 3 valt deze rol "
                              "onder de leeropdracht van de ambtelijk opdrachtgever. Die is hier gebruikt.")
    assert draft.parts[0].description[0].text.startswith("“De opgavemanager is diegene die het verder brengen")
    assert draft.strength.text.startswith("“De pot met goud van de ambtelijk opdrachtgever")
    assert "drie afdelingshoofden" in draft.exercise.text
    # Freed for the position, an opgavemanager gets the risk the guide names for that position, not the pitfall of
    # someone who does the role beside line work.
    assert draft.pitfall.text.startswith("“Los van het gekozen model moet de positionering van een opgavemanager stevig zijn")
    assert "lijnwerk" not in draft.pitfall.text and any("naast ander werk" in n for n in draft.notes)


def test_a_role_outside_the_gids_is_said_to_be_so_and_gets_the_closest_material(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("communicatieadviseur", "Ik ondersteun de opgave aardgasvrije wijken.")
    assert (draft.role, draft.role_in_gids, draft.strength, draft.pitfall) == ("Communicatieadviseur", False, None, None)
    assert draft.notes[0].startswith("De VPNG-inspiratiegids heeft in Bijlage 3 geen leeropdracht voor de rol "
                                     "'communicatieadviseur' en beschrijft die rol ook niet.")
    assert draft.closest and any(cited_docs(draft, t) == {"vpng_gids"} for t in draft.closest)
    assert 3 <= len(draft.questions) <= 6
    # Never another role's leeropdracht passed off as this one's.
    assert all("pot met goud" not in c.quote and "Bijlage 3" not in c.section for c in draft.citations)
    assert "In de opgave aardgasvrije wijken kies ik" in draft.exercise.text and draft.exercise.cites
    assert_cites_resolve(draft)


def test_a_role_the_gids_describes_only_in_its_main_text(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("gebiedsmanager", "Ik werk in een wijk in transformatie samen met meerdere opgavemanagers.")
    assert (draft.role_in_gids, draft.strength) == (False, None)
    assert draft.notes[0].startswith("Bijlage 3 van de VPNG-inspiratiegids heeft geen leeropdracht voor de gebiedsmanager. "
                                     "De gids beschrijft de rol wel in de hoofdtekst")
    assert draft.parts[0].description[0].text.startswith("“Een gebiedsmanager is degene die")
    assert "de opgavemanagers met wie ik in het gebied samenwerk" in draft.reflection.text


def test_two_roles_at_once(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("lijnmanager en ambtelijk opdrachtgever", "Ik ben afdelingshoofd Ruimte en ambtelijk "
                                         "opdrachtgever van de opgave binnenstad.")
    assert [p.name for p in draft.parts] == ["lijnmanager", "ambtelijk opdrachtgever"]
    assert draft.title == "Leeropdracht lijnmanager en ambtelijk opdrachtgever"
    assert all(p.strength and p.strength.text.startswith(f"“De pot met goud van de {p.name}") for p in draft.parts)
    assert "mijn rollen als lijnmanager en als ambtelijk opdrachtgever botsen" in draft.exercise.text
    assert 3 <= len(draft.questions) <= 6
    assert {q.text[1:31] for q in draft.questions} >= {"Hoe bouw ik aan een cultuur wa", "Hoe zet ik mijn netwerk in om "}
    md = leeropdracht_to_markdown(draft)
    assert "## Mijn kracht (pot met goud) als lijnmanager" in md and "## Mijn kracht (pot met goud) als ambtelijk opdrachtgever" in md
    assert_cites_resolve(draft)


def test_a_team_in_one_role(assistant: Assistant) -> None:
    draft = assistant.draft_leeropdracht("team van beleidsadviseurs", "Wij pakken samen de opgave eenzaamheid onder ouderen op.")
    assert (draft.group, draft.title) == (True, "Leeropdracht beleidsadviseur (voor een team)")
    assert draft.exercise.text.startswith("In de opgave eenzaamheid onder ouderen kiezen wij de komende vier weken")
    assert "kijken wij als team terug" in draft.reflection.text
    assert "De vragen uit de gids staan in de ik-vorm; bespreek ze als team." in draft.notes


def test_ambiguous_and_empty_roles_get_clear_errors(assistant: Assistant) -> None:
    with pytest.raises(AssistantError, match="niet eenduidig"):
        assistant.draft_leeropdracht("opdrachtgever")
    with pytest.raises(AssistantError, match="geef een rol op"):
        assistant.draft_leeropdracht("  ")


def test_exports_keep_every_citation(assistant: Assistant, tmp_path: Path) -> None:
    from docx import Document

    draft = assistant.draft_leeropdracht("sturingsprofessional", "Ik ben projectleider van het stationsgebied.")
    md = leeropdracht_to_markdown(draft)
    paragraphs = [p.text for p in Document(str(leeropdracht_to_docx(draft, tmp_path / "lo.docx"))).paragraphs]
    markers = {f"[{c.n}]" for c in draft.citations}
    assert all(m in md for m in markers) and all(any(m in p for p in paragraphs) for m in markers)
    bronnen = md.split("## Bronnen\n\n")[1].splitlines()
    assert len(bronnen) == len(draft.citations) and all(line.startswith(f"- [{i}] ") for i, line in enumerate(bronnen, 1))
    # One line per source, without the quoted words again.
    assert any(line.endswith("— Bijlage 3, Leeropdracht sturingsprofessional") for line in bronnen)
    assert not any("“" in line for line in bronnen)


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


def test_llm_rewrite_with_an_invented_quote_is_refused(corpus_settings: Settings, corpus_kb) -> None:  # noqa: ANN001
    base = Assistant(corpus_settings, corpus_kb).draft_leeropdracht("lijnmanager", "Ik ben teamleider VTH.")
    n = base.pitfall.cites[0]
    reply = (f"OEFENING: De gids zegt: “lijnmanagers moeten elke week taart bakken voor de opgave” [{n}].\n"
             f"REFLECTIE: Ik kijk terug op momenten waarop lijnmanagers een strijd aangingen met andere managers [{n}].")
    settings = corpus_settings.override(answer__mode="openai")
    draft = Assistant(settings, corpus_kb, llm=RecordingLLM(reply)).draft_leeropdracht("lijnmanager", "Ik ben teamleider VTH.")
    assert draft.exercise == base.exercise and "taart" not in leeropdracht_to_markdown(draft)


def test_cli_reads_a_free_request(corpus_settings: Settings, corpus_kb, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,  # noqa: ANN001
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("OPGAVEWIJZER_DATA_DIR", str(corpus_settings.data_dir))
    monkeypatch.setenv("OPGAVEWIJZER_ANSWER__MODE", "extractive")
    monkeypatch.chdir(tmp_path)
    request = "Maak een leeropdracht voor een communicatieadviseur die de opgave aardgasvrije wijken ondersteunt."
    assert main(["leeropdracht", request, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["role"], data["role_in_gids"]) == ("Communicatieadviseur", False)
    assert data["context"] == "Een communicatieadviseur die de opgave aardgasvrije wijken ondersteunt."
    assert main(["leeropdracht", request, "--rol", "lijnmanager", "--format", "json"]) == 0  # --rol goes first
    assert json.loads(capsys.readouterr().out)["role"] == "Lijnmanager"
    assert main(["leeropdracht", "Maak een leeropdracht"]) == 2
    err = capsys.readouterr().err  # no function at all: refused, with the roles the guide has
    assert "fout: in de vraag staat geen functie of rol" in err
    assert "De gids heeft leeropdrachten voor: bestuurlijk opdrachtgever, ambtelijk opdrachtgever" in err
