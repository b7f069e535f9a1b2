"""What a leeropdracht says in its own words, checked: damaged words outside quotation marks, and template slips.

Everything outside quotation marks is the draft's own and must be correct
Dutch. Three kinds of damage are counted there:

* a *source slip*: a word the sources misspell, copied into the draft's own
  text ("sturingsproffesionals"), found by the same rule that marks slips
  "[sic]" inside quotes (:class:`assistant.leeropdracht.wording.Spelling`);
* a *misspelt role name*: a variant of a role's name that is a misspelling of
  it ("ambachtelijk opdrachtgever");
* a *split word*: two pieces that are no words of their own but are one word
  of the sources together ("vakinhoudeli jk"), the rule of
  :mod:`ingest.wordbreaks`.

Words of the learner's own request are theirs and are not counted. The
template check (:func:`assistant.leeropdracht.phrasing.template_problems`)
runs over the texts the templates wrote: exercise, reflection, own questions
and notes.
"""

from __future__ import annotations

import re
from typing import Iterable, Sequence

from assistant.leeropdracht.phrasing import template_problems
from assistant.leeropdracht.wording import Spelling, misspelt_variants, unquoted
from assistant.types import Leeropdracht
from kb.roles import RoleProfile
from opgavewijzer.text import word_frequency

_MARKER = re.compile(r"\[\d+\]|\[sic\]")
_PAIR = re.compile(r"(?<![\w-])([a-zà-ÿ]{2,}) (?=([a-zà-ÿ]+)(?![\w-]))")
_WORD = re.compile(r"[^\W\d_]+")
# The thresholds of ingest.wordbreaks: a piece is a word when Dutch uses it this often (short pieces more).
PART_ZIPF, SHORT_PART_ZIPF, JOINED_ZIPF = 3.0, 4.0, 2.0


class WordCheck:
    """The sources' words and role names, to find damaged words in a draft's own text."""

    def __init__(self, texts: Iterable[str], profiles: Sequence[RoleProfile]) -> None:
        self.spelling = Spelling(texts)
        self.variants = [v for p in profiles for v in misspelt_variants(p.name, p.aliases)]

    def _piece(self, word: str) -> bool:
        return word_frequency(word)[0] >= (SHORT_PART_ZIPF if len(word) <= 2 else PART_ZIPF)

    def damaged(self, own: str, request: str = "") -> list[str]:
        """The damaged words of ``own`` (text outside quotation marks), not counting the learner's own words."""
        theirs = {w.lower() for w in _WORD.findall(request)}
        text = _MARKER.sub(" ", own)
        found = [w for w in self.spelling.misspelt(text) if w.lower() not in theirs]
        found += [v for v in self.variants for _ in re.finditer(rf"\b{re.escape(v)}\b", text, re.IGNORECASE)]
        for m in _PAIR.finditer(text):
            left, right = m.group(1), m.group(2)
            joined = (left + right).lower()
            if (not self._piece(left) and not self._piece(right) and joined not in theirs
                    and (self.spelling.counts[joined] > 0 or word_frequency(joined)[0] >= JOINED_ZIPF)):
                found.append(f"{left} {right}")
        return found

    def damaged_in(self, markdown: str, request: str = "") -> list[str]:
        """The damaged words of a whole Markdown draft outside its quotation marks."""
        return self.damaged(unquoted(markdown), request)


def template_slips(draft: Leeropdracht) -> list[str]:
    """What is wrong with the texts the templates wrote (exercise, reflection, own questions, notes)."""
    own = [draft.exercise.text, draft.reflection.text, *(q.text for q in draft.questions if not q.cites), *draft.notes]
    return [p for text in own for p in template_problems(text)]
