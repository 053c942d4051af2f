"""Composition root: the only place that wires concrete classes together."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.cli import GuiRequest, run


def open_gui(request: GuiRequest) -> int:
    # Imported here so the command line never pays for (or needs) Qt.
    from annotator.ui.launch import launch

    return launch(
        project=request.project,
        screenshot=request.screenshot,
        document=request.document,
        size=request.size,
    )


def main(argv: Sequence[str] | None = None) -> int:
    return run(argv, open_gui)
