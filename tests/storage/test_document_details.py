"""Document details in the project file: the section column (migration 0006), imports that
fill it, and edits that change one document's details and nothing else."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.domain.document_details import DocumentDetails
from annotator.domain.errors import NotFoundError
from annotator.domain.ids import DocumentId
from annotator.domain.model import NewDocument
from annotator.services.browse import Browser
from annotator.services.document_details import DocumentDetailsEditor
from annotator.services.importing import run_import
from annotator.services.project import Project
from annotator.storage.db import make_engine
from annotator.storage.repositories import DocumentRepository
from annotator.storage.schema import upgrade


def test_a_section_kept_as_metadata_moves_into_its_column_on_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.annotator"
    path.touch()  # make_engine opens existing files only
    engine = make_engine(path)
    upgrade(engine, "0004")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO project_info VALUES ('application', 'annotator')"))
        connection.execute(
            text("INSERT INTO labels (name, color, shortcut, description, spacy_labels, position)"
                 " VALUES ('PERSON', '#EE6677', '1', '', '[\"PERSON\"]', 0)")
        )
        for n, metadata in enumerate(({"row": "1", "section": " Politik "}, {"row": "2"}, {"section": 3})):
            connection.execute(
                text(
                    "INSERT INTO documents (title, text, sha256, status, imported_at, word_count, metadata_json)"
                    " VALUES (:title, 'Some text', :sha, 'new', '2024-01-01 00:00:00', 2, :meta)"
                ),
                {"title": f"Old {n}", "sha": f"sha{n}", "meta": json.dumps(metadata)},
            )
    engine.dispose()

    with Project.open(path) as project:
        browser = Browser(project)
        sections = [browser.bundle(DocumentId(i)).document.section for i in (1, 2, 3)]
        assert sections == ["Politik", None, None]  # a number is not a section name
        # the full-text triggers of 0004 survived the new column: a title edit is found
        DocumentDetailsEditor(project).update([DocumentId(2)], {"title": "Überschwemmung"})
        assert browser.count("Überschwemmung") == 1


def test_an_imported_section_column_is_stored(project: Project, tmp_path: Path) -> None:
    table = tmp_path / "batch.csv"
    table.write_text("title,text,outlet,rubric\nWahl,Die Wahl ist vorbei.,Die Zeit,Politik\n", encoding="utf-8")
    run_import(project, [table])
    document = Browser(project).bundle(Browser(project).first_document()).document  # type: ignore[arg-type]
    assert (document.source, document.section) == ("Die Zeit", "Politik")


def test_update_changes_only_the_given_details_and_returns_what_changed(project: Project) -> None:
    with project.session() as session:
        documents = DocumentRepository(session)
        first = documents.add(NewDocument(text="One", title="One", author="A", source="Dawn"))
        second = documents.add(NewDocument(text="Two", title="Two", source="Dawn"))
    editor = DocumentDetailsEditor(project)
    changes = editor.update([first, second], {"author": "A", "published": date(2024, 1, 2)})
    assert [c.document_id for c in changes] == [first, second]
    assert changes[0].before == DocumentDetails(title="One", source="Dawn", author="A")
    assert changes[0].after == DocumentDetails(title="One", source="Dawn", author="A", published=date(2024, 1, 2))
    assert editor.update([first], {"author": "A"}) == []  # already so
    editor.revert(changes)
    assert editor.details([first, second])[second] == DocumentDetails(title="Two", source="Dawn")
    editor.reapply(changes)
    assert editor.details([second])[second].published == date(2024, 1, 2)
    assert editor.known_values()["source"] == ["Dawn"]


def test_a_document_gone_meanwhile_changes_nothing(project: Project) -> None:
    with project.session() as session:
        first = DocumentRepository(session).add(NewDocument(text="One", title="One"))
    editor = DocumentDetailsEditor(project)
    with pytest.raises(NotFoundError):
        editor.update([first, DocumentId(999)], {"source": "Dawn"})
    assert editor.details([first])[first].source is None


def test_the_section_column_can_be_chosen_by_name(project: Project, tmp_path: Path) -> None:
    from annotator.io.importers import ImportOptions

    table = tmp_path / "batch.csv"
    table.write_text("Titel,text,Ressort\nWahl,Die Wahl ist vorbei.,Inland\n", encoding="utf-8")
    run_import(project, [table], ImportOptions(section_column="Ressort"))
    browser = Browser(project)
    assert browser.bundle(browser.first_document()).document.section == "Inland"  # type: ignore[arg-type]
