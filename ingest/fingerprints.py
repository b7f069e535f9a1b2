"""Fingerprints of input files: its one job is the hashes that tell an unchanged or copied document apart."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from ingest.inputs import InputDocument
from ingest.loaders import unreadable
from opgavewijzer.errors import DocumentError


def content_hash(path: Path) -> str:
    """SHA-256 of a file's bytes, read in blocks (memory stays flat for a large file)."""
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise DocumentError(path, unreadable(exc)) from exc
    return digest.hexdigest()


def fingerprint(doc: InputDocument, content: str | None = None) -> str:
    """SHA-256 of the file and its description: a new title or alias also rebuilds the document,
    because the title is part of every embedded passage."""
    digest = hashlib.sha256((content or content_hash(doc.path)).encode("ascii"))
    digest.update(json.dumps(asdict(doc.source), sort_keys=True).encode("utf-8"))
    return digest.hexdigest()
