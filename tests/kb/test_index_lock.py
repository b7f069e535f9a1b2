"""The ingest lock kept in the store: one holder, a clear message to others, lapses when its holder dies.

Real Chroma: a local folder, and a real ``chroma run`` server shared by two clients
as two machines would share it. The holder that dies is a real process.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from kb.index_lock import IndexLock
from kb.store import ChromaStore
from opgavewijzer.errors import IngestBusyError
from tests.servers import chroma_server


def test_a_second_ingest_is_told_who_holds_the_lock(make_settings) -> None:
    store = ChromaStore(make_settings())
    with IndexLock(store) as first:
        with pytest.raises(IngestBusyError, match=f"another ingest is writing to this index \\(on {socket.gethostname()}, "
                                                  f"process {os.getpid()}, since \\d\\d:\\d\\d:\\d\\d\\)"):
            IndexLock(store).acquire()
        assert first.holder()["holder"] == first.token
    assert first.holder() is None  # released
    with IndexLock(store):  # free again
        pass


def test_of_many_at_once_exactly_one_takes_the_lock(make_settings) -> None:
    store = ChromaStore(make_settings())
    locks = [IndexLock(store) for _ in range(6)]
    won: list[IndexLock] = []
    busy: list[IndexLock] = []
    start = threading.Barrier(len(locks))

    def contend(lock: IndexLock) -> None:
        start.wait()
        try:
            lock.acquire()
            won.append(lock)
        except IngestBusyError:
            busy.append(lock)

    threads = [threading.Thread(target=contend, args=(lock,)) for lock in locks]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(won) == 1 and len(busy) == 5
    assert won[0].holder()["holder"] == won[0].token
    won[0].release()


def test_a_running_ingest_keeps_its_lock_beyond_the_expiry(make_settings) -> None:
    store = ChromaStore(make_settings())
    with IndexLock(store, ttl_s=3.0) as lock:
        first_expiry = float(lock.holder()["expires"])
        time.sleep(4.5)  # longer than the time to live: only renewal keeps it
        assert float(lock.holder()["expires"]) > first_expiry
        with pytest.raises(IngestBusyError):
            IndexLock(store).acquire()


def test_the_lock_of_an_ingest_killed_on_this_machine_is_taken_over_at_once(make_settings, tmp_path: Path) -> None:
    settings = make_settings()
    store = ChromaStore(settings)
    # A real process takes the lock (for ten minutes) and dies without releasing it.
    code = (
        "import os\n"
        "from kb.index_lock import IndexLock\nfrom kb.store import ChromaStore\n"
        "from opgavewijzer.settings import Settings\n"
        f"IndexLock(ChromaStore(Settings(_env_file=None, data_dir={str(settings.data_dir)!r})), ttl_s=600).acquire()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120, cwd=Path(__file__).parents[2])
    dead = IndexLock(store).holder()
    assert dead is not None and dead["pid"] != os.getpid()
    with IndexLock(store) as taken:  # its process is gone: no need to wait ten minutes
        assert taken.holder()["holder"] == taken.token


@pytest.mark.slow
def test_two_machines_share_one_lock_on_a_chroma_server_and_a_lapsed_one_is_taken(make_settings, tmp_path: Path) -> None:
    with chroma_server(tmp_path / "chroma-server") as url:
        machine_a = ChromaStore(make_settings(store__chroma_url=url))
        machine_b = ChromaStore(make_settings(store__chroma_url=url))
        with IndexLock(machine_a) as held:
            with pytest.raises(IngestBusyError, match=f"process {os.getpid()}"):
                IndexLock(machine_b).acquire()
            assert IndexLock(machine_b).holder()["holder"] == held.token
        # An ingest on a third machine died holding the lock; no second machine runs here, so its
        # record is written as that machine would have written it (another host: no process check).
        expires = time.time() + 3
        machine_b.client.get_collection(f"{machine_b.prefix}-locks").add(
            ids=["ingest"], embeddings=[[0.0]],
            metadatas=[{"holder": "elders-1-x", "host": "elders", "pid": 1, "since": time.time(), "expires": expires}])
        with pytest.raises(IngestBusyError, match=r"\(on elders, process 1, since"):
            IndexLock(machine_a).acquire()
        time.sleep(max(0.0, expires - time.time()) + 0.2)
        with IndexLock(machine_a) as taken:  # lapsed: removed and taken
            assert IndexLock(machine_b).holder()["holder"] == taken.token


def test_an_ingest_is_refused_while_another_runs_and_changes_nothing(make_settings, e5, tmp_path: Path) -> None:
    from ingest.pipeline import run_ingest

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "fiets.md").write_text("# Fietsen\n\nDe regio bouwt fietsplekken bij de drukste stations.\n", encoding="utf-8")
    settings = make_settings(corpus_dir=docs)
    run_ingest(settings, embedder=e5)
    store = ChromaStore(settings)
    before = store.active_info()
    (docs / "water.md").write_text("# Water\n\nHet waterschap legt wadi's aan tegen hevige regen.\n", encoding="utf-8")
    with IndexLock(store):  # an ingest elsewhere holds the index
        with pytest.raises(IngestBusyError, match="another ingest is writing to this index"):
            run_ingest(settings, embedder=e5)
    assert store.active_info() == before
    run_ingest(settings, embedder=e5)  # once it is free, the same ingest goes through
    assert len(store.active_info().documents) == 2
