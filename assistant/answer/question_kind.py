"""The form of a question: what kind it is and what type of answer it expects.

A table of cue patterns, read in order, in Dutch and in English ("hoeveel" asks a number, "wanneer" a date,
"waarom" a reason); the first that matches the last sentence that asks something decides (an earlier one
when the last has no cue). The cues read the
form of a question, never a particular document.
"""

from __future__ import annotations

import re
from typing import Literal

Kind = Literal["definition", "list", "how", "why", "fact", "comparison", "who", "when", "amount", "other"]
Expect = Literal["number", "amount", "percentage", "date", "time", "duration", "frequency", "person", "name", "title",
                 "outcome", "method", "article", "criteria", "url", "organisation", "place", "list", "reason", "steps", "definition", "text"]

# "What recommendations came out of …?", "what features do they share?": a plural noun that a verb follows.
PLURAL_THEN_VERB = (r"(?:main\s+|other\s+)?[a-z]+s\s+(?:do|did|does|came|come|are|were|have|has|can|could|should|"
                     r"would|will|from|of|for|in)\b")
WHAT_PLURAL = r"^what\s+" + PLURAL_THEN_VERB
_CUES: list[tuple[Kind, Expect, re.Pattern[str]]] = [
    # "Welke functie heeft Jos van der Ploeg?": a named person's job title.
    ("fact", "title", re.compile(r"\b(?i:welke functie (?:heeft|had|bekleedt|vervult)|wat (?:is|was) de functie van|"
                                 r"what (?:is|was) (?:the )?(?:job title|position|job) of)\s+[A-Z]|"
                                 r"\b(?i:what (?:is|was)) [A-Z][\w ]*?['’]s (?i:job title|job|position)\b")),
    ("amount", "percentage", re.compile(
        r"\b(?:welk (?:deel|percentage|aandeel)|hoeveel procent|met hoeveel procent|welk deel|what (?:percentage|share|"
        r"proportion|part)|how many percent|what (?:\w+ )?rate|welk (?:responspercentage|slagingspercentage))\b", re.I)),
    ("when", "time", re.compile(r"\b(?:hoe laat|om hoe laat|what time|at what time|hoe laat begint)\b", re.I)),
    ("amount", "duration", re.compile(
        r"\b(?:hoe lang|how long|welke (?:maximale |minimale )?(?:doorlooptijd|termijn|duur|looptijd)|"
        r"welke (?:maximale |minimale )?(?:doorlooptijden|termijnen|looptijden)|"
        r"hoeveel (?:tijd|dagen|weken|maanden|jaren|uur)|what (?:duration|period)|how many (?:days|weeks|months|years))\b", re.I)),
    ("amount", "frequency", re.compile(r"\b(?:hoe vaak|hoe dikwijls|how often|how frequently|met welke frequentie)\b", re.I)),
    # "How much of the work …?" asks a share of it, as "hoeveel van het werk" does (see the gap check).
    ("amount", "number", re.compile(r"\bhow much of (?:the|their|its|our|all|this|that)\b", re.I)),
    ("amount", "amount", re.compile(
        r"\b(?:hoeveel (?:geld|euro|budget)|how much|welk bedrag|wat kost|hoe duur|hoe groot is het budget|welk budget|"
        r"(?:what|which) budget|how much money|hoeveel (?:(?:heeft|hebben|had|hadden)\b.*\bgekost|kost|kostte|kostten|bedraagt|bedroeg))\b|"
        # "Wat is het jaarbudget …?", "wat zijn de kosten …?": the asked noun is an amount.
        r"^(?:wat|what) (?:is|was|zijn|waren|are|were) (?:in \d{4} |eigenlijk |nu |in \w+ )?(?:het|de|the) (?:\w+ )?"
        r"\w*(?:budget|bedrag|kosten|prijs|salaris|"
        r"contributie|tarief|cost|costs|price|salary|fee)\b|"
        # "Wat had X voor budget?", "wat voor budget krijgt X?": the same question in speech.
        r"^(?:wat|what)\b.*\bvoor (?:een )?\w*(?:budget|bedrag)\b", re.I)),
    ("fact", "url", re.compile(
        r"\b(?:welke (?:url|link|website|webpagina|webadres)|welk (?:webadres|internetadres|e-mailadres)|"
        r"(?:what|which) (?:url|link|website|web address|e-mail address))\b", re.I)),
    ("amount", "number", re.compile(r"\b(?:hoeveel|how many|welk aantal|what number of|het aantal|welke (?:score|"
                                    r"drempel|drempelwaarde|grenswaarde)|what (?:score|threshold))\b", re.I)),
    ("when", "date", re.compile(
        r"^(?:wanneer|when)\b|\b(?:sinds wanneer|in welk jaar|welk jaar|op welke datum|welke datum|what year|"
        r"in welke periode|in which period|"
        r"which year|in what year|on what date|per wanneer|tot wanneer|welke deadline|when (?:was|were|did|will))\b",
        re.I)),
    ("who", "person", re.compile(
        r"^(?:wie|who)\b|\b(?:door wie|van wie|met wie|welke (?:persoon|personen|wethouder|gedeputeerde|minister|"
        r"directeur|burgemeester|auteur|auteurs|spreker|sprekers)|wie (?:is|zijn|was|waren)|who (?:is|are|was|wrote)|"
        r"which (?:person|author|minister|director)|hoe (?:heet|heten|heette) (?:de|die) (?:\w+ )?(?:persoon|wethouder|"
        r"gedeputeerde|minister|directeur|burgemeester|voorzitter|auteur|spreker|opgavehouder|opdrachtgever))\b", re.I)),
    # "Hoe heet de nieuwe monitor?": the name of a thing (of a person: the cue above).
    ("fact", "name", re.compile(r"\b(?:hoe (?:heet|heten|heette)|wat is de naam van|welke naam|what is the name of|"
                                r"what (?:is|was|are|were) (?:it|they|\w+ \w+) called)\b", re.I)),
    # "Wat heeft X uiteindelijk opgeleverd?", "Wat kwam er uit X?": what came of something.
    ("fact", "outcome", re.compile(r"^(?:wat|what)\b.*\b(?:(?:heeft|hebben|had|hadden)\b.*\bopgeleverd|leverde\b.*\bop|"
                                   r"kwam (?:er )?(?:uit|van)|is (?:er )?(?:uit|van) gekomen|was the (?:result|outcome) of)\b", re.I)),
    ("fact", "organisation", re.compile(
        r"\b(?:welke (?:organisatie|organisaties|gemeente|gemeenten|provincie|provincies|ministerie|ministeries|"
        r"bedrijven|bedrijf|instantie|instanties|partners|partijen|fractie|fracties)|"
        # "Bij welk onderzoeksbureau …?": a compound whose head is a kind of organisation.
        r"welke? \w*(?:bureau|bedrijf|instituut|organisatie|stichting|vereniging|adviesraad)|met welke (?:partners|partijen|"
        r"bedrijven|organisaties)|which (?:organisations?|organizations?|municipalit(?:y|ies)|ministr(?:y|ies)|"
        r"companies|partners|provinces?))\b",
        re.I)),
    # "Waar lopen we tegenaan?" asks for problems, not a place: a trailing particle makes "waar" a pronoun.
    ("fact", "place", re.compile(r"^(?:waar|where)\b(?!.*\b(?:tegenaan|naartoe|vandaan|overheen|mee|over|voor|aan|op|"
                                 r"door|om|toe)\b)|\b(?:in welke (?:stad|plaats|regio)|which (?:city|place))\b", re.I)),
    ("why", "reason", re.compile(r"^(?:waarom|why)\b|\b(?:om welke reden|wat is de reden|what is the reason|waardoor)\b", re.I)),
    # "Welk artikel van de wet …?" asks an article number; "op grond van welke criteria …?" the criteria themselves.
    ("fact", "article", re.compile(r"\b(?:welk (?:wets)?artikel|welke (?:wets)?artikelen|which (?:article|section)|"
                                   r"what (?:article|section))\b", re.I)),
    ("fact", "criteria", re.compile(r"\b(?:welke|which|what) (?:criteria|criterium|selectiecriteria|voorwaarden|eisen|"
                                    r"requirements|conditions)\b", re.I)),
    # "Hoe is dat berekend?", "hoe meet de provincie …?": how a figure was measured, not steps. ("Hoe werd bepaald
    # wie …?" asks how a choice was made: steps, which the sources tell in many words.)
    ("how", "method", re.compile(r"(?:^|,\s*)(?:hoe|how)\b.*\b(?:is|was|wordt|werd|zijn|waren|worden|werden|were)\b.*\b"
                                 r"(?:gemeten|berekend|measured|calculated)\b|"
                                 r"(?:^|,\s*)(?:hoe (?:meet|meten|berekent|berekenen)|how (?:do|does|did) \w+(?: \w+)? "
                                 r"(?:measure|calculate))\b|\bmet welke (?:methode|meetmethode)\b", re.I)),
    # "Hoe omschrijven de bronnen wat een opgave is?", "Hoe definieert de VPNG een opgave?" ask what it is.
    ("definition", "definition", re.compile(
        r"^(?:hoe|how) (?:omschrijv\w*|omschrijft|definie\w*|define\w*|describe\w*|beschrijv\w*|beschrijft)\b"
        r"(?:(?!\bwat\b).)*\b(?:wat|what)\b.*\b(?:is|zijn|betekent|means?)\b|"
        r"^(?:hoe|how) (?:omschrijv\w*|omschrijft|definie\w*|define\w*)\b|^how (?:does|do) (?:\w+ ){1,3}define\b", re.I)),
    ("how", "steps", re.compile(
        r"^(?:hoe|how)\b|\b(?:op welke manier|in what way|welke stappen|what steps|wat moet (?:ik|je|we|een)|"
        r"what should|hoe kan|hoe moet|how (?:can|should|do))\b", re.I)),
    ("definition", "definition", re.compile(
        r"^(?:wat (?:is|zijn(?! de\b)|betekent|betekenen|houdt|verstaat|bedoelt)|what (?:is|are|does)\b.*\bmean|what is|"
        r"what are)\b|\b(?:wat wordt (?:er )?(?:bedoeld|verstaan) (?:met|onder)|definitie van|definition of|"
        r"wat houdt .* in)\b", re.I)),
    ("list", "list", re.compile(  # "In welke twee opgaven …?" asks for the things, as "Welke twee opgaven …?" does
        r"^(?:welke|which|noem|name|list|geef)\b|\b(?:wat zijn de|what are the)\b|"
        r"^(?:in|aan|bij|met|op|voor|uit|tussen|over|van|naar)\s+welke\s+(?:twee|drie|vier|vijf|zes|zeven|acht|negen|tien)\b", re.I)),
]


# A lead-in before a colon ("Even checken: hoe definieert …?", "Quick one on the report: what was …?") is not
# the question; what follows it is, when it opens with a question word.
_LEAD_IN = re.compile(r"^[^:?]{2,80}:\s+(?=(?:wat|wie|welke?|hoe|hoeveel|waarom|wanneer|waar|what|who|which|how|why|when|"
                      r"where)\b)", re.IGNORECASE)


# "Welke drie opgaven …, hoe heten die?": a tail that asks for the names of the things just asked for repeats the
# question; the cue is read without it.
_NAMES_TAIL = re.compile(r",\s*(?:en\s+)?(?:hoe heten (?:die|ze|deze)|wat zijn (?:dat|die|het)|welke zijn (?:dat|het)|"
                         r"what are they called|what are they)\s*\?$", re.IGNORECASE)


def kind_of(question: str) -> tuple[Kind, Expect]:
    """The kind of question and the answer type it expects, from the last sentence that asks something and has
    a cue: "Hoeveel gemeenten …? Heeft de VPNG daar cijfers over?" asks a number, not yes or no."""
    asked = [part for part in re.split(r"(?<=[.!?])\s+", question.strip()) if part.strip()]
    questions = [p for p in asked if p.endswith("?")] or asked[-1:] or [question]
    for text in reversed(questions):
        text = _NAMES_TAIL.sub("?", _LEAD_IN.sub("", text.strip(" ‘'\"(")))
        for kind, expects, pattern in _CUES:
            if pattern.search(text):
                return kind, expects
    return "other", "text"
