"""Role profiles as they cross from ingest to the assistant: typed records, stored with a build.

A document that ``sources.json`` marks as holding a role appendix
(``role_appendix``) is read at ingest by :mod:`ingest.roles`. Every role it
finds becomes a :class:`RoleProfile`: the roles of the appendix with their
leeropdracht (strength, pitfall, the rest of their section, the guide's
questions, the line that sums the leeropdracht up), and the roles its main
text describes without a leeropdracht of their own (a glossary entry, a role
the appendix folds into another). Each piece is a :class:`RoleText` that
says exactly where it stands: passage, offsets, appendix, section and page.

The build stores them as JSON in its ``extras`` (under :data:`ROLES_KEY`);
:func:`profiles_from_extras` reads them back into the same records.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Iterator, Mapping

ROLES_KEY = "roles"
# Bumped when ingest.roles changes what it finds; profiles of another version are not read back.
ROLES_VERSION = 2


@dataclass(frozen=True)
class RoleText:
    """One piece of a role profile and exactly where it stands."""

    text: str
    chunk_id: str  # the passage that holds it
    start: int  # offsets in that passage's text
    end: int
    part: str = ""  # the appendix it stands in ("Bijlage 3"); empty for the main text
    section: str = ""  # the heading above it, as the document prints it
    page: int | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "RoleText":
        """Read what :func:`dataclasses.asdict` wrote."""
        page = data.get("page")
        return cls(text=str(data["text"]), chunk_id=str(data["chunk_id"]), start=int(data["start"]), end=int(data["end"]),
                   part=str(data.get("part", "")), section=str(data.get("section", "")),
                   page=int(page) if isinstance(page, int) else None)


@dataclass(frozen=True)
class RoleProfile:
    """A role a document describes, with a leeropdracht of its own or only in its main text."""

    name: str  # as the document names it, lower case ("ambtelijk opdrachtgever")
    doc_id: str
    aliases: tuple[str, ...] = ()  # other names the document uses for the same person ("wethouder")
    members: tuple[str, ...] = ()  # main-text roles the appendix folds into this one ("projectmanager")
    part_of: str = ""  # for a main-text role the appendix folds into another: that role's name
    strength: RoleText | None = None  # the "pot met goud"
    pitfall: RoleText | None = None
    context: tuple[RoleText, ...] = ()  # the other paragraphs of its appendix section
    questions: tuple[RoleText, ...] = ()  # the guide's "Hoe …?" questions, in the first person
    motto: RoleText | None = None  # the line that sums the leeropdracht up
    description: tuple[RoleText, ...] = ()  # what the main text says about the role

    @property
    def has_leeropdracht(self) -> bool:
        """True for a role of the appendix (it has a strength of its own)."""
        return self.strength is not None

    def texts(self) -> Iterator[RoleText]:
        """Every piece of the profile."""
        for item in (self.strength, self.pitfall, *self.context, *self.questions, self.motto, *self.description):
            if item is not None:
                yield item

    def to_json(self) -> dict[str, Any]:
        """The JSON form stored with the build."""
        return {"version": ROLES_VERSION, **asdict(self)}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "RoleProfile":
        """Read what :meth:`to_json` wrote."""
        one = (lambda v: RoleText.from_json(v) if v else None)
        many = (lambda key: tuple(RoleText.from_json(v) for v in data.get(key) or ()))
        return cls(
            name=str(data["name"]), doc_id=str(data["doc_id"]), aliases=tuple(data.get("aliases") or ()),
            members=tuple(data.get("members") or ()), part_of=str(data.get("part_of", "")),
            strength=one(data.get("strength")), pitfall=one(data.get("pitfall")), context=many("context"),
            questions=many("questions"), motto=one(data.get("motto")), description=many("description"),
        )


def profiles_from_extras(extras: Mapping[str, Any]) -> tuple[RoleProfile, ...]:
    """The role profiles a build stores, in document order; records of another version are skipped."""
    found: list[RoleProfile] = []
    for extra in extras.values():
        if not isinstance(extra, Mapping):
            continue
        for raw in extra.get(ROLES_KEY) or ():
            if isinstance(raw, Mapping) and raw.get("version") == ROLES_VERSION:
                found.append(RoleProfile.from_json(raw))
    return tuple(found)
