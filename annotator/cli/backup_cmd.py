"""`annotator backup PROJECT OUT`: a complete copy of a project, even while the app has it open."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.cli.locations import project_location
from annotator.services.backup import backup_project


def register(sub: Any) -> None:
    p = sub.add_parser(
        "backup",
        help="save a complete copy of a project (safe while the app has it open)",
        description=(
            "Copy a project with SQLite's online backup: one consistent moment, checked before it "
            "is given its name. Safe while the app or another command uses the project."
        ),
    )
    p.add_argument("project", type=project_location, help="the project file (.annotator)")
    p.add_argument("out", type=Path, help="the copy to make (.annotator)")
    p.add_argument("--force", action="store_true", help="replace OUT if it exists")
    p.set_defaults(handler=cmd_backup)


def cmd_backup(args: argparse.Namespace) -> int:
    summary = backup_project(args.project, args.out, force=args.force)
    print(f"Saved a copy of {args.project} as {args.out} ({_size(summary.size)}).")
    return 0


def _size(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB"
