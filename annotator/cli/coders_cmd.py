"""`annotator coders PROJECT`: list a study's coders with their role and progress; add one, set a role."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from annotator.cli.commands import open_project
from annotator.cli.locations import project_location
from annotator.domain.errors import CoderError
from annotator.services.coders import CoderProgress, CoderService, parse_role
from annotator.services.layers import set_blind_coding


def register(sub: Any) -> None:
    p = sub.add_parser(
        "coders",
        help="list the coders with role and progress; add a coder or set a role",
        description=(
            "Without options, list the project's coders: role (coder or pi), documents assigned, "
            "done and in progress. --add and --role change the project first, then list it."
        ),
    )
    p.add_argument("project", type=project_location, help="the project file (.annotator)")
    p.add_argument("--add", action="append", default=[], metavar="NAME",
                   help="add a coder (repeat for several)")
    p.add_argument("--role", action="append", default=[], metavar="NAME=ROLE",
                   help="set a coder's role: NAME=pi or NAME=coder (repeat for several)")
    p.add_argument("--blind", choices=["on", "off"],
                   help="blind coding: on (each coder sees only their own work; the default "
                        "once a project has two coders) or off (coders may see each other's)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=cmd_coders)


def _role_change(text: str) -> tuple[str, str]:
    name, sep, role = text.rpartition("=")
    if not sep or not name.strip():
        raise CoderError(f"--role {text!r}: write NAME=pi or NAME=coder")
    return name.strip(), role


def cmd_coders(args: argparse.Namespace) -> int:
    changes = [_role_change(text) for text in args.role]
    roles = [(name, parse_role(role)) for name, role in changes]  # all checked before any write
    changing = bool(args.add or roles or args.blind)
    with open_project(args.project, read_only=not changing) as project:
        service = CoderService(project)
        notes = []
        for name in args.add:
            added = service.add(name)
            notes.append(f"Added coder {name.strip()}." if added else f"{name.strip()} is a coder already.")
        for name, role in roles:
            service.set_role(name, role)
            notes.append(f"{name} is now {role.value}.")
        if args.blind:
            set_blind_coding(project, args.blind == "on")
            notes.append(f"Blind coding is {args.blind}.")
        progress = service.progress()
        blind = service.blind()
    for note in notes:  # beside the JSON, not inside it
        print(note, file=sys.stderr if args.json else sys.stdout)
    if args.json:
        print(json.dumps({c.name: _as_json(c) for c in progress}, ensure_ascii=False))
        return 0
    print(table(progress, args.project))
    if len(progress) > 1:
        print("Blind coding is " + ("on: each coder sees only their own work." if blind
                                     else "off: coders may see each other's work."))
    return 0


def _as_json(coder: CoderProgress) -> dict[str, Any]:
    return {
        "role": coder.role.value, "assigned": coder.assigned, "new": coder.new,
        "in_progress": coder.in_progress, "done": coder.done,
    }


def table(progress: list[CoderProgress], project: Path) -> str:
    if not progress:
        return f"{project} has no coders yet (add them with --add NAME, or with `annotator assign`)."
    width = max(4, *(len(c.name) for c in progress))
    lines = [f"Coders of {project}:",
             f"  {'name':<{width}}  role   assigned      done  in progress"]
    for c in progress:
        lines.append(
            f"  {c.name:<{width}}  {c.role.value:<5}  {c.assigned:>8}  {c.done:>8}  {c.in_progress:>11}"
        )
    return "\n".join(lines)
