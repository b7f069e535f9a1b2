"""Logins of the chat UI: names claimed by users, the maintainer, the cookie secret."""

from __future__ import annotations

import sqlite3
import stat
import threading
from pathlib import Path

from ui.auth import ROLE_MAINTAINER, ROLE_USER, Accounts, Login, ensure_auth_secret


def test_first_login_claims_the_name_and_later_logins_need_the_same_password(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path / "chat.sqlite3", maintainer_password="")
    assert accounts.login("  Anna   de Vries ", "geheim1") == Login("anna de vries", "Anna de Vries", ROLE_USER)
    assert accounts.login("anna DE vries", "geheim1") == Login("anna de vries", "anna DE vries", ROLE_USER)
    assert accounts.login("Anna de Vries", "iets anders") is None
    # Only a salted hash is stored.
    with sqlite3.connect(tmp_path / "chat.sqlite3") as conn:
        row = conn.execute("SELECT salt, hash FROM opgavewijzer_accounts").fetchone()
    assert b"geheim1" not in row[0] + row[1] and len(row[1]) == 32


def test_maintainer_needs_the_configured_password_and_does_not_exist_without_one(tmp_path: Path) -> None:
    closed = Accounts(tmp_path / "a.sqlite3", maintainer_password="")
    assert closed.login("beheerder", "") is None
    assert closed.login("beheerder", "wat dan ook") is None
    open_ = Accounts(tmp_path / "b.sqlite3", maintainer_password="s3cret!")
    login = open_.login("Beheerder", "s3cret!")
    assert login == Login("beheerder", "Beheerder", ROLE_MAINTAINER) and login.is_maintainer
    assert open_.login("beheerder", "s3cret") is None


def test_names_that_cannot_be_logins_are_refused(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path / "chat.sqlite3", maintainer_password="")
    for name in ("", " ", "a", "x" * 41, "<script>", "naam\x00"):
        assert accounts.login(name, "pw") is None, name
    assert accounts.login("Jan", "") is None


def test_two_first_logins_at_once_cannot_both_claim_a_name(tmp_path: Path) -> None:
    accounts = Accounts(tmp_path / "chat.sqlite3", maintainer_password="")
    results: dict[str, Login | None] = {}
    threads = [threading.Thread(target=lambda pw=pw: results.__setitem__(pw, accounts.login("Piet", pw)))
               for pw in ("wachtwoord-a", "wachtwoord-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(v is not None for v in results.values()) == [False, True]


def test_auth_secret_is_created_once_private_and_reused(tmp_path: Path, make_settings) -> None:
    settings = make_settings()
    first = ensure_auth_secret(settings)
    path = settings.data_dir / "chainlit_auth_secret"
    assert len(first) >= 48
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_auth_secret(settings) == first
