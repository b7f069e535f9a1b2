"""Subcommands of the assistant: ``ask`` and ``leeropdracht``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from assistant.llm import ANSWER_MODES
from opgavewijzer.cli.kb import read_questions
from opgavewijzer.errors import ConfigError
from opgavewijzer.settings import Settings

MODES = list(ANSWER_MODES)


def register(sub: Any) -> None:
    """Add the assistant's subcommands to the parser."""
    p = sub.add_parser("ask", help="een vraag beantwoorden, met bronvermelding")
    p.add_argument("question", nargs="?", help="de vraag")
    p.add_argument("--file", type=Path, help="een vraag per regel; uitvoer als JSON Lines")
    p.add_argument("--json", action="store_true", help="uitvoer als JSON")
    p.add_argument("--mode", choices=MODES, help="antwoordmodus (standaard: instelling answer_mode)")
    p.add_argument("--doc", action="append", dest="docs", metavar="ID", help="alleen in dit document zoeken (herhaalbaar)")
    p.add_argument("--top-k", type=int, default=None, help="aantal passages (standaard: instelling top_k)")
    p.add_argument("--explain", action="store_true",
                   help="voor beheerders: toon de vraaganalyse, de beste kandidaatzinnen met hun features en scores, "
                        "waarom elke zin gekozen is en waarom een gat wel of niet gemeld is")
    p.set_defaults(handler=cmd_ask)

    p = sub.add_parser("leeropdracht", help="een leeropdracht opstellen voor een rol, twee rollen of een team")
    p.add_argument("request", nargs="?", metavar="VRAAG",
                   help="de vraag in eigen woorden, bijv. 'Maak een leeropdracht voor een communicatieadviseur die …'")
    p.add_argument("--rol", default=None, help="de rol, bijv. 'lijnmanager', 'lijnmanager en ambtelijk opdrachtgever' "
                   "of 'team van beleidsadviseurs' (gaat voor de rol uit VRAAG)")
    p.add_argument("--situatie", default=None, help="de situatie van de lerende, in eigen woorden (gaat voor VRAAG)")
    p.add_argument("--format", choices=["md", "docx", "json"], default="md", help="uitvoerformaat (standaard: md)")
    p.add_argument("--out", type=Path, help="schrijf naar dit bestand (verplicht bij --format docx)")
    p.add_argument("--mode", choices=MODES, help="antwoordmodus (standaard: instelling answer_mode)")
    p.set_defaults(handler=cmd_leeropdracht)


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    """Answer one question, or every line of ``--file`` as JSON Lines; the models load once."""
    from assistant.answer.engine import Assistant
    from assistant.types import Filters

    if bool(args.question) == bool(args.file):
        raise ConfigError("geef een vraag of --file, niet beide en niet geen van beide")
    if args.top_k is not None and not 1 <= args.top_k <= 50:
        raise ConfigError("--top-k moet tussen 1 en 50 liggen")
    questions = read_questions(args.file) if args.file else [args.question]
    assistant = Assistant.from_settings(settings)
    filters = Filters(doc_ids=tuple(args.docs or ()), top_k=args.top_k)
    for question in questions:
        answer = assistant.answer(question, filters=filters, mode=args.mode)
        if args.explain:
            print(assistant.explain(question, filters).render())
        if args.json or args.file:
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        else:
            print(format_answer(answer))
    return 0


def format_answer(answer: Any) -> str:
    """The human form of an answer: the text, then a 'Bronnen' list (or the closest passages)."""
    lines = [answer.text, ""]
    if answer.citations:
        lines.append("Bronnen")
        for c in answer.citations:
            where = ", ".join(p for p in (c.section, f"p. {c.page}" if c.page else "") if p)
            lines.append(f"[{c.n}] {c.title}" + (f" — {where}" if where else ""))
            lines.append(f"    “{' '.join(c.quote.split())}”")
    elif answer.refused and answer.hits:
        lines.append("Passages die er het dichtst bij komen")
        for hit in answer.hits:
            snippet = " ".join(hit.text.split())
            lines.append(f"- {hit.title}" + (f" — {hit.section}" if hit.section else ""))
            lines.append(f"    {snippet[:240]}{'…' if len(snippet) > 240 else ''}")
    return "\n".join(lines).rstrip() + "\n"


def cmd_leeropdracht(args: argparse.Namespace, settings: Settings) -> int:
    """Draft a leeropdracht and print it or write it to ``--out``."""
    from assistant.answer.engine import Assistant
    from assistant.leeropdracht.export import leeropdracht_to_docx, leeropdracht_to_markdown

    if args.format == "docx" and args.out is None:
        raise ConfigError("--format docx vraagt --out BESTAND.docx")
    if not args.request and not args.rol:
        raise ConfigError("geef een vraag of --rol, bijv. opgavewijzer leeropdracht \"Maak een leeropdracht voor een lijnmanager\"")
    assistant = Assistant.from_settings(settings)
    role, situation = args.rol, args.situatie
    if args.request:
        from assistant.leeropdracht.request import parse_request

        parsed = parse_request(args.request, assistant.roles())
        role, situation = role or parsed.role, situation if situation is not None else (parsed.situation or "")
        if not role:
            # No function at all: say which roles the guide has, so the user can name the nearest one.
            raise ConfigError("in de vraag staat geen functie of rol; noem uw functie (bijv. 'Ik ben griffier' of 'voor een "
                              "beleidsadviseur') of gebruik --rol. De gids heeft leeropdrachten voor: "
                              + ", ".join(r.lower() for r in assistant.roles()))
    draft = assistant.draft_leeropdracht(role, situation or "", mode=args.mode)
    if args.format == "docx":
        path = leeropdracht_to_docx(draft, args.out)
        print(f"leeropdracht geschreven naar {path}", file=sys.stderr)
        return 0
    text = leeropdracht_to_markdown(draft) if args.format == "md" else json.dumps(draft.to_json(), ensure_ascii=False, indent=2) + "\n"
    if args.out is None:
        sys.stdout.write(text)
        return 0
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{args.out}: kan niet schrijven ({exc.strerror or exc})") from exc
    print(f"leeropdracht geschreven naar {args.out}", file=sys.stderr)
    return 0
