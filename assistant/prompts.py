"""Prompt files: loaded by name from ``prompts/``, their variables checked on load.

A prompt file is Markdown with a small front matter that declares the
variables the template needs::

    ---
    variables: question, sources
    ---
    Vraag: {question} ...

Placeholders are ``{name}``; a literal brace is written ``{{`` or ``}}``. A
file that uses an undeclared placeholder, or declares a variable it never
uses, is rejected when it is loaded, so a broken prompt fails at start-up and
not in the middle of a conversation.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path

from opgavewijzer.errors import PromptError

PROMPT_NAMES = ("system", "answer", "condense", "leeropdracht")


@dataclass(frozen=True)
class Prompt:
    """One loaded prompt template."""

    name: str
    path: Path
    variables: tuple[str, ...]
    template: str

    def render(self, **values: str) -> str:
        """Fill in the template; every declared variable must be given."""
        missing = [v for v in self.variables if v not in values]
        if missing:
            raise PromptError(f"{self.path.name}: variabele '{missing[0]}' ontbreekt bij het invullen")
        # Values are inserted verbatim: braces inside a source text are data, not placeholders.
        return self.template.format(**{v: values[v] for v in self.variables})


def _split_front_matter(path: Path, raw: str) -> tuple[dict[str, str], str]:
    lines = raw.splitlines()
    if not lines or lines[0].strip() != "---":
        raise PromptError(f"{path.name}: front matter ontbreekt (het bestand moet met '---' beginnen)")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration as exc:
        raise PromptError(f"{path.name}: front matter wordt niet afgesloten met '---'") from exc
    meta: dict[str, str] = {}
    for line in lines[1:end]:
        if line.strip() and ":" in line:
            key, value = line.split(":", 1)
            meta[key.strip().lower()] = value.strip()
    return meta, "\n".join(lines[end + 1 :]).strip() + "\n"


def _placeholders(path: Path, template: str) -> set[str]:
    names: set[str] = set()
    try:
        for _, field, spec, conversion in string.Formatter().parse(template):
            if field is None:
                continue
            if not field.isidentifier() or spec or conversion:
                raise PromptError(f"{path.name}: ongeldige plaatshouder '{{{field}}}' (alleen {{naam}} is toegestaan)")
            names.add(field)
    except ValueError as exc:
        raise PromptError(f"{path.name}: losse accolade in de tekst ({exc}); schrijf {{{{ of }}}}") from exc
    return names


def load_prompt(prompts_dir: Path, name: str, required: tuple[str, ...] = ()) -> Prompt:
    """Load ``<prompts_dir>/<name>.md`` and check its variables.

    ``required`` lists variables the calling code will pass; a file that does
    not use one of them is an error that names the file and the variable.
    """
    path = prompts_dir / f"{name}.md"
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise PromptError(f"{path.name}: promptbestand niet gevonden in {prompts_dir}") from exc
    except UnicodeDecodeError as exc:
        raise PromptError(f"{path.name}: niet in UTF-8 gecodeerd") from exc
    meta, template = _split_front_matter(path, raw)
    declared = tuple(v.strip() for v in meta.get("variables", "").split(",") if v.strip())
    used = _placeholders(path, template)
    for var in declared:
        if var not in used:
            raise PromptError(f"{path.name}: variabele '{var}' is gedeclareerd maar komt niet voor in de tekst")
    for var in sorted(used - set(declared)):
        raise PromptError(f"{path.name}: variabele '{var}' staat in de tekst maar niet in 'variables:'")
    for var in required:
        if var not in declared:
            raise PromptError(f"{path.name}: verplichte variabele '{var}' ontbreekt")
    return Prompt(name=name, path=path, variables=declared, template=template)


@dataclass(frozen=True)
class PromptSet:
    """The four prompts the assistant uses, loaded together."""

    system: Prompt
    answer: Prompt
    condense: Prompt
    leeropdracht: Prompt

    @classmethod
    def load(cls, prompts_dir: Path) -> "PromptSet":
        """Load and check every prompt; the first problem raises :class:`PromptError`."""
        return cls(
            system=load_prompt(prompts_dir, "system", ("answer_language",)),
            answer=load_prompt(prompts_dir, "answer", ("sources", "question", "answer_language")),
            condense=load_prompt(prompts_dir, "condense", ("history", "question")),
            leeropdracht=load_prompt(prompts_dir, "leeropdracht", ("role", "situation", "sources")),
        )
