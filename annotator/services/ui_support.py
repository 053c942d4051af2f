"""Small reads and writes the desktop app needs that the other services do not offer (yet)."""

from __future__ import annotations

from annotator.domain.errors import CodebookError
from annotator.domain.model import Pattern
from annotator.services.project import Project
from annotator.storage.repositories import CodebookRepository


def add_pattern(project: Project, label: str, text: str) -> tuple[Pattern, ...]:
    """Add a phrase pattern to the project's codebook; returns the patterns it had before
    (for undo). The next pre-annotation run uses it: the codebook changed, so every document
    counts as unprocessed again."""
    phrase = text.strip()
    if not phrase:
        raise CodebookError("select some words to add as a pattern")
    with project.session() as session:
        codebook = CodebookRepository(session)
        before = codebook.patterns()
        if any(p.label == label and p.pattern == phrase for p in before):
            raise CodebookError(f"{phrase!r} is already a pattern for {label}")
        codebook.add_pattern(Pattern(label, phrase))
    return before


def restore_patterns(project: Project, patterns: tuple[Pattern, ...]) -> None:
    """Make the project's patterns exactly ``patterns`` again (undo of add_pattern)."""
    with project.session() as session:
        CodebookRepository(session).save_patterns(patterns)
