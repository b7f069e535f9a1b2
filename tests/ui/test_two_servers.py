"""Two chat servers, as on two machines: one PostgreSQL, one ``chroma run``, each server its own data folder.

Everything is real and on 127.0.0.1: PostgreSQL (Debian's), a Chroma server,
two ``opgavewijzer serve`` processes, the ``opgavewijzer`` command line for
ingests "on" either machine, and Debian Chromium. The only thing the servers
share besides the two databases is what a load balancer's servers share: the
login secret and the local accounts file (see the README, "Several servers").
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from opgavewijzer.settings import Settings
from tests.browser import ChatServer, Visitor, chat_server, chromium  # noqa: F401  (fixture)
from tests.servers import chroma_server, postgres_url  # noqa: F401  (fixture)

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
        self.secret = secrets.token_urlsafe(32)
        self.chroma_url, self.db_url = chroma_url, db_url

    def settings(self, machine: str) -> Settings:
        """The settings of one machine: its own data folder, the shared stores."""
        return Settings(_env_file=None, data_dir=self.root / machine / "data", corpus_dir=self.docs).override(
            store__chroma_url=self.chroma_url, store__poll_s=0.5, ui__chat_db_url=self.db_url,
            ui__accounts_db=self.root / "accounts.sqlite3",
        )

    def cli(self, machine: str, *args: str, **popen: object) -> subprocess.Popen:
        """``opgavewijzer`` started on one machine."""
        s = self.settings(machine)
        env = {k: v for k, v in os.environ.items() if not k.startswith("OPGAVEWIJZER_")}
        env.update({"OPGAVEWIJZER_DATA_DIR": str(s.data_dir), "OPGAVEWIJZER_CORPUS_DIR": str(self.docs),
                    "OPGAVEWIJZER_STORE__CHROMA_URL": self.chroma_url, "HF_HUB_OFFLINE": "1"})
        env.update({f"OPGAVEWIJZER_{k}": str(v) for k, v in popen.pop("extra_env", {}).items()})  # type: ignore[union-attr]
        return subprocess.Popen([CLI, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                cwd=self.root, **popen)  # type: ignore[call-overload]


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
    with chat_server(machines.settings("a"), machines.root / "a" / "ui", CHAINLIT_AUTH_SECRET=machines.secret) as a:
        with chat_server(machines.settings("b"), machines.root / "b" / "ui", CHAINLIT_AUTH_SECRET=machines.secret) as b:
            yield a, b


def test_a_conversation_started_on_one_server_is_in_the_history_on_the_other(chromium, servers) -> None:  # noqa: ANN001, F811
    a, b = servers
    on_a = Visitor(chromium, a).login("Anna de Vries", "wachtwoord-anna")
    try:
        answer = on_a.ask(QUESTION).inner_text()
        assert "twaalfduizend" in answer
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
