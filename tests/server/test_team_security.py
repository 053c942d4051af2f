"""Issue 14.6: the server itself refuses a coder's role what the app never asks of a coder:
changing the codebook, the documents or the assignments, and writing another coder's layer;
under blind coding it does not even show them another coder's layer."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest

psycopg = pytest.importorskip("psycopg")

from annotator.storage.team_security import SECURITY_SQL, coder_role_sql  # noqa: E402

ADMIN_URL = os.environ.get("ANNOTATOR_TEST_PG_URL", "")
pytestmark = [pytest.mark.postgres,
              pytest.mark.skipif(not ADMIN_URL, reason="no PostgreSQL server (ANNOTATOR_TEST_PG_URL)")]


def _url(database: str, user: str | None = None) -> str:
    base, _, _ = ADMIN_URL.rpartition("/")
    if user:
        scheme, _, rest = base.partition("://")
        rest = rest.split("@", 1)[-1]
        base = f"{scheme}://{user}@{rest}"
    return f"{base}/{database}"


@pytest.fixture
def study() -> Iterator[dict[str, str]]:
    """A project database with the security applied; coders alice and bob, PI pia."""
    from sqlalchemy import create_engine

    from annotator.storage.orm import Base

    suffix = uuid.uuid4().hex[:8]
    database = f"sec_{suffix}"
    names = {n: f"{n}_{suffix}" for n in ("alice", "bob", "pia")}
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {database}")
    engine = create_engine(_url(database).replace("postgresql://", "postgresql+psycopg://"))
    Base.metadata.create_all(engine)
    engine.dispose()
    with psycopg.connect(_url(database), autocommit=True) as owner:
        owner.execute(SECURITY_SQL)
        owner.execute(coder_role_sql(names["alice"]) + coder_role_sql(names["bob"])
                      + coder_role_sql(names["pia"], pi=True))
        for name in names.values():
            owner.execute("INSERT INTO coders (name, role, created_at) VALUES (%s, 'coder', now())", (name,))
        owner.execute("INSERT INTO labels (name, color, description, spacy_labels, position)"
                      " VALUES ('PERSON', '#ffffff', '', '[]', 0)")
        owner.execute("INSERT INTO documents (title, text, sha256, status, imported_at, word_count,"
                      " metadata_json) VALUES ('t', 'Imran Khan spoke.', 'x', 'new', now(), 3, '{}')")
        owner.execute("INSERT INTO entity_spans (document_id, start, \"end\", text, label_id, origin,"
                      " status, coder_id, created_at, updated_at) SELECT 1, 0, 5, 'Imran', 1,"
                      " 'manual', 'accepted', id, now(), now() FROM coders WHERE name = %s", (names["bob"],))
    yield {"database": database, **names}
    with psycopg.connect(ADMIN_URL, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {database} WITH (FORCE)")
        for name in names.values():
            admin.execute(f'DROP ROLE "{name}"')


def _as(study: dict[str, str], who: str) -> psycopg.Connection:
    return psycopg.connect(_url(study["database"], study[who]), autocommit=True)


def _coder_id(connection: psycopg.Connection, name: str) -> int:
    return connection.execute("SELECT id FROM coders WHERE name = %s", (name,)).fetchone()[0]


def test_a_coder_writes_their_own_layer_and_the_server_refuses_anothers(study: dict[str, str]) -> None:
    with _as(study, "alice") as alice:
        mine, bobs = _coder_id(alice, study["alice"]), _coder_id(alice, study["bob"])
        alice.execute("INSERT INTO entity_spans (document_id, start, \"end\", text, label_id, origin,"
                      " status, coder_id, created_at, updated_at) VALUES (1, 6, 10, 'Khan', 1,"
                      " 'manual', 'accepted', %s, now(), now())", (mine,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            alice.execute("INSERT INTO entity_spans (document_id, start, \"end\", text, label_id,"
                          " origin, status, coder_id, created_at, updated_at) VALUES (1, 6, 10,"
                          " 'Khan', 1, 'manual', 'accepted', %s, now(), now())", (bobs,))
        changed = alice.execute("UPDATE entity_spans SET status = 'rejected' WHERE coder_id = %s", (bobs,))
        assert changed.rowcount == 0
        assert alice.execute("DELETE FROM entity_spans WHERE coder_id = %s", (bobs,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
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
    with _as(study, "alice") as alice, pytest.raises(psycopg.errors.InsufficientPrivilege):
        alice.execute(statement)


def test_blind_coding_hides_another_coders_layer_from_a_coder_not_from_the_pi(study: dict[str, str]) -> None:
    with _as(study, "alice") as alice:
        assert alice.execute("SELECT count(*) FROM entity_spans").fetchone()[0] == 0
    with _as(study, "pia") as pia:
        assert pia.execute("SELECT count(*) FROM entity_spans").fetchone()[0] == 1
        pia.execute("INSERT INTO project_info (key, value) VALUES ('blind_coding', 'off')")
    with _as(study, "alice") as alice:
        assert alice.execute("SELECT count(*) FROM entity_spans").fetchone()[0] == 1
