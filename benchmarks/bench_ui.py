"""How fast the desktop app opens a big project and a long, densely coded article (offscreen).

    .venv/bin/python benchmarks/bench_ui.py [--documents 10000] [--words 20000] [--entities 2000] [--quick]

1. A project of 10,000 documents (five suggestions each): time from opening the project file
   to the main window showing the list, then the slowest step of scrolling the list from top
   to bottom a page at a time.
2. An article of 20,000 words with 2,000 entities: time to open it in the window (reading it
   from the project included) and the time of the article view alone, both with every
   paragraph highlighted (checked: the highlighter has run over every block).

Both run for a one-coder project and for a team project of five coders (``--coders 1,5``):
every coder has their own layer in every document (decisions on three of its five
suggestions, a status, an assignment), and the window shows the first coder's. The team's
figures are also printed as a ratio to the one-coder project's, measured in the same run.

Prints the figures, then one JSON line: {"open_10k_s": ..., "highlight_20k_ms": ..., ...}
(the figures of the largest team).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from annotator.app import make_workspace
from annotator.domain.ids import DocumentId
from annotator.domain.model import NewDocument
from annotator.services.project import Project
from annotator.storage.orm import CoderDocumentRow, EntitySpanRow, LabelRow
from annotator.storage.repositories import CoderRepository, DocumentRepository
from annotator.ui.shell.dialogs import CannedPrompts
from annotator.ui.shell.main_window import MainWindow
from annotator.ui.shell.settings import AppSettings

WORDS = [
    "minister", "council", "police", "farmers", "budget", "river", "city", "talks", "union", "court",
    "protest", "report",
]
NAMES = ["Shehbaz Sharif", "Asim Munir", "Islamabad", "Lahore", "Finance Ministry", "UNICEF", "Karachi"]
LABELS = ["PERSON", "PERSON", "LOCATION", "LOCATION", "ORGANISATION", "ORGANISATION", "LOCATION"]


def article(rng: random.Random, words: int, entities: int) -> tuple[str, list[tuple[int, int, str]]]:
    """Paragraphs of ~100 words; an entity every words/entities words."""
    every = max(1, words // entities)
    parts: list[str] = []
    found: list[tuple[int, int, str]] = []
    length = 0
    for i in range(words):
        if i and i % 100 == 0:
            parts.append("\n\n")
            length += 2
        elif i:
            parts.append(" ")
            length += 1
        if i % every == 0 and len(found) < entities:
            k = rng.randrange(len(NAMES))
            found.append((length, length + len(NAMES[k]), LABELS[k]))
            word = NAMES[k]
        else:
            word = rng.choice(WORDS)
        parts.append(word)
        length += len(word)
    return "".join(parts), found


def insert_spans(session: Session, doc: DocumentId, text: str, found: list[tuple[int, int, str]],
                 offset: int = 0, accept_every: int = 0) -> list[dict[str, object]]:
    """Rows for the spans table (written in bulk by the caller, as the pre-annotation writer does)."""
    labels = {name: label_id for name, label_id in session.execute(select(LabelRow.name, LabelRow.id))}
    now = datetime.now(UTC).replace(tzinfo=None)
    return [
        dict(document_id=doc, start=s + offset, end=e + offset, text=text[s:e], label_id=labels[label],
             origin="model", model_name="bench", created_at=now, updated_at=now,
             status="accepted" if accept_every and i % accept_every == 0 else "suggested")
        for i, (s, e, label) in enumerate(found)
    ]


def coder_names(coders: int) -> list[str]:
    return [f"coder{k + 1}" for k in range(coders)]


def layers(session: Session, doc: DocumentId, suggestions: list[dict[str, object]], coders: int,
           decide: int, rng: random.Random, reject: bool = True,
           ) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Each coder's own rows for ``decide`` of the suggestions (accepted; with ``reject`` one in
    three rejected), and their status of the document."""
    spans, statuses = [], []
    for name in coder_names(coders):
        coder_id = CoderRepository(session).id_for(name)
        for i, row in enumerate(suggestions[:decide]):
            status = "rejected" if reject and i % 3 == 2 else "accepted"
            spans.append({**row, "coder_id": coder_id, "status": status})
        statuses.append(dict(document_id=doc, coder_id=coder_id, assigned=True, updated_at=row["updated_at"],
                             status=rng.choice(["new", "in_progress", "done"])))
    return spans, statuses


def build_project(path: Path, documents: int, rng: random.Random, coders: int) -> Project:
    project = Project(path, create=True)
    with project.session() as session:
        repo = DocumentRepository(session)
        rows: list[dict[str, object]] = []
        statuses: list[dict[str, object]] = []
        for n in range(documents):
            text, found = article(rng, 60, 5)
            title = f"Report {n}: {rng.choice(WORDS)} talks"
            doc = repo.add(NewDocument(text=f"Report {n}\n\n{text}", title=title))
            shared = insert_spans(session, doc, text, found, offset=len(f"Report {n}\n\n"))
            own, status = layers(session, doc, shared, coders, 3, rng)
            rows += shared + own
            statuses += status
        session.execute(insert(EntitySpanRow), rows)
        session.execute(insert(CoderDocumentRow), statuses)
    return project


def add_long_article(
    project: Project, words: int, entities: int, rng: random.Random, coders: int
) -> DocumentId:
    """Every coder has decided a third of its entities (their own rows beside the shared ones)."""
    text, found = article(rng, words, entities)
    with project.session() as session:
        doc = DocumentRepository(session).add(NewDocument(text=text, title="A very long article"))
        shared = insert_spans(session, doc, text, found)
        own, statuses = layers(session, doc, shared[::3], coders, len(shared), rng, reject=False)
        session.execute(insert(EntitySpanRow), shared + own)
        session.execute(insert(CoderDocumentRow), statuses)
    return doc


def settle(app: QApplication, rounds: int = 3) -> None:
    for _ in range(rounds):
        app.processEvents()


def measure(app: QApplication, folder: Path, args: argparse.Namespace, coders: int) -> dict[str, float]:
    rng = random.Random(7)
    path = folder / f"big-{coders}.annotator"
    started = time.perf_counter()
    build_project(path, args.documents, rng, coders).close()
    print(f"\n{coders} coder(s): built a project of {args.documents:,} documents "
          f"in {time.perf_counter() - started:.1f} s")

    # 1. Open the project and show the list.
    started = time.perf_counter()
    project = Project.open(path)
    settings = AppSettings.in_memory()
    settings.set_project_coder(path, "coder1")  # the coder chose who they are on a first start
    window = MainWindow(make_workspace(project, "coder1"), settings, CannedPrompts())
    window.resize(1400, 900)
    window.show()
    settle(app)
    open_s = time.perf_counter() - started
    table = window.document_list.table
    assert window.document_model.rowCount() == args.documents
    print(f"open {args.documents:,} documents and show the list: {open_s:.3f} s")

    bar = table.verticalScrollBar()
    step_ms = []
    while bar.value() < bar.maximum():
        t = time.perf_counter()
        bar.setValue(bar.value() + bar.pageStep())
        table.viewport().repaint()
        app.processEvents()
        step_ms.append((time.perf_counter() - t) * 1000)
    step_ms.sort()
    median = step_ms[len(step_ms) // 2]
    print(f"scroll the list page by page ({len(step_ms)} pages): median {median:.1f} ms, "
          f"slowest {step_ms[-1]:.1f} ms")

    # 2. A 20,000-word article with 2,000 entities.
    doc = add_long_article(project, args.words, args.entities, rng, coders)
    view = window.article
    started = time.perf_counter()
    window.open_document(doc)
    settle(app)
    open_doc_ms = (time.perf_counter() - started) * 1000
    blocks = view.document().blockCount()
    assert view.highlighter.blocks_highlighted >= blocks
    assert len(view.index) == args.entities
    print(f"open a {args.words:,}-word article with {args.entities:,} entities: {open_doc_ms:.1f} ms "
          f"({blocks} paragraphs, all highlighted)")

    spans = list(window.controller.spans.values())
    text = window.controller.document.text  # type: ignore[union-attr]
    view.clear_document()
    before = view.highlighter.blocks_highlighted
    started = time.perf_counter()
    view.show_document(text, spans)
    highlight_ms = (time.perf_counter() - started) * 1000
    assert view.highlighter.blocks_highlighted - before >= blocks
    print(f"  of which the article view (text, index, all paragraphs highlighted): {highlight_ms:.1f} ms")

    started = time.perf_counter()
    view.highlighter.rehighlight()
    print(f"  a full rehighlight alone: {(time.perf_counter() - started) * 1000:.1f} ms")
    window.close()
    return {
        "open_10k_s": round(open_s, 3),
        "highlight_20k_ms": round(open_doc_ms, 1),
        "highlight_view_20k_ms": round(highlight_ms, 1),
        "scroll_slowest_ms": round(step_ms[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=20_000)
    parser.add_argument("--entities", type=int, default=2_000)
    parser.add_argument("--coders", default="1,5", help="team sizes to measure, e.g. 1,5")
    parser.add_argument("--quick", action="store_true", help="a small run: CI checks the script works")
    args = parser.parse_args()
    if args.quick:
        args.documents, args.words, args.entities = 300, 2_000, 200
    teams = sorted({int(n) for n in args.coders.split(",")})
    app = QApplication(sys.argv[:1])
    with tempfile.TemporaryDirectory() as folder:
        figures = {n: measure(app, Path(folder), args, n) for n in teams}
    largest, smallest = figures[teams[-1]], figures[teams[0]]
    if len(teams) > 1:
        print(f"\n{teams[-1]} coders / {teams[0]}: open the project x"
              f"{largest['open_10k_s'] / smallest['open_10k_s']:.2f}, open the long article x"
              f"{largest['highlight_20k_ms'] / smallest['highlight_20k_ms']:.2f}")
    print(json.dumps({"coders": teams[-1], **largest}))


if __name__ == "__main__":
    main()
