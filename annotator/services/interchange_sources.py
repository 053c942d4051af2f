"""Finding and reading other tools' annotated files (brat, doccano) for an import: paths ->
:class:`ForeignDocument` values, a file that cannot be read at all named with its reason."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from annotator.io.interchange import brat, doccano
from annotator.io.interchange.records import ForeignDocument

FORMATS = ("brat", "doccano")
_JSONL = {".jsonl", ".json"}


@dataclass
class Sources:
    documents: list[ForeignDocument] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """``file: reason`` for a file that could not be read at all."""
    declared: list[str] = field(default_factory=list)
    """Entity types the brat annotation.conf files declare."""
    files: int = 0


def detect_format(paths: Iterable[Path]) -> str | None:
    """brat or doccano when the paths hold such files (a .ann; a .jsonl of doccano lines)."""
    for path in paths:
        if path.is_dir():
            if next(path.rglob("*.ann"), None) is not None:
                return "brat"
            if any(_is_doccano(p) for p in path.rglob("*.jsonl")):
                return "doccano"
        elif path.suffix.lower() == ".ann" or path.name == "annotation.conf" or (
            path.suffix.lower() == ".txt" and path.with_suffix(".ann").exists()
        ):
            return "brat"
        elif path.suffix.lower() in _JSONL and _is_doccano(path):
            return "doccano"
    return None


def _is_doccano(path: Path) -> bool:
    try:
        with path.open("rb") as stream:
            for raw in stream:
                if raw.strip():
                    return doccano.is_doccano_record(json.loads(raw.decode("utf-8-sig")))
    except (OSError, ValueError, RecursionError):
        return False
    return False


def read_sources(paths: Iterable[Path], format_name: str) -> Sources:
    sources = Sources()
    if format_name == "brat":
        _read_brat(list(paths), sources)
    else:
        for path in _files(paths, _JSONL):
            _read_doccano(path, sources)
    return sources


def _files(paths: Iterable[Path], suffixes: set[str]) -> Iterator[Path]:
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
        else:
            yield path


def _read_brat(paths: list[Path], sources: Sources) -> None:
    texts: dict[Path, Path | None] = {}  # .txt -> its .ann (None: not annotated yet)
    confs: set[Path] = set()
    for path in _files(paths, {".txt", ".ann", ".conf"}):
        suffix = path.suffix.lower()
        if path.name == "annotation.conf":
            confs.add(path)
        elif suffix == ".ann":
            texts[path.with_suffix(".txt")] = path
        elif suffix == ".txt":
            ann = path.with_suffix(".ann")
            texts.setdefault(path, ann if ann.exists() else None)
            if (path.parent / "annotation.conf").exists():
                confs.add(path.parent / "annotation.conf")
        else:
            sources.failed.append(f"{path}: is not a brat file (.txt, .ann, annotation.conf)")
    for conf in sorted(confs):
        try:
            sources.declared.extend(brat.read_conf_entities(conf))
        except (OSError, UnicodeDecodeError) as exc:
            sources.failed.append(f"{conf}: cannot be read ({_why(exc)})")
    for txt, ann in sorted(texts.items()):
        sources.files += 1
        if not txt.exists():
            sources.failed.append(f"{ann}: has no text file {txt.name} beside it")
            continue
        try:
            sources.documents.append(brat.read_document(txt, ann))
        except (OSError, UnicodeDecodeError) as exc:
            sources.failed.append(f"{ann or txt}: cannot be read ({_why(exc)})")


def _read_doccano(path: Path, sources: Sources) -> None:
    sources.files += 1
    try:
        with path.open("rb") as stream:
            for number, raw in enumerate(stream, start=1):
                if number == 1:
                    raw = raw.removeprefix(b"\xef\xbb\xbf")
                if raw.strip():
                    sources.documents.append(doccano.read_line(raw.rstrip(b"\r\n"), number, path.name))
    except OSError as exc:
        sources.failed.append(f"{path}: cannot be read ({_why(exc)})")


def _why(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 at byte {exc.start}"
    return getattr(exc, "strerror", None) or str(exc)
