"""``--document``: evidence can be checked against a file outside the corpus, under its ingest doc id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.check_dataset import check_dataset, load_documents, main

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DOC_ID = "rapport_gemeente_x"
TEXT = "# Rapport\n\nDe gemeente X werkte in 2024 met drie\nopgaven.\u00a0 Het budget  was laag.\n"


def _document(tmp_path: Path) -> Path:
    path = tmp_path / "Rapport gemeente-X.md"
    path.write_text(TEXT, encoding="utf-8")
    return path


def _row(rid: str, text: str) -> dict:
    return {"id": rid, "question": "Met hoeveel opgaven werkte X?", "kind": "fact", "lang": "nl", "answerable": True,
            "evidence": [{"doc_id": DOC_ID, "text": text}], "reference_answer": "Met drie opgaven."}


def _dataset(tmp_path: Path) -> Path:
    rows = [_row("a-1", "De gemeente X werkte in 2024 met drie opgaven."), _row("a-2", "De gemeente X werkte in 2025 met drie opgaven.")]
    path = tmp_path / "added.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_an_extra_document_gets_its_ingest_doc_id_and_collapsed_whitespace(tmp_path: Path) -> None:
    assert load_documents((_document(tmp_path),)) == {
        DOC_ID: "# Rapport De gemeente X werkte in 2024 met drie opgaven. Het budget was laag. "}


def test_evidence_is_checked_against_the_extra_document(tmp_path: Path) -> None:
    problems = check_dataset(_dataset(tmp_path), CORPUS, (_document(tmp_path),))
    assert problems == [
        f"added.jsonl:2 id=a-2 field=evidence[0]: not an exact substring of {DOC_ID}: "
        "'De gemeente X werkte in 2025 met drie opgaven.'"]


def test_without_the_document_its_doc_id_is_unknown(tmp_path: Path) -> None:
    assert check_dataset(_dataset(tmp_path), CORPUS) == [
        f"added.jsonl:1 id=a-1 field=evidence[0]: unknown doc_id '{DOC_ID}'",
        f"added.jsonl:2 id=a-2 field=evidence[0]: unknown doc_id '{DOC_ID}'"]


def test_the_command_line_takes_repeatable_documents(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dataset, document = _dataset(tmp_path), _document(tmp_path)
    assert main(["--document", str(document), "--document", str(document), str(dataset)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (f"added.jsonl:2 id=a-2 field=evidence[0]: not an exact substring of {DOC_ID}: "
                        "'De gemeente X werkte in 2025 met drie opgaven.'")
    assert lines[-1] == "1 problem(s)"


def test_a_missing_document_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    absent = tmp_path / "weg.md"
    assert main(["--document", str(absent), str(_dataset(tmp_path))]) == 1
    assert capsys.readouterr().out.splitlines() == [f"{absent}:0 id=? field=-: document not found", "1 problem(s)"]
