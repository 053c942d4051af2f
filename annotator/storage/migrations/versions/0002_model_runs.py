"""Record which pipeline last pre-annotated each document, so runs resume where they stopped.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "model_runs",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("model_name", sa.String(200), nullable=False),
        sa.Column("model_version", sa.String(50), nullable=False),
        sa.Column("config_hash", sa.String(64), nullable=False),
        sa.Column("suggestions", sa.Integer(), nullable=False),
        sa.Column("processed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name="fk_model_runs_document_id_documents", ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name="pk_model_runs"),
    )


def downgrade() -> None:
    op.drop_table("model_runs")
