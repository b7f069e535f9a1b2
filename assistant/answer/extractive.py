"""The extractive answer: the best source sentences, framed as an answer, each with its [n].

No language model is involved, so nothing can be made up: every sentence after
the one-line lead-in is quoted verbatim from a retrieved passage. The
sentences are grouped by document and kept in document order, so that they
read as a text rather than as a list of search results.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.citations import make_citation, render_sentence
from assistant.answer.outline import ListSection, heading_span
from assistant.answer.sentences import Candidate
from opgavewijzer.text import Language, sentence_spans
from assistant.types import Citation
from kb.types import Hit

MIN_SENTENCES = 3
MAX_SENTENCES = 6
# A sentence joins the answer if it scores at least this share of the best one.
RELATIVE_FLOOR = 0.55
ABSOLUTE_FLOOR = 0.12

# How the five corpus documents are named in running text; other documents by their title.
_DOC_NAMES: dict[str, dict[Language, str]] = {
    "nsob_rapport": {"nl": "het NSOB-rapport", "en": "the NSOB report"},
    "vpng_gids": {"nl": "de VPNG-inspiratiegids", "en": "the VPNG guide"},
    "pzh_verslag": {"nl": "het verslag van het bezoek aan Zuid-Holland", "en": "the report of the visit to Zuid-Holland"},
    "bouwstenen_essay": {"nl": "het essay over vijf bouwstenen", "en": "the essay on five building blocks"},
    "motie_bijlage": {"nl": "de bijlage bij motie 50", "en": "the annex to motion 50"},
}
_LIST_ITEM = re.compile(r"\d{1,2}[.)]\s")
_ANAPHOR = re.compile(r"(?:Hij|Zij|Ze|Dit|Deze|Dat|Daarmee|Daarbij|Daardoor|Daarom|Zo|Ook|Hun|Zijn)\b")
_KINDS: list[tuple[str, re.Pattern[str]]] = [
    ("amount", re.compile(r"^(?:hoeveel|how (?:many|much))\b", re.IGNORECASE)),
    ("why", re.compile(r"^(?:waarom|why)\b", re.IGNORECASE)),
    ("how", re.compile(r"^(?:hoe|how)\b", re.IGNORECASE)),
    ("definition", re.compile(r"^(?:wat (?:is|betekent|houdt|verstaat|bedoelt|wordt .* bedoeld)|what (?:is|are|does)\b|wat is het verschil)", re.IGNORECASE)),
    ("list", re.compile(r"^(?:welke|which|wat zijn|what are|noem)\b", re.IGNORECASE)),
    ("who", re.compile(r"^(?:wie|who)\b", re.IGNORECASE)),
]
_LEADS: dict[Language, dict[str, str]] = {
    "nl": {
        "why": "Volgens {docs} zijn dit de redenen:",
        "how": "Volgens {docs} pak je dit zo aan:",
        "definition": "Volgens {docs} gaat het hierom:",
        "list": "Volgens {docs} gaat het om het volgende:",
        "amount": "Dit staat er in {docs} over:",
        "who": "Dit staat er in {docs} over:",
        "other": "Dit staat er in {docs} over:",
    },
    "en": {k: "The sources are in Dutch, so their own words are quoted. Here is what {docs} {say} about this:" for k in
           ("why", "how", "definition", "list", "amount", "who", "other")},
}


@dataclass(frozen=True)
class Composed:
    """An extractive answer before it is wrapped in an :class:`Answer`."""

    text: str
    citations: tuple[Citation, ...]
    sentences: int


def question_kind(question: str) -> str:
    """'why', 'how', 'definition', 'list', 'amount', 'who' or 'other', from the opening of the question."""
    spans = sentence_spans(question)
    asked = [question[s:e] for s, e in spans if "?" in question[s:e]] or [question]
    text = asked[-1].strip().lstrip("‘'\"(").strip()
    return next((kind for kind, pattern in _KINDS if pattern.search(text)), "other")


def doc_name(doc_id: str, title: str, lang: Language) -> str:
    """How a document is named in running text."""
    known = _DOC_NAMES.get(doc_id)
    return known[lang] if known else f"‘{title}’"


def _join(names: list[str], lang: Language) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + (" en " if lang == "nl" else " and ") + names[-1]


def _narrower(c: Candidate, best: Candidate) -> bool:
    """True if ``c`` matches only part of what the best sentence matches, and nothing else.

    "Wat is de pot met goud van de lijnmanager?": the pot-met-goud sentences of
    the other six roles match "pot" and "goud" but not "lijnmanager"; they
    answer another question.
    """
    if not best.terms or not c.terms <= best.terms:
        return False
    return len(best.terms - c.terms) / len(best.terms) >= 1 / 3


def _continuation(c: Candidate, candidates: Sequence[Candidate], hits: Sequence[Hit]) -> list[Candidate]:
    """Sentences that belong with ``c``: the next one if it leans on it ("Hij kan als geen ander …"),
    or, when ``c`` announces a list ("… vier kenmerken, namelijk:"), the rest of the passage in order."""
    text = hits[c.hit].text
    same = {o.start: o for o in candidates if o.hit == c.hit}
    if c.text.endswith(":"):
        return [same[s] for s, _ in sentence_spans(text) if s >= c.end and s in same]
    gap = re.match(r"[ \t]*", text[c.end:])
    start = c.end + (gap.end() if gap else 0)
    return [same[start]] if _ANAPHOR.match(text, start) and start in same else []


def select(candidates: Sequence[Candidate], hits: Sequence[Hit]) -> list[Candidate]:
    """The sentences to use: the best, those close to it, and sentences that continue them; 3 to 6 when possible.

    A sentence that announces a list is used only with (the start of) its list:
    "… vier kenmerken, namelijk:" on its own answers nothing.
    """
    if not candidates:
        return []
    best = candidates[0]
    chosen: list[Candidate] = []

    def add(c: Candidate) -> None:
        if c in chosen or len(chosen) >= MAX_SENTENCES:
            return
        follow = _continuation(c, candidates, hits)
        if c.text.endswith(":") and (not follow or len(chosen) + 1 >= MAX_SENTENCES) and c is not best:
            return
        chosen.append(c)
        for f in follow:
            add(f)

    for c in candidates:
        if len(chosen) >= MAX_SENTENCES:
            break
        if c in chosen or _narrower(c, best):
            continue
        relevant = c.lexical > 0 or c.dense > 0
        strong = c.score >= max(RELATIVE_FLOOR * best.score, ABSOLUTE_FLOOR)
        filler = len(chosen) < MIN_SENTENCES and c.score >= ABSOLUTE_FLOOR and relevant
        if c is best or strong or filler:
            add(c)
    return chosen


def compose(question: str, lang: Language, candidates: Sequence[Candidate], hits: Sequence[Hit]) -> Composed:
    """Lead-in, then the chosen sentences grouped by document in document order, each with its [n]."""
    chosen = select(candidates, hits)
    if not chosen:
        return Composed("", (), 0)
    # Documents in the order of their best sentence; sentences in the order they appear in the document.
    doc_order: list[str] = []
    for c in chosen:
        if hits[c.hit].doc_id not in doc_order:
            doc_order.append(hits[c.hit].doc_id)
    groups = {d: sorted((c for c in chosen if hits[c.hit].doc_id == d), key=lambda c: (hits[c.hit].start + c.start, c.hit))
              for d in doc_order}
    numbers: dict[int, int] = {}
    spans: dict[int, list[tuple[int, int]]] = {}
    paragraphs: list[str] = []
    names = {d: doc_name(d, next(hits[c.hit].title for c in groups[d]), lang) for d in doc_order}
    for d in doc_order:
        body = ""
        members = groups[d]
        for i, c in enumerate(members):
            n = numbers.setdefault(c.hit, len(numbers) + 1)
            spans.setdefault(c.hit, []).append((c.start, c.end))
            opens_list = i + 1 < len(members) and bool(_LIST_ITEM.match(members[i + 1].text))
            # List items go on lines of their own, so that they read (and render in Markdown) as a list.
            separator = "" if not body else ("\n" if _LIST_ITEM.match(c.text) else " ")
            body += separator + _render(c.text, n, lang, opens_list=opens_list)
        if len(doc_order) > 1:
            label = names[d]
            body = f"{label[0].upper()}{label[1:]}: {body}"
        paragraphs.append(body)
    docs = _join([names[d] for d in doc_order], lang)
    lead = _LEADS[lang][question_kind(question)].format(docs=docs, say="says" if len(doc_order) == 1 else "say")
    citations = tuple(make_citation(n, hits[h], spans[h][0], tuple(spans[h])) for h, n in numbers.items())
    return Composed(lead + "\n\n" + "\n\n".join(paragraphs), citations, len(chosen))


def compose_list(section: ListSection, lang: Language, hits: Sequence[Hit]) -> Composed:
    """The items of a numbered list section, one per line, each citing the heading in its passage.

    ``hits`` must contain the items' passages (see :func:`assistant.outline.with_items`).
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
    intro = section.intro
    closing = ""
    if intro is not None and section.opening is not None and section.opening.chunk_id in by_id:
        hit = by_id[section.opening.chunk_id]
        n = numbers.setdefault(hit.chunk_id, len(numbers) + 1)
        spans.setdefault(hit.chunk_id, []).append(intro)
        sentence = " ".join(hit.text[intro[0]:intro[1]].split())
        opens = "The chapter opens with: " if lang == "en" else "Zo begint het hoofdstuk: "
        closing = "\n\n" + opens + _render(sentence, n, lang)
    name = doc_name(section.doc_id, section.items[0].chunk.title, lang)
    if lang == "en":
        lead = (f"The sources are in Dutch, so their own words are quoted. {name[0].upper()}{name[1:]} names "
                f"{len(section.items)}, each in a section of its own under ‘{section.heading}’:")
    else:
        lead = f"{name[0].upper()}{name[1:]} noemt er {len(section.items)}, elk in een eigen paragraaf onder ‘{section.heading}’:"
    citations = tuple(make_citation(n, by_id[c], spans[c][0], tuple(spans[c])) for c, n in numbers.items())
    return Composed(lead + "\n\n" + "\n".join(lines) + closing, citations, len(lines))


def compose_answer(question: str, lang: Language, listed: ListSection | None, ranked: Sequence[Candidate],
                   found: Sequence[Hit], hits: Sequence[Hit]) -> Composed:
    """The list a list question asks for (its passages in ``hits``), else the best sentences of what was found."""
    return compose_list(listed, lang, hits) if listed else compose(question, lang, ranked, found)


def _render(sentence: str, n: int, lang: Language, opens_list: bool = False) -> str:
    if lang == "en":
        return f"“{sentence}” [{n}]"
    if opens_list and sentence.endswith(":"):
        return f"{sentence[:-1].rstrip()} [{n}]:"
    # A sentence that announced a list (ending in ':' or ';') ends here in the answer.
    text = sentence if sentence[-1] in ".!?…" else sentence.rstrip(":;, ") + "."
    return render_sentence(text, [n])


def refusal_text(lang: Language) -> str:
    """What the assistant says when the sources do not cover a question."""
    if lang == "en":
        return ("The sources do not answer this question. I would rather say so than guess. "
                "The passages that come closest are listed below; they may still help.")
    return ("De bronnen geven geen antwoord op deze vraag. Liever zeg ik dat dan dat ik ga gissen. "
            "Hieronder staan de passages die er het dichtst bij komen; misschien helpen die u verder.")
