"""Honest gaps: what the question asks that the evidence does not hold.

A near-topic question always retrieves something, so "did we find passages?"
cannot tell an answer from nearby text. Two checks can:

- the *asked-for fact*: a "hoeveel", "wanneer" or "wie" question needs a
  number, a date or a name in a sentence about its focus; when no such
  sentence is among the best candidates, the sources do not give it;
- *unknown subjects*: a content word of the question that no passage of the
  index uses (after typo repair) is something the sources do not discuss.

The answer then says so first ("De bronnen noemen geen …") and only then what
the sources do say about the topic.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from wordfreq import zipf_frequency

from assistant.answer.plan import QuestionPlan
from assistant.answer.selection import Scored, has_type
from assistant.support import SupportScorer
from kb.sentences import SentenceIndex

# Only sentences this close to the best one count as "about the focus" for the fact check.
ABOUT_FOCUS = 0.6
FACT_WINDOW = 8  # best candidates searched for the asked-for fact
MIN_UNKNOWN_LETTERS = 4  # shorter words are too often abbreviations or noise
# A word this common in Dutch (Zipf scale, wordfreq) is a way of asking ("tegenaan", "geschreven"), not a
# subject the sources could miss; "blockchain" (3.3) and "contributie" (3.1) are subjects. Chosen on the dev split.
COMMON_ZIPF = 3.6
MIN_COMPOUND_HEAD = 4  # letters of the last part of a compound that must be a known word ("werk")
MIN_COMPOUND_MODIFIER = 6  # letters of a known first part ("bedrijfsvoering") that make a compound familiar
# Infinitives and past participles: "omgooien", "doorhakken", "geïrriteerd".
_VERB_FORM = re.compile(r"(?:[^e]en|ge\w+[dt])$")

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
}


@dataclass(frozen=True)
class Gaps:
    """What the sources do not give: described for the reader, in the question's language."""

    missing: tuple[str, ...] = ()  # short labels for the JSON ("aantal", "blockchain")
    statement: str = ""  # the sentence that opens the answer

    def __bool__(self) -> bool:
        return bool(self.missing)


def find_gaps(plan: QuestionPlan, ranked: Sequence[Scored], scorer: SupportScorer, sentences: SentenceIndex,
              listed: bool = False) -> Gaps:
    """The gaps between the question and its best candidate sentences.

    ``listed`` says that the document's outline gives the list the question asks for.
    """
    english = plan.lang == "en"
    unknown = [] if english else _unknown_words(plan, scorer)
    # "Wie …?" asks for a role as often as for a name ("wie zit er in de driehoek?"): a missing name is
    # claimed only when the question plainly asks for one ("wie was de opgavehouder?").
    fact_missing = plan.specific and (plan.expects != "person" or plan.asks_name) \
        and not _fact_present(plan, ranked, sentences)
    labels: list[str] = list(unknown)
    parts: list[str] = []
    if unknown:
        words = ", ".join(unknown)
        parts.append(f"nothing about {words}" if english else f"niets over {words}")
    if fact_missing:
        nl, en = _WHAT[plan.expects]
        labels.append(nl.removeprefix("geen "))
        parts.append(en if english else nl)
    if plan.count and plan.kind == "list" and not listed and not _list_present(plan, ranked, sentences):
        things = f"{plan.count_words} {plan.counted}".strip()
        labels.append(things)
        parts.append(f"the {things} one by one" if english else f"de {things} niet afzonderlijk")
    if not parts:
        return Gaps()
    # The topic itself follows in "Wel staat er dit over:"; repeating the question's words here reads badly.
    if english:
        statement = f"The sources give {' and '.join(parts)}.".replace("give nothing", "say nothing")
    else:
        statement = f"De bronnen noemen {' en '.join(parts)}."
    return Gaps(tuple(labels), statement)


def _list_present(plan: QuestionPlan, ranked: Sequence[Scored], sentences: SentenceIndex) -> bool:
    """True if the best sentences give the counted things: a list of that many items, or a sentence naming the count.

    "Welke vier perspectieven …?" is answered by prose that names the four; "de zeven hefbomen" whose
    only trace is a heading is not.
    """
    count = plan.count
    said = re.compile(rf"\b{re.escape(plan.count_words)}\b", re.IGNORECASE)
    if any(said.search(s.sentence.text) for s in ranked[:FACT_WINDOW]):
        return True
    from assistant.answer.compose import with_dependents

    for s in ranked[:FACT_WINDOW]:
        group = with_dependents(s.sentence, sentences)
        if sum(g.role == "list_item" for g in group) >= count:
            return True
    return sum(s.sentence.role == "list_item" for s in ranked[:FACT_WINDOW * 2]) >= count


def _known_part(word: str, scorer: SupportScorer) -> bool:
    """True if the word is a compound of a word the sources use: a known head ("gespreks|tafels")
    or a known first part ("bedrijfsvoerings|werk")."""
    def known(part: str) -> bool:
        terms = scorer.terms(part)
        return bool(terms) and all(scorer.weights.known(t) for t in terms)

    heads = (word[i:] for i in range(2, len(word) - MIN_COMPOUND_HEAD + 1))
    modifiers = (word[:i] for i in range(len(word) - 2, MIN_COMPOUND_MODIFIER - 1, -1))
    return any(known(part) for part in heads) or any(known(part) for part in modifiers)


def _unknown_words(plan: QuestionPlan, scorer: SupportScorer) -> list[str]:
    """Content words of the question that no passage of the index uses."""
    out = []
    for word in plan.focus:
        terms = scorer.terms(word)
        if len(word) < MIN_UNKNOWN_LETTERS or not terms or any(scorer.weights.known(t) for t in terms):
            continue
        if _known_part(word, scorer):
            continue  # a compound of known words ("gesprekstafels") paraphrases what the sources say
        if not word[:1].isupper() and _VERB_FORM.search(word):
            continue  # a verb ("doorhakken", "geïrriteerd") is how something is asked, not what
        # A name the sources never use ("Eindhoven") is a subject however common the word is.
        if word[:1].isupper() or zipf_frequency(word, "nl") < COMMON_ZIPF:
            out.append(word)
    return out


def _fact_present(plan: QuestionPlan, ranked: Sequence[Scored], sentences: SentenceIndex) -> bool:
    """True if a sentence about the focus, or the one right after it, holds the kind of fact asked for."""
    if not ranked:
        return False
    window = ranked[:FACT_WINDOW]
    if plan.lang == "en":
        about = [s for s in window if s.score >= ABOUT_FOCUS * ranked[0].score]
    else:
        top_focus = max(s.focus for s in window)
        about = [s for s in window if s.focus >= ABOUT_FOCUS * top_focus and s.focus > 0]
    return any(s.typed for s in about) or any(
        n is not None and has_type(n.text, plan.expects) for s in about[:3] for n in (sentences.neighbour(s.sentence, 1),))
