"""Issue 11 points 2 and 3: `annotator assign` and `annotator coders` on real project files."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from annotator.cli.main import run
from annotator.domain.assignment import Overlap, parse_overlap
from annotator.domain.errors import AssignmentError, CoderError
from annotator.domain.ids import DocumentId
from annotator.domain.model import CoderRole, DocumentStatus, NewDocument
from annotator.services.assignment import assign
from annotator.services.coders import CoderService
from annotator.services.layers import blind_coding
from annotator.services.project import Project
from annotator.storage.repositories import (
    CoderDocumentRepository,
    CoderRepository,
    DocumentRepository,
)


def cli(*args: str | Path) -> int:
    return run([*map(str, args)], open_gui=lambda _request: pytest.fail("no window wanted"))


def add_documents(project: Project, n: int) -> list[DocumentId]:
    with project.session() as session:
        documents = DocumentRepository(session)
        first = documents.count() + 1
        return [documents.add(NewDocument(f"Article {i}: Maria Lopez spoke in Manila.", f"A{i}"))
                for i in range(first, first + n)]


def holdings(project: Project) -> dict[DocumentId, set[str]]:
    with project.read_session() as session:
        names = CoderRepository(session).names()
        return {d: {names[c] for c in cs} for d, cs in CoderDocumentRepository(session).assignments().items()}


def sample_of(project: Project) -> set[DocumentId]:
    with project.read_session() as session:
        return CoderDocumentRepository(session).sample()


def test_assign_creates_coders_and_writes_sample_and_deal(project: Project) -> None:
    documents = add_documents(project, 40)
    summary = assign(project, ["alice", "bob", "carol"], Overlap(0.15), seed=11)
    sample = sample_of(project)
    assert len(sample) == 6 and summary.sample_total == 6 and summary.sample_added == 6
    held = holdings(project)
    assert set(held) == set(documents)
    assert all(held[d] == {"alice", "bob", "carol"} for d in sample)
    loads = Counter(c for d, cs in held.items() if d not in sample for c in cs)
    assert sorted(loads.values()) == [11, 11, 12]
    assert {c.name: (c.added, c.total, c.created) for c in summary.coders} == {
        name: (loads[name] + 6, loads[name] + 6, True) for name in ("alice", "bob", "carol")
    }
    assert [c.name for c in CoderService(project).coders()] == ["alice", "bob", "carol"]
    assert blind_coding(project)  # more than one coder: blind by default


def test_the_same_seed_on_a_copy_draws_the_same(tmp_path: Path, project: Project) -> None:
    add_documents(project, 30)
    project.close()
    copy = tmp_path / "copy.annotator"
    copy.write_bytes(project.path.read_bytes())
    with Project(project.path) as one, Project(copy) as two:
        assign(one, ["alice", "bob"], Overlap(0.2), seed=5)
        assign(two, ["alice", "bob"], Overlap(0.2), seed=5)
        assert holdings(one) == holdings(two) and sample_of(one) == sample_of(two)


def test_a_rerun_after_an_import_places_only_the_new_documents(project: Project) -> None:
    add_documents(project, 20)
    assign(project, ["alice", "bob"], Overlap(0.1), seed=1)
    before, sample_before = holdings(project), sample_of(project)
    with project.session() as session:  # alice has started and finished work: it stays hers
        ids = CoderRepository(session)
        alice_doc = next(d for d, cs in before.items() if cs == {"alice"})
        CoderDocumentRepository(session).set_status(alice_doc, ids.layer_id("alice"), DocumentStatus.DONE)
    new = add_documents(project, 10)
    summary = assign(project, ["alice", "bob"], Overlap(0.1), seed=2)
    after = holdings(project)
    assert all(after[d] == cs for d, cs in before.items())
    assert set(after) == set(before) | set(new)
    assert sample_before < sample_of(project) and len(sample_of(project) - sample_before) == 1
    assert summary.placed == 10
    with project.read_session() as session:
        assert CoderDocumentRepository(session).statuses(alice_doc) == {"alice": DocumentStatus.DONE}
    again = assign(project, ["alice", "bob"], Overlap(0.1), seed=3)
    assert again.placed == 0 and all(c.added == 0 for c in again.coders)
    assert holdings(project) == after


def test_overlap_all_and_a_project_without_documents(project: Project) -> None:
    with pytest.raises(AssignmentError, match="no documents to assign"):
        assign(project, ["alice"], parse_overlap("all"))
    assert CoderService(project).coders() == []  # the refused run created nobody
    documents = add_documents(project, 5)
    assign(project, ["alice", "bob"], parse_overlap("all"), seed=0)
    assert holdings(project) == {d: {"alice", "bob"} for d in documents}


def test_a_name_spelled_differently_from_an_existing_coder_is_refused(project: Project) -> None:
    add_documents(project, 3)
    assign(project, ["Alice"], Overlap(0), seed=0)
    with pytest.raises(AssignmentError, match="has a coder Alice; write Alice, not alice"):
        assign(project, ["alice", "bob"], Overlap(0), seed=0)
    assert [c.name for c in CoderService(project).coders()] == ["Alice"]


def test_coder_service_adds_sets_roles_and_reports_progress(project: Project) -> None:
    service = CoderService(project)
    assert service.add("pat", CoderRole.PI) is True
    assert service.add("pat") is False
    with pytest.raises(CoderError, match="differs only in case"):
        service.add("Pat")
    add_documents(project, 4)
    assign(project, ["alice", "bob"], Overlap(0), seed=3)
    service.set_role("alice", CoderRole.PI)
    with pytest.raises(CoderError, match=r"no coder 'zed' \(its coders: pat, alice, bob\)"):
        service.set_role("zed", CoderRole.PI)
    alice_docs = [d for d, cs in holdings(project).items() if "alice" in cs]
    with project.session() as session:
        work, alice = CoderDocumentRepository(session), CoderRepository(session).layer_id("alice")
        work.set_status(alice_docs[0], alice, DocumentStatus.DONE)
        work.start_work(alice_docs[1], alice)
    progress = {p.name: p for p in service.progress()}
    assert list(progress) == ["pat", "alice", "bob"]
    assert (progress["alice"].role, progress["alice"].assigned, progress["alice"].done,
            progress["alice"].in_progress, progress["alice"].new) == (CoderRole.PI, 2, 1, 1, 0)
    assert (progress["bob"].assigned, progress["bob"].new, progress["bob"].done) == (2, 2, 0)
    assert progress["pat"].assigned == 0


def test_blind_coding_setting(project: Project) -> None:
    assert not blind_coding(project)  # no coder yet
    CoderService(project).add("alice")
    assert not blind_coding(project)  # one coder: nothing to hide
    CoderService(project).add("bob")
    assert blind_coding(project)
    project.set_setting("blind_coding", "off")
    assert not blind_coding(project)
    project.set_setting("blind_coding", "on")
    assert blind_coding(project)


# -- the commands ------------------------------------------------------------------------------


@pytest.fixture
def study(project: Project) -> Path:
    add_documents(project, 20)
    project.close()
    return project.path


def test_assign_command_prints_what_it_did(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = cli("assign", study, "--coders", "alice,bob,carol", "--overlap", "15%", "--seed", "7")
    out = capsys.readouterr().out
    assert code == 0
    assert f"Placed 20 new document(s) of 20 in {study} (overlap 15%, seed 7):" in out
    assert "Reliability sample: 3 document(s), coded by every coder (3 drawn now)." in out
    assert "--seed 7" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.startswith("  ")}
    assert sum(int(lines[n][1]) for n in ("alice", "bob", "carol")) == 17 + 3 * 3
    assert all("(new coder)" in " ".join(lines[n]) for n in lines)
    assert cli("assign", study, "--coders", "alice,bob,carol", "--overlap", "0.15") == 0
    assert "none was placed" in capsys.readouterr().out


def test_assign_without_a_seed_prints_the_one_it_chose(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("assign", study, "--coders", "alice,bob", "--overlap", "0.1") == 0
    seed = capsys.readouterr().out.rsplit("--seed ", 1)[1].strip()
    assert seed.isdigit()


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--coders", "alice,bob", "--overlap", "15"], "overlap '15' must lie between 0% and 100% (for 15 %, write 15%)"),
        (["--coders", "alice,bob", "--overlap", "lots"], "overlap 'lots' is not a share"),
        (["--coders", "alice,bob,alice", "--overlap", "15%"], "coder alice is named twice"),
        (["--coders", "alice,,bob", "--overlap", "15%"], "a coder's name is empty"),
        (["--coders", "", "--overlap", "all"], "name at least one coder"),
    ],
)
def test_assign_refuses_bad_input_in_one_line_and_changes_nothing(
    study: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    before = study.read_bytes()
    assert cli("assign", study, *args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("annotator: error: ") and says in err
    assert len(err.splitlines()) == 1
    assert study.read_bytes() == before


def test_assign_names_a_missing_project_or_an_empty_one(
    tmp_path: Path, project: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.annotator"
    assert cli("assign", missing, "--coders", "alice", "--overlap", "all") == 2
    assert f"{missing}: no such project file" in capsys.readouterr().err
    assert not missing.exists()
    project.close()
    assert cli("assign", project.path, "--coders", "alice", "--overlap", "all") == 2
    err = capsys.readouterr().err.strip()
    assert err == f"annotator: error: {project.path}: the project has no documents to assign; import some first"


def test_coders_command_lists_adds_and_sets_roles(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli("coders", study) == 0
    assert "has no coders yet" in capsys.readouterr().out
    cli("assign", study, "--coders", "alice,bob", "--overlap", "10%", "--seed", "1")
    capsys.readouterr()
    assert cli("coders", study, "--add", "pat", "--role", "pat=pi") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == ["Added coder pat.", "pat is now pi."]
    rows = {line.split()[0]: line.split()[1:] for line in out[4:-1]}
    assert out[-1] == "Blind coding is on: each coder sees only their own work."
    assert rows["pat"] == ["pi", "0", "0", "0"]
    assert rows["alice"][0] == "coder" and int(rows["alice"][1]) + int(rows["bob"][1]) == 20 + 2
    assert cli("coders", study, "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert list(listed) == ["alice", "bob", "pat"]
    assert listed["pat"] == {"role": "pi", "assigned": 0, "new": 0, "in_progress": 0, "done": 0}
    assert listed["alice"]["assigned"] == listed["alice"]["new"] == int(rows["alice"][1])


def test_coders_command_switches_blind_coding(study: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cli("assign", study, "--coders", "alice,bob", "--overlap", "all", "--seed", "1")
    capsys.readouterr()
    assert cli("coders", study, "--blind", "off") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Blind coding is off." and out[-1].startswith("Blind coding is off")
    with Project.open(study) as project:
        assert CoderService(project).may_view("alice", "bob")
    assert cli("coders", study, "--blind", "on") == 0
    with Project.open(study) as project:
        assert not CoderService(project).may_view("alice", "bob")


@pytest.mark.parametrize(
    ("args", "says"),
    [(["--role", "zed=pi"], "there is no coder 'zed' (its coders: alice, bob)"),
     (["--role", "alice=boss"], "role 'boss' is not one of coder or pi"),
     (["--role", "alice"], "--role 'alice': write NAME=pi or NAME=coder"),
     (["--add", "Alice"], "the project has a coder alice; Alice differs only in case")],
)
def test_coders_command_refuses_bad_changes(
    study: Path, capsys: pytest.CaptureFixture[str], args: list[str], says: str
) -> None:
    cli("assign", study, "--coders", "alice,bob", "--overlap", "10%", "--seed", "1")
    capsys.readouterr()
    assert cli("coders", study, *args) == 2
    err = capsys.readouterr().err.strip()
    assert says in err and len(err.splitlines()) == 1


def test_coders_command_only_reads_without_changes(study: Path) -> None:
    study.chmod(0o444)
    try:
        assert cli("coders", study, "--json") == 0
    finally:
        study.chmod(0o644)


def test_assigning_a_document_a_coder_started_keeps_their_status(project: Project) -> None:
    """A single-coder project that turns into a team: the work done so far stays as it was."""
    documents = add_documents(project, 6)
    with project.session() as session:
        alice = CoderRepository(session).id_for("alice")
        assert alice is not None
        for document in documents:
            CoderDocumentRepository(session).set_status(document, alice, DocumentStatus.DONE)
    assign(project, ["alice"], parse_overlap("all"), seed=0)
    with project.read_session() as session:
        work = CoderDocumentRepository(session)
        assert all(work.statuses(d) == {"alice": DocumentStatus.DONE} for d in documents)
        assert work.progress()["alice"] == {"assigned": 6, "new": 0, "in_progress": 0, "done": 6}


def test_the_installed_program_runs_assign_then_stats(study: Path) -> None:
    """Through a real process, as in tests/cli: `assign` is a command, not a project to open."""
    from tests.cli.test_cli import annotator

    done = annotator("assign", study, "--coders", "alice,bob", "--overlap", "all", "--seed", "3")
    assert done.returncode == 0, done.stderr
    stats = annotator("stats", study, "--json")
    assert json.loads(stats.stdout)["coders"] == {
        "alice": {"documents_done": 0, "entities": 0, "claims": 0},
        "bob": {"documents_done": 0, "entities": 0, "claims": 0},
    }
    mine = json.loads(annotator("stats", study, "--coder", "bob", "--json").stdout)
    assert mine["documents"] == 20 and list(mine["coders"]) == ["bob"]
