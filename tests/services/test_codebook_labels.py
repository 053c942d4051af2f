"""Renaming and removing entity labels through the codebook service."""

from __future__ import annotations

from dataclasses import replace

import pytest

from annotator.domain.errors import CodebookError
from annotator.domain.model import EntitySpan, NewDocument, Pattern
from annotator.services.codebook import CodebookService
from annotator.services.project import Project
from annotator.storage.repositories import CodebookRepository, DocumentRepository, SpanRepository


def _entity(project: Project, label: str) -> None:
    with project.session() as session:
        document_id = DocumentRepository(session).add(NewDocument(text=f"Islamabad {label}", title=label))
        SpanRepository(session).add(EntitySpan(document_id, 0, 9, "Islamabad", label))


def test_a_renamed_label_keeps_its_entities_patterns_and_links(project: Project) -> None:
    _entity(project, "ORG")
    with project.session() as session:
        CodebookRepository(session).add_pattern(Pattern("ORG", "Finance Ministry"))
    current = project.codebook()
    labels = tuple(replace(lb, name="ORGANISATION") if lb.name == "ORG" else lb for lb in current.labels)
    diff = CodebookService(project).save(replace(current, labels=labels))
    assert "Label ORG renamed to ORGANISATION." in diff.details
    saved = project.codebook()
    assert [p.label for p in saved.patterns] == ["ORGANISATION"]
    assert saved.field("claimant").entity_labels == ("PERSON", "ORGANISATION")
    assert CodebookService(project).usage()["label:ORGANISATION"] == {"*": 1}


def test_a_label_in_use_goes_only_with_its_entities_moved(project: Project) -> None:
    _entity(project, "LOCATION")
    current = project.codebook()
    without = replace(current, labels=tuple(lb for lb in current.labels if lb.name != "LOCATION"))
    with pytest.raises(CodebookError, match="the label 'LOCATION' is used by 1 entity; relabel them first"):
        CodebookService(project).save(without)
    assert project.codebook() == current
    diff = CodebookService(project).save(without, relabel={"LOCATION": "ORG"})
    assert "Label LOCATION removed: its 1 entity becomes ORG." in diff.details
    assert CodebookService(project).usage()["label:ORG"] == {"*": 1}
