"""Document metadata made at ingest from the document itself: title, names, aliases, publisher, date, topics.

A document that ``sources.json`` does not describe (an upload, ``ingest PATH``)
must still be named by its title, never by its file name. So every document
gets, from its own text and file properties:

- a title: the embedded title (PDF Title, Word core properties), a Markdown
  H1, the first heading, or a first line that reads as a title;
- a short title, and names in running text built from the kind of document
  the text says it is ("het rapport ‘…’", "the report ‘…’");
- aliases from acronyms, numbered names ("Motie 50") and proper names in the title;
- the publisher and date where the opening lines state them;
- topics: the title's everyday subject words, which keep an alias that is also
  such a word from routing a question by itself (see ``kb/query.py``).

``sources.json`` and the maintainer's edits (``ingest/document_edits.py``)
override field by field: :func:`complete` fills only what they leave empty.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence
from xml.etree import ElementTree

from ingest.cleaning import Block
from ingest.inputs import title_for_file
from ingest.loaders import RawDocument
from kb.types import SourceInfo

# Kinds of document, as Dutch text names them: article and English name.
KINDS: dict[str, tuple[str, str]] = {
    "rapport": ("het", "report"), "verslag": ("het", "report"), "essay": ("het", "essay"),
    "gids": ("de", "guide"), "bijlage": ("de", "annex"), "evaluatie": ("de", "evaluation"),
    "notitie": ("de", "memo"),
}
_KIND = "|".join(KINDS)
_SELF = re.compile(rf"\b(?:dit|deze)\s+\w*?({_KIND})\b", re.IGNORECASE)  # "dit rapport", "deze inspiratiegids"
_WORD_KIND = re.compile(rf"\w*?({_KIND})\b", re.IGNORECASE)
_TOP_CHARS = 2500  # the opening of a document: where publisher, date and kind are stated
_MONTHS = "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
_DATE = re.compile(rf"\b(?:\d{{1,2}}\s+)?(?:{_MONTHS})\s+(?:19|20)\d\d\b", re.IGNORECASE)
_LABELLED_DATE = re.compile(r"^\s*(?:datum|date|gepubliceerd|publicatiedatum)\s*:\s*(.{4,40}?)\s*$", re.I | re.M)
_LABELLED_BY = re.compile(
    r"(?:^|\b)(?:een\s+)?(?:uitgave van|uitgegeven door|opgesteld door|auteurs?|opdrachtgever|publisher)\s*:?\s+"
    r"([A-Z][^\n,;.]{2,80})", re.IGNORECASE | re.MULTILINE)
# An organisation: "gemeente X", "Provincie X", "Ministerie van X", or a capitalised compound on an
# organisation word ("Rekenkamercommissie X", "Opgavebeweging"), with the capitalised words after it.
_NAME_TAIL = r"(?:[ \t]+(?:van[ \t]+|voor[ \t]+|en[ \t]+)?[A-Z][\w'-]+)"
_ORG = re.compile(
    rf"(?:^|(?<=[\s(]))((?:[Gg]emeente|[Pp]rovincie|[Mm]inisterie[ \t]+van|[Ww]aterschap){_NAME_TAIL}+"
    rf"|[A-Z][a-z]*(?:commissie|kamer|raad|bureau|instituut|vereniging|stichting|school|universiteit|beweging)"
    rf"{_NAME_TAIL}*)", re.MULTILINE)
_ACRONYM = re.compile(r"\b(?:[A-Z]{2,6}|[A-Z][a-z]{0,2}[A-Z]{1,4}|[A-Z]+en[A-Z]+)\b")
_NUMBERED = re.compile(r"\b([A-Z][a-z]{2,}\s+\d{1,4})\b")  # "Motie 50"
_PROPER = re.compile(r"(?<=\s)([A-Z]{1,2}[a-z]+(?:-[A-Z][a-z]+)*)\b")  # a capitalised word after the first ("IJssel")
_NOT_TITLE = re.compile(r"\.(?:docx?|pdf|txt|md)\b|^microsoft\b|^(?:untitled|naamloos|document\d*|titel)$", re.I)
_SMALL = frozenset(
    "de het een en of in op aan bij van voor met door over om tot uit naar als dat die dit deze te the a an of and "
    "for to on in with by from at is zijn wordt worden hoe wat wie waarom "
    "gemeente provincie ministerie waterschap".split())  # an organisation's kind is no name of its own
_SHORT_WORDS = 8
# Section headings that every kind of document has: never its title.
_GENERIC_HEADINGS = frozenset(
    "voorwoord inleiding inhoud inhoudsopgave samenvatting colofon thema introductie aanleiding "
    "preface introduction contents summary".split())


@dataclass(frozen=True)
class Derived:
    """What the document says about itself."""

    title: str = ""
    kind: str = ""
    publisher: str = ""
    date: str = ""
    aliases: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()


def derive(raw: RawDocument, blocks: Sequence[Block]) -> Derived:
    """Read title, kind, publisher, date, aliases and topics from a loaded and cleaned document."""
    text = "\n".join(b.text for b in blocks)
    top = text[:_TOP_CHARS]
    title = _title(raw, blocks)
    return Derived(
        title=title,
        kind=_kind(title, top),
        publisher=_publisher(top),
        date=_date(top),
        aliases=_aliases(title, top, text),
        topics=_topics(title),
    )


def complete(source: SourceInfo, derived: Derived, path: Path) -> SourceInfo:
    """``source`` with every field it leaves empty filled from ``derived``; names are built last.

    A title that is only the file name (what an unlisted file starts with) counts as empty.
    """
    own_title = source.title if source.title and source.title != title_for_file(path) else ""
    title = own_title or derived.title or source.title
    short = source.short_title if source.short_title and source.short_title != source.title else ""
    short = short or (source.short_title if own_title else "") or short_title(title)
    kind = source.kind or derived.kind
    aliases = source.aliases or tuple(a for a in derived.aliases if a.casefold() != title.casefold())
    return replace(
        source, title=title, short_title=short, kind=kind,
        publisher=source.publisher or derived.publisher, date=source.date or derived.date,
        aliases=aliases, topics=source.topics or derived.topics,
        names=source.names or names(short, kind),
    )


def names(short: str, kind: str) -> dict[str, str]:
    """How running text names a document: "het rapport ‘…’" and "the report ‘…’" ("het document" without a kind)."""
    article, english = KINDS.get(kind, ("het", "document"))
    return {"nl": f"{article} {kind or 'document'} ‘{short}’", "en": f"the {english} ‘{short}’"}


def short_title(title: str) -> str:
    """The title up to its first subtitle break (". ", ": ", " – "), or its first words."""
    title = re.sub(r"[‘’“”\"]|(?<!\w)'|'(?!\w)", "", title)  # quotes inside a name that is itself quoted
    head = re.split(r"(?<=\w)[.:]\s+|\s+[–—-]\s+", title, maxsplit=1)[0].strip()
    words = (head if len(head.split()) >= 2 else title).split()
    return " ".join(words[:_SHORT_WORDS]) + ("…" if len(words) > _SHORT_WORDS else "")


# --- the title ---------------------------------------------------------------


def _title(raw: RawDocument, blocks: Sequence[Block]) -> str:
    """The embedded title, a marked H1, a title-like first block, or the first heading that is not a generic one."""
    embedded = _embedded_title(raw)
    if embedded:
        return embedded
    opening = [b for b in blocks[:30] if _plausible(b.text, raw.path)]
    for block in opening:  # a marked top-level heading: Markdown '#', Word 'Title'/'Heading 1'
        if block.kind == "heading" and block.marked and block.level == 1:
            return _tidy(block.text)
    first = blocks[0] if blocks else None
    if (first is not None and first in opening and len(first.text.split()) <= 15 and first.text.lstrip()[:1].isupper()
            and not first.text.rstrip().endswith((".", ",", ";", "?", "!"))):
        return _tidy(first.text)
    for block in opening[:6]:
        if block.kind == "heading":
            return _tidy(block.text)
    return ""


def _embedded_title(raw: RawDocument) -> str:
    """The title the file's own properties give (PDF document info, Word core properties), if it is one."""
    found = ""
    try:
        if raw.format == "pdf":
            import pypdf

            found = str((pypdf.PdfReader(str(raw.path)).metadata or {}).get("/Title") or "")
        elif raw.format == "docx":
            with zipfile.ZipFile(raw.path) as archive:
                if "docProps/core.xml" in archive.namelist() and archive.getinfo("docProps/core.xml").file_size < 1 << 20:
                    node = ElementTree.fromstring(archive.read("docProps/core.xml")).find(
                        "{http://purl.org/dc/elements/1.1/}title")
                    found = node.text or "" if node is not None else ""
    except Exception:  # a damaged property block is no reason to refuse a readable document
        return ""
    return _tidy(found) if _plausible(found, raw.path) else ""


def _plausible(text: str, path: Path) -> bool:
    """A title has words, is not a file name or a tool's placeholder, and fits on a line or two."""
    text = _tidy(text)
    words = re.findall(r"[^\W\d_]{3,}", text)
    stem = path.stem.casefold()
    return (3 <= len(text) <= 200 and bool(words) and not _NOT_TITLE.search(text) and text.casefold() != stem
            and text.casefold().rstrip(":") not in _GENERIC_HEADINGS)


def _tidy(text: str) -> str:
    return " ".join(text.replace("*", " ").replace("_", " ").strip(" #>").split()).strip(" .")


# --- what the opening says ------------------------------------------------------


def _kind(title: str, top: str) -> str:
    """The kind the text calls itself ("dit rapport"), else the title's ("Inspiratiegids …"), else a word near the top."""
    for pattern, text in ((_SELF, top), (_WORD_KIND, title), (_WORD_KIND, top[:300])):
        found = pattern.search(text)
        if found:
            return found.group(1).lower()
    return ""


def _publisher(top: str) -> str:
    """A labelled publisher ("Uitgave van …"), else an organisation that opens a line (a byline), else the first one."""
    labelled = _LABELLED_BY.search(top)
    if labelled:
        return labelled.group(1).strip()
    found = list(_ORG.finditer(top))
    opening = [m for m in found if m.start() == 0 or top[m.start() - 1] == "\n"]
    return (opening or found)[0].group(1).strip() if found else ""


def _date(top: str) -> str:
    labelled = _LABELLED_DATE.search(top)
    if labelled:
        return labelled.group(1)
    found = _DATE.search(top)
    return found.group(0) if found else ""


def _aliases(title: str, top: str, text: str) -> tuple[str, ...]:
    """Acronyms of the title and those spelt out near the top, numbered names, and the title's proper names.

    A capitalised title word is a proper name only when the document itself
    writes it capitalised more often than not ("Wendelsloot", not "Opgaven").
    """
    found = [*_NUMBERED.findall(title), *_ACRONYM.findall(title)]
    for acronym in _ACRONYM.findall(top):  # "Nederlandse School voor Openbaar Bestuur (NSOB)"
        if re.search(rf"\(\s*{re.escape(acronym)}\s*\)", top):
            found.append(acronym)
    for word in _PROPER.findall(title):
        if word.casefold() in _SMALL or word.casefold() in KINDS:
            continue
        lower = len(re.findall(rf"(?<!\w){re.escape(word.lower())}(?!\w)", text))
        if len(re.findall(rf"(?<!\w){re.escape(word)}(?!\w)", text)) > lower:
            found.append(word)
    return tuple(dict.fromkeys(a for a in found if len(a) >= 2))


def _topics(title: str) -> tuple[str, ...]:
    """The everyday subject words of the title (lowercase there, not small words or the kind)."""
    words = re.findall(r"(?<![\w-])[a-zà-ÿ][\w-]{3,}", title)
    return tuple(dict.fromkeys(w for w in words if w not in _SMALL and w not in KINDS))
