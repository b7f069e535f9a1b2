"""Accounts of the chat in its database: made by a maintainer, checked at login, changes end sessions; private files."""

from __future__ import annotations

import stat
import threading
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import select

from opgavewijzer.errors import AccountError
from tests.ui.conftest import BACKENDS
from ui.auth import (MSG_BAD_NAME, MSG_EXISTS, MSG_RESERVED, MSG_ROLE, MSG_SHORT_PASSWORD, MSG_UNKNOWN,
                     ROLE_MAINTAINER, ROLE_USER, Accounts, Login)
from ui.login_secret import ensure_auth_secret
from ui.schema import ACCOUNTS
from ui.sessions import SessionList
from ui.shared_db import SharedDb
from ui.store import ensure_schema


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def db(db_url: str) -> Iterator[SharedDb]:
    ensure_schema(db_url)
    shared = SharedDb(db_url)
    yield shared
    shared.close()


@pytest.fixture
def sqlite_db(tmp_path: Path) -> SharedDb:
    ensure_schema(tmp_path / "chat.sqlite3")
    return SharedDb(tmp_path / "chat.sqlite3")


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_an_account_made_by_the_maintainer_logs_in_with_its_password_only(db: SharedDb) -> None:
    accounts = Accounts(db)
    accounts.add("  Anna   de Vries ", "geheim-wachtwoord")
    assert accounts.login("anna DE vries", "geheim-wachtwoord") == Login("anna de vries", "Anna de Vries", ROLE_USER)
    assert accounts.login("Anna de Vries", "geheim-wachtwoorD") is None
    assert accounts.login("Piet", "geheim-wachtwoord") is None  # no self-registration by default
    salt, digest = db.call(lambda conn: conn.execute(select(ACCOUNTS.c.salt, ACCOUNTS.c.hash)).one())
    assert b"geheim" not in bytes(salt) + bytes(digest) and len(digest) == 32  # only a salted scrypt hash


def test_account_rules_give_clear_dutch_reasons(sqlite_db: SharedDb) -> None:
    accounts = Accounts(sqlite_db)
    accounts.add("Jan", "lang-genoeg")
    cases = [
        (lambda: accounts.add("Kees", "1234567"), MSG_SHORT_PASSWORD),
        (lambda: accounts.add("jan", "nog-een-wachtwoord"), MSG_EXISTS.format(name="jan")),
        (lambda: accounts.add("beheerder", "lang-genoeg"), MSG_RESERVED),
        (lambda: accounts.add("<script>", "lang-genoeg"), MSG_BAD_NAME.format(name="<script>")),
        (lambda: accounts.add("Kees", "lang-genoeg", role="baas"), MSG_ROLE.format(role="baas")),
        (lambda: accounts.reset("Onbekend", password="lang-genoeg"), MSG_UNKNOWN.format(name="Onbekend")),
        (lambda: accounts.remove("beheerder"), MSG_RESERVED),
    ]
    for call, message in cases:
        with pytest.raises(AccountError) as err:
            call()
        assert str(err.value) == message
    assert MSG_SHORT_PASSWORD == "het wachtwoord moet minstens 8 tekens hebben"
    assert [a.identifier for a in accounts.list()] == ["jan"]


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_reset_and_remove_change_the_account_and_end_its_sessions_only(db: SharedDb) -> None:
    accounts = Accounts(db)
    accounts.add("Anna", "eerste-wachtwoord")
    accounts.add("Piet", "piet-wachtwoord")
    sessions = SessionList(db, 3600)
    anna, piet = sessions.start("anna", ROLE_USER, "local"), sessions.start("piet", ROLE_USER, "local")
    accounts.reset("Anna", password="tweede-wachtwoord")
    assert sessions.check(anna.sid, "anna") is None and sessions.check(piet.sid, "piet") is not None
    assert accounts.login("anna", "eerste-wachtwoord") is None
    assert accounts.login("anna", "tweede-wachtwoord") == Login("anna", "Anna", ROLE_USER)
    again = sessions.start("anna", ROLE_USER, "local")
    accounts.reset("anna", role=ROLE_MAINTAINER)  # a new role alone also ends the sessions
    assert sessions.check(again.sid, "anna") is None
    assert accounts.login("anna", "tweede-wachtwoord").role == ROLE_MAINTAINER
    accounts.remove("Piet")
    assert sessions.check(piet.sid, "piet") is None and accounts.login("piet", "piet-wachtwoord") is None


def test_the_settings_maintainer_follows_the_setting_and_a_change_ends_old_sessions(sqlite_db: SharedDb) -> None:
    accounts = Accounts(sqlite_db)
    sessions = SessionList(sqlite_db, 3600)
    accounts.sync_maintainer("")
    assert accounts.login("beheerder", "") is None and accounts.list() == []
    accounts.sync_maintainer("eerste-beheer-ww")
    assert accounts.login("Beheerder", "eerste-beheer-ww") == Login("beheerder", "Beheerder", ROLE_MAINTAINER, "settings")
    old = sessions.start("beheerder", ROLE_MAINTAINER, "settings")
    accounts.sync_maintainer("eerste-beheer-ww")  # unchanged (a restart): the session stays
    assert sessions.check(old.sid, "beheerder") is not None
    accounts.sync_maintainer("tweede-beheer-ww")
    assert sessions.check(old.sid, "beheerder") is None
    assert accounts.login("beheerder", "eerste-beheer-ww") is None
    newer = sessions.start("beheerder", ROLE_MAINTAINER, "settings")
    accounts.sync_maintainer("")  # emptied: no maintainer account, no session
    assert sessions.check(newer.sid, "beheerder") is None and accounts.login("beheerder", "tweede-beheer-ww") is None


def test_self_registration_when_switched_on_still_needs_a_long_password(sqlite_db: SharedDb) -> None:
    accounts = Accounts(sqlite_db, self_registration=True)
    assert accounts.login("Nieuw", "a") is None
    assert accounts.login("Nieuw", "lang-genoeg") == Login("nieuw", "Nieuw", ROLE_USER)
    assert accounts.login("nieuw", "ander-wachtwoord") is None
    assert accounts.login("beheerder", "lang-genoeg") is None  # never claimable


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_two_first_logins_at_once_cannot_both_claim_a_name(db: SharedDb) -> None:
    accounts = Accounts(db, self_registration=True)
    results: dict[str, Login | None] = {}
    threads = [threading.Thread(target=lambda pw=pw: results.__setitem__(pw, accounts.login("Piet", pw)))
               for pw in ("wachtwoord-a", "wachtwoord-b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(v is not None for v in results.values()) == [False, True]


def test_a_single_sign_on_record_never_logs_in_with_a_password_and_leaves_a_local_account_alone(
        sqlite_db: SharedDb) -> None:
    accounts = Accounts(sqlite_db, self_registration=True)
    assert accounts.vouched(Login("kees@min.nl", "Kees", ROLE_USER, "oidc:generic")) is False
    assert accounts.login("kees@min.nl", "een-wachtwoord") is None  # not claimable by self-registration either
    accounts.add("Jan", "lang-genoeg")
    assert accounts.vouched(Login("jan", "Jan (SSO)", ROLE_MAINTAINER, "header")) is False
    assert [(a.identifier, a.display_name, a.role, a.source) for a in accounts.list()] == [
        ("jan", "Jan", ROLE_USER, "local"), ("kees@min.nl", "Kees", ROLE_USER, "oidc:generic")]


def test_the_chat_database_and_the_secret_are_private(tmp_path: Path, make_settings) -> None:
    settings = make_settings()
    settings.data_dir.mkdir(parents=True)
    settings.data_dir.chmod(0o755)  # as an older version left it
    first = ensure_auth_secret(settings)
    path = settings.data_dir / "chainlit_auth_secret"
    assert len(first) >= 48 and mode(path) == 0o600 and mode(settings.data_dir) == 0o700
    assert ensure_auth_secret(settings) == first
    db = SharedDb.open(settings)
    Accounts(db).add("Anna", "lang-genoeg")
    assert mode(settings.data_dir / "chat.sqlite3") == 0o600
    assert not (settings.data_dir / "accounts.sqlite3").exists()  # accounts are in the chat database now
