"""Export speed and memory: 100,000 entities and 10,000 claims to one workbook.

Measured in the same run, each in its own child process (so peak memory is its own):
- the export service (reading the project, building rows, writing with the safe writer);
- a bare openpyxl write-only loop writing the same cell values (rows built beforehand).
Last line: one JSON object. Targets (issue #6): ratio <= 1.3, peak memory < 200 MB.

``--coders N`` builds a team's project instead (issue 11): every entity is a shared model
suggestion that one of N coders (in turn) has accepted as their own copy, each claim is one
coder's, every document is assigned to every coder with a status each. The export then
sorts entities into layers and writes a status column per coder; the same 100,000 entities
are exported (the coders' accepted copies).
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DOCS, SPANS_PER_DOC, CLAIMS_PER_DOC = 5000, 20, 2
QUICK_DOCS = 100


def build_project(path: Path, count: int = DOCS, coders: int = 0) -> None:
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

    rng = random.Random(5)
    texts = corpus(50, 400, seed=3)
    now = datetime.now(UTC).replace(tzinfo=None)
    project = Project.open_or_create(path)
    with project.session() as session:
        labels = list(session.scalars(select(LabelRow.id)))
        fields = {name: i for name, i in session.execute(select(ClaimFieldRow.name, ClaimFieldRow.id))}
        coder_ids = list(range(1, coders + 1))
        if coders:
            session.execute(insert(CoderRow), [dict(id=i, name=f"coder{i}", created_at=now, role="coder")
                                               for i in coder_ids])
        docs, spans, claims, values, work = [], [], [], [], []
        span_id = claim_id = 0
        for d in range(1, count + 1):
            text = texts[d % len(texts)] + f"\n\nDocument {d}."
            docs.append(dict(id=d, title=f"Article {d}", text=text, sha256=f"{d:064d}", status="new",
                             imported_at=now, word_count=len(text.split()), metadata_json={}))
            words = [(m, m + 5) for m in range(0, len(text) - 10, len(text) // (SPANS_PER_DOC + 1))]
            first_span = span_id + 1
            for n, (start, end) in enumerate(words[:SPANS_PER_DOC]):
                span_id += 1
                label = rng.choice(labels)
                spans.append(dict(id=span_id, document_id=d, start=start, end=end, text=text[start:end],
                                  label_id=label, origin="model",
                                  status="suggested" if coders else "accepted",
                                  model_name="en_core_web_sm", model_version="3.8.0",
                                  created_at=now, updated_at=now))
                if coders:  # one coder's accepted copy; the others still see the suggestion
                    span_id += 1
                    spans.append(dict(spans[-1], id=span_id, origin="manual", status="accepted",
                                      coder_id=coder_ids[n % coders]))
            for coder in coder_ids:
                work.append(dict(document_id=d, coder_id=coder, assigned=True, updated_at=now,
                                 status=("new", "in_progress", "done")[(d + coder) % 3]))
            for c in range(CLAIMS_PER_DOC):
                claim_id += 1
                claims.append(dict(id=claim_id, document_id=d, start=c * 50, end=c * 50 + 40,
                                   text=text[c * 50 : c * 50 + 40], needs_review=False, review_note="",
                                   created_at=now, updated_at=now,
                                   coder_id=coder_ids[c % coders] if coders else None))
                values += [
                    dict(claim_id=claim_id, field_id=fields["claimant"], value=None,
                         entity_span_id=first_span + (1 if coders else 0), entity_text="Someone"),
                    dict(claim_id=claim_id, field_id=fields["form"], value="statement",
                         entity_span_id=None, entity_text=None),
                    dict(claim_id=claim_id, field_id=fields["position"], value=rng.choice([-1, 0, 1]),
                         entity_span_id=None, entity_text=None),
                    dict(claim_id=claim_id, field_id=fields["frames"], value=["conflict"],
                         entity_span_id=None, entity_text=None),
                ]
        for table, rows in ((DocumentRow, docs), (EntitySpanRow, spans), (ClaimRow, claims),
                            (ClaimValueRow, values), (CoderDocumentRow, work)):
            if rows:
                session.execute(insert(table), rows)
    project.close()


def run_service(path: Path, out: Path) -> None:
    from annotator.services.export import export_project
    from annotator.services.project import Project

    with Project.open(path) as project:
        started = time.perf_counter()
        summary = export_project(project, out)
        elapsed = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": elapsed, "rows": summary.rows, "peak_mb": peak_mb}))


def run_bare(path: Path, out: Path) -> None:
    from openpyxl import Workbook

    from annotator.services.export_sheets import ExportOptions, SheetBuilder
    from annotator.services.project import Project

    with Project.open(path) as project, project.session() as session:
        sheets = [(s.name, [c.name for c in s.columns], [list(r) for r in s.rows])
                  for s in SheetBuilder(session, ExportOptions()).sheets()]
    started = time.perf_counter()
    workbook = Workbook(write_only=True)
    for name, header, rows in sheets:
        sheet = workbook.create_sheet(name)
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    workbook.save(out)
    print(json.dumps({"seconds": time.perf_counter() - started}))


def child(mode: str, path: Path, out: Path) -> dict[str, object]:
    result = subprocess.run([sys.executable, __file__, mode, str(path), str(out)],
                            capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main(quick: bool, coders: int = 0) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.annotator"
        # every step in its own process: a child forked from a big parent would count the
        # parent's pages in its peak memory
        build = f"build-quick:{coders}" if quick else f"build:{coders}"
        subprocess.run([sys.executable, __file__, build, str(path), "-"], check=True, cwd=ROOT)
        service = child("service", path, Path(tmp) / "service.xlsx")
        bare = child("bare", path, Path(tmp) / "bare.xlsx")
    service_mb = float(service["peak_mb"])  # type: ignore[arg-type]
    seconds = float(service["seconds"])  # type: ignore[arg-type]
    docs = QUICK_DOCS if quick else DOCS
    figures = {
        "coders": coders,
        "entities": docs * SPANS_PER_DOC,
        "claims": docs * CLAIMS_PER_DOC,
        "seconds": round(seconds, 2),
        "bare_seconds": round(float(bare["seconds"]), 2),  # type: ignore[arg-type]
        "peak_mb": round(service_mb, 1),
        "ratio": round(seconds / float(bare["seconds"]), 3),  # type: ignore[arg-type]
    }
    print(f"rows written: {service['rows']}")
    print(f"export service:           {figures['seconds']:>7} s, peak {figures['peak_mb']} MB (target < 200)")
    print(f"bare openpyxl write-only: {figures['bare_seconds']:>7} s")
    print(f"ratio: {figures['ratio']} (target <= 1.3)")
    print(json.dumps(figures))


if __name__ == "__main__":
    if len(sys.argv) == 4 and not sys.argv[1].startswith("-"):  # a child step
        mode, _, team = sys.argv[1].partition(":")
        modes = {
            "service": run_service, "bare": run_bare,
            "build": lambda p, _o: build_project(p, coders=int(team or 0)),
            "build-quick": lambda p, _o: build_project(p, QUICK_DOCS, int(team or 0)),
        }
        modes[mode](Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        # --quick: a small run, CI checks the script still works; --coders N: a team's project
        flags = sys.argv[1:]
        team_size = int(flags[flags.index("--coders") + 1]) if "--coders" in flags else 0
        main(quick="--quick" in flags, coders=team_size)
