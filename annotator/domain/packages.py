"""Coder packages: what makes two codebooks differ for a merge, and what a merge did.

A package is a project file holding one coder's documents and layer, for work offline; its
coder's layer is merged back into the study's project. A merge must never mix codings made
under different codebooks, so any difference that changes what the coded data means (labels,
variables, their kinds, category values) refuses the merge and is listed, never dropped.
Colours, keys and the order of things are each coder's own view and do not count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from annotator.domain.model import Codebook

#: project_info keys a package carries: whose package it is, and when it was made
PACKAGE_OF = "package_of"
PACKAGED_AT = "packaged_at"
STUDY_ID = "study_id"
#: the coder's layer per document (by sha256) when the package was made: see ``merge_outcome``
PACKAGE_BASE = "package_base"

#: One coder's layer in one document, in brief: their entities, their claims, and when they
#: last changed any of it (or their status). Deleting changes the counts, editing the time.
Fingerprint = tuple[int, int, datetime | None]
EMPTY: Fingerprint = (0, 0, None)


class Outcome(StrEnum):
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    OLDER = "older"


def merge_outcome(theirs: Fingerprint, ours: Fingerprint, base: Fingerprint | None) -> Outcome:
    """Whether a package's layer of a document replaces the project's layer of that coder.

    ``base`` is the layer when the package was made (None if unknown: a document added in
    the package). The side that changed since then wins, so work that only deleted is
    brought back too; when both changed, the later work wins.
    """
    if theirs == ours or (theirs == EMPTY and base is None):
        return Outcome.UNCHANGED
    if ours == EMPTY:
        return Outcome.UPDATED
    if base is not None:
        if theirs == base:  # the package brings nothing new; the project went on
            return Outcome.OLDER
        if ours == base:  # only the package changed
            return Outcome.UPDATED
    if theirs[2] is not None and (ours[2] is None or theirs[2] > ours[2]):
        return Outcome.UPDATED
    return Outcome.OLDER


def codebook_differences(project: Codebook, package: Codebook) -> list[str]:
    """What ``package`` has that ``project`` lacks, and the reverse, in words, one per item."""
    found: list[str] = []
    ours = {label.name: label for label in project.labels}
    theirs = {label.name: label for label in package.labels}
    found += [f"label {name} added" for name in theirs if name not in ours]
    found += [f"label {name} removed" for name in ours if name not in theirs]
    for name in (n for n in ours if n in theirs):
        a, b = ours[name], theirs[name]
        if set(a.spacy_labels) != set(b.spacy_labels):
            found.append(f"label {name} changed (spaCy labels {_listed(b.spacy_labels)} "
                         f"instead of {_listed(a.spacy_labels)})")
        elif a.description != b.description:
            found.append(f"label {name} changed (its description)")
    fields = {f.name: f for f in project.fields}
    other_fields = {f.name: f for f in package.fields}
    for name, field in other_fields.items():
        if name not in fields:
            values = f" with values {_listed([v.code for v in field.values])}" if field.values else ""
            found.append(f"variable {name} added ({field.kind.value}{values})")
    found += [f"variable {name} removed" for name in fields if name not in other_fields]
    for name in (n for n in fields if n in other_fields):
        a_field, b_field = fields[name], other_fields[name]
        if a_field.kind is not b_field.kind:
            found.append(f"variable {name} changed from {a_field.kind.value} to {b_field.kind.value}")
        codes = [v.code for v in a_field.values]
        other_codes = [v.code for v in b_field.values]
        found += [f"value {c} of {name} added" for c in other_codes if c not in codes]
        found += [f"value {c} of {name} removed" for c in codes if c not in other_codes]
    return found


def _listed(names: object) -> str:
    items = list(names)  # type: ignore[call-overload]
    return ", ".join(items) if items else "none"


@dataclass(frozen=True)
class PackageMerge:
    """What merging one package did, counted in documents."""

    package: str  # the file's name
    coder: str
    updated: int = 0  # the package's layer was newer and replaced the project's
    unchanged: int = 0  # the same work on both sides, or none in the package
    added: int = 0  # documents the project lacked, added with the coder's work
    older: int = 0  # the project's layer was newer: the package's was skipped
    others: tuple[str, ...] = ()  # coders other than its own with work in the package: not merged

    def describe(self) -> str:
        text = (
            f"{self.package} ({self.coder}): {self.updated} document(s) updated, "
            f"{self.unchanged} unchanged, {self.added} added"
        )
        if self.older:
            text += f", {self.older} skipped because the project has newer work of {self.coder}"
        if self.others:
            names = ", ".join(self.others)
            text += f"; work coded in it as {names} was not merged (a package brings back {self.coder}'s)"
        return text


@dataclass(frozen=True)
class MergeReport:
    project: str
    packages: tuple[PackageMerge, ...]
    seconds: float = 0.0

    def describe(self) -> str:
        return "\n".join(p.describe() for p in self.packages)
