"""The things a coding study is made of, as immutable values."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from annotator.domain.ids import ClaimId, DocumentId, FieldId, LabelId, SpanId


class DocumentStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class SpanOrigin(StrEnum):
    MODEL = "model"
    MANUAL = "manual"
    IMPORTED = "imported"


class SpanStatus(StrEnum):
    SUGGESTED = "suggested"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def word_count(text: str) -> int:
    return len(text.split())


@dataclass(frozen=True)
class NewDocument:
    """An article as an importer read it, before it has a place in a project."""

    text: str
    title: str = ""
    source: str | None = None
    author: str | None = None
    url: str | None = None
    published: date | None = None
    original_filename: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    """What the importer had to repair to read it ("3 bytes were not valid UTF-8 ..."); not stored."""
    section: str | None = None

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)


@dataclass(frozen=True)
class Document:
    id: DocumentId
    title: str
    text: str
    sha256: str
    status: DocumentStatus = DocumentStatus.NEW
    source: str | None = None
    author: str | None = None
    url: str | None = None
    published: date | None = None
    imported_at: datetime | None = None
    original_filename: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict)
    section: str | None = None

    @property
    def word_count(self) -> int:
        return word_count(self.text)


@dataclass(frozen=True)
class DocumentSummary:
    """One row of the document list: what the list shows, without the text."""

    id: DocumentId
    title: str
    status: DocumentStatus
    suggested: int
    accepted: int
    claims: int = 0
    incomplete_claims: int = 0  # missing a required variable, or flagged for review
    review_claims: int = 0  # flagged for review (a linked entity changed)
    in_sample: bool = False  # in the reliability sample: every coder codes it
    uncertainty: float | None = None  # how unsure the model was (0010); None: not scored

    @property
    def needs_attention(self) -> bool:
        """Done, yet a claim is unfinished (flagged after it was done, or done anyway)."""
        return self.status is DocumentStatus.DONE and self.incomplete_claims > 0


@dataclass(frozen=True)
class Label:
    name: str
    color: str
    shortcut: str | None = None
    description: str = ""
    spacy_labels: tuple[str, ...] = ()
    position: int = 0
    id: LabelId | None = None


@dataclass(frozen=True)
class Pattern:
    """A phrase the entity ruler labels before the model: a string, or a list of token dicts."""

    label: str
    pattern: str | tuple[Mapping[str, object], ...]
    id: int | None = None


@dataclass(frozen=True)
class EntitySpan:
    document_id: DocumentId
    start: int
    end: int
    text: str
    label: str
    origin: SpanOrigin = SpanOrigin.MANUAL
    status: SpanStatus = SpanStatus.ACCEPTED
    annotator: str | None = None
    model_name: str | None = None
    model_version: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: SpanId | None = None

    @property
    def is_decided(self) -> bool:
        """A researcher has ruled on it: a model re-run must leave it alone."""
        return self.origin is not SpanOrigin.MODEL or self.status is not SpanStatus.SUGGESTED

    @property
    def is_final(self) -> bool:
        return self.status is SpanStatus.ACCEPTED


class MeasurementLevel(StrEnum):
    """How a number or scale variable's values compare (Krippendorff's alpha needs it)."""

    NOMINAL = "nominal"
    ORDINAL = "ordinal"
    INTERVAL = "interval"
    RATIO = "ratio"


class FieldKind(StrEnum):
    SINGLE = "single"
    MULTI = "multi"
    TEXT = "text"
    NUMBER = "number"
    SCALE = "scale"
    BOOLEAN = "boolean"
    DATE = "date"
    ENTITY = "entity"


#: kinds whose level of measurement the codebook sets, with their default
LEVELLED_KINDS = {FieldKind.SCALE: MeasurementLevel.ORDINAL, FieldKind.NUMBER: MeasurementLevel.RATIO}
#: the levels a number or scale variable may carry
SETTABLE_LEVELS = (MeasurementLevel.ORDINAL, MeasurementLevel.INTERVAL, MeasurementLevel.RATIO)


@dataclass(frozen=True)
class CategoryValue:
    code: str
    label: str = ""
    shortcut: str | None = None

    @property
    def display(self) -> str:
        return self.label or self.code


@dataclass(frozen=True)
class ClaimField:
    """One variable of the codebook that every claim is coded on."""

    name: str
    kind: FieldKind
    description: str = ""
    position: int = 0
    required: bool = False
    values: tuple[CategoryValue, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    entity_labels: tuple[str, ...] = ()
    #: A free-text variable written as a memo: several lines, Enter starts a new one.
    multiline: bool = False
    id: FieldId | None = None
    #: number and scale variables: how their values compare; None means the kind's default
    #: (scale: ordinal, number: ratio). Other kinds have none (see ``measurement_level``).
    level: MeasurementLevel | None = None

    @property
    def display_name(self) -> str:
        """The variable as the claim form and messages name it: 'claimant type', not
        'claimant_type' (the name itself stays the export's column heading)."""
        return " ".join(self.name.replace("_", " ").split())

    def value(self, code: str) -> CategoryValue | None:
        return next((v for v in self.values if v.code == code), None)

    @property
    def measurement_level(self) -> MeasurementLevel | None:
        """The level agreement uses: the set ``level`` or the kind's default; None for free
        text (no agreement on it). Dates are interval (in days), categories nominal."""
        if self.kind in LEVELLED_KINDS:
            return self.level or LEVELLED_KINDS[self.kind]
        if self.kind is FieldKind.TEXT:
            return None
        if self.kind is FieldKind.DATE:
            return MeasurementLevel.INTERVAL
        return MeasurementLevel.NOMINAL


@dataclass(frozen=True)
class EntityRef:
    """A claim's link to an entity; ``span_id`` is None once the entity is gone."""

    span_id: SpanId | None
    text: str


ClaimValue = str | tuple[str, ...] | float | bool | date | EntityRef


@dataclass(frozen=True)
class Claim:
    document_id: DocumentId
    start: int
    end: int
    text: str
    values: Mapping[str, ClaimValue] = field(default_factory=dict)
    annotator: str | None = None
    needs_review: bool = False
    review_note: str = ""
    created_at: datetime | None = None
    updated_at: datetime | None = None
    id: ClaimId | None = None


@dataclass(frozen=True)
class Codebook:
    labels: tuple[Label, ...] = ()
    fields: tuple[ClaimField, ...] = ()
    patterns: tuple[Pattern, ...] = ()

    def label(self, name: str) -> Label | None:
        return next((lb for lb in self.labels if lb.name == name), None)

    def field(self, name: str) -> ClaimField | None:
        return next((f for f in self.fields if f.name == name), None)

    def spacy_label_map(self) -> dict[str, str]:
        """spaCy label -> project label; the first label that claims a spaCy label wins."""
        mapping: dict[str, str] = {}
        for lb in sorted(self.labels, key=lambda x: x.position):
            for spacy_label in lb.spacy_labels:
                mapping.setdefault(spacy_label, lb.name)
        return mapping


class CoderRole(StrEnum):
    CODER = "coder"
    PI = "pi"  # the principal investigator: sees every coder's progress and layer


@dataclass(frozen=True)
class Coder:
    name: str
    role: CoderRole = CoderRole.CODER

    @property
    def is_pi(self) -> bool:
        return self.role is CoderRole.PI
