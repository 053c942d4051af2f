"""Reading one coder's layer out of a package and putting it in place of theirs in a project.

Rows travel as plain dicts of column values (timestamps kept exactly, so merging the same
package again finds nothing newer) and are written with Core bulk inserts under ids chosen
here, so a claim's link to an entity can point at the entity's new row without a read back.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from annotator.domain.packages import Fingerprint
from annotator.storage.orm import (
    ClaimFieldRow,
    ClaimRow,
    ClaimValueRow,
    CoderDocumentRow,
    CoderRow,
    DocumentRow,
    EntitySpanRow,
    LabelRow,
    ModelRunRow,
    ProjectInfo,
)

_CHUNK = 500  # ids per IN (...): well within SQLite's limit on bound variables
_WATERMARK = "search_indexed_upto"  # see storage.search

Row = dict[str, Any]


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield list(ids[i : i + _CHUNK])


@dataclass
class PackageLayer:
    """One coder's work in a package, by the package's document ids."""

    coder: str
    role: str | None  # None: the package has no such coder (nothing was coded)
    sha256: dict[int, str]  # every document of the package
    entities: dict[int, list[Row]] = field(default_factory=dict)
    claims: dict[int, list[Row]] = field(default_factory=dict)  # each with "values": [Row]
    statuses: dict[int, Row] = field(default_factory=dict)
    #: shared suggestions a claim links to: span id -> (start, end, label)
    shared_refs: dict[int, tuple[int, int, str]] = field(default_factory=dict)
    #: other coders with entities or claims in the package (coded under another name)
    others: tuple[str, ...] = ()

    def fingerprint(self, document_id: int) -> Fingerprint:
        """The coder's entities and claims in the document, and when they last changed any."""
        entities, claims = self.entities.get(document_id, ()), self.claims.get(document_id, ())
        times = [r["updated_at"] for r in (*entities, *claims)]
        status = self.statuses.get(document_id)
        if status is not None:
            times.append(status["updated_at"])
        return len(entities), len(claims), max(times, default=None)


def read_layer(session: Session, coder: str) -> PackageLayer:
    sha256 = dict(session.execute(select(DocumentRow.id, DocumentRow.sha256)).all())
    found = session.execute(select(CoderRow.id, CoderRow.role).where(CoderRow.name == coder)).first()
    layer = PackageLayer(coder, None if found is None else found.role, sha256)
    layer.others = tuple(session.scalars(
        select(CoderRow.name).where(CoderRow.name != coder, CoderRow.id.in_(
            select(EntitySpanRow.coder_id).union(select(ClaimRow.coder_id))
        )).order_by(CoderRow.name)
    ))
    if found is None:
        return layer
    coder_id = found.id
    entity_columns = [c for c in EntitySpanRow.__table__.c]
    for row in session.execute(
        select(*entity_columns, LabelRow.name.label("label"))
        .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
        .where(EntitySpanRow.coder_id == coder_id)
    ).mappings():
        layer.entities.setdefault(row["document_id"], []).append(dict(row))
    claims: dict[int, Row] = {}
    for row in session.execute(
        select(*ClaimRow.__table__.c).where(ClaimRow.coder_id == coder_id)
    ).mappings():
        claim = dict(row, values=[])
        claims[claim["id"]] = claim
        layer.claims.setdefault(claim["document_id"], []).append(claim)
    for row in session.execute(
        select(
            ClaimValueRow.claim_id, ClaimFieldRow.name.label("field"), ClaimValueRow.value,
            ClaimValueRow.entity_span_id, ClaimValueRow.entity_text,
        )
        .join(ClaimFieldRow, ClaimFieldRow.id == ClaimValueRow.field_id)
        .join(ClaimRow, ClaimRow.id == ClaimValueRow.claim_id)
        .where(ClaimRow.coder_id == coder_id)
    ).mappings():
        claims[row["claim_id"]]["values"].append(dict(row))
    for row in session.execute(
        select(*CoderDocumentRow.__table__.c).where(CoderDocumentRow.coder_id == coder_id)
    ).mappings():
        layer.statuses[row["document_id"]] = dict(row)
    own = {r["id"] for rows in layer.entities.values() for r in rows}
    linked = sorted({
        v["entity_span_id"] for c in claims.values() for v in c["values"]
        if v["entity_span_id"] is not None and v["entity_span_id"] not in own
    })
    for ids in _chunks(linked):
        for span_id, start, end, label in session.execute(
            select(EntitySpanRow.id, EntitySpanRow.start, EntitySpanRow.end, LabelRow.name)
            .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
            .where(EntitySpanRow.id.in_(ids), EntitySpanRow.coder_id.is_(None))
        ):
            layer.shared_refs[span_id] = (start, end, label)
    return layer


@dataclass
class NewDocuments:
    """Documents of a package the project lacks: their rows, shared suggestions and model runs."""

    documents: list[Row]
    suggestions: list[Row]
    runs: list[Row]


def read_documents(session: Session, document_ids: Sequence[int]) -> NewDocuments:
    found = NewDocuments([], [], [])
    for ids in _chunks(list(document_ids)):
        found.documents += [dict(r) for r in session.execute(
            select(*DocumentRow.__table__.c).where(DocumentRow.id.in_(ids))
        ).mappings()]
        found.suggestions += [dict(r) for r in session.execute(
            select(*EntitySpanRow.__table__.c, LabelRow.name.label("label"))
            .join(LabelRow, LabelRow.id == EntitySpanRow.label_id)
            .where(EntitySpanRow.document_id.in_(ids), EntitySpanRow.coder_id.is_(None))
        ).mappings()]
        found.runs += [dict(r) for r in session.execute(
            select(*ModelRunRow.__table__.c).where(ModelRunRow.document_id.in_(ids))
        ).mappings()]
    return found


class LayerWriter:
    """Writes coders' layers into a project, inside the caller's one transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.label_ids = dict(session.execute(select(LabelRow.name, LabelRow.id)).all())
        self.field_ids = dict(session.execute(select(ClaimFieldRow.name, ClaimFieldRow.id)).all())
        self._next_span = self._next(EntitySpanRow.id)
        self._next_claim = self._next(ClaimRow.id)

    def _next(self, column: Any) -> int:
        return int(self.session.scalar(select(func.coalesce(func.max(column), 0))) or 0) + 1

    def _span_id(self) -> int:
        self._next_span += 1
        return self._next_span - 1

    def document_ids(self, sha256: Iterable[str]) -> dict[str, int]:
        """sha256 -> the project's document id, for the texts the project has."""
        found: dict[str, int] = {}
        shas = list(sha256)
        for i in range(0, len(shas), _CHUNK):
            found.update(self.session.execute(
                select(DocumentRow.sha256, DocumentRow.id).where(DocumentRow.sha256.in_(shas[i : i + _CHUNK]))
            ).all())
        return found

    def fingerprints(self, coder_id: int) -> dict[int, Fingerprint]:
        """document id -> the coder's layer there in brief (documents where they have one)."""
        counts: dict[int, list[Any]] = {}
        for position, table in enumerate((EntitySpanRow, ClaimRow, CoderDocumentRow)):
            for document_id, count, when in self.session.execute(
                select(table.document_id, func.count(), func.max(table.updated_at))
                .where(table.coder_id == coder_id).group_by(table.document_id)
            ):
                entry = counts.setdefault(document_id, [0, 0, None])
                if position < 2:
                    entry[position] = count
                if entry[2] is None or when > entry[2]:
                    entry[2] = when
        return {doc: (e, c, when) for doc, (e, c, when) in counts.items()}

    def coder_id(self, name: str, role: str | None) -> int:
        found = self.session.scalar(select(CoderRow.id).where(CoderRow.name == name))
        if found is not None:
            return int(found)
        result = self.session.execute(insert(CoderRow).values(
            name=name, role=role or "coder", created_at=datetime.now(UTC).replace(tzinfo=None),
        ))
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def add_documents(self, new: NewDocuments) -> dict[int, int]:
        """Add the documents with their suggestions and runs; package id -> project id."""
        newest = self._next(DocumentRow.id) - 1
        indexed = self.session.scalar(select(ProjectInfo.value).where(ProjectInfo.key == _WATERMARK))
        # above the search index's watermark, so the next search indexes them
        next_id = max(newest, int(indexed or 0)) + 1
        ids: dict[int, int] = {}
        rows = []
        for row in new.documents:
            ids[row["id"]] = next_id
            rows.append({**row, "id": next_id})
            next_id += 1
        suggestions = [
            {**{k: v for k, v in r.items() if k != "label"}, "id": self._span_id(),
             "document_id": ids[r["document_id"]], "label_id": self.label_ids[r["label"]]}
            for r in new.suggestions
        ]
        runs = [{**r, "document_id": ids[r["document_id"]]} for r in new.runs]
        for table, values in ((DocumentRow, rows), (EntitySpanRow, suggestions), (ModelRunRow, runs)):
            if values:
                self.session.execute(insert(table), values)
        return ids

    def replace(self, coder_id: int, targets: dict[int, int], layer: PackageLayer) -> None:
        """Make the coder's rows in each project document those of the package's document.

        ``targets``: package document id -> project document id.
        """
        project_ids = sorted(targets.values())
        previous: dict[int, Row] = {}  # the coder's status rows being replaced
        shared: dict[tuple[int, int, int, int], int] = {}
        for ids in _chunks(project_ids):
            previous.update((r["document_id"], dict(r)) for r in self.session.execute(
                select(*CoderDocumentRow.__table__.c).where(
                    CoderDocumentRow.coder_id == coder_id, CoderDocumentRow.document_id.in_(ids))
            ).mappings())
            for table in (ClaimRow, EntitySpanRow, CoderDocumentRow):
                self.session.execute(
                    delete(table).where(table.coder_id == coder_id, table.document_id.in_(ids))
                )
            for span_id, doc, start, end, label_id in self.session.execute(
                select(EntitySpanRow.id, EntitySpanRow.document_id, EntitySpanRow.start,
                       EntitySpanRow.end, EntitySpanRow.label_id)
                .where(EntitySpanRow.document_id.in_(ids), EntitySpanRow.coder_id.is_(None))
            ):
                shared.setdefault((doc, start, end, label_id), span_id)
        entities, claims, values, statuses = [], [], [], []
        new_span: dict[int, int] = {}
        for package_doc, doc in targets.items():
            for row in layer.entities.get(package_doc, ()):
                new_span[row["id"]] = self._span_id()
                entities.append({
                    **{k: v for k, v in row.items() if k != "label"}, "id": new_span[row["id"]],
                    "document_id": doc, "coder_id": coder_id, "label_id": self.label_ids[row["label"]],
                })
            for claim in layer.claims.get(package_doc, ()):
                claim_id = self._next_claim
                self._next_claim += 1
                claims.append({
                    **{k: v for k, v in claim.items() if k != "values"}, "id": claim_id,
                    "document_id": doc, "coder_id": coder_id,
                })
                for value in claim["values"]:
                    values.append({
                        "claim_id": claim_id, "field_id": self.field_ids[value["field"]],
                        "value": value["value"], "entity_text": value["entity_text"],
                        "entity_span_id": self._link(value["entity_span_id"], doc, new_span, shared, layer),
                    })
            status = layer.statuses.get(package_doc)
            if status is not None:
                # the assignment is the project's business: it stays as the project has it
                kept = previous.get(doc, {"assigned": status["assigned"]})["assigned"]
                statuses.append({**status, "document_id": doc, "coder_id": coder_id, "assigned": kept})
        for table, rows in ((EntitySpanRow, entities), (ClaimRow, claims), (ClaimValueRow, values),
                            (CoderDocumentRow, statuses)):
            if rows:
                self.session.execute(insert(table), rows)
        # A document assigned to the coder stays assigned when the package has no status for
        # it (its old time is older than the package's work, which replaced it for being newer).
        written = {r["document_id"] for r in statuses}
        unstated = [
            {**row, "status": "new"}
            for doc, row in previous.items() if row["assigned"] and doc not in written
        ]
        if unstated:
            self.session.execute(insert(CoderDocumentRow), unstated)

    def _link(
        self, span_id: int | None, doc: int, new_span: dict[int, int],
        shared: dict[tuple[int, int, int, int], int], layer: PackageLayer,
    ) -> int | None:
        """A claim's link: to the coder's entity's new row, or to the project's shared
        suggestion at the same place with the same label; else only its text is kept."""
        if span_id is None:
            return None
        if span_id in new_span:
            return new_span[span_id]
        place = layer.shared_refs.get(span_id)
        if place is None:
            return None
        start, end, label = place
        return shared.get((doc, start, end, self.label_ids[label]))
