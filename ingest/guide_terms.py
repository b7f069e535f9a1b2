"""Key terms and candidate questions of a source guide.

Key terms are the words and two-word terms a document uses far more than the
other documents of the build: a weighted log-odds ratio of their frequency in
the document against the rest (``count × log(share here / share elsewhere)``),
counted over the document's body text, list items and headings, never its
furniture. A term must come back in several sections, so that a name in one
anecdote is no key term.

Candidate questions are what a reader could ask the document: what it is
about, what it says about each key term and each main chapter, and the
questions its own headings ask. Which of them the answer engine really answers
from this document is checked after the build (see ``kb.guides``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Sequence

from ingest.guide_features import in_furniture, section_parts
from kb.lexical import dutch_stopwords, fold
from kb.sentences import SentenceIndex
from kb.types import Sentence

TERMS = 8  # key terms per guide
MIN_COUNT = 3  # a term used fewer times is no key term
MIN_SECTIONS = 2  # ... nor one that stays in one section
MIN_LETTERS = 4
SMOOTHING = 0.5  # added to every count, so that a term absent elsewhere gets a finite ratio
MIN_RATIO = 2.0  # a term must be at least this much more frequent here than elsewhere
HEADING_BONUS = 2.0  # a term the document's own headings use is what it is organised around
BIGRAM_SHARE = 0.5  # a two-word term replaces its word when it makes up at least this share of the word's uses
COMPOUND_LETTERS = 12  # a single-word term this long is a compound worth asking about ("sturingsprofessional")
QUESTIONS = 10  # candidates stored; the check keeps three to six
TERM_ROLES = frozenset({"body", "list_item", "heading"})
_TOKEN = re.compile(r"[^\W\d_][\w’'-]*[^\W\d_]|[^\W\d_]")
# Generic words of any report, in both languages, that would otherwise rank as terms of the longest document.
_GENERIC = frozenset("""bijvoorbeeld namelijk daarbij daarnaast verschillende belangrijk belangrijke zoals
waarbij andere goede goed echter eigen elkaar steeds vooral gaan komen maken staan zien geven nemen
houden moeten kunnen worden hebben zullen willen laten heel wilt waar gaat daar hier inzichten vraag vragen vaak
lastig gebeurt vereist nadruk vanuit binnen tussen tijdens rondom publicatie hoofdstuk paragraaf pagina bijlage inspiratiegids rapport verslag notitie essay document
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag januari februari maart april juni juli augustus september
oktober november december""".split())
# Adjectives and infinitives: words that describe or do, not terms a reader looks up ("provinciale", "sturen").
_NOT_A_TERM = re.compile(r"(?:lijke|lijk|ische|isch|ale|ele|ieve|ief|ende|erende|bare|baar|en)$")
# Headings that open or close any document: asking what it says "over ‘Inleiding’" asks nothing.
_FRAME_HEADING = re.compile(r"^(?:inleiding|begin|aanleiding|voorwoord|introductie|tot slot|slot|conclusies?|samenvatting|"
                            r"afsluiting|bijlagen?|introduction|conclusions?|summary)$", re.IGNORECASE)
# A heading that asks what the document asks: a question word first, no reader addressed ("jouw provincieschat").
_OWN_QUESTION = re.compile(r"^(?:Wat|Wie|Waarom|Hoe|Welke|Wanneer|Waar)\b(?!.*\b(?:je|jij|jouw|jullie|we|wij|ons|onze|u|uw|"
                           r"dit|dat|deze|die|er|hier|daar)\b)")


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text)]


def _usable(word: str, stop: frozenset[str]) -> bool:
    low = word.lower()
    return len(low) >= MIN_LETTERS and fold(low) not in stop and low not in _GENERIC


def _counts(sentences: Sequence[Sentence], stop: frozenset[str]) -> tuple[Counter[str], dict[str, set[str]], Counter[str]]:
    """Term counts (words and two-word terms, lower case), the sections each is in, and its most used spelling."""
    counts: Counter[str] = Counter()
    where: dict[str, set[str]] = {}
    spelling: Counter[str] = Counter()
    for s in sentences:
        if s.role not in TERM_ROLES or in_furniture(s):
            continue
        words = _tokens(s.text)
        section = " > ".join(section_parts(s)[:2])
        terms = [w for w in words if _usable(w, stop)]
        terms += [f"{a} {b}" for a, b in zip(words, words[1:]) if _usable(a, stop) and _usable(b, stop)]
        for term in terms:
            key = term.lower()
            counts[key] += 1
            where.setdefault(key, set()).add(section)
            spelling[term] += 1
    return counts, where, spelling


def key_terms(index: SentenceIndex) -> dict[str, tuple[str, ...]]:
    """Per document, the TERMS terms that set it most apart from the other documents of ``index``."""
    stop = dutch_stopwords()
    counted = {doc_id: _counts(sentences, stop) for doc_id, sentences in index.by_doc.items()}
    totals = {doc_id: max(1, sum(c[0].values())) for doc_id, c in counted.items()}
    everywhere: Counter[str] = Counter()
    for counts, _, _ in counted.values():
        everywhere.update(counts)
    all_words = max(1, sum(totals.values()))
    out: dict[str, tuple[str, ...]] = {}
    for doc_id, (counts, where, spelling) in counted.items():
        rest_words = max(1, all_words - totals[doc_id])
        headed = " ".join(s.text.lower() for s in index.by_doc[doc_id] if s.role == "heading" and not in_furniture(s))
        scored = []
        for term, n in counts.items():
            if n < MIN_COUNT or len(where[term]) < MIN_SECTIONS:
                continue
            if " " not in term and _NOT_A_TERM.search(term) and not term.endswith(("gaven", "ingen", "heden", "ties")):
                continue  # keep plural nouns ("opgaven", "aanbevelingen", "organisaties")
            if " " not in term and term.endswith("e") and everywhere[term[:-1]] > 0:
                continue  # an inflected adjective: "lange" beside "lang", "complexe" beside "complex"
            here = (n + SMOOTHING) / totals[doc_id]
            elsewhere = (everywhere[term] - n + SMOOTHING) / rest_words
            if here >= MIN_RATIO * elsewhere:
                bonus = HEADING_BONUS if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", headed) else 1.0
                scored.append((bonus * n * math.log(here / elsewhere), term))
        scored.sort(reverse=True)
        out[doc_id] = tuple(_spell(term, spelling) for _, term in _without_parts(scored, counts)[:TERMS])
    return out


def _without_parts(scored: list[tuple[float, str]], counts: Counter[str]) -> list[tuple[float, str]]:
    """One entry per idea: a word gives way to a two-word term that makes up most of its uses ("concernbrede" to
    "concernbrede opgaven"); a word that a kept term holds, or a term holding a kept word, is dropped."""
    pairs = [t for _, t in scored if " " in t]
    kept: list[tuple[float, str]] = []
    for score, term in scored:
        if " " not in term:
            term = next((p for p in pairs if term in p.split() and counts[p] >= BIGRAM_SHARE * counts[term]), term)
        words = set(term.split())
        if any(term == k or words & set(k.split()) or _same_word(term, k) for _, k in kept):
            continue
        kept.append((score, term))
    return kept


def _same_word(a: str, b: str) -> bool:
    """"tafel" and "tafels", "opgave" and "opgaven": one term in two forms."""
    short, long = sorted((a, b), key=len)
    return long in (short + "s", short + "en", short + "n", short + "'s")


def _spell(term: str, spelling: Counter[str]) -> str:
    """The spelling the document uses most for a lower-cased term (names keep their capitals)."""
    forms = [(n, form) for form, n in spelling.items() if form.lower() == term]
    return max(forms)[1] if forms else term


def candidate_questions(name: str, chapters: Sequence[str], terms: Sequence[str], sentences: Sequence[Sentence],
                        recommends: bool = False, concludes: bool = False) -> list[str]:
    """Questions a reader could put to the document named ``name`` in running text ("het NSOB-rapport"): what
    it is about, its recommendations and conclusions when it has them, its compound key terms, its chapters and
    the questions its headings ask (a single common word as a term made a fill-in question, a reader found)."""
    out = [f"Waar gaat {name} over?"]
    out += [f"Welke aanbevelingen doet {name}?"] if recommends else []
    out += [f"Wat zijn de belangrijkste conclusies van {name}?"] if concludes else []
    out += [f"Wat zegt {name} over ‘{t}’?" for t in terms if " " in t or "-" in t or len(t) >= COMPOUND_LETTERS][:3]
    for chapter in chapters:
        topic = re.sub(r"^(?:\d+(?:\.\d+)*[.)]?\s*|hoofdstuk \d+\s*[:.–-]?\s*)", "", chapter.split(" > ")[-1],
                       flags=re.I).strip(" :.–-")
        if 1 <= len(topic.split()) <= 8 and not re.search(r"[?:]|\b(?:je|jouw|jij)\b", topic, re.I) \
                and not _FRAME_HEADING.match(topic):
            out.append(f"Wat zegt {name} over ‘{topic[:1].lower() + topic[1:]}’?")
    asked = [s.text for s in sentences if s.role in ("heading", "question") and s.text.endswith("?")
             and 3 <= len(s.text.split()) <= 10 and not in_furniture(s) and _OWN_QUESTION.match(s.text)]
    out += [f"{q[:-1]} volgens {name}?" for q in asked[:3]]
    return list(dict.fromkeys(out))[:QUESTIONS]
