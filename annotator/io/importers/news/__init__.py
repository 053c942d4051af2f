"""News-database batch files (Nexis Uni / LexisNexis, Factiva): many articles in one file.

The importers of .txt, .docx, .rtf and .html hand their text to :func:`split_batch`; when the
text is a database export (told by its content, not its name) each article becomes its own
document and the database's cover page and boilerplate are left out. An article that cannot
be read is named in the file's warnings (its number and why); the others land.
"""

from __future__ import annotations

from pathlib import Path

from annotator.domain.errors import ImportFileError
from annotator.domain.model import NewDocument
from annotator.io.importers.fields import with_warnings
from annotator.io.importers.news import factiva, lexisnexis, nexis
from annotator.io.importers.news.batch import Batch

__all__ = ["split_batch"]


def split_batch(
    path: Path, text: str, warnings: tuple[str, ...] = ()
) -> list[NewDocument] | None:
    """The articles of a database export, or None when ``text`` is not one."""
    for database in (nexis, lexisnexis, factiva):
        if database.looks_like(text):
            return _articles(path, database.split(path, text), warnings)
    return None


def _articles(path: Path, batch: Batch, warnings: tuple[str, ...]) -> list[NewDocument]:
    problems = tuple(
        f"{batch.database} article {number} was not imported: {reason}"
        for number, reason in batch.problems
    )
    if not batch.articles:
        first = problems[0] if problems else f"{batch.database} export holds no article"
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise ImportFileError(path, f"no article could be imported: {first}{more}")
    return with_warnings(batch.articles, (*warnings, *problems))
