"""What a situation says that a leeropdracht can build on: the opgave, the people involved, the sore point.

A learner describes the situation in a sentence or three ("Ik ben
programmamanager sociaal domein (armoede en schulden) en heb een mooi
doelen-inspanningen-netwerk, maar partners haken af."). The exercise is to be
a concrete action in *that* opgave, with *those* people, on *that* point,
so three things are read from it with plain rules (no language model):

* the opgave: "de opgave energietransitie", "de woningbouwopgave in onze
  regio", "de herinrichting van ons stationsgebied";
* the people: "partners", "drie afdelingshoofden", "woningcorporaties",
  "bewoners";
* the sore point: the clause after "merk dat", "ben bang dat", "terwijl",
  "maar", or a sentence in which others complain, want or hold back; kept in
  the user's own words, as a clause after "dat" or after a colon.

What cannot be read stays empty, and the texts fall back to "mijn opgave".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.leeropdracht.person import without_dangling_place
from assistant.leeropdracht.phrasing import FUNCTION_WORDS, circumstances, finite_verb, is_noun_phrase
from opgavewijzer.text import detect_language


_HEADS = "opgave|programma|project|aanpak|verkenning|pilot|transitie|traject|gebiedsontwikkeling|wijk|gebied"
_STOP = (r"(?:en|maar|terwijl|waar|waarbij|die|dat|wie|om|omdat|want|op|bij|met|voor|aan|naar|wil|moet|is|zijn|wordt|worden|ben|"
         r"heb|sinds|zonder|te|tot|goed|beter|samen|nog|niet|al|ook|wel|er|zo|dan|daar|hier|echt|heel|erg|nu|steeds|vaak|"
         r"weer|loopt|gaat|staat|komt|ik|we|wij|je|u|hij|zij|ze)")
_WORDS = r"[\wà-ÿ'-]+"
_TOPIC = rf"(?!{_STOP}\b|van\b){_WORDS}(?:\s+(?!{_STOP}\b){_WORDS}){{0,5}}"
_NAMED = re.compile(rf"\b(?P<det>de|het|een|onze|mijn|ons)\s+(?P<adj>(?:[a-zà-ÿ-]+e\s+)?)(?P<head>{_HEADS})\b(?:\s+(?P<topic>{_TOPIC}))?",
                    re.IGNORECASE)
_COMPOUND = re.compile(
    rf"\b(?:(?P<det>de|het|een|onze|mijn|ons)\s+(?P<adj>(?:[a-zà-ÿ-]+e\s+)?))?(?P<word>[\wà-ÿ-]+(?:{_HEADS}))\b"
    rf"(?P<rest>\s+(?:in|van|voor|rond)\s+[\wà-ÿ'-]+(?:\s+(?!{_STOP}\b)[\wà-ÿ'-]+){{0,3}})?", re.IGNORECASE)
_NOMINAL = re.compile(r"\b(?:van|aan|bij|in)\s+(?P<np>(?:de|het|ons|onze)\s+[\wà-ÿ-]+ing\s+van\s+(?:de|het|ons|onze)\s+[\wà-ÿ-]+)", re.IGNORECASE)
# "opgavemanager Klimaat", "programmaleider Armoede": a role that runs an opgave, named after it (a team
# leader's "Vergunningen" or a wethouder's "Wonen" is a department or a portfolio, not an opgave).
_TOPIC_AFTER_ROLE = re.compile(r"\b(?:opgave|programma|project)[\wà-ÿ&-]*(?:manager|leider|regisseur|houder)\s+(?P<topic>[A-Z][\wà-ÿ-]+)")
_TOPIC_IN_BRACKETS = re.compile(r"\b(?:opgave|programma|project)[\wà-ÿ&-]*(?:manager|leider|regisseur|houder)\b[^().]{0,40}\((?P<topic>[^()]{3,40})\)")
# A verb at the end of a clause that starts with a relative pronoun or follows a modal ("wil … volgen").
_RELATIVE = re.compile(r"\b(?:die|dat|wie|waar|wil|wilt|willen|moet|moeten|kan|kunnen|ga|gaan)\b", re.IGNORECASE)
_ACTOR = re.compile(
    r"\b(?P<np>(?:(?:de|het|onze|mijn|drie|twee|vier|vijf|meerdere|andere|alle|veel|externe|betrokken)\s+)*"
    r"(?:[a-zà-ÿ-]+e\s+)?"
    r"[\wà-ÿ'-]*(?:partners|partijen|corporaties|organisaties|hoofden|managers|bewoners|inwoners|ondernemers|aanbieders|"
    r"collega's|medewerkers|instellingen|gemeenten|directies|bestuurders|ouderen|jongeren|werkvloer|topmanagement|"
    r"(?<=mijn )mensen|(?<=zijn )mensen|(?<=wiens )mensen|(?<=onze )mensen|Staten|ketenpartners|opgavehouders|raadsleden))\b",
    re.IGNORECASE)
_SELF_NAMING = frozenset("verkenning pilot transitie traject gebiedsontwikkeling wijk gebied".split())
_NUMBERS = frozenset("twee drie vier vijf zes zeven acht negen tien".split())
_PLURAL_END = re.compile(r"(?:s|en|'s)$")
_ENGLISH_REQUEST = re.compile(r"\b(?:learning (?:assignment|task)|write|make|draft|could you|can you|please)\b", re.IGNORECASE)
_COMPLAINT_EN = re.compile(r"\b(?:but|while|struggle|hard|difficult|drop|keep|not|don't|doesn't|won't|tension|conflict)\b",
                           re.IGNORECASE)
_DAT_CUE = re.compile(r"\b(?:merk(?:en)?|(?:ben|zijn) bang|zie(?:n)?)\s+dat\s+", re.IGNORECASE)
_REQUEST = re.compile(r"\bleeropdracht\w*|\b(?:maak|schrijf|stel|help)\b", re.IGNORECASE)
_SUBORDINATE = re.compile(r"\b(?:terwijl|omdat|doordat)\s+", re.IGNORECASE)
_CONTRAST = re.compile(r"(?:,\s*|\s)maar\s+", re.IGNORECASE)
_COMPLAINT = re.compile(
    r"\b(?:klagen|klaagt|haken|haakt|afhaken|kloof|botst|botsen|voorgaat|bewegen niet|niet mee|willen|wil|lukt|passen slecht|"
    r"weinig|lastig|moeilijk|spanning|snel|tegelijk|steeds|vooral|terug|weet niet|terwijl|maar|verkiezingen|deadline|"
    r"binnenkort|moet leren|wil leren|leren|vast|lastig vind)\b", re.IGNORECASE)


# The tensions of opgavegericht werken that the five documents discuss under their own words
# (eigenaarschap, lijn en opgave, politiek, werkwijze, klant en leefwereld, verantwoorden, werkvloer,
# ondersteunende systemen, vertrouwen, talent, van buiten naar binnen). A learner names them in
# everyday words; each pattern below adds the documents' words to the search, so that "partners haken
# af" also finds the passages about gedeeld eigenaarschap. Chosen by reading the documents' chapter
# and section headings, not the evaluation requests; the English words are the same tensions as an English
# request names them (its challenge is never pasted into the Dutch draft, so the tension is all it gives).
_THEMES: tuple[tuple[str, str], ...] = (
    (r"haken af|afhaken|haakt af|draagvlak|betrokken(?:heid)?|doen niet mee|samenwerk|partners|drop(?:ping)? out|stakeholders", "gedeeld eigenaarschap samenwerking partners trekker"),
    (r"lijnwerk|lijn\b|afdeling|productie|capaciteit|eigen team|mijn mensen|lijnmanagement|capacity|my staff|line work", "spanning lijn opgave schakelen capaciteit"),
    (r"politiek|verkiezing|coalitie|college|raad\b|staten|bestuurlijk|wethouder|gedeputeerde|council|alderm[ae]n|"
     r"election|quick wins?|politic", "politiek verkiezingen lange termijn"),
    (r"planning|budget|plan\b|verandert|omgeving|onvoorspelbaar|verkenning|nog geen", "werkwijze wisselen aanpak veranderen zoekproces"),
    (r"bewoners|inwoners|burgers|ouderen|klant|doelgroep|ondernemers|residents|citizens|meepraten|inspraak|participatie", "klant leefwereld betrekken behoefte"),
    (r"rapport|verantwoord|monitor|begroting|meetbaar|kpi|cijfers|control|lawful|accountab|spent|reporting", "verantwoorden evalueren monitoring systemen"),
    (r"kloof|werkvloer|topmanagement|directie|management", "werkvloer topmanagement betrekken voorbeeldgedrag"),
    (r"regels|procedure|inkoop|inkop|aanbested|systemen|bedrijfsvoering|ict|systems|rules|procurement", "ondersteunende systemen bedrijfsvoering regels"),
    (r"vertrouwen|conflict|wantrouwen|spanning|trust", "vertrouwen"),
    (r"medewerkers|talent|ontwikkel|competenties|gedrag|hr\b|p&o", "talent medewerkers ontwikkelen gedrag"),
    (r"beleidsnota|nota|bureau|beleid\b|komen weinig buiten", "van buiten naar binnen ga naar buiten"),
    (r"vakinhoudelijk|technisch|kwaliteit|optimaal|vakkennis|ontwerp|principes|richtlijnen|design|technical|standards", "vak-trots passende oplossing netwerk"),
    (r"regeerakkoord|minister|ministerie|kabinet", "regeerakkoord politieke opdracht"),
)


def ranked_themes(text: str) -> list[str]:
    """The documents' words of each tension the text names, the one it names most often first."""
    low = (text or "").lower()
    counts = [(len(re.findall(pattern, low)), i, words) for i, (pattern, words) in enumerate(_THEMES)]
    return [words for n, _, words in sorted(counts, key=lambda c: (-c[0], c[1])) if n]


def theme_words(text: str) -> str:
    """The documents' own words for the tensions the text names in everyday words."""
    low = (text or "").lower()
    return " ".join(words for pattern, words in _THEMES if re.search(pattern, low))


@dataclass(frozen=True)
class Situation:
    """What the situation text says; empty fields where it says nothing readable."""

    text: str
    opgave: str = ""  # the subject: "de opgave energietransitie" (always a noun phrase, see phrasing.is_noun_phrase)
    actors: tuple[str, ...] = ()  # "partners", "drie afdelingshoofden"
    point: str = ""  # the challenge, in the user's words
    point_is_clause: bool | str = False  # True: a clause after "dat"; "fear": one after "bang … dat"; False: a sentence
    circumstances: tuple[str, ...] = ()  # names of phrasing.CIRCUMSTANCES: "new", "on_the_side", "ministry"
    point_is_quote: bool = False  # True: the challenge is not in Dutch and is quoted as the user wrote it
    own_opgave: bool = True  # False for a role that serves opgaven without working on one (a manager, an HR adviser)

    def where(self, group: bool = False) -> str:
        """"de opgave energietransitie", or when none is named "de opgave waaraan ik werk" (for a role without an
        opgave of its own "het opgavegerichte werk in mijn organisatie"); singular: the templates say
        "… voorop staat", "… verder helpt"."""
        if self.opgave:
            return self.opgave
        if not self.own_opgave:
            return "het opgavegerichte werk in onze organisatie" if group else "het opgavegerichte werk in mijn organisatie"
        return "de opgave waaraan wij werken" if group else "de opgave waaraan ik werk"

    def people(self) -> str:
        """The people involved, joined ("partners en bewoners"); empty when none are named."""
        names = list(self.actors[:3])
        return names[0] if len(names) == 1 else (", ".join(names[:-1]) + " en " + names[-1] if names else "")


def _det(det: str | None) -> str:
    det = (det or "").lower()
    return "de" if det in ("", "een") else det


def _strip_verb(topic: str, before: str) -> str:
    """Drop the verb that ends a subordinate clause ("… die de opgave aardgasvrije wijken ondersteunt")."""
    words = topic.split()
    if len(words) > 1 and _RELATIVE.search(before) and re.search(r"(?:t|en)$", words[-1]) and words[-1].islower():
        words = words[:-1]
    while words and words[-1].lower() in ("op", "aan", "af", "mee", "uit", "in", "over", "samen"):
        words = words[:-1]  # a separable particle: "… oppakt" split off as "… op"
    return " ".join(words)


def _opgave(text: str, role_words: set[str]) -> str:
    """The opgave the situation names, as a noun phrase with its article."""
    for m in _NAMED.finditer(text):
        topic = _strip_verb(m.group("topic") or "", text[max(0, m.start() - 80):m.start()])
        while topic and (finite_verb(topic.split()[-1]) or topic.split()[-1].lower() in FUNCTION_WORDS):
            topic = " ".join(topic.split()[:-1])  # "die de opgave trekt": the verb is no part of the name
        phrase = f"{_det(m.group('det'))} {m.group('adj') or ''}{m.group('head').lower()} {topic}".replace("  ", " ").strip()
        # "de opgave" or "het programma" alone names nothing; "de verkenning", "de pilot" do.
        named = bool(topic) or m.group("head").lower() in _SELF_NAMING
        if named and topic.lower() not in role_words and is_noun_phrase(phrase):
            return phrase
    m = _NOMINAL.search(text)
    if m and is_noun_phrase(m.group("np")):
        return m.group("np")
    for m in _COMPOUND.finditer(text):
        word = m.group("word")
        if word.lower() in role_words or word.lower().endswith(("opgaven", "programmamanager")):
            continue
        phrase = f"{_det(m.group('det'))} {m.group('adj') or ''}{word}{m.group('rest') or ''}".strip().replace("  ", " ")
        if is_noun_phrase(phrase):
            return phrase
    m = _TOPIC_AFTER_ROLE.search(text) or _TOPIC_IN_BRACKETS.search(text)
    if m:
        return f"de opgave {m.group('topic')}"
    return ""


def _actors(text: str, role_words: set[str]) -> tuple[str, ...]:
    found: list[str] = []
    for m in _ACTOR.finditer(text):
        phrase = " ".join(m.group("np").split())
        last = phrase.split()[-1].lower()
        if any(last.startswith(w) or w.startswith(last.rstrip("s")) for w in role_words):
            continue  # the learner's own role in the plural ("ons team van vijf beleidsadviseurs")
        if phrase.split()[0].lower() in _NUMBERS:
            phrase = "de " + phrase  # "met drie afdelingshoofden" … "van de drie afdelingshoofden": the same three
        if phrase.lower() == "mensen":
            phrase = "mijn mensen"  # "mijn mensen", "wiens mensen": the learner's own people
        if not re.match(r"(?:mijn|onze)\s+(?:mensen|medewerkers|collega's)", phrase, re.IGNORECASE):
            phrase = re.sub(r"^(?:onze|mijn)\s+", "de ", phrase, flags=re.IGNORECASE)
        words = phrase.split()
        if len(words) == 1 and not _PLURAL_END.search(phrase):
            continue  # a bare singular ("werkvloer") needs an article the user did not give: left out
        if not (len(words) > 1 and words[1][:1].isupper()):
            phrase = phrase[:1].lower() + phrase[1:]  # "Bewoners" opened a sentence; "Provinciale Staten" keeps its capitals
        if phrase.lower() not in (f.lower() for f in found):
            found.append(phrase)
    return tuple(found)


def _pieces(text: str) -> list[str]:
    """Sentences and semicolon parts, also where a lower-case sentence follows a full stop."""
    return [p.strip() for p in re.split(r"(?<=[.!?;])\s+", text) if p.strip()]


def _point(text: str) -> tuple[str, bool]:
    """The sore point: (clause, True) to read after "dat", or (sentence, False) to read after a colon."""
    pieces = [p for p in _pieces(text) if not _REQUEST.search(p)]
    for piece in pieces:
        cue = _DAT_CUE.search(piece)
        if cue:
            return piece[cue.end():].rstrip(" .?!;"), "bang" not in cue.group().lower() or "fear"
    scored = [(len(_COMPLAINT.findall(p)), p) for p in pieces if _COMPLAINT.search(p)]
    if scored:
        piece = max(scored, key=lambda sp: sp[0])[1]
        contrast = _CONTRAST.search(piece)
        if contrast and _COMPLAINT.search(piece[contrast.end():]):
            piece = piece[contrast.end():]
        elif re.match(r"(?:een|als)\b", piece, re.IGNORECASE):
            sub = _SUBORDINATE.search(piece)  # "Een projectleider die …, terwijl de omgeving verandert"
            return (piece[sub.end():].rstrip(" .?!;"), True) if sub else ("", False)
        return piece.rstrip(" .?!;"), False
    return "", False


def read_situation(text: str, role_words: set[str] = frozenset()) -> Situation:
    """Read ``text``; ``role_words`` are the learner's own role names, never taken for the opgave or the people.

    A situation in English gives no Dutch noun phrases: its challenge is quoted as written, the rest left to
    the templates' own words."""
    text = " ".join((text or "").split())
    if not text:
        return Situation("")
    found = circumstances(text)
    if detect_language(text) == "en":
        pieces = [p for p in _pieces(text) if not _REQUEST.search(p) and not _ENGLISH_REQUEST.search(p)]
        point = max(pieces, key=lambda p: len(_COMPLAINT_EN.findall(p)), default="").rstrip(" .?!;")
        contrast = re.search(r",?\s+(?:but|while|although)\s+", point, re.IGNORECASE)
        if contrast and _COMPLAINT_EN.search(point[contrast.end():]):
            point = point[contrast.end():]  # "I am a programme manager …, but the partners keep dropping out"
        return Situation(text, point=point, circumstances=found, point_is_quote=bool(point))
    roles = {w.lower() for w in role_words}
    point, clause = _point(text)
    point = without_dangling_place(point)  # "dat ik daar …": the place stays behind in the user's text
    words = point.split()
    if point and not clause and not (len(words) > 1 and words[1][:1].isupper()):
        point = point[:1].lower() + point[1:]  # a sentence that follows a colon; "Provinciale Staten" keeps its capitals
    return Situation(text, _opgave(text, roles), _actors(text, roles), point, clause, found)
