"""The retrieval evaluation end to end on a small real index: systems, metrics, report, command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.datasets import EvalQuestion, Evidence
from eval.report import write_retrieval_report
from eval.retrieval_eval import run_retrieval_eval
from eval.systems import open_systems
from kb.knowledge_base import KnowledgeBase
from opgavewijzer.cli import main
from opgavewijzer.settings import Settings

DOCS = {
    "fietsen.md": (
        "# Fietsparkeren bij het station\n\n"
        "De gemeente bouwt onder het stationsplein een stalling voor 4.500 fietsen. "
        "De stalling opent in het voorjaar en is de eerste 24 uur gratis. "
        "Fietsers die langer blijven betalen een klein bedrag per dag. "
        "Weesfietsen worden na vier weken verwijderd door de handhavers van de gemeente.\n"
    ),
    "water.md": (
        "# Dijkversterking langs de rivier\n\n"
        "Het waterschap versterkt de komende jaren twaalf kilometer dijk langs de rivier. "
        "Het Rijk betaalt negentig procent van de kosten via het Hoogwaterbeschermingsprogramma; "
        "het waterschap zelf draagt de overige tien procent. "
        "Bewoners kunnen tijdens inloopavonden meedenken over het ontwerp van de nieuwe dijk.\n"
    ),
    "zorg.md": (
        "# Wachtlijsten in de jeugdzorg\n\n"
        "Jeugdigen wachten in de regio gemiddeld veertien weken op specialistische jeugdzorg. "
        "De gemeenten werken samen met zorgaanbieders aan een regionaal expertteam dat complexe situaties oppakt. "
        "Ouders krijgen tijdens het wachten een vaste contactpersoon bij het wijkteam.\n"
    ),
}

QUESTIONS = [
    EvalQuestion("t-fiets", "Hoeveel fietsen passen in de stalling onder het stationsplein?", "fact", "nl", True,
                 (Evidence("fietsen", "De gemeente bouwt onder het stationsplein een stalling voor 4.500 fietsen."),)),
    EvalQuestion("t-dijk", "Wie betaalt de dijkversterking van het waterschap?", "fact", "nl", True,
                 (Evidence("water", "Het Rijk betaalt negentig procent van de kosten via het Hoogwaterbeschermingsprogramma;"),)),
    EvalQuestion("t-multi", "Hoe worden bewoners en ouders betrokken?", "multi_doc", "nl", True,
                 (Evidence("water", "Bewoners kunnen tijdens inloopavonden meedenken over het ontwerp van de nieuwe dijk."),
                  Evidence("zorg", "Ouders krijgen tijdens het wachten een vaste contactpersoon bij het wijkteam."))),
    # Worded like the jeugdzorg text, but the gold evidence is about bicycles: BM25 must fail it.
    EvalQuestion("t-mis", "Hoe lang wachten jeugdigen op specialistische jeugdzorg in de regio?", "vague", "nl", True,
                 (Evidence("fietsen", "Weesfietsen worden na vier weken verwijderd door de handhavers van de gemeente."),)),
    EvalQuestion("t-none", "Wat kost een parkeervergunning voor auto's?", "unanswerable", "nl", False, ()),
]


@pytest.fixture(scope="module")
def toy_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings for a three-document corpus in a temporary folder."""
    root = tmp_path_factory.mktemp("toy")
    (root / "docs").mkdir()
    for name, text in DOCS.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    return Settings(_env_file=None, data_dir=root / "data", corpus_dir=root / "docs")


@pytest.fixture(scope="module")
def toy_kb(toy_settings: Settings, e5) -> KnowledgeBase:  # noqa: ANN001
    """The toy corpus ingested with the real e5 model into a real Chroma folder."""
    from ingest.pipeline import run_ingest

    report = run_ingest(toy_settings, embedder=e5)
    assert report.ok and sorted(report.added) == ["fietsen", "water", "zorg"]
    return KnowledgeBase(toy_settings, embedder=e5)


def test_knowledge_base_systems_are_scored_per_question(toy_settings: Settings, toy_kb: KnowledgeBase) -> None:
    with open_systems(["bm25", "hybrid"], toy_settings, toy_kb) as systems:
        report = run_retrieval_eval(systems, QUESTIONS, "toy.jsonl", depth=3)
    assert (report.n_questions, report.n_unanswerable) == (5, 1)
    bm25 = report.system("bm25")
    scores = {o.question.id: o for o in bm25.outcomes}
    assert sorted(scores) == ["t-dijk", "t-fiets", "t-mis", "t-multi"]  # the unanswerable question is not scored
    assert scores["t-fiets"].passages[0].doc_id == "fietsen"
    assert scores["t-fiets"].metrics["hit@1"] == 1.0 and scores["t-fiets"].metrics["mrr@10"] == 1.0
    assert scores["t-fiets"].metrics["recall@6000chars"] == 1.0 and not scores["t-fiets"].failed
    # Every document is one passage and all three fit in 6,000 characters: both multi_doc evidence strings are found.
    assert scores["t-multi"].metrics["recall@6000chars"] == 1.0
    mis = scores["t-mis"]
    assert mis.passages[0].doc_id == "zorg" and mis.relevant[0] is False
    assert mis.metrics["hit@1"] == 0.0 and mis.metrics["mrr@10"] < 1.0
    assert bm25.by_kind()["fact"]["hit@1"] == 1.0
    assert set(bm25.by_document()) == {"fietsen", "water", "zorg"}
    assert bm25.summary()["hit@1"] == pytest.approx(sum(o.metrics["hit@1"] for o in bm25.outcomes) / 4)


def test_the_sentence_ranking_is_a_system_of_its_own(toy_settings: Settings, toy_kb: KnowledgeBase) -> None:
    with open_systems(["sentences", "hybrid"], toy_settings, toy_kb) as systems:
        report = run_retrieval_eval(systems, QUESTIONS, "toy.jsonl", depth=3)
    sentences = report.system("sentences")
    assert sentences.description.startswith("multilingual-e5-small, passages op hun best passende zin")
    scores = {o.question.id: o for o in sentences.outcomes}
    assert scores["t-fiets"].passages[0].doc_id == "fietsen" and scores["t-dijk"].passages[0].doc_id == "water"
    # The fused list holds what every ranking found: all three one-passage documents.
    assert all(len(o.passages) == 3 for o in report.system("hybrid").outcomes)


def test_report_lists_failures_with_what_was_retrieved(toy_settings: Settings, toy_kb: KnowledgeBase, tmp_path: Path) -> None:
    with open_systems(["bm25"], toy_settings, toy_kb) as systems:
        # Depth 1: only the top passage is context, so the misleading question fails.
        report = run_retrieval_eval(systems, QUESTIONS, "toy.jsonl", depth=1)
    written = write_retrieval_report(report, tmp_path / "rep")
    assert sorted(p.name for p in written) == ["report.html", "report.md", "results.json", "systems.png"]
    md = (tmp_path / "rep" / "report.md").read_text(encoding="utf-8")
    assert "| system | hit@1 | hit@5 | mrr@10 | ndcg@10 | recall@5 | recall@6000chars |" in md
    assert "## Per document" in md and "## Per soort vraag" in md and "| fietsen | 2 |" in md
    failure_row = next(line for line in md.splitlines() if line.startswith("| t-mis |"))
    assert "Weesfietsen worden na vier weken" in failure_row  # the missed evidence
    assert "#1 zorg" in failure_row  # what was retrieved instead
    html = (tmp_path / "rep" / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>") and "<td>t-mis</td>" in html and '<img src="systems.png"' in html
    assert (tmp_path / "rep" / "systems.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    data = json.loads((tmp_path / "rep" / "results.json").read_text(encoding="utf-8"))
    assert data["systems"]["bm25"]["questions"][3]["missed"] == [QUESTIONS[3].evidence[0].text]


def test_llamaindex_baseline_indexes_the_raw_documents(toy_settings: Settings, toy_kb: KnowledgeBase) -> None:
    """The naive baseline: default SentenceSplitter, all-MiniLM-L6-v2, Chroma, vector search only."""
    with open_systems(["llamaindex-naive"], toy_settings, toy_kb) as (naive,):
        assert sorted({p.doc_id for p in naive.passages()}) == ["fietsen", "water", "zorg"]
        # The raw text, Markdown heading included: the baseline does no cleaning.
        assert any(p.text.startswith("# Dijkversterking") for p in naive.passages())
        hits = naive.search("Het waterschap versterkt de komende jaren twaalf kilometer dijk langs de rivier.", 2)
        assert [h.doc_id for h in hits][0] == "water" and len(hits) == 2
        report = run_retrieval_eval([naive], QUESTIONS[:2], "toy.jsonl", depth=3)
    assert report.system("llamaindex-naive").outcomes[1].metrics["recall@6000chars"] == 1.0


@pytest.fixture
def toy_env(toy_settings: Settings, toy_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The command line pointed at the toy index; returns a question file."""
    monkeypatch.setenv("OPGAVEWIJZER_DATA_DIR", str(toy_settings.data_dir))
    monkeypatch.setenv("OPGAVEWIJZER_CORPUS_DIR", str(toy_settings.corpus_dir))
    path = tmp_path / "toy.jsonl"
    path.write_text("\n".join(json.dumps({
        "id": q.id, "question": q.question, "kind": q.kind, "lang": q.lang, "answerable": q.answerable,
        "evidence": [{"doc_id": e.doc_id, "text": e.text} for e in q.evidence], "reference_answer": "",
    }) for q in QUESTIONS), encoding="utf-8")
    return path


def test_command_prints_the_summary_and_writes_the_report(toy_env: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["eval", "retrieval", "--dataset", str(toy_env), "--systems", "bm25", "--report", str(tmp_path / "r"), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "toy.jsonl: 4 vragen gescoord, 1 onbeantwoordbaar overgeslagen" in out
    assert "recall@6000chars" in out.splitlines()[1]
    assert out.splitlines()[3].startswith("bm25 ")
    assert (tmp_path / "r" / "report.html").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--systems", "bm25,foo"], "fout: onbekend systeem: foo; kies uit bm25, dense, sentences, hybrid, llamaindex-naive"),
        (["--top-k", "0"], "fout: --top-k moet 1 of meer zijn, niet 0"),
        (["--update-baseline"], "fout: --update-baseline meet altijd op eval/datasets/dev.jsonl; laat --dataset weg"),
    ],
)
def test_command_rejects_bad_options(toy_env: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str) -> None:
    assert main(["eval", "retrieval", "--dataset", str(toy_env), "--quiet", *args]) == 2
    assert capsys.readouterr().err.strip() == message
