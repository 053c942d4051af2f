"""`annotator import` / `annotator export` with --format NAME: other tools' annotations."""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from annotator.cli.commands import open_project
from annotator.services.interchange_export import export_annotated
from annotator.services.interchange_import import NAMES, ReadOptions, import_annotated, read_label_map
from annotator.services.project import discard_new_empty_project

ANNOTATED_FORMATS = NAMES
_SHOWN = 20  # lines of a kind printed before "... and N more"


def cmd_import_annotated(args: argparse.Namespace) -> int:
    label_map = read_label_map(args.label_map) if args.label_map else None
    project = open_project(args.project, create=True)
    try:
        report = import_annotated(project, args.paths, args.format, args.coder, label_map,
                                  args.add_labels, ReadOptions(spans_key=args.spans_key))
    finally:
        removed = discard_new_empty_project(project)
        project.close()
    print(report.summary())
    if report.codings:
        print(f"  {report.codings} coding(s) in the code layer (QDA codes; they may overlap)")
    for line in report.label_lines():
        print(f"  {line}")
    _lines("skipped", report.skipped, sys.stdout)
    _lines("refused", report.refused, sys.stderr)
    if removed:
        print(f"Nothing was imported, so {args.project} was not created.")
    return 1 if report.refused else 0


def cmd_export_annotated(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True) as project:
        summary = export_annotated(project, args.out, args.format, args.coder, args.final,
                                   args.split, args.seed, args.spans_key)
    whose = (f"{args.coder}'s layer" if args.coder else "the final layer" if args.final
             else "every coder's layer" if args.format == "qdpx"
             else "the final layer (or each document's one coder)")
    print(f"Exported {whose} as {summary.format} to {summary.path}: {summary.documents} "
          f"document(s), {summary.entities} entities.")
    if summary.codings or summary.claims:
        print(f"  and {summary.codings} coding(s), {summary.claims} claim(s) as codings of \"claim\"")
    print(summary.lost_line())
    _lines("left out", summary.details, sys.stdout)
    return 0


def _lines(kind: str, lines: list[str], stream: TextIO) -> None:
    for line in lines[:_SHOWN]:
        print(f"  {kind} {line}", file=stream)
    if len(lines) > _SHOWN:
        print(f"  ... and {len(lines) - _SHOWN} more {kind}", file=stream)
