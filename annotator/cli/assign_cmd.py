"""`annotator assign PROJECT --coders alice,bob --overlap 15%`: hand the documents to coders."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.commands import open_project
from annotator.cli.locations import project_location
from annotator.domain.assignment import parse_overlap
from annotator.services.assignment import AssignmentSummary, assign


def register(sub: Any) -> None:
    p = sub.add_parser(
        "assign",
        help="hand the documents to coders, with a reliability sample every coder codes",
        description=(
            "Draw a reliability sample at random among the documents nobody has yet and give it "
            "to every coder; deal the other documents out evenly, one coder each. Run it again "
            "after an import: it places only the new documents and never takes work away."
        ),
    )
    p.add_argument("project", type=project_location, help="the project file (.annotator)")
    p.add_argument("--coders", required=True, metavar="NAMES",
                   help="the coders, comma-separated, e.g. alice,bob,carol (new names are added)")
    p.add_argument("--overlap", required=True, metavar="SHARE",
                   help="share of the documents every coder codes: 15%%, 0.15, or all")
    p.add_argument("--seed", type=int, metavar="N",
                   help="seed of the random draw, to repeat it (one is chosen and printed if omitted)")
    p.set_defaults(handler=cmd_assign)


def cmd_assign(args: argparse.Namespace) -> int:
    overlap = parse_overlap(args.overlap)  # before opening: a typo changes nothing
    names = args.coders.split(",")
    with open_project(args.project) as project:
        summary = assign(project, names, overlap, args.seed)
    print(describe(summary, args.project))
    return 0


def describe(summary: AssignmentSummary, project: Path) -> str:
    lines = []
    if summary.placed:
        lines.append(
            f"Placed {summary.placed} new document(s) of {summary.documents} in {project} "
            f"(overlap {summary.overlap.label}, seed {summary.seed}):"
        )
    else:
        lines.append(f"Every document of {project} had its coders already; none was placed.")
    width = max(len(c.name) for c in summary.coders)
    for coder in summary.coders:
        joined = "  (new coder)" if coder.created else ""
        lines.append(f"  {coder.name:<{width}}  +{coder.added:<5} {coder.total:>6} assigned{joined}")
    lines.append(
        f"Reliability sample: {summary.sample_total} document(s), coded by every coder"
        f" ({summary.sample_added} drawn now)."
    )
    if summary.placed:
        lines.append(f"To repeat this draw on the same project: --seed {summary.seed}")
    return "\n".join(lines)
