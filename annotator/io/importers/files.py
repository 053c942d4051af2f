"""Which files an import covers, and reading one file's bytes with the size checks."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.options import ImportOptions

READER_MODULES: dict[str, str] = {
    ".txt": "plain",
    ".md": "plain",
    ".html": "html",
    ".htm": "html",
    ".docx": "word",
    ".rtf": "rtf",
    ".odt": "odt",
    ".rss": "feeds",
    ".xml": "feeds",
    ".pdf": "pdf",
    ".csv": "csv_table",
    ".xlsx": "excel",
    ".jsonl": "jsonl",
}
"""File suffix -> module of this package whose ``read`` imports it."""

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(READER_MODULES)

_ORDERED_SUFFIXES = (
    ".txt", ".md", ".html", ".htm", ".docx", ".rtf", ".odt", ".pdf", ".csv", ".xlsx", ".jsonl",
    ".rss", ".xml",
)

_HINTS: dict[str, str] = {
    ".doc": "save it as .docx in Word and import that",
    ".pages": "export it as .docx and import that",
    ".xls": "save it as .xlsx in Excel and import that",
    ".ods": "save it as .xlsx and import that",
    ".json": "write one JSON object per line and name the file .jsonl",
    ".ndjson": "rename it to .jsonl",
    ".xhtml": "rename it to .html",
}
"""Document-like files a folder import lists so they are refused with advice, not skipped."""

_FOLDER_SUFFIXES = SUPPORTED_SUFFIXES | frozenset(_HINTS)


@dataclass(frozen=True)
class PathProblem:
    """Something in a folder that is not imported, and why: listed, never silently dropped."""

    path: Path
    reason: str
    failed: bool
    """True for what could not be read (a failure); False for what is skipped on purpose."""


@dataclass
class FileScan:
    files: list[Path] = field(default_factory=list)
    problems: list[PathProblem] = field(default_factory=list)


def collect_files(paths: Iterable[Path]) -> list[Path]:
    """The files :func:`scan_paths` finds (links out of folders not followed)."""
    return scan_paths(paths).files


def scan_paths(paths: Iterable[Path], follow_links: bool = False) -> FileScan:
    """Expand folders recursively (sorted, skipping hidden files/dirs like .git and ~$ lock files).

    Files given directly are kept as given, even with unknown suffixes or missing, so the
    import can refuse them with a reason. In folders only importable files (and a few
    document types that get advice, such as .doc) are picked up. A subfolder that cannot be
    read is a problem listed as failed. Symbolic links inside a folder are not followed unless
    ``follow_links``: one pointing out of the folder (to /etc/passwd, say) is listed as skipped;
    one pointing inside is left to its target, which the walk meets anyway. Followed links
    never loop: each real folder is walked once.
    """
    scan = FileScan()
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            candidates = _FolderWalk(path, follow_links, scan.problems).files()
        else:
            candidates = [(path, _identity(path))]
        for file, key in candidates:
            if key not in seen:
                seen.add(key)
                scan.files.append(file)
    return scan


class _FolderWalk:
    """One folder given to the import, walked with os.scandir (no recursion limit, no loops)."""

    def __init__(self, folder: Path, follow_links: bool, problems: list[PathProblem]) -> None:
        self.folder = folder
        # one resolve per folder, not per file: a folder import of thousands stays fast
        self.root = _identity(folder)
        self.follow_links = follow_links
        self.problems = problems
        self.walked: set[tuple[int, int]] = set()

    def files(self) -> list[tuple[Path, Path]]:
        """(file, identity key) pairs, sorted as a file manager shows them."""
        found: list[tuple[Path, Path]] = []
        pending = [self.folder]
        self._first_visit(self.folder)
        while pending:
            folder = pending.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = list(listing)
            except OSError as exc:
                reason = f"folder cannot be read ({_why(exc)}); its files were not imported"
                self._problem(folder, reason, True)
                continue
            for entry in entries:
                if _hidden(entry.name):
                    continue
                path = Path(entry.path)
                try:
                    is_link = entry.is_symlink()
                except OSError:
                    continue  # vanished meanwhile
                try:
                    is_dir = entry.is_dir()
                except OSError:  # a loop of links (ELOOP): _follow says so
                    is_dir = False
                if is_link and not self._follow(path, is_dir):
                    continue
                if is_dir:
                    if self._first_visit(path):
                        pending.append(path)
                elif path.suffix.lower() in _FOLDER_SUFFIXES:
                    key = _identity(path) if is_link else self.root / path.relative_to(self.folder)
                    found.append((path, key))
        return sorted(found, key=lambda pair: _sort_key(pair[0].relative_to(self.folder)))

    def _follow(self, link: Path, is_dir: bool) -> bool:
        """Whether to walk into (or import) what a link points to; says why not when it matters."""
        if not is_dir and link.suffix.lower() not in _FOLDER_SUFFIXES:
            return False  # not something the import would take anyway
        try:
            target = link.resolve(strict=True)
        except (OSError, RuntimeError) as exc:  # dangling, or a loop of links
            self._problem(link, f"is a broken link ({_why(exc)}); skipped", False)
            return False
        if self.follow_links:
            return True
        if target == self.root or self.root in target.parents:
            return False  # its target is in the folder and imported under its own name
        kind = "folder" if is_dir else "file"
        self._problem(
            link,
            f"is a link to the {kind} {target}, outside the imported folder; not followed "
            "(`annotator import --follow-links` follows links)",
            False,
        )
        return False

    def _first_visit(self, folder: Path) -> bool:
        try:
            info = folder.stat()
        except OSError:
            return True  # scandir will say why it cannot be read
        key = (info.st_dev, info.st_ino)
        if key in self.walked:
            return False  # a link back to a folder already walked: a loop
        self.walked.add(key)
        return True

    def _problem(self, path: Path, reason: str, failed: bool) -> None:
        self.problems.append(PathProblem(path, reason, failed))


def _why(error: BaseException) -> str:
    text = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
    return (text[:1].lower() + text[1:]) or type(error).__name__


def _hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def _sort_key(relative: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(p.casefold() for p in relative.parts), relative.parts


def _identity(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def unsupported_reason(suffix: str) -> str:
    kind = suffix.lower() if suffix else "(no extension)"
    reason = f"unsupported file type {kind}; Annotator imports " + ", ".join(_ORDERED_SUFFIXES)
    hint = _HINTS.get(suffix.lower())
    return f"{reason}; {hint}" if hint else reason


def read_checked_bytes(path: Path, options: ImportOptions) -> bytes:
    """The file's bytes, or ImportFileError when it is missing, unknown, empty or too big."""
    try:
        with path.open("rb") as stream:
            if path.suffix.lower() not in SUPPORTED_SUFFIXES:
                raise ImportFileError(path, unsupported_reason(path.suffix))
            size = os.fstat(stream.fileno()).st_size
            if size > options.max_bytes:
                raise ImportFileError(path, _too_big(size, options.max_bytes))
            data = stream.read(options.max_bytes + 1)
    except FileNotFoundError:
        raise ImportFileError(path, "file not found") from None
    except IsADirectoryError:
        raise ImportFileError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise ImportFileError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if not data:
        raise ImportFileError(path, "the file is empty")
    if len(data) > options.max_bytes:  # it grew while we looked
        raise ImportFileError(path, _too_big(len(data), options.max_bytes))
    return data


def check_text_size(path: Path, articles: Sequence[NewDocument], options: ImportOptions) -> None:
    """The import limit holds for the text a file expands to, not only for its bytes."""
    size = 0
    for article in articles:
        # Counting UTF-8 bytes costs a copy; only a text near the limit needs it.
        chars = len(article.text)
        size += chars if chars * 4 < options.max_bytes else len(article.text.encode("utf-8", "replace"))
        if size > options.max_bytes:
            raise ImportFileError(
                path,
                f"its text is more than {human_size(options.max_bytes)}, over the import limit; "
                "split it into smaller files",
            )


def _too_big(size: int, limit: int) -> str:
    return (
        f"the file is {human_size(size)}, over the import limit of {human_size(limit)}; "
        "split it into smaller files"
    )


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    unit = "KB"
    for bigger in ("MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{value:.1f} {unit}"
