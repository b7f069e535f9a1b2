"""``opgavewijzer documents``: list, show and correct the metadata of the indexed documents."""

from __future__ import annotations

import argparse
import json
from typing import Any

from opgavewijzer.errors import ConfigError, IndexMissingError
from opgavewijzer.settings import Settings

_FIELDS = (("title", "titel"), ("short_title", "korte titel"), ("kind", "soort"), ("publisher", "uitgever"),
           ("date", "datum"), ("aliases", "aliassen"), ("topics", "onderwerpen"), ("names", "namen"), ("file", "bestand"))


def register(sub: Any) -> None:
    """Add ``documents`` with its actions ``show``, ``set`` and ``guide``."""
    p = sub.add_parser("documents", help="documenten in de index: titel, namen, aliassen, uitgever, datum")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.set_defaults(handler=cmd_list)
    actions = p.add_subparsers(dest="action", metavar="ACTIE")
    show = actions.add_parser("show", help="alle gegevens van één document")
    show.add_argument("doc_id", metavar="ID")
    show.add_argument("--json", action="store_true", help="uitvoer als JSON")
    show.set_defaults(handler=cmd_show)
    edit = actions.add_parser("set", help="gegevens van een document corrigeren (blijft bewaard bij opnieuw inlezen)")
    edit.add_argument("doc_id", metavar="ID")
    edit.add_argument("--title", help="de titel")
    edit.add_argument("--short-title", dest="short_title", help="de korte titel (in namen als ‘…’)")
    edit.add_argument("--kind", help="soort: rapport, verslag, essay, gids, bijlage, evaluatie, notitie")
    edit.add_argument("--publisher", help="de uitgever of auteur")
    edit.add_argument("--date", help="de datum zoals het document die noemt")
    edit.add_argument("--alias", action="append", dest="aliases", metavar="ALIAS",
                      help="een naam waarmee gebruikers het document noemen (herhaalbaar; vervangt de lijst)")
    edit.add_argument("--topic", action="append", dest="topics", metavar="WOORD",
                      help="een onderwerpwoord dat in de vraag blijft staan (herhaalbaar; vervangt de lijst)")
    edit.set_defaults(handler=cmd_set)
    guide = actions.add_parser("guide", help="de bronnengids van een document: wat het is, hoofdstukken, kernpunten, vragen")
    guide.add_argument("doc_id", metavar="ID")
    guide.add_argument("--json", action="store_true", help="uitvoer als JSON (standaard: Markdown)")
    guide.set_defaults(handler=cmd_guide)


def _info(settings: Settings) -> Any:
    from kb.store import ChromaStore

    info = ChromaStore(settings).active_info()
    if info is None:
        raise IndexMissingError("nog geen index: draai eerst 'opgavewijzer ingest'")
    return info


def _fields(record: Any) -> dict[str, Any]:
    return {key: getattr(record, key) for key, _ in _FIELDS}


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    """One line per document: id, short title, kind and publisher."""
    documents = _info(settings).documents
    if args.json:
        print(json.dumps({d: _fields(r) for d, r in documents.items()}, ensure_ascii=False, indent=2))
        return 0
    for doc_id, record in documents.items():
        extra = ", ".join(x for x in (record.kind, record.publisher, record.date) if x)
        print(f"{doc_id:<24} {record.short_title or record.title}" + (f"  ({extra})" if extra else ""))
    return 0


def cmd_show(args: argparse.Namespace, settings: Settings) -> int:
    """Every metadata field of one document."""
    record = _info(settings).documents.get(args.doc_id)
    if record is None:
        raise ConfigError(f"'{args.doc_id}' staat niet in de index (zie 'opgavewijzer documents')")
    print_record(record, args.json)
    return 0


def cmd_set(args: argparse.Namespace, settings: Settings) -> int:
    """Correct fields of one document; kept in the data folder's documents.json and applied at every ingest."""
    from ingest.document_edits import EDITS_FILE, set_document

    changes = {k: getattr(args, k) for k in ("title", "short_title", "kind", "publisher", "date", "aliases", "topics")}
    if not any(v for v in changes.values()):
        raise ConfigError("geef minstens één veld om te wijzigen (zie 'opgavewijzer documents set --help')")
    record = set_document(settings, args.doc_id, changes)
    print_record(record, False)
    print(f"bewaard in {EDITS_FILE} in de datamap; de index toont het nu")
    return 0


def cmd_guide(args: argparse.Namespace, settings: Settings) -> int:
    """Print the source guide of one document, in Markdown or JSON."""
    from kb.guides import guides_from_extras, load_checked_questions
    from kb.store import ChromaStore
    from opgavewijzer.cli.guides import guide_json, guide_markdown

    store = ChromaStore(settings)
    info = store.active_info()
    if info is None:
        raise IndexMissingError("nog geen index: draai eerst 'opgavewijzer ingest'")
    if args.doc_id not in info.documents:
        raise ConfigError(f"'{args.doc_id}' staat niet in de index (zie 'opgavewijzer documents')")
    guide = guides_from_extras(info.extras).get(args.doc_id)
    if guide is None:
        raise ConfigError(f"'{args.doc_id}' heeft nog geen bronnengids: draai 'opgavewijzer ingest' opnieuw")
    questions = (load_checked_questions(store, info.collection) or {}).get(args.doc_id)
    print(guide_json(guide, questions) if args.json else guide_markdown(guide, questions), end="")
    return 0


def print_record(record: Any, as_json: bool) -> None:
    """A record as labelled lines (or JSON)."""
    if as_json:
        print(json.dumps({"doc_id": record.doc_id, **_fields(record)}, ensure_ascii=False, indent=2))
        return
    print(f"{record.doc_id}")
    for key, label in _FIELDS:
        value = getattr(record, key)
        if isinstance(value, dict):
            value = "; ".join(f"{k}: {v}" for k, v in value.items())
        elif isinstance(value, list):
            value = ", ".join(value)
        print(f"  {label + ':':<13} {value or '-'}")
