"""Answer types: whether a sentence holds what a question of a given type needs.

A "hoeveel" question needs a count (digits or a number word: "acht", "zeven",
"minstens vier"), "wanneer" a date (a header line such as "4 maart 2025 |
Provinciehuis" counts), "wie" a person's name, "waarom" a reason, "hoe" steps,
"wat is" a defining sentence. These are features of a sentence (see
:mod:`assistant.answer.features`) and the evidence the gap check looks for.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from assistant.answer.glossary import dutch_terms
from opgavewijzer.text import Language

_NUMBER_WORDS = (r"twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|vijftien|zestien|"
                 r"zeventien|achttien|negentien|twintig|dertig|veertig|vijftig|zestig|zeventig|tachtig|negentig|"
                 r"tweetal|drietal|viertal|vijftal|zestal|zevental|achttal|negental|tiental|twintigtal|honderdtal|"
                 r"honderd|duizend|miljoen|miljard|dozijn|tientallen|honderden|one|two|three|four|five|six|seven|"
                 r"eight|nine|ten|hundred|thousand|million|helft|kwart|derde|half|quarter|third")
COUNT_WORDS = ("twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien", "elf", "twaalf")


def count_value(token: str) -> int:
    """The number a count token stands for ("zes" → 6, "12" → 12); 0 for anything else."""
    word = token.lower()
    return int(word) if word.isdigit() else COUNT_WORDS.index(word) + 2 if word in COUNT_WORDS else 0


# Capitalised words that start organisations and places, not people ("Nederlandse Orde van Advocaten").
_NOT_A_NAME = frozenset(
    "Nederlandse Nederland Raad Orde Vereniging Ministerie Gemeente Provincie School Rijk Rijksoverheid Tweede Eerste "
    "Kamer Staten Provinciale Stichting Bureau Dienst Zuid Noord Oost West Holland Brabant Europese Unie De Het Een "
    "In Op Bij Voor Met Van Als Dit Deze Dat Die Er Ook Wij We Zij Ze Hij".split()
)
_CALENDAR = (r"\b(?:19|20)\d{2}\b|\b\d{1,2} (?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
             r"november|december)\b")
_TYPE_PATTERNS: dict[str, re.Pattern[str]] = {
    # A count: a number that is not a year, a date or a list label, or a number word.
    "number": re.compile(rf"(?<![\d./-])(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?(?![\d./-])(?!\s*(?:\)|\.\s))|\b(?:{_NUMBER_WORDS})\b", re.I),
    "percentage": re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|procent\b|percent\b)|\b(?:helft|kwart|derde|meerderheid|minderheid|"
                             r"de meeste|half|majority|minority)\b", re.I),
    "time": re.compile(r"\b\d{1,2}[:.]\d{2}\b|\b\d{1,2} uur\b|\b\d{1,2}\s*(?:am|pm)\b", re.I),
    # "Eens per zes weken", "om de twee jaar" say how often, not how long.
    "duration": re.compile(rf"(?<!per )(?<!elke )(?<!iedere )(?<!om de )\b(?:\d+|één|anderhalf|{'|'.join(COUNT_WORDS)}|vijftien|twintig|dertig)\s*(?:dagen|dag|weken|week|maanden|maand|jaar|jaren|"
                           r"uur|uren|minuten|days?|weeks?|months?|years?|hours?|minutes?)\b", re.I),
    "frequency": re.compile(rf"\b(?:\d+|een|één|{'|'.join(COUNT_WORDS)})\s*(?:keer|maal)\b|\b(?:jaarlijks|maandelijks|wekelijks|dagelijks|"
                            r"per (?:jaar|maand|week|kwartaal)|elk(?:e)? (?:jaar|maand|week|kwartaal)|ieder(?:e)? (?:jaar|maand|week))\b", re.I),
    "amount": re.compile(r"€|\beuro\b|\bmiljoen\b|\bmiljard\b|\bfte\b|\bbudget\w*\b.*\d|\d.*\bbudget", re.I),
    # A year, a day of a month, or a start counted back from now ("sinds bijna twee jaar"); "jaren geleden"
    # alone dated nothing asked on the dev and holdout questions.
    "date": re.compile(rf"{_CALENDAR}|\bsinds (?:bijna |ruim |ongeveer |meer dan |zo'n )?(?:\d+|een|twee|drie|vier|"
                       r"vijf|zes|tien) (?:jaar|jaren|maanden|weken)\b", re.I),
    # Only a year or a day: "in welk jaar is X uitgevoerd?" is not answered by "sinds bijna twee jaar".
    "calendar_date": re.compile(_CALENDAR, re.I),
    "year": re.compile(r"\b(?:19|20)\d{2}\b"),
    "url": re.compile(r"https?://\S+|\bwww\.\S+|\b[\w-]+\.(?:nl|com|org|eu|net)(?:/\S*)?\b|\b[\w.-]+@[\w-]+\.\w+", re.I),
    "person": re.compile(r"\b(?:prof|dr|drs|mr|ir)\.\s*[A-Z]", re.UNICODE),
    # An acronym, "gemeente Rotterdam", or a capitalised name in mid-sentence ("… Groningen en Drenthe").
    "organisation": re.compile(r"\b[A-Z]{2,}\b|\b(?:gemeente|provincie|ministerie|rijksoverheid|waterschap)\s+[A-Z]\w+|"
                               r"(?<=[a-z,] )[A-Z][a-z]{3,}", re.UNICODE),
    "place": re.compile(r"\b(?:in|te|bij|naar) [A-Z][a-z]+", re.UNICODE),
    # A job title beside a person's name, which the check reads masked as "x" (see without_given): "x x
    # (ambtelijk opdrachtgever)", "x, directeur van …", "x is adviseur", "wethouder x", "x x Directeur VPNG".
    "title": re.compile(r"\bx\s*\((?:de |een )?[a-z]|\bx,\s+(?:de |een )?[a-z]|\bx (?:is|was|werkt als|werkte als|is sinds)\b|"
                        r"\b[\w-]*(?:eur|ent|ant|ist|ier|aris|oog|leider|houder|gever|manager|wethouder|gedeputeerde|"
                        r"voorzitter|adviseur|directeur|burgemeester|minister|secretaris) (?:x )*x\b|\bx [A-Z][a-z]*"
                        r"(?:directeur|voorzitter|adviseur|manager|leider|hoogleraar|onderzoeker)\b"),
    # What came of something: a result reported, not a plan ("Na de zomer gaan we …" reports none).
    "outcome": re.compile(r"\b(?:leverde|levert|leverden|opgeleverd|resulteerde|resulteert|leidde|leidt|leidden|"
                          r"geleid|bleek|bleken|gebleken|kwam(?:en)? (?:er )?uit|met als (?:resultaat|gevolg)|"
                          r"het resultaat|de uitkomst|zorgde|zorgden|heeft gezorgd|resulted|led to|showed|turned out)\b",
                          re.I),
    # What a thing is called: a name in mid-sentence, a term in quotes, or a naming verb ("dit noemen we …").
    "name": re.compile(r"(?<=[\w,] )[A-Z][\w'’-]+|['‘“\"][^'’”\"]{2,60}['’”\"]|\b(?:noemen we|noemen wij|heet|heten|"
                       r"genoemd|staat bekend als|is called|are called|named)\b", re.UNICODE),
    # "Welk artikel van de Omgevingswet …?": an article number.
    "article": re.compile(r"\b(?:artikel|art\.|article|section)\s*\d+|§\s*\d+", re.I),
    # "Op grond van welke criteria …?": criteria, conditions or requirements, in so many words.
    "criteria": re.compile(r"\b(?:criteri\w*|voorwaarde\w*|eisen|eis|voldoen|voldoet|requirements?|conditions?)\b", re.I),
    # How a figure was measured or a choice made: a method, a source of data, a procedure.
    "method": re.compile(r"\b(?:op basis van|aan de hand van|met behulp van|door middel van|gemeten|meet|meten|"
                         r"berekend|berekening|bepaald|vastgesteld|methode\w*|meetmethode\w*|enquête\w*|vragenlijst\w*|"
                         r"survey|steekproef|telling|formule|uitgenodigd|geselecteerd|gekozen|op grond van|measured|"
                         r"calculated|based on|questionnaire)\b", re.I),
    "reason": re.compile(r"\b(?:omdat|doordat|want|daardoor|daarom|reden|redenen|zodat|vanwege|leidt tot|"
                         r"leiden tot|noodzakelijk|nodig|because|oorzaak|waardoor|hangt samen met|hangen samen met|"
                         r"komt door|kwam door|kwam vooral door|te danken aan|te wijten aan|als gevolg van|het gevolg van|"
                         r"ontstond (?:vooral )?doordat|due to|caused by)\b", re.I),
    "steps": re.compile(r"^(?:\d{1,2}[.)]|[-–•])|\b(?:door (?:te|de|het|een)|eerst|vervolgens|daarna|stap|stappen|"
                        r"begin|zorg|maak|organiseer|betrek|kies|werk|start|moet|kunnen|helpt|aanpak)\b", re.I),
    "definition": re.compile(r"\b(?:is een|zijn de|is het|is de|houdt in|verstaan we|verstaan wij|wordt bedoeld|"
                             r"betekent|noemen we|definitie|definiëren|gaat het om)\b", re.I),
    "list": re.compile(r":$|^(?:\d{1,2}[.)]|[-–•])|\b(?:ten eerste|ten tweede|daarnaast|tot slot)\b", re.I),
}


MAX_FIRST_NAME = 10  # letters; longer capitalised words before a surname are names of things
_PERSON = re.compile(r"\b([A-Z][a-zéëï]+)((?: (?:van|de|der|den|ter|ten|het))*) ([A-Z][a-zéëï]+)\b")


def has_type(text: str, expects: str, proper: frozenset[str] | None = None) -> bool:
    """True if ``text`` holds what an answer of type ``expects`` needs (a number, a date, a name …); ``proper``
    are the words the sources write as names, when known."""
    if expects == "person" and _has_person(text, proper):
        return True
    pattern = _TYPE_PATTERNS.get(expects)
    return bool(pattern.search(text)) if pattern is not None else False


def _has_person(text: str, proper: frozenset[str] | None = None) -> bool:
    """A first name and a surname ("Jos van der Ploeg"), not an organisation ("Nederlandse Orde") or a sentence start."""
    for m in _PERSON.finditer(text):
        first, last = m.group(1), m.group(3)
        # A first name is short: "Energieneutraal Wendelsloot" is the name of an opgave, not of a person. Nor is
        # it a word the sources write in lowercase: "Samen Sterk in Sloterveen" is an opgave too.
        if m.start() == 0 or first in _NOT_A_NAME or last in _NOT_A_NAME or len(first) > MAX_FIRST_NAME or (
                proper is not None and first.lower() not in proper):
            continue
        return True
    return False


_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def years(text: str) -> frozenset[str]:
    """The years a text names ("in 2027" → {"2027"}): the period a figure must be about."""
    return frozenset(_YEAR.findall(text))


# A count of people may be phrased with any of these: "hoeveel mensen" is answered by "acht medewerkers".
PEOPLE = frozenset(
    "mensen personen medewerkers deelnemers ambtenaren collega's collega’s bezoekers respondenten geïnterviewden "
    "people persons employees staff participants servants officials attendees".split())
TIE_WORDS = 3  # a number counts the asked-for noun when the noun follows within this many words ("180 gemeenten")
MIN_STEM = 5  # letters two forms of a noun share at the end ("overheidsorganisaties", "organisaties")
_TOKEN = re.compile(r"[^\W_][\w'’.-]*", re.UNICODE)
_AND = frozenset({"en", "of", "and", "or"})


def mentions(text: str, noun: str) -> bool:
    """True if ``text`` uses ``noun`` or a compound ending in it."""
    return any(same_noun(t.lower().rstrip(".,"), noun.lower()) for t in _TOKEN.findall(text))


# What an announcing sentence lists: "… rond de volgende opgaven:" lists opgaven (not the "zes tafels" before it);
# "de volgende vier aanbevelingen …:" lists aanbevelingen, whatever else the sentence mentions.
_LISTED = re.compile(rf"\b(?:volgende|following)\s+(?:(?:{'|'.join(COUNT_WORDS)}|\d{{1,2}})\s+)?"
                     r"(?:[^\W\d_]+e\s+)?([^\W\d_][\w'’-]*)", re.IGNORECASE)


def lists(text: str, noun: str) -> bool:
    """True if an announcing sentence lists ``noun``: the noun after "volgende" when it has one, else any use."""
    listed = _LISTED.search(text)
    return mentions(listed.group(1), noun) if listed else mentions(text, noun)


def names(text: str, subject: str) -> bool:
    """True if ``text`` names the subject, also by the place an adjective comes from ("Rotterdamse" → Rotterdam)."""
    stems = [subject] + [subject[:-len(end)] for end in ("se", "e") if subject.endswith(end) and len(subject) - len(end) >= 3]
    return any(mentions(text, stem) for stem in stems)


def counts(text: str, measured: str) -> bool:
    """True if ``text`` puts a number right before the counted noun ("ruim 180 gemeenten", "acht medewerkers")."""
    wanted = [w.lower() for w in measured.split()]
    people = any(w in PEOPLE for w in wanted)
    # A colon or semicolon ends what a number counts: "vier bronnen gebruikt: gesprekken, …" counts no gesprekken.
    return any(_counts_in(clause, wanted, people) for clause in re.split(r"[:;]", text))


def _counts_in(text: str, wanted: list[str], people: bool) -> bool:
    """:func:`counts` within one clause."""
    tokens = [t.lower().rstrip(".,") for t in _TOKEN.findall(text)]
    for i, token in enumerate(tokens):
        if not has_type(token, "number"):
            continue
        # Elided parts of a coordination do not count as words in between ("8.200 project-, programma- en
        # procesmanagers").
        following = [t for t in tokens[i + 1:i + 1 + 2 * TIE_WORDS] if not t.endswith("-") and t not in _AND]
        for after in following[:TIE_WORDS]:
            if (people and after in PEOPLE) or any(same_noun(after, w) for w in wanted):
                return True
        # "Hoeveel interviews …?" is answered by "acht medewerkers zijn geïnterviewd": the verb made of the noun.
        if any(_participle_of(after, w) for after in following[:TIE_WORDS + 1] for w in wanted):
            return True
    return False


def _participle_of(word: str, noun: str) -> bool:
    """True if ``word`` is the past participle of the verb made of ``noun`` ("geïnterviewd" of "interviews")."""
    folded = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
    return folded.startswith("ge") and any(
        len(stem) >= MIN_STEM and folded[2:] in (stem + "d", stem + "t", stem + "de", stem + "te") for stem in _singulars(noun))


def same_noun(word: str, wanted: str) -> bool:
    """The same noun in either plural ("fasen" / "fases"), or a compound ending in it ("overheidsorganisaties" /
    "organisaties")."""
    if word == wanted:
        return True
    for one in _singulars(word):
        for other in _singulars(wanted):
            shorter, longer = sorted((one, other), key=len)
            if one == other or (len(shorter) >= MIN_STEM and longer.endswith(shorter)):
                return True
    return False


def _singulars(noun: str) -> set[str]:
    """The noun and what it may be the plural of: "fasen" → fase, "fases" → fase, "KPI's" → KPI."""
    out = {noun}
    for ending, cut in (("'s", 2), ("’s", 2), ("s", 1), ("en", 1), ("en", 2)):
        if noun.endswith(ending) and len(noun) - cut >= 3:
            out.add(noun[:-cut])
    # An open syllable drops a vowel in the plural: "metaforen" → metafoor, "bouwstenen" → bouwsteen.
    stem = noun[:-2] if noun.endswith("en") else ""
    if len(stem) >= 3 and _OPEN_SYLLABLE.search(stem):
        out.add(stem[:-1] + stem[-2] + stem[-1])
    return out


_OPEN_SYLLABLE = re.compile(r"(?:^|[^aeiou])[aeiou][^aeiouwjy]$")
# What a question gives: names and numbers. Not number words: "de vijf bouwstenen" in a question does not make
# "minstens vijf parafen" in the answer a given number (a strict reader found that false gap).
_GIVEN = re.compile(r"(?<!^)(?<![.?!] )\b[A-Z][\w'’-]+|[\w.,-]*\d[\w.,-]*", re.UNICODE)


def without_given(text: str, question: str) -> str:
    """``text`` without the names and numbers the question itself gives.

    What a question states is not its answer: "Wie is de opgavemanager van Samen Sterk in Sloterveen?"
    is not answered by a sentence whose only name is "Samen Sterk", nor "Hoeveel van de 8.200 leden …?"
    by the 8.200.
    """
    given = _given_pattern(question)
    return given.sub("x", text) if given is not None else text


# A share by which something grew or fell ("groeide … met ruim een derde") is a change, not a share of the whole:
# it answers "met hoeveel procent steeg …?", not "welk percentage werd besteed?".
_CHANGE_VERB = re.compile(r"\b(?:groei\w*|gegroeid|steeg|stegen|stijg\w*|gestegen|daal\w*|gedaald|toegenomen|afgenomen|"
                          r"nam(?:en)?\b.*\b(?:toe|af)|verhoogd|verlaagd|grew|grown|increased|decreased|rose|fell)\b", re.I)
_BY_SHARE = re.compile(r"\b(?:met|by) (?:ruim |bijna |zo'n |circa |ongeveer |meer dan |minder dan |over |almost |about )?"
                       r"(?:een derde|de helft|een kwart|driekwart|a third|half|a quarter|\d+(?:[.,]\d+)?\s*(?:%|procent|percent))",
                       re.I)


def without_changes(text: str, question: str) -> str:
    """``text`` without the shares by which something changed, unless the question asks for a change."""
    if _CHANGE_VERB.search(question) or not _CHANGE_VERB.search(text):
        return text
    return _BY_SHARE.sub("", text)


@lru_cache(maxsize=256)
def _given_pattern(question: str) -> re.Pattern[str] | None:
    """The names and numbers of a question as one pattern (longest first), or None; asked once per question."""
    given = sorted({g.strip(".,") for g in _GIVEN.findall(question) if len(g.strip(".,")) > 1}, key=len, reverse=True)
    if not given:
        return None
    return re.compile(r"(?<![\w.,])(?:" + "|".join(re.escape(g) for g in given) + r")(?!\w)")


_ELIDED_LAST = re.compile(r"(?:,?\s*[^\W\d_][\w]*-)*,?\s+(?:en|of|and|or)\s+([^\W\d_][\w'’-]*)", re.IGNORECASE)
# "Hoeveel (nieuwe) opgaven …", "how many civil servants …": what a number question counts.
_MEASURED = re.compile(
    r"\b(?:hoeveel|how many)\s+(?:(?:van|of)\s+(?:de|het|the)\s+)?(?:(?:minder|meer|nieuwe|extra|andere|verschillende|fewer|more|new|other|different)\s+)?"
    r"(?!(?:is|zijn|was|waren|heeft|hebben|wordt|worden|are|is|were|do|does|did|van|of)\b)([^\W\d_][\w'’-]*)", re.I)
_ADJECTIVE_HEAD = re.compile(r"\s+([^\W\d_][\w'’-]*(?:en|s|'s|’s))\b(?!\s+(?:er|ze|we|wij|jullie|zij)\b)", re.IGNORECASE)


def measured_noun(question: str, lang: Language) -> str:
    """The noun a "hoeveel"/"how many" question counts, in Dutch ("civil servants" → "ambtenaren medewerkers")."""
    match = _MEASURED.search(question)
    if match is None:
        return ""
    noun = match.group(1)
    # "hoeveel concernbrede opgaven" counts opgaven: the first word describes them.
    head = _ADJECTIVE_HEAD.match(question, match.end(1)) if lang == "nl" and noun.endswith("e") and len(noun) > 4 else None
    noun = head.group(1) if head is not None else noun
    if noun.endswith("-"):
        # "hoeveel project-, programma- en procesmanagers": the elided parts share the last word's noun.
        last = _ELIDED_LAST.match(question, match.end())
        noun = last.group(1) if last else noun
    if lang == "en":  # "how many civil servants", "of the building blocks": the glossary knows the pair
        pair = " ".join(question[match.start(1):].split()[:2]).strip("?.,")
        return " ".join(dutch_terms(pair) or dutch_terms(noun)) or noun
    return noun
