"""A running server follows the active build: it polls the pointer and holds a lease on what it reads.

Any process may switch the pointer (the command line, another server's upload,
an ingest on another machine). Each server notices within one poll interval,
loads the new build in this thread while its sessions go on searching the old
one, and swaps in one assignment. Its lease in the store tells every ingest
that the build it reads must stay.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from typing import Callable, Protocol

from kb.store import LEASE_S

log = logging.getLogger(__name__)


class Leases(Protocol):
    """What the watcher needs of the store: a lease on a build, and its release."""

    def hold(self, holder: str, collection: str, lease_s: float) -> None:
        """Tell every ingest that ``holder`` reads ``collection`` for the next ``lease_s`` seconds."""

    def release(self, holder: str) -> None:
        """Give up the lease of ``holder``."""


class IndexWatcher:
    """Polls the pointer every ``interval_s`` seconds in a daemon thread (none when 0).

    It is handed what it uses, not the knowledge base: ``refresh`` loads a new
    active build (True if it did), ``collection`` names the build in use, and
    ``leases`` keeps that build from being removed by an ingest.
    """

    def __init__(self, refresh: Callable[[], bool], collection: Callable[[], str], leases: Leases,
                 interval_s: float, lease_s: float = LEASE_S) -> None:
        self._refresh = refresh
        self._collection = collection
        self._leases = leases
        self._interval = interval_s
        self._lease_s = lease_s
        self.holder = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._leased: tuple[str, float] | None = None  # (collection, when renewed)

    def start(self) -> "IndexWatcher":
        """Take the lease on the loaded build and start polling."""
        self._renew()
        if self._interval > 0:
            self._thread = threading.Thread(target=self._run, name="index-watcher", daemon=True)
            self._thread.start()
        return self

    def check(self) -> bool:
        """One poll: load a new active build if there is one, renew the lease; True if it changed."""
        changed = self._refresh()
        self._renew()
        return changed

    def _renew(self) -> None:
        collection = self._collection()
        now = time.monotonic()
        if self._leased is not None and self._leased[0] == collection and now - self._leased[1] < self._lease_s / 3:
            return
        self._leases.hold(self.holder, collection, self._lease_s)
        self._leased = (collection, now)

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                if self.check():
                    log.info("now serving build %s", self._collection())
            except Exception as exc:  # the store may be briefly unreachable: keep serving, try again
                log.warning("checking for a new build failed (still serving %s): %s", self._collection(), exc)

    def stop(self, timeout_s: float = 10.0) -> None:
        """Stop polling and release the lease."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout_s)
        try:
            self._leases.release(self.holder)
        except Exception as exc:  # stopping must not fail; the lease then lapses by itself
            log.warning("could not release the lease %s: %s", self.holder, exc)
