"""`annotator package` and `annotator merge`: a coder's work offline, and back into the study."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.commands import open_project
from annotator.cli.locations import project_location
from annotator.services.packages import make_package, merge


def register(sub: Any) -> None:
    p = sub.add_parser(
        "package",
        help="write one coder's package: their documents and work, to code offline",
        description=(
            "Write a project file holding the study's codebook, the coder's assigned documents "
            "(every document if none are assigned) with their model suggestions, and the coder's "
            "own work; no other coder's. The coder opens it in Annotator like any project; "
            "`annotator merge` brings the work back."
        ),
    )
    p.add_argument("project", type=project_location, help="the study's project file (.annotator)")
    p.add_argument("out", type=Path, help="the package to write (.annotator)")
    p.add_argument("--coder", required=True, help="whose package it is (a coder of the project)")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.set_defaults(handler=cmd_package)

    p = sub.add_parser(
        "merge",
        help="bring coders' packages back into the project",
        description=(
            "For each package and document, the coder's newer work replaces their older work in "
            "the project; merging a package again changes nothing. A package of another study or "
            "with another codebook is refused (the differences are listed) and then nothing is "
            "merged: all packages are merged in one step, or none."
        ),
    )
    p.add_argument("project", type=project_location, help="the study's project file (.annotator)")
    p.add_argument("packages", type=Path, nargs="+", help="coders' packages (.annotator)")
    p.set_defaults(handler=cmd_merge)


def cmd_package(args: argparse.Namespace) -> int:
    s = make_package(args.project, args.coder, args.out, force=args.force)
    print(
        f"Wrote {args.out} for {s.coder}: {_n(s.documents, 'document')}, {_n(s.entities, 'entity')} "
        f"and {_n(s.claims, 'claim')} of theirs ({s.size / 1_000_000:.1f} MB)."
    )
    return 0


def _n(count: int, noun: str) -> str:
    plural = noun[:-1] + "ies" if noun.endswith("y") else noun + "s"
    return f"{count:,} {noun if count == 1 else plural}"


def cmd_merge(args: argparse.Namespace) -> int:
    with open_project(args.project) as project:
        report = merge(project, args.packages)
    print(f"Merged {len(report.packages)} package(s) into {args.project} in {report.seconds:.1f} s:")
    for line in report.describe().splitlines():
        print(f"  {line}")
    return 0
