"""The extractive answer: whole source sentences, the first one answering, each with its [n].

No language model is involved, so nothing can be made up: apart from short
connecting phrases ("Ook het NSOB-rapport gaat erop in:"), every sentence is quoted
verbatim and whole from the documents. When the sources do not give what was
asked, the answer says so first and only then quotes what they do say.
"""

from __future__ import annotations

import re
from typing import Iterator, Sequence

from assistant.answer.answer_types import has_type
from assistant.answer.compose import Composed, choose, compose
from assistant.answer.gaps import PERIOD_BRIDGE, Gaps
from assistant.answer.index_view import IndexView
from assistant.answer.neighbours import announces
from assistant.answer.outline import ListSection, heading_span
from assistant.answer.plan import QuestionPlan
from assistant.answer.selection import Scored
from assistant.citations import make_citation, render_sentence
from kb.types import Hit, Sentence
from opgavewijzer.text import Language, sentence_spans

# After a gap statement, what the sources do say stays brief: the best group only, up to its best sentence (two
# groups, or the rest of a paragraph, padded the answer with sentences a strict reader called off-topic).
GROUPS_AFTER_GAP = 1
# ... and only when that group is about the question: its best sentence holds a focus word and the ranker
# gives it at least this probability. Otherwise the gap line stands alone ("Artikel van Joost van der Stoep"
# after "geen bedrag" was no help). On the labelled training questions, every gapped answerable question whose
# block held gold evidence scored at least 0.22 with a focus word; about a quarter of the unanswerable ones
# fell under this bar or had no focus word. A figure for another period is always shown, labelled as such.
TOPIC_MIN_SCORE = 0.1
# Answer types whose carrier goes first: figures and dates, which the gap check recognises exactly. A name of an
# organisation or a person is recognised by its capitals, too loosely to reorder an answer by.
_FIGURES = frozenset({"number", "amount", "percentage", "date", "time", "duration", "frequency"})
# A second question word after "en"/"and": the question asks two things ("Sinds wanneer …, en welke …?").
_TWO_PARTS = re.compile(r"\b(?:en|and)\s+(?:wie|wat|welke|welk|wanneer|hoe|hoeveel|waarom|waar|who|what|which|when|"
                        r"how|why|where)\b", re.IGNORECASE)


def write(plan: QuestionPlan, ranked: Sequence[Scored], hits: Sequence[Hit], view: IndexView,
          gaps: Gaps, listed: ListSection | None = None) -> Composed:
    """The extractive answer for ``plan``: a list section when one is asked for, else the best sentences."""
    if listed is not None and not gaps:
        return compose_list(listed, plan.lang, hits, view.name(listed.doc_id, plan.lang))
    names = {d: view.name(d, plan.lang) for d in {s.sentence.doc_id for s in ranked} | set(plan.doc_ids)}
    groups = _ends_with_figure(plan, choose(plan, _carrier_first(ranked, gaps, plan.expects), view.sentences), gaps)
    groups = _reasons_only(plan, groups)
    if gaps:
        groups = _after_gap(ranked, groups, gaps) if _about_question(ranked, gaps) else []
    composed = compose(plan, groups, hits, names, view.sentences, view.titles)
    silent = _silent_documents(plan, groups)
    notes = [gaps.statement] if gaps else []
    if silent:
        notes.append(_silence(plan.lang, [names[d] for d in silent]))
    if not notes:
        return composed
    bridge = (gaps.bridge[1] if plan.lang == "en" else gaps.bridge[0]) if gaps else ""
    body = f"{bridge}\n\n{composed.text}" if bridge and composed.text else composed.text
    return Composed(" ".join(notes) + ("\n\n" + body if body else ""), composed.citations, composed.sentences)


def _carrier_first(ranked: Sequence[Scored], gaps: Gaps, expects: str) -> Sequence[Scored]:
    """For "hoeveel …?", "wanneer …?", "hoe lang …?": the candidate that holds the asked-for figure answers
    first, also when the ranker rates a sentence about the topic higher ("De gesprekken waren analyserend
    bedoeld" before "Er zijn zes tafels georganiseerd …"). The gap check chose it among the best candidates
    (see gaps.CARRIER_SHARE)."""
    if gaps or not gaps.carrier or not ranked or ranked[0].sentence.text == gaps.carrier or expects not in _FIGURES:
        return ranked
    carrier = next((s for s in ranked if s.sentence.text == gaps.carrier), None)
    return ranked if carrier is None else [carrier, *(s for s in ranked if s is not carrier)]


def _ends_with_figure(plan: QuestionPlan, groups: list[list[Sentence]], gaps: Gaps) -> list[list[Sentence]]:
    """A figure or date answer ends with the sentence that gives it: what followed was padding to the readers
    ("De afgelopen 14 jaar werkte hij …" after "ruim 5.000 keer is gedownload"). A header line ("4 maart 2025 |
    Den Haag"), a sentence that announces a list, a question in two parts ("…, en wanneer was dat?") and a
    comparison keep the rest of the answer."""
    if (gaps or not gaps.carrier or plan.expects not in _FIGURES or not groups or plan.compare
            or _TWO_PARTS.search(plan.question)):
        return groups
    first = groups[0]
    at = next((k for k, s in enumerate(first) if s.text == gaps.carrier), None)
    if at is None or announces(first[at]) or first[at].text[-1:] not in ".!?":
        return groups
    return [first[:at + 1]]


def _reasons_only(plan: QuestionPlan, groups: list[list[Sentence]]) -> list[list[Sentence]]:
    """A why answer whose first group gives a reason is not padded with groups that give none (after "Die daling
    hangt samen met …" a reader called the next opgave's budget padding). A comparison keeps every voice."""
    if plan.kind != "why" or plan.compare or not groups or not any(has_type(s.text, "reason") for s in groups[0]):
        return groups
    return [groups[0], *(g for g in groups[1:] if any(has_type(s.text, "reason") for s in g))]


def _after_gap(ranked: Sequence[Scored], groups: list[list[Sentence]], gaps: Gaps) -> list[list[Sentence]]:
    """What follows a gap line: the best sentence with what it leans on or announces, not the rest of its
    paragraph; a strict reader called that padding. A figure for another period keeps its group."""
    first = groups[:GROUPS_AFTER_GAP]
    if not first or gaps.bridge == PERIOD_BRIDGE:
        return first
    best = ranked[0].sentence
    at = next((k for k, s in enumerate(first[0]) if (s.doc_id, s.index) == (best.doc_id, best.index)), None)
    return first if at is None or announces(first[0][at]) else [first[0][:at + 1]]


def _about_question(ranked: Sequence[Scored], gaps: Gaps) -> bool:
    """Whether the best sentence is worth quoting after a gap line: about the question, or the nearby figure."""
    if gaps.bridge == PERIOD_BRIDGE:
        return True
    return bool(ranked) and ranked[0].focus > 0 and ranked[0].score >= TOPIC_MIN_SCORE


def _silent_documents(plan: QuestionPlan, groups: list[list]) -> list[str]:
    """Compared documents that contribute no sentence: the answer says that they are silent."""
    if not plan.compare or len(plan.doc_ids) < 2:
        return []
    present = {s.doc_id for g in groups for s in g}
    return [d for d in plan.doc_ids if d not in present]


def _silence(lang: Language, names: list[str]) -> str:
    joined = " en ".join(names) if lang == "nl" else " and ".join(names)
    if lang == "en":
        return f"{joined[:1].upper()}{joined[1:]} {'says' if len(names) == 1 else 'say'} nothing about this."
    return f"{joined[:1].upper()}{joined[1:]} {'zegt' if len(names) == 1 else 'zeggen'} hier niets over."


def compose_list(section: ListSection, lang: Language, hits: Sequence[Hit], name: str) -> Composed:
    """The items of a numbered list section, one per line, each citing the heading in its passage.

    ``name`` is how running text names the section's document.

    ``hits`` must contain the items' passages (see :func:`assistant.answer.outline.with_items`).
    """
    by_id = {h.chunk_id: h for h in hits}
    numbers: dict[str, int] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    lines: list[str] = []
    # "1. Leiderschap" is a Markdown list item already; "4.1 Opgaven …" needs a bullet to become one.
    bullet = "" if all(re.match(r"\d{1,2}\.\s", item.heading) for item in section.items) else "- "
    for item in section.items:
        hit = by_id[item.chunk.chunk_id]
        span = heading_span(hit.text, item.heading) or sentence_spans(hit.text)[0]
        n = numbers.setdefault(hit.chunk_id, len(numbers) + 1)
        spans.setdefault(hit.chunk_id, []).append(span)
        lines.append(f"{bullet}{item.heading} [{n}]")
    closing = ""
    intro = section.intro
    if intro is not None and section.opening is not None and section.opening.chunk_id in by_id:
        hit = by_id[section.opening.chunk_id]
        n = numbers.setdefault(hit.chunk_id, len(numbers) + 1)
        spans.setdefault(hit.chunk_id, []).append(intro)
        sentence = " ".join(hit.text[intro[0]:intro[1]].split())
        opens = "The chapter opens with (in Dutch): “" if lang == "en" else "Zo begint het hoofdstuk: "
        closing = "\n\n" + opens + (f"{sentence}” [{n}]" if lang == "en" else render_sentence(sentence, [n]))
    if lang == "en":
        lead = (f"{name[0].upper()}{name[1:]} names {len(section.items)}, each in a section of its own "
                f"under ‘{section.heading}’ (headings in Dutch):")
    else:
        lead = f"{name[0].upper()}{name[1:]} noemt er {len(section.items)}, elk in een eigen paragraaf onder ‘{section.heading}’:"
    citations = tuple(make_citation(n, by_id[c], spans[c][0], tuple(spans[c])) for c, n in numbers.items())
    return Composed(lead + "\n\n" + "\n".join(lines) + closing, citations, len(lines))


def refusal_text(lang: Language) -> str:
    """What the assistant says when the sources do not cover a question."""
    if lang == "en":
        return ("The sources do not answer this question. I would rather say so than guess. "
                "The passages that come closest are listed below; they may still help.")
    return ("De bronnen geven geen antwoord op deze vraag. Liever zeg ik dat dan dat ik ga gissen. "
            "Hieronder staan de passages die er het dichtst bij komen; misschien helpen die u verder.")


def stream_pieces(text: str) -> Iterator[str]:
    """Split a finished text into word-sized stream pieces (the UI renders them as they come)."""
    word = ""
    for ch in text:
        word += ch
        if ch in " \n":
            yield word
            word = ""
    if word:
        yield word
