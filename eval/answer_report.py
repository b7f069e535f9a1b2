"""The answer evaluation as report blocks, text tables and machine-readable data."""

from __future__ import annotations

from typing import Sequence

from eval.answer_eval import ANSWER_METRICS, AnswerReport, Ratio, values
from eval.report import Block, Heading, Paragraph, Table, fmt

# Short column names for text tables, in the order of ANSWER_METRICS.
SHORT_NAMES: dict[str, str] = {
    "evidence_recall": "ev-recall", "all_evidence": "alle-ev", "answered_with_evidence": "met-ev",
    "refusal_accuracy": "weigering-ok", "false_refusals": "fout-geweigerd", "false_gaps": "fout-gat",
    "two_docs_cited": "2-docs",
    "furniture_answers": "bio/nav", "off_boundary_quotes": "buiten-zin", "verbatim_quotes": "letterlijk",
    "citation_precision": "cit-prec",
    "evidence_coverage": "ev-in-cit", "median_words": "woorden", "latency_p50_ms": "p50-ms", "latency_p95_ms": "p95-ms",
}
# The columns of the per-kind and per-language tables (latency and the passage-level figures stay in the totals).
GROUP_METRICS: tuple[str, ...] = (
    "evidence_recall", "all_evidence", "answered_with_evidence", "refusal_accuracy", "false_refusals",
    "two_docs_cited", "furniture_answers", "off_boundary_quotes", "median_words",
)
DEFINITIONS = (
    "ev-recall: aandeel gouden evidence-strings dat in de antwoordtekst staat (zelfde normalisatie als bij retrieval). "
    "alle-ev: beantwoordbare vragen met al hun evidence in het antwoord. met-ev: beantwoordbare vragen beantwoord "
    "met minstens één evidence-string. weigering-ok: onbeantwoordbare vragen geweigerd of als gedeeltelijk gemarkeerd "
    "met wat ontbreekt. fout-geweigerd: beantwoordbare vragen geweigerd. fout-gat: beantwoordbare vragen die met 'De bronnen noemen geen …' "
    "beginnen. 2-docs: vragen met evidence uit twee "
    "documenten die beide documenten citeren. bio/nav: antwoorden die een auteursbio, colofon of navigatietekst "
    "citeren waar de vraag niet om vroeg. buiten-zin: geciteerde stukken die niet op een zinsbegin beginnen en een "
    "zinseinde eindigen. letterlijk: citaten die woord voor woord in hun passage staan. cit-prec: geciteerde zinnen die hun passage draagt. ev-in-cit: evidence in de geciteerde "
    "passages. woorden: mediane lengte van niet-geweigerde antwoorden."
)


def cell(value: Ratio | float | None, metric: str, compact: bool = False) -> str:
    """One figure as a table cell: ``hits/total (share)`` (compact: ``hits/total``), whole ms or words, or ``–``."""
    if isinstance(value, Ratio):
        if value.value is None:
            return "–"
        return f"{value.hits}/{value.total}" if compact else f"{value.hits}/{value.total} ({value.value:.2f})"
    if value is None:
        return "–"
    return f"{value:.0f}" if metric.endswith("_ms") or metric == "median_words" else fmt(value)


def totals_table(reports: Sequence[AnswerReport]) -> Table:
    """One row per question set: every answer figure over the whole set."""
    rows = tuple(
        (r.dataset, r.mode, str(len(r.outcomes)), *(cell(r.summary()[m], m) for m in ANSWER_METRICS)) for r in reports
    )
    return Table(("set", "mode", "vragen", *(SHORT_NAMES[m] for m in ANSWER_METRICS)), rows)


def overview_table(reports: Sequence[AnswerReport]) -> Table:
    """One row per figure, one column per question set (for the terminal)."""
    summaries = [r.summary() for r in reports]
    rows = tuple((m, *(cell(s[m], m) for s in summaries)) for m in ANSWER_METRICS)
    return Table(("metric", *(f"{r.dataset} ({len(r.outcomes)})" for r in reports)), rows)


def group_table(report: AnswerReport, by: str, compact: bool = False) -> Table:
    """One row per kind (``by="kind"``) or language (``by="lang"``) of question."""
    groups = report.by_kind() if by == "kind" else report.by_lang()
    counts = {g: sum(1 for o in report.outcomes if getattr(o.question, by) == g) for g in groups}
    rows = tuple((g, str(counts[g]), *(cell(s[m], m, compact) for m in GROUP_METRICS)) for g, s in groups.items())
    return Table((by, "n", *(SHORT_NAMES[m] for m in GROUP_METRICS)), rows)


def problem_table(report: AnswerReport, limit: int = 300) -> Table | None:
    """The answers that went wrong, with what went wrong and the start of the answer (None: none went wrong)."""
    rows = []
    for o in report.outcomes:
        problems = o.problems()
        if problems:
            text = " ".join(o.answer.text.split())
            rows.append((o.question.id, o.question.kind, o.question.lang, o.question.question, "; ".join(problems),
                         text[:limit] + ("…" if len(text) > limit else "")))
    return Table(("id", "kind", "taal", "vraag", "probleem", "antwoord"), tuple(rows)) if rows else None


def answer_blocks(report: AnswerReport) -> list[Block]:
    """One question set as blocks: totals, per kind, per language, and the answers that went wrong."""
    blocks: list[Block] = [
        Heading(f"Antwoord-evaluatie: {report.dataset}", 1),
        Paragraph(f"{len(report.outcomes)} vragen beantwoord in modus '{report.mode}' in {report.seconds:.0f} s."),
        totals_table([report]),
        Paragraph(DEFINITIONS),
        Heading("Per soort vraag"),
        group_table(report, "kind"),
        Heading("Per taal"),
        group_table(report, "lang"),
    ]
    problems = problem_table(report)
    blocks.append(Heading(f"Antwoorden met een probleem: {len(problems.rows) if problems else 0}"))
    if problems:
        blocks.append(problems)
    return blocks


def _plain(summary: dict[str, Ratio | float | None]) -> dict[str, object]:
    """Values plus the counts behind every share."""
    out: dict[str, object] = dict(values(summary))
    out["counts"] = {k: [v.hits, v.total] for k, v in summary.items() if isinstance(v, Ratio)}
    return out


def answer_data(report: AnswerReport) -> dict:
    """Machine-readable results of one question set."""
    return {
        "dataset": report.dataset,
        "mode": report.mode,
        "summary": _plain(report.summary()),
        "by_kind": {k: _plain(v) for k, v in report.by_kind().items()},
        "by_lang": {k: _plain(v) for k, v in report.by_lang().items()},
        "answers": [
            {"id": o.question.id, "seconds": round(o.seconds, 3), "supported": o.supported, "cited": o.cited,
             "coverage": o.coverage, "found": list(o.found), "handled": o.handled, "two_docs_cited": o.two_docs_cited,
             "furniture": o.furniture, "quotes": o.quotes, "off_boundary": o.off_boundary, "quoting": o.quoting,
             "verbatim": o.verbatim, "words": o.words,
             "problems": o.problems(), **o.answer.to_json()}
            for o in report.outcomes
        ],
    }
