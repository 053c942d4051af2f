"""Issue 9 point 12: hostile or sloppy codebook files end in one line naming the field.

Every case the fault-injection run found is here, through the service and through
`annotator codebook import` (a subprocess, as a researcher's shell runs it): never exit 3 or
"unexpected error", never a silent misreading, and the project's codebook unchanged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import spacy

from annotator.domain.codebook_json import codebook_to_dict
from annotator.domain.errors import CodebookError
from annotator.domain.ids import DocumentId
from annotator.domain.model import Codebook, NewDocument, Pattern
from annotator.nlp.models import NerPipeline
from annotator.nlp.patterns import regex_problem
from annotator.services.codebook import CodebookReplacesAllError, CodebookService
from annotator.services.preannotate import Preannotator
from annotator.services.project import Project
from annotator.storage.repositories import CodebookRepository, DocumentRepository
from tests.conftest import SMALL_CODEBOOK

ROOT = Path(__file__).resolve().parents[2]


def base() -> dict[str, Any]:
    data = codebook_to_dict(SMALL_CODEBOOK)
    data["patterns"] = [{"label": "PERSON", "pattern": "Shehbaz Sharif"}]
    return data


def deep(depth: int) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value]
    return value


def set_in(path: tuple[Any, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        target = data
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return change


# (case, change to a valid codebook or the whole file text, what the one line must say)
CASES: list[tuple[str, Any, str]] = [
    ("deep nesting beyond the parser", '{"labels": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "nested too deeply"),
    ("deep nesting the parser accepts", set_in(("labels", 0, "description"), deep(900)),
     "labels[0].description must be text (up to 10,000 characters), got [[[[...]]]]"),
    ("shortcut as a list", set_in(("labels", 2, "shortcut"), ["a"]),
     "labels[2].shortcut must be a single character, got ['a']"),
    ("minimum not a number", set_in(("claim_variables", 4, "minimum"), "abc"),
     "claim_variables[4].minimum must be a finite number, got 'abc'"),
    ("minimum NaN", '{"labels": [{"name": "A"}], "claim_variables": [{"name": "x", "kind": "number", "minimum": NaN}]}',
     "claim_variables[0].minimum must be a finite number, got nan"),
    ("patterns as an object", set_in(("patterns",), {"PERSON": "Sharif"}),
     "patterns must be a list of patterns, got {'PERSON': 'Sharif'}"),
    ("a pattern as an object", set_in(("patterns", 0, "pattern"), {"LOWER": "sharif"}),
     "patterns[0].pattern must be a phrase (text) or a list of tokens"),
    ("spacy_labels as one string", set_in(("labels", 0, "spacy_labels"), "PERSON"),
     "labels[0].spacy_labels must be a list of spaCy labels, such as [\"PERSON\"], got 'PERSON'"),
    ("required as a word", set_in(("claim_variables", 0, "required"), "no"),
     "claim_variables[0].required must be true or false, got 'no'"),
    ("numeric shortcut", set_in(("labels", 1, "shortcut"), 1),
     "labels[1].shortcut must be a single character, got 1"),
    ("shortcut used twice", set_in(("labels", 1, "shortcut"), "1"),
     "the key '1' is given to PERSON and ORG"),
    ("invalid token pattern", set_in(("patterns", 0, "pattern"), [{"LOWR": "sharif"}]),
     "patterns[0] (PERSON pattern [{\"LOWR\": \"sharif\"}]): token 1, LOWR: spaCy has no token attribute"),
    ("token attribute of the wrong type", set_in(("patterns", 0, "pattern"), [{"IS_TITLE": "yes"}]),
     "token 1, IS_TITLE: input should be a valid boolean"),
    ("catastrophic regex", set_in(("patterns", 0, "pattern"), [{"TEXT": {"REGEX": "(a+)+$"}}]),
     "the regular expression '(a+)+$' could take hours on some words"),
    ("empty object", "{}", "has no labels; a codebook needs at least one entity label (the file is empty: {})"),
    ("label named with a number", set_in(("labels", 0, "name"), 123),
     "labels[0].name must be a name (text, 1 to 100 characters), got 123"),
    ("newer version", set_in(("version",), 999),
     "written by a newer Annotator (codebook version 999; this one reads version 1)"),
    ("misspelt key", lambda data: data["labels"][0].update(colour="#FF0000"),
     "labels[0].colour is not a codebook field"),
    ("not JSON", '{"labels": [', "not valid JSON"),
    ("pattern for a missing label", set_in(("patterns", 0, "label"), "PEOPLE"),
     "a pattern is for the label 'PEOPLE', which the codebook lacks"),
]


def write_case(tmp_path: Path, change: Any) -> Path:
    path = tmp_path / "codebook.json"
    if isinstance(change, str):
        path.write_text(change, encoding="utf-8")
    else:
        data = base()
        change(data)
        path.write_text(json.dumps(data), encoding="utf-8")
    return path


def annotator(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True,
        timeout=300, cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )


@pytest.mark.parametrize(("case", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_service_refuses_with_one_line_naming_the_field(
    project: Project, tmp_path: Path, case: str, change: Any, expected: str
) -> None:
    path = write_case(tmp_path, change)
    before = project.codebook()
    with pytest.raises(CodebookError) as raised:
        CodebookService(project).import_json(path)
    message = str(raised.value)
    assert message.startswith(f"{path}: ") or message.startswith(str(path)), message
    assert expected in message
    assert "\n" not in message and len(message) < 400
    assert project.codebook() == before


@pytest.mark.parametrize(("case", "change", "expected"), CASES, ids=[c[0] for c in CASES])
def test_the_cli_refuses_with_one_line_and_exit_2(
    project: Project, project_path: Path, tmp_path: Path, case: str, change: Any, expected: str
) -> None:
    project.close()
    path = write_case(tmp_path, change)
    result = annotator("codebook", "import", project_path, path)
    assert result.returncode in (1, 2), result.stderr
    assert "unexpected error" not in result.stderr and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], result.stderr


def test_a_utf8_bom_from_notepad_is_read(project: Project, tmp_path: Path) -> None:
    data = base()
    data["labels"][0]["description"] = "Named people (Zürich)"
    path = tmp_path / "notepad.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(data, ensure_ascii=False).encode("utf-8"))
    CodebookService(project).import_json(path)
    assert project.codebook().label("PERSON").description == "Named people (Zürich)"  # type: ignore[union-attr]
    project.close()
    result = annotator("codebook", "import", project.path, path)
    assert result.returncode == 0, result.stderr
    assert "unchanged" in result.stdout


def test_a_file_sharing_nothing_with_the_project_is_adopted_only_when_asked(
    project: Project, project_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"labels": [{"name": "ACTOR", "shortcut": "a"}]}), encoding="utf-8")
    with pytest.raises(CodebookReplacesAllError, match="none of the project's 3 labels and none of its 8"):
        CodebookService(project).import_json(path)
    assert project.codebook() == project.codebook()
    assert len(project.codebook().labels) == 3
    project.close()
    refused = annotator("codebook", "import", project_path, path)
    assert refused.returncode == 2
    assert "add --replace-all to do so" in refused.stderr
    adopted = annotator("codebook", "import", project_path, path, "--replace-all")
    assert adopted.returncode == 0, adopted.stderr
    with Project.open(project_path) as reopened:
        assert [lb.name for lb in reopened.codebook().labels] == ["ACTOR"]
        assert reopened.codebook().fields == ()


@pytest.mark.parametrize("regex", ["(a+)+$", "(a*)*b", "(a|aa)+$", r"(?:\w+\s?)+$", r"(a+)\1"])
def test_regexes_that_can_backtrack_exponentially_are_refused(regex: str) -> None:
    assert regex_problem(regex) is not None


@pytest.mark.parametrize("regex", [r"^[A-Z][a-z]+$", r"^(Mr|Mrs|Dr)\.?$", r"(ab){2,3}", r"(a|b)+", r"^\d{4}$"])
def test_ordinary_regexes_are_allowed(regex: str) -> None:
    assert regex_problem(regex) is None


def _blank_loader(model: str, patterns: Any) -> NerPipeline:
    return NerPipeline.from_language(spacy.blank("en"), "blank_en", "0.0", patterns=patterns)


def test_a_project_that_already_holds_bad_patterns_is_pre_annotated_without_them(project: Project) -> None:
    """Stored before patterns were checked: each is skipped with one line naming it, and the
    catastrophic regex can no longer make a two-line document take minutes (it never runs)."""
    text = "Shehbaz Sharif spoke.\n" + "a" * 40 + "b"
    with project.session() as session:
        document_id = DocumentId(DocumentRepository(session).add(NewDocument(text=text, title="t")))
        repository = CodebookRepository(session)
        repository.add_pattern(Pattern("PERSON", ({"TEXT": {"REGEX": "(a+)+$"}},)))
        repository.add_pattern(Pattern("PERSON", ({"LOWR": "x"},)))
        repository.add_pattern(Pattern("PERSON", "Shehbaz Sharif"))
    run = Preannotator(project, model="blank", loader=_blank_loader).run([document_id])
    with pytest.raises(StopIteration) as stop:
        while True:
            next(run)
    summary = stop.value.value
    assert summary.documents == 1
    assert summary.suggestions_by_label == {"PERSON": 1}
    assert len(summary.warnings) == 2
    assert "Skipped the PERSON pattern [{\"TEXT\": {\"REGEX\": \"(a+)+$\"}}]" in summary.warnings[0]
    assert "could take hours" in summary.warnings[0]
    assert "LOWR" in summary.warnings[1]


def test_the_codebook_dialogs_rules_are_the_imports(project: Project) -> None:
    """A codebook built in the app goes through the same schema and rules on save."""
    from dataclasses import replace

    current: Codebook = project.codebook()
    labels = list(current.labels)
    labels[1] = replace(labels[1], shortcut="1")
    with pytest.raises(CodebookError, match="the key '1' is given to PERSON and ORG"):
        CodebookService(project).save(replace(current, labels=tuple(labels)))
    labels[1] = replace(labels[1], shortcut="ab")
    with pytest.raises(CodebookError, match=r"labels\[1\]\.shortcut must be a single character"):
        CodebookService(project).save(replace(current, labels=tuple(labels)))
    bad_pattern = Pattern("PERSON", ({"TEXT": {"REGEX": "(a+)+$"}},))
    with pytest.raises(CodebookError, match="could take hours"):
        CodebookService(project).save(replace(current, patterns=(bad_pattern,)))
    assert project.codebook() == current
