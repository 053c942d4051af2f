"""The shape of one line of a study file (annotated JSON Lines), checked before anything is built.

Strict pydantic models, as for codebook files: nothing is coerced (``"start": "4"`` is refused,
not read as 4) and unknown keys are refused, so a misspelt ``"entites"`` does not silently drop
a coder's work. The first problem becomes one short reason naming the place in the line, e.g.
``entities[2].start must be a whole number, got '4'``. What a value may be for a claim
variable depends on the codebook and is checked afterwards, in :mod:`annotator.io.jsonl_study`.
"""

from __future__ import annotations

import reprlib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from annotator.domain.errors import StudyLineError
from annotator.domain.model import DocumentStatus, SpanOrigin, SpanStatus

#: A coder's name, as the coders table holds it.
Name = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=r"\S")]

LINE_KEYS = ("title", "text", "meta", "status", "sample", "assigned", "entities", "claims")
#: Keys only a study line has, with the JSON type they have there: a .jsonl file with a line
#: holding one of them so is read as a study file (a scraper's "status": "published" is not).
STUDY_KEYS: dict[str, type] = {
    "meta": dict, "status": dict, "sample": bool, "assigned": list, "entities": list, "claims": list,
}
META_KEYS = ("source", "author", "published", "url", "section")


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class EntitySchema(_Strict):
    id: str | None = None
    start: int
    end: int
    label: str
    status: Literal[tuple(s.value for s in SpanStatus)] | None = None  # type: ignore[valid-type]
    coder: Name | None = None
    origin: Literal[tuple(o.value for o in SpanOrigin)] | None = None  # type: ignore[valid-type]
    text: str | None = None  # optional check: the text the offsets cover


class ClaimSchema(_Strict):
    id: str | None = None
    start: int
    end: int
    coder: Name
    values: dict[str, Any] = {}
    needs_review: bool = False
    review_note: str = ""
    text: str | None = None


class LineSchema(_Strict):
    title: str | None = None
    text: str
    meta: dict[str, str | None] = {}
    status: dict[Name, Literal[tuple(s.value for s in DocumentStatus)]] = {}  # type: ignore[valid-type]
    sample: bool = False
    assigned: list[Name] = []
    entities: list[EntitySchema] = []
    claims: list[ClaimSchema] = []


_EXPECTED = {
    "int_type": "a whole number",
    "string_type": "text",
    "bool_type": "true or false",
    "dict_type": "an object {...}",
    "model_type": "an object {...}",
    "model_attributes_type": "an object {...}",
    "list_type": "a list [...]",
    "string_too_short": "a name (not empty)",
    "string_pattern_mismatch": "a name (not blank)",
    "string_too_long": "a name of at most 200 characters",
}
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlist, _SHORT.maxdict = 2, 40, 40, 4, 3


def short(value: object) -> str:
    """A value as a reason shows it: short, whatever its size."""
    return _SHORT.repr(value)


def check_shape(record: object) -> LineSchema:
    """The line as typed values, or StudyLineError saying what is wrong where."""
    if not isinstance(record, dict):
        raise StudyLineError(f"is not a JSON object {{...}} but {short(record)}")
    try:
        return LineSchema.model_validate(record)
    except ValidationError as exc:
        raise StudyLineError(_describe(exc)) from None
    except RecursionError:
        raise StudyLineError("is nested too deeply") from None


def _describe(exc: ValidationError) -> str:
    error = exc.errors(include_url=False)[0]
    kind = error["type"]
    loc = error["loc"]
    if kind == "extra_forbidden":
        where = _place(loc[:-1])
        name = loc[-1]
        if not where:
            return f"{name!r} is not a key of a study line (keys: {', '.join(LINE_KEYS)})"
        return f"{where}.{name} is not a key here"
    # the tag of a union member ('str', 'literal[...]') or a dict key marker is no place
    loc = tuple(
        p for p in loc if isinstance(p, int) or not (p.startswith(("literal[", "str")) or p == "[key]")
    )
    where = _place(loc) or "the line"
    if kind == "missing":
        return f"{where} is missing"
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{where} must be one of {expected}, got {short(error['input'])}"
    expected = _EXPECTED.get(kind, error["msg"].lower())
    return f"{where} must be {expected}, got {short(error['input'])}"


def _place(loc: tuple[Any, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path
