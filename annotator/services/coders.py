"""A study's coders: who they are, their role (coder or PI), and how far each has got."""

from __future__ import annotations

from dataclasses import dataclass

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.assignment import check_coder_name
from annotator.domain.errors import CoderError
from annotator.domain.model import Coder, CoderRole
from annotator.domain.packages import PACKAGE_OF
from annotator.services.layers import blind_coding, is_blind
from annotator.services.project import Project
from annotator.storage.repositories import CoderDocumentRepository, CoderRepository


@dataclass(frozen=True)
class CoderProgress:
    """One coder's documents: assigned to them, and by their own status."""

    name: str
    role: CoderRole
    assigned: int
    new: int
    in_progress: int
    done: int


def parse_role(text: str) -> CoderRole:
    try:
        return CoderRole(text.strip().lower())
    except ValueError:
        roles = " or ".join(r.value for r in CoderRole)
        raise CoderError(f"role {text!r} is not one of {roles}") from None


class CoderService:
    def __init__(self, project: Project) -> None:
        self.project = project

    def coders(self) -> list[Coder]:
        with self.project.read_session() as session:
            return CoderRepository(session).all()

    def require(self, name: str) -> Coder:
        """The coder of that name, or an error listing the project's coders."""
        with self.project.read_session() as session:
            people = CoderRepository(session)
            found = people.get(name.strip())
            if found is None:
                raise CoderError(self._unknown(name, people.all()))
            return found

    def add(self, name: str, role: CoderRole = CoderRole.CODER) -> bool:
        """Add a coder; False (and nothing changed) when they are in the project already."""
        name = check_coder_name(name)
        with self.project.session() as session:
            people = CoderRepository(session)
            for coder in people.all():
                if coder.name == name:
                    return False
                if coder.name.casefold() == name.casefold():
                    raise CoderError(
                        f"{self.project.path}: the project has a coder {coder.name}; "
                        f"{name} differs only in case"
                    )
            people.id_for(name, role)
            return True

    def set_role(self, name: str, role: CoderRole) -> None:
        with self.project.session() as session:
            people = CoderRepository(session)
            if people.find(name.strip()) is None:
                raise CoderError(self._unknown(name, people.all()))
            people.set_role(name.strip(), role)

    def progress(self) -> list[CoderProgress]:
        """Every coder, in the order they joined, with their documents by status."""
        with self.project.read_session() as session:
            roles = {c.name: c.role for c in CoderRepository(session).all()}
            counts = CoderDocumentRepository(session).progress()
        return [
            CoderProgress(
                name, roles[name], c["assigned"], c["new"], c["in_progress"], c["done"]
            )
            for name, c in counts.items()
            if name != FINAL_LAYER  # the adjudicated layer is not a person's work
        ]

    def change_token(self) -> tuple[int, str]:
        """Changes whenever a coder's status or assignment of a document changes (polled by
        the app every few seconds: others' progress shows without a restart)."""
        with self.project.read_session() as session:
            return CoderDocumentRepository(session).change_token()

    def package_coder(self) -> str | None:
        """In a coder's package: the coder it was made for (the one who codes in it)."""
        return self.project.setting(PACKAGE_OF)

    def blind(self) -> bool:
        return blind_coding(self.project)

    def may_view(self, viewer: str, other: str) -> bool:
        """A coder sees another coder's work only as the PI, or when coding is not blind."""
        return viewer == other or self.sees_everyone(viewer)

    def sees_everyone(self, viewer: str) -> bool:
        """The PI, or anyone when coding is not blind, may see every coder's work."""
        with self.project.read_session() as session:
            me = CoderRepository(session).get(viewer)
            return (me is not None and me.is_pi) or not is_blind(session)

    def _unknown(self, name: str, known: list[Coder]) -> str:
        listed = ", ".join(c.name for c in known) or "none yet"
        return f"{self.project.path}: there is no coder {name.strip()!r} (its coders: {listed})"
