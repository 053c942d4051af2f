"""A study as JSON Lines, one document per line with every coder's layer (docs/jsonl-format.md).

The codec only: a line's text <-> :class:`StudyLine`, a value made of domain values. Reading
checks everything a line can get wrong against its own text and the project's codebook
(offsets, labels, values, entity references, a coder's overlapping entities) and raises
StudyLineError with the reason; where the line's document and rows land is the business of
``annotator.services.jsonl_exchange``.

Offsets are code points into ``text``, end-exclusive. Entities are written ordered by (start,
end, coder: shared suggestions first, label, status) and numbered e1, e2, ...; claims ordered by
(start, end, coder, values) and numbered c1, c2, ...; so a project's export is reproducible and
an import followed by an export gives the same lines.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

from annotator.domain.codebook import normalize_value
from annotator.domain.errors import CodebookError, SpanError, StudyLineError
from annotator.domain.model import (
    ClaimField,
    ClaimValue,
    Codebook,
    DocumentStatus,
    EntityRef,
    FieldKind,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.domain.spans import validate_offsets
from annotator.io.jsonl_schema import META_KEYS, STUDY_KEYS, ClaimSchema, check_shape, short

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class LineEntity:
    start: int
    end: int
    label: str
    status: SpanStatus
    coder: str | None  # None: a shared model suggestion nobody has decided
    origin: SpanOrigin


@dataclass(frozen=True)
class LineClaim:
    start: int
    end: int
    coder: str | None  # always named on import; None only for a claim older than coders
    values: Mapping[str, ClaimValue]
    """Coded values; an entity variable's value is an EntityRef (its span_id is not used here)."""
    links: Mapping[str, int] = field(default_factory=dict)
    """Entity variable -> index into the line's ``entities``; a variable not here whose value
    is an EntityRef keeps only the text of an entity that is gone."""
    needs_review: bool = False
    review_note: str = ""


@dataclass(frozen=True)
class StudyLine:
    document: NewDocument
    statuses: Mapping[str, DocumentStatus] = field(default_factory=dict)
    entities: tuple[LineEntity, ...] = ()
    claims: tuple[LineClaim, ...] = ()
    sample: bool = False
    assigned: tuple[str, ...] = ()


# -- recognising a study file -------------------------------------------------------------
def is_study_record(record: object) -> bool:
    return isinstance(record, dict) and any(
        isinstance(record.get(key), kind) for key, kind in STUDY_KEYS.items()
    )


def is_study_file(path: Path) -> bool:
    """Whether a .jsonl file holds annotated lines (one with meta, status, entities, claims...).

    A file of plain ``{"text": ...}`` lines is left to the plain JSON Lines importer, as is one
    that cannot be read (it says why). Stops at the first study line: an export's first line.
    """
    if path.suffix.lower() != ".jsonl":
        return False
    try:
        with path.open("rb") as stream:
            for raw in stream:
                if not raw.strip():
                    continue
                try:
                    if is_study_record(json.loads(raw.decode("utf-8-sig"))):
                        return True
                except (ValueError, RecursionError):
                    continue
    except OSError:
        return False
    return False


# -- reading ------------------------------------------------------------------------------
def parse_line(raw: bytes | str) -> Any:
    """The JSON value of one line, or StudyLineError saying why it is not JSON."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise StudyLineError(f"is not UTF-8 text (byte {exc.start + 1})") from None
    try:
        return json.loads(text.removeprefix("\ufeff"))
    except json.JSONDecodeError as exc:
        raise StudyLineError(f"is not valid JSON ({exc.msg}, column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise StudyLineError(f"is not valid JSON ({exc})") from None


def decode_line(record: object, codebook: Codebook, default_title: str = "") -> StudyLine:
    """Check a parsed line against its own text and the codebook; StudyLineError if it fails.

    ``default_title`` is the title of a line without one (a title given as "" stays "")."""
    line = check_shape(record)
    text = line.text
    if not text.strip():
        raise StudyLineError("text is empty")
    entities, keys = _entities(line.entities, text, codebook)
    claims = tuple(_claim(i, c, text, codebook, keys, entities) for i, c in enumerate(line.claims))
    return StudyLine(
        document=_document(default_title if line.title is None else line.title, text, line.meta),
        statuses={name: DocumentStatus(s) for name, s in line.status.items()},
        entities=entities,
        claims=claims,
        sample=line.sample,
        assigned=tuple(dict.fromkeys(line.assigned)),
    )


def _document(title: str, text: str, meta: Mapping[str, str | None]) -> NewDocument:
    known = {k: v for k, v in meta.items() if k in META_KEYS and v}
    published = known.get("published")
    day = None
    if published is not None:
        try:
            if not _DAY.fullmatch(published):
                raise ValueError
            day = date.fromisoformat(published)
        except ValueError:
            raise StudyLineError(
                f"meta.published must be a date YYYY-MM-DD, got {short(published)}"
            ) from None
    return NewDocument(
        text=text, title=title, source=known.get("source"),
        author=known.get("author"), url=known.get("url"), published=day,
        section=known.get("section"),
        metadata={k: v for k, v in meta.items() if k not in META_KEYS and v is not None},
    )


def _entities(
    given: list[Any], text: str, codebook: Codebook
) -> tuple[tuple[LineEntity, ...], dict[str, int]]:
    entities: list[LineEntity] = []
    keys: dict[str, int] = {}
    for index, raw in enumerate(given):
        where = f"entities[{index}]" + (f" ({raw.id})" if raw.id else "")
        _offsets(where, text, raw.start, raw.end, raw.text)
        if codebook.label(raw.label) is None:
            raise StudyLineError(f"{where}: there is no label {raw.label!r} in this project's codebook")
        default = SpanStatus.SUGGESTED if raw.coder is None else SpanStatus.ACCEPTED
        status = SpanStatus(raw.status) if raw.status else default
        if raw.coder is None and status is not SpanStatus.SUGGESTED:
            raise StudyLineError(
                f"{where}: an entity with no coder is a shared suggestion, so its status must be "
                f"'suggested', not {status.value!r}; name the coder who decided it"
            )
        if raw.coder is not None and status is SpanStatus.SUGGESTED:
            raise StudyLineError(
                f"{where}: a coder's entity is 'accepted' or 'rejected'; a suggestion nobody "
                "decided has \"coder\": null"
            )
        if raw.id is not None:
            if raw.id in keys:
                raise StudyLineError(f"{where}: the id {raw.id!r} is given to two entities")
            keys[raw.id] = index
        entities.append(LineEntity(
            raw.start, raw.end, raw.label, status, raw.coder,
            SpanOrigin(raw.origin) if raw.origin else SpanOrigin.IMPORTED,
        ))
    _no_overlap(entities)
    return tuple(entities), keys


def _no_overlap(entities: list[LineEntity]) -> None:
    """A coder's accepted entities never overlap (as in the app); rejected ones may."""
    by_coder: dict[str, list[tuple[int, int, int]]] = {}
    for index, e in enumerate(entities):
        if e.coder is not None and e.status is SpanStatus.ACCEPTED:
            by_coder.setdefault(e.coder, []).append((e.start, e.end, index))
    for coder, spans in by_coder.items():
        spans.sort()
        for (s1, e1, i1), (s2, e2, i2) in pairwise(spans):
            same_range = (s1, e1) == (s2, e2)
            # the same entity twice is one entity; anything else on its text overlaps it
            if s2 < e1 and (not same_range or entities[i1] != entities[i2]):
                raise StudyLineError(
                    f"entities[{i2}] ({s2}-{e2}) overlaps entities[{i1}] ({s1}-{e1}), both accepted "
                    f"by {coder}; a coder's accepted entities may not overlap"
                )


def _offsets(where: str, text: str, start: int, end: int, snapshot: str | None) -> None:
    try:
        validate_offsets(text, start, end, snapshot)
    except SpanError as exc:
        raise StudyLineError(f"{where}: {exc}") from None


def _claim(
    index: int, raw: ClaimSchema, text: str, codebook: Codebook, keys: Mapping[str, int],
    entities: tuple[LineEntity, ...],
) -> LineClaim:
    where = f"claims[{index}]" + (f" ({raw.id})" if raw.id else "")
    _offsets(where, text, raw.start, raw.end, raw.text)
    values: dict[str, ClaimValue] = {}
    links: dict[str, int] = {}
    for name, value in raw.values.items():
        variable = codebook.field(name)
        if variable is None:
            raise StudyLineError(f"{where}: {name!r} is not a variable of this project's codebook")
        if value is None:
            continue  # not coded
        try:
            if variable.kind is FieldKind.ENTITY:
                ref, link = _entity_value(variable, value, keys, entities, text)
                values[name] = ref
                if link is not None:
                    links[name] = link
                continue
            coded = normalize_value(variable, _typed(variable, value))
        except CodebookError as exc:
            raise StudyLineError(f"{where}: {exc}") from None
        if coded is not None:
            values[name] = coded
    return LineClaim(
        raw.start, raw.end, raw.coder, values, links, raw.needs_review, raw.review_note
    )


_JSON_TYPES: dict[FieldKind, tuple[tuple[type, ...], str]] = {
    FieldKind.SINGLE: ((str,), "a code (text)"),
    FieldKind.MULTI: ((list,), "a list of codes"),
    FieldKind.TEXT: ((str,), "text"),
    FieldKind.NUMBER: ((int, float), "a number"),
    FieldKind.SCALE: ((int, float), "a number"),
    FieldKind.BOOLEAN: ((bool,), "true or false"),
    FieldKind.DATE: ((str,), "a date YYYY-MM-DD"),
}


def _typed(variable: ClaimField, value: object) -> object:
    """The JSON type a kind of variable takes, strictly: "3" is no number, "yes" no boolean."""
    types, expected = _JSON_TYPES[variable.kind]
    wrong = not isinstance(value, types) or (
        variable.kind in (FieldKind.NUMBER, FieldKind.SCALE) and isinstance(value, bool)
    )
    if variable.kind is FieldKind.MULTI and not wrong:
        wrong = not all(isinstance(code, str) for code in value)  # type: ignore[attr-defined]
    if variable.kind is FieldKind.DATE and not wrong and not _DAY.fullmatch(value):  # type: ignore[arg-type]
        wrong = True
    if wrong:
        raise CodebookError(f"{variable.display_name}: must be {expected}, got {short(value)}")
    return value


def _entity_value(
    variable: ClaimField, value: object, keys: Mapping[str, int],
    entities: tuple[LineEntity, ...], text: str,
) -> tuple[EntityRef, int | None]:
    if isinstance(value, str):
        if value not in keys:
            raise CodebookError(
                f"{variable.display_name}: names the entity {value!r}, which is not on this line"
            )
        target = entities[keys[value]]
        return EntityRef(None, text[target.start:target.end]), keys[value]
    if isinstance(value, dict) and set(value) == {"text"} and isinstance(value["text"], str):
        return EntityRef(None, value["text"]), None
    raise CodebookError(
        f'{variable.display_name}: must be an entity id such as "e1", or {{"text": ...}} for '
        f"an entity that is gone, got {short(value)}"
    )


# -- writing ------------------------------------------------------------------------------
def encode_line(line: StudyLine, codebook: Codebook) -> str:
    """One line of JSON (no newline), in the order the format documents."""
    doc = line.document
    order = sorted(range(len(line.entities)), key=lambda i: _entity_key(line.entities[i]))
    entity_ids = {old: f"e{new + 1}" for new, old in enumerate(order)}
    entities = [_entity_dict(entity_ids[i], line.entities[i]) for i in order]
    claims = sorted(
        (_claim_dict(c, entity_ids, codebook) for c in line.claims), key=_claim_order
    )
    for number, claim in enumerate(claims, start=1):
        claim["id"] = f"c{number}"
    record: dict[str, Any] = {"title": doc.title, "text": doc.text, "meta": _meta(doc)}
    record["status"] = {
        name: line.statuses[name].value for name in sorted(line.statuses)
        if line.statuses[name] is not DocumentStatus.NEW
    }
    if line.sample:
        record["sample"] = True
    if line.assigned:
        record["assigned"] = sorted(set(line.assigned))
    record["entities"] = entities
    record["claims"] = claims
    return json.dumps(record, ensure_ascii=False)


def _entity_dict(key: str, e: LineEntity) -> dict[str, Any]:
    return {"id": key, "start": e.start, "end": e.end, "label": e.label,
            "status": e.status.value, "coder": e.coder, "origin": e.origin.value}


def _entity_key(e: LineEntity) -> tuple[int, int, str, str, str, str]:
    return (e.start, e.end, e.coder or "", e.label, e.status.value, e.origin.value)


def _claim_order(claim: dict[str, Any]) -> tuple[int, int, str, str]:
    rest = json.dumps([claim["values"], claim.get("needs_review"), claim.get("review_note")],
                      ensure_ascii=False, sort_keys=True)
    return (claim["start"], claim["end"], claim["coder"] or "", rest)


def _meta(doc: NewDocument) -> dict[str, str]:
    meta = {
        "source": doc.source, "author": doc.author,
        "published": doc.published.isoformat() if doc.published else None,
        "url": doc.url, "section": doc.section,
    }
    result = {key: value for key, value in meta.items() if value}
    for key, value in doc.metadata.items():
        if key not in META_KEYS and value is not None:
            result[key] = value
    return result


def _claim_dict(claim: LineClaim, entity_ids: Mapping[int, str], codebook: Codebook) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for variable in sorted(codebook.fields, key=lambda f: f.position):
        if variable.name not in claim.values:
            continue
        encoded = _encode_value(variable, claim.values[variable.name], claim.links.get(variable.name),
                                entity_ids)
        if encoded is not None:
            values[variable.name] = encoded
    result: dict[str, Any] = {
        "id": "", "start": claim.start, "end": claim.end, "coder": claim.coder, "values": values,
    }
    if claim.needs_review:
        result["needs_review"] = True
    if claim.review_note:
        result["review_note"] = claim.review_note
    return result


def _encode_value(
    variable: ClaimField, value: ClaimValue, link: int | None, entity_ids: Mapping[int, str]
) -> Any:
    """A value as JSON; None for one that is empty (a variable not coded is absent)."""
    kind = variable.kind
    if kind is FieldKind.ENTITY:
        if link is not None and link in entity_ids:
            return entity_ids[link]
        return {"text": value.text if isinstance(value, EntityRef) else str(value)}
    if kind is FieldKind.MULTI:
        codes = tuple(value) if isinstance(value, (tuple, list)) else (str(value),)
        order = {v.code: i for i, v in enumerate(variable.values)}
        ordered = sorted(dict.fromkeys(codes), key=lambda c: order.get(c, len(order)))
        return ordered or None
    if kind in (FieldKind.NUMBER, FieldKind.SCALE):
        number = float(value)  # type: ignore[arg-type]
        if math.isfinite(number) and number.is_integer():
            return int(number)
        return number
    if kind is FieldKind.DATE:
        return value.isoformat() if isinstance(value, date) else str(value)
    if kind is FieldKind.BOOLEAN:
        return bool(value)
    return str(value) if value != "" else None
