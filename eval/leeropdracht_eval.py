"""Drafting every leeropdracht of the rubric set and scoring it item by item.

Each request is drafted from its role and situation (as ``opgavewijzer
leeropdracht --rol … --situatie …`` does), exported to Markdown and Word, and
held against two sets of items: the mechanical rubric of
:func:`eval.answer_metrics.check_leeropdracht` and the content rubric of
:mod:`eval.leeropdracht_rubric`. The free request, as a user would type it in
the chat or on the command line, is read by the request parser and drafted a
second time to check that it was understood (the same roles, a group or not).

To know which passages the assistant actually retrieved, the evaluation hands
it a knowledge base that records every search result
(:class:`RecordingKnowledgeBase`). Looking a role up in the gids is retrieval
too: the passages of the role profiles found at ingest count as retrieved. A
citation to any other passage fails the ``citations_retrieved`` item.
"""

from __future__ import annotations

import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

from assistant.types import Leeropdracht
from eval.answer_metrics import check_leeropdracht, hoe_questions
from eval.datasets import LeeropdrachtCase
from eval.datasets import LEEROPDRACHT_SPLITS
from eval.leeropdracht_rubric import (
    CONTENT, FORM, ITEMS, MECHANICAL, Rendered, Rubric, check_rubric, invented_quotes, share_met,
)
from eval.leeropdracht_words import WordCheck, template_slips
from eval.matching import EvidenceMatcher
from eval.metrics import percentile
from eval.report import Block, Heading, Paragraph, Table, fmt
from kb.knowledge_base import KnowledgeBase
from kb.roles import profiles_from_extras
from kb.types import Hit


class RecordingKnowledgeBase:
    """A knowledge base that remembers the chunk ids of every passage its searches returned."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self._kb = kb
        self.retrieved: set[str] = set()

    def search(self, query: str, *args: Any, **kwargs: Any) -> list[Hit]:
        """Search as the wrapped knowledge base does, and record the hits."""
        hits = self._kb.search(query, *args, **kwargs)
        self.retrieved.update(h.chunk_id for h in hits)
        return hits

    def search_many(self, queries: Sequence[str], *args: Any, **kwargs: Any) -> list[list[Hit]]:
        """Search several questions as the wrapped knowledge base does, and record the hits."""
        results = self._kb.search_many(queries, *args, **kwargs)
        self.retrieved.update(h.chunk_id for hits in results for h in hits)
        return results

    def __getattr__(self, name: str) -> Any:
        # Everything else (chunks, info, refresh, settings, …) is the wrapped knowledge base's.
        return getattr(self._kb, name)


def role_section_chunks(kb: KnowledgeBase | RecordingKnowledgeBase) -> set[str]:
    """Chunk ids the role profiles stored with the build point at (their lookup counts as retrieval)."""
    return {t.chunk_id for p in profiles_from_extras(kb.info.extras) for t in p.texts()}


@dataclass(frozen=True)
class LeeropdrachtOutcome:
    """One draft and its rubric."""

    case: LeeropdrachtCase
    split: str
    draft: Leeropdracht
    checks: dict[str, bool | None]
    invented: tuple[str, ...]
    seconds: float
    damaged: tuple[str, ...] = ()  # damaged words outside quotation marks (eval.leeropdracht_words)
    slips: tuple[str, ...] = ()  # template slips in the draft's own texts

    @property
    def passed(self) -> bool:
        """True when every rubric item that applies holds."""
        return all(v for v in self.checks.values() if v is not None)


@dataclass
class LeeropdrachtReport:
    """All drafts of one ``opgavewijzer eval leeropdracht`` run."""

    dataset: str
    outcomes: list[LeeropdrachtOutcome] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self, split: str | None = None) -> dict[str, float | int | None]:
        """Shares met: per item, of all items, of the content items; drafts that pass everything; invented quotes."""
        chosen = [o for o in self.outcomes if split is None or o.split == split]
        checks = [o.checks for o in chosen]
        result: dict[str, float | int | None] = {}
        for item in ITEMS:
            met, n = share_met(checks, (item,))
            result[item] = met / n if n else None
        for name, items in (("items_met", ITEMS), ("mechanical_met", MECHANICAL), ("form_met", FORM), ("content_met", CONTENT)):
            met, n = share_met(checks, items)
            result[name] = met / n if n else None
        result["all_passed"] = sum(o.passed for o in chosen) / len(chosen) if chosen else None
        result["invented_quotes"] = sum(len(o.invented) for o in chosen)
        result["damaged_words"] = sum(len(o.damaged) for o in chosen)
        result["drafts_with_damaged_words"] = sum(bool(o.damaged) for o in chosen)
        result["template_slips"] = sum(len(o.slips) for o in chosen)
        times = [o.seconds * 1000 for o in chosen]
        result["latency_p50_ms"] = percentile(times, 50) if times else None
        return result


def _export_text(draft: Leeropdracht) -> tuple[str, str]:
    """The Markdown export and the text of the Word export."""
    from docx import Document

    from assistant.leeropdracht.export import leeropdracht_to_docx, leeropdracht_to_markdown

    with tempfile.TemporaryDirectory() as folder:
        path = leeropdracht_to_docx(draft, Path(folder) / "leeropdracht.docx")
        docx = "\n".join(p.text for p in Document(str(path)).paragraphs)
    return leeropdracht_to_markdown(draft), docx


def _understood(assistant: Any, request: str) -> tuple[tuple[str, ...], bool] | None:
    """Guide roles and group flag of the draft made from the free request; None if it cannot be read."""
    try:
        from assistant.leeropdracht.request import parse_request
    except ImportError:  # a version of the assistant without a request parser
        return None
    parsed = parse_request(request, assistant.roles())
    if not parsed.role:
        return None
    draft = assistant.draft_leeropdracht(parsed.role, parsed.situation or "")
    parts = getattr(draft, "parts", ())
    return tuple(sorted(p.name for p in parts if p.in_guide)), bool(getattr(draft, "group", False))


def run_leeropdracht_eval(
    assistant: Any, recorder: RecordingKnowledgeBase, cases: Sequence[LeeropdrachtCase], dataset: str,
    rubrics: dict[str, Rubric] | None = None, show_progress: bool = False,
) -> LeeropdrachtReport:
    """Draft every case with ``assistant``, which must search through ``recorder``, and check both rubrics."""
    from tqdm import tqdm

    rubrics = rubrics or {}
    matcher = EvidenceMatcher()
    passages = {c.chunk_id: c.text for c in recorder.chunks}
    looked_up = role_section_chunks(recorder)
    words = WordCheck((c.text for c in recorder.chunks), profiles_from_extras(recorder.info.extras))
    report = LeeropdrachtReport(dataset)
    started = time.perf_counter()
    for case in tqdm(cases, desc="leeropdrachten", unit="opdracht", file=sys.stderr, disable=not show_progress, leave=False):
        rubric = rubrics.get(case.id, Rubric())
        recorder.retrieved.clear()
        t0 = time.perf_counter()
        draft = assistant.draft_leeropdracht(case.role, case.situation)
        seconds = time.perf_counter() - t0
        checks = check_leeropdracht(case, draft, recorder.retrieved | looked_up, passages, matcher)
        markdown, docx = _export_text(draft)
        understood = _understood(assistant, rubric.request) if rubric.request else None
        rendered = Rendered(draft, markdown, docx, understood)
        checks.update(check_rubric(case, rubric, rendered, matcher))
        damaged = tuple(words.damaged_in(markdown, f"{rubric.request} {case.role} {case.situation}"))
        slips = tuple(template_slips(draft))
        checks.update(no_damaged_words=not damaged, templates_fit=not slips)
        invented = tuple(invented_quotes(rendered, case.situation, matcher))
        report.outcomes.append(LeeropdrachtOutcome(case, case.split, draft, checks, invented, seconds, damaged, slips))
    report.seconds = time.perf_counter() - started
    return report


def _mark(value: bool | None) -> str:
    return "–" if value is None else ("ja" if value else "NEE")


def _pct(value: float | int | None) -> str:
    return "–" if value is None else f"{100 * value:.0f}%"


def summary_table(report: LeeropdrachtReport) -> Table:
    """Per split: requests, share of rubric items met (all, mechanical, form, content), drafts that pass, invented
    quotes, damaged words outside quotation marks (and in how many drafts), template slips."""
    rows = []
    for split in (*LEEROPDRACHT_SPLITS, None):
        chosen = [o for o in report.outcomes if split is None or o.split == split]
        if not chosen:
            continue
        s = report.summary(split)
        rows.append((split or "alles", str(len(chosen)), _pct(s["items_met"]), _pct(s["mechanical_met"]), _pct(s["form_met"]),
                     _pct(s["content_met"]), _pct(s["all_passed"]), str(s["invented_quotes"]),
                     f"{s['damaged_words']} ({s['drafts_with_damaged_words']})", str(s["template_slips"])))
    return Table(("set", "opdrachten", "items", "mechanisch", "vorm", "inhoud", "alles goed", "verzonnen citaten",
                  "beschadigde woorden (opdrachten)", "sjabloonfouten"), tuple(rows))


def item_table(report: LeeropdrachtReport) -> Table:
    """Per rubric item: its kind and the share of drafts (where it applies) that meet it, per split."""
    rows = []
    for item in ITEMS:
        values = [report.summary(split)[item] for split in (*LEEROPDRACHT_SPLITS, None)]
        if all(v is None for v in values):
            continue
        kind = ("vorm" if item in FORM else "inhoud") + (", mechanisch" if item in MECHANICAL else "")
        rows.append((item, kind, *("–" if v is None else fmt(float(v)) for v in values)))
    return Table(("onderdeel", "soort", *LEEROPDRACHT_SPLITS, "alles"), tuple(rows))


def leeropdracht_blocks(report: LeeropdrachtReport) -> list[Block]:
    """The leeropdracht report as blocks: totals, per item, and one row per draft."""
    used = [i for i in ITEMS if any(o.checks.get(i) is not None for o in report.outcomes)]
    rows = tuple(
        (o.case.id, o.split, o.case.role, "ja" if o.case.in_gids else "nee", str(hoe_questions(o.draft)),
         *(_mark(o.checks.get(c)) for c in used))
        for o in report.outcomes
    )
    invented = [f"{o.case.id}: “{q}”" for o in report.outcomes for q in o.invented]
    damaged = [f"{o.case.id}: {', '.join(o.damaged)}" for o in report.outcomes if o.damaged]
    slips = [f"{o.case.id}: {'; '.join(o.slips)}" for o in report.outcomes if o.slips]
    return [
        Heading(f"Leeropdracht-evaluatie: {report.dataset}", 1),
        Paragraph(f"{len(report.outcomes)} leeropdrachten opgesteld in {report.seconds:.0f} s. Vorm: de opdracht is goed "
                  "gemaakt en eerlijk over haar bronnen; inhoud: ze past bij de persoon, de rol en de situatie. "
                  "Mechanisch: wat een programma zonder oordeel over de inhoud kan nagaan. Beschadigde woorden: "
                  "bronfouten, verkeerd gespelde rolnamen en gesplitste woorden buiten aanhalingstekens. "
                  "'–': niet van toepassing. Holdout en blind zijn niet gebruikt om af te stemmen; het blinde deel "
                  "is door anderen geschreven en tijdens het afstemmen niet gezien. Blind1 is ook door anderen "
                  "geschreven, eenmaal gelezen en sindsdien wel gebruikt om af te stemmen."),
        summary_table(report),
        Heading("Per onderdeel"),
        item_table(report),
        Heading("Per opdracht"),
        Table(("id", "set", "rol", "in gids", "hoe-vragen", *used), rows),
        Heading("Verzonnen citaten"),
        Paragraph("; ".join(invented) if invented else "Geen: elk citaat staat in een geciteerde passage of in de vraag zelf."),
        Heading("Beschadigde woorden buiten aanhalingstekens"),
        Paragraph("; ".join(damaged) if damaged else "Geen."),
        Heading("Sjabloonfouten"),
        Paragraph("; ".join(slips) if slips else "Geen."),
    ]


def leeropdracht_data(report: LeeropdrachtReport) -> dict:
    """Machine-readable results of a leeropdracht run."""
    return {
        "dataset": report.dataset,
        "summary": {split or "all": report.summary(split) for split in (*LEEROPDRACHT_SPLITS, None)},
        "drafts": [{"id": o.case.id, "split": o.split, "checks": o.checks, "invented_quotes": list(o.invented),
                    "damaged_words": list(o.damaged), "template_slips": list(o.slips),
                    "seconds": round(o.seconds, 3), "draft": o.draft.to_json()} for o in report.outcomes],
    }
