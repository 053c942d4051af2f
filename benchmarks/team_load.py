"""Many coders at once on one PostgreSQL project: the load the team benchmark and the fault
tests run (see ``bench_team.py``).

Each coder is a separate process (spawned) working through the real services as a coder's app
does: accept a shared suggestion, relabel one, add an entity, code a claim and its variables,
mark the document done; every action is one short transaction, wrapped in
``services.retry.retrying``. Each process writes every action it completed to its own journal
(a JSON line, flushed) with its latency; ``team_check.verify`` then checks that every
journalled action is in the database exactly once, and ``team_check.consistency_problems`` that
no half-written or orphan rows exist (for a coder process killed mid-action).
"""

from __future__ import annotations

import json
import multiprocessing
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert

from annotator.domain.model import (
    CategoryValue,
    ClaimField,
    Codebook,
    DocumentStatus,
    FieldKind,
    Label,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.services.claims import ClaimCoding
from annotator.services.corrections import Corrections
from annotator.services.project import Project
from annotator.services.retry import retrying
from annotator.storage.orm import EntitySpanRow
from annotator.storage.repositories import (
    CodebookRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)

LABELS = ("PERSON", "ORG", "LOCATION")
CODEBOOK = Codebook(
    labels=tuple(Label(name, "#0072B2", str(i + 1), position=i) for i, name in enumerate(LABELS)),
    fields=(
        ClaimField("form", FieldKind.SINGLE, required=True, position=0, values=(
            CategoryValue("statement", "Statement", "s"), CategoryValue("demand", "Demand", "d"),
        )),
        ClaimField("position", FieldKind.SCALE, required=True, position=1, minimum=-1, maximum=1),
    ),
)
WORDS_PER_SENTENCE = 10
SENTENCES = 4
#: per document and coder: suggestions accepted, relabelled, entities added
ACCEPTS, RELABELS, ADDS = 3, 3, 3


def document_words(number: int) -> list[tuple[int, int]]:
    """The [start, end) of every word of the benchmark document ``number`` (its text is
    ``document_text``): even words carry a shared suggestion, odd ones are free."""
    bounds, offset = [], 0
    for word in _words(number):
        bounds.append((offset, offset + len(word.rstrip("."))))
        offset += len(word) + 1
    return bounds


def _words(number: int) -> list[str]:
    words = []
    for sentence in range(SENTENCES):
        for index in range(WORDS_PER_SENTENCE):
            word = f"Word{number}x{sentence}x{index}"
            words.append(word + "." if index == WORDS_PER_SENTENCE - 1 else word)
    return words


def document_text(number: int) -> str:
    return " ".join(_words(number))


def sentence_bounds(number: int, sentence: int) -> tuple[int, int]:
    words = document_words(number)[sentence * WORDS_PER_SENTENCE:(sentence + 1) * WORDS_PER_SENTENCE]
    return words[0][0], words[-1][1] + 1  # with its full stop


def coder_name(index: int) -> str:
    return f"coder{index + 1:02d}"


def create_study(url: str, documents: int, coders: int) -> list[int]:
    """A new project at ``url``: documents with shared model suggestions on every other word,
    and ``coders`` coders. Returns the document ids in order."""
    with Project(url, create=True, codebook=CODEBOOK) as project:
        ids: list[int] = []
        with project.session() as session:
            for index in range(coders):
                CoderRepository(session).id_for(coder_name(index))
            documents_repo = DocumentRepository(session)
            label_ids = CodebookRepository(session).label_ids()
            now = datetime.now(UTC).replace(tzinfo=None)
            suggestions = []
            for number in range(documents):
                body = document_text(number)
                document_id = documents_repo.add(NewDocument(text=body, title=f"Article {number}"))
                ids.append(int(document_id))
                suggestions += [
                    {"document_id": document_id, "start": start, "end": end, "text": body[start:end],
                     "label_id": label_ids[LABELS[word % 3]], "origin": SpanOrigin.MODEL.value,
                     "status": SpanStatus.SUGGESTED.value, "coder_id": None, "model_name": None,
                     "model_version": None, "created_at": now, "updated_at": now}
                    for word, (start, end) in enumerate(document_words(number)) if word % 2 == 0
                ]
            # one bulk insert: the suggestions a model run leaves (setting up is not measured)
            session.execute(insert(EntitySpanRow), suggestions)
        return ids


@dataclass
class Step:
    kind: str
    run: Callable[[], Any]
    record: dict[str, Any]
    saved: Callable[[], Any] | None = None


@dataclass
class CoderWork:
    """What one coder process does; plain values only (it crosses to a spawned process)."""

    url: str
    coder: str
    documents: list[tuple[int, int]]  # (document id, number of its text)
    seconds: float
    journal: str
    seed: int = 0
    start_at: float = 0.0  # time.time() at which to begin; 0: at once
    slow_s: float = 0.0  # a pause between a claim's row and its values (the kill test's window)


def _own_span(project: Project, coder: str, document_id: int, start: int, end: int) -> Any:
    with project.read_session() as session:
        for span in SpanRepository(session).for_document(document_id, coder):  # type: ignore[arg-type]
            if span.annotator == coder and (span.start, span.end) == (start, end):
                return span
    return None


def _plan(work: CoderWork, project: Project, document_id: int, number: int, rng: random.Random) -> list[Step]:
    corrections = Corrections(project, work.coder)
    coding = ClaimCoding(project, work.coder)
    coder = work.coder
    with project.read_session() as session:
        suggestions = [s for s in SpanRepository(session).for_document(document_id, coder)  # type: ignore[arg-type]
                       if s.annotator is None]
    rng.shuffle(suggestions)
    words = document_words(number)
    free = [words[i] for i in range(1, len(words), 2)]
    rng.shuffle(free)
    steps: list[Step] = []
    for span in suggestions[:ACCEPTS]:
        steps.append(Step("accept", lambda s=span: corrections.accept(s.id), {
            "doc": document_id, "start": span.start, "end": span.end, "label": span.label}))
    for span in suggestions[ACCEPTS:ACCEPTS + RELABELS]:
        label = LABELS[(LABELS.index(span.label) + 1) % len(LABELS)]
        steps.append(Step("relabel", lambda s=span, lab=label: corrections.relabel(s.id, lab), {
            "doc": document_id, "start": span.start, "end": span.end, "label": label}))
    for start, end in free[:ADDS]:
        label = rng.choice(LABELS)
        steps.append(Step(
            "add", lambda a=start, b=end, lab=label: corrections.create(document_id, a, b, lab, snap=False),
            {"doc": document_id, "start": start, "end": end, "label": label},
            saved=lambda a=start, b=end: _own_span(project, coder, document_id, a, b),
        ))
    start, end = sentence_bounds(number, rng.randrange(SENTENCES))
    form = rng.choice(("statement", "demand"))
    position = rng.choice((-1, 0, 1))
    claim: dict[str, Any] = {}

    def new_claim() -> Any:
        change = coding.create(document_id, start, end, {"form": form})  # type: ignore[arg-type]
        claim["id"] = change.after.id
        return change

    def claim_saved() -> Any:
        for found in coding.claims(document_id):  # type: ignore[arg-type]
            if (found.start, found.end) == (start, end):
                claim["id"] = found.id
                return found
        return None

    steps.append(Step("claim", new_claim, {"doc": document_id, "start": start, "end": end,
                                           "values": {"form": form}}, saved=claim_saved))
    steps.append(Step("value", lambda: coding.set_value(claim["id"], "position", position),
                      {"doc": document_id, "start": start, "end": end,
                       "values": {"form": form, "position": position}}))
    steps.append(Step("done", lambda: corrections.set_document_status(
        document_id, DocumentStatus.DONE), {"doc": document_id}))  # type: ignore[arg-type]
    return steps


def run_coder(work: CoderWork) -> None:
    """One coder process: actions as fast as it can for ``work.seconds``, each journalled."""
    rng = random.Random(work.seed)
    documents = list(work.documents)
    rng.shuffle(documents)
    with Project(work.url) as project, open(work.journal, "a", encoding="utf-8") as journal:
        if work.slow_s:
            _pause_after_claim_rows(project, work.slow_s)
        if work.start_at:
            time.sleep(max(0.0, work.start_at - time.time()))
        end_at = time.monotonic() + work.seconds
        retries = Counter[str]()
        ran_out = True
        for document_id, number in documents:
            if time.monotonic() >= end_at:
                ran_out = False
                break
            try:
                steps = retrying(lambda d=document_id, n=number: _plan(work, project, d, n, rng))
            except Exception as exc:
                _write(journal, {"kind": "error", "error": f"{type(exc).__name__}: {exc}"})
                continue
            for step in steps:
                if time.monotonic() >= end_at:
                    break
                began, began_cpu = time.perf_counter(), time.process_time()
                try:
                    retrying(step.run, saved=step.saved, on_retry=lambda kind: retries.update([kind]))
                except Exception as exc:
                    _write(journal, {"kind": "error", "action": step.kind,
                                     "error": f"{type(exc).__name__}: {exc}"})
                    break
                _write(journal, {"kind": step.kind, **step.record, "at": time.time(),
                                 "ms": (time.perf_counter() - began) * 1000,
                                 "cpu_ms": (time.process_time() - began_cpu) * 1000})
        _write(journal, {"kind": "retries", **retries, "ran_out": ran_out})


def _pause_after_claim_rows(project: Project, seconds: float) -> None:
    """Hold every new claim's transaction open between its row and its values, so that a
    process killed during the pause dies mid-transaction."""

    def pause(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CLAIMS "):
            time.sleep(seconds)

    event.listen(project.engine, "after_cursor_execute", pause)


def _write(journal: Any, record: dict[str, Any]) -> None:
    journal.write(json.dumps(record) + "\n")
    journal.flush()


def read_journal(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    records = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            records.append(json.loads(line))
        except json.JSONDecodeError:
            continue  # a line cut short by a killed process: its action was not reported
    return records


def start_coders(works: Iterable[CoderWork]) -> list[multiprocessing.process.BaseProcess]:
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=run_coder, args=(work,), name=work.coder) for work in works]
    for process in processes:
        process.start()
    return processes


def plan_coders(url: str, document_ids: list[int], coders: int, seconds: float, folder: Path,
                start_in_s: float = 3.0, slow_s: float = 0.0) -> list[CoderWork]:
    documents = list(zip(document_ids, range(len(document_ids)), strict=True))
    start_at = time.time() + start_in_s  # spawned processes need a moment to import
    return [
        CoderWork(url, coder_name(i), documents, seconds, str(folder / f"{coder_name(i)}.jsonl"),
                  seed=i, start_at=start_at, slow_s=slow_s)
        for i in range(coders)
    ]
