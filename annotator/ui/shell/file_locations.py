"""Where the file dialogs start: the folder last used for that kind of file, else Documents.

Without this every dialog opened in the folder the app was started from (often the home
folder, or the source checkout). Each kind (projects, imports, exports, codebooks) keeps its
own last folder, because a researcher's articles, project files and exports rarely share one;
the first time, the user's Documents folder (or the home folder where there is none).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths

from annotator.ui.shell.settings import AppSettings

KINDS = ("projects", "import", "export", "codebook")


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if found and Path(found).is_dir():
        return Path(found)
    return Path.home()


class FileLocations:
    def __init__(self, settings: AppSettings) -> None:
        self.settings = settings

    def start(self, kind: str) -> Path:
        """The folder a dialog for ``kind`` opens in."""
        last = self.settings.last_folder(kind)
        if last is not None and last.is_dir():
            return last
        return documents_folder()

    def remember(self, kind: str, chosen: Path | None) -> None:
        """Note the folder of what was chosen (a file's folder, or the folder itself)."""
        if chosen is None:
            return
        folder = chosen if chosen.is_dir() else chosen.parent
        self.settings.set_last_folder(kind, folder.absolute())
