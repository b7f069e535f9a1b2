"""What makes a sentence a key point of its document: named features with documented weights.

A key point is quoted alone, out of its paragraph, to someone who has not read
the document. So it must be a whole statement of the document's own view:
never an author bio, a colophon, a contents line or a link; never a sentence
about how the document was made ("In het tweede deel van het gesprek zijn we
…"); never one that leans on the sentence before ("Dit vraagt …"). Those are
hard filters (:func:`quotable`). Among the sentences that pass, the score
(:func:`point_score`) weighs meaning and position.

The weights were set by reading the five shipped guides and the guides of the
two added evaluation documents (one sentence per main chapter, or from the
document's own summary), not fitted: centrality carries the choice, position
and paragraph openings break near-ties, a long sentence is taken only when it
is clearly more central.
"""

from __future__ import annotations

import re
from itertools import takewhile
from typing import Sequence

from kb.types import Sentence

MIN_WORDS = 7  # shorter sentences are captions, slogans or headings that kept a full stop
MAX_WORDS = 45  # longer sentences would leave room for too few points in an answer of about 200 words
QUOTABLE_ROLES = frozenset({"body", "list_item"})

# Weights of the point score; the centralities are z-scores within the document.
W_DOCUMENT = 1.0  # closeness to what the whole document is about
W_PART = 0.6  # closeness to what its own chapter is about
W_OPENS = 0.35  # it opens a paragraph: where writers put their point
W_EARLY = 0.3  # among the first sentences of its chapter
W_LONG = 0.4  # per 10 words over LONG_WORDS: long sentences make long answers
W_SUMS_UP = 0.8  # it opens by summing up ("Kortom, …")
W_TERMS = 0.35  # per key term of the document it uses (at most MAX_TERM_HITS): it is about what sets the document apart
MAX_TERM_HITS = 2
W_HEADING = 0.3  # it uses a content word of its own headings: it says what its section is about
W_ANNOUNCED = 0.8  # an item of a list the document announces as its findings or recommendations
# It announces or describes the text itself ("In dit stuk deel ik …", "… heb je in mijn visie dus …"): a reader
# called such sentences wrappers, not points.
SELF = re.compile(r"\b(?:deze|dit|onze)\s+(?:\w+)?(?:gids|rapport|notitie|essay|stuk|verslag|bijlage|publicatie|rapportage|"
                  r"evaluatie|onderzoek|brief|handreiking|verkenning)\b|\bin mijn (?:visie|ogen)\b|\bhieronder\b", re.IGNORECASE)
W_ADDRESSED = 0.3  # it talks to the reader ("je", "iedereen snapt"): a key point states the document's view
ADDRESSED = re.compile(r"\b(?:je|jij|jouw|jullie|iedereen)\b", re.IGNORECASE)
LONG_WORDS = 26
EARLY_SENTENCES = 3

# Headings of sections that are furniture as a whole: never a key point.
FURNITURE_HEADING = re.compile(
    # "Colofon en over de auteurs", "Dankwoord en verantwoording": a furniture word opens the heading.
    r"^(?:\d+[.)]?\s*)?(?:colofon\b.*|dankwoord\b.*|inhoud|inhoudsopgave|over (?:de|het|deze) \w+|over \w+|about \w+|"
    r".*\b(?:over de auteurs?|about the authors?)|"
    r"literatuur(?:lijst)?|bronnen(?:lijst)?|noten|eindnoten|voetnoten|referenties|references|acknowledg\w*|"
    r"begrippenlijst|woordenlijst|verklarende woordenlijst|afkortingen\w*|bijlage\b.*|appendix\b.*|"
    r"colophon|contents|table of contents|wat doet\b.*|wie (?:zijn|is)\b.*|over ons)$", re.IGNORECASE)
# Headings of the document's own summary (it sums up the whole document) ...
SUMMARY_HEADING = re.compile(r"\b(?:samenvatting|managementsamenvatting|kernboodschap\w*|in het kort|summary|"
                             r"executive summary|key messages)\b|" + r"\((?:hoofdstuk|chapter) \d+\)", re.IGNORECASE)
# "Opgaven (hoofdstuk 2)": a reading guide that sums up each chapter under its name, so a summary too (above).
NAMES_CHAPTER = re.compile(r"\((?:hoofdstuk|chapter) \d+\)\s*$", re.IGNORECASE)
# ... and of its conclusions or recommendations (they close it).
CONCLUSION_HEADING = re.compile(r"\b(?:conclusies?|hoofdconclusie|deelconclusies|aanbevelingen|slotbeschouwing|tot slot|"
                                r"lessen|conclusions?|recommendations|key findings)\b", re.IGNORECASE)
# How the document was made, not what it says. (What interviewees said is a finding, not a method.)
METHOD = re.compile(
    r"\b(?:literatuuronderzoek (?:gedaan|uitgevoerd|verricht)|zijn geïnterviewd|(?:interviews|gesprekken) (?:gehouden|"
    r"gevoerd|afgenomen)|gesprekspartners|deskresearch|onderzoeksvra\w+|vragenlijst\w*|enquête\w*|respondenten|"
    r"methode|methodologie|leeswijzer|te werk gegaan|deel van het gesprek|is (?:er )?teruggekeken|bij de (?:interviews|gesprekken)|"
    r"in (?:dit|het volgende|het vorige) hoofdstuk|in deze (?:paragraaf|notitie|bijlage)|hoofdstuk \d|paragraaf \d|"
    r"zie (?:pagina|hoofdstuk|paragraaf|bijlage|figuur|tabel)|figuur \d|tabel \d|pagina \d|"
    r"(?:hebben|zijn) (?:we|wij) (?:\w+ ){0,4}(?:gesproken|gevraagd|geïnterviewd|bekeken|nagegaan))\b",
    re.IGNORECASE)
# A sentence that sums up what came before ("Kortom, …"): the writer's own summary of a chapter.
SUMS_UP = re.compile(r"^(?:Kortom|Samenvattend|Samengevat|Concluderend|Al met al|In de kern|In essentie|De kern)\b")
# The sentence that announces a list of the document's own conclusions or recommendations ("… de volgende vier
# aanbevelingen geformuleerd:"): its items are summary points, wherever they stand.
ANNOUNCES_SUMMARY = re.compile(r"\b(?:aanbeveling\w*|conclusies?|lessen|kernpunten|hoofdpunten|bevindingen|"
                               r"recommendations|conclusions|lessons)\b.*:\s*$", re.IGNORECASE)
# A person's bio or an institute's blurb.
BIO = re.compile(
    r"\b(?:werkzaam (?:bij|als)|studeerde|gepromoveerd|promoveerde|bijzonder hoogleraar|hoogleraar|"
    r"(?:zijn|haar) functie|is (?:als \w+ )?verbonden aan|onderwijs- en onderzoeksinstituut|met dank aan|"
    r"hartelijk dank|is opgesteld door|werd opgesteld door|auteur van)\b|"
    # "Naast verschillende opleidingen is hij bij de NSOB Denktank verantwoordelijk voor …": a person's work
    r"\b(?:is|was) (?:hij|zij)\b|\b(?:hij|zij) (?:is|was|werkt|werkte|houdt zich)\b|^Naast (?:zijn|haar)\b", re.IGNORECASE)
# Link text, contact lines and contents entries.
NAVIGATION = re.compile(r"https?://|\bwww\.|@[\w.-]+\.\w+|\bklik hier\b|\binhoudsopgave\b|\.{4,}|→", re.IGNORECASE)
# The sentence cannot stand alone: it leans on the one before ("Dit …", "Daarnaast …", "Ten tweede …").
LEANS_BACK = re.compile(
    r"^(?:Dit|Deze|Dat|Die|Daarom|Daardoor|Daarmee|Daarbij|Daarnaast|Daarin|Daar|Hierdoor|Hiermee|Hierbij|Hierin|"
    r"Hier|Hij|Zij|Ze|Zo|Ook|Bovendien|Tegelijkertijd|Tegelijk|Dergelijke|Zulke|Hun|Zijn|Haar|Maar|En|Want|Dus|Toch|"
    r"Ten (?:eerste|tweede|derde|vierde)|Tot slot|Verder|Kortom|Immers|Namelijk|Wel|Juist|Echter|Evenmin|"
    r"Bijvoorbeeld|Zoals|Waarbij|Waardoor|Terwijl|Omdat|Doordat|Zodat|Nadat|Voordat|Eveneens|Tevens|Naarmate|"
    r"De belangrijkste is|Het klinkt|It|This|These|They|He|She|But|Also)\b|"
    r"\b(?:daarvan|daardoor|hierdoor|(?:gaat|ging|draait) het (?:over|om))\b|\b(?:bovenstaand\w*|hierboven|bovengenoemd\w*|voornoemd\w*)\b|"
    # "… zijn hierdoor niet …", "Nadat deze sprong …": a pointer back in the first clause
    r"^(?:(?!,|;|:| en | maar ).){0,70}?\b(?:hierdoor|daardoor|hiermee|daarmee|hierin|daarin|echter|dus)\b|"
    # "… met deze voorstellen": a demonstrative before a noun points at what came before (not "deze notitie")
    r"\b(?:deze|zulke|dergelijke)\s+(?!(?:\w*gids|rapport|notitie|publicatie|essay|bijlage|handreiking|verslag|brief|"
    r"rapportage|evaluatie|memo|document)\b)[^\W\d_]")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
BULLET = re.compile(r"^[-•*–▪◦]\s+")  # a list item's bullet: not part of what the item says


def words(text: str) -> int:
    """Words of a sentence."""
    return len(_WORD.findall(text))


def section_parts(sentence: Sentence) -> list[str]:
    """The headings of the sentence's own section path, top first."""
    label = sentence.label or sentence.section
    return [p.strip() for p in label.split(" > ") if p.strip()]


def in_furniture(sentence: Sentence) -> bool:
    """True if the sentence stands in a colophon, a contents list, a bio section, the notes or an appendix."""
    return any(FURNITURE_HEADING.match(p) for p in section_parts(sentence))


def own_summary(sentence: Sentence) -> str:
    """"summary" or "conclusion" when the sentence stands under such a heading of the document's own, else ""."""
    parts = section_parts(sentence)
    if any(SUMMARY_HEADING.search(p) for p in parts):
        return "summary"
    return "conclusion" if any(CONCLUSION_HEADING.search(p) for p in parts) else ""


RECOMMENDS = re.compile(r"\b(?:aanbeveling\w*|adviezen|advies|recommendations?)\b", re.IGNORECASE)
ITEM_NUMBER = re.compile(r"^\d{1,2}[.)]\s")  # "4. Ontwikkel …": an item that means something only in its list
MAX_RECOMMENDATIONS = 9


def recommendation_list(sentences: Sequence[Sentence]) -> list[Sentence]:
    """The document's own recommendations, whole: a list announced as such, its lead-in first ("… de volgende vier
    aanbevelingen geformuleerd:"); else what stands under a heading that says so. Empty when it has none."""
    for i, s in enumerate(sentences):
        if s.role != "list_item" and s.text.rstrip().endswith(":") and RECOMMENDS.search(s.text):
            items = list(takewhile(lambda x: x.role == "list_item", sentences[i + 1:]))
            if len(items) >= 2:
                return [s, *items][:MAX_RECOMMENDATIONS + 1]
    under = [s for s in sentences if s.role in QUOTABLE_ROLES and not in_furniture(s)
             and any(RECOMMENDS.search(p) for p in section_parts(s))]
    return under[:MAX_RECOMMENDATIONS + 1]


def quotable(sentence: Sentence) -> bool:
    """True if the sentence may be a key point: a whole statement of the document's own, standing alone."""
    text = BULLET.sub("", sentence.text.strip())
    n = words(text)
    ends = ".!;" if sentence.role == "list_item" else ".!"  # an item of a list may end in a semicolon
    return (sentence.role in QUOTABLE_ROLES and MIN_WORDS <= n <= MAX_WORDS and text[-1:] in ends
            and not text.endswith("...") and not in_furniture(sentence) and not METHOD.search(text)
            and not BIO.search(text) and not NAVIGATION.search(text) and not LEANS_BACK.search(text)
            and not SELF.search(text)
            and (text[:1].isupper() or text[:1].isdigit()))


def point_score(doc_z: float, part_z: float, sentence: Sentence, rank_in_part: int, term_hits: int = 0,
                heading_hit: bool = False, announced: bool = False) -> float:
    """How well a quotable sentence sums up its document and its chapter (higher is better)."""
    n = words(sentence.text)
    return (W_DOCUMENT * doc_z + W_PART * part_z + W_OPENS * sentence.opens_paragraph
            + W_EARLY * (rank_in_part < EARLY_SENTENCES) - W_LONG * max(0, n - LONG_WORDS) / 10
            + W_SUMS_UP * bool(SUMS_UP.match(sentence.text)) + W_TERMS * min(term_hits, MAX_TERM_HITS)
            + W_HEADING * heading_hit + W_ANNOUNCED * announced - W_ADDRESSED * bool(ADDRESSED.search(sentence.text)))


def content_words(text: str) -> set[str]:
    """The lower-cased words of at least five letters (a cheap stand-in for content words in both languages)."""
    return {w.lower() for w in _WORD.findall(text) if len(w) >= 5}
