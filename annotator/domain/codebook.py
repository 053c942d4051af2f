"""Codebook rules: what a value of each kind of claim variable may be, and when a claim is complete."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

from annotator.domain.errors import CodebookError
from annotator.domain.model import (
    LEVELLED_KINDS,
    SETTABLE_LEVELS,
    Claim,
    ClaimField,
    ClaimValue,
    Codebook,
    EntityRef,
    FieldKind,
)


def normalize_value(field: ClaimField, value: object) -> ClaimValue | None:
    """Check ``value`` against ``field`` and return it in canonical form (None means empty).

    Raises CodebookError with a message naming the variable when the value does not fit.
    """
    if value is None or value == "" or value == ():
        return None
    kind = field.kind
    if kind is FieldKind.SINGLE:
        code = str(value)
        if field.value(code) is None:
            raise CodebookError(f"{field.display_name}: {code!r} is not one of its values")
        return code
    if kind is FieldKind.MULTI:
        codes = (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type]
        unknown = [c for c in codes if field.value(str(c)) is None]
        if unknown:
            raise CodebookError(f"{field.display_name}: {unknown[0]!r} is not one of its values")
        order = {v.code: i for i, v in enumerate(field.values)}
        return tuple(sorted({str(c) for c in codes}, key=order.__getitem__)) or None
    if kind is FieldKind.TEXT:
        return str(value)
    if kind in (FieldKind.NUMBER, FieldKind.SCALE):
        return _number(field, value)
    if kind is FieldKind.BOOLEAN:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in {"yes", "true", "1", "y"}:
            return True
        if text in {"no", "false", "0", "n"}:
            return False
        raise CodebookError(f"{field.display_name}: {value!r} is not yes or no")
    if kind is FieldKind.DATE:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise CodebookError(f"{field.display_name}: {value!r} is not a date (YYYY-MM-DD)") from None
    if kind is FieldKind.ENTITY:
        if isinstance(value, EntityRef):
            return value
        raise CodebookError(f"{field.display_name}: expects a link to an entity")
    raise CodebookError(f"{field.display_name}: unknown kind {kind!r}")


def _number(field: ClaimField, value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise CodebookError(f"{field.display_name}: {value!r} is not a number") from None
    if math.isnan(number) or math.isinf(number):
        raise CodebookError(f"{field.display_name}: {value!r} is not a number")
    if field.minimum is not None and number < field.minimum:
        raise CodebookError(f"{field.display_name}: {number:g} is below its minimum {field.minimum:g}")
    if field.maximum is not None and number > field.maximum:
        raise CodebookError(f"{field.display_name}: {number:g} is above its maximum {field.maximum:g}")
    if field.kind is FieldKind.SCALE and not number.is_integer():
        raise CodebookError(f"{field.display_name}: a scale takes whole steps, not {number:g}")
    return number


def normalize_values(codebook: Codebook, values: Mapping[str, object]) -> dict[str, ClaimValue]:
    """Validate every coded value of a claim; unknown variables are refused, empties dropped."""
    result: dict[str, ClaimValue] = {}
    for name, value in values.items():
        field = codebook.field(name)
        if field is None:
            raise CodebookError(f"{name!r} is not a variable of this codebook")
        normalized = normalize_value(field, value)
        if normalized is not None:
            result[name] = normalized
    return result


def missing_required(codebook: Codebook, claim: Claim) -> list[str]:
    """Names of required variables the claim has no value for, in codebook order."""
    missing = []
    for field in sorted(codebook.fields, key=lambda f: f.position):
        if not field.required:
            continue
        value = claim.values.get(field.name)
        if _is_empty(value):
            missing.append(field.name)
    return missing


def _is_empty(value: object) -> bool:
    if isinstance(value, EntityRef):
        return value.span_id is None and not value.text
    return value is None or value == () or value == ""


def is_complete(codebook: Codebook, claim: Claim) -> bool:
    return not missing_required(codebook, claim) and not claim.needs_review


def validate_codebook(codebook: Codebook) -> None:
    """The rules every codebook keeps, however it was made (a JSON file, the codebook dialog):
    names present and unique, keys single characters and not reused, a spaCy label mapped to
    one project label only, category variables with values, bounds in order, and variables and
    patterns naming labels that exist."""
    labels = sorted(codebook.labels, key=lambda lb: lb.position)
    for label in labels:
        if not label.name.strip():
            raise CodebookError("a label needs a name")
        if label.shortcut is not None and (len(label.shortcut) != 1 or label.shortcut.isspace()):
            raise CodebookError(
                f"label {label.name}: the key must be a single character, got {label.shortcut!r}"
            )
    _unique([lb.name for lb in labels], "label")
    _unique_owner([(lb.shortcut.lower(), lb.name) for lb in labels if lb.shortcut], "key")
    _unique_owner([(s, lb.name) for lb in labels for s in lb.spacy_labels], "spaCy label")
    _unique([f.name for f in codebook.fields], "variable")
    names = {lb.name for lb in labels}
    for field in codebook.fields:
        if not field.name.strip():
            raise CodebookError("a variable needs a name")
        if field.kind in (FieldKind.SINGLE, FieldKind.MULTI):
            if not field.values:
                raise CodebookError(f"{field.display_name}: a category variable needs values")
            _unique([v.code for v in field.values], f"value of {field.name}")
            _unique([v.shortcut.lower() for v in field.values if v.shortcut], f"key in {field.name}")
        bounded = field.minimum is not None and field.maximum is not None
        if bounded and field.minimum > field.maximum:  # type: ignore[operator]
            raise CodebookError(f"{field.display_name}: minimum is above maximum")
        _check_level(field)
        unknown = [name for name in field.entity_labels if name not in names]
        if unknown:
            raise CodebookError(
                f"{field.display_name}: links to the label {unknown[0]!r}, which the codebook lacks"
            )
    for pattern in codebook.patterns:
        if pattern.label not in names:
            raise CodebookError(f"a pattern is for the label {pattern.label!r}, which the codebook lacks")


def _check_level(field: ClaimField) -> None:
    if field.level is None:
        return
    if field.kind not in LEVELLED_KINDS:
        raise CodebookError(
            f"{field.display_name}: only number and scale variables have a level of measurement "
            f"(this one is {field.kind.value})"
        )
    if field.level not in SETTABLE_LEVELS:
        raise CodebookError(
            f"{field.display_name}: the level must be ordinal, interval or ratio, got {field.level.value!r}"
        )


def _unique(names: list[str], what: str) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise CodebookError(f"the {what} {name!r} appears twice")
        seen.add(name)


def _unique_owner(pairs: list[tuple[str, str]], what: str) -> None:
    """Each value (a key, a spaCy label) belongs to one label; the message names both."""
    owner: dict[str, str] = {}
    for value, label in pairs:
        if value in owner:
            other = owner[value]
            where = f"{other} and {label}" if other != label else f"{label} twice"
            raise CodebookError(f"the {what} {value!r} is given to {where}")
        owner[value] = label
