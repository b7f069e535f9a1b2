"""The LLM rewrite of a draft's own texts (exercise and reflection), under the same checks as answers.

The model gets the role, the situation, the passages the draft cites and the
draft itself (``prompts/leeropdracht.md``), and returns ``OEFENING:`` and
``REFLECTIE:``. Each part is kept only when it passes the citation check of
answers (every sentence supported by the passage it cites) and when every
text it puts in quotation marks stands word for word in a cited passage;
otherwise the assembled part stays and a note says so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from assistant.citations import check_citations
from assistant.generate import format_sources, neutralise
from assistant.llm import LLM
from assistant.prompts import PromptSet
from assistant.support import SupportScorer
from assistant.types import CitedText
from kb.types import Hit
from opgavewijzer.text import normalise_space

_SECTION = re.compile(r"^\s*(OEFENING|REFLECTIE)\s*:\s*", re.IGNORECASE | re.MULTILINE)
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"")


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def quotes_verbatim(text: str, hits: Sequence[Hit]) -> bool:
    """True if every quotation in ``text`` stands word for word in one of the passages."""
    passages = [_words(h.text) for h in hits]
    for match in _QUOTED.finditer(text):
        quote = _words(match.group(1) or match.group(2))
        if quote and not any(quote in p for p in passages):
            return False
    return True


@dataclass(frozen=True)
class Rewriter:
    """An LLM with the prompts and the checks its output must pass."""

    llm: LLM
    prompts: PromptSet
    scorer: SupportScorer
    support_threshold: float

    def rewrite(self, role: str, situation: str, hits: Sequence[Hit], parts: Sequence[tuple[str, CitedText | None]],
                exercise: CitedText, reflection: CitedText) -> tuple[CitedText, CitedText, list[str]]:
        """Exercise and reflection as the LLM rewrote them; a part that fails a check stays as drafted."""
        draft_text = "\n".join(f"{label}: {t.text}" for label, t in (*parts, ("OEFENING", exercise), ("REFLECTIE", reflection)) if t)
        system = self.prompts.system.render(answer_language="Nederlands")
        user = self.prompts.leeropdracht.render(role=neutralise(role), situation=neutralise(situation or "(geen)"),
                                                sources=format_sources(hits), draft=neutralise(draft_text))
        raw = self.llm.complete(system, user)
        found = dict(zip(*[iter(_SECTION.split(raw)[1:])] * 2))
        out: list[CitedText] = []
        flagged: list[str] = []
        for key, fallback in (("OEFENING", exercise), ("REFLECTIE", reflection)):
            text = normalise_space(next((v for k, v in found.items() if k.upper() == key), ""))
            checked = check_citations(text, list(hits), self.scorer, self.support_threshold, renumber=False)
            if checked.claims and quotes_verbatim(checked.text, hits):
                out.append(CitedText(checked.text, tuple(sorted({c.n for c in checked.citations}))))
            else:
                out.append(fallback)
                flagged.append(f"{key.lower()}: de herschreven tekst van het taalmodel kwam niet door de bronnencontrole")
        return out[0], out[1], flagged
