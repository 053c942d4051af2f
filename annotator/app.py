"""Composition root: the only place that wires concrete classes together."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from threading import Event

from annotator.cli import GuiRequest, run
from annotator.services.adjudication import Adjudication
from annotator.services.backup import backup_steps
from annotator.services.browse import Browser
from annotator.services.claimant import ClaimantProposer
from annotator.services.claims import ClaimCoding
from annotator.services.codebook import CodebookService
from annotator.services.coders import CoderService
from annotator.services.corrections import Corrections
from annotator.services.demo import create_demo_project
from annotator.services.document_details import DocumentDetailsEditor
from annotator.services.importing import import_paths
from annotator.services.interchange_import import DEFAULT_CODER, detect_format
from annotator.services.packages import merge_steps
from annotator.services.preannotate import Preannotator
from annotator.services.project import Project

DEMO_NAME = "Demo.annotator"


def demo_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("Annotator", appauthor=False)) / DEMO_NAME


def make_workspace(project: Project, coder: str):  # type: ignore[no-untyped-def]
    """Bind the services the window uses to one open project."""
    from annotator.ui.shell.workspace import Workspace

    annotated = _annotated_import_job(project)

    def import_job(paths: Sequence[Path], cancel: Event):  # type: ignore[no-untyped-def]
        if detect_format(paths):  # another tool's annotated files: keep their annotations
            return annotated(paths, None, DEFAULT_CODER, False, cancel)
        return import_paths(project, paths, cancel=cancel)

    browser = Browser(project, coder=coder)
    return Workspace(
        project=project,
        browser=browser,
        corrections=Corrections(project, coder=coder),
        preannotator=Preannotator(project),
        import_paths=import_job,
        claims=ClaimCoding(project, coder=coder),
        codebooks=CodebookService(project, coder=coder),
        details=DocumentDetailsEditor(project),
        # The parser loads on the first proposal, on the worker thread that runs it.
        propose_claimant=ClaimantProposer(project, layer=lambda: browser.coder).propose,
        export=_export_job(project),
        save_copy=lambda out, cancel: backup_steps(project.path, out, cancel),
        team=CoderService(project),
        merge_packages=lambda paths, cancel: merge_steps(project, paths, cancel),
        agreement=_agreement_job(project),
        adjudication=Adjudication(project),
        import_annotated=annotated,
        training=_training_job(project),
    )


def _annotated_import_job(project: Project):  # type: ignore[no-untyped-def]
    """File -> Import Annotations (and Import Files given annotated files), on the worker."""
    from annotator.services.interchange_import import import_annotated

    def job(paths: Sequence[Path], format_name: str | None, coder: str, add_labels: bool,
            cancel: Event):  # type: ignore[no-untyped-def]
        yield from ()  # one step: the import commits group by group, and reports at the end
        return import_annotated(project, paths, format_name, coder, None, add_labels)

    return job


def _export_job(project: Project):  # type: ignore[no-untyped-def]
    """File -> Export, run on the worker thread, yielding (sheet, rows) progress steps."""
    from annotator.services.export import ExportOptions
    from annotator.services.export_progress import export_steps

    def export_job(out: Path, options: ExportOptions, cancel: Event):  # type: ignore[no-untyped-def]
        return export_steps(project, out, options, cancel)

    return export_job


def _training_job(project: Project):  # type: ignore[no-untyped-def]
    """Annotate -> Train from Corrections, run on the worker thread (spaCy trains there)."""

    def training_job(options, cancel: Event):  # type: ignore[no-untyped-def]
        from annotator.services.training_job import training_steps

        return training_steps(project, options, cancel)

    return training_job


def _agreement_job(project: Project):  # type: ignore[no-untyped-def]
    """Team -> Reliability, run on the worker thread (numpy and the statistics libraries load
    there, on first use, not when the app starts)."""

    def agreement_job(coders: Sequence[str] | None, unfinished: bool, cancel: Event):  # type: ignore[no-untyped-def]
        from annotator.services.agreement.job import agreement_steps

        return agreement_steps(project, coders, unfinished, cancel)

    return agreement_job


def app_services():  # type: ignore[no-untyped-def]
    from annotator.ui.shell.workspace import AppServices

    # The app claims each project it opens (a second window is offered read-only);
    # commands never do, so an import from the command line works while the app is open.
    return AppServices(
        open_project=lambda path: Project.open_or_view(path, lock=True),
        create_project=lambda path: Project.open_or_create(path, lock=True),
        create_demo_project=lambda path: create_demo_project(path, lock=True),
        make_workspace=make_workspace,
        demo_path=demo_path(),
        open_read_only=_open_beside_another_window,
    )


def _open_beside_another_window(path: Path) -> Project:
    project = Project.open(path, read_only=True)
    project.read_only_reason = "another Annotator window has it open, so changes cannot be saved here"
    return project


def open_gui(request: GuiRequest) -> int:
    # Imported here so the command line never pays for (or needs) Qt.
    from annotator.ui.shell.launch import launch

    return launch(
        project=request.project,
        screenshot=request.screenshot,
        document=request.document,
        size=request.size,
        services=app_services(),
    )


def main(argv: Sequence[str] | None = None) -> int:
    return run(argv, open_gui)
