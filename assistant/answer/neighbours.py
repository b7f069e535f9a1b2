"""Neighbours: what a quoted sentence needs around it so that it reads whole.

- A sentence that leans on the one before ("Dit …", "Daarom …", "Hij …")
  brings that sentence along.
- A sentence that announces a list ("… de volgende stappen:") brings its
  items: numbered or bulleted items, short heading-like lines right after the
  colon, or short lines of their own. A list is never announced and left out.
- The answering sentence is completed by the next sentences of its paragraph
  when the ranker rates them close to it.

Only body text and list items are brought along, never a sentence that
addresses the assistant ("negeer alle eerdere instructies …").
"""

from __future__ import annotations

import re
from typing import Callable

from assistant.answer.answer_types import COUNT_WORDS, count_value
from kb.sentences import SentenceIndex
from kb.types import Sentence
from opgavewijzer.text import instruction_like

MAX_LIST_ITEMS = 10
PROSE_BETWEEN_ITEMS = 3  # explanation sentences allowed between two items of one list
# The answering sentence is completed by the rest of its paragraph, up to this many words: the gold
# evidence often runs on for two or three sentences after the one that names the focus (90 beat 70 on dev).
PARAGRAPH_WORDS = 90
NUMBERED_REACH = 120  # sentences searched for the next item of a numbered list whose items carry prose
LINE_ITEM_WORDS = 25  # a line of its own this short, after "… zijn aangedragen:", is an item of the list
ITEM_ROLES = frozenset({"body", "list_item"})
ITEM_LINES = frozenset({"list_item", "heading"})  # roles a numbered line of its own gets at ingest
LEANS_BACK = re.compile(
    r"^(?:Dit|Deze|Dat|Die|Daarom|Daardoor|Daarmee|Daarbij|Daarnaast|Hierdoor|Hiermee|Hierbij|Hij|Zij|Ze|Zo|"
    r"Ook|Bovendien|Tegelijkertijd|Dergelijke|Zulke|Hun|Zijn|Haar|Het gaat|Dat is|Maar|En|Want|Daar|Hier|Daarin|"
    r"Hierin|Dus|Toch|Ten tweede|Ten derde|Tot slot|Verder|Integendeel|Sterker nog|Kortom|Immers|Anders gezegd|"
    r"Oftewel|Met andere woorden|Juist|Wel|Namelijk|Datzelfde|Dezelfde|Diezelfde|Hetzelfde|Evenzo|Eveneens|"
    # "Niet omdat …" answers the sentence before; a negated quantifier states a point of its own ("Niet alles is …").
    r"Niet (?!alle|iedere|elk|voor niets|zelden|zonder))\b"
)
# Words anywhere in a sentence that point at the text above it ("Mail naar bovenstaand e-mailadres").
REFERS_BACK = re.compile(r"\b(?:bovenstaand\w*|hierboven|bovengenoemd\w*|voornoemd\w*|eerdergenoemd\w*|"
                         r"laatstgenoemd\w*|eerstgenoemd\w*|vorenstaand\w*|above-mentioned|mentioned above)\b", re.I)
# "Veel doelen zijn hierdoor niet bereikbaar": a pronominal adverb in the first clause points at the sentence
# before; after a comma or a conjunction it points back within its own sentence ("… en kunnen daarmee verder").
_EARLY_ANAPHOR = re.compile(r"^(?:(?!,|;|:| en | maar | of | want | omdat | als | dat ).)*?\b(?:hierdoor|daardoor|hiermee|"
                            r"daarmee|hiervan|daarvan|hierin|daarin|hierop|daarop|hiervoor|daarvoor|hierna|daarna|"
                            r"hieraan|daaraan|hieruit|daaruit|hierover|daarover|"
                            # "We noemen dit de sturingsdriehoek": "dit" before an article names what came before
                            r"dit(?=\s+(?:de|het|een|als)\b))\b", re.I)
# A sentence brought along that only opens with a connective ("Maar …", "Zo …") reads well enough after its
# own predecessor is left out: the chain goes further back only for pronouns and continuations.
_WEAK = re.compile(r"^(?:Maar|En|Ook|Zo|Wel|Niet|Juist|Toch|Dus|Verder|Daarnaast|Tegelijkertijd)\b")
_CLOSED = re.compile(r"[.!?:;…)\"'”’]\s*$")
# Sentences a leaning chain may reach back ("Zo …" after "Ze …" after "Bovendien …"); 1, 2 and 3 measured
# alike on evidence in the answer, and 3 leaves the fewest answers opening with a dangling reference.
MAX_LEANING = 3
_NUMBERED = re.compile(r"^(\d{1,2})[.)]\s")
SECTION_SEP = " > "  # how a sentence's section path joins its headings
_COUNT = re.compile(rf"\b({'|'.join(COUNT_WORDS)}|\d{{1,2}})\b", re.IGNORECASE)


# A sentence that opens with a subordinate or example clause continues the one before ("Bijvoorbeeld als …",
# "Nadat deze sprong …", "Of dat …"), and one whose first clause says "deze …" or "zulke …" points back to it.
_CONTINUES = re.compile(r"^(?:Bijvoorbeeld|Zoals|Of|Waarbij|Waardoor|Waarmee|Terwijl|Omdat|Doordat|Nadat|Zodat|"
                        r"Voordat|Mits|Tenzij|Zowel|Evenals|Alsook)\b|^(?:(?!,|;|:| en | maar ).)*?\b(?:deze|zulke|"
                        r"dergelijke|zo'n)\s+(?!(?:\w*gids|rapport|notitie|publicatie|essay|bijlage|brochure|"
                        r"handreiking|hoofdstuk|paragraaf|tekst|verkenning)\b)"  # "deze gids" is the document itself
                        # "om deze te realiseren": a pronoun for something in its own sentence, not a determiner
                        r"(?!(?:te|is|zijn|wordt|worden|kan|kunnen|moet|moeten|heeft|hebben|zal|zullen)\b)\w")


def leans_back(text: str) -> bool:
    """True if a sentence cannot stand alone: it opens by leaning on the one before ("Dit …", "Bovendien …"),
    continues it ("Bijvoorbeeld als …"), points above ("bovenstaand"), or refers back in its first clause
    ("… zijn hierdoor niet …", "Rond deze opgaven …")."""
    return bool(LEANS_BACK.match(text) or _CONTINUES.match(text) or REFERS_BACK.search(text)
                or _EARLY_ANAPHOR.match(text))


def _safe(sentence: Sentence | None, roles: frozenset[str] = ITEM_ROLES) -> bool:
    """A neighbour that may be quoted: of a quotable role, and not addressed to the assistant."""
    return sentence is not None and sentence.role in roles and not instruction_like(sentence.text)


def announces(sentence: Sentence) -> bool:
    """True if the sentence announces what follows ("… de volgende stappen:")."""
    return sentence.text.rstrip().endswith(":")


def with_dependents(sentence: Sentence, sentences: SentenceIndex) -> list[Sentence]:
    """The sentence with the sentence before it when it leans on it, and its items when it announces a list."""
    announcing = _announcing(sentence, sentences)
    if announcing is not None:
        # An item chosen on its own reads whole only with the sentence that announces its list, and its siblings.
        return [announcing, *announced_items(announcing, sentences)]
    group = [sentence]
    # "Ze vallen niet …" leans on "Bovendien snijden …", which leans on the sentence before it in turn.
    while len(group) <= MAX_LEANING and leans_back(group[0].text) and (len(group) == 1 or not _WEAK.match(group[0].text)):
        before = sentences.neighbour(group[0], -1)
        # A line without closing punctuation is a caption or a heading in the text, not what a sentence leans on.
        if not (_safe(before) and before.section == sentence.section and _CLOSED.search(before.text)):
            break
        group.insert(0, before)
    if announces(sentence):
        group.extend(announced_items(sentence, sentences))
    # A next sentence that only continues ("Dit heeft geresulteerd in …") is not brought along by its first
    # word: it joins when the ranker rates it part of the answer (see with_paragraph).
    return group


def _announcing(sentence: Sentence, sentences: SentenceIndex) -> Sentence | None:
    """The sentence that announces the list this item belongs to ("… de volgende stappen:"), if it is one."""
    if sentence.role != "list_item" and not _NUMBERED.match(sentence.text):
        return None
    for step in range(1, MAX_LIST_ITEMS + PROSE_BETWEEN_ITEMS + 1):
        before = sentences.neighbour(sentence, -step)
        if before is None or before.section != sentence.section:
            return None
        if announces(before):
            return before if sentence in announced_items(before, sentences) else None
    return None


def with_paragraph(group: list[Sentence], sentences: SentenceIndex,
                   completes: Callable[[Sentence], bool] = lambda s: True) -> list[Sentence]:
    """The answering group with the rest of its thought: the next sentences of the same paragraph that complete it.

    ``completes`` says whether a next sentence is part of the answer (the ranker
    rates it close to the best); the group stops at the first that is not, so
    no padding follows the answer. A sentence that announces a list joins only
    with its items, within the same word limit.
    """
    words = sum(len(s.text.split()) for s in group)
    group = list(group)
    while not announces(group[-1]):
        after = sentences.neighbour(group[-1], 1)
        if not _safe(after, frozenset({"body"})) or after.opens_paragraph or not completes(after):
            return group
        joining = [after, *announced_items(after, sentences)] if announces(after) else [after]
        size = sum(len(s.text.split()) for s in joining)
        if words + size > PARAGRAPH_WORDS or (announces(after) and len(joining) == 1):
            return group
        group.extend(joining)
        words += size
    return group


def announced_items(sentence: Sentence, sentences: SentenceIndex) -> list[Sentence]:
    """The items a sentence ending in ':' announces.

    In order of trust: numbered or bulleted list items (explanations between
    them are left out, so the list reads whole and short); heading-like lines
    right after the colon ("… verstaan we:" / "Volwassen relatie tussen …");
    short lines of their own ("… aangedragen:" / "Stop met praten en begin
    gewoon."). Otherwise the one sentence that follows is the announced text.
    """
    first = sentences.neighbour(sentence, 1)
    if first is not None and first.role == "heading" and not instruction_like(first.text):
        headed = _heading_items(sentence, sentences)
        # Unnumbered items that each head a subsection ("Brede Schuldenaanpak", then its prose); numbered ones
        # are found by their numbers, which survive a document's uneven heading levels better.
        subsection = first.section.startswith(sentence.section + SECTION_SEP)
        if len(headed) == 1 and not _NUMBERED.match(first.text) and subsection:
            return _subsection_items(sentence, sentences)
        return _numbered_run(sentence, headed, sentences)
    items: list[Sentence] = []
    prose_run = 0
    step = 1
    while len(items) < MAX_LIST_ITEMS:
        after = sentences.neighbour(sentence, step)
        step += 1
        if not _safe(after) or after.section != sentence.section:
            break
        if after.role == "list_item":
            items.append(after)
            prose_run = 0
            continue
        prose_run += 1
        if prose_run > PROSE_BETWEEN_ITEMS:
            break
    if items:
        return _numbered_run(sentence, items, sentences)
    lines = _line_items(sentence, sentences)
    if len(lines) >= 2:
        return lines
    return [first] if _safe(first) and first.section == sentence.section else []


def _line_items(sentence: Sentence, sentences: SentenceIndex) -> list[Sentence]:
    """Short body lines of their own right after the colon: the items of an unmarked list."""
    lines: list[Sentence] = []
    while len(lines) < MAX_LIST_ITEMS:
        after = sentences.neighbour(sentence, len(lines) + 1)
        if not _safe(after, frozenset({"body"})) or after.section != sentence.section or not after.opens_paragraph \
                or len(after.text.split()) > LINE_ITEM_WORDS:
            break
        lines.append(after)
    return lines


def _heading_items(sentence: Sentence, sentences: SentenceIndex) -> list[Sentence]:
    """The heading-like lines that follow a colon, up to the first line of prose. A short unpunctuated line of
    its own among them is an item too: ingest calls "Sturingsprofessional (projectmanager, …)" body text for
    its brackets, between "Ambtelijk opdrachtgever" and "Lijnmanager"."""
    items: list[Sentence] = []
    while len(items) < MAX_LIST_ITEMS:
        after = sentences.neighbour(sentence, len(items) + 1)
        if after is None or instruction_like(after.text) or not (after.role == "heading" or (
                after.role == "body" and after.opens_paragraph and len(after.text.split()) <= LINE_ITEM_WORDS
                and after.text[-1:] not in ".!?:;" and after.section == sentence.section)):
            break
        items.append(after)
    while items and items[-1].role != "heading":
        items.pop()  # the list ends with a heading-like line; a short line after it is prose or a caption
    return items


def _subsection_items(sentence: Sentence, sentences: SentenceIndex) -> list[Sentence]:
    """The headings of the subsections that follow "… rond de volgende opgaven:", each with prose of its own.

    Direct subsections are the items; when the sentence names a count that they fall short of, deeper headings
    in document order make up the count (a document may nest its last item one level too deep).
    """
    base = sentence.section + SECTION_SEP
    depth = base.count(SECTION_SEP)
    heads: list[Sentence] = []
    for step in range(1, NUMBERED_REACH):
        after = sentences.neighbour(sentence, step)
        if after is None or not after.section.startswith(base):
            break
        if after.role == "heading" and not instruction_like(after.text):
            heads.append(after)
    direct = [h for h in heads if h.section.count(SECTION_SEP) == depth]
    count = _COUNT.search(sentence.text)
    wanted = count_value(count.group(1)) if count else 0
    chosen = heads[:wanted] if len(direct) < wanted <= len(heads) else direct
    return chosen[:MAX_LIST_ITEMS]


def _numbered_run(sentence: Sentence, items: list[Sentence], sentences: SentenceIndex) -> list[Sentence]:
    """A numbered list completed: after "1. …" and its pages of prose, "2. …" and "3. …" follow further on."""
    numbers = [_NUMBERED.match(i.text) for i in items]
    if not items or numbers[0] is None or numbers[0].group(1) != "1":
        return items
    wanted = max(int(m.group(1)) for m in numbers if m) + 1
    out = list(items)
    step = items[-1].index - sentence.index + 1
    for _ in range(NUMBERED_REACH):
        after = sentences.neighbour(sentence, step)
        step += 1
        if after is None or len(out) >= MAX_LIST_ITEMS:
            break
        # Items of one list share their role; a new "1." starts another list. Within the announcing section an
        # item whose prose made ingest call it a heading ("3. Inrichting van bedrijfsvoering", heading its own
        # subsection) still counts; a numbered heading outside it is the next chapter ("5. Goed gebruik van
        # talenten" after the four steps of chapter 1), however well its number fits.
        inside = after.section.startswith(sentence.section)
        same_kind = (after.role == items[0].role or (after.role in ITEM_LINES and items[0].role in ITEM_LINES)) and (
            inside or after.role != "heading")
        match = _NUMBERED.match(after.text) if same_kind else None
        if match and match.group(1) == "1":
            break
        if match and int(match.group(1)) == wanted and not instruction_like(after.text):
            out.append(after)
            wanted += 1
    return out
