"""Files and folders private to the server's user: the data folder (0700), databases and secrets (0600)."""

from __future__ import annotations

import os
from pathlib import Path


def make_private_dir(folder: Path) -> None:
    """Create ``folder`` if needed and make it readable by this user only (0700)."""
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)


def make_private_file(path: Path) -> None:
    """Create ``path`` empty if needed (never world-readable, not even for a moment) and set it to 0600.

    A missing parent folder is made 0700; an existing one is left as it is (it may be shared).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        # Not opened again: closing a second descriptor of a database file drops every POSIX lock this
        # process holds on it, and SQLite elsewhere would then take this server's open connections for gone.
        pass
    os.chmod(path, 0o600)
