"""A free-text claim variable can be a multi-line memo (issue 10.5).

The default codebook's ``note`` variable becomes one in projects made before: it was always
meant as a memo, and a single line cut the coders' notes off from view.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE, not batch mode: batch copies and drops the table, and with foreign
    # keys on, dropping claim_fields would cascade to its category values and coded values.
    op.add_column(
        "claim_fields", sa.Column("multiline", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    true = "TRUE" if op.get_bind().dialect.name == "postgresql" else "1"
    op.execute(f"UPDATE claim_fields SET multiline = {true} WHERE name = 'note' AND kind = 'text'")


def downgrade() -> None:
    op.execute("ALTER TABLE claim_fields DROP COLUMN multiline")  # SQLite 3.35+, no table copy
