"""The overview question set: "waar gaat … over?", "vat … samen", asked of one document or of all of them.

One JSON line per question::

    {"id": "ov-dev-01", "split": "dev", "question": "Waar gaat het NSOB-rapport over?",
     "doc": "nsob_rapport", "lang": "nl"}

``doc`` is a document id of the index, ``"*"`` for a question about all documents, or
``"file:NAME"`` for a document under ``eval/added/`` (or its ``overview/`` folder) that the evaluation adds with the
ingest pipeline first (its id is whatever ingest derives). ``split`` is ``dev``
(written and read while building), ``blind1`` (written by someone else, read once at the end of a round and
tuned on since) or ``blind`` (written by someone else, never tuned on, measured once).
A malformed line is an error naming the file, the line and the field.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from eval.added import added_path, with_added_documents
from eval.datasets import DATASETS_DIR, _Line, _read_lines
from kb.knowledge_base import KnowledgeBase
from opgavewijzer.errors import ConfigError
from opgavewijzer.settings import Settings

OVERVIEW_SET = DATASETS_DIR / "overview.jsonl"
# Questions in overview words about a topic inside a document ("Vat samen wat het rapport zegt over X"): they must
# get an ordinary answer. Written apart from the engine with the blind parts, split like them (blind1: trained on).
TOPIC_SET = DATASETS_DIR / "overview-negatives.jsonl"
SPLITS = ("dev", "blind1", "blind")
ALL_DOCUMENTS = "*"
FILE_PREFIX = "file:"


@dataclass(frozen=True)
class OverviewQuestion:
    """One overview question and the document it asks about."""

    id: str
    split: str
    question: str
    doc: str  # a doc id, "*" (every document) or "file:NAME" (a document of eval/added/)
    lang: str

    @property
    def added_file(self) -> str:
        """The file name under eval/added/ the question is about ("" for a document of the index)."""
        return self.doc[len(FILE_PREFIX):] if self.doc.startswith(FILE_PREFIX) else ""


def _parse(line: _Line) -> OverviewQuestion:
    split = line.get("split", str)
    if split not in SPLITS:
        raise line.error(f"veld 'split' moet een van {', '.join(SPLITS)} zijn, niet '{split}'")
    lang = line.get("lang", str)
    if lang not in ("nl", "en"):
        raise line.error(f"veld 'lang' moet 'nl' of 'en' zijn, niet '{lang}'")
    doc = line.get("doc", str).strip()
    if not doc or (doc.startswith(FILE_PREFIX) and not doc[len(FILE_PREFIX):].strip()):
        raise line.error("veld 'doc' is leeg")
    question = line.get("question", str).strip()
    if not question:
        raise line.error("veld 'question' is leeg")
    return OverviewQuestion(line.get("id", str), split, question, doc, lang)


def load_overview(path: Path = OVERVIEW_SET) -> list[OverviewQuestion]:
    """The questions of an overview set, in file order."""
    questions = _read_lines(Path(path), _parse)  # type: ignore[type-var]
    for q in questions:
        if q.added_file and not added_path(q.added_file).is_file():
            raise ConfigError(f"{Path(path).name}, vraag {q.id}: {q.added_file} staat niet in eval/added/")
    return questions


@dataclass(frozen=True)
class TopicQuestion:
    """A question about a topic in a document, worded like an overview question."""

    id: str
    split: str  # as in OverviewQuestion
    question: str
    doc: str  # as in OverviewQuestion
    topic: str

    @property
    def added_file(self) -> str:
        """The file name under eval/added/ the question is about ("" for a document of the index)."""
        return self.doc[len(FILE_PREFIX):] if self.doc.startswith(FILE_PREFIX) else ""


def load_topic_questions(path: Path = TOPIC_SET) -> list[TopicQuestion]:
    """The topic questions of ``path`` (none when the file is absent); a malformed line names its field."""
    if not Path(path).is_file():
        return []
    return _read_lines(Path(path), lambda line: TopicQuestion(  # type: ignore[type-var]
        line.get("id", str), line.get("split", str), line.get("question", str).strip(), line.get("doc", str).strip(),
        line.get("topic", str)))


@contextmanager
def with_files_added(settings: Settings, names: Sequence[str], show_progress: bool = False
                     ) -> Iterator[tuple[KnowledgeBase, dict[str, str]]]:
    """A copy of the index with the named files of eval/added/ ingested; and each file's doc id.

    Without names the index itself is opened (nothing is copied).
    """
    if not names:
        yield KnowledgeBase(settings), {}
        return
    paths = [added_path(n) for n in sorted(set(names))]
    with with_added_documents(settings, show_progress, paths) as kb:
        ids = {record.file: doc_id for doc_id, record in kb.info.documents.items()}
        yield kb, {n: ids[n] for n in names if n in ids}
