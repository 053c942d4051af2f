"""The window in a team project: each coder sees their own work; the PI can look at anyone's."""

from __future__ import annotations

from annotator.domain.model import CoderRole, SpanStatus
from annotator.services.browse import Browser
from annotator.services.corrections import Corrections
from annotator.storage.repositories import CoderRepository
from annotator.ui.team.coder_choice import settle_coder


def shown(window) -> dict[str, tuple[SpanStatus, str | None]]:  # type: ignore[no-untyped-def]
    return {s.text: (s.status, s.annotator) for s in window.controller.spans.values()}


def decide_as_bob(window, article) -> None:  # type: ignore[no-untyped-def]
    """Bob rejects "Shehbaz Sharif" in his layer; the window's coder, tester, is the PI."""
    project = window.workspace.project
    sharif = next(s for s in Browser(project, "bob").spans(article) if s.text == "Shehbaz Sharif")
    Corrections(project, "bob").reject(sharif.id)  # type: ignore[arg-type]
    with project.session() as session:
        CoderRepository(session).id_for("tester", CoderRole.PI)


def test_switching_coder_shows_only_that_coders_work(qtbot, window, article) -> None:
    window.controller.select_next_pending()
    window.actions["accept"].trigger()  # tester accepts "Shehbaz Sharif"
    decide_as_bob(window, article)
    assert shown(window)["Shehbaz Sharif"] == (SpanStatus.ACCEPTED, "tester")

    window.prompts.answers["coder_to_view"] = "bob"
    window.actions["view_coder"].trigger()
    assert shown(window)["Shehbaz Sharif"] == (SpanStatus.REJECTED, "bob")
    assert shown(window)["Asim Munir"] == (SpanStatus.SUGGESTED, None)
    assert "Viewing bob's coding (read-only)" in window.coder_label.text()
    assert window.read_only_label.isVisible()
    assert not window.actions["accept_all"].isEnabled()  # nothing of bob's can be changed

    window.prompts.answers["coder_to_view"] = "tester"
    window.actions["view_coder"].trigger()
    assert shown(window)["Shehbaz Sharif"] == (SpanStatus.ACCEPTED, "tester")
    assert window.coder_label.text() == "Coder: tester"
    assert window.actions["accept_all"].isEnabled()

    window.prompts.coder = "bob"  # Edit -> Coder Name: now bob is at the keyboard
    window.actions["coder_name"].trigger()
    assert window.coder_label.text() == "Coder: bob"
    assert shown(window)["Shehbaz Sharif"] == (SpanStatus.REJECTED, "bob")
    assert window.actions["accept_all"].isEnabled()  # his own work: editable


def test_under_blind_coding_a_coder_cannot_look_at_another(qtbot, window, article) -> None:
    decide_as_bob(window, article)
    with window.workspace.project.session() as session:
        CoderRepository(session).set_role("tester", CoderRole.CODER)
    window.prompts.coder = "bob"
    window.actions["coder_name"].trigger()
    window.prompts.answers["coder_to_view"] = "tester"
    window.actions["view_coder"].trigger()
    assert "coding is blind" in window.statusBar().currentMessage()
    assert shown(window)["Shehbaz Sharif"] == (SpanStatus.REJECTED, "bob")


def test_a_project_with_several_coders_asks_who_is_coding_once(qtbot, window, article, settings) -> None:
    decide_as_bob(window, article)
    window.prompts.answers["choose_coder"] = "bob"
    settle_coder(window.workspace, settings, window.prompts)
    assert window.workspace.coder == "bob"
    asked = len(window.prompts.asked)
    window.workspace.set_coder("tester")
    settle_coder(window.workspace, settings, window.prompts)  # remembered for this project
    assert window.workspace.coder == "bob" and len(window.prompts.asked) == asked


def test_team_progress_lists_every_coder(qtbot, window, article) -> None:
    decide_as_bob(window, article)
    window.actions["team_progress"].trigger()
    table = window.team_progress.table
    rows = [[table.item(r, c).text() for c in range(3)] for r in range(table.rowCount())]
    assert rows == [["bob", "coder", "0"], ["tester", "PI", "0"]]


def test_the_reliability_sample_is_marked_in_the_document_list(qtbot, window, article) -> None:
    from annotator.storage.repositories import CoderDocumentRepository

    with window.workspace.project.session() as session:
        CoderDocumentRepository(session).set_sample([article])
    window.document_model.reload()
    titles = [window.document_model.index(r, window.document_model.TITLE).data()
              for r in range(window.document_model.rowCount())]
    assert titles == ["◆ Talks in Islamabad", "Floods in Sindh"]
    tip = window.document_model.index(0, window.document_model.TITLE).data(3)  # tooltip role
    assert "reliability sample" in tip


def test_a_coders_package_opens_as_that_coder_without_asking(qtbot, window, article, settings) -> None:
    decide_as_bob(window, article)
    window.workspace.project.set_setting("package_of", "bob")
    asked = len(window.prompts.asked)
    settle_coder(window.workspace, settings, window.prompts)
    assert window.workspace.coder == "bob" and len(window.prompts.asked) == asked
