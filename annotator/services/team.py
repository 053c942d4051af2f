"""The team around a project, as the window sees it: coders, their progress, who may see whom."""

from __future__ import annotations

from annotator.domain.model import Coder
from annotator.services.layers import is_blind
from annotator.services.project import Project
from annotator.storage.repositories import CoderDocumentRepository, CoderRepository


class Team:
    def __init__(self, project: Project) -> None:
        self.project = project

    def coders(self) -> list[Coder]:
        with self.project.read_session() as session:
            return CoderRepository(session).all()

    def progress(self) -> dict[str, dict[str, int]]:
        """coder -> documents assigned, new, in progress and done."""
        with self.project.read_session() as session:
            return CoderDocumentRepository(session).progress()

    def blind(self) -> bool:
        with self.project.read_session() as session:
            return is_blind(session)

    def may_view(self, viewer: str, other: str) -> bool:
        """A coder sees another coder's work only as the PI, or when coding is not blind."""
        if viewer == other:
            return True
        with self.project.read_session() as session:
            me = CoderRepository(session).get(viewer)
            return (me is not None and me.is_pi) or not is_blind(session)
