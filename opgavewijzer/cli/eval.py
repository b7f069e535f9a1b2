"""The ``opgavewijzer eval`` subcommands: ``retrieval``, ``answers`` and ``leeropdracht``."""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from opgavewijzer.errors import ConfigError
from opgavewijzer.settings import Settings


def register(sub: Any) -> None:
    """Add ``eval`` and its three subcommands to the parser."""
    from eval.systems import SYSTEM_NAMES

    p = sub.add_parser("eval", help="retrieval, antwoorden of leeropdrachten evalueren op een vragenset")
    kinds = p.add_subparsers(dest="eval_kind", required=True, metavar="WAT")

    r = kinds.add_parser("retrieval", help="zoeksystemen naast elkaar vergelijken")
    _common(r, "dev.jsonl")
    r.add_argument("--systems", default=None,
                   help=f"komma-gescheiden, uit: {', '.join(SYSTEM_NAMES)} (standaard: alle; met --update-baseline: hybrid)")
    r.add_argument("--top-k", type=int, default=None, metavar="K",
                   help="passages per vraag (standaard 20; de metrics gebruiken de eerste 10 en de eerste 6.000 tekens)")
    r.add_argument("--update-baseline", action="store_true",
                   help="eval/baseline.json bewust opnieuw schrijven: hybrid op dev.jsonl, op een vers index van het corpus met standaardinstellingen")
    r.set_defaults(handler=cmd_eval_retrieval)

    a = kinds.add_parser("answers", help="antwoorden en citaties van de assistent beoordelen, per soort vraag en taal")
    _common(a, "dev.jsonl en holdout.jsonl, elk apart")
    a.add_argument("--top-k", type=int, default=None, metavar="K", help="passages per antwoord (standaard: instelling top_k)")
    a.add_argument("--limit", type=int, default=None, metavar="N", help="alleen de eerste N vragen per set")
    a.add_argument("--set", dest="sets", action="append", choices=["dev", "holdout", "blind", "added", "train"],
                   help="vragenset (herhaalbaar; standaard dev en holdout). blind: de bevroren blinde set, eenmaal per "
                        "ronde te meten; added: het document in eval/added/, toegevoegd naast een kopie van de index")
    a.add_argument("--update-baseline", action="store_true",
                   help="het antwoorddeel van eval/baseline.json bewust opnieuw schrijven: dev.jsonl, op een vers index van het corpus met standaardinstellingen")
    a.set_defaults(handler=cmd_eval_answers)

    lo = kinds.add_parser("leeropdracht", help="leeropdrachten opstellen en tegen de rubriek houden")
    _common(lo, "leeropdrachten.jsonl")
    lo.add_argument("--top-k", type=int, default=None, metavar="K", help="passages per opdracht (standaard: instelling top_k)")
    lo.add_argument("--split", choices=["dev", "holdout", "blind1", "blind"], default=None,
                    help="alleen de dev-, holdout- of blinde opdrachten (standaard: alle, elk deel apart gerapporteerd)")
    lo.set_defaults(handler=cmd_eval_leeropdracht)

    from opgavewijzer.cli.eval_overview import register_overview

    register_overview(kinds, _common)


def _common(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument("--dataset", type=Path, default=None, metavar="F", help=f"JSON Lines-bestand (standaard: eval/datasets/{default})")
    p.add_argument("--report", type=Path, default=None, metavar="DIR", help="schrijf report.md, report.html en results.json in DIR")
    p.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")


def _positive(value: int | None, name: str) -> None:
    if value is not None and value < 1:
        raise ConfigError(f"{name} moet 1 of meer zijn, niet {value}")


def _with_top_k(settings: Settings, top_k: int | None) -> Settings:
    _positive(top_k, "--top-k")
    return settings if top_k is None else settings.override(retrieval__top_k=top_k)


def _note(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_eval_retrieval(args: argparse.Namespace, settings: Settings) -> int:
    """Compare retrieval systems on a question set; print the summary, write a report, or update the baseline."""
    from eval.datasets import DEV_SET, load_questions
    from eval.gate import BASELINE_FILE, baseline_from, default_corpus_kb, pipeline_config, save_baseline
    from eval.report import summary_table, text_table, write_retrieval_report
    from eval.retrieval_eval import DEFAULT_DEPTH, run_retrieval_eval
    from eval.systems import DEFAULT_SYSTEM, SYSTEM_NAMES, open_systems, parse_system_names
    from kb.knowledge_base import KnowledgeBase

    _positive(args.top_k, "--top-k")
    dataset = args.dataset or DEV_SET
    if args.systems is None:
        # A baseline needs only the default system; a comparison wants them all.
        args.systems = DEFAULT_SYSTEM if args.update_baseline else ",".join(SYSTEM_NAMES)
    names = parse_system_names(args.systems)
    if args.update_baseline:
        if dataset.resolve() != DEV_SET.resolve():
            raise ConfigError("--update-baseline meet altijd op eval/datasets/dev.jsonl; laat --dataset weg")
        if args.top_k not in (None, DEFAULT_DEPTH):
            raise ConfigError(f"--update-baseline meet met de standaarddiepte ({DEFAULT_DEPTH}); laat --top-k weg")
        names = names if DEFAULT_SYSTEM in names else [DEFAULT_SYSTEM, *names]
    questions = load_questions(dataset)
    started = time.perf_counter()
    with ExitStack() as stack:
        if args.update_baseline:
            _note("vers index van het corpus bouwen met standaardinstellingen (zoals de CI-gate meet)…")
            kb = stack.enter_context(default_corpus_kb(show_progress=not args.quiet))
            settings = kb.settings
        else:
            kb = KnowledgeBase.open(settings)
        if "llamaindex-naive" in names:
            _note("llama-index-baseline bouwen (all-MiniLM-L6-v2, tijdelijke map)…")
        systems = stack.enter_context(open_systems(names, settings, kb))
        report = run_retrieval_eval(systems, questions, dataset.name, args.top_k or DEFAULT_DEPTH, show_progress=not args.quiet)
        config = pipeline_config(kb)
    report.seconds = time.perf_counter() - started
    scored = len(questions) - report.n_unanswerable
    print(f"{dataset.name}: {scored} vragen gescoord, {report.n_unanswerable} onbeantwoordbaar overgeslagen; {report.seconds:.0f} s")
    print(text_table(summary_table(report)))
    if args.report:
        for path in write_retrieval_report(report, args.report):
            _note(f"geschreven: {path}")
    if args.update_baseline:
        save_baseline(baseline_from(report.system(DEFAULT_SYSTEM), DEV_SET.name, config))
        _note(f"baseline bijgewerkt: {BASELINE_FILE.name}")
    return 0


def _assistant(settings: Settings, kb: Any) -> Any:
    from assistant.answer.engine import Assistant

    return Assistant(settings, kb)


def cmd_eval_answers(args: argparse.Namespace, settings: Settings) -> int:
    """Ask the assistant every question of dev and holdout (or one set) and score answers, citations and refusals."""
    from eval.quotes import SourceTexts
    from eval.answer_eval import run_answer_eval
    from eval.answer_gate import answer_baseline_from, answer_config, save_answer_baseline
    from eval.added import with_added_documents
    from eval.datasets import ADDED_SET, DEV_SET, load_questions, question_sets
    from eval.gate import BASELINE_FILE, default_corpus_kb
    from kb.knowledge_base import KnowledgeBase

    _positive(args.limit, "--limit")
    datasets = [args.dataset] if args.dataset else [p for name in (args.sets or ["dev", "holdout"]) for p in question_sets()[name]]
    if args.update_baseline:
        if args.dataset and args.dataset.resolve() != DEV_SET.resolve():
            raise ConfigError("--update-baseline meet altijd op eval/datasets/dev.jsonl; laat --dataset weg")
        if args.top_k is not None or args.limit is not None:
            raise ConfigError("--update-baseline meet alle vragen met de standaardinstellingen; laat --top-k en --limit weg")
        datasets = [DEV_SET]
    reports = []
    with ExitStack() as stack:
        if args.update_baseline:
            _note("vers index van het corpus bouwen met standaardinstellingen (zoals de CI-gate meet)…")
            kb = stack.enter_context(default_corpus_kb(show_progress=not args.quiet))
            settings = kb.settings
        else:
            settings = _with_top_k(settings, args.top_k)
            kb = KnowledgeBase.open(settings)
        assistant, sources = _assistant(settings, kb), SourceTexts(kb.chunks)
        added = [p for p in datasets if p.name == ADDED_SET.name]
        for path in [p for p in datasets if p not in added]:
            questions = load_questions(path)[: args.limit]
            reports.append(run_answer_eval(assistant, questions, path.name, settings.answer.mode,
                                           show_progress=not args.quiet, sources=sources))
        config = answer_config(kb)
        if added:
            # The added document is ingested next to a copy of this index, as a maintainer would add it.
            with_added = stack.enter_context(with_added_documents(settings, show_progress=not args.quiet))
            reports.append(run_answer_eval(_assistant(settings, with_added), load_questions(ADDED_SET)[: args.limit],
                                           ADDED_SET.name, settings.answer.mode, show_progress=not args.quiet,
                                           sources=SourceTexts(with_added.chunks)))
    _print_answer_reports(reports, args.report)
    if args.update_baseline:
        save_answer_baseline(answer_baseline_from(reports[0], config))
        _note(f"antwoord-baseline bijgewerkt: {BASELINE_FILE.name}")
    return 0


def _print_answer_reports(reports: list[Any], folder: Path | None) -> None:
    """Totals per set, then per kind and per language of each set; the full report into ``folder``."""
    from eval.answer_report import answer_blocks, answer_data, group_table, overview_table
    from eval.report import text_table, write_report

    print(", ".join(f"{r.dataset}: {len(r.outcomes)} vragen in {r.seconds:.0f} s" for r in reports))
    print(text_table(overview_table(reports)))
    for r in reports:
        for by in ("kind", "lang"):
            print(f"\n{r.dataset} per {'soort vraag' if by == 'kind' else 'taal'}:")
            print(text_table(group_table(r, by, compact=True)))
    if folder:
        blocks = [b for r in reports for b in answer_blocks(r)]
        data = {"sets": [answer_data(r) for r in reports]}
        for path in write_report(blocks, folder, "Antwoorden", data):
            _note(f"geschreven: {path}")


def cmd_eval_leeropdracht(args: argparse.Namespace, settings: Settings) -> int:
    """Draft every leeropdracht of the rubric set and check the mechanical rubric items."""
    from eval.datasets import LEEROPDRACHT_SET, load_leeropdracht_cases
    from eval.leeropdracht_eval import (
        RecordingKnowledgeBase, item_table, leeropdracht_blocks, leeropdracht_data, run_leeropdracht_eval, summary_table,
    )
    from eval.leeropdracht_rubric import load_rubrics
    from eval.report import text_table, write_report
    from kb.knowledge_base import KnowledgeBase

    settings = _with_top_k(settings, args.top_k)
    dataset = args.dataset or LEEROPDRACHT_SET
    rubrics = load_rubrics(dataset)
    cases = [c for c in load_leeropdracht_cases(dataset) if args.split in (None, c.split)]
    recorder = RecordingKnowledgeBase(KnowledgeBase.open(settings))
    report = run_leeropdracht_eval(_assistant(settings, recorder), recorder, cases, dataset.name, rubrics,
                                   show_progress=not args.quiet)
    print(f"{dataset.name}: {len(cases)} leeropdrachten in {report.seconds:.0f} s")
    print(text_table(summary_table(report)))
    print(text_table(item_table(report)))
    if args.report:
        for path in write_report(leeropdracht_blocks(report), args.report, f"Leeropdrachten {dataset.name}", leeropdracht_data(report)):
            _note(f"geschreven: {path}")
    return 0
