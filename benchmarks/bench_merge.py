"""Merging a coder's package back: 500 coded documents, 20 entities and 2 claims each.

Builds a study of 500 documents of ~400 words, all coded by "alice" (20 entities, 2 claims
with 4 values each, one linking an entity, a status), writes her package with `annotator
package`'s service, then makes every document of the package newer (as if she had reworked
them all offline) and times:
- writing the package;
- the merge that replaces her layer in all 500 documents (the target: under 10 s, issue 11);
- the same merge again, which finds nothing newer and changes nothing.
Last line: JSON ``{"docs": ..., "seconds": ...}`` (seconds: the first merge).
``--quick``: 50 documents (CI checks the script still works).
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOCS, QUICK_DOCS = 500, 50
SPANS_PER_DOC, CLAIMS_PER_DOC = 20, 2


def build_project(path: Path, count: int) -> None:
    from sqlalchemy import insert, select

    from annotator.services.project import Project
    from annotator.storage.orm import (
        ClaimFieldRow,
        ClaimRow,
        ClaimValueRow,
        CoderDocumentRow,
        CoderRow,
        DocumentRow,
        EntitySpanRow,
        LabelRow,
    )
    from benchmarks.corpus import corpus

    texts = corpus(50, 400, seed=3)
    now = datetime.now(UTC).replace(tzinfo=None)
    with Project.open_or_create(path) as project, project.session() as session:
        labels = list(session.scalars(select(LabelRow.id)))
        fields = dict(session.execute(select(ClaimFieldRow.name, ClaimFieldRow.id)).all())
        coder = session.execute(insert(CoderRow).values(name="alice", created_at=now)).inserted_primary_key[0]
        docs, spans, claims, values, statuses = [], [], [], [], []
        span_id = claim_id = 0
        for d in range(1, count + 1):
            text = texts[d % len(texts)] + f"\n\nDocument {d}."
            docs.append(dict(id=d, title=f"Article {d}", text=text, sha256=f"{d:064d}", status="new",
                             imported_at=now, word_count=len(text.split()), metadata_json={}))
            statuses.append(dict(document_id=d, coder_id=coder, assigned=True, status="in_progress",
                                 updated_at=now))
            step = len(text) // (SPANS_PER_DOC + 1)
            first = span_id + 1
            for start in range(0, step * SPANS_PER_DOC, step):
                span_id += 1
                spans.append(dict(id=span_id, document_id=d, start=start, end=start + 5,
                                  text=text[start : start + 5], label_id=labels[span_id % len(labels)],
                                  origin="model", status="accepted", coder_id=coder,
                                  model_name="en_core_web_sm", model_version="3.8.0",
                                  created_at=now, updated_at=now))
            for c in range(CLAIMS_PER_DOC):
                claim_id += 1
                claims.append(dict(id=claim_id, document_id=d, start=c * 50, end=c * 50 + 40,
                                   text=text[c * 50 : c * 50 + 40], coder_id=coder, needs_review=False,
                                   review_note="", created_at=now, updated_at=now))
                values += [
                    dict(claim_id=claim_id, field_id=fields["claimant"], value=None,
                         entity_span_id=first, entity_text=text[0:5]),
                    dict(claim_id=claim_id, field_id=fields["form"], value="statement"),
                    dict(claim_id=claim_id, field_id=fields["position"], value=1),
                    dict(claim_id=claim_id, field_id=fields["frames"], value=["conflict"]),
                ]
        for table, rows in ((DocumentRow, docs), (CoderDocumentRow, statuses), (EntitySpanRow, spans),
                            (ClaimRow, claims), (ClaimValueRow, values)):
            session.execute(insert(table), rows)


def rework(package: Path) -> None:
    """Every document of the package changed after it was made (as if recoded offline)."""
    later = (datetime.now(UTC).replace(tzinfo=None) + timedelta(minutes=5)).isoformat(sep=" ")
    db = sqlite3.connect(package)
    with db:
        for table in ("entity_spans", "claims", "coder_documents"):
            db.execute(f"UPDATE {table} SET updated_at = ?", (later,))
        db.execute("UPDATE coder_documents SET status = 'done'")
    db.close()


def main() -> None:
    from annotator.services.packages import make_package, merge
    from annotator.services.project import Project

    docs = QUICK_DOCS if "--quick" in sys.argv[1:] else DOCS
    with tempfile.TemporaryDirectory() as tmp:
        project_path, package = Path(tmp) / "study.annotator", Path(tmp) / "alice.annotator"
        build_project(project_path, docs)
        started = time.perf_counter()
        summary = make_package(project_path, "alice", package)
        package_s = time.perf_counter() - started
        rework(package)
        with Project.open(project_path) as project:
            started = time.perf_counter()
            [first] = merge(project, [package]).packages
            merge_s = time.perf_counter() - started
            started = time.perf_counter()
            [again] = merge(project, [package]).packages
            again_s = time.perf_counter() - started
        assert first.updated == docs and again.unchanged == docs, (first, again)
        print(f"package of {summary.documents} documents, {summary.entities:,} entities, "
              f"{summary.claims:,} claims: written in {package_s:.2f} s ({summary.size / 1e6:.1f} MB)")
        print(f"merge replacing alice's layer in {first.updated} documents: {merge_s:.2f} s "
              f"(target < 10 s for 500)")
        print(f"the same package merged again ({again.unchanged} unchanged): {again_s:.2f} s")
    print(json.dumps({"docs": docs, "seconds": round(merge_s, 3)}))


if __name__ == "__main__":
    main()
