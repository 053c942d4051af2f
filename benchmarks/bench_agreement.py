"""Agreement speed (issue 12.8): 3 coders x 300 documents x 20 claims each, plus entities.

Builds the study with bulk Core inserts (the coders agree most of the time, as trained coders
do: some labels, boundaries, values and claims differ), then times the full
``compute_agreement``: reading every layer, entity F1 and token alpha, claim matching, and per
variable alpha with a 1,000-draw bootstrap, percent agreement and kappa.
``--quick`` builds 30 documents (for CI, to keep this script from rotting).
Last line: one JSON object {"units": claim units, "seconds": ...}. Target: under 10 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CODERS = ("alice", "bob", "carol")
DOCS, CLAIMS_PER_DOC, QUICK_DOCS = 300, 20, 30
PEOPLE = ["Shehbaz Sharif", "Maria Lopez", "John Carter", "Aisha Rahman", "Chen Wei", "Fatima Khan"]
ORGS = ["the United Nations", "the World Bank", "the Supreme Court", "the Red Cross", "Reuters"]
PLACES = ["Islamabad", "Lahore", "Karachi", "Zurich", "Manila", "Nairobi", "Berlin"]


def sentence(rng: random.Random) -> tuple[str, list[tuple[int, int, str]]]:
    """A sentence and its entities (start, end, label) relative to it."""
    person, org, place = rng.choice(PEOPLE), rng.choice(ORGS), rng.choice(PLACES)
    head = f"{person} said that "
    middle = f"{org} would review the situation in "
    text = f"{head}{middle}{place} within {rng.randint(2, 90)} days."
    org_start, place_start = len(head) + 4, len(head) + len(middle)
    return text, [
        (0, len(person), "PERSON"),
        (org_start, org_start + len(org) - 4, "ORGANISATION"),
        (place_start, place_start + len(place), "LOCATION"),
    ]


def build(path: Path, documents: int) -> None:
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

    rng = random.Random(12)
    now = datetime.now(UTC).replace(tzinfo=None)
    project = Project.open_or_create(path)
    with project.session() as session:
        labels = dict(session.execute(select(LabelRow.name, LabelRow.id)).all())
        fields = dict(session.execute(select(ClaimFieldRow.name, ClaimFieldRow.id)).all())
        session.execute(insert(CoderRow), [
            dict(id=i, name=name, created_at=now, role="coder") for i, name in enumerate(CODERS, 1)
        ])
        docs, statuses, spans, claims, values = [], [], [], [], []
        span_id = claim_id = 0
        for d in range(1, documents + 1):
            parts = [sentence(rng) for _ in range(CLAIMS_PER_DOC)]
            offsets, text = [], ""
            for part, _entities in parts:
                offsets.append(len(text))
                text += part + " "
            docs.append(dict(id=d, title=f"Article {d}", text=text, sha256=f"{d:064d}", status="new",
                             imported_at=now, word_count=len(text.split()), metadata_json={}))
            for coder_id in range(1, len(CODERS) + 1):
                statuses.append(dict(document_id=d, coder_id=coder_id, assigned=True, status="done",
                                     updated_at=now))
                for k, ((part, entities), base) in enumerate(zip(parts, offsets, strict=True)):
                    person_span = None
                    for start, end, label in entities:
                        if rng.random() < 0.04:
                            continue  # this coder missed it
                        if rng.random() < 0.06:
                            label = rng.choice(list(labels))
                        if rng.random() < 0.04:
                            end -= 2  # a boundary differs
                        span_id += 1
                        spans.append(dict(id=span_id, document_id=d, start=base + start, end=base + end,
                                          text=text[base + start:base + end], label_id=labels[label],
                                          origin="manual", status="accepted", coder_id=coder_id,
                                          created_at=now, updated_at=now))
                        if label == "PERSON" and start == 0:
                            person_span = (span_id, text[base + start:base + end])
                    if rng.random() < 0.05:
                        continue  # a claim this coder did not see
                    claim_id += 1
                    end = base + len(part) - (rng.randint(1, 6) if rng.random() < 0.2 else 0)
                    claims.append(dict(id=claim_id, document_id=d, start=base, end=end,
                                       text=text[base:end], coder_id=coder_id, needs_review=False,
                                       review_note="", created_at=now, updated_at=now))
                    values += _values(rng, claim_id, fields, person_span, d * 1000 + k)
        for table, rows in ((DocumentRow, docs), (CoderDocumentRow, statuses), (EntitySpanRow, spans),
                            (ClaimRow, claims), (ClaimValueRow, values)):
            session.execute(insert(table), rows)
    project.close()


def _values(rng, claim_id, fields, person_span, sentence_key):  # type: ignore[no-untyped-def]
    """A coder's values for a claim: the truth (fixed per claim by its seed), sometimes not."""
    truth = random.Random(sentence_key)

    def pick(options, p=0.85):  # type: ignore[no-untyped-def]
        true = truth.choice(options)
        return true if rng.random() < p else rng.choice(options)

    row = {"entity_span_id": None, "entity_text": None}
    result = [
        dict(claim_id=claim_id, field_id=fields["form"],
             value=pick(["statement", "decision", "demand"]), **row),
        dict(claim_id=claim_id, field_id=fields["claimant_type"],
             value=pick(["government", "military", "media", "other"]), **row),
        dict(claim_id=claim_id, field_id=fields["anonymous_source"], value=pick([True, False], 0.9), **row),
        dict(claim_id=claim_id, field_id=fields["position"], value=pick([-1, 0, 1], 0.8), **row),
        dict(claim_id=claim_id, field_id=fields["certainty"], value=pick([1, 2, 3], 0.75), **row),
        dict(claim_id=claim_id, field_id=fields["participants"], value=pick(list(range(0, 400, 10))), **row),
        dict(claim_id=claim_id, field_id=fields["frames"],
             value=sorted({pick(["conflict", "economic", "morality"]), pick(["conflict", "responsibility"])}),
             **row),
        dict(claim_id=claim_id, field_id=fields["claim_date"],
             value=(date(2026, 1, 1) + timedelta(days=pick(list(range(60))))).isoformat(), **row),
    ]
    if person_span is not None:
        result.append(dict(claim_id=claim_id, field_id=fields["claimant"], value=None,
                           entity_span_id=person_span[0], entity_text=person_span[1]))
    return result


def main(quick: bool) -> None:
    from annotator.services.agreement import compute_agreement
    from annotator.services.project import Project

    documents = QUICK_DOCS if quick else DOCS
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.annotator"
        started = time.perf_counter()
        build(path, documents)
        built = time.perf_counter() - started
        with Project.open(path, read_only=True) as project:
            started = time.perf_counter()
            report = compute_agreement(project)
            seconds = time.perf_counter() - started
    tokens = report.entities.alpha_tokens.units
    print(f"built {documents} documents x {len(CODERS)} coders in {built:.1f} s")
    print(f"{report.claim_units} claim units, {tokens} tokens, {len(report.variables)} variables, "
          f"{report.draws} bootstrap draws each")
    for v in report.variables:
        alpha = "—" if v.alpha.alpha is None else f"{v.alpha.alpha:.3f}"
        print(f"  {v.name:<28} {v.level:<8} alpha {alpha}")
    print(f"agreement with bootstrap: {seconds:.2f} s (target < 10 s)")
    print(json.dumps({"units": report.claim_units, "tokens": tokens, "documents": len(report.documents),
                      "variables": len(report.variables), "seconds": round(seconds, 2)}))


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="30 documents (a smoke run for CI)")
    main(parser.parse_args().quick)
