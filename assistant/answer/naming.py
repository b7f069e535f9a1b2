"""Naming: whether the best sentences name the things a question asks for, one by one.

"Welke KPI's …?" and "Welke zeven velden …?" ask for the things themselves. A
sentence that only uses the noun ("… belangrijker dan de traditionele KPI's",
"schakelt tussen zeven velden") names none of them; a list, a series ("A, B en
C"), items after a colon, or sentences that each use the noun after a count
("drie metaforen" … "past de metafoor van de zwerm") do. The gap check
(:mod:`assistant.answer.gaps`) states "De bronnen noemen ze niet bij naam" when
none does.
"""

from __future__ import annotations

import re
from typing import Sequence

from assistant.answer.answer_types import counts, lists, mentions, without_given
from assistant.answer.compose import answer_group
from assistant.answer.neighbours import announced_items, announces, with_dependents
from assistant.answer.plan import QuestionPlan
from assistant.answer.selection import Scored
from kb.sentences import SentenceIndex
from kb.types import Sentence

# Only sentences this close to the best one count as "about the focus".
ABOUT_FOCUS = 0.6
FACT_WINDOW = 8  # best candidates searched for the asked-for fact or things
INSTANCE_WINDOW = 3  # best sentences that may name the asked-for things without using their noun
# Two things named as a pair: "de ene … de andere", "enerzijds … anderzijds", "the one … the other".
_PAIR = re.compile(r"\b(?:de|het) ene\b.+\b(?:de|het) andere\b|\benerzijds\b.+\banderzijds\b|"
                   r"\bthe one\b.+\bthe other\b", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_MASKED_NAME = re.compile(r"x(?:\s+(?:x|van|de|der|den|ter|ten|het))*\s+x")  # "Hans van der Heijden", as masked
_IN_A_ROW = re.compile(r"\w[^,.;:]{0,60},\s*[^,.;:]{1,60},?\s+(?:en|of|and|or)\s+\w")
COLON_PAIR_WORDS = 8  # words after a colon that still read as a name or two, not as a clause
COUNTED_WORDS = 3  # words after a count that may hold its noun ("drie à vier ‘echte’ opgaven" is found by the first)
MIN_NOUN_LETTERS = 4  # shorter words of the question are function words ("van", "de")
COUNTED_REACH = 40  # characters between a count and its noun ("drie à vier ‘echte’ concernbrede opgaven")
# Without a count, a series names the counted things only when it follows their noun at once ("opgaven zoals
# A, B en C", "thema's: A en B"); a long sentence that uses the noun and has commas elsewhere names none.
_NOUN_THEN_SERIES = re.compile(r"^[^\w]*(?:\S+\s+){0,3}?(?:zoals|namelijk|als|denk aan|onder andere|te weten|bijvoorbeeld|"
                               r"such as|including|namely|like)\b|^[^\w:]{0,3}:", re.IGNORECASE)
HEADED_REACH = 150  # sentences read for the subsections that name counted things; a long chapter holds 120
NAMED_AFTER = 8  # sentences after a counted noun ("drie metaforen") read for one that names each
_ANNOUNCES = re.compile(r"\b(?:volgende|als volgt|namelijk|following|as follows|namely)\b|\b(?:twee|drie|vier|vijf|zes|zeven|"
                       r"acht|negen|tien|two|three|four|five|six|seven|eight|nine|ten)\s+\w+", re.IGNORECASE)


def names_instances(plan: QuestionPlan, ranked: Sequence[Scored], sentences: SentenceIndex) -> bool:
    """True if a best sentence about the focus names several things: a list, items after a colon, or a series.

    "Welke KPI's …?" is not answered by "… belangrijker dan de traditionele KPI's": the word is there,
    the KPI's are not.
    """
    window = ranked[:FACT_WINDOW]
    if not window:
        return False
    lead, items = answer_list(ranked, sentences)
    if items and any(lists(s.text, plan.instances) for s in lead):
        return True  # the answer itself quotes a list of the asked-for things: a gap line would deny it
    top = max(s.score for s in window)
    # Two items of one list among the very best sentences name the things themselves ("1. Stel …", "2. Geef …"),
    # when their section is about the question ("Hoe te komen tot opgavegericht sturen?" for tips on sturen).
    topic = [w for w in plan.focus if w.lower() != plan.instances.lower()]
    items = [(s.sentence.doc_id, s.sentence.section) for s in window[:INSTANCE_WINDOW]
             if s.sentence.role == "list_item" and s.score >= ABOUT_FOCUS * top
             and any(mentions(s.sentence.section, w) for w in topic)]
    if len(items) > len(set(items)):
        return True
    for k, s in enumerate(window):
        # The things asked for are named by one of the very best sentences or by one that uses the noun.
        uses_noun = mentions(s.sentence.text, plan.instances)
        if (s.score < ABOUT_FOCUS * top and not uses_noun) or (k >= INSTANCE_WINDOW and not uses_noun):
            continue
        # The sentence after counts only when this one announces it ("… drie rollen. Namelijk …"); an item
        # of some other list is no naming of the asked-for things.
        leads_on = announces(s.sentence) or _ANNOUNCES.search(s.sentence.text)
        group = with_dependents(s.sentence, sentences) if leads_on else [s.sentence]
        texts = [g.text for g in group] if leads_on else [s.sentence.text]
        if sum(g.role == "list_item" for g in group) >= 2 or any(_series(t) for t in texts):
            return True
        if uses_noun and counts(s.sentence.text, plan.instances) and _named_after(s.sentence, plan.instances, sentences):
            return True
    return False


def answer_list(ranked: Sequence[Scored], sentences: SentenceIndex) -> tuple[list[Sentence], list[Sentence]]:
    """When the answering group quotes a list of two or more: the sentences up to the one that announces it,
    and its items; else two empty lists."""
    group = answer_group(ranked, sentences) if ranked else []
    for k, s in enumerate(group):
        if announces(s):
            announced = announced_items(s, sentences)
            items = [g for g in group[k + 1:] if g in announced]
            if len(items) >= 2:
                return group[:k + 1], items
    return [], []


def _named_after(sentence: Sentence, noun: str, sentences: SentenceIndex) -> bool:
    """True if sentences right after "… aan de hand van drie metaforen" each name one ("De bol … past de
    metafoor van …"): at least two of the next few use the noun."""
    # The named things may each head a section of their own ("De zwerm", "De fabriek"): sections are crossed.
    uses = 0
    for step in range(1, NAMED_AFTER + 1):
        after = sentences.neighbour(sentence, step)
        if after is None:
            break
        uses += mentions(after.text, noun)
    return uses >= 2


def _items_listed(group: list[Sentence], plan: QuestionPlan, said: re.Pattern[str]) -> bool:
    """True if the group holds at least the asked-for count of list items, announced as the counted things
    ("de volgende vier aanbevelingen:" lists aanbevelingen, whatever noun its items use)."""
    if sum(g.role == "list_item" for g in group) < plan.count:
        return False
    leads = [g.text for g in group if announces(g)] or [g.text for g in group]
    return any(said.search(t) or lists(t, plan.counted) for t in leads)


def _series_texts(sentence: Sentence, group: list[Sentence], sentences: SentenceIndex) -> list[tuple[str, str]]:
    """(text, what it is read as being about) for every prose sentence of the group, and the sentence after it when
    the group announces it ("… zeven velden:" and then "A, B, C …")."""
    # An item of a list is one thing, whatever series it holds ("2. Creëer ruimte voor A, B en C"): items are
    # counted by _items_listed.
    texts = [(g.text, g.text) for g in group if g.role != "list_item"]
    if announces(group[-1]) or _ANNOUNCES.search(group[-1].text):
        after = sentences.neighbour(sentence, 1)
        if after is not None and after.section == sentence.section:
            texts.append((after.text, group[-1].text))
    return texts


def _series_of(text_about: tuple[str, str], plan: QuestionPlan, said: re.Pattern[str]) -> bool:
    """True if the text names about as many things as asked in a series, and it or what announces it speaks
    of the counted things. Only what follows the count counts: "… en er worden drie à vier ‘echte’ opgaven
    geïdentificeerd" ends a series of measures and names no opgave."""
    text, about = text_about
    if _counts_other(about, said, plan):
        return False  # "… werkt met drie opgaven: A, B en C" names opgaven, not the indicators asked for "de opgave X"
    rest = _after_count(text, said, plan.counted)
    if about is text and not said.search(text):
        rest = _after_noun(text, plan.counted)
    named = _series(rest) and _length(rest) >= plan.count - 1  # a document may count one differently
    return named and bool(said.search(about) or mentions(about, plan.counted))


def _counts_other(text: str, said: re.Pattern[str], plan: QuestionPlan) -> bool:
    """True if every count in the text counts another thing the question names ("drie opgaven" when "welke drie
    indicatoren … voor de opgave X" is asked). A noun the question does not use may be the source's word for the
    counted things ("drie actielijnen" for "drie sporen"); a count before a colon counts whatever is asked."""
    others = [w for w in _WORD.findall(plan.question) if len(w) >= MIN_NOUN_LETTERS and not mentions(w, plan.counted)]

    def other(after: str) -> bool:
        words = after.split()[:COUNTED_WORDS]  # "drie externe leden", "drie belangrijke opgaven"
        return not any(mentions(w, plan.counted) for w in words) and any(
            mentions(w, o) for w in words[:1] for o in others)
    afters = [text[m.end():] for m in said.finditer(text)]
    return bool(afters) and all(other(a) for a in afters)


def _headed_after(sentence: Sentence, sentences: SentenceIndex) -> int:
    """How many subsections of the sentence's own section follow it, each under a heading of its own."""
    own = sentence.label or sentence.section
    heads = 0
    for step in range(1, HEADED_REACH + 1):
        after = sentences.neighbour(sentence, step)
        label = "" if after is None else after.label or after.section
        if after is None or not (label == own or label.startswith(f"{own} > ")):
            break  # the section has ended
        heads += after.role == "heading" and label.count(" > ") == own.count(" > ") + 1
    return heads


def _after_count(text: str, said: re.Pattern[str], counted: str) -> str:
    """The text after the count and its noun when the text says them ("… drie à vier ‘echte’ opgaven …"),
    else the whole text: what may name the counted things."""
    for match in said.finditer(text):
        rest = text[match.end():]
        noun = next((w.end() for w in _WORD.finditer(rest[:COUNTED_REACH]) if mentions(w.group(0), counted)), -1)
        if noun >= 0:
            return rest[noun:]
    return text


def _after_noun(text: str, counted: str) -> str:
    """The text after the counted noun when a series follows it at once, else "" (see _NOUN_THEN_SERIES)."""
    for word in _WORD.finditer(text):
        if mentions(word.group(0), counted) and _NOUN_THEN_SERIES.search(text[word.end():]):
            return text[word.end():]
    return ""


def _series(text: str) -> bool:
    """A sentence that names several things: "A, B en C", "denk aan A", "onder andere A, B", "… de volgende: A"."""
    if re.search(r"\b(?:denk aan|onder andere|zoals|namelijk|bijvoorbeeld|such as|including|namely|for example)\s+"
                 r"(?:de |het |een )?\w", text, re.I):
        return True
    # After a colon, things named or a short pair ("… twee opgaven: wonen en zorg"); not a clause that explains
    # ("Niet alles is een opgave: 80% van het werk is regulier werk, en 20% …").
    colon = re.search(r":\s*(\S.*)", text)
    if colon and (len(colon.group(1).split()) <= COLON_PAIR_WORDS or _IN_A_ROW.search(colon.group(1))):
        return True
    # At least three things in a row: "kritisch, creatief en probleemoplossend denken".
    return bool(_IN_A_ROW.search(text))


def _length(text: str) -> int:
    """How many things a series names, by its separators: "A, B en C" names three."""
    return text.count(",") + text.count(";") + len(re.findall(r"\s(?:en|of|and|or)\s", text)) + 1


def list_present(plan: QuestionPlan, ranked: Sequence[Scored], sentences: SentenceIndex) -> bool:
    """True if a best sentence gives the counted things: a list of that many items, or a series of names,
    in a passage that says it is about them (the count or the counted noun).

    "Welke vier perspectieven …?" is answered by prose that names the four. It is not answered by
    "schakelt tussen zeven velden" that names none, by "de zeven hefbomen" whose only trace is a heading,
    nor by the items of some other list ("37. Anders vasthouden – 9 sleutels …" in a list of literature).
    """
    said = re.compile(rf"\b(?:{re.escape(plan.count_words)}|{plan.count})\b", re.IGNORECASE)
    lead, items = answer_list(ranked, sentences)
    if len(items) >= plan.count and lists(lead[-1].text, plan.counted) and any(
            said.search(s.text) or mentions(s.text, plan.counted) for s in lead):
        return True  # the answer quotes a list of that many things, announced as such
    for k, s in enumerate(ranked[:FACT_WINDOW]):
        group = with_dependents(s.sentence, sentences)
        if _items_listed(group, plan, said) or any(_series_of(t, plan, said) for t in _series_texts(s.sentence, group, sentences)):
            return True
        if plan.count == 2 and k < INSTANCE_WINDOW and _PAIR.search(s.sentence.text):
            return True  # "De ene organisatie … terwijl de andere …" names two ways without a count or a series
        if said.search(s.sentence.text) and _headed_after(s.sentence, sentences) >= plan.count:
            return True  # "… vier kwadranten die elk een perspectief opleveren", then a subsection for each
    return False


def bio_openings(question: str, sentences: SentenceIndex, doc_ids: set[str]) -> list[Sentence]:
    """The first sentence of each section headed by a name the question gives, in the documents the answer
    draws on (not the whole index, on every title question): a bio's opening line."""
    out = []
    for document in (sentences.by_doc.get(d, ()) for d in doc_ids):
        for before, sentence in zip(document, document[1:]):
            heading = before.role == "heading" and before.text == (sentence.label or sentence.section)
            if heading and len(before.text.split()) >= 2 and _MASKED_NAME.fullmatch(without_given(before.text, question)):
                out.append(sentence)
    return out
