"""Composition: the chosen sentences become a short answer whose first sentence answers the question.

The best sentence comes first, with the next sentences of its paragraph when
the ranker rates them close to it. Support from the same document follows
without announcement; another document is named ("Ook het NSOB-rapport gaat
erop in:") and joins only when its sentence is nearly as good, or when the
question compares documents (one short paragraph per document). A sentence that
leans on the one before ("Dit …", "Daarom …") brings that sentence along, and
a sentence that announces a list brings its items, so no quote refers back to
something left out. The answer stays short: about :data:`SHORT_WORDS` words
for a fact or a definition, :data:`LONG_WORDS` for lists, procedures, reasons
and comparisons (an announced list is never cut).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from assistant.answer.answer_types import counts, lists
from assistant.answer.neighbours import (ITEM_LINES, LINE_ITEM_WORDS, announces, leans_back, with_dependents,
                                         with_paragraph)
from assistant.answer.plan import QuestionPlan
from assistant.answer.selection import Scored
from assistant.citations import render_sentence
from assistant.types import Citation
from kb.sentences import SentenceIndex
from kb.types import Hit, Sentence

# Word budgets: what a civil servant reads at a glance. The median answer must stay under 90 words; the
# budgets and shares below were chosen on the dev split (evidence in the answer against median length).
SHORT_WORDS = 100  # a fact, a definition, a name, a number
LONG_WORDS = 150  # lists, steps, reasons and comparisons need room for their parts
# A sentence of the same document supports the answer when the ranker rates it at least this share of the
# best sentence; a next sentence of the same paragraph completes the best one at COMPLETE_SHARE.
SUPPORT_SHARE = 0.45
COMPLETE_SHARE = 0.1
MAX_SUPPORT = 3  # support groups after the answering one
# Another document joins a one-document answer only when its sentence is nearly as good as the best: a
# shared word ("vijf", a role name) must not pull in a second document.
OTHER_DOC_SHARE = 0.8
# A question put to "the sources" hears a second document when its best sentence reaches this share of the
# best one (on the four such training questions the second gold document's best sentence scored 0.28-0.60).
ACROSS_SHARE = 0.25
PER_DOC_IN_COMPARISON = 3
REPEAT_OVERLAP = 0.8  # word overlap (Jaccard) at which a sentence repeats one already quoted
_WORDS = re.compile(r"\w+")
_MARKED = re.compile(r"^(?:\d{1,2}[.)]|[-–•])\s")  # an item that carries its own number or bullet
_LONG_KINDS = frozenset({"list", "how", "why", "comparison"})
_NAMELY = re.compile(r"(?:Namelijk|Te weten|Dat zijn|Dit zijn|Het gaat om)\b")


@dataclass(frozen=True)
class Composed:
    """An extractive answer before it is wrapped in an :class:`Answer`."""

    text: str
    citations: tuple[Citation, ...]
    sentences: int


def choose(plan: QuestionPlan, ranked: Sequence[Scored], sentences: SentenceIndex) -> list[list[Sentence]]:
    """The sentences to quote, as groups: the best (with what it needs) first, then support.

    Each group is one sentence with the neighbours it depends on, in document order.
    """
    if not ranked:
        return []
    best = ranked[0]
    budget = LONG_WORDS if plan.kind in _LONG_KINDS else SHORT_WORDS
    groups: list[list[Sentence]] = [answer_group(ranked, sentences)]
    used = {(s.doc_id, s.index) for s in groups[0]}
    said = {s.text for s in groups[0]}  # a document may repeat a sentence word for word; quote it once
    words = sum(len(s.text.split()) for s in groups[0])
    picks = _comparison_picks(plan, ranked) if plan.compare else _support_picks(best, ranked, plan.across)
    for scored in picks:
        if (scored.sentence.doc_id, scored.sentence.index) in used:
            continue
        group = [s for s in with_dependents(scored.sentence, sentences) if (s.doc_id, s.index) not in used
                 and not _repeats(s.text, said)]
        if not group:
            continue
        size = sum(len(s.text.split()) for s in group)
        if words + size > budget and not (plan.compare and _doc_missing(groups, scored.sentence.doc_id)):
            continue
        groups.append(group)
        used.update((s.doc_id, s.index) for s in group)
        said.update(s.text for s in group)
        words += size
    return _list_first(plan, _joined(groups))


def _list_first(plan: QuestionPlan, groups: list[list[Sentence]]) -> list[list[Sentence]]:
    """An answer that opens with a whole list is not padded with more of its document (another document still
    adds its voice); for "Welke opgaven …?" a group listing the asked-for things answers, whatever the ranker."""
    noun = plan.instances or plan.counted if plan.kind == "list" else ""
    if plan.compare:
        return groups
    if _lists(groups[0], noun):  # "Welke aanbevelingen …?" and then how the interviews were held would pad it
        return [groups[0], *(g for g in groups[1:] if g[0].doc_id != groups[0][0].doc_id)]
    return next(([group] for group in groups[1:] if _lists(group, noun)), groups) if noun else groups


def _lists(group: Sequence[Sentence], noun: str) -> bool:
    """True if the group announces a list of two or more items with a sentence that uses ``noun`` (if given), or
    counts the noun and names the things next ("… drie rollen te vervullen. Namelijk die van A, B en C")."""
    for k, s in enumerate(group):
        if noun and counts(s.text, noun) and k + 1 < len(group) and _NAMELY.match(group[k + 1].text):
            return True
        if announces(s) and (not noun or lists(s.text, noun)):
            return sum(1 for g in group[k + 1:] if g.role in ITEM_LINES or _MARKED.match(g.text)) >= 2
    return False


def answer_group(ranked: Sequence[Scored], sentences: SentenceIndex) -> list[Sentence]:
    """The answering group: the best sentence with what it leans on or announces, and the next sentences of its
    paragraph that the ranker rates part of the answer. The gap check reads it too, so that no gap line
    denies what this group quotes."""
    best = ranked[0]
    probability = {(s.sentence.doc_id, s.sentence.index): s.score for s in ranked}
    completes = lambda s: probability.get((s.doc_id, s.index), 0.0) >= COMPLETE_SHARE * best.score  # noqa: E731
    return with_paragraph(with_dependents(best.sentence, sentences), sentences, completes)


def _joined(groups: list[list[Sentence]]) -> list[list[Sentence]]:
    """The answering group with the support groups that touch it, in document order: a sentence right after
    it continues it, and one right before it is read first when the answer leans on it ("De opgave staat dan
    naast de lijn" after what "dan" refers to), never after it."""
    first = groups[0]
    for group in groups[1:]:
        if group[0].doc_id != first[0].doc_id:
            continue
        if group[-1].index + 1 == first[0].index and leans_back(first[0].text):
            first = [*group, *first]  # the answer cannot stand alone: what it leans on comes first
        elif first[-1].index + 1 == group[0].index:
            first = [*first, *group]
        else:
            continue
        group.clear()
    return [first, *(g for g in groups[1:] if g)]


def _repeats(text: str, said: set[str]) -> bool:
    """True if ``text`` says again what a quoted sentence said, give or take a word or two: documents repeat key
    sentences almost word for word ("… om een antwoord vraagt" / "… een antwoord vraagt")."""
    words = set(_WORDS.findall(text.lower()))
    for other in said:
        others = set(_WORDS.findall(other.lower()))
        if words and others and len(words & others) / len(words | others) >= REPEAT_OVERLAP:
            return True
    return False


def _support_picks(best: Scored, ranked: Sequence[Scored], across: bool = False) -> list[Scored]:
    """Sentences the ranker rates close to the best; another document only when nearly as good, or, for a
    question put to "the sources" (``across``), the best sentence of another document that is about it."""
    picks = []
    for s in ranked[1:]:
        if len(picks) >= MAX_SUPPORT or s.score < SUPPORT_SHARE * best.score:
            break
        if s.sentence.doc_id != best.sentence.doc_id and s.score < OTHER_DOC_SHARE * best.score:
            continue
        picks.append(s)
    if across and all(p.sentence.doc_id == best.sentence.doc_id for p in picks):
        # A sentence that announces a list would bring the whole list along: the second voice stays short.
        other = next((s for s in ranked[1:] if s.sentence.doc_id != best.sentence.doc_id
                      and not s.sentence.text.endswith(":") and s.score >= ACROSS_SHARE * best.score
                      and (s.focus > 0 or s.dense > 0)), None)
        picks += [other] if other is not None else []
    return picks


def _comparison_picks(plan: QuestionPlan, ranked: Sequence[Scored]) -> list[Scored]:
    """For a comparison: the best sentences of each compared document, alternating, so both are heard."""
    docs = list(plan.doc_ids) or list(dict.fromkeys(s.sentence.doc_id for s in ranked))[:2]
    per_doc = {d: [s for s in ranked if s.sentence.doc_id == d and (s.focus > 0 or s.dense > 0)][:PER_DOC_IN_COMPARISON]
               for d in docs}
    picks = []
    for i in range(PER_DOC_IN_COMPARISON):
        picks.extend(per_doc[d][i] for d in docs if i < len(per_doc[d]))
    return picks


def _doc_missing(groups: list[list[Sentence]], doc_id: str) -> bool:
    return all(g[0].doc_id != doc_id for g in groups)


def compose(plan: QuestionPlan, groups: list[list[Sentence]], hits: Sequence[Hit],
            names: dict[str, str], sentences: SentenceIndex, titles: Mapping[str, str] | None = None) -> Composed:
    """Render the chosen groups: the first group answers, the rest supports it per document.

    ``names`` maps a doc id to how running text names it in the question's language; ``titles`` to its
    title, for a quoted sentence (an announced item) whose passage was not among the hits.
    """
    if not groups:
        return Composed("", (), 0)
    numbers = _Numbering(hits, titles or {})
    first, rest = groups[0], groups[1:]
    doc_order = list(dict.fromkeys([first[0].doc_id] + [g[0].doc_id for g in rest]))
    english = plan.lang == "en"
    lines: list[str] = []
    if plan.compare and len(doc_order) > 1:
        lines.append(_comparison_lead(plan, [names[d] for d in doc_order]))
        by_doc = {d: sorted((s for g in groups for s in g if s.doc_id == d), key=lambda s: s.index) for d in doc_order}
        for d in doc_order:
            lines.append(f"**{_cap(names[d])}**: " + _render(by_doc[d], numbers, english))
    else:
        lead = f"According to {names[first[0].doc_id]} (quoted in Dutch): " if english else ""
        lines.append(lead + _render(first, numbers, english))
        for d in doc_order:
            support = sorted((s for g in rest for s in g if s.doc_id == d), key=lambda s: s.index)
            if not support:
                continue
            if d == first[0].doc_id:
                # More of the same document needs no announcement: it continues the answer.
                lines.append(_render(support, numbers, english))
            else:
                label = f"{_cap(names[d])} also says:" if english else f"Ook {names[d]} gaat erop in:"
                lines.append(f"{label} " + _render(support, numbers, english))
    count = sum(len(g) for g in groups)
    return Composed("\n\n".join(lines), numbers.citations(sentences), count)


def _comparison_lead(plan: QuestionPlan, doc_names: list[str]) -> str:
    if plan.lang == "en":
        return f"{_cap(' and '.join(doc_names))} each say something about this (quoted in Dutch):"
    return f"{_cap(', '.join(doc_names[:-1]) + ' en ' + doc_names[-1])} zeggen er elk iets over:"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _render(group: Sequence[Sentence], numbers: "_Numbering", english: bool) -> str:
    """Sentences in document order, each with its marker; the items of a list on lines of their own."""
    out = ""
    listing = False  # right after "… de volgende stappen:", short lines of their own are its items
    before: Sentence | None = None
    in_list = False
    for s in group:
        n = numbers.cite(s)
        if english:
            text = f"“{s.text}” [{n}]"
        elif s.text.endswith(":"):
            text = f"{s.text[:-1].rstrip()} [{n}]:"  # the marker before the colon, so the list follows it
        else:
            text = render_sentence(s.text, [n])
        # An unmarked line item follows the line before it; a sentence further on is prose again.
        adjacent = before is not None and before.doc_id == s.doc_id and s.index == before.index + 1
        item = s.role in ITEM_LINES or (listing and adjacent and s.opens_paragraph
                                                         and len(s.text.split()) <= LINE_ITEM_WORDS)
        if item:
            out += ("\n" if out else "") + ("- " if not _MARKED.match(s.text) else "") + text
        else:
            out += ("\n\n" if in_list else " " if out else "") + text  # prose after a list opens a paragraph
        listing = s.text.endswith(":") or (listing and item)
        in_list, before = item, s
    return out


class _Numbering:
    """Citation numbers per passage, in order of first use; a sentence cites the best-ranked passage holding it."""

    def __init__(self, hits: Sequence[Hit], titles: Mapping[str, str]) -> None:
        self._hits = list(hits)
        self._titles = titles
        self._numbers: dict[str, int] = {}
        self._quoted: dict[str, list[Sentence]] = {}

    def cite(self, sentence: Sentence) -> int:
        hit = next((h for h in self._hits if h.doc_id == sentence.doc_id and h.start <= sentence.start < h.end), None)
        key = hit.chunk_id if hit is not None else sentence.chunk_id
        self._quoted.setdefault(key, []).append(sentence)
        return self._numbers.setdefault(key, len(self._numbers) + 1)

    def citations(self, sentences: SentenceIndex) -> tuple[Citation, ...]:
        """One citation per passage, quoting its first sentence and highlighting every quoted one."""
        out = []
        for key, n in self._numbers.items():
            quoted = self._quoted[key]
            hit = next((h for h in self._hits if h.chunk_id == key), None)
            out.append(sentence_citation(n, quoted, hit, self._titles.get(quoted[0].doc_id, "")))
        return tuple(out)


def sentence_citation(n: int, quoted: Sequence[Sentence], hit: Hit | None, title: str = "") -> Citation:
    """A citation whose quote is a whole sentence; the passage shown is the retrieved one, widened to hold it."""
    first = quoted[0]
    if hit is None:
        passage, offset = first.text, first.start
        spans = ((0, len(first.text)),)
    else:
        passage, offset = hit.text, hit.start
        spans = tuple((max(0, s.start - offset), min(len(passage), s.end - offset)) for s in quoted)
    start, end = spans[0]
    return Citation(n=n, doc_id=first.doc_id, title=hit.title if hit else title, page=first.page,
                    section=first.label or first.section,  # its own section, also inside a merged passage
                    chunk_id=hit.chunk_id if hit else first.chunk_id, quote=first.text, passage=passage,
                    quote_start=start, quote_end=end, spans=spans)
