"""Which coder's layer a use case reads and writes, and the team's blind-coding rule."""

from __future__ import annotations

from sqlalchemy.orm import Session

from annotator.domain.adjudication import FINAL_LAYER
from annotator.domain.ids import CoderId
from annotator.services.project import Project
from annotator.storage.repositories import CoderRepository, ProjectInfoRepository

BLIND_SETTING = "blind_coding"
DEFAULT_CODER = "coder"


def writing_coder(session: Session, coder: str | None) -> tuple[str, CoderId]:
    """The coder a change is recorded for: the one named, else the project's first coder
    (a one-person project, or a script that names nobody). Creates the coder on first use."""
    repo = CoderRepository(session)
    if not coder:
        coders = repo.all()
        coder = coders[0].name if coders else DEFAULT_CODER
    coder_id = repo.id_for(coder)
    assert coder_id is not None
    return coder, coder_id


def reading_coder(session: Session, coder: str | None) -> CoderId | None:
    """The layer a read shows: the named coder's (even before their first decision), or with
    no name the team's combined view."""
    return None if not coder else CoderRepository(session).layer_id(coder)


def is_blind(session: Session) -> bool:
    """Blind coding: on by default once a project has more than one coder."""
    value = ProjectInfoRepository(session).get(BLIND_SETTING)
    if value is None:
        return sum(1 for c in CoderRepository(session).all() if c.name != FINAL_LAYER) > 1
    return value == "on"


def blind_coding(project: Project) -> bool:
    with project.read_session() as session:
        return is_blind(session)


def set_blind_coding(project: Project, on: bool) -> None:
    project.set_setting(BLIND_SETTING, "on" if on else "off")
