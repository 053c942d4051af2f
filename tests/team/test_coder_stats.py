"""Issue 11 point 2: `annotator stats` per coder, and `stats --coder NAME` under blind coding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotator.cli.main import run
from annotator.domain.ids import DocumentId
from annotator.domain.model import (
    Claim,
    DocumentStatus,
    EntitySpan,
    NewDocument,
    SpanOrigin,
    SpanStatus,
)
from annotator.services.project import Project
from annotator.services.stats import project_stats
from annotator.storage.repositories import (
    ClaimRepository,
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
    SpanRepository,
)

TEXT = "Maria Lopez spoke in Manila. Asim Munir met Shehbaz Sharif in Islamabad."


def span(document: DocumentId, word: str, label: str, coder: str | None, status: SpanStatus) -> EntitySpan:
    start = TEXT.index(word)
    origin = SpanOrigin.MODEL if coder is None else SpanOrigin.MANUAL
    return EntitySpan(document, start, start + len(word), word, label, origin, status, coder)


@pytest.fixture
def team(project: Project) -> Project:
    """Three documents: 1 in the sample (alice and bob), 2 alice's, 3 bob's.

    Shared suggestions: "Maria Lopez" and "Manila" in every document. Alice accepted Maria
    Lopez in 1 and 2 and rejected Manila in 1, made one claim in 1 and marked 1 done; Bob
    accepted Asim Munir in 3, made two claims in 3 and has 3 in progress.
    """
    with project.session() as session:
        documents = DocumentRepository(session)
        ids = [documents.add(NewDocument(f"{TEXT} ({i})", f"A{i}")) for i in (1, 2, 3)]
        people = CoderRepository(session)
        alice, bob = people.id_for("alice"), people.id_for("bob")
        assert alice is not None and bob is not None
        work = CoderDocumentRepository(session)
        work.assign([(ids[0], alice), (ids[0], bob), (ids[1], alice), (ids[2], bob)])
        work.set_sample([ids[0]])
        spans = SpanRepository(session)
        for document in ids:
            spans.add(span(document, "Maria Lopez", "PERSON", None, SpanStatus.SUGGESTED))
            spans.add(span(document, "Manila", "LOCATION", None, SpanStatus.SUGGESTED))
        spans.add(span(ids[0], "Maria Lopez", "PERSON", "alice", SpanStatus.ACCEPTED))
        spans.add(span(ids[1], "Maria Lopez", "PERSON", "alice", SpanStatus.ACCEPTED))
        spans.add(span(ids[0], "Manila", "LOCATION", "alice", SpanStatus.REJECTED))
        spans.add(span(ids[2], "Asim Munir", "PERSON", "bob", SpanStatus.ACCEPTED))
        claims = ClaimRepository(session)
        claims.add(Claim(ids[0], 0, 28, TEXT[:28], annotator="alice"))
        claims.add(Claim(ids[2], 29, 72, TEXT[29:72], annotator="bob"))
        claims.add(Claim(ids[2], 0, 28, TEXT[:28], annotator="bob"))
        work.set_status(ids[0], alice, DocumentStatus.DONE)
        work.set_status(ids[2], bob, DocumentStatus.IN_PROGRESS)
    return project


def cli(*args: str | Path) -> int:
    return run([*map(str, args)], open_gui=lambda _request: pytest.fail("no window wanted"))


def test_stats_json_has_every_coder_s_figures(team: Project, capsys: pytest.CaptureFixture[str]) -> None:
    team.close()
    assert cli("stats", team.path, "--json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["coders"] == {
        "alice": {"documents_done": 1, "entities": 2, "claims": 1},
        "bob": {"documents_done": 0, "entities": 1, "claims": 2},
    }
    # the project-wide figures are as before: every row counted, the team's status
    assert stats["documents"] == 3 and stats["claims"] == 3
    assert stats["entities"]["by_status"] == {"suggested": 6, "accepted": 3, "rejected": 1}


def test_readable_stats_has_a_line_per_coder(team: Project, capsys: pytest.CaptureFixture[str]) -> None:
    team.close()
    assert cli("stats", team.path) == 0
    out = capsys.readouterr().out.splitlines()
    at = out.index("Coders:")
    assert [line.split() for line in out[at + 1:]] == [
        ["alice", "1", "done,", "2", "entities,", "1", "claims"],
        ["bob", "0", "done,", "1", "entities,", "2", "claims"],
    ]


def test_a_project_without_coders_prints_no_coder_section(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    project.close()
    assert cli("stats", project.path) == 0
    assert "Coders:" not in capsys.readouterr().out
    assert cli("stats", project.path, "--json") == 0
    assert json.loads(capsys.readouterr().out)["coders"] == {}


def test_stats_for_one_coder_under_blind_coding_shows_only_their_work(team: Project) -> None:
    bob = project_stats(team, coder="bob")
    assert bob["coders"] == {"bob": {"documents_done": 0, "entities": 1, "claims": 2}}
    # bob's documents (1 and 3) with his own status: alice's "done" on 1 is not his
    assert bob["documents"] == 2
    assert bob["documents_by_status"] == {"new": 1, "in_progress": 1, "done": 0}
    # every suggestion in his documents is still his to decide, though alice decided those in 1
    assert bob["entities"]["by_status"] == {"suggested": 4, "accepted": 1, "rejected": 0}
    assert bob["entities"]["by_label"] == {"LOCATION": 2, "PERSON": 3}
    assert (bob["claims"], bob["claims_incomplete"]) == (2, 2)
    alice = project_stats(team, coder="alice")
    # alice decided both suggestions in 1 and Maria Lopez in 2: Manila in 2 is left to decide
    assert alice["entities"]["by_status"] == {"suggested": 1, "accepted": 2, "rejected": 1}
    assert alice["documents_by_status"] == {"new": 1, "in_progress": 0, "done": 1}
    assert alice["claims"] == 1


def test_without_blind_coding_a_coder_sees_the_others_progress(team: Project, capsys: pytest.CaptureFixture[str]) -> None:
    team.set_setting("blind_coding", "off")
    team.close()
    assert cli("stats", team.path, "--coder", "bob", "--json") == 0
    stats = json.loads(capsys.readouterr().out)
    assert set(stats["coders"]) == {"alice", "bob"}
    assert stats["documents_by_status"] == {"new": 1, "in_progress": 1, "done": 0}  # still his own


def test_stats_for_an_unknown_coder_is_one_clear_line(team: Project, capsys: pytest.CaptureFixture[str]) -> None:
    team.close()
    assert cli("stats", team.path, "--coder", "bobb") == 2
    err = capsys.readouterr().err.strip()
    assert err == f"annotator: error: {team.path}: there is no coder 'bobb' (its coders: alice, bob)"


def test_readable_stats_for_one_coder(team: Project, capsys: pytest.CaptureFixture[str]) -> None:
    team.close()
    assert cli("stats", team.path, "--coder", "alice") == 0
    out = capsys.readouterr().out
    assert f"Project: {team.path} (as coder alice)" in out
    assert "Documents: 2" in out and "bob" not in out
