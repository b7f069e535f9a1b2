"""``opgavewijzer eval overview``: overview questions ("waar gaat … over?") asked and checked, dev and blind apart."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable

from opgavewijzer.settings import Settings


def register_overview(kinds: Any, common: Callable[[argparse.ArgumentParser, str], None]) -> None:
    """Add ``eval overview`` to the ``eval`` subcommands."""
    o = kinds.add_parser("overview", help="overzichtsvragen ('waar gaat … over?', 'vat … samen') per document beoordelen")
    common(o, "overview.jsonl")
    o.add_argument("--split", choices=["dev", "blind1", "blind"], default=None, help="alleen dit deel (standaard: alle, elk apart)")
    o.add_argument("--answers", type=Path, default=None, metavar="F", help="schrijf elke vraag met antwoord als Markdown naar F")
    o.set_defaults(handler=cmd_eval_overview)


def cmd_eval_overview(args: argparse.Namespace, settings: Settings) -> int:
    """Ask every overview question (adding the documents of eval/added/ it names) and print what passed."""
    from assistant.answer.engine import Assistant
    from eval.overview_eval import answers_markdown, run_overview, summary_lines
    from eval.overview_set import OVERVIEW_SET, load_overview, load_topic_questions, with_files_added
    from eval.quotes import SourceTexts

    questions = [q for q in load_overview(args.dataset or OVERVIEW_SET) if args.split in (None, q.split)]
    topics = [t for t in load_topic_questions() if args.split in (None, t.split)] if not args.dataset else []
    files = sorted({q.added_file for q in [*questions, *topics] if q.added_file})

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            print(f"\r{done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    with with_files_added(settings, files, show_progress=False) as (kb, doc_ids):
        assistant = Assistant(settings, kb)
        outcomes = run_overview(lambda q: assistant.answer(q, mode="extractive"), questions, doc_ids,
                                kb.info.documents, SourceTexts(kb.chunks), kb.sentences, progress)
        # A topic question answered with a whole document's overview is a wrong answer.
        taken = [t for t in topics if assistant.answer(t.question, mode="extractive").kind == "overview"]
    for line in summary_lines(outcomes):
        print(line)
    for split in sorted({t.split for t in topics}):
        wrong = [t for t in taken if t.split == split]
        print(f"{split}: onderwerpvragen in overzichtswoorden: {len(wrong)} van "
              f"{sum(t.split == split for t in topics)} ten onrechte als overzicht beantwoord")
        for t in wrong:
            print(f"  {split} {t.id}: {t.question}")
    if args.answers:
        args.answers.write_text(answers_markdown(outcomes), encoding="utf-8")
    if args.report:
        args.report.mkdir(parents=True, exist_ok=True)
        data = [{"id": o.question.id, "split": o.question.split, "question": o.question.question, "doc": o.doc_id,
                 "passed": o.passed, "checks": o.checks, "words": o.words, "sections": o.sections, "answer": o.text}
                for o in outcomes]
        (args.report / "results.json").write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0
