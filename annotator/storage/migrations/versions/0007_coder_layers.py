"""Every coder gets a layer: per-coder document status and assignment, roles, a study identity.

Decisions (accepted, rejected or drawn entities, claims) already name their coder; those that
name none go to the project's first coder (created as "coder" if the project has none), and a
pending model suggestion belongs to nobody. A document's status moves into ``coder_documents``
for every coder who has work in it (``documents.status`` stays, unused, because rebuilding a
parent table in SQLite's batch mode would cascade deletes through the foreign keys).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "coders", sa.Column("role", sa.String(20), nullable=False, server_default="coder")
    )
    op.add_column(
        "documents", sa.Column("in_sample", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "coder_documents",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("coder_id", sa.Integer(), nullable=False),
        sa.Column("assigned", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("status", sa.String(20), nullable=False, server_default="new"),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("status IN ('new', 'in_progress', 'done')", name="status"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["coder_id"], ["coders.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", "coder_id"),
    )
    op.create_index("ix_coder_documents_coder_status", "coder_documents", ["coder_id", "status"])
    _move_into_layers()


def _move_into_layers() -> None:
    bind = op.get_bind()
    server = bind.dialect.name == "postgresql"
    # the same statements in PostgreSQL's spelling (no INSERT OR IGNORE, booleans are not 0/1)
    ignore, no_conflict, false = (
        ("", " ON CONFLICT DO NOTHING", "FALSE") if server else (" OR IGNORE", "", "0")
    )
    now = datetime.now(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
    bind.execute(
        sa.text(f"INSERT{ignore} INTO project_info (key, value) VALUES ('study_id', :v){no_conflict}"),
        {"v": uuid.uuid4().hex},
    )
    # a pending suggestion is shared: it belongs to no coder
    bind.execute(sa.text("UPDATE entity_spans SET coder_id = NULL WHERE status = 'suggested'"))
    orphans = bind.execute(sa.text(
        "SELECT (SELECT count(*) FROM entity_spans WHERE coder_id IS NULL AND status != 'suggested')"
        " + (SELECT count(*) FROM claims WHERE coder_id IS NULL)"
        " + (SELECT count(*) FROM documents WHERE status != 'new')"
    )).scalar()
    first = bind.execute(sa.text("SELECT min(id) FROM coders")).scalar()
    if first is None and orphans:
        bind.execute(
            sa.text("INSERT INTO coders (name, created_at, role) VALUES ('coder', :now, 'coder')"),
            {"now": now},
        )
        first = bind.execute(sa.text("SELECT min(id) FROM coders")).scalar()
    if first is None:
        return
    bind.execute(
        sa.text("UPDATE entity_spans SET coder_id = :c WHERE coder_id IS NULL AND status != 'suggested'"),
        {"c": first},
    )
    bind.execute(sa.text("UPDATE claims SET coder_id = :c WHERE coder_id IS NULL"), {"c": first})
    # each coder with work in a document carries its status; the first coder carries every one
    bind.execute(
        sa.text(
            f"INSERT{ignore} INTO coder_documents (document_id, coder_id, assigned, status, updated_at)"
            f" SELECT d.id, w.coder_id, {false}, d.status, :now FROM documents d JOIN ("
            "   SELECT document_id, coder_id FROM entity_spans WHERE coder_id IS NOT NULL"
            "   UNION SELECT document_id, coder_id FROM claims WHERE coder_id IS NOT NULL"
            "   UNION SELECT id, :c FROM documents WHERE status != 'new'"
            " ) w ON w.document_id = d.id" + no_conflict
        ),
        {"now": now, "c": first},
    )


def downgrade() -> None:
    op.drop_index("ix_coder_documents_coder_status", "coder_documents")
    op.drop_table("coder_documents")
    op.drop_column("documents", "in_sample")
    op.drop_column("coders", "role")
