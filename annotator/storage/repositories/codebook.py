from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from annotator.domain.errors import CodebookError
from annotator.domain.ids import FieldId, LabelId
from annotator.domain.model import (
    CategoryValue,
    ClaimField,
    Codebook,
    FieldKind,
    Label,
    MeasurementLevel,
    Pattern,
)
from annotator.storage.orm import (
    CategoryValueRow,
    ClaimFieldRow,
    CodebookChangeRow,
    EntitySpanRow,
    LabelRow,
    PatternRow,
)

_FIELDS, _CATEGORIES = ClaimFieldRow.__table__, CategoryValueRow.__table__
# Core on the tables (plain rows): every coding of a claim reads the variables
_FIELDS_WITH_VALUES = (
    select(
        _FIELDS.c.id, _FIELDS.c.name, _FIELDS.c.kind, _FIELDS.c.description, _FIELDS.c.position,
        _FIELDS.c.required, _FIELDS.c.minimum, _FIELDS.c.maximum, _FIELDS.c.entity_labels,
        _FIELDS.c.multiline, _FIELDS.c.level, _CATEGORIES.c.code, _CATEGORIES.c.label,
        _CATEGORIES.c.shortcut,
    )
    .join(_CATEGORIES, _CATEGORIES.c.field_id == _FIELDS.c.id, isouter=True)
    .order_by(_FIELDS.c.position, _FIELDS.c.id, _CATEGORIES.c.position, _CATEGORIES.c.id)
)


class CodebookRepository:
    """Labels, claim variables with their values, and project patterns."""

    def __init__(self, session: Session) -> None:
        self.session = session

    # -- reading ---------------------------------------------------------------------------
    def labels(self) -> tuple[Label, ...]:
        rows = self.session.scalars(select(LabelRow).order_by(LabelRow.position, LabelRow.id))
        return tuple(
            Label(
                id=LabelId(r.id), name=r.name, color=r.color, shortcut=r.shortcut,
                description=r.description, spacy_labels=tuple(r.spacy_labels or ()),
                position=r.position,
            )
            for r in rows
        )

    def label_ids(self) -> dict[str, LabelId]:
        rows = self.session.execute(select(LabelRow.name, LabelRow.id))
        return {name: LabelId(i) for name, i in rows}

    def fields(self) -> tuple[ClaimField, ...]:
        # one statement, built once: coding a claim's value reads these on every edit
        fields: dict[int, Any] = {}
        values: dict[int, list[CategoryValue]] = {}
        for r in self.session.execute(_FIELDS_WITH_VALUES):
            fields.setdefault(r.id, r)
            if r.code is not None:
                value = CategoryValue(code=r.code, label=r.label, shortcut=r.shortcut)
                values.setdefault(r.id, []).append(value)
        return tuple(
            ClaimField(
                id=FieldId(r.id), name=r.name, kind=FieldKind(r.kind),
                description=r.description, position=r.position, required=r.required,
                values=tuple(values.get(r.id, ())), minimum=r.minimum, maximum=r.maximum,
                entity_labels=tuple(r.entity_labels or ()), multiline=r.multiline,
                level=MeasurementLevel(r.level) if r.level else None,
            )
            for r in fields.values()
        )

    def patterns(self) -> tuple[Pattern, ...]:
        rows = self.session.execute(
            select(PatternRow.id, LabelRow.name, PatternRow.pattern)
            .join(LabelRow, LabelRow.id == PatternRow.label_id)
            .order_by(PatternRow.id)
        )
        return tuple(
            Pattern(id=i, label=name, pattern=p if isinstance(p, str) else tuple(p))
            for i, name, p in rows
        )

    def codebook(self) -> Codebook:
        return Codebook(labels=self.labels(), fields=self.fields(), patterns=self.patterns())

    # -- usage counts, so the UI can warn before removing coded things ---------------------
    def spans_per_label(self) -> dict[str, int]:
        rows = self.session.execute(
            select(LabelRow.name, func.count(EntitySpanRow.id))
            .join(EntitySpanRow, EntitySpanRow.label_id == LabelRow.id, isouter=True)
            .group_by(LabelRow.name)
        )
        return {name: n for name, n in rows}

    # -- writing ---------------------------------------------------------------------------
    def save_labels(self, labels: tuple[Label, ...], relabel: Mapping[str, str] | None = None) -> None:
        """Make the project's labels exactly ``labels`` (matched by name, or by id to rename).

        ``relabel`` maps a stored label's name to the name of a label in ``labels``: its
        entities move there first, so the old label can go.
        """
        existing = {r.id: r for r in self.session.scalars(select(LabelRow))}
        by_name = {r.name: r for r in existing.values()}
        keep: set[int] = set()
        new_ids: dict[str, int] = {}
        for position, label in enumerate(labels):
            row = existing.get(label.id) if label.id is not None else by_name.get(label.name)
            if row is None:
                row = LabelRow(name=label.name)
                self.session.add(row)
            row.name, row.color, row.shortcut = label.name, label.color, label.shortcut
            row.description = label.description
            row.spacy_labels = list(label.spacy_labels)
            row.position = position
            self.session.flush()
            keep.add(row.id)
            new_ids[label.name] = row.id
        for old_name, new_name in (relabel or {}).items():
            old_row = by_name.get(old_name)
            if old_row is None or new_name not in new_ids or old_row.id in keep:
                raise CodebookError(f"cannot move the entities of {old_name!r} to {new_name!r}")
            self.session.execute(
                update(EntitySpanRow)
                .where(EntitySpanRow.label_id == old_row.id)
                .values(label_id=new_ids[new_name])
            )
        for row_id, row in existing.items():
            if row_id in keep:
                continue
            used = self.session.scalar(
                select(func.count(EntitySpanRow.id)).where(EntitySpanRow.label_id == row_id)
            )
            if used:
                raise CodebookError(
                    f"the label {row.name!r} is used by {used} entit{'y' if used == 1 else 'ies'}; "
                    "relabel them first"
                )
            self.session.delete(row)
        self.session.flush()

    def save_fields(self, fields: tuple[ClaimField, ...]) -> None:
        """Make the claim variables exactly ``fields``; coded values of removed ones go too."""
        existing = {r.id: r for r in self.session.scalars(select(ClaimFieldRow))}
        by_name = {r.name: r for r in existing.values()}
        keep: set[int] = set()
        for position, field in enumerate(fields):
            row = existing.get(field.id) if field.id is not None else by_name.get(field.name)
            if row is None:
                row = ClaimFieldRow(name=field.name)
                self.session.add(row)
            row.name, row.kind, row.description = field.name, field.kind.value, field.description
            row.position, row.required = position, field.required
            row.minimum, row.maximum = field.minimum, field.maximum
            row.entity_labels = list(field.entity_labels)
            row.multiline = field.multiline
            row.level = field.level.value if field.level is not None else None
            self.session.flush()
            keep.add(row.id)
            self._save_values(row.id, field.values)
        for row_id, row in existing.items():
            if row_id not in keep:
                self.session.delete(row)
        self.session.flush()

    def _save_values(self, field_id: int, values: tuple[CategoryValue, ...]) -> None:
        rows = {
            r.code: r
            for r in self.session.scalars(
                select(CategoryValueRow).where(CategoryValueRow.field_id == field_id)
            )
        }
        for position, value in enumerate(values):
            row = rows.pop(value.code, None)
            if row is None:
                row = CategoryValueRow(field_id=field_id, code=value.code)
                self.session.add(row)
            row.label, row.shortcut, row.position = value.label, value.shortcut, position
        for row in rows.values():
            self.session.delete(row)

    def save_patterns(self, patterns: tuple[Pattern, ...]) -> None:
        label_ids = self.label_ids()
        self.session.execute(delete(PatternRow))
        now = datetime.now(UTC).replace(tzinfo=None)
        for p in patterns:
            if p.label not in label_ids:
                raise CodebookError(f"pattern for unknown label {p.label!r}")
            value = p.pattern if isinstance(p.pattern, str) else [dict(t) for t in p.pattern]
            self.session.add(PatternRow(label_id=label_ids[p.label], pattern=value, created_at=now))
        self.session.flush()

    def add_pattern(self, pattern: Pattern) -> None:
        label_ids = self.label_ids()
        if pattern.label not in label_ids:
            raise CodebookError(f"pattern for unknown label {pattern.label!r}")
        value = pattern.pattern if isinstance(pattern.pattern, str) else [dict(t) for t in pattern.pattern]
        self.session.add(
            PatternRow(
                label_id=label_ids[pattern.label], pattern=value,
                created_at=datetime.now(UTC).replace(tzinfo=None),
            )
        )
        self.session.flush()

    def save(self, codebook: Codebook, relabel: Mapping[str, str] | None = None) -> None:
        self.save_labels(codebook.labels, relabel)
        self.save_fields(codebook.fields)
        self.save_patterns(codebook.patterns)

    def last_change(self) -> tuple[str | None, datetime, str] | None:
        """Who changed the codebook last, when, and what (the codebook history's last entry)."""
        row = self.session.scalars(
            select(CodebookChangeRow).order_by(CodebookChangeRow.id.desc()).limit(1)
        ).first()
        return None if row is None else (row.coder, row.changed_at, row.summary)
