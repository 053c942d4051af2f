"""Changing the codebook safely: see what a change would cost in coded data before making it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from annotator.domain.codebook import validate_codebook
from annotator.domain.codebook_json import codebook_from_json, codebook_to_json
from annotator.domain.errors import CodebookError
from annotator.domain.model import Codebook
from annotator.services.project import Project
from annotator.storage.orm import CodebookChangeRow
from annotator.storage.repositories import ClaimRepository, CodebookRepository


@dataclass(frozen=True)
class CodebookDiff:
    """What a new codebook changes, with the coded data each removal would take away."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    values_lost: int = 0
    details: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def describe(self) -> str:
        if self.is_empty:
            return "The codebook is unchanged."
        return "\n".join(self.details)


class CodebookService:
    def __init__(self, project: Project, coder: str | None = None) -> None:
        self.project = project
        self.coder = coder

    def current(self) -> Codebook:
        return self.project.codebook()

    def usage(self) -> dict[str, dict[str, int]]:
        """Claim variables -> {code or "*": count}, and labels -> {"*": entities}."""
        with self.project.read_session() as session:
            usage = ClaimRepository(session).value_usage()
            for label, n in CodebookRepository(session).spans_per_label().items():
                usage[f"label:{label}"] = {"*": n}
        return usage

    def diff(self, new: Codebook) -> CodebookDiff:
        return _diff(self.current(), new, self.usage())

    def save(self, new: Codebook) -> CodebookDiff:
        """Make ``new`` the codebook, removing coded values of removed variables and values.

        Labels still used by entities cannot be removed (relabel those entities first).
        """
        validate_codebook(new)
        old = self.current()
        diff = _diff(old, new, self.usage())
        with self.project.session() as session:
            claims = ClaimRepository(session)
            for new_field in new.fields:
                old_field = _match(old.fields, new_field)
                if old_field is None:
                    continue
                gone = {v.code for v in old_field.values} - {v.code for v in new_field.values}
                if gone:
                    claims.remove_codes(old_field.name, gone)
            CodebookRepository(session).save(new)
            if not diff.is_empty:
                session.add(
                    CodebookChangeRow(
                        changed_at=datetime.now(UTC).replace(tzinfo=None), coder=self.coder,
                        summary=diff.describe(),
                    )
                )
        return diff

    def export_json(self, path: Path) -> None:
        try:
            Path(path).write_text(codebook_to_json(self.current()), encoding="utf-8")
        except OSError as exc:
            raise CodebookError(f"{path}: cannot write the codebook ({exc.strerror})") from None

    def import_json(self, path: Path) -> CodebookDiff:
        """Adopt a shared codebook. Coded data is never lost: labels, variables and values in
        use that the file lacks are kept (and reported)."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CodebookError(f"{path}: cannot read the codebook ({exc})") from None
        incoming = codebook_from_json(text, str(path))
        merged = _keep_used(self.current(), incoming, self.usage())
        return self.save(merged)


def _match(fields, wanted):  # type: ignore[no-untyped-def]
    """The old variable a new one continues: same id (a rename), else same name."""
    if wanted.id is not None:
        for f in fields:
            if f.id == wanted.id:
                return f
    return next((f for f in fields if f.name == wanted.name), None)


def _keep_used(old: Codebook, incoming: Codebook, usage: dict[str, dict[str, int]]) -> Codebook:
    labels = list(incoming.labels)
    names = {lb.name for lb in labels}
    for lb in old.labels:
        if lb.name not in names and usage.get(f"label:{lb.name}", {}).get("*", 0):
            labels.append(replace(lb, id=None))
    fields = []
    incoming_names = {f.name for f in incoming.fields}
    for f in incoming.fields:
        old_field = next((o for o in old.fields if o.name == f.name), None)
        if old_field is not None and old_field.values:
            used = usage.get(f.name, {})
            codes = {v.code for v in f.values}
            extra = tuple(v for v in old_field.values if v.code not in codes and used.get(v.code))
            f = replace(f, values=f.values + extra)
        fields.append(f)
    for f in old.fields:
        if f.name not in incoming_names and usage.get(f.name, {}).get("*", 0):
            fields.append(replace(f, id=None))
    patterns = tuple(p for p in incoming.patterns if p.label in {lb.name for lb in labels})
    return Codebook(labels=tuple(labels), fields=tuple(fields), patterns=patterns)


def _diff(old: Codebook, new: Codebook, usage: dict[str, dict[str, int]]) -> CodebookDiff:
    added, removed, changed, details = [], [], [], []
    lost = 0
    for lb in new.labels:
        before = old.label(lb.name)
        if before is None:
            added.append(f"label {lb.name}")
            details.append(f"New label {lb.name}.")
        elif (before.color, before.shortcut, before.spacy_labels, before.description) != (
            lb.color, lb.shortcut, lb.spacy_labels, lb.description
        ):
            changed.append(f"label {lb.name}")
            details.append(f"Label {lb.name} changed.")
    for lb in old.labels:
        if new.label(lb.name) is None:
            n = usage.get(f"label:{lb.name}", {}).get("*", 0)
            removed.append(f"label {lb.name}")
            details.append(f"Label {lb.name} removed ({n} entities use it).")
    matched_old = set()
    for f in new.fields:
        before = _match(old.fields, f)
        if before is None:
            added.append(f.name)
            details.append(f"New variable {f.name} ({f.kind.value}).")
            continue
        matched_old.add(before.name)
        if before.name != f.name:
            details.append(f"Variable {before.name} renamed to {f.name}.")
        for v in before.values:
            if f.value(v.code) is None:
                n = usage.get(before.name, {}).get(v.code, 0)
                lost += n
                details.append(f"Value {v.code!r} removed from {f.name}: {n} coded values go.")
        for v in f.values:
            if before.value(v.code) is None:
                details.append(f"New value {v.code!r} in {f.name}.")
        if replace(before, id=None, position=0, name=f.name) != replace(f, id=None, position=0):
            changed.append(f.name)
        elif [x.name for x in old.fields].index(before.name) != [x.name for x in new.fields].index(f.name):
            details.append(f"Variable {f.name} moved.")
            changed.append(f.name)
    for f in old.fields:
        if f.name not in matched_old:
            n = usage.get(f.name, {}).get("*", 0)
            lost += n
            removed.append(f.name)
            details.append(f"Variable {f.name} removed: {n} coded values go.")
    if len(new.patterns) != len(old.patterns) or any(
        (a.label, a.pattern) != (b.label, b.pattern) for a, b in zip(old.patterns, new.patterns, strict=False)
    ):
        changed.append("patterns")
        details.append(f"Patterns changed ({len(old.patterns)} -> {len(new.patterns)}).")
    return CodebookDiff(tuple(added), tuple(removed), tuple(changed), lost, tuple(details))
