"""``opgavewijzer users`` (accounts made by a maintainer) and ``feedback`` printing what users wrote safely."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from opgavewijzer.cli import main
from opgavewijzer.cli.ui import printable
from tests.ui.test_account_import import account, old_file
from ui.auth import Accounts, Login
from ui.sessions import SessionList
from ui.shared_db import SharedDb


def run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_maintainer_adds_resets_and_removes_accounts(data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert run(monkeypatch, capsys, "users", "add", "Anna de Vries", "--password-stdin", stdin="lang-genoeg\n") == (
        0, "account 'Anna de Vries' gemaakt (gebruiker)\n", "")
    db = SharedDb(data_dir / "chat.sqlite3")  # the chat database: where every server on it looks
    accounts = Accounts(db)
    assert accounts.login("anna de vries", "lang-genoeg").role == "gebruiker"
    session = SessionList(db, 60).start("anna de vries", "gebruiker", "local")
    code, out, _ = run(monkeypatch, capsys, "users", "reset", "anna de vries", "--role", "beheerder", "--keep-password")
    assert code == 0 and out == "account 'anna de vries' gewijzigd; open sessies zijn beëindigd\n"
    assert SessionList(db, 60).check(session.sid, "anna de vries") is None
    assert accounts.login("anna de vries", "lang-genoeg").role == "beheerder"
    code, out, _ = run(monkeypatch, capsys, "users", "list")
    assert code == 0 and out.startswith("Anna de Vries") and "beheerder" in out
    assert run(monkeypatch, capsys, "users", "remove", "Anna de Vries")[0] == 0
    assert accounts.login("anna de vries", "lang-genoeg") is None


@pytest.mark.parametrize(("args", "stdin", "message"), [
    (("users", "add", "Kees", "--password-stdin"), "kort\n", "het wachtwoord moet minstens 8 tekens hebben"),
    (("users", "add", "Kees", "--role", "baas", "--password-stdin"), "lang-genoeg\n",
     "onbekende rol 'baas' (kies uit: gebruiker, beheerder)"),
    (("users", "add", "beheerder", "--password-stdin"), "lang-genoeg\n",
     "de naam 'beheerder' hoort bij de instelling OPGAVEWIJZER_UI__MAINTAINER_PASSWORD; kies een andere naam"),
    (("users", "remove", "Niemand"), "", "er is geen account 'Niemand'"),
    (("users", "reset", "Niemand", "--keep-password"), "", "--keep-password zonder --role wijzigt niets"),
])
def test_refusals_name_the_problem_in_dutch(data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str], args: tuple[str, ...], stdin: str,
                                            message: str) -> None:
    assert run(monkeypatch, capsys, *args, stdin=stdin) == (2, "", f"fout: {message}\n")


def test_the_first_command_takes_over_an_older_accounts_file_and_says_so(
        data_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    old = old_file(data_dir / "accounts.sqlite3", [account("Anna", "annas-wachtwoord", "beheerder")])
    code, out, err = run(monkeypatch, capsys, "users", "list")
    assert code == 0 and out.startswith("Anna ") and " beheerder  sinds 2025-03-01" in out
    assert err == (f"Accounts uit {old} overgezet naar de chatdatabase: 1 nieuw, 0 waren er al, 0 open sessie(s) "
                   f"meegenomen. Het oude bestand is bewaard als {old}.overgezet.\n")
    assert run(monkeypatch, capsys, "users", "logout", "Anna") == (0, "0 open sessie(s) van 'Anna' beëindigd\n", "")
    Accounts(SharedDb(data_dir / "chat.sqlite3")).vouched(Login("kees@min.nl", "Kees", "gebruiker", "oidc:generic"))
    out = run(monkeypatch, capsys, "users", "list")[1].splitlines()
    assert out[1].startswith("Kees ") and out[1].endswith("(single sign-on: generic)")


def test_feedback_is_printed_without_control_characters(data_dir: Path, monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    from ui.store import ensure_schema

    db = data_dir / "chat.sqlite3"
    ensure_schema(db)
    evil = "Goed\x1b[2J\x1b]0;gehackt\x07 \u202eomgekeerd\x9b31m"
    with sqlite3.connect(db) as conn:
        conn.execute("""INSERT INTO threads ("id", "userIdentifier") VALUES ('t', 'anna\x1b[31m')""")
        conn.execute("""INSERT INTO steps ("id", "name", "type", "threadId", "streaming", "output", "createdAt")
                        VALUES ('a', 'Opgavewijzer', 'assistant_message', 't', 0, 'Antwoord', '2025-05-01T09:00:02')""")
        conn.execute("INSERT INTO feedbacks VALUES ('f', 'a', 't', 1, ?)", (evil,))
    code, out, _ = run(monkeypatch, capsys, "feedback")
    assert code == 0 and "    opmerking: Goed[2J]0;gehackt omgekeerd31m" in out.splitlines()
    assert "[+] 2025-05-01T09:00:02  anna[31m" in out.splitlines()
    code, out, _ = run(monkeypatch, capsys, "feedback", "--json")
    assert code == 0 and not any(ch in out for ch in "\x1b\x07\u202e\x9b")
    assert printable("regel\neen\ttab") == "regel\neen\ttab"
