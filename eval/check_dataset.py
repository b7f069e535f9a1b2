"""Check the evaluation datasets against the corpus: ``python -m eval.check_dataset [FILES...]``.

Evidence strings and leeropdracht ``expected_strength``/``expected_pitfall`` must be exact substrings of
their raw document once each whitespace run (spaces, newlines, NBSP) is collapsed to one space.
``--document PATH`` (repeatable) adds a file outside the corpus under the doc id ``opgavewijzer ingest``
gives it (:func:`kb.sources.doc_id_for_file`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

from kb.sources import doc_id_for_file
from eval.datasets import LEEROPDRACHT_SPLITS

EVAL_DIR = Path(__file__).resolve().parent
DEFAULT_CORPUS = EVAL_DIR.parent / "corpus"
DEFAULT_FILES = tuple(EVAL_DIR / "datasets" / f"{n}.jsonl" for n in ("dev", "holdout", "leeropdrachten"))
KINDS = frozenset("fact definition how why list comparison multi_doc unanswerable vague typo english role".split())
LANGS = frozenset({"nl", "en"})
QA_FIELDS = frozenset({"id", "question", "kind", "lang", "answerable", "evidence", "reference_answer"})
# Only for unanswerable questions: what the sources do not give (required), and where they touch the topic.
UNANSWERABLE_FIELDS = frozenset({"missing", "topic_evidence"})
LO_FIELDS = frozenset({"id", "role", "role_canonical", "situation", "in_gids", "expected_strength",
                       "expected_pitfall", "required_source", "min_questions", "max_questions"})
# Optional: the request as a user types it, dev, holdout or blind, and the content rubric (see eval.leeropdracht_rubric).
LO_OPTIONAL = frozenset({"request", "split", "rubric"})
LO_RUBRIC_SPANS = ("main_text", "closest", "fitting")
# The seven sleutelfiguren of bijlage 3 of the VPNG gids, named as in its chapter 6 list.
GIDS_ROLES = frozenset({"Bestuurlijk opdrachtgever", "Ambtelijk opdrachtgever - Opgavemanager", "Lijnmanager",
                        "Sturingsprofessional", "Beleidsadviseur", "Vakinhoudelijk medewerker",
                        "Planning en control medewerker"})
MIN_SPAN, MAX_SPAN = 20, 600
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Collapse every whitespace run (including newlines and NBSP) to a single space."""
    return _WS.sub(" ", text)


@lru_cache(maxsize=8)
def load_corpus(corpus_dir: Path) -> dict[str, str]:
    """Map each doc id of ``corpus_dir/sources.json`` to its whitespace-collapsed text."""
    docs = json.loads((corpus_dir / "sources.json").read_text(encoding="utf-8"))["documents"]
    return {d["id"]: normalise((corpus_dir / d["file"]).read_text(encoding="utf-8")) for d in docs}


def load_documents(paths: tuple[Path, ...]) -> dict[str, str]:
    """Map the doc id ingest would give each extra file to its whitespace-collapsed text."""
    return {doc_id_for_file(Path(p)): normalise(Path(p).read_text(encoding="utf-8")) for p in paths}


def _nonempty_str(value: Any) -> bool:
    """True for a string with at least one non-whitespace character."""
    return isinstance(value, str) and bool(value.strip())


def _shape_problems(
    row: dict[str, Any], fields: frozenset[str], texts: tuple[str, ...], optional: frozenset[str] = frozenset()
) -> list[str]:
    """Missing or unexpected fields, and free-text fields that are empty."""
    out = [f"field={f}: missing" for f in sorted(fields - row.keys())]
    out += [f"field={f}: unexpected field" for f in sorted(row.keys() - fields - optional)]
    return out + [f"field={f}: must be a non-empty string" for f in texts if not _nonempty_str(row.get(f, "-"))]


def _span_problems(field: str, text: Any, doc_id: Any, corpus: dict[str, str]) -> list[str]:
    """Problems with one quoted span that should occur verbatim in document ``doc_id``."""
    if not isinstance(doc_id, str) or doc_id not in corpus:
        return [f"field={field}: unknown doc_id {doc_id!r}"]
    if not isinstance(text, str):
        return [f"field={field}: text must be a string"]
    if not MIN_SPAN <= len(text) <= MAX_SPAN:
        return [f"field={field}: span of {len(text)} chars, expected {MIN_SPAN}-{MAX_SPAN}"]
    if text not in corpus[doc_id]:
        return [f"field={field}: not an exact substring of {doc_id}: {text[:70]!r}"]
    return []


def _spans_problems(field: str, items: list[Any], corpus: dict[str, str]) -> tuple[list[str], set[str]]:
    """Problems with a list of ``{doc_id, text}`` spans, and the documents they name."""
    out, docs = [], set()
    for i, ev in enumerate(items):
        if not isinstance(ev, dict) or set(ev) != {"doc_id", "text"}:
            out.append(f"field={field}[{i}]: must be an object with exactly doc_id and text")
            continue
        docs.add(str(ev["doc_id"]))
        out += _span_problems(f"{field}[{i}]", ev["text"], ev["doc_id"], corpus)
    return out, docs


def _qa_problems(row: dict[str, Any], corpus: dict[str, str]) -> list[str]:
    """Problems with one question row of dev/holdout."""
    kind, lang, evidence = row.get("kind"), row.get("lang"), row.get("evidence")
    unanswerable = kind == "unanswerable"
    required = QA_FIELDS | ({"missing"} if unanswerable else set())
    out = _shape_problems(row, frozenset(required), ("question", "reference_answer"),
                          UNANSWERABLE_FIELDS if unanswerable else frozenset())
    if unanswerable and "missing" in row and not _nonempty_str(row["missing"]):
        out.append("field=missing: must be a non-empty string")
    if unanswerable and "topic_evidence" in row:
        topic = row["topic_evidence"]
        out += _spans_problems("topic_evidence", topic, corpus)[0] if isinstance(topic, list) else [
            "field=topic_evidence: must be a list"]
    for f, allowed in (("kind", KINDS), ("lang", LANGS)):
        if f in row and row[f] not in allowed:
            out.append(f"field={f}: {row[f]!r} is not one of {sorted(allowed)}")
    if kind == "english" and lang != "en":
        out.append("field=lang: kind 'english' needs lang 'en'")
    if not isinstance(row.get("answerable", False), bool):
        out.append("field=answerable: must be true or false")
    if not isinstance(evidence, list):
        return out + (["field=evidence: must be a list"] if "evidence" in row else [])
    problems, docs = _spans_problems("evidence", evidence, corpus)
    out += problems
    if isinstance(row.get("answerable"), bool) and row["answerable"] != bool(evidence):
        out.append("field=answerable: must be false exactly when evidence is empty")
    if kind in KINDS and unanswerable != (not evidence):
        out.append("field=kind: 'unanswerable' exactly for questions without evidence")
    if kind == "multi_doc" and len(docs) < 2:
        out.append("field=evidence: multi_doc needs evidence from at least two documents")
    return out


def _lo_problems(row: dict[str, Any], corpus: dict[str, str]) -> list[str]:
    """Problems with one leeropdracht request row."""
    out = _shape_problems(row, LO_FIELDS, ("role", "situation"), LO_OPTIONAL)
    if row.get("split", "dev") not in LEEROPDRACHT_SPLITS:
        out.append(f"field=split: {row['split']!r} is not one of {', '.join(LEEROPDRACHT_SPLITS)}")
    rubric = row.get("rubric", {})
    for key in LO_RUBRIC_SPANS if isinstance(rubric, dict) else ():
        spans = rubric.get(key, [])
        out += _spans_problems(f"rubric.{key}", spans, corpus)[0] if isinstance(spans, list) else [f"field=rubric.{key}: must be a list"]
    canon, in_gids, source = row.get("role_canonical"), row.get("in_gids"), row.get("required_source")
    if canon is not None and canon not in GIDS_ROLES:
        out.append(f"field=role_canonical: {canon!r} is not one of the seven gids roles")
    if in_gids is not (canon is not None):
        out.append("field=in_gids: must be true (a boolean) exactly when role_canonical is set")
    known = isinstance(source, str) and source in corpus
    if not known:
        out.append(f"field=required_source: unknown doc_id {source!r}")
    for f in ("expected_strength", "expected_pitfall"):
        if in_gids is True and known:
            out += _span_problems(f, row.get(f), source, corpus)
        elif in_gids is False and row.get(f) is not None:
            out.append(f"field={f}: must be null for a role the gids does not cover")
    lo, hi = row.get("min_questions"), row.get("max_questions")
    if not all(type(v) is int for v in (lo, hi)) or not 1 <= lo <= hi:
        out.append("field=min_questions/max_questions: need integers with 1 <= min <= max")
    return out


def read_rows(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[str]]:
    """Parse a JSONL file into (line number, object) pairs plus one problem per unparsable line."""
    rows, problems = [], []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        try:
            obj = json.loads(line) if line.strip() else ...
        except json.JSONDecodeError as exc:
            obj = f"invalid JSON ({exc.msg})"
        if isinstance(obj, dict):
            rows.append((n, obj))
        elif obj is not ...:
            problems.append(f"{Path(path).name}:{n} id=? field=-: {obj if isinstance(obj, str) else 'no object'}")
    return rows, problems


def check_dataset(path: Path, corpus_dir: Path, documents: tuple[Path, ...] = ()) -> list[str]:
    """Return one line per problem in the dataset at ``path`` (an empty list means all good).

    ``documents`` are extra files checked against as well, next to the corpus of ``corpus_dir``.
    """
    corpus = {**load_corpus(Path(corpus_dir).resolve()), **load_documents(tuple(documents))}
    rows, problems = read_rows(path)
    if not rows and not problems:
        problems.append(f"{Path(path).name}:0 id=? field=-: file has no rows")
    seen: dict[str, int] = {}
    for n, row in rows:
        rid = row.get("id")
        where = f"{Path(path).name}:{n} id={rid}"
        if not _nonempty_str(rid):
            problems.append(f"{where} field=id: must be a non-empty string")
        elif seen.setdefault(rid, n) != n:
            problems.append(f"{where} field=id: duplicate of line {seen[rid]}")
        is_lo = "situation" in row or "in_gids" in row
        problems += [f"{where} {p}" for p in (_lo_problems if is_lo else _qa_problems)(row, corpus)]
    return problems


def cross_file_problems(paths: list[Path]) -> list[str]:
    """Ids or questions occurring in more than one file (dev and holdout must stay apart)."""
    owner: dict[tuple[str, str], str] = {}
    out = []
    for path in paths:
        for _, row in read_rows(path)[0]:
            for field in ("id", "question"):
                value = str(row.get(field) or "").strip().lower()
                first = owner.setdefault((field, value), path.name) if value else path.name
                if first != path.name:
                    out.append(f"{path.name} id={row.get('id')} field={field}: also in {first}")
    return out


def summarise(path: Path) -> str:
    """Counts per document, kind and language (or per role) for one dataset file."""
    rows = [r for _, r in read_rows(path)[0]]
    if any("situation" in r for r in rows):
        parts = {"per role_canonical": Counter(str(r.get("role_canonical")) for r in rows),
                 "in_gids": Counter(str(r.get("in_gids")) for r in rows)}
    else:
        docs = Counter(d for r in rows if isinstance(r.get("evidence"), list)
                       for d in {str(e.get("doc_id")) for e in r["evidence"] if isinstance(e, dict)})
        parts = {"per document": docs, "per kind": Counter(r.get("kind") for r in rows),
                 "per lang": Counter(r.get("lang") for r in rows),
                 "answerable": Counter(str(r.get("answerable")) for r in rows),
                 "near-topic unanswerable (with topic_evidence)": Counter(str(bool(r.get("topic_evidence"))) for r in rows
                                                                          if r.get("answerable") is False)}
    lines = [f"  {k}: " + ", ".join(f"{a}={n}" for a, n in sorted(c.items(), key=str)) for k, c in parts.items()]
    return "\n".join([f"{Path(path).name}: {len(rows)} rows", *lines])


def main(argv: list[str] | None = None) -> int:
    """Check the given files (default: the shipped ones) and return the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, default=list(DEFAULT_FILES))
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="folder with sources.json")
    parser.add_argument("--document", type=Path, action="append", default=[], metavar="PATH",
                        help="an extra document (repeatable), under the doc id ingest gives it")
    args = parser.parse_args(argv)
    missing = [f"{d}:0 id=? field=-: document not found" for d in args.document if not d.is_file()]
    if missing:
        print("\n".join([*missing, f"{len(missing)} problem(s)"]))
        return 1
    present = [p for p in args.files if p.is_file()]
    problems = [f"{p}:0 id=? field=-: file not found" for p in args.files if not p.is_file()]
    documents = tuple(args.document)
    problems += [line for p in present for line in check_dataset(p, args.corpus, documents)]
    problems += cross_file_problems(present)
    print("\n".join([*problems, *map(summarise, present), f"{len(problems)} problem(s)"]))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
