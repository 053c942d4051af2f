"""`annotator assign`: hand a project's documents to its coders, with a reliability sample."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

from annotator.domain.assignment import Overlap, check_coder_names, plan_assignment
from annotator.domain.errors import AssignmentError
from annotator.domain.ids import CoderId, DocumentId
from annotator.services.project import Project
from annotator.storage.repositories import (
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
)


@dataclass(frozen=True)
class CoderLoad:
    name: str
    added: int  # documents this run gave them
    total: int  # documents assigned to them now
    created: bool  # the coder was new to the project


@dataclass(frozen=True)
class AssignmentSummary:
    coders: tuple[CoderLoad, ...]
    documents: int  # in the project
    placed: int  # documents that had no coder before this run
    sample_added: int
    sample_total: int
    seed: int
    overlap: Overlap


def new_seed() -> int:
    """A seed for a run that named none; printed, so the draw can be repeated."""
    return random.SystemRandom().randrange(1, 1_000_000)


def assign(
    project: Project, coders: Sequence[str], overlap: Overlap, seed: int | None = None
) -> AssignmentSummary:
    """Give every document nobody has yet to the coders (creating coders on first mention);
    one unit of work, so an interrupted run assigns nothing."""
    names = check_coder_names(coders)
    seed = new_seed() if seed is None else seed
    with project.session() as session:
        documents = DocumentRepository(session).ids()
        if not documents:
            raise AssignmentError(
                f"{project.path}: the project has no documents to assign; import some first"
            )
        people = CoderRepository(session)
        known = {c.name.casefold(): c.name for c in people.all()}
        for name in names:
            spelled = known.get(name.casefold())
            if spelled is not None and spelled != name:
                raise AssignmentError(
                    f"{project.path}: the project has a coder {spelled}; write {spelled}, not {name}"
                )
        created = {name for name in names if name.casefold() not in known}
        ids = {name: _id(people, name) for name in names}
        by_id = people.names()
        work = CoderDocumentRepository(session)
        existing = {
            document: {by_id[c] for c in holders} for document, holders in work.assignments().items()
        }
        old_sample = work.sample()
        plan = plan_assignment(documents, names, overlap, seed, existing, old_sample)
        work.assign((document, ids[name]) for document, name in plan.pairs)
        work.set_sample(plan.sample)
        added = {name: 0 for name in names}
        for _document, name in plan.pairs:
            added[name] += 1
        totals = _totals(work.assignments())
        placed = len({d for d, _name in plan.pairs if not existing.get(d)})
        return AssignmentSummary(
            coders=tuple(
                CoderLoad(name, added[name], totals.get(ids[name], 0), name in created)
                for name in names
            ),
            documents=len(documents),
            placed=placed,
            sample_added=len(set(plan.sample) - old_sample),
            sample_total=len(old_sample | set(plan.sample)),
            seed=seed,
            overlap=overlap,
        )


def _id(people: CoderRepository, name: str) -> CoderId:
    found = people.id_for(name)
    assert found is not None  # names are checked non-empty
    return found


def _totals(assignments: dict[DocumentId, set[CoderId]]) -> dict[CoderId, int]:
    totals: dict[CoderId, int] = {}
    for holders in assignments.values():
        for coder in holders:
            totals[coder] = totals.get(coder, 0) + 1
    return totals
