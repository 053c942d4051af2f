"""Typed ids, so a span id is never passed where a document id belongs."""

from typing import NewType

DocumentId = NewType("DocumentId", int)
SpanId = NewType("SpanId", int)
ClaimId = NewType("ClaimId", int)
LabelId = NewType("LabelId", int)
FieldId = NewType("FieldId", int)
CoderId = NewType("CoderId", int)
