"""The tables of a project file. The schema itself is created and changed only by migrations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Float,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON}


class ProjectInfo(Base):
    """Key/value facts about the project: that it is an Annotator file, its settings."""

    __tablename__ = "project_info"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class CoderRow(Base):
    __tablename__ = "coders"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    created_at: Mapped[datetime]
    role: Mapped[str] = mapped_column(String(20), default="coder", server_default="coder")


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done')", name="status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    source: Mapped[str | None] = mapped_column(Text)
    author: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None]
    imported_at: Mapped[datetime]
    original_filename: Mapped[str | None] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(default=0)
    metadata_json: Mapped[dict[str, Any]] = mapped_column(default=dict)
    section: Mapped[str | None] = mapped_column(Text)
    # in the reliability sample: coded by every coder independently
    in_sample: Mapped[bool] = mapped_column(default=False, server_default="0")


class CoderDocumentRow(Base):
    """One coder's relation to one document: assigned to them, and their status of it.

    ``documents.status`` is no longer read: a document's status is per coder (migration 0007).
    """

    __tablename__ = "coder_documents"
    __table_args__ = (
        CheckConstraint("status IN ('new', 'in_progress', 'done')", name="status"),
        Index("ix_coder_documents_coder_status", "coder_id", "status"),
    )
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id", ondelete="CASCADE"), primary_key=True)
    assigned: Mapped[bool] = mapped_column(default=False, server_default="0")
    status: Mapped[str] = mapped_column(String(20), default="new", server_default="new")
    updated_at: Mapped[datetime]


class LabelRow(Base):
    __tablename__ = "labels"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    color: Mapped[str] = mapped_column(String(20))
    shortcut: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    spacy_labels: Mapped[list[Any]] = mapped_column(default=list)
    position: Mapped[int] = mapped_column(default=0)


class PatternRow(Base):
    __tablename__ = "patterns"
    id: Mapped[int] = mapped_column(primary_key=True)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="CASCADE"), index=True)
    pattern: Mapped[Any] = mapped_column(JSON)
    created_at: Mapped[datetime]


class EntitySpanRow(Base):
    __tablename__ = "entity_spans"
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="offsets"),
        CheckConstraint("origin IN ('model', 'manual', 'imported')", name="origin"),
        CheckConstraint("status IN ('suggested', 'accepted', 'rejected')", name="status"),
        Index("ix_entity_spans_document_start", "document_id", "start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int]
    end: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    label_id: Mapped[int] = mapped_column(ForeignKey("labels.id", ondelete="RESTRICT"), index=True)
    origin: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), index=True)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id", ondelete="SET NULL"))
    model_name: Mapped[str | None] = mapped_column(String(200))
    model_version: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ClaimFieldRow(Base):
    __tablename__ = "claim_fields"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('single', 'multi', 'text', 'number', 'scale', 'boolean', 'date', 'entity')",
            name="kind",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    required: Mapped[bool] = mapped_column(default=False)
    minimum: Mapped[float | None] = mapped_column(Float)
    maximum: Mapped[float | None] = mapped_column(Float)
    entity_labels: Mapped[list[Any]] = mapped_column(default=list)
    multiline: Mapped[bool] = mapped_column(default=False)
    # number and scale variables: ordinal, interval or ratio; NULL: the kind's default (0008)
    level: Mapped[str | None] = mapped_column(String(20))


class CategoryValueRow(Base):
    __tablename__ = "category_values"
    __table_args__ = (UniqueConstraint("field_id", "code", name="uq_category_values_field_code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    field_id: Mapped[int] = mapped_column(ForeignKey("claim_fields.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(Text, default="")
    shortcut: Mapped[str | None] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(default=0)


class ClaimRow(Base):
    __tablename__ = "claims"
    __table_args__ = (
        CheckConstraint("start >= 0 AND \"end\" > start", name="offsets"),
        Index("ix_claims_document_start", "document_id", "start"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int]
    end: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id", ondelete="SET NULL"))
    needs_review: Mapped[bool] = mapped_column(default=False, index=True)
    review_note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ClaimValueRow(Base):
    __tablename__ = "claim_values"
    __table_args__ = (UniqueConstraint("claim_id", "field_id", name="uq_claim_values_claim_field"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claims.id", ondelete="CASCADE"))
    field_id: Mapped[int] = mapped_column(ForeignKey("claim_fields.id", ondelete="CASCADE"), index=True)
    value: Mapped[Any | None] = mapped_column(JSON)
    entity_span_id: Mapped[int | None] = mapped_column(
        ForeignKey("entity_spans.id", ondelete="SET NULL"), index=True
    )
    entity_text: Mapped[str | None] = mapped_column(Text)


class ModelRunRow(Base):
    """Which pipeline (and configuration) last pre-annotated a document: makes runs resumable."""

    __tablename__ = "model_runs"
    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    model_name: Mapped[str] = mapped_column(String(200))
    model_version: Mapped[str] = mapped_column(String(50))
    config_hash: Mapped[str] = mapped_column(String(64))
    suggestions: Mapped[int] = mapped_column(default=0)
    processed_at: Mapped[datetime]
    #: How unsure the model was of the document, in [0, 1] (0010, active ordering); NULL: no score.
    uncertainty: Mapped[float | None] = mapped_column(Float)


class CodebookChangeRow(Base):
    """One saved change of the codebook: when, by whom, and what changed (for the methods section)."""

    __tablename__ = "codebook_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    changed_at: Mapped[datetime]
    coder: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)


class CodeRow(Base):
    """A QDA code of the code layer (0009): apart from the entity labels."""

    __tablename__ = "codes"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    color: Mapped[str] = mapped_column(String(20), default="", server_default="")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id", ondelete="SET NULL"))
    position: Mapped[int] = mapped_column(default=0, server_default="0")


class CodingRow(Base):
    """A code applied to a range by a coder (0009); codings may overlap."""

    __tablename__ = "codings"
    __table_args__ = (CheckConstraint("start >= 0 AND \"end\" > start", name="offsets"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id", ondelete="SET NULL"))
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"), index=True)
    start: Mapped[int]
    end: Mapped[int]
    text: Mapped[str] = mapped_column(Text)
    memo: Mapped[str] = mapped_column(Text, default="", server_default="")
    created_at: Mapped[datetime]
