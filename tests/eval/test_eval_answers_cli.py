"""``opgavewijzer eval answers`` on a small real index: the tables it prints, the report it writes, bad options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kb.knowledge_base import KnowledgeBase
from opgavewijzer.cli import main
from opgavewijzer.settings import Settings
from tests.eval.test_eval_retrieval import QUESTIONS, toy_kb, toy_settings  # noqa: F401  (fixtures)


@pytest.fixture
def toy_sets(toy_settings: Settings, toy_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:  # noqa: F811
    """The command line pointed at the toy index; returns a question file."""
    monkeypatch.setenv("OPGAVEWIJZER_DATA_DIR", str(toy_settings.data_dir))
    monkeypatch.setenv("OPGAVEWIJZER_CORPUS_DIR", str(toy_settings.corpus_dir))
    path = tmp_path / "toy.jsonl"
    path.write_text("\n".join(json.dumps({
        "id": q.id, "question": q.question, "kind": q.kind, "lang": q.lang, "answerable": q.answerable,
        "evidence": [{"doc_id": e.doc_id, "text": e.text} for e in q.evidence], "reference_answer": "",
    }) for q in QUESTIONS), encoding="utf-8")
    return path


def test_command_prints_totals_per_kind_and_language_and_writes_the_report(
    toy_sets: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["eval", "answers", "--dataset", str(toy_sets), "--report", str(tmp_path / "r"), "--quiet"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 0
    assert lines[0].startswith("toy.jsonl: 5 vragen in ")
    assert lines[1].split() == ["metric", "toy.jsonl", "(5)"]
    rows = {line.split()[0]: line.split()[1:] for line in lines[3:18]}
    assert list(rows) == ["evidence_recall", "all_evidence", "answered_with_evidence", "refusal_accuracy",
                          "false_refusals", "false_gaps", "two_docs_cited", "furniture_answers", "off_boundary_quotes",
                          "verbatim_quotes", "citation_precision", "evidence_coverage", "median_words", "latency_p50_ms", "latency_p95_ms"]
    # The denominators follow from the question set alone: 5 evidence strings, 4 answerable, 1 unanswerable,
    # 1 question with evidence from two documents.
    assert rows["evidence_recall"][0].endswith("/5") and rows["all_evidence"][0].endswith("/4")
    assert rows["refusal_accuracy"][0].endswith("/1") and rows["two_docs_cited"][0].endswith("/1")
    assert rows["false_gaps"][0].endswith("/4")
    assert "toy.jsonl per soort vraag:" in lines and "toy.jsonl per taal:" in lines
    kinds = lines.index("toy.jsonl per soort vraag:")
    assert [line.split()[0] for line in lines[kinds + 3:kinds + 7]] == ["fact", "multi_doc", "unanswerable", "vague"]
    data = json.loads((tmp_path / "r" / "results.json").read_text(encoding="utf-8"))
    assert [s["dataset"] for s in data["sets"]] == ["toy.jsonl"]
    assert [a["id"] for a in data["sets"][0]["answers"]] == [q.id for q in QUESTIONS]
    assert "## Per taal" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dataset", "{toy}", "--limit", "0"], "fout: --limit moet 1 of meer zijn, niet 0"),
        (["--dataset", "{toy}", "--update-baseline"],
         "fout: --update-baseline meet altijd op eval/datasets/dev.jsonl; laat --dataset weg"),
        (["--update-baseline", "--limit", "3"],
         "fout: --update-baseline meet alle vragen met de standaardinstellingen; laat --top-k en --limit weg"),
    ],
)
def test_command_rejects_bad_options(toy_sets: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    args = [str(toy_sets) if a == "{toy}" else a for a in args]
    assert main(["eval", "answers", "--quiet", *args]) == 2
    assert capsys.readouterr().err.strip() == message
