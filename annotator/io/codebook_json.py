"""Reading a codebook JSON file: its shape is checked against a schema before anything is built.

The schema is a set of strict pydantic models (pydantic is a dependency of spaCy already):
nothing is coerced, so ``"required": "no"`` is refused instead of read as true, and
``"spacy_labels": "PERSON"`` is refused instead of read as six one-letter labels. Unknown
keys are refused too, so a misspelt key is not silently ignored. The first problem is
reported as one line naming the file and the field, e.g.
``team.json: labels[2].shortcut must be a single character, got ['a']``.

Once the shape is right, :func:`annotator.domain.codebook_json.codebook_from_dict` builds the
codebook and the domain's rules (unique names and keys, known labels) are applied.
"""

from __future__ import annotations

import json
import reprlib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from annotator.domain.codebook_json import FORMAT, VERSION, codebook_from_dict, codebook_to_dict
from annotator.domain.errors import CodebookError
from annotator.domain.model import Codebook, FieldKind, Pattern

#: A codebook is a few kilobytes; anything far larger is not one.
MAX_BYTES = 5_000_000

Text = Annotated[str, StringConstraints(max_length=10_000)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=100, pattern=r"\S")]
Key = Annotated[str, StringConstraints(min_length=1, max_length=1)]
Colour = Annotated[str, StringConstraints(pattern=r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")]
Number = Annotated[float, Field(allow_inf_nan=False)]
Scalar = str | int | float | bool
#: A token's attribute: a value, or operators such as {"IN": [...]}, {"REGEX": "..."}.
TokenValue = Scalar | dict[str, Scalar | list[Scalar]]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class LabelSchema(_Strict):
    name: Name
    color: Colour = "#999999"
    shortcut: Key | None = None
    description: Text = ""
    spacy_labels: list[Name] = []


class ValueSchema(_Strict):
    code: Name
    label: Text = ""
    shortcut: Key | None = None


class VariableSchema(_Strict):
    name: Name
    kind: Literal[tuple(k.value for k in FieldKind)]  # type: ignore[valid-type]
    description: Text = ""
    required: bool = False
    multiline: bool = False  # a text variable shown as a memo box
    values: list[ValueSchema] = []
    minimum: Number | None = None
    maximum: Number | None = None
    entity_labels: list[Name] = []
    #: number and scale variables: how values compare for agreement (default: the kind's)
    level: Literal["ordinal", "interval", "ratio"] | None = None


class PatternSchema(_Strict):
    label: Name
    pattern: Annotated[str, StringConstraints(min_length=1, pattern=r"\S")] | Annotated[
        list[dict[str, TokenValue]], Field(min_length=1)
    ]


class CodebookSchema(_Strict):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)
    schema_url: str | None = Field(None, alias="$schema")
    format: Literal["annotator-codebook"] = FORMAT
    version: Literal[1] = VERSION
    labels: Annotated[list[LabelSchema], Field(min_length=1)]
    claim_variables: list[VariableSchema] = []
    patterns: list[PatternSchema] = []


#: What each field must be, in words, for the error line.
EXPECTED = {
    "format": f'"{FORMAT}"',
    "version": str(VERSION),
    "labels": "a list of labels (at least one)",
    "claim_variables": "a list of variables",
    "patterns": "a list of patterns",
    "values": "a list of values",
    "name": "a name (text, 1 to 100 characters)",
    "code": "a code (text, 1 to 100 characters)",
    "label": "text (up to 10,000 characters)",
    "color": "a colour such as #1A2B3C",
    "shortcut": "a single character",
    "description": "text (up to 10,000 characters)",
    "spacy_labels": 'a list of spaCy labels, such as ["PERSON"]',
    "entity_labels": 'a list of label names, such as ["PERSON"]',
    "kind": "one of " + ", ".join(k.value for k in FieldKind),
    "required": "true or false",
    "multiline": "true or false",
    "level": '"ordinal", "interval" or "ratio" (for number and scale variables)',
    "minimum": "a finite number",
    "maximum": "a finite number",
    "pattern": 'a phrase (text) or a list of tokens such as [{"LOWER": "operation"}]',
    "$schema": "text",
}
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict = 3, 40, 40, 4, 3


def short(value: object) -> str:
    """A value as the error line shows it: short, whatever its size or depth."""
    return _SHORT.repr(value)


def validate_codebook_data(data: object, source: str = "codebook") -> None:
    """Check the shape of a parsed codebook; CodebookError names ``source`` and the field."""
    if not isinstance(data, dict):
        raise CodebookError(f"{source}: a codebook is a JSON object {{...}}, got {short(data)}")
    version = data.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > VERSION:
        raise CodebookError(
            f"{source}: written by a newer Annotator (codebook version {version}; this one reads "
            f"version {VERSION}); update Annotator to import it"
        )
    if "labels" not in data or data.get("labels") == []:
        raise CodebookError(
            f"{source}: has no labels; a codebook needs at least one entity label"
            + (" (the file is empty: {})" if not data else "")
        )
    try:
        CodebookSchema.model_validate(data)
    except ValidationError as exc:
        raise CodebookError(f"{source}: {_describe(exc)}") from None
    except RecursionError:
        raise CodebookError(f"{source}: nested too deeply to be a codebook") from None


def _describe(exc: ValidationError) -> str:
    """The deepest problem (the one that is not just 'another kind of value was possible')."""
    error = max(exc.errors(include_url=False), key=lambda e: len(e["loc"]))
    extra = error["type"] == "extra_forbidden"
    path, last, in_pattern = "", "", False
    for part in error["loc"][:-1] if extra else error["loc"]:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part == "pattern" and last and not in_pattern:
            path += ".pattern"
            last, in_pattern = "pattern", True
        elif part in EXPECTED and not in_pattern:
            path += f".{part}" if path else part
            last = part
        # else: a union member's tag or a token's attribute name, not a place in the file
    path = path or "the codebook"
    if error["type"] == "missing":
        return f"{path} is missing"
    if extra:
        name = error["loc"][-1]
        where = f"{path}.{name}" if path != "the codebook" else str(name)
        return f"{where} is not a codebook field"
    if in_pattern and path.count("[") > 1:
        expected = 'a token such as {"LOWER": "operation"} (values: text, numbers, true/false, operators)'
    elif last == "label" and path.startswith("patterns"):
        expected = "the name of a label"
    else:
        expected = EXPECTED.get(last, "something else")
    return f"{path} must be {expected}, got {short(error['input'])}"


def codebook_from_json(text: str | bytes, source: str = "codebook") -> Codebook:
    """Parse, check and build a codebook from JSON text or bytes (a UTF-8 BOM is fine)."""
    data = _parse(text, source)
    validate_codebook_data(data, source)
    return codebook_from_dict(data, source)


def _parse(text: str | bytes, source: str) -> Any:
    if len(text) > MAX_BYTES:
        raise CodebookError(f"{source}: too large for a codebook ({len(text):,} bytes)")
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise CodebookError(f"{source}: not UTF-8 text (byte {exc.start})") from None
    text = text.removeprefix("\ufeff")  # Notepad writes a byte-order mark
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CodebookError(f"{source}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    except RecursionError:
        raise CodebookError(f"{source}: nested too deeply to be a codebook") from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise CodebookError(f"{source}: not valid JSON ({exc})") from None
    return data


class PatternListSchema(_Strict):
    model_config = ConfigDict(strict=True, extra="forbid", populate_by_name=True)
    description: Text = ""
    patterns: list[PatternSchema]


def patterns_from_json(text: str | bytes, source: str = "patterns") -> tuple[Pattern, ...]:
    """Patterns from a file ``{"patterns": [{"label": ..., "pattern": ...}, ...]}``."""
    data = _parse(text, source)
    try:
        PatternListSchema.model_validate(data)
    except ValidationError as exc:
        raise CodebookError(f"{source}: {_describe(exc)}") from None
    return tuple(
        Pattern(item["label"], p if isinstance(p := item["pattern"], str) else tuple(p))
        for item in data["patterns"]
    )


def check_codebook(codebook: Codebook, source: str = "codebook") -> None:
    """The same schema for a codebook built in the app (the codebook dialog): one set of rules."""
    validate_codebook_data(codebook_to_dict(codebook), source)
    codebook_from_dict(codebook_to_dict(codebook), source)
