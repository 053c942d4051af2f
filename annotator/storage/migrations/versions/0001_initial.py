"""Initial schema: documents, coders, labels, patterns, entity spans, codebook and claims.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "project_info",
        sa.Column("key", sa.String(100), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_project_info"),
    )
    op.create_table(
        "coders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_coders"),
        sa.UniqueConstraint("name", name="uq_coders_name"),
    )
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("source", sa.Text(), nullable=True),
        sa.Column("author", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("imported_at", sa.DateTime(), nullable=False),
        sa.Column("original_filename", sa.Text(), nullable=True),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("metadata_json", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "status IN ('new', 'in_progress', 'done')", name="ck_documents_status"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_documents"),
        sa.UniqueConstraint("sha256", name="uq_documents_sha256"),
    )
    op.create_index("ix_documents_status", "documents", ["status"])
    op.create_table(
        "labels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("color", sa.String(20), nullable=False),
        sa.Column("shortcut", sa.String(20), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("spacy_labels", sa.JSON(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_labels"),
        sa.UniqueConstraint("name", name="uq_labels_name"),
    )
    op.create_table(
        "patterns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.Column("pattern", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["label_id"], ["labels.id"], name="fk_patterns_label_id_labels", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_patterns"),
    )
    op.create_index("ix_patterns_label_id", "patterns", ["label_id"])
    op.create_table(
        "entity_spans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label_id", sa.Integer(), nullable=False),
        sa.Column("origin", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=True),
        sa.Column("model_name", sa.String(200), nullable=True),
        sa.Column("model_version", sa.String(50), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="ck_entity_spans_offsets"),
        sa.CheckConstraint(
            "origin IN ('model', 'manual', 'imported')", name="ck_entity_spans_origin"
        ),
        sa.CheckConstraint(
            "status IN ('suggested', 'accepted', 'rejected')", name="ck_entity_spans_status"
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name="fk_entity_spans_document_id_documents", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["label_id"], ["labels.id"], name="fk_entity_spans_label_id_labels", ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coders.id"], name="fk_entity_spans_coder_id_coders", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_entity_spans"),
    )
    op.create_index("ix_entity_spans_document_start", "entity_spans", ["document_id", "start"])
    op.create_index("ix_entity_spans_label_id", "entity_spans", ["label_id"])
    op.create_index("ix_entity_spans_status", "entity_spans", ["status"])
    op.create_table(
        "claim_fields",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("minimum", sa.Float(), nullable=True),
        sa.Column("maximum", sa.Float(), nullable=True),
        sa.Column("entity_labels", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('single', 'multi', 'text', 'number', 'scale', 'boolean', 'date', 'entity')",
            name="ck_claim_fields_kind",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_claim_fields"),
        sa.UniqueConstraint("name", name="uq_claim_fields_name"),
    )
    op.create_table(
        "category_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(200), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("shortcut", sa.String(20), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["field_id"], ["claim_fields.id"],
            name="fk_category_values_field_id_claim_fields", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_category_values"),
        sa.UniqueConstraint("field_id", "code", name="uq_category_values_field_code"),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=True),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("review_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="ck_claims_offsets"),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name="fk_claims_document_id_documents", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["coder_id"], ["coders.id"], name="fk_claims_coder_id_coders", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_claims"),
    )
    op.create_index("ix_claims_document_start", "claims", ["document_id", "start"])
    op.create_table(
        "claim_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("field_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.JSON(), nullable=True),
        sa.Column("entity_span_id", sa.Integer(), nullable=True),
        sa.Column("entity_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claims.id"], name="fk_claim_values_claim_id_claims", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["field_id"], ["claim_fields.id"],
            name="fk_claim_values_field_id_claim_fields", ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_span_id"], ["entity_spans.id"],
            name="fk_claim_values_entity_span_id_entity_spans", ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_claim_values"),
        sa.UniqueConstraint("claim_id", "field_id", name="uq_claim_values_claim_field"),
    )
    op.create_index("ix_claim_values_field_id", "claim_values", ["field_id"])
    op.create_index("ix_claim_values_entity_span_id", "claim_values", ["entity_span_id"])


def downgrade() -> None:
    for table in (
        "claim_values", "claims", "category_values", "claim_fields",
        "entity_spans", "patterns", "labels", "documents", "coders", "project_info",
    ):
        op.drop_table(table)
