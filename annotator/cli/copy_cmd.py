"""`annotator copy SOURCE TARGET`: move a study between a project file and a PostgreSQL server."""

from __future__ import annotations

import argparse
from typing import Any

from annotator.cli.locations import project_location
from annotator.cli.progress import ProgressBar
from annotator.services.copy import copy_project


def register(sub: Any) -> None:
    p = sub.add_parser(
        "copy",
        help="copy a whole project between a file and a PostgreSQL server (either way)",
        description=(
            "Copy every table of a project (documents, codebook, every coder's layer, history) "
            "into a NEW project file or an EMPTY PostgreSQL database, verified by row counts "
            "and checksums per table. A target that exists or is not empty is refused; a "
            "failed copy leaves the target as it was."
        ),
    )
    p.add_argument("source", type=project_location,
                   help="project file (.annotator) or postgresql://user@host:port/dbname")
    p.add_argument("target", type=project_location,
                   help="new project file, or URL of an empty database")
    p.set_defaults(handler=cmd_copy)


def cmd_copy(args: argparse.Namespace) -> int:
    bar: list[ProgressBar] = []

    def progress(done: int, total: int, table: str) -> None:
        if not bar:
            bar.append(ProgressBar(total, "Copying"))
        bar[0].update(done, table)

    try:
        report = copy_project(args.source, args.target, progress)
    finally:
        if bar:
            bar[0].close()
    print(f"Copied {report.rows} row(s) in {len(report.tables)} tables from {report.source} "
          f"to {report.target}; counts and checksums match.")
    return 0
