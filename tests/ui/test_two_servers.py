"""Two chat servers, as on two machines: one PostgreSQL, one ``chroma run``, each server its own data folder.

Everything is real and on 127.0.0.1: PostgreSQL (Debian's), a Chroma server,
two ``opgavewijzer serve`` processes, the ``opgavewijzer`` command line for
ingests and accounts "on" either machine, HTTP and socket clients, and Debian
Chromium. The servers share nothing but the two databases: accounts, login
sessions, login-failure counts and the login secret are in PostgreSQL (see the
README, "Several chat servers"), so any server serves any browser.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import socketio

from opgavewijzer.settings import Settings
from tests.browser import ChatServer, Visitor, chat_server, chromium  # noqa: F401  (fixture)
from tests.servers import chroma_server, postgres_url  # noqa: F401  (fixture)
from ui.throttle import FREE_FAILURES_PER_NAME

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CLI = str(Path(sys.executable).with_name("opgavewijzer"))
FIETS = """# Fietsbeleid in de regio

## Stallingen bij stations

De regio bouwt tot 2030 twaalfduizend extra fietsplekken bij de drukste stations. Gemeenten en
ProRail delen de kosten, en de provincie betaalt een derde van de investering.
"""
WATER = """# Waterplan

## Klimaatadaptatie

Het waterschap legt groene daken en wadi's aan om hevige regenbuien op te vangen. Bewoners krijgen
subsidie als zij tegels uit hun tuin halen en er planten voor terugzetten.
"""
QUESTION = "Hoeveel fietsplekken bouwt de regio bij de stations?"
NEW_QUESTION = "Wat legt het waterschap aan tegen hevige regenbuien?"
SWITCH_S = 30  # the deadline for "searchable on both within seconds" (it takes a poll of 0.5 s and a load)


class Machines:
    """What the two servers share, and how to run the command line on either machine."""

    def __init__(self, root: Path, chroma_url: str, db_url: str) -> None:
        self.root = root
        self.docs = root / "docs"
        self.docs.mkdir()
        (self.docs / "fiets.md").write_text(FIETS, encoding="utf-8")
        self.chroma_url, self.db_url = chroma_url, db_url

    def settings(self, machine: str) -> Settings:
        """The settings of one machine: its own data folder, the shared stores."""
        return Settings(_env_file=None, data_dir=self.root / machine / "data", corpus_dir=self.docs).override(
            store__chroma_url=self.chroma_url, store__poll_s=0.5, ui__chat_db_url=self.db_url,
        )

    def cli(self, machine: str, *args: str, **popen: object) -> subprocess.Popen:
        """``opgavewijzer`` started on one machine."""
        s = self.settings(machine)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPGAVEWIJZER_")}
        env.update({"OPGAVEWIJZER_DATA_DIR": str(s.data_dir), "OPGAVEWIJZER_CORPUS_DIR": str(self.docs),
                    "OPGAVEWIJZER_STORE__CHROMA_URL": self.chroma_url, "OPGAVEWIJZER_UI__CHAT_DB_URL": self.db_url,
                    "HF_HUB_OFFLINE": "1"})
        env.update({f"OPGAVEWIJZER_{k}": str(v) for k, v in popen.pop("extra_env", {}).items()})  # type: ignore[union-attr]
        return subprocess.Popen([CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=self.root, **popen)  # type: ignore[call-overload]

    def users(self, machine: str, *args: str, password: str = "") -> str:
        """``opgavewijzer users …`` on one machine, a password on its standard input; what it printed."""
        done = self.cli(machine, "users", *args, stdin=subprocess.PIPE)
        out, err = done.communicate(input=f"{password}\n", timeout=120)
        assert done.returncode == 0, out + err
        return out


@pytest.fixture(scope="module")
def machines(tmp_path_factory: pytest.TempPathFactory, postgres_url: str) -> Iterator[Machines]:  # noqa: F811
    root = tmp_path_factory.mktemp("two-machines")
    with chroma_server(root / "chroma") as chroma_url:
        shared = Machines(root, chroma_url, postgres_url)
        first = shared.cli("a", "ingest")
        out, err = first.communicate(timeout=300)
        assert first.returncode == 0, out + err
        yield shared


@pytest.fixture(scope="module")
def servers(machines: Machines) -> Iterator[tuple[ChatServer, ChatServer]]:
    with chat_server(machines.settings("a"), machines.root / "a" / "ui") as a:
        with chat_server(machines.settings("b"), machines.root / "b" / "ui") as b:
            yield a, b


def login(server: ChatServer, name: str, password: str) -> httpx.Response:
    return httpx.post(f"{server.url}/login", data={"username": name, "password": password}, timeout=60)


def token(server: ChatServer, name: str, password: str) -> str:
    response = login(server, name, password)
    assert response.status_code == 200, response.text
    return response.cookies["access_token"]


def user(server: ChatServer, access_token: str) -> httpx.Response:
    return httpx.get(f"{server.url}/user", cookies={"access_token": access_token}, timeout=60)


def open_socket(server: ChatServer, access_token: str) -> socketio.Client | None:
    """Chainlit's chat socket opened with this login, or None if the server refuses it."""
    client = socketio.Client(reconnection=False)
    try:
        client.connect(server.url, socketio_path="/ws/socket.io", transports=["websocket"], wait_timeout=30,
                       headers={"Cookie": f"access_token={access_token}"},
                       auth={"sessionId": str(uuid.uuid4()), "clientType": "webapp", "userEnv": "{}"})
    except socketio.exceptions.ConnectionError:
        return None
    return client


def socket_opens(server: ChatServer, access_token: str) -> bool:
    """Whether Chainlit's chat socket accepts a connection with this login."""
    client = open_socket(server, access_token)
    if client is not None:
        client.disconnect()
    return client is not None


def closed_at_next_frame(client: socketio.Client) -> bool:
    """Send the server a frame, as a browser does with a message or a keep-alive; True once it hung up."""
    client.emit("opgavewijzer_probe")
    for _ in range(300):  # a generous bound for a busy machine; the server hangs up at the frame
        if not client.connected:
            return True
        client.sleep(0.1)
    client.disconnect()
    return False


def test_an_account_a_cookie_a_new_password_and_a_logout_hold_on_both_servers(servers, machines) -> None:  # noqa: ANN001, F811
    a, b = servers
    # 1. An account made with the command line on machine A logs in on server B.
    assert machines.users("a", "add", "Carla Smit", "--password-stdin", password="carla-eerste") == (
        "account 'Carla Smit' gemaakt (gebruiker)\n")
    on_b = token(b, "Carla Smit", "carla-eerste")
    assert user(b, on_b).json()["identifier"] == "carla smit"
    # 2. A's cookie is good on B, for requests and for the chat socket.
    on_a = token(a, "carla smit", "carla-eerste")
    assert user(b, on_a).json()["identifier"] == "carla smit" and socket_opens(b, on_a)
    # 3. A new password, set on machine B, ends the old cookies on A at once.
    machines.users("b", "reset", "Carla Smit", "--password-stdin", password="carla-tweede")
    assert user(a, on_a).status_code == 401 and user(a, on_b).status_code == 401 and not socket_opens(a, on_a)
    assert login(a, "Carla Smit", "carla-eerste").status_code == 401
    # 4. Logging out on B with a cookie from A ends it on A, also the chat socket it had open there.
    again = token(a, "Carla Smit", "carla-tweede")
    chat_on_a = open_socket(a, again)
    assert user(a, again).status_code == 200 and chat_on_a is not None and chat_on_a.connected
    assert httpx.post(f"{b.url}/logout", cookies={"access_token": again}, timeout=60).status_code == 200
    assert user(a, again).status_code == 401 and not socket_opens(a, again)
    assert closed_at_next_frame(chat_on_a)
    # Nothing of this is in either machine's data folder: no accounts file, no secret of its own.
    for machine in ("a", "b"):
        data = machines.settings(machine).data_dir
        assert not (data / "accounts.sqlite3").exists() and not (data / "chainlit_auth_secret").exists()


def test_password_guesses_on_both_servers_count_together(servers, machines) -> None:  # noqa: ANN001, F811
    a, b = servers
    machines.users("b", "add", "Dirk", "--password-stdin", password="dirks-wachtwoord")
    codes = [login(a if i % 2 else b, "Dirk", f"fout-{i}").status_code for i in range(FREE_FAILURES_PER_NAME + 1)]
    assert codes == [401] * (FREE_FAILURES_PER_NAME + 1)
    for server in (a, b):  # even the right password waits now, on either server
        refused = login(server, "Dirk", "dirks-wachtwoord")
        assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1


def test_a_conversation_started_on_one_server_is_in_the_history_on_the_other(chromium, servers) -> None:  # noqa: ANN001, F811
    a, b = servers
    on_a = Visitor(chromium, a).login("Anna de Vries", "wachtwoord-anna")
    try:
        answer = on_a.ask(QUESTION).inner_text()
        assert "twaalfduizend" in answer
        # The chat socket is one WebSocket from the start: no long polls a load balancer could spread over servers.
        assert [u for u in on_a.requested if "/ws/socket.io/" in u and "transport=polling" in u] == []
        on_a.page.wait_for_url(re.compile(r"/thread/"))
        thread_id = on_a.page.url.rsplit("/thread/", 1)[1]
    finally:
        on_a.close()
    on_b = Visitor(chromium, b).login("Anna de Vries", "wachtwoord-anna")
    try:
        page = on_b.page
        page.locator("#thread-history").get_by_text(QUESTION[:30]).first.wait_for()  # listed in B's history
        page.goto(f"{b.url}/thread/{thread_id}")
        restored = page.locator('[data-step-type="assistant_message"] .message-content').last
        restored.wait_for()
        assert answer.split("\n")[0][:60] in restored.inner_text()
        restored.locator("a.element-link", has_text="[1]").first.click()  # its source, kept in the database
        assert "twaalfduizend extra fietsplekken" in page.locator("#side-view-content").inner_text()
    finally:
        on_b.close()


def test_an_ingest_on_one_machine_is_searchable_on_both_servers_within_seconds(chromium, servers, machines) -> None:  # noqa: ANN001, F811
    (machines.docs / "water.md").write_text(WATER, encoding="utf-8")
    ingest = machines.cli("a", "ingest")
    out, err = ingest.communicate(timeout=300)
    assert ingest.returncode == 0, out + err
    done = time.monotonic()
    for server in servers:
        person = Visitor(chromium, server).login("Bert Jansen", "wachtwoord-bert")
        try:
            reply = person.ask(NEW_QUESTION).inner_text()
            while "wadi" not in reply and time.monotonic() - done < SWITCH_S:
                person.page.wait_for_timeout(1000)
                reply = person.ask(NEW_QUESTION).inner_text()
            assert "wadi" in reply, f"{server.url} did not answer from the new build within {SWITCH_S} s: {reply!r}"
        finally:
            person.close()


def test_a_second_ingest_on_another_machine_is_refused_while_the_first_runs(machines) -> None:  # noqa: F811
    big = machines.root / "groot"
    big.mkdir()
    (big / "groot.md").write_text("\n\n".join(f"## Deel {i}\n\n" + WATER.split("\n", 1)[1] for i in range(12)))
    first = machines.cli("a", "ingest", str(machines.docs / "fiets.md"), str(big / "groot.md"),
                         extra_env={"EMBEDDING__BATCH_SIZE": 2})
    seen = ""
    deadline = time.monotonic() + 180
    while "Embedden" not in seen and time.monotonic() < deadline and first.poll() is None:
        seen += first.stderr.read(1) or ""
    assert "Embedden" in seen, seen
    second = machines.cli("b", "ingest")
    out, err = second.communicate(timeout=120)
    assert second.returncode == 2
    assert f"another ingest is writing to this index (on {os.uname().nodename}, process {first.pid}, since" in err
    rest, more = first.communicate(timeout=300)
    assert first.returncode == 0, rest + seen + more
