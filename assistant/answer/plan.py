"""Question analysis: what is asked, about what, in which language, and what kind of answer would do.

Every later stage reads the :class:`QuestionPlan`: retrieval searches each
named document when two are compared; selection scores sentences on the focus
and on the expected answer type; composition chooses the lead-in; the gap check
asks whether the asked-for fact (a number, a date, a name) is in the evidence.
The rules read the form of the question (its opening words and cue words), in
Dutch and in English, never a particular document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from wordfreq import zipf_frequency

from assistant.answer.answer_types import COUNT_WORDS, count_value, measured_noun, same_noun
from assistant.answer.glossary import dutch_terms, translate
from assistant.answer.question_kind import PLURAL_THEN_VERB, WHAT_PLURAL, Expect, Kind, kind_of
from opgavewijzer.text import Language, detect_language

_COMPARE = re.compile(
    r"\b(?:verschil(?:len|t)?|vergelijk\w*|overeenkomst\w*|verschillen|zowel .+ als|beide|allebei|tegenover|"
    r"compare\w*|comparison|difference\w*|differ|both|versus|vs\.?)\b", re.I)
# "Wat zeggen de bronnen over …?", "volgens de documenten": a question put to the sources together.
_ACROSS = re.compile(r"\b(?:de|alle|beide|the|all|both) (?:bronnen|documenten|stukken|sources|documents)\b", re.I)
_ABOUT_AUTHORS = re.compile(
    r"\b(?:auteurs?|schrijver|schrijvers|geschreven|opgesteld door|uitgegeven|uitgever|wie (?:heeft|hebben) .* "
    r"(?:geschreven|gemaakt|opgesteld)|colofon|authors?|written by|publisher|wat is de (?:nsob|vpng)|"
    r"wie is|wie zijn|what is the (?:nsob|vpng)|e-?mailadres|mailadres|contact\w*|aanmelden|aandragen|website|"
    r"e-?mail address|contact)\b", re.I)
# "welke vijf bouwstenen", "de zeven hefbomen", "welke opgaven … als die drie 'echte' opgaven": a count before
# the counted noun; not "(welke) van de vijf …".
_NUMBER = "|".join(COUNT_WORDS) + r"|\d{1,2}"  # a range counts by its first: "drie à vier"
_COUNT = re.compile(rf"(?<!\bvan )(?<!\bof )\b(?:welke|de|die|deze|which|the|those|these|noem|name)\s+({_NUMBER})"
                    rf"(?:\s*(?:à|a|-|–|tot|of|to|or)\s*(?:{_NUMBER}))?\s+(?:['‘][^'’]{{1,30}}['’]\s+)?(?:[^\W\d][\w-]*e\s+)?['‘]?([^\W\d][\w-]*)", re.IGNORECASE)
# What "welke …" asks for, when it is not a count ("welke drie …") or a frame ("welke van de …").
_ASKED_THING = re.compile(rf"\b(?:welke|welk|which|what)\s+(?!(?:{_NUMBER}|zijn|is|was|waren|are|were|do|does|did|van|of|"
                          rf"de|het|the)\b)([^\W\d][\w'’-]*)", re.IGNORECASE)
_ASKS_NAME = re.compile(
    r"\b(?:wie (?:is|was|zijn|waren)\b.{0,40}?\bde (?:voorzitter|directeur|gedeputeerde|wethouder|opgavehouder|minister|"
    r"burgemeester|secretaris|projectleider|opgavemanager|programmamanager|opdrachtgever|spreker|auteur)|naam van de|"
    r"wie (?:is|was|zijn|waren)\b.{0,40}?\bde (?:\w+ )?(?:directeur|voorzitter|secretaris)|wie (?:is|was) (?:\w+ )?minister|"
    r"welke (?:persoon|gedeputeerde|wethouder|minister|directeur|burgemeester|voorzitter)|hoe (?:heet|heten|heette)|"
    # "Wie heeft de motie ingediend (en wanneer)?": who did a deed asks for the doer's name (who wrote a document
    # is asked of its makers, see _ABOUT_AUTHORS).
    r"wie (?:heeft|hebben)\b.{0,80}?\b(?!geschreven|gemaakt|opgesteld)(?:\w+)?ge\w{3,}(?:d|t|en)(?=\?|$|,|\s+en\b)|"
    r"who (?:is|was) the (?:chair|director|minister|mayor|alderman|speaker|author))\b", re.IGNORECASE)
# "Welke KPI's …", "met welke partners …", "which ministries …": a question asking for the things themselves.
_INSTANCES = re.compile(
    r"^(?:(?:met|in|aan|bij|uit|van|voor|naar|tussen|over|with|in|at|from|for)\s+)?(?:welke|which|what(?=\s+"
    + PLURAL_THEN_VERB + r"))\s+"
    r"(?:(?:andere|concrete|belangrijkste|echte|other|main)\s+)?(?:'|‘)?([^\W\d_][\w'’-]*)", re.IGNORECASE)
_QUOTE = re.compile(r"(?:^|(?<=[\s(]))['‘\"“]([^'’\"”]{2,60})['’\"”](?=[\s,.?!:;)]|$)")
_WORD = re.compile(r"[^\W\d_][\w'’-]*|\d+", re.UNICODE)
# Words that frame a question but say nothing about its subject, in both languages.
FRAME_WORDS = frozenset((
    "wat wie welke welk hoe waarom wanneer waar hoeveel zegt zeggen zegt noemt noemen beschrijft beschrijven "
    "vindt vinden staat staan volgens eigenlijk precies graag is zijn was waren wordt worden de het een en of "
    "in op van voor met over bij naar als dan dat die dit deze er om te aan uit door ook nog wel niet geen "
    "kan kun kunt moet moeten mag je jij u ik we wij ons onze mijn hun hen men zij ze hij doen doet gaat gaan "
    "heb hebt had hadden wil wilt willen zou zouden nodig eigen zelf soms vaak iets echt goed zinvol "
    "heeft hebben hoe noem geef leg uit kort samengevat bedoeld verstaan betekent betekenen houdt belangrijk "
    "the a an of to in on for with about what which who whom how why when where does do did is are was were "
    "say says said according mean means describe describes tell me please explain and or this that these those "
    "there their its it be been by from as at can could should would documents document sources source text important "
    # chatty words that carry no topic ("Zowel …", "wat komt daar samen uit?", "even checken", "nou precies")
    "zowel nou even daar daarover hierover iets komt eens trouwens gewoon nogal toch"
).split())
# What a question calls a document it names ("die provinciale bijlage bij motie 50", "het verslag van …"): once
# the document is found, the word says where to look, not what about. Not kb.query's kind words for vague
# mentions: "uit welke bron …?" and "wat zegt de evaluatie over …?" ask about a source or an evaluation.
DOCUMENT_WORDS = frozenset("stuk bijlage verslag rapport gids inspiratiegids essay notitie brief statenbrief "
                           "publicatie report guide annex paper note".split())


# Below this Zipf frequency in English, a word the sources use is taken as Dutch ("sturing", "opgave");
# "model" or "project" are English too and come from the glossary. Chosen by reading the dev questions' words.
ENGLISH_ZIPF = 3.0
# A compound this long is split into a known last part of at least MIN_HEAD letters after a first part of
# at least MIN_MODIFIER ("sturings|driehoek", "regeerakkoord|afspraken"); shorter parts are too often chance.
MIN_COMPOUND, MIN_MODIFIER, MIN_HEAD = 9, 4, 5
MIN_SUBJECT = 3  # letters of a name the question gives; shorter capitals are initials or noise
# Answer types that are one checkable fact: the gap check looks for them in the evidence.
SPECIFIC = frozenset({"number", "amount", "percentage", "date", "time", "duration", "frequency", "person", "name",
                      "title", "outcome", "method", "article", "criteria", "organisation", "place", "url"})


@dataclass(frozen=True)
class QuestionPlan:
    """A question analysed: the typed record every answering stage reads."""

    question: str  # standalone, typos repaired; what is searched
    lang: Language
    kind: Kind
    expects: Expect
    focus: tuple[str, ...]  # the content words: what is asked about (document names taken out)
    doc_ids: tuple[str, ...] = ()  # documents the question names (empty: all)
    compare: bool = False  # asks about two or more documents side by side
    about_authors: bool = False  # asks who made a document or what an organisation is
    count: int = 0  # how many things a list question asks for ("welke vijf bouwstenen": 5); 0 if it does not say
    count_words: str = ""  # the count as asked ("vijf")
    counted: str = ""  # what is counted ("bouwstenen")
    search_text: str = ""  # what is searched: the question, for English with its Dutch domain terms added
    asks_name: bool = False  # asks for a particular person's name, not for a role ("wie was de opgavehouder?")
    measured: str = ""  # what a number question counts ("hoeveel opgaven": "opgaven"); "" if it does not say
    quoted: tuple[str, ...] = ()  # focus words the question puts in quotes ("wat is 'lean-sturing'?"): its own term
    instances: str = ""  # the plural noun whose instances are asked for ("welke KPI's": "KPI's"); "" if none
    # The sources' words for an English question's terms (glossary, quoted Dutch terms, look-alikes); none at all
    # means the question is about nothing the sources discuss.
    source_terms: tuple[str, ...] = ()
    across: bool = False  # asks what "the sources" say: more than one document is heard when another is relevant
    subjects: tuple[str, ...] = ()  # focus words the sources write as names ("Rotterdam"): what an asked fact is about
    unnamed: str = ""  # the question with the names of documents replaced by "het document" (the form, not the source)

    @property
    def specific(self) -> bool:
        """True if the question asks for one checkable fact: a number, amount, date, name, place or the like."""
        return self.expects in SPECIFIC

    @property
    def also(self) -> str:
        """The type of a second fact a two-part question asks ("wie heeft … uitgevoerd, en wanneer was dat?":
        "date"), when it differs from the first's; "" otherwise."""
        second = _SECOND_PART.search(self.question)
        also = kind_of(second.group(1) + "?")[1] if second else ""
        return also if also in SPECIFIC and also != self.expects else ""


def analyse(question: str, named: tuple[str, ...], search_text: str,
            known: Callable[[str], bool] | None = None,
            cognates: Callable[[str], list[str]] | None = None,
            proper: Callable[[str], bool] | None = None, by_topic: tuple[str, ...] = ()) -> QuestionPlan:
    """Analyse a standalone question.

    ``named`` are the documents the question names (found by the knowledge base from the aliases in
    sources.json) and ``search_text`` is the question with those mentions taken out: its content words are the
    focus. ``known`` says whether the sources use a word; an English question keeps the Dutch terms and names it
    quotes ("lean-sturing", "Opgavebeweging"); ``cognates`` gives the sources' look-alikes of words the glossary
    lacks ("metaphors" → "metafoor"); ``proper`` says whether the sources write a word as a name; ``by_topic``
    are the documents of ``named`` found by a topic word rather than a name.
    """
    lang = detect_language(question)
    kind, expects = kind_of(question)
    # Two named documents make a comparison; one found by a topic word ("concernbrede opgaven") is only searched.
    compared = [d for d in named if d not in by_topic]
    compare = len(compared) >= 2 or (bool(_COMPARE.search(question)) and len(named) != 1)
    if compare and kind in ("other", "fact", "list", "definition"):
        kind = "comparison"
    # Quote marks around a term ("'lean-sturing'") are not part of it; the apostrophe in "KPI's" is.
    frame = FRAME_WORDS | DOCUMENT_WORDS if named else FRAME_WORDS
    focus = tuple(w.strip("'’‘") for w in _WORD.findall(search_text) if w.lower() not in frame and len(w) > 1)
    # Names the question gives say what an asked-for fact must be about ("de gemeente Rotterdam").
    # "bij JenV", "in Utrecht": a bare name after a preposition of place is the setting, not what is counted; in
    # a name of several capitalised words ("Samen Sterk in Sloterveen") it is part of the name.
    subjects = tuple(w for w in focus if proper is not None and len(w) >= MIN_SUBJECT and proper(w)
                     and not _setting(w, search_text)) if lang == "nl" else ()
    translated: tuple[str, ...] = ()
    if lang == "en":
        # The sources are Dutch: the question's domain terms in their words carry the lexical signals.
        terms, rest = translate(search_text)
        translated = tuple(terms)
        quoted = tuple(w for w in focus if known is not None and _quoted_dutch(w, known) and w not in translated)
        alike = tuple(dict.fromkeys(d for w in rest if w.lower() not in FRAME_WORDS
                                    for d in (cognates(w) if cognates is not None else ()) if d not in translated))
        translated = tuple({w.lower(): w for w in reversed((*translated, *quoted, *alike))}.values())[::-1]
        focus = translated or focus
    if lang == "nl" and known is not None:
        # "sturingsdriehoek" is also about the "driehoek" a source may name without the first part.
        heads = tuple(h for h in dict.fromkeys(_compound_head(w, known) for w in focus) if h and h not in focus)
        focus = (*focus, *heads)
        translated = heads  # searched too: BM25 matches whole words
    quoted = _quoted(search_text, focus, lang)
    count = _COUNT.search(question)
    thing = _ASKED_THING.search(question)
    if count and thing and thing.start() < count.start() and not same_noun(thing.group(1).lower(), count.group(2).lower()):
        count = None  # "Welke beeldspraak … voor de drie bollen?" asks no list of three
    n = count_value(count.group(1)) if count else 0
    # "What recommendations came out …?" asks for the things as "which" does, when the sources have a word for them.
    what_things = lang == "en" and kind == "other" and bool(re.match(WHAT_PLURAL, question.strip(), re.I))
    instances = _instances(question, lang, cognates) if (kind in ("list", "fact") or what_things) and not n else ""
    kind = "list" if what_things and instances else kind
    return QuestionPlan(question=question, lang=lang, kind=kind, expects=expects, focus=focus, doc_ids=named,
                        compare=compare, about_authors=bool(_ABOUT_AUTHORS.search(question)), count=n,
                        count_words=count.group(1) if count else "", counted=count.group(2) if count else "",
                        search_text=f"{question} {' '.join(translated)}".strip(), asks_name=bool(_ASKS_NAME.search(question)),
                        measured=measured_noun(question, lang) if expects == "number" else "",
                        quoted=quoted, instances=instances, unnamed=_unnamed(search_text, lang),
                        subjects=subjects, source_terms=translated if lang == "en" else (),
                        across=not named and bool(_ACROSS.search(question)))


# "…, en wanneer was dat?", "… and how many …?": a second part that asks a fact of its own.
_SECOND_PART = re.compile(r",?\s+(?:en|and)\s+((?:wanneer|hoeveel|wie|waar|in welk jaar|when|how many|how much|who|"
                          r"where)\b[^?]*)\??\s*$", re.IGNORECASE)


def _unnamed(search_text: str, lang: Language) -> str:
    """``search_text`` (names taken out, marked by a NUL) with "het document" where a name stood."""
    text = re.sub(r"(?:\s*\x00\s*)+", " the document " if lang == "en" else " het document ", search_text)
    return " ".join(text.split())


def second_fact(plan: QuestionPlan) -> QuestionPlan | None:
    """The plan of a two-part question's second fact ("…, en wanneer was dat?"), for the gap check."""
    also = plan.also
    second = _SECOND_PART.search(plan.question) if also else None
    if second is None:
        return None
    part = second.group(1)
    # The second fact's plan asks no further fact: its own "also" is its expects, so "".
    return replace(plan, expects=also, asks_name=bool(_ASKS_NAME.search(part)),  # type: ignore[arg-type]
                   measured=measured_noun(part, plan.lang) if also == "number" else "")


def _setting(name: str, text: str) -> bool:
    """True if the name follows a preposition of place that follows a lowercase word or an acronym or opens the
    text ("bij de gemeente in Utrecht", "In Utrecht …"), not a capitalised word of the same name ("Samen Sterk in
    Sloterveen")."""
    before = r"(?:^|[.?!,]\s+|\b(?:[a-zà-ÿ][\w'’-]*|[A-Z]{2,}\w*)\s+)"  # a lowercase word or an acronym ("NSOB bij JenV")
    return bool(re.search(rf"{before}(?:[Ii]n|[Bb]ij|[Bb]innen|[Tt]e)\s+{re.escape(name)}\b", text))


def _quoted(search_text: str, focus: tuple[str, ...], lang: Language) -> tuple[str, ...]:
    """The focus words inside quotes: the question's own term for what it asks about."""
    inside = " ".join(m.group(1) for m in _QUOTE.finditer(search_text))
    if not inside:
        return ()
    words = {w.lower() for w in _WORD.findall(inside)} | {w.lower() for w in (dutch_terms(inside) if lang == "en" else ())}
    return tuple(w for w in focus if w.lower() in words)


def _compound_head(word: str, known: Callable[[str], bool]) -> str:
    """The longest known last part of a Dutch compound ("sturingsdriehoek" → "driehoek"), or ""."""
    if len(word) < MIN_COMPOUND or not word.isalpha() or not word.islower():
        return ""
    for start in range(MIN_MODIFIER, len(word) - MIN_HEAD + 1):
        if known(word[start:]):
            return word[start:]
    return ""


def _quoted_dutch(word: str, known: Callable[[str], bool]) -> bool:
    """True if a word of an English question is one of the sources' own (a Dutch term or a name), not English."""
    return len(word) > 3 and known(word) and (
        word[:1].isupper() or zipf_frequency(word, "en") < ENGLISH_ZIPF or "-" in word)


def _instances(question: str, lang: Language = "nl", cognates: Callable[[str], list[str]] | None = None) -> str:
    """The plural noun a "welke …" question asks to be named ("Welke ministeries …" → "ministeries").

    An English question's noun is checked in the sources' Dutch ("metaphors" → "metaforen"); a noun
    without a Dutch equivalent cannot be checked, so none is given.
    """
    noun = _asked_noun(question)
    if lang != "en" or not noun:
        return noun
    dutch = translate(noun)[0] or (cognates(noun) if cognates is not None else [])
    return dutch[0] if dutch else ""


def _asked_noun(question: str) -> str:
    """The plural noun after "welke" / "which" in ``question``, or ""."""
    match = _INSTANCES.search(question.strip())
    if match is None:
        return ""
    noun = match.group(1)
    # A plural: "-en", "-s", "-'s" (Dutch and English); "welke rol", "welke functie" ask for one thing.
    return noun if re.search(r"(?:[^e]en|[^s]s|['’]s)$", noun, re.IGNORECASE) and len(noun) > 3 else ""
