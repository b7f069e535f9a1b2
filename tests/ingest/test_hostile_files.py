"""A maintainer drops a folder of hostile files on ``opgavewijzer ingest``: the real command line.

Each bad file gets one ``mislukt:`` line naming it and the problem, the good
ones are ingested (with a ``let op:`` line where reading them took a repair),
the exit code is 1, and the documents indexed before are still there and
searchable. ``status`` and the store agree on the passage count, and
``remove`` takes documents out again. Every file is generated here.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx

from kb.knowledge_base import KnowledgeBase
from kb.store import ChromaStore
from ingest.pipeline import run_ingest
from tests.pdfs import write_encrypted_pdf, write_image_only_pdf, write_report_pdf

CLI = str(Path(sys.executable).with_name("opgavewijzer"))

WATER = ("Het waterschap legt groene daken en wadi's aan om hevige regenbuien op te vangen. Bewoners krijgen "
         "subsidie als zij tegels uit hun tuin halen en er planten voor terugzetten.")
ZORG = ("De wijkteams van de gemeente werken samen met huisartsen en woningcorporaties. Zo krijgen ouderen "
        "sneller hulp, en hoeven zij hun verhaal maar één keer te vertellen.")
REPEATED = ("Elke vergadering begint met een korte terugblik op de afspraken van de vorige keer, zodat niemand "
            "iets mist en de voortgang voor iedereen zichtbaar blijft.")
NAME = "Notitie café – Noord-Holland.txt"


def cli(*args: str, data: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "OPGAVEWIJZER_DATA_DIR": str(data), "OPGAVEWIJZER_INGEST__MAX_MB": "0.05"}
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=600)


def _mojibake(text: str) -> str:
    return "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode("utf-8"))


def hostile_folder(folder: Path, original: Path) -> Path:
    folder.mkdir()
    files: dict[str, bytes] = {
        "herhaald.md": ("# Vergaderen\n\n" + "\n\n".join([REPEATED] * 30)).encode("utf-8"),
        NAME: "De provincie Noord-Holland opent een café voor ondernemers in de binnenstad.".encode("utf-8"),
        "utf16.txt": "Coördinatie tussen ministeries loopt via de interdepartementale commissie.".encode("utf-16"),
        "oud-1252.txt": "De coördinator zorgt voor één aanspreekpunt per wijk – ook ’s avonds.".encode("cp1252"),
        "mojibake.txt": _mojibake("De ijsbaan wordt beheerd door een stichting met vrijwilligers uit België.").encode(),
        "vervangen.txt": "De dijk is verhoogd met \ufffd meter.".encode("utf-8"),
        "groot.txt": (WATER + "\n\n").encode("utf-8") * 400,  # 68 KB; the limit is 0.05 MB
        "leeg.txt": b" \n\n \n",
        "nul.md": b"",
        "binair.txt": b"\x00\x01\x02\x03" * 64,
        "afbeelding.txt": b"\x89PNG\r\n\x1a\n" + bytes(64),
        "mac.txt": "Ideeën over coördinatie en efficiënte samenwerking in België.".encode("mac_roman"),
        "kopie van water.md": original.read_bytes(),
        "tabel.xlsx": b"PK\x03\x04" + bytes(32),
        "kapot.docx": b"PK\x03\x04 dit is geen Word-bestand",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    write_image_only_pdf(folder / "scan.pdf")
    write_encrypted_pdf(folder / "geheim.pdf")
    (folder / "rapport.txt").write_bytes(write_report_pdf(folder.parent / "echt.pdf").read_bytes())
    document = docx.Document()
    document.add_paragraph("Half opgeslagen Word-bestand over de omgevingsvisie van de gemeente.")
    document.save(str(folder.parent / "heel.docx"))
    (folder / "half.docx").write_bytes((folder.parent / "heel.docx").read_bytes()[:2500])
    os.mkfifo(folder / "pijp.txt")  # skipped by a folder scan; given by name, it is refused without a read
    return folder


def test_a_folder_of_hostile_files(make_settings, e5, tmp_path: Path) -> None:
    base = tmp_path / "corpus"
    base.mkdir()
    (base / "water.md").write_text(WATER, encoding="utf-8")
    (base / "zorg.md").write_text(ZORG, encoding="utf-8")
    data = tmp_path / "data"
    settings = make_settings(corpus_dir=base, data_dir=data)
    before = run_ingest(settings, embedder=e5)
    before_info = ChromaStore(settings).active_info()
    folder = hostile_folder(tmp_path / "aangeleverd", base / "water.md")

    result = cli("ingest", "--quiet", str(folder), str(folder / "pijp.txt"), data=data)
    assert result.returncode == 1, result.stderr
    failures = sorted(line for line in result.stderr.splitlines() if line.startswith("mislukt: "))
    assert failures == sorted([
        "mislukt: afbeelding.txt: dit is geen tekstbestand maar een PNG-afbeelding; dat formaat wordt niet ondersteund",
        "mislukt: binair.txt: dit is geen tekstbestand (binaire inhoud)",
        "mislukt: geheim.pdf: de PDF is versleuteld; lever een onbeveiligde versie aan",
        "mislukt: groot.txt: het bestand is 68.4 KB; de grens is 51.2 KB (instelling OPGAVEWIJZER_INGEST__MAX_MB)",
        "mislukt: half.docx: het Word-bestand is beschadigd en kan niet worden gelezen",
        "mislukt: kapot.docx: het Word-bestand is beschadigd en kan niet worden gelezen",
        "mislukt: kopie van water.md: zelfde inhoud als water.md (in de index als 'water'); dit bestand is overgeslagen",
        "mislukt: leeg.txt: het bestand is leeg",
        "mislukt: mac.txt: de tekstcodering is niet te herkennen (geen UTF-8, UTF-16 of Windows-1252); "
        "sla het bestand op als UTF-8",
        "mislukt: nul.md: het bestand is leeg",
        "mislukt: pijp.txt: dit is geen gewoon bestand (maar een pipe, apparaat of socket)",
        "mislukt: scan.pdf: de PDF bevat geen leesbare tekst (alleen afbeeldingen?); lever een doorzoekbare PDF aan",
        "mislukt: tabel.xlsx: bestandstype '.xlsx' wordt niet ondersteund (wel: .docx, .md, .pdf, .txt)",
        "mislukt: vervangen.txt: de tekst bevat 1 vervangingsteken(s) (\ufffd), het eerste op regel 1: het bestand is "
        "eerder verkeerd omgezet; sla het origineel opnieuw op als UTF-8",
    ])
    notes = sorted(line for line in result.stderr.splitlines() if line.startswith("let op: "))
    assert notes == [
        "let op: mojibake.txt: 1 dubbel gecodeerde teken(s) hersteld (zoals 'Ã©' voor 'é')",
        "let op: oud-1252.txt: gelezen als Windows-1252 (geen UTF-8)",
        "let op: rapport.txt: gelezen als PDF (de extensie is .txt)",
        "let op: utf16.txt: gelezen als UTF-16 (met BOM)",
    ]
    stdout = result.stdout.splitlines()
    assert stdout[0] == "nieuw: herhaald, mojibake, notitie_caf_noord_holland, oud_1252, rapport, utf16"
    assert stdout[1].startswith("index bijgewerkt: 6 nieuw, 0 gewijzigd, 2 ongewijzigd, 0 verwijderd, 14 mislukt; ")
    assert stdout[2].startswith("bronnengidsen: ")  # the guides' suggested questions checked (see tests/kb/test_guides_cli.py)
    assert len(stdout) == 3

    kb = KnowledgeBase(settings, embedder=e5)
    info, store = kb.info, ChromaStore(settings)
    assert set(info.documents) == {"water", "zorg", "herhaald", "mojibake", "notitie_caf_noord_holland",
                                   "oud_1252", "rapport", "utf16"}
    assert sum(r.chunks for r in info.documents.values()) == len(kb.chunks) == store.count(info.collection)
    assert all("\ufffd" not in c.text for c in kb.chunks)
    assert info.documents["notitie_caf_noord_holland"].title == "Notitie café – Noord-Holland"
    assert "België" in next(c.text for c in kb.chunks if c.doc_id == "mojibake")
    # What was indexed before is still there, and still found.
    assert {d: info.documents[d] for d in ("water", "zorg")} == before_info.documents
    assert kb.search("subsidie voor het weghalen van tegels", top_k=1)[0].doc_id == "water"
    assert before.chunks + sum(info.documents[d].chunks for d in info.documents if d not in ("water", "zorg")) \
        == len(kb.chunks)

    status = cli("status", data=data)
    assert status.returncode == 0 and f"totaal: 8 documenten, {len(kb.chunks)} passages" in status.stdout

    removed = cli("remove", "herhaald", NAME, "onbekend.md", data=data)
    assert removed.returncode == 1
    assert removed.stderr.splitlines() == [
        "mislukt: onbekend.md: staat niet in de index (geef een doc-id of bestandsnaam uit 'opgavewijzer status')"]
    assert removed.stdout.splitlines()[0] == "verwijderd: herhaald, notitie_caf_noord_holland"
    kb.refresh()
    assert "herhaald" not in kb.info.documents and len(kb.chunks) == store.count(kb.info.collection)
