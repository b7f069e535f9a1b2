"""The Dutch reasons a file is refused while it is read, and file sizes as a maintainer reads them.

The readers (:mod:`ingest.loaders`, :mod:`ingest.decoding`, :mod:`ingest.pdf`,
:mod:`ingest.word`) share them from here; :mod:`ingest.loaders` re-exports them.
"""

from __future__ import annotations

# Exact reasons; tests and the upload UI rely on these strings.
MSG_UNSUPPORTED = "bestandstype '{suffix}' wordt niet ondersteund (wel: .docx, .md, .pdf, .txt)"
MSG_MISSING = "bestand niet gevonden"
MSG_NOT_REGULAR = "dit is geen gewoon bestand (maar een pipe, apparaat of socket)"
MSG_UNREADABLE = "het bestand kan niet worden gelezen ({reason})"
MSG_TOO_LARGE = "het bestand is {size}; de grens is {limit} (instelling OPGAVEWIJZER_INGEST__MAX_MB)"
MSG_EMPTY = "het bestand is leeg"
MSG_PDF_CORRUPT = "de PDF is beschadigd en kan niet worden gelezen"
MSG_PDF_ENCRYPTED = "de PDF is versleuteld; lever een onbeveiligde versie aan"
MSG_PDF_NO_TEXT = "de PDF bevat geen leesbare tekst (alleen afbeeldingen?); lever een doorzoekbare PDF aan"
MSG_BINARY = "dit is geen tekstbestand (binaire inhoud)"
MSG_OTHER_FORMAT = "dit is geen tekstbestand maar {kind}; dat formaat wordt niet ondersteund"
MSG_BAD_BOM = "het bestand begint met een {encoding}-BOM maar is geen geldige {encoding}-tekst"
MSG_NOT_UTF8 = "de tekstcodering is niet te herkennen (geen UTF-8, UTF-16 of Windows-1252); sla het bestand op als UTF-8"
MSG_REPLACEMENT = (
    "de tekst bevat {count} vervangingsteken(s) (\ufffd), het eerste op regel {line}: het bestand is eerder "
    "verkeerd omgezet; sla het origineel opnieuw op als UTF-8"
)
MSG_DOCX_CORRUPT = "het Word-bestand is beschadigd en kan niet worden gelezen"
MSG_DOCX_BOMB = "het Word-bestand pakt uit tot {size}; dat is te groot om te lezen"
MSG_NO_WORDS = "de tekst bestaat grotendeels uit reeksen tekens zonder spaties (gecodeerde data?), niet uit woorden"


def human_size(size: int) -> str:
    """A file size as a maintainer reads it: '20 MB', '20.5 MB', '4.1 KB'."""
    mb = size / 1024 / 1024
    return f"{round(mb, 1):g} MB" if mb >= 1 else f"{round(size / 1024, 1):g} KB"
