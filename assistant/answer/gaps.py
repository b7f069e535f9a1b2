"""Honest gaps: what the question asks that the evidence does not hold.

A near-topic question always retrieves something, so "did we find passages?"
cannot tell an answer from nearby text. Two checks can:

- the *asked-for fact*: a "hoeveel", "wanneer" or "wie" question needs a
  number, a date or a name in a sentence about its focus, in a passage that
  names what the question names; when no such sentence is among the best
  candidates, the sources do not give it;
- the *asked-for things*: "welke KPI's" needs them named one by one
  (:mod:`assistant.answer.naming`);
- *unknown subjects*: a name, acronym or code of the question that no passage
  of the index uses (after typo repair) is something the sources do not
  discuss.

The answer then says so first ("De bronnen noemen geen …") and only then what
the sources do say about the topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.answer.naming import FACT_WINDOW, bio_openings, list_present, names_instances
from assistant.answer.neighbours import leans_back
from assistant.answer.plan import QuestionPlan, second_fact
from assistant.answer.answer_types import counts, has_type, names, without_changes, without_given, years
from assistant.answer.selection import Scored
from assistant.support import SupportScorer
from kb.sentences import SentenceIndex
from kb.types import Sentence

# A fact counts only in a sentence the ranker rates nearly as well as the best one: a year or a number in a
# weaker sentence is about something else ("Later, in 2021, …" does not date the Statenbrief). On the
# training questions, every carrier of an answerable fact scored at least 0.57 of the best (bar one of
# 0.30), while the nearby figures of 8 unanswerable ones scored 0.02-0.45 of it; 0.5 lies between.
CARRIER_SHARE = 0.5
_PRONOUN = re.compile(r"\b(?:hij|zij|ze|haar|zijn|hem|hun|he|she|his|her|they|their)\b", re.IGNORECASE)
# "Sinds bijna twee jaar" answers since when, or how long already; other date questions want a year or a day.
_SINCE_ASKED = re.compile(r"\b(?:sinds wanneer|hoe lang|since when|how long)\b", re.IGNORECASE)
_SHARE_ASKED = re.compile(r"\b(?:hoeveel van|how many of|how much of)\b", re.IGNORECASE)
# A share in so many words; not "derde", which is as often "de derde ronde" as a third.
_SHARE = re.compile(r"\d+(?:[.,]\d+)?\s*(?:%|procent\b|percent\b)|\b(?:helft|kwart|driekwart|half|quarter)\b",
                    re.IGNORECASE)
# "In welk jaar …?" is answered by a year only: "op dinsdag 4 maart" dates a day of some year.
_YEAR_ASKED = re.compile(r"\b(?:welk jaar|welk jaartal|uit welk jaar|what year|which year)\b", re.IGNORECASE)
MIN_UNKNOWN_LETTERS = 4  # shorter words are too often abbreviations or noise
MIN_COMPOUND_HEAD = 4  # letters of the last part of a compound that must be a known word ("werk")
MIN_COMPOUND_MODIFIER = 6  # letters of a known first part ("bedrijfsvoering") that make a compound familiar
# A name ("Rotterdam"), an acronym or a code ("IPMA", "PRINCE2"): a word the sources lack in this form is a
# subject they do not discuss.
_NAME_LIKE = re.compile(r"[A-Z][a-zà-ÿ]+|[A-Z]{2,}[A-Za-z]*\d*(?:['’]s)?|[A-Za-z]+\d+[A-Za-z\d]*")

_WHAT: dict[str, tuple[str, str]] = {
    "number": ("geen aantal", "no number"),
    "amount": ("geen bedrag of budget", "no amount or budget"),
    "date": ("geen datum of jaartal", "no date or year"),
    "person": ("geen naam van een persoon", "no person's name"),
    "organisation": ("geen naam van een organisatie", "no organisation's name"),
    "place": ("geen plaats", "no place"),
    "percentage": ("geen percentage of aandeel", "no percentage or share"),
    "time": ("geen tijdstip", "no time of day"),
    "duration": ("geen duur of termijn", "no duration or period"),
    "frequency": ("geen frequentie", "no frequency"),
    "url": ("geen webadres", "no web address"),
    "name": ("geen naam", "no name"),
    "title": ("geen functie", "no job title"),
    "outcome": ("geen resultaat", "no result"),
    "method": ("geen meet- of rekenwijze", "no method of measurement"),
    "article": ("geen wetsartikel", "no article of law"),
    "criteria": ("geen criteria", "no criteria"),
}


@dataclass(frozen=True)
class Gaps:
    """What the sources do not give: described for the reader, in the question's language."""

    missing: tuple[str, ...] = ()  # short labels for the JSON ("aantal", "blockchain")
    statement: str = ""  # the sentence that opens the answer, from a fixed vocabulary
    # How the quoted sentences after the statement are introduced: what the sources do say about the topic,
    # or, when they give the asked-for figure only for another period, that figure labelled as such.
    bridge: tuple[str, str] = ("Wel staat er dit over:", "What they do say about the topic:")
    reasons: tuple[str, ...] = ()  # why each check did or did not find a gap, for --explain
    carrier: str = ""  # the best candidate that holds the asked-for fact, when there is one: it answers first

    def __bool__(self) -> bool:
        return bool(self.missing)


# Bridges after a gap statement (Dutch, English).
TOPIC_BRIDGE = ("Wel staat er dit over:", "What they do say about the topic:")
PERIOD_BRIDGE = ("Wel noemen ze een cijfer voor een andere periode:", "They do give a figure for another period:")
# What the statement says for each kind of gap; never a word copied from the question.
_UNKNOWN = ("niets over dit onderwerp", "nothing about this subject")
_UNNAMED = ("ze niet bij naam", "no names")
_UNLISTED = ("ze niet afzonderlijk", "them not one by one")
_PERIODIC = frozenset({"number", "amount", "percentage", "duration", "frequency"})
# "Wanneer kies je voor model 2?" and "Waar begin je?" ask for a condition or a starting point, not a date or
# a place: the gap check claims a missing date or place only when the question names that kind of thing
# (on the training questions, 9 of 9 false date and place gaps lacked these words).
_EXPLICIT = {
    # "Wanneer heeft de Bestuursraad … uitgesproken?" asks when something happened: a perfect tense with a
    # participle ("uit|ge|sproken"), where "wanneer heb je …" and "wanneer kies je …" ask for a condition.
    "date": re.compile(r"\b(?:jaar|jaartal|datum|maand|dag|periode|sinds wanneer|year|date|month|period|"
                       r"when (?:was|were|did))\b|"
                       r"\bwanneer (?:heeft|hebben|is|zijn)\b.*\b(?:uit|op|aan|af|in|mee|voor|na|toe|vast|bij)?ge\w{3,}\b|"
                       r"\bwanneer\b.*\b(?:opgericht|gepubliceerd|verschenen|verscheen|geopend|aangenomen|ingediend|"
                       r"gestart|begonnen|vastgesteld|gehouden|plaatsgevonden|was|werd|waren|werden|kwam|kwamen)\b", re.IGNORECASE),
    "place": re.compile(r"\b(?:stad|plaats|dorp|regio|locatie|provincie|gemeente|land|adres|city|place|town|region|"
                        r"location)\b", re.IGNORECASE),
}


def find_gaps(plan: QuestionPlan, ranked: Sequence[Scored], scorer: SupportScorer, sentences: SentenceIndex,
              listed: bool = False, proper: frozenset[str] | None = None) -> Gaps:
    """The gaps between the question and its best candidate sentences.

    A gap is stated only when no candidate among the best carries what was asked
    (a count, a date, a name, the named things, the counted items), so the line
    never contradicts the quotes that follow it. ``listed`` says that the
    document's outline gives the list the question asks for; ``proper`` are the words the sources write as
    names (a person's first name is one).
    """
    english = plan.lang == "en"
    unknown = [] if english else _unknown_words(plan, scorer)
    # "Wie …?" asks for a role as often as for a name ("wie zit er in de driehoek?"): a missing name is
    # claimed only when the question plainly asks for one ("wie was de opgavehouder?").
    asked_fact = _asked(plan)
    fact, carrier = _fact_present(plan, ranked, sentences, proper) if asked_fact else ("yes", "")
    unnamed = bool(plan.instances) and not listed and not names_instances(plan, ranked, sentences)
    if unnamed and plan.expects == "organisation":
        fact = "yes"  # "geen namen" says it; "geen naam van een organisatie" would repeat it
    unlisted = bool(plan.count) and plan.kind == "list" and not listed and not list_present(plan, ranked, sentences)
    labels: list[str] = list(unknown)
    parts: list[tuple[str, str]] = []
    reasons = [_fact_reason(plan, asked_fact, fact, carrier)]
    if unknown:
        parts.append(_UNKNOWN)
        reasons.append(f"woorden die geen passage gebruikt: {', '.join(unknown)}")
    if fact != "yes":
        nl, en = _WHAT[plan.expects]
        labels.append(nl.removeprefix("geen "))
        if fact == "other period":
            period = " en ".join(sorted(years(plan.question)))
            nl, en = f"{nl} voor {period}", f"{en} for {period.replace(' en ', ' and ')}"
        parts.append((nl, en))
    second = second_fact(plan)
    if second is not None and _asked(second) and _fact_present(second, ranked, sentences, proper)[0] != "yes":
        nl, en = _WHAT[second.expects]  # "…, en wanneer was dat?": the second part's fact is missing too
        labels.append(nl.removeprefix("geen "))
        parts.append((nl, en))
        reasons.append(f"tweede deel van de vraag: {nl.removeprefix('geen ')} niet gevonden")
    if unnamed:
        labels.append(plan.instances)
        parts.append(_UNNAMED)
        reasons.append(f"gevraagd: {plan.instances} bij naam; geen beste zin noemt er een reeks of lijst")
    if unlisted:
        labels.append(f"{plan.count_words} {plan.counted}".strip())
        parts.append(_UNLISTED)
        reasons.append(f"gevraagd: {plan.count} dingen; geen lijst van die lengte en het getal staat in geen beste zin")
    if not parts:
        return Gaps(reasons=tuple(reasons), carrier=carrier if asked_fact else "")
    # "Geen aantal" alone reads as if the sources held no numbers at all: a missing fact is missing for this.
    scoped = parts[0][0].startswith("geen ")
    if english:
        statement = f"The sources give {' and '.join(en for _, en in parts)}{' for this' if scoped else ''}.".replace(
            "give nothing", "say nothing")
    else:
        statement = f"De bronnen noemen {'hiervoor ' if scoped else ''}{' en '.join(nl for nl, _ in parts)}."
    return Gaps(tuple(labels), statement, PERIOD_BRIDGE if fact == "other period" else TOPIC_BRIDGE, tuple(reasons))


def _asked(plan: QuestionPlan) -> bool:
    """True if the question plainly asks for one checkable fact of the type the plan expects."""
    return plan.specific and (plan.expects != "person" or plan.asks_name) and (
        plan.expects not in _EXPLICIT or bool(_EXPLICIT[plan.expects].search(plan.question)))


def _fact_reason(plan: QuestionPlan, asked: bool, fact: str, carrier: str) -> str:
    """Why the fact check did or did not find the asked-for fact, in words."""
    if not asked:
        return f"geen los feit gevraagd (verwacht: {plan.expects})"
    what = _WHAT[plan.expects][0].removeprefix("geen ")
    if fact == "yes":
        return f"gevraagd: {what}; gevonden in “{carrier}”"
    if fact == "other period":
        return f"gevraagd: {what} voor {', '.join(sorted(years(plan.question)))}; alleen voor een andere periode: “{carrier}”"
    return (f"gevraagd: {what}; geen van de beste {FACT_WINDOW} kandidaten met ten minste {CARRIER_SHARE:.0%} van de "
            f"beste score, of hun buurregels, heeft het")


def _known_part(word: str, scorer: SupportScorer) -> bool:
    """True if the word is a compound of a word the sources use: a known head ("gespreks|tafels")
    or a known first part ("bedrijfsvoerings|werk")."""
    heads = (word[i:] for i in range(2, len(word) - MIN_COMPOUND_HEAD + 1))
    modifiers = (word[:i] for i in range(len(word) - 2, MIN_COMPOUND_MODIFIER - 1, -1))
    return any(scorer.knows(part) for part in heads) or any(scorer.knows(part) for part in modifiers)


def _unknown_words(plan: QuestionPlan, scorer: SupportScorer) -> list[str]:
    """Content words of the question that no passage of the index uses."""
    out = []
    # The parts of a hyphenated word stand on their own ("IPMA-certificaat", "PRINCE2- of …").
    parts = dict.fromkeys(part for w in plan.focus for part in (w.strip("-").split("-") if "-" in w else [w]) if part)
    for word in parts:
        terms = scorer.terms(word)
        if len(word) < MIN_UNKNOWN_LETTERS or not terms or any(scorer.weights.known(t) for t in terms):
            continue
        if _known_part(word, scorer) and not _NAME_LIKE.fullmatch(word):
            continue  # a compound of known words ("gesprekstafels") paraphrases; a name ("Gemeentewet") does not
        # Only a name the sources never use ("Eindhoven", "Rotterdam") is a subject they lack. A lowercase
        # word they lack was, on the dev and training questions, far more often a paraphrase, a verb form or
        # a typo ("loont", "huiverig", "esay": 35 answerable questions) than a missing subject (8
        # unanswerable ones), so it only counts towards the off-topic decision (see evidence.measure).
        # A capital at the start of a sentence of the question ("… past. Mogen we …") makes no name.
        if _NAME_LIKE.fullmatch(word) and not re.search(rf"(?:^|[.!?]\s+){re.escape(word)}\b", plan.question):
            out.append(word)
    return out


def _fact_present(plan: QuestionPlan, ranked: Sequence[Scored], sentences: SentenceIndex,
                  proper: frozenset[str] | None = None) -> tuple[str, str]:
    """("yes", sentence) if one of the best candidates, or the line after or above it, holds the kind of fact
    asked for; ("other period", sentence) if it does only for another year than the question names;
    ("no", "") otherwise.

    The best candidates are the ranker's: they are about the question, whatever words they use ("met
    hoeveel mensen is er gesproken" / "acht medewerkers zijn geïnterviewd"). A count must count what
    was asked ("hoeveel opgaven" is not answered by "drie tafels"), and a name or number the question
    itself gives is no answer to it.
    """
    best = ranked[0].score if ranked else 0.0
    window = [s for s in ranked[:FACT_WINDOW] if s.score >= CARRIER_SHARE * best]

    def carries(sentence: Sentence) -> bool:
        rest = without_given(sentence.text, plan.question)
        # A figure about someone else is no answer: the names the question gives must stand in its sentence or
        # its heading ("drie tot vijf opgavemanagers" in large municipalities is not the number for Rotterdam;
        # "Voor de drie opgaven samen …" is not the budget of the one named the line before). A sentence that
        # leans on the one before may name it there ("Die opgave kreeg …"), and one about a person by pronoun
        # anywhere in its passage ("Hij schreef in 2005 …").
        before = sentences.neighbour(sentence, -1)
        context = [sentence.text, sentence.section]
        if before is not None and leans_back(sentence.text):
            context.append(before.text)
        if _PRONOUN.search(sentence.text):
            context += [s.text for s in sentences.of_chunk(sentence.doc_id, sentence.chunk_id)]
        about = all(any(names(text, w) for text in context) for w in plan.subjects)
        # "Hoeveel van het werk …?" asks a share: "80% van het werk" answers it, whatever noun follows the figure.
        counted = not plan.measured or counts(rest, plan.measured) or (
            bool(_SHARE_ASKED.search(plan.question)) and bool(_SHARE.search(rest)))
        if plan.expects == "percentage":
            rest = without_changes(rest, plan.question)
        return about and has_type(rest, _asked_type(plan), proper) and counted

    typed = [s.sentence.text for s in window if carries(s.sentence)]
    # The fact may stand in the sentence after, or in the header lines just above ("4 maart 2025 | Den Haag").
    typed += [n.text for s in window[:3] for n in _around(s.sentence, sentences) if n is not None and carries(n)]
    if plan.expects == "title":  # a bio under the person's name opens with the job title ("Directeur VPNG.")
        typed += [s.text for s in bio_openings(plan.question, sentences, {s.sentence.doc_id for s in ranked})]
    if not typed:
        return "no", ""
    asked_years = years(plan.question)
    if asked_years and plan.expects in _PERIODIC:
        in_period = [text for text in typed if asked_years & years(text)]
        if not in_period:
            return "other period", typed[0]  # "het budget voor 2027" is not the budget of 2023-2025
        # "… in 2025 compared to 2023?" is answered first by the figure that names both years.
        return "yes", min(in_period, key=lambda text: not asked_years <= years(text))
    return "yes", typed[0]


def _asked_type(plan: QuestionPlan) -> str:
    """The type a carrier must hold: a date question wants a year or a day (a year when it asks which year),
    unless it asks since when."""
    if plan.expects == "date" and _YEAR_ASKED.search(plan.question):
        return "year"
    if plan.expects == "date" and not _SINCE_ASKED.search(plan.question):
        return "calendar_date"
    return plan.expects


def _around(sentence: Sentence, sentences: SentenceIndex) -> list[Sentence | None]:
    """The sentence after, and the short unpunctuated header lines right above (within two lines)."""
    after = sentences.neighbour(sentence, 1)
    # A footnote or a caption after the sentence is no part of it: "10 NCTV (2019)." dates nothing asked.
    out = [after] if after is not None and after.role in ("body", "list_item") else []
    for step in (-1, -2):
        before = sentences.neighbour(sentence, step)
        if before is None or before.section != sentence.section:
            break
        if before.role == "body" and before.text[-1:] not in ".!?;":
            out.append(before)
    return out
