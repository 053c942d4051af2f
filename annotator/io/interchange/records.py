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
    rejected: bool = False
    """A span the file's coder rejected (Prodigy's ``answer: reject``): a known negative."""
    coder: str | None = None
    """Who made it, when the file says (REFI-QDA's creatingUser); None: the import's coder."""


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
    codings: list[ForeignCoding] = field(default_factory=list)
    """REFI-QDA: codings of the code layer (they may overlap), kept beside the entities."""


@dataclass(frozen=True)
class ForeignCoding:
    """A QDA coding: a code applied to a range (code points, end-exclusive); may overlap others."""

    start: int
    end: int
    code: str
    line: int
    coder: str | None = None
    memo: str = ""


@dataclass(frozen=True)
class ForeignCode:
    """A code of a QDA codebook, with the name of the code it sits under ("" at the top)."""

    name: str
    color: str = ""
    parent: str = ""


@dataclass(frozen=True)
class OutSpan:
    """An entity to write: code-point offsets, end-exclusive, and its label."""

    start: int
    end: int
    label: str
    coder: str | None = None
    """Whose entity it is (REFI-QDA writes every coder's layer); None: not said."""


@dataclass(frozen=True)
class OutCoding:
    """A coding (code layer) or a claim to write as one: code points, end-exclusive."""

    start: int
    end: int
    code: str
    coder: str | None = None
    memo: str = ""


@dataclass
class Sources:
    """What a format's reader found in the paths it was given."""

    documents: list[ForeignDocument] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """``file: reason`` for a file that could not be read at all."""
    declared: list[str] = field(default_factory=list)
    """Labels the files declare beyond those they use (brat's annotation.conf)."""
    files: int = 0
    codes: list[ForeignCode] = field(default_factory=list)
    """REFI-QDA: the codebook's codes (for the project's code list), parents first."""
    skipped: list[str] = field(default_factory=list)
    """``file: line N: what`` for a whole item left out on purpose (Prodigy's ``ignore``
    answers, Label Studio's cancelled annotations, a QDA file's non-text sources): reported,
    not refused."""


@dataclass(frozen=True)
class ReadOptions:
    spans_key: str | None = None
    """spaCy: read this ``doc.spans`` group instead of ``doc.ents``."""


@dataclass(frozen=True)
class ExportDocument:
    """One document as an export writes it: plain values, its layer's entities chosen."""

    id: int
    text: str
    title: str
    spans: list[OutSpan]
    details: dict[str, str] = field(default_factory=dict)
    """source, author, url, published (ISO), section: empty values left out."""
    codings: list[OutCoding] = field(default_factory=list)
    """The code layer's codings (REFI-QDA only; other formats count them as left out)."""
    claims: list[OutCoding] = field(default_factory=list)
    """Claims as codings of the code "claim", their variables in the memo (REFI-QDA only)."""


@dataclass(frozen=True)
class WriteOptions:
    labels: tuple[str, ...] = ()
    """The codebook's labels in order (brat's annotation.conf, Label Studio's config...)."""
    split: float | None = None
    """spaCy: the share of documents for train.spacy; the rest go to dev.spacy."""
    seed: int = 0
    spans_key: str | None = None
    label_colors: tuple[tuple[str, str], ...] = ()
    """label -> colour (#rrggbb), for formats that carry colours (REFI-QDA)."""
    codes: tuple[ForeignCode, ...] = ()
    """The project's code list (REFI-QDA's codebook beside the labels)."""
    project_name: str = ""


@dataclass
class Written:
    """What a writer wrote and what the format could not hold (what -> how many)."""

    documents: int = 0
    entities: int = 0
    files: list[str] = field(default_factory=list)
    lost: dict[str, int] = field(default_factory=dict)
    details: list[str] = field(default_factory=list)
    """One line per item counted in ``lost`` that the user should see by name (spaCy: each
    entity that does not align to the tokens, with its document, offsets and text)."""

    def count(self, what: str, n: int = 1) -> None:
        if n:
            self.lost[what] = self.lost.get(what, 0) + n
