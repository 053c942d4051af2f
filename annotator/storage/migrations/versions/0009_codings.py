"""The code layer (issue 13): a project's QDA codes and their codings, which may overlap.

New tables only: no existing table is copied or altered (no batch mode on parent tables).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("color", sa.String(20), nullable=False, server_default=""),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False, server_default="0"),
        sa.ForeignKeyConstraint(["parent_id"], ["codes.id"], name="fk_codes_parent_id_codes", ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name="pk_codes"),
        sa.UniqueConstraint("name", name="uq_codes_name"),
    )
    op.create_table(
        "codings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=True),
        sa.Column("code_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("memo", sa.Text(), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint('start >= 0 AND "end" > start', name="ck_codings_offsets"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name="fk_codings_document_id_documents", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coder_id"], ["coders.id"], name="fk_codings_coder_id_coders", ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["code_id"], ["codes.id"], name="fk_codings_code_id_codes", ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name="pk_codings"),
    )
    op.create_index("ix_codings_document_id", "codings", ["document_id"])
    op.create_index("ix_codings_code_id", "codings", ["code_id"])


def downgrade() -> None:
    op.drop_index("ix_codings_code_id", table_name="codings")
    op.drop_index("ix_codings_document_id", table_name="codings")
    op.drop_table("codings")
    op.drop_table("codes")
