"""Job titles as functions, and the guide role nearest to a function the guide does not name.

People name their function in their own words: "griffier", "financial adviser",
"MT-lid". The titles and the guide role closest to each are kept as data
(``functions.tsv``, beside this module), not in code. Two things are read from
them:

* :func:`is_function`: a word that is such a title (or a compound ending in
  one, "raadsgriffier") names a person's function, so a request that contains
  it is never refused;
* :class:`NearestRole`: the e5 vector of the function a user names against
  those of every title, each labelled with its guide role or with "-" for a
  function the guide does not describe. The nearest title decides
  (nearest-neighbour reading of the list): close to a title of a guide role,
  the function is read as that role; otherwise the draft is written from the
  closest material, and the note names the nearest guide role and how close
  it came.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Sequence

import numpy as np

FUNCTIONS_FILE = Path(__file__).with_name("functions.tsv")
OUTSIDE = "-"
# A function whose e5 cosine (query: prefix on both sides) with a title of a guide role reaches this floor is read
# as that role. Chosen on near variants that are not in the list ("financiële adviseur", "budgetcontroller",
# "afdelingsmanager Wonen", "senior projectleider") against functions the guide does not describe
# ("raadsgriffier van de gemeente", "communicatiemedewerker", "HR business partner", "juridisch medewerker"):
# the variants reached 0.93 and more, the other functions' nearest guide titles at most 0.92 (see the test
# tests/assistant/test_leeropdracht_functions.py, which keeps both sides of the floor).
NEAR_ROLE_FLOOR = 0.93
# An outside function whose nearest guide role reaches this cosine gets a note naming that role; below it the nearest
# role says nothing ("griffier" came nearest to the sturingsprofessional at 0.85). Same lists: functions related to
# a guide role without being it ("raadsgriffier van de gemeente" → volksvertegenwoordiger) reached 0.90 to 0.93.
NAME_NEAREST_FLOOR = 0.90
COMPOUND_HEAD_MIN = 5  # "raadsgriffier" ends in "griffier"; shorter titles are not looked for at a word's end


@lru_cache(maxsize=1)
def titles() -> dict[str, str]:
    """Title → the guide role's name, or :data:`OUTSIDE`; read once from ``functions.tsv``."""
    table: dict[str, str] = {}
    for line in FUNCTIONS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        title, role = (part.strip() for part in line.split("\t", 1))
        table[title.lower()] = role
    return table


@lru_cache(maxsize=1)
def _single_titles() -> frozenset[str]:
    """The titles of one word: what a word of a request is compared with (read once, like the list)."""
    return frozenset(t for t in titles() if " " not in t)


def is_function(word: str) -> bool:
    """True for a word that is a job title of the list, or a compound ending in one ("raadsgriffier")."""
    low = word.lower().strip("'‘’\"“”")
    single = _single_titles()
    if low in single or low.rstrip("s") in single or (low.endswith("en") and low[:-2] in single):
        return True
    return any(len(t) >= COMPOUND_HEAD_MIN and low.endswith(t) for t in single)


@dataclass(frozen=True)
class Nearest:
    """The guide role nearest to a function, how close it came, and through which title of the list."""

    asked: str
    role: str  # the guide role's name of the nearest title, or OUTSIDE
    title: str
    closeness: float
    nearest_guide_role: str  # the closest title that has a guide role: named in the note of an outside function
    guide_closeness: float

    @property
    def is_role(self) -> bool:
        """True when the function is read as the guide role (close enough, and not nearer to an outside title)."""
        return self.role != OUTSIDE and self.closeness >= NEAR_ROLE_FLOOR


class NearestRole:
    """Nearest-neighbour reading of a function against the titles of the list, by e5 (one embedder per build)."""

    def __init__(self, embedder: Any, known_roles: Sequence[str]) -> None:
        known = {r.lower() for r in known_roles}
        # Only titles of roles this build describes (or outside ones) take part: another guide has other roles.
        self._titles = [(t, r) for t, r in titles().items() if r == OUTSIDE or r.lower() in known]
        self._embedder = embedder
        self._vectors: np.ndarray | None = None

    def _matrix(self) -> np.ndarray:
        if self._vectors is None:
            self._vectors = np.asarray(self._embedder.embed_queries([t for t, _ in self._titles]), dtype=np.float32)
        return self._vectors

    def nearest(self, function: str) -> Nearest | None:
        """The title nearest to ``function``; None when there is nothing to compare with."""
        phrase = " ".join(function.lower().split())
        if not phrase or not self._titles or self._embedder is None:
            return None
        query = np.asarray(self._embedder.embed_queries([phrase]), dtype=np.float32)[0]
        cosines = self._matrix() @ query
        best = int(np.argmax(cosines))
        guide = [i for i, (_, r) in enumerate(self._titles) if r != OUTSIDE]
        near = max(guide, key=lambda i: cosines[i]) if guide else best
        return Nearest(function, self._titles[best][1], self._titles[best][0], float(cosines[best]),
                       self._titles[near][1], float(cosines[near]))


@lru_cache(maxsize=4)
def _reader(embedder: Any, names: tuple[str, ...]) -> NearestRole:
    """One reader per embedder and set of roles, so that the titles are embedded once. Keyed by the embedder
    itself (not its id, which a later object may reuse) and bounded: a long-running server loads few builds."""
    return NearestRole(embedder, names)


def read_outside(matches: Sequence[Any], book: Any, embedder: Any) -> list[Any]:
    """``matches`` (:class:`assistant.leeropdracht.roles.RoleMatch`) with every role read as outside the guide
    compared with the titles of the list: read as the nearest guide role when close enough ("near"), else kept
    outside with the nearest title recorded for the note. Without an embedder the matches stay as they are."""
    if embedder is None or not any(m.how == "outside" for m in matches):
        return list(matches)
    names = tuple(sorted(p.name for p in book.profiles))
    reader = _reader(embedder, names)
    out = []
    for m in matches:
        near = reader.nearest(m.asked) if m.how == "outside" else None
        if near is None:
            out.append(m)
            continue
        profile = book.of(near.role) if near.is_role else None
        described = next((p for p in book.main_text if p.name == near.role), None) if near.is_role else None
        if profile is not None:
            out.append(replace(m, how="near", profile=profile, nearest=near))
        elif described is not None:
            parent = book.of(described.part_of) if described.part_of else None
            out.append(replace(m, how="near" if parent else "main_text", profile=parent, described=described, nearest=near))
        else:
            out.append(replace(m, nearest=near))
    return out
