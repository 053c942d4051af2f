"""Changing the codebook safely: see what a change would cost in coded data before making it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from annotator.domain.codebook_json import codebook_to_json
from annotator.domain.errors import CodebookError
from annotator.domain.model import Codebook, Label, Pattern
from annotator.io.codebook_json import check_codebook, codebook_from_json
from annotator.nlp.patterns import check_patterns
from annotator.services.project import Project
from annotator.storage.orm import CodebookChangeRow
from annotator.storage.repositories import ClaimRepository, CodebookRepository
from annotator.storage.repositories.project_info import ProjectInfoRepository


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


class CodebookReplacesAllError(CodebookError):
    """An imported codebook shares no labels or no claim variables with the project: adopting
    it would replace them all, so it is done only when asked (``replace_all=True``)."""


class CodebookConflictError(CodebookError):
    """The codebook was saved by someone else after this draft was started from it."""


_VERSION = "codebook_version"


class CodebookService:
    def __init__(self, project: Project, coder: str | None = None) -> None:
        self.project = project
        self.coder = coder

    def current(self) -> Codebook:
        return self.project.codebook()

    def version(self) -> int:
        """How many times the codebook was saved: a draft remembers it, and ``save`` refuses
        the draft if the codebook was saved again since (by the PI in another app, say)."""
        with self.project.read_session() as session:
            return int(ProjectInfoRepository(session).get(_VERSION) or 0)

    def usage(self) -> dict[str, dict[str, int]]:
        """Claim variables -> {code or "*": count}, and labels -> {"*": entities}."""
        with self.project.read_session() as session:
            usage = ClaimRepository(session).value_usage()
            for label, n in CodebookRepository(session).spans_per_label().items():
                usage[f"label:{label}"] = {"*": n}
        return usage

    def diff(self, new: Codebook, relabel: Mapping[str, str] | None = None) -> CodebookDiff:
        old = self.current()
        return _diff(old, _follow_renames(old, new), self.usage(), relabel)

    def check(self, new: Codebook) -> None:
        """The import's rules (schema and domain) on a codebook made in the app; raises
        CodebookError naming the first problem. Patterns are not checked here (they do not
        change in the dialog, and checking them loads spaCy); ``save`` checks new ones."""
        check_codebook(_follow_renames(self.current(), new))

    def save(
        self, new: Codebook, relabel: Mapping[str, str] | None = None, based_on: int | None = None
    ) -> CodebookDiff:
        """Make ``new`` the codebook, removing coded values of removed variables and values.

        Labels still used by entities cannot be removed (relabel those entities first). A
        label renamed (same id, new name) is renamed in the patterns and variables that name it.
        The same rules as a JSON import apply: the schema, the domain's rules, and spaCy's
        check of every pattern that is new. ``relabel`` maps a removed label to a label of
        ``new``: its entities move there (how the codebook dialog removes a label in use).
        ``based_on`` is the ``version`` the draft started from: if the codebook was saved
        since, nothing is saved and CodebookConflictError says who changed what.
        """
        old = self.current()
        new = _follow_renames(old, new)
        check_codebook(new)
        known = {_pattern_key(p) for p in old.patterns}
        check_patterns([p for p in new.patterns if _pattern_key(p) not in known])
        diff = _diff(old, new, self.usage(), relabel or {})
        with self.project.session() as session:
            info = ProjectInfoRepository(session)
            seen = int(info.get(_VERSION) or 0) if based_on is None else based_on
            if not info.advance(_VERSION, seen):
                raise CodebookConflictError(_conflict(session))
            claims = ClaimRepository(session)
            for new_field in new.fields:
                old_field = _match(old.fields, new_field)
                if old_field is None:
                    continue
                gone = {v.code for v in old_field.values} - {v.code for v in new_field.values}
                if gone:
                    claims.remove_codes(old_field.name, gone)
            CodebookRepository(session).save(new, relabel)
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

    def import_json(self, path: Path, replace_all: bool = False) -> CodebookDiff:
        """Adopt a shared codebook. Coded data is never lost: labels, variables and values in
        use that the file lacks are kept (and reported).

        A file that shares no label or no claim variable with the project would replace them
        all; that is refused with :class:`CodebookReplacesAllError` unless ``replace_all``.
        """
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise CodebookError(f"{path}: cannot read the codebook ({exc.strerror or exc})") from None
        incoming = codebook_from_json(data, str(path))
        check_patterns(incoming.patterns, str(path))
        current = self.current()
        if not replace_all:
            _refuse_replacing_all(current, incoming, str(path))
        merged = _keep_used(current, incoming, self.usage())
        return self.save(merged)

    @staticmethod
    def spacy_label_choices() -> tuple[str, ...]:
        """The entity labels of spaCy's English models, for the codebook dialog."""
        return SPACY_ENGLISH_LABELS


#: The 18 entity labels of spaCy's English pipelines (OntoNotes 5), in the order spaCy lists them.
SPACY_ENGLISH_LABELS = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
    "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip


def _conflict(session: Session) -> str:
    last = CodebookRepository(session).last_change()
    coder, changed_at, summary = last if last is not None else (None, None, "")
    who = f" by {coder}" if coder else ""
    when = f" at {changed_at:%H:%M} UTC" if changed_at is not None else ""
    what = f" ({summary.rstrip('.')})" if summary else ""
    return (f"the codebook was changed{who}{when} while you edited it{what}; your changes were "
            "not saved")


def _pattern_key(pattern: Pattern) -> str:
    return json.dumps([pattern.label, pattern.pattern], sort_keys=True, default=list)


def _refuse_replacing_all(current: Codebook, incoming: Codebook, source: str) -> None:
    lost = []
    if current.labels and not {lb.name for lb in current.labels} & {lb.name for lb in incoming.labels}:
        lost.append(f"none of the project's {len(current.labels)} labels")
    if current.fields and not {f.name for f in current.fields} & {f.name for f in incoming.fields}:
        lost.append(f"none of its {len(current.fields)} claim variables")
    if lost:
        raise CodebookReplacesAllError(
            f"{source} has {' and '.join(lost)}: importing it would replace them all "
            "(those with coded data are kept)"
        )


def _follow_renames(old: Codebook, new: Codebook) -> Codebook:
    """A label kept its id but not its name: patterns and entity links follow the new name."""
    before = {lb.id: lb.name for lb in old.labels if lb.id is not None}
    renames = {
        before[lb.id]: lb.name for lb in new.labels if lb.id in before and before[lb.id] != lb.name
    }
    if not renames:
        return new
    return replace(
        new,
        patterns=tuple(replace(p, label=renames.get(p.label, p.label)) for p in new.patterns),
        fields=tuple(
            replace(f, entity_labels=tuple(renames.get(n, n) for n in f.entity_labels)) for f in new.fields
        ),
    )


def _same_label(labels: tuple[Label, ...], wanted: Label) -> Label | None:
    """The old label a new one continues: same id (a rename), else same name."""
    if wanted.id is not None:
        for lb in labels:
            if lb.id == wanted.id:
                return lb
    return next((lb for lb in labels if lb.name == wanted.name), None)


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
    keys = {lb.shortcut.lower() for lb in labels if lb.shortcut}
    mapped = {s for lb in labels for s in lb.spacy_labels}
    for lb in old.labels:
        if lb.name not in names and usage.get(f"label:{lb.name}", {}).get("*", 0):
            # kept for its entities; the file's labels keep their keys and spaCy labels
            shortcut = lb.shortcut if lb.shortcut and lb.shortcut.lower() not in keys else None
            spacy = tuple(s for s in lb.spacy_labels if s not in mapped)
            labels.append(replace(lb, id=None, shortcut=shortcut, spacy_labels=spacy))
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


def _diff(
    old: Codebook, new: Codebook, usage: dict[str, dict[str, int]], relabel: Mapping[str, str] | None = None
) -> CodebookDiff:
    added, removed, changed, details = [], [], [], []
    lost = 0
    kept_labels = set()
    for lb in new.labels:
        before = _same_label(old.labels, lb)
        if before is None:
            added.append(f"label {lb.name}")
            details.append(f"New label {lb.name}.")
            continue
        kept_labels.add(before.name)
        if before.name != lb.name:
            changed.append(f"label {lb.name}")
            details.append(f"Label {before.name} renamed to {lb.name}.")
        elif (before.color, before.shortcut, before.spacy_labels, before.description) != (
            lb.color, lb.shortcut, lb.spacy_labels, lb.description
        ):
            changed.append(f"label {lb.name}")
            details.append(f"Label {lb.name} changed.")
    if [lb.name for lb in old.labels if lb.name in kept_labels] != [
        before.name for lb in new.labels if (before := _same_label(old.labels, lb)) is not None
    ]:
        changed.append("label order")
        details.append("Labels reordered.")
    for lb in old.labels:
        if lb.name not in kept_labels:
            n = usage.get(f"label:{lb.name}", {}).get("*", 0)
            removed.append(f"label {lb.name}")
            if relabel and lb.name in relabel:
                verb = "entity becomes" if n == 1 else "entities become"
                details.append(f"Label {lb.name} removed: its {n} {verb} {relabel[lb.name]}.")
            else:
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
