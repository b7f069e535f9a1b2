"""Accounts files of an older version (one per server) taken into the chat database once, nothing lost.

The old files are written here exactly as the older version wrote them: its
two tables, a salted scrypt hash per account, open sessions by their raw id.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import time
from pathlib import Path
from typing import Iterator

import pytest

from opgavewijzer.errors import AccountError
from tests.ui.conftest import BACKENDS
from ui.account_import import import_accounts_file
from ui.auth import Accounts, Login
from ui.sessions import SessionList
from ui.shared_db import SharedDb
from ui.store import ensure_schema

OLD_SCHEMA = """
CREATE TABLE opgavewijzer_accounts (identifier TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL,
    source TEXT NOT NULL, salt BLOB NOT NULL, hash BLOB NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE opgavewijzer_sessions (sid TEXT PRIMARY KEY, identifier TEXT NOT NULL, role TEXT NOT NULL,
    source TEXT NOT NULL, created REAL NOT NULL, expires REAL NOT NULL);
"""


def account(name: str, password: str, role: str = "gebruiker", source: str = "local") -> tuple:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return (name.lower(), name, role, source, salt, digest, "2025-03-01T09:00:00")


def old_file(path: Path, accounts: list[tuple], sessions: list[tuple] = ()) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMA)
        conn.executemany("INSERT INTO opgavewijzer_accounts VALUES (?, ?, ?, ?, ?, ?, ?)", accounts)
        conn.executemany("INSERT INTO opgavewijzer_sessions VALUES (?, ?, ?, ?, ?, ?)", sessions)
    conn.close()
    return path


@pytest.fixture
def db(db_url: str) -> Iterator[SharedDb]:
    ensure_schema(db_url)
    shared = SharedDb(db_url)
    yield shared
    shared.close()


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_two_servers_files_are_taken_over_once_and_a_name_with_two_passwords_is_reported(
        tmp_path: Path, db: SharedDb) -> None:
    now = time.time()
    piet = account("Piet", "piets-wachtwoord")  # the same record in both files (the file was copied)
    first = old_file(tmp_path / "a" / "accounts.sqlite3",
                     [account("Anna", "annas-eerste"), piet, account("Beheerder", "oud-beheer", "beheerder", "settings")],
                     [("sid-anna-a", "anna", "gebruiker", "local", now, now + 3600),
                      ("sid-oud", "piet", "gebruiker", "local", now - 7200, now - 3600),
                      ("sid-sso", "kees@min.nl", "gebruiker", "oidc:generic", now, now + 3600)])
    second = old_file(tmp_path / "b" / "accounts.sqlite3",
                      [account("Anna", "annas-tweede", "beheerder"), piet, account("Joke", "jokes-wachtwoord")],
                      [("sid-anna-b", "anna", "beheerder", "local", now, now + 3600)])
    one = import_accounts_file(db, first)
    assert (one.added, one.present, one.conflicts, one.sessions) == (("anna", "piet"), (), (), 2)
    assert one.kept_as == first.with_name("accounts.sqlite3.overgezet") and one.kept_as.exists() and not first.exists()
    two = import_accounts_file(db, second)
    assert (two.added, two.present, two.conflicts, two.sessions) == (("joke",), ("piet",), ("anna",), 0)
    assert two.message().splitlines() == [
        f"Accounts uit {second} overgezet naar de chatdatabase: 1 nieuw, 1 waren er al, 0 open sessie(s) "
        f"meegenomen. Het oude bestand is bewaard als {two.kept_as}.",
        f"LET OP: 'anna' staat al in de chatdatabase met een ander wachtwoord of een andere rol. Het account uit "
        f"{second} is niet overgenomen (het staat nog in {two.kept_as}); de chatdatabase houdt het hare. "
        f"Zo nodig: opgavewijzer users reset 'anna'"]
    accounts, sessions = Accounts(db), SessionList(db, 3600)
    assert accounts.login("anna", "annas-eerste") == Login("anna", "Anna", "gebruiker")
    assert accounts.login("anna", "annas-tweede") is None  # not merged, not overwritten
    assert accounts.login("joke", "jokes-wachtwoord") and accounts.login("piet", "piets-wachtwoord")
    assert [a.identifier for a in accounts.list()] == ["anna", "joke", "piet"]  # the settings' beheerder is not taken
    assert sessions.check("sid-anna-a", "anna") is not None and sessions.check("sid-sso", "kees@min.nl") is not None
    assert sessions.check("sid-anna-b", "anna") is None  # B's Anna is not this Anna
    assert import_accounts_file(db, first) is None and import_accounts_file(db, second) is None  # once


def test_a_file_that_is_no_database_is_named_and_left_alone(tmp_path: Path) -> None:
    ensure_schema(tmp_path / "chat.sqlite3")
    broken = tmp_path / "accounts.sqlite3"
    broken.write_bytes(b"dit is geen database" * 100)
    with pytest.raises(AccountError, match=f"{broken} is geen leesbaar accountbestand"):
        import_accounts_file(SharedDb(tmp_path / "chat.sqlite3"), broken)
    assert broken.read_bytes() == b"dit is geen database" * 100
    empty = tmp_path / "leeg" / "accounts.sqlite3"  # made by an older server that stopped before its tables
    empty.parent.mkdir()
    empty.touch()
    report = import_accounts_file(SharedDb(tmp_path / "chat.sqlite3"), empty)
    assert (report.added, report.sessions) == ((), 0) and report.kept_as.exists()
