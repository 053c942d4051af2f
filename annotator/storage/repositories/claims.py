from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from annotator.domain.errors import CodebookError, NotFoundError
from annotator.domain.ids import ClaimId, DocumentId, SpanId
from annotator.domain.model import Claim, ClaimField, ClaimValue, EntityRef, FieldKind
from annotator.storage.orm import ClaimFieldRow, ClaimRow, ClaimValueRow, CoderRow
from annotator.storage.repositories.coders import CoderRepository

# Reads as Core statements on the tables (plain rows, not the ORM's execution path)
_CLAIMS = ClaimRow.__table__
_VALUES = ClaimValueRow.__table__
_FIELDS = ClaimFieldRow.__table__
_CODERS = CoderRow.__table__
_CLAIMS_REFERRING_TO = (
    select(_VALUES.c.claim_id).where(_VALUES.c.entity_span_id == bindparam("span_id")).distinct()
)
_VALUES_OF = (
    select(
        _VALUES.c.claim_id, _FIELDS.c.name, _FIELDS.c.kind, _VALUES.c.value,
        _VALUES.c.entity_span_id, _VALUES.c.entity_text,
    )
    .join(_FIELDS, _FIELDS.c.id == _VALUES.c.field_id)
    .where(_VALUES.c.claim_id.in_(bindparam("claim_ids", expanding=True)))
)


def _select_claims():  # type: ignore[no-untyped-def]
    # plain columns, not ORM rows: exports stream every claim through here
    return select(
        _CLAIMS.c.id, _CLAIMS.c.document_id, _CLAIMS.c.start, _CLAIMS.c.end, _CLAIMS.c.text,
        _CODERS.c.name, _CLAIMS.c.needs_review, _CLAIMS.c.review_note, _CLAIMS.c.created_at,
        _CLAIMS.c.updated_at,
    ).join(_CODERS, _CODERS.c.id == _CLAIMS.c.coder_id, isouter=True)


_BY_ID = _select_claims().where(_CLAIMS.c.id == bindparam("claim_id"))


# Writes too: a claim is coded a variable at a time, and on a team server the ORM's DML path
# cost more than the round trips (issue 14's load test).
_INSERT_CLAIM = insert(_CLAIMS).returning(_CLAIMS.c.id)
_UPDATE_CLAIM = (
    update(_CLAIMS)
    .where(_CLAIMS.c.id == bindparam("claim_id"))
    .values({name: bindparam(f"new_{name}") for name in (
        "start", "end", "text", "coder_id", "needs_review", "review_note", "updated_at")})
)
_DELETE_VALUES = delete(_VALUES).where(_VALUES.c.claim_id == bindparam("claim_id"))
_INSERT_VALUES = insert(_VALUES)


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def encode_value(kind: FieldKind, value: ClaimValue) -> dict[str, Any]:
    if kind is FieldKind.ENTITY:
        assert isinstance(value, EntityRef)
        return {"value": None, "entity_span_id": value.span_id, "entity_text": value.text}
    if kind is FieldKind.MULTI:
        return {"value": list(value), "entity_span_id": None, "entity_text": None}  # type: ignore[arg-type]
    if kind is FieldKind.DATE:
        assert isinstance(value, date)
        return {"value": value.isoformat(), "entity_span_id": None, "entity_text": None}
    return {"value": value, "entity_span_id": None, "entity_text": None}


def decode_value(kind: FieldKind, value: Any, span_id: int | None, entity_text: str | None) -> ClaimValue:
    if kind is FieldKind.ENTITY:
        return EntityRef(SpanId(span_id) if span_id is not None else None, entity_text or "")
    if kind is FieldKind.MULTI:
        return tuple(value or ())
    if kind is FieldKind.DATE:
        return date.fromisoformat(value)
    if kind in (FieldKind.NUMBER, FieldKind.SCALE):
        return float(value)
    if kind is FieldKind.BOOLEAN:
        return bool(value)
    return str(value)


class ClaimRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def _fields(self) -> dict[str, tuple[int, FieldKind]]:
        rows = self.session.execute(select(ClaimFieldRow.name, ClaimFieldRow.id, ClaimFieldRow.kind))
        return {name: (i, FieldKind(kind)) for name, i, kind in rows}

    def _values(self, claim_ids: list[int]) -> dict[int, dict[str, ClaimValue]]:
        rows = self.session.execute(_VALUES_OF, {"claim_ids": claim_ids})
        result: dict[int, dict[str, ClaimValue]] = {}
        for claim_id, name, kind, value, span_id, text in rows:
            result.setdefault(claim_id, {})[name] = decode_value(FieldKind(kind), value, span_id, text)
        return result

    def _build(self, rows: list[Any]) -> list[Claim]:
        values = self._values([r[0] for r in rows])
        return [
            Claim(
                id=ClaimId(i), document_id=DocumentId(doc), start=start, end=end, text=text,
                values=values.get(i, {}), annotator=coder, needs_review=review,
                review_note=note, created_at=created, updated_at=updated,
            )
            for i, doc, start, end, text, coder, review, note, created, updated in rows
        ]

    def for_document(self, document_id: DocumentId, coder: str | None = None) -> list[Claim]:
        """The document's claims: everyone's, or only ``coder``'s (their layer)."""
        query = _select_claims().where(_CLAIMS.c.document_id == document_id)
        if coder is not None:
            query = query.where(_CODERS.c.name == coder)
        rows = self.session.execute(query.order_by(_CLAIMS.c.start, _CLAIMS.c.id)).all()
        return self._build(list(rows))

    def get(self, claim_id: ClaimId) -> Claim:
        rows = self.session.execute(_BY_ID, {"claim_id": claim_id}).all()
        if not rows:
            raise NotFoundError(f"claim {claim_id} does not exist (any more)")
        return self._build(list(rows))[0]

    def iter_all(self, batch: int = 500) -> Iterator[Claim]:
        """Every claim in document and offset order, in batches (for exports)."""
        last_doc, last_start, last_id = -1, -1, -1
        while True:
            rows = self.session.execute(
                _select_claims()
                .where(
                    (_CLAIMS.c.document_id > last_doc)
                    | ((_CLAIMS.c.document_id == last_doc) & (_CLAIMS.c.start > last_start))
                    | (
                        (_CLAIMS.c.document_id == last_doc)
                        & (_CLAIMS.c.start == last_start)
                        & (_CLAIMS.c.id > last_id)
                    )
                )
                .order_by(_CLAIMS.c.document_id, _CLAIMS.c.start, _CLAIMS.c.id)
                .limit(batch)
            ).all()
            if not rows:
                return
            yield from self._build(list(rows))
            last_id, last_doc, last_start = rows[-1][0], rows[-1][1], rows[-1][2]

    def add(self, claim: Claim, fields: Sequence[ClaimField] | None = None) -> Claim:
        """``fields``: the codebook's variables when the caller has read them already."""
        now = _now()
        values: dict[str, Any] = dict(
            document_id=claim.document_id, start=claim.start, end=claim.end, text=claim.text,
            coder_id=CoderRepository(self.session).id_for(claim.annotator),
            needs_review=claim.needs_review, review_note=claim.review_note,
            created_at=claim.created_at or now, updated_at=claim.updated_at or now,
        )
        if claim.id is not None:
            values["id"] = claim.id
        claim_id = ClaimId(self.session.connection().execute(_INSERT_CLAIM, values).scalar_one())
        stored = self._write_values(claim_id, claim.values, fields)
        # every stored value is known here: no read back (round trips, on a team server)
        return replace(claim, id=claim_id, values=stored, created_at=values["created_at"],
                       updated_at=values["updated_at"])

    def update(
        self, claim: Claim, touch: bool = True, fields: Sequence[ClaimField] | None = None
    ) -> Claim:
        if claim.id is None:
            raise ValueError("update needs a stored claim")
        updated_at = _now() if touch else (claim.updated_at or _now())
        connection = self.session.connection()
        result = connection.execute(_UPDATE_CLAIM, {
            "claim_id": claim.id, "new_start": claim.start, "new_end": claim.end,
            "new_text": claim.text,
            "new_coder_id": CoderRepository(self.session).id_for(claim.annotator),
            "new_needs_review": claim.needs_review, "new_review_note": claim.review_note,
            "new_updated_at": updated_at,
        })
        if result.rowcount == 0:
            raise NotFoundError(f"claim {claim.id} does not exist (any more)")
        connection.execute(_DELETE_VALUES, {"claim_id": claim.id})
        stored = self._write_values(claim.id, claim.values, fields)
        if claim.created_at is None:  # not a claim read from here: its other columns are unknown
            return self.get(claim.id)
        return replace(claim, values=stored, updated_at=updated_at)

    def delete(self, claim_id: ClaimId) -> None:
        self.session.execute(delete(ClaimRow).where(ClaimRow.id == claim_id))

    def referring_to(self, span_id: SpanId) -> list[ClaimId]:
        rows = self.session.scalars(_CLAIMS_REFERRING_TO, {"span_id": span_id})
        return [ClaimId(i) for i in rows]

    def count(self) -> int:
        return int(self.session.scalar(select(func.count(ClaimRow.id))) or 0)

    def value_usage(self) -> dict[str, dict[str, int]]:
        """field name -> {code: claims coded with it} for category variables, plus "*" for any value."""
        rows = self.session.execute(
            select(ClaimFieldRow.name, ClaimFieldRow.kind, ClaimValueRow.value).join(
                ClaimFieldRow, ClaimFieldRow.id == ClaimValueRow.field_id
            )
        )
        usage: dict[str, dict[str, int]] = {}
        for name, kind, value in rows:
            counts = usage.setdefault(name, {})
            counts["*"] = counts.get("*", 0) + 1
            codes = value if kind == FieldKind.MULTI.value else [value] if kind == "single" else []
            for code in codes or ():
                counts[str(code)] = counts.get(str(code), 0) + 1
        return usage

    def remove_codes(self, field_name: str, codes: set[str]) -> int:
        """Take category codes out of every claim's values; returns how many values changed."""
        rows = self.session.execute(
            select(ClaimValueRow.id, ClaimFieldRow.kind, ClaimValueRow.value)
            .join(ClaimFieldRow, ClaimFieldRow.id == ClaimValueRow.field_id)
            .where(ClaimFieldRow.name == field_name)
        ).all()
        changed = 0
        for row_id, kind, value in rows:
            if kind == FieldKind.MULTI.value:
                kept = [c for c in value or () if c not in codes]
                if len(kept) == len(value or ()):
                    continue
                if kept:
                    self.session.execute(
                        update(ClaimValueRow).where(ClaimValueRow.id == row_id).values(value=kept)
                    )
                else:
                    self.session.execute(delete(ClaimValueRow).where(ClaimValueRow.id == row_id))
                changed += 1
            elif value in codes:
                self.session.execute(delete(ClaimValueRow).where(ClaimValueRow.id == row_id))
                changed += 1
        return changed

    def _write_values(
        self, claim_id: int, values: Mapping[str, ClaimValue], known: Sequence[ClaimField] | None
    ) -> dict[str, ClaimValue]:
        """Store the values; returns them as reading them back gives them."""
        if known is not None and all(f.id is not None for f in known):
            fields = {f.name: (int(f.id), f.kind) for f in known}  # type: ignore[arg-type]
        else:
            fields = self._fields()
        rows, stored = [], {}
        for name, value in values.items():
            if name not in fields:
                raise CodebookError(f"{name!r} is not a variable of this codebook")
            field_id, kind = fields[name]
            encoded = encode_value(kind, value)
            rows.append({"claim_id": claim_id, "field_id": field_id, **encoded})
            stored[name] = decode_value(
                kind, encoded["value"], encoded["entity_span_id"], encoded["entity_text"]
            )
        if rows:
            self.session.connection().execute(_INSERT_VALUES, rows)
        return stored
