"""Evaluation reports: Markdown and HTML from one block list, plus a bar chart of the systems.

A report is a list of blocks (headings, paragraphs, tables, images). The same
list renders to Markdown (to read in a terminal or a merge request) and to a
self-contained HTML page (to open in a browser); nothing is computed twice.
"""

from __future__ import annotations

import html
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Sequence, Union

from eval.retrieval_eval import SUMMARY_METRICS, RetrievalReport

GROUP_METRICS: tuple[str, ...] = ("recall@6000chars", "recall@5", "mrr@10")
FAILURES_SHOWN = 3  # passages listed per failed question


@dataclass(frozen=True)
class Heading:
    """A section title (level 1–3)."""

    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Table:
    """A table of already formatted cells."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Image:
    """An image next to the report (a file name relative to the report folder)."""

    file: str
    alt: str


Block = Union[Heading, Paragraph, Table, Image]


def fmt(value: float) -> str:
    """A metric value with three decimals."""
    return f"{value:.3f}"


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(blocks: Sequence[Block]) -> str:
    """Render blocks as GitHub-flavoured Markdown."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(f"{'#' * block.level} {block.text}")
        elif isinstance(block, Paragraph):
            out.append(block.text)
        elif isinstance(block, Table):
            lines = ["| " + " | ".join(_md_cell(h) for h in block.headers) + " |",
                     "|" + "|".join("---" for _ in block.headers) + "|"]
            lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in block.rows]
            out.append("\n".join(lines))
        else:
            out.append(f"![{block.alt}]({block.file})")
    return "\n\n".join(out) + "\n"


_CSS = (
    "body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}"
    "table{border-collapse:collapse;margin:1rem 0;font-size:.9rem}"
    "th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}"
    "th{background:#f0f3f7}img{max-width:100%}"
)


def to_html(blocks: Sequence[Block], title: str) -> str:
    """Render blocks as one self-contained HTML page (the chart is a separate PNG file)."""
    body: list[str] = []
    for block in blocks:
        if isinstance(block, Heading):
            body.append(f"<h{block.level}>{html.escape(block.text)}</h{block.level}>")
        elif isinstance(block, Paragraph):
            body.append(f"<p>{html.escape(block.text)}</p>")
        elif isinstance(block, Table):
            head = "".join(f"<th>{html.escape(h)}</th>" for h in block.headers)
            rows = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in block.rows)
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>")
        else:
            body.append(f'<img src="{html.escape(block.file)}" alt="{html.escape(block.alt)}">')
    return (
        f'<!doctype html>\n<html lang="nl"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{_CSS}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def text_table(table: Table) -> str:
    """A plain-text table with aligned columns, for the terminal."""
    widths = [max(len(r[i]) for r in (table.headers, *table.rows)) for i in range(len(table.headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(table.headers), line(["-" * w for w in widths])] + [line(r) for r in table.rows])


def write_report(blocks: Sequence[Block], folder: Path, title: str, data: dict | None = None) -> list[Path]:
    """Write ``report.md`` and ``report.html`` (and ``results.json`` when ``data`` is given) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "report.md", folder / "report.html"]
    written[0].write_text(to_markdown(blocks), encoding="utf-8")
    written[1].write_text(to_html(blocks, title), encoding="utf-8")
    if data is not None:
        written.append(folder / "results.json")
        written[-1].write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return written


# --- the retrieval report ---------------------------------------------------


def summary_table(report: RetrievalReport) -> Table:
    """One row per system: the headline metrics, index size and search latency."""
    headers = ("system", *SUMMARY_METRICS, "passages", "p50 ms", "p95 ms")
    rows = []
    for s in report.systems:
        summary = s.summary()
        p50, p95 = s.latency_ms()
        rows.append((s.name, *(fmt(summary.get(m, 0.0)) for m in SUMMARY_METRICS), str(s.n_passages), f"{p50:.0f}", f"{p95:.0f}"))
    return Table(headers, tuple(rows))


def _group_table(report: RetrievalReport, metric: str, by: str) -> Table:
    groups = {s.name: (s.by_document() if by == "document" else s.by_kind()) for s in report.systems}
    sizes = report.systems[0].group_sizes()[0 if by == "document" else 1]
    rows = tuple(
        (key, str(sizes[key]), *(fmt(groups[s.name].get(key, {}).get(metric, 0.0)) for s in report.systems))
        for key in sorted(sizes)
    )
    return Table((by, "n", *(s.name for s in report.systems)), rows)


def _snippet(text: str, size: int = 160) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= size else flat[:size] + "…"


def _failures(report: RetrievalReport) -> list[Block]:
    primary = report.primary
    failed = [o for o in primary.outcomes if o.failed]
    blocks: list[Block] = [
        Heading(f"Gemiste vragen ({primary.name}): {len(failed)} van {len(primary.outcomes)}"),
        Paragraph("Een vraag is gemist als niet al haar evidence in de eerste 6.000 tekens context staat. "
                  "Per vraag: de gemiste evidence en wat er in plaats daarvan bovenaan stond."),
    ]
    if not failed:
        return blocks
    others = {s.name: {o.question.id: o for o in s.outcomes} for s in report.systems}
    rows = []
    for o in failed:
        retrieved = " ‖ ".join(
            f"#{i} {p.doc_id}{' § ' + p.section if p.section else ''}{' ✓' if rel else ''}: {_snippet(p.text, 120)}"
            for i, (p, rel) in enumerate(zip(o.passages[:FAILURES_SHOWN], o.relevant), start=1)
        )
        missed = " ‖ ".join(_snippet(e, 120) for e in o.missed)
        elsewhere = ", ".join(
            f"{name} {fmt(found[o.question.id].metrics['recall@6000chars'])}" for name, found in others.items() if name != primary.name
        )
        rows.append((o.question.id, o.question.kind, o.question.question, missed, retrieved, elsewhere))
    blocks.append(Table(("id", "kind", "vraag", "gemiste evidence", "opgehaald in plaats daarvan", "recall@6000chars elders"), tuple(rows)))
    return blocks


def retrieval_blocks(report: RetrievalReport, chart: str | None) -> list[Block]:
    """The whole retrieval report as blocks."""
    scored = report.n_questions - report.n_unanswerable
    blocks: list[Block] = [
        Heading(f"Retrieval-evaluatie: {report.dataset}", 1),
        Paragraph(f"{scored} beantwoordbare vragen gescoord; {report.n_unanswerable} vragen zonder antwoord in de bronnen "
                  f"tellen niet mee. Per vraag {report.depth} passages opgehaald; evaluatie in {report.seconds:.0f} s."),
        Heading("Systemen"),
        Table(("system", "beschrijving", "bouwtijd s"), tuple((s.name, s.description, f"{s.build_seconds:.1f}") for s in report.systems)),
        summary_table(report),
        Paragraph("hit@k: een relevante passage in de top k. MRR@10: 1/rang van de eerste relevante passage. "
                  "nDCG@10: binaire relevantie. recall@k: aandeel evidence in de top k. recall@6000chars: aandeel "
                  "evidence in de eerste 6.000 tekens gerangschikte context (eerlijk tussen chunkgroottes)."),
    ]
    if chart:
        blocks.append(Image(chart, "metrics per systeem"))
    for by in ("document", "kind"):
        blocks.append(Heading(f"Per {'document' if by == 'document' else 'soort vraag'}"))
        for metric in GROUP_METRICS:
            blocks += [Heading(metric, 3), _group_table(report, metric, by)]
    return blocks + _failures(report)


def systems_chart(report: RetrievalReport, path: Path) -> Path:
    """A grouped bar chart (PNG) of the headline metrics per system."""
    import matplotlib

    matplotlib.use("Agg")  # no display on servers and in CI
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    width = 0.8 / max(1, len(report.systems))
    for i, s in enumerate(report.systems):
        summary = s.summary()
        xs = [j + i * width for j in range(len(SUMMARY_METRICS))]
        ax.bar(xs, [summary.get(m, 0.0) for m in SUMMARY_METRICS], width, label=s.name)
    ax.set_xticks([j + width * (len(report.systems) - 1) / 2 for j in range(len(SUMMARY_METRICS))], SUMMARY_METRICS)
    ax.set_ylim(0, 1.12)  # headroom for the legend above the bars
    ax.set_title(f"Retrieval op {report.dataset}")
    ax.legend(loc="upper center", ncol=len(report.systems), fontsize="small", frameon=False)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path


def retrieval_data(report: RetrievalReport) -> dict:
    """Machine-readable results: summaries and every question's ranked passages."""
    return {
        "dataset": report.dataset,
        "depth": report.depth,
        "seconds": round(report.seconds, 1),
        "unanswerable": report.n_unanswerable,
        "systems": {
            s.name: {
                "summary": s.summary(),
                "by_document": s.by_document(),
                "by_kind": s.by_kind(),
                "questions": [
                    {"id": o.question.id, "metrics": o.metrics, "missed": list(o.missed),
                     "ranked": [asdict(p) | {"relevant": r} for p, r in zip(o.passages[:10], o.relevant)]}
                    for o in s.outcomes
                ],
            }
            for s in report.systems
        },
    }


def write_retrieval_report(report: RetrievalReport, folder: Path) -> list[Path]:
    """Write report.md, report.html, systems.png and results.json into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    chart = systems_chart(report, folder / "systems.png")
    written = write_report(retrieval_blocks(report, chart.name), folder, f"Retrieval {report.dataset}", retrieval_data(report))
    return written + [chart]
