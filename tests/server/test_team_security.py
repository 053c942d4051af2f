"""Issue 14.6: the server itself refuses a coder's role what the app never asks of a coder:
changing the codebook, the documents or the assignments, and writing another coder's layer;
under blind coding it does not even show them another coder's layer."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from annotator.domain.location import parse_server_url
from annotator.domain.model import EntitySpan, NewDocument, SpanOrigin, SpanStatus
from annotator.services.project import Project
from annotator.services.team_security import apply_security_to, role_sql
from annotator.storage.layer_writer import LayerWriter
from annotator.storage.repositories import CoderRepository, DocumentRepository

pytestmark = pytest.mark.postgres
InsufficientPrivilege = pytest.importorskip("psycopg").errors.InsufficientPrivilege


def _connect(url: str, user: str | None = None):  # type: ignore[no-untyped-def]
    import psycopg

    location = parse_server_url(url)
    return psycopg.connect(host=location.host, port=location.port, dbname=location.database,
                           user=user or location.user, password=None if user else location.password,
                           autocommit=True)


@pytest.fixture
def study(project: Project, pg_url: str, pg_admin_url: str) -> Iterator[dict[str, str]]:
    """A real project on the server with the security applied: coders alice and bob, PI pia;
    bob has accepted "Imran"."""
    suffix = uuid.uuid4().hex[:8]
    names = {n: f"{n}_{suffix}" for n in ("alice", "bob", "pia")}
    with project.session() as session:
        coders = CoderRepository(session)
        for name in names.values():
            coders.id_for(name)
        document = DocumentRepository(session).add(NewDocument("Imran Khan spoke.", title="t"))
        LayerWriter(session).add_entities(document, [EntitySpan(
            document, 0, 5, "Imran", "PERSON", SpanOrigin.MANUAL, SpanStatus.ACCEPTED,
            annotator=names["bob"])])
    assert sorted(apply_security_to(project)) == sorted(names.values())
    with _connect(pg_url) as owner:
        owner.execute(role_sql([names["alice"], names["bob"]], pis=[names["pia"]]))
    yield {"url": pg_url, **names}
    with _connect(pg_admin_url) as admin:
        for name in names.values():
            admin.execute(f'DROP OWNED BY "{name}"')
            admin.execute(f'DROP ROLE "{name}"')


def _as(study: dict[str, str], who: str):  # type: ignore[no-untyped-def]
    return _connect(study["url"], study[who])


def _coder_id(connection, name: str) -> int:  # type: ignore[no-untyped-def]
    return connection.execute("SELECT id FROM coders WHERE name = %s", (name,)).fetchone()[0]


def test_a_coder_writes_their_own_layer_and_the_server_refuses_anothers(study: dict[str, str]) -> None:
    with _as(study, "alice") as alice:
        mine, bobs = _coder_id(alice, study["alice"]), _coder_id(alice, study["bob"])
        alice.execute("INSERT INTO entity_spans (document_id, start, \"end\", text, label_id, origin,"
                      " status, coder_id, created_at, updated_at) VALUES (1, 6, 10, 'Khan', 1,"
                      " 'manual', 'accepted', %s, now(), now())", (mine,))
        with pytest.raises(InsufficientPrivilege, match="row-level security"):
            alice.execute("INSERT INTO entity_spans (document_id, start, \"end\", text, label_id,"
                          " origin, status, coder_id, created_at, updated_at) VALUES (1, 6, 10,"
                          " 'Khan', 1, 'manual', 'accepted', %s, now(), now())", (bobs,))
        changed = alice.execute("UPDATE entity_spans SET status = 'rejected' WHERE coder_id = %s", (bobs,))
        assert changed.rowcount == 0
        assert alice.execute("DELETE FROM entity_spans WHERE coder_id = %s", (bobs,)).rowcount == 0
        with pytest.raises(InsufficientPrivilege, match="row-level security"):
            alice.execute("UPDATE entity_spans SET coder_id = %s WHERE coder_id = %s", (bobs, mine))
        alice.execute("INSERT INTO coder_documents (document_id, coder_id, status, updated_at)"
                      " VALUES (1, %s, 'done', now())", (mine,))
    with _as(study, "pia") as pia:
        rows = pia.execute("SELECT text, status FROM entity_spans ORDER BY start").fetchall()
        assert rows == [("Imran", "accepted"), ("Khan", "accepted")]


@pytest.mark.parametrize("statement", [
    "UPDATE labels SET name = 'PEOPLE'",
    "INSERT INTO labels (name, color, position) VALUES ('PARTY', '#000000', 1)",
    "DELETE FROM patterns",
    "UPDATE documents SET title = 'mine'",
    "UPDATE coders SET role = 'pi'",
    "INSERT INTO project_info (key, value) VALUES ('blind_coding', 'off')",
    "UPDATE coder_documents SET assigned = true",
])
def test_a_coder_cannot_change_the_codebook_documents_coders_or_settings(
    study: dict[str, str], statement: str
) -> None:
    with _as(study, "alice") as alice, pytest.raises(InsufficientPrivilege):
        alice.execute(statement)


def test_blind_coding_hides_another_coders_layer_from_a_coder_not_from_the_pi(study: dict[str, str]) -> None:
    with _as(study, "alice") as alice:
        assert alice.execute("SELECT count(*) FROM entity_spans").fetchone()[0] == 0
    with _as(study, "pia") as pia:
        assert pia.execute("SELECT count(*) FROM entity_spans").fetchone()[0] == 1
        pia.execute("INSERT INTO project_info (key, value) VALUES ('blind_coding', 'off')")
    with _as(study, "alice") as alice:
        assert alice.execute("SELECT count(*) FROM entity_spans").fetchone()[0] == 1


def test_the_command_applies_it_and_names_the_roles_to_create(
    project: Project, pg_url: str, capsys: pytest.CaptureFixture[str], tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from annotator.cli.main import run

    with project.session() as session:
        CoderRepository(session).id_for("ayesha")
    assert run(["server-security", pg_url], open_gui=lambda request: 0) == 0
    out = capsys.readouterr().out
    assert "Row-level security is on" in out and 'CREATE ROLE "ayesha" LOGIN IN ROLE annotator_coder;' in out
    assert run(["server-security", "--print"], open_gui=lambda request: 0) == 0
    assert "ENABLE ROW LEVEL SECURITY" in capsys.readouterr().out
    with Project(tmp_path / "file.annotator", create=True) as on_file, pytest.raises(
        Exception, match="only for a project on a PostgreSQL server"
    ):
        apply_security_to(on_file)
