"""How unsure the model was of each document it pre-annotated (issue 15.4, active ordering).

One nullable column on the run record, written in the same statement that records the run,
so a score always belongs to the model and configuration named beside it. NULL: not scored
(never pre-annotated, scored before 0010, a recognizer that gives no score, or a model
switch cleared it). A plain ALTER TABLE: no table copy, no data change.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("model_runs", sa.Column("uncertainty", sa.Float(), nullable=True))


def downgrade() -> None:
    op.execute("ALTER TABLE model_runs DROP COLUMN uncertainty")  # SQLite 3.35+, no table copy
