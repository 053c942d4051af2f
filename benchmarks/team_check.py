"""Checking a team load run (``team_load``): every action a coder process journalled is in the
database exactly once, and no half-written or orphan rows exist."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import text

from annotator.domain.model import DocumentStatus
from annotator.services.project import Project
from benchmarks.team_load import CoderWork, read_journal


@dataclass
class Outcome:
    actions: int = 0
    errors: int = 0
    lost: int = 0
    duplicates: int = 0
    unexpected: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    per_coder: dict[str, dict[str, Any]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    ran_out: list[str] = field(default_factory=list)  # coders who coded every document in time


def p95(values: list[float]) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]


def verify(url: str, works: list[CoderWork]) -> Outcome:
    """Every action a coder's journal reports done is in the database exactly once."""
    outcome = Outcome()
    with Project(url, read_only=True) as project, project.engine.connect() as connection:
        for work in works:
            records = read_journal(Path(work.journal))
            done = [r for r in records if r["kind"] not in ("error", "retries")]
            errors = [r for r in records if r["kind"] == "error"]
            retries = next((r for r in records if r["kind"] == "retries"), {})
            outcome.actions += len(done)
            outcome.errors += len(errors)
            outcome.problems += [f"{work.coder}: {r.get('action', 'open')}: {r['error']}" for r in errors[:3]]
            latencies = [r["ms"] for r in done]
            outcome.latencies_ms += latencies
            lost, duplicates, unexpected = _check_coder(connection, work.coder, done)
            outcome.lost += lost
            outcome.duplicates += duplicates
            outcome.unexpected += unexpected
            outcome.per_coder[work.coder] = {
                "actions": len(done), "errors": len(errors), "lost": lost,
                "duplicates": duplicates, "p95_ms": round(p95(latencies), 1),
                "mean_ms": round(sum(latencies) / len(latencies), 1) if latencies else 0.0,
                # the coder process's own CPU time per action: the rest of its latency is
                # waiting (for the server, or for a core the other processes hold)
                "cpu_ms": round(sum(r.get("cpu_ms", 0.0) for r in done) / len(done), 2) if done else 0.0,
                "retries": {k: v for k, v in retries.items() if k not in ("kind", "ran_out")},
            }
            if retries.get("ran_out"):
                outcome.ran_out.append(work.coder)
    return outcome


def _check_coder(connection: Any, coder: str, done: list[dict[str, Any]]) -> tuple[int, int, int]:
    spans_expected = {(r["doc"], r["start"], r["end"]): r["label"]
                      for r in done if r["kind"] in ("accept", "relabel", "add")}
    rows = connection.execute(text(
        'SELECT s.document_id, s.start, s."end", l.name FROM entity_spans s '
        "JOIN coders c ON c.id = s.coder_id JOIN labels l ON l.id = s.label_id "
        "WHERE c.name = :coder AND s.status = 'accepted'"), {"coder": coder}).all()
    counts = Counter((r[0], r[1], r[2]) for r in rows)
    labels = {(r[0], r[1], r[2]): r[3] for r in rows}
    lost = sum(1 for key, label in spans_expected.items() if labels.get(key) != label)
    duplicates = sum(n - 1 for n in counts.values() if n > 1)
    unexpected = sum(1 for key in counts if key not in spans_expected)

    claims_expected: dict[tuple[int, int, int], dict[str, Any]] = {}
    for record in done:
        if record["kind"] in ("claim", "value"):
            claims_expected[(record["doc"], record["start"], record["end"])] = record["values"]
    claim_rows = connection.execute(text(
        'SELECT k.id, k.document_id, k.start, k."end" FROM claims k JOIN coders c ON c.id = k.coder_id '
        "WHERE c.name = :coder"), {"coder": coder}).all()
    value_rows = connection.execute(text(
        "SELECT v.claim_id, f.name, v.value FROM claim_values v JOIN claim_fields f ON f.id = v.field_id "
        "JOIN claims k ON k.id = v.claim_id JOIN coders c ON c.id = k.coder_id WHERE c.name = :coder"),
        {"coder": coder}).all()
    values: dict[int, dict[str, Any]] = {}
    for claim_id, name, value in value_rows:
        values.setdefault(claim_id, {})[name] = value
    claim_counts = Counter((r[1], r[2], r[3]) for r in claim_rows)
    claim_values = {(r[1], r[2], r[3]): values.get(r[0], {}) for r in claim_rows}
    for key, wanted in claims_expected.items():
        stored = claim_values.get(key)
        if stored is None or any(not _same(stored.get(k), v) for k, v in wanted.items()):
            lost += 1
    duplicates += sum(n - 1 for n in claim_counts.values() if n > 1)
    unexpected += sum(1 for key in claim_counts if key not in claims_expected)

    done_docs = {r["doc"] for r in done if r["kind"] == "done"}
    statuses = dict(connection.execute(text(
        "SELECT d.document_id, d.status FROM coder_documents d JOIN coders c ON c.id = d.coder_id "
        "WHERE c.name = :coder"), {"coder": coder}).all())
    lost += sum(1 for doc in done_docs if statuses.get(doc) != DocumentStatus.DONE.value)
    return lost, duplicates, unexpected


def _same(stored: Any, wanted: Any) -> bool:
    if isinstance(wanted, int | float) and isinstance(stored, int | float):
        return float(stored) == float(wanted)
    return bool(stored == wanted)


#: each query counts rows that must not exist (a half-written claim, an orphan row)
CONSISTENCY_QUERIES = {
    "claims without their values": (
        "SELECT count(*) FROM claims k WHERE NOT EXISTS "
        "(SELECT 1 FROM claim_values v WHERE v.claim_id = k.id)"),
    "claim values without a claim": (
        "SELECT count(*) FROM claim_values v WHERE NOT EXISTS "
        "(SELECT 1 FROM claims k WHERE k.id = v.claim_id)"),
    "claims of a missing document or coder": (
        "SELECT count(*) FROM claims k "
        "WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = k.document_id) "
        "OR (k.coder_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM coders c WHERE c.id = k.coder_id))"),
    "entities of a missing document, label or coder": (
        "SELECT count(*) FROM entity_spans s "
        "WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = s.document_id) "
        "OR NOT EXISTS (SELECT 1 FROM labels l WHERE l.id = s.label_id) "
        "OR (s.coder_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM coders c WHERE c.id = s.coder_id))"),
    "statuses of a missing document or coder": (
        "SELECT count(*) FROM coder_documents x "
        "WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = x.document_id) "
        "OR NOT EXISTS (SELECT 1 FROM coders c WHERE c.id = x.coder_id)"),
    "a coder's two entities over the same words": (
        'SELECT count(*) FROM (SELECT document_id, coder_id, start, "end" FROM entity_spans '
        'WHERE coder_id IS NOT NULL GROUP BY document_id, coder_id, start, "end" '
        "HAVING count(*) > 1) AS twice"),
}


def consistency_problems(url: str) -> dict[str, int]:
    """Each rule broken, with how many rows break it; empty when the project is consistent."""
    with Project(url, read_only=True) as project, project.engine.connect() as connection:
        counts = {name: int(connection.execute(text(query)).scalar_one())
                  for name, query in CONSISTENCY_QUERIES.items()}
    return {name: count for name, count in counts.items() if count}
