"""Real PDF files for tests, generated with fpdf2 into a folder the test owns.

Each function writes one file to ``target`` and returns that path. The report
PDF has what the corpus PDFs have: a running header and page-number footer,
numbered headings in a larger bold font, Dutch text with diacritics,
hyphenated line breaks and a paragraph that continues on the next page. Core
fonts only (Latin-1), so no font files are needed on the test machine.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

HEADER = "Opgavewijzer testrapport"
TITLE_1 = "1. Inleiding"
TITLE_2 = "2. Werken aan complexe opgaven"
TITLE_21 = "2.1 Samenwerking in de regio"

# "\n" inside a paragraph forces a line break at that point, so that the
# hyphenated breaks land exactly at a line end as in a typeset document.
# A list item is (heading size, text); size 0 means body text.
_PAGES: list[list[tuple[int, str]]] = [
    [
        (16, TITLE_1),
        (0, "Deze notitie beschrijft hoe de provincie werkt aan de professiona-\nlisering van opgavegericht "
            "werken. Het gaat om ideeën uit de praktijk van Noord-\nHolland en om de coördinatie tussen "
            "gemeenten, bijv. Rotterdam en Den Haag. De auteurs hebben twaalf medewerkers geïnterviewd "
            "over hun ervaringen met maatschappelijke opgaven."),
        (0, "Opgavegericht werken vraagt een andere houding van de organisatie. Medewerkers kijken van "
            "buiten naar binnen en zoeken samenwerking met partners in de regio. Dat vraagt tijd, "
            "vertrouwen en een heldere opdracht van het bestuur. Prof. dr. M. van der Steen noemt dit "
            "het centraal stellen van de opgave in plaats van de eigen taak. Volgens de geïnterviewden "
            "helpt het om klein te beginnen en successen zichtbaar te maken. De organisatie leert zo "
            "stap voor stap wat werkt en wat niet. Het management speelt daarbij een belangrijke rol, "
            "omdat het ruimte moet geven aan professionals die over de grenzen van afdelingen heen "
            "werken. Zonder die ruimte blijft opgavegericht werken een mooi voornemen op papier."),
    ],
    [
        (16, TITLE_2),
        (0, "Complexe opgaven zoals de energietransitie of de woningbouw overstijgen de grenzen van "
            "beleidsvelden. Geen enkele organisatie kan ze alleen oplossen. Provincies, gemeenten en "
            "water-\nschappen moeten daarom samen optrekken, o.a. in regionale programma's. Dat vraagt "
            "afspraken over rollen, geld en mandaat."),
        (0, "In de praktijk blijkt dat het lastig is om meetbaar te maken wat de bijdrage van de "
            "eigen organisatie is. De effecten van een aanpak worden vaak pas na jaren zichtbaar. "
            "Daarom kiezen veel organisaties voor andere vormen van monitoring, die meer ruimte laten "
            "voor leren en bijsturen. Een jaarlijkse reflectie met alle partners helpt om de koers te "
            "bepalen. Ook de gemeenteraad en Provinciale Staten willen weten wat er met hun geld "
            "gebeurt, en dat vraagt om een eerlijk verhaal over wat wel en niet lukt. Bestuurders "
            "zoeken daarbij een evenwicht tussen verantwoording en vertrouwen. In veel regio's "
            "hebben de provincie, de waterschappen, de woningcorporaties en de"),
    ],
    [
        (0, "gemeenten samen een gedeelde agenda opgesteld, waarin ieder zijn eigen rol neemt. Die "
            "agenda wordt elk jaar herzien."),
        (13, TITLE_21),
        (0, "Samenwerking in de regio begint met een gedeeld beeld van de opgave. Partijen brengen "
            "hun eigen belangen mee, maar zoeken naar wat hen verbindt. Een procesregisseur helpt om "
            "dat gesprek te voeren en om afspraken vast te leggen. Daarbij is het belangrijk dat "
            "iedereen weet wie waarover beslist, d.w.z. wie het mandaat heeft om toezeggingen te "
            "doen. De ervaring leert dat vertrouwen groeit door samen resultaten te boeken, ook als "
            "die klein zijn. Een gezamenlijke projectorganisatie met medewerkers van verschillende "
            "partners kan daarbij helpen, mits de lijnorganisaties hen voldoende ruimte geven. Tot "
            "slot blijft het nodig om regelmatig terug te kijken: wat hebben we bereikt, wat hebben "
            "we geleerd en wat doen we de volgende keer anders? Zo blijft de samenwerking levend "
            "en groeit de slagkracht van de regio."),
    ],
]


def _wrap(pdf: FPDF, text: str, width: float) -> list[str]:
    """Greedy line wrapping; '\\n' forces a break."""
    lines: list[str] = []
    for segment in text.split("\n"):
        line = ""
        for word in segment.split():
            candidate = f"{line} {word}".strip()
            if line and pdf.get_string_width(candidate) > width:
                lines.append(line)
                line = word
            else:
                line = candidate
        lines.append(line)
    return lines


def _report(pages: list[list[tuple[int, str]]]) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    for number, items in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 8)
        pdf.set_xy(20, 10)
        pdf.cell(0, 5, HEADER)
        pdf.set_xy(20, 282)
        pdf.cell(0, 5, f"Pagina {number} van {len(pages)}")
        y = 25.0
        for size, text in items:
            if size:
                y += 4
                pdf.set_font("Helvetica", "B", size)
                pdf.set_xy(20, y)
                pdf.cell(0, 8, text)
                y += 12
                continue
            pdf.set_font("Helvetica", "", 11)
            for line in _wrap(pdf, text, 170):
                pdf.set_xy(20, y)
                pdf.cell(0, 5.5, line)
                y += 5.5
            y += 5.5  # paragraph gap
    return pdf


def write_report_pdf(target: Path) -> Path:
    """A three-page report with headings, Dutch text, hyphenation and page furniture."""
    _report(_PAGES).output(str(target))
    return target


def write_encrypted_pdf(target: Path) -> Path:
    """A PDF that needs a user password to open."""
    pdf = _report(_PAGES[:1])
    pdf.set_encryption(owner_password="eigenaar", user_password="geheim")
    pdf.output(str(target))
    return target


def write_permissions_only_pdf(target: Path) -> Path:
    """A PDF encrypted with an owner password only: anyone may open and read it."""
    pdf = _report(_PAGES[:1])
    pdf.set_encryption(owner_password="eigenaar")
    pdf.output(str(target))
    return target


def write_image_only_pdf(target: Path) -> Path:
    """A 'scanned' page: the words exist only as pixels, there is no text layer."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 400), "white")
    draw = ImageDraw.Draw(image)
    for i in range(8):
        draw.text((40, 30 + 45 * i), "Dit is een gescande pagina zonder tekstlaag.", fill="black")
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=190)
    pdf.output(str(target))
    return target


def write_truncated_pdf(target: Path) -> Path:
    """The report PDF cut off after 60% of its bytes, as after a broken download."""
    source = target.with_name(target.stem + "-volledig.pdf")
    data = write_report_pdf(source).read_bytes()
    source.unlink()
    target.write_bytes(data[: int(len(data) * 0.6)])
    return target


def write_empty_file(target: Path) -> Path:
    """A file of 0 bytes (any suffix)."""
    target.write_bytes(b"")
    return target
