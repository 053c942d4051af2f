"""The command handlers: thin wrappers that call services and print for a terminal."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from annotator.cli.progress import ProgressBar
from annotator.services.importing import ImportOptions, Outcome, import_paths
from annotator.services.interchange_import import detect_format
from annotator.services.project import Project, discard_new_empty_project
from annotator.services.stats import project_stats


def open_project(
    path: Path, create: bool = False, read_only: bool = False, require_labels: bool = True
) -> Project:
    """Open a project for a command, saying so on stderr when it had to be upgraded.

    Commands that only read pass ``read_only``: they work on write-protected projects too.
    """
    project = Project(path, create=create, read_only=read_only, require_labels=require_labels)
    if project.backup is not None:
        print(
            f"annotator: note: {path} was upgraded to the current format; "
            f"the original is kept as {project.backup}",
            file=sys.stderr,
        )
    return project


def cmd_import(args: argparse.Namespace) -> int:
    if getattr(args, "format", None) or detect_format(args.paths):
        from annotator.cli.interchange_cmd import cmd_import_annotated  # it imports this module

        return cmd_import_annotated(args)
    options = ImportOptions(
        text_column=args.text_column, title_column=args.title_column,
        date_column=args.date_column, source_column=args.source_column,
        url_column=args.url_column, author_column=args.author_column,
        follow_links=args.follow_links,
        section_column=args.section_column,
    )
    project = open_project(args.project, create=True)
    progress: ProgressBar | None = None
    generator = import_paths(project, args.paths, options)
    try:
        while True:
            step = next(generator)
            if progress is None:
                progress = ProgressBar(step.total, "Importing")
            progress.update(step.done, step.result.path.rsplit("/", 1)[-1])
    except StopIteration as stop:
        report = stop.value
    finally:
        if progress is not None:
            progress.close()
        # a project this run created stays only if something landed in it
        removed = discard_new_empty_project(project)
        project.close()
    out = sys.stdout
    files_ok = sum(1 for r in report.results if r.outcome is Outcome.IMPORTED)
    print(
        f"Imported {report.imported_documents} document(s) from {files_ok} file(s); "
        f"skipped {report.duplicate_documents} duplicate(s); failed {len(report.failed)} file(s).",
        file=out,
    )
    for result in report.results:
        if result.outcome in (Outcome.DUPLICATE, Outcome.SKIPPED):
            print(f"  skipped {result.path}: {result.reason}", file=out)
    for result in report.results:
        if result.merged:
            print(f"  merged  {result.path}: {result.merged} line(s) added their annotations to "
                  "documents already in the project", file=out)
    for result in report.warned:
        for warning in result.warnings:
            print(f"  warning {result.path}: {warning}", file=out)
    for result in report.failed:
        print(f"  failed  {result.path}: {result.reason}", file=sys.stderr)
    if removed:
        print(f"Nothing was imported, so {args.project} was not created.", file=out)
    if report.stopped:
        untried = f" with {len(report.not_tried)} file(s) not tried" if report.not_tried else ""
        print(f"annotator: error: {report.stopped}; the import stopped{untried}; free some space "
              "and run it again (files already imported are skipped)", file=sys.stderr)
        return 1
    if not report.results:
        print("annotator: error: no files found to import", file=sys.stderr)
        return 1
    return 1 if report.failed or any(r.refused for r in report.results) else 0


def cmd_stats(args: argparse.Namespace) -> int:
    with open_project(args.project, read_only=True) as project:
        stats = project_stats(project, coder=args.coder)
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return 0
    print(f"Project: {args.project}" + (f" (as coder {args.coder})" if args.coder else ""))
    print(f"Documents: {stats['documents']}")
    for status, n in stats["documents_by_status"].items():
        print(f"  {status:<14}{n:>8}")
    entities = stats["entities"]
    print(f"Entities: {entities['total']}")
    for status, n in entities["by_status"].items():
        print(f"  {status:<14}{n:>8}")
    print("Entities by label:")
    for label, n in entities["by_label"].items():
        print(f"  {label:<14}{n:>8}")
    print(f"Claims: {stats['claims']} ({stats['claims_incomplete']} incomplete)")
    if stats["coders"]:
        print("Coders:")
        for name, figures in stats["coders"].items():
            print(f"  {name:<14}{figures['documents_done']:>5} done, {figures['entities']} entities, "
                  f"{figures['claims']} claims")
    return 0
