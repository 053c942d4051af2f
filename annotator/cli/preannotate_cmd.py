"""`annotator preannotate`: spaCy's suggestions for the documents not yet processed."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from annotator.cli.commands import open_project
from annotator.cli.locations import project_location
from annotator.cli.progress import ProgressBar
from annotator.services.preannotate import MODEL_SETTING, Preannotator


def register(sub: Any) -> None:
    p = sub.add_parser(
        "preannotate",
        help="suggest entities with spaCy for documents not yet processed",
        description=(
            "Run the spaCy pipeline over the documents not yet processed by the current model and "
            "codebook mapping, storing suggestions. Never changes accepted, rejected, manual or "
            "imported entities. Safe to interrupt: finished documents are kept, the next run "
            "continues with the rest. A document spaCy fails on is named and skipped; the others "
            "are processed (exit status 1)."
        ),
    )
    p.add_argument("project", type=project_location, help="project file (.annotator)")
    p.add_argument("--model", help="spaCy pipeline package or folder (default: project setting, "
                   "else the best English pipeline installed)")
    p.add_argument("--save-model", action="store_true",
                   help="remember --model as this project's pipeline")
    p.add_argument("--processes", type=int, default=1, metavar="N",
                   help="worker processes for spaCy (default 1)")
    p.add_argument("--batch-size", type=int, default=64, help=argparse.SUPPRESS)
    p.add_argument("--all", action="store_true", help="re-run every document")
    p.set_defaults(handler=cmd_preannotate)


def cmd_preannotate(args: argparse.Namespace) -> int:
    path = args.project
    if args.processes < 1:
        print("annotator: error: --processes must be 1 or more", file=sys.stderr)
        return 2
    with open_project(path) as project:
        if args.model and args.save_model:
            project.set_setting(MODEL_SETTING, args.model)
        annotator = Preannotator(project, model=args.model)
        print(f"Loading spaCy pipeline {annotator.model_name()} ...", file=sys.stderr)
        ids = annotator.pending(all_documents=args.all)
        if annotator.fallback:
            print(f"annotator: warning: {annotator.fallback}", file=sys.stderr)
        elif annotator.using_trained() and annotator.trained is not None:
            print(f"Using the project's {annotator.trained.describe()}", file=sys.stderr)
        for warning in getattr(annotator.pipeline(), "pattern_warnings", ()):
            print(f"annotator: warning: {warning}", file=sys.stderr)
        if not ids:
            print("Nothing to do: every document was processed with this model and codebook "
                  "(use --all to run again).")
            return 0
        progress = ProgressBar(len(ids), "Pre-annotating")
        run = annotator.run(ids, n_process=args.processes, batch_size=args.batch_size)
        try:
            while True:
                step = next(run)
                if step.error is not None:
                    progress.close()
                    print(f"annotator: document {step.document_id} skipped: spaCy could not process it: "
                          f"{step.error}", file=sys.stderr)
                progress.update(step.done, f"{step.words:,} words")
        except StopIteration as stop:
            summary = stop.value
        finally:
            progress.close()
    print(f"Model: {summary.model_name} {summary.model_version}")
    print(f"Documents: {summary.documents}")
    print(f"Suggestions: {summary.suggestions}")
    for label, n in summary.suggestions_by_label.items():
        print(f"  {label:<16}{n:>8}")
    print(f"Speed: {summary.words:,} words in {summary.seconds:.1f} s "
          f"({summary.words_per_second:,.0f} words/s)")
    if summary.documents:
        print(f"Uncertainty scored: {summary.scored} of {summary.documents} document(s) "
              "(the app's document list can show the most uncertain first)")
    if summary.stopped:
        print(f"annotator: error: {summary.stopped}; pre-annotation stopped with "
              f"{summary.not_processed} document(s) not processed; free some space and run it "
              "again to continue", file=sys.stderr)
        return 1
    if summary.failed:
        print(f"Skipped: {len(summary.failed)} document(s) spaCy could not process (listed above); "
              "they stay unprocessed")
        return 1
    return 0
