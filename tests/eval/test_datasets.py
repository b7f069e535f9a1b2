"""The evaluation datasets pass their checker, and the checker catches broken rows."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from eval.check_dataset import (
    DEFAULT_FILES,
    GIDS_ROLES,
    check_dataset,
    load_corpus,
    main,
    normalise,
)

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "corpus"
DATASETS = ROOT / "eval" / "datasets"


def _rows(name: str) -> list[dict]:
    lines = (DATASETS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _good_answerable() -> dict:
    """A copy of the first answerable dev question (known to be valid)."""
    return json.loads(json.dumps(next(r for r in _rows("dev.jsonl") if r["answerable"])))


@pytest.mark.parametrize("path", DEFAULT_FILES, ids=lambda p: p.name)
def test_shipped_dataset_passes_the_check(path: Path) -> None:
    assert path.is_file()
    assert check_dataset(path, CORPUS) == []


def test_main_reports_no_problems_for_shipped_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(p) for p in DEFAULT_FILES]) == 0
    assert capsys.readouterr().out.strip().endswith("0 problem(s)")


def test_dev_has_the_required_mix() -> None:
    rows = _rows("dev.jsonl")
    kinds = Counter(r["kind"] for r in rows)
    per_doc = Counter(d for r in rows for d in {e["doc_id"] for e in r["evidence"]})
    assert len(rows) >= 64
    assert kinds["multi_doc"] >= 8 and kinds["unanswerable"] >= 10
    assert sum(r["lang"] == "en" for r in rows) >= 4
    assert set(kinds) == {"fact", "definition", "how", "why", "list", "comparison", "multi_doc", "unanswerable",
                          "vague", "typo", "english", "role"}
    assert set(per_doc) == set(load_corpus(CORPUS.resolve()))
    assert min(per_doc.values()) >= 8


def _two_document(row: dict) -> bool:
    return len({e["doc_id"] for e in row["evidence"]}) >= 2


@pytest.mark.parametrize(("name", "near_topic", "english", "two_docs"), [("dev.jsonl", 30, 12, 20), ("holdout.jsonl", 10, 5, 7)])
def test_both_sets_hold_near_topic_unanswerable_english_and_two_document_questions(
    name: str, near_topic: int, english: int, two_docs: int
) -> None:
    """Issue 12's minimum mix, spread so that the holdout alone can show each failure kind."""
    rows = _rows(name)
    assert sum(not r["answerable"] and bool(r.get("topic_evidence")) for r in rows) >= near_topic
    assert sum(r["answerable"] and r["lang"] == "en" for r in rows) >= english
    assert sum(_two_document(r) for r in rows) >= two_docs
    assert all(r["missing"].strip() for r in rows if not r["answerable"])


def test_dev_and_holdout_together_meet_the_issue_12_minimums() -> None:
    rows = _rows("dev.jsonl") + _rows("holdout.jsonl")
    assert sum(not r["answerable"] and bool(r.get("topic_evidence")) for r in rows) >= 30
    assert sum(r["answerable"] and r["lang"] == "en" for r in rows) >= 10
    assert sum(_two_document(r) for r in rows) >= 15
    two_doc_pairs = {tuple(sorted({e["doc_id"] for e in r["evidence"]})) for r in rows if _two_document(r)}
    assert len(two_doc_pairs) >= 8  # comparisons across many pairs of documents, not one favourite pair
    holdout_share = len(_rows("holdout.jsonl")) / len(rows)
    assert 0.24 <= holdout_share <= 0.32


def test_holdout_is_separate_and_large_enough() -> None:
    dev, holdout = _rows("dev.jsonl"), _rows("holdout.jsonl")
    assert len(holdout) >= 24
    assert not {r["id"] for r in dev} & {r["id"] for r in holdout}
    assert not {r["question"].lower() for r in dev} & {r["question"].lower() for r in holdout}


def test_leeropdrachten_cover_all_seven_roles_and_some_outside_the_gids() -> None:
    rows = _rows("leeropdrachten.jsonl")
    assert len(rows) >= 10
    assert {r["role_canonical"] for r in rows if r["in_gids"]} == GIDS_ROLES
    assert sum(not r["in_gids"] for r in rows) >= 2


def test_normalise_collapses_newlines_and_nbsp_but_keeps_hyphen_breaks() -> None:
    assert normalise("professiona-\nlisering \u00a0 en\t meer") == "professiona- lisering en meer"


def test_checker_catches_broken_evidence(tmp_path: Path) -> None:
    row = _good_answerable()
    row["evidence"][0]["text"] = row["evidence"][0]["text"].replace(" ", "  ", 1)
    problems = check_dataset(_write(tmp_path / "bad.jsonl", [row]), CORPUS)
    assert len(problems) == 1
    assert f"id={row['id']}" in problems[0] and "field=evidence[0]" in problems[0]
    assert "bad.jsonl" in problems[0]


def test_checker_catches_evidence_from_the_wrong_document(tmp_path: Path) -> None:
    row = _good_answerable()
    other = next(d for d in load_corpus(CORPUS.resolve()) if d != row["evidence"][0]["doc_id"])
    row["evidence"][0]["doc_id"] = other
    problems = check_dataset(_write(tmp_path / "bad.jsonl", [row]), CORPUS)
    assert any("field=evidence[0]" in p and "not an exact substring" in p for p in problems)


def test_checker_catches_duplicate_ids(tmp_path: Path) -> None:
    first, second = _rows("dev.jsonl")[:2]
    second = dict(second, id=first["id"])
    problems = check_dataset(_write(tmp_path / "dup.jsonl", [first, second]), CORPUS)
    assert problems == [f"dup.jsonl:2 id={first['id']} field=id: duplicate of line 1"]


def test_checker_catches_unanswerable_question_with_evidence(tmp_path: Path) -> None:
    row = _good_answerable()
    row.update(answerable=False, kind="unanswerable")
    problems = check_dataset(_write(tmp_path / "bad.jsonl", [row]), CORPUS)
    assert any("field=answerable" in p for p in problems)
    assert any("field=kind" in p for p in problems)


def test_checker_catches_answerable_question_without_evidence(tmp_path: Path) -> None:
    row = dict(_good_answerable(), evidence=[])
    problems = check_dataset(_write(tmp_path / "bad.jsonl", [row]), CORPUS)
    assert any("field=answerable" in p for p in problems)


def test_checker_catches_bad_kind_lang_and_missing_field(tmp_path: Path) -> None:
    row = dict(_good_answerable(), kind="trivia", lang="de")
    del row["reference_answer"]
    problems = check_dataset(_write(tmp_path / "bad.jsonl", [row]), CORPUS)
    for field in ("kind", "lang", "reference_answer"):
        assert any(f"field={field}" in p for p in problems), field


def test_checker_catches_single_document_multi_doc(tmp_path: Path) -> None:
    row = next(r for r in _rows("dev.jsonl") if r["kind"] != "multi_doc" and len(r["evidence"]) == 1)
    row["kind"] = "multi_doc"
    problems = check_dataset(_write(tmp_path / "bad.jsonl", [row]), CORPUS)
    assert any("multi_doc" in p for p in problems)


def test_checker_catches_broken_leeropdracht(tmp_path: Path) -> None:
    inside = next(r for r in _rows("leeropdrachten.jsonl") if r["in_gids"])
    outside = next(r for r in _rows("leeropdrachten.jsonl") if not r["in_gids"])
    broken = dict(inside, id="lo-x1", expected_pitfall=inside["expected_pitfall"] + " (verzonnen)")
    leaking = dict(outside, id="lo-x2", expected_strength=inside["expected_strength"])
    problems = check_dataset(_write(tmp_path / "lo.jsonl", [broken, leaking]), CORPUS)
    assert any("id=lo-x1" in p and "field=expected_pitfall" in p for p in problems)
    assert any("id=lo-x2" in p and "field=expected_strength" in p for p in problems)


def test_checker_reports_invalid_json_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(_good_answerable()) + "\n{not json\n", encoding="utf-8")
    problems = check_dataset(path, CORPUS)
    assert len(problems) == 1 and problems[0].startswith("bad.jsonl:2 ")


def test_main_exits_1_and_names_file_and_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = _good_answerable()
    row["evidence"][0]["text"] += " en nog iets wat er niet staat"
    bad = _write(tmp_path / "broken.jsonl", [row])
    assert main([str(bad), "--corpus", str(CORPUS)]) == 1
    out = capsys.readouterr().out
    assert f"broken.jsonl:1 id={row['id']} field=evidence[0]" in out


def test_main_flags_questions_shared_between_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    row = _good_answerable()
    a = _write(tmp_path / "a.jsonl", [row])
    b = _write(tmp_path / "b.jsonl", [dict(row, id="other-001")])
    assert main([str(a), str(b)]) == 1
    assert "b.jsonl id=other-001 field=question: also in a.jsonl" in capsys.readouterr().out


def _good_unanswerable() -> dict:
    """A copy of the first near-topic unanswerable dev question (known to be valid)."""
    return json.loads(json.dumps(next(r for r in _rows("dev.jsonl") if not r["answerable"] and r.get("topic_evidence"))))


def test_checker_requires_missing_on_unanswerable_questions(tmp_path: Path) -> None:
    row = _good_unanswerable()
    del row["missing"]
    problems = check_dataset(_write(tmp_path / "u.jsonl", [row, dict(_good_unanswerable(), id="u-2", missing=" ")]), CORPUS)
    assert problems == [f"u.jsonl:1 id={row['id']} field=missing: missing", "u.jsonl:2 id=u-2 field=missing: must be a non-empty string"]


def test_checker_verifies_topic_evidence_and_allows_it_only_on_unanswerable_questions(tmp_path: Path) -> None:
    row = _good_unanswerable()
    row["topic_evidence"][0]["text"] += " (verzonnen)"
    answerable = dict(_good_answerable(), missing="x", topic_evidence=[])
    problems = check_dataset(_write(tmp_path / "t.jsonl", [row, answerable]), CORPUS)
    assert len(problems) == 3
    assert problems[0].startswith(f"t.jsonl:1 id={row['id']} field=topic_evidence[0]: not an exact substring of")
    assert problems[1:] == [f"t.jsonl:2 id={answerable['id']} field=missing: unexpected field",
                            f"t.jsonl:2 id={answerable['id']} field=topic_evidence: unexpected field"]
