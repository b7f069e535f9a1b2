"""Query understanding: a question that names a source is searched within that source.

"Wat zegt de NSOB over tafels?" asks about tafels *in the NSOB report*. Left
as it is, the word "NSOB" matches colofons and introductions that mention the
NSOB, not the passage about tafels. So a mention of a source becomes a filter,
and the mention itself is taken out of the text that is matched. Measured on
the dev set: evidence recall@6000 characters 0.685 → 0.727, hit@1 0.46 → 0.56.

Everything comes from each document's metadata (``DocumentRecord``), for every
document alike:

- a *name* (an alias that is not one of the document's topics, its title or
  short title) routes the question, and comes out of the matched text;
- an alias that is also an everyday word of the document (one of its
  ``topics``: "motie", "bouwstenen") routes only where the question uses it as
  a name ("motie 50", "het bouwstenen-essay", "volgens ‘bouwstenen’"), or
  when no other document fits the question better (``best_fit``). The
  answer stages keep topics in their focus (``DocumentRecord.topics``);
- a vague reference ("dat stuk van de provincie", "dat IenW-stuk", "het
  essay") resolves against the kind, publisher, title and aliases.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from opgavewijzer.text import word_frequency

# Words that only frame the mention ("volgens de", "in het ... rapport").
_FRAME = r"(?:\b(?:volgens|in|uit|van|bij|door|according to|in the)\s+)?(?:\b(?:de|het|dat|die|the)\s+)?"
_KINDS = r"rapport|gids|essay|verslag|notitie|bijlage|evaluatie|report|guide|annex"
_SUFFIX = rf"(?:[- ](?:{_KINDS}))?"
_MIN_CONTENT_WORDS = 2
SAME_STEM = 6  # letters two forms of one word share at least ("provincie", "provinciale")
# A word one edit away from a document's one-word name or a kind word of at least this many letters is that
# word misspelt ("esay", "raport", "inspiratiegisd"); shorter ones ("nsob", "gids") have too many neighbours.
MIN_RESPELT = 5
COMMON_ZIPF = 2.0  # wordfreq's Zipf scale; "raport" 1.8 and "esay" 1.1 are typos, "motief" 4.0 and "essays" 4.1 words
_GENERIC = ("stuk", "document", "tekst", "publicatie", "bron")  # refer to a document of any kind
# "het Zuid-Hollandse verslag" (group 1: a describing word before the kind), "dat IenW-stuk" and
# "het rekenkamerrapport" (group 2: a maker joined to the kind), the kind itself (group 3).
_VAGUE = re.compile(rf"\b(?:dat|dit|het|de|die|deze|the|that|this)\s+(?:([\w-]+)\s+(?=[\w-]*(?:{_KINDS}|{'|'.join(_GENERIC)})\b))?"
                    rf"(?:(\w+?)-?)?({_KINDS}|{'|'.join(_GENERIC)})\b", re.IGNORECASE)
_TAKEN = "\x00"  # stands where a document's name was taken out, so a kind word next to it is seen as part of it
_OF_TAKEN = re.compile(rf"\s*(?:(?:over|van|uit|bij|about|from|on|of)\s+)?(?:(?:de|het|the)\s+)?{_TAKEN}", re.IGNORECASE)
_BY = re.compile(r"\s+van\s+(?:de\s+|het\s+)?([\w-]+)", re.IGNORECASE)  # "… van de provincie": who made it
_EMPTY_QUOTES = re.compile(r"[‘'\"“]\s*[’'\"”]")  # what is left of a quoted name once it is taken out
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")
_ENGLISH_KINDS = {"report": ("rapport", "verslag"), "guide": ("gids",), "annex": ("bijlage",)}


BestFit = Callable[[str], "str | None"]  # a question -> the doc id that fits it best (lexically), if any


@dataclass(frozen=True)
class QueryPlan:
    """What to search for, and where."""

    text: str
    doc_ids: tuple[str, ...] = ()
    # Of doc_ids, those chosen by an everyday topic word ("concernbrede opgaven") rather than by a name: places
    # to look, not documents the question names (so not a comparison by themselves).
    by_topic: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Names:
    """How questions can name one document."""

    doc_id: str
    names: tuple[str, ...]  # route and leave the matched text
    common: tuple[str, ...]  # route only when used as a name; stay in the text
    kind: str
    words: frozenset[str]  # the words of its publisher, title and aliases, for vague references


def plan_query(query: str, documents: Mapping[str, Any], best_fit: BestFit | None = None) -> QueryPlan:
    """Detect the sources ``query`` names and take the mention out of the matched text.

    ``documents`` maps a doc id to its ``DocumentRecord`` (or, as before, to a
    list of aliases, all of them names). The mention is kept in the text when
    too little would remain ("wat is de VPNG?" is a question about the VPNG itself).
    ``best_fit`` names the document that fits a text best (the knowledge base
    answers it from its lexical index); without it an everyday alias routes
    only where it is used as a name. To plan many questions against the same
    documents, make one :class:`QueryPlanner` and ask it.
    """
    return QueryPlanner(documents).plan(query, best_fit)


@dataclass(frozen=True)
class _Common:
    """An everyday alias of one document ("motie"), with the patterns that find it, compiled once."""

    doc_id: str
    as_name: tuple[re.Pattern[str], ...]  # the forms that use it as a name (see _common_alias)
    mention: re.Pattern[str]  # the word anywhere
    mention_framed: re.Pattern[str]  # the word with its frame ("in het ... essay"), taken out when it routes


class QueryPlanner:
    """:func:`plan_query` for one fixed set of documents (one build).

    The documents' names are read and their patterns compiled once per build
    rather than for every question: a knowledge base plans every search.
    """

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self._order = tuple(documents)
        self._known = [_names_of(doc_id, value) for doc_id, value in documents.items()]
        # Longest name first, so that a name holding a shorter one is taken out whole.
        named = sorted(((d, n) for d in self._known for n in d.names), key=lambda p: -len(p[1]))
        self._named = [
            (d.doc_id, re.compile(_FRAME + r"(?<!\w)" + re.escape(n) + r"(?!\w)" + _SUFFIX, re.IGNORECASE))
            for d, n in named
        ]
        self._common = [_common_alias(d.doc_id, word) for d in self._known for word in d.common]
        # The words a question names a document by, for repairing a typo in one ("dat esay" → "dat essay").
        one_word = [n for d in self._known for n in (*d.names, *d.common) if _WORD.fullmatch(n)]
        # Sorted once per build, so that the first close spelling found is the same for every question.
        words = {w.casefold() for w in (*one_word, *_KINDS.split("|")) if len(w) >= MIN_RESPELT}
        self._spellings = tuple(sorted(words))

    def plan(self, query: str, best_fit: BestFit | None = None) -> QueryPlan:
        """The plan for one question (see :func:`plan_query`)."""
        found: list[str] = []
        by_name: set[str] = set()  # found by a name, a topic word used as one, or a description
        query = _respelt(query, self._spellings)
        text = query
        for doc_id, pattern in self._named:
            if pattern.search(text):
                found += [doc_id] if doc_id not in found else []
                by_name.add(doc_id)
                text = pattern.sub(f" {_TAKEN} ", text)
        best = None
        for common in self._common:
            text, used = _as_name(text, common.as_name)
            by_name.update([common.doc_id] if used else [])
            if not used and best_fit is not None and common.mention.search(text):
                # Used as an everyday word: it routes only to the document that fits the whole question best.
                best = best_fit(query) if best is None else best
                if best == common.doc_id:
                    text, used = common.mention_framed.sub(f" {_TAKEN} ", text), True
            if used and common.doc_id not in found:
                found.append(common.doc_id)
        text, vague, guessed = _vague(text, self._known, tuple(found))
        found += [d for d in vague if d not in found]
        # One vague mention that fits two documents ("dat stuk van de provincie") says where to look, not that the
        # question compares them: like a topic word, it names neither.
        by_name.update(() if guessed else vague)
        text = text.replace(_TAKEN, " ")
        if not found:
            return QueryPlan(query)
        found = [d for d in self._order if d in found]  # in the index's order, however the mentions were found
        text = _SPACES.sub(" ", _EMPTY_QUOTES.sub(" ", text)).strip(" ,?.:;") + ("?" if query.rstrip().endswith("?") else "")
        content = [w for w in _WORD.findall(text) if len(w) > 3]
        by_topic = tuple(d for d in found if d not in by_name)
        return QueryPlan(text if len(content) >= _MIN_CONTENT_WORDS else query, tuple(found), by_topic)


def _names_of(doc_id: str, value: Any) -> _Names:
    if isinstance(value, (list, tuple)):  # aliases only: every one is a name
        return _Names(doc_id, tuple(value), (), "", frozenset())
    topics = {t.casefold() for t in getattr(value, "topics", ()) or ()}
    aliases = list(value.aliases)
    names = [a for a in aliases if a.casefold() not in topics]
    names += [t for t in (value.title, getattr(value, "short_title", "")) if t and len(t.split()) >= 2]
    common = [a for a in aliases if a.casefold() in topics]
    described = " ".join([getattr(value, "publisher", ""), value.title, getattr(value, "short_title", ""), *aliases])
    words = frozenset(w.casefold() for w in re.findall(r"[\w]{3,}", described))
    return _Names(doc_id, tuple(dict.fromkeys(names)), tuple(common), getattr(value, "kind", ""), words)


def _common_alias(doc_id: str, word: str) -> _Common:
    """The compiled patterns of one everyday alias."""
    w = re.escape(word)
    # As a name: followed by a number ("motie 50"), joined to a kind ("bouwstenen-essay",
    # "het essay over bouwstenen"), quoted, or after "volgens".
    forms = (
        rf"(?<!\w)({w})(?=\s+\d)",
        rf"(?:\b(?:het|de|dat|die)\s+)?(?<!\w)({w})[- ](?:{_KINDS})\b",
        rf"\b(?:het|de|dat|die)\s+(?:{_KINDS})\s+(?:over|van|met)\s+(?:de\s+|het\s+)?({w})(?!\w)",
        rf"[‘'\"“]({w})[’'\"”]",
        rf"\bvolgens\s+(?:de\s+|het\s+)?({w})(?!\w)",
    )
    return _Common(
        doc_id,
        tuple(re.compile(form, re.IGNORECASE) for form in forms),
        re.compile(rf"(?<!\w){w}(?!\w)", re.IGNORECASE),
        re.compile(_FRAME + rf"(?<!\w){w}(?!\w)" + _SUFFIX, re.IGNORECASE),
    )


def _as_name(text: str, forms: Sequence[re.Pattern[str]]) -> tuple[str, bool]:
    """Whether ``text`` uses an everyday alias as a name (one of its ``forms``); if so, the mention goes."""
    for pattern in forms:
        if pattern.search(text):
            return pattern.sub(f" {_TAKEN} ", text), True
    return text, False


def _vague(text: str, known: Sequence[_Names], named: Sequence[str]) -> tuple[str, list[str], bool]:
    """Resolve "dat stuk van de provincie", "dat IenW-stuk", "het essay" against kind, publisher, title and aliases.

    Every mention counts ("de gids en het essay" names two documents), but next to a document already
    named (``named``) or another mention, only a mention that fits one document does: "het rapport van
    de NSOB" is one mention, and "het rapport" beside a name must not add a guess; when it fits the named
    document ("dat stuk van de provincie over motie 50") it is cut from the search text all the same. A lone
    mention that fits two documents names both, as before; the flag says that this happened.
    """
    found: list[str] = []
    cuts: list[tuple[int, int]] = []
    for match in _VAGUE.finditer(text):
        if _OF_TAKEN.match(text, match.end()):
            continue  # the kind word of a name already taken out ("het rapport van de NSOB", "het verslag over PZH")
        fits, end = _fits(match, text, known)
        if len(fits) > 1 and any(d.doc_id in named for d in fits):  # "… van de provincie" beside "motie 50"
            cuts.append((match.start(), end))
            continue
        if not fits or (len(fits) > 1 and (named or found)) or len(fits) > 2:
            continue
        cuts.append((match.start(), end))
        found += [d.doc_id for d in fits if d.doc_id not in found]
        if len(fits) > 1:
            break
    for start, end in reversed(cuts):
        text = text[:start] + " " + text[end:]
    return text, found, len(found) > 1 and len(cuts) == 1


def _fits(match: re.Match[str], text: str, known: Sequence[_Names]) -> tuple[list[_Names], int]:
    """The documents one vague mention can mean, and where the mention ends (after "van de provincie")."""
    kind = match.group(3).casefold()
    kinds = _ENGLISH_KINDS.get(kind, (kind,))
    # A kind word the title uses names the document too ("die evaluatie" for "Evaluatie opgavegericht werken …").
    fits = [d for d in known if kind in _GENERIC or d.kind in kinds or kind in d.words]
    end = match.end()
    by = _BY.match(text, end)
    qualifier = (match.group(2) or "").casefold()
    if not qualifier and by and any(_same_word(by.group(1).casefold(), w) for d in fits for w in d.words):
        qualifier, end = by.group(1).casefold(), by.end()
    describing = match.group(1) or ""
    # A describing word that names a maker ("het Zuid-Hollandse verslag", "het provinciale stuk") narrows the
    # mention; a capitalised one must, an everyday one ("het hele rapport") may say nothing about which.
    if not qualifier and describing and (describing[0].isupper()
                                         or any(_same_word(describing.casefold(), w) for d in fits for w in d.words)):
        qualifier = describing.casefold()
    if qualifier:
        fits = [d for d in fits if any(_same_word(qualifier, w) for w in d.words)]
    elif kind in _GENERIC:
        return [], end  # "het document" alone says nothing about which
    return fits, end


def _same_word(asked: str, known: str) -> bool:
    """"provincie" names "provincie" and "provinciale"; "zuid-hollandse" names "zuid-holland"; "ienw" names "ienw"."""
    if len(asked) < 4 or len(known) < 4:
        return asked == known
    if known.startswith(asked) or asked.startswith(known):
        return True
    shared = len(os.path.commonprefix([asked, known]))
    return shared >= SAME_STEM and shared >= len(min(asked, known, key=len)) - 2


def _respelt(query: str, spellings: tuple[str, ...]) -> str:
    """``query`` with each word that is one edit (a letter left out, added, changed or two swapped) from a
    name or kind word in ``spellings`` written as that word. The corpus's typo repair cannot do this: these
    words name documents and need not occur in their text ("essay")."""
    def repair(m: re.Match[str]) -> str:
        word = m.group(0)
        folded = word.casefold()
        if len(folded) < MIN_RESPELT - 1 or folded in spellings or _common_word(folded):
            return word  # "motief" is a word of its own, not "motie" misspelt
        fixed = next((w for w in spellings if w[0] == folded[0] and _one_edit(folded, w)), None)
        if fixed is None:
            return word
        return fixed[:1].upper() + fixed[1:] if word[:1].isupper() else fixed

    return _WORD.sub(repair, query)


def _common_word(word: str) -> bool:
    """True if ``word`` is a word people write in Dutch or English (wordfreq: at least once per ten million)."""
    return max(word_frequency(word)) >= COMMON_ZIPF


def _one_edit(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` differ by exactly one deleted, inserted or changed letter, or two swapped ones."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                                  and a[diff[1]] == b[diff[0]])
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))
