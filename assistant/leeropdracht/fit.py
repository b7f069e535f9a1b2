"""Whether a sentence of the sources may support a leeropdracht: the kinds of sentence that never do.

A "houvast" or reflection quote must say something about the role or the
situation. Some sentences share the situation's words and still say nothing
to the learner; they are left out whatever their score:

* a *definition* of the document's terms ("In deze inspiratiegids bedoelen
  we hiermee …", "We noemen dit de sturingsdriehoek", "de zogenaamde …");
* a sentence *about the document itself* ("In de volgende pagina's werken we
  deze uit", "zie pagina 31") or how its study was done ("is er teruggekeken
  in de archieven", "in de gesprekken gehoord");
* a sentence under a *heading that is no chapter* (a table of contents, a
  colophon): the label would mislead;
* a sentence about *another case* ("Feitelijk heeft de ambtelijk
  opdrachtgever hier de rol van opgavemanager", "Bij kleine gemeenten …"),
  unless the situation names that case (a sentence about a ministry or a province too, for someone who
  does not work at one);
* a sentence that is *not whole on its own*: it points at a figure ("zo aan
  tafel"), leans on what came before ("Met andere woorden, …", "… heeft echter …", "Daaraan wordt
  toegevoegd …", "dergelijke voorbeelden") or announces
  a list it does not hold ("… heeft in essentie drie rollen te vervullen.");
* a sentence about *another role* of the guide that does not name the
  learner's own (:class:`Fit`);
* a sentence whose *subject is staff* ("Opgavegericht werken vraagt ook om ander gedrag van medewerkers"),
  for an elected official (:attr:`Fit.elected`): it is about another audience;
* a sentence that *lists names* (organisations, programmes: :data:`NAMES_MAX` or more in mid-sentence):
  it describes one case's cast, not what to do.

These are kinds of sentence in any Dutch policy text, named here once; the
patterns were written from drafts whose quotes did not support them, and
checked against the role texts so that no profile sentence matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DEFINITION = re.compile(
    r"\b(?:bedoelen (?:we|wij)|bedoelen hiermee|(?:verstaan|noemen) (?:we|wij)|wordt (?:hier(?:mee)? )?bedoeld|"
    r"(?:we|wij) spreken (?:hier )?van|spreken van .{0,40}, dan bedoelen|definitie|definiëren|zogenaamde|zogeheten)\b",
    re.IGNORECASE)
_ABOUT_ITSELF = re.compile(
    r"\b(?:(?:deze|onze) (?:inspiratiegids|gids|publicatie|bijlage|paragraaf|notitie)|(?:dit|ons) (?:rapport|essay|verslag|"
    r"document|hoofdstuk|onderzoek)|in de volgende pagina|op de volgende pagina|pagina \d+|zie instrument|zie bijlage|"
    r"hieronder|hierboven|volgende hoofdstuk|vorige hoofdstuk|werken we (?:deze|dit|die) uit|"
    # how the document's own study was done ("is er teruggekeken in de archieven", "in de gesprekken gehoord")
    r"teruggekeken in|geïnterviewd|geraadpleegde|gesprekken gevoerd|in de gesprekken (?:\w+ ){0,4}(?:gehoord|gezien))\b",
    re.IGNORECASE)
NAMES_MAX = 4
_NAME = re.compile(r"(?<=[\w,)] )[A-Z][\w-]+")
# A sentence that points at a figure or table, or leans on what came before it, says little on its own.
_POINTS_ELSEWHERE = re.compile(
    r"\b(?:figuur|tabel|afbeelding|plaatje|schema|zo aan tafel|zoals afgebeeld|zie onder)\b|^(?:Met andere woorden|Kortom|"
    r"Kort samengevat|Samengevat|Oftewel|Anders gezegd|Daarnaast|Tot slot|Ten eerste|Ten tweede|Enerzijds|Anderzijds|"
    r"Bijvoorbeeld|Of|Waarbij|Waardoor|Zoals|Want|Ook|Daaraan|Daarop|Daarin|Daarvoor|Hieraan|Hierop|Hierin|Hierbij|"
    r"Hiervoor|Als gevolg (?:daarvan|hiervan))\b|^[^.]{0,40}\b(?:deze|die) rol(?:len)?\b|"
    # a subject that points back ("Het doel van deze methoden …")
    r"^(?:[\wÀ-ÿ]+\s+){0,3}(?:van\s+)?(?:deze|dit)\s+(?!inspiratiegids|gids|rapport|essay)\w+|"
    r"\b(?:echter|dus|daarom|bovendien|daarentegen|namelijk|dergelijke|zulke|voornoemde|bovenstaande|voorgaande|"
    r"vergelijkbaar|vergelijkbare)\b",
    re.IGNORECASE)
# A sentence that announces a list it does not hold ("… heeft in essentie drie rollen te vervullen.").
_ANNOUNCES = re.compile(r"\b(?:twee|drie|vier|vijf|zes|zeven)\s+(?:\w+\s+)?(?:rollen|punten|stappen|elementen|vragen|"
                        r"werkwijzen|bouwstenen|modellen|lessen)\b(?:\s+te\s+\w+)?\s*[.:]$|\b(?:de volgende|als volgt)\b",
                        re.IGNORECASE)
# Kinds of organisation a sentence can be about; one about a ministry or a province fits only someone who works
# at one (the guide's own setting, the municipality, is everyone's frame of reference).
_ORGANISATIONS = (
    re.compile(r"\b(?:ministerie|ministeries|departement|rijksoverheid|regeerakkoord|minister|DG)\b|ministry", re.IGNORECASE),
    re.compile(r"\b(?:provincie|provincies|provinciale|gedeputeerde staten|provinciale staten)\b|province", re.IGNORECASE),
)
_NO_CHAPTER = re.compile(r"^(?:inhoud|inhoudsopgave|colofon|contents|table of contents|noten|literatuur|bronnen)$", re.IGNORECASE)
# A case the sentence is about; the named group is what the situation must name for the sentence to fit.
_OTHER_CASE = re.compile(
    r"\b(?:(?:bij|in|voor) (?:de )?(?:(?:kleine|kleinere|grote|grotere|middelgrote) (?:en|of) )?"
    r"(?P<size>kleine|kleinere|grote|grotere|middelgrote) (?P<kind>gemeenten|organisaties|provincies)|"
    r"(?P<here>hier|daar)\b(?! (?:gaat|is|zijn) het)|in (?:dit|dat|het ene|het andere) geval|in (?:deze|die) casus)", re.IGNORECASE)


@dataclass(frozen=True)
class Fit:
    """What a supporting sentence must fit: the situation, and the learner's role among the guide's roles.

    A sentence about another role of the guide ("Het is meestal ook de taak van de opgavemanager …") that
    does not name the learner's own role is about someone else.
    """

    situation: str
    own: tuple[str, ...] = ()  # names of the learner's role: its profile, aliases, members, the role it folds into
    others: tuple[str, ...] = ()  # names of the guide's other roles
    elected: bool = False  # the learner holds an elected office (wethouder, gedeputeerde, raadslid)

    def unfit(self, text: str, section: str) -> str | None:
        """Why ``text`` cannot support this learner's leeropdracht; None if it can."""
        reason = unfit(text, section, self.situation)
        if reason is None and self.others and _names(self.others, text) and not _names(self.own, text):
            return "another role"
        if reason is None and self.elected and _STAFF_SUBJECT.search(text) and not _names(self.own, text):
            return "another audience"
        return reason


def _names(names: tuple[str, ...], text: str) -> bool:
    low = text.lower()
    return any(re.search(rf"\b{re.escape(n.lower())}(?:s|en)?\b", low) for n in names)


def unfit(text: str, section: str, situation: str) -> str | None:
    """Why ``text`` (under heading ``section``) cannot support a leeropdracht in ``situation``; None if it can."""
    if _DEFINITION.search(text):
        return "definition"
    if _ABOUT_ITSELF.search(text):
        return "about the document"
    if _POINTS_ELSEWHERE.search(text) or _ANNOUNCES.search(text):
        return "not whole on its own"
    last = section.split(" > ")[-1].strip() if section else ""
    if last and _NO_CHAPTER.match(last):
        return "no chapter"
    if len(_NAME.findall(text)) >= NAMES_MAX:
        return "a list of names"
    if any(kind.search(text) and not kind.search(situation) for kind in _ORGANISATIONS):
        return "another case"  # what a ministry or a province does, for someone who does not work at one
    case = _OTHER_CASE.search(text)
    if case:
        named = case.group("size") and re.search(rf"\b{case.group('size')}\w*\s+{case.group('kind')[:-2]}", situation,
                                                 re.IGNORECASE)
        if not named:
            return "another case"
    return None


# Staff as what a sentence is about: named in its opening words (its subject, or the object of its first verb).
_STAFF_SUBJECT = re.compile(r"^(?:\S+\s+){0,8}?(?:de\s+|alle\s+|onze\s+)?(?:medewerkers|ambtenaren|werkvloer|"
                            r"uitvoerders|professionals)\b", re.IGNORECASE)
# The next sentence turns against the quote ("Soms sluit een initiatief aan … Vaak zijn het echter initiatieven die …"):
# quoted alone, the sentence says the opposite of what its paragraph says.
_TURNS = re.compile(r"^(?:Maar|Toch|Daarentegen|Anderzijds|Helaas|Desondanks|However|But)\b|^[^.!?]{0,60}\b(?:echter|daarentegen|"
                    r"desondanks|however)\b", re.IGNORECASE)


def turned_by_next(after: str) -> bool:
    """True when the text right after a quoted span opens with a sentence that contrasts with it."""
    return bool(_TURNS.search(" ".join(after.split())[:200]))
