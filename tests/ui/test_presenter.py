"""The presenter: answers and leeropdrachten as chat Markdown plus side elements.

Answers here are built by hand (the presenter's input contract is
``assistant.types``); the browser tests check the same views end to end.
"""

from __future__ import annotations

from ui import presenter
from assistant.types import Answer, Citation, CitedText, Leeropdracht
from kb.types import Hit

PASSAGE = (
    "Opgavegericht werken vraagt om een andere manier van sturen.\n\n"
    "De opgave staat centraal, niet de afdeling. Dat vergt *lef* van het bestuur."
)


def citation(n: int = 1, **kw: object) -> Citation:
    values: dict = dict(
        n=n, doc_id="nsob_rapport", title="De opgave aan tafel", section="2 Sturing > 2.1 Rollen", page=7,
        chunk_id=f"nsob_rapport:{n:012d}", quote="De opgave staat centraal, niet de afdeling.", passage=PASSAGE,
    )
    values.update(kw)
    return Citation(**values)  # type: ignore[arg-type]


def hit(rank: int, title: str, text: str = "Een passage over iets anders.") -> Hit:
    return Hit(rank=rank, doc_id=f"doc{rank}", title=title, section="Inleiding", page=None,
               chunk_id=f"doc{rank}:x", score=0.01, text=text)


def test_citation_elements_are_named_like_their_markers_and_open_the_highlighted_passage() -> None:
    answer = Answer(question="Wat staat centraal?", text="De opgave staat centraal [1].", citations=(citation(),),
                    mode="extractive", refused=False)
    view = presenter.answer_view(answer)
    assert view.content.startswith("De opgave staat centraal [1].")
    assert [e.name for e in view.elements] == ["[1]"]
    side = view.elements[0]
    assert side.display == "side" and side.kind == "text"
    assert side.content.startswith("**De opgave aan tafel**  \n*2 Sturing > 2.1 Rollen, p. 7*")
    # Only the quoted sentence is bold; the rest of the passage is plain (and escaped).
    assert "**De opgave staat centraal, niet de afdeling.**" in side.content
    assert "Dat vergt \\*lef\\* van het bestuur." in side.content
    assert side.content.count("**") == 4


def test_every_answer_closes_with_a_sources_list_whose_lines_link_to_the_passages() -> None:
    answer = Answer(question="q", text="Eerste [1]. Tweede [2].", mode="extractive", refused=False,
                    citations=(citation(1), citation(2, title="Vijf bouwstenen", section="", page=None)))
    content = presenter.answer_view(answer).content
    body, sources = content.split("\n\n**Bronnen**\n")
    assert body == "Eerste [1]. Tweede [2]."
    assert sources.splitlines() == [
        "- [1] De opgave aan tafel — 2 Sturing > 2.1 Rollen, p. 7",
        "- [2] Vijf bouwstenen",
    ]


def test_grouped_markers_are_split_so_each_number_is_a_link() -> None:
    assert presenter.normalise_markers("Zo is het [1, 2] en zo [3;4].") == "Zo is het [1][2] en zo [3][4]."


def test_extractive_text_is_escaped_but_markers_survive() -> None:
    answer = Answer(question="q", text="Sturen op *resultaat* en_samenwerking [1].", citations=(citation(),),
                    mode="extractive", refused=False)
    assert presenter.answer_view(answer).content.startswith("Sturen op \\*resultaat\\* en\\_samenwerking [1].")
    llm = Answer(question="q", text="- **Punt** [1]", citations=(citation(),), mode="openai", refused=False)
    assert presenter.answer_view(llm).content.startswith("- **Punt** [1]")


def test_refusal_says_so_and_offers_the_closest_passages_in_the_side_panel() -> None:
    hits = tuple(hit(i, f"Document {i}") for i in range(1, 6))
    answer = Answer(question="Wat kost een treinkaartje?", text="", citations=(), mode="extractive", refused=True, hits=hits)
    view = presenter.answer_view(answer)
    lines = view.content.splitlines()
    assert lines[0] == presenter.REFUSAL_TEXT
    assert lines[2] == presenter.CLOSEST_HEADING
    assert lines[3:] == ["- Passage 1: Document 1 — Inleiding", "- Passage 2: Document 2 — Inleiding",
                         "- Passage 3: Document 3 — Inleiding"]
    assert [e.name for e in view.elements] == ["Passage 1", "Passage 2", "Passage 3"]
    assert view.elements[0].content == "**Document 1**  \n*Inleiding*\n\nEen passage over iets anders.\n"


def test_refusal_keeps_the_assistants_own_wording() -> None:
    answer = Answer(question="q", text="De bronnen zeggen hier niets over.", citations=(), mode="extractive", refused=True)
    assert presenter.answer_view(answer) == presenter.MessageView("De bronnen zeggen hier niets over.")


def test_highlight_marks_every_span_and_merges_overlaps() -> None:
    passage = "Een. Twee drie. Vier."
    assert presenter.highlight(passage, [(5, 15), (10, 15), (16, 21)]) == "Een. **Twee drie.** **Vier.**"


def test_a_quote_spanning_two_paragraphs_is_bold_in_each() -> None:
    c = citation(quote="andere manier van sturen. De opgave staat centraal")
    side = presenter.passage_markdown(c)
    assert "een **andere manier van sturen.**\n\n**De opgave staat centraal**, niet" in side


def test_quote_found_despite_other_whitespace_when_offsets_are_missing() -> None:
    assert presenter.locate_quote("a  b\nc d", "b c") == (3, 6)
    assert presenter.locate_quote("a b c", "x y") is None


def test_flags_shown_only_to_maintainers() -> None:
    answer = Answer(question="q", text="Iets [1].", citations=(citation(),), mode="openai", refused=False,
                    flagged=("Een zin zonder steun in de bron.",))
    assert "broncontrole" not in presenter.answer_view(answer).content
    assert "de broncontrole heeft 1 zin(nen) weggelaten" in presenter.answer_view(answer, show_flags=True).content


def test_retrieval_step_shows_what_was_searched_and_found() -> None:
    text = presenter.retrieval_markdown("rol van de wethouder", [hit(1, "Inspiratiegids")], question="en zijn rol?")
    assert text.splitlines() == [
        "**Gezocht op:** rol van de wethouder",
        "*(de vraag is aangevuld met het eerdere gesprek)*",
        "",
        "1 passages gevonden:",
        "1. Inspiratiegids — Inleiding",
    ]


def test_leeropdracht_view_has_sections_citations_and_both_downloads() -> None:
    draft = Leeropdracht(
        title="Leeropdracht voor de lijnmanager", role="lijnmanager", role_in_gids=True, context="Een nieuwe opgave.",
        strength=CitedText("Verbindt lijn en opgave.", (1,)), pitfall=CitedText("Trekt alles naar de lijn.", (1,)),
        questions=(CitedText("Hoe maak ik ruimte?", (1,)), CitedText("Wie betrek ik?")),
        exercise=CitedText("Voer een gesprek."), reflection=CitedText("Wat leerde je?"),
        citations=(citation(),),
    )
    view = presenter.leeropdracht_view(draft, "# md", b"PK-docx")
    content = view.content
    for heading in ("## Leeropdracht voor de lijnmanager", "### Mijn kracht (pot met goud)", "### Mijn valkuil",
                    "### Reflectievragen", "### Oefening in mijn eigen praktijk", "### Reflectiemoment", "**Bronnen**"):
        assert heading in content
    assert "### Rol en situatie\nRol: lijnmanager\n\nSituatie: Een nieuwe opgave." in content
    assert "1. Hoe maak ik ruimte? [1]\n2. Wie betrek ik?" in content
    assert "### Bronnen" not in content  # the linked list replaces the download's plain one
    assert [(e.name, e.kind) for e in view.elements] == [
        ("[1]", "text"), ("leeropdracht-lijnmanager.md", "file"), ("leeropdracht-lijnmanager.docx", "file")]
    assert view.elements[1].content == b"# md" and view.elements[2].content == b"PK-docx"
    assert view.elements[2].mime == presenter.MIME_DOCX
