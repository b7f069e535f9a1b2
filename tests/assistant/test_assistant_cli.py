"""The ``ask`` and ``leeropdracht`` commands, run through the real command line entry point.

Real components: the session's corpus index, reached through the environment
exactly as a user's shell would (``OPGAVEWIJZER_DATA_DIR``).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opgavewijzer.cli import main
from opgavewijzer.settings import Settings

pytestmark = pytest.mark.slow


@pytest.fixture
def env(corpus_settings: Settings, corpus_kb, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:  # noqa: ANN001
    monkeypatch.setenv("OPGAVEWIJZER_DATA_DIR", str(corpus_settings.data_dir))
    monkeypatch.setenv("OPGAVEWIJZER_ANSWER__MODE", "extractive")
    monkeypatch.chdir(tmp_path)  # no stray .env file is read
    return tmp_path


def test_ask_file_prints_json_lines(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    questions = env / "vragen.txt"
    questions.write_text("Wat is de pot met goud van de lijnmanager?\n\nHeb je een goed recept voor erwtensoep?\n", encoding="utf-8")
    assert main(["ask", "--file", str(questions), "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["question"] for r in rows] == ["Wat is de pot met goud van de lijnmanager?", "Heb je een goed recept voor erwtensoep?"]
    assert set(rows[0]) == {"question", "answer", "refused", "partial", "missing", "kind", "lang", "mode", "citations"}
    assert (rows[0]["partial"], rows[0]["missing"], rows[0]["lang"]) == (False, [], "nl")
    assert (rows[0]["refused"], rows[0]["mode"], rows[1]["refused"], rows[1]["citations"]) == (False, "extractive", True, [])
    first = rows[0]["citations"][0]
    assert {"n", "doc_id", "chunk_id", "section", "page", "quote"} <= set(first)
    assert (first["n"], first["doc_id"], first["quote"]) == (1, "vpng_gids", "De pot met goud van de lijnmanager is zijn unieke positie.")


def test_ask_prints_the_answer_and_a_sources_list(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "Wat verstaan ze bij de NSOB onder 'momenten van de waarheid'?"]) == 0
    out = capsys.readouterr().out
    answer, sources = out.split("\nBronnen\n")
    assert "[1]" in answer
    assert sources.startswith("[1] De opgave aan tafel") and "    “" in sources


def test_ask_without_a_question_is_an_error(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask"]) == 2
    assert "fout: geef een vraag of --file, niet beide en niet geen van beide" in capsys.readouterr().err


def test_ask_in_an_unconfigured_llm_mode_is_an_error(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "Wat is een opgave?", "--mode", "ollama"]) == 2
    assert "fout: antwoordmodus 'ollama' vraagt een taalmodel" in capsys.readouterr().err


def test_leeropdracht_formats(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["leeropdracht", "--rol", "wethouder", "--situatie", "Ik ben wethouder Wonen.", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["role"], data["role_in_gids"], data["context"]) == ("Bestuurlijk opdrachtgever", True, "Ik ben wethouder Wonen.")
    assert data["strength"]["text"].startswith("“De pot met goud van de bestuurlijk opdrachtgever")  # verbatim, so quoted

    assert main(["leeropdracht", "--rol", "lijnmanager", "--out", str(env / "lo.md")]) == 0
    assert (env / "lo.md").read_text(encoding="utf-8").startswith("# Leeropdracht lijnmanager")

    assert main(["leeropdracht", "--rol", "lijnmanager", "--format", "docx", "--out", str(env / "lo.docx")]) == 0
    assert (env / "lo.docx").stat().st_size > 0

    assert main(["leeropdracht", "--rol", "lijnmanager", "--format", "docx"]) == 2
    assert "fout: --format docx vraagt --out BESTAND.docx" in capsys.readouterr().err
