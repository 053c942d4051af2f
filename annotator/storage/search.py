"""The full-text index of documents, brought up to date on demand before a search."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_WATERMARK = "search_indexed_upto"


def ensure_search_index(session: Session) -> int:
    """Index the documents added since the last search; returns how many were indexed.

    Document ids only grow, and a document's text never changes after import, so everything
    above the watermark is exactly what the index lacks.
    """
    if session.get_bind().dialect.name == "postgresql":
        return 0  # the server's GIN index (migration 0004) is always current
    upto = session.execute(
        text("SELECT CAST(value AS INTEGER) FROM project_info WHERE key = :key"), {"key": _WATERMARK}
    ).scalar()
    upto = int(upto or 0)
    newest = int(session.execute(text("SELECT COALESCE(MAX(id), 0) FROM documents")).scalar() or 0)
    if newest <= upto:
        return 0
    added = session.execute(
        text(
            "INSERT INTO documents_fts (rowid, title, text) "
            "SELECT id, title, text FROM documents WHERE id > :upto"
        ),
        {"upto": upto},
    ).rowcount
    session.execute(
        text("INSERT OR REPLACE INTO project_info (key, value) VALUES (:key, :value)"),
        {"key": _WATERMARK, "value": str(newest)},
    )
    return int(added or 0)


def fts_query(query: str) -> str:
    """Every word of the filter must appear (any order); the last may be a prefix, as typed."""
    phrases = [f'"{word.replace(chr(34), chr(34) * 2)}"' for word in query.split()]
    phrases[-1] += "*"
    return " AND ".join(phrases)


#: PostgreSQL's form of the filter: the expression migration 0004 indexes (GIN).
PG_DOCUMENT_VECTOR = "to_tsvector('simple', coalesce(documents.title, '') || ' ' || documents.text)"


def tsquery(query: str) -> str:
    """The same rule for PostgreSQL's ``to_tsquery('simple', ...)``: every word, the last as a prefix.

    Each word is quoted as a lexeme, so no character of what was typed is read as an operator.
    """
    words = [word.lower() for word in query.split()]
    lexemes = ["'" + word.replace("\\", "\\\\").replace("'", "''") + "'" for word in words]
    lexemes[-1] += ":*"
    return " & ".join(lexemes)
