"""The `annotator` command line."""

from annotator.cli.main import GuiRequest, run

__all__ = ["GuiRequest", "run"]
