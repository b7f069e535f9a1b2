"""Loading the evaluation sets (JSON Lines) into typed records.

Two formats live in ``eval/datasets/``:

* questions (``dev.jsonl``, ``holdout.jsonl``): one question per line with its
  gold evidence, exact substrings of the source documents;
* leeropdracht requests (``leeropdrachten.jsonl``): a role, a situation and
  the rubric a draft is checked against.

A malformed line is an error that names the file, the line and the field:
an evaluation that silently skips questions would report a misleading score.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from opgavewijzer.errors import ConfigError

DATASETS_DIR = Path(__file__).resolve().parent / "datasets"
DEV_SET = DATASETS_DIR / "dev.jsonl"
HOLDOUT_SET = DATASETS_DIR / "holdout.jsonl"
LEEROPDRACHT_SET = DATASETS_DIR / "leeropdrachten.jsonl"
# Written before any tuning and frozen: reported once per round of work, never trained or tuned on.
BLIND_SET = DATASETS_DIR / "blind.jsonl"
# Questions about the documents in eval/added/, which the engine was not built around (see eval.added).
ADDED_SET = DATASETS_DIR / "added.jsonl"
# train-fresh: 49 questions written by a reader who saw neither the engine nor the other sets (round 11);
# train-fresh2: 34 more by two such writers (round 12; their 20 questions about the added document are in
# added.jsonl); train-fresh3: 38 more by two such writers (round 13; their 18 questions about the added report
# and the 20 of a third writer about the second added document are in added.jsonl). Read to find kinds of
# failure, not trained on (eval/train_ranker.py lists what the ranker learns from).
TRAIN_SETS = (DATASETS_DIR / "train-gids.jsonl", DATASETS_DIR / "train-docs.jsonl", DATASETS_DIR / "train-fresh.jsonl",
              DATASETS_DIR / "train-fresh2.jsonl", DATASETS_DIR / "train-fresh3.jsonl")


def question_sets() -> dict[str, tuple[Path, ...]]:
    """The question sets by the name ``opgavewijzer eval answers --set NAME`` takes."""
    return {"dev": (DEV_SET,), "holdout": (HOLDOUT_SET,), "blind": (BLIND_SET,), "added": (ADDED_SET,),
            "train": TRAIN_SETS}

KINDS: frozenset[str] = frozenset(
    {"fact", "definition", "how", "why", "list", "comparison", "multi_doc", "unanswerable", "vague", "typo", "english", "role"}
)

T = TypeVar("T", "EvalQuestion", "LeeropdrachtCase")


@dataclass(frozen=True)
class Evidence:
    """A passage of one document that answers (part of) a question."""

    doc_id: str
    text: str


@dataclass(frozen=True)
class EvalQuestion:
    """One question of a question set, with its gold evidence."""

    id: str
    question: str
    kind: str
    lang: str
    answerable: bool
    evidence: tuple[Evidence, ...]
    reference_answer: str = ""
    # Unanswerable questions: what is asked that the sources do not give, and where they touch the topic.
    missing: str = ""
    topic_evidence: tuple[Evidence, ...] = ()

    @property
    def doc_ids(self) -> tuple[str, ...]:
        """The documents the gold evidence comes from, in order of first mention."""
        return tuple(dict.fromkeys(e.doc_id for e in self.evidence))


@dataclass(frozen=True)
class LeeropdrachtCase:
    """One leeropdracht request with the rubric a draft must meet."""

    id: str
    role: str
    role_canonical: str
    situation: str
    in_gids: bool
    expected_strength: str
    expected_pitfall: str
    required_source: str
    min_questions: int
    max_questions: int
    split: str = "dev"  # dev (tuned on), holdout (not tuned on), blind1 (by others, read once, tuned on since),
    # blind (written by others, never seen while tuning)


# The parts of the leeropdracht set: the report gives each its own figures.
LEEROPDRACHT_SPLITS = ("dev", "holdout", "blind1", "blind")


class _Line:
    """Typed access to the fields of one JSON line, with errors that name file, line and field."""

    def __init__(self, path: Path, number: int, data: dict[str, Any]) -> None:
        self.path, self.number, self.data = path, number, data

    def error(self, message: str) -> ConfigError:
        """A :class:`ConfigError` located at this line."""
        return ConfigError(f"{self.path.name}, regel {self.number}: {message}")

    def get(self, key: str, kind: type, required: bool = True, default: Any = None) -> Any:
        """The value of ``key``, checked to be of type ``kind``."""
        if key not in self.data or self.data[key] is None:
            if required:
                raise self.error(f"veld '{key}' ontbreekt")
            return default
        value = self.data[key]
        # bool is a subclass of int; a count given as true/false is a mistake.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.error(f"veld '{key}' moet {kind.__name__} zijn, niet {type(value).__name__}")
        return value


def _read_lines(path: Path, parse: Callable[[_Line], T]) -> list[T]:
    """Parse every non-empty line of a JSON Lines file; ids must be unique."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except FileNotFoundError as exc:
        raise ConfigError(f"{path}: dataset niet gevonden") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: niet in UTF-8 gecodeerd") from exc
    records: list[T] = []
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{Path(path).name}, regel {number}: geen geldige JSON ({exc.msg})") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{Path(path).name}, regel {number}: verwacht een JSON-object")
        line = _Line(Path(path), number, data)
        record = parse(line)
        if record.id in seen:
            raise line.error(f"id '{record.id}' komt twee keer voor")
        seen.add(record.id)
        records.append(record)
    if not records:
        raise ConfigError(f"{path}: dataset is leeg")
    return records


def _parse_question(line: _Line) -> EvalQuestion:
    kind = line.get("kind", str)
    if kind not in KINDS:
        raise line.error(f"onbekende kind '{kind}' (toegestaan: {', '.join(sorted(KINDS))})")
    evidence = _parse_spans(line, "evidence")
    answerable = line.get("answerable", bool)
    if answerable and not evidence:
        raise line.error("een beantwoordbare vraag heeft minstens één evidence nodig")
    return EvalQuestion(
        id=line.get("id", str),
        question=line.get("question", str),
        kind=kind,
        lang=line.get("lang", str, required=False, default="nl"),
        answerable=answerable,
        evidence=tuple(evidence),
        reference_answer=line.get("reference_answer", str, required=False, default=""),
        missing=line.get("missing", str, required=False, default=""),
        topic_evidence=tuple(_parse_spans(line, "topic_evidence")),
    )


def _parse_spans(line: _Line, key: str) -> list[Evidence]:
    """A list of ``{doc_id, text}`` objects (``evidence`` or ``topic_evidence``); absent means empty."""
    spans: list[Evidence] = []
    for i, item in enumerate(line.get(key, list, required=False, default=[])):
        if not isinstance(item, dict) or not isinstance(item.get("doc_id"), str) or not isinstance(item.get("text"), str):
            raise line.error(f"{key}[{i}] moet een object met 'doc_id' en 'text' (tekst) zijn")
        if not item["text"].strip():
            raise line.error(f"{key}[{i}].text is leeg")
        spans.append(Evidence(item["doc_id"], item["text"]))
    return spans


def _parse_case(line: _Line) -> LeeropdrachtCase:
    lo, hi = line.get("min_questions", int), line.get("max_questions", int)
    if not 0 <= lo <= hi:
        raise line.error(f"min_questions ({lo}) en max_questions ({hi}) vormen geen geldig bereik")
    role = line.get("role", str)
    split = line.get("split", str, required=False, default="dev")
    if split not in LEEROPDRACHT_SPLITS:
        raise line.error(f"split '{split}' is onbekend (toegestaan: {', '.join(LEEROPDRACHT_SPLITS)})")
    return LeeropdrachtCase(
        id=line.get("id", str),
        role=role,
        role_canonical=line.get("role_canonical", str, required=False, default=role),
        situation=line.get("situation", str, required=False, default=""),
        in_gids=line.get("in_gids", bool),
        expected_strength=line.get("expected_strength", str, required=False, default=""),
        expected_pitfall=line.get("expected_pitfall", str, required=False, default=""),
        required_source=line.get("required_source", str),
        min_questions=lo,
        max_questions=hi,
        split=split,
    )


def load_questions(path: Path = DEV_SET) -> list[EvalQuestion]:
    """Load a question set; raises :class:`ConfigError` naming the line of any malformed record."""
    return _read_lines(path, _parse_question)


def load_leeropdracht_cases(path: Path = LEEROPDRACHT_SET) -> list[LeeropdrachtCase]:
    """Load the leeropdracht requests; raises :class:`ConfigError` naming the line of any malformed record."""
    return _read_lines(path, _parse_case)
