"""Issue 14.3: an open window shows other coders' progress within seconds, without a restart,
and says so when the project stops answering (and again when it answers)."""

from __future__ import annotations

from annotator.domain.model import DocumentStatus
from annotator.storage.repositories import CoderDocumentRepository, CoderRepository


def bob_finishes(project, document_id) -> None:  # type: ignore[no-untyped-def]
    """Bob, in his own app (here: his own session), marks the document done."""
    with project.session() as session:
        bob = CoderRepository(session).id_for("bob")
        CoderDocumentRepository(session).set_status(document_id, bob, DocumentStatus.DONE)


def done_of(table, coder: str) -> str:  # type: ignore[no-untyped-def]
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == coder)
    return table.item(row, 5).text()


def test_the_team_progress_shows_another_coders_work_without_a_restart(qtbot, window, article) -> None:
    live = window.team.live
    live.timer.setInterval(50)
    with window.workspace.project.session() as session:
        CoderRepository(session).id_for("bob")
    window.actions["team_progress"].trigger()
    qtbot.waitUntil(lambda: live._last is not None, timeout=5000)  # the window has looked once
    assert done_of(window.team_progress.table, "bob") == "0"
    with qtbot.waitSignal(live.changed, timeout=5000):
        bob_finishes(window.workspace.project, article)
    qtbot.waitUntil(lambda: done_of(window.team_progress.table, "bob") == "1", timeout=5000)


def test_an_unreachable_project_is_said_once_and_its_return_too(qtbot, window) -> None:
    live = window.team.live
    live.timer.stop()
    working = live._token

    def broken():  # type: ignore[no-untyped-def]
        def fail() -> object:
            raise OSError("connection refused")
        return fail

    live._token = broken
    with qtbot.waitSignal(live.unreachable, timeout=5000) as said:
        live.poll()
    assert said.args == ["connection refused"]
    assert "Cannot reach the project (connection refused)" in window.statusBar().currentMessage()
    with qtbot.assertNotEmitted(live.unreachable, wait=200):
        live.poll()  # the second failure in a row is not announced again
    live._token = working
    with qtbot.waitSignal(live.reachable, timeout=5000):
        live.poll()
    assert window.statusBar().currentMessage() == "The project answers again"
