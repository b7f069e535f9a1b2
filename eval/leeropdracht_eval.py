"""Drafting every leeropdracht of the rubric set and checking the mechanical rubric items.

To know which passages the assistant actually retrieved, the evaluation hands
it a knowledge base that records every search result
(:class:`RecordingKnowledgeBase`). Looking a role up in the gids is retrieval
too: the passages of the role sections found at ingest (the index's role
profiles) count as retrieved. A citation to any other passage fails the
``citations_retrieved`` item.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any, Sequence

from assistant.types import Leeropdracht
from eval.answer_metrics import check_leeropdracht, hoe_questions
from eval.datasets import LeeropdrachtCase
from eval.matching import EvidenceMatcher
from eval.metrics import percentile
from eval.report import Block, Heading, Paragraph, Table, fmt
from kb.knowledge_base import KnowledgeBase
from kb.types import Hit

CHECKS: tuple[str, ...] = (
    "questions_in_range", "strength_present", "pitfall_present", "required_source_cited",
    "citations_grounded", "citations_retrieved", "says_not_in_gids", "no_invented_strength",
)


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
    """Chunk ids of the role sections that ingest found (``info.extras[doc]["roles"][i]["chunk_ids"]``)."""
    found: set[str] = set()
    for extras in kb.info.extras.values():
        for role in extras.get("roles", ()) if isinstance(extras, dict) else ():
            found.update(role.get("chunk_ids", ()))
    return found


@dataclass(frozen=True)
class LeeropdrachtOutcome:
    """One draft and its rubric."""

    case: LeeropdrachtCase
    draft: Leeropdracht
    checks: dict[str, bool | None]
    seconds: float

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

    def summary(self) -> dict[str, float | None]:
        """Per rubric item the share of drafts that meet it (None when it applies to none), and the pass rate."""
        result: dict[str, float | None] = {}
        for check in CHECKS:
            values = [o.checks[check] for o in self.outcomes if o.checks.get(check) is not None]
            result[check] = sum(bool(v) for v in values) / len(values) if values else None
        result["all_passed"] = sum(o.passed for o in self.outcomes) / len(self.outcomes) if self.outcomes else None
        times = [o.seconds * 1000 for o in self.outcomes]
        result["latency_p50_ms"] = percentile(times, 50) if times else None
        return result


def run_leeropdracht_eval(
    assistant: Any, recorder: RecordingKnowledgeBase, cases: Sequence[LeeropdrachtCase], dataset: str, show_progress: bool = False
) -> LeeropdrachtReport:
    """Draft every case with ``assistant``, which must search through ``recorder``, and check the rubric."""
    from tqdm import tqdm

    matcher = EvidenceMatcher()
    passages = {c.chunk_id: c.text for c in recorder.chunks}
    looked_up = role_section_chunks(recorder)
    report = LeeropdrachtReport(dataset)
    started = time.perf_counter()
    for case in tqdm(cases, desc="leeropdrachten", unit="opdracht", file=sys.stderr, disable=not show_progress, leave=False):
        recorder.retrieved.clear()
        t0 = time.perf_counter()
        draft = assistant.draft_leeropdracht(case.role, case.situation)
        seconds = time.perf_counter() - t0
        checks = check_leeropdracht(case, draft, recorder.retrieved | looked_up, passages, matcher)
        report.outcomes.append(LeeropdrachtOutcome(case, draft, checks, seconds))
    report.seconds = time.perf_counter() - started
    return report


def _mark(value: bool | None) -> str:
    return "–" if value is None else ("ja" if value else "NEE")


def summary_table(report: LeeropdrachtReport) -> Table:
    """One row: the share of drafts meeting each rubric item."""
    summary = report.summary()
    cols = (*CHECKS, "all_passed")
    return Table(("opdrachten", *cols), ((str(len(report.outcomes)), *("–" if summary[c] is None else fmt(summary[c] or 0.0) for c in cols)),))


def leeropdracht_blocks(report: LeeropdrachtReport) -> list[Block]:
    """The leeropdracht report as blocks: totals and one row per draft."""
    rows = tuple(
        (o.case.id, o.case.role, "ja" if o.case.in_gids else "nee", str(hoe_questions(o.draft)), *(_mark(o.checks.get(c)) for c in CHECKS))
        for o in report.outcomes
    )
    return [
        Heading(f"Leeropdracht-evaluatie: {report.dataset}", 1),
        Paragraph(f"{len(report.outcomes)} leeropdrachten opgesteld in {report.seconds:.0f} s. "
                  "Alleen de rubriekonderdelen die mechanisch te controleren zijn; '–': niet van toepassing."),
        summary_table(report),
        Heading("Per opdracht"),
        Table(("id", "rol", "in gids", "hoe-vragen", *CHECKS), rows),
    ]


def leeropdracht_data(report: LeeropdrachtReport) -> dict:
    """Machine-readable results of a leeropdracht run."""
    return {
        "dataset": report.dataset,
        "summary": report.summary(),
        "drafts": [{"id": o.case.id, "checks": o.checks, "seconds": round(o.seconds, 3), "draft": o.draft.to_json()} for o in report.outcomes],
    }
