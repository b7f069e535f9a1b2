"""The content rubric of a leeropdracht draft: does it fit the person, the role and the situation?

Each request in ``leeropdrachten.jsonl`` may carry a ``rubric`` object, written
from the five documents before any draft was scored. Its spans are exact
substrings of the sources (``python -m eval.check_dataset`` verifies them); a
draft meets a span item when one of its cited passages contains one of the
spans (:class:`eval.matching.EvidenceMatcher`). Fields, all optional:

``roles``           the roles of the gids's appendix the request is about (empty: a role outside it)
``group``           the request is for a team of people in the same role
``appendix``        the name of the gids's appendix with the leeropdrachten ("Bijlage 3")
``section_has``/``section_not``  words the source line of the strength must / must not carry
``main_text``       passages of the gids outside the appendix that describe the role (any one cited)
``closest``         for a role outside the gids: the closest documented material (any one cited)
``fitting``         practices and insights that fit role and situation (the exercise cites one, the reflection too)
``docs_any``        documents the situation calls for (at least one cited)
``situation_terms`` words of the person's own opgave; the exercise uses at least one
``partners``/``not_partners``  who the reflection is with (one of) and who not (none of)
``recognised``      words a note or the context must use to say how the request was read
``also_strength``   for two roles: the strength of the second role, which the draft must also quote

Items are *form* (the draft is well made and honest about its sources) or
*content* (it fits the person and the situation); the report gives the share
met of each kind.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from assistant.leeropdracht.wording import without_sic
from assistant.types import Citation, CitedText, Leeropdracht
from eval.matching import EvidenceMatcher

FORM: tuple[str, ...] = (
    "questions_in_range", "questions_first_person", "required_source_cited", "citations_grounded",
    "citations_retrieved", "no_invented_quotes", "sources_listed", "exports_keep_citations", "request_understood",
    "no_damaged_words", "templates_fit",
)
CONTENT: tuple[str, ...] = (
    "strength_present", "pitfall_present", "says_not_in_gids", "no_invented_strength", "appendix_named",
    "source_labels", "main_text_used", "recognised", "closest_material", "both_roles", "group_addressed",
    "exercise_in_situation", "exercise_material", "reflection_partner", "reflection_material", "situation_docs",
)
ITEMS: tuple[str, ...] = FORM + CONTENT
# The items a program can check without a judgement about fit: the hidden mechanical check counts these.
MECHANICAL: tuple[str, ...] = (
    "questions_in_range", "strength_present", "pitfall_present", "required_source_cited", "citations_grounded",
    "citations_retrieved", "says_not_in_gids", "no_invented_strength", "no_invented_quotes", "sources_listed",
    "exports_keep_citations", "no_damaged_words", "templates_fit",
)
# A quotation of at least this many words must be found in a cited passage or in the request itself.
MIN_QUOTE_WORDS = 4
_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"")
_MARKER = re.compile(r"\[(\d+)\]")
_FIRST_PERSON = re.compile(r"\b(?:ik|mij|mijn|me|we|wij|ons|onze)\b", re.IGNORECASE)
_PLURAL = re.compile(r"\b(?:wij|we|ons|onze)\b", re.IGNORECASE)
_HOE = re.compile(r"^\W*hoe\b.*\?\W*$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class Rubric:
    """The content rubric of one request (see the module docstring)."""

    request: str = ""
    split: str = "dev"
    roles: tuple[str, ...] = ()
    group: bool = False
    appendix: str = ""
    section_has: tuple[str, ...] = ()
    section_not: tuple[str, ...] = ()
    main_text: tuple[str, ...] = ()
    closest: tuple[str, ...] = ()
    fitting: tuple[str, ...] = ()
    docs_any: tuple[str, ...] = ()
    situation_terms: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    not_partners: tuple[str, ...] = ()
    recognised: tuple[str, ...] = ()
    also_strength: tuple[str, ...] = ()


def _texts(value: Any) -> tuple[str, ...]:
    """Plain strings, or the ``text`` of ``{doc_id, text}`` spans."""
    return tuple(v["text"] if isinstance(v, dict) else str(v) for v in value or ())


def load_rubrics(path: Path) -> dict[str, Rubric]:
    """The rubric of every request of a leeropdracht set, by id (requests without one get an empty rubric)."""
    rubrics: dict[str, Rubric] = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        if not raw.strip():
            continue
        row = json.loads(raw)
        r = row.get("rubric") or {}
        rubrics[row["id"]] = Rubric(
            request=row.get("request", ""), split=row.get("split", "dev"), roles=tuple(r.get("roles", ())),
            group=bool(r.get("group", False)), appendix=r.get("appendix", ""),
            section_has=tuple(r.get("section_has", ())), section_not=tuple(r.get("section_not", ())),
            **{k: _texts(r.get(k)) for k in ("main_text", "closest", "fitting", "also_strength")},
            docs_any=tuple(r.get("docs_any", ())), situation_terms=tuple(r.get("situation_terms", ())),
            partners=tuple(r.get("partners", ())), not_partners=tuple(r.get("not_partners", ())),
            recognised=tuple(r.get("recognised", ())),
        )
    return rubrics


@dataclass(frozen=True)
class Rendered:
    """A draft with its exports, as a reader sees them."""

    draft: Leeropdracht
    markdown: str
    docx_text: str
    # Guide roles and group flag of the draft made from the free request; None when it could not be made.
    understood: tuple[tuple[str, ...], bool] | None = None


def _cited_passages(part: CitedText | None, citations: Mapping[int, Citation]) -> list[str]:
    return [citations[n].passage for n in (part.cites if part else ()) if n in citations]


def _any_span(passages: Sequence[str], spans: Sequence[str], matcher: EvidenceMatcher) -> bool:
    return any(matcher.contains(p, s) for p in passages for s in spans)


def invented_quotes(rendered: Rendered, situation: str, matcher: EvidenceMatcher) -> list[str]:
    """Quotations in the Markdown that occur neither in a cited passage nor in the request."""
    passages = [c.passage for c in rendered.draft.citations] + [situation]
    found = []
    for match in _QUOTE.finditer(rendered.markdown):
        quote = without_sic(match.group(1) or match.group(2))
        if len(quote.split()) >= MIN_QUOTE_WORDS and not any(matcher.contains(p, quote) for p in passages):
            found.append(quote)
    return found


def _source_line(markdown: str, n: int, label_only: bool = False) -> str:
    """The line of the Bronnen section for citation ``n`` (with ``label_only``: without the quoted words)."""
    bronnen = markdown.split("## Bronnen", 1)[1] if "## Bronnen" in markdown else ""
    line = next((line for line in bronnen.splitlines() if re.match(rf"^\W*\[{n}\]", line.strip())), "")
    return line.split("“", 1)[0] if label_only else line


def _has(text: str, words: Sequence[str]) -> bool:
    low = text.lower()
    return any(w.lower() in low for w in words)


def _role_key(name: str) -> str:
    """A role name as compared: "planning en control-medewerker" and "planning en control medewerker" are one role."""
    return " ".join(name.lower().replace("-", " ").split())


def _same_roles(understood: tuple[tuple[str, ...], bool], rubric: Rubric) -> bool:
    """True when the draft made from the free request has the rubric's roles (spelt either way) and group flag."""
    roles, group = understood
    return sorted(map(_role_key, roles)) == sorted(map(_role_key, rubric.roles)) and group == rubric.group


def check_rubric(case: Any, rubric: Rubric, rendered: Rendered, matcher: EvidenceMatcher) -> dict[str, bool | None]:
    """The rubric items beyond :func:`eval.answer_metrics.check_leeropdracht` (None: does not apply)."""
    draft, md = rendered.draft, rendered.markdown
    cites = {c.n: c for c in draft.citations}
    passages = [c.passage for c in draft.citations]
    said = " ".join([draft.context, *draft.notes, md.split("## Bronnen")[0]])
    hoe = [q.text for q in draft.questions if _HOE.match(_MARKER.sub("", q.text).strip())]
    exercise, reflection = draft.exercise.text, draft.reflection.text
    in_guide = bool(rubric.roles)
    strength_line = _source_line(md, draft.strength.cites[0], label_only=True) if draft.strength and draft.strength.cites else ""
    markers = set(_MARKER.findall(md))
    result: dict[str, bool | None] = {
        "questions_first_person": bool(hoe) and all(_FIRST_PERSON.search(q) for q in hoe),
        "no_invented_quotes": not invented_quotes(rendered, case.situation, matcher),
        "sources_listed": "## Bronnen" in md and all(
            c.title in (line := _source_line(md, c.n)) and (not c.section or c.section.split(" > ")[-1] in line)
            for c in draft.citations),
        "exports_keep_citations": bool(markers) and markers <= set(_MARKER.findall(rendered.docx_text)),
        "request_understood": None if not rubric.request else (
            rendered.understood is not None and _same_roles(rendered.understood, rubric)),
        "appendix_named": (rubric.appendix in md) if in_guide and rubric.appendix else None,
        "source_labels": (bool(strength_line) and all(w.lower() in strength_line.lower() for w in rubric.section_has)
                          and not _has(strength_line, rubric.section_not)) if in_guide and rubric.section_has else None,
        "main_text_used": _any_span(passages, rubric.main_text, matcher) if rubric.main_text else None,
        "recognised": all(w.lower() in said.lower() for w in rubric.recognised) if rubric.recognised else None,
        "closest_material": _any_span(passages, rubric.closest, matcher) if not in_guide and rubric.closest else None,
        "both_roles": all(matcher.contains(md, s) for s in rubric.also_strength) if rubric.also_strength else None,
        "group_addressed": (bool(_PLURAL.search(exercise)) and bool(_PLURAL.search(reflection))
                            and _has(md, ("team", "groep"))) if rubric.group else None,
        "exercise_in_situation": (_has(exercise, rubric.situation_terms) and case.situation[:40] not in exercise)
        if rubric.situation_terms else None,
        "exercise_material": _any_span(_cited_passages(draft.exercise, cites), rubric.fitting, matcher) if rubric.fitting else None,
        "reflection_partner": (_has(reflection, rubric.partners) and not _has(reflection, rubric.not_partners))
        if rubric.partners else None,
        "reflection_material": _any_span(_cited_passages(draft.reflection, cites), rubric.fitting, matcher) if rubric.fitting else None,
        "situation_docs": any(c.doc_id in rubric.docs_any for c in draft.citations) if rubric.docs_any else None,
    }
    return result


def share_met(outcomes: Sequence[Mapping[str, bool | None]], items: Sequence[str]) -> tuple[int, int]:
    """``(met, applicable)`` over all outcomes for the given items."""
    values = [o.get(i) for o in outcomes for i in items]
    applicable = [v for v in values if v is not None]
    return sum(bool(v) for v in applicable), len(applicable)
