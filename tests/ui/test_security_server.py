"""The chat server probed as an attacker would: a real ``opgavewijzer serve``, real HTTP and socket clients.

One small generated index; the servers of this module share its data folder
(login secret), as a restarted server would; accounts and sessions are in each
server's chat database. The
throttling test comes last: it locks 127.0.0.1 out of logging in for a while.
"""

from __future__ import annotations

import socket
import sqlite3
import stat
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
import socketio
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect as ws_connect

from tests.browser import MAINTAINER_PASSWORD, ChatServer, chat_server, ensure_account
from ui.throttle import FREE_FAILURES_PER_NAME

pytestmark = pytest.mark.slow

PASSWORD = "een-lang-wachtwoord"


@pytest.fixture(scope="module")
def server(tiny_settings, tmp_path_factory):  # noqa: ANN001, ANN201
    with chat_server(tiny_settings, tmp_path_factory.mktemp("security")) as running:
        for name in ("Anna", "Piet"):
            ensure_account(running.settings, name, PASSWORD)
        yield running


def login(server: ChatServer, name: str, password: str = PASSWORD, **headers: str) -> httpx.Response:
    return httpx.post(f"{server.url}/login", data={"username": name, "password": password}, headers=headers, timeout=30)


def token(server: ChatServer, name: str, password: str = PASSWORD) -> str:
    response = login(server, name, password)
    assert response.status_code == 200, response.text
    return response.cookies["access_token"]


def me(server: ChatServer, access_token: str) -> httpx.Response:
    return httpx.get(f"{server.url}/user", cookies={"access_token": access_token}, timeout=30)


def socket_opens(server: ChatServer, access_token: str) -> bool:
    """Whether Chainlit's chat socket accepts a connection with this login."""
    client = socketio.Client(reconnection=False)
    try:
        client.connect(server.url, socketio_path="/ws/socket.io", transports=["websocket"], wait_timeout=20,
                       headers={"Cookie": f"access_token={access_token}"},
                       auth={"sessionId": str(uuid.uuid4()), "clientType": "webapp", "userEnv": "{}"})
    except socketio.exceptions.ConnectionError:
        return False
    client.disconnect()
    return True


def users_cli(server: ChatServer, *args: str) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("opgavewijzer")
    return subprocess.run([str(cli), "users", *args], env=server.env, cwd=server.log.parent, input=f"{PASSWORD}-2\n",
                          capture_output=True, text=True, timeout=60)


def test_a_maintainer_cookie_does_not_outlive_a_changed_password(tiny_settings, tmp_path_factory) -> None:  # noqa: ANN001
    same = tiny_settings.override(ui__feedback_db=tmp_path_factory.mktemp("restart") / "chat.sqlite3")
    with chat_server(same, tmp_path_factory.mktemp("first"),
                     OPGAVEWIJZER_UI__MAINTAINER_PASSWORD="eerste-beheer-wachtwoord") as first:
        old = token(first, "beheerder", "eerste-beheer-wachtwoord")
        assert me(first, old).json()["metadata"]["role"] == "beheerder"
        assert socket_opens(first, old)
    with chat_server(same, tmp_path_factory.mktemp("second"),
                     OPGAVEWIJZER_UI__MAINTAINER_PASSWORD="tweede-beheer-wachtwoord") as second:
        assert me(second, old).status_code == 401
        assert not socket_opens(second, old)
        assert login(second, "beheerder", "eerste-beheer-wachtwoord").status_code == 401


def test_logout_ends_the_token_and_an_account_change_ends_running_logins(server: ChatServer) -> None:
    first = token(server, "Anna")
    assert me(server, first).status_code == 200 and socket_opens(server, first)
    httpx.post(f"{server.url}/logout", cookies={"access_token": first}, timeout=30)
    assert me(server, first).status_code == 401
    bearer = httpx.get(f"{server.url}/user", headers={"Authorization": f"Bearer {first}"}, timeout=30)
    assert bearer.status_code == 401
    # /auth/jwt would trade a token for a fresh one: switched off.
    assert httpx.post(f"{server.url}/auth/jwt", headers={"Authorization": f"Bearer {first}"}, timeout=30).status_code == 404
    running = token(server, "Piet")
    done = users_cli(server, "reset", "Piet", "--keep-password", "--role", "beheerder")
    assert done.returncode == 0, done.stderr
    assert me(server, running).status_code == 401 and not socket_opens(server, running)
    assert me(server, token(server, "Piet")).json()["metadata"]["role"] == "beheerder"
    assert users_cli(server, "remove", "Piet").returncode == 0
    assert login(server, "Piet").status_code == 401


def test_no_self_registration_and_no_short_passwords(server: ChatServer) -> None:
    assert login(server, f"Nieuw {uuid.uuid4().hex[:6]}", "lang-genoeg-wachtwoord").status_code == 401
    added = users_cli(server, "add", "Kort", "--password-stdin")
    assert added.returncode == 0
    short = subprocess.run([str(Path(sys.executable).with_name("opgavewijzer")), "users", "add", "Kees",
                            "--password-stdin"], env=server.env, input="a\n", capture_output=True, text=True, timeout=60)
    assert short.returncode == 2 and short.stderr.strip() == "fout: het wachtwoord moet minstens 8 tekens hebben"


def test_the_data_folder_chat_database_and_secrets_are_private(server: ChatServer) -> None:
    token(server, "Anna")  # the chat database exists once someone logged in
    data = server.settings.data_dir
    for path, wanted in ((data, 0o700), (server.chat_db, 0o600), (data / "chainlit_auth_secret", 0o600)):
        assert stat.S_IMODE(path.stat().st_mode) == wanted, path
    assert not (data / "accounts.sqlite3").exists()  # accounts and sessions are in the chat database


def test_origins_are_checked_independently_of_the_host(server: ChatServer) -> None:
    port = server.url.rsplit(":", 1)[1]
    assert login(server, "Anna", Host="evil.example", Origin="http://evil.example").status_code == 403
    assert login(server, "Anna", Origin="http://localhost:8000").status_code == 403
    assert login(server, "Anna", Origin=f"http://localhost:{port}").status_code == 200
    ws = f"ws://127.0.0.1:{port}/ws/socket.io/?EIO=4&transport=websocket"
    with pytest.raises(InvalidStatus) as refused:
        ws_connect(ws, additional_headers={"Origin": "http://evil.example", "Host": "evil.example"}, open_timeout=20)
    assert refused.value.response.status_code == 403


def test_feedback_can_only_be_changed_by_the_author_of_the_conversation(server: ChatServer) -> None:
    anna, piet = token(server, "Anna"), token(server, "Kort", f"{PASSWORD}-2")
    with sqlite3.connect(server.chat_db) as conn:  # a conversation of Anna's with one answer and her feedback
        user_id = conn.execute("SELECT id FROM users WHERE identifier = 'anna'").fetchone()[0]
        conn.execute("""INSERT INTO threads ("id", "userId", "userIdentifier") VALUES ('t-anna', ?, 'anna')""", (user_id,))
        conn.execute("""INSERT INTO steps ("id", "name", "type", "threadId", "streaming", "output")
                        VALUES ('s-anna', 'Opgavewijzer', 'assistant_message', 't-anna', 0, 'Antwoord')""")
        conn.execute("""INSERT INTO feedbacks VALUES ('f-anna', 's-anna', 't-anna', 1, 'Goed')""")

    def put(who: str, **feedback: object) -> int:
        body = {"feedback": {"forId": "s-anna", "threadId": "t-anna", **feedback}, "sessionId": "x"}
        return httpx.put(f"{server.url}/feedback", cookies={"access_token": who}, json=body, timeout=30).status_code

    def stored() -> tuple:
        with sqlite3.connect(server.chat_db) as conn:
            return conn.execute("SELECT value, comment FROM feedbacks WHERE id = 'f-anna'").fetchone()

    assert put(piet, id="f-anna", value=0, comment="Overschreven") == 403
    assert put(piet, value=0, comment="Nieuw op andermans bericht") == 403
    assert put(piet, forId="bestaat-niet", value=0) == 404
    delete = httpx.request("DELETE", f"{server.url}/feedback", cookies={"access_token": piet},
                           json={"feedbackId": "f-anna"}, timeout=30)
    assert delete.status_code == 403 and stored() == (1, "Goed")
    assert put(anna, id="f-anna", value=0, comment="Toch niet") == 200
    assert stored() == (0, "Toch niet")


def test_unknown_thread_ids_give_404(server: ChatServer) -> None:
    response = httpx.get(f"{server.url}/project/thread/bestaat-niet", cookies={"access_token": token(server, "Anna")},
                         timeout=30)
    assert response.status_code == 404


def test_an_oversized_body_is_refused_before_it_is_read(server: ChatServer) -> None:
    host, port = server.url.removeprefix("http://").split(":")
    total, sent, reply = 400 * 1024 * 1024, 0, b""
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(f"POST /project/file?session_id=x HTTP/1.1\r\nHost: {host}:{port}\r\n"
                    f"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: {total}\r\n\r\n".encode())
        raw.setblocking(False)
        chunk = b"x" * 65536
        deadline = time.monotonic() + 60
        while not reply and sent < total and time.monotonic() < deadline:
            try:
                reply = raw.recv(4096)
            except BlockingIOError:
                try:
                    sent += raw.send(chunk)
                except (BlockingIOError, OSError):
                    time.sleep(0.01)
    assert reply.startswith(b"HTTP/1.1 413"), reply[:80]
    assert sent < 16 * 1024 * 1024  # the server answered long before 400 MB went over
    small = httpx.post(f"{server.url}/project/file", params={"session_id": "x"}, files={"file": ("a.pdf", b"%PDF")},
                       timeout=30)
    assert small.status_code == 401  # no login: refused before Chainlit reads the upload


def test_the_page_runs_no_inline_script_but_chainlits_own(server: ChatServer) -> None:
    from ui.web_policy import content_security_policy, inline_scripts

    page = httpx.get(server.url, timeout=30)
    policy = page.headers["content-security-policy"]
    assert policy == content_security_policy(inline_scripts(page.text))
    assert "'unsafe-inline'" not in next(d for d in policy.split("; ") if d.startswith("script-src"))


def test_repeated_wrong_passwords_are_throttled_with_a_dutch_message(server: ChatServer) -> None:
    codes = [login(server, "Anna", f"fout-{i}").status_code for i in range(FREE_FAILURES_PER_NAME + 1)]
    assert codes == [401] * (FREE_FAILURES_PER_NAME + 1)
    refused = login(server, "Anna")  # even the right password waits now
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["detail"].startswith("Te veel mislukte inlogpogingen. Probeer het over ")
    with ThreadPoolExecutor(20) as pool:  # a burst at one name from many guesses at once
        burst = list(pool.map(lambda i: login(server, "Kort", f"fout-{i}").status_code, range(40)))
    assert burst.count(401) <= FREE_FAILURES_PER_NAME + 1 and burst.count(429) >= 40 - FREE_FAILURES_PER_NAME - 1
