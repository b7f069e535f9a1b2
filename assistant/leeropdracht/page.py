"""One page: a draft that learning staff can hand out as it is.

A draft is made of whole items (a quoted description, the strength, a
question, a sentence to read further, the exercise …). Two rules keep it to
about a page:

* *No quote twice.* An item whose quotation repeats one an item of higher
  rank already gives (the same words, or words that contain or are contained
  in them; passages overlap) is left out.
* *A cap on the words.* While the Markdown export before its source list is
  longer than :data:`MAX_WORDS` (plus :data:`WORDS_PER_EXTRA_ROLE` for every
  further role), the item of lowest rank that may go is left out whole:
  further reading from the end, then the summing-up line, the closest
  material beyond the first, questions beyond :data:`MIN_QUESTIONS`, the
  role's descriptions beyond the second, what it asks beyond the first, and
  its descriptions beyond the first. Strength, pitfall, the first
  description, the exercise and the reflection are never cut; a draft that is
  still long after all that is long.

Sources no item cites any more are left out and the rest renumbered
(:func:`assistant.leeropdracht.sources.without_unused`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Callable

from assistant.leeropdracht.export import SOURCES, leeropdracht_to_markdown
from assistant.leeropdracht.sources import without_unused
from assistant.leeropdracht.wording import without_sic
from assistant.types import CitedText, Leeropdracht, RolePart

# One A4 page of 11-point text holds about 600 words of running prose, a little more with the short lines of
# headings and numbered questions. The source list after it (one line a source) is not counted: it is
# the draft's appendix. Before this cap drafts of the dev set ran to 1,900 words, 944 in the middle; the
# guide's own texts for one role (description, strength, pitfall, what it asks) with the exercise and the
# reflection take about 600.
MAX_WORDS = 700
# A request for two or three roles quotes each role's strength and pitfall: about this many words a role.
WORDS_PER_EXTRA_ROLE = 200
MIN_QUESTIONS = 3  # the rubric's lower bound: the reflection questions are never cut below it
_QUOTE = re.compile(r"“([^”]+)”")
_WORDS = re.compile(r"\w+")
_HOE = re.compile(r"^\W*Hoe\b", re.IGNORECASE)


def words(draft: Leeropdracht) -> int:
    """The number of words of the draft's Markdown export before its source list."""
    return len(_WORDS.findall(leeropdracht_to_markdown(draft).split(f"\n## {SOURCES}\n")[0]))


def _quotes(item: CitedText | None) -> list[str]:
    """The quotations from the sources of an item, as the source has them, whitespace and case made even.

    An item that cites nothing quotes only the user's own words ("wat ik zelf beschreef: “…”"): no source quote.
    """
    return [" ".join(without_sic(q).lower().split()) for q in _QUOTE.findall(item.text)] if item and item.cites else []


def _repeats(item: CitedText | None, said: list[str]) -> bool:
    return any(q in s or s in q for q in _quotes(item) for s in said if len(q.split()) >= 4 and len(s.split()) >= 4)


def _keep_new(items: tuple[CitedText, ...], said: list[str]) -> tuple[CitedText, ...]:
    """The items whose quotations no earlier item gave; ``said`` grows with what is kept."""
    kept = []
    for item in items:
        if not _repeats(item, said):
            kept.append(item)
            said += _quotes(item)
    return tuple(kept)


def without_repeats(draft: Leeropdracht) -> Leeropdracht:
    """The draft without items that quote what an item of higher rank quotes already.

    Rank: strength and pitfall, the exercise and the reflection (never left out), the roles' descriptions and
    asks, the questions, the closest material, further reading.
    """
    said = [q for item in (draft.exercise, draft.reflection, *(t for p in draft.parts for t in (p.strength, p.pitfall)))
            for q in _quotes(item)]
    parts = []
    for p in draft.parts:
        description = _keep_new(p.description, said)
        asks = _keep_new(p.asks, said)
        motto = p.motto if p.motto is None or not _repeats(p.motto, said) else None
        said += _quotes(motto)
        parts.append(replace(p, description=description, asks=asks, motto=motto))
    questions = _keep_new(draft.questions, said)
    closest = _keep_new(draft.closest, said)
    reading = _keep_new(draft.reading, said)
    return replace(draft, parts=tuple(parts), questions=questions, closest=closest, reading=reading)


def _cuts(draft: Leeropdracht) -> list[Callable[[Leeropdracht], Leeropdracht | None]]:
    """The cuts in the order they are tried; each leaves one item out, or gives None when it has none to cut."""
    def last_reading(d: Leeropdracht) -> Leeropdracht | None:
        return replace(d, reading=d.reading[:-1]) if d.reading else None

    def closest(d: Leeropdracht) -> Leeropdracht | None:
        return replace(d, closest=d.closest[:-1]) if len(d.closest) > 1 else None

    def in_parts(field: str, keep: int) -> Callable[[Leeropdracht], Leeropdracht | None]:
        def cut(d: Leeropdracht) -> Leeropdracht | None:
            for i in reversed(range(len(d.parts))):
                items = getattr(d.parts[i], field)
                if len(items) > keep:
                    parts = list(d.parts)
                    parts[i] = replace(parts[i], **{field: items[:-1]})
                    return replace(d, parts=tuple(parts))
            return None
        return cut

    def motto(d: Leeropdracht) -> Leeropdracht | None:
        i = next((i for i in reversed(range(len(d.parts))) if d.parts[i].motto is not None), None)
        if i is None:
            return None
        parts: list[RolePart] = list(d.parts)
        parts[i] = replace(parts[i], motto=None)
        return replace(d, parts=tuple(parts))

    def question(d: Leeropdracht) -> Leeropdracht | None:
        left = d.questions[:-1]
        return replace(d, questions=left) if sum(bool(_HOE.match(q.text)) for q in left) >= MIN_QUESTIONS else None

    # What the guide says about the role itself (its description, what it asks of the role) goes last.
    return [last_reading, motto, closest, question, in_parts("description", 2), in_parts("asks", 1),
            in_parts("description", 1)]


def one_page(draft: Leeropdracht) -> Leeropdracht:
    """The draft without repeated quotes, cut at whole items to :data:`MAX_WORDS` (see the module docstring)."""
    draft = without_repeats(draft)
    cap = MAX_WORDS + WORDS_PER_EXTRA_ROLE * max(0, len(draft.parts) - 1)
    while words(draft) > cap:
        shorter = next((s for s in (cut(draft) for cut in _cuts(draft)) if s is not None), None)
        if shorter is None:
            break
        draft = without_unused(shorter)
    return without_unused(draft)
