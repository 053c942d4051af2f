"""Setting up the server's own guard for a team project (issue 14.6; docs/team-server.md)."""

from __future__ import annotations

from collections.abc import Sequence

from annotator.services.project import Project
from annotator.storage.repositories import CoderRepository
from annotator.storage.team_security import SECURITY_SQL, apply_security, coder_role_sql

__all__ = ["SECURITY_SQL", "apply_security_to", "role_sql"]


def apply_security_to(project: Project) -> list[str]:
    """Grant the group roles their rights and switch on row-level security; the coders the
    project knows, each of whom needs a login role of the same name."""
    with project.session() as session:
        apply_security(session)
        return [c.name for c in CoderRepository(session).all() if c.name != "final"]


def role_sql(coders: Sequence[str], pis: Sequence[str] = ()) -> str:
    """CREATE ROLE lines for these coders and PIs (passwords are set apart, interactively)."""
    return "".join(coder_role_sql(name, pi=name in pis) for name in [*pis, *coders])
