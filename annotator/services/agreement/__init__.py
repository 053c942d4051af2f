"""Inter-coder agreement of a study (issue 12): the figures a methods section reports.

``compute_agreement`` reads the chosen coders' layers of every document at least two of them
coded and returns an ``AgreementReport`` of plain values (``annotator.domain.agreement.report``),
each figure with the disagreements behind it, for the CLI, a Reliability view or a workbook.
"""

from __future__ import annotations

from collections.abc import Sequence

from annotator.domain.agreement.report import AgreementReport
from annotator.domain.errors import AgreementError
from annotator.services.agreement.claims import claim_units, unit_figures, variable_figures
from annotator.services.agreement.entities import entity_figures
from annotator.services.agreement.reading import read_study
from annotator.services.project import Project

MIN_DRAWS = 1000  # Hayes & Krippendorff (2007) ask for at least 1,000 bootstrap samples
DEFAULT_SEED = 2007


def compute_agreement(
    project: Project, coders: Sequence[str] | None = None, include_unfinished: bool = False,
    draws: int = MIN_DRAWS, seed: int = DEFAULT_SEED,
) -> AgreementReport:
    if draws < MIN_DRAWS:
        raise AgreementError(f"the bootstrap needs at least {MIN_DRAWS:,} draws, not {draws:,}")
    study = read_study(project, coders, include_unfinished)
    labels = [lb.name for lb in sorted(study.codebook.labels, key=lambda lb: lb.position)]
    overall, per_label = entity_figures(study.documents, study.coders, labels, draws, seed)
    units = claim_units(study.documents)
    f1_units, unit_pairs, unitizing = unit_figures(study.documents, study.coders, units)
    variables = variable_figures(study.codebook.fields, study.coders, units, draws, seed)
    notes = []
    if not study.documents:
        state = "marked done" if not include_unfinished else "started"
        notes.append(
            f"no document was {state} by two of the coders {', '.join(study.coders)}"
            + ("" if include_unfinished else "; --include-unfinished also counts documents in progress")
        )
    return AgreementReport(
        coders=study.coders,
        documents=tuple(d.document_id for d in study.documents),
        include_unfinished=include_unfinished,
        draws=draws, seed=seed,
        entities=overall, entity_labels=per_label,
        claim_units=len(units), f1_units=f1_units, unit_pairs=unit_pairs,
        unit_disagreements=tuple(unitizing),
        variables=tuple(variables), notes=tuple(notes),
    )
