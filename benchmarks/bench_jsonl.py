"""The study as JSON Lines: export, import into a fresh project, and a second import.

A project of DOCS documents, each coded by five coders (four accepted entities and one claim
linked to an entity each, a status each) plus shared suggestions. Prints the seconds of each
step; the second import must add nothing and the re-export must equal the first.
Last line: one JSON object. `--quick` uses 50 documents.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOCS, QUICK_DOCS = 500, 50
CODERS = ("alice", "bob", "carol", "dan", "eve")
SENTENCE = "Prime Minister Shehbaz Sharif met Army Chief Asim Munir in Islamabad on Saturday. "


def build(project: object, count: int) -> None:
    from annotator.domain.model import (
        Claim,
        DocumentStatus,
        EntityRef,
        EntitySpan,
        NewDocument,
        SpanOrigin,
        SpanStatus,
    )
    from annotator.storage.repositories import (
        ClaimRepository,
        CoderDocumentRepository,
        CoderRepository,
        DocumentRepository,
        SpanRepository,
    )

    with project.session() as session:  # type: ignore[attr-defined]
        docs, spans, claims = DocumentRepository(session), SpanRepository(session), ClaimRepository(session)
        statuses, coders = CoderDocumentRepository(session), CoderRepository(session)
        for number in range(count):
            text = f"Article {number}. " + SENTENCE * 20
            doc = docs.add(NewDocument(text=text, title=f"Article {number}"))
            for k in range(0, 20, 2):
                start = text.index("Islamabad", 12 + k * len(SENTENCE))
                spans.add(EntitySpan(doc, start, start + 9, "Islamabad", "LOCATION", SpanOrigin.MODEL,
                                     SpanStatus.SUGGESTED))
            for coder in CODERS:
                for k in range(4):
                    start = text.index("Shehbaz", 12 + k * len(SENTENCE))
                    span = spans.add(EntitySpan(doc, start, start + 14, text[start:start + 14], "PERSON",
                                                SpanOrigin.MODEL, SpanStatus.ACCEPTED, annotator=coder))
                claims.add(Claim(doc, 0, 40, text[:40], {"claimant": EntityRef(span.id, span.text)},
                                 annotator=coder))
                statuses.set_status(doc, coders.id_for(coder), DocumentStatus.DONE)  # type: ignore[arg-type]


def main() -> None:
    from annotator.services.jsonl_exchange import export_study, import_study_file
    from annotator.services.project import Project

    count = QUICK_DOCS if "--quick" in sys.argv else DOCS
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        source = Project(base / "source.annotator", create=True)
        build(source, count)
        first, second = base / "first.jsonl", base / "second.jsonl"
        started = time.perf_counter()
        export_study(source, first)
        exported = time.perf_counter() - started
        copy = Project(base / "copy.annotator", create=True)
        started = time.perf_counter()
        report = import_study_file(copy, first)
        imported = time.perf_counter() - started
        started = time.perf_counter()
        again = import_study_file(copy, first)
        reimported = time.perf_counter() - started
        export_study(copy, second)
        same = first.read_bytes() == second.read_bytes()
        size = first.stat().st_size
        source.close()
        copy.close()
    assert not report.refused and again.landed == 0 and same, "the round trip lost something"
    print(f"{count} documents, {size / 1e6:.1f} MB: export {exported:.1f} s, import {imported:.1f} s, "
          f"second import {reimported:.1f} s (adds nothing); re-export identical: {same}")
    print(json.dumps({"docs": count, "export_s": round(exported, 2), "import_s": round(imported, 2),
                      "reimport_s": round(reimported, 2), "identical": same}))


if __name__ == "__main__":
    main()
