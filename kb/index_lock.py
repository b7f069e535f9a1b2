"""One ingest at a time for an index, across every machine that writes to it.

A file lock covers one machine; with a Chroma server, ingests from several
machines (the command line on one, a maintainer's upload on a chat server
on another) write to the same index. The lock is therefore a record in the
store itself, in a collection of its own: whoever adds the record first holds
it. Chroma ignores the addition of a record whose id exists, and it deletes
by id *and* metadata in one step, which together give a compare-and-set:

- take: add the record with our token, read it back, and hold it if the token is ours;
- a lapsed lock (expired, or its holder's process on this machine is gone): delete it only if
  it still has that holder's token, then take;
- release: delete it only if it has our token.

The holder renews the expiry in a thread of its own while the ingest runs, so
a long ingest keeps its lock and a killed one frees it after ``ttl_s``.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from types import TracebackType
from typing import Any

from kb.store import ChromaStore
from opgavewijzer.errors import IngestBusyError

log = logging.getLogger(__name__)

# A running ingest renews its lock every LOCK_TTL_S / 3 seconds; the lock of an ingest that was
# killed lapses after LOCK_TTL_S. A minute is long against a renewal, short for a person waiting.
LOCK_TTL_S = 60.0
_NAME = "ingest"


class IndexLock:
    """The ingest lock of one index; use as a context manager around the ingest."""

    def __init__(self, store: ChromaStore, ttl_s: float = LOCK_TTL_S) -> None:
        self._store = store
        self._ttl = ttl_s
        self.token = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(4)}"
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def _locks(self) -> Any:
        return self._store.client.get_or_create_collection(
            f"{self._store.prefix}-locks", metadata={"role": "locks"}, embedding_function=None
        )

    def _record(self, now: float, since: float | None = None) -> dict[str, Any]:
        return {"holder": self.token, "host": socket.gethostname(), "pid": os.getpid(),
                "since": now if since is None else since, "expires": now + self._ttl}

    def holder(self) -> dict[str, Any] | None:
        """The current lock record (holder, host, pid, since, expires), or None when nobody holds it."""
        got = self._locks().get(ids=[_NAME], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`IngestBusyError` saying who holds it."""
        locks = self._locks()
        for _ in range(3):  # a lapsed lock is removed once, then taken; more rounds mean a race lost
            now = time.time()
            # Chroma (embedding-free records still need a vector): a one-number vector stands in.
            locks.add(ids=[_NAME], embeddings=[[0.0]], metadatas=[self._record(now)])
            current = self.holder()
            if current is None:
                continue  # released or removed between our two calls: try again
            if current["holder"] == self.token:
                self._start_renewing()
                return
            if float(current["expires"]) > now and not _dead_here(current):
                raise _busy(current)
            log.warning("removing the lapsed ingest lock of %s", current["holder"])
            locks.delete(ids=[_NAME], where={"holder": current["holder"]})
        raise _busy(self.holder() or {})

    def _start_renewing(self) -> None:
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew_loop, name="ingest-lock", daemon=True)
        self._renewer.start()

    def _renew_loop(self) -> None:
        since = time.time()
        while not self._stop.wait(self._ttl / 3):
            try:
                current = self.holder()
                if current is None or current["holder"] != self.token:
                    log.error("the ingest lock was lost (held by %s now)", (current or {}).get("holder"))
                    return
                self._locks().update(ids=[_NAME], metadatas=[self._record(time.time(), since)])
            except Exception as exc:  # the store may be briefly unreachable; the next round tries again
                log.warning("could not renew the ingest lock: %s", exc)

    def release(self) -> None:
        """Give the lock up (only ours: a lock someone else took over stays theirs)."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join(10)
            self._renewer = None
        self._locks().delete(ids=[_NAME], where={"holder": self.token})

    def __enter__(self) -> "IndexLock":
        self.acquire()
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            self.release()
        except Exception as error:  # releasing must not hide the ingest's own error; the lock lapses anyway
            log.warning("could not release the ingest lock: %s", error)


def _dead_here(current: dict[str, Any]) -> bool:
    """True if the holder ran on this machine and its process is gone (killed): no need to wait for expiry."""
    pid = int(current.get("pid", 0) or 0)
    if current.get("host") != socket.gethostname() or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, ValueError, OSError):
        return False
    return False


def _busy(current: dict[str, Any]) -> IngestBusyError:
    since = float(current.get("since", 0) or 0)
    started = time.strftime("%H:%M:%S", time.localtime(since)) if since else "?"
    host = str(current.get("host", "?"))
    return IngestBusyError(
        f"another ingest is writing to this index (on {host}, process {current.get('pid', '?')}, "
        f"since {started}); try again when it has finished",
        host=host, since=started,
    )
