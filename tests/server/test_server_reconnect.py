"""After the server restarts, the app's next action works without a restart of the app.

A pooled connection idle for a moment is checked before use (``storage.server``), so a coder
who comes back to a restarted server just carries on; one used a moment before the restart
reports the action as not saved, once, and the next action works.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator

import pytest

from annotator.domain.errors import ServerUnreachableError
from annotator.domain.model import Codebook, DocumentStatus, Label, NewDocument
from annotator.services.corrections import Corrections
from annotator.services.project import Project
from annotator.services.retry import retrying
from annotator.storage.repositories import DocumentRepository
from annotator.storage.server import IDLE_BEFORE_PING_S
from tests.server.pgserver import LocalServer

pytestmark = pytest.mark.postgres

_numbers = itertools.count(1)


@pytest.fixture(scope="module")
def server(own_server: LocalServer) -> LocalServer:
    return own_server


@pytest.fixture
def project(server: LocalServer) -> Iterator[Project]:
    name = f"reconnect_{next(_numbers)}"
    with server.psycopg.connect(server.url("postgres"), autocommit=True) as connection:  # type: ignore[attr-defined]
        connection.execute(f"CREATE DATABASE {name} TEMPLATE template0")
    codebook = Codebook(labels=(Label("PERSON", "#0072B2", "1"),))
    with Project(server.url(name), create=True, codebook=codebook) as opened:
        yield opened


def _document(project: Project) -> int:
    with project.session() as session:
        return int(DocumentRepository(session).add(NewDocument(text="Angela Merkel spoke.")))


def _mark(project: Project, document_id: int, status: DocumentStatus) -> None:
    # as the window does: no waiting for a server that is away (patience 0)
    retrying(lambda: Corrections(project, "alice").set_document_status(document_id, status),  # type: ignore[arg-type]
             patience_s=0)


def _status(project: Project, document_id: int) -> DocumentStatus:
    """alice's status of the document (setting it again returns the one it had)."""
    return Corrections(project, "alice").set_document_status(document_id, DocumentStatus.DONE)  # type: ignore[arg-type]


def test_the_first_action_after_a_restart_works_when_the_connection_was_idle(server, project) -> None:
    document_id = _document(project)
    _mark(project, document_id, DocumentStatus.IN_PROGRESS)
    server.restart()
    time.sleep(IDLE_BEFORE_PING_S + 0.2)
    _mark(project, document_id, DocumentStatus.DONE)  # no error: the stale connection was replaced
    assert _status(project, document_id) is DocumentStatus.DONE


def test_an_action_right_after_a_restart_is_saved_or_said_not_saved_and_the_next_works(server, project) -> None:
    document_id = _document(project)
    _mark(project, document_id, DocumentStatus.IN_PROGRESS)
    server.restart()
    try:  # the connection was used a moment ago, so it may not be checked first
        _mark(project, document_id, DocumentStatus.DONE)
    except ServerUnreachableError:
        assert _status(project, document_id) is DocumentStatus.IN_PROGRESS  # visibly not saved
    else:
        assert _status(project, document_id) is DocumentStatus.DONE
    _mark(project, document_id, DocumentStatus.NEW)  # and the app goes on
    assert _status(project, document_id) is DocumentStatus.NEW
