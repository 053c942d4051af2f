"""Walking the paths a user named for an import, and saying why a file cannot be read."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path


def files_in(paths: Iterable[Path], suffixes: set[str]) -> Iterator[Path]:
    """Named files as they are; folders searched recursively for files with these suffixes."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.suffix.lower() in suffixes and p.is_file())
        else:
            yield path


def why(exc: Exception) -> str:
    """An OSError or a decoding error as a short reason."""
    if isinstance(exc, UnicodeDecodeError):
        return f"not UTF-8 at byte {exc.start}"
    return getattr(exc, "strerror", None) or str(exc)


_PROBE_LINES = 1000
_PROBE_BYTES = 8 * 1024 * 1024


def first_json_line(path: Path) -> object:
    """The first non-blank line of a JSON Lines file, parsed (None when there is none or it is
    not JSON). Bounded: a huge file without line breaks is not read whole to find out."""
    try:
        with path.open("rb") as stream:
            for _ in range(_PROBE_LINES):
                raw = stream.readline(_PROBE_BYTES)
                if not raw:
                    break
                if raw.strip():
                    return json.loads(raw.decode("utf-8-sig"))
    except (OSError, ValueError, RecursionError):
        return None
    return None


def span_problem(start: object, end: object, label: object, text_length: int) -> str | None:
    """What is wrong with a span a file gives as start, end and label (None: nothing)."""
    if not (type(start) is int and type(end) is int):
        return "its offsets are not whole numbers"
    if not isinstance(label, str) or not label.strip():
        return "has no label"
    if not 0 <= start < end:
        return f"{start}-{end} is not a span (start before end)"
    if end > text_length:
        return f"ends at {end}, past the end of the text ({text_length} characters)"
    return None


def numbered_lines(stream: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of a JSON Lines file with their numbers (1-based), a byte-order mark
    and the line end taken off (only the line end: a string left open still says so)."""
    for number, raw in enumerate(stream, start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if raw.strip():
            yield number, raw.rstrip(b"\r\n")
