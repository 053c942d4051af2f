"""Codebooks as JSON, so a study team can share one file (and the default ships in resources/).

Reading a file (parsing, the schema check) is ``annotator.io.codebook_json``: this module only
turns checked data into a codebook and back, in pure Python."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from annotator.domain.codebook import validate_codebook
from annotator.domain.errors import CodebookError
from annotator.domain.model import (
    CategoryValue,
    ClaimField,
    Codebook,
    FieldKind,
    Label,
    MeasurementLevel,
    Pattern,
)

FORMAT = "annotator-codebook"
VERSION = 1


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "labels": [
            {
                "name": lb.name,
                "color": lb.color,
                "shortcut": lb.shortcut,
                "description": lb.description,
                "spacy_labels": list(lb.spacy_labels),
            }
            for lb in sorted(codebook.labels, key=lambda x: x.position)
        ],
        "claim_variables": [
            _field_to_dict(f) for f in sorted(codebook.fields, key=lambda x: x.position)
        ],
        "patterns": [
            {"label": p.label, "pattern": p.pattern if isinstance(p.pattern, str) else list(p.pattern)}
            for p in codebook.patterns
        ],
    }


def _field_to_dict(f: ClaimField) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": f.name,
        "kind": f.kind.value,
        "description": f.description,
        "required": f.required,
    }
    if f.values:
        data["values"] = [
            {"code": v.code, "label": v.label, "shortcut": v.shortcut} for v in f.values
        ]
    if f.minimum is not None:
        data["minimum"] = f.minimum
    if f.maximum is not None:
        data["maximum"] = f.maximum
    if f.entity_labels:
        data["entity_labels"] = list(f.entity_labels)
    if f.multiline:  # written only when set: older versions read the file unchanged
        data["multiline"] = True
    if f.level is not None:  # likewise: the kind's default level is not written
        data["level"] = f.level.value
    return data


def codebook_from_dict(data: Mapping[str, Any], source: str = "codebook") -> Codebook:
    """Build and validate a codebook from data whose shape is already checked
    (``annotator.io.codebook_json`` checks it against the schema); errors name ``source``."""
    try:
        if data.get("format", FORMAT) != FORMAT:
            raise CodebookError(f"{source}: not an Annotator codebook")
        labels = tuple(
            Label(
                name=str(item["name"]),
                color=str(item.get("color") or "#999999"),
                shortcut=item.get("shortcut") or None,
                description=str(item.get("description") or ""),
                spacy_labels=tuple(item.get("spacy_labels") or ()),
                position=i,
            )
            for i, item in enumerate(data.get("labels") or ())
        )
        fields = tuple(
            _field_from_dict(item, i) for i, item in enumerate(data.get("claim_variables") or ())
        )
        patterns = tuple(
            Pattern(
                label=str(item["label"]),
                pattern=item["pattern"] if isinstance(item["pattern"], str) else tuple(item["pattern"]),
            )
            for item in data.get("patterns") or ()
        )
    except CodebookError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CodebookError(f"{source}: malformed codebook ({exc!r})") from None
    codebook = Codebook(labels=labels, fields=fields, patterns=patterns)
    try:
        validate_codebook(codebook)
    except CodebookError as exc:
        raise CodebookError(f"{source}: {exc}") from None
    return codebook


def _field_from_dict(item: Mapping[str, Any], position: int) -> ClaimField:
    try:
        kind = FieldKind(item["kind"])
    except ValueError:
        raise CodebookError(f"variable {item.get('name')!r}: unknown kind {item['kind']!r}") from None
    return ClaimField(
        name=str(item["name"]),
        kind=kind,
        description=str(item.get("description") or ""),
        position=position,
        required=bool(item.get("required", False)),
        values=tuple(
            CategoryValue(
                code=str(v["code"]), label=str(v.get("label") or ""), shortcut=v.get("shortcut") or None
            )
            for v in item.get("values") or ()
        ),
        minimum=item.get("minimum"),
        maximum=item.get("maximum"),
        entity_labels=tuple(item.get("entity_labels") or ()),
        multiline=bool(item.get("multiline", False)),
        level=_level(item),
    )


def _level(item: Mapping[str, Any]) -> MeasurementLevel | None:
    level = item.get("level")
    if level is None:
        return None
    try:
        return MeasurementLevel(level)
    except ValueError:
        raise CodebookError(
            f"variable {item.get('name')!r}: the level must be ordinal, interval or ratio, got {level!r}"
        ) from None


def codebook_to_json(codebook: Codebook) -> str:
    return json.dumps(codebook_to_dict(codebook), indent=2, ensure_ascii=False) + "\n"
