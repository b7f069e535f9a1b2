"""The ingest lock: its one job is letting only one build write to an index at a time."""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from typing import Iterator

from kb.index_lock import IndexLock
from kb.store import ChromaStore
from opgavewijzer.settings import Settings


@contextmanager
def ingest_lock(settings: Settings, store: ChromaStore | None = None) -> Iterator[None]:
    """One ingest at a time per data folder (CLI and chat upload may race otherwise), and per
    index on every machine: a second ingest anywhere is refused with who holds the lock.

    The lock is also what makes it safe for a build to remove half-written
    collections: no other build can be in progress.
    """
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # The lock in the store covers ingests on other machines too (a Chroma server): kb/index_lock.py.
    with IndexLock(store if store is not None else ChromaStore(settings)), \
            open(settings.data_dir / ".ingest.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
