"""Coder packages: `annotator package` and `annotator merge`, and File -> Merge Coder's Work.

A package is an ordinary project file holding the study's identity and codebook, one coder's
documents with their shared suggestions, and that coder's layer; the coder works in it
offline and the PI merges it back. Per document (matched by its text's sha256) the side that
changed the coder's layer since the package was made wins, and when both did, the later work
(see ``domain.packages.merge_outcome``): a newer package replaces the coder's older work there,
the same package merged twice changes nothing, an older one is skipped and reported. Every
refusal is found before anything is written, and all packages of one merge are one
transaction: the project is never left half-merged.
"""

from __future__ import annotations

import json
import time
from collections.abc import Generator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from threading import Event

from annotator.domain.errors import CodebookMismatchError, PackageError, ProjectError
from annotator.domain.location import ServerLocation, display_location, is_server_url
from annotator.domain.model import Codebook
from annotator.domain.packages import (
    EMPTY,
    PACKAGE_BASE,
    PACKAGE_OF,
    STUDY_ID,
    Fingerprint,
    MergeReport,
    Outcome,
    PackageMerge,
    codebook_differences,
    merge_outcome,
)
from annotator.services.project import Project
from annotator.storage.layer_merge import LayerWriter, PackageLayer, read_documents, read_layer
from annotator.storage.packaging import write_package
from annotator.storage.repositories import (
    CodebookRepository,
    CoderDocumentRepository,
    CoderRepository,
    ProjectInfoRepository,
)


@dataclass(frozen=True)
class PackageSummary:
    coder: str
    out: str
    documents: int
    entities: int
    claims: int
    size: int  # bytes


def make_package(
    project_path: Path | str, coder: str, out: Path | str, force: bool = False
) -> PackageSummary:
    """Write ``coder``'s package of the project to ``out`` (replacing it only if ``force``)."""
    if is_server_url(str(project_path)) or isinstance(project_path, ServerLocation):
        raise PackageError(
            f"{display_location(str(project_path))}: coders of a project on a server work on the "
            "server itself; to make packages, first copy it to a file with `annotator copy`"
        )
    source, out = Path(project_path), Path(out)
    _check_target(source, out, force)
    with Project(source, read_only=True) as project, project.read_session() as session:
        coders = CoderRepository(session)
        coder_id = coders.find(coder)
        if coder_id is None:
            known = ", ".join(c.name for c in coders.all()) or "none yet"
            raise PackageError(
                f"{source}: has no coder named {coder!r} (its coders: {known}); "
                "add coders with `annotator assign`"
            )
        documents = CoderDocumentRepository(session)
        assigned_only = documents.any_assigned()
        if assigned_only and not any(coder_id in c for c in documents.assignments().values()):
            raise PackageError(f"{source}: no documents are assigned to {coder}; assign some first")
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    counts = write_package(source, out, coder_id, coder, assigned_only, stamp)
    return PackageSummary(coder, str(out), counts.documents, counts.entities, counts.claims, counts.size)


def _check_target(source: Path, out: Path, force: bool) -> None:
    if out.is_dir():
        raise PackageError(f"{out}: is a folder; give the name of the package to write")
    if out.exists() and out.resolve() == source.resolve():
        raise PackageError(f"{out}: a package cannot replace the project itself")
    if out.exists() and not force:
        raise PackageError(f"{out}: a file of that name exists already (use --force to replace it)")
    if Path(f"{out}-wal").exists():
        raise PackageError(f"{out}: is open in a program (its -wal file is beside it); close it first")
    if not out.parent.is_dir():
        raise PackageError(f"{out}: the folder {out.parent} does not exist")


def merge(project: Project, package_paths: Sequence[Path | str]) -> MergeReport:
    """Bring each package's coder layer into ``project``: all of them, or (refused) nothing."""
    started = time.perf_counter()
    paths = [Path(p) for p in package_paths]
    if not paths:
        raise PackageError(f"{project.path}: no packages to merge were given")
    opened: list[Project] = []
    try:
        with project.read_session() as session:
            info = ProjectInfoRepository(session)
            study, own = info.get(STUDY_ID), info.get(PACKAGE_OF)
            codebook = CodebookRepository(session).codebook()
        if own:
            raise PackageError(
                f"{project.path}: is {own}'s package, not the study's project; merge packages into "
                "the project they were made from"
            )
        refusals: list[PackageError] = []
        for path in paths:
            package, refusal = _open_package(project, path, study, codebook)
            if package is not None:
                opened.append(package)
            if refusal is not None:
                refusals.append(refusal)
        if len(refusals) == 1:
            raise refusals[0]
        if refusals:
            raise PackageError(f"{len(refusals)} packages were refused, so nothing was merged: "
                               + " | ".join(str(r) for r in refusals))
        layers = []
        for package in opened:
            with package.read_session() as session:
                info = ProjectInfoRepository(session)
                coder, base = info.get(PACKAGE_OF) or "", _base(info.get(PACKAGE_BASE))
                layers.append((package, read_layer(session, coder), base))
        with project.session() as session:  # one transaction for every package
            writer = LayerWriter(session)
            merged = tuple(_merge_one(writer, *loaded) for loaded in layers)
    finally:
        for package in opened:
            package.close()
    return MergeReport(str(project.path), merged, time.perf_counter() - started)


def _open_package(
    project: Project, path: Path, study: str | None, codebook: Codebook
) -> tuple[Project | None, PackageError | None]:
    """The package opened for reading, or why it is refused (checked before any write)."""
    if path.exists() and path.resolve() == project.path.resolve():
        return None, PackageError(
            f"{path}: is the project itself, not a coder's package, so nothing was merged"
        )
    try:
        package = Project(path, read_only=True)
    except ProjectError as exc:
        return None, PackageError(f"{exc}; nothing was merged")
    with package.read_session() as session:
        info = ProjectInfoRepository(session)
        coder, their_study = info.get(PACKAGE_OF), info.get(STUDY_ID)
        their_codebook = CodebookRepository(session).codebook()
    if not coder:
        return package, PackageError(
            f"{path}: is a project, not a coder's package, so nothing was merged "
            "(make packages with `annotator package`)"
        )
    if their_study != study:
        return package, PackageError(
            f"{path}: is a package of another study than {project.path.name} "
            f"(study {str(their_study)[:8]}… here {str(study)[:8]}…), so nothing was merged"
        )
    differences = codebook_differences(codebook, their_codebook)
    if differences:
        return package, CodebookMismatchError(path, project.path.name, differences)
    return package, None


def _base(stored: str | None) -> dict[str, Fingerprint] | None:
    """The coder's layer per document when the package was made (None: not recorded)."""
    if stored is None:
        return None
    try:
        return {
            sha: (int(e), int(c), None if t is None else datetime.fromisoformat(t))
            for sha, (e, c, t) in json.loads(stored).items()
        }
    except (ValueError, TypeError):
        return None  # then the later work wins, as for a package that recorded nothing


def _merge_one(
    writer: LayerWriter, package: Project, layer: PackageLayer, base: dict[str, Fingerprint] | None
) -> PackageMerge:
    found = writer.document_ids(layer.sha256.values())
    missing = [doc for doc, sha in layer.sha256.items() if sha not in found]
    with package.read_session() as session:
        added = writer.add_documents(read_documents(session, missing))
    if layer.role is None:  # the coder made nothing in the package
        return PackageMerge(
            package.path.name, layer.coder, unchanged=len(found), added=len(added), others=layer.others
        )
    coder_id = writer.coder_id(layer.coder, layer.role)
    ours = writer.fingerprints(coder_id)
    targets = dict(added)
    outcomes = dict.fromkeys(Outcome, 0)
    for doc, sha in layer.sha256.items():
        if doc in added:
            continue
        was = None if base is None else base.get(sha, EMPTY)
        outcome = merge_outcome(layer.fingerprint(doc), ours.get(found[sha], EMPTY), was)
        outcomes[outcome] += 1
        if outcome is Outcome.UPDATED:
            targets[doc] = found[sha]
    writer.replace(coder_id, targets, layer)
    return PackageMerge(
        package.path.name, layer.coder, outcomes[Outcome.UPDATED], outcomes[Outcome.UNCHANGED],
        len(added), outcomes[Outcome.OLDER], layer.others,
    )


def merge_steps(
    project: Project, package_paths: Sequence[Path], cancel: Event | None = None
) -> Generator[str, None, MergeReport | None]:
    """File -> Merge Coder's Work on the app's worker thread."""
    yield f"Merging {len(package_paths)} package(s)"
    if cancel is not None and cancel.is_set():
        return None
    return merge(project, package_paths)
