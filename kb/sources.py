"""Reading ``sources.json``: which documents make up the corpus, and their titles."""

from __future__ import annotations

import json
import re
from pathlib import Path

from opgavewijzer.errors import ConfigError
from kb.types import SourceInfo

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]{1,62}$")


def load_sources(path: Path) -> dict[str, SourceInfo]:
    """Load the sources file into a mapping from doc id to :class:`SourceInfo`.

    Raises :class:`ConfigError` naming the file and the field when an entry is
    malformed, because a silent default here would mislabel every citation.
    """
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: sources file not found") from exc
    except json.JSONDecodeError as exc:
        raise ConfigError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from exc
    entries = data.get("documents") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: expected an object with a 'documents' list")
    sources: dict[str, SourceInfo] = {}
    for i, entry in enumerate(entries):
        for key in ("id", "file", "title"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ConfigError(f"{path}: documents[{i}] lacks the field '{key}'")
        doc_id = entry["id"]
        if not _ID_RE.match(doc_id):
            raise ConfigError(f"{path}: documents[{i}].id '{doc_id}' must be lowercase letters, digits and '_'")
        if doc_id in sources:
            raise ConfigError(f"{path}: documents[{i}].id '{doc_id}' occurs twice")
        sources[doc_id] = SourceInfo(
            doc_id=doc_id,
            file=entry["file"],
            # Every field but id, file and title may be left out: ingest then reads it from the document.
            title=entry["title"].strip(),
            short_title=_text(path, i, entry, "short_title"),
            publisher=_text(path, i, entry, "publisher"),
            date=_text(path, i, entry, "date"),
            aliases=_aliases(path, i, entry.get("aliases", []), "aliases"),
            names=_names(path, i, entry.get("names", {})),
            role_appendix=_text(path, i, entry, "role_appendix"),
            kind=_text(path, i, entry, "kind"),
            topics=_aliases(path, i, entry.get("topics", []), "topics"),
        )
    return sources


def _aliases(path: Path, i: int, value: object, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(a, str) and a.strip() for a in value):
        raise ConfigError(f"{path}: documents[{i}].{key} must be a list of non-empty strings")
    return tuple(a.strip() for a in value)


def _text(path: Path, i: int, entry: dict, key: str) -> str:
    value = entry.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{path}: documents[{i}].{key} must be a string")
    return value.strip()


def _names(path: Path, i: int, value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                              for k, v in value.items()):
        raise ConfigError(f"{path}: documents[{i}].names must map a language code to a non-empty name")
    return {k: v.strip() for k, v in value.items()}


def doc_id_for_file(path: Path) -> str:
    """A stable doc id for a file that is not in the sources file (an upload)."""
    slug = re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_") or "document"
    return slug[:60] if len(slug) >= 2 else f"doc_{slug}"
