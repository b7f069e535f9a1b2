"""``opgavewijzer ingest`` checks the guides' questions; ``opgavewijzer documents guide ID`` prints a guide."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opgavewijzer.cli import main
from tests.ingest.test_guide import WITH_SUMMARY, WITHOUT_SUMMARY

pytestmark = pytest.mark.slow


def test_ingest_checks_the_questions_and_the_guide_prints_as_markdown_and_json(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "wijk.md").write_text(WITH_SUMMARY, encoding="utf-8")
    (tmp_path / "energie.md").write_text(WITHOUT_SUMMARY, encoding="utf-8")
    monkeypatch.setenv("OPGAVEWIJZER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)  # no stray .env file is read
    assert main(["ingest", "--quiet", str(tmp_path / "wijk.md"), str(tmp_path / "energie.md")]) == 0
    assert "bronnengidsen: " in capsys.readouterr().out

    assert main(["documents", "guide", "energie", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["doc_id"] == "energie" and len(data["points"]) == 4
    assert isinstance(data["suggested_questions"], list)  # checked (a list, perhaps empty), not null
    assert data["suggested_questions"][0].startswith("Waar gaat ") and "questions" not in data

    assert main(["documents", "guide", "wijk"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("# Evaluatie van de wijkaanpak in Rivierstad\n")
    assert "## Kernpunten (uit ‘Samenvatting’" in text and "## Vragen die dit document goed beantwoordt" in text
    assert "Waar gaat" in text  # the overview question always passes: it is answered from the guide

    assert main(["documents", "guide", "bestaat_niet"]) == 2
    assert "'bestaat_niet' staat niet in de index" in capsys.readouterr().err


def test_a_rerun_finishes_a_question_check_an_earlier_run_did_not_complete(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "energie.md").write_text(WITHOUT_SUMMARY, encoding="utf-8")
    monkeypatch.setenv("OPGAVEWIJZER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    # The build goes live first; then the check fails (as when the run is stopped or the engine cannot start).
    import opgavewijzer.cli.guides as guides

    def broken(settings: object) -> tuple[int, int, float]:
        raise RuntimeError("gestopt tijdens de controle")

    real = guides.check_suggested_questions
    monkeypatch.setattr(guides, "check_suggested_questions", broken)
    with pytest.raises(RuntimeError):
        main(["ingest", "--quiet", str(tmp_path / "energie.md")])
    capsys.readouterr()
    monkeypatch.setattr(guides, "check_suggested_questions", real)

    assert main(["ingest", "--quiet", str(tmp_path / "energie.md")]) == 0
    out = capsys.readouterr().out
    assert "index is actueel" in out and "bronnengidsen: " in out  # nothing to ingest, but the check is done now
    assert main(["ingest", "--quiet", str(tmp_path / "energie.md")]) == 0
    assert "bronnengidsen: " not in capsys.readouterr().out  # and not again
