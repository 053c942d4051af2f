"""What the window works with, handed in by the composition root (``annotator.app``).

The UI never decides which concrete services it uses: ``app.py`` builds a ``Workspace`` for
each open project and gives the window an ``AppServices`` to open, create and switch
projects. Tests build the same objects around their own project.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass
from pathlib import Path
from threading import Event
from typing import Any

from annotator.domain.ids import DocumentId, SpanId
from annotator.services.adjudication import Adjudication
from annotator.services.browse import Browser
from annotator.services.claims import ClaimCoding
from annotator.services.codebook import CodebookService
from annotator.services.coders import CoderService
from annotator.services.corrections import Corrections
from annotator.services.document_details import DocumentDetailsEditor
from annotator.services.export import ExportOptions
from annotator.services.preannotate import Preannotator
from annotator.services.project import Project
from annotator.services.training import TrainingOptions

#: A long job: given a cancel event, a generator that yields progress and returns a result.
#: It is created and driven on the worker thread.
ImportJob = Callable[[Sequence[Path], Event], Generator[Any, None, Any]]
ExportJob = Callable[[Path, ExportOptions, Event], Generator[Any, None, Any]]
#: File -> Save a Copy: the target file, and a cancel event.
CopyJob = Callable[[Path, Event], Generator[Any, None, Any]]
#: File -> Merge Coder's Work: the packages, and a cancel event.
MergeJob = Callable[[Sequence[Path], Event], Generator[Any, None, Any]]
#: Team -> Reliability: the coders (None: all), include unfinished documents, a cancel event;
#: the generator returns an ``AgreementResult`` (None when cancelled).
AgreementJob = Callable[[Sequence[str] | None, bool, Event], Generator[Any, None, Any]]
#: File -> Import Annotations: paths, format (None: detect), coder, add labels, cancel; the
#: generator returns an ``AnnotatedImportReport``.
AnnotatedImportJob = Callable[[Sequence[Path], str | None, str, bool, Event], Generator[Any, None, Any]]
#: Annotate -> Train from Corrections: the options and a cancel event; the generator yields
#: ``TrainingStep``s and returns a ``TrainingReport`` (None when cancelled).
TrainingJob = Callable[[TrainingOptions, Event], Generator[Any, None, Any]]
#: Entity ids of a claim's sentence, best claimant first. Loads spaCy's parser on first use,
#: so the window only ever calls it on the worker thread.
ProposeClaimant = Callable[[DocumentId, int, int], list[SpanId]]


@dataclass
class Workspace:
    """One open project and the services bound to it."""

    project: Project
    browser: Browser
    corrections: Corrections
    #: Loads spaCy lazily in ``run``; the window only ever calls it on the worker thread.
    preannotator: Preannotator
    import_paths: ImportJob
    claims: ClaimCoding
    codebooks: CodebookService
    details: DocumentDetailsEditor
    #: None leaves claimants to the researcher (no parser installed, or a test that wants none).
    propose_claimant: ProposeClaimant | None = None
    #: None until the export service exists; File -> Export stays disabled meanwhile.
    export: ExportJob | None = None
    #: A demo project created just now: pre-annotate it in the background once shown.
    preannotate_on_open: bool = False
    #: None leaves File -> Save a Copy disabled.
    save_copy: CopyJob | None = None
    #: The project's coders and their progress; None: a one-person view with no Team menu.
    team: CoderService | None = None
    #: Another coder whose work is shown read-only (the PI's view); None: the coder's own.
    viewing: str | None = None
    #: None: File -> Merge Coder's Work says it is not available.
    merge_packages: MergeJob | None = None
    #: None: Team -> Reliability says it is not available.
    agreement: AgreementJob | None = None
    #: Team -> Adjudicate (issue 12.6); None: not offered.
    adjudication: Adjudication | None = None
    #: File -> Import Annotations (issue 13); None: says it is not available.
    import_annotated: AnnotatedImportJob | None = None
    #: Annotate -> Train from Corrections (issue 15); None: says it is not available.
    training: TrainingJob | None = None

    @property
    def read_only(self) -> bool:
        """Opened read-only (open in another window), or showing another coder's work."""
        return self.project.read_only or self.viewing is not None

    @property
    def coder(self) -> str:
        return self.corrections.coder or ""

    def set_coder(self, name: str) -> None:
        """Every service that records who decided takes the new name; the view is theirs."""
        self.corrections.coder = self.claims.coder = self.codebooks.coder = name
        self.view(None)

    def view(self, other: str | None) -> None:
        """Show ``other``'s layer read-only, or (None, or one's own name) one's own."""
        self.viewing = other if other and other != self.coder else None
        self.browser.coder = self.viewing or self.coder or None
        self.claims.viewing = self.viewing

    def close(self) -> None:
        self.project.close()


@dataclass(frozen=True)
class AppServices:
    """How to open and create projects, and bind services to one (wired in app.py)."""

    open_project: Callable[[Path], Project]
    create_project: Callable[[Path], Project]
    create_demo_project: Callable[[Path], Project]
    make_workspace: Callable[[Project, str], Workspace]
    demo_path: Path
    #: Opens a project without writing, when another window has it; None: never offered.
    open_read_only: Callable[[Path], Project] | None = None
