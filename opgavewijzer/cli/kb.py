"""Subcommands of the knowledge base: ``ingest``, ``remove``, ``search`` and ``status``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from opgavewijzer.errors import ConfigError
from opgavewijzer.settings import Settings


def register(sub: Any) -> None:
    """Add the knowledge-base subcommands to the parser."""
    p = sub.add_parser("ingest", help="documenten toevoegen of bijwerken in de index (incrementeel)")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="bestanden of mappen (standaard: corpus en uploads)")
    p.add_argument("--rebuild", action="store_true",
                   help="alles opnieuw inlezen en embedden; de index bevat daarna alleen de gegeven paden")
    p.add_argument("--quiet", action="store_true", help="geen voortgang (balk en meldingen bij grote bestanden)")
    p.add_argument("--no-question-check", dest="check_questions", action="store_false",
                   help="de voorgestelde vragen van de bronnengidsen niet aan de assistent voorleggen")
    p.set_defaults(handler=cmd_ingest)

    p = sub.add_parser("remove", help="documenten uit de index halen (op doc-id of bestandsnaam)")
    p.add_argument("names", nargs="+", metavar="ID|BESTAND", help="doc-id of bestandsnaam, zoals 'opgavewijzer status' ze toont")
    p.set_defaults(handler=cmd_remove)

    p = sub.add_parser("search", help="passages zoeken (hybride BM25 + dense)")
    p.add_argument("question", nargs="?", help="de vraag")
    p.add_argument("--file", type=Path, help="een vraag per regel; uitvoer als JSON Lines")
    p.add_argument("--top-k", type=int, default=None, help="aantal passages (standaard: instelling top_k)")
    p.add_argument("--doc", action="append", dest="docs", metavar="ID", help="alleen in dit document zoeken (herhaalbaar)")
    p.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid", help=argparse.SUPPRESS)
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.set_defaults(handler=cmd_search)

    p = sub.add_parser("status", help="toon wat er in de index staat")
    p.set_defaults(handler=cmd_status)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    """Add or update documents and print exactly what changed; exit code 1 if any file failed."""
    from ingest.pipeline import run_ingest

    def notify(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    report = run_ingest(settings, args.paths, rebuild=args.rebuild, show_progress=not args.quiet,
                        notify=None if args.quiet else notify)
    print_report(report)
    others = len(report.unchanged) + len(report.untouched)
    if report.changed:
        parts = [
            f"{len(report.added)} nieuw",
            f"{len(report.updated)} gewijzigd",
            f"{others} ongewijzigd",
            f"{len(report.removed)} verwijderd",
            f"{len(report.failed)} mislukt",
        ]
        print(f"index bijgewerkt: {', '.join(parts)}; {report.chunks} passages ({report.embedded} ge-embed) in {report.seconds:.1f} s")
    elif report.collection:
        print(f"index is actueel: {others + len(report.kept_previous)} documenten, {report.chunks} passages "
              f"({len(report.failed)} mislukt)")
    if report.collection and args.check_questions:
        from opgavewijzer.cli.guides import check_suggested_questions, questions_checked

        # Also when nothing changed: a run stopped during the check left a build whose questions were never checked.
        if report.changed or not questions_checked(settings):
            docs, kept, seconds = check_suggested_questions(settings)
            print(f"bronnengidsen: {kept} voorgestelde vragen van {docs} documenten gecontroleerd in {seconds:.1f} s")
    else:
        print(f"geen index gebouwd: geen bruikbare documenten ({len(report.failed)} mislukt)")
    return 0 if report.ok else 1


def cmd_remove(args: argparse.Namespace, settings: Settings) -> int:
    """Take documents out of the index; exit code 1 if a name is not in it."""
    from ingest.removal import remove_documents

    report = remove_documents(settings, args.names)
    print_report(report)
    if report.removed:
        print(f"index bijgewerkt: {len(report.removed)} verwijderd; {len(report.untouched)} documenten, "
              f"{report.chunks} passages in {report.seconds:.1f} s")
    else:
        print("niets verwijderd: de index is ongewijzigd")
    return 0 if report.ok and report.removed else 1


def print_report(report: Any) -> None:
    """Failures and notes on stderr, one line each and naming the file; then per kind which documents changed."""
    for err in report.failed:
        print(f"mislukt: {err.path.name}: {err.reason}", file=sys.stderr)
    for doc in report.kept_previous:
        print(f"behouden: vorige versie van {doc} blijft in de index", file=sys.stderr)
    for note in report.notes:
        print(f"let op: {note}", file=sys.stderr)
    for label, docs in (("nieuw", report.added), ("gewijzigd", report.updated), ("verwijderd", report.removed)):
        if docs:
            print(f"{label}: {', '.join(sorted(docs))}")
    if getattr(report, "guides_renewed", False):
        print("bronnengidsen opnieuw gemaakt (een nieuwe versie; niets opnieuw ge-embed)")


def read_questions(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: bestand met vragen niet gevonden") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: niet in UTF-8 gecodeerd") from exc
    return [line.strip() for line in lines if line.strip()]


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    """Search for one question, or for every line of ``--file`` (JSON Lines)."""
    from kb.knowledge_base import KnowledgeBase

    if bool(args.question) == bool(args.file):
        raise ConfigError("geef een vraag of --file, niet beide en niet geen van beide")
    questions = read_questions(args.file) if args.file else [args.question]
    kb = KnowledgeBase.open(settings)
    started = time.perf_counter()
    results = kb.search_many(questions, top_k=args.top_k, doc_ids=args.docs, mode=args.mode)
    elapsed = time.perf_counter() - started
    if args.json or args.file:
        for question, hits in zip(questions, results):
            print(json.dumps({"question": question, "results": [h.to_json() for h in hits]}, ensure_ascii=False))
        return 0
    hits = results[0]
    if not hits:
        print("Geen passages gevonden.")
    for hit in hits:
        where = hit.section or "(begin)"
        page = f", p. {hit.page}" if hit.page else ""
        snippet = " ".join(hit.text.split())
        snippet = snippet[:300] + ("…" if len(snippet) > 300 else "")
        print(f"[{hit.rank}] {hit.title} — {where}{page}  (score {hit.score:.4f})\n    {snippet}\n")
    print(f"({len(hits)} passages in {elapsed * 1000:.0f} ms)", file=sys.stderr)
    return 0


def cmd_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print what the active index holds."""
    from kb.store import ChromaStore

    store = ChromaStore(settings)
    info = store.active_info()
    if info is None:
        print("Nog geen index. Draai: opgavewijzer ingest")
        return 1
    print(f"build {info.collection} ({info.built_at}), model {info.embedding_model}, pipeline {info.pipeline}")
    for rec in info.documents.values():
        print(f"  {rec.doc_id:<20} {rec.chunks:>4} passages  {rec.words:>6} woorden  {rec.file}")
    total, stored = sum(r.chunks for r in info.documents.values()), store.count(info.collection)
    print(f"totaal: {len(info.documents)} documenten, {total} passages")
    if stored != total:  # never expected: every build is checked before it is activated
        print(f"let op: de store bevat {stored} passages, niet {total}; draai 'opgavewijzer ingest --rebuild'", file=sys.stderr)
        return 1
    return 0
