"""A maintainer's corrections to document metadata: ``opgavewijzer documents set``.

Edits are kept in ``documents.json`` in the data folder (next to the uploads),
one entry per doc id, and win over both ``sources.json`` and what ingest reads
from the document, field by field. Every ingest applies them again, so a
re-ingest keeps them. Setting a field also writes a new build at once (nothing
is embedded: passages and vectors are copied, passages carry the new title),
so a running server shows the change as soon as it notices the build.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from typing import Any, Mapping

from ingest.builds import write_build
from ingest.guide import with_guides
from ingest.lock import ingest_lock
from ingest.metadata import names, short_title
from kb.store import ChromaStore
from kb.types import DocumentRecord, SourceInfo
from opgavewijzer.errors import ConfigError, IndexMissingError
from opgavewijzer.settings import Settings

EDITS_FILE = "documents.json"
TEXT_FIELDS = ("title", "short_title", "publisher", "date", "kind")
LIST_FIELDS = ("aliases", "topics")


def load_edits(settings: Settings) -> dict[str, dict[str, Any]]:
    """The maintainer's edits by doc id (empty when none were made)."""
    path = settings.data_dir / EDITS_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the document edits ({exc})") from exc
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise ConfigError(f"{path}: expected an object of doc id -> fields")
    return data


def apply_edit(source: SourceInfo, edit: Mapping[str, Any] | None) -> SourceInfo:
    """``source`` with the edited fields set; a new title without a new short title drops the old one and the names."""
    if not edit:
        return source
    changes: dict[str, Any] = {k: str(edit[k]) for k in TEXT_FIELDS if edit.get(k)}
    changes.update({k: tuple(str(a) for a in edit[k]) for k in LIST_FIELDS if k in edit})
    if "title" in changes and changes["title"] != source.title:
        changes.setdefault("short_title", "")
        changes["names"] = {}  # rebuilt from the new (short) title at ingest
    return replace(source, **changes)


def edit_record(record: DocumentRecord, edit: Mapping[str, Any]) -> DocumentRecord:
    """A record of the index with an edit applied, its names rebuilt when its title or kind changed."""
    source = SourceInfo(record.doc_id, record.file, record.title, record.short_title, record.publisher, record.date,
                        tuple(record.aliases), dict(record.names), kind=record.kind, topics=tuple(record.topics))
    edited = apply_edit(source, edit)
    short = edited.short_title or short_title(edited.title)
    # Names built from the old short title and kind follow an edit of either; names from sources.json stay.
    built = record.names == names(record.short_title, record.kind)
    rename = not edited.names or (built and (edited.kind != record.kind or short != record.short_title))
    return replace(record, title=edited.title, short_title=short, publisher=edited.publisher, date=edited.date,
                   kind=edited.kind, aliases=list(edited.aliases), topics=list(edited.topics),
                   names=names(short, edited.kind) if rename else dict(edited.names))


def set_document(settings: Settings, doc_id: str, changes: Mapping[str, Any],
                 store: ChromaStore | None = None) -> DocumentRecord:
    """Record a maintainer's edit of one indexed document and write a build that shows it; returns the new record."""
    store = store if store is not None else ChromaStore(settings)
    with ingest_lock(settings, store):
        previous = store.active_info()
        if previous is None:
            raise IndexMissingError("no index has been built yet: run 'opgavewijzer ingest' first")
        if doc_id not in previous.documents:
            raise ConfigError(f"'{doc_id}' is not in the index (see 'opgavewijzer documents')")
        edits = load_edits(settings)
        edit = {**edits.get(doc_id, {}), **{k: v for k, v in changes.items() if v not in (None, "", [])}}
        record = edit_record(previous.documents[doc_id], edit)
        edits[doc_id] = edit
        _save(settings, edits)
        records = {**previous.documents, doc_id: record}
        write_build(store, previous, records, [], embedder=None, embedding_model=previous.embedding_model,
                    pipeline=previous.pipeline, extras=dict(previous.extras), batch_size=settings.embedding.batch_size,
                    describe=with_guides)  # the guide shows the corrected title, kind and date
        return record


def _save(settings: Settings, edits: Mapping[str, Any]) -> None:
    """Write the edits file whole, through a temporary file (a crash never leaves half a file)."""
    path = settings.data_dir / EDITS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(edits, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(tmp, path)
