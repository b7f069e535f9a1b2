"""Two servers' access objects on one chat database, each with its own data folder, as on two machines.

No chat server runs here (``test_two_servers.py`` does that): these are the
:class:`ui.access.Access` objects two servers build, on a SQLite file and on
a real PostgreSQL server, checked step by step.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import jwt
import pytest

from opgavewijzer.settings import Settings
from tests.ui.conftest import BACKENDS
from ui.access import Access
from ui.auth import ROLE_MAINTAINER, ROLE_USER
from ui.login_secret import SECRET_FILE, ensure_auth_secret
from ui.throttle import FREE_FAILURES_PER_NAME, Attempt

SECRET = "s" * 48
ANNA = {"name": "Anna de Vries", "roles": ["medewerker", "opgavewijzer-beheerder"]}


def machines(root: Path, db_url: str) -> tuple[Settings, Settings]:
    return tuple(Settings(_env_file=None, data_dir=root / m / "data").override(  # type: ignore[return-value]
        ui__chat_db_url=db_url, ui__maintainer_password="beheer-wachtwoord") for m in ("a", "b"))


@pytest.fixture
def servers(tmp_path: Path, db_url: str):  # noqa: ANN201
    a, b = (Access(s) for s in machines(tmp_path, db_url))
    for access in (a, b):
        access.start()
    yield a, b
    a.db.close()
    b.db.close()


def token(session, identifier: str) -> str:  # noqa: ANN001
    return jwt.encode({"identifier": identifier, "metadata": {"sid": session.sid}, "exp": time.time() + 60}, SECRET)


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_an_account_a_cookie_a_new_password_and_a_logout_hold_on_both_servers(servers) -> None:  # noqa: ANN001
    a, b = servers
    a.accounts.add("Carla", "eerste-wachtwoord")  # made on A
    login, on_b = b.password_login("carla", "eerste-wachtwoord")  # logs in on B
    assert login.role == ROLE_USER
    _, on_a = a.password_login("Carla", "eerste-wachtwoord")
    assert b.session_of(token(on_a, "carla"), SECRET) == on_a  # A's login counts on B
    b.accounts.reset("carla", password="tweede-wachtwoord")  # changed on B
    assert a.session_of(token(on_a, "carla"), SECRET) is None and a.session_of(token(on_b, "carla"), SECRET) is None
    assert a.password_login("carla", "eerste-wachtwoord") is None
    _, fresh = a.password_login("carla", "tweede-wachtwoord")
    b.sessions.end(fresh.sid)  # logged out on B with A's login
    assert a.session_of(token(fresh, "carla"), SECRET) is None
    b.accounts.add("Dirk", "dirks-wachtwoord")
    _, dirk = a.password_login("dirk", "dirks-wachtwoord")
    a.accounts.reset("dirk", role=ROLE_MAINTAINER, password=None)  # a role change on A ends it on B
    assert b.session_of(token(dirk, "dirk"), SECRET) is None
    _, dirk = b.password_login("dirk", "dirks-wachtwoord")
    assert a.is_maintainer(token(dirk, "dirk"), SECRET)
    b.accounts.remove("Dirk")
    assert not a.is_maintainer(token(dirk, "dirk"), SECRET)


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_password_guesses_on_both_servers_count_together_even_when_sent_at_once(servers) -> None:  # noqa: ANN001
    a, b = servers
    keys = [("name:carla", FREE_FAILURES_PER_NAME)]
    for i in range(FREE_FAILURES_PER_NAME + 1):
        assert isinstance((a if i % 2 else b).throttle.begin(keys), Attempt)
    assert a.throttle.begin(keys) > 0 and b.throttle.begin(keys) > 0
    results: list[object] = []
    burst = [("name:dirk", FREE_FAILURES_PER_NAME), ("addr:192.0.2.7", 20)]
    threads = [threading.Thread(target=lambda s=s: results.append(s.throttle.begin(burst))) for s in (a, b) * 20]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(isinstance(r, Attempt) for r in results) == FREE_FAILURES_PER_NAME + 1


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_single_sign_on_and_header_logins_are_one_account_on_both_servers(servers) -> None:  # noqa: ANN001
    a, b = servers
    login, on_a = a.oidc_login("generic", ANNA, "Anna@Min.example")
    assert login.role == ROLE_MAINTAINER and b.is_maintainer(token(on_a, "anna@min.example"), SECRET)
    listed = {(x.identifier, x.display_name, x.role, x.source) for x in b.accounts.list()}
    assert ("anna@min.example", "Anna de Vries", ROLE_MAINTAINER, "oidc:generic") in listed
    # The provider took her out of the maintainers' group: her next login, on B, ends the old role on A too.
    login, on_b = b.oidc_login("generic", {**ANNA, "roles": ["medewerker"]}, "anna@min.example")
    assert login.role == ROLE_USER and a.session_of(token(on_a, "anna@min.example"), SECRET) is None
    assert a.session_of(token(on_b, "anna@min.example"), SECRET).role == ROLE_USER
    assert [x.role for x in a.accounts.list() if x.identifier == "anna@min.example"] == [ROLE_USER]
    _, jan = a.header_login({"x-forwarded-user": "jan@min.example"})
    assert b.accounts.list()[-1].source == "header" and b.sessions.end_all("jan@min.example") == 1
    assert a.session_of(token(jan, "jan@min.example"), SECRET) is None


@pytest.mark.parametrize("db_url", BACKENDS, indirect=True)
def test_servers_on_one_database_url_sign_with_one_secret_the_first_one_kept(tmp_path: Path, db_url: str) -> None:
    first, second = machines(tmp_path, db_url)
    first.data_dir.mkdir(parents=True)
    old = "o" * 48
    (first.data_dir / SECRET_FILE).write_text(old, encoding="utf-8")  # A's secret from before: its cookies stay valid
    assert ensure_auth_secret(first) == old
    assert ensure_auth_secret(second) == old and not (second.data_dir / SECRET_FILE).exists()
