"""Argument parsing and dispatch: every command returns an exit code, errors are one line."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from annotator import __version__
from annotator.cli import (
    adjudicate_cmd,
    agreement_cmd,
    assign_cmd,
    backup_cmd,
    codebook_cmd,
    coders_cmd,
    commands,
    copy_cmd,
    export_cmd,
    package_cmd,
    preannotate_cmd,
    security_cmd,
    train_cmd,
)
from annotator.cli.interchange_cmd import ANNOTATED_FORMATS
from annotator.cli.locations import project_location
from annotator.domain.errors import AnnotatorError


@dataclass(frozen=True)
class GuiRequest:
    """What the desktop app is asked to open; plain values, handed to the UI by app.py."""

    project: Path | None = None
    screenshot: Path | None = None
    document: int | None = None
    size: tuple[int, int] = (1400, 900)


COMMANDS = (
    "import", "stats", "preannotate", "export", "codebook", "backup", "gui", "assign", "coders",
    "package", "merge", "agreement", "adjudicate", "train", "copy", "server-security",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="annotator",
        description=(
            "Annotator: correct spaCy's entities in news articles, tag claims, export to Excel. "
            "Without a command, opens the desktop app on the last project (or a demo project); "
            "`annotator PROJECT` opens that project."
        ),
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("import", help="import files or folders of articles into a project")
    p.description = (
        "Import .txt .md .html .htm .docx .pdf .csv .xlsx .jsonl files, and folders recursively. "
        "A .jsonl file written by `annotator export --format jsonl` brings every coder's layer "
        "with it (docs/jsonl-format.md). "
        "Creates the project if it does not exist. Exits 1 if any file or line failed."
    )
    p.add_argument("project", type=project_location, help="project file (.annotator); created if missing")
    p.add_argument("paths", type=Path, nargs="+", help="files and folders to import")
    p.add_argument("--text-column", help="csv/xlsx: the column holding the article text")
    p.add_argument("--title-column", help="csv/xlsx: the column holding the title")
    p.add_argument("--date-column", help="csv/xlsx: the column holding the publication date")
    p.add_argument("--source-column", help="csv/xlsx: the column holding the source")
    p.add_argument("--url-column", help="csv/xlsx: the column holding the URL")
    p.add_argument("--author-column", help="csv/xlsx: the column holding the author")
    p.add_argument("--follow-links", action="store_true",
                   help="follow symbolic links inside folders, even to files outside them "
                        "(by default they are listed as skipped)")
    p.add_argument("--section-column", help="csv/xlsx: the column holding the section (desk, rubric)")
    p.add_argument("--format", choices=list(ANNOTATED_FORMATS),
                   help="annotated files of another tool (found by extension and content when "
                        "not given); docs/formats.md")
    p.add_argument("--coder", metavar="NAME",
                   help="annotated formats: the coder whose layer gets the annotations (default: imported)")
    p.add_argument("--label-map", type=Path, metavar="FILE.json",
                   help='annotated formats: {"file label": "project label", ...}')
    p.add_argument("--add-labels", action="store_true",
                   help="annotated formats: add labels the codebook lacks instead of refusing "
                        "their documents")
    p.add_argument("--spans-key", metavar="KEY",
                   help="spacy: read the doc.spans[KEY] group instead of doc.ents")
    p.set_defaults(handler=commands.cmd_import)

    p = sub.add_parser("stats", help="print counts of documents, entities and claims")
    p.add_argument("project", type=project_location)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--coder", metavar="NAME",
                   help="the figures as this coder sees them (under blind coding: theirs alone)")
    p.set_defaults(handler=commands.cmd_stats)

    p = sub.add_parser("gui", help="open the desktop app (optionally just take a screenshot)")
    p.add_argument("project", type=project_location, nargs="?")
    p.add_argument("--screenshot", type=Path, metavar="OUT.png",
                   help="render the main window offscreen, save it as a PNG and exit")
    p.add_argument("--document", type=int, metavar="N", help="open document N (its id)")
    p.add_argument("--size", type=_window_size, default=(1400, 900), metavar="WxH",
                   help="window size for --screenshot, e.g. 1366x768 (default 1400x900)")
    p.set_defaults(handler=None)

    preannotate_cmd.register(sub)
    codebook_cmd.register(sub)
    export_cmd.register(sub)
    backup_cmd.register(sub)
    assign_cmd.register(sub)
    coders_cmd.register(sub)
    package_cmd.register(sub)
    agreement_cmd.register(sub)
    adjudicate_cmd.register(sub)
    train_cmd.register(sub)
    copy_cmd.register(sub)
    security_cmd.register(sub)
    return parser


def _window_size(text: str) -> tuple[int, int]:
    width, _, height = text.lower().partition("x")
    digits = width.isdigit() and height.isdigit()
    if not (digits and 320 <= int(width) <= 8000 and 240 <= int(height) <= 8000):
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT in pixels, e.g. 1366x768, got {text!r}")
    return int(width), int(height)


def run(argv: Sequence[str] | None, open_gui: Callable[[GuiRequest], int]) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        return open_gui(GuiRequest())
    if args_list[0] not in COMMANDS and not args_list[0].startswith("-"):
        args_list = ["gui", *args_list]  # `annotator PROJECT` opens it
    parser = build_parser()
    args = parser.parse_args(args_list)
    if args.command == "gui":
        return open_gui(
            GuiRequest(project=args.project, screenshot=args.screenshot, document=args.document,
                       size=args.size)
        )
    if args.command is None:
        return open_gui(GuiRequest())
    try:
        code = int(args.handler(args))
        sys.stdout.flush()  # here, not at exit, so that a closed pipe is met below
        return code
    except BrokenPipeError:
        return _reader_went_away()
    except AnnotatorError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("annotator: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line for the user, details on request
        if _is_broken_pipe(exc):
            return _reader_went_away()
        if os.environ.get("ANNOTATOR_DEBUG"):
            raise
        print(
            f"annotator: unexpected error: {type(exc).__name__}: {exc} "
            "(set ANNOTATOR_DEBUG=1 for details, and please report it)",
            file=sys.stderr,
        )
        return 3


#: What a shell reports for a command ended by SIGPIPE (128 + 13), as `head` makes Unix tools end.
EXIT_BROKEN_PIPE = 141


def _is_broken_pipe(exc: BaseException) -> bool:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, BrokenPipeError):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _reader_went_away() -> int:
    """The program reading our output stopped (``annotator stats … | head``): end quietly,
    as Unix tools do. Standard output is pointed at /dev/null so that Python's own flush at
    exit does not complain about the closed pipe a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout to redirect
        pass
    return EXIT_BROKEN_PIPE
