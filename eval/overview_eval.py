"""Scoring answers to overview questions ("waar gaat … over?", "vat … samen").

An answer about one document passes when every check holds:

* ``answered``: it is not refused;
* ``no_gap``: it does not open with a gap line (the sources "do not name" the document's own subject);
* ``only_doc``: it cites, and cites only the asked document;
* ``spread``: it cites at least :data:`MIN_SECTIONS` different chapters of the document, or the
  document's own summary, conclusions or recommendations (a heading that says so, :data:`SUMMARY_HEADING`);
* ``no_furniture``: it quotes no author bio, institute blurb, colophon or contents line
  (by the patterns of :mod:`eval.answer_checks`, and by the role the index gives the sentence);
* ``short``: it stays under :data:`MAX_WORDS` words;
* ``standalone``: no quoted point leans on the sentence before it ("Dit …", "Tegelijk …", "… daardoor …",
  :data:`LEANS_BACK`) and no numbered list item is quoted without most of its list (:data:`ORPHAN_ITEMS`);
* ``intent``: a question about conclusions or recommendations cites the document's own (under a heading that
  says so, or a list its passage announces as such), unless the answer says the document has none.

An answer about all documents (``doc`` ``"*"``) passes when it is not refused, names every
document of the index and stays short. These checks read only the typed answer and the
index, never the guide the engine answers from, so that they measure it.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from eval.answer_checks import is_furniture, word_count
from eval.overview_set import ALL_DOCUMENTS, SPLITS, OverviewQuestion
from eval.quotes import SourceTexts, quoted_spans
from kb.sentences import SentenceIndex

MIN_SECTIONS = 3  # the bar: key points from at least three parts of the document
MAX_WORDS = 200  # "under about 200 words"
# A section the document itself calls its summary, conclusions or recommendations (any level of the path).
SUMMARY_HEADING = re.compile(r"\b(?:samenvatting|managementsamenvatting|conclusies?|hoofdconclusie|aanbevelingen|"
                             r"summary|conclusions?|recommendations)\b", re.IGNORECASE)
FURNITURE_ROLES = frozenset({"author_bio", "colophon", "navigation", "toc"})
CHECKS = ("answered", "no_gap", "only_doc", "spread", "no_furniture", "short", "standalone", "intent")
# Written from a strict reader's findings on the first answers, independently of the guide's own filters.
LEANS_BACK = re.compile(r"^(?:Dit|Deze|Dat|Die|Het klinkt|Tegelijk\w*|Daar\w*|Hier\w*|Bovendien|Ook|Maar|En|Zo|Naarmate|"
                        r"Kortom|De belangrijkste is|In essentie gaat het)\b|\b(?:daardoor|hierdoor|daarvan)\b")
ITEM = re.compile(r"^\d{1,2}[.)]\s")
ORPHAN_ITEMS = 3  # a numbered item counts as shown with its list when at least this many items are quoted
ASKS_OWN = re.compile(r"\b(?:conclusies?|aanbevelingen|aanbeveling|conclusions?|recommendations?)\b", re.IGNORECASE)
OWN_HEADING = re.compile(r"\b(?:conclusies?|hoofdconclusie|aanbevelingen|conclusions?|recommendations|samenvatting|"
                         r"tot slot)\b", re.IGNORECASE)
ANNOUNCES = re.compile(r"\b(?:aanbeveling\w*|conclusies?)\b[^.:]*:\s", re.IGNORECASE)
SAYS_NONE = re.compile(r"\bgeen eigen\b|\bno conclusions or recommendations\b", re.IGNORECASE)


@dataclass(frozen=True)
class OverviewOutcome:
    """One answer, scored."""

    question: OverviewQuestion
    doc_id: str  # the asked document's id in the index ("*" for all)
    text: str
    checks: dict[str, bool]
    words: int
    sections: int  # different chapters cited
    seconds: float = 0.0
    cited: tuple[str, ...] = field(default_factory=tuple)  # doc ids cited, in order
    where: tuple[str, ...] = field(default_factory=tuple)  # per citation: "[n] doc id, section"

    @property
    def passed(self) -> bool:
        """True if every check holds."""
        return all(self.checks.values())

    def problems(self) -> list[str]:
        """The checks that failed, by name."""
        return [name for name, ok in self.checks.items() if not ok]


def chapter(section: str, title: str = "") -> str:
    """The top level of a section path ("4. Patronen > 4.1 …" → "4. Patronen"), below the document's title heading
    when its path starts with one (a Markdown "# Title" heads every section)."""
    parts = [p.strip() for p in section.split(" > ")]
    if len(parts) > 1 and title.casefold().startswith(parts[0].casefold()):
        parts = parts[1:]
    return parts[0]


def _furniture(answer: Any, sources: SourceTexts, sentences: SentenceIndex) -> bool:
    """True if a quoted span is a bio, blurb, colophon or contents line (by pattern or by the index's role)."""
    roles = {(s.chunk_id, s.text): s.role for doc in sentences.by_doc.values() for s in doc}
    for span in quoted_spans(answer):
        if is_furniture(span, sources):
            return True
        if roles.get((span.chunk_id, " ".join(span.text.split()))) in FURNITURE_ROLES:
            return True
    return False


def score_overview(q: OverviewQuestion, doc_id: str, answer: Any, documents: Mapping[str, Any],
                   sources: SourceTexts, sentences: SentenceIndex, seconds: float = 0.0) -> OverviewOutcome:
    """Score one answer to ``q``, whose document has the id ``doc_id`` in the index (``"*"``: all documents)."""
    citations = list(getattr(answer, "citations", ()))
    words = word_count(answer.text)
    cited = tuple(c.doc_id for c in citations)
    record = documents.get(doc_id)
    title = record.title if record is not None else ""
    sections = len({chapter(c.section, title) for c in citations if c.doc_id == doc_id})
    checks = {"answered": not answer.refused, "no_gap": not answer.partial, "short": words <= MAX_WORDS}
    if doc_id == ALL_DOCUMENTS:
        text = answer.text.casefold()
        checks["only_doc"] = all(_named(record, text) for record in documents.values())
        checks["spread"] = True
        checks["no_furniture"] = not _furniture(answer, sources, sentences)
    else:
        checks["only_doc"] = bool(citations) and set(cited) == {doc_id}
        own_summary = any(SUMMARY_HEADING.search(c.section) for c in citations if c.doc_id == doc_id)
        checks["spread"] = sections >= MIN_SECTIONS or own_summary
        checks["no_furniture"] = not _furniture(answer, sources, sentences)
    quotes = [c.quote for c in citations]
    items = [q for q in quotes if ITEM.match(q)]
    checks["standalone"] = (not any(LEANS_BACK.search(q) for q in quotes)
                            and (not items or len(items) >= ORPHAN_ITEMS))
    checks["intent"] = (not ASKS_OWN.search(q.question) or bool(SAYS_NONE.search(answer.text))
                        or any(OWN_HEADING.search(c.section) or ANNOUNCES.search(c.passage[:max(0, c.quote_start)])
                               for c in citations))
    ordered = {name: checks[name] for name in CHECKS}
    where = tuple(f"[{c.n}] {c.doc_id}, {c.section or '(begin)'}" for c in citations)
    return OverviewOutcome(q, doc_id, answer.text, ordered, words, sections, seconds, cited, where)


def _named(record: Any, text: str) -> bool:
    """True if the answer names the document: its title, short title or a name of it."""
    names = [record.title, record.short_title, *getattr(record, "names", {}).values()]
    return any(n and n.casefold() in text for n in names)


def run_overview(ask: Callable[[str], Any], questions: Sequence[OverviewQuestion], doc_ids: Mapping[str, str],
                 documents: Mapping[str, Any], sources: SourceTexts, sentences: SentenceIndex,
                 progress: Callable[[int, int], None] | None = None) -> list[OverviewOutcome]:
    """Ask every question and score its answer; ``doc_ids`` maps an added file's name to its doc id."""
    outcomes = []
    for i, q in enumerate(questions, start=1):
        doc_id = doc_ids.get(q.added_file, "") if q.added_file else q.doc
        started = time.perf_counter()
        answer = ask(q.question)
        outcomes.append(score_overview(q, doc_id, answer, documents, sources, sentences,
                                       time.perf_counter() - started))
        if progress is not None:
            progress(i, len(questions))
    return outcomes


def summary_lines(outcomes: Sequence[OverviewOutcome]) -> list[str]:
    """Per split: answers passed, then how many passed each check; then every failure by question."""
    lines = []
    for split in SPLITS:
        part = [o for o in outcomes if o.question.split == split]
        if not part:
            continue
        passed = sum(o.passed for o in part)
        per_check = ", ".join(f"{name} {sum(o.checks[name] for o in part)}/{len(part)}" for name in CHECKS)
        words = sorted(o.words for o in part)
        lines.append(f"{split}: {passed}/{len(part)} geslaagd ({per_check}; woorden mediaan {words[len(words) // 2]})")
    for o in outcomes:
        if not o.passed:
            lines.append(f"  {o.question.split} {o.question.id}: {', '.join(o.problems())} — {o.question.question}"
                         f" (hoofdstukken {o.sections}, {o.words} woorden, geciteerd: {', '.join(sorted(set(o.cited))) or '-'})")
    return lines


def answers_markdown(outcomes: Sequence[OverviewOutcome]) -> str:
    """Every question with its answer and verdict, as Markdown (for a reader)."""
    parts = []
    for o in outcomes:
        verdict = "geslaagd" if o.passed else "niet geslaagd: " + ", ".join(o.problems())
        sources = "".join(f"\n- {w}" for w in o.where)
        parts.append(f"## {o.question.id} ({o.question.split}): {o.question.question}\n\n{o.text}\n\nBronnen:{sources}"
                     f"\n\n*{verdict}; {o.words} woorden, {o.sections} hoofdstukken*\n")
    return "\n".join(parts)
