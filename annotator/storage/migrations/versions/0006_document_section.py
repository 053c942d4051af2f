"""Documents get a section (the newspaper's desk or rubric), editable like outlet and date.

A section read earlier from a table's "section" column was kept among the document's
metadata; it moves into the new column so nothing typed or imported is lost. The column is
added in place (no batch copy of the table), which keeps the full-text triggers of 0004.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("documents", sa.Column("section", sa.Text(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        # a server project is made by this version (or copied from a file): no old documents
        # carry a section in their metadata only
        return
    op.execute(
        "UPDATE documents SET section = NULLIF(TRIM(json_extract(metadata_json, '$.section')), '') "
        "WHERE json_valid(metadata_json) AND json_type(metadata_json, '$.section') = 'text'"
    )


def downgrade() -> None:
    op.drop_column("documents", "section")
