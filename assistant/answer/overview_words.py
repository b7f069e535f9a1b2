"""The words of overview requests: cues, document words, request words, section references, the asking part.

Everything here describes the *form* of a request ("vat … samen", "in een notendop", "which publications"),
never a particular document: what names a document comes from its guide and metadata. Each pattern feeds a
named feature of :mod:`assistant.answer.overview_intent`, whose weight is learned; none decides on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The cues, by name; each matches the form of a question, never a particular document.
CUES: dict[str, re.Pattern[str]] = {
    "about": re.compile(r"\bwaar\s+(?:gaat|gaan|ging|gingen)\b.*\bover\b|\bwaarover\s+(?:gaat|gaan)\b|"
                        r"\bwaar\s+(?:draait|draaien|handelt)\b|\bwaar\s+komt\b.*\bop\s+neer\b|"
                        r"\bwat\s+(?:kwam|komt)\s+(?:er\s+)?uit\b|\bwat\s+kwam\b.*\beruit\b|\bwhat\s+came\s+out\s+of\b|"
                        r"\bwat\s+(?:staat|stond)\s+er\s+(?:globaal\s+|ongeveer\s+|eigenlijk\s+)*in\b|"
                        r"\bwat\s+(?:heeft|hebben|leverde|leverden)\b.*\b(?:opgeleverd|op)\s*[?.!]?\s*$|"
                        r"\bwhat(?:'s|\s+is|\s+are|\s+was)\b.*\babout\b|\bwhat\s+does\b.*\b(?:cover|deal with)\b|"
                        r"\bwhat\s+did\s+i\s+miss\b|\bboil\s+down\s+to\b|\bbeschrijving\s+van\b|"
                        r"\bwil\b.*\b(?:vertellen|zeggen)\s*[?.!]*\s*$|\bwhat\s+does\b.*\bsay\s*[?.!]*\s*$", re.I),
    "summarise": re.compile(r"\b(?:vat|vatten)\b.*\bsamen\b|\bsamen(?:\s+te\s+)?vatt?en\b|\bsamenvatt?ing\b|\bsamengevat\b|"
                            r"\bsummar(?:ise|ize|y)\b|\bsum\s+(?:it\s+)?up\b|"
                            r"\bin\s+(?:het\s+)?kort\b|\bin\s+grote\s+lijnen\b|\bin\s+(?:een|a)\s+(?:notendop|nutshell)\b|"
                            r"\boverview\s+of\b|\boverzicht(?:je)?\s+van\b|\bbig\s+picture\b|\bglobaal\b|\bbeknopt(?:e)?\b|"
                            r"\btl;?\s*dr\b|\bin\s+(?:een\s+paar|enkele|twee|drie|vier|vijf|a\s+few|three)\s+(?:zinnen|sentences|lines|regels)\b|"
                            r"\bbullet(?:s|\s+points)?\b|\bhoofdlijnen\b|\bop\s+een\s+rij\b", re.I),
    "core": re.compile(r"\b(?:de\s+)?kern(?:boodschap)?\s+van\b|\bkernboodschap(?:pen)?\b|\bthe\s+gist\b|"
                       r"\b(?:de\s+)?(?:strekking|essentie|boodschap|opbrengst|uitkomst(?:en)?)\s+van\b|\bhighlights\b|"
                       r"\b(?:main|central|core)\s+(?:message|idea|argument)\b|\btake\s+away\b", re.I),
    "main_points": re.compile(
        r"\b(?:belangrijkste|voornaamste|centrale)\s+(?:punten|conclusies?|aanbevelingen|lessen|inzichten|bevindingen|"
        r"boodschap(?:pen)?|uitkomsten|adviezen)\b|\b(?:hoofdpunten|hoofdconclusies?|kernpunten|hoofdzaken)\b|"
        r"\b(?:key|main)\s+(?:points?|takeaways?|conclusions?|recommendations?|findings?|messages?|lessons?)\b|"
        # "de conclusie van …", "welke lessen trekt …", "what does the report conclude?"
        r"\b(?:conclusies?|lessen|bevindingen|aanbevelingen|inzichten)\s+(?:van|uit|in)\b|"
        r"\bwelke\s+(?:lessen|conclusies|aanbevelingen|bevindingen|inzichten)\b|"
        r"\bwhat\s+(?:lessons|conclusions|findings|recommendations)\b|"
        r"\bwhat\s+does\b.*\b(?:argue|conclude|recommend|find)\s*[?.!]*\s*$", re.I),
    "must_know": re.compile(r"\bwat\s+moet\s+(?:ik|je|we)\s+(?:weten|onthouden)\s+(?:van|over|uit)\b|"
                            r"\bwhat\s+(?:should|do)\s+(?:i|we)\s+(?:need\s+to\s+)?know\s+about\b", re.I),
}
_COLLECTION = (r"(?:documenten|docs?|bronnen|stukken|publicaties|teksten|rapporten|documents|sources|publications|"
               r"papers|texts|reports|materials?)")
# "Welke documenten heb je?", "what documents do you have?", "waar is deze assistent op gebaseerd?".
WHICH_DOCUMENTS = re.compile(
    rf"\b(?:welke|wat\s+voor|what|which)\s+(?:\w+\s+)?{_COLLECTION}\b|\bwat\s+(?:zijn|zitten)\b.*\b(?:documenten|bronnen)\b|"
    r"\b(?:gebaseerd\s+op|based\s+on|draw\s+on|put\s+je\s+uit|haal\s+je\b.*\bvandaan)\b", re.I)
# "De bronnen", "the documents", "alle docs": the question is put to all of them.
ALL_DOCUMENTS = re.compile(rf"\b(?:de|alle|jouw|je|uw|die|deze|the|all|your|these|each\s+of\s+the)\s+{_COLLECTION}\b|"
                           r"\b(?:per|elk|ieder|each|every)\s+(?:document|bron|stuk|source|publication|publicatie)\b|"
                           r"\b(?:elk|ieder|each)\s+(?:ervan|daarvan|of\s+them)\b", re.I)
# Words that name a document by its kind, beyond the answer engine's DOCUMENT_WORDS (stuk, rapport, gids, …):
# how people refer to a publication ("de studie", "that piece", "the write-up"), not a topic in it.
KIND_WORDS = frozenset("""document doc docs stukje studie piece write-up writeup review terugblik tussenbalans
evaluatie rapportage handreiking memo study publication""".split())
# Words that belong to the request itself, not to a topic ("punten", "conclusies", "kort"), or to how people
# put it politely or briefly ("graag", "aub", "even"): they name nothing the documents could be searched for.
REQUEST_WORDS = frozenset("""samen samenvatten samenvatting samengevat samenvating vat kort korte kern kernboodschap
belangrijkste voornaamste centrale punten punt conclusies conclusie aanbevelingen lessen inzichten bevindingen boodschap
boodschappen uitkomsten adviezen hoofdpunten hoofdconclusie hoofdconclusies kernpunten hoofdzaken zaken weten onthouden
grote lijnen lijn paar enkele over gaat gaan ging eigenlijk staat staan stond beschik heb hebt welke documenten bronnen
stukken publicaties what about summarise summarize summary sum main key points point takeaways takeaway take away
conclusions recommendations findings messages message lessons gist overview nutshell notendop know need should give
cover deal short briefly brief quick documents document sources have available memo you your there use gebruik
gebruikt kent ken zitten zijn vatten vatte draait draaien handelt komt kwam neer eruit uit came out tl dr zinnen zin
sentences lines regels few bullet bullets hoofdlijnen strekking essentie highlights opbrengst uitkomst globaal
beknopt beknopte uitleg overzicht overzichtje big picture boil down miss missed zet rij geef graag aub even please
keep opgeleverd leverde leverden opleverde typering""".split())
# "… over de sturingsdriehoek", "… says about leadership": what a preposition of subject introduces, unless it
# is the document itself ("het essay over de vijf bouwstenen") or the end of "waar gaat het over?".
TOPIC_LINK = re.compile(r"\b(?:over|omtrent|aangaande|betreffende|about|on|regarding|concerning)\s+((?:[^\W\d_][\w'’-]*\s*){1,4})",
                        re.IGNORECASE)
LINK_STOP = frozenset("""de het een dat die dit deze wat hoe je jouw uw ons mijn the a an this that these those what how
your my our its it in en and of van voor for to naar met with bij at op""".split())
# The words that name a part of a document; in a question about one part they name no topic.
PART_WORDS = frozenset("""hoofdstuk hoofdstukken paragraaf paragrafen bouwsteen deel onderdeel bijlage sectie chapter
section part appendix""".split())
# "hoofdstuk 6", "paragraaf 4.2", "de derde bouwsteen", "the second chapter": one part of a document, not the whole.
_ORDINAL = (r"(?:eerste|tweede|derde|vierde|vijfde|zesde|zevende|achtste|negende|tiende|laatste|slot|first|second|third|"
            r"fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|final)")
_PART = (r"(?:hoofdstuk(?:ken)?|paragraaf|paragrafen|bouwsteen|deel|onderdeel|bijlage|sectie|chapter|section|part|appendix|"
         r"building\s+block)")
SECTION_REFERENCE = re.compile(rf"\b(?P<part>{_PART})\s+(?P<number>\d+(?:\.\d+)*|[ivx]+)\b|"
                               rf"\b(?P<article>(?:de|het|the)\s+)?(?P<ordinal>{_ORDINAL})\s+(?P<opart>{_PART})\b|§\s*(?P<para>\d+(?:\.\d+)*)", re.I)
_ORDINALS = {w: str(i) for i, words in enumerate(
    [("eerste", "first"), ("tweede", "second"), ("derde", "third"), ("vierde", "fourth"), ("vijfde", "fifth"),
     ("zesde", "sixth"), ("zevende", "seventh"), ("achtste", "eighth"), ("negende", "ninth"), ("tiende", "tenth")],
    start=1) for w in words} | {w: "last" for w in ("laatste", "slot", "last", "final")}
_ROMAN = {"i": 1, "v": 5, "x": 10}
# The Dutch word documents head their parts with, for a part named in English or in the plural.
_PART_WORD = {"hoofdstukken": "hoofdstuk", "paragrafen": "paragraaf", "onderdeel": "deel", "sectie": "paragraaf",
              "chapter": "hoofdstuk", "section": "paragraaf", "part": "deel", "appendix": "bijlage",
              "building block": "bouwsteen"}


@dataclass(frozen=True)
class SectionReference:
    """A part of a document a question names: its kind of part (in Dutch), number ("4.2", "3" or "last")."""

    part: str
    number: str
    text: str  # as the question writes it ("de derde bouwsteen" is "derde bouwsteen")


def _roman(text: str) -> str:
    values = [_ROMAN[c] for c in text.lower()]
    return str(sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)))


def section_reference(question: str) -> SectionReference | None:
    """The part of a document ``question`` names ("hoofdstuk 6", "paragraaf 4.2", "de derde bouwsteen"), or None."""
    match = SECTION_REFERENCE.search(question)
    if match is None:
        return None
    if match.group("para"):
        return SectionReference("paragraaf", match.group("para"), match.group(0))
    if match.group("ordinal"):
        part = match.group("opart").lower()
        return SectionReference(_PART_WORD.get(part, part), _ORDINALS[match.group("ordinal").lower()], match.group(0).lower())
    part, number = match.group("part").lower(), match.group("number")
    return SectionReference(_PART_WORD.get(part, part), number if number[0].isdigit() else _roman(number), match.group(0))
# Where a sentence of a question asks something: a question mark, or a request verb at its start.
_REQUEST_START = re.compile(r"^\s*(?:geef|vat|noem|zet|maak|schets|beschrijf|leg|vertel|kun|kunt|kan|wil|zou|"
                            r"give|summari[sz]e|sum|tell|list|describe|outline|explain|can|could|would|please)\b", re.I)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)|(?<=:)\s+(?=[a-zA-Z])")


def asking_part(question: str) -> str:
    """The sentences of ``question`` that ask something; context before them is left out.

    "Onze afdeling wil met opgavetafels werken. Wat zijn de hoofdlijnen van …?" asks only in its second
    sentence: the first sets the scene, and its words ("afdeling", "volgend jaar") name no topic the answer is
    about. A sentence asks when it holds an overview cue, ends in a question mark or starts with a request
    verb. A question of one sentence, or one where no sentence asks, is returned whole."""
    sentences = [s.strip() for s in _SENTENCE_END.split(question.strip()) if s.strip()]
    if len(sentences) < 2:
        return question
    asking = [s for s in sentences
              if s.endswith("?") or _REQUEST_START.search(s) or any(p.search(s) for p in CUES.values())]
    return " ".join(asking) if asking else question


def names_section(question: str) -> bool:
    """True if the question points at one part of a document ("hoofdstuk 6", "de derde bouwsteen")."""
    return section_reference(question) is not None
