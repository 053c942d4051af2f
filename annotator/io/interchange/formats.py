"""Every annotated format Annotator reads and writes, by the name the CLI uses.

A format is a module with ``detect(path) -> bool`` (does this file or folder look like it),
``read(paths, ReadOptions, Sources)`` (fill ``Sources``; never raises for a bad file: it is
named in ``Sources.failed`` or its document's ``problems``) and ``write(out, documents,
WriteOptions) -> Written`` (raises ExportError for an output it cannot write). Detection tries
the formats in this order, so the more specific content checks come first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from annotator.io.interchange import brat, conll, doccano, label_studio, prodigy, qdpx, spacy_docbin
from annotator.io.interchange.records import (
    ExportDocument,
    ReadOptions,
    Sources,
    WriteOptions,
    Written,
)


@dataclass(frozen=True)
class Format:
    name: str
    detect: Callable[[Path], bool]
    read: Callable[[list[Path], ReadOptions, Sources], None]
    write: Callable[[Path, list[ExportDocument], WriteOptions], Written]


FORMATS: dict[str, Format] = {
    module_name: Format(module_name, module.detect, module.read, module.write)
    for module_name, module in (
        ("brat", brat),
        ("doccano", doccano),
        ("prodigy", prodigy),
        ("label-studio", label_studio),
        ("spacy", spacy_docbin),
        ("qdpx", qdpx),
        ("conll", conll),  # last: plain token files, the least specific content check
    )
}
NAMES = tuple(FORMATS)


def detect_format(paths: Iterable[Path]) -> str | None:
    """The first format that recognises any of the paths, or None."""
    paths = list(paths)
    for candidate in FORMATS.values():
        if any(candidate.detect(path) for path in paths):
            return candidate.name
    return None


def read_sources(paths: Iterable[Path], format_name: str, options: ReadOptions | None = None) -> Sources:
    sources = Sources()
    FORMATS[format_name].read(list(paths), options or ReadOptions(), sources)
    return sources
