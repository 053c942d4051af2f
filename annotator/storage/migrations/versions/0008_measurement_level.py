"""Number and scale variables carry a level of measurement (issue 12): ordinal, interval or
ratio, for Krippendorff's alpha. NULL means the kind's default (scale ordinal, number ratio),
so existing projects need no data change.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ALTER TABLE, not batch mode: batch copies and drops claim_fields, and with
    # foreign keys on, that would cascade to its category values and coded values.
    op.add_column("claim_fields", sa.Column("level", sa.String(20), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE claim_fields DROP COLUMN level")  # SQLite 3.35+, no table copy
