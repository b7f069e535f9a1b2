"""Sentences as first-class units: each document is split once, and every sentence gets a content role.

An answer quotes whole sentences, so the sentence boundaries are decided here,
once, on the whole cleaned document (never on a passage, whose edge may fall
inside a long sentence). Each sentence also gets a *content role*: body text,
a heading, a list item, a question, a caption, a table fragment, an author
bio, a colophon or institute blurb, navigation or link text, or a table of
contents. The answer stages quote body text and list items; the other roles
are kept in the index so that they can be skipped on purpose ("who wrote the
report?" may quote a bio; "what is an opgave?" never should).

The rules look at the form of a sentence, not at any particular document:
they are written from the kinds of furniture every report and web page has.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ingest.chunking import ChunkedDocument
from kb.types import Chunk, SentenceSpan
from opgavewijzer.text import sentence_spans

_BULLET = re.compile(r"^(?:[-–•*▪·◦]\s+|\d{1,2}[.)]\s+|[a-z][.)]\s+|\(\d{1,2}\)\s+)")
_TOC = re.compile(r"(?:\.{4,}|…{2,}|(?:\. ){3,})\s*\d*\s*$|^(?:inhoud|inhoudsopgave|contents)\b", re.IGNORECASE)
_NOTE = re.compile(r"^Noot \d+:\s")  # a footnote, as cleaning writes it
# A reference as a line of its own, numbered as a page footnote or not: "10 NCTV (2019). Werken bij de NCTV.",
# "Frissen, P.H.A. (2010). De staat van verschil." An author or maker, then the year in brackets.
_REFERENCE = re.compile(r"^(?:\d{1,3}\s+)?[A-Z][^()]{0,80}?\((?:19|20)\d{2}[a-z]?\)[.,:]")
_CAPTION = re.compile(r"^(?:figuur|tabel|afbeelding|foto|grafiek|kader|bron|figure|table|source)\s*\d*[.:]", re.IGNORECASE)
# "Tabel 1." split off as a sentence of its own: what follows it on its line is the caption's text.
_LABEL_ONLY = re.compile(r"^(?:figuur|tabel|afbeelding|grafiek|kader|figure|table)\s*\d+[.:]?$", re.IGNORECASE)
_LINK = re.compile(
    r"https?://|www\.|\bklik hier\b|\blees (?:meer|verder)\b|\bbekijk (?:hier|ook)\b"
    r"|\bdownload\b|\bvolg ons\b|\bdeel dit\b|\bclick here\b|\bread more\b",
    re.IGNORECASE,
)
_COLOPHON = re.compile(
    r"\bisbn\b|©|\bcopyright\b|\balle rechten voorbehouden\b|\bvormgeving\b|\bfotografie\b|\bopmaak\b"
    r"|\bdrukwerk\b|\buitgave van\b|\bcontactgegevens\b|\bpostbus\b|\btelefoon\b|\be-?mail\b|@\w",
    re.IGNORECASE,
)
# "De Nederlandse School voor Openbaar Bestuur (NSOB) is een … instituut …": who an organisation is.
# The subject is a proper name (capitalised words, small connecting words, an acronym in brackets).
_INSTITUTE = re.compile(
    r"^(?:De |Het )?[A-Z][\w'’-]*(?:\s+(?:voor|van|de|der|en|het|[A-Z][\w'’-]*))*(?:\s+\([A-Z]{2,8}\))?"
    r" is (?:een|de|het) (?:[\w-]+ (?:en )?){0,4}?"
    r"[\w-]*(?:instituut|vereniging|netwerk|platform|organisatie|kenniscentrum|stichting|school|beweging|bureau)\b"
)
# "Prof. dr. Martijn van der Steen is sinds 2002 … werkzaam bij …": a person's career.
_NAME = r"(?:(?i:prof|dr|drs|mr|ir|ing|dhr|mevr)\.\s*)*(?:[A-Z][\w'’-]+\s+)(?:(?:van|de|der|den|te|ten|ter|het|la|le|du)\s+)*[A-Z][\w'’-]+(?:\s+[A-Z]{2,4}|\s+MSc|\s+MA|\s+PhD)?"
_BIO = re.compile(
    r"^(?:" + _NAME + r"|Hij|Zij)\s+(?:is|was|werkt|werkte|studeerde|promoveerde|schreef|publiceerde)\b.{0,120}?"
    r"\b(?:werkzaam|verbonden aan|hoogleraar|decaan|directeur|onderzoeker|adviseur|partner|lector|docent|"
    r"studeerde|promoveerde|opleidingsmanager|programmamanager|bestuurskundige|auteur van|publiceerde)",
)
_DIGITS = re.compile(r"\d")
# A line this short without closing punctuation reads as a heading, not as prose.
HEADING_MAX_WORDS = 12


def _letters(text: str) -> str:
    """Letters and digits only, lowercased: headings differ from their copies in quotes and dashes."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _proper_name(subject: str) -> bool:
    """True for an organisation's name: an acronym or two capitalised words ("Het" alone is none)."""
    words = subject.split()
    return bool(re.search(r"\b[A-Z]{2,}\b", subject)) or sum(w[:1].isupper() for w in words[1:]) >= 1


def classify(sentence: str, whole_line: bool, headings: frozenset[str]) -> str:
    """The content role of one sentence (see :data:`kb.types.SENTENCE_ROLES`).

    ``whole_line`` says the sentence is a line of its own in the cleaned text
    (headings, captions and list items are); ``headings`` holds the letters of
    the section headings and the title of the document.
    """
    text = " ".join(sentence.split())
    words = text.split()
    if _TOC.search(text):
        return "toc"
    if _letters(text) in headings:
        return "heading"
    if _LINK.search(text):
        return "navigation"
    if _COLOPHON.search(text):
        return "colophon"
    if _CAPTION.match(text):
        return "caption"
    if _NOTE.match(text) and text[-1] not in ".!?":
        return "footnote"  # a reference ("Noot 47: Rotterdamse Standaard …"), not a statement
    if _BULLET.match(text):
        return "list_item"
    if text.endswith("?"):
        return "question"
    if _BIO.match(text):
        return "author_bio"
    if _INSTITUTE.match(text) and _proper_name(text.split(" is ", 1)[0]):
        return "colophon"
    digits = len(_DIGITS.findall(text))
    if len(words) >= 4 and digits >= 0.3 * len(text.replace(" ", "")):
        return "table"
    if whole_line and len(words) <= HEADING_MAX_WORDS and text[-1] not in ".!?:;…)’”\"" and text[:1].isupper():
        return "heading"
    return "body"


def with_sentences(doc: ChunkedDocument) -> ChunkedDocument:
    """The document with every chunk pointing at the sentences it holds (split once, on the whole text).

    A sentence that crosses a chunk edge is listed in both chunks with its full
    span, so whichever passage is retrieved, the sentence is quoted whole.
    """
    text = doc.text
    headings = frozenset(
        _letters(h) for c in doc.chunks for h in (*c.section_path, c.title) if h.strip()
    )
    spans: list[SentenceSpan] = []
    for start, end in sentence_spans(text):
        line_start = text.rfind("\n", 0, start) + 1
        line_end = text.find("\n", end)
        line_end = len(text) if line_end < 0 else line_end
        whole_line = not text[line_start:start].strip() and not text[end:line_end].strip()
        # Every sentence of a reference line is part of the reference, the cited title too.
        reference = bool(_REFERENCE.match(text[line_start:line_end].lstrip()))
        # The text of a caption reads like a sentence ("Begroot budget per opgave, 2023 tot en met 2025."), but is
        # a label: after "Tabel 1." on the same line it is part of the caption.
        before = spans[-1] if spans and spans[-1].start >= line_start else None
        labelled = before is not None and bool(_LABEL_ONLY.match(text[before.start:before.end].strip()))
        role = "footnote" if reference else "caption" if labelled else classify(text[start:end], whole_line, headings)
        spans.append(SentenceSpan(start, end, role))
    chunks: list[Chunk] = []
    i = 0
    for chunk in doc.chunks:  # chunks are in document order, so one forward scan finds each one's sentences
        while i < len(spans) and spans[i].end <= chunk.start:
            i += 1
        j = i
        inside: list[SentenceSpan] = []
        while j < len(spans) and spans[j].start < chunk.end:
            inside.append(spans[j])
            j += 1
        chunks.append(replace(chunk, sentences=tuple(inside)))
    return replace(doc, chunks=tuple(chunks))
