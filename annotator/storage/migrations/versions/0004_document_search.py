"""Full-text search over documents (SQLite FTS5) for the document list's filter.

Documents are indexed on demand (see ``storage.search``), not by an insert trigger, so an
import of thousands of files does not pay for tokenizing every article twice; a watermark in
``project_info`` says how far the index goes. Updates and deletes of indexed documents are
kept in step by triggers.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_INDEXED = "(SELECT CAST(value AS INTEGER) FROM project_info WHERE key = 'search_indexed_upto')"


#: On PostgreSQL the filter uses the server's own text search: a GIN index over this expression
#: ('simple' configuration: no stemming, as FTS5's unicode61), kept current by the server itself.
PG_DOCUMENT_VECTOR = "to_tsvector('simple', coalesce(title, '') || ' ' || text)"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"CREATE INDEX ix_documents_search ON documents USING gin (({PG_DOCUMENT_VECTOR}))")
        return
    op.execute(
        "CREATE VIRTUAL TABLE documents_fts USING fts5("
        "title, text, content='documents', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    op.execute(
        "CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents "
        f"WHEN old.id <= {_INDEXED} BEGIN "
        "INSERT INTO documents_fts (documents_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); END"
    )
    op.execute(
        "CREATE TRIGGER documents_fts_update AFTER UPDATE OF title, text ON documents "
        f"WHEN old.id <= {_INDEXED} BEGIN "
        "INSERT INTO documents_fts (documents_fts, rowid, title, text) "
        "VALUES ('delete', old.id, old.title, old.text); "
        "INSERT INTO documents_fts (rowid, title, text) VALUES (new.id, new.title, new.text); END"
    )
    op.execute(
        "INSERT INTO documents_fts (rowid, title, text) SELECT id, title, text FROM documents"
    )
    op.execute(
        "INSERT INTO project_info (key, value) "
        "SELECT 'search_indexed_upto', CAST(COALESCE(MAX(id), 0) AS TEXT) FROM documents"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_search")
        return
    for trigger in ("documents_fts_delete", "documents_fts_update"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS documents_fts")
    op.execute("DELETE FROM project_info WHERE key = 'search_indexed_upto'")
