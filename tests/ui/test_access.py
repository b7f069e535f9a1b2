"""Sessions, throttling and vouched-for logins (OIDC claims, a proxy's header), without a server."""

from __future__ import annotations

import time
from pathlib import Path

import jwt

from ui.access import Access
from ui.auth import ROLE_MAINTAINER, ROLE_USER, Login
from ui.identity import client_address, header_login, oidc_login
from ui.sessions import SessionList
from ui.shared_db import SharedDb
from ui.store import ensure_schema
from ui.throttle import FIRST_DELAY_S, MAX_DELAY_S, Attempt, LoginThrottle, throttled_message


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def shared(tmp_path: Path) -> SharedDb:
    ensure_schema(tmp_path / "chat.sqlite3")
    return SharedDb(tmp_path / "chat.sqlite3")


def test_a_session_is_valid_for_its_owner_until_it_expires_or_ends(tmp_path: Path) -> None:
    clock = Clock()
    sessions = SessionList(shared(tmp_path), 60, clock)
    one = sessions.start("anna", ROLE_USER, "local")
    assert sessions.check(one.sid, "anna").role == ROLE_USER
    assert sessions.check(one.sid, "piet") is None and sessions.check("verzonnen", "anna") is None
    clock.now += 61
    assert sessions.check(one.sid, "anna") is None
    two = sessions.start("anna", ROLE_USER, "local")
    sessions.end(two.sid)
    assert sessions.check(two.sid, "anna") is None


def test_failures_beyond_the_free_ones_make_a_doubling_wait(tmp_path: Path) -> None:
    clock = Clock()
    throttle = LoginThrottle(shared(tmp_path), clock)
    keys = [("name:anna", 2)]
    for _ in range(2):
        assert isinstance(throttle.begin(keys), Attempt)
    assert isinstance(throttle.begin(keys), Attempt)  # the third is counted, and starts the wait
    assert throttle.begin(keys) == FIRST_DELAY_S
    clock.now += FIRST_DELAY_S
    assert isinstance(throttle.begin(keys), Attempt)
    assert throttle.begin(keys) == 2 * FIRST_DELAY_S
    for _ in range(30):
        clock.now += MAX_DELAY_S
        throttle.begin(keys)
    assert throttle.begin(keys) == MAX_DELAY_S
    assert throttled_message(1.2) == "Te veel mislukte inlogpogingen. Probeer het over 2 seconden opnieuw."


def test_attempts_count_when_they_start_and_a_success_takes_its_count_back(tmp_path: Path) -> None:
    clock = Clock()
    throttle = LoginThrottle(shared(tmp_path), clock)
    keys = [("addr:10.0.0.1", 3), ("name:anna", 3)]
    attempts = [throttle.begin(keys) for _ in range(10)]  # sent at once, none finished yet
    assert sum(isinstance(a, Attempt) for a in attempts) == 4
    other = [("addr:10.0.0.2", 3), ("name:piet", 3)]
    first = throttle.begin(other)
    throttle.succeeded(first, clear=["name:piet"])
    for _ in range(3):
        assert isinstance(throttle.begin(other), Attempt)


def test_roles_come_from_the_oidc_claim_or_the_maintainers_list(make_settings) -> None:
    ui = make_settings(ui__maintainers=["Piet@Min.nl"], ui__oidc_role_claim="realm_access.roles").ui
    info = {"name": "Anna de Vries", "realm_access": {"roles": ["lezer", "opgavewijzer-beheerder"]}}
    assert oidc_login("keycloak", info, "Anna@Min.nl", ui) == Login("anna@min.nl", "Anna de Vries", ROLE_MAINTAINER,
                                                                   "oidc:keycloak")
    assert oidc_login("generic", {"realm_access": {"roles": "lezer"}}, "kees@min.nl", ui).role == ROLE_USER
    assert oidc_login("generic", {}, "piet@min.nl", ui).role == ROLE_MAINTAINER
    assert oidc_login("generic", {}, None, ui) is None and oidc_login("generic", {}, "a\x1bb", ui) is None


def test_header_login_reads_the_configured_headers(make_settings) -> None:
    ui = make_settings().ui
    assert header_login({"x-forwarded-user": "jan", "x-forwarded-groups": "a, opgavewijzer-beheerder"}, ui) == Login(
        "jan", "jan", ROLE_MAINTAINER, "header")
    assert header_login({"x-forwarded-user": "kees"}, ui).role == ROLE_USER
    assert header_login({}, ui) is None


def test_the_client_address_is_read_from_forwarded_for_only_behind_a_trusted_proxy() -> None:
    trusted = ["127.0.0.1", "10.1.0.0/16"]
    assert client_address("127.0.0.1", "203.0.113.9", trusted) == "203.0.113.9"
    assert client_address("127.0.0.1", "198.51.100.1, 203.0.113.9, 10.1.2.3", trusted) == "203.0.113.9"
    assert client_address("203.0.113.7", "1.2.3.4", trusted) == "203.0.113.7"  # forged by a direct client
    assert client_address("127.0.0.1", "", trusted) == "127.0.0.1"


def test_a_token_counts_only_while_its_session_is_open(make_settings) -> None:
    access = Access(make_settings(ui__maintainer_password="beheer-wachtwoord"))
    access.sync_maintainer()
    login, session = access.password_login("beheerder", "beheer-wachtwoord")
    secret = "s" * 48

    def token(sid: str, identifier: str = "beheerder", exp: float = time.time() + 60) -> str:
        return jwt.encode({"identifier": identifier, "metadata": {"role": "beheerder", "sid": sid}, "exp": exp}, secret)

    assert access.is_maintainer(token(session.sid), secret)
    assert access.session_of(token(session.sid), "een-ander-geheim" * 3) is None
    assert access.session_of(token(session.sid, exp=time.time() - 1), secret) is None
    assert access.session_of(token(session.sid, identifier="anna"), secret) is None
    assert access.session_of(jwt.encode({"identifier": "beheerder", "exp": time.time() + 60}, secret), secret) is None
    access.sessions.end(session.sid)
    assert not access.is_maintainer(token(session.sid), secret)
