"""`annotator codebook export|import`: share a study's codebook as a JSON file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.commands import open_project
from annotator.cli.locations import project_location
from annotator.services.codebook import CodebookReplacesAllError, CodebookService


def register(sub: Any) -> None:
    p = sub.add_parser("codebook", help="export or import the project's codebook (JSON)")
    actions = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    e = actions.add_parser("export", help="write the codebook to a JSON file")
    e.add_argument("project", type=project_location)
    e.add_argument("file", type=Path, metavar="FILE.json")
    e.set_defaults(handler=cmd_export)
    i = actions.add_parser(
        "import",
        help="adopt a codebook from a JSON file (coded data is kept)",
        description=(
            "Adopt a shared codebook. Labels, variables and values that the project already "
            "uses but the file lacks are kept, so no coded data is lost; what changed is printed."
        ),
    )
    i.add_argument("project", type=project_location)
    i.add_argument("file", type=Path, metavar="FILE.json")
    i.add_argument(
        "--replace-all", action="store_true",
        help="adopt a codebook that shares no label or no claim variable with the project "
        "(refused without this, so that a wrong or empty file does not replace them all)",
    )
    i.set_defaults(handler=cmd_import)


def cmd_export(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True) as project:
        CodebookService(project).export_json(args.file)
    print(f"Codebook written to {args.file}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    # the one command that accepts a project without labels: it is how such a project is repaired
    with open_project(args.project, require_labels=False) as project:
        try:
            diff = CodebookService(project).import_json(args.file, replace_all=args.replace_all)
        except CodebookReplacesAllError as exc:
            raise CodebookReplacesAllError(f"{exc}; add --replace-all to do so") from None
    print(diff.describe())
    return 0
