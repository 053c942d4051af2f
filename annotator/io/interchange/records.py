"""What a codec reads out of another tool's file: documents with their spans, and what it
could not keep, each named with its line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ForeignSpan:
    """An entity as the file has it: code-point offsets into the document's text, end-exclusive."""

    start: int
    end: int
    label: str
    line: int
    """The line of the file it was read from (brat: of the .ann; doccano: of the .jsonl)."""
    notes: tuple[str, ...] = ()
    """brat A/N/# lines attached to it, as readable text ("AnnotatorNotes: ...")."""


@dataclass
class ForeignDocument:
    """One document of another tool's file; ``problems`` non-empty means it is refused whole."""

    name: str
    """The file it came from, for messages ("a.ann", "data.jsonl"); problems name the line."""
    text: str
    title: str = ""
    spans: list[ForeignSpan] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """``line N: reason`` for every line that is wrong: the document is not imported."""
    skipped: list[str] = field(default_factory=list)
    """``line N: what`` for what the project cannot hold (relations, events...): it lands without."""
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class OutSpan:
    """An entity to write: code-point offsets, end-exclusive, and its label."""

    start: int
    end: int
    label: str
