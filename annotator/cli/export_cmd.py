"""`annotator export`: the whole project as one Excel workbook, or CSV files."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from annotator.cli.commands import open_project
from annotator.cli.interchange_cmd import ANNOTATED_FORMATS, cmd_export_annotated
from annotator.cli.locations import project_location
from annotator.domain.model import DocumentStatus
from annotator.services.export import ExportOptions, export_project
from annotator.services.jsonl_exchange import export_study


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export",
        help="export documents, entities, claims and the codebook to Excel (or CSV)",
        description=(
            "Write one workbook with the sheets Documents, Entities, Claims, Codebook, Summary "
            "and Matrix, and, once two coders have work, Agreement and Reliability "
            "(inter-coder reliability, docs/reliability.md). By default only final entities "
            "(accepted, manual, imported) are exported, every coder's, each row naming its "
            "coder; --coder exports one coder's layer. With --format csv, OUT is a folder "
            "that gets one UTF-8 CSV per sheet. With --format jsonl, OUT.jsonl gets one JSON "
            "object per document with every coder's layer, which `annotator import` reads "
            "back (docs/jsonl-format.md)."
        ),
    )
    p.add_argument("project", type=project_location)
    p.add_argument("out", type=Path, metavar="OUT.xlsx|OUT_DIR|OUT.jsonl")
    p.add_argument("--include-suggestions", action="store_true",
                   help="also export pending and rejected suggestions, with their status")
    p.add_argument("--include-text", action="store_true",
                   help="add each document's full text to the Documents sheet")
    p.add_argument("--status", choices=[s.value for s in DocumentStatus],
                   help="only documents with this status (e.g. done); with several coders and no "
                        "--coder, done means done by every coder who has the document")
    p.add_argument("--coder", metavar="NAME",
                   help="export one coder's layer: their entities and claims, their statuses, "
                        "their documents and (with --include-suggestions) the suggestions they "
                        "have not decided")
    p.add_argument("--no-agreement", dest="agreement", action="store_false",
                   help="leave out the Agreement and Reliability sheets (added when two coders "
                        "have work; computing them takes a few seconds on a large study)")
    p.add_argument("--format", choices=["xlsx", "csv", "jsonl", *ANNOTATED_FORMATS],
                   help="xlsx (the default), csv, jsonl (the default for OUT.jsonl), or another "
                        f"tool's format: {', '.join(ANNOTATED_FORMATS)} (docs/formats.md)")
    p.add_argument("--final", action="store_true",
                   help="annotated formats: the final (adjudicated) layer only")
    p.add_argument("--split", type=_share, metavar="SHARE",
                   help="spacy: write OUT/train.spacy with this share of the documents (e.g. 0.8) "
                        "and OUT/dev.spacy with the rest")
    p.add_argument("--seed", type=int, default=0, help="spacy --split: the shuffle's seed (default 0)")
    p.add_argument("--spans-key", metavar="KEY",
                   help="spacy: write the entities to doc.spans[KEY] as well as doc.ents")
    p.set_defaults(handler=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    if args.format in ANNOTATED_FORMATS:
        return cmd_export_annotated(args)
    if args.final or args.split is not None or args.spans_key:
        raise SystemExit("annotator export: --final, --split and --spans-key go with an annotated "
                         f"--format ({', '.join(ANNOTATED_FORMATS)})")
    if args.format is None:
        args.format = "jsonl" if args.out.suffix.lower() == ".jsonl" else "xlsx"
    options = ExportOptions(
        include_suggestions=args.include_suggestions, include_text=args.include_text,
        status=DocumentStatus(args.status) if args.status else None,
        format="csv" if args.format == "csv" else "xlsx", coder=args.coder,
        agreement=args.agreement,
    )
    interactive = sys.stderr.isatty()
    last = [0.0]

    def progress(sheet: str, rows: int) -> None:
        now = time.perf_counter()
        if interactive and now - last[0] > 0.1:
            last[0] = now
            sys.stderr.write(f"\rExporting {sheet}: {rows:,} rows".ljust(50))
            sys.stderr.flush()

    with open_project(args.project, read_only=True) as project:
        if args.format == "jsonl":
            summary = export_study(project, args.out, args.coder, progress)
        else:
            summary = export_project(project, args.out, options, progress)
    if interactive:
        sys.stderr.write("\r" + " " * 50 + "\r")
    whose = f"{args.coder}'s coding " if args.coder else ""
    print(f"Exported {whose}to {summary.path} in {summary.seconds:.1f} s")
    for sheet, rows in summary.rows.items():
        print(f"  {sheet:<12}{rows:>10,} rows")
    for sheet, path in summary.files.items():
        print(f"  {sheet:<12}{path}")
    return 0


def _share(value: str) -> float:
    try:
        share = float(value.rstrip("%")) / (100 if value.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a share such as 0.8 or 80%") from None
    if not 0 < share < 1:
        raise argparse.ArgumentTypeError(f"{value!r} must be between 0 and 1 (e.g. 0.8)")
    return share
