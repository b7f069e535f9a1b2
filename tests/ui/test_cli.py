"""The chat-UI commands: ``serve`` (its checks and environment) and ``feedback``."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from ui.store import ensure_schema
from opgavewijzer.cli import main
from opgavewijzer.cli.ui import APP_FILE, UI_ROOT, serve_command, serve_environment
from opgavewijzer.settings import Settings



def test_serve_without_an_index_says_what_to_do(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "8765"]) == 2
    assert capsys.readouterr().err.strip() == "fout: nog geen index: draai eerst 'opgavewijzer ingest' (of 'make run')"


def test_serve_refuses_a_port_that_does_not_exist(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert capsys.readouterr().err.strip() == "fout: poort 70000 bestaat niet (kies 1-65535)"


def test_server_command_and_environment(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path / "data").override(retrieval__top_k=7)
    assert serve_command("127.0.0.1", 8123) == [sys.executable, "-m", "chainlit", "run", str(APP_FILE), "--headless",
                                                 "--host", "127.0.0.1", "--port", "8123"]
    env = serve_environment(settings, {"PATH": "/usr/bin", "OPGAVEWIJZER_RETRIEVAL__TOP_K": "3"})
    assert env["CHAINLIT_APP_ROOT"] == str(UI_ROOT)
    assert env["OPGAVEWIJZER_RETRIEVAL__TOP_K"] == "7"  # the settings that were read win
    assert env["CHAINLIT_AUTH_SECRET"] == (settings.data_dir / "chainlit_auth_secret").read_text(encoding="utf-8")
    assert env["HF_HUB_OFFLINE"] == "1" and env["PATH"] == "/usr/bin"
    kept = serve_environment(settings, {"CHAINLIT_APP_ROOT": "/srv/ui", "CHAINLIT_AUTH_SECRET": "van-de-beheerder"})
    assert kept["CHAINLIT_APP_ROOT"] == "/srv/ui" and kept["CHAINLIT_AUTH_SECRET"] == "van-de-beheerder"


def test_feedback_command_prints_what_users_said(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["feedback"]) == 0
    assert capsys.readouterr().out == "Nog geen feedback.\n"
    db = data_dir / "chat.sqlite3"
    ensure_schema(db)
    with sqlite3.connect(db) as conn:
        conn.execute("""INSERT INTO threads ("id", "userIdentifier") VALUES ('t', 'anna')""")
        conn.execute("""INSERT INTO steps ("id", "name", "type", "threadId", "streaming", "output", "createdAt")
                        VALUES ('q', 'anna', 'user_message', 't', 0, 'Wat is een opgave?', '2025-05-01T09:00:00')""")
        conn.execute("""INSERT INTO steps ("id", "name", "type", "threadId", "streaming", "output", "createdAt")
                        VALUES ('a', 'Opgavewijzer', 'assistant_message', 't', 0, 'Een opgave is ... [1].', '2025-05-01T09:00:02')""")
        conn.execute("""INSERT INTO feedbacks VALUES ('f', 'a', 't', 0, 'Te vaag')""")
    assert main(["feedback"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "[-] 2025-05-01T09:00:02  anna",
        "    vraag:    Wat is een opgave?",
        "    antwoord: Een opgave is ... [1].",
        "    opmerking: Te vaag",
    ]
    assert main(["feedback", "--json"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row == {"created_at": "2025-05-01T09:00:02", "user": "anna", "value": 0, "comment": "Te vaag",
                   "question": "Wat is een opgave?", "answer": "Een opgave is ... [1].", "thread_id": "t"}


def test_documents_lists_shows_and_sets_metadata(data_dir: Path, tmp_path: Path, e5,  # noqa: ANN001
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from ingest.pipeline import run_ingest

    report = tmp_path / "evaluatie-wijkaanpak.md"
    report.write_text("# Evaluatie van de wijkaanpak in Holtenbroek\n\nRekenkamercommissie Holtenbroek, 3 februari 2025\n\n"
                      "Dit rapport beschrijft de wijkteams van Holtenbroek. Holtenbroek werkt in vier wijken.\n",
                      encoding="utf-8")
    run_ingest(Settings(_env_file=None, data_dir=data_dir), [report], embedder=e5)
    assert main(["documents"]) == 0
    assert capsys.readouterr().out == ("evaluatie_wijkaanpak     Evaluatie van de wijkaanpak in Holtenbroek  "
                                       "(rapport, Rekenkamercommissie Holtenbroek, 3 februari 2025)\n")
    assert main(["documents", "show", "evaluatie_wijkaanpak"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "evaluatie_wijkaanpak",
        "  titel:        Evaluatie van de wijkaanpak in Holtenbroek",
        "  korte titel:  Evaluatie van de wijkaanpak in Holtenbroek",
        "  soort:        rapport",
        "  uitgever:     Rekenkamercommissie Holtenbroek",
        "  datum:        3 februari 2025",
        "  aliassen:     Holtenbroek",
        "  onderwerpen:  wijkaanpak",
        "  namen:        nl: het rapport ‘Evaluatie van de wijkaanpak in Holtenbroek’; "
        "en: the report ‘Evaluatie van de wijkaanpak in Holtenbroek’",
        "  bestand:      evaluatie-wijkaanpak.md",
    ]
    assert main(["documents", "set", "evaluatie_wijkaanpak", "--title", "Wijkaanpak Holtenbroek",
                 "--alias", "wijkrapport", "--alias", "Holtenbroek"]) == 0
    out = capsys.readouterr().out
    assert "  aliassen:     wijkrapport, Holtenbroek\n" in out and out.endswith(
        "bewaard in documents.json in de datamap; de index toont het nu\n")
    assert main(["documents", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["evaluatie_wijkaanpak"]
    assert listed["title"] == "Wijkaanpak Holtenbroek" and listed["names"]["nl"] == "het rapport ‘Wijkaanpak Holtenbroek’"
    assert main(["documents", "show", "onbekend"]) == 2
    assert capsys.readouterr().err == "fout: 'onbekend' staat niet in de index (zie 'opgavewijzer documents')\n"
